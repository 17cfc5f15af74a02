// An in-memory fake of the Apps Script services the add-on uses, faithful to their documented semantics where
// the add-on depends on them: getValues returns 2-D arrays of strings, numbers, booleans and Dates ('' for empty
// cells); setValues/setNotes require the exact dimensions of the range; strings written with setValues are parsed
// like typed input (a number, a dd/MM/yyyy date in the spreadsheet's zone, "=" a formula, a leading apostrophe
// keeps text literally); getDataRange spans A1 to the last row and column with content; conditional format rules
// and data validations are plain values read back as written; properties hold strings only; UrlFetchApp is
// synchronous. Every call that writes is counted so tests can assert batching.
import { a1, parseA1 } from '../../engine/a1.js';

export type Value = string | number | boolean | Date;

interface Cell {
  value: Value;
  formula: string;
  note: string;
  validation: FakeDataValidation | null;
}

const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';
const emptyCell = (): Cell => ({ value: '', formula: '', note: '', validation: null });

export class AppsScriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Exception';
  }
}

export interface CallLog {
  setValues: { sheet: string; a1: string; rows: number; columns: number }[];
  setNotes: { sheet: string; a1: string }[];
  setConditionalFormatRules: { sheet: string; count: number }[];
  setDataValidation: { sheet: string; a1: string }[];
  getValues: number;
  fetch: { url: string; method: string }[];
}

function parseRangeA1(a: string): { r1: number; c1: number; r2: number; c2: number } {
  const [from, to] = a.replace(/\$/g, '').split(':');
  const p = parseA1(from);
  const q = parseA1(to ?? from);
  if (!p || !q) throw new AppsScriptError(`Range not found`);
  return {
    r1: Math.min(p.row, q.row),
    c1: Math.min(p.column, q.column),
    r2: Math.max(p.row, q.row),
    c2: Math.max(p.column, q.column),
  };
}

// ---------------------------------------------------------------------------------------------
// Dates in a time zone (Utilities.formatDate and typed dates).
// ---------------------------------------------------------------------------------------------

function zonedParts(d: Date, zone: string): Record<string, string> {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

export function formatDate(d: Date, zone: string, pattern: string): string {
  if (Object.prototype.toString.call(d) !== '[object Date]')
    throw new AppsScriptError('Cannot call Utilities.formatDate() with a value that is not a Date.');
  const p = zonedParts(d, zone);
  return pattern.replace(
    /yyyy|MM|dd|HH|mm|ss/g,
    (t) => ({ yyyy: p.year, MM: p.month, dd: p.day, HH: p.hour, mm: p.minute, ss: p.second })[t]!,
  );
}

/** Midnight of a calendar day in a zone, as an instant. */
function zonedMidnight(y: number, m: number, d: number, zone: string): Date {
  const guess = Date.UTC(y, m - 1, d);
  const p = zonedParts(new Date(guess), zone);
  const shown = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return new Date(guess - (shown - guess));
}

// ---------------------------------------------------------------------------------------------
// Spreadsheet, Sheet, Range.
// ---------------------------------------------------------------------------------------------

export class FakeSpreadsheet {
  sheets: FakeSheet[] = [];
  active: FakeSheet | null = null;
  activeRange: FakeRange | null = null;
  log: CallLog = {
    setValues: [],
    setNotes: [],
    setConditionalFormatRules: [],
    setDataValidation: [],
    getValues: 0,
    fetch: [],
  };
  private nextId = 1;

  constructor(
    public name = 'Phụ lục CCHC',
    public timeZone = 'Asia/Ho_Chi_Minh',
    public id = 'fake-spreadsheet-id',
  ) {}

  getName() {
    return this.name;
  }
  getId() {
    return this.id;
  }
  getUrl() {
    return `https://docs.google.com/spreadsheets/d/${this.id}/edit`;
  }
  getSpreadsheetTimeZone() {
    return this.timeZone;
  }
  getSheets() {
    return this.sheets.slice();
  }
  getSheetByName(name: string) {
    return this.sheets.find((s) => s.name === name) ?? null;
  }
  getActiveSheet() {
    return this.active ?? this.sheets[0];
  }
  setActiveSheet(s: FakeSheet) {
    this.active = s;
    return s;
  }
  getActiveRange() {
    return this.activeRange;
  }
  insertSheet(name?: string, index?: number): FakeSheet {
    const n = name ?? `Sheet${this.sheets.length + 1}`;
    if (this.getSheetByName(n))
      throw new AppsScriptError(`A sheet with the name "${n}" already exists. Please enter another name.`);
    const s = new FakeSheet(this, n, this.nextId++);
    if (index === undefined || index >= this.sheets.length) this.sheets.push(s);
    else this.sheets.splice(index, 0, s);
    this.active = s;
    return s;
  }

  /** Test helper: a sheet filled as an officer would type the texts (parsed like typed input). */
  addSheetFromTexts(name: string, rows: string[][]): FakeSheet {
    const s = this.insertSheet(name);
    rows.forEach((line, i) => line.forEach((t, j) => t !== '' && s.typeInto(i + 1, j + 1, t)));
    return s;
  }
}

export class FakeSheet {
  cells: Cell[][] = [];
  merges: { r1: number; c1: number; r2: number; c2: number }[] = [];
  rules: FakeConditionalFormatRule[] = [];
  hidden = false;
  hiddenColumns = new Set<number>();
  /** Row developer metadata (the only location kind the add-on uses). */
  developerMetadata: FakeDeveloperMetadata[] = [];
  maxRows = 1000;
  maxColumns = 26;

  constructor(
    readonly parent: FakeSpreadsheet,
    public name: string,
    readonly id: number,
  ) {}

  cell(row: number, column: number): Cell {
    while (this.cells.length < row) this.cells.push([]);
    const line = this.cells[row - 1];
    while (line.length < column) line.push(emptyCell());
    if (row > this.maxRows) this.maxRows = row;
    if (column > this.maxColumns) this.maxColumns = column;
    return line[column - 1];
  }
  peek(row: number, column: number): Cell | undefined {
    return this.cells[row - 1]?.[column - 1];
  }

  /** Writes a value the way Sheets stores typed input or a setValues string. */
  typeInto(row: number, column: number, input: Value): void {
    const c = this.cell(row, column);
    if (typeof input !== 'string') {
      c.value = isDate(input) ? new Date(input.getTime()) : input;
      c.formula = '';
      return;
    }
    if (input.startsWith("'")) {
      c.value = input.slice(1);
      c.formula = '';
    } else if (input.startsWith('=') && input.length > 1) {
      // No evaluator here: a formula written back unchanged keeps its last computed value.
      if (c.formula !== input) c.value = '';
      c.formula = input;
    } else if (/^-?\d+(\.\d+)?$/.test(input.trim())) {
      c.value = Number(input);
      c.formula = '';
    } else if (/^(TRUE|FALSE)$/i.test(input.trim())) {
      c.value = input.trim().toUpperCase() === 'TRUE';
      c.formula = '';
    } else {
      const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(input.trim());
      c.value = m ? zonedMidnight(Number(m[3]), Number(m[2]), Number(m[1]), this.parent.timeZone) : input;
      c.formula = '';
    }
  }

  private hasContent(c: Cell | undefined) {
    return !!c && (c.value !== '' || c.formula !== '');
  }

  getName() {
    return this.name;
  }
  setName(n: string) {
    this.name = n;
    return this;
  }
  getSheetId() {
    return this.id;
  }
  getParent() {
    return this.parent;
  }
  getMaxRows() {
    return this.maxRows;
  }
  getMaxColumns() {
    return this.maxColumns;
  }
  getLastRow() {
    for (let r = this.cells.length; r >= 1; r--) if (this.cells[r - 1].some((c) => this.hasContent(c))) return r;
    return 0;
  }
  getLastColumn() {
    let last = 0;
    for (const line of this.cells) for (let c = line.length; c > last; c--) if (this.hasContent(line[c - 1])) last = c;
    return last;
  }
  getDataRange() {
    return new FakeRange(this, 1, 1, Math.max(1, this.getLastRow()), Math.max(1, this.getLastColumn()));
  }
  getRange(a: string | number, column?: number, numRows?: number, numColumns?: number): FakeRange {
    if (typeof a === 'string') {
      const ref = a.includes('!') ? a.slice(a.lastIndexOf('!') + 1) : a;
      // Whole rows in A1 notation ("5:5", "5:7"): every column of the sheet.
      const rows = /^\$?(\d+):\$?(\d+)$/.exec(ref.trim());
      if (rows) {
        const [r1, r2] = [Number(rows[1]), Number(rows[2])].sort((x, y) => x - y);
        if (r1 < 1) throw new AppsScriptError('Range not found');
        return new FakeRange(this, r1, 1, r2 - r1 + 1, this.getMaxColumns(), true);
      }
      const r = parseRangeA1(ref);
      return new FakeRange(this, r.r1, r.c1, r.r2 - r.r1 + 1, r.c2 - r.c1 + 1);
    }
    const nr = numRows ?? 1;
    const nc = numColumns ?? 1;
    if (!Number.isInteger(a) || a < 1) throw new AppsScriptError('The starting row of the range is too small.');
    if (!Number.isInteger(column) || column! < 1)
      throw new AppsScriptError('The starting column of the range is too small.');
    if (!Number.isInteger(nr) || nr < 1)
      throw new AppsScriptError('The number of rows in the range must be at least 1.');
    if (!Number.isInteger(nc) || nc < 1)
      throw new AppsScriptError('The number of columns in the range must be at least 1.');
    return new FakeRange(this, a, column!, nr, nc);
  }
  getRangeList(a1s: string[]) {
    const ranges = a1s.map((x) => this.getRange(x));
    return { getRanges: () => ranges.slice() };
  }
  /** Inserts an empty row; the rows below, with their row metadata, move down one. */
  insertRowBefore(row: number) {
    if (row >= 1 && row <= this.cells.length) this.cells.splice(row - 1, 0, []);
    for (const m of this.developerMetadata) if (m.row >= row) m.row++;
    this.maxRows++;
    return this;
  }
  hideColumns(column: number, numColumns = 1) {
    for (let i = 0; i < numColumns; i++) this.hiddenColumns.add(column + i);
  }
  isColumnHiddenByUser(column: number) {
    return this.hiddenColumns.has(column);
  }
  getDeveloperMetadata() {
    return [...this.developerMetadata];
  }
  createDeveloperMetadataFinder() {
    return new FakeDeveloperMetadataFinder(() => this.developerMetadata);
  }
  getConditionalFormatRules() {
    return this.rules.map((r) => r.copyRule());
  }
  setConditionalFormatRules(rules: FakeConditionalFormatRule[]) {
    for (const r of rules)
      if (!(r instanceof FakeConditionalFormatRule)) throw new AppsScriptError('Invalid argument: rules');
    this.rules = rules.map((r) => r.copyRule());
    this.parent.log.setConditionalFormatRules.push({ sheet: this.name, count: rules.length });
  }
  activate() {
    this.parent.active = this;
    return this;
  }
  hideSheet() {
    if (this.parent.sheets.filter((s) => !s.hidden && s !== this).length === 0)
      throw new AppsScriptError("You can't hide all the sheets in a document.");
    this.hidden = true;
    return this;
  }
  showSheet() {
    this.hidden = false;
    return this;
  }
  isSheetHidden() {
    return this.hidden;
  }
  clearContents() {
    for (const line of this.cells)
      for (const c of line) {
        c.value = '';
        c.formula = '';
      }
    return this;
  }
  /** Test helper: merges a range as Format › Merge cells does (only the top-left keeps its value). */
  merge(a: string) {
    const r = parseRangeA1(a);
    this.merges.push(r);
    for (let i = r.r1; i <= r.r2; i++)
      for (let j = r.c1; j <= r.c2; j++) if (i !== r.r1 || j !== r.c1) this.typeInto(i, j, '');
  }
  /** Test helper: the values as a plain 2-D array of strings as shown (dates as dd/MM/yyyy). */
  texts(): string[][] {
    const rows = this.getLastRow();
    const cols = this.getLastColumn();
    return Array.from({ length: rows }, (_, i) =>
      Array.from({ length: cols }, (_, j) => {
        const v = this.peek(i + 1, j + 1)?.value ?? '';
        return isDate(v) ? formatDate(v, this.parent.timeZone, 'dd/MM/yyyy') : String(v);
      }),
    );
  }
}

export class FakeRange {
  constructor(
    readonly sheet: FakeSheet,
    readonly row: number,
    readonly column: number,
    readonly numRows: number,
    readonly numColumns: number,
    /** Made from whole-row A1 notation ("5:5"): the one shape row metadata is added to here. */
    readonly wholeRows = false,
  ) {}

  private each<T>(f: (c: Cell | undefined, r: number, col: number) => T): T[][] {
    return Array.from({ length: this.numRows }, (_, i) =>
      Array.from({ length: this.numColumns }, (_, j) =>
        f(this.sheet.peek(this.row + i, this.column + j), this.row + i, this.column + j),
      ),
    );
  }
  private checkDims(data: unknown, what: string) {
    if (!Array.isArray(data) || data.some((line) => !Array.isArray(line)))
      throw new AppsScriptError(
        `The parameters (${typeof data}) don't match the method signature for SpreadsheetApp.Range.${what}.`,
      );
    const rows = data as unknown[][];
    if (rows.length !== this.numRows)
      throw new AppsScriptError(
        `The number of rows in the data does not match the number of rows in the range. The data has ${rows.length} but the range has ${this.numRows}.`,
      );
    for (const line of rows)
      if (line.length !== this.numColumns)
        throw new AppsScriptError(
          `The number of columns in the data does not match the number of columns in the range. The data has ${line.length} but the range has ${this.numColumns}.`,
        );
  }

  getSheet() {
    return this.sheet;
  }
  getRow() {
    return this.row;
  }
  getColumn() {
    return this.column;
  }
  getNumRows() {
    return this.numRows;
  }
  getNumColumns() {
    return this.numColumns;
  }
  getLastRow() {
    return this.row + this.numRows - 1;
  }
  getLastColumn() {
    return this.column + this.numColumns - 1;
  }
  getA1Notation() {
    const tl = a1(this.row, this.column);
    return this.numRows === 1 && this.numColumns === 1 ? tl : `${tl}:${a1(this.getLastRow(), this.getLastColumn())}`;
  }
  getValues(): Value[][] {
    this.sheet.parent.log.getValues++;
    return this.each((c) => (c ? (isDate(c.value) ? new Date(c.value.getTime()) : c.value) : ''));
  }
  getValue(): Value {
    return this.getValues()[0][0];
  }
  getDisplayValues(): string[][] {
    const tz = this.sheet.parent.timeZone;
    return this.each((c) =>
      !c
        ? ''
        : isDate(c.value)
          ? formatDate(c.value, tz, 'dd/MM/yyyy')
          : typeof c.value === 'boolean'
            ? c.value
              ? 'TRUE'
              : 'FALSE'
            : String(c.value),
    );
  }
  getFormulas(): string[][] {
    return this.each((c) => c?.formula ?? '');
  }
  getNotes(): string[][] {
    return this.each((c) => c?.note ?? '');
  }
  getNote(): string {
    return this.getNotes()[0][0];
  }
  setValues(values: Value[][]) {
    this.checkDims(values, 'setValues');
    values.forEach((line, i) => line.forEach((v, j) => this.sheet.typeInto(this.row + i, this.column + j, v)));
    this.sheet.parent.log.setValues.push({
      sheet: this.sheet.name,
      a1: this.getA1Notation(),
      rows: this.numRows,
      columns: this.numColumns,
    });
    return this;
  }
  setValue(v: Value) {
    return this.setValues(Array.from({ length: this.numRows }, () => Array.from({ length: this.numColumns }, () => v)));
  }
  setNotes(notes: (string | null)[][]) {
    this.checkDims(notes, 'setNotes');
    notes.forEach((line, i) => line.forEach((n, j) => (this.sheet.cell(this.row + i, this.column + j).note = n ?? '')));
    this.sheet.parent.log.setNotes.push({ sheet: this.sheet.name, a1: this.getA1Notation() });
    return this;
  }
  setNote(n: string | null) {
    return this.setNotes([[n]]);
  }
  /**
   * Apps Script supports metadata on whole rows or columns only. A cell range as wide as the sheet is not a row
   * to the Sheets API (it stops being one when a column is added), so only A1 rows ("5:5") are accepted here.
   */
  addDeveloperMetadata(key: string, value?: string) {
    if (!this.wholeRows || this.numRows !== 1)
      throw new AppsScriptError(
        'Adding developer metadata to arbitrary ranges is not currently supported. Developer metadata may only be added to top-level spreadsheets, sheets, and entire rows or columns.',
      );
    this.sheet.developerMetadata.push(new FakeDeveloperMetadata(this.sheet, key, value ?? null, this.row));
    return this;
  }
  getDeveloperMetadata() {
    return this.sheet.developerMetadata.filter((m) => m.row >= this.row && m.row < this.row + this.numRows);
  }
  getMergedRanges(): FakeRange[] {
    return this.sheet.merges
      .filter(
        (m) => m.r1 <= this.getLastRow() && m.r2 >= this.row && m.c1 <= this.getLastColumn() && m.c2 >= this.column,
      )
      .map((m) => new FakeRange(this.sheet, m.r1, m.c1, m.r2 - m.r1 + 1, m.c2 - m.c1 + 1));
  }
  activate() {
    this.sheet.parent.active = this.sheet;
    this.sheet.parent.activeRange = this;
    return this;
  }
  setDataValidation(rule: FakeDataValidation | null) {
    this.each((_c, r, col) => (this.sheet.cell(r, col).validation = rule));
    this.sheet.parent.log.setDataValidation.push({ sheet: this.sheet.name, a1: this.getA1Notation() });
    return this;
  }
  getDataValidations() {
    return this.each((c) => c?.validation ?? null);
  }
  getDataValidation() {
    return this.getDataValidations()[0][0];
  }
}

// ---------------------------------------------------------------------------------------------
// Conditional formats and data validation.
// ---------------------------------------------------------------------------------------------

/** LockService's Lock: one holder at a time (runs in one process here, so "another run" is a test holding it). */
export class FakeLock {
  private held = false;
  tryLock(_timeoutMs: number) {
    if (this.held) return false;
    this.held = true;
    return true;
  }
  waitLock(timeoutMs: number) {
    if (!this.tryLock(timeoutMs))
      throw new AppsScriptError('Lock timeout: another process was holding the lock for too long.');
  }
  hasLock() {
    return this.held;
  }
  releaseLock() {
    this.held = false;
  }
}

let metadataIds = 1;

export class FakeDeveloperMetadata {
  readonly id = metadataIds++;
  constructor(
    readonly sheet: FakeSheet,
    private key: string,
    private value: string | null,
    public row: number,
  ) {}
  getId() {
    return this.id;
  }
  getKey() {
    return this.key;
  }
  getValue() {
    return this.value;
  }
  setValue(v: string) {
    this.value = v;
    return this;
  }
  getLocation() {
    const row = this.row;
    const sheet = this.sheet;
    return {
      getLocationType: () => 'ROW',
      getRow: () => sheet.getRange(row, 1, 1, sheet.getMaxColumns()),
      getSheet: () => sheet,
    };
  }
  remove() {
    const list = this.sheet.developerMetadata;
    const i = list.indexOf(this);
    if (i >= 0) list.splice(i, 1);
  }
}

export class FakeDeveloperMetadataFinder {
  private key?: string;
  private value?: string;
  constructor(private readonly source: () => FakeDeveloperMetadata[]) {}
  withKey(k: string) {
    this.key = k;
    return this;
  }
  withValue(v: string) {
    this.value = v;
    return this;
  }
  find() {
    return this.source().filter(
      (m) =>
        (this.key === undefined || m.getKey() === this.key) &&
        (this.value === undefined || m.getValue() === this.value),
    );
  }
}

export const BooleanCriteria = {
  CUSTOM_FORMULA: 'CUSTOM_FORMULA',
  TEXT_CONTAINS: 'TEXT_CONTAINS',
  NUMBER_GREATER_THAN: 'NUMBER_GREATER_THAN',
} as const;

export class FakeConditionalFormatRule {
  constructor(
    readonly criteria: string,
    readonly values: unknown[],
    readonly background: string | null,
    readonly ranges: FakeRange[],
  ) {}
  getBooleanCondition() {
    const { criteria, values, background } = this;
    return {
      getCriteriaType: () => criteria,
      getCriteriaValues: () => values.slice(),
      getBackground: () => background,
    };
  }
  getGradientCondition() {
    return null;
  }
  getRanges() {
    return this.ranges.slice();
  }
  copyRule() {
    return new FakeConditionalFormatRule(this.criteria, this.values.slice(), this.background, this.ranges.slice());
  }
  copy() {
    const b = new FakeConditionalFormatRuleBuilder();
    Object.assign(b, {
      criteria: this.criteria,
      values: this.values.slice(),
      background: this.background,
      ranges: this.ranges.slice(),
    });
    return b;
  }
}

export class FakeConditionalFormatRuleBuilder {
  private criteria: string | null = null;
  private values: unknown[] = [];
  private background: string | null = null;
  private ranges: FakeRange[] = [];
  whenFormulaSatisfied(formula: string) {
    if (!formula.startsWith('=')) throw new AppsScriptError('Invalid argument: formula');
    this.criteria = BooleanCriteria.CUSTOM_FORMULA;
    this.values = [formula];
    return this;
  }
  whenTextContains(text: string) {
    this.criteria = BooleanCriteria.TEXT_CONTAINS;
    this.values = [text];
    return this;
  }
  setBackground(color: string) {
    this.background = color;
    return this;
  }
  setRanges(ranges: FakeRange[]) {
    this.ranges = ranges.slice();
    return this;
  }
  build() {
    if (!this.criteria) throw new AppsScriptError('Conditional format rule must have a condition.');
    if (!this.ranges.length) throw new AppsScriptError('Conditional format rule must have at least one range.');
    return new FakeConditionalFormatRule(this.criteria, this.values, this.background, this.ranges);
  }
}

export const DataValidationCriteria = { VALUE_IN_RANGE: 'VALUE_IN_RANGE', VALUE_IN_LIST: 'VALUE_IN_LIST' } as const;

export class FakeDataValidation {
  constructor(
    readonly criteria: string,
    readonly values: unknown[],
    readonly allowInvalid: boolean,
    readonly helpText: string,
  ) {}
  getCriteriaType() {
    return this.criteria;
  }
  getCriteriaValues() {
    return this.values.slice();
  }
  getAllowInvalid() {
    return this.allowInvalid;
  }
  getHelpText() {
    return this.helpText;
  }
}

export class FakeDataValidationBuilder {
  private criteria: string | null = null;
  private values: unknown[] = [];
  private allowInvalid = true;
  private helpText = '';
  requireValueInRange(range: FakeRange, showDropdown = true) {
    if (!(range instanceof FakeRange)) throw new AppsScriptError('Invalid argument: range');
    this.criteria = DataValidationCriteria.VALUE_IN_RANGE;
    this.values = [range, showDropdown];
    return this;
  }
  requireValueInList(values: string[], showDropdown = true) {
    if (values.join(',').length > 256 * 1024) throw new AppsScriptError('List too long.');
    this.criteria = DataValidationCriteria.VALUE_IN_LIST;
    this.values = [values.slice(), showDropdown];
    return this;
  }
  setAllowInvalid(allow: boolean) {
    this.allowInvalid = allow;
    return this;
  }
  setHelpText(text: string) {
    this.helpText = text;
    return this;
  }
  build() {
    if (!this.criteria) throw new AppsScriptError('Data validation rule must have a criteria.');
    return new FakeDataValidation(this.criteria, this.values, this.allowInvalid, this.helpText);
  }
}

// ---------------------------------------------------------------------------------------------
// Ui, HtmlService, PropertiesService, CacheService, UrlFetchApp.
// ---------------------------------------------------------------------------------------------

export interface MenuRecord {
  title: string;
  items: ({ caption: string; fn: string } | 'separator')[];
}

export class FakeUi {
  menus: MenuRecord[] = [];
  sidebars: { title: string; html: string }[] = [];
  alerts: string[] = [];
  ButtonSet = { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO' };
  Button = { OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO', CLOSE: 'CLOSE' };
  private menu(title: string) {
    const rec: MenuRecord = { title, items: [] };
    const m = {
      addItem: (caption: string, fn: string) => {
        rec.items.push({ caption, fn });
        return m;
      },
      addSeparator: () => {
        rec.items.push('separator');
        return m;
      },
      addToUi: () => {
        this.menus.push(rec);
      },
    };
    return m;
  }
  createMenu(title: string) {
    return this.menu(title);
  }
  createAddonMenu() {
    return this.menu('(add-on)');
  }
  showSidebar(out: { getContent(): string; getTitle(): string }) {
    this.sidebars.push({ title: out.getTitle(), html: out.getContent() });
  }
  alert(message: string) {
    this.alerts.push(message);
    return 'OK';
  }
}

export class FakeProperties {
  private map = new Map<string, string>();
  getProperty(k: string) {
    return this.map.has(k) ? this.map.get(k)! : null;
  }
  setProperty(k: string, v: unknown) {
    // Values are stored as strings, and the whole store is capped at 500 kB.
    this.map.set(k, String(v));
    return this;
  }
  deleteProperty(k: string) {
    this.map.delete(k);
    return this;
  }
  getProperties() {
    return Object.fromEntries(this.map);
  }
  getKeys() {
    return [...this.map.keys()];
  }
}

export class FakeCache {
  private map = new Map<string, { value: string; until: number }>();
  constructor(private now: () => number = Date.now) {}
  get(k: string) {
    const e = this.map.get(k);
    if (!e || e.until < this.now()) return null;
    return e.value;
  }
  put(k: string, v: string, ttl = 600) {
    if (typeof v !== 'string') throw new AppsScriptError('Cache values must be strings.');
    if (v.length > 100 * 1024) throw new AppsScriptError('Argument too large: value');
    this.map.set(k, { value: v, until: this.now() + Math.min(ttl, 21600) * 1000 });
  }
  remove(k: string) {
    this.map.delete(k);
  }
}

export interface FetchResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
}
export type SyncFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => FetchResponse;

export interface FakeEnvironment {
  spreadsheet: FakeSpreadsheet;
  ui: FakeUi;
  userProperties: FakeProperties;
  documentProperties: FakeProperties;
  documentCache: FakeCache;
  documentLock: FakeLock;
  /** The globals to put into the script's context. */
  globals: Record<string, unknown>;
  /** Whether the trigger being run is a simple trigger (no authorised services). */
  setSimpleTrigger(on: boolean): void;
}

/** Builds the services around one spreadsheet. `fetch` backs UrlFetchApp (synchronous). */
export function fakeEnvironment(spreadsheet: FakeSpreadsheet, fetch?: SyncFetch): FakeEnvironment {
  const ui = new FakeUi();
  const userProperties = new FakeProperties();
  const documentProperties = new FakeProperties();
  const documentCache = new FakeCache();
  let simple = false;
  const needsAuth = (what: string) => {
    if (simple)
      throw new AppsScriptError(
        `You do not have permission to call ${what}. Required permissions: https://www.googleapis.com/auth/script.external_request`,
      );
  };
  const SpreadsheetApp = {
    getActiveSpreadsheet: () => spreadsheet,
    getActive: () => spreadsheet,
    getActiveSheet: () => spreadsheet.getActiveSheet(),
    getUi: () => {
      if (simple) throw new AppsScriptError('Cannot call SpreadsheetApp.getUi() from this context.');
      return ui;
    },
    newConditionalFormatRule: () => new FakeConditionalFormatRuleBuilder(),
    newDataValidation: () => new FakeDataValidationBuilder(),
    flush: () => undefined,
    BooleanCriteria,
    DataValidationCriteria,
  };
  const HtmlService = {
    createHtmlOutput: (html = '') => {
      let title = '';
      const out = {
        setTitle: (t: string) => ((title = t), out),
        getTitle: () => title,
        getContent: () => html,
        setWidth: () => out,
      };
      return out;
    },
  };
  const PropertiesService = {
    getUserProperties: () => {
      // Simple triggers run without the user's identity.
      if (simple)
        throw new AppsScriptError('You do not have permission to access user properties from a simple trigger.');
      return userProperties;
    },
    getDocumentProperties: () => documentProperties,
    getScriptProperties: () => new FakeProperties(),
  };
  const CacheService = {
    getDocumentCache: () => documentCache,
    getUserCache: () => new FakeCache(),
    getScriptCache: () => new FakeCache(),
  };
  const Utilities = { formatDate };
  // One lock per document, as LockService.getDocumentLock gives: tryLock(0) fails while another run holds it.
  const documentLock = new FakeLock();
  const LockService = {
    getDocumentLock: () => documentLock,
    getScriptLock: () => new FakeLock(),
    getUserLock: () => new FakeLock(),
  };
  const UrlFetchApp = {
    fetch(
      url: string,
      params: {
        method?: string;
        headers?: Record<string, string>;
        contentType?: string;
        payload?: string;
        muteHttpExceptions?: boolean;
      } = {},
    ) {
      needsAuth('UrlFetchApp.fetch');
      if (!fetch) throw new AppsScriptError(`Address unavailable: ${url}`);
      const method = (params.method ?? 'get').toUpperCase();
      const headers: Record<string, string> = { ...(params.headers ?? {}) };
      if (params.contentType) headers['Content-Type'] = params.contentType;
      spreadsheet.log.fetch.push({ url, method });
      const res = fetch(url, { method, headers, ...(params.payload !== undefined ? { body: params.payload } : {}) });
      if (res.status >= 400 && !params.muteHttpExceptions)
        throw new AppsScriptError(
          `Request failed for ${url} returned code ${res.status}. Truncated server response: ${res.body.slice(0, 200)}`,
        );
      return {
        getResponseCode: () => res.status,
        getContentText: () => res.body,
        getHeaders: () => res.headers ?? {},
      };
    },
  };
  const globals: Record<string, unknown> = {
    SpreadsheetApp,
    HtmlService,
    PropertiesService,
    CacheService,
    LockService,
    Utilities,
    UrlFetchApp,
    Logger: { log: () => undefined },
    console: { log: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  };
  return {
    spreadsheet,
    ui,
    userProperties,
    documentProperties,
    documentCache,
    documentLock,
    globals,
    setSimpleTrigger: (on) => {
      simple = on;
    },
  };
}
