// The table reader: header → sections, tasks, products, page-break continuation rows.
//
// readTable runs named stages over one explicit state (TableState):
//   reportHeader       unknown and missing columns
//   markPreamble       roles of the rows above the table
//   placeRow           each data row, in order: blank, paragraph, header repeat, section, task, product,
//                      continuation or orphan (classifyRow decides from the row's facts and the open task)
//   reportTruncation   a text copy that stops inside the table
//   reportMerges, reportFormulas, keepUnnamedColumns
//   assembleSection    records → model, per section, reusing tasks whose rows are unchanged
// What a row says on its own lives in table-rows.ts (cached per row); building tasks in table-build.ts.
import type { Column, Diagnostic, Field, GridRow, Location, Section } from '../model.js';
import { a1 } from '../a1.js';
import { foldKey } from '../normalize/text.js';
import { makeDiagnostic } from '../rules/diagnostic.js';
import type { AgencyContext } from './agencies.js';
import type { HeaderMatch } from './header.js';
import type { RowRole } from './index.js';
import { mergeOverlay, type MergeRange } from './merges.js';
import {
  assembleSection,
  buildScope,
  type BuildScope,
  NO_PRODUCTS,
  type Rec,
  recFacts,
  recRows,
  type SectionAcc,
  type TaskAcc,
} from './table-build.js';
import {
  NUMBER_IN_TEXT,
  factsOf,
  isUpperTitle,
  keepsRows,
  tableLayout,
  type RowFacts,
  type TableLayout,
} from './table-rows.js';
import { clean } from './text.js';
import { FIELD_LABELS, RECOMMENDED_FIELDS, REQUIRED_FIELDS, matchArea } from '../vocab/index.js';
import { mapPacked } from '../packed.js';

export { mergeOverlay } from './merges.js';
export { INHERITED, assembleSection, type BuildScope, type SectionAcc, type TaskAcc } from './table-build.js';

export interface TableContext {
  agencies: AgencyContext;
  planYear?: number;
  /** Checkpoints after task rows too (ReadOptions.incremental). */
  incremental?: boolean;
  /** False: nothing kept by grid row for a later read (ReadOptions.rememberRows). */
  rememberRows?: boolean;
}

export interface TableResult {
  sections: Section[];
  diagnostics: Diagnostic[];
  rowRoles: RowRole[];
  lastRow: number;
  /** 'targets' for a table of targets ("Chỉ tiêu"), which needs no product or timeline column. */
  kind: 'tasks' | 'targets';
  /** The section records and the scope they were built in: re-assemble one section with assembleSection. */
  records: SectionAcc[];
  scope: BuildScope;
  /** The walk's final state and checkpoints, for a re-read after an edit (table-replay.ts). */
  state: TableState;
  walk: Walk;
}

/** Everything the stages share while one table is read. */
export interface TableState {
  layout: TableLayout;
  ctx: TableContext;
  diagnostics: Diagnostic[];
  roles: RowRole[];
  /** Vertical merges: covered (row, col0) → top row; and the merge ranges, for their diagnostics. */
  cover: Map<number, Map<number, number>>;
  ranges: MergeRange[];
  byIndex?: Map<number, GridRow>;
  sections: SectionAcc[];
  section?: SectionAcc;
  task?: TaskAcc;
  /** A header repeat was just passed: the next rows may continue the open task. */
  pageBreak: boolean;
  /**
   * The header row repeated at a page break was itself split by it: column → the part of its header text printed
   * before the break. The row with the rest ("xuất/ tham mưu/thực hiện" under "Cơ quan chủ trì đề") is header too.
   */
  headerTail?: Map<number, string>;
  lastTableRow: number;
  lastRowCells: number;
  /** Continuation rows joined so far (a sign that rows run across page breaks). */
  rejoined: number;
  /** Columns without a header text that hold data → first such row. */
  unnamed: Map<number, number>;
  /** Position in grid.rows of the first data row, and its row number. */
  dataStart: number;
  firstDataRow: number;
  kind: 'tasks' | 'targets';
  /** The lettered part ("A. …") the next sections belong to. */
  part?: { numeral: string; title: string };
  /** An outline heading ("1. …" above tasks 1.1, 1.2) that the tasks under it name as their group. */
  group?: string;
  /** How the last decimal row was read, to spot siblings read differently. */
  lastDecimal?: { parent: string; number: string; kind: 'task' | 'product'; carries: boolean };
  /** Paragraph rows the walk did not place, reported once the table's extent is known. */
  unplaced: { row: number; text: string }[];
  /** A decimal row read differently from its sibling, reported at the row once it is placed. */
  mixed?: { number: string; sibling: string; kind: 'task' | 'product' };
}

type Kind = 'task' | 'product' | 'continuation' | 'orphan';
interface Placement {
  kind: Kind;
  /** A decimal item ("2.1") read as a task of its own. */
  decimal?: boolean;
  number?: string;
  numberInText?: boolean;
  productNumber?: string;
}

const NO_INHERIT: ReadonlyMap<number, string> = new Map();
const DANGLING = /(?:[,;:(\-–]|\s(?:và|với|của|các|cho|theo|tại|trong|để|được|hoặc|từ|đến|về|là|những))$/u;
const BLOCK_OPENER = /^\s*<(?:p|li|div|span)\b[^>]*>\s*(?=\p{Ll})/u;
const NEW_BLOCK = /^\s*(?:<|[-+•])/;
const ENDS_WITH_TAG = />\s*$/;

export function readTable(header: HeaderMatch, ctx: TableContext): TableResult {
  const st = startTable(header, ctx);
  reportHeader(st);
  markPreamble(st);
  // The header's own columns, before keepUnnamedColumns adds the unnamed ones (a re-read starts from them).
  const columns = header.columns.slice();
  const checkpoints = [checkpoint(st, st.dataStart)].filter((c): c is Checkpoint => c !== undefined);
  walkRows(st, st.dataStart, checkpoints);
  return finishTable(st, { checkpoints, columns, end: snapshot(st, header.grid.rows.length) });
}

/**
 * Places the rows from position `from` on. After each row that opens a section it notes a checkpoint (see
 * table-replay.ts); `stop` may end the walk there (returns the position reached).
 */
export function walkRows(
  st: TableState,
  from: number,
  checkpoints: Checkpoint[],
  stop?: (cp: Checkpoint) => boolean,
): number {
  const rows = st.layout.grid.rows;
  for (let p = from; p < rows.length; p++) {
    const sections = st.sections.length;
    const task = st.task;
    placeRow(st, p);
    let cp: Checkpoint | undefined;
    if (st.sections.length !== sections) cp = checkpoint(st, p + 1);
    else if (st.task !== task && st.task && st.ctx.incremental)
      cp = taskCheckpoint(st, p + 1, checkpoints[checkpoints.length - 1]);
    if (!cp) continue;
    checkpoints.push(cp);
    if (stop?.(cp)) return p + 1;
  }
  return rows.length;
}

/** The stages after the walk: reports that need the whole table, then the model, section by section. */
export function finishTable(st: TableState, walk: Walk): TableResult {
  st.layout.header.columns = walk.columns.slice();
  reportTruncation(st);
  reportUnplaced(st);
  reportMerges(st);
  reportFormulas(st, walk);
  const unknownCols = keepUnnamedColumns(st);
  const scope = buildScope(st.layout, st.ctx, unknownCols, (row, c) => locate(st, row, c));
  const sections = mapPacked(st.sections, (s) => assembled(scope, s));
  return {
    sections,
    diagnostics: st.diagnostics,
    rowRoles: st.roles,
    lastRow: st.lastTableRow,
    kind: st.kind,
    records: st.sections,
    scope,
    state: st,
    walk,
  };
}

// A section record that a re-read kept as it was gives the same section while the build context is the same.
const sectionsBuilt = new WeakMap<SectionAcc, { sig: string; section: Section }>();
function assembled(scope: BuildScope, acc: SectionAcc): Section {
  const hit = sectionsBuilt.get(acc);
  if (hit && hit.sig === scope.taskSig) return hit.section;
  const section = assembleSection(scope, acc);
  sectionsBuilt.set(acc, { sig: scope.taskSig, section });
  return section;
}

// --- Checkpoints: where a re-read after an edit can start and stop ------------------------------------------

/** The state of the walk right after a row that opened a section (or before the first data row). */
export interface Checkpoint {
  /** Position in grid.rows of the next row to place. */
  p: number;
  roles: number;
  diagnostics: number;
  sections: number;
  unplaced: number;
  /** True when the open section is the last one and has no task yet, or (`task` set) a task opened just now. */
  open: boolean;
  /**
   * A checkpoint right after a row that opened a task (the last of the open section's `tasks` tasks): the task
   * as it was then, its role object (a later row may turn it into a group heading and replace that role).
   */
  task?: TaskAcc;
  tasks?: number;
  taskRole?: RowRole;
  /** The state's plain values (everything but its collections and shared context), as they were. */
  values: Record<string, unknown>;
  unnamed: [number, number][];
}

/** What a walk leaves behind for a re-read: its checkpoints, the header's own columns and the state at its end. */
export interface Walk {
  checkpoints: Checkpoint[];
  columns: Column[];
  end?: Checkpoint;
  /** Positions in grid.rows of the rows with a formula, from the header on (worked out by the first read). */
  formulas?: number[];
}

// The fields of TableState that are collections (copied by length) or shared context (never changed by the walk).
export const STATE_COLLECTIONS: ReadonlySet<string> = new Set([
  'layout',
  'ctx',
  'diagnostics',
  'roles',
  'cover',
  'ranges',
  'byIndex',
  'sections',
  'section',
  'task',
  'unnamed',
  'unplaced',
]);

/**
 * A checkpoint, or undefined where a re-read cannot start: a task is open, or the section is not the last one.
 */
export function checkpoint(st: TableState, p: number): Checkpoint | undefined {
  if (st.task) return undefined;
  if (st.section && (st.section !== st.sections[st.sections.length - 1] || st.section.tasks.length > 0))
    return undefined;
  return snapshot(st, p);
}

/**
 * The state's lengths and values at position `p`; undefined when it holds a collection this code does not know
 * how to copy (a collection added to TableState must be listed in STATE_COLLECTIONS).
 */
export function snapshot(st: TableState, p: number): Checkpoint | undefined {
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(st)) {
    if (STATE_COLLECTIONS.has(k) || v === undefined) continue;
    if (typeof v === 'object' && v !== null && (Array.isArray(v) || v instanceof Map || v instanceof Set))
      return undefined;
    values[k] = v;
  }
  return {
    p,
    roles: st.roles.length,
    diagnostics: st.diagnostics.length,
    sections: st.sections.length,
    unplaced: st.unplaced.length,
    open: st.section !== undefined,
    values,
    unnamed: [...st.unnamed],
    task: undefined,
    tasks: undefined,
    taskRole: undefined,
  };
}

// Fields a task checkpoint does not keep: right after a task row they are that row's number and cell count.
export const TASK_ROW_VALUES: ReadonlySet<string> = new Set(['lastTableRow', 'lastRowCells']);

/**
 * A checkpoint right after the row at p - 1 opened a task, or undefined where a re-read cannot start there. Its
 * values and unnamed columns are those of the checkpoint before when they did not change (one object per task
 * row, not three: a fresh read notes one per task).
 */
function taskCheckpoint(st: TableState, p: number, before: Checkpoint | undefined): Checkpoint | undefined {
  const task = st.task!;
  const section = st.section;
  if (!section || section !== st.sections[st.sections.length - 1] || task.products.length > 0) return undefined;
  if (task.rec.rows !== undefined || section.tasks[section.tasks.length - 1] !== task) return undefined;
  const rec = st as unknown as Record<string, unknown>;
  const last = before?.tasks !== undefined ? before.values : undefined;
  let same = last !== undefined;
  for (const k of TASK_VALUE_FIELDS) {
    const v = rec[k];
    if (v === undefined) {
      if (same && last![k] !== undefined) same = false;
      continue;
    }
    if (typeof v === 'object' && v !== null && (Array.isArray(v) || v instanceof Map || v instanceof Set))
      return undefined;
    if (same && last![k] !== v) same = false;
  }
  let values = last!;
  if (!same) {
    values = {};
    for (const k of TASK_VALUE_FIELDS) if (rec[k] !== undefined) values[k] = rec[k];
  }
  const unnamed = before && before.unnamed.length === st.unnamed.size ? before.unnamed : [...st.unnamed];
  return {
    p,
    roles: st.roles.length,
    diagnostics: st.diagnostics.length,
    sections: st.sections.length,
    unplaced: st.unplaced.length,
    open: true,
    values,
    unnamed,
    task,
    tasks: section.tasks.length,
    taskRole: st.roles[st.roles.length - 1],
  };
}

// The state's plain fields a task checkpoint keeps: every field of tableState's one shape but the others.
const TASK_VALUE_FIELDS: readonly string[] = Object.keys(tableState({} as TableState)).filter(
  (k) => !STATE_COLLECTIONS.has(k) && !TASK_ROW_VALUES.has(k),
);

export function startTable(header: HeaderMatch, ctx: TableContext): TableState {
  const { cover, ranges } = mergeOverlay(header.grid);
  const dataStart = header.sub ? header.sub.position + 1 : header.position + 1;
  const layout = tableLayout(header);
  return tableState({
    layout,
    kind: isTargets(layout) ? 'targets' : 'tasks',
    unplaced: [],
    ctx,
    diagnostics: [],
    roles: [],
    cover,
    ranges,
    sections: [],
    pageBreak: false,
    lastTableRow: header.row,
    lastRowCells: 0,
    rejoined: 0,
    unnamed: new Map(),
    dataStart,
    firstDataRow: header.grid.rows[dataStart]?.index ?? Number.MAX_SAFE_INTEGER,
  });
}

/**
 * A state object with every field present, in one order: the walk's functions then see one object shape, whether
 * the state was started here or restored by a re-read (an object built by spreading and deleting keys would
 * fall back to slow dictionary properties, and every field access in the walk with it).
 */
export function tableState(s: TableState): TableState {
  return {
    layout: s.layout,
    ctx: s.ctx,
    diagnostics: s.diagnostics,
    roles: s.roles,
    cover: s.cover,
    ranges: s.ranges,
    byIndex: s.byIndex,
    sections: s.sections,
    section: s.section,
    task: s.task,
    pageBreak: s.pageBreak,
    headerTail: s.headerTail,
    lastTableRow: s.lastTableRow,
    lastRowCells: s.lastRowCells,
    rejoined: s.rejoined,
    unnamed: s.unnamed,
    dataStart: s.dataStart,
    firstDataRow: s.firstDataRow,
    kind: s.kind,
    part: s.part,
    group: s.group,
    lastDecimal: s.lastDecimal,
    unplaced: s.unplaced,
    mixed: s.mixed,
  };
}

/** A row (and column) of this table as a diagnostic location; text documents also give the line. */
export function locate(st: TableState, row: number, c?: number): Location {
  // One literal per form, its fields in the same order: a cell's location held by every task and product has its
  // fields in the object, where fields added after the literal take a second allocation.
  const sheet = st.layout.grid.sheet;
  const l: Location = c === undefined ? { sheet, row } : { sheet, row, column: c + 1, cell: a1(row, c + 1) };
  if (st.layout.isText) l.line = row;
  return l;
}

/** A table of targets: its text column is headed "Chỉ tiêu" and it has no product column. */
function isTargets(layout: TableLayout): boolean {
  const c = layout.col.task;
  return c !== undefined && layout.col.product === undefined && /^chi tieu\b/.test(layout.header.keys[c] ?? '');
}

// --- Header ----------------------------------------------------------------------------------------------

/** Unknown columns (kept) and missing required or recommended ones. */
function reportHeader(st: TableState): void {
  const { header, col } = st.layout;
  for (const c of header.columns) {
    if (c.field === null)
      st.diagnostics.push(
        makeDiagnostic('header.unknown-column', locate(st, header.row, c.index - 1), {
          header: c.header,
          cell: a1(header.row, c.index),
        }),
      );
  }
  for (const x of header.inferred ?? [])
    st.diagnostics.push(
      makeDiagnostic('header.column-by-content', locate(st, header.row, x.column), {
        header: header.columns.find((c) => c.index === x.column + 1)?.header ?? '',
        cell: a1(header.row, x.column + 1),
        column: FIELD_LABELS[x.field],
        field: x.field,
        percent: Math.round(x.share * 100),
      }),
    );
  const has = (f: Field) => col[f] !== undefined || ((f === 'lead' || f === 'support') && col.assignment !== undefined);
  const missing = (f: Field) => ({ column: FIELD_LABELS[f], field: f, row: header.row });
  // A targets table states who is responsible for each target; products and deadlines are not its columns.
  const needed = (f: Field) => st.kind !== 'targets' || (f !== 'timeline' && f !== 'product');
  for (const f of REQUIRED_FIELDS.filter(needed))
    if (!has(f)) st.diagnostics.push(makeDiagnostic('header.missing-column', locate(st, header.row), missing(f)));
  for (const f of RECOMMENDED_FIELDS.filter(needed))
    if (!has(f))
      st.diagnostics.push(
        makeDiagnostic('header.missing-column', locate(st, header.row), missing(f), { severity: 'warning' }),
      );
}

function markPreamble(st: TableState): void {
  const { grid, header } = st.layout;
  for (let p = 0; p < header.position; p++) {
    const r = grid.rows[p];
    st.roles.push({ sheet: grid.sheet, row: r.index, role: r.cells.some((c) => c.text.trim()) ? 'preamble' : 'blank' });
  }
  st.roles.push({ sheet: grid.sheet, row: header.row, role: 'header' });
  if (header.sub) st.roles.push({ sheet: grid.sheet, row: header.sub.row, role: 'header' });
}

// --- The walk over data rows -----------------------------------------------------------------------------

/** A role that belongs to no section or task (blank rows, paragraphs, header repeats). */
function plainRole(st: TableState, row: number, role: RowRole['role']): void {
  st.roles.push({ sheet: st.layout.grid.sheet, row, role });
}

/** A role inside the current section (and task, for task, product and continuation rows). */
function role(st: TableState, row: number, r: RowRole['role']): void {
  // Both fields in the literal (undefined where the row has none): added afterwards, they would take a second
  // allocation per role for the properties that do not fit in the object.
  const section = st.section ? st.sections.length - 1 : undefined;
  const task =
    st.task && st.section && (r === 'task' || r === 'product' || r === 'continuation')
      ? st.section.tasks.length - 1
      : undefined;
  st.roles.push({ sheet: st.layout.grid.sheet, row, role: r, section, task });
}

export function placeRow(st: TableState, p: number): void {
  const row = st.layout.grid.rows[p];
  const n = row.index;
  const f = factsOf(st.layout, row, keepsRows(st.ctx));
  if (f.own === 0) return plainRole(st, n, 'blank');
  if (st.headerTail && !f.repeat) {
    const tail = st.headerTail;
    st.headerTail = undefined;
    if (isHeaderTail(st.layout.header, f.raws, tail)) return plainRole(st, n, 'header');
  }
  if (f.lone && placeParagraph(st, p, f)) return;
  if (f.repeat) {
    plainRole(st, n, 'header');
    st.pageBreak = true;
    // A repeat of the whole header after the split one leaves its tail still to come.
    st.headerTail = splitHeaderCells(st.layout.header, f.raws) ?? st.headerTail;
    return;
  }
  st.lastTableRow = n;
  st.lastRowCells = row.cells.length;
  for (const i of f.unnamed) if (!st.unnamed.has(i)) st.unnamed.set(i, n);
  if (continuesTitle(st, f)) {
    // A section title split by a page break ("IV. CẢI CÁCH CHẾ ĐỘ CÔNG" / "VỤ"): the rest of the title.
    st.section!.title = `${st.section!.title} ${f.taskText}`;
    st.pageBreak = false;
    return role(st, n, 'section');
  }
  const inherited = inheritedCells(st, n, f.raws);
  const part = partOf(st, f);
  if (part) return openPart(st, n, part);
  const sec = sectionOf(st, f, inherited);
  if (sec) return openSection(st, n, sec);
  const placed = classifyRow(st, f, inherited);
  if (placed.kind === 'orphan') {
    st.diagnostics.push(makeDiagnostic('row.orphan', locate(st, n), { row: n }));
    role(st, n, 'other');
  } else if (placed.kind === 'continuation') appendContinuation(st, row, f);
  else addRecord(st, row, f, inherited, placed);
  st.pageBreak = false;
}

/** The columns of a repeated header row that hold only the start of their header text (the row was split). */
function splitHeaderCells(header: HeaderMatch, raws: string[]): Map<number, string> | undefined {
  let split: Map<number, string> | undefined;
  for (let i = 0; i < header.keys.length; i++) {
    const key = header.keys[i];
    const raw = raws[i]?.trim();
    if (!key || !raw || raw.length >= 200) continue;
    const folded = foldKey(raw);
    if (folded && folded !== key && key.startsWith(folded + ' ')) (split ??= new Map()).set(i, raw);
  }
  return split;
}

/** Every filled cell of the row is the rest of its column's split header text. */
function isHeaderTail(header: HeaderMatch, raws: string[], tail: Map<number, string>): boolean {
  let any = false;
  for (let i = 0; i < raws.length; i++) {
    const raw = raws[i]?.trim();
    if (!raw) continue;
    const start = tail.get(i);
    if (start === undefined || raw.length >= 200 || foldKey(`${start} ${raw}`) !== header.keys[i]) return false;
    any = true;
  }
  return any;
}

/**
 * A paragraph row (one cell of text). A reform-area title opens a section; in a sheet whose first column is
 * the task column (seed 004's layout), a lone first cell after a page break, or one that goes on with a
 * lower-case word, is the rest of the open task and is read as a table row (returns false). Else it is prose.
 */
function placeParagraph(st: TableState, p: number, f: RowFacts): boolean {
  const n = st.layout.grid.rows[p].index;
  if (f.title) {
    // The title's own cell (column A), as when the same row is read as a table row.
    st.lastTableRow = n;
    openSection(st, n, { ...f.title, column: 0 });
    return true;
  }
  // A part or a section title across merged cells, or alone in column A, heads the table rows that follow it;
  // one that no table row follows is prose ("IV. TỔ CHỨC THỰC HIỆN" after the table).
  if ((f.partTitle || f.loneRoman) && tableFollows(st, p)) {
    st.lastTableRow = n;
    if (f.partTitle) openPart(st, n, f.partTitle);
    else openSection(st, n, { ...f.loneRoman!, column: 0 });
    return true;
  }
  const continues = !st.layout.isText && !!st.task && st.layout.col.task === 0 && (st.pageBreak || !!f.loneLower);
  if (continues) return false;
  plainRole(st, n, 'other');
  st.unplaced.push({ row: n, text: clean(f.raws.find((t) => t.trim()) ?? '') });
  return true;
}

/** The next non-blank row (within a few) is a table row, or another heading of the table. */
function tableFollows(st: TableState, p: number): boolean {
  const rows = st.layout.grid.rows;
  for (let q = p + 1; q < rows.length && q <= p + 5; q++) {
    const f = factsOf(st.layout, rows[q], keepsRows(st.ctx));
    if (f.own === 0) continue;
    return !f.lone || !!f.title || !!f.loneRoman;
  }
  return false;
}

/** A lettered part ("A", "B. NHIỆM VỤ THƯỜNG XUYÊN") in a row with no data. "C" is a Roman 100 unless parts came before. */
function partOf(st: TableState, f: RowFacts): { numeral: string; title: string } | undefined {
  if (!f.dataEmpty) return undefined;
  if (f.partNum !== undefined && (f.romanNum === undefined || st.part))
    return { numeral: f.partNum, title: f.taskText };
  if (f.partTitle && (!(f.romanTitleNum || f.romanTitleTask) || st.part)) return f.partTitle;
  return undefined;
}

function openPart(st: TableState, n: number, part: { numeral: string; title: string }): void {
  st.part = { numeral: part.numeral, title: part.title.replace(/\s+/g, ' ').trim() };
  st.section = undefined;
  st.task = undefined;
  st.group = undefined;
  st.lastDecimal = undefined;
  st.pageBreak = false;
  role(st, n, 'section');
}

/** Right after a page break, under a section with no task yet: an unnumbered, data-less upper-case text. */
function continuesTitle(st: TableState, f: RowFacts): boolean {
  const s = st.section;
  if (!st.pageBreak || st.task || !s || s.tasks.length || !s.title || f.numText || !f.taskText || !f.dataEmpty)
    return false;
  return f.taskText === f.taskText.toUpperCase() && s.title === s.title.toUpperCase();
}

/** Empty cells of this row covered by a vertical merge, with the merge's value. */
function inheritedCells(st: TableState, n: number, raws: string[]): ReadonlyMap<number, string> {
  const covered = st.cover.get(n);
  if (!covered) return NO_INHERIT;
  if (!st.byIndex) {
    st.byIndex = new Map();
    for (const r of st.layout.grid.rows) st.byIndex.set(r.index, r);
  }
  const own = new Map<number, string>();
  for (const [c, top] of covered) {
    if (raws[c]?.trim()) continue;
    const t = st.byIndex.get(top)?.cells[c]?.text ?? '';
    if (t.trim()) own.set(c, t);
  }
  return own;
}

/** The section a row opens, if it is a section row: a Roman numeral or an upper-case reform-area title. */
function sectionOf(
  st: TableState,
  f: RowFacts,
  inherited: ReadonlyMap<number, string>,
): { numeral: string; title: string; column: number } | undefined {
  const col = st.layout.col;
  const { numText, taskText, dataEmpty } = f;
  if (col.number !== undefined && !numText && inherited.has(col.number)) return undefined;
  if (f.romanNum !== undefined && (taskText || dataEmpty))
    return { numeral: f.romanNum, title: taskText, column: col.task ?? col.number! };
  if (f.romanTitleNum && !taskText && dataEmpty) return { ...f.romanTitleNum, column: col.number! };
  if (!numText && dataEmpty && f.romanTitleTask) return { ...f.romanTitleTask, column: col.task! };
  if (
    !numText &&
    taskText &&
    dataEmpty &&
    !st.task &&
    (f.upperArea ??= isUpperTitle(taskText) && !!matchArea(taskText))
  )
    return { numeral: '', title: taskText, column: col.task! };
  return undefined;
}

function openSection(st: TableState, n: number, sec: { numeral: string; title: string; column: number }): void {
  st.section = {
    numeral: sec.numeral,
    title: sec.title.replace(/\s+/g, ' ').trim(),
    row: n,
    column: sec.column,
    tasks: [],
  };
  if (st.part) st.section.part = st.part;
  st.sections.push(st.section);
  st.task = undefined;
  st.group = undefined;
  st.lastDecimal = undefined;
  st.pageBreak = false;
  role(st, n, 'section');
}

/** Task, product, continuation of the open record, or orphan: from the row's numbering, texts and the open task. */
function classifyRow(st: TableState, f: RowFacts, inherited: ReadonlyMap<number, string>): Placement {
  const col = st.layout.col;
  const { numText, taskText } = f;
  const numInherited = col.number !== undefined && !numText && inherited.has(col.number);
  const taskInherited = col.task !== undefined && !taskText && inherited.has(col.task);
  if (numText && !numInherited) {
    if (f.taskNumber !== undefined) return { kind: 'task', number: f.taskNumber };
    if (f.decimal !== undefined)
      return placeDecimal(st, f, f.decimal, false) ?? { kind: 'product', productNumber: numText };
    if (f.subNumber) return st.task ? { kind: 'product', productNumber: numText } : { kind: 'task', number: numText };
  }
  if (!numText && taskText && !taskInherited && f.decimalInText !== undefined) {
    const placed = placeDecimal(st, f, f.decimalInText, true);
    if (placed) return placed;
  }
  if (!numText && taskText && !taskInherited && f.inlineNumber !== undefined)
    return { kind: 'task', number: f.inlineNumber, numberInText: true };
  let kind: Kind;
  if (!st.task) kind = taskText && !f.taskLower ? 'task' : 'orphan';
  else if (numInherited || taskInherited) kind = 'product';
  else if (taskText) kind = f.taskLower || st.pageBreak ? 'continuation' : 'task';
  else if (!f.productText) kind = 'continuation';
  else if (f.productPrefixed) kind = 'product';
  else if (st.pageBreak && f.productLower) kind = 'continuation';
  else kind = 'product';
  return PLACED[kind];
}

// The placements that carry nothing but their kind, made once (classifyRow runs for every row).
const PLACED: Readonly<Record<Kind, Placement>> = {
  task: { kind: 'task', number: '' },
  orphan: { kind: 'orphan', number: '' },
  product: { kind: 'product' },
  continuation: { kind: 'continuation' },
};

/**
 * A decimal item ("2.1"). It is a task when it has task text and carries its own agencies or timeline, or when
 * no task is open; a product of the task above when it carries neither (or has only a product text). Siblings read differently (one with its own agencies,
 * the next without) are reported; a sibling of a task is read as a task. Undefined: let the other rules decide
 * (a decimal written in the task text that carries nothing).
 */
function placeDecimal(st: TableState, f: RowFacts, number: string, inText: boolean): Placement | undefined {
  const parent = number.slice(0, number.lastIndexOf('.'));
  const sibling = st.lastDecimal?.parent === parent ? st.lastDecimal : undefined;
  let kind: 'task' | 'product';
  // A decimal row with no task text of its own names a product in the product column (seed 000's layout).
  if (!st.task || (f.taskText && (f.carries || sibling?.kind === 'task'))) kind = 'task';
  else if (inText) return undefined;
  else kind = 'product';
  // Siblings whose evidence differs (one carries agencies or a timeline, the other not) are reported.
  if (sibling && (sibling.kind !== kind || sibling.carries !== f.carries))
    st.mixed = { number, sibling: sibling.number, kind };
  st.lastDecimal = { parent, number, kind, carries: f.carries };
  if (kind === 'product') return { kind, productNumber: f.numText };
  if (st.task && st.task.rec.number === parent && isHeading(st.task)) demoteToGroup(st);
  return { kind, number, numberInText: inText, decimal: true };
}

/** An open task that is only a numbered title: no product, agency or timeline of its own, no product rows. */
function isHeading(acc: TaskAcc): boolean {
  return acc.products.length === 0 && recFacts(acc.rec).every((f) => f.dataEmpty) && acc.rec.inherited.size === 0;
}

/** The open task turns out to be the heading of the decimal tasks under it: it becomes their group. */
function demoteToGroup(st: TableState): void {
  const acc = st.task!;
  st.section!.tasks.pop();
  st.task = undefined;
  const taskCol = st.layout.col.task;
  let title = taskCol === undefined ? '' : clean(acc.rec.cells[taskCol] ?? '');
  if (acc.rec.numberInText) title = NUMBER_IN_TEXT.exec(title)?.[2].trim() ?? title;
  st.group = acc.rec.number ? `${acc.rec.number}. ${title}` : title;
  const rows = new Set(recRows(acc.rec));
  for (let i = st.roles.length - 1; i >= 0 && rows.size; i--) {
    const r = st.roles[i];
    if (!rows.delete(r.row)) continue;
    st.roles[i] = { sheet: r.sheet, row: r.row, role: 'other', section: st.sections.length - 1 };
  }
  st.diagnostics.push(
    makeDiagnostic('row.group-heading', locate(st, acc.rec.first, taskCol), {
      row: acc.rec.first,
      number: acc.rec.number ?? '',
      title,
    }),
  );
}

function joinRaw(prev: string, next: string): string {
  if (!prev) return next;
  // "...đơn vị, địa" + "<p>phương chủ động...": a block tag opening a lower-case word continues the sentence.
  const opener = BLOCK_OPENER.exec(next);
  if (opener) return `${prev} ${next.slice(opener[0].length)}`;
  if (NEW_BLOCK.test(next) || ENDS_WITH_TAG.test(prev)) return `${prev}\n${next}`;
  return `${prev} ${next}`;
}

/** The rest of the open task's last record (a row broken across a page, a wrapped line): its texts appended. */
function appendContinuation(st: TableState, row: GridRow, f: RowFacts): void {
  const n = row.index;
  const task = st.task!;
  const target = task.products.length ? task.products[task.products.length - 1] : task.rec;
  // Records share their first row's cached texts until a continuation appends to them.
  if (target.cells === target.firstCells) target.cells = target.cells.slice();
  const raws = f.raws;
  for (let i = 0; i < raws.length; i++) if (raws[i].trim()) target.cells[i] = joinRaw(target.cells[i] ?? '', raws[i]);
  if (target.rows === undefined) {
    target.rows = [target.first, n];
    target.facts = [target.firstFacts, f];
  } else {
    target.rows.push(n);
    target.facts!.push(f);
  }
  st.rejoined++;
  const firstCol = raws.findIndex((t) => t.trim());
  st.diagnostics.push(makeDiagnostic('row.rejoined', locate(st, n, firstCol), { row: n, into: target.first }));
  role(st, n, 'continuation');
}

/** A new task (in the current section, opened if none) or a product row of the open task. */
function addRecord(
  st: TableState,
  row: GridRow,
  f: RowFacts,
  inherited: ReadonlyMap<number, string>,
  placed: Placement,
): void {
  const n = row.index;
  const task = placed.kind === 'task';
  // Every field set here, in one order: task and product records share one object shape.
  const rec: Rec = {
    kind: placed.kind as Rec['kind'],
    first: n,
    rows: undefined,
    obj: row,
    firstFacts: f,
    facts: undefined,
    cells: f.raws,
    firstCells: f.raws,
    inherited,
    number: task ? (placed.number ?? '') : undefined,
    numberInText: task ? (placed.numberInText ?? false) : undefined,
    productNumber: task ? undefined : placed.productNumber,
  };
  reportMixed(st, n);
  if (task) {
    if (!placed.decimal) {
      st.group = undefined;
      st.lastDecimal = undefined;
    }
    st.task = { rec, products: NO_PRODUCTS, group: placed.decimal ? st.group : undefined };
    if (!st.section) {
      // Tasks right under a lettered part: the part is their section.
      const part = st.part;
      st.section = { numeral: part?.numeral ?? '', title: part?.title ?? '', row: n, column: 1, tasks: [] };
      if (part) st.section.part = part;
      st.sections.push(st.section);
    }
    st.section.tasks.push(st.task);
    role(st, n, 'task');
  } else {
    // Made at their size: a pushed array grows to 17 slots on its first push, and a task has a few products.
    const t = st.task!;
    const p = t.products;
    t.products = p.length === 0 ? [rec] : p.length === 1 ? [p[0], rec] : [...p, rec];
    role(st, n, 'product');
  }
}

/** Decimal siblings read differently: the officer is told which way each was read. */
function reportMixed(st: TableState, n: number): void {
  const m = st.mixed;
  if (!m) return;
  st.mixed = undefined;
  const col = st.layout.col.number ?? st.layout.col.task;
  st.diagnostics.push(
    makeDiagnostic('row.outline-mixed', locate(st, n, col), {
      row: n,
      number: m.number,
      sibling: m.sibling,
      read: m.kind,
    }),
  );
}

// --- After the walk --------------------------------------------------------------------------------------

/**
 * Nothing is dropped silently: a paragraph inside the table is reported on its own; the text after the table
 * (closing paragraphs, signature) once, as a block.
 */
function reportUnplaced(st: TableState): void {
  const after: { row: number; text: string }[] = [];
  for (const u of st.unplaced) {
    if (u.row > st.lastTableRow) after.push(u);
    else
      st.diagnostics.push(makeDiagnostic('row.not-placed', locate(st, u.row), { row: u.row, text: quoteText(u.text) }));
  }
  if (after.length)
    st.diagnostics.push(
      makeDiagnostic('document.after-table', locate(st, after[0].row), {
        from: after[0].row,
        to: after[after.length - 1].row,
        count: after.length,
      }),
    );
}

function quoteText(t: string): string {
  return t.length > 60 ? `${t.slice(0, 57)}…` : t;
}

/** The document stops inside the table. Only text can be cut off (a copy, an extraction); a file ends where it ends. */
function reportTruncation(st: TableState): void {
  const { grid, isText, width } = st.layout;
  const last = grid.rows[grid.rows.length - 1];
  if (!isText || !st.task || !last || last.index !== st.lastTableRow || !last.cells.some((c) => c.text.trim())) return;
  const lastRaw = last.cells.map((c) => c.text.trim()).filter(Boolean);
  const lastText = clean(lastRaw[lastRaw.length - 1] ?? '');
  let reason: string | undefined;
  let missing = 0;
  if (st.lastRowCells < width) {
    reason = 'short-row';
    missing = width - st.lastRowCells;
  } else if (DANGLING.test(lastText)) reason = 'dangling';
  // Rows of this document continue across page breaks; its text stops at a row without a line end.
  else if (st.rejoined > 0) reason = 'no-line-end';
  if (reason)
    st.diagnostics.push(
      makeDiagnostic('document.truncated', locate(st, last.index), { row: last.index, missing, reason }),
    );
}

/**
 * Merges in the header, and merges across columns of one row, are layout; a merge down several data rows
 * changes what those rows mean, so the officer is told.
 */
function reportMerges(st: TableState): void {
  for (const r of st.ranges)
    if (r.bottom > r.top && r.bottom >= st.firstDataRow && r.top <= st.lastTableRow)
      st.diagnostics.push(makeDiagnostic('cell.merged', locate(st, r.top, r.col - 1), { range: r.range }));
}

// Rows seen without a formula, by their cells array: a full read of a session's grid skips the rows it saw.
const formulaFree = new WeakMap<GridRow, GridRow['cells']>();

function reportFormulas(st: TableState, walk: Walk): void {
  const { grid } = st.layout;
  walk.formulas ??= formulaRows(grid.rows, st.layout.header.position, keepsRows(st.ctx));
  for (const p of walk.formulas) {
    const row = grid.rows[p];
    if (row.index > st.lastTableRow) break;
    for (let i = 0; i < row.cells.length; i++) {
      const c = row.cells[i];
      if (c.formula === undefined || c.formula === '') continue;
      st.diagnostics.push(
        makeDiagnostic('cell.formula', locate(st, row.index, i), {
          cell: a1(row.index, i + 1),
          formula: c.formula,
          text: c.text,
        }),
      );
    }
  }
}

/** Positions in `rows`, from `from` on, of the rows with a formula in some cell (`remember`: see formulaFree). */
function formulaRows(rows: readonly GridRow[], from: number, remember: boolean): number[] {
  const out: number[] = [];
  for (let p = from; p < rows.length; p++) {
    const row = rows[p];
    if (!remember) {
      if (hasFormula(row)) out.push(p);
      continue;
    }
    if (formulaFree.get(row) === row.cells) continue;
    if (hasFormula(row)) out.push(p);
    else formulaFree.set(row, row.cells);
  }
  return out;
}

function hasFormula(row: GridRow): boolean {
  for (const c of row.cells) if (c.formula !== undefined && c.formula !== '') return true;
  return false;
}

/**
 * The formula rows after the rows at `positions` changed in place: the others are the same row objects, so the
 * list of the last read stands for them (a re-read then looks at the edited rows only, not at every row).
 */
export function formulaRowsAfter(known: readonly number[], rows: readonly GridRow[], positions: number[]): number[] {
  const edited = new Set(positions);
  const out = known.filter((p) => !edited.has(p));
  for (const p of edited) if (p < rows.length && hasFormula(rows[p])) out.push(p);
  return out.sort((a, b) => a - b);
}

/** Data under no header is kept too, as an unknown column named by its letter. Returns the unknown columns. */
function keepUnnamedColumns(st: TableState): Column[] {
  const header = st.layout.header;
  for (const [c] of [...st.unnamed].sort((a, b) => a[0] - b[0])) {
    header.columns.push({ index: c + 1, header: '', field: null });
    st.diagnostics.push(
      makeDiagnostic('header.unknown-column', locate(st, header.row, c), { header: '', cell: a1(header.row, c + 1) }),
    );
  }
  if (st.unnamed.size) header.columns.sort((a, b) => a.index - b.index);
  return header.columns.filter((c) => c.field === null);
}
