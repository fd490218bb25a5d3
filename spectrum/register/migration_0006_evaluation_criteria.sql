-- Spectrum licence register: what the request evaluation needs to know about a receiver.
-- Additive columns only (existing rows get NULL = "not stated"):
--   station.indoor / building_type -- an indoor receiver takes the P.2109 building entry loss;
--   station.clutter_class          -- a terminal in clutter takes the P.2108-1 §3.1 correction;
--   assignment.criterion / criterion_db -- any of the four SM.2028 / SEAMCAT criteria with its
--     threshold; when set it takes precedence over protection / protection_db (I/N, C/I only).

ALTER TABLE station ADD COLUMN indoor INTEGER CHECK (indoor IS NULL OR indoor IN (0, 1));
ALTER TABLE station ADD COLUMN building_type TEXT
    CHECK (building_type IS NULL OR building_type IN ('traditional', 'thermally efficient'));
ALTER TABLE station ADD COLUMN clutter_class TEXT
    CHECK (clutter_class IS NULL OR clutter_class IN ('water/sea', 'open/rural', 'suburban', 'urban',
                                                      'trees/forest', 'dense urban'));
ALTER TABLE assignment ADD COLUMN criterion TEXT
    CHECK (criterion IS NULL OR criterion IN ('I/N', 'C/I', 'C/(N+I)', '(N+I)/N'));
ALTER TABLE assignment ADD COLUMN criterion_db REAL
    CHECK (criterion_db IS NULL OR criterion_db BETWEEN -100 AND 100);
