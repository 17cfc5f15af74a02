// Intake from a Google Sheet link: spreadsheets.get for the sheet's metadata, then for its grid data (field
// mask limited to what the engine needs: formatted text, formulas, merges) → engine Grid.
import type { sheets_v4 } from 'googleapis';
import type { Grid } from '../../engine/index.js';
import { gridFromSheet, quoteSheet } from './grid.js';
import { appError } from '../errors.js';
export { gridFromSheet, gridRangeA1, quoteSheet } from './grid.js';
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
  const { sheet, ...rest } = await fetchSheet(g, link, sheetName);
  return { grids: [gridFromSheet(sheet)], ...rest };
}

/** The linked sheet's grid data as the API returns it (the parse pool turns it into a Grid within limits). */
export async function fetchSheet(
  g: GoogleClients,
  link: string,
  sheetName?: string,
): Promise<Omit<IntakeResult, 'grids'> & { sheet: sheets_v4.Schema$Sheet }> {
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
    sheet,
    spreadsheetId: ref.spreadsheetId,
    title: data.data.properties?.title ?? meta.data.properties?.title ?? ref.spreadsheetId,
    sheetTitle: chosen.title,
  };
}
