-- Spectrum licence register, migration 2: stored licence-request evaluations
-- (inputs, model versions, results, decision; immutable once stored) and audit indexes.

CREATE TABLE evaluation (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    created_utc         TEXT NOT NULL,
    who                 TEXT NOT NULL CHECK (length(trim(who)) > 0),
    licence_number      TEXT,
    decision            TEXT NOT NULL CHECK (length(trim(decision)) > 0),
    request_json        TEXT NOT NULL CHECK (json_valid(request_json)),
    result_json         TEXT NOT NULL CHECK (json_valid(result_json)),
    model_versions_json TEXT NOT NULL CHECK (json_valid(model_versions_json))
);
CREATE INDEX evaluation_licence ON evaluation(licence_number);
CREATE INDEX evaluation_created ON evaluation(created_utc);
CREATE TRIGGER evaluation_no_update BEFORE UPDATE ON evaluation
BEGIN SELECT RAISE(ABORT, 'stored evaluations are immutable'); END;
CREATE TRIGGER evaluation_no_delete BEFORE DELETE ON evaluation
BEGIN SELECT RAISE(ABORT, 'stored evaluations are immutable'); END;

CREATE INDEX audit_entity ON audit(entity, entity_key);
CREATE INDEX audit_at ON audit(at_utc);
