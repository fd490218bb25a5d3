"""Issue #11, second pass: new hostile and careless cases in the same classes as the findings
(outputs, forgeries, imports, text, tracebacks). Each was tried against the fixed code; the
ones that exposed a gap are fixed (JSON duplicate keys, /dev/stdout, raw-SQL value edits and
deletions, evaluations deleted, ANALYZE/VACUUM INTO, locking_mode, damaged index pages)."""
from __future__ import annotations

import json
import os
import sqlite3

import pytest

from spectrum.cli import main
from spectrum.register import ImportRowsError, Register, RegisterError

from test_register_integrity import _check, _cli, _damage, _mk, _one_line_error, _raw, _sample_csv


@pytest.fixture
def reg_path(tmp_path):
    p = tmp_path / "reg.sqlite"
    with Register.open(p, user="clerk") as reg:
        for k in range(3):
            _mk(reg, f"FS-{k}", f_mhz=23030.0 + 56 * k, lat=31.2 + 0.01 * k)
        reg.store_evaluation({"r": 1}, {"m": 2}, "grant", {"p452": "P.452-18"}, "eng", licence_number="FS-0")
        reg.store_evaluation({"r": 2}, {"m": 3}, "refuse", {"p452": "P.452-18"}, "eng", licence_number="FS-1")
    return p


# ---------------------------------------------------------------------- outputs
def test_export_to_dev_stdout_writes_through_the_descriptor(reg_path, capfd):
    assert main(["register", "export", "/dev/stdout", "--format", "csv", "--db", str(reg_path)]) == 0
    out = capfd.readouterr().out
    assert out.startswith("licence_number,") and out.rstrip().endswith("exported /dev/stdout (csv): 3 rows")


def test_export_onto_register_by_another_spelling_or_hard_link(reg_path, tmp_path, capsys):
    (tmp_path / "sub").mkdir()
    rc, _, err = _cli(capsys, "register", "export", str(tmp_path / "sub" / ".." / "reg.sqlite"), "--format", "csv",
                      "--db", str(reg_path))
    _one_line_error(rc, err)
    os.link(reg_path, tmp_path / "alias.csv")
    rc, _, err = _cli(capsys, "register", "export", str(tmp_path / "alias.csv"), "--db", str(reg_path))
    _one_line_error(rc, err)
    assert "is the input" in err
    with Register.open(reg_path) as reg:
        assert reg.integrity_check() == []


def test_output_under_a_file_is_one_line(reg_path, tmp_path, capsys):
    f = tmp_path / "plain.txt"
    f.write_text("x")
    rc, _, err = _cli(capsys, "register", "export", str(f / "out.json"), "--db", str(reg_path))
    _one_line_error(rc, err)
    assert "not a directory" in err


def test_import_of_an_sqlite_file_refused(reg_path, tmp_path, capsys):
    rc, _, err = _cli(capsys, "register", "import", str(reg_path), "--format", "json", "--db",
                      str(tmp_path / "new.sqlite"))
    _one_line_error(rc, err)
    assert "is an SQLite database" in err


def test_backup_onto_symlink_to_register_refused(reg_path, tmp_path, capsys):
    (tmp_path / "link.sqlite").symlink_to(reg_path)
    rc, _, err = _cli(capsys, "register", "backup", str(tmp_path / "link.sqlite"), "--db", str(reg_path))
    _one_line_error(rc, err)
    with Register.open(reg_path) as reg:
        assert reg.integrity_check() == []


# ---------------------------------------------------------------------- forgeries
def test_two_audit_rows_swapped_detected(reg_path, capsys):
    c = _raw(reg_path)
    c.execute("DROP TRIGGER audit_no_update")
    a = c.execute("SELECT who, reason FROM audit WHERE id = 3").fetchone()
    b = c.execute("SELECT who, reason FROM audit WHERE id = 4").fetchone()
    c.execute("UPDATE audit SET who = ?, reason = ? WHERE id = 3", b)
    c.execute("UPDATE audit SET who = ?, reason = ? WHERE id = 4", a)
    c.close()
    rc, out = _check(reg_path, capsys)
    assert rc == 1


@pytest.mark.parametrize("sql, match", [
    ("UPDATE station SET h_agl_m = 300 WHERE id = 1", "station 1: h_agl_m differ"),
    ("UPDATE assignment SET eirp_dbw = 60 WHERE id = 2", "assignment 2: eirp_dbw differ"),
    ("UPDATE licence SET valid_to = '2099-01-01' WHERE number = 'FS-2'", "licence FS-2: valid_to differ"),
    ("DELETE FROM assignment WHERE id = 3", "assignment 3: in the audit log but missing"),
    ("INSERT INTO audit (at_utc, who, action, entity) VALUES ('2026-01-01', 'x', 'create', 'licence')",
     "hash missing"),
], ids=["station-height", "assignment-eirp", "licence-validity", "assignment-deleted", "raw-audit-row"])
def test_raw_sql_through_the_api_connection_is_detected(reg_path, capsys, sql, match):
    with Register.open(reg_path) as reg:
        try:
            reg.connection.execute(sql)  # no audit row: check must see it
        except sqlite3.DatabaseError as exc:  # or the authorizer refuses it (R-tree shadow tables)
            assert "authoriz" in str(exc)
            c = _raw(reg_path)  # then as an outside tool
            c.execute(sql)
            c.close()
    rc, out = _check(reg_path, capsys)
    assert rc == 1 and match in out, out


def test_evaluation_deleted_in_the_middle_detected(reg_path, capsys):
    c = _raw(reg_path)
    c.execute("DROP TRIGGER evaluation_no_delete")
    c.execute("DELETE FROM evaluation WHERE id = 1")
    c.close()
    rc, out = _check(reg_path, capsys)
    assert rc == 1 and "evaluation 1: in the audit log but not stored" in out


@pytest.mark.parametrize("sql", ["VACUUM INTO 'copy.sqlite'", "ANALYZE", "PRAGMA locking_mode = EXCLUSIVE",
                                 "CREATE VIRTUAL TABLE temp.t USING rtree(id, a, b)",
                                 "PRAGMA main.writable_schema = 1"],
                         ids=["vacuum-into", "analyze", "locking-mode", "temp-vtable", "writable-schema"])
def test_more_statements_denied(reg_path, tmp_path, monkeypatch, sql):
    monkeypatch.chdir(tmp_path)
    with Register.open(reg_path) as reg:
        with pytest.raises(sqlite3.DatabaseError, match="not authorized|authorization denied|prohibited"):
            reg.connection.execute(sql)
        assert reg.integrity_check() == []
    assert not (tmp_path / "copy.sqlite").exists()


# ---------------------------------------------------------------------- imports
def test_json_duplicate_keys_refused(open_register, tmp_path, capsys):
    with open_register() as reg:
        _mk(reg)
        text = json.dumps(reg.export_json())
    text = text.replace('"lat": 31.2', '"lat": 31.2, "lat": 95.0', 1)
    p = tmp_path / "dup.json"
    p.write_text(text)
    rc, _, err = _cli(capsys, "register", "import", str(p), "--db", str(tmp_path / "r.sqlite"))
    _one_line_error(rc, err)
    assert "'lat' appears twice" in err


@pytest.mark.parametrize("doc", [[], 3, "text", {"format": "spectrum-register", "format_version": 1,
                                                  "licences": {"a": 1}}],
                         ids=["array", "number", "string", "licences-object"])
def test_json_wrong_shapes_refused(open_register, doc):
    with open_register() as reg:
        with pytest.raises(RegisterError):
            reg.import_json(doc if isinstance(doc, dict) else json.dumps(doc))


def test_json_huge_integer_as_licence_number_is_a_row_error(open_register):
    with open_register() as reg:
        _mk(reg)
        doc = reg.export_json()
    doc["licences"][0]["number"] = 10 ** 400
    with open_register() as reg:
        with pytest.raises(ImportRowsError, match="licence number"):
            reg.import_json(doc)


@pytest.mark.parametrize("mangle", [lambda t: t.replace(",fixed,", ",fi\x00xed,", 1),
                                    lambda t: t.replace("\n", ",extra\n", 2),
                                    lambda t: t.replace(",fixed,", ',"fixed,', 1)],
                         ids=["nul-byte", "row-longer-than-header", "unclosed-quote"])
def test_csv_mangled_refused(open_register, tmp_path, mangle):
    text = mangle(_sample_csv(tmp_path, n_lic=2).read_text())
    with open_register() as reg:
        with pytest.raises(RegisterError):
            reg.import_csv(text)
        assert reg.counts()["licence"] == 0


def test_csv_header_only_and_cr_line_endings(open_register, tmp_path):
    good = _sample_csv(tmp_path, n_lic=2).read_text()
    with open_register() as reg:
        assert reg.import_csv(good.splitlines(keepends=True)[0])["licences"] == 0
    with open_register() as reg:
        assert reg.import_csv(good.replace("\n", "\r\n"))["assignments"] == 4


@pytest.mark.parametrize("number", ["FS\u202e1", "FS\u00a01", "FS\t1", "FS\u30001", "\ufeffFS-1"],
                         ids=["rtl-override", "nbsp", "tab", "ideographic-space", "bom"])
def test_licence_number_invisible_or_odd_space_refused(open_register, number):
    with open_register() as reg:
        with pytest.raises(RegisterError, match="character U\\+"):
            reg.add_licence(number, "Org", "fixed")


# ---------------------------------------------------------------------- tracebacks
@pytest.mark.parametrize("argv, match", [
    (["list", "--near=1e400,0", "--radius-km", "1"], "finite"),
    (["list", "--bbox=nan,1,2,3"], "finite"),
    (["evaluations", "--id", "0"], "evaluation 0 is not in the register"),
    (["evaluations", "--id", "-5"], "evaluation -5 is not in the register"),
    (["audit", "--since", ""], "not an ISO date"),
    (["audit", "--limit", "99999999999999999999"], None),
    (["transition", "FS-1", "suspended", "--reason", "r", "--valid-to", "99999-01-01"], "not a date"),
], ids=["near-inf", "bbox-nan", "id-0", "id-negative", "since-empty", "limit-huge", "valid-to-5-digit-year"])
def test_more_hostile_arguments(reg_path, capsys, argv, match):
    rc, out, err = _cli(capsys, "register", *argv, "--db", str(reg_path))
    if match is None:
        assert rc == 0 and "Traceback" not in err
    else:
        _one_line_error(rc, err)
        assert match in err


def test_db_fifo_and_device_refused(tmp_path, capsys):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for db in (str(fifo), "/dev/null"):
        rc, _, err = _cli(capsys, "register", "list", "--db", db)
        _one_line_error(rc, err)
        assert "not a regular file" in err


def test_damaged_index_page_show_never_exits_0(tmp_path, capsys):
    p = tmp_path / "idx.sqlite"
    with Register.open(p, user="clerk", allocations=False) as reg:
        with reg.backend.write():
            for k in range(60):
                _mk(reg, f"D-{k:03d}", f_mhz=100.0 + k, lat=31.0 + k * 0.001)
    _damage(p, "station_licence")
    rc, out, err = _cli(capsys, "register", "show", "D-010", "--db", str(p))
    _one_line_error(rc, err)
    rc, out = _check(p, capsys)
    assert rc == 1
