// Damaged input never throws: seeds with lines dropped, cells blanked and cells swapped still read into
// a valid Annex whose every task points at rows that exist, with a role for every row.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnnexSchema, DiagnosticSchema, type Grid } from '../../../engine/model.js';
import { readAnnex, textToGrid } from '../../../engine/read/index.js';
import { mulberry32 } from '../../support/random.js';

function damage(grid: Grid, seed: number): Grid {
  const r = mulberry32(seed);
  const rows = grid.rows
    .filter(() => r() > 0.05)
    .map((row) => ({
      index: row.index,
      cells: row.cells.map((c) => ({
        text: r() < 0.08 ? '' : r() < 0.03 ? c.text.slice(0, Math.floor(c.text.length / 2)) : c.text,
      })),
    }));
  for (const row of rows)
    if (row.cells.length > 2 && r() < 0.03) [row.cells[0], row.cells[1]] = [row.cells[1], row.cells[0]];
  return { ...grid, rows };
}

const dir = join(process.cwd(), 'seeds');
const seeds = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .sort();

describe('damaged seeds', () => {
  it.each(seeds)('%s', (name) => {
    const grid = textToGrid(readFileSync(join(dir, name), 'utf8'), name);
    for (let seed = 1; seed <= 8; seed++) {
      const g = damage(grid, seed * 7919);
      const r = readAnnex([g]);
      expect(() => AnnexSchema.parse(r.annex)).not.toThrow();
      for (const d of r.diagnostics) expect(() => DiagnosticSchema.parse(d)).not.toThrow();
      const present = new Set(g.rows.map((x) => x.index));
      for (const s of r.annex.sections)
        for (const t of s.tasks) {
          expect(t.rows.length).toBeGreaterThan(0);
          for (const row of t.rows) expect(present.has(row)).toBe(true);
          expect(present.has(t.source.row)).toBe(true);
        }
      expect(r.rowRoles.map((x) => x.row)).toEqual(g.rows.map((x) => x.index));
    }
  });
});
