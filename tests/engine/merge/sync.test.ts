// Sync helpers: task id assignment, sync status, id column stamping, inserting assigned tasks into a
// sheet and rendering a merged annex back to a table — on the real seed documents.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  annexToGrid,
  assignTaskIds,
  derivedTaskId,
  insertAssignedTasks,
  readAnnex,
  stampTaskIds,
  syncStatus,
  textToGrid,
  TASK_ID_HEADER,
  validate,
  type Annex,
  type AssignedTask,
  type Grid,
} from '../../../engine/index.js';
import { defaultDirectory } from '../../../data/index.js';

const seedGrid = (file: string): Grid => textToGrid(readFileSync(`seeds/${file}`, 'utf8'), file);
const tasks = (a: Annex) => a.sections.flatMap((s) => s.tasks);
const counter = () => {
  let n = 0;
  return () => `NV-TEST${String(++n).padStart(4, '0')}`;
};
const codes = (grids: Grid[], directory: Awaited<ReturnType<typeof defaultDirectory>>) => {
  const ctx = { directory, province: 'nam-dinh', planYear: 2023 };
  const report = validate(readAnnex(grids, ctx), ctx);
  const m: Record<string, number> = {};
  for (const d of report.diagnostics) m[d.code] = (m[d.code] ?? 0) + 1;
  return m;
};

describe('syncStatus', () => {
  it('tells in sync, ahead, behind and diverged apart', () => {
    expect(syncStatus({ baseVersion: 3, dirty: false }, { latestVersion: 3 })).toBe('in-sync');
    expect(syncStatus({ baseVersion: 3, dirty: true }, { latestVersion: 3 })).toBe('ahead');
    expect(syncStatus({ baseVersion: 2, dirty: false }, { latestVersion: 3 })).toBe('behind');
    expect(syncStatus({ baseVersion: 2, dirty: true }, { latestVersion: 3 })).toBe('diverged');
    expect(syncStatus({ baseVersion: 0, dirty: true }, { latestVersion: 0 })).toBe('ahead');
    expect(syncStatus({ baseVersion: 4, dirty: false }, { latestVersion: 3 })).toBe('diverged');
    expect(() => syncStatus({ baseVersion: -1, dirty: false }, { latestVersion: 3 })).toThrow(/baseVersion/);
  });
});

describe('assignTaskIds', () => {
  it('keeps ids, takes back the previous version’s ids by text, gives copies and new tasks new ids', async () => {
    const directory = await defaultDirectory();
    const v1 = readAnnex([seedGrid('000_683635a77beddbc9.txt')], { directory }).annex;
    const v1Json = JSON.stringify(v1);
    const first = assignTaskIds(v1, null, counter());
    expect(first.assigned.length).toBe(24);
    expect(first.assigned.every((a) => !a.reused)).toBe(true);
    expect(new Set(tasks(first.annex).map((t) => t.id)).size).toBe(24);
    expect(tasks(v1).every((t) => !t.id)).toBe(true); // input untouched
    expect(JSON.stringify(v1)).toBe(v1Json);

    // The next upload lost the ids (a file), reordered sections, reworded one task and added one.
    const v2 = structuredClone(v1);
    v2.sections.reverse();
    const reworded = tasks(v2)[10];
    const rewordedText = reworded.task;
    expect(tasks(v1).filter((t) => t.task === rewordedText).length).toBe(1);
    reworded.task = reworded.task.replace(/\.$/, '') + ' (sửa lần 2)';
    const copy = structuredClone(tasks(v2)[0]);
    copy.task = 'Tổ chức hội nghị tập huấn nghiệp vụ kiểm soát thủ tục hành chính cho cán bộ đầu mối';
    v2.sections[0].tasks.push(copy);
    // And one task keeps an id that another task of the same upload also carries (a copied row).
    tasks(v2)[1].id = 'NV-KEEP0001';
    tasks(v2)[2].id = 'NV-KEEP0001';
    const second = assignTaskIds(v2, first.annex, counter());
    // The seed lists one task text twice (in two sections): either id of that text is right.
    const before = new Map<string, string[]>();
    for (const t of tasks(first.annex)) before.set(t.task, [...(before.get(t.task) ?? []), t.id!]);
    const after = tasks(second.annex);
    expect(after[1].id).toBe('NV-KEEP0001');
    expect(after[2].id).not.toBe('NV-KEEP0001');
    expect(second.assigned.find((a) => a.replaced === 'NV-KEEP0001')).toBeTruthy();
    for (const t of after) {
      if (t === after[1]) continue;
      if (before.has(t.task)) expect(before.get(t.task)).toContain(t.id);
    }
    expect(after.find((t) => t.task.endsWith('(sửa lần 2)'))!.id).toBe(before.get(rewordedText)![0]);
    const added = second.assigned.find((a) => a.row === copy.source.row && !a.reused);
    expect(added?.id).toMatch(/^NV-TEST/);
    expect(new Set(after.map((t) => t.id)).size).toBe(after.length);
  });

  it('derives the same id from the same text', () => {
    expect(derivedTaskId('plan|Rà soát văn bản')).toBe(derivedTaskId('plan|Rà soát văn bản'));
    expect(derivedTaskId('plan|Rà soát văn bản')).not.toBe(derivedTaskId('plan|Rà soát văn bản mới'));
    expect(derivedTaskId('x')).toMatch(/^NV-[A-Z0-9]{12}$/);
  });
});

describe('stampTaskIds and annexToGrid', () => {
  for (const file of [
    '000_683635a77beddbc9.txt',
    '001_03fdc25defdea198.txt',
    '002_2bb1168879fd1a86.txt',
    '004_065c492f3d915851.txt',
  ]) {
    it(`writes ids into a new "${TASK_ID_HEADER}" column of ${file} and reads them back, diagnostics unchanged`, async () => {
      const directory = await defaultDirectory();
      const grids = [seedGrid(file)];
      const read = readAnnex(grids, { directory });
      const { assigned } = assignTaskIds(read.annex, null, counter());
      const stamped = stampTaskIds(grids, read.annex, assigned);
      expect(stamped.idColumn?.added).toBe(true);
      expect(stamped.writes.length).toBe(assigned.length + 1);
      const again = readAnnex(stamped.grids, { directory });
      expect(tasks(again.annex).map((t) => [t.number, t.task, t.id])).toEqual(
        tasks(read.annex).map((t, i) => [t.number, t.task, assigned[i].id]),
      );
      expect(codes(stamped.grids, directory)).toEqual(codes(grids, directory));
      // Stamping again with the same ids writes nothing.
      expect(stampTaskIds(stamped.grids, again.annex, assigned).writes).toEqual([]);

      // The annex rendered as a plain table reads back to the same tasks, ids and sections.
      const plain = annexToGrid(again.annex);
      const back = readAnnex([plain], { directory }).annex;
      expect(back.sections.map((s) => s.area)).toEqual(again.annex.sections.map((s) => s.area));
      expect(tasks(back).map((t) => [t.number, t.task, t.id, t.products.length])).toEqual(
        tasks(again.annex).map((t) => [t.number, t.task, t.id, t.products.length]),
      );
    });
  }

  it('writes nothing for a prose document (no table to hold an id column)', async () => {
    const grids = [seedGrid('003_55934b83230912c8.txt')];
    const read = readAnnex(grids, {});
    const { assigned } = assignTaskIds(read.annex, null, counter());
    expect(assigned.length).toBeGreaterThan(0);
    const r = stampTaskIds(grids, read.annex, assigned);
    expect(r.idColumn).toBeNull();
    expect(r.grids).toEqual(grids);
  });
});

/** What the add-in does with an insertion result: insert empty rows (ascending), then write the cells. */
function hostApply(
  grid: Grid,
  r: { insertedRows: number[]; writes: { row: number; column: number; text: string }[] },
): Grid {
  const g = structuredClone(grid);
  for (const at of r.insertedRows) {
    for (const row of g.rows) if (row.index >= at) row.index++;
    g.rows.push({ index: at, cells: [] });
  }
  for (const w of r.writes) {
    const row =
      g.rows.find((x) => x.index === w.row) ?? (g.rows.push({ index: w.row, cells: [] }), g.rows[g.rows.length - 1]);
    while (row.cells.length < w.column) row.cells.push({ text: '' });
    row.cells[w.column - 1] = { text: w.text };
  }
  return g;
}

/** Non-empty cells as "row:column=text", for comparing sheets regardless of padding and row order. */
const cellsOf = (g: Grid) =>
  g.rows
    .flatMap((r) => r.cells.map((c, i) => (c.text.trim() ? `${r.index}:${i + 1}=${c.text}` : '')))
    .filter(Boolean)
    .sort();

describe('insertAssignedTasks', () => {
  async function assignedFromPlan(agencyId: string): Promise<AssignedTask[]> {
    const directory = await defaultDirectory();
    const plan = readAnnex([seedGrid('000_683635a77beddbc9.txt')], { directory }).annex;
    const out: AssignedTask[] = [];
    for (const s of plan.sections) {
      for (const t of s.tasks) {
        const lead = t.lead.some((r) => r.id === agencyId);
        const support = t.support.some((r) => r.id === agencyId);
        if (!lead && !support) continue;
        out.push({
          id: derivedTaskId(t.task),
          number: t.number,
          task: t.task,
          area: s.area,
          sectionTitle: s.title,
          role: lead ? 'lead' : 'support',
          products: t.products.map((p) => ({ number: p.number, text: p.text })),
          lead: t.lead.map((r) => r.name ?? r.text),
          support: t.support.map((r) => r.name ?? r.text),
          timeline: t.timeline.text,
        });
      }
    }
    return out;
  }

  it('inserts missing tasks into their reform-area sections of another agency’s sheet, numbered, with ids', async () => {
    const directory = await defaultDirectory();
    const assigned = await assignedFromPlan('nam-dinh/so-tu-phap');
    expect(assigned.length).toBeGreaterThanOrEqual(3);
    const grid = seedGrid('002_2bb1168879fd1a86.txt');
    const before = readAnnex([grid], { directory }).annex;
    const r = insertAssignedTasks(grid, assigned);
    expect(r.inserted.length).toBe(assigned.length);
    expect(r.linked).toEqual([]);
    expect(r.idColumn.added).toBe(true);
    const after = readAnnex([r.grid], { directory }).annex;
    expect(tasks(after).length).toBe(tasks(before).length + assigned.length);
    for (const a of assigned) {
      const section = after.sections.find((s) => s.tasks.some((t) => t.id === a.id))!;
      expect(section.area).toBe(a.area);
      const t = section.tasks.find((x) => x.id === a.id)!;
      expect(t.task).toBe(a.task);
      expect(t.products.length).toBe(a.products.length);
      // Bình Thuận's table has no note column: the mark goes only where there is one.
      expect(t.note).toBeUndefined();
      expect(r.insertedRows).toContain(t.source.row);
    }
    // Each section's numbers still run 1..n: nothing duplicated, no gap.
    for (const s of after.sections) expect(s.tasks.map((t) => t.number)).toEqual(s.tasks.map((_, i) => String(i + 1)));
    const c0 = codes([grid], directory);
    const c1 = codes([r.grid], directory);
    for (const k of [
      'number.duplicate',
      'number.gap',
      'number.out-of-order',
      'row.orphan',
      'document.truncated',
      'product.number-mismatch',
    ])
      expect(c1[k] ?? 0).toBe(c0[k] ?? 0);
    // The officer's own tasks are all still there, unchanged.
    expect(
      tasks(after)
        .filter((t) => !t.id)
        .map((t) => t.task),
    ).toEqual(tasks(before).map((t) => t.task));

    // A host (Excel) gets the same sheet by inserting empty rows at insertedRows, then writing the cells.
    expect(cellsOf(hostApply(grid, r))).toEqual(cellsOf(r.grid));

    // Pulling again inserts nothing: every task is present by id.
    const again = insertAssignedTasks(r.grid, assigned);
    expect(again.inserted).toEqual([]);
    expect(again.present.sort()).toEqual(assigned.map((a) => a.id).sort());
  });

  it('writes lead and support into a combined "Phân công" column (Khánh Hòa layout) that reads back as such', async () => {
    const directory = await defaultDirectory();
    const assigned = await assignedFromPlan('nam-dinh/so-tu-phap');
    const grid = seedGrid('001_03fdc25defdea198.txt');
    const r = insertAssignedTasks(grid, assigned);
    expect(r.inserted.length).toBe(assigned.length);
    const after = readAnnex([r.grid], { directory }).annex;
    for (const a of assigned) {
      const t = tasks(after).find((x) => x.id === a.id)!;
      expect(t.raw?.assignment ?? '').toContain(a.lead[0] ? `${a.lead.join(', ')} chủ trì` : 'Phối hợp');
      expect(t.lead.map((l) => l.text)).toEqual(expect.arrayContaining(a.lead.length ? [a.lead[0]] : []));
      expect(t.timeline.text).toBe(a.timeline);
    }
  });

  it('links assigned tasks already typed in without id and inserts the one missing at its section end', async () => {
    const directory = await defaultDirectory();
    const assigned = await assignedFromPlan('nam-dinh/so-tu-phap');
    // The plan itself as the sheet, minus the last assigned task of section I: that one is inserted, the rest linked.
    const plan = seedGrid('000_683635a77beddbc9.txt');
    const read = readAnnex([plan], { directory }).annex;
    const institution = read.sections.find((s) => s.area === 'institution')!;
    const drop = institution.tasks.at(-1)!;
    const missing = assigned.find((a) => a.task === drop.task)!;
    expect(missing).toBeTruthy();
    const dropped: Grid = {
      ...plan,
      rows: plan.rows.filter((r) => !drop.rows.includes(r.index)).map((r, i) => ({ ...r, index: i + 1 })),
    };
    const r = insertAssignedTasks(dropped, assigned);
    expect(r.inserted.map((x) => x.id)).toEqual([missing.id]);
    expect(r.linked.map((x) => x.id).sort()).toEqual(
      assigned
        .filter((a) => a !== missing)
        .map((a) => a.id)
        .sort(),
    );
    expect(r.renumbered).toEqual([]);
    const after = readAnnex([r.grid], { directory }).annex;
    expect(tasks(after).length).toBe(24);
    expect(after.sections.map((s) => s.tasks.map((t) => t.number))).toEqual(
      read.sections.map((s) => s.tasks.map((t) => t.number)),
    );
    const back = after.sections.find((s) => s.area === 'institution')!.tasks.at(-1)!;
    expect([back.id, back.task, back.products.length, back.note]).toEqual([
      missing.id,
      drop.task,
      drop.products.length,
      undefined,
    ]);
    for (const l of r.linked) expect(tasks(after).find((t) => t.source.row === l.row)?.id).toBe(l.id);
  });

  it('keeps one numbering sequence across sections: later tasks move up', () => {
    const row = (index: number, ...texts: string[]) => ({ index, cells: texts.map((text) => ({ text })) });
    const grid: Grid = {
      sheet: 'Phụ lục',
      kind: 'sheet',
      rows: [
        row(1, 'STT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Thời gian thực hiện', 'Ghi chú'),
        row(2, 'I', 'CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH'),
        row(3, '1', 'Xây dựng kế hoạch CCHC năm 2023', 'Sở Tư pháp', 'Tháng 01/2023'),
        row(4, '2', 'Kiểm tra công tác CCHC tại các phòng chuyên môn', 'Sở Tư pháp', 'Quý III/2023'),
        row(5, 'II', 'CẢI CÁCH THỂ CHẾ'),
        row(6, '3', 'Rà soát văn bản quy phạm pháp luật về hộ tịch', 'Sở Tư pháp', 'Quý II/2023'),
        row(
          7,
          '4',
          'Theo dõi thi hành pháp luật về xử lý vi phạm hành chính',
          'Sở Tư pháp',
          'Thường xuyên',
          'Đang làm',
        ),
      ],
    };
    const a: AssignedTask = {
      id: 'NV-PLAN0002',
      number: '3',
      task: 'Tự đánh giá, chấm điểm Chỉ số cải cách hành chính',
      area: 'direction',
      sectionTitle: 'Công tác chỉ đạo, điều hành',
      role: 'lead',
      products: [],
      lead: ['Sở Tư pháp'],
      support: [],
      timeline: 'Tháng 12/2023',
    };
    const r = insertAssignedTasks(grid, [a]);
    expect(r.inserted).toEqual([{ id: 'NV-PLAN0002', row: 5 }]);
    expect(r.renumbered).toEqual([
      { row: 7, from: '3', to: '4' },
      { row: 8, from: '4', to: '5' },
    ]);
    expect(cellsOf(hostApply(grid, r))).toEqual(cellsOf(r.grid));
    const after = readAnnex([r.grid]).annex;
    expect(after.sections.map((s) => s.tasks.map((t) => [t.number, t.id ?? null, t.note ?? null]))).toEqual([
      [
        ['1', null, null],
        ['2', null, null],
        ['3', 'NV-PLAN0002', 'Nhiệm vụ tỉnh giao (chủ trì)'],
      ],
      [
        ['4', null, null],
        ['5', null, 'Đang làm'],
      ],
    ]);
  });

  it('adds a new section at the end for an area the sheet does not have, and explains a sheet without table', () => {
    const grid: Grid = {
      sheet: 'Phụ lục',
      kind: 'sheet',
      rows: [
        {
          index: 1,
          cells: [
            { text: 'STT' },
            { text: 'Nhiệm vụ' },
            { text: 'Sản phẩm' },
            { text: 'Cơ quan chủ trì' },
            { text: 'Cơ quan phối hợp' },
            { text: 'Thời gian thực hiện' },
          ],
        },
        { index: 2, cells: [{ text: 'I' }, { text: 'CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH' }] },
        {
          index: 3,
          cells: [
            { text: '1' },
            { text: 'Xây dựng kế hoạch CCHC năm 2023' },
            { text: 'Kế hoạch' },
            { text: 'Sở Tư pháp' },
            { text: '' },
            { text: 'Tháng 01/2023' },
          ],
        },
      ],
    };
    const a: AssignedTask = {
      id: 'NV-PLAN0001',
      number: '7',
      task: 'Triển khai nền tảng số phục vụ chỉ đạo điều hành',
      area: 'digital-government',
      sectionTitle: 'Xây dựng, phát triển Chính phủ điện tử, Chính phủ số',
      role: 'support',
      products: [{ text: 'Nền tảng được triển khai' }, { text: 'Báo cáo kết quả' }],
      lead: ['Sở Thông tin và Truyền thông'],
      support: ['Sở Tư pháp'],
      timeline: 'Quý III/2023',
    };
    const r = insertAssignedTasks(grid, [a]);
    expect(r.insertedRows).toEqual([4, 5, 6]);
    expect(
      r.grid.rows
        .find((x) => x.index === 4)
        ?.cells.slice(0, 2)
        .map((c) => c.text),
    ).toEqual(['II', a.sectionTitle]);
    expect(r.grid.rows.find((x) => x.index === 6)?.cells[2].text).toBe('1.2. Báo cáo kết quả');
    const after = readAnnex([r.grid]).annex;
    expect(after.sections.map((s) => [s.numeral, s.area, s.tasks.map((t) => [t.number, t.id ?? null])])).toEqual([
      ['I', 'direction', [['1', null]]],
      ['II', 'digital-government', [['1', 'NV-PLAN0001']]],
    ]);
    expect(grid.rows.length).toBe(3); // input untouched
    expect(() =>
      insertAssignedTasks({ sheet: 'Trống', kind: 'sheet', rows: [{ index: 1, cells: [{ text: 'Ghi chép' }] }] }, [a]),
    ).toThrow(/Trống.*bảng phụ lục/);
  });
});
