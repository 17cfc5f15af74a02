// The workbook side of the add-on: reading sheets into grids, the settings (user and document properties)
// and the validation context kept in the document cache between trigger runs.
import { validateGrids } from '../../engine/index.js';
import type { Grid, Report } from '../../engine/index.js';
import { defaultDirectory, provinceId } from '../../data/index.js';
import { sheetToGrid } from './grid.js';
import type { SheetValue } from './grid.js';
import { checkServerUrl } from './allowlist.js';

export type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
export type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** The hidden sheet holding the dropdown lists; never read as part of the annex. */
export const LIST_SHEET = 'Danh mục';
export const TITLE = 'Phụ lục';
// Set by the build: true for the Marketplace add-on (menu under Tiện ích mở rộng), false for a bound script.
declare const PHULUC_ADDON: boolean | undefined;
/** The manifest's urlFetchWhitelist, put in by scripts/build-sheets.ts (absent in builds for the local fake). */
declare const PHULUC_URL_ALLOWLIST: string[] | undefined;
export const AS_ADDON = typeof PHULUC_ADDON !== 'undefined' && PHULUC_ADDON === true;

export const PROP = {
  server: 'phuluc.server',
  token: 'phuluc.token',
  round: 'phuluc.round',
  province: 'phuluc.province',
} as const;
export const CACHE_CONTEXT = 'phuluc.context';

// ---------------------------------------------------------------------------------------------
// Reading the workbook.
// ---------------------------------------------------------------------------------------------

export interface SheetData {
  sheet: Sheet;
  name: string;
  values: SheetValue[][];
  formulas: string[][];
  grid: Grid;
  width: number;
  height: number;
}

export function spreadsheet(): Spreadsheet {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  if (!ss) throw new Error('Không mở được bảng tính hiện tại.');
  return ss;
}

export function dateFormatter(ss: Spreadsheet): (d: Date) => string {
  const zone = ss.getSpreadsheetTimeZone() || 'Asia/Ho_Chi_Minh';
  return (d) => Utilities.formatDate(d, zone, 'dd/MM/yyyy');
}

/** One sheet's data range in three reads: values, formulas, merged ranges. */
export function readSheet(sheet: Sheet, formatDate: (d: Date) => string): SheetData {
  const range = sheet.getDataRange();
  const values = range.getValues() as SheetValue[][];
  const formulas = range.getFormulas();
  const merges = range.getMergedRanges().map((r) => r.getA1Notation());
  const name = sheet.getName();
  return {
    sheet,
    name,
    values,
    formulas,
    grid: sheetToGrid({ sheet: name, values, formulas, merges }, formatDate),
    width: range.getNumColumns(),
    height: range.getNumRows(),
  };
}

export function readWorkbook(ss: Spreadsheet = spreadsheet()): SheetData[] {
  const fmt = dateFormatter(ss);
  return ss
    .getSheets()
    .filter((s) => s.getName() !== LIST_SHEET)
    .map((s) => readSheet(s, fmt));
}

// ---------------------------------------------------------------------------------------------
// Settings: the server and the agency's token are the officer's own (user properties); the round and the
// province belong to the document (document properties).
// ---------------------------------------------------------------------------------------------

export interface Settings {
  serverUrl: string;
  hasToken: boolean;
  roundId: string;
  roundTitle: string;
  province: string;
  provinces: { id: string; name: string }[];
}

export function userProps() {
  return PropertiesService.getUserProperties();
}
export function docProps() {
  return PropertiesService.getDocumentProperties();
}

export function getSettings(): Settings {
  const round = parseJson<{ id?: string; title?: string }>(docProps().getProperty(PROP.round)) ?? {};
  return {
    serverUrl: userProps().getProperty(PROP.server) ?? '',
    hasToken: Boolean(userProps().getProperty(PROP.token)),
    roundId: round.id ?? '',
    roundTitle: round.title ?? '',
    province: docProps().getProperty(PROP.province) ?? '',
    provinces: defaultDirectory()
      .provinces()
      .map((p) => ({ id: p.id, name: p.validTo ? `${p.name} (đến ${viDate(p.validTo)})` : p.name })),
  };
}

export function saveSettings(input: {
  serverUrl?: string;
  token?: string;
  roundId?: string;
  roundTitle?: string;
  province?: string;
}): Settings {
  if (input.serverUrl !== undefined) {
    const url = checkServerUrl(
      input.serverUrl,
      typeof PHULUC_URL_ALLOWLIST === 'undefined' ? undefined : PHULUC_URL_ALLOWLIST,
    );
    if (url) userProps().setProperty(PROP.server, url);
    else userProps().deleteProperty(PROP.server);
  }
  // An empty token field means "keep the saved one" (the sidebar never shows it back).
  if (input.token !== undefined && input.token.trim()) userProps().setProperty(PROP.token, input.token.trim());
  if (input.roundId !== undefined) {
    if (input.roundId)
      docProps().setProperty(PROP.round, JSON.stringify({ id: input.roundId, title: input.roundTitle ?? '' }));
    else docProps().deleteProperty(PROP.round);
  }
  if (input.province !== undefined) {
    // A province as typed ("Khánh Hòa", "TP HCM") is kept as its directory id.
    const id = input.province ? provinceId(input.province, new Date().toISOString().slice(0, 10)) : undefined;
    if (input.province && !id) throw new Error(`Không có danh mục cơ quan cho tỉnh "${input.province}".`);
    if (id) docProps().setProperty(PROP.province, id);
    else docProps().deleteProperty(PROP.province);
    forgetContext();
  }
  return getSettings();
}

export function parseJson<T>(s: string | null | undefined): T | null {
  if (!s) return null;
  try {
    return JSON.parse(s) as T;
  } catch {
    return null;
  }
}

export const viDate = (iso: string) => iso.split('-').reverse().join('/');

// ---------------------------------------------------------------------------------------------
// Validation context: onEdit reads only the edited sheet, so the province and plan year found by the last full
// check (possibly on a cover sheet) are kept in the document cache to give onEdit the same verdicts.
// ---------------------------------------------------------------------------------------------

export interface CheckContext {
  province?: string;
  planYear?: number;
}

export function cache(): GoogleAppsScript.Cache.Cache | null {
  try {
    return CacheService.getDocumentCache();
  } catch {
    return null; // not available in this authorisation mode
  }
}

export function forgetContext(): void {
  cache()?.remove(CACHE_CONTEXT);
}

export function contextFor(grids: Grid[] | null): CheckContext {
  let province: string | undefined;
  try {
    province = docProps().getProperty(PROP.province) ?? undefined;
  } catch {
    province = undefined;
  }
  if (grids) return { province };
  const cached = parseJson<CheckContext>(cache()?.get(CACHE_CONTEXT));
  return { ...(cached ?? {}), ...(province ? { province } : {}) };
}

export function rememberContext(report: Report): void {
  const ctx: CheckContext = { province: report.meta.province, planYear: report.meta.planYear };
  cache()?.put(CACHE_CONTEXT, JSON.stringify(ctx), 6 * 3600);
}

export function validateData(data: SheetData[], ctx: CheckContext): Report {
  return validateGrids(
    data.map((d) => d.grid),
    { ...(ctx.province ? { province: ctx.province } : {}), ...(ctx.planYear ? { planYear: ctx.planYear } : {}) },
  );
}
