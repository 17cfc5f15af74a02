// Reporting rounds: opening, the agencies' status table, deadlines, locking, and the consolidated report.
import { z } from 'zod';
import { same, type Consolidated } from '../engine/index.js';
import { isoDate } from './common.js';

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
  .refine((b) => b.planSubmissionId !== undefined || b.deadline !== undefined, {
    message: 'cần planSubmissionId hoặc deadline',
  });

export const RoundView = z.object({
  ...same(z.string(), 'id', 'title', 'province', 'deadline', 'createdAt'),
  year: z.number().int(),
  locked: z.boolean(),
  ...same(z.string().nullable(), 'lockedAt', 'planSubmissionId'),
});
export type RoundView = z.infer<typeof RoundView>;

export const SubmissionStatus = z.enum(['submitted', 'returned', 'accepted']);
export type SubmissionStatus = z.infer<typeof SubmissionStatus>;

export const AgencyStatusRow = z.object({
  agencyId: z.string(),
  agencyName: z.string(),
  submissionId: z.string().nullable(),
  status: z.union([SubmissionStatus, z.literal('missing')]),
  /** First version in by the deadline; null while missing and the deadline has not passed. */
  onTime: z.boolean().nullable(),
  late: z.boolean(),
  ...same(z.number().int().nullable(), 'latestVersion', 'errors', 'warnings', 'tasks'),
  ...same(z.string().nullable(), 'submittedAt', 'firstSubmittedAt'),
});
export type AgencyStatusRow = z.infer<typeof AgencyStatusRow>;

export const RoundSummary = z.object(
  same(z.number().int(), 'expected', 'submitted', 'missing', 'onTime', 'late', 'returned', 'accepted', 'withErrors'),
);
export type RoundSummary = z.infer<typeof RoundSummary>;

export const RoundResponse = z.object({ round: RoundView });
export const RoundsResponse = z.object({ rounds: z.array(RoundView) });
export const RoundStatusResponse = z.object({
  round: RoundView,
  agencies: z.array(AgencyStatusRow),
  summary: RoundSummary,
});

export const ReportBody = z.object({ include: z.enum(['accepted', 'latest']).default('accepted') });

/** One line of the cover block: trimmed, no control characters (it is printed on the signed document). */
const coverText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => ![...v].some((ch) => ch < ' '), 'không chứa ký tự điều khiển')
    .optional();

/**
 * Query of a report download (xlsx, docx): `cover=1` adds the NĐ 30/2020 cover block above the table and "Nơi nhận"
 * under it. The other fields fill its blanks; what is left out prints as "…" to be written in before signing.
 */
export const ReportFileQuery = z.object({
  cover: z
    .enum(['1', '0', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
  /** Number and symbol, "20/KH-UBND". */
  number: coverText(40),
  /** Date of issue. */
  date: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'ngày phải viết dạng năm-tháng-ngày, ví dụ 2026-01-15')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** The issuing body; by default "UBND tỉnh <province>". */
  issuer: coverText(120),
  /** The body above the issuer ("UBND TỈNH …" above "SỞ NỘI VỤ"). */
  parent: coverText(120),
  /** "Nơi nhận", one recipient per line; by default "Như trên;" and "Lưu: VT.". */
  recipients: z
    .string()
    .max(2000)
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean)
        .slice(0, 30),
    )
    .refine((l) => l.every((x) => x.length <= 200 && ![...x].some((ch) => ch < ' ')), 'mỗi nơi nhận tối đa 200 ký tự'),
});
export type ReportFileQuery = z.infer<typeof ReportFileQuery>;

/** The consolidated report's summary; `summary` and `stats` are the engine's consolidation summary as it returns it. */
export const ReportSummary = z.object({
  reportId: z.string(),
  roundId: z.string(),
  include: z.enum(['accepted', 'latest']),
  createdAt: z.string(),
  agencies: z.array(
    z.object({ agencyId: z.string(), agencyName: z.string(), version: z.number().int(), status: z.string() }),
  ),
  summary: z.custom<Consolidated['summary']>((v) => typeof v === 'object' && v !== null),
  stats: z.custom<Consolidated['stats']>((v) => typeof v === 'object' && v !== null),
  /** Reviewer decisions not applied because a member task's text changed or is gone (absent in older reports). */
  staleDecisions: z.number().int().optional(),
});
export type ReportSummary = z.infer<typeof ReportSummary>;
