// Hardening of the HTTP surface (issue 13): cross-site requests, headers, body limits, token expiry and
// scope, disabled accounts and admin resets, throttled sign-in, the append-only audit with readable
// names. Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { addUser, Client, PASSWORD, pickAgencies, startServer, type TestServer } from './harness.js';

const pgUrl = process.env.TEST_DATABASE_URL;
const SEED = '000_683635a77beddbc9.txt';
const targets = [
  { name: 'SQLite', url: undefined as string | undefined, skip: false },
  { name: 'PostgreSQL', url: pgUrl, skip: !pgUrl },
];

async function form(base: string, path: string, cookie: string, headers: Record<string, string> = {}) {
  return fetch(base + path, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: 'x=1',
  });
}

for (const target of targets) {
  describe.skipIf(target.skip)(`security on ${target.name}`, () => {
    let t: TestServer;
    let admin: Client;
    let officer: Client;
    let agency: { id: string; name: string };
    let roundId: string;
    let officerId: string;

    beforeAll(async () => {
      t = await startServer({ pgUrl: target.url });
      await addUser(t, 'admin', 'admin', null);
      admin = new Client(t.base);
      await admin.login('admin');
      [agency] = await pickAgencies(admin, 1);
      officerId = (await addUser(t, 'officer', 'agency', agency)).id;
      await addUser(t, 'victim', 'agency', agency);
      officer = new Client(t.base);
      await officer.login('officer');
      const r = await admin.post('/api/rounds', {
        title: 'Đợt bảo mật',
        year: 2023,
        province: 'nam-dinh',
        deadline: '2099-01-05',
        expectedAgencyIds: [agency.id],
      });
      roundId = r.body.round.id;
    });
    afterAll(async () => {
      await t?.close();
    });

    describe('cross-site requests (CSRF)', () => {
      it('a form post from a foreign origin with the admin cookie is refused and the round stays open', async () => {
        const r = await form(t.base, `/api/rounds/${roundId}/lock`, admin.cookie!, { origin: 'https://evil.example' });
        expect(r.status).toBe(403);
        expect((await r.json()).error.code).toBe('auth.csrf');
        // Same site but not JSON and no CSRF token: refused as well.
        expect((await form(t.base, `/api/rounds/${roundId}/lock`, admin.cookie!)).status).toBe(403);
        expect((await admin.get(`/api/rounds/${roundId}`)).body.round.locked).toBe(false);
        // The server's own page (JSON, same origin) goes through.
        const own = await admin.req('POST', `/api/rounds/${roundId}/lock`, {}, { origin: t.base });
        expect(own.status).toBe(200);
        expect((await admin.req('POST', `/api/rounds/${roundId}/unlock`, {}, { origin: t.base })).status).toBe(200);
      });

      it('JSON from a foreign origin is refused too, and so is a sign-in started there', async () => {
        const r = await admin.req(
          'POST',
          `/api/rounds/${roundId}/report`,
          { include: 'latest' },
          { origin: 'https://evil.example' },
        );
        expect(r.status).toBe(403);
        const c = new Client(t.base);
        const login = await c.req(
          'POST',
          '/api/auth/login',
          { username: 'officer', password: PASSWORD },
          { origin: 'https://evil.example' },
        );
        expect(login.status).toBe(403);
      });

      it('a multipart upload needs the session CSRF token', async () => {
        const raw = new Client(t.base);
        raw.cookie = officer.cookie;
        const bytes = readFileSync(`seeds/${SEED}`);
        const refused = await raw.upload(roundId, bytes, SEED);
        expect(refused.status).toBe(403);
        expect(refused.body.error.code).toBe('auth.csrf');
        expect(await t.handle.db.selectFrom('submissions').select('id').execute()).toHaveLength(0);
        const ok = await officer.upload(roundId, bytes, SEED);
        expect(ok.status, JSON.stringify(ok.body).slice(0, 300)).toBe(201);
      });

      it('the session cookie is HttpOnly and SameSite=Strict', async () => {
        const r = await fetch(`${t.base}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'victim', password: PASSWORD }),
        });
        const cookie = r.headers.get('set-cookie') ?? '';
        expect(cookie).toMatch(/HttpOnly/i);
        expect(cookie).toMatch(/SameSite=Strict/i);
      });
    });

    describe('headers and body limits', () => {
      it('the dashboard has a CSP, HSTS and no framing; the task pane may be framed by Office only', async () => {
        const home = await fetch(`${t.base}/`);
        const csp = home.headers.get('content-security-policy') ?? '';
        expect(csp).toMatch(/script-src 'self'/);
        expect(csp).toMatch(/frame-ancestors 'none'/);
        expect(home.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
        expect(home.headers.get('x-frame-options')).toBe('DENY');
        // The pane's pages and files (here the manifest, served beside them, built or not) share one policy.
        const pane = await fetch(`${t.base}/manifest.xml`);
        expect(pane.status).toBe(200);
        const paneCsp = pane.headers.get('content-security-policy') ?? '';
        expect(paneCsp).toMatch(/frame-ancestors 'self' https:\/\/\*\.officeapps\.live\.com/);
        expect(paneCsp).toMatch(/script-src 'self' https:\/\/appsforoffice\.microsoft\.com/);
        expect(pane.headers.get('x-frame-options')).toBeNull();
      });

      it('JSON bodies are small except on submit routes, and large ones are not read before sign-in', async () => {
        const big = {
          title: 'x'.repeat(400 * 1024),
          year: 2023,
          province: 'nam-dinh',
          deadline: '2023-01-01',
          expectedAgencyIds: [],
        };
        const r = await admin.post('/api/rounds', big);
        expect(r.status).toBe(413);
        const anon = new Client(t.base);
        const s = await anon.post(`/api/rounds/${roundId}/submissions`, {
          grids: [{ sheet: 'x'.repeat(1024 * 1024), kind: 'sheet', rows: [] }],
        });
        expect(s.status).toBe(401);
        expect(s.body.error.code).toBe('auth.required');
      });
    });

    describe('tokens and accounts', () => {
      it('tokens carry an expiry and the add-in scope; a token cannot mint tokens or lock a round', async () => {
        const made = await officer.post('/api/tokens', { label: 'Excel máy 1', expiresInDays: 30 });
        expect(made.status).toBe(201);
        expect(made.body.scope).toBe('addin');
        expect(Date.parse(made.body.expiresAt) - Date.now()).toBeGreaterThan(29 * 86400_000);
        const tok = new Client(t.base);
        tok.token = made.body.token;
        expect((await tok.get('/api/me')).status).toBe(200);
        expect((await tok.get(`/api/rounds/${roundId}`)).status).toBe(200);
        const mint = await tok.post('/api/tokens', { label: 'thêm' });
        expect(mint.status).toBe(403);
        expect(mint.body.error.code).toBe('auth.token-scope');
        const adminTok = await admin.post('/api/tokens', { label: 'quản trị' });
        const at = new Client(t.base);
        at.token = adminTok.body.token;
        const lock = await at.post(`/api/rounds/${roundId}/lock`);
        expect(lock.status).toBe(403);
        // Listed with expiry and scope; revocable.
        const list = await officer.get('/api/tokens');
        expect(list.body.tokens.find((x: { id: string }) => x.id === made.body.id)).toMatchObject({
          label: 'Excel máy 1',
          scope: 'addin',
          active: true,
        });
        expect((await officer.req('DELETE', `/api/tokens/${made.body.id}`)).status).toBe(200);
        expect((await tok.get('/api/me')).status).toBe(401);
      });

      it('an expired token is refused, saying when it expired', async () => {
        const made = await officer.post('/api/tokens', { label: 'cũ' });
        await t.handle.db
          .updateTable('api_tokens')
          .set({ expires_at: '2020-01-01T00:00:00.000Z' })
          .where('id', '=', made.body.id)
          .execute();
        const tok = new Client(t.base);
        tok.token = made.body.token;
        const r = await tok.get('/api/me');
        expect(r.status).toBe(401);
        expect(r.body.error.code).toBe('auth.token-expired');
        expect(r.body.error.message).toContain('2020-01-01');
      });

      it('a password change revokes every token of the user', async () => {
        const c = new Client(t.base);
        await c.login('victim');
        const made = await c.post('/api/tokens', { label: 'Excel' });
        const tok = new Client(t.base);
        tok.token = made.body.token;
        expect((await tok.get('/api/me')).status).toBe(200);
        expect(
          (await c.post('/api/me/password', { currentPassword: PASSWORD, newPassword: 'mat-khau-moi-2026' })).status,
        ).toBe(200);
        expect((await tok.get('/api/me')).status).toBe(401);
        const again = new Client(t.base);
        await again.login('victim', 'mat-khau-moi-2026');
        await again.post('/api/me/password', { currentPassword: 'mat-khau-moi-2026', newPassword: PASSWORD });
      });

      it('an admin disables an account (sessions and tokens stop at once) and enables it again', async () => {
        const c = new Client(t.base);
        await c.login('officer');
        const made = await c.post('/api/tokens', { label: 'Excel' });
        const tok = new Client(t.base);
        tok.token = made.body.token;
        expect((await admin.post(`/api/users/${officerId}/disable`)).status).toBe(200);
        expect((await c.get('/api/me')).status).toBe(401);
        expect((await tok.get('/api/me')).status).toBe(401);
        const login = await new Client(t.base).post('/api/auth/login', { username: 'officer', password: PASSWORD });
        expect(login.status).toBe(403);
        expect(login.body.error.code).toBe('auth.account-disabled');
        expect((await officer.post(`/api/users/${officerId}/enable`)).status).toBe(401); // its old session is gone
        expect((await admin.post(`/api/users/${officerId}/enable`)).status).toBe(200);
        await officer.login('officer');
      });

      it('an admin reset forces a password change before anything else', async () => {
        expect(
          (await admin.post(`/api/users/${officerId}/reset-password`, { password: 'tam-thoi-12345' })).status,
        ).toBe(200);
        const c = new Client(t.base);
        const login = await c.login('officer', 'tam-thoi-12345');
        expect(login.body.user.mustChangePassword).toBe(true);
        const blocked = await c.get('/api/rounds');
        expect(blocked.status).toBe(403);
        expect(blocked.body.error.code).toBe('auth.password-change-required');
        expect(
          (await c.post('/api/me/password', { currentPassword: 'tam-thoi-12345', newPassword: PASSWORD })).status,
        ).toBe(200);
        await officer.login('officer');
        expect((await officer.get('/api/rounds')).status).toBe(200);
      });
    });

    describe('sign-in throttling', () => {
      it('counts attempts before comparing: of 20 parallel guesses at most 5 reach the password check', async () => {
        const ip = '203.0.113.7';
        const burst = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            new Client(t.base).req(
              'POST',
              '/api/auth/login',
              { username: 'admin', password: `doan-${i}` },
              { 'x-forwarded-for': ip },
            ),
          ),
        );
        expect(burst.filter((r) => r.status === 401).length).toBeLessThanOrEqual(5);
        expect(burst.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(15);
        const compared = await t.handle.db
          .selectFrom('audit')
          .select('detail_json')
          .where('action', '=', 'auth.login-failed')
          .execute();
        expect(
          compared.filter(
            (r) => JSON.parse(r.detail_json).ip === ip && JSON.parse(r.detail_json).reason === 'wrong-password',
          ).length,
        ).toBeLessThanOrEqual(5);
        // The right password from that address waits too; from another address admin signs in.
        expect(
          (
            await new Client(t.base).req(
              'POST',
              '/api/auth/login',
              { username: 'admin', password: PASSWORD },
              { 'x-forwarded-for': ip },
            )
          ).status,
        ).toBe(429);
        expect(
          (
            await new Client(t.base).req(
              'POST',
              '/api/auth/login',
              { username: 'admin', password: PASSWORD },
              { 'x-forwarded-for': '198.51.100.9' },
            )
          ).status,
        ).toBe(200);
      });

      it('one address trying many accounts is stopped', async () => {
        const ip = '203.0.113.8';
        const codes: number[] = [];
        for (let i = 0; i < 32; i++) {
          codes.push(
            (
              await new Client(t.base).req(
                'POST',
                '/api/auth/login',
                { username: `khong-co-${i}`, password: 'x' },
                { 'x-forwarded-for': ip },
              )
            ).status,
          );
        }
        expect(codes.slice(0, 30).every((c) => c === 401)).toBe(true);
        expect(codes.slice(30)).toEqual([429, 429]);
      });

      it('keeps its store bounded: rows whose window is over are dropped', async () => {
        await t.handle.db
          .insertInto('login_throttle')
          .values({ key: 'p:cu|1.2.3.4', attempts: 3, window_start: '2020-01-01T00:00:00.000Z', blocked_until: null })
          .execute();
        await new Client(t.base).req(
          'POST',
          '/api/auth/login',
          { username: 'ai-do', password: 'x' },
          { 'x-forwarded-for': '192.0.2.1' },
        );
        expect(
          await t.handle.db.selectFrom('login_throttle').select('key').where('key', '=', 'p:cu|1.2.3.4').execute(),
        ).toEqual([]);
      });
    });

    describe('audit', () => {
      it('records failed sign-ins, refused accesses and token events, with names people read', async () => {
        await new Client(t.base).post('/api/auth/login', { username: 'officer', password: 'sai' });
        await officer.post('/api/rounds', {
          title: 'x',
          year: 2023,
          province: 'nam-dinh',
          deadline: '2023-01-01',
          expectedAgencyIds: [],
        });
        const entries = (await admin.get('/api/audit?limit=5000')).body.entries as {
          action: string;
          actorName: string;
          agencyName: string | null;
          targetName: string | null;
          detail: Record<string, unknown>;
        }[];
        const actions = new Set(entries.map((e) => e.action));
        for (const a of [
          'auth.login-failed',
          'access.refused',
          'token.create',
          'token.revoke',
          'user.disable',
          'user.password-reset',
        ])
          expect(actions).toContain(a);
        const refused = entries.find((e) => e.action === 'access.refused' && e.detail.code === 'auth.forbidden')!;
        expect(refused.actorName).toBe('Người dùng officer');
        const submit = entries.find((e) => e.action === 'submission.submit')!;
        expect(submit.agencyName).toBe(agency.name);
        expect(submit.targetName).toBe(agency.name);
      });

      it('is append-only in the database: UPDATE and DELETE fail', async () => {
        const before = await t.handle.db.selectFrom('audit').select(['id', 'action']).orderBy('id').execute();
        await expect(sql`UPDATE audit SET action = 'x'`.execute(t.handle.db)).rejects.toThrow(/append-only/);
        await expect(sql`DELETE FROM audit`.execute(t.handle.db)).rejects.toThrow(/append-only/);
        expect(await t.handle.db.selectFrom('audit').select(['id', 'action']).orderBy('id').execute()).toEqual(before);
      });
    });
  });
}
