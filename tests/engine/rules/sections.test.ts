import { describe, expect, it } from 'vitest';
import { byCode, cells, check, seed } from './helpers.js';

const task = (n: string, text: string): string[] => [
  n,
  text,
  `Kết quả ${text.toLowerCase()}`,
  'Sở Nội vụ',
  '',
  'Quý II/2024',
];

describe('sections', () => {
  it('accepts the reform-area sections of the table seeds', () => {
    for (const s of ['000', '001', '002', '004']) {
      const { report } = seed(s);
      const codes = report.diagnostics.map((d) => d.code).filter((c) => c.startsWith('section.'));
      expect({ seed: s, codes }).toEqual({ seed: s, codes: [] });
    }
  });

  it('reports a section that is not a reform area of Nghị quyết 76', () => {
    const { report } = check([['I', 'Các nhiệm vụ khác', '', '', '', ''], task('1', 'Tổ chức hội nghị')]);
    const found = byCode(report, 'section.unknown-area');
    expect(cells(found)).toEqual(['B3']);
    expect(found[0].message).toBe('Mục "Các nhiệm vụ khác" không khớp lĩnh vực cải cách nào theo Nghị quyết 76/NQ-CP.');
  });

  it('reports areas out of the resolution order, but lets "chỉ đạo, điều hành" stand first or last', () => {
    const { report } = check([
      ['I', 'Cải cách thủ tục hành chính', '', '', '', ''],
      task('1', 'Công bố thủ tục'),
      ['II', 'Cải cách thể chế', '', '', '', ''],
      task('1', 'Rà soát văn bản'),
      ['III', 'Công tác chỉ đạo, điều hành', '', '', '', ''],
      task('1', 'Ban hành kế hoạch'),
    ]);
    const found = byCode(report, 'section.out-of-order');
    expect(cells(found)).toEqual(['B5']);
    expect(found[0].severity).toBe('info');
    expect(found[0].params).toMatchObject({ title: 'Cải cách thể chế', previous: 'Cải cách thủ tục hành chính' });
  });

  it('reports one area split over two sections', () => {
    const { report } = check([
      ['I', 'Cải cách thể chế', '', '', '', ''],
      task('1', 'Rà soát văn bản'),
      ['II', 'Cải cách thể chế', '', '', '', ''],
      task('1', 'Kiểm tra văn bản'),
    ]);
    const found = byCode(report, 'section.duplicate-area');
    expect(cells(found)).toEqual(['B5']);
    expect(found[0].params).toMatchObject({ area: 'Cải cách thể chế', first: 'Cải cách thể chế' });
  });

  it('reports tasks above the first section row', () => {
    const { report } = check([
      task('1', 'Rà soát văn bản'),
      ['I', 'Cải cách thể chế', '', '', '', ''],
      task('1', 'Kiểm tra văn bản'),
    ]);
    expect(cells(byCode(report, 'section.missing'))).toEqual(['A3']);
  });
});
