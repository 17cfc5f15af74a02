// Shapes shared by several routes: dates, submission sources, query flags and the error answer.
import { z } from 'zod';
import { same } from '../engine/index.js';

/** "2026-03-31", or a full ISO date-time. */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/, 'ngày dạng yyyy-mm-dd');

/** Where a submission came from. */
/** Where a submission came from ("dashboard-fix": the officer applied a check's fix on the dashboard). */
export const SubmissionSource = z.enum(['excel-addin', 'sheets-addon', 'google-sheet', 'file', 'api', 'dashboard-fix']);
export type SubmissionSource = z.infer<typeof SubmissionSource>;

/** A query-string boolean: true/1, false/0/empty. */
export const QueryFlag = z.preprocess(
  (v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' || v === '' ? false : v),
  z.boolean(),
);

export const OkResponse = z.object({ ok: z.literal(true) });

/** Where in the input an error is (file, sheet, cell, row, field). */
export const ErrorWhere = z.object({
  ...same(z.string().optional(), 'file', 'sheet', 'cell', 'field'),
  row: z.number().optional(),
});
export type ErrorWhere = z.infer<typeof ErrorWhere>;

/** Every 4xx/5xx answer: a stable code, Vietnamese message and hint, English beside them. */
export const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    messageEn: z.string(),
    hint: z.string().optional(),
    where: ErrorWhere.optional(),
  }),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** Who did something, as answers name them. */
export const Actor = z.object({ username: z.string(), displayName: z.string() });
