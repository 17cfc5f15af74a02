// The Sheets v4 client (googleapis) authorised as the service account, and Google's errors as AppErrors that
// tell the officer what to do (share the sheet with the service account, check the link, try later).
// Types only at the top: googleapis (large) loads when a server first talks to Google, not at start.
import type { sheets_v4, drive_v3 } from 'googleapis';
import { appError, type AppError } from '../errors.js';
import type { GoogleOptions } from './config.js';

const SCOPES = ['https://www.googleapis.com/auth/spreadsheets', 'https://www.googleapis.com/auth/drive.file'];
// google-auth-library always posts the signed JWT here; a key file naming another token endpoint is honoured.
const DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export interface GoogleClients {
  sheets: sheets_v4.Sheets;
  drive: drive_v3.Drive;
  email: string;
  options: GoogleOptions;
}

export async function googleClients(options: GoogleOptions): Promise<GoogleClients> {
  const { google } = await import('googleapis');
  const auth = new google.auth.JWT({
    email: options.key.client_email,
    key: options.key.private_key,
    keyId: options.key.private_key_id,
    scopes: SCOPES,
  });
  const tokenUri = options.key.token_uri;
  if (tokenUri && tokenUri !== DEFAULT_TOKEN_URL) {
    auth.transporter.interceptors.request.add({
      resolved: async (cfg) => {
        if (String(cfg.url) === DEFAULT_TOKEN_URL) cfg.url = new URL(tokenUri);
        return cfg;
      },
    });
  }
  const common = { auth, ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}) };
  return {
    sheets: google.sheets({ version: 'v4', ...common }),
    drive: google.drive({ version: 'v3', ...common }),
    email: options.key.client_email,
    options,
  };
}

// ---------------------------------------------------------------------------------------------
// Errors.
// ---------------------------------------------------------------------------------------------

interface GoogleErrorShape {
  status?: number;
  code?: number | string;
  message?: string;
  response?: { status?: number; data?: { error?: { code?: number; message?: string; status?: string } } };
}

function statusOf(err: unknown): number | undefined {
  const e = err as GoogleErrorShape;
  const s = e?.response?.status ?? e?.status ?? (typeof e?.code === 'number' ? e.code : undefined);
  return typeof s === 'number' ? s : undefined;
}

function googleMessage(err: unknown): string {
  const e = err as GoogleErrorShape;
  return e?.response?.data?.error?.message ?? e?.message ?? String(err);
}

export interface GoogleErrorContext {
  /** What was being done, for the English log line. */
  action: 'read' | 'create' | 'write' | 'share';
  spreadsheetId?: string;
  url?: string;
  email: string;
}

/** Google's answer as an AppError with a Vietnamese message and a hint; null when it is not Google's. */
export function googleError(err: unknown, ctx: GoogleErrorContext): AppError {
  const status = statusOf(err);
  const detail = googleMessage(err);
  const what = ctx.url ? `"${ctx.url}"` : ctx.spreadsheetId ? `"${ctx.spreadsheetId}"` : '';
  const where = ctx.url ? { file: ctx.url } : undefined;
  if (status === 404) return appError('google.not-found', { what, detail }, where);
  if (status === 403) {
    const verb = ctx.action === 'read' ? 'đọc' : 'ghi';
    return appError('google.not-shared', { verb, what, email: ctx.email, detail }, where, { shareWith: ctx.email });
  }
  if (status === 429) return appError('google.quota', { detail });
  // The token endpoint answers OAuth errors ({error: "invalid_grant"}), not Google API errors.
  const oauth =
    typeof (err as { response?: { data?: { error?: unknown } } })?.response?.data?.error === 'string' ||
    /invalid_grant|invalid_client|unauthorized_client|Invalid JWT/i.test(String((err as Error)?.message ?? ''));
  if (status === 401 || oauth) return appError('google.auth', { detail });
  return appError('google.unavailable', { status: status ?? 'no status', detail });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a Google call, retrying on 429 with backoff (Google's advice for quota errors), then fails clearly. */
export async function withRetry<T>(
  options: GoogleOptions,
  ctx: GoogleErrorContext,
  call: () => Promise<T>,
): Promise<T> {
  const delays = options.retryDelaysMs ?? [1000, 2000, 4000];
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (statusOf(err) === 429 && attempt < delays.length) {
        await sleep(delays[attempt] * (1 + Math.random() * 0.2));
        continue;
      }
      throw googleError(err, ctx);
    }
  }
}

/** Gaxios options for every call: our own retry policy only (gaxios would retry 429s on its own otherwise). */
export const NO_GAXIOS_RETRY = { retry: false } as const;

/** Google not configured on this server. */
export function notConfigured(problem = 'GOOGLE_SERVICE_ACCOUNT_KEY is not set'): AppError {
  return appError('google.not-configured', { problem });
}
