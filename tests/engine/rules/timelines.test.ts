import { describe, expect, it } from 'vitest';
import { allFixes, applyFixes, validate } from '../../../engine/rules/validate.js';
import { readAnnex } from '../../../engine/read/index.js';
import { byCode, cells, check, directory, seed } from './helpers.js';

describe('timelines', () => {
  it('finds the 2022 deadlines of the 2023 plan in seed 000 (section VI, task 3)', () => {
    const { report } = seed('000');
    const found = byCode(report, 'timeline.outside-plan-year');
    expect(cells(found)).toEqual(['F361', 'F362']);
    expect(found[0].params).toMatchObject({ due: '2022-12-31', year: 2023 });
    expect(found[0].message).toBe('Thời hạn "Năm 2022" (31/12/2022) nằm ngoài năm kế hoạch 2023.');
    expect(found[0].severity).toBe('warning');
  });

  it('finds the timelines written in the product column of seed 002 (section III) with a two-edit fix', () => {
    const { report, grid } = seed('002');
    const found = byCode(report, 'timeline.in-product');
    expect(cells(found).slice(0, 3)).toEqual(['C290', 'C291', 'C294']);
    // Any other finding must also be a product cell next to an empty timeline cell (D).
    for (const d of found) {
      const row = grid.rows.find((r) => r.index === d.location.row)!;
      expect(d.location.column).toBe(3);
      expect(row.cells[3].text.trim()).toBe('');
    }
    const fix = found[0].fix!;
    expect(fix.label).toBe('Chuyển sang cột Thời gian');
    expect(fix.edits).toEqual([
      {
        sheet: found[0].location.sheet,
        row: 290,
        column: 4,
        cell: 'D290',
        from: '',
        to: 'Theo lộ trình đã được phê duyệt',
      },
      {
        sheet: found[0].location.sheet,
        row: 290,
        column: 3,
        cell: 'C290',
        from: 'Theo lộ trình đã được phê duyệt',
        to: '',
      },
    ]);
    // Reported as misplaced, not as missing.
    expect(cells(byCode(report, 'timeline.missing'))).not.toContain('D290');
  });

  it('applying every fix of seed 002 and re-validating removes the timeline.in-product diagnostics', () => {
    const { grid, report } = seed('002');
    const fixed = applyFixes([grid], allFixes(report));
    const cellText = (row: number, col: number) => fixed[0].rows.find((r) => r.index === row)!.cells[col - 1].text;
    expect(cellText(290, 4)).toBe('Theo lộ trình đã được phê duyệt');
    expect(cellText(290, 3)).toBe('');
    const again = validate(readAnnex(fixed, { directory }), { grids: fixed, directory });
    expect(byCode(again, 'timeline.in-product')).toEqual([]);
    // The product cell is now honestly empty.
    expect(cells(byCode(again, 'product.missing'))).toEqual(expect.arrayContaining(['C290', 'C291', 'C294']));
    // The original grid is untouched.
    expect(grid.rows.find((r) => r.index === 290)!.cells[2].text).toBe('Theo lộ trình đã được phê duyệt');
  });

  it('reports a timeline it cannot read, with the plan year in the hint', () => {
    const { report } = seed('004');
    const found = byCode(report, 'timeline.unparsed');
    expect(found.length).toBeGreaterThan(0);
    expect(found[0].params).toMatchObject({ text: 'Kế hoạch' });
    expect(found[0].location.cell).toMatch(/^E\d+$/);
    expect(found[0].hint).toContain('2023');
  });

  it('accepts deadlines inside the plan year and flags the ones outside', () => {
    const { report } = check([
      ['I', 'Cải cách thể chế', '', '', '', ''],
      ['1', 'Rà soát văn bản quy phạm pháp luật', 'Báo cáo', 'Sở Tư pháp', '', 'Quý II/2024'],
      ['2', 'Kiểm tra văn bản quy phạm pháp luật', 'Kết luận kiểm tra', 'Sở Tư pháp', '', 'Tháng 12/2025'],
    ]);
    expect(cells(byCode(report, 'timeline.outside-plan-year'))).toEqual(['F5']);
  });

  it('does not call an ordinary product a timeline', () => {
    const { report } = check([
      ['I', 'Cải cách thể chế', '', '', '', ''],
      ['1', 'Xây dựng kế hoạch biên chế', 'Kế hoạch năm 2025 của tỉnh', 'Sở Nội vụ', '', ''],
      ['2', 'Số hóa hồ sơ thủ tục hành chính', 'Trong năm 2024, 100% hồ sơ được số hóa', 'Sở Nội vụ', '', ''],
    ]);
    expect(byCode(report, 'timeline.in-product')).toEqual([]);
    expect(cells(byCode(report, 'timeline.missing'))).toEqual(['F4', 'F5']);
  });
});
