"""The PostgreSQL register's two spatial indexes (spectrum.register.pg_spatial): PostGIS geography
GiST where the server has PostGIS at creation, else the GiST box fallback. Same query results as
each other and as SQLite, ``check`` names and verifies the one in use, no silent switch.
Skipped, with the reason, without ``SPECTRUM_TEST_PG`` or without the postgis extension."""
from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import _PG_SKIP, _pg_url, pg_as, pg_new_database, postgis_skip_reason
from spectrum.cli import main
from spectrum.register import Register, RegisterError
from test_register import _mk

pytestmark = [pytest.mark.postgresql, pytest.mark.skipif(bool(_PG_SKIP), reason=_PG_SKIP or "")]


@pytest.fixture
def postgis():
    if postgis_skip_reason():
        pytest.skip(postgis_skip_reason())


def _su(url):
    import psycopg

    return psycopg.connect(pg_as(url), autocommit=True)


def _check(capsys, url, *extra):
    rc = main(["register", "check", "--db", url, *extra])
    return rc, capsys.readouterr().out


def _rows(reg, **kw):
    return [(r.assignment_id, r.licence_number, r.station_id, r.lat, r.lon, r.f_mhz, r.bw_khz, r.role, r.status)
            for r in reg.query(**kw)]


def test_synthetic_register_queries_identical_across_spatial_modes_and_sqlite(postgis, tmp_path):
    """The 100 000-station benchmark's queries on a 4 000-station synthetic register: SQLite's R-tree,
    the GiST box fallback and PostGIS's ST_DWithin give the same rows (after the exact check)."""
    from spectrum.datasets.register import SHANGHAI, synthetic_register

    n = 4000
    regs = {"sqlite": synthetic_register(tmp_path / "s.sqlite", n, seed=3)}
    for mode in ("gist", "postgis"):
        url = pg_new_database(spatial=mode)
        regs[mode] = synthetic_register(url, n, seed=3)
        assert regs[mode].backend.spatial_mode == {"gist": "gist_box", "postgis": "postgis"}[mode]
    try:
        rng = np.random.default_rng(7)
        total = 0
        for k in range(24):
            lat = SHANGHAI[0] + float(rng.uniform(-0.6, 0.6))
            lon = SHANGHAI[1] + float(rng.uniform(-0.6, 0.6))
            kw = dict(lat=lat, lon=lon, radius_km=[5.0, 20.0, 50.0, 150.0][k % 4])
            if k % 3:
                f0 = float(rng.uniform(100.0, 3000.0))
                kw.update(f_min_mhz=f0, f_max_mhz=f0 + float(rng.uniform(1.0, 900.0)))
            if k % 5 == 4:
                kw["status"] = None
            want = _rows(regs["sqlite"], **kw)
            assert _rows(regs["gist"], **kw) == want, kw
            assert _rows(regs["postgis"], **kw) == want, kw
            total += len(want)
        assert total > 1000  # the queries select something
        for reg in regs.values():
            assert reg.integrity_check() == []
        # on a register of this size the planner uses PostGIS's index for a selective radius query
        b = regs["postgis"].backend
        sql, params, *_ = regs["postgis"]._filters(SHANGHAI[0], SHANGHAI[1], 5.0, None, None, None, None,
                                                   ("granted",), None)
        from spectrum.register.postgresql import _translate

        with b.write():
            b.execute("ANALYZE station")
        plan = "\n".join(r[0] for r in b.connection.execute("EXPLAIN " + _translate(sql)[0], params))
        assert "station_geog" in plan and "st_dwithin" in plan, plan
        sql, params, *_ = regs["postgis"]._filters(SHANGHAI[0], SHANGHAI[1], 20.0, None, 1800.0, 1900.0, None,
                                                   ("granted",), None)
        plan = "\n".join(r[0] for r in b.connection.execute("EXPLAIN " + _translate(sql)[0], params))
        assert "assignment_gist_geog_band" in plan and "st_dwithin" in plan, plan
    finally:
        for reg in regs.values():
            reg.close()


def test_check_names_the_spatial_index_text_and_json(postgis, capsys):
    for mode, name in (("postgis", "PostGIS geography GiST"), ("gist", "GiST box fallback")):
        url = pg_new_database(spatial=mode)
        with Register.open(pg_as(url, "app"), user="clerk") as reg:
            _mk(reg)
            assert reg.query(lat=31.2, lon=121.4, radius_km=20.0)
        rc, out = _check(capsys, pg_as(url, "read"))
        assert rc == 0 and f"spatial index: {name}" in out, out
        # a fallback register on a server that has PostGIS says so, and keeps the fallback
        assert ("no silent switch" in out) == (mode == "gist"), out
        rc, out = _check(capsys, pg_as(url, "read"), "--json")
        doc = json.loads(out)
        assert rc == 0 and doc["spatial_index"].startswith(name)
        assert doc["spatial_mode"] == {"postgis": "postgis", "gist": "gist_box"}[mode]
        assert (doc["spatial_note"] is not None) == (mode == "gist")


@pytest.mark.parametrize("forgery,needle", [
    ("ALTER TABLE station DISABLE TRIGGER station_geog_sync\nUPDATE station SET lat = lat + 1\n"
     "ALTER TABLE station ENABLE TRIGGER station_geog_sync", "PostGIS spatial index (station.geog) out of step"),
    ("SET session_replication_role = replica\nUPDATE station SET geog = NULL",
     "PostGIS spatial index (station.geog) out of step"),
    ("DROP INDEX station_geog", "GiST index station_geog on station.geog is missing"),
    ("SET session_replication_role = replica\nUPDATE assignment_gist SET geog = NULL",
     "PostGIS spatial index (assignment_gist.geog) out of step for 1 assignment(s)"),
    ("DROP INDEX assignment_gist_geog_band", "assignment_gist.geog or its GiST index (geog, band) is missing"),
    ("ALTER TABLE assignment_gist DISABLE TRIGGER assignment_gist_geog_sync\nUPDATE station SET lon = lon + 1\n"
     "ALTER TABLE assignment_gist ENABLE TRIGGER assignment_gist_geog_sync",
     "PostGIS spatial index (assignment_gist.geog) out of step"),
    ("ALTER TABLE station DISABLE TRIGGER station_geog_sync", "guard trigger station_geog_sync is disabled"),
    ("CREATE OR REPLACE FUNCTION station_geog_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; "
     "END $$", "guard function station_geog_sync was replaced"),
    ("ALTER TABLE station DROP COLUMN geog CASCADE", "column station.geog is missing"),
    ("DELETE FROM spatial_index_info", "spatial_index_info holds 0 rows"),
])
def test_postgis_tampering_is_detected(postgis, capsys, forgery, needle):
    url = pg_new_database(spatial="postgis")
    with Register.open(pg_as(url, "app"), user="clerk") as reg:
        _mk(reg)
    with _su(url) as c:
        for stmt in forgery.split("\n"):
            c.execute(stmt)
    rc, out = _check(capsys, pg_as(url, "read"))
    assert rc == 1 and needle in out, out


def test_application_role_cannot_steer_the_geography_column(postgis):
    """A direct write of station.geog is overwritten by the trigger; moves keep it in step."""
    url = pg_new_database(spatial="postgis")
    with Register.open(pg_as(url, "app"), user="clerk") as reg:
        _mk(reg)
        sid = reg.query()[0].station_id
        c = reg.backend.connection
        c.execute("UPDATE station SET geog = NULL")
        reg.update_station(sid, lat=31.9, lon=120.1, reason="moved")
        assert reg.query(lat=31.9, lon=120.1, radius_km=1.0, f_min_mhz=1.0, f_max_mhz=1e5)
        assert reg.integrity_check() == []
        assert [r.station_id for r in reg.query(lat=31.9, lon=120.1, radius_km=1.0)] == [sid]
        assert reg.query(lat=31.2, lon=121.4, radius_km=20.0) == []


def test_no_right_to_create_postgis_falls_back_and_says_why(postgis):
    """A role that may not create the extension gets the fallback (auto) with the reason recorded,
    or a clear error where PostGIS was asked for."""
    import psycopg

    url = pg_new_database(migrated=False)
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(pg_as(url), autocommit=True) as c:
        if c.execute("SELECT 1 FROM pg_roles WHERE rolname = 'spectrum_test_owner'").fetchone() is None:
            c.execute("CREATE ROLE spectrum_test_owner LOGIN")
        if c.execute("SELECT 1 FROM pg_roles WHERE rolname = 'spectrum_admin'").fetchone():  # the roles' GRANTs
            c.execute("GRANT spectrum_admin TO spectrum_test_owner")
        c.execute(f'ALTER DATABASE "{name}" OWNER TO spectrum_test_owner')
        c.execute("ALTER SCHEMA public OWNER TO spectrum_test_owner")
    owner = _pg_url(name, "spectrum_test_owner")
    with pytest.raises(RegisterError, match="PostGIS was asked for .* may not create the postgis extension"):
        Register.open(owner, spatial="postgis")
    with Register.open(owner, user="clerk", spatial="auto") as reg:
        assert reg.backend.spatial_mode == "gist_box"
        assert "may not create the postgis extension" in reg.backend.spatial_index
        _mk(reg)
        assert reg.query(lat=31.2, lon=121.4, radius_km=20.0) and reg.integrity_check() == []


def test_bad_spatial_choice_is_one_clear_error(monkeypatch):
    monkeypatch.setenv("SPECTRUM_PG_SPATIAL", "rtree")
    with pytest.raises(RegisterError, match="SPECTRUM_PG_SPATIAL / spatial = 'rtree' must be auto, postgis or gist"):
        Register.open(pg_new_database(migrated=False))


def test_postgis_already_in_the_register_schema_is_used_and_checked(postgis, capsys):
    """An administrator created PostGIS in ``public`` beforehand: the register uses it there, and
    the extension's own functions and tables are not reported as foreign objects."""
    import psycopg

    url = pg_new_database(migrated=False)
    with psycopg.connect(pg_as(url), autocommit=True) as c:
        c.execute("CREATE EXTENSION postgis")
    with Register.open(url, user="clerk", spatial="postgis") as reg:
        assert reg.backend.spatial_mode == "postgis" and reg.backend.postgis_schema == "public"
        _mk(reg)
        assert reg.query(lat=31.2, lon=121.4, radius_km=20.0, f_min_mhz=1.0, f_max_mhz=1e5)
        assert reg.integrity_check() == []
    rc, out = _check(capsys, url)
    assert rc == 0 and "PostGIS 3" in out and "schema public" in out, out
