// Sign-in, sign-out, the current user and API tokens.
import { Router } from 'express';
import { SESSION_COOKIE, requireUser } from '../auth/index.js';
import { appError } from '../errors.js';
import { changePassword, issueToken, listTokens, login, logout, revokeToken } from '../domain/users.js';
import type { Services } from '../domain/services.js';
import { LoginBody, PasswordBody, TokenBody, parse } from './schemas.js';

const MAX_FAILURES = 10;
const WINDOW_MS = 15 * 60_000;

export function authRouter(s: Services, opts: { secureCookies: boolean }): Router {
  const r = Router();
  // Failed sign-ins per username (in memory: enough to stop password guessing against one server).
  const failures = new Map<string, { count: number; since: number }>();
  r.post('/auth/login', async (req, res) => {
    const body = parse(LoginBody, req.body);
    const key = body.username.toLowerCase();
    const now = Date.now();
    const f = failures.get(key);
    if (f && now - f.since > WINDOW_MS) failures.delete(key);
    else if (f && f.count >= MAX_FAILURES) {
      throw appError('auth.too-many-attempts', { minutes: Math.ceil((f.since + WINDOW_MS - now) / 60_000) });
    }
    let session;
    try {
      session = await login(s, body.username, body.password);
    } catch (err) {
      if ((err as { code?: string }).code === 'auth.invalid-credentials') {
        const cur = failures.get(key) ?? { count: 0, since: now };
        cur.count++;
        failures.set(key, cur);
      }
      throw err;
    }
    failures.delete(key);
    const { user, token, expiresAt } = session;
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secureCookies,
      expires: expiresAt,
      path: '/',
    });
    const { via: _via, ...publicUser } = user;
    res.json({ user: publicUser });
  });
  r.post('/auth/logout', async (req, res) => {
    const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    await logout(s, req.user, token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true });
  });
  r.get('/me', (req, res) => {
    const { via: _via, ...user } = requireUser(req);
    res.json({ user });
  });
  r.post('/me/password', async (req, res) => {
    const user = requireUser(req);
    const body = parse(PasswordBody, req.body);
    await changePassword(s, user, body.currentPassword, body.newPassword);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true });
  });
  r.post('/tokens', async (req, res) => {
    const user = requireUser(req);
    const body = parse(TokenBody, req.body);
    const t = await issueToken(s, user, body.label);
    res.status(201).json({ id: t.id, token: t.token, label: body.label });
  });
  r.get('/tokens', async (req, res) => {
    res.json({ tokens: await listTokens(s, requireUser(req)) });
  });
  r.delete('/tokens/:tokenId', async (req, res) => {
    await revokeToken(s, requireUser(req), req.params.tokenId);
    res.json({ ok: true });
  });
  return r;
}
