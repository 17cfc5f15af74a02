// The last stage of the table reader: the records the walk placed (sections, tasks, product rows with their
// continuation rows) become model sections and tasks. A task whose rows are the same row objects with the
// same cells, read in the same context, is the same task: the one built last time is reused, so a re-read
// after an edit builds only the tasks it touched. One section can be assembled on its own (assembleSection).
import type { Column, Field, GridRow, Location, Product, Section, Task } from '../model.js';
import { columnLetter } from '../a1.js';
import { agencyRefs, refsAgain, unionRefs, type AgencyContext } from './agencies.js';
import {
  DECIMAL_IN_TEXT,
  NUMBER_IN_TEXT,
  PRODUCT_PREFIX,
  intern,
  keepsRows,
  type RowFacts,
  type TableLayout,
} from './table-rows.js';
import { assignment as splitAssignment, clean, timeline } from './text.js';
import { matchArea } from '../vocab/index.js';
import { mapPacked } from '../packed.js';

/** One logical table row: a task's first row or a product row, with continuation rows appended. */
export interface Rec {
  kind: 'task' | 'product';
  first: number;
  /**
   * Every row of the record and their facts, once a continuation joined it; undefined while it is its first row
   * alone (recRows, recFacts): most records are, and the record needs no arrays of its own then.
   */
  rows: number[] | undefined;
  /** The first row's grid row (the built-task cache's key), and its facts. */
  obj: GridRow;
  firstFacts: RowFacts;
  facts: RowFacts[] | undefined;
  /** Raw text by 0-based column (continuations appended). */
  cells: string[];
  /** Raw text of the first row only, as the officer typed it. */
  firstCells: string[];
  /** Values inherited from vertical merges, by 0-based column. */
  inherited: ReadonlyMap<number, string>;
  number?: string;
  /** The number was written inside the task text ("1. Tổng kết…") and is stripped from it. */
  numberInText?: boolean;
  productNumber?: string;
}

/** A task's products before its first: one array for all, as most tasks have none or few. */
export const NO_PRODUCTS: readonly Rec[] = [];

/** A record's rows, in order. */
export function recRows(r: Rec): number[] {
  return r.rows ?? [r.first];
}

/** The facts of a record's rows, in order. */
export function recFacts(r: Rec): RowFacts[] {
  return r.facts ?? [r.firstFacts];
}

export interface TaskAcc {
  rec: Rec;
  /** Replaced, never added to (NO_PRODUCTS is shared by every task without products). */
  products: readonly Rec[];
  /** The outline heading the task sits under ("1. …" above 1.1, 1.2). */
  group?: string;
}

export interface SectionAcc {
  numeral: string;
  title: string;
  row: number;
  column: number;
  tasks: TaskAcc[];
  part?: { numeral: string; title: string };
}

/**
 * Fields whose vertically merged value applies to every row the merge covers (one lead or deadline for several
 * tasks or products). The rules (rules/facts.ts) inherit the same fields, so they agree with the reader.
 */
export const INHERITED: ReadonlySet<Field> = new Set<Field>([
  'lead',
  'support',
  'assignment',
  'timeline',
  'monitor',
  'approval',
]);

/** What building needs besides the records: computed once per read, shared by every section. */
export interface BuildScope {
  col: Partial<Record<Field, number>>;
  agencies: AgencyContext;
  planYear?: number;
  unknownCols: Column[];
  fieldCols: [Field, number][];
  loc: (row: number, c?: number) => Location;
  /** The context a cached task was built in: a cached task with another signature is rebuilt. */
  taskSig: string;
  /** False: tasks are built, never looked up or kept in the cache (ReadOptions.rememberRows). */
  remember: boolean;
}

const directoryIds = new WeakMap<object, number>();
let lastDirectoryId = 0;
function directoryId(d: object | undefined): number {
  if (!d) return 0;
  let id = directoryIds.get(d);
  if (id === undefined) directoryIds.set(d, (id = ++lastDirectoryId));
  return id;
}

export function buildScope(
  layout: TableLayout,
  ctx: { agencies: AgencyContext; planYear?: number; rememberRows?: boolean },
  unknownCols: Column[],
  loc: BuildScope['loc'],
): BuildScope {
  const taskSig = intern(
    JSON.stringify([
      layout.sig,
      directoryId(ctx.agencies.directory),
      ctx.agencies.at,
      ctx.planYear,
      layout.grid.sheet,
      unknownCols.map((c) => [c.index, c.header]),
    ]),
  );
  const fieldCols = Object.entries(layout.col) as [Field, number][];
  return {
    col: layout.col,
    agencies: ctx.agencies,
    planYear: ctx.planYear,
    unknownCols,
    fieldCols,
    loc,
    taskSig,
    remember: keepsRows(ctx),
  };
}

/** One section of the model from its record: its tasks reused from the cache where their rows are unchanged. */
export function assembleSection(scope: BuildScope, s: SectionAcc): Section {
  const section: Section = {
    numeral: s.numeral,
    title: clean(s.title),
    area: s.title ? matchArea(s.title) : null,
    source: scope.loc(s.row, s.column),
    tasks: mapPacked(s.tasks, (t) => cachedTask(scope, t)),
  };
  if (s.part) section.part = { numeral: s.part.numeral, title: clean(s.part.title) };
  return section;
}

// --- The built-task cache ------------------------------------------------------------------------------

/** A built task and what it was built from: each record's number, rows and row facts. */
interface BuiltTask {
  sig: string;
  number?: string;
  numberInText?: boolean;
  group?: string;
  recs: { productNumber?: string; first: number; firstFacts: RowFacts; rows?: number[]; facts?: RowFacts[] }[];
  task: Task;
}
// Keyed by the task's first grid row object (weak: entries go with the grids).
const builtTasks = new WeakMap<GridRow, BuiltTask>();

export function cachedTask(scope: BuildScope, acc: TaskAcc): Task {
  const rec = acc.rec;
  // Merged cells bring values from other rows: not cached.
  if (!scope.remember || rec.inherited.size) return buildTask(scope, acc);
  for (const p of acc.products) if (p.inherited.size) return buildTask(scope, acc);
  const hit = builtTasks.get(rec.obj);
  if (
    hit &&
    hit.sig === scope.taskSig &&
    hit.number === rec.number &&
    hit.numberInText === rec.numberInText &&
    hit.group === acc.group &&
    sameRecs(hit, acc)
  )
    return hit.task;
  const task = buildTask(scope, acc);
  const recs = [rec, ...acc.products].map((r) => ({
    productNumber: r.productNumber,
    first: r.first,
    firstFacts: r.firstFacts,
    rows: r.rows,
    facts: r.facts,
  }));
  builtTasks.set(rec.obj, {
    sig: scope.taskSig,
    number: rec.number,
    numberInText: rec.numberInText,
    group: acc.group,
    recs,
    task,
  });
  return task;
}

/** Same facts objects = same row objects whose cells were found unchanged on this read. */
function sameRecs(hit: BuiltTask, acc: TaskAcc): boolean {
  if (hit.recs.length !== acc.products.length + 1) return false;
  for (let k = 0; k < hit.recs.length; k++) {
    const r = k === 0 ? acc.rec : acc.products[k - 1];
    const h = hit.recs[k];
    if (h.productNumber !== r.productNumber || h.first !== r.first || h.firstFacts !== r.firstFacts) return false;
    const hr = h.rows;
    const rr = r.rows;
    // Rows past the first are listed only once a continuation joined the record.
    if (hr === undefined || rr === undefined) {
      if (hr !== rr) return false;
      continue;
    }
    if (hr.length !== rr.length) return false;
    for (let i = 0; i < hr.length; i++) if (hr[i] !== rr[i] || h.facts![i] !== r.facts![i]) return false;
  }
  return true;
}

// --- Records → model -----------------------------------------------------------------------------------

/** A field's text on a record; with `inherit`, an empty cell covered by a vertical merge takes the merged value. */
function valueOf(scope: BuildScope, rec: Rec, f: Field, inherit: boolean): string {
  const c = scope.col[f];
  if (c === undefined) return '';
  if (inherit && !INHERITED.has(f)) inherit = false;
  const own = rec.cells[c] ?? '';
  if (own.trim() || !inherit) return own;
  return rec.inherited.get(c) ?? '';
}

/**
 * The clean text of a record's task or product cell. A record of one row reads the very cells its row's facts were
 * worked out from, and the facts hold that cell's clean text already (the walk needed it): taken from there rather
 * than the whole text scanned again. An empty text in the facts may be one the walk did not work out (a row it
 * stopped at early), so that case, and a record with continuation rows, is cleaned here.
 */
function factText(scope: BuildScope, rec: Rec, f: 'task' | 'product'): string {
  if (rec.cells === rec.firstFacts.raws) {
    const known = f === 'task' ? rec.firstFacts.taskText : rec.firstFacts.productText;
    if (known) return known;
  }
  return clean(valueOf(scope, rec, f, false));
}

interface Parties {
  lead: ReturnType<typeof agencyRefs>;
  support: ReturnType<typeof agencyRefs>;
}

function parties(scope: BuildScope, rec: Rec, inherit: boolean): Parties {
  let lead = clean(valueOf(scope, rec, 'lead', inherit));
  let support = clean(valueOf(scope, rec, 'support', inherit));
  const assignment = clean(valueOf(scope, rec, 'assignment', inherit));
  if (assignment) {
    const split = splitAssignment(assignment);
    if (!lead) lead = split.lead;
    if (!support) support = split.support;
  }
  return { lead: agencyRefs(lead, scope.agencies), support: agencyRefs(support, scope.agencies) };
}

/**
 * The product of a record. `row` and `rowTimeline`: the record's agencies and cleaned timeline text, when the caller
 * has them (the task row's, which its task reads too).
 */
function buildProduct(
  scope: BuildScope,
  rec: Rec,
  fromTaskRow: boolean,
  row?: Parties,
  rowTimeline?: string,
): Product | undefined {
  let text = factText(scope, rec, 'product');
  let number = rec.productNumber;
  let c = scope.col.product;
  if (!text && !fromTaskRow) {
    // No product column (or an empty one): a numbered sub-row carries its text in the task column.
    text = factText(scope, rec, 'task');
    c = scope.col.task;
  }
  if (!text && fromTaskRow) return undefined;
  const m = PRODUCT_PREFIX.exec(text);
  if (m) {
    number ??= m[1];
    text = text.slice(m[0].length).trim();
  }
  // A merged cell's value applies to every row it covers, task rows included (see INHERITED).
  const { lead, support } = row ?? parties(scope, rec, true);
  const product: Product = {
    text,
    lead,
    support,
    timeline: timeline(rowTimeline ?? clean(valueOf(scope, rec, 'timeline', true)), scope.planYear),
    source: scope.loc(rec.first, c),
  };
  if (number) product.number = number;
  return product;
}

export function buildTask(scope: BuildScope, acc: TaskAcc): Task {
  const rec = acc.rec;
  let text = factText(scope, rec, 'task');
  if (rec.numberInText) {
    const m = NUMBER_IN_TEXT.exec(text) ?? DECIMAL_IN_TEXT.exec(text);
    if (m) text = m[2].trim();
  }
  // The task row's agencies and timeline, for its product and for the task: read once.
  const own = parties(scope, rec, true);
  const ownTimeline = clean(valueOf(scope, rec, 'timeline', true));
  const first = buildProduct(scope, rec, true, own, ownTimeline);
  // An array literal holds exactly its products; one grown by push keeps room for 17 (most tasks have one product).
  const products: Product[] = first ? [first] : [];
  for (const p of acc.products) {
    const prod = buildProduct(scope, p, false);
    if (prod) products.push(prod);
  }
  // The product from the task row holds the lists read above: the task gets its own (agencyRefs' rule).
  let lead = first ? refsAgain(own.lead, scope.agencies) : own.lead;
  let support = first ? refsAgain(own.support, scope.agencies) : own.support;
  if (!lead.length) lead = unionRefs(products.map((p) => p.lead));
  if (!support.length) support = unionRefs(products.map((p) => p.support));
  // Most tasks are one row with no product rows: their one row needs no spreading and sorting.
  const rows =
    rec.rows === undefined && acc.products.length === 0
      ? [rec.first]
      : [...recRows(rec), ...acc.products.flatMap(recRows)].sort((a, b) => a - b);
  const t: Task = {
    number: rec.number ?? '',
    task: text,
    products,
    lead,
    support,
    timeline: timeline(ownTimeline, scope.planYear),
    source: scope.loc(rec.first, scope.col.task),
    rows,
  };
  const id = clean(valueOf(scope, rec, 'id', false));
  if (id) t.id = id;
  addTaskColumns(scope, acc, t);
  if (acc.group) t.group = acc.group;
  return t;
}

/**
 * Task-level columns the model has no product slot for: the first row's value, else the product rows'
 * (monitor: their union; approval: the first; notes: all, one per line), unknown columns as extras and the
 * first row's raw texts — nothing is dropped.
 */
function addTaskColumns(scope: BuildScope, acc: TaskAcc, t: Task): void {
  const all = [acc.rec, ...acc.products];
  if (scope.col.monitor !== undefined) {
    const lists = all.map((r) => agencyRefs(clean(valueOf(scope, r, 'monitor', true)), scope.agencies));
    t.monitor = lists[0].length ? lists[0] : unionRefs(lists.slice(1));
  }
  // One loop, not map and filter: the arrays those make were of a kind the optimised code had not met for a task of
  // one row, which threw this function away twice on a first run (docs/PERFORMANCE.md).
  let approval = '';
  let notes: string[] | undefined;
  for (let i = 0; i < all.length; i++) {
    if (!approval) approval = clean(valueOf(scope, all[i], 'approval', true));
    const note = clean(valueOf(scope, all[i], 'note', false));
    if (note) (notes ??= []).push(note);
  }
  if (approval) t.approval = approval;
  if (notes) t.note = notes.join('\n');
  // Unknown columns are never dropped: product rows' values follow the task row's, one per line.
  let extra: Record<string, string> | undefined;
  for (const c of scope.unknownCols) {
    const values: string[] = [];
    for (const r of all) {
      const v = clean(r.cells[c.index - 1] ?? '');
      if (v) values.push(v);
    }
    if (values.length) (extra ??= {})[c.header || `Cột ${columnLetter(c.index)}`] = values.join('\n');
  }
  if (extra && Object.keys(extra).length) t.extra = extra;
  const raw: Record<string, string> = {};
  for (const [f, c] of scope.fieldCols) {
    const v = acc.rec.firstCells[c] ?? '';
    if (v.trim()) raw[f] = v;
  }
  t.raw = raw;
}
