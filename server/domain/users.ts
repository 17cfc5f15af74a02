// Accounts, sign-in and API tokens.
import type { TokenView } from '../../contracts/index.js';
import { randomUUID } from 'node:crypto';
import type { Role } from '../db/index.js';
import {
  createApiToken,
  createSession,
  deleteSession,
  hashPassword,
  tokenExpiry,
  toAuthUser,
  verifyPassword,
  type AuthUser,
} from '../auth/index.js';
import { appError, forbidden } from '../errors.js';
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
  /** Marks a demo account (the demo loader only). */
  demo?: boolean;
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
      demo: u.demo ? 1 : 0,
    });
    await writeAudit(trx, actor, at, {
      action: 'user.create',
      targetType: 'user',
      targetId: id,
      agencyId: u.agencyId ?? null,
      detail: { username: u.username, role: u.role, ...(u.demo ? { demo: true } : {}) },
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

// Sign-in throttling (kept in the database, so several instances share it). Every attempt is counted
// before the password is compared, so a parallel burst cannot outrun the count. Three keys:
//   user+IP: the guesser at one address (tight: 5 attempts, then a doubling wait up to 15 minutes);
//   IP: one address trying many accounts (30 attempts);
//   user: one account tried from many addresses (50 attempts, waits capped at 1 minute, so that nobody
//   can lock a colleague out for long by failing on purpose).
const WINDOW_MS = 15 * 60_000;
const LIMITS = [
  { kind: 'pair', max: 5, capMs: 15 * 60_000 },
  { kind: 'ip', max: 30, capMs: 15 * 60_000 },
  { kind: 'user', max: 50, capMs: 60_000 },
] as const;

function throttleKeys(username: string, ip: string) {
  const u = username.trim().toLowerCase();
  return { pair: `p:${u}|${ip}`, ip: `i:${ip}`, user: `u:${u}` };
}

function tooMany(untilIso: string, now: Date) {
  return appError('auth.too-many-attempts', {
    minutes: Math.max(1, Math.ceil((Date.parse(untilIso) - now.getTime()) / 60_000)),
  });
}

export async function login(
  s: Services,
  username: string,
  password: string,
  ip = 'unknown',
): Promise<{ user: AuthUser; token: string; expiresAt: Date }> {
  const now = s.now();
  const at = now.toISOString();
  const keys = throttleKeys(username, ip);
  const refused = async (reason: string, extra: Record<string, unknown> = {}) => {
    // Failed sign-ins are part of the audit trail (who tried which account from where).
    await writeAudit(s.db, null, at, {
      action: 'auth.login-failed',
      targetType: 'session',
      targetId: username.slice(0, 100),
      detail: { reason, ip, ...extra },
    });
  };
  const blocked = await repo.throttleBlock(s.db, Object.values(keys), at);
  if (blocked) {
    await refused('throttled');
    throw tooMany(blocked, now);
  }
  const windowStart = new Date(now.getTime() - WINDOW_MS).toISOString();
  for (const l of LIMITS) {
    const key = keys[l.kind];
    const n = await repo.countAttempt(s.db, key, at, windowStart);
    if (n > l.max) {
      const wait = Math.min(l.capMs, 1000 * 2 ** Math.min(20, n - l.max - 1) * 15);
      const until = new Date(now.getTime() + wait).toISOString();
      await repo.blockKey(s.db, key, until);
      await refused('throttled', { limit: l.kind });
      throw tooMany(until, now);
    }
  }
  const row = await repo.findUserByUsername(s.db, username.trim());
  const ok = await verifyPassword(password, row?.password_hash ?? null);
  if (!row || !ok) {
    await refused(row ? 'wrong-password' : 'unknown-user');
    // Rows whose window and block are over go with every failure: the store stays bounded without a timer.
    await repo.pruneThrottle(s.db, windowStart, at);
    throw appError('auth.invalid-credentials');
  }
  if (Number(row.disabled) === 1) {
    await refused('disabled');
    throw appError('auth.account-disabled', { username: row.username });
  }
  const user = toAuthUser(row, 'session');
  return s.db.transaction().execute(async (trx) => {
    await repo.clearKeys(trx, [keys.pair, keys.user]);
    await repo.uncountAttempt(trx, keys.ip);
    // Expired sessions are useless; sweep them here rather than in a timer.
    await repo.deleteExpiredSessions(trx, at);
    const { token, expiresAt } = await createSession(trx, row.id, s.sessionTtlHours);
    await writeAudit(trx, user, at, {
      action: 'auth.login',
      targetType: 'session',
      targetId: row.id,
      agencyId: row.agency_id,
      detail: { ip },
    });
    return { user, token, expiresAt };
  });
}

export async function logout(s: Services, user: AuthUser | undefined, token: string | undefined): Promise<void> {
  if (!token) return;
  await s.db.transaction().execute(async (trx) => {
    await deleteSession(trx, token);
    if (user)
      await writeAudit(trx, user, nowIso(s), {
        action: 'auth.logout',
        targetType: 'session',
        targetId: user.id,
        agencyId: user.agencyId,
      });
  });
}

export async function issueToken(
  s: Services,
  user: AuthUser,
  label: string,
  days?: number,
): Promise<{ id: string; token: string; expiresAt: string; scope: string }> {
  return s.db.transaction().execute(async (trx) => {
    const t = await createApiToken(trx, user.id, label, s.now(), days);
    await writeAudit(trx, user, nowIso(s), {
      action: 'token.create',
      targetType: 'token',
      targetId: t.id,
      agencyId: user.agencyId,
      detail: { label, expiresAt: t.expiresAt, scope: t.scope },
    });
    return t;
  });
}

/** The user's own password change: every other session and every API token of theirs ends with it. */
export async function changePassword(s: Services, user: AuthUser, current: string, next: string): Promise<void> {
  const row = await repo.findUserById(s.db, user.id);
  if (!row || !(await verifyPassword(current, row.password_hash))) throw appError('auth.invalid-credentials');
  const hash = await hashPassword(next, s.bcryptCost);
  await s.db.transaction().execute(async (trx) => {
    await repo.setPasswordHash(trx, user.id, hash, false);
    const revoked = await signOutEverywhere(trx, user.id);
    await writeAudit(trx, user, nowIso(s), {
      action: 'user.password',
      targetType: 'user',
      targetId: user.id,
      agencyId: user.agencyId,
      detail: { tokensRevoked: revoked },
    });
  });
}

async function targetUser(db: Services['db'], userId: string) {
  const row = await repo.findUserById(db, userId);
  if (!row) throw appError('user.not-found', { userId });
  return row;
}

/** Ends every session of a user and revokes their API tokens; how many tokens were revoked. */
async function signOutEverywhere(db: Services['db'], userId: string): Promise<number> {
  await repo.deleteSessionsOfUser(db, userId);
  return repo.revokeTokensOfUser(db, userId);
}

/** An admin's change to an account, audited with the tokens it revoked; answers the account as it is now. */
async function auditedAccountChange(
  s: Services,
  db: Services['db'],
  admin: AuthUser,
  row: Awaited<ReturnType<typeof targetUser>>,
  action: 'user.disable' | 'user.enable' | 'user.password-reset',
  revoked: number,
): Promise<AuthUser> {
  await writeAudit(db, admin, nowIso(s), {
    action,
    targetType: 'user',
    targetId: row.id,
    agencyId: row.agency_id,
    detail: { username: row.username, tokensRevoked: revoked },
  });
  return toAuthUser((await repo.findUserById(db, row.id))!);
}

/** Disables (or enables again) an account: its sessions and tokens stop working at once. */
export async function setUserDisabled(
  s: Services,
  admin: AuthUser,
  userId: string,
  disabled: boolean,
): Promise<AuthUser> {
  return s.db.transaction().execute(async (trx) => {
    const row = await targetUser(trx, userId);
    if (disabled && row.id === admin.id)
      throw forbidden(
        'quản trị viên không tự khoá tài khoản của chính mình.',
        'an admin cannot disable their own account',
      );
    await repo.setDisabled(trx, userId, disabled);
    const revoked = disabled ? await signOutEverywhere(trx, userId) : 0;
    return auditedAccountChange(s, trx, admin, row, disabled ? 'user.disable' : 'user.enable', revoked);
  });
}

/** An admin sets a temporary password: the officer must choose their own at next sign-in. */
export async function resetPassword(s: Services, admin: AuthUser, userId: string, password: string): Promise<AuthUser> {
  const hash = await hashPassword(password, s.bcryptCost);
  return s.db.transaction().execute(async (trx) => {
    const row = await targetUser(trx, userId);
    await repo.setPasswordHash(trx, userId, hash, true);
    const revoked = await signOutEverywhere(trx, userId);
    return auditedAccountChange(s, trx, admin, row, 'user.password-reset', revoked);
  });
}

export async function listTokens(s: Services, user: AuthUser): Promise<TokenView[]> {
  const rows = await repo.tokensOfUser(s.db, user.id);
  const now = s.now().getTime();
  return rows.map((r) => {
    const expiresAt = tokenExpiry(r);
    const revoked = Number(r.revoked) === 1;
    return {
      id: r.id,
      label: r.label,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      expiresAt,
      scope: r.scope,
      revoked,
      active: !revoked && Date.parse(expiresAt) > now,
    };
  });
}

/** Revokes one of the user's tokens (an admin may revoke anyone's). */
export async function revokeToken(s: Services, user: AuthUser, tokenId: string): Promise<void> {
  await s.db.transaction().execute(async (trx) => {
    const t = await repo.findToken(trx, tokenId);
    if (!t || (t.user_id !== user.id && user.role !== 'admin')) throw appError('token.not-found', { tokenId });
    await repo.revokeToken(trx, tokenId);
    await writeAudit(trx, user, nowIso(s), {
      action: 'token.revoke',
      targetType: 'token',
      targetId: tokenId,
      agencyId: user.agencyId,
      detail: { label: t.label },
    });
  });
}

// The answers' shapes live in the contract (contracts/), which clients share.
export type { TokenView };
