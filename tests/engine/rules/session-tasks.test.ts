// A session re-reads from the task before an edit and takes over the groups of the tasks it did not walk again:
// an edit that gives an earlier task one more row (blank rows in between, so the re-read starts at that task)
// must not leave the task's old group in place. Every update is compared with a fresh read and validation.
import { describe, expect, it } from 'vitest';
import { readAnnex } from '../../../engine/read/index.js';
import { createSession, validate } from '../../../engine/rules/validate.js';
import { HEADER, directory, sheet } from './helpers.js';

const ctx = { directory, province: 'nam-dinh', planYear: 2024 };

function annex(): ReturnType<typeof sheet> {
  const rows: string[][] = [
    ['PHỤ LỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH'],
    HEADER,
    ['I', 'CẢI CÁCH THỂ CHẾ', '', '', '', ''],
  ];
  for (let t = 1; t <= 12; t++) {
    rows.push([
      String(t),
      `Rà soát văn bản quy phạm pháp luật nhóm ${t}`,
      `Báo cáo ${t}`,
      'Sở Tư pháp',
      'Sở Nội vụ',
      'Quý II/2024',
    ]);
    // Blank rows after some tasks: a re-read then starts at the task before the edited row.
    if (t % 3 === 0) for (let k = 0; k < 6; k++) rows.push(['', '', '', '', '', '']);
  }
  return sheet(rows);
}

describe('session updates within one section', () => {
  it('equal a fresh read when an edit adds a row to, or takes one from, a task the re-read started at', () => {
    const grid = annex();
    const session = createSession([grid], ctx);
    const rowOf = (n: number) => session.grids()[0].rows.find((r) => r.cells[0]?.text === String(n))!.index;
    const edits = [
      // Task 4's row loses its number and text: a product row of task 3 (six blank rows above it), with a lead
      // agency and a timeline the task group's rules report.
      [
        { column: 1, text: '' },
        { column: 2, text: '' },
        { column: 4, text: '' },
        { column: 6, text: 'Năm 2019' },
      ],
      // And back.
      [
        { column: 1, text: '4' },
        { column: 2, text: 'Rà soát văn bản quy phạm pháp luật nhóm 4' },
      ],
      [{ column: 3, text: 'Báo cáo 4 (sửa)' }],
      [{ column: 2, text: 'rà soát tiếp' }],
    ];
    let partial = 0;
    for (const target of [4, 7, 10]) {
      const row = rowOf(target);
      for (const cells of edits) {
        const report = session.update(cells.map((c) => ({ sheet: grid.sheet, row, ...c })));
        if (session.lastRead() === 'partial') partial++;
        const grids = session.grids();
        expect(session.result().rowRoles).toEqual(readAnnex(grids, ctx).rowRoles);
        expect(report).toEqual(validate(readAnnex(grids, ctx), { ...ctx, grids }));
      }
    }
    expect(partial).toBeGreaterThan(0);
  });
});
