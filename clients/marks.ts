// Mark planning shared by every client that marks a workbook: the Excel add-in, the Google Sheets add-on and the
// marked copy (io/xlsx-mark.ts) that the CLI and the dashboard hand to officers on any other host. One plan, so a
// cell gets the same colour and the same note text wherever the officer opens it.
import type { Diagnostic, Severity } from '../engine/index.js';
import { byPosition } from '../engine/index.js';

/** Tag inside our conditional-format formulas: tells our rules apart from the officer's. */
export const MARK_TAG = 'phuluc';
/** Every note we write starts with this, so we can update or remove ours and never touch the officer's. */
export const NOTE_PREFIX = '[Phụ lục] ';
export const SEVERITIES: Severity[] = ['error', 'warning', 'info'];
export const MARK_COLORS: Record<Severity, string> = { error: '#F8D7DA', warning: '#FFF3CD', info: '#DDEBF7' };
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Always true (N of a text is 0); the quoted tag tells our rules apart from the officer's. */
export const markFormula = (severity: Severity) => `=N("${MARK_TAG}:${severity}")=0`;
export const isOurFormula = (f: string | null | undefined) => typeof f === 'string' && f.includes(`"${MARK_TAG}:`);
export const isOurNote = (note: string | null | undefined) => typeof note === 'string' && note.startsWith(NOTE_PREFIX);

/** One issue as a note line: the message, then the fix on its own line. */
export const noteLine = (d: Pick<Diagnostic, 'message' | 'hint'>) => (d.hint ? `${d.message}\n→ ${d.hint}` : d.message);

export interface MarkPlan {
  /** Single cells (A1, no $) per severity, each cell under its highest severity, in column-then-row order. */
  cells: Record<Severity, string[]>;
  /** Note text per cell (A1), prefixed with NOTE_PREFIX: every distinct issue of the cell, one per line pair. */
  notes: Map<string, string>;
}

/** The cell a diagnostic marks, or undefined when it has none. */
export const markCell = (d: Diagnostic) => d.location.cell?.replace(/\$/g, '').toUpperCase();

/** The marks the diagnostics of one sheet call for. */
export function planMarks(
  diagnostics: readonly Diagnostic[],
  sheet: string,
  cellOf: (d: Diagnostic) => string | undefined = markCell,
): MarkPlan {
  const best = new Map<string, Severity>();
  const texts = new Map<string, string[]>();
  for (const d of diagnostics) {
    if (d.location.sheet !== sheet) continue;
    const cell = cellOf(d);
    if (!cell) continue;
    const prev = best.get(cell);
    if (!prev || RANK[d.severity] < RANK[prev]) best.set(cell, d.severity);
    const line = noteLine(d);
    const list = texts.get(cell) ?? [];
    if (!list.includes(line)) list.push(line);
    texts.set(cell, list);
  }
  const cells: Record<Severity, string[]> = { error: [], warning: [], info: [] };
  for (const [cell, sev] of best) cells[sev].push(cell);
  for (const s of SEVERITIES) cells[s].sort(byPosition);
  const notes = new Map<string, string>();
  for (const [cell, list] of texts) notes.set(cell, NOTE_PREFIX + list.join('\n'));
  return { cells, notes };
}
