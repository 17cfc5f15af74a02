// The job queue table: every query on jobs. Claiming uses FOR UPDATE SKIP LOCKED on PostgreSQL, so
// several instances take different jobs without waiting on each other; SQLite has one writer anyway.
import { sql, type Selectable } from 'kysely';
import type { Db, DialectKind, JobsTable } from '../db/index.js';

export type JobRow = Selectable<JobsTable>;

export async function insertJob(
  db: Db,
  row: { id: string; kind: string; payload_json: string; created_by: string; created_at: string },
): Promise<void> {
  await db
    .insertInto('jobs')
    .values({
      ...row,
      state: 'queued',
      result_json: null,
      error_json: null,
      started_at: null,
      finished_at: null,
      locked_by: null,
    })
    .execute();
}

/** Takes the oldest queued job of the given kinds for this worker, or nothing. */
export async function claimJob(
  db: Db,
  dialect: DialectKind,
  worker: string,
  kinds: string[],
  nowIso: string,
): Promise<JobRow | undefined> {
  if (!kinds.length) return undefined;
  const skipLocked = dialect === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
  const r = await sql<JobRow>`
    UPDATE jobs SET state = 'running', started_at = ${nowIso}, locked_by = ${worker}, attempts = attempts + 1
    WHERE id = (
      SELECT id FROM jobs WHERE state = 'queued' AND kind IN (${sql.join(kinds)})
      ORDER BY created_at, id LIMIT 1 ${skipLocked}
    )
    RETURNING *`.execute(db);
  return r.rows[0];
}

export async function finishJob(
  db: Db,
  id: string,
  state: 'done' | 'failed',
  json: string,
  nowIso: string,
): Promise<void> {
  await db
    .updateTable('jobs')
    .set(
      state === 'done'
        ? { state, result_json: json, finished_at: nowIso }
        : { state, error_json: json, finished_at: nowIso },
    )
    .where('id', '=', id)
    .where('state', '=', 'running')
    .execute();
}

export const findJob = (db: Db, id: string) =>
  db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();

/** Jobs whose instance died mid-run go back to the queue (or fail after three tries). */
export async function requeueStale(db: Db, startedBeforeIso: string, nowIso: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ state: 'queued', locked_by: null })
    .where('state', '=', 'running')
    .where('started_at', '<', startedBeforeIso)
    .where('attempts', '<', 3)
    .execute();
  await db
    .updateTable('jobs')
    .set({
      state: 'failed',
      error_json: JSON.stringify({
        error: {
          code: 'job.abandoned',
          message: 'Việc bị gián đoạn ba lần; hãy thử lại.',
          messageEn: 'The job was interrupted three times.',
        },
      }),
      finished_at: nowIso,
    })
    .where('state', '=', 'running')
    .where('started_at', '<', startedBeforeIso)
    .where('attempts', '>=', 3)
    .execute();
}
