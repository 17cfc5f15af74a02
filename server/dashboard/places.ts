// Where a diagnostic is, said the way an officer finds it in the file they sent: "dòng 309" in a text file,
// "bảng 2, hàng 14" in a Word document, "Phụ lục!F12" in a spreadsheet. The engine locates everything by grid row
// and column (A1 cells); a text line or a Word table row has no "F309" anyone can look at.
import type { GridView } from './types.js';

export interface PlaceLocation {
  sheet?: string;
  row?: number;
  column?: number;
  cell?: string;
}

type GridShape = Pick<GridView, 'sheet' | 'kind' | 'tables'>;

function gridOf(grids: GridShape[], sheet: string | undefined): GridShape | undefined {
  return grids.find((g) => g.sheet === sheet) ?? (grids.length === 1 ? grids[0] : undefined);
}

/** "dòng 309", "dòng 309, ô thứ 2", "bảng 2, hàng 14, ô thứ 3", "đoạn 5", or the sheet and cell. */
export function placeOf(loc: PlaceLocation | undefined, grids: GridShape[]): string {
  if (!loc) return '';
  const row = loc.row ?? 0;
  const g = gridOf(grids, loc.sheet);
  const nth = loc.column && loc.column > 1 ? `, ô thứ ${loc.column}` : '';
  if (g?.tables?.length) {
    const k = g.tables.findIndex((t) => row >= t.first && row <= t.last);
    if (k >= 0) return `bảng ${k + 1}, hàng ${row - g.tables[k].first + 1}${loc.column ? `, ô thứ ${loc.column}` : ''}`;
    // A paragraph: its number among the document's paragraphs (table rows are not paragraphs).
    const tableRowsBefore = g.tables.filter((t) => t.last < row).reduce((n, t) => n + t.last - t.first + 1, 0);
    return `đoạn ${row - tableRowsBefore}`;
  }
  if (g?.kind === 'text') return `dòng ${row}${nth}`;
  if (loc.cell) return `${loc.sheet ?? ''}!${loc.cell}`;
  return `${loc.sheet ?? ''}, hàng ${row}`;
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A message with its "ô F309" references said as places ("Dòng 309 chứa thẻ HTML") when the file is a text or
 * Word document; spreadsheet messages are left as they are (their cells exist).
 */
export function placeText(text: string, loc: PlaceLocation | undefined, grids: GridShape[]): string {
  const g = gridOf(grids, loc?.sheet);
  if (!g || (g.kind !== 'text' && !g.tables?.length)) return text;
  return text.replace(
    /(^|[\s(])([Ôô]) ([A-Z]{1,3})(\d+)\b/g,
    (_whole, lead: string, o: string, letters: string, digits: string) => {
      const place = placeOf({ sheet: g.sheet, row: Number(digits), column: columnNumber(letters) }, [g]);
      return lead + (o === 'Ô' ? capital(place) : place);
    },
  );
}

type XlsxRow = { sheet: string; row: number; xlsxRow: number };

/** Each version's row list indexed once (a list of thousands of diagnostics looks every one up). */
const xlsxRowIndexes = new WeakMap<readonly XlsxRow[], Map<string, number>>();
function xlsxRowOf(xlsxRows: readonly XlsxRow[], sheet: string, row: number): number | undefined {
  let index = xlsxRowIndexes.get(xlsxRows);
  if (!index) {
    index = new Map(xlsxRows.map((x) => [`${x.sheet}\n${x.row}`, x.xlsxRow]));
    xlsxRowIndexes.set(xlsxRows, index);
  }
  return index.get(`${sheet}\n${row}`);
}

/**
 * "hàng 52 trong tệp Excel tải về": where a text line or Word row is shown in the version's xlsx download, for files
 * whose places are not cells; empty for spreadsheets (their cells exist) and rows the export does not show.
 */
export function downloadPlace(
  loc: PlaceLocation | undefined,
  grids: GridShape[],
  xlsxRows: readonly XlsxRow[] | undefined,
): string {
  const g = gridOf(grids, loc?.sheet);
  if (!loc?.row || !xlsxRows?.length || !g || (g.kind !== 'text' && !g.tables?.length)) return '';
  const hit = xlsxRowOf(xlsxRows, g.sheet, loc.row);
  return hit ? `hàng ${hit} trong tệp Excel tải về` : '';
}
