// Intake from a Google Sheet link: spreadsheets.get for the sheet's metadata, then for its grid data (field
// mask limited to what the engine needs: formatted text, formulas, merges) → engine Grid.
import type { sheets_v4 } from 'googleapis';
import type { Grid, GridCell, GridRow } from '../../engine/index.js';
import { a1 } from '../../engine/index.js';
import { applyMerges } from '../../engine/index.js';
import { appError } from '../errors.js';
import { NO_GAXIOS_RETRY, withRetry, type GoogleClients } from './client.js';

export interface SheetRef {
  spreadsheetId: string;
  /** The sheet id from "#gid=…" in the link, when present. */
  gid?: number;
}

/** Accepts the links officers copy (…/spreadsheets/d/<id>/edit#gid=0, ?usp=sharing, /htmlview) or a bare id. */
export function parseSheetUrl(input: string): SheetRef {
  const text = String(input ?? '').trim();
  const bare = /^[A-Za-z0-9_-]{25,}$/.exec(text);
  if (bare) return { spreadsheetId: text };
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    url = null;
  }
  const m =
    url && /(^|\.)docs\.google\.com$/.test(url.hostname)
      ? /\/spreadsheets\/(?:u\/\d+\/)?d\/([A-Za-z0-9_-]{10,})/.exec(url.pathname)
      : null;
  if (!url || !m) {
    throw appError('google.invalid-url', { text: text.slice(0, 200) }, { field: 'googleSheetUrl' });
  }
  const gid = /(?:^|[#&?])gid=(\d+)/.exec(`${url.hash}&${url.search}`)?.[1];
  return { spreadsheetId: m[1], ...(gid !== undefined ? { gid: Number(gid) } : {}) };
}

/** A1 range of a GridRange (end indexes exclusive). */
export function gridRangeA1(r: sheets_v4.Schema$GridRange): string {
  const top = (r.startRowIndex ?? 0) + 1;
  const left = (r.startColumnIndex ?? 0) + 1;
  const bottom = r.endRowIndex ?? top;
  const right = r.endColumnIndex ?? left;
  return `${a1(top, left)}:${a1(bottom, right)}`;
}

/** Quotes a sheet title for A1 notation ('Phụ lục'!A1). */
export const quoteSheet = (title: string) => `'${title.replace(/'/g, "''")}'`;

/** One sheet's GridData → Grid: text as shown (formattedValue), formulas, merges; row numbers are the sheet's. */
export function gridFromSheet(sheet: sheets_v4.Schema$Sheet): Grid {
  const title = sheet.properties?.title ?? 'Sheet1';
  const rows: GridRow[] = [];
  for (const block of sheet.data ?? []) {
    const top = block.startRow ?? 0;
    const left = block.startColumn ?? 0;
    (block.rowData ?? []).forEach((rd, i) => {
      const cells: GridCell[] = Array.from({ length: left }, () => ({ text: '' }));
      for (const v of rd.values ?? []) {
        const cell: GridCell = { text: v.formattedValue ?? '' };
        const f = v.userEnteredValue?.formulaValue;
        if (typeof f === 'string' && f.startsWith('=') && f.length > 1) cell.formula = f.slice(1);
        cells.push(cell);
      }
      while (cells.length && cells[cells.length - 1].text === '' && cells[cells.length - 1].formula === undefined)
        cells.pop();
      const index = top + i + 1;
      const existing = rows.find((r) => r.index === index);
      if (existing) existing.cells = cells;
      else rows.push({ index, cells });
    });
  }
  rows.sort((a, b) => a.index - b.index);
  const merges = (sheet.merges ?? []).map(gridRangeA1);
  applyMerges(rows, merges);
  const grid: Grid = { sheet: title, kind: 'sheet', rows };
  if (merges.length) grid.merges = merges;
  return grid;
}

export interface IntakeResult {
  grids: Grid[];
  spreadsheetId: string;
  title: string;
  sheetTitle: string;
}

const GRID_FIELDS =
  'properties(title),sheets(properties(sheetId,title),merges,data(startRow,startColumn,rowData(values(formattedValue,userEnteredValue(formulaValue)))))';

/** Reads the linked sheet (the #gid one, the named one, or the first visible one) as a Grid. */
export async function fetchSheetGrid(g: GoogleClients, link: string, sheetName?: string): Promise<IntakeResult> {
  const ref = parseSheetUrl(link);
  const ctx = { action: 'read' as const, spreadsheetId: ref.spreadsheetId, url: link, email: g.email };
  const meta = await withRetry(g.options, ctx, () =>
    g.sheets.spreadsheets.get(
      { spreadsheetId: ref.spreadsheetId, fields: 'properties(title),sheets(properties(sheetId,title,index,hidden))' },
      NO_GAXIOS_RETRY,
    ),
  );
  const sheets = (meta.data.sheets ?? []).map((s) => s.properties ?? {});
  let chosen = sheetName
    ? sheets.find((p) => p.title === sheetName)
    : ref.gid !== undefined
      ? sheets.find((p) => p.sheetId === ref.gid)
      : sheets.filter((p) => !p.hidden).sort((a, b) => (a.index ?? 0) - (b.index ?? 0))[0];
  if (!chosen && ref.gid !== undefined && !sheetName) chosen = sheets.find((p) => !p.hidden);
  if (!chosen?.title) {
    // The spreadsheet's own tab names are not listed: the caller may not be entitled to see them.
    throw sheetName
      ? appError('google.sheet-not-found', { sheet: sheetName.slice(0, 100) }, { file: link, sheet: sheetName })
      : appError('google.no-sheets', {}, { file: link });
  }
  const data = await withRetry(g.options, ctx, () =>
    g.sheets.spreadsheets.get(
      {
        spreadsheetId: ref.spreadsheetId,
        includeGridData: true,
        ranges: [quoteSheet(chosen.title!)],
        fields: GRID_FIELDS,
      },
      NO_GAXIOS_RETRY,
    ),
  );
  const sheet = (data.data.sheets ?? []).find((s) => s.properties?.title === chosen.title) ?? data.data.sheets?.[0];
  if (!sheet) throw appError('google.unavailable', { status: 200, detail: 'no sheet data in the answer' });
  return {
    grids: [gridFromSheet(sheet)],
    spreadsheetId: ref.spreadsheetId,
    title: data.data.properties?.title ?? meta.data.properties?.title ?? ref.spreadsheetId,
    sheetTitle: chosen.title,
  };
}
