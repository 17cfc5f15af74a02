// Content identity: what counts as "the same content" for duplicate detection, and the per-task diff.
import { describe, expect, it } from 'vitest';
import type { Annex, Grid, Task } from '../../../engine/index.js';
import { annexUnchanged, contentHash, gridsEmpty } from '../../../server/domain/content.js';
import { diffAnnexes } from '../../../server/domain/diff.js';

const grid = (rows: string[][], extra: Partial<Grid> = {}): Grid => ({
  sheet: 'Phụ lục',
  kind: 'sheet',
  rows: rows.map((cells, i) => ({ index: i + 1, cells: cells.map((text) => ({ text })) })),
  ...extra,
});

describe('contentHash', () => {
  const base = grid([
    ['STT', 'Nhiệm vụ'],
    ['1', 'Rà soát thủ tục hành chính'],
  ]);

  it('ignores trailing empty cells, blank rows, empty sheets, surrounding spaces and NFD vs NFC', () => {
    const noisy: Grid[] = [
      {
        ...base,
        rows: [
          { index: 1, cells: [{ text: ' STT ' }, { text: 'Nhiệm vụ' }, { text: '' }] },
          {
            index: 2,
            cells: [{ text: '1' }, { text: 'Rà soát thủ tục hành chính'.normalize('NFD') }, { text: '' }, { text: '' }],
          },
          { index: 3, cells: [{ text: '' }, { text: '   ' }] },
        ],
      },
      { sheet: 'Sheet2', kind: 'sheet', rows: [{ index: 1, cells: [{ text: '' }] }] },
    ];
    expect(contentHash(noisy)).toBe(contentHash([base]));
  });

  it('changes when text, position, row number, formula, merges or sheet name change', () => {
    const h = contentHash([base]);
    expect(
      contentHash([
        grid([
          ['STT', 'Nhiệm vụ'],
          ['1', 'Rà soát thủ tục hành chính.'],
        ]),
      ]),
    ).not.toBe(h);
    expect(
      contentHash([
        grid([
          ['STT', 'Nhiệm vụ'],
          ['', '1', 'Rà soát thủ tục hành chính'],
        ]),
      ]),
    ).not.toBe(h);
    expect(contentHash([grid([['STT', 'Nhiệm vụ'], ['1Rà soát thủ tục hành chính']])])).not.toBe(h);
    const moved = structuredClone(base);
    moved.rows[1].index = 5;
    expect(contentHash([moved])).not.toBe(h);
    const formula = structuredClone(base);
    formula.rows[1].cells[0].formula = 'ROW()-1';
    expect(contentHash([formula])).not.toBe(h);
    expect(contentHash([{ ...base, merges: ['A1:A2'] }])).not.toBe(h);
    expect(contentHash([{ ...base, sheet: 'Phụ lục 2' }])).not.toBe(h);
  });

  it('from kept row pieces, hashes what it hashes from the grids (lone surrogates, empty sheets, every seed)', async () => {
    const kept = new WeakMap();
    const odd: Grid[] = [
      grid([['\ud83d', '\ude00 mặt cười', '\ud83d\ude00'], ['', ''], ['Nhiệm vụ \udc00']], {
        merges: ['B1:C1', 'A1:A2'],
      }),
      { sheet: 'Trống', kind: 'sheet', rows: [{ index: 1, cells: [{ text: ' ' }] }] },
      grid(
        [
          ['x', ''],
          ['', 'y'],
        ],
        { sheet: 'Ba', kind: 'text' },
      ),
    ];
    expect(contentHash(odd, kept)).toBe(contentHash(odd));
    // Twice: the second time from the kept pieces.
    expect(contentHash(odd, kept)).toBe(contentHash(odd));
    const { readFileToGrids } = await import('../../../io/read.js');
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { ROOT } = await import('../../support/runtime.js');
    for (const seed of readdirSync(join(ROOT, 'seeds')).filter((f) => /^\d{3}_.*\.txt$/.test(f))) {
      const grids = await readFileToGrids(readFileSync(join(ROOT, 'seeds', seed)), seed);
      expect(contentHash(grids, kept), seed).toBe(contentHash(grids));
      expect(contentHash(grids, kept), seed).toBe(contentHash(grids));
    }
  });

  it('knows an empty workbook', () => {
    expect(gridsEmpty([grid([['', ' '], []])])).toBe(true);
    expect(gridsEmpty([base])).toBe(false);
  });
});

describe('diffAnnexes', () => {
  const loc = (row: number) => ({ sheet: 'Phụ lục', row });
  const task = (number: string, text: string, row: number, more: Partial<Task> = {}): Task => ({
    number,
    task: text,
    products: [],
    lead: [{ text: 'Sở Nội vụ', kind: 'agency' }],
    support: [],
    timeline: { kind: 'unknown', text: 'Quý I' },
    source: loc(row),
    rows: [row],
    ...more,
  });
  const annex = (tasks: Task[]): Annex => ({
    meta: {},
    sections: [{ numeral: 'I', title: 'Công tác chỉ đạo, điều hành', area: 'direction', source: loc(1), tasks }],
  });

  it('reports added, removed and changed fields; renumbered tasks match by text', () => {
    const a = annex([
      task('1', 'Ban hành kế hoạch', 2),
      task('2', 'Kiểm tra CCHC', 3),
      task('3', 'Tuyên truyền CCHC', 4),
    ]);
    const b = annex([
      task('1', 'Ban hành kế hoạch', 2, { timeline: { kind: 'unknown', text: 'Quý II' } }),
      task('2', 'Tuyên truyền CCHC', 3),
      task('3', 'Khảo sát sự hài lòng', 4),
    ]);
    const d = diffAnnexes(a, b);
    expect(d.changed.map((c) => [c.number, c.fields.map((f) => f.field)])).toEqual([
      ['1', ['timeline']],
      ['2', ['number']],
    ]);
    expect(d.changed[0].fields[0]).toEqual({ field: 'timeline', from: 'Quý I', to: 'Quý II' });
    // "Kiểm tra CCHC" (old 2) and "Khảo sát…" (new 3) have neither text nor number in common with a partner.
    expect(d.removed.map((x) => x.task)).toEqual(['Kiểm tra CCHC']);
    expect(d.added.map((x) => x.task)).toEqual(['Khảo sát sự hài lòng']);
    expect(d.unchanged).toBe(0);
  });

  it('matches by stable id first, even when number and text both change', () => {
    const a = annex([task('1', 'Ban hành kế hoạch', 2, { id: 't-1' })]);
    const b = annex([task('4', 'Ban hành kế hoạch CCHC năm 2024', 9, { id: 't-1' })]);
    const d = diffAnnexes(a, b);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(d.changed[0].fields.map((f) => f.field).sort()).toEqual(['number', 'task']);
    expect(d.changed[0]).toMatchObject({ id: 't-1', row: 9, fromRow: 2 });
  });

  it('a reworded task keeps its number within the section: changed, not removed + added', () => {
    const d = diffAnnexes(
      annex([task('1', 'Ban hành kế hoạch', 2)]),
      annex([task('1', 'Ban hành kế hoạch năm 2024', 2)]),
    );
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0].fields).toEqual([
      { field: 'task', from: 'Ban hành kế hoạch', to: 'Ban hành kế hoạch năm 2024' },
    ]);
  });
});

describe('annexUnchanged', () => {
  const annexOf = (text: string, meta: Annex['meta'] = {}): Annex => ({
    meta,
    sections: [
      {
        numeral: 'I',
        title: 'Cải cách thể chế',
        area: 'institution',
        source: { sheet: 'Phụ lục', row: 6 },
        tasks: [
          {
            number: '1',
            task: text,
            products: [],
            lead: [{ text: 'Sở Tư pháp', kind: 'agency' }],
            support: [],
            timeline: { kind: 'unknown', text: 'Quý I' },
            source: { sheet: 'Phụ lục', row: 7, cell: 'B7' },
            rows: [7],
          },
        ],
      },
    ],
  });

  it('ignores where the table was read from and task ids, not what it says', () => {
    const a = annexOf('Rà soát văn bản');
    const moved = structuredClone(a);
    moved.sections[0].tasks[0].source = { sheet: 'tai-len.csv', row: 3 };
    moved.sections[0].tasks[0].rows = [3];
    moved.sections[0].tasks[0].id = 't-123';
    expect(annexUnchanged(a, moved)).toBe(true);
    expect(annexUnchanged(a, annexOf('Rà soát văn bản.'))).toBe(false);
    const lead = structuredClone(a);
    lead.sections[0].tasks[0].lead.push({ text: 'Sở Nội vụ', kind: 'agency' });
    expect(annexUnchanged(a, lead)).toBe(false);
  });

  it('a plan fact the upload leaves out is no change; one it states differently or anew is', () => {
    const withNumber = annexOf('Rà soát văn bản', { docNumber: '45/QĐ-UBND', planYear: 2023 });
    expect(annexUnchanged(withNumber, annexOf('Rà soát văn bản'))).toBe(true);
    expect(annexUnchanged(withNumber, annexOf('Rà soát văn bản', { docNumber: '46/QĐ-UBND' }))).toBe(false);
    expect(annexUnchanged(annexOf('Rà soát văn bản'), withNumber)).toBe(false);
  });
});
