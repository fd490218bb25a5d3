"""Land cover -> clutter: class tables, a generated raster (GeoTIFF and NetCDF), a user table,
errors naming the point / class / file."""
from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from spectrum import terrain
from spectrum.terrain import landcover as lc


def _raster(tmp_path, codes):
    """A 3 x 4 block raster of classes over 31.0-31.3 N, 121.0-121.4 E (0.001 deg pixels)."""
    rasterio = pytest.importorskip("rasterio", reason="the [gis] extra (rasterio) is not installed")
    blocks = np.asarray(codes, np.uint8)  # rows from the north
    z = np.kron(blocks, np.ones((100, 100), np.uint8))
    p = tmp_path / "lc.tif"
    with rasterio.open(p, "w", driver="GTiff", height=z.shape[0], width=z.shape[1], count=1, dtype="uint8",
                       crs="EPSG:4326", transform=rasterio.transform.from_origin(121.0, 31.3, 0.001, 0.001),
                       nodata=0) as ds:
        ds.write(z, 1)
    return p


WC = [[10, 50, 80, 40], [30, 50, 50, 95], [0, 20, 60, 10]]


def test_worldcover_along_a_profile_and_at_terminals(tmp_path):
    p = _raster(tmp_path, WC)
    grid = lc.load_landcover(p)
    assert grid.dims == ("lat", "lon") and int((grid.values == -1).sum()) == 100 * 100
    # west -> east along the top row of blocks: tree cover, built-up, water, cropland
    lon = np.array([121.05, 121.15, 121.25, 121.35])
    lat = np.full(4, 31.25)
    c = lc.clutter_along(grid, lat, lon)
    assert list(c.land_cover) == [10, 50, 80, 40]
    assert list(c.p1812) == [4, 4, 1, 2] and list(c.r_m) == [15.0, 15.0, 0.0, 0.0]
    assert list(c.p2108) == [5, 4, 1, 2]
    assert list(c.ha_m) == [15.0, 20.0, 0.0, 4.0] and list(c.dk_km) == [0.05, 0.02, 0.0, 0.1]
    t = lc.terminal_clutter(p, 31.15, 121.35)  # mangroves
    assert t["class_name"] == "mangroves" and t["p2108_name"] == "trees/forest" and t["r_m"] == 15.0
    # a padded 2-D batch with NaN padding is fine
    c2 = lc.clutter_along(grid, np.array([[31.25, np.nan]]), np.array([[121.05, np.nan]]), outside="unknown")
    assert c2.p1812[0, 0] == 4 and c2.p1812[0, 1] == 0 and np.isnan(c2.r_m[0, 1])


def test_profile_clutter_feeds_p1812(tmp_path):
    from spectrum.propagation import p1812

    p = _raster(tmp_path, WC)
    dem = terrain.synthetic_dem(31.0, 31.3, 121.0, 121.4, res_arcsec=9.0, seed=1)
    d, h, la, lo = terrain.profile(dem, (31.25, 121.02), (31.25, 121.38), return_latlon=True)
    c = lc.clutter_along(p, la, lo)
    assert set(np.unique(c.p1812)) <= {1, 2, 4} and np.all(np.isfinite(c.r_m))
    r = p1812.basic_transmission_loss(d, h, 0.6, 50.0, 10.0, 10.0, lat=31.25, r_m=c.r_m, ct=c.p1812,
                                      zone=np.full(d.size, 4))
    assert np.isfinite(r.lb).all()


def test_outside_and_unknown_classes_are_errors(tmp_path):
    p = _raster(tmp_path, WC)
    with pytest.raises(ValueError, match=r"point \(31\.05000, 121\.05000\) has no land-cover data"):
        lc.clutter_along(p, [31.05], [121.05])  # the no-data block
    with pytest.raises(ValueError, match=r"has no land-cover data"):
        lc.clutter_along(p, [40.0], [121.05])
    with pytest.raises(ValueError, match=r"classes \[50\] are not in the class table"):
        lc.clutter_along(p, [31.25], [121.15], scheme="corine")


def test_corine_and_user_table(tmp_path):
    la = np.array([45.0, 45.1])
    lo = np.array([7.0, 7.1, 7.2])
    z = np.array([[111, 312, 523], [112, 211, 999]], np.int16)
    ds = xr.Dataset({"clc": (("lat", "lon"), z)}, coords={"lat": la, "lon": lo})
    f = tmp_path / "clc.nc"
    ds.to_netcdf(f, engine="h5netcdf")
    c = lc.clutter_along(f, [45.0, 45.0, 45.1, 45.0], [7.0, 7.1, 7.0, 7.2], scheme="corine")
    assert list(c.p1812) == [5, 4, 3, 1] and list(c.p2108) == [6, 5, 3, 1]
    assert list(c.ha_m) == [25.0, 20.0, 9.0, 0.0]
    table = tmp_path / "map.csv"
    table.write_text("class,p1812,p2108,r_m,p452_17,name\n999,3,3,12,dense suburban,campus\n")
    c = lc.clutter_along(f, [45.1], [7.2], scheme=table)
    assert c.r_m[0] == 12.0 and c.ha_m[0] == 12.0 and c.p2108[0] == 3
    table.write_text("class,p1812,p2108\n999,9,3\n")
    with pytest.raises(ValueError, match=r"map.csv: row 2: p1812 = 9 must be 1..5"):
        lc.load_mapping(table)
    table.write_text("code,r\n1,2\n")
    with pytest.raises(ValueError, match=r"map.csv: a land-cover mapping table needs the columns"):
        lc.load_mapping(table)


def test_tables_are_complete_and_consistent():
    for scheme in (lc.WORLDCOVER, lc.CORINE):
        for code, c in scheme.items():
            assert c.p1812 in lc.P1812_NAMES and c.p2108 in lc.P2108_NAMES
            assert c.p452_17 is None or c.p452_17 in lc.P452_TABLE4
            assert (c.p1812 == 1) == (c.p2108 == 1)  # water is water in both
    assert len(lc.WORLDCOVER) == 11 and len(lc.CORINE) == 44


def test_cli_profile_landcover(tmp_path, capsys):
    import json

    from spectrum import cli

    p = _raster(tmp_path, WC)
    assert cli.main(["profile", "--tx", "31.25,121.02", "--rx", "31.25,121.38", "--landcover", str(p), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["clutter"]["tx"]["class_name"] == "tree cover" and doc["clutter"]["rx"]["p1812"] == 2
    assert len(doc["r_m"]) == doc["n_points"] and set(doc["ct_p1812"]) == {1, 2, 4}
    assert cli.main(["profile", "--tx", "31.05,121.02", "--rx", "31.25,121.38", "--landcover", str(p)]) == 2
    assert "no land-cover data" in capsys.readouterr().err
