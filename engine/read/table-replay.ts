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
import type { SectionAcc } from './table-build.js';
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

  let k = -1;
  for (let i = 0; i < walk.checkpoints.length && walk.checkpoints[i].p <= first; i++) k = i;
  if (k < 0) return undefined;
  const start = walk.checkpoints[k];
  const st = restore(old, start);

  const checkpoints = walk.checkpoints.slice(0, k + 1);
  const oldAt = new Map<number, number>();
  walk.checkpoints.forEach((c, i) => oldAt.set(c.p, i));
  let met: { at: number; now: Checkpoint } | undefined;
  walkRows(st, start.p, checkpoints, (now) => {
    // The section-opening row itself may be an edited one: convergence is judged after it.
    if (now.p <= last) return false;
    const at = oldAt.get(now.p);
    if (at === undefined || !sameCheckpoint(walk.checkpoints[at], now)) return false;
    // The section opened here must be the one the first walk opened (its title may have been edited).
    if (now.open && !sameSection(old.sections[walk.checkpoints[at].sections - 1], st.sections[now.sections - 1]))
      return false;
    met = { at, now };
    return true;
  });

  let end: Checkpoint | undefined;
  if (met) {
    const { at, now } = met;
    const was = walk.checkpoints[at];
    const end0 = walk.end;
    // The section just opened again is the one the first walk opened there, with its tasks: take the first walk's.
    st.sections = st.sections.slice(0, now.sections - 1).concat(old.sections.slice(was.sections - 1, end0.sections));
    st.roles = st.roles.concat(old.roles.slice(was.roles, end0.roles));
    st.diagnostics = st.diagnostics.concat(old.diagnostics.slice(was.diagnostics, end0.diagnostics));
    st.unplaced = st.unplaced.concat(old.unplaced.slice(was.unplaced, end0.unplaced));
    setValues(st, end0.values);
    st.unnamed = new Map(end0.unnamed);
    st.section = old.section;
    st.task = old.task;
    const shift = (c: Checkpoint): Checkpoint => ({
      ...c,
      diagnostics: c.diagnostics - was.diagnostics + now.diagnostics,
      unplaced: c.unplaced - was.unplaced + now.unplaced,
    });
    checkpoints.pop(); // `now` stands for the first walk's checkpoint at the same place
    for (const c of walk.checkpoints.slice(at)) checkpoints.push(shift(c));
    end = shift(end0);
  } else {
    end = snapshot(st, st.layout.grid.rows.length);
  }
  const formulas = walk.formulas && formulaRowsAfter(walk.formulas, st.layout.grid.rows, positions);
  return finishTable(st, { checkpoints, columns: walk.columns, end, formulas });
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
  if (cp.open) {
    // The open section had no task yet at the checkpoint: a fresh copy of its record takes the walk's tasks.
    const s = st.sections[cp.sections - 1];
    const fresh = { ...s, tasks: [] };
    st.sections[cp.sections - 1] = fresh;
    st.section = fresh;
  }
  return st;
}

function setValues(st: TableState, values: Record<string, unknown>): void {
  // Every field stays (see tableState): the ones a checkpoint did not record were undefined there.
  const rec = st as unknown as Record<string, unknown>;
  for (const k of Object.keys(rec)) if (!STATE_COLLECTIONS.has(k)) rec[k] = values[k];
  Object.assign(rec, values);
}

function sameCheckpoint(a: Checkpoint, b: Checkpoint): boolean {
  if (a.roles !== b.roles || a.sections !== b.sections || a.open !== b.open) return false;
  if (
    a.unnamed.length !== b.unnamed.length ||
    a.unnamed.some(([c, r], i) => b.unnamed[i][0] !== c || b.unnamed[i][1] !== r)
  )
    return false;
  const ka = Object.keys(a.values);
  if (ka.length !== Object.keys(b.values).length) return false;
  return ka.every((k) => sameValue(a.values[k], b.values[k]));
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
