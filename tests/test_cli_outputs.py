"""Every command's outputs go through spectrum.io: an output that is one of the command's inputs
(register, request, DEM) or an existing SQLite file is refused with one line, exit 2, nothing written."""
from __future__ import annotations

import hashlib
import json

import pytest

from spectrum.cli import main


def _digest(p) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def reg_file(tmp_path):
    db = tmp_path / "reg.sqlite"
    assert main(["register", "init", "--db", str(db)]) == 0
    return db


def _refused(capsys, argv, *files):
    before = [_digest(f) for f in files]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "error:" in err, err
    assert [_digest(f) for f in files] == before
    return err


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_register_export_onto_its_register_refused(tmp_path, reg_file, capsys, fmt):
    err = _refused(capsys, ["register", "export", str(reg_file), "--format", fmt, "--db", str(reg_file)], reg_file)
    assert "is the input" in err


def test_register_export_onto_another_register_refused(tmp_path, reg_file, capsys):
    other = tmp_path / "other.sqlite"
    assert main(["register", "init", "--db", str(other)]) == 0
    capsys.readouterr()
    err = _refused(capsys, ["register", "export", str(other), "--format", "csv", "--db", str(reg_file)], other)
    assert "existing SQLite database" in err


def test_evaluate_report_onto_register_refused(tmp_path, reg_file, capsys):
    req = tmp_path / "req.json"
    assert main(["evaluate", "--sample-request"]) == 0
    req.write_text(capsys.readouterr().out)
    err = _refused(capsys, ["evaluate", "--db", str(reg_file), "--request", str(req), "--report", str(reg_file)],
                   reg_file)
    assert "is the input" in err
    err = _refused(capsys, ["evaluate", "--db", str(reg_file), "--request", str(req), "--hdf5", str(req)], req)
    assert "is the input" in err


def test_sweep_output_onto_request_refused(tmp_path, reg_file, capsys):
    req = tmp_path / "req.json"
    req.write_text(json.dumps({"x": 1}))
    err = _refused(capsys, ["sweep", "--db", str(reg_file), "--request", str(req), "--netcdf", str(req)], req)
    assert "is the input" in err


def test_coverage_output_onto_dem_or_register_refused(tmp_path, reg_file, capsys):
    dem = tmp_path / "dem.nc"
    dem.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\x00" * 100)
    err = _refused(capsys, ["coverage", "--demo", "--dem", str(dem), "--out", str(dem)], dem)
    assert "is the input" in err
    err = _refused(capsys, ["coverage", "--register", str(reg_file), "--licence", "X", "--png", str(reg_file)],
                   reg_file)
    assert "is the input" in err


def test_profile_csv_onto_dem_refused(tmp_path, capsys):
    dem = tmp_path / "dem.tif"
    dem.write_bytes(b"II*\x00" + b"\x00" * 100)
    err = _refused(capsys, ["profile", "--tx", "31.1,121.2", "--rx", "31.2,121.3", "--dem", str(dem),
                            "--csv", str(dem)], dem)
    assert "is the input" in err


def test_gui_screenshot_onto_register_refused(tmp_path, reg_file, capsys):
    pytest.importorskip("PySide6")
    pytest.importorskip("pyqtgraph")
    err = _refused(capsys, ["gui", "--db", str(reg_file), "--screenshot", str(reg_file)], reg_file)
    assert "is the input" in err


def test_register_export_to_directory_and_full_disk(tmp_path, reg_file, capsys):
    err = _refused(capsys, ["register", "export", str(tmp_path), "--format", "json", "--db", str(reg_file)])
    assert f"output {tmp_path} is a directory" in err
    err = _refused(capsys, ["register", "export", "/dev/full", "--format", "json", "--db", str(reg_file)])
    assert "cannot write /dev/full: No space left on device" in err
