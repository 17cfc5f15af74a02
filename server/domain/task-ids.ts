// Stable task ids (docs/SYNC.md): new ids, and ids for the tasks of a freshly checked report. Its own
// module so that submissions and sync both use it without importing each other.
import { assignTaskIds, type Annex, type Report } from '../../engine/index.js';
import type { Db, SubmissionsTable } from '../db/index.js';
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

/**
 * Gives the tasks of a freshly checked report ids (the ids the sheet carries, else those of the same tasks
 * in the previous version, else new ones). Called by the submission path for every new version, so that
 * file uploads get ids too; a sync push arrives with ids already written.
 */
export async function annotateTaskIds(
  db: Db,
  submission: Pick<SubmissionsTable, 'id' | 'latest_version'> | undefined,
  report: Report,
): Promise<void> {
  const seen = new Set<string>();
  const complete = report.sections.every((x) => x.tasks.every((t) => !!t.id && !seen.has(t.id) && !!seen.add(t.id)));
  if (complete) return; // a sync push: the sheet carries every id
  const previous = submission ? await versionAnnex(db, submission.id, Number(submission.latest_version)) : null;
  const { annex } = assignTaskIds(annexOf(report), previous, newTaskId);
  report.sections = annex.sections;
}
