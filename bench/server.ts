// Server throughput: the real app on a temporary SQLite file in a process of its own (so that the load client's
// CPU does not share the server's event loop), autocannon POSTing JSON submissions on loopback with agencies
// rotating. Phase 1 sends one fixed grid (after each agency's first version every request is a duplicate: hash
// + lookup, no write); phase 2 changes one cell per request, so each is read, validated and stored as a new
// version. Prints requests/s, latency percentiles and the server process's CPU per request (main thread and
// parse threads), and the changed phase against its target (issue 15: ≥ 300 req/s with p99 < 100 ms).
// The server process runs compiled as `npm start` runs it: this file and the workers built with the server bundle's
// options into dist/bench-server (rebuilt when stale); BENCH_SERVER_SOURCES=1 runs the TypeScript sources through tsx.
// `npx tsx bench/server.ts` (BENCH_SECONDS=10 by default, BENCH_CONNECTIONS=10); BENCH_CPU_PROF=<folder>
// writes the server process's CPU profiles (one per thread) there, for `--cpu-prof` analysis.
// Shutdown order: the load stops first, the server then finishes every request it accepted, and only then are
// the parse threads and the database closed.
import { benchServer } from './server-setup.js';
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
  /** CPU of the server process (all its threads) per request. */
  cpuMsPerRequest: number;
  /** CPU of the server's main thread per request (NaN where /proc is missing). */
  mainMsPerRequest: number;
  /** CPU of the load client (this process) per request. */
  clientCpuMsPerRequest: number;
}

/** Messages between the bench and its server process. */
type ToServer = { op: 'cpu' } | { op: 'drain' } | { op: 'stop' };
type FromServer =
  | { op: 'ready'; base: string; path: string; tokens: string[] }
  | { op: 'cpu'; micros: number; mainMicros: number }
  | { op: 'drained' }
  | { op: 'stopped'; versions: number };

const SEED = '000_683635a77beddbc9.txt';
/** The server bench's build (scripts/build-runtime.mjs --bench-server). */
const BENCH_OUT = join(ROOT, 'dist', 'bench-server');
const seedGrids = async (): Promise<Grid[]> => readFileToGrids(readFileSync(join(ROOT, 'seeds', SEED)), SEED);

/**
 * CPU time of this process's main thread (Linux: /proc, in clock ticks of 10 ms; Node 20 has no per-thread
 * cpuUsage). Busy time (event loop utilisation) would count the time the thread waits for a core on a loaded machine.
 */
function mainThreadMicros(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are the 14th and 15th fields (the 12th and 13th after the name).
    return (Number(f[11]) + Number(f[12])) * 10_000;
  } catch {
    return NaN;
  }
}

/** The server process: the app, the officers and their tokens; answers the bench's messages until told to stop. */
async function serve(agencyCount: number): Promise<void> {
  const agencies = Array.from({ length: agencyCount }, (_, i) => ({
    id: `nam-dinh.bench-${i + 1}`,
    name: `Cơ quan ${i + 1}`,
  }));
  const bench = await benchServer('server', { title: 'Đo hiệu năng', agencies });
  const { app, s, round } = bench;
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
  // Requests accepted and not yet answered. A request ends when its handler calls res.end(), which it does even
  // when the client has gone (then neither 'finish' nor a later 'close' would say so).
  let inFlight = 0;
  let drained: (() => void) | null = null;
  const server = createServer((req, res) => {
    inFlight++;
    const end = res.end.bind(res) as (...a: unknown[]) => typeof res;
    let ended = false;
    res.end = ((...a: unknown[]) => {
      if (!ended && (ended = true) && --inFlight === 0) drained?.();
      return end(...a);
    }) as typeof res.end;
    app(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const send = (m: FromServer) => process.send!(m);
  send({
    op: 'ready',
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    path: `/api/rounds/${round.id}/submissions`,
    tokens,
  });
  process.on('message', (m: ToServer) => {
    void (async () => {
      if (m.op === 'cpu') {
        const c = process.cpuUsage();
        send({ op: 'cpu', micros: c.user + c.system, mainMicros: mainThreadMicros() });
      } else if (m.op === 'drain') {
        if (inFlight > 0) await new Promise<void>((r) => (drained = r));
        drained = null;
        send({ op: 'drained' });
      } else {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        const versions = await s.db
          .selectFrom('submission_versions')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        await bench.close();
        send({ op: 'stopped', versions: Number(versions.n) });
        process.disconnect();
      }
    })();
  });
}

/** Sends a message to the server process and waits for its answer of the given kind. */
function ask<K extends FromServer['op']>(child: ChildProcess, m: ToServer | null, op: K) {
  return new Promise<Extract<FromServer, { op: K }>>((res, rej) => {
    const onMessage = (x: FromServer) => {
      if (x.op !== op) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      res(x as Extract<FromServer, { op: K }>);
    };
    const onExit = (code: number | null) => rej(new Error(`bench/server: the server process ended (${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (m) child.send(m);
  });
}

export async function run(
  opts: { seconds?: number; connections?: number; agencies?: number } = {},
): Promise<ServerBenchFigures[]> {
  const seconds = opts.seconds ?? Number(process.env.BENCH_SECONDS ?? 10);
  const connections = opts.connections ?? Number(process.env.BENCH_CONNECTIONS ?? 10);
  const agencyCount = opts.agencies ?? 20;
  // What ships: this file and the workers built with the server bundle's options (scripts/build-runtime.mjs
  // --bench-server), rebuilt when older than their sources as `npm start` does; tsx's keepNames would cost the
  // engine's closures their fast shapes. BENCH_SERVER_SOURCES=1 runs the TypeScript sources through tsx instead.
  const fromSources = process.env.BENCH_SERVER_SOURCES === '1';
  if (!fromSources) {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-runtime.mjs'), '--bench-server', '--if-stale'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
  console.log(
    fromSources
      ? 'bench/server: the server runs from its TypeScript sources through tsx (BENCH_SERVER_SOURCES=1)'
      : 'bench/server: the server runs from its compiled bundle, as npm start runs it',
  );
  const prof = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`]
    : [];
  const child = fromSources
    ? // The same loader as this process (tsx): the sources, for profiling with their own names and lines.
      fork(fileURLToPath(import.meta.url), ['--serve', String(agencyCount)], {
        execArgv: [...process.execArgv, ...prof],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      })
    : fork(join(BENCH_OUT, 'bench', 'server.mjs'), ['--serve', String(agencyCount)], {
        execArgv: prof,
        env: { ...process.env, PARSE_WORKER: join(BENCH_OUT, 'server', 'parse', 'parse.worker.mjs') },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
  const figures: ServerBenchFigures[] = [];
  let stopped = false;
  try {
    const { base, path, tokens } = await ask(child, null, 'ready');
    const grids = await seedGrids();
    const fixedBody = JSON.stringify({ grids, source: 'excel-addin' });
    console.log(
      `bench/server: seed ${SEED} (${grids[0].rows.length} rows, ${Math.round(fixedBody.length / 1024)} KB JSON), ${agencyCount} agencies, ${connections} connections, ${seconds} s per phase, server in its own process`,
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
    // so the client costs a string concatenation, not a clone and a serialisation.
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
      const server0 = await ask(child, { op: 'cpu' }, 'cpu');
      const client0 = process.cpuUsage();
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
      const client = process.cpuUsage(client0);
      // The load has stopped; what the server accepted is answered before its CPU is read (and before the next
      // phase or the shutdown).
      await ask(child, { op: 'drain' }, 'drained');
      const server1 = await ask(child, { op: 'cpu' }, 'cpu');
      // On a shared machine the requests/s follow the load of others; CPU per request much less.
      const per = (micros: number) =>
        result.requests.total ? Math.round(micros / 100 / result.requests.total) / 10 : 0;
      const f: ServerBenchFigures = {
        phase: phase.name,
        requestsPerSecond: Math.round(result.requests.average),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        total: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors,
        cpuMsPerRequest: per(server1.micros - server0.micros),
        mainMsPerRequest: per(server1.mainMicros - server0.mainMicros),
        clientCpuMsPerRequest: per(client.user + client.system),
      };
      figures.push(f);
      console.log(
        `  ${f.phase}: ${f.requestsPerSecond} req/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms (${f.total} requests, ${f.non2xx} non-2xx, ${f.errors} errors); CPU per request: server ${f.cpuMsPerRequest} ms (main thread ${f.mainMsPerRequest} ms), client ${f.clientCpuMsPerRequest} ms`,
      );
      if (phase.target) {
        const missed =
          f.requestsPerSecond < phase.target.rps || f.p99Ms >= phase.target.p99 || f.non2xx > 0 || f.errors > 0;
        console.log(
          `  target ≥ ${phase.target.rps} req/s with p99 < ${phase.target.p99} ms${missed ? ': MISSED' : ''}`,
        );
      }
    }
    const { versions } = await ask(child, { op: 'stop' }, 'stopped');
    stopped = true;
    console.log(`  versions stored: ${versions}`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      if (!stopped) child.kill();
      await once(child, 'exit');
    }
  }
  return figures;
}

const argv = process.argv;
if (argv[1] && import.meta.url === pathToFileURL(argv[1]).href) {
  const main = argv[2] === '--serve' ? serve(Number(argv[3] ?? 20)) : run().then(() => undefined);
  main.catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
