// The real `annex` command, spawned as users run it (node dist/runtime/annex.mjs, the package "bin"): exit codes, the JSON report
// checked against the zod ReportSchema, --fix output, and bad input with a message and no stack trace.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { ReportSchema, type Report } from '../../engine/model.js';
import { readFileToGrids } from '../../io/read.js';
import { writeGridsXlsx } from '../../io/xlsx-write.js';
import { ANNEX, ensureRuntime } from '../support/runtime.js';

const ROOT = join(import.meta.dirname, '..', '..');

// The bundle users run (package.json "bin"), rebuilt first if a source changed.
beforeAll(ensureRuntime);
const OUT = join(ROOT, 'test-output', 'cli');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function annex(...args: string[]): Promise<Run> {
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

function report(run: Run): Report {
  return ReportSchema.parse(JSON.parse(run.stdout));
}

/** Failure output: one Vietnamese line, one English line, nothing that looks like a stack. */
function expectCleanFailure(run: Run, vi: RegExp) {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trim().split('\n');
  expect(lines[0]).toMatch(/^Lỗi: /);
  expect(lines[0]).toMatch(vi);
  expect(lines[1]).toMatch(/^Error: /);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr).not.toMatch(/node:internal|\.ts:\d+/);
}

const CSV_HEADER = 'STT,Nhiệm vụ,Sản phẩm,Cơ quan chủ trì,Cơ quan phối hợp,Thời gian thực hiện';

beforeAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
});

describe('annex parse', () => {
  const want: Record<string, [number | null, number]> = {
    '000': [7, 24],
    '001': [7, 64],
    '002': [7, 55],
    '003': [null, 8],
    '004': [7, 53],
  };
  for (const [k, [sections, tasks]] of Object.entries(want)) {
    it(`seed ${k}: --json is one Report with the expected sections and tasks`, async () => {
      const file = join(
        'seeds',
        readdirSeeds().find((f) => f.startsWith(`${k}_`))!,
      );
      const run = await annex('parse', file, '--json');
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const r = report(run);
      if (sections !== null) expect(r.sections).toHaveLength(sections);
      expect(r.sections.reduce((a, s) => a + s.tasks.length, 0)).toBe(tasks);
      expect(r.stats.tasks).toBe(tasks);
      const task = r.sections[0].tasks[0];
      expect(Object.keys(task)).toEqual(
        expect.arrayContaining(['number', 'task', 'products', 'lead', 'support', 'timeline', 'source']),
      );
    });
  }

  it('reads an xlsx the same way as the text it was written from', async () => {
    const seed = 'seeds/002_2bb1168879fd1a86.txt';
    const grids = await readFileToGrids(readFileSync(join(ROOT, seed)), '002.txt');
    const file = join(OUT, 'binh-thuan.xlsx');
    writeFileSync(file, await writeGridsXlsx(grids));
    const [fromText, fromXlsx] = await Promise.all([annex('parse', seed, '--json'), annex('parse', file, '--json')]);
    expect(fromXlsx.code).toBe(0);
    expect(report(fromXlsx).stats).toEqual(report(fromText).stats);
  });

  it('without --json prints an outline and a summary', async () => {
    const run = await annex('parse', 'seeds/000_683635a77beddbc9.txt');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^I\. Cải cách thể chế$/m);
    expect(run.stdout).toMatch(/Tổng kết: 7 mục, 24 nhiệm vụ/);
  });
});

describe('annex validate', () => {
  it('exit 1 with errors, a readable table and a summary line', async () => {
    const file = join(OUT, 'thieu.csv');
    writeFileSync(
      file,
      [
        CSV_HEADER,
        'I,Cải cách thể chế,,,,',
        '1,Rà soát văn bản quy phạm pháp luật,Báo cáo rà soát,,Sở Nội vụ,',
        '',
      ].join('\n'),
    );
    const run = await annex('validate', file);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Ô\s+Mức\s+Nội dung$/m);
    expect(run.stdout).toMatch(/^[A-F]3\s+Lỗi\s+\S/m);
    expect(run.stdout).toMatch(/Gợi ý: /);
    expect(run.stdout).toMatch(/Tổng kết: 1 mục, 1 nhiệm vụ, 1 sản phẩm — [1-9]\d* lỗi/);
    const json = report(await annex('validate', file, '--json'));
    expect(json.stats.errors).toBeGreaterThan(0);
    const lead = json.diagnostics.find((d) => d.code === 'lead.missing');
    expect(lead?.location).toMatchObject({ sheet: 'thieu.csv', row: 3 });
  });

  it('exit 0 on a clean annex', async () => {
    const file = join(OUT, 'sach.csv');
    writeFileSync(
      file,
      [
        CSV_HEADER,
        'I,Cải cách thể chế,,,,',
        '1,Rà soát văn bản quy phạm pháp luật,Báo cáo rà soát,Sở Tư pháp,Sở Nội vụ,Quý II/2025',
        '',
      ].join('\n'),
    );
    const run = await annex('validate', file, '--year', '2025', '--json');
    const r = report(run);
    expect(r.stats.errors).toBe(0);
    expect(run.code).toBe(0);
  });

  it('--lang en renders the messages in English', async () => {
    const file = join(OUT, 'thieu.csv');
    const vi = report(await annex('validate', file, '--json'));
    const en = report(await annex('validate', file, '--json', '--lang', 'en'));
    expect(en.diagnostics.map((d) => d.code)).toEqual(vi.diagnostics.map((d) => d.code));
    expect(en.diagnostics[0].message).not.toBe(vi.diagnostics[0].message);
    const human = await annex('validate', file, '--lang', 'en');
    expect(human.stdout).toMatch(/^Cell\s+Level\s+Message$/m);
    expect(human.stdout).toMatch(/Summary: /);
  });

  it('--fix writes an xlsx that validates with fewer diagnostics', async () => {
    const out = join(OUT, 'da-sua.xlsx');
    const before = report(await annex('validate', 'seeds/000_683635a77beddbc9.txt', '--json'));
    const fixable = before.diagnostics.filter((d) => d.fix);
    expect(fixable.length).toBeGreaterThan(0);
    const run = await annex('validate', 'seeds/000_683635a77beddbc9.txt', '--json', '--fix', out);
    expect([0, 1]).toContain(run.code);
    report(run); // stdout is still exactly one Report
    expect(run.stderr).toMatch(/da-sua\.xlsx/);
    expect(existsSync(out)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
    expect(wb.worksheets).toHaveLength(1);
    const after = report(await annex('validate', out, '--json'));
    expect(after.diagnostics.length).toBeLessThan(before.diagnostics.length);
    expect(after.stats.tasks).toBe(before.stats.tasks);
    // Every fixed cell now holds the fix's target text.
    const ws = wb.worksheets[0];
    for (const d of fixable) for (const e of d.fix!.edits) expect(String(ws.getCell(e.cell).value ?? '')).toBe(e.to);
  });
});

describe('annex validate --fix on known fixable issues', () => {
  it('a wrong product sub-number and a lead repeated as support are fixed in the written xlsx', async () => {
    const file = join(OUT, 'sua-duoc.csv');
    writeFileSync(
      file,
      [
        CSV_HEADER,
        'I,Cải cách thể chế,,,,',
        '1,Rà soát văn bản quy phạm pháp luật,2.1. Báo cáo rà soát,Sở Tư pháp,"Sở Tư pháp, Sở Nội vụ",Quý II/2025',
        ',,1.2. Danh mục văn bản cần sửa đổi,Sở Tư pháp,Sở Nội vụ,Quý III/2025',
        '',
      ].join('\n'),
    );
    const args = ['--province', 'khanh-hoa', '--year', '2025'];
    const before = report(await annex('validate', file, '--json', ...args));
    const codes = before.diagnostics
      .filter((d) => d.fix)
      .map((d) => d.code)
      .sort();
    expect(codes).toEqual(['agency.lead-also-support', 'product.number-mismatch']);
    const out = join(OUT, 'sua-duoc.xlsx');
    const run = await annex('validate', file, '--fix', out, ...args);
    expect(run.stdout).toMatch(/Đã áp dụng 2 cách sửa, ghi ra ".*sua-duoc\.xlsx" \(còn 0 lỗi, 0 cảnh báo\)/);
    const after = report(await annex('validate', out, '--json', ...args));
    expect(after.diagnostics.filter((d) => codes.includes(d.code))).toEqual([]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getCell('C3').value).toBe('1.1. Báo cáo rà soát');
    expect(wb.worksheets[0].getCell('E3').value).toBe('Sở Nội vụ');
  });
});

describe('bad input: exit 2, a message in both languages, no stack trace', () => {
  it('missing file', async () =>
    expectCleanFailure(await annex('parse', 'khong-co.xlsx'), /Không tìm thấy tệp "khong-co\.xlsx"/));
  it('a directory', async () => expectCleanFailure(await annex('validate', 'seeds'), /không phải là một tệp/));
  it('an empty file', async () => {
    writeFileSync(join(OUT, 'rong.xlsx'), '');
    expectCleanFailure(await annex('validate', join(OUT, 'rong.xlsx'), '--json'), /rỗng/);
  });
  it('binary garbage', async () => {
    writeFileSync(join(OUT, 'rac.bin'), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)));
    expectCleanFailure(await annex('parse', join(OUT, 'rac.bin')), /Không nhận dạng được định dạng/);
  });
  it('a spreadsheet with no annex', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Danh sách').addRows([
      ['Họ và tên', 'Chức vụ'],
      ['Nguyễn Văn A', 'Chuyên viên'],
    ]);
    await wb.xlsx.writeFile(join(OUT, 'danh-sach.xlsx'));
    const run = await annex('parse', join(OUT, 'danh-sach.xlsx'), '--json');
    expectCleanFailure(run, /không chứa bảng phụ lục/);
  });
  it('usage mistakes', async () => {
    expectCleanFailure(await annex('validate'), /Thiếu tên tệp/);
    expectCleanFailure(await annex('frobnicate'), /không tồn tại/);
    expectCleanFailure(
      await annex('validate', 'seeds/000_683635a77beddbc9.txt', '--year', 'hai nghìn'),
      /Năm "hai nghìn" không hợp lệ/,
    );
    expectCleanFailure(await annex('validate', 'seeds/000_683635a77beddbc9.txt', '--fix', 'ra.csv'), /\.xlsx/);
    expectCleanFailure(await annex('parse', 'seeds/000_683635a77beddbc9.txt', '--bogus'), /Tùy chọn không hợp lệ/);
    expectCleanFailure(
      await annex('validate', 'seeds/000_683635a77beddbc9.txt', '--province', 'nam-dihn'),
      /"nam-dihn".*Khánh Hòa/,
    );
  });
});

describe('annex template', () => {
  it('delegates to the template command; the template it writes parses as an annex', async () => {
    const out = join(OUT, 'mau-ninh-binh.xlsx');
    const run = await annex('template', '--province', 'ninh-binh', '--year', '2026', '--out', out);
    expect(run.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    const parsed = await annex('parse', out, '--json');
    expect(parsed.code).toBe(0);
    expect(report(parsed).meta.columns?.map((c) => c.field)).toEqual(
      expect.arrayContaining(['number', 'task', 'lead', 'timeline']),
    );
    const bad = await annex('template');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^Lỗi: /m);
  });
});

describe('help and schema', () => {
  it('--help exits 0 with Vietnamese usage', async () => {
    const run = await annex('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Cách dùng:/);
    expect(run.stdout).toMatch(/annex validate TỆP/);
  });
  it('schema prints the JSON Schemas from the engine', async () => {
    const run = await annex('schema');
    expect(run.code).toBe(0);
    const schemas = JSON.parse(run.stdout);
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['Annex', 'Report', 'Grid']));
    expect(schemas.Report.properties.diagnostics.type).toBe('array');
  });
});

function readdirSeeds(): string[] {
  return readFileSync(join(ROOT, 'seeds', 'README.md'), 'utf8').match(/\d{3}_[0-9a-f]+\.txt/g) ?? [];
}

describe('annex validate --mark', () => {
  it('writes the input workbook with the issues marked, and says so on stderr under --json', async () => {
    const grids = await readFileToGrids(readFileSync(join(ROOT, 'seeds', '002_2bb1168879fd1a86.txt')), 'phu-luc.txt');
    const input = join(OUT, 'phu-luc-002.xlsx');
    writeFileSync(input, await writeGridsXlsx(grids));
    const out = join(OUT, 'phu-luc-002-danh-dau.xlsx');
    const run = await annex('validate', input, '--json', '--mark', out);
    expect([0, 1]).toContain(run.code);
    const r = report(run);
    expect(run.stderr).toMatch(
      /Đã ghi bản đánh dấu ra .*phu-luc-002-danh-dau\.xlsx.*: \d+ ô có ghi chú, \d+ vấn đề trong trang "Kiểm tra"/,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([grids[0].sheet, 'Kiểm tra']);
    // One row per issue under the four heading rows.
    expect(wb.getWorksheet('Kiểm tra')!.actualRowCount).toBe(3 + r.diagnostics.length);
  });

  it('refuses input that is not a workbook, and an output that is not .xlsx, before writing anything', async () => {
    const out = join(OUT, 'khong-ghi.xlsx');
    expectCleanFailure(
      await annex('validate', 'seeds/000_683635a77beddbc9.txt', '--mark', out),
      /Chỉ đánh dấu được tệp Excel/,
    );
    expect(existsSync(out)).toBe(false);
    expectCleanFailure(
      await annex('validate', 'seeds/000_683635a77beddbc9.txt', '--mark', join(OUT, 'x.csv')),
      /--mark phải có đuôi \.xlsx/,
    );
    expectCleanFailure(await annex('parse', 'seeds/000_683635a77beddbc9.txt', '--mark', out), /--mark/);
  });
});
