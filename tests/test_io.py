"""spectrum.io output layer: outputs never overwrite inputs or registers, keep modes, links and
symlinks, and every failure is one OutputError naming the user's path with nothing half-written."""
from __future__ import annotations

import errno
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from spectrum import io
from spectrum.io import OutputError, atomic_path, check_output, check_outputs, write_text


def _no_temp_left(d: Path) -> bool:
    return not [p for p in d.iterdir() if p.name.startswith(".")]


@pytest.fixture
def umask022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_output_same_as_input_refused(tmp_path):
    inp = tmp_path / "request.json"
    inp.write_text("{}")
    with pytest.raises(OutputError, match=r"request\.json is the input"):
        write_text(inp, "x", inputs=[inp])
    assert inp.read_text() == "{}"


def test_output_through_symlink_to_input_refused(tmp_path):
    inp = tmp_path / "dem.nc"
    inp.write_text("dem")
    (tmp_path / "link.txt").symlink_to(inp)
    with pytest.raises(OutputError, match="is the input"):
        check_output(tmp_path / "link.txt", inputs=[str(inp)])


def test_output_hard_link_to_input_refused(tmp_path):
    inp = tmp_path / "profile.csv"
    inp.write_text("d_km,h_m\n")
    os.link(inp, tmp_path / "other.csv")
    with pytest.raises(OutputError, match="is the input"):
        check_output(tmp_path / "other.csv", inputs=[inp])


def test_output_register_sidecar_refused(tmp_path):
    with pytest.raises(OutputError, match="is the input"):
        check_output(tmp_path / "reg.sqlite-wal", inputs=[tmp_path / "reg.sqlite"])


def test_existing_sqlite_file_refused_as_output(tmp_path):
    db = tmp_path / "anything.txt"
    c = sqlite3.connect(db)
    c.execute("CREATE TABLE t (x)")
    c.commit()
    c.close()
    before = db.read_bytes()
    with pytest.raises(OutputError, match="existing SQLite database"):
        write_text(db, "report")
    assert db.read_bytes() == before


def test_symlink_written_through(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "target.txt")
    write_text(link, "x")
    assert link.is_symlink() and (tmp_path / "target.txt").read_text() == "x"


def test_existing_file_keeps_its_mode(tmp_path):
    p = tmp_path / "out.txt"
    p.write_text("old")
    os.chmod(p, 0o640)
    write_text(p, "new")
    assert stat.S_IMODE(p.stat().st_mode) == 0o640 and p.read_text() == "new"


def test_existing_file_keeps_its_hard_links(tmp_path):
    p = tmp_path / "out.txt"
    p.write_text("old")
    os.link(p, tmp_path / "alias.txt")
    ino = p.stat().st_ino
    write_text(p, "new content, longer than before")
    assert (tmp_path / "alias.txt").read_text() == "new content, longer than before"
    assert p.stat().st_ino == ino and p.stat().st_nlink == 2
    write_text(p, "short")
    assert (tmp_path / "alias.txt").read_text() == "short"


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_new_file_mode_follows_umask(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        write_text(tmp_path / "new.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == mode


def test_directory_as_output_is_one_clear_error(tmp_path):
    with pytest.raises(OutputError, match=f"output {tmp_path} is a directory"):
        write_text(tmp_path, "x")
    with pytest.raises(OutputError, match="names a directory"):
        check_output(str(tmp_path / "newdir") + "/")


def test_empty_output_path_refused():
    with pytest.raises(OutputError, match="empty"):
        check_output("")


def test_dev_full_is_written_directly_and_fails_cleanly(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with pytest.raises(OutputError, match=r"cannot write /dev/full: No space left on device"):
        write_text("/dev/full", "x" * 100_000)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_dev_null_is_written_directly():
    write_text("/dev/null", "discarded")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_fifo_socket_and_block_device(tmp_path):
    import socket

    s = socket.socket(socket.AF_UNIX)
    path = tmp_path / "sock"
    s.bind(str(path))
    try:
        with pytest.raises(OutputError, match="socket, not a regular file"):
            check_output(path)
    finally:
        s.close()


def test_stdout_dash(capsys):
    write_text("-", "to stdout\n")
    assert capsys.readouterr().out == "to stdout\n"
    with pytest.raises(OutputError, match="standard output"):
        check_output("-", allow_stdout=False)


def test_enospc_on_fsync_names_the_output_and_leaves_nothing(tmp_path, monkeypatch):
    p = tmp_path / "out.txt"
    p.write_text("precious")

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(io.os, "fsync", full)
    with pytest.raises(OutputError) as ei:
        write_text(p, "x" * 1000)
    msg = str(ei.value)
    assert msg == f"cannot write {p}: No space left on device" and "\n" not in msg
    assert p.read_text() == "precious" and _no_temp_left(tmp_path)


def test_enospc_on_write_in_body_names_the_output(tmp_path):
    p = tmp_path / "out.h5"
    with pytest.raises(OutputError, match=f"cannot write {p}: No space left on device"):
        with atomic_path(p) as tmp:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp))
    assert not p.exists() and _no_temp_left(tmp_path)


def test_body_failure_leaves_existing_file(tmp_path):
    p = tmp_path / "out.txt"
    p.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_path(p) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert p.read_text() == "old" and _no_temp_left(tmp_path)


@pytest.fixture
def tiny_tmpfs(tmp_path):
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        pytest.skip("mounting a tmpfs needs root on Linux")
    d = tmp_path / "tiny"
    d.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(d)], capture_output=True)
    if r.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.decode().strip()}")
    yield d
    subprocess.run(["umount", str(d)])


def test_full_disk_tmpfs_new_and_existing_file(tiny_tmpfs):
    p = tiny_tmpfs / "out.txt"
    p.write_text("precious")
    with pytest.raises(OutputError, match=f"cannot write {p}: No space left on device"):
        write_text(p, "x" * 200_000)
    assert p.read_text() == "precious" and _no_temp_left(tiny_tmpfs)
    os.link(p, tiny_tmpfs / "alias.txt")  # hard-linked: space reserved before the copy in place
    with pytest.raises(OutputError, match="No space left on device"):
        write_text(p, "y" * 200_000)
    assert p.read_text() == "precious" and (tiny_tmpfs / "alias.txt").read_text() == "precious"


def test_unwritable_directory_is_one_clear_error(tmp_path):
    import shutil
    import tempfile

    if os.geteuid() == 0:  # root ignores permissions: try as an unprivileged user, in a traversable folder
        base = Path(tempfile.mkdtemp(prefix="spectrum-ro-"))
        base.chmod(0o755)
    else:
        base = tmp_path
    d = base / "ro"
    d.mkdir()
    out = d / "report.txt"
    d.chmod(0o555)
    try:
        if os.geteuid() == 0:
            code = (f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})\n"
                    "from spectrum.io import write_text, OutputError\n"
                    f"try:\n    write_text({str(out)!r}, 'x')\nexcept OutputError as e:\n    print(e)")
            try:
                r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, user=65534,
                                   group=65534)
            except OSError as exc:
                pytest.skip(f"cannot run as an unprivileged user: {exc}")
            if r.returncode:
                pytest.skip(f"the unprivileged user cannot run the environment: {r.stderr.strip()[-300:]}")
            msg = r.stdout.strip()
        else:
            with pytest.raises(OutputError) as ei:
                write_text(out, "x")
            msg = str(ei.value)
    finally:
        d.chmod(0o755)
        if base != tmp_path:
            shutil.rmtree(base)
    assert msg == f"cannot write {out}: Permission denied (directory {d} is not writable)"


def test_check_outputs_distinct(tmp_path):
    with pytest.raises(OutputError, match="name the same file"):
        check_outputs([tmp_path / "a.nc", tmp_path / "a.nc"])
    assert check_outputs([None, tmp_path / "a.nc", "-"]) == [None, tmp_path / "a.nc", "-"]


def test_unwritable_directory_message_names_the_output(tmp_path, monkeypatch):
    """The same failure simulated (works as root too): the message names the output, not the temp file."""
    def denied(*a, **kw):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(tmp_path / ".report.txt.x1y2.tmp"))

    monkeypatch.setattr(io.tempfile, "mkstemp", denied)
    with pytest.raises(OutputError) as ei:
        write_text(tmp_path / "report.txt", "x")
    assert str(ei.value) == (f"cannot write {tmp_path / 'report.txt'}: Permission denied "
                             f"(directory {tmp_path} is not writable)")
