// Submissions, their versions, comments and comment resolutions: every query on those tables.
import { sql, type Insertable, type RawBuilder } from 'kysely';
import type { CommentsTable, Db, DialectKind, SubmissionsTable, SubmissionStatus, VersionsTable } from '../db/index.js';
import type { JsonText } from '../domain/json-text.js';
import { compiledOnce } from '../db/compiled.js';

export const findSubmission = (db: Db, submissionId: string) =>
  db.selectFrom('submissions').selectAll().where('id', '=', submissionId).executeTakeFirst();

/**
 * The agency's submission in a round. `lock`: hold the row until the transaction ends (PostgreSQL
 * FOR UPDATE; SQLite has one writer at a time, so its transactions are serialised anyway).
 */
const submissionRow = compiledOnce((db: Db, roundId: string, agencyId: string) =>
  db.selectFrom('submissions').selectAll().where('round_id', '=', roundId).where('agency_id', '=', agencyId),
);
const submissionRowLocked = compiledOnce((db: Db, roundId: string, agencyId: string) =>
  db
    .selectFrom('submissions')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('agency_id', '=', agencyId)
    .forUpdate(),
);

export async function submissionOf(
  db: Db,
  roundId: string,
  agencyId: string,
  lock = false,
): Promise<SubmissionsTable | undefined> {
  return (await (lock ? submissionRowLocked : submissionRow)(db, roundId, agencyId))[0];
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

const newLatest = compiledOnce(
  (db: Db, submissionId: string, version: number, status: SubmissionStatus, updatedAt: string) =>
    db
      .updateTable('submissions')
      .set({ latest_version: version, status, updated_at: updatedAt })
      .where('id', '=', submissionId),
);

/** A new latest version: updateSubmission with all three, as one kept query (every submission runs it). */
export async function setLatest(
  db: Db,
  submissionId: string,
  set: Pick<SubmissionsTable, 'latest_version' | 'status' | 'updated_at'>,
): Promise<void> {
  await newLatest(db, submissionId, set.latest_version, set.status, set.updated_at);
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
  return typeof j === 'string' ? j : bytesText(dialect, j);
}

const bytesText = (dialect: DialectKind, j: unknown): RawBuilder<string> =>
  dialect === 'postgres' ? sql<string>`convert_from(${j}, 'UTF8')` : sql<string>`CAST(${j} AS TEXT)`;

const versionHashRow = compiledOnce((db: Db, submissionId: string, version: number) =>
  oneVersion(db, submissionId, version).select('content_hash'),
);

/** The content hash of one version (the duplicate check reads nothing more). */
export async function versionHash(db: Db, submissionId: string, version: number): Promise<string | undefined> {
  return (await versionHashRow(db, submissionId, version))[0]?.content_hash;
}

export const versionContent = (db: Db, submissionId: string, version: number) =>
  oneVersion(db, submissionId, version).select(['version', 'report_json', 'grids_json']).executeTakeFirst();

const maxVersionRow = compiledOnce((db: Db, submissionId: string) =>
  db
    .selectFrom('submission_versions')
    .select((eb) => eb.fn.max('version').as('max'))
    .where('submission_id', '=', submissionId),
);

export async function maxVersion(db: Db, submissionId: string): Promise<number> {
  const max = (await maxVersionRow(db, submissionId))[0];
  return Number(max?.max ?? 0);
}

type VersionRow = Omit<VersionsTable, 'grids_json' | 'report_json'>;

/** A version row with its grids and report as UTF-8 bytes (as the parse threads make them), as one kept query. */
const versionInsert = (dialect: DialectKind) =>
  compiledOnce(
    (
      db: Db,
      submissionId: string,
      version: number,
      contentHash: string,
      createdAt: string,
      createdBy: string,
      source: string,
      fileName: string | null,
      grids: Uint8Array,
      report: Uint8Array,
      tasks: number,
      errors: number,
      warnings: number,
      infos: number,
    ) =>
      db.insertInto('submission_versions').values({
        submission_id: submissionId,
        version,
        content_hash: contentHash,
        created_at: createdAt,
        created_by: createdBy,
        source,
        file_name: fileName,
        grids_json: bytesText(dialect, grids),
        report_json: bytesText(dialect, report),
        tasks,
        errors,
        warnings,
        infos,
      }),
  );
const bytesInsert = { sqlite: versionInsert('sqlite'), postgres: versionInsert('postgres') };

export async function insertVersion(
  db: Db,
  dialect: DialectKind,
  row: VersionRow & { grids_json: JsonText; report_json: JsonText },
): Promise<void> {
  const { grids_json: grids, report_json: report } = row;
  if (typeof grids !== 'string' && typeof report !== 'string') {
    const r = row;
    await bytesInsert[dialect](
      db,
      r.submission_id,
      r.version,
      r.content_hash,
      r.created_at,
      r.created_by,
      r.source,
      r.file_name,
      grids,
      report,
      r.tasks,
      r.errors,
      r.warnings,
      r.infos,
    );
    return;
  }
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
