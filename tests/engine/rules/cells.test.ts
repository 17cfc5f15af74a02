import { describe, expect, it } from 'vitest';
import { readAnnex } from '../../../engine/read/index.js';
import { validate } from '../../../engine/rules/validate.js';
import type { Grid } from '../../../engine/model.js';
import { byCode, directory, HEADER } from './helpers.js';

describe('cells', () => {
  const grid: Grid = {
    sheet: 'Phụ lục',
    kind: 'sheet',
    rows: [
      { index: 1, cells: [{ text: 'PHỤ LỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH' }] },
      { index: 2, cells: HEADER.map((text) => ({ text })) },
      { index: 3, cells: [{ text: 'I' }, { text: 'Cải cách thể chế' }] },
      {
        index: 4,
        cells: [{ text: '1', formula: 'ROW()-3' }, { text: 'Rà soát văn bản' }, { text: 'Báo cáo' }, { text: 'Sở Tư pháp' }, { text: '' }, { text: 'Quý II/2024' }],
      },
      {
        index: 5,
        cells: [{ text: '2' }, { text: 'Kiểm tra văn bản' }, { text: 'Kết luận' }, { text: 'Sở Tư pháp' }, { text: '' }, { text: 'Quý III/2024' }],
      },
      {
        index: 6,
        cells: [{ text: '' }, { text: 'Kiểm tra văn bản', mergedInto: 'B5' }, { text: 'Báo cáo kết quả' }, { text: 'Sở Tư pháp' }, { text: '' }, { text: 'Quý IV/2024' }],
      },
    ],
    merges: ['B5:B6'],
  };

  it('reports formulas and merged ranges of the table once each (reader or rule)', () => {
    const result = readAnnex([grid], { directory, planYear: 2024 });
    const report = validate(result, { grids: [grid], directory, planYear: 2024 });
    const formula = byCode(report, 'cell.formula');
    expect(formula.map((d) => d.location.cell)).toEqual(['A4']);
    expect(formula[0].message).toContain('=ROW()-3');
    const merged = byCode(report, 'cell.merged');
    expect(merged.map((d) => d.params!.range)).toEqual(['B5:B6']);
  });
});
