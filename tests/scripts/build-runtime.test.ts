// The compiled runtime (scripts/build-runtime.mjs): the CLI and the server run from their JavaScript bundles as
// real processes, compile no TypeScript, and load the large packages (docx, exceljs, googleapis, pdfjs-dist,
// jszip) only on the paths that use them. What a process loads is seen through a module-load hook that writes
// each loaded URL to a file.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNEX, ROOT, SERVER, ensureRuntime } from '../support/runtime.js';

const HEAVY = ['docx', 'exceljs', 'googleapis', 'pdfjs-dist', 'jszip'];
const SEED = join(ROOT, 'seeds', '000_683635a77beddbc9.txt');

let dir: string;
let hook: string;

beforeAll(() => {
  ensureRuntime();
  dir = mkdtempSync(join(tmpdir(), 'phuluc-runtime-'));
  // Registered with --import: every module the process loads is appended to $LOAD_LOG, the ES modules as they
  // load and the CommonJS ones (the CLI bundle runs as one, its packages are required) when the process exits.
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (!url.startsWith('node:')) appendFileSync(process.env.LOAD_LOG, url + '\\n');
  return next(url, context);
}
`,
  );
  hook = join(dir, 'register.mjs');
  writeFileSync(
    hook,
    `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
register(${JSON.stringify(pathToFileURL(hooks).href)});
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  for (const file of Object.keys(cache)) appendFileSync(process.env.LOAD_LOG, pathToFileURL(file).href + '\\n');
});
`,
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5 }));

function loaded(log: string): string[] {
  try {
    return readFileSync(log, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** The packages of node_modules among the loaded URLs. */
function packagesOf(urls: string[]): Set<string> {
  const out = new Set<string>();
  for (const u of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u);
    if (m) out.add(m[1]);
  }
  return out;
}

function annex(log: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', hook, ANNEX, ...args],
      { cwd: dir, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LOAD_LOG: log, NO_COLOR: '1' } },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

describe('the annex bundle (dist/runtime/annex.mjs)', () => {
  it('validates a seed from another directory, loading no TypeScript and none of the large packages', async () => {
    const log = join(dir, 'validate.log');
    const r = await annex(log, 'validate', SEED, '--json');
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.stats.tasks).toBeGreaterThan(0);
    expect(r.code).toBe(report.stats.errors > 0 ? 1 : 0);
    const urls = loaded(log);
    expect(urls[0]).toBe(pathToFileURL(ANNEX).href);
    // The launcher ran the CLI bundle through its V8 code cache, written by the first run after a build.
    expect(readdirSync(dirname(ANNEX)).some((f) => /^annex-[A-Z0-9]+\.cjs\.cache$/.test(f))).toBe(true);
    expect(urls.filter((u) => u.endsWith('.ts'))).toEqual([]);
    expect(packagesOf(urls)).not.toContain('tsx');
    expect(packagesOf(urls)).not.toContain('zod'); // inside the bundle
    for (const p of HEAVY) expect(packagesOf(urls), p).not.toContain(p);
  });

  it('loads a writer with the command that writes: exceljs for --fix, docx for a Word export', async () => {
    const fixLog = join(dir, 'fix.log');
    const fixed = await annex(fixLog, 'validate', SEED, '--fix', join(dir, 'fixed.xlsx'));
    expect(fixed.code, fixed.stderr).toBeLessThan(2);
    expect(packagesOf(loaded(fixLog))).toContain('exceljs');
    expect(packagesOf(loaded(fixLog))).not.toContain('docx');
    const docLog = join(dir, 'docx.log');
    const doc = await annex(docLog, 'export', SEED, '--out', join(dir, 'phu-luc.docx'));
    expect(doc.code, doc.stderr).toBe(0);
    expect(packagesOf(loaded(docLog))).toContain('docx');
    expect(packagesOf(loaded(docLog))).not.toContain('exceljs');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
}

function getJson(port: number, path: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    }).on('error', reject);
  });
}

describe('the server bundle (dist/runtime/server.mjs)', () => {
  let child: ChildProcess | undefined;
  // Stopped and gone before the folder it writes to is removed.
  afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });

  it('starts from another directory, answers /api/health and has loaded none of the large packages', async () => {
    const log = join(dir, 'server.log');
    const port = await freePort();
    let out = '';
    child = spawn(process.execPath, ['--import', hook, SERVER], {
      cwd: dir,
      env: {
        ...process.env,
        LOAD_LOG: log,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: join(dir, 'data'),
        DATABASE_URL: '',
        DEMO: '0',
        BCRYPT_COST: '4',
        ACCESS_LOG: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c) => (out += String(c)));
    child.stderr!.on('data', (c) => (out += String(c)));
    const deadline = Date.now() + 60_000;
    while (!out.includes('đang chạy') && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain(`Phụ lục đang chạy: http://127.0.0.1:${port}/`);
    expect(await getJson(port, '/api/health')).toMatchObject({ status: 200, body: { ok: true, database: 'sqlite' } });
    const urls = loaded(log);
    expect(urls[0]).toBe(pathToFileURL(SERVER).href);
    expect(urls.filter((u) => u.endsWith('.ts'))).toEqual([]);
    for (const p of HEAVY) expect(packagesOf(urls), p).not.toContain(p);
  });
});
