// Audit trail: every mutating action writes one row, in the same transaction as the change itself.
import type { AuditRow } from '../../contracts/index.js';
import type { Db } from '../db/index.js';
import type { AuthUser } from '../auth/index.js';
import { isReviewer } from '../auth/index.js';
import * as repo from '../data/audit.js';

export interface AuditEntry {
  action: string;
  targetType: 'user' | 'session' | 'token' | 'round' | 'submission' | 'report' | 'request' | 'decision';
  targetId: string;
  roundId?: string | null;
  agencyId?: string | null;
  detail?: Record<string, unknown>;
}

export async function writeAudit(db: Db, actor: AuthUser | null, at: string, e: AuditEntry): Promise<void> {
  await repo.insertAudit(db, {
    at,
    actor_id: actor?.id ?? null,
    actor_name: actor ? actor.username : 'system',
    action: e.action,
    target_type: e.targetType,
    target_id: e.targetId,
    round_id: e.roundId ?? null,
    agency_id: e.agencyId ?? null,
    detail_json: JSON.stringify(e.detail ?? {}),
  });
}

/** Reviewers see everything; an agency officer sees rows about their agency or done by themselves. */
export async function listAudit(
  db: Db,
  user: AuthUser,
  opts: { roundId?: string; limit?: number; afterId?: number } = {},
): Promise<AuditRow[]> {
  const rows = await repo.listAudit(db, {
    roundId: opts.roundId,
    afterId: opts.afterId,
    limit: Math.min(opts.limit ?? 1000, 5000),
    ...(isReviewer(user) ? {} : { visibleTo: { userId: user.id, agencyId: user.agencyId } }),
  });
  const names = await repo.namesFor(db, {
    users: rows
      .flatMap((r) => [r.actor_id, r.target_type === 'user' ? r.target_id : null])
      .filter((x): x is string => !!x),
    agencies: rows.map((r) => r.agency_id).filter((x): x is string => !!x),
    rounds: rows
      .flatMap((r) => [r.round_id, r.target_type === 'round' ? r.target_id : null])
      .filter((x): x is string => !!x),
    submissions: rows.filter((r) => r.target_type === 'submission').map((r) => r.target_id),
    tokens: rows.filter((r) => r.target_type === 'token').map((r) => r.target_id),
  });
  const targetName = (type: string, id: string): string | null => {
    if (type === 'user') return names.users.get(id) ?? null;
    if (type === 'round') return names.rounds.get(id) ?? null;
    if (type === 'submission') return names.submissions.get(id) ?? null;
    if (type === 'token') return names.tokens.get(id) ?? null;
    return null;
  };
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    actor: r.actor_name,
    actorId: r.actor_id,
    actorName: (r.actor_id && names.users.get(r.actor_id)) || (r.actor_id ? r.actor_name : 'Hệ thống'),
    agencyName: r.agency_id ? (names.agencies.get(r.agency_id) ?? null) : null,
    roundTitle: r.round_id ? (names.rounds.get(r.round_id) ?? null) : null,
    targetName: targetName(r.target_type, r.target_id),
    action: r.action,
    target: { type: r.target_type, id: r.target_id },
    roundId: r.round_id,
    agencyId: r.agency_id,
    detail: JSON.parse(r.detail_json) as Record<string, unknown>,
  }));
}

// The answers' shapes live in the contract (contracts/), which clients share.
export type { AuditRow };
