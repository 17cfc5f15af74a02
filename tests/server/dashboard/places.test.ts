// Places said the way an officer finds them, and messages that name only buttons that exist.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../server/app.js';
import { vi } from '../../../engine/messages/vi.js';
import { ERROR_CATALOGUE, type ErrorText } from '../../../contracts/errors.js';
import { downloadPlace, placeOf, placeText } from '../../../server/dashboard/places.js';

const text = [{ sheet: 'ke-hoach.txt', kind: 'text' as const }];
const word = [
  {
    sheet: 'ke-hoach.docx',
    kind: 'sheet' as const,
    tables: [
      { first: 4, last: 10 },
      { first: 13, last: 40 },
    ],
  },
];
const sheet = [{ sheet: 'Phụ lục', kind: 'sheet' as const }];

describe('places', () => {
  it('a text file by line, a Word document by table and row (or paragraph), a spreadsheet by cell', () => {
    expect(placeOf({ sheet: 'ke-hoach.txt', row: 309, column: 6, cell: 'F309' }, text)).toBe('dòng 309, ô thứ 6');
    expect(placeOf({ sheet: 'ke-hoach.txt', row: 309, column: 1, cell: 'A309' }, text)).toBe('dòng 309');
    expect(placeOf({ sheet: 'ke-hoach.docx', row: 26, column: 2, cell: 'B26' }, word)).toBe('bảng 2, hàng 14, ô thứ 2');
    expect(placeOf({ sheet: 'ke-hoach.docx', row: 4 }, word)).toBe('bảng 1, hàng 1');
    // Paragraph 12 of the document is grid row 12 + the 7 rows of table 1 before it.
    expect(placeOf({ sheet: 'ke-hoach.docx', row: 12 }, word)).toBe('đoạn 5');
    expect(placeOf({ sheet: 'Phụ lục', row: 14, column: 3, cell: 'C14' }, sheet)).toBe('Phụ lục!C14');
    expect(placeOf({ sheet: 'Phụ lục', row: 14 }, sheet)).toBe('Phụ lục, hàng 14');
  });

  it("a text line or Word row is also said as the row of the version's Excel download; a spreadsheet's cell is not", () => {
    const rows = [
      { sheet: 'ke-hoach.txt', row: 309, xlsxRow: 52 },
      { sheet: 'ke-hoach.docx', row: 26, xlsxRow: 17 },
      { sheet: 'Phụ lục', row: 14, xlsxRow: 9 },
    ];
    expect(downloadPlace({ sheet: 'ke-hoach.txt', row: 309 }, text, rows)).toBe('hàng 52 trong tệp Excel tải về');
    expect(downloadPlace({ sheet: 'ke-hoach.docx', row: 26 }, word, rows)).toBe('hàng 17 trong tệp Excel tải về');
    // A line the annex was not read from (a title, a signature) is in no row of the download.
    expect(downloadPlace({ sheet: 'ke-hoach.txt', row: 3 }, text, rows)).toBe('');
    expect(downloadPlace({ sheet: 'Phụ lục', row: 14 }, sheet, rows)).toBe('');
    expect(downloadPlace({ sheet: 'ke-hoach.txt', row: 309 }, text, undefined)).toBe('');
  });

  it('messages say the place instead of a cell that exists nowhere the officer can look', () => {
    expect(placeText('Ô F309 chứa thẻ HTML (<b>).', { sheet: 'ke-hoach.txt', row: 309 }, text)).toBe(
      'Dòng 309, ô thứ 6 chứa thẻ HTML (<b>).',
    );
    expect(placeText('Chuyển "Quý I" sang ô F26.', { sheet: 'ke-hoach.docx', row: 26 }, word)).toBe(
      'Chuyển "Quý I" sang bảng 2, hàng 14, ô thứ 6.',
    );
    expect(placeText('Ô C14 chứa công thức.', { sheet: 'Phụ lục', row: 14 }, sheet)).toBe('Ô C14 chứa công thức.');
  });
});

describe('messages name only buttons that exist', () => {
  it('no check message or hint tells the officer to press a button: the add-in and the dashboard show the fix as one', () => {
    const said = Object.entries(vi).flatMap(([code, e]) =>
      [
        e.message,
        e.hint ?? '',
        ...Object.values(e.variants?.cases ?? {}).flatMap((c) => [c.message, c.hint ?? '']),
      ].map((t) => [code, t]),
    );
    expect(said.filter(([, t]) => /\bBấm\b|\bnhấn\b/i.test(t))).toEqual([]);
  });

  it('every button a server message names is a button of the dashboard', () => {
    const app = readFileSync(join(ROOT, 'server', 'dashboard', 'app.ts'), 'utf8');
    const named = (Object.values(ERROR_CATALOGUE) as ErrorText[]).flatMap((e) =>
      [...e.vi.matchAll(/Bấm "([^"]+)"/g)].map((m) => m[1]),
    );
    expect(named.length).toBeGreaterThan(0);
    for (const label of named) expect(app, label).toMatch(new RegExp(`h\\('button', \\{[^}]*\\}, '${label}'\\)`));
  });
});
