"""Licence register: records, lifecycle, audit, guards, migrations.

Tests taking ``reg`` run on both backends (SQLite, PostgreSQL). Tests on SQLite files (the file
format, WAL, damaged or foreign files, migrating an old file) open a file path and stay SQLite-only:
they test SQLite storage, not the register's rules."""
from __future__ import annotations

import itertools
import sqlite3

import numpy as np
import pytest

from spectrum.register import (STATUSES, TRANSITIONS, AllocationRefusedError, AssignmentRow, CorruptRegisterError,
                               IllegalTransitionError, NotFoundError, Register, RegisterError, gc_distance_km)
from spectrum.register.sqlite import MIGRATIONS, SQLiteBackend
from conftest import DB_ERRORS, DB_INTEGRITY_ERRORS, is_pg, raw_execute


def _mk(reg: Register, number="FS-1", service="fixed", status="granted", lat=31.2, lon=121.4, role="tx",
        f_mhz=23030.0, **akw):
    reg.add_licence(number, "Org", service, valid_from="2024-01-01", valid_to="2040-01-01")
    if status != "application":
        reg.transition(number, "granted", reason="ok")
    sid = reg.add_station(number, name=f"{number} st", role=role, lat=lat, lon=lon, h_agl_m=30.0, g_dbi=30.0)
    kw = dict(f_mhz=f_mhz, bw_khz=28000.0)
    kw.update({"eirp_dbw": 20.0} if role == "tx" else {"noise_figure_db": 6.0, "protection": "I/N",
                                                       "protection_db": -10.0})
    kw.update(akw)
    aid = reg.add_assignment(sid, **kw)
    return sid, aid


@pytest.fixture
def reg(open_register):
    """A new register on each backend (SQLite in memory; PostgreSQL a new database, as the application role)."""
    return open_register(user="tester")


@pytest.fixture
def file_reg(tmp_path):
    with Register.open(tmp_path / "reg.sqlite", user="tester") as r:
        yield r


# ---------------------------------------------------------------------- schema & files
def test_new_file_has_schema_version_and_wal(file_reg, tmp_path):
    assert file_reg.schema_version == len(MIGRATIONS) >= 2
    c = file_reg.connection
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    rows = c.execute("SELECT version, description FROM schema_version ORDER BY version").fetchall()
    assert [r[0] for r in rows] == list(range(1, len(MIGRATIONS) + 1))
    assert file_reg.integrity_check() == []


def test_migration_from_version_1_keeps_data(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    be = SQLiteBackend(conn, str(path))
    assert be.migrate(target=1) == [1]
    assert be.schema_version() == 1
    conn.execute("INSERT INTO licensee (name, created_utc) VALUES ('Old Org', 'x')")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "evaluation" not in tables
    conn.close()
    with Register.open(path) as reg:
        assert reg.schema_version == len(MIGRATIONS)
        assert [d["name"] for d in reg.licensees()] == ["Old Org"]
        assert reg.evaluations() == []


def test_newer_schema_refused(tmp_path):
    path = tmp_path / "new.sqlite"
    Register.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_version VALUES (999, 'x', 'from the future')")
    conn.commit()
    conn.close()
    with pytest.raises(CorruptRegisterError, match="newer than this software"):
        Register.open(path)


@pytest.mark.parametrize("content", [b"this is a text file, not a database\n" * 10, b"\x00\x01garbage" * 500])
def test_non_sqlite_file_is_a_clear_error(tmp_path, content):
    p = tmp_path / "bad.sqlite"
    p.write_bytes(content)
    with pytest.raises(ValueError, match="not an SQLite database"):
        Register.open(p)


def test_corrupt_sqlite_file_is_a_clear_error(tmp_path):
    p = tmp_path / "reg.sqlite"
    with Register.open(p) as r:
        _mk(r)
    data = bytearray(p.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # smash the schema page after the header
    p.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"reg.sqlite{suffix}").unlink(missing_ok=True)
    with pytest.raises(ValueError, match="damaged|not a Spectrum register|not an SQLite"):
        Register.open(p)


def test_other_sqlite_database_refused(tmp_path):
    p = tmp_path / "other.sqlite"
    c = sqlite3.connect(p)
    c.execute("CREATE TABLE customers (id INTEGER)")
    c.commit()
    c.close()
    with pytest.raises(CorruptRegisterError, match="not a Spectrum register"):
        Register.open(p)


def test_missing_file_without_create(tmp_path):
    with pytest.raises(FileNotFoundError):
        Register.open(tmp_path / "nope.sqlite", create=False)
    with pytest.raises(FileNotFoundError):
        Register.open(tmp_path / "no-dir" / "x.sqlite")


# ---------------------------------------------------------------------- licences & lifecycle
def test_add_licence_and_duplicate_number(reg):
    reg.add_licence("L-1", "Org", "fixed")
    with pytest.raises(RegisterError, match="'L-1' already exists"):
        reg.add_licence("L-1", "Other", "mobile")
    with pytest.raises(RegisterError, match="already exists"):
        reg.add_licence(" L-1 ", "Other", "mobile")  # stripped
    with pytest.raises(DB_INTEGRITY_ERRORS):  # the schema itself refuses it too
        raw_execute(reg, "INSERT INTO licence (number, licensee_id, service, status, created_utc, "
                               "updated_utc) VALUES ('L-1', 1, 'fixed', 'application', 'x', 'x')")
    assert len(reg.licences(status=None)) == 1


@pytest.mark.parametrize("kwargs,needle", [
    (dict(number="", licensee="O", service="fixed"), "licence number is required"),
    (dict(number="X", licensee="O", service="warp"), "'warp'"),
    (dict(number="X", licensee="", service="fixed"), "licensee is required"),
    (dict(number="X", licensee="O", service="fixed", valid_from="2024-13-01"), "'2024-13-01'"),
    (dict(number="X", licensee="O", service="fixed", valid_from="2025-01-01", valid_to="2024-01-01"),
     "before valid_from"),
    (dict(number="X", licensee="O", service="fixed", status="revoked"), "starts as 'application'"),
])
def test_add_licence_bad_input(reg, kwargs, needle):
    with pytest.raises(ValueError, match=needle):
        reg.add_licence(**kwargs)


def _licence_in(reg, number, status):
    reg.add_licence(number, "Org", "fixed", valid_to="2099-01-01")
    path = {"application": [], "granted": ["granted"], "suspended": ["granted", "suspended"],
            "expired": ["granted", "expired"], "revoked": ["granted", "revoked"], "refused": ["refused"],
            "withdrawn": ["withdrawn"]}[status]
    for s in path:
        reg.transition(number, s, reason="setup")


@pytest.mark.parametrize("src,dst", list(itertools.product(STATUSES, STATUSES)))
def test_lifecycle_every_pair(reg, src, dst):
    _licence_in(reg, "L", src)
    n_hist = len(reg.history("L"))
    n_audit = len(reg.audit())
    if dst in TRANSITIONS[src]:
        after = reg.transition("L", dst, reason="because", user="officer")
        assert after["status"] == dst
        h = reg.history("L")[-1]
        assert (h["from_status"], h["to_status"], h["by"], h["reason"]) == (src, dst, "officer", "because")
        a = reg.audit()[-1]
        assert a["who"] == "officer" and a["before"]["status"] == src and a["after"]["status"] == dst
    else:
        with pytest.raises(IllegalTransitionError, match=f"{src} -> {dst}"):
            reg.transition("L", dst, reason="because")
        assert reg.licence("L")["status"] == src
        assert len(reg.history("L")) == n_hist and len(reg.audit()) == n_audit  # nothing written
        if src != dst:  # the database refuses it even through raw SQL
            with pytest.raises(DB_INTEGRITY_ERRORS):
                raw_execute(reg, "UPDATE licence SET status = ? WHERE number = 'L'", (dst,))


def test_transition_needs_reason_and_known_status(reg):
    reg.add_licence("L", "Org", "fixed")
    with pytest.raises(ValueError, match="reason"):
        reg.transition("L", "granted", reason="  ")
    with pytest.raises(ValueError, match="'approved'"):
        reg.transition("L", "approved", reason="x")
    with pytest.raises(NotFoundError, match="'NOPE'"):
        reg.transition("NOPE", "granted", reason="x")


def test_grant_after_validity_refused(reg):
    reg.add_licence("L", "Org", "fixed", valid_from="2000-01-01", valid_to="2001-01-01")
    with pytest.raises(RegisterError, match="validity ended"):
        reg.transition("L", "granted", reason="late")
    reg.transition("L", "granted", reason="renewed", valid_to="2099-12-31")
    assert reg.licence("L")["valid_to"] == "2099-12-31"


def test_expire_due(reg):
    reg.add_licence("A", "Org", "fixed", valid_to="2030-01-01")
    reg.add_licence("B", "Org", "fixed", valid_to="2040-01-01")
    for n in "AB":
        reg.transition(n, "granted", reason="ok")
    assert reg.expire_due("2035-06-01", user="batch") == ["A"]
    assert reg.licence("A")["status"] == "expired" and reg.licence("B")["status"] == "granted"
    assert reg.history("A")[-1]["by"] == "batch"


def test_update_licence_renew_and_transfer(reg):
    reg.add_licence("L", "Old Holder", "fixed", valid_from="2024-01-01", valid_to="2030-01-01")
    reg.transition("L", "granted", reason="ok")
    after = reg.update_licence("L", valid_to="2040-01-01", licensee="New Holder", reason="renewal and transfer",
                               user="officer")
    assert (after["licensee"], after["valid_to"], after["service"]) == ("New Holder", "2040-01-01", "fixed")
    a = reg.audit(entity="licence", key="L")[-1]
    assert a["before"]["licensee"] == "Old Holder" and a["after"]["licensee"] == "New Holder"
    assert a["who"] == "officer" and a["reason"] == "renewal and transfer"
    with pytest.raises(ValueError, match="before valid_from"):
        reg.update_licence("L", valid_to="2020-01-01", reason="x")
    with pytest.raises(ValueError, match="at least one"):
        reg.update_licence("L", reason="x")
    reg.transition("L", "revoked", reason="breach")
    with pytest.raises(RegisterError, match="revoked"):
        reg.update_licence("L", remarks="late note", reason="x")


def test_licences_never_deleted(reg):
    reg.add_licence("L", "Org", "fixed")
    with pytest.raises(DB_INTEGRITY_ERRORS, match="never deleted"):
        raw_execute(reg, "DELETE FROM licence")
    with pytest.raises(DB_INTEGRITY_ERRORS, match="never changes"):
        raw_execute(reg, "UPDATE licence SET number = 'M'")
    replace = ("INSERT INTO licence (number, licensee_id, service, status, created_utc, updated_utc) VALUES "
               "('L', 1, 'fixed', 'granted', 'x', 'x') ON CONFLICT (number) DO UPDATE SET status = 'granted'"
               if is_pg(reg) else
               "INSERT OR REPLACE INTO licence (number, licensee_id, service, status, created_utc, "
               "updated_utc) VALUES ('L', 1, 'fixed', 'granted', 'x', 'x')")
    with pytest.raises(DB_INTEGRITY_ERRORS, match="never replaced|never deleted|only with its history"):
        raw_execute(reg, replace)
    assert reg.licence("L")["status"] == "application"


def test_terminal_licence_is_frozen(reg):
    sid, aid = _mk(reg)
    reg.transition("FS-1", "revoked", reason="breach")
    with pytest.raises(RegisterError, match="revoked"):
        reg.add_station("FS-1", name="x", role="tx", lat=31.0, lon=121.0, h_agl_m=10.0, g_dbi=0.0)
    with pytest.raises(RegisterError, match="revoked"):
        reg.update_assignment(aid, eirp_dbw=10.0, reason="x")
    with pytest.raises(RegisterError, match="revoked"):
        reg.remove_assignment(aid, reason="x")


# ---------------------------------------------------------------------- stations & assignments
@pytest.mark.parametrize("field,value,needle", [
    ("lat", 91.0, "lat = 91"), ("lat", -90.5, "lat = -90.5"), ("lon", 400.0, "lon = 400"),
    ("lon", -181.0, "lon = -181"), ("lat", float("nan"), "lat"), ("lat", "north", "'north' is not numeric"),
    ("h_agl_m", -1.0, "h_agl_m = -1"), ("h_agl_m", 5000.0, "h_agl_m = 5000"), ("role", "both", "role"),
    ("polarisation", "circular", "polarisation"), ("tilt_deg", 95.0, "tilt_deg = 95"),
    ("feeder_loss_db", -2.0, "feeder_loss_db = -2"), ("g_dbi", 120.0, "g_dbi = 120"), ("name", "", "station name"),
    ("name", "\x00", "control character"), ("name", "a\x07b", "control character"),
])
def test_station_bad_input(reg, field, value, needle):
    reg.add_licence("L", "Org", "fixed")
    kw = dict(name="s", role="tx", lat=31.0, lon=121.0, h_agl_m=10.0, g_dbi=10.0)
    kw[field] = value
    with pytest.raises(ValueError, match=needle):
        reg.add_station("L", **kw)
    assert reg.counts()["station"] == 0


def test_station_lon_normalised_and_pattern_gain(reg):
    reg.add_antenna_pattern("D", "F.699", g_max_dbi=38.5, params={"d_lambda": 50.0})
    reg.add_licence("L", "Org", "fixed")
    sid = reg.add_station("L", name="s", role="tx", lat=-33.0, lon=200.0, h_agl_m=10.0, antenna_pattern="D",
                          azimuth_deg=-90.0)
    st = reg.licence("L")["stations"][0]
    assert st["id"] == sid and st["lon"] == -160.0 and st["g_dbi"] == 38.5 and st["azimuth_deg"] == 270.0
    with pytest.raises(NotFoundError, match="'nope'"):
        reg.add_station("L", name="s", role="tx", lat=0.0, lon=0.0, h_agl_m=1.0, antenna_pattern="nope")
    with pytest.raises(RegisterError, match="g_dbi"):
        reg.add_station("L", name="s", role="tx", lat=0.0, lon=0.0, h_agl_m=1.0)


def test_raw_sql_check_constraints(reg):
    reg.add_licence("L", "Org", "fixed")
    lid = reg.licences(status=None)[0]["id"]
    with pytest.raises(DB_INTEGRITY_ERRORS):
        raw_execute(reg, "INSERT INTO station (licence_id, name, role, lat, lon, h_agl_m, g_dbi, polarisation) "
                               "VALUES (?, 's', 'tx', 95.0, 0.0, 10, 0, 'v')", (lid,))
    with pytest.raises(DB_INTEGRITY_ERRORS):
        raw_execute(reg, "INSERT INTO station (licence_id, name, role, lat, lon, h_agl_m, g_dbi, polarisation) "
                               "VALUES (999, 's', 'tx', 5.0, 0.0, 10, 0, 'v')")  # no such licence


@pytest.mark.parametrize("kwargs,needle", [
    (dict(emission="16K0Z3E"), "first symbol"),
    (dict(emission="K160F3E"), "shall not be K, M or G"),
    (dict(bw_khz=None), "bw_khz or an emission"),
    (dict(bw_khz=-5.0), "bw_khz = -5"),
    (dict(f_mhz=0.0), "f_mhz = 0"),
    (dict(bw_khz=10000.0, emission="28M0D7W"), "smaller than the necessary bandwidth"),
    (dict(eirp_dbw=None), "needs eirp_dbw"),
    (dict(protection="I/N"), "go together"),
    (dict(protection="S/N", protection_db=3.0), "protection"),
    (dict(tx_mask="nope"), "'nope'"),
    (dict(f_mhz=98.0, bw_khz=200.0), "outside the allocations to fixed"),
    (dict(f_mhz=1420.0, bw_khz=1000.0), "radio_astronomy"),
])
def test_assignment_bad_input(reg, kwargs, needle):
    reg.add_licence("L", "Org", "fixed")
    sid = reg.add_station("L", name="s", role="tx", lat=31.0, lon=121.0, h_agl_m=10.0, g_dbi=10.0)
    kw = dict(f_mhz=23030.0, bw_khz=28000.0, eirp_dbw=20.0)
    kw.update(kwargs)
    with pytest.raises(ValueError, match=needle):
        reg.add_assignment(sid, **kw)
    assert reg.counts()["assignment"] == 0


def test_allocation_refusal_is_typed_and_can_be_disabled(open_register):
    with open_register(user="t") as reg:
        reg.add_licence("L", "Org", "fixed")
        sid = reg.add_station("L", name="s", role="tx", lat=31.0, lon=121.0, h_agl_m=10.0, g_dbi=10.0)
        with pytest.raises(AllocationRefusedError, match="allocated there to: broadcasting"):
            reg.add_assignment(sid, f_mhz=98.0, bw_khz=200.0, eirp_dbw=10.0)
    with open_register(user="t", allocations=False) as reg:
        reg.add_licence("L", "Org", "fixed")
        sid = reg.add_station("L", name="s", role="tx", lat=31.0, lon=121.0, h_agl_m=10.0, g_dbi=10.0)
        reg.add_assignment(sid, f_mhz=98.0, bw_khz=200.0, eirp_dbw=10.0)


def test_receiver_rules(reg):
    reg.add_licence("L", "Org", "fixed")
    sid = reg.add_station("L", name="r", role="rx", lat=31.0, lon=121.0, h_agl_m=10.0, g_dbi=10.0)
    with pytest.raises(RegisterError, match="receivers do not radiate"):
        reg.add_assignment(sid, f_mhz=23030.0, bw_khz=28000.0, eirp_dbw=10.0)
    with pytest.raises(RegisterError, match="noise_figure_db"):
        reg.add_assignment(sid, f_mhz=23030.0, bw_khz=28000.0, protection="I/N", protection_db=-10.0)
    reg.add_spectrum_mask("TXM", "tx", [0, 10], [0, 30])
    with pytest.raises(RegisterError, match="a tx mask; a rx mask is needed"):
        reg.add_assignment(sid, f_mhz=23030.0, bw_khz=28000.0, rx_selectivity="TXM")
    aid = reg.add_assignment(sid, f_mhz=23030.0, emission="28M0D7W", noise_figure_db=6.0, protection="i/n",
                             protection_db=-10.0)
    a = reg.licence("L")["stations"][0]["assignments"][0]
    assert a["id"] == aid and a["bw_khz"] == 28000.0 and a["protection"] == "I/N" and a["emission"] == "28M0D7W"


def test_update_station_moves_index_and_audits(reg):
    sid, aid = _mk(reg, lat=31.0, lon=121.0)
    assert [r.assignment_id for r in reg.query(lat=31.0, lon=121.0, radius_km=1)] == [aid]
    after = reg.update_station(sid, lat=31.5, lon=121.5, reason="site moved", user="eng")
    assert (after["lat"], after["lon"]) == (31.5, 121.5)
    assert reg.query(lat=31.0, lon=121.0, radius_km=1) == []
    assert [r.assignment_id for r in reg.query(lat=31.5, lon=121.5, radius_km=1)] == [aid]
    a = reg.audit(entity="station", key=sid)[-1]
    assert a["action"] == "update" and a["who"] == "eng" and a["reason"] == "site moved"
    assert a["before"]["lat"] == 31.0 and a["after"]["lat"] == 31.5
    with pytest.raises(RegisterError, match="licence_id"):
        reg.update_station(sid, licence_id=5, reason="x")
    with pytest.raises(ValueError, match="lat = 100"):
        reg.update_station(sid, lat=100.0, reason="x")
    assert reg.integrity_check() == []


def test_update_and_remove_assignment(reg):
    sid, aid = _mk(reg)
    reg.update_assignment(aid, f_mhz=23058.0, reason="retune")
    assert reg.query(f_min_mhz=23040.0, f_max_mhz=23045.0)[0].f_mhz == 23058.0
    with pytest.raises(AllocationRefusedError):
        reg.update_assignment(aid, f_mhz=98.0, bw_khz=200.0, reason="bad")
    reg.remove_assignment(aid, reason="link decommissioned", user="eng")
    assert reg.query() == []
    a = reg.audit(entity="assignment", key=aid)[-1]
    assert a["action"] == "delete" and a["before"]["f_mhz"] == 23058.0 and a["after"] is None
    assert [r["action"] for r in reg.audit(licence_number="FS-1") if r["entity"] == "assignment"] == \
        ["create", "update", "delete"]
    assert reg.integrity_check() == []


# ---------------------------------------------------------------------- audit log
def test_every_mutation_writes_one_audit_row_in_its_transaction(reg):
    n0 = len(reg.audit())
    reg.add_licence("L", "New Org", "fixed", user="clerk")  # licensee + licence
    assert [(a["entity"], a["action"], a["who"]) for a in reg.audit()[n0:]] == \
        [("licensee", "create", "clerk"), ("licence", "create", "clerk")]
    n1 = len(reg.audit())
    with pytest.raises(RegisterError):
        reg.add_licence("L", "New Org", "fixed")
    assert len(reg.audit()) == n1


@pytest.mark.parametrize("sql", [
    "UPDATE audit SET who = 'mallory'",
    "UPDATE audit SET after_json = NULL WHERE id = 1",
    "DELETE FROM audit",
    "DELETE FROM audit WHERE id = 1",
    "INSERT OR REPLACE INTO audit (id, at_utc, who, action, entity) VALUES (1, 'x', 'm', 'x', 'x')",
    "DROP TRIGGER audit_no_update",
    "DROP TABLE audit",
    "ALTER TABLE audit RENAME TO audit_old",
    "PRAGMA writable_schema = ON",
    "PRAGMA foreign_keys = OFF",
    "UPDATE licence_history SET reason = 'x'",
    "DELETE FROM licence_history",
    "TRUNCATE audit",
    "DROP TRIGGER audit_no_update ON audit",
    "ALTER TABLE audit DISABLE TRIGGER audit_no_update",
])
def test_audit_cannot_be_changed_even_with_raw_sql(reg, sql):
    """On the API's own connection: SQLite's authorizer and triggers; PostgreSQL's application role
    (GRANTs: no UPDATE/DELETE/TRUNCATE of the append-only tables, no schema changes) and triggers."""
    pg = is_pg(reg)
    pg_only = sql.startswith("TRUNCATE") or sql.endswith(("ON audit", "DISABLE TRIGGER audit_no_update"))
    sqlite_only = sql.startswith(("PRAGMA", "INSERT OR")) or sql == "DROP TRIGGER audit_no_update"
    if (pg and sqlite_only) or (not pg and pg_only):
        pytest.skip("a statement of the other backend's SQL dialect (a syntax error here, not a refusal)")
    _mk(reg)
    before = reg.audit()
    with pytest.raises(DB_ERRORS):
        reg.backend.execute(sql)
    assert reg.audit() == before
    if not pg:
        assert reg.backend.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_audit_filters(reg):
    _mk(reg, number="A")
    _mk(reg, number="B", f_mhz=23086.0)
    rows = reg.audit(licence_number="A")
    assert rows and all("A" in (r["entity_key"], (r["after"] or {}).get("licence")) for r in rows)
    assert {r["entity"] for r in rows} == {"licence", "station", "assignment"}
    assert len(reg.audit(limit=2)) == 2 and reg.audit(limit=2)[-1] == reg.audit()[-1]


# ---------------------------------------------------------------------- patterns & masks
def test_patterns_and_masks(reg):
    reg.add_antenna_pattern("T", "table", g_max_dbi=12.0, h_az_deg=[0, 180, 360], h_gain_db=[0, -20, 0],
                            v_el_deg=[-90, 0, 90], v_gain_db=[-30, 0, -30])
    p = reg.antenna_pattern("T")
    assert p == {"name": "T", "kind": "table", "g_max_dbi": 12.0, "params": {"g_max_dbi": 12.0},
                 "h_az_deg": [0.0, 180.0, 360.0], "h_gain_db": [0.0, -20.0, 0.0], "v_el_deg": [-90.0, 0.0, 90.0],
                 "v_gain_db": [-30.0, 0.0, -30.0]}
    reg.add_antenna_pattern("S", "f1336", g_max_dbi=17.0, params={"phi3_deg": 65.0, "k": 0.7})
    assert reg.antenna_pattern("S")["kind"] == "F.1336"
    reg.add_spectrum_mask("M", "rx", [0, 5, 10], [0, 30, 60])
    assert reg.spectrum_mask("M") == {"name": "M", "kind": "rx", "offset_khz": [0.0, 5.0, 10.0],
                                      "attenuation_db": [0.0, 30.0, 60.0]}
    with pytest.raises(RegisterError, match="already exists"):
        reg.add_spectrum_mask("M", "rx", [0, 5], [0, 30])
    with pytest.raises(NotFoundError):
        reg.spectrum_mask("nope")


@pytest.mark.parametrize("args,needle", [
    (("M", "tx", [5, 10], [0, 30]), "start at 0"),
    (("M", "tx", [0, 10, 5], [0, 30, 40]), "increase"),
    (("M", "tx", [0, 10], [30, 0]), "not decrease"),
    (("M", "tx", [0], [0]), "length"),
    (("M", "xx", [0, 10], [0, 30]), "kind"),
    (("M", "tx", [0, 10], [0, -3]), "attenuation_db value -3"),
])
def test_bad_masks(reg, args, needle):
    with pytest.raises(ValueError, match=needle):
        reg.add_spectrum_mask(*args)


@pytest.mark.parametrize("kw,needle", [
    (dict(kind="yagi", g_max_dbi=3.0), "kind"),
    (dict(kind="omni"), "g_max_dbi is required"),
    (dict(kind="table", g_max_dbi=3.0), "needs a horizontal"),
    (dict(kind="table", g_max_dbi=3.0, h_az_deg=[0, 90], h_gain_db=[0]), "same length"),
    (dict(kind="table", g_max_dbi=3.0, h_az_deg=[90, 0], h_gain_db=[0, -1]), "must increase"),
    (dict(kind="table", g_max_dbi=3.0, h_az_deg=[0, 90], h_gain_db=[0, 5]), "h_gain_db value 5"),
    (dict(kind="F.1336", g_max_dbi=17.0, params={"phi3_deg": -5}), "phi3_deg"),
])
def test_bad_patterns(reg, kw, needle):
    with pytest.raises(ValueError, match=needle):
        reg.add_antenna_pattern("P", **kw)
