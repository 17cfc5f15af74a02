// One error type for the API: a stable code, Vietnamese and English messages, an HTTP status and, for
// bad input, where it is (sheet, cell). Unknown errors are logged and answered 500 without internals.
import type { ErrorRequestHandler } from 'express';

export interface Where {
  file?: string;
  sheet?: string;
  cell?: string;
  row?: number;
  field?: string;
}

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

type Template = { status: number; vi: string; en: string };

/** The catalogue of API error codes. {placeholders} are filled from params. */
export const ERRORS = {
  'auth.required': { status: 401, vi: 'Bạn cần đăng nhập.', en: 'Sign-in required.' },
  'auth.invalid-credentials': {
    status: 401,
    vi: 'Tên đăng nhập hoặc mật khẩu không đúng.',
    en: 'Wrong username or password.',
  },
  'auth.invalid-token': {
    status: 401,
    vi: 'Mã truy cập (API token) không hợp lệ hoặc đã bị thu hồi. Hãy tạo mã mới trên trang quản trị.',
    en: 'The API token is invalid or revoked.',
  },
  'auth.too-many-attempts': {
    status: 429,
    vi: 'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút hoặc liên hệ quản trị viên.',
    en: 'Too many failed sign-ins; retry in {minutes} minutes.',
  },
  'auth.account-disabled': {
    status: 403,
    vi: 'Tài khoản "{username}" đã bị khoá. Liên hệ quản trị viên Sở Nội vụ để mở lại.',
    en: 'Account "{username}" is disabled.',
  },
  'auth.password-change-required': {
    status: 403,
    vi: 'Mật khẩu của bạn do quản trị viên đặt lại: hãy đổi mật khẩu (POST /api/me/password) trước khi làm việc khác.',
    en: 'The password was reset by an admin: change it before anything else.',
  },
  'auth.token-expired': {
    status: 401,
    vi: 'Mã truy cập (API token) "{label}" đã hết hạn ngày {expiresAt}. Hãy tạo mã mới trên bảng điều khiển.',
    en: 'API token "{label}" expired at {expiresAt}.',
  },
  'auth.token-scope': {
    status: 403,
    vi: 'Mã truy cập của phần bổ trợ chỉ dùng để xem, nộp và đồng bộ phụ lục; việc này cần đăng nhập bằng mật khẩu trên bảng điều khiển.',
    en: 'API tokens may only read, submit and sync; this needs a signed-in session.',
  },
  'auth.csrf': {
    status: 403,
    vi: 'Yêu cầu bị từ chối vì không đến từ trang của Phụ lục ({reason}). Hãy mở bảng điều khiển từ địa chỉ của máy chủ rồi thử lại.',
    en: 'Request refused as a possible cross-site request ({reasonEn}).',
  },
  'user.not-found': { status: 404, vi: 'Không tìm thấy tài khoản "{userId}".', en: 'User "{userId}" not found.' },
  'review.version-required': {
    status: 400,
    vi: 'Cần cho biết phiên bản bạn đã xem ("version") khi chấp nhận hoặc trả lại bài nộp.',
    en: 'Accept and return need the version the reviewer saw ("version").',
  },
  'google.sheet-owned': {
    status: 403,
    vi: 'Bảng tính Google này đã được một cơ quan khác nộp; mỗi bảng tính chỉ thuộc về cơ quan nộp nó lần đầu. Hãy nộp bảng tính của chính cơ quan bạn.',
    en: 'This Google spreadsheet belongs to the agency that first submitted it.',
  },
  'job.not-found': { status: 404, vi: 'Không tìm thấy việc "{jobId}".', en: 'Job "{jobId}" not found.' },
  'auth.forbidden': {
    status: 403,
    vi: 'Bạn không có quyền thực hiện thao tác này: {reason}',
    en: 'Forbidden: {reasonEn}',
  },
  'request.invalid': {
    status: 400,
    vi: 'Dữ liệu gửi lên không hợp lệ ở "{path}": {issue}',
    en: 'Invalid request body at "{path}": {issue}',
  },
  'request.invalid-json': {
    status: 400,
    vi: 'Nội dung gửi lên không phải JSON hợp lệ.',
    en: 'The request body is not valid JSON.',
  },
  'not-found': { status: 404, vi: 'Không tìm thấy địa chỉ {path}.', en: 'No route {path}.' },
  'token.not-found': { status: 404, vi: 'Không tìm thấy mã truy cập "{tokenId}".', en: 'Token "{tokenId}" not found.' },
  'user.exists': {
    status: 409,
    vi: 'Tên đăng nhập "{username}" đã có người dùng; chọn tên khác.',
    en: 'Username "{username}" is taken.',
  },
  'round.not-found': { status: 404, vi: 'Không tìm thấy đợt báo cáo "{roundId}".', en: 'Round "{roundId}" not found.' },
  'round.locked': {
    status: 409,
    vi: 'Đợt báo cáo "{title}" đã khóa; không thể nộp hoặc thay đổi. Liên hệ Sở Nội vụ nếu cần mở lại.',
    en: 'Round "{title}" is locked.',
  },
  'round.not-expected': {
    status: 403,
    vi: 'Cơ quan "{agencyName}" không thuộc danh sách cơ quan phải nộp của đợt "{title}".',
    en: 'Agency "{agencyName}" is not expected in round "{title}".',
  },
  'round.unknown-agency': {
    status: 400,
    vi: 'Mã cơ quan "{agencyId}" không có trong danh mục cơ quan của tỉnh.',
    en: 'Agency id "{agencyId}" is not in the province directory.',
  },
  'submission.not-found': {
    status: 404,
    vi: 'Không tìm thấy bài nộp "{submissionId}".',
    en: 'Submission "{submissionId}" not found.',
  },
  'version.not-found': {
    status: 404,
    vi: 'Bài nộp không có phiên bản số {version}.',
    en: 'The submission has no version {version}.',
  },
  'submission.stale': {
    status: 409,
    vi: 'Bản của bạn dựa trên phiên bản {baseVersion} nhưng đã có phiên bản mới hơn ({latestVersion}). Hãy tải bản mới nhất, đối chiếu rồi nộp lại.',
    en: 'Stale base version {baseVersion}: the latest version is {latestVersion}.',
  },
  'submission.conflict': {
    status: 409,
    vi: 'Có nhiều lần nộp cùng lúc; vui lòng nộp lại.',
    en: 'Concurrent submissions collided; please retry.',
  },
  'submission.no-file': {
    status: 400,
    vi: 'Chưa có tệp: gửi tệp trong trường "file" (multipart) hoặc JSON {"grids": [...]}.',
    en: 'No file: send a multipart "file" field or a JSON {"grids": [...]} body.',
  },
  'submission.too-large': {
    status: 413,
    vi: 'Tệp quá lớn: tối đa {limitMb} MB. Hãy xóa các trang tính không cần thiết hoặc hình ảnh rồi nộp lại.',
    en: 'File too large: the limit is {limitMb} MB.',
  },
  'submission.empty': {
    status: 422,
    vi: 'Tệp không có dữ liệu: mọi trang tính đều trống.',
    en: 'The file has no data: every sheet is empty.',
  },
  'submission.no-annex': {
    status: 422,
    vi: 'Không tìm thấy bảng phụ lục nhiệm vụ trong {where}. {hint}',
    en: 'No annex task table found in {where}.',
  },
  'submission.unsupported-source': {
    status: 400,
    vi: 'Hình thức nộp "{source}" chưa được hỗ trợ trên máy chủ này.',
    en: 'Submission source "{source}" is not supported on this server.',
  },
  'submission.not-agency': {
    status: 400,
    vi: 'Tài khoản chưa gắn với cơ quan nào; chọn cơ quan nộp (tham số agencyId).',
    en: 'The account has no agency; pass agencyId.',
  },
  'report.not-built': {
    status: 404,
    vi: 'Chưa tổng hợp báo cáo cho đợt này. Bấm "Tổng hợp báo cáo" trước khi tải về.',
    en: 'No consolidated report has been built for this round yet.',
  },
  'report.no-submissions': {
    status: 422,
    vi: 'Chưa có bài nộp nào{which} để tổng hợp.',
    en: 'No {whichEn} submissions to consolidate.',
  },
  'decision.unknown-group': {
    status: 409,
    vi: 'Nhóm nhiệm vụ "{group}" không có trong báo cáo tổng hợp gần nhất (nội dung nhiệm vụ có thể đã đổi). Bấm "Tổng hợp báo cáo" rồi chọn lại nhóm.',
    en: 'Group "{group}" is not in the last consolidated report; rebuild the report and choose again.',
  },
  'decision.not-found': { status: 404, vi: 'Không tìm thấy quyết định "{decisionId}" trong đợt báo cáo này.', en: 'Decision "{decisionId}" not found in this round.' },
  'decision.ended': {
    status: 409,
    vi: 'Quyết định này đã được hủy hoặc thay bằng quyết định khác. Tải lại trang để xem các quyết định đang áp dụng.',
    en: 'This decision was already undone or replaced.',
  },
  'decision.conflict': {
    status: 409,
    vi: 'Một người duyệt khác vừa quyết định nhóm này. Tải lại trang để xem quyết định đang áp dụng.',
    en: 'Another reviewer decided this group at the same moment; reload.',
  },
  'feature.unavailable': {
    status: 503,
    vi: 'Chức năng "{feature}" chưa sẵn sàng trên máy chủ này.',
    en: 'Feature "{feature}" is not available on this server yet.',
  },
  internal: {
    status: 500,
    vi: 'Lỗi máy chủ. Vui lòng thử lại sau; nếu vẫn lỗi, báo quản trị viên kèm thời điểm xảy ra.',
    en: 'Internal server error.',
  },
} as const satisfies Record<string, Template>;

export type ErrorCode = keyof typeof ERRORS;

function fill(t: string, params: Record<string, unknown>): string {
  return t.replace(/\{(\w+)\}/g, (whole, k: string) => (params[k] === undefined ? whole : String(params[k]))).trim();
}

/** Builds an AppError from the catalogue. */
export function appError(code: ErrorCode, params: Record<string, unknown> = {}, where?: Where, details?: unknown): AppError {
  const t: Template = ERRORS[code];
  return new AppError({
    code,
    status: t.status,
    message: fill(t.vi, params),
    messageEn: fill(t.en, params),
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
  const code = e.code;
  let status = 422;
  if (/too-large|bomb|limit-(rows|columns|cells|sheets|merge)|parse-memory/.test(code)) status = 413;
  else if (/unknown-type|zip-not-office|legacy-office|unsupported/.test(code)) status = 415;
  return new AppError({
    code,
    message: String(e.messageVi ?? e.message),
    messageEn: e.messageEn,
    status,
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
