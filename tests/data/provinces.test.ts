import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import national from '../../data/provinces.json' with { type: 'json' };
import { nationalProvinces, resolveProvince } from '../../data/provinces.js';
import { templateAgencies } from '../../templates/annex-template.js';
import { runTemplateCommand } from '../../cli/template.js';

const strip = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
const after = national.after as [string, string, string, string[]][];

describe('national province list (NQ 202/2025/QH15)', () => {
  it('has 34 provinces from 2025-07-01 and 63 before', () => {
    expect(nationalProvinces.filter((p) => !p.successor)).toHaveLength(34);
    expect(nationalProvinces.filter((p) => !p.validFrom)).toHaveLength(63);
    expect(national.basis).toContain('202/2025/QH15');
  });

  it('resolves each of the 34 as people type them, in 2026', () => {
    for (const [id, name, full] of after) {
      for (const typed of [name, strip(name), full, `UBND ${full.toLowerCase()}`])
        expect(resolveProvince(typed, '2026-01-01')?.id, typed).toBe(id);
    }
  });

  it('gives merged provinces their successor after 2025-07-01 and themselves before', () => {
    expect(resolveProvince('TP HCM', '2026-05-01')?.id).toBe('ho-chi-minh');
    expect(resolveProvince('TP. Hồ Chí Minh', '2026-05-01')?.id).toBe('ho-chi-minh');
    expect(resolveProvince('tỉnh Bình Dương', '2026-01-01')?.id).toBe('ho-chi-minh');
    expect(resolveProvince('tỉnh Bình Dương', '2024-01-01')?.id).toBe('binh-duong');
    expect(resolveProvince('Thừa Thiên Huế', '2026-01-01')?.id).toBe('hue');
    expect(resolveProvince('Thừa Thiên Huế', '2024-01-01')?.id).toBe('thua-thien-hue');
    expect(resolveProvince('Huế', '2024-06-01')?.id).toBe('thua-thien-hue');
    expect(resolveProvince('Nam Định', '2025-06-30')?.id).toBe('nam-dinh');
    expect(resolveProvince('Nam Định', '2025-07-01')?.id).toBe('ninh-binh');
    expect(resolveProvince('Khánh Hoà', '2024-01-01')?.id).toBe('khanh-hoa');
    expect(resolveProvince('Atlantis', '2026-01-01')).toBeUndefined();
  });

  it('every province, typed by name, has template agencies in 2026; every pre-merger one in 2024', () => {
    for (const [, name] of after) {
      const r = templateAgencies(strip(name), '2026-01-01');
      expect(
        r.entries.some((e) => e.name === 'Sở Nội vụ'),
        name,
      ).toBe(true);
    }
    for (const p of nationalProvinces.filter((q) => !q.validFrom)) {
      const r = templateAgencies(p.name, '2024-01-01');
      expect(
        r.entries.some((e) => e.kind !== 'group'),
        p.name,
      ).toBe(true);
    }
    expect(templateAgencies('TP HCM', '2026-01-01').provinceName).toBe('Hồ Chí Minh');
  });

  it('annex template --province takes names as typed, for 2026 and for 2024', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'phuluc-prov-'));
    const io = { out: () => undefined, err: (s: string) => errs.push(s) };
    const errs: string[] = [];
    for (const [typed, year] of [
      ['TP HCM', '2026'],
      ['khanh hoa', '2026'],
      ['Thừa Thiên Huế', '2026'],
      ['Thừa Thiên Huế', '2024'],
      ['Bình Dương', '2024'],
    ]) {
      expect(
        await runTemplateCommand(
          ['--province', typed, '--year', year, '--out', join(dir, `${strip(typed)}-${year}.xlsx`)],
          io,
        ),
        `${typed} ${year}: ${errs.join('')}`,
      ).toBe(0);
    }
    expect(
      await runTemplateCommand(['--province', 'Atlantis', '--year', '2026', '--out', join(dir, 'x.xlsx')], io),
    ).not.toBe(0);
    await rm(dir, { recursive: true, force: true });
  });
});
