-- Spectrum licence register (PostgreSQL dialect): the PostGIS spatial index, applied once when a
-- register is created on a server where the postgis extension is available (not a numbered
-- migration: a register created without PostGIS keeps the GiST box fallback). @postgis@ is the
-- schema the extension lives in. station.geog is the station's position as a geography point
-- (EPSG:4326), set by a BEFORE trigger from (lon, lat) on every insert and every update of lat, lon
-- or geog itself (a direct write of geog is overwritten), under a GiST index; radius queries
-- without a band use ST_DWithin on it (see spectrum.register.pg_spatial).
ALTER TABLE station ADD COLUMN geog @postgis@.geography(Point, 4326);
CREATE FUNCTION station_geog_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    NEW.geog := CAST(@postgis@.ST_SetSRID(@postgis@.ST_MakePoint(NEW.lon, NEW.lat), 4326) AS @postgis@.geography);
    RETURN NEW;
END $$;
CREATE TRIGGER station_geog_sync BEFORE INSERT OR UPDATE OF lat, lon, geog ON station
FOR EACH ROW EXECUTE FUNCTION station_geog_sync();
UPDATE station SET geog = NULL;
CREATE INDEX station_geog ON station USING gist (geog);
-- The same point on each assignment's index row, beside its band, under one GiST index over
-- (geography, band box): a radius + band query then prunes by both at once, as the box index does
-- (set from the row's position box by a BEFORE trigger, so assignment_gist_sync keeps it in step).
ALTER TABLE assignment_gist ADD COLUMN geog @postgis@.geography(Point, 4326);
CREATE FUNCTION assignment_gist_geog_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    NEW.geog := CAST(@postgis@.ST_SetSRID(@postgis@.ST_MakePoint((NEW.pos[0])[0], (NEW.pos[0])[1]), 4326)
                     AS @postgis@.geography);
    RETURN NEW;
END $$;
CREATE TRIGGER assignment_gist_geog_sync BEFORE INSERT OR UPDATE ON assignment_gist
FOR EACH ROW EXECUTE FUNCTION assignment_gist_geog_sync();
UPDATE assignment_gist SET geog = NULL;
CREATE INDEX assignment_gist_geog_band ON assignment_gist USING gist (geog, band);
