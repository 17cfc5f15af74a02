// Near-duplicate detection over task texts: foldKey tokens → token sets → Jaccard similarity.
// Candidates come from a prefix-filtered inverted index (features ordered rarest first), which is exact
// for a Jaccard threshold and avoids comparing all pairs.
import { foldKey } from '../normalize/text.js';
import { replaceGuarded } from '../normalize/guard.js';

// Function words that carry no meaning for "is this the same task" (after foldKey: no diacritics).
const STOPWORDS = new Set(
  'va cac cua cho voi trong tren tai theo de ve la nhung mot do nay khi duoc co den tu hoac thi vao'.split(' '),
);

// Common official phrases contracted to their abbreviation, so "CCHC" and "cải cách hành chính" compare
// equal and a four-word phrase counts as one word, not as three shared word pairs.
const PHRASES: [string, string][] = [
  ['van ban quy pham phap luat', 'vbqppl'],
  ['quy pham phap luat', 'qppl'],
  ['can bo cong chuc vien chuc', 'cbccvc'],
  ['cong chuc vien chuc', 'ccvc'],
  ['cai cach hanh chinh', 'cchc'],
  ['thu tuc hanh chinh', 'tthc'],
  ['dich vu cong truc tuyen', 'dvctt'],
  ['dich vu cong', 'dvc'],
  ['cong nghe thong tin', 'cntt'],
  ['uy ban nhan dan', 'ubnd'],
  ['hoi dong nhan dan', 'hdnd'],
  ['chuyen doi so', 'cds'],
];
export const PHRASE_RE = new RegExp(`(^|[^a-z0-9])(?:${PHRASES.map(([p]) => p).join('|')})(?![a-z0-9])`, 'g');
const PHRASE_TO = new Map(PHRASES);

/** Content tokens of a task text: folded, phrases abbreviated, numbers and function words dropped. */
export function taskTokens(text: string): string[] {
  return foldedTokens(foldKey(text));
}

/** taskTokens() of a text already through foldKey(). */
function foldedTokens(folded: string): string[] {
  return replaceGuarded(folded, PHRASE_RE, (m) => PHRASE_TO.get(m)!)
    .split(' ')
    .filter((t) => t && !/^\d+$/.test(t) && !STOPWORDS.has(t));
}

/** taskFeatures() of a text already through foldKey() (consolidation folds each text once). */
export function foldedFeatures(folded: string): string[] {
  return [...new Set(foldedTokens(folded))];
}

/**
 * Features of a task text: its distinct content tokens. Word pairs were tried and rejected on the seed
 * plans: they punish the usual case of one agency elaborating another's shorter wording.
 */
export function taskFeatures(text: string): string[] {
  return [...new Set(taskTokens(text))];
}

/**
 * Ids for the content tokens of folded texts. Consolidation keeps one dictionary, so a text's features are a few
 * integers: counting and encoding them for tens of thousands of texts then needs no string keys. The lists are kept
 * in one pool (a typed array per text cost about 230 bytes, most of the garbage a build left).
 *
 * A folded text is read once, its words hashed as they are read and looked up in a table of their own: no
 * phrase pattern, no split and no string per word (looking each word up in a Map, a fresh string hashed each time,
 * took most of the time of foldedFeatures). Phrases are matched on the words' ids as PHRASE_RE matches them on the
 * text: at the first word where one starts, the first listed wins, and matching goes on after it.
 */
export class TokenDictionary {
  /** Token text by id. */
  readonly texts: string[] = [];
  /**
   * Feature lists, each as its length followed by its ids (replaced when it grows: read it after adding). Small at
   * first so that it grows within the first few texts, before featuresOfBytes is optimised: code compiled before
   * the growth ever ran has no feedback for it, and was thrown away at the first growth and compiled again.
   */
  pool = new Int32Array(64);
  private used = 0;
  /** Open addressing: token id + 1 by slot (0: empty); each id's hash. */
  private slots = new Int32Array(1 << 12);
  private hashes = new Int32Array(1 << 11);
  /** Per id: 1 for a function word (dropped), 2 for the first word of a phrase. */
  private kind = new Uint8Array(1 << 11);
  /**
   * Per id: the last list it was added to (its start in the pool, plus one), so that a list takes each id once by
   * one look, not by a search of the list so far (a quarter of featuresOfBytes with two dozen words a text).
   */
  private inList = new Int32Array(1 << 11);
  /** Phrases as word ids, in PHRASES order, and the id of each one's abbreviation. */
  private phrases: { words: number[]; to: number }[];
  private words = new Int32Array(64);
  /** A string's bytes, for features() and the constructor's words. */
  private scratch = new Uint8Array(256);

  constructor() {
    for (const w of STOPWORDS) this.kind[this.idOfWord(w)] = 1;
    this.phrases = PHRASES.map(([phrase, to]) => ({
      words: phrase.split(' ').map((w) => this.idOfWord(w)),
      to: this.idOfWord(to),
    }));
    for (const p of this.phrases) this.kind[p.words[0]] |= 2;
  }

  /** The bytes of an ASCII string, in the scratch buffer. */
  private bytesOf(s: string): Uint8Array {
    if (s.length > this.scratch.length) this.scratch = new Uint8Array(Math.max(s.length, this.scratch.length * 2));
    const b = this.scratch;
    for (let k = 0; k < s.length; k++) b[k] = s.charCodeAt(k);
    return b;
  }

  private idOfWord(w: string): number {
    const b = this.bytesOf(w);
    return this.idOf(b, 0, w.length, hashOf(b, 0, w.length));
  }

  get size(): number {
    return this.texts.length;
  }

  /** Values used in the pool (lists added are never taken out: a caller bounds it by starting a new dictionary). */
  get poolUsed(): number {
    return this.used;
  }

  /** Id of the token b[from … to) (ASCII bytes), with its hash; added when new. */
  private idOf(b: Uint8Array, from: number, to: number, h: number): number {
    const n = to - from;
    let mask = this.slots.length - 1;
    let at = h & mask;
    for (;;) {
      const e = this.slots[at];
      if (e === 0) break;
      const id = e - 1;
      if (this.hashes[id] === h) {
        const t = this.texts[id];
        if (t.length === n) {
          let k = 0;
          while (k < n && t.charCodeAt(k) === b[from + k]) k++;
          if (k === n) return id;
        }
      }
      at = (at + 1) & mask;
    }
    const id = this.texts.length;
    this.texts.push(String.fromCharCode.apply(null, b.subarray(from, to) as unknown as number[]));
    if (id === this.hashes.length) {
      const hashes = new Int32Array(id * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const kind = new Uint8Array(id * 2);
      kind.set(this.kind);
      this.kind = kind;
      const inList = new Int32Array(id * 2);
      inList.set(this.inList);
      this.inList = inList;
    }
    this.hashes[id] = h;
    this.slots[at] = id + 1;
    if ((id + 1) * 2 > this.slots.length) {
      // Half full: twice the slots, every id placed again.
      this.slots = new Int32Array(this.slots.length * 2);
      mask = this.slots.length - 1;
      for (let k = 0; k <= id; k++) {
        let a = this.hashes[k] & mask;
        while (this.slots[a] !== 0) a = (a + 1) & mask;
        this.slots[a] = k + 1;
      }
    }
    return id;
  }

  /**
   * Adds the ids of foldedFeatures(folded) to the pool, in the same order, and returns where the list starts.
   * `folded` is foldKey's output: words of a–z and 0–9 parted by single spaces.
   */
  features(folded: string): number {
    return this.featuresOfBytes(this.bytesOf(folded), folded.length);
  }

  /** features() of the folded text given as its first `length` bytes (foldKeyBytes), read once. */
  featuresOfBytes(folded: Uint8Array, length: number): number {
    // 1. The words' ids; -1 for a number (never part of a phrase, and dropped).
    let words = this.words;
    let n = 0;
    let h = FNV_OFFSET;
    let from = 0;
    let digits = true;
    for (let i = 0; i <= length; i++) {
      const c = i < length ? folded[i] : 32;
      if (c !== 32) {
        h = Math.imul(h ^ c, FNV_PRIME);
        if (c < 48 || c > 57) digits = false;
        continue;
      }
      if (i > from) {
        if (n === words.length) this.words = words = doubled(words);
        words[n++] = digits ? -1 : this.idOf(folded, from, i, h);
      }
      from = i + 1;
      h = FNV_OFFSET;
      digits = true;
    }
    // 2. Phrases contracted, function words and numbers dropped, each id once.
    if (this.used + n + 1 > this.pool.length) {
      const bigger = new Int32Array(Math.max(this.pool.length * 2, this.used + n + 1));
      bigger.set(this.pool.subarray(0, this.used));
      this.pool = bigger;
    }
    const pool = this.pool;
    const kind = this.kind;
    const inList = this.inList;
    const at = this.used;
    const list = at + 1;
    let end = at + 1;
    for (let i = 0; i < n;) {
      let id = words[i];
      let next = i + 1;
      if (id >= 0 && kind[id] & 2) {
        for (const p of this.phrases) {
          const len = p.words.length;
          if (i + len > n) continue;
          let k = 0;
          while (k < len && words[i + k] === p.words[k]) k++;
          if (k === len) {
            id = p.to;
            next = i + len;
            break;
          }
        }
      }
      i = next;
      if (id < 0 || kind[id] & 1 || inList[id] === list) continue;
      inList[id] = list;
      pool[end++] = id;
    }
    pool[at] = end - at - 1;
    this.used = end;
    return at;
  }
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

function hashOf(b: Uint8Array, from: number, to: number): number {
  let h = FNV_OFFSET;
  for (let i = from; i < to; i++) h = Math.imul(h ^ b[i], FNV_PRIME);
  return h;
}

/** Jaccard similarity of two feature sets given as sorted id arrays. */
export function jaccardSorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return common / (a.length + b.length - common);
}

/** Jaccard similarity of two feature sets (0 when either is empty). */
export function jaccardSets(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (!a.size || !b.size) return 0;
  let common = 0;
  for (const x of a) if (b.has(x)) common++;
  return common / (a.size + b.size - common);
}

/**
 * Jaccard similarity when it reaches `t`, else -1; stops as soon as either set has more elements without a
 * match than it can spare for the overlap `t` needs (most candidates fail early).
 */
export function jaccardAtLeast(a: Int32Array, b: Int32Array, t: number): number {
  return jaccardAtLeastIn(a, 0, a.length, b, 0, b.length, t);
}

/** jaccardAtLeast of a[ai … ai + na) and b[bi … bi + nb) (sets packed in one array). */
function jaccardAtLeastIn(
  a: Int32Array,
  ai: number,
  na: number,
  b: Int32Array,
  bi: number,
  nb: number,
  t: number,
): number {
  if (na === 0 || nb === 0) return -1;
  const need = Math.ceil((t / (1 + t)) * (na + nb) - 1e-9);
  const spareA = na - need;
  const spareB = nb - need;
  if (spareA < 0 || spareB < 0) return -1;
  const aEnd = ai + na;
  const bEnd = bi + nb;
  let i = ai;
  let j = bi;
  let missA = 0;
  let missB = 0;
  while (i < aEnd && j < bEnd) {
    const x = a[i];
    const y = b[j];
    if (x === y) {
      i++;
      j++;
    } else if (x < y) {
      if (++missA > spareA) return -1;
      i++;
    } else {
      if (++missB > spareB) return -1;
      j++;
    }
  }
  missA += aEnd - i;
  missB += bEnd - j;
  if (missA > spareA || missB > spareB) return -1;
  const common = na - missA;
  const sim = common / (na + nb - common);
  return sim >= t - 1e-9 ? sim : -1;
}

/**
 * Feature dictionary shared by every set compared: ids are assigned so that rarer features get smaller
 * ids (call `freeze` after counting), which makes each sorted set start with its rarest features.
 */
export class FeatureSpace {
  private counts = new Map<string, number>();
  private ids = new Map<string, number>();

  count(features: string[]): void {
    for (const f of features) this.counts.set(f, (this.counts.get(f) ?? 0) + 1);
  }

  /** Orders features rarest first; ties broken by text so ids are deterministic. */
  freeze(): void {
    const all = [...this.counts.entries()].sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    all.forEach(([f], i) => this.ids.set(f, i));
  }

  /** Sorted ids; features never counted get ids after all known ones (they match nothing anyway). */
  encode(features: string[]): Int32Array {
    let extra = this.ids.size;
    const ids = features.map((f) => this.ids.get(f) ?? extra++);
    return Int32Array.from(new Set(ids)).sort();
  }
}

/** Length of the prefix that two sets with Jaccard ≥ t must share at least one element of. */
export function prefixLength(size: number, threshold: number): number {
  return size - Math.ceil(threshold * size - 1e-9) + 1;
}

/** A typed array twice as long, with the values of `a` at its start. */
function doubled(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Index of feature sets for threshold queries (prefix filtering with positional pruning, as in PPJoin).
 * Only each set's prefix is indexed; a probe with its own prefix meets every indexed set whose Jaccard
 * similarity can reach the threshold, counts overlaps, drops sets that cannot reach it, then verifies.
 */
export class SimilarityIndex<T> {
  /** Per feature: interleaved (entry id, position in that entry's set). */
  private postings = new Map<number, number[]>();
  private entries: { set: Int32Array; value: T }[] = [];
  /** Per entry, overlap counted by the current query; -1 = pruned. Reset after each query. */
  private overlap = new Int32Array(64);
  /** Set sizes by entry id, and a reusable list of entries the current query touched. */
  private lens = new Int32Array(64);
  private touched = new Int32Array(64);

  constructor(readonly threshold: number) {}

  get size(): number {
    return this.entries.length;
  }

  add(set: Int32Array, value: T): void {
    const id = this.entries.length;
    this.entries.push({ set, value });
    if (id >= this.overlap.length) {
      this.overlap = doubled(this.overlap);
      this.lens = doubled(this.lens);
      this.touched = new Int32Array(this.overlap.length);
    }
    this.lens[id] = set.length;
    const p = Math.min(set.length, prefixLength(set.length, this.threshold));
    for (let i = 0; i < p; i++) {
      const list = this.postings.get(set[i]);
      if (list) list.push(id, i);
      else this.postings.set(set[i], [id, i]);
    }
  }

  /** Indexed values with similarity ≥ threshold, best first (ties: earliest added first). */
  query(set: Int32Array, accept?: (value: T) => boolean): { value: T; similarity: number }[] {
    const n = set.length;
    if (n === 0) return [];
    const t = this.threshold;
    const p = Math.min(n, prefixLength(n, t));
    const overlap = this.overlap;
    const lens = this.lens;
    const touched = this.touched;
    let nTouched = 0;
    for (let i = 0; i < p; i++) {
      const list = this.postings.get(set[i]);
      if (!list) continue;
      for (let k = 0; k < list.length; k += 2) {
        const id = list[k];
        const seen = overlap[id];
        if (seen < 0) continue;
        const m = lens[id];
        if (seen === 0) {
          touched[nTouched++] = id;
          // Size filter: Jaccard ≥ t needs t·|x| ≤ |y| ≤ |x|/t.
          if (m < t * n - 1e-9 || m * t > n + 1e-9) {
            overlap[id] = -1;
            continue;
          }
        }
        // Positional filter: the overlap still reachable must meet the overlap Jaccard ≥ t requires.
        const needed = Math.ceil((t / (1 + t)) * (n + m) - 1e-9);
        const reachable = seen + 1 + Math.min(n - i - 1, m - list[k + 1] - 1);
        overlap[id] = reachable >= needed ? seen + 1 : -1;
      }
    }
    const hits: { id: number; value: T; similarity: number }[] = [];
    for (let k = 0; k < nTouched; k++) {
      const id = touched[k];
      const seen = overlap[id];
      overlap[id] = 0;
      if (seen <= 0) continue;
      const e = this.entries[id];
      if (accept && !accept(e.value)) continue;
      const s = jaccardAtLeast(set, e.set, t);
      if (s >= 0) hits.push({ id, value: e.value, similarity: s });
    }
    hits.sort((a, b) => b.similarity - a.similarity || a.id - b.id);
    return hits.map(({ value, similarity }) => ({ value, similarity }));
  }
}

/**
 * The pairs of feature ids a join indexes, as slots of an open-addressing table: each pair's posting list is a
 * range of one node array (see similarPairs). The join knows every pair it will index before it starts, so the
 * table is made once at its final size: growing it by doubling cost a fifth of the join on a first run (its
 * rehash loop runs too rarely to be optimised). A Map of small arrays per pair held hundreds of thousands of
 * objects at 20k tasks, and garbage collection took more time than the join itself. The two kinds below differ
 * in how a slot holds its pair.
 */
abstract class PairTable {
  /** The table has 2^bits slots, at most half full even if every pair indexed is another. */
  readonly size: number;
  protected readonly shift: number;
  protected readonly mask: number;

  /** Room for `capacity` pairs. */
  constructor(capacity: number) {
    let bits = 4;
    while (1 << bits < capacity * 2) bits++;
    this.size = 1 << bits;
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
  }

  /** The slot of the pair (a, b), or -1 when it is not in the table. */
  abstract find(a: number, b: number): number;
  /** The slot of the pair (a, b), added when new. */
  abstract insert(a: number, b: number): number;
}

/** Any ids: per slot the first id (-1: empty) and the second, side by side (one cache line per probe). */
class WidePairTable extends PairTable {
  private table: Int32Array;

  constructor(capacity: number) {
    super(capacity);
    this.table = new Int32Array(2 * this.size).fill(-1);
  }

  /** The pair's slot, or the empty slot where it would go. */
  private slotOf(a: number, b: number): number {
    const table = this.table;
    // The product's high bits mix every bit of both ids (its low bits would see only the ids' low bits).
    let h = (Math.imul(a, 0x9e3779b1) + Math.imul(b, 0x85ebca77)) >>> this.shift;
    for (;;) {
      const k = table[h << 1];
      if (k === -1 || (k === a && table[(h << 1) + 1] === b)) return h;
      h = (h + 1) & this.mask;
    }
  }

  find(a: number, b: number): number {
    const h = this.slotOf(a, b);
    return this.table[h << 1] === -1 ? -1 : h;
  }

  insert(a: number, b: number): number {
    const h = this.slotOf(a, b);
    this.table[h << 1] = a;
    this.table[(h << 1) + 1] = b;
    return h;
  }
}

/**
 * Ids below 65,536: a pair is one integer (first id in the high half; the first id is the smaller, so 0 is never a
 * pair and marks an empty slot): half the table, for probes that mostly miss.
 */
class PackedPairTable extends PairTable {
  private table: Int32Array;

  constructor(capacity: number) {
    super(capacity);
    this.table = new Int32Array(this.size);
  }

  /** The slot of the pair `key`, or of the empty slot where it would go. */
  private slotOf(a: number, b: number, key: number): number {
    const table = this.table;
    let h = (Math.imul(a, 0x9e3779b1) + Math.imul(b, 0x85ebca77)) >>> this.shift;
    for (;;) {
      const k = table[h];
      if (k === 0 || k === key) return h;
      h = (h + 1) & this.mask;
    }
  }

  find(a: number, b: number): number {
    const key = (a << 16) | b;
    const h = this.slotOf(a, b, key);
    return this.table[h] === 0 ? -1 : h;
  }

  insert(a: number, b: number): number {
    const key = (a << 16) | b;
    const h = this.slotOf(a, b, key);
    this.table[h] = key;
    return h;
  }
}

/** Bits set in a 32-bit integer. */
function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) | 0;
}

/** Overlap two sets of these sizes need for Jaccard ≥ t: |x ∩ y| ≥ t/(1+t)·(|x|+|y|). */
function overlapNeeded(nx: number, ny: number, t: number): number {
  return Math.ceil((t / (1 + t)) * (nx + ny) - 1e-9);
}

/** Length of the prefix a set of size nx indexes its feature pairs from (partners at least as large). */
function indexedPrefix(nx: number, t: number): number {
  return Math.min(nx, nx - Math.max(2, overlapNeeded(nx, nx, t)) + 2);
}

/** Similar pairs as flat columns: pair k is (x[k], y[k]) with Jaccard similarity sim[k]; `count` pairs. */
export interface SimilarPairs {
  count: number;
  x: Int32Array;
  y: Int32Array;
  sim: Float64Array;
}

/** Sets packed in one array: set i is pool[start[i] … start[i] + len[i]), sorted ids. */
export interface PackedSets {
  pool: Int32Array;
  start: Int32Array;
  len: Int32Array;
}

/** The sets packed in one array. */
export function packSets(sets: Int32Array[]): PackedSets {
  const start = new Int32Array(sets.length);
  const len = new Int32Array(sets.length);
  let size = 0;
  sets.forEach((s, i) => {
    start[i] = size;
    len[i] = s.length;
    size += s.length;
  });
  const pool = new Int32Array(size);
  sets.forEach((s, i) => pool.set(s, start[i]));
  return { pool, start, len };
}

/**
 * A caller that takes the pairs as they are found and may say, before a pair is verified, that it would change
 * nothing for it (whatever its similarity): such a pair is neither verified nor passed on.
 */
export interface PairSink {
  /**
   * True when the pair (x, y), if similar, cannot matter: its similarity would be at least `least` and at most
   * `most` (bounds from the sizes and the signatures; values the verification itself would compute).
   */
  settled(x: number, y: number, least: number, most: number): boolean;
  /** A similar pair, with its similarity. */
  add(x: number, y: number, sim: number): void;
}

/**
 * All pairs of sets with Jaccard similarity ≥ t, as in similarityJoin, each pair once (in the order found).
 * Flat columns rather than one array per set: a national roll-up finds tens of thousands of pairs among
 * hundreds of thousands of sets, and one small array per set with a partner was garbage to collect.
 *
 * With a sink, the pairs go to it as they are found instead (the columns are left empty), and a candidate it says
 * is settled is not verified: on a province's annexes most candidates are two texts of one family of a shared task
 * already linked, whose verification (a merge of two sets of two dozen features) was most of the join's time.
 */
export function similarPairs(sets: PackedSets, t: number, sink?: PairSink): SimilarPairs {
  const join = new PairJoin(sets, t, sink);
  for (const x of join.order) join.step(x);
  return join.found;
}

/**
 * The state of one similarPairs join, its stages as methods: each set's step is a call, so that the optimiser
 * compiles each stage once, when it is called often enough, rather than the whole join by on-stack replacement in
 * the middle of its first long loop, which left the code after that loop without type feedback (thrown away when
 * reached, and compiled again: the join was compiled four times on a first run).
 */
class PairJoin {
  readonly pool: Int32Array;
  readonly start: Int32Array;
  readonly len: Int32Array;
  readonly t: number;
  readonly sink: PairSink | undefined;
  /** The sets by size, then index. */
  readonly order: Int32Array;
  readonly found: SimilarPairs = {
    count: 0,
    x: new Int32Array(256),
    y: new Int32Array(256),
    sim: new Float64Array(256),
  };
  private readonly tiny = new Map<number, number[]>();
  private readonly stamp: Int32Array;
  // A 64-bit signature per set (feature id mod 64 as a bit, in two 32-bit halves): each bit of x missing from y
  // stands for at least one feature of x missing from y, which bounds the overlap before the merge walk.
  private readonly sigLo: Int32Array;
  private readonly sigHi: Int32Array;
  // Posting lists in one node array (set, position of the pair's second feature), each pair's a range: the
  // pairs every set will index are counted first, so each list is laid out at its final place and grows at its
  // end as sets are indexed, in the same order as a list appended to. A probe walks a run of memory rather than a
  // linked list through nodes of every pair (most of the join's time on texts that share most of their words).
  private readonly pairs: PairTable;
  /** The slot of each pair indexed, in the order the main loop indexes them. */
  private readonly slotOfNode: Int32Array;
  private readonly listStart: Int32Array;
  private readonly listEnd: Int32Array;
  private readonly node: Int32Array;
  private nodes = 0;
  /** overlapNeeded by the sum of two sets' sizes (needTable). */
  private readonly needOfSum: Int32Array;

  // Each loop of the set-up in a function of its own, called once per join: a loop long enough for on-stack
  // replacement gets its function compiled in the middle of it, and what comes after the loop in that function has
  // had no type feedback yet.
  constructor(sets: PackedSets, t: number, sink: PairSink | undefined) {
    const { pool, start, len } = sets;
    this.pool = pool;
    this.start = start;
    this.len = len;
    this.t = t;
    this.sink = sink;
    const n = len.length;
    const longest = longestOf(len);
    this.order = bySize(len, longest);
    this.stamp = new Int32Array(n);
    this.sigLo = new Int32Array(n);
    this.sigHi = new Int32Array(n);
    const largest = signatures(pool, start, len, this.sigLo, this.sigHi);
    const capacity = pairsIndexed(len, t);
    this.pairs = largest < 0x10000 ? new PackedPairTable(capacity) : new WidePairTable(capacity);
    this.slotOfNode = new Int32Array(capacity);
    this.listEnd = new Int32Array(this.pairs.size);
    this.countAll();
    this.listStart = new Int32Array(this.pairs.size);
    layOut(this.listStart, this.listEnd);
    this.node = new Int32Array(2 * capacity);
    this.nodes = 0;
    this.needOfSum = needTable(2 * longest, t);
  }

  private countAll(): void {
    for (const x of this.order) this.countPairs(x);
  }

  /** The pairs set x will index, added to the table and counted per pair. */
  private countPairs(x: number): void {
    const { pool, pairs, slotOfNode, listEnd } = this;
    const sx = this.start[x];
    const q = indexedPrefix(this.len[x], this.t);
    let nodes = this.nodes;
    for (let i = 0; i < q - 1; i++)
      for (let j = i + 1; j < q; j++) listEnd[(slotOfNode[nodes++] = pairs.insert(pool[sx + i], pool[sx + j]))]++;
    this.nodes = nodes;
  }

  /** Set x probes the sets indexed before it (none larger), then is indexed itself. */
  step(x: number): void {
    const nx = this.len[x];
    if (nx === 0) return;
    this.probe(x, nx);
    this.index(x, nx);
  }

  private probe(x: number, nx: number): void {
    const { pool, len, stamp, t, pairs, listStart, listEnd, node, needOfSum } = this;
    const sx = this.start[x];
    const mark = x + 1;
    const smallest = t * nx - 1e-9; // size filter: earlier sets are never larger, and |y| ≥ t·|x|
    // Tiny pairs: one shared feature may be enough.
    if (overlapNeeded(nx, 1, t) <= 1) {
      for (let i = 0; i < nx; i++) {
        const list = this.tiny.get(pool[sx + i]);
        if (!list) continue;
        for (const y of list) {
          const ny = len[y];
          // Only tiny pairs are marked here: the others are the two-feature probe's, and its filter needs them fresh.
          if (stamp[y] === mark || ny < smallest || overlapNeeded(nx, ny, t) > 1) continue;
          stamp[y] = mark;
          this.verify(x, y);
        }
      }
    }
    // Other pairs: two shared features within both prefixes.
    const probeNeed = Math.max(2, overlapNeeded(nx, Math.max(1, Math.ceil(smallest)), t));
    const p = Math.min(nx, nx - probeNeed + 2);
    for (let i = 0; i < p - 1; i++) {
      const a = pool[sx + i];
      for (let j = i + 1; j < p; j++) {
        const h = pairs.find(a, pool[sx + j]);
        if (h < 0) continue;
        for (let k = listStart[h] << 1, end = listEnd[h] << 1; k < end; k += 2) {
          const y = node[k];
          if (stamp[y] === mark) continue;
          stamp[y] = mark;
          const ny = len[y];
          if (ny < smallest) continue;
          const need = needOfSum[nx + ny];
          // The first pair met is the first two shared features (when the sets are similar at all): what follows
          // the second one in either set bounds the overlap.
          if (need >= 2 && 2 + Math.min(nx - j - 1, ny - node[k + 1] - 1) >= need) this.verify(x, y);
        }
      }
    }
  }

  private index(x: number, nx: number): void {
    const { pool, t, slotOfNode, listEnd, node } = this;
    const sx = this.start[x];
    if (overlapNeeded(nx, nx, t) <= 1) for (let i = 0; i < nx; i++) this.addTiny(pool[sx + i], x);
    const q = indexedPrefix(nx, t);
    let nodes = this.nodes;
    for (let i = 0; i < q - 1; i++)
      for (let j = i + 1; j < q; j++) {
        const at = listEnd[slotOfNode[nodes++]]++ << 1;
        node[at] = x;
        node[at + 1] = j;
      }
    this.nodes = nodes;
  }

  private addTiny(key: number, y: number): void {
    const list = this.tiny.get(key);
    if (list) list.push(y);
    else this.tiny.set(key, [y]);
  }

  private verify(x: number, y: number): void {
    const { len, sigLo, sigHi, pool, start, t } = this;
    const nx = len[x];
    const ny = len[y];
    const need = this.needOfSum[nx + ny];
    const mostX = nx - popcount(sigLo[x] & ~sigLo[y]) - popcount(sigHi[x] & ~sigHi[y]);
    if (mostX < need) return;
    const mostY = ny - popcount(sigLo[y] & ~sigLo[x]) - popcount(sigHi[y] & ~sigHi[x]);
    if (mostY < need) return;
    const sink = this.sink;
    if (sink !== undefined) {
      // A similar pair shares need to min(mostX, mostY) features; its similarity, common / (|x| + |y| − common),
      // grows with the count shared.
      const most = Math.min(mostX, mostY);
      if (sink.settled(x, y, need / (nx + ny - need), most / (nx + ny - most))) return;
    }
    const sim = jaccardAtLeastIn(pool, start[x], nx, pool, start[y], ny, t);
    if (sim < 0) return;
    if (sink !== undefined) {
      sink.add(x, y, sim);
      return;
    }
    const found = this.found;
    const k = found.count++;
    if (k === found.x.length) {
      found.x = doubled(found.x);
      found.y = doubled(found.y);
      const s = new Float64Array(k * 2);
      s.set(found.sim);
      found.sim = s;
    }
    found.x[k] = x;
    found.y[k] = y;
    found.sim[k] = sim;
  }
}

function longestOf(len: Int32Array): number {
  let longest = 0;
  for (let i = 0; i < len.length; i++) if (len[i] > longest) longest = len[i];
  return longest;
}

/**
 * The sets by size, then index: a counting sort (a comparison sort called back into JavaScript for each of a
 * national roll-up's 20,000 sets per area, n log n times).
 */
function bySize(len: Int32Array, longest: number): Int32Array {
  const n = len.length;
  const firstOfLen = new Int32Array(longest + 2);
  for (let i = 0; i < n; i++) firstOfLen[len[i] + 1]++;
  for (let l = 1; l < firstOfLen.length; l++) firstOfLen[l] += firstOfLen[l - 1];
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[firstOfLen[len[i]]++] = i;
  return order;
}

/** Each set's signature into lo and hi (see PairJoin); returns the largest feature id. */
function signatures(
  pool: Int32Array,
  start: Int32Array,
  len: Int32Array,
  sigLo: Int32Array,
  sigHi: Int32Array,
): number {
  let largest = 0;
  for (let i = 0; i < len.length; i++) {
    let lo = 0;
    let hi = 0;
    for (let k = start[i], end = start[i] + len[i]; k < end; k++) {
      const f = pool[k];
      if (f & 32) hi |= 1 << (f & 31);
      else lo |= 1 << (f & 31);
      if (f > largest) largest = f;
    }
    sigLo[i] = lo;
    sigHi[i] = hi;
  }
  return largest;
}

/** How many (pair, set) nodes the join will index: the sum over the sets of C(q, 2), q the indexed prefix. */
function pairsIndexed(len: Int32Array, t: number): number {
  let capacity = 0;
  for (let i = 0; i < len.length; i++) {
    const q = indexedPrefix(len[i], t);
    if (q >= 2) capacity += (q * (q - 1)) / 2;
  }
  return capacity;
}

/** Each list's start from the counts in listEnd, which then holds the starts too (lists fill from there). */
function layOut(listStart: Int32Array, listEnd: Int32Array): void {
  for (let h = 0, at = 0; h < listStart.length; h++) {
    const c = listEnd[h];
    listStart[h] = listEnd[h] = at;
    at += c;
  }
}

/**
 * overlapNeeded by the sum of the sizes (it depends on that only): read from a table in the join's loops (a division
 * and a rounding for each of millions of nodes walked otherwise), with the same values.
 */
function needTable(largestSum: number, t: number): Int32Array {
  const needOfSum = new Int32Array(largestSum + 1);
  for (let sum = 0; sum < needOfSum.length; sum++) needOfSum[sum] = overlapNeeded(sum, 0, t);
  return needOfSum;
}

/**
 * All pairs of sets with Jaccard similarity ≥ t. Exact: every such pair is found, and similarities are verified.
 * Returns, for each set, its similar sets as a flat list [index, similarity, index, similarity, …] in no
 * particular order.
 *
 * Prefix filtering with two shared features (the ℓ-prefix lemma of AllPairs/PPJoin, ℓ = 2): with features
 * ordered rarest first, two sets that share α ≥ 2 features share at least 2 of them within their first |x| − α + 2.
 * Sets are taken by increasing size; each indexes the pairs of features of its prefix (for partners at least as
 * large) and probes with the pairs of its longer prefix (for partners as small as the size filter allows); the
 * positions of the first pair met bound the overlap still possible (PPJoin's positional filter) before verifying. Keying
 * on one feature, as plain prefix filtering does, is quadratic here: a national roll-up holds names and words
 * a thousand tasks share, and their posting lists grow with the count; pairs of them rarely repeat. The few
 * pairs of tiny sets that may need only one shared feature go through a one-feature index of tiny sets.
 */
export function similarityJoin(sets: Int32Array[], t: number): number[][] {
  const { count, x, y, sim } = similarPairs(packSets(sets), t);
  // Lists made for the sets that have a partner only (most have none); the others share one empty list.
  const out: number[][] = new Array<number[]>(sets.length);
  for (let k = 0; k < count; k++) {
    (out[x[k]] ??= []).push(y[k], sim[k]);
    (out[y[k]] ??= []).push(x[k], sim[k]);
  }
  const none: number[] = [];
  for (let i = 0; i < sets.length; i++) out[i] ??= none;
  return out;
}
