// The national directory as data: every province of 2025 gets the standard provincial bodies (NĐ 45/2025/NĐ-CP,
// NĐ 150/2025/NĐ-CP), the vertical bodies annexes name and the commune groups; the provinces before the merger keep
// theirs with links into the successor province; a province typed as people write it works in every command.
import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import national from '../../data/provinces.json' with { type: 'json' };
import { defaultDirectory, provinceId, provinces } from '../../data/index.js';
import { nationalProvinces } from '../../data/provinces.js';
import { main } from '../../cli/main.js';
import { runTemplateCommand } from '../../cli/template.js';

const dir = defaultDirectory();
const after = national.after as [string, string, string, string[]][];
const strip = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();

// Article 8 of NĐ 150/2025/NĐ-CP: the twelve bodies every province has ("tỉnh" reads "thành phố" in a city).
const TWELVE = [
  'Sở Nội vụ',
  'Sở Tư pháp',
  'Sở Tài chính',
  'Sở Công Thương',
  'Sở Nông nghiệp và Môi trường',
  'Sở Xây dựng',
  'Sở Khoa học và Công nghệ',
  'Sở Văn hóa, Thể thao và Du lịch',
  'Sở Giáo dục và Đào tạo',
  'Sở Y tế',
  'Thanh tra tỉnh',
  'Văn phòng UBND tỉnh',
];
const BODIES = [
  'Công an tỉnh',
  'Ban Quản lý các khu công nghiệp tỉnh',
  'Bảo hiểm xã hội tỉnh',
  'Ngân hàng Nhà nước khu vực',
  'Thuế tỉnh',
  'Kho bạc Nhà nước khu vực',
  'Báo và Phát thanh, Truyền hình tỉnh',
];

describe('national directory data', () => {
  it('cites the resolution on the provinces and the decrees on provincial departments', () => {
    expect(national.basis).toMatch(/202\/2025\/QH15/);
    const basis = national.departments.basis.join(' ');
    expect(basis).toMatch(/45\/2025\/NĐ-CP/);
    expect(basis).toMatch(/150\/2025\/NĐ-CP/);
    expect(national.departments.sources.length).toBeGreaterThan(0);
  });

  it.each(after)('%s has the twelve departments and the provincial bodies in 2026', (id, _name, full) => {
    const city = full.startsWith('Thành phố');
    const names = dir.agencies(id, '2026-01-01').map((a) => a.name);
    const local = (n: string): string => (city ? n.replace(/ tỉnh$/, ' thành phố') : n);
    for (const n of [...TWELVE, ...BODIES].map(local)) {
      // Hà Nội and Hồ Chí Minh are served by the same bodies; the written files may name a few differently.
      const ref = dir.resolve(n, { province: id, date: '2026-01-01' })[0];
      expect(ref?.kind, `${id}: ${n}`).toBe('agency');
      expect(ref?.id?.startsWith(`${id}/`) || ref?.id?.startsWith('common/'), `${id}: ${n} → ${ref?.id}`).toBe(true);
    }
    expect(names.length).toBeGreaterThanOrEqual(TWELVE.length);
    expect(names).not.toContain('Sở Kế hoạch và Đầu tư');
    expect(dir.resolve('UBND các xã, phường, đặc khu', { province: id, date: '2026-01-01' })[0]?.kind).toBe('group');
  });

  it('a city says "thành phố"; Hà Nội and Hồ Chí Minh have their own departments and names', () => {
    const hn = dir.agencies('ha-noi', '2026-01-01').map((a) => a.name);
    expect(hn).toEqual(
      expect.arrayContaining([
        'Văn phòng UBND thành phố',
        'Công an thành phố',
        'Sở Quy hoạch - Kiến trúc',
        'Bộ Tư lệnh Thủ đô Hà Nội',
      ]),
    );
    expect(hn).not.toContain('Công an tỉnh');
    expect(dir.agencies('ho-chi-minh', '2026-01-01').map((a) => a.name)).toContain('Bộ Tư lệnh Thành phố Hồ Chí Minh');
    expect(dir.agencies('gia-lai', '2026-01-01').map((a) => a.name)).not.toContain('Sở Quy hoạch - Kiến trúc');
    // What an annex writes with "tỉnh" still resolves in a city.
    expect(dir.resolve('Công an tỉnh', { province: 'hue', date: '2026-01-01' })[0]?.id).toBe('hue/cong-an-tinh');
  });

  it('pre-merger provinces keep their 2024 departments, linked into the successor province', () => {
    const bd = dir.agencies('binh-dinh', '2024-06-01').map((a) => a.name);
    expect(bd).toEqual(expect.arrayContaining(['Sở Kế hoạch và Đầu tư', 'Sở Thông tin và Truyền thông', 'Sở Nội vụ']));
    expect(dir.agencies('binh-dinh', '2026-01-01').filter((a) => a.kind !== 'group')).toHaveLength(0);
    expect(dir.successorOf('binh-dinh/so-noi-vu', '2026-01-01')?.id).toBe('gia-lai/so-noi-vu');
    expect(dir.successorOf('binh-dinh/so-ke-hoach-dau-tu', '2026-01-01')?.id).toBe('gia-lai/so-tai-chinh');
    expect(dir.successorOf('thua-thien-hue/so-tu-phap', '2025-06-01')?.id).toBe('hue/so-tu-phap');
    expect(dir.resolve('Sở Nội vụ tỉnh Bình Định', { province: 'binh-dinh', date: '2024-03-01' })[0]?.id).toBe(
      'binh-dinh/so-noi-vu',
    );
    // Every province before the merger is in the directory, and every one of 2025.
    for (const p of nationalProvinces)
      expect(
        provinces.some((q) => q.id === p.id),
        p.id,
      ).toBe(true);
  });
});

describe('province as a person types it', () => {
  it('every one of the 34, in each common spelling, gives its directory id in 2026', () => {
    for (const [id, name, full] of after) {
      for (const typed of [name, strip(name), full, name.toUpperCase(), `tỉnh ${name}`, id])
        expect(provinceId(typed, '2026-01-01'), typed).toBe(id);
    }
    expect(provinceId('TP HCM', '2026-01-01')).toBe('ho-chi-minh');
    expect(provinceId('TP. Hồ Chí Minh', '2026-01-01')).toBe('ho-chi-minh');
    expect(provinceId('Thừa Thiên Huế', '2026-01-01')).toBe('hue');
    expect(provinceId('Thừa Thiên Huế', '2024-01-01')).toBe('thua-thien-hue');
    expect(provinceId('Bình Định', '2024-01-01')).toBe('binh-dinh');
    expect(provinceId('Bình Định', '2026-01-01')).toBe('gia-lai');
    expect(provinceId('Atlantis', '2026-01-01')).toBeUndefined();
  });

  it('annex template --year 2026 for all 34 names as typed, and --year 2024 for every province before the merger', async () => {
    const out = await mkdtemp(join(tmpdir(), 'phuluc-nat-'));
    const errs: string[] = [];
    const io = { out: () => undefined, err: (s: string) => errs.push(s) };
    try {
      for (const [, name] of after) {
        const code = await runTemplateCommand(
          ['--province', strip(name), '--year', '2026', '--out', join(out, 'a.xlsx')],
          io,
        );
        expect(code, `${name}: ${errs.join('')}`).toBe(0);
      }
      for (const p of nationalProvinces.filter((q) => !q.validFrom)) {
        const code = await runTemplateCommand(
          ['--province', p.name, '--year', '2024', '--out', join(out, 'b.xlsx')],
          io,
        );
        expect(code, `${p.name}: ${errs.join('')}`).toBe(0);
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 600_000);

  it('annex validate and consolidate take "khanh hoa", "TP HCM" and "Thừa Thiên Huế"', async () => {
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
      return { code, out: out.join(''), err: err.join('') };
    };
    const seed = 'seeds/001_03fdc25defdea198.txt';
    const kh = await run('validate', seed, '--province', 'khanh hoa', '--year', '2023', '--json');
    expect(kh.code, kh.err).not.toBe(2);
    expect(JSON.parse(kh.out).meta.province).toBe('khanh-hoa');
    const hue = await run('parse', seed, '--province', 'Thừa Thiên Huế', '--year', '2026', '--json');
    expect(hue.code, hue.err).toBe(0);
    expect(JSON.parse(hue.out).meta.province).toMatch(/khanh-hoa|hue/);
    const bad = await run('validate', seed, '--province', 'Atlantis');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/"Atlantis"/);
    const dirOut = await mkdtemp(join(tmpdir(), 'phuluc-cons-'));
    try {
      const c = await run(
        'consolidate',
        seed,
        '--province',
        'TP HCM',
        '--year',
        '2026',
        '--out',
        join(dirOut, 'r.json'),
        '--json',
      );
      expect(c.code, c.err).toBe(0);
    } finally {
      await rm(dirOut, { recursive: true, force: true });
    }
  }, 300_000);
});
