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
function mergeOverlay(grid: Grid): { cover: Map<number, Map<number, number>>; ranges: { range: string; top: number; bottom: number; col: number }[] } {
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
      row.cells.forEach((c, i) => {
        if (!c.mergedInto) return;
        const p = parseA1(c.mergedInto);
        if (!p) return;
        const s = spans.get(c.mergedInto) ?? { top: p.row, left: p.column, bottom: p.row, right: p.column };
        s.bottom = Math.max(s.bottom, row.index);
        s.right = Math.max(s.right, i + 1);
        spans.set(c.mergedInto, s);
      });
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
  const rowByIndex = new Map<number, GridRow>();
  for (const r of grid.rows) rowByIndex.set(r.index, r);

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

  for (let p = dataStart; p < grid.rows.length; p++) {
    const row = grid.rows[p];
    const n = row.index;
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
    if (own === 0) {
      roles.push({ sheet: grid.sheet, row: n, role: 'blank' });
      continue;
    }
    // A paragraph between or after table rows (a footnote, the signature after the table): a text
    // line or a Word paragraph is one cell. A section title alone in its row is still a section.
    // In a sheet only the filled cells count: a spreadsheet row reads the same with or without trailing
    // empty cells (xlsx files and the Sheets API trim them, Excel ranges do not). A bare number alone in
    // the first column ("5", "2.1", "II") is a table row the officer is still filling in, never prose; a
    // row with merged cells is part of the table's layout.
    const lone = isText ? row.cells.length === 1 : lastFilled === 0 && !isBareNumber(raws[0]) && !row.cells.some((c) => c.mergedInto);
    if (lone && width > 1) {
      const t = clean(raws[0]);
      const m = ROMAN_TITLE.exec(t);
      // Only reform-area titles: Word paragraphs after the table ("IV. TỔ CHỨC THỰC HIỆN") are prose.
      if (m && m[2].length < 300 && !isText && matchArea(m[2])) {
        // The title's own cell (column A), as when the same row is read as a table row.
        section = { numeral: m[1], title: m[2].replace(/\s+/g, ' ').trim(), row: n, column: 0, tasks: [] };
        sections.push(section);
        task = undefined;
        pageBreak = false;
        lastTableRow = n;
        role(n, 'section');
      } else roles.push({ sheet: grid.sheet, row: n, role: 'other' });
      continue;
    }
    if (isHeaderRepeat(row, header, headerRaw) || isSubHeaderRepeat(row, header) || isColumnNumbering(raws)) {
      roles.push({ sheet: grid.sheet, row: n, role: 'header' });
      pageBreak = true;
      continue;
    }
    lastTableRow = n;
    lastRowCells = row.cells.length;
    for (let i = 0; i < raws.length; i++)
      if (!named.has(i) && !unnamed.has(i) && raws[i].trim() && !row.cells[i]?.mergedInto) unnamed.set(i, n);
    const covered = cover.get(n);
    let inherited = NO_INHERIT;
    if (covered) {
      const own = new Map<number, string>();
      for (const [c, top] of covered) {
        if (raws[c]?.trim()) continue;
        const t = rowByIndex.get(top)?.cells[c]?.text ?? '';
        if (t.trim()) own.set(c, t);
      }
      inherited = own;
    }
    const numText = clean(rawOf(raws, 'number'));
    const taskText = clean(rawOf(raws, 'task'));
    let dataEmpty = true;
    for (const c of dataCols) if (raws[c]?.trim()) dataEmpty = false;
    const numInherited = col.number !== undefined && !numText && inherited.has(col.number);
    const taskInherited = col.task !== undefined && !taskText && inherited.has(col.task);

    // --- Sections -----------------------------------------------------------------------------
    let sec: { numeral: string; title: string; column: number } | undefined;
    if (!numInherited) {
      let m: RegExpExecArray | null;
      if (numText && (m = ROMAN.exec(numText)) && (taskText || dataEmpty)) sec = { numeral: m[1], title: taskText, column: col.task ?? col.number! };
      else if (numText && (m = ROMAN_TITLE.exec(numText)) && !taskText && dataEmpty)
        sec = { numeral: m[1], title: m[2], column: col.number! };
      else if (!numText && taskText && dataEmpty && (m = ROMAN_TITLE.exec(taskText)) && m[2].length < 300)
        sec = { numeral: m[1], title: m[2], column: col.task! };
      else if (!numText && taskText && dataEmpty && !task && isUpperTitle(taskText) && matchArea(taskText))
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
    let m: RegExpExecArray | null;
    if (numText && !numInherited) {
      if ((m = TASK_NUMBER.exec(numText))) ((kind = 'task'), (number = String(Number(m[1])))); // "01." → "1"
      else if ((m = SUB_NUMBER.exec(numText)) || (m = LETTER_NUMBER.exec(numText))) {
        kind = task ? 'product' : 'task';
        if (kind === 'product') productNumber = numText;
        else number = numText;
      }
    }
    if (!kind && !numText && taskText && !taskInherited && (m = NUMBER_IN_TEXT.exec(taskText))) {
      kind = 'task';
      number = m[1];
      numberInText = true;
    }
    if (!kind) {
      const productText = clean(rawOf(raws, 'product'));
      if (!task) {
        kind = taskText && !startsLower(taskText) ? 'task' : 'orphan';
        number = '';
      } else if (numInherited || taskInherited) kind = 'product';
      else if (taskText) kind = startsLower(taskText) || pageBreak ? 'continuation' : 'task';
      else if (!productText) kind = 'continuation';
      else if (PRODUCT_PREFIX.test(productText)) kind = 'product';
      else if (pageBreak && startsLower(productText)) kind = 'continuation';
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
      for (let i = 0; i < raws.length; i++) if (raws[i].trim()) target.cells[i] = joinRaw(target.cells[i] ?? '', raws[i]);
      target.rows.push(n);
      rejoined++;
      const firstCol = raws.findIndex((t) => t.trim());
      diagnostics.push(makeDiagnostic('row.rejoined', loc(n, firstCol), { row: n, into: target.first }));
      role(n, 'continuation');
      pageBreak = false;
      continue;
    }
    if (kind === 'task') {
      const rec: Rec = { kind: 'task', first: n, rows: [n], cells: raws.slice(), firstCells: raws, inherited };
      rec.number = number ?? '';
      rec.numberInText = numberInText;
      task = { rec, products: [] };
      ensureSection(n).tasks.push(task);
      role(n, 'task');
    } else {
      const rec: Rec = { kind: 'product', first: n, rows: [n], cells: raws.slice(), firstCells: raws, inherited };
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
    row.cells.forEach((c, i) => {
      if (c.formula !== undefined && c.formula !== '')
        diagnostics.push(makeDiagnostic('cell.formula', loc(row.index, i), { cell: a1(row.index, i + 1), formula: c.formula, text: c.text }));
    });
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
  const out: Section[] = sections.map((s) => ({
    numeral: s.numeral,
    title: clean(s.title),
    area: s.title ? matchArea(s.title) : null,
    source: loc(s.row, s.column),
    tasks: s.tasks.map((t) => buildTask(t)),
  }));

  function valueOf(rec: Rec, f: Field, inherit: boolean): string {
    const c = col[f];
    if (c === undefined) return '';
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
    const { lead, support } = parties(rec, !fromTaskRow);
    const product: Product = {
      text,
      lead,
      support,
      timeline: timeline(clean(valueOf(rec, 'timeline', !fromTaskRow)), ctx.planYear),
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
    let { lead, support } = parties(rec, false);
    if (!lead.length) lead = unionRefs(products.map((p) => p.lead));
    if (!support.length) support = unionRefs(products.map((p) => p.support));
    const rows = [...rec.rows, ...acc.products.flatMap((p) => p.rows)].sort((a, b) => a - b);
    const t: Task = {
      number: rec.number ?? '',
      task: text,
      products,
      lead,
      support,
      timeline: timeline(clean(valueOf(rec, 'timeline', false)), ctx.planYear),
      source: loc(rec.first, col.task),
      rows,
    };
    const id = clean(valueOf(rec, 'id', false));
    if (id) t.id = id;
    // Task-level columns the model has no product slot for: the first row's value, else the product
    // rows' (monitor: their union; approval: the first; notes: all, one per line) — nothing is dropped.
    if (col.monitor !== undefined) {
      const lists = [rec, ...acc.products].map((r, i) => agencyRefs(clean(valueOf(r, 'monitor', i > 0)), ctx.agencies));
      t.monitor = lists[0].length ? lists[0] : unionRefs(lists.slice(1));
    }
    const approvals = [rec, ...acc.products].map((r, i) => clean(valueOf(r, 'approval', i > 0))).filter(Boolean);
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
