// Submissions, their versions, comments and comment resolutions: every query on those tables.
import { sql, type Insertable, type RawBuilder } from 'kysely';
import type { CommentsTable, Db, DialectKind, SubmissionsTable, SubmissionStatus, VersionsTable } from '../db/index.js';
import type { JsonText } from '../domain/json-text.js';

export const findSubmission = (db: Db, submissionId: string) =>
  db.selectFrom('submissions').selectAll().where('id', '=', submissionId).executeTakeFirst();

/**
 * The agency's submission in a round. `lock`: hold the row until the transaction ends (PostgreSQL
 * FOR UPDATE; SQLite has one writer at a time, so its transactions are serialised anyway).
 */
export function submissionOf(db: Db, roundId: string, agencyId: string, lock = false) {
  let q = db.selectFrom('submissions').selectAll().where('round_id', '=', roundId).where('agency_id', '=', agencyId);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The submission row, held until the transaction ends when `lock` (see submissionOf). */
export function lockSubmission(db: Db, submissionId: string, lock: boolean) {
  let q = db.selectFrom('submissions').selectAll().where('id', '=', submissionId);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function insertSubmission(db: Db, row: SubmissionsTable): Promise<void> {
  await db.insertInto('submissions').values(row).execute();
}

export async function updateSubmission(
  db: Db,
  submissionId: string,
  set: Partial<Pick<SubmissionsTable, 'latest_version' | 'status' | 'updated_at'>>,
): Promise<void> {
  await db.updateTable('submissions').set(set).where('id', '=', submissionId).execute();
}

/** One version of a submission, to select from. */
const oneVersion = (db: Db, submissionId: string, version: number) =>
  db.selectFrom('submission_versions').where('submission_id', '=', submissionId).where('version', '=', version);

export const versionRow = (db: Db, submissionId: string, version: number) =>
  oneVersion(db, submissionId, version).select(['version', 'content_hash', 'report_json']).executeTakeFirst();

/**
 * One version's number, hash and report; the report as UTF-8 bytes on SQLite (CAST AS BLOB: no decoding into a
 * string, which costs more than the read itself), as text on PostgreSQL (its driver decodes natively, while bytea
 * would come as hex).
 */
export const versionReport = (db: Db, dialect: DialectKind, submissionId: string, version: number) =>
  oneVersion(db, submissionId, version)
    .select([
      'version',
      'content_hash',
      (dialect === 'postgres' ? sql<JsonText>`report_json` : sql<JsonText>`CAST(report_json AS BLOB)`).as('report'),
    ])
    .executeTakeFirst();

/** A TEXT column's value from JSON text; bytes are bound as a blob / bytea and made text by the database. */
function textOf(dialect: DialectKind, j: JsonText): RawBuilder<string> | string {
  if (typeof j === 'string') return j;
  return dialect === 'postgres' ? sql<string>`convert_from(${j}, 'UTF8')` : sql<string>`CAST(${j} AS TEXT)`;
}

/** The content hash of one version (the duplicate check reads nothing more). */
export async function versionHash(db: Db, submissionId: string, version: number): Promise<string | undefined> {
  return (await oneVersion(db, submissionId, version).select('content_hash').executeTakeFirst())?.content_hash;
}

export const versionContent = (db: Db, submissionId: string, version: number) =>
  oneVersion(db, submissionId, version).select(['version', 'report_json', 'grids_json']).executeTakeFirst();

export async function maxVersion(db: Db, submissionId: string): Promise<number> {
  const max = await db
    .selectFrom('submission_versions')
    .select((eb) => eb.fn.max('version').as('max'))
    .where('submission_id', '=', submissionId)
    .executeTakeFirst();
  return Number(max?.max ?? 0);
}

export async function insertVersion(
  db: Db,
  dialect: DialectKind,
  row: Omit<VersionsTable, 'grids_json' | 'report_json'> & { grids_json: JsonText; report_json: JsonText },
): Promise<void> {
  await db
    .insertInto('submission_versions')
    .values({ ...row, grids_json: textOf(dialect, row.grids_json), report_json: textOf(dialect, row.report_json) })
    .execute();
}

/** Versions of a submission with their authors, oldest first; `after`: only those newer than it. */
export function versionsWithAuthors(db: Db, submissionId: string, after = 0) {
  return db
    .selectFrom('submission_versions as v')
    .innerJoin('users as u', 'u.id', 'v.created_by')
    .select([
      'v.version',
      'v.created_at',
      'v.content_hash',
      'v.source',
      'v.file_name',
      'v.tasks',
      'v.errors',
      'v.warnings',
      'v.infos',
      'u.id as uid',
      'u.username',
      'u.display_name',
    ])
    .where('v.submission_id', '=', submissionId)
    .where('v.version', '>', after)
    .orderBy('v.version')
    .execute();
}

export const versionWithAuthor = (db: Db, submissionId: string, version: number) =>
  db
    .selectFrom('submission_versions as v')
    .innerJoin('users as u', 'u.id', 'v.created_by')
    .select(['v.version', 'v.created_at', 'v.source', 'u.username', 'u.display_name'])
    .where('v.submission_id', '=', submissionId)
    .where('v.version', '=', version)
    .executeTakeFirst();

/** Each submission of a round with its latest version's figures (and report, when `withReport`). */
export function latestOfRound(
  db: Db,
  roundId: string,
  opts: { agencyId?: string; status?: SubmissionStatus; exceptId?: string | null } = {},
) {
  let q = db
    .selectFrom('submissions')
    .innerJoin('submission_versions as v', (j) =>
      j.onRef('v.submission_id', '=', 'submissions.id').onRef('v.version', '=', 'submissions.latest_version'),
    )
    .selectAll('submissions')
    .select(['v.created_at as submitted_at', 'v.tasks', 'v.errors', 'v.warnings', 'v.infos', 'v.version'])
    .where('submissions.round_id', '=', roundId)
    .orderBy('submissions.agency_name');
  if (opts.agencyId !== undefined) q = q.where('submissions.agency_id', '=', opts.agencyId);
  if (opts.status) q = q.where('submissions.status', '=', opts.status);
  if (opts.exceptId) q = q.where('submissions.id', '!=', opts.exceptId);
  return q.execute();
}

/** The latest version of each submission of a round (not its contents), for consolidation. */
export function latestVersionsOfRound(
  db: Db,
  roundId: string,
  opts: { status?: SubmissionStatus; exceptId?: string | null } = {},
) {
  let q = db
    .selectFrom('submissions')
    .innerJoin('submission_versions as v', (j) =>
      j.onRef('v.submission_id', '=', 'submissions.id').onRef('v.version', '=', 'submissions.latest_version'),
    )
    .select(['submissions.id', 'submissions.agency_id', 'submissions.agency_name', 'submissions.status', 'v.version'])
    .where('submissions.round_id', '=', roundId)
    .orderBy('submissions.agency_name');
  if (opts.status) q = q.where('submissions.status', '=', opts.status);
  if (opts.exceptId) q = q.where('submissions.id', '!=', opts.exceptId);
  return q.execute();
}

/** The stored reports (engine output) of the given versions, in chunks that keep each query small. */
export async function reportsOfVersions(
  db: Db,
  versions: { submissionId: string; version: number }[],
): Promise<{ submission_id: string; version: number; report_json: string }[]> {
  const out: { submission_id: string; version: number; report_json: string }[] = [];
  for (let i = 0; i < versions.length; i += 200) {
    const chunk = versions.slice(i, i + 200);
    const rows = await db
      .selectFrom('submission_versions')
      .select(['submission_id', 'version', 'report_json'])
      .where((eb) =>
        eb.or(chunk.map((k) => eb.and([eb('submission_id', '=', k.submissionId), eb('version', '=', k.version)]))),
      )
      .execute();
    for (const r of rows) out.push({ ...r, version: Number(r.version) });
  }
  return out;
}

/** A submission's latest stored version number (its report is read through the parsed-annex cache when needed). */
export const latestVersionOf = (db: Db, submissionId: string) =>
  db
    .selectFrom('submissions')
    .innerJoin('submission_versions as v', (j) =>
      j.onRef('v.submission_id', '=', 'submissions.id').onRef('v.version', '=', 'submissions.latest_version'),
    )
    .select(['v.version'])
    .where('submissions.id', '=', submissionId)
    .executeTakeFirst();

// Comments -------------------------------------------------------------------------------------

export async function insertComments(db: Db, rows: Insertable<CommentsTable>[]): Promise<void> {
  for (const row of rows) await db.insertInto('comments').values(row).execute();
}

export const commentsWithAuthors = (db: Db, submissionId: string) =>
  db
    .selectFrom('comments as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .leftJoin('comment_resolutions as r', 'r.comment_id', 'c.id')
    .leftJoin('users as ru', 'ru.id', 'r.by_user')
    .select([
      'c.id',
      'c.version',
      'c.kind',
      'c.text',
      'c.row',
      'c.col',
      'c.created_at',
      'u.display_name',
      'r.resolved',
      'r.at as resolved_at',
      'ru.display_name as resolved_by',
    ])
    .where('c.submission_id', '=', submissionId)
    .orderBy('c.created_at')
    .orderBy('c.seq')
    .execute();

export const findComment = (db: Db, submissionId: string, commentId: string) =>
  db
    .selectFrom('comments')
    .select(['id'])
    .where('id', '=', commentId)
    .where('submission_id', '=', submissionId)
    .executeTakeFirst();

export async function setResolution(
  db: Db,
  row: { comment_id: string; resolved: number; at: string; by_user: string },
): Promise<void> {
  await db.deleteFrom('comment_resolutions').where('comment_id', '=', row.comment_id).execute();
  await db.insertInto('comment_resolutions').values(row).execute();
}
