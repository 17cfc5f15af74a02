// The fake host must behave like Office where the adapter depends on it, or adapter tests prove nothing.
import { describe, expect, it } from 'vitest';
import { FakeExcelHost, FakeOfficeError, parseAddress } from '../../addin/testing/fake-excel.js';

function host() {
  const h = new FakeExcelHost();
  h.addSheet(
    'Phụ lục',
    [
      ['STT', 'Nhiệm vụ'],
      [1, 'Rà soát'],
    ],
    { row: 3, column: 2 },
  );
  return h;
}

describe('fake Excel host', () => {
  it('throws PropertyNotLoaded before load + sync, like Office', async () => {
    const h = host();
    await h.run(async (ctx) => {
      const r = ctx.workbook.worksheets.getActiveWorksheet().getUsedRange();
      expect(() => r.values).toThrow(FakeOfficeError);
      r.load('values');
      expect(() => r.values).toThrowError(/call the load method/);
      await ctx.sync();
      expect(r.values).toEqual([
        ['STT', 'Nhiệm vụ'],
        [1, 'Rà soát'],
      ]);
      expect(() => r.address).toThrow(/'address' is not available/);
    });
  });

  it('queues writes until sync and counts syncs', async () => {
    const h = host();
    const before = h.syncCount;
    await h.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem('Phụ lục');
      ws.getRange('C5').values = [['Báo cáo']];
      expect(h.text('Phụ lục', 'C5')).toBe('');
      await ctx.sync();
      expect(h.text('Phụ lục', 'C5')).toBe('Báo cáo');
    });
    expect(h.syncCount - before).toBe(1);
  });

  it('rejects mismatched array sizes and keeps earlier commands of the batch', async () => {
    const h = host();
    await expect(
      h.run(async (ctx) => {
        const ws = ctx.workbook.worksheets.getItem('Phụ lục');
        ws.getRange('D3').values = [['ok']];
        ws.getRange('D4:E4').values = [['only one']];
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: 'InvalidArgument' });
    expect(h.text('Phụ lục', 'D3')).toBe('ok');
  });

  it('reports the used range with its offset, and A1 for an empty sheet', async () => {
    const h = host();
    h.addSheet('Trống');
    await h.run(async (ctx) => {
      const a = ctx.workbook.worksheets
        .getItem('Phụ lục')
        .getUsedRange(true)
        .load('address,rowIndex,columnIndex,rowCount');
      const b = ctx.workbook.worksheets.getItem('Trống').getUsedRange(true).load('address');
      const c = ctx.workbook.worksheets.getItem('Trống').getUsedRangeOrNullObject(true).load('address');
      await ctx.sync();
      expect([a.address, a.rowIndex, a.columnIndex, a.rowCount]).toEqual(["'Phụ lục'!B3:C4", 2, 1, 2]);
      expect(b.address).toBe('Trống!A1'.replace('Trống', "'Trống'"));
      expect(c.isNullObject).toBe(true);
    });
  });

  it('fires change events after the sync, with the documented args; enableEvents=false silences them only when the batch leaves it off', async () => {
    const h = host();
    const seen: { address: string; changeType: string; triggerSource: string }[] = [];
    await h.run(async (ctx) => {
      ctx.workbook.worksheets.onChanged.add(async (e: any) => void seen.push(e));
      await ctx.sync();
    });
    h.userEdit('Phụ lục', 'C4', 'Rà soát văn bản');
    await h.settle();
    expect(seen).toMatchObject([
      { address: 'C4', changeType: 'RangeEdited', triggerSource: 'Unknown', source: 'Local' },
    ]);
    await h.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('Phụ lục').getRange('D4').values = [['x']];
      await ctx.sync();
      // Off and on again inside one batch: not documented to hide the batch's events, so they arrive.
      ctx.runtime.enableEvents = false;
      ctx.workbook.worksheets.getItem('Phụ lục').getRange('E4').values = [['y']];
      ctx.runtime.enableEvents = true;
      await ctx.sync();
      // Off for a whole batch (the documented rule): silent.
      ctx.runtime.enableEvents = false;
      await ctx.sync();
      ctx.workbook.worksheets.getItem('Phụ lục').getRange('F4').values = [['z']];
      await ctx.sync();
      ctx.runtime.enableEvents = true;
      await ctx.sync();
    });
    await h.settle();
    expect(seen.slice(1)).toMatchObject([
      { address: 'D4', triggerSource: 'ThisLocalAddin' },
      { address: 'E4', triggerSource: 'ThisLocalAddin' },
    ]);
    expect(seen).toHaveLength(3);
    h.userInsertRows('Phụ lục', 4, 2);
    await h.settle();
    expect(seen.at(-1)).toMatchObject({ address: '4:5', changeType: 'RowInserted' });
    expect(h.text('Phụ lục', 'C6')).toBe('Rà soát văn bản');
  });

  it('stores typed numbers as numbers and apostrophe text as text', async () => {
    const h = host();
    h.userEdit('Phụ lục', 'B5', [['3', "'30/6/2024", '=B4+1']]);
    expect(h.cell('Phụ lục', 'B5')?.value).toBe(3);
    expect(h.cell('Phụ lục', 'C5')?.value).toBe('30/6/2024');
    expect(h.cell('Phụ lục', 'D5')?.formula).toBe('=B4+1');
  });

  it('resolves *OrNullObject at sync and getItem failures as ItemNotFound', async () => {
    const h = host();
    await h.run(async (ctx) => {
      const missing = ctx.workbook.worksheets.getItemOrNullObject('Không có');
      missing.load('name');
      const note = ctx.workbook.worksheets.getItem('Phụ lục').notes.getItemOrNullObject('B3');
      note.load('content');
      expect(() => missing.isNullObject).toThrow();
      await ctx.sync();
      expect(missing.isNullObject).toBe(true);
      expect(note.isNullObject).toBe(true);
    });
    await expect(
      h.run(async (ctx) => {
        ctx.workbook.worksheets.getItem('Không có').load('name');
        await ctx.sync();
      }),
    ).rejects.toMatchObject({ code: 'ItemNotFound' });
  });

  it('parses addresses with quoted sheet names, whole rows and columns', () => {
    expect(parseAddress("'Phụ lục'!B3:C4")).toEqual({ sheet: 'Phụ lục', rect: { r1: 2, c1: 1, r2: 3, c2: 2 } });
    expect(parseAddress('5:7').rect).toMatchObject({ r1: 4, r2: 6, c1: 0 });
    expect(() => parseAddress('B')).toThrow(/invalid/);
  });

  it('keeps conditional formats separate from cell fills and deletes them by id', async () => {
    const h = host();
    let id = '';
    await h.run(async (ctx) => {
      const ws = ctx.workbook.worksheets.getItem('Phụ lục');
      ws.getRange('B3').format.fill.color = '#00FF00';
      const cf = ws.getRanges('B3,C4:C5').conditionalFormats.add('Custom');
      cf.custom.rule.formula = '=TRUE';
      cf.custom.format.fill.color = '#FF0000';
      cf.load('id');
      await ctx.sync();
      id = cf.id;
    });
    const sheet = h.sheet('Phụ lục');
    expect(sheet.conditionalFormats).toHaveLength(1);
    expect(sheet.conditionalFormats[0].ranges).toHaveLength(2);
    await h.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('Phụ lục').getRange().conditionalFormats.getItem(id).delete();
      await ctx.sync();
    });
    expect(sheet.conditionalFormats).toHaveLength(0);
    expect(sheet.formats.get('2,1')?.fill).toBe('#00FF00');
  });
});
