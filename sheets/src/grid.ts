// Google Sheets values → engine Grid, and engine fixes → one block of values to write back.
// Pure: the Apps Script calls (getValues, getFormulas, getMergedRanges, setValues) stay in addon.ts.
import type { CellEdit, Grid, GridCell, GridRow } from '../../engine/index.js';
import { applyMerges } from '../../engine/index.js';

/** A cell value as getValues() returns it: string, number, boolean or Date (possibly from another realm). */
export type SheetValue = string | number | boolean | Date | null | undefined;

export const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

/**
 * The text the officer sees. Dates go through `formatDate` (Utilities.formatDate in the spreadsheet's time
 * zone): a Date from getValues is an instant, and its calendar day depends on that zone.
 */
export function valueText(v: SheetValue, formatDate: (d: Date) => string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (isDate(v)) return formatDate(v);
  return String(v);
}

export interface SheetRead {
  sheet: string;
  /** getValues() of the data range, which always starts at A1. */
  values: SheetValue[][];
  /** getFormulas() of the same range ("=…" or ""); optional. */
  formulas?: string[][];
  /** A1 notations of the merged ranges inside the data range. */
  merges?: string[];
}

/** One sheet's data range as a Grid; trailing empty cells are dropped, row numbers are the sheet's. */
export function sheetToGrid(read: SheetRead, formatDate: (d: Date) => string): Grid {
  const rows: GridRow[] = [];
  read.values.forEach((vs, i) => {
    const cells: GridCell[] = vs.map((v, j) => {
      const cell: GridCell = { text: valueText(v, formatDate) };
      const f = read.formulas?.[i]?.[j];
      if (typeof f === 'string' && f.length > 1 && f.startsWith('=')) cell.formula = f.slice(1);
      return cell;
    });
    while (cells.length && cells[cells.length - 1].text === '' && cells[cells.length - 1].formula === undefined)
      cells.pop();
    rows.push({ index: i + 1, cells });
  });
  const merges = (read.merges ?? []).filter(Boolean);
  applyMerges(rows, merges);
  const grid: Grid = { sheet: read.sheet, kind: 'sheet', rows };
  if (merges.length) grid.merges = merges;
  return grid;
}

/**
 * How a text must be written with setValues so Sheets keeps it as that text: Sheets parses written strings
 * like typed input (numbers, dates, percentages, formulas). A leading apostrophe makes it literal text and is
 * not part of the value.
 */
export function literal(text: string): string {
  if (text === '') return '';
  if (/^[=+\-'@]/.test(text)) return `'${text}`;
  if (/^\s*[-+]?[\d.,]+\s*%?\s*$/.test(text)) return `'${text}`; // numbers, "1.", "12,5", "5%"
  if (/^\s*\d{1,4}[/.-]\d{1,2}([/.-]\d{1,4})?\s*$/.test(text)) return `'${text}`; // dates such as 31/12 or 2023-12-31
  if (/^(true|false)$/i.test(text.trim())) return `'${text}`;
  return text;
}

export interface WriteBlock {
  sheet: string;
  /** 1-based top-left of the block. */
  row: number;
  column: number;
  /** Values for setValues: untouched cells keep their value (or formula), edited cells get literal text. */
  values: (string | number | boolean | Date)[][];
  /** The edited cells in A1 notation. */
  cells: string[];
}

/**
 * The smallest block covering the edits of one sheet, filled from the current values so one setValues call
 * writes every fix without disturbing the cells in between (formulas are written back as formulas).
 */
export function writeBlock(
  sheet: string,
  edits: CellEdit[],
  values: SheetValue[][],
  formulas?: string[][],
): WriteBlock | null {
  const mine = edits.filter((e) => e.sheet === sheet);
  if (!mine.length) return null;
  const top = Math.min(...mine.map((e) => e.row));
  const bottom = Math.max(...mine.map((e) => e.row));
  const left = Math.min(...mine.map((e) => e.column));
  const right = Math.max(...mine.map((e) => e.column));
  const block: (string | number | boolean | Date)[][] = [];
  for (let r = top; r <= bottom; r++) {
    const line: (string | number | boolean | Date)[] = [];
    for (let c = left; c <= right; c++) {
      const f = formulas?.[r - 1]?.[c - 1];
      const v = values[r - 1]?.[c - 1];
      // Text goes back as literal text too: a text "12" or "1." must not turn into a number on rewrite.
      line.push(
        typeof f === 'string' && f.startsWith('=')
          ? f
          : v === null || v === undefined
            ? ''
            : typeof v === 'string'
              ? literal(v)
              : v,
      );
    }
    block.push(line);
  }
  const cells: string[] = [];
  for (const e of mine) {
    block[e.row - top][e.column - left] = literal(e.to);
    cells.push(e.cell);
  }
  return { sheet, row: top, column: left, values: block, cells };
}
