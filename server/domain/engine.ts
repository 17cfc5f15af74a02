// The server's only door to the annex engine and its adapters. The server has no rules of its own:
// bytes → grids (io), grids → annex + report (engine readAnnex + validate), directory (data),
// consolidation (engine merge) and report files (server/report).
import {
  consolidate as mergeConsolidate,
  readAnnex,
  validate,
  type AgencyDirectory,
  type Annex,
  type Consolidated,
  type ConsolidationContext,
  type ConsolidationInput,
  type Grid,
  type Report,
} from '../../engine/index.js';
import { readFileDetailed, readFileToGrids as readBytesToGrids } from '../../io/read.js';
import { markXlsx } from '../../io/xlsx-mark.js';
import { appError } from '../errors.js';
import { checkGridLimits } from '../../io/limits.js';
import { defaultDirectory, provinceId } from '../../data/index.js';
import * as writers from '../report/index.js';

export type { ConsolidationContext, ConsolidationInput, Consolidated };

/** Bytes of an uploaded file → grids (xlsx, csv, txt, docx). Throws io InputError for bad files. */
export async function readFileToGrids(bytes: Uint8Array, fileName: string): Promise<Grid[]> {
  return readBytesToGrids(bytes, fileName);
}

/** The province directory (all provinces, all periods). */
export async function directory(): Promise<AgencyDirectory | undefined> {
  return defaultDirectory();
}

/** A province as a person types it ("Khánh Hòa", "TP HCM", "Thừa Thiên Huế") → its directory id at a date. */
export function provinceAt(typed: string, date: string): string | undefined {
  return provinceId(typed, date);
}

export interface CheckContext {
  province: string;
  /** The plan year; read from the document when absent (a standalone check has no round). */
  planYear?: number;
  /** ISO date at which agency names resolve. */
  date?: string;
}

/** Reads and validates an annex. */
export async function checkGrids(grids: Grid[], ctx: CheckContext): Promise<Report> {
  // Grids sent as JSON (add-ins, Sheet intake) meet the same caps as files before the engine walks them.
  checkGridLimits(grids);
  const dir = await directory();
  const result = readAnnex(grids, { directory: dir, province: ctx.province, planYear: ctx.planYear });
  return validate(result, { directory: dir, province: ctx.province, planYear: ctx.planYear, date: ctx.date });
}

/**
 * The officer's own workbook with its issues marked in it (io/xlsx-mark.ts), for hosts without the add-in.
 * Only xlsx can be marked: other formats have no cells of their own to carry colours and notes.
 */
export async function markedCopy(
  bytes: Uint8Array,
  fileName: string,
  ctx: CheckContext,
): Promise<{ bytes: Uint8Array; report: Report }> {
  const { grids, kind } = await readFileDetailed(bytes, fileName);
  if (kind !== 'xlsx') throw appError('check.not-xlsx', { fileName }, { field: 'file' });
  const report = await checkGrids(grids, ctx);
  return { bytes: markXlsx(bytes, report.diagnostics, { fileName }).bytes, report };
}

export async function consolidate(
  inputs: ConsolidationInput[],
  ctx: Omit<ConsolidationContext, 'directory'>,
): Promise<Consolidated> {
  return mergeConsolidate(inputs, { ...ctx, directory: await directory() });
}

export function reportWriters() {
  return writers;
}

/** The annex part of a stored report. */
export function annexOf(report: Report): Annex {
  return { meta: report.meta, sections: report.sections };
}
