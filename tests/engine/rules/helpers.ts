// Shared test helpers: seeds read through the real reader, small sheets built in the test.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { textToGrid, readAnnex, type ReadResult } from '../../../engine/read/index.js';
import { validate, type ValidateContext } from '../../../engine/rules/validate.js';
import { defaultDirectory } from '../../../data/index.js';
import type { Diagnostic, Grid, Report } from '../../../engine/model.js';

const seedsDir = fileURLToPath(new URL('../../../seeds/', import.meta.url));

export const directory = defaultDirectory();

export interface Seed {
  grid: Grid;
  result: ReadResult;
  report: Report;
}

/** Reads seed "000".."004" (text → grid → reader → validate with the bundled directory). */
export function seed(prefix: string, ctx: ValidateContext = {}): Seed {
  const file = readdirSync(seedsDir).find((f) => f.startsWith(`${prefix}_`));
  if (!file) throw new Error(`no seed ${prefix}`);
  const grid = textToGrid(readFileSync(join(seedsDir, file), 'utf8'), file);
  const result = readAnnex([grid], { directory });
  const report = validate(result, { grids: [grid], directory, ...ctx });
  return { grid, result, report };
}

export const HEADER = ['STT', 'Nhiệm vụ', 'Sản phẩm', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện'];

/** A spreadsheet grid from rows of cell texts (row 1 = first array). */
export function sheet(rows: string[][], name = 'Phụ lục'): Grid {
  return {
    sheet: name,
    kind: 'sheet',
    rows: rows.map((r, i) => ({ index: i + 1, cells: r.map((text) => ({ text })) })),
  };
}

/** Reads and validates a small sheet: a title row, the header, then the given rows (first given row = row 3). */
export function check(rows: string[][], ctx: ValidateContext = {}, header = HEADER): { grid: Grid; report: Report } {
  const grid = sheet([['PHỤ LỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH'], header, ...rows]);
  const result = readAnnex([grid], { directory, province: ctx.province ?? 'nam-dinh', planYear: ctx.planYear ?? 2024 });
  const report = validate(result, { grids: [grid], directory, province: 'nam-dinh', planYear: 2024, ...ctx });
  return { grid, report };
}

export function byCode(report: Report, code: string): Diagnostic[] {
  return report.diagnostics.filter((d) => d.code === code);
}

export function cells(list: Diagnostic[]): string[] {
  return list.map((d) => d.location.cell ?? `row ${d.location.row}`);
}
