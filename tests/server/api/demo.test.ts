// The demo data: loaded twice without duplicates, every printed account signs in, the seeds are
// submitted as their agencies with on-time/late status from their submission dates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../server/app.js';
import { DEMO_AGENCIES, DEMO_PASSWORD, DEMO_ROUND_TITLE, loadDemo, type DemoResult } from '../../../server/demo.js';
import { deadlineInstant } from '../../../server/domain/rounds.js';
import { Client, startServer, type TestServer } from './harness.js';

let t: TestServer;
let first: DemoResult;
let second: DemoResult;

beforeAll(async () => {
  t = await startServer();
  first = await loadDemo(t.services, ROOT);
  second = await loadDemo(t.services, ROOT);
});
afterAll(async () => {
  await t?.close();
});

describe('demo data', () => {
  it('is idempotent', async () => {
    expect(first.problems).toEqual([]);
    expect(first.submitted).toHaveLength(DEMO_AGENCIES.filter((a) => a.seed).length);
    expect(second.submitted).toEqual([]);
    expect(second.roundId).toBe(first.roundId);
    const versions = await t.handle.db.selectFrom('submission_versions').select('version').execute();
    expect(versions).toHaveLength(first.submitted.length);
    const users = await t.handle.db.selectFrom('users').select('username').execute();
    expect(users.map((u) => u.username).sort()).toEqual(first.accounts.map((a) => a.username).sort());
  });

  it('every printed account signs in with the demo password; two officers share one agency', async () => {
    const agencyOf = new Map<string, string | null>();
    for (const a of first.accounts) {
      const c = new Client(t.base);
      const r = await c.post('/api/auth/login', { username: a.username, password: DEMO_PASSWORD });
      expect(r.status, a.username).toBe(200);
      expect(r.body.user.role).toBe(a.role);
      agencyOf.set(a.username, r.body.user.agencyId);
    }
    expect(agencyOf.get('tuphap')).toBe(agencyOf.get('tuphap2'));
  });

  it('the round shows each seed as its agency, on time or late by its date, and the missing agencies', async () => {
    const c = new Client(t.base);
    await c.login('admin', DEMO_PASSWORD);
    const rounds = await c.get('/api/rounds');
    expect(rounds.body.rounds.map((r: { title: string }) => r.title)).toEqual([DEMO_ROUND_TITLE]);
    const r = await c.get(`/api/rounds/${first.roundId}`);
    const due = deadlineInstant(r.body.round.deadline).getTime();
    expect(r.body.agencies).toHaveLength(DEMO_AGENCIES.length);
    DEMO_AGENCIES.forEach((a, i) => {
      const row = r.body.agencies[i];
      if (a.seed) {
        expect(row.status).toBe('submitted');
        expect(row.onTime).toBe(new Date(a.submittedAt!).getTime() <= due);
        expect(row.tasks).toBeGreaterThan(10);
      } else {
        expect(row.status).toBe('missing');
      }
    });
    expect(r.body.summary.late).toBeGreaterThan(0);
    expect(r.body.summary.onTime).toBeGreaterThan(0);
  });
});
