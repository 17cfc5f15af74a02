// The stored form of a consolidated report: the same report, with what it repeats written once. A round of 100
// agencies × 200 tasks makes 52 MB of plain JSON, most of it repetition: each task carries its agencies as objects
// at task and product level, its source repeats its agency's name, plan number and submission, and every candidate
// group member, overdue task and coverage hit repeats a task that the sections already hold. Writing, compressing
// and storing those bytes took about 2 s of a rebuild. Here agencies are a table referred to by index, a source is
// its agency part (a table) plus what is its own, and a task met again elsewhere is referred to by its key.
// unpackConsolidated() gives back, key for key and in the same key order, what JSON.parse(JSON.stringify(report))
// gives: every download and the dashboard read exactly what they read before (tests/server/data/report-pack.test.ts).
import type { Consolidated, ConsolidatedAgency, TaskSource } from '../../engine/index.js';

export const PACKED_VERSION = 2;

type Obj = Record<string, unknown>;

/** A source: its agency part (index into `bases`) and what is the task's own, or the source whole. */
type PackedSource = [number, string, string, unknown] | Obj;

export interface PackedConsolidated {
  packed: typeof PACKED_VERSION;
  agencies: ConsolidatedAgency[];
  bases: Obj[];
  report: Obj;
}

/** The fields a source adds to its agency part, in the order the engine writes them (last). */
const OWN = ['number', 'sectionTitle', 'location'] as const;
/** The fields a task reference starts with, in the engine's order. */
const REF = ['key', 'task', 'area', 'source'] as const;

export function isPackedConsolidated(x: unknown): x is PackedConsolidated {
  return !!x && typeof x === 'object' && (x as { packed?: unknown }).packed === PACKED_VERSION;
}

/** Packs sources into [agency part (index into `bases`), number, section, cell]; sources of another shape stay whole. */
function sourcePacker(bases: Obj[]): (s: TaskSource) => PackedSource {
  const baseIndex = new Map<string, number>();
  return (s) => {
    const keys = Object.keys(s);
    const n = keys.length;
    // Only the engine's shape is split; anything else is kept whole, so nothing can come back different.
    if (n < 3 || keys[n - 3] !== OWN[0] || keys[n - 2] !== OWN[1] || keys[n - 1] !== OWN[2]) return s as unknown as Obj;
    // In an array an absent field would come back as null: such a source is kept whole too.
    if (s.number === undefined || s.sectionTitle === undefined || s.location === undefined) return s as unknown as Obj;
    const base: Obj = {};
    for (let k = 0; k < n - 3; k++) base[keys[k]] = (s as unknown as Obj)[keys[k]];
    const text = JSON.stringify(base);
    let i = baseIndex.get(text);
    if (i === undefined) {
      baseIndex.set(text, (i = bases.length));
      bases.push(base);
    }
    return [i, s.number, s.sectionTitle, s.location];
  };
}

function sourceUnpacker(bases: Obj[]): (s: PackedSource) => Obj {
  return (s) => {
    if (!Array.isArray(s)) return s;
    const [b, number, sectionTitle, location] = s;
    return { ...bases[b], number, sectionTitle, location: clone(location) };
  };
}

/** A report's summary as stored with it (summary_json): its overdue tasks' sources packed as in the report. */
export interface PackedSummary {
  packed: typeof PACKED_VERSION;
  bases: Obj[];
  summary: Obj;
}

type WithOverdue = { summary: { overdue: { source: TaskSource }[] } };

export function packSummary(x: WithOverdue): PackedSummary {
  const bases: Obj[] = [];
  const source = sourcePacker(bases);
  const summary = {
    ...x,
    summary: { ...x.summary, overdue: x.summary.overdue.map((o) => ({ ...o, source: source(o.source) })) },
  };
  return { packed: PACKED_VERSION, bases, summary };
}

/** The summary as stored: unpacked when packed, as it is when stored before packing. */
export function unpackSummary(stored: unknown): unknown {
  if (!isPackedConsolidated(stored)) return stored;
  const { bases, summary } = stored as unknown as PackedSummary;
  const source = sourceUnpacker(bases);
  const inner = summary.summary as { overdue: Obj[] };
  return {
    ...summary,
    summary: { ...inner, overdue: inner.overdue.map((o) => ({ ...o, source: source(o.source as PackedSource) })) },
  };
}

export function packConsolidated(c: Consolidated): PackedConsolidated {
  const agencies: ConsolidatedAgency[] = [];
  const agencyIndex = new Map<ConsolidatedAgency, number>();
  const bases: Obj[] = [];
  /** Task references by key (first wins), as the sections hold them: the tasks and the tasks merged into them. */
  const refs = new Map<string, Obj>();

  const agencyList = (list: ConsolidatedAgency[] | undefined): unknown => {
    if (!Array.isArray(list)) return list;
    return list.map((a) => {
      let i = agencyIndex.get(a);
      if (i === undefined) {
        agencyIndex.set(a, (i = agencies.length));
        agencies.push(a);
      }
      return i;
    });
  };

  const source = sourcePacker(bases);

  const withSource = (x: Obj): Obj =>
    x.source && typeof x.source === 'object' ? { ...x, source: source(x.source as TaskSource) } : x;

  /** A task met again (a group member, an overdue task…): its key and what it adds, when the sections hold it. */
  const ref = (x: Obj): Obj => {
    const held = refs.get(x.key as string);
    if (held && held.task === x.task && held.area === x.area && held.source === x.source) {
      const keys = Object.keys(x);
      if (REF.every((k, i) => keys[i] === k)) {
        const out: Obj = { $ref: x.key };
        for (let k = REF.length; k < keys.length; k++) out[keys[k]] = x[keys[k]];
        return out;
      }
    }
    return withSource(x);
  };
  const refList = (xs: unknown): unknown => (Array.isArray(xs) ? xs.map((x) => ref(x as Obj)) : xs);
  const planTask = (p: unknown): unknown =>
    p && typeof p === 'object' ? { ...(p as Obj), lead: agencyList((p as Obj).lead as ConsolidatedAgency[]) } : p;

  for (const s of c.sections)
    for (const t of s.tasks) {
      if (!refs.has(t.key)) refs.set(t.key, t as unknown as Obj);
      for (const d of t.duplicates) if (!refs.has(d.key)) refs.set(d.key, d as unknown as Obj);
    }

  const report: Obj = {
    ...c,
    sections: c.sections.map((s) => ({
      ...s,
      tasks: s.tasks.map((t) => ({
        ...t,
        source: source(t.source),
        products: t.products.map((p) => ({ ...p, lead: agencyList(p.lead), support: agencyList(p.support) })),
        lead: agencyList(t.lead),
        support: agencyList(t.support),
        duplicates: t.duplicates.map((d) => withSource(d as unknown as Obj)),
      })),
    })),
    duplicates: c.duplicates.map((g) => ({
      ...g,
      kept: ref(g.kept as unknown as Obj),
      merged: refList(g.merged),
    })),
    candidates: c.candidates.map((g) => ({ ...g, members: refList(g.members) })),
    conflicts: c.conflicts.map((x) => ({
      ...x,
      ...('planTask' in x ? { planTask: planTask(x.planTask) } : {}),
      claims: x.claims.map((cl) => ('task' in cl && cl.task ? { ...cl, task: ref(cl.task as unknown as Obj) } : cl)),
    })),
    ...(c.coverage
      ? {
          coverage: {
            ...c.coverage,
            uncovered: c.coverage.uncovered.map(planTask),
            items: c.coverage.items.map((it) => ({
              ...it,
              planTask: planTask(it.planTask),
              takenUpBy: refList(it.takenUpBy),
            })),
          },
        }
      : {}),
    summary: { ...c.summary, overdue: refList(c.summary.overdue) },
  };
  return { packed: PACKED_VERSION, agencies, bases, report };
}

/** The report as JSON.parse(JSON.stringify(report)) gave it before packing: fresh objects, same keys, same order. */
export function unpackConsolidated(p: PackedConsolidated): Consolidated {
  const { agencies, bases } = p;
  const agencyList = (list: unknown): unknown =>
    Array.isArray(list) ? list.map((i: number) => ({ ...agencies[i] })) : list;
  const source = sourceUnpacker(bases);
  const withSource = (x: Obj): Obj => (x.source !== undefined ? { ...x, source: source(x.source as PackedSource) } : x);

  const refs = new Map<string, Obj>();
  const ref = (x: Obj): Obj => {
    if (!('$ref' in x)) return withSource(x);
    const held = refs.get(x.$ref as string);
    if (!held) throw new Error(`stored report: task ${String(x.$ref)} referred to but not in the report`);
    const out: Obj = {};
    for (const k of REF) if (k in held) out[k] = k === 'source' ? clone(held.source) : held[k];
    for (const k of Object.keys(x)) if (k !== '$ref') out[k] = x[k];
    return out;
  };
  const refList = (xs: unknown): unknown => (Array.isArray(xs) ? xs.map((x) => ref(x as Obj)) : xs);
  const planTask = (t: unknown): unknown =>
    t && typeof t === 'object' ? { ...(t as Obj), lead: agencyList((t as Obj).lead) } : t;

  const r = p.report;
  const sections = (r.sections as Obj[]).map((s) => ({
    ...s,
    tasks: (s.tasks as Obj[]).map((t) => {
      const task: Obj = {
        ...t,
        source: source(t.source as PackedSource),
        products: (t.products as Obj[]).map((x) => ({
          ...x,
          lead: agencyList(x.lead),
          support: agencyList(x.support),
        })),
        lead: agencyList(t.lead),
        support: agencyList(t.support),
        duplicates: (t.duplicates as Obj[]).map(withSource),
      };
      if (!refs.has(task.key as string)) refs.set(task.key as string, task);
      for (const d of task.duplicates as Obj[]) if (!refs.has(d.key as string)) refs.set(d.key as string, d);
      return task;
    }),
  }));
  const coverage = r.coverage as Obj | undefined;
  const out: Obj = {
    ...r,
    sections,
    duplicates: (r.duplicates as Obj[]).map((g) => ({ ...g, kept: ref(g.kept as Obj), merged: refList(g.merged) })),
    candidates: (r.candidates as Obj[]).map((g) => ({ ...g, members: refList(g.members) })),
    conflicts: (r.conflicts as Obj[]).map((x) => ({
      ...x,
      ...('planTask' in x ? { planTask: planTask(x.planTask) } : {}),
      claims: (x.claims as Obj[]).map((cl) => (cl.task ? { ...cl, task: ref(cl.task as Obj) } : cl)),
    })),
    ...(coverage
      ? {
          coverage: {
            ...coverage,
            uncovered: (coverage.uncovered as unknown[]).map(planTask),
            items: (coverage.items as Obj[]).map((it) => ({
              ...it,
              planTask: planTask(it.planTask),
              takenUpBy: refList(it.takenUpBy),
            })),
          },
        }
      : {}),
    summary: { ...(r.summary as Obj), overdue: refList((r.summary as Obj).overdue) },
  };
  return out as unknown as Consolidated;
}

/** A copy of small plain data (a location), so that no two places of the report share an object. */
function clone<T>(x: T): T {
  if (Array.isArray(x)) return x.map(clone) as T;
  if (x && typeof x === 'object') {
    const out: Obj = {};
    for (const k of Object.keys(x)) out[k] = clone((x as Obj)[k]);
    return out as T;
  }
  return x;
}
