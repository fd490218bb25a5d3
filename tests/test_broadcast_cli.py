"""``spectrum broadcast coverage|interference|best-server``: outputs, --json, one-line errors."""
from __future__ import annotations

import json

import pytest

from spectrum.cli import main

NET = [{"name": "A", "lat": 31.25, "lon": 121.45, "h_agl_m": 150, "f_mhz": 98.1, "erp_dbw": 37},
       {"name": "B", "lat": 31.4, "lon": 121.6, "h_agl_m": 100, "f_mhz": 98.2, "erp_dbw": 30}]


def test_coverage_png_netcdf_json(tmp_path, capsys):
    png, nc = tmp_path / "c.png", tmp_path / "c.nc"
    assert main(["broadcast", "coverage", "--station", "31.25,121.45", "--f-mhz", "600", "--erp-dbw", "40",
                 "--h-m", "150", "--radius-km", "15", "--shape", "40", "40", "--png", str(png), "--netcdf", str(nc),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["area_km2"] > 0 and png.stat().st_size > 1000 and nc.stat().st_size > 1000


@pytest.mark.parametrize("cmd", ["interference", "best-server"])
def test_network_maps(cmd, tmp_path, capsys):
    f = tmp_path / "net.json"
    f.write_text(json.dumps(NET))
    assert main(["broadcast", cmd, "--stations", str(f), "--system", "fm", "--radius-km", "15", "--shape", "30", "30",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["system"] == "fm"


def test_errors_are_one_line_and_write_nothing(tmp_path, capsys):
    f = tmp_path / "net.json"
    f.write_text(json.dumps(NET))
    cases = [
        (["best-server", "--stations", str(f), "--netcdf", str(f)], "refusing to overwrite an input"),
        (["coverage", "--station", "31.25,121.45"], "--f-mhz"),
        (["coverage", "--station", "31.25,121.45", "--f-mhz", "9000"], "f_mhz"),
        (["coverage", "--station", "31.25,121.45", "--f-mhz", "600", "--system", "atsc"], "system"),
        (["interference", "--stations", str(tmp_path / "missing.json")], "missing.json"),
        (["coverage", "--station", "31.25,121.45", "--f-mhz", "600", "--png", str(tmp_path / "x.jpg")], ".png"),
    ]
    bad = tmp_path / "bad.json"
    bad.write_text("[{")
    cases.append((["interference", "--stations", str(bad)], "not valid JSON"))
    for argv, msg in cases:
        assert main(["broadcast", *argv, "--radius-km", "5", "--shape", "5", "5"]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and msg in err, (argv, err)
    assert json.loads(f.read_text()) == NET
    assert not (tmp_path / "x.jpg").exists()
