// Two-way sync: tasks the province assigned (pull), a push with its base version (409 with a three-way comparison
// when stale), the sync status of a local copy, and reviewer comments per task.
import { z } from 'zod';
import {
  GridSchema,
  same,
  type AssignedTask,
  type CellWrite,
  type IdColumn,
  type MergeResult,
} from '../engine/index.js';
import { Actor, ErrorResponse, QueryFlag, SubmissionSource } from './common.js';
import { CommentView, SubmitResponse } from './submissions.js';

// Engine results without a zod schema of their own: typed here, described as objects in OpenAPI.
const assignedTask = z.custom<AssignedTask>((v) => typeof v === 'object' && v !== null);
const cellWrite = z.custom<CellWrite>((v) => typeof v === 'object' && v !== null);
const idColumn = z.custom<IdColumn>((v) => typeof v === 'object' && v !== null);
const mergeResult = z.custom<MergeResult>((v) => typeof v === 'object' && v !== null);

export const SyncBody = z.object({
  grids: z.array(GridSchema).min(1).max(200),
  /** The server version the sheet was edited from (0: never submitted). */
  baseVersion: z.number().int().min(0),
  source: SubmissionSource.default('api'),
  fileName: z.string().max(300).optional(),
  agencyId: z.string().min(1).optional(),
});

export const SyncStatusQuery = z.object({
  baseVersion: z.coerce.number().int().min(0),
  dirty: QueryFlag.optional(),
  agencyId: z.string().min(1).optional(),
});

export const AssignedQuery = z.object({ agencyId: z.string().min(1).optional(), includeGroups: QueryFlag.optional() });

export const ResolveBody = z.object({ resolved: z.boolean().default(true) });

export const AssignedArea = z.object({
  area: z.custom<AssignedTask['area']>(),
  numeral: z.string(),
  title: z.string(),
  tasks: z.array(assignedTask),
});
export type AssignedArea = z.infer<typeof AssignedArea>;

export const AssignedView = z.object({
  roundId: z.string(),
  agency: z.object({ id: z.string(), name: z.string() }),
  plan: z.object({
    submissionId: z.string(),
    version: z.number().int(),
    agencyName: z.string(),
    docNumber: z.string().optional(),
  }),
  areas: z.array(AssignedArea),
  total: z.number().int(),
});
export type AssignedView = z.infer<typeof AssignedView>;

/** A reviewer's comment as the sync client sees it: where its task is now, and whether the officer resolved it. */
export const SyncComment = CommentView.extend({
  /** The task the row belongs to in that version, and where it is in the latest version. */
  ...same(z.string().nullable(), 'taskId', 'taskNumber', 'task'),
  currentRow: z.number().int().nullable(),
  resolved: z.boolean(),
  ...same(z.string().nullable(), 'resolvedAt', 'resolvedBy'),
});
export type SyncComment = z.infer<typeof SyncComment>;

export const CommentsResponse = z.object({
  submissionId: z.string(),
  status: z.string(),
  latestVersion: z.number().int(),
  comments: z.array(SyncComment),
});
export type CommentsResponse = z.infer<typeof CommentsResponse>;

export const ResolveResponse = z.object({ comment: SyncComment });

export const SyncState = z.enum(['in-sync', 'ahead', 'behind', 'diverged']);

export const SyncStatusView = z.object({
  roundId: z.string(),
  agency: z.object({ id: z.string(), name: z.string() }),
  submissionId: z.string().nullable(),
  status: SyncState,
  label: z.string(),
  baseVersion: z.number().int(),
  latestVersion: z.number().int(),
  /** When the local copy was last synced: the base version's time. */
  lastSyncedAt: z.string().nullable(),
  latest: z.object({ version: z.number().int(), at: z.string(), source: z.string(), by: Actor }).nullable(),
  /** Versions submitted after the base (who changed what meanwhile). */
  newer: z.array(z.object({ version: z.number().int(), at: z.string(), by: Actor })),
});
export type SyncStatusView = z.infer<typeof SyncStatusView>;

/** Every task's id with its first row; `assigned` when the sheet did not carry it (the client applies `writes`). */
export const TaskIdRow = z.object({
  id: z.string(),
  sheet: z.string(),
  row: z.number().int(),
  number: z.string(),
  assigned: z.boolean(),
});

/** 201/200: the push was stored; ids, the id column and the cells to write back. */
export const PushResponse = SubmitResponse.extend({
  ids: z.array(TaskIdRow),
  idColumn: idColumn.nullable(),
  writes: z.array(cellWrite),
});
export type PushResponse = z.infer<typeof PushResponse>;

/** 409 sync.stale-base: nothing stored; the per-task three-way comparison instead. */
export const StaleResponse = ErrorResponse.extend({
  baseVersion: z.number().int(),
  latestVersion: z.number().int(),
  latest: z.object({ version: z.number().int(), at: z.string(), by: Actor }).nullable(),
  merge: mergeResult,
});
export type StaleResponse = z.infer<typeof StaleResponse>;
