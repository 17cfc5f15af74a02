// Jobs in the database: report builds and Google Sheet intake are queued in the jobs table and run by
// whichever instance claims them first (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: the one process).
// The instance that queues a job starts on it at once; every instance also polls, so jobs queued by an
// instance that is busy or gone are taken by another.
import type { JobView } from '../../contracts/index.js';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import * as jobs from '../data/jobs.js';
import type { JobRow } from '../data/jobs.js';
import type { Services } from '../domain/services.js';
import { AppError, appError, errorBody, type ErrorBody } from '../errors.js';

export type JobHandler = (payload: unknown, job: JobRow) => Promise<unknown>;

export const jobView = (j: JobRow): JobView => ({
  id: j.id,
  kind: j.kind,
  state: j.state,
  createdAt: j.created_at,
  startedAt: j.started_at,
  finishedAt: j.finished_at,
  ...(j.result_json ? { result: JSON.parse(j.result_json) as unknown } : {}),
  ...(j.error_json ? { error: (JSON.parse(j.error_json) as { error: unknown }).error } : {}),
});

/** A job running longer than this is taken to be orphaned by a dead instance. */
const STALE_MS = 10 * 60_000;

export class JobRunner {
  readonly worker = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly s: Services,
    private readonly log: (msg: string, err: unknown) => void = (m, e) => console.error(`[phuluc] ${m}:`, e),
  ) {}

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Polls the queue every `ms` (server processes; tests rely on kicks). */
  start(ms = 1000): void {
    this.stopped = false;
    this.timer ??= setInterval(() => {
      void jobs
        .requeueStale(this.s.db, new Date(Date.now() - STALE_MS).toISOString(), new Date().toISOString())
        .catch(() => undefined);
      this.kick();
    }, ms);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.draining;
  }

  async enqueue(kind: string, payload: unknown, userId: string): Promise<string> {
    const id = randomUUID();
    await jobs.insertJob(this.s.db, {
      id,
      kind,
      payload_json: JSON.stringify(payload),
      created_by: userId,
      created_at: this.s.now().toISOString(),
    });
    this.kick();
    return id;
  }

  /** Runs queued jobs until none is left (one at a time per instance). */
  kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((err) => this.log('job queue', err))
      .finally(() => {
        this.draining = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const job = await jobs.claimJob(
        this.s.db,
        this.s.dialect,
        this.worker,
        [...this.handlers.keys()],
        new Date().toISOString(),
      );
      if (!job) return;
      const handler = this.handlers.get(job.kind)!;
      try {
        const result = await handler(JSON.parse(job.payload_json), job);
        await jobs.finishJob(this.s.db, job.id, 'done', JSON.stringify(result ?? null), new Date().toISOString());
      } catch (err) {
        const e = err instanceof AppError && err.isOperational ? err : null;
        if (!e) this.log(`job ${job.kind} ${job.id}`, err);
        const failure = e ?? appError('internal');
        await jobs.finishJob(
          this.s.db,
          job.id,
          'failed',
          JSON.stringify({ status: failure.status, ...errorBody(failure) }),
          new Date().toISOString(),
        );
      }
    }
  }

  find(id: string): Promise<JobRow | undefined> {
    return jobs.findJob(this.s.db, id);
  }

  /** Waits for a job to finish (polling the table: another instance may be running it). */
  async wait(id: string, timeoutMs: number): Promise<JobRow> {
    const until = Date.now() + timeoutMs;
    let delay = 20;
    for (;;) {
      const job = await jobs.findJob(this.s.db, id);
      if (!job) throw appError('job.not-found', { jobId: id });
      if (job.state === 'done' || job.state === 'failed' || Date.now() >= until) return job;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(250, delay * 2);
    }
  }
}

/** A failed job's error, raised again as the AppError it was. */
export function jobError(job: JobRow): AppError {
  const body = job.error_json ? (JSON.parse(job.error_json) as { status?: number } & ErrorBody) : null;
  const e = body?.error;
  if (!e) return appError('internal');
  return new AppError({
    code: e.code,
    message: e.message,
    messageEn: e.messageEn,
    status: body.status ?? 500,
    hint: e.hint,
    where: e.where,
    details: e.details,
  });
}

export type { JobView };
