// Which agency a Google spreadsheet belongs to: every query on sheet_owners.
import type { Db } from '../db/index.js';

export const sheetOwner = (db: Db, spreadsheetId: string) =>
  db.selectFrom('sheet_owners').select(['agency_id']).where('spreadsheet_id', '=', spreadsheetId).executeTakeFirst();

/** Records the first agency to submit the spreadsheet; a later claim by anyone is ignored. */
export async function claimSheet(
  db: Db,
  row: { spreadsheet_id: string; agency_id: string; first_round_id: string; created_at: string },
): Promise<void> {
  await db
    .insertInto('sheet_owners')
    .values(row)
    .onConflict((oc) => oc.column('spreadsheet_id').doNothing())
    .execute();
}
