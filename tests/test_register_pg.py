"""PostgreSQL-only parts of the register: roles and rights enforced by the database, tampering
with guards a superuser can reach, ``register migrate`` from SQLite, identical audit hashes, the
``--db postgresql://`` command line. Skipped, with the reason, without ``SPECTRUM_TEST_PG``."""
from __future__ import annotations

import pytest

from conftest import PG_DSN, _PG_SKIP, pg_as, pg_new_database
from spectrum.cli import main
from spectrum.register import Register, RegisterError
from test_register import _mk

pytestmark = [pytest.mark.postgresql, pytest.mark.skipif(bool(_PG_SKIP), reason=_PG_SKIP or "")]


@pytest.fixture
def pg_url():
    """A new migrated register database; the superuser's URL."""
    return pg_new_database()


def _su(url):
    import psycopg

    return psycopg.connect(pg_as(url), autocommit=True)


def _check(capsys, url, *extra):
    rc = main(["register", "check", "--db", url, *extra])
    return rc, capsys.readouterr().out


# ---------------------------------------------------------------------- roles
def test_application_role_inserts_audit_rows_but_never_changes_them(pg_url):
    import psycopg

    with Register.open(pg_as(pg_url, "app"), user="clerk") as reg:
        _mk(reg)
        assert not reg.backend.read_only and reg.integrity_check() == []
        n = reg.counts()["audit"]
        for sql in ("UPDATE audit SET who = 'mallory'", "DELETE FROM audit", "TRUNCATE audit",
                    "UPDATE licence_history SET reason = 'x'", "DELETE FROM licence_history",
                    "UPDATE evaluation SET decision = 'x'", "DELETE FROM row_counter",
                    "UPDATE row_counter SET seq = 0", "INSERT INTO assignment_gist VALUES (99, box(point(0,0), point(0,0)), "
                    "box(point(0,0), point(0,0)))", "DROP TRIGGER audit_no_update ON audit",
                    "ALTER TABLE audit DISABLE TRIGGER audit_no_update", "CREATE TABLE x (a int)",
                    "CREATE OR REPLACE FUNCTION spectrum_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    "RETURN NULL; END $$"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                reg.backend.connection.execute(sql)
        assert reg.counts()["audit"] == n and reg.integrity_check() == []
    # the triggers refuse it even for the owner / superuser: GRANTs and triggers both
    with _su(pg_url) as c:
        for sql in ("UPDATE audit SET who = 'mallory'", "DELETE FROM audit", "TRUNCATE audit"):
            with pytest.raises(psycopg.IntegrityError, match="append-only"):
                c.execute(sql)


def test_read_only_role_reads_and_cannot_write(pg_url):
    with Register.open(pg_as(pg_url, "app"), user="clerk") as reg:
        _mk(reg)
    with Register.open(pg_as(pg_url, "read"), user="viewer") as ro:
        assert ro.backend.read_only
        assert len(ro.query()) == 1 and ro.integrity_check() == []
        with pytest.raises(RegisterError, match="read-only"):
            ro.add_licence("X", "Org", "fixed")


def test_admin_role_migrates_the_schema(pg_url):
    """A login user in spectrum_admin (not a superuser) owns the tables and can run migrations."""
    import psycopg

    with _su(pg_url) as c:
        if c.execute("SELECT 1 FROM pg_roles WHERE rolname = 'spectrum_test_admin'").fetchone() is None:
            c.execute("CREATE ROLE spectrum_test_admin LOGIN IN ROLE spectrum_admin")
        c.execute("DELETE FROM schema_version WHERE version = 7")
        c.execute("DROP TABLE allocation_band, allocation_table_info")
    url = pg_as(pg_url).replace(pg_as(pg_url).split("//")[1].split("@")[0] + "@", "spectrum_test_admin@")
    with Register.open(url) as reg:
        assert reg.schema_version == 7 and reg.integrity_check() == []
    with psycopg.connect(pg_as(pg_url, "app")) as c:  # the new tables got the application role's rights
        assert c.execute("SELECT has_table_privilege('allocation_band', 'INSERT')").fetchone()[0]


# ---------------------------------------------------------------------- tampering
@pytest.mark.parametrize("forgery,needle", [
    ("CREATE OR REPLACE FUNCTION spectrum_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
     "guard function spectrum_refuse was replaced"),
    ("ALTER TABLE audit DISABLE TRIGGER audit_no_update", "guard trigger audit_no_update is disabled"),
    ("DROP TRIGGER licence_history_append_only ON licence_history", "guard trigger licence_history_append_only is "
                                                                   "missing"),
    ("CREATE TRIGGER skip BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION spectrum_refuse('x')",
     "unexpected trigger skip"),
    ("UPDATE assignment_gist SET pos = box(point(0, 0), point(0, 0))", "spatial index (GiST) out of step"),
])
def test_guard_tampering_is_detected(pg_url, capsys, forgery, needle):
    with Register.open(pg_as(pg_url, "app"), user="clerk") as reg:
        _mk(reg)
    with _su(pg_url) as c:
        c.execute(forgery)
    rc, out = _check(capsys, pg_as(pg_url, "read"))
    assert rc == 1 and needle in out, out


def test_audit_chain_broken_by_the_superuser_is_detected(pg_url, capsys):
    with Register.open(pg_as(pg_url, "app"), user="clerk") as reg:
        _mk(reg)
        head = reg.audit_head()["head"]
    with _su(pg_url) as c:  # triggers off for this session only (a superuser's replication mode)
        c.execute("SET session_replication_role = replica")
        c.execute("UPDATE audit SET who = 'mallory' WHERE id = 3")
        c.execute("DELETE FROM audit WHERE id = (SELECT MAX(id) FROM audit)")
    rc, out = _check(capsys, pg_as(pg_url, "read"), "--expect-head", head)
    assert rc == 1
    assert "audit row 3: content does not match its hash" in out
    assert "at the end were deleted" in out and f"expected head {head} is not in the audit chain" in out


# ---------------------------------------------------------------------- migrate & hashes
def test_migrate_from_sqlite_is_lossless_and_checked(tmp_path, capsys):
    import json

    from spectrum.datasets.register import sample_register

    src = str(tmp_path / "reg.sqlite")
    with sample_register(src) as reg:
        reg.store_evaluation({"f_mhz": 100.0}, {"margin_db": 1.5}, "grant", {"spectrum": "0.1"}, "eng",
                             licence_number="NEW-1")
        doc = reg.export_json()
        head = reg.audit_head()
    dst = pg_new_database(migrated=False)
    assert main(["register", "migrate", "--from", src, "--to", dst, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["audit"] == head and out["check"] == "ok"
    for url in (src, dst):
        rc, text = _check(capsys, url, "--expect-head", head["head"])
        assert rc == 0 and f"head {head['head']}" in text
    with Register.open(dst) as pg:
        again = pg.export_json()
        assert {k: v for k, v in again.items() if k != "exported_utc"} == \
               {k: v for k, v in doc.items() if k != "exported_utc"}
        assert pg.evaluations()[0]["result"] == {"margin_db": 1.5}
        pg.add_licence("AFTER-1", "Org", "fixed")  # ids continue after the copied rows
        assert pg.verify_audit()["ok"]
    # a non-empty target is refused: exit 2 and one line
    assert main(["register", "migrate", "--from", src, "--to", dst]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "not empty" in err


def test_identical_content_gives_identical_audit_hashes(tmp_path, monkeypatch):
    import sys

    for name, mod in list(sys.modules.items()):
        if name.startswith("spectrum.register") and hasattr(mod, "utc_now"):
            monkeypatch.setattr(mod, "utc_now", lambda: "2026-01-01T00:00:00.000000Z")
    heads = []
    for url in (str(tmp_path / "a.sqlite"), pg_new_database(migrated=False)):
        with Register.open(url, user="clerk") as reg:
            _mk(reg)
            _mk(reg, number="FS-2", f_mhz=23086.0)
            reg.transition("FS-2", "suspended", reason="complaint")
            heads.append(reg.audit_head())
    assert heads[0] == heads[1]


def test_backup_of_a_pg_register_and_cli_errors(pg_url, tmp_path, capsys):
    url = pg_as(pg_url, "app")
    assert main(["register", "import", "--db", url, str(_sample_json(tmp_path))]) == 0
    capsys.readouterr()
    out = tmp_path / "copy.sqlite"
    assert main(["register", "backup", "--db", url, str(out)]) == 0
    capsys.readouterr()
    rc, text = _check(capsys, str(out))
    assert rc == 0 and "100 licence" in text
    # a missing database, a wrong port: one line, exit 2
    for bad in (pg_as(pg_url).rsplit("/", 1)[0] + "/no_such_db", "postgresql://x@127.0.0.1:1/x"):
        assert main(["register", "show", "--db", bad, "X"]) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "cannot be reached" in err


def _sample_json(tmp_path):
    from spectrum.datasets.register import sample_register

    p = tmp_path / "sample.json"
    with sample_register() as reg:
        reg.export_json(p)
    return p


def test_environment_variable_names_the_register(pg_url, monkeypatch, capsys):
    monkeypatch.setenv("SPECTRUM_REGISTER", pg_as(pg_url, "app"))
    assert main(["register", "init"]) == 0
    assert "postgresql://" in capsys.readouterr().out
    assert PG_DSN
