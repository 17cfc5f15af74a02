-- Sign-in attempts per key (user, IP, user+IP), shared by every server instance on one database.
CREATE TABLE login_throttle (
  "key" text PRIMARY KEY,
  attempts integer NOT NULL,
  window_start text NOT NULL,
  blocked_until text
);
CREATE INDEX login_throttle_window_idx ON login_throttle (window_start);
