// A consolidated report is stored as what it was built from and derived from it: the downloads of a report derived
// in another instance (no copy of the build in memory), of the build itself and of its packed form stored on first
// read are the same files, on SQLite and PostgreSQL. A derivation that gives another report is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../server/app.js';
import { DEMO_PASSWORD, loadDemo } from '../../../server/demo.js';
import { Client, startServer, type TestServer } from './harness.js';
import { zipParts } from '../../support/zip.js';

const pgUrl = process.env.TEST_DATABASE_URL;
const targets = [
  { name: 'SQLite', url: undefined as string | undefined, skip: false },
  { name: 'PostgreSQL', url: pgUrl, skip: !pgUrl },
];

for (const target of targets) {
  describe.skipIf(target.skip)(`a report stored as its inputs, on ${target.name}`, () => {
    let t: TestServer;
    let roundId: string;
    let reviewer: Client;

    beforeAll(async () => {
      t = await startServer({ pgUrl: target.url });
      roundId = (await loadDemo(t.services, ROOT)).roundId;
      reviewer = new Client(t.base);
      await reviewer.login('chuyenvien', DEMO_PASSWORD);
    });
    afterAll(async () => {
      await t?.close();
    });

    const downloads = async () => {
      const out: Record<string, unknown> = {};
      for (const f of ['csv', 'json', 'xlsx', 'docx']) {
        const r = await reviewer.get(`/api/rounds/${roundId}/report.${f}`);
        expect(r.status, `${f}: ${r.bytes.toString('utf8').slice(0, 300)}`).toBe(200);
        out[f] = f === 'csv' || f === 'json' ? r.bytes.toString('utf8') : await zipParts(r.bytes);
      }
      return out;
    };
    const rowOf = (id: string) =>
      t.services.db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    /** The same inputs as another report row (as another instance, which did not build it, would find them). */
    const copyOf = async (id: string, change: (inputs: Record<string, unknown>) => void = () => {}) => {
      const row = await rowOf(id);
      const inputs = JSON.parse(row.inputs_json!) as Record<string, unknown>;
      change(inputs);
      const copy = {
        ...row,
        id: `${id}-copy`,
        seq: row.seq + 100,
        consolidated_gz: null,
        inputs_json: JSON.stringify(inputs),
      };
      await t.services.db.insertInto('reports').values(copy).execute();
      return copy.id;
    };

    it('derives the same files in another instance, from the build and from the form stored on first read', async () => {
      await reviewer.post(`/api/rounds/${roundId}/report`, { include: 'latest' });
      const g = (await reviewer.get(`/api/rounds/${roundId}/report/candidates`)).body.candidates[0];
      // A reviewer's merge: the decisions in force are part of what the report is built from.
      const merged = await reviewer.post(`/api/rounds/${roundId}/decisions`, { group: g.id, action: 'merge' });
      expect(merged.status, JSON.stringify(merged.body)).toBe(201);
      // Built again with the merge in force, and not read yet.
      const rebuilt = await reviewer.post(`/api/rounds/${roundId}/report`, { include: 'latest' });
      const id = rebuilt.body.reportId as string;
      // Its summary (stored packed) reads back as the build answered it, without deriving the report.
      expect((await reviewer.get(`/api/rounds/${roundId}/report`)).body).toEqual(rebuilt.body);
      const row = await rowOf(id);
      expect(row.consolidated_gz).toBeNull();
      expect(JSON.parse(row.inputs_json!).decisions).toHaveLength(1);

      const copy = await copyOf(id);
      const derived = await downloads();
      expect((await rowOf(copy)).consolidated_gz?.length).toBeGreaterThan(0);
      await t.services.db.deleteFrom('reports').where('id', '=', copy).execute();
      expect(JSON.parse(derived.json as string).duplicates).toHaveLength(1);

      const built = await downloads();
      expect((await rowOf(id)).consolidated_gz?.length).toBeGreaterThan(0);
      const stored = await downloads();
      expect(built).toEqual(derived);
      expect(stored).toEqual(derived);
    });

    it('refuses a derivation that gives another report than the one built, saying to build it again', async () => {
      const last = await t.services.db
        .selectFrom('reports')
        .select('id')
        .where('round_id', '=', roundId)
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      // As if the software had changed since the build: the report derived now is not the one built.
      const copy = await copyOf(last.id, (inputs) => {
        (inputs.ctx as { today: string }).today = '2099-12-31';
      });
      const r = await reviewer.get(`/api/rounds/${roundId}/report.csv`);
      expect(r.status).toBe(409);
      expect(JSON.parse(r.bytes.toString('utf8')).error.code).toBe('report.outdated');
      expect((await rowOf(copy)).consolidated_gz).toBeNull();
      await t.services.db.deleteFrom('reports').where('id', '=', copy).execute();
    });
  });
}
