// The walk-through of docs/SYNC.md on the demo data: the two Sở Tư pháp officers (tuphap, tuphap2) see
// the sync status change when one of them pushes, and the other's stale push gets the comparison.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Grid } from '../../../engine/index.js';
import { ROOT } from '../../../server/app.js';
import { DEMO_PASSWORD, loadDemo } from '../../../server/demo.js';
import { Client, startServer, type TestServer } from '../api/harness.js';

let t: TestServer;
let roundId: string;
const tuphap = () => new Client(t.base);

beforeAll(async () => {
  t = await startServer();
  const demo = await loadDemo(t.services, ROOT);
  expect(demo.problems).toEqual([]);
  roundId = demo.roundId;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

/** The first task row of a stored seed grid, and its last cell (the timeline column of seed 000). */
function editFirstTask(grids: Grid[], text: string): Grid[] {
  const copy = structuredClone(grids);
  const r = copy[0].rows.find((x) => /^\d+$/.test(x.cells[0]?.text ?? '') && (x.cells[1]?.text ?? '').length > 20)!;
  r.cells[5] = { text };
  return copy;
}

describe('sync on the demo accounts', () => {
  it('status goes from in-sync to behind for one officer when the other pushes', async () => {
    const a = tuphap();
    const b = tuphap();
    await a.login('tuphap', DEMO_PASSWORD);
    await b.login('tuphap2', DEMO_PASSWORD);
    const subs = await a.get(`/api/rounds/${roundId}/submissions`);
    expect(subs.body.submissions).toHaveLength(1);
    const sid = subs.body.submissions[0].id;
    expect(subs.body.submissions[0].agencyName).toBe('Sở Tư pháp');

    for (const c of [a, b])
      expect((await c.get(`/api/rounds/${roundId}/sync-status?baseVersion=1`)).body.status).toBe('in-sync');

    const v1 = await b.get(`/api/submissions/${sid}/versions/1`);
    const pushed = await b.post(`/api/rounds/${roundId}/sync`, {
      grids: editFirstTask(v1.body.grids, 'Quý IV/2023'),
      baseVersion: 1,
      source: 'excel-addin',
    });
    expect(pushed.status, JSON.stringify(pushed.body).slice(0, 300)).toBe(201);
    expect(pushed.body.version).toBe(2);
    // The demo's version 1 came as a file: the push wrote the id column for every task.
    expect(pushed.body.idColumn).toMatchObject({ header: 'Mã nhiệm vụ', added: true });
    expect(pushed.body.ids.length).toBe(24);

    const st = await a.get(`/api/rounds/${roundId}/sync-status?baseVersion=1&dirty=true`);
    expect(st.body).toMatchObject({
      status: 'diverged',
      latestVersion: 2,
      label: 'Cả hai bên đều có thay đổi: cần đối chiếu',
    });
    expect(st.body.newer).toEqual([
      expect.objectContaining({ version: 2, by: { username: 'tuphap2', displayName: 'Trần Văn Hùng (Sở Tư pháp)' } }),
    ]);
    expect((await a.get(`/api/rounds/${roundId}/sync-status?baseVersion=1`)).body.status).toBe('behind');
    expect((await b.get(`/api/rounds/${roundId}/sync-status?baseVersion=2`)).body.status).toBe('in-sync');

    // tuphap's own edit of the same cell, from version 1: a conflict on that task's timeline, nothing stored.
    const stale = await a.post(`/api/rounds/${roundId}/sync`, {
      grids: editFirstTask(v1.body.grids, 'Quý I/2023'),
      baseVersion: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('sync.stale-base');
    expect(stale.body.error.message).toContain('Trần Văn Hùng');
    const conflicts = stale.body.merge.entries.filter((e: { status: string }) => e.status === 'conflict');
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0].fields.timeline).toMatchObject({ mine: 'Quý I/2023', theirs: 'Quý IV/2023', conflict: true });
    expect(stale.body.merge.stats.unchanged).toBe(23);
  });
});
