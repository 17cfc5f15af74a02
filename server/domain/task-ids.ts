// Stable task ids (docs/SYNC.md): new ids, and the annex of a stored version to take ids from. Its own module
// so that submissions and sync both use it without importing each other (a new version's ids are given in the
// parse worker, server/parse/work.ts).
import type { Annex, Report } from '../../engine/index.js';
import type { Db } from '../db/index.js';
import * as submissions from '../data/submissions.js';
import { annexOf } from './engine.js';
import { newTaskId } from './new-task-id.js';

export { newTaskId };

export const EMPTY_ANNEX: Annex = { meta: {}, sections: [] };

/** The annex of one stored version (null for version 0 or a version that does not exist). */
export async function versionAnnex(db: Db, submissionId: string, version: number): Promise<Annex | null> {
  if (version < 1) return null;
  const v = await submissions.versionRow(db, submissionId, version);
  return v ? annexOf(JSON.parse(v.report_json) as Report) : null;
}
