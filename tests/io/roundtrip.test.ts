// "An .xlsx written from any seed parses to the same result as the text" — and the same for CSV in
// the encodings and delimiters officers' tools produce.
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { readAnnex } from '../../engine/read/index.js';
import type { Grid } from '../../engine/model.js';
import { readFileToGrids, readFileDetailed } from '../../io/read.js';
import { writeAnnexXlsx, writeGridsXlsx } from '../../io/xlsx-write.js';
import { annexToCsv, gridToCsv } from '../../io/csv.js';
import { seeds, shape, withoutSheet } from './helpers.js';

/** Same rows and cells, ignoring trailing empty cells (a spreadsheet does not keep them). */
function cellsOf(grid: Grid): string[][] {
  const out: string[][] = [];
  for (const r of grid.rows) {
    const texts = r.cells.map((c) => c.text);
    while (texts.length && texts[texts.length - 1] === '') texts.pop();
    out[r.index - 1] = texts;
  }
  for (let i = 0; i < out.length; i++) out[i] ??= [];
  while (out.length && out[out.length - 1].length === 0) out.pop();
  return out;
}

describe('xlsx round trip of every seed', () => {
  for (const seed of seeds) {
    it(`${seed.name}: text → xlsx → grids gives the same cells and the same annex`, async () => {
      const [textGrid] = await readFileToGrids(seed.bytes, seed.name);
      const xlsx = await writeGridsXlsx([textGrid]);
      const back = await readFileDetailed(xlsx, seed.name.replace(/\.txt$/, '.xlsx'));
      expect(back.kind).toBe('xlsx');
      expect(back.grids).toHaveLength(1);
      expect(back.grids[0].kind).toBe('sheet');
      expect(cellsOf(back.grids[0])).toEqual(cellsOf(textGrid));

      const fromText = readAnnex([textGrid]).annex;
      const fromXlsx = readAnnex(back.grids).annex;
      expect(fromText.sections.length).toBeGreaterThan(0);
      expect(shape(fromXlsx)).toBe(shape(fromText));
      expect(withoutSheet(fromXlsx)).toEqual(withoutSheet(fromText));
      // Only the sheet name differs: the xlsx sheet is named after the text file.
      expect(fromXlsx.sections[0].source.sheet).toBe(back.grids[0].sheet);
    });
  }
});

/**
 * Windows-1258 has precomposed â ê ô ơ ư ă đ but writes tones as combining marks, so text must be
 * decomposed for tones only before encoding (what Word does when saving as "Vietnamese (Windows)").
 */
function toCp1258Form(s: string): string {
  const TONES = /[\u0300\u0301\u0303\u0309\u0323]/;
  return s.normalize('NFD').replace(/(\P{M})(\p{M}+)/gu, (_, base: string, marks: string) => {
    const tones = [...marks].filter((m) => TONES.test(m)).join('');
    const shape = [...marks].filter((m) => !TONES.test(m)).join('');
    return (base + shape).normalize('NFC') + tones;
  });
}

describe('csv round trip of every seed', () => {
  const variants: {
    label: string;
    delimiter: ',' | ';' | '\t';
    encode: (s: string) => Buffer;
    representable?: (s: string) => string;
    ext: string;
  }[] = [
    { label: 'UTF-8, comma', delimiter: ',', encode: (s) => Buffer.from(s, 'utf8'), ext: 'csv' },
    { label: 'UTF-8 BOM, semicolon', delimiter: ';', encode: (s) => Buffer.from('\uFEFF' + s, 'utf8'), ext: 'csv' },
    {
      label: 'UTF-16 LE BOM, tab',
      delimiter: '\t',
      encode: (s) => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(s, 'utf16le')]),
      ext: 'tsv',
    },
    {
      label: 'UTF-16 BE BOM, comma',
      delimiter: ',',
      encode: (s) => Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(s, 'utf16-be')]),
      ext: 'csv',
    },
    {
      label: 'Windows-1258, semicolon',
      delimiter: ';',
      encode: (s) => iconv.encode(toCp1258Form(s), 'windows-1258'),
      representable: (s) =>
        iconv.decode(iconv.encode(toCp1258Form(s), 'windows-1258'), 'windows-1258').normalize('NFC'),
      ext: 'csv',
    },
  ];
  for (const seed of seeds) {
    for (const v of variants) {
      it(`${seed.name} as ${v.label}`, async () => {
        const [original] = await readFileToGrids(seed.bytes, seed.name);
        // A code page cannot hold every character (a superscript "⁴"); expect what it can hold.
        const textGrid = v.representable
          ? {
              ...original,
              rows: original.rows.map((r) => ({
                ...r,
                cells: r.cells.map((c) => ({ text: v.representable!(c.text) })),
              })),
            }
          : original;
        const csv = gridToCsv(textGrid, { delimiter: v.delimiter, escape: false });
        const name = seed.name.replace(/\.txt$/, `.${v.ext}`);
        const back = await readFileDetailed(v.encode(csv), name);
        expect(back.kind).toBe(v.ext);
        expect(cellsOf(back.grids[0])).toEqual(cellsOf(textGrid));
        expect(withoutSheet(readAnnex(back.grids).annex)).toEqual(withoutSheet(readAnnex([textGrid]).annex));
      });
    }
  }

  it('sniffs the delimiter when the extension says nothing', async () => {
    const [textGrid] = await readFileToGrids(seeds[0].bytes, seeds[0].name);
    const rows = textGrid.rows.filter((r) => r.cells.length >= 6).map((r, i) => ({ ...r, index: i + 1 }));
    const table = { ...textGrid, rows };
    const csv = gridToCsv(table, { delimiter: ';', escape: false });
    const back = await readFileDetailed(Buffer.from(csv), 'bang-nhiem-vu.dat');
    expect(back.kind).toBe('csv');
    expect(back.grids[0].rows[0].cells.map((c) => c.text)).toEqual(table.rows[0].cells.map((c) => c.text));
  });
});

describe('annex writers read back to the same tasks', () => {
  for (const seed of seeds) {
    it(`${seed.name}: writeAnnexXlsx and annexToCsv`, async () => {
      const annex = readAnnex(await readFileToGrids(seed.bytes, seed.name)).annex;
      // Sections become I, II, …; task numbers count within their section, as in the official form.
      const tasks = (a: typeof annex) =>
        a.sections.flatMap((s, i) => s.tasks.map((t) => `${i}|${t.number.replace(`${s.numeral}.`, '')}|${t.task}`));

      const xlsx = await writeAnnexXlsx(annex);
      const fromXlsx = readAnnex(await readFileToGrids(xlsx, 'phu-luc.xlsx')).annex;
      expect(fromXlsx.sections.map((s) => s.title)).toEqual(annex.sections.map((s) => s.title));
      expect(tasks(fromXlsx)).toEqual(tasks(annex));

      const csv = annexToCsv(annex);
      const fromCsv = readAnnex(await readFileToGrids(Buffer.from(csv), 'phu-luc.csv')).annex;
      expect(fromCsv.sections.length).toBe(annex.sections.length);
      expect(tasks(fromCsv).length).toBe(tasks(annex).length);
    });
  }

  it('the official xlsx has the official form: font, A4 landscape, repeated header, heading lines, bold sections', async () => {
    const annex = readAnnex(await readFileToGrids(seeds[0].bytes, seeds[0].name)).annex;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await writeAnnexXlsx(annex)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.pageSetup.orientation).toBe('landscape');
    expect(ws.pageSetup.paperSize).toBe(9);
    expect(ws.pageSetup.printTitlesRow).toBe('5:5');
    expect(ws.getCell('A1').value).toBe('Phụ lục');
    expect(String(ws.getCell('A3').value)).toMatch(/^\(Kèm theo Kế hoạch số 158\/KH-UBND ngày 30\/12\/2022 của .+\)$/);
    expect(ws.getCell('A3').font.italic).toBe(true);
    expect(ws.getRow(5).values).toEqual([
      undefined,
      'STT',
      'Nhiệm vụ',
      'Sản phẩm',
      'Cơ quan chủ trì',
      'Cơ quan phối hợp',
      'Thời gian thực hiện',
    ]);
    expect(ws.getCell('A6').value).toBe('I');
    expect(ws.getCell('B6').font.bold).toBe(true);
    expect(ws.getCell('B6').font.name).toBe('Times New Roman');
    expect(ws.getCell('C7').alignment.wrapText).toBe(true);
    expect(ws.getCell('C7').border.top?.style).toBe('thin');
    // Products on their own rows with x.y numbers.
    expect(String(ws.getCell('C7').value)).toMatch(/^1\.1\. /);
    expect(String(ws.getCell('C8').value)).toMatch(/^1\.2\. /);
    expect(ws.getCell('A8').value).toBe('');
  });
});
