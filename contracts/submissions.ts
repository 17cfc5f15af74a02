// Submissions: a new version (file, grids or a Google Sheet link), its versions, one version's content, diffs,
// return and accept.
import { z } from 'zod';
import { AnnexSchema, GridSchema, ReportSchema, same } from '../engine/index.js';
import { SubmissionSource } from './common.js';
import { SubmissionStatus } from './rounds.js';

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

export const GoogleSheetBody = z.object({
  googleSheetUrl: z.string().trim().min(1).max(2000),
  /** The sheet holding the annex; defaults to the link's #gid sheet, else the first visible one. */
  sheet: z.string().trim().min(1).max(200).optional(),
  baseVersion: z.number().int().min(0).optional(),
  agencyId: z.string().min(1).optional(),
});

export const GoogleExportBody = z.object({
  shareWith: z.array(z.string().trim().email('địa chỉ email')).max(50).optional(),
});

export const GoogleExportResponse = z.object({
  spreadsheetId: z.string(),
  url: z.string(),
  sheets: z.array(z.string()),
  sharedWith: z.array(z.string()),
});

/** 201: a new version; 200: the same content as the latest version (nothing stored). */
export const SubmitResponse = z.object({
  submissionId: z.string(),
  version: z.number().int(),
  duplicate: z.boolean(),
  status: SubmissionStatus,
  report: ReportSchema,
});
export type SubmitResponse = z.infer<typeof SubmitResponse>;

export const ReturnBody = z.object({
  comment: z.string().trim().min(1).max(5000),
  comments: z
    .array(
      z.object({
        row: z.number().int().positive(),
        column: z.number().int().positive().optional(),
        text: z.string().trim().min(1).max(2000),
      }),
    )
    .max(500)
    .optional(),
  /** The version the reviewer looked at: refused (409) when another arrived meanwhile. */
  version: z.number({ error: 'phiên bản bạn đã xem (version) là bắt buộc' }).int().positive(),
});

export const AcceptBody = z.object({
  version: z.number({ error: 'phiên bản bạn đã xem (version) là bắt buộc' }).int().positive(),
  comment: z.string().trim().max(5000).optional(),
});

export const DiffQuery = z.object({ from: z.coerce.number().int().positive(), to: z.coerce.number().int().positive() });

export const SubmissionView = z.object({
  id: z.string(),
  roundId: z.string(),
  agencyId: z.string(),
  agencyName: z.string(),
  status: SubmissionStatus,
  latestVersion: z.number().int(),
  firstSubmittedAt: z.string(),
  updatedAt: z.string(),
});
export type SubmissionView = z.infer<typeof SubmissionView>;

export const VersionStats = z.object(same(z.number().int(), 'tasks', 'errors', 'warnings', 'infos'));

export const VersionInfo = z.object({
  version: z.number().int(),
  createdAt: z.string(),
  createdBy: z.object({ id: z.string(), username: z.string(), displayName: z.string() }),
  contentHash: z.string(),
  source: z.string(),
  fileName: z.string().nullable(),
  stats: VersionStats,
});
export type VersionInfo = z.infer<typeof VersionInfo>;

export const CommentView = z.object({
  id: z.string(),
  version: z.number().int(),
  kind: z.string(),
  text: z.string(),
  /** Sheet row and column in the version the reviewer looked at (null: about the whole annex). */
  row: z.number().int().nullable(),
  column: z.number().int().nullable(),
  author: z.string(),
  createdAt: z.string(),
});
export type CommentView = z.infer<typeof CommentView>;

export const SubmissionDetail = SubmissionView.extend({
  versions: z.array(VersionInfo),
  comments: z.array(CommentView),
});
export const SubmissionResponse = z.object({ submission: SubmissionView });
export const LatestSubmissionsResponse = z.object({
  submissions: z.array(SubmissionView.extend(VersionStats.shape).extend({ submittedAt: z.string() })),
});

export const VersionResponse = z.object({
  submissionId: z.string(),
  version: z.number().int(),
  annex: AnnexSchema,
  report: ReportSchema,
  grids: z.array(GridSchema),
  /** For each row (or text line) of the officer's file the annex was read from, its row in the version's xlsx download. */
  xlsxRows: z.array(z.object({ sheet: z.string(), row: z.number().int(), xlsxRow: z.number().int() })),
});

export const DiffTaskRef = z.object({
  ...same(z.string(), 'key', 'number', 'task', 'section', 'sheet'),
  id: z.string().optional(),
  row: z.number().int(),
});
export type DiffTaskRef = z.infer<typeof DiffTaskRef>;
export const FieldChange = z.object({ field: z.string(), from: z.string(), to: z.string() });
export type FieldChange = z.infer<typeof FieldChange>;
export const AnnexDiff = z.object({
  added: z.array(DiffTaskRef),
  removed: z.array(DiffTaskRef),
  changed: z.array(DiffTaskRef.extend({ fromRow: z.number().int(), fields: z.array(FieldChange) })),
  unchanged: z.number().int(),
});
export type AnnexDiff = z.infer<typeof AnnexDiff>;
export const DiffResponse = AnnexDiff.extend({
  submissionId: z.string(),
  from: z.number().int(),
  to: z.number().int(),
});
