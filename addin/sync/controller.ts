// Two-way sync of the task pane, without DOM: pull the tasks the province assigned into the sheet, push
// with the base version the sheet was edited from, turn a stale push into a per-task three-way comparison
// and write the officer's resolution back, reviewer comments as cell notes, and the sync status.
import type { Grid } from '../../engine/index.js';
import { insertAssignedTasks, type AssignedTask } from '../../engine/index.js';
import { resolveMerge, type MergeResult, type TaskChoice } from '../../engine/index.js';
import { SYNC_STATE_LABELS, syncStatus, type SyncState } from '../../engine/index.js';
import type { AddinController } from '../controller.js';
import {
  ApiError,
  OfflineError,
  staleBody,
  type ApiClient,
  type PushResult,
  type ReviewComment,
  type StaleBody,
  type SubmitOutcome,
  type SubmitQueue,
} from '../api.js';
import { readSheet } from '../excel/read.js';
import { NOTE_PREFIX } from '../excel/marks.js';
import { applyGridChanges, rewriteTable, syncCommentNotes } from '../excel/sync.js';
import { SyncStore, type RoundSync } from './state.js';
import { annexRows } from './table.js';

export interface SyncDeps {
  controller: AddinController;
  client: () => ApiClient | undefined;
  server: () => string;
  roundId: () => string;
  queue: SubmitQueue;
  now?: () => Date;
}

export interface PullResult {
  total: number;
  inserted: number;
  linked: number;
  present: number;
  renumbered: number;
  sheet: string;
}

export type PushOutcome =
  | { kind: 'stored'; result: PushResult; idsWritten: number }
  | { kind: 'conflict'; stale: StaleBody }
  | { kind: 'queued'; reason: string }
  | { kind: 'rejected'; error: ApiError };

export interface StatusView {
  state: SyncState;
  label: string;
  baseVersion: number;
  latestVersion?: number;
  lastSyncedAt?: string;
  /** Versions others submitted after the base. */
  newer: { version: number; at: string; by: string }[];
  /** The server could not be asked: the state is what this workbook knows. */
  offline: boolean;
}

const COMMENT_NOTES_KEY = 'phuluc.commentNotes';

export class SyncController {
  readonly store: SyncStore;
  /** The comparison of the last stale push, until resolved. */
  conflict: StaleBody | undefined;
  /** Counts the officer's edits, to know whether the sheet changed while a push was under way. */
  private edits = 0;

  constructor(readonly deps: SyncDeps) {
    this.store = new SyncStore(deps.controller.env.settings);
  }

  private get c(): AddinController {
    return this.deps.controller;
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private requireClient(): ApiClient {
    const client = this.deps.client();
    if (!client) throw new Error('Chưa nhập địa chỉ máy chủ và mã truy cập (phần “Nộp phụ lục”).');
    return client;
  }

  private requireRound(): string {
    const id = this.deps.roundId();
    if (!id) throw new Error('Chưa chọn đợt nộp: bấm “Tải đợt nộp” rồi chọn một đợt.');
    return id;
  }

  state(): RoundSync {
    return this.store.get(this.deps.roundId());
  }

  /** Called for every edit of the officer (controller option onOfficerEdit). */
  officerEdited(): void {
    this.edits++;
    const roundId = this.deps.roundId();
    if (roundId) this.store.markDirty(roundId);
  }

  // --- pull --------------------------------------------------------------------------------------

  /** "Nhận nhiệm vụ được giao": inserts the assigned tasks the sheet lacks, in their sections. */
  async pull(): Promise<PullResult> {
    const roundId = this.requireRound();
    const answer = await this.requireClient().assigned(roundId);
    const tasks: AssignedTask[] = answer.areas.flatMap((a) => a.tasks);
    await this.c.flush(); // pending edits first (the sheet is read fresh below)
    const sheetId = this.c.snapshot?.sheetId;
    const result = await this.c.runExclusive(async () => {
      // Read fresh (one sync) and write (one sync): rows are inserted, nothing may be stale.
      const snap = await readSheet(this.c.env.excel, sheetId);
      const ins = insertAssignedTasks(snap.grid, tasks);
      if (ins.writes.length || ins.insertedRows.length) {
        const taskCol = this.c.report?.meta.columns?.find((x) => x.field === 'task')?.index;
        await applyGridChanges(
          this.c.env.excel,
          snap.sheetId,
          {
            insertRows: ins.insertedRows,
            writes: ins.writes,
            hideColumn: ins.idColumn.column,
            highlight: taskCol ? ins.inserted.map((x) => ({ row: x.row, column: taskCol })) : [],
          },
          (a) => this.c.recordOwnWrites(snap.sheetId, a),
        );
      }
      return { ins, sheet: snap.sheetName };
    });
    const { ins, sheet } = result;
    if (ins.inserted.length || ins.linked.length || ins.renumbered.length) this.officerChangedByPull(roundId);
    await this.c.validateAll();
    return {
      total: tasks.length,
      inserted: ins.inserted.length,
      linked: ins.linked.length,
      present: ins.present.length,
      renumbered: ins.renumbered.length,
      sheet,
    };
  }

  /** Pulled rows are local changes the server does not have yet. */
  private officerChangedByPull(roundId: string): void {
    this.store.markDirty(roundId);
  }

  // --- push --------------------------------------------------------------------------------------

  /** Pushes the sheet with its base version; a colleague's newer version gives a conflict, never an overwrite. */
  async push(): Promise<PushOutcome> {
    const roundId = this.requireRound();
    this.requireClient();
    const grids = await this.c.currentGrids();
    if (!grids.length) throw new Error('Chưa đọc được bảng nào để gửi.');
    const base = this.store.get(roundId).baseVersion;
    const editsBefore = this.edits;
    const outcome = await this.deps.queue.submit(this.deps.server(), roundId, grids, undefined, base);
    return this.settle(roundId, outcome, grids, editsBefore);
  }

  /** Handles the answer to a push (also one that went out later from the offline queue). */
  async settle(
    roundId: string,
    outcome: SubmitOutcome,
    pushed: Grid[],
    editsBefore = this.edits,
  ): Promise<PushOutcome> {
    if (outcome.kind === 'queued') return { kind: 'queued', reason: outcome.reason };
    if (outcome.kind === 'rejected') {
      const stale = staleBody(outcome.error);
      if (stale) {
        this.conflict = stale;
        return { kind: 'conflict', stale };
      }
      return { kind: 'rejected', error: outcome.error };
    }
    const result = outcome.result as PushResult;
    const idsWritten = await this.writeIds(result, pushed);
    this.conflict = undefined;
    this.store.update(roundId, {
      baseVersion: result.version,
      submissionId: result.submissionId,
      lastSyncedAt: this.now().toISOString(),
      dirty: this.edits !== editsBefore,
    });
    return { kind: 'stored', result, idsWritten };
  }

  /**
   * Writes the ids the server assigned. A write whose row no longer holds the task that was pushed (the
   * officer moved rows meanwhile) is left out: the next push links that task to its id again by its text.
   */
  private async writeIds(result: PushResult, pushed: Grid[]): Promise<number> {
    if (!result.writes?.length) return 0;
    await this.c.currentGrids();
    const snap = this.c.snapshot;
    if (!snap) return 0;
    const was = pushed.find((g) => g.sheet === snap.grid.sheet);
    if (!was) return 0;
    const idCol = result.idColumn?.column;
    const rowText = (g: Grid, row: number) => {
      const texts = (g.rows.find((r) => r.index === row)?.cells ?? [])
        .filter((_, i) => i + 1 !== idCol)
        .map((c) => c.text);
      // Trailing empty cells do not make a row different.
      while (texts.length && texts[texts.length - 1] === '') texts.pop();
      return texts.join('\u0001');
    };
    const writes = result.writes.filter(
      (w) => w.sheet === snap.grid.sheet && rowText(was, w.row) === rowText(snap.grid, w.row),
    );
    if (!writes.length) return 0;
    await this.c.runExclusive(() =>
      applyGridChanges(this.c.env.excel, snap.sheetId, { writes, hideColumn: idCol }, (a) =>
        this.c.recordOwnWrites(snap.sheetId, a),
      ),
    );
    await this.c.validateAll();
    return writes.length;
  }

  // --- conflict resolution -----------------------------------------------------------------------

  /**
   * Builds the merged annex from the officer's choices (per task: keep mine, take theirs, or per field),
   * writes it into the sheet in the sheet's own columns, and pushes it from the server's latest version.
   */
  async resolve(choices: Record<string, TaskChoice>): Promise<PushOutcome> {
    const roundId = this.requireRound();
    const stale = this.conflict;
    if (!stale) throw new Error('Không có xung đột nào đang chờ giải quyết.');
    const merged = resolveMerge(stale.merge, choices); // throws MergeUnresolvedError (Vietnamese) when a choice is missing
    await this.c.currentGrids();
    const report = this.c.report;
    const snap = this.c.snapshot;
    const headerRow = report?.meta.headerRow;
    if (!report || !snap || !headerRow)
      throw new Error('Không tìm thấy bảng phụ lục trên trang tính để ghi bản đã gộp.');
    const columns = report.meta.columns ?? [];
    const table = annexRows(merged, columns);
    const lastRow = Math.max(
      headerRow,
      ...report.sections.map((s) => s.source.row),
      ...report.sections.flatMap((s) => s.tasks.flatMap((t) => [t.source.row, ...t.rows])),
    );
    await this.c.runExclusive(() =>
      rewriteTable(
        this.c.env.excel,
        snap.sheetId,
        {
          firstRow: headerRow + 1,
          oldLastRow: lastRow,
          rows: table.rows,
          headers: table.added.map((a) => ({ row: headerRow, column: a.column, text: a.header })),
          hideColumn: table.idColumn,
        },
        (a) => this.c.recordOwnWrites(snap.sheetId, a),
      ),
    );
    await this.c.validateAll();
    // The sheet now holds base + both sides' changes: its base is the server's latest version.
    this.store.update(roundId, { baseVersion: stale.latestVersion, dirty: true });
    this.conflict = undefined;
    return this.push();
  }

  // --- status ------------------------------------------------------------------------------------

  async status(): Promise<StatusView> {
    const roundId = this.deps.roundId();
    const st = this.store.get(roundId);
    const local = (offline: boolean): StatusView => {
      const state = syncStatus({ baseVersion: st.baseVersion, dirty: st.dirty }, { latestVersion: st.baseVersion });
      return {
        state,
        label: SYNC_STATE_LABELS[state],
        baseVersion: st.baseVersion,
        lastSyncedAt: st.lastSyncedAt,
        newer: [],
        offline,
      };
    };
    const client = this.deps.client();
    if (!client || !roundId) return local(true);
    try {
      const s = await client.syncStatus(
        roundId,
        st.baseVersion,
        st.dirty || this.deps.queue.items().some((i) => i.roundId === roundId),
      );
      if (s.submissionId && s.submissionId !== st.submissionId && st.baseVersion > 0)
        this.store.update(roundId, { submissionId: s.submissionId });
      return {
        state: s.status,
        label: s.label,
        baseVersion: st.baseVersion,
        latestVersion: s.latestVersion,
        lastSyncedAt: st.lastSyncedAt ?? s.lastSyncedAt ?? undefined,
        newer: s.newer.map((n) => ({ version: n.version, at: n.at, by: n.by.displayName })),
        offline: false,
      };
    } catch (e) {
      if (e instanceof OfflineError) return local(true);
      throw e;
    }
  }

  // --- reviewer comments -------------------------------------------------------------------------

  /**
   * Shows the open reviewer comments as notes on the rows of the tasks they concern (found by task id,
   * so they follow the task when rows move) and clears the notes of resolved ones.
   */
  async refreshComments(): Promise<{
    comments: ReviewComment[];
    shown: number;
    cleared: number;
    skipped: string[];
    unplaced: ReviewComment[];
  }> {
    const roundId = this.requireRound();
    const st = this.store.get(roundId);
    const client = this.requireClient();
    let submissionId = st.submissionId;
    if (!submissionId)
      submissionId = (await client.syncStatus(roundId, st.baseVersion, st.dirty)).submissionId ?? undefined;
    if (!submissionId) return { comments: [], shown: 0, cleared: 0, skipped: [], unplaced: [] };
    const { comments } = await client.comments(submissionId);
    await this.c.currentGrids();
    const report = this.c.report;
    const snap = this.c.snapshot;
    if (!report || !snap) throw new Error('Chưa đọc được bảng phụ lục.');
    const cols = report.meta.columns ?? [];
    const noteCol = cols.find((c) => c.field === 'number')?.index ?? cols.find((c) => c.field === 'task')?.index ?? 1;
    const rowOfTask = new Map<string, number>();
    for (const s of report.sections) for (const t of s.tasks) if (t.id) rowOfTask.set(t.id, t.source.row);
    const wanted: Record<string, string> = {};
    const unplaced: ReviewComment[] = [];
    for (const cm of comments) {
      if (cm.resolved) continue;
      const row = cm.taskId ? rowOfTask.get(cm.taskId) : undefined;
      if (!row) {
        unplaced.push(cm);
        continue;
      }
      const cell = `${columnName(noteCol)}${row}`;
      const line = `${cm.author}: ${cm.text}`;
      wanted[cell] = wanted[cell] ? `${wanted[cell]}\n${line}` : line;
    }
    // Before ExcelApi 1.18 there are no notes: every open comment is listed in the pane instead.
    if (!this.c.caps.notes)
      return { comments, shown: 0, cleared: 0, skipped: [], unplaced: comments.filter((cm) => !cm.resolved) };
    const all = (this.c.env.settings.get(COMMENT_NOTES_KEY) as Record<string, Record<string, string>> | null) ?? {};
    const previous = all[snap.sheetId] ?? {};
    const r = await this.c.runExclusive(() =>
      syncCommentNotes(this.c.env.excel, snap.sheetId, wanted, previous, (t) => t.startsWith(NOTE_PREFIX)),
    );
    this.c.env.settings.set(COMMENT_NOTES_KEY, { ...all, [snap.sheetId]: r.notes });
    this.c.env.settings.saveAsync();
    return { comments, shown: r.shown, cleared: r.cleared, skipped: r.skipped, unplaced };
  }

  async resolveComment(commentId: string, resolved = true): Promise<void> {
    const st = this.store.get(this.requireRound());
    if (!st.submissionId) throw new Error('Chưa có bài nộp nào trên máy chủ cho đợt này.');
    await this.requireClient().resolveComment(st.submissionId, commentId, resolved);
  }
}

function columnName(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

export type { MergeResult, TaskChoice };
