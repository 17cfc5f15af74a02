// Talking to the Phụ lục server: rounds, directory, submissions. A submission that cannot reach
// the server waits in a queue (localStorage) and is retried; the pane shows that it is waiting.
import type { Grid, Report } from '../engine/index.js';
import type { CellWrite, IdColumn } from '../engine/index.js';
import type { MergeResult } from '../engine/index.js';
// The server's response shapes from the API contract, as types only (erased from the task-pane bundle).
import type { AssignedView, SyncComment, SyncStatusView } from '../contracts/index.js';

export interface Connection {
  server: string;
  token: string;
}

export interface Round {
  id: string;
  title: string;
  year?: number;
  deadline?: string;
  locked?: boolean;
  province?: string;
}

export interface SubmitResult {
  submissionId: string;
  version: number;
  duplicate: boolean;
  status: string;
  report?: Report;
}

export interface DirectoryResponse {
  agencies: { id: string; name: string; kind?: string }[];
  areas: { code: string; title: string }[];
}

/** An answer from the server that is an error (4xx/5xx), with the server's Vietnamese message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly where?: { sheet?: string; cell?: string },
    /** The whole answer (a stale push carries the three-way comparison here). */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/** `POST /api/rounds/:roundId/sync` stored the sheet (201 new version, 200 same content). */
export interface PushResult extends SubmitResult {
  ids: { id: string; sheet: string; row: number; number: string; assigned: boolean }[];
  idColumn: IdColumn | null;
  writes: CellWrite[];
}

/** The 409 answer of a push from a stale base: nothing stored, the per-task comparison instead. */
export interface StaleBody {
  error: { code: string; message: string };
  baseVersion: number;
  latestVersion: number;
  latest: { version: number; at: string; by: { username: string; displayName: string } } | null;
  merge: MergeResult;
}

export type AssignedResponse = AssignedView;

export type SyncStatusResponse = SyncStatusView;

export type ReviewComment = SyncComment;

export interface CommentsResponse {
  submissionId: string;
  status: string;
  latestVersion: number;
  comments: ReviewComment[];
}

/** The server could not be reached at all (offline, wrong address, server down). */
export class OfflineError extends Error {}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export class ApiClient {
  constructor(
    readonly conn: Connection,
    private fetchImpl: FetchLike = (i, init) => fetch(i, init),
  ) {}

  private url(path: string): string {
    return this.conn.server.replace(/\/+$/, '') + path;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await this.fetchImpl(this.url(path), {
        method,
        headers: {
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(this.conn.token ? { Authorization: `Bearer ${this.conn.token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      // The browser's own wording ("Failed to fetch") is English and says nothing more useful.
      throw new OfflineError(
        `Không kết nối được máy chủ ${this.conn.server} (mất mạng, sai địa chỉ hoặc máy chủ đang tắt).`,
      );
    }
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: reported below */
    }
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string; where?: { sheet?: string; cell?: string } } })
        ?.error;
      if (res.status === 502 || res.status === 503 || res.status === 504) {
        throw new OfflineError(`Máy chủ tạm thời không phản hồi (HTTP ${res.status}).`);
      }
      throw new ApiError(
        res.status,
        err?.code ?? `http.${res.status}`,
        err?.message ?? `Máy chủ trả lỗi HTTP ${res.status}.`,
        err?.where,
        json,
      );
    }
    if (json === undefined && text)
      throw new ApiError(res.status, 'http.not-json', 'Máy chủ trả về dữ liệu không phải JSON.');
    return json as T;
  }

  me(): Promise<{
    user: {
      id: string;
      username: string;
      displayName?: string;
      role: string;
      agencyId?: string;
      agencyName?: string;
      province?: string;
    };
  }> {
    return this.call('GET', '/api/me');
  }

  async rounds(): Promise<Round[]> {
    const body = await this.call<Round[] | { rounds: Round[] }>('GET', '/api/rounds');
    return Array.isArray(body) ? body : (body?.rounds ?? []);
  }

  directory(province?: string, date?: string): Promise<DirectoryResponse> {
    const q = new URLSearchParams();
    if (province) q.set('province', province);
    if (date) q.set('date', date);
    return this.call('GET', `/api/directory${q.size ? `?${q}` : ''}`);
  }

  submit(roundId: string, grids: Grid[], baseVersion?: number): Promise<SubmitResult> {
    return this.call('POST', `/api/rounds/${encodeURIComponent(roundId)}/submissions`, {
      grids,
      source: 'excel-addin',
      ...(baseVersion ? { baseVersion } : {}),
    });
  }

  /** Push with a base version; a stale base is an ApiError 409 `sync.stale-base` whose `body` is a StaleBody. */
  push(roundId: string, grids: Grid[], baseVersion: number): Promise<PushResult> {
    return this.call('POST', `/api/rounds/${encodeURIComponent(roundId)}/sync`, {
      grids,
      baseVersion,
      source: 'excel-addin',
    });
  }

  assigned(roundId: string): Promise<AssignedResponse> {
    return this.call('GET', `/api/rounds/${encodeURIComponent(roundId)}/assigned`);
  }

  syncStatus(roundId: string, baseVersion: number, dirty: boolean): Promise<SyncStatusResponse> {
    return this.call(
      'GET',
      `/api/rounds/${encodeURIComponent(roundId)}/sync-status?baseVersion=${baseVersion}&dirty=${dirty}`,
    );
  }

  comments(submissionId: string): Promise<CommentsResponse> {
    return this.call('GET', `/api/submissions/${encodeURIComponent(submissionId)}/comments`);
  }

  resolveComment(submissionId: string, commentId: string, resolved = true): Promise<{ comment: ReviewComment }> {
    return this.call(
      'POST',
      `/api/submissions/${encodeURIComponent(submissionId)}/comments/${encodeURIComponent(commentId)}/resolve`,
      { resolved },
    );
  }
}

/** A 409 answer to a push that carries the three-way comparison. */
export function staleBody(e: unknown): StaleBody | undefined {
  if (!(e instanceof ApiError) || e.status !== 409 || e.code !== 'sync.stale-base') return undefined;
  const b = e.body as StaleBody | undefined;
  return b && typeof b === 'object' && b.merge ? b : undefined;
}

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
