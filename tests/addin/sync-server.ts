// The real app (createApp over a temporary SQLite file) for the add-in's sync tests. While the sync
// router is not yet mounted in createApp, it is mounted in front of the app, as the server's own sync
// tests do; once createApp serves it, the app is used as is.
import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import cookieParser from 'cookie-parser';
import { createApp } from '../../server/app.js';
import { authenticate } from '../../server/auth/index.js';
import { errorMiddleware } from '../../server/errors.js';
import { openDatabase, type DatabaseHandle } from '../../server/db/index.js';
import { syncRouter } from '../../server/api/sync.js';
import { createUser } from '../../server/domain/users.js';
import type { Services } from '../../server/domain/services.js';

export const PASSWORD = 'mật-khẩu-thử-2026';

export interface SyncTestServer {
  base: string;
  dir: string;
  handle: DatabaseHandle;
  services: Services;
  /** True when createApp itself serves the sync routes. */
  native: boolean;
  close(): Promise<void>;
}

export async function startSyncServer(opts: { root?: (dir: string) => string } = {}): Promise<SyncTestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'phuluc-addin-sync-'));
  const handle = await openDatabase({ file: join(dir, 'test.sqlite') });
  // Comment resolutions (the sync migration); harmless when the migration already made the table.
  await handle.db.schema
    .createTable('comment_resolutions')
    .ifNotExists()
    .addColumn('comment_id', 'text', (c) => c.primaryKey().references('comments.id').onDelete('cascade'))
    .addColumn('resolved', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('by_user', 'text', (c) => c.notNull())
    .execute();
  const app = createApp({ db: handle, bcryptCost: 4, root: opts.root ? opts.root(dir) : undefined });
  let server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  let base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const probe = await fetch(`${base}/api/rounds/x/sync-status?baseVersion=0`);
  const native = probe.status !== 404;
  if (!native) {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    const outer = express();
    outer.use(cookieParser());
    const api = express.Router();
    api.use(express.json({ limit: 20 * 1024 * 1024 }));
    api.use(authenticate(handle.db));
    api.use(syncRouter(app.locals.services));
    outer.use('/api', api);
    outer.use(app);
    outer.use(errorMiddleware());
    server = outer.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  return {
    base,
    dir,
    handle,
    services: app.locals.services,
    native,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  auth: { cookie?: string; token?: string } = {},
) {
  const r = await fetch(base + path, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(auth.cookie ? { cookie: auth.cookie } : {}),
      ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return {
    status: r.status,
    body: text ? JSON.parse(text) : undefined,
    cookie: r.headers.get('set-cookie')?.split(';')[0],
  };
}

export const AGENCY = { id: 'nam-dinh/so-tu-phap', name: 'Sở Tư pháp' };
export const NOI_VU = { id: 'nam-dinh/so-noi-vu', name: 'Sở Nội vụ' };

/**
 * Nam Định 2023: an admin, a reviewer of Sở Nội vụ, two officers of Sở Tư pháp (lan, hung), a round with
 * the provincial plan (seed 000) attached. Returns cookies and lan's API token.
 */
export async function seedRound(t: SyncTestServer, planText: string) {
  const s = t.services;
  const mk = (
    username: string,
    role: 'admin' | 'reviewer' | 'agency',
    agency: { id: string; name: string } | null,
    displayName: string,
  ) =>
    createUser(s, {
      username,
      password: PASSWORD,
      displayName,
      role,
      agencyId: agency?.id ?? null,
      agencyName: agency?.name ?? null,
      province: 'nam-dinh',
    });
  await mk('admin', 'admin', NOI_VU, 'Quản trị Sở Nội vụ');
  await mk('reviewer', 'reviewer', NOI_VU, 'Chuyên viên thẩm định');
  await mk('lan', 'agency', AGENCY, 'Nguyễn Thị Lan');
  await mk('hung', 'agency', AGENCY, 'Trần Văn Hùng');
  const login = async (u: string) => {
    const r = await call(t.base, 'POST', '/api/auth/login', { username: u, password: PASSWORD });
    if (r.status !== 200) throw new Error(`login ${u}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.cookie!;
  };
  const admin = await login('admin');
  const reviewer = await login('reviewer');
  const lan = await login('lan');
  const hung = await login('hung');
  const round = await call(
    t.base,
    'POST',
    '/api/rounds',
    {
      title: 'Kế hoạch CCHC năm 2023',
      year: 2023,
      province: 'nam-dinh',
      deadline: '2099-01-05',
      expectedAgencyIds: [AGENCY.id],
    },
    { cookie: admin },
  );
  if (round.status !== 201) throw new Error(`round: ${round.status} ${JSON.stringify(round.body)}`);
  const roundId = round.body.round.id as string;
  const { textToGrid } = await import('../../engine/index.js');
  const plan = await call(
    t.base,
    'POST',
    `/api/rounds/${roundId}/submissions`,
    { grids: [textToGrid(planText, 'KH 158-KH-UBND.txt')], agencyId: NOI_VU.id, fileName: 'KH 158-KH-UBND.txt' },
    { cookie: reviewer },
  );
  if (plan.status !== 201) throw new Error(`plan: ${plan.status} ${JSON.stringify(plan.body).slice(0, 300)}`);
  const patched = await call(
    t.base,
    'PATCH',
    `/api/rounds/${roundId}`,
    { planSubmissionId: plan.body.submissionId },
    { cookie: admin },
  );
  if (patched.status !== 200) throw new Error(`patch: ${patched.status}`);
  const tok = await call(t.base, 'POST', '/api/tokens', { label: 'Excel' }, { cookie: lan });
  if (!tok.body?.token) throw new Error(`token: ${tok.status}`);
  return { roundId, admin, reviewer, lan, hung, lanToken: tok.body.token as string };
}
