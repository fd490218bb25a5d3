"""Spatial index of a PostgreSQL register: PostGIS where the server has it, else the GiST box fallback.

Chosen once, when the register is created (``init``, or the first open of an empty database,
including ``register migrate --to``), and recorded in ``spatial_index_info``:

* ``postgis`` -- the server lists ``postgis`` in ``pg_available_extensions`` and the creating role
  may create it (or it already exists): ``station.geog`` is the station's position as a geography
  point (EPSG:4326), set by the ``station_geog_sync`` trigger from (lon, lat), under a GiST index
  (``station_geog``), used by radius queries without a band; each assignment's index row
  (``assignment_gist``) carries the same point (``geog``, set from its position box by the
  ``assignment_gist_geog_sync`` trigger) under one GiST index over (geography, band box)
  (``assignment_gist_geog_band``): a radius + band query is ``ST_DWithin(g.geog, centre, radius)
  AND g.band && band``, pruned by both at once (on the 100 000-station benchmark a station-only
  geography index followed by the band filter was 5-7x slower than the box fallback). Box (``bbox``)
  and band-only queries keep the GiST box index, which is maintained in both modes.
* ``gist_box`` -- the built-in GiST index over (position box, band box) alone (no extension).

A register created without PostGIS keeps the fallback on a server that has it (no silent switch:
``check`` says so). ``SPECTRUM_PG_SPATIAL`` (or ``spatial=`` of :meth:`PostgreSQLBackend.open`)
asks for ``auto`` (default), ``postgis`` (an error where it cannot be had) or ``gist``.

Both prefilters are supersets (the sphere of ``ST_DWithin(..., use_spheroid => false)`` is PostGIS's
mean radius, and the distance is padded); :mod:`.query` then checks distances exactly, so results are
identical to the fallback and to SQLite.
"""
from __future__ import annotations

import math
import os
import re
from importlib import resources

from .backend import RegisterError
from .common import utc_now
from .models import EARTH_RADIUS_KM

__all__ = ["MODES", "requested_mode", "prepare", "apply", "read_mode", "describe", "prefilter", "problems",
           "expected_extra"]

#: what ``check`` prints for each mode
MODES = {"postgis": "PostGIS geography GiST", "gist_box": "GiST box fallback"}
#: PostGIS's sphere for ``use_spheroid => false`` (the WGS84 mean radius) [m]
POSTGIS_SPHERE_M = 6371008.7714
_SCHEMA = "postgis"
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


def requested_mode(spatial: str | None) -> str:
    """``auto``, ``postgis`` or ``gist`` from the argument or ``SPECTRUM_PG_SPATIAL``."""
    v = spatial if spatial is not None else os.environ.get("SPECTRUM_PG_SPATIAL", "auto")
    v = str(v).strip().lower() or "auto"
    if v not in ("auto", "postgis", "gist"):
        raise RegisterError(f"SPECTRUM_PG_SPATIAL / spatial = {v!r} must be auto, postgis or gist")
    return v


def _sql(schema: str) -> str:
    text = resources.files("spectrum.register").joinpath("postgresql_postgis.sql").read_text(encoding="utf-8")
    return text.replace("@postgis@", schema)


def _quote(schema: str) -> str:
    return schema if _IDENT.match(schema) else '"' + schema.replace('"', '""') + '"'


def _extension(conn) -> tuple[str, str] | None:
    row = conn.execute("SELECT n.nspname, e.extversion FROM pg_extension e JOIN pg_namespace n "
                       "ON n.oid = e.extnamespace WHERE e.extname = 'postgis'").fetchone()
    return (row[0], row[1]) if row else None


def server_has_postgis(conn) -> bool:
    return conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'").fetchone() is not None


def prepare(backend, spatial: str | None) -> tuple[str, str | None, str]:
    """Before the first migration of a new register: ``(mode, postgis_schema, detail)``; creates
    the extension where wanted and possible (in its own schema, ``postgis``, unless it exists);
    raises where PostGIS was asked for and cannot be had (nothing written)."""
    import psycopg

    want = requested_mode(spatial)
    conn = backend._conn
    mode, schema, detail = "gist_box", None, ""
    if want == "gist":
        detail = "chosen at creation (SPECTRUM_PG_SPATIAL=gist)"
    elif not server_has_postgis(conn):
        detail = "the postgis extension is not available on this server at creation"
    else:
        ext = _extension(conn)
        if ext is None:
            user = conn.execute("SELECT current_user").fetchone()[0]
            try:
                with backend.write():
                    conn.execute(f"CREATE SCHEMA IF NOT EXISTS {_SCHEMA}")
                    conn.execute(f"CREATE EXTENSION postgis SCHEMA {_SCHEMA}")
                ext = _extension(conn)
            except psycopg.Error as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                detail = f"role {user} may not create the postgis extension at creation ({first})"
        if ext is not None:
            mode, schema, detail = "postgis", ext[0], f"PostGIS {ext[1]} in schema {ext[0]}"
    if want == "postgis" and mode != "postgis":
        raise RegisterError(f"register {backend.url}: PostGIS was asked for (SPECTRUM_PG_SPATIAL=postgis) but "
                            f"{detail}")
    return mode, schema, detail


def apply(backend, plan: tuple[str, str | None, str]) -> None:
    """In the transaction of a new register's last migration: the geography column, its trigger and
    index (PostGIS mode), and the record of the mode and why."""
    mode, schema, detail = plan
    conn = backend._conn
    conn.execute("CREATE TABLE spatial_index_info (mode TEXT NOT NULL CHECK (mode IN ('postgis', 'gist_box')), "
                 "postgis_schema TEXT, detail TEXT NOT NULL, created_utc TEXT NOT NULL)")
    if mode == "postgis":
        for stmt in _split(_sql(_quote(schema))):
            conn.execute(stmt)
    conn.execute("INSERT INTO spatial_index_info (mode, postgis_schema, detail, created_utc) VALUES (%s, %s, %s, %s)",
                 (mode, schema, detail, utc_now()))


def _split(sql: str) -> list[str]:
    from .postgresql import split_pg_sql

    return split_pg_sql(sql)


def read_mode(conn) -> tuple[str, str | None, str]:
    """``(mode, postgis_schema, detail)`` recorded at creation."""
    has = conn.execute("SELECT 1 FROM pg_tables WHERE schemaname = current_schema() "
                       "AND tablename = 'spatial_index_info'").fetchone()
    if not has:
        return "gist_box", None, "register created before the PostGIS choice existed"
    rows = conn.execute("SELECT mode, postgis_schema, detail FROM spatial_index_info").fetchall()
    if len(rows) != 1:
        return "gist_box", None, f"spatial_index_info holds {len(rows)} rows, not 1"
    return rows[0][0], rows[0][1], rows[0][2]


def describe(mode: str, detail: str) -> str:
    if mode == "postgis":
        return (f"{MODES['postgis']} (station.geog, ST_DWithin for radius queries; GiST box index for bbox and "
                f"band-only queries; {detail})")
    return f"{MODES['gist_box']} (GiST over (position box, band box), built-in box operator class; {detail})"


def note(conn, mode: str) -> str | None:
    """What ``check`` adds for a fallback register on a server that has PostGIS."""
    if mode == "gist_box" and server_has_postgis(conn):
        return ("PostGIS is available on this server, but this register was created without it: the GiST box "
                "fallback stays in use (no silent switch; 'spectrum register migrate' into a new database "
                "creates a PostGIS register)")
    return None


def prefilter(schema: str, circle, f_min_mhz, f_max_mhz) -> tuple[str, str, list]:
    """Radius (+ band) prefilter of a PostGIS register: ``ST_DWithin`` on the station's geography
    point, a superset of the exact great-circle check (padded: 1e-6 relative and 1 m)."""
    lat, lon, radius_km = circle
    s = _quote(schema)
    band = f_min_mhz is not None or f_max_mhz is not None
    col = "g.geog" if band else "s.geog"
    cond, params = [], []
    if radius_km / EARTH_RADIUS_KM < math.pi:  # a cap that is not the whole sphere
        d_m = radius_km * 1000.0 * (POSTGIS_SPHERE_M / (EARTH_RADIUS_KM * 1000.0)) * (1 + 1e-6) + 1.0
        cond.append(f"{s}.ST_DWithin({col}, CAST({s}.ST_SetSRID({s}.ST_MakePoint(?, ?), 4326) AS {s}.geography), "
                    "?, false)")
        params += [float(lon), float(lat), d_m]
    if not band:
        return "assignment a", "(" + (" AND ".join(cond) or "TRUE") + ")", params
    cond.append("g.band && box(point(?, 0), point(?, 0))")
    params += [-1.0 if f_min_mhz is None else float(f_min_mhz), 1e12 if f_max_mhz is None else float(f_max_mhz)]
    return "assignment_gist g JOIN assignment a ON a.id = g.id", "(" + " AND ".join(cond) + ")", params


def expected_extra(mode: str, schema: str | None) -> tuple[dict, dict]:
    """Triggers and functions the PostGIS mode adds to those of the migrations."""
    if mode != "postgis" or not schema:
        return {}, {}
    from .pg_check import created_objects

    return created_objects(_split(_sql(_quote(schema))))


def problems(backend) -> list[str]:
    """The recorded mode against the database: extension, column, index and every station's point."""
    x = backend.execute
    out: list[str] = []
    has_table = x("SELECT 1 FROM pg_tables WHERE schemaname = current_schema() "
                  "AND tablename = 'spatial_index_info'").fetchone()
    if has_table:
        n = x("SELECT COUNT(*) FROM spatial_index_info").fetchone()[0]
        if n != 1:
            out.append(f"spatial_index_info holds {n} rows, not 1 (the database was altered outside Spectrum)")
    mode, schema, _ = read_mode(backend.connection)
    has_col = x("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = 'station' AND column_name = 'geog'").fetchone() is not None
    if mode != "postgis":
        if has_col:
            out.append("station.geog exists but the register records the GiST box fallback (the database was "
                       "altered outside Spectrum)")
        return out
    ext = _extension(backend.connection)
    if ext is None or ext[0] != schema:
        out.append(f"PostGIS spatial index: the postgis extension is missing from schema {schema} (the database "
                   "was altered outside Spectrum); radius queries cannot run")
        return out
    if not has_col:
        out.append("PostGIS spatial index: column station.geog is missing (the database was altered outside "
                   "Spectrum)")
        return out
    idx = x("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'station' "
            "AND indexname = 'station_geog'").fetchone()
    if idx is None or "USING gist (geog)" not in idx[0]:
        out.append("PostGIS spatial index: GiST index station_geog on station.geog is missing or changed (the "
                   "database was altered outside Spectrum)")
    s = _quote(schema)
    bad = x(f"SELECT id FROM station WHERE geog IS NULL OR {s}.ST_SRID(geog) <> 4326 "
            f"OR {s}.ST_X(CAST(geog AS {s}.geometry)) <> lon OR {s}.ST_Y(CAST(geog AS {s}.geometry)) <> lat "
            "ORDER BY id").fetchall()
    if bad:
        ids = ", ".join(str(r[0]) for r in bad[:10]) + (" ..." if len(bad) > 10 else "")
        out.append(f"PostGIS spatial index (station.geog) out of step for {len(bad)} station(s) ({ids}): radius "
                   "queries would miss them")
    has_g = x("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
              "AND table_name = 'assignment_gist' AND column_name = 'geog'").fetchone() is not None
    idx = x("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'assignment_gist' "
            "AND indexname = 'assignment_gist_geog_band'").fetchone()
    if not has_g or idx is None or "USING gist (geog, band)" not in idx[0]:
        out.append("PostGIS spatial index: assignment_gist.geog or its GiST index (geog, band) is missing or "
                   "changed (the database was altered outside Spectrum)")
        return out
    bad = x("SELECT a.id FROM assignment a JOIN station s ON s.id = a.station_id "
            f"JOIN assignment_gist g ON g.id = a.id WHERE g.geog IS NULL OR {s}.ST_SRID(g.geog) <> 4326 OR {s}.ST_X(CAST(g.geog AS {s}.geometry)) <> s.lon "
            f"OR {s}.ST_Y(CAST(g.geog AS {s}.geometry)) <> s.lat ORDER BY a.id").fetchall()
    if bad:
        ids = ", ".join(str(r[0]) for r in bad[:10]) + (" ..." if len(bad) > 10 else "")
        out.append(f"PostGIS spatial index (assignment_gist.geog) out of step for {len(bad)} assignment(s) ({ids}): "
                   "radius + band queries would miss them")
    return out
