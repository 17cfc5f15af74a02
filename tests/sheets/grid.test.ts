// The add-on's pure parts: Sheets values → Grid, fixes → one block of values, the notes layer.
import { describe, expect, it } from 'vitest';
import { literal, sheetToGrid, valueText, writeBlock } from '../../sheets/src/grid.js';
import { NOTE_PREFIX, compactAreas, planMarks, updateNotes } from '../../sheets/src/marks.js';
import type { Diagnostic } from '../../engine/model.js';

const fmt = (d: Date) =>
  `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;

describe('sheet values → Grid', () => {
  it('turns numbers, booleans and Dates into the text the officer sees, keeps formulas and marks merged cells', () => {
    expect(valueText(12, fmt)).toBe('12');
    expect(valueText(true, fmt)).toBe('TRUE');
    expect(valueText(new Date(Date.UTC(2024, 11, 31)), fmt)).toBe('31/12/2024');
    expect(valueText(null, fmt)).toBe('');
    const g = sheetToGrid(
      {
        sheet: 'Phụ lục',
        values: [
          ['STT', 'Nhiệm vụ', '', ''],
          [1, 'Rà soát', 3, ''],
          ['', '', '', ''],
        ],
        formulas: [
          ['', '', '', ''],
          ['', '', '=1+2', ''],
          ['', '', '', ''],
        ],
        merges: ['B1:C1'],
      },
      fmt,
    );
    expect(g.kind).toBe('sheet');
    expect(g.merges).toEqual(['B1:C1']);
    expect(g.rows.map((r) => r.index)).toEqual([1, 2, 3]);
    expect(g.rows[0].cells).toEqual([{ text: 'STT' }, { text: 'Nhiệm vụ' }, { text: '', mergedInto: 'B1' }]);
    expect(g.rows[1].cells).toEqual([{ text: '1' }, { text: 'Rà soát' }, { text: '3', formula: '1+2' }]);
    expect(g.rows[2].cells).toEqual([]);
  });
});

describe('fixes → one setValues block', () => {
  it('writes edited cells as literal text and everything between as it was (formulas as formulas)', () => {
    const values = [
      ['a', 'b', 'c'],
      ['<b>x</b>', 5, new Date(0)],
      ['12', '', 'z'],
    ];
    const formulas = [
      ['', '', ''],
      ['', '=2+3', ''],
      ['', '', ''],
    ];
    const edit = (row: number, column: number, from: string, to: string) => ({
      sheet: 'S',
      row,
      column,
      cell: `${'ABC'[column - 1]}${row}`,
      from,
      to,
    });
    const b = writeBlock('S', [edit(2, 1, '<b>x</b>', 'x'), edit(3, 3, 'z', '31/12/2024')], values, formulas)!;
    expect(b).toMatchObject({ row: 2, column: 1, cells: ['A2', 'C3'] });
    expect(b.values).toEqual([
      ['x', '=2+3', new Date(0)],
      ["'12", '', "'31/12/2024"],
    ]);
    expect(writeBlock('Khác', [edit(1, 1, 'a', 'b')], values)).toBeNull();
  });

  it('quotes texts Sheets would otherwise parse as numbers, dates, booleans or formulas', () => {
    for (const t of [
      '12',
      '1.',
      '12,5',
      '5%',
      '31/12/2024',
      '2024-12-31',
      'TRUE',
      '=A1',
      '+84',
      '- gạch đầu dòng',
      "'x",
    ])
      expect(literal(t)).toBe(`'${t}`);
    for (const t of ['', 'Quý I/2024', 'Sở Tư pháp', 'Hoàn thành trước 31/12/2024']) expect(literal(t)).toBe(t);
  });
});

describe('the notes layer', () => {
  const d = (cell: string, severity: Diagnostic['severity'], message: string): Diagnostic => ({
    code: 'x',
    severity,
    message,
    location: { sheet: 'S', row: Number(cell.slice(1)), column: cell.charCodeAt(0) - 64, cell },
  });

  it('plans one note per cell and the highest severity, and joins adjacent cells into areas', () => {
    const plan = planMarks(
      [
        d('B2', 'info', 'một'),
        d('B2', 'error', 'hai'),
        d('B3', 'error', 'ba'),
        d('C9', 'warning', 'bốn'),
        { ...d('A1', 'error', 'khác'), location: { sheet: 'Khác', row: 1, cell: 'A1' } },
      ],
      'S',
    );
    expect(plan.cells).toEqual({ error: ['B2:B3'], warning: ['C9'], info: [] });
    expect(plan.notes.get('B2')).toBe(`${NOTE_PREFIX}một\nhai`);
    expect(plan.notes.has('A1')).toBe(false);
    expect(compactAreas(['A1', 'A2', 'A4', 'B1'])).toEqual(['A1:A2', 'A4', 'B1']);
  });

  it('writes only the rows that change and never replaces a note of the officer', () => {
    const current = [
      ['', '', ''],
      ['', `${NOTE_PREFIX}cũ`, 'Ghi chú của chuyên viên'],
      ['', '', ''],
      ['', `${NOTE_PREFIX}giữ`, ''],
    ];
    const plan = planMarks([d('C2', 'warning', 'mới'), d('B4', 'warning', 'giữ')], 'S');
    const u = updateNotes(current, plan, 3, 4);
    expect(u).toMatchObject({ firstRow: 2, lastRow: 2, added: 0, removed: 1, skipped: 1 });
    expect(u.notes).toEqual([['', '', 'Ghi chú của chuyên viên']]);
    const none = updateNotes(u.notes.length ? [current[0], u.notes[0], current[2], current[3]] : current, plan, 3, 4);
    expect(none.firstRow).toBeNull();
  });
});
