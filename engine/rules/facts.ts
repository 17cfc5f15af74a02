// Facts the rules work on, derived once per validation from the grids, the reader's row roles and the
// header mapping: which cell holds which field of which task/product row, with memoised normalisers.
import type {
  AgencyRef,
  Annex,
  Column,
  Diagnostic,
  Field,
  Grid,
  GridCell,
  GridRow,
  Location,
  Section,
  Task,
  Timeline,
} from '../model.js';
import { a1 } from '../a1.js';
import type { AgencyDirectory } from '../normalize/agency.js';
import { splitAssignment } from '../normalize/agency.js';
import {
  cleanText,
  decodeLegacy,
  detectLegacyEncoding,
  findHtml,
  foldKey,
  type LegacyEncoding,
} from '../normalize/text.js';
import { looksLikeTimeline, parseTimeline } from '../normalize/timeline.js';
import { readCover, type ReadResult, type RowRole } from '../read/index.js';
import { INHERITED, mergeOverlay } from '../read/table.js';
import type { Locale } from './diagnostic.js';
import { remember } from '../bounded.js';

// ---------------------------------------------------------------------------------------------
// Memoised normalisers: a session keeps one Memo across edits, so unchanged texts cost a map lookup.
// ---------------------------------------------------------------------------------------------

const MAX_ENTRIES = 50_000;

/** The memoised answer of `make` for `key`; `make` is a function made once (no closure per lookup). */
function cached<V>(map: Map<string, V>, key: string, make: (key: string) => V): V {
  const hit = map.get(key);
  if (hit !== undefined || map.has(key)) return hit as V;
  return remember(map, key, make(key), MAX_ENTRIES);
}

export class Memo {
  // Keys are the cell texts themselves (never concatenations): V8 caches a string's hash on the string, so a
  // lookup with the grid's own string objects is cheap on every validation after the first.
  private clean = new Map<string, string>();
  private fold = new Map<string, string>();
  private html = new Map<string, string[]>();
  private legacy = new Map<string, LegacyEncoding | null>();
  private decoded = new Map<LegacyEncoding, Map<string, string>>();
  private timelines = new Map<number | undefined, Map<string, Timeline>>();
  private timelineLike = new Map<string, boolean>();
  // Per directory and resolution context: two directories never share answers.
  private resolved = new WeakMap<AgencyDirectory, Map<string, Map<string, AgencyRef[]>>>();
  private suggestions = new WeakMap<
    AgencyDirectory,
    Map<string, Map<string, { id: string; name: string; score: number }[]>>
  >();
  private verdicts = new Map<string, Map<string, unknown>>();
  private assignments = new Map<string, { lead: string; support: string }>();
  private tokenSets = new Map<string, string[]>();

  // The hot lookups check the map before making a closure: validations of unchanged text allocate nothing.
  cleanText(raw: string): string {
    return this.clean.get(raw) ?? remember(this.clean, raw, cleanText(raw), MAX_ENTRIES);
  }
  foldKey(raw: string): string {
    return this.fold.get(raw) ?? remember(this.fold, raw, foldKey(raw), MAX_ENTRIES);
  }
  findHtml(raw: string): string[] {
    // Cheap pre-check: most cells have no '<' at all.
    if (!raw.includes('<')) return [];
    return cached(this.html, raw, findHtml);
  }
  detectLegacy(raw: string): LegacyEncoding | null {
    return cached(this.legacy, raw, detectLegacyEncoding);
  }
  decodeLegacy(raw: string, enc: LegacyEncoding): string {
    const map = sub(this.decoded, enc);
    const hit = map.get(raw);
    return hit ?? remember(map, raw, decodeLegacy(raw, enc), MAX_ENTRIES);
  }
  parseTimeline(text: string, planYear: number | undefined): Timeline {
    if (planYear !== this.lastPlanYear || !this.lastTimelines) {
      this.lastPlanYear = planYear;
      this.lastTimelines = sub(this.timelines, planYear);
    }
    const map = this.lastTimelines;
    return map.get(text) ?? remember(map, text, parseTimeline(text, { planYear }), MAX_ENTRIES);
  }
  // The inner maps asked for last (a validation asks with one plan year, one directory and context, and mostly one
  // kind of verdict in a row): the outer lookups are skipped while they stay the same.
  private lastPlanYear?: number;
  private lastTimelines?: Map<string, Timeline>;
  private lastDir?: AgencyDirectory;
  private lastResolvedKey?: string;
  private lastResolved?: Map<string, AgencyRef[]>;
  private lastKind?: string;
  private lastVerdicts?: Map<string, unknown>;
  looksLikeTimeline(text: string): boolean {
    return (
      this.timelineLike.get(text) ??
      remember(this.timelineLike, text, looksLikeTimeline(text) || EXTRA_TIMELINE_START.test(text.trim()), MAX_ENTRIES)
    );
  }
  private ctxKey(province: string | undefined, date: string | undefined): string {
    // Reuse the key string while the context stays the same: its hash is computed once.
    if (province !== this.lastProvince || date !== this.lastDate) {
      this.lastProvince = province;
      this.lastDate = date;
      this.lastKey = `${province ?? ''}\u0001${date ?? ''}`;
    }
    return this.lastKey;
  }
  private lastProvince?: string;
  private lastDate?: string;
  private lastKey = '\u0001';

  resolve(dir: AgencyDirectory, text: string, province: string | undefined, date: string | undefined): AgencyRef[] {
    const key = this.ctxKey(province, date);
    let map = this.lastResolved;
    if (dir !== this.lastDir || key !== this.lastResolvedKey || !map) {
      let byCtx = this.resolved.get(dir);
      if (!byCtx) this.resolved.set(dir, (byCtx = new Map()));
      map = sub(byCtx, key);
      this.lastDir = dir;
      this.lastResolvedKey = key;
      this.lastResolved = map;
    }
    return map.get(text) ?? remember(map, text, dir.resolve(text, { province, date }), MAX_ENTRIES);
  }
  suggest(dir: AgencyDirectory, text: string, province: string | undefined, date: string | undefined) {
    let byCtx = this.suggestions.get(dir);
    if (!byCtx) this.suggestions.set(dir, (byCtx = new Map()));
    const map = sub(byCtx, this.ctxKey(province, date));
    return map.get(text) ?? remember(map, text, dir.suggest(text, { province, date }, 3), MAX_ENTRIES);
  }
  /** Memoises any pure per-text computation of a rule (`kind` keeps rules apart). */
  verdict<V>(kind: string, text: string, make: (text: string, memo: Memo) => V): V {
    if (kind !== this.lastKind || !this.lastVerdicts) {
      this.lastKind = kind;
      this.lastVerdicts = sub(this.verdicts, kind);
    }
    const map = this.lastVerdicts as Map<string, V>;
    const hit = map.get(text);
    if (hit !== undefined || map.has(text)) return hit as V;
    return remember(map, text, make(text, this), MAX_ENTRIES);
  }
  splitAssignment(text: string): { lead: string; support: string } {
    return cached(this.assignments, text, splitAssignment);
  }
  /** Distinct content tokens of a text, for near-duplicate detection. */
  tokens(text: string): string[] {
    const hit = this.tokenSets.get(text);
    if (hit) return hit;
    const set = new Set<string>();
    for (const t of this.foldKey(text).split(' ')) if (t.length > 1 && !STOPWORDS.has(t)) set.add(t);
    return remember(this.tokenSets, text, [...set], MAX_ENTRIES);
  }
}

function sub<K, V>(maps: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let m = maps.get(key);
  if (!m) maps.set(key, (m = new Map()));
  return m;
}

// Short schedule phrases officers put in the product column that the shared detector may not claim
// ("Theo lộ trình đã được phê duyệt"). Kept narrow: the fix moves the whole cell to the timeline column.
const EXTRA_TIMELINE_START = /^theo (lộ trình|tiến độ|kế hoạch)(?: [^,.;:]{0,40})?\.?$/iu;

// Function words that say nothing about what a task is (folded, without diacritics).
const STOPWORDS = new Set(
  'va cac cua cho trong tren theo voi de la nhung mot tai ve tu den duoc co khi sau truoc nam thuc hien tiep tuc'.split(
    ' ',
  ),
);

// ---------------------------------------------------------------------------------------------
// The table view.
// ---------------------------------------------------------------------------------------------

/** One source cell that holds (part of) a field value. */
export interface CellRef {
  sheet: string;
  row: number;
  column: number;
  cell: string;
  raw: string;
}

/** A field of one task or product row, possibly continued on following rows after a page break. */
export interface FieldValue {
  /** Cleaned text, continuation parts joined with a space. */
  text: string;
  /** Non-empty source cells, in order. */
  cells: CellRef[];
  /** Where to point when the value is empty: the (first row's) cell of this field. */
  readonly anchor?: CellRef;
  /**
   * The merged cell above whose value applies to this row, when the row's own cell is covered and empty (as the
   * reader reads it). `text` is then that value and `cells` is empty: the value is checked at the merged cell.
   */
  readonly inherited?: CellRef;
}

const NO_CELLS: CellRef[] = [];

/** A cell reference whose A1 address is only formatted when a rule reads it (most cells get no diagnostic). */
class Ref implements CellRef {
  private a?: string;
  constructor(
    readonly sheet: string,
    readonly row: number,
    readonly column: number,
    readonly raw: string,
  ) {}
  get cell(): string {
    return (this.a ??= a1(this.row, this.column));
  }
}

/**
 * A field value whose cell references are only built when a rule asks for them: most values are read for their
 * text and never located. A value held in one cell (nearly all) keeps that cell's row and text; one continued
 * over several rows builds its references at once.
 */
class Value implements FieldValue {
  private made?: CellRef;
  private refs?: CellRef[];
  constructor(
    readonly text: string,
    private readonly view: TableView,
    private readonly sheet: string,
    private readonly row: number,
    private readonly column: number,
    /** The one non-empty source cell (its row and text), when there is exactly one. */
    private readonly oneRow: number,
    private readonly oneRaw: string,
    several?: CellRef[],
    readonly inherited?: CellRef,
  ) {
    if (several) this.refs = several;
  }
  get cells(): CellRef[] {
    return (this.refs ??= this.oneRow > 0 ? [new Ref(this.sheet, this.oneRow, this.column, this.oneRaw)] : NO_CELLS);
  }
  get anchor(): CellRef {
    return (this.made ??= this.view.cellRef(this.sheet, this.row, this.column));
  }
}

/**
 * A row's cells as the rules read them, kept per grid row object from one validation to the next while the cells'
 * texts and merge marks stay the same (a session replaces an edited row; an adapter may change a cell in place):
 * each cell's cleaned text is worked out once per row content and then read from an array. The memo's maps are
 * large, and a lookup in them per cell and rule cost more than most rules' own work.
 */
export class RowCells {
  private readonly texts: string[];
  private readonly merged: (string | undefined)[];
  /** Cleaned text per 0-based column: null for a blank cell, undefined until asked. */
  private readonly cleaned: (string | null | undefined)[] = [];
  /** The text rule found nothing to report in the row (in a sheet, in a text document), once it has looked. */
  quietInSheet: boolean | undefined = undefined;
  quietInText: boolean | undefined = undefined;

  constructor(cells: GridCell[]) {
    const n = cells.length;
    this.texts = new Array<string>(n);
    this.merged = new Array<string | undefined>(n);
    for (let i = 0; i < n; i++) {
      this.texts[i] = cells[i].text;
      this.merged[i] = cells[i].mergedInto;
    }
  }

  matches(cells: GridCell[]): boolean {
    const n = cells.length;
    if (n !== this.texts.length) return false;
    for (let i = 0; i < n; i++)
      if (cells[i].text !== this.texts[i] || cells[i].mergedInto !== this.merged[i]) return false;
    return true;
  }

  /** The cleaned text of the cell at 0-based `i` (as Memo.cleanText), or null when the cell is blank or absent. */
  clean(i: number, memo: Memo): string | null {
    const known = this.cleaned[i];
    if (known !== undefined) return known;
    const raw = i < this.texts.length ? this.texts[i] : '';
    const c = raw !== '' && raw.trim() !== '' ? memo.cleanText(raw) : null;
    this.cleaned[i] = c;
    return c;
  }
}

const rowCellsOf = new WeakMap<GridRow, RowCells>();

/** A task row or a product row with the continuation rows that belong to it. */
export interface Unit {
  kind: 'task' | 'product';
  sheet: string;
  row: number;
  /**
   * All its rows once a continuation joined it; undefined while the unit is its one row (unitRows): most units
   * are, and a unit needs no array of its own then.
   */
  rows: number[] | undefined;
  /** Field values computed so far in this validation. */
  fields?: Partial<Record<Field, FieldValue | null>>;
}

/** A unit's rows, in order. */
export function unitRows(unit: Unit): number[] {
  return unit.rows ?? [unit.row];
}

/** A task with all its rows: the task row (if any) first, then its product rows. */
export interface TaskGroup {
  section: number;
  task: number;
  model?: Task;
  sheet: string;
  units: Unit[];
  /** Every source row of the task, for cache keys. */
  rows: number[];
}

export interface RuleContext {
  grids: Grid[];
  result: ReadResult;
  annex: Annex;
  directory?: AgencyDirectory;
  province?: string;
  provinceName?: string;
  planYear?: number;
  /** ISO date at which agencies are resolved; undefined = the directory's latest period. */
  date?: string;
  locale: Locale;
  memo: Memo;
  view: TableView;
  /**
   * What a table rule keeps between the validations of one session (keyed by the rule), to redo only what an
   * edit touched; absent for a one-off validate(). The session clears it when the context changes.
   */
  state?: Map<unknown, unknown>;
}

export type GroupRule = (group: TaskGroup, rc: RuleContext, out: Diagnostic[]) => void;
/**
 * A table-level rule. `inputs`, when given, returns a string that changes whenever the rule's result could:
 * a session reuses the last result while it stays the same.
 */
export type TableRule = ((rc: RuleContext, out: Diagnostic[]) => void) & { inputs?: (rc: RuleContext) => string };

const TABLE_ROLES = new Set<RowRole['role']>(['header', 'section', 'task', 'product', 'continuation']);

export class TableView {
  readonly sheetOrder = new Map<string, number>();
  readonly gridBySheet = new Map<string, Grid>();
  private rowMaps = new Map<string, Map<number, GridRow>>();
  readonly fieldColumn = new Map<Field, number>();
  readonly columns: Column[];
  readonly isTable: boolean;
  // The task groups and table rows live in the segments (a session's view takes most of them over from the last
  // one); the lists over the whole table are made only when a rule asks for them.
  private allGroups: TaskGroup[] | undefined = undefined;
  private allRows: { sheet: string; row: number; role: RowRole['role'] }[] | undefined = undefined;
  /** Groups made from the model's tasks (no table rows to group: prose layout, no grids or row roles). */
  private modelGroups: TaskGroup[] | undefined = undefined;

  /** The task groups, in table order. */
  get groups(): TaskGroup[] {
    if (this.allGroups) return this.allGroups;
    if (this.modelGroups) return (this.allGroups = this.modelGroups);
    const all: TaskGroup[] = [];
    for (const seg of this.segments) pushAll(all, seg.groups);
    return (this.allGroups = all);
  }

  /** Rows that belong to the annex table (header, section, task, product, continuation rows). */
  get tableRows(): { sheet: string; row: number; role: RowRole['role'] }[] {
    if (this.allRows) return this.allRows;
    const all: { sheet: string; row: number; role: RowRole['role'] }[] = [];
    for (const seg of this.segments) pushAll(all, seg.tableRows);
    return (this.allRows = all);
  }

  /** True when the groups are the model's tasks rather than the segments' (see buildGroups). */
  get fromModel(): boolean {
    return this.modelGroups !== undefined;
  }
  /** Vertical merges per sheet (covered row → column → top row), built when a field first needs them. */
  private covers = new Map<string, Map<number, Map<number, number>>>();
  /** The rows of the sheet looked up last, and each row's cells by row number (sheets are nearly always one). */
  private lastSheet: string | undefined = undefined;
  private lastRows: GridRow[] | undefined = undefined;
  private cellsBySheet = new Map<string, (RowCells | undefined)[]>();
  private lastCellsSheet: string | undefined = undefined;
  private lastCells: (RowCells | undefined)[] = [];

  /** The table's sections as row segments, in order (see buildGroups). */
  readonly segments: Segment[] = [];
  /** How many of them were taken over from an earlier view. */
  reusedSegments = 0;

  constructor(
    readonly grids: Grid[],
    readonly result: ReadResult,
    private memo: Memo,
    prior?: WeakMap<Section, Segment>,
    /** Task groups of the last views, by the role object of their first row (see buildGroups). */
    private priorGroups?: WeakMap<RowRole, PriorGroup>,
  ) {
    grids.forEach((g, i) => {
      if (!this.sheetOrder.has(g.sheet)) this.sheetOrder.set(g.sheet, i);
      if (!this.gridBySheet.has(g.sheet)) this.gridBySheet.set(g.sheet, g);
    });
    this.columns = result.annex.meta.columns ?? [];
    for (const c of this.columns) if (c.field && !this.fieldColumn.has(c.field)) this.fieldColumn.set(c.field, c.index);
    // Without the grids only the reader's model can be checked (no cell texts).
    this.isTable = grids.length > 0 && result.annex.meta.layout !== 'prose' && this.columns.length > 0;
    this.buildGroups(prior);
  }

  gridRow(sheet: string, row: number): GridRow | undefined {
    if (sheet !== this.lastSheet) {
      this.lastSheet = sheet;
      this.lastRows = this.gridBySheet.get(sheet)?.rows;
    }
    // Rows are usually stored densely (row n at position n-1): no map needed then. A row past the end is not read
    // (V8 deoptimises code on its first read out of bounds, and recompiles it in every thread).
    const rows = this.lastRows;
    const direct = rows !== undefined && row >= 1 && row <= rows.length ? rows[row - 1] : undefined;
    if (direct && direct.index === row) return direct;
    let map = this.rowMaps.get(sheet);
    if (!map) {
      map = new Map();
      for (const r of this.gridBySheet.get(sheet)?.rows ?? []) map.set(r.index, r);
      this.rowMaps.set(sheet, map);
    }
    return map.get(row);
  }

  isTextGrid(sheet: string): boolean {
    return this.gridBySheet.get(sheet)?.kind === 'text';
  }

  cellText(sheet: string, row: number, column: number): string {
    // A column past a short row's end is not read (see gridRow).
    const cells = this.gridRow(sheet, row)?.cells;
    return cells !== undefined && column >= 1 && column <= cells.length ? (cells[column - 1]?.text ?? '') : '';
  }

  /** The row's cells with their cleaned texts (see RowCells), or undefined when the grid has no such row. */
  rowCells(sheet: string, row: number): RowCells | undefined {
    if (sheet !== this.lastCellsSheet) {
      let list = this.cellsBySheet.get(sheet);
      if (!list) this.cellsBySheet.set(sheet, (list = []));
      this.lastCellsSheet = sheet;
      this.lastCells = list;
    }
    const known = this.lastCells[row];
    if (known) return known;
    const gr = this.gridRow(sheet, row);
    if (!gr) return undefined;
    let cells = rowCellsOf.get(gr);
    if (!cells || !cells.matches(gr.cells)) rowCellsOf.set(gr, (cells = new RowCells(gr.cells)));
    this.lastCells[row] = cells;
    return cells;
  }

  cellRef(sheet: string, row: number, column: number): CellRef {
    return new Ref(sheet, row, column, this.cellText(sheet, row, column));
  }

  location(sheet: string, row: number, column?: number): Location {
    const loc: Location = { sheet, row };
    if (column !== undefined) {
      loc.column = column;
      loc.cell = a1(row, column);
    }
    if (this.isTextGrid(sheet)) loc.line = row;
    return loc;
  }

  locationOf(ref: CellRef): Location {
    return this.location(ref.sheet, ref.row, ref.column);
  }

  /**
   * The text of a field over a unit's rows (as `field(unit, field).text`), or undefined when the table has no
   * such column. A value in the unit's one row is read in place: no value object, no cell reference.
   */
  text(unit: Unit, field: Field): string | undefined {
    const known = unit.fields?.[field];
    if (known !== undefined) return known === null ? undefined : known.text;
    const column = this.fieldColumn.get(field);
    if (column === undefined) return undefined;
    if (unit.rows === undefined) {
      const clean = this.rowCells(unit.sheet, unit.row)?.clean(column - 1, this.memo) ?? null;
      if (clean !== null) return clean;
      if (!INHERITED.has(field) || !this.cover(unit.sheet).has(unit.row)) return '';
    }
    return this.field(unit, field)!.text;
  }

  /** True when the field's value is a merged cell's above (`field(unit, field).inherited` is set). */
  inherits(unit: Unit, field: Field): boolean {
    // Most tables have no vertical merge: nothing is inherited, whatever the field.
    if (this.cover(unit.sheet).size === 0 || !INHERITED.has(field)) return false;
    const column = this.fieldColumn.get(field);
    if (column === undefined || !this.cover(unit.sheet).has(unit.row)) return false;
    return this.field(unit, field)?.inherited !== undefined;
  }

  /** The value of a field over a unit's rows, or undefined when the table has no such column. */
  field(unit: Unit, field: Field): FieldValue | undefined {
    const known = (unit.fields ??= {})[field];
    if (known !== undefined) return known ?? undefined;
    const v = this.computeField(unit, field);
    unit.fields[field] = v ?? null;
    return v;
  }

  private computeField(unit: Unit, field: Field): FieldValue | undefined {
    const column = this.fieldColumn.get(field);
    if (column === undefined) return undefined;
    let several: CellRef[] | undefined;
    let oneRow = 0;
    let oneRaw = '';
    let text = '';
    for (const r of unitRows(unit)) {
      const raw = this.cellText(unit.sheet, r, column);
      if (raw === '' || raw.trim() === '') continue;
      if (oneRow === 0 && !several) {
        oneRow = r;
        oneRaw = raw;
        text = this.memo.cleanText(raw);
        continue;
      }
      // A value continued on a following row (a page break): its cells are listed at once.
      if (!several) {
        several = [new Ref(unit.sheet, oneRow, column, oneRaw)];
        oneRow = 0;
        oneRaw = '';
      }
      several.push(new Ref(unit.sheet, r, column, raw));
      text = `${text} ${this.memo.cleanText(raw)}`.trim();
    }
    if (oneRow === 0 && !several && INHERITED.has(field)) {
      // An empty cell under a vertical merge: the merged value applies to the row, as in the reader.
      const top = this.cover(unit.sheet)
        .get(unit.row)
        ?.get(column - 1);
      const raw = top === undefined ? '' : this.cellText(unit.sheet, top, column);
      if (raw.trim()) {
        const from = new Ref(unit.sheet, top!, column, raw);
        return new Value(this.memo.cleanText(raw), this, unit.sheet, unit.row, column, 0, '', NO_CELLS, from);
      }
    }
    return new Value(text, this, unit.sheet, unit.row, column, oneRow, oneRaw, several);
  }

  /** Vertical merges of a sheet, from grid.merges or (for adapters that only mark covered cells) mergedInto. */
  cover(sheet: string): Map<number, Map<number, number>> {
    if (sheet === this.lastCoverSheet && this.lastCover) return this.lastCover;
    let c = this.covers.get(sheet);
    if (!c) {
      const grid = this.gridBySheet.get(sheet);
      c = grid ? (readCover(this.result, grid) ?? mergeOverlay(grid).cover) : new Map();
      this.covers.set(sheet, c);
    }
    this.lastCoverSheet = sheet;
    this.lastCover = c;
    return c;
  }
  private lastCoverSheet: string | undefined = undefined;
  private lastCover: Map<number, Map<number, number>> | undefined = undefined;

  /** True when any of the rows lies under a vertical merge (its values may come from a row outside the list). */
  covered(sheet: string, rows: number[]): boolean {
    const c = this.cover(sheet);
    if (c.size === 0) return false;
    for (const r of rows) if (c.has(r)) return true;
    return false;
  }

  /**
   * The roles from `i` on are the ones a prior group was made of (the same objects), for the same task object, and
   * the task takes no row after them (before `end`, the segment's end).
   */
  private sameGroupRoles(prior: PriorGroup, roles: RowRole[], i: number, end: number): boolean {
    const g = prior.group;
    const first = roles[i];
    if (g.section !== first.section || g.task !== first.task) return false;
    if (g.model !== this.result.annex.sections[first.section!]?.tasks[first.task!]) return false;
    const n = prior.roles.length;
    if (i + n > end) return false;
    for (let k = 0; k < n; k++) if (roles[i + k] !== prior.roles[k]) return false;
    for (let k = i + n; k < end; k++) {
      const r = roles[k];
      if (r.role === 'section') break;
      if (r.role !== 'task' && r.role !== 'product' && r.role !== 'continuation') continue;
      return r.section !== first.section || r.task !== first.task;
    }
    return true;
  }

  /**
   * Whether roles[from…] are the rows of an earlier segment. Past the section row the role objects must be the
   * same; the section row itself is walked again by a re-read that stops there, so its role is compared by
   * value and its cells by the grid row object (an edit replaces the row object).
   */
  private sameSegment(old: Segment, roles: RowRole[], from: number): boolean {
    const a = old.roles[0];
    const b = roles[from];
    if (
      a !== b &&
      (a.sheet !== b.sheet || a.row !== b.row || a.role !== b.role || a.section !== b.section || a.task !== b.task)
    )
      return false;
    if (old.firstRow === undefined || old.firstRow !== this.gridRow(b.sheet, b.row)) return false;
    for (let i = 1; i < old.roles.length; i++) if (old.roles[i] !== roles[from + i]) return false;
    return true;
  }

  /**
   * Task groups and table rows, one segment per section (the rows from a section row to the next). A segment
   * of an earlier view is taken over whole when it stands for the same rows: the reader kept its row roles (a
   * partial re-read keeps the role objects of every row it did not walk again, and walks again every edited
   * row) and its section. Its groups then carry the field values and diagnostics worked out last time.
   */
  private buildGroups(prior?: WeakMap<Section, Segment>): void {
    const { annex } = this.result;
    const roles = this.isTable ? this.result.rowRoles : [];
    const byKey: TaskGroup[][] = []; // [section][task]
    let last: TaskGroup | undefined;
    let lastUnit: Unit | undefined;
    // The rows and units of the group being made gather in scratch arrays and are copied at their final size when
    // it is done: a pushed array grows to 17 slots on its first push, and a task has one to a few rows.
    let open: TaskGroup | undefined;
    const openRows: number[] = [];
    const openUnits: Unit[] = [];
    let nRows = 0;
    let nUnits = 0;
    const close = () => {
      if (!open) return;
      open.rows = openRows.slice(0, nRows);
      open.units = openUnits.slice(0, nUnits);
      open = undefined;
      nRows = nUnits = 0;
    };
    // The segment roles[a…b), whether it holds a loose row, and the same for the segment after it (a loose row joins
    // the task before, possibly in the segment before). The scans over every row are small functions of their own:
    // this one runs once per validation and stays unoptimised longer, and a session's first edits pay for that.
    let a = 0;
    let b = roles.length ? segmentEnd(roles, 1) : 0;
    let hasLoose = anyLoose(roles, 0, b);
    while (a < roles.length) {
      const c = b < roles.length ? segmentEnd(roles, b + 1) : b;
      const nextLoose = anyLoose(roles, b, c);
      const first = roles[a];
      const section =
        first.role === 'section' && first.section !== undefined ? annex.sections[first.section] : undefined;
      const old = section && prior?.get(section);
      if (old && !hasLoose && !nextLoose && old.roles.length === b - a && this.sameSegment(old, roles, a)) {
        this.segments.push(old);
        this.reusedSegments++;
        if (old.groups.length) last = old.groups[old.groups.length - 1];
        lastUnit = undefined;
        a = b;
        b = c;
        hasLoose = nextLoose;
        continue;
      }
      const seg: Segment = {
        roles: roles.slice(a, b),
        section,
        firstRow: this.gridRow(first.sheet, first.row),
        groups: [],
        tableRows: [],
        reusable: !!section && !hasLoose && !nextLoose,
      };
      this.segments.push(seg);
      // Groups made here, with the range of roles they took (recorded for the next view when the segment is whole).
      // `kept`: where the record of a group taken over ends (-1 for a group made here). That record stands as it is
      // (the same group and role objects) unless the group took more rows here: not made and stored again.
      const made: { group: TaskGroup; from: number; to: number; kept: number }[] | undefined =
        seg.reusable && this.priorGroups ? [] : undefined;
      for (let i = a; i < b; i++) {
        const role = roles[i];
        // A task whose rows the reader did not walk again (the same role objects, the same task object) keeps the
        // group the last view made for it, with the field values already worked out.
        const again =
          seg.reusable && role.section !== undefined && role.task !== undefined && !byKey[role.section]?.[role.task]
            ? this.priorGroups?.get(role)
            : undefined;
        if (again && this.sameGroupRoles(again, roles, i, b)) {
          const group = again.group;
          (byKey[role.section!] ??= [])[role.task!] = group;
          seg.groups.push(group);
          for (const r of again.roles) if (TABLE_ROLES.has(r.role)) seg.tableRows.push(r);
          made!.push({ group, from: i, to: i + again.roles.length, kept: i + again.roles.length });
          last = group;
          lastUnit = group.units[group.units.length - 1];
          i += again.roles.length - 1;
          continue;
        }
        if (TABLE_ROLES.has(role.role)) {
          // The reader's role object stands for the row (it holds sheet, row and role): no copy per row.
          seg.tableRows.push(role);
        }
        if (role.role === 'section' || role.role === 'header') {
          // A new section ends the previous task; a repeated page header does not.
          if (role.role === 'section') lastUnit = undefined;
          continue;
        }
        if (role.role !== 'task' && role.role !== 'product' && role.role !== 'continuation') continue;
        let group: TaskGroup | undefined;
        if (role.section !== undefined && role.task !== undefined) {
          const inSection = (byKey[role.section] ??= []);
          group = inSection[role.task];
          if (!group) {
            close();
            group = {
              section: role.section,
              task: role.task,
              model: annex.sections[role.section]?.tasks[role.task],
              sheet: role.sheet,
              units: NO_UNITS,
              rows: NO_ROWS,
            };
            open = group;
            inSection[role.task] = group;
            seg.groups.push(group);
            made?.push({ group, from: i, to: i + 1, kept: -1 });
          }
        } else {
          group = last;
        }
        if (!group) continue;
        last = group;
        if (made?.length && made[made.length - 1].group === group) made[made.length - 1].to = i + 1;
        const isOpen = group === open;
        if (isOpen) openRows[nRows++] = role.row;
        else group.rows.push(role.row);
        if (role.role === 'continuation') {
          // A page-break continuation belongs to the row it continues (the last task/product row of this task).
          let has = false;
          if (lastUnit && lastUnit.sheet === role.sheet)
            if (!isOpen) has = group.units.includes(lastUnit);
            else for (let k = 0; k < nUnits && !has; k++) has = openUnits[k] === lastUnit;
          if (has) {
            const u = lastUnit!;
            if (u.rows === undefined) u.rows = [u.row, role.row];
            else u.rows.push(role.row);
          } else {
            lastUnit = {
              kind: (isOpen ? nUnits : group.units.length) ? 'product' : 'task',
              sheet: role.sheet,
              row: role.row,
              rows: undefined,
            };
            if (isOpen) openUnits[nUnits++] = lastUnit;
            else group.units.push(lastUnit);
          }
          continue;
        }
        lastUnit = { kind: role.role, sheet: role.sheet, row: role.row, rows: undefined };
        if (isOpen) openUnits[nUnits++] = lastUnit;
        else group.units.push(lastUnit);
      }
      if (made && this.priorGroups)
        for (const m of made)
          if (m.to !== m.kept)
            this.priorGroups.set(roles[m.from], { group: m.group, roles: roles.slice(m.from, m.to) });
      a = b;
      b = c;
      hasLoose = nextLoose;
    }
    close();
    if (!this.segments.some((seg) => seg.groups.length > 0)) {
      // Prose layout (or no grids / no row roles): one group per model task, values from the model.
      const groups: TaskGroup[] = [];
      annex.sections.forEach((s, si) =>
        s.tasks.forEach((t, ti) =>
          groups.push({
            section: si,
            task: ti,
            model: t,
            sheet: t.source.sheet,
            units: [],
            rows: t.rows.length ? t.rows : [t.source.row],
          }),
        ),
      );
      if (groups.length) this.modelGroups = groups;
    }
  }
}

/** The position of the first section row at or after `from` (roles.length when there is none). */
function segmentEnd(roles: RowRole[], from: number): number {
  let b = from;
  while (b < roles.length && roles[b].role !== 'section') b++;
  return b;
}

/** A task, product or continuation row outside any task among roles[from…to). */
function anyLoose(roles: RowRole[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const r = roles[i];
    if (
      (r.role === 'task' || r.role === 'product' || r.role === 'continuation') &&
      (r.section === undefined || r.task === undefined)
    )
      return true;
  }
  return false;
}

function pushAll<T>(to: T[], from: readonly T[]): void {
  for (let i = 0; i < from.length; i++) to.push(from[i]);
}

// Placeholders of a group being made (buildGroups gives it its own arrays when it is done); never written to.
const NO_UNITS: Unit[] = [];
const NO_ROWS: number[] = [];

/** A task group of an earlier view and the row roles it was made of (from its first row to its last). */
export interface PriorGroup {
  group: TaskGroup;
  roles: RowRole[];
}

/** The rows of one section of the table (from its section row to the next), as a view groups them. */
export interface Segment {
  /** The reader's row roles of the segment (the objects: a later view compares them by identity, see sameSegment). */
  roles: RowRole[];
  section?: Section;
  /** The grid row of the section row when the segment was built. */
  firstRow?: GridRow;
  groups: TaskGroup[];
  tableRows: { sheet: string; row: number; role: RowRole['role'] }[];
  /** False when a group may reach out of the segment (a product row outside any task): never taken over. */
  reusable: boolean;
  /** The row and task diagnostics of the segment, once a session's validation has worked them out. */
  rowDiagnostics?: Diagnostic[];
  groupDiagnostics?: Diagnostic[];
}

/** An ISO date as Vietnamese documents write it ("2025-07-01" → "01/07/2025"). */
export function displayDate(iso: string | undefined): string | undefined {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** Short quote of a text for messages. */
export function quote(text: string, max = 80): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

/** Text to put into a cell by a fix: text-document rows cannot hold line breaks. */
export function cellValue(view: TableView, sheet: string, text: string): string {
  return view.isTextGrid(sheet) ? text.replace(/\s*\n\s*/g, '; ').replace(/;\s*;/g, ';') : text;
}

/** Finds which of a field's cells holds a piece of text (exact, then case/diacritic-insensitive). */
export function cellHolding(memo: Memo, value: FieldValue, piece: string): CellRef | undefined {
  for (const c of value.cells) if (c.raw.includes(piece)) return c;
  const k = memo.foldKey(piece);
  if (k) for (const c of value.cells) if (memo.foldKey(c.raw).includes(k)) return c;
  return undefined;
}

/** Normalisers are pure functions of text: every validation shares one bounded memo. */
export const sharedMemo = new Memo();
