// Nothing half-written: a crash inside the submit transaction leaves no rows; racing resubmissions
// get consecutive versions; a stale base version is refused. Runs on SQLite, and on PostgreSQL when
// TEST_DATABASE_URL is set.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileToGrids } from '../../../io/index.js';
import type { Grid } from '../../../engine/index.js';
import { addUser, Client, pickAgencies, startServer, type TestServer } from './harness.js';

const SEED = '000_683635a77beddbc9.txt';
const pgUrl = process.env.TEST_DATABASE_URL;

function variant(grids: Grid[], mark: string): Grid[] {
  const copy = structuredClone(grids);
  copy[0].rows.push({
    index: (copy[0].rows.at(-1)?.index ?? 0) + 3,
    cells: [{ text: '' }, { text: `Biến thể ${mark}` }],
  });
  return copy;
}

const targets = [
  { name: 'SQLite', url: undefined as string | undefined, skip: false },
  { name: 'PostgreSQL', url: pgUrl, skip: !pgUrl },
];

for (const target of targets) {
  describe.skipIf(target.skip)(`submission consistency on ${target.name}`, () => {
    let t: TestServer;
    let crash = false;
    let officer: Client;
    let roundId: string;
    let grids: Grid[];

    beforeAll(async () => {
      t = await startServer({
        pgUrl: target.url,
        hooks: {
          afterVersionInsert: () => {
            if (crash) throw new Error('simulated crash after the version insert');
          },
        },
      });
      await addUser(t, 'admin', 'admin', null);
      const admin = new Client(t.base);
      await admin.login('admin');
      const [agency] = await pickAgencies(admin, 1);
      await addUser(t, 'officer', 'agency', agency);
      officer = new Client(t.base);
      await officer.login('officer');
      const r = await admin.post('/api/rounds', {
        title: 'Đợt thử',
        year: 2023,
        province: 'nam-dinh',
        deadline: '2023-01-05',
        expectedAgencyIds: [agency.id],
      });
      roundId = r.body.round.id;
      grids = await readFileToGrids(readFileSync(`seeds/${SEED}`), SEED);
    });
    afterAll(async () => {
      await t?.close();
    });

    const counts = async () => ({
      submissions: (await t.handle.db.selectFrom('submissions').select('id').execute()).length,
      versions: (await t.handle.db.selectFrom('submission_versions').select('version').execute()).length,
      submitAudit: (
        await t.handle.db.selectFrom('audit').select('id').where('action', '=', 'submission.submit').execute()
      ).length,
    });

    it('a crash after the version insert on a first submission writes no rows at all', async () => {
      crash = true;
      const r = await officer.post(`/api/rounds/${roundId}/submissions`, { grids });
      crash = false;
      expect(r.status).toBe(500);
      expect(r.body.error.code).toBe('internal');
      expect(JSON.stringify(r.body)).not.toMatch(/simulated|stack|at /);
      expect(t.logged.some((l) => String((l.err as Error).message).includes('simulated crash'))).toBe(true);
      expect(await counts()).toEqual({ submissions: 0, versions: 0, submitAudit: 0 });
    });

    it('after a crash on a resubmission the previous version stays the latest', async () => {
      const first = await officer.post(`/api/rounds/${roundId}/submissions`, { grids });
      expect(first.status).toBe(201);
      expect(first.body.version).toBe(1);
      crash = true;
      const r = await officer.post(`/api/rounds/${roundId}/submissions`, { grids: variant(grids, 'x') });
      crash = false;
      expect(r.status).toBe(500);
      expect(await counts()).toEqual({ submissions: 1, versions: 1, submitAudit: 1 });
      const sub = await officer.get(`/api/submissions/${first.body.submissionId}`);
      expect(sub.body.latestVersion).toBe(1);
      // And the same content then goes in as version 2 (the failed attempt left no hole).
      const again = await officer.post(`/api/rounds/${roundId}/submissions`, { grids: variant(grids, 'x') });
      expect(again.status).toBe(201);
      expect(again.body.version).toBe(2);
    });

    it('racing resubmissions get consecutive versions, and identical racers collapse into one', async () => {
      const n = 8;
      const rs = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          officer.post(`/api/rounds/${roundId}/submissions`, { grids: variant(grids, `race ${i}`) }),
        ),
      );
      expect(rs.map((r) => r.status)).toEqual(Array(n).fill(201));
      expect(rs.map((r) => r.body.version).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 3));
      const same = await Promise.all(
        Array.from({ length: 4 }, () =>
          officer.post(`/api/rounds/${roundId}/submissions`, { grids: variant(grids, 'cùng nội dung') }),
        ),
      );
      const versions = new Set(same.map((r) => r.body.version));
      expect(versions.size).toBe(1);
      expect(same.filter((r) => r.status === 201)).toHaveLength(1);
      expect(same.filter((r) => r.status === 200)).toHaveLength(3);
      const rows = await t.handle.db.selectFrom('submission_versions').select('version').orderBy('version').execute();
      expect(rows.map((r) => Number(r.version))).toEqual(Array.from({ length: n + 3 }, (_, i) => i + 1));
    });

    it('racing submissions with the same baseVersion: one wins, the others get 409', async () => {
      const latest = (await t.handle.db.selectFrom('submissions').select('latest_version').executeTakeFirstOrThrow())
        .latest_version;
      const rs = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          officer.post(`/api/rounds/${roundId}/submissions`, {
            grids: variant(grids, `base ${i}`),
            baseVersion: Number(latest),
          }),
        ),
      );
      expect(rs.filter((r) => r.status === 201)).toHaveLength(1);
      expect(rs.filter((r) => r.status === 409).every((r) => r.body.error.code === 'submission.stale')).toBe(true);
      expect(rs.filter((r) => r.status === 409)).toHaveLength(4);
    });
  });
}
