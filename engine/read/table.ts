// The table reader: header → sections, tasks, products, page-break continuation rows.
import type { Diagnostic, Field, Grid, GridRow, Location, Product, Section, Task } from '../model.js';
import { a1, columnLetter, parseA1 } from '../a1.js';
import { makeDiagnostic } from '../rules/diagnostic.js';
import { agencyRefs, unionRefs, type AgencyContext } from './agencies.js';
import { isHeaderRepeat, isSubHeaderRepeat, type HeaderMatch } from './header.js';
import type { RowRole } from './index.js';
import { assignment as splitAssignment, clean, timeline } from './text.js';
import { FIELD_LABELS, RECOMMENDED_FIELDS, REQUIRED_FIELDS, matchArea } from './vocab.js';

/** One logical table row: a task's first row or a product row, with continuation rows appended. */
interface Rec {
  kind: 'task' | 'product';
  first: number;
  rows: number[];
  /** The grid rows of `rows` and their facts, for the built-task cache. */
  objs: GridRow[];
  facts: RowFacts[];
  /** Raw text by 0-based column (continuations appended). */
  cells: string[];
  /** Raw text of the first row only, as the officer typed it. */
  firstCells: string[];
  /** Values inherited from vertical merges, by 0-based column. */
  inherited: ReadonlyMap<number, string>;
  number?: string;
  /** The number was written inside the task text ("1. Tổng kết…") and is stripped from it. */
  numberInText?: boolean;
  productNumber?: string;
}

interface TaskAcc {
  rec: Rec;
  products: Rec[];
}

interface SectionAcc {
  numeral: string;
  title: string;
  row: number;
  column: number;
  tasks: TaskAcc[];
}

/** What one row says without looking at the rows before it (see readTable). */
interface RowFacts {
  /** The cells these facts were made from: text and merge mark, to check a cached entry against the row. */
  texts: string[];
  merged: (string | undefined)[];
  /** Cell texts padded to the header's width. */
  raws: string[];
  /** Non-empty cells. */
  own: number;
  /** A paragraph row (one cell of text), and the reform-area section it names, if any. */
  lone: boolean;
  title?: { numeral: string; title: string };
  /** A paragraph row whose text starts in lower case (the rest of a sentence). */
  loneLower?: boolean;
  /** A header row repeated after a page break, or the column-numbering row. */
  repeat: boolean;
  numText: string;
  taskText: string;
  productText: string;
  /** No text in the product, agency and timeline columns. */
  dataEmpty: boolean;
  /** Columns without a header that hold text in this row. */
  unnamed: number[];
  /** What the number and task texts look like (patterns below), worked out once per row content. */
  romanNum?: string;
  romanTitleNum?: { numeral: string; title: string };
  romanTitleTask?: { numeral: string; title: string };
  /** An upper-case reform-area title without a numeral (worked out when first needed). */
  upperArea?: boolean;
  taskNumber?: string;
  subNumber?: boolean;
  inlineNumber?: string;
  taskLower?: boolean;
  productPrefixed?: boolean;
  productLower?: boolean;
}

// Caches keyed by grid row objects (weak: they go with the grids). Entries carry the header/context signature
// they were made for and are checked against the row's current cells, so a row changed in place is redone.
const rowFacts = new WeakMap<GridRow, { sig: string; facts: RowFacts }>();
/** A built task and what it was built from: each record's number, rows and row facts. */
interface BuiltTask {
  sig: string;
  number?: string;
  numberInText?: boolean;
  recs: { productNumber?: string; rows: number[]; facts: RowFacts[] }[];
  task: Task;
}
const builtTasks = new WeakMap<GridRow, BuiltTask>();
const signatures = new Map<string, string>();

/** One string object per distinct signature, so signatures compare by reference. */
function intern(s: string): string {
  const hit = signatures.get(s);
  if (hit !== undefined) return hit;
  if (signatures.size > 1000) signatures.clear();
  signatures.set(s, s);
  return s;
}

function sameCells(f: RowFacts, row: GridRow): boolean {
  const cells = row.cells;
  if (cells.length !== f.texts.length) return false;
  for (let i = 0; i < cells.length; i++) if (cells[i].text !== f.texts[i] || cells[i].mergedInto !== f.merged[i]) return false;
  return true;
}

const directoryIds = new WeakMap<object, number>();
let lastDirectoryId = 0;
function directoryId(d: object | undefined): number {
  if (!d) return 0;
  let id = directoryIds.get(d);
  if (id === undefined) directoryIds.set(d, (id = ++lastDirectoryId));
  return id;
}

export interface TableContext {
  agencies: AgencyContext;
  planYear?: number;
}

export interface TableResult {
  sections: Section[];
  diagnostics: Diagnostic[];
  rowRoles: RowRole[];
  lastRow: number;
}

const LETTER = /\p{L}/u;
const NON_LETTERS = /[^\p{L}]/gu;
const COLUMN_NUMBER = /^\(?(\d{1,2})\)?$/;
const BLOCK_OPENER = /^\s*<(?:p|li|div|span)\b[^>]*>\s*(?=\p{Ll})/u;
const NEW_BLOCK = /^\s*(?:<|[-+•])/;
const ENDS_WITH_TAG = />\s*$/;
const NO_INHERIT: ReadonlyMap<number, string> = new Map();
/**
 * Fields whose vertically merged value applies to every row the merge covers (one lead or deadline for several
 * tasks or products). The rules (rules/facts.ts) inherit the same fields, so they agree with the reader.
 */
export const INHERITED: ReadonlySet<Field> = new Set<Field>(['lead', 'support', 'assignment', 'timeline', 'monitor', 'approval']);
const ROMAN = /^([IVXLC]+)\s*[.)]?$/;
const ROMAN_TITLE = /^([IVXLC]+)\s*[.)]\s*(\S[\s\S]*)$/;
const TASK_NUMBER = /^(\d{1,3})\s*[.)]?$/;
const SUB_NUMBER = /^(\d{1,3}(?:\.\d{1,3})+)\.?$/;
const NUMBER_IN_TEXT = /^(\d{1,3})\s*[.)]\s*(?=[\p{L}"“(])([\s\S]+)$/u;
const PRODUCT_PREFIX = /^(\d{1,3}(?:\.\d{1,3})+\.?)\s*(?=\S)/;
const LETTER_NUMBER = /^([a-zđ])\s*[.)]$/;
const DANGLING = /(?:[,;:(\-–]|\s(?:và|với|của|các|cho|theo|tại|trong|để|được|hoặc|từ|đến|về|là|những))$/u;

function startsLower(text: string): boolean {
  for (const ch of text) {
    if (LETTER.test(ch)) return ch !== ch.toUpperCase() && ch === ch.toLowerCase();
    if (ch >= '0' && ch <= '9') return false;
  }
  return false;
}

function isBareNumber(raw: string): boolean {
  const t = raw.trim();
  return TASK_NUMBER.test(t) || SUB_NUMBER.test(t) || ROMAN.test(t) || LETTER_NUMBER.test(t);
}

function isUpperTitle(text: string): boolean {
  const letters = text.replace(NON_LETTERS, '');
  return letters.length > 3 && letters === letters.toUpperCase();
}

/** "1 | 2 | 3 | 4" or "(1) | (2) | (3)" under the header: the column numbering row of official tables. */
function isColumnNumbering(raws: string[]): boolean {
  let expected = 0;
  let count = 0;
  for (const raw of raws) {
    const t = raw.trim();
    if (!t) continue;
    const m = COLUMN_NUMBER.exec(t);
    if (!m) return false;
    const v = Number(m[1]);
    if (count > 0 && v !== expected) return false;
    expected = v + 1;
    count++;
  }
  return count >= 3;
}

function joinRaw(prev: string, next: string): string {
  if (!prev) return next;
  // "...đơn vị, địa" + "<p>phương chủ động...": a block tag opening a lower-case word continues the sentence.
  const opener = BLOCK_OPENER.exec(next);
  if (opener) return `${prev} ${next.slice(opener[0].length)}`;
  if (NEW_BLOCK.test(next) || ENDS_WITH_TAG.test(prev)) return `${prev}\n${next}`;
  return `${prev} ${next}`;
}

/** Vertical merges: covered cell (row, col0) → top-left row. Horizontal spans are not copied. */
export function mergeOverlay(grid: Grid): { cover: Map<number, Map<number, number>>; ranges: { range: string; top: number; bottom: number; col: number }[] } {
  const cover = new Map<number, Map<number, number>>();
  const ranges: { range: string; top: number; bottom: number; col: number }[] = [];
  const add = (range: string, top: number, left: number, bottom: number) => {
    ranges.push({ range, top, bottom, col: left });
    for (let r = top + 1; r <= bottom; r++) {
      let m = cover.get(r);
      if (!m) cover.set(r, (m = new Map()));
      m.set(left - 1, top);
    }
  };
  if (grid.merges?.length) {
    for (const range of grid.merges) {
      const [a, b] = range.split(':');
      const p = parseA1(a);
      const q = parseA1(b ?? a);
      if (!p || !q) continue;
      add(range, Math.min(p.row, q.row), Math.min(p.column, q.column), Math.max(p.row, q.row));
    }
  } else {
    // Adapters that only mark covered cells: rebuild the ranges from mergedInto.
    const spans = new Map<string, { top: number; left: number; bottom: number; right: number }>();
    for (const row of grid.rows)
      for (let i = 0; i < row.cells.length; i++) {
        const c = row.cells[i];
        if (!c.mergedInto) continue;
        const p = parseA1(c.mergedInto);
        if (!p) continue;
        const s = spans.get(c.mergedInto) ?? { top: p.row, left: p.column, bottom: p.row, right: p.column };
        s.bottom = Math.max(s.bottom, row.index);
        s.right = Math.max(s.right, i + 1);
        spans.set(c.mergedInto, s);
      }
    for (const [, s] of spans) add(`${a1(s.top, s.left)}:${a1(s.bottom, s.right)}`, s.top, s.left, s.bottom);
  }
  return { cover, ranges };
}

export function readTable(header: HeaderMatch, ctx: TableContext): TableResult {
  const grid = header.grid;
  const isText = grid.kind === 'text';
  const col = header.fieldCol;
  const width = header.keys.length;
  const diagnostics: Diagnostic[] = [];
  const roles: RowRole[] = [];
  const headerRaw = grid.rows[header.position].cells.map((c) => c.text);
  const loc = (row: number, c?: number): Location => {
    const l: Location = { sheet: grid.sheet, row };
    if (c !== undefined) {
      l.column = c + 1;
      l.cell = a1(row, c + 1);
    }
    if (isText) l.line = row;
    return l;
  };

  // Header diagnostics: unknown columns (kept) and missing required ones.
  for (const c of header.columns) {
    if (c.field === null)
      diagnostics.push(makeDiagnostic('header.unknown-column', loc(header.row, c.index - 1), { header: c.header, cell: a1(header.row, c.index) }));
  }
  const has = (f: Field) => col[f] !== undefined || ((f === 'lead' || f === 'support') && col.assignment !== undefined);
  for (const f of REQUIRED_FIELDS)
    if (!has(f)) diagnostics.push(makeDiagnostic('header.missing-column', loc(header.row), { column: FIELD_LABELS[f], field: f, row: header.row }));
  for (const f of RECOMMENDED_FIELDS)
    if (!has(f))
      diagnostics.push(
        makeDiagnostic('header.missing-column', loc(header.row), { column: FIELD_LABELS[f], field: f, row: header.row }, { severity: 'warning' }),
      );

  const rawOf = (raws: string[], f: Field): string => (col[f] !== undefined ? raws[col[f]!] ?? '' : '');
  const dataCols = (['product', 'lead', 'support', 'assignment', 'timeline', 'monitor', 'approval'] as Field[])
    .map((f) => col[f])
    .filter((c): c is number => c !== undefined);
  let unknownCols = header.columns.filter((c) => c.field === null);
  const named = new Set(header.columns.map((c) => c.index - 1));
  const unnamed = new Map<number, number>(); // column without a header text that holds data → first row
  const fieldCols = Object.entries(col) as [Field, number][];

  const { cover, ranges } = mergeOverlay(grid);
  let byIndex: Map<number, GridRow> | undefined;
  const rowByIndex = (): Map<number, GridRow> => {
    if (!byIndex) {
      byIndex = new Map();
      for (const r of grid.rows) byIndex.set(r.index, r);
    }
    return byIndex;
  };

  const sections: SectionAcc[] = [];
  let section: SectionAcc | undefined;
  let task: TaskAcc | undefined;
  let pageBreak = false;
  let lastTableRow = header.row;
  let lastRowCells = 0;
  let rejoined = 0;

  for (let p = 0; p < header.position; p++) {
    const r = grid.rows[p];
    roles.push({ sheet: grid.sheet, row: r.index, role: r.cells.some((c) => c.text.trim()) ? 'preamble' : 'blank' });
  }
  roles.push({ sheet: grid.sheet, row: header.row, role: 'header' });
  if (header.sub) roles.push({ sheet: grid.sheet, row: header.sub.row, role: 'header' });
  const dataStart = header.sub ? header.sub.position + 1 : header.position + 1;
  const firstDataRow = grid.rows[dataStart]?.index ?? Number.MAX_SAFE_INTEGER;

  const ensureSection = (row: number): SectionAcc => {
    if (!section) {
      section = { numeral: '', title: '', row, column: 1, tasks: [] };
      sections.push(section);
    }
    return section;
  };
  const role = (row: number, r: RowRole['role']) => {
    const rr: RowRole = { sheet: grid.sheet, row, role: r };
    if (section) rr.section = sections.length - 1;
    if (task && section && (r === 'task' || r === 'product' || r === 'continuation')) rr.task = section.tasks.length - 1;
    roles.push(rr);
  };

  // What a row says on its own (cell texts, cleaned number and task texts, lone title, header repeat) depends
  // only on its cells and the header: cached per row object and checked against the row's current cells, so a
  // re-read after an edit works out only the rows that changed. The walk below adds what depends on the rows
  // before (current task, page breaks, merges): linear and cheap.
  const sig = intern(JSON.stringify([isText, width, col, headerRaw, header.keys, header.sub?.keys ?? null, [...named]]));
  const computeFacts = (row: GridRow): RowFacts => {
    const raws: string[] = [];
    let own = 0;
    let lastFilled = -1;
    for (let i = 0; i < Math.max(width, row.cells.length); i++) {
      const t = row.cells[i]?.text ?? '';
      raws.push(t);
      if (t.trim()) {
        own++;
        lastFilled = i;
      }
    }
    const facts: RowFacts = {
      texts: row.cells.map((c) => c.text),
      merged: row.cells.map((c) => c.mergedInto),
      raws,
      own,
      lone: false,
      repeat: false,
      numText: '',
      taskText: '',
      productText: '',
      dataEmpty: true,
      unnamed: [],
    };
    if (own === 0) return facts;
    // A paragraph between or after table rows (a footnote, the signature after the table): a text
    // line or a Word paragraph is one cell. A section title alone in its row is still a section.
    // In a sheet only the filled cells count: a spreadsheet row reads the same with or without trailing
    // empty cells (xlsx files and the Sheets API trim them, Excel ranges do not). A bare number alone in
    // the first column ("5", "2.1", "II") is a table row the officer is still filling in, never prose; a
    // row with merged cells is part of the table's layout.
    facts.lone =
      width > 1 && (isText ? row.cells.length === 1 : lastFilled === 0 && !isBareNumber(raws[0]) && !row.cells.some((c) => c.mergedInto));
    if (facts.lone) {
      const t = clean(raws[0]);
      const m = ROMAN_TITLE.exec(t);
      // Only reform-area titles: Word paragraphs after the table ("IV. TỔ CHỨC THỰC HIỆN") are prose.
      if (m && m[2].length < 300 && !isText && matchArea(m[2])) {
        facts.title = { numeral: m[1], title: m[2].replace(/\s+/g, ' ').trim() };
        return facts;
      }
      facts.loneLower = startsLower(t);
    } else {
      facts.repeat = isHeaderRepeat(row, header, headerRaw) || isSubHeaderRepeat(row, header) || isColumnNumbering(raws);
      if (facts.repeat) return facts;
    }
    for (let i = 0; i < raws.length; i++) if (!named.has(i) && raws[i].trim() && !row.cells[i]?.mergedInto) facts.unnamed.push(i);
    facts.numText = clean(rawOf(raws, 'number'));
    facts.taskText = clean(rawOf(raws, 'task'));
    facts.productText = clean(rawOf(raws, 'product'));
    for (const c of dataCols) if (raws[c]?.trim()) facts.dataEmpty = false;
    const { numText, taskText, productText } = facts;
    let m: RegExpExecArray | null;
    if (numText) {
      if ((m = ROMAN.exec(numText))) facts.romanNum = m[1];
      if ((m = ROMAN_TITLE.exec(numText))) facts.romanTitleNum = { numeral: m[1], title: m[2] };
      if ((m = TASK_NUMBER.exec(numText))) facts.taskNumber = String(Number(m[1])); // "01." → "1"
      facts.subNumber = SUB_NUMBER.test(numText) || LETTER_NUMBER.test(numText);
    }
    if (taskText) {
      if ((m = ROMAN_TITLE.exec(taskText)) && m[2].length < 300) facts.romanTitleTask = { numeral: m[1], title: m[2] };
      if ((m = NUMBER_IN_TEXT.exec(taskText))) facts.inlineNumber = m[1];
      facts.taskLower = startsLower(taskText);
    }
    if (productText) {
      facts.productPrefixed = PRODUCT_PREFIX.test(productText);
      facts.productLower = startsLower(productText);
    }
    return facts;
  };
  const factsOf = (row: GridRow): RowFacts => {
    const hit = rowFacts.get(row);
    if (hit && hit.sig === sig && sameCells(hit.facts, row)) return hit.facts;
    const facts = computeFacts(row);
    rowFacts.set(row, { sig, facts });
    return facts;
  };

  for (let p = dataStart; p < grid.rows.length; p++) {
    const row = grid.rows[p];
    const n = row.index;
    const f = factsOf(row);
    const raws = f.raws;
    if (f.own === 0) {
      roles.push({ sheet: grid.sheet, row: n, role: 'blank' });
      continue;
    }
    if (f.lone) {
      if (f.title) {
        // The title's own cell (column A), as when the same row is read as a table row.
        section = { numeral: f.title.numeral, title: f.title.title, row: n, column: 0, tasks: [] };
        sections.push(section);
        task = undefined;
        pageBreak = false;
        lastTableRow = n;
        role(n, 'section');
        continue;
      }
      // In a sheet whose first column is the task column (seed 004's layout), a lone first cell after a page
      // break, or one that goes on with a lower-case word, is the rest of the open task: read it as a table row.
      const continues = !isText && !!task && col.task === 0 && (pageBreak || !!f.loneLower);
      if (!continues) {
        roles.push({ sheet: grid.sheet, row: n, role: 'other' });
        continue;
      }
    }
    if (f.repeat) {
      roles.push({ sheet: grid.sheet, row: n, role: 'header' });
      pageBreak = true;
      continue;
    }
    lastTableRow = n;
    lastRowCells = row.cells.length;
    for (const i of f.unnamed) if (!unnamed.has(i)) unnamed.set(i, n);
    const covered = cover.get(n);
    let inherited = NO_INHERIT;
    if (covered) {
      const own = new Map<number, string>();
      for (const [c, top] of covered) {
        if (raws[c]?.trim()) continue;
        const t = rowByIndex().get(top)?.cells[c]?.text ?? '';
        if (t.trim()) own.set(c, t);
      }
      inherited = own;
    }
    const { numText, taskText, dataEmpty } = f;
    const numInherited = col.number !== undefined && !numText && inherited.has(col.number);
    const taskInherited = col.task !== undefined && !taskText && inherited.has(col.task);

    // --- Sections -----------------------------------------------------------------------------
    let sec: { numeral: string; title: string; column: number } | undefined;
    if (!numInherited) {
      if (f.romanNum !== undefined && (taskText || dataEmpty)) sec = { numeral: f.romanNum, title: taskText, column: col.task ?? col.number! };
      else if (f.romanTitleNum && !taskText && dataEmpty) sec = { ...f.romanTitleNum, column: col.number! };
      else if (!numText && dataEmpty && f.romanTitleTask) sec = { ...f.romanTitleTask, column: col.task! };
      else if (!numText && taskText && dataEmpty && !task && (f.upperArea ??= isUpperTitle(taskText) && !!matchArea(taskText)))
        sec = { numeral: '', title: taskText, column: col.task! };
    }
    if (sec) {
      section = { numeral: sec.numeral, title: sec.title.replace(/\s+/g, ' ').trim(), row: n, column: sec.column, tasks: [] };
      sections.push(section);
      task = undefined;
      pageBreak = false;
      role(n, 'section');
      continue;
    }

    // --- Tasks and products -------------------------------------------------------------------
    let kind: 'task' | 'product' | 'continuation' | 'orphan' | undefined;
    let number: string | undefined;
    let numberInText = false;
    let productNumber: string | undefined;
    if (numText && !numInherited) {
      if (f.taskNumber !== undefined) ((kind = 'task'), (number = f.taskNumber));
      else if (f.subNumber) {
        kind = task ? 'product' : 'task';
        if (kind === 'product') productNumber = numText;
        else number = numText;
      }
    }
    if (!kind && !numText && taskText && !taskInherited && f.inlineNumber !== undefined) {
      kind = 'task';
      number = f.inlineNumber;
      numberInText = true;
    }
    if (!kind) {
      const productText = f.productText;
      if (!task) {
        kind = taskText && !f.taskLower ? 'task' : 'orphan';
        number = '';
      } else if (numInherited || taskInherited) kind = 'product';
      else if (taskText) kind = f.taskLower || pageBreak ? 'continuation' : 'task';
      else if (!productText) kind = 'continuation';
      else if (f.productPrefixed) kind = 'product';
      else if (pageBreak && f.productLower) kind = 'continuation';
      else kind = 'product';
      if (kind === 'task') number = '';
    }

    if (kind === 'orphan') {
      diagnostics.push(makeDiagnostic('row.orphan', loc(n), { row: n }));
      role(n, 'other');
      pageBreak = false;
      continue;
    }
    if (kind === 'continuation') {
      const target = task!.products.length ? task!.products[task!.products.length - 1] : task!.rec;
      // Records share their first row's cached texts until a continuation appends to them.
      if (target.cells === target.firstCells) target.cells = target.cells.slice();
      for (let i = 0; i < raws.length; i++) if (raws[i].trim()) target.cells[i] = joinRaw(target.cells[i] ?? '', raws[i]);
      target.rows.push(n);
      target.objs.push(row);
      target.facts.push(f);
      rejoined++;
      const firstCol = raws.findIndex((t) => t.trim());
      diagnostics.push(makeDiagnostic('row.rejoined', loc(n, firstCol), { row: n, into: target.first }));
      role(n, 'continuation');
      pageBreak = false;
      continue;
    }
    if (kind === 'task') {
      const rec: Rec = { kind: 'task', first: n, rows: [n], objs: [row], facts: [f], cells: raws, firstCells: raws, inherited };
      rec.number = number ?? '';
      rec.numberInText = numberInText;
      task = { rec, products: [] };
      ensureSection(n).tasks.push(task);
      role(n, 'task');
    } else {
      const rec: Rec = { kind: 'product', first: n, rows: [n], objs: [row], facts: [f], cells: raws, firstCells: raws, inherited };
      rec.productNumber = productNumber;
      task!.products.push(rec);
      role(n, 'product');
    }
    pageBreak = false;
  }

  // --- Truncation: the document stops inside the table ------------------------------------------
  const lastGridRow = grid.rows[grid.rows.length - 1];
  const lastHasText = !!lastGridRow && lastGridRow.cells.some((c) => c.text.trim());
  // Only text can be cut off (a copy, an extraction); a workbook or a Word file ends where it ends.
  if (isText && lastHasText && lastGridRow.index === lastTableRow && task) {
    const lastRaw = lastGridRow.cells.map((c) => c.text.trim()).filter(Boolean);
    const lastText = clean(lastRaw[lastRaw.length - 1] ?? '');
    let reason: string | undefined;
    let missing = 0;
    if (lastRowCells < width) ((reason = 'short-row'), (missing = width - lastRowCells));
    else if (DANGLING.test(lastText)) reason = 'dangling';
    // Rows of this document continue across page breaks; its text stops at a row without a line end.
    else if (rejoined > 0) reason = 'no-line-end';
    if (reason) diagnostics.push(makeDiagnostic('document.truncated', loc(lastGridRow.index), { row: lastGridRow.index, missing, reason }));
  }

  // --- Merged cells and formulas inside the table ---------------------------------------------
  for (const r of ranges)
    // Merges in the header, and merges across columns of one row, are layout; a merge down several
    // data rows changes what those rows mean, so the officer is told.
    if (r.bottom > r.top && r.bottom >= firstDataRow && r.top <= lastTableRow) diagnostics.push(makeDiagnostic('cell.merged', loc(r.top, r.col - 1), { range: r.range }));
  for (let p = header.position; p < grid.rows.length; p++) {
    const row = grid.rows[p];
    if (row.index > lastTableRow) break;
    for (let i = 0; i < row.cells.length; i++) {
      const c = row.cells[i];
      if (c.formula !== undefined && c.formula !== '')
        diagnostics.push(makeDiagnostic('cell.formula', loc(row.index, i), { cell: a1(row.index, i + 1), formula: c.formula, text: c.text }));
    }
  }

  // Data under no header is kept too, as an unknown column named by its letter.
  for (const [c] of [...unnamed].sort((a, b) => a[0] - b[0])) {
    header.columns.push({ index: c + 1, header: '', field: null });
    diagnostics.push(makeDiagnostic('header.unknown-column', loc(header.row, c), { header: '', cell: a1(header.row, c + 1) }));
  }
  if (unnamed.size) {
    header.columns.sort((a, b) => a.index - b.index);
    unknownCols = header.columns.filter((c) => c.field === null);
  }

  // --- Build the model ------------------------------------------------------------------------
  // A task whose rows are the same row objects with the same cells, read in the same context, is the same
  // task: reuse the one built last time (tasks are plain data that nobody mutates).
  const taskSig = intern(
    JSON.stringify([sig, directoryId(ctx.agencies.directory), ctx.agencies.at, ctx.planYear, grid.sheet, unknownCols.map((c) => [c.index, c.header])]),
  );
  const cachedTask = (acc: TaskAcc): Task => {
    const rec = acc.rec;
    // Merged cells bring values from other rows: not cached.
    if (rec.inherited.size) return buildTask(acc);
    for (const p of acc.products) if (p.inherited.size) return buildTask(acc);
    const hit = builtTasks.get(rec.objs[0]);
    if (hit && hit.sig === taskSig && hit.number === rec.number && hit.numberInText === rec.numberInText && sameRecs(hit, acc)) return hit.task;
    const task = buildTask(acc);
    const recs = [rec, ...acc.products].map((r) => ({ productNumber: r.productNumber, rows: r.rows, facts: r.facts }));
    builtTasks.set(rec.objs[0], { sig: taskSig, number: rec.number, numberInText: rec.numberInText, recs, task });
    return task;
  };
  // Same facts objects = same row objects whose cells were found unchanged on this read.
  const sameRecs = (hit: BuiltTask, acc: TaskAcc): boolean => {
    if (hit.recs.length !== acc.products.length + 1) return false;
    for (let k = 0; k < hit.recs.length; k++) {
      const r = k === 0 ? acc.rec : acc.products[k - 1];
      const h = hit.recs[k];
      if (h.productNumber !== r.productNumber || h.rows.length !== r.rows.length) return false;
      for (let i = 0; i < h.rows.length; i++) if (h.rows[i] !== r.rows[i] || h.facts[i] !== r.facts[i]) return false;
    }
    return true;
  };

  const out: Section[] = sections.map((s) => ({
    numeral: s.numeral,
    title: clean(s.title),
    area: s.title ? matchArea(s.title) : null,
    source: loc(s.row, s.column),
    tasks: s.tasks.map((t) => cachedTask(t)),
  }));

  /** A field's text on a record; with `inherit`, an empty cell covered by a vertical merge takes the merged value. */
  function valueOf(rec: Rec, f: Field, inherit: boolean): string {
    const c = col[f];
    if (c === undefined) return '';
    if (inherit && !INHERITED.has(f)) inherit = false;
    const own = rec.cells[c] ?? '';
    if (own.trim() || !inherit) return own;
    return rec.inherited.get(c) ?? '';
  }

  function parties(rec: Rec, inherit: boolean): { lead: ReturnType<typeof agencyRefs>; support: ReturnType<typeof agencyRefs> } {
    let lead = clean(valueOf(rec, 'lead', inherit));
    let support = clean(valueOf(rec, 'support', inherit));
    const assignment = clean(valueOf(rec, 'assignment', inherit));
    if (assignment) {
      const split = splitAssignment(assignment);
      if (!lead) lead = split.lead;
      if (!support) support = split.support;
    }
    return { lead: agencyRefs(lead, ctx.agencies), support: agencyRefs(support, ctx.agencies) };
  }

  function buildProduct(rec: Rec, fromTaskRow: boolean): Product | undefined {
    let text = clean(valueOf(rec, 'product', false));
    let number = rec.productNumber;
    let c = col.product;
    if (!text && !fromTaskRow) {
      // No product column (or an empty one): a numbered sub-row carries its text in the task column.
      text = clean(valueOf(rec, 'task', false));
      c = col.task;
    }
    if (!text && fromTaskRow) return undefined;
    const m = PRODUCT_PREFIX.exec(text);
    if (m) {
      number ??= m[1];
      text = text.slice(m[0].length).trim();
    }
    // A merged cell's value applies to every row it covers, task rows included (see INHERITED).
    const { lead, support } = parties(rec, true);
    const product: Product = {
      text,
      lead,
      support,
      timeline: timeline(clean(valueOf(rec, 'timeline', true)), ctx.planYear),
      source: loc(rec.first, c),
    };
    if (number) product.number = number;
    return product;
  }

  function buildTask(acc: TaskAcc): Task {
    const rec = acc.rec;
    let text = clean(valueOf(rec, 'task', false));
    if (rec.numberInText) {
      const m = NUMBER_IN_TEXT.exec(text);
      if (m) text = m[2].trim();
    }
    const products: Product[] = [];
    const first = buildProduct(rec, true);
    if (first) products.push(first);
    for (const p of acc.products) {
      const prod = buildProduct(p, false);
      if (prod) products.push(prod);
    }
    let { lead, support } = parties(rec, true);
    if (!lead.length) lead = unionRefs(products.map((p) => p.lead));
    if (!support.length) support = unionRefs(products.map((p) => p.support));
    const rows = [...rec.rows, ...acc.products.flatMap((p) => p.rows)].sort((a, b) => a - b);
    const t: Task = {
      number: rec.number ?? '',
      task: text,
      products,
      lead,
      support,
      timeline: timeline(clean(valueOf(rec, 'timeline', true)), ctx.planYear),
      source: loc(rec.first, col.task),
      rows,
    };
    const id = clean(valueOf(rec, 'id', false));
    if (id) t.id = id;
    // Task-level columns the model has no product slot for: the first row's value, else the product
    // rows' (monitor: their union; approval: the first; notes: all, one per line) — nothing is dropped.
    if (col.monitor !== undefined) {
      const lists = [rec, ...acc.products].map((r) => agencyRefs(clean(valueOf(r, 'monitor', true)), ctx.agencies));
      t.monitor = lists[0].length ? lists[0] : unionRefs(lists.slice(1));
    }
    const approvals = [rec, ...acc.products].map((r) => clean(valueOf(r, 'approval', true))).filter(Boolean);
    if (approvals.length) t.approval = approvals[0];
    const notes = [rec, ...acc.products].map((r) => clean(valueOf(r, 'note', false))).filter(Boolean);
    if (notes.length) t.note = notes.join('\n');
    const extra: Record<string, string> = {};
    // Unknown columns are never dropped: product rows' values follow the task row's, one per line.
    for (const c of unknownCols) {
      const values: string[] = [];
      for (const r of [rec, ...acc.products]) {
        const v = clean(r.cells[c.index - 1] ?? '');
        if (v) values.push(v);
      }
      if (values.length) extra[c.header || `Cột ${columnLetter(c.index)}`] = values.join('\n');
    }
    if (Object.keys(extra).length) t.extra = extra;
    const raw: Record<string, string> = {};
    for (const [f, c] of fieldCols) {
      const v = rec.firstCells[c] ?? '';
      if (v.trim()) raw[f] = v;
    }
    t.raw = raw;
    return t;
  }

  return { sections: out, diagnostics, rowRoles: roles, lastRow: lastTableRow };
}
