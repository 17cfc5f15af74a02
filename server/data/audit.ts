// The audit trail: every query on the audit table (append-only: no update or delete here).
import type { AuditTable, Db } from '../db/index.js';

export async function insertAudit(db: Db, row: Omit<AuditTable, 'id'>): Promise<void> {
  await db.insertInto('audit').values(row).execute();
}

export function listAudit(db: Db, opts: { roundId?: string; afterId?: number; limit: number; visibleTo?: { userId: string; agencyId: string | null } }) {
  let q = db.selectFrom('audit').selectAll().orderBy('id', 'asc');
  if (opts.roundId) q = q.where('round_id', '=', opts.roundId);
  if (opts.afterId) q = q.where('id', '>', opts.afterId);
  const v = opts.visibleTo;
  if (v) q = q.where((eb) => eb.or([eb('actor_id', '=', v.userId), ...(v.agencyId ? [eb('agency_id', '=', v.agencyId)] : [])]));
  return q.limit(opts.limit).execute();
}
