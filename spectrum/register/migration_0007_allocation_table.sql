-- Spectrum licence register: the national frequency allocation table in force, stored in the
-- register itself (it was a file outside it). Assignments are checked against it; replacing it is
-- one audited write (entity 'allocation_table', before/after = name, row count and digest), and
-- `check` compares the rows with the digest the audit log last recorded. A register without rows
-- here checks against the illustrative sample table shipped with the package.

CREATE TABLE allocation_band (
    id         INTEGER PRIMARY KEY,
    f_lo_mhz   REAL NOT NULL CHECK (f_lo_mhz >= 0),
    f_hi_mhz   REAL NOT NULL CHECK (f_hi_mhz > f_lo_mhz),
    service    TEXT NOT NULL,
    category   TEXT NOT NULL CHECK (category IN ('primary', 'secondary')),
    excludes   TEXT NOT NULL DEFAULT '',
    footnotes  TEXT NOT NULL DEFAULT '',
    remarks    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX allocation_band_f ON allocation_band(f_lo_mhz, f_hi_mhz);

CREATE TABLE allocation_table_info (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    name          TEXT NOT NULL,
    source        TEXT NOT NULL DEFAULT '',
    bands         INTEGER NOT NULL CHECK (bands >= 0),
    digest        TEXT NOT NULL,
    installed_utc TEXT NOT NULL,
    installed_by  TEXT NOT NULL
);
