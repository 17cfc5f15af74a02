-- The audit trail is append-only, enforced by the database itself: UPDATE and DELETE fail.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only (UPDATE refused)'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only (DELETE refused)'); END;
