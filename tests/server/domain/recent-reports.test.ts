// A parse thread keeps the reports it made or read lately (server/parse/work.ts), so that a submission compared with
// its agency's latest version need not parse that version's JSON again. A hit must answer exactly what a miss does.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Grid, Report } from '../../../engine/index.js';
import { readFileToGrids } from '../../../io/read.js';
import { ROOT } from '../../support/runtime.js';
import { forgetRecentReports, runTask, type Latest, type SubmitOutcome } from '../../../server/parse/work.js';

const SEED = '000_683635a77beddbc9.txt';
const ctx = { province: 'nam-dinh', planYear: 2023, date: '2023-03-01' };

async function submit(grids: Grid[], latest: Latest | null): Promise<SubmitOutcome> {
  const body = new Uint8Array(Buffer.from(JSON.stringify({ grids, source: 'excel-addin' })));
  const r = await runTask({ op: 'submit', intake: { kind: 'json', body, schema: 'submission' }, ctx, latest });
  if (!r.ok || !('submit' in r)) throw new Error(JSON.stringify(r));
  return r.submit;
}

const latestOf = (version: number, o: SubmitOutcome): Latest => ({
  version,
  hash: o.hash!,
  report: o.checked!.reportJson.slice(),
});

describe('recent reports of a parse thread', () => {
  it('a changed submission compared with a remembered report answers byte for byte as one parsed afresh', async () => {
    const grids = await readFileToGrids(readFileSync(join(ROOT, 'seeds', SEED)), SEED);
    const first = await submit(grids, null);
    const v1 = latestOf(1, first);

    // One product's words edited: every task keeps its id, so both answers can be compared whole.
    const edited = structuredClone(grids);
    const report = JSON.parse(Buffer.from(first.checked!.reportJson).toString()) as Report;
    const product = report.sections[0].tasks[0].products[0];
    const row = edited[0].rows.find((r) => r.index === product.source.row)!;
    row.cells[product.source.column! - 1].text += ' (bổ sung)';

    const hit = await submit(edited, v1); // v1's report was made by this thread: remembered
    forgetRecentReports();
    const miss = await submit(edited, v1); // parsed from its JSON
    expect(hit.checked).toBeTruthy();
    expect(Buffer.from(hit.checked!.reportJson).toString()).toBe(Buffer.from(miss.checked!.reportJson).toString());
    expect(hit.hash).toBe(miss.hash);

    // The first annex again, with the content hash taken for another (as other bytes of one table would be): the
    // annex comparison says "no change" either way.
    const sameTable: Latest = { ...v1, hash: 'other bytes' };
    expect((await submit(grids, sameTable)).duplicate).toBe(true);
    forgetRecentReports();
    expect((await submit(grids, sameTable)).duplicate).toBe(true);
    // And a changed table is not taken for the remembered one.
    expect((await submit(edited, sameTable)).duplicate).toBeUndefined();
  });

  it('a latest version sent by its report key answers as one sent with its report; an unknown key asks for it', async () => {
    const grids = await readFileToGrids(readFileSync(join(ROOT, 'seeds', SEED)), SEED);
    const first = await submit(grids, null);
    const edited = structuredClone(grids);
    const row = edited[0].rows[edited[0].rows.length - 1];
    row.cells[1] = { text: `${row.cells[1]?.text ?? ''} (bổ sung)` };
    const byKey: Latest = { version: 1, hash: first.hash!, reportKey: first.checked!.reportKey };
    const withReport = latestOf(1, first);
    const a = await submit(edited, byKey);
    const b = await submit(edited, withReport);
    expect(a.needLatest).toBeUndefined();
    expect(a.duplicate).toBe(b.duplicate);
    expect(a.hash).toBe(b.hash);
    expect(a.checked && Buffer.from(a.checked.reportJson).toString()).toBe(
      b.checked && Buffer.from(b.checked.reportJson).toString(),
    );
    // The key is the SHA-1 of the stored bytes.
    expect(first.checked!.reportKey).toBe(createHash('sha1').update(first.checked!.reportJson).digest('base64'));
    forgetRecentReports();
    const missed = await submit(edited, byKey);
    expect(missed.needLatest).toBe(true);
    expect(missed.checked).toBeUndefined();
    // The same content as the latest is a duplicate without the report.
    expect((await submit(grids, byKey)).duplicate).toBe(true);
  });
});
