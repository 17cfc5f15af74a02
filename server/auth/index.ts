// Authentication: bcrypt password hashes, session cookies and API tokens (both stored only as
// SHA-256 hashes), roles and per-agency access checks.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { NextFunction, Request, Response } from 'express';
import type { Selectable } from 'kysely';
import type { Db, Role, UsersTable } from '../db/index.js';
import { appError, forbidden } from '../errors.js';
import * as users from '../data/users.js';

export const SESSION_COOKIE = 'phuluc_session';

export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  agencyId: string | null;
  agencyName: string | null;
  province: string;
  /** How the request authenticated. */
  via?: 'session' | 'token';
  /** Signed in with a password an admin set: only /me, /me/password and sign-out until it is changed. */
  mustChangePassword?: boolean;
  /** Created by the demo loader. */
  demo?: boolean;
  /** The account is disabled (listed for admins; a disabled user never authenticates). */
  disabled?: boolean;
}

/** Default and longest lifetime of an API token (the add-in's access), in days. */
export const TOKEN_TTL_DAYS = 90;
export const TOKEN_MAX_DAYS = 365;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: AuthUser;
    }
  }
}

export function toAuthUser(row: Selectable<UsersTable>, via?: AuthUser['via']): AuthUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    agencyId: row.agency_id,
    agencyName: row.agency_name,
    province: row.province,
    ...(via ? { via } : {}),
    ...(Number(row.must_change_password) === 1 ? { mustChangePassword: true } : {}),
    ...(Number(row.demo) === 1 ? { demo: true } : {}),
    ...(Number(row.disabled) === 1 ? { disabled: true } : {}),
  };
}

export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(password, cost);
}

// A real hash of a random password: unknown usernames still pay one bcrypt comparison, so response
// time does not reveal which usernames exist.
let dummyHash: string | null = null;

export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (hash === null) {
    dummyHash ??= bcrypt.hashSync(randomUUID(), 10);
    await bcrypt.compare(password, dummyHash);
    return false;
  }
  return bcrypt.compare(password, hash);
}

/** A new random secret with a recognisable prefix ("pls_" session, "plt_" API token). */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export async function createSession(
  db: Db,
  userId: string,
  ttlHours: number,
): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecret('pls_');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlHours * 3600_000);
  await users.insertSession(db, {
    token_hash: hashSecret(token),
    user_id: userId,
    created_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
  });
  return { token, expiresAt };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await users.deleteSession(db, hashSecret(token));
}

export async function createApiToken(
  db: Db,
  userId: string,
  label: string,
  now: Date,
  days = TOKEN_TTL_DAYS,
): Promise<{ id: string; token: string; expiresAt: string; scope: string }> {
  const token = newSecret('plt_');
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + days * 86400_000).toISOString();
  await users.insertToken(db, {
    id,
    user_id: userId,
    label,
    token_hash: hashSecret(token),
    created_at: now.toISOString(),
    expires_at: expiresAt,
    scope: 'addin',
  });
  return { id, token, expiresAt, scope: 'addin' };
}

/** When a token stops working: its own expiry, or (tokens from before expiries existed) TOKEN_TTL_DAYS after creation. */
export function tokenExpiry(t: { expires_at: string | null; created_at: string }): string {
  return t.expires_at ?? new Date(Date.parse(t.created_at) + TOKEN_TTL_DAYS * 86400_000).toISOString();
}

/** The CSRF token of a session: derived from the session secret, so nothing more is stored. */
export function csrfTokenOf(sessionToken: string): string {
  return createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');
}

function bearer(req: Request): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : '';
}

/**
 * Resolves the caller from an API token (Authorization: Bearer) or the session cookie. A present but
 * wrong bearer token is refused outright (401) rather than silently falling back to the cookie.
 */
export function authenticate(db: Db) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    try {
      const token = bearer(req);
      if (token !== null) {
        const row = token ? await users.tokenUser(db, hashSecret(token)) : undefined;
        if (!row) throw appError('auth.invalid-token');
        const now = new Date();
        const expiresAt = tokenExpiry({ expires_at: row.token_expires_at, created_at: row.token_created_at });
        if (Date.parse(expiresAt) <= now.getTime())
          throw appError('auth.token-expired', { label: row.token_label, expiresAt: expiresAt.slice(0, 10) });
        if (Number(row.disabled) === 1) throw appError('auth.account-disabled', { username: row.username });
        // "Last used" to the hour is enough to spot forgotten tokens, without a write per request.
        if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > 3600_000) {
          await users.touchToken(db, row.token_id, now.toISOString());
        }
        req.user = toAuthUser(row, 'token');
        return next();
      }
      const cookie = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
      if (cookie) {
        const row = await users.sessionUser(db, hashSecret(cookie), new Date().toISOString());
        // A disabled account's sessions were deleted when it was disabled; the check stays as a second lock.
        if (row && Number(row.disabled) === 0) req.user = toAuthUser(row, 'session');
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

export function requireUser(req: Request): AuthUser {
  if (!req.user) throw appError('auth.required');
  return req.user;
}

const ROLE_VI: Record<Role, string> = {
  agency: 'cán bộ cơ quan',
  reviewer: 'cán bộ Sở Nội vụ',
  admin: 'quản trị Sở Nội vụ',
};

export function requireRole(req: Request, ...roles: Role[]): AuthUser {
  const user = requireUser(req);
  if (!roles.includes(user.role)) {
    throw forbidden(
      `chỉ ${roles.map((r) => ROLE_VI[r]).join(' hoặc ')} được làm việc này.`,
      `requires role ${roles.join(' or ')}`,
    );
  }
  return user;
}

export function isReviewer(user: AuthUser): boolean {
  return user.role === 'reviewer' || user.role === 'admin';
}

/** Agencies see only their own agency's submissions; reviewers and admins see all. */
export function assertAgencyAccess(user: AuthUser, agencyId: string, agencyName?: string): void {
  if (isReviewer(user)) return;
  if (user.agencyId !== agencyId) {
    throw forbidden(
      `tài khoản của ${user.agencyName ?? 'bạn'} không xem hoặc sửa được bài nộp của ${agencyName ?? 'cơ quan khác'}.`,
      `user of agency ${user.agencyId} cannot access agency ${agencyId}`,
    );
  }
}
