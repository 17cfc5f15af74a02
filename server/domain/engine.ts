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
import { readFileToGrids as readBytesToGrids } from '../../io/read.js';
import { checkGridLimits } from '../../io/limits.js';
import { defaultDirectory } from '../../data/index.js';
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

export interface CheckContext {
  province: string;
  planYear: number;
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

export async function consolidate(inputs: ConsolidationInput[], ctx: Omit<ConsolidationContext, 'directory'>): Promise<Consolidated> {
  return mergeConsolidate(inputs, { ...ctx, directory: await directory() });
}

export function reportWriters() {
  return writers;
}

/** The annex part of a stored report. */
export function annexOf(report: Report): Annex {
  return { meta: report.meta, sections: report.sections };
}
