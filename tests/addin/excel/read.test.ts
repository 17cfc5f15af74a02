import { describe, expect, it } from 'vitest';
import { FakeExcelHost } from '../../../addin/testing/fake-excel.js';
import { readSheet, parseRowSpansForTest } from './helpers.js';

describe('readSheet (Excel → Grid)', () => {
  it('reads values, displayed text, formulas and merges of the used range in one sync', async () => {
    const h = new FakeExcelHost();
    h.addSheet(
      'PL',
      [
        ['STT', 'Nhiệm vụ', 'Sản phẩm'],
        [1, 'Rà soát văn bản', 'Báo cáo'],
        ['', '', 'Kế hoạch'],
        ['=B4+1', 'Tuyên truyền', ''],
      ],
      { row: 3, column: 2 },
    );
    h.sheet('PL').cells.get('5,1')!.value = 2; // cached formula result
    h.merge('PL', 'B4:B5');
    const before = h.syncCount;
    const snap = await readSheet(h, 'PL');
    expect(h.syncCount - before).toBe(1);
    expect(snap.extent).toEqual({ rowIndex: 2, columnIndex: 1, rowCount: 4, columnCount: 3 });
    const rows = snap.grid.rows;
    expect(rows.map((r) => r.index)).toEqual([3, 4, 5, 6]);
    // padded from column A so grid columns equal sheet columns
    expect(rows[0].cells.map((c) => c.text)).toEqual(['', 'STT', 'Nhiệm vụ', 'Sản phẩm']);
    expect(rows[1].cells[1]).toEqual({ text: '1' });
    expect(rows[2].cells[1]).toEqual({ text: '', mergedInto: 'B4' });
    expect(rows[3].cells[1]).toEqual({ text: '2', formula: 'B4+1' });
    expect(snap.grid.merges).toEqual(['B4:B5']);
  });

  it('reads the active sheet when no name is given', async () => {
    const h = new FakeExcelHost();
    h.addSheet('A', [['a']]);
    h.addSheet('B', [['b']]);
    h.userActivate('B');
    const snap = await readSheet(h);
    expect(snap.sheetName).toBe('B');
    expect(snap.grid.rows[0].cells[0].text).toBe('b');
  });

  it('turns change addresses into row spans, refusing what events cannot describe', () => {
    expect(parseRowSpansForTest('C12')).toEqual([[12, 12]]);
    expect(parseRowSpansForTest("'PL'!A5:G9")).toEqual([[5, 9]]);
    expect(parseRowSpansForTest('5:7')).toBeUndefined();
    expect(parseRowSpansForTest('A1,B3')).toBeUndefined();
    expect(parseRowSpansForTest('A:C')).toBeUndefined();
  });
});
