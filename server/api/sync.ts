// Two-way sync endpoints: assigned tasks (pull), push with a base version (409 with a three-way
// comparison when stale), sync status, and reviewer comments per task with a resolved flag.
import { Router } from 'express';
import { AssignedQuery, ResolveBody, SyncBody, SyncStatusQuery } from '../../contracts/index.js';
import { requireUser } from '../auth/index.js';
import { appError, errorBody } from '../errors.js';
import type { Services } from '../domain/services.js';
import { assignedTasks, listComments, pushSync, resolveComment, syncStatusOf } from '../domain/sync.js';
import { parse } from './parse.js';
import { sendVersion } from './respond.js';

export function syncRouter(s: Services): Router {
  const r = Router();

  r.get('/rounds/:roundId/assigned', async (req, res) => {
    const user = requireUser(req);
    const q = parse(AssignedQuery, req.query);
    res.json(await assignedTasks(s, user, req.params.roundId, q));
  });

  r.get('/rounds/:roundId/sync-status', async (req, res) => {
    const user = requireUser(req);
    const q = parse(SyncStatusQuery, req.query);
    res.json(await syncStatusOf(s, user, req.params.roundId, q));
  });

  r.post('/rounds/:roundId/sync', async (req, res) => {
    const user = requireUser(req);
    if (!req.rawJson) {
      parse(SyncBody, req.body);
      throw appError('request.invalid-json');
    }
    // Small bodies were parsed already: say what is wrong with them before the pool is asked.
    if (req.body !== undefined) parse(SyncBody, req.body);
    const out = await pushSync(s, user, req.params.roundId, {
      intake: { kind: 'json', body: req.rawJson, schema: 'sync' },
    });
    if (out.kind === 'stale') {
      res.status(409).json({
        ...errorBody(out.error),
        baseVersion: out.baseVersion,
        latestVersion: out.latestVersion,
        latest: out.latest,
        merge: out.merge,
      });
      return;
    }
    const head = {
      submissionId: out.submissionId,
      version: out.version,
      duplicate: out.duplicate,
      status: out.status,
      ids: out.ids,
      idColumn: out.idColumn,
      writes: out.writes,
    };
    sendVersion(res, head, out.reportJson);
  });

  r.get('/submissions/:submissionId/comments', async (req, res) => {
    const user = requireUser(req);
    res.json(await listComments(s, user, req.params.submissionId));
  });

  r.post('/submissions/:submissionId/comments/:commentId/resolve', async (req, res) => {
    const user = requireUser(req);
    const body = parse(ResolveBody, req.body);
    res.json({ comment: await resolveComment(s, user, req.params.submissionId, req.params.commentId, body.resolved) });
  });

  return r;
}
