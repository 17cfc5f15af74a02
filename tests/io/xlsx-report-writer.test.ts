// The report writer's own xlsx: every character of a cell comes back (control characters and escape-shaped text
// included), through our reader and through exceljs; styles, merges, heights, widths, frozen rows and print titles
// are where Excel looks for them.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Grid } from '../../engine/index.js';
import { readFileToGrids } from '../../io/read.js';
import { XlsxReportWriter, isSpace, xmlText, type XlsxCellStyle } from '../../io/xlsx-report-writer.js';
import { rowHeightForLines, rowHeightPt, wrappedLines, wrappedLinesPair } from '../../templates/official-style.js';

const THIN = { style: 'thin' } as const;
const body: XlsxCellStyle = {
  font: { name: 'Times New Roman', size: 12 },
  border: { top: THIN, left: THIN, bottom: THIN, right: THIN },
  alignment: { vertical: 'top', horizontal: 'left', wrapText: true },
  numFmt: '@',
};
const head: XlsxCellStyle = {
  font: { name: 'Times New Roman', size: 12, bold: true },
  alignment: { vertical: 'middle', horizontal: 'center', wrapText: true },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } },
};

// Texts an officer's cells can hold, and those XML or OOXML would change on the way.
const TEXTS = [
  'Sở Tư pháp',
  'Dòng một\nDòng hai',
  '  hai dấu cách đầu và cuối  ',
  'A & B < C > D "E" \'F\'',
  'ký tự điều khiển \u0001 và \u001f',
  'trông như mã thoát: _x0041_ và _x005F_',
  '𝔸 ngoài BMP, tổ hợp: Nhiệm vụ',
];

function workbook(): Promise<Buffer> {
  const wb = new XlsxReportWriter({ creator: 'Phụ lục', defaultFont: { name: 'Times New Roman', size: 12 } });
  const ws = wb.addSheet('Phụ lục', {
    widths: [6, 45, 20],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { top: 0.79, bottom: 0.79, left: 1.18, right: 0.59, header: 0.39, footer: 0.39 },
      printTitlesRow: '2:2',
    },
    oddHeader: '&C&"Times New Roman,Regular"&12&P',
    frozenRows: 2,
  });
  ws.addRow(['TIÊU ĐỀ GỘP'], head, 30, [1, 3]);
  ws.addRow(['STT', 'Nhiệm vụ', 'Ghi chú'], head, 32);
  ws.addRow([], []); // a blank row: left out, numbering goes on
  TEXTS.forEach((t, i) => ws.addRow([i + 1, t, t], body, 40));
  const other = wb.addSheet("Bảng 'riêng' tổng hợp", { widths: [10], pageSetup: { printTitlesRow: '1:1' } });
  other.addRow(['Sở Tư pháp'], body); // shared with the first sheet
  return wb.toBuffer();
}

const cell = (g: Grid, row: number, col: number) => g.rows.find((r) => r.index === row)?.cells[col - 1]?.text;

describe('the report xlsx writer', () => {
  it('gives every text back through our reader, control characters and escape-shaped text included', async () => {
    const grids = await readFileToGrids(await workbook(), 'bao-cao.xlsx');
    expect(grids.map((g) => g.sheet)).toEqual(['Phụ lục', "Bảng 'riêng' tổng hợp"]);
    const g = grids[0];
    expect(cell(g, 1, 1)).toBe('TIÊU ĐỀ GỘP');
    expect(g.merges).toContain('A1:C1');
    expect(cell(g, 2, 2)).toBe('Nhiệm vụ');
    expect(g.rows.some((r) => r.index === 3 && r.cells.some((c) => c.text))).toBe(false);
    TEXTS.forEach((t, i) => {
      expect(cell(g, 4 + i, 1)).toBe(String(i + 1));
      expect(cell(g, 4 + i, 2), JSON.stringify(t)).toBe(t);
    });
    expect(cell(grids[1], 1, 1)).toBe('Sở Tư pháp');
  });

  it('is a workbook exceljs opens with the page setup, styles, merges, heights and frozen rows it was given', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await workbook()) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Phụ lục')!;
    expect(ws.pageSetup.paperSize).toBe(9);
    expect(ws.pageSetup.orientation).toBe('landscape');
    expect(ws.pageSetup.fitToWidth).toBe(1);
    expect(ws.pageSetup.printTitlesRow).toBe('2:2');
    expect(ws.headerFooter.oddHeader).toBe('&C&"Times New Roman,Regular"&12&P');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(ws.getColumn(2).width).toBe(45);
    expect(ws.getRow(2).height).toBe(32);
    expect(ws.getCell('A1').isMerged && ws.getCell('C1').isMerged).toBe(true);
    // The cells a merge covers carry its style, so the borders and fill print across it.
    expect(ws.getCell('C1').fill).toMatchObject({ pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } });
    const b4 = ws.getCell('B4');
    expect(b4.font).toMatchObject({ name: 'Times New Roman', size: 12 });
    expect(b4.border.top?.style).toBe('thin');
    expect(b4.alignment).toMatchObject({ wrapText: true, vertical: 'top' });
    expect(b4.numFmt).toBe('@');
    expect(ws.getCell('A4').value).toBe(1);
    expect(ws.getCell('B5').value).toBe('Dòng một\nDòng hai');
    expect(ws.getCell('B6').value).toBe('  hai dấu cách đầu và cuối  ');
    expect(ws.getCell('B7').value).toBe('A & B < C > D "E" \'F\'');
    expect(ws.getCell('A2').font).toMatchObject({ bold: true });
    // A sheet name with an apostrophe is quoted in its print titles.
    expect(wb.getWorksheet("Bảng 'riêng' tổng hợp")!.pageSetup.printTitlesRow).toBe('1:1');
  });

  it('refuses a sheet name Excel refuses', () => {
    const wb = new XlsxReportWriter();
    for (const bad of ["'Phụ lục", 'a/b', 'x'.repeat(32), ''])
      expect(() => wb.addSheet(bad, { widths: [] }), bad).toThrow(RangeError);
    wb.addSheet('Phụ lục', { widths: [] });
    expect(() => wb.addSheet('PHỤ LỤC', { widths: [] })).toThrow(RangeError);
  });

  it('escapes for XML only what it must', () => {
    expect(xmlText('Sở Tư pháp')).toBe('Sở Tư pháp');
    expect(xmlText('a & <b> "c"')).toBe('a &amp; &lt;b&gt; &quot;c&quot;');
    expect(xmlText('x\u0001y\rz')).toBe('x_x0001_y_x000D_z');
    expect(xmlText('_x0041_ và _xyz_')).toBe('_x005F_x0041_ và _xyz_');
    // Its quick test for "nothing to change" against the two replacements it stands for, on random texts of what
    // matters (every control, the XML specials, pieces that make "_xHHHH_") and others.
    const alphabet = ['_x', '_', '00', 'F1', 'a9', '4_', 'x', 'g', '&', '<', '>', '"', "'", ' ', 'ệ', '\ud83d'];
    for (let c = 0; c < 0x20; c++) alphabet.push(String.fromCharCode(c));
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) % alphabet.length;
    const reference = (s: string) =>
      s
        .replace(
          // eslint-disable-next-line no-control-regex -- the controls OOXML escapes
          /[\x00-\x08\x0B-\x1F]|_(?=x[0-9A-Fa-f]{4}_)/g,
          (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`,
        )
        .replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
    for (let n = 0; n < 20000; n++) {
      let s = '';
      for (let k = n % 12; k > 0; k--) s += alphabet[next()];
      expect(xmlText(s), JSON.stringify(s)).toBe(reference(s));
    }
  });

  it('knows a space at either end of a text (xml:space) as /\\s/ does, for every UTF-16 unit', () => {
    for (let c = 0; c <= 0xffff; c++) expect(isSpace(c), c.toString(16)).toBe(/\s/.test(String.fromCharCode(c)));
    expect(isSpace(NaN)).toBe(false);
  });

  it('writes the same bytes for the same report', async () => {
    expect((await workbook()).equals(await workbook())).toBe(true);
  });

  it('makes a fitted row as tall as rowHeightPt says, with the lines of a repeated text remembered per width', async () => {
    const wb = new XlsxReportWriter({ wrappedLines });
    const widths = [4, 30, 12];
    const ws = wb.addSheet('Cao', { widths });
    const fit = { widths, height: (lines: number) => rowHeightForLines(lines, 12) };
    const long = 'Rà soát, đánh giá thủ tục hành chính thuộc phạm vi quản lý của các sở, ban, ngành';
    const rows: { values: (string | number)[]; height?: number; merge?: [number, number] }[] = [
      { values: [1, long, long] },
      // The same text again in other columns (other widths), a number wider than its column, numbers only.
      { values: [123456, 'Sở Tư pháp', long] },
      { values: [long, long, 'x'] },
      { values: [7, 8, 9] },
      { values: ['', '', ''] },
      { values: [2, 'ngắn', long], height: 200 },
      { values: [3, 'ngắn', 'ngắn'], height: 40 },
      { values: [long], merge: [1, 3] },
    ];
    const expected: (number | undefined)[] = [];
    for (const r of rows) {
      const w = r.merge ? [widths[0] + widths[1] + widths[2]] : widths;
      ws.addRow(r.values, undefined, r.height, r.merge, { ...fit, widths: w });
      const text = r.values.some((v) => typeof v === 'string' && v !== '');
      const needed = text ? rowHeightPt(r.values, w, 12) : undefined;
      expected.push(r.height ? Math.max(r.height, needed ?? 0) : needed);
    }
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await wb.toBuffer()) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Cao')!;
    expect(expected[0]).toBeGreaterThan(rowHeightForLines(1, 12));
    rows.forEach((_, i) => expect(sheet.getRow(i + 1).height, `row ${i + 1}`).toBe(expected[i]));
  });

  it('writes the same rows whether two widths are counted together or each on its own', async () => {
    const long = 'Rà soát, đánh giá thủ tục hành chính thuộc phạm vi quản lý của các sở, ban, ngành';
    const texts = [long, 'ngắn', `${long}\n${long}`, 'x'.repeat(70), `${long} ${long}`, 'a\tb '.repeat(20)];
    const build = (paired: boolean) => {
      const wb = new XlsxReportWriter({
        wrappedLines,
        ...(paired ? { pairedWidths: { widths: [30, 29] as const, count: wrappedLinesPair } } : {}),
      });
      // Texts met first at either width of the pair, again at the other, and at an unpaired width.
      for (const [name, widths] of [
        ['Một', [4, 30, 12]],
        ['Hai', [4, 29, 30]],
      ] as const) {
        const ws = wb.addSheet(name, { widths: [...widths] });
        const fit = { widths, height: (lines: number) => rowHeightForLines(lines, 12) };
        texts.forEach((t, i) => ws.addRow([i, t, texts[(i + 2) % texts.length]], undefined, undefined, undefined, fit));
      }
      return wb.toBuffer();
    };
    expect((await build(true)).equals(await build(false))).toBe(true);
  });

  it('writes parts of several deflated pieces that read back whole (sheet and shared strings over 1 MB each)', async () => {
    const wb = new XlsxReportWriter();
    const ws = wb.addSheet('Lớn', { widths: [8, 60] });
    const rows = 24_000;
    // Distinct texts with multi-byte characters, so both parts pass several 1 MB pieces and pieces end mid-text.
    const text = (i: number) => `Nhiệm vụ số ${i}: rà soát, đánh giá thủ tục hành chính ${'ơ'.repeat(i % 40)}`;
    for (let i = 1; i <= rows; i++) ws.addRow([i, text(i)], undefined);
    const grids = await readFileToGrids(await wb.toBuffer(), 'lon.xlsx');
    const g = grids[0];
    expect(g.rows.length).toBe(rows);
    for (const i of [1, 2, 9_999, 10_000, 17_777, rows]) {
      expect(cell(g, i, 1)).toBe(String(i));
      expect(cell(g, i, 2)).toBe(text(i));
    }
    expect(g.rows.every((r, k) => r.cells[1]?.text === text(k + 1))).toBe(true);
  });
});
