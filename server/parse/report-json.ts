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

/** The pieces as one buffer: runs of text encoded once each, kept bytes copied. */
export function joinPieces(pieces: Piece[]): Buffer {
  const out: Buffer[] = [];
  let text = '';
  for (const p of pieces) {
    if (typeof p === 'string') text += p;
    else {
      if (text) out.push(Buffer.from(text));
      text = '';
      out.push(p);
    }
  }
  if (text) out.push(Buffer.from(text));
  return Buffer.concat(out);
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
 * Buffer.from(JSON.stringify(report)), each task's bytes reused when it is the same task as last time. `made`: the
 * report as the engine made it, before ids were given on a copy (the same sections and tasks in the same places).
 */
export function reportBytes(report: Report, made: Report = report): Buffer {
  const [head, tail] = around(report, 'sections');
  const pieces: Piece[] = [head, '['];
  report.sections.forEach((s, i) => {
    const [sh, st] = around(s, 'tasks');
    pieces.push(i ? ',' : '', sh, '[');
    s.tasks.forEach((t, j) => {
      if (j) pieces.push(',');
      pieces.push(taskBytes(t as unknown as Plain, made.sections[i]?.tasks[j] as unknown as Plain | undefined));
    });
    pieces.push(']', st);
  });
  pieces.push(']', tail);
  return joinPieces(pieces);
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
