// Versioned schema migrations, as SQL files in server/db/migrations/: each is applied once, in name order, by Kysely's
// Migrator (which records them by name in its own table and locks against concurrent runs).
//
// A migration is `NNNN_name.sql`, or `NNNN_name.postgres.sql` and `NNNN_name.sqlite.sql` where the two databases
// need different SQL (triggers). Types are portable (text, integer); `{{serial_id}}` is each database's
// auto-increment key. Statements end with a semicolon at the end of a line (a PostgreSQL `$$ … $$` body may hold
// others). Never edit a migration that has shipped: add another.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely, type Migration } from 'kysely';
import { ROOT } from '../paths.js';
import type { DialectKind } from './schema.js';

export const MIGRATIONS_DIR = join(ROOT, 'server', 'db', 'migrations');

const SERIAL_ID: Record<DialectKind, string> = {
  postgres: 'serial PRIMARY KEY',
  sqlite: 'integer PRIMARY KEY AUTOINCREMENT',
};

/** The statements of a migration file: split at semicolons that end a line, outside `$$` bodies. */
export function statements(text: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let dollarQuoted = false;
  for (const line of text.split(/\r?\n/)) {
    if (!current.length && (!line.trim() || line.trimStart().startsWith('--'))) continue;
    current.push(line);
    if ((line.match(/\$\$/g)?.length ?? 0) % 2) dollarQuoted = !dollarQuoted;
    if (!dollarQuoted && /;\s*$/.test(line)) {
      out.push(current.join('\n').replace(/;\s*$/, ''));
      current = [];
    }
  }
  if (current.some((l) => l.trim() && !l.trimStart().startsWith('--')))
    throw new Error(`a migration statement does not end with a semicolon: ${current.join('\n').slice(0, 200)}`);
  return out;
}

/** Migrations by name; the name order is the apply order. */
export function migrations(dialect: DialectKind, dir = MIGRATIONS_DIR): Record<string, Migration> {
  const list: Record<string, Migration> = {};
  for (const file of readdirSync(dir).sort()) {
    const m = /^(\d{4}_[a-z0-9_]+?)(?:\.(postgres|sqlite))?\.sql$/.exec(file);
    if (!m || (m[2] && m[2] !== dialect)) continue;
    const text = readFileSync(join(dir, file), 'utf8').replaceAll('{{serial_id}}', SERIAL_ID[dialect]);
    list[m[1]] = {
      async up(db: Kysely<unknown>) {
        for (const statement of statements(text)) await sql.raw(statement).execute(db);
      },
    };
  }
  return list;
}
