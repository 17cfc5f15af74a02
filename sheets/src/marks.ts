// The add-on's marks on a sheet, as a layer it owns: cell notes that start with NOTE_PREFIX and conditional
// format rules whose custom formula carries MARK_TAG. The officer's own notes and rules are never changed:
// a cell with a note of the officer's gets no note of ours, and their rules are written back as they were.
import type { Diagnostic } from '../../engine/index.js';
import { a1, compactAreas, parseA1 } from '../../engine/index.js';
import { SEVERITIES, isOurNote, planMarks as planCells, type MarkPlan } from '../../clients/marks.js';

// Tag, prefix, colours and the cell plan are shared with the Excel add-in and the marked copy (clients/marks.ts).
export {
  MARK_COLORS,
  MARK_TAG,
  NOTE_PREFIX,
  SEVERITIES,
  isOurFormula,
  isOurNote,
  markFormula,
} from '../../clients/marks.js';
export type { MarkPlan };

/** The marks the diagnostics of one sheet call for, cells joined into areas (Sheets takes one range list per rule). */
export function planMarks(diagnostics: Diagnostic[], sheet: string): MarkPlan {
  const plan = planCells(diagnostics, sheet);
  for (const s of SEVERITIES) plan.cells[s] = compactAreas(plan.cells[s]);
  return plan;
}

export { compactAreas };

export interface NotesUpdate {
  /** 1-based first row of the block to write, or null when nothing changes. */
  firstRow: number | null;
  lastRow: number;
  /** Notes of rows firstRow..lastRow, columns 1..width (officer notes kept). */
  notes: string[][];
  added: number;
  removed: number;
  /** Cells where a note of the officer's kept ours out. */
  skipped: number;
}

/**
 * Brings the notes of a sheet in line with a plan: `current` is getNotes() of rows 1..n, columns 1..width.
 * Only rows that change are written (one block from the first to the last changed row).
 */
export function updateNotes(current: string[][], plan: MarkPlan, width: number, rows?: number): NotesUpdate {
  const height = Math.max(rows ?? 0, current.length, ...[...plan.notes.keys()].map((c) => parseA1(c)!.row));
  const wide = Math.max(width, ...[...plan.notes.keys()].map((c) => parseA1(c)!.column), 1);
  const next: string[][] = [];
  let first: number | null = null;
  let last = 0;
  let added = 0;
  let removed = 0;
  let skipped = 0;
  for (let r = 1; r <= height; r++) {
    const line: string[] = [];
    let changed = false;
    for (let c = 1; c <= wide; c++) {
      const old = current[r - 1]?.[c - 1] ?? '';
      const want = plan.notes.get(a1(r, c));
      let note = old;
      if (old && !isOurNote(old)) {
        if (want) skipped++;
      } else if (want) {
        note = want;
        if (old !== want) added++;
      } else if (old) {
        note = '';
        removed++;
      }
      if (note !== old) changed = true;
      line.push(note);
    }
    next.push(line);
    if (changed) {
      first ??= r;
      last = r;
    }
  }
  return {
    firstRow: first,
    lastRow: last,
    notes: first === null ? [] : next.slice(first - 1, last),
    added,
    removed,
    skipped,
  };
}
