// Audit trail: every mutating action writes one row, in the same transaction as the change itself.
import type { Db } from '../db/index.js';
import type { AuthUser } from '../auth/index.js';
import { isReviewer } from '../auth/index.js';
import * as repo from '../data/audit.js';

export interface AuditEntry {
  action: string;
  targetType: 'user' | 'session' | 'token' | 'round' | 'submission' | 'report';
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

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  actorId: string | null;
  action: string;
  target: { type: string; id: string };
  roundId: string | null;
  agencyId: string | null;
  detail: Record<string, unknown>;
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
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    actor: r.actor_name,
    actorId: r.actor_id,
    action: r.action,
    target: { type: r.target_type, id: r.target_id },
    roundId: r.round_id,
    agencyId: r.agency_id,
    detail: JSON.parse(r.detail_json) as Record<string, unknown>,
  }));
}
