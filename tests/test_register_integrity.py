"""Issue #11, register integrity: one test per finding (each failed on the main branch before the
fix). Forgeries made with a plain sqlite3 connection (as any tool bypassing the API would) must
make ``spectrum register check`` exit 1; hostile input must be one line on stderr, exit 2."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from spectrum.cli import main
from spectrum.register import ImportRowsError, Register, RegisterError


def _mk(reg, number="FS-1", f_mhz=23030.0, lat=31.2, lon=121.4):
    reg.add_licence(number, "Org", "fixed", valid_from="2024-01-01", valid_to="2040-01-01")
    reg.transition(number, "granted", reason="ok")
    sid = reg.add_station(number, name=f"{number} st", role="tx", lat=lat, lon=lon, h_agl_m=30.0, g_dbi=30.0)
    reg.add_assignment(sid, f_mhz=f_mhz, bw_khz=28000.0, eirp_dbw=20.0)
    return sid


@pytest.fixture
def reg_path(tmp_path):
    p = tmp_path / "reg.sqlite"
    with Register.open(p, user="clerk") as reg:
        for k in range(4):
            _mk(reg, f"FS-{k}", f_mhz=23030.0 + 56 * k, lat=31.2 + 0.01 * k)
    return p


def _raw(path):
    """A plain connection, as the sqlite3 shell: no authorizer; guard triggers can be dropped."""
    return sqlite3.connect(path, isolation_level=None)


def _check(path, capsys, *extra) -> tuple[int, str]:
    capsys.readouterr()
    rc = main(["register", "check", "--db", str(path), *extra])
    out = capsys.readouterr()
    return rc, out.out + out.err


def _cli(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def _one_line_error(rc, err):
    assert rc == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "error:" in lines[0] and "Traceback" not in err, err


# ---------------------------------------------------------------------- audit & history cannot be forged silently
def test_sound_register_checks_ok(reg_path, capsys):
    rc, out = _check(reg_path, capsys)
    assert rc == 0 and "integrity: ok" in out


def test_deleting_first_audit_rows_with_guard_recreated_is_detected(reg_path, capsys):
    c = _raw(reg_path)
    sql = c.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_no_delete'").fetchone()[0]
    c.execute("DROP TRIGGER audit_no_delete")
    c.execute("DELETE FROM audit WHERE id <= 3")
    c.execute(sql)
    c.close()
    rc, out = _check(reg_path, capsys)
    assert rc == 1 and "audit rows 1..3 are missing" in out


def test_rewriting_a_leading_block_after_nulling_hashes_is_detected(reg_path, capsys):
    c = _raw(reg_path)
    c.execute("DROP TRIGGER audit_no_update")
    c.execute("UPDATE audit SET prev_hash = NULL, row_hash = NULL, who = 'mallory' WHERE id <= 4")
    c.close()
    rc, out = _check(reg_path, capsys)
    assert rc == 1 and "audit row 1 (chain start)" in out


def test_rewriting_leading_block_renamed_so_no_chain_start_is_detected(reg_path, capsys):
    c = _raw(reg_path)
    c.execute("DROP TRIGGER audit_no_update")
    c.execute("UPDATE audit SET prev_hash = NULL, row_hash = NULL, action = 'create' WHERE id = 1")
    c.close()
    rc, out = _check(reg_path, capsys)
    assert rc == 1 and "no chain-start row" in out


def test_nulling_every_hash_is_detected(reg_path, capsys):
    c = _raw(reg_path)
    c.execute("DROP TRIGGER audit_no_update")
    c.execute("UPDATE audit SET prev_hash = NULL, row_hash = NULL")
    c.close()
    rc, out = _check(reg_path, capsys)
    assert rc == 1 and "hash missing" in out


def test_deleting_every_audit_row_is_detected(reg_path, capsys):
    c = _raw(reg_path)
    c.execute("DROP TRIGGER audit_no_delete")
    c.execute("DELETE FROM audit")
    c.execute("DELETE FROM sqlite_sequence WHERE name = 'audit'")
    c.close()
    rc, out = _check(reg_path, capsys)
    assert rc == 1 and "the audit log is empty" in out


def test_guard_trigger_replaced_by_noop_with_same_name_is_detected(reg_path, capsys):
    c = _raw(reg_path)
    c.execute("DROP TRIGGER audit_no_delete")
    c.execute("CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT 1; END")
    c.close()
    rc, out = _check(reg_path, capsys)
    assert rc == 1 and "guard trigger audit_no_delete was replaced" in out


def test_extra_trigger_is_detected(reg_path, capsys):
    c = _raw(reg_path)
    c.execute("CREATE TRIGGER zz_skip BEFORE INSERT ON audit BEGIN SELECT RAISE(IGNORE); END")
    c.close()
    rc, out = _check(reg_path, capsys)
    assert rc == 1 and "unexpected trigger zz_skip" in out


def test_licence_history_rewritten_is_detected(reg_path, capsys):
    c = _raw(reg_path)
    c.execute("DROP TRIGGER licence_history_no_update")
    c.execute("UPDATE licence_history SET by_user = 'mallory', reason = 'backdated' WHERE id = 2")
    c.close()
    rc, out = _check(reg_path, capsys)
    assert rc == 1 and "does not match the audit log" in out


def test_licence_history_deleted_is_detected(reg_path, capsys):
    c = _raw(reg_path)
    c.execute("DROP TRIGGER licence_history_no_delete")
    c.execute("DELETE FROM licence_history WHERE licence_id = 1")
    c.close()
    rc, out = _check(reg_path, capsys)
    assert rc == 1 and "licence FS-0: no history row" in out


def test_status_changed_by_raw_sql_without_history_or_audit_is_detected(reg_path, capsys):
    c = _raw(reg_path)
    c.execute("DROP TRIGGER IF EXISTS licence_status_needs_history")
    c.execute("UPDATE licence SET status = 'suspended' WHERE number = 'FS-1'")
    c.close()
    rc, out = _check(reg_path, capsys)
    assert rc == 1 and "licence FS-1: status is suspended but its last history row says granted" in out


def test_status_changed_with_forged_history_but_no_audit_is_detected(reg_path, capsys):
    c = _raw(reg_path)
    c.execute("INSERT INTO licence_history (licence_id, from_status, to_status, by_user, at_utc, reason) "
              "SELECT id, 'granted', 'suspended', 'mallory', '2026-01-01', 'x' FROM licence WHERE number = 'FS-2'")
    c.execute("UPDATE licence SET status = 'suspended' WHERE number = 'FS-2'")
    c.close()
    rc, out = _check(reg_path, capsys)
    assert rc == 1 and "licence FS-2: status is suspended but the audit log last recorded granted" in out


def test_rtree_rows_moved_are_detected(reg_path, capsys):
    with Register.open(reg_path) as reg:
        assert len(reg.query(lat=31.2, lon=121.4, radius_km=1)) == 1
    c = _raw(reg_path)
    c.execute("UPDATE assignment_rtree SET min_lat = -60, max_lat = -60")  # same count, wrong places
    c.close()
    with Register.open(reg_path) as reg:
        assert reg.query(lat=31.2, lon=121.4, radius_km=1) == []  # what a moved index does to queries
    rc, out = _check(reg_path, capsys)
    assert rc == 1 and "spatial index (R-tree) out of step for 4 assignment(s)" in out


def test_truncated_tail_detected_with_expect_head(reg_path, tmp_path, capsys):
    rc, out, _ = _cli(capsys, "register", "transition", "FS-3", "suspended", "--reason", "complaint", "--db",
                      str(reg_path), "--json")
    head = json.loads(out)["audit"]
    assert rc == 0 and len(head["head"]) == 64 and head["rows"] > 10
    rc, out = _check(reg_path, capsys, "--expect-head", head["head"])
    assert rc == 0 and "found" in out
    c = _raw(reg_path)
    c.execute("DROP TRIGGER audit_no_delete")
    c.execute("DELETE FROM audit WHERE id >= (SELECT MAX(id) - 1 FROM audit)")
    c.execute("UPDATE sqlite_sequence SET seq = (SELECT MAX(id) FROM audit) WHERE name = 'audit'")
    # the attacker also restores the guard
    c.execute("CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
              "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: audit rows cannot be deleted'); END")
    c.close()
    rc, out = _check(reg_path, capsys, "--expect-head", head["head"])
    assert rc == 1 and f"expected head {head['head']} is not in the audit chain" in out


def test_every_write_command_prints_the_audit_head(reg_path, tmp_path, capsys):
    db = ["--db", str(reg_path), "--json"]
    for argv in (["transition", "FS-3", "suspended", "--reason", "r"], ["update", "FS-2", "--reason", "r",
                 "--remarks", "x"], ["expire", "--today", "2050-01-01"], ["backup", str(tmp_path / "b.sqlite")]):
        rc, out, err = _cli(capsys, "register", *argv, *db)
        assert rc == 0, err
        a = json.loads(out)["audit"]
        assert len(a["head"]) == 64 and a["rows"] > 0
    rc, out, _ = _cli(capsys, "register", "init", "--db", str(tmp_path / "n.sqlite"), "--json")
    assert json.loads(out)["audit"]["rows"] == 1
    csv = tmp_path / "x.csv"
    assert main(["register", "export", str(csv), "--db", str(reg_path)]) == 0
    rc, out, _ = _cli(capsys, "register", "import", str(csv), "--db", str(tmp_path / "m.sqlite"), "--json")
    assert rc == 0 and len(json.loads(out)["audit"]["head"]) == 64


@pytest.mark.parametrize("sql", [
    "CREATE TEMP TRIGGER skip_audit BEFORE INSERT ON main.audit BEGIN SELECT RAISE(IGNORE); END",
    "CREATE TEMP TRIGGER skip_hist BEFORE INSERT ON main.licence_history BEGIN SELECT RAISE(IGNORE); END",
    "CREATE TEMP VIEW v AS SELECT * FROM main.audit",
    "CREATE TEMP TABLE audit (id INTEGER PRIMARY KEY, at_utc, who, action, entity, entity_key, before_json, "
    "after_json, reason, prev_hash, row_hash)",
    "CREATE TRIGGER persistent_skip BEFORE INSERT ON audit BEGIN SELECT RAISE(IGNORE); END",
    "ATTACH DATABASE ':memory:' AS other",
    "UPDATE sqlite_sequence SET seq = 1 WHERE name = 'audit'",
    "DELETE FROM sqlite_sequence",
    "UPDATE assignment_rtree SET min_lat = -60, max_lat = -60",
    "DELETE FROM assignment_rtree",
    "INSERT INTO assignment_rtree VALUES (999, 0, 0, 0, 0, 0, 0)",
    "DELETE FROM assignment_rtree_node",
    "PRAGMA journal_mode = OFF",
    "PRAGMA synchronous = OFF",
], ids=["temp-trigger-audit", "temp-trigger-history", "temp-view", "temp-table-shadowing-audit",
        "persistent-trigger", "attach", "sqlite_sequence-update", "sqlite_sequence-delete", "rtree-update",
        "rtree-delete", "rtree-insert", "rtree-shadow", "journal-off", "synchronous-off"])
def test_authorizer_denies_on_the_api_connection(reg_path, sql):
    with Register.open(reg_path, user="clerk") as reg:
        with pytest.raises(sqlite3.DatabaseError, match="not authorized|prohibited"):
            reg.connection.execute(sql)
        # the API still works and audits, the R-tree still answers
        _mk(reg, "FS-9", f_mhz=23030.0 + 56 * 9)
        assert reg.audit()[-1]["action"] == "create" and reg.integrity_check() == []
        assert len(reg.query(lat=31.2, lon=121.4, radius_km=1)) == 2  # FS-0 and FS-9


# ---------------------------------------------------------------------- imports that never guess
def _sample_csv(tmp_path, n_lic=6) -> Path:
    src = tmp_path / "src.sqlite"
    with Register.open(src, user="clerk") as reg:
        for k in range(n_lic):
            sid = _mk(reg, f"LM-{k}", f_mhz=23030.0 + 56 * k)
            reg.add_assignment(sid, f_mhz=23030.0 + 56 * k + 28, bw_khz=28000.0, eirp_dbw=20.0)
    out = tmp_path / "reg.csv"
    assert main(["register", "export", str(out), "--db", str(src)]) == 0
    return out


def test_csv_with_every_row_twice_is_refused(tmp_path, capsys):
    good = _sample_csv(tmp_path)
    lines = good.read_text().splitlines(keepends=True)
    twice = tmp_path / "twice.csv"
    twice.write_text(lines[0] + "".join(lines[1:]) * 2)
    db = tmp_path / "new.sqlite"
    rc, out, err = _cli(capsys, "register", "import", str(twice), "--db", str(db))
    assert rc == 2 and "a station holds a channel once" in err
    with Register.open(db) as reg:
        assert reg.counts()["assignment"] == 0


def test_api_refuses_identical_assignment_on_one_station(open_register, tmp_path):
    with open_register() as reg:
        sid = _mk(reg)
        with pytest.raises(RegisterError, match="already has assignment"):
            reg.add_assignment(sid, f_mhz=23030.0, bw_khz=28000.0, eirp_dbw=20.0)
        aid = reg.add_assignment(sid, f_mhz=23086.0, bw_khz=28000.0, eirp_dbw=20.0)
        with pytest.raises(RegisterError, match="already has assignment"):
            reg.update_assignment(aid, f_mhz=23030.0, reason="typo")


@pytest.mark.parametrize("step", [pytest.param(7, id="every-7th-byte"),
                                  pytest.param(1, id="every-byte", marks=pytest.mark.slow)])
def test_csv_cut_at_any_point_never_imports_silently(open_register, tmp_path, step):
    good = _sample_csv(tmp_path, n_lic=2)
    data = good.read_bytes()
    header_end = data.index(b"\n") + 1
    ends = {i + 1 for i in range(header_end, len(data)) if data[i:i + 1] == b"\n"}
    accepted = 0
    for cut in sorted(set(range(header_end + 1, len(data), step)) | ends | {e - 1 for e in ends}):
        part = tmp_path / "cut.csv"
        part.write_bytes(data[:cut])
        with open_register(user="clerk") as reg:
            if cut in ends:  # a cut at a line end is a complete, shorter file
                reg.import_csv(part)
                accepted += 1
                continue
            with pytest.raises(RegisterError):
                reg.import_csv(part)
            assert reg.counts()["licence"] == 0, f"cut at byte {cut} of {len(data)} imported"
    assert accepted == len(ends)


def test_csv_cut_mid_row_cli_exit_2(tmp_path, capsys):
    good = _sample_csv(tmp_path, n_lic=2)
    data = good.read_bytes()
    part = tmp_path / "cut.csv"
    part.write_bytes(data[:len(data) - 9])
    rc, _, err = _cli(capsys, "register", "import", str(part), "--db", str(tmp_path / "r.sqlite"))
    _one_line_error(rc, err)
    assert "no newline" in err


def test_csv_short_row_refused_even_with_newline(open_register, tmp_path):
    good = _sample_csv(tmp_path, n_lic=1)
    lines = good.read_text().splitlines(keepends=True)
    cut = lines[1].rstrip("\n").rsplit(",", 3)[0] + "\n"  # the last columns missing
    with open_register() as reg:
        with pytest.raises(ImportRowsError, match="field\\(s\\) where the header has"):
            reg.import_csv(lines[0] + cut)


def test_json_unknown_keys_are_named(open_register, tmp_path):
    with open_register() as reg:
        _mk(reg)
        doc = reg.export_json()
    doc["licences"][0]["stations"][0]["assignments"][0]["eirp_dbm"] = 50
    doc["licences"][0]["colour"] = "red"
    doc["extra_section"] = []
    with open_register() as reg:
        with pytest.raises(RegisterError, match="unknown key\\(s\\) 'extra_section'"):
            reg.import_json(doc)
        del doc["extra_section"]
        with pytest.raises(ImportRowsError) as ei:
            reg.import_json(doc)
    msg = str(ei.value)
    assert "unknown key(s) 'colour'" in msg


def test_json_assignment_unknown_key_named(open_register, tmp_path):
    with open_register() as reg:
        _mk(reg)
        doc = reg.export_json()
    doc["licences"][0]["stations"][0]["assignments"][0]["eirp_dbm"] = 50
    with open_register() as reg:
        with pytest.raises(ImportRowsError, match="unknown key\\(s\\) 'eirp_dbm'"):
            reg.import_json(doc)


@pytest.mark.parametrize("field, value, match", [
    ("at_utc", "yesterday", "is not an ISO date-time"),
    ("at_utc", "2020-13-45T00:00:00Z", "is not an ISO date-time"),
    ("by", "clerk\nforged line", "control character"),
    ("to_status", "revoked", "illegal transition|history ends"),
    ("colour", "red", "unknown key"),
], ids=["at_utc-text", "at_utc-impossible", "by-newline", "illegal-transition", "unknown-key"])
def test_json_history_entries_validated(open_register, field, value, match):
    with open_register() as reg:
        _mk(reg)
        doc = reg.export_json()
    doc["licences"][0]["history"][-1][field] = value
    with open_register() as reg:
        with pytest.raises(ImportRowsError, match=match):
            reg.import_json(doc)


@pytest.mark.parametrize("key, value", [("name", "Org\u200bA"), ("address", "1 Road\nforged"),
                                        ("name", "Org\x07")], ids=["zero-width-name", "newline-address", "bell"])
def test_json_licensee_text_rules(open_register, key, value):
    with open_register() as reg:
        _mk(reg)
        doc = reg.export_json()
    doc["licensees"][0][key] = value
    with open_register() as reg:
        with pytest.raises(ImportRowsError, match="character U\\+"):
            reg.import_json(doc)


def test_json_deep_nesting_is_one_line_error(tmp_path, capsys):
    p = tmp_path / "deep.json"
    p.write_text("[" * 100_000 + "]" * 100_000)
    rc, _, err = _cli(capsys, "register", "import", str(p), "--db", str(tmp_path / "r.sqlite"))
    _one_line_error(rc, err)
    assert "nested too deeply" in err


@pytest.mark.parametrize("literal", ["1" + "0" * 400, "1e400", "-" + "9" * 5000, "NaN"],
                         ids=["10**400", "1e400", "5000-digits", "NaN"])
def test_json_huge_numbers_are_one_line_error(open_register, tmp_path, capsys, literal):
    with open_register() as reg:
        _mk(reg)
        doc = reg.export_json()
    doc["licences"][0]["stations"][0]["lat"] = "@@"
    text = json.dumps(doc).replace('"@@"', literal)
    p = tmp_path / "huge.json"
    p.write_text(text)
    rc, _, err = _cli(capsys, "register", "import", str(p), "--db", str(tmp_path / "r.sqlite"))
    assert rc == 2 and "Traceback" not in err and ("lat" in err or "JSON" in err), err


@pytest.mark.parametrize("flag, value", [("--by", "clerk\n     99  2026-01-01  admin  forged"),
                                         ("--by", "cl\u200berk"), ("--reason", "ok\x1b[2J"),
                                         ("--reason", "line\u2028break")],
                         ids=["by-newline", "by-zero-width", "reason-escape", "reason-line-separator"])
def test_text_fields_refuse_control_and_invisible_characters(reg_path, capsys, flag, value):
    argv = ["register", "transition", "FS-1", "suspended", "--db", str(reg_path)]
    argv += [flag, value] if flag == "--reason" else ["--reason", "r", flag, value]
    rc, _, err = _cli(capsys, *argv)
    _one_line_error(rc, err)
    assert "character U+" in err
    with Register.open(reg_path) as reg:
        assert reg.licence("FS-1")["status"] == "granted"


def test_identifiers_are_nfc_so_lookalikes_cannot_coexist(open_register):
    composed, decomposed = "T\u00c9-1", "TE\u0301-1"
    with open_register() as reg:
        reg.add_licence(composed, "Org", "fixed")
        with pytest.raises(RegisterError, match="already exists"):
            reg.add_licence(decomposed, "Org", "fixed")
        assert reg.licence(decomposed)["number"] == composed
        with pytest.raises(RegisterError, match="character U\\+200B"):
            reg.add_licence("T\u00c9\u200b-1", "Org", "fixed")


@pytest.mark.parametrize("argv, match", [
    (["list", "--service", "warp"], "not a known radiocommunication service"),
    (["list", "--limit", "-1"], "--limit -1"),
    (["audit", "--limit", "-5"], "--limit -5"),
    (["evaluations", "--limit", "-2"], "--limit -2"),
    (["audit", "--since", "last tuesday"], "not an ISO date"),
    (["evaluations", "--id", "99999999999999999999"], "evaluation 99999999999999999999 is not in the register"),
], ids=["service", "list-limit", "audit-limit", "evaluations-limit", "since", "evaluation-id-overflow"])
def test_cli_filters_validated(reg_path, capsys, argv, match):
    rc, _, err = _cli(capsys, "register", *argv, "--db", str(reg_path))
    _one_line_error(rc, err)
    assert match in err


@pytest.mark.parametrize("cmd", ["check", "list", "show"])
def test_zero_byte_file_is_not_initialised(tmp_path, capsys, cmd):
    p = tmp_path / "empty.sqlite"
    p.touch()
    rc, _, err = _cli(capsys, "register", cmd, *(["FS-1"] if cmd == "show" else []), "--db", str(p))
    assert rc == 2 and "empty (0-byte) file, not a register" in err
    assert p.stat().st_size == 0


@pytest.mark.parametrize("cmd", ["check", "list"])
def test_foreign_empty_sqlite_file_is_not_initialised(tmp_path, capsys, cmd):
    p = tmp_path / "other.db"
    c = sqlite3.connect(p)
    c.execute("PRAGMA user_version = 7")
    c.commit()
    c.close()
    before = p.read_bytes()
    rc, _, err = _cli(capsys, "register", cmd, "--db", str(p))
    assert rc == 2 and "empty SQLite database, not a register" in err
    assert p.read_bytes() == before


@pytest.mark.parametrize("db", [":memory:", "", " "], ids=["memory", "empty", "blank"])
def test_db_memory_and_empty_refused(tmp_path, monkeypatch, capsys, db):
    monkeypatch.chdir(tmp_path)  # a default register here must not be used instead of the empty --db
    monkeypatch.delenv("SPECTRUM_REGISTER", raising=False)
    with Register.open(tmp_path / "spectrum-register.sqlite") as reg:
        _mk(reg)
    rc, out, err = _cli(capsys, "register", "list", "--db", db)
    _one_line_error(rc, err)
    assert "FS-1" not in out


def _as_nobody(code: str):
    """Run Python code as an unprivileged user (root ignores file permissions); skip if impossible."""
    try:
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, user=65534, group=65534,
                           cwd="/")
    except OSError as exc:
        pytest.skip(f"cannot run as an unprivileged user: {exc}")
    if r.returncode and "ModuleNotFoundError" in r.stderr or "Permission denied" in r.stderr and "python" in r.stderr:
        pytest.skip(f"the unprivileged user cannot run this environment: {r.stderr.strip()[-200:]}")
    return r


def test_read_only_register_can_be_listed_shown_and_checked(reg_path, tmp_path, capsys):
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="spectrum-ro-"))
    try:
        d = base / "ro"
        d.mkdir()
        p = d / "reg.sqlite"
        shutil.copy(reg_path, p)
        p.chmod(0o444)
        d.chmod(0o555)
        base.chmod(0o755)
        if os.geteuid() != 0:
            for argv in (["list", "--status", "all"], ["show", "FS-1"], ["check"]):
                rc, out, err = _cli(capsys, "register", *argv, "--db", str(p))
                assert rc == 0, err
            rc, _, err = _cli(capsys, "register", "transition", "FS-1", "suspended", "--reason", "r", "--db", str(p))
            assert rc == 2 and "read-only" in err
        else:
            root = str(Path(__file__).resolve().parents[1])
            r = _as_nobody(f"import sys; sys.path.insert(0, {root!r})\nfrom spectrum.cli import main\n"
                           f"codes = [main(['register', *a, '--db', {str(p)!r}]) for a in "
                           "(['list', '--status', 'all'], ['show', 'FS-1'], ['check'], "
                           "['transition', 'FS-1', 'suspended', '--reason', 'r'])]\nprint(codes)")
            assert r.stdout.strip().splitlines()[-1] == "[0, 0, 0, 2]", r.stdout + r.stderr
            assert "read-only" in r.stderr
        assert not any(x.name != "reg.sqlite" for x in d.iterdir())
    finally:
        for q in (base / "ro", base / "ro" / "reg.sqlite"):
            with contextlib.suppress(OSError):
                q.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_read_only_open_through_the_api(reg_path, monkeypatch):
    """The read-only path itself (simulated where root ignores permissions)."""
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode & os.W_OK else real(p, mode, **kw))
    with Register.open(reg_path, create=False) as reg:
        assert reg.backend.read_only and len(reg.query(status=None)) == 4 and reg.integrity_check() == []
        with pytest.raises(RegisterError, match="read-only"):
            reg.transition("FS-1", "suspended", reason="r")


# ---------------------------------------------------------------------- tracebacks -> one line
def test_import_directory_is_one_line_error(tmp_path, capsys):
    d = tmp_path / "dir.csv"
    d.mkdir()
    rc, _, err = _cli(capsys, "register", "import", str(d), "--db", str(tmp_path / "r.sqlite"))
    _one_line_error(rc, err)
    assert "is a directory" in err


def test_db_directory_is_one_line_error(tmp_path, capsys):
    rc, _, err = _cli(capsys, "register", "list", "--db", str(tmp_path))
    _one_line_error(rc, err)


def _damage(path: Path, table: str) -> None:
    c = sqlite3.connect(path)
    page_size = c.execute("PRAGMA page_size").fetchone()[0]
    root = c.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    c.execute("PRAGMA journal_mode = DELETE")
    c.close()
    data = bytearray(path.read_bytes())
    off = (root - 1) * page_size
    data[off:off + page_size] = b"\xa5" * page_size
    path.write_bytes(bytes(data))


@pytest.fixture
def damaged(tmp_path):
    p = tmp_path / "big.sqlite"
    with Register.open(p, user="clerk", allocations=False) as reg:
        with reg.backend.write():
            for k in range(60):
                _mk(reg, f"D-{k:03d}", f_mhz=100.0 + k, lat=31.0 + k * 0.001)
    _damage(p, "station")
    return p


def test_check_on_damaged_page_reports_and_exits_1(damaged, capsys):
    rc, out = _check(damaged, capsys)
    assert rc == 1 and "damaged" in out and "Traceback" not in out


@pytest.mark.parametrize("argv", [["list", "--status", "all"], ["show", "D-010"], ["export", "-"]],
                         ids=["list", "show", "export"])
def test_reading_a_damaged_page_never_exits_0(damaged, capsys, argv):
    rc, out, err = _cli(capsys, "register", *argv, "--db", str(damaged))
    _one_line_error(rc, err)
    assert "damaged" in err


def test_page_limit_during_import_is_a_clear_error(tmp_path):
    good = _sample_csv(tmp_path, n_lic=6)
    with Register.open(tmp_path / "full.sqlite") as reg:
        pages = reg.connection.execute("PRAGMA page_count").fetchone()[0]
        reg.backend._migrating = True  # lift the authorizer for this test's own pragma
        reg.connection.execute(f"PRAGMA max_page_count = {pages + 1}")
        reg.backend._migrating = False
        with pytest.raises(RegisterError) as ei:
            reg.import_csv(good)
        msg = str(ei.value)
        assert "full" in msg and "savepoint" not in msg
        assert reg.counts()["licence"] == 0


@pytest.fixture
def tiny_disk(tmp_path):
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        pytest.skip("mounting a tmpfs needs root on Linux")
    d = tmp_path / "tiny"
    d.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(d)], capture_output=True)
    if r.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.decode().strip()}")
    yield d
    subprocess.run(["umount", str(d)])


def test_disk_full_during_import_is_not_masked_by_savepoint_error(tiny_disk):
    from spectrum.datasets.register import synthetic_register

    with synthetic_register(None, 3000) as src:
        text = src.export_csv()
    with Register.open(tiny_disk / "reg.sqlite") as reg:
        reg.add_antenna_pattern("SYN-OMNI", "omni", g_max_dbi=2.15)
        before = reg.counts()
        with pytest.raises(RegisterError) as ei:
            reg.import_csv(text)
        msg = str(ei.value)
        assert "database or disk is full" in msg and "savepoint" not in msg, msg
        assert reg.counts() == before


def test_expire_selects_inside_its_write_transaction(reg_path, monkeypatch):
    """Another writer revoking a due licence between expire's selection and its transaction."""
    with Register.open(reg_path, user="clerk") as reg, Register.open(reg_path, user="other") as other:
        orig = reg.backend.write
        fired = []

        @contextlib.contextmanager
        def racing_write():
            if not fired:
                fired.append(1)
                other.transition("FS-1", "revoked", reason="revoked meanwhile")
            with orig():
                yield

        monkeypatch.setattr(reg.backend, "write", racing_write)
        expired = reg.expire_due("2050-01-01")
    assert "FS-1" not in expired and sorted(expired) == ["FS-0", "FS-2", "FS-3"]


@pytest.mark.slow
def test_streaming_csv_import_peak_memory_under_4x_file(tmp_path):
    """A 100 000-row CSV (about 17 MB) imports with peak RSS growing by less than 4 x the file size."""
    code = f"""
import resource, sys
sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
from pathlib import Path
from spectrum.datasets.register import synthetic_register
from spectrum.register import Register
work = Path({str(tmp_path)!r})
with synthetic_register(work / "syn.sqlite", 100_000) as reg:
    reg.export_csv(work / "syn.csv")
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=600)
    code = f"""
import resource, sys, gc
sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
from pathlib import Path
from spectrum.register import Register
work = Path({str(tmp_path)!r})
reg = Register.open(work / "imp.sqlite")
reg.add_antenna_pattern("SYN-OMNI", "omni", g_max_dbi=2.15)
gc.collect()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
n = reg.import_csv(work / "syn.csv")
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(n["assignments"], (peak - base) * 1024)
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=1200)
    n, grew = (int(v) for v in r.stdout.split())
    size = (tmp_path / "syn.csv").stat().st_size
    assert n == 100_000 and grew < 4 * size, (grew, size)
