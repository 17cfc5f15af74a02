// Print checks as a person would do them: the generated template (xlsx), an agency's annex (docx) and the
// consolidated report (docx) are converted to PDF by LibreOffice, then checked with poppler's tools:
// page size, fonts, header row repeated on every page, Vietnamese text intact. PNG renders of the first
// pages are kept in test-output/print/ for a person to look at.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildAnnexTemplate } from '../../templates/annex-template.js';
import { writeAnnexDocx, writeConsolidatedDocx } from '../../io/docx-write.js';
import { consolidate, readAnnex, textToGrid } from '../../engine/index.js';
import { readFileSync } from 'node:fs';
import { fixtureAnnex, provinceWithAgencies } from './fixtures.js';

const run = promisify(execFile);
const OUT = fileURLToPath(new URL('../../test-output/print/', import.meta.url));

type Doc = 'template' | 'annex' | 'consolidated' | 'seed';
/** The title line each printed document must carry. */
const TITLES: Record<Doc, string> = {
  template: 'NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026',
  annex: 'NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026 CỦA SỞ NỘI VỤ',
  consolidated: 'NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026 CỦA TỈNH NINH BÌNH',
  seed: 'NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2024',
};
const pdfs = {} as Record<Doc, string>;
let work = '';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'phuluc-print-'));
  await mkdir(OUT, { recursive: true });
  const files: Record<Doc, Buffer> = {
    template: await buildAnnexTemplate({ province: await provinceWithAgencies(), year: 2026 }),
    // two rounds of tasks: several pages
    annex: await writeAnnexDocx(fixtureAnnex({ agency: 'Sở Nội vụ', repeat: 2 }), { agencyName: 'Sở Nội vụ' }),
    consolidated: await writeConsolidatedDocx(
      consolidate(
        [
          { agencyId: 'so-noi-vu', agencyName: 'Sở Nội vụ', annex: fixtureAnnex({ agency: 'Sở Nội vụ' }), version: 1 },
          {
            agencyId: 'so-tu-phap',
            agencyName: 'Sở Tư pháp',
            annex: fixtureAnnex({ agency: 'Sở Tư pháp', repeat: 2 }),
            version: 1,
          },
        ],
        { planYear: 2026, date: '2026-01-01' },
      ),
      { provinceName: 'Ninh Bình' },
    ),
    // a real annex (Bình Thuận 2024, seven columns with "Theo dõi, kiểm tra, đôn đốc") read by the engine
    seed: await writeAnnexDocx(
      readAnnex([
        textToGrid(
          readFileSync(new URL('../../seeds/002_2bb1168879fd1a86.txt', import.meta.url), 'utf8'),
          'binh-thuan.txt',
        ),
      ]).annex,
      { title: 'Nhiệm vụ cải cách hành chính năm 2024' },
    ),
  };
  const inputs: string[] = [];
  for (const [name, bytes] of Object.entries(files)) {
    const path = join(work, `${name}.${name === 'template' ? 'xlsx' : 'docx'}`);
    await writeFile(path, bytes);
    await copyFile(path, join(OUT, `${name}.${name === 'template' ? 'xlsx' : 'docx'}`));
    inputs.push(path);
  }
  // own LibreOffice profile: parallel runs must not share one
  const profile = pathToFileURL(join(work, 'lo-profile')).href;
  await run(
    'soffice',
    [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', work, ...inputs],
    {
      timeout: 180_000,
    },
  );
  for (const name of Object.keys(files) as Doc[]) {
    pdfs[name] = join(work, `${name}.pdf`);
    await copyFile(pdfs[name], join(OUT, `${name}.pdf`));
    await run('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', pdfs[name], join(OUT, name)]);
  }
}, 240_000);

async function pageSizes(pdf: string): Promise<{ w: number; h: number }[]> {
  const { stdout } = await run('pdfinfo', ['-f', '1', '-l', '9999', pdf]);
  return [...stdout.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => ({
    w: Number(m[1]),
    h: Number(m[2]),
  }));
}

async function fonts(pdf: string): Promise<{ name: string; embedded: string }[]> {
  const { stdout } = await run('pdffonts', [pdf]);
  return stdout
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      // name type [type2] encoding emb sub uni id gen: emb is the 5th column from the end
      return { name: cols[0].replace(/^[A-Z]{6}\+/, ''), embedded: cols[cols.length - 5] };
    });
}

async function pages(pdf: string): Promise<string[]> {
  const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-']);
  return stdout
    .normalize('NFC')
    .split('\f')
    .filter((p) => p.trim());
}

describe.each(['template', 'annex', 'consolidated', 'seed'] as Doc[])('printed %s', (doc) => {
  it('every page is A4 landscape (842 × 595 pt)', async () => {
    const sizes = await pageSizes(pdfs[doc]);
    expect(sizes.length).toBeGreaterThan(0);
    for (const s of sizes) {
      expect(s.w).toBeCloseTo(841.9, 0);
      expect(s.h).toBeCloseTo(595.3, 0);
    }
  });

  it('uses Times New Roman or its metric twin Liberation Serif, embedded, and no fallback font', async () => {
    const list = await fonts(pdfs[doc]);
    expect(list.length).toBeGreaterThan(0);
    for (const f of list) {
      // a fallback (DejaVu…) means a Vietnamese glyph was missing from the chosen font
      expect(f.name).toMatch(/^(LiberationSerif|TimesNewRoman)/);
      expect(f.embedded).toBe('yes');
    }
  });

  it('keeps Vietnamese diacritics', async () => {
    const text = (await pages(pdfs[doc])).join('\n');
    expect(text).toContain('Cải cách thủ tục hành chính');
    expect(text).toContain('Sở Nội vụ');
    expect(text).toContain(TITLES[doc]);
  });

  it('repeats the table header row on every page of the table', async () => {
    const all = await pages(pdfs[doc]);
    // the template's instructions sheet prints after the table; it has no table header
    const guide = all.findIndex((p) => p.includes('HƯỚNG DẪN'));
    const table = doc === 'template' ? all.slice(0, guide) : all;
    expect(table.length).toBeGreaterThan(1);
    for (const [i, p] of table.entries()) {
      for (const h of ['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp']) {
        expect(p, `page ${i + 1}: ${h}`).toContain(h);
      }
    }
  });
});

describe('print outputs for a person to look at', () => {
  it('PNG renders of the first two pages exist', async () => {
    const { stdout } = await run('ls', [OUT]);
    for (const d of ['template', 'annex', 'consolidated', 'seed']) {
      // pdftoppm pads page numbers to the page count's width (-1, -01 …)
      expect(stdout).toMatch(new RegExp(`^${d}-0*1\\.png$`, 'm'));
      expect(stdout).toMatch(new RegExp(`^${d}-0*2\\.png$`, 'm'));
    }
    await rm(work, { recursive: true, force: true });
  });
});
