// A Google Sheet's grid data → engine Grid. Apart from the API client so that the parse workers, which turn
// fetched sheets into grids, load no Google library.
import type { sheets_v4 } from 'googleapis';
import type { Grid, GridCell, GridRow } from '../../engine/index.js';
import { a1, applyMerges } from '../../engine/index.js';

/** A1 range of a GridRange (end indexes exclusive). */
export function gridRangeA1(r: sheets_v4.Schema$GridRange): string {
  const top = (r.startRowIndex ?? 0) + 1;
  const left = (r.startColumnIndex ?? 0) + 1;
  const bottom = r.endRowIndex ?? top;
  const right = r.endColumnIndex ?? left;
  return `${a1(top, left)}:${a1(bottom, right)}`;
}

/** Quotes a sheet title for A1 notation ('Phụ lục'!A1). */
export const quoteSheet = (title: string) => `'${title.replace(/'/g, "''")}'`;

/** One sheet's GridData → Grid: text as shown (formattedValue), formulas, merges; row numbers are the sheet's. */
export function gridFromSheet(sheet: sheets_v4.Schema$Sheet): Grid {
  const title = sheet.properties?.title ?? 'Sheet1';
  const rows: GridRow[] = [];
  // Blocks may repeat a row: the last one wins (a map, not a search per row: sheets run to 10M cells).
  const byIndex = new Map<number, GridRow>();
  for (const block of sheet.data ?? []) {
    const top = block.startRow ?? 0;
    const left = block.startColumn ?? 0;
    (block.rowData ?? []).forEach((rd, i) => {
      const cells: GridCell[] = Array.from({ length: left }, () => ({ text: '' }));
      for (const v of rd.values ?? []) {
        const cell: GridCell = { text: v.formattedValue ?? '' };
        const f = v.userEnteredValue?.formulaValue;
        if (typeof f === 'string' && f.startsWith('=') && f.length > 1) cell.formula = f.slice(1);
        cells.push(cell);
      }
      while (cells.length && cells[cells.length - 1].text === '' && cells[cells.length - 1].formula === undefined)
        cells.pop();
      const index = top + i + 1;
      const existing = byIndex.get(index);
      if (existing) existing.cells = cells;
      else {
        const row = { index, cells };
        byIndex.set(index, row);
        rows.push(row);
      }
    });
  }
  rows.sort((a, b) => a.index - b.index);
  const merges = (sheet.merges ?? []).map(gridRangeA1);
  applyMerges(rows, merges);
  const grid: Grid = { sheet: title, kind: 'sheet', rows };
  if (merges.length) grid.merges = merges;
  return grid;
}
