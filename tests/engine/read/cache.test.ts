// The reader's row and task caches: a re-read reuses what it worked out for unchanged row objects, and must
// always equal a read of fresh copies of the same grids (which share nothing with any earlier read).
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Grid, GridRow } from '../../../engine/model.js';
import { readAnnex, textToGrid, type ReadOptions } from '../../../engine/read/index.js';
import { createSession } from '../../../engine/rules/validate.js';
import { defaultDirectory } from '../../../data/index.js';

const seedsDir = fileURLToPath(new URL('../../../seeds/', import.meta.url));
const directory = defaultDirectory();
const seedGrid = (prefix: string): Grid => {
  const file = readdirSync(seedsDir).find((f) => f.startsWith(`${prefix}_`))!;
  return textToGrid(readFileSync(join(seedsDir, file), 'utf8'), file);
};
const copy = (grids: Grid[]): Grid[] => structuredClone(grids);
const fresh = (grids: Grid[], options: ReadOptions) => {
  const { grids: _g, ...rest } = readAnnex(copy(grids), options);
  return rest;
};
const cached = (grids: Grid[], options: ReadOptions) => {
  const { grids: _g, ...rest } = readAnnex(grids, options);
  return rest;
};

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function prng(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

describe('reader cache', () => {
  it('reuses the tasks of unchanged rows and equals a read of fresh copies after rows change', () => {
    const options: ReadOptions = { directory };
    for (const prefix of ['000', '001', '002', '004']) {
      const grid = seedGrid(prefix);
      const first = readAnnex([grid], options);
      const again = readAnnex([grid], options);
      // Unchanged rows: the very same task objects.
      expect(again.annex.sections[0].tasks[0]).toBe(first.annex.sections[0].tasks[0]);
      expect(cached([grid], options)).toEqual(fresh([grid], options));

      // Replace row objects (as a session does) at random: an empty STT, a task text cut in two, a blank row.
      const rnd = prng(Number(prefix) + 7);
      let rows = grid.rows;
      for (let k = 0; k < 12; k++) {
        const at = 1 + Math.floor(rnd() * (rows.length - 1));
        const r = rows[at];
        const cells = r.cells.map((c) => ({ ...c }));
        const pick = rnd();
        if (pick < 0.3 && cells[0]) cells[0] = { text: '' };
        else if (pick < 0.6 && cells[1])
          cells[1] = { text: cells[1].text.slice(0, Math.ceil(cells[1].text.length / 2)) };
        else if (pick < 0.8) cells.splice(0, cells.length, ...cells.map(() => ({ text: '' })));
        else cells.push({ text: 'Ghi chú thêm' });
        rows = rows.map((x, i) => (i === at ? ({ index: x.index, cells } as GridRow) : x));
        const g: Grid = { ...grid, rows };
        expect([prefix, k, cached([g], options)]).toEqual([prefix, k, fresh([g], options)]);
      }
    }
  });

  it('notices a row changed in place (same row object, new cell text)', () => {
    const grid = seedGrid('002');
    const before = readAnnex([grid], { directory });
    const row = grid.rows.find((r) => /^\d+$/.test(r.cells[0]?.text ?? '') && r.cells[1]?.text)!;
    row.cells[1] = { text: 'Nhiệm vụ đã sửa tại chỗ' };
    const after = readAnnex([grid], { directory });
    const task = after.annex.sections.flatMap((s) => s.tasks).find((t) => t.source.row === row.index)!;
    expect(task.task).toBe('Nhiệm vụ đã sửa tại chỗ');
    expect(before.annex.sections.flatMap((s) => s.tasks).find((t) => t.source.row === row.index)!.task).not.toBe(
      task.task,
    );
    expect(cached([grid], { directory })).toEqual(fresh([grid], { directory }));
  });

  it('a read that keeps nothing by row (rememberRows: false) equals a read that does, and leaves no cache behind', () => {
    for (const prefix of ['000', '001', '002', '004']) {
      const grid = seedGrid(prefix);
      for (const shared of [false, true]) {
        const options: ReadOptions = { directory, sharedAgencyRefs: shared };
        const once = cached([grid], { ...options, rememberRows: false });
        expect([prefix, shared, once]).toEqual([prefix, shared, fresh([grid], options)]);
        // Nothing was kept for these rows: a read that remembers builds its tasks anew (new objects).
        const first = readAnnex([grid], options).annex.sections.flatMap((s) => s.tasks);
        const again = readAnnex([grid], options).annex.sections.flatMap((s) => s.tasks);
        const none = readAnnex([grid], { ...options, rememberRows: false }).annex.sections.flatMap((s) => s.tasks);
        expect(again.every((t, i) => t === first[i])).toBe(true);
        expect(none.some((t, i) => t === first[i])).toBe(false);
      }
    }
  });

  it('a session read after edits equals a fresh read, also when the context changes the agencies', () => {
    const grid = seedGrid('001');
    const session = createSession([grid], { directory });
    const rnd = prng(11);
    for (let k = 0; k < 10; k++) {
      const rows = session.grids()[0].rows;
      const r = rows[Math.floor(rnd() * rows.length)];
      session.update([
        { sheet: grid.sheet, row: r.index, column: 1 + Math.floor(rnd() * 5), text: k % 2 ? 'Sở Tư pháp' : '' },
      ]);
      const { grids: _g, ...read } = session.result();
      expect(read).toEqual(fresh(session.grids(), { directory }));
    }
    // Another directory or province: nothing read for the first one is reused.
    const g = session.grids();
    expect(cached(g, { directory, province: 'nam-dinh' })).toEqual(fresh(g, { directory, province: 'nam-dinh' }));
    expect(cached(g, {})).toEqual(fresh(g, {}));
  });
});
