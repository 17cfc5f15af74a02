-- Two-way sync: a reviewer comment resolved (or reopened) by the officer or a reviewer.
CREATE TABLE comment_resolutions (
  comment_id text PRIMARY KEY REFERENCES comments (id) ON DELETE CASCADE,
  resolved integer NOT NULL,
  at text NOT NULL,
  by_user text NOT NULL
);
