// Shapes of the consolidation: what goes in (one accepted/latest annex per agency) and what comes out
// (one provincial annex with sources, duplicates, conflicts, coverage and a summary). Plain data only.
import type { AgencyRef, Annex, AreaCode, Location, Task, Timeline } from '../model.js';
import type { AgencyDirectory } from '../normalize/agency.js';

export interface ConsolidationInput {
  agencyId: string;
  agencyName: string;
  /** Number and date of the agency's own plan document ("12/KH-STP", ISO date). */
  docNumber?: string;
  docDate?: string;
  annex: Annex;
  version: number;
  submissionId?: string;
  /** Province the agency's names are resolved in; defaults to the annex's, then the round's. */
  province?: string;
}
/** Name used by the architecture overview. */
export type SubmissionInput = ConsolidationInput;

export interface ConsolidationContext {
  directory?: AgencyDirectory;
  /** The round's province (directory id). */
  province?: string;
  /** The round's period (ISO date): agency names are resolved and successors applied at this date. */
  date?: string;
  /** Tasks due before this ISO date and not done are overdue; no overdue list without it. */
  today?: string;
  planYear?: number;
  /** The provincial plan whose tasks agencies should take up (coverage and lead conflicts). */
  planAnnex?: Annex;
  /** Jaccard similarity (0–1) of task word pairs from which two agencies' tasks count as one. Default 0.5. */
  duplicateThreshold?: number;
  /** Similarity from which an agency task takes up a plan task. Default 0.4. */
  coverageThreshold?: number;
  /** Overrides how "done" is read (default: the note or an extra column says "Đã hoàn thành"). */
  isDone?: (task: Task, input: ConsolidationInput) => boolean;
  /** A reviewer's decisions on candidate groups, stored per round and applied on every build. */
  decisions?: GroupDecision[];
}

/** One task of a decision, as the reviewer saw it: the agency and the task text as written. */
export interface DecisionMember {
  agencyId: string;
  task: string;
}

/** A reviewer's decision: merge these tasks into one row of the report, or keep them apart. */
export interface GroupDecision {
  /** The candidate group's id when it was decided. */
  group: string;
  action: 'merge' | 'apart';
  members: DecisionMember[];
}

/** An agency as written, normalised to the directory of the round's period. */
export interface ConsolidatedAgency {
  /** Text as the officer wrote it. */
  text: string;
  /** Directory id at the round's date (the successor's id when the written agency was merged). */
  id?: string;
  /** Display name at the round's date. */
  name: string;
  kind: AgencyRef['kind'];
  /** Canonical name of the written agency when a successor replaced it ("Sở Thông tin và Truyền thông"). */
  formerName?: string;
}

export interface TaskSource {
  agencyId: string;
  agencyName: string;
  /** The agency's name as submitted, when the round's directory maps it to a successor. */
  formerAgencyName?: string;
  docNumber?: string;
  docDate?: string;
  version: number;
  submissionId?: string;
  /** Number and section as written by the agency. */
  number: string;
  sectionTitle: string;
  location: Location;
}

export interface ConsolidatedProduct {
  number?: string;
  text: string;
  lead: ConsolidatedAgency[];
  support: ConsolidatedAgency[];
  timeline?: Timeline;
  source: Location;
}

export interface TaskRef {
  /** Stable key within one consolidation: agency id, sheet and row of the task. */
  key: string;
  task: string;
  area: AreaCode | null;
  source: TaskSource;
}

export interface MergedDuplicate extends TaskRef {
  /** Jaccard similarity to the kept task (0–1). */
  similarity: number;
}

export interface ConsolidatedTask extends TaskRef {
  /** Renumbered within its section (1, 2, …). */
  number: string;
  products: ConsolidatedProduct[];
  lead: ConsolidatedAgency[];
  support: ConsolidatedAgency[];
  timeline: Timeline;
  /** Kind used by the summary: the task's own, else what its products' timelines say. */
  timelineKind: Timeline['kind'];
  /** Due date used by the summary: the task's, else the latest of its products'. */
  due?: string;
  approval?: string;
  note?: string;
  done: boolean;
  overdue: boolean;
  /** Tasks a reviewer merged into this row (other agencies' and its own), each with its similarity. */
  duplicates: MergedDuplicate[];
  /** Each merged agency's own timeline, when a reviewer merged tasks into this row. */
  timelines?: { agencyName: string; timeline: Timeline }[];
}

/** A task of a candidate group, where it stands in the report. */
export interface CandidateMember extends TaskRef {
  /** Its number in the consolidated report ("II.3"). */
  at: string;
  /** Its words that not every member shares, as written. */
  differs: string[];
}

/**
 * Tasks of different agencies (or one agency's identical texts) similar enough to be one provincial task. Never
 * merged by the engine: a reviewer merges the group or keeps it apart.
 */
export interface CandidateGroup {
  /** Stable over rebuilds: made from the members' agencies and folded texts. */
  id: string;
  area: AreaCode | null;
  members: CandidateMember[];
  /** Lowest and highest similarity of the pairs that link the group (0–1). */
  minSimilarity: number;
  maxSimilarity: number;
  /** Every member has the same text (folded). */
  identical: boolean;
  /** The reviewer's decision, when one covers exactly these members. */
  decision?: 'merge' | 'apart';
}

/** A decision whose tasks are no longer all in the round as the reviewer saw them: not applied. */
export interface StaleDecision {
  decision: GroupDecision;
  /** Members whose text (or agency) is not found any more. */
  missing: DecisionMember[];
}

export interface ConsolidatedSection {
  /** Renumbered Roman numeral. */
  numeral: string;
  title: string;
  area: AreaCode | null;
  tasks: ConsolidatedTask[];
}

export interface DuplicateGroup {
  kept: TaskRef & { number: string; sectionNumeral: string };
  merged: MergedDuplicate[];
}

export interface PlanTaskRef {
  number: string;
  task: string;
  area: AreaCode | null;
  sectionTitle: string;
  lead: ConsolidatedAgency[];
  location: Location;
}

export interface LeadClaim {
  agencyId?: string;
  agencyName: string;
  by: 'plan' | 'submission';
  task?: TaskRef;
}

/** Two or more agencies each claim the lead of one provincial task. */
export interface LeadConflict {
  task: string;
  area: AreaCode | null;
  /** The plan task concerned, when a provincial plan was given. */
  planTask?: PlanTaskRef;
  claims: LeadClaim[];
}

export interface CoverageItem {
  planTask: PlanTaskRef;
  takenUpBy: MergedDuplicate[];
}

export interface Coverage {
  planTasks: number;
  covered: number;
  /** Plan tasks no agency took up. */
  uncovered: PlanTaskRef[];
  items: CoverageItem[];
}

export interface OverdueTask extends TaskRef {
  number: string;
  due: string;
}

export interface ConsolidationSummary {
  byArea: { area: AreaCode | null; title: string; tasks: number }[];
  byAgency: {
    agencyId: string;
    agencyName: string;
    version: number;
    docNumber?: string;
    docDate?: string;
    /** Tasks in the agency's annex. */
    submitted: number;
    /** Of those, tasks kept in the consolidated annex. */
    kept: number;
    /** Of those, tasks merged into another agency's task as duplicates. */
    merged: number;
  }[];
  /** Tasks with a due date, by quarter of that date ("2026-Q1"), in date order. */
  byQuarter: { key: string; year: number; quarter: number; tasks: number }[];
  recurring: number;
  conditional: number;
  /** Neither a due date nor a recurring/conditional timeline. */
  undated: number;
  overdue: OverdueTask[];
}

export interface Consolidated {
  meta: {
    province?: string;
    /** The province's name from the directory ("Ninh Bình"), for titles. */
    provinceName?: string;
    date?: string;
    today?: string;
    planYear?: number;
    inputs: { agencyId: string; agencyName: string; version: number; submissionId?: string }[];
    duplicateThreshold: number;
    coverageThreshold: number;
  };
  sections: ConsolidatedSection[];
  /** Merges a reviewer decided, as applied. */
  duplicates: DuplicateGroup[];
  /** Groups of similar tasks for a reviewer to merge or keep apart. */
  candidates: CandidateGroup[];
  /** Decisions that could not be applied because a member's text changed or its task is gone. */
  staleDecisions: StaleDecision[];
  conflicts: LeadConflict[];
  coverage?: Coverage;
  summary: ConsolidationSummary;
  stats: {
    inputTasks: number;
    tasks: number;
    duplicatesMerged: number;
    /** Candidate groups, and those no decision covers yet. */
    candidateGroups: number;
    pendingGroups: number;
    /** Agencies whose tasks are in the report. */
    agencies: number;
    conflicts: number;
    uncovered: number;
  };
}
