// The pure parts of the add-in's sync: a merged annex written back in the sheet's own columns (read back
// the same by the engine), and the conflict view model built from a real three-way merge.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { foldKey, readAnnex, textToGrid, threeWayMerge, type Annex, type Grid } from '../../engine/index.js';
import { annexRows } from '../../addin/sync/table.js';
import { choicesFrom, conflictView } from '../../addin/ui/conflict.js';

function seed(file: string): Annex {
  return readAnnex([textToGrid(readFileSync(`seeds/${file}`, 'utf8'), file)]).annex;
}

/** The header row and the rows annexRows gives, as one sheet. */
function sheetOf(annex: Annex): Grid {
  const cols = annex.meta.columns ?? [];
  const out = annexRows(annex, cols);
  const width = Math.max(...cols.map((c) => c.index), ...out.added.map((a) => a.column));
  const header = Array.from(
    { length: width },
    (_, i) => cols.find((c) => c.index === i + 1)?.header ?? out.added.find((a) => a.column === i + 1)?.header ?? '',
  );
  return {
    sheet: 'Phụ lục',
    kind: 'sheet',
    rows: [
      { index: 1, cells: header.map((text) => ({ text })) },
      ...out.rows.map((r, i) => ({ index: i + 2, cells: r.map((text) => ({ text })) })),
    ],
  };
}

const flat = (a: Annex) => a.sections.flatMap((s) => s.tasks);

describe('annexRows: a merged annex in the sheet’s own columns', () => {
  for (const file of [
    '000_683635a77beddbc9.txt',
    '002_2bb1168879fd1a86.txt',
    '004_065c492f3d915851.txt',
    '001_03fdc25defdea198.txt',
  ]) {
    it(`reads back the same tasks for ${file}`, () => {
      const annex = seed(file);
      flat(annex).forEach((t, i) => (t.id = `NV-TEST${String(i).padStart(4, '0')}`));
      const back = readAnnex([sheetOf(annex)]).annex;
      expect(back.sections.map((s) => s.area)).toEqual(annex.sections.map((s) => s.area));
      const a = flat(annex);
      const b = flat(back);
      expect(b.length).toBe(a.length);
      b.forEach((t, i) => {
        expect(t.id).toBe(a[i].id);
        expect(foldKey(t.task)).toBe(foldKey(a[i].task));
        expect(t.number).toBe(a[i].number);
        expect(t.timeline.text).toBe(a[i].timeline.text);
        expect(t.products.length).toBe(a[i].products.length);
      });
    });
  }

  it('keeps the layout: id in the existing column, numbers inside the task text without an STT column', () => {
    const plain = seed('004_065c492f3d915851.txt');
    const cols = plain.meta.columns ?? [];
    expect(cols.some((c) => c.field === 'number')).toBe(false);
    const out = annexRows(plain, cols);
    expect(out.added.map((a) => a.header)).toContain('Mã nhiệm vụ');
    const taskCol = cols.find((c) => c.field === 'task')!.index;
    expect(out.rows[0][taskCol - 1]).toMatch(/^I\. /);
    expect(out.rows[1][taskCol - 1]).toMatch(/^1\. /);
    const withId = {
      ...plain,
      meta: { ...plain.meta, columns: [...cols, { index: 9, header: 'ID', field: 'id' as const }] },
    };
    const out2 = annexRows(withId, withId.meta.columns);
    expect(out2.added).toEqual([]);
    expect(out2.idColumn).toBe(9);
  });
});

describe('conflict view', () => {
  it('shows conflicts first with their fields side by side, and turns picks into choices', () => {
    const base = seed('000_683635a77beddbc9.txt');
    flat(base).forEach((t, i) => (t.id = `NV-TEST${String(i).padStart(4, '0')}`));
    const mine = structuredClone(base);
    const theirs = structuredClone(base);
    flat(mine)[0].timeline = { ...flat(mine)[0].timeline, text: 'Tháng 6/2023' };
    flat(theirs)[0].timeline = { ...flat(theirs)[0].timeline, text: 'Quý II/2023' };
    flat(theirs)[2].note = 'Ý kiến của đồng nghiệp';
    const merge = threeWayMerge(base, mine, theirs);
    const view = conflictView(merge);
    expect(view[0]).toMatchObject({ status: 'conflict', needsChoice: true, key: `id:${flat(base)[0].id}` });
    expect(view[0].fields).toEqual([
      expect.objectContaining({ field: 'timeline', mine: 'Tháng 6/2023', theirs: 'Quý II/2023', conflict: true }),
    ]);
    expect(view.slice(1).map((v) => v.status)).toEqual(['theirs']);
    expect(view[1].fields.map((f) => f.field)).toEqual(['note']);
    expect(view.some((v) => v.status === 'unchanged')).toBe(false);
    expect(
      choicesFrom(view, {
        [view[0].key]: { task: 'auto', fields: { timeline: 'theirs' } },
        [view[1].key]: { task: 'mine' },
      }),
    ).toEqual({
      [view[0].key]: { fields: { timeline: 'theirs' } },
      [view[1].key]: 'mine',
    });
    expect(choicesFrom(view, { [view[0].key]: { task: 'auto', fields: {} } })).toEqual({});
  });
});
