// `annex parse` and `annex validate`: file → grids → annex → report, printed as a table or JSON.
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Diagnostic, Fix, Grid, Report } from '../engine/index.js';
import { readAnnex, type ReadOptions, type ReadResult } from '../engine/index.js';
import { applyFixes, validate, type ValidateContext } from '../engine/index.js';
import { localize } from '../engine/index.js';
import type { AgencyDirectory } from '../engine/index.js';
import { defaultDirectory } from '../data/index.js';
import { provinceOption } from './province.js';
import { InputError } from '../io/errors.js';
import { readPathBytes } from '../io/file.js';
import { readFileDetailed } from '../io/read.js';
import { annexToCsv } from '../io/csv.js';
import { renderDiagnostics, renderOutline } from './render.js';
import { T, type Lang } from './texts.js';
import { UsageError } from './usage.js';

export interface RunOptions {
  json: boolean;
  fix?: string;
  /** Write the officer's own xlsx with the issues marked in it (io/xlsx-mark.ts). */
  mark?: string;
  province?: string;
  year?: number;
  lang: Lang;
}

export interface Output {
  out: (s: string) => void;
  err: (s: string) => void;
  width?: number;
  color?: boolean;
}

/** The province directory from data/ (built once), with --province turned into its directory id. */
async function loadDirectory(opts: RunOptions): Promise<AgencyDirectory | undefined> {
  opts.province = provinceOption(opts.province, opts.year);
  return defaultDirectory();
}

export function statsOf(result: Pick<ReadResult, 'annex'>, diagnostics: Diagnostic[]): Report['stats'] {
  const sections = result.annex.sections;
  const tasks = sections.flatMap((s) => s.tasks);
  return {
    sections: sections.length,
    tasks: tasks.length,
    products: tasks.reduce((a, t) => a + t.products.length, 0),
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
    infos: diagnostics.filter((d) => d.severity === 'info').length,
  };
}

/** The reader's result as a Report (read-level diagnostics only). */
export function parseReport(result: ReadResult, lang: Lang): Report {
  const diagnostics = lang === 'vi' ? result.diagnostics : localize(result.diagnostics, lang);
  return { meta: result.annex.meta, sections: result.annex.sections, diagnostics, stats: statsOf(result, diagnostics) };
}

function notAnnex(result: ReadResult): boolean {
  return result.annex.sections.length === 0 && result.diagnostics.some((d) => d.code === 'header.not-found');
}

async function load(file: string, opts: RunOptions, directory: AgencyDirectory | undefined) {
  const bytes = await readPathBytes(file);
  const { grids, kind } = await readFileDetailed(bytes, basename(file));
  const readOptions: ReadOptions = {};
  if (directory) readOptions.directory = directory;
  if (opts.province) readOptions.province = opts.province;
  if (opts.year) readOptions.planYear = opts.year;
  const result = readAnnex(grids, readOptions);
  if (notAnnex(result)) throw new InputError('input.not-annex', {}, { file: basename(file) });
  return { grids, result, bytes, kind };
}

function print(report: Report, opts: RunOptions, io: Output, render: typeof renderDiagnostics) {
  if (opts.json) io.out(JSON.stringify(report, null, 2) + '\n');
  else io.out(render(report, { lang: opts.lang, width: io.width, color: io.color }) + '\n');
}

export async function runParse(file: string, opts: RunOptions, io: Output): Promise<number> {
  const directory = await loadDirectory(opts);
  const { result } = await load(file, opts, directory);
  print(parseReport(result, opts.lang), opts, io, renderOutline);
  return 0;
}

/** Writes next to the target then renames, so a failed write never leaves half a file. */
async function writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    const code = (e as { code?: string }).code ?? String(e);
    throw new UsageError('usage.fix-write', { value: path, detail: code });
  }
}

export async function runValidate(file: string, opts: RunOptions, io: Output): Promise<number> {
  const directory = await loadDirectory(opts);
  const { grids, result, bytes, kind } = await load(file, opts, directory);
  // Checked before anything is printed or written: a marked copy needs the officer's own workbook.
  if (opts.mark && kind !== 'xlsx') throw new UsageError('usage.mark-input', { value: basename(file) });
  const ctx: ValidateContext = { locale: opts.lang };
  if (directory) ctx.directory = directory;
  if (opts.province) ctx.province = opts.province;
  if (opts.year) ctx.planYear = opts.year;
  const report = validate(result, ctx);
  // Re-rendering is lossless (codes and params are kept), so it is safe whatever validate used.
  if (opts.lang !== 'vi') report.diagnostics = localize(report.diagnostics, opts.lang);
  print(report, opts, io, renderDiagnostics);

  if (opts.fix) {
    const fixes: Fix[] = report.diagnostics.flatMap((d) => (d.fix ? [d.fix] : []));
    const fixed: Grid[] = fixes.length ? applyFixes(grids, fixes) : grids;
    // The xlsx writer (exceljs) loads only when a file is written, not on every validate.
    const { writeGridsXlsx } = await import('../io/xlsx-write.js');
    await writeAtomic(opts.fix, await writeGridsXlsx(fixed));
    // Say how the written file fares, so the officer knows what is left to do by hand.
    const after = validate(
      readAnnex(fixed, { ...(directory ? { directory } : {}), province: opts.province, planYear: opts.year }),
      ctx,
    );
    const t = T[opts.lang];
    const line = fixes.length ? t.fixWritten(fixes.length, opts.fix, after.stats) : t.noFixes(opts.fix);
    // With --json stdout holds exactly one JSON object; the note goes to stderr.
    (opts.json ? io.err : io.out)(line + '\n');
  }
  if (opts.mark) {
    // Notes and the check sheet are in Vietnamese, whatever --lang says: they are for the officer.
    const vi = opts.lang === 'vi' ? report.diagnostics : localize(report.diagnostics, 'vi');
    const { markXlsx } = await import('../io/xlsx-mark.js');
    const marked = markXlsx(bytes, vi, { fileName: basename(file) });
    await writeAtomic(opts.mark, marked.bytes);
    (opts.json ? io.err : io.out)(
      T[opts.lang].markWritten(opts.mark, marked.issues, marked.notes, marked.checkSheet) + '\n',
    );
  }
  return report.stats.errors > 0 ? 1 : 0;
}

/** `annex export FILE --out OUT.docx|.xlsx|.csv`: the annex as an official document (Nghị định 30 layout). */
export async function runExport(file: string, out: string, opts: RunOptions, io: Output): Promise<number> {
  const format = /\.(docx|xlsx|csv)$/i.exec(out)?.[1]?.toLowerCase();
  if (!format) throw new UsageError('usage.export-format', { value: out });
  const directory = await loadDirectory(opts);
  const { result } = await load(file, opts, directory);
  const annex = result.annex;
  // Each writer loads with its own format only (docx and exceljs are large).
  const bytes =
    format === 'docx'
      ? await (await import('../io/docx-write.js')).writeAnnexDocx(annex)
      : format === 'xlsx'
        ? await (await import('../io/xlsx-write.js')).writeAnnexXlsx(annex)
        : new TextEncoder().encode(annexToCsv(annex));
  await writeAtomic(out, bytes);
  const tasks = annex.sections.reduce((n, s) => n + s.tasks.length, 0);
  io.out(
    opts.lang === 'en'
      ? `Wrote ${out}: ${annex.sections.length} sections, ${tasks} tasks.\n`
      : `Đã ghi ${out}: ${annex.sections.length} mục, ${tasks} nhiệm vụ.\n`,
  );
  return 0;
}
