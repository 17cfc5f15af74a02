// Rounds and the agencies expected in them: every query on rounds and round_agencies.
import { compiledOnce } from '../db/compiled.js';
import type { Db, RoundAgenciesTable, RoundsTable } from '../db/index.js';

const roundById = compiledOnce((db: Db, roundId: string) =>
  db.selectFrom('rounds').selectAll().where('id', '=', roundId),
);

export const findRound = async (db: Db, roundId: string) => (await roundById(db, roundId))[0];

export const findRoundByTitle = (db: Db, title: string, province: string) =>
  db.selectFrom('rounds').selectAll().where('title', '=', title).where('province', '=', province).executeTakeFirst();

export async function insertRound(db: Db, row: RoundsTable, expected: { id: string; name: string }[]): Promise<void> {
  await db.insertInto('rounds').values(row).execute();
  const rows: RoundAgenciesTable[] = expected.map((a, position) => ({
    round_id: row.id,
    agency_id: a.id,
    agency_name: a.name,
    position,
  }));
  if (rows.length) await db.insertInto('round_agencies').values(rows).execute();
}

export async function updateRound(
  db: Db,
  roundId: string,
  set: Partial<Pick<RoundsTable, 'plan_submission_id' | 'deadline' | 'locked' | 'locked_at'>>,
): Promise<void> {
  if (Object.keys(set).length) await db.updateTable('rounds').set(set).where('id', '=', roundId).execute();
}

/** Rounds newest first; for an agency only those expecting it or holding its submission. */
export function listRounds(db: Db, agencyId?: string) {
  let q = db.selectFrom('rounds').selectAll().orderBy('created_at', 'desc').orderBy('title');
  if (agencyId !== undefined) {
    q = q.where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('round_agencies')
            .select('round_id')
            .whereRef('round_agencies.round_id', '=', 'rounds.id')
            .where('round_agencies.agency_id', '=', agencyId),
        ),
        eb.exists(
          eb
            .selectFrom('submissions')
            .select('id')
            .whereRef('submissions.round_id', '=', 'rounds.id')
            .where('submissions.agency_id', '=', agencyId),
        ),
      ]),
    );
  }
  return q.execute();
}

/** Expected agencies per round, and how many of them submitted. */
export async function roundCounts(
  db: Db,
  roundIds: string[],
): Promise<{ expected: Map<string, number>; submitted: Map<string, number> }> {
  if (!roundIds.length) return { expected: new Map(), submitted: new Map() };
  const expected = await db
    .selectFrom('round_agencies')
    .select(['round_id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('round_id', 'in', roundIds)
    .groupBy('round_id')
    .execute();
  const submitted = await db
    .selectFrom('submissions')
    .innerJoin('round_agencies', (j) =>
      j
        .onRef('round_agencies.round_id', '=', 'submissions.round_id')
        .onRef('round_agencies.agency_id', '=', 'submissions.agency_id'),
    )
    .select(['submissions.round_id as round_id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('submissions.round_id', 'in', roundIds)
    .groupBy('submissions.round_id')
    .execute();
  return {
    expected: new Map(expected.map((x) => [x.round_id, Number(x.n)])),
    submitted: new Map(submitted.map((x) => [x.round_id, Number(x.n)])),
  };
}

export const expectedAgencies = (db: Db, roundId: string) =>
  db.selectFrom('round_agencies').selectAll().where('round_id', '=', roundId).orderBy('position').execute();

const expectedAgencyRow = compiledOnce((db: Db, roundId: string, agencyId: string) =>
  db
    .selectFrom('round_agencies')
    .select('agency_name')
    .where('round_id', '=', roundId)
    .where('agency_id', '=', agencyId),
);

export const expectedAgency = async (db: Db, roundId: string, agencyId: string) =>
  (await expectedAgencyRow(db, roundId, agencyId))[0];
