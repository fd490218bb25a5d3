"""Register tamper evidence (audit hash chain around the API, rows from before the chain) and
online backup; split from test_register.py. The chain and backup tests run on both backends
(PostgreSQL: the forger is the superuser, who can drop the guard triggers); migrating a
pre-chain SQLite file is SQLite-only (there are no pre-chain PostgreSQL registers)."""
from __future__ import annotations

import sqlite3

import pytest

from spectrum.register import Register, RegisterError
from spectrum.register.sqlite import SQLiteBackend
from test_register import _mk


# ---------------------------------------------------------------------- tamper evidence & backup
def _outside_connection(path):
    """A plain connection, as a tool bypassing the API would use (PostgreSQL: the superuser), with
    the audit log's guard triggers dropped."""
    if str(path).startswith("postgresql://"):
        import psycopg

        from conftest import pg_as

        c = psycopg.connect(pg_as(path), autocommit=True)
        c.execute("DROP TRIGGER IF EXISTS audit_no_update ON audit")
        c.execute("DROP TRIGGER IF EXISTS audit_no_delete ON audit")
        return c
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("DROP TRIGGER IF EXISTS audit_no_update")
    c.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    return c


def test_audit_hash_chain_detects_changes_made_around_the_api(register_url):
    path = register_url
    with Register.open(path, user="clerk") as reg:
        _mk(reg)
        _mk(reg, number="FS-2", f_mhz=23086.0)
        chain = reg.verify_audit()
        assert chain["ok"] and chain["chained"] == chain["rows"] > 6 and len(chain["head"]) == 64
        head = chain["head"]
    c = _outside_connection(path)
    c.execute("UPDATE audit SET who = 'mallory' WHERE id = 3")
    c.close()
    with Register.open(path) as reg:
        v = reg.verify_audit()
        assert not v["ok"] and any("row 3: content does not match" in p for p in v["problems"])
        probs = reg.integrity_check()
        assert any("audit row 3" in p for p in probs)
        assert any("guard trigger audit_no_update is missing" in p for p in probs)
    c = _outside_connection(path)
    c.execute("DELETE FROM audit WHERE id = 5")
    c.close()
    with Register.open(path) as reg:
        probs = reg.verify_audit()["problems"]
        assert any("5..5 are missing" in p for p in probs) and any("row 6: previous-hash link broken" in p
                                                                  for p in probs)
        assert reg.verify_audit()["head"] == head  # the tail is intact: the head still matches


def test_audit_rows_before_the_chain_migration_are_reported_unchained(tmp_path):
    path = tmp_path / "v3.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    be = SQLiteBackend(conn, str(path))
    be.migrate(target=3)
    conn.execute("INSERT INTO audit (at_utc, who, action, entity) VALUES ('2020-01-01T00:00:00Z', 'old', 'x', 'y')")
    conn.close()
    with Register.open(path) as reg:  # upgrade: the chain-start row anchors the older row's digest
        reg.add_licence("L", "Org", "fixed")
        v = reg.verify_audit()
        assert v["ok"] and v["rows"] == 4 and v["chained"] == 3 and v["legacy"] == 1 and v["chain_start"] == 2


def test_backup_is_a_consistent_copy(register_url, tmp_path):
    """SQLite: the backup API; PostgreSQL: every row copied into a new SQLite file, checked."""
    with Register.open(register_url, user="ops") as reg:
        _mk(reg)
        doc = reg.export_json()
        out = reg.backup(tmp_path / "copy.sqlite")
        assert reg.audit()[-1]["action"] == "backup"
        with pytest.raises(RegisterError, match="exists"):
            reg.backup(out)
    with Register.open(out) as copy:
        assert copy.integrity_check() == []
        again = copy.export_json()
        assert {k: v for k, v in again.items() if k != "exported_utc"} == \
               {k: v for k, v in doc.items() if k != "exported_utc"}
