// The consolidated provincial report: built from the round's accepted (or latest) versions by the
// engine's consolidate(), stored as JSON, downloadable as xlsx / csv / json.
import { randomUUID } from 'node:crypto';
import type { Annex, Report } from '../../engine/index.js';
import type { AuthUser } from '../auth/index.js';
import { appError } from '../errors.js';
import * as decisions from '../data/decisions.js';
import * as reports from '../data/reports.js';
import * as submissions from '../data/submissions.js';
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
  const annexes = await annexesOf(
    s.db,
    rows.map((r) => ({ submissionId: r.id, version: Number(r.version) })),
  );
  const inputs: ConsolidationInput[] = rows.map((r, i) => {
    const annex = annexes[i];
    return {
      agencyId: r.agency_id,
      agencyName: r.agency_name,
      ...(annex.meta.docNumber ? { docNumber: annex.meta.docNumber } : {}),
      ...(annex.meta.docDate ? { docDate: annex.meta.docDate } : {}),
      annex,
      version: Number(r.version),
      submissionId: r.id,
    };
  });
  let planAnnex;
  if (round.plan_submission_id) {
    const plan = await submissions.latestReportOf(s.db, round.plan_submission_id);
    if (plan) planAnnex = annexOf(JSON.parse(plan.report_json) as Report);
  }
  const today = s.now().toISOString().slice(0, 10);
  const consolidated = await consolidate(inputs, {
    province: round.province,
    date: `${round.year}-01-01`,
    planYear: Number(round.year),
    today,
    ...(planAnnex ? { planAnnex } : {}),
    decisions: await decisionsForBuild(s.db, roundId),
  });
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
  const consolidated_gz = await reports.compressConsolidated(consolidated);
  await s.db.transaction().execute(async (trx) => {
    await reports.insertReport(trx, {
      id,
      round_id: roundId,
      include,
      created_at: at,
      created_by: user.id,
      summary_json: JSON.stringify(summary),
      consolidated_gz,
    });
    await writeAudit(trx, user, at, {
      action: 'report.build',
      targetType: 'report',
      targetId: id,
      roundId,
      detail: { include, agencies: agencies.map((a) => `${a.agencyId}@${a.version}`) },
    });
  });
  return summary;
}

async function lastReport(s: Services, roundId: string) {
  const round = await getRoundRow(s.db, roundId);
  const r = await reports.lastReportOf(s.db, roundId);
  if (!r) throw appError('report.not-built');
  return { round, report: r, consolidated: await reports.consolidatedOf(r) };
}

export async function lastReportSummary(s: Services, roundId: string): Promise<ReportSummary> {
  const { report } = await lastReport(s, roundId);
  return JSON.parse(report.summary_json) as ReportSummary;
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
