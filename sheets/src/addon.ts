// The Google Sheets add-on (Apps Script, V8). Bundled with the engine into one script file by
// scripts/build-sheets.ts; the functions exported here become global functions (menu items, triggers and
// google.script.run targets, see globals.ts). Each execution starts fresh: nothing is kept in memory between
// calls, so every entry point reads the sheet once (getValues/getFormulas/getMergedRanges) and validates.
import { allFixes, tryApplyFixes, validateGrids, readAnnex, resolveMerge, annexToGrid, insertAssignedTasks, syncStatus, SYNC_STATE_LABELS, TASK_ID_HEADER, REFORM_AREAS } from '../../engine/index.js';
import type { AssignedTask, CellWrite, IdColumn, MergeResult, SyncState, TaskChoice } from '../../engine/index.js';
import type { CellEdit, Diagnostic, Fix, Grid, Report } from '../../engine/index.js';
import { defaultDirectory, provinceId } from '../../data/index.js';
import { literal, sheetToGrid, writeBlock, type SheetValue } from './grid.js';
import { checkServerUrl } from './allowlist.js';
import { MARK_COLORS, SEVERITIES, isOurFormula, isOurNote, markFormula, planMarks, updateNotes } from './marks.js';
import SIDEBAR_HTML from './sidebar.html';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** The hidden sheet holding the dropdown lists; never read as part of the annex. */
export const LIST_SHEET = 'Danh mục';
const TITLE = 'Phụ lục';
// Set by the build: true for the Marketplace add-on (menu under Tiện ích mở rộng), false for a bound script.
declare const PHULUC_ADDON: boolean | undefined;
/** The manifest's urlFetchWhitelist, put in by scripts/build-sheets.ts (absent in builds for the local fake). */
declare const PHULUC_URL_ALLOWLIST: string[] | undefined;
const AS_ADDON = typeof PHULUC_ADDON !== 'undefined' && PHULUC_ADDON === true;

const PROP = { server: 'phuluc.server', token: 'phuluc.token', round: 'phuluc.round', province: 'phuluc.province' } as const;
const CACHE_CONTEXT = 'phuluc.context';

// ---------------------------------------------------------------------------------------------
// Reading the workbook.
// ---------------------------------------------------------------------------------------------

interface SheetData {
  sheet: Sheet;
  name: string;
  values: SheetValue[][];
  formulas: string[][];
  grid: Grid;
  width: number;
  height: number;
}

function spreadsheet(): Spreadsheet {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  if (!ss) throw new Error('Không mở được bảng tính hiện tại.');
  return ss;
}

function dateFormatter(ss: Spreadsheet): (d: Date) => string {
  const zone = ss.getSpreadsheetTimeZone() || 'Asia/Ho_Chi_Minh';
  return (d) => Utilities.formatDate(d, zone, 'dd/MM/yyyy');
}

/** One sheet's data range in three reads: values, formulas, merged ranges. */
function readSheet(sheet: Sheet, formatDate: (d: Date) => string): SheetData {
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

function readWorkbook(ss: Spreadsheet = spreadsheet()): SheetData[] {
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

function userProps() {
  return PropertiesService.getUserProperties();
}
function docProps() {
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

export function saveSettings(input: { serverUrl?: string; token?: string; roundId?: string; roundTitle?: string; province?: string }): Settings {
  if (input.serverUrl !== undefined) {
    const url = checkServerUrl(input.serverUrl, typeof PHULUC_URL_ALLOWLIST === 'undefined' ? undefined : PHULUC_URL_ALLOWLIST);
    if (url) userProps().setProperty(PROP.server, url);
    else userProps().deleteProperty(PROP.server);
  }
  // An empty token field means "keep the saved one" (the sidebar never shows it back).
  if (input.token !== undefined && input.token.trim()) userProps().setProperty(PROP.token, input.token.trim());
  if (input.roundId !== undefined) {
    if (input.roundId) docProps().setProperty(PROP.round, JSON.stringify({ id: input.roundId, title: input.roundTitle ?? '' }));
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

function parseJson<T>(s: string | null | undefined): T | null {
  if (!s) return null;
  try {
    return JSON.parse(s) as T;
  } catch {
    return null;
  }
}

const viDate = (iso: string) => iso.split('-').reverse().join('/');

// ---------------------------------------------------------------------------------------------
// Validation context: onEdit reads only the edited sheet, so the province and plan year found by the last full
// check (possibly on a cover sheet) are kept in the document cache to give onEdit the same verdicts.
// ---------------------------------------------------------------------------------------------

interface CheckContext {
  province?: string;
  planYear?: number;
}

function cache(): GoogleAppsScript.Cache.Cache | null {
  try {
    return CacheService.getDocumentCache();
  } catch {
    return null; // not available in this authorisation mode
  }
}

function forgetContext(): void {
  cache()?.remove(CACHE_CONTEXT);
}

function contextFor(grids: Grid[] | null): CheckContext {
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

function rememberContext(report: Report): void {
  const ctx: CheckContext = { province: report.meta.province, planYear: report.meta.planYear };
  cache()?.put(CACHE_CONTEXT, JSON.stringify(ctx), 6 * 3600);
}

function validateData(data: SheetData[], ctx: CheckContext): Report {
  return validateGrids(
    data.map((d) => d.grid),
    { ...(ctx.province ? { province: ctx.province } : {}), ...(ctx.planYear ? { planYear: ctx.planYear } : {}) },
  );
}

// ---------------------------------------------------------------------------------------------
// Marks: notes and conditional-format rules the add-on owns.
// ---------------------------------------------------------------------------------------------

export interface MarkResult {
  notesAdded: number;
  notesRemoved: number;
  notesSkipped: number;
  rules: number;
}

function ourRule(rule: GoogleAppsScript.Spreadsheet.ConditionalFormatRule): boolean {
  const c = rule.getBooleanCondition();
  if (!c || c.getCriteriaType() !== SpreadsheetApp.BooleanCriteria.CUSTOM_FORMULA) return false;
  return isOurFormula(String(c.getCriteriaValues()[0] ?? ''));
}

function writeMarks(d: SheetData, diagnostics: Diagnostic[]): MarkResult {
  const plan = planMarks(diagnostics, d.name);
  const width = Math.max(d.width, 1);
  const height = Math.max(d.height, 1);
  const current = d.sheet.getRange(1, 1, height, width).getNotes();
  const upd = updateNotes(current, plan, width, height);
  if (upd.firstRow !== null) d.sheet.getRange(upd.firstRow, 1, upd.notes.length, upd.notes[0].length).setNotes(upd.notes);

  const rules = d.sheet.getConditionalFormatRules();
  const theirs = rules.filter((r) => !ourRule(r));
  const mine = rules.filter(ourRule);
  const wanted = SEVERITIES.filter((s) => plan.cells[s].length);
  const signature = (formula: string, areas: string[]) => `${formula}|${areas.join(',')}`;
  const have = mine.map((r) => signature(String(r.getBooleanCondition()!.getCriteriaValues()[0]), r.getRanges().map((x) => x.getA1Notation())));
  const want = wanted.map((s) => signature(markFormula(s), plan.cells[s]));
  let count = mine.length;
  if (have.join('\n') !== want.join('\n') || (mine.length && rules.indexOf(mine[0]) !== 0)) {
    const fresh = wanted.map((s) =>
      SpreadsheetApp.newConditionalFormatRule()
        .whenFormulaSatisfied(markFormula(s))
        .setBackground(MARK_COLORS[s])
        .setRanges(d.sheet.getRangeList(plan.cells[s]).getRanges())
        .build(),
    );
    // Ours first so the marks show over the officer's own colours; theirs follow unchanged.
    d.sheet.setConditionalFormatRules([...fresh, ...theirs]);
    count = fresh.length;
  }
  return { notesAdded: upd.added, notesRemoved: upd.removed, notesSkipped: upd.skipped, rules: count };
}

/** Removes every note and rule of ours from every sheet; the officer's stay. */
export function clearMarks(): { notes: number; rules: number } {
  let notes = 0;
  let rules = 0;
  for (const sheet of spreadsheet().getSheets()) {
    const range = sheet.getDataRange();
    const current = range.getNotes();
    const next = current.map((line) =>
      line.map((n) => {
        if (!isOurNote(n)) return n;
        notes++;
        return '';
      }),
    );
    if (next.some((line, i) => line.some((n, j) => n !== current[i][j]))) range.setNotes(next);
    const all = sheet.getConditionalFormatRules();
    const theirs = all.filter((r) => !ourRule(r));
    if (theirs.length !== all.length) {
      rules += all.length - theirs.length;
      sheet.setConditionalFormatRules(theirs);
    }
  }
  return { notes, rules };
}

// ---------------------------------------------------------------------------------------------
// What the sidebar shows.
// ---------------------------------------------------------------------------------------------

export interface Issue {
  sheet: string;
  cell: string;
  row: number;
  column?: number;
  severity: Diagnostic['severity'];
  code: string;
  message: string;
  hint?: string;
  fix?: Fix;
}

export interface CheckView {
  spreadsheet: string;
  sheet: string | null;
  stats: Report['stats'];
  province?: string;
  planYear?: number;
  issues: Issue[];
  marks: MarkResult;
}

function issuesOf(report: Report): Issue[] {
  return report.diagnostics.map((d) => ({
    sheet: d.location.sheet,
    cell: d.location.cell ?? `A${Math.max(1, d.location.row)}`,
    row: d.location.row,
    ...(d.location.column ? { column: d.location.column } : {}),
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.hint ? { hint: d.hint } : {}),
    ...(d.fix ? { fix: d.fix } : {}),
  }));
}

function markAll(data: SheetData[], report: Report): MarkResult {
  const total: MarkResult = { notesAdded: 0, notesRemoved: 0, notesSkipped: 0, rules: 0 };
  for (const d of data) {
    const r = writeMarks(d, report.diagnostics);
    total.notesAdded += r.notesAdded;
    total.notesRemoved += r.notesRemoved;
    total.notesSkipped += r.notesSkipped;
    total.rules += r.rules;
  }
  return total;
}

function view(ss: Spreadsheet, report: Report, marks: MarkResult): CheckView {
  return {
    spreadsheet: ss.getName(),
    sheet: report.meta.sheet ?? null,
    stats: report.stats,
    ...(report.meta.province ? { province: report.meta.province } : {}),
    ...(report.meta.planYear ? { planYear: report.meta.planYear } : {}),
    issues: issuesOf(report),
    marks,
  };
}

/** Kiểm tra: validates the whole workbook, marks the cells, returns the issues for the sidebar. */
export function check(): CheckView {
  const ss = spreadsheet();
  const data = readWorkbook(ss);
  const report = validateData(data, contextFor(data.map((d) => d.grid)));
  rememberContext(report);
  return view(ss, report, markAll(data, report));
}

// ---------------------------------------------------------------------------------------------
// Fixes.
// ---------------------------------------------------------------------------------------------

export interface FixOutcomeView {
  applied: number;
  cells: string[];
  rejected: string[];
  view: CheckView;
}

/** Writes the edits of the applied fixes: one setValues per sheet over the block the edits span. */
function writeEdits(data: SheetData[], edits: CellEdit[]): string[] {
  const written: string[] = [];
  for (const d of data) {
    const block = writeBlock(d.name, edits, d.values, d.formulas);
    if (!block) continue;
    d.sheet.getRange(block.row, block.column, block.values.length, block.values[0].length).setValues(block.values);
    written.push(...block.cells.map((c) => `${d.name}!${c}`));
  }
  return written;
}

function applyAndRecheck(ss: Spreadsheet, data: SheetData[], fixes: Fix[]): FixOutcomeView {
  const outcome = tryApplyFixes(
    data.map((d) => d.grid),
    fixes,
  );
  const cells = writeEdits(
    data,
    outcome.applied.flatMap((f) => f.edits),
  );
  const fresh = readWorkbook(ss);
  const report = validateData(fresh, contextFor(fresh.map((d) => d.grid)));
  rememberContext(report);
  return {
    applied: outcome.applied.length,
    cells,
    rejected: [...new Set(outcome.rejected.map((r) => r.message))],
    view: view(ss, report, markAll(fresh, report)),
  };
}

/** Chuẩn hóa: every machine-applicable fix of a fresh check (engine allFixes), written in one batch. */
export function normalize(): FixOutcomeView {
  const ss = spreadsheet();
  const data = readWorkbook(ss);
  const report = validateData(data, contextFor(data.map((d) => d.grid)));
  return applyAndRecheck(ss, data, allFixes(report));
}

/** One issue's fix, from the sidebar; refused when the cell changed since the check. */
export function applyFix(fix: Fix): FixOutcomeView {
  if (!fix || !Array.isArray(fix.edits) || !fix.edits.length) throw new Error('Không có nội dung sửa để áp dụng.');
  const ss = spreadsheet();
  return applyAndRecheck(ss, readWorkbook(ss), [fix]);
}

/** Jumps to a cell (clicked in the sidebar). */
export function goToCell(sheetName: string, cell: string): { sheet: string; cell: string } {
  const ss = spreadsheet();
  const sheet = ss.getSheetByName(sheetName);
  if (!sheet) throw new Error(`Không còn trang tính "${sheetName}" trong bảng tính.`);
  sheet.activate();
  sheet.getRange(cell).activate();
  return { sheet: sheetName, cell };
}

// ---------------------------------------------------------------------------------------------
// onEdit: a simple trigger (no authorised services; does not fire for script or API edits).
// ---------------------------------------------------------------------------------------------

export function onEdit(e: GoogleAppsScript.Events.SheetsOnEdit): { rows: number[]; issues: number; marks: MarkResult } | null {
  const range = e?.range;
  if (!range) return null;
  const sheet = range.getSheet();
  if (sheet.getName() === LIST_SHEET) return null;
  // Two quick edits start two runs; without the lock their writes of marks could interleave. A run that finds
  // the lock taken leaves the marking to the run in progress (tryLock(0): no waiting inside a 30 s trigger);
  // if that run read the sheet before this edit, the next edit or "Kiểm tra" brings the marks up to date.
  const lock = LockService.getDocumentLock();
  if (!lock || !lock.tryLock(0)) return null;
  try {
    return markEdit(e, range, sheet);
  } finally {
    lock.releaseLock();
  }
}

function markEdit(e: GoogleAppsScript.Events.SheetsOnEdit, range: GoogleAppsScript.Spreadsheet.Range, sheet: GoogleAppsScript.Spreadsheet.Sheet) {
  const ss = e.source ?? sheet.getParent();
  const data = readSheet(sheet, dateFormatter(ss));
  const report = validateData([data], contextFor(null));
  const hasOurMarks = () => sheet.getConditionalFormatRules().some(ourRule);
  // A sheet without an annex table is left alone, unless it still carries marks from when it had one.
  if (report.stats.tasks === 0 && !hasOurMarks()) return null;
  const first = range.getRow();
  const rows = Array.from({ length: range.getNumRows() }, (_, i) => first + i);
  const touched = new Set(rows);
  const marks = writeMarks(data, report.diagnostics);
  return { rows, issues: report.diagnostics.filter((d) => d.location.sheet === data.name && touched.has(d.location.row)).length, marks };
}

// ---------------------------------------------------------------------------------------------
// Dropdowns from the directory.
// ---------------------------------------------------------------------------------------------

export interface DropdownResult {
  sheet: string;
  columns: string[];
  firstRow: number;
  lastRow: number;
  agencies: number;
  province: string;
}

export function insertDropdowns(): DropdownResult {
  const ss = spreadsheet();
  const data = readWorkbook(ss);
  const directory = defaultDirectory();
  const ctx = contextFor(data.map((d) => d.grid));
  const result = readAnnex(
    data.map((d) => d.grid),
    { directory, ...(ctx.province ? { province: ctx.province } : {}) },
  );
  const meta = result.annex.meta;
  if (meta.layout !== 'table' || !meta.sheet || !meta.headerRow || !meta.columns) {
    throw new Error('Không tìm thấy bảng phụ lục (dòng tiêu đề "STT, Nhiệm vụ, Cơ quan chủ trì…") để chèn danh mục thả xuống.');
  }
  const province = ctx.province || meta.province;
  if (!province) throw new Error('Chưa xác định được tỉnh của phụ lục: chọn tỉnh trong Phụ lục › Cài đặt.');
  const date = meta.planYear ? `${meta.planYear}-01-01` : Utilities.formatDate(new Date(), 'Asia/Ho_Chi_Minh', 'yyyy-MM-dd');
  const agencies = [...new Set(directory.agencies(province, date).map((a) => a.name))];
  if (!agencies.length) throw new Error(`Danh mục cơ quan của tỉnh "${province}" trống tại ngày ${viDate(date)}.`);
  const columns = meta.columns.filter((c) => c.field === 'lead' || c.field === 'support' || c.field === 'monitor');
  if (!columns.length) throw new Error('Bảng không có cột "Cơ quan chủ trì"/"Cơ quan phối hợp" để chèn danh mục.');
  const areas = REFORM_AREAS.map((a) => a.title);

  let list = ss.getSheetByName(LIST_SHEET);
  if (!list) list = ss.insertSheet(LIST_SHEET, ss.getSheets().length);
  list.clearContents();
  const height = Math.max(agencies.length, areas.length);
  list.getRange(1, 1, height, 2).setValues(Array.from({ length: height }, (_, i) => [agencies[i] ?? '', areas[i] ?? '']));
  list.hideSheet();

  const sheet = ss.getSheetByName(meta.sheet)!;
  const firstRow = meta.headerRow + 1;
  // Room to add tasks below the table.
  const lastRow = Math.min(sheet.getMaxRows(), Math.max(sheet.getLastRow(), firstRow) + 50);
  const rule = SpreadsheetApp.newDataValidation()
    .requireValueInRange(list.getRange(1, 1, agencies.length, 1), true)
    .setAllowInvalid(true) // "Sở A, Sở B" lists and group names stay valid entries
    .setHelpText('Chọn cơ quan trong danh mục, hoặc gõ nhiều cơ quan cách nhau bởi dấu phẩy.')
    .build();
  for (const c of columns) sheet.getRange(firstRow, c.index, lastRow - firstRow + 1, 1).setDataValidation(rule);
  return { sheet: meta.sheet, columns: columns.map((c) => c.header), firstRow, lastRow, agencies: agencies.length, province };
}

// ---------------------------------------------------------------------------------------------
// Submitting to the Phụ lục server (same endpoint and JSON grids as the Excel add-in).
// ---------------------------------------------------------------------------------------------

export interface SubmitView {
  submissionId: string;
  version: number;
  duplicate: boolean;
  status: string;
  stats: Report['stats'] | null;
  roundTitle: string;
}

function connection(): { server: string; token: string } {
  const server = userProps().getProperty(PROP.server);
  const token = userProps().getProperty(PROP.token);
  if (!server || !token) throw new Error('Chưa cài đặt máy chủ và mã truy cập của cơ quan: mở Phụ lục › Cài đặt.');
  return { server, token };
}

function request(method: 'get' | 'post', path: string, body?: unknown): { status: number; json: Record<string, unknown> | null } {
  const { server, token } = connection();
  let res: GoogleAppsScript.URL_Fetch.HTTPResponse;
  try {
    res = UrlFetchApp.fetch(server + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      muteHttpExceptions: true,
      ...(body === undefined ? {} : { contentType: 'application/json', payload: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new Error(`Không kết nối được máy chủ ${server}: ${(err as Error).message}`);
  }
  const status = res.getResponseCode();
  const json = parseJson<Record<string, unknown>>(res.getContentText('UTF-8'));
  if (status < 400 && !json) throw new Error(`Máy chủ ${server} trả về dữ liệu không phải JSON (HTTP ${status}).`);
  return { status, json };
}

function httpError(status: number, json: Record<string, unknown> | null): Error {
  const e = (json?.error ?? {}) as { message?: string; hint?: string };
  const msg = e.message ?? `Máy chủ trả lỗi HTTP ${status}.`;
  return new Error(e.hint ? `${msg} ${e.hint}` : msg);
}

function call<T>(method: 'get' | 'post', path: string, body?: unknown): T {
  const { status, json } = request(method, path, body);
  if (status >= 400) throw httpError(status, json);
  return json as T;
}

export function listRounds(): { id: string; title: string; deadline?: string; locked?: boolean }[] {
  const body = call<{ rounds?: { id: string; title: string; deadline?: string; locked?: boolean | number }[] }>('get', '/api/rounds');
  return (body.rounds ?? []).map((r) => ({ id: r.id, title: r.title, ...(r.deadline ? { deadline: r.deadline } : {}), locked: Boolean(r.locked) }));
}

/** Nộp báo cáo: the workbook's sheets as JSON grids to the round chosen in Cài đặt. */
export function submit(): SubmitView {
  const s = getSettings();
  if (!s.roundId) throw new Error('Chưa chọn đợt báo cáo: mở Phụ lục › Cài đặt và chọn đợt cần nộp.');
  const ss = spreadsheet();
  const grids = readWorkbook(ss).map((d) => d.grid);
  const body = call<{ submissionId: string; version: number; duplicate: boolean; status: string; report?: Report }>(
    'post',
    `/api/rounds/${encodeURIComponent(s.roundId)}/submissions`,
    { grids, source: 'sheets-addon', fileName: ss.getName() },
  );
  return {
    submissionId: body.submissionId,
    version: body.version,
    duplicate: body.duplicate,
    status: body.status,
    stats: body.report?.stats ?? null,
    roundTitle: s.roundTitle,
  };
}

// ---------------------------------------------------------------------------------------------
// Two-way sync (POST /api/rounds/:roundId/sync with a base version; see docs/SYNC.md). Task ids live in the
// hidden "Mã nhiệm vụ" column and, to survive sorting and column deletion, as row developer metadata.
// ---------------------------------------------------------------------------------------------

const SYNC_PROP = 'phuluc.sync';
const META_KEY = 'phuluc.taskId';

interface SyncRecord {
  roundId: string;
  baseVersion: number;
  submissionId?: string;
  lastSyncedAt?: string;
  /** Fingerprint of the sheets right after the last sync: a different one means unsent changes. */
  hash?: string;
}

function syncRecord(roundId: string): SyncRecord {
  const r = parseJson<SyncRecord>(docProps().getProperty(SYNC_PROP));
  return r && r.roundId === roundId ? r : { roundId, baseVersion: 0 };
}

function saveSyncRecord(r: SyncRecord): void {
  docProps().setProperty(SYNC_PROP, JSON.stringify(r));
}

/** FNV-1a over the grids' texts: cheap and stable between executions. */
function fingerprint(grids: Grid[]): string {
  let h = 0x811c9dc5;
  const text = JSON.stringify(grids.map((g) => [g.sheet, g.rows.map((r) => [r.index, r.cells.map((c) => c.text)])]));
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}

function requireRound(): string {
  const s = getSettings();
  if (!s.roundId) throw new Error('Chưa chọn đợt báo cáo: mở Phụ lục › Cài đặt và chọn đợt cần nộp.');
  return s.roundId;
}

function idColumnOf(grid: Grid): number | null {
  for (const r of grid.rows) {
    const i = r.cells.findIndex((c) => c.text.trim() === TASK_ID_HEADER);
    if (i >= 0) return i + 1;
  }
  return null;
}

/**
 * Copies the ids kept as row metadata into the grid's id column (metadata moves with its row when the
 * officer sorts, and outlives a deleted column). Without an id column one is added to the grid after the
 * table's last column; the server then writes it back.
 */
function withMetadataIds(data: SheetData[]): Grid[] {
  return data.map((d) => {
    const found = d.sheet.createDeveloperMetadataFinder().withKey(META_KEY).find();
    if (!found.length) return d.grid;
    const grid: Grid = JSON.parse(JSON.stringify(d.grid));
    let col = idColumnOf(grid);
    if (!col) {
      const meta = readAnnex([grid]).annex.meta;
      if (!meta.headerRow || meta.sheet !== grid.sheet) return d.grid;
      col = Math.max(...grid.rows.map((r) => r.cells.length)) + 1;
      const header = grid.rows.find((r) => r.index === meta.headerRow)!;
      while (header.cells.length < col) header.cells.push({ text: '' });
      header.cells[col - 1] = { text: TASK_ID_HEADER };
    }
    for (const m of found) {
      const row = m.getLocation().getRow()?.getRow();
      const id = m.getValue();
      if (!row || !id) continue;
      const r = grid.rows.find((x) => x.index === row);
      if (!r) continue;
      while (r.cells.length < col) r.cells.push({ text: '' });
      r.cells[col - 1] = { text: id };
    }
    return grid;
  });
}

interface PushAnswer {
  submissionId: string;
  version: number;
  duplicate: boolean;
  status: string;
  ids: { id: string; sheet: string; row: number }[];
  idColumn: IdColumn | null;
  writes: CellWrite[];
  report?: Report;
}

interface StaleAnswer {
  baseVersion: number;
  latestVersion: number;
  merge: MergeResult;
}

/** Writes the ids the server assigned into the id column (hidden) and as row metadata. */
function writeIds(ss: Spreadsheet, answer: PushAnswer, pushed: Grid[]): number {
  let written = 0;
  const idRows = new Set((answer.ids ?? []).map((x) => `${x.sheet}|${x.row}`));
  // The header of a new id column; the ids themselves go in below as one block.
  for (const w of answer.writes ?? []) {
    if (idRows.has(`${w.sheet}|${w.row}`)) continue;
    ss.getSheetByName(w.sheet)?.getRange(w.row, w.column).setValue(literal(w.text));
    written++;
  }
  // The server names the id column only when it stamped new ids; else it is the one in the pushed grid.
  const sheetName = answer.idColumn?.sheet ?? answer.ids?.[0]?.sheet;
  const pushedGrid = pushed.find((g) => g.sheet === sheetName);
  const column = answer.idColumn?.column ?? (pushedGrid ? idColumnOf(pushedGrid) : null);
  const idSheet = sheetName ? ss.getSheetByName(sheetName) : null;
  if (column && idSheet) {
    // The pushed grid may carry ids the sheet lost (taken from row metadata): put those back too.
    const rows = (answer.ids ?? []).filter((x) => x.sheet === sheetName);
    if (rows.length) {
      const r1 = Math.min(...rows.map((x) => x.row));
      const range = idSheet.getRange(r1, column, Math.max(...rows.map((x) => x.row)) - r1 + 1, 1);
      const values = range.getValues();
      let changed = false;
      for (const x of rows) {
        if (String(values[x.row - r1][0]).trim() === x.id) continue;
        values[x.row - r1][0] = x.id;
        changed = true;
        written++;
      }
      if (changed) range.setValues(values);
    }
    idSheet.hideColumns(column);
  }
  // Row metadata: one finder call per sheet reads what is there; only rows whose id is missing or different get
  // a write, each on the A1 row ("5:5"), the shape the Sheets API keeps as a row.
  const bySheet = new Map<string, { row: number; id: string }[]>();
  for (const x of answer.ids ?? []) bySheet.set(x.sheet, [...(bySheet.get(x.sheet) ?? []), x]);
  for (const [name, ids] of bySheet) {
    const sheet = ss.getSheetByName(name);
    if (!sheet) continue;
    const present = new Map<number, GoogleAppsScript.Spreadsheet.DeveloperMetadata[]>();
    for (const m of sheet.createDeveloperMetadataFinder().withKey(META_KEY).find()) {
      const row = m.getLocation().getRow()?.getRow();
      if (row) present.set(row, [...(present.get(row) ?? []), m]);
    }
    for (const x of ids) {
      const mine = present.get(x.row) ?? [];
      if (mine.length === 1 && mine[0].getValue() === x.id) continue;
      mine.forEach((m) => m.remove());
      sheet.getRange(`${x.row}:${x.row}`).addDeveloperMetadata(META_KEY, x.id);
    }
  }
  return written;
}

export interface TaskComparison {
  key: string;
  title: string;
  status: string;
  needsChoice: boolean;
  base: string;
  mine: string;
  theirs: string;
}

export type SyncView =
  | { kind: 'stored'; submissionId: string; version: number; duplicate: boolean; status: string; stats: Report['stats'] | null; idsWritten: number; lastSyncedAt: string }
  | { kind: 'conflict'; baseVersion: number; latestVersion: number; conflicts: number; autoMerged: number; tasks: TaskComparison[] };

function describeTask(t: MergeResult['entries'][number]['mine']): string {
  if (!t) return '(không có)';
  const lead = (t.lead ?? []).map((a) => a.name).join(', ');
  return [t.task, lead && `Chủ trì: ${lead}`, t.timeline?.text && `Thời gian: ${t.timeline.text}`].filter(Boolean).join(' · ');
}

function comparison(stale: StaleAnswer): SyncView {
  // Only the tasks that need the officer's choice are listed; the others are merged on their own.
  const changed = stale.merge.entries.filter((e) => e.status !== 'unchanged');
  const tasks = changed
    .filter((e) => e.needsChoice)
    .map((e) => ({
      key: e.key,
      title: e.title,
      status: e.status,
      needsChoice: e.needsChoice,
      base: describeTask(e.base),
      mine: describeTask(e.mine ?? (e.status === 'unchanged' ? e.base : undefined)),
      theirs: describeTask(e.theirs),
    }));
  return { kind: 'conflict', baseVersion: stale.baseVersion, latestVersion: stale.latestVersion, conflicts: stale.merge.conflicts, autoMerged: changed.length - tasks.length, tasks };
}

function pushGrids(roundId: string, grids: Grid[], baseVersion: number, fileName: string): { ok: PushAnswer } | { stale: StaleAnswer } {
  const { status, json } = request('post', `/api/rounds/${encodeURIComponent(roundId)}/sync`, { grids, baseVersion, source: 'sheets-addon', fileName });
  if (status === 409 && (json?.error as { code?: string } | undefined)?.code === 'sync.stale-base') return { stale: json as unknown as StaleAnswer };
  if (status >= 400) throw httpError(status, json);
  return { ok: json as unknown as PushAnswer };
}

function settle(ss: Spreadsheet, rec: SyncRecord, answer: PushAnswer, pushed: Grid[]): SyncView {
  const idsWritten = writeIds(ss, answer, pushed);
  const lastSyncedAt = new Date().toISOString();
  saveSyncRecord({ ...rec, baseVersion: answer.version, submissionId: answer.submissionId, lastSyncedAt, hash: fingerprint(readWorkbook(ss).map((d) => d.grid)) });
  return { kind: 'stored', submissionId: answer.submissionId, version: answer.version, duplicate: answer.duplicate, status: answer.status, stats: answer.report?.stats ?? null, idsWritten, lastSyncedAt };
}

/** Đồng bộ: pushes the sheets from the version they were edited from; a colleague's newer version gives the comparison. */
export function syncPush(): SyncView {
  const roundId = requireRound();
  const ss = spreadsheet();
  const rec = syncRecord(roundId);
  const grids = withMetadataIds(readWorkbook(ss));
  const out = pushGrids(roundId, grids, rec.baseVersion, ss.getName());
  return 'stale' in out ? comparison(out.stale) : settle(ss, rec, out.ok, grids);
}

/**
 * Applies the officer's choices (per task key: 'mine' | 'theirs') to the comparison, writes the merged table
 * into the annex sheet in one setValues, and pushes it from the server's latest version. The comparison is
 * asked again (each execution starts fresh), so choices for tasks that no longer differ are ignored.
 */
export function resolveSync(choices: Record<string, TaskChoice>): SyncView {
  const roundId = requireRound();
  const ss = spreadsheet();
  const rec = syncRecord(roundId);
  const data = readWorkbook(ss);
  const grids = withMetadataIds(data);
  const out = pushGrids(roundId, grids, rec.baseVersion, ss.getName());
  if (!('stale' in out)) return settle(ss, rec, out.ok, grids);
  const merge = out.stale.merge;
  const merged = resolveMerge(merge, choices ?? {});
  const sheetName = merge.meta.sheet ?? data[0]?.name;
  const target = data.find((d) => d.name === sheetName);
  if (!target) throw new Error(`Không còn trang tính "${sheetName}" để ghi bản đã gộp.`);
  const table = annexToGrid(merged, { sheet: target.name });
  // The table is rewritten from its header row down; the title and prose above it stay as they are.
  const headerRow = readAnnex([target.grid]).annex.meta.headerRow ?? 1;
  const width = Math.max(...table.rows.map((r) => r.cells.length), target.width);
  const height = Math.max(table.rows.length, target.height - headerRow + 1);
  // One write over the old and new extent: rows the merged table no longer needs are emptied.
  // literal(): texts such as "12/2025" or "1/2" must stay text, not become dates or numbers.
  const values = Array.from({ length: height }, (_, i) => Array.from({ length: width }, (_, j) => literal(table.rows[i]?.cells[j]?.text ?? '')));
  target.sheet.getRange(headerRow, 1, height, width).setValues(values);
  target.sheet
    .createDeveloperMetadataFinder()
    .withKey(META_KEY)
    .find()
    .forEach((m) => m.remove()); // stale positions; the push below stamps the merged rows again
  const idCol = idColumnOf(table);
  if (idCol) target.sheet.hideColumns(idCol);
  const next = { ...rec, baseVersion: out.stale.latestVersion };
  const mergedGrids = readWorkbook(ss).map((d) => d.grid);
  const again = pushGrids(roundId, mergedGrids, next.baseVersion, ss.getName());
  return 'stale' in again ? comparison(again.stale) : settle(ss, next, again.ok, mergedGrids);
}

export interface SyncStatusView {
  state: SyncState;
  label: string;
  baseVersion: number;
  latestVersion: number | null;
  lastSyncedAt: string | null;
  offline: boolean;
}

/** The sidebar's status line: compares the sheet with the last sync and asks the server for its latest version. */
export function syncStatusView(): SyncStatusView {
  const roundId = requireRound();
  const rec = syncRecord(roundId);
  const dirty = rec.hash !== fingerprint(readWorkbook().map((d) => d.grid));
  try {
    const s = call<{ status: SyncState; label: string; latestVersion: number }>(
      'get',
      `/api/rounds/${encodeURIComponent(roundId)}/sync-status?baseVersion=${rec.baseVersion}&dirty=${dirty}`,
    );
    return { state: s.status, label: s.label, baseVersion: rec.baseVersion, latestVersion: s.latestVersion, lastSyncedAt: rec.lastSyncedAt ?? null, offline: false };
  } catch {
    const state = syncStatus({ baseVersion: rec.baseVersion, dirty }, { latestVersion: rec.baseVersion });
    return { state, label: SYNC_STATE_LABELS[state], baseVersion: rec.baseVersion, latestVersion: null, lastSyncedAt: rec.lastSyncedAt ?? null, offline: true };
  }
}

/** Nhận nhiệm vụ được giao: inserts the assigned tasks the sheet lacks, then writes the table in one setValues. */
export function pullAssigned(): { total: number; inserted: number; linked: number; present: number; sheet: string | null } {
  const roundId = requireRound();
  const ss = spreadsheet();
  const answer = call<{ areas: { tasks: AssignedTask[] }[] }>('get', `/api/rounds/${encodeURIComponent(roundId)}/assigned`);
  const tasks = answer.areas.flatMap((a) => a.tasks);
  const data = readWorkbook(ss);
  const grids = withMetadataIds(data);
  const meta = readAnnex(grids).annex.meta;
  const i = data.findIndex((d) => d.name === meta.sheet);
  if (i < 0) throw new Error('Không tìm thấy bảng phụ lục (dòng tiêu đề "STT, Nhiệm vụ, Cơ quan chủ trì…") để chèn nhiệm vụ được giao.');
  const target = data[i];
  const ins = insertAssignedTasks(grids[i], tasks);
  if (ins.insertedRows.length) {
    // Rows go in first (metadata and formats move with their rows), ascending positions in the final sheet.
    for (const r of [...ins.insertedRows].sort((a, b) => a - b)) target.sheet.insertRowBefore(r);
  }
  if (ins.writes.length) {
    const rows = ins.writes.map((w) => w.row);
    const cols = ins.writes.map((w) => w.column);
    const r1 = Math.min(...rows);
    const c1 = Math.min(...cols);
    const range = target.sheet.getRange(r1, c1, Math.max(...rows) - r1 + 1, Math.max(...cols) - c1 + 1);
    const values = range.getValues() as SheetValue[][];
    for (const w of ins.writes) values[w.row - r1][w.column - c1] = literal(w.text);
    range.setValues(values);
    target.sheet.hideColumns(ins.idColumn.column);
  }
  return { total: tasks.length, inserted: ins.inserted.length, linked: ins.linked.length, present: ins.present.length, sheet: target.name };
}

// ---------------------------------------------------------------------------------------------
// Menu and sidebar.
// ---------------------------------------------------------------------------------------------

export function onOpen(_e?: unknown): void {
  const ui = SpreadsheetApp.getUi();
  const menu = AS_ADDON ? ui.createAddonMenu() : ui.createMenu(TITLE);
  menu
    .addItem('Kiểm tra', 'menuCheck')
    .addItem('Chuẩn hóa', 'menuNormalize')
    .addItem('Chèn danh mục thả xuống', 'menuDropdowns')
    .addSeparator()
    .addItem('Nộp báo cáo', 'menuSubmit')
    .addItem('Đồng bộ với máy chủ', 'menuSync')
    .addItem('Nhận nhiệm vụ được giao', 'menuPullAssigned')
    .addSeparator()
    .addItem('Xóa đánh dấu', 'menuClearMarks')
    .addItem('Cài đặt', 'showSettings')
    .addToUi();
}

export function onInstall(e?: unknown): void {
  onOpen(e);
}

export type StartAction = 'check' | 'normalize' | 'dropdowns' | 'submit' | 'sync' | 'pull' | 'settings' | 'clear' | 'none';

/** The sidebar's HTML, told which action to run first. */
export function sidebarHtml(start: StartAction = 'check'): string {
  return SIDEBAR_HTML.replace("'__START__'", JSON.stringify(start));
}

const START_ACTIONS: StartAction[] = ['check', 'normalize', 'dropdowns', 'submit', 'sync', 'pull', 'settings', 'clear', 'none'];

export function showSidebar(requested?: unknown): void {
  // Called from a menu, a button or another script: anything but a known action opens the check.
  const start = START_ACTIONS.includes(requested as StartAction) ? (requested as StartAction) : 'check';
  const html = HtmlService.createHtmlOutput(sidebarHtml(start)).setTitle(TITLE);
  SpreadsheetApp.getUi().showSidebar(html);
}

export const menuCheck = () => showSidebar('check');
export const menuNormalize = () => showSidebar('normalize');
export const menuDropdowns = () => showSidebar('dropdowns');
export const menuSubmit = () => showSidebar('submit');
export const menuClearMarks = () => showSidebar('clear');
export const showSettings = () => showSidebar('settings');
export const menuSync = () => showSidebar('sync');
export const menuPullAssigned = () => showSidebar('pull');
