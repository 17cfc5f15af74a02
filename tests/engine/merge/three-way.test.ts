// Three-way merge of annex versions: the same task edited on both sides, deleted on one side,
// reordered, renumbered, reworded, added on both sides; resolution by choice; and the real seed plans.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MergeUnresolvedError,
  readAnnex,
  resolveMerge,
  textToGrid,
  threeWayMerge,
  type Annex,
  type AreaCode,
  type Grid,
  type MergeResult,
  type Task,
} from '../../../engine/index.js';
import { defaultDirectory } from '../../../data/index.js';

interface Spec {
  id?: string;
  n?: string;
  task: string;
  lead?: string;
  support?: string;
  due?: string;
  note?: string;
  products?: string[];
}

const ref = (text: string) => ({ text, name: text, kind: 'agency' as const });

/** A small annex: sections by area, tasks numbered as given or 1.. per section. */
function build(sections: { area: AreaCode; title?: string; tasks: Spec[] }[]): Annex {
  let row = 5;
  return {
    meta: { sheet: 'Phụ lục', headerRow: 4, layout: 'table' },
    sections: sections.map((s, si) => ({
      numeral: ['I', 'II', 'III', 'IV'][si],
      title: s.title ?? `Lĩnh vực ${s.area}`,
      area: s.area,
      source: { sheet: 'Phụ lục', row: row++ },
      tasks: s.tasks.map((t, ti): Task => {
        const r = row++;
        return {
          ...(t.id ? { id: t.id } : {}),
          number: t.n ?? String(ti + 1),
          task: t.task,
          products: (t.products ?? []).map((p, k) => ({
            number: `${t.n ?? ti + 1}.${k + 1}.`,
            text: p,
            lead: [],
            support: [],
            source: { sheet: 'Phụ lục', row: r },
          })),
          lead: t.lead ? [ref(t.lead)] : [],
          support: t.support ? [ref(t.support)] : [],
          timeline: t.due ? { kind: 'date', due: t.due, text: t.due } : { kind: 'empty', text: '' },
          ...(t.note ? { note: t.note } : {}),
          source: { sheet: 'Phụ lục', row: r, column: 2, cell: `B${r}` },
          rows: [r],
        };
      }),
    })),
  };
}

const A: Spec = {
  id: 'NV-AAAA',
  task: 'Rà soát, hệ thống hóa văn bản quy phạm pháp luật của tỉnh',
  lead: 'Sở Tư pháp',
  due: 'Quý II/2023',
};
const B: Spec = {
  id: 'NV-BBBB',
  task: 'Kiểm tra công tác cải cách hành chính tại các cơ quan',
  lead: 'Sở Nội vụ',
  due: 'Quý III/2023',
};
const C: Spec = {
  id: 'NV-CCCC',
  task: 'Công bố danh mục thủ tục hành chính mới ban hành',
  lead: 'Văn phòng UBND tỉnh',
  due: 'Thường xuyên',
};
const D: Spec = {
  id: 'NV-DDDD',
  task: 'Đào tạo, bồi dưỡng công chức làm công tác một cửa',
  lead: 'Sở Nội vụ',
  due: 'Quý IV/2023',
};

const plan = (specs: Spec[][]) =>
  build([
    { area: 'direction', tasks: specs[0] ?? [] },
    { area: 'procedure', tasks: specs[1] ?? [] },
  ]);
const noIds = (s: Spec): Spec => ({ ...s, id: undefined });
const entry = (r: MergeResult, text: string) => {
  const e = r.entries.find((x) => x.title.includes(text));
  if (!e) throw new Error(`no entry for "${text}"`);
  return e;
};
const tasksOf = (a: Annex) =>
  a.sections.flatMap((s) =>
    s.tasks.map((t) => ({
      section: s.area,
      number: t.number,
      task: t.task,
      id: t.id,
      due: t.timeline.text,
      lead: t.lead.map((l) => l.text).join(', '),
      note: t.note,
    })),
  );

describe('threeWayMerge', () => {
  it('reports nothing to do when no side changed', () => {
    const base = plan([[A, B], [C]]);
    const r = threeWayMerge(base, structuredClone(base), structuredClone(base));
    expect(r.clean).toBe(true);
    expect(r.entries.map((e) => e.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(r.entries.map((e) => e.match)).toEqual([
      { mine: 'id', theirs: 'id' },
      { mine: 'id', theirs: 'id' },
      { mine: 'id', theirs: 'id' },
    ]);
    expect(tasksOf(resolveMerge(r))).toEqual(tasksOf(base));
  });

  it('takes a change made on one side only', () => {
    const base = plan([[A, B], [C]]);
    const mine = plan([[{ ...A, due: 'Quý I/2023' }, B], [C]]);
    const theirs = plan([[A, B], [{ ...C, lead: 'Sở Tư pháp' }]]);
    const r = threeWayMerge(base, mine, theirs);
    expect(r.clean).toBe(true);
    expect(entry(r, 'Rà soát').status).toBe('mine');
    expect(entry(r, 'Rà soát').fields.timeline).toMatchObject({
      base: 'Quý II/2023',
      mine: 'Quý I/2023',
      theirs: 'Quý II/2023',
      merged: 'Quý I/2023',
      from: 'mine',
      conflict: false,
    });
    expect(entry(r, 'Công bố').status).toBe('theirs');
    expect(entry(r, 'Công bố').fields.lead).toMatchObject({
      base: 'Văn phòng UBND tỉnh',
      theirs: 'Sở Tư pháp',
      from: 'theirs',
    });
    const merged = tasksOf(resolveMerge(r));
    expect(merged.find((t) => t.id === 'NV-AAAA')?.due).toBe('Quý I/2023');
    expect(merged.find((t) => t.id === 'NV-CCCC')?.lead).toBe('Sở Tư pháp');
  });

  it('same task edited on both sides: different fields merge, same edit is both-same, different edits conflict', () => {
    const base = plan([[A, B, D], [C]]);
    const mine = plan([
      [
        { ...A, due: 'Quý I/2023' },
        { ...B, note: 'Đã có kế hoạch' },
        { ...D, due: 'Tháng 11/2023' },
      ],
      [C],
    ]);
    const theirs = plan([
      [
        { ...A, lead: 'Sở Nội vụ' },
        { ...B, note: 'Đã có kế hoạch' },
        { ...D, due: 'Tháng 12/2023' },
      ],
      [C],
    ]);
    const r = threeWayMerge(base, mine, theirs);
    expect(entry(r, 'Rà soát').status).toBe('merged');
    expect(entry(r, 'Kiểm tra').status).toBe('both-same');
    const d = entry(r, 'Đào tạo');
    expect(d.status).toBe('conflict');
    expect(d.conflicts).toEqual(['timeline']);
    expect(d.fields.timeline).toEqual({
      base: 'Quý IV/2023',
      mine: 'Tháng 11/2023',
      theirs: 'Tháng 12/2023',
      conflict: true,
    });
    expect(r.clean).toBe(false);
    expect(r.conflicts).toBe(1);

    // Nothing is overwritten silently: without a choice the conflict is an error naming the task and field.
    expect(() => resolveMerge(r)).toThrow(MergeUnresolvedError);
    try {
      resolveMerge(r);
    } catch (err) {
      expect((err as MergeUnresolvedError).unresolved).toEqual([
        { key: 'id:NV-DDDD', title: D.task, status: 'conflict', fields: ['timeline'] },
      ]);
      expect((err as Error).message).toContain('Đào tạo, bồi dưỡng');
    }

    const keepMine = tasksOf(resolveMerge(r, { 'id:NV-DDDD': 'mine' }));
    expect(keepMine.find((t) => t.id === 'NV-DDDD')?.due).toBe('Tháng 11/2023');
    const takeTheirs = tasksOf(resolveMerge(r, { 'id:NV-DDDD': 'theirs' }));
    expect(takeTheirs.find((t) => t.id === 'NV-DDDD')?.due).toBe('Tháng 12/2023');
    // Both non-conflicting edits of task A survive either way.
    for (const m of [keepMine, takeTheirs])
      expect(m.find((t) => t.id === 'NV-AAAA')).toMatchObject({ due: 'Quý I/2023', lead: 'Sở Nội vụ' });
    // Per field: a choice for the conflicting field, the rest merged.
    const perField = tasksOf(
      resolveMerge(r, { 'id:NV-DDDD': { fields: { timeline: 'theirs' } }, 'id:NV-AAAA': { fields: { lead: 'base' } } }),
    );
    expect(perField.find((t) => t.id === 'NV-DDDD')?.due).toBe('Tháng 12/2023');
    expect(perField.find((t) => t.id === 'NV-AAAA')).toMatchObject({ due: 'Quý I/2023', lead: 'Sở Tư pháp' });
    // A per-field choice that leaves the conflicting field out is still unresolved.
    expect(() => resolveMerge(r, { 'id:NV-DDDD': { fields: { note: 'mine' } } })).toThrow(/timeline/);
    expect(() => resolveMerge(r, { 'id:NV-XXXX': 'mine' })).toThrow(/NV-XXXX/);
  });

  it('a task deleted on one side is deleted, unless the other side edited it', () => {
    const base = plan([[A, B, D], [C]]);
    const mine = plan([[A, D], [C]]); // mine deleted B
    const theirs = plan([[A, B, { ...D, note: 'Phối hợp Trường Chính trị' }], []]); // theirs deleted C and edited D
    const r = threeWayMerge(base, mine, theirs);
    expect(entry(r, 'Kiểm tra').status).toBe('deleted-mine');
    expect(entry(r, 'Công bố').status).toBe('deleted-theirs');
    expect(entry(r, 'Đào tạo').status).toBe('theirs');
    expect(r.clean).toBe(true);
    const merged = resolveMerge(r);
    expect(tasksOf(merged).map((t) => t.id)).toEqual(['NV-AAAA', 'NV-DDDD']);
    // An empty section of mine stays (the officer's layout), renumbered.
    expect(merged.sections.map((s) => [s.numeral, s.area, s.tasks.length])).toEqual([
      ['I', 'direction', 2],
      ['II', 'procedure', 0],
    ]);
    // Deleted on both sides: the same change, gone.
    const both = threeWayMerge(base, plan([[A, D], [C]]), plan([[A, D], [C]]));
    expect(entry(both, 'Kiểm tra')).toMatchObject({ status: 'both-same', needsChoice: false });
    expect(tasksOf(resolveMerge(both)).map((t) => t.id)).toEqual(['NV-AAAA', 'NV-DDDD', 'NV-CCCC']);
    // Choosing base brings a deleted task back.
    expect(tasksOf(resolveMerge(r, { 'id:NV-BBBB': 'base' })).map((t) => t.id)).toEqual([
      'NV-AAAA',
      'NV-BBBB',
      'NV-DDDD',
    ]);

    // Deleted on one side, edited on the other: a choice is needed.
    const r2 = threeWayMerge(base, plan([[A, B], [C]]), plan([[A, B, { ...D, due: 'Tháng 6/2023' }], [C]]));
    const d = entry(r2, 'Đào tạo');
    expect(d.status).toBe('delete-edit-conflict');
    expect(d.needsChoice).toBe(true);
    expect(() => resolveMerge(r2)).toThrow(MergeUnresolvedError);
    expect(tasksOf(resolveMerge(r2, { [d.key]: 'mine' })).map((t) => t.id)).toEqual(['NV-AAAA', 'NV-BBBB', 'NV-CCCC']);
    expect(tasksOf(resolveMerge(r2, { [d.key]: 'theirs' })).find((t) => t.id === 'NV-DDDD')?.due).toBe('Tháng 6/2023');
    expect(tasksOf(resolveMerge(r2, {}, { fallback: 'theirs' })).some((t) => t.id === 'NV-DDDD')).toBe(true);
  });

  it('reordered and renumbered tasks still match (by id, and by text without ids)', () => {
    for (const withIds of [true, false]) {
      const s = (x: Spec) => (withIds ? x : noIds(x));
      const base = plan([[s(A), s(B), s(D)], [s(C)]]);
      // Mine sorted the section and renumbered; theirs edited B (which is number 1 in mine now).
      const mine = plan([
        [
          { ...s(B), n: '1' },
          { ...s(D), n: '2' },
          { ...s(A), n: '3' },
        ],
        [s(C)],
      ]);
      const theirs = plan([[s(A), { ...s(B), due: 'Quý IV/2023' }, s(D)], [s(C)]]);
      const r = threeWayMerge(base, mine, theirs);
      expect(r.clean).toBe(true);
      expect(r.orderFrom).toBe('mine');
      expect(r.entries.map((e) => e.status)).toEqual(['theirs', 'unchanged', 'unchanged', 'unchanged']);
      expect(r.entries[0].match).toEqual(withIds ? { mine: 'id', theirs: 'id' } : { mine: 'text', theirs: 'text' });
      const merged = tasksOf(resolveMerge(r));
      expect(merged.map((t) => [t.number, t.task.slice(0, 8), t.due])).toEqual([
        ['1', 'Kiểm tra', 'Quý IV/2023'],
        ['2', 'Đào tạo,', 'Quý IV/2023'],
        ['3', 'Rà soát,', 'Quý II/2023'],
        ['1', 'Công bố ', 'Thường xuyên'],
      ]);
    }
  });

  it("follows theirs' order when only theirs reordered", () => {
    const base = plan([[A, B, D], [C]]);
    const mine = plan([[{ ...A, note: 'Đang thực hiện' }, B, D], [C]]);
    const theirs = plan([[D, A, B], [C]]);
    const r = threeWayMerge(base, mine, theirs);
    expect(r.orderFrom).toBe('theirs');
    const merged = resolveMerge(r);
    expect(tasksOf(merged).map((t) => [t.id, t.number, t.note])).toEqual([
      ['NV-DDDD', '1', undefined],
      ['NV-AAAA', '2', 'Đang thực hiện'],
      ['NV-BBBB', '3', undefined],
      ['NV-CCCC', '1', undefined],
    ]);
  });

  it('an insertion that renumbers every later task changes nothing else; continuous numbering is kept', () => {
    // One numbering sequence across sections (as in the Nam Định plan), no ids.
    const base = plan([[noIds(A), { ...noIds(B), n: '2' }], [{ ...noIds(C), n: '3' }]]);
    const NEW: Spec = {
      task: 'Tuyên truyền cải cách hành chính trên Cổng thông tin điện tử tỉnh',
      lead: 'Sở Thông tin và Truyền thông',
      due: 'Thường xuyên',
    };
    const mine = plan([
      [
        { ...NEW, n: '1' },
        { ...noIds(A), n: '2' },
        { ...noIds(B), n: '3' },
      ],
      [{ ...noIds(C), n: '4' }],
    ]);
    const theirs = plan([[noIds(A), { ...noIds(B), n: '2', note: 'Ưu tiên' }], [{ ...noIds(C), n: '3' }]]);
    const r = threeWayMerge(base, mine, theirs);
    expect(r.numbering).toBe('continuous');
    expect(r.entries.map((e) => e.status)).toEqual(['added-mine', 'unchanged', 'theirs', 'unchanged']);
    // The number is not a compared field: renumbering is no edit.
    expect(r.entries.every((e) => !('number' in e.fields))).toBe(true);
    const merged = tasksOf(resolveMerge(r));
    expect(merged.map((t) => [t.number, t.task.slice(0, 9), t.note])).toEqual([
      ['1', 'Tuyên tru', undefined],
      ['2', 'Rà soát, ', undefined],
      ['3', 'Kiểm tra ', 'Ưu tiên'],
      ['4', 'Công bố d', undefined],
    ]);
  });

  it('matches a reworded task without ids by word similarity, and keeps ids apart when they differ', () => {
    const base = plan([[noIds(A), noIds(B)], []]);
    const mine = plan([
      [{ ...noIds(A), task: 'Rà soát, hệ thống hóa các văn bản quy phạm pháp luật do tỉnh ban hành' }, noIds(B)],
      [],
    ]);
    const theirs = plan([[{ ...noIds(A), due: 'Quý III/2023' }, noIds(B)], []]);
    const r = threeWayMerge(base, mine, theirs);
    const a = entry(r, 'Rà soát');
    expect(a.match).toEqual({ mine: 'similar', theirs: 'text' });
    expect(a.status).toBe('merged');
    expect(tasksOf(resolveMerge(r))[0]).toMatchObject({
      task: 'Rà soát, hệ thống hóa các văn bản quy phạm pháp luật do tỉnh ban hành',
      due: 'Quý III/2023',
    });

    // Two tasks with the same text but different ids are different tasks.
    const base2 = plan([[A], []]);
    const r2 = threeWayMerge(base2, plan([[A, { ...A, id: 'NV-A2A2', due: 'Quý IV/2023' }], []]), plan([[A], []]));
    expect(r2.entries.map((e) => [e.key, e.status])).toEqual([
      ['id:NV-AAAA', 'unchanged'],
      ['id:NV-A2A2', 'added-mine'],
    ]);
  });

  it('the same task added on both sides is one entry; different additions both stay', () => {
    const base = plan([[A], [C]]);
    const N1: Spec = {
      task: 'Khảo sát mức độ hài lòng của người dân đối với dịch vụ hành chính công',
      lead: 'Sở Nội vụ',
      due: 'Quý III/2023',
    };
    const N2: Spec = {
      task: 'Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính',
      lead: 'Văn phòng UBND tỉnh',
      due: 'Thường xuyên',
    };
    const N3: Spec = { task: 'Thực hiện thanh toán trực tuyến phí, lệ phí', lead: 'Sở Tài chính', due: 'Quý IV/2023' };
    const r = threeWayMerge(
      base,
      plan([
        [A, N1],
        [C, N2],
      ]),
      plan([
        [A, N1],
        [C, N3],
      ]),
    );
    expect(r.entries.map((e) => [e.title.slice(0, 10), e.status])).toEqual([
      ['Rà soát, h', 'unchanged'],
      ['Khảo sát m', 'both-same'],
      ['Công bố da', 'unchanged'],
      ['Số hóa hồ ', 'added-mine'],
      ['Thực hiện ', 'added-theirs'],
    ]);
    const merged = resolveMerge(r);
    expect(merged.sections[1].tasks.map((t) => [t.number, t.task.slice(0, 10)])).toEqual([
      ['1', 'Công bố da'],
      ['2', 'Số hóa hồ '],
      ['3', 'Thực hiện '],
    ]);
    // Added on both sides with different details: a conflict on those fields only.
    const r2 = threeWayMerge(base, plan([[A, N1], [C]]), plan([[A, { ...N1, due: 'Quý II/2023' }], [C]]));
    expect(entry(r2, 'Khảo sát').status).toBe('conflict');
    expect(entry(r2, 'Khảo sát').conflicts).toEqual(['timeline']);
  });

  it('a task moved to another section on one side moves, and a new section from theirs is added', () => {
    const base = plan([[A, B], [C]]);
    const mine = plan([[A], [C, B]]);
    const theirs = build([
      { area: 'direction', tasks: [A, B] },
      { area: 'procedure', tasks: [C] },
      { area: 'digital-government', title: 'Xây dựng chính quyền số', tasks: [D] },
    ]);
    const r = threeWayMerge(base, mine, theirs);
    expect(entry(r, 'Kiểm tra').status).toBe('mine');
    expect(entry(r, 'Kiểm tra').fields.section).toMatchObject({
      base: 'Lĩnh vực direction',
      mine: 'Lĩnh vực procedure',
      from: 'mine',
    });
    expect(entry(r, 'Đào tạo').status).toBe('added-theirs');
    const merged = resolveMerge(r);
    expect(merged.sections.map((s) => [s.numeral, s.area, s.tasks.map((t) => t.id)])).toEqual([
      ['I', 'direction', ['NV-AAAA']],
      ['II', 'procedure', ['NV-CCCC', 'NV-BBBB']],
      ['III', 'digital-government', ['NV-DDDD']],
    ]);
  });

  it('a copied row with a duplicate id is a new task, not a second match', () => {
    const base = plan([[A, B], []]);
    const mine = plan([[A, B, { ...A, task: 'Rà soát văn bản quy phạm pháp luật về đất đai' }], []]);
    const r = threeWayMerge(base, mine, structuredClone(base));
    expect(r.entries.map((e) => e.status)).toEqual(['unchanged', 'unchanged', 'added-mine']);
    const keys = r.entries.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    const merged = tasksOf(resolveMerge(r));
    expect(merged.map((t) => t.id)).toEqual(['NV-AAAA', 'NV-BBBB', undefined]);
  });

  it('renumbers product sub-numbers with their task', () => {
    const base = plan([[{ ...A, products: ['Báo cáo rà soát', 'Danh mục văn bản'] }], []]);
    const NEW: Spec = {
      task: 'Ban hành kế hoạch cải cách hành chính năm 2023',
      lead: 'Sở Nội vụ',
      due: 'Tháng 1/2023',
    };
    const mine = plan([[NEW, { ...A, n: '2', products: ['Báo cáo rà soát', 'Danh mục văn bản'] }], []]);
    const merged = resolveMerge(threeWayMerge(base, mine, structuredClone(base)));
    expect(merged.sections[0].tasks[1].products.map((p) => p.number)).toEqual(['2.1.', '2.2.']);
  });
});

describe('threeWayMerge on a real plan (seed 000, Nam Định 2023)', () => {
  const text = readFileSync('seeds/000_683635a77beddbc9.txt', 'utf8');

  /** The seed with some lines edited: a function from line text to new text (or null to drop). */
  function variant(edit: (line: string) => string | null | string[]): Grid {
    const lines = text.split(/\r\n|\n|\r/).flatMap((l) => {
      const r = edit(l);
      return r === null ? [] : Array.isArray(r) ? r : [r];
    });
    return textToGrid(lines.join('\n'), 'KH 158.txt');
  }

  it('merges two officers’ edits of the plan without ids, by text', async () => {
    const directory = await defaultDirectory();
    const read = (g: Grid) => readAnnex([g], { directory }).annex;
    const base = read(variant((l) => l));
    const all = base.sections.flatMap((s) => s.tasks);
    expect(all.length).toBe(24);
    const t1 = all[0];
    const t5 = all[4];
    const t9 = all[8];
    // Mine: a new first line of the text → nothing; changes the timeline of task 5 and deletes task 9's row.
    const mineGrid = variant((l) => {
      const cells = l.split('\t');
      if (cells[1] && cells[1].trim() === t5.task.trim() && cells.length >= 6) {
        cells[5] = 'Quý IV/2023';
        return cells.join('\t');
      }
      if (cells[1] && cells[1].trim() === t9.task.trim()) return null;
      return l;
    });
    // Theirs: rewords task 1 slightly.
    const theirsGrid = variant((l) => (l.includes(t1.task) ? l.replace(t1.task, `${t1.task} (cập nhật)`) : l));
    const mine = read(mineGrid);
    const theirs = read(theirsGrid);
    const r = threeWayMerge(base, mine, theirs);
    const byStatus = (s: string) => r.entries.filter((e) => e.status === s).map((e) => e.title.slice(0, 30));
    expect(byStatus('theirs')).toEqual([t1.task.slice(0, 30)]);
    const e1 = r.entries.find((e) => e.fields.task?.theirs?.endsWith('(cập nhật)'));
    expect(e1?.match).toEqual({ mine: 'text', theirs: 'similar' });
    expect(e1?.fields.task).toMatchObject({
      base: t1.task,
      mine: t1.task,
      merged: `${t1.task} (cập nhật)`,
      from: 'theirs',
    });
    expect(byStatus('mine')).toEqual([t5.task.slice(0, 30)]);
    expect(
      r.entries.filter((e) => e.status === 'deleted-mine' || e.status === 'delete-edit-conflict').length,
    ).toBeGreaterThanOrEqual(1);
    expect(r.stats.conflict).toBe(0);
  });
});
