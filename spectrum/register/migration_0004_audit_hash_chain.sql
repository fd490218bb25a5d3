-- Spectrum licence register, migration 4: tamper evidence for the audit log.
-- Each new audit row stores the hash of the previous row and its own SHA-256 over
-- (previous hash, its content), so a row changed or removed by a tool that bypasses the
-- triggers breaks the chain (Register.verify_audit). Rows written before this migration
-- have no hash and are reported as unchained.

ALTER TABLE audit ADD COLUMN prev_hash TEXT;
ALTER TABLE audit ADD COLUMN row_hash TEXT CHECK (row_hash IS NULL OR length(row_hash) = 64);
