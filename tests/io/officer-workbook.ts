// An officer's workbook made from a seed: the kind of formatting a provincial office puts on its annex (Times New
// Roman, a bold shaded header, borders, widths, a merged title, frozen header, A4 landscape, notes of their own, a
// second sheet), so tests can check that a marked copy leaves all of it as it was.
import ExcelJS from 'exceljs';
import type { Grid } from '../../engine/index.js';

export const OFFICER_NOTE = 'Ghi chú của cán bộ: đã hỏi lại phòng Tổ chức.';

export async function officerWorkbook(grids: Grid[], noteCells: string[] = []): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const grid = grids[0];
  const ws = wb.addWorksheet('Phụ lục', {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  const header = grid.rows.find((r) => r.cells.filter((c) => c.text.trim()).length >= 3);
  const thin = { style: 'thin' as const, color: { argb: 'FF000000' } };
  const width: number[] = [];
  for (const row of grid.rows) {
    const r = ws.getRow(row.index);
    const table = row.cells.filter((c) => c.text.trim()).length >= 2;
    row.cells.forEach((cell, i) => {
      if (cell.mergedInto) return;
      const c = r.getCell(i + 1);
      c.value = cell.text;
      c.font = { name: 'Times New Roman', size: 13, bold: row === header };
      c.alignment = { wrapText: true, vertical: 'top', horizontal: i === 0 ? 'center' : 'left' };
      if (table) c.border = { top: thin, left: thin, bottom: thin, right: thin };
      if (row === header) c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
      width[i] = Math.max(width[i] ?? 10, Math.min(50, cell.text.length / 3));
    });
  }
  width.forEach((w, i) => (ws.getColumn(i + 1).width = Math.round(w)));
  for (const m of grid.merges ?? []) ws.mergeCells(m);
  if (header) ws.views = [{ state: 'frozen', ySplit: header.index }];
  for (const cell of noteCells) ws.getCell(cell).note = OFFICER_NOTE;
  ws.getCell('A1').note = OFFICER_NOTE;
  const other = wb.addWorksheet('Ghi chú');
  other.getCell('A1').value = 'Danh sách người liên hệ';
  other.getCell('A1').font = { bold: true, color: { argb: 'FF1F4E79' } };
  other.getCell('B2').value = 42;
  other.getCell('B2').numFmt = '#,##0.00';
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}
