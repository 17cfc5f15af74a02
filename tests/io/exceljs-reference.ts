// Reference reader for the tests: xlsx → Grid[] with exceljs, as io/xlsx-read.ts read files before the
// streaming reader; the tests compare the two cell for cell.
// xlsx → Grid[] with exceljs: one Grid per worksheet, cell text as displayed, formulas kept,
// merged ranges listed and their covered cells marked, hidden rows and columns kept.
// Callers go through readFileToGrids, which has already checked the zip (size, bomb, truncation).
import ExcelJS from 'exceljs';
import type { Grid, GridCell, GridRow } from '../../engine/model.js';
import { a1, parseA1 } from '../../engine/a1.js';
import { InputError } from '../../io/errors.js';
import { formatDate, formatNumber, isDateFormat } from '../../io/format.js';

type CellValue = ExcelJS.CellValue;

function richText(v: { richText: { text: string }[] }): string {
  return v.richText.map((r) => r.text ?? '').join('');
}

/** A cell value (or formula result) as text, formatted with the cell's number format. */
export function valueText(value: CellValue | undefined, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number')
    return isDateFormat(numFmt) ? formatDate(excelSerialToDate(value), numFmt) : formatNumber(value, numFmt);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return formatDate(value, numFmt);
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText))
      return richText(value as { richText: { text: string }[] });
    if ('error' in value) return String(value.error);
    if ('formula' in value || 'sharedFormula' in value)
      return valueText((value as { result?: CellValue }).result, numFmt);
    if ('text' in value) {
      const t = (value as { text: unknown }).text;
      return typeof t === 'string'
        ? t
        : t && typeof t === 'object' && 'richText' in t
          ? richText(t as { richText: { text: string }[] })
          : '';
    }
  }
  return String(value);
}

/** Excel serial day number (1900 system) → UTC date. */
function excelSerialToDate(serial: number): Date {
  return new Date(Math.round((serial - 25569) * 86400 * 1000));
}

function cellOf(cell: ExcelJS.Cell): GridCell {
  if (cell.type === ExcelJS.ValueType.Merge && cell.master && cell.master.address !== cell.address) {
    // Covered cells read as empty, as in Excel; the text lives in the top-left cell.
    return { text: '', mergedInto: cell.master.address };
  }
  const value = cell.value;
  const numFmt = cell.numFmt;
  const out: GridCell = { text: valueText(value, numFmt).replace(/\r\n?/g, '\n') };
  if (cell.type === ExcelJS.ValueType.Formula) {
    const f = cell.formula;
    if (f) out.formula = f.replace(/^=/, '');
  }
  return out;
}

export function worksheetToGrid(ws: ExcelJS.Worksheet): Grid {
  // Only rows and columns that hold values set the grid's extent: sheets formatted down to row
  // 1,048,576 or across 16,384 columns must not turn into millions of empty cells. Within that extent
  // an empty cell that exists in the file (a bordered table cell) is kept, so a row is as wide as the
  // table the officer sees; blank rows between values are kept too (row = index).
  let width = 0;
  let last = 0;
  ws.eachRow((row, r) => {
    row.eachCell((_c, col) => {
      if (col > width) width = col;
    });
    last = r;
  });
  const byRow = new Map<number, GridCell[]>();
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    const cells: GridCell[] = [];
    let present = 0;
    const n = Math.min(row.cellCount, width);
    for (let col = 1; col <= n; col++) {
      const c = row.findCell(col);
      if (!c) {
        cells.push({ text: '' });
        continue;
      }
      cells.push(cellOf(c));
      present = col;
    }
    cells.length = present;
    byRow.set(r, cells);
  });
  const rows: GridRow[] = [];
  for (let r = 1; r <= last; r++) rows.push({ index: r, cells: byRow.get(r) ?? [] });
  const grid: Grid = { sheet: ws.name, kind: 'sheet', rows };
  const merges = (ws.model as { merges?: string[] }).merges ?? [];
  if (merges.length) grid.merges = [...merges];
  // Covered cells past a row's last value (a merge reaching right) were trimmed above; put them back.
  for (const range of grid.merges ?? []) {
    const [from, to] = range.split(':').map((x) => parseA1(x));
    if (!from || !to) continue;
    const [r1, r2, c1, c2] = [from.row, to.row, from.column, to.column];
    for (let r = r1; r <= r2; r++) {
      const row = rows[r - 1];
      if (!row) continue;
      for (let c = c1; c <= c2; c++) {
        if (r === r1 && c === c1) continue;
        while (row.cells.length < c) row.cells.push({ text: '' });
        row.cells[c - 1] = { text: '', mergedInto: a1(r1, c1) };
      }
    }
  }
  return grid;
}

/** Reads xlsx bytes into grids. Throws InputError('input.unreadable') when exceljs cannot parse it. */
export async function readWithExceljs(bytes: Uint8Array, fileName = 'tệp'): Promise<Grid[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    throw new InputError(
      'input.unreadable',
      { detail: 'nội dung Excel không hợp lệ', detailEn: 'invalid Excel content' },
      { file: fileName },
    );
  }
  return wb.worksheets.map(worksheetToGrid);
}
