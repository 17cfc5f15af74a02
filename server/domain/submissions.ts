// Submissions: an agency's annex for a round. Every accepted upload is a new version; the same content
// again is the same version; versions are numbered 1..n without gaps under a unique constraint, in one
// transaction with the audit row, so a crash or a race never leaves anything half-written.
import type { VersionInfo, CommentView, SubmissionView } from '../../contracts/index.js';
import { randomUUID } from 'node:crypto';
import type { Grid, Report } from '../../engine/index.js';
import type { AuthUser } from '../auth/index.js';
import { assertAgencyAccess, isReviewer } from '../auth/index.js';
import { isRetryable, type Db, type SubmissionsTable, type SubmissionStatus } from '../db/index.js';
import * as repo from '../data/submissions.js';
import { appError } from '../errors.js';
import { writeAudit } from './audit.js';
import { annexHash, annexUnchanged, contentHash, gridsEmpty } from './content.js';
import { diffAnnexes, type AnnexDiff } from './diff.js';
import { annexOf, checkGrids } from './engine.js';
import { agencyFor } from './agency.js';
import { getRoundRow } from './rounds.js';
import { annotateTaskIds } from './task-ids.js';
import { nowIso, type Services } from './services.js';

export interface SubmitInput {
  grids: Grid[];
  source: string;
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
  /** The report as stored (JSON), so the route can answer without re-serialising it. */
  reportJson: string;
}

/** A result whose report is parsed only if someone reads it (duplicates are answered from the JSON). */
function storedResult(r: Omit<SubmitResult, 'report'>): SubmitResult {
  let parsed: Report | undefined;
  return {
    ...r,
    get report() {
      parsed ??= JSON.parse(r.reportJson) as Report;
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

export async function submit(s: Services, user: AuthUser, roundId: string, input: SubmitInput): Promise<SubmitResult> {
  const round = await getRoundRow(s.db, roundId);
  assertOpen(round);
  const agency = await agencyFor(s, user, roundId, input.agencyId, { expectedOnly: true });
  if (!input.grids.length || gridsEmpty(input.grids))
    throw appError('submission.empty', {}, input.fileName ? { file: input.fileName } : undefined);
  const hash = contentHash(input.grids);

  // Fast path: the same grids as the latest version need no validation and no write.
  const existing = await repo.submissionOf(s.db, roundId, agency.id);
  const latestBefore = existing
    ? await latestVersionRow(s.db, existing.id, Number(existing.latest_version))
    : undefined;
  if (existing && latestBefore && latestBefore.content_hash === hash) {
    return storedResult({
      submissionId: existing.id,
      version: Number(latestBefore.version),
      duplicate: true,
      status: existing.status,
      reportJson: latestBefore.report_json,
    });
  }
  const currentVersion = existing ? Number(existing.latest_version) : 0;
  if (input.baseVersion !== undefined && input.baseVersion !== currentVersion) {
    throw appError('submission.stale', { baseVersion: input.baseVersion, latestVersion: currentVersion });
  }

  // The engine's verdict, outside the transaction (it is the slow part).
  const report = await checkGrids(input.grids, {
    province: round.province,
    planYear: Number(round.year),
    date: `${round.year}-01-01`,
  });
  if (report.stats.tasks === 0) throw noAnnex(report, input);
  // Different grids, same annex (re-saved xlsx, CSV with a BOM or in another encoding, an export read back): no change.
  const annexKey = annexHash(report);
  // A fix the officer made outside the table's words (an HTML tag removed from a line) changes what the check
  // says: that is a new version, even when the annex reads the same.
  const problems = (r: Report) =>
    r.diagnostics
      .filter((d) => d.severity !== 'info')
      .map((d) => d.code)
      .sort()
      .join(' ');
  const sameAnnex = (row: { report_json: string }) => {
    const stored = JSON.parse(row.report_json) as Report;
    return annexUnchanged(stored, report, annexKey) && problems(stored) === problems(report);
  };
  if (existing && latestBefore && sameAnnex(latestBefore)) {
    return storedResult({
      submissionId: existing.id,
      version: Number(latestBefore.version),
      duplicate: true,
      status: existing.status,
      reportJson: latestBefore.report_json,
    });
  }
  await annotateTaskIds(s.db, existing, report); // stable task ids (docs/SYNC.md)

  const reportJson = JSON.stringify(report);
  const gridsJson = JSON.stringify(input.grids);
  for (let attempt = 1; ; attempt++) {
    try {
      return await s.db.transaction().execute(async (trx) => {
        const at = nowIso(s);
        const r = await getRoundRow(trx, roundId);
        assertOpen(r);
        // PostgreSQL: hold the submission row so racing resubmissions queue instead of colliding.
        const sub = await repo.submissionOf(trx, roundId, agency.id, s.dialect === 'postgres');
        let submissionId: string;
        let version: number;
        if (sub) {
          submissionId = sub.id;
          const latest = await latestVersionRow(trx, sub.id, Number(sub.latest_version));
          if (
            latest &&
            (latest.content_hash === hash ||
              (Number(latest.version) !== Number(latestBefore?.version) && sameAnnex(latest)))
          ) {
            return storedResult({
              submissionId: sub.id,
              version: Number(latest.version),
              duplicate: true,
              status: sub.status,
              reportJson: latest.report_json,
            });
          }
          if (input.baseVersion !== undefined && input.baseVersion !== Number(sub.latest_version)) {
            throw appError('submission.stale', {
              baseVersion: input.baseVersion,
              latestVersion: Number(sub.latest_version),
            });
          }
          version = (await repo.maxVersion(trx, sub.id)) + 1;
        } else {
          if (input.baseVersion !== undefined && input.baseVersion !== 0) {
            throw appError('submission.stale', { baseVersion: input.baseVersion, latestVersion: 0 });
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
        await repo.insertVersion(trx, {
          submission_id: submissionId,
          version,
          content_hash: hash,
          created_at: at,
          created_by: user.id,
          source: input.source,
          file_name: input.fileName ?? null,
          grids_json: gridsJson,
          report_json: reportJson,
          tasks: report.stats.tasks,
          errors: report.stats.errors,
          warnings: report.stats.warnings,
          infos: report.stats.infos,
        });
        await s.hooks.afterVersionInsert?.({ submissionId, version });
        await repo.updateSubmission(trx, submissionId, {
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
            source: input.source,
            fileName: input.fileName ?? null,
            contentHash: hash,
            tasks: report.stats.tasks,
            errors: report.stats.errors,
            warnings: report.stats.warnings,
          },
        });
        return { submissionId, version, duplicate: false, status: 'submitted' as const, report, reportJson };
      });
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

function noAnnex(report: Report, input: SubmitInput) {
  const d =
    report.diagnostics.find((x) => x.code === 'header.not-found') ??
    report.diagnostics.find((x) => x.severity === 'error');
  const sheet = d?.location.sheet;
  const where = sheet ? `trang tính "${sheet}"` : input.fileName ? `tệp "${input.fileName}"` : 'dữ liệu gửi lên';
  const hint =
    d?.hint ??
    (report.diagnostics.some((x) => x.code === 'header.not-found')
      ? ''
      : 'Bảng đã có dòng tiêu đề nhưng chưa có nhiệm vụ nào: nhập ít nhất một nhiệm vụ dưới dòng tiêu đề.');
  return appError(
    'submission.no-annex',
    { where, hint },
    {
      ...(input.fileName ? { file: input.fileName } : {}),
      ...(sheet ? { sheet } : {}),
      ...(d?.location.cell ? { cell: d.location.cell } : {}),
    },
    { diagnostics: report.diagnostics.slice(0, 20) },
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
}> {
  await readable(s, user, submissionId);
  const v = await repo.versionContent(s.db, submissionId, version);
  if (!v) throw appError('version.not-found', { version });
  const report = JSON.parse(v.report_json) as Report;
  return {
    submissionId,
    version: Number(v.version),
    annex: annexOf(report),
    report,
    grids: JSON.parse(v.grids_json) as Grid[],
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
