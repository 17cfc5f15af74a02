// An agency's next submission body is most often its last one with a few cells changed: the same bytes but for a
// run in the middle. Decoding 51 KB of Vietnamese JSON to a string, JSON.parse and the contract check cost about
// 0.5 ms a submission, and every row they make is a new object. A parse thread keeps each agency's last body with
// the byte span of every grid row in it; a new body that differs from it only inside a run of rows of one grid is
// parsed as those rows alone (decoded, JSON.parse and checked with the contract's row schema) and the other rows are
// the very objects of the last parse. What it gives equals JSON.parse + the contract check of the whole body: the
// body is the last one with a list of rows replaced by another list of rows, and each row is checked on its own by
// the schema (the grids' count and the other fields lie in the unchanged bytes). Anything else (a change outside the
// rows, a new row that is not one, a body never seen) returns undefined and is parsed whole.
import { z } from 'zod';
import { GridRowSchema, type GridRow } from '../../engine/index.js';
import type { SubmissionJsonBody } from '../../contracts/submissions.js';
import { gridAround, rowsOf } from './grid-shape.js';

/** The contract's output for a submission body (grids and fields, keys in the schema's order). */
export type SubmissionBody = z.infer<typeof SubmissionJsonBody>;

const Rows = z.array(GridRowSchema);

interface Kept {
  bytes: Uint8Array;
  body: SubmissionBody;
  /** Per grid, each row's JSON value as [start, end) byte offsets, flat: start0, end0, start1, end1… */
  spans: number[][];
}

// Bytes of the JSON syntax the scanner reads.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** A thrown marker: the body is not laid out as the scanner reads it (the caller keeps no spans). */
const UNREAD = new Error('body not scanned');

/**
 * Reads the byte spans of valid JSON (JSON.parse accepted it): only what locating the rows needs. Keys are compared
 * as raw bytes; a key with an escape, or a second "grids" or "rows", is not read (JSON.parse would take the last).
 */
class Scanner {
  i = 0;
  constructor(private readonly b: Uint8Array) {}

  space(): void {
    while (this.i < this.b.length && isSpace(this.b[this.i])) this.i++;
  }

  expect(c: number): void {
    this.space();
    if (this.b[this.i] !== c) throw UNREAD;
    this.i++;
  }

  /** Past a string starting at i (a quote); returns its raw content's span. */
  string(): [number, number] {
    const b = this.b;
    const start = ++this.i;
    for (;;) {
      const c = b[this.i];
      if (c === QUOTE) break;
      if (c === BACKSLASH) this.i++;
      else if (c === undefined) throw UNREAD;
      this.i++;
    }
    return [start, this.i++];
  }

  /** Past the value starting at i (after spaces). */
  value(): void {
    const b = this.b;
    this.space();
    const c = b[this.i];
    if (c === QUOTE) {
      this.string();
      return;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      let depth = 0;
      for (;;) {
        const d = b[this.i];
        if (d === undefined) throw UNREAD;
        if (d === QUOTE) {
          this.string();
          continue;
        }
        if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
        else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) depth--;
        this.i++;
        if (depth === 0) return;
      }
    }
    // A number or a literal.
    while (this.i < b.length) {
      const d = b[this.i];
      if (d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || isSpace(d)) break;
      this.i++;
    }
  }

  /** The members of the object at i: `member` is called with each key (null when it has an escape) at its value. */
  object(member: (key: string | null) => void): void {
    this.expect(OPEN_OBJECT);
    this.space();
    if (this.b[this.i] === CLOSE_OBJECT) {
      this.i++;
      return;
    }
    for (;;) {
      this.space();
      if (this.b[this.i] !== QUOTE) throw UNREAD;
      const [s, e] = this.string();
      let key: string | null = '';
      for (let k = s; k < e; k++) {
        if (this.b[k] === BACKSLASH) {
          key = null;
          break;
        }
        key += String.fromCharCode(this.b[k]);
      }
      this.expect(COLON);
      member(key);
      this.space();
      const c = this.b[this.i++];
      if (c === CLOSE_OBJECT) return;
      if (c !== COMMA) throw UNREAD;
    }
  }

  /** The elements of the array at i: `element` is called at each (after spaces). */
  array(element: () => void): void {
    this.expect(OPEN_ARRAY);
    this.space();
    if (this.b[this.i] === CLOSE_ARRAY) {
      this.i++;
      return;
    }
    for (;;) {
      this.space();
      element();
      this.space();
      const c = this.b[this.i++];
      if (c === CLOSE_ARRAY) return;
      if (c !== COMMA) throw UNREAD;
    }
  }
}

/** Each grid's row spans in a submission body, or undefined when it is not laid out as plain keys. */
export function rowSpans(bytes: Uint8Array): number[][] | undefined {
  const s = new Scanner(bytes);
  let grids: number[][] | undefined;
  try {
    s.object((key) => {
      if (key === null) throw UNREAD;
      if (key !== 'grids') return s.value();
      if (grids) throw UNREAD;
      grids = [];
      s.array(() => {
        let rows: number[] | undefined;
        s.object((k) => {
          if (k === null) throw UNREAD;
          if (k !== 'rows') return s.value();
          if (rows) throw UNREAD;
          rows = [];
          s.array(() => {
            rows!.push(s.i);
            s.value();
            rows!.push(s.i);
          });
        });
        if (!rows) throw UNREAD;
        grids!.push(rows);
      });
    });
  } catch (err) {
    if (err === UNREAD) return undefined;
    throw err;
  }
  return grids;
}

/** Bytes of a and b alike from the start. */
function commonPrefix(a: Uint8Array, b: Uint8Array, max: number): number {
  let i = 0;
  // Whole blocks compared natively first, then byte by byte within the first block that differs.
  const block = 512;
  const A = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const B = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  while (i + block <= max && A.compare(B, i, i + block, i, i + block) === 0) i += block;
  while (i < max && a[i] === b[i]) i++;
  return i;
}

/** Bytes of a and b alike from the end, at most `max`. */
function commonSuffix(a: Uint8Array, b: Uint8Array, max: number): number {
  let n = 0;
  const block = 512;
  const A = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const B = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const la = a.length;
  const lb = b.length;
  while (n + block <= max && A.compare(B, lb - n - block, lb - n, la - n - block, la - n) === 0) n += block;
  while (n < max && a[la - n - 1] === b[lb - n - 1]) n++;
  return n;
}

/** The last index k (a row) with spans[2k] ≤ at, or -1. */
function lastStartAtOrBefore(spans: number[], at: number): number {
  let lo = 0;
  let hi = spans.length / 2 - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[2 * mid] <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The first index k (a row) with spans[2k + 1] ≥ at, or -1. */
function firstEndAtOrAfter(spans: number[], at: number): number {
  let lo = 0;
  let hi = spans.length / 2 - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[2 * mid + 1] >= at) {
      found = mid;
      hi = mid - 1;
    } else lo = mid + 1;
  }
  return found;
}

/**
 * The last submission body of each agency a thread parsed, most recently used last, bounded by their bytes. Only a
 * cache: a miss parses the whole body.
 */
export class BodyDelta {
  private readonly entries = new Map<string, Kept>();
  private bytes = 0;
  /** How the last parse went (tests). */
  last: 'delta' | 'whole' = 'whole';

  constructor(private readonly maxBytes = 8 * 1024 * 1024) {}

  /** The body as the contract parses it, from the agency's last body and the rows that changed; else undefined. */
  parse(key: string, bytes: Uint8Array): SubmissionBody | undefined {
    this.last = 'whole';
    const kept = this.entries.get(key);
    if (!kept) return undefined;
    const a = kept.bytes;
    const b = bytes;
    const max = Math.min(a.length, b.length);
    const p = commonPrefix(a, b, max);
    if (p === a.length && p === b.length) {
      // The same body again (a resubmission): the same parse, in grid objects of its own.
      const body: SubmissionBody = { ...kept.body, grids: kept.body.grids.map((x) => gridAround(x, x.rows)) };
      this.put(key, { bytes, body, spans: kept.spans });
      this.last = 'delta';
      return body;
    }
    const s = commonSuffix(a, b, max - p);
    const endA = a.length - s;
    const delta = b.length - a.length;
    // The grid whose rows hold every byte that differs.
    let g = -1;
    let first = -1;
    let last = -1;
    for (let k = 0; k < kept.spans.length; k++) {
      const spans = kept.spans[k];
      if (!spans.length || spans[0] > p || spans[spans.length - 1] < endA) continue;
      first = lastStartAtOrBefore(spans, p);
      last = firstEndAtOrAfter(spans, endA);
      if (first >= 0 && last >= first) g = k;
      break;
    }
    if (g < 0) return undefined;
    const spans = kept.spans[g];
    const start = spans[2 * first];
    const end = spans[2 * last + 1] + delta;
    if (end <= start) return undefined;
    const part = Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(`[${part}]`);
    } catch {
      return undefined;
    }
    if (!Array.isArray(parsed) || parsed.length === 0) return undefined;
    const checked = Rows.safeParse(parsed);
    if (!checked.success) return undefined;
    const fresh: GridRow[] = rowsOf(checked.data);
    // The new rows' spans: one row spans the whole part; more are found by scanning it.
    const freshSpans: number[] = [];
    if (fresh.length === 1) freshSpans.push(start, end);
    else {
      const scan = new Scanner(b);
      scan.i = start;
      for (let k = 0; k < fresh.length; k++) {
        scan.space();
        freshSpans.push(scan.i);
        scan.value();
        freshSpans.push(scan.i);
        scan.space();
        scan.i++; // the comma between rows
      }
    }
    const oldGrids = kept.body.grids;
    const grid = oldGrids[g];
    const rows = [...grid.rows.slice(0, first), ...fresh, ...grid.rows.slice(last + 1)];
    const grids = oldGrids.map((x, k) => gridAround(x, k === g ? rows : x.rows));
    const nextSpans = kept.spans.map((x, k) => {
      if (k < g) return x;
      if (k > g) return x.map((o) => o + delta);
      const out = x.slice(0, 2 * first);
      out.push(...freshSpans);
      for (let o = 2 * (last + 1); o < x.length; o++) out.push(x[o] + delta);
      return out;
    });
    const body: SubmissionBody = { ...kept.body, grids };
    this.put(key, { bytes, body, spans: nextSpans });
    this.last = 'delta';
    return body;
  }

  /** Keeps a body parsed whole (the contract's output of exactly these bytes) for the agency's next one. */
  keep(key: string, bytes: Uint8Array, body: SubmissionBody): void {
    const spans = bytes.byteLength <= this.maxBytes ? rowSpans(bytes) : undefined;
    const fits =
      spans && spans.length === body.grids.length && spans.every((x, k) => x.length === 2 * body.grids[k].rows.length);
    if (!fits) {
      this.drop(key);
      return;
    }
    this.put(key, { bytes, body, spans });
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.bytes.byteLength;
  }

  private put(key: string, e: Kept): void {
    this.drop(key);
    if (e.bytes.byteLength > this.maxBytes) return;
    this.entries.set(key, e);
    this.bytes += e.bytes.byteLength;
    for (const [k, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= old.bytes.byteLength;
    }
  }
}
