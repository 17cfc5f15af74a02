-- Accounts can be disabled or forced to change their password; demo accounts are marked so that a production start
-- can refuse them; API tokens carry an expiry and a scope.
ALTER TABLE users ADD COLUMN disabled integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN must_change_password integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN demo integer NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN expires_at text;
ALTER TABLE api_tokens ADD COLUMN scope text NOT NULL DEFAULT 'addin';
