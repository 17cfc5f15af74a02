import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { runTemplateCommand } from '../../cli/template.js';
import { provinceWithAgencies } from './fixtures.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

describe('annex template', () => {
  it('writes the template file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'phuluc-cli-'));
    const province = await provinceWithAgencies();
    const file = join(dir, 'sub', 'mau.xlsx');
    const c = capture();
    const code = await runTemplateCommand(
      ['--province', province, '--year', '2026', '--date', '2026-03-01', '--out', file],
      c.io,
    );
    expect(code).toBe(0);
    expect(c.out.join('')).toContain('Đã tạo mẫu phụ lục');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(file)) as unknown as ArrayBuffer);
    expect(wb.getWorksheet('Phụ lục')!.getCell('B5').text).toBe('Nhiệm vụ');
    expect(await readdir(join(dir, 'sub'))).toEqual(['mau.xlsx']); // no temp file left
    await rm(dir, { recursive: true, force: true });
  });

  it('missing options: exit 2, says which, in Vietnamese and English', async () => {
    const c = capture();
    expect(await runTemplateCommand(['--year', '2026'], c.io)).toBe(2);
    expect(c.err.join('')).toContain('Thiếu tùy chọn --province, --out');
    expect(c.err.join('')).toContain('Error: Missing option(s) --province, --out');
  });

  it('an unknown province or a non-xlsx output is refused and nothing is written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'phuluc-cli-'));
    let c = capture();
    expect(
      await runTemplateCommand(['--province', 'khong-co', '--year', '2026', '--out', join(dir, 'a.xlsx')], c.io),
    ).toBe(2);
    expect(c.err.join('')).toContain('Không có danh mục cơ quan của tỉnh "khong-co"');
    c = capture();
    expect(await runTemplateCommand(['--province', 'x', '--year', '2026', '--out', join(dir, 'a.csv')], c.io)).toBe(2);
    expect(c.err.join('')).toContain('.xlsx');
    c = capture();
    expect(
      await runTemplateCommand(['--province', 'x', '--year', '2026', '--out', join(dir, 'a.xlsx'), '--bogus'], c.io),
    ).toBe(2);
    expect(c.err.join('')).toContain('Tùy chọn không hợp lệ');
    expect(await readdir(dir)).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  });

  it('--help prints the usage', async () => {
    const c = capture();
    expect(await runTemplateCommand(['--help'], c.io)).toBe(0);
    expect(c.out.join('')).toContain('annex template --province');
  });
});
