// Sign-in, sign-out, the current user and API tokens.
import { Router } from 'express';
import { SESSION_COOKIE, requireUser } from '../auth/index.js';
import { issueToken, login, logout } from '../domain/users.js';
import type { Services } from '../domain/services.js';
import { LoginBody, TokenBody, parse } from './schemas.js';

export function authRouter(s: Services, opts: { secureCookies: boolean }): Router {
  const r = Router();
  r.post('/auth/login', async (req, res) => {
    const body = parse(LoginBody, req.body);
    const { user, token, expiresAt } = await login(s, body.username, body.password);
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
  r.post('/tokens', async (req, res) => {
    const user = requireUser(req);
    const body = parse(TokenBody, req.body);
    const t = await issueToken(s, user, body.label);
    res.status(201).json({ id: t.id, token: t.token, label: body.label });
  });
  return r;
}
