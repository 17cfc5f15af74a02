// "dòng 309" of a text upload, found in the version's Excel download: every row of the officer's file that the
// annex was read from maps to the row of the xlsx export that shows it, and that row shows the same task or product.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readAnnex } from '../../engine/read/index.js';
import { readFileToGrids } from '../../io/read.js';
import { writeAnnexXlsx } from '../../io/xlsx-write.js';
import { xlsxRowsOf } from '../../io/annex-rows.js';
import { seeds } from './helpers.js';

const fold = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();

describe('xlsx download rows matched to the places of the uploaded file', () => {
  it.each(seeds)('$name: each task and product line maps to the export row showing it', async ({ name, bytes }) => {
    const grids = await readFileToGrids(bytes, name);
    const annex = readAnnex(grids).annex;
    const map = xlsxRowsOf(annex);
    const at = (sheet: string, row: number) => map.find((x) => x.sheet === sheet && x.row === row)?.xlsxRow;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await writeAnnexXlsx(annex)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const text = (row: number, col: number) => fold(String(ws.getRow(row).getCell(col).value ?? ''));
    let checked = 0;
    for (const s of annex.sections) {
      expect(text(at(s.source.sheet, s.source.row)!, 2), s.title).toBe(fold(s.title));
      for (const t of s.tasks) {
        const row = at(t.source.sheet, t.source.row);
        expect(row, `task ${t.number}`).toBeDefined();
        expect(text(row!, 2)).toBe(fold(t.task));
        checked++;
        t.products.forEach((p, i) => {
          const pr = at(p.source.sheet, p.source.row)!;
          // The first product shares the task's row; every other one has its own row just below.
          expect(pr, `product ${i + 1} of task ${t.number}`).toBe(i === 0 ? row : row! + i);
          expect(text(pr, 3)).toContain(fold(p.text));
        });
        // Continuation rows of the task (wrapped text on the next lines) point at the task's row too.
        for (const r of t.rows) expect(at(t.source.sheet, r)).toBeGreaterThanOrEqual(row!);
      }
    }
    expect(checked).toBeGreaterThan(0);
    // Rows the annex was not read from (titles, signatures) are not said to be in the export.
    expect(map.every((x) => x.xlsxRow > 5 && x.xlsxRow <= ws.rowCount)).toBe(true);
  });
});
