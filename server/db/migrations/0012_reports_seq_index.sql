-- "The round's last report" (max(seq) when a report is stored, the newest when one is read) from an index: reading
-- seq from a row walks the row's whole summary first (SQLite keeps a large text in a chain of overflow pages, and
-- seq comes after it), megabytes per earlier report of a 100-agency round.
CREATE INDEX reports_round_seq_idx ON reports (round_id, seq);
