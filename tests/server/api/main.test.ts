// The real entry point as `npm start` runs it (the bundle dist/runtime/server.mjs): configuration from the environment, a fresh database
// migrated on start, the first admin account, HTTPS with a certificate, the dashboard URL printed.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRuntime, SERVER } from '../../support/runtime.js';

let dir: string;
let child: ChildProcess;
let out = '';
let port: number;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
}

function httpsJson(
  method: string,
  path: string,
  body?: unknown,
  cookie?: string,
): Promise<{ status: number; body: any; cookie?: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        rejectUnauthorized: false, // self-signed test certificate
        headers: { ...(data ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text ? JSON.parse(text) : null,
            cookie: res.headers['set-cookie']?.[0]?.split(';')[0],
          }),
        );
      },
    );
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'phuluc-main-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  port = await freePort();
  ensureRuntime();
  child = spawn(process.execPath, [SERVER], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'data'),
      DATABASE_URL: '',
      DEMO: '0',
      ADMIN_PASSWORD: 'quan-tri-thu-nghiem',
      BCRYPT_COST: '4',
      HTTPS_CERT: join(dir, 'cert.pem'),
      HTTPS_KEY: join(dir, 'key.pem'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c) => (out += String(c)));
  child.stderr!.on('data', (c) => (out += String(c)));
  const deadline = Date.now() + 60_000;
  while (!out.includes('đang chạy') && Date.now() < deadline && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 200));
});

afterAll(() => {
  child?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('the server bundle (server/main.ts)', () => {
  it('starts on HTTPS with a migrated SQLite file and prints the dashboard URL', async () => {
    expect(out, out).toContain(`Phụ lục đang chạy: https://127.0.0.1:${port}/`);
    expect(out).toContain(join(dir, 'data', 'phuluc.sqlite'));
    expect(out).toContain('Đã tạo tài khoản quản trị "admin" (mật khẩu từ ADMIN_PASSWORD)');
    expect(out).not.toContain('quan-tri-thu-nghiem');
    const health = await httpsJson('GET', '/api/health');
    expect(health).toMatchObject({ status: 200, body: { ok: true, database: 'sqlite' } });
  });

  it('the first admin signs in with a Secure session cookie', async () => {
    const r = await httpsJson('POST', '/api/auth/login', { username: 'admin', password: 'quan-tri-thu-nghiem' });
    expect(r.status).toBe(200);
    expect(r.body.user.role).toBe('admin');
    const me = await httpsJson('GET', '/api/me', undefined, r.cookie);
    expect(me.body.user.username).toBe('admin');
    // One access-log line per API request, with the user once known.
    await new Promise((res) => setTimeout(res, 100));
    expect(out).toMatch(/GET \/api\/health 200 \d+ms/);
    expect(out).toMatch(/GET \/api\/me 200 \d+ms admin/);
  });

  it('refuses to start with half an HTTPS configuration, saying why', () => {
    let failed: { status: number | null; stderr: string } | null = null;
    try {
      execFileSync(process.execPath, [SERVER], {
        env: { ...process.env, HTTPS_CERT: 'cert.pem', HTTPS_KEY: '', DATA_DIR: join(dir, 'x') },
        stdio: 'pipe',
        timeout: 30_000,
      });
    } catch (e) {
      const err = e as { status: number | null; stderr: Buffer };
      failed = { status: err.status, stderr: String(err.stderr) };
    }
    expect(failed?.status).toBe(1);
    expect(failed?.stderr).toMatch(/HTTPS_CERT and HTTPS_KEY must be set together/);
  });
});
