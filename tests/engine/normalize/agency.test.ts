import { describe, expect, it } from 'vitest';
import { defaultDirectory, directoryData, provinces } from '../../../data/index.js';
import { nationalProvinces } from '../../../data/provinces.js';
import { AgencyRefSchema } from '../../../engine/model.js';
import type { AgencyRef } from '../../../engine/model.js';
import {
  AgencyDirectory,
  DirectoryFileSchema,
  splitAgencyText,
  splitAssignment,
  type DirectoryFile,
} from '../../../engine/normalize/agency.js';
import { seed, seedColumn } from './seeds.js';

const dir = defaultDirectory();
const names = (text: string, at: { province?: string; date?: string }) =>
  dir.resolve(text, at).map((r) => (r.kind === 'unknown' ? `?${r.text}` : r.name));

describe('directory data', () => {
  it('loads every file through the schema and links every successor', () => {
    expect(() => AgencyDirectory.fromData(directoryData)).not.toThrow();
    // The written files, then every other province of the national list (34 after 2025-07-01, the 63 before).
    const ids = directoryData.map((f) => f.province);
    for (const own of [
      'binh-thuan',
      'common',
      'dong-thap',
      'khanh-hoa',
      'lam-dong',
      'nam-dinh',
      'ninh-binh',
      'tien-giang',
    ])
      expect(ids).toContain(own);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id !== 'common').sort()).toEqual([...new Set(nationalProvinces.map((p) => p.id))].sort());
    expect(provinces.find((p) => p.id === 'nam-dinh')).toMatchObject({
      validTo: '2025-06-30',
      successor: { id: 'ninh-binh', since: '2025-07-01' },
    });
    expect(provinces.find((p) => p.id === 'tien-giang')?.successor?.id).toBe('dong-thap');
    expect(provinces.find((p) => p.id === 'binh-thuan')?.successor?.id).toBe('lam-dong');
  });

  it('takes every file as it is (the default directory is built without the schema check)', () => {
    for (const f of directoryData) expect(DirectoryFileSchema.parse(f)).toEqual(f);
  });

  it('rejects bad data with the file and field at fault', () => {
    const bad = [
      { province: 'x', provinceName: 'X', agencies: [{ id: 'x/a', name: 'A', validTo: '30/06/2025' }] },
    ] as unknown as DirectoryFile[];
    expect(() => AgencyDirectory.fromData(bad)).toThrow(/"x".*agencies\.0\.validTo/);
    const dangling: DirectoryFile[] = [
      {
        province: 'x',
        provinceName: 'X',
        agencies: [{ id: 'x/a', name: 'A', successor: { id: 'x/b', since: '2025-03-01' } }],
      },
    ];
    expect(() => AgencyDirectory.fromData(dangling)).toThrow(/x\/b/);
  });

  it('lists agencies for dropdowns by province and date', () => {
    const before = dir.agencies('nam-dinh', '2023-01-01').map((a) => a.name);
    expect(before).toContain('Sở Thông tin và Truyền thông');
    expect(before).toContain('UBND huyện Hải Hậu');
    expect(before).toContain('UBND cấp huyện');
    expect(before).not.toContain('Sở Nông nghiệp và Môi trường');
    const march = dir.agencies('nam-dinh', '2025-04-01').map((a) => a.name);
    expect(march).toContain('Sở Nông nghiệp và Môi trường');
    expect(march).not.toContain('Sở Thông tin và Truyền thông');
    const after = dir.agencies('ninh-binh', '2025-08-01').map((a) => a.name);
    expect(after).toContain('Sở Nông nghiệp và Môi trường');
    expect(after).toContain('UBND cấp xã');
    expect(after).not.toContain('UBND cấp huyện');
    expect(after.some((n) => n.startsWith('UBND huyện'))).toBe(false);
  });

  it('maps province names in documents to ids', () => {
    expect(dir.provinceOf('UBND tỉnh Khánh Hoà')).toBe('khanh-hoa');
    expect(dir.provinceOf('Kế hoạch Cải cách hành chính tỉnh Nam Định năm 2023')).toBe('nam-dinh');
    expect(dir.provinceOf('Tiền Giang')).toBe('tien-giang');
    expect(dir.provinceOf('Hà Nội')).toBe('ha-noi');
    expect(dir.provinceOf('UBND tỉnh Bình Định')).toBe('binh-dinh');
    expect(dir.provinceOf('Atlantis')).toBeUndefined();
  });
});

describe('splitAgencyText (no directory)', () => {
  it.each([
    ['Sở Tư pháp, Sở Nội vụ', ['Sở Tư pháp', 'Sở Nội vụ']],
    ['Các Sở: Tài chính, Tư pháp', ['Sở Tài chính', 'Sở Tư pháp']],
    ['Các sở, ban, ngành', ['Các sở, ban, ngành']],
    ['UBND các huyện, thị xã, thành phố', ['UBND các huyện, thị xã, thành phố']],
    // Phrases after a plain list item, in either case and of the case-sensitive kind.
    ['Sở Y tế, Sở VH, TT và DL', ['Sở Y tế', 'Sở VH, TT và DL']],
    ['Sở Tư pháp, Sở LĐ, TB và XH', ['Sở Tư pháp', 'Sở LĐ, TB và XH']],
    ['Sở Tư pháp, CÁC SỞ, BAN, NGÀNH', ['Sở Tư pháp', 'CÁC SỞ, BAN, NGÀNH']],
    ['Sở Y tế, Hội đồng thi đua, khen thưởng tỉnh', ['Sở Y tế', 'Hội đồng thi đua, khen thưởng tỉnh']],
    ['Các Sở, ban, ngành, UBND cấp huyện, cấp xã', ['Các Sở, ban, ngành', 'UBND cấp huyện', 'UBND cấp xã']],
    ['Sở, ban, ngành, UBND cấp huyện, xã', ['Sở, ban, ngành', 'UBND cấp huyện', 'UBND cấp xã']],
    ['UBND cấp huyện; cấp xã', ['UBND cấp huyện', 'UBND cấp xã']],
    ['Các Sở, ban, ngành UBND cấp huyện, UBND cấp xã', ['Các Sở, ban, ngành', 'UBND cấp huyện', 'UBND cấp xã']],
    ['Sở Tài chính và các cơ quan liên quan', ['Sở Tài chính', 'các cơ quan liên quan']],
    ['Sở Kế hoạch và Đầu tư', ['Sở Kế hoạch và Đầu tư']],
    [
      'Sở Giáo dục và Đào tạo, Sở Y tế, Sở Văn hóa, Thể thao và Du lịch',
      ['Sở Giáo dục và Đào tạo', 'Sở Y tế', 'Sở Văn hóa, Thể thao và Du lịch'],
    ],
    [
      'Công an tỉnh, Bảo hiểm Xã hội tỉnh và Bộ Chỉ huy Quân sự tỉnh',
      ['Công an tỉnh', 'Bảo hiểm Xã hội tỉnh', 'Bộ Chỉ huy Quân sự tỉnh'],
    ],
    ['VP.UBND tỉnh; Sở Thông tin và Truyền thông', ['VP.UBND tỉnh', 'Sở Thông tin và Truyền thông']],
    [
      'VP UBND tỉnh, các sở: Tư pháp, Tài chính, Kế hoạch & ĐT, Thông tin & TT, Khoa học & CN',
      ['VP UBND tỉnh', 'Sở Tư pháp', 'Sở Tài chính', 'Sở Kế hoạch & ĐT', 'Sở Thông tin & TT', 'Sở Khoa học & CN'],
    ],
    [
      'Văn phòng UBND tỉnh và các Sở: Thông tin và Truyền thông, Khoa học và Công nghệ, Tài chính, Tư pháp, Kế hoạch và Đầu tư.',
      [
        'Văn phòng UBND tỉnh',
        'Sở Thông tin và Truyền thông',
        'Sở Khoa học và Công nghệ',
        'Sở Tài chính',
        'Sở Tư pháp',
        'Sở Kế hoạch và Đầu tư',
      ],
    ],
    ['UBND các huyện: Bắc Bình, Hàm Thuận Bắc', ['UBND huyện Bắc Bình', 'UBND huyện Hàm Thuận Bắc']],
    [
      'Các sở, cơ quan ngang sở và UBND các huyện, thị xã, thành phố',
      ['Các sở, cơ quan ngang sở', 'UBND các huyện, thị xã, thành phố'],
    ],
    ['- Sở Nội vụ.', ['Sở Nội vụ']],
    ['', []],
  ])('%j', (text, expected) => {
    expect(splitAgencyText(text)).toEqual(expected);
  });
});

describe('AgencyDirectory.resolve', () => {
  const ND = { province: 'nam-dinh', date: '2023-01-01' };
  it.each([
    ['Sở TT&TT', ['Sở Thông tin và Truyền thông']],
    ['Sở TT &TT', ['Sở Thông tin và Truyền thông']],
    ['Văn phòng UBND tỉnh, Sở TTTT', ['Văn phòng UBND tỉnh', 'Sở Thông tin và Truyền thông']],
    ['VP.UBND tỉnh; Sở Thông tin và Truyền thông', ['Văn phòng UBND tỉnh', 'Sở Thông tin và Truyền thông']],
    ['Sở KH&ĐT', ['Sở Kế hoạch và Đầu tư']],
    ['Sở LĐTB&XH', ['Sở Lao động - Thương binh và Xã hội']],
    ['Sở VHTT&DL', ['Sở Văn hóa, Thể thao và Du lịch']],
    ['Sở NN&PTNT, Sở TN&MT', ['Sở Nông nghiệp và Phát triển nông thôn', 'Sở Tài nguyên và Môi trường']],
    ['Sở GD&ĐT', ['Sở Giáo dục và Đào tạo']],
    ['BQL các KCN', ['Ban Quản lý các khu công nghiệp tỉnh']],
    ['Các Sở, ban, ngành, UBND cấp huyện, cấp xã', ['Các sở, ban, ngành', 'UBND cấp huyện', 'UBND cấp xã']],
    ['Các sở, ban ngành, UBND các huyện, thành phố', ['Các sở, ban, ngành', 'UBND cấp huyện']],
    [
      'VP UBND tỉnh, các sở: Tư pháp, Tài chính, Kế hoạch & ĐT, Thông tin & TT, Khoa học & CN',
      [
        'Văn phòng UBND tỉnh',
        'Sở Tư pháp',
        'Sở Tài chính',
        'Sở Kế hoạch và Đầu tư',
        'Sở Thông tin và Truyền thông',
        'Sở Khoa học và Công nghệ',
      ],
    ],
    [
      'VP. Đoàn ĐBQH và HĐND tỉnh; Các sở, ban, ngành; UBND cấp huyện',
      ['Văn phòng Đoàn ĐBQH và HĐND tỉnh', 'Các sở, ban, ngành', 'UBND cấp huyện'],
    ],
    ['Sở Nội vụ tỉnh Nam Định', ['Sở Nội vụ']],
    ['Tổ thẩm định chỉ số CCHC', ['Tổ thẩm định chỉ số CCHC']],
    ['Các Sở: Tư pháp và Nội vụ', ['Sở Tư pháp', 'Sở Nội vụ']],
  ])('Nam Định %j', (text, expected) => {
    expect(names(text, ND)).toEqual(expected);
  });

  it('keeps each piece as written and the kind of each', () => {
    const refs = dir.resolve('Sở TT &TT, Các cơ quan, đơn vị có liên quan', ND);
    expect(refs.map((r) => [r.text, r.kind])).toEqual([
      ['Sở TT &TT', 'agency'],
      ['Các cơ quan, đơn vị có liên quan', 'group'],
    ]);
    for (const r of refs) expect(AgencyRefSchema.parse(r)).toEqual(r);
    const list = dir.resolve('Các Sở: Tài chính, Tư pháp', ND);
    expect(list.map((r) => r.text)).toEqual(['Tài chính', 'Tư pháp']);
  });

  it('resolves per province: districts and local names', () => {
    expect(
      names('UBND các huyện: Bắc Bình, Hàm Thuận Bắc, Hàm Thuận Nam, Tánh Linh', {
        province: 'binh-thuan',
        date: '2024-01-01',
      }),
    ).toEqual(['UBND huyện Bắc Bình', 'UBND huyện Hàm Thuận Bắc', 'UBND huyện Hàm Thuận Nam', 'UBND huyện Tánh Linh']);
    expect(
      names('Kho bạc nhà nước Tiền Giang, các chủ đầu tư', { province: 'tien-giang', date: '2023-01-01' }),
    ).toEqual(['Kho bạc Nhà nước Tiền Giang', 'Các chủ đầu tư']);
    expect(dir.resolve('Ban quản lý Khu kinh tế Vân Phong', { province: 'khanh-hoa', date: '2023-01-01' })[0].id).toBe(
      'khanh-hoa/ban-quan-ly-kcn',
    );
    // Without a province, the province-neutral entry answers.
    expect(dir.resolve('Sở Nội vụ')[0].id).toBe('common/so-noi-vu');
  });

  it('NFC and NFD cells resolve the same', () => {
    const s = 'Sở Thông tin và Truyền thông, Ủy ban nhân dân cấp huyện';
    expect(names(s.normalize('NFD'), ND)).toEqual(names(s.normalize('NFC'), ND));
    expect(names(s.normalize('NFD'), ND)).toEqual(['Sở Thông tin và Truyền thông', 'UBND cấp huyện']);
  });

  it('suggests ranked names for unknown agencies', () => {
    const [r] = dir.resolve('Sở Tài chánh', ND);
    expect(r.kind).toBe('unknown');
    expect(r.suggestions?.[0]).toMatchObject({ id: 'nam-dinh/so-tai-chinh', name: 'Sở Tài chính' });
    const scores = r.suggestions!.map((s) => s.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const s of scores) {
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThanOrEqual(1);
    }
    expect(dir.suggest('Sở Ngoại vụ', ND, 1)[0].name).toBe('Sở Nội vụ');
    expect(dir.suggest('UBND huyện Ý Yen', ND, 1)[0].name).toBe('UBND huyện Ý Yên');
    expect(
      dir.suggest('Tham mưu HĐND, UBND tỉnh ban hành đầy đủ, kịp thời các văn bản quy phạm pháp luật của tỉnh', ND),
    ).toEqual([]);
  });

  it('resolves without suggestions the same refs less the suggestions, whichever way is asked first', () => {
    const cells = [
      'Sở Tài chánh; Sở Nội vụ',
      'Sở Kế hoạch và Đầu tư, Phòng Văn hóa huyện Ý Yen',
      'Ban Chỉ đạo 389 tỉnh',
    ];
    const without = (refs: AgencyRef[]) => refs.map(({ suggestions: _, ...r }) => r);
    for (const [k, cell] of cells.entries()) {
      const at = { ...ND, date: `2023-0${k + 1}-01` };
      const first = k % 2 ? dir.resolve(cell, at, { suggestions: false }) : dir.resolve(cell, at);
      const bare = dir.resolve(cell, at, { suggestions: false });
      const full = dir.resolve(cell, at);
      expect(bare).toEqual(without(full));
      expect(bare.every((r) => r.suggestions === undefined)).toBe(true);
      expect(first).toEqual(k % 2 ? bare : full);
    }
    expect(dir.resolve('Sở Tài chánh', ND)[0].suggestions?.length).toBeGreaterThan(0);
  });
});

describe('successors', () => {
  // Department merges take effect 2025-03-01; province merges and the end of districts 2025-07-01.
  const at = (province: string, date: string) => ({ province, date });
  it.each([
    ['Sở TT&TT', 'nam-dinh', '2025-02-28', undefined],
    ['Sở TT&TT', 'nam-dinh', '2025-03-01', { id: 'nam-dinh/so-khoa-hoc-cong-nghe', since: '2025-03-01' }],
    ['Sở TT&TT', 'nam-dinh', '2025-07-01', { id: 'ninh-binh/so-khoa-hoc-cong-nghe', since: '2025-03-01' }],
    ['Sở KH&ĐT', 'khanh-hoa', '2025-03-01', { id: 'khanh-hoa/so-tai-chinh', since: '2025-03-01' }],
    ['Sở GTVT', 'tien-giang', '2025-05-01', { id: 'tien-giang/so-xay-dung', since: '2025-03-01' }],
    ['Sở GTVT', 'tien-giang', '2025-09-01', { id: 'dong-thap/so-xay-dung', since: '2025-03-01' }],
    ['Sở TN&MT', 'binh-thuan', '2025-03-01', { id: 'binh-thuan/so-nong-nghiep-moi-truong', since: '2025-03-01' }],
    ['Sở NN&PTNT', 'binh-thuan', '2025-07-01', { id: 'lam-dong/so-nong-nghiep-moi-truong', since: '2025-03-01' }],
    ['Sở LĐ-TB&XH', 'nam-dinh', '2025-03-01', { id: 'nam-dinh/so-noi-vu', since: '2025-03-01' }],
    ['Ban Dân tộc', 'binh-thuan', '2025-03-01', { id: 'binh-thuan/so-dan-toc-ton-giao', since: '2025-03-01' }],
    ['Sở Nội vụ', 'nam-dinh', '2025-06-30', undefined],
    ['Sở Nội vụ', 'nam-dinh', '2025-07-01', { id: 'ninh-binh/so-noi-vu', since: '2025-07-01' }],
    ['Sở Nội vụ', 'khanh-hoa', '2025-07-01', undefined], // Khánh Hòa continues as a province
    ['UBND cấp huyện', 'tien-giang', '2025-06-30', undefined],
    [
      'UBND các huyện, thị xã, thành phố',
      'tien-giang',
      '2025-07-01',
      { id: 'common/ubnd-cap-xa', since: '2025-07-01' },
    ],
    ['UBND huyện Mỹ Lộc', 'nam-dinh', '2025-01-01', { id: 'nam-dinh/ubnd-tp-nam-dinh', since: '2025-01-01' }],
  ])('%s in %s at %s', (text, province, date, expected) => {
    const [r] = dir.resolve(text, at(province, date));
    expect(r.kind).not.toBe('unknown');
    if (expected) expect(r.successor).toMatchObject(expected);
    else expect(r.successor).toBeUndefined();
  });

  it('districts end without a successor agency on 2025-07-01', () => {
    const [r] = dir.resolve('UBND huyện Bắc Bình', at('binh-thuan', '2025-08-01'));
    expect(r.id).toBe('binh-thuan/ubnd-h-bac-binh');
    expect(r.successor).toBeUndefined();
    expect(dir.status(r.id!, '2025-08-01')).toBe('dissolved');
    expect(dir.status(r.id!, '2025-06-30')).toBe('active');
    expect(dir.status('nam-dinh/so-thong-tin-truyen-thong', '2025-03-01')).toBe('superseded');
    expect(dir.status('nam-dinh/so-nong-nghiep-moi-truong', '2025-01-01')).toBe('not-yet');
  });

  it('a province-neutral name in a new province points at that province', () => {
    const [r] = dir.resolve('Sở Thông tin và Truyền thông', at('ninh-binh', '2025-08-01'));
    expect(r.successor?.id).toBe('ninh-binh/so-khoa-hoc-cong-nghe');
    expect(dir.successorOf('common/so-thong-tin-truyen-thong', '2025-08-01')?.id).toBe('common/so-khoa-hoc-cong-nghe');
    expect(dir.successorOf('common/so-thong-tin-truyen-thong', undefined)).toBeUndefined();
  });
});

describe('seed agency strings', () => {
  // (seed, columns, province, plan date): the agency columns of the four table seeds.
  const SEEDS: [string, number[], string, string][] = [
    ['000', [3, 4], 'nam-dinh', '2023-01-01'],
    ['002', [4, 5, 6], 'binh-thuan', '2024-01-01'],
    ['004', [1, 2], 'tien-giang', '2023-01-01'],
  ];
  const HEADER = /^(?:<b>)?(Cơ quan|Chủ trì|Phối hợp|Theo dõi)/u;

  it.each(SEEDS)('seed %s: every common agency string resolves', (seed, cols, province, date) => {
    const unknown: string[] = [];
    let n = 0;
    for (const cell of seedColumn(seed, cols)) {
      if (HEADER.test(cell)) continue;
      for (const r of dir.resolve(cell, { province, date })) {
        n++;
        if (r.kind === 'unknown') unknown.push(r.text);
      }
    }
    expect(n).toBeGreaterThan(30);
    // What stays unknown is rare, descriptive wording, listed so a regression shows up here.
    const allowed = new Set([
      'Cơ quan quản lý cấp trên của đơn vị sự nghiệp công lập',
      'Cơ quan quản lý cấp trên của cơ quan, đơn vị trực tiếp sử dụng ngân sách nhà nước',
      'Cơ quan, người có thẩm quyền giải quyết TTHC tự đánh giá việc thực hiện của cơ quan mình',
      'ban, ngành tỉnh', // second half of a row split by a page break
    ]);
    expect(unknown.filter((u) => !allowed.has(u))).toEqual([]);
  });
});

describe('seed 003 (prose steps, Nam Định 2022)', () => {
  it('resolves every "Đơn vị chủ trì/phối hợp/thực hiện" line', () => {
    const lines = seed('003')
      .split('\n')
      .map((l) => /^- Đơn vị (?:chủ trì|phối hợp|thực hiện):\s*(.+)$/u.exec(l.trim())?.[1])
      .filter((x): x is string => !!x);
    expect(lines.length).toBe(7);
    const at = { province: 'nam-dinh', date: '2022-10-01' };
    const refs = lines.flatMap((l) => dir.resolve(l, at));
    expect(refs.filter((r) => r.kind === 'unknown').map((r) => r.text)).toEqual([]);
    expect(
      names(
        'Văn phòng UBND tỉnh và các Sở: Thông tin và Truyền thông, Khoa học và Công nghệ, Tài chính, Tư pháp, Kế hoạch và Đầu tư.',
        at,
      ),
    ).toEqual([
      'Văn phòng UBND tỉnh',
      'Sở Thông tin và Truyền thông',
      'Sở Khoa học và Công nghệ',
      'Sở Tài chính',
      'Sở Tư pháp',
      'Sở Kế hoạch và Đầu tư',
    ]);
  });
});

describe('splitAssignment (seed 001 "Phân công" column)', () => {
  it.each([
    ['Sở Nội vụ chủ trì, phối hợp với cơ quan, đơn vị liên quan tham mưu', 'Sở Nội vụ', 'cơ quan, đơn vị liên quan'],
    [
      'Sở Thông tin và Truyền thông chủ trì phối hợp với các sở, ban, ngành liên quan',
      'Sở Thông tin và Truyền thông',
      'các sở, ban, ngành liên quan',
    ],
    ['Sở Nội vụ chủ trì, tham mưu UBND tỉnh', 'Sở Nội vụ', ''],
    [
      'Ban quản lý Khu kinh tế Vân Phong chủ trì, phối hợp các cơ quan liên quan tham mưu',
      'Ban quản lý Khu kinh tế Vân Phong',
      'các cơ quan liên quan',
    ],
    ['- Sở Tài chính chủ trì tham mưu\n- Các sở, ban ngành phối hợp', 'Sở Tài chính', 'Các sở, ban ngành'],
    [
      'Sở Tài chính chủ trì tham mưu phối hợp với các chủ đầu tư, sở, ban, ngành, Kho bạc nhà nước và UBND các huyện, thị xã, thành phố phối hợp',
      'Sở Tài chính',
      'các chủ đầu tư, sở, ban, ngành, Kho bạc nhà nước và UBND các huyện, thị xã, thành phố',
    ],
    [
      'Sở Kế hoạch và Đầu tư chủ trì, phối hợp với các sở, ngành, hiệp hội có liên quan và Phòng Thương mại và Công nghiệp Việt Nam (VCCI) tham mưu UBND tỉnh tổ chức',
      'Sở Kế hoạch và Đầu tư',
      'các sở, ngành, hiệp hội có liên quan và Phòng Thương mại và Công nghiệp Việt Nam (VCCI)',
    ],
    [
      '<ul style="list-style-type: none"> <li>- Văn phòng UBND tỉnh chủ trì triển khai</li> <li>- Các sở, ban, ngành và các cơ quan liên quan phối hợp</li> </ul>',
      'Văn phòng UBND tỉnh',
      'Các sở, ban, ngành và các cơ quan liên quan',
    ],
    [
      'Sở Tài nguyên và Môi trường chỉ đạo các cơ quan, đơn vị thuộc và trực thuộc thực hiện',
      'Sở Tài nguyên và Môi trường',
      '',
    ],
    [
      '- Các cơ quan thu phí, lệ phí đề xuất - Sở Tài chính phối hợp rà soát, tham mưu UBND tỉnh',
      'Các cơ quan thu phí, lệ phí',
      'Sở Tài chính',
    ],
    [
      'Các sở, ban, ngành trên cơ sở hướng dẫn của bộ, ngành, rà soát, hoàn thiện quy định gửi Sở Nội vụ thẩm định, trình UBND tỉnh ban hành',
      'Các sở, ban, ngành',
      'Sở Nội vụ',
    ],
    [
      'Các sở, ban, ngành phối hợp với UBND cấp huyện trên cơ sở hướng dẫn của bộ, ngành rà soát, hoàn thiện quy định gửi Sở Nội vụ thẩm định, trình UBND tỉnh ban hành',
      'Các sở, ban, ngành',
      'UBND cấp huyện; Sở Nội vụ',
    ],
    [
      '<ul style="list-style-type: none"> <li>- Sở Nội vụ hướng dẫn triển khai</li> <li>- Các sở, ban, ngành, địa phương xây dựng Đề án gửi Sở Nội vụ thẩm định, trình UBND tỉnh</li> </ul>',
      'Sở Nội vụ',
      'Các sở, ban, ngành, địa phương',
    ],
    [
      '- Sở Nội vụ chủ trì tham mưu triển khai - Các Sở: Tài chính, Khoa học và Công nghệ, Lao động – Thương binh và Xã hội, các cơ quan, tổ chức có liên quan phối hợp',
      'Sở Nội vụ',
      'Các Sở: Tài chính, Khoa học và Công nghệ, Lao động – Thương binh và Xã hội, các cơ quan, tổ chức có liên quan',
    ],
    [
      'Sở Nội vụ chủ trì phối hợp\nvới Sở Thông tin và Truyền thông, các sở, ngành, địa phương liên quan tham gia triển khai nhiệm vụ đề án',
      'Sở Nội vụ',
      'Sở Thông tin và Truyền thông, các sở, ngành, địa phương liên quan',
    ],
    ['- Sở Nội vụ chủ trì; - Các sở, ngành, địa phương tham gia', 'Sở Nội vụ', 'Các sở, ngành, địa phương'],
    [
      'Sở Nội vụ và Sở Thông tin và Truyền thông chủ trì phối hợp với các cơ quan, đơn vị liên quan',
      'Sở Nội vụ và Sở Thông tin và Truyền thông',
      'các cơ quan, đơn vị liên quan',
    ],
    [
      '- Sở Khoa học và Công nghệ chủ trì tổ chức lựa chọn giải pháp, đề xuất giải pháp kỹ thuật, xây dựng hồ sơ, thực hiện các thủ tục đầu tư  - Văn phòng UBND tỉnh, các Sở: Nội vụ, Thông tin và Truyền thông phối hợp',
      'Sở Khoa học và Công nghệ',
      'Văn phòng UBND tỉnh, các Sở: Nội vụ, Thông tin và Truyền thông',
    ],
    ['', '', ''],
  ])('%j', (text, lead, support) => {
    expect(splitAssignment(text)).toEqual({ lead, support });
  });

  it('every assignment cell of seed 001 yields a lead that resolves in Khánh Hòa', () => {
    const at = { province: 'khanh-hoa', date: '2023-01-01' };
    const cells = seedColumn('001', [4]).filter((c) => !c.startsWith('Phân công'));
    expect(cells.length).toBeGreaterThan(40);
    const unresolved: string[] = [];
    for (const cell of cells) {
      const { lead, support } = splitAssignment(cell);
      // Fragments of rows cut by a page break ("phương triển khai…", "báo cáo") carry no agency of their own.
      if (!lead && !support) continue;
      for (const r of [...dir.resolve(lead, at), ...dir.resolve(support, at)])
        if (r.kind === 'unknown') unresolved.push(r.text);
    }
    expect(unresolved.sort()).toEqual(
      [
        'Người đại diện vốn nhà nước tại Công ty Môi trường Đô thị',
        'phương',
        'phương',
        'với Sở Thông tin và Truyền thông',
      ].sort(),
    );
  });
});

describe('speed', () => {
  it('memoises: a repeated cell returns equal, independent refs', () => {
    const a = dir.resolve('Sở TT&TT, Công an tỉnh', { province: 'nam-dinh', date: '2023-01-01' });
    a[0].name = 'changed';
    const b = dir.resolve('Sở TT&TT, Công an tỉnh', { province: 'nam-dinh', date: '2023-01-01' });
    expect(b[0].name).toBe('Sở Thông tin và Truyền thông');
  });
});
