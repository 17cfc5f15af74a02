// Two-way sync between an agency's sheet and the server: the tasks the province assigned to the agency
// (pull), pushes that name the version they were edited from (a stale base gets a three-way comparison
// instead of an overwrite), stable task ids assigned on first submit, reviewer comments per task with a
// resolved flag, and the sync status of a local copy.
import type { AssignedArea, AssignedView, SyncComment, SyncStatusView } from '../../contracts/index.js';
import {
  derivedTaskId,
  foldKey,
  SYNC_STATE_LABELS,
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
  type Task,
} from '../../engine/index.js';
import type { AuthUser } from '../auth/index.js';
import { assertAgencyAccess } from '../auth/index.js';
import type { Db } from '../db/index.js';
import * as repo from '../data/submissions.js';
import { AppError, appError } from '../errors.js';
import { writeAudit } from './audit.js';
import { annexOf } from './engine.js';
import { parseJson, type JsonText } from './json-text.js';
import { getRoundRow } from './rounds.js';
import { nowIso, type Services } from './services.js';
import { getSubmissionRow, readInPool, storeVersion } from './submissions.js';
import type { Intake, NoAnnex } from '../parse/work.js';
import { agencyFor } from './agency.js';
import { EMPTY_ANNEX as EMPTY, versionAnnex } from './task-ids.js';

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
    label: SYNC_STATE_LABELS[status],
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
  /** The sheet as grids (in-process callers); otherwise `intake` says what the parse worker reads. */
  grids?: Grid[];
  intake?: Intake;
  /** Request fields; a JSON body's own fields fill those not given here. */
  baseVersion?: number;
  source?: string;
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
  reportJson: JsonText;
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

function noTable(found: NoAnnex): AppError {
  const d =
    found.diagnostics.find((x) => x.code === 'header.not-found') ??
    found.diagnostics.find((x) => x.severity === 'error');
  const sheet = d?.location.sheet ?? found.firstSheet;
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

/**
 * A push: read and validated once in the parse pool, which also gives the tasks their ids, writes them into
 * the sheet's id column and hashes the result; here only the database work. A base that is not the latest
 * gets the three-way comparison instead of a write.
 */
export async function pushSync(
  s: Services,
  user: AuthUser,
  roundId: string,
  input: PushInput,
  retried = false,
): Promise<StoredPush | StalePush> {
  const round = await getRoundRow(s.db, roundId);
  if (Number(round.locked) === 1) throw appError('round.locked', { title: round.title });
  const { agency, existing: sub, latest, out: read } = await readInPool(s, user, round, input, 'sync');
  const out = read.sync;
  const f = {
    baseVersion: input.baseVersion ?? out.fields.baseVersion ?? 0,
    source: input.source ?? out.fields.source ?? 'api',
    fileName: input.fileName ?? out.fields.fileName ?? null,
    agencyId: input.agencyId ?? out.fields.agencyId,
  };
  if (f.agencyId !== undefined && f.agencyId !== agency.id)
    await agencyFor(s, user, roundId, f.agencyId, { expectedOnly: true });
  if (out.empty) throw appError('submission.empty', {}, f.fileName ? { file: f.fileName } : undefined);
  if (out.noAnnex) throw noTable(out.noAnnex);

  if (out.stale) {
    if (!sub) {
      throw appError('sync.unknown-base', { agency: agency.name, baseVersion: f.baseVersion });
    }
    const latestVersion = Number(sub.latest_version);
    // The client's base may be unknown here (another round, a reset server): compare against nothing.
    const base = (await versionAnnex(s.db, sub.id, f.baseVersion)) ?? EMPTY;
    const theirs = latest ? annexOf(parseJson<Report>(latest.report)) : EMPTY;
    const by = await versionInfo(s.db, sub.id, latestVersion);
    return {
      kind: 'stale',
      error: staleError(f.baseVersion, latestVersion, by ? by.by.displayName : null),
      baseVersion: f.baseVersion,
      latestVersion,
      latest: by && { version: by.version, at: by.at, by: by.by },
      merge: threeWayMerge(base, out.stale.mine, theirs),
    };
  }

  const st = out.stored!;
  let result: { submissionId: string; version: number; duplicate: boolean; status: string; reportJson: JsonText };
  if (st.duplicate && sub && latest) {
    result = {
      submissionId: sub.id,
      version: latest.version,
      duplicate: true,
      status: sub.status,
      reportJson: latest.report,
    };
  } else {
    try {
      result = await storeVersion(s, user, roundId, agency, {
        hash: st.hash,
        checked: st.checked!,
        source: f.source,
        fileName: f.fileName,
        baseVersion: f.baseVersion,
        comparedWith: latest?.version ?? 0,
      });
    } catch (err) {
      // A colleague's push landed between the read and the write: read again, which answers as a stale base.
      if (err instanceof AppError && err.code === 'submission.stale' && !retried)
        return pushSync(s, user, roundId, input, true);
      throw err;
    }
  }
  return {
    kind: 'stored',
    submissionId: result.submissionId,
    version: result.version,
    duplicate: result.duplicate,
    status: result.status,
    ids: st.ids,
    idColumn: st.idColumn,
    writes: st.writes,
    reportJson: result.reportJson,
  };
}

// The answers' shapes live in the contract (contracts/), which clients share.
export type { AssignedArea, AssignedView, SyncComment, SyncStatusView };
