import { describe, expect, it } from 'vitest';
import { byCode, cells, check, seed } from './helpers.js';

const S1 = ['I', 'Cải cách thể chế', '', '', '', ''];

describe('required fields', () => {
  it('finds the empty timeline cells of seed 000 (section II task 2, section V task 2)', () => {
    const { report } = seed('000');
    const found = byCode(report, 'timeline.missing');
    expect(cells(found)).toEqual(['F309', 'F310', 'F346']);
    expect(found[0].severity).toBe('error');
    expect(found[0].message).toBe('Nhiệm vụ "Rà soát, đơn giản hóa quy trình nội bộ" chưa có thời gian thực hiện.');
    expect(found[0].hint).toContain('F309');
    expect(found[0].hint).toContain('Quý II/2023');
    // Product 2.3 of the same task has its own timeline ("Thường xuyên"): not reported.
    expect(cells(found)).not.toContain('F311');
  });

  it('accepts a task whose products each carry their own lead and timeline', () => {
    const { report } = check([
      S1,
      ['1', 'Rà soát văn bản', '', '', '', ''],
      ['', '', '1.1. Báo cáo rà soát', 'Sở Tư pháp', '', 'Quý II/2024'],
      ['', '', '1.2. Danh mục văn bản', 'Sở Nội vụ', '', 'Quý III/2024'],
    ]);
    for (const code of ['lead.missing', 'timeline.missing', 'product.missing'])
      expect(byCode(report, code)).toEqual([]);
  });

  it('a product row inherits the task row lead and timeline; a product without either is reported on its own cells', () => {
    const inherited = check([
      S1,
      ['1', 'Rà soát văn bản', '1.1. Báo cáo rà soát', 'Sở Tư pháp', '', 'Quý II/2024'],
      ['', '', '1.2. Danh mục văn bản', '', '', ''],
    ]).report;
    expect(byCode(inherited, 'lead.missing')).toEqual([]);
    expect(byCode(inherited, 'timeline.missing')).toEqual([]);

    const partial = check([
      S1,
      ['1', 'Rà soát văn bản', '', '', '', ''],
      ['', '', '1.1. Báo cáo rà soát', 'Sở Tư pháp', '', 'Quý II/2024'],
      ['', '', '1.2. Danh mục văn bản', '', '', ''],
    ]).report;
    expect(cells(byCode(partial, 'lead.missing'))).toEqual(['D6']);
    expect(cells(byCode(partial, 'timeline.missing'))).toEqual(['F6']);
  });

  it('a task with nothing but its text gets one diagnostic per missing field, at the task row', () => {
    const { report } = check([S1, ['1', 'Rà soát văn bản', '', '', '', '']]);
    expect(cells(byCode(report, 'product.missing'))).toEqual(['C4']);
    expect(cells(byCode(report, 'lead.missing'))).toEqual(['D4']);
    expect(cells(byCode(report, 'timeline.missing'))).toEqual(['F4']);
    expect(byCode(report, 'lead.missing')[0].message).toBe('Nhiệm vụ "Rà soát văn bản" chưa có cơ quan chủ trì.');
  });

  it('reports a numbered row without task text', () => {
    const { report } = check([
      S1,
      ['1', 'Rà soát văn bản', 'Báo cáo', 'Sở Tư pháp', '', 'Quý I/2024'],
      ['2', '', 'Báo cáo kiểm tra', 'Sở Tư pháp', '', 'Quý II/2024'],
    ]);
    const found = byCode(report, 'task.missing');
    expect(cells(found)).toEqual(['B5']);
    expect(found[0].message).toBe('Dòng 5 có số thứ tự 2 nhưng chưa ghi nội dung nhiệm vụ.');
  });

  it('in the prose layout (seed 003) reports steps without a lead unit or a time', () => {
    const { report } = seed('003');
    const lead = byCode(report, 'lead.missing');
    expect(lead.map((d) => d.location.row)).toEqual(expect.arrayContaining([73, 77]));
    expect(lead.find((d) => d.location.row === 73)!.message).toContain('Đo lường sự hài lòng của người dân và tổ chức');
    expect(byCode(report, 'timeline.missing').map((d) => d.location.row)).toContain(73);
  });
});
