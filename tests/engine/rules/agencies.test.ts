import { describe, expect, it } from 'vitest';
import { applyFixes } from '../../../engine/rules/validate.js';
import { byCode, cells, check, seed } from './helpers.js';

const S1 = ['I', 'Cải cách thể chế', '', '', '', ''];

describe('agencies', () => {
  it('resolves names as of the plan year: Sở TT&TT is fine in 2023 (written in full: info) but superseded in 2026', () => {
    const { report } = seed('000');
    expect(byCode(report, 'agency.superseded')).toEqual([]);
    const info = byCode(report, 'agency.non-canonical').find((d) => d.location.cell === 'D317')!;
    expect(info.severity).toBe('info');
    expect(info.params).toMatchObject({ text: 'Sở TT&TT', name: 'Sở Thông tin và Truyền thông' });
    expect(info.fix!.edits).toEqual([
      expect.objectContaining({ cell: 'D317', from: 'Sở TT&TT', to: 'Sở Thông tin và Truyền thông' }),
    ]);

    const later = check(
      [S1, ['1', 'Chuyển đổi số', 'Kế hoạch chuyển đổi số', 'Sở TT&TT', 'Sở Nội vụ', 'Quý II/2026']],
      {
        province: 'ninh-binh',
        planYear: 2026,
      },
    ).report;
    const sup = byCode(later, 'agency.superseded');
    expect(cells(sup)).toEqual(['D4']);
    expect(sup[0].params).toMatchObject({ text: 'Sở TT&TT', successor: 'Sở Khoa học và Công nghệ' });
    expect(sup[0].fix!.edits).toEqual([
      expect.objectContaining({ cell: 'D4', from: 'Sở TT&TT', to: 'Sở Khoa học và Công nghệ' }),
    ]);
  });

  it('reports district-level agencies dissolved on 01/7/2025, with a fix only when a group takes the work over', () => {
    const rows = [
      S1,
      ['1', 'Rà soát thủ tục', 'Báo cáo', 'UBND thành phố Nha Trang', 'Sở Nội vụ', 'Quý II/2026'],
      ['2', 'Công bố thủ tục', 'Quyết định', 'Sở Nội vụ', 'Các sở, ban, ngành, UBND cấp huyện, cấp xã', 'Quý III/2026'],
      ['3', 'Số hóa hồ sơ', 'Kho dữ liệu', 'UBND cấp huyện', '', 'Năm 2026'],
    ];
    const { report, grid } = check(rows, { province: 'khanh-hoa', planYear: 2026 });
    const dissolved = byCode(report, 'agency.dissolved');
    expect(cells(dissolved)).toEqual(['D4', 'E5', 'D6']);
    expect(byCode(report, 'agency.superseded')).toEqual([]);
    // A city of the abolished district level: no successor, no fix.
    expect(dissolved[0]).toMatchObject({
      severity: 'warning',
      params: { text: 'UBND thành phố Nha Trang', reason: 'ended', since: '2025-07-01' },
    });
    expect(dissolved[0].message).toBe(
      '"UBND thành phố Nha Trang" không còn hoạt động từ ngày 01/07/2025 và không có cơ quan kế nhiệm.',
    );
    expect(dissolved[0].fix).toBeUndefined();
    // The district level as a group: its tasks pass to UBND cấp xã, which the fix writes.
    expect(dissolved[1].params).toMatchObject({ text: 'UBND cấp huyện', reason: 'handover', successor: 'UBND cấp xã' });
    expect(dissolved[1].message).toBe(
      '"UBND cấp huyện" không còn hoạt động từ ngày 01/07/2025; nhiệm vụ chuyển cho UBND cấp xã.',
    );
    const fixed = applyFixes([grid], [dissolved[1].fix!, dissolved[2].fix!]);
    // "UBND cấp huyện, cấp xã" already names the successor: it becomes one "UBND cấp xã".
    expect(fixed[0].rows[4].cells[4].text).toBe('Các sở, ban, ngành, UBND cấp xã');
    expect(fixed[0].rows[5].cells[3].text).toBe('UBND cấp xã');
    // In a plan of the first half of 2025 the district level still exists.
    const before = check(
      rows.map((r) => r.map((c) => c.replace('2026', '2025'))),
      { province: 'khanh-hoa', planYear: 2025 },
    ).report;
    expect(byCode(before, 'agency.dissolved')).toEqual([]);
  });

  it('replaces a superseded name inside a list, keeping the rest of the cell', () => {
    const { report, grid } = check(
      [
        S1,
        [
          '1',
          'Chuyển đổi số',
          'Kế hoạch chuyển đổi số',
          'Sở Nội vụ',
          'Văn phòng UBND tỉnh, Sở Thông tin và Truyền thông và các sở, ngành',
          'Năm 2026',
        ],
      ],
      { province: 'ninh-binh', planYear: 2026 },
    );
    const sup = byCode(report, 'agency.superseded');
    expect(cells(sup)).toEqual(['E4']);
    const fixed = applyFixes([grid], [sup[0].fix!]);
    expect(fixed[0].rows[3].cells[4].text).toBe('Văn phòng UBND tỉnh, Sở Khoa học và Công nghệ và các sở, ngành');
  });

  it('drops a superseded name when its successor is already in the same list', () => {
    const { report } = check(
      [S1, ['1', 'Kế hoạch đầu tư công', 'Kế hoạch', 'Sở Nội vụ', 'Sở Kế hoạch và Đầu tư, Sở Tài chính', 'Năm 2026']],
      { province: 'ninh-binh', planYear: 2026 },
    );
    const sup = byCode(report, 'agency.superseded');
    expect(sup[0].fix!.edits[0].to).toBe('Sở Tài chính');
  });

  it('reports a lead agency listed again as coordinating, with a fix that removes it from the support cell', () => {
    const { report } = check([
      S1,
      ['1', 'Rà soát văn bản', 'Báo cáo', 'Sở Tư pháp', 'Sở Nội vụ, Sở Tư pháp và Sở Tài chính', 'Quý II/2024'],
    ]);
    const found = byCode(report, 'agency.lead-also-support');
    expect(cells(found)).toEqual(['E4']);
    expect(found[0].params).toMatchObject({ name: 'Sở Tư pháp' });
    expect(found[0].fix!.edits[0]).toMatchObject({
      cell: 'E4',
      from: 'Sở Nội vụ, Sở Tư pháp và Sở Tài chính',
      to: 'Sở Nội vụ và Sở Tài chính',
    });
  });

  it('a product row inherits the lead of its task row for that check', () => {
    const { report } = check([
      S1,
      ['1', 'Rà soát văn bản', '1.1. Báo cáo rà soát', 'Sở Tư pháp', '', 'Quý II/2024'],
      ['', '', '1.2. Danh mục văn bản', '', 'Sở Tư pháp', 'Quý III/2024'],
    ]);
    expect(cells(byCode(report, 'agency.lead-also-support'))).toEqual(['E5']);
  });

  it('handles a combined "Phân công" column: removes the lead only from the part after "chủ trì"', () => {
    const header = [
      'STT',
      'Nhiệm vụ',
      'Kết quả/sản phẩm đạt được',
      'Tiến độ',
      'Phân công (cơ quan chủ trì/cơ quan phối hợp)',
    ];
    const { report } = check(
      [
        ['I', 'CẢI CÁCH THỂ CHẾ', '', '', ''],
        [
          '1',
          'Xây dựng Chương trình',
          'Kế hoạch được ban hành',
          'Quý I/2024',
          'Sở Nội vụ chủ trì, phối hợp với Sở Nội vụ, Sở Tài chính',
        ],
      ],
      {},
      header,
    );
    const found = byCode(report, 'agency.lead-also-support');
    expect(cells(found)).toEqual(['E4']);
    expect(found[0].fix!.edits[0].to).toBe('Sở Nội vụ chủ trì, phối hợp với Sở Tài chính');
  });

  it('groups ("Các sở, ban, ngành") may lead and coordinate at once', () => {
    const { report } = seed('000');
    // Row 330: lead and support are both "Các sở, ban, ngành, UBND cấp huyện".
    expect(cells(byCode(report, 'agency.lead-also-support'))).not.toContain('E330');
  });

  it('reports names that are not in the directory, with suggestions', () => {
    const { report } = check([S1, ['1', 'Đổi mới giáo dục', 'Đề án', 'Sở Giáo dục', '', 'Quý II/2024']]);
    const found = byCode(report, 'agency.unknown');
    expect(cells(found)).toEqual(['D4']);
    expect(found[0].message).toBe('"Sở Giáo dục" không có trong danh mục cơ quan (Nam Định).');
    expect((found[0].params!.suggestions as string[])[0]).toBe('Sở Giáo dục và Đào tạo');
    expect(found[0].hint).toContain('Sở Giáo dục và Đào tạo');
    expect(found[0].fix).toBeUndefined();
  });

  it('does not flag items of a list sharing a prefix ("các sở: Tư pháp, Tài chính") as non-canonical', () => {
    const { report } = seed('000');
    const row368 = byCode(report, 'agency.non-canonical').filter((d) => d.location.row === 368);
    const texts = row368.map((d) => d.params!.text);
    expect(texts).toContain('VP UBND tỉnh');
    expect(texts).not.toContain('Tư pháp');
    expect(texts).not.toContain('Tài chính');
    // Abbreviations inside such a list are reported, but never rewritten (the prefix would be doubled).
    for (const d of row368.filter((x) => x.params!.text !== 'VP UBND tỉnh')) expect(d.fix).toBeUndefined();
  });

  it('flags a name with wrong diacritics', () => {
    const { report } = check([S1, ['1', 'Rà soát văn bản', 'Báo cáo', 'Sở Tư phap', '', 'Quý II/2024']]);
    const found = byCode(report, 'agency.non-canonical');
    expect(found[0].fix!.edits[0]).toMatchObject({ cell: 'D4', to: 'Sở Tư pháp' });
  });

  it('without a directory still finds an agency both leading and coordinating', async () => {
    const { readAnnex } = await import('../../../engine/read/index.js');
    const { validate } = await import('../../../engine/rules/validate.js');
    const { sheet, HEADER } = await import('./helpers.js');
    const grid = sheet([
      ['PHỤ LỤC'],
      HEADER,
      S1,
      ['1', 'Rà soát văn bản', 'Báo cáo', 'Sở Tư pháp', 'Sở Tư pháp, Sở Nội vụ', 'Quý II/2024'],
    ]);
    const report = validate(readAnnex([grid], { planYear: 2024 }), { grids: [grid], planYear: 2024, directory: null });
    expect(cells(byCode(report, 'agency.lead-also-support'))).toEqual(['E4']);
    expect(byCode(report, 'agency.unknown')).toEqual([]);
  });
});
