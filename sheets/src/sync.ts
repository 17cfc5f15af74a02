// Two-way sync with the server from the add-on: push with a base version, ids in a hidden column and row
// metadata, the comparison of a stale push, and pulling assigned tasks into the sheet.
import {
  readAnnex,
  resolveMerge,
  annexToGrid,
  insertAssignedTasks,
  syncStatus,
  SYNC_STATE_LABELS,
  TASK_ID_HEADER,
} from '../../engine/index.js';
import type { MergeResult, SyncState, TaskChoice, Grid } from '../../engine/index.js';
import { literal } from './grid.js';
import type { SheetValue } from './grid.js';
import { SheetData, Spreadsheet, docProps, getSettings, parseJson, readWorkbook, spreadsheet } from './workbook.js';
import { run, send, shown, storedView, type StoredView } from './http.js';
import { calls, staleOf } from '../../clients/api.js';
import type { PushResponse, StaleResponse } from '../../contracts/index.js';

// ---------------------------------------------------------------------------------------------
// Two-way sync (POST /api/rounds/:roundId/sync with a base version; see docs/SYNC.md). Task ids live in the
// hidden "Mã nhiệm vụ" column and, to survive sorting and column deletion, as row developer metadata.
// ---------------------------------------------------------------------------------------------

export const SYNC_PROP = 'phuluc.sync';
export const META_KEY = 'phuluc.taskId';

export interface SyncRecord {
  roundId: string;
  baseVersion: number;
  submissionId?: string;
  lastSyncedAt?: string;
  /** Fingerprint of the sheets right after the last sync: a different one means unsent changes. */
  hash?: string;
}

export function syncRecord(roundId: string): SyncRecord {
  const r = parseJson<SyncRecord>(docProps().getProperty(SYNC_PROP));
  return r && r.roundId === roundId ? r : { roundId, baseVersion: 0 };
}

export function saveSyncRecord(r: SyncRecord): void {
  docProps().setProperty(SYNC_PROP, JSON.stringify(r));
}

/** FNV-1a over the grids' texts: cheap and stable between executions. */
export function fingerprint(grids: Grid[]): string {
  let h = 0x811c9dc5;
  const text = JSON.stringify(grids.map((g) => [g.sheet, g.rows.map((r) => [r.index, r.cells.map((c) => c.text)])]));
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}

export function requireRound(): string {
  const s = getSettings();
  if (!s.roundId) throw new Error('Chưa chọn đợt báo cáo: mở Phụ lục › Cài đặt và chọn đợt cần nộp.');
  return s.roundId;
}

export function idColumnOf(grid: Grid): number | null {
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
export function withMetadataIds(data: SheetData[]): Grid[] {
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

export type PushAnswer = PushResponse;
export type StaleAnswer = StaleResponse;

/** Writes the ids the server assigned into the id column (hidden) and as row metadata. */
export function writeIds(ss: Spreadsheet, answer: PushAnswer, pushed: Grid[]): number {
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
  | ({ kind: 'stored'; idsWritten: number; lastSyncedAt: string } & StoredView)
  | {
      kind: 'conflict';
      baseVersion: number;
      latestVersion: number;
      conflicts: number;
      autoMerged: number;
      tasks: TaskComparison[];
    };

export function describeTask(t: MergeResult['entries'][number]['mine']): string {
  if (!t) return '(không có)';
  const lead = (t.lead ?? []).map((a) => a.name).join(', ');
  return [t.task, lead && `Chủ trì: ${lead}`, t.timeline?.text && `Thời gian: ${t.timeline.text}`]
    .filter(Boolean)
    .join(' · ');
}

export function comparison(stale: StaleAnswer): SyncView {
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
  return {
    kind: 'conflict',
    baseVersion: stale.baseVersion,
    latestVersion: stale.latestVersion,
    conflicts: stale.merge.conflicts,
    autoMerged: changed.length - tasks.length,
    tasks,
  };
}

export function pushGrids(
  roundId: string,
  grids: Grid[],
  baseVersion: number,
  fileName: string,
): { ok: PushAnswer } | { stale: StaleAnswer } {
  const c = calls.push(roundId, { grids, baseVersion, source: 'sheets-addon', fileName });
  const answer = send(c.request);
  try {
    return { ok: c.read(answer) };
  } catch (e) {
    const stale = staleOf(e);
    if (stale) return { stale };
    throw shown(e);
  }
}

export function settle(ss: Spreadsheet, rec: SyncRecord, answer: PushAnswer, pushed: Grid[]): SyncView {
  const idsWritten = writeIds(ss, answer, pushed);
  const lastSyncedAt = new Date().toISOString();
  saveSyncRecord({
    ...rec,
    baseVersion: answer.version,
    submissionId: answer.submissionId,
    lastSyncedAt,
    hash: fingerprint(readWorkbook(ss).map((d) => d.grid)),
  });
  return {
    kind: 'stored',
    ...storedView(answer),
    idsWritten,
    lastSyncedAt,
  };
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
  const values = Array.from({ length: height }, (_, i) =>
    Array.from({ length: width }, (_, j) => literal(table.rows[i]?.cells[j]?.text ?? '')),
  );
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
    const s = run(calls.syncStatus(roundId, rec.baseVersion, dirty));
    return {
      state: s.status,
      label: s.label,
      baseVersion: rec.baseVersion,
      latestVersion: s.latestVersion,
      lastSyncedAt: rec.lastSyncedAt ?? null,
      offline: false,
    };
  } catch {
    const state = syncStatus({ baseVersion: rec.baseVersion, dirty }, { latestVersion: rec.baseVersion });
    return {
      state,
      label: SYNC_STATE_LABELS[state],
      baseVersion: rec.baseVersion,
      latestVersion: null,
      lastSyncedAt: rec.lastSyncedAt ?? null,
      offline: true,
    };
  }
}

/** Nhận nhiệm vụ được giao: inserts the assigned tasks the sheet lacks, then writes the table in one setValues. */
export function pullAssigned(): {
  total: number;
  inserted: number;
  linked: number;
  present: number;
  sheet: string | null;
} {
  const roundId = requireRound();
  const ss = spreadsheet();
  const answer = run(calls.assigned(roundId));
  const tasks = answer.areas.flatMap((a) => a.tasks);
  const data = readWorkbook(ss);
  const grids = withMetadataIds(data);
  const meta = readAnnex(grids).annex.meta;
  const i = data.findIndex((d) => d.name === meta.sheet);
  if (i < 0)
    throw new Error(
      'Không tìm thấy bảng phụ lục (dòng tiêu đề "STT, Nhiệm vụ, Cơ quan chủ trì…") để chèn nhiệm vụ được giao.',
    );
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
  return {
    total: tasks.length,
    inserted: ins.inserted.length,
    linked: ins.linked.length,
    present: ins.present.length,
    sheet: target.name,
  };
}
