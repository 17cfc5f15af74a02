// Duplicate tasks within one annex: the same normalised text (foldKey equality), or nearly the same wording
// (Jaccard similarity of content tokens at or above NEAR_DUPLICATE_THRESHOLD). Candidate pairs come from
// prefix filtering on rare tokens, so a 2,000-row annex does not compare every pair.
import type { Location, Task } from '../model.js';
import { makeDiagnostic } from './diagnostic.js';
import { quote, type TableRule } from './facts.js';

export const NEAR_DUPLICATE_THRESHOLD = 0.85;
/** Near-duplicates need enough words to mean something; shorter tasks only match exactly. */
export const NEAR_DUPLICATE_MIN_TOKENS = 5;

interface Entry {
  task: Task;
  key: string;
  tokens: string[];
  loc: Location;
}

export const checkDuplicates: TableRule = (rc, out) => {
  const { memo, view, locale } = rc;
  const entries: Entry[] = [];
  const taskCol = view.fieldColumn.get('task');
  for (const s of rc.annex.sections)
    for (const task of s.tasks) {
      const key = memo.foldKey(task.task);
      if (!key) continue;
      const loc = view.isTable && taskCol !== undefined ? view.location(task.source.sheet, task.source.row, taskCol) : task.source;
      entries.push({ task, key, tokens: memo.tokens(task.task), loc });
    }

  const freq = new Map<string, number>();
  for (const e of entries) for (const t of e.tokens) freq.set(t, (freq.get(t) ?? 0) + 1);
  const byRarity = (a: string, b: string) => (freq.get(a)! - freq.get(b)!) || (a < b ? -1 : a > b ? 1 : 0);

  const exact = new Map<string, Entry>();
  const index = new Map<string, number[]>();
  entries.forEach((e, i) => {
    const same = exact.get(e.key);
    if (same) {
      out.push(makeDiagnostic('task.duplicate', e.loc, { task: quote(e.task.task, 60), otherRow: same.loc.row, similarity: '100%' }, { locale }));
    } else exact.set(e.key, e);

    const n = e.tokens.length;
    if (n < NEAR_DUPLICATE_MIN_TOKENS) return;
    const sorted = [...e.tokens].sort(byRarity);
    const prefix = n - Math.ceil(NEAR_DUPLICATE_THRESHOLD * n) + 1;
    if (!same) {
      const set = new Set(e.tokens);
      const tried = new Set<number>();
      let best: { j: number; sim: number } | undefined;
      for (let p = 0; p < prefix; p++) {
        for (const j of index.get(sorted[p]) ?? []) {
          if (tried.has(j)) continue;
          tried.add(j);
          const other = entries[j].tokens;
          if (other.length < NEAR_DUPLICATE_THRESHOLD * n || n < NEAR_DUPLICATE_THRESHOLD * other.length) continue;
          let common = 0;
          for (const t of other) if (set.has(t)) common++;
          const sim = common / (n + other.length - common);
          if (sim >= NEAR_DUPLICATE_THRESHOLD && (!best || sim > best.sim)) best = { j, sim };
        }
      }
      if (best) {
        const other = entries[best.j];
        out.push(
          makeDiagnostic(
            'task.duplicate',
            e.loc,
            { task: quote(e.task.task, 60), otherRow: other.loc.row, similarity: `${Math.floor(best.sim * 100)}%` },
            { locale },
          ),
        );
      }
    }
    for (let p = 0; p < prefix; p++) {
      const list = index.get(sorted[p]);
      if (list) list.push(i);
      else index.set(sorted[p], [i]);
    }
  });
};
checkDuplicates.inputs = (rc) => {
  let k = `${rc.view.isTable}\u0001${rc.view.fieldColumn.get('task') ?? ''}\u0001`;
  for (const s of rc.annex.sections) for (const t of s.tasks) k += `${t.source.sheet}\u0001${t.source.row}\u0001${t.task}\u0002`;
  return k;
};
