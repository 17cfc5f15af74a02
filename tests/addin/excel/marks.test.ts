import { describe, expect, it, beforeAll } from 'vitest';
import { FakeExcelHost } from '../../../addin/testing/fake-excel.js';
import { MarkLayer, compactAreas, planMarks, NOTE_PREFIX, MARK_COLORS } from '../../../addin/excel/marks.js';
import type { Diagnostic } from '../../../engine/model.js';
import { envFor, readSheet } from './helpers.js';

const diag = (cell: string, severity: Diagnostic['severity'], message = `vấn đề ở ${cell}`): Diagnostic => {
  const m = /([A-Z]+)(\d+)/.exec(cell)!;
  return { code: 'lead.missing', severity, message, location: { sheet: 'PL', row: Number(m[2]), cell } };
};

function setup() {
  const h = new FakeExcelHost();
  (globalThis as any).Excel = h.Excel;
  h.addSheet('PL', [
    ['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì'],
    [1, 'A', 'x', ''],
    [2, 'B', 'y', ''],
    [3, 'C', '', 'Sở Nội vụ'],
  ]);
  const env = envFor(h);
  return { h, env, layer: new MarkLayer(env.settings) };
}

async function paint(h: FakeExcelHost, layer: MarkLayer, diags: Diagnostic[]) {
  const snap = await readSheet(h, 'PL');
  await h.run(async (ctx) => {
    const done = layer.queueColours(ctx as never, 'PL', diags, snap.conditionalFormatIds);
    await ctx.sync();
    done();
  });
}

describe('mark layer', () => {
  beforeAll(() => undefined);

  it('plans the highest severity per cell and compacts runs of one column', () => {
    const p = planMarks([diag('D2', 'warning'), diag('D2', 'error'), diag('D3', 'error'), diag('C4', 'info')], 'PL');
    expect(p.cells).toEqual({ error: ['D2', 'D3'], warning: [], info: ['C4'] });
    expect(compactAreas(['D3', 'D2', 'C4', 'D5'])).toEqual(['C4', 'D2:D3', 'D5']);
    expect(p.notes.get('D2')!.startsWith(NOTE_PREFIX)).toBe(true);
  });

  it('paints tagged conditional formats without touching the officer’s fill, and clears only its own', async () => {
    const { h, layer } = setup();
    const sheet = h.sheet('PL');
    // the officer's own formatting
    await h.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem('PL');
      ws.getRange('D2').format.fill.color = '#C6EFCE';
      const own = ws.getRange('A1:D1').conditionalFormats.add('Custom');
      own.custom.rule.formula = '=LEN(A1)>0';
      await ctx.sync();
    });
    await paint(h, layer, [diag('D2', 'error'), diag('D3', 'error'), diag('C4', 'warning')]);
    const ours = sheet.conditionalFormats.filter((c) => c.formula?.includes('phuluc'));
    expect(ours.map((c) => [c.formula, c.fill])).toEqual([
      ['=N("phuluc:error")=0', MARK_COLORS.error],
      ['=N("phuluc:warning")=0', MARK_COLORS.warning],
    ]);
    expect(ours[0].ranges).toEqual([{ r1: 1, c1: 3, r2: 2, c2: 3 }]);
    // repaint with one error fixed: the error layer is replaced, the warning layer kept as is
    const warningId = ours[1].id;
    await paint(h, layer, [diag('D3', 'error'), diag('C4', 'warning')]);
    const again = sheet.conditionalFormats.filter((c) => c.formula?.includes('phuluc'));
    expect(again).toHaveLength(2);
    expect(again.find((c) => c.fill === MARK_COLORS.warning)!.id).toBe(warningId);
    expect(again.find((c) => c.fill === MARK_COLORS.error)!.ranges).toEqual([{ r1: 2, c1: 3, r2: 2, c2: 3 }]);
    // a new layer object (a later session) still knows its formats from the document settings
    const later = new MarkLayer(envFor(h).settings);
    const cleared = await later.clear(h as never, 'PL');
    expect(cleared.formats).toBe(2);
    expect(sheet.conditionalFormats.map((c) => c.formula)).toEqual(['=LEN(A1)>0']);
    expect(sheet.formats.get('1,3')?.fill).toBe('#C6EFCE');
  });

  it('survives the officer deleting a mark format by hand', async () => {
    const { h, layer } = setup();
    await paint(h, layer, [diag('D2', 'error')]);
    h.sheet('PL').conditionalFormats = [];
    await paint(h, layer, [diag('D3', 'error')]);
    expect(h.sheet('PL').conditionalFormats).toHaveLength(1);
  });

  it('writes notes only where the officer has none, updates and removes its own', async () => {
    const { h, layer } = setup();
    h.sheet('PL').notes.set('D3', { content: 'Ghi chú của cán bộ' });
    const r1 = await layer.syncNotes(h as never, 'PL', [diag('D2', 'error', 'Thiếu cơ quan'), diag('D3', 'error')]);
    expect(r1).toEqual({ added: 1, removed: 0, skipped: 1 });
    expect(h.sheet('PL').notes.get('D2')?.content).toBe(`${NOTE_PREFIX}Thiếu cơ quan`);
    expect(h.sheet('PL').notes.get('D3')?.content).toBe('Ghi chú của cán bộ');
    const r2 = await layer.syncNotes(h as never, 'PL', []);
    expect(r2.removed).toBe(1);
    expect([...h.sheet('PL').notes.keys()]).toEqual(['D3']);
  });
});
