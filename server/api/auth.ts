// Sign-in, sign-out, the current user and API tokens.
import { Router, type Request } from 'express';
import { SESSION_COOKIE, csrfTokenOf, requireUser } from '../auth/index.js';
import { forbidden } from '../errors.js';
import { changePassword, issueToken, listTokens, login, logout, revokeToken } from '../domain/users.js';
import type { Services } from '../domain/services.js';
import { LoginBody, PasswordBody, TokenBody } from '../../contracts/index.js';
import { parse } from './parse.js';

/** Only a signed-in session (a password typed by a person) manages tokens: a token never mints another. */
function requireSession(req: Request) {
  const user = requireUser(req);
  if (user.via === 'token')
    throw forbidden('mã truy cập không tạo hoặc thu hồi được mã truy cập khác.', 'tokens cannot manage tokens');
  return user;
}

export function authRouter(s: Services, opts: { secureCookies: boolean }): Router {
  const r = Router();
  r.post('/auth/login', async (req, res) => {
    const body = parse(LoginBody, req.body);
    const { user, token, expiresAt } = await login(s, body.username, body.password, req.ip ?? 'unknown');
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      // Strict: the browser never sends the session with a request started on another site.
      sameSite: 'strict',
      secure: opts.secureCookies,
      expires: expiresAt,
      path: '/',
    });
    const { via: _via, ...publicUser } = user;
    res.json({ user: publicUser, csrfToken: csrfTokenOf(token) });
  });
  r.post('/auth/logout', async (req, res) => {
    const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    await logout(s, req.user, token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true });
  });
  r.get('/me', (req, res) => {
    const { via, ...user } = requireUser(req);
    const cookie = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    // The CSRF token multipart uploads carry (X-CSRF-Token), for pages opened with an existing session.
    res.json({ user, ...(via === 'session' && cookie ? { csrfToken: csrfTokenOf(cookie) } : {}) });
  });
  r.post('/me/password', async (req, res) => {
    const user = requireSession(req);
    const body = parse(PasswordBody, req.body);
    await changePassword(s, user, body.currentPassword, body.newPassword);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true });
  });
  r.post('/tokens', async (req, res) => {
    const user = requireSession(req);
    const body = parse(TokenBody, req.body);
    const t = await issueToken(s, user, body.label, body.expiresInDays);
    res.status(201).json({ id: t.id, token: t.token, label: body.label, expiresAt: t.expiresAt, scope: t.scope });
  });
  r.get('/tokens', async (req, res) => {
    res.json({ tokens: await listTokens(s, requireSession(req)) });
  });
  r.delete('/tokens/:tokenId', async (req, res) => {
    await revokeToken(s, requireSession(req), req.params.tokenId);
    res.json({ ok: true });
  });
  return r;
}
