-- Version 3: the audit log's hash chain (docs/data-rules.md, "Privacy").
--
-- Each entry of `audit` gets a seal here: SHA-256 of the seal before it and of the entry's own
-- content, written by caseload when the change that made the entry commits. An entry changed or
-- removed with another program breaks the chain at that point; an entry written by another
-- program has no seal. `caseload audit --verify` and `caseload check` walk the chain. From this
-- version on the audit triggers are made by the program from the record tables themselves
-- (src/store/triggers.rs) after every migration, so a column added later is logged too.

CREATE TABLE audit_seal (
    id   INTEGER PRIMARY KEY,   -- the id of the audit entry sealed
    hash BLOB NOT NULL CHECK (length(hash) = 32)
) STRICT;

CREATE TRIGGER audit_seal_no_update BEFORE UPDATE ON audit_seal
BEGIN
    SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;
CREATE TRIGGER audit_seal_no_delete BEFORE DELETE ON audit_seal
BEGIN
    SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;
