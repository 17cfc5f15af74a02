// Consolidation of the four seed annexes, each submitted as if by one agency.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDirectory } from '../../../data/index.js';
import { consolidate, readAnnex, textToGrid, type ConsolidationInput } from '../../../engine/index.js';

const SEEDS = [
  '000_683635a77beddbc9.txt',
  '001_03fdc25defdea198.txt',
  '002_2bb1168879fd1a86.txt',
  '004_065c492f3d915851.txt',
];
const AGENCIES = [
  { agencyId: 'nam-dinh/so-noi-vu', agencyName: 'Sở Nội vụ tỉnh Nam Định' },
  { agencyId: 'khanh-hoa/so-noi-vu', agencyName: 'Sở Nội vụ tỉnh Khánh Hòa' },
  { agencyId: 'binh-thuan/so-noi-vu', agencyName: 'Sở Nội vụ tỉnh Bình Thuận' },
  { agencyId: 'tien-giang/so-noi-vu', agencyName: 'Sở Nội vụ tỉnh Tiền Giang' },
];
const directory = defaultDirectory();
const inputs: ConsolidationInput[] = SEEDS.map((file, i) => {
  const text = readFileSync(join(import.meta.dirname, '../../../seeds', file), 'utf8');
  const { annex } = readAnnex([textToGrid(text, file)], { directory });
  return { ...AGENCIES[i], docNumber: annex.meta.docNumber, docDate: annex.meta.docDate, annex, version: 1 };
});
const submitted = inputs.reduce((n, x) => n + x.annex.sections.reduce((m, s) => m + s.tasks.length, 0), 0);

describe('consolidate the seed annexes', () => {
  const c = consolidate(inputs, { directory, date: '2023-06-01', today: '2023-06-01' });

  it('reads all 196 seed tasks', () => {
    expect(submitted).toBe(196);
    expect(c.stats.inputTasks).toBe(196);
  });

  it('has the seven reform areas in Nghị quyết 76 order, renumbered', () => {
    expect(c.sections.map((s) => s.area)).toEqual([
      'direction',
      'institution',
      'procedure',
      'organization',
      'civil-service',
      'public-finance',
      'digital-government',
    ]);
    expect(c.sections.map((s) => s.numeral)).toEqual(['I', 'II', 'III', 'IV', 'V', 'VI', 'VII']);
    for (const s of c.sections) expect(s.tasks.map((t) => t.number)).toEqual(s.tasks.map((_, i) => String(i + 1)));
  });

  it('keeps all 196 tasks, merges none, and proposes candidate groups that a reviewer decides', () => {
    const kept = c.sections.flatMap((s) => s.tasks);
    expect(kept.length).toBe(196);
    expect(c.duplicates).toEqual([]);
    expect(c.stats).toMatchObject({ inputTasks: 196, tasks: 196, duplicatesMerged: 0, agencies: 4 });
    expect(c.stats.pendingGroups).toBe(c.candidates.length);
    const keys = new Set(kept.map((t) => t.key));
    for (const g of c.candidates) {
      expect(g.members.length).toBeGreaterThanOrEqual(2);
      for (const m of g.members) {
        expect(keys.has(m.key)).toBe(true);
        expect(m.area).toBe(g.area);
        expect(m.at).toMatch(/^[IVX]+\.\d+$/);
      }
      expect(g.minSimilarity).toBeGreaterThanOrEqual(c.meta.duplicateThreshold);
    }
    // The tasks the old silent merge joined are different work: a year or a document number sets them apart.
    const pairs = c.candidates.map((g) => g.members.map((m) => m.task).join(' | '));
    expect(pairs.filter((p) => /năm 2023/.test(p) && /năm 2024/.test(p))).toEqual([]);
    for (const a of c.summary.byAgency) {
      const own = inputs.find((x) => x.agencyId === a.agencyId)!;
      expect(a.kept).toBe(own.annex.sections.reduce((n, s) => n + s.tasks.length, 0));
      expect(a.merged).toBe(0);
    }
  });

  it('gives every row its source agency, document and location', () => {
    for (const t of c.sections.flatMap((s) => s.tasks)) {
      expect(t.source.agencyName).toMatch(/^Sở Nội vụ tỉnh /);
      expect(SEEDS).toContain(t.source.location.sheet);
      expect(t.source.location.row).toBeGreaterThan(0);
      expect(t.task.trim()).not.toBe('');
    }
    const khanhHoa = c.sections.flatMap((s) => s.tasks).find((t) => t.source.agencyId === 'khanh-hoa/so-noi-vu')!;
    expect(khanhHoa.source.docNumber).toBe('3604/QĐ-UBND');
    expect(c.summary.byArea.reduce((n, a) => n + a.tasks, 0)).toBe(c.stats.tasks);
  });

  it('normalises timelines and counts overdue tasks against today', () => {
    const all = c.sections.flatMap((s) => s.tasks);
    expect(all.filter((t) => t.due).length).toBeGreaterThan(50);
    expect(c.summary.overdue.length).toBeGreaterThan(0);
    for (const o of c.summary.overdue) expect(o.due < '2023-06-01').toBe(true);
    const counted =
      c.summary.byQuarter.reduce((n, q) => n + q.tasks, 0) +
      c.summary.recurring +
      c.summary.conditional +
      c.summary.undated;
    expect(counted).toBe(c.stats.tasks);
  });
});

describe('agencies at the round date', () => {
  const names = (date: string) => {
    const c = consolidate(inputs, { directory, date });
    return c.sections
      .flatMap((s) => s.tasks)
      .flatMap((t) => [...t.lead, ...t.support, ...t.products.flatMap((p) => [...p.lead, ...p.support])]);
  };

  it('keeps Sở Thông tin và Truyền thông for a 2023 round', () => {
    const all = names('2023-06-01');
    expect(all.some((a) => a.name === 'Sở Thông tin và Truyền thông' && !a.formerName)).toBe(true);
  });

  it('maps Sở TT&TT to its successor Sở Khoa học và Công nghệ after the 2025 merger', () => {
    const all = names('2026-01-01');
    expect(all.some((a) => a.name === 'Sở Thông tin và Truyền thông')).toBe(false);
    const mapped = all.filter((a) => a.formerName === 'Sở Thông tin và Truyền thông');
    expect(mapped.length).toBeGreaterThan(5);
    for (const a of mapped) {
      expect(a.name).toBe('Sở Khoa học và Công nghệ');
      expect(a.id).toMatch(/\/so-khoa-hoc-cong-nghe$/);
    }
    // The officer's own words are kept.
    expect(mapped.some((a) => /TT|Thông tin/.test(a.text))).toBe(true);
  });
});

describe('the submitting agency at the round date', () => {
  it('counts a merged agency under its successor, keeping the name it submitted under', () => {
    const one = {
      ...inputs[0],
      agencyId: 'nam-dinh/so-thong-tin-truyen-thong',
      agencyName: 'Sở Thông tin và Truyền thông',
    };
    const after = consolidate([one], { directory, date: '2026-01-01' });
    const t = after.sections[0].tasks[0];
    expect(t.source.agencyName).toBe('Sở Khoa học và Công nghệ');
    expect(t.source.agencyId).toMatch(/^ninh-binh\//);
    expect(t.source.formerAgencyName).toBe('Sở Thông tin và Truyền thông');
    expect(after.summary.byAgency.map((a) => a.agencyName)).toEqual(['Sở Khoa học và Công nghệ']);
    const before = consolidate([one], { directory, date: '2023-06-01' });
    expect(consolidate([one], { directory, province: 'ninh-binh', date: '2026-01-01' }).meta.provinceName).toBe(
      'Ninh Bình',
    );
    expect(before.sections[0].tasks[0].source).toMatchObject({
      agencyId: 'nam-dinh/so-thong-tin-truyen-thong',
      agencyName: 'Sở Thông tin và Truyền thông',
    });
  });
});

describe('the same annexes consolidated again', () => {
  // A server rebuilds a round from the same parsed annexes: what is kept per task between builds must give the
  // report a fresh consolidation gives, also when the round's date (successors) or the plan year changes in between.
  const fresh = (ctx: Parameters<typeof consolidate>[1]) => JSON.stringify(consolidate(structuredClone(inputs), ctx));
  it('gives the same report as a consolidation of fresh copies, whatever was built before', () => {
    const a = { directory, province: 'nam-dinh', date: '2023-06-01', today: '2023-06-01' };
    const b = { ...a, date: '2025-09-01', planYear: 2025 };
    const first = JSON.stringify(consolidate(inputs, a));
    expect(first).toBe(fresh(a));
    const other = JSON.stringify(consolidate(inputs, b));
    expect(other).not.toBe(first);
    expect(other).toBe(fresh(b));
    expect(JSON.stringify(consolidate(inputs, a))).toBe(first);
  });
});
