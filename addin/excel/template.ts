// "Chèn mẫu phụ lục": inserts the annex template into a new sheet, from the template generator's
// layout (templates/layout.ts → templateLayout(), the same layout as the .xlsx template).
import { templateLayout, type TemplateLayout } from '../../templates/layout.js';
import { OFFICIAL_STYLE } from '../../templates/official-style.js';
import type { ExcelHost } from './host.js';

export interface InsertedTemplate {
  sheetName: string;
  layout: TemplateLayout;
}

/** Cell values of the template table: title lines, header, sections with empty task rows under each. */
export function templateValues(layout: TemplateLayout): (string | number)[][] {
  const width = layout.columns.length;
  const rows: (string | number)[][] = Array.from({ length: layout.lastDataRow }, () =>
    Array.from({ length: width }, () => ''),
  );
  for (const t of layout.titleRows) rows[t.row - 1][0] = t.text;
  layout.columns.forEach((c, i) => (rows[layout.headerRow - 1][i] = c.header));
  const numberCol = layout.columns.findIndex((c) => c.field === 'number');
  const taskCol = layout.columns.findIndex((c) => c.field === 'task');
  for (const s of layout.sections) {
    rows[s.row - 1][Math.max(0, numberCol)] = s.numeral;
    rows[s.row - 1][Math.max(0, taskCol)] = s.title;
    // Task rows stay empty, as in the .xlsx template: a number without a task would be an error.
  }
  return rows;
}

function uniqueName(existing: string[], base: string): string {
  const lower = new Set(existing.map((n) => n.toLowerCase()));
  if (!lower.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) if (!lower.has(`${base} (${i})`.toLowerCase())) return `${base} (${i})`;
}

/** Inserts the template into a new sheet and activates it: two syncs (sheet names, then all writes). */
export async function insertTemplate(excel: ExcelHost, year: number): Promise<InsertedTemplate> {
  const layout = templateLayout({ year });
  const values = templateValues(layout);
  const last = layout.columns[layout.columns.length - 1].letter;
  return excel.run(async (ctx) => {
    const sheets = ctx.workbook.worksheets.load('items/name');
    await ctx.sync();
    const sheetName = uniqueName(
      sheets.items.map((s) => s.name),
      layout.sheets.annex,
    );
    ctx.runtime.enableEvents = false;
    const ws = ctx.workbook.worksheets.add(sheetName);
    const all = ws.getRange(`A1:${last}${values.length}`);
    all.values = values;
    all.format.font.name = OFFICIAL_STYLE.font;
    all.format.font.size = OFFICIAL_STYLE.sizes.table;
    all.format.wrapText = true;
    all.format.verticalAlignment = 'Center';
    for (const t of layout.titleRows) {
      const r = ws.getRange(`A${t.row}:${last}${t.row}`);
      r.merge();
      r.format.horizontalAlignment = 'Center';
      if (t.role === 'attached') r.format.font.italic = true;
      else r.format.font.bold = true;
    }
    const header = ws.getRange(`A${layout.headerRow}:${last}${layout.headerRow}`);
    header.format.font.bold = true;
    header.format.horizontalAlignment = 'Center';
    for (const s of layout.sections) ws.getRange(`A${s.row}:${last}${s.row}`).format.font.bold = true;
    for (const c of layout.columns) {
      // columnWidth is in points; a character of 12pt Times New Roman is about 6 points wide.
      ws.getRange(`${c.letter}:${c.letter}`).format.columnWidth = c.width * 6;
    }
    ws.freezePanes.freezeRows(layout.headerRow);
    ws.activate();
    const taskCol = layout.columns.find((c) => c.field === 'task')?.letter ?? 'B';
    ws.getRange(`${taskCol}${layout.sections[0].row + 1}`).select();
    ctx.runtime.enableEvents = true;
    await ctx.sync();
    return { sheetName, layout };
  });
}
