// The OpenAPI 3.1 document, generated from the route table and its zod schemas.
import { z } from 'zod';
import { ErrorResponse } from './common.js';
import { JobResponse } from './jobs.js';
import { ROUTES } from './routes.js';

const js = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const error = { content: { 'application/json': { schema: js(ErrorResponse) } } };
  for (const op of ROUTES) {
    const params: unknown[] = [];
    for (const m of op.path.matchAll(/\{(\w+)\}/g))
      params.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } });
    if (op.query) {
      const shape = op.query.shape as Record<string, z.ZodType>;
      for (const [name, schema] of Object.entries(shape)) {
        params.push({ name, in: 'query', required: !schema.safeParse(undefined).success, schema: js(schema) });
      }
    }
    const content: Record<string, unknown> = {};
    if (op.body)
      content['application/json'] = { schema: op.altBody ? { oneOf: [js(op.body), js(op.altBody)] } : js(op.body) };
    if (op.multipart) {
      content['multipart/form-data'] = {
        schema: {
          type: 'object',
          required: ['file'],
          properties: {
            file: {
              type: 'string',
              format: 'binary',
              description: op.fileNote ?? '.xlsx, .csv, .txt hoặc .docx; tối đa 20 MB',
            },
            ...(op.form
              ? ((js(op.form) as { properties?: Record<string, unknown> }).properties ?? {})
              : { baseVersion: { type: 'integer' }, agencyId: { type: 'string' } }),
          },
        },
      };
    }
    const ok = op.binary
      ? { description: 'OK', content: { [op.binary]: { schema: { type: 'string', format: 'binary' } } } }
      : { description: 'OK', ...(op.response ? { content: { 'application/json': { schema: js(op.response) } } } : {}) };
    const others = Object.fromEntries(
      Object.entries(op.otherResponses ?? {}).map(([status, r]) => [
        status,
        { description: r.description, content: { 'application/json': { schema: js(r.schema) } } },
      ]),
    );
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      ...(op.roles ? { description: `Vai trò: ${op.roles}` } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(Object.keys(content).length ? { requestBody: { required: true, content } } : {}),
      responses: {
        [String(op.okStatus ?? 200)]: ok,
        ...(op.path.endsWith('/submissions') && op.method === 'post'
          ? { '200': { description: 'Trùng nội dung bản mới nhất: không tạo phiên bản mới' } }
          : {}),
        ...others,
        ...(op.job
          ? {
              '202': {
                description: 'Đang xử lý: theo dõi tại /api/jobs/{jobId}',
                content: { 'application/json': { schema: js(JobResponse) } },
              },
            }
          : {}),
        '4XX': { description: 'Lỗi dữ liệu hoặc quyền', ...error },
        '500': { description: 'Lỗi máy chủ', ...error },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Phụ lục API',
      version: '0.1.0',
      description: 'Nộp, kiểm tra và tổng hợp phụ lục nhiệm vụ kế hoạch CCHC.',
    },
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
