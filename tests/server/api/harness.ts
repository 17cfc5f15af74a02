// Starts the real app on an ephemeral loopback port over a temporary SQLite file (or a fresh
// PostgreSQL schema) and talks to it with fetch, as the add-ins and the dashboard do.
import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { createApp } from '../../../server/app.js';
import { openDatabase, type DatabaseHandle } from '../../../server/db/index.js';
import type { Hooks, Services } from '../../../server/domain/services.js';
import { createUser } from '../../../server/domain/users.js';
import type { Role } from '../../../server/db/index.js';
import type { ParsePoolOptions } from '../../../server/parse/pool.js';

export const PASSWORD = 'mật-khẩu-thử-2026';

export interface TestServer {
  base: string;
  handle: DatabaseHandle;
  services: Services;
  logged: { msg: string; err: unknown }[];
  close(): Promise<void>;
}

export async function startServer(
  opts: { hooks?: Hooks; now?: () => Date; pgUrl?: string; maxUploadBytes?: number; parse?: ParsePoolOptions } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'phuluc-api-'));
  const schema = opts.pgUrl ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const handle = await openDatabase(opts.pgUrl ? { url: opts.pgUrl, schema } : { file: join(dir, 'test.sqlite') });
  const logged: TestServer['logged'] = [];
  const app = createApp({
    db: handle,
    bcryptCost: 4,
    hooks: opts.hooks,
    now: opts.now,
    maxUploadBytes: opts.maxUploadBytes,
    parse: opts.parse,
    log: (msg, err) => (logged.push({ msg, err }), process.env.DEBUG_SERVER && console.error('SERVER', msg, err)),
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    handle,
    services: app.locals.services,
    logged,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      if (schema)
        await handle.db.schema
          .dropSchema(schema)
          .ifExists()
          .cascade()
          .execute()
          .catch(() => undefined);
      await app.locals.services.parse?.close();
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Res<T = any> {
  status: number;
  body: T;
  headers: Headers;
  bytes: Buffer;
}

/** A JSON body sent as written (bodies too large or too odd to build as objects). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** A client with a cookie jar (session) or a bearer token. */
export class Client {
  cookie: string | null = null;
  token: string | null = null;
  /** The session's CSRF token (from sign-in), sent with every non-GET request as the dashboard does. */
  csrf: string | null = null;
  constructor(readonly base: string) {}

  async req<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Res<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.token) h.authorization = `Bearer ${this.token}`;
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body instanceof RawJson) {
      h['content-type'] = 'application/json';
      payload = body.text;
    } else if (body !== undefined) {
      h['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const r = await fetch(this.base + path, { method, headers: h, body: payload });
    const setCookie = r.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const bytes = Buffer.from(await r.arrayBuffer());
    const type = r.headers.get('content-type') ?? '';
    const parsed =
      type.includes('application/json') && bytes.length ? JSON.parse(bytes.toString('utf8')) : bytes.toString('utf8');
    return { status: r.status, body: parsed as T, headers: r.headers, bytes };
  }

  get<T = any>(path: string) {
    return this.req<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown) {
    return this.req<T>('POST', path, body ?? {});
  }

  async login(username: string, password = PASSWORD): Promise<Res> {
    const r = await this.post('/api/auth/login', { username, password });
    if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
    this.csrf = r.body.csrfToken ?? null;
    return r;
  }

  upload(roundId: string, bytes: Uint8Array, fileName: string, fields: Record<string, string> = {}) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    return this.req('POST', `/api/rounds/${roundId}/submissions`, form);
  }
}

export async function addUser(
  t: TestServer,
  username: string,
  role: Role,
  agency: { id: string; name: string } | null,
  province = 'nam-dinh',
) {
  return createUser(t.services, {
    username,
    password: PASSWORD,
    displayName: `Người dùng ${username}`,
    role,
    agencyId: agency?.id ?? null,
    agencyName: agency?.name ?? null,
    province,
  });
}

/** Agencies from the server's own directory when it has data for the province, else stand-ins. */
export async function pickAgencies(
  c: Client,
  n: number,
  province = 'nam-dinh',
): Promise<{ id: string; name: string }[]> {
  const r = await c.get(`/api/directory?province=${province}&date=2023-01-01`);
  const real = ((r.body?.agencies ?? []) as { id: string; name: string; kind: string }[]).filter(
    (a) => a.kind === 'agency',
  );
  if (real.length >= n) return real.slice(0, n).map((a) => ({ id: a.id, name: a.name }));
  return Array.from({ length: n }, (_, i) => ({
    id: `${province}.test-agency-${i + 1}`,
    name: `Cơ quan thử ${i + 1}`,
  }));
}

/**
 * The usual cast of a test: an admin, one agency of the directory with its officer signed in, and a round of
 * 2023 in Nam Định expecting that agency.
 */
export async function officerInRound(
  t: TestServer,
  title: string,
  deadline = '2099-01-05',
): Promise<{ admin: Client; officer: Client; agency: { id: string; name: string }; roundId: string }> {
  await addUser(t, 'admin', 'admin', null);
  const admin = new Client(t.base);
  await admin.login('admin');
  const [agency] = await pickAgencies(admin, 1);
  await addUser(t, 'officer', 'agency', agency);
  const officer = new Client(t.base);
  await officer.login('officer');
  const round = await admin.post('/api/rounds', {
    title,
    year: 2023,
    province: 'nam-dinh',
    deadline,
    expectedAgencyIds: [agency.id],
  });
  return { admin, officer, agency, roundId: round.body.round.id };
}
