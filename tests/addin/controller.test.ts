// The add-in's validation loop against the fake host and the real engine, on a real seed document.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { FakeExcelHost } from '../../addin/testing/fake-excel.js';
import { AddinController, asTypedText } from '../../addin/controller.js';
import { envFor } from './excel/helpers.js';

const SHEET = 'Phụ lục';

function seedHost(file = 'seeds/002_2bb1168879fd1a86.txt') {
  const h = new FakeExcelHost();
  (globalThis as any).Excel = h.Excel;
  const lines = readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  h.addSheet(
    SHEET,
    lines.map((l) => l.split('\t')),
  );
  return h;
}

async function started(h: FakeExcelHost) {
  const reports: number[] = [];
  const c = new AddinController(envFor(h), {
    debounceMs: 5,
    syncCounter: () => h.syncCount,
    onReport: (r) => reports.push(r.diagnostics.length),
  });
  await c.start();
  return { c, reports };
}

/** Lets the fake deliver its events, then processes them like the debounce timer would. */
async function settle(h: FakeExcelHost, c: AddinController) {
  await h.settle();
  return c.flush();
}

describe('AddinController on seed 002 (Bình Thuận)', () => {
  it('validates the whole sheet in two syncs and paints tagged marks', async () => {
    const h = seedHost();
    const before = h.syncCount;
    const { c } = await started(h);
    expect(h.syncCount - before).toBe(3); // event registration + read + paint
    expect(c.lastStats).toMatchObject({ kind: 'full', syncs: 2 });
    const report = c.report!;
    expect(report.stats.tasks).toBeGreaterThan(40);
    const inProduct = report.diagnostics.filter((d) => d.code === 'timeline.in-product');
    expect(inProduct.map((d) => d.location.cell)).toEqual(expect.arrayContaining(['C290', 'C291', 'C294']));
    const ours = h.sheet(SHEET).conditionalFormats.filter((f) => f.formula?.startsWith('=N("phuluc:'));
    expect(ours.length).toBeGreaterThan(0);
    const warned = ours.find((f) => f.formula!.includes('warning'))!;
    expect(warned.ranges.some((r) => r.r1 <= 289 && r.r2 >= 289 && r.c1 <= 2 && r.c2 >= 2)).toBe(true); // C290
  });

  it('re-validates an edit from the touched rows in at most two syncs', async () => {
    const h = seedHost();
    const { c } = await started(h);
    const leadCell = 'E263'; // task 4 of section I: "Sở Tư pháp"
    expect(h.text(SHEET, leadCell)).toBe('Sở Tư pháp');
    expect(c.report!.diagnostics.some((d) => d.code === 'lead.missing' && d.location.row === 263)).toBe(false);
    h.userEdit(SHEET, leadCell, '');
    const report = await settle(h, c);
    expect(c.lastStats).toMatchObject({ kind: 'edit', rows: 1 });
    expect(c.lastStats!.syncs).toBeLessThanOrEqual(2);
    expect(report!.diagnostics.some((d) => d.code === 'lead.missing' && d.location.row === 263)).toBe(true);
    // the officer puts it back: the issue goes away
    h.userEdit(SHEET, leadCell, 'Sở Tư pháp');
    const back = await settle(h, c);
    expect(back!.diagnostics.some((d) => d.code === 'lead.missing' && d.location.row === 263)).toBe(false);
    expect(c.lastStats!.syncs).toBeLessThanOrEqual(2);
  });

  it('applies the timeline-in-product fixes in one batch without re-triggering itself', async () => {
    const h = seedHost();
    const { c, reports } = await started(h);
    const fixes = c.allFixes().filter((f) => f.edits.some((e) => e.to === 'Theo lộ trình đã được phê duyệt'));
    const plan = c.planFixes(fixes);
    expect(plan.skipped).toEqual([]);
    expect(plan.edits.map((e) => e.cell)).toEqual(
      expect.arrayContaining(['D290', 'C290', 'D291', 'C291', 'D294', 'C294']),
    );
    const before = h.syncCount;
    const passes = reports.length;
    const report = await c.applyEdits(plan.edits);
    expect(h.syncCount - before).toBe(2); // a read-only probe, then all writes and marks in one sync (one undo step)
    expect(h.syncLog.slice(-2)).toEqual([{ cellsWritten: 0 }, { cellsWritten: plan.edits.length }]);
    expect(h.text(SHEET, 'D290')).toBe('Theo lộ trình đã được phê duyệt');
    expect(h.text(SHEET, 'C290')).toBe('');
    expect(
      report.diagnostics.filter((d) => d.code === 'timeline.in-product' && [290, 291, 294].includes(d.location.row)),
    ).toEqual([]);
    // Events raised by our own writes must not start another pass.
    await h.settle();
    await c.flush();
    expect(reports.length).toBe(passes + 1);
    // the engine's view equals a fresh read of the sheet
    const fresh = await c.validateAll();
    expect(fresh.diagnostics.map((d) => `${d.code}@${d.location.cell}`).sort()).toEqual(
      report.diagnostics.map((d) => `${d.code}@${d.location.cell}`).sort(),
    );
  });

  it('refuses stale fixes: a cell the officer changed since the check is not overwritten', async () => {
    const h = seedHost();
    const { c } = await started(h);
    const fix = c.allFixes().find((f) => f.edits.some((e) => e.cell === 'C290'))!;
    h.userEdit(SHEET, 'C290', 'Kế hoạch sắp xếp');
    await settle(h, c);
    const plan = c.planFixes([fix]);
    expect(plan.edits).toEqual([]);
    expect(plan.skipped.map((s) => s.reason)).toContain('stale');
  });

  it('falls back to a full read when rows are inserted (events cannot describe the shift)', async () => {
    const h = seedHost();
    const { c } = await started(h);
    const rowsBefore = c.snapshot!.grid.rows.length;
    h.userInsertRows(SHEET, 262, 1);
    await settle(h, c);
    expect(c.lastStats!.kind).toBe('full');
    expect(c.snapshot!.grid.rows.length).toBe(rowsBefore + 1);
    // the in-product issue moved down with its row
    expect(c.report!.diagnostics.some((d) => d.code === 'timeline.in-product' && d.location.cell === 'C291')).toBe(
      true,
    );
  });

  it('keeps following the sheet after the officer renames it', async () => {
    const h = seedHost();
    const { c } = await started(h);
    h.sheet(SHEET).name = 'PL Bình Thuận';
    h.userEdit('PL Bình Thuận', 'E263', '');
    const r = await settle(h, c);
    expect(c.lastStats!.kind).toBe('edit');
    expect(r!.diagnostics.some((d) => d.code === 'lead.missing' && d.location.row === 263)).toBe(true);
    expect(h.sheet('PL Bình Thuận').conditionalFormats.some((f) => f.formula?.includes('phuluc:error'))).toBe(true);
  });

  it('does not break when the officer deleted a mark format by hand before a fix', async () => {
    const h = seedHost();
    const { c } = await started(h);
    h.sheet(SHEET).conditionalFormats.splice(0, 1);
    const plan = c.planFixes(c.allFixes().filter((f) => f.edits.some((e) => e.cell === 'C290')));
    await c.applyEdits(plan.edits);
    expect(h.text(SHEET, 'D290')).toBe('Theo lộ trình đã được phê duyệt');
    expect(
      h.sheet(SHEET).conditionalFormats.filter((f) => f.formula?.startsWith('=N("phuluc:')).length,
    ).toBeGreaterThan(0);
  });

  it('takes a task typed below the last row (the used range grows) into the table', async () => {
    const h = seedHost();
    const { c } = await started(h);
    const tasks = c.report!.stats.tasks;
    const last = Math.max(...c.snapshot!.grid.rows.map((r) => r.index));
    expect(Math.max(...c.report!.sections.flatMap((s) => s.tasks.flatMap((t) => t.rows)))).toBe(last);
    const next = c.report!.sections.at(-1)!.tasks.length + 1;
    h.userEdit(SHEET, `A${last + 1}`, [
      [
        next,
        'Tổ chức tập huấn chuyển đổi số cho cán bộ cấp xã',
        'Lớp tập huấn',
        'Quý III/2024',
        'Sở Thông tin và Truyền thông',
        'UBND cấp xã',
        '',
      ],
    ]);
    const r = await settle(h, c);
    expect(c.lastStats!.kind).toBe('edit');
    expect(r!.stats.tasks).toBe(tasks + 1);
    // and a row typed past the used range's end grows the grid
    h.userEdit(SHEET, `B${last + 5}`, 'ghi chú cuối bảng');
    await settle(h, c);
    expect(
      c.snapshot!.grid.rows.some((row) => row.index === last + 5 && row.cells[1]?.text === 'ghi chú cuối bảng'),
    ).toBe(true);
  });

  it('follows the officer to another sheet and ignores edits on sheets it is not showing', async () => {
    const h = seedHost();
    h.addSheet(
      'Seed 000',
      readFileSync('seeds/000_683635a77beddbc9.txt', 'utf8')
        .split(/\r?\n/)
        .map((l) => l.split('\t')),
    );
    const { c } = await started(h);
    expect(c.snapshot!.sheetName).toBe(SHEET);
    const passes = c.lastStats;
    h.userEdit('Seed 000', 'B20', 'thay đổi ở trang khác');
    await settle(h, c);
    expect(c.lastStats).toBe(passes);
    h.userActivate('Seed 000');
    await h.settle();
    await c.runExclusive(async () => undefined); // wait for the pass the activation started
    expect(c.snapshot!.sheetName).toBe('Seed 000');
    expect(c.report!.stats.tasks).toBeGreaterThan(20);
  });

  it('treats a large paste as a table re-read', async () => {
    const h = seedHost();
    const { c } = await started(h);
    const block = Array.from({ length: 500 }, (_, i) => [`dòng ${i}`]);
    h.userEdit(SHEET, 'J1', block);
    await settle(h, c);
    expect(c.lastStats!.kind).toBe('full');
  });

  it('clears its marks and notes, keeping the officer’s', async () => {
    const h = seedHost();
    const c = new AddinController(envFor(h), { debounceMs: 5, syncCounter: () => h.syncCount });
    await c.start();
    h.sheet(SHEET).notes.set('C290', { content: 'ghi chú riêng' });
    const notes = await c.refreshNotes();
    expect(notes.added).toBeGreaterThan(0);
    expect(notes.skipped).toBe(1);
    const r = await c.clearMarks();
    expect(r.formats).toBeGreaterThan(0);
    expect(r.notes).toBe(notes.added);
    expect(h.sheet(SHEET).conditionalFormats).toEqual([]);
    expect([...h.sheet(SHEET).notes.entries()]).toEqual([['C290', { content: 'ghi chú riêng' }]]);
  });

  it('writes date-like and formula-like text as text', () => {
    expect(asTypedText('30/6/2024')).toBe("'30/6/2024");
    expect(asTypedText('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(asTypedText('12')).toBe('12');
    expect(asTypedText('Quý II/2024')).toBe('Quý II/2024');
  });
});
