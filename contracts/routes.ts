// Every route of the HTTP API with its request and response schemas. The server parses with these schemas, the
// OpenAPI document is generated from this table, and the clients take their types from the same schemas.
// A new route is one entry here, its schemas in the module of its area, and a handler in server/api/.
import { z } from 'zod';
import { AuditQuery, AuditResponse } from './audit.js';
import {
  LoginBody,
  PasswordBody,
  ResetPasswordBody,
  SessionResponse,
  TokenBody,
  TokenCreated,
  TokensResponse,
  UserBody,
  UserResponse,
  UsersResponse,
} from './auth.js';
import { CheckFormFields } from './check.js';
import { OkResponse } from './common.js';
import { CandidatesResponse, DecisionBody, DecisionResult, DecisionsResponse } from './decisions.js';
import { JobResponse } from './jobs.js';
import { DirectoryQuery, DirectoryResponse, TemplateQuery } from './directory.js';
import {
  ReportBody,
  ReportFileQuery,
  ReportSummary,
  RoundBody,
  RoundPatchBody,
  RoundResponse,
  RoundStatusResponse,
  RoundsResponse,
} from './rounds.js';
import {
  AcceptBody,
  DiffQuery,
  DiffResponse,
  GoogleExportBody,
  GoogleExportResponse,
  GoogleSheetBody,
  LatestSubmissionsResponse,
  ReturnBody,
  SubmissionDetail,
  SubmissionJsonBody,
  SubmissionResponse,
  SubmitResponse,
  VersionResponse,
} from './submissions.js';
import {
  AssignedQuery,
  AssignedView,
  CommentsResponse,
  PushResponse,
  ResolveBody,
  ResolveResponse,
  StaleResponse,
  SyncBody,
  SyncStatusQuery,
  SyncStatusView,
} from './sync.js';

export interface Route {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI path ("/api/rounds/{roundId}"). */
  path: string;
  summary: string;
  roles?: string;
  body?: z.ZodType;
  /** A second accepted JSON body shape (oneOf). */
  altBody?: z.ZodType;
  multipart?: boolean;
  /** Fields sent beside the multipart file (when they are not the JSON body's). */
  form?: z.ZodObject;
  /** What the multipart file may be. */
  fileNote?: string;
  query?: z.ZodObject;
  response?: z.ZodType;
  okStatus?: number;
  /** Other answers with a body of their own (409 of a stale push). */
  otherResponses?: Record<number, { description: string; schema: z.ZodType }>;
  /** A file download: its media type. */
  binary?: string;
  /** Runs as a job: 202 with the job to poll when it does not finish in time (or with Prefer: respond-async). */
  job?: boolean;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export const ROUTES: Route[] = [
  {
    method: 'post',
    path: '/api/auth/login',
    summary: 'Đăng nhập (đặt cookie phiên)',
    body: LoginBody,
    response: SessionResponse,
  },
  { method: 'post', path: '/api/auth/logout', summary: 'Đăng xuất', response: OkResponse },
  { method: 'get', path: '/api/me', summary: 'Người dùng hiện tại', response: SessionResponse },
  {
    method: 'post',
    path: '/api/me/password',
    summary: 'Đổi mật khẩu (kết thúc các phiên khác)',
    body: PasswordBody,
    response: OkResponse,
  },
  {
    method: 'post',
    path: '/api/tokens',
    summary: 'Tạo API token (chỉ hiện một lần)',
    body: TokenBody,
    okStatus: 201,
    response: TokenCreated,
  },
  {
    method: 'get',
    path: '/api/tokens',
    summary: 'Các API token của người dùng (không kèm giá trị)',
    response: TokensResponse,
  },
  { method: 'delete', path: '/api/tokens/{tokenId}', summary: 'Thu hồi API token', response: OkResponse },
  {
    method: 'get',
    path: '/api/directory',
    summary: 'Danh mục cơ quan và lĩnh vực CCHC',
    query: DirectoryQuery,
    response: DirectoryResponse,
  },
  { method: 'get', path: '/api/rounds', summary: 'Các đợt báo cáo', response: RoundsResponse },
  {
    method: 'post',
    path: '/api/rounds',
    summary: 'Mở đợt báo cáo',
    roles: 'admin',
    body: RoundBody,
    okStatus: 201,
    response: RoundResponse,
  },
  {
    method: 'get',
    path: '/api/rounds/{roundId}',
    summary: 'Đợt báo cáo và bảng tình hình nộp',
    response: RoundStatusResponse,
  },
  {
    method: 'patch',
    path: '/api/rounds/{roundId}',
    summary: 'Gắn kế hoạch của tỉnh để đối chiếu, gia hạn',
    roles: 'admin',
    body: RoundPatchBody,
    response: RoundResponse,
  },
  {
    method: 'post',
    path: '/api/rounds/{roundId}/lock',
    summary: 'Khóa đợt báo cáo',
    roles: 'admin',
    response: RoundResponse,
  },
  {
    method: 'post',
    path: '/api/rounds/{roundId}/unlock',
    summary: 'Mở lại đợt báo cáo đã khóa',
    roles: 'admin',
    response: RoundResponse,
  },
  {
    method: 'post',
    path: '/api/rounds/{roundId}/submissions',
    summary:
      'Nộp phụ lục (tệp multipart "file", JSON grids hoặc JSON googleSheetUrl); 201 phiên bản mới, 200 trùng nội dung',
    roles: 'agency',
    body: SubmissionJsonBody,
    altBody: GoogleSheetBody,
    multipart: true,
    response: SubmitResponse,
    okStatus: 201,
    job: true,
  },
  {
    method: 'get',
    path: '/api/rounds/{roundId}/submissions',
    summary: 'Bản mới nhất của từng cơ quan',
    response: LatestSubmissionsResponse,
  },
  {
    method: 'post',
    path: '/api/rounds/{roundId}/report',
    summary: 'Tổng hợp báo cáo',
    roles: 'reviewer',
    body: ReportBody,
    okStatus: 201,
    response: ReportSummary,
    job: true,
  },
  {
    method: 'get',
    path: '/api/rounds/{roundId}/report',
    summary: 'Tóm tắt báo cáo tổng hợp gần nhất',
    roles: 'reviewer',
    response: ReportSummary,
  },
  {
    method: 'post',
    path: '/api/check/marked.xlsx',
    summary:
      'Kiểm tra tệp Excel và trả lại chính tệp đó có đánh dấu: ô có vấn đề được tô màu, có ghi chú, thêm trang "Kiểm tra" (không lưu)',
    form: CheckFormFields,
    multipart: true,
    fileNote: '.xlsx; tối đa 20 MB',
    binary: XLSX,
  },
  {
    method: 'get',
    path: '/api/rounds/{roundId}/report.xlsx',
    summary: 'Tải báo cáo tổng hợp (xlsx); cover=1 thêm phần đầu văn bản và Nơi nhận theo NĐ 30/2020',
    roles: 'reviewer',
    query: ReportFileQuery,
    binary: XLSX,
  },
  {
    method: 'get',
    path: '/api/rounds/{roundId}/report.docx',
    summary: 'Tải báo cáo tổng hợp (docx); cover=1 thêm phần đầu văn bản và Nơi nhận theo NĐ 30/2020',
    roles: 'reviewer',
    query: ReportFileQuery,
    binary: DOCX,
  },
  {
    method: 'get',
    path: '/api/rounds/{roundId}/report.csv',
    summary: 'Tải báo cáo tổng hợp (csv)',
    roles: 'reviewer',
    binary: 'text/csv',
  },
  {
    method: 'get',
    path: '/api/rounds/{roundId}/report.json',
    summary: 'Tải báo cáo tổng hợp (json)',
    roles: 'reviewer',
    binary: 'application/json',
  },
  {
    method: 'get',
    path: '/api/rounds/{roundId}/report/candidates',
    summary: 'Các nhóm nhiệm vụ tương tự trong báo cáo gần nhất, chờ người duyệt gộp hoặc giữ riêng',
    roles: 'reviewer',
    response: CandidatesResponse,
  },
  {
    method: 'get',
    path: '/api/rounds/{roundId}/decisions',
    summary: 'Các quyết định gộp / giữ riêng đang áp dụng (đánh dấu khi nội dung nhiệm vụ đã đổi)',
    roles: 'reviewer',
    response: DecisionsResponse,
  },
  {
    method: 'post',
    path: '/api/rounds/{roundId}/decisions',
    summary: 'Gộp một nhóm nhiệm vụ thành một dòng hoặc giữ riêng; báo cáo được tổng hợp lại',
    roles: 'reviewer',
    body: DecisionBody,
    okStatus: 201,
    response: DecisionResult,
  },
  {
    method: 'delete',
    path: '/api/rounds/{roundId}/decisions/{decisionId}',
    summary: 'Hủy một quyết định gộp / giữ riêng; báo cáo được tổng hợp lại',
    roles: 'reviewer',
    response: DecisionResult,
  },
  {
    method: 'post',
    path: '/api/rounds/{roundId}/report/google-sheet',
    summary: 'Xuất báo cáo tổng hợp sang Google Sheet mới',
    roles: 'reviewer',
    body: GoogleExportBody,
    okStatus: 201,
    response: GoogleExportResponse,
  },
  { method: 'get', path: '/api/template.xlsx', summary: 'Tải mẫu phụ lục (xlsx)', query: TemplateQuery, binary: XLSX },
  {
    method: 'get',
    path: '/api/submissions/{submissionId}',
    summary: 'Bài nộp và các phiên bản',
    response: SubmissionDetail,
  },
  {
    method: 'get',
    path: '/api/submissions/{submissionId}/versions/{n}',
    summary: 'Một phiên bản: annex, report, grids',
    response: VersionResponse,
  },
  {
    method: 'get',
    path: '/api/submissions/{submissionId}/versions/{n}/annex.xlsx',
    summary: 'Một phiên bản dạng văn bản chính thức (xlsx)',
    binary: XLSX,
  },
  {
    method: 'get',
    path: '/api/submissions/{submissionId}/versions/{n}/annex.docx',
    summary: 'Một phiên bản dạng văn bản chính thức (docx)',
    binary: DOCX,
  },
  {
    method: 'get',
    path: '/api/submissions/{submissionId}/diff',
    summary: 'So sánh hai phiên bản theo nhiệm vụ',
    query: DiffQuery,
    response: DiffResponse,
  },
  {
    method: 'post',
    path: '/api/submissions/{submissionId}/return',
    summary: 'Trả lại kèm ý kiến',
    roles: 'reviewer',
    body: ReturnBody,
    response: SubmissionResponse,
  },
  {
    method: 'post',
    path: '/api/submissions/{submissionId}/accept',
    summary: 'Chấp nhận',
    roles: 'reviewer',
    body: AcceptBody,
    response: SubmissionResponse,
  },
  {
    method: 'get',
    path: '/api/rounds/{roundId}/assigned',
    summary: 'Nhiệm vụ được giao theo kế hoạch của tỉnh (đồng bộ hai chiều)',
    query: AssignedQuery,
    response: AssignedView,
  },
  {
    method: 'post',
    path: '/api/rounds/{roundId}/sync',
    summary: 'Gửi bản đồng bộ kèm phiên bản gốc; 409 sync.stale-base kèm so sánh ba bên',
    roles: 'agency',
    body: SyncBody,
    okStatus: 201,
    response: PushResponse,
    otherResponses: {
      409: { description: 'Phiên bản gốc đã cũ: không ghi gì, kèm so sánh ba bên', schema: StaleResponse },
    },
  },
  {
    method: 'get',
    path: '/api/rounds/{roundId}/sync-status',
    summary: 'Trạng thái đồng bộ của bản trên máy',
    query: SyncStatusQuery,
    response: SyncStatusView,
  },
  {
    method: 'get',
    path: '/api/submissions/{submissionId}/comments',
    summary: 'Ý kiến của Sở Nội vụ theo nhiệm vụ, kèm trạng thái đã xử lý',
    response: CommentsResponse,
  },
  {
    method: 'post',
    path: '/api/submissions/{submissionId}/comments/{commentId}/resolve',
    summary: 'Đánh dấu ý kiến đã xử lý (hoặc mở lại)',
    body: ResolveBody,
    response: ResolveResponse,
  },
  { method: 'get', path: '/api/audit', summary: 'Nhật ký thao tác', query: AuditQuery, response: AuditResponse },
  { method: 'get', path: '/api/users', summary: 'Danh sách tài khoản', roles: 'admin', response: UsersResponse },
  {
    method: 'post',
    path: '/api/users',
    summary: 'Tạo tài khoản',
    roles: 'admin',
    body: UserBody,
    okStatus: 201,
    response: UserResponse,
  },
  {
    method: 'post',
    path: '/api/users/{userId}/disable',
    summary: 'Khóa tài khoản',
    roles: 'admin',
    response: UserResponse,
  },
  {
    method: 'post',
    path: '/api/users/{userId}/enable',
    summary: 'Mở khóa tài khoản',
    roles: 'admin',
    response: UserResponse,
  },
  {
    method: 'post',
    path: '/api/users/{userId}/reset-password',
    summary: 'Đặt mật khẩu tạm (người dùng phải đổi khi đăng nhập)',
    roles: 'admin',
    body: ResetPasswordBody,
    response: UserResponse,
  },
  {
    method: 'get',
    path: '/api/jobs/{jobId}',
    summary: 'Trạng thái một công việc (tổng hợp báo cáo, nhận Google Sheet)',
    response: JobResponse,
  },
];
