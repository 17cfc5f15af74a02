// The Sheets v4 client (googleapis) authorised as the service account, and Google's errors as AppErrors that
// tell the officer what to do (share the sheet with the service account, check the link, try later).
// Types only at the top: googleapis (large) loads when a server first talks to Google, not at start.
import type { sheets_v4, drive_v3 } from 'googleapis';
import { AppError } from '../errors.js';
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
  return { sheets: google.sheets({ version: 'v4', ...common }), drive: google.drive({ version: 'v3', ...common }), email: options.key.client_email, options };
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
  if (status === 404) {
    return new AppError({
      code: 'google.not-found',
      status: 404,
      message: `Không tìm thấy bảng tính Google ${what}.`,
      messageEn: `Google spreadsheet ${what} not found: ${detail}`,
      hint: 'Kiểm tra lại đường dẫn: mở bảng tính, bấm "Chia sẻ" › "Sao chép đường liên kết" và dán đường liên kết đó.',
      where: ctx.url ? { file: ctx.url } : undefined,
    });
  }
  if (status === 403) {
    return new AppError({
      code: 'google.not-shared',
      status: 403,
      message: `Máy chủ Phụ lục chưa được phép ${ctx.action === 'read' ? 'đọc' : 'ghi'} bảng tính Google ${what}: bảng tính chưa được chia sẻ với tài khoản ${ctx.email}.`,
      messageEn: `Permission denied on Google spreadsheet ${what} for ${ctx.email}: ${detail}`,
      hint: `Mở bảng tính, bấm "Chia sẻ", thêm ${ctx.email} với quyền "Người xem" rồi nộp lại.`,
      where: ctx.url ? { file: ctx.url } : undefined,
      details: { shareWith: ctx.email },
    });
  }
  if (status === 429) {
    return new AppError({
      code: 'google.quota',
      status: 429,
      message: 'Google đang giới hạn số lượt truy cập bảng tính (vượt hạn mức); máy chủ đã thử lại nhưng chưa được.',
      messageEn: `Google Sheets quota exhausted after retries: ${detail}`,
      hint: 'Vui lòng thử lại sau khoảng một phút.',
    });
  }
  // The token endpoint answers OAuth errors ({error: "invalid_grant"}), not Google API errors.
  const oauth =
    typeof (err as { response?: { data?: { error?: unknown } } })?.response?.data?.error === 'string' ||
    /invalid_grant|invalid_client|unauthorized_client|Invalid JWT/i.test(String((err as Error)?.message ?? ''));
  if (status === 401 || oauth) {
    return new AppError({
      code: 'google.auth',
      status: 502,
      message: 'Máy chủ Phụ lục không đăng nhập được vào Google bằng tài khoản dịch vụ.',
      messageEn: `Google rejected the service-account credentials: ${detail}`,
      hint: 'Báo quản trị viên kiểm tra khóa tài khoản dịch vụ (GOOGLE_SERVICE_ACCOUNT_KEY).',
      isOperational: true,
    });
  }
  return new AppError({
    code: 'google.unavailable',
    status: 502,
    message: 'Không kết nối được Google Trang tính lúc này.',
    messageEn: `Google Sheets request failed (${status ?? 'no status'}): ${detail}`,
    hint: 'Vui lòng thử lại sau; nếu vẫn lỗi, báo quản trị viên.',
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a Google call, retrying on 429 with backoff (Google's advice for quota errors), then fails clearly. */
export async function withRetry<T>(options: GoogleOptions, ctx: GoogleErrorContext, call: () => Promise<T>): Promise<T> {
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
export function notConfigured(problem?: string): AppError {
  return new AppError({
    code: 'google.not-configured',
    status: 503,
    message: 'Máy chủ này chưa được cấu hình để làm việc với Google Trang tính.',
    messageEn: problem ?? 'Google Sheets is not configured on this server (GOOGLE_SERVICE_ACCOUNT_KEY is not set).',
    hint: 'Tải tệp lên (.xlsx) thay cho đường liên kết, hoặc báo quản trị viên cấu hình GOOGLE_SERVICE_ACCOUNT_KEY.',
  });
}
