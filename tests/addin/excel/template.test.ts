import { describe, expect, it } from 'vitest';
import { FakeExcelHost } from '../../../addin/testing/fake-excel.js';
import { insertTemplate, templateValues } from '../../../addin/excel/template.js';
import { applyDropdowns, LIST_SHEET } from '../../../addin/excel/dropdowns.js';
import { templateLayout } from '../../../templates/annex-template.js';
import { createSession } from '../../../engine/index.js';
import { defaultDirectory } from '../../../data/index.js';
import { readSheet } from './helpers.js';

describe('template insertion and dropdowns', () => {
  it('inserts the annex template into a new sheet that the engine reads as an empty annex with seven sections', async () => {
    const h = new FakeExcelHost();
    h.addSheet('Phụ lục', [['đã có dữ liệu']]);
    const before = h.syncCount;
    const t = await insertTemplate(h as never, 2026);
    expect(h.syncCount - before).toBe(2);
    expect(t.sheetName).toBe('Phụ lục (2)');
    expect(h.activeSheet().name).toBe('Phụ lục (2)');
    expect(h.sheet('Phụ lục').cells.size).toBe(1); // the existing sheet is untouched
    const layout = t.layout;
    const header = layout.columns.map((c) => h.text(t.sheetName, `${c.letter}${layout.headerRow}`));
    expect(header.slice(0, 6)).toEqual([
      'STT',
      'Nhiệm vụ',
      'Sản phẩm',
      'Cơ quan chủ trì',
      'Cơ quan phối hợp',
      'Thời gian thực hiện',
    ]);
    expect(h.text(t.sheetName, `B${layout.sections[0].row}`)).toBe(layout.sections[0].title);
    expect(h.sheet(t.sheetName).frozenRows).toBe(layout.headerRow);
    expect(h.sheet(t.sheetName).formats.get(`${layout.headerRow - 1},0`)?.bold).toBe(true);
    // What the engine makes of it: the header is found and all seven reform areas are sections.
    const snap = await readSheet(h, t.sheetName);
    const report = createSession([snap.grid], {}).report();
    expect(report.meta.headerRow).toBe(layout.headerRow);
    expect(report.sections.map((s) => s.area)).toEqual(layout.sections.map((s) => s.area));
    expect(report.diagnostics.filter((d) => d.code.startsWith('header.'))).toEqual([]);
  });

  it('builds the value grid from the template layout', () => {
    const layout = templateLayout({ year: 2026 });
    const v = templateValues(layout);
    expect(v).toHaveLength(layout.lastDataRow);
    expect(v[layout.sections[1].row - 1].slice(0, 2)).toEqual(['II', layout.sections[1].title]);
    expect(v[layout.sections[1].row].every((x) => x === '')).toBe(true);
  });

  it('puts agency and section lists on a hidden sheet and references them (no 255-character inline list)', async () => {
    const h = new FakeExcelHost();
    h.addSheet('PL', [['STT']]);
    const agencies = defaultDirectory()
      .agencies('binh-thuan', '2024-01-01')
      .map((a) => a.name);
    expect(agencies.join(',').length).toBeGreaterThan(255);
    const r = await applyDropdowns(
      h as never,
      { sheetName: 'PL', agencyColumns: [4, 5], sectionColumn: 2, sectionRows: [7, 9], firstRow: 6, lastRow: 105 },
      agencies,
      ['I. Công tác chỉ đạo', 'II. Cải cách thể chế'],
    );
    expect(r.cells).toBe(202);
    const lists = h.sheet(LIST_SHEET);
    expect(lists.visibility).toBe('Hidden');
    expect(h.text(LIST_SHEET, 'A1')).toBe(agencies[0]);
    expect(h.text(LIST_SHEET, 'B2')).toBe('II. Cải cách thể chế');
    const rules = h.sheet('PL').validations;
    expect(rules.map((v) => v.rule.list.source)).toEqual([
      `=${LIST_SHEET}!$A$1:$A$${agencies.length}`,
      `=${LIST_SHEET}!$A$1:$A$${agencies.length}`,
      `=${LIST_SHEET}!$B$1:$B$2`,
      `=${LIST_SHEET}!$B$1:$B$2`,
    ]);
    expect(rules.every((v) => v.errorAlert?.showAlert === false)).toBe(true);
    // running it again replaces the lists and rules instead of failing on existing validation
    await applyDropdowns(
      h as never,
      { sheetName: 'PL', agencyColumns: [4], firstRow: 6, lastRow: 105 },
      agencies.slice(0, 3),
      [],
    );
    expect(h.text(LIST_SHEET, 'A4')).toBe('');
    expect(h.sheet('PL').validations.filter((v) => v.rect.c1 === 3)).toHaveLength(1);
  });
});
