import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { buildAnnexTemplate, templateLayout, TemplateError, SHEETS } from '../../templates/annex-template.js';
import { OFFICIAL_STYLE, mmToInch } from '../../templates/official-style.js';
import { defaultDirectory, provinces } from '../../data/index.js';
import { readXlsxToGrids } from '../../io/xlsx-read.js';
import { REFORM_AREAS, readAnnex, validate } from '../../engine/index.js';
import { provinceWithAgencies } from './fixtures.js';

let province = '';
let bytes: Buffer;
let wb: ExcelJS.Workbook;

beforeAll(async () => {
  province = await provinceWithAgencies('2026-01-01');
  bytes = await buildAnnexTemplate({ province, year: 2026 });
  wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
});

const sheet = () => wb.getWorksheet(SHEETS.annex)!;
type DV = { type: string; formulae: string[]; errorStyle?: string; allowBlank?: boolean };
const validationAt = (ws: ExcelJS.Worksheet, addr: string) =>
  (ws as unknown as { dataValidations: { find(a: string): DV | undefined } }).dataValidations.find(addr);

describe('buildAnnexTemplate: the workbook', () => {
  it('has the annex sheet first, then the instructions, then the hidden lists', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual([SHEETS.annex, SHEETS.guide, SHEETS.lists]);
    expect(wb.getWorksheet(SHEETS.lists)!.state).toBe('hidden');
    expect(wb.getWorksheet(SHEETS.annex)!.state).toBe('visible');
  });

  it('has the six standard columns and the two optional ones in the header row', () => {
    const layout = templateLayout({ year: 2026 });
    const header = sheet().getRow(layout.headerRow);
    expect(layout.columns.map((c) => header.getCell(c.index).text)).toEqual([
      'STT',
      'Nhiệm vụ',
      'Sản phẩm',
      'Cơ quan chủ trì',
      'Cơ quan phối hợp',
      'Thời gian thực hiện',
      'Theo dõi, kiểm tra, đôn đốc',
      'Ghi chú',
    ]);
    expect(header.getCell(9).text).toBe('');
  });

  it('pre-fills the seven reform-area sections of data/reform-areas.json, in order, with room for tasks', () => {
    const ws = sheet();
    const layout = templateLayout({ year: 2026 });
    expect(layout.sections.map((s) => s.title)).toEqual(REFORM_AREAS.map((a) => a.title));
    expect(layout.sections.map((s) => s.numeral)).toEqual(['I', 'II', 'III', 'IV', 'V', 'VI', 'VII']);
    for (const s of layout.sections) {
      expect(ws.getCell(s.row, 1).text).toBe(s.numeral);
      expect(ws.getCell(s.row, 2).text).toBe(s.title);
      expect(ws.getCell(s.row, 2).font?.bold).toBe(true);
      for (let r = 1; r <= layout.taskRowsPerSection; r++) expect(ws.getCell(s.row + r, 2).text).toBe('');
    }
  });

  it('title lines: "Phụ lục", the title in capitals with the year, the italic "Kèm theo" line', () => {
    const ws = sheet();
    expect(ws.getCell('A1').text).toBe('Phụ lục');
    expect(ws.getCell('A2').text).toBe('NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026');
    expect(ws.getCell('A3').text).toBe('(Kèm theo Kế hoạch số … ngày … của …)');
    expect(ws.getCell('A3').font?.italic).toBe(true);
  });

  it('agency dropdowns list the province directory at the chosen date, from the hidden sheet', () => {
    const ws = sheet();
    const lists = wb.getWorksheet(SHEETS.lists)!;
    const expected = defaultDirectory().agencies(province, '2026-01-01');
    const names: string[] = [];
    for (let r = 2; r <= lists.rowCount; r++) if (lists.getCell(r, 1).text) names.push(lists.getCell(r, 1).text);
    expect(names.sort()).toEqual(expected.map((a) => a.name).sort());
    // single agencies first, then groups ("Các sở, ban, ngành")
    const kinds: string[] = [];
    for (let r = 2; r <= lists.rowCount; r++) if (lists.getCell(r, 1).text) kinds.push(lists.getCell(r, 4).text);
    expect(kinds).toEqual([...kinds].sort((a, b) => (a === b ? 0 : a === 'cơ quan' ? -1 : 1)));
    const range = `'${SHEETS.lists}'!$A$2:$A$${expected.length + 1}`;
    for (const addr of ['D6', 'D40', 'E7', 'G100', 'D1000']) {
      const v = validationAt(ws, addr);
      expect(v?.type, addr).toBe('list');
      expect(v?.formulae[0]).toBe(range);
    }
    expect(validationAt(ws, 'D6')?.errorStyle).toBe('warning');
    expect(validationAt(ws, 'E6')?.errorStyle).toBe('information');
    expect(validationAt(ws, 'C6')).toBeUndefined();
  });

  it('the list is long (over 255 characters), so it is referenced by range, not written inline', async () => {
    const names = defaultDirectory()
      .agencies(province, '2026-01-01')
      .map((a) => a.name);
    expect(names.join(',').length).toBeGreaterThan(255);
    const xml = await (await JSZip.loadAsync(bytes)).file('xl/worksheets/sheet1.xml')!.async('string');
    // one compact range per column, not one rule per cell
    expect(xml).toMatch(/sqref="D6:D1000"/);
    expect(xml).not.toContain(names[0] + ',');
  });

  it('section title cells offer the reform areas as a dropdown', () => {
    const layout = templateLayout({ year: 2026 });
    const v = validationAt(sheet(), `B${layout.sections[2].row}`);
    expect(v?.type).toBe('list');
    expect(v?.formulae[0]).toBe(`'${SHEETS.lists}'!$B$2:$B$8`);
  });

  it('timeline cells are text (no date conversion) and carry an input hint', () => {
    const ws = sheet();
    expect(ws.getColumn(6).numFmt).toBe('@');
    const v = validationAt(ws, 'F10') as DV & { prompt?: string };
    expect(v?.prompt).toContain('Quý II/2026');
  });

  it('print setup: A4 landscape, NĐ 30 margins, header row repeated, page fits the width; frozen header', async () => {
    const ws = sheet();
    const ps = ws.pageSetup;
    expect(ps.paperSize).toBe(9);
    expect(ps.orientation).toBe('landscape');
    expect(ps.fitToWidth).toBe(1);
    expect(ps.fitToHeight).toBe(0);
    const m = OFFICIAL_STYLE.page.marginsMm;
    expect(ps.margins).toMatchObject({
      top: mmToInch(m.top),
      bottom: mmToInch(m.bottom),
      left: mmToInch(m.left),
      right: mmToInch(m.right),
    });
    const wbXml = await (await JSZip.loadAsync(bytes)).file('xl/workbook.xml')!.async('string');
    expect(wbXml).toContain(
      '<definedName name="_xlnm.Print_Titles" localSheetId="0">&apos;Phụ lục&apos;!$5:$5</definedName>',
    );
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 5 });
  });

  it('the workbook default font (Normal style) is Times New Roman 13, so widths and new cells follow it', async () => {
    const styles = await (await JSZip.loadAsync(bytes)).file('xl/styles.xml')!.async('string');
    const first = /<fonts\b[^>]*>\s*(<font>[\s\S]*?<\/font>)/.exec(styles)?.[1];
    expect(first).toContain('<name val="Times New Roman"/>');
    expect(first).toContain('<sz val="13"/>');
  });

  it('Times New Roman 13 throughout the table', () => {
    const ws = sheet();
    for (const addr of ['A5', 'B5', 'B6', 'A1']) expect(ws.getCell(addr).font?.name).toBe('Times New Roman');
    expect(ws.getCell('B5').font?.size).toBe(13);
    expect(ws.getColumn(2).font?.name).toBe('Times New Roman');
    expect(ws.getColumn(2).font?.size).toBe(13);
  });

  it('the instructions sheet explains every column in Vietnamese', () => {
    const g = wb.getWorksheet(SHEETS.guide)!;
    const text: string[] = [];
    g.eachRow((r) => r.eachCell((c) => text.push(c.text)));
    const all = text.join('\n');
    expect(all).toContain('HƯỚNG DẪN');
    for (const h of ['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện'])
      expect(text).toContain(h);
    expect(all).toContain('Quý II/2026');
    expect(all).toContain('Nghị quyết 76/NQ-CP');
  });
});

describe('buildAnnexTemplate: read back through the engine', () => {
  it('is recognised as an annex: header found, 7 sections in NQ 76 order, no tasks, no errors', async () => {
    const grids = await readXlsxToGrids(bytes, 'mau.xlsx');
    const result = readAnnex(grids, { planYear: 2026, province, directory: defaultDirectory() });
    expect(result.annex.meta.headerRow).toBe(5);
    expect(result.annex.meta.sheet).toBe(SHEETS.annex);
    expect(result.annex.sections.map((s) => s.area)).toEqual(REFORM_AREAS.map((a) => a.code));
    expect(result.annex.sections.every((s) => s.tasks.length === 0)).toBe(true);
    expect(result.diagnostics.filter((d) => d.code.startsWith('header.'))).toEqual([]);
    const report = validate(result, { planYear: 2026, province, directory: defaultDirectory() });
    expect(report.stats.tasks).toBe(0);
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('buildAnnexTemplate: options and bad input', () => {
  it('without optional columns: exactly the six standard columns', async () => {
    const w = new ExcelJS.Workbook();
    await w.xlsx.load(
      (await buildAnnexTemplate({ province, year: 2026, optionalColumns: false })) as unknown as ArrayBuffer,
    );
    const header = w.getWorksheet(SHEETS.annex)!.getRow(5);
    expect([1, 2, 3, 4, 5, 6, 7].map((c) => header.getCell(c).text)).toEqual([
      'STT',
      'Nhiệm vụ',
      'Sản phẩm',
      'Cơ quan chủ trì',
      'Cơ quan phối hợp',
      'Thời gian thực hiện',
      '',
    ]);
  });

  it('the agency list follows the province and date of the directory (before and after the 2025 mergers)', async () => {
    const dir = defaultDirectory();
    const merged = provinces.find((p) => p.successor)!;
    const listOf = async (prov: string, date: string) => {
      const w = new ExcelJS.Workbook();
      await w.xlsx.load(
        (await buildAnnexTemplate({ province: prov, year: Number(date.slice(0, 4)), date })) as unknown as ArrayBuffer,
      );
      const l = w.getWorksheet(SHEETS.lists)!;
      const names: string[] = [];
      for (let r = 2; r <= l.rowCount; r++) if (l.getCell(r, 1).text) names.push(l.getCell(r, 1).text);
      return names;
    };
    const before = await listOf(merged.id, '2024-06-01');
    const after = await listOf(merged.successor!.id, '2026-01-01');
    expect(before.sort()).toEqual(
      dir
        .agencies(merged.id, '2024-06-01')
        .map((a) => a.name)
        .sort(),
    );
    expect(after.sort()).toEqual(
      dir
        .agencies(merged.successor!.id, '2026-01-01')
        .map((a) => a.name)
        .sort(),
    );
    // departments merged in 2025 are offered before, not after
    expect(before.filter((n) => !after.includes(n)).length).toBeGreaterThan(0);
  });

  it('a province merged away points to its successor', async () => {
    const merged = provinces.find((p) => p.successor)!;
    const e = await err(buildAnnexTemplate({ province: merged.id, year: 2026 }));
    expect(e.code).toBe('template.province-merged');
    expect(e.message).toContain(`"${merged.successor!.id}"`);
    expect(e.message).toContain('đã hợp nhất');
  });

  const err = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateError);
      return e as TemplateError;
    }
    throw new Error('no error');
  };

  it('an unknown province is refused with the list of known ones', async () => {
    const e = await err(buildAnnexTemplate({ province: 'khong-co', year: 2026 }));
    expect(e.code).toBe('template.unknown-province');
    expect(e.message).toContain('"khong-co"');
    expect(e.message).toContain(province);
    expect(e.message).not.toContain('common');
  });

  it('a bad year or an impossible date is refused', async () => {
    expect((await err(buildAnnexTemplate({ province, year: 26 }))).code).toBe('template.bad-year');
    const e = await err(buildAnnexTemplate({ province, year: 2026, date: '2026-02-30' }));
    expect(e.code).toBe('template.bad-date');
    expect(e.message).toContain('2026-02-30');
  });
});

describe('templateLayout', () => {
  it('describes the same layout the workbook has, for the add-in to insert', () => {
    const l = templateLayout({ year: 2026 });
    expect(l.headerRow).toBe(5);
    expect(l.columns.map((c) => c.letter)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']);
    expect(l.columns.filter((c) => c.optional).map((c) => c.field)).toEqual(['monitor', 'note']);
    expect(l.columns.filter((c) => c.list === 'agencies').map((c) => c.field)).toEqual(['lead', 'support', 'monitor']);
    expect(l.sections[0].row).toBe(6);
    expect(l.sections[1].row).toBe(6 + 1 + l.taskRowsPerSection);
    expect(l.lastDataRow).toBe(l.sections[6].row + l.taskRowsPerSection);
    expect(templateLayout({ optionalColumns: false }).columns).toHaveLength(6);
  });
});

describe('templates/layout.ts', () => {
  it('bundles for the browser without exceljs, Node APIs or the agency directories (for the add-in)', async () => {
    const entry = fileURLToPath(new URL('../../templates/layout.ts', import.meta.url));
    const out = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      charset: 'utf8',
      write: false,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0].text;
    // The vocabulary (data/*.json checked with zod/mini) is in; the agency directories (over 200 kB) are not.
    expect(code.length).toBeLessThan(80_000);
    expect(code).not.toContain('Khánh Hòa');
    expect(code).not.toMatch(/exceljs|node:|require\(/);
    expect(code).toContain('Cải cách thủ tục hành chính');
  });
});
