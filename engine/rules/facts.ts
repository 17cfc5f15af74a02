// Facts the rules work on, derived once per validation from the grids, the reader's row roles and the
// header mapping: which cell holds which field of which task/product row, with memoised normalisers.
import type { AgencyRef, Annex, Column, Diagnostic, Field, Grid, GridRow, Location, Task, Timeline } from '../model.js';
import { a1 } from '../a1.js';
import type { AgencyDirectory } from '../normalize/agency.js';
import { splitAssignment } from '../normalize/agency.js';
import { cleanText, decodeLegacy, detectLegacyEncoding, findHtml, foldKey, type LegacyEncoding } from '../normalize/text.js';
import { looksLikeTimeline, parseTimeline } from '../normalize/timeline.js';
import type { ReadResult, RowRole } from '../read/index.js';
import type { Locale } from './diagnostic.js';

// ---------------------------------------------------------------------------------------------
// Memoised normalisers: a session keeps one Memo across edits, so unchanged texts cost a map lookup.
// ---------------------------------------------------------------------------------------------

const MAX_ENTRIES = 50_000;

function cached<V>(map: Map<string, V>, key: string, make: () => V): V {
  const hit = map.get(key);
  if (hit !== undefined || map.has(key)) return hit as V;
  // Random edits in a long session must not grow the caches without bound.
  if (map.size >= MAX_ENTRIES) map.clear();
  const v = make();
  map.set(key, v);
  return v;
}

export class Memo {
  private clean = new Map<string, string>();
  private fold = new Map<string, string>();
  private html = new Map<string, string[]>();
  private legacy = new Map<string, LegacyEncoding | null>();
  private decoded = new Map<string, string>();
  private timelines = new Map<string, Timeline>();
  private timelineLike = new Map<string, boolean>();
  // Per directory: two directories never share answers.
  private resolved = new WeakMap<AgencyDirectory, Map<string, AgencyRef[]>>();
  private suggestions = new WeakMap<AgencyDirectory, Map<string, { id: string; name: string; score: number }[]>>();
  private verdicts = new Map<string, unknown>();
  private assignments = new Map<string, { lead: string; support: string }>();
  private tokenSets = new Map<string, string[]>();

  cleanText(raw: string): string {
    return cached(this.clean, raw, () => cleanText(raw));
  }
  foldKey(raw: string): string {
    return cached(this.fold, raw, () => foldKey(raw));
  }
  findHtml(raw: string): string[] {
    // Cheap pre-check: most cells have no '<' at all.
    if (!raw.includes('<')) return [];
    return cached(this.html, raw, () => findHtml(raw));
  }
  detectLegacy(raw: string): LegacyEncoding | null {
    return cached(this.legacy, raw, () => detectLegacyEncoding(raw));
  }
  decodeLegacy(raw: string, enc: LegacyEncoding): string {
    return cached(this.decoded, `${enc}\u0001${raw}`, () => decodeLegacy(raw, enc));
  }
  parseTimeline(text: string, planYear: number | undefined): Timeline {
    return cached(this.timelines, `${planYear ?? ''}\u0001${text}`, () => parseTimeline(text, { planYear }));
  }
  looksLikeTimeline(text: string): boolean {
    return cached(this.timelineLike, text, () => looksLikeTimeline(text) || EXTRA_TIMELINE_START.test(text.trim()));
  }
  resolve(dir: AgencyDirectory, text: string, province: string | undefined, date: string | undefined): AgencyRef[] {
    let map = this.resolved.get(dir);
    if (!map) this.resolved.set(dir, (map = new Map()));
    return cached(map, `${province ?? ''}\u0001${date ?? ''}\u0001${text}`, () => dir.resolve(text, { province, date }));
  }
  suggest(dir: AgencyDirectory, text: string, province: string | undefined, date: string | undefined) {
    let map = this.suggestions.get(dir);
    if (!map) this.suggestions.set(dir, (map = new Map()));
    return cached(map, `${province ?? ''}\u0001${date ?? ''}\u0001${text}`, () => dir.suggest(text, { province, date }, 3));
  }
  /** Memoises any pure per-text computation of a rule (`kind` keeps rules apart). */
  verdict<V>(kind: string, text: string, make: () => V): V {
    return cached(this.verdicts as Map<string, V>, `${kind}\u0001${text}`, make);
  }
  splitAssignment(text: string): { lead: string; support: string } {
    return cached(this.assignments, text, () => splitAssignment(text));
  }
  /** Distinct content tokens of a text, for near-duplicate detection. */
  tokens(text: string): string[] {
    return cached(this.tokenSets, text, () => {
      const set = new Set<string>();
      for (const t of this.foldKey(text).split(' ')) if (t.length > 1 && !STOPWORDS.has(t)) set.add(t);
      return [...set];
    });
  }
}

// Timelines officers put in the product column that the shared detector may not claim ("Theo lộ trình…").
const EXTRA_TIMELINE_START = /^(theo (lộ trình|tiến độ|kế hoạch|quy định|hướng dẫn)|sau khi có|trong (năm|quý|tháng) )/i;

// Function words that say nothing about what a task is (folded, without diacritics).
const STOPWORDS = new Set(
  'va cac cua cho trong tren theo voi de la nhung mot tai ve tu den duoc co khi sau truoc nam thuc hien tiep tuc'.split(' '),
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
  anchor?: CellRef;
}

/** A task row or a product row with the continuation rows that belong to it. */
export interface Unit {
  kind: 'task' | 'product';
  sheet: string;
  row: number;
  rows: number[];
  /** Field values computed so far in this validation. */
  fields?: Map<Field, FieldValue | undefined>;
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
  readonly groups: TaskGroup[] = [];
  /** Rows that belong to the annex table (header, section, task, product, continuation rows). */
  readonly tableRows: { sheet: string; row: number; role: RowRole['role'] }[] = [];
  readonly isTable: boolean;

  constructor(
    readonly grids: Grid[],
    readonly result: ReadResult,
    private memo: Memo,
  ) {
    grids.forEach((g, i) => {
      if (!this.sheetOrder.has(g.sheet)) this.sheetOrder.set(g.sheet, i);
      if (!this.gridBySheet.has(g.sheet)) this.gridBySheet.set(g.sheet, g);
    });
    this.columns = result.annex.meta.columns ?? [];
    for (const c of this.columns) if (c.field && !this.fieldColumn.has(c.field)) this.fieldColumn.set(c.field, c.index);
    // Without the grids only the reader's model can be checked (no cell texts).
    this.isTable = grids.length > 0 && result.annex.meta.layout !== 'prose' && this.columns.length > 0;
    this.buildGroups();
  }

  gridRow(sheet: string, row: number): GridRow | undefined {
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
    return this.gridRow(sheet, row)?.cells[column - 1]?.text ?? '';
  }

  cellRef(sheet: string, row: number, column: number): CellRef {
    return { sheet, row, column, cell: a1(row, column), raw: this.cellText(sheet, row, column) };
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

  /** The value of a field over a unit's rows, or undefined when the table has no such column. */
  field(unit: Unit, field: Field): FieldValue | undefined {
    if (!unit.fields) unit.fields = new Map();
    else if (unit.fields.has(field)) return unit.fields.get(field);
    const v = this.computeField(unit, field);
    unit.fields.set(field, v);
    return v;
  }

  private computeField(unit: Unit, field: Field): FieldValue | undefined {
    const column = this.fieldColumn.get(field);
    if (column === undefined) return undefined;
    const cells: CellRef[] = [];
    const parts: string[] = [];
    for (const r of unit.rows) {
      const ref = this.cellRef(unit.sheet, r, column);
      if (ref.raw.trim() === '') continue;
      cells.push(ref);
      parts.push(this.memo.cleanText(ref.raw));
    }
    const text = parts.length === 1 ? parts[0] : parts.join(' ').trim();
    return { text, cells, anchor: this.cellRef(unit.sheet, unit.row, column) };
  }

  private buildGroups(): void {
    const { annex } = this.result;
    const byKey = new Map<string, TaskGroup>();
    let last: TaskGroup | undefined;
    let lastUnit: Unit | undefined;
    for (const role of this.isTable ? this.result.rowRoles : []) {
      if (TABLE_ROLES.has(role.role)) this.tableRows.push({ sheet: role.sheet, row: role.row, role: role.role });
      if (role.role === 'section' || role.role === 'header') {
        // A new section ends the previous task; a repeated page header does not.
        if (role.role === 'section') lastUnit = undefined;
        continue;
      }
      if (role.role !== 'task' && role.role !== 'product' && role.role !== 'continuation') continue;
      let group: TaskGroup | undefined;
      if (role.section !== undefined && role.task !== undefined) {
        const key = `${role.section}:${role.task}`;
        group = byKey.get(key);
        if (!group) {
          group = {
            section: role.section,
            task: role.task,
            model: annex.sections[role.section]?.tasks[role.task],
            sheet: role.sheet,
            units: [],
            rows: [],
          };
          byKey.set(key, group);
          this.groups.push(group);
        }
      } else {
        group = last;
      }
      if (!group) continue;
      last = group;
      group.rows.push(role.row);
      if (role.role === 'continuation') {
        // A page-break continuation belongs to the row it continues (the last task/product row of this task).
        if (lastUnit && lastUnit.sheet === role.sheet && group.units.includes(lastUnit)) lastUnit.rows.push(role.row);
        else {
          lastUnit = { kind: group.units.length ? 'product' : 'task', sheet: role.sheet, row: role.row, rows: [role.row] };
          group.units.push(lastUnit);
        }
        continue;
      }
      lastUnit = { kind: role.role, sheet: role.sheet, row: role.row, rows: [role.row] };
      group.units.push(lastUnit);
    }
    if (this.groups.length === 0) {
      // Prose layout (or no grids / no row roles): one group per model task, values from the model.
      annex.sections.forEach((s, si) =>
        s.tasks.forEach((t, ti) =>
          this.groups.push({ section: si, task: ti, model: t, sheet: t.source.sheet, units: [], rows: t.rows.length ? t.rows : [t.source.row] }),
        ),
      );
    }
  }
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
