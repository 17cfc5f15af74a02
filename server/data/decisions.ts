// Reviewer decisions on candidate groups: every query on the group_decisions table.
import type { Db, GroupDecisionsTable } from '../db/index.js';

/** Decisions in force for a round (not undone nor replaced), oldest first: the order they are applied in. */
export const decisionsInForce = (db: Db, roundId: string) =>
  db
    .selectFrom('group_decisions')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('ended_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

export const findDecision = (db: Db, roundId: string, id: string) =>
  db.selectFrom('group_decisions').selectAll().where('round_id', '=', roundId).where('id', '=', id).executeTakeFirst();

export const decisionInForceOn = (db: Db, roundId: string, groupId: string) =>
  db
    .selectFrom('group_decisions')
    .selectAll()
    .where('round_id', '=', roundId)
    .where('group_id', '=', groupId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();

export async function insertDecision(db: Db, row: GroupDecisionsTable): Promise<void> {
  await db.insertInto('group_decisions').values(row).execute();
}

/** Ends a decision in force; false when it was not in force any more (someone else ended it first). */
export async function endDecision(
  db: Db,
  id: string,
  end: { at: string; by: string; how: 'undone' | 'replaced' },
): Promise<boolean> {
  const r = await db
    .updateTable('group_decisions')
    .set({ ended_at: end.at, ended_by: end.by, ended_how: end.how })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
