// Stateless instances on one PostgreSQL (issue 15 part 5): two server processes share sessions,
// throttling and the job queue — submit through one, build the report through the other, read it
// back; and a server killed with SIGKILL during submissions loses nothing committed and leaves nothing
// half-written. Real processes (server/main.ts), real PostgreSQL; skipped without TEST_DATABASE_URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { readFileToGrids } from '../../../io/index.js';
import type { Grid } from '../../../engine/index.js';
import { Client, pickAgencies } from './harness.js';

const pgUrl = process.env.TEST_DATABASE_URL;
const SEED = '000_683635a77beddbc9.txt';
const ADMIN_PASSWORD = 'quan-tri-hai-may-2026';
const schema = `inst_${randomBytes(5).toString('hex')}`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
}

interface Instance {
  base: string;
  child: ChildProcess;
  out: () => string;
}

async function startInstance(): Promise<Instance> {
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: pgUrl,
      DATABASE_SCHEMA: schema,
      DEMO: '0',
      ADMIN_PASSWORD,
      BCRYPT_COST: '4',
      ACCESS_LOG: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c) => (out += String(c)));
  child.stderr!.on('data', (c) => (out += String(c)));
  const deadline = Date.now() + 90_000;
  while (!out.includes('đang chạy') && Date.now() < deadline && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 200));
  if (!out.includes('đang chạy')) throw new Error(`instance did not start: ${out}`);
  return { base: `http://127.0.0.1:${port}`, child, out: () => out };
}

function variant(grids: Grid[], mark: string): Grid[] {
  const copy = structuredClone(grids);
  copy[0].rows.push({
    index: (copy[0].rows.at(-1)?.index ?? 0) + 3,
    cells: [{ text: '' }, { text: `Biến thể ${mark}` }],
  });
  return copy;
}

describe.skipIf(!pgUrl)('several instances on one PostgreSQL', () => {
  const running: Instance[] = [];
  let a: Instance;
  let b: Instance;
  let roundId: string;
  let grids: Grid[];
  let agencies: { id: string; name: string }[];

  beforeAll(async () => {
    a = await startInstance(); // migrates and creates the first admin
    b = await startInstance();
    running.push(a, b);
    grids = await readFileToGrids(readFileSync(`seeds/${SEED}`), SEED);
  });

  afterAll(async () => {
    for (const i of running) if (i.child.exitCode === null) i.child.kill('SIGKILL');
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  it('a session made on one instance works on the other; submit on A, build the report on B, read it on A', async () => {
    const adminA = new Client(a.base);
    await adminA.login('admin', ADMIN_PASSWORD);
    const adminB = new Client(b.base);
    adminB.cookie = adminA.cookie;
    adminB.csrf = adminA.csrf;
    expect((await adminB.get('/api/me')).body.user.username).toBe('admin');

    agencies = await pickAgencies(adminA, 2);
    for (const [i, ag] of agencies.entries()) {
      const u = await adminB.post('/api/users', {
        username: `coquan${i}`,
        password: 'mat-khau-co-quan',
        displayName: `Cán bộ ${ag.name}`,
        role: 'agency',
        agencyId: ag.id,
      });
      expect(u.status, JSON.stringify(u.body)).toBe(201);
    }
    const round = await adminA.post('/api/rounds', {
      title: 'Đợt hai máy chủ',
      year: 2023,
      province: 'nam-dinh',
      deadline: '2099-01-05',
      expectedAgencyIds: agencies.map((x) => x.id),
    });
    roundId = round.body.round.id;

    const officer = new Client(a.base);
    await officer.login('coquan0', 'mat-khau-co-quan');
    const sub = await officer.post(`/api/rounds/${roundId}/submissions`, { grids });
    expect(sub.status).toBe(201);
    const tasks = sub.body.report.stats.tasks as number;

    const built = await adminB.post(`/api/rounds/${roundId}/report`, { include: 'latest' });
    expect(built.status, JSON.stringify(built.body).slice(0, 300)).toBe(201);
    expect(built.body.agencies.map((x: { agencyId: string }) => x.agencyId)).toEqual([agencies[0].id]);

    const back = await adminA.get(`/api/rounds/${roundId}/report`);
    expect(back.status).toBe(200);
    expect(back.body.reportId).toBe(built.body.reportId);
    const json = await adminA.get(`/api/rounds/${roundId}/report.json`);
    expect(json.status).toBe(200);
    expect(JSON.stringify(json.body).length).toBeGreaterThan(1000);
    expect(tasks).toBeGreaterThan(0);

    // Queued without waiting: the job is in the shared table and either instance finishes it.
    const queued = await adminB.req(
      'POST',
      `/api/rounds/${roundId}/report`,
      { include: 'latest' },
      { prefer: 'respond-async' },
    );
    expect(queued.status).toBe(202);
    let job = queued.body.job;
    for (let i = 0; i < 100 && job.state !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await adminA.get(`/api/jobs/${job.id}`)).body.job;
    }
    expect(job.state).toBe('done');
  });

  it('sign-in throttling is shared: failures on A count on B', async () => {
    const ip = '203.0.113.50';
    for (let i = 0; i < 5; i++) {
      expect(
        (
          await new Client(a.base).req(
            'POST',
            '/api/auth/login',
            { username: 'coquan1', password: `sai-${i}` },
            { 'x-forwarded-for': ip },
          )
        ).status,
      ).toBe(401);
    }
    const onB = await new Client(b.base).req(
      'POST',
      '/api/auth/login',
      { username: 'coquan1', password: 'mat-khau-co-quan' },
      { 'x-forwarded-for': ip },
    );
    expect(onB.status).toBe(429);
  });

  it('SIGKILL during submissions: after a restart nothing committed is lost and nothing is half-written', async () => {
    const officer = new Client(a.base);
    await officer.login('coquan1', 'mat-khau-co-quan');
    const answered: number[] = [];
    const sends = Array.from({ length: 30 }, (_, i) =>
      officer
        .post(`/api/rounds/${roundId}/submissions`, { grids: variant(grids, `gián đoạn ${i}`) })
        .then((r) => {
          if (r.status === 201) answered.push(r.body.version as number);
        })
        .catch(() => undefined),
    );
    // Kill while the submissions are in flight (after the first one is answered).
    for (let i = 0; i < 200 && answered.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    a.child.kill('SIGKILL');
    await Promise.all(sends);
    expect(answered.length).toBeGreaterThan(0);

    const restarted = await startInstance();
    running.push(restarted);
    const c = new pg.Client({ connectionString: pgUrl, options: `-c search_path=${schema}` });
    await c.connect();
    try {
      const sub = (await c.query(`SELECT id, latest_version FROM submissions WHERE agency_id = $1`, [agencies[1].id]))
        .rows[0];
      const versions = (
        await c.query(`SELECT version FROM submission_versions WHERE submission_id = $1 ORDER BY version`, [sub.id])
      ).rows.map((r) => Number(r.version));
      const audited = (
        await c.query(`SELECT detail_json FROM audit WHERE action = 'submission.submit' AND target_id = $1`, [sub.id])
      ).rows.map((r) => JSON.parse(r.detail_json).version as number);
      // Every answered version is there; versions are 1..n without gaps; the latest points at n; each has its audit row.
      for (const v of answered) expect(versions).toContain(v);
      expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
      expect(Number(sub.latest_version)).toBe(versions.length);
      expect(audited.sort((x, y) => x - y)).toEqual(versions);
    } finally {
      await c.end();
    }
    // The restarted instance takes submissions again.
    const again = new Client(restarted.base);
    await again.login('coquan1', 'mat-khau-co-quan');
    const next = await again.post(`/api/rounds/${roundId}/submissions`, {
      grids: variant(grids, 'sau khi khởi động lại'),
    });
    expect(next.status).toBe(201);
  });
});
