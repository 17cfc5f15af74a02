// The OpenAPI 3.1 document, generated from the same zod schemas the routes parse with.
import { z } from 'zod';
import {
  AcceptBody,
  AuditQuery,
  DiffQuery,
  DirectoryQuery,
  ErrorResponse,
  LoginBody,
  PasswordBody,
  ReportBody,
  ReturnBody,
  RoundBody,
  RoundPatchBody,
  SubmissionJsonBody,
  SubmitResponse,
  TokenBody,
  UserBody,
  UserSchema,
  VersionResponse,
} from './api/schemas.js';
import { AssignedQuery, ResolveBody, SyncBody, SyncStatusQuery } from './api/sync.js';
import { GoogleExportBody, GoogleSheetBody } from './google/routes.js';

interface Op {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  roles?: string;
  body?: z.ZodType;
  /** A second accepted JSON body shape (oneOf). */
  altBody?: z.ZodType;
  multipart?: boolean;
  query?: z.ZodObject;
  response?: z.ZodType;
  okStatus?: number;
  binary?: string;
}

const OPS: Op[] = [
  { method: 'post', path: '/api/auth/login', summary: 'Đăng nhập (đặt cookie phiên)', body: LoginBody, response: z.object({ user: UserSchema }) },
  { method: 'post', path: '/api/auth/logout', summary: 'Đăng xuất' },
  { method: 'get', path: '/api/me', summary: 'Người dùng hiện tại', response: z.object({ user: UserSchema }) },
  { method: 'post', path: '/api/me/password', summary: 'Đổi mật khẩu (kết thúc các phiên khác)', body: PasswordBody },
  { method: 'post', path: '/api/tokens', summary: 'Tạo API token (chỉ hiện một lần)', body: TokenBody, okStatus: 201 },
  { method: 'get', path: '/api/tokens', summary: 'Các API token của người dùng (không kèm giá trị)' },
  { method: 'delete', path: '/api/tokens/{tokenId}', summary: 'Thu hồi API token' },
  { method: 'get', path: '/api/directory', summary: 'Danh mục cơ quan và lĩnh vực CCHC', query: DirectoryQuery },
  { method: 'get', path: '/api/rounds', summary: 'Các đợt báo cáo' },
  { method: 'post', path: '/api/rounds', summary: 'Mở đợt báo cáo', roles: 'admin', body: RoundBody, okStatus: 201 },
  { method: 'get', path: '/api/rounds/{roundId}', summary: 'Đợt báo cáo và bảng tình hình nộp' },
  { method: 'patch', path: '/api/rounds/{roundId}', summary: 'Gắn kế hoạch của tỉnh để đối chiếu, gia hạn', roles: 'admin', body: RoundPatchBody },
  { method: 'post', path: '/api/rounds/{roundId}/lock', summary: 'Khóa đợt báo cáo', roles: 'admin' },
  { method: 'post', path: '/api/rounds/{roundId}/unlock', summary: 'Mở lại đợt báo cáo đã khóa', roles: 'admin' },
  {
    method: 'post',
    path: '/api/rounds/{roundId}/submissions',
    summary: 'Nộp phụ lục (tệp multipart "file", JSON grids hoặc JSON googleSheetUrl); 201 phiên bản mới, 200 trùng nội dung',
    roles: 'agency',
    body: SubmissionJsonBody,
    altBody: GoogleSheetBody,
    multipart: true,
    response: SubmitResponse,
    okStatus: 201,
  },
  { method: 'get', path: '/api/rounds/{roundId}/submissions', summary: 'Bản mới nhất của từng cơ quan' },
  { method: 'post', path: '/api/rounds/{roundId}/report', summary: 'Tổng hợp báo cáo', roles: 'reviewer', body: ReportBody, okStatus: 201 },
  { method: 'get', path: '/api/rounds/{roundId}/report', summary: 'Tóm tắt báo cáo tổng hợp gần nhất', roles: 'reviewer' },
  { method: 'get', path: '/api/rounds/{roundId}/report.xlsx', summary: 'Tải báo cáo tổng hợp (xlsx)', roles: 'reviewer', binary: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  { method: 'get', path: '/api/rounds/{roundId}/report.csv', summary: 'Tải báo cáo tổng hợp (csv)', roles: 'reviewer', binary: 'text/csv' },
  { method: 'get', path: '/api/rounds/{roundId}/report.json', summary: 'Tải báo cáo tổng hợp (json)', roles: 'reviewer', binary: 'application/json' },
  { method: 'post', path: '/api/rounds/{roundId}/report/google-sheet', summary: 'Xuất báo cáo tổng hợp sang Google Sheet mới', roles: 'reviewer', body: GoogleExportBody, okStatus: 201 },
  { method: 'get', path: '/api/template.xlsx', summary: 'Tải mẫu phụ lục (xlsx)', binary: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  { method: 'get', path: '/api/submissions/{submissionId}', summary: 'Bài nộp và các phiên bản' },
  { method: 'get', path: '/api/submissions/{submissionId}/versions/{n}', summary: 'Một phiên bản: annex, report, grids', response: VersionResponse },
  { method: 'get', path: '/api/submissions/{submissionId}/diff', summary: 'So sánh hai phiên bản theo nhiệm vụ', query: DiffQuery },
  { method: 'post', path: '/api/submissions/{submissionId}/return', summary: 'Trả lại kèm ý kiến', roles: 'reviewer', body: ReturnBody },
  { method: 'post', path: '/api/submissions/{submissionId}/accept', summary: 'Chấp nhận', roles: 'reviewer', body: AcceptBody },
  { method: 'get', path: '/api/rounds/{roundId}/assigned', summary: 'Nhiệm vụ được giao theo kế hoạch của tỉnh (đồng bộ hai chiều)', query: AssignedQuery },
  { method: 'post', path: '/api/rounds/{roundId}/sync', summary: 'Gửi bản đồng bộ kèm phiên bản gốc; 409 sync.stale-base kèm so sánh ba bên', roles: 'agency', body: SyncBody, okStatus: 201 },
  { method: 'get', path: '/api/rounds/{roundId}/sync-status', summary: 'Trạng thái đồng bộ của bản trên máy', query: SyncStatusQuery },
  { method: 'get', path: '/api/submissions/{submissionId}/comments', summary: 'Ý kiến của Sở Nội vụ theo nhiệm vụ, kèm trạng thái đã xử lý' },
  { method: 'post', path: '/api/submissions/{submissionId}/comments/{commentId}/resolve', summary: 'Đánh dấu ý kiến đã xử lý (hoặc mở lại)', body: ResolveBody },
  { method: 'get', path: '/api/audit', summary: 'Nhật ký thao tác', query: AuditQuery },
  { method: 'get', path: '/api/users', summary: 'Danh sách tài khoản', roles: 'admin' },
  { method: 'post', path: '/api/users', summary: 'Tạo tài khoản', roles: 'admin', body: UserBody, okStatus: 201, response: z.object({ user: UserSchema }) },
];

const js = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const error = { content: { 'application/json': { schema: js(ErrorResponse) } } };
  for (const op of OPS) {
    const params: unknown[] = [];
    for (const m of op.path.matchAll(/\{(\w+)\}/g)) params.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } });
    if (op.query) {
      const shape = op.query.shape as Record<string, z.ZodType>;
      for (const [name, schema] of Object.entries(shape)) {
        params.push({ name, in: 'query', required: !schema.safeParse(undefined).success, schema: js(schema) });
      }
    }
    const content: Record<string, unknown> = {};
    if (op.body) content['application/json'] = { schema: op.altBody ? { oneOf: [js(op.body), js(op.altBody)] } : js(op.body) };
    if (op.multipart) {
      content['multipart/form-data'] = {
        schema: {
          type: 'object',
          required: ['file'],
          properties: {
            file: { type: 'string', format: 'binary', description: '.xlsx, .csv, .txt hoặc .docx; tối đa 20 MB' },
            baseVersion: { type: 'integer' },
            agencyId: { type: 'string' },
          },
        },
      };
    }
    const ok = op.binary
      ? { description: 'OK', content: { [op.binary]: { schema: { type: 'string', format: 'binary' } } } }
      : { description: 'OK', ...(op.response ? { content: { 'application/json': { schema: js(op.response) } } } : {}) };
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      ...(op.roles ? { description: `Vai trò: ${op.roles}` } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(Object.keys(content).length ? { requestBody: { required: true, content } } : {}),
      responses: {
        [String(op.okStatus ?? 200)]: ok,
        ...(op.path.endsWith('/submissions') && op.method === 'post' ? { '200': { description: 'Trùng nội dung bản mới nhất: không tạo phiên bản mới' } } : {}),
        '4XX': { description: 'Lỗi dữ liệu hoặc quyền', ...error },
        '500': { description: 'Lỗi máy chủ', ...error },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Phụ lục API', version: '0.1.0', description: 'Nộp, kiểm tra và tổng hợp phụ lục nhiệm vụ kế hoạch CCHC.' },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'phuluc_session' },
        token: { type: 'http', scheme: 'bearer' },
      },
    },
    security: [{ session: [] }, { token: [] }],
    paths,
  };
}
