// The database layer on SQLite and (with TEST_DATABASE_URL) PostgreSQL: migrations, constraints that
// keep versions consistent, and version allocation under concurrent first submissions.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { isUniqueViolation, openDatabase, type DatabaseHandle } from '../../../server/db/index.js';
import { migrations, statements } from '../../../server/db/migrations.js';
import { createRound } from '../../../server/domain/rounds.js';
import type { Services } from '../../../server/domain/services.js';
import { submit } from '../../../server/domain/submissions.js';
import { createUser } from '../../../server/domain/users.js';
import { textToGrid, type Grid } from '../../../engine/index.js';
import { readFileSync } from 'node:fs';

const pgUrl = process.env.TEST_DATABASE_URL;
const targets = [
  { name: 'SQLite', pg: false, skip: false },
  { name: 'PostgreSQL', pg: true, skip: !pgUrl },
];

for (const target of targets) {
  describe.skipIf(target.skip)(`database on ${target.name}`, () => {
    let dir: string;
    let schema: string | undefined;
    let h: DatabaseHandle;
    const open = () => openDatabase(target.pg ? { url: pgUrl, schema } : { file: join(dir, 'db.sqlite') });

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'phuluc-db-'));
      schema = target.pg ? `t_${randomBytes(6).toString('hex')}` : undefined;
      h = await open();
    });
    afterAll(async () => {
      if (schema) await h.db.schema.dropSchema(schema).ifExists().cascade().execute();
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const services = (): Services => ({
      db: h.db,
      dialect: h.dialect,
      now: () => new Date(),
      hooks: {},
      bcryptCost: 4,
      sessionTtlHours: 1,
    });

    it('applies every migration once and re-opening is a no-op', async () => {
      const applied = await h.db
        .selectFrom('kysely_migration' as never)
        .select(sql<string>`name`.as('name'))
        .execute();
      expect(applied.map((r) => r.name)).toEqual(Object.keys(migrations(h.dialect)));
      // The names databases already recorded: a renamed file would be applied a second time on them.
      expect(applied.map((r) => r.name).slice(0, 10)).toEqual([
        '0001_initial',
        '0002_order_columns',
        '0003_comment_resolutions',
        '0004_accounts_and_token_scopes',
        '0005_login_throttle',
        '0006_audit_append_only',
        '0007_sheet_owners',
        '0008_jobs',
        '0009_group_decisions',
        '0010_report_compressed',
      ]);
      const again = await open();
      const after = await again.db
        .selectFrom('kysely_migration' as never)
        .select(sql<string>`name`.as('name'))
        .execute();
      expect(after).toHaveLength(applied.length);
      await again.close();
    });

    it('refuses a second row for the same (submission, version) and the same (round, agency)', async () => {
      const s = services();
      const u = await createUser(s, {
        username: `u${randomUUID()}`,
        password: 'x',
        displayName: 'Thử',
        role: 'admin',
        province: 'nam-dinh',
      });
      const round = await createRound(s, u, {
        title: 'Thử',
        year: 2023,
        province: 'nam-dinh',
        deadline: '2023-01-05',
        expected: [{ id: 'a', name: 'A' }],
      });
      const now = new Date().toISOString();
      const sub = {
        id: randomUUID(),
        round_id: round.id,
        agency_id: 'a',
        agency_name: 'A',
        status: 'submitted' as const,
        latest_version: 1,
        first_submitted_at: now,
        updated_at: now,
      };
      await h.db.insertInto('submissions').values(sub).execute();
      const dup = await h.db
        .insertInto('submissions')
        .values({ ...sub, id: randomUUID() })
        .execute()
        .catch((e: unknown) => e);
      expect(isUniqueViolation(dup)).toBe(true);
      const v = {
        submission_id: sub.id,
        version: 1,
        content_hash: 'h',
        created_at: now,
        created_by: u.id,
        source: 'api',
        file_name: null,
        grids_json: '[]',
        report_json: '{}',
        tasks: 0,
        errors: 0,
        warnings: 0,
        infos: 0,
      };
      await h.db.insertInto('submission_versions').values(v).execute();
      const again = await h.db
        .insertInto('submission_versions')
        .values({ ...v, content_hash: 'other' })
        .execute()
        .catch((e: unknown) => e);
      expect(isUniqueViolation(again)).toBe(true);
      const badStatus = await h.db
        .insertInto('submissions')
        .values({ ...sub, id: randomUUID(), agency_id: 'b', status: 'draft' as never })
        .execute()
        .catch((e: unknown) => e);
      expect(badStatus).toBeInstanceOf(Error);
    });

    it('two officers racing the first submission of their agency get versions 1, 2 and 3', async () => {
      const s = services();
      const admin = await createUser(s, {
        username: `a${randomUUID()}`,
        password: 'x',
        displayName: 'Quản trị',
        role: 'admin',
        province: 'nam-dinh',
      });
      const agency = { id: `ag-${randomUUID()}`, name: 'Sở Thử nghiệm' };
      const round = await createRound(s, admin, {
        title: 'Đua',
        year: 2023,
        province: 'nam-dinh',
        deadline: '2023-01-05',
        expected: [agency],
      });
      const officers = await Promise.all(
        [1, 2, 3].map((i) =>
          createUser(s, {
            username: `o${i}-${randomUUID()}`,
            password: 'x',
            displayName: `Cán bộ ${i}`,
            role: 'agency',
            agencyId: agency.id,
            agencyName: agency.name,
            province: 'nam-dinh',
          }),
        ),
      );
      const seed = readFileSync('seeds/000_683635a77beddbc9.txt', 'utf8');
      // Each officer's version says something else in a task (text after the table is not the annex: the same
      // annex would be answered "no change" and make no version).
      const grids = (i: number): Grid[] => [
        textToGrid(
          seed.replace(
            '3\tĐẩy mạnh phân cấp, ủy quyền trong quản lý nhà nước',
            `3\tĐẩy mạnh phân cấp, ủy quyền trong quản lý nhà nước (bản ${i})`,
          ),
          'phu-luc.txt',
        ),
      ];
      const results = await Promise.all(
        officers.map((o, i) => submit(s, o, round.id, { grids: grids(i), source: 'api' })),
      );
      expect(results.map((r) => r.version).sort()).toEqual([1, 2, 3]);
      expect(new Set(results.map((r) => r.submissionId)).size).toBe(1);
      const subs = await h.db.selectFrom('submissions').selectAll().where('round_id', '=', round.id).execute();
      expect(subs).toHaveLength(1);
      expect(Number(subs[0].latest_version)).toBe(3);
      const audit = await h.db
        .selectFrom('audit')
        .select('id')
        .where('round_id', '=', round.id)
        .where('action', '=', 'submission.submit')
        .execute();
      expect(audit).toHaveLength(3);
    });
  });
}

describe('migration files', () => {
  it('split into statements at line-ending semicolons, keeping a $$ body whole and leading comments out', () => {
    const text = [
      '-- why this migration exists',
      'CREATE TABLE t (a text NOT NULL);',
      '',
      'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$',
      "  BEGIN RAISE EXCEPTION 'no'; END $$;",
      "CREATE TRIGGER x BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'no'); END;",
    ].join('\n');
    expect(statements(text)).toEqual([
      'CREATE TABLE t (a text NOT NULL)',
      "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\n  BEGIN RAISE EXCEPTION 'no'; END $$",
      "CREATE TRIGGER x BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'no'); END",
    ]);
    expect(() => statements('CREATE TABLE t (a text)')).toThrow(/does not end with a semicolon/);
  });
});
