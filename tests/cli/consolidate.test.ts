// `annex consolidate` as users run it (node dist/runtime/annex.mjs, the package "bin"): a folder of agency files
// in, one report out, every task kept, similar tasks listed for a reviewer, an unreadable file refused with its
// name and no report written.
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANNEX, ensureRuntime } from '../support/runtime.js';

const ROOT = join(import.meta.dirname, '..', '..');

// The bundle users run (package.json "bin"), rebuilt first if a source changed.
beforeAll(ensureRuntime);
const OUT = join(ROOT, 'test-output', 'cli-consolidate');
const SEEDS = join(ROOT, 'seeds');
// The four table seeds: the four agencies of the demo round.
const TABLE_SEEDS = readdirSync(SEEDS).filter((f) => /^00[0124]_.*\.txt$/.test(f));

function annex(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [ANNEX, ...args],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : -1
          : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('annex consolidate', () => {
  const dir = join(OUT, 'agencies');
  beforeAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const f of TABLE_SEEDS) copyFileSync(join(SEEDS, f), join(dir, f));
  });

  it('keeps all 196 tasks of the four seeds in one workbook and lists the groups to review', async () => {
    expect(TABLE_SEEDS).toHaveLength(4);
    const out = join(OUT, 'tong-hop.xlsx');
    const run = await annex('consolidate', dir, '--out', out);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Đầu vào: 4 tệp của 4 cơ quan, 196 nhiệm vụ\.$/m);
    expect(run.stdout).toMatch(/^Báo cáo: 196 dòng trong 7 mục/m);
    expect(run.stdout).toMatch(/nhóm nhiệm vụ tương tự cần người duyệt xem xét \(không nhóm nào bị gộp tự động\)/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet('Phụ lục')!;
    let taskRows = 0;
    ws.eachRow((row) => {
      if (/^\d+$/.test(String(row.getCell(1).value ?? ''))) taskRows++;
    });
    expect(taskRows).toBe(196);
  });

  it('prints a JSON summary with --json, and writes csv, json and docx the same way', async () => {
    const run = await annex(
      'consolidate',
      ...TABLE_SEEDS.map((f) => join(dir, f)),
      '--out',
      join(OUT, 'tong-hop.json'),
      '--json',
    );
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ files: 4, inputTasks: 196, rows: 196, agencies: 4 });
    expect(summary.candidates.length).toBe(summary.candidateGroups);
    for (const g of summary.candidates) expect(g.members.length).toBeGreaterThanOrEqual(2);
    const json = JSON.parse(readFileSync(join(OUT, 'tong-hop.json'), 'utf8'));
    expect(json.stats).toMatchObject({ tasks: 196, duplicatesMerged: 0 });
    for (const ext of ['csv', 'docx']) {
      const r = await annex('consolidate', dir, '--out', join(OUT, `tong-hop.${ext}`));
      expect(r.code).toBe(0);
      expect(existsSync(join(OUT, `tong-hop.${ext}`))).toBe(true);
    }
    // Three runs of the command: each starts a process.
  }, 240_000);

  it('--cover puts the NĐ 30 block in the Word report; without it there is none', async () => {
    const JSZip = (await import('jszip')).default;
    const text = async (file: string) => {
      const xml = await (await JSZip.loadAsync(readFileSync(file))).file('word/document.xml')!.async('string');
      return [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('\n');
    };
    const r = await annex('consolidate', dir, '--out', join(OUT, 'bia.docx'), '--cover', '--province', 'Ninh Bình');
    expect(r.code, r.stderr).toBeLessThan(2);
    const withCover = await text(join(OUT, 'bia.docx'));
    expect(withCover).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(withCover).toContain('UBND TỈNH NINH BÌNH');
    expect(withCover).toContain('Nơi nhận:');
    expect(await text(join(OUT, 'tong-hop.docx'))).not.toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
  }, 240_000);

  it('refuses a folder with an unreadable file, names it, and writes no report', async () => {
    const bad = join(OUT, 'with-bad');
    mkdirSync(bad, { recursive: true });
    copyFileSync(join(SEEDS, TABLE_SEEDS[0]), join(bad, TABLE_SEEDS[0]));
    // A zip that stops after its first header: a broken download.
    writeFileSync(
      join(bad, 'hong.xlsx'),
      Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00', 'latin1'), Buffer.alloc(40, 7)]),
    );
    const out = join(OUT, 'khong-ghi.xlsx');
    const run = await annex('consolidate', bad, '--out', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Lỗi: không đọc được 1\/2 tệp; chưa ghi báo cáo/);
    expect(run.stderr).toMatch(/hong\.xlsx: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('shares one code cache with the other commands (it runs in a worker sized by V8 flags)', async () => {
    // V8 checks a code cache against the flags it was made with: the worker puts them back once its heap is made,
    // or each switch between `annex validate` and `annex consolidate` would throw the cache away and compile again.
    expect((await annex('validate', join(dir, TABLE_SEEDS[0]))).code).toBeLessThan(2);
    const runtime = join(ROOT, 'dist', 'runtime');
    const cache = join(
      runtime,
      readdirSync(runtime).find((f) => /^annex-.*\.cjs\.cache$/.test(f))!,
    );
    const made = statSync(cache).mtimeMs;
    expect((await annex('consolidate', dir, '--out', join(OUT, 'cache.xlsx'))).code).toBe(0);
    expect((await annex('validate', join(dir, TABLE_SEEDS[0]))).code).toBeLessThan(2);
    expect(statSync(cache).mtimeMs).toBe(made);
  });

  it('needs --out with a known format', async () => {
    const run = await annex('consolidate', dir, '--out', join(OUT, 'x.pdf'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/consolidate cần --out TỆP có đuôi \.xlsx, \.docx, \.csv hoặc \.json/);
  });
});
