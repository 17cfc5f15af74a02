// Jobs over HTTP: the routes that queue work (report builds, Sheet intake) answer with the job's result
// when it finishes in time, else 202 with the job to poll at GET /api/jobs/:jobId.
import { Router, type Request, type Response } from 'express';
import { isReviewer, requireUser, toAuthUser, type AuthUser } from '../auth/index.js';
import * as jobs from '../data/jobs.js';
import * as users from '../data/users.js';
import { buildReport, type Include } from '../domain/reports.js';
import type { Services } from '../domain/services.js';
import { appError } from '../errors.js';
import { jobError, jobView, type JobRunner } from '../jobs/runner.js';

/** How long a request waits for its job before answering 202. */
const WAIT_MS = 120_000;

/** The user a job runs as, as they are now (a disabled account's queued work does not run). */
export async function jobUser(s: Services, userId: string): Promise<AuthUser> {
  const row = await users.findUserById(s.db, userId);
  if (!row || Number(row.disabled) === 1) throw appError('auth.required');
  return toAuthUser(row);
}

export function registerJobs(s: Services, runner: JobRunner): void {
  runner.register('report.build', async (payload) => {
    const p = payload as { roundId: string; include: Include; userId: string };
    return buildReport(s, await jobUser(s, p.userId), p.roundId, p.include);
  });
}

/** Queues a job and answers with its result (201), its error, or 202 when the caller asked not to wait or it runs long. */
export async function runAsJob(
  req: Request,
  res: Response,
  runner: JobRunner,
  kind: string,
  payload: unknown,
  userId: string,
  okStatus = 201,
): Promise<void> {
  const id = await runner.enqueue(kind, payload, userId);
  const async = /respond-async/i.test(req.get('prefer') ?? '');
  const job = async ? (await runner.find(id))! : await runner.wait(id, WAIT_MS);
  if (job.state === 'done') {
    // A result may name its own status (a duplicate Sheet intake is 200, not 201).
    const result = JSON.parse(job.result_json ?? 'null') as ({ httpStatus?: number } & Record<string, unknown>) | null;
    if (result && typeof result.httpStatus === 'number') {
      const { httpStatus, ...body } = result;
      res.status(httpStatus).json(body);
    } else res.status(okStatus).type('application/json').send(job.result_json);
    return;
  }
  if (job.state === 'failed') throw jobError(job);
  res
    .status(202)
    .location(`/api/jobs/${id}`)
    .json({ job: jobView(job) });
}

export function jobsRouter(s: Services): Router {
  const r = Router();
  r.get('/jobs/:jobId', async (req, res) => {
    const user = requireUser(req);
    const job = await jobs.findJob(s.db, req.params.jobId);
    if (!job || (job.created_by !== user.id && !isReviewer(user)))
      throw appError('job.not-found', { jobId: req.params.jobId });
    res.json({ job: jobView(job) });
  });
  return r;
}
