"""``spectrum coverage --geotiff/--geojson/--kml --levels`` and ``spectrum register list --geojson/--kml``."""
from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("rasterio", reason="rasterio is in the [gis] extra (pip install -e '.[gis]')")
pytest.importorskip("shapely", reason="shapely is in the [gis] extra (pip install -e '.[gis]')")
from shapely.geometry import shape  # noqa: E402

from spectrum import gis  # noqa: E402
from spectrum.cli import main  # noqa: E402

SMALL = ["--radius-km", "4", "--n-radials", "24", "--size", "20", "20", "--model", "itm"]


def test_coverage_writes_cog_geojson_kml(tmp_path, capsys):
    tif, gj, kml, nc = (tmp_path / n for n in ("c.tif", "c.geojson", "c.kml", "c.nc"))
    rc = main(["coverage", "--demo", *SMALL, "--out", str(nc), "--geotiff", str(tif), "--geojson", str(gj),
               "--kml", str(kml), "--levels", "90,100", "--json"])
    assert rc == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["layers"] == [str(tif), str(gj), str(kml)]
    assert gis.validate_cog(tif) == []
    import xarray as xr

    m = xr.open_dataarray(nc, engine="h5netcdf")
    back = gis.read_geotiff(tif)
    assert back.values.tobytes() == m.values.tobytes()  # the very map of --out, bit for bit
    assert back.attrs["units"] == "dB(uV/m)" and "NTIA ITM" in back.attrs["model"]
    doc = json.loads(gj.read_text(encoding="utf-8"))
    assert [f["properties"]["level"] for f in doc["features"]] == [90.0, 100.0]
    areas = [f["properties"]["area_km2"] for f in doc["features"]]
    assert areas[0] >= areas[1]
    for f in doc["features"]:
        if f["geometry"] is not None:
            assert shape(f["geometry"]).is_valid
    assert [r["folder"] for r in gis.vector.read_kml(kml)] == ["≥ 90 dB(uV/m)", "≥ 100 dB(uV/m)"]


def test_coverage_levels_default_to_threshold_and_interference_criterion(tmp_path, capsys):
    gj = tmp_path / "t.geojson"
    assert main(["coverage", "--demo", *SMALL, "--threshold", "95", "--geojson", str(gj)]) == 0
    assert f"wrote       {gj}" in capsys.readouterr().out
    assert json.loads(gj.read_text())["features"][0]["properties"]["level"] == 95.0
    gj2 = tmp_path / "i.geojson"
    rc = main(["coverage", "--interference", "--interferer", "31.17,121.17,40,900,30", "--victim-f-mhz", "900",
               "--victim-bw-khz", "200", "--lat", "31.18", "--lon", "121.19", "--radius-km", "4", "--size", "15", "17",
               "--n-radials", "24", "--model", "itm", "--protection-db", "-6", "--geojson", str(gj2),
               "--geotiff", str(tmp_path / "i.tif")])
    assert rc == 0
    f = json.loads(gj2.read_text())["features"][0]
    assert f["properties"]["level"] == -6.0 and f["properties"]["units"] == "dB"
    assert gis.read_geotiff(tmp_path / "i.tif").name == "i_n_db"


@pytest.mark.parametrize("args, msg", [
    (["--geojson", "{d}/x.geojson"], "give --levels"),
    (["--kml", "{d}/x.kml", "--levels", "1,x"], "comma-separated"),
    (["--geotiff", "{d}/same", "--geojson", "{d}/same", "--levels", "1"], "name the same file"),
    (["--geotiff", "{d}"], "is a directory"),
])
def test_coverage_bad_options_exit_2_nothing_written(tmp_path, capsys, args, msg):
    d = tmp_path / "out"
    d.mkdir()
    argv = ["coverage", "--demo", *SMALL] + [a.format(d=d) for a in args]
    try:
        rc = main(argv)
    except SystemExit as exc:  # argparse type errors
        rc = exc.code
    assert rc == 2
    assert msg in capsys.readouterr().err
    assert not list(d.iterdir())


def test_coverage_output_that_is_the_dem_is_refused(tmp_path, capsys, monkeypatch):
    from spectrum.datasets.terrain import default_dem
    from spectrum.io import write_netcdf
    from spectrum.terrain import crop_dem

    demf = tmp_path / "dem.nc"
    write_netcdf(crop_dem(default_dem(), (31.1, 31.3, 121.1, 121.3)), demf)
    before = demf.read_bytes()
    rc = main(["coverage", "--dem", str(demf), "--lat", "31.2", "--lon", "121.2", "--h-agl-m", "30", "--f-mhz", "600",
               *SMALL, "--geotiff", str(demf)])
    assert rc == 2 and "is the input" in capsys.readouterr().err
    assert demf.read_bytes() == before


def test_register_list_geojson_kml(tmp_path, capsys):
    db = tmp_path / "r.sqlite"
    assert main(["register", "init", "--sample", "--db", str(db)]) == 0
    capsys.readouterr()
    gj, kml = tmp_path / "s.geojson", tmp_path / "s.kml"
    rc = main(["register", "list", "--db", str(db), "--near", "31.23,121.47", "--radius-km", "10", "--limit", "3",
               "--geojson", str(gj), "--kml", str(kml), "--json"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert out["written"] == [str(gj), str(kml)]
    doc = json.loads(gj.read_text(encoding="utf-8"))
    assert len(doc["features"]) == out["count"] > 3  # every matching row, not only the printed ones
    nums = {f["properties"]["licence_number"] for f in doc["features"]}
    assert {r["licence_number"] for r in out["rows"]} <= nums
    lon, lat = doc["features"][0]["geometry"]["coordinates"]
    assert np.hypot(lat - 31.23, (lon - 121.47) * np.cos(np.radians(31.23))) * 111.2 <= 10.01
    assert len(gis.vector.read_kml(kml)) == out["count"]
    rc = main(["register", "list", "--db", str(db), "--kml", str(db)])
    assert rc == 2 and "is the input" in capsys.readouterr().err


def test_any_map_goes_through_the_same_layers(tmp_path):
    """Best-server (integer categories with a fill value) and Monte Carlo probability maps use the
    same functions as coverage maps."""
    import xarray as xr

    from spectrum.gis.layers import write_map_layers

    lat = np.linspace(31.0, 31.3, 61)
    lon = np.linspace(121.0, 121.4, 81)
    la, lo = np.meshgrid(lat, lon, indexing="ij")
    best = np.where(lo < 121.2, 0, 1).astype(np.int32)
    best[:5, :5] = -1
    bs = xr.DataArray(best, dims=("lat", "lon"), coords={"lat": lat, "lon": lon}, name="best_server",
                      attrs={"units": "1", "_FillValue": -1, "long_name": "best server index"})
    (f,) = write_map_layers(bs, geotiff=tmp_path / "bs.tif")
    import rasterio

    with rasterio.open(f) as src:
        assert src.nodata == -1 and src.dtypes[0] == "int32"
        assert (src.read_masks(1) == 0).sum() == 25
    prob = xr.DataArray(np.clip(1.2 - np.hypot(la - 31.15, lo - 121.2) * 8, 0, 1), dims=("lat", "lon"),
                        coords={"lat": lat, "lon": lon}, name="p_interference", attrs={"units": "1"})
    out = write_map_layers(prob, geotiff=tmp_path / "p.tif", geojson=tmp_path / "p.geojson", kml=tmp_path / "p.kml",
                           levels=[0.5, 0.9])
    assert [p.name for p in out] == ["p.tif", "p.geojson", "p.kml"]
    doc = json.loads((tmp_path / "p.geojson").read_text())
    g50, g90 = (shape(f["geometry"]) for f in doc["features"])
    assert g50.contains(g90) and g50.is_valid and g90.is_valid
