// Accounts, sessions and API tokens: every query on users, sessions and api_tokens.
import type { Db, UsersTable } from '../db/index.js';

export const findUserById = (db: Db, id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export const findUserByUsername = (db: Db, username: string) =>
  db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();

export async function insertUser(db: Db, row: UsersTable): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export const listUsers = (db: Db) => db.selectFrom('users').selectAll().orderBy('role').orderBy('username').execute();

export async function countUsers(db: Db): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function setPasswordHash(db: Db, userId: string, hash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute();
}

// Sessions -------------------------------------------------------------------------------------

export async function insertSession(db: Db, row: { token_hash: string; user_id: string; created_at: string; expires_at: string }): Promise<void> {
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
  row: { id: string; user_id: string; label: string; token_hash: string; created_at: string },
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({ ...row, last_used_at: null, revoked: 0 })
    .execute();
}

/** The user of a token that is not revoked, with the token's own columns. */
export const tokenUser = (db: Db, tokenHash: string) =>
  db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select(['api_tokens.id as token_id', 'api_tokens.last_used_at'])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked', '=', 0)
    .executeTakeFirst();

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
