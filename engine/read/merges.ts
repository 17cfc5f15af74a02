// Merged cells of a grid as a lookup: which data cell is covered by which merge's top row.
import type { Grid } from '../model.js';
import { a1, parseA1 } from '../a1.js';

export interface MergeRange {
  range: string;
  top: number;
  bottom: number;
  col: number;
}

/** Vertical merges: covered cell (row, col0) → top-left row. Horizontal spans are not copied. */
export function mergeOverlay(grid: Grid): { cover: Map<number, Map<number, number>>; ranges: MergeRange[] } {
  const cover = new Map<number, Map<number, number>>();
  const ranges: MergeRange[] = [];
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
      for (let i = 0; i < row.cells.length; i++) {
        const c = row.cells[i];
        if (!c.mergedInto) continue;
        const p = parseA1(c.mergedInto);
        if (!p) continue;
        const s = spans.get(c.mergedInto) ?? { top: p.row, left: p.column, bottom: p.row, right: p.column };
        s.bottom = Math.max(s.bottom, row.index);
        s.right = Math.max(s.right, i + 1);
        spans.set(c.mergedInto, s);
      }
    for (const [, s] of spans) add(`${a1(s.top, s.left)}:${a1(s.bottom, s.right)}`, s.top, s.left, s.bottom);
  }
  return { cover, ranges };
}
