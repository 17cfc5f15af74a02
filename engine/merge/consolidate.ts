// Consolidation of many agencies' annexes into one provincial annex (pure).
import type { AgencyRef, Annex, AreaCode, Task, Timeline } from '../model.js';
import { foldKey, foldKeyBytes, foldedKeyBytes } from '../normalize/text.js';
import { parseTimeline } from '../normalize/timeline.js';
import { areaRank, areaTitle as vocabAreaTitle, toRoman } from '../vocab/index.js';
import {
  SimilarityIndex,
  TokenDictionary,
  jaccardSorted,
  similarPairs,
  type PackedSets,
  type PairSink,
} from './similarity.js';

import type {
  Consolidated,
  ConsolidatedAgency,
  ConsolidatedProduct,
  ConsolidatedSection,
  ConsolidatedTask,
  CandidateGroup,
  ConsolidationContext,
  DecisionMember,
  ConsolidationInput,
  ConsolidationSummary,
  Coverage,
  DuplicateGroup,
  LeadClaim,
  LeadConflict,
  MergedDuplicate,
  OverdueTask,
  PlanTaskRef,
  StaleDecision,
  TaskRef,
  TaskSource,
} from './types.js';

const DONE_KEYS = new Set(['da hoan thanh', 'hoan thanh', 'da xong', 'xong', 'done']);

function defaultIsDone(task: Task): boolean {
  return isDoneText(task.note) || (task.extra !== undefined && Object.values(task.extra).some(isDoneText));
}

function isDoneText(t: string | undefined): boolean {
  if (!t) return false;
  const k = foldKey(t);
  return DONE_KEYS.has(k) || k.startsWith('da hoan thanh');
}

/**
 * The quarter of a date that starts with four digits, "-" and two digits ("2026-07-28"), as year × 100 + quarter
 * (a month past 12 gives a quarter past 4, as it always did); -1 for anything else. Read from the characters: the
 * summary asks this of every dated row.
 */
function quarterOf(iso: string): number {
  if (iso.length < 7 || iso.charCodeAt(4) !== 45) return -1;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const d = iso.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    year = year * 10 + d;
  }
  const m1 = iso.charCodeAt(5) - 48;
  const m2 = iso.charCodeAt(6) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9) return -1;
  return year * 100 + Math.floor((m1 * 10 + m2 - 1) / 3) + 1;
}

/** Agency names resolved once per (province, text): the same few dozen names repeat over thousands of rows. */
class AgencyNormalizer {
  /**
   * By province, then id, then text: nested maps look the parts up as they are, where one joined key would be
   * built and hashed anew for every ref of every task.
   */
  private cache = new Map<string, Map<string, Map<string, ConsolidatedAgency[]>>>();
  constructor(private ctx: ConsolidationContext) {}

  private fromRef(r: AgencyRef, written: string): ConsolidatedAgency {
    const date = this.ctx.date;
    if (r.successor && (!date || r.successor.since <= date)) {
      const former = r.name ?? r.text;
      // A province merger keeps the name ("Sở Tài chính") while the id moves: no "formerly" to show then.
      return {
        text: written,
        id: r.successor.id,
        name: r.successor.name,
        kind: r.kind,
        ...(former !== r.successor.name ? { formerName: former } : {}),
      };
    }
    return { text: written, id: r.id, name: r.name ?? r.text, kind: r.kind };
  }

  normalize(ref: AgencyRef, province: string | undefined): ConsolidatedAgency[] {
    let byId = this.cache.get(province ?? '');
    if (!byId) this.cache.set(province ?? '', (byId = new Map()));
    let byText = byId.get(ref.id ?? '');
    if (!byText) byId.set(ref.id ?? '', (byText = new Map()));
    const hit = byText.get(ref.text);
    if (hit) return hit;
    let refs: AgencyRef[] = [ref];
    const dir = this.ctx.directory;
    if (dir && ref.text.trim()) {
      // Without suggestions: a consolidated agency has none to show.
      const resolved = dir.resolve(ref.text, { province, date: this.ctx.date }, { suggestions: false });
      // Keep the reader's ref when the round's directory knows nothing better.
      if (resolved.some((r) => r.kind !== 'unknown') || ref.kind === 'unknown')
        refs = resolved.length ? resolved : [ref];
    }
    // A loop, not map: the lists are shared by the tasks, and map's arrays are of another elements kind once the
    // optimiser inlines it (code compiled for one kind is thrown away on meeting the other).
    const out: ConsolidatedAgency[] = [];
    for (const r of refs)
      out.push(this.fromRef(this.withSuccessor(r, province), refs.length === 1 ? ref.text : r.text));
    byText.set(ref.text, out);
    return out;
  }

  /** A ref resolved at another date (by the reader, at the plan year) gets the successor at the round's date. */
  private withSuccessor(r: AgencyRef, province: string | undefined): AgencyRef {
    const dir = this.ctx.directory;
    if (!r.id || !this.ctx.date || !dir || typeof dir.successorOf !== 'function') return r;
    const next = dir.successorOf(r.id, this.ctx.date, province);
    return next ? { ...r, successor: next } : r;
  }

  /** The submitting agency at the round's date, when the directory says it was merged since. */
  successorOfAgency(id: string, province: string | undefined): { id: string; name: string } | undefined {
    const dir = this.ctx.directory;
    if (!this.ctx.date || !dir || typeof dir.successorOf !== 'function') return undefined;
    return dir.successorOf(id, this.ctx.date, province);
  }

  private keys = new WeakMap<ConsolidatedAgency, string>();
  /** Comparison key of a normalised agency (computed once: the objects are shared through the cache). */
  key(a: ConsolidatedAgency): string {
    let k = this.keys.get(a);
    if (k === undefined) this.keys.set(a, (k = consolidatedAgencyKey(a)));
    return k;
  }

  /**
   * The agencies of a cell's refs, each once. A single ref's list is the resolved list of its text itself, shared by
   * every task that names it (no copy per task: the build keeps one per task and list): consolidation never changes
   * a task's lists (a reviewer's merge makes new ones), as prepared lists are already shared between builds.
   */
  list(refs: AgencyRef[] | undefined, province: string | undefined): ConsolidatedAgency[] {
    if (!refs || refs.length === 0) return [];
    if (refs.length === 1) {
      const one = this.normalize(refs[0], province);
      if (one.length <= 1) return one;
    }
    // The reader shares a cell text's refs among its cells (ReadOptions.sharedAgencyRefs): on the bench files
    // 23,470 lists of two agencies or more are 6,933 arrays, each resolved, deduplicated and made once here.
    const known = this.lists.get(refs);
    if (known !== undefined && known.province === province) return known.list;
    const out: ConsolidatedAgency[] = [];
    const seen = new Set<string>();
    for (const r of refs) {
      for (const a of this.normalize(r, province)) {
        const k = this.key(a);
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(a);
      }
    }
    this.lists.set(refs, { province, list: out });
    return out;
  }

  private lists = new WeakMap<AgencyRef[], { province: string | undefined; list: ConsolidatedAgency[] }>();
}

export function consolidatedAgencyKey(a: { id?: string; name: string }): string {
  return a.id ?? 'name:' + foldKey(a.name);
}

function normalizeTimeline(t: Timeline | undefined, planYear: number | undefined): Timeline {
  if (!t) return { kind: 'empty', text: '' };
  if (t.kind === 'unknown' && t.text.trim()) {
    const again = parseTimeline(t.text, { planYear });
    if (again.kind !== 'unknown') return again;
  }
  return t;
}

/**
 * One submitted task in the build. Kept small, every field set when it is made: the build keeps one per task
 * (170,000 in a national roll-up) until its report is made, and the young generation copies what it keeps. What
 * follows from these is worked out where it is needed: the agency and the TaskRef from `out` (agencyOf, refOf),
 * the folded text, markers and feature set from `text`, the number in the report from the area and `out.number`
 * (atOf).
 */
interface Work {
  out: ConsolidatedTask;
  /** Its text's folded key, features and markers; `text.setNo` is its feature set in this build. */
  text: TextInfo;
  group: AreaGroup;
  /** The row this task was merged into by a reviewer's decision, if any. */
  mergedInto: Work | undefined;
}

/** Folded text: identity of the task in a reviewer's decision and in a group's id. */
function foldedOf(w: Work): string {
  // '' until made (a text whose key is '' is made again each time: it has no words, so that is cheap).
  return w.text.folded || (w.text.folded = keyOf(w.text));
}

/**
 * A text's folded key as a string, from the bytes kept when it was first folded (makeWork): the same as folding it
 * again (foldKeyUncached), for a fraction of the time. Most texts of a province's annexes are in some group, and
 * folding each one twice was a tenth of a consolidation of the 100 × 200 bench files.
 */
function keyOf(text: TextInfo): string {
  const end = text.keyAt + text.keyLen;
  // The key's bytes are ASCII, so as UTF-8 they are the same string. The decoder makes it in one native call:
  // String.fromCharCode.apply spread each byte into an argument, about twice the time on a first run (8,500 keys
  // of 350 units on the bench files).
  if (asciiKeys) return asciiKeys.decode(keyPool.subarray(text.keyAt, end));
  let key = '';
  // In slices: a call takes a bounded number of arguments.
  for (let at = text.keyAt; at < end; at += 8192)
    key += String.fromCharCode.apply(null, keyPool.subarray(at, Math.min(end, at + 8192)) as unknown as number[]);
  return key;
}

// Apps Script, where the Sheets add-on runs the engine, has no TextDecoder (nor do the engine's types name it).
const KeyDecoder = (globalThis as { TextDecoder?: new () => { decode(bytes: Uint8Array): string } }).TextDecoder;
const asciiKeys = KeyDecoder ? new KeyDecoder() : undefined;

/**
 * A task's identity in a reviewer's decision and in a group's id: its agency and folded text (the same task submitted
 * again keeps it, whatever row it moved to).
 */
function identity(agencyId: string, folded: string): string {
  return `${agencyId}\u0001${folded}`;
}

function identityOf(w: Work): string {
  return identity(agencyOf(w), foldedOf(w));
}

/** The submitting agency of a work: its key in groups, decisions and the summary. */
function agencyOf(w: Work): string {
  return w.out.source.agencyId;
}

/** The task as a TaskRef (made for the few tasks a group, merge, claim or coverage item names). */
function refOf(w: Work): TaskRef {
  const { key, task, area, source } = w.out;
  return { key, task, area, source };
}

/** Number in the report ("II.3"), once sections are numbered: a merged task's is the row's it was merged into. */
function atOf(w: Work): string | undefined {
  const row = w.mergedInto ?? w;
  return row.group.numeral === undefined ? undefined : `${row.group.numeral}.${row.out.number}`;
}

interface PlanWork {
  ref: PlanTaskRef;
  /** Where its features start in the token dictionary's pool. */
  features: number;
  set?: Int32Array;
  takenUpBy: MergedDuplicate[];
  best: Work[];
}

interface AreaGroup {
  area: AreaCode | null;
  title: string;
  works: Work[];
  /** Its section's numeral, once sections are numbered (none when every task was merged elsewhere). */
  numeral?: string;
}

/** Everything the stages of one consolidation share. */
interface State {
  ctx: ConsolidationContext;
  agencies: AgencyNormalizer;
  planYear?: number;
  threshold: number;
  areas: Map<string, AreaGroup>;
  perAgency: Map<string, ConsolidationSummary['byAgency'][number]>;
  inputs: Consolidated['meta']['inputs'];
  all: Work[];
  /** Distinct encoded feature sets of the works, by number, packed in one array. */
  sets: PackedSets;
  plan: PlanWork[];
  candidates: CandidateGroup[];
  /** The works behind each candidate group, in member order. */
  candidateWorks: Map<CandidateGroup, Work[]>;
  duplicates: DuplicateGroup[];
  stale: StaleDecision[];
  /** Work → the members merged into it (itself first). */
  merges: Map<Work, Work[]>;
  sections: ConsolidatedSection[];
  conflicts: LeadConflict[];
  coverage?: Coverage;
}

function areaTitle(area: AreaCode | null, fallback: string): string {
  return area ? vocabAreaTitle(area) : fallback;
}

/** Thrown when a consolidation input is malformed; says which input and what is missing. */
export class ConsolidationInputError extends Error {
  constructor(
    readonly index: number,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConsolidationInputError';
  }
}

function checkInputs(inputs: ConsolidationInput[]): void {
  if (!Array.isArray(inputs))
    throw new ConsolidationInputError(-1, 'inputs', 'Dữ liệu tổng hợp phải là danh sách phụ lục của các cơ quan.');
  inputs.forEach((x, i) => {
    const who = `phụ lục thứ ${i + 1}${x?.agencyName ? ` (${x.agencyName})` : ''}`;
    if (!x || typeof x.agencyId !== 'string' || !x.agencyId.trim())
      throw new ConsolidationInputError(i, 'agencyId', `Thiếu mã cơ quan của ${who}.`);
    if (typeof x.agencyName !== 'string' || !x.agencyName.trim())
      throw new ConsolidationInputError(i, 'agencyName', `Thiếu tên cơ quan của ${who}.`);
    if (!x.annex || !Array.isArray(x.annex.sections))
      throw new ConsolidationInputError(i, 'annex', `Không đọc được nội dung ${who}: thiếu danh sách mục.`);
    x.annex.sections.forEach((s, k) => {
      if (!s || !Array.isArray(s.tasks))
        throw new ConsolidationInputError(
          i,
          `annex.sections[${k}]`,
          `Mục thứ ${k + 1} của ${who} không có danh sách nhiệm vụ.`,
        );
    });
  });
}

/**
 * Every agency's tasks in one provincial annex, in Nghị quyết 76 area order, numbered per area. Similar tasks of
 * different agencies become candidate groups for a reviewer; the engine merges nothing on its own. A reviewer's
 * decisions (ctx.decisions) are applied on every build while their tasks are still there as the reviewer saw them.
 */
export function consolidate(inputs: ConsolidationInput[], ctx: ConsolidationContext = {}): Consolidated {
  checkInputs(inputs);
  // The texts' cache is bounded between builds; within one, its token ids must stay valid. The plan's tasks add
  // their features to the pool on every build, so the pool is bounded too.
  if (
    textInfo.size >= TEXT_INFO_MAX ||
    tokens.size >= TEXT_INFO_MAX ||
    tokens.poolUsed >= TOKEN_POOL_MAX ||
    keyPoolUsed >= KEY_POOL_MAX
  ) {
    textInfo.clear();
    tokens = new TokenDictionary();
    keyPool = new Uint8Array(1 << 16);
    keyPoolUsed = 0;
  }
  build++;
  const st: State = {
    ctx,
    agencies: new AgencyNormalizer(ctx),
    planYear: ctx.planYear ?? (ctx.date ? Number(ctx.date.slice(0, 4)) : undefined),
    threshold: ctx.duplicateThreshold ?? 0.5,
    areas: new Map(),
    perAgency: new Map(),
    inputs: [],
    all: [],
    sets: { pool: NO_SET, start: NO_SET, len: NO_SET },
    plan: [],
    candidates: [],
    candidateWorks: new Map(),
    duplicates: [],
    stale: [],
    merges: new Map(),
    sections: [],
    conflicts: [],
  };
  collectTasks(st, inputs);
  encodeFeatures(st);
  findCandidates(st);
  applyDecisions(st);
  numberSections(st);
  describeCandidates(st);
  checkCoverage(st);
  findLeadConflicts(st);
  return result(st);
}

// --- 1. Every task of every input, normalised, by area --------------------------------------------------------

function collectTasks(st: State, inputs: ConsolidationInput[]): void {
  const { agencies, ctx } = st;
  const isDone = ctx.isDone ?? defaultIsDone;
  for (const input of inputs) {
    const province = input.province ?? input.annex.meta.province ?? ctx.province;
    // The submitting agency itself may have been merged since it submitted.
    const selfAgency = agencies.successorOfAgency(input.agencyId, province);
    const agencyId = selfAgency?.id ?? input.agencyId;
    const agencyName = selfAgency?.name ?? input.agencyName;
    st.inputs.push({ agencyId, agencyName, version: input.version, submissionId: input.submissionId });
    const stats = st.perAgency.get(agencyId) ?? {
      agencyId,
      agencyName,
      version: input.version,
      docNumber: input.docNumber,
      docDate: input.docDate,
      submitted: 0,
      kept: 0,
      merged: 0,
    };
    st.perAgency.set(agencyId, stats);
    const docNumber = input.docNumber ?? input.annex.meta.docNumber;
    const docDate = input.docDate ?? input.annex.meta.docDate;
    const round = `${province ?? ''}\u0000${ctx.date ?? ''}\u0000${st.planYear ?? ''}`;
    // A task's key is "agency#sheet!row": the part before the row is made once per sheet, so each key is that part
    // and the row (one joined string, not the three a template makes for every task and the build keeps).
    let keySheet: string | undefined;
    let keyPrefix: string | undefined;

    for (const section of input.annex.sections) {
      const gkey = section.area ?? 'title:' + foldKey(section.title);
      let group = st.areas.get(gkey);
      if (!group) {
        group = { area: section.area, title: areaTitle(section.area, section.title), works: [], numeral: undefined };
        st.areas.set(gkey, group);
      }
      const prepared = preparedOf(st, section.tasks);
      for (let t = 0; t < section.tasks.length; t++) {
        const task = section.tasks[t];
        stats.submitted++;
        const source: TaskSource = {
          agencyId,
          agencyName,
          formerAgencyName: selfAgency ? input.agencyName : undefined,
          docNumber,
          docDate,
          version: input.version,
          submissionId: input.submissionId,
          number: task.number,
          sectionTitle: section.title,
          location: task.source,
        };
        let p = prepared[t];
        if (!p || p.task !== task || p.round !== round) prepared[t] = p = prepare(st, task, province, round);
        if (keyPrefix === undefined || task.source.sheet !== keySheet) {
          keySheet = task.source.sheet;
          keyPrefix = `${agencyId}#${keySheet}!`;
        }
        const key = keyPrefix + task.source.row;
        const w = makeWork(task, key, p, source, section.area, isDone(task, input), group);
        group.works.push(w);
        st.all.push(w);
      }
    }
  }
}

function makeWork(
  task: Task,
  key: string,
  p: Prepared,
  source: TaskSource,
  area: AreaCode | null,
  done: boolean,
  group: AreaGroup,
): Work {
  const { products, lead, support, timeline, due, timelineKind } = p;
  // One literal with every field (no spread): V8 then keeps these objects (170 000 in a national roll-up) fast.
  const out: ConsolidatedTask = {
    key,
    task: task.task,
    area,
    source,
    number: '',
    products,
    lead,
    support,
    timeline,
    timelineKind,
    due,
    approval: task.approval,
    note: task.note,
    done,
    overdue: false,
    duplicates: [],
  };
  // Texts repeat across agencies (a province's shared tasks) and builds: fold and tokenize each once.
  let text = textInfo.get(task.task);
  if (!text) {
    // Its key read as bytes: the string is made only for the tasks that need it (foldedOf).
    const n = foldKeyBytes(task.task);
    const key = foldedKeyBytes();
    const features = tokens.featuresOfBytes(key, n);
    if (keyPoolUsed + n > keyPool.length) {
      const bigger = new Uint8Array(Math.max(keyPool.length * 2, keyPoolUsed + n));
      bigger.set(keyPool.subarray(0, keyPoolUsed));
      keyPool = bigger;
    }
    const keyAt = keyPoolUsed;
    keyPool.set(key.subarray(0, n), keyAt);
    keyPoolUsed += n;
    text = { folded: '', features, markers: markersOfKey(key, n), build: 0, setNo: -1, keyAt, keyLen: n };
    textInfo.set(task.task, text);
  }
  return { out, text, group, mergedInto: undefined };
}

/** Per task text: its folded key, features and markers, which depend on the text alone. */
interface TextInfo {
  /**
   * Its folded key (foldKey), made when first needed (foldedOf); '' before. Always a string: a field that held
   * undefined and then a string made V8 throw away the code compiled for these objects.
   */
  folded: string;
  /** Where its feature ids start in the pool of `tokens` (their count, then the ids). */
  features: number;
  markers: string;
  /** The build that encoded its features as set number `setNo` (encodings and numbers are per build). */
  build: number;
  setNo: number;
  /** Where its folded key's bytes are in `keyPool`, and how many. */
  keyAt: number;
  keyLen: number;
}
const NO_SET = new Int32Array(0);

/**
 * Kept between builds (a server rebuilds a round after every change of one agency); bounded, cleared between
 * builds only, with the token dictionary its features refer to.
 */
const textInfo = new Map<string, TextInfo>();
let tokens = new TokenDictionary();
/** The folded keys of the texts in `textInfo`, as bytes one after another; cleared with it. */
let keyPool = new Uint8Array(1 << 16);
let keyPoolUsed = 0;
let build = 0;
const TEXT_INFO_MAX = 200_000;
const TOKEN_POOL_MAX = 8_000_000;
const KEY_POOL_MAX = 32_000_000;

/** A task's products, agencies and timeline as consolidated: they depend only on the task and the round. */
interface Prepared {
  task: Task;
  round: string;
  products: ConsolidatedProduct[];
  lead: ConsolidatedAgency[];
  support: ConsolidatedAgency[];
  timeline: Timeline;
  due: string | undefined;
  timelineKind: Timeline['kind'];
}

/**
 * Kept per task object (and directory) between builds: a server rebuilds a round's report from the same stored
 * annexes, parsed once, after every change of one agency. Consolidation never changes these objects (a reviewer's
 * merge makes new lists), so one build's report may share them with the next one's. Kept by section (the task
 * list), at the task's index, and used only for that very task object: one weak entry per task cost more than
 * preparing most tasks.
 */
const preparedTasks = new WeakMap<object, WeakMap<readonly Task[], (Prepared | undefined)[]>>();
const NO_DIRECTORY = {};

function preparedOf(st: State, tasks: readonly Task[]): (Prepared | undefined)[] {
  const dir = st.ctx.directory ?? NO_DIRECTORY;
  let memo = preparedTasks.get(dir);
  if (!memo) preparedTasks.set(dir, (memo = new WeakMap()));
  let list = memo.get(tasks);
  if (!list) memo.set(tasks, (list = []));
  return list;
}

function prepare(st: State, task: Task, province: string | undefined, round: string): Prepared {
  const { agencies, planYear } = st;
  // A loop, not map: map's empty arrays are of one elements kind in the interpreter and of another once the
  // optimiser inlines it, and code compiled for one was thrown away on meeting the other.
  const products: ConsolidatedProduct[] = [];
  for (const p of task.products)
    products.push({
      number: p.number,
      text: p.text,
      lead: agencies.list(p.lead, province),
      support: agencies.list(p.support, province),
      timeline: p.timeline ? normalizeTimeline(p.timeline, planYear) : undefined,
      source: p.source,
    });
  const timeline = normalizeTimeline(task.timeline, planYear);
  let lead = agencies.list(task.lead, province);
  let support = agencies.list(task.support, province);
  // Annexes with per-product agencies (one row per product) leave the task's own cells empty.
  if (!lead.length) lead = dedupe(products.flatMap((p) => p.lead));
  if (!support.length) support = dedupe(products.flatMap((p) => p.support));
  // Else the latest of its products' dates (no arrays made: most tasks have no products).
  let due = timeline.due ?? undefined;
  if (due === undefined)
    for (let i = 0; i < products.length; i++) {
      const d = products[i].timeline?.due;
      if (d && (due === undefined || d > due)) due = d;
    }
  return {
    task,
    round,
    products,
    lead,
    support,
    timeline,
    due,
    timelineKind: effectiveKind(timeline, products, due),
  };
}

/**
 * Numbers in a task's folded key, each once, leading zeros dropped, sorted and joined by "|": what makes "…năm 2023"
 * another task than "…năm 2024". Taken from the key (foldKeyBytes: letters, digits and single spaces only), so
 * "Số 12/KH-UBND" and "số 12/kh-ubnd" agree, and a number is a run of digits ("01/2024" gives 1 and 2024).
 */
function markersOfKey(key: Uint8Array, n: number): string {
  let found: string[] | undefined;
  for (let i = 0; i < n; i++) {
    if (key[i] < 48 || key[i] > 57) continue;
    let end = i + 1;
    while (end < n && key[end] >= 48 && key[end] <= 57) end++;
    let from = i;
    while (from < end - 1 && key[from] === 48) from++;
    // Up to nine digits as a number's own string (the same digits, leading zeros dropped): no view of the bytes and
    // no call spread over them, for a number of two to four digits.
    let number: string;
    if (end - from <= 9) {
      let value = 0;
      for (let k = from; k < end; k++) value = value * 10 + key[k] - 48;
      number = String(value);
    } else number = String.fromCharCode.apply(null, key.subarray(from, end) as unknown as number[]);
    if (!found) found = [number];
    else if (!found.includes(number)) found.push(number);
    i = end;
  }
  return found ? found.sort().join('|') : '';
}

// --- 2. One feature dictionary (rarest first) for agency and plan tasks alike ----------------------------------

function encodeFeatures(st: State): void {
  const { ctx, agencies } = st;
  if (ctx.planAnnex) {
    const province = ctx.planAnnex.meta.province ?? ctx.province;
    for (const section of ctx.planAnnex.sections) {
      for (const task of section.tasks) {
        st.plan.push({
          ref: {
            number: task.number,
            task: task.task,
            area: section.area,
            sectionTitle: section.title,
            lead: agencies.list(task.lead.length ? task.lead : task.products.flatMap((p) => p.lead), province),
            location: task.source,
          },
          features: tokens.features(foldKey(task.task)),
          takenUpBy: [],
          best: [],
        });
      }
    }
  }
  // Rarest first, ties by text (as FeatureSpace orders them): each set then starts with its rarest features.
  const pool = tokens.pool;
  const counts = new Int32Array(tokens.size);
  const count = (at: number): void => {
    for (let k = at + 1, end = at + 1 + pool[at]; k < end; k++) counts[pool[k]]++;
  };
  for (const w of st.all) count(w.text.features);
  for (const p of st.plan) count(p.features);
  const used: number[] = [];
  for (let f = 0; f < counts.length; f++) if (counts[f]) used.push(f);
  const texts = tokens.texts;
  used.sort((x, y) => counts[x] - counts[y] || (texts[x] < texts[y] ? -1 : texts[x] > texts[y] ? 1 : 0));
  const rank = new Int32Array(tokens.size);
  used.forEach((f, i) => (rank[f] = i));
  // Each distinct text's set, encoded once into one pool; texts with the same set get one number (the bucket key
  // of linkSimilar): sets are told apart by a hash of their ids, and by their ids when two hashes agree.
  let setPool = new Int32Array(1024);
  let start = new Int32Array(256);
  let len = new Int32Array(256);
  let sets = 0;
  let size = 0;
  const byHash = new Map<number, number>();
  const byIds = new Map<string, number>();
  for (const w of st.all) {
    const text = w.text;
    if (text.build !== build) {
      const at = text.features;
      const n = pool[at];
      if (size + n > setPool.length) setPool = grown(setPool, size + n);
      if (sets === start.length) {
        start = grown(start, sets + 1);
        len = grown(len, sets + 1);
      }
      // Encoded and sorted in place (insertion sort: a set has a dozen ids or so).
      let h = n;
      for (let k = 0; k < n; k++) {
        const v = rank[pool[at + 1 + k]];
        let i = size + k;
        while (i > size && setPool[i - 1] > v) {
          setPool[i] = setPool[i - 1];
          i--;
        }
        setPool[i] = v;
      }
      for (let k = size; k < size + n; k++) h = Math.imul(h ^ setPool[k], 0x9e3779b1) ^ (h >>> 15);
      let no = byHash.get(h);
      if (no !== undefined && !sameIds(setPool, start[no], len[no], size, n)) {
        const key = setPool.subarray(size, size + n).join(',');
        no = byIds.get(key);
        if (no === undefined) byIds.set(key, (no = sets));
      } else if (no === undefined) byHash.set(h, (no = sets));
      if (no === sets) {
        start[sets] = size;
        len[sets++] = n;
        size += n;
      }
      text.build = build;
      text.setNo = no;
    }
  }
  st.sets = { pool: setPool, start, len };
  for (const p of st.plan) {
    const n = pool[p.features];
    p.set = Int32Array.from(pool.subarray(p.features + 1, p.features + 1 + n), (f) => rank[f]).sort();
  }
}

/** A copy of `a` with room for at least `least` values. */
function grown(a: Int32Array, least: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(least, a.length * 2));
  b.set(a);
  return b;
}

/** The feature set of a work, as a view into the build's pool. */
function setOf(st: State, w: Work): Int32Array {
  const { pool, start, len } = st.sets;
  const no = w.text.setNo;
  return pool.subarray(start[no], start[no] + len[no]);
}

function sameIds(pool: Int32Array, a: number, na: number, b: number, nb: number): boolean {
  if (na !== nb) return false;
  for (let k = 0; k < na; k++) if (pool[a + k] !== pool[b + k]) return false;
  return true;
}

// --- 3. Candidate groups: similar pairs from one similarity join per area, linked into groups ------------------

// Two works may be one task when their Jaccard similarity reaches the threshold, their numbers and quoted names
// (markers) are the same, and they come from different agencies or are one agency's identical texts.

function findCandidates(st: State): void {
  for (const area of st.areas.values()) {
    const works = area.works;
    const groups = linkSimilar(works, st.threshold, st.sets);
    for (const { members: idx, minSim, maxSim } of groups) {
      const list = idx.map((i) => works[i]);
      const group: CandidateGroup = {
        id: groupId(list),
        area: area.area,
        members: list.map(memberOf),
        minSimilarity: round3(minSim),
        maxSimilarity: round3(maxSim),
        identical: list.every((w) => foldedOf(w) === foldedOf(list[0])),
      };
      st.candidates.push(group);
      st.candidateWorks.set(group, list);
    }
  }
}

/** A group member as first made (refOf's fields, then `at` and `differs`): one literal, not a spread of refOf's. */
function memberOf(w: Work): CandidateGroup['members'][number] {
  const { key, task, area, source } = w.out;
  return { key, task, area, source, at: '', differs: [] };
}

/**
 * The links of one area's works: a union-find over them, the least and greatest similarity of each component's
 * links, and the buckets (works with the same feature set and the same numbers/names, one entry in the similarity
 * join). It takes the join's pairs as they are found, and tells the join which candidates cannot change anything,
 * so that they are not verified: on a province's annexes nine in ten candidates are two texts of one family of a
 * shared task whose buckets are already linked, within the similarity range their component already has.
 */
class AreaLinks implements PairSink {
  readonly parent: Int32Array;
  /** Per component root: the least and greatest similarity of its links so far (Infinity and -1: none). */
  readonly compMin: Float64Array;
  readonly compMax: Float64Array;
  /** Per bucket: its markers and agency as numbers of this area (agency -1: two agencies or more). */
  private readonly markers: Int32Array;
  private readonly agency: Int32Array;
  /** Per bucket: its first work, whether every member is in one component, the next bucket of its set (-1: none). */
  private readonly first: Int32Array;
  private readonly joined: Uint8Array;
  private readonly next: Int32Array;
  /** Per bucket: its works, in order. */
  readonly members: number[][] = noRows();
  /** Per set of the area: its first and last bucket (-1: none). */
  private readonly firstOfSet: Int32Array;
  private readonly lastOfSet: Int32Array;

  constructor(works: number) {
    this.parent = new Int32Array(works);
    for (let i = 0; i < works; i++) this.parent[i] = i;
    this.compMin = new Float64Array(works).fill(Infinity);
    this.compMax = new Float64Array(works).fill(-1);
    this.markers = new Int32Array(works);
    this.agency = new Int32Array(works);
    this.first = new Int32Array(works);
    this.joined = new Uint8Array(works);
    this.next = new Int32Array(works);
    this.firstOfSet = new Int32Array(works).fill(-1);
    this.lastOfSet = new Int32Array(works).fill(-1);
  }

  find(i: number): number {
    const parent = this.parent;
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  }

  union(i: number, j: number): void {
    const a = this.find(i);
    const b = this.find(j);
    if (a === b) return;
    const root = Math.min(a, b);
    const other = Math.max(a, b);
    this.parent[other] = root;
    if (this.compMin[other] < this.compMin[root]) this.compMin[root] = this.compMin[other];
    if (this.compMax[other] > this.compMax[root]) this.compMax[root] = this.compMax[other];
  }

  /** A link from work `from`, already in its component. */
  link(from: number, sim: number): void {
    const r = this.find(from);
    if (sim < this.compMin[r]) this.compMin[r] = sim;
    if (sim > this.compMax[r]) this.compMax[r] = sim;
  }

  /** Work `i`, of set `set` of the area, into the bucket of that set with its markers (made when new). */
  addToBucket(set: number, i: number, markers: number, agency: number): void {
    let b = this.firstOfSet[set];
    while (b >= 0 && this.markers[b] !== markers) b = this.next[b];
    if (b < 0) {
      b = this.members.length;
      this.members.push([]);
      this.markers[b] = markers;
      this.agency[b] = agency;
      this.first[b] = i;
      this.next[b] = -1;
      if (this.lastOfSet[set] >= 0) this.next[this.lastOfSet[set]] = b;
      else this.firstOfSet[set] = b;
      this.lastOfSet[set] = b;
    }
    this.members[b].push(i);
    if (this.agency[b] >= 0 && this.agency[b] !== agency) this.agency[b] = -1;
  }

  /** Inside a bucket every pair has similarity 1: of two agencies or more, it is one component; of one, its identical texts pair. */
  linkBuckets(works: Work[]): void {
    for (let b = 0; b < this.members.length; b++) {
      const members = this.members[b];
      if (members.length < 2) continue;
      if (this.agency[b] < 0) {
        this.joinAll(b);
        this.link(members[0], 1);
        continue;
      }
      const firstOfText = new Map<string, number>();
      for (const i of members) {
        const first = firstOfText.get(foldedOf(works[i]));
        if (first === undefined) firstOfText.set(foldedOf(works[i]), i);
        else {
          this.union(first, i);
          this.link(i, 1);
        }
      }
    }
  }

  private joinAll(b: number): void {
    if (this.joined[b]) return;
    this.joined[b] = 1;
    const members = this.members[b];
    for (const i of members) this.union(members[0], i);
  }

  // Between buckets the texts differ, so a pair of works links when their markers agree and their agencies differ:
  // buckets link as wholes unless both hold one and the same agency.

  settled(x: number, y: number, least: number, most: number): boolean {
    for (let b = this.firstOfSet[x]; b >= 0; b = this.next[b])
      for (let c = this.firstOfSet[y]; c >= 0; c = this.next[c]) {
        if (this.markers[b] !== this.markers[c]) continue;
        if (this.agency[b] >= 0 && this.agency[b] === this.agency[c]) continue;
        if (!this.joined[b] || !this.joined[c]) return false;
        const r = this.find(this.first[b]);
        if (r !== this.find(this.first[c]) || this.compMin[r] > least || this.compMax[r] < most) return false;
      }
    return true;
  }

  add(x: number, y: number, sim: number): void {
    for (let b = this.firstOfSet[x]; b >= 0; b = this.next[b])
      for (let c = this.firstOfSet[y]; c >= 0; c = this.next[c]) {
        if (this.markers[b] !== this.markers[c]) continue;
        if (this.agency[b] >= 0 && this.agency[b] === this.agency[c]) continue;
        this.joinAll(b);
        this.joinAll(c);
        this.union(this.first[b], this.first[c]);
        this.link(this.first[b], sim);
      }
  }
}

/**
 * An empty array of rows that is already of the elements kind an array holding arrays has. An empty literal starts
 * as one of small integers and changes kind at its first row: code compiled for the first area's array (addToBucket,
 * and linkSimilar, which inlines it) was thrown away at the next area's first row, and compiled again.
 */
function noRows(): number[][] {
  const rows = [NO_ROW];
  rows.pop();
  return rows;
}
const NO_ROW: number[] = [];

/**
 * The candidate groups of one area: pairs of works that may be one task (see above), linked
 * into components (union-find), each with the least and greatest similarity of its links.
 *
 * Same result as comparing every pair, without doing so: national roll-ups repeat the same provincial texts
 * thousands of times, and all-pairs over those is quadratic. Works with identical feature sets and markers are
 * bucketed first (their pairs all have similarity 1, and whether they may be one depends only on agencies and
 * folded text), then one similarity join runs over the distinct sets, and bucket pairs are linked as wholes. Only
 * the components and their similarity ranges are kept, which no order of the links changes, and a link within a
 * component's range between works already in it changes neither: the join skips verifying those.
 */
function linkSimilar(
  works: Work[],
  threshold: number,
  all: PackedSets,
): { members: number[]; minSim: number; maxSim: number }[] {
  // Each long loop in a function of its own, this one only calling them: its first call (the first area) was
  // compiled by on-stack replacement in the middle of the first loop, and the code after it, without feedback yet,
  // was thrown away each time an area reached it (the same compiled code, entered again by the next area's loop).
  const links = new AreaLinks(works.length);
  const sets = bucketWorks(links, works, all);
  // 2. Inside a bucket every pair has similarity 1.
  links.linkBuckets(works);
  // 3. Similar distinct sets, linked as the join finds them.
  similarPairs(
    {
      pool: all.pool,
      start: Int32Array.from(sets, (no) => all.start[no]),
      len: Int32Array.from(sets, (no) => all.len[no]),
    },
    threshold,
    links,
  );
  return componentsOf(links, works.length);
}

/**
 * 1. Buckets by (feature set, markers), into `links`; returns the distinct feature sets they share (the area's sets:
 * numbers in the build, by index here).
 */
function bucketWorks(links: AreaLinks, works: Work[], all: PackedSets): number[] {
  const sets: number[] = [];
  /** Per set of the build: its index in `sets`, or -1. */
  const localSet = new Int32Array(all.len.length).fill(-1);
  // Markers and agencies as numbers of this area, compared in the join's loops.
  const markerNo = new Map<string, number>();
  const agencyNo = new Map<string, number>();
  for (let i = 0; i < works.length; i++) {
    const w = works[i];
    const no = w.text.setNo;
    // Very short texts ("Khác") say too little to group on.
    if (all.len[no] < 2) continue;
    let s = localSet[no];
    if (s < 0) {
      localSet[no] = s = sets.length;
      sets.push(no);
    }
    let markers = markerNo.get(w.text.markers);
    if (markers === undefined) markerNo.set(w.text.markers, (markers = markerNo.size));
    let agency = agencyNo.get(agencyOf(w));
    if (agency === undefined) agencyNo.set(agencyOf(w), (agency = agencyNo.size));
    links.addToBucket(s, i, markers, agency);
  }
  return sets;
}

/**
 * 4. Components with at least one link, in work order, with their similarity range (kept per root as the links
 * were made). A component counts once a link of it is above 0 (as it always has); its root is its first work.
 */
function componentsOf(links: AreaLinks, works: number): { members: number[]; minSim: number; maxSim: number }[] {
  const { compMin, compMax } = links;
  const groups: { members: number[]; minSim: number; maxSim: number }[] = [];
  const groupOf = new Int32Array(works).fill(-1);
  for (let i = 0; i < works; i++) {
    const r = links.find(i);
    if (compMax[r] <= 0) continue;
    if (r === i) {
      groupOf[r] = groups.length;
      groups.push({ members: [i], minSim: compMin[r], maxSim: compMax[r] });
    } else groups[groupOf[r]].members.push(i);
  }
  return groups;
}

/** A group's id from its members' agencies and texts: the same tasks give the same id in every build. */
function groupId(members: Work[]): string {
  // The members' identities (identity(): agency, U+0001, folded text) in sorted order, hashed unit by unit. Without
  // making them: sorting by agency, then folded text, is the same order when no agency has a unit below U+0002 (a
  // shorter agency that begins a longer one sorts first either way), and the hash reads the two parts and U+0001.
  for (const w of members) if (hasLowUnit(agencyOf(w))) return groupIdOfKeys(members.map(identityOf).sort());
  const sorted = members.slice().sort(byIdentity);
  let h = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const w of sorted) {
    const agency = agencyOf(w);
    for (let i = 0; i < agency.length; i++) {
      const c = agency.charCodeAt(i);
      h = Math.imul(h ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
    h = Math.imul(h ^ 1, 0x01000193);
    h2 = Math.imul(h2 ^ 1, 0x5bd1e995);
    const folded = foldedOf(w);
    for (let i = 0; i < folded.length; i++) {
      const c = folded.charCodeAt(i);
      h = Math.imul(h ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
  }
  return `g${(h >>> 0).toString(36)}${(h2 >>> 0).toString(36)}`;
}

function byIdentity(a: Work, b: Work): number {
  const x = agencyOf(a);
  const y = agencyOf(b);
  if (x !== y) return x < y ? -1 : 1;
  const f = foldedOf(a);
  const g = foldedOf(b);
  return f < g ? -1 : f > g ? 1 : 0;
}

function hasLowUnit(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 2) return true;
  return false;
}

/** groupId from the identities themselves, sorted. */
function groupIdOfKeys(keys: string[]): string {
  let h = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const k of keys)
    for (let i = 0; i < k.length; i++) {
      const c = k.charCodeAt(i);
      h = Math.imul(h ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
  return `g${(h >>> 0).toString(36)}${(h2 >>> 0).toString(36)}`;
}

// --- 4. A reviewer's decisions ----------------------------------------------------------------------------------

function applyDecisions(st: State): void {
  const decisions = st.ctx.decisions ?? [];
  if (!decisions.length) return;
  const byIdentity = new Map<string, Work[]>();
  for (const w of st.all) {
    const k = identityOf(w);
    const list = byIdentity.get(k);
    if (list) list.push(w);
    else byIdentity.set(k, [w]);
  }
  const decidedSets = new Map<string, 'merge' | 'apart'>();
  const order = new Map<Work, number>();
  st.all.forEach((w, i) => order.set(w, i));
  for (const d of decisions) {
    const found: Work[] = [];
    const missing: DecisionMember[] = [];
    for (const m of d.members) {
      const w = byIdentity.get(identity(m.agencyId, foldKey(m.task)))?.find((x) => !found.includes(x));
      if (w) found.push(w);
      else missing.push(m);
    }
    if (missing.length) {
      st.stale.push({ decision: d, missing });
      continue;
    }
    decidedSets.set(groupId(found), d.action);
    if (d.action !== 'merge' || found.length < 2 || found.some((w) => w.mergedInto || st.merges.has(w))) continue;
    // The first in report order is the row; the others are merged into it.
    const [row, ...rest] = found.slice().sort((a, b) => order.get(a)! - order.get(b)!);
    mergeInto(st, row, rest);
    st.merges.set(row, [row, ...rest]);
  }
  for (const g of st.candidates) {
    const decided = decidedSets.get(g.id);
    if (decided) g.decision = decided;
  }
}

/** One row for tasks a reviewer merged: every lead and coordinating agency, every product, each one's timeline. */
function mergeInto(st: State, row: Work, rest: Work[]): void {
  const out = row.out;
  const all = [row, ...rest];
  out.lead = dedupe(all.flatMap((w) => w.out.lead));
  const leads = new Set(out.lead.map(consolidatedAgencyKey));
  out.support = dedupe(all.flatMap((w) => w.out.support)).filter((a) => !leads.has(consolidatedAgencyKey(a)));
  out.products = all.flatMap((w) => w.out.products);
  out.timelines = all.map((w) => ({ agencyName: w.out.source.agencyName, timeline: w.out.timeline }));
  const dues = all
    .map((w) => w.out.due)
    .filter((d): d is string => !!d)
    .sort();
  out.due = dues[dues.length - 1];
  for (const w of rest) {
    w.mergedInto = row;
    out.duplicates.push({ ...refOf(w), similarity: round3(jaccardSorted(setOf(st, row), setOf(st, w))) });
  }
}

// --- 5. Sections in Nghị quyết 76 order, unknown areas last, numbered per area ---------------------------------

function numberSections(st: State): void {
  const sorted = [...st.areas.values()].sort((a, b) => areaRank(a.area) - areaRank(b.area)); // stable
  for (const g of sorted) {
    const rows = g.works.filter((w) => !w.mergedInto);
    if (!rows.length) continue;
    const numeral = toRoman(st.sections.length + 1);
    g.numeral = numeral;
    rows.forEach((w, i) => (w.out.number = String(i + 1)));
    st.sections.push({ numeral, title: g.title, area: g.area, tasks: rows.map((w) => w.out) });
  }
  for (const row of st.merges.keys()) {
    const numeral = row.group.numeral!;
    st.duplicates.push({
      kept: { ...refOf(row), number: row.out.number, sectionNumeral: numeral },
      merged: row.out.duplicates,
    });
  }
  for (const w of st.all) st.perAgency.get(agencyOf(w))![w.mergedInto ? 'merged' : 'kept']++;
}

/** Where each member stands, and the words that set it apart from the others. */
function describeCandidates(st: State): void {
  for (const g of st.candidates) {
    const works = st.candidateWorks.get(g)!;
    const shared = sharedWords(works);
    // A group of a province's shared task holds the same text a hundred times: its words are folded once. Found
    // by the text's entry (one per distinct text), not the text: each agency's copy of a text is a string of its
    // own, hashed and compared whole by a Map of strings.
    const byText = new Map<TextInfo, string[]>();
    const members = g.members;
    for (let i = 0; i < members.length; i++) {
      const m = members[i];
      const w = works[i];
      m.at = atOf(w) ?? '';
      const known = byText.get(w.text);
      if (known) {
        m.differs = known.slice();
        continue;
      }
      m.differs = w.out.task.split(/\s+/).filter((word) => {
        const k = foldKey(word);
        return k !== '' && !shared.has(k);
      });
      byText.set(w.text, m.differs);
    }
  }
}

/**
 * The words (of the folded texts) every member has. Over the group's distinct texts only, each tested for the
 * words still shared and stopping once none is: a group of a province's shared tasks holds a thousand members
 * and a few hundred texts, and a word set per member was most of describing it. A folded text is words parted by
 * single spaces, so a word is in it when found with a space or an end on each side.
 */
function sharedWords(works: Work[]): Set<string> {
  const seen = new Set<TextInfo>();
  let words: string[] | undefined;
  // An index loop, not for-of: leaving a for-of early closes its iterator, a path the optimiser has no feedback
  // for until the first group whose texts share no word, so the compiled function was thrown away there.
  for (let i = 0; i < works.length; i++) {
    const w = works[i];
    if (seen.has(w.text)) continue;
    seen.add(w.text);
    const folded = foldedOf(w);
    if (words === undefined) {
      words = [...new Set(folded.split(' '))].filter((word) => word !== '');
      continue;
    }
    let kept = 0;
    for (let k = 0; k < words.length; k++) if (hasWord(folded, words[k])) words[kept++] = words[k];
    words.length = kept;
    if (kept === 0) break;
  }
  return new Set(words);
}

/** Whether `word` is one of the space-parted words of `text`. */
function hasWord(text: string, word: string): boolean {
  const n = word.length;
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    if ((at === 0 || text.charCodeAt(at - 1) === 32) && (at + n === text.length || text.charCodeAt(at + n) === 32))
      return true;
  }
  return false;
}

// --- 6. Coverage of the provincial plan, and lead conflicts --------------------------------------------------

function claimsLead(w: Work): boolean {
  return w.out.lead.some((a) => a.id === agencyOf(w) || foldKey(a.name) === foldKey(w.out.source.agencyName));
}

function checkCoverage(st: State): void {
  const { ctx, plan } = st;
  if (!ctx.planAnnex) return;
  const index = new SimilarityIndex<PlanWork>(ctx.coverageThreshold ?? 0.4);
  for (const p of plan) if (p.set!.length) index.add(p.set!, p);
  for (const w of st.all) {
    const hits = index.query(
      setOf(st, w),
      (p) => p.ref.area === null || w.out.area === null || p.ref.area === w.out.area,
    );
    for (const h of hits) h.value.takenUpBy.push({ ...refOf(w), similarity: round3(h.similarity) });
    if (hits[0]) hits[0].value.best.push(w);
  }
  st.coverage = {
    planTasks: plan.length,
    covered: plan.filter((p) => p.takenUpBy.length).length,
    uncovered: plan.filter((p) => !p.takenUpBy.length).map((p) => p.ref),
    items: plan.map((p) => ({ planTask: p.ref, takenUpBy: p.takenUpBy })),
  };
  for (const p of plan) {
    const claims = leadClaims(p.best);
    if (!claims.length) continue;
    const planLeads = p.ref.lead.filter((a) => a.kind === 'agency');
    const planKeys = new Set(planLeads.map(consolidatedAgencyKey));
    const outsider = claims.some(
      (c) => !planKeys.has(c.agencyId!) && !planLeads.some((a) => foldKey(a.name) === foldKey(c.agencyName)),
    );
    if (claims.length >= 2 || (planLeads.length > 0 && outsider)) {
      const planClaims: LeadClaim[] = planLeads.map((a) => ({ agencyId: a.id, agencyName: a.name, by: 'plan' }));
      st.conflicts.push({ task: p.ref.task, area: p.ref.area, planTask: p.ref, claims: [...planClaims, ...claims] });
    }
  }
}

function leadClaims(works: Work[]): LeadClaim[] {
  const claims: LeadClaim[] = [];
  const claimed = new Set<string>();
  for (const w of works) {
    const agency = agencyOf(w);
    if (!claimsLead(w) || claimed.has(agency)) continue;
    claimed.add(agency);
    claims.push({ agencyId: agency, agencyName: w.out.source.agencyName, by: 'submission', task: refOf(w) });
  }
  return claims;
}

/** A merged row whose agencies each planned to lead it: one provincial task with several leads to settle. */
function findLeadConflicts(st: State): void {
  for (const [row, members] of st.merges) {
    const claims = leadClaims(members);
    if (claims.length >= 2) st.conflicts.push({ task: row.out.task, area: row.out.area, claims });
  }
}

// --- 7. Summary over the report's rows -----------------------------------------------------------------------

function result(st: State): Consolidated {
  const { ctx, sections } = st;
  const quarters = new Map<number, { key: string; year: number; quarter: number; tasks: number }>();
  let recurring = 0;
  let conditional = 0;
  let undated = 0;
  const overdue: OverdueTask[] = [];
  for (const s of sections) {
    for (const t of s.tasks) {
      const kind = t.timelineKind;
      let q: number;
      if (kind === 'recurring') recurring++;
      else if (kind === 'conditional') conditional++;
      else if (t.due && (q = quarterOf(t.due)) >= 0) {
        let e = quarters.get(q);
        if (!e) {
          const year = Math.floor(q / 100);
          const quarter = q - year * 100;
          quarters.set(q, (e = { key: `${year}-Q${quarter}`, year, quarter, tasks: 0 }));
        }
        e.tasks++;
        if (ctx.today && t.due < ctx.today && !t.done) {
          t.overdue = true;
          overdue.push({
            key: t.key,
            task: t.task,
            area: t.area,
            source: t.source,
            number: `${s.numeral}.${t.number}`,
            due: t.due,
          });
        }
      } else undated++;
    }
  }
  const summary: ConsolidationSummary = {
    byArea: sections.map((s) => ({ area: s.area, title: s.title, tasks: s.tasks.length })),
    byAgency: [...st.perAgency.values()],
    byQuarter: [...quarters.values()].sort((a, b) => a.year - b.year || a.quarter - b.quarter),
    recurring,
    conditional,
    undated,
    overdue: overdue.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0)),
  };
  const tasks = sections.reduce((n, s) => n + s.tasks.length, 0);
  const duplicatesMerged = st.duplicates.reduce((n, g) => n + g.merged.length, 0);
  return {
    meta: {
      province: ctx.province,
      provinceName: provinceName(ctx),
      date: ctx.date,
      today: ctx.today,
      planYear: st.planYear,
      inputs: st.inputs,
      duplicateThreshold: st.threshold,
      coverageThreshold: ctx.coverageThreshold ?? 0.4,
    },
    sections,
    duplicates: st.duplicates,
    candidates: st.candidates,
    staleDecisions: st.stale,
    conflicts: st.conflicts,
    coverage: st.coverage,
    summary,
    stats: {
      inputTasks: st.all.length,
      tasks,
      duplicatesMerged,
      candidateGroups: st.candidates.length,
      pendingGroups: st.candidates.filter((g) => !g.decision).length,
      agencies: st.perAgency.size,
      conflicts: st.conflicts.length,
      uncovered: st.coverage?.uncovered.length ?? 0,
    },
  };
}

/** The task's timeline kind, or, when its own cell is empty, what its products' timelines say. */
function effectiveKind(t: Timeline, products: ConsolidatedProduct[], due: string | undefined): Timeline['kind'] {
  if (t.kind !== 'empty') return t.kind;
  if (due) return 'date';
  // The first of PRODUCT_KINDS any product has. A loop, no arrays or set: most tasks have no products, and the
  // empty arrays map and filter made were of another kind than the ones the warm-up saw (compiled code thrown away).
  let first: number = PRODUCT_KINDS.length;
  for (let i = 0; i < products.length; i++) {
    const kind = products[i].timeline?.kind;
    const at = kind ? PRODUCT_KINDS.indexOf(kind) : -1;
    if (at >= 0 && at < first) first = at;
  }
  return first < PRODUCT_KINDS.length ? PRODUCT_KINDS[first] : 'empty';
}

const PRODUCT_KINDS: readonly Timeline['kind'][] = ['recurring', 'conditional', 'period', 'unknown'];

function provinceName(ctx: ConsolidationContext): string | undefined {
  const dir = ctx.directory;
  if (!ctx.province || !dir || typeof dir.provinces !== 'function') return undefined;
  return dir.provinces().find((p) => p.id === ctx.province)?.name;
}

function dedupe(list: ConsolidatedAgency[]): ConsolidatedAgency[] {
  if (list.length <= 1) return list;
  const seen = new Set<string>();
  return list.filter((a) => {
    const k = consolidatedAgencyKey(a);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** All tasks of an annex, for callers that only need a count. */
export function annexTaskCount(annex: Annex): number {
  return annex.sections.reduce((n, s) => n + s.tasks.length, 0);
}
