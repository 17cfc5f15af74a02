// Table types for Kysely. Timestamps are ISO-8601 UTC strings and booleans 0/1 so that SQLite and
// PostgreSQL store and compare them the same way.
import type { Generated, Kysely } from 'kysely';

export type Role = 'agency' | 'reviewer' | 'admin';
export type SubmissionStatus = 'submitted' | 'returned' | 'accepted';

export interface UsersTable {
  id: string;
  username: string;
  password_hash: string;
  display_name: string;
  role: Role;
  agency_id: string | null;
  agency_name: string | null;
  province: string;
  created_at: string;
  /** 1: cannot sign in; its sessions and tokens stop working. */
  disabled: Generated<number>;
  /** 1: signed in with a password set by an admin; must choose a new one before anything else. */
  must_change_password: Generated<number>;
  /** 1: created by the demo loader (password known to everyone). */
  demo: Generated<number>;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  label: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked: number;
  /** ISO time after which the token is refused (null: a token from before expiry existed). */
  expires_at: string | null;
  /** What the token may do: "addin" (read, submit, sync; never accounts or tokens). */
  scope: Generated<string>;
}

export interface LoginThrottleTable {
  key: string;
  attempts: number;
  window_start: string;
  blocked_until: string | null;
}

export interface SheetOwnersTable {
  spreadsheet_id: string;
  agency_id: string;
  first_round_id: string;
  created_at: string;
}

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface JobsTable {
  id: string;
  kind: string;
  state: JobState;
  payload_json: string;
  result_json: string | null;
  error_json: string | null;
  attempts: Generated<number>;
  created_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  locked_by: string | null;
}

export interface RoundsTable {
  id: string;
  title: string;
  year: number;
  province: string;
  deadline: string;
  plan_submission_id: string | null;
  locked: number;
  locked_at: string | null;
  created_at: string;
  created_by: string;
}

export interface RoundAgenciesTable {
  round_id: string;
  agency_id: string;
  agency_name: string;
  position: number;
}

export interface SubmissionsTable {
  id: string;
  round_id: string;
  agency_id: string;
  agency_name: string;
  status: SubmissionStatus;
  latest_version: number;
  first_submitted_at: string;
  updated_at: string;
}

export interface VersionsTable {
  submission_id: string;
  version: number;
  content_hash: string;
  created_at: string;
  created_by: string;
  source: string;
  file_name: string | null;
  grids_json: string;
  report_json: string;
  tasks: number;
  errors: number;
  warnings: number;
  infos: number;
}

export interface CommentsTable {
  id: string;
  submission_id: string;
  version: number;
  author_id: string;
  kind: string;
  text: string;
  row: number | null;
  col: number | null;
  /** Order within one review (comments of one review share created_at). */
  seq: Generated<number>;
  created_at: string;
}

export interface ReportsTable {
  id: string;
  round_id: string;
  include: string;
  created_at: string;
  created_by: string;
  summary_json: string;
  /** The consolidated report as JSON text; empty when it is stored compressed in `consolidated_gz`. */
  consolidated_json: string;
  /** The consolidated report's JSON, gzip-compressed (reports built since migration 0010). */
  consolidated_gz: Uint8Array | null;
  /**
   * What the report was built from (reports built since migration 0011): the versions, the reviewer's decisions and
   * the round's settings. The report is derived from them until its packed form is written on first read.
   */
  inputs_json: string | null;
  /** 1, 2, … per round, in build order. */
  seq: Generated<number>;
}

export interface CommentResolutionsTable {
  comment_id: string;
  resolved: number;
  at: string;
  by_user: string;
}

export interface GroupDecisionsTable {
  id: string;
  round_id: string;
  /** The candidate group's id when it was decided (engine/merge: stable over rebuilds). */
  group_id: string;
  action: 'merge' | 'apart';
  /** The tasks as the reviewer saw them: [{agencyId, agencyName, task, at}]. */
  members_json: string;
  created_at: string;
  created_by: string;
  /** Set when the decision is undone or replaced by another on the same group; null while in force. */
  ended_at: string | null;
  ended_by: string | null;
  ended_how: 'undone' | 'replaced' | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string;
  round_id: string | null;
  agency_id: string | null;
  detail_json: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  rounds: RoundsTable;
  round_agencies: RoundAgenciesTable;
  submissions: SubmissionsTable;
  submission_versions: VersionsTable;
  comments: CommentsTable;
  comment_resolutions: CommentResolutionsTable;
  reports: ReportsTable;
  audit: AuditTable;
  login_throttle: LoginThrottleTable;
  sheet_owners: SheetOwnersTable;
  jobs: JobsTable;
  group_decisions: GroupDecisionsTable;
}

export type Db = Kysely<Database>;
export type DialectKind = 'sqlite' | 'postgres';
