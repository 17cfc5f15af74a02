// Opens the database: SQLite (better-sqlite3, a file under DATA_DIR) by default, PostgreSQL when a
// DATABASE_URL is given. One Kysely query layer serves both; migrations run on open.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationResultSet, type SqliteDatabase } from 'kysely';
import { migrations } from './migrations.js';
import type { Database, Db, DialectKind } from './schema.js';

export * from './schema.js';

export interface DatabaseHandle {
  db: Db;
  dialect: DialectKind;
  /** Human-readable description (no password) for start-up logs. */
  describe: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** SQLite file path (":memory:" works too). Used when url is not set. */
  file?: string;
  /** postgres://… */
  url?: string;
  /** PostgreSQL schema to use (created if missing); lets tests run in isolation. */
  schema?: string;
  /** Run the migrations (default true). */
  migrate?: boolean;
}

export async function openDatabase(opts: OpenOptions): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  if (opts.url) {
    const schema = opts.schema;
    if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name "${schema}"`);
    if (schema) {
      const client = new pg.Client({ connectionString: opts.url });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      } finally {
        await client.end();
      }
    }
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle client losing its connection must not crash the server; the next query reconnects.
    pool.on('error', (err) => console.error('[phuluc] PostgreSQL idle client error:', err.message));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const u = new URL(opts.url);
    handle = {
      db,
      dialect: 'postgres',
      describe: `PostgreSQL ${u.host}${u.pathname}${schema ? ` (schema ${schema})` : ''}`,
      close: () => db.destroy(),
    };
  } else {
    const file = opts.file ?? ':memory:';
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new BetterSqlite3(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: keptStatements(sqlite) }) });
    handle = { db, dialect: 'sqlite', describe: `SQLite ${file}`, close: () => db.destroy() };
  }
  if (opts.migrate !== false) {
    try {
      await migrate(handle);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }
  return handle;
}

/**
 * better-sqlite3 behind Kysely with its prepared statements kept (most recently used, at most `max`): Kysely
 * prepares every query anew, and a parse and plan cost about as much as running a small query. Safe because
 * every query is run to its end at once (all/run; nothing here streams rows through iterate()), so a kept
 * statement is never busy when it is asked for again; SQLite re-prepares a kept one itself after a schema change.
 */
function keptStatements(sqlite: BetterSqlite3.Database, max = 500): SqliteDatabase {
  const kept = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let st = kept.get(sql);
      if (st) kept.delete(sql);
      else {
        st = sqlite.prepare(sql);
        if (kept.size >= max) kept.delete(kept.keys().next().value!);
      }
      kept.set(sql, st);
      return st;
    },
  };
}

export async function migrate(handle: Pick<DatabaseHandle, 'db' | 'dialect'>): Promise<MigrationResultSet> {
  const list = migrations(handle.dialect);
  const migrator = new Migrator({
    db: handle.db,
    provider: { getMigrations: async () => list },
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(result.error)}`, {
      cause: result.error,
    });
  }
  return result;
}

/** True for a unique/primary-key violation on either database (used to retry version allocation). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  if (!e || typeof e !== 'object') return false;
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True for a serialization/deadlock failure (PostgreSQL) or a busy database (SQLite): safe to retry. */
export function isRetryable(err: unknown): boolean {
  const e = err as { code?: string } | null;
  if (!e || typeof e !== 'object') return false;
  return isUniqueViolation(err) || e.code === '40001' || e.code === '40P01' || e.code === 'SQLITE_BUSY';
}
