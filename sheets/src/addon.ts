// The Google Sheets add-on (Apps Script, V8). Bundled with the engine into one script file by
// scripts/build-sheets.ts; the functions exported here become global functions (menu items, triggers and
// google.script.run targets, see globals.ts). Each execution starts fresh: nothing is kept in memory between
// calls, so every entry point reads the sheet once (getValues/getFormulas/getMergedRanges) and validates.
import SIDEBAR_HTML from './sidebar.html';
import { allFixes, tryApplyFixes, readAnnex, REFORM_AREAS } from '../../engine/index.js';
import type { CellEdit, Diagnostic, Fix, Report } from '../../engine/index.js';
import { defaultDirectory } from '../../data/index.js';
import { writeBlock } from './grid.js';
import { MARK_COLORS, SEVERITIES, isOurFormula, isOurNote, markFormula, planMarks, updateNotes } from './marks.js';
import {
  AS_ADDON,
  LIST_SHEET,
  SheetData,
  Spreadsheet,
  TITLE,
  contextFor,
  dateFormatter,
  readSheet,
  readWorkbook,
  rememberContext,
  spreadsheet,
  validateData,
  viDate,
} from './workbook.js';
export * from './workbook.js';
export * from './http.js';
export * from './sync.js';

// ---------------------------------------------------------------------------------------------
// Marks: notes and conditional-format rules the add-on owns.
// ---------------------------------------------------------------------------------------------

export interface MarkResult {
  notesAdded: number;
  notesRemoved: number;
  notesSkipped: number;
  rules: number;
}

export function ourRule(rule: GoogleAppsScript.Spreadsheet.ConditionalFormatRule): boolean {
  const c = rule.getBooleanCondition();
  if (!c || c.getCriteriaType() !== SpreadsheetApp.BooleanCriteria.CUSTOM_FORMULA) return false;
  return isOurFormula(String(c.getCriteriaValues()[0] ?? ''));
}

export function writeMarks(d: SheetData, diagnostics: Diagnostic[]): MarkResult {
  const plan = planMarks(diagnostics, d.name);
  const width = Math.max(d.width, 1);
  const height = Math.max(d.height, 1);
  const current = d.sheet.getRange(1, 1, height, width).getNotes();
  const upd = updateNotes(current, plan, width, height);
  if (upd.firstRow !== null)
    d.sheet.getRange(upd.firstRow, 1, upd.notes.length, upd.notes[0].length).setNotes(upd.notes);

  const rules = d.sheet.getConditionalFormatRules();
  const theirs = rules.filter((r) => !ourRule(r));
  const mine = rules.filter(ourRule);
  const wanted = SEVERITIES.filter((s) => plan.cells[s].length);
  const signature = (formula: string, areas: string[]) => `${formula}|${areas.join(',')}`;
  const have = mine.map((r) =>
    signature(
      String(r.getBooleanCondition()!.getCriteriaValues()[0]),
      r.getRanges().map((x) => x.getA1Notation()),
    ),
  );
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

export function issuesOf(report: Report): Issue[] {
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

export function markAll(data: SheetData[], report: Report): MarkResult {
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

export function view(ss: Spreadsheet, report: Report, marks: MarkResult): CheckView {
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
export function writeEdits(data: SheetData[], edits: CellEdit[]): string[] {
  const written: string[] = [];
  for (const d of data) {
    const block = writeBlock(d.name, edits, d.values, d.formulas);
    if (!block) continue;
    d.sheet.getRange(block.row, block.column, block.values.length, block.values[0].length).setValues(block.values);
    written.push(...block.cells.map((c) => `${d.name}!${c}`));
  }
  return written;
}

export function applyAndRecheck(ss: Spreadsheet, data: SheetData[], fixes: Fix[]): FixOutcomeView {
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

export function onEdit(
  e: GoogleAppsScript.Events.SheetsOnEdit,
): { rows: number[]; issues: number; marks: MarkResult } | null {
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

export function markEdit(
  e: GoogleAppsScript.Events.SheetsOnEdit,
  range: GoogleAppsScript.Spreadsheet.Range,
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
) {
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
  return {
    rows,
    issues: report.diagnostics.filter((d) => d.location.sheet === data.name && touched.has(d.location.row)).length,
    marks,
  };
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
    throw new Error(
      'Không tìm thấy bảng phụ lục (dòng tiêu đề "STT, Nhiệm vụ, Cơ quan chủ trì…") để chèn danh mục thả xuống.',
    );
  }
  const province = ctx.province || meta.province;
  if (!province) throw new Error('Chưa xác định được tỉnh của phụ lục: chọn tỉnh trong Phụ lục › Cài đặt.');
  const date = meta.planYear
    ? `${meta.planYear}-01-01`
    : Utilities.formatDate(new Date(), 'Asia/Ho_Chi_Minh', 'yyyy-MM-dd');
  const agencies = [...new Set(directory.agencies(province, date).map((a) => a.name))];
  if (!agencies.length) throw new Error(`Danh mục cơ quan của tỉnh "${province}" trống tại ngày ${viDate(date)}.`);
  const columns = meta.columns.filter((c) => c.field === 'lead' || c.field === 'support' || c.field === 'monitor');
  if (!columns.length) throw new Error('Bảng không có cột "Cơ quan chủ trì"/"Cơ quan phối hợp" để chèn danh mục.');
  const areas = REFORM_AREAS.map((a) => a.title);

  let list = ss.getSheetByName(LIST_SHEET);
  if (!list) list = ss.insertSheet(LIST_SHEET, ss.getSheets().length);
  list.clearContents();
  const height = Math.max(agencies.length, areas.length);
  list
    .getRange(1, 1, height, 2)
    .setValues(Array.from({ length: height }, (_, i) => [agencies[i] ?? '', areas[i] ?? '']));
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
  return {
    sheet: meta.sheet,
    columns: columns.map((c) => c.header),
    firstRow,
    lastRow,
    agencies: agencies.length,
    province,
  };
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

export type StartAction =
  'check' | 'normalize' | 'dropdowns' | 'submit' | 'sync' | 'pull' | 'settings' | 'clear' | 'none';

/** The sidebar's HTML, told which action to run first. */
export function sidebarHtml(start: StartAction = 'check'): string {
  return SIDEBAR_HTML.replace("'__START__'", JSON.stringify(start));
}

const START_ACTIONS: StartAction[] = [
  'check',
  'normalize',
  'dropdowns',
  'submit',
  'sync',
  'pull',
  'settings',
  'clear',
  'none',
];

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
