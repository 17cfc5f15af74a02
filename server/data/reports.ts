// Consolidated reports: every query on the reports table, and how the consolidated report is stored.
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { Db, ReportsTable } from '../db/index.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

type ReportRow = Omit<ReportsTable, 'seq' | 'consolidated_json' | 'consolidated_gz'> & { consolidated_gz: Buffer };

/**
 * The consolidated report as it is stored: its JSON gzip-compressed. A round of 100 agencies makes 14 MB of JSON,
 * which compresses about tenfold; compressing runs on libuv's thread pool, off the request loop, and writing a tenth
 * of the bytes is what keeps a rebuild short on both databases. Done before the transaction that stores it.
 */
export const compressConsolidated = (json: string): Promise<Buffer> => gzipAsync(json, { level: 1 });

/** Inserts a report numbered after the round's last one. */
export async function insertReport(db: Db, row: ReportRow): Promise<void> {
  const last = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('round_id', '=', row.round_id)
    .executeTakeFirst();
  await db
    .insertInto('reports')
    .values({ ...row, consolidated_json: '', seq: Number(last?.seq ?? 0) + 1 })
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

/** The stored consolidated report: inflated when compressed, parsed from its text for reports built before. */
export async function consolidatedOf(
  row: Pick<ReportsTable, 'consolidated_json' | 'consolidated_gz'>,
): Promise<unknown> {
  const text = row.consolidated_gz?.length
    ? (await gunzipAsync(row.consolidated_gz)).toString('utf8')
    : row.consolidated_json;
  return JSON.parse(text) as unknown;
}
