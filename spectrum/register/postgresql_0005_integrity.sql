-- Spectrum licence register (PostgreSQL dialect), migration 5: integrity (the chain-start audit row
-- is written by spectrum.register.audit.after_migration); a status changes only with its history
-- row, and history rows follow each other legally.

CREATE FUNCTION licence_status_needs_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM (
            SELECT to_status FROM licence_history WHERE licence_id = NEW.id ORDER BY id DESC LIMIT 1) THEN
        RAISE EXCEPTION USING ERRCODE = '23000',
            MESSAGE = 'a licence status changes only with its history row (use a status transition)';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER licence_status_needs_history BEFORE UPDATE OF status ON licence
FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status) EXECUTE FUNCTION licence_status_needs_history();

CREATE FUNCTION licence_history_follows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.from_status IS DISTINCT FROM (
            SELECT to_status FROM licence_history WHERE licence_id = NEW.licence_id ORDER BY id DESC LIMIT 1)
       OR (NEW.from_status IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM status_transition WHERE from_status = NEW.from_status AND to_status = NEW.to_status)) THEN
        RAISE EXCEPTION USING ERRCODE = '23000',
            MESSAGE = 'licence history rows must follow the previous status by a legal transition';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER licence_history_follows BEFORE INSERT ON licence_history
FOR EACH ROW EXECUTE FUNCTION licence_history_follows();
