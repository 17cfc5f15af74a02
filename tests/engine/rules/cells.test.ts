import { describe, expect, it } from 'vitest';
import { readAnnex } from '../../../engine/read/index.js';
import { createSession, validate } from '../../../engine/rules/validate.js';
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
        cells: [
          { text: '1', formula: 'ROW()-3' },
          { text: 'Rà soát văn bản' },
          { text: 'Báo cáo' },
          { text: 'Sở Tư pháp' },
          { text: '' },
          { text: 'Quý II/2024' },
        ],
      },
      {
        index: 5,
        cells: [
          { text: '2' },
          { text: 'Kiểm tra văn bản' },
          { text: 'Kết luận' },
          { text: 'Sở Tư pháp' },
          { text: '' },
          { text: 'Quý III/2024' },
        ],
      },
      {
        index: 6,
        cells: [
          { text: '' },
          { text: 'Kiểm tra văn bản', mergedInto: 'B5' },
          { text: 'Báo cáo kết quả' },
          { text: 'Sở Tư pháp' },
          { text: '' },
          { text: 'Quý IV/2024' },
        ],
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

  it('honours vertical merges as the reader does: rows under a merged lead or deadline are not missing it', () => {
    const g: Grid = {
      sheet: 'Phụ lục',
      kind: 'sheet',
      rows: [
        { index: 1, cells: [{ text: 'PHỤ LỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH' }] },
        { index: 2, cells: HEADER.map((text) => ({ text })) },
        { index: 3, cells: [{ text: 'I' }, { text: 'Cải cách thể chế' }] },
        // Lead D4:D6 and deadline F4:F6 merged over three tasks; the last task fills its own.
        {
          index: 4,
          cells: ['1', 'Rà soát văn bản', 'Báo cáo rà soát', 'Sở TT&TT', '', 'Quý II/2026'].map((text) => ({ text })),
        },
        {
          index: 5,
          cells: [
            { text: '2' },
            { text: 'Kiểm tra văn bản' },
            { text: 'Kết luận' },
            { text: '', mergedInto: 'D4' },
            { text: '' },
            { text: '', mergedInto: 'F4' },
          ],
        },
        {
          index: 6,
          cells: [
            { text: '3' },
            { text: 'Hệ thống hóa văn bản' },
            { text: 'Danh mục' },
            { text: '', mergedInto: 'D4' },
            { text: '' },
            { text: '', mergedInto: 'F4' },
          ],
        },
        {
          index: 7,
          cells: [
            { text: '4' },
            { text: 'Tuyên truyền' },
            { text: 'Kế hoạch' },
            { text: '' },
            { text: '' },
            { text: 'Năm 2026' },
          ],
        },
      ],
      merges: ['D4:D6', 'F4:F6'],
    };
    const ctx = { directory, province: 'ninh-binh', planYear: 2026 };
    const result = readAnnex([g], ctx);
    const tasks = result.annex.sections[0].tasks;
    // The reader gives the merged lead and deadline to every covered task ...
    expect(tasks.map((t) => [t.number, t.lead.map((x) => x.text), t.timeline.text])).toEqual([
      ['1', ['Sở TT&TT'], 'Quý II/2026'],
      ['2', ['Sở TT&TT'], 'Quý II/2026'],
      ['3', ['Sở TT&TT'], 'Quý II/2026'],
      ['4', [], 'Năm 2026'],
    ]);
    const report = validate(result, ctx);
    // ... and so do the rules: only the task with an empty, unmerged lead cell misses one.
    expect(byCode(report, 'lead.missing').map((d) => d.location.cell)).toEqual(['D7']);
    expect(byCode(report, 'timeline.missing')).toEqual([]);
    // The merged name is checked once, at the merged cell, with its fix on that cell.
    const sup = byCode(report, 'agency.superseded');
    expect(sup.map((d) => d.location.cell)).toEqual(['D4']);
    expect(sup[0].fix!.edits.map((e) => e.cell)).toEqual(['D4']);
    // The officer is still told about the merges.
    expect(byCode(report, 'cell.merged').map((d) => d.params!.range)).toEqual(['D4:D6', 'F4:F6']);

    // Without grid.merges (an adapter that only marks covered cells) the result is the same.
    const { merges: _m, ...unlisted } = g;
    expect(validate(readAnnex([unlisted], ctx), ctx).diagnostics.filter((d) => d.code !== 'cell.merged')).toEqual(
      report.diagnostics.filter((d) => d.code !== 'cell.merged'),
    );

    // A session follows edits of the merged cell into the covered rows.
    const session = createSession([g], ctx);
    expect(session.report()).toEqual(report);
    const cleared = session.update([{ sheet: 'Phụ lục', row: 4, column: 4, text: '' }]);
    expect(byCode(cleared, 'lead.missing').map((d) => d.location.cell)).toEqual(['D4', 'D5', 'D6', 'D7']);
    expect(cleared).toEqual(validate(readAnnex(session.grids(), ctx), ctx));
  });
});
