// `annex consolidate FILE|DIR… --out REPORT.xlsx|.docx|.csv|.json [--province P] [--year Y] [--json]`:
// the consolidated report from a folder of agency files, without the server (what "combine folder" does in a
// spreadsheet today). Same reader, consolidation and writers as the server. Nothing is merged: similar tasks of
// different agencies are listed as groups for a reviewer (the dashboard, where decisions are kept per round).
import { readFileSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDirectory } from '../data/index.js';
import { consolidate, foldKey, readAnnex, type Consolidated, type ConsolidationInput } from '../engine/index.js';
import { InputError } from '../io/errors.js';
import { readFileToGrids } from '../io/read.js';
import { consolidatedToCsv, consolidatedToJson, writeConsolidatedXlsx } from '../server/report/index.js';
import type { Output } from './run.js';
import { UsageError } from './usage.js';
import { provinceOption } from './province.js';
import { BLANK, type CoverBlock } from '../templates/official-style.js';

const READABLE = new Set(['.xlsx', '.xlsm', '.csv', '.tsv', '.txt', '.docx', '.pdf']);
const FORMATS = ['xlsx', 'docx', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** The files named, folders opened one level deep (readable annex files only, in name order). */
async function inputFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch {
      throw new UsageError('usage.bad-option', { detail: `không có tệp hoặc thư mục "${p}"` });
    }
    if (!info.isDirectory()) {
      out.push(p);
      continue;
    }
    const names = (await readdir(p))
      .filter((n) => READABLE.has(extname(n).toLowerCase()) && !n.startsWith('~$') && !n.startsWith('.'))
      .sort();
    out.push(...names.map((n) => join(p, n)));
  }
  return out;
}

/** A short id for an agency known only by its name ("Sở Tư pháp" → "so-tu-phap"), from the engine's folded key. */
function idOf(name: string): string {
  return foldKey(name).replace(/ /g, '-') || 'co-quan';
}

export async function runConsolidate(args: string[], io: Output): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        out: { type: 'string', short: 'o' },
        province: { type: 'string' },
        year: { type: 'string' },
        json: { type: 'boolean' },
        lang: { type: 'string' },
        cover: { type: 'boolean' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError('usage.bad-option', { detail: String((e as Error).message).split('\n')[0] });
  }
  const { values, positionals } = parsed;
  if (!positionals.length) throw new UsageError('usage.no-file', { command: 'consolidate' });
  const out = values.out;
  const format = out ? (extname(out).slice(1).toLowerCase() as Format) : undefined;
  if (!out || !format || !FORMATS.includes(format))
    throw new UsageError('usage.consolidate-format', { value: out ?? '' });
  let year: number | undefined;
  if (values.year !== undefined) {
    if (!/^\d{4}$/.test(values.year)) throw new UsageError('usage.bad-year', { value: values.year });
    year = Number(values.year);
  }
  const directory = defaultDirectory();
  const province = provinceOption(values.province || undefined, year);

  const files = await inputFiles(positionals);
  if (!files.length)
    throw new UsageError('usage.bad-option', {
      detail: `không có tệp phụ lục nào (${[...READABLE].join(', ')}) trong ${positionals.join(', ')}`,
    });

  const inputs: ConsolidationInput[] = [];
  const failed: string[] = [];
  let readErrors = 0;
  const usedIds = new Map<string, number>();
  for (const file of files) {
    const name = basename(file);
    let grids;
    try {
      // Read synchronously: the files are read one after another anyway, and the promise API's open, stat, read
      // and close round trips cost five times the read itself for a 17 KB annex (docs/PERFORMANCE.md, "Reader").
      grids = await readFileToGrids(readFileSync(file), name);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      failed.push(`${name}: ${e.messageVi} ${e.hint}`);
      continue;
    }
    // The report shows no "did you mean" for unknown agencies (`annex validate` does): none are looked for. The
    // annexes are only read by consolidation, so cells with the same agency text share one list of refs, and each
    // grid is read once, so nothing is kept by its rows for a re-read.
    const result = readAnnex(grids, {
      directory,
      province,
      planYear: year,
      agencySuggestions: false,
      sharedAgencyRefs: true,
      rememberRows: false,
    });
    readErrors += result.diagnostics.filter((d) => d.severity === 'error').length;
    const meta = result.annex.meta;
    // The agency that issued the plan, as its document says; else the file's name.
    const agencyName = meta.issuer?.trim() || name.replace(/\.[^.]+$/, '');
    let agencyId = idOf(agencyName);
    const n = (usedIds.get(agencyId) ?? 0) + 1;
    usedIds.set(agencyId, n);
    if (n > 1) agencyId = `${agencyId}-${n}`;
    inputs.push({
      agencyId,
      agencyName,
      ...(meta.docNumber ? { docNumber: meta.docNumber } : {}),
      ...(meta.docDate ? { docDate: meta.docDate } : {}),
      annex: result.annex,
      version: 1,
    });
  }
  if (failed.length) {
    io.err(
      `Lỗi: không đọc được ${failed.length}/${files.length} tệp; chưa ghi báo cáo. Sửa hoặc bỏ các tệp này rồi chạy lại:\n`,
    );
    for (const f of failed) io.err(`  - ${f}\n`);
    io.err(`Error: ${failed.length} of ${files.length} files could not be read; no report written.\n`);
    return 2;
  }

  const planYear = year ?? inputs.map((i) => i.annex.meta.planYear).find((y) => y !== undefined);
  const c = consolidate(inputs, {
    directory,
    ...(province ? { province } : {}),
    ...(planYear ? { planYear, date: `${planYear}-01-01` } : {}),
  });
  // --cover: the NĐ 30 block (issuer, national name, number, place and date, "Nơi nhận") in the xlsx and Word report.
  const provinceName = c.meta.provinceName;
  const cover = values.cover
    ? { issuer: provinceName ? `UBND tỉnh ${provinceName}` : BLANK, place: provinceName }
    : undefined;
  await writeFile(out, await render(c, format, cover));

  if (values.json) {
    const summary = {
      files: files.length,
      inputTasks: c.stats.inputTasks,
      rows: c.stats.tasks,
      agencies: c.stats.agencies,
      candidateGroups: c.stats.candidateGroups,
      out,
      candidates: c.candidates.map((g) => ({
        id: g.id,
        similarity: [g.minSimilarity, g.maxSimilarity],
        members: g.members.map((m) => ({ at: m.at, agency: m.source.agencyName, task: m.task, differs: m.differs })),
      })),
    };
    io.out(JSON.stringify(summary, null, 2) + '\n');
  } else {
    // Printed at once: a group of a shared task lists a hundred agencies, and a write per line to a pipe is a
    // system call each (about a tenth of a second for the 100 × 200 bench's 2,400 lines).
    const lines: string[] = [
      `Đầu vào: ${files.length} tệp của ${c.stats.agencies} cơ quan, ${c.stats.inputTasks} nhiệm vụ.\n`,
      `Báo cáo: ${c.stats.tasks} dòng trong ${c.sections.length} mục → ${out}\n`,
      `${c.stats.candidateGroups} nhóm nhiệm vụ tương tự cần người duyệt xem xét (không nhóm nào bị gộp tự động).\n`,
    ];
    for (const [i, g] of c.candidates.slice(0, 20).entries()) {
      const sim =
        g.minSimilarity === g.maxSimilarity ? pct(g.minSimilarity) : `${pct(g.minSimilarity)}–${pct(g.maxSimilarity)}`;
      lines.push(`  Nhóm ${i + 1} (${sim}):\n`);
      for (const m of g.members) lines.push(`    ${m.at} ${m.source.agencyName}: ${m.task}\n`);
    }
    if (c.candidates.length > 20)
      lines.push(`  … và ${c.candidates.length - 20} nhóm khác (xem trang "Trùng lặp, xung đột" của tệp .xlsx).\n`);
    if (readErrors) lines.push(`Các phụ lục đầu vào có ${readErrors} lỗi; xem từng tệp bằng "annex validate TỆP".\n`);
    io.out(lines.join(''));
  }
  return readErrors ? 1 : 0;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

async function render(c: Consolidated, format: Format, cover?: CoverBlock): Promise<Buffer | string> {
  if (format === 'xlsx') return writeConsolidatedXlsx(c, { cover });
  if (format === 'docx') {
    // Loaded only for a Word report: the docx package is a tenth of a second to load.
    const { writeConsolidatedDocx } = await import('../io/docx-write.js');
    return Buffer.from(await writeConsolidatedDocx(c, { cover, provinceName: c.meta.provinceName }));
  }
  if (format === 'csv') return consolidatedToCsv(c);
  return JSON.stringify(consolidatedToJson(c), null, 2);
}
