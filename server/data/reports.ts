// Consolidated reports: every query on the reports table, and how the consolidated report is stored.
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { Consolidated } from '../../engine/index.js';
import type { Db, ReportsTable } from '../db/index.js';
import { isPackedConsolidated, packConsolidated, unpackConsolidated, type PackedConsolidated } from './report-pack.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

type ReportRow = Omit<ReportsTable, 'seq' | 'consolidated_json'>;

/**
 * The consolidated report as it is stored: its packed form (report-pack.ts: what it repeats written once, 52 MB of
 * JSON down to a fraction for 100 agencies × 200 tasks) as JSON, and that JSON gzip-compressed (`gz`, the stored
 * bytes). Compressing runs on libuv's thread pool, off the request loop.
 */
export async function packedConsolidated(c: Consolidated): Promise<{ json: string; gz: Buffer }> {
  const json = JSON.stringify(packConsolidated(c));
  return { json, gz: await gzipAsync(json, { level: 1 }) };
}

/** The report from its packed JSON, as every later read of the stored bytes gives it. */
export const unpackedConsolidated = (json: string): Consolidated =>
  unpackConsolidated(JSON.parse(json) as PackedConsolidated);

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

/** Writes a derived report's packed form once: from then on it is what is served, whatever derives it later. */
export async function storePacked(db: Db, id: string, gz: Buffer): Promise<void> {
  await db
    .updateTable('reports')
    .set({ consolidated_gz: gz })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('consolidated_gz', 'is', null), eb(eb.fn('length', ['consolidated_gz']), '=', 0)]))
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
