import { describe, expect, it } from 'vitest';
import { readAnnex } from '../../../engine/read/index.js';
import {
  allFixes,
  applyFixes,
  createSession,
  tryApplyFixes,
  validate,
  validateGrids,
} from '../../../engine/rules/validate.js';
import { localize } from '../../../engine/rules/diagnostic.js';
import type { Fix, Grid } from '../../../engine/model.js';
import { byCode, check, directory, seed } from './helpers.js';

const SEVERITY = { error: 0, warning: 1, info: 2 } as const;

function fresh(grids: Grid[]) {
  return validate(readAnnex(grids, { directory }), { grids, directory });
}

/** Deterministic pseudo-random numbers (tests must be reproducible). */
function prng(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('validate', () => {
  it('sorts diagnostics by sheet, row, column and counts them in the stats', () => {
    const { report } = seed('001');
    const d = report.diagnostics;
    for (let i = 1; i < d.length; i++) {
      const a = d[i - 1].location;
      const b = d[i].location;
      expect(a.row < b.row || (a.row === b.row && (a.column ?? 0) <= (b.column ?? 0))).toBe(true);
    }
    expect(report.stats.errors).toBe(d.filter((x) => x.severity === 'error').length);
    expect(report.stats.warnings).toBe(d.filter((x) => x.severity === 'warning').length);
    expect(report.stats.infos).toBe(d.filter((x) => x.severity === 'info').length);
    expect(report.stats).toMatchObject({ sections: 7, tasks: 64 });
    // Read-level diagnostics are part of the report.
    expect(byCode(report, 'row.rejoined').length).toBeGreaterThan(0);
    // Within one cell, errors come before warnings before infos.
    for (let i = 1; i < d.length; i++) {
      const a = d[i - 1];
      const b = d[i];
      if (a.location.row === b.location.row && a.location.column === b.location.column)
        expect(SEVERITY[a.severity]).toBeLessThanOrEqual(SEVERITY[b.severity]);
    }
  });

  it('every rule diagnostic of a table seed points at a cell', () => {
    for (const s of ['000', '001', '002', '004']) {
      const { report, result } = seed(s);
      const fromRules = report.diagnostics.filter((d) => !result.diagnostics.includes(d));
      for (const d of fromRules)
        expect({ code: d.code, cell: d.location.cell ?? null }).toEqual({
          code: d.code,
          cell: expect.stringMatching(/^[A-Z]+\d+$/),
        });
      for (const d of fromRules) for (const e of d.fix?.edits ?? []) expect(e.cell).toMatch(/^[A-Z]+\d+$/);
    }
  });

  it('renders English messages on request, with the same codes and locations', () => {
    const vi = seed('000').report;
    const en = seed('000', { locale: 'en' }).report;
    expect(en.diagnostics.map((d) => [d.code, d.location.cell])).toEqual(
      vi.diagnostics.map((d) => [d.code, d.location.cell]),
    );
    const out = en.diagnostics.find((d) => d.code === 'timeline.outside-plan-year')!;
    expect(out.message).toBe('The deadline "Năm 2022" (31/12/2022) is outside the plan year 2023.');
    const mismatch = en.diagnostics.find((d) => d.code === 'product.number-mismatch')!;
    expect(mismatch.fix!.label).toBe('Change the number to "2.1."');
    // localize() turns one into the other.
    expect(localize(vi.diagnostics, 'en').map((d) => d.message)).toEqual(en.diagnostics.map((d) => d.message));
  });

  it('defaults the plan year, province and resolution date from the annex, and lets the context override them', () => {
    const { report } = seed('000', { planYear: 2022 });
    // In a 2022 plan the 2022 deadlines are fine and the 2023 ones are not.
    expect(byCode(report, 'timeline.outside-plan-year').map((d) => d.location.cell)).not.toContain('F361');
    expect(byCode(report, 'timeline.outside-plan-year').length).toBeGreaterThan(0);
  });

  it('takes the grids from the read result: validate(result) equals validate(result, { grids })', () => {
    for (const prefix of ['000', '001', '002', '004']) {
      const s = seed(prefix);
      expect(s.result.grids).toEqual([s.grid]);
      expect(validate(s.result, { directory })).toEqual(s.report);
    }
  });

  it('without the grids rebuilds the cells from the model: the seed defects are still found, with exact fixes only', () => {
    const s000 = seed('000');
    const bare = (r: typeof s000.result) => ({ ...r, grids: undefined });
    const rebuilt = validate(bare(s000.result), {});
    expect(byCode(rebuilt, 'timeline.outside-plan-year').map((d) => d.location.cell)).toEqual(['F361', 'F362']);
    expect(byCode(rebuilt, 'timeline.missing').map((d) => d.location.cell)).toEqual(['F309', 'F310', 'F346']);
    const mismatch = byCode(rebuilt, 'product.number-mismatch');
    expect(mismatch.map((d) => d.location.cell)).toEqual(['C370', 'C371', 'C372']);
    // C370 is on the task row, whose raw cells the reader keeps: its fix is exact. C371/C372 were rebuilt: no fix.
    expect(mismatch[0].fix).toEqual(byCode(s000.report, 'product.number-mismatch')[0].fix);
    expect(mismatch[1].fix).toBeUndefined();
    const s002 = seed('002');
    const inProduct = byCode(validate(bare(s002.result), {}), 'timeline.in-product');
    expect(inProduct.map((d) => d.location.cell).slice(0, 3)).toEqual(['C290', 'C291', 'C294']);
    expect(inProduct[0].fix).toEqual(byCode(s002.report, 'timeline.in-product')[0].fix);
  });

  it('validateGrids reads and validates in one call', () => {
    const { grid, report } = seed('002');
    expect(validateGrids([grid], { directory })).toEqual(report);
  });
});

describe('fixes', () => {
  it('applyFixes refuses an edit whose cell changed since the check, and applies nothing of that fix', () => {
    const { grid, report } = seed('002');
    const fix = byCode(report, 'timeline.in-product')[0].fix!;
    const changed: Grid = {
      ...grid,
      rows: grid.rows.map((r) =>
        r.index === 290 ? { ...r, cells: r.cells.map((c, i) => (i === 2 ? { text: 'Đã sửa tay' } : c)) } : r,
      ),
    };
    const outcome = tryApplyFixes([changed], [fix]);
    expect(outcome.applied).toEqual([]);
    expect(outcome.rejected).toHaveLength(1);
    expect(outcome.rejected[0]).toMatchObject({ reason: 'stale', actual: 'Đã sửa tay', edit: { cell: 'C290' } });
    expect(outcome.rejected[0].message).toContain('C290');
    // The other edit of the fix (D290) was not applied either.
    expect(outcome.grids[0].rows.find((r) => r.index === 290)!.cells[3].text).toBe('');
    const seen: string[] = [];
    applyFixes([changed], [fix], { onRejected: (r) => seen.push(r.edit.cell) });
    expect(seen).toEqual(['C290']);
  });

  it('allFixes keeps the first of two fixes that touch one cell', () => {
    const { report } = check([
      ['I', 'Cải cách thể chế', '', '', '', ''],
      ['1', 'Rà soát văn bản', 'Báo cáo', ' Sở Tư pháp', 'Sở Tư pháp,  Sở Nội vụ', 'Quý II/2024'],
    ]);
    const inCell = report.diagnostics.filter((d) => d.location.cell === 'E4' && d.fix);
    expect(inCell.map((d) => d.code).sort()).toEqual(['agency.lead-also-support', 'text.unnormalized']);
    const fixes = allFixes(report);
    const e4 = fixes.filter((f) => f.edits.some((e) => e.cell === 'E4'));
    expect(e4).toHaveLength(1);
    expect(e4[0]).toBe(inCell[0].fix);
    // Every cell is edited at most once.
    const keys = fixes.flatMap((f) => f.edits.map((e) => e.cell));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('"Chuẩn hóa" on seed 001 removes every HTML tag; a second pass finds nothing left to fix', () => {
    const { grid, report } = seed('001');
    const once = applyFixes([grid], allFixes(report));
    const after = fresh(once);
    expect(byCode(after, 'text.html')).toEqual([]);
    const twice = applyFixes(once, allFixes(after));
    expect(allFixes(fresh(twice))).toEqual([]);
  });
});

describe('incremental sessions', () => {
  it('a new session reports what validate reports', () => {
    const { grid, report } = seed('000');
    const session = createSession([grid], { directory });
    expect(session.report()).toEqual(report);
  });

  it('after random cell edits the session report equals a fresh validation of the edited grids', () => {
    for (const s of ['000', '001', '002', '004']) {
      const { grid, result } = seed(s);
      const session = createSession([grid], { directory });
      const rnd = prng(Number(s) + 42);
      const tableRows = result.rowRoles.filter((r) => r.role !== 'preamble' && r.role !== 'blank').map((r) => r.row);
      const columns = result.annex.meta.columns!.length;
      const samples = [
        '',
        'Năm 2022',
        'Quý II/2024',
        'Sở TT&TT',
        '<b>Sở Nội vụ</b>',
        '3',
        '1.1. Báo cáo',
        'Theo lộ trình đã được phê duyệt',
        'Sở Tư pháp, Sở Tư pháp',
      ];
      for (let step = 0; step < 12; step++) {
        const edits = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => {
          const row = tableRows[Math.floor(rnd() * tableRows.length)];
          const column = 1 + Math.floor(rnd() * columns);
          const other = tableRows[Math.floor(rnd() * tableRows.length)];
          const text =
            rnd() < 0.5
              ? samples[Math.floor(rnd() * samples.length)]
              : (grid.rows.find((r) => r.index === other)!.cells[column - 1]?.text ?? '');
          return { sheet: grid.sheet, row, column, text };
        });
        const incremental = session.update(edits);
        expect(incremental).toEqual(fresh(session.grids()));
      }
    }
  });

  it('replaceGrid handles inserted and deleted rows', () => {
    const { grid } = seed('000');
    const session = createSession([grid], { directory });
    // Insert a product row after row 298 (task 2 of section I), shifting everything below.
    const inserted: Grid = {
      ...grid,
      rows: grid.rows.flatMap((r) => {
        const moved = r.index > 298 ? { ...r, index: r.index + 1 } : r;
        if (r.index !== 298) return [moved];
        return [
          r,
          {
            index: 299,
            cells: ['', '', '2.3. Báo cáo bổ sung', 'Sở Tư pháp', 'Sở Tư pháp', 'Năm 2022'].map((text) => ({ text })),
          },
        ];
      }),
    };
    const afterInsert = session.replaceGrid(inserted);
    expect(afterInsert).toEqual(fresh([inserted]));
    expect(
      afterInsert.diagnostics
        .filter((d) => d.location.row === 299)
        .map((d) => d.code)
        .sort(),
    ).toEqual(['agency.lead-also-support', 'timeline.outside-plan-year']);
    // Deleting it again gives back the original report.
    expect(session.replaceGrid(grid)).toEqual(fresh([grid]));
  });

  it('after random row deletions and duplications the session report equals a fresh validation', () => {
    const { grid, result } = seed('001');
    const session = createSession([grid], { directory });
    const rnd = prng(2024);
    const table = result.rowRoles.filter((r) => r.role !== 'preamble' && r.role !== 'blank').map((r) => r.row);
    let current = grid;
    for (let step = 0; step < 8; step++) {
      const at = table[Math.floor(rnd() * table.length)];
      const rows = current.rows.filter((r) => r.index !== at || step % 2 === 1);
      if (step % 2 === 1) {
        // Duplicate the row: the copy goes right below, everything after moves down one.
        const i = rows.findIndex((r) => r.index === at);
        rows.splice(i + 1, 0, { ...rows[i] });
      }
      current = { ...current, rows: rows.map((r, i) => ({ index: i + 1, cells: r.cells })) };
      expect(session.replaceGrid(current)).toEqual(fresh([current]));
    }
  });

  it('diagnosticsFor returns the diagnostics of given rows; session.applyFixes applies and re-validates', () => {
    const { grid } = seed('002');
    const session = createSession([grid], { directory });
    const rows = session.diagnosticsFor([290, 291], grid.sheet);
    expect(rows.map((d) => d.code)).toEqual(expect.arrayContaining(['timeline.in-product', 'task.duplicate']));
    expect(rows.every((d) => d.location.row === 290 || d.location.row === 291)).toBe(true);
    const fixes: Fix[] = byCode(session.report(), 'timeline.in-product').map((d) => d.fix!);
    const { report, rejected } = session.applyFixes(fixes);
    expect(rejected).toEqual([]);
    expect(byCode(report, 'timeline.in-product')).toEqual([]);
    // Applying the same (now stale) fixes again is refused.
    expect(session.applyFixes(fixes).rejected.length).toBe(fixes.length * 2);
  });

  it('update refuses an edit on a sheet it does not have, with a clear message', () => {
    const { grid } = seed('004');
    const session = createSession([grid], { directory });
    expect(() => session.update([{ sheet: 'Không có', row: 3, column: 2, text: 'x' }])).toThrow(
      /Không có trang tính "Không có"/,
    );
  });
});
