// The audit trail: every query on the audit table (append-only: no update or delete here).
import type { AuditTable, Db } from '../db/index.js';
import { compiledOnce } from '../db/compiled.js';

const auditInsert = compiledOnce(
  (
    db: Db,
    at: string,
    actorId: string | null,
    actorName: string,
    action: string,
    targetType: string,
    targetId: string,
    roundId: string | null,
    agencyId: string | null,
    detailJson: string,
  ) =>
    db.insertInto('audit').values({
      at,
      actor_id: actorId,
      actor_name: actorName,
      action,
      target_type: targetType,
      target_id: targetId,
      round_id: roundId,
      agency_id: agencyId,
      detail_json: detailJson,
    }),
);

/** One row (every mutating action writes one: a kept query). */
export async function insertAudit(db: Db, row: Omit<AuditTable, 'id'>): Promise<void> {
  await auditInsert(
    db,
    row.at,
    row.actor_id,
    row.actor_name,
    row.action,
    row.target_type,
    row.target_id,
    row.round_id,
    row.agency_id,
    row.detail_json,
  );
}

export function listAudit(
  db: Db,
  opts: { roundId?: string; afterId?: number; limit: number; visibleTo?: { userId: string; agencyId: string | null } },
) {
  let q = db.selectFrom('audit').selectAll().orderBy('id', 'asc');
  if (opts.roundId) q = q.where('round_id', '=', opts.roundId);
  if (opts.afterId) q = q.where('id', '>', opts.afterId);
  const v = opts.visibleTo;
  if (v)
    q = q.where((eb) =>
      eb.or([eb('actor_id', '=', v.userId), ...(v.agencyId ? [eb('agency_id', '=', v.agencyId)] : [])]),
    );
  return q.limit(opts.limit).execute();
}

/** Names people read for the ids an audit page mentions: users, agencies, rounds, submissions, tokens. */
export async function namesFor(
  db: Db,
  ids: { users: string[]; agencies: string[]; rounds: string[]; submissions: string[]; tokens: string[] },
): Promise<{
  users: Map<string, string>;
  agencies: Map<string, string>;
  rounds: Map<string, string>;
  submissions: Map<string, string>;
  tokens: Map<string, string>;
}> {
  const uniq = (a: string[]) => [...new Set(a)];
  const users = ids.users.length
    ? await db
        .selectFrom('users')
        .select(['id', 'display_name', 'agency_id', 'agency_name'])
        .where('id', 'in', uniq(ids.users))
        .execute()
    : [];
  // An agency's name as the rounds, the submissions and the accounts know it (later ones win, as before).
  const agencyIds = uniq(ids.agencies);
  const agencyNamesIn = async (table: 'users' | 'submissions' | 'round_agencies') =>
    agencyIds.length
      ? await db.selectFrom(table).select(['agency_id', 'agency_name']).where('agency_id', 'in', agencyIds).execute()
      : [];
  const agencyRows = await agencyNamesIn('round_agencies');
  const subAgencies = await agencyNamesIn('submissions');
  const userAgencies = await agencyNamesIn('users');
  const rounds = ids.rounds.length
    ? await db.selectFrom('rounds').select(['id', 'title']).where('id', 'in', uniq(ids.rounds)).execute()
    : [];
  const subs = ids.submissions.length
    ? await db
        .selectFrom('submissions')
        .select(['id', 'agency_name'])
        .where('id', 'in', uniq(ids.submissions))
        .execute()
    : [];
  const tokens = ids.tokens.length
    ? await db.selectFrom('api_tokens').select(['id', 'label']).where('id', 'in', uniq(ids.tokens)).execute()
    : [];
  const agencies = new Map<string, string>();
  for (const r of [...userAgencies, ...subAgencies, ...agencyRows])
    if (r.agency_id && r.agency_name) agencies.set(r.agency_id, r.agency_name);
  return {
    users: new Map(users.map((u) => [u.id, u.display_name])),
    agencies,
    rounds: new Map(rounds.map((r) => [r.id, r.title])),
    submissions: new Map(subs.map((r) => [r.id, r.agency_name])),
    tokens: new Map(tokens.map((r) => [r.id, r.label])),
  };
}
