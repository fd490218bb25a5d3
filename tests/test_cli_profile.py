"""Tests of the ``spectrum profile`` sub-command."""
from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from spectrum import cli, geo, terrain
from spectrum.datasets.terrain import default_dem

TX, RX = "31.10,121.20", "31.40,121.60"


def test_table_output(capsys):
    assert cli.main(["profile", "--tx", TX, "--rx", RX]) == 0
    out = capsys.readouterr().out
    d = float(geo.distance_km(31.10, 121.20, 31.40, 121.60))
    assert f"{d:10.3f} km" in out
    assert "d_km" in out and "h_m" in out


def test_csv_file_is_p452_compatible(tmp_path, capsys):
    path = tmp_path / "p.csv"
    assert cli.main(["profile", "--tx", TX, "--rx", RX, "--step-m", "90", "--csv", str(path)]) == 0
    assert f"wrote      {path}" in capsys.readouterr().out
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["d_km", "h_m", "lat", "lon"]
    a = np.array(rows[1:], dtype=float)
    d, h = terrain.profile(default_dem(), (31.10, 121.20), (31.40, 121.60), step_m=90.0)
    np.testing.assert_allclose(a[:, 0], d, atol=1e-6)
    np.testing.assert_allclose(a[:, 1], h, atol=1e-3)
    assert np.all(np.diff(a[:, 0]) <= 0.090 + 1e-6)
    assert a[0, 2:] == pytest.approx([31.10, 121.20]) and a[-1, 2:] == pytest.approx([31.40, 121.60])


def test_csv_stdout(capsys):
    assert cli.main(["profile", "--tx", TX, "--rx", RX, "--csv", "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "d_km,h_m,lat,lon" and len(lines) > 100


def test_json(capsys):
    assert cli.main(["profile", "--tx", TX, "--rx", RX, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["n_points"] == len(doc["d_km"]) == len(doc["h_m"]) == len(doc["lat"])
    assert doc["distance_km"] == pytest.approx(geo.distance_km(31.10, 121.20, 31.40, 121.60))
    assert doc["h_max_m"] == pytest.approx(max(doc["h_m"]))


def test_dem_file_option(tmp_path, capsys):
    a = np.full((1201, 1201), 250, dtype=">i2")
    a.tofile(tmp_path / "N45E007.hgt")
    b = np.full((1201, 1201), 250, dtype=">i2")
    b.tofile(tmp_path / "N45E008.hgt")
    assert cli.main(["profile", "--tx", "45.5,7.5", "--rx", "45.6,8.5", "--dem", str(tmp_path / "N45E007.hgt"),
                     "--dem", str(tmp_path / "N45E008.hgt"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["h_min_m"] == doc["h_max_m"] == 250.0
    assert "mosaic of 2 tiles" in doc["dem_source"]


@pytest.mark.parametrize("argv, match", [
    (["--tx", TX, "--rx", "33.4,121.6"], "rx (33.400000, 121.600000) is outside the DEM"),
    (["--tx", "95,121", "--rx", RX], "tx.lat = 95"),
    (["--tx", TX, "--rx", TX], "coincide"),
    (["--tx", TX, "--rx", RX, "--step-m", "-1"], "step_m = -1"),
    (["--tx", TX, "--rx", RX, "--dem", "/nonexistent/N31E121.hgt"], "DEM file not found"),
])
def test_errors_exit_2_with_one_line(capsys, argv, match):
    assert cli.main(["profile", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("spectrum profile: error:") and match in err
    assert err.count("\n") == 1


def test_malformed_point_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as ei:
        cli.main(["profile", "--tx", "31.1", "--rx", RX])
    assert ei.value.code == 2
    assert "expected LAT,LON" in capsys.readouterr().err


def test_nothing_written_on_error(tmp_path):
    path = tmp_path / "p.csv"
    assert cli.main(["profile", "--tx", TX, "--rx", "35,121", "--csv", str(path)]) == 2
    assert not path.exists()


def test_zones_column(tmp_path, capsys):
    path = tmp_path / "z.csv"
    assert cli.main(["profile", "--tx", "31.0,121.0", "--rx", "31.2,122.4", "--zones", "--csv", str(path)]) == 0
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["d_km", "h_m", "lat", "lon", "zone_p452"]  # the coding named (adversarial review)
    a = np.array(rows[1:], dtype=float)
    zones = terrain.sample_nearest(terrain.radio_climatic_zones(default_dem()), a[:, 2], a[:, 3])
    np.testing.assert_array_equal(a[:, 4], zones)
    assert set(np.unique(a[:, 4])) <= {1.0, 2.0, 3.0}
    capsys.readouterr()
    assert cli.main(["profile", "--tx", "31.0,121.0", "--rx", "31.2,122.4", "--zones", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["zone"]) == doc["n_points"]
    assert sum(doc["zones"].values()) == pytest.approx(doc["distance_km"])


def test_clearance_and_plot(tmp_path, capsys):
    png = tmp_path / "p.png"
    argv = ["profile", "--tx", "30.62,120.70", "--rx", "30.75,120.95", "--htg", "30", "--hrg", "15",
            "--f-mhz", "2000", "--plot", str(png), "--json"]
    assert cli.main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    los = terrain.line_of_sight(np.array(doc["d_km"]), np.array(doc["h_m"]), 30.0, 15.0, f_mhz=2000.0)
    c = doc["clearance"]
    assert c["min_clearance_m"] == pytest.approx(los.min_clearance_m)
    assert c["min_clearance_f1"] == pytest.approx(los.min_clearance_f1)
    assert c["line_of_sight"] == los.line_of_sight and c["k_factor"] == pytest.approx(4 / 3)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert cli.main(["profile", "--tx", "30.62,120.70", "--rx", "30.75,120.95", "--htg", "30", "--hrg", "15",
                     "--k-factor", "0.6667"]) == 0
    out = capsys.readouterr().out
    assert "clearance" in out and "k = 0.667" in out


@pytest.mark.parametrize("extra, match", [
    (["--htg", "30"], "give both --htg and --hrg"),
    (["--f-mhz", "900"], "--f-mhz needs --htg"),
    (["--htg", "30", "--hrg", "10", "--k-factor", "0"], "k_factor = 0"),
    (["--plot", "out.bmp"], "unsupported format"),
])
def test_clearance_errors(tmp_path, capsys, extra, match):
    extra = [str(tmp_path / e) if e.endswith(".bmp") else e for e in extra]
    assert cli.main(["profile", "--tx", TX, "--rx", RX, *extra]) == 2
    assert match in capsys.readouterr().err


def test_dem_folder_reads_only_tiles_around_the_path(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SPECTRUM_CACHE_DIR", str(tmp_path / "cache"))
    tmp_path = tmp_path / "tiles"
    tmp_path.mkdir()
    for la in (44, 45, 46):
        for lo in (6, 7, 8):
            np.full((1201, 1201), 100 * (la - 44) + 10 * (lo - 6), dtype=">i2").tofile(tmp_path / f"N{la}E{lo:03d}.hgt")
    (tmp_path / "N45E008.hgt").write_bytes(b"broken")  # a bad tile the path does not need
    (tmp_path / "notes.txt").write_text("not a DEM")
    assert cli.main(["profile", "--tx", "45.2,7.2", "--rx", "45.8,7.9", "--dem", str(tmp_path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["h_min_m"] == doc["h_max_m"] == 110.0
    assert "terrain catalogue" in doc["dem_source"] and "(8 files)" in doc["dem_source"]
    # crossing into the broken tile is reported as a malformed file
    assert cli.main(["profile", "--tx", "45.2,7.2", "--rx", "45.5,8.4", "--dem", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "rx (45.500000, 8.400000) is outside the terrain data" in err and "45.5 N 8.4 E" in err
    assert "not an SRTM tile" in err
    assert cli.main(["profile", "--tx", "45.2,7.5", "--rx", "46.5,8.6", "--dem", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "the path leaves the terrain data" in err and "N 8.0 E" in err and "not an SRTM tile" in err
    assert cli.main(["profile", "--tx", "10.2,7.2", "--rx", "10.5,7.4", "--dem", str(tmp_path)]) == 2
    assert "outside the terrain data" in capsys.readouterr().err


def test_mosaic_folder_with_bounds(tmp_path):
    for lo in (6, 7):
        np.full((1201, 1201), lo, dtype=">i2").tofile(tmp_path / f"N45E{lo:03d}.hgt")
    m = terrain.mosaic(tmp_path, bounds=(45.1, 45.3, 6.9, 7.2))
    assert terrain.dem_bounds(m) == pytest.approx((45.1, 45.3, 6.9, 7.2))
    assert set(np.unique(m.values)) == {6.0, 7.0}
    assert [p.name for p in terrain.dem_files(tmp_path, (45.1, 45.3, 7.5, 7.6))] == ["N45E007.hgt"]
    with pytest.raises(ValueError, match="no DEM files in the folder"):
        terrain.mosaic(tmp_path, bounds=(10.0, 10.5, 7.0, 7.5))


@pytest.mark.parametrize("cmd", [
    ["p452", "--f-ghz", "2", "--p", "10", "--htg", "10", "--hrg", "10", "--lat", "45"],
    ["p1812", "--f-ghz", "1", "--p", "10", "--htg", "10", "--hrg", "10", "--lat", "45", "--profile"],
    ["itm", "p2p", "--f-mhz", "1000", "--h-tx-m", "10", "--h-rx-m", "10", "--profile"],
], ids=["p452", "p1812", "itm"])
def test_binary_profile_file_is_a_clear_error(tmp_path, capsys, cmd):
    # a non-text profile used to end in a bare "'utf-8' codec can't decode" message without the file name
    p = tmp_path / "profile.csv"
    p.write_bytes(b"\xff\xfe\x00\x01garbage")
    assert cli.main(cmd + [str(p)]) == 2
    err = capsys.readouterr().err
    assert "profile.csv" in err and "not a text file" in err
