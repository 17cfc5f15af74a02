// Reporting rounds ("đợt báo cáo"): opened by Sở Nội vụ for a year and a province with a deadline and
// the agencies expected to submit; the status table says who submitted, on time or late, with how many
// errors, and who is missing.
import { randomUUID } from 'node:crypto';
import type { AuthUser } from '../auth/index.js';
import { isReviewer } from '../auth/index.js';
import type { Db, RoundsTable, SubmissionStatus } from '../db/index.js';
import { appError } from '../errors.js';
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

export interface RoundView {
  id: string;
  title: string;
  year: number;
  province: string;
  deadline: string;
  locked: boolean;
  lockedAt: string | null;
  planSubmissionId: string | null;
  createdAt: string;
}

export type AgencyStatus = SubmissionStatus | 'missing';

export interface AgencyStatusRow {
  agencyId: string;
  agencyName: string;
  submissionId: string | null;
  status: AgencyStatus;
  /** First version in by the deadline; null while missing and the deadline has not passed. */
  onTime: boolean | null;
  late: boolean;
  latestVersion: number | null;
  errors: number | null;
  warnings: number | null;
  tasks: number | null;
  submittedAt: string | null;
  firstSubmittedAt: string | null;
}

export interface RoundSummary {
  expected: number;
  submitted: number;
  missing: number;
  onTime: number;
  late: number;
  returned: number;
  accepted: number;
  withErrors: number;
}

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
  const r = await db.selectFrom('rounds').selectAll().where('id', '=', roundId).executeTakeFirst();
  if (!r) throw appError('round.not-found', { roundId });
  return r;
}

export async function createRound(s: Services, user: AuthUser, input: RoundInput): Promise<RoundView> {
  if (Number.isNaN(deadlineInstant(input.deadline).getTime())) {
    throw appError('request.invalid', { path: 'deadline', issue: `"${input.deadline}" không phải ngày hợp lệ (yyyy-mm-dd)` });
  }
  const id = randomUUID();
  const at = nowIso(s);
  return s.db.transaction().execute(async (trx) => {
    if (input.planSubmissionId) {
      const plan = await trx.selectFrom('submissions').select('id').where('id', '=', input.planSubmissionId).executeTakeFirst();
      if (!plan) throw appError('submission.not-found', { submissionId: input.planSubmissionId });
    }
    await trx
      .insertInto('rounds')
      .values({
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
      })
      .execute();
    const seen = new Set<string>();
    let position = 0;
    for (const a of input.expected) {
      if (seen.has(a.id)) continue;
      seen.add(a.id);
      await trx.insertInto('round_agencies').values({ round_id: id, agency_id: a.id, agency_name: a.name, position: position++ }).execute();
    }
    await writeAudit(trx, user, at, {
      action: 'round.open',
      targetType: 'round',
      targetId: id,
      roundId: id,
      detail: { title: input.title, year: input.year, province: input.province, deadline: input.deadline, expected: [...seen] },
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
    throw appError('request.invalid', { path: 'deadline', issue: `"${patch.deadline}" không phải ngày hợp lệ (yyyy-mm-dd)` }, { field: 'deadline' });
  }
  return s.db.transaction().execute(async (trx) => {
    const before = await getRoundRow(trx, roundId);
    if (patch.planSubmissionId) {
      const plan = await trx.selectFrom('submissions').select('id').where('id', '=', patch.planSubmissionId).executeTakeFirst();
      if (!plan) throw appError('submission.not-found', { submissionId: patch.planSubmissionId });
    }
    const set: { plan_submission_id?: string | null; deadline?: string } = {};
    if (patch.planSubmissionId !== undefined) set.plan_submission_id = patch.planSubmissionId;
    if (patch.deadline !== undefined) set.deadline = patch.deadline;
    if (Object.keys(set).length) await trx.updateTable('rounds').set(set).where('id', '=', roundId).execute();
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
    await trx.updateTable('rounds').set({ locked: 0, locked_at: null }).where('id', '=', roundId).execute();
    await writeAudit(trx, user, nowIso(s), { action: 'round.unlock', targetType: 'round', targetId: roundId, roundId });
    return toRoundView(await getRoundRow(trx, roundId));
  });
}

export async function lockRound(s: Services, user: AuthUser, roundId: string): Promise<RoundView> {
  return s.db.transaction().execute(async (trx) => {
    const r = await getRoundRow(trx, roundId);
    if (Number(r.locked) === 1) return toRoundView(r);
    const at = nowIso(s);
    await trx.updateTable('rounds').set({ locked: 1, locked_at: at }).where('id', '=', roundId).execute();
    await writeAudit(trx, user, at, { action: 'round.lock', targetType: 'round', targetId: roundId, roundId });
    return toRoundView(await getRoundRow(trx, roundId));
  });
}

export async function listRounds(s: Services, user: AuthUser): Promise<(RoundView & { expected: number; submitted: number })[]> {
  let q = s.db.selectFrom('rounds').selectAll().orderBy('created_at', 'desc').orderBy('title');
  if (!isReviewer(user)) {
    const agencyId = user.agencyId ?? '';
    q = q.where((eb) =>
      eb.or([
        eb.exists(
          eb.selectFrom('round_agencies').select('round_id').whereRef('round_agencies.round_id', '=', 'rounds.id').where('round_agencies.agency_id', '=', agencyId),
        ),
        eb.exists(
          eb.selectFrom('submissions').select('id').whereRef('submissions.round_id', '=', 'rounds.id').where('submissions.agency_id', '=', agencyId),
        ),
      ]),
    );
  }
  const rounds = await q.execute();
  if (!rounds.length) return [];
  const ids = rounds.map((r) => r.id);
  const expected = await s.db
    .selectFrom('round_agencies')
    .select(['round_id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('round_id', 'in', ids)
    .groupBy('round_id')
    .execute();
  const submitted = await s.db
    .selectFrom('submissions')
    .innerJoin('round_agencies', (j) =>
      j.onRef('round_agencies.round_id', '=', 'submissions.round_id').onRef('round_agencies.agency_id', '=', 'submissions.agency_id'),
    )
    .select(['submissions.round_id as round_id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('submissions.round_id', 'in', ids)
    .groupBy('submissions.round_id')
    .execute();
  const e = new Map(expected.map((x) => [x.round_id, Number(x.n)]));
  const sub = new Map(submitted.map((x) => [x.round_id, Number(x.n)]));
  return rounds.map((r) => ({ ...toRoundView(r), expected: e.get(r.id) ?? 0, submitted: sub.get(r.id) ?? 0 }));
}

export async function roundStatus(
  s: Services,
  user: AuthUser,
  roundId: string,
): Promise<{ round: RoundView; agencies: AgencyStatusRow[]; summary: RoundSummary }> {
  const r = await getRoundRow(s.db, roundId);
  const expected = await s.db.selectFrom('round_agencies').selectAll().where('round_id', '=', roundId).orderBy('position').execute();
  if (!isReviewer(user) && !expected.some((a) => a.agency_id === user.agencyId)) {
    const own = await s.db.selectFrom('submissions').select('id').where('round_id', '=', roundId).where('agency_id', '=', user.agencyId ?? '').executeTakeFirst();
    if (!own) throw appError('round.not-found', { roundId });
  }
  const subs = await s.db
    .selectFrom('submissions')
    .innerJoin('submission_versions as v', (j) =>
      j.onRef('v.submission_id', '=', 'submissions.id').onRef('v.version', '=', 'submissions.latest_version'),
    )
    .select([
      'submissions.id',
      'submissions.agency_id',
      'submissions.agency_name',
      'submissions.status',
      'submissions.latest_version',
      'submissions.first_submitted_at',
      'v.created_at',
      'v.errors',
      'v.warnings',
      'v.tasks',
    ])
    .where('submissions.round_id', '=', roundId)
    .execute();
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
