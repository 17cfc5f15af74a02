// A parse thread parses an agency's next submission body as the rows that changed since its last one
// (server/parse/body-delta.ts). Whatever changed, the outcome must be JSON.parse + the contract check of the whole
// body: the same values with their keys in the same order, or no delta at all (then the body is parsed whole).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Grid } from '../../../engine/index.js';
import { readFileToGrids } from '../../../io/read.js';
import { SubmissionJsonBody } from '../../../contracts/submissions.js';
import { BodyDelta, rowSpans } from '../../../server/parse/body-delta.js';
import { ROOT } from '../../support/runtime.js';
import { mulberry32 } from '../../support/random.js';

const SEEDS = readdirSync(join(ROOT, 'seeds')).filter((f) => /^\d{3}_.*\.txt$/.test(f));

/** The whole body's parse, as the submission route's worker makes it; undefined when the contract refuses it. */
function whole(bytes: Uint8Array) {
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
  const r = SubmissionJsonBody.safeParse(data);
  return r.success ? r.data : undefined;
}

/** JSON text with keys in order: equal texts are equal values with their keys in the same order. */
const text = (x: unknown) => JSON.stringify(x);
const bytesOf = (s: string) => new Uint8Array(Buffer.from(s));

/** Keeps `first` parsed whole, then parses `next` as a delta: undefined, or what the whole parse gives. */
function expectDelta(first: string, next: string, label: string): boolean {
  const d = new BodyDelta();
  const firstBytes = bytesOf(first);
  const parsed = whole(firstBytes);
  if (!parsed) throw new Error(`${label}: the first body must parse`);
  d.keep('a', firstBytes, parsed);
  const got = d.parse('a', bytesOf(next));
  if (got === undefined) return false;
  const want = whole(bytesOf(next));
  expect(want, `${label}: a delta where the whole body is refused`).toBeDefined();
  expect(text(got), label).toBe(text(want));
  expect(Object.keys(got), label).toEqual(Object.keys(want!));
  return true;
}

/** One to three edits an add-in might send: a cell's text, a row added or removed, a formula. */
function edited(grids: Grid[], next: () => number): Grid[] {
  const out = structuredClone(grids);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)];
  for (let n = 1 + Math.floor(next() * 3); n > 0; n--) {
    const g = pick(out);
    const r = Math.floor(next() * g.rows.length);
    const row = g.rows[r];
    const what = next();
    if (what < 0.6 && row.cells.length) {
      const i = Math.floor(next() * row.cells.length);
      row.cells[i] = { text: pick(['', 'Sửa "lần" \\ một', `${row.cells[i].text} (sửa)`, 'Quý IV/2023', '1.2']) };
    } else if (what < 0.7 && row.cells.length) row.cells[0] = { text: 'x', formula: 'SUM(A1:A2)' };
    else if (what < 0.85) g.rows.splice(r, 0, { index: row.index, cells: [{ text: 'Dòng thêm' }] });
    else if (g.rows.length > 1) g.rows.splice(r, 1);
  }
  return out;
}

describe('submission bodies parsed as a change of the last one', () => {
  it('random edits of every seed give the whole parse, most of them as a delta', async () => {
    let deltas = 0;
    let steps = 0;
    for (const [s, seed] of SEEDS.entries()) {
      let grids = await readFileToGrids(readFileSync(join(ROOT, 'seeds', seed)), seed);
      const d = new BodyDelta();
      let body = bytesOf(JSON.stringify({ grids, source: 'excel-addin' }));
      d.keep('a', body, whole(body)!);
      const next = mulberry32(500 + s);
      for (let step = 0; step < 40; step++) {
        const after = edited(grids, next);
        const nextBody = bytesOf(JSON.stringify({ grids: after, source: 'excel-addin' }));
        const got = d.parse('a', nextBody);
        const want = whole(nextBody)!;
        steps++;
        if (got) {
          deltas++;
          expect(text(got), `${seed} step ${step}`).toBe(text(want));
        } else d.keep('a', nextBody, want);
        grids = after;
        body = nextBody;
      }
      // The same body again.
      const again = d.parse('a', body);
      expect(text(again)).toBe(text(whole(body)));
    }
    expect(deltas).toBeGreaterThan(steps * 0.8);
  });

  it('bodies of another layout: spaces, other key orders, unknown keys, several grids', () => {
    const grids: Grid[] = [
      { sheet: 'A', kind: 'sheet', rows: [1, 2, 3].map((i) => ({ index: i, cells: [{ text: `a${i}` }] })) },
      { sheet: 'B', kind: 'sheet', rows: [1, 2].map((i) => ({ index: i, cells: [{ text: `b${i}` }] })) },
    ];
    const pretty = JSON.stringify({ source: 'excel-addin', grids }, null, 2);
    expect(expectDelta(pretty, pretty.replace('"b2"', '"b2 sửa"'), 'pretty')).toBe(true);
    expect(expectDelta(pretty, pretty.replace('"a1"', '"a1", "zz": 1'), 'unknown key in a cell')).toBe(true);
    const reordered = JSON.stringify({ grids: [{ rows: grids[0].rows, sheet: 'A', kind: 'sheet', x: 1 }] });
    expect(expectDelta(reordered, reordered.replace('"a3"', '"a4"'), 'keys in another order')).toBe(true);
    // A row whose JSON is replaced by two rows, and a row removed.
    const plain = JSON.stringify({ grids });
    const r2 = JSON.stringify(grids[0].rows[1]);
    expect(expectDelta(plain, plain.replace(r2, `${r2},{"index":9,"cells":[]}`), 'a row added')).toBe(true);
    expect(expectDelta(plain, plain.replace(`${r2},`, ''), 'a row removed')).toBe(true);
  });

  it('changes outside the rows, or rows the contract refuses, are no delta', () => {
    const grids: Grid[] = [{ sheet: 'A', kind: 'sheet', rows: [1, 2, 3].map((i) => ({ index: i, cells: [] })) }];
    const body = JSON.stringify({ grids, source: 'excel-addin', fileName: 'a.xlsx' });
    const none = (next: string, label: string) => expect(expectDelta(body, next, label), label).toBe(false);
    none(body.replace('a.xlsx', 'b.xlsx'), 'a field');
    none(body.replace('"sheet":"A"', '"sheet":"B"'), 'the sheet name');
    none(body.replace('"index":2', '"index":-2'), 'a row the contract refuses');
    none(body.replace('"index":2', '"index":2.5'), 'a fraction');
    expect(expectDelta(body, body.replace('{"index":2,"cells":[]},', ''), 'a row removed')).toBe(true);
    none(body.replace('{"index":2,"cells":[]}', ''), 'a hole left');
    none(body.replace('{"index":2,"cells":[]}', '{"index":2,"cells":[]}]'), 'not JSON');
    none(body.replace('{"index":2,"cells":[]}', '{"index":2,"cells":[]},{"index":3'), 'not JSON either');
    none(body.replace('{"index":2,"cells":[]}', '{"index":2,"cells":[]}],"rows":[{"index":7,"cells":[]}'), 'keys');
    // A space before the first row is part of the rows' run: a delta, which must equal the whole parse.
    expect(expectDelta(body, body.replace('[{"index":1', '[ {"index":1'), 'a space')).toBe(true);
    none(body.replace('"rows":[{"index":1', '"rows":[{"index":0,"cells":[]},{"index":1'), 'a row the contract refuses');
    none(body.replace('"source"', '"grids":[],"source"'), 'a second grids');
  });

  it('a body not laid out as plain keys is not kept', () => {
    expect(rowSpans(bytesOf('{"gr\\u0069ds":[{"rows":[]}]}'))).toBeUndefined();
    expect(rowSpans(bytesOf('{"grids":[{"rows":[]}],"grids":[{"rows":[]}]}'))).toBeUndefined();
    expect(rowSpans(bytesOf('{"grids":[{"rows":[{"index":1,"cells":[{"text":"a\\"]"}]}]}]}'))).toEqual([[19, 56]]);
    const d = new BodyDelta();
    const odd = bytesOf('{"gr\\u0069ds":[{"sheet":"A","kind":"sheet","rows":[]}]}');
    d.keep('a', odd, whole(odd)!);
    expect(d.parse('a', odd)).toBeUndefined();
  });
});
