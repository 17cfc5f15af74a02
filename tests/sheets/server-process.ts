// The real server in its own process (temporary SQLite), for the add-on's synchronous UrlFetchApp: a blocking
// fetch from the test process could not be answered by a server running on the test's own event loop.
// Prints one JSON line {base, token, token2, roundId, agency} once ready; exits when stdin closes.
import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../server/app.js';
import { openDatabase } from '../../server/db/index.js';
import { createUser } from '../../server/domain/users.js';

const PASSWORD = 'mat-khau-thu-2026';

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'phuluc-sheets-'));
  const handle = await openDatabase({ file: join(dir, 'test.sqlite') });
  const app = createApp({ db: handle, bcryptCost: 4, google: null, log: () => undefined });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const s = app.locals.services;
  await createUser(s, {
    username: 'admin',
    password: PASSWORD,
    displayName: 'Quản trị',
    role: 'admin',
    province: 'binh-thuan',
  });
  const call = async (path: string, body: unknown, cookie?: string) => {
    const r = await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as any, cookie: r.headers.get('set-cookie')?.split(';')[0] };
  };
  const adminLogin = await call('/api/auth/login', { username: 'admin', password: PASSWORD });
  const dirRes = await fetch(`${base}/api/directory?province=binh-thuan&date=2024-01-01`, {
    headers: { cookie: adminLogin.cookie! },
  });
  const agency = ((await dirRes.json()) as { agencies: { id: string; name: string; kind: string }[] }).agencies.find(
    (a) => a.kind === 'agency',
  )!;
  await createUser(s, {
    username: 'canbo',
    password: PASSWORD,
    displayName: 'Cán bộ',
    role: 'agency',
    agencyId: agency.id,
    agencyName: agency.name,
    province: 'binh-thuan',
  });
  const round = await call(
    '/api/rounds',
    {
      title: 'Kế hoạch CCHC năm 2024',
      year: 2024,
      province: 'binh-thuan',
      deadline: '2099-12-31',
      expectedAgencyIds: [agency.id],
    },
    adminLogin.cookie,
  );
  const officer = await call('/api/auth/login', { username: 'canbo', password: PASSWORD });
  const token = await call('/api/tokens', { label: 'Google Sheets' }, officer.cookie);
  // A colleague in the same agency, for two-way sync.
  await createUser(s, {
    username: 'canbo2',
    password: PASSWORD,
    displayName: 'Cán bộ 2',
    role: 'agency',
    agencyId: agency.id,
    agencyName: agency.name,
    province: 'binh-thuan',
  });
  const colleague = await call('/api/auth/login', { username: 'canbo2', password: PASSWORD });
  const token2 = await call('/api/tokens', { label: 'Google Sheets' }, colleague.cookie);
  process.stdout.write(
    `${JSON.stringify({ base, token: token.body.token, token2: token2.body.token, roundId: round.body.round.id, agency })}\n`,
  );
  process.stdin.resume();
  process.stdin.on('end', () => {
    server.closeAllConnections();
    server.close(
      () =>
        void handle.close().then(() => {
          rmSync(dir, { recursive: true, force: true });
          process.exit(0);
        }),
    );
  });
}

main().catch((e) => {
  process.stderr.write(`server-process failed: ${(e as Error).stack}\n`);
  process.exit(1);
});
