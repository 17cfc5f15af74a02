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
  /** Interned token ids, rarest first (ties by id). */
  ids: number[];
  loc: Location;
}

export const checkDuplicates: TableRule = (rc, out) => {
  const { memo, view, locale } = rc;
  const entries: Entry[] = [];
  const taskCol = view.fieldColumn.get('task');
  const tokenId = new Map<string, number>();
  for (const s of rc.annex.sections)
    for (const task of s.tasks) {
      const key = memo.foldKey(task.task);
      if (!key) continue;
      const loc = view.isTable && taskCol !== undefined ? view.location(task.source.sheet, task.source.row, taskCol) : task.source;
      const ids = memo.tokens(task.task).map((t) => {
        let id = tokenId.get(t);
        if (id === undefined) tokenId.set(t, (id = tokenId.size));
        return id;
      });
      entries.push({ task, key, ids, loc });
    }

  // Prefix filtering: a pair at or above the threshold shares a token among the rarest few of each side.
  const freq = new Int32Array(tokenId.size);
  for (const e of entries) for (const id of e.ids) freq[id]++;
  for (const e of entries) e.ids.sort((a, b) => freq[a] - freq[b] || a - b);
  const mark = new Int32Array(tokenId.size).fill(-1); // mark[token] = entry whose tokens are marked
  const tried = new Int32Array(entries.length).fill(-1); // tried[j] = entry that already compared with j
  const exact = new Map<string, Entry>();
  const index = new Map<number, number[]>();
  const T = NEAR_DUPLICATE_THRESHOLD;

  entries.forEach((e, i) => {
    const same = exact.get(e.key);
    if (same) {
      out.push(makeDiagnostic('task.duplicate', e.loc, { task: quote(e.task.task, 60), otherRow: same.loc.row, similarity: '100%' }, { locale }));
    } else exact.set(e.key, e);

    const n = e.ids.length;
    if (n < NEAR_DUPLICATE_MIN_TOKENS) return;
    const prefix = n - Math.ceil(T * n) + 1;
    if (!same) {
      for (const id of e.ids) mark[id] = i;
      let best = -1;
      let bestSim = 0;
      for (let p = 0; p < prefix; p++) {
        for (const j of index.get(e.ids[p]) ?? []) {
          if (tried[j] === i) continue;
          tried[j] = i;
          const other = entries[j].ids;
          const m = other.length;
          if (m < T * n || n < T * m) continue;
          let common = 0;
          for (const id of other) if (mark[id] === i) common++;
          const sim = common / (n + m - common);
          if (sim >= T && sim > bestSim) {
            best = j;
            bestSim = sim;
          }
        }
      }
      if (best >= 0) {
        out.push(
          makeDiagnostic(
            'task.duplicate',
            e.loc,
            { task: quote(e.task.task, 60), otherRow: entries[best].loc.row, similarity: `${Math.floor(bestSim * 100)}%` },
            { locale },
          ),
        );
      }
    }
    for (let p = 0; p < prefix; p++) {
      const list = index.get(e.ids[p]);
      if (list) list.push(i);
      else index.set(e.ids[p], [i]);
    }
  });
};
checkDuplicates.inputs = (rc) => {
  let k = `${rc.view.isTable}\u0001${rc.view.fieldColumn.get('task') ?? ''}\u0001`;
  for (const s of rc.annex.sections) for (const t of s.tasks) k += `${t.source.sheet}\u0001${t.source.row}\u0001${t.task}\u0002`;
  return k;
};
