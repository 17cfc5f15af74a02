// Talking to the Phụ lục server: rounds, directory, submissions. The calls and the reading of their answers are
// the shared client protocol (clients/api.ts); this file adds the pane's transport (fetch with the agency token)
// and the queue: a submission that cannot reach the server waits in localStorage and is retried, and the pane
// shows that it is waiting.
import type { Grid } from '../engine/index.js';
import {
  ApiError,
  OfflineError,
  calls,
  fetchTransport,
  staleOf,
  type Call,
  type HttpAnswer,
  type HttpRequest,
} from '../clients/api.js';
import type {
  AssignedView,
  CommentsResponse,
  DirectoryResponse,
  PushResponse,
  RoundView,
  StaleResponse,
  SubmitResponse,
  SyncComment,
  SyncStatusView,
} from '../contracts/index.js';

export { ApiError, OfflineError };
export type { CommentsResponse, DirectoryResponse };

export interface Connection {
  server: string;
  token: string;
}

export type Round = RoundView;
export type SubmitResult = SubmitResponse;
/** `POST /api/rounds/:roundId/sync` stored the sheet (201 new version, 200 same content). */
export type PushResult = PushResponse;
/** The 409 answer of a push from a stale base: nothing stored, the per-task comparison instead. */
export type StaleBody = StaleResponse;
export type AssignedResponse = AssignedView;
export type SyncStatusResponse = SyncStatusView;
export type ReviewComment = SyncComment;

type FetchImpl = (input: string, init?: RequestInit) => Promise<Response>;

export class ApiClient {
  private send: (req: HttpRequest) => Promise<HttpAnswer>;

  constructor(
    readonly conn: Connection,
    fetchImpl: FetchImpl = (i, init) => fetch(i, init),
  ) {
    this.send = fetchTransport({
      server: conn.server,
      headers: (): Record<string, string> => (conn.token ? { Authorization: `Bearer ${conn.token}` } : {}),
      fetch: (url, init) => fetchImpl(url, init as RequestInit),
    });
  }

  private async run<T>(c: Call<T>): Promise<T> {
    return c.read(await this.send(c.request));
  }

  me() {
    return this.run(calls.me());
  }

  async rounds(): Promise<Round[]> {
    return (await this.run(calls.rounds())).rounds;
  }

  directory(province?: string, date?: string): Promise<DirectoryResponse> {
    return this.run(calls.directory(province, date));
  }

  submit(roundId: string, grids: Grid[], baseVersion?: number): Promise<SubmitResult> {
    return this.run(calls.submit(roundId, { grids, source: 'excel-addin', ...(baseVersion ? { baseVersion } : {}) }));
  }

  /** Push with a base version; a stale base is an ApiError 409 `sync.stale-base` whose `body` is a StaleBody. */
  push(roundId: string, grids: Grid[], baseVersion: number): Promise<PushResult> {
    return this.run(calls.push(roundId, { grids, baseVersion, source: 'excel-addin' }));
  }

  assigned(roundId: string): Promise<AssignedResponse> {
    return this.run(calls.assigned(roundId));
  }

  syncStatus(roundId: string, baseVersion: number, dirty: boolean): Promise<SyncStatusResponse> {
    return this.run(calls.syncStatus(roundId, baseVersion, dirty));
  }

  comments(submissionId: string): Promise<CommentsResponse> {
    return this.run(calls.comments(submissionId));
  }

  resolveComment(submissionId: string, commentId: string, resolved = true): Promise<{ comment: ReviewComment }> {
    return this.run(calls.resolveComment(submissionId, commentId, resolved));
  }
}

/** A 409 answer to a push that carries the three-way comparison. */
export const staleBody = staleOf;

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface QueuedSubmission {
  id: string;
  server: string;
  roundId: string;
  roundTitle?: string;
  grids: Grid[];
  queuedAt: string;
  attempts: number;
  lastError?: string;
  /** A sync push (with the base version it was edited from) rather than a plain submission. */
  baseVersion?: number;
}

export type SubmitOutcome =
  | { kind: 'sent'; result: SubmitResult; item?: QueuedSubmission }
  | { kind: 'queued'; item: QueuedSubmission; reason: string }
  | { kind: 'rejected'; error: ApiError; item?: QueuedSubmission };

const QUEUE_KEY = 'phuluc.queue';

/** Submissions waiting for the server. Retries in order; a rejection (4xx) leaves the queue. */
export class SubmitQueue {
  private timer: ReturnType<typeof setInterval> | undefined;
  private flushing: Promise<SubmitOutcome[]> | undefined;
  onChange?: (items: QueuedSubmission[], last?: SubmitOutcome) => void;

  constructor(
    private store: KeyValueStore,
    private clientFor: (server: string) => ApiClient,
  ) {}

  items(): QueuedSubmission[] {
    try {
      return JSON.parse(this.store.getItem(QUEUE_KEY) ?? '[]') as QueuedSubmission[];
    } catch {
      return [];
    }
  }

  private save(items: QueuedSubmission[]): void {
    if (items.length) this.store.setItem(QUEUE_KEY, JSON.stringify(items));
    else this.store.removeItem(QUEUE_KEY);
  }

  private send(item: Pick<QueuedSubmission, 'server' | 'roundId' | 'grids' | 'baseVersion'>): Promise<SubmitResult> {
    const c = this.clientFor(item.server);
    return item.baseVersion === undefined
      ? c.submit(item.roundId, item.grids)
      : c.push(item.roundId, item.grids, item.baseVersion);
  }

  /** Sends now; when the server cannot be reached, queues the submission instead. */
  async submit(
    server: string,
    roundId: string,
    grids: Grid[],
    roundTitle?: string,
    baseVersion?: number,
  ): Promise<SubmitOutcome> {
    try {
      const result = await this.send({ server, roundId, grids, baseVersion });
      return { kind: 'sent', result };
    } catch (e) {
      if (e instanceof ApiError) return { kind: 'rejected', error: e };
      const item: QueuedSubmission = {
        id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
        server,
        roundId,
        roundTitle,
        grids,
        queuedAt: new Date().toISOString(),
        attempts: 1,
        lastError: (e as Error).message,
        ...(baseVersion === undefined ? {} : { baseVersion }),
      };
      // A newer version of the same sheet for the same round replaces the waiting one.
      this.save([...this.items().filter((i) => !(i.server === server && i.roundId === roundId)), item]);
      const outcome: SubmitOutcome = { kind: 'queued', item, reason: (e as Error).message };
      this.onChange?.(this.items(), outcome);
      return outcome;
    }
  }

  /** Tries every waiting submission once, oldest first. */
  flush(): Promise<SubmitOutcome[]> {
    this.flushing ??= this.doFlush().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async doFlush(): Promise<SubmitOutcome[]> {
    const outcomes: SubmitOutcome[] = [];
    for (const item of this.items()) {
      try {
        const result = await this.send(item);
        this.save(this.items().filter((i) => i.id !== item.id));
        outcomes.push({ kind: 'sent', result, item });
      } catch (e) {
        if (e instanceof ApiError) {
          this.save(this.items().filter((i) => i.id !== item.id));
          outcomes.push({ kind: 'rejected', error: e, item });
        } else {
          this.save(
            this.items().map((i) =>
              i.id === item.id ? { ...i, attempts: i.attempts + 1, lastError: (e as Error).message } : i,
            ),
          );
          outcomes.push({ kind: 'queued', item, reason: (e as Error).message });
          break; // still offline: keep the order, try later
        }
      }
    }
    this.onChange?.(this.items(), outcomes.at(-1));
    return outcomes;
  }

  /** Retries periodically and whenever the browser says it is back online. */
  startRetrying(everyMs = 30_000, win?: { addEventListener(t: string, f: () => void): void }): void {
    this.stopRetrying();
    this.timer = setInterval(() => {
      if (this.items().length) void this.flush();
    }, everyMs);
    win?.addEventListener('online', () => void this.flush());
  }

  stopRetrying(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** An in-memory store (tests, or when localStorage is blocked). */
export class MemoryStore implements KeyValueStore {
  private m = new Map<string, string>();
  getItem(k: string): string | null {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.m.set(k, v);
  }
  removeItem(k: string): void {
    this.m.delete(k);
  }
}
