-- A reviewer's decisions on candidate groups of a round's report (merge into one row, or keep apart), re-applied on
-- every rebuild. Undone or replaced decisions stay, marked with who ended them and when; at most one decision per
-- group is in force.
CREATE TABLE group_decisions (
  id text PRIMARY KEY,
  round_id text NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
  group_id text NOT NULL,
  action text NOT NULL CHECK (action IN ('merge', 'apart')),
  members_json text NOT NULL,
  created_at text NOT NULL,
  created_by text NOT NULL,
  ended_at text,
  ended_by text,
  ended_how text CHECK (ended_how IN ('undone', 'replaced'))
);
CREATE UNIQUE INDEX group_decisions_in_force_uq ON group_decisions (round_id, group_id) WHERE ended_at IS NULL;
CREATE INDEX group_decisions_round_idx ON group_decisions (round_id, created_at);
