// Grids of one shape for the engine, whatever made them. The contract's parse (zod) builds each object from `{}`
// key by key and each array with Array(n) (holey), while the engine's session builds the cells it edits as `{ text }`
// literals and its rows as `{ index, cells }` literals in packed arrays. Objects of the same keys made these two ways
// have different hidden classes, so code V8 optimised for one deoptimises on the other and is compiled again, in each
// parse thread, for as long as new combinations keep turning up (docs/PERFORMANCE.md, Server submissions). The copy
// keeps the same keys in the same order (the contract's), so JSON.stringify gives the same text.
import type { Grid, GridCell, GridRow } from '../../engine/index.js';

/** A cell made as the session's edits make one: `{ text }`, then the optional keys in the contract's order. */
function cellOf(c: GridCell): GridCell {
  const out: GridCell = { text: c.text };
  if (c.formula !== undefined) out.formula = c.formula;
  if (c.mergedInto !== undefined) out.mergedInto = c.mergedInto;
  return out;
}

/** A row as the session makes one, its cells in a packed array. */
export function rowOf(r: GridRow): GridRow {
  const cells: GridCell[] = [];
  for (let i = 0; i < r.cells.length; i++) cells.push(cellOf(r.cells[i]));
  return { index: r.index, cells };
}

/** Rows of one shape, in a packed array. */
export function rowsOf(rows: readonly GridRow[]): GridRow[] {
  const out: GridRow[] = [];
  for (let i = 0; i < rows.length; i++) out.push(rowOf(rows[i]));
  return out;
}

/**
 * A grid's frame as the session copies one (`{ sheet, kind, rows }`, then the other keys in the contract's order)
 * around the given rows, which are taken as they are.
 */
export function gridAround(g: Grid, rows: GridRow[]): Grid {
  const out: Grid = { sheet: g.sheet, kind: g.kind, rows };
  if (g.merges !== undefined) out.merges = g.merges;
  if (g.encoding !== undefined) out.encoding = g.encoding;
  if (g.format !== undefined) out.format = g.format;
  if (g.tables !== undefined) out.tables = g.tables;
  return out;
}

/** Grids of one shape (grids, rows and cells copied; texts shared). */
export function gridsOf(grids: readonly Grid[]): Grid[] {
  const out: Grid[] = [];
  for (let i = 0; i < grids.length; i++) out.push(gridAround(grids[i], rowsOf(grids[i].rows)));
  return out;
}
