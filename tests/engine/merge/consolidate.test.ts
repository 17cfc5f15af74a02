import { describe, expect, it } from 'vitest';
import { consolidate, type ConsolidationInput } from '../../../engine/index.js';
import { annex, due } from './build.js';

const input = (
  agencyId: string,
  agencyName: string,
  a: ConsolidationInput['annex'],
  extra: Partial<ConsolidationInput> = {},
): ConsolidationInput => ({
  agencyId,
  agencyName,
  annex: a,
  version: 1,
  ...extra,
});

describe('consolidate: sections and numbering', () => {
  it('orders sections by Nghị quyết 76, unknown areas last, and renumbers tasks per section', () => {
    const a = annex('A', [
      { area: 'digital-government', tasks: [{ task: 'Triển khai nền tảng chia sẻ dữ liệu của tỉnh' }] },
      { area: null, title: 'Nhiệm vụ khác', tasks: [{ task: 'Tổng kết phong trào thi đua' }] },
      { area: 'institution', tasks: [{ task: 'Rà soát văn bản quy phạm pháp luật của tỉnh' }] },
    ]);
    const b = annex('B', [
      {
        area: 'direction',
        tasks: [{ task: 'Ban hành kế hoạch kiểm tra công vụ' }, { task: 'Họp giao ban định kỳ hằng quý' }],
      },
      { area: 'institution', tasks: [{ task: 'Kiểm tra tình hình thi hành pháp luật về xử lý vi phạm' }] },
    ]);
    const c = consolidate([input('so-a', 'Sở A', a), input('so-b', 'Sở B', b)]);
    expect(c.sections.map((s) => s.area)).toEqual(['direction', 'institution', 'digital-government', null]);
    expect(c.sections.map((s) => s.numeral)).toEqual(['I', 'II', 'III', 'IV']);
    expect(c.sections[0].title).toBe('Công tác chỉ đạo, điều hành cải cách hành chính');
    expect(c.sections[3].title).toBe('Nhiệm vụ khác');
    // Institution: A's task first (input order), then B's, numbered 1, 2.
    expect(c.sections[1].tasks.map((t) => [t.number, t.source.agencyId, t.source.number])).toEqual([
      ['1', 'so-a', '1'],
      ['2', 'so-b', '1'],
    ]);
    for (const s of c.sections) for (const t of s.tasks) expect(t.source.location.sheet).toMatch(/^[AB]$/);
    expect(c.stats).toMatchObject({ inputTasks: 6, tasks: 6, duplicatesMerged: 0 });
  });
});

describe('consolidate: near-duplicates', () => {
  const a = annex('A', [
    {
      area: 'direction',
      tasks: [
        { task: 'Ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2026', lead: ['Sở Nội vụ'] },
        { task: 'Ban hành Kế hoạch tuyên truyền CCHC năm 2026 của Sở' }, // same agency: never merged
      ],
    },
    { area: 'procedure', tasks: [{ task: 'Ban hành Kế hoạch tuyên truyền CCHC năm 2026' }] },
  ]);
  const b = annex('B', [
    {
      area: 'direction',
      tasks: [
        { task: 'Ban hành kế hoạch tuyên truyền CCHC năm 2026 của đơn vị', lead: ['Sở Tư pháp'] },
        { task: 'Kiểm tra công tác cải cách hành chính tại các đơn vị trực thuộc' },
      ],
    },
  ]);
  const c = consolidate([input('so-a', 'Sở A', a), input('so-b', 'Sở B', b)]);

  it('keeps every task and proposes a candidate group with its similarity and the words that differ', () => {
    expect(c.stats.tasks).toBe(c.stats.inputTasks);
    expect(c.duplicates).toEqual([]);
    expect(c.candidates).toHaveLength(1);
    const g = c.candidates[0];
    // A's two texts each resemble B's: the three are one group for the reviewer (A's are not linked directly).
    expect(g.members.map((m) => [m.source.agencyId, m.at])).toEqual([
      ['so-a', 'I.1'],
      ['so-a', 'I.2'],
      ['so-b', 'I.3'],
    ]);
    expect(g.minSimilarity).toBeGreaterThanOrEqual(0.5);
    expect(g.identical).toBe(false);
    expect(g.decision).toBeUndefined();
    // "cải cách hành chính" against "CCHC … của đơn vị": the words that set each apart, as written.
    expect(g.members[2].differs).toEqual(expect.arrayContaining(['CCHC', 'đơn', 'vị']));
    expect(g.members[0].differs).toEqual(['cải', 'cách', 'chính']);
    expect(c.stats).toMatchObject({ candidateGroups: 1, pendingGroups: 1, agencies: 2 });
  });

  it('tells a shared word from one inside another word ("an" in "ban", "hành")', () => {
    const x = annex('A', [
      { area: 'direction', tasks: [{ task: 'Ban hành kế hoạch bảo đảm an toàn thông tin mạng năm 2026' }] },
    ]);
    const y = annex('B', [
      {
        area: 'direction',
        tasks: [{ task: 'Ban hành kế hoạch bảo đảm toàn vẹn thông tin mạng năm 2026 của Sở' }],
      },
    ]);
    const g = consolidate([input('so-a', 'Sở A', x), input('so-b', 'Sở B', y)]).candidates[0];
    expect(g.members.map((m) => m.differs)).toEqual([['an'], ['vẹn', 'của', 'Sở']]);
  });

  it('never groups different texts of one agency, nor tasks of different areas', () => {
    const direction = c.sections.find((s) => s.area === 'direction')!;
    expect(direction.tasks.map((t) => t.source.agencyId)).toEqual(['so-a', 'so-a', 'so-b', 'so-b']);
    expect(c.candidates.flatMap((g) => g.members.map((m) => m.area))).toEqual(['direction', 'direction', 'direction']);
    expect(c.sections.find((s) => s.area === 'procedure')!.tasks).toHaveLength(1);
    expect(consolidate([input('so-a', 'Sở A', a)]).candidates).toEqual([]);
  });

  it('keeps tasks with different years or document numbers apart however alike their words', () => {
    const x = annex('X', [
      { area: 'direction', tasks: [{ task: 'Ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2023' }] },
    ]);
    const y = annex('Y', [
      {
        area: 'direction',
        tasks: [
          { task: 'Ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2024' },
          { task: 'Triển khai Kế hoạch số 12/KH-UBND về kiểm tra công tác cải cách hành chính' },
        ],
      },
    ]);
    const z = annex('Z', [
      {
        area: 'direction',
        tasks: [{ task: 'Triển khai Kế hoạch số 15/KH-UBND về kiểm tra công tác cải cách hành chính' }],
      },
    ]);
    const r = consolidate([input('x', 'Sở X', x), input('y', 'Sở Y', y), input('z', 'Sở Z', z)]);
    expect(r.candidates).toEqual([]);
    expect(r.stats.tasks).toBe(4);
  });

  it('groups identical texts of one agency, still as two rows until a reviewer merges them', () => {
    const twice = annex('T', [
      {
        area: 'direction',
        tasks: [
          { task: 'Tự kiểm tra công tác cải cách hành chính' },
          { task: 'Tự kiểm tra công tác cải cách hành chính' },
        ],
      },
    ]);
    const r = consolidate([input('t', 'Sở T', twice)]);
    expect(r.stats.tasks).toBe(2);
    expect(r.candidates).toHaveLength(1);
    expect(r.candidates[0].identical).toBe(true);
  });

  it('proposes nothing when the threshold is set above every similarity', () => {
    const strict = consolidate([input('so-a', 'Sở A', a), input('so-b', 'Sở B', b)], { duplicateThreshold: 1 });
    expect(strict.candidates).toEqual([]);
    expect(strict.stats.tasks).toBe(5);
  });
});

describe('consolidate: decisions of a reviewer', () => {
  const a = annex('A', [
    {
      area: 'direction',
      tasks: [
        {
          task: 'Ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2026',
          lead: ['Sở Nội vụ'],
          timeline: { kind: 'period', due: '2026-03-31', text: 'Quý I/2026' },
        },
      ],
    },
  ]);
  const b = annex('B', [
    {
      area: 'direction',
      tasks: [
        {
          task: 'Ban hành kế hoạch tuyên truyền cải cách hành chính năm 2026 của đơn vị',
          lead: ['Sở Tư pháp'],
          timeline: { kind: 'period', due: '2026-03-31', text: 'Tháng 3/2026' },
        },
      ],
    },
  ]);
  const inputs = [input('so-noi-vu', 'Sở Nội vụ', a), input('so-tu-phap', 'Sở Tư pháp', b)];
  const first = consolidate(inputs);
  const group = first.candidates[0];
  const merge = {
    group: group.id,
    action: 'merge' as const,
    members: group.members.map((m) => ({ agencyId: m.source.agencyId, task: m.task })),
  };

  it('merges a group into one row with every lead, every product and the timeline of each agency', () => {
    const r = consolidate(inputs, { decisions: [merge] });
    expect(r.stats).toMatchObject({ inputTasks: 2, tasks: 1, duplicatesMerged: 1, pendingGroups: 0 });
    const row = r.sections[0].tasks[0];
    expect(row.lead.map((x) => x.name)).toEqual(['Sở Nội vụ', 'Sở Tư pháp']);
    expect(row.timelines?.map((t) => [t.agencyName, t.timeline.text])).toEqual([
      ['Sở Nội vụ', 'Quý I/2026'],
      ['Sở Tư pháp', 'Tháng 3/2026'],
    ]);
    expect(row.duplicates.map((d) => d.source.agencyId)).toEqual(['so-tu-phap']);
    expect(r.candidates[0]).toMatchObject({ id: group.id, decision: 'merge' });
    expect(r.summary.byAgency.map((x) => [x.agencyId, x.kept, x.merged])).toEqual([
      ['so-noi-vu', 1, 0],
      ['so-tu-phap', 0, 1],
    ]);
    // Two agencies each lead the merged row: a conflict to settle.
    expect(r.conflicts.map((k) => k.claims.map((c) => c.agencyName))).toEqual([['Sở Nội vụ', 'Sở Tư pháp']]);
  });

  it('keeps a group apart when the reviewer says so, and the group id is the same in every build', () => {
    const r = consolidate(inputs, { decisions: [{ ...merge, action: 'apart' }] });
    expect(r.stats).toMatchObject({ tasks: 2, duplicatesMerged: 0, pendingGroups: 0 });
    expect(r.candidates[0].decision).toBe('apart');
    expect(consolidate(inputs).candidates[0].id).toBe(group.id);
  });

  it('keeps the group ids decisions were saved with (agencies that begin others, control characters)', () => {
    // Ids made by hashing the members' sorted "agency U+0001 folded text" keys, as saved decisions hold them.
    const text = 'Ban hành kế hoạch tuyên truyền cải cách hành chính năm 2026';
    const ids = [
      ['so', 'so-a', 'so\u0001b'],
      ['b\u0000', 'b', 'a'],
      ['so-b', 'so'],
    ].map((agencies) => {
      const inputs = agencies.map((id, i) =>
        input(
          id,
          `Sở ${i}`,
          annex('S', [{ area: 'direction', tasks: [{ task: text }, { task: `${text} của đơn vị ${i}` }] }]),
        ),
      );
      return consolidate(inputs).candidates.map((g) => g.id);
    });
    expect(ids).toEqual([['g8isryx1i80nwn'], ['gl2zuqf1jipiul'], ['gls6wuq1ohfqbw']]);
  });

  it('does not apply a decision whose task text changed since; it is reported as stale', () => {
    const changed = annex('B', [
      {
        area: 'direction',
        tasks: [{ task: 'Ban hành kế hoạch tuyên truyền cải cách hành chính năm 2026 của Sở', lead: ['Sở Tư pháp'] }],
      },
    ]);
    const r = consolidate([inputs[0], input('so-tu-phap', 'Sở Tư pháp', changed)], { decisions: [merge] });
    expect(r.stats.tasks).toBe(2);
    expect(r.staleDecisions).toHaveLength(1);
    expect(r.staleDecisions[0].missing).toEqual([{ agencyId: 'so-tu-phap', task: b.sections[0].tasks[0].task }]);
    expect(r.candidates[0].decision).toBeUndefined();
  });
});

describe('consolidate: lead conflicts and plan coverage', () => {
  const plan = annex('KH', [
    {
      area: 'digital-government',
      tasks: [
        { task: 'Xây dựng Kế hoạch chuyển đổi số của tỉnh năm 2026', lead: ['Sở Khoa học và Công nghệ'] },
        { task: 'Duy trì hệ thống quản lý văn bản và điều hành liên thông bốn cấp', lead: ['Văn phòng UBND tỉnh'] },
      ],
    },
    { area: 'civil-service', tasks: [{ task: 'Tuyển dụng công chức theo vị trí việc làm', lead: ['Sở Nội vụ'] }] },
  ]);
  const khcn = annex('KHCN', [
    {
      area: 'digital-government',
      tasks: [{ task: 'Xây dựng Kế hoạch chuyển đổi số tỉnh năm 2026', lead: ['Sở Khoa học và Công nghệ'] }],
    },
  ]);
  const vp = annex('VP', [
    {
      area: 'digital-government',
      tasks: [
        { task: 'Xây dựng kế hoạch chuyển đổi số của tỉnh năm 2026', lead: ['Văn phòng UBND tỉnh'] },
        { task: 'Duy trì hệ thống quản lý văn bản và điều hành liên thông', lead: ['Văn phòng UBND tỉnh'] },
      ],
    },
  ]);
  const inputs = [input('khcn', 'Sở Khoa học và Công nghệ', khcn), input('vp', 'Văn phòng UBND tỉnh', vp)];

  it('reports two agencies each claiming the lead of one plan task', () => {
    const c = consolidate(inputs, { planAnnex: plan });
    expect(c.conflicts).toHaveLength(1);
    const k = c.conflicts[0];
    expect(k.planTask?.number).toBe('1');
    expect(
      k.claims
        .filter((x) => x.by === 'submission')
        .map((x) => x.agencyId)
        .sort(),
    ).toEqual(['khcn', 'vp']);
    expect(k.claims.find((x) => x.by === 'plan')?.agencyName).toBe('Sở Khoa học và Công nghệ');
  });

  it('lists plan tasks no agency took up', () => {
    const c = consolidate(inputs, { planAnnex: plan });
    expect(c.coverage?.planTasks).toBe(3);
    expect(c.coverage?.uncovered.map((p) => p.task)).toEqual(['Tuyển dụng công chức theo vị trí việc làm']);
    const second = c.coverage!.items[1];
    expect(second.takenUpBy.map((t) => t.source.agencyId)).toEqual(['vp']);
    expect(c.stats.uncovered).toBe(1);
  });

  it('finds no conflict when only the plan lead claims it', () => {
    const c = consolidate([inputs[0]], { planAnnex: plan });
    expect(c.conflicts).toEqual([]);
  });

  it('without a plan, a merged group led by two agencies is a conflict', () => {
    const g = consolidate(inputs).candidates.find((x) => x.members.length === 2)!;
    const members = g.members.map((m) => ({ agencyId: m.source.agencyId, task: m.task }));
    const c = consolidate(inputs, { decisions: [{ group: g.id, action: 'merge', members }] });
    expect(c.duplicates).toHaveLength(1);
    expect(c.conflicts).toHaveLength(1);
    expect(c.conflicts[0].planTask).toBeUndefined();
    expect(c.conflicts[0].claims.map((x) => x.agencyId)).toEqual(['khcn', 'vp']);
  });
});

describe('consolidate: summary', () => {
  const a = annex('A', [
    {
      area: 'direction',
      tasks: [
        { task: 'Báo cáo công tác quý I', timeline: due('2026-03-31') },
        { task: 'Báo cáo sáu tháng đầu năm', timeline: due('2026-06-15'), note: 'Đã hoàn thành' },
        { task: 'Kiểm tra cải cách hành chính', timeline: due('2026-06-30') },
        { task: 'Tổng kết năm', timeline: due('2026-12-20') },
        {
          task: 'Theo dõi, đôn đốc thường xuyên',
          timeline: { kind: 'recurring', recurrence: 'continuous', text: 'Thường xuyên' },
        },
        {
          task: 'Sửa đổi quy chế khi có hướng dẫn',
          timeline: {
            kind: 'conditional',
            condition: 'văn bản hướng dẫn',
            offset: 'P2M',
            text: 'Sau 02 tháng kể từ khi có hướng dẫn',
          },
        },
        { task: 'Nhiệm vụ chưa có thời hạn' },
      ],
    },
  ]);
  const c = consolidate([input('so-a', 'Sở A', a)], { today: '2026-07-01' });

  it('counts tasks per quarter, recurring and conditional apart', () => {
    expect(c.summary.byQuarter.map((q) => [q.key, q.tasks])).toEqual([
      ['2026-Q1', 1],
      ['2026-Q2', 2],
      ['2026-Q4', 1],
    ]);
    expect(c.summary).toMatchObject({ recurring: 1, conditional: 1, undated: 1 });
    expect(c.summary.byArea).toEqual([
      { area: 'direction', title: 'Công tác chỉ đạo, điều hành cải cách hành chính', tasks: 7 },
    ]);
  });

  it('lists tasks due before today and not done as overdue', () => {
    expect(c.summary.overdue.map((o) => [o.number, o.due])).toEqual([
      ['I.1', '2026-03-31'],
      ['I.3', '2026-06-30'],
    ]);
    expect(c.sections[0].tasks.filter((t) => t.overdue)).toHaveLength(2);
    expect(c.sections[0].tasks[1].done).toBe(true);
  });

  it('takes the latest product deadline when the task has none', () => {
    const b = annex('B', [
      { area: 'procedure', tasks: [{ task: 'Rà soát thủ tục', products: ['Báo cáo', 'Quyết định'] }] },
    ]);
    b.sections[0].tasks[0].products[0].timeline = due('2026-02-01');
    b.sections[0].tasks[0].products[1].timeline = due('2026-05-01');
    const r = consolidate([input('so-b', 'Sở B', b)], { today: '2026-03-01' });
    expect(r.sections[0].tasks[0].due).toBe('2026-05-01');
    expect(r.summary.byQuarter.map((q) => q.key)).toEqual(['2026-Q2']);
    expect(r.summary.overdue).toEqual([]);
  });
});

describe('consolidate: successors from the reader', () => {
  it('shows the successor when the round is after the merger, the old name before', () => {
    const a = annex('A', [
      {
        area: 'digital-government',
        tasks: [
          {
            task: 'Phát triển hạ tầng số',
            lead: [
              {
                text: 'Sở TT&TT',
                id: 'so-tttt',
                name: 'Sở Thông tin và Truyền thông',
                kind: 'agency',
                successor: { id: 'so-khcn', name: 'Sở Khoa học và Công nghệ', since: '2025-03-01' },
              },
            ],
          },
        ],
      },
    ]);
    const after = consolidate([input('x', 'Sở X', a)], { date: '2026-01-01' }).sections[0].tasks[0].lead[0];
    expect(after).toMatchObject({
      id: 'so-khcn',
      name: 'Sở Khoa học và Công nghệ',
      formerName: 'Sở Thông tin và Truyền thông',
      text: 'Sở TT&TT',
    });
    const before = consolidate([input('x', 'Sở X', a)], { date: '2024-06-01' }).sections[0].tasks[0].lead[0];
    expect(before).toMatchObject({ id: 'so-tttt', name: 'Sở Thông tin và Truyền thông' });
    expect(before.formerName).toBeUndefined();
  });
});

describe('consolidate: timelines written per product', () => {
  it('counts a task whose products are all "Thường xuyên" as recurring', () => {
    const b = annex('B', [
      {
        area: 'institution',
        tasks: [{ task: 'Rà soát văn bản', products: ['Rà soát', 'Xử lý văn bản trái pháp luật'] }],
      },
    ]);
    for (const p of b.sections[0].tasks[0].products)
      p.timeline = { kind: 'recurring', recurrence: 'continuous', text: 'Thường xuyên' };
    const r = consolidate([input('so-b', 'Sở B', b)], { today: '2026-03-01' });
    expect(r.sections[0].tasks[0].timelineKind).toBe('recurring');
    expect(r.summary).toMatchObject({ recurring: 1, undated: 0, byQuarter: [] });
  });
});

describe('consolidate: bad input', () => {
  it('says which input is malformed and what is missing', () => {
    const good = input('so-a', 'Sở A', annex('A', [{ area: 'direction', tasks: [{ task: 'Kiểm tra' }] }]));
    expect(() => consolidate([good, { ...good, agencyId: '' }])).toThrow(/Thiếu mã cơ quan của phụ lục thứ 2 \(Sở A\)/);
    expect(() =>
      consolidate([
        { ...good, annex: { meta: {}, sections: [{ ...good.annex.sections[0], tasks: undefined as never }] } },
      ]),
    ).toThrow(expect.objectContaining({ name: 'ConsolidationInputError', index: 0, field: 'annex.sections[0]' }));
  });
});
