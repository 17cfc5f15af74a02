// Jobs: work any server instance may take (report builds, Sheet intake). A route that queues one answers with
// its result when it finishes in time, else 202 with the job to poll.
import { z } from 'zod';
import { same } from '../engine/index.js';

export const JobState = z.enum(['queued', 'running', 'done', 'failed']);

export const JobView = z.object({
  id: z.string(),
  kind: z.string(),
  state: JobState,
  createdAt: z.string(),
  ...same(z.string().nullable(), 'startedAt', 'finishedAt'),
  ...same(z.unknown().optional(), 'result', 'error'),
});
export type JobView = z.infer<typeof JobView>;

export const JobResponse = z.object({ job: JobView });
