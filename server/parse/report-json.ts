// Stored JSON as UTF-8 bytes, byte for byte what Buffer.from(JSON.stringify(value)) gives, built from the parts that
// did not change since this thread last wrote them. Encoding a fresh 76 KB report with Vietnamese text to UTF-8 costs
// more than serialising it (about 0.8 ms: V8 walks a two-byte string character by character), and most of a changed
// submission's report and grids are what they were. An agency's session (./sessions.ts) hands back the very task
// objects it did not re-read, and task ids are given on a copy down to the tasks that shares everything below them
// (engine/merge/task-id.ts): a task whose fields hold the same values as last time has the same bytes as last time.
import type { Grid, Report } from '../../engine/index.js';

type Plain = Record<string, unknown>;
type Piece = string | Buffer;

/** The same own keys in the same order, holding the same values (the same objects below). */
function shallowSame(a: Plain, b: Plain): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i] || a[ka[i]] !== b[ka[i]]) return false;
  return true;
}

/**
 * JSON.stringify of a plain object, split around the value of `key`: the text before it (up to its colon) and after
 * it. As JSON.stringify does, a key whose value has no JSON (undefined, a function) is left out.
 */
export function around(o: object, key: string): [string, string] {
  let head = '{';
  let tail = '';
  let seen = false;
  let any = false;
  for (const [k, value] of Object.entries(o)) {
    const v = k === key ? '' : JSON.stringify(value);
    if (v === undefined) continue;
    const piece = `${any ? ',' : ''}${JSON.stringify(k)}:${v}`;
    any = true;
    if (seen) tail += piece;
    else head += piece;
    if (k === key) seen = true;
  }
  return [head, `${tail}}`];
}

/**
 * The pieces as one buffer: runs of text encoded once each, kept bytes copied. Sized first and written in place: a
 * report's or grids' pieces are mostly kept bytes with a comma between them, and a buffer made for each comma (about
 * 800 per changed submission) cost more than the copying.
 */
export function joinPieces(pieces: Piece[]): Buffer {
  let size = 0;
  let text = '';
  for (const p of pieces) {
    if (typeof p === 'string') text += p;
    else {
      if (text) size += Buffer.byteLength(text);
      text = '';
      size += p.length;
    }
  }
  if (text) size += Buffer.byteLength(text);
  // As Buffer.concat makes it: above the pool's half, a buffer of its own (moved to the main thread whole).
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  text = '';
  const flush = () => {
    // A lone ASCII character (the commas and brackets between kept bytes) is its own byte.
    if (text.length === 1 && text.charCodeAt(0) < 0x80) out[at++] = text.charCodeAt(0);
    else at += out.write(text, at);
    text = '';
  };
  for (const p of pieces) {
    if (typeof p === 'string') text += p;
    else {
      if (text) flush();
      out.set(p, at);
      at += p.length;
    }
  }
  if (text) flush();
  return out;
}

/** A task as last written: the object and its bytes, kept by the task the engine made (or the task itself). */
const lastBytes = new WeakMap<object, { task: Plain; bytes: Buffer }>();

function taskBytes(task: Plain, made: Plain | undefined): Buffer {
  const key = made ?? task;
  const last = lastBytes.get(key);
  if (last && shallowSame(last.task, task)) return last.bytes;
  const bytes = Buffer.from(JSON.stringify(task));
  lastBytes.set(key, { task, bytes });
  return bytes;
}

/**
 * A diagnostic's bytes, kept by the diagnostic object with a shallow copy of it: a session hands back the diagnostics
 * of the rows it did not re-read (most of a changed submission's), and serialising the report's 11 KB of
 * diagnostics afresh each time cost more than the rest of its head.
 */
function keptBytes(o: Plain): Buffer {
  const last = lastBytes.get(o);
  if (last && shallowSame(last.task, o)) return last.bytes;
  const bytes = Buffer.from(JSON.stringify(o));
  lastBytes.set(o, { task: { ...o }, bytes });
  return bytes;
}

/** JSON.stringify of an array as pieces, its plain objects' bytes kept (keptBytes). */
function arrayPieces(list: unknown[], pieces: Piece[]): void {
  pieces.push('[');
  for (let i = 0; i < list.length; i++) {
    if (i) pieces.push(',');
    const x = list[i];
    // In an array JSON.stringify writes what has no JSON (undefined, a function) as null.
    if (x !== null && typeof x === 'object' && !Array.isArray(x) && !('toJSON' in x))
      pieces.push(keptBytes(x as Plain));
    else pieces.push(JSON.stringify(x) ?? 'null');
  }
  pieces.push(']');
}

/**
 * Buffer.from(JSON.stringify(report)), each task's and diagnostic's bytes reused when it is the same as last time.
 * `made`: the report as the engine made it, before ids were given on a copy (the same sections and tasks in the
 * same places).
 */
export function reportBytes(report: Report, made: Report = report): Buffer {
  const pieces: Piece[] = ['{'];
  let any = false;
  for (const [k, value] of Object.entries(report)) {
    // As JSON.stringify does, a key whose value has no JSON is left out.
    const plain = k === 'sections' || (k === 'diagnostics' && Array.isArray(value)) ? '' : JSON.stringify(value);
    if (plain === undefined) continue;
    pieces.push(`${any ? ',' : ''}${JSON.stringify(k)}:`);
    any = true;
    if (k === 'sections') sectionPieces(report, made, pieces);
    else if (plain === '') arrayPieces(value as unknown[], pieces);
    else pieces.push(plain);
  }
  pieces.push('}');
  return joinPieces(pieces);
}

function sectionPieces(report: Report, made: Report, pieces: Piece[]): void {
  pieces.push('[');
  report.sections.forEach((s, i) => {
    const [sh, st] = around(s, 'tasks');
    pieces.push(i ? ',' : '', sh, '[');
    s.tasks.forEach((t, j) => {
      if (j) pieces.push(',');
      pieces.push(taskBytes(t as unknown as Plain, made.sections[i]?.tasks[j] as unknown as Plain | undefined));
    });
    pieces.push(']', st);
  });
  pieces.push(']');
}

/**
 * Buffer.from(JSON.stringify(grids)) from each row's bytes: `rowBytes[g][r]` when kept (undefined: made here, and
 * kept). Grids come out of the contract's schema with their keys in its order, so equal rows have equal JSON.
 */
export function gridsBytes(grids: Grid[], rowBytes: (Buffer | undefined)[][]): Buffer {
  const pieces: Piece[] = ['['];
  grids.forEach((g, i) => {
    const [head, tail] = around(g, 'rows');
    const kept = (rowBytes[i] ??= []);
    pieces.push(i ? ',' : '', head, '[');
    g.rows.forEach((r, j) => {
      if (j) pieces.push(',');
      pieces.push((kept[j] ??= Buffer.from(JSON.stringify(r))));
    });
    pieces.push(']', tail);
  });
  pieces.push(']');
  return joinPieces(pieces);
}
