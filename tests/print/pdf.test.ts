// Print-ready reports: the consolidated report of the four table seeds is rendered by LibreOffice (headless) to PDF,
// and the PDF's text lines (from `pdftotext -bbox-layout`, poppler-utils) must not overlap: a row too short for its
// wrapped text prints that text over the rows below. The docx must fit in 30 A4 pages. Skipped where LibreOffice or
// poppler is not installed (the CI image has both).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { consolidate, type Consolidated } from '../../engine/index.js';
import { readAnnex } from '../../engine/read/index.js';
import { readFileToGrids } from '../../io/read.js';
import { writeAnnexXlsx } from '../../io/xlsx-write.js';
import { writeConsolidatedDocx } from '../../io/docx-write.js';
import { writeConsolidatedXlsx } from '../../server/report/index.js';
import { seeds } from '../io/helpers.js';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const canRender = has('soffice') && has('pdftotext');
const dir = mkdtempSync(join(tmpdir(), 'phuluc-print-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Renders a document to PDF with LibreOffice, in a private profile so parallel runs do not share one. */
function toPdf(file: string): string {
  execFileSync(
    'soffice',
    [
      `-env:UserInstallation=file://${join(dir, 'profile')}`,
      '--headless',
      '--convert-to',
      'pdf',
      '--outdir',
      dir,
      file,
    ],
    { stdio: 'ignore', timeout: 240_000 },
  );
  return file.replace(/\.[a-z]+$/, '.pdf');
}

interface Line {
  page: number;
  box: [number, number, number, number];
  text: string;
}

/** Text lines with their boxes, as poppler lays them out. */
function pdfLines(pdf: string): { pages: number; lines: Line[] } {
  const xml = execFileSync('pdftotext', ['-bbox-layout', pdf, '-'], { maxBuffer: 256 * 1024 * 1024 }).toString();
  const lines: Line[] = [];
  let page = 0;
  for (const m of xml.matchAll(
    /<page\b|<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/line>/g,
  )) {
    if (m[0] === '<page') {
      page++;
      continue;
    }
    const text = [...m[5].matchAll(/<word[^>]*>([^<]*)<\/word>/g)].map((w) => w[1]).join(' ');
    lines.push({ page, box: [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])], text });
  }
  return { pages: page, lines };
}

/**
 * Pairs of lines printed over each other: boxes that intersect by more than 30 % of the smaller line height and
 * 2 pt of width (the rule of the project's acceptance check).
 */
function overlaps(lines: Line[]): string[] {
  const out: string[] = [];
  const byPage = new Map<number, Line[]>();
  for (const l of lines) byPage.set(l.page, [...(byPage.get(l.page) ?? []), l]);
  for (const [page, ls] of byPage) {
    ls.sort((a, b) => a.box[1] - b.box[1]);
    for (let i = 0; i < ls.length; i++) {
      const a = ls[i].box;
      for (let j = i + 1; j < ls.length && ls[j].box[1] <= a[3]; j++) {
        const b = ls[j].box;
        const dy = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        const dx = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        if (dy > 0.3 * Math.min(a[3] - a[1], b[3] - b[1]) && dx > 2)
          out.push(`trang ${page}: "${ls[i].text}" / "${ls[j].text}"`);
      }
    }
  }
  return out;
}

const TABLE_SEEDS = seeds.filter((s) => /^00[0124]_/.test(s.name));

async function seedReport(): Promise<Consolidated> {
  const inputs = [];
  for (const [i, seed] of TABLE_SEEDS.entries()) {
    const annex = readAnnex(await readFileToGrids(seed.bytes, seed.name)).annex;
    inputs.push({ agencyId: `co-quan-${i + 1}`, agencyName: `Cơ quan ${i + 1}`, annex, version: 1 });
  }
  return consolidate(inputs, { date: '2026-01-10', today: '2026-06-01' });
}

describe.skipIf(!canRender)('reports rendered by LibreOffice print every line once', () => {
  it('the overlap check finds text printed over text (it can fail)', async () => {
    // Same annex, every row forced to the default height: wrapped lines run into the rows below.
    const annex = readAnnex(await readFileToGrids(TABLE_SEEDS[0].bytes, TABLE_SEEDS[0].name)).annex;
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await writeAnnexXlsx(annex)) as unknown as ArrayBuffer);
    wb.worksheets[0].eachRow((r) => (r.height = 15));
    const file = join(dir, 'flat.xlsx');
    writeFileSync(file, new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(overlaps(pdfLines(toPdf(file)).lines).length).toBeGreaterThan(0);
  }, 300_000);

  it('one agency annex as xlsx: no overlapping lines', async () => {
    const annex = readAnnex(await readFileToGrids(TABLE_SEEDS[1].bytes, TABLE_SEEDS[1].name)).annex;
    const file = join(dir, 'annex.xlsx');
    writeFileSync(file, await writeAnnexXlsx(annex));
    const { pages, lines } = pdfLines(toPdf(file));
    expect(pages).toBeGreaterThan(0);
    expect(lines.length).toBeGreaterThan(100);
    expect(overlaps(lines)).toEqual([]);
  }, 300_000);

  it('the consolidated seed report as xlsx: every task printed, no overlapping lines', async () => {
    const report = await seedReport();
    const file = join(dir, 'report.xlsx');
    writeFileSync(file, await writeConsolidatedXlsx(report));
    const { lines } = pdfLines(toPdf(file));
    const text = lines.map((l) => l.text).join('\n');
    expect(text).toContain('NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH');
    expect(overlaps(lines)).toEqual([]);
  }, 300_000);

  it('the consolidated seed report as docx: rows break across pages under a repeated header, no overlapping lines', async () => {
    const report = await seedReport();
    const tasks = report.sections.reduce((a, s) => a + s.tasks.length, 0);
    expect(tasks).toBeGreaterThan(150);
    const file = join(dir, 'report.docx');
    writeFileSync(file, await writeConsolidatedDocx(report));
    const { pages, lines } = pdfLines(toPdf(file));
    expect(pages).toBeGreaterThan(1);
    expect(overlaps(lines)).toEqual([]);
    // The header row repeats on every page that the table continues on.
    const headed = new Set(lines.filter((l) => l.text === 'STT').map((l) => l.page));
    expect(headed.size).toBe(pages);
  }, 300_000);

  // 49 pages when rows could not break, 34 with fixed column widths; columns sized by content, single lines with no
  // paragraph spacing and 10.5 pt bring it to 30.
  it('the consolidated seed report as docx fits in 30 A4 pages, in Times New Roman of at least 10.5 pt', async () => {
    const file = join(dir, 'report-pages.docx');
    writeFileSync(file, await writeConsolidatedDocx(await seedReport()));
    const pdf = toPdf(file);
    expect(pdfLines(pdf).pages).toBeLessThanOrEqual(30);
    // legible: every word of the table is at least 10.5 pt (a word box is 1.3 em tall in poppler's layout)
    const xml = execFileSync('pdftotext', ['-bbox-layout', pdf, '-'], { maxBuffer: 256 * 1024 * 1024 }).toString();
    const heights = [...xml.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"/g)].map(
      (m) => Number(m[2]) - Number(m[1]),
    );
    expect(Math.min(...heights) / 1.3).toBeGreaterThanOrEqual(10.4);
  }, 300_000);
});
