-- Spectrum licence register, migration 1: core tables.
-- Licensees, licences (status lifecycle enforced by trigger), stations, assignments,
-- antenna patterns, spectrum masks, an R-tree over (lat, lon, frequency) of every
-- assignment, and the append-only audit log (UPDATE / DELETE raise).

CREATE TABLE licensee (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    address     TEXT,
    country     TEXT,
    contact     TEXT,
    created_utc TEXT NOT NULL
);

CREATE TABLE status_transition (
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    PRIMARY KEY (from_status, to_status)
) WITHOUT ROWID;

INSERT INTO status_transition (from_status, to_status) VALUES
    ('application', 'granted'), ('application', 'refused'), ('application', 'withdrawn'),
    ('granted', 'suspended'), ('granted', 'expired'), ('granted', 'revoked'),
    ('suspended', 'granted'), ('suspended', 'expired'), ('suspended', 'revoked');

CREATE TRIGGER status_transition_frozen_u BEFORE UPDATE ON status_transition
BEGIN SELECT RAISE(ABORT, 'the licence status transition table is fixed by the schema'); END;
CREATE TRIGGER status_transition_frozen_d BEFORE DELETE ON status_transition
BEGIN SELECT RAISE(ABORT, 'the licence status transition table is fixed by the schema'); END;
CREATE TRIGGER status_transition_frozen_i BEFORE INSERT ON status_transition
BEGIN SELECT RAISE(ABORT, 'the licence status transition table is fixed by the schema'); END;

CREATE TABLE licence (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE CHECK (length(trim(number)) > 0),
    licensee_id INTEGER NOT NULL REFERENCES licensee(id),
    service     TEXT NOT NULL CHECK (length(service) > 0),
    status      TEXT NOT NULL CHECK (status IN ('application', 'granted', 'suspended', 'expired',
                                                'revoked', 'refused', 'withdrawn')),
    valid_from  TEXT CHECK (valid_from IS NULL OR date(valid_from) IS valid_from),
    valid_to    TEXT CHECK (valid_to IS NULL OR date(valid_to) IS valid_to),
    remarks     TEXT,
    created_utc TEXT NOT NULL,
    updated_utc TEXT NOT NULL,
    CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX licence_status_service ON licence(status, service);
CREATE INDEX licence_licensee ON licence(licensee_id);

CREATE TRIGGER licence_legal_transition BEFORE UPDATE OF status ON licence
WHEN NEW.status IS NOT OLD.status AND NOT EXISTS (
    SELECT 1 FROM status_transition WHERE from_status = OLD.status AND to_status = NEW.status)
BEGIN SELECT RAISE(ABORT, 'illegal licence status transition'); END;

CREATE TRIGGER licence_number_fixed BEFORE UPDATE OF number ON licence
WHEN NEW.number IS NOT OLD.number
BEGIN SELECT RAISE(ABORT, 'a licence number never changes'); END;

CREATE TRIGGER licence_never_deleted BEFORE DELETE ON licence
BEGIN SELECT RAISE(ABORT, 'licences are never deleted: use a status transition'); END;

CREATE TABLE licence_history (
    id          INTEGER PRIMARY KEY,
    licence_id  INTEGER NOT NULL REFERENCES licence(id),
    from_status TEXT,
    to_status   TEXT NOT NULL,
    by_user     TEXT NOT NULL CHECK (length(trim(by_user)) > 0),
    at_utc      TEXT NOT NULL,
    reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0)
);
CREATE INDEX licence_history_licence ON licence_history(licence_id);
CREATE TRIGGER licence_history_no_update BEFORE UPDATE ON licence_history
BEGIN SELECT RAISE(ABORT, 'licence history is append-only'); END;
CREATE TRIGGER licence_history_no_delete BEFORE DELETE ON licence_history
BEGIN SELECT RAISE(ABORT, 'licence history is append-only'); END;

CREATE TABLE antenna_pattern (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    kind        TEXT NOT NULL CHECK (kind IN ('omni', 'F.699', 'F.1245', 'F.1336', 'table')),
    g_max_dbi   REAL NOT NULL CHECK (g_max_dbi BETWEEN -30 AND 80),
    params_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params_json)),
    h_az_json   TEXT CHECK (h_az_json IS NULL OR json_valid(h_az_json)),
    h_gain_json TEXT CHECK (h_gain_json IS NULL OR json_valid(h_gain_json)),
    v_el_json   TEXT CHECK (v_el_json IS NULL OR json_valid(v_el_json)),
    v_gain_json TEXT CHECK (v_gain_json IS NULL OR json_valid(v_gain_json))
);

CREATE TABLE spectrum_mask (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    kind                TEXT NOT NULL CHECK (kind IN ('tx', 'rx')),
    offset_khz_json     TEXT NOT NULL CHECK (json_valid(offset_khz_json)),
    attenuation_db_json TEXT NOT NULL CHECK (json_valid(attenuation_db_json)),
    CHECK (json_array_length(offset_khz_json) = json_array_length(attenuation_db_json)
           AND json_array_length(offset_khz_json) >= 2)
);

CREATE TABLE station (
    id              INTEGER PRIMARY KEY,
    licence_id      INTEGER NOT NULL REFERENCES licence(id),
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    role            TEXT NOT NULL CHECK (role IN ('tx', 'rx')),
    lat             REAL NOT NULL CHECK (typeof(lat) = 'real' AND lat BETWEEN -90 AND 90),
    lon             REAL NOT NULL CHECK (typeof(lon) = 'real' AND lon >= -180 AND lon < 180),
    h_agl_m         REAL NOT NULL CHECK (h_agl_m >= 0 AND h_agl_m <= 1000),
    antenna_pattern TEXT REFERENCES antenna_pattern(name),
    g_dbi           REAL NOT NULL CHECK (g_dbi BETWEEN -30 AND 80),
    azimuth_deg     REAL NOT NULL DEFAULT 0 CHECK (azimuth_deg >= 0 AND azimuth_deg < 360),
    tilt_deg        REAL NOT NULL DEFAULT 0 CHECK (tilt_deg BETWEEN -90 AND 90),
    polarisation    TEXT NOT NULL CHECK (polarisation IN ('h', 'v')),
    feeder_loss_db  REAL NOT NULL DEFAULT 0 CHECK (feeder_loss_db BETWEEN 0 AND 100)
);
CREATE INDEX station_licence ON station(licence_id);
CREATE INDEX station_lat_lon ON station(lat, lon);

CREATE TABLE assignment (
    id              INTEGER PRIMARY KEY,
    station_id      INTEGER NOT NULL REFERENCES station(id) ON DELETE CASCADE,
    f_mhz           REAL NOT NULL CHECK (typeof(f_mhz) = 'real' AND f_mhz > 0 AND f_mhz <= 3000000),
    bw_khz          REAL NOT NULL CHECK (typeof(bw_khz) = 'real' AND bw_khz > 0),
    emission        TEXT CHECK (emission IS NULL OR length(emission) BETWEEN 7 AND 9),
    f_lo_mhz        REAL GENERATED ALWAYS AS (f_mhz - bw_khz / 2000.0) STORED,
    f_hi_mhz        REAL GENERATED ALWAYS AS (f_mhz + bw_khz / 2000.0) STORED,
    eirp_dbw        REAL CHECK (eirp_dbw IS NULL OR eirp_dbw BETWEEN -100 AND 120),
    tx_mask         TEXT REFERENCES spectrum_mask(name),
    rx_selectivity  TEXT REFERENCES spectrum_mask(name),
    noise_figure_db REAL CHECK (noise_figure_db IS NULL OR noise_figure_db BETWEEN 0 AND 50),
    protection      TEXT CHECK (protection IS NULL OR protection IN ('I/N', 'C/I')),
    protection_db   REAL CHECK (protection_db IS NULL OR protection_db BETWEEN -100 AND 100),
    CHECK ((protection IS NULL) = (protection_db IS NULL)),
    CHECK (f_mhz - bw_khz / 2000.0 > 0)
);
CREATE INDEX assignment_station ON assignment(station_id);
CREATE INDEX assignment_f ON assignment(f_lo_mhz, f_hi_mhz);

-- Spatial + spectral index: one box per assignment, (lat, lon) of its station and its
-- occupied band. Kept in step by triggers; the query refines candidates exactly.
CREATE VIRTUAL TABLE assignment_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon, min_f, max_f);

CREATE TRIGGER assignment_rtree_i AFTER INSERT ON assignment
BEGIN
    INSERT INTO assignment_rtree (id, min_lat, max_lat, min_lon, max_lon, min_f, max_f)
    SELECT NEW.id, s.lat, s.lat, s.lon, s.lon, NEW.f_lo_mhz, NEW.f_hi_mhz FROM station s WHERE s.id = NEW.station_id;
END;
CREATE TRIGGER assignment_rtree_u AFTER UPDATE OF station_id, f_mhz, bw_khz ON assignment
BEGIN
    DELETE FROM assignment_rtree WHERE id = OLD.id;
    INSERT INTO assignment_rtree (id, min_lat, max_lat, min_lon, max_lon, min_f, max_f)
    SELECT NEW.id, s.lat, s.lat, s.lon, s.lon, NEW.f_lo_mhz, NEW.f_hi_mhz FROM station s WHERE s.id = NEW.station_id;
END;
CREATE TRIGGER assignment_rtree_d AFTER DELETE ON assignment
BEGIN
    DELETE FROM assignment_rtree WHERE id = OLD.id;
END;
CREATE TRIGGER station_rtree_u AFTER UPDATE OF lat, lon ON station
BEGIN
    UPDATE assignment_rtree SET min_lat = NEW.lat, max_lat = NEW.lat, min_lon = NEW.lon, max_lon = NEW.lon
    WHERE id IN (SELECT id FROM assignment WHERE station_id = NEW.id);
END;

-- Append-only audit log: who, when, what, before/after (JSON).
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at_utc      TEXT NOT NULL,
    who         TEXT NOT NULL CHECK (length(trim(who)) > 0),
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_key  TEXT,
    before_json TEXT CHECK (before_json IS NULL OR json_valid(before_json)),
    after_json  TEXT CHECK (after_json IS NULL OR json_valid(after_json)),
    reason      TEXT
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: audit rows cannot be updated'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: audit rows cannot be deleted'); END;
