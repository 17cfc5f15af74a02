// Reporting rounds ("đợt báo cáo"): opened by Sở Nội vụ for a year and a province with a deadline and
// the agencies expected to submit; the status table says who submitted, on time or late, with how many
// errors, and who is missing.
import type { RoundView, AgencyStatusRow, RoundSummary } from '../../contracts/index.js';
import { randomUUID } from 'node:crypto';
import type { AuthUser } from '../auth/index.js';
import { isReviewer } from '../auth/index.js';
import type { Db, RoundsTable, SubmissionStatus } from '../db/index.js';
import { appError } from '../errors.js';
import * as rounds from '../data/rounds.js';
import * as submissions from '../data/submissions.js';
import { writeAudit } from './audit.js';
import { nowIso, type Services } from './services.js';

export interface RoundInput {
  title: string;
  year: number;
  province: string;
  /** ISO date (end of that day, Vietnam time) or ISO date-time. */
  deadline: string;
  expected: { id: string; name: string }[];
  planSubmissionId?: string | null;
}

export type AgencyStatus = SubmissionStatus | 'missing';

/** The deadline instant: a bare date means the end of that day in Vietnam (UTC+7). */
export function deadlineInstant(deadline: string): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(deadline)) return new Date(`${deadline}T23:59:59.999+07:00`);
  return new Date(deadline);
}

export function toRoundView(r: RoundsTable): RoundView {
  return {
    id: r.id,
    title: r.title,
    year: Number(r.year),
    province: r.province,
    deadline: r.deadline,
    locked: Number(r.locked) === 1,
    lockedAt: r.locked_at,
    planSubmissionId: r.plan_submission_id,
    createdAt: r.created_at,
  };
}

export async function getRoundRow(db: Db, roundId: string): Promise<RoundsTable> {
  const r = await rounds.findRound(db, roundId);
  if (!r) throw appError('round.not-found', { roundId });
  return r;
}

export async function createRound(s: Services, user: AuthUser, input: RoundInput): Promise<RoundView> {
  if (Number.isNaN(deadlineInstant(input.deadline).getTime())) {
    throw appError('request.invalid', {
      path: 'deadline',
      issue: `"${input.deadline}" không phải ngày hợp lệ (yyyy-mm-dd)`,
    });
  }
  const id = randomUUID();
  const at = nowIso(s);
  return s.db.transaction().execute(async (trx) => {
    if (input.planSubmissionId) {
      const plan = await submissions.findSubmission(trx, input.planSubmissionId);
      if (!plan) throw appError('submission.not-found', { submissionId: input.planSubmissionId });
    }
    const seen = new Set<string>();
    const expected = input.expected.filter((a) => !seen.has(a.id) && !!seen.add(a.id));
    await rounds.insertRound(
      trx,
      {
        id,
        title: input.title,
        year: input.year,
        province: input.province,
        deadline: input.deadline,
        plan_submission_id: input.planSubmissionId ?? null,
        locked: 0,
        locked_at: null,
        created_at: at,
        created_by: user.id,
      },
      expected,
    );
    await writeAudit(trx, user, at, {
      action: 'round.open',
      targetType: 'round',
      targetId: id,
      roundId: id,
      detail: {
        title: input.title,
        year: input.year,
        province: input.province,
        deadline: input.deadline,
        expected: [...seen],
      },
    });
    return toRoundView(await getRoundRow(trx, id));
  });
}

export interface RoundPatch {
  /** The provincial plan submission coverage is checked against (null clears it). */
  planSubmissionId?: string | null;
  /** A new deadline (extensions happen). */
  deadline?: string;
}

export async function updateRound(s: Services, user: AuthUser, roundId: string, patch: RoundPatch): Promise<RoundView> {
  if (patch.deadline !== undefined && Number.isNaN(deadlineInstant(patch.deadline).getTime())) {
    throw appError(
      'request.invalid',
      { path: 'deadline', issue: `"${patch.deadline}" không phải ngày hợp lệ (yyyy-mm-dd)` },
      { field: 'deadline' },
    );
  }
  return s.db.transaction().execute(async (trx) => {
    const before = await getRoundRow(trx, roundId);
    if (patch.planSubmissionId) {
      const plan = await submissions.findSubmission(trx, patch.planSubmissionId);
      if (!plan) throw appError('submission.not-found', { submissionId: patch.planSubmissionId });
    }
    const set: { plan_submission_id?: string | null; deadline?: string } = {};
    if (patch.planSubmissionId !== undefined) set.plan_submission_id = patch.planSubmissionId;
    if (patch.deadline !== undefined) set.deadline = patch.deadline;
    await rounds.updateRound(trx, roundId, set);
    await writeAudit(trx, user, nowIso(s), {
      action: 'round.update',
      targetType: 'round',
      targetId: roundId,
      roundId,
      detail: { ...patch, previous: { planSubmissionId: before.plan_submission_id, deadline: before.deadline } },
    });
    return toRoundView(await getRoundRow(trx, roundId));
  });
}

/** Reopens a locked round (a correction after the deadline); audited like the lock. */
export async function unlockRound(s: Services, user: AuthUser, roundId: string): Promise<RoundView> {
  return s.db.transaction().execute(async (trx) => {
    const r = await getRoundRow(trx, roundId);
    if (Number(r.locked) === 0) return toRoundView(r);
    await rounds.updateRound(trx, roundId, { locked: 0, locked_at: null });
    await writeAudit(trx, user, nowIso(s), { action: 'round.unlock', targetType: 'round', targetId: roundId, roundId });
    return toRoundView(await getRoundRow(trx, roundId));
  });
}

export async function lockRound(s: Services, user: AuthUser, roundId: string): Promise<RoundView> {
  return s.db.transaction().execute(async (trx) => {
    const r = await getRoundRow(trx, roundId);
    if (Number(r.locked) === 1) return toRoundView(r);
    const at = nowIso(s);
    await rounds.updateRound(trx, roundId, { locked: 1, locked_at: at });
    await writeAudit(trx, user, at, { action: 'round.lock', targetType: 'round', targetId: roundId, roundId });
    return toRoundView(await getRoundRow(trx, roundId));
  });
}

export async function listRounds(
  s: Services,
  user: AuthUser,
): Promise<(RoundView & { expected: number; submitted: number })[]> {
  const list = await rounds.listRounds(s.db, isReviewer(user) ? undefined : (user.agencyId ?? ''));
  if (!list.length) return [];
  const { expected: e, submitted: sub } = await rounds.roundCounts(
    s.db,
    list.map((r) => r.id),
  );
  return list.map((r) => ({ ...toRoundView(r), expected: e.get(r.id) ?? 0, submitted: sub.get(r.id) ?? 0 }));
}

export async function roundStatus(
  s: Services,
  user: AuthUser,
  roundId: string,
): Promise<{ round: RoundView; agencies: AgencyStatusRow[]; summary: RoundSummary }> {
  const r = await getRoundRow(s.db, roundId);
  const expected = await rounds.expectedAgencies(s.db, roundId);
  if (!isReviewer(user) && !expected.some((a) => a.agency_id === user.agencyId)) {
    const own = await submissions.submissionOf(s.db, roundId, user.agencyId ?? '');
    if (!own) throw appError('round.not-found', { roundId });
  }
  const subs = (await submissions.latestOfRound(s.db, roundId)).map((x) => ({ ...x, created_at: x.submitted_at }));
  const byAgency = new Map(subs.map((x) => [x.agency_id, x]));
  const due = deadlineInstant(r.deadline).getTime();
  const past = s.now().getTime() > due;
  const rows: AgencyStatusRow[] = expected.map((a) => {
    const x = byAgency.get(a.agency_id);
    if (!x) {
      return {
        agencyId: a.agency_id,
        agencyName: a.agency_name,
        submissionId: null,
        status: 'missing',
        onTime: past ? false : null,
        late: past,
        latestVersion: null,
        errors: null,
        warnings: null,
        tasks: null,
        submittedAt: null,
        firstSubmittedAt: null,
      };
    }
    const onTime = new Date(x.first_submitted_at).getTime() <= due;
    return {
      agencyId: a.agency_id,
      agencyName: a.agency_name,
      submissionId: x.id,
      status: x.status,
      onTime,
      late: !onTime,
      latestVersion: Number(x.latest_version),
      errors: Number(x.errors),
      warnings: Number(x.warnings),
      tasks: Number(x.tasks),
      submittedAt: x.created_at,
      firstSubmittedAt: x.first_submitted_at,
    };
  });
  const visible = isReviewer(user) ? rows : rows.filter((x) => x.agencyId === user.agencyId);
  const summary: RoundSummary = {
    expected: rows.length,
    submitted: rows.filter((x) => x.status !== 'missing').length,
    missing: rows.filter((x) => x.status === 'missing').length,
    onTime: rows.filter((x) => x.status !== 'missing' && x.onTime).length,
    late: rows.filter((x) => x.late).length,
    returned: rows.filter((x) => x.status === 'returned').length,
    accepted: rows.filter((x) => x.status === 'accepted').length,
    withErrors: rows.filter((x) => (x.errors ?? 0) > 0).length,
  };
  return { round: toRoundView(r), agencies: visible, summary };
}

// The answers' shapes live in the contract (contracts/), which clients share.
export type { RoundView, AgencyStatusRow, RoundSummary };
