// One error type for the API: a stable code, Vietnamese and English messages, an HTTP status and, for
// bad input, where it is (sheet, cell). The texts are rows of the one catalogue, contracts/errors.ts.
// Unknown errors are logged and answered 500 without internals.
import type { ErrorRequestHandler } from 'express';
import type { ErrorWhere } from '../contracts/common.js';
import { errorEntry, fillError, inputStatus, type ApiErrorCode as ErrorCode } from '../contracts/errors.js';

/** Where in the input an error is: the contract's shape of it. */
export type Where = ErrorWhere;

export class AppError extends Error {
  readonly code: string;
  readonly messageVi: string;
  readonly messageEn: string;
  readonly status: number;
  readonly where?: Where;
  readonly isOperational: boolean;
  readonly details?: unknown;
  /** What the user can do about it (Vietnamese). */
  readonly hint?: string;

  constructor(opts: {
    code: string;
    message: string;
    messageEn: string;
    status: number;
    where?: Where;
    isOperational?: boolean;
    details?: unknown;
    hint?: string;
  }) {
    super(opts.messageEn);
    this.name = 'AppError';
    this.code = opts.code;
    this.messageVi = opts.message;
    this.messageEn = opts.messageEn;
    this.status = opts.status;
    this.where = opts.where;
    this.isOperational = opts.isOperational ?? true;
    this.details = opts.details;
    this.hint = opts.hint;
  }
}

export type { ApiErrorCode as ErrorCode } from '../contracts/errors.js';

/** Builds an AppError from the catalogue. */
export function appError(
  code: ErrorCode,
  params: Record<string, unknown> = {},
  where?: Where,
  details?: unknown,
): AppError {
  const text = fillError(code, params);
  return new AppError({
    code,
    status: errorEntry(code).status ?? 500,
    message: text.message,
    messageEn: text.messageEn,
    hint: text.hint,
    where,
    details,
  });
}

export function forbidden(reason: string, reasonEn: string): AppError {
  return appError('auth.forbidden', { reason, reasonEn });
}

/** Errors thrown by io/ adapters (InputError: {code, messageVi, messageEn, hint, where}) become AppErrors. */
export function fromInputError(err: unknown): AppError | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as {
    name?: string;
    code?: unknown;
    message?: unknown;
    messageVi?: unknown;
    messageEn?: unknown;
    hint?: unknown;
    where?: unknown;
  };
  if (e.name !== 'InputError' || typeof e.code !== 'string' || typeof e.messageEn !== 'string') return null;
  return new AppError({
    code: e.code,
    message: String(e.messageVi ?? e.message),
    messageEn: e.messageEn,
    status: inputStatus(e.code),
    where: (e.where as Where | undefined) ?? undefined,
    hint: typeof e.hint === 'string' ? e.hint : undefined,
  });
}

export interface ErrorBody {
  error: { code: string; message: string; messageEn: string; hint?: string; where?: Where; details?: unknown };
}

export function errorBody(e: AppError): ErrorBody {
  const body: ErrorBody = { error: { code: e.code, message: e.messageVi, messageEn: e.messageEn } };
  if (e.hint) body.error.hint = e.hint;
  if (e.where) body.error.where = e.where;
  if (e.details !== undefined) body.error.details = e.details;
  return body;
}

/** Express error middleware: operational errors as their JSON body; anything else logged, 500. */
export function errorMiddleware(log: (msg: string, err: unknown) => void = defaultLog): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    let e: AppError | null = err instanceof AppError ? err : fromInputError(err);
    if (!e) e = fromFrameworkError(err);
    if (!e || !e.isOperational) {
      log(`${req.method} ${req.originalUrl} failed`, err);
      e = appError('internal');
    }
    res.locals.errorCode = e.code;
    res.status(e.status).json(errorBody(e));
  };
}

/** Bytes as megabytes for messages: "20", "0,5" (Vietnamese decimal comma). */
export function megabytes(bytes: number): string {
  return String(Math.round((bytes / (1024 * 1024)) * 100) / 100).replace('.', ',');
}

function fromFrameworkError(err: unknown): AppError | null {
  const e = err as { type?: string; status?: number; code?: string; limit?: number; field?: string };
  if (!e || typeof e !== 'object') return null;
  if (e.type === 'entity.too.large' || e.code === 'LIMIT_FILE_SIZE') {
    const limit = typeof e.limit === 'number' ? e.limit : 20 * 1024 * 1024;
    return appError('submission.too-large', { limitMb: megabytes(limit) });
  }
  if (e.type === 'entity.parse.failed') return appError('request.invalid-json');
  if (e.code === 'LIMIT_UNEXPECTED_FILE' || e.code === 'LIMIT_FILE_COUNT') {
    return appError('request.invalid', { path: e.field ?? 'file', issue: 'chỉ gửi một tệp trong trường "file"' });
  }
  return null;
}

function defaultLog(msg: string, err: unknown): void {
  console.error(`[phuluc] ${msg}:`, err);
}
