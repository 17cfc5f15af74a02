// Excel side of two-way sync: insert rows and write cells computed by the engine (assigned tasks, task ids),
// rewrite the table with a merged annex, and keep reviewer comments as cell notes. Every write batch is one
// context.sync() (one undo step) with events off, so the add-in's own writes never start a validation.
import type { CellWrite } from '../../engine/index.js';
import { a1, columnLetter } from '../../engine/index.js';
import { type ExcelHost, probeNotes } from './host.js';
import { asTypedText } from '../controller.js';

/** Fill of the rows the province assigned (light green), so the officer sees what to complete. */
export const ASSIGNED_FILL = '#E2EFDA';
/** Reviewer comments in notes start with this, so they are told apart from the officer's and the issue notes. */
export const COMMENT_PREFIX = '[Ý kiến thẩm định] ';

export interface GridChanges {
  /** Rows to insert (indices in the new grid, ascending: each is inserted as an empty row in turn). */
  insertRows?: number[];
  writes: CellWrite[];
  /** 1-based column to hide (the task id column). */
  hideColumn?: number;
  /** Cells to fill as "assigned". */
  highlight?: { row: number; column: number }[];
}

/** Groups ascending row indices into consecutive blocks ([5,6,7,10] → [[5,7],[10,10]]). */
export function rowBlocks(rows: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const r of [...new Set(rows)].sort((x, y) => x - y)) {
    const last = out[out.length - 1];
    if (last && r === last[1] + 1) last[1] = r;
    else out.push([r, r]);
  }
  return out;
}

/** Applies engine-computed changes to a sheet in one sync. */
export async function applyGridChanges(
  excel: ExcelHost,
  sheet: string,
  changes: GridChanges,
  record?: (addresses: string[]) => void,
): Promise<void> {
  record?.([...rowBlocks(changes.insertRows ?? []).map(([a, b]) => `${a}:${b}`), ...changes.writes.map((w) => w.cell)]);
  await excel.run(async (ctx) => {
    const ws = ctx.workbook.worksheets.getItem(sheet);
    ctx.runtime.enableEvents = false;
    // Inserting block [a, b] at a equals inserting rows a, a+1 … b one after another.
    for (const [from, to] of rowBlocks(changes.insertRows ?? []))
      ws.getRange(`${from}:${to}`).insert('Down' as Excel.InsertShiftDirection);
    for (const w of changes.writes) ws.getRange(w.cell).values = [[asTypedText(w.text)]];
    for (const c of changes.highlight ?? []) ws.getRange(a1(c.row, c.column)).format.fill.color = ASSIGNED_FILL;
    if (changes.hideColumn) {
      const l = columnLetter(changes.hideColumn);
      ws.getRange(`${l}:${l}`).columnHidden = true;
    }
    ctx.runtime.enableEvents = true;
    await ctx.sync();
  });
}

export interface TableRewrite {
  /** First row of the table body (the row after the header). */
  firstRow: number;
  /** Last row of the old table body (rows after it — signatures, notes — are kept below the new table). */
  oldLastRow: number;
  /** The new body, one array of cell texts per row, from column A. */
  rows: string[][];
  /** Header cells to write for columns the sheet did not have. */
  headers?: { row: number; column: number; text: string }[];
  hideColumn?: number;
}

/** Replaces the table body with new rows in one sync, keeping what is above and below the table. */
export async function rewriteTable(
  excel: ExcelHost,
  sheet: string,
  t: TableRewrite,
  record?: (addresses: string[]) => void,
): Promise<void> {
  const width = Math.max(1, ...t.rows.map((r) => r.length));
  const oldCount = Math.max(0, t.oldLastRow - t.firstRow + 1);
  const bottom = t.firstRow + Math.max(oldCount, t.rows.length) - 1;
  // Everything from the body's first row down to its longest extent, whole rows (inserts, clears, writes).
  if (bottom >= t.firstRow) record?.([`${t.firstRow}:${bottom}`]);
  record?.((t.headers ?? []).map((h) => a1(h.row, h.column)));
  await excel.run(async (ctx) => {
    const ws = ctx.workbook.worksheets.getItem(sheet);
    ctx.runtime.enableEvents = false;
    // Merged cells of the old body (an STT merged over product rows) would not take the new rows' values.
    if (oldCount) ws.getRangeByIndexes(t.firstRow - 1, 0, oldCount, width).unmerge();
    if (t.rows.length > oldCount) {
      // More rows than before: make room above whatever follows the table.
      const at = t.firstRow + oldCount;
      ws.getRange(`${at}:${at + t.rows.length - oldCount - 1}`).insert('Down' as Excel.InsertShiftDirection);
    }
    if (oldCount > t.rows.length) {
      ws.getRangeByIndexes(t.firstRow - 1 + t.rows.length, 0, oldCount - t.rows.length, width).clear(
        'Contents' as Excel.ClearApplyTo,
      );
    }
    if (t.rows.length) {
      const values = t.rows.map((r) => Array.from({ length: width }, (_, i) => asTypedText(r[i] ?? '')));
      ws.getRangeByIndexes(t.firstRow - 1, 0, t.rows.length, width).values = values;
    }
    for (const h of t.headers ?? []) ws.getRange(a1(h.row, h.column)).values = [[h.text]];
    if (t.hideColumn) {
      const l = columnLetter(t.hideColumn);
      ws.getRange(`${l}:${l}`).columnHidden = true;
    }
    ctx.runtime.enableEvents = true;
    await ctx.sync();
  });
}

/**
 * Brings the comment notes in line with `wanted` (cell → text without prefix): two syncs, probe then write.
 * Notes of the officer are never touched (the comment is then reported as not shown); the add-in's
 * issue notes give way to a comment.
 */
export async function syncCommentNotes(
  excel: ExcelHost,
  sheet: string,
  wanted: Record<string, string>,
  previous: Record<string, string>,
  isIssueNote: (content: string) => boolean,
): Promise<{ notes: Record<string, string>; shown: number; cleared: number; skipped: string[] }> {
  const cells = [...new Set([...Object.keys(wanted), ...Object.keys(previous)])];
  if (!cells.length) return { notes: {}, shown: 0, cleared: 0, skipped: [] };
  return excel.run(async (ctx) => {
    const ws = ctx.workbook.worksheets.getItem(sheet);
    const probes = probeNotes(ws, cells);
    await ctx.sync();
    const notes: Record<string, string> = {};
    let shown = 0;
    let cleared = 0;
    const skipped: string[] = [];
    for (const { cell, n } of probes) {
      const content = n.isNullObject ? undefined : n.content;
      const ours = content?.startsWith(COMMENT_PREFIX) ?? false;
      const replaceable = content === undefined || ours || isIssueNote(content);
      const text = wanted[cell] === undefined ? undefined : COMMENT_PREFIX + wanted[cell];
      if (text !== undefined) {
        if (!replaceable) {
          skipped.push(cell);
          continue;
        }
        if (content === undefined) ws.notes.add(cell, text);
        else if (content !== text) n.content = text;
        notes[cell] = text;
        shown++;
      } else if (ours) {
        n.delete();
        cleared++;
      }
    }
    await ctx.sync();
    return { notes, shown, cleared, skipped };
  });
}
