// The server's only door to the annex engine and its adapters. The server has no rules of its own:
// bytes → grids (io; submissions are read and validated in the parse pool, server/parse/), directory (data),
// consolidation (engine merge) and report files (server/report).
import {
  consolidate as mergeConsolidate,
  type AgencyDirectory,
  type Annex,
  type Consolidated,
  type ConsolidationContext,
  type ConsolidationInput,
  type Grid,
  type Report,
} from '../../engine/index.js';
import { readFileToGrids as readBytesToGrids } from '../../io/read.js';
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
