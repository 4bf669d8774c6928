-- Version 7: data protection duties (docs/privacy.md): retention, erasure and redaction.
--
-- The district's retention policy (`closed+6`, `age+25`, or both): NULL means the default.
ALTER TABLE district ADD COLUMN retention TEXT CHECK (retention IS NULL OR trim(retention) <> '');

-- Each seal now also keeps the hash of its entry's content, and the chain links those hashes
-- (src/store/chain.rs): an entry whose old and new values are redacted by an erasure can still
-- be checked against its neighbours. The program computes the content hashes of the entries
-- sealed so far and seals them again under the new rule, in this same transaction; the guard
-- that keeps seals unchanged is put back by it afterwards.
DROP TRIGGER audit_seal_no_update;
ALTER TABLE audit_seal ADD COLUMN content BLOB CHECK (content IS NULL OR length(content) = 32);

-- A redacted entry says under which erasure (its `redacted` is the erasure's key). The log stays
-- append-only otherwise: an entry may be changed once, only to be redacted, and only its key and
-- values (the record's key may itself be personal: the child's key is replaced).
ALTER TABLE audit ADD COLUMN redacted TEXT;
DROP TRIGGER audit_no_update;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
WHEN OLD.redacted IS NOT NULL OR NEW.redacted IS NULL OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at
     OR NEW.os_user IS NOT OLD.os_user OR NEW.table_name IS NOT OLD.table_name OR NEW.op IS NOT OLD.op
BEGIN
    SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;

-- The erasures made: when, by whom (the OS user), why, and the child's new key. No personal data.
CREATE TABLE erasures (
    id      INTEGER PRIMARY KEY,
    key     TEXT NOT NULL UNIQUE CHECK (key <> ''),   -- the erased child's new, meaningless key
    at      TEXT NOT NULL,                            -- UTC
    os_user TEXT NOT NULL,
    reason  TEXT
) STRICT;
