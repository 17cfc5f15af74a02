import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSession, textToGrid } from '../../../engine/index.js';
import { groupIssues, summaryText, describeEdit, describeError } from '../../../addin/ui/render.js';
import { FakeOfficeError } from '../../../addin/testing/fake-excel.js';

describe('pane rendering helpers', () => {
  const grid = { ...textToGrid(readFileSync('seeds/002_2bb1168879fd1a86.txt', 'utf8'), 'PL'), kind: 'sheet' as const };
  const report = createSession([grid], {}).report();

  it('groups issues by severity (errors first) and by the section their row is in', () => {
    const groups = groupIssues(report);
    const order = { error: 0, warning: 1, info: 2 };
    expect(groups.map((g) => order[g.severity])).toEqual([...groups.map((g) => order[g.severity])].sort());
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(report.diagnostics.length);
    const warnings = groups.find((g) => g.severity === 'warning')!;
    const organisation = warnings.sections.find((s) => s.title.startsWith('III.'))!;
    expect(organisation.issues.map((d) => d.location.cell)).toEqual(expect.arrayContaining(['C290', 'C291', 'C294']));
    for (const s of warnings.sections) {
      const rows = s.issues.map((d) => d.location.row);
      expect(rows).toEqual([...rows].sort((a, b) => a - b));
    }
    expect(summaryText(report)).toMatch(/^\d+ lỗi, \d+ cảnh báo, \d+ gợi ý — 7 mục, \d+ nhiệm vụ/);
  });

  it('describes edits and Office errors in Vietnamese', () => {
    expect(describeEdit({ sheet: 'PL', row: 2, column: 3, cell: 'C2', from: 'Theo lộ trình', to: '' })).toBe(
      'C2: “Theo lộ trình” → (trống)',
    );
    expect(describeError(new FakeOfficeError('ItemNotFound', 'The requested resource does not exist.'))).toMatch(
      /^Không tìm thấy trang tính.*\(mã lỗi Excel: ItemNotFound\)$/,
    );
    expect(describeError(new Error('Chưa chọn đợt nộp.'))).toBe('Chưa chọn đợt nộp.');
  });
});
