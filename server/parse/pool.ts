// The pool of worker threads (piscina) that reads every upload, JSON grid body and fetched Google Sheet
// (server/parse/work.ts). Each thread has a heap cap (resourceLimits) and each task a wall-time limit:
// a file that needs more memory or time kills its own thread and gets a coded 413/422, while the event
// loop keeps answering. One user has at most LIMITS.parsesPerUser parses in the pool at once; the user's
// others wait in a line of their own (bounded: 429 beyond), so one account cannot fill the pool's queue
// for everyone; and the pool's queue is bounded too (503 beyond).
//
// Each thread is a pool of its own (a lane): a task naming an agency goes to that agency's lane, whose thread keeps
// the agency's validation session (server/parse/sessions.ts), unless that lane is busier than the least busy one by
// more than a task (the other thread then checks it afresh: the session is only a cache). Other tasks go to the
// least busy lane.
//
// Worker entry: the bundle's parse.worker.mjs when the server runs from dist/runtime (scripts/build-runtime.mjs
// makes one entry per *.worker.ts), else worker.dev.mjs, which compiles parse.worker.ts with tsx (development,
// tests: a thread started inside vitest has no TypeScript loader). PARSE_WORKER names another file.
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { BUNDLED, workerFile as bundledWorkerFile } from '../paths.js';
import { InputError } from '../../io/errors.js';
import { LIMITS } from '../../io/limits.js';
import { AppError, appError, fromInputError } from '../errors.js';
import { runTask, type ErrorData, type OutcomeOf, type ParseResult, type ParseTask } from './work.js';

export interface ParsePoolOptions {
  /** Threads at most (default: the machine's cores, 1–4: the main thread mostly waits on the database). */
  threads?: number;
  /** Wall time of one task (ms). */
  timeoutMs?: number;
  /** Extra time for a task that may have to wait for a new thread to start (ms). */
  startMs?: number;
  /** Old-generation heap of one thread (MB). */
  heapMb?: number;
  /** Tasks of one user running at once; the user's others wait in line. */
  perUser?: number;
  /** Tasks of one user waiting in that line, beyond which new ones are refused (429). */
  perUserQueue?: number;
  /** Tasks waiting for a thread, beyond which new ones are refused (server busy). */
  maxQueue?: number;
  /** Run tasks on the calling thread (no limits of time or memory): scripts that load seeds at start. */
  inline?: boolean;
  /** The worker file (absolute path). */
  workerFile?: string;
}

/** Where the worker entry is: the bundle's, else the development bootstrap. */
export function workerFile(): string {
  if (process.env.PARSE_WORKER) return process.env.PARSE_WORKER;
  if (BUNDLED) return bundledWorkerFile('server/parse/parse.worker.ts');
  return join(dirname(fileURLToPath(import.meta.url)), 'worker.dev.mjs');
}

export function defaultThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

const busy = (userId: string, waiting: number) => appError('parse.busy', { userId, waiting });
const queueFull = () => appError('parse.queue-full');

/** An error returned as data by a worker → the AppError the API answers with. */
export function rebuildError(e: ErrorData): Error {
  if (e.name === 'InputError') return fromInputError(e) ?? new Error(e.message);
  if (e.name === 'AppError' && e.code && e.status) {
    return new AppError({
      code: e.code,
      status: e.status,
      message: e.message,
      messageEn: e.messageEn ?? e.message,
      hint: e.hint,
      where: e.where,
      details: e.details,
    });
  }
  return new Error(`parse worker: ${e.message}`);
}

/** A lane: one thread, its queue, and the tasks given to it and not yet ended. */
interface Lane {
  piscina: Piscina | null;
  running: number;
}

/** FNV-1a of a key: the lane an agency's tasks go to. */
function laneHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class ParsePool {
  private readonly lanes: Lane[];
  /** Per user: tasks in the pool, and those waiting for one of the user's places. */
  private readonly users = new Map<string, { running: number; waiting: (() => void)[] }>();
  readonly threads: number;
  readonly timeoutMs: number;
  readonly startMs: number;
  readonly heapMb: number;
  readonly perUser: number;
  readonly perUserQueue: number;
  readonly maxQueue: number;

  constructor(private readonly opts: ParsePoolOptions = {}) {
    this.threads = opts.threads ?? defaultThreads();
    this.timeoutMs = opts.timeoutMs ?? LIMITS.parseMillis;
    this.startMs = opts.startMs ?? 10_000;
    this.heapMb = opts.heapMb ?? LIMITS.workerHeapMb;
    this.perUser = opts.perUser ?? LIMITS.parsesPerUser;
    this.perUserQueue = opts.perUserQueue ?? 64;
    this.maxQueue = opts.maxQueue ?? 256;
    this.lanes = Array.from({ length: this.threads }, () => ({ piscina: null, running: 0 }));
  }

  /** The agency's lane unless it is busier than the least busy by more than one task; else the least busy. */
  private laneFor(task: ParseTask): Lane {
    let least = this.lanes[0];
    for (const l of this.lanes) if (l.running < least.running) least = l;
    const agency = 'agency' in task ? task.agency : undefined;
    if (agency === undefined) return least;
    const home = this.lanes[laneHash(agency) % this.lanes.length];
    return home.running > least.running + 1 ? least : home;
  }

  private pool(lane: Lane): Piscina {
    // Threads start on first use and leave after a minute idle (an idle thread does not keep the process up).
    lane.piscina ??= new Piscina({
      filename: this.opts.workerFile ?? workerFile(),
      minThreads: 0,
      maxThreads: 1,
      idleTimeout: 60_000,
      // The queue's bound is shared out between the lanes.
      maxQueue: Math.max(1, Math.ceil(this.maxQueue / this.lanes.length)),
      // A small young generation matters: with a large one, a JSON.parse that runs out of heap can end the
      // whole process (V8 fatal error) instead of only its thread (ERR_WORKER_OUT_OF_MEMORY); see
      // tests/server/api/hostile.test.ts.
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    });
    return lane.piscina;
  }

  /**
   * Runs one task for a user (null: the system, uncapped). `label` names the input in messages (file
   * name or "dữ liệu gửi lên"). Throws the task's own error (AppError) or a coded refusal.
   */
  async run<T extends ParseTask>(userId: string | null, label: string, task: T): Promise<OutcomeOf<T>> {
    if (this.opts.inline) return unwrap(await runTask(task)) as unknown as OutcomeOf<T>;
    if (userId !== null) await this.enter(userId);
    const abort = new AbortController();
    const lane = this.laneFor(task);
    // While the lane has no thread, the task may wait for one to start (a module load, longer from the sources
    // under tsx): that time is not the input's.
    const cold = (lane.piscina?.threads.length ?? 0) === 0;
    const timer = setTimeout(() => abort.abort(), this.timeoutMs + (cold ? this.startMs : 0));
    lane.running++;
    try {
      return unwrap(
        (await this.pool(lane).run(task, { signal: abort.signal })) as ParseResult,
      ) as unknown as OutcomeOf<T>;
    } catch (err) {
      throw this.refusal(err, label, abort.signal.aborted);
    } finally {
      lane.running--;
      clearTimeout(timer);
      if (userId !== null) this.leave(userId);
    }
  }

  /** Takes one of the user's places in the pool, waiting in the user's line when all are taken. */
  private async enter(userId: string): Promise<void> {
    let u = this.users.get(userId);
    if (!u) this.users.set(userId, (u = { running: 0, waiting: [] }));
    if (u.running < this.perUser) {
      u.running++;
      return;
    }
    if (u.waiting.length >= this.perUserQueue) throw busy(userId, u.waiting.length);
    // The place is handed over by leave(): running stays counted for the waiter.
    await new Promise<void>((resolve) => u.waiting.push(resolve));
  }

  private leave(userId: string): void {
    const u = this.users.get(userId);
    if (!u) return;
    const next = u.waiting.shift();
    if (next) return next();
    if (--u.running <= 0) this.users.delete(userId);
  }

  private refusal(err: unknown, label: string, timedOut: boolean): unknown {
    if (err instanceof AppError) return err;
    const e = err as { name?: string; code?: string; message?: string };
    if (timedOut || e?.name === 'AbortError') {
      return (
        fromInputError(
          new InputError('input.parse-timeout', { seconds: Math.round(this.timeoutMs / 100) / 10 }, { file: label }),
        ) ?? err
      );
    }
    if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory|heap limit/i.test(e?.message ?? '')) {
      return fromInputError(new InputError('input.parse-memory', {}, { file: label })) ?? err;
    }
    if (e?.message === 'Task queue is at limit') return queueFull();
    return err;
  }

  /** A user's tasks in the pool and waiting (tests). */
  load(userId: string): { running: number; waiting: number } {
    const u = this.users.get(userId);
    return { running: u?.running ?? 0, waiting: u?.waiting.length ?? 0 };
  }

  /**
   * Stops the threads once the reads already running or waiting have ended (at most `graceMs`): a server that shuts
   * down answers the submissions it accepted instead of failing them with "Terminating worker thread".
   */
  async close(graceMs = 5000): Promise<void> {
    const until = Date.now() + graceMs;
    while (this.users.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    const pools = this.lanes.map((l) => l.piscina);
    for (const l of this.lanes) l.piscina = null;
    await Promise.all(pools.map((p) => p?.destroy()));
  }
}

function unwrap(r: ParseResult): Exclude<ParseResult, { ok: false }> {
  if (!r.ok) throw rebuildError(r.error);
  return r;
}
