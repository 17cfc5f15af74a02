// The task pane's brain: keeps an engine session in step with the active sheet. A full validation
// reads the sheet in one sync and paints marks in another; an edit re-reads only the touched rows
// and paints in the same Excel.run (two syncs). The add-in's own writes never start another pass.
import type { Fix, Grid, GridRow, Report, CellEdit } from '../engine/index.js';
import {
  allFixes as engineAllFixes,
  createSession,
  type CellUpdate,
  type ValidateContext,
  type ValidationSession,
} from '../engine/index.js';
import { a1 } from '../engine/index.js';
import { capabilitiesOf, type Capabilities, type HostEnvironment } from './excel/host.js';
import { readSheet, queueReadRows, type SheetSnapshot, type SheetExtent } from './excel/read.js';
import { MarkLayer } from './excel/marks.js';
import { OwnWrites, parseRowSpans } from './excel/events.js';

export interface ChangeEvent {
  address: string;
  changeType: string;
  worksheetId: string;
  triggerSource?: string;
  source?: string;
}

export interface PassStats {
  kind: 'full' | 'edit' | 'fix';
  syncs: number;
  engineMs: number;
  rows: number;
}

export interface ControllerOptions {
  engineContext?: () => ValidateContext;
  debounceMs?: number;
  /** Quiet time before notes are refreshed (two extra syncs, off the edit path). */
  notesDelayMs?: number;
  /** Counts context.sync() calls (the fake host exposes one; real Excel does not). */
  syncCounter?: () => number;
  onReport?: (report: Report, stats: PassStats) => void;
  onError?: (error: unknown) => void;
  /** The officer changed the checked sheet (not the add-in's own writes): the sync state turns dirty. */
  onOfficerEdit?: (event: ChangeEvent) => void;
}

/** Most rows an edit may touch before the sheet is re-read whole (pastes, fills). */
const MAX_EDIT_ROWS = 400;

export interface FixPlan {
  edits: CellEdit[];
  /** Edits left out: the cell changed since the check, or another fix already writes it. */
  skipped: { edit: CellEdit; reason: 'stale' | 'conflict' }[];
}

export class AddinController {
  readonly marks: MarkLayer;
  snapshot: SheetSnapshot | undefined;
  session: ValidationSession | undefined;
  report: Report | undefined;
  lastStats: PassStats | undefined;
  private pending: ChangeEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private notesTimer: ReturnType<typeof setTimeout> | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  /** Ranges written by the add-in recently: their change events are ours, not the officer's. */
  readonly ownWrites = new OwnWrites();
  readonly caps: Capabilities;
  private registered = false;

  constructor(
    readonly env: HostEnvironment,
    readonly options: ControllerOptions = {},
  ) {
    this.caps = capabilitiesOf(env);
    this.marks = new MarkLayer(env.settings, this.caps);
  }

  private get ctx(): ValidateContext {
    return this.options.engineContext?.() ?? {};
  }

  /** Serialises every Excel operation of the pane: passes never interleave. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private syncs(): number {
    return this.options.syncCounter?.() ?? 0;
  }

  /** Registers change/activation events (one sync) and validates the active sheet. */
  async start(): Promise<Report> {
    if (!this.registered) {
      await this.env.excel.run(async (ctx) => {
        ctx.workbook.worksheets.onChanged.add(async (args) => this.onChanged(args as unknown as ChangeEvent));
        ctx.workbook.worksheets.onActivated.add(async () => {
          await this.validateAll().catch((e) => this.options.onError?.(e));
        });
        await ctx.sync();
      });
      this.registered = true;
    }
    return this.validateAll();
  }

  validateAll(): Promise<Report> {
    return this.exclusive(() => this.fullPass());
  }

  private async fullPass(sheetName?: string): Promise<Report> {
    const before = this.syncs();
    const snap = await readSheet(this.env.excel, sheetName, { mergedAreas: this.caps.mergedAreas });
    const t0 = performance.now();
    const session = createSession([snap.grid], this.ctx);
    const report = session.report();
    const engineMs = performance.now() - t0;
    this.snapshot = snap;
    this.session = session;
    await this.paint(report, snap.conditionalFormatIds);
    return this.finish(report, { kind: 'full', syncs: this.syncs() - before, engineMs, rows: snap.grid.rows.length });
  }

  private sheetRef() {
    const snap = this.snapshot!;
    return { id: snap.sheetId, name: snap.grid.sheet };
  }

  private async paint(report: Report, existing: Set<string>): Promise<void> {
    const sheet = this.sheetRef();
    await this.env.excel.run(async (ctx) => {
      const done = this.marks.queueColours(ctx, sheet, report.diagnostics, existing);
      await ctx.sync();
      done();
    });
  }

  private finish(report: Report, stats: PassStats): Report {
    this.report = report;
    this.lastStats = stats;
    this.options.onReport?.(report, stats);
    this.scheduleNotes();
    return report;
  }

  private scheduleNotes(): void {
    if (this.options.notesDelayMs === undefined || this.options.notesDelayMs < 0) return;
    // Before ExcelApi 1.18 there are no notes: the issues stay in the pane.
    if (!this.caps.notes) return;
    clearTimeout(this.notesTimer);
    this.notesTimer = setTimeout(() => {
      void this.refreshNotes().catch((e) => this.options.onError?.(e));
    }, this.options.notesDelayMs);
  }

  /** Writes the issue messages into cell notes (skipping cells that hold the officer's notes). */
  refreshNotes(): Promise<{ added: number; removed: number; skipped: number }> {
    return this.exclusive(async () => {
      if (!this.snapshot || !this.report) return { added: 0, removed: 0, skipped: 0 };
      return this.marks.syncNotes(this.env.excel, this.sheetRef(), this.report.diagnostics);
    });
  }

  // --- change events ---------------------------------------------------------------------------

  onChanged(args: ChangeEvent): void {
    if (args.triggerSource === 'ThisLocalAddin') return;
    if (this.isOwnWrite(args)) return;
    if (!this.snapshot || args.worksheetId !== this.snapshot.sheetId) return;
    this.options.onOfficerEdit?.(args);
    this.pending.push(args);
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => void this.flush().catch((e) => this.options.onError?.(e)),
      this.options.debounceMs ?? 300,
    );
  }

  private isOwnWrite(args: ChangeEvent): boolean {
    return this.ownWrites.covers(args.worksheetId, args.address);
  }

  /** Called by every writer before its batch syncs: the events of those ranges are the add-in's. */
  recordOwnWrites(sheetId: string, addresses: string[]): void {
    // From ExcelApi 1.14 the events say so themselves (triggerSource); recording whole rows there
    // would only risk hiding an officer's quick edit in them.
    if (!this.caps.triggerSource) this.ownWrites.record(sheetId, addresses);
  }

  /** Processes the changes collected so far (called by the debounce timer; tests may call it). */
  flush(): Promise<Report | undefined> {
    clearTimeout(this.timer);
    const events = this.pending.splice(0);
    if (!events.length) return Promise.resolve(this.report);
    return this.exclusive(() => this.editPass(events));
  }

  private async editPass(events: ChangeEvent[]): Promise<Report> {
    const snap = this.snapshot!;
    const spans = this.simpleSpans(events);
    // Inserted/deleted rows, pastes over many rows, several areas: events cannot be trusted to
    // describe the change, so the table is read again from scratch.
    if (!spans || !this.session) return this.fullPass(snap.sheetId);
    const before = this.syncs();
    const width = Math.max(
      snap.extent.columnIndex + snap.extent.columnCount,
      ...events.map((e) => lastColumn(e.address)),
    );
    return this.env.excel.run(async (ctx) => {
      const collect = queueReadRows(ctx, snap.sheetId, spans, width, this.caps.mergedAreas);
      await ctx.sync();
      const read = collect();
      const t0 = performance.now();
      const { report, rows } = this.applyRead(read.rows, read.merges, read.extent);
      const engineMs = performance.now() - t0;
      const done = this.marks.queueColours(ctx, this.sheetRef(), report.diagnostics, read.conditionalFormatIds);
      await ctx.sync();
      done();
      return this.finish(report, { kind: 'edit', syncs: this.syncs() - before, engineMs, rows });
    });
  }

  private simpleSpans(events: ChangeEvent[]): [number, number][] | undefined {
    if (events.some((e) => e.changeType !== 'RangeEdited')) return undefined;
    const spans: [number, number][] = [];
    for (const e of events) {
      const s = parseRowSpans(e.address);
      if (!s) return undefined;
      spans.push(...s);
    }
    const merged = mergeSpans(spans);
    const total = merged.reduce((n, [a, b]) => n + b - a + 1, 0);
    return total > MAX_EDIT_ROWS ? undefined : merged;
  }

  /** Folds re-read rows into the snapshot and the engine session; returns the new report. */
  private applyRead(rows: GridRow[], merges: string[], extent: SheetExtent): { report: Report; rows: number } {
    const snap = this.snapshot!;
    const grid = snap.grid;
    const byIndex = new Map(grid.rows.map((r, i) => [r.index, i]));
    const edits: CellUpdate[] = [];
    let structural = false;
    const oldMerges = new Set(grid.merges ?? []);
    for (const m of merges) if (!oldMerges.has(m)) structural = true;
    for (const row of rows) {
      const at = byIndex.get(row.index);
      const old = at === undefined ? undefined : grid.rows[at];
      if (!old) {
        // A row beyond the table the engine knows: only a new session can take it.
        if (row.cells.some((c) => c.text !== '')) structural = true;
        continue;
      }
      const width = Math.max(old.cells.length, row.cells.length);
      for (let c = 0; c < width; c++) {
        const o = old.cells[c] ?? { text: '' };
        const n = row.cells[c] ?? { text: '' };
        if ((o.mergedInto ?? '') !== (n.mergedInto ?? '')) structural = true;
        if (o.text !== n.text || (o.formula ?? '') !== (n.formula ?? '')) {
          const u: CellUpdate = { sheet: grid.sheet, row: row.index, column: c + 1, text: n.text };
          if (n.formula) u.formula = n.formula;
          edits.push(u);
        }
      }
    }
    const newGrid = mergeRows(grid, rows, extent);
    snap.grid = newGrid;
    snap.extent = extent;
    if (structural) {
      // Merges changed or rows appeared beyond the table: the engine re-reads the whole grid.
      return { report: this.session!.replaceGrid(newGrid), rows: rows.length };
    }
    if (!edits.length) return { report: this.report ?? this.session!.report(), rows: rows.length };
    return { report: this.session!.update(edits), rows: rows.length };
  }

  // --- actions from the pane -----------------------------------------------------------------

  /** Selects a cell (click on an issue). */
  selectCell(sheet: string, cell: string): Promise<void> {
    return this.exclusive(() =>
      this.env.excel.run(async (ctx) => {
        const ws = ctx.workbook.worksheets.getItem(sheet === this.snapshot?.grid.sheet ? this.snapshot.sheetId : sheet);
        ws.activate();
        ws.getRange(cell).select();
        await ctx.sync();
      }),
    );
  }

  /** What applying `fixes` would change, checked against the sheet as last read. */
  planFixes(fixes: Fix[]): FixPlan {
    const plan: FixPlan = { edits: [], skipped: [] };
    const seen = new Set<string>();
    const grid = this.snapshot?.grid;
    for (const fix of fixes) {
      // A fix is applied whole or not at all: a half-moved value is worse than none.
      const problems: FixPlan['skipped'] = [];
      for (const e of fix.edits) {
        const k = `${e.sheet}!${e.row}:${e.column}`;
        if (seen.has(k)) problems.push({ edit: e, reason: 'conflict' });
        else if (currentText(grid, e) !== e.from) problems.push({ edit: e, reason: 'stale' });
      }
      if (problems.length) {
        plan.skipped.push(
          ...(problems.length === fix.edits.length
            ? problems
            : fix.edits.map((edit) => ({ edit, reason: problems[0].reason }))),
        );
        continue;
      }
      for (const e of fix.edits) {
        seen.add(`${e.sheet}!${e.row}:${e.column}`);
        plan.edits.push(e);
      }
    }
    return plan;
  }

  /** Machine-applicable fixes of the current report, without two fixes on one cell (the engine's rule). */
  allFixes(): Fix[] {
    return this.report ? engineAllFixes(this.report) : [];
  }

  /** Writes the planned edits in one batch (one undo step) and repaints in the same sync. */
  applyEdits(edits: CellEdit[]): Promise<Report> {
    return this.exclusive(async () => {
      await this.flushPendingInline();
      const snap = this.snapshot;
      if (!snap || !this.session) throw new Error('Chưa kiểm tra bảng nào.');
      const before = this.syncs();
      const t0 = performance.now();
      const updates: CellUpdate[] = edits.map((e) => ({ sheet: e.sheet, row: e.row, column: e.column, text: e.to }));
      const report = this.session.update(updates);
      const engineMs = performance.now() - t0;
      for (const e of edits) setGridText(snap.grid, e.row, e.column, e.to);
      await this.env.excel.run(async (ctx) => {
        const ws = ctx.workbook.worksheets.getItem(snap.sheetId);
        // First a read-only sync: which mark formats still exist (the officer may have removed some).
        const cfs = ws.getRange().conditionalFormats.load('items/id');
        await ctx.sync();
        // Then every write in ONE sync, so Excel records one undo step for the whole "Chuẩn hóa".
        // Our writes must not come back as "the officer edited": events off for this batch.
        ctx.runtime.enableEvents = false;
        for (const e of edits) {
          ws.getRange(e.cell).values = [[asTypedText(e.to)]];
          this.ownWrites.record(snap.sheetId, [e.cell]);
        }
        const done = this.marks.queueColours(
          ctx,
          this.sheetRef(),
          report.diagnostics,
          new Set(cfs.items.map((x) => x.id)),
        );
        ctx.runtime.enableEvents = true;
        await ctx.sync();
        done();
      });
      return this.finish(report, {
        kind: 'fix',
        syncs: this.syncs() - before,
        engineMs,
        rows: new Set(edits.map((e) => e.row)).size,
      });
    });
  }

  private async flushPendingInline(): Promise<void> {
    clearTimeout(this.timer);
    const events = this.pending.splice(0);
    if (events.length) await this.editPass(events);
  }

  /**
   * The grids to submit or push: the sheet read again now. Sorting, recalculation and links raise no
   * change event, so the snapshot kept by events may be stale. A JSON copy, not structuredClone (Safari
   * before 15.4 on Mac lacks it); a grid is plain JSON data.
   */
  async currentGrids(): Promise<Grid[]> {
    await this.flush();
    return this.exclusive(async () => {
      if (!this.snapshot) return [];
      await this.fullPass(this.snapshot.sheetId);
      return [JSON.parse(JSON.stringify(this.snapshot.grid)) as Grid];
    });
  }

  clearMarks(): Promise<{ formats: number; notes: number }> {
    return this.exclusive(async () => {
      clearTimeout(this.notesTimer);
      if (!this.snapshot) return { formats: 0, notes: 0 };
      return this.marks.clear(this.env.excel, this.sheetRef());
    });
  }

  /** Runs an arbitrary batch in the pane's queue (template insertion, dropdowns). */
  runExclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.exclusive(fn);
  }
}

function lastColumn(address: string): number {
  const m = /([A-Z]+)\d*$/i.exec(address.replace(/\$/g, '').split(':').pop() ?? '');
  if (!m) return 0;
  let n = 0;
  for (const ch of m[1].toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}

function mergeSpans(spans: [number, number][]): [number, number][] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s[0] <= last[1] + 1) last[1] = Math.max(last[1], s[1]);
    else out.push([s[0], s[1]]);
  }
  return out;
}

/** The snapshot grid with `rows` replacing rows of the same index (gaps filled with blank rows). */
function mergeRows(grid: Grid, rows: GridRow[], extent: SheetExtent): Grid {
  const map = new Map(grid.rows.map((r) => [r.index, r]));
  for (const r of rows) map.set(r.index, r);
  const first = Math.min(...map.keys());
  const last = Math.max(...map.keys(), extent.rowIndex + extent.rowCount);
  const out: GridRow[] = [];
  for (let i = first; i <= last; i++) out.push(map.get(i) ?? { index: i, cells: [] });
  // Drop trailing rows that fell out of the used range and are blank now.
  while (
    out.length > 1 &&
    out[out.length - 1].index > extent.rowIndex + extent.rowCount &&
    out[out.length - 1].cells.every((c) => !c.text)
  )
    out.pop();
  const merges = new Set(grid.merges ?? []);
  const g: Grid = { ...grid, rows: out };
  if (merges.size) g.merges = [...merges];
  return g;
}

function currentText(grid: Grid | undefined, e: CellEdit): string {
  const row = grid?.rows.find((r) => r.index === e.row);
  return row?.cells[e.column - 1]?.text ?? '';
}

function setGridText(grid: Grid, row: number, column: number, text: string): void {
  let r = grid.rows.find((x) => x.index === row);
  if (!r) {
    r = { index: row, cells: [] };
    grid.rows.push(r);
    grid.rows.sort((a, b) => a.index - b.index);
  }
  while (r.cells.length < column) r.cells.push({ text: '' });
  r.cells[column - 1] = { text };
}

/** Text Excel would otherwise turn into a number, date or formula is written with a leading apostrophe. */
export function asTypedText(text: string): string {
  if (/^\d+$/.test(text)) return text; // plain numbers (STT) stay numbers
  if (/^[=+\-@]/.test(text) || /^[\d\s/.,:-]+$/.test(text.trim())) return `'${text}`;
  return text;
}

export { a1 };
