// Server throughput: the real app on a temporary SQLite file, autocannon POSTing JSON submissions on
// loopback with agencies rotating. Phase 1 sends one fixed grid (after each agency's first version
// every request is a duplicate: hash + lookup, no write); phase 2 changes one cell per request, so
// each is read, validated and stored as a new version. Prints requests/s and latency percentiles, and
// the changed phase against its target (issue 15: ≥ 300 req/s with p99 < 100 ms).
// `npx tsx bench/server.ts` (BENCH_SECONDS=10 by default, BENCH_CONNECTIONS=10).
import { benchServer } from './server-setup.js';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../server/app.js';
import { createUser } from '../server/domain/users.js';
import { createApiToken } from '../server/auth/index.js';
import { readFileToGrids } from '../io/index.js';
import type { Grid } from '../engine/index.js';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  duration: number;
  statusCodeStats?: Record<string, { count: number }>;
}
interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  requests: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body: string;
    setupRequest: (req: AutocannonRequest) => AutocannonRequest;
  }[];
}) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface ServerBenchFigures {
  phase: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
  cpuMsPerRequest: number;
}

export async function run(
  opts: { seconds?: number; connections?: number; agencies?: number } = {},
): Promise<ServerBenchFigures[]> {
  const seconds = opts.seconds ?? Number(process.env.BENCH_SECONDS ?? 10);
  const connections = opts.connections ?? Number(process.env.BENCH_CONNECTIONS ?? 10);
  const agencyCount = opts.agencies ?? 20;
  const agencies = Array.from({ length: agencyCount }, (_, i) => ({
    id: `nam-dinh.bench-${i + 1}`,
    name: `Cơ quan ${i + 1}`,
  }));
  const bench = await benchServer('server', { title: 'Đo hiệu năng', agencies });
  const { app, s, round } = bench;
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const figures: ServerBenchFigures[] = [];
  try {
    const tokens: string[] = [];
    for (const [i, a] of agencies.entries()) {
      const u = await createUser(s, {
        username: `cb${i}`,
        password: 'x',
        displayName: `Cán bộ ${i}`,
        role: 'agency',
        agencyId: a.id,
        agencyName: a.name,
        province: 'nam-dinh',
      });
      tokens.push((await createApiToken(s.db, u.id, 'bench', new Date())).token);
    }
    const seed = '000_683635a77beddbc9.txt';
    const grids: Grid[] = await readFileToGrids(readFileSync(join(ROOT, 'seeds', seed)), seed);
    const fixedBody = JSON.stringify({ grids, source: 'excel-addin' });
    const path = `/api/rounds/${round.id}/submissions`;
    console.log(
      `bench/server: seed ${seed} (${grids[0].rows.length} rows, ${Math.round(fixedBody.length / 1024)} KB JSON), ${agencyCount} agencies, ${connections} connections, ${seconds} s per phase`,
    );

    // Every agency's first version, and the parse threads started, before anything is measured.
    for (const token of tokens) {
      const res = await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: fixedBody,
      });
      if (res.status !== 201)
        throw new Error(`bench/server: warm-up submission answered ${res.status}: ${await res.text()}`);
    }

    let turn = 0;
    let edit = 0;
    // The changed body is made once with a marker cell, then only the marker's text changes per request,
    // so the client (in this process) costs a string concatenation, not a clone and a serialisation.
    const marked = structuredClone(grids);
    marked[0].rows.push({ index: marked[0].rows.length + 10, cells: [{ text: '' }, { text: '@@EDIT@@' }] });
    const [before, after] = JSON.stringify({ grids: marked, source: 'excel-addin' }).split('@@EDIT@@');
    const phases: { name: string; body: (n: number) => string; target?: { rps: number; p99: number } }[] = [
      { name: 'fixed grid (duplicates after first version)', body: () => fixedBody },
      {
        name: 'changed grid (validate + new version)',
        body: (n) => `${before}Sửa lần ${n}${after}`,
        target: { rps: 300, p99: 100 },
      },
    ];
    for (const phase of phases) {
      const cpu0 = process.cpuUsage();
      const result = await autocannon({
        url: base,
        connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path,
            headers: { 'content-type': 'application/json' },
            body: fixedBody,
            setupRequest: (req) => ({
              ...req,
              headers: { ...req.headers, authorization: `Bearer ${tokens[turn++ % tokens.length]}` },
              body: phase.body(edit++),
            }),
          },
        ],
      });
      // CPU time of the whole process (main thread, parse threads and the client) per request: on a shared
      // machine the requests/s follow the load of others, this figure much less.
      const cpu = process.cpuUsage(cpu0);
      const cpuMsPerRequest = result.requests.total ? (cpu.user + cpu.system) / 1000 / result.requests.total : 0;
      const f: ServerBenchFigures = {
        phase: phase.name,
        requestsPerSecond: Math.round(result.requests.average),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        total: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors,
        cpuMsPerRequest: Math.round(cpuMsPerRequest * 10) / 10,
      };
      figures.push(f);
      console.log(
        `  ${f.phase}: ${f.requestsPerSecond} req/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms (${f.total} requests, ${f.non2xx} non-2xx, ${f.errors} errors), ${f.cpuMsPerRequest} ms CPU per request`,
      );
      if (phase.target) {
        const ok =
          f.requestsPerSecond >= phase.target.rps && f.p99Ms < phase.target.p99 && f.non2xx === 0 && f.errors === 0;
        console.log(`  ${ok ? 'met' : 'MISSED'}: target ≥ ${phase.target.rps} req/s with p99 < ${phase.target.p99} ms`);
      }
    }
    const versions = await s.db
      .selectFrom('submission_versions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    console.log(`  versions stored: ${versions.n}`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await bench.close();
  }
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
