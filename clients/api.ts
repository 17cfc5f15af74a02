// The HTTP API as every client speaks it: how each call's request is built and how its answer is read, against
// the contract's schemas. The transport is injected, because the hosts differ: fetch (asynchronous) in the Excel
// pane and the dashboard, UrlFetchApp (synchronous) in Apps Script. A call is a request plus a reader, so one
// description serves both: `await send(call.request)` then `call.read(answer)`, or the same without await.
import type { z } from 'zod';
import {
  AssignedView,
  CommentsResponse,
  DirectoryResponse,
  PushResponse,
  ResolveResponse,
  RoundsResponse,
  StaleResponse,
  SubmitResponse,
  SyncStatusView,
  type ErrorWhere,
  type SubmissionSource,
} from '../contracts/index.js';
import type { Grid } from '../engine/index.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A request relative to the server (`path` starts with /api); `body` is sent as JSON, `form` as it is (uploads). */
export interface HttpRequest {
  method: HttpMethod;
  path: string;
  body?: unknown;
  form?: unknown;
}

/** What came back: the status and the body's text (JSON for every answer of the API). */
export interface HttpAnswer {
  status: number;
  text: string;
}

/** One API call: its request and how to read its answer. */
export interface Call<T> {
  request: HttpRequest;
  read(answer: HttpAnswer): T;
}

/** An answer from the server that is an error (4xx/5xx), with the server's Vietnamese message and hint. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly where?: ErrorWhere,
    /** The whole answer (a stale push carries the three-way comparison here). */
    readonly body?: unknown,
    readonly hint?: string,
  ) {
    super(message);
  }

  /** The message with its hint, for a host that shows one line. */
  get text(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }
}

/** The server could not be reached at all (offline, wrong address, server down or a gateway without it). */
export class OfflineError extends Error {}

export function offlineError(server: string): OfflineError {
  const where = server ? ` ${server}` : '';
  return new OfflineError(`Không kết nối được máy chủ${where} (mất mạng, sai địa chỉ hoặc máy chủ đang tắt).`);
}

/**
 * Reads an answer's JSON. An error status becomes an ApiError with the server's code and message (a gateway's
 * 502/503/504 an OfflineError: the server itself did not answer); a body that is not JSON is an error too.
 */
export function readJson(answer: HttpAnswer): unknown {
  const { status, text } = answer;
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: said below */
  }
  if (status >= 400) {
    if (status === 502 || status === 503 || status === 504)
      throw new OfflineError(`Máy chủ tạm thời không phản hồi (HTTP ${status}).`);
    const err = (json as { error?: { code?: string; message?: string; hint?: string; where?: ErrorWhere } } | null)
      ?.error;
    throw new ApiError(
      status,
      err?.code ?? `http.${status}`,
      err?.message ?? `Máy chủ trả lỗi HTTP ${status}.`,
      err?.where ?? undefined,
      json,
      err?.hint,
    );
  }
  if (json === undefined && text)
    throw new ApiError(status, 'http.not-json', `Máy chủ trả về dữ liệu không phải JSON (HTTP ${status}).`);
  return json;
}

/**
 * Reads an answer against its contract schema. An answer of another shape means the client and the server are
 * of different versions: said as such, with the first field that differs, rather than failing later on a field.
 */
export function readAs<S extends z.ZodType>(schema: S, answer: HttpAnswer): z.output<S> {
  const json = readJson(answer);
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? ` (trường ${issue.path.join('.')})` : '';
  throw new ApiError(
    answer.status,
    'http.contract',
    `Câu trả lời của máy chủ không đúng định dạng đã thống nhất${field}.`,
    undefined,
    json,
    'Phiên bản phần mở rộng và máy chủ có thể lệch nhau: cập nhật phần mở rộng hoặc báo quản trị viên.',
  );
}

/** A call whose answer is read against `schema`. */
function call<S extends z.ZodType>(request: HttpRequest, schema: S): Call<z.output<S>> {
  return { request, read: (answer) => readAs(schema, answer) };
}

/** A call whose answer is typed by the caller only (views the contract describes loosely). */
export function untyped<T>(method: HttpMethod, path: string, body?: unknown): Call<T> {
  return { request: { method, path, ...(body === undefined ? {} : { body }) }, read: (a) => readJson(a) as T };
}

const enc = encodeURIComponent;
const roundPath = (roundId: string) => `/api/rounds/${enc(roundId)}`;

/** The body of a submission from a client (`POST /api/rounds/:id/submissions`). */
export interface SubmitBody {
  grids: Grid[];
  source: SubmissionSource;
  baseVersion?: number;
  fileName?: string;
}

/** The body of a sync push (`POST /api/rounds/:id/sync`). */
export interface PushBody {
  grids: Grid[];
  baseVersion: number;
  source: SubmissionSource;
  fileName?: string;
}

/** The 409 of a push from a stale base: nothing stored, the per-task three-way comparison instead. */
export function staleOf(e: unknown): StaleResponse | undefined {
  if (!(e instanceof ApiError) || e.status !== 409 || e.code !== 'sync.stale-base') return undefined;
  const parsed = StaleResponse.safeParse(e.body);
  return parsed.success ? parsed.data : undefined;
}

/** The calls the add-ins make, each against its contract schema. */
export const calls = {
  me: () =>
    untyped<{
      user: {
        id: string;
        username: string;
        displayName?: string;
        role: string;
        agencyId?: string;
        agencyName?: string;
        province?: string;
      };
      csrfToken?: string;
    }>('GET', '/api/me'),

  rounds: () => call({ method: 'GET', path: '/api/rounds' }, RoundsResponse),

  directory(province?: string, date?: string) {
    const q = [province && `province=${enc(province)}`, date && `date=${enc(date)}`].filter(Boolean).join('&');
    return call({ method: 'GET', path: `/api/directory${q ? `?${q}` : ''}` }, DirectoryResponse);
  },

  submit: (roundId: string, body: SubmitBody) =>
    call({ method: 'POST', path: `${roundPath(roundId)}/submissions`, body }, SubmitResponse),

  /** A push from a base version; a stale base throws the ApiError 409 `sync.stale-base` that `staleOf` reads. */
  push: (roundId: string, body: PushBody) =>
    call({ method: 'POST', path: `${roundPath(roundId)}/sync`, body }, PushResponse),

  assigned: (roundId: string) => call({ method: 'GET', path: `${roundPath(roundId)}/assigned` }, AssignedView),

  syncStatus: (roundId: string, baseVersion: number, dirty: boolean) =>
    call(
      { method: 'GET', path: `${roundPath(roundId)}/sync-status?baseVersion=${baseVersion}&dirty=${dirty}` },
      SyncStatusView,
    ),

  comments: (submissionId: string) =>
    call({ method: 'GET', path: `/api/submissions/${enc(submissionId)}/comments` }, CommentsResponse),

  resolveComment: (submissionId: string, commentId: string, resolved = true) =>
    call(
      {
        method: 'POST',
        path: `/api/submissions/${enc(submissionId)}/comments/${enc(commentId)}/resolve`,
        body: { resolved },
      },
      ResolveResponse,
    ),
};

/** The part of fetch the clients use (typed here: this layer has no DOM). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: unknown; credentials?: 'same-origin' },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface FetchOptions {
  /** The server's address ('' for the page's own origin). */
  server: string;
  /** Extra headers per request (the bearer token, or the session's CSRF token). */
  headers?: (req: HttpRequest) => Record<string, string>;
  /** Send the session cookie (the dashboard). */
  cookies?: boolean;
  fetch?: FetchLike;
}

/** A transport over fetch: any failure to reach the server is an OfflineError saying so in Vietnamese. */
export function fetchTransport(opts: FetchOptions): (req: HttpRequest) => Promise<HttpAnswer> {
  const base = opts.server.replace(/\/+$/, '');
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => fetch(url, init));
  return async (req) => {
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers?.(req) };
    let body: unknown = req.form;
    if (req.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(req.body);
    }
    let res: Awaited<ReturnType<FetchLike>>;
    try {
      res = await doFetch(base + req.path, {
        method: req.method,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(opts.cookies ? { credentials: 'same-origin' as const } : {}),
      });
    } catch {
      // The browser's own wording ("Failed to fetch") is English and says nothing more useful.
      throw offlineError(opts.server);
    }
    return { status: res.status, text: await res.text() };
  };
}

// The host's fetch (the pane's and the dashboard's browser, Node in tests), declared here without the DOM types.
declare function fetch(url: string, init: unknown): Promise<{ status: number; text(): Promise<string> }>;
