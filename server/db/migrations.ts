// Versioned schema migrations, in code. Each one is applied once, in name order, by Kysely's Migrator
// (which records them in its own table and locks against concurrent runs).
import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectKind } from './schema.js';

/** Migrations by name; the name order is the apply order. Never edit one that has shipped: add another. */
export function migrations(dialect: DialectKind): Record<string, Migration> {
  // Auto-increment spelled per dialect; everything else is portable SQL types.
  const serialId = (db: Kysely<unknown>, table: string) =>
    dialect === 'postgres'
      ? db.schema.createTable(table).addColumn('id', 'serial', (c) => c.primaryKey())
      : db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());

  return {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
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
          .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('submitted', 'returned', 'accepted')`))
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
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable('comments')
          .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema
          .alterTable('reports')
          .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
      },
    },
    '0003_comment_resolutions': {
      // Two-way sync: a reviewer comment resolved (or reopened) by the officer or a reviewer.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('comment_resolutions')
          .addColumn('comment_id', 'text', (c) => c.primaryKey().references('comments.id').onDelete('cascade'))
          .addColumn('resolved', 'integer', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('by_user', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0004_accounts_and_token_scopes': {
      // Accounts can be disabled or forced to change their password; demo accounts are marked so that a
      // production start can refuse them; API tokens carry an expiry and a scope.
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable('users')
          .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema
          .alterTable('users')
          .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema
          .alterTable('users')
          .addColumn('demo', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();
        await db.schema
          .alterTable('api_tokens')
          .addColumn('scope', 'text', (c) => c.notNull().defaultTo('addin'))
          .execute();
      },
    },
    '0005_login_throttle': {
      // Sign-in attempts per key (user, IP, user+IP), shared by every server instance on one database.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('login_throttle')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('window_start', 'text', (c) => c.notNull())
          .addColumn('blocked_until', 'text')
          .execute();
        await db.schema.createIndex('login_throttle_window_idx').on('login_throttle').column('window_start').execute();
      },
    },
    '0006_audit_append_only': {
      // The audit trail is append-only, enforced by the database itself: UPDATE and DELETE fail.
      async up(db: Kysely<unknown>) {
        if (dialect === 'postgres') {
          await sql`CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'audit is append-only (% refused)', TG_OP; END $$`.execute(db);
          await sql`CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only()`.execute(
            db,
          );
          await sql`CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`.execute(
            db,
          );
        } else {
          await sql`CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only (UPDATE refused)'); END`.execute(
            db,
          );
          await sql`CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only (DELETE refused)'); END`.execute(
            db,
          );
        }
      },
    },
    '0007_sheet_owners': {
      // A Google spreadsheet belongs to the agency that first submitted it (per round): others are refused.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('sheet_owners')
          .addColumn('spreadsheet_id', 'text', (c) => c.primaryKey())
          .addColumn('agency_id', 'text', (c) => c.notNull())
          .addColumn('first_round_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0008_jobs': {
      // Work any instance may take (report builds, Sheet intake): claimed with FOR UPDATE SKIP LOCKED on
      // PostgreSQL; on SQLite the same table serves the single process.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('jobs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('queued', 'running', 'done', 'failed')`))
          .addColumn('payload_json', 'text', (c) => c.notNull())
          .addColumn('result_json', 'text')
          .addColumn('error_json', 'text')
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('started_at', 'text')
          .addColumn('finished_at', 'text')
          .addColumn('locked_by', 'text')
          .execute();
        await db.schema.createIndex('jobs_state_idx').on('jobs').columns(['state', 'created_at']).execute();
      },
    },
    '0009_group_decisions': {
      // A reviewer's decisions on candidate groups of a round's report (merge into one row, or keep apart),
      // re-applied on every rebuild. Undone or replaced decisions stay, marked with who ended them and when;
      // at most one decision per group is in force.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('group_decisions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
          .addColumn('group_id', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('merge', 'apart')`))
          .addColumn('members_json', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('ended_at', 'text')
          .addColumn('ended_by', 'text')
          .addColumn('ended_how', 'text', (c) => c.check(sql`ended_how in ('undone', 'replaced')`))
          .execute();
        await db.schema
          .createIndex('group_decisions_in_force_uq')
          .on('group_decisions')
          .columns(['round_id', 'group_id'])
          .unique()
          .where(sql.ref('ended_at'), 'is', null)
          .execute();
        await db.schema
          .createIndex('group_decisions_round_idx')
          .on('group_decisions')
          .columns(['round_id', 'created_at'])
          .execute();
      },
    },
  };
}
