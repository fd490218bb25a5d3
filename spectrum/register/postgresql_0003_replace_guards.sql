-- Spectrum licence register (PostgreSQL dialect), migration 3: replace guards.
-- PostgreSQL has no INSERT OR REPLACE (ON CONFLICT DO UPDATE fires the UPDATE guards), so this
-- migration only freezes the row counters: they move forward through spectrum_next_id() alone.

CREATE TRIGGER row_counter_forward BEFORE DELETE ON row_counter
FOR EACH ROW EXECUTE FUNCTION spectrum_refuse('row counters of the append-only tables never go back');
