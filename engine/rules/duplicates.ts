// Duplicate tasks within one annex: the same normalised text (foldKey equality), or nearly the same wording
// (Jaccard similarity of content tokens at or above NEAR_DUPLICATE_THRESHOLD). Each task is compared with the
// tasks before it: the first with the same text, else the most similar one (the earliest on a tie).
// A full check finds candidate pairs by prefix filtering on rare tokens, so a 2,000-row annex does not compare
// every pair. In a session the rule keeps its last entries and results: after an edit only the edited tasks,
// and the tasks after them that could now match them (or matched them before), are compared again.
import type { Diagnostic, Task } from '../model.js';
import { jaccardAtLeast } from '../merge/similarity.js';
import { makeDiagnostic } from './diagnostic.js';
import { quote, type Memo, type TableRule } from './facts.js';

export const NEAR_DUPLICATE_THRESHOLD = 0.85;
/** Near-duplicates need enough words to mean something; shorter tasks only match exactly. */
export const NEAR_DUPLICATE_MIN_TOKENS = 5;

interface Entry {
  task: Task;
  key: string;
  /** Interned token ids, ascending. */
  ids: Int32Array;
  sheet: string;
  row: number;
}

/** The task an entry duplicates: an earlier entry, and how similar (1 = same text). */
interface Match {
  j: number;
  sim: number;
  exact: boolean;
}

interface State {
  signature: string;
  tokenIds: Map<string, number>;
  /** Clears of the shared token table so far: ids of an older epoch mean something else. */
  epoch: number;
  entries: Entry[];
  matches: (Match | null)[];
  diagnostics: (Diagnostic | null)[];
}

const T = NEAR_DUPLICATE_THRESHOLD;
/** More edited tasks than this at once: a full check is as cheap as the incremental one. */
const MAX_INCREMENTAL = 16;

/**
 * The Jaccard similarity of two ascending id lists when it reaches the threshold, else -1 (the consolidation's own
 * measure; most candidate pairs are dropped as soon as too many ids differ).
 */
const similarity = (a: Int32Array, b: Int32Array): number => jaccardAtLeast(a, b, T);

/**
 * The overlap two lists of n and m ids need for a Jaccard similarity at the threshold (as jaccardAtLeast counts it);
 * it depends on n + m only.
 */
function overlapNeeded(n: number, m: number): number {
  return Math.ceil((T / (1 + T)) * (n + m) - 1e-9);
}

/** Sizes that cannot reach the threshold (Jaccard ≤ min/max) are never compared. */
function sizesFit(n: number, m: number): boolean {
  return n >= NEAR_DUPLICATE_MIN_TOKENS && m >= NEAR_DUPLICATE_MIN_TOKENS && m >= T * n && n >= T * m;
}

/** The match of entry i among entries 0..i-1, by comparing with each of them. */
function matchOf(entries: Entry[], i: number): Match | null {
  const e = entries[i];
  for (let j = 0; j < i; j++) if (entries[j].key === e.key) return { j, sim: 1, exact: true };
  let best: Match | null = null;
  for (let j = 0; j < i; j++) {
    const o = entries[j];
    const sim = sizesFit(e.ids.length, o.ids.length) ? similarity(e.ids, o.ids) : -1;
    if (sim < 0) continue;
    if (!best || sim > best.sim) best = { j, sim, exact: false };
  }
  return best;
}

// Token ids of task texts, shared by all validations (a one-off validate() of an unchanged annex looks its
// tasks up instead of interning every token again). Bounded like the other memos.
const tokenIds = new Map<string, number>();
const idsByText = new Map<string, Int32Array>();
let clears = 0;
const epoch = () => clears;

function idsOf(memo: Memo, text: string): Int32Array {
  const hit = idsByText.get(text);
  if (hit) return hit;
  const ids = Int32Array.from(memo.tokens(text), (t) => {
    let id = tokenIds.get(t);
    if (id === undefined) tokenIds.set(t, (id = tokenIds.size));
    return id;
  }).sort();
  idsByText.set(text, ids);
  return ids;
}

/** Set bits of a 32-bit word. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** A 32-bit signature of an id set: one bit per id, picked by a multiplicative hash. */
function signature(ids: Int32Array): number {
  let sig = 0;
  for (let k = 0; k < ids.length; k++) sig |= 1 << (Math.imul(ids[k], 0x9e3779b1) >>> 27);
  return sig;
}

/**
 * Every entry's match, with prefix filtering over tokens ordered rarest first. Everything the pairs loop reads lives
 * in flat typed arrays made once per check (sizes, signatures, prefixes, the per-word lists of entries): no array
 * per entry or per word, and no entry object read per candidate pair until one is compared.
 */
function matchAll(entries: Entry[], tokens: number): (Match | null)[] {
  const count = entries.length;
  const freq = new Int32Array(tokens);
  const size = new Int32Array(count);
  const sig = new Int32Array(count);
  let prefixTotal = 0;
  let maxSize = 0;
  let maxPrefix = 0;
  for (let i = 0; i < count; i++) {
    const ids = entries[i].ids;
    const n = ids.length;
    size[i] = n;
    sig[i] = signature(ids);
    if (n > maxSize) maxSize = n;
    for (let k = 0; k < n; k++) freq[ids[k]]++;
    if (n < NEAR_DUPLICATE_MIN_TOKENS) continue;
    const k = n - Math.ceil(T * n) + 1;
    prefixTotal += k;
    if (k > maxPrefix) maxPrefix = k;
  }
  // The overlap a pair needs depends on its total size only: a table instead of a rounding per pair.
  const need = new Int32Array(2 * maxSize + 1);
  for (let t = 0; t <= 2 * maxSize; t++) need[t] = overlapNeeded(t, 0);
  // Each entry's prefix: its n - ⌈T·n⌉ + 1 rarest ids (by frequency, then id), rarest first, at
  // prefixIds[prefixStart[i] … prefixStart[i + 1]). One pass over the ids keeps the smallest (frequency, id) keys.
  const prefixStart = new Int32Array(count + 1);
  const prefixIds = new Int32Array(prefixTotal);
  const listStart = new Int32Array(tokens + 1);
  const keys = new Float64Array(maxPrefix);
  let p = 0;
  for (let i = 0; i < count; i++) {
    prefixStart[i] = p;
    const ids = entries[i].ids;
    const n = ids.length;
    if (n < NEAR_DUPLICATE_MIN_TOKENS) continue;
    const k = n - Math.ceil(T * n) + 1;
    let have = 0;
    for (let x = 0; x < n; x++) {
      const id = ids[x];
      const key = freq[id] * 0x100000000 + id; // exact below 2^21 tasks
      if (have === k && key >= keys[k - 1]) continue;
      let at = have < k ? have++ : k - 1;
      for (; at > 0 && keys[at - 1] > key; at--) keys[at] = keys[at - 1];
      keys[at] = key;
    }
    for (let r = 0; r < have; r++) {
      const id = keys[r] % 0x100000000;
      prefixIds[p++] = id;
      listStart[id + 1]++;
    }
  }
  prefixStart[count] = p;
  // Per word: the entries whose prefix holds it, in entry order, and the word's place in each of those prefixes.
  for (let t = 0; t < tokens; t++) listStart[t + 1] += listStart[t];
  const holder = new Int32Array(p);
  const place = new Int32Array(p);
  const filled = listStart.slice(0, tokens);
  for (let i = 0; i < count; i++)
    for (let q = prefixStart[i], end = prefixStart[i + 1]; q < end; q++) {
      const at = filled[prefixIds[q]]++;
      holder[at] = i;
      place[at] = q - prefixStart[i];
    }
  const exact = new Map<string, number>();
  const tried = new Int32Array(count).fill(-1); // tried[j] = entry that already compared with j
  const out: (Match | null)[] = new Array<Match | null>(count);
  for (let i = 0; i < count; i++) {
    const e = entries[i];
    const same = exact.get(e.key);
    if (same !== undefined) {
      out[i] = { j: same, sim: 1, exact: true };
      continue;
    }
    exact.set(e.key, i);
    let best: Match | null = null;
    const from = prefixStart[i];
    const to = prefixStart[i + 1];
    if (from < to) {
      const n = size[i];
      // The sizes sizesFit accepts beside n (m ≥ T·n and n ≥ T·m, in the same floating-point terms).
      const lo = Math.max(NEAR_DUPLICATE_MIN_TOKENS, Math.ceil(T * n));
      let hi = Math.floor(n / T) + 1;
      while (hi > 0 && !(n >= T * hi)) hi--;
      const sigI = sig[i];
      for (let pq = from; pq < to; pq++) {
        const left = n - (pq - from); // this word and the ones after it in the prefix
        const id = prefixIds[pq];
        // Only the entries before this one: a word's list is in entry order.
        for (let q = listStart[id], end = listStart[id + 1]; q < end; q++) {
          const j = holder[q];
          if (j >= i) break;
          if (tried[j] === i) continue;
          tried[j] = i;
          const m = size[j];
          const a = need[n + m];
          // Sizes that cannot reach the threshold; then the positional filter (PPJoin): the pair is met first at this
          // word, so no word rarer than it is common to both, and the overlap is at most this word and the words
          // after it on each side.
          if (m < lo || m > hi || left < a || m - place[q] < a) continue;
          // Ids of one set whose signature bit the other set lacks are not in it: more than it can spare, and the
          // overlap cannot reach a (as jaccardAtLeast would find, without walking both lists).
          const sigJ = sig[j];
          if (popcount(sigI & ~sigJ) > n - a || popcount(sigJ & ~sigI) > m - a) continue;
          const sim = similarity(e.ids, entries[j].ids);
          if (sim < 0) continue;
          // The earliest of equally similar tasks, as matchOf finds it.
          if (!best || sim > best.sim || (sim === best.sim && j < best.j)) best = { j, sim, exact: false };
        }
      }
    }
    out[i] = best;
  }
  return out;
}

/**
 * Which matches can differ after the entries in `changed` (ascending indexes) got new texts: the changed entries
 * themselves, and later entries that matched a changed one or now share its text or come close to it.
 */
function rematch(
  entries: Entry[],
  old: Entry[],
  matches: (Match | null)[],
  changed: number[],
): { matches: (Match | null)[]; redone: Set<number> } {
  const next = matches.slice();
  const redone = new Set<number>();
  const isChanged = new Set(changed);
  for (let i = changed[0]; i < entries.length; i++) {
    let again = isChanged.has(i);
    const m = matches[i];
    if (!again && m && isChanged.has(m.j)) again = true;
    if (!again) {
      const e = entries[i];
      for (const c of changed) {
        if (c >= i) break;
        const now = entries[c];
        // An earlier entry now or formerly of the same text decides which one is "first".
        if (now.key === e.key || old[c].key === e.key) again = true;
        else if (!m?.exact && sizesFit(e.ids.length, now.ids.length) && similarity(e.ids, now.ids) >= 0) again = true;
        if (again) break;
      }
    }
    if (again) {
      next[i] = matchOf(entries, i);
      redone.add(i);
    }
  }
  return { matches: next, redone };
}

export const checkDuplicates: TableRule = (rc, out) => {
  const { memo, view, locale } = rc;
  const taskCol = view.fieldColumn.get('task');
  const signature = `${view.isTable}\u0001${taskCol ?? ''}\u0001${locale}`;
  const kept = rc.state?.get(checkDuplicates) as State | undefined;
  // Cleared between checks only, so the ids of one check are all of one table; ids from before a clear
  // cannot be compared with new ones.
  if (idsByText.size > 50_000 || tokenIds.size > 200_000) {
    idsByText.clear();
    tokenIds.clear();
    clears++;
  }
  const prev =
    kept && kept.signature === signature && kept.tokenIds === tokenIds && kept.epoch === epoch() ? kept : undefined;

  const entries: Entry[] = [];
  const changed: number[] = [];
  let sameLayout = !!prev;
  for (const s of rc.annex.sections)
    for (const task of s.tasks) {
      // The same task object as last time at this place (a section the re-read kept): its entry as it was.
      const kept = prev?.entries[entries.length];
      if (kept && kept.task === task) {
        entries.push(kept);
        continue;
      }
      const key = memo.foldKey(task.task);
      if (!key) continue;
      const i = entries.length;
      const before = prev?.entries[i];
      let ids: Int32Array;
      // The same text as last time at this place: same tokens (a case or accent change is a change: it is quoted).
      if (before && before.task.task === task.task) ids = before.ids;
      else {
        ids = idsOf(memo, task.task);
        changed.push(i);
      }
      entries.push({ task, key, ids, sheet: task.source.sheet, row: task.source.row });
      if (before && (before.sheet !== task.source.sheet || before.row !== task.source.row)) sameLayout = false;
    }
  if (prev && entries.length !== prev.entries.length) sameLayout = false;

  const location = (e: Entry) =>
    view.isTable && taskCol !== undefined ? view.location(e.sheet, e.row, taskCol) : e.task.source;
  const diagnosticOf = (i: number, matches: (Match | null)[]): Diagnostic | null => {
    const m = matches[i];
    if (!m) return null;
    const e = entries[i];
    const params = {
      task: quote(e.task.task, 60),
      otherRow: location(entries[m.j]).row,
      similarity: m.exact ? '100%' : `${Math.floor(m.sim * 100)}%`,
    };
    return makeDiagnostic('task.duplicate', location(e), params, { locale });
  };

  // The same places (sameLayout) keep their diagnostics: only the entries whose match was looked for again get new
  // ones (the list of the last check is copied, never changed: the state keeps it).
  let matches: (Match | null)[];
  let diagnostics: (Diagnostic | null)[];
  if (prev && sameLayout && changed.length === 0) {
    matches = prev.matches;
    diagnostics = prev.diagnostics;
  } else if (prev && sameLayout && changed.length <= MAX_INCREMENTAL) {
    const r = rematch(entries, prev.entries, prev.matches, changed);
    matches = r.matches;
    diagnostics = prev.diagnostics.slice();
    for (const i of r.redone) diagnostics[i] = diagnosticOf(i, matches);
  } else {
    matches = matchAll(entries, tokenIds.size);
    diagnostics = entries.map((_, i) => diagnosticOf(i, matches));
  }
  for (const d of diagnostics) if (d) out.push(d);
  rc.state?.set(checkDuplicates, {
    signature,
    tokenIds,
    epoch: epoch(),
    entries,
    matches,
    diagnostics,
  } satisfies State);
};
