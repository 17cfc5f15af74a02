// Differences between two versions of an annex, per task: added, removed, changed fields.
// Tasks are matched by stable id when both have one, else by number + folded task text; tasks left
// over are paired by folded text alone (renumbered) and then by number within the same section (reworded).
import { foldKey, type Annex, type AgencyRef, type Task } from '../../engine/index.js';

export interface TaskRef {
  key: string;
  id?: string;
  number: string;
  task: string;
  section: string;
  row: number;
  sheet: string;
}

export interface FieldChange {
  field: string;
  from: string;
  to: string;
}

export interface AnnexDiff {
  added: TaskRef[];
  removed: TaskRef[];
  changed: (TaskRef & { fromRow: number; fields: FieldChange[] })[];
  unchanged: number;
}

interface Entry {
  ref: TaskRef;
  task: Task;
}

const agencies = (refs: AgencyRef[] | undefined) => (refs ?? []).map((r) => r.name ?? r.text).join('; ');

function fieldsOf(t: Task): Record<string, string> {
  return {
    number: t.number,
    task: t.task,
    products: t.products.map((p) => (p.number ? `${p.number} ${p.text}` : p.text)).join('\n'),
    lead: agencies(t.lead),
    support: agencies(t.support),
    monitor: agencies(t.monitor),
    timeline: t.timeline?.text ?? '',
    approval: t.approval ?? '',
    note: t.note ?? '',
  };
}

function entries(annex: Annex): Entry[] {
  const out: Entry[] = [];
  for (const s of annex.sections) {
    for (const t of s.tasks) {
      const key = t.id ? `id:${t.id}` : `${t.number}|${foldKey(t.task)}`;
      out.push({
        task: t,
        ref: {
          key,
          ...(t.id ? { id: t.id } : {}),
          number: t.number,
          task: t.task,
          section: s.numeral,
          row: t.source.row,
          sheet: t.source.sheet,
        },
      });
    }
  }
  return out;
}

export function diffAnnexes(from: Annex, to: Annex): AnnexDiff {
  const a = entries(from);
  const b = entries(to);
  const pairs: [Entry, Entry][] = [];
  const usedA = new Set<Entry>();
  const usedB = new Set<Entry>();

  const pass = (keyOf: (e: Entry) => string | null) => {
    const index = new Map<string, Entry[]>();
    for (const e of a) {
      if (usedA.has(e)) continue;
      const k = keyOf(e);
      if (k === null) continue;
      const list = index.get(k);
      if (list) list.push(e);
      else index.set(k, [e]);
    }
    for (const e of b) {
      if (usedB.has(e)) continue;
      const k = keyOf(e);
      if (k === null) continue;
      const match = index.get(k)?.shift();
      if (!match) continue;
      usedA.add(match);
      usedB.add(e);
      pairs.push([match, e]);
    }
  };
  pass((e) => (e.task.id ? `id:${e.task.id}` : null));
  pass((e) => `${e.task.number}|${foldKey(e.task.task)}`);
  pass((e) => `text|${foldKey(e.task.task)}`);
  pass((e) => `num|${e.ref.section}|${e.task.number}`);

  const changed: AnnexDiff['changed'] = [];
  let unchanged = 0;
  for (const [x, y] of pairs) {
    const fx = fieldsOf(x.task);
    const fy = fieldsOf(y.task);
    const fields: FieldChange[] = [];
    for (const k of Object.keys(fx)) if (fx[k] !== fy[k]) fields.push({ field: k, from: fx[k], to: fy[k] });
    if (fields.length) changed.push({ ...y.ref, fromRow: x.ref.row, fields });
    else unchanged++;
  }
  return {
    added: b.filter((e) => !usedB.has(e)).map((e) => e.ref),
    removed: a.filter((e) => !usedA.has(e)).map((e) => e.ref),
    changed,
    unchanged,
  };
}
