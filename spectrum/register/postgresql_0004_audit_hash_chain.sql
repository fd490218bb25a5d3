-- Spectrum licence register (PostgreSQL dialect), migration 4: hash chain columns of the audit log
-- (see migration_0004_audit_hash_chain.sql; hashes are computed by spectrum.register.audit).

ALTER TABLE audit ADD COLUMN prev_hash TEXT;
ALTER TABLE audit ADD COLUMN row_hash TEXT CHECK (row_hash IS NULL OR length(row_hash) = 64);
