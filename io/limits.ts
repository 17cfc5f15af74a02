// Hard caps on what one input may cost, in one place: every reader (xlsx, docx, csv/text, JSON grids)
// checks against these before it allocates, and each refusal is an InputError with its own code, a
// Vietnamese and an English message, and where it happened. The server answers them with 413 (too big)
// or 422 (malformed). The figures are far above any real annex (a provincial annex is a few hundred
// rows of 6–12 columns) and far below what would hurt the server.
import { columnIndex } from '../engine/index.js';
import { InputError, type InputWhere } from './errors.js';

export const LIMITS = {
  /** Largest file accepted at all (bytes). */
  fileBytes: 20 * 1024 * 1024,
  /** Largest total inflated size of the zip entries of an xlsx/docx (bytes). */
  inflatedBytes: 200 * 1024 * 1024,
  /** Largest expansion ratio (inflated / compressed), checked once an archive inflates past ratioFloorBytes. */
  inflateRatio: 100,
  ratioFloorBytes: 1024 * 1024,
  /** Rows of one sheet (the last row number that holds a value). */
  sheetRows: 250_000,
  /** Columns of one sheet (the last column that holds a value). */
  sheetColumns: 1_024,
  /** Cells of one sheet's grid (row by row, up to each row's last value). */
  sheetCells: 2_500_000,
  /** Merged ranges of one sheet or document. */
  mergeCount: 50_000,
  /** Cells under one merged range. */
  mergeArea: 100_000,
  /** Cells under all merged ranges of one sheet together. */
  mergeTotalArea: 2_500_000,
  /** Grid columns of one Word table row (Word itself stops at 63). */
  docxColumns: 63,
  /** Characters of one custom number format (Excel's own limit is 255). */
  numberFormatChars: 255,
  /** Sheets (grids) of one input. */
  sheets: 200,
  /** Parses one user may have running at once on the server. */
  parsesPerUser: 2,
  /** Wall time of one parse in the worker pool (ms). */
  parseMillis: 30_000,
  /** Heap of one parse worker (MB): a file that needs more is refused, the server is not. */
  workerHeapMb: 1024,
} as const;

export type Limits = { -readonly [K in keyof typeof LIMITS]: number };

/** Limits with some figures replaced (tests and benches); the defaults are LIMITS. */
export function limitsWith(over: Partial<Limits> = {}): Limits {
  return { ...LIMITS, ...over };
}

const fmt = (n: number) => n.toLocaleString('vi-VN');
const fmtEn = (n: number) => n.toLocaleString('en-US');

function over(
  code: 'input.limit-rows' | 'input.limit-columns' | 'input.limit-cells' | 'input.limit-sheets',
  count: number,
  limit: number,
  where: InputWhere,
): InputError {
  return new InputError(
    code,
    { count: fmt(count), limit: fmt(limit), countEn: fmtEn(count), limitEn: fmtEn(limit) },
    where,
  );
}

export function checkRows(lastRow: number, where: InputWhere, limits: Limits = LIMITS): void {
  if (lastRow > limits.sheetRows) throw over('input.limit-rows', lastRow, limits.sheetRows, where);
}

export function checkColumns(lastColumn: number, where: InputWhere, limits: Limits = LIMITS): void {
  if (lastColumn > limits.sheetColumns) throw over('input.limit-columns', lastColumn, limits.sheetColumns, where);
}

export function checkCells(cells: number, where: InputWhere, limits: Limits = LIMITS): void {
  if (cells > limits.sheetCells) throw over('input.limit-cells', cells, limits.sheetCells, where);
}

export function checkSheets(count: number, where: InputWhere, limits: Limits = LIMITS): void {
  if (count > limits.sheets) throw over('input.limit-sheets', count, limits.sheets, where);
}

export function checkNumberFormat(code: string, where: InputWhere, limits: Limits = LIMITS): void {
  if (code.length > limits.numberFormatChars) {
    throw new InputError(
      'input.limit-number-format',
      { length: fmt(code.length), limit: limits.numberFormatChars, lengthEn: fmtEn(code.length) },
      where,
    );
  }
}

export function checkDocxSpan(columns: number, where: InputWhere, limits: Limits = LIMITS): void {
  if (!(columns <= limits.docxColumns)) {
    throw new InputError(
      'input.limit-docx-span',
      {
        count: Number.isFinite(columns) ? fmt(columns) : '∞',
        limit: limits.docxColumns,
        countEn: Number.isFinite(columns) ? fmtEn(columns) : '∞',
      },
      where,
    );
  }
}

export interface MergeRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

const RANGE = /^\$?([A-Za-z]{1,3})\$?(\d{1,10})(?::\$?([A-Za-z]{1,3})\$?(\d{1,10}))?$/;

/** "B2:C5" → its corners (normalised so top ≤ bottom, left ≤ right); undefined when not an A1 range. */
export function parseRange(ref: string): MergeRange | undefined {
  const m = RANGE.exec(ref.trim());
  if (!m) return undefined;
  const c1 = columnIndex(m[1]);
  const r1 = Number(m[2]);
  const c2 = m[3] ? columnIndex(m[3]) : c1;
  const r2 = m[4] ? Number(m[4]) : r1;
  if (r1 < 1 || r2 < 1 || c1 < 1 || c2 < 1) return undefined;
  return { top: Math.min(r1, r2), bottom: Math.max(r1, r2), left: Math.min(c1, c2), right: Math.max(c1, c2) };
}

/**
 * Counts and measures merged ranges without touching a cell: refuses more than mergeCount ranges, one
 * range over mergeArea cells, or all together over mergeTotalArea. Returns the parsed ranges (A1 text
 * that is not a range is skipped, as the readers skip it).
 */
export function checkMerges(refs: readonly string[], where: InputWhere, limits: Limits = LIMITS): MergeRange[] {
  if (refs.length > limits.mergeCount) {
    throw new InputError(
      'input.limit-merge-count',
      {
        count: fmt(refs.length),
        limit: fmt(limits.mergeCount),
        countEn: fmtEn(refs.length),
        limitEn: fmtEn(limits.mergeCount),
      },
      where,
    );
  }
  const out: MergeRange[] = [];
  let total = 0;
  for (const ref of refs) {
    if (typeof ref !== 'string') continue;
    const r = parseRange(ref);
    if (!r) continue;
    const area = (r.bottom - r.top + 1) * (r.right - r.left + 1);
    total += area;
    if (area > limits.mergeArea || total > limits.mergeTotalArea) {
      throw new InputError(
        'input.limit-merge-area',
        {
          range: ref.slice(0, 40),
          area: fmt(area),
          limit: fmt(limits.mergeArea),
          areaEn: fmtEn(area),
          limitEn: fmtEn(limits.mergeArea),
        },
        { ...where, cell: ref.slice(0, 40) },
      );
    }
    out.push(r);
  }
  return out;
}

/** Shape of a grid as the limits see it (JSON grids from the add-ins arrive already built). */
interface GridLike {
  sheet: string;
  rows: { index: number; cells: unknown[] }[];
  merges?: string[];
}

/** Checks grids that arrive as JSON (add-in pushes, Sheet intake) against the same caps as files. */
export function checkGridLimits(grids: readonly GridLike[], where: InputWhere = {}, limits: Limits = LIMITS): void {
  checkSheets(grids.length, where, limits);
  for (const g of grids) {
    const at: InputWhere = { ...where, sheet: g.sheet };
    let cells = 0;
    let lastRow = 0;
    let lastColumn = 0;
    for (const r of g.rows) {
      if (r.index > lastRow) lastRow = r.index;
      if (r.cells.length > lastColumn) lastColumn = r.cells.length;
      cells += r.cells.length;
    }
    checkRows(lastRow, at, limits);
    checkColumns(lastColumn, at, limits);
    checkCells(cells, at, limits);
    if (g.merges?.length) checkMerges(g.merges, at, limits);
  }
}
