// The consolidated provincial report: built from the round's accepted (or latest) versions by the
// engine's consolidate(), stored as JSON, downloadable as xlsx / csv / json.
import { createHash, randomUUID } from 'node:crypto';
import type { Annex, Report } from '../../engine/index.js';
import type { AuthUser } from '../auth/index.js';
import { appError } from '../errors.js';
import * as decisions from '../data/decisions.js';
import * as reports from '../data/reports.js';
import * as submissions from '../data/submissions.js';
import { packSummary, unpackSummary } from '../data/report-pack.js';
import { writeAudit } from './audit.js';
import {
  annexOf,
  consolidate,
  reportWriters,
  type Consolidated,
  type ConsolidationContext,
  type ConsolidationInput,
} from './engine.js';
import { getRoundRow } from './rounds.js';
import { nowIso, type Services } from './services.js';
import { BLANK, type CoverBlock } from '../../templates/official-style.js';

export type Include = 'accepted' | 'latest';

export interface ReportSummary {
  reportId: string;
  roundId: string;
  include: Include;
  createdAt: string;
  agencies: { agencyId: string; agencyName: string; version: number; status: string }[];
  /** The consolidation's own summary (tasks per area, per agency, duplicates…), as the engine returns it. */
  summary: Consolidated['summary'];
  stats: Consolidated['stats'];
  /** Reviewer decisions not applied because a member task's text changed or is gone. */
  staleDecisions: number;
}

/** The reviewer's decisions in force for the round, as consolidate() takes them (oldest first). */
export async function decisionsForBuild(
  db: Services['db'],
  roundId: string,
): Promise<NonNullable<ConsolidationContext['decisions']>> {
  const rows = await decisions.decisionsInForce(db, roundId);
  return rows.map((r) => ({
    group: r.group_id,
    action: r.action,
    members: (JSON.parse(r.members_json) as { agencyId: string; task: string }[]).map((m) => ({
      agencyId: m.agencyId,
      task: m.task,
    })),
  }));
}

/**
 * Annexes of stored versions, parsed once per process: a version never changes once stored, so a rebuild after one
 * agency's new version parses only that one (the 100 × 200-task round: 0.6 s of parsing and 14 MB read per build
 * otherwise). A cache of immutable data, not state: another instance without it reads the same annexes from the
 * database. Bounded; the oldest entry goes first.
 */
const parsedAnnexes = new Map<string, Annex>();
const PARSED_ANNEXES_MAX = 1000;

async function annexesOf(db: Services['db'], versions: { submissionId: string; version: number }[]): Promise<Annex[]> {
  const key = (v: { submissionId: string; version: number }) => `${v.submissionId}@${v.version}`;
  const found = new Map<string, Annex>();
  for (const v of versions) {
    const annex = parsedAnnexes.get(key(v));
    if (annex) found.set(key(v), annex);
  }
  const missing = versions.filter((v) => !found.has(key(v)));
  for (const r of await submissions.reportsOfVersions(db, missing)) {
    const k = key({ submissionId: r.submission_id, version: r.version });
    found.set(k, annexOf(JSON.parse(r.report_json) as Report));
    parsedAnnexes.set(k, found.get(k)!);
    if (parsedAnnexes.size > PARSED_ANNEXES_MAX) parsedAnnexes.delete(parsedAnnexes.keys().next().value!);
  }
  return versions.map((v) => {
    const annex = found.get(key(v));
    if (!annex) throw new Error(`stored version ${key(v)} has no report`);
    return annex;
  });
}

/**
 * What a report is built from, stored with it: the versions (never changed once stored), the reviewer's decisions
 * and the round's settings at the time. The report is derived from them by the same function that built it, so a
 * rebuild stores a few kilobytes instead of the report (tens of megabytes for 100 agencies). Its packed form is
 * written the first time it is read (freezeReport), and from then on that is what is served.
 */
interface BuildInputs {
  inputs: { agencyId: string; agencyName: string; submissionId: string; version: number }[];
  plan?: { submissionId: string; version: number };
  ctx: { province: string; date: string; planYear: number; today: string };
  decisions: NonNullable<ConsolidationContext['decisions']>;
  /** Fingerprint of the report as built: a derivation that gives another report is refused, never served. */
  check: string;
}

async function derive(db: Services['db'], b: Omit<BuildInputs, 'check'>): Promise<Consolidated> {
  const annexes = await annexesOf(db, [...b.inputs, ...(b.plan ? [b.plan] : [])]);
  const inputs: ConsolidationInput[] = b.inputs.map((x, i) => {
    const annex = annexes[i];
    return {
      agencyId: x.agencyId,
      agencyName: x.agencyName,
      ...(annex.meta.docNumber ? { docNumber: annex.meta.docNumber } : {}),
      ...(annex.meta.docDate ? { docDate: annex.meta.docDate } : {}),
      annex,
      version: x.version,
      submissionId: x.submissionId,
    };
  });
  const planAnnex = b.plan ? annexes[b.inputs.length] : undefined;
  return consolidate(inputs, { ...b.ctx, ...(planAnnex ? { planAnnex } : {}), decisions: b.decisions });
}

/** A hash of what the report says (numbering, rows, figures, groups): cheap next to storing the report. */
function fingerprint(c: Consolidated): string {
  const { overdue, ...figures } = c.summary;
  const parts: string[] = [JSON.stringify(c.meta), JSON.stringify(c.stats), JSON.stringify(figures)];
  for (const s of c.sections) {
    parts.push(s.numeral, s.title);
    // Rows in order and which are overdue, with the figures by area, agency and quarter above: what tells a report
    // derived by other code from the one built, at a fraction of the cost of hashing the whole report.
    for (const t of s.tasks) parts.push(t.overdue ? `${t.key}!` : t.key);
  }
  for (const g of c.candidates) {
    parts.push(g.id, g.decision ?? '');
    for (const m of g.members) parts.push(m.at);
  }
  parts.push(String(overdue.length));
  return createHash('sha1').update(parts.join('\u0001')).digest('base64url');
}

/** Reports built by this process and not yet read: the first read stores them packed without deriving again. */
const builtHere = new Map<string, Consolidated>();
const BUILT_HERE_MAX = 1;

export async function buildReport(
  s: Services,
  user: AuthUser,
  roundId: string,
  include: Include,
): Promise<ReportSummary> {
  const round = await getRoundRow(s.db, roundId);
  // The provincial plan is what coverage is checked against, not one of the inputs.
  const rows = await submissions.latestVersionsOfRound(s.db, roundId, {
    ...(include === 'accepted' ? { status: 'accepted' as const } : {}),
    exceptId: round.plan_submission_id,
  });
  if (!rows.length) {
    throw appError('report.no-submissions', {
      which: include === 'accepted' ? ' được chấp nhận' : '',
      whichEn: include === 'accepted' ? 'accepted' : 'latest',
    });
  }
  const plan = round.plan_submission_id ? await submissions.latestVersionOf(s.db, round.plan_submission_id) : undefined;
  const build: Omit<BuildInputs, 'check'> = {
    inputs: rows.map((r) => ({
      agencyId: r.agency_id,
      agencyName: r.agency_name,
      submissionId: r.id,
      version: Number(r.version),
    })),
    ...(plan && round.plan_submission_id
      ? { plan: { submissionId: round.plan_submission_id, version: Number(plan.version) } }
      : {}),
    ctx: {
      province: round.province,
      date: `${round.year}-01-01`,
      planYear: Number(round.year),
      today: s.now().toISOString().slice(0, 10),
    },
    decisions: await decisionsForBuild(s.db, roundId),
  };
  const consolidated = await derive(s.db, build);
  const id = randomUUID();
  const at = nowIso(s);
  const agencies = rows.map((r) => ({
    agencyId: r.agency_id,
    agencyName: r.agency_name,
    version: Number(r.version),
    status: r.status,
  }));
  const summary: ReportSummary = {
    reportId: id,
    roundId,
    include,
    createdAt: at,
    agencies,
    summary: consolidated.summary,
    stats: consolidated.stats,
    staleDecisions: consolidated.staleDecisions.length,
  };
  const inputs: BuildInputs = { ...build, check: fingerprint(consolidated) };
  await s.db.transaction().execute(async (trx) => {
    await reports.insertReport(trx, {
      id,
      round_id: roundId,
      include,
      created_at: at,
      created_by: user.id,
      summary_json: JSON.stringify(packSummary(summary)),
      consolidated_gz: null,
      inputs_json: JSON.stringify(inputs),
    });
    await writeAudit(trx, user, at, {
      action: 'report.build',
      targetType: 'report',
      targetId: id,
      roundId,
      detail: { include, agencies: agencies.map((a) => `${a.agencyId}@${a.version}`) },
    });
  });
  builtHere.set(id, consolidated);
  if (builtHere.size > BUILT_HERE_MAX) builtHere.delete(builtHere.keys().next().value!);
  return summary;
}

/**
 * The consolidated report of a stored report row. One stored packed (or, built before, as plain JSON) is read as it
 * was stored. One stored as its inputs is derived (or taken from this process's build), checked against the
 * fingerprint taken when it was built, and stored packed before it is served: what is read once is what is read
 * from then on, whatever a later version of the software would derive.
 */
export async function consolidatedOfReport(
  db: Services['db'],
  row: Awaited<ReturnType<typeof reports.lastReportOf>> & object,
): Promise<Consolidated> {
  if (row.consolidated_gz?.length || row.consolidated_json || !row.inputs_json) return reports.consolidatedOf(row);
  const b = JSON.parse(row.inputs_json) as BuildInputs;
  let c = builtHere.get(row.id);
  if (!c) {
    c = await derive(db, b);
    if (fingerprint(c) !== b.check) throw appError('report.outdated');
  }
  const { gz, json } = await reports.packedConsolidated(c);
  await reports.storePacked(db, row.id, gz);
  builtHere.delete(row.id);
  return reports.unpackedConsolidated(json);
}

/** The round and its last report row (the round must exist; a round without a report is refused). */
async function lastReportRow(s: Services, roundId: string) {
  const round = await getRoundRow(s.db, roundId);
  const report = await reports.lastReportOf(s.db, roundId);
  if (!report) throw appError('report.not-built');
  return { round, report };
}

async function lastReport(s: Services, roundId: string) {
  const { round, report } = await lastReportRow(s, roundId);
  return { round, report, consolidated: await consolidatedOfReport(s.db, report) };
}

export async function lastReportSummary(s: Services, roundId: string): Promise<ReportSummary> {
  // The summary only: the consolidated report is neither read nor derived.
  const { report } = await lastReportRow(s, roundId);
  return unpackSummary(JSON.parse(report.summary_json)) as ReportSummary;
}

export type ReportFormat = 'xlsx' | 'csv' | 'json' | 'docx';

/** The NĐ 30 cover block asked for with a download: off unless `cover` is set; the other fields fill its blanks. */
export interface ReportCoverOptions {
  cover?: boolean;
  number?: string;
  /** ISO date of issue. */
  date?: string;
  /** The issuing body; by default the province's people's committee. */
  issuer?: string;
  parent?: string;
  recipients?: string[];
}

export async function reportFile(
  s: Services,
  roundId: string,
  format: ReportFormat,
  coverOpts: ReportCoverOptions = {},
): Promise<{ body: Buffer | string; contentType: string; fileName: string }> {
  const { round, consolidated } = await lastReport(s, roundId);
  const provinceName = (consolidated as Consolidated).meta?.provinceName;
  const cover: CoverBlock | undefined = coverOpts.cover
    ? {
        issuer: coverOpts.issuer || (provinceName ? `UBND tỉnh ${provinceName}` : BLANK),
        parent: coverOpts.parent || undefined,
        place: provinceName,
        number: coverOpts.number,
        date: coverOpts.date,
        recipients: coverOpts.recipients?.length ? coverOpts.recipients : undefined,
      }
    : undefined;
  const base = `Tong-hop-${round.title}`.replace(/[\\/:*?"<>|]+/g, '-');
  if (format === 'json') {
    const json = reportWriters().consolidatedToJson(consolidated as Consolidated);
    return {
      body: typeof json === 'string' ? json : JSON.stringify(json, null, 2),
      contentType: 'application/json; charset=utf-8',
      fileName: `${base}.json`,
    };
  }
  const writers = reportWriters();
  if (format === 'csv') {
    return {
      body: writers.consolidatedToCsv(consolidated as Consolidated),
      contentType: 'text/csv; charset=utf-8',
      fileName: `${base}.csv`,
    };
  }
  if (format === 'docx') {
    const { writeConsolidatedDocx } = await import('../../io/docx-write.js');
    const doc = await writeConsolidatedDocx(consolidated as Consolidated, {
      title: `Tổng hợp nhiệm vụ ${round.title}`,
      cover,
    });
    return {
      body: Buffer.from(doc),
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      fileName: `${base}.docx`,
    };
  }
  const buf = await writers.writeConsolidatedXlsx(consolidated as Consolidated, { cover });
  return {
    body: Buffer.from(buf),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: `${base}.xlsx`,
  };
}
