// The add-on's marks on a sheet, as a layer it owns: cell notes that start with NOTE_PREFIX and conditional
// format rules whose custom formula carries MARK_TAG. The officer's own notes and rules are never changed:
// a cell with a note of the officer's gets no note of ours, and their rules are written back as they were.
import type { Diagnostic, Severity } from '../../engine/index.js';
import { a1, compactAreas, parseA1 } from '../../engine/index.js';

export const MARK_TAG = 'phuluc';
export const NOTE_PREFIX = '[Phụ lục] ';
export const SEVERITIES: Severity[] = ['error', 'warning', 'info'];
export const MARK_COLORS: Record<Severity, string> = { error: '#F8D7DA', warning: '#FFF3CD', info: '#DDEBF7' };
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Always true (N of a text is 0); the quoted tag tells our rules apart from the officer's. */
export const markFormula = (severity: Severity) => `=N("${MARK_TAG}:${severity}")=0`;
export const isOurFormula = (f: string | null | undefined) => typeof f === 'string' && f.includes(`"${MARK_TAG}:`);
export const isOurNote = (note: string | null | undefined) => typeof note === 'string' && note.startsWith(NOTE_PREFIX);

export interface MarkPlan {
  /** Cells (A1) per severity: each cell under its highest severity. */
  cells: Record<Severity, string[]>;
  /** Note text per cell (A1), prefixed. */
  notes: Map<string, string>;
}

/** The marks the diagnostics of one sheet call for. */
export function planMarks(diagnostics: Diagnostic[], sheet: string): MarkPlan {
  const best = new Map<string, Severity>();
  const texts = new Map<string, string[]>();
  for (const d of diagnostics) {
    if (d.location.sheet !== sheet || !d.location.cell) continue;
    const cell = d.location.cell.replace(/\$/g, '').toUpperCase();
    const prev = best.get(cell);
    if (!prev || RANK[d.severity] < RANK[prev]) best.set(cell, d.severity);
    const line = d.hint ? `${d.message}\n→ ${d.hint}` : d.message;
    const list = texts.get(cell) ?? [];
    if (!list.includes(line)) list.push(line);
    texts.set(cell, list);
  }
  const cells: Record<Severity, string[]> = { error: [], warning: [], info: [] };
  for (const [cell, sev] of best) cells[sev].push(cell);
  for (const s of SEVERITIES) cells[s] = compactAreas(cells[s]);
  const notes = new Map<string, string>();
  for (const [cell, list] of texts) notes.set(cell, NOTE_PREFIX + list.join('\n'));
  return { cells, notes };
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
  return { firstRow: first, lastRow: last, notes: first === null ? [] : next.slice(first - 1, last), added, removed, skipped };
}
