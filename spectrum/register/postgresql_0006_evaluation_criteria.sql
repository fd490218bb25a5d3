-- Spectrum licence register (PostgreSQL dialect), migration 6: receiver facts for the evaluation
-- (see migration_0006_evaluation_criteria.sql).

ALTER TABLE station ADD COLUMN indoor INTEGER CHECK (indoor IS NULL OR indoor IN (0, 1));
ALTER TABLE station ADD COLUMN building_type TEXT
    CHECK (building_type IS NULL OR building_type IN ('traditional', 'thermally efficient'));
ALTER TABLE station ADD COLUMN clutter_class TEXT
    CHECK (clutter_class IS NULL OR clutter_class IN ('water/sea', 'open/rural', 'suburban', 'urban',
                                                      'trees/forest', 'dense urban'));
ALTER TABLE assignment ADD COLUMN criterion TEXT
    CHECK (criterion IS NULL OR criterion IN ('I/N', 'C/I', 'C/(N+I)', '(N+I)/N'));
ALTER TABLE assignment ADD COLUMN criterion_db DOUBLE PRECISION
    CHECK (criterion_db IS NULL OR criterion_db BETWEEN -100 AND 100);
