// A parse thread checks an agency's next submission as cell edits of its last one through the engine's session
// (server/parse/sessions.ts). Whatever the edits, the report must be the one a full read and validation of the same
// grids gives, byte for byte; and a submission checked that way must answer what one checked afresh answers.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { assignTaskIds, type Grid, type Report } from '../../../engine/index.js';
import { readFileToGrids } from '../../../io/read.js';
import { defaultDirectory } from '../../../data/index.js';
import { ROOT } from '../../support/runtime.js';
import { AgencySessions, cellEdits } from '../../../server/parse/sessions.js';
import { reportBytes } from '../../../server/parse/report-json.js';
import { annexHash } from '../../../server/domain/content.js';
import { newTaskId } from '../../../server/domain/new-task-id.js';
import { checkGrids, forgetSessions, runTask, type Latest, type SubmitOutcome } from '../../../server/parse/work.js';
import { mulberry32 } from '../../support/random.js';

const ctx = { province: 'nam-dinh', planYear: 2023, date: '2023-03-01' };
const SEEDS = readdirSync(join(ROOT, 'seeds')).filter((f) => /^\d{3}_.*\.txt$/.test(f));

/**
 * One to three cell edits an officer might make (a cell blanked, another cell's text copied in, words added, a
 * number or a timeline typed), on cells not covered by a merge; the grids are new objects, as a new body's are.
 */
function edited(grids: Grid[], next: () => number): Grid[] {
  const out = structuredClone(grids);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)];
  const g = pick(out);
  const rows = g.rows.filter((r) => r.cells.length > 0);
  for (let n = 1 + Math.floor(next() * 3); n > 0; n--) {
    const row = pick(rows);
    const i = Math.floor(next() * row.cells.length);
    if (row.cells[i].mergedInto !== undefined) continue;
    const other = pick(pick(rows).cells).text;
    const text = row.cells[i].text;
    row.cells[i] = {
      text: pick(['', other, `${text} (sửa)`, '1.2', 'Quý IV/2023', 'Sở Nội vụ', `${text}\n- Sản phẩm thêm`]),
    };
  }
  return out;
}

const json = (r: Report) => JSON.stringify(r);

/** The annex hash as one JSON text of the whole table (what server/domain/content.ts builds from task parts). */
function wholeAnnexHash(r: Report): string {
  const texts = (list: readonly { text: string }[] | undefined) => (list ?? []).map((a) => a.text);
  const content = r.sections.map((s) => [
    s.numeral,
    s.title,
    s.part ? [s.part.numeral, s.part.title] : null,
    s.tasks.map((t) => [
      t.number,
      t.task,
      t.products.map((p) => [p.number ?? null, p.text, texts(p.lead), texts(p.support), p.timeline?.text ?? null]),
      texts(t.lead),
      texts(t.support),
      texts(t.monitor),
      t.timeline?.text ?? null,
      t.approval ?? null,
      t.note ?? null,
      t.extra ? Object.entries(t.extra).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : null,
    ]),
  ]);
  return createHash('sha256').update(JSON.stringify(content).normalize('NFC')).digest('hex');
}

/** The stored JSON and the annex hash, built from kept task parts, against the whole-value ones. */
function expectSameParts(report: Report, label: string): void {
  expect(annexHash(report), label).toBe(wholeAnnexHash(report));
  const bytes = (r: Report, made?: Report) => reportBytes(r, made).toString('utf8');
  expect(bytes(report), label).toBe(JSON.stringify(report));
  const withIds = { ...report, sections: assignTaskIds(report, null, newTaskId).annex.sections };
  expect(bytes(withIds, report), label).toBe(JSON.stringify(withIds));
  // Twice: the second time every task's bytes are the ones kept.
  expect(bytes(withIds, report), label).toBe(JSON.stringify(withIds));
}

describe('agency sessions of a parse thread', () => {
  it('a report checked as edits of the last submission equals a full check of the same grids, on every seed', async () => {
    const directory = await defaultDirectory();
    const vctx = { directory, ...ctx };
    let updates = 0;
    for (const [s, seed] of SEEDS.entries()) {
      let grids = await readFileToGrids(readFileSync(join(ROOT, 'seeds', seed)), seed);
      const sessions = new AgencySessions();
      const full = (g: Grid[]) => checkGrids(structuredClone(g), ctx);
      const first = sessions.check('a', grids, vctx, () => {
        throw new Error('not called: the session is kept');
      });
      expect(sessions.last).toBe('new');
      expect(json(first)).toBe(json(await full(grids)));
      expectSameParts(first, seed);
      const next = mulberry32(1000 + s);
      for (let step = 0; step < 25; step++) {
        const after = edited(grids, next);
        const edits = cellEdits(grids, after);
        const report = sessions.check('a', after, vctx, () => {
          throw new Error('not called');
        });
        // Edits of cell texts only: the session took them as edits (the test would prove nothing otherwise).
        expect(edits, `${seed} step ${step}`).toBeDefined();
        expect(sessions.last).toBe('update');
        updates++;
        expect(json(report), `${seed} step ${step}`).toBe(json(await full(after)));
        expectSameParts(report, `${seed} step ${step}`);
        // The stored grids from the rows' kept bytes, the edited rows' made again.
        expect(sessions.gridsJson('a', after)?.toString('utf8'), `${seed} step ${step}`).toBe(JSON.stringify(after));
        grids = after;
      }
      // A row added is no cell edit: a new session, the same report as a full check.
      const added = structuredClone(grids);
      const last = added[0].rows[added[0].rows.length - 1];
      added[0].rows.push({ index: last.index + 1, cells: [{ text: '' }, { text: 'Nhiệm vụ thêm' }] });
      expect(cellEdits(grids, added)).toBeUndefined();
      const report = sessions.check('a', added, vctx, () => {
        throw new Error('not called');
      });
      expect(sessions.last).toBe('new');
      expect(json(report)).toBe(json(await full(added)));
    }
    expect(updates).toBe(SEEDS.length * 25);
  });

  it('cellEdits takes only cell texts and formulas; any other difference is no edit', () => {
    const g: Grid = {
      sheet: 'A',
      kind: 'sheet',
      rows: [
        { index: 1, cells: [{ text: 'x' }, { text: 'y', mergedInto: 'A1' }] },
        { index: 3, cells: [{ text: 'z' }] },
      ],
      merges: ['A1:B1'],
    };
    const copy = () => structuredClone(g);
    expect(cellEdits([g], [copy()])).toEqual([]);
    const text = copy();
    text.rows[1].cells[0] = { text: 'w', formula: 'SUM(A1)' };
    expect(cellEdits([g], [text])).toEqual([{ sheet: 'A', row: 3, column: 1, text: 'w', formula: 'SUM(A1)' }]);
    const merged = copy();
    merged.rows[0].cells[1] = { text: 'v', mergedInto: 'A1' };
    expect(cellEdits([g], [merged])).toBeUndefined();
    const moved = copy();
    moved.rows[1].index = 2;
    expect(cellEdits([g], [moved])).toBeUndefined();
    const longer = copy();
    longer.rows[1].cells.push({ text: '' });
    expect(cellEdits([g], [longer])).toBeUndefined();
    const merges = copy();
    merges.merges = [];
    expect(cellEdits([g], [merges])).toBeUndefined();
    const renamed = copy();
    renamed.sheet = 'B';
    expect(cellEdits([g], [renamed])).toBeUndefined();
    const other = { ...copy(), encoding: 'windows-1258' };
    expect(cellEdits([g], [other])).toBeUndefined();
  });

  it('a submission checked with the agency session answers byte for byte as one checked afresh', async () => {
    const seed = SEEDS[0];
    let grids = await readFileToGrids(readFileSync(join(ROOT, 'seeds', seed)), seed);
    const submit = async (g: Grid[], latest: Latest | null, agency?: string): Promise<SubmitOutcome> => {
      const body = new Uint8Array(Buffer.from(JSON.stringify({ grids: g, source: 'excel-addin' })));
      const r = await runTask({
        op: 'submit',
        intake: { kind: 'json', body, schema: 'submission' },
        ctx,
        latest,
        agency,
      });
      if (!r.ok || !('submit' in r)) throw new Error(JSON.stringify(r));
      return r.submit;
    };
    const sessions = forgetSessions();
    const first = await submit(grids, null, 'round|agency');
    let latest: Latest = { version: 1, hash: first.hash!, report: first.checked!.reportJson.slice() };
    const next = mulberry32(7);
    let compared = 0;
    for (let step = 0; step < 20; step++) {
      const after = edited(grids, next);
      // Both compared with the same latest version, so ids come from it alike (new tasks' ids are random).
      const withSession = await submit(after, latest, 'round|agency');
      expect(sessions.last).toBe('update');
      const afresh = await submit(after, latest);
      expect(withSession.hash).toBe(afresh.hash);
      expect(withSession.duplicate).toBe(afresh.duplicate);
      expect(withSession.noAnnex).toEqual(afresh.noAnnex);
      const a = withSession.checked && Buffer.from(withSession.checked.reportJson).toString();
      const b = afresh.checked && Buffer.from(afresh.checked.reportJson).toString();
      const newIds = (x: string | undefined) => (x ? (JSON.parse(x) as Report) : null);
      // A task new in this version gets a random id in each: compare the rest whole, and the ids given from
      // the latest version exactly.
      if (a && b && a !== b) {
        const ra = newIds(a)!;
        const rb = newIds(b)!;
        const known = new Set(
          (JSON.parse(Buffer.from(latest.report!).toString()) as Report).sections.flatMap((x) =>
            x.tasks.map((t) => t.id),
          ),
        );
        const strip = (r: Report) =>
          JSON.stringify({
            ...r,
            sections: r.sections.map((x) => ({
              ...x,
              tasks: x.tasks.map((t) => ({ ...t, id: known.has(t.id) ? t.id : 'new' })),
            })),
          });
        expect(strip(ra)).toBe(strip(rb));
      } else expect(a).toBe(b);
      if (withSession.checked) {
        compared++;
        expect(Buffer.from(withSession.checked.gridsJson).toString()).toBe(
          Buffer.from(afresh.checked!.gridsJson).toString(),
        );
        latest = {
          version: latest.version + 1,
          hash: withSession.hash!,
          report: withSession.checked.reportJson.slice(),
        };
      }
      grids = after;
    }
    expect(compared).toBeGreaterThanOrEqual(5);
  });
});
