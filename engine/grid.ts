// Helpers over the neutral Grid that every adapter (xlsx, Excel, Sheets, docx) shares.
import type { GridRow } from './model.js';
import { a1, parseA1 } from './a1.js';

/** Marks cells covered by merged ranges (all but each range's top-left cell) with `mergedInto`. */
export function applyMerges(rows: GridRow[], merges: string[]): void {
  const byIndex = new Map(rows.map((r) => [r.index, r]));
  for (const m of merges) {
    const [tl, br] = m.split(':');
    const from = parseA1(tl);
    const to = parseA1(br ?? tl);
    if (!from || !to) continue;
    const anchor = a1(from.row, from.column);
    for (let r = from.row; r <= to.row; r++) {
      const row = byIndex.get(r);
      if (!row) continue;
      for (let c = from.column; c <= to.column; c++) {
        if (r === from.row && c === from.column) continue;
        while (row.cells.length < c) row.cells.push({ text: '' });
        row.cells[c - 1] = { ...row.cells[c - 1], mergedInto: anchor };
      }
    }
  }
}
