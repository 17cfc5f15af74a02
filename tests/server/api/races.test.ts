// Review against racing resubmissions: accept and return hold the submission row and act only on the
// version the reviewer saw; 50 concurrent resubmissions number their versions without gaps.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileToGrids } from '../../../io/index.js';
import type { Grid } from '../../../engine/index.js';
import { addUser, Client, pickAgencies, startServer, type TestServer } from './harness.js';

const pgUrl = process.env.TEST_DATABASE_URL;
const SEED = '000_683635a77beddbc9.txt';
const targets = [
  { name: 'SQLite', url: undefined as string | undefined, skip: false },
  { name: 'PostgreSQL', url: pgUrl, skip: !pgUrl },
];

function variant(grids: Grid[], mark: string): Grid[] {
  const copy = structuredClone(grids);
  copy[0].rows.push({
    index: (copy[0].rows.at(-1)?.index ?? 0) + 3,
    cells: [{ text: '' }, { text: `Biến thể ${mark}` }],
  });
  return copy;
}

for (const target of targets) {
  describe.skipIf(target.skip)(`review races on ${target.name}`, () => {
    let t: TestServer;
    let gate: Promise<void> | null = null;
    let entered: () => void = () => undefined;
    let reviewer: Client;
    let officers: Client[];
    let roundId: string;
    let grids: Grid[];

    beforeAll(async () => {
      t = await startServer({
        pgUrl: target.url,
        hooks: {
          // Holds a submit transaction open after its version row is written, until the test lets go.
          afterVersionInsert: async () => {
            if (!gate) return;
            entered();
            await gate;
          },
        },
      });
      await addUser(t, 'admin', 'admin', null);
      await addUser(t, 'reviewer', 'reviewer', null);
      const admin = new Client(t.base);
      await admin.login('admin');
      const agencies = await pickAgencies(admin, 2);
      officers = [];
      for (const [i, a] of agencies.entries()) {
        await addUser(t, `officer${i}`, 'agency', a);
        const c = new Client(t.base);
        await c.login(`officer${i}`);
        officers.push(c);
      }
      reviewer = new Client(t.base);
      await reviewer.login('reviewer');
      const r = await admin.post('/api/rounds', {
        title: 'Đợt tranh chấp',
        year: 2023,
        province: 'nam-dinh',
        deadline: '2099-01-05',
        expectedAgencyIds: agencies.map((a) => a.id),
      });
      roundId = r.body.round.id;
      grids = await readFileToGrids(readFileSync(`seeds/${SEED}`), SEED);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('an accept racing a resubmission never accepts the unseen version', async () => {
      const first = await officers[0].post(`/api/rounds/${roundId}/submissions`, { grids });
      expect(first.status).toBe(201);
      const sid = first.body.submissionId as string;
      let release!: () => void;
      gate = new Promise<void>((r) => (release = r));
      const inside = new Promise<void>((r) => (entered = r));
      const resubmit = officers[0].post(`/api/rounds/${roundId}/submissions`, { grids: variant(grids, 'đua') });
      await inside; // the resubmission has written version 2 and not committed yet
      const accept = reviewer.post(`/api/submissions/${sid}/accept`, { version: 1 });
      await new Promise((r) => setTimeout(r, 300));
      gate = null;
      release();
      const [re, acc] = await Promise.all([resubmit, accept]);
      expect(re.status).toBe(201);
      expect(re.body.version).toBe(2);
      expect(acc.status, JSON.stringify(acc.body)).toBe(409);
      expect(acc.body.error.code).toBe('submission.stale');
      const sub = await reviewer.get(`/api/submissions/${sid}`);
      expect(sub.body).toMatchObject({ status: 'submitted', latestVersion: 2 });
      // The reviewer accepts what they saw: version 2.
      expect((await reviewer.post(`/api/submissions/${sid}/accept`, { version: 2 })).body.submission.status).toBe(
        'accepted',
      );
    });

    it('a return without the version the reviewer saw is refused', async () => {
      const sid = (await officers[0].get(`/api/rounds/${roundId}/submissions`)).body.submissions[0].id;
      const r = await reviewer.post(`/api/submissions/${sid}/return`, { comment: 'Thiếu' });
      expect(r.status).toBe(400);
    });

    it('50 concurrent resubmissions get versions 1..50, each with its audit row', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          officers[1].post(`/api/rounds/${roundId}/submissions`, { grids: variant(grids, `số ${i}`) }),
        ),
      );
      expect(results.map((r) => r.status).every((s) => s === 201)).toBe(true);
      expect(results.map((r) => r.body.version as number).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      const sid = results[0].body.submissionId as string;
      const sub = await reviewer.get(`/api/submissions/${sid}`);
      expect(sub.body.latestVersion).toBe(50);
      expect(sub.body.versions.map((v: { version: number }) => v.version)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      const audit = await t.handle.db
        .selectFrom('audit')
        .select('detail_json')
        .where('action', '=', 'submission.submit')
        .where('target_id', '=', sid)
        .execute();
      expect(audit.map((a) => JSON.parse(a.detail_json).version as number).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
    });
  });
}
