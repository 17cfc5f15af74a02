// Consolidation of many agencies' annexes into one provincial annex (pure).
import type { AgencyRef, Annex, AreaCode, Task, Timeline } from '../model.js';
import { foldKey } from '../normalize/text.js';
import { parseTimeline } from '../normalize/timeline.js';
import { areaRank, areaTitle as vocabAreaTitle, toRoman } from '../vocab/index.js';
import { FeatureSpace, SimilarityIndex, similarityJoin, taskFeatures } from './similarity.js';

const EMPTY = new Int32Array(0);
import type {
  Consolidated,
  ConsolidatedAgency,
  ConsolidatedProduct,
  ConsolidatedSection,
  ConsolidatedTask,
  ConsolidationContext,
  ConsolidationInput,
  ConsolidationSummary,
  Coverage,
  DuplicateGroup,
  LeadClaim,
  LeadConflict,
  MergedDuplicate,
  OverdueTask,
  PlanTaskRef,
  TaskRef,
  TaskSource,
} from './types.js';

const DONE_KEYS = new Set(['da hoan thanh', 'hoan thanh', 'da xong', 'xong', 'done']);

function defaultIsDone(task: Task): boolean {
  const texts = [task.note, ...Object.values(task.extra ?? {})];
  return texts.some((t) => {
    if (!t) return false;
    const k = foldKey(t);
    return DONE_KEYS.has(k) || k.startsWith('da hoan thanh');
  });
}

function quarterOf(iso: string): { year: number; quarter: number } | null {
  const m = /^(\d{4})-(\d{2})/.exec(iso);
  if (!m) return null;
  return { year: Number(m[1]), quarter: Math.floor((Number(m[2]) - 1) / 3) + 1 };
}

/** Agency names resolved once per (province, text): the same few dozen names repeat over thousands of rows. */
class AgencyNormalizer {
  private cache = new Map<string, ConsolidatedAgency[]>();
  constructor(private ctx: ConsolidationContext) {}

  private fromRef(r: AgencyRef, written: string): ConsolidatedAgency {
    const date = this.ctx.date;
    if (r.successor && (!date || r.successor.since <= date)) {
      const former = r.name ?? r.text;
      // A province merger keeps the name ("Sở Tài chính") while the id moves: no "formerly" to show then.
      return { text: written, id: r.successor.id, name: r.successor.name, kind: r.kind, ...(former !== r.successor.name ? { formerName: former } : {}) };
    }
    return { text: written, id: r.id, name: r.name ?? r.text, kind: r.kind };
  }

  normalize(ref: AgencyRef, province: string | undefined): ConsolidatedAgency[] {
    const key = `${province ?? ''}\u0000${ref.text}\u0000${ref.id ?? ''}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let refs: AgencyRef[] = [ref];
    const dir = this.ctx.directory;
    if (dir && ref.text.trim()) {
      const resolved = dir.resolve(ref.text, { province, date: this.ctx.date });
      // Keep the reader's ref when the round's directory knows nothing better.
      if (resolved.some((r) => r.kind !== 'unknown') || ref.kind === 'unknown') refs = resolved.length ? resolved : [ref];
    }
    const out = refs.map((r) => this.fromRef(this.withSuccessor(r, province), refs.length === 1 ? ref.text : r.text));
    this.cache.set(key, out);
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

  list(refs: AgencyRef[] | undefined, province: string | undefined): ConsolidatedAgency[] {
    if (!refs || refs.length === 0) return [];
    if (refs.length === 1) {
      const one = this.normalize(refs[0], province);
      if (one.length <= 1) return one.slice();
    }
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
    return out;
  }
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

interface Work {
  ref: TaskRef;
  out: ConsolidatedTask;
  input: ConsolidationInput;
  agencyKey: string;
  features: string[];
  set?: Int32Array;
  /** Rep (kept task) this task was merged into, if any. */
  keptBy?: Work;
  /** Agencies already in this task's duplicate cluster (for kept tasks). */
  clusterAgencies?: Set<string>;
}

interface PlanWork {
  ref: PlanTaskRef;
  features: string[];
  set?: Int32Array;
  takenUpBy: MergedDuplicate[];
  best: Work[];
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
  if (!Array.isArray(inputs)) throw new ConsolidationInputError(-1, 'inputs', 'Dữ liệu tổng hợp phải là danh sách phụ lục của các cơ quan.');
  inputs.forEach((x, i) => {
    const who = `phụ lục thứ ${i + 1}${x?.agencyName ? ` (${x.agencyName})` : ''}`;
    if (!x || typeof x.agencyId !== 'string' || !x.agencyId.trim()) throw new ConsolidationInputError(i, 'agencyId', `Thiếu mã cơ quan của ${who}.`);
    if (typeof x.agencyName !== 'string' || !x.agencyName.trim()) throw new ConsolidationInputError(i, 'agencyName', `Thiếu tên cơ quan của ${who}.`);
    if (!x.annex || !Array.isArray(x.annex.sections)) throw new ConsolidationInputError(i, 'annex', `Không đọc được nội dung ${who}: thiếu danh sách mục.`);
    x.annex.sections.forEach((s, k) => {
      if (!s || !Array.isArray(s.tasks)) throw new ConsolidationInputError(i, `annex.sections[${k}]`, `Mục thứ ${k + 1} của ${who} không có danh sách nhiệm vụ.`);
    });
  });
}

export function consolidate(inputs: ConsolidationInput[], ctx: ConsolidationContext = {}): Consolidated {
  checkInputs(inputs);
  const duplicateThreshold = ctx.duplicateThreshold ?? 0.5;
  const coverageThreshold = ctx.coverageThreshold ?? 0.4;
  const agencies = new AgencyNormalizer(ctx);
  const isDone = ctx.isDone ?? defaultIsDone;
  const planYear = ctx.planYear ?? (ctx.date ? Number(ctx.date.slice(0, 4)) : undefined);

  // 1. Normalise every task and group by section key (area, or folded title for unknown areas).
  const groups = new Map<string, { area: AreaCode | null; title: string; works: Work[] }>();
  const perAgency = new Map<string, ConsolidationSummary['byAgency'][number]>();
  const inputsMeta: Consolidated['meta']['inputs'] = [];
  const all: Work[] = [];

  for (const input of inputs) {
    const province = input.province ?? input.annex.meta.province ?? ctx.province;
    // The submitting agency itself may have been merged since it submitted.
    const selfAgency = agencies.successorOfAgency(input.agencyId, province);
    const agencyId = selfAgency?.id ?? input.agencyId;
    const agencyName = selfAgency?.name ?? input.agencyName;
    inputsMeta.push({ agencyId, agencyName, version: input.version, submissionId: input.submissionId });
    const stats = perAgency.get(agencyId) ?? {
      agencyId,
      agencyName,
      version: input.version,
      docNumber: input.docNumber,
      docDate: input.docDate,
      submitted: 0,
      kept: 0,
      merged: 0,
    };
    perAgency.set(agencyId, stats);

    for (const section of input.annex.sections) {
      const gkey = section.area ?? 'title:' + foldKey(section.title);
      let group = groups.get(gkey);
      if (!group) {
        group = { area: section.area, title: areaTitle(section.area, section.title), works: [] };
        groups.set(gkey, group);
      }
      for (const task of section.tasks) {
        stats.submitted++;
        const source: TaskSource = {
          agencyId,
          agencyName,
          formerAgencyName: selfAgency ? input.agencyName : undefined,
          docNumber: input.docNumber,
          docDate: input.docDate,
          version: input.version,
          submissionId: input.submissionId,
          number: task.number,
          sectionTitle: section.title,
          location: task.source,
        };
        const products: ConsolidatedProduct[] = task.products.map((p) => ({
          number: p.number,
          text: p.text,
          lead: agencies.list(p.lead, province),
          support: agencies.list(p.support, province),
          timeline: p.timeline ? normalizeTimeline(p.timeline, planYear) : undefined,
          source: p.source,
        }));
        const timeline = normalizeTimeline(task.timeline, planYear);
        let lead = agencies.list(task.lead, province);
        let support = agencies.list(task.support, province);
        // Annexes with per-product agencies (one row per product) leave the task's own cells empty.
        if (!lead.length) lead = dedupe(products.flatMap((p) => p.lead));
        if (!support.length) support = dedupe(products.flatMap((p) => p.support));
        const productDues = products.map((p) => p.timeline?.due).filter((d): d is string => !!d).sort();
        const due = timeline.due ?? productDues[productDues.length - 1];
        const timelineKind = effectiveKind(timeline, products, due);
        const done = isDone(task, input);
        const ref: TaskRef = {
          key: `${agencyId}#${task.source.sheet}!${task.source.row}`,
          task: task.task,
          area: section.area,
          source,
        };
        // One literal with every field (no spread): V8 then keeps these 20 000-odd objects in fast mode.
        const out: ConsolidatedTask = {
          key: ref.key,
          task: ref.task,
          area: ref.area,
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
        const w: Work = { ref, out, input, agencyKey: agencyId, features: taskFeatures(task.task) };
        group.works.push(w);
        all.push(w);
      }
    }
  }

  // 2. One feature dictionary (rarest first) for agency and plan tasks alike.
  const space = new FeatureSpace();
  for (const w of all) space.count(w.features);
  const plan: PlanWork[] = [];
  if (ctx.planAnnex) {
    const province = ctx.planAnnex.meta.province ?? ctx.province;
    for (const section of ctx.planAnnex.sections) {
      for (const task of section.tasks) {
        const features = taskFeatures(task.task);
        space.count(features);
        plan.push({
          ref: {
            number: task.number,
            task: task.task,
            area: section.area,
            sectionTitle: section.title,
            lead: agencies.list(task.lead.length ? task.lead : task.products.flatMap((p) => p.lead), province),
            location: task.source,
          },
          features,
          takenUpBy: [],
          best: [],
        });
      }
    }
  }
  space.freeze();
  for (const w of all) w.set = space.encode(w.features);
  for (const p of plan) p.set = space.encode(p.features);

  // 3. Near-duplicates across agencies, per area. All similar pairs come from one similarity join; then,
  //    in input order, each task joins the most similar earlier kept task of another agency, or is kept.
  const duplicates: DuplicateGroup[] = [];
  const groupOfKept = new Map<Work, DuplicateGroup>();
  const membersOf = new Map<Work, Work[]>();
  for (const group of groups.values()) {
    const works = group.works;
    // Very short texts ("Khác") say too little to merge on.
    const neighbours = similarityJoin(
      works.map((w) => (w.set!.length >= 2 ? w.set! : EMPTY)),
      duplicateThreshold,
    );
    works.forEach((w, i) => {
      let best = -1;
      let bestSim = 0;
      const list = neighbours[i];
      for (let k = 0; k < list.length; k += 2) {
        const j = list[k];
        const sim = list[k + 1];
        const rep = works[j];
        if (j >= i || rep.keptBy || rep.clusterAgencies!.has(w.agencyKey)) continue;
        if (sim > bestSim || (sim === bestSim && j < best)) {
          best = j;
          bestSim = sim;
        }
      }
      if (best < 0) {
        w.clusterAgencies = new Set([w.agencyKey]);
        return;
      }
      const rep = works[best];
      w.keptBy = rep;
      rep.clusterAgencies!.add(w.agencyKey);
      const merged: MergedDuplicate = { ...w.ref, similarity: round3(bestSim) };
      rep.out.duplicates.push(merged);
      let g = groupOfKept.get(rep);
      if (!g) {
        g = { kept: { ...rep.ref, number: '', sectionNumeral: '' }, merged: [] };
        groupOfKept.set(rep, g);
        duplicates.push(g);
        membersOf.set(rep, [rep]);
      }
      g.merged.push(merged);
      membersOf.get(rep)!.push(w);
    });
  }

  // 4. Sections in Nghị quyết 76 order, unknown areas last; kept tasks renumbered.
  const sortedGroups = [...groups.values()].sort((a, b) => areaRank(a.area) - areaRank(b.area)); // stable
  const sections: ConsolidatedSection[] = [];
  for (const g of sortedGroups) {
    const kept = g.works.filter((w) => !w.keptBy);
    if (!kept.length) continue;
    const numeral = toRoman(sections.length + 1);
    kept.forEach((w, i) => {
      w.out.number = String(i + 1);
      const dg = groupOfKept.get(w);
      if (dg) {
        dg.kept.number = w.out.number;
        dg.kept.sectionNumeral = numeral;
      }
    });
    sections.push({ numeral, title: g.title, area: g.area, tasks: kept.map((w) => w.out) });
  }
  for (const w of all) perAgency.get(w.agencyKey)![w.keptBy ? 'merged' : 'kept']++;

  // 5. Coverage of the provincial plan and lead conflicts.
  let coverage: Coverage | undefined;
  const conflicts: LeadConflict[] = [];
  const claimsLead = (w: Work) =>
    w.out.lead.some((a) => a.id === w.agencyKey || foldKey(a.name) === foldKey(w.ref.source.agencyName));
  const planOfWork = new Map<Work, PlanWork>();
  if (ctx.planAnnex) {
    const index = new SimilarityIndex<PlanWork>(coverageThreshold);
    for (const p of plan) if (p.set!.length) index.add(p.set!, p);
    for (const w of all) {
      const hits = index.query(
        w.set!,
        (p) => p.ref.area === null || w.ref.area === null || p.ref.area === w.ref.area,
      );
      for (const h of hits) h.value.takenUpBy.push({ ...w.ref, similarity: round3(h.similarity) });
      if (hits[0]) {
        hits[0].value.best.push(w);
        planOfWork.set(w, hits[0].value);
      }
    }
    coverage = {
      planTasks: plan.length,
      covered: plan.filter((p) => p.takenUpBy.length).length,
      uncovered: plan.filter((p) => !p.takenUpBy.length).map((p) => p.ref),
      items: plan.map((p) => ({ planTask: p.ref, takenUpBy: p.takenUpBy })),
    };
    for (const p of plan) {
      const claims: LeadClaim[] = [];
      const claimed = new Set<string>();
      for (const w of p.best) {
        if (!claimsLead(w) || claimed.has(w.agencyKey)) continue;
        claimed.add(w.agencyKey);
        claims.push({ agencyId: w.agencyKey, agencyName: w.ref.source.agencyName, by: 'submission', task: w.ref });
      }
      if (!claims.length) continue;
      const planLeads = p.ref.lead.filter((a) => a.kind === 'agency');
      const planKeys = new Set(planLeads.map(consolidatedAgencyKey));
      const outsider = claims.some((c) => !planKeys.has(c.agencyId!) && !planLeads.some((a) => foldKey(a.name) === foldKey(c.agencyName)));
      if (claims.length >= 2 || (planLeads.length > 0 && outsider)) {
        const planClaims: LeadClaim[] = planLeads.map((a) => ({ agencyId: a.id, agencyName: a.name, by: 'plan' }));
        conflicts.push({ task: p.ref.task, area: p.ref.area, planTask: p.ref, claims: [...planClaims, ...claims] });
      }
    }
  }
  // Without a plan task to anchor them, merged duplicates are one provincial task each.
  for (const [rep, g] of groupOfKept) {
    const members = membersOf.get(rep)!;
    if (members.some((w) => planOfWork.has(w))) continue;
    const claims: LeadClaim[] = [];
    const claimed = new Set<string>();
    for (const w of members) {
      if (!claimsLead(w) || claimed.has(w.agencyKey)) continue;
      claimed.add(w.agencyKey);
      claims.push({ agencyId: w.agencyKey, agencyName: w.ref.source.agencyName, by: 'submission', task: w.ref });
    }
    if (claims.length >= 2) conflicts.push({ task: g.kept.task, area: g.kept.area, claims });
  }

  // 6. Summary over the consolidated (kept) tasks.
  const quarters = new Map<string, { key: string; year: number; quarter: number; tasks: number }>();
  let recurring = 0;
  let conditional = 0;
  let undated = 0;
  const overdue: OverdueTask[] = [];
  for (const s of sections) {
    for (const t of s.tasks) {
      const kind = t.timelineKind;
      if (kind === 'recurring') recurring++;
      else if (kind === 'conditional') conditional++;
      else if (t.due && quarterOf(t.due)) {
        const q = quarterOf(t.due)!;
        const key = `${q.year}-Q${q.quarter}`;
        const e = quarters.get(key) ?? { key, ...q, tasks: 0 };
        e.tasks++;
        quarters.set(key, e);
        if (ctx.today && t.due < ctx.today && !t.done) {
          t.overdue = true;
          overdue.push({ key: t.key, task: t.task, area: t.area, source: t.source, number: `${s.numeral}.${t.number}`, due: t.due });
        }
      } else undated++;
    }
  }
  const summary: ConsolidationSummary = {
    byArea: sections.map((s) => ({ area: s.area, title: s.title, tasks: s.tasks.length })),
    byAgency: [...perAgency.values()],
    byQuarter: [...quarters.values()].sort((a, b) => a.year - b.year || a.quarter - b.quarter),
    recurring,
    conditional,
    undated,
    overdue: overdue.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0)),
  };

  const tasks = sections.reduce((n, s) => n + s.tasks.length, 0);
  const duplicatesMerged = duplicates.reduce((n, g) => n + g.merged.length, 0);
  return {
    meta: {
      province: ctx.province,
      provinceName: provinceName(ctx),
      date: ctx.date,
      today: ctx.today,
      planYear,
      inputs: inputsMeta,
      duplicateThreshold,
      coverageThreshold,
    },
    sections,
    duplicates,
    conflicts,
    coverage,
    summary,
    stats: {
      inputTasks: all.length,
      tasks,
      duplicatesMerged,
      conflicts: conflicts.length,
      uncovered: coverage?.uncovered.length ?? 0,
    },
  };
}

/** The task's timeline kind, or, when its own cell is empty, what its products' timelines say. */
function effectiveKind(t: Timeline, products: ConsolidatedProduct[], due: string | undefined): Timeline['kind'] {
  if (t.kind !== 'empty') return t.kind;
  if (due) return 'date';
  const kinds = new Set(products.map((p) => p.timeline?.kind).filter(Boolean));
  for (const k of ['recurring', 'conditional', 'period', 'unknown'] as const) if (kinds.has(k)) return k;
  return 'empty';
}

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
