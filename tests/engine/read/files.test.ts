// The reader on real files: an Excel workbook written with exceljs (merged cells, a formula, a cover
// sheet) and read back through the io adapter, as the add-in and the server do.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readFileToGrids } from '../../../io/read.js';
import { readAnnex, textToGrid } from '../../../engine/read/index.js';
import type { Annex } from '../../../engine/model.js';
import { writeAnnexXlsx } from '../../../io/xlsx-write.js';
import { writeAnnexDocx } from '../../../io/docx-write.js';
import { buildAnnexTemplate } from '../../../templates/annex-template.js';

async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const cover = wb.addWorksheet('Bìa');
  cover.getCell('A1').value = 'ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG';
  cover.getCell('A2').value = 'Số: 45/KH-UBND';
  cover.getCell('A3').value = 'Lâm Đồng, ngày 10 tháng 01 năm 2026';
  const ws = wb.addWorksheet('Phụ lục');
  ws.getCell('A1').value = 'NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026';
  ws.mergeCells('A1:G1');
  ws.getRow(3).values = [
    'STT',
    'Nhiệm vụ',
    'Sản phẩm',
    'Cơ quan chủ trì',
    'Cơ quan phối hợp',
    'Thời gian thực hiện',
    'Kinh phí',
  ];
  ws.getCell('A4').value = 'I';
  ws.getCell('B4').value = 'Cải cách thủ tục hành chính';
  ws.mergeCells('B4:G4');
  ws.getRow(5).values = [
    1,
    'Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính',
    '1.1. Kế hoạch số hóa',
    'Sở Khoa học và Công nghệ',
    'Các sở, ngành',
    'Quý I/2026',
    100,
  ];
  ws.getRow(6).values = [null, null, '1.2. Báo cáo kết quả', null, null, 'Quý IV/2026', 50];
  ws.mergeCells('A5:A6');
  ws.mergeCells('B5:B6');
  ws.mergeCells('D5:D6');
  ws.getCell('A7').value = { formula: 'A5+1', result: 2 };
  ws.getRow(7).getCell(2).value = 'Công khai thủ tục hành chính';
  ws.getRow(7).getCell(3).value = 'Danh mục công khai';
  ws.getRow(7).getCell(4).value = 'Văn phòng UBND tỉnh';
  ws.getRow(7).getCell(6).value = 'Thường xuyên';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('xlsx through the io adapter', () => {
  it('reads the annex sheet with merges, a formula and an unknown column', async () => {
    const bytes = await workbook();
    mkdirSync(join('test-output', 'read'), { recursive: true });
    writeFileSync(join('test-output', 'read', 'annex.xlsx'), bytes);
    const grids = await readFileToGrids(bytes, 'annex.xlsx');
    const r = readAnnex(grids);
    expect(r.annex.meta).toMatchObject({ sheet: 'Phụ lục', headerRow: 3, planYear: 2026 });
    expect(r.annex.sections).toHaveLength(1);
    const [s] = r.annex.sections;
    expect(s).toMatchObject({ numeral: 'I', title: 'Cải cách thủ tục hành chính', area: 'procedure' });
    expect(s.tasks.map((t) => t.number)).toEqual(['1', '2']);
    const t1 = s.tasks[0];
    expect(t1.products.map((p) => [p.number, p.text, p.lead.map((x) => x.text), p.timeline?.text])).toEqual([
      ['1.1.', 'Kế hoạch số hóa', ['Sở Khoa học và Công nghệ'], 'Quý I/2026'],
      ['1.2.', 'Báo cáo kết quả', ['Sở Khoa học và Công nghệ'], 'Quý IV/2026'],
    ]);
    expect(t1.extra).toEqual({ 'Kinh phí': '100\n50' });
    expect(t1.rows).toEqual([5, 6]);
    const codes = r.diagnostics.map((d) => `${d.code}@${d.location.cell ?? d.location.row}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'header.unknown-column@G3',
        'cell.merged@A5',
        'cell.merged@B5',
        'cell.merged@D5',
        'cell.formula@A7',
      ]),
    );
    // The title merge and the section title merged across columns are layout, not reported.
    expect(codes.filter((c) => c.startsWith('cell.merged'))).toEqual([
      'cell.merged@A5',
      'cell.merged@B5',
      'cell.merged@D5',
    ]);
    // Metadata from the cover sheet: the annex sheet has only its own title.
    expect(r.annex.meta).toMatchObject({ province: 'lam-dong', docNumber: '45/KH-UBND', docDate: '2026-01-10' });
  });
});

describe('round trip through the project writers', () => {
  const seed = () => {
    const dir = join(process.cwd(), 'seeds');
    const name = readdirSync(dir).find((f) => f.startsWith('002'))!;
    return readAnnex([textToGrid(readFileSync(join(dir, name), 'utf8'), name)]).annex;
  };
  const shape = (a: Annex) =>
    a.sections.map((s) => [
      s.numeral,
      s.area,
      s.tasks.map((t) => [t.number, t.task, t.products.map((p) => p.text), t.timeline.text]),
    ]);

  it('reads back what the xlsx writer wrote from seed 002', async () => {
    const annex = seed();
    const bytes = await writeAnnexXlsx(annex);
    const back = readAnnex(await readFileToGrids(bytes, 'annex.xlsx')).annex;
    expect(shape(back)).toEqual(shape(annex));
  });

  it('reads back what the docx writer wrote from seed 002', async () => {
    const annex = seed();
    const bytes = await writeAnnexDocx(annex);
    const back = readAnnex(await readFileToGrids(bytes, 'annex.docx')).annex;
    expect(shape(back)).toEqual(shape(annex));
  });
});

describe('the project template', () => {
  it('reads the generated template as seven empty sections, then a task an officer typed into it', async () => {
    const bytes = await buildAnnexTemplate({ province: 'ninh-binh', year: 2026 });
    const empty = readAnnex(await readFileToGrids(bytes, 'mau.xlsx'));
    expect(empty.annex.meta).toMatchObject({
      sheet: 'Phụ lục',
      province: 'ninh-binh',
      planYear: 2026,
      layout: 'table',
    });
    expect(empty.annex.sections.map((s) => s.area)).toEqual([
      'direction',
      'institution',
      'procedure',
      'organization',
      'civil-service',
      'public-finance',
      'digital-government',
    ]);
    expect(empty.annex.sections.every((s) => s.tasks.length === 0)).toBe(true);
    expect(empty.diagnostics).toEqual([]);

    // The officer fills the first task row under section I.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Phụ lục')!;
    const sectionRow = empty.annex.sections[0].source.row;
    const row = ws.getRow(sectionRow + 1);
    row.getCell(1).value = 1;
    row.getCell(2).value = 'Ban hành Kế hoạch cải cách hành chính năm 2026';
    row.getCell(3).value = 'Kế hoạch của UBND tỉnh';
    row.getCell(4).value = 'Sở Nội vụ';
    row.getCell(6).value = 'Quý I/2026';
    row.commit();
    const filled = readAnnex(await readFileToGrids(Buffer.from(await wb.xlsx.writeBuffer()), 'mau.xlsx'));
    const t = filled.annex.sections[0].tasks[0];
    expect(t).toMatchObject({
      number: '1',
      task: 'Ban hành Kế hoạch cải cách hành chính năm 2026',
      source: { row: sectionRow + 1, cell: `B${sectionRow + 1}` },
    });
    expect(t.products.map((p) => p.text)).toEqual(['Kế hoạch của UBND tỉnh']);
    expect(t.lead.map((x) => x.text)).toEqual(['Sở Nội vụ']);
    expect(t.timeline.text).toBe('Quý I/2026');
  });
});
