// The JSON the dashboard reads from /api, typed from the API contract (contracts/) where it describes them
// (type-only imports: nothing but types is bundled into the page).
import type {
  AgencyStatusRow,
  AnnexDiff,
  CandidatesResponse,
  CandidateView,
  CommentView,
  DecisionView,
  DirectoryResponse,
  ReportSummary,
  RoundSummary,
  RoundView,
  SubmissionView,
  TokenView,
  User,
  VersionInfo,
} from '../../contracts/index.js';

export type Severity = 'error' | 'warning' | 'info';

/** The signed-in user (/api/me, sign-in). */
export type Me = User;

/** GET /api/tokens: the signed-in user's API tokens (the add-in's access). */
export type TokenInfo = TokenView;

/** GET /api/directory: the province's agencies and the reform areas with their titles. */
export type Directory = DirectoryResponse;

export type RoundRow = RoundView & { expected?: number; submitted?: number };
export type AgencyRow = AgencyStatusRow;

export interface RoundDetail {
  round: RoundView;
  agencies: AgencyRow[];
  summary: RoundSummary;
}

export type ReportView = ReportSummary;
export type { CandidatesResponse, CandidateView, DecisionView };
/** POST/DELETE on decisions: the decision and the report rebuilt with it. */
export interface DecisionResult {
  decision: DecisionView;
  report: ReportView;
}

export interface Diagnostic {
  severity: Severity;
  code?: string;
  message: string;
  hint?: string;
  location?: { sheet?: string; row?: number; cell?: string; column?: number };
  /** A machine fix: the cells it changes, each with the text it expects there now. */
  fix?: { label: string; edits: CellEditView[] };
}

export interface CellEditView {
  sheet: string;
  row: number;
  column: number;
  cell: string;
  from: string;
  to: string;
}

/** A stored version's input as the server read it (what the officer's file held, row by row). */
export interface GridView {
  sheet: string;
  kind: 'sheet' | 'text';
  rows: { index: number; cells: { text: string; formula?: string; mergedInto?: string }[] }[];
  merges?: string[];
  encoding?: string;
  format?: string;
  /** A Word document's tables as the grid rows each spans. */
  tables?: { first: number; last: number }[];
}

export interface ValidationReportView {
  stats?: { tasks?: number; products?: number; errors?: number; warnings?: number };
  diagnostics?: Diagnostic[];
}

export interface SubmitAnswer {
  submissionId: string;
  version: number;
  duplicate: boolean;
  report?: ValidationReportView;
}

export interface SubmissionDetail extends SubmissionView {
  versions: VersionInfo[];
  comments?: CommentView[];
}

export interface VersionDetail {
  version: number;
  grids?: GridView[];
  annex?: { sections: { area?: string | null; tasks: unknown[] }[] };
  report?: ValidationReportView;
  /** Each row of the officer's file and the row of the version's xlsx download that shows it. */
  xlsxRows?: { sheet: string; row: number; xlsxRow: number }[];
}

export type VersionDiff = AnnexDiff & { from: number; to: number };

export interface AuditEntry {
  at: string;
  actor: string;
  /** The actor as people read it (display name). */
  actorName?: string;
  agencyName?: string | null;
  targetName?: string | null;
  action: string;
  agencyId?: string | null;
  target?: { type: string; id: string } | null;
  detail?: {
    version?: number;
    comment?: string;
    include?: string;
    file?: string;
    agencyName?: string;
    tasks?: string[];
  } | null;
}

/** GET /api/users (admins): every account of the server, with its state. */
export type AccountView = User;
