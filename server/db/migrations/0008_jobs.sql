-- Work any instance may take (report builds, Sheet intake): claimed with FOR UPDATE SKIP LOCKED on PostgreSQL; on
-- SQLite the same table serves the single process.
CREATE TABLE jobs (
  id text PRIMARY KEY,
  kind text NOT NULL,
  state text NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
  payload_json text NOT NULL,
  result_json text,
  error_json text,
  attempts integer NOT NULL DEFAULT 0,
  created_by text NOT NULL,
  created_at text NOT NULL,
  started_at text,
  finished_at text,
  locked_by text
);
CREATE INDEX jobs_state_idx ON jobs (state, created_at);
