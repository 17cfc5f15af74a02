// What the xlsx adapter makes of real Excel features: formulas, merged ranges, rich text, dates,
// number formats, hidden columns and rows, several sheets. Workbooks are built with exceljs here and
// read back through readFileToGrids, the path every caller uses.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { readFileToGrids, readFileDetailed } from '../../io/read.js';
import { readAnnex } from '../../engine/read/index.js';
import type { Grid } from '../../engine/model.js';

async function bytesOf(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

function cell(grid: Grid, row: number, col: number) {
  return grid.rows.find((r) => r.index === row)?.cells[col - 1];
}

async function annexWorkbook(): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  const cover = wb.addWorksheet('Bìa');
  cover.getCell('A1').value = 'UBND TỈNH KHÁNH HÒA';
  const ws = wb.addWorksheet('Phụ lục');
  ws.addRow(['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện', 'Mã']);
  ws.addRow(['I', 'Cải cách thể chế']);
  ws.addRow([
    1,
    'Rà soát văn bản quy phạm pháp luật',
    '1.1. Báo cáo rà soát',
    'Sở Tư pháp',
    'Các sở, ban, ngành',
    'Quý II/2025',
    'T-001',
  ]);
  ws.addRow([null, null, '1.2. Danh mục văn bản cần sửa đổi', 'Sở Tư pháp', 'Các sở, ban, ngành', 'Quý III/2025']);
  ws.addRow([2, 'Theo dõi thi hành pháp luật', 'Kế hoạch theo dõi', 'Sở Tư pháp', '', 'Thường xuyên']);
  return wb;
}

describe('xlsx adapter', () => {
  it('reads one grid per worksheet with cells as displayed', async () => {
    const wb = await annexWorkbook();
    const ws = wb.getWorksheet('Phụ lục')!;
    ws.getCell('B6').value = {
      richText: [{ text: 'Cải cách ', font: { bold: true } }, { text: 'thủ tục hành chính' }],
    };
    ws.getCell('F7').value = new Date(Date.UTC(2025, 5, 30));
    ws.getCell('F7').numFmt = 'dd/mm/yyyy';
    ws.getCell('F8').value = new Date(Date.UTC(2025, 2, 1));
    ws.getCell('F8').numFmt = '"Tháng "mm/yyyy';
    ws.getCell('G7').value = 0.1 + 0.2;
    ws.getCell('G8').value = 0.856;
    ws.getCell('G8').numFmt = '0.0%';
    ws.getCell('G9').value = 1234.5;
    ws.getCell('G9').numFmt = '0.00';
    ws.getCell('H9').value = { text: 'Cổng dịch vụ công', hyperlink: 'https://dichvucong.gov.vn' };
    ws.getCell('B10').value = 'Dòng một\r\nDòng hai';
    const grids = await readFileToGrids(await bytesOf(wb), 'phu-luc.xlsx');
    expect(grids.map((g) => g.sheet)).toEqual(['Bìa', 'Phụ lục']);
    const g = grids[1];
    expect(g.kind).toBe('sheet');
    expect(cell(g, 3, 1)?.text).toBe('1');
    expect(cell(g, 6, 2)?.text).toBe('Cải cách thủ tục hành chính');
    expect(cell(g, 7, 6)?.text).toBe('30/06/2025');
    expect(cell(g, 8, 6)?.text).toBe('Tháng 03/2025');
    expect(cell(g, 7, 7)?.text).toBe('0.3');
    expect(cell(g, 8, 7)?.text).toBe('85.6%');
    expect(cell(g, 9, 7)?.text).toBe('1234.50');
    expect(cell(g, 9, 8)?.text).toBe('Cổng dịch vụ công');
    expect(cell(g, 10, 2)?.text).toBe('Dòng một\nDòng hai');
  });

  it('keeps formulas with their results, shared formulas included', async () => {
    const wb = await annexWorkbook();
    const ws = wb.getWorksheet('Phụ lục')!;
    ws.getCell('F5').value = { formula: 'F3', result: 'Quý II/2025' };
    ws.getCell('H3').value = { formula: 'ROW()', result: 3 };
    ws.getCell('H4').value = { sharedFormula: 'H3', result: 4 };
    ws.getCell('H5').value = { formula: '1/0', result: { error: '#DIV/0!' } };
    const [, g] = await readFileToGrids(await bytesOf(wb), 'cong-thuc.xlsx');
    expect(cell(g, 5, 6)).toEqual({ text: 'Quý II/2025', formula: 'F3' });
    expect(cell(g, 3, 8)).toEqual({ text: '3', formula: 'ROW()' });
    expect(cell(g, 4, 8)).toEqual({ text: '4', formula: 'ROW()' });
    expect(cell(g, 5, 8)).toEqual({ text: '#DIV/0!', formula: '1/0' });
    // The reader sees the formula and says so.
    const read = readAnnex([g]);
    expect(read.diagnostics.some((d) => d.code === 'cell.formula' && d.location.cell === 'F5')).toBe(true);
  });

  it('lists merged ranges and marks the covered cells, even past the last value of a row', async () => {
    const wb = await annexWorkbook();
    const ws = wb.getWorksheet('Phụ lục')!;
    ws.mergeCells('D3:D4'); // one lead agency for two product rows
    ws.mergeCells('B2:F2'); // section title across the table
    const [, g] = await readFileToGrids(await bytesOf(wb), 'gop-o.xlsx');
    expect(g.merges?.sort()).toEqual(['B2:F2', 'D3:D4']);
    expect(cell(g, 3, 4)).toEqual({ text: 'Sở Tư pháp' });
    expect(cell(g, 4, 4)).toEqual({ text: '', mergedInto: 'D3' });
    expect(cell(g, 2, 2)?.text).toBe('Cải cách thể chế');
    for (const c of [3, 4, 5, 6]) expect(cell(g, 2, c)).toEqual({ text: '', mergedInto: 'B2' });
    const read = readAnnex([g]);
    expect(read.annex.sections.flatMap((s) => s.tasks)).toHaveLength(2);
  });

  it('keeps hidden columns and rows', async () => {
    const wb = await annexWorkbook();
    const ws = wb.getWorksheet('Phụ lục')!;
    ws.getColumn(7).hidden = true;
    ws.getRow(5).hidden = true;
    const [, g] = await readFileToGrids(await bytesOf(wb), 'an.xlsx');
    expect(cell(g, 3, 7)?.text).toBe('T-001');
    expect(cell(g, 5, 2)?.text).toBe('Theo dõi thi hành pháp luật');
  });

  it('ignores formatting far below and right of the data (no millions of empty cells)', async () => {
    const wb = await annexWorkbook();
    const ws = wb.getWorksheet('Phụ lục')!;
    for (let r = 6; r <= 60_000; r += 997) ws.getCell(r, 1).border = { top: { style: 'thin' } };
    ws.getCell('XFD3').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
    const [, g] = await readFileToGrids(await bytesOf(wb), 'dinh-dang.xlsx');
    expect(g.rows).toHaveLength(5);
    expect(Math.max(...g.rows.map((r) => r.cells.length))).toBe(7);
  });

  it('trusts content over extension: an xlsx named .csv is read as xlsx, a CSV named .xlsx as CSV', async () => {
    const xlsx = await bytesOf(await annexWorkbook());
    const a = await readFileDetailed(xlsx, 'phu-luc.csv');
    expect(a.kind).toBe('xlsx');
    const csv =
      'STT;Nhiệm vụ;Sản phẩm;Cơ quan chủ trì;Cơ quan phối hợp;Thời gian thực hiện\nI;Cải cách thể chế;;;;\n1;Rà soát;Báo cáo;Sở Tư pháp;;Quý II/2025\n';
    const b = await readFileDetailed(Buffer.from(csv), 'phu-luc.xlsx');
    expect(b.kind).toBe('csv');
    expect(b.grids[0].rows[2].cells.map((c) => c.text)).toEqual([
      '1',
      'Rà soát',
      'Báo cáo',
      'Sở Tư pháp',
      '',
      'Quý II/2025',
    ]);
  });

  it('hands .docx files to the Word reader', async () => {
    const row = (texts: string[]) =>
      new TableRow({ children: texts.map((t) => new TableCell({ children: [new Paragraph(t)] })) });
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph('PHỤ LỤC'),
            new Table({
              rows: [
                row(['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện']),
                row(['I', 'Cải cách thể chế', '', '', '', '']),
                row(['1', 'Rà soát văn bản', 'Báo cáo', 'Sở Tư pháp', 'Các sở', 'Quý II/2025']),
              ],
            }),
          ],
        },
      ],
    });
    const bytes = new Uint8Array(await Packer.toBuffer(doc));
    const got = await readFileDetailed(bytes, 'phu-luc.docx');
    expect(got.kind).toBe('docx');
    const texts = got.grids.flatMap((g) => g.rows.map((r) => r.cells.map((c) => c.text).join('|')));
    expect(texts).toContain('1|Rà soát văn bản|Báo cáo|Sở Tư pháp|Các sở|Quý II/2025');
  });
});
