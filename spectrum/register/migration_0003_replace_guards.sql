-- Spectrum licence register, migration 3: close the INSERT OR REPLACE loophole.
-- A REPLACE conflict deletes the old row without firing DELETE triggers (unless
-- recursive_triggers is on, which the API's connections set), so the append-only tables and
-- the licence table also refuse, before insertion, any row that would replace an existing one.

CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: audit rows cannot be replaced'); END;

CREATE TRIGGER licence_history_no_replace BEFORE INSERT ON licence_history
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM licence_history WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'licence history is append-only'); END;

CREATE TRIGGER evaluation_no_replace BEFORE INSERT ON evaluation
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM evaluation WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'stored evaluations are immutable'); END;

CREATE TRIGGER licence_no_replace BEFORE INSERT ON licence
WHEN EXISTS (SELECT 1 FROM licence WHERE number = NEW.number OR id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'licence number already exists (licences are never replaced)'); END;
