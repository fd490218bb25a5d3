-- Spectrum licence register: integrity (hash chain from a known genesis, status with history).
-- The audit log's hash chain gets a start row written in this migration's transaction (by
-- spectrum.register.audit.after_migration): its previous hash is a digest of every older row,
-- folded from a fixed genesis value, so a register created at this schema is chained from the
-- genesis and every later row is hashed. The licence status can only change together with a
-- history row, and history rows must follow each other legally.

CREATE TRIGGER licence_status_needs_history BEFORE UPDATE OF status ON licence
WHEN NEW.status IS NOT OLD.status AND NEW.status IS NOT (
    SELECT to_status FROM licence_history WHERE licence_id = NEW.id ORDER BY id DESC LIMIT 1)
BEGIN SELECT RAISE(ABORT, 'a licence status changes only with its history row (use a status transition)'); END;

CREATE TRIGGER licence_history_follows BEFORE INSERT ON licence_history
WHEN NEW.from_status IS NOT (
        SELECT to_status FROM licence_history WHERE licence_id = NEW.licence_id ORDER BY id DESC LIMIT 1)
    OR (NEW.from_status IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM status_transition WHERE from_status = NEW.from_status AND to_status = NEW.to_status))
BEGIN SELECT RAISE(ABORT, 'licence history rows must follow the previous status by a legal transition'); END;
