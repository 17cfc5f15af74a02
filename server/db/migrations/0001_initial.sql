-- The first schema: accounts, sessions, API tokens, rounds and their agencies, submissions with every version,
-- reviewer comments, built reports and the audit trail. Types are portable (text, integer); {{serial_id}} is the
-- auto-increment key of each database.

CREATE TABLE users (
  id text PRIMARY KEY,
  username text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('agency', 'reviewer', 'admin')),
  agency_id text,
  agency_name text,
  province text NOT NULL,
  created_at text NOT NULL
);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at text NOT NULL,
  expires_at text NOT NULL
);

CREATE TABLE api_tokens (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  label text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  created_at text NOT NULL,
  last_used_at text,
  revoked integer NOT NULL DEFAULT 0
);

CREATE TABLE rounds (
  id text PRIMARY KEY,
  title text NOT NULL,
  year integer NOT NULL,
  province text NOT NULL,
  deadline text NOT NULL,
  plan_submission_id text,
  locked integer NOT NULL DEFAULT 0,
  locked_at text,
  created_at text NOT NULL,
  created_by text NOT NULL
);

CREATE TABLE round_agencies (
  round_id text NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
  agency_id text NOT NULL, agency_name text NOT NULL,
  "position" integer NOT NULL,
  CONSTRAINT round_agencies_pk PRIMARY KEY (round_id, agency_id)
);

-- One submission per agency per round; its versions are the history.
CREATE TABLE submissions (
  id text PRIMARY KEY,
  round_id text NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
  agency_id text NOT NULL, agency_name text NOT NULL,
  status text NOT NULL CHECK (status IN ('submitted', 'returned', 'accepted')),
  latest_version integer NOT NULL,
  first_submitted_at text NOT NULL,
  updated_at text NOT NULL,
  CONSTRAINT submissions_round_agency_uq UNIQUE (round_id, agency_id)
);

-- The version numbers are allocated under the primary key: racing inserts fail and retry.
CREATE TABLE submission_versions (
  submission_id text NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version > 0),
  content_hash text NOT NULL,
  created_at text NOT NULL,
  created_by text NOT NULL,
  source text NOT NULL,
  file_name text,
  grids_json text NOT NULL,
  report_json text NOT NULL,
  -- The counts of the version's check, kept beside it so that lists need not open report_json.
  tasks integer NOT NULL, errors integer NOT NULL, warnings integer NOT NULL, infos integer NOT NULL,
  CONSTRAINT submission_versions_pk PRIMARY KEY (submission_id, version)
);

CREATE TABLE comments (
  id text PRIMARY KEY,
  submission_id text NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
  version integer NOT NULL,
  author_id text NOT NULL,
  kind text NOT NULL,
  text text NOT NULL,
  -- The cell the comment is about, when it is about one.
  "row" integer, col integer,
  created_at text NOT NULL
);

CREATE TABLE reports (
  id text PRIMARY KEY,
  round_id text NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
  "include" text NOT NULL,
  created_at text NOT NULL,
  created_by text NOT NULL,
  summary_json text NOT NULL,
  consolidated_json text NOT NULL
);

CREATE TABLE audit (
  id {{serial_id}},
  at text NOT NULL,
  actor_id text,
  actor_name text NOT NULL,
  action text NOT NULL,
  target_type text NOT NULL,
  target_id text NOT NULL,
  round_id text,
  agency_id text,
  detail_json text NOT NULL
);

CREATE INDEX audit_round_idx ON audit (round_id, id);
CREATE INDEX submissions_round_idx ON submissions (round_id);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX reports_round_idx ON reports (round_id, created_at);
