// Consolidated reports: every query on the reports table, and how the consolidated report is stored.
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { Consolidated } from '../../engine/index.js';
import type { Db, ReportsTable } from '../db/index.js';
import { isPackedConsolidated, packConsolidated, unpackConsolidated } from './report-pack.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

type ReportRow = Omit<ReportsTable, 'seq' | 'consolidated_json' | 'consolidated_gz'> & { consolidated_gz: Buffer };

/**
 * The consolidated report as it is stored: its packed form (report-pack.ts: what it repeats written once, 52 MB of
 * JSON down to a fraction for 100 agencies × 200 tasks) as JSON, gzip-compressed. Compressing runs on libuv's
 * thread pool, off the request loop. Done before the transaction that stores it.
 */
export const compressConsolidated = (c: Consolidated): Promise<Buffer> =>
  gzipAsync(JSON.stringify(packConsolidated(c)), { level: 1 });

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

/**
 * The stored consolidated report: inflated when compressed, parsed from its text for reports built before
 * compression, unpacked when packed (reports built before packing are the plain report).
 */
export async function consolidatedOf(
  row: Pick<ReportsTable, 'consolidated_json' | 'consolidated_gz'>,
): Promise<Consolidated> {
  const text = row.consolidated_gz?.length
    ? (await gunzipAsync(row.consolidated_gz)).toString('utf8')
    : row.consolidated_json;
  const stored = JSON.parse(text) as unknown;
  return isPackedConsolidated(stored) ? unpackConsolidated(stored) : (stored as Consolidated);
}
