// Request guards in front of every API route: cross-site request refusal for cookie sessions, the
// narrow scope of API tokens, the forced password change, and an audit row for every refused access.
import type { NextFunction, Request, Response } from 'express';
import { SESSION_COOKIE, csrfTokenOf } from '../auth/index.js';
import * as audit from '../data/audit.js';
import type { Db } from '../db/index.js';
import { appError } from '../errors.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origin this request was addressed to (behind a trusted proxy: the proxy's scheme and host). */
export function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? ''}`;
}

function requestOrigin(req: Request): string | null {
  const origin = req.get('origin');
  if (origin && origin !== 'null') return origin;
  if (origin === 'null') return 'null';
  const referer = req.get('referer');
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}

/**
 * State-changing requests that a browser could send with the session cookie must come from this
 * server's own pages: the Origin (or Referer) must be the server's, and the body must be JSON (a
 * cross-site form cannot send JSON) or carry the session's CSRF token in X-CSRF-Token (multipart
 * uploads, bodiless posts). Bearer-token requests are not sent by browsers on their own and pass.
 * Sign-in is checked for its origin too (no signing a victim into the attacker's account).
 */
export function csrfGuard(extraOrigins: string[] = []) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (SAFE.has(req.method) || req.headers.authorization) return next();
    const cookie = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    const login = req.path === '/auth/login';
    if (!cookie && !login) return next();
    const origin = requestOrigin(req);
    const own = ownOrigin(req);
    if (origin !== null && origin !== own && !extraOrigins.includes(origin)) {
      return next(
        appError('auth.csrf', {
          reason: `trang gửi yêu cầu là "${origin}", không phải "${own}"`,
          reasonEn: `origin ${origin} is not ${own}`,
        }),
      );
    }
    if (!cookie) return next();
    if (req.is('application/json')) return next();
    const token = req.get('x-csrf-token');
    if (token && token === csrfTokenOf(cookie)) return next();
    next(
      appError('auth.csrf', {
        reason: 'thiếu mã chống giả mạo (X-CSRF-Token) hoặc nội dung không phải JSON',
        reasonEn: 'neither a JSON body nor a valid X-CSRF-Token',
      }),
    );
  };
}

// What an API token (the add-in's access) may do: read, submit and sync. Everything else (accounts,
// tokens, rounds, reviews, reports) needs a person signed in with a password.
const TOKEN_ALLOWED: [string, RegExp][] = [
  ['GET', /^\/(me|rounds|directory|template\.xlsx|openapi\.json|health)(\/|$)/],
  ['GET', /^\/submissions\/[^/]+(\/(versions\/\d+(\/annex\.(docx|xlsx))?|diff|comments))?$/],
  ['POST', /^\/rounds\/[^/]+\/(submissions|sync)$/],
  ['POST', /^\/submissions\/[^/]+\/comments\/[^/]+\/resolve$/],
];
const TOKEN_DENIED_GET = /^\/rounds\/[^/]+\/report/;

export function scopeGuard() {
  return (req: Request, _res: Response, next: NextFunction) => {
    const user = req.user;
    if (!user) return next();
    if (user.via === 'token') {
      const ok =
        TOKEN_ALLOWED.some(
          ([m, re]) => (m === req.method || (m === 'GET' && req.method === 'HEAD')) && re.test(req.path),
        ) && !TOKEN_DENIED_GET.test(req.path);
      if (!ok) return next(appError('auth.token-scope'));
    }
    if (user.mustChangePassword && !/^\/(me|me\/password|auth\/logout)$/.test(req.path)) {
      return next(appError('auth.password-change-required'));
    }
    next();
  };
}

/** Every refused access (401 with credentials presented, 403) leaves an audit row, after the answer. */
export function auditRefusals(db: Db, now: () => Date) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.on('finish', () => {
      const code = res.locals.errorCode as string | undefined;
      if (!code) return;
      const presented = Boolean(
        req.headers.authorization || (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE],
      );
      if (!(res.statusCode === 403 || (res.statusCode === 401 && presented))) return;
      if (code === 'auth.invalid-credentials' || code === 'auth.account-disabled') return; // written by login itself
      void audit
        .insertAudit(db, {
          at: now().toISOString(),
          actor_id: req.user?.id ?? null,
          actor_name: req.user?.username ?? 'system',
          action: 'access.refused',
          target_type: 'request',
          target_id: `${req.method} ${req.baseUrl}${req.path}`.slice(0, 300),
          round_id: null,
          agency_id: req.user?.agencyId ?? null,
          detail_json: JSON.stringify({ code, status: res.statusCode, ip: req.ip, via: req.user?.via ?? null }),
        })
        .catch(() => undefined);
    });
    next();
  };
}
