"""Adversarial checks of the one output path every file goes through (``spectrum.io``) and of
the command line's error handling: a hostile or careless output path gets one clear line and
exit status 2, and nothing that is not a regular file is ever replaced."""
from __future__ import annotations

import os
import stat

import pytest

from spectrum import io
from spectrum.cli import main


def _no_traceback(capsys):
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.skipif(os.geteuid() != 0, reason="creating a character device needs root")
def test_atomic_path_keeps_a_character_device(tmp_path):
    # '--out /dev/null' run as root used to rename a regular file over the device node
    dev = tmp_path / "null"
    os.mknod(dev, 0o644 | stat.S_IFCHR, os.makedev(1, 3))
    try:
        io.write_text(dev, "x")
    except ValueError:
        pass  # refusing is as good as writing into it
    assert stat.S_ISCHR(os.stat(dev).st_mode)


def test_atomic_path_refuses_directory(tmp_path):
    with pytest.raises(ValueError, match="is a directory"):
        io.write_text(tmp_path, "x")
    assert tmp_path.is_dir()
    assert list(tmp_path.iterdir()) == []


def test_atomic_path_under_a_file_names_it(tmp_path):
    f = tmp_path / "plain.txt"
    f.write_text("keep")
    with pytest.raises(ValueError, match="not a directory"):
        io.write_text(f / "out.json", "x")
    assert f.read_text() == "keep"


def test_atomic_path_mode_follows_umask_not_mkstemp(tmp_path):
    old = os.umask(0o022)
    try:
        p = io.write_text(tmp_path / "out.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o644


def test_atomic_path_keeps_mode_of_replaced_file(tmp_path):
    p = tmp_path / "out.json"
    p.write_text("old")
    os.chmod(p, 0o640)
    io.write_text(p, "new")
    assert p.read_text() == "new"
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o640


def test_atomic_path_writes_through_a_symlink(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    io.write_text(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"


def test_cli_link_out_directory_is_one_line(tmp_path, capsys):
    rc = main(["link", "--demo", "--no-interference", "--out", str(tmp_path)])
    assert rc == 2
    assert "is a directory" in _no_traceback(capsys)


def test_cli_oserror_is_one_line(tmp_path, capsys):
    # a directory where a profile file is expected: IsADirectoryError used to escape as a traceback
    rc = main(["p1546", "--profile", str(tmp_path), "--f-mhz", "600", "--t", "50", "--ha-m", "30", "--h2-m", "10"])
    assert rc == 2
    assert str(tmp_path) in _no_traceback(capsys)


def test_atomic_path_never_replaces_an_sqlite_database(tmp_path):
    db = tmp_path / "register.sqlite"
    db.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    before = db.read_bytes()
    with pytest.raises(ValueError, match="SQLite database"):
        io.write_text(db, "report")
    assert db.read_bytes() == before


def test_evaluate_report_over_the_register_is_refused(tmp_path, capsys):
    # 'spectrum evaluate --db reg.sqlite --report reg.sqlite' replaced the whole register with the text report
    db = tmp_path / "reg.sqlite"
    assert main(["register", "--db", str(db), "init", "--sample"]) == 0
    capsys.readouterr()
    req = tmp_path / "req.json"
    assert main(["evaluate", "--sample-request"]) == 0
    req.write_text(capsys.readouterr().out)
    before = db.read_bytes()
    rc = main(["evaluate", "--db", str(db), "--request", str(req), "--model", "free-space", "--report", str(db)])
    assert rc == 2
    msg = _no_traceback(capsys)
    assert "input" in msg or "SQLite database" in msg
    assert db.read_bytes() == before
