// Re-reading a table after a few cells changed, without walking every row again.
//
// The walk (table.ts) notes a checkpoint after each row that opens a section. A re-read starts at the last
// checkpoint before the first edited row, with a copy of the state as it was there, and walks on. Once it is past
// the last edited row and opens a section at a row where the first walk had a checkpoint, with the same state,
// every later row would be placed exactly as before: the re-read stops and takes the rest of the first walk as
// it was (section records, roles, diagnostics). The stages after the walk run again on the whole table; they are
// cheap. Section records that were taken over keep their built sections (table.ts, `assembled`).
//
// The result equals a fresh readTable of the edited grid; the session tests compare the two after random edits.
import { NO_PRODUCTS, type Rec, type SectionAcc, type TaskAcc } from './table-build.js';
import {
  STATE_COLLECTIONS,
  finishTable,
  formulaRowsAfter,
  snapshot,
  tableState,
  walkRows,
  type Checkpoint,
  type TableResult,
  type TableState,
} from './table.js';

// How far ahead the walk looks to place a row (tableFollows: up to five rows), so how far before the first edited
// row a re-read may start at a task checkpoint.
const LOOKAHEAD = 5;

/**
 * The table read again after the rows at `positions` (indexes into grid.rows) changed in place, or undefined
 * when the first read left no usable checkpoint (then read the whole table).
 */
export function replayTable(prev: TableResult, positions: number[]): TableResult | undefined {
  const old = prev.state;
  const walk = prev.walk;
  if (positions.length === 0 || !walk.end) return undefined;
  const first = Math.min(...positions);
  const last = Math.max(...positions);
  if (first < old.dataStart) return undefined;

  // A task checkpoint serves only when the rows placed before it could not look ahead at an edited row.
  const k = startAt(walk.checkpoints, first);
  if (k < 0) return undefined;
  const start = walk.checkpoints[k];
  const st = restore(old, start);

  const checkpoints = walk.checkpoints.slice(0, k + 1);
  // The first walk's checkpoint at a position: the walk goes forward, so does the search (k + 1 on: after `start`).
  const olds = walk.checkpoints;
  let next = k + 1;
  const oldAt = (p: number): number | undefined => {
    while (next < olds.length && olds[next].p < p) next++;
    return next < olds.length && olds[next].p === p ? next : undefined;
  };
  let met: { at: number; now: Checkpoint } | undefined;
  walkRows(st, start.p, checkpoints, (now) => {
    // The section-opening row itself may be an edited one: convergence is judged after it.
    if (now.p <= last) return false;
    const at = oldAt(now.p);
    if (at === undefined || !sameCheckpoint(walk.checkpoints[at], now)) return false;
    if (now.tasks !== undefined) {
      // The task opened here must be the one the first walk opened, from a row that was not edited.
      if (now.p <= last + 1 || !sameTask(walk.checkpoints[at].task!, now.task!)) return false;
    }
    // The section opened here must be the one the first walk opened (its title may have been edited).
    else if (now.open && !sameSection(old.sections[walk.checkpoints[at].sections - 1], st.sections[now.sections - 1]))
      return false;
    met = { at, now };
    return true;
  });

  let end: Checkpoint | undefined;
  if (met) {
    const { at, now } = met;
    const was = walk.checkpoints[at];
    const end0 = walk.end;
    if (now.tasks !== undefined) {
      // The task just opened is the one the first walk opened there: the open section keeps the tasks before it
      // and takes the first walk's from it on (that task with the rows it went on to take, or, when a later row
      // made it a group heading, the tasks under it); the task row's role is the first walk's final one.
      const was0 = old.sections[was.sections - 1];
      const open = st.sections[now.sections - 1];
      open.tasks = open.tasks.slice(0, now.tasks - 1).concat(was0.tasks.slice(was.tasks! - 1));
      st.sections = st.sections.slice(0, now.sections).concat(old.sections.slice(was.sections, end0.sections));
      st.roles = st.roles.slice(0, now.roles - 1).concat(old.roles.slice(was.roles - 1, end0.roles));
      st.section = old.section === was0 ? open : old.section;
    } else {
      // The section just opened again is the one the first walk opened there, with its tasks: take the first walk's.
      st.sections = st.sections.slice(0, now.sections - 1).concat(old.sections.slice(was.sections - 1, end0.sections));
      st.roles = st.roles.concat(old.roles.slice(was.roles, end0.roles));
      st.section = old.section;
    }
    st.diagnostics = st.diagnostics.concat(old.diagnostics.slice(was.diagnostics, end0.diagnostics));
    st.unplaced = st.unplaced.concat(old.unplaced.slice(was.unplaced, end0.unplaced));
    setValues(st, end0.values);
    st.unnamed = new Map(end0.unnamed);
    st.task = old.task;
    const shift = (c: Checkpoint): Checkpoint => ({
      ...c,
      diagnostics: c.diagnostics - was.diagnostics + now.diagnostics,
      unplaced: c.unplaced - was.unplaced + now.unplaced,
    });
    checkpoints.pop(); // `now` stands for the first walk's checkpoint at the same place
    // Most edits leave the counts before the meeting point as they were: the first walk's checkpoints serve as they are.
    const same = now.diagnostics === was.diagnostics && now.unplaced === was.unplaced;
    if (same) appendFrom(checkpoints, olds, at);
    else for (let i = at; i < olds.length; i++) checkpoints.push(shift(olds[i]));
    end = same ? end0 : shift(end0);
  } else {
    end = snapshot(st, st.layout.grid.rows.length);
  }
  const formulas = walk.formulas && formulaRowsAfter(walk.formulas, st.layout.grid.rows, positions);
  return finishTable(st, { checkpoints, columns: walk.columns, end, formulas });
}

/**
 * The last checkpoint a re-read from position `first` may start at (-1: none). A task checkpoint serves only when
 * the rows placed before it could not look ahead at an edited row. Checkpoints are in position order: a binary
 * search, not a walk over one per task (the first edits of a session run this unoptimised).
 */
function startAt(checkpoints: Checkpoint[], first: number): number {
  let lo = 0;
  let hi = checkpoints.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (checkpoints[mid].p <= first) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0; i--)
    if (checkpoints[i].tasks === undefined || checkpoints[i].p + LOOKAHEAD <= first) return i;
  return -1;
}

function appendFrom<T>(to: T[], from: readonly T[], at: number): void {
  for (let i = at; i < from.length; i++) to.push(from[i]);
}

/** A state as it was at a checkpoint: collections cut back to their lengths there, values as they were. */
function restore(old: TableState, cp: Checkpoint): TableState {
  const st = tableState({
    ...old,
    diagnostics: old.diagnostics.slice(0, cp.diagnostics),
    roles: old.roles.slice(0, cp.roles),
    sections: old.sections.slice(0, cp.sections),
    unplaced: old.unplaced.slice(0, cp.unplaced),
    unnamed: new Map(cp.unnamed),
    // Rows were replaced: the lookup by row number is built again when needed.
    byIndex: undefined,
    section: undefined,
    task: undefined,
  });
  setValues(st, cp.values);
  if (cp.tasks !== undefined) {
    // A task had just opened: a fresh copy of the open section, with the tasks before it and a fresh copy of that
    // task as its first row made it (the first walk's went on to take later rows).
    const s = st.sections[cp.sections - 1];
    const r = cp.task!.rec;
    const rec: Rec = {
      kind: r.kind,
      first: r.first,
      rows: undefined,
      obj: r.obj,
      firstFacts: r.firstFacts,
      facts: undefined,
      cells: r.firstCells,
      firstCells: r.firstCells,
      inherited: r.inherited,
      number: r.number,
      numberInText: r.numberInText,
      productNumber: r.productNumber,
    };
    const task: TaskAcc = { rec, products: NO_PRODUCTS, group: cp.task!.group };
    const fresh = sectionCopy(s, s.tasks.slice(0, cp.tasks - 1).concat(task));
    st.sections[cp.sections - 1] = fresh;
    st.section = fresh;
    st.task = task;
    st.roles[cp.roles - 1] = cp.taskRole!;
    // Not kept by a task checkpoint: the task row's own.
    const row = st.layout.grid.rows[cp.p - 1];
    st.lastTableRow = row.index;
    st.lastRowCells = row.cells.length;
  } else if (cp.open) {
    // The open section had no task yet at the checkpoint: a fresh copy of its record takes the walk's tasks.
    const s = st.sections[cp.sections - 1];
    const fresh = sectionCopy(s, []);
    st.sections[cp.sections - 1] = fresh;
    st.section = fresh;
  }
  return st;
}

// Made as openSection makes a section: a spread copy has a map of its own, and the code that reads sections
// (optimised on the first read's) deopts on it.
function sectionCopy(s: SectionAcc, tasks: TaskAcc[]): SectionAcc {
  const fresh: SectionAcc = { numeral: s.numeral, title: s.title, row: s.row, column: s.column, tasks };
  if (s.part) fresh.part = s.part;
  return fresh;
}

function setValues(st: TableState, values: Record<string, unknown>): void {
  // Every field stays (see tableState): the ones a checkpoint did not record were undefined there.
  const rec = st as unknown as Record<string, unknown>;
  for (const k of Object.keys(rec)) if (!STATE_COLLECTIONS.has(k)) rec[k] = values[k];
  Object.assign(rec, values);
}

function sameCheckpoint(a: Checkpoint, b: Checkpoint): boolean {
  if (a.roles !== b.roles || a.sections !== b.sections || a.open !== b.open || a.tasks !== b.tasks) return false;
  if (
    a.unnamed.length !== b.unnamed.length ||
    a.unnamed.some(([c, r], i) => b.unnamed[i][0] !== c || b.unnamed[i][1] !== r)
  )
    return false;
  const ka = Object.keys(a.values);
  if (ka.length !== Object.keys(b.values).length) return false;
  return ka.every((k) => sameValue(a.values[k], b.values[k]));
}

/** The same task row read the same way: the same row object and facts, number, group and inherited cells. */
function sameTask(a: TaskAcc, b: TaskAcc): boolean {
  const x = a.rec;
  const y = b.rec;
  return (
    a.group === b.group &&
    x.kind === y.kind &&
    x.first === y.first &&
    x.obj === y.obj &&
    x.firstFacts === y.firstFacts &&
    x.firstCells === y.firstCells &&
    x.number === y.number &&
    x.numberInText === y.numberInText &&
    x.productNumber === y.productNumber &&
    sameInherited(x.inherited, y.inherited)
  );
}

function sameInherited(a: ReadonlyMap<number, string>, b: ReadonlyMap<number, string>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [c, t] of a) if (b.get(c) !== t) return false;
  return true;
}

function sameSection(a: SectionAcc | undefined, b: SectionAcc | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.numeral === b.numeral &&
    a.title === b.title &&
    a.row === b.row &&
    a.column === b.column &&
    sameValue(a.part, b.part)
  );
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
