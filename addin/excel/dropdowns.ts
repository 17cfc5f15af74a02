// Drop-down lists (data validation) for the agency columns and the section titles. Lists live on a
// hidden sheet, because an inline list is capped at 255 characters and a province has ~30 agencies.
// Free text stays allowed (no error alert): "Sở A, Sở B" lists and groups are valid entries.
import { columnLetter } from '../../engine/index.js';
import type { ExcelHost } from './host.js';

export const LIST_SHEET = 'PhuLuc_DanhMuc';

export interface DropdownTarget {
  sheetName: string;
  /** 1-based columns that take an agency (lead, support, monitor). */
  agencyColumns: number[];
  /** 1-based column of the section title (task column) and the rows holding section titles. */
  sectionColumn?: number;
  sectionRows?: number[];
  firstRow: number;
  lastRow: number;
}

/** Writes the lists and the validation rules: two syncs (probe the list sheet, then write). */
export async function applyDropdowns(
  excel: ExcelHost,
  target: DropdownTarget,
  agencies: string[],
  sections: string[],
): Promise<{ cells: number }> {
  if (!agencies.length) throw new Error('Danh mục cơ quan trống: chưa tải được danh mục của tỉnh.');
  return excel.run(async (ctx) => {
    const existing = ctx.workbook.worksheets.getItemOrNullObject(LIST_SHEET);
    existing.load('name');
    await ctx.sync();
    ctx.runtime.enableEvents = false;
    const lists = existing.isNullObject ? ctx.workbook.worksheets.add(LIST_SHEET) : existing;
    if (!existing.isNullObject) lists.getRange('A:B').clear('Contents');
    const height = Math.max(agencies.length, sections.length);
    const block = lists.getRange(`A1:B${height}`);
    block.values = Array.from({ length: height }, (_, i) => [agencies[i] ?? '', sections[i] ?? '']);
    lists.visibility = 'Hidden';
    const ws = ctx.workbook.worksheets.getItem(target.sheetName);
    let cells = 0;
    for (const col of target.agencyColumns) {
      const r = ws.getRange(`${columnLetter(col)}${target.firstRow}:${columnLetter(col)}${target.lastRow}`);
      r.dataValidation.clear();
      r.dataValidation.rule = { list: { inCellDropDown: true, source: `=${LIST_SHEET}!$A$1:$A$${agencies.length}` } };
      r.dataValidation.errorAlert = { showAlert: false, style: 'Information', title: 'Phụ lục', message: '' };
      cells += target.lastRow - target.firstRow + 1;
    }
    if (target.sectionColumn && sections.length) {
      for (const row of target.sectionRows ?? []) {
        const r = ws.getRange(`${columnLetter(target.sectionColumn)}${row}`);
        r.dataValidation.clear();
        r.dataValidation.rule = { list: { inCellDropDown: true, source: `=${LIST_SHEET}!$B$1:$B$${sections.length}` } };
        r.dataValidation.errorAlert = { showAlert: false, style: 'Information', title: 'Phụ lục', message: '' };
        cells++;
      }
    }
    ctx.runtime.enableEvents = true;
    await ctx.sync();
    return { cells };
  });
}
