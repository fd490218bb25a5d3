-- Spectrum licence register (PostgreSQL dialect), migration 2: stored licence-request evaluations
-- (immutable once stored) and audit indexes.

CREATE TABLE evaluation (
    id                  BIGINT PRIMARY KEY,
    created_utc         TEXT NOT NULL,
    who                 TEXT NOT NULL CHECK (length(trim(who)) > 0),
    licence_number      TEXT,
    decision            TEXT NOT NULL CHECK (length(trim(decision)) > 0),
    request_json        TEXT NOT NULL CHECK (spectrum_json_valid(request_json)),
    result_json         TEXT NOT NULL CHECK (spectrum_json_valid(result_json)),
    model_versions_json TEXT NOT NULL CHECK (spectrum_json_valid(model_versions_json))
);
INSERT INTO row_counter (name, seq) VALUES ('evaluation', 0);
CREATE INDEX evaluation_licence ON evaluation(licence_number);
CREATE INDEX evaluation_created ON evaluation(created_utc);
CREATE TRIGGER evaluation_next_id BEFORE INSERT ON evaluation
FOR EACH ROW EXECUTE FUNCTION spectrum_next_id();
CREATE CONSTRAINT TRIGGER evaluation_high_water AFTER INSERT ON evaluation DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION spectrum_high_water();
CREATE TRIGGER evaluation_immutable BEFORE UPDATE OR DELETE ON evaluation
FOR EACH ROW EXECUTE FUNCTION spectrum_refuse('stored evaluations are immutable');
CREATE TRIGGER evaluation_no_truncate BEFORE TRUNCATE ON evaluation
FOR EACH STATEMENT EXECUTE FUNCTION spectrum_refuse('stored evaluations are immutable');

CREATE INDEX audit_entity ON audit(entity, entity_key);
CREATE INDEX audit_at ON audit(at_utc);
