// Accounts, sessions and API tokens: every query on users, sessions and api_tokens.
import { sql, type Insertable } from 'kysely';
import type { ApiTokensTable, Db, UsersTable } from '../db/index.js';
import { compiledOnce } from '../db/compiled.js';

export const findUserById = (db: Db, id: string) =>
  db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export const findUserByUsername = (db: Db, username: string) =>
  db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();

export async function insertUser(db: Db, row: Insertable<UsersTable>): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export const listUsers = (db: Db) => db.selectFrom('users').selectAll().orderBy('role').orderBy('username').execute();

export async function countUsers(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function setPasswordHash(db: Db, userId: string, hash: string, mustChange: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: hash, must_change_password: mustChange ? 1 : 0 })
    .where('id', '=', userId)
    .execute();
}

export async function setDisabled(db: Db, userId: string, disabled: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({ disabled: disabled ? 1 : 0 })
    .where('id', '=', userId)
    .execute();
}

/** Demo accounts, and how many accounts are not demo ones. */
export async function demoCensus(db: Db): Promise<{ demo: string[]; others: number }> {
  const rows = await db.selectFrom('users').select(['username', 'demo']).execute();
  return {
    demo: rows
      .filter((r) => Number(r.demo) === 1)
      .map((r) => r.username)
      .sort(),
    others: rows.filter((r) => Number(r.demo) !== 1).length,
  };
}

// Sessions -------------------------------------------------------------------------------------

export async function insertSession(
  db: Db,
  row: { token_hash: string; user_id: string; created_at: string; expires_at: string },
): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteExpiredSessions(db: Db, nowIso: string): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', nowIso).execute();
}

export async function deleteSessionsOfUser(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** The user of a live session. */
export const sessionUser = (db: Db, tokenHash: string, nowIso: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', nowIso)
    .executeTakeFirst();

// API tokens -----------------------------------------------------------------------------------

export async function insertToken(
  db: Db,
  row: Pick<
    Insertable<ApiTokensTable>,
    'id' | 'user_id' | 'label' | 'token_hash' | 'created_at' | 'expires_at' | 'scope'
  >,
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({ ...row, last_used_at: null, revoked: 0 })
    .execute();
}

const tokenUserRow = compiledOnce((db: Db, tokenHash: string) =>
  db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.last_used_at',
      'api_tokens.label as token_label',
      'api_tokens.expires_at as token_expires_at',
      'api_tokens.created_at as token_created_at',
      'api_tokens.scope as token_scope',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked', '=', 0),
);

/** The user of a token that is not revoked, with the token's own columns (every API request: a kept query). */
export const tokenUser = async (db: Db, tokenHash: string) => (await tokenUserRow(db, tokenHash))[0];

export async function touchToken(db: Db, tokenId: string, atIso: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: atIso }).where('id', '=', tokenId).execute();
}

export const tokensOfUser = (db: Db, userId: string) =>
  db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();

export const findToken = (db: Db, tokenId: string) =>
  db.selectFrom('api_tokens').select(['id', 'user_id', 'label']).where('id', '=', tokenId).executeTakeFirst();

export async function revokeToken(db: Db, tokenId: string): Promise<void> {
  await db.updateTable('api_tokens').set({ revoked: 1 }).where('id', '=', tokenId).execute();
}

/** Revokes every live token of a user; returns how many. */
export async function revokeTokensOfUser(db: Db, userId: string): Promise<number> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked: 1 })
    .where('user_id', '=', userId)
    .where('revoked', '=', 0)
    .executeTakeFirst();
  return Number(r.numUpdatedRows ?? 0);
}

// Sign-in throttling ---------------------------------------------------------------------------

/** Blocks in force for any of the keys (the latest end). */
export async function throttleBlock(db: Db, keys: string[], nowIso: string): Promise<string | null> {
  const rows = await db
    .selectFrom('login_throttle')
    .select(['blocked_until'])
    .where('key', 'in', keys)
    .where('blocked_until', '>', nowIso)
    .execute();
  return (
    rows
      .map((r) => r.blocked_until!)
      .sort()
      .at(-1) ?? null
  );
}

/**
 * Counts one attempt on a key atomically (an upsert: parallel attempts each get their own count) and
 * returns the count in the current window; a window older than `windowStartIso` starts over.
 */
export async function countAttempt(db: Db, key: string, nowIso: string, windowStartIso: string): Promise<number> {
  const r = await sql<{ attempts: number | string }>`
    INSERT INTO login_throttle (key, attempts, window_start, blocked_until) VALUES (${key}, 1, ${nowIso}, NULL)
    ON CONFLICT (key) DO UPDATE SET
      attempts = CASE WHEN login_throttle.window_start < ${windowStartIso} THEN 1 ELSE login_throttle.attempts + 1 END,
      window_start = CASE WHEN login_throttle.window_start < ${windowStartIso} THEN ${nowIso} ELSE login_throttle.window_start END
    RETURNING attempts`.execute(db);
  return Number(r.rows[0].attempts);
}

export async function blockKey(db: Db, key: string, untilIso: string): Promise<void> {
  await db.updateTable('login_throttle').set({ blocked_until: untilIso }).where('key', '=', key).execute();
}

/** Forgets keys (a successful sign-in clears its user's counts). */
export async function clearKeys(db: Db, keys: string[]): Promise<void> {
  if (keys.length) await db.deleteFrom('login_throttle').where('key', 'in', keys).execute();
}

/** Takes one attempt back (a successful sign-in does not count against its IP). */
export async function uncountAttempt(db: Db, key: string): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set((eb) => ({ attempts: eb('attempts', '-', 1) }))
    .where('key', '=', key)
    .where('attempts', '>', 0)
    .execute();
}

/** Keeps the store bounded: drops rows whose window and block are both over. */
export async function pruneThrottle(db: Db, windowStartIso: string, nowIso: string): Promise<void> {
  await db
    .deleteFrom('login_throttle')
    .where('window_start', '<', windowStartIso)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', nowIso)]))
    .execute();
}
