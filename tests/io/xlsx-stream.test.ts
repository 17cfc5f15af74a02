// The streaming xlsx reader against exceljs, cell for cell: the seeds written as xlsx by our own writers,
// and files as other writers make them (inline strings, no r= attributes, no styles or shared strings,
// a decoy sheet before the annex, an empty first sheet).
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import ExcelJS from 'exceljs';
import type { Grid } from '../../engine/model.js';
import { readAnnex } from '../../engine/read/index.js';
import { readFileToGrids } from '../../io/read.js';
import { writeAnnexXlsx, writeGridsXlsx } from '../../io/xlsx-write.js';
import { readXlsxSync } from '../../io/xlsx-read-sync.js';
import { readWithExceljs } from './exceljs-reference.js';
import { seeds } from './helpers.js';

/** Grids without what carries no content: trailing empty cells, rows with nothing left. */
function normal(grids: Grid[]) {
  return grids.map((g) => ({
    sheet: g.sheet,
    merges: [...(g.merges ?? [])].sort(),
    rows: g.rows
      .map((r) => {
        const cells = r.cells.map((c) => ({
          text: c.text,
          ...(c.formula ? { formula: c.formula } : {}),
          ...(c.mergedInto ? { mergedInto: c.mergedInto } : {}),
        }));
        while (
          cells.length &&
          !cells[cells.length - 1].text &&
          !cells[cells.length - 1].formula &&
          !cells[cells.length - 1].mergedInto
        )
          cells.pop();
        return { index: r.index, cells };
      })
      .filter((r) => r.cells.length),
  }));
}

describe('streaming xlsx reader', () => {
  for (const seed of seeds) {
    it(`reads ${seed.name} as xlsx exactly as exceljs does`, async () => {
      const grids = await readFileToGrids(seed.bytes, seed.name);
      for (const bytes of [await writeGridsXlsx(grids), await writeAnnexXlsx(readAnnex(grids).annex)]) {
        const mine = await readFileToGrids(bytes, 'x.xlsx');
        expect(normal(mine)).toEqual(normal(await readWithExceljs(bytes, 'x.xlsx')));
      }
    });
  }

  it('dates, numbers, booleans, errors, rich text, shared formulas and merges match exceljs', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Phụ lục');
    ws.addRow(['STT', 'Nhiệm vụ', 'Hạn', 'Tỷ lệ', 'Có', 'Công thức']);
    ws.addRow([
      1,
      { richText: [{ text: 'Rà soát ' }, { text: 'thủ tục', font: { bold: true } }] },
      new Date(Date.UTC(2026, 2, 31)),
      0.125,
      true,
      { formula: 'A2*2', result: 2 },
    ]);
    ws.addRow([2, 'Dòng\r\nthứ hai & <b>', new Date(Date.UTC(2026, 11, 1, 8, 30)), 1234.5, false, { error: '#N/A' }]);
    ws.getCell('C2').numFmt = 'dd/mm/yyyy';
    ws.getCell('C3').numFmt = 'dd/mm/yyyy hh:mm';
    ws.getCell('D2').numFmt = '0.0%';
    ws.getCell('D3').numFmt = '#,##0.00';
    ws.getCell('F3').value = { formula: 'A3*2', result: 4 };
    ws.mergeCells('B5:D6');
    ws.getCell('B5').value = 'Gộp';
    ws.getCell('H9').border = { top: { style: 'thin' } };
    const bytes = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    expect(normal(await readFileToGrids(bytes, 'a.xlsx'))).toEqual(normal(await readWithExceljs(bytes, 'a.xlsx')));
  });

  it('reads files from other writers: inline strings, no r=, no styles or shared strings, decoy and empty sheets first', async () => {
    const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const is = (t: string) => `<x:c t="inlineStr"><x:is><x:t>${t}</x:t></x:is></x:c>`;
    const row = (...cells: string[]) => `<x:row>${cells.map(is).join('')}</x:row>`;
    const annex = `<x:worksheet xmlns:x="${NS}"><x:sheetData>${row('STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện')}${row('I', 'CẢI CÁCH THỂ CHẾ')}${row('1', 'Rà soát văn bản quy phạm pháp luật', 'Báo cáo', 'Sở Tư pháp', 'Các sở, ngành', 'Quý IV/2026')}${row('2', 'Kiểm tra việc thi hành pháp luật', 'Kế hoạch', 'Sở Tư pháp', '', 'Tháng 6/2026')}</x:sheetData></x:worksheet>`;
    const decoy = `<x:worksheet xmlns:x="${NS}"><x:sheetData>${row('Hướng dẫn: điền phụ lục ở trang tính sau.')}</x:sheetData></x:worksheet>`;
    const empty = `<x:worksheet xmlns:x="${NS}"><x:sheetData/></x:worksheet>`;
    const sheets = [
      ['Trống', empty],
      ['Hướng dẫn', decoy],
      ['Phụ lục', annex],
    ];
    const zip = new JSZip();
    zip.file(
      '_rels/.rels',
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="${R}/officeDocument" Target="/xl/workbook.xml"/></Relationships>`,
    );
    zip.file(
      'xl/workbook.xml',
      `<x:workbook xmlns:x="${NS}" xmlns:r="${R}"><x:sheets>${sheets.map(([n], i) => `<x:sheet name="${n}" sheetId="${i + 1}" r:id="s${i}"/>`).join('')}</x:sheets></x:workbook>`,
    );
    zip.file(
      'xl/_rels/workbook.xml.rels',
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((_s, i) => `<Relationship Id="s${i}" Type="${R}/worksheet" Target="/xl/worksheets/s${i}.xml"/>`).join('')}</Relationships>`,
    );
    sheets.forEach(([, xml], i) => zip.file(`xl/worksheets/s${i}.xml`, xml));
    const grids = await readFileToGrids(await zip.generateAsync({ type: 'uint8array' }), 'khac.xlsx');
    expect(grids.map((g) => g.sheet)).toEqual(['Trống', 'Hướng dẫn', 'Phụ lục']);
    expect(grids[0].rows).toEqual([]);
    expect(grids[2].rows[2].cells.map((c) => c.text)).toEqual([
      '1',
      'Rà soát văn bản quy phạm pháp luật',
      'Báo cáo',
      'Sở Tư pháp',
      'Các sở, ngành',
      'Quý IV/2026',
    ]);
    expect(grids[2].rows[3].index).toBe(4);
    const read = readAnnex(grids);
    expect(read.annex.sections.flatMap((s) => s.tasks).map((t) => t.number)).toEqual(['1', '2']);
  });

  it('reads the same cells whatever size the inflated pieces come in (every tag and value cut somewhere)', async () => {
    // Shared strings, inline strings, numbers, dates, a shared formula and merges, in a sheet read in
    // pieces of a few bytes: each kind of tag is cut at every place by one piece or another.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Phụ lục');
    ws.addRow(['STT', 'Nhiệm vụ', 'Hạn', 'Tỷ lệ', 'Công thức']);
    for (let i = 1; i <= 120; i++) {
      ws.addRow([
        i,
        `Nhiệm vụ số ${i} — rà soát & "kiểm tra" <thủ tục>`,
        new Date(Date.UTC(2026, i % 12, 1 + (i % 27))),
        i / 7,
        i === 1
          ? { formula: 'A2*2', result: 2, shareType: 'shared', ref: 'E2:E121' }
          : { sharedFormula: 'E2', result: i * 2 },
      ]);
      ws.getCell(`C${i + 1}`).numFmt = 'dd/mm/yyyy';
      ws.getCell(`D${i + 1}`).numFmt = '0.00%';
    }
    ws.mergeCells('B130:D131');
    ws.getCell('B130').value = 'Gộp ô';
    const bytes = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const whole = readXlsxSync(bytes, 'a.xlsx');
    expect(normal(whole)).toEqual(normal(await readWithExceljs(bytes, 'a.xlsx')));
    for (const step of [1, 7, 61, 509])
      expect(normal(readXlsxSync(bytes, 'a.xlsx', { inflateStep: step })), `step ${step}`).toEqual(normal(whole));
  });

  it('reads shared strings in every form Excel and other writers use, as exceljs does and with or without a prefix', async () => {
    // Plain, preserved spaces, entities, _xHHHH_ escapes, line breaks, rich runs, phonetic runs, an empty <si/>,
    // a '<' written as an entity, and text whose bytes end like an end tag: the fast path and the general one.
    const items = [
      '<t>Rà soát thủ tục</t>',
      '<t xml:space="preserve">  Sở Tư pháp  </t>',
      '<t>Báo cáo &amp; kế hoạch &lt;dự thảo&gt; &#7871;</t>',
      '<t>Quý I_x000D_/2026 _x005F_x0041_</t>',
      '<t>Dòng một\r\nDòng hai</t>',
      '<r><t>Rà soát </t></r><r><rPr><b/></rPr><t>văn bản</t></r>',
      '<t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh>',
      '',
      '<t>a si&gt; b</t>',
      '<t>si</t>',
      '<t/>',
    ];
    const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const book = async (prefix: string) => {
      const x = (xml: string) => xml.replace(/<(\/?)(?=[a-zA-Z])(?!x:)/g, `<$1${prefix}`);
      const sst = `<${prefix}sst xmlns${prefix ? `:${prefix.slice(0, -1)}` : ''}="${NS}" count="${items.length}">${items
        .map((t) => (t ? `<si>${t}</si>` : '<si/>'))
        .map(x)
        .join('')}</${prefix}sst>`;
      // Row 1 uses the strings last first (a reader must not expect them in order of first use), row 2 in order.
      const cell = (r: number, i: number, v: number) =>
        `<c r="${String.fromCharCode(65 + i)}${r}" t="s"><v>${v}</v></c>`;
      const cells = `<row r="1">${items.map((_t, i) => cell(1, i, items.length - 1 - i)).join('')}</row><row r="2">${items.map((_t, i) => cell(2, i, i)).join('')}</row>`;
      const sheet = `<${prefix}worksheet xmlns${prefix ? `:${prefix.slice(0, -1)}` : ''}="${NS}">${x(`<sheetData>${cells}</sheetData>`)}</${prefix}worksheet>`;
      const zip = new JSZip();
      zip.file(
        '_rels/.rels',
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="${R}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      );
      zip.file(
        'xl/workbook.xml',
        `<workbook xmlns="${NS}" xmlns:r="${R}"><sheets><sheet name="Phụ lục" sheetId="1" r:id="s1"/></sheets></workbook>`,
      );
      zip.file(
        'xl/_rels/workbook.xml.rels',
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="s1" Type="${R}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="s2" Type="${R}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
      );
      zip.file('xl/worksheets/sheet1.xml', sheet);
      zip.file('xl/sharedStrings.xml', sst);
      return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    };
    const plain = await book('');
    const mine = await readFileToGrids(plain, 'a.xlsx');
    const texts = [
      'Rà soát thủ tục',
      '  Sở Tư pháp  ',
      'Báo cáo & kế hoạch <dự thảo> ế',
      'Quý I\n/2026 _x0041_',
      'Dòng một\nDòng hai',
      'Rà soát văn bản',
      '漢字',
      '',
      'a si> b',
      'si',
      '',
    ];
    expect(mine[0].rows[1].cells.map((c) => c.text)).toEqual(texts);
    expect(mine[0].rows[0].cells.map((c) => c.text)).toEqual([...texts].reverse());
    const theirs = normal(await readWithExceljs(plain, 'a.xlsx'));
    // exceljs shows an empty <si/> as "[object Object]"; every other cell is compared as it reads it.
    expect(theirs[0].rows[1].cells[7]).toEqual({ text: '[object Object]' });
    theirs[0].rows[1].cells[7] = theirs[0].rows[0].cells[3] = { text: '' };
    expect(normal(mine)).toEqual(theirs);
    expect(normal(await readFileToGrids(await book('x:'), 'b.xlsx'))).toEqual(normal(mine));
  });
});
