// The fake's A1 rows ("5:5") and the row-metadata rule the add-on relies on: metadata goes on whole rows named in
// A1 notation; a cell range as wide as the sheet is refused, as the Sheets API may refuse it.
import { describe, expect, it } from 'vitest';
import { FakeSpreadsheet } from './fake-apps-script.js';

describe('fake Sheets: A1 rows and row metadata', () => {
  it('reads "5:5" and "5:7" as whole rows and takes metadata only there', () => {
    const ss = new FakeSpreadsheet();
    const sheet = ss.insertSheet('Phụ lục');
    const row = sheet.getRange('5:5');
    expect([row.getRow(), row.getNumRows(), row.getColumn(), row.getNumColumns()]).toEqual([5, 1, 1, sheet.getMaxColumns()]);
    expect(sheet.getRange('7:5').getNumRows()).toBe(3);
    row.addDeveloperMetadata('phuluc.taskId', 'T-1');
    expect(sheet.getRange('5:5').getDeveloperMetadata().map((m) => m.getValue())).toEqual(['T-1']);
    expect(() => sheet.getRange(6, 1, 1, sheet.getMaxColumns()).addDeveloperMetadata('phuluc.taskId', 'T-2')).toThrow(/entire rows/);
    expect(() => sheet.getRange('5:6').addDeveloperMetadata('phuluc.taskId', 'T-3')).toThrow(/entire rows/);
  });
});
