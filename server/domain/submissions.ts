// Submissions: an agency's annex for a round. Every accepted upload is a new version; the same content
// again is the same version; versions are numbered 1..n without gaps under a unique constraint, in one
// transaction with the audit row, so a crash or a race never leaves anything half-written.
import type { VersionInfo, CommentView, SubmissionView } from '../../contracts/index.js';
import { randomUUID } from 'node:crypto';
import type { Grid, Report } from '../../engine/index.js';
import type { AuthUser } from '../auth/index.js';
import { assertAgencyAccess, isReviewer } from '../auth/index.js';
import { isRetryable, type Db, type RoundsTable, type SubmissionsTable, type SubmissionStatus } from '../db/index.js';
import * as repo from '../data/submissions.js';
import { appError } from '../errors.js';
import { writeAudit } from './audit.js';
import { sameAnnex } from './content.js';
import { diffAnnexes, type AnnexDiff } from './diff.js';
import { annexOf } from './engine.js';
import { parseJson, type JsonText } from './json-text.js';
import { xlsxRowsOf } from '../../io/annex-rows.js';
import { ParsePool } from '../parse/pool.js';
import type { BodyFields, CheckContext, Checked, Intake, Latest, NoAnnex, ParseTask } from '../parse/work.js';
import { agencyFor } from './agency.js';
import { getRoundRow } from './rounds.js';
import { nowIso, type Services } from './services.js';

export interface SubmitInput {
  /** The content as grids (in-process callers); otherwise `intake` says what the parse worker reads. */
  grids?: Grid[];
  intake?: Intake;
  /** Request fields; a JSON body's own fields fill those not given here. */
  source?: string;
  fileName?: string | null;
  baseVersion?: number;
  /** Reviewers/admins may submit for an agency (e.g. the provincial plan); agencies always submit as themselves. */
  agencyId?: string;
}

export interface SubmitResult {
  submissionId: string;
  version: number;
  duplicate: boolean;
  status: SubmissionStatus;
  report: Report;
  /** The report as stored (JSON text or its bytes), so the route can answer without re-serialising it. */
  reportJson: JsonText;
}

/** A result whose report is parsed only if someone reads it (duplicates are answered from the JSON). */
function storedResult(r: Omit<SubmitResult, 'report'>): SubmitResult {
  let parsed: Report | undefined;
  return {
    ...r,
    get report() {
      parsed ??= parseJson<Report>(r.reportJson);
      return parsed;
    },
  };
}

const MAX_ATTEMPTS = 8;

export async function getSubmissionRow(db: Db, submissionId: string): Promise<SubmissionsTable> {
  const row = await repo.findSubmission(db, submissionId);
  if (!row) throw appError('submission.not-found', { submissionId });
  return row;
}

function assertOpen(round: { locked: number; title: string }): void {
  if (Number(round.locked) === 1) throw appError('round.locked', { title: round.title });
}

const latestVersionRow = repo.versionRow;

/** The checks that do not need the content: round exists and is open, the user may submit for the agency. */
export async function preflight(
  s: Services,
  user: AuthUser,
  roundId: string,
  agencyId?: string,
): Promise<{ id: string; name: string }> {
  assertOpen(await getRoundRow(s.db, roundId));
  return agencyFor(s, user, roundId, agencyId, { expectedOnly: true });
}

/** The parse pool of the services, or one that runs on the calling thread (scripts and domain tests). */
const INLINE = new ParsePool({ inline: true });
export const parserOf = (s: Services): ParsePool => s.parse ?? INLINE;

/** How messages name the input. */
export const labelOf = (intake: Intake, fileName?: string | null): string =>
  intake.kind === 'file'
    ? intake.fileName
    : (fileName ?? (intake.kind === 'sheet' ? 'bảng tính Google' : 'dữ liệu gửi lên'));

export const checkContext = (round: { province: string; year: number | string }): CheckContext => ({
  province: round.province,
  planYear: Number(round.year),
  date: `${round.year}-01-01`,
});

/** The request's fields: those the caller gave, else those of the JSON body. */
function fieldsOf(input: SubmitInput, body: BodyFields, fallbackSource: string) {
  return {
    source: input.source ?? body.source ?? fallbackSource,
    fileName: input.fileName ?? body.fileName ?? null,
    baseVersion: input.baseVersion ?? body.baseVersion,
    agencyId: input.agencyId ?? body.agencyId,
  };
}

/**
 * Which agency submits, and its latest version. A reviewer's JSON body may name the agency, so its fields
 * are read first (in the pool); an agency account always submits as itself, and a body naming another
 * agency is refused once read.
 */
export async function submitterOf(
  s: Services,
  user: AuthUser,
  roundId: string,
  input: SubmitInput,
  intake: Intake,
  opts: {
    /** The latest report by its key when this server stored it (see storedVersions); else read. */
    byKey?: boolean;
    /** The round's row, read already by the caller. */
    round?: RoundsTable;
  } = {},
) {
  let body: BodyFields = {};
  if (intake.kind === 'json' && isReviewer(user) && input.agencyId === undefined) {
    body = (await parserOf(s).run(user.id, labelOf(intake, input.fileName), { op: 'fields', intake })).fields;
  }
  const agency = await agencyFor(s, user, roundId, input.agencyId ?? body.agencyId, {
    expectedOnly: true,
    round: opts.round,
  });
  const existing = await repo.submissionOf(s.db, roundId, agency.id);
  const known =
    opts.byKey && existing ? storedVersions.get(storedKey(existing.id, Number(existing.latest_version))) : null;
  const latest: Latest | null =
    existing && known
      ? { version: Number(existing.latest_version), ...known }
      : existing
        ? await latestOf(s, existing)
        : null;
  return { agency, existing, latest };
}

/** A submission's latest version with its report (read from the database). */
async function latestOf(s: Services, sub: SubmissionsTable): Promise<(Latest & { report: JsonText }) | null> {
  const row = await repo.versionReport(s.db, s.dialect, sub.id, Number(sub.latest_version));
  return row ? { version: Number(row.version), hash: row.content_hash, report: row.report } : null;
}

/**
 * Versions this server stored lately: (submission, version) → its content hash and the key of its report in the
 * parse thread that made it (Checked.reportKey). Only a cache: a version row never changes once committed, so an
 * entry stays true; a submission whose latest version is here sends the worker the key instead of reading the
 * report (tens of KB) from the database, and reads it only if the worker no longer holds it.
 */
const storedVersions = new Map<string, { hash: string; reportKey: string }>();
const STORED_VERSIONS_MAX = 4096;
const storedKey = (submissionId: string, version: number) => `${submissionId}\u0001${version}`;

function rememberStored(submissionId: string, version: number, hash: string, reportKey: string): void {
  if (storedVersions.size >= STORED_VERSIONS_MAX) storedVersions.delete(storedVersions.keys().next().value!);
  storedVersions.set(storedKey(submissionId, version), { hash, reportKey });
}

/**
 * A submission or a sync push read in the parse pool: who submits, their latest version, and what the pool made
 * of the input (read, hashed and, unless it is the latest content again, validated, once).
 */
export async function readInPool<Op extends 'submit' | 'sync'>(
  s: Services,
  user: AuthUser,
  round: RoundsTable,
  input: SubmitInput,
  op: Op,
) {
  const intake: Intake = input.intake ?? { kind: 'grids', grids: input.grids ?? [] };
  const who = await submitterOf(s, user, round.id, input, intake, { byKey: op === 'submit', round });
  // The agency's tasks go to the thread that keeps its validation session (server/parse/sessions.ts).
  const agency = `${round.id}\u0001${who.agency.id}`;
  const taskOf = (latest: Latest | null) =>
    ({ op, intake, ctx: checkContext(round), latest, agency }) as Extract<ParseTask, { op: Op }>;
  let out = await parserOf(s).run(user.id, labelOf(intake, input.fileName), taskOf(who.latest));
  if ('submit' in out && out.submit.needLatest && who.existing) {
    // The thread no longer holds the latest report it was sent the key of: again, with the report.
    who.latest = await latestOf(s, who.existing);
    out = await parserOf(s).run(user.id, labelOf(intake, input.fileName), taskOf(who.latest));
  }
  // A sync push's latest version always comes with its report (only submissions send a key).
  type LatestOf = Op extends 'sync' ? (Latest & { report: JsonText }) | null : Latest | null;
  return { ...who, latest: who.latest as LatestOf, out };
}

export async function submit(s: Services, user: AuthUser, roundId: string, input: SubmitInput): Promise<SubmitResult> {
  const round = await getRoundRow(s.db, roundId);
  assertOpen(round);
  const { agency, existing, latest, out: read } = await readInPool(s, user, round, input, 'submit');
  const out = read.submit;
  const f = fieldsOf(input, out.fields, 'api');
  if (f.agencyId !== undefined && f.agencyId !== agency.id)
    await agencyFor(s, user, roundId, f.agencyId, { expectedOnly: true });
  if (out.empty) throw appError('submission.empty', {}, f.fileName ? { file: f.fileName } : undefined);
  if (out.duplicate && existing && latest) {
    return storedResult({
      submissionId: existing.id,
      version: latest.version,
      duplicate: true,
      status: existing.status,
      // Sent to the worker by its key: read now, to answer with.
      reportJson: latest.report ?? (await latestOf(s, existing))?.report ?? '{}',
    });
  }
  const currentVersion = existing ? Number(existing.latest_version) : 0;
  if (f.baseVersion !== undefined && f.baseVersion !== currentVersion) {
    throw appError('submission.stale', { baseVersion: f.baseVersion, latestVersion: currentVersion });
  }
  if (out.noAnnex || !out.checked || !out.hash) throw noAnnex(out.noAnnex ?? { diagnostics: [] }, f.fileName);
  return storeVersion(s, user, roundId, agency, {
    hash: out.hash,
    checked: out.checked,
    source: f.source,
    fileName: f.fileName,
    baseVersion: f.baseVersion,
    comparedWith: latest?.version ?? 0,
  });
}

export interface NewVersion {
  hash: string;
  checked: Checked;
  source: string;
  fileName: string | null;
  baseVersion?: number;
  /** The version the worker compared the content with (0: none), so a version landed since is compared again. */
  comparedWith: number;
}

/**
 * Writes a checked version: numbered after the latest under the row lock, with its audit row, in one
 * transaction (retried on serialisation failures). The same content as the latest (a racing twin) is
 * answered as a duplicate; a base that is no longer the latest is refused.
 */
export async function storeVersion(
  s: Services,
  user: AuthUser,
  roundId: string,
  agency: { id: string; name: string },
  v: NewVersion,
): Promise<SubmitResult> {
  const { hash, checked } = v;
  const stats = checked.stats;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await s.db.transaction().execute(async (trx) => {
        const at = nowIso(s);
        const r = await getRoundRow(trx, roundId);
        assertOpen(r);
        // PostgreSQL: hold the submission row so racing resubmissions queue instead of colliding.
        const sub = await repo.submissionOf(trx, roundId, agency.id, s.dialect === 'postgres');
        let submissionId: string;
        let version: number;
        if (sub) {
          submissionId = sub.id;
          const latestVersion = Number(sub.latest_version);
          const latestHash = await repo.versionHash(trx, sub.id, latestVersion);
          // A racing twin: the same bytes, or (when another version landed after the worker compared) the
          // same annex in other bytes. The stored report (tens of KB) is read only when it answers or is compared.
          let twin: Awaited<ReturnType<typeof latestVersionRow>>;
          if (latestHash === hash) twin = await latestVersionRow(trx, sub.id, latestVersion);
          else if (latestHash !== undefined && latestVersion !== v.comparedWith) {
            const row = await latestVersionRow(trx, sub.id, latestVersion);
            if (row && sameAnnex(JSON.parse(row.report_json) as Report, parseJson<Report>(checked.reportJson)))
              twin = row;
          }
          if (twin) {
            return storedResult({
              submissionId: sub.id,
              version: Number(twin.version),
              duplicate: true,
              status: sub.status,
              reportJson: twin.report_json,
            });
          }
          if (v.baseVersion !== undefined && v.baseVersion !== Number(sub.latest_version)) {
            throw appError('submission.stale', {
              baseVersion: v.baseVersion,
              latestVersion: Number(sub.latest_version),
            });
          }
          version = (await repo.maxVersion(trx, sub.id)) + 1;
        } else {
          if (v.baseVersion !== undefined && v.baseVersion !== 0) {
            throw appError('submission.stale', { baseVersion: v.baseVersion, latestVersion: 0 });
          }
          submissionId = randomUUID();
          version = 1;
          await repo.insertSubmission(trx, {
            id: submissionId,
            round_id: roundId,
            agency_id: agency.id,
            agency_name: agency.name,
            status: 'submitted',
            latest_version: 1,
            first_submitted_at: at,
            updated_at: at,
          });
        }
        await repo.insertVersion(trx, s.dialect, {
          submission_id: submissionId,
          version,
          content_hash: hash,
          created_at: at,
          created_by: user.id,
          source: v.source,
          file_name: v.fileName,
          grids_json: checked.gridsJson,
          report_json: checked.reportJson,
          tasks: stats.tasks,
          errors: stats.errors,
          warnings: stats.warnings,
          infos: stats.infos,
        });
        await s.hooks.afterVersionInsert?.({ submissionId, version });
        await repo.setLatest(trx, submissionId, {
          latest_version: version,
          status: 'submitted',
          updated_at: at,
        });
        await writeAudit(trx, user, at, {
          action: 'submission.submit',
          targetType: 'submission',
          targetId: submissionId,
          roundId,
          agencyId: agency.id,
          detail: {
            version,
            source: v.source,
            fileName: v.fileName,
            contentHash: hash,
            tasks: stats.tasks,
            errors: stats.errors,
            warnings: stats.warnings,
          },
        });
        return storedResult({
          submissionId,
          version,
          duplicate: false,
          status: 'submitted' as const,
          reportJson: checked.reportJson,
        });
      });
      // Committed: the next submission may send the worker the report's key instead of the report.
      if (!result.duplicate) rememberStored(result.submissionId, result.version, hash, checked.reportKey);
      return result;
    } catch (err) {
      if (attempt < MAX_ATTEMPTS && isRetryable(err)) {
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
        continue;
      }
      if (isRetryable(err)) throw appError('submission.conflict');
      throw err;
    }
  }
}

/** "No annex table found", saying where and what to do, from the diagnostics that explain it. */
export function noAnnex(found: NoAnnex, fileName?: string | null) {
  const d =
    found.diagnostics.find((x) => x.code === 'header.not-found') ??
    found.diagnostics.find((x) => x.severity === 'error');
  const sheet = d?.location.sheet;
  const where = sheet ? `trang tính "${sheet}"` : fileName ? `tệp "${fileName}"` : 'dữ liệu gửi lên';
  const hint =
    d?.hint ??
    (found.diagnostics.some((x) => x.code === 'header.not-found')
      ? ''
      : 'Bảng đã có dòng tiêu đề nhưng chưa có nhiệm vụ nào: nhập ít nhất một nhiệm vụ dưới dòng tiêu đề.');
  return appError(
    'submission.no-annex',
    { where, hint },
    {
      ...(fileName ? { file: fileName } : {}),
      ...(sheet ? { sheet } : {}),
      ...(d?.location.cell ? { cell: d.location.cell } : {}),
    },
    { diagnostics: found.diagnostics.slice(0, 20) },
  );
}

const view = (r: SubmissionsTable): SubmissionView => ({
  id: r.id,
  roundId: r.round_id,
  agencyId: r.agency_id,
  agencyName: r.agency_name,
  status: r.status,
  latestVersion: Number(r.latest_version),
  firstSubmittedAt: r.first_submitted_at,
  updatedAt: r.updated_at,
});

async function readable(s: Services, user: AuthUser, submissionId: string): Promise<SubmissionsTable> {
  const row = await getSubmissionRow(s.db, submissionId);
  assertAgencyAccess(user, row.agency_id, row.agency_name);
  return row;
}

export async function getSubmission(
  s: Services,
  user: AuthUser,
  submissionId: string,
): Promise<SubmissionView & { versions: VersionInfo[]; comments: CommentView[] }> {
  const row = await readable(s, user, submissionId);
  const versions = await repo.versionsWithAuthors(s.db, submissionId);
  const comments = await repo.commentsWithAuthors(s.db, submissionId);
  return {
    ...view(row),
    versions: versions.map((v) => ({
      version: Number(v.version),
      createdAt: v.created_at,
      createdBy: { id: v.uid, username: v.username, displayName: v.display_name },
      contentHash: v.content_hash,
      source: v.source,
      fileName: v.file_name,
      stats: { tasks: Number(v.tasks), errors: Number(v.errors), warnings: Number(v.warnings), infos: Number(v.infos) },
    })),
    comments: comments.map((c) => ({
      id: c.id,
      version: Number(c.version),
      kind: c.kind,
      text: c.text,
      row: c.row === null ? null : Number(c.row),
      column: c.col === null ? null : Number(c.col),
      author: c.display_name,
      createdAt: c.created_at,
    })),
  };
}

export async function getVersion(
  s: Services,
  user: AuthUser,
  submissionId: string,
  version: number,
): Promise<{
  submissionId: string;
  version: number;
  annex: ReturnType<typeof annexOf>;
  report: Report;
  grids: Grid[];
  xlsxRows: ReturnType<typeof xlsxRowsOf>;
}> {
  await readable(s, user, submissionId);
  const v = await repo.versionContent(s.db, submissionId, version);
  if (!v) throw appError('version.not-found', { version });
  const report = JSON.parse(v.report_json) as Report;
  const annex = annexOf(report);
  return {
    submissionId,
    version: Number(v.version),
    annex,
    report,
    grids: JSON.parse(v.grids_json) as Grid[],
    xlsxRows: xlsxRowsOf(annex),
  };
}

export async function diffVersions(
  s: Services,
  user: AuthUser,
  submissionId: string,
  from: number,
  to: number,
): Promise<{ submissionId: string; from: number; to: number } & AnnexDiff> {
  const a = await getVersion(s, user, submissionId, from);
  const b = await getVersion(s, user, submissionId, to);
  return { submissionId, from, to, ...diffAnnexes(a.annex, b.annex) };
}

export async function listLatest(
  s: Services,
  user: AuthUser,
  roundId: string,
): Promise<(SubmissionView & VersionInfo['stats'] & { submittedAt: string })[]> {
  await getRoundRow(s.db, roundId);
  const rows = await repo.latestOfRound(s.db, roundId, isReviewer(user) ? {} : { agencyId: user.agencyId ?? '' });
  return rows.map((r) => ({
    ...view(r),
    submittedAt: r.submitted_at,
    tasks: Number(r.tasks),
    errors: Number(r.errors),
    warnings: Number(r.warnings),
    infos: Number(r.infos),
  }));
}

export interface ReviewInput {
  comment?: string;
  comments?: { row: number; column?: number; text: string }[];
  /** The version the reviewer looked at; refused if a newer one arrived meanwhile. */
  version: number;
}

async function review(
  s: Services,
  user: AuthUser,
  submissionId: string,
  action: 'return' | 'accept',
  input: ReviewInput,
): Promise<SubmissionView> {
  return s.db.transaction().execute(async (trx) => {
    // Hold the row (PostgreSQL) so that a resubmission cannot slip in between this check and the update.
    const sub = await repo.lockSubmission(trx, submissionId, s.dialect === 'postgres');
    if (!sub) throw appError('submission.not-found', { submissionId });
    const round = await getRoundRow(trx, sub.round_id);
    assertOpen(round);
    const latest = Number(sub.latest_version);
    if (input.version !== latest) {
      throw appError('submission.stale', { baseVersion: input.version, latestVersion: latest });
    }
    const at = nowIso(s);
    const status: SubmissionStatus = action === 'return' ? 'returned' : 'accepted';
    await repo.updateSubmission(trx, submissionId, { status, updated_at: at });
    const all = [
      ...(input.comment?.trim()
        ? [{ row: null as number | null, column: null as number | null, text: input.comment.trim() }]
        : []),
      ...(input.comments ?? []).map((c) => ({ row: c.row, column: c.column ?? null, text: c.text })),
    ];
    await repo.insertComments(
      trx,
      all.map((c, seq) => ({
        id: randomUUID(),
        submission_id: submissionId,
        version: latest,
        author_id: user.id,
        kind: action,
        text: c.text,
        row: c.row,
        col: c.column,
        seq,
        created_at: at,
      })),
    );
    await writeAudit(trx, user, at, {
      action: `submission.${action}`,
      targetType: 'submission',
      targetId: submissionId,
      roundId: sub.round_id,
      agencyId: sub.agency_id,
      detail: { version: latest, comment: input.comment ?? null, comments: input.comments?.length ?? 0 },
    });
    return view(await getSubmissionRow(trx, submissionId));
  });
}

export const returnSubmission = (s: Services, user: AuthUser, id: string, input: ReviewInput) =>
  review(s, user, id, 'return', input);
export const acceptSubmission = (s: Services, user: AuthUser, id: string, input: ReviewInput) =>
  review(s, user, id, 'accept', input);

// The answers' shapes live in the contract (contracts/), which clients share.
export type { VersionInfo, CommentView, SubmissionView };
