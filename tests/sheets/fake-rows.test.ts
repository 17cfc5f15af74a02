// The fake's A1 rows ("5:5") and the row-metadata rule the add-on relies on: metadata goes on whole rows named in
// A1 notation; a cell range as wide as the sheet is refused, as the Sheets API may refuse it.
import { describe, expect, it } from 'vitest';
import { FakeSpreadsheet } from './fake-apps-script.js';

describe('fake Sheets: A1 rows and row metadata', () => {
  it('reads "5:5" and "5:7" as whole rows and takes metadata only there', () => {
    const ss = new FakeSpreadsheet();
    const sheet = ss.insertSheet('Phụ lục');
    const row = sheet.getRange('5:5');
    expect([row.getRow(), row.getNumRows(), row.getColumn(), row.getNumColumns()]).toEqual([
      5,
      1,
      1,
      sheet.getMaxColumns(),
    ]);
    expect(sheet.getRange('7:5').getNumRows()).toBe(3);
    row.addDeveloperMetadata('phuluc.taskId', 'T-1');
    expect(
      sheet
        .getRange('5:5')
        .getDeveloperMetadata()
        .map((m) => m.getValue()),
    ).toEqual(['T-1']);
    expect(() => sheet.getRange(6, 1, 1, sheet.getMaxColumns()).addDeveloperMetadata('phuluc.taskId', 'T-2')).toThrow(
      /entire rows/,
    );
    expect(() => sheet.getRange('5:6').addDeveloperMetadata('phuluc.taskId', 'T-3')).toThrow(/entire rows/);
  });
});

describe('fake Sheets: calls per edit', () => {
  it('counts the add-on’s service calls: one onEdit reads the sheet in one batch and holds the lock once', async () => {
    const { callCounter } = await import('./call-counter.js');
    const { loadAddon } = await import('./run-addon.js');
    const ss = new FakeSpreadsheet();
    const rows = [
      ['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện'],
      ['I', 'Cải cách thể chế', '', '', '', ''],
    ];
    for (let n = 1; n <= 30; n++)
      rows.push([String(n), `Nhiệm vụ ${n}`, `Báo cáo ${n}`, 'Sở Nội vụ', '', 'Quý II/2025']);
    const sheet = ss.addSheetFromTexts('Phụ lục', rows);
    const addon = await loadAddon(ss);
    addon.env.setSimpleTrigger(true);
    const counter = callCounter();
    for (const name of ['SpreadsheetApp', 'CacheService', 'LockService', 'PropertiesService'])
      addon.context[name] = counter.wrap(addon.env.globals[name]);
    const cell = sheet.getRange('D5');
    cell.setValue('');
    addon.fn.onEdit({ range: counter.wrap(cell), source: counter.wrap(ss) });
    expect(counter.calls).toBeGreaterThan(5);
    expect(counter.byName.get('FakeRange.getValues')).toBe(1);
    expect(counter.byName.get('FakeLock.tryLock')).toBe(1);
    expect(counter.byName.get('FakeLock.releaseLock')).toBe(1);
  }, 60_000);
});
