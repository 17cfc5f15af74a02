// An in-memory fake of the part of the Excel JavaScript API (and the Office namespace) the add-in uses.
// Faithful where it matters for correctness: commands are queued on proxy objects and run only on
// context.sync(); properties are readable only after load() + sync() (otherwise PropertyNotLoaded is
// thrown, as Office does); *OrNullObject returns null objects; events fire after the sync that caused
// them, carry the documented args and honour runtime.enableEvents. Microsoft 365 cannot be reached from
// tests, so this is the API boundary the adapter is tested against. Runs in Node and in the browser.
//
// Host limits are modelled so code that passes here does not break on a real host:
// - a requirement-set level (ExcelApi 1.8 = Excel 2019 … 1.18+ = current Microsoft 365): APIs above it
//   fail at sync with ApiNotFound, and change events carry triggerSource only from 1.14;
// - getMergedAreasOrNullObject fails when the range holds more than 512 merged areas;
// - a request or a response above 5 MB fails (Excel on the web; the strictest host sets the rule);
// - events are suppressed only when enableEvents is false when the batch completes: whether turning it
//   off and on again inside one batch hides the batch's own events is not documented, so it does not.
// Simplification: a response over the limit fails the sync after its queued writes ran (real Excel
// applies nothing); the add-in never mixes large reads with writes in one batch.
import { columnIndex, columnLetter } from '../../engine/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export type CellValue = string | number | boolean;

export interface FakeCell {
  value: CellValue;
  /** Formula without evaluation; `value` holds the cached result. */
  formula?: string;
}

export interface Rect {
  r1: number; // 0-based
  c1: number;
  r2: number; // inclusive
  c2: number;
}

export interface FakeFormat {
  fill?: string;
  bold?: boolean;
  italic?: boolean;
  fontName?: string;
  fontSize?: number;
  fontColor?: string;
  wrapText?: boolean;
  horizontalAlignment?: string;
  verticalAlignment?: string;
}

export interface FakeConditionalFormat {
  id: string;
  type: string;
  ranges: Rect[];
  formula?: string;
  fill?: string;
  fontColor?: string;
}

export interface FakeValidation {
  rect: Rect;
  rule: any;
  errorAlert?: any;
}

export interface FakeSheet {
  id: string;
  name: string;
  cells: Map<string, FakeCell>;
  formats: Map<string, FakeFormat>;
  merges: Rect[];
  conditionalFormats: FakeConditionalFormat[];
  validations: FakeValidation[];
  notes: Map<string, { content: string }>;
  columnWidths: Map<number, number>;
  frozenRows: number;
  visibility: 'Visible' | 'Hidden' | 'VeryHidden';
  /** 0-based indices of hidden columns. */
  hiddenColumns: Set<number>;
}

export interface FakeChangeEvent {
  address: string;
  changeType: string;
  source: 'Local' | 'Remote';
  type: 'WorksheetChanged';
  worksheetId: string;
  /** ExcelApi 1.14 and later only. */
  triggerSource?: 'Unknown' | 'ThisLocalAddin';
}

export interface FakeHostOptions {
  /** ExcelApi level of the simulated host, e.g. '1.8' (Excel 2019), '1.13', '1.18'. Default '1.18'. */
  excelApi?: string;
  /** Requirement sets reported as supported (name → highest minor version, e.g. ExcelApi → 1.18). */
  requirements?: Record<string, number>;
  /** What Office.onReady reports; null host = opened outside Office. */
  host?: 'Excel' | null;
}

// ---------------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------------

/** Excel on the web: a request or response of one sync may not exceed 5 MB. */
export const PAYLOAD_LIMIT_BYTES = 5 * 1024 * 1024;
/** Range.getMergedAreasOrNullObject fails above this many merged areas. */
export const MERGED_AREAS_LIMIT = 512;

const utf8 = new TextEncoder();
/** Size of a value as it would travel in the JSON of a batch. */
export function payloadBytes(v: unknown): number {
  return v === undefined ? 0 : utf8.encode(JSON.stringify(v)).length;
}

function parseLevel(v: string | number): [number, number] {
  const [a, b] = String(v).split('.').map(Number);
  return [a, b ?? 0];
}

const MAX_ROWS = 1048576;
const MAX_COLS = 16384;

// The fake counts columns from 0, the engine's A1 helpers from 1.
const colLetters = (c0: number): string => columnLetter(c0 + 1);
const colIndex0 = (letters: string): number => columnIndex(letters) - 1;

export function rectToA1(r: Rect): string {
  const tl = `${colLetters(r.c1)}${r.r1 + 1}`;
  if (r.r1 === r.r2 && r.c1 === r.c2) return tl;
  return `${tl}:${colLetters(r.c2)}${r.r2 + 1}`;
}

function quoteSheet(name: string): string {
  return /^[A-Za-z0-9_]+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** Parses "B5", "A1:C3", "$A$1", "5:7" (whole rows), "B:C" (whole columns), with optional sheet prefix. */
export function parseAddress(address: string): { sheet?: string; rect: Rect } {
  let a = address.trim();
  let sheet: string | undefined;
  const bang = a.lastIndexOf('!');
  if (bang >= 0) {
    sheet = a.slice(0, bang);
    if (sheet.startsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
    a = a.slice(bang + 1);
  }
  a = a.replace(/\$/g, '');
  const rows = /^(\d+):(\d+)$/.exec(a);
  if (rows) return { sheet, rect: { r1: +rows[1] - 1, r2: +rows[2] - 1, c1: 0, c2: MAX_COLS - 1 } };
  const cols = /^([A-Za-z]{1,3}):([A-Za-z]{1,3})$/.exec(a);
  if (cols) return { sheet, rect: { r1: 0, r2: MAX_ROWS - 1, c1: colIndex0(cols[1]), c2: colIndex0(cols[2]) } };
  const m = /^([A-Za-z]{1,3})(\d+)(?::([A-Za-z]{1,3})(\d+))?$/.exec(a);
  if (!m)
    throw officeError(
      'InvalidArgument',
      `The argument is invalid or missing or has an incorrect format. (address "${address}")`,
    );
  const r1 = +m[2] - 1;
  const c1 = colIndex0(m[1]);
  const r2 = m[3] ? +m[4] - 1 : r1;
  const c2 = m[3] ? colIndex0(m[3]) : c1;
  return { sheet, rect: { r1: Math.min(r1, r2), r2: Math.max(r1, r2), c1: Math.min(c1, c2), c2: Math.max(c1, c2) } };
}

const key = (r: number, c: number) => `${r},${c}`;
const intersects = (a: Rect, b: Rect) => a.r1 <= b.r2 && b.r1 <= a.r2 && a.c1 <= b.c2 && b.c1 <= a.c2;

// ---------------------------------------------------------------------------------------------
// Errors, shaped like OfficeExtension.Error
// ---------------------------------------------------------------------------------------------

export class FakeOfficeError extends Error {
  readonly name = 'RichApi.Error';
  readonly debugInfo: { code: string; message: string };
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.debugInfo = { code, message };
  }
}

function officeError(code: string, message: string): FakeOfficeError {
  return new FakeOfficeError(code, message);
}

function notLoaded(prop: string): FakeOfficeError {
  return officeError(
    'PropertyNotLoaded',
    `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
  );
}

// ---------------------------------------------------------------------------------------------
// The host: workbook state + user simulation
// ---------------------------------------------------------------------------------------------

type Handler = (args: any) => unknown;

export class FakeExcelHost {
  sheets: FakeSheet[] = [];
  activeSheetId = '';
  selection: { sheetId: string; rect: Rect } = { sheetId: '', rect: { r1: 0, c1: 0, r2: 0, c2: 0 } };
  settings = new Map<string, unknown>();
  /** Settings as last saved with saveAsync (what a reopened document would see). */
  savedSettings = new Map<string, unknown>();
  eventsEnabled = true;
  /** Change events raised by the sync being run: delivered when it ends, if events are on then. */
  raisedInSync: { sheet: FakeSheet; args: FakeChangeEvent }[] | undefined;
  readonly apiLevel: [number, number];
  syncCount = 0;
  runCount = 0;
  /** Per sync: how many cells the add-in wrote in it (one sync = one undo step in Excel). */
  syncLog: { cellsWritten: number }[] = [];
  cellsWritten = 0;
  /** Every event dispatched, for assertions. */
  eventLog: FakeChangeEvent[] = [];
  readonly handlers = {
    changed: [] as { sheetId?: string; fn: Handler }[],
    selection: [] as { sheetId?: string; fn: Handler }[],
    activated: [] as { fn: Handler }[],
  };
  private nextId = 1;
  private pendingDispatch: Promise<void>[] = [];
  readonly Excel: any;
  readonly Office: any;
  readonly OfficeExtension: any;

  constructor(readonly options: FakeHostOptions = {}) {
    this.apiLevel = parseLevel(options.excelApi ?? options.requirements?.ExcelApi ?? '1.18');
    this.Excel = makeExcelNamespace(this);
    this.Office = makeOfficeNamespace(this);
    this.OfficeExtension = { Error: FakeOfficeError };
  }

  /** Whether the simulated host has ExcelApi `version`. */
  hasApi(version: string): boolean {
    const [wm, wn] = parseLevel(version);
    const [hm, hn] = this.apiLevel;
    return hm > wm || (hm === wm && hn >= wn);
  }

  /** What Office answers when a batch uses an API the host does not have. */
  requireApi(version: string, what: string): void {
    if (!this.hasApi(version)) {
      throw officeError(
        'ApiNotFound',
        `The API you are trying to use could not be found (${what}, ExcelApi ${version}; this host has ${this.apiLevel.join('.')}).`,
      );
    }
  }

  newId(prefix: string): string {
    return `{${prefix}-${String(this.nextId++).padStart(8, '0')}}`;
  }

  // --- workbook setup (what the file contains) ---------------------------------------------

  addSheet(name: string, rows: CellValue[][] = [], at?: { row: number; column: number }): FakeSheet {
    if (this.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase())) {
      throw officeError('ItemAlreadyExists', `A worksheet named "${name}" already exists.`);
    }
    const sheet: FakeSheet = {
      id: this.newId('sheet'),
      name,
      cells: new Map(),
      formats: new Map(),
      merges: [],
      conditionalFormats: [],
      validations: [],
      notes: new Map(),
      columnWidths: new Map(),
      frozenRows: 0,
      visibility: 'Visible',
      hiddenColumns: new Set(),
    };
    this.sheets.push(sheet);
    if (!this.activeSheetId) {
      this.activeSheetId = sheet.id;
      this.selection = { sheetId: sheet.id, rect: { r1: 0, c1: 0, r2: 0, c2: 0 } };
    }
    const r0 = (at?.row ?? 1) - 1;
    const c0 = (at?.column ?? 1) - 1;
    rows.forEach((row, r) => row.forEach((v, c) => this.putCell(sheet, r0 + r, c0 + c, v)));
    return sheet;
  }

  sheet(name: string): FakeSheet {
    const s = this.sheets.find((x) => x.name === name);
    if (!s) throw new Error(`fake: no sheet ${name}`);
    return s;
  }

  sheetById(id: string): FakeSheet {
    const s = this.sheets.find((x) => x.id === id);
    if (!s) throw officeError('ItemNotFound', 'The requested resource does not exist.');
    return s;
  }

  activeSheet(): FakeSheet {
    return this.sheetById(this.activeSheetId);
  }

  /** Stores a value the way Excel does when one is typed or written through Range.values. */
  putCell(sheet: FakeSheet, r: number, c: number, v: CellValue | null | undefined, formulaResult?: CellValue): void {
    const k = key(r, c);
    if (v === '' || v === null || v === undefined) {
      sheet.cells.delete(k);
      return;
    }
    if (typeof v === 'string' && v.startsWith("'")) {
      // A leading apostrophe stores the rest as text, exactly as typed.
      sheet.cells.set(k, { value: v.slice(1) });
      return;
    }
    if (typeof v === 'string' && v.startsWith('=') && v.length > 1) {
      sheet.cells.set(k, { value: formulaResult ?? '', formula: v });
      return;
    }
    if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) {
      sheet.cells.set(k, { value: Number(v) });
      return;
    }
    if (typeof v === 'string' && /^(true|false)$/i.test(v)) {
      sheet.cells.set(k, { value: v.toLowerCase() === 'true' });
      return;
    }
    sheet.cells.set(k, { value: v });
  }

  cell(sheetName: string, address: string): FakeCell | undefined {
    const { rect } = parseAddress(address);
    return this.sheet(sheetName).cells.get(key(rect.r1, rect.c1));
  }

  /** Displayed text of a cell. */
  text(sheetName: string, address: string): string {
    const c = this.cell(sheetName, address);
    return c ? displayText(c.value) : '';
  }

  merge(sheetName: string, address: string): void {
    this.sheet(sheetName).merges.push(parseAddress(address).rect);
  }

  usedRect(sheet: FakeSheet, valuesOnly = false): Rect | null {
    let r1 = Infinity;
    let c1 = Infinity;
    let r2 = -1;
    let c2 = -1;
    const visit = (k: string) => {
      const [r, c] = k.split(',').map(Number);
      r1 = Math.min(r1, r);
      c1 = Math.min(c1, c);
      r2 = Math.max(r2, r);
      c2 = Math.max(c2, c);
    };
    for (const k of sheet.cells.keys()) visit(k);
    if (!valuesOnly) for (const [k, f] of sheet.formats) if (Object.keys(f).length) visit(k);
    return r2 < 0 ? null : { r1, c1, r2, c2 };
  }

  // --- the officer's actions (not Office APIs): they fire events like Excel does -----------

  /** The officer types or pastes values starting at `address`. */
  userEdit(sheetName: string, address: string, values: CellValue[][] | CellValue): void {
    const sheet = this.sheet(sheetName);
    const { rect } = parseAddress(address);
    const grid = Array.isArray(values) ? values : [[values]];
    grid.forEach((row, r) => row.forEach((v, c) => this.putCell(sheet, rect.r1 + r, rect.c1 + c, v)));
    const changed = {
      r1: rect.r1,
      c1: rect.c1,
      r2: rect.r1 + grid.length - 1,
      c2: rect.c1 + Math.max(...grid.map((r) => r.length)) - 1,
    };
    this.emitChanged(sheet, changed, 'RangeEdited', 'Unknown');
  }

  /** The officer inserts `count` empty rows before 1-based row `before`. */
  userInsertRows(sheetName: string, before: number, count = 1): void {
    const sheet = this.sheet(sheetName);
    this.shiftRows(sheet, before - 1, count);
    this.emitChanged(
      sheet,
      { r1: before - 1, r2: before - 2 + count, c1: 0, c2: MAX_COLS - 1 },
      'RowInserted',
      'Unknown',
    );
  }

  /** The officer deletes `count` rows starting at 1-based row `from`. */
  userDeleteRows(sheetName: string, from: number, count = 1): void {
    const sheet = this.sheet(sheetName);
    for (let r = from - 1; r < from - 1 + count; r++)
      for (const k of [...sheet.cells.keys()]) if (k.startsWith(`${r},`)) sheet.cells.delete(k);
    this.shiftRows(sheet, from - 1 + count, -count);
    this.emitChanged(sheet, { r1: from - 1, r2: from - 2 + count, c1: 0, c2: MAX_COLS - 1 }, 'RowDeleted', 'Unknown');
  }

  userSelect(sheetName: string, address: string): void {
    const sheet = this.sheet(sheetName);
    this.selection = { sheetId: sheet.id, rect: parseAddress(address).rect };
    this.activeSheetId = sheet.id;
    this.dispatchSelection();
  }

  userActivate(sheetName: string): void {
    const sheet = this.sheet(sheetName);
    this.activeSheetId = sheet.id;
    this.selection = { sheetId: sheet.id, rect: { r1: 0, c1: 0, r2: 0, c2: 0 } };
    const args = { type: 'WorksheetActivated', worksheetId: sheet.id };
    this.queueDispatch(this.handlers.activated.map((h) => () => h.fn(args)));
  }

  /** Range.insert(Down) over whole rows: `count` empty rows before 0-based row `at0` (no event: the caller raises it). */
  insertRowsAt(sheet: FakeSheet, at0: number, count: number): void {
    this.shiftRows(sheet, at0, count);
  }

  private shiftRows(sheet: FakeSheet, fromRow0: number, delta: number): void {
    const moved = new Map<string, FakeCell>();
    for (const [k, v] of sheet.cells) {
      const [r, c] = k.split(',').map(Number);
      moved.set(r >= fromRow0 ? key(r + delta, c) : k, v);
    }
    sheet.cells = moved;
    const movedF = new Map<string, FakeFormat>();
    for (const [k, v] of sheet.formats) {
      const [r, c] = k.split(',').map(Number);
      movedF.set(r >= fromRow0 ? key(r + delta, c) : k, v);
    }
    sheet.formats = movedF;
    const shift = (x: Rect) => (x.r1 >= fromRow0 ? { ...x, r1: x.r1 + delta, r2: x.r2 + delta } : x);
    sheet.merges = sheet.merges.map(shift);
    for (const cf of sheet.conditionalFormats) cf.ranges = cf.ranges.map(shift);
    for (const v of sheet.validations) v.rect = shift(v.rect);
    // Notes travel with their cells, as in Excel.
    const notes = new Map<string, { content: string }>();
    for (const [a, n] of sheet.notes) {
      const { rect } = parseAddress(a);
      notes.set(rect.r1 >= fromRow0 ? rectToA1({ ...rect, r1: rect.r1 + delta, r2: rect.r2 + delta }) : a, n);
    }
    sheet.notes = notes;
  }

  // --- events --------------------------------------------------------------------------------

  emitChanged(sheet: FakeSheet, rect: Rect, changeType: string, triggerSource: 'Unknown' | 'ThisLocalAddin'): void {
    const full = rect.c1 === 0 && rect.c2 === MAX_COLS - 1;
    const args: FakeChangeEvent = {
      address: full ? `${rect.r1 + 1}:${rect.r2 + 1}` : rectToA1(rect),
      changeType,
      source: 'Local',
      type: 'WorksheetChanged',
      worksheetId: sheet.id,
    };
    if (this.hasApi('1.14')) args.triggerSource = triggerSource;
    if (this.raisedInSync) this.raisedInSync.push({ sheet, args });
    else this.deliverChanged(sheet, args);
  }

  /** Delivers the events a sync raised, judged by enableEvents as the batch left it. */
  endSync(raised: { sheet: FakeSheet; args: FakeChangeEvent }[]): void {
    for (const { sheet, args } of raised) this.deliverChanged(sheet, args);
  }

  private deliverChanged(sheet: FakeSheet, args: FakeChangeEvent): void {
    if (!this.eventsEnabled) return;
    this.eventLog.push(args);
    const fns = this.handlers.changed
      .filter((h) => !h.sheetId || h.sheetId === sheet.id)
      .map((h) => () => h.fn({ ...args }));
    this.queueDispatch(fns);
  }

  dispatchSelection(): void {
    const sheet = this.sheetById(this.selection.sheetId);
    const args = { type: 'WorksheetSelectionChanged', address: rectToA1(this.selection.rect), worksheetId: sheet.id };
    this.queueDispatch(
      this.handlers.selection.filter((h) => !h.sheetId || h.sheetId === sheet.id).map((h) => () => h.fn(args)),
    );
  }

  private queueDispatch(fns: (() => unknown)[]): void {
    if (!fns.length) return;
    // Office delivers events asynchronously, after the operation that raised them completed.
    const p = new Promise<void>((resolve) =>
      setTimeout(async () => {
        for (const fn of fns) {
          try {
            await fn();
          } catch {
            /* a throwing handler does not break the host */
          }
        }
        resolve();
      }, 0),
    );
    this.pendingDispatch.push(p);
  }

  /** Resolves once every event raised so far has been delivered to its handlers. */
  async settle(): Promise<void> {
    while (this.pendingDispatch.length) {
      const batch = this.pendingDispatch.splice(0);
      await Promise.all(batch);
    }
  }

  /** Runs a batch like Excel.run does (also used by the namespace). */
  async run<T>(batch: (ctx: any) => Promise<T>): Promise<T> {
    this.runCount++;
    const ctx = new FakeRequestContext(this);
    const result = await batch(ctx);
    if (ctx.queue.length) await ctx.sync();
    return result;
  }
}

export function displayText(v: CellValue): string {
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return String(v);
}

// ---------------------------------------------------------------------------------------------
// Request context and proxy objects
// ---------------------------------------------------------------------------------------------

type Op = () => void;

class FakeRequestContext {
  queue: Op[] = [];
  /** Bytes the queued commands send (values/formulas written) and the loads of the running sync return. */
  requestBytes = 0;
  responseBytes = 0;
  readonly workbook: WorkbookProxy;
  readonly runtime: RuntimeProxy;
  readonly trackedObjects = { add() {}, remove() {} };
  constructor(readonly host: FakeExcelHost) {
    this.workbook = new WorkbookProxy(this);
    this.runtime = new RuntimeProxy(this);
  }

  async sync(): Promise<void> {
    this.host.syncCount++;
    const ops = this.queue.splice(0);
    const sent = this.requestBytes;
    this.requestBytes = 0;
    this.responseBytes = 0;
    // A round trip to Excel is asynchronous.
    await Promise.resolve();
    if (sent > PAYLOAD_LIMIT_BYTES) {
      this.host.syncLog.push({ cellsWritten: 0 });
      throw officeError(
        'RequestPayloadSizeLimitExceeded',
        `The request payload size has exceeded the limit (${sent} bytes).`,
      );
    }
    const before = this.host.cellsWritten;
    const raised: { sheet: FakeSheet; args: FakeChangeEvent }[] = [];
    this.host.raisedInSync = raised;
    try {
      for (const op of ops) op();
    } finally {
      this.host.raisedInSync = undefined;
      this.host.syncLog.push({ cellsWritten: this.host.cellsWritten - before });
    }
    if (this.responseBytes > PAYLOAD_LIMIT_BYTES) {
      throw officeError(
        'ResponsePayloadSizeLimitExceeded',
        `The response payload size has exceeded the limit (${this.responseBytes} bytes).`,
      );
    }
    this.host.endSync(raised);
  }
}

function parseLoad(arg: unknown): string[] {
  if (arg === undefined) return [];
  if (typeof arg === 'string')
    return arg
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(arg)) return arg.map(String);
  if (typeof arg === 'object' && arg && 'select' in (arg as any)) return parseLoad((arg as any).select);
  return [];
}

abstract class ClientObject {
  protected loaded = new Map<string, unknown>();
  protected nullState: boolean | undefined;
  constructor(readonly context: FakeRequestContext) {}

  protected get host(): FakeExcelHost {
    return this.context.host;
  }

  protected enqueue(op: Op): void {
    this.context.queue.push(op);
  }

  protected prop(name: string): any {
    if (!this.loaded.has(name)) throw notLoaded(name);
    return this.loaded.get(name);
  }

  /** Reads a scalar property for load(); subclasses implement. */
  protected abstract read(name: string): unknown;
  /** Null objects are resolved at sync time. */
  protected exists(): boolean {
    return true;
  }

  load(arg?: unknown): this {
    const names = parseLoad(arg);
    this.enqueue(() => {
      this.nullState = !this.exists();
      if (this.nullState) return;
      for (const n of names) {
        const [head, ...rest] = n.split('/');
        if (rest.length) {
          const child = (this as any)[head];
          if (child instanceof ClientObject) child.loadNow([rest.join('/')]);
          continue;
        }
        this.setLoaded(head, this.read(head));
      }
      if (!names.length) this.loadDefault();
    });
    return this;
  }

  /** Loads immediately (we are already inside a sync). */
  loadNow(names: string[]): void {
    this.nullState = !this.exists();
    if (this.nullState) return;
    for (const n of names) {
      const [head, ...rest] = n.split('/');
      if (rest.length) {
        const child = (this as any)[head];
        if (child instanceof ClientObject) child.loadNow([rest.join('/')]);
      } else this.setLoaded(head, this.read(head));
    }
  }

  private setLoaded(name: string, value: unknown): void {
    this.loaded.set(name, value);
    this.context.responseBytes += payloadBytes(value);
  }

  protected loadDefault(): void {}

  get isNullObject(): boolean {
    if (this.nullState === undefined) throw notLoaded('isNullObject');
    return this.nullState;
  }

  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.loaded);
  }
}

class RuntimeProxy extends ClientObject {
  protected read(name: string): unknown {
    if (name === 'enableEvents') return this.host.eventsEnabled;
    return undefined;
  }
  get enableEvents(): boolean {
    return this.prop('enableEvents');
  }
  set enableEvents(v: boolean) {
    this.enqueue(() => {
      this.host.requireApi('1.8', 'RequestContext.runtime.enableEvents');
      this.host.eventsEnabled = v;
    });
  }
}

class WorkbookProxy extends ClientObject {
  readonly worksheets: WorksheetCollectionProxy;
  constructor(ctx: FakeRequestContext) {
    super(ctx);
    this.worksheets = new WorksheetCollectionProxy(ctx);
  }
  protected read(name: string): unknown {
    if (name === 'name') return 'Book1.xlsx';
    return undefined;
  }
  getSelectedRange(): RangeProxy {
    let resolved: { sheetId: string; rect: Rect } | undefined;
    const r = new RangeProxy(this.context, () => {
      resolved ??= { ...this.host.selection };
      return resolved;
    });
    this.enqueue(() => r.resolveNow());
    return r;
  }
  getActiveCell(): RangeProxy {
    const r = new RangeProxy(this.context, () => ({
      sheetId: this.host.selection.sheetId,
      rect: { ...this.host.selection.rect, r2: this.host.selection.rect.r1, c2: this.host.selection.rect.c1 },
    }));
    this.enqueue(() => r.resolveNow());
    return r;
  }
}

class EventProxy {
  constructor(
    private ctx: FakeRequestContext,
    private list: { sheetId?: string; fn: Handler }[],
    private sheetId: () => string | undefined,
  ) {}
  add(fn: Handler): { remove(): void; context: FakeRequestContext } {
    const entry = { sheetId: undefined as string | undefined, fn };
    this.ctx.queue.push(() => {
      entry.sheetId = this.sheetId();
      this.list.push(entry);
    });
    const ctx = this.ctx;
    const list = this.list;
    return {
      context: ctx,
      remove() {
        ctx.queue.push(() => {
          const i = list.indexOf(entry);
          if (i >= 0) list.splice(i, 1);
        });
      },
    };
  }
}

class WorksheetCollectionProxy extends ClientObject {
  private itemsCache: WorksheetProxy[] | undefined;
  readonly onChanged: EventProxy;
  readonly onSelectionChanged: EventProxy;
  readonly onActivated: EventProxy;
  constructor(ctx: FakeRequestContext) {
    super(ctx);
    this.onChanged = new EventProxy(ctx, this.host.handlers.changed, () => undefined);
    this.onSelectionChanged = new EventProxy(ctx, this.host.handlers.selection, () => undefined);
    this.onActivated = new EventProxy(ctx, this.host.handlers.activated, () => undefined);
  }
  protected read(): unknown {
    return undefined;
  }
  load(arg?: unknown): this {
    const names = parseLoad(arg)
      .map((n) => n.replace(/^items\//, ''))
      .filter((n) => n !== 'items');
    this.enqueue(() => {
      this.itemsCache = this.host.sheets.map((s) => {
        const ws = new WorksheetProxy(this.context, () => s.id);
        ws.loadNow(names.length ? names : ['name', 'id', 'position', 'visibility']);
        return ws;
      });
    });
    return this;
  }
  get items(): WorksheetProxy[] {
    if (!this.itemsCache) throw notLoaded('items');
    return this.itemsCache;
  }
  getActiveWorksheet(): WorksheetProxy {
    let id: string | undefined;
    const ws = new WorksheetProxy(this.context, () => (id ??= this.host.activeSheetId));
    this.enqueue(() => ws.resolveNow());
    return ws;
  }
  /** By name (case-insensitive) or by id, as Excel accepts both. */
  getItem(name: string): WorksheetProxy {
    return new WorksheetProxy(this.context, () => {
      const s = this.host.sheets.find((x) => x.id === name || x.name.toLowerCase() === name.toLowerCase());
      if (!s) throw officeError('ItemNotFound', `The requested resource does not exist. (worksheet "${name}")`);
      return s.id;
    });
  }
  getItemOrNullObject(name: string): WorksheetProxy {
    return new WorksheetProxy(
      this.context,
      () => this.host.sheets.find((x) => x.id === name || x.name.toLowerCase() === name.toLowerCase())?.id ?? '',
      true,
    );
  }
  add(name?: string): WorksheetProxy {
    let id = '';
    const ws = new WorksheetProxy(this.context, () => id);
    this.enqueue(() => {
      const n = name ?? `Sheet${this.host.sheets.length + 1}`;
      id = this.host.addSheet(n).id;
    });
    return ws;
  }
  getCount(): { value: number } {
    const result: { value?: number } = {};
    this.enqueue(() => (result.value = this.host.sheets.length));
    return {
      get value() {
        if (result.value === undefined) throw notLoaded('value');
        return result.value;
      },
    };
  }
}

class WorksheetProxy extends ClientObject {
  readonly onChanged: EventProxy;
  readonly onSelectionChanged: EventProxy;
  readonly freezePanes: { freezeRows(n: number): void; unfreeze(): void };
  readonly notes: NoteCollectionProxy;
  private resolvedId: string | undefined;
  constructor(
    ctx: FakeRequestContext,
    private resolveId: () => string,
    private nullable = false,
  ) {
    super(ctx);
    this.onChanged = new EventProxy(ctx, this.host.handlers.changed, () => this.id_());
    this.onSelectionChanged = new EventProxy(ctx, this.host.handlers.selection, () => this.id_());
    this.freezePanes = {
      freezeRows: (n: number) => this.enqueue(() => (this.sheet().frozenRows = n)),
      unfreeze: () => this.enqueue(() => (this.sheet().frozenRows = 0)),
    };
    this.notes = new NoteCollectionProxy(ctx, () => this.sheet());
  }
  resolveNow(): void {
    this.id_();
  }
  id_(): string {
    this.resolvedId ??= this.resolveId();
    return this.resolvedId;
  }
  sheet(): FakeSheet {
    const id = this.id_();
    if (!id) throw officeError('ItemNotFound', 'The requested resource does not exist.');
    return this.host.sheetById(id);
  }
  protected exists(): boolean {
    if (!this.nullable) return true;
    return Boolean(this.id_());
  }
  protected read(name: string): unknown {
    const s = this.sheet();
    switch (name) {
      case 'name':
        return s.name;
      case 'id':
        return s.id;
      case 'position':
        return this.host.sheets.indexOf(s);
      case 'visibility':
        return s.visibility;
      default:
        return undefined;
    }
  }
  protected loadDefault(): void {
    for (const n of ['name', 'id', 'position', 'visibility']) this.loaded.set(n, this.read(n));
  }
  get name(): string {
    return this.prop('name');
  }
  set name(v: string) {
    this.enqueue(() => (this.sheet().name = v));
  }
  get id(): string {
    return this.prop('id');
  }
  get position(): number {
    return this.prop('position');
  }
  get visibility(): string {
    return this.prop('visibility');
  }
  set visibility(v: string) {
    this.enqueue(() => (this.sheet().visibility = v as FakeSheet['visibility']));
  }
  activate(): void {
    this.enqueue(() => {
      const s = this.sheet();
      this.host.activeSheetId = s.id;
      this.host.selection = { sheetId: s.id, rect: { r1: 0, c1: 0, r2: 0, c2: 0 } };
    });
  }
  delete(): void {
    this.enqueue(() => {
      const s = this.sheet();
      this.host.sheets.splice(this.host.sheets.indexOf(s), 1);
      if (this.host.activeSheetId === s.id) this.host.activeSheetId = this.host.sheets[0]?.id ?? '';
    });
  }
  getRange(address?: string): RangeProxy {
    return new RangeProxy(this.context, () => {
      const id = this.sheet().id;
      if (!address) return { sheetId: id, rect: { r1: 0, c1: 0, r2: MAX_ROWS - 1, c2: MAX_COLS - 1 } };
      const p = parseAddress(address);
      return { sheetId: id, rect: p.rect };
    });
  }
  getRangeByIndexes(startRow: number, startColumn: number, rowCount: number, columnCount: number): RangeProxy {
    return new RangeProxy(this.context, () => ({
      sheetId: this.sheet().id,
      rect: { r1: startRow, c1: startColumn, r2: startRow + rowCount - 1, c2: startColumn + columnCount - 1 },
    }));
  }
  getRanges(address: string): RangeAreasProxy {
    this.enqueue(() => this.host.requireApi('1.9', 'Worksheet.getRanges'));
    return new RangeAreasProxy(this.context, () => ({
      sheetId: this.sheet().id,
      rects: address.split(/[,;]/).map((a) => parseAddress(a).rect),
    }));
  }
  getCell(row: number, column: number): RangeProxy {
    return this.getRangeByIndexes(row, column, 1, 1);
  }
  private used(valuesOnly: boolean, nullable: boolean): RangeProxy {
    let resolved: { sheetId: string; rect: Rect } | null | undefined;
    const r = new RangeProxy(
      this.context,
      () => {
        if (resolved === undefined) {
          const s = this.sheet();
          const u = this.host.usedRect(s, valuesOnly);
          // Excel answers A1 for an empty sheet (or a null object from the *OrNullObject variant).
          resolved = u
            ? { sheetId: s.id, rect: u }
            : nullable
              ? null
              : { sheetId: s.id, rect: { r1: 0, c1: 0, r2: 0, c2: 0 } };
        }
        if (!resolved) return { sheetId: '', rect: { r1: 0, c1: 0, r2: 0, c2: 0 } };
        return resolved;
      },
      nullable,
    );
    this.enqueue(() => r.resolveNow());
    return r;
  }
  getUsedRange(valuesOnly = false): RangeProxy {
    return this.used(valuesOnly, false);
  }
  getUsedRangeOrNullObject(valuesOnly = false): RangeProxy {
    return this.used(valuesOnly, true);
  }
}

type RangeTarget = { sheetId: string; rect: Rect };

class FormatProxy {
  readonly fill: { color: string; clear(): void };
  readonly font: Record<string, unknown>;
  constructor(
    private ctx: FakeRequestContext,
    private cells: () => { sheet: FakeSheet; rects: Rect[] },
  ) {
    const set = (patch: Partial<FakeFormat>) =>
      ctx.queue.push(() => {
        const { sheet, rects } = this.cells();
        for (const rect of rects)
          for (let r = rect.r1; r <= rect.r2; r++)
            for (let c = rect.c1; c <= rect.c2; c++) {
              const k = key(r, c);
              const f = { ...(sheet.formats.get(k) ?? {}), ...patch };
              for (const [pk, pv] of Object.entries(f)) if (pv === undefined) delete (f as any)[pk];
              if (Object.keys(f).length) sheet.formats.set(k, f);
              else sheet.formats.delete(k);
            }
      });
    this.fill = {
      set color(v: string) {
        set({ fill: v });
      },
      get color(): string {
        throw notLoaded('color');
      },
      clear() {
        set({ fill: undefined });
      },
    };
    this.font = {
      set bold(v: boolean) {
        set({ bold: v });
      },
      set italic(v: boolean) {
        set({ italic: v });
      },
      set name(v: string) {
        set({ fontName: v });
      },
      set size(v: number) {
        set({ fontSize: v });
      },
      set color(v: string) {
        set({ fontColor: v });
      },
    };
    Object.defineProperties(this, {
      wrapText: { set: (v: boolean) => set({ wrapText: v }) },
      horizontalAlignment: { set: (v: string) => set({ horizontalAlignment: v }) },
      verticalAlignment: { set: (v: string) => set({ verticalAlignment: v }) },
      columnWidth: {
        set: (v: number) =>
          ctx.queue.push(() => {
            const { sheet, rects } = this.cells();
            for (const rect of rects) for (let c = rect.c1; c <= rect.c2; c++) sheet.columnWidths.set(c, v);
          }),
      },
      rowHeight: { set: () => undefined },
    });
  }
  autofitRows(): void {}
  autofitColumns(): void {}
}

class ConditionalFormatProxy extends ClientObject {
  readonly custom: { rule: { formula: string }; format: { fill: { color: string }; font: { color: string } } };
  constructor(
    ctx: FakeRequestContext,
    private resolveCf: () => FakeConditionalFormat | undefined,
    private nullable = false,
  ) {
    super(ctx);
    const edit = (fn: (cf: FakeConditionalFormat) => void) => ctx.queue.push(() => fn(this.cf()));
    const customLoaded = this.customLoaded;
    this.custom = {
      rule: {
        set formula(v: string) {
          edit((cf) => (cf.formula = v));
        },
        get formula(): string {
          if (!customLoaded.has('formula')) throw notLoaded('formula');
          return customLoaded.get('formula') as string;
        },
      },
      format: {
        fill: {
          set color(v: string) {
            edit((cf) => (cf.fill = v));
          },
          get color(): string {
            throw notLoaded('color');
          },
        },
        font: {
          set color(v: string) {
            edit((cf) => (cf.fontColor = v));
          },
          get color(): string {
            throw notLoaded('color');
          },
        },
      },
    };
  }
  private readonly customLoaded = new Map<string, unknown>();
  loadNow(names: string[]): void {
    const rest = names.filter((n) => {
      if (n !== 'custom/rule/formula' && n !== 'customOrNullObject/rule/formula') return true;
      const cf = this.cf();
      if (cf.type !== 'Custom') {
        if (n.startsWith('custom/'))
          throw officeError('InvalidOperation', 'The conditional format is not of type Custom.');
        return false;
      }
      this.customLoaded.set('formula', cf.formula ?? '');
      return false;
    });
    super.loadNow(rest);
  }
  load(arg?: unknown): this {
    const names = parseLoad(arg);
    this.enqueue(() => this.loadNow(names));
    return this;
  }
  cf(): FakeConditionalFormat {
    const cf = this.resolveCf();
    if (!cf) throw officeError('ItemNotFound', 'The requested resource does not exist. (conditional format)');
    return cf;
  }
  protected exists(): boolean {
    return !this.nullable || Boolean(this.resolveCf());
  }
  protected read(name: string): unknown {
    const cf = this.cf();
    if (name === 'id') return cf.id;
    if (name === 'type') return cf.type;
    if (name === 'priority') return 0;
    return undefined;
  }
  get id(): string {
    return this.prop('id');
  }
  get type(): string {
    return this.prop('type');
  }
  delete(): void {
    this.enqueue(() => {
      const cf = this.cf();
      for (const s of this.host.sheets) {
        const i = s.conditionalFormats.indexOf(cf);
        if (i >= 0) s.conditionalFormats.splice(i, 1);
      }
    });
  }
}

class ConditionalFormatCollectionProxy extends ClientObject {
  private itemsCache: ConditionalFormatProxy[] | undefined;
  constructor(
    ctx: FakeRequestContext,
    private target: () => { sheet: FakeSheet; rects: Rect[] },
  ) {
    super(ctx);
  }
  protected read(): unknown {
    return undefined;
  }
  private inRange(): FakeConditionalFormat[] {
    const { sheet, rects } = this.target();
    return sheet.conditionalFormats.filter((cf) => cf.ranges.some((a) => rects.some((b) => intersects(a, b))));
  }
  load(arg?: unknown): this {
    const names = parseLoad(arg)
      .map((n) => n.replace(/^items\//, ''))
      .filter((n) => n !== 'items');
    this.enqueue(() => {
      this.itemsCache = this.inRange().map((cf) => {
        const p = new ConditionalFormatProxy(this.context, () => cf);
        p.loadNow(names.length ? names : ['id', 'type']);
        return p;
      });
    });
    return this;
  }
  get items(): ConditionalFormatProxy[] {
    if (!this.itemsCache) throw notLoaded('items');
    return this.itemsCache;
  }
  add(type: string): ConditionalFormatProxy {
    let created: FakeConditionalFormat | undefined;
    const p = new ConditionalFormatProxy(this.context, () => created);
    this.enqueue(() => {
      const { sheet, rects } = this.target();
      created = { id: this.host.newId('cf'), type, ranges: rects.map((r) => ({ ...r })) };
      sheet.conditionalFormats.push(created);
    });
    return p;
  }
  getItem(id: string): ConditionalFormatProxy {
    return new ConditionalFormatProxy(this.context, () =>
      this.target().sheet.conditionalFormats.find((c) => c.id === id),
    );
  }
  getItemOrNullObject(id: string): ConditionalFormatProxy {
    return new ConditionalFormatProxy(
      this.context,
      () => this.target().sheet.conditionalFormats.find((c) => c.id === id),
      true,
    );
  }
  clearAll(): void {
    this.enqueue(() => {
      const { sheet } = this.target();
      const gone = new Set(this.inRange());
      sheet.conditionalFormats = sheet.conditionalFormats.filter((cf) => !gone.has(cf));
    });
  }
}

class DataValidationProxy {
  constructor(
    private ctx: FakeRequestContext,
    private target: () => { sheet: FakeSheet; rect: Rect },
  ) {}
  private upsert(patch: Partial<FakeValidation>): void {
    this.ctx.queue.push(() => {
      const { sheet, rect } = this.target();
      let v = sheet.validations.find(
        (x) => x.rect.r1 === rect.r1 && x.rect.c1 === rect.c1 && x.rect.r2 === rect.r2 && x.rect.c2 === rect.c2,
      );
      if (!v) {
        if (patch.rule && sheet.validations.some((x) => intersects(x.rect, rect))) {
          // Excel refuses a new rule over cells that already have a different one.
          throw officeError('InvalidOperation', 'The range already has data validation; clear it first.');
        }
        v = { rect: { ...rect }, rule: null };
        sheet.validations.push(v);
      }
      Object.assign(v, patch);
    });
  }
  set rule(r: any) {
    if (r?.list && typeof r.list.source === 'string' && !r.list.source.startsWith('=') && r.list.source.length > 255) {
      this.ctx.queue.push(() => {
        throw officeError('InvalidArgument', 'The list source of a data validation rule cannot exceed 255 characters.');
      });
      return;
    }
    this.upsert({ rule: r });
  }
  set errorAlert(a: any) {
    this.upsert({ errorAlert: a });
  }
  clear(): void {
    this.ctx.queue.push(() => {
      const { sheet, rect } = this.target();
      sheet.validations = sheet.validations.filter((x) => !intersects(x.rect, rect));
    });
  }
}

class RangeAreasProxy extends ClientObject {
  readonly conditionalFormats: ConditionalFormatCollectionProxy;
  readonly format: FormatProxy;
  constructor(
    ctx: FakeRequestContext,
    private resolveT: () => { sheetId: string; rects: Rect[] },
    private nullable = false,
  ) {
    super(ctx);
    const t = () => {
      const x = this.resolveT();
      return { sheet: this.host.sheetById(x.sheetId), rects: x.rects };
    };
    this.conditionalFormats = new ConditionalFormatCollectionProxy(ctx, t);
    this.format = new FormatProxy(ctx, t);
  }
  protected exists(): boolean {
    return !this.nullable || this.resolveT().rects.length > 0;
  }
  protected read(name: string): unknown {
    const { sheetId, rects } = this.resolveT();
    const s = this.host.sheetById(sheetId);
    if (name === 'address') return rects.map((r) => `${quoteSheet(s.name)}!${rectToA1(r)}`).join(',');
    if (name === 'areaCount') return rects.length;
    return undefined;
  }
  get address(): string {
    return this.prop('address');
  }
  get areaCount(): number {
    return this.prop('areaCount');
  }
}

class RangeProxy extends ClientObject {
  readonly format: FormatProxy;
  readonly conditionalFormats: ConditionalFormatCollectionProxy;
  readonly dataValidation: DataValidationProxy;
  private resolved: RangeTarget | undefined;
  constructor(
    ctx: FakeRequestContext,
    private resolveT: () => RangeTarget,
    private nullable = false,
  ) {
    super(ctx);
    const t = () => {
      const x = this.target();
      return { sheet: this.host.sheetById(x.sheetId), rects: [x.rect] };
    };
    this.format = new FormatProxy(ctx, t);
    this.conditionalFormats = new ConditionalFormatCollectionProxy(ctx, t);
    this.dataValidation = new DataValidationProxy(ctx, () => {
      const x = this.target();
      return { sheet: this.host.sheetById(x.sheetId), rect: x.rect };
    });
  }
  resolveNow(): void {
    this.target();
  }
  target(): RangeTarget {
    this.resolved ??= this.resolveT();
    return this.resolved;
  }
  protected exists(): boolean {
    return !this.nullable || Boolean(this.target().sheetId);
  }
  private sheet(): FakeSheet {
    return this.host.sheetById(this.target().sheetId);
  }
  private clamp(): Rect {
    return this.target().rect;
  }
  private matrix<T>(fn: (cell: FakeCell | undefined) => T): T[][] {
    const s = this.sheet();
    const r = this.clamp();
    if ((r.r2 - r.r1 + 1) * (r.c2 - r.c1 + 1) > 5_000_000)
      throw officeError('ResponsePayloadSizeLimitExceeded', 'The response payload size has exceeded the limit.');
    const out: T[][] = [];
    for (let i = r.r1; i <= r.r2; i++) {
      const row: T[] = [];
      for (let j = r.c1; j <= r.c2; j++) row.push(fn(s.cells.get(key(i, j))));
      out.push(row);
    }
    return out;
  }
  protected read(name: string): unknown {
    const r = this.clamp();
    switch (name) {
      case 'address':
        return `${quoteSheet(this.sheet().name)}!${rectToA1(r)}`;
      case 'addressLocal':
        return `${quoteSheet(this.sheet().name)}!${rectToA1(r)}`;
      case 'rowIndex':
        return r.r1;
      case 'columnIndex':
        return r.c1;
      case 'rowCount':
        return r.r2 - r.r1 + 1;
      case 'columnCount':
        return r.c2 - r.c1 + 1;
      case 'cellCount':
        return (r.r2 - r.r1 + 1) * (r.c2 - r.c1 + 1);
      case 'columnHidden': {
        const s = this.sheet();
        for (let c = r.c1; c <= r.c2; c++) if (!s.hiddenColumns.has(c)) return false;
        return true;
      }
      case 'values':
        return this.matrix((c) => (c ? c.value : ''));
      case 'text':
        return this.matrix((c) => (c ? displayText(c.value) : ''));
      case 'formulas':
        return this.matrix((c) => (c ? (c.formula ?? c.value) : ''));
      case 'valueTypes':
        return this.matrix((c) =>
          !c ? 'Empty' : typeof c.value === 'number' ? 'Double' : typeof c.value === 'boolean' ? 'Boolean' : 'String',
        );
      default:
        return undefined;
    }
  }
  get address(): string {
    return this.prop('address');
  }
  get rowIndex(): number {
    return this.prop('rowIndex');
  }
  get columnIndex(): number {
    return this.prop('columnIndex');
  }
  get rowCount(): number {
    return this.prop('rowCount');
  }
  get columnCount(): number {
    return this.prop('columnCount');
  }
  get values(): CellValue[][] {
    return this.prop('values');
  }
  get text(): string[][] {
    return this.prop('text');
  }
  get formulas(): CellValue[][] {
    return this.prop('formulas');
  }
  get valueTypes(): string[][] {
    return this.prop('valueTypes');
  }
  private write(input: unknown): void {
    this.context.requestBytes += payloadBytes(input);
    this.enqueue(() => {
      const s = this.sheet();
      const r = this.clamp();
      const rows = r.r2 - r.r1 + 1;
      const cols = r.c2 - r.c1 + 1;
      let grid: unknown[][];
      if (!Array.isArray(input)) grid = Array.from({ length: rows }, () => Array.from({ length: cols }, () => input));
      else grid = input as unknown[][];
      if (grid.length !== rows || grid.some((row) => !Array.isArray(row) || row.length !== cols)) {
        throw officeError(
          'InvalidArgument',
          "The number of rows or columns in the input array doesn't match the size or dimensions of the range.",
        );
      }
      grid.forEach((row, i) => row.forEach((v, j) => this.host.putCell(s, r.r1 + i, r.c1 + j, v as CellValue)));
      this.host.cellsWritten += rows * cols;
      this.host.emitChanged(s, r, 'RangeEdited', 'ThisLocalAddin');
    });
  }
  set values(v: unknown) {
    this.write(v);
  }
  set formulas(v: unknown) {
    this.write(v);
  }
  getCell(row: number, column: number): RangeProxy {
    return new RangeProxy(this.context, () => {
      const t = this.target();
      return {
        sheetId: t.sheetId,
        rect: { r1: t.rect.r1 + row, c1: t.rect.c1 + column, r2: t.rect.r1 + row, c2: t.rect.c1 + column },
      };
    });
  }
  getRow(row: number): RangeProxy {
    return new RangeProxy(this.context, () => {
      const t = this.target();
      return { sheetId: t.sheetId, rect: { ...t.rect, r1: t.rect.r1 + row, r2: t.rect.r1 + row } };
    });
  }
  getColumn(column: number): RangeProxy {
    return new RangeProxy(this.context, () => {
      const t = this.target();
      return { sheetId: t.sheetId, rect: { ...t.rect, c1: t.rect.c1 + column, c2: t.rect.c1 + column } };
    });
  }
  getResizedRange(deltaRows: number, deltaColumns: number): RangeProxy {
    return new RangeProxy(this.context, () => {
      const t = this.target();
      return { sheetId: t.sheetId, rect: { ...t.rect, r2: t.rect.r2 + deltaRows, c2: t.rect.c2 + deltaColumns } };
    });
  }
  getMergedAreasOrNullObject(): RangeAreasProxy {
    this.enqueue(() => this.host.requireApi('1.13', 'Range.getMergedAreasOrNullObject'));
    return new RangeAreasProxy(
      this.context,
      () => {
        const t = this.target();
        const s = this.host.sheetById(t.sheetId);
        // Whole merged areas that touch the range (not clipped to it).
        const rects = s.merges.filter((m) => intersects(m, t.rect));
        if (rects.length > MERGED_AREAS_LIMIT) {
          throw officeError(
            'GeneralException',
            `The range holds ${rects.length} merged areas; getMergedAreasOrNullObject returns at most ${MERGED_AREAS_LIMIT}.`,
          );
        }
        return { sheetId: t.sheetId, rects };
      },
      true,
    );
  }
  select(): void {
    this.enqueue(() => {
      const t = this.target();
      this.host.activeSheetId = t.sheetId;
      this.host.selection = { sheetId: t.sheetId, rect: { ...t.rect } };
      this.host.dispatchSelection();
    });
  }
  clear(applyTo: string = 'All'): void {
    this.enqueue(() => {
      const s = this.sheet();
      const r = this.clamp();
      const inside = (k: string) => {
        const [row, col] = k.split(',').map(Number);
        return row >= r.r1 && row <= r.r2 && col >= r.c1 && col <= r.c2;
      };
      if (applyTo === 'All' || applyTo === 'Contents')
        for (const k of [...s.cells.keys()]) if (inside(k)) s.cells.delete(k);
      if (applyTo === 'All' || applyTo === 'Formats')
        for (const k of [...s.formats.keys()]) if (inside(k)) s.formats.delete(k);
      this.host.emitChanged(s, r, 'RangeEdited', 'ThisLocalAddin');
    });
  }
  merge(): void {
    this.enqueue(() => this.sheet().merges.push({ ...this.clamp() }));
  }
  /** Range.insert(shift): only whole rows shifted down are modelled (what the add-in uses). */
  insert(shift: string): RangeProxy {
    this.enqueue(() => {
      const r = this.clamp();
      if (shift !== 'Down' || r.c1 !== 0 || r.c2 !== MAX_COLS - 1) {
        throw officeError(
          'InvalidArgument',
          `fake: Range.insert supports whole rows with shift "Down" only (got ${rectToA1(r)}, ${shift})`,
        );
      }
      const s = this.sheet();
      this.host.insertRowsAt(s, r.r1, r.r2 - r.r1 + 1);
      this.host.emitChanged(s, r, 'RowInserted', 'ThisLocalAddin');
    });
    return this;
  }
  set columnHidden(v: boolean) {
    this.enqueue(() => {
      const s = this.sheet();
      const r = this.clamp();
      for (let c = r.c1; c <= r.c2; c++) {
        if (v) s.hiddenColumns.add(c);
        else s.hiddenColumns.delete(c);
      }
    });
  }
  get columnHidden(): boolean {
    return this.prop('columnHidden');
  }
  unmerge(): void {
    this.enqueue(() => {
      const s = this.sheet();
      s.merges = s.merges.filter((m) => !intersects(m, this.clamp()));
    });
  }
}

class NoteProxy extends ClientObject {
  constructor(
    ctx: FakeRequestContext,
    private sheet: () => FakeSheet,
    private address: string,
    private nullable: boolean,
  ) {
    super(ctx);
  }
  private k(): string {
    return rectToA1(parseAddress(this.address).rect);
  }
  private note(): { content: string } {
    const n = this.sheet().notes.get(this.k());
    if (!n) throw officeError('ItemNotFound', `The requested resource does not exist. (note at ${this.address})`);
    return n;
  }
  protected exists(): boolean {
    return !this.nullable || this.sheet().notes.has(this.k());
  }
  protected read(name: string): unknown {
    if (name === 'content') return this.note().content;
    if (name === 'authorName') return 'Phụ lục';
    return undefined;
  }
  get content(): string {
    return this.prop('content');
  }
  set content(v: string) {
    this.enqueue(() => (this.note().content = v));
  }
  delete(): void {
    this.enqueue(() => {
      this.note();
      this.sheet().notes.delete(this.k());
    });
  }
}

class NoteCollectionProxy extends ClientObject {
  constructor(
    ctx: FakeRequestContext,
    private sheet: () => FakeSheet,
  ) {
    super(ctx);
  }
  protected read(): unknown {
    return undefined;
  }
  private needNotes(): void {
    this.enqueue(() => this.host.requireApi('1.18', 'Worksheet.notes'));
  }
  add(cellAddress: string, content: string): NoteProxy {
    this.needNotes();
    const addr = cellAddress.includes('!') ? cellAddress.slice(cellAddress.lastIndexOf('!') + 1) : cellAddress;
    this.enqueue(() => {
      const k = rectToA1(parseAddress(addr).rect);
      const s = this.sheet();
      if (s.notes.has(k)) throw officeError('InvalidArgument', `The cell ${k} already has a note.`);
      s.notes.set(k, { content });
    });
    return new NoteProxy(this.context, this.sheet, addr, false);
  }
  getItem(key: string): NoteProxy {
    this.needNotes();
    return new NoteProxy(
      this.context,
      this.sheet,
      key.includes('!') ? key.slice(key.lastIndexOf('!') + 1) : key,
      false,
    );
  }
  getItemOrNullObject(key: string): NoteProxy {
    this.needNotes();
    return new NoteProxy(this.context, this.sheet, key.includes('!') ? key.slice(key.lastIndexOf('!') + 1) : key, true);
  }
}

// ---------------------------------------------------------------------------------------------
// Namespaces
// ---------------------------------------------------------------------------------------------

function makeExcelNamespace(host: FakeExcelHost): any {
  return {
    run: <T>(batch: (ctx: any) => Promise<T>) => host.run(batch),
    ConditionalFormatType: { custom: 'Custom', containsText: 'ContainsText', cellValue: 'CellValue' },
    EventSource: { local: 'Local', remote: 'Remote' },
    InsertShiftDirection: { down: 'Down', right: 'Right' },
    EventTriggerSource: { unknown: 'Unknown', thisLocalAddin: 'ThisLocalAddin' },
    DataChangeType: {
      rangeEdited: 'RangeEdited',
      rowInserted: 'RowInserted',
      rowDeleted: 'RowDeleted',
      columnInserted: 'ColumnInserted',
      columnDeleted: 'ColumnDeleted',
      cellInserted: 'CellInserted',
      cellDeleted: 'CellDeleted',
    },
    ErrorCodes: {
      itemNotFound: 'ItemNotFound',
      invalidArgument: 'InvalidArgument',
      propertyNotLoaded: 'PropertyNotLoaded',
    },
  };
}

function makeOfficeNamespace(host: FakeExcelHost): any {
  const reqs: Record<string, string | number> = { ...host.options.requirements, ExcelApi: host.apiLevel.join('.') };
  const hostType = host.options.host === undefined ? 'Excel' : host.options.host;
  const settings = {
    get: (name: string) => (host.settings.has(name) ? host.settings.get(name) : null),
    set: (name: string, value: unknown) => void host.settings.set(name, JSON.parse(JSON.stringify(value))),
    remove: (name: string) => void host.settings.delete(name),
    saveAsync: (optionsOrCb?: unknown, cb?: (r: { status: string }) => void) => {
      const done = (typeof optionsOrCb === 'function' ? optionsOrCb : cb) as
        ((r: { status: string }) => void) | undefined;
      host.savedSettings = new Map(host.settings);
      setTimeout(() => done?.({ status: 'succeeded' }), 0);
    },
    refreshAsync: (cb?: (r: { status: string }) => void) => setTimeout(() => cb?.({ status: 'succeeded' }), 0),
  };
  const info = { host: hostType, platform: hostType ? 'OfficeOnline' : null };
  return {
    HostType: { Excel: 'Excel', Word: 'Word' },
    PlatformType: { PC: 'PC', OfficeOnline: 'OfficeOnline', Mac: 'Mac' },
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    onReady(cb?: (i: typeof info) => void) {
      return new Promise((resolve) =>
        setTimeout(() => {
          cb?.(info);
          resolve(info);
        }, 0),
      );
    },
    context: {
      displayLanguage: 'vi-VN',
      document: { settings, url: 'Book1.xlsx' },
      requirements: {
        isSetSupported(name: string, minVersion?: string | number) {
          const have = reqs[name];
          if (have === undefined) return false;
          if (minVersion === undefined) return true;
          const [hm, hn] = parseLevel(have);
          const [wm, wn] = parseLevel(minVersion);
          return hm > wm || (hm === wm && hn >= wn);
        },
      },
    },
    actions: { associate: () => undefined },
  };
}

/** Installs the fake as the `Excel`, `Office` and `OfficeExtension` globals (browser or Node). */
export function installFakeGlobals(host: FakeExcelHost, target: any = globalThis): void {
  target.Excel = host.Excel;
  target.Office = host.Office;
  target.OfficeExtension = host.OfficeExtension;
}
