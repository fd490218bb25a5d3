"""Licence register: area/band queries (the backend's spatial index, refined exactly) and stored
evaluations, on both backends (``reg`` / ``open_register`` are parametrised in conftest)."""
from __future__ import annotations

import numpy as np
import pytest

from spectrum.register import AssignmentRow, NotFoundError, gc_distance_km
from conftest import DB_INTEGRITY_ERRORS, SPATIAL_BACKENDS, _backend_param, is_pg, raw_execute
from test_register import _mk


@pytest.fixture(params=SPATIAL_BACKENDS)
def backend_name(request) -> str:
    """SQLite, PostgreSQL with the GiST box fallback, PostgreSQL with PostGIS (each PostgreSQL case
    skipped, with the reason, where the server or its postgis extension is missing)."""
    return _backend_param(request.param)


@pytest.fixture
def reg(open_register):
    return open_register(user="tester")


# ---------------------------------------------------------------------- queries
@pytest.fixture
def populated(open_register):
    """A register with random stations around Shanghai and a few near the antimeridian."""
    rng = np.random.default_rng(42)
    reg = open_register(user="t", allocations=False)
    with reg.backend.write():
        for i in range(60):
            reg.add_licence(f"L{i:03d}", f"Org{i % 4}", ["fixed", "mobile", "broadcasting"][i % 3])
            if i % 5:
                reg.transition(f"L{i:03d}", "granted", reason="ok")
            for j in range(3):
                lat = float(rng.uniform(30.5, 32.0)) if i < 55 else float(rng.uniform(-10, 10))
                lon = float(rng.uniform(120.5, 122.5)) if i < 55 else float(rng.choice([-179.9, 179.9]))
                role = "tx" if j != 2 else "rx"
                sid = reg.add_station(f"L{i:03d}", name=f"s{i}-{j}", role=role, lat=lat, lon=lon, h_agl_m=20.0,
                                      g_dbi=10.0)
                f = float(rng.uniform(100.0, 3000.0))
                kw = {"eirp_dbw": 10.0} if role == "tx" else {"noise_figure_db": 5.0}
                reg.add_assignment(sid, f_mhz=f, bw_khz=float(rng.choice([12.5, 200.0, 20000.0])), **kw)
    yield reg
    reg.close()


def _oracle(reg, lat=None, lon=None, radius_km=None, bbox=None, f_min_mhz=None, f_max_mhz=None, service=None,
            status=("granted",), role=None):
    """Slow, obvious reference: every row, checked one by one."""
    out = []
    for r in reg.query(status=None):
        if status is not None and r.status not in status:
            continue
        if service is not None and r.service != service:
            continue
        if role is not None and r.role != role:
            continue
        if f_min_mhz is not None and r.f_mhz + r.bw_khz / 2000 < f_min_mhz:
            continue
        if f_max_mhz is not None and r.f_mhz - r.bw_khz / 2000 > f_max_mhz:
            continue
        if lat is not None and float(gc_distance_km(lat, lon, r.lat, r.lon)) > radius_km:
            continue
        if bbox is not None:
            la0, la1, lo0, lo1 = bbox
            inside_lon = lo0 <= r.lon <= lo1 if lo0 <= lo1 else (r.lon >= lo0 or r.lon <= lo1)
            if not (la0 <= r.lat <= la1 and inside_lon):
                continue
        out.append(r.assignment_id)
    return sorted(out)


@pytest.mark.parametrize("case", range(12))
def test_query_matches_brute_force(populated, case):
    rng = np.random.default_rng(case)
    kw = {}
    if case % 3 != 2:
        kw.update(lat=float(rng.uniform(30.7, 31.8)), lon=float(rng.uniform(120.7, 122.3)),
                  radius_km=float(rng.uniform(5, 80)))
    if case % 2 == 0:
        f0 = float(rng.uniform(100, 2500))
        kw.update(f_min_mhz=f0, f_max_mhz=f0 + float(rng.uniform(1, 800)))
    if case % 4 == 1:
        kw["service"] = "fixed"
    if case % 5 == 3:
        kw["role"] = "rx"
    if case % 6 == 5:
        kw["status"] = ("application", "granted")
    if case % 7 == 4:
        kw["bbox"] = (30.9, 31.6, 120.8, 121.9)
    want = _oracle(populated, **kw)
    got = [r.assignment_id for r in populated.query(**kw)]
    assert got == want
    arr = populated.query_arrays(**kw)
    assert arr["assignment_id"].tolist() == want
    assert set(arr) == set(AssignmentRow.__dataclass_fields__)


def test_query_across_antimeridian(populated):
    for kw in (dict(lat=0.0, lon=180.0, radius_km=1500.0), dict(lat=0.0, lon=-179.95, radius_km=1200.0),
               dict(bbox=(-10.0, 10.0, 179.0, -179.0))):
        want = _oracle(populated, status=None, **kw)
        got = [r.assignment_id for r in populated.query(status=None, **kw)]
        assert got == want and len(got) > 0


def test_query_around_the_pole(open_register):
    with open_register(user="t", allocations=False) as reg:
        reg.add_licence("P", "Org", "fixed")
        reg.transition("P", "granted", reason="ok")
        for lon in (-170.0, -60.0, 0.0, 45.0, 135.0, 179.5):
            sid = reg.add_station("P", name=f"s{lon}", role="tx", lat=89.7, lon=lon, h_agl_m=10.0, g_dbi=0.0)
            reg.add_assignment(sid, f_mhz=100.0, bw_khz=10.0, eirp_dbw=0.0)
        assert len(reg.query(lat=90.0, lon=0.0, radius_km=40.0)) == 6
        assert len(reg.query(lat=89.5, lon=0.0, radius_km=30.0)) == 1
        assert sorted(r.lon for r in reg.query(lat=89.9, lon=100.0, radius_km=40.0)) == \
            sorted(r.lon for r in reg.query() if gc_distance_km(89.9, 100.0, r.lat, r.lon) <= 40.0)


def test_docstring_examples():
    import doctest

    import spectrum.emission
    import spectrum.register

    for mod in (spectrum.register, spectrum.emission):
        res = doctest.testmod(mod)
        assert res.failed == 0 and res.attempted > 0


def test_radius_query_exact_at_edge(reg):
    _mk(reg, lat=31.0, lon=121.0)
    d = float(gc_distance_km(31.0, 121.0, 31.1, 121.0))
    assert len(reg.query(lat=31.1, lon=121.0, radius_km=d + 1e-6)) == 1
    assert len(reg.query(lat=31.1, lon=121.0, radius_km=d - 1e-6)) == 0


def test_frequency_overlap_semantics(reg):
    _mk(reg, f_mhz=23030.0)  # occupies [23016, 23044]
    assert len(reg.query(f_min_mhz=23044.0, f_max_mhz=23100.0)) == 1   # edges touching count
    assert len(reg.query(f_min_mhz=23044.001, f_max_mhz=23100.0)) == 0
    assert len(reg.query(f_min_mhz=23030.0, f_max_mhz=23030.0)) == 1  # a single frequency inside
    assert len(reg.query(f_max_mhz=23015.9)) == 0
    with pytest.raises(ValueError, match="f_max_mhz"):
        reg.query(f_min_mhz=10.0, f_max_mhz=5.0)


def test_query_bad_filters(reg):
    with pytest.raises(ValueError, match="lat, lon and radius_km together"):
        reg.query(lat=31.0, lon=121.0)
    with pytest.raises(ValueError, match="lat = 95"):
        reg.query(lat=95.0, lon=121.0, radius_km=5)
    with pytest.raises(ValueError, match="radius_km = -1"):
        reg.query(lat=31.0, lon=121.0, radius_km=-1)
    with pytest.raises(ValueError, match="bbox"):
        reg.query(bbox=(32.0, 31.0, 120.0, 121.0))
    with pytest.raises(ValueError, match="status"):
        reg.query(status="active")
    with pytest.raises(ValueError, match="names no status"):
        reg.query(status=())
    with pytest.raises(ValueError, match="service"):
        reg.query(service=[1])


def test_status_filter_default_granted(reg):
    _mk(reg, number="G")
    _mk(reg, number="A", status="application", f_mhz=23086.0)
    assert [r.licence_number for r in reg.query()] == ["G"]
    assert sorted(r.licence_number for r in reg.query(status=None)) == ["A", "G"]
    assert [r.licence_number for r in reg.query(status="application")] == ["A"]
    row = reg.query()[0]
    assert isinstance(row, AssignmentRow) and row.f_lo_mhz == 23016.0 and row.f_hi_mhz == 23044.0
    with pytest.raises(Exception):
        row.f_mhz = 1.0  # frozen


def test_query_arrays_types(reg):
    _mk(reg)
    a = reg.query_arrays()
    assert a["f_mhz"].dtype == np.float64 and a["station_id"].dtype == np.int64
    assert np.isnan(a["noise_figure_db"][0]) and a["emission"][0] is None
    empty = reg.query_arrays(f_min_mhz=1.0, f_max_mhz=2.0)
    assert all(len(v) == 0 for v in empty.values())


# ---------------------------------------------------------------------- evaluations
def test_store_evaluation_round_trip_and_immutable(reg):
    req = {"f_mhz": 23030.0, "eirp_dbw": 20.0, "lat": 31.2, "lon": 121.4, "arr": np.array([1.0, 2.0])}
    res = {"margin_db": np.float64(-3.5), "victims": [{"licence": "FS-1", "i_n_db": -13.5}]}
    eid = reg.store_evaluation(req, res, "grant", {"p452": "P.452-18", "spectrum": "0.1.0"}, "engineer",
                               licence_number="NEW-1")
    e = reg.evaluation(eid)
    assert e["request"]["arr"] == [1.0, 2.0] and e["result"]["margin_db"] == -3.5
    assert (e["decision"], e["user"], e["licence_number"]) == ("grant", "engineer", "NEW-1")
    assert e["model_versions"]["p452"] == "P.452-18"
    assert [x["id"] for x in reg.evaluations(licence_number="NEW-1")] == [eid]
    assert reg.evaluations(decision="refuse") == []
    assert reg.audit(entity="evaluation")[-1]["entity_key"] == str(eid)
    for sql in ("UPDATE evaluation SET decision = 'refuse'", "DELETE FROM evaluation"):
        with pytest.raises(DB_INTEGRITY_ERRORS, match="immutable"):
            raw_execute(reg, sql)
    with pytest.raises(NotFoundError):
        reg.evaluation(eid + 1)
    with pytest.raises(ValueError, match="request must be a dict"):
        reg.store_evaluation([1], {}, "grant", {}, "u")
    with pytest.raises(ValueError, match="decision"):
        reg.store_evaluation({}, {}, "", {}, "u")


def test_radius_frequency_query_uses_the_rtree(reg):
    _mk(reg)
    sql, params, *_ = reg._filters(31.2, 121.4, 20.0, None, 23000.0, 23100.0, None, ("granted",), None)
    if is_pg(reg):  # the GiST index over (position, band) or PostGIS's over station.geog; seqscans off: tiny table
        from spectrum.register.postgresql import _translate

        with reg.backend.write():
            reg.backend.execute("SET LOCAL enable_seqscan = off")
            plan = "\n".join(r[0] for r in reg.backend.connection.execute(
                "EXPLAIN " + _translate(sql)[0], params))
        if reg.backend.spatial_mode == "postgis":  # ST_DWithin on the (geography, band) GiST index
            assert "st_dwithin(geog" in plan and "assignment_gist_geog_band" in plan, plan
            assert "assignment_gist_pos_band" not in plan, plan
        else:
            assert "assignment_gist_pos_band" in plan and "st_dwithin" not in plan, plan
        return
    steps = [str(r[-1]) for r in reg.backend.execute("EXPLAIN QUERY PLAN " + sql, params)]
    assert any(s.startswith("SCAN assignment_rtree VIRTUAL TABLE INDEX") for s in steps), steps
    assert any(s.startswith("SEARCH a USING INTEGER PRIMARY KEY") for s in steps), steps
    assert not any(s.split()[:2] in (["SCAN", "a"], ["SCAN", "s"], ["SCAN", "l"]) for s in steps), steps
