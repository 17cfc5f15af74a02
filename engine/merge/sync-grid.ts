// Grid edits for two-way sync, shared by the server and the add-ins: write task ids into the hidden id
// column, insert the tasks the province assigned into their reform-area sections, and render a merged
// annex back into a plain table. Pure: grids in, new grids out (inputs are never changed).
import type { AgencyRef, Annex, AreaCode, Column, Field, Grid, GridRow, Section, Task } from '../model.js';
import { a1, parseA1 } from '../a1.js';
import { foldKey } from '../normalize/text.js';
import { readAnnex } from '../read/index.js';
import { jaccardSets, taskFeatures } from './similarity.js';
import { columnHeader, toRoman } from '../vocab/index.js';
import { TASK_ID_HEADER } from './task-id.js';

// Plain JSON data only; structuredClone is missing in the Apps Script runtime the Sheets add-on bundles this into.
const cloneData = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

export interface CellWrite {
  sheet: string;
  row: number;
  column: number;
  cell: string;
  text: string;
}

const width = (grid: Grid) =>
  grid.rows.reduce((w, r) => {
    for (let i = r.cells.length - 1; i >= 0; i--)
      if (r.cells[i].text.trim() !== '' || r.cells[i].formula) return Math.max(w, i + 1);
    return w;
  }, 0);

function rowOf(grid: Grid, index: number): GridRow {
  let pos = grid.rows.findIndex((r) => r.index >= index);
  if (pos >= 0 && grid.rows[pos].index === index) return grid.rows[pos];
  const row: GridRow = { index, cells: [] };
  if (pos < 0) pos = grid.rows.length;
  grid.rows.splice(pos, 0, row);
  return row;
}

function setCell(grid: Grid, row: number, column: number, text: string): CellWrite {
  const r = rowOf(grid, row);
  while (r.cells.length < column) r.cells.push({ text: '' });
  r.cells[column - 1] = { text };
  return { sheet: grid.sheet, row, column, cell: a1(row, column), text };
}

export interface IdColumn {
  sheet: string;
  column: number;
  /** A1 letter(s) of the column, for hiding it. */
  letter: string;
  header: string;
  /** True when the column was added (the add-in then hides it). */
  added: boolean;
}

/** The id column of the annex table, adding one after the last used column when there is none. */
function ensureIdColumn(grid: Grid, annex: Annex, writes: CellWrite[]): IdColumn {
  const existing = annex.meta.columns?.find((c) => c.field === 'id');
  if (existing)
    return {
      sheet: grid.sheet,
      column: existing.index,
      letter: a1(1, existing.index).replace(/\d+$/, ''),
      header: existing.header,
      added: false,
    };
  if (!annex.meta.headerRow)
    throw new Error(
      `Trang tính "${grid.sheet}" không có dòng tiêu đề của bảng phụ lục: không ghi được cột ${TASK_ID_HEADER}.`,
    );
  const column = width(grid) + 1;
  writes.push(setCell(grid, annex.meta.headerRow, column, TASK_ID_HEADER));
  // Table rows keep the full width (text documents judge a cut-off last row by its cell count).
  for (const r of grid.rows) {
    if (r.index < annex.meta.headerRow || !r.cells.length) continue;
    while (r.cells.length < column) r.cells.push({ text: '' });
  }
  return { sheet: grid.sheet, column, letter: a1(1, column).replace(/\d+$/, ''), header: TASK_ID_HEADER, added: true };
}

/**
 * Writes task ids into the annex table's id column (added after the last used column when missing).
 * `ids` name each task by its first row. Tasks of a prose document (no table) cannot carry ids in the
 * sheet: then nothing is written and `idColumn` is null.
 */
export function stampTaskIds(
  grids: Grid[],
  annex: Annex,
  ids: { sheet: string; row: number; id: string }[],
): { grids: Grid[]; idColumn: IdColumn | null; writes: CellWrite[] } {
  const out = cloneData(grids);
  const writes: CellWrite[] = [];
  if (annex.meta.layout === 'prose' || !annex.meta.sheet || !annex.meta.headerRow || !ids.length)
    return { grids: out, idColumn: null, writes };
  const grid = out.find((g) => g.sheet === annex.meta.sheet);
  if (!grid) return { grids: out, idColumn: null, writes };
  const idColumn = ensureIdColumn(grid, annex, writes);
  for (const x of ids) {
    if (x.sheet !== grid.sheet) continue;
    const current = grid.rows.find((r) => r.index === x.row)?.cells[idColumn.column - 1]?.text ?? '';
    if (current.trim() === x.id) continue;
    writes.push(setCell(grid, x.row, idColumn.column, x.id));
  }
  return { grids: out, idColumn, writes };
}

// ---------------------------------------------------------------------------------------------
// Assigned tasks
// ---------------------------------------------------------------------------------------------

/** A task of the provincial plan assigned to an agency (GET /api/rounds/:roundId/assigned). */
export interface AssignedTask {
  id: string;
  /** Number in the provincial plan. */
  number: string;
  task: string;
  area: AreaCode | null;
  sectionTitle: string;
  /** The agency's part: lead (chủ trì), support (phối hợp), or named through a collective group. */
  role: 'lead' | 'support' | 'group';
  /** Products; agencies and timeline given when they differ per product. */
  products: { number?: string; text: string; timeline?: string; lead?: string[]; support?: string[] }[];
  lead: string[];
  support: string[];
  timeline: string;
  monitor?: string[];
  approval?: string;
}

export interface InsertAssignedOptions {
  /** The sheet as read (readAnnex of this grid); read here when not given. */
  annex?: Annex;
  /** Text written in the note column of inserted tasks (when the table has one); false for none. */
  mark?: string | false;
  /** Similarity from which a task already in the sheet (without id) counts as the assigned one. Default 0.6. */
  similarity?: number;
}

export interface InsertAssignedResult {
  grid: Grid;
  /**
   * Rows of the inserted sections, tasks and products, in the new grid. A host applies the result by
   * inserting an empty row at each of these indices in ascending order, then writing `writes`.
   */
  insertedRows: number[];
  inserted: { id: string; row: number }[];
  /** Assigned tasks found in the sheet without an id: the id was written on their row. */
  linked: { id: string; row: number }[];
  /** Assigned tasks already in the sheet with their id. */
  present: string[];
  /** Task numbers changed to keep the numbering continuous. */
  renumbered: { row: number; from: string; to: string }[];
  idColumn: IdColumn;
  /** Every cell written, at its row in the new grid (ids, new rows, numbers moved, the id column header). */
  writes: CellWrite[];
}

export const ROLE_MARKS: Record<AssignedTask['role'], string> = {
  lead: 'Nhiệm vụ tỉnh giao (chủ trì)',
  support: 'Nhiệm vụ tỉnh giao (phối hợp)',
  group: 'Nhiệm vụ tỉnh giao',
};

/** Where a group of missing tasks goes: after a row of an existing section, or as a new section at the end. */
interface Insertion {
  after: number;
  order: number;
  /** The existing section the tasks go into (none for a new section). */
  into?: Section;
  section?: { numeral: string; title: string };
  tasks: AssignedTask[];
}

/** A task already in the sheet, with its section. */
interface SheetTask {
  t: Task;
  s: Section;
}

/** The one state the stages of insertAssignedTasks work on, in the order they fill it. */
interface InsertState {
  annex: Annex;
  /** Column of each field (1-based). */
  col: Partial<Record<Field, number>>;
  /** The new grid: a copy of the sheet's grid that the stages edit. */
  out: Grid;
  writes: CellWrite[];
  idColumn: IdColumn;
  options: InsertAssignedOptions;
  // matchExisting
  existing: SheetTask[];
  present: string[];
  linked: { id: string; row: number }[];
  missing: AssignedTask[];
  // planInsertions
  insertions: Insertion[];
  // writeInsertions
  insertedRows: number[];
  inserted: { id: string; row: number }[];
  newTaskRows: Set<number>;
  newTaskSection: Map<number, Section | undefined>;
  pendingProducts: { row: number; taskRow: number; k: number; count: number; text: string }[];
  // numbering
  continuousNumbers: boolean;
  renumbered: InsertAssignedResult['renumbered'];
  numberOf: Map<number, string>;
}

/**
 * Inserts the assigned tasks missing from an officer's sheet at the end of their reform-area section
 * (a new section at the end of the table when the sheet has none for that area), with their id in the
 * id column and, when the table has a note column, a mark saying they were assigned. Tasks already in
 * the sheet are recognised by id, else by text, and get the id written on their row. With one
 * numbering sequence across sections, the tasks after an insertion are renumbered.
 */
export function insertAssignedTasks(
  grid: Grid,
  tasks: AssignedTask[],
  columns?: Column[],
  options: InsertAssignedOptions = {},
): InsertAssignedResult {
  const st = startInsert(grid, columns, options);
  matchExisting(st, tasks);
  planInsertions(st);
  shiftExistingRows(st);
  writeInsertions(st);
  writeLinkedIds(st);
  renumberTasks(st);
  numberTasksInText(st);
  writeProducts(st);
  const { out, insertedRows, inserted, linked, present, renumbered, idColumn, writes } = st;
  return { grid: out, insertedRows, inserted, linked, present, renumbered, idColumn, writes };
}

/** The sheet's table and columns, a copy of the grid to edit, and the id column (added when missing). */
function startInsert(grid: Grid, columns: Column[] | undefined, options: InsertAssignedOptions): InsertState {
  const annex = options.annex ?? readAnnex([grid]).annex;
  if (!annex.meta.headerRow || annex.meta.layout === 'prose' || (annex.meta.sheet && annex.meta.sheet !== grid.sheet)) {
    throw new Error(
      `Trang tính "${grid.sheet}" không có bảng phụ lục (dòng tiêu đề STT, Nhiệm vụ, …): chưa chèn được nhiệm vụ được giao.`,
    );
  }
  const cols = columns?.length ? columns : (annex.meta.columns ?? []);
  const col: Partial<Record<Field, number>> = {};
  for (const c of cols) if (c.field && col[c.field] === undefined) col[c.field] = c.index;
  if (col.task === undefined) {
    throw new Error(
      `Bảng phụ lục trên trang tính "${grid.sheet}" không có cột Nhiệm vụ: chưa chèn được nhiệm vụ được giao.`,
    );
  }
  const out = cloneData(grid);
  const writes: CellWrite[] = [];
  const idColumn = ensureIdColumn(out, { ...annex, meta: { ...annex.meta, columns: cols } }, writes);
  return {
    annex,
    col,
    out,
    writes,
    idColumn,
    options,
    existing: annex.sections.flatMap((s) => s.tasks.map((t) => ({ t, s }))),
    present: [],
    linked: [],
    missing: [],
    insertions: [],
    insertedRows: [],
    inserted: [],
    newTaskRows: new Set(),
    newTaskSection: new Map(),
    pendingProducts: [],
    continuousNumbers: false,
    renumbered: [],
    numberOf: new Map(),
  };
}

/** Which assigned tasks the sheet already has: by id, else by the same text, else by similar words. */
function matchExisting(st: InsertState, tasks: AssignedTask[]): void {
  const threshold = st.options.similarity ?? 0.6;
  const ids = new Set(st.existing.map((x) => x.t.id).filter(Boolean));
  const free = st.existing.filter((x) => !x.t.id);
  for (const a of tasks) {
    if (ids.has(a.id)) {
      st.present.push(a.id);
      continue;
    }
    const key = foldKey(a.task);
    let hit = free.find((x) => foldKey(x.t.task) === key);
    if (!hit) {
      const fa = new Set(taskFeatures(a.task));
      let best = 0;
      for (const x of free) {
        const s = jaccardSets(fa, new Set(taskFeatures(x.t.task)));
        if (s >= threshold - 1e-9 && s > best) {
          best = s;
          hit = x;
        }
      }
    }
    if (hit) {
      free.splice(free.indexOf(hit), 1);
      ids.add(a.id);
      st.linked.push({ id: a.id, row: hit.t.source.row });
      continue;
    }
    st.missing.push(a);
  }
}

const lastRowOf = (tasksOf: Task[], fallback: number) =>
  tasksOf.reduce((m, t) => Math.max(m, ...t.rows, t.source.row), fallback);

/** Where each missing task goes: after the last row of its section, or into a new section at the end. */
function planInsertions(st: InsertState): void {
  const { annex, insertions } = st;
  const tableEnd = annex.sections.reduce(
    (m, s) => lastRowOf(s.tasks, Math.max(m, s.source.row)),
    annex.meta.headerRow ?? 0,
  );
  const newSections = new Map<string, Insertion>();
  let sectionCount = annex.sections.length;
  for (const a of st.missing) {
    const sec =
      annex.sections.find((s) => a.area && s.area === a.area) ??
      annex.sections.find((s) => foldKey(s.title) === foldKey(a.sectionTitle));
    if (sec) {
      const after = lastRowOf(sec.tasks, sec.source.row);
      let ins = insertions.find((i) => i.after === after && !i.section);
      if (!ins) insertions.push((ins = { after, order: insertions.length, into: sec, tasks: [] }));
      ins.tasks.push(a);
      continue;
    }
    const key = a.area ?? `title:${foldKey(a.sectionTitle)}`;
    let ins = newSections.get(key);
    if (!ins) {
      const section = { numeral: toRoman(++sectionCount), title: a.sectionTitle };
      ins = { after: tableEnd, order: 1000 + newSections.size, section, tasks: [] };
      newSections.set(key, ins);
      insertions.push(ins);
    }
    ins.tasks.push(a);
  }
  insertions.sort((x, y) => x.after - y.after || x.order - y.order);
}

/** Rows an insertion adds: an optional section row, then per task its row and extra product rows. */
const sizeOf = (i: Insertion) => (i.section ? 1 : 0) + i.tasks.reduce((n, t) => n + Math.max(1, t.products.length), 0);

/** How far an existing row moves down: the rows inserted above it. */
const shiftOf = (st: InsertState, row: number) =>
  st.insertions.reduce((n, i) => (i.after < row ? n + sizeOf(i) : n), 0);

/** Rows inserted before an insertion. */
function shiftOfInsertion(st: InsertState, target: Insertion): number {
  let n = 0;
  for (const i of st.insertions) {
    if (i === target) break;
    n += sizeOf(i);
  }
  return n;
}

/** Writes one cell of the new grid (inserted rows are created in place: their indices are free after the shift). */
function put(st: InsertState, row: number, column: number | undefined, text: string): void {
  if (column === undefined) return;
  st.writes.push(setCell(st.out, row, column, text));
}

/** Existing rows, merged ranges and the writes made so far move down below the insertions. */
function shiftExistingRows(st: InsertState): void {
  const { out } = st;
  for (const r of out.rows) r.index += shiftOf(st, r.index);
  if (out.merges) {
    out.merges = out.merges.map((m) =>
      m
        .split(':')
        .map((p) => {
          const at = parseA1(p);
          return at ? a1(at.row + shiftOf(st, at.row), at.column) : p;
        })
        .join(':'),
    );
  }
  for (const w of st.writes) {
    w.row += shiftOf(st, w.row);
    w.cell = a1(w.row, w.column);
  }
}

/** Section rows and task rows of every insertion; product texts wait until the task numbers are known. */
function writeInsertions(st: InsertState): void {
  const { col } = st;
  let offset = 0;
  for (const ins of st.insertions) {
    // Existing rows have moved down already; these indices are free.
    let row = ins.after + offset + 1;
    if (ins.section) {
      put(st, row, col.number ?? col.task, ins.section.numeral);
      if (col.number !== undefined) put(st, row, col.task, ins.section.title);
      st.insertedRows.push(row++);
    }
    for (const a of ins.tasks) {
      writeTaskRow(st, row, a, ins.into);
      row += Math.max(1, a.products.length);
    }
    offset += sizeOf(ins);
  }
  st.insertedRows.sort((x, y) => x - y);
  // New rows span the table's full width, like the rows around them.
  const fullWidth = Math.max(width(st.out), st.idColumn.column);
  for (const r of st.insertedRows) {
    const cells = rowOf(st.out, r).cells;
    while (cells.length < fullWidth) cells.push({ text: '' });
  }
}

/** One assigned task: its row (task, id, agencies, timeline, mark) and the rows of its extra products. */
function writeTaskRow(st: InsertState, row: number, a: AssignedTask, into: Section | undefined): void {
  const { col } = st;
  st.newTaskRows.add(row);
  st.newTaskSection.set(row, into);
  st.inserted.push({ id: a.id, row });
  put(st, row, col.task, a.task);
  put(st, row, st.idColumn.column, a.id);
  const lead = a.lead.join(', ');
  const support = a.support.join(', ');
  if (col.lead !== undefined) put(st, row, col.lead, lead);
  if (col.support !== undefined) put(st, row, col.support, support);
  if (col.assignment !== undefined && col.lead === undefined) {
    const text = lead
      ? `${lead} chủ trì${support ? `, phối hợp với ${support}` : ''}`
      : support
        ? `Phối hợp: ${support}`
        : '';
    put(st, row, col.assignment, text);
  }
  if (col.timeline !== undefined) put(st, row, col.timeline, a.timeline);
  if (col.monitor !== undefined && a.monitor?.length) put(st, row, col.monitor, a.monitor.join(', '));
  if (col.approval !== undefined && a.approval) put(st, row, col.approval, a.approval);
  const mark = st.options.mark === false ? '' : (st.options.mark ?? ROLE_MARKS[a.role]);
  if (col.note !== undefined && mark) put(st, row, col.note, mark);
  a.products.forEach((p, k) => {
    const r = row + k;
    // Product texts are written once the task's number is known ("3.2. …" on extra rows).
    const text = p.text.replace(/^\d+(?:\.\d+)+\.?\s*/, '');
    st.pendingProducts.push({ row: r, taskRow: row, k, count: a.products.length, text });
    if (k > 0 && p.timeline && col.timeline !== undefined) put(st, r, col.timeline, p.timeline);
    if (k > 0 && p.lead?.length && col.lead !== undefined) put(st, r, col.lead, p.lead.join(', '));
    if (k > 0 && p.support?.length && col.support !== undefined) put(st, r, col.support, p.support.join(', '));
    if (k > 0) st.insertedRows.push(r);
  });
  st.insertedRows.push(row);
}

/** Tasks found in the sheet without an id get it written on their (moved) row. */
function writeLinkedIds(st: InsertState): void {
  for (const l of st.linked) {
    l.row += shiftOf(st, l.row);
    st.writes.push(setCell(st.out, l.row, st.idColumn.column, l.id));
  }
}

/** Numbers in the number column: new tasks continue their section; with one sequence across sections, later tasks follow. */
function renumberTasks(st: InsertState): void {
  const { annex, col, out } = st;
  st.continuousNumbers = annex.sections
    .filter((s) => s.tasks.length)
    .slice(1)
    .some((s) => /^\d+$/.test(s.tasks[0].number) && s.tasks[0].number !== '1');
  if (col.number === undefined) return;
  const numberCol = col.number;
  const continuous = st.continuousNumbers;
  // All task rows in order, with their section (by the section rows' positions).
  const sectionRows = [
    ...annex.sections.map((s) => s.source.row + shiftOf(st, s.source.row)),
    ...st.insertions.filter((i) => i.section).map((i) => i.after + shiftOfInsertion(st, i) + 1),
  ].sort((x, y) => x - y);
  const taskRows = [
    ...st.existing.map((x) => ({ row: x.t.source.row + shiftOf(st, x.t.source.row), isNew: false })),
    ...[...st.newTaskRows].map((row) => ({ row, isNew: true })),
  ].sort((x, y) => x.row - y.row);
  let n = 0;
  let sec = -1;
  for (const t of taskRows) {
    const s = sectionRows.filter((r) => r < t.row).length - 1;
    if (s !== sec) {
      sec = s;
      if (!continuous) n = 0;
    }
    const cell = out.rows.find((r) => r.index === t.row)?.cells[numberCol - 1]?.text.trim() ?? '';
    const current = /^\d+\.?$/.test(cell) ? Number(cell.replace('.', '')) : null;
    if (t.isNew) {
      n++;
      st.writes.push(setCell(out, t.row, numberCol, String(n)));
    } else if (current !== null) {
      // Existing numbers move only by the tasks inserted before them.
      const to = continuous ? n + 1 : current;
      if (to !== current) {
        st.renumbered.push({ row: t.row, from: cell, to: String(to) });
        st.writes.push(setCell(out, t.row, numberCol, String(to)));
      }
      n = to;
    } else n++;
  }
  for (const r of st.newTaskRows)
    st.numberOf.set(r, out.rows.find((x) => x.index === r)?.cells[numberCol - 1]?.text.trim() ?? '');
}

/** Without a number column the number lives in the task text ("3. Rà soát …"); rows without it would read as continuations. */
function numberTasksInText(st: InsertState): void {
  const { col, numberOf } = st;
  if (col.number !== undefined || col.task === undefined) return;
  const taskCol = col.task;
  for (const r of [...st.newTaskRows].sort((x, y) => x - y)) {
    const into = st.newTaskSection.get(r);
    const sameSection = (x: SheetTask) => st.continuousNumbers || x.s === into;
    const before = st.existing
      .filter((x) => sameSection(x) && x.t.source.row + shiftOf(st, x.t.source.row) < r)
      .map((x) => Number(x.t.number))
      .filter(Number.isFinite);
    const prevNew = [...numberOf.entries()]
      .filter(([row]) => row < r && (st.continuousNumbers || st.newTaskSection.get(row) === into))
      .map(([, n]) => Number(n));
    const n = String(Math.max(0, ...before, ...prevNew) + 1);
    numberOf.set(r, n);
    const cell = st.out.rows.find((x) => x.index === r)!.cells[taskCol - 1];
    st.writes.push(setCell(st.out, r, taskCol, `${n}. ${cell.text}`));
  }
}

/** Product texts, numbered "n.k." under their task when a task has several. */
function writeProducts(st: InsertState): void {
  if (st.col.product === undefined) return;
  for (const p of st.pendingProducts) {
    const n = st.numberOf.get(p.taskRow) ?? '';
    put(st, p.row, st.col.product, p.count > 1 && n ? `${n}.${p.k + 1}. ${p.text}` : p.text);
  }
}

// ---------------------------------------------------------------------------------------------
// Annex → plain table
// ---------------------------------------------------------------------------------------------

export const PLAIN_HEADERS: { field: Field; header: string }[] = (
  ['number', 'task', 'product', 'lead', 'support', 'timeline', 'note', 'id'] as const
).map((field) => ({ field, header: columnHeader(field) }));

const names = (refs: AgencyRef[] | undefined) => (refs ?? []).map((r) => r.text).join(', ');

/**
 * The annex as one plain table (STT, Nhiệm vụ, Sản phẩm, Cơ quan chủ trì, Cơ quan phối hợp, Thời gian
 * thực hiện, Ghi chú, Mã nhiệm vụ): section rows, task rows, extra product rows. Used to write a merged
 * annex back into a sheet or to push it.
 */
export function annexToGrid(annex: Annex, options: { sheet?: string; withIds?: boolean } = {}): Grid {
  const headers = options.withIds === false ? PLAIN_HEADERS.filter((h) => h.field !== 'id') : PLAIN_HEADERS;
  const rows: GridRow[] = [];
  const push = (values: Partial<Record<Field, string>>) => {
    rows.push({ index: rows.length + 1, cells: headers.map((h) => ({ text: values[h.field] ?? '' })) });
  };
  rows.push({ index: 1, cells: headers.map((h) => ({ text: h.header })) });
  for (const s of annex.sections) {
    push({ number: s.numeral, task: s.title });
    for (const t of s.tasks) {
      const products = t.products.length ? t.products : [undefined];
      products.forEach((p, i) => {
        const pText = p ? (p.number && !p.text.startsWith(p.number) ? `${p.number} ${p.text}` : p.text) : '';
        if (i === 0) {
          push({
            number: t.number,
            task: t.task,
            product: pText,
            lead: names(t.lead),
            support: names(t.support),
            timeline: t.timeline?.text ?? '',
            note: t.note ?? '',
            id: t.id ?? '',
          });
        } else
          push({ product: pText, lead: names(p?.lead), support: names(p?.support), timeline: p?.timeline?.text ?? '' });
      });
    }
  }
  return { sheet: options.sheet ?? annex.meta.sheet ?? 'Phụ lục', kind: 'sheet', rows };
}
