"""``spectrum broadcast coverage|interference|best-server --geotiff/--geojson/--kml --levels``: the
COGs read back bit-identical to the NetCDF map, companion rasters of best-server (serving-station
index, C/I), valid GeoJSON contours, parseable KML, and refused outputs (exit 2, one line)."""
from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("rasterio", reason="rasterio is in the [gis] extra (pip install -e '.[gis]')")
pytest.importorskip("shapely", reason="shapely is in the [gis] extra (pip install -e '.[gis]')")
import xarray as xr  # noqa: E402
from shapely.geometry import shape  # noqa: E402

from spectrum import gis  # noqa: E402
from spectrum.cli import main  # noqa: E402

NET = [{"name": "A", "lat": 31.25, "lon": 121.45, "h_agl_m": 150, "f_mhz": 98.1, "erp_dbw": 37},
       {"name": "B", "lat": 31.4, "lon": 121.6, "h_agl_m": 100, "f_mhz": 98.2, "erp_dbw": 30}]
SMALL = ["--system", "fm", "--radius-km", "15", "--shape", "24", "26"]


def _net(tmp_path):
    f = tmp_path / "net.json"
    f.write_text(json.dumps(NET))
    return f


def _valid_geojson(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and doc["features"]
    for f in doc["features"]:
        if f["geometry"] is not None:
            assert shape(f["geometry"]).is_valid
    return doc


def test_best_server_geotiff_companions_and_contours(tmp_path, capsys):
    f = _net(tmp_path)
    nc, tif, gj, kml = (tmp_path / n for n in ("bs.nc", "bs.tif", "bs.geojson", "bs.kml"))
    assert main(["broadcast", "best-server", "--stations", str(f), *SMALL, "--netcdf", str(nc), "--geotiff", str(tif),
                 "--geojson", str(gj), "--kml", str(kml), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    server_tif, ci_tif = tmp_path / "bs_server.tif", tmp_path / "bs_ci.tif"
    assert out["written"][1:] == [str(tif), str(server_tif), str(ci_tif), str(gj), str(kml)]
    ds = xr.open_dataset(nc, engine="h5netcdf")
    for path in (tif, server_tif, ci_tif):
        assert gis.validate_cog(path) == []
    e = gis.read_geotiff(tif)
    assert e.values.tobytes() == ds["e_best_dbuvm"].values.tobytes()  # bit for bit
    assert e.attrs["units"] == "dB(uV/m)" and e.attrs["model"] == "ITU-R P.1546-6" and "software_version" in e.attrs
    s = gis.read_geotiff(server_tif)
    assert s.dtype == np.int16 and np.array_equal(s.values, ds["server"].values)
    assert set(np.unique(s.values)) <= {-1, 0, 1} and {0, 1} <= set(np.unique(s.values))
    assert [r["name"] for r in json.loads(s.attrs["stations_json"])] == ["A", "B"]
    import rasterio

    with rasterio.open(server_tif) as src:
        assert src.nodata == -1 and src.crs.to_epsg() == 4326
    ci = gis.read_geotiff(ci_tif)
    assert ci.values.tobytes() == ds["ci_db"].values.tobytes() and ci.attrs["units"] == "dB"
    doc = _valid_geojson(gj)
    assert [x["properties"]["level"] for x in doc["features"]] == [out["e_req_dbuvm"]]  # the served area
    assert [r["folder"] for r in gis.vector.read_kml(kml)] == [f"≥ {out['e_req_dbuvm']:g} dB(uV/m)"]


def test_interference_two_bands_and_surviving_area_contour(tmp_path, capsys):
    f = _net(tmp_path)
    nc, tif, gj = tmp_path / "i.nc", tmp_path / "i.tif", tmp_path / "i.geojson"
    assert main(["broadcast", "interference", "--stations", str(f), *SMALL, "--netcdf", str(nc), "--geotiff", str(tif),
                 "--geojson", str(gj)]) == 0
    capsys.readouterr()
    ds = xr.open_dataset(nc, engine="h5netcdf")
    back = gis.read_geotiff(tif)
    assert back.dims == ("quantity", "lat", "lon") and list(back["quantity"].values) == ["e_wanted_dbuvm",
                                                                                        "e_usable_dbuvm"]
    assert back.values[0].tobytes() == ds["e_wanted_dbuvm"].values.tobytes()
    assert back.values[1].tobytes() == ds["e_usable_dbuvm"].values.tobytes()
    doc = _valid_geojson(gj)
    p = doc["features"][0]["properties"]
    assert p["level"] == 0.0 and p["units"] == "dB"
    # oracle: the map's own "covered" pixels (E_wanted >= E_usable) are inside the 0 dB contour, the
    # others outside (interior pixels, away from the level by 1e-6 dB; edge centres lie on the boundary)
    import shapely

    geom = shapely.union_all([shape(x["geometry"]) for x in doc["features"] if x["geometry"]])
    la, lo = np.meshgrid(ds.lat.values, ds.lon.values, indexing="ij")
    inside = shapely.contains_xy(geom, lo.ravel(), la.ravel()).reshape(la.shape)
    margin = ds["e_wanted_dbuvm"].values - ds["e_usable_dbuvm"].values
    judged = np.zeros_like(inside)
    judged[1:-1, 1:-1] = True
    judged &= np.isfinite(margin) & (np.abs(np.nan_to_num(margin)) > 1e-6)
    cov = ds["covered"].values == 1
    assert judged.sum() > 100 and cov[judged].any() and (~cov[judged]).any()
    assert np.array_equal(inside[judged], cov[judged])


def test_coverage_levels_and_kml(tmp_path, capsys):
    tif, kml = tmp_path / "c.tif", tmp_path / "c.kml"
    assert main(["broadcast", "coverage", "--station", "31.25,121.45", "--f-mhz", "600", "--erp-dbw", "40", "--h-m",
                 "150", "--radius-km", "10", "--shape", "20", "20", "--geotiff", str(tif), "--kml", str(kml),
                 "--levels", "60,70", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["written"] == [str(tif), str(kml)]
    assert gis.read_geotiff(tif).name == "e_dbuvm"
    assert [r["folder"] for r in gis.vector.read_kml(kml)] == ["≥ 60 dB(uV/m)", "≥ 70 dB(uV/m)"]


@pytest.mark.parametrize("argv, msg", [
    (["--geotiff", "{net}"], "is the input"),
    (["--geotiff", "{d}/a.nc", "--netcdf", "{d}/a.nc"], "name the same file"),
    (["--geotiff", "{d}/a.tif", "--kml", "{d}/a_ci.tif"], "name the same file"),  # the C/I companion
    (["--geojson", "{d}/a.geojson", "--levels", "1,x"], "comma-separated"),
])
def test_refused_outputs_exit_2_one_line_nothing_written(tmp_path, capsys, argv, msg):
    f = _net(tmp_path)
    d = tmp_path / "out"
    d.mkdir()
    usage = False
    try:
        rc = main(["broadcast", "best-server", "--stations", str(f), *SMALL,
                   *[a.format(d=d, net=f) for a in argv]])
    except SystemExit as exc:  # argparse type errors: the usage, then the one error line
        rc, usage = exc.code, True
    assert rc == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert (usage or len(err) == 1) and msg in err[-1], err
    assert not list(d.iterdir()) and json.loads(f.read_text()) == NET
