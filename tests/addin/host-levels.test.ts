// The add-in on the hosts it promises (docs/ADDIN.md): Excel 2019 (ExcelApi 1.8), Excel 2021-era
// hosts (1.13) and current Microsoft 365 (1.18), in a fake that refuses what each host lacks and
// enforces the 512-merged-areas and 5 MB payload limits.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  FakeExcelHost,
  MERGED_AREAS_LIMIT,
  PAYLOAD_LIMIT_BYTES,
  payloadBytes,
} from '../../addin/testing/fake-excel.js';
import { AddinController } from '../../addin/controller.js';
import { applyGridChanges } from '../../addin/excel/sync.js';
import { readSheet } from '../../addin/excel/read.js';
import { envFor } from './excel/helpers.js';

const SHEET = 'Phụ lục';
const LEVELS = ['1.8', '1.13', '1.18'] as const;

function seedHost(excelApi: string) {
  const h = new FakeExcelHost({ excelApi });
  (globalThis as any).Excel = h.Excel;
  const lines = readFileSync('seeds/002_2bb1168879fd1a86.txt', 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  h.addSheet(
    SHEET,
    lines.map((l) => l.split('\t')),
  );
  return h;
}

async function settle(h: FakeExcelHost, c: AddinController) {
  await h.settle();
  return c.flush();
}

const merged = (h: FakeExcelHost) =>
  h.run(async (ctx: any) => {
    const m = ctx.workbook.worksheets.getItem(SHEET).getUsedRange(true).getMergedAreasOrNullObject();
    m.load('address');
    await ctx.sync();
    return m.isNullObject ? '' : (m.address as string);
  });

describe.each(LEVELS)('the add-in at ExcelApi %s', (level) => {
  const notes = level === '1.18';
  const merges = level !== '1.8';
  const triggerSource = level === '1.18';

  it('validates, re-validates an edit, applies fixes, refreshes notes only where the host has them, clears, and submits fresh data', async () => {
    const h = seedHost(level);
    h.merge(SHEET, 'A263:A264');
    const officerEdits: string[] = [];
    const c = new AddinController(envFor(h), {
      debounceMs: 5,
      syncCounter: () => h.syncCount,
      onOfficerEdit: (e) => officerEdits.push(e.address),
    });
    expect(c.caps).toEqual({ notes, mergedAreas: merges, triggerSource, multiAreaRanges: level !== '1.8' });
    const report = await c.start();
    expect(report.stats.tasks).toBeGreaterThan(40);
    expect(report.diagnostics.some((d) => d.code === 'timeline.in-product' && d.location.cell === 'C290')).toBe(true);
    expect(c.snapshot!.grid.merges ?? []).toEqual(merges ? ['A263:A264'] : []);
    expect(h.sheet(SHEET).conditionalFormats.some((f) => f.formula?.includes('phuluc:warning'))).toBe(true);

    h.userEdit(SHEET, 'E263', '');
    const edited = await settle(h, c);
    expect(c.lastStats).toMatchObject({ kind: 'edit', rows: 1 });
    expect(edited!.diagnostics.some((d) => d.code === 'lead.missing' && d.location.row === 263)).toBe(true);
    expect(officerEdits).toEqual(['E263']);

    const plan = c.planFixes(
      c.allFixes().filter((f) => f.edits.some((e) => e.to === 'Theo lộ trình đã được phê duyệt')),
    );
    const fixed = await c.applyEdits(plan.edits);
    await settle(h, c);
    expect(h.text(SHEET, 'D290')).toBe('Theo lộ trình đã được phê duyệt');
    expect(fixed.diagnostics.filter((d) => d.code === 'timeline.in-product' && d.location.row === 290)).toEqual([]);
    expect(officerEdits).toEqual(['E263']); // the fix's own events are not the officer's, at every level

    const n = await c.refreshNotes();
    expect(n.added > 0).toBe(notes);
    expect(h.sheet(SHEET).notes.size > 0).toBe(notes);

    // A change no event reports (a sort, a recalculation): the submitted grid is read again.
    h.sheet(SHEET).cells.set('262,4', { value: 'Sở Nội vụ' });
    const [grid] = await c.currentGrids();
    expect(grid.rows.find((r) => r.index === 263)!.cells[4].text).toBe('Sở Nội vụ');
    grid.rows[0].cells[0].text = 'changed';
    expect(c.snapshot!.grid.rows[0].cells[0].text).not.toBe('changed'); // a copy

    const cleared = await c.clearMarks();
    expect(cleared.formats).toBeGreaterThan(0);
    expect(h.sheet(SHEET).conditionalFormats).toEqual([]);
    expect(h.sheet(SHEET).notes.size).toBe(0);
  });

  it('does not take the add-in’s own row inserts and writes (pull, resolve) for the officer’s edits', async () => {
    const h = seedHost(level);
    const officerEdits: string[] = [];
    const c = new AddinController(envFor(h), { debounceMs: 5, onOfficerEdit: (e) => officerEdits.push(e.address) });
    await c.start();
    const id = c.snapshot!.sheetId;
    await c.runExclusive(() =>
      applyGridChanges(
        envFor(h).excel,
        id,
        {
          insertRows: [270, 271],
          writes: [{ sheet: SHEET, row: 270, column: 3, cell: 'C270', text: 'Nhiệm vụ được giao' }],
        },
        (a) => c.recordOwnWrites(id, a),
      ),
    );
    await settle(h, c);
    expect(h.eventLog.length).toBeGreaterThan(0); // events arrived: off-and-on in one batch does not hide them
    expect(officerEdits).toEqual([]);
    h.userEdit(SHEET, 'C270', 'Nhiệm vụ do cán bộ sửa');
    await settle(h, c);
    expect(officerEdits).toEqual(triggerSource ? ['C270'] : []); // below 1.14 the recorded rows stay ours for a moment
  });

  it('refuses what the host lacks, as Office does (ApiNotFound at sync)', async () => {
    const h = seedHost(level);
    const noteProbe = h.run(async (ctx: any) => {
      ctx.workbook.worksheets.getItem(SHEET).notes.getItemOrNullObject('A1').load('content');
      await ctx.sync();
    });
    if (notes) await expect(noteProbe).resolves.toBeUndefined();
    else await expect(noteProbe).rejects.toMatchObject({ code: 'ApiNotFound' });
    if (merges) await expect(merged(h)).resolves.toBe('');
    else await expect(merged(h)).rejects.toMatchObject({ code: 'ApiNotFound' });
  });
});

/** An annex of `sections` sections whose STT cells are merged over two rows. */
function mergedAnnex(level: string, pairs: number) {
  const h = new FakeExcelHost({ excelApi: level });
  const rows: string[][] = [
    ['KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025'],
    ['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Thời gian hoàn thành'],
    ['I', 'CẢI CÁCH THỂ CHẾ'],
  ];
  for (let i = 0; i < pairs; i++) {
    rows.push([String(i + 1), `Nhiệm vụ số ${i + 1}`, 'Báo cáo', 'Sở Tư pháp', 'Quý IV/2025']);
    rows.push(['', '', 'Kế hoạch', '', '']);
  }
  h.addSheet(SHEET, rows);
  for (let i = 0; i < pairs; i++) h.merge(SHEET, `A${4 + 2 * i}:A${5 + 2 * i}`);
  return h;
}

describe('host limits', () => {
  it.each(['1.13', '1.18'])(
    'reads an annex with 600 merged areas at ExcelApi %s, where one call over the sheet fails',
    async (level) => {
      const h = mergedAnnex(level, 600);
      await expect(merged(h)).rejects.toMatchObject({ code: 'GeneralException' });
      const snap = await readSheet(h as never, SHEET, { mergedAreas: true });
      expect(snap.grid.merges).toHaveLength(600);
      expect(new Set(snap.grid.merges)).toEqual(
        new Set(Array.from({ length: 600 }, (_, i) => `A${4 + 2 * i}:A${5 + 2 * i}`)),
      );
      expect(snap.grid.rows).toHaveLength(1203);
      expect(snap.grid.rows[1202].cells[0]).toEqual({ text: '', mergedInto: `A${4 + 2 * 599}` });
      expect(MERGED_AREAS_LIMIT).toBe(512);
    },
  );

  it('reads an annex near the 5 MB payload limit in chunks that each stay under it', async () => {
    const h = new FakeExcelHost({ excelApi: '1.18' });
    const long =
      'Rà soát, đánh giá thủ tục hành chính thuộc phạm vi quản lý; đề xuất phương án đơn giản hóa và công khai kết quả. '.repeat(
        3,
      );
    const rows: string[][] = [
      ['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian hoàn thành'],
    ];
    for (let i = 0; i < 2000; i++)
      rows.push([String(i + 1), `${i + 1}. ${long}`, long, 'Sở Tư pháp', long.slice(0, 120), 'Quý IV/2025']);
    h.addSheet(SHEET, rows);
    const whole = rows.map((r) => r.map(() => '')); // shape only
    const oneCall = payloadBytes(rows) * 3; // values, text and formulas of the used range
    expect(oneCall).toBeGreaterThan(PAYLOAD_LIMIT_BYTES * 0.9);
    expect(whole).toHaveLength(2001);
    // One load of everything fails as Excel on the web does...
    await expect(
      h.run(async (ctx: any) => {
        ctx.workbook.worksheets.getItem(SHEET).getUsedRange(true).load('values,text,formulas');
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: 'ResponsePayloadSizeLimitExceeded' });
    // ...the reader's chunks do not.
    const before = h.syncCount;
    const snap = await readSheet(h as never, SHEET);
    expect(snap.grid.rows).toHaveLength(2001);
    expect(snap.grid.rows[2000].cells[1].text).toBe(`2000. ${long}`);
    expect(h.syncCount - before).toBeGreaterThan(2);
  });
});
