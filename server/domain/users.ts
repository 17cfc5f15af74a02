// Accounts, sign-in and API tokens.
import { randomUUID } from 'node:crypto';
import type { Role } from '../db/index.js';
import {
  createApiToken,
  createSession,
  deleteSession,
  hashPassword,
  toAuthUser,
  verifyPassword,
  type AuthUser,
} from '../auth/index.js';
import { appError } from '../errors.js';
import * as repo from '../data/users.js';
import { writeAudit } from './audit.js';
import { nowIso, type Services } from './services.js';

export interface NewUser {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  agencyId?: string | null;
  agencyName?: string | null;
  province: string;
}

export async function createUser(s: Services, u: NewUser, actor: AuthUser | null = null): Promise<AuthUser> {
  const hash = await hashPassword(u.password, s.bcryptCost);
  const id = randomUUID();
  const at = nowIso(s);
  const taken = await repo.findUserByUsername(s.db, u.username);
  if (taken) throw appError('user.exists', { username: u.username });
  return s.db.transaction().execute(async (trx) => {
    await repo.insertUser(trx, {
      id,
      username: u.username,
      password_hash: hash,
      display_name: u.displayName,
      role: u.role,
      agency_id: u.agencyId ?? null,
      agency_name: u.agencyName ?? null,
      province: u.province,
      created_at: at,
    });
    await writeAudit(trx, actor, at, {
      action: 'user.create',
      targetType: 'user',
      targetId: id,
      agencyId: u.agencyId ?? null,
      detail: { username: u.username, role: u.role },
    });
    const row = await repo.findUserById(trx, id);
    return toAuthUser(row!);
  });
}

export async function listUsers(s: Services): Promise<AuthUser[]> {
  const rows = await repo.listUsers(s.db);
  return rows.map((r) => toAuthUser(r));
}

export async function userCount(s: Services): Promise<number> {
  return repo.countUsers(s.db);
}

export async function findUserByUsername(s: Services, username: string): Promise<AuthUser | null> {
  const row = await repo.findUserByUsername(s.db, username);
  return row ? toAuthUser(row) : null;
}

export async function login(s: Services, username: string, password: string): Promise<{ user: AuthUser; token: string; expiresAt: Date }> {
  const row = await repo.findUserByUsername(s.db, username.trim());
  const ok = await verifyPassword(password, row?.password_hash ?? null);
  if (!row || !ok) throw appError('auth.invalid-credentials');
  const user = toAuthUser(row, 'session');
  return s.db.transaction().execute(async (trx) => {
    // Expired sessions are useless; sweep them here rather than in a timer.
    await repo.deleteExpiredSessions(trx, new Date().toISOString());
    const { token, expiresAt } = await createSession(trx, row.id, s.sessionTtlHours);
    await writeAudit(trx, user, nowIso(s), { action: 'auth.login', targetType: 'session', targetId: row.id, agencyId: row.agency_id });
    return { user, token, expiresAt };
  });
}

export async function logout(s: Services, user: AuthUser | undefined, token: string | undefined): Promise<void> {
  if (!token) return;
  await s.db.transaction().execute(async (trx) => {
    await deleteSession(trx, token);
    if (user) await writeAudit(trx, user, nowIso(s), { action: 'auth.logout', targetType: 'session', targetId: user.id, agencyId: user.agencyId });
  });
}

export async function issueToken(s: Services, user: AuthUser, label: string): Promise<{ id: string; token: string }> {
  return s.db.transaction().execute(async (trx) => {
    const t = await createApiToken(trx, user.id, label);
    await writeAudit(trx, user, nowIso(s), {
      action: 'token.create',
      targetType: 'token',
      targetId: t.id,
      agencyId: user.agencyId,
      detail: { label },
    });
    return t;
  });
}

export async function changePassword(s: Services, user: AuthUser, current: string, next: string): Promise<void> {
  const row = await repo.findUserById(s.db, user.id);
  if (!row || !(await verifyPassword(current, row.password_hash))) throw appError('auth.invalid-credentials');
  const hash = await hashPassword(next, s.bcryptCost);
  await s.db.transaction().execute(async (trx) => {
    await repo.setPasswordHash(trx, user.id, hash);
    // Other sessions of this user end with the old password.
    await repo.deleteSessionsOfUser(trx, user.id);
    await writeAudit(trx, user, nowIso(s), { action: 'user.password', targetType: 'user', targetId: user.id, agencyId: user.agencyId });
  });
}

export interface TokenView {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

export async function listTokens(s: Services, user: AuthUser): Promise<TokenView[]> {
  const rows = await repo.tokensOfUser(s.db, user.id);
  return rows.map((r) => ({ id: r.id, label: r.label, createdAt: r.created_at, lastUsedAt: r.last_used_at, revoked: Number(r.revoked) === 1 }));
}

/** Revokes one of the user's tokens (an admin may revoke anyone's). */
export async function revokeToken(s: Services, user: AuthUser, tokenId: string): Promise<void> {
  await s.db.transaction().execute(async (trx) => {
    const t = await repo.findToken(trx, tokenId);
    if (!t || (t.user_id !== user.id && user.role !== 'admin')) throw appError('token.not-found', { tokenId });
    await repo.revokeToken(trx, tokenId);
    await writeAudit(trx, user, nowIso(s), { action: 'token.revoke', targetType: 'token', targetId: tokenId, agencyId: user.agencyId });
  });
}
