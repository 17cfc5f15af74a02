// xlsx → Grid[] with exceljs: one Grid per worksheet, cell text as displayed, formulas kept,
// merged ranges listed and their covered cells marked, hidden rows and columns kept.
// Callers go through readFileToGrids, which has already checked the zip (size, bomb, truncation).
import ExcelJS from 'exceljs';
import type { Grid, GridCell, GridRow } from '../engine/model.js';
import { a1 } from '../engine/a1.js';
import { InputError } from './errors.js';
import { formatDate, formatNumber, isDateFormat } from './format.js';

type CellValue = ExcelJS.CellValue;

function richText(v: { richText: { text: string }[] }): string {
  return v.richText.map((r) => r.text ?? '').join('');
}

/** A cell value (or formula result) as text, formatted with the cell's number format. */
export function valueText(value: CellValue | undefined, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return isDateFormat(numFmt) ? formatDate(excelSerialToDate(value), numFmt) : formatNumber(value, numFmt);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return formatDate(value, numFmt);
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return richText(value as { richText: { text: string }[] });
    if ('error' in value) return String(value.error);
    if ('formula' in value || 'sharedFormula' in value) return valueText((value as { result?: CellValue }).result, numFmt);
    if ('text' in value) {
      const t = (value as { text: unknown }).text;
      return typeof t === 'string' ? t : t && typeof t === 'object' && 'richText' in t ? richText(t as { richText: { text: string }[] }) : '';
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

function isBlank(c: GridCell): boolean {
  return c.text === '' && !c.formula && !c.mergedInto;
}

export function worksheetToGrid(ws: ExcelJS.Worksheet): Grid {
  const rows: GridRow[] = [];
  const last = ws.rowCount;
  for (let r = 1; r <= last; r++) {
    const row = ws.getRow(r);
    const cells: GridCell[] = [];
    // cellCount counts up to the last defined cell, hidden columns included.
    const width = row.cellCount;
    for (let c = 1; c <= width; c++) cells.push(cellOf(row.getCell(c)));
    while (cells.length && isBlank(cells[cells.length - 1])) cells.pop();
    rows.push({ index: r, cells });
  }
  const grid: Grid = { sheet: ws.name, kind: 'sheet', rows };
  const merges = (ws.model as { merges?: string[] }).merges ?? [];
  if (merges.length) grid.merges = [...merges];
  // Covered cells past a row's last value (a merge reaching right) were trimmed above; put them back.
  for (const range of grid.merges ?? []) {
    const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(range);
    if (!m) continue;
    const top = ws.getCell(`${m[1]}${m[2]}`);
    const r1 = Number(m[2]);
    const r2 = Number(m[4]);
    const c1 = Number(top.col);
    const c2 = Number(ws.getCell(`${m[3]}${m[4]}`).col);
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
export async function readXlsxToGrids(bytes: Uint8Array, fileName = 'tệp'): Promise<Grid[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    throw new InputError('input.unreadable', { detail: 'nội dung Excel không hợp lệ', detailEn: 'invalid Excel content' }, { file: fileName });
  }
  return wb.worksheets.map(worksheetToGrid);
}
