import { describe, expect, it } from 'vitest';
import { byCode, cells, check, seed } from './helpers.js';

const S1 = ['I', 'Cải cách thể chế', '', '', '', ''];
const S2 = ['II', 'Cải cách thủ tục hành chính', '', '', '', ''];
const row = (n: string, text: string): string[] => [n, text, 'Báo cáo', 'Sở Tư pháp', '', 'Quý II/2024'];

describe('duplicates', () => {
  it('finds the same task written twice, across sections, ignoring case, diacritics and punctuation', () => {
    const { report } = check([S1, row('1', 'Rà soát, hệ thống hóa văn bản QPPL'), S2, row('1', 'rà soát hệ thống hoá văn bản qppl.')]);
    const found = byCode(report, 'task.duplicate');
    expect(cells(found)).toEqual(['B6']);
    expect(found[0].params).toMatchObject({ otherRow: 4, similarity: '100%' });
  });

  it('finds near-duplicates by wording (seed 002: the same task for departments and for localities)', () => {
    const { report } = seed('002');
    const found = byCode(report, 'task.duplicate');
    expect(cells(found)).toEqual(['B291']);
    expect(found[0].params).toMatchObject({ otherRow: 290 });
    expect(Number.parseInt(found[0].params!.similarity as string, 10)).toBeGreaterThanOrEqual(85);
  });

  it('does not call different tasks with shared words duplicates (seed 001: the CCHC plan and the CCHC propaganda plan)', () => {
    const { report } = seed('001');
    expect(byCode(report, 'task.duplicate')).toEqual([]);
    const short = check([S1, row('1', 'Công tác kiểm tra'), row('2', 'Công tác thanh tra')]).report;
    expect(byCode(short, 'task.duplicate')).toEqual([]);
  });
});
