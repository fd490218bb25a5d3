"""Tile catalogues: index and cache, lazy tiles, seamless mosaic, finest source first, missing
coverage named, the terrain API (profiles, radials, points, zones) and the CLI on a catalogue."""
from __future__ import annotations

import json
import os
import time

import numpy as np
import pytest
import xarray as xr

from spectrum import cli, terrain


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_CACHE_DIR", str(tmp_path / "cache"))


def _hgt_tiles(folder, lats, lons, n=1201):
    """SRTM tiles whose heights are linear in the global post index: z = I + 2 J (mod nothing),
    so a bilinear sample anywhere equals the same linear function -- seams would show."""
    folder.mkdir(parents=True, exist_ok=True)
    res = 1.0 / (n - 1)
    la_o, lo_o = min(lats), min(lons)
    for la in lats:
        for lo in lons:
            i = np.round((la + 1.0 - np.arange(n) * res - la_o) / res)  # rows from the north
            j = np.round((lo + np.arange(n) * res - lo_o) / res)
            z = (i[:, None] + 2.0 * j[None, :]).astype(np.int16)
            z.astype(">i2").tofile(folder / f"N{la:02d}E{lo:03d}.hgt")
    return lambda lat, lon: (np.asarray(lat) - la_o) / res + 2.0 * (np.asarray(lon) - lo_o) / res


def test_profiles_across_tile_edges_are_seamless_and_equal_the_mosaic(tmp_path):
    f = _hgt_tiles(tmp_path / "t", (40, 41), (6, 7))
    cat = terrain.Catalogue.open(tmp_path / "t")
    assert len(cat.tiles) == 4 and len(cat.lv) == 1
    d, h, la, lo = terrain.profile(cat, (40.2, 6.1), (41.7, 7.9), return_latlon=True)
    np.testing.assert_allclose(h, f(la, lo), atol=1e-6)
    m = terrain.mosaic(sorted((tmp_path / "t").glob("*.hgt")))
    d2, h2 = terrain.profile(m, (40.2, 6.1), (41.7, 7.9))
    np.testing.assert_allclose(h, h2, atol=1e-9)
    # batch, radials and points
    la1 = np.array([40.1, 40.5, 41.9]); lo1 = np.array([6.1, 7.9, 6.5])
    la2 = np.array([41.9, 40.6, 40.1]); lo2 = np.array([7.9, 6.2, 7.5])
    dd, hh, nn, pla, plo = terrain.profiles(cat, la1, lo1, la2, lo2, step_m=500.0, return_latlon=True)
    for i in range(3):
        np.testing.assert_allclose(hh[i, :nn[i]], f(pla[i, :nn[i]], plo[i, :nn[i]]), atol=1e-6)
    rad = terrain.radial_profiles(cat, 41.0, 7.0, 20.0, n_radials=36, step_m=300.0)
    np.testing.assert_allclose(rad.heights, f(rad.lat, rad.lon), atol=1e-6)
    assert terrain.elevation_m(cat, 41.0, 7.0) == pytest.approx(float(f(41.0, 7.0)))


def test_pixel_is_area_tiles_have_no_gap(tmp_path):
    """Two GeoTIFF tiles with pixel centres half a pixel inside each edge: the strip between the
    last centre of one and the first of the other is interpolated across both tiles."""
    rasterio = pytest.importorskip("rasterio", reason="the [gis] extra (rasterio) is not installed")
    res = 0.01
    (tmp_path / "g").mkdir()
    for k, lo0 in enumerate((10.0, 11.0)):
        lon = lo0 + (np.arange(100) + 0.5) * res
        lat = 51.0 - (np.arange(100) + 0.5) * res
        z = (100.0 + 50.0 * lon[None, :] + 20.0 * lat[:, None]).astype(np.float32)
        with rasterio.open(tmp_path / "g" / f"t{k}.tif", "w", driver="GTiff", height=100, width=100, count=1,
                           dtype="float32", crs="EPSG:4326",
                           transform=rasterio.transform.from_origin(lo0, 51.0, res, res)) as ds:
            ds.write(z, 1)
    cat = terrain.Catalogue.open(tmp_path / "g")
    lon = np.linspace(10.99, 11.01, 21)
    h = terrain.elevation_m(cat, np.full(lon.size, 50.5), lon)
    np.testing.assert_allclose(h, 100.0 + 50.0 * lon + 20.0 * 50.5, atol=2e-3)  # float32 storage


def test_finest_source_wins_where_tiles_overlap(tmp_path):
    f = _hgt_tiles(tmp_path / "m" / "fine", (40,), (6,))
    lat = np.arange(39.0, 43.0 + 1e-9, 0.25)
    lon = np.arange(5.0, 9.0 + 1e-9, 0.25)
    coarse = xr.Dataset({"elevation": (("lat", "lon"), np.full((lat.size, lon.size), 7.0), {"units": "m"})},
                        coords={"lat": ("lat", lat, {"units": "degrees_north"}),
                                "lon": ("lon", lon, {"units": "degrees_east"})})
    coarse.to_netcdf(tmp_path / "m" / "coarse.nc", engine="h5netcdf")
    cat = terrain.Catalogue.open(tmp_path / "m")
    assert len(cat.lv) == 2 and cat.lv[0][1] < cat.lv[1][1]
    h = terrain.elevation_m(cat, [40.5, 42.0], [6.5, 8.0])
    assert h[0] == pytest.approx(float(f(40.5, 6.5))) and h[1] == 7.0
    d, hp, la, lo = terrain.profile(cat, (40.5, 6.5), (40.5, 7.5), return_latlon=True)
    inside = lo <= 7.0
    np.testing.assert_allclose(hp[inside], f(la[inside], lo[inside]), atol=1e-6)
    assert np.all(hp[lo > 7.0 + 1.0 / 1200] == 7.0)


def test_missing_coverage_is_named(tmp_path):
    _hgt_tiles(tmp_path / "t", (31,), (121,))
    _hgt_tiles(tmp_path / "t", (31,), (123,))  # a hole at 122 E
    cat = terrain.Catalogue.open(tmp_path / "t")
    with pytest.raises(ValueError, match=r"the path leaves the terrain data \(.*\) at 31\.5 N 122\.0 E"):
        terrain.profile(cat, (31.5, 121.5), (31.5, 123.5))
    with pytest.raises(ValueError, match=r"path 1: it leaves the terrain data .* at 31\.\d N 122\.0 E"):
        terrain.profiles(cat, [31.2, 31.5], [121.2, 121.5], [31.4, 31.5], [121.4, 123.5])
    d, h, n = terrain.profiles(cat, [31.2, 31.5], [121.2, 121.5], [31.4, 31.5], [121.4, 123.5], on_error="skip")
    assert n[0] > 0 and n[1] == 0
    with pytest.raises(ValueError, match=r"point .* is outside the terrain data"):
        terrain.elevation_m(cat, 31.5, 122.5)


def test_only_touched_tiles_are_loaded(tmp_path):
    _hgt_tiles(tmp_path / "t", (40, 41, 42), (6, 7, 8))
    cat = terrain.Catalogue.open(tmp_path / "t")
    terrain.profile(cat, (40.2, 6.2), (40.8, 6.9))
    loaded = {cat.tiles[t]["path"] for t in cat._packed[0]}
    assert loaded == {"N40E006.hgt"}
    terrain.profile(cat, (40.2, 6.2), (40.2, 7.5))
    assert {cat.tiles[t]["path"] for t in cat._packed[0]} == {"N40E006.hgt", "N40E007.hgt"}


def test_index_is_cached_and_refreshed_for_changed_files(tmp_path):
    _hgt_tiles(tmp_path / "t", (40,), (6, 7))
    (tmp_path / "t" / "sub").mkdir()
    np.full((1201, 1201), 5, ">i2").tofile(tmp_path / "t" / "sub" / "N41E006.hgt")  # recursive
    (tmp_path / "t" / "N42E006.hgt").write_bytes(b"broken")
    cat = terrain.Catalogue.open(tmp_path / "t")
    assert cat.index_path.exists() and str(tmp_path / "cache") in str(cat.index_path)
    assert len(cat.tiles) == 3 and [e["path"] for e in cat.entries if e["status"] != "ok"] == ["N42E006.hgt"]
    assert all(len(e["checksum"]) == 32 for e in cat.entries)
    doc = json.loads(cat.index_path.read_text())
    assert {e["path"] for e in doc["entries"]} == {"N40E006.hgt", "N40E007.hgt", "N42E006.hgt", "sub/N41E006.hgt"}
    before = cat.index_path.stat().st_mtime_ns
    time.sleep(0.01)
    terrain.Catalogue.open(tmp_path / "t")  # nothing changed: the index is not rewritten
    assert cat.index_path.stat().st_mtime_ns == before
    p = tmp_path / "t" / "sub" / "N41E006.hgt"
    np.full((1201, 1201), 9, ">i2").tofile(p)
    os.utime(p, ns=(time.time_ns(), time.time_ns() + 10**9))
    cat2 = terrain.Catalogue.open(tmp_path / "t")
    assert [e["max_m"] for e in cat2.entries if e["path"] == "sub/N41E006.hgt"] == [9.0]


def test_folder_path_works_where_a_dem_does(tmp_path):
    _hgt_tiles(tmp_path / "t", (40,), (6,))
    b = terrain.dem_bounds(str(tmp_path / "t"))
    assert b == pytest.approx((40.0, 41.0, 6.0, 7.0))
    assert terrain.dem_resolution_m(tmp_path / "t") == pytest.approx(92.66, abs=0.01)
    crop = terrain.crop_dem(tmp_path / "t", (40.2, 40.3, 6.2, 6.3))
    assert crop.dims == ("lat", "lon") and float(crop.min()) > 0


def test_zones_from_a_catalogue(tmp_path):
    """Sea flagged in a tile (no-data sea) reaches the zone map and profile_zones."""
    lat = np.linspace(30.0, 31.5, 181)
    lon = np.linspace(120.0, 122.0, 241)
    z = np.full((lat.size, lon.size), 30.0)
    z[:, 150:] = -999.0
    ds = xr.Dataset({"elevation": (("lat", "lon"), z.astype(np.int16), {"units": "m", "_FillValue": -999})},
                    coords={"lat": ("lat", lat, {"units": "degrees_north"}), "lon": ("lon", lon, {"units": "degrees_east"})})
    (tmp_path / "z").mkdir()
    ds.to_netcdf(tmp_path / "z" / "coast.nc", engine="h5netcdf")
    cat = terrain.Catalogue.open(tmp_path / "z")
    zmap = terrain.radio_climatic_zones(cat)
    assert int(zmap.sel(lat=30.7, lon=121.8, method="nearest")) == terrain.ZONE_SEA
    assert int(zmap.sel(lat=30.7, lon=121.0, method="nearest")) == terrain.ZONE_COASTAL_LAND
    d, h, la, lo = terrain.profile(cat, (30.7, 120.2), (30.7, 121.9), return_latlon=True)
    pz = terrain.profile_zones(cat, la, lo, d)
    x_coast = 120.0 + 149.5 / 240 * 2.0
    d_coast = float(d[np.argmax(lo > x_coast)])
    assert pz.dct_km == pytest.approx(d_coast, abs=1.0) and pz.dcr_km == 0.0
    assert pz.omega == pytest.approx((d[-1] - d_coast) / d[-1], abs=0.01)
    assert pz.dtm_km == pytest.approx(d_coast, abs=1.0)


def test_cli_terrain_index_and_info_on_a_folder(tmp_path, capsys):
    _hgt_tiles(tmp_path / "t", (40,), (6, 8))
    (tmp_path / "t" / "N41E006.hgt").write_bytes(b"xx")
    assert cli.main(["terrain", "index", str(tmp_path / "t"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["n_files"] == 3 and doc["n_usable"] == 2 and "not an SRTM tile" in doc["rejected"][0]["error"]
    assert cli.main(["terrain", "info", str(tmp_path / "t"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["kind"] == "catalogue" and doc["resolutions_arcsec"] == [[3.0, 3.0]]
    assert {"lat_min": 40, "lat_max": 41, "lon_min": 7, "lon_max": 8} in doc["gaps_1deg"]
    assert cli.main(["terrain", "info", str(tmp_path / "t")]) == 0
    out = capsys.readouterr().out
    assert "REJECTED" in out and "2 usable of 3" in out
    assert cli.main(["terrain", "index", str(tmp_path / "t" / "N40E006.hgt")]) == 2


def test_spectrum_terrain_env_sets_the_default(tmp_path, monkeypatch, capsys):
    _hgt_tiles(tmp_path / "t", (40,), (6,))
    monkeypatch.setenv("SPECTRUM_TERRAIN", str(tmp_path / "t"))
    assert cli.main(["profile", "--tx", "40.2,6.2", "--rx", "40.5,6.6", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert "terrain catalogue" in doc["dem_source"]
    monkeypatch.setenv("SPECTRUM_TERRAIN", str(tmp_path / "nothing"))
    assert cli.main(["profile", "--tx", "40.2,6.2", "--rx", "40.5,6.6"]) == 2
    assert "SPECTRUM_TERRAIN" in capsys.readouterr().err


def test_evaluation_and_coverage_run_on_a_catalogue(tmp_path):
    """The evaluation and coverage code, unchanged, on a folder of tiles (synthetic terrain split
    into two NetCDF tiles) gives the same results as on the one grid."""
    from spectrum import coverage
    from spectrum.datasets.register import sample_register
    from spectrum.datasets.requests import sample_request
    from spectrum.evaluation import evaluate_request

    dem = terrain.synthetic_dem(30.9, 31.5, 121.0, 121.8, res_arcsec=9.0, seed=4, coast="east")
    (tmp_path / "s").mkdir()
    n = dem.sizes["lon"] // 2
    terrain.save_dem(dem.isel(lon=slice(0, n + 1)), tmp_path / "s" / "w.nc")
    terrain.save_dem(dem.isel(lon=slice(n, None)), tmp_path / "s" / "e.nc")
    cat = terrain.Catalogue.open(tmp_path / "s")
    req = sample_request()
    reg = sample_register()
    try:
        a = evaluate_request(reg, req, dem=dem, max_distance_km=40.0).to_dict()
        b = evaluate_request(reg, req, dem=cat, max_distance_km=40.0).to_dict()
    finally:
        reg.close()
    assert a["decision"] == b["decision"]
    ma = [v["margin_db"] for v in a["victims"]]
    mb = [v["margin_db"] for v in b["victims"]]
    np.testing.assert_allclose(np.asarray(mb, float), np.asarray(ma, float), atol=0.05, equal_nan=True)
    from spectrum.commands.coverage import demo_station

    import dataclasses

    st = dataclasses.replace(demo_station(), lat=31.2, lon=121.4)
    ga = coverage.field_strength_map(dem, st, "p452", radius_km=8.0, n_radials=36, shape=(12, 12))
    gb = coverage.field_strength_map(cat, st, "p452", radius_km=8.0, n_radials=36, shape=(12, 12))
    np.testing.assert_allclose(gb.values, ga.values, atol=0.05, equal_nan=True)
