// Three-way merge of annex versions for two-way sync: base (the server version the officer edited from),
// mine (the officer's sheet) and theirs (the newer server version a colleague submitted). Tasks are matched
// by stable id when both sides carry one, else by folded task text, then by word similarity; never by
// number, so sorting, inserting and renumbering do not break matching. Pure: plain data in and out.
import type { AgencyRef, Annex, AreaCode, Meta, Product, Section, Task } from '../model.js';
import { foldKey } from '../normalize/text.js';
import { toRoman } from '../vocab/index.js';
import { jaccardSets, taskFeatures } from './similarity.js';

// Plain JSON data only; structuredClone is missing in the Apps Script runtime the Sheets add-on bundles this into.
const cloneData = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

export const MERGE_FIELDS = [
  'task',
  'section',
  'products',
  'lead',
  'support',
  'timeline',
  'monitor',
  'approval',
  'note',
  'extra',
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

export type MergeStatus =
  | 'unchanged'
  | 'mine'
  | 'theirs'
  | 'both-same'
  /** Both sides changed different fields; combined without conflict. */
  | 'merged'
  | 'conflict'
  | 'added-mine'
  | 'added-theirs'
  | 'deleted-mine'
  | 'deleted-theirs'
  | 'delete-edit-conflict';

export type MergeSide = 'base' | 'mine' | 'theirs';

export interface FieldMerge {
  base?: string;
  mine?: string;
  theirs?: string;
  /** The merged value when it needs no choice. */
  merged?: string;
  /** Which side the merged value comes from. */
  from?: MergeSide;
  conflict: boolean;
}

export interface MergeTaskAt {
  number: string;
  sectionKey: string;
  sectionNumeral: string;
  sectionTitle: string;
  area: AreaCode | null;
  sheet: string;
  row: number;
  /** Position in the side's task order (0-based, across sections). */
  index: number;
}

export interface MergeEntry {
  /** Unique within the result: "id:<task id>" when a side carries an id, else a side-and-position key. */
  key: string;
  /** The id the merged task keeps. */
  id?: string;
  status: MergeStatus;
  /** Task text for display (mine's, else theirs', else base's). */
  title: string;
  /** How mine and theirs were matched to base (or to each other for tasks added on both sides). */
  match: { mine?: 'id' | 'text' | 'similar'; theirs?: 'id' | 'text' | 'similar' };
  at: Partial<Record<MergeSide, MergeTaskAt>>;
  /** Fields that have a value on some side, or that changed (none for unchanged tasks). */
  fields: Partial<Record<MergeField, FieldMerge>>;
  conflicts: MergeField[];
  /** True when the entry needs the officer's choice (conflict, delete-edit-conflict). */
  needsChoice: boolean;
  /** The task on each side (for unchanged tasks only mine's: the others are the same). */
  base?: Task;
  mine?: Task;
  theirs?: Task;
}

export interface MergeSection {
  key: string;
  numeral: string;
  title: string;
  area: AreaCode | null;
  /** Side the section's title and numeral were taken from. */
  from: MergeSide;
  /** True when the side the order follows has it (kept even when empty). */
  primary: boolean;
}

export interface MergeResult {
  /** Entries in merged order. */
  entries: MergeEntry[];
  sections: MergeSection[];
  /** Meta of mine (the officer's document). */
  meta: Meta;
  /** Side whose task order the merge follows: theirs only when mine kept base's order and theirs changed it. */
  orderFrom: 'mine' | 'theirs';
  /** Numbering style of the side the order follows: one sequence across sections, or 1.. per section. */
  numbering: 'continuous' | 'per-section';
  stats: Record<MergeStatus, number>;
  /** Entries that need a choice. */
  conflicts: number;
  clean: boolean;
}

export type TaskChoice = 'mine' | 'theirs' | 'base' | { fields: Partial<Record<MergeField, MergeSide>> };

export interface MergeOptions {
  /** Word-set similarity (Jaccard, 0–1) from which two reworded tasks count as the same task. Default 0.5. */
  similarity?: number;
}

/** Thrown by resolveMerge when conflicts are left without a choice; lists them. */
export class MergeUnresolvedError extends Error {
  readonly code = 'sync.unresolved';
  constructor(readonly unresolved: { key: string; title: string; status: MergeStatus; fields: MergeField[] }[]) {
    super(
      `Còn ${unresolved.length} nhiệm vụ xung đột chưa chọn cách giải quyết: ` +
        unresolved
          .slice(0, 5)
          .map((u) => `"${u.title.slice(0, 60)}"${u.fields.length ? ` (${u.fields.join(', ')})` : ''}`)
          .join('; ') +
        '. Chọn "Giữ bản của tôi", "Lấy bản trên máy chủ" hoặc chọn từng trường.',
    );
    this.name = 'MergeUnresolvedError';
  }
}

// ---------------------------------------------------------------------------------------------
// Items and field values
// ---------------------------------------------------------------------------------------------

interface Item {
  side: MergeSide;
  task: Task;
  section: Section;
  sectionKey: string;
  index: number;
  /** The id when it is the first occurrence on its side (a pasted copy of a row carries a duplicate id). */
  id?: string;
  text: string;
  features?: Set<string>;
}

export function sectionKey(s: Pick<Section, 'area' | 'title'>): string {
  return s.area ?? `title:${foldKey(s.title)}`;
}

function items(annex: Annex, side: MergeSide): Item[] {
  const out: Item[] = [];
  const seen = new Set<string>();
  for (const section of annex.sections) {
    const key = sectionKey(section);
    for (const task of section.tasks) {
      const id = task.id && !seen.has(task.id) ? task.id : undefined;
      if (id) seen.add(id);
      out.push({ side, task, section, sectionKey: key, index: out.length, id, text: foldKey(task.task) });
    }
  }
  return out;
}

const norm = (s: string | undefined) => (s ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
const agencyKey = (r: AgencyRef) => r.successor?.id ?? r.id ?? `text:${foldKey(r.text)}`;
const agencyDisplay = (refs: AgencyRef[] | undefined) => (refs ?? []).map((r) => r.name ?? r.text).join('; ');
const agencySetKey = (refs: AgencyRef[] | undefined) => [...new Set((refs ?? []).map(agencyKey))].sort().join('|');

function productDisplay(p: Product): string {
  return norm(p.number && !p.text.startsWith(p.number) ? `${p.number} ${p.text}` : p.text);
}
// Product numbers ("1.2.") follow the task number, so they are left out of the comparison key.
// A product on the task's own row shares its agency and timeline cells with the task: compared there only.
const productKey = (p: Product, t: Task) => {
  const text = norm(p.text).replace(/^\d+(?:\.\d+)*\.?\s*/, '');
  return JSON.stringify(
    p.source.row === t.source.row
      ? [text]
      : [text, agencySetKey(p.lead), agencySetKey(p.support), norm(p.timeline?.text)],
  );
};

function fieldValue(it: Item, f: MergeField): { display: string; key: string } {
  const t = it.task;
  switch (f) {
    case 'task':
      return { display: norm(t.task), key: norm(t.task) };
    case 'section':
      return { display: norm(it.section.title), key: it.sectionKey };
    case 'products':
      return {
        display: t.products.map(productDisplay).join('\n'),
        key: t.products.map((p) => productKey(p, t)).join('\n'),
      };
    case 'lead':
    case 'support':
    case 'monitor':
      return { display: agencyDisplay(t[f]), key: agencySetKey(t[f]) };
    case 'timeline':
      return { display: norm(t.timeline?.text), key: norm(t.timeline?.text) };
    case 'approval':
    case 'note':
      return { display: norm(t[f]), key: norm(t[f]) };
    case 'extra': {
      const e = Object.entries(t.extra ?? {})
        .map(([k, v]) => [norm(k), norm(v)] as const)
        .filter(([, v]) => v)
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return { display: e.map(([k, v]) => `${k}: ${v}`).join('; '), key: JSON.stringify(e) };
    }
  }
}

function at(it: Item): MergeTaskAt {
  return {
    number: it.task.number,
    sectionKey: it.sectionKey,
    sectionNumeral: it.section.numeral,
    sectionTitle: it.section.title,
    area: it.section.area,
    sheet: it.task.source.sheet,
    row: it.task.source.row,
    index: it.index,
  };
}

// ---------------------------------------------------------------------------------------------
// Matching: id, then exact folded text, then word similarity (best first, nearest position on ties)
// ---------------------------------------------------------------------------------------------

type How = 'id' | 'text' | 'similar';

function featuresOf(it: Item): Set<string> {
  it.features ??= new Set(taskFeatures(it.task.task));
  return it.features;
}

/** Two items may pair unless both carry ids and the ids differ (then they are different tasks). */
const compatible = (a: Item, b: Item) => !(a.id && b.id && a.id !== b.id);

function match(a: Item[], b: Item[], threshold: number): Map<Item, { item: Item; how: How }> {
  const out = new Map<Item, { item: Item; how: How }>();
  const usedB = new Set<Item>();
  const pair = (x: Item, y: Item, how: How) => {
    out.set(x, { item: y, how });
    usedB.add(y);
  };
  const byId = new Map<string, Item>();
  for (const y of b) if (y.id) byId.set(y.id, y);
  for (const x of a) {
    const y = x.id ? byId.get(x.id) : undefined;
    if (y) pair(x, y, 'id');
  }
  // Exact text: the candidate nearest in position wins (a task listed twice pairs in order).
  const byText = new Map<string, Item[]>();
  for (const y of b) {
    if (usedB.has(y) || !y.text) continue;
    const list = byText.get(y.text);
    if (list) list.push(y);
    else byText.set(y.text, [y]);
  }
  for (const x of a) {
    if (out.has(x) || !x.text) continue;
    const cands = (byText.get(x.text) ?? []).filter((y) => !usedB.has(y) && compatible(x, y));
    if (!cands.length) continue;
    cands.sort((p, q) => Math.abs(p.index - x.index) - Math.abs(q.index - x.index));
    pair(x, cands[0], 'text');
  }
  // Reworded tasks: all remaining pairs above the threshold, best first.
  const restA = a.filter((x) => !out.has(x));
  const restB = b.filter((y) => !usedB.has(y));
  const cands: { x: Item; y: Item; s: number }[] = [];
  for (const x of restA) {
    for (const y of restB) {
      if (!compatible(x, y)) continue;
      const s = jaccardSets(featuresOf(x), featuresOf(y));
      if (s >= threshold - 1e-9) cands.push({ x, y, s });
    }
  }
  cands.sort(
    (p, q) => q.s - p.s || Math.abs(p.x.index - p.y.index) - Math.abs(q.x.index - q.y.index) || p.x.index - q.x.index,
  );
  for (const c of cands) {
    if (out.has(c.x) || usedB.has(c.y)) continue;
    pair(c.x, c.y, 'similar');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The merge
// ---------------------------------------------------------------------------------------------

function emptyStats(): Record<MergeStatus, number> {
  return {
    unchanged: 0,
    mine: 0,
    theirs: 0,
    'both-same': 0,
    merged: 0,
    conflict: 0,
    'added-mine': 0,
    'added-theirs': 0,
    'deleted-mine': 0,
    'deleted-theirs': 0,
    'delete-edit-conflict': 0,
  };
}

function numberingOf(annex: Annex): 'continuous' | 'per-section' {
  const withTasks = annex.sections.filter((s) => s.tasks.length);
  if (withTasks.length < 2) return 'per-section';
  return withTasks.slice(1).some((s) => /^\d+$/.test(s.tasks[0].number) && s.tasks[0].number !== '1')
    ? 'continuous'
    : 'per-section';
}

export function threeWayMerge(base: Annex, mine: Annex, theirs: Annex, options: MergeOptions = {}): MergeResult {
  const threshold = options.similarity ?? 0.5;
  const B = items(base, 'base');
  const M = items(mine, 'mine');
  const T = items(theirs, 'theirs');
  const bm = match(B, M, threshold);
  const bt = match(B, T, threshold);
  const usedM = new Set([...bm.values()].map((v) => v.item));
  const usedT = new Set([...bt.values()].map((v) => v.item));
  const mt = match(
    M.filter((x) => !usedM.has(x)),
    T.filter((y) => !usedT.has(y)),
    threshold,
  );
  const pairedT = new Set([...mt.values()].map((v) => v.item));

  type Triple = { b?: Item; m?: Item; t?: Item; how: MergeEntry['match'] };
  const triples: Triple[] = [];
  for (const b of B) {
    const m = bm.get(b);
    const t = bt.get(b);
    triples.push({
      b,
      m: m?.item,
      t: t?.item,
      how: { ...(m ? { mine: m.how } : {}), ...(t ? { theirs: t.how } : {}) },
    });
  }
  for (const m of M) {
    if (usedM.has(m)) continue;
    const t = mt.get(m);
    triples.push({ m, t: t?.item, how: t ? { theirs: t.how } : {} });
  }
  for (const t of T) if (!usedT.has(t) && !pairedT.has(t)) triples.push({ t, how: {} });

  const usedKeys = new Set<string>();
  const entries: MergeEntry[] = [];
  const entryOf = new Map<Item, MergeEntry>();
  for (const tr of triples) {
    const e = buildEntry(tr.b, tr.m, tr.t, tr.how, usedKeys);
    entries.push(e);
    for (const it of [tr.b, tr.m, tr.t]) if (it) entryOf.set(it, e);
  }

  // Order: mine's, unless mine kept base's order of the common tasks and theirs changed it.
  const common = entries.filter((e) => e.at.base && e.at.mine && e.at.theirs);
  const seq = (side: MergeSide) =>
    [...common]
      .sort((x, y) => x.at[side]!.index - y.at[side]!.index)
      .map((e) => e.key)
      .join('\n');
  const baseSeq = seq('base');
  const orderFrom: 'mine' | 'theirs' = seq('mine') === baseSeq && seq('theirs') !== baseSeq ? 'theirs' : 'mine';
  const other: MergeSide = orderFrom === 'mine' ? 'theirs' : 'mine';
  const bySide: Record<MergeSide, Item[]> = { base: B, mine: M, theirs: T };
  const ordered: MergeEntry[] = [];
  const placed = new Set<MergeEntry>();
  for (const it of bySide[orderFrom]) {
    const e = entryOf.get(it)!;
    if (!placed.has(e)) {
      ordered.push(e);
      placed.add(e);
    }
  }
  // Entries missing from the primary order go right after the entry their predecessor (on their side) belongs to.
  for (const side of [other, 'base'] as MergeSide[]) {
    let last: MergeEntry | null = null;
    for (const it of bySide[side]) {
      const e = entryOf.get(it)!;
      if (placed.has(e)) {
        last = e;
        continue;
      }
      // After the predecessor and after what only the primary side added there (its additions come first).
      let pos = last ? ordered.indexOf(last) + 1 : 0;
      while (
        pos < ordered.length &&
        !ordered[pos].at[side] &&
        !ordered[pos].at.base &&
        ordered[pos].status !== 'added-' + side
      )
        pos++;
      ordered.splice(pos, 0, e);
      placed.add(e);
      last = e;
    }
  }

  // Sections: the primary side's, then others' missing ones after their predecessor.
  const sections: MergeSection[] = [];
  const sectionSeen = new Set<string>();
  const annexOf: Record<MergeSide, Annex> = { base, mine, theirs };
  for (const side of [orderFrom, other, 'base'] as MergeSide[]) {
    let pos = 0;
    for (const s of annexOf[side].sections) {
      const key = sectionKey(s);
      const found = sections.findIndex((x) => x.key === key);
      if (found >= 0) {
        pos = found + 1;
        continue;
      }
      if (sectionSeen.has(key)) continue;
      sectionSeen.add(key);
      sections.splice(pos, 0, {
        key,
        numeral: s.numeral,
        title: s.title,
        area: s.area,
        from: side,
        primary: side === orderFrom,
      });
      pos++;
    }
  }

  const stats = emptyStats();
  for (const e of ordered) stats[e.status]++;
  const conflicts = ordered.filter((e) => e.needsChoice).length;
  return {
    entries: ordered,
    sections,
    meta: mine.meta,
    orderFrom,
    numbering: numberingOf(orderFrom === 'mine' ? mine : theirs),
    stats,
    conflicts,
    clean: conflicts === 0,
  };
}

function buildEntry(
  b: Item | undefined,
  m: Item | undefined,
  t: Item | undefined,
  how: MergeEntry['match'],
  usedKeys: Set<string>,
): MergeEntry {
  const id = b?.id ?? m?.id ?? t?.id;
  const first = (b ?? m ?? t)!;
  let key = id ? `id:${id}` : `${first.side[0]}:${first.index}`;
  for (let n = 2; usedKeys.has(key); n++) key = `${id ? `id:${id}` : `${first.side[0]}:${first.index}`}#${n}`;
  usedKeys.add(key);

  const fields: MergeEntry['fields'] = {};
  const conflicts: MergeField[] = [];
  let changedMine = false;
  let changedTheirs = false;
  let differ = false;
  for (const f of MERGE_FIELDS) {
    const vb = b && fieldValue(b, f);
    const vm = m && fieldValue(m, f);
    const vt = t && fieldValue(t, f);
    const fm: FieldMerge = { conflict: false };
    if (vb) fm.base = vb.display;
    if (vm) fm.mine = vm.display;
    if (vt) fm.theirs = vt.display;
    if (b && m && t) {
      const cm = vm!.key !== vb!.key;
      const ct = vt!.key !== vb!.key;
      if (cm) changedMine = true;
      if (ct) changedTheirs = true;
      if (cm && ct && vm!.key !== vt!.key) {
        fm.conflict = true;
        conflicts.push(f);
      } else if (cm && ct) {
        Object.assign(fm, { merged: vm!.display, from: 'mine' });
      } else if (cm) {
        Object.assign(fm, { merged: vm!.display, from: 'mine' });
        differ = true;
      } else if (ct) {
        Object.assign(fm, { merged: vt!.display, from: 'theirs' });
        differ = true;
      } else Object.assign(fm, { merged: vm!.display, from: 'mine' });
    } else if (!b && m && t) {
      if (vm!.key !== vt!.key) {
        fm.conflict = true;
        conflicts.push(f);
      } else Object.assign(fm, { merged: vm!.display, from: 'mine' });
    } else if (b && m && !t) {
      if (vm!.key !== vb!.key) changedMine = true;
    } else if (b && !m && t) {
      if (vt!.key !== vb!.key) changedTheirs = true;
    } else if (!b && m) Object.assign(fm, { merged: vm!.display, from: 'mine' });
    else if (!b && t) Object.assign(fm, { merged: vt!.display, from: 'theirs' });
    const anyValue = [fm.base, fm.mine, fm.theirs].some((v) => v);
    const changed =
      (vb && vm && vb.key !== vm.key) || (vb && vt && vb.key !== vt.key) || (vm && vt && vm.key !== vt.key);
    if (anyValue || changed) fields[f] = fm;
  }

  let status: MergeStatus;
  if (b && m && t) {
    if (conflicts.length) status = 'conflict';
    else if (changedMine && changedTheirs) status = differ ? 'merged' : 'both-same';
    else if (changedMine) status = 'mine';
    else if (changedTheirs) status = 'theirs';
    else status = 'unchanged';
  } else if (!b && m && t) status = conflicts.length ? 'conflict' : 'both-same';
  else if (b && m && !t) status = changedMine ? 'delete-edit-conflict' : 'deleted-theirs';
  else if (b && !m && t) status = changedTheirs ? 'delete-edit-conflict' : 'deleted-mine';
  else if (b)
    status = 'both-same'; // deleted on both sides
  else if (m) status = 'added-mine';
  else status = 'added-theirs';

  // Unchanged tasks travel light (the 409 answer carries every entry): mine's task stands for all three.
  const light = status === 'unchanged';
  if (light) for (const f of MERGE_FIELDS) delete fields[f];
  const atOf: MergeEntry['at'] = {};
  if (b) atOf.base = at(b);
  if (m) atOf.mine = at(m);
  if (t) atOf.theirs = at(t);
  return {
    key,
    ...(id ? { id } : {}),
    status,
    title: norm((m ?? t ?? b)!.task.task),
    match: how,
    at: atOf,
    fields,
    conflicts,
    needsChoice: status === 'conflict' || status === 'delete-edit-conflict',
    ...(b && !light ? { base: b.task } : {}),
    ...(m ? { mine: m.task } : {}),
    ...(t && !light ? { theirs: t.task } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Resolution: choices → one annex
// ---------------------------------------------------------------------------------------------

export interface ResolveOptions {
  /** Side taken for entries that need a choice and have none; without it such entries are an error. */
  fallback?: 'mine' | 'theirs';
}

function taskOn(e: MergeEntry, side: MergeSide): Task | undefined {
  return e[side] ?? (e.status === 'unchanged' ? e.mine : undefined);
}

/** A field taken from `src` as it is there (a copy, so the two tasks share nothing); an absent one is removed. */
function copyField<K extends keyof Task>(out: Task, src: Task, f: K): void {
  if (src[f] === undefined) delete out[f];
  else out[f] = cloneData(src[f]);
}

function setField(out: Task, src: Task, f: MergeField): void {
  switch (f) {
    case 'task':
      out.task = src.task;
      if (src.raw?.task !== undefined) out.raw = { ...(out.raw ?? {}), task: src.raw.task };
      break;
    case 'section':
      break;
    case 'products':
    case 'lead':
    case 'support':
    case 'timeline':
    case 'monitor':
    case 'approval':
    case 'note':
    case 'extra':
      copyField(out, src, f);
      break;
  }
}

/**
 * Builds the merged annex. `choices` by entry key: keep mine, take theirs, go back to base, or pick per
 * field (fields not named keep their merged value; conflicting fields must be named). Entries without a
 * choice take their merged value; conflicts without a choice throw MergeUnresolvedError (unless a fallback
 * is given). Tasks are renumbered in merged order (continuous or per section, as the order's side was).
 */
export function resolveMerge(
  result: MergeResult,
  choices: Record<string, TaskChoice> = {},
  options: ResolveOptions = {},
): Annex {
  const unknown = Object.keys(choices).filter((k) => !result.entries.some((e) => e.key === k));
  if (unknown.length)
    throw new Error(`resolveMerge: no merge entry with key ${unknown.map((k) => `"${k}"`).join(', ')}`);
  const unresolved: MergeUnresolvedError['unresolved'] = [];
  const placed: { task: Task; sectionKey: string; at?: MergeTaskAt }[] = [];

  for (const e of result.entries) {
    let choice: TaskChoice | undefined = choices[e.key];
    if (!choice && e.needsChoice) {
      if (!options.fallback) {
        unresolved.push({ key: e.key, title: e.title, status: e.status, fields: e.conflicts });
        continue;
      }
      choice = options.fallback;
    }
    let task: Task | undefined;
    let sectionFrom: MergeSide | undefined;
    if (typeof choice === 'string') {
      const src = taskOn(e, choice);
      if (src) {
        task = cloneData(src);
        sectionFrom = choice;
      }
    } else {
      const perField = choice?.fields ?? {};
      const missing = e.conflicts.filter((f) => !perField[f]);
      if (choice && missing.length) {
        unresolved.push({ key: e.key, title: e.title, status: e.status, fields: missing });
        continue;
      }
      const deletedByDefault =
        !choice &&
        (e.status === 'deleted-mine' ||
          e.status === 'deleted-theirs' ||
          (e.status === 'both-same' && !e.mine && !e.theirs));
      if (deletedByDefault) continue;
      const primary: MergeSide = e.mine ? 'mine' : e.theirs ? 'theirs' : 'base';
      task = cloneData(taskOn(e, primary)!);
      for (const f of MERGE_FIELDS) {
        const side = perField[f] ?? e.fields[f]?.from ?? primary;
        const src = taskOn(e, side);
        if (!src) {
          unresolved.push({ key: e.key, title: e.title, status: e.status, fields: [f] });
          continue;
        }
        if (f === 'section') sectionFrom = side;
        else if (side !== primary) setField(task, src, f);
      }
      sectionFrom ??= primary;
    }
    if (!task || !sectionFrom) continue;
    if (e.id) task.id = e.id;
    const where = e.at[sectionFrom]!;
    placed.push({ task, sectionKey: where.sectionKey, at: where });
  }
  if (unresolved.length) throw new MergeUnresolvedError(unresolved);
  // A copied row that kept its original's id loses it here (the server gives it a new one on the next push).
  const seenIds = new Set<string>();
  for (const p of placed) {
    if (!p.task.id) continue;
    if (seenIds.has(p.task.id)) delete p.task.id;
    else seenIds.add(p.task.id);
  }

  const sections: Section[] = [];
  const byKey = new Map<string, Section>();
  for (const s of result.sections) {
    const sec: Section = {
      numeral: s.numeral,
      title: s.title,
      area: s.area,
      source: { sheet: result.meta.sheet ?? '', row: 0 },
      tasks: [],
    };
    byKey.set(s.key, sec);
    sections.push(sec);
  }
  for (const p of placed) {
    let sec = byKey.get(p.sectionKey);
    if (!sec) {
      sec = {
        numeral: '',
        title: p.at?.sectionTitle ?? '',
        area: p.at?.area ?? null,
        source: { sheet: result.meta.sheet ?? '', row: 0 },
        tasks: [],
      };
      byKey.set(p.sectionKey, sec);
      sections.push(sec);
    }
    sec.tasks.push(p.task);
  }
  const primaryKeys = new Set(result.sections.filter((s) => s.primary).map((s) => s.key));
  const kept = sections.filter((s, i) => s.tasks.length || primaryKeys.has(result.sections[i]?.key ?? ''));
  let n = 0;
  kept.forEach((s, i) => {
    s.numeral = toRoman(i + 1);
    if (result.numbering === 'per-section') n = 0;
    for (const t of s.tasks) renumber(t, String(++n));
  });
  return { meta: { ...result.meta }, sections: kept };
}

function renumber(t: Task, number: string): void {
  const old = t.number;
  t.number = number;
  if (!old || old === number) return;
  for (const p of t.products) {
    if (p.number?.startsWith(`${old}.`)) p.number = number + p.number.slice(old.length);
  }
}
