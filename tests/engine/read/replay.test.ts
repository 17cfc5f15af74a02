// A session re-reads only the part of the table an edit reaches (engine/read/table-replay.ts). Whatever the edit
// — a task text, a number that turns a product into a task, a section title typed into a data row, a blank row —
// the partial re-read must equal reading the whole document again, and the partial path must really be taken.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Grid } from '../../../engine/model.js';
import { readAnnex, rereadAnnex, textToGrid } from '../../../engine/read/index.js';
import { createSession, validate } from '../../../engine/rules/validate.js';
import { directory, seed } from '../rules/helpers.js';

const shapes = fileURLToPath(new URL('./shapes/', import.meta.url));

function prng(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** What a fresh read gives, without the grids (compared separately: the session owns copies). */
function readModel(grids: Grid[]) {
  const r = readAnnex(grids, { directory });
  return { annex: r.annex, diagnostics: r.diagnostics, rowRoles: r.rowRoles };
}

// Texts that change a row's role as well as texts that do not.
const SAMPLES = [
  '',
  '3',
  '12',
  '1.1',
  '2.3. Báo cáo kết quả',
  'II',
  'III. CẢI CÁCH THỦ TỤC HÀNH CHÍNH',
  'Cải cách tổ chức bộ máy',
  'Sở Nội vụ',
  'Sở TT&TT; UBND các huyện',
  'Quý II/2024',
  'Thường xuyên',
  'và các đơn vị liên quan,',
  'tiếp tục triển khai',
  'STT',
  '=SUM(A1:A3)',
  'Tổ chức tập huấn nghiệp vụ cải cách hành chính cho cán bộ, công chức',
];

// A three-column targets table has a partial header (fewer than four known columns): a row within 30 rows below
// it could still turn out a fuller header, so its short document is always read whole.
function documents(): { name: string; grid: Grid; partial: boolean }[] {
  const out = ['000', '001', '002', '004'].map((s) => ({ name: `seed ${s}`, grid: seed(s).grid, partial: true }));
  for (const [f, partial] of [
    ['outline.tsv', true],
    ['targets.tsv', false],
  ] as const)
    out.push({ name: f, grid: textToGrid(readFileSync(shapes + f, 'utf8'), f), partial });
  return out;
}

describe('partial re-reads after edits', () => {
  for (const { name, grid, partial: expectPartial } of documents()) {
    it(`${name}: every session update reads the same as a fresh read${expectPartial ? ', and most take the partial path' : ''}`, () => {
      const session = createSession([grid], { directory });
      const first = session.result();
      const dataRows = first.rowRoles
        .filter((r) => ['task', 'product', 'continuation', 'section', 'other'].includes(r.role))
        .map((r) => r.row);
      const width = first.annex.meta.columns?.length ?? 6;
      const rnd = prng(name.length * 7919 + 17);
      let partial = 0;
      let reused = 0;
      const steps = 40;
      for (let step = 0; step < steps; step++) {
        const edits = Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => {
          const row = dataRows[Math.floor(rnd() * dataRows.length)];
          const column = 1 + Math.floor(rnd() * width);
          // Mostly small changes to the cell's own text (the common edit), sometimes a text that moves rows about.
          const own = session.grids()[0].rows.find((r) => r.index === row)?.cells[column - 1]?.text ?? '';
          const text = rnd() < 0.6 ? `${own} (sửa ${step})` : SAMPLES[Math.floor(rnd() * SAMPLES.length)];
          return { sheet: grid.sheet, row, column, text };
        });
        const report = session.update(edits);
        if (session.lastRead() === 'partial') partial++;
        reused += session.lastReuse().sections;
        const grids = session.grids();
        const { annex, diagnostics, rowRoles } = session.result();
        expect({ annex, diagnostics, rowRoles }).toEqual(readModel(grids));
        expect(report).toEqual(validate(readAnnex(grids, { directory }), { grids, directory }));
      }
      // A partial re-read keeps the sections it did not walk: their diagnostics are taken over, not worked out again.
      if (expectPartial) expect(partial).toBeGreaterThan(steps / 2);
      else expect(partial).toBe(0);
      if (expectPartial && session.result().annex.sections.length > 2) expect(reused).toBeGreaterThan(0);
    });
  }

  it('reads the whole document again when an edit could change the header or a row is added', () => {
    const { grid } = seed('002');
    const session = createSession([grid], { directory });
    const headerRow = session.result().annex.meta.headerRow!;
    session.update([{ sheet: grid.sheet, row: headerRow + 1, column: 2, text: 'Nhiệm vụ' }]);
    expect(session.lastRead()).toBe('full');
    const last = grid.rows[grid.rows.length - 1].index;
    session.update([{ sheet: grid.sheet, row: last + 5, column: 2, text: 'Nhiệm vụ mới' }]);
    expect(session.lastRead()).toBe('full');
    expect(session.result().annex).toEqual(readAnnex(session.grids(), { directory }).annex);
  });

  it('rereadAnnex refuses results it did not read and edits on other sheets', () => {
    const { grid, result } = seed('001');
    const options = { directory };
    const own = readAnnex([grid], options);
    expect(rereadAnnex(result, [grid], [{ sheet: grid.sheet, row: 400, column: 2 } as never], options)).toBeUndefined(); // other options object
    expect(rereadAnnex(own, [grid], [{ sheet: 'Khác', row: 400 }], options)).toBeUndefined();
  });
});
