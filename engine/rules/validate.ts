// Full and incremental validation, and fix application.
//
// validate() runs every rule of the catalogue over a ReadResult. A session (createSession) keeps the grids,
// memoised normalisers and per-row / per-task diagnostics keyed by content: after an edit it re-reads, reuses the
// diagnostics of every row and task whose content did not change, and reruns the cheap table-level rules
// (numbering, sections, duplicates). Its report is always equal to a fresh validate() of the same grids.
import type { CellEdit, Diagnostic, Fix, Grid, GridCell, GridRow, Report, Section, Severity } from '../model.js';
import type { AgencyDirectory } from '../normalize/agency.js';
import { readAnnex, rereadAnnex, type ReadOptions, type ReadResult, type RowRole } from '../read/index.js';
import '../messages/en.js';
import { defaultDirectory } from '../../data/index.js';
import { localize, type Locale } from './diagnostic.js';
import {
  sharedMemo,
  TableView,
  type Memo,
  type PriorGroup,
  type RuleContext,
  type Segment,
  type TableRule,
  type TaskGroup,
  unitRows,
} from './facts.js';
import { GROUP_RULES, ROW_RULES, TABLE_RULES } from './catalogue.js';
import { gridsFromResult } from './synth.js';
import { mapPacked } from '../packed.js';

export interface ValidateContext {
  /** The agency directory; defaults to the bundled one (data/), `null` checks without a directory. */
  directory?: AgencyDirectory | null;
  /** Directory id of the province ("nam-dinh"); defaults to the annex's meta.province. */
  province?: string;
  /** Plan year; defaults to the annex's meta.planYear. */
  planYear?: number;
  /** ISO date at which agency names are resolved (defaults to 1 Jan of the plan year). */
  date?: string;
  locale?: Locale;
  /**
   * The grids the ReadResult was read from; defaults to `result.grids` (readAnnex fills it). Without either the
   * cells are rebuilt from the model (task rows exactly from the reader's raw texts, product and page-split rows
   * approximately) and fixes are kept only on exactly rebuilt cells.
   */
  grids?: Grid[];
}

export interface CellUpdate {
  sheet: string;
  row: number;
  column: number;
  text: string;
  formula?: string;
}

export interface ValidationSession {
  /** The current report. */
  report(): Report;
  /** Applies cell edits to the session's grids and re-validates incrementally. */
  update(edits: CellUpdate[]): Report;
  /** Replaces one sheet's grid (row inserts/deletes: the caller passes the whole new grid) and re-validates. */
  replaceGrid(grid: Grid): Report;
  /** Applies fixes (refusing stale ones, see tryApplyFixes) and re-validates. */
  applyFixes(fixes: Fix[]): { report: Report; rejected: RejectedEdit[] };
  /** Diagnostics located on the given rows (of the given sheet, or of any sheet). */
  diagnosticsFor(rows: number[] | { sheet?: string; row: number }[], sheet?: string): Diagnostic[];
  /** The session's current grids (owned by the session: do not mutate). */
  grids(): Grid[];
  /** The current read result. */
  result(): ReadResult;
  /** How the last update read the document: only the part of the table the edits reach, or all of it. */
  lastRead(): 'partial' | 'full';
  /** How many of the table's sections the last validation took over unchecked (the reader kept them), of how many. */
  lastReuse(): { sections: number; of: number };
}

// ---------------------------------------------------------------------------------------------
// The rule runner.
// ---------------------------------------------------------------------------------------------

interface Caches {
  memo: Memo;
  rows: Map<string, Diagnostic[]>;
  groups: Map<string, Diagnostic[]>;
  /** Fast path: results by the identity of the (unchanged) row objects, before any key is built. */
  byRow: WeakMap<GridRow, { sheet: string; row: number; diagnostics: Diagnostic[] }>;
  byGroup: WeakMap<
    GridRow,
    {
      sheet: string;
      number?: string;
      task?: string;
      units: { kind: string; rows: number[]; objs: (GridRow | undefined)[] }[];
      diagnostics: Diagnostic[];
    }
  >;
  /** Last result of each table rule that declares its inputs. */
  tables: Map<TableRule, { inputs: string; diagnostics: Diagnostic[] }>;
  /** State table rules keep between validations (RuleContext.state). */
  state: Map<unknown, unknown>;
  /** Section segments of the last views, by their section: taken over whole when the reader kept them. */
  segments: WeakMap<Section, Segment>;
  /** Task groups of the last views by their first row's role object, and each group's diagnostics. */
  priorGroups: WeakMap<RowRole, PriorGroup>;
  groupDiagnostics: WeakMap<TaskGroup, Diagnostic[]>;
  /** Context and header signature the cached diagnostics were made for. */
  signature: string;
  directory?: AgencyDirectory;
  /** False for a one-off validate(): nothing will be reused, so nothing is stored. */
  persistent: boolean;
  /** Sections the last run took over whole, and how many there were. */
  reuse: { sections: number; of: number };
}

function newCaches(persistent: boolean): Caches {
  return {
    memo: sharedMemo,
    rows: new Map(),
    groups: new Map(),
    byRow: new WeakMap(),
    byGroup: new WeakMap(),
    tables: new Map(),
    state: new Map(),
    segments: new WeakMap(),
    priorGroups: new WeakMap(),
    groupDiagnostics: new WeakMap(),
    signature: '',
    persistent,
    reuse: { sections: 0, of: 0 },
  };
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

// Row contents are interned to small numbers: cache keys stay short, and a row object the session did not
// replace is looked up by identity without reading its cells again.
const contentIds = new Map<string, number>();
const rowIds = new WeakMap<GridRow, number>();

function rowId(row: GridRow | undefined): number {
  if (!row) return 0;
  const known = rowIds.get(row);
  if (known !== undefined) return known;
  let k = '';
  for (const c of row.cells) {
    k += c.text;
    if (c.formula !== undefined) k += `\u0003${c.formula}`;
    if (c.mergedInto !== undefined) k += `\u0004${c.mergedInto}`;
    k += '\u0002';
  }
  let id = contentIds.get(k);
  if (id === undefined) {
    if (contentIds.size > 200_000) contentIds.clear(); // ids stay unique: the counter is not reset
    id = ++lastContentId;
    contentIds.set(k, id);
  }
  rowIds.set(row, id);
  return id;
}
let lastContentId = 0;

function groupKey(view: TableView, g: TaskGroup): string {
  let k = `${view.isTextGrid(g.sheet) ? 't' : 's'}${g.sheet}\u0001${g.model?.number ?? ''}\u0001${g.model?.task ?? ''}\u0001`;
  for (const u of g.units) {
    k += `${u.kind}:`;
    const n = u.rows ? u.rows.length : 1;
    for (let j = 0; j < n; j++) {
      const r = u.rows ? u.rows[j] : u.row;
      k += `${r}.${rowId(view.gridRow(u.sheet, r))},`;
    }
  }
  if (g.units.length === 0 && g.model) k += JSON.stringify(g.model);
  return k;
}

/** True when a task group has the same structure, model values and row objects as when it was last checked. */
function sameGroup(view: TableView, g: TaskGroup, known: Parameters<Caches['byGroup']['set']>[1]): boolean {
  if (known.sheet !== g.sheet || known.number !== g.model?.number || known.task !== g.model?.task) return false;
  if (known.units.length !== g.units.length) return false;
  for (let i = 0; i < g.units.length; i++) {
    const u = g.units[i];
    const k = known.units[i];
    const n = u.rows ? u.rows.length : 1;
    if (k.kind !== u.kind || k.rows.length !== n) return false;
    for (let j = 0; j < n; j++) {
      const r = u.rows ? u.rows[j] : u.row;
      if (k.rows[j] !== r || k.objs[j] !== view.gridRow(u.sheet, r)) return false;
    }
  }
  return true;
}

function bounded<V>(map: Map<string, V>): Map<string, V> {
  if (map.size > 20_000) map.clear();
  return map;
}

function directoryOf(ctx: ValidateContext): AgencyDirectory | undefined {
  return ctx.directory === null ? undefined : (ctx.directory ?? defaultDirectory());
}

function run(result: ReadResult, grids: Grid[], ctx: ValidateContext, caches: Caches): Report {
  const { annex } = result;
  const directory = directoryOf(ctx);
  const planYear = ctx.planYear ?? annex.meta.planYear;
  const locale: Locale = ctx.locale ?? 'vi';
  const memo = caches.memo;
  let view = caches.persistent
    ? new TableView(grids, result, memo, caches.segments, caches.priorGroups)
    : new TableView(grids, result, memo);
  const rc: RuleContext = {
    grids,
    result,
    annex,
    directory,
    province: ctx.province ?? annex.meta.province,
    provinceName: provinceName(ctx, annex.meta, directory),
    planYear,
    date: ctx.date ?? (planYear !== undefined ? `${planYear}-01-01` : undefined),
    locale,
    memo,
    view,
    state: caches.persistent ? caches.state : undefined,
  };
  // Different directories give different answers: a new directory object starts from empty caches.
  if (caches.directory !== directory) {
    caches.directory = directory;
    caches.signature = '';
  }
  const signature = JSON.stringify([
    rc.province,
    rc.provinceName,
    planYear,
    rc.date,
    locale,
    view.isTable,
    view.columns,
  ]);
  if (signature !== caches.signature) {
    caches.rows.clear();
    caches.groups.clear();
    caches.byRow = new WeakMap();
    caches.byGroup = new WeakMap();
    caches.tables.clear();
    caches.state.clear();
    caches.signature = signature;
    if (caches.persistent) {
      // Segments taken over from views made under another context: build them again.
      caches.segments = new WeakMap();
      caches.priorGroups = new WeakMap();
      caches.groupDiagnostics = new WeakMap();
      rc.view = view = new TableView(grids, result, memo);
    }
  }

  const out: Diagnostic[] = locale === 'vi' ? [...result.diagnostics] : localize(result.diagnostics, locale);

  const persistent = caches.persistent;
  // In a session, each section's row and task diagnostics are kept with its segment: a section the reader did
  // not walk again after an edit gives them at once. The other sections go through the row and task caches.
  const bySegment = persistent && view.segments.length > 0 && !view.fromModel;
  if (view.isTable) {
    const rowCache = bounded(caches.rows);
    const checkRow = (sheet: string, row: number, into: Diagnostic[]) => {
      if (!persistent) {
        for (const rule of ROW_RULES) rule(rc, sheet, row, into);
        return;
      }
      const gr = view.gridRow(sheet, row);
      const same = gr && caches.byRow.get(gr);
      if (same && same.sheet === sheet && same.row === row) {
        for (const d of same.diagnostics) into.push(d);
        return;
      }
      // The grid kind is part of the key: text documents add line numbers to locations.
      const key = `${view.isTextGrid(sheet) ? 't' : 's'}${sheet}\u0001${row}\u0001${rowId(gr)}`;
      let diags = rowCache.get(key);
      if (!diags) {
        diags = [];
        for (const rule of ROW_RULES) rule(rc, sheet, row, diags);
        rowCache.set(key, diags);
      }
      if (gr) caches.byRow.set(gr, { sheet, row, diagnostics: diags });
      for (const d of diags) into.push(d);
    };
    if (bySegment)
      for (const seg of view.segments) {
        let diags = seg.rowDiagnostics;
        if (!diags) {
          diags = [];
          for (const { sheet, row } of seg.tableRows) checkRow(sheet, row, diags);
          if (seg.reusable) seg.rowDiagnostics = diags;
        }
        for (const d of diags) out.push(d);
      }
    else for (const { sheet, row } of view.tableRows) checkRow(sheet, row, out);
  }

  const groupCache = bounded(caches.groups);
  /** Checks a task group; false when its result depends on rows outside it (a vertical merge from above). */
  const checkGroup = (g: TaskGroup, into: Diagnostic[]): boolean => {
    // A task under a vertical merge takes values from the merged cell's row, which its cache key does not cover.
    if (!persistent || view.covered(g.sheet, g.rows)) {
      for (const rule of GROUP_RULES) rule(g, rc, into);
      return !persistent ? true : false;
    }
    // A group the view took over from the last one (the same rows, unchanged, and the same task object).
    const done = caches.groupDiagnostics.get(g);
    if (done) {
      for (const d of done) into.push(d);
      return true;
    }
    const first = g.units[0] ? view.gridRow(g.units[0].sheet, g.units[0].row) : undefined;
    const known = first && caches.byGroup.get(first);
    if (known && sameGroup(view, g, known)) {
      caches.groupDiagnostics.set(g, known.diagnostics);
      for (const d of known.diagnostics) into.push(d);
      return true;
    }
    const key = groupKey(view, g);
    let diags = groupCache.get(key);
    if (!diags) {
      diags = [];
      for (const rule of GROUP_RULES) rule(g, rc, diags);
      groupCache.set(key, diags);
    }
    caches.groupDiagnostics.set(g, diags);
    if (first)
      caches.byGroup.set(first, {
        sheet: g.sheet,
        number: g.model?.number,
        task: g.model?.task,
        units: g.units.map((u) => {
          const rows = unitRows(u);
          return { kind: u.kind, rows, objs: rows.map((r) => view.gridRow(u.sheet, r)) };
        }),
        diagnostics: diags,
      });
    for (const d of diags) into.push(d);
    return true;
  };
  if (bySegment)
    for (const seg of view.segments) {
      let diags = seg.groupDiagnostics;
      if (!diags) {
        diags = [];
        let local = true;
        for (const g of seg.groups) if (!checkGroup(g, diags)) local = false;
        if (seg.reusable && local) seg.groupDiagnostics = diags;
      }
      for (const d of diags) out.push(d);
    }
  else for (const g of view.groups) checkGroup(g, out);
  if (persistent) {
    for (const seg of view.segments) if (seg.reusable && seg.section) caches.segments.set(seg.section, seg);
    caches.reuse = { sections: view.reusedSegments, of: view.segments.length };
  }

  for (const rule of TABLE_RULES) {
    if (!rule.inputs || !persistent) {
      rule(rc, out);
      continue;
    }
    const inputs = rule.inputs(rc);
    let last = caches.tables.get(rule);
    if (!last || last.inputs !== inputs) {
      last = { inputs, diagnostics: [] };
      rule(rc, last.diagnostics);
      caches.tables.set(rule, last);
    }
    for (const d of last.diagnostics) out.push(d);
  }

  const diagnostics = sortDiagnostics(dedupe(out, result.diagnostics.length), view.sheetOrder);
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
    else infos++;
  }
  const { tasks, products } = countTasks(annex.sections);
  return {
    meta: annex.meta,
    sections: annex.sections,
    diagnostics,
    stats: { sections: annex.sections.length, tasks, products, errors, warnings, infos },
  };
}

// A small function of its own: run is called once per validation and stays unoptimised through a session's first
// edits, where a loop over every task inside it cost more than the rest of the counting.
function countTasks(sections: Section[]): { tasks: number; products: number } {
  let tasks = 0;
  let products = 0;
  for (const s of sections) {
    tasks += s.tasks.length;
    for (const t of s.tasks) products += t.products.length;
  }
  return { tasks, products };
}

function provinceName(
  ctx: ValidateContext,
  meta: Report['meta'],
  directory: AgencyDirectory | undefined,
): string | undefined {
  const id = ctx.province ?? meta.province;
  if (meta.provinceName && id === meta.province) return meta.provinceName;
  return id && directory ? provinceNames(directory).get(id) : undefined;
}

// Province names by id, per directory (its files do not change): not a list of every province per validation.
const provinceNamesOf = new WeakMap<AgencyDirectory, Map<string, string>>();
function provinceNames(directory: AgencyDirectory): Map<string, string> {
  let names = provinceNamesOf.get(directory);
  if (!names) {
    names = new Map();
    for (const p of directory.provinces()) if (!names.has(p.id)) names.set(p.id, p.name);
    provinceNamesOf.set(directory, names);
  }
  return names;
}

/** The reader may already report a formula or merge that a rule reports again: keep the reader's. */
function dedupe(list: Diagnostic[], fromReader: number): Diagnostic[] {
  if (fromReader === 0) return list;
  const key = (d: Diagnostic) =>
    `${d.code}\u0001${d.location.sheet}\u0001${d.location.row}\u0001${d.location.column ?? ''}`;
  const reader = new Set<string>();
  for (let i = 0; i < fromReader; i++) reader.add(key(list[i]));
  return list.filter((d, i) => i < fromReader || !reader.has(key(d)));
}

/** Sheet (in grid order), row, column, then severity and code; stable otherwise. */
export function sortDiagnostics(list: Diagnostic[], sheetOrder: Map<string, number> = new Map()): Diagnostic[] {
  const order = (s: string) => sheetOrder.get(s) ?? Number.MAX_SAFE_INTEGER;
  // Packed arrays in and out (engine/packed.ts): the report's diagnostics are read by code optimised before this.
  const sorted = mapPacked(list, (d, i) => ({ d, i })).sort((a, b) => {
    const x = a.d.location;
    const y = b.d.location;
    return (
      order(x.sheet) - order(y.sheet) ||
      (x.sheet < y.sheet ? -1 : x.sheet > y.sheet ? 1 : 0) ||
      x.row - y.row ||
      (x.column ?? 0) - (y.column ?? 0) ||
      SEVERITY_RANK[a.d.severity] - SEVERITY_RANK[b.d.severity] ||
      (a.d.code < b.d.code ? -1 : a.d.code > b.d.code ? 1 : 0) ||
      a.i - b.i
    );
  });
  return mapPacked(sorted, (x) => x.d);
}

/** Read-level diagnostics plus every rule's diagnostics, sorted by sheet, row and column, with stats. */
export function validate(result: ReadResult, ctx: ValidateContext = {}): Report {
  const grids = ctx.grids ?? result.grids;
  if (grids) return run(result, grids, ctx, newCaches(false));
  // Without the grids, check cells rebuilt from the model; keep only fixes whose cell text is exact.
  const synth = gridsFromResult(result);
  if (!synth) return run(result, [], ctx, newCaches(false));
  const report = run(result, synth.grids, ctx, newCaches(false));
  report.diagnostics = report.diagnostics.map((d) => {
    if (!d.fix || d.fix.edits.every((e) => synth.exactRows.has(`${e.sheet}\u0001${e.row}`))) return d;
    const { fix: _dropped, ...rest } = d;
    return rest;
  });
  return report;
}

/** Reads and validates grids in one call. */
export function validateGrids(grids: Grid[], ctx: Omit<ValidateContext, 'grids'> = {}): Report {
  const result = readAnnex(grids, { directory: directoryOf(ctx), province: ctx.province, planYear: ctx.planYear });
  return run(result, grids, ctx, newCaches(false));
}

// ---------------------------------------------------------------------------------------------
// Sessions.
// ---------------------------------------------------------------------------------------------

// Made as the readers make a grid ({ sheet, kind, rows }, then the source's optional fields in its order): a spread
// copy gets a map of its own, and code a one-off read optimised for the caller's grids deopts on the session's.
function copyGrid(g: Grid): Grid {
  const copy: Grid = {
    sheet: g.sheet,
    kind: g.kind,
    rows: g.rows.map((r) => ({ index: r.index, cells: r.cells.slice() })),
  };
  for (const k of Object.keys(g) as (keyof Grid)[]) {
    if (k === 'sheet' || k === 'kind' || k === 'rows') continue;
    (copy as Record<string, unknown>)[k] = k === 'merges' ? g.merges?.slice() : g[k];
  }
  return copy;
}

export type Reader = (grids: Grid[], options: ReadOptions) => ReadResult;

/** A validation session over grids the session owns. `read` defaults to the engine's readAnnex. */
export function createSession(initial: Grid[], ctx: ValidateContext = {}, read: Reader = readAnnex): ValidationSession {
  let grids = initial.map(copyGrid);
  const caches = newCaches(true);
  const readOptions: ReadOptions = {
    directory: directoryOf(ctx),
    province: ctx.province,
    planYear: ctx.planYear,
    incremental: true,
  };
  let result = read(grids, readOptions);
  let current = run(result, grids, ctx, caches);
  let lastRead: 'partial' | 'full' = 'full';

  const revalidate = (): Report => {
    result = read(grids, readOptions);
    current = run(result, grids, ctx, caches);
    return current;
  };

  return {
    report: () => current,
    update(edits) {
      if (edits.length === 0) return current;
      // A re-read of only the part of the table the edits reach is possible when every edit changes a cell of an
      // existing row in place, and no edited cell was covered by a merge (the new cell drops the merge mark).
      let inPlace = read === readAnnex;
      for (const e of edits) {
        const g = grids.find((x) => x.sheet === e.sheet);
        if (!g) throw new Error(`Không có trang tính "${e.sheet}" để sửa ô ${e.column}:${e.row}.`);
        if (!Number.isInteger(e.row) || e.row < 1 || !Number.isInteger(e.column) || e.column < 1)
          throw new Error(`Ô cần sửa không hợp lệ trên trang "${e.sheet}": dòng ${e.row}, cột ${e.column}.`);
        const cell: GridCell = { text: e.text };
        if (e.formula !== undefined) cell.formula = e.formula;
        if (!setCell(g, e.row, e.column, cell)) inPlace = false;
      }
      const again = inPlace ? rereadAnnex(result, grids, edits, readOptions) : undefined;
      lastRead = again ? 'partial' : 'full';
      result = again ?? read(grids, readOptions);
      current = run(result, grids, ctx, caches);
      return current;
    },
    replaceGrid(grid) {
      const i = grids.findIndex((x) => x.sheet === grid.sheet);
      const copy = copyGrid(grid);
      grids = i >= 0 ? grids.map((g, j) => (j === i ? copy : g)) : [...grids, copy];
      return revalidate();
    },
    applyFixes(fixes) {
      const outcome = tryApplyFixes(grids, fixes);
      grids = outcome.grids;
      revalidate();
      return { report: current, rejected: outcome.rejected };
    },
    diagnosticsFor(rows, sheet) {
      const wanted = new Set(
        (rows as (number | { sheet?: string; row: number })[]).map((r) =>
          typeof r === 'number' ? `${sheet ?? ''}\u0001${r}` : `${r.sheet ?? sheet ?? ''}\u0001${r.row}`,
        ),
      );
      return current.diagnostics.filter(
        (d) => wanted.has(`${d.location.sheet}\u0001${d.location.row}`) || wanted.has(`\u0001${d.location.row}`),
      );
    },
    grids: () => grids,
    result: () => result,
    lastRead: () => lastRead,
    lastReuse: () => caches.reuse,
  };
}

/**
 * Sets one cell in a grid the caller owns (rows kept in index order; short rows padded). Returns true when the
 * row existed and the old cell was not covered by a merge: the change is then in place.
 */
function setCell(g: Grid, row: number, column: number, cell: GridCell): boolean {
  let pos = g.rows[row - 1]?.index === row ? row - 1 : g.rows.findIndex((r) => r.index === row);
  const inserted = pos < 0;
  if (pos < 0) {
    const at = g.rows.findIndex((r) => r.index > row);
    const fresh: GridRow = { index: row, cells: [] };
    if (at < 0) g.rows.push(fresh);
    else g.rows.splice(at, 0, fresh);
    pos = at < 0 ? g.rows.length - 1 : at;
  }
  const r = g.rows[pos];
  const cells = r.cells.slice();
  const inPlace = !inserted && cells[column - 1]?.mergedInto === undefined;
  while (cells.length < column) cells.push({ text: '' });
  cells[column - 1] = cell;
  g.rows[pos] = { index: r.index, cells };
  return inPlace;
}

// ---------------------------------------------------------------------------------------------
// Fixes.
// ---------------------------------------------------------------------------------------------

export interface RejectedEdit {
  edit: CellEdit;
  /** The fix the edit belongs to: a fix is applied whole or not at all. */
  fix: Fix;
  reason: 'stale' | 'no-sheet' | 'invalid';
  /** The cell's current text, for a stale edit. */
  actual?: string;
  /** Vietnamese explanation for the officer. */
  message: string;
}

export interface FixOutcome {
  grids: Grid[];
  applied: Fix[];
  rejected: RejectedEdit[];
}

/**
 * Applies fixes in order, each whole or not at all. An edit whose `from` no longer matches the cell (the officer
 * changed it since the check, or an earlier fix did) is refused and reported. Inputs are not mutated.
 */
export function tryApplyFixes(grids: Grid[], fixes: Fix[]): FixOutcome {
  const out = grids.slice();
  const owned = new Set<number>(); // grids already copied
  const applied: Fix[] = [];
  const rejected: RejectedEdit[] = [];
  const current = (sheetIndex: number, row: number, column: number): string => {
    const r = out[sheetIndex].rows.find((x) => x.index === row);
    return r?.cells[column - 1]?.text ?? '';
  };
  for (const fix of fixes) {
    const problems: RejectedEdit[] = [];
    const targets: number[] = [];
    for (const e of fix.edits) {
      const si = out.findIndex((g) => g.sheet === e.sheet);
      targets.push(si);
      if (si < 0) {
        problems.push({ edit: e, fix, reason: 'no-sheet', message: `Không có trang tính "${e.sheet}" (ô ${e.cell}).` });
        continue;
      }
      if (!Number.isInteger(e.row) || e.row < 1 || !Number.isInteger(e.column) || e.column < 1) {
        problems.push({
          edit: e,
          fix,
          reason: 'invalid',
          message: `Ô ${e.cell} trên trang "${e.sheet}" không hợp lệ.`,
        });
        continue;
      }
      const actual = current(si, e.row, e.column);
      if (actual !== e.from)
        problems.push({
          edit: e,
          fix,
          reason: 'stale',
          actual,
          message: `Ô ${e.cell} (trang "${e.sheet}") đã thay đổi kể từ lần kiểm tra nên không sửa tự động; hãy kiểm tra lại.`,
        });
    }
    if (problems.length) {
      rejected.push(...problems);
      continue;
    }
    fix.edits.forEach((e, k) => {
      const si = targets[k];
      if (!owned.has(si)) {
        out[si] = copyGrid(out[si]);
        owned.add(si);
      }
      const old = out[si].rows.find((x) => x.index === e.row)?.cells[e.column - 1];
      // The fix writes a value: a formula that produced the old value would overwrite it again.
      const cell: GridCell = { text: e.to };
      if (old?.mergedInto !== undefined) cell.mergedInto = old.mergedInto;
      setCell(out[si], e.row, e.column, cell);
    });
    applied.push(fix);
  }
  return { grids: out, applied, rejected };
}

/** Returns new grids with the fixes applied; stale edits are refused and passed to onRejected. */
export function applyFixes(
  grids: Grid[],
  fixes: Fix[],
  options: { onRejected?: (r: RejectedEdit) => void } = {},
): Grid[] {
  const outcome = tryApplyFixes(grids, fixes);
  if (options.onRejected) for (const r of outcome.rejected) options.onRejected(r);
  return outcome.grids;
}

/**
 * Every machine-applicable fix of a report, in report order, without conflicts: when two fixes touch one cell
 * the first is kept (the officer presses "Chuẩn hóa" again after re-checking to get the rest).
 */
export function allFixes(
  report: Pick<Report, 'diagnostics'>,
  options: { codes?: string[]; severities?: Severity[] } = {},
): Fix[] {
  const touched = new Set<string>();
  const seen = new Set<Fix>();
  const out: Fix[] = [];
  for (const d of report.diagnostics) {
    const fix = d.fix;
    if (!fix || fix.edits.length === 0 || seen.has(fix)) continue;
    if (options.codes && !options.codes.includes(d.code)) continue;
    if (options.severities && !options.severities.includes(d.severity)) continue;
    seen.add(fix);
    const keys = fix.edits.map((e) => `${e.sheet}\u0001${e.row}\u0001${e.column}`);
    if (keys.some((k) => touched.has(k))) continue;
    // A fix that edits one cell twice is malformed: skip it rather than apply half of it.
    if (new Set(keys).size !== keys.length) continue;
    for (const k of keys) touched.add(k);
    out.push(fix);
  }
  return out;
}
