// Excel → engine Grid. Everything a validation needs is loaded in one batch (one context.sync()).
import type { Grid, GridCell, GridRow } from '../../engine/model.js';
import { a1, columnLetter, parseA1 } from '../../engine/a1.js';
import { applyMerges } from '../../engine/grid.js';

export interface SheetExtent {
  /** 0-based first row/column of the used range, and its size. */
  rowIndex: number;
  columnIndex: number;
  rowCount: number;
  columnCount: number;
}

export interface SheetSnapshot {
  sheetId: string;
  sheetName: string;
  grid: Grid;
  extent: SheetExtent;
  /** Ids of all conditional formats on the sheet when it was read (to delete ours safely). */
  conditionalFormatIds: Set<string>;
}

type Raw = { values: unknown[][]; text: string[][]; formulas: unknown[][] };

/** Cell text as the officer sees it: strings as typed, numbers/dates as displayed. */
export function cellText(value: unknown, text: string | undefined): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined || value === '') return '';
  // Excel shows "####" when a number does not fit the column; the value is still right.
  if (text !== undefined && text !== '' && !/^#+$/.test(text)) return text;
  return typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : String(value);
}

function toCell(value: unknown, text: string | undefined, formula: unknown): GridCell {
  const cell: GridCell = { text: cellText(value, text) };
  if (typeof formula === 'string' && formula.startsWith('=') && formula.length > 1) cell.formula = formula.slice(1);
  return cell;
}

/** Builds grid rows (1-based, padded from column A so column numbers match the sheet). */
export function rowsFromRaw(raw: Raw, rowIndex: number, columnIndex: number): GridRow[] {
  const rows: GridRow[] = [];
  for (let i = 0; i < raw.values.length; i++) {
    const cells: GridCell[] = [];
    for (let c = 0; c < columnIndex; c++) cells.push({ text: '' });
    const vs = raw.values[i];
    for (let j = 0; j < vs.length; j++) cells.push(toCell(vs[j], raw.text[i]?.[j], raw.formulas[i]?.[j]));
    rows.push({ index: rowIndex + i + 1, cells });
  }
  return rows;
}

/** "Sheet1!A5:A7,'Phụ lục'!B5:C5" → ["A5:A7", "B5:C5"]. */
export function splitAreas(address: string): string[] {
  if (!address) return [];
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of address) {
    if (ch === "'") quoted = !quoted;
    if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out.map((a) => a.slice(a.lastIndexOf('!') + 1).replace(/\$/g, '').trim()).filter(Boolean);
}

export { applyMerges };

/** Reads the active sheet (or a named one): values, displayed text, formulas, merges — one sync. */
export async function readSheet(excel: { run: <T>(b: (ctx: Excel.RequestContext) => Promise<T>) => Promise<T> }, sheetName?: string): Promise<SheetSnapshot> {
  return excel.run(async (ctx) => {
    const ws = sheetName ? ctx.workbook.worksheets.getItem(sheetName) : ctx.workbook.worksheets.getActiveWorksheet();
    ws.load('name,id');
    // valuesOnly: formatting the officer applied below the table must not inflate the grid.
    const used = ws.getUsedRange(true);
    used.load('rowIndex,columnIndex,rowCount,columnCount,values,text,formulas');
    const merged = used.getMergedAreasOrNullObject();
    merged.load('address');
    const cfs = ws.getRange().conditionalFormats.load('items/id');
    await ctx.sync();
    const rows = rowsFromRaw({ values: used.values, text: used.text, formulas: used.formulas }, used.rowIndex, used.columnIndex);
    const merges = merged.isNullObject ? [] : splitAreas(merged.address);
    applyMerges(rows, merges);
    const grid: Grid = { sheet: ws.name, kind: 'sheet', rows };
    if (merges.length) grid.merges = merges;
    return {
      sheetId: ws.id,
      sheetName: ws.name,
      grid,
      extent: { rowIndex: used.rowIndex, columnIndex: used.columnIndex, rowCount: used.rowCount, columnCount: used.columnCount },
      conditionalFormatIds: new Set(cfs.items.map((cf) => cf.id)),
    };
  });
}

export interface RowsRead {
  rows: GridRow[];
  merges: string[];
  extent: SheetExtent;
  conditionalFormatIds: Set<string>;
}

/**
 * Re-reads whole rows (1-based, inclusive spans) of a sheet, plus the used-range extent, in the
 * given context without syncing: the caller syncs once for everything it queued.
 */
export function queueReadRows(ctx: Excel.RequestContext, sheetName: string, spans: [number, number][], width: number): () => RowsRead {
  const ws = ctx.workbook.worksheets.getItem(sheetName);
  const used = ws.getUsedRange(true);
  used.load('rowIndex,columnIndex,rowCount,columnCount');
  const cfs = ws.getRange().conditionalFormats.load('items/id');
  const parts = spans.map(([from, to]) => {
    const r = ws.getRangeByIndexes(from - 1, 0, to - from + 1, Math.max(1, width));
    r.load('values,text,formulas');
    const m = r.getMergedAreasOrNullObject();
    m.load('address');
    return { from, r, m };
  });
  return () => {
    const rows: GridRow[] = [];
    const merges: string[] = [];
    for (const p of parts) {
      rows.push(...rowsFromRaw({ values: p.r.values, text: p.r.text, formulas: p.r.formulas }, p.from - 1, 0));
      if (!p.m.isNullObject) merges.push(...splitAreas(p.m.address));
    }
    applyMerges(rows, merges);
    return {
      rows,
      merges,
      extent: { rowIndex: used.rowIndex, columnIndex: used.columnIndex, rowCount: used.rowCount, columnCount: used.columnCount },
      conditionalFormatIds: new Set(cfs.items.map((cf) => cf.id)),
    };
  };
}

export { columnLetter };
