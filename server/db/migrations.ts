// Versioned schema migrations, in code. Each one is applied once, in name order, by Kysely's Migrator
// (which records them in its own table and locks against concurrent runs).
import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectKind } from './schema.js';

/** Migrations by name; the name order is the apply order. Never edit one that has shipped: add another. */
export function migrations(dialect: DialectKind): Record<string, Migration> {
  // Auto-increment spelled per dialect; everything else is portable SQL types.
  const serialId = (db: Kysely<any>, table: string) =>
    dialect === 'postgres'
      ? db.schema.createTable(table).addColumn('id', 'serial', (c) => c.primaryKey())
      : db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());

  return {
    '0001_initial': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('username', 'text', (c) => c.notNull().unique())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('agency', 'reviewer', 'admin')`))
          .addColumn('agency_id', 'text')
          .addColumn('agency_name', 'text')
          .addColumn('province', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('api_tokens')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('label', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('last_used_at', 'text')
          .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();

        await db.schema
          .createTable('rounds')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('year', 'integer', (c) => c.notNull())
          .addColumn('province', 'text', (c) => c.notNull())
          .addColumn('deadline', 'text', (c) => c.notNull())
          .addColumn('plan_submission_id', 'text')
          .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('locked_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('round_agencies')
          .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
          .addColumn('agency_id', 'text', (c) => c.notNull())
          .addColumn('agency_name', 'text', (c) => c.notNull())
          .addColumn('position', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('round_agencies_pk', ['round_id', 'agency_id'])
          .execute();

        await db.schema
          .createTable('submissions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
          .addColumn('agency_id', 'text', (c) => c.notNull())
          .addColumn('agency_name', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) =>
            c.notNull().check(sql`status in ('submitted', 'returned', 'accepted')`),
          )
          .addColumn('latest_version', 'integer', (c) => c.notNull())
          .addColumn('first_submitted_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          // One submission per agency per round; its versions are the history.
          .addUniqueConstraint('submissions_round_agency_uq', ['round_id', 'agency_id'])
          .execute();

        await db.schema
          .createTable('submission_versions')
          .addColumn('submission_id', 'text', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
          .addColumn('version', 'integer', (c) => c.notNull().check(sql`version > 0`))
          .addColumn('content_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('file_name', 'text')
          .addColumn('grids_json', 'text', (c) => c.notNull())
          .addColumn('report_json', 'text', (c) => c.notNull())
          .addColumn('tasks', 'integer', (c) => c.notNull())
          .addColumn('errors', 'integer', (c) => c.notNull())
          .addColumn('warnings', 'integer', (c) => c.notNull())
          .addColumn('infos', 'integer', (c) => c.notNull())
          // The version numbers are allocated under this constraint: racing inserts fail and retry.
          .addPrimaryKeyConstraint('submission_versions_pk', ['submission_id', 'version'])
          .execute();

        await db.schema
          .createTable('comments')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('submission_id', 'text', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('author_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('row', 'integer')
          .addColumn('col', 'integer')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('reports')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
          .addColumn('include', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('summary_json', 'text', (c) => c.notNull())
          .addColumn('consolidated_json', 'text', (c) => c.notNull())
          .execute();

        await serialId(db, 'audit')
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor_id', 'text')
          .addColumn('actor_name', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target_type', 'text', (c) => c.notNull())
          .addColumn('target_id', 'text', (c) => c.notNull())
          .addColumn('round_id', 'text')
          .addColumn('agency_id', 'text')
          .addColumn('detail_json', 'text', (c) => c.notNull())
          .execute();

        await db.schema.createIndex('audit_round_idx').on('audit').columns(['round_id', 'id']).execute();
        await db.schema.createIndex('submissions_round_idx').on('submissions').column('round_id').execute();
        await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
        await db.schema.createIndex('reports_round_idx').on('reports').columns(['round_id', 'created_at']).execute();
      },
    },
    '0002_order_columns': {
      // Rows written in the same millisecond need an explicit order: comments of one review keep the
      // order the reviewer wrote them in; reports of a round are numbered so "the last" is unambiguous.
      async up(db: Kysely<any>) {
        await db.schema.alterTable('comments').addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        await db.schema.alterTable('reports').addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      },
    },
    '0003_comment_resolutions': {
      // Two-way sync: a reviewer comment resolved (or reopened) by the officer or a reviewer.
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('comment_resolutions')
          .addColumn('comment_id', 'text', (c) => c.primaryKey().references('comments.id').onDelete('cascade'))
          .addColumn('resolved', 'integer', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('by_user', 'text', (c) => c.notNull())
          .execute();
      },
    },
  };
}
