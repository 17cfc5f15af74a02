// Text that would run as a formula elsewhere is reported with its cell and never evaluated; Vietnamese list
// items ("- …", "+ …") are not formulas.
import { describe, expect, it } from 'vitest';
import type { Grid } from '../../../engine/model.js';
import { readAnnex } from '../../../engine/read/index.js';
import { validate } from '../../../engine/rules/validate.js';
import { formulaLike } from '../../../engine/rules/cells.js';

const grid = (rows: string[][]): Grid => ({
  sheet: 'Phụ lục',
  kind: 'sheet',
  rows: rows.map((cells, i) => ({ index: i + 1, cells: cells.map((text) => ({ text })) })),
});

describe('cell.formula-text', () => {
  it('tells formulas from list items', () => {
    for (const t of [
      '=HYPERLINK("http://x.vn","Bấm vào")',
      "+cmd|' /C calc'!A0",
      '@SUM(1+1)*cmd|A0',
      '-2+3+cmd|A0',
      '=1+1',
    ])
      expect(formulaLike(t), t).toBe(true);
    for (const t of ['- Rà soát văn bản', '+ Sở Tư pháp', 'Sở Nội vụ', '= ', '@ Văn phòng', '-  Quý II/2026', '100%'])
      expect(formulaLike(t), t).toBe(false);
  });

  it('reports the cell in Vietnamese and keeps the text as written', () => {
    const result = readAnnex([
      grid([
        ['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Thời gian thực hiện'],
        ['I', 'Cải cách thể chế', '', '', ''],
        ['1', '=HYPERLINK("http://vi-du.vn/x","Rà soát văn bản")', 'Báo cáo', 'Sở Tư pháp', 'Quý II/2026'],
        ['2', '- Kiểm tra thi hành pháp luật', "+cmd|' /C calc'!A0", 'Sở Tư pháp', 'Quý III/2026'],
      ]),
    ]);
    const report = validate(result);
    const found = report.diagnostics.filter((d) => d.code === 'cell.formula-text');
    expect(found.map((d) => d.location.cell)).toEqual(['B3', 'C4']);
    expect(found[0]).toMatchObject({ severity: 'warning' });
    expect(found[0].message).toContain('Ô B3 bắt đầu bằng "="');
    expect(result.annex.sections[0].tasks[0].task).toBe('=HYPERLINK("http://vi-du.vn/x","Rà soát văn bản")');
  });
});
