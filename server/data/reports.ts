// Consolidated reports: every query on the reports table.
import type { Db, ReportsTable } from '../db/index.js';

/** Inserts a report numbered after the round's last one. */
export async function insertReport(db: Db, row: Omit<ReportsTable, 'seq'>): Promise<void> {
  const last = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('round_id', '=', row.round_id)
    .executeTakeFirst();
  await db
    .insertInto('reports')
    .values({ ...row, seq: Number(last?.seq ?? 0) + 1 })
    .execute();
}

export const lastReportOf = (db: Db, roundId: string) =>
  db
    .selectFrom('reports')
    .selectAll()
    .where('round_id', '=', roundId)
    .orderBy('seq', 'desc')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
