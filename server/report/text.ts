// The consolidated annex as CSV (one row per task, Excel-friendly UTF-8 with BOM) and as JSON.
import Papa from 'papaparse';
import { columnHeader, type Consolidated } from '../../engine/index.js';
import { escapeCellText } from '../../io/escape.js';
import { SOURCE_COLUMN_HEADER } from '../../templates/official-style.js';
import { agencyLine, agencyNames, productText, timelineText, whereText } from './xlsx.js';

export const CSV_HEADER = [
  'Mục',
  'Lĩnh vực',
  columnHeader('number'),
  columnHeader('task'),
  columnHeader('product'),
  columnHeader('lead'),
  columnHeader('support'),
  columnHeader('timeline'),
  'Thời hạn',
  SOURCE_COLUMN_HEADER,
  'Số văn bản',
  'Ngày văn bản',
  'Phiên bản',
  'Vị trí gốc',
  'Gộp trùng từ',
  'Quá hạn',
];

/** CSV of the consolidated tasks; every cell that a spreadsheet would run as a formula is escaped. */
export function consolidatedToCsv(c: Consolidated): string {
  const rows: string[][] = [];
  for (const s of c.sections) {
    for (const t of s.tasks) {
      rows.push([
        s.numeral,
        s.title,
        t.number,
        t.task,
        productText(t),
        agencyNames(t.lead),
        agencyNames(t.support),
        timelineText(t),
        t.due ?? '',
        t.source.agencyName,
        t.source.docNumber ?? '',
        t.source.docDate ?? '',
        String(t.source.version),
        whereText(t.source),
        t.duplicates.map((d) => agencyLine(d.source)).join('; '),
        t.overdue ? 'Có' : '',
      ]);
    }
  }
  const safe = rows.map((r) => r.map((v) => escapeCellText(v, 'csv')));
  return '\uFEFF' + Papa.unparse({ fields: CSV_HEADER, data: safe }, { newline: '\r\n' });
}

/** The consolidation as plain JSON data (undefined fields dropped), tagged with its format. */
export function consolidatedToJson(
  c: Consolidated,
): { format: 'phu-luc.consolidated'; formatVersion: 1 } & Consolidated {
  return JSON.parse(JSON.stringify({ format: 'phu-luc.consolidated', formatVersion: 1, ...c }));
}
