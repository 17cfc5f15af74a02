// Everything a submission costs in CPU, in one place that runs inside a worker thread (server/parse/pool.ts):
// bytes or a JSON body → grids (io, zod contract), the input caps, the content hash, the engine's read and
// validation, stable task ids, and the stored JSON strings. The main thread only does the database work and
// answers, so one hostile or huge input never blocks the event loop, and each submission is read and
// validated once: the report made here is the one stored, diffed, synced and consolidated later.
// Errors are returned as data (a thread boundary keeps only an Error's message), never thrown across.
import { createHash } from 'node:crypto';
import type { sheets_v4 } from 'googleapis';
import {
  assignTaskIds,
  readAnnex,
  stampTaskIds,
  validate,
  type Annex,
  type CellWrite,
  type Diagnostic,
  type Grid,
  type GridRow,
  type IdColumn,
  type Report,
} from '../../engine/index.js';
// Only the modules reading needs: the io index would bring the xlsx writer (exceljs) into the server's startup.
import { InputError } from '../../io/errors.js';
import { readFileDetailed, readFileToGrids } from '../../io/read.js';
import { checkGridLimits, checkMerges } from '../../io/limits.js';
import { markXlsx } from '../../io/xlsx-mark.js';
import { defaultDirectory } from '../../data/index.js';
import { SubmissionJsonBody } from '../../contracts/submissions.js';
import { SyncBody } from '../../contracts/sync.js';
import { parse } from '../api/parse.js';
import { AppError, appError } from '../errors.js';
import { gridFromSheet, gridRangeA1 } from '../google/grid.js';
import { annexHash, contentHash, gridsEmpty, sameAnnex } from '../domain/content.js';
import { newTaskId } from '../domain/new-task-id.js';
import { annexOf } from '../domain/engine.js';
import { jsonBytes, jsonOwnBytes, parseJson, type JsonText } from '../domain/json-text.js';
import { AgencySessions } from './sessions.js';
import { reportBytes } from './report-json.js';
import { BodyDelta, type SubmissionBody } from './body-delta.js';
import { gridsOf } from './grid-shape.js';

export interface CheckContext {
  province: string;
  /** The plan year; read from the document when absent (a standalone check has no round). */
  planYear?: number;
  /** ISO date at which agency names resolve. */
  date?: string;
}

/** Where the grids come from. */
export type Intake =
  | { kind: 'grids'; grids: Grid[] }
  | { kind: 'file'; bytes: Uint8Array; fileName: string }
  /** A JSON request body, unparsed: a submission ({grids, …}) or a sync push ({grids, baseVersion, …}). */
  | { kind: 'json'; body: Uint8Array; schema: 'submission' | 'sync' }
  /** A Google Sheet as the Sheets API returned it (merges not yet checked). */
  | { kind: 'sheet'; sheet: sheets_v4.Schema$Sheet };

/** The agency's latest stored version, which a new one is compared with. */
export interface Latest {
  version: number;
  hash: string;
  /** Its report (bytes from SQLite, text from PostgreSQL). */
  report?: JsonText;
  /**
   * Without the report: the SHA-1 of its stored bytes (Checked.reportKey, when this server stored it), which the
   * thread that made it most likely still holds. A submission whose thread holds no such report answers
   * `needLatest`, and the main thread sends it again with the report.
   */
  reportKey?: string;
}

/** Request fields carried in a JSON body (from forms and Sheet links they are known on the main thread). */
export interface BodyFields {
  source?: string;
  fileName?: string;
  baseVersion?: number;
  agencyId?: string;
}

export type ParseTask =
  /** Only the body's own fields (a reviewer submitting for an agency named in the body). */
  | { op: 'fields'; intake: Intake }
  /** `agency`: the key (round and agency) under which the thread keeps the agency's session (./sessions.ts). */
  | { op: 'submit'; intake: Intake; ctx: CheckContext; latest: Latest | null; agency?: string }
  | { op: 'sync'; intake: Intake; ctx: CheckContext; latest: Latest | null; agency?: string }
  /** The officer's own xlsx with its issues marked in it (io/xlsx-mark.ts): nothing is stored. */
  | { op: 'mark'; bytes: Uint8Array; fileName: string; ctx: CheckContext };

export interface MarkOutcome {
  bytes: Uint8Array;
  stats: Report['stats'];
}

/** A checked version as stored: grids and report as UTF-8 JSON bytes, handed to the main thread without a copy. */
export interface Checked {
  gridsJson: Uint8Array;
  reportJson: Uint8Array;
  /** The SHA-1 of reportJson, under which this thread keeps the report (Latest.reportKey). */
  reportKey: string;
  stats: Report['stats'];
}

/** Enough of a report to say why no annex was found (the diagnostics that explain it). */
export interface NoAnnex {
  diagnostics: Diagnostic[];
  firstSheet?: string;
}

export interface SubmitOutcome {
  fields: BodyFields;
  empty?: true;
  hash?: string;
  /** The latest version's report is needed, and was sent only by its key, which this thread no longer holds. */
  needLatest?: true;
  /** The content is the latest version's. */
  duplicate?: true;
  noAnnex?: NoAnnex;
  checked?: Checked;
}

export interface SyncOutcome {
  fields: BodyFields;
  empty?: true;
  noAnnex?: NoAnnex;
  /** The push's base is not the latest version: the annex read from it, for the three-way comparison. */
  stale?: { mine: Annex };
  stored?: {
    hash: string;
    duplicate: boolean;
    checked?: Checked;
    ids: { id: string; sheet: string; row: number; number: string; assigned: boolean }[];
    idColumn: IdColumn | null;
    writes: CellWrite[];
  };
}

/** An error as plain data: an InputError or AppError's fields, rebuilt on the main thread. */
export interface ErrorData {
  name: string;
  code?: string;
  status?: number;
  /** The Vietnamese text. */
  message: string;
  messageEn?: string;
  hint?: string;
  where?: Record<string, unknown>;
  details?: unknown;
}

/** What a task of each op answers. */
export type OutcomeOf<T extends ParseTask> = T extends { op: 'fields' }
  ? { fields: BodyFields }
  : T extends { op: 'submit' }
    ? { submit: SubmitOutcome }
    : T extends { op: 'mark' }
      ? { mark: MarkOutcome }
      : { sync: SyncOutcome };

export type ParseResult =
  | { ok: true; fields: BodyFields }
  | { ok: true; submit: SubmitOutcome }
  | { ok: true; sync: SyncOutcome }
  | { ok: true; mark: MarkOutcome }
  | { ok: false; error: ErrorData };

export async function runTask(task: ParseTask): Promise<ParseResult> {
  try {
    if (task.op === 'fields') return { ok: true, fields: (await intakeGrids(task.intake)).fields };
    if (task.op === 'submit') return { ok: true, submit: await submitWork(task) };
    if (task.op === 'mark') return { ok: true, mark: await markWork(task) };
    return { ok: true, sync: await syncWork(task) };
  } catch (err) {
    return { ok: false, error: errorData(err) };
  }
}

function errorData(err: unknown): ErrorData {
  // Both carry a code, both texts, a hint and a place; an AppError also its status and details.
  if (err instanceof AppError || err instanceof InputError) {
    const app = err instanceof AppError ? err : undefined;
    return {
      name: app ? 'AppError' : 'InputError',
      code: err.code,
      status: app?.status,
      message: err.messageVi,
      messageEn: err.messageEn,
      hint: err.hint,
      where: err.where as Record<string, unknown> | undefined,
      details: app?.details,
    };
  }
  const e = err as { name?: string; message?: string; stack?: string };
  return { name: e?.name ?? 'Error', message: String(e?.stack ?? e?.message ?? err) };
}

let bodies = new BodyDelta();

/**
 * Each submission row's part of the content hash, by row object: a JSON body's rows are made by its parse and never
 * changed, and the next body of the agency shares those that did not change (./body-delta.ts).
 */
const rowPieces = new WeakMap<GridRow, Buffer>();

/** Empties this thread's kept bodies (tests: a body parsed whole must give what one parsed as a delta gives). */
export function forgetBodies(): BodyDelta {
  bodies = new BodyDelta();
  return bodies;
}

/**
 * The grids and fields of an input. `agency`: a submission body is parsed as a change of the agency's last one
 * when it is one (./body-delta.ts), and kept for its next one.
 */
async function intakeGrids(intake: Intake, agency?: string): Promise<{ grids: Grid[]; fields: BodyFields }> {
  switch (intake.kind) {
    case 'grids':
      return { grids: intake.grids, fields: {} };
    case 'file':
      return { grids: await readFileToGrids(intake.bytes, intake.fileName), fields: {} };
    case 'sheet': {
      // Merged ranges from the Sheets API are measured before gridFromSheet spreads them over cells.
      const title = intake.sheet.properties?.title ?? 'Sheet1';
      checkMerges((intake.sheet.merges ?? []).map(gridRangeA1), { sheet: title });
      return { grids: [gridFromSheet(intake.sheet)], fields: {} };
    }
    case 'json': {
      const kept = intake.schema === 'submission' && agency !== undefined;
      const delta = kept ? bodies.parse(agency, intake.body) : undefined;
      if (delta) {
        const { grids, ...fields } = delta;
        return { grids: grids as Grid[], fields };
      }
      let data: unknown;
      try {
        data = JSON.parse(
          Buffer.from(intake.body.buffer, intake.body.byteOffset, intake.body.byteLength).toString('utf8'),
        );
      } catch {
        throw appError('request.invalid-json');
      }
      const parsed = parse(intake.schema === 'sync' ? SyncBody : SubmissionJsonBody, data);
      const body = { ...parsed, grids: gridsOf(parsed.grids as Grid[]) };
      if (kept) bodies.keep(agency, intake.body, body as SubmissionBody);
      const { grids, ...fields } = body;
      return { grids: grids as Grid[], fields };
    }
  }
}

type Directory = Awaited<ReturnType<typeof defaultDirectory>>;
let directory: Directory | null = null;

/** Reads and validates grids (the caps first: JSON grids arrive already built). */
export async function checkGrids(grids: Grid[], ctx: CheckContext): Promise<Report> {
  return fullCheck(grids, await checkedDirectory(grids), ctx);
}

/** Refuses grids over the limits, then gives the thread's directory (loaded once). */
async function checkedDirectory(grids: Grid[]): Promise<Directory> {
  checkGridLimits(grids);
  return (directory ??= await defaultDirectory());
}

/** The engine's whole read and validation of the grids. */
function fullCheck(grids: Grid[], dir: Directory, ctx: CheckContext): Report {
  const result = readAnnex(grids, { directory: dir, province: ctx.province, planYear: ctx.planYear });
  return validate(result, { directory: dir, province: ctx.province, planYear: ctx.planYear, date: ctx.date });
}

let sessions = new AgencySessions();

/** Empties this thread's agency sessions (tests: a check without one must give what a check with one gives). */
export function forgetSessions(): AgencySessions {
  sessions = new AgencySessions();
  return sessions;
}

/**
 * checkGrids for an agency's submission: as edits of the agency's last one when this thread holds its session
 * (./sessions.ts). The report is the session's own: callers copy, never change it.
 */
async function checkAgencyGrids(agency: string | undefined, grids: Grid[], ctx: CheckContext): Promise<Report> {
  if (agency === undefined) return checkGrids(grids, ctx);
  const dir = await checkedDirectory(grids);
  const vctx = { directory: dir, province: ctx.province, planYear: ctx.planYear, date: ctx.date };
  return sessions.check(agency, grids, vctx, () => fullCheck(grids, dir, ctx));
}

function noAnnexOf(report: Report, grids: Grid[]): NoAnnex {
  const picked = new Set<Diagnostic>();
  const header = report.diagnostics.find((x) => x.code === 'header.not-found');
  const error = report.diagnostics.find((x) => x.severity === 'error');
  if (header) picked.add(header);
  if (error) picked.add(error);
  for (const d of report.diagnostics.slice(0, 20)) picked.add(d);
  return { diagnostics: [...picked], ...(grids[0]?.sheet ? { firstSheet: grids[0].sheet } : {}) };
}

/** A stored report as this thread holds it, with its annex hash worked out at most once. */
interface KnownReport {
  report: Report;
  annexHash?: string;
}

/**
 * Reports this thread made or read lately, keyed by the SHA-1 of their stored JSON. A submission is compared with
 * its agency's latest version, which is most often the report a thread of this pool made a moment before: found
 * here, it is not parsed again (85 KB of JSON, about a fifth of a changed submission's CPU on a 372-row annex),
 * nor its annex hashed again. Keyed by content, it holds immutable data: a miss only costs the parse. Bounded by
 * the size of the JSON (an evicted entry is the one used longest ago).
 */
class RecentReports {
  private readonly entries = new Map<string, { known: KnownReport; bytes: number }>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}

  static keyOf(json: JsonText): string {
    return createHash('sha1').update(jsonBytes(json)).digest('base64');
  }

  get(key: string): KnownReport | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.known;
  }

  put(key: string, known: KnownReport, bytes: number): void {
    if (bytes > this.maxBytes || this.entries.has(key)) return;
    this.entries.set(key, { known, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }
}

let recentReports = new RecentReports(16 * 1024 * 1024);

/** Empties this thread's recent reports (tests: a miss must give what a hit gives). */
export function forgetRecentReports(): void {
  recentReports = new RecentReports(16 * 1024 * 1024);
}

/** The latest version's report: from this thread's recent ones, else parsed (megabytes of JSON at times). */
function reportOf(latest: Latest | null): KnownReport | null {
  if (!latest) return null;
  if (latest.report === undefined) return (latest.reportKey && recentReports.get(latest.reportKey)) || null;
  const key = RecentReports.keyOf(latest.report);
  const known = recentReports.get(key);
  if (known) return known;
  const parsed = { report: parseJson<Report>(latest.report) };
  recentReports.put(key, parsed, latest.report.length);
  return parsed;
}

/**
 * The annex hash of a report this thread made, worked out once: a changed submission's report is compared with the
 * stored one and then kept with its hash for the next comparison. Reports are not changed once made (callers copy).
 */
const madeHashes = new WeakMap<Report, string>();
function madeHash(report: Report): string {
  let h = madeHashes.get(report);
  if (h === undefined) madeHashes.set(report, (h = annexHash(report)));
  return h;
}

/** Whether `next` says what the stored report says (server/domain/content.ts), its annex hash kept for next time. */
function sameAsStored(stored: KnownReport, next: Report): boolean {
  stored.annexHash ??= annexHash(stored.report);
  return sameAnnex(stored.report, next, madeHash(next), stored.annexHash);
}

const annexOrNull = (known: KnownReport | null): Annex | null => (known ? annexOf(known.report) : null);

/** Every task carries an id, no two the same (a sync push whose sheet has its id column filled). */
function idsComplete(annex: Pick<Annex, 'sections'>): boolean {
  const seen = new Set<string>();
  return annex.sections.every((x) => x.tasks.every((t) => !!t.id && !seen.has(t.id) && !!seen.add(t.id)));
}

/**
 * The version to store. Its report is kept among the recent ones: the agency's next submission is compared with
 * it. Nothing changes the report after this (the caller only hands on its bytes).
 */
function checkedOf(grids: Grid[], report: Report, agency?: string, made?: Report): Checked {
  // Above 4 KB, bytes of their own (moved to the main thread); below, copied.
  const reportJson = reportBytes(report, made);
  const reportKey = RecentReports.keyOf(reportJson);
  // Its annex hash, for the next comparison: that of the engine's report, whose task parts are kept.
  recentReports.put(reportKey, { report, annexHash: madeHash(made ?? report) }, reportJson.byteLength);
  const gridsJson = (agency !== undefined && sessions.gridsJson(agency, grids)) || jsonOwnBytes(grids);
  return { gridsJson, reportJson, reportKey, stats: report.stats };
}

async function submitWork(task: Extract<ParseTask, { op: 'submit' }>): Promise<SubmitOutcome> {
  const { grids, fields } = await intakeGrids(task.intake, task.agency);
  if (!grids.length || gridsEmpty(grids)) return { fields, empty: true };
  const hash = contentHash(grids, task.intake.kind === 'json' ? rowPieces : undefined);
  // The same content as the latest version needs no validation: the stored report answers.
  if (task.latest && task.latest.hash === hash) return { fields, hash, duplicate: true };
  // The latest report, before any work: sent by its key and not held here, it is asked for.
  const stored = reportOf(task.latest);
  if (task.latest && !stored) return { fields, hash, needLatest: true };
  const checked = await checkAgencyGrids(task.agency, grids, task.ctx);
  if (checked.stats.tasks === 0) return { fields, hash, noAnnex: noAnnexOf(checked, grids) };
  // Other bytes, same annex and the same verdict: no change (server/domain/content.ts).
  if (stored && sameAsStored(stored, checked)) return { fields, hash, duplicate: true };
  // Stable task ids (docs/SYNC.md): the sheet's own, else the previous version's, else new ones.
  const report = idsComplete(checked)
    ? checked
    : { ...checked, sections: assignTaskIds(annexOf(checked), annexOrNull(stored), newTaskId).annex.sections };
  return { fields, hash, checked: checkedOf(grids, report, task.agency, checked) };
}

async function markWork(task: Extract<ParseTask, { op: 'mark' }>): Promise<MarkOutcome> {
  // Only xlsx can be marked: other formats have no cells of their own to carry colours and notes.
  const { grids, kind } = await readFileDetailed(task.bytes, task.fileName);
  if (kind !== 'xlsx') throw appError('check.not-xlsx', { fileName: task.fileName }, { field: 'file' });
  const report = await checkGrids(grids, task.ctx);
  return { bytes: markXlsx(task.bytes, report.diagnostics, { fileName: task.fileName }).bytes, stats: report.stats };
}

async function syncWork(task: Extract<ParseTask, { op: 'sync' }>): Promise<SyncOutcome> {
  const { grids, fields } = await intakeGrids(task.intake);
  if (!grids.length || gridsEmpty(grids)) return { fields, empty: true };
  const report = await checkAgencyGrids(task.agency, grids, task.ctx);
  // No table, no comparison: an empty "mine" would read as every task deleted.
  if (report.stats.tasks === 0) return { fields, noAnnex: noAnnexOf(report, grids) };
  const mine = annexOf(report);
  const base = fields.baseVersion ?? 0;
  if ((task.latest?.version ?? 0) !== base) return { fields, stale: { mine } };

  const latestReport = reportOf(task.latest);
  const { annex, assigned } = assignTaskIds(mine, annexOrNull(latestReport), newTaskId);
  const stamped = stampTaskIds(grids, mine, assigned);
  const hash = contentHash(stamped.grids);
  const fresh = new Set(assigned.map((a) => `${a.sheet}|${a.row}`));
  const ids = annex.sections
    .flatMap((x) => x.tasks)
    .map((t) => ({
      id: t.id!,
      sheet: t.source.sheet,
      row: t.source.row,
      number: t.number,
      assigned: fresh.has(`${t.source.sheet}|${t.source.row}`),
    }));
  const stored = { ids, idColumn: stamped.idColumn, writes: stamped.writes, hash };
  if (task.latest && task.latest.hash === hash) return { fields, stored: { ...stored, duplicate: true } };
  let final: Report;
  if (stamped.writes.length) {
    // Ids were written into the sheet (new tasks): the stored report is that of the sheet as it now stands.
    final = await checkAgencyGrids(task.agency, stamped.grids, task.ctx);
    if (!idsComplete(final))
      final = { ...final, sections: assignTaskIds(annexOf(final), annex, newTaskId).annex.sections };
  } else {
    // Nothing written: the sheet is the one just read, so its report stands, with the ids given above.
    final = { ...report, sections: annex.sections };
  }
  // Other bytes, same annex and the same verdict: no change, as for a submission.
  if (latestReport && sameAsStored(latestReport, final)) return { fields, stored: { ...stored, duplicate: true } };
  return { fields, stored: { ...stored, duplicate: false, checked: checkedOf(stamped.grids, final, task.agency) } };
}
