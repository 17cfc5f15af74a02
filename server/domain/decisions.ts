// A reviewer's decisions on the candidate groups of a round's report: merge a group into one row or keep it apart,
// and undo. The members are taken from the round's last report (never from the client), stored with the decision
// in the same transaction as its audit row, and the report is rebuilt at once with every decision in force.
import { randomUUID } from 'node:crypto';
import type { CandidateView, DecisionMemberView, DecisionView } from '../../contracts/index.js';
import type { AuthUser } from '../auth/index.js';
import { isUniqueViolation, type Db, type GroupDecisionsTable } from '../db/index.js';
import * as repo from '../data/decisions.js';
import * as reports from '../data/reports.js';
import { appError } from '../errors.js';
import { writeAudit } from './audit.js';
import type { Consolidated } from './engine.js';
import { buildReport, consolidatedOfReport, type Include, type ReportSummary } from './reports.js';
import { getRoundRow } from './rounds.js';
import { nowIso, type Services } from './services.js';

export type { DecisionView, CandidateView };

const membersOf = (r: GroupDecisionsTable): DecisionMemberView[] => JSON.parse(r.members_json) as DecisionMemberView[];

function view(r: GroupDecisionsTable, stale?: Consolidated['staleDecisions'][number]): DecisionView {
  return {
    id: r.id,
    roundId: r.round_id,
    group: r.group_id,
    action: r.action,
    members: membersOf(r),
    createdAt: r.created_at,
    createdBy: r.created_by,
    stale: !!stale,
    missing: stale?.missing.map((m) => ({ agencyId: m.agencyId, task: m.task })) ?? [],
  };
}

async function lastConsolidated(
  db: Db,
  roundId: string,
): Promise<{ id: string; include: Include; consolidated: Consolidated }> {
  const r = await reports.lastReportOf(db, roundId);
  if (!r) throw appError('report.not-built');
  return { id: r.id, include: r.include as Include, consolidated: await consolidatedOfReport(db, r) };
}

const staleByGroup = (c: Consolidated) => new Map((c.staleDecisions ?? []).map((x) => [x.decision.group, x] as const));

/** The decisions in force, each flagged stale when the last report could not apply it. */
export async function listDecisions(s: Services, roundId: string): Promise<DecisionView[]> {
  await getRoundRow(s.db, roundId);
  const rows = await repo.decisionsInForce(s.db, roundId);
  const last = await reports.lastReportOf(s.db, roundId);
  const stale = last ? staleByGroup(await consolidatedOfReport(s.db, last)) : new Map();
  return rows.map((r) => view(r, stale.get(r.group_id)));
}

type CandidateMember = NonNullable<Consolidated['candidates']>[number]['members'][number];

/** A member of a candidate group as a decision records it: the agency, its text as written, its number. */
const memberView = (m: CandidateMember): DecisionMemberView => ({
  agencyId: m.source.agencyId,
  agencyName: m.source.agencyName,
  task: m.task,
  at: m.at,
});

/** The candidate groups of the round's last report, with the decision in force on each, and the stale decisions. */
export async function listCandidates(
  s: Services,
  roundId: string,
): Promise<{ reportId: string; candidates: CandidateView[]; stale: DecisionView[] }> {
  await getRoundRow(s.db, roundId);
  const { id, consolidated } = await lastConsolidated(s.db, roundId);
  const rows = await repo.decisionsInForce(s.db, roundId);
  const byGroup = new Map(rows.map((r) => [r.group_id, r] as const));
  const stale = staleByGroup(consolidated);
  const titles = new Map(consolidated.sections.map((sec) => [sec.area ?? '', sec.title] as const));
  const candidates: CandidateView[] = (consolidated.candidates ?? []).map((g) => {
    const d = byGroup.get(g.id);
    const inForce = d && g.decision === d.action ? d : undefined;
    return {
      id: g.id,
      area: g.area,
      areaTitle: titles.get(g.area ?? '') ?? g.members[0]?.source.sectionTitle ?? '',
      members: g.members.map((m) => ({ key: m.key, ...memberView(m), differs: m.differs })),
      minSimilarity: g.minSimilarity,
      maxSimilarity: g.maxSimilarity,
      identical: g.identical,
      decision: g.decision ?? null,
      decisionId: inForce?.id ?? null,
    };
  });
  return {
    reportId: id,
    candidates,
    stale: rows.filter((r) => stale.has(r.group_id)).map((r) => view(r, stale.get(r.group_id))),
  };
}

const AUDIT_ACTION = { merge: 'decision.merge', apart: 'decision.apart' } as const;

/**
 * Merges a group of the last report into one row, or keeps it apart. A decision already in force on the group is
 * replaced (a merge undone by "keep apart"); the same decision again changes nothing. The report is rebuilt.
 */
export async function decide(
  s: Services,
  user: AuthUser,
  roundId: string,
  body: { group: string; action: 'merge' | 'apart' },
): Promise<{ decision: DecisionView; report: ReportSummary }> {
  await getRoundRow(s.db, roundId);
  const { include, consolidated } = await lastConsolidated(s.db, roundId);
  const group = (consolidated.candidates ?? []).find((g) => g.id === body.group);
  if (!group) throw appError('decision.unknown-group', { group: body.group }, { field: 'group' });
  const members: DecisionMemberView[] = group.members.map(memberView);
  const at = nowIso(s);
  let row: GroupDecisionsTable;
  try {
    row = await s.db.transaction().execute(async (trx) => {
      const current = await repo.decisionInForceOn(trx, roundId, group.id);
      if (current && current.action === body.action) return current;
      if (current) await repo.endDecision(trx, current.id, { at, by: user.id, how: 'replaced' });
      const fresh: GroupDecisionsTable = {
        id: randomUUID(),
        round_id: roundId,
        group_id: group.id,
        action: body.action,
        members_json: JSON.stringify(members),
        created_at: at,
        created_by: user.id,
        ended_at: null,
        ended_by: null,
        ended_how: null,
      };
      await repo.insertDecision(trx, fresh);
      await writeAudit(trx, user, at, {
        action: AUDIT_ACTION[body.action],
        targetType: 'decision',
        targetId: fresh.id,
        roundId,
        detail: {
          group: group.id,
          tasks: members.map((m) => `${m.at} ${m.agencyName}: ${m.task}`),
          ...(current ? { replaced: current.id } : {}),
        },
      });
      return fresh;
    });
  } catch (err) {
    // Two reviewers deciding the same group at once: the database keeps one decision in force.
    if (isUniqueViolation(err)) throw appError('decision.conflict');
    throw err;
  }
  const report = await buildReport(s, user, roundId, include);
  const after = await lastConsolidated(s.db, roundId);
  return { decision: view(row, staleByGroup(after.consolidated).get(row.group_id)), report };
}

/** Undoes a decision in force; the report is rebuilt without it. */
export async function undoDecision(
  s: Services,
  user: AuthUser,
  roundId: string,
  decisionId: string,
): Promise<{ decision: DecisionView; report: ReportSummary }> {
  await getRoundRow(s.db, roundId);
  const { include } = await lastConsolidated(s.db, roundId);
  const row = await repo.findDecision(s.db, roundId, decisionId);
  if (!row) throw appError('decision.not-found', { decisionId });
  const at = nowIso(s);
  await s.db.transaction().execute(async (trx) => {
    if (!(await repo.endDecision(trx, row.id, { at, by: user.id, how: 'undone' }))) throw appError('decision.ended');
    const members = membersOf(row);
    await writeAudit(trx, user, at, {
      action: 'decision.undo',
      targetType: 'decision',
      targetId: row.id,
      roundId,
      detail: {
        group: row.group_id,
        undone: row.action,
        tasks: members.map((m) => `${m.at} ${m.agencyName}: ${m.task}`),
      },
    });
  });
  const report = await buildReport(s, user, roundId, include);
  return { decision: { ...view(row), stale: false }, report };
}
