// A reviewer's decisions on the candidate groups of a round's report: merge a group into one row, or keep its
// tasks apart. Stored per round, audited, re-applied on every rebuild; flagged stale when a member's text changed.
import { z } from 'zod';
import { same } from '../engine/index.js';
import { ReportSummary } from './rounds.js';

export const DecisionAction = z.enum(['merge', 'apart']);
export type DecisionAction = z.infer<typeof DecisionAction>;

/** One task of a decision as the reviewer saw it: the agency, its text as written, its number in that report. */
export const DecisionMemberView = z.object(same(z.string(), 'agencyId', 'agencyName', 'task', 'at'));
export type DecisionMemberView = z.infer<typeof DecisionMemberView>;

export const DecisionView = z.object({
  ...same(z.string(), 'id', 'roundId', 'createdAt', 'createdBy'),
  /** The candidate group's id (stable over rebuilds while its tasks keep their text). */
  group: z.string(),
  action: DecisionAction,
  members: z.array(DecisionMemberView),
  /** In the last report a member's task is gone or its text changed: not applied until decided again. */
  stale: z.boolean(),
  /** The members not found in the last report as they were decided. */
  missing: z.array(z.object({ agencyId: z.string(), task: z.string() })),
});
export type DecisionView = z.infer<typeof DecisionView>;

/** POST body: the group of the round's last report, and what to do with it. The server takes the members from that report. */
export const DecisionBody = z.object({
  group: z.string().trim().min(1).max(100),
  action: DecisionAction,
});

export const DecisionsResponse = z.object({ decisions: z.array(DecisionView) });

/** A decision made or undone: the decision and the report rebuilt with it. */
export const DecisionResult = z.object({ decision: DecisionView, report: ReportSummary });

export const CandidateMemberView = z.object({
  key: z.string(),
  agencyId: z.string(),
  agencyName: z.string(),
  task: z.string(),
  /** Number in the consolidated report ("II.3"). */
  at: z.string(),
  /** Words of this member not every member shares, as written. */
  differs: z.array(z.string()),
});

export const CandidateView = z.object({
  id: z.string(),
  area: z.string().nullable(),
  areaTitle: z.string(),
  members: z.array(CandidateMemberView),
  minSimilarity: z.number(),
  maxSimilarity: z.number(),
  identical: z.boolean(),
  decision: DecisionAction.nullable(),
  /** The decision in force on this group, to undo it. */
  decisionId: z.string().nullable(),
});
export type CandidateView = z.infer<typeof CandidateView>;

/** GET candidates: the groups of the round's last report, and the decisions that could not be applied to it. */
export const CandidatesResponse = z.object({
  reportId: z.string(),
  candidates: z.array(CandidateView),
  stale: z.array(DecisionView),
});
export type CandidatesResponse = z.infer<typeof CandidatesResponse>;
