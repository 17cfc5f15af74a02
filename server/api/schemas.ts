// Request (and main response) schemas of the HTTP API. Routes parse with these; the OpenAPI document
// is generated from them.
import { z } from 'zod';
import { GridSchema, ReportSchema, AnnexSchema } from '../../engine/index.js';
import { appError } from '../errors.js';

export const LoginBody = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});

export const UserBody = z.object({
  username: z.string().trim().min(2).max(64).regex(/^[a-z0-9._-]+$/, 'chữ thường không dấu, số, dấu chấm, gạch'),
  password: z.string().min(8).max(200),
  displayName: z.string().trim().min(1).max(200),
  role: z.enum(['agency', 'reviewer', 'admin']),
  agencyId: z.string().min(1).optional(),
  province: z.string().min(1).optional(),
});

export const PasswordBody = z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(8).max(200) });

export const TokenBody = z.object({
  label: z.string().trim().min(1).max(100).default('Excel add-in'),
  /** Lifetime in days (default 90, at most 365). */
  expiresInDays: z.number().int().min(1).max(365).optional(),
});

export const ResetPasswordBody = z.object({ password: z.string().min(8).max(200) });

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/, 'ngày dạng yyyy-mm-dd');

export const RoundBody = z.object({
  title: z.string().trim().min(1).max(300),
  year: z.number().int().min(2000).max(2100),
  province: z.string().trim().min(1).max(100),
  deadline: isoDate,
  expectedAgencyIds: z.array(z.string().min(1).max(200)).min(1).max(1000),
  planSubmissionId: z.string().min(1).optional(),
});

export const RoundPatchBody = z
  .object({ planSubmissionId: z.string().min(1).nullable().optional(), deadline: isoDate.optional() })
  .refine((b) => b.planSubmissionId !== undefined || b.deadline !== undefined, { message: 'cần planSubmissionId hoặc deadline' });

export const SubmissionSource = z.enum(['excel-addin', 'sheets-addon', 'google-sheet', 'file', 'api']);

export const SubmissionJsonBody = z.object({
  grids: z.array(GridSchema).min(1).max(200),
  baseVersion: z.number().int().min(0).optional(),
  source: SubmissionSource.default('api'),
  fileName: z.string().max(300).optional(),
  agencyId: z.string().min(1).optional(),
});

/** Fields sent beside a multipart `file`. */
export const SubmissionFormFields = z.object({
  baseVersion: z.coerce.number().int().min(0).optional(),
  source: SubmissionSource.default('file'),
  agencyId: z.string().min(1).optional(),
});

export const ReturnBody = z.object({
  comment: z.string().trim().min(1).max(5000),
  comments: z
    .array(z.object({ row: z.number().int().positive(), column: z.number().int().positive().optional(), text: z.string().trim().min(1).max(2000) }))
    .max(500)
    .optional(),
  /** The version the reviewer looked at: refused (409) when another arrived meanwhile. */
  version: z.number({ error: 'phiên bản bạn đã xem (version) là bắt buộc' }).int().positive(),
});

export const AcceptBody = z.object({
  version: z.number({ error: 'phiên bản bạn đã xem (version) là bắt buộc' }).int().positive(),
  comment: z.string().trim().max(5000).optional(),
});

export const ReportBody = z.object({ include: z.enum(['accepted', 'latest']).default('accepted') });

export const DiffQuery = z.object({ from: z.coerce.number().int().positive(), to: z.coerce.number().int().positive() });

export const AuditQuery = z.object({
  roundId: z.string().optional(),
  limit: z.coerce.number().int().positive().max(5000).optional(),
  afterId: z.coerce.number().int().nonnegative().optional(),
});

export const DirectoryQuery = z.object({ province: z.string().optional(), date: isoDate.optional() });

// Responses (documentation).
export const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(['agency', 'reviewer', 'admin']),
  agencyId: z.string().nullable(),
  agencyName: z.string().nullable(),
  province: z.string(),
});

export const SubmitResponse = z.object({
  submissionId: z.string(),
  version: z.number().int(),
  duplicate: z.boolean(),
  status: z.enum(['submitted', 'returned', 'accepted']),
  report: ReportSchema,
});

export const VersionResponse = z.object({ submissionId: z.string(), version: z.number().int(), annex: AnnexSchema, report: ReportSchema, grids: z.array(GridSchema) });

export const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    messageEn: z.string(),
    hint: z.string().optional(),
    where: z.object({ file: z.string().optional(), sheet: z.string().optional(), cell: z.string().optional(), row: z.number().optional(), field: z.string().optional() }).optional(),
  }),
});

/** Parses with a schema; the first issue becomes a 400 with its path, in Vietnamese. */
export function parse<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const r = schema.safeParse(data ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.path.length ? issue.path.join('.') : '(body)';
  throw appError('request.invalid', { path, issue: issueVi(issue) }, { field: path }, { issues: r.error.issues.slice(0, 10) });
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
