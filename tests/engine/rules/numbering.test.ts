import { describe, expect, it } from 'vitest';
import { applyFixes, validate } from '../../../engine/rules/validate.js';
import { readAnnex } from '../../../engine/read/index.js';
import { byCode, cells, check, directory, seed } from './helpers.js';

const S1 = ['I', 'Cải cách thể chế', '', '', '', ''];
const S2 = ['II', 'Cải cách thủ tục hành chính', '', '', '', ''];
const task = (n: string, text: string): string[] => [
  n,
  text,
  `Sản phẩm của ${text.toLowerCase()}`,
  'Sở Tư pháp',
  '',
  'Quý II/2024',
];

describe('numbering', () => {
  it('finds the product sub-numbers of seed 000 section VII that do not match their task, with a prefix fix', () => {
    const { report } = seed('000');
    const found = byCode(report, 'product.number-mismatch');
    expect(cells(found)).toEqual(['C370', 'C371', 'C372']);
    expect(found[0].params).toMatchObject({ written: '1.1.', task: '2', expected: '2.1.' });
    const edit = found[0].fix!.edits[0];
    expect(edit.cell).toBe('C370');
    expect(edit.from.startsWith('1.1. Điều chỉnh')).toBe(true);
    expect(edit.to).toBe(`2.1.${edit.from.slice(4)}`);
  });

  it('accepts the numbering of the five seeds where it restarts per section', () => {
    for (const s of ['000', '001', '002', '004']) {
      const { report } = seed(s);
      const codes = report.diagnostics.map((d) => d.code).filter((c) => c.startsWith('number.'));
      expect({ seed: s, codes }).toEqual({ seed: s, codes: [] });
    }
  });

  it('reports a gap, with one fix that renumbers the section', () => {
    const { report, grid } = check([
      S1,
      task('1', 'Rà soát văn bản'),
      task('2', 'Kiểm tra văn bản'),
      task('4', 'Pháp điển hệ thống'),
    ]);
    const gap = byCode(report, 'number.gap');
    expect(cells(gap)).toEqual(['A6']);
    expect(gap[0].params).toMatchObject({ number: 4, expected: 3 });
    expect(gap[0].fix!.label).toBe('Đánh lại số thứ tự mục I');
    const fixed = applyFixes([grid], [gap[0].fix!]);
    expect(fixed[0].rows[5].cells[0].text).toBe('3');
    const again = validate(readAnnex(fixed, { directory, planYear: 2024 }), {
      grids: fixed,
      directory,
      planYear: 2024,
    });
    expect(again.diagnostics.filter((d) => d.code.startsWith('number.'))).toEqual([]);
  });

  it('reports a duplicate and an out-of-order number', () => {
    const { report } = check([
      S1,
      task('1', 'Rà soát văn bản'),
      task('2', 'Kiểm tra văn bản'),
      task('2', 'Pháp điển hệ thống'),
      task('3', 'Theo dõi thi hành'),
    ]);
    const dup = byCode(report, 'number.duplicate');
    expect(cells(dup)).toEqual(['A6']);
    expect(dup[0].params).toMatchObject({ number: 2, firstRow: 5 });
    expect(dup[0].severity).toBe('error');
    expect(report.diagnostics.filter((d) => d.code.startsWith('number.')).length).toBe(1);

    const swapped = check([
      S1,
      task('1', 'Rà soát văn bản'),
      task('3', 'Kiểm tra văn bản'),
      task('2', 'Pháp điển hệ thống'),
    ]).report;
    expect(cells(byCode(swapped, 'number.gap'))).toEqual(['A5']);
    expect(cells(byCode(swapped, 'number.out-of-order'))).toEqual(['A6']);
    expect(byCode(swapped, 'number.out-of-order')[0].params).toMatchObject({ number: 2, previous: 3 });
  });

  it('restarts numbering in every section, and also accepts numbering straight through', () => {
    const restart = check([
      S1,
      task('1', 'Rà soát văn bản'),
      task('2', 'Kiểm tra văn bản'),
      S2,
      task('1', 'Công bố thủ tục'),
      task('2', 'Số hóa hồ sơ'),
    ]);
    expect(restart.report.diagnostics.filter((d) => d.code.startsWith('number.'))).toEqual([]);
    const through = check([
      S1,
      task('1', 'Rà soát văn bản'),
      task('2', 'Kiểm tra văn bản'),
      S2,
      task('3', 'Công bố thủ tục'),
      task('4', 'Số hóa hồ sơ'),
    ]);
    expect(through.report.diagnostics.filter((d) => d.code.startsWith('number.'))).toEqual([]);
    const wrong = check([
      S1,
      task('1', 'Rà soát văn bản'),
      task('2', 'Kiểm tra văn bản'),
      S2,
      task('5', 'Công bố thủ tục'),
      task('6', 'Số hóa hồ sơ'),
    ]);
    expect(cells(byCode(wrong.report, 'number.gap'))).toEqual(['A7']);
  });

  it('renumbering also rewrites the product sub-numbers of a renumbered task', () => {
    const { report, grid } = check([
      S1,
      task('1', 'Rà soát văn bản'),
      ['3', 'Kiểm tra văn bản', '3.1. Kế hoạch kiểm tra', 'Sở Tư pháp', '', 'Quý I/2024'],
      ['', '', '3.2. Báo cáo kết quả kiểm tra', 'Sở Tư pháp', '', 'Quý IV/2024'],
    ]);
    const fix = byCode(report, 'number.gap')[0].fix!;
    expect(fix.edits.map((e) => [e.cell, e.to])).toEqual([
      ['A5', '2'],
      ['C5', '2.1. Kế hoạch kiểm tra'],
      ['C6', '2.2. Báo cáo kết quả kiểm tra'],
    ]);
    const fixed = applyFixes([grid], [fix]);
    const again = validate(readAnnex(fixed, { directory, planYear: 2024 }), {
      grids: fixed,
      directory,
      planYear: 2024,
    });
    expect(
      again.diagnostics.filter((d) => d.code.startsWith('number.') || d.code === 'product.number-mismatch'),
    ).toEqual([]);
  });
});
