// Parses a request part with its contract schema (contracts/); the first issue becomes a 400 in Vietnamese.
import type { z } from 'zod';
import { appError } from '../errors.js';

/** Parses with a schema; the first issue becomes a 400 with its path, in Vietnamese. */
export function parse<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const r = schema.safeParse(data ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.path.length ? issue.path.join('.') : '(body)';
  throw appError(
    'request.invalid',
    { path, issue: issueVi(issue) },
    { field: path },
    { issues: r.error.issues.slice(0, 10) },
  );
}

function issueVi(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'thiếu giá trị bắt buộc' : `sai kiểu dữ liệu (cần ${issue.expected})`;
    case 'too_small':
      return `quá ngắn/nhỏ (tối thiểu ${String(issue.minimum)})`;
    case 'too_big':
      return `quá dài/lớn (tối đa ${String(issue.maximum)})`;
    case 'invalid_value':
      return `giá trị không hợp lệ (chọn một trong: ${issue.values.map(String).join(', ')})`;
    case 'invalid_format':
      return `sai định dạng (${issue.message})`;
    default:
      return issue.message;
  }
}
