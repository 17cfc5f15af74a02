// Annex / grids → xlsx with exceljs.
// - writeAnnexXlsx: the annex in the official format (NĐ 30/2020): Times New Roman, A4 landscape,
//   repeated header row, "Phụ lục" heading and "(Kèm theo …)" line, bold section rows, one row per
//   product with x.y numbers, borders and wrapped text. User text is escaped against formulas.
// - writeGridsXlsx: grids as they are (same rows, cells, formulas and merges), for `--fix` output
//   that the officer reopens in Excel.
import ExcelJS from 'exceljs';
import type { Annex, Grid } from '../engine/index.js';
import { OFFICIAL_STYLE, attachedLineFrom, mmToInch, rowHeightPt } from '../templates/official-style.js';
import { escapeCellText } from './escape.js';
import { annexHeaders, annexRows, XLSX_HEADER_ROW } from './annex-rows.js';

/** Excel refuses sheet names over 31 characters or with []:*?/\ ; names must be unique. */
export function safeSheetName(name: string, taken: Set<string>): string {
  const base =
    name
      .replace(/[[\]:*?/\\]/g, '_')
      .replace(/^'+|'+$/g, '')
      .trim()
      .slice(0, 31)
      .trim() || 'Sheet';
  let candidate = base;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) {
    const suffix = ` (${i})`;
    candidate = base.slice(0, 31 - suffix.length).trim() + suffix;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

/**
 * XML cannot hold most control characters; Excel stores them as _xHHHH_ (and a literal "_xHHHH_"
 * as "_x005F_xHHHH_"). exceljs decodes that form on read, so text survives a round trip unchanged.
 */
function xmlSafe(text: string): string {
  return text
    .replace(/_x([0-9A-Fa-f]{4})_/g, '_x005F_x$1_')
    .replace(/[^\t\n\r\x20-\uFFFD]/g, (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
}

async function toBytes(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}

// ---------------------------------------------------------------------------------------------
// Grids, unchanged
// ---------------------------------------------------------------------------------------------

export async function writeGridsXlsx(grids: Grid[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const taken = new Set<string>();
  for (const grid of grids) {
    const ws = wb.addWorksheet(safeSheetName(grid.sheet, taken));
    const widths: number[] = [];
    for (const row of grid.rows) {
      const r = ws.getRow(row.index);
      row.cells.forEach((cell, i) => {
        if (cell.mergedInto) return; // re-created by mergeCells below
        const c = r.getCell(i + 1);
        const text = xmlSafe(cell.text);
        // Text stays a string cell: never evaluated, whatever it starts with.
        c.value = cell.formula ? { formula: cell.formula, result: text } : text;
        c.alignment = { wrapText: true, vertical: 'top' };
        const longest = Math.max(0, ...cell.text.split('\n').map((l) => l.length));
        widths[i] = Math.max(widths[i] ?? 8, Math.min(60, longest + 2));
      });
    }
    widths.forEach((w, i) => {
      if (w) ws.getColumn(i + 1).width = w;
    });
    for (const range of grid.merges ?? []) {
      try {
        ws.mergeCells(range);
      } catch {
        // Overlapping ranges cannot be merged twice; the text is already in the top-left cell.
      }
    }
  }
  if (grids.length === 0) wb.addWorksheet('Sheet1');
  return toBytes(wb);
}

// ---------------------------------------------------------------------------------------------
// Annex, in the official format
// ---------------------------------------------------------------------------------------------

export interface WriteAnnexOptions {
  /** Worksheet name (default "Phụ lục"). */
  sheetName?: string;
  /** Title under the heading (default from the annex meta, else "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM …"). */
  title?: string;
  /** The "(Kèm theo …)" line; default built from the annex meta, with "…" for what is unknown. */
  attachedLine?: string;
}

/** Width of the task id column (Excel characters): ids are short codes. */
const ID_WIDTH = 14;

export async function writeAnnexXlsx(annex: Annex, opts: WriteAnnexOptions = {}): Promise<Uint8Array> {
  const style = OFFICIAL_STYLE;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Phụ lục';
  const ws = wb.addWorksheet(safeSheetName(opts.sheetName ?? 'Phụ lục', new Set()), {
    pageSetup: {
      paperSize: 9, // A4
      orientation: style.page.orientation,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: {
        top: mmToInch(style.page.marginsMm.top),
        bottom: mmToInch(style.page.marginsMm.bottom),
        left: mmToInch(style.page.marginsMm.left),
        right: mmToInch(style.page.marginsMm.right),
        header: 0.3,
        footer: 0.3,
      },
    },
  });
  // The six official columns, and the task ids in a last column when the server gave them (read back on upload).
  const headers = annexHeaders(annex);
  const widths = headers.map((_, i) => style.columns[i]?.width ?? ID_WIDTH);
  const ncol = headers.length;
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  const font = (size: number, extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({
    name: style.font,
    size,
    ...extra,
  });
  // Centred across the table width without merging, so the sheet reads back without merged cells.
  const banner = (row: number, text: string, f: Partial<ExcelJS.Font>) => {
    for (let c = 1; c <= ncol; c++) {
      const cell = ws.getCell(row, c);
      if (c === 1) cell.value = text;
      cell.font = f;
      cell.alignment = { horizontal: 'centerContinuous', vertical: 'middle', wrapText: false };
    }
  };

  const meta = annex.meta;
  const attached =
    opts.attachedLine ??
    attachedLineFrom({
      ...meta,
      issuer: meta.issuer ?? (meta.provinceName ? `UBND tỉnh ${meta.provinceName}` : undefined),
    });
  const title =
    opts.title ?? meta.title ?? `NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH${meta.planYear ? ` NĂM ${meta.planYear}` : ''}`;
  banner(1, style.heading, font(style.sizes.heading, { bold: true }));
  banner(2, escapeCellText(title, 'xlsx'), font(style.sizes.title, { bold: true }));
  banner(3, escapeCellText(attached, 'xlsx'), font(style.sizes.body, { italic: true }));

  const headerRow = XLSX_HEADER_ROW;
  const border: Partial<ExcelJS.Borders> = {
    top: { style: 'thin' },
    left: { style: 'thin' },
    bottom: { style: 'thin' },
    right: { style: 'thin' },
  };
  const header = ws.getRow(headerRow);
  headers.forEach((text, i) => {
    const cell = header.getCell(i + 1);
    cell.value = text;
    cell.font = font(style.sizes.table, { bold: true });
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = border;
  });
  ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
  ws.views = [{ state: 'frozen', ySplit: headerRow, xSplit: 0 }];

  let r = headerRow + 1;
  header.height = rowHeightPt(headers, widths);
  for (const row of annexRows(annex)) {
    const xr = ws.getRow(r++);
    xr.height = rowHeightPt(row.values, widths);
    row.values.forEach((v, i) => {
      const cell = xr.getCell(i + 1);
      // User text: a string cell in Text format, escaped, so Excel never runs it as a formula.
      cell.value = xmlSafe(escapeCellText(v, 'xlsx'));
      cell.numFmt = '@';
      cell.font = font(style.sizes.table, row.kind === 'section' ? { bold: true } : {});
      cell.alignment = { vertical: 'top', wrapText: true, horizontal: i === 0 ? 'center' : 'left' };
      cell.border = border;
    });
  }
  return toBytes(wb);
}
