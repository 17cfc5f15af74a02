// Authentication: bcrypt password hashes, session cookies and API tokens (both stored only as
// SHA-256 hashes), roles and per-agency access checks.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { NextFunction, Request, Response } from 'express';
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
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: AuthUser;
    }
  }
}

export function toAuthUser(row: UsersTable, via?: AuthUser['via']): AuthUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    agencyId: row.agency_id,
    agencyName: row.agency_name,
    province: row.province,
    ...(via ? { via } : {}),
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

export async function createSession(db: Db, userId: string, ttlHours: number): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecret('pls_');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlHours * 3600_000);
  await users.insertSession(db, { token_hash: hashSecret(token), user_id: userId, created_at: now.toISOString(), expires_at: expiresAt.toISOString() });
  return { token, expiresAt };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await users.deleteSession(db, hashSecret(token));
}

export async function createApiToken(db: Db, userId: string, label: string): Promise<{ id: string; token: string }> {
  const token = newSecret('plt_');
  const id = randomUUID();
  await users.insertToken(db, { id, user_id: userId, label, token_hash: hashSecret(token), created_at: new Date().toISOString() });
  return { id, token };
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
        // "Last used" to the hour is enough to spot forgotten tokens, without a write per request.
        const now = new Date();
        if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > 3600_000) {
          await users.touchToken(db, row.token_id, now.toISOString());
        }
        req.user = toAuthUser(row, 'token');
        return next();
      }
      const cookie = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
      if (cookie) {
        const row = await users.sessionUser(db, hashSecret(cookie), new Date().toISOString());
        if (row) req.user = toAuthUser(row, 'session');
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

const ROLE_VI: Record<Role, string> = { agency: 'cán bộ cơ quan', reviewer: 'cán bộ Sở Nội vụ', admin: 'quản trị Sở Nội vụ' };

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
