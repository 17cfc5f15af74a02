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
  /** Near-duplicates planned by other agencies, merged into this task. */
  duplicates: MergedDuplicate[];
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
  duplicates: DuplicateGroup[];
  conflicts: LeadConflict[];
  coverage?: Coverage;
  summary: ConsolidationSummary;
  stats: {
    inputTasks: number;
    tasks: number;
    duplicatesMerged: number;
    conflicts: number;
    uncovered: number;
  };
}
