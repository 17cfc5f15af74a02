// Two-way sync between an agency's sheet and the server: the tasks the province assigned to the agency
// (pull), pushes that name the version they were edited from (a stale base gets a three-way comparison
// instead of an overwrite), stable task ids assigned on first submit, reviewer comments per task with a
// resolved flag, and the sync status of a local copy.
import type { AssignedArea, AssignedView, SyncComment, SyncStatusView } from '../../contracts/index.js';
import {
  assignTaskIds,
  derivedTaskId,
  foldKey,
  stampTaskIds,
  syncStatus,
  threeWayMerge,
  type Annex,
  type AgencyRef,
  type AssignedTask,
  type Grid,
  type IdColumn,
  type CellWrite,
  type MergeResult,
  type Report,
  type SyncState,
  type Task,
} from '../../engine/index.js';
import type { AuthUser } from '../auth/index.js';
import { assertAgencyAccess } from '../auth/index.js';
import type { Db, SubmissionsTable } from '../db/index.js';
import * as repo from '../data/submissions.js';
import { AppError, appError } from '../errors.js';
import { writeAudit } from './audit.js';
import { gridsEmpty } from './content.js';
import { annexOf, checkGrids } from './engine.js';
import { getRoundRow } from './rounds.js';
import { nowIso, type Services } from './services.js';
import { getSubmissionRow, preflight, submit } from './submissions.js';
import { agencyFor } from './agency.js';
import { EMPTY_ANNEX as EMPTY, newTaskId, versionAnnex } from './task-ids.js';

const submissionOf = (db: Db, roundId: string, agencyId: string) => repo.submissionOf(db, roundId, agencyId);

async function versionInfo(db: Db, submissionId: string, version: number) {
  if (version < 1) return null;
  const v = await repo.versionWithAuthor(db, submissionId, version);
  return v
    ? {
        version: Number(v.version),
        at: v.created_at,
        source: v.source,
        by: { username: v.username, displayName: v.display_name },
      }
    : null;
}

// ---------------------------------------------------------------------------------------------
// Pull: tasks of the round's provincial plan assigned to the agency
// ---------------------------------------------------------------------------------------------

const isAgency = (agencyId: string) => (r: AgencyRef) => r.id === agencyId || r.successor?.id === agencyId;
const names = (refs: AgencyRef[] | undefined) => (refs ?? []).map((r) => r.successor?.name ?? r.name ?? r.text);

export async function assignedTasks(
  s: Services,
  user: AuthUser,
  roundId: string,
  opts: { agencyId?: string; includeGroups?: boolean } = {},
): Promise<AssignedView> {
  const round = await getRoundRow(s.db, roundId);
  const agency = await agencyFor(s, user, roundId, opts.agencyId);
  if (!round.plan_submission_id) {
    throw appError('sync.no-plan', { round: round.title });
  }
  const planSub = await getSubmissionRow(s.db, round.plan_submission_id);
  const version = Number(planSub.latest_version);
  const plan = (await versionAnnex(s.db, planSub.id, version)) ?? EMPTY;
  const mine = isAgency(agency.id);
  const areas: AssignedArea[] = [];
  for (const section of plan.sections) {
    const tasks: AssignedTask[] = [];
    for (const t of section.tasks) {
      const role = roleOf(t, mine, opts.includeGroups ?? false);
      if (!role) continue;
      tasks.push({
        // Plans stored before ids existed: an id derived from the plan and the task text, the same on every pull.
        id: t.id ?? derivedTaskId(`${planSub.id}|${section.area ?? foldKey(section.title)}|${foldKey(t.task)}`),
        number: t.number,
        task: t.task,
        area: section.area,
        sectionTitle: section.title,
        role,
        products: t.products.map((p) => ({
          ...(p.number ? { number: p.number } : {}),
          text: p.text,
          ...(p.timeline?.text ? { timeline: p.timeline.text } : {}),
          ...(p.lead.length ? { lead: names(p.lead) } : {}),
          ...(p.support.length ? { support: names(p.support) } : {}),
        })),
        lead: names(t.lead),
        support: names(t.support),
        timeline: t.timeline?.text ?? '',
        ...(t.monitor?.length ? { monitor: names(t.monitor) } : {}),
        ...(t.approval ? { approval: t.approval } : {}),
      });
    }
    if (tasks.length) areas.push({ area: section.area, numeral: section.numeral, title: section.title, tasks });
  }
  return {
    roundId,
    agency,
    plan: {
      submissionId: planSub.id,
      version,
      agencyName: planSub.agency_name,
      ...(plan.meta.docNumber ? { docNumber: plan.meta.docNumber } : {}),
    },
    areas,
    total: areas.reduce((n, a) => n + a.tasks.length, 0),
  };
}

function roleOf(t: Task, mine: (r: AgencyRef) => boolean, groups: boolean): AssignedTask['role'] | null {
  if (t.lead.some(mine) || t.products.some((p) => p.lead.some(mine))) return 'lead';
  if (t.support.some(mine) || t.products.some((p) => p.support.some(mine))) return 'support';
  if (groups && [...t.lead, ...t.support].some((r) => r.kind === 'group')) return 'group';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Reviewer comments per task, with a resolved flag
// ---------------------------------------------------------------------------------------------

function taskAtRow(annex: Annex | null, row: number): Task | null {
  if (!annex) return null;
  for (const s of annex.sections) for (const t of s.tasks) if (t.source.row === row || t.rows.includes(row)) return t;
  return null;
}

export async function listComments(
  s: Services,
  user: AuthUser,
  submissionId: string,
): Promise<{ submissionId: string; status: string; latestVersion: number; comments: SyncComment[] }> {
  const sub = await getSubmissionRow(s.db, submissionId);
  assertAgencyAccess(user, sub.agency_id, sub.agency_name);
  const rows = await repo.commentsWithAuthors(s.db, submissionId);
  const latest = Number(sub.latest_version);
  const annexes = new Map<number, Annex | null>();
  const annexAt = async (v: number) => {
    if (!annexes.has(v)) annexes.set(v, await versionAnnex(s.db, submissionId, v));
    return annexes.get(v)!;
  };
  const latestAnnex = await annexAt(latest);
  const latestTasks = latestAnnex?.sections.flatMap((x) => x.tasks) ?? [];
  const accepted = sub.status === 'accepted';
  const out: SyncComment[] = [];
  for (const c of rows) {
    const row = c.row === null ? null : Number(c.row);
    const task = row === null ? null : taskAtRow(await annexAt(Number(c.version)), row);
    const now = task
      ? latestTasks.find((t) => (task.id ? t.id === task.id : foldKey(t.task) === foldKey(task.task)))
      : undefined;
    const explicit = c.resolved === null || c.resolved === undefined ? null : Number(c.resolved) === 1;
    out.push({
      id: c.id,
      version: Number(c.version),
      kind: c.kind,
      text: c.text,
      author: c.display_name,
      createdAt: c.created_at,
      row,
      column: c.col === null ? null : Number(c.col),
      taskId: task?.id ?? null,
      taskNumber: task?.number ?? null,
      task: task?.task ?? null,
      currentRow: now?.source.row ?? null,
      // Explicitly resolved (or reopened) wins; otherwise acceptance of the submission resolves everything.
      resolved: explicit ?? accepted,
      resolvedAt: explicit !== null ? (c.resolved_at ?? null) : null,
      resolvedBy: explicit !== null ? (c.resolved_by ?? null) : null,
    });
  }
  return { submissionId, status: sub.status, latestVersion: latest, comments: out };
}

export async function resolveComment(
  s: Services,
  user: AuthUser,
  submissionId: string,
  commentId: string,
  resolved: boolean,
): Promise<SyncComment> {
  const sub = await getSubmissionRow(s.db, submissionId);
  assertAgencyAccess(user, sub.agency_id, sub.agency_name);
  await s.db.transaction().execute(async (trx) => {
    const c = await repo.findComment(trx, submissionId, commentId);
    if (!c) throw appError('comment.not-found', { commentId });
    const at = nowIso(s);
    await repo.setResolution(trx, { comment_id: commentId, resolved: resolved ? 1 : 0, at, by_user: user.id });
    await writeAudit(trx, user, at, {
      action: resolved ? 'comment.resolve' : 'comment.reopen',
      targetType: 'submission',
      targetId: submissionId,
      roundId: sub.round_id,
      agencyId: sub.agency_id,
      detail: { commentId },
    });
  });
  const all = await listComments(s, user, submissionId);
  return all.comments.find((c) => c.id === commentId)!;
}

// ---------------------------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------------------------

const LABELS: Record<SyncState, string> = {
  'in-sync': 'Đã đồng bộ',
  ahead: 'Có thay đổi chưa gửi',
  behind: 'Máy chủ có phiên bản mới hơn',
  diverged: 'Cả hai bên đều có thay đổi: cần đối chiếu',
};

export async function syncStatusOf(
  s: Services,
  user: AuthUser,
  roundId: string,
  q: { baseVersion: number; dirty?: boolean; agencyId?: string },
): Promise<SyncStatusView> {
  const agency = await agencyFor(s, user, roundId, q.agencyId);
  const sub = await submissionOf(s.db, roundId, agency.id);
  const latestVersion = sub ? Number(sub.latest_version) : 0;
  const status = syncStatus({ baseVersion: q.baseVersion, dirty: q.dirty ?? false }, { latestVersion });
  const base = sub ? await versionInfo(s.db, sub.id, q.baseVersion) : null;
  const latest = sub ? await versionInfo(s.db, sub.id, latestVersion) : null;
  const newer = sub
    ? (await repo.versionsWithAuthors(s.db, sub.id, q.baseVersion)).map((v) => ({
        version: Number(v.version),
        at: v.created_at,
        by: { username: v.username, displayName: v.display_name },
      }))
    : [];
  return {
    roundId,
    agency,
    submissionId: sub?.id ?? null,
    status,
    label: LABELS[status],
    baseVersion: q.baseVersion,
    latestVersion,
    lastSyncedAt: base?.at ?? null,
    latest,
    newer,
  };
}

// ---------------------------------------------------------------------------------------------
// Push with a base version
// ---------------------------------------------------------------------------------------------

export interface PushInput {
  grids: Grid[];
  baseVersion: number;
  source: string;
  fileName?: string | null;
  agencyId?: string;
}

export interface StoredPush {
  kind: 'stored';
  submissionId: string;
  version: number;
  duplicate: boolean;
  status: string;
  /** Every task's id with its first row; `assigned` when the sheet did not carry it (the add-in applies `writes`). */
  ids: { id: string; sheet: string; row: number; number: string; assigned: boolean }[];
  idColumn: IdColumn | null;
  writes: CellWrite[];
  reportJson: string;
}

export interface StalePush {
  kind: 'stale';
  error: AppError;
  baseVersion: number;
  latestVersion: number;
  latest: { version: number; at: string; by: { username: string; displayName: string } } | null;
  merge: MergeResult;
}

function staleError(baseVersion: number, latestVersion: number, who: string | null): AppError {
  return appError('sync.stale-base', { baseVersion, latestVersion, who: who ?? 'một người khác' });
}

function noTable(report: Report, input: PushInput): AppError {
  const d =
    report.diagnostics.find((x) => x.code === 'header.not-found') ??
    report.diagnostics.find((x) => x.severity === 'error');
  const sheet = d?.location.sheet ?? input.grids[0]?.sheet;
  return appError(
    'submission.no-annex',
    {
      where: sheet ? `trang tính "${sheet}"` : 'dữ liệu gửi lên',
      hint:
        d?.hint ??
        'Bảng cần dòng tiêu đề (STT, Nhiệm vụ, Cơ quan chủ trì, Thời gian thực hiện) và ít nhất một nhiệm vụ.',
    },
    { ...(sheet ? { sheet } : {}), ...(d?.location.cell ? { cell: d.location.cell } : {}) },
  );
}

export async function pushSync(
  s: Services,
  user: AuthUser,
  roundId: string,
  input: PushInput,
): Promise<StoredPush | StalePush> {
  await preflight(s, user, roundId, input.agencyId);
  const agency = await agencyFor(s, user, roundId, input.agencyId);
  const round = await getRoundRow(s.db, roundId);
  if (!input.grids.length || gridsEmpty(input.grids))
    throw appError('submission.empty', {}, input.fileName ? { file: input.fileName } : undefined);
  const report = await checkGrids(input.grids, {
    province: round.province,
    planYear: Number(round.year),
    date: `${round.year}-01-01`,
  });
  // No table, no comparison: an empty "mine" would read as every task deleted.
  if (report.stats.tasks === 0) throw noTable(report, input);
  const mine = annexOf(report);

  const stale = async (latestVersion: number, sub: SubmissionsTable): Promise<StalePush> => {
    // The client's base may be unknown here (another round, a reset server): compare against nothing.
    const base = (await versionAnnex(s.db, sub.id, input.baseVersion)) ?? EMPTY;
    const theirs = (await versionAnnex(s.db, sub.id, latestVersion)) ?? EMPTY;
    const latest = await versionInfo(s.db, sub.id, latestVersion);
    return {
      kind: 'stale',
      error: staleError(input.baseVersion, latestVersion, latest ? latest.by.displayName : null),
      baseVersion: input.baseVersion,
      latestVersion,
      latest: latest && { version: latest.version, at: latest.at, by: latest.by },
      merge: threeWayMerge(base, mine, theirs),
    };
  };

  const sub = await submissionOf(s.db, roundId, agency.id);
  const latestVersion = sub ? Number(sub.latest_version) : 0;
  if (sub && input.baseVersion !== latestVersion) return stale(latestVersion, sub);
  if (!sub && input.baseVersion !== 0) {
    throw appError('sync.unknown-base', { agency: agency.name, baseVersion: input.baseVersion });
  }

  const previous = sub ? await versionAnnex(s.db, sub.id, latestVersion) : null;
  const { annex, assigned } = assignTaskIds(mine, previous, newTaskId);
  const stamped = stampTaskIds(input.grids, mine, assigned);
  let result;
  try {
    result = await submit(s, user, roundId, {
      grids: stamped.grids,
      source: input.source,
      fileName: input.fileName ?? null,
      baseVersion: input.baseVersion,
      agencyId: input.agencyId,
    });
  } catch (err) {
    // A colleague's push landed between our check and the write: the same answer as a stale base.
    if (err instanceof AppError && err.code === 'submission.stale') {
      const now = await submissionOf(s.db, roundId, agency.id);
      if (now) return stale(Number(now.latest_version), now);
    }
    throw err;
  }
  const fresh = new Set(assigned.map((a) => `${a.sheet}|${a.row}`));
  return {
    kind: 'stored',
    submissionId: result.submissionId,
    version: result.version,
    duplicate: result.duplicate,
    status: result.status,
    ids: annex.sections
      .flatMap((x) => x.tasks)
      .map((t) => ({
        id: t.id!,
        sheet: t.source.sheet,
        row: t.source.row,
        number: t.number,
        assigned: fresh.has(`${t.source.sheet}|${t.source.row}`),
      })),
    idColumn: stamped.idColumn,
    writes: stamped.writes,
    reportJson: result.reportJson,
  };
}

// The answers' shapes live in the contract (contracts/), which clients share.
export type { AssignedArea, AssignedView, SyncComment, SyncStatusView };
