"""Tests of spectrum.terrain: DEM readers, mosaic, synthetic terrain, profile kernels.

The kernels are checked against a slow, obvious pure-Python oracle (bisect the coordinate
arrays, interpolate the four neighbours; walk the great circle with geo.destination).
"""
from __future__ import annotations

import bisect
import math
import zipfile

import numpy as np
import pytest
import xarray as xr

from spectrum import geo, terrain
from spectrum.datasets import terrain as dterrain


# ---- helpers ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_dem():
    """0.2 x 0.3 deg of hilly synthetic terrain at 3 arc-seconds (241 x 361)."""
    return terrain.synthetic_dem(31.0, 31.2, 121.0, 121.3, res_arcsec=3.0, seed=7, hills="all", relief_m=300.0)


def naive_bilinear(dem: xr.DataArray, lat: float, lon: float) -> float:
    """Slow, obvious bilinear interpolation: bisect the coordinates, weight the 4 neighbours."""
    lats = [float(x) for x in dem["lat"].values]
    lons = [float(x) for x in dem["lon"].values]
    if not (lats[0] - 1e-9 <= lat <= lats[-1] + 1e-9 and lons[0] - 1e-9 <= lon <= lons[-1] + 1e-9):
        raise AssertionError("outside")
    i = min(max(bisect.bisect_right(lats, lat) - 1, 0), len(lats) - 2)
    j = min(max(bisect.bisect_right(lons, lon) - 1, 0), len(lons) - 2)
    ty = (lat - lats[i]) / (lats[i + 1] - lats[i])
    tx = (lon - lons[j]) / (lons[j + 1] - lons[j])
    z = dem.values
    top = z[i + 1, j] * (1 - tx) + z[i + 1, j + 1] * tx
    bottom = z[i, j] * (1 - tx) + z[i, j + 1] * tx
    return float(bottom * (1 - ty) + top * ty)


def naive_profile(dem, tx, rx, n):
    """n equally spaced points by walking the initial bearing (geo.destination), naive bilinear."""
    d = float(geo.distance_km(*tx, *rx))
    b = float(geo.bearing_deg(*tx, *rx))
    ds, hs = [], []
    for k in range(n):
        dk = d * k / (n - 1)
        la, lo = geo.destination(tx[0], tx[1], b, dk)
        ds.append(dk)
        hs.append(naive_bilinear(dem, float(la), float(lo)))
    return np.array(ds), np.array(hs)


def write_hgt(path, a):
    np.asarray(a, dtype=">i2").tofile(path)


def write_geotiff(path, data, x0, y0, sx, sy, *, pixel_is_point=False, model_type=2, nodata=None):
    import tifffile

    keys = [1, 1, 0, 3,
            1024, 0, 1, model_type,
            1025, 0, 1, 2 if pixel_is_point else 1,
            2048, 0, 1, 4326]
    extratags = [(33550, "d", 3, (sx, sy, 0.0), False),
                 (33922, "d", 6, (0.0, 0.0, 0.0, x0, y0, 0.0), False),
                 (34735, "H", len(keys), keys, False)]
    if nodata is not None:
        extratags.append((42113, "s", 0, str(nodata), False))
    tifffile.imwrite(path, data, extratags=extratags)


# ---- SRTM .hgt ------------------------------------------------------------------------------

@pytest.mark.parametrize("n, arcsec", [(1201, 3.0), (3601, 1.0)])
def test_load_hgt_orientation_coords_voids(tmp_path, n, arcsec):
    rows = np.arange(n, dtype=np.int16)[:, None] * np.ones((1, n), np.int16)  # value = row from the north
    a = rows.copy()
    a[10, 20] = -32768
    p = tmp_path / "N31E121.hgt"
    write_hgt(p, a)
    dem = terrain.load_dem(p)
    assert dem.dims == ("lat", "lon") and dem.shape == (n, n)
    assert dem.attrs["units"] == "m" and str(p) in dem.attrs["source"]
    assert dem.dtype == np.float64
    lat, lon = dem["lat"].values, dem["lon"].values
    assert lat[0] == pytest.approx(31.0) and lat[-1] == pytest.approx(32.0)
    assert lon[0] == pytest.approx(121.0) and lon[-1] == pytest.approx(122.0)
    assert np.diff(lat) == pytest.approx(arcsec / 3600.0)
    assert np.all(np.diff(lat) > 0) and np.all(np.diff(lon) > 0)
    # row 0 of the file is the northern edge (lat 32)
    assert np.all(dem.values[-1, 1:] == 0.0)
    assert np.all(dem.values[0, :] == n - 1)
    assert np.isnan(dem.values[n - 1 - 10, 20])
    assert np.isnan(dem.values).sum() == 1


def test_load_hgt_southern_western_name(tmp_path):
    p = tmp_path / "S34W071.hgt"
    write_hgt(p, np.zeros((1201, 1201)))
    lat0, lat1, lon0, lon1 = terrain.dem_bounds(terrain.load_dem(p))
    assert (lat0, lat1, lon0, lon1) == pytest.approx((-34.0, -33.0, -71.0, -70.0))


def test_load_hgt_zip(tmp_path):
    raw = (np.arange(1201 * 1201) % 500).astype(">i2").tobytes()
    z = tmp_path / "N31E121.hgt.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("N31E121.hgt", raw)
    dem = terrain.load_dem(z)
    assert dem.shape == (1201, 1201) and terrain.dem_bounds(dem)[0] == pytest.approx(31.0)


def test_truncated_hgt_is_rejected(tmp_path):
    p = tmp_path / "N31E121.hgt"
    write_hgt(p, np.zeros(1201 * 1200))
    with pytest.raises(ValueError, match=r"not an SRTM tile.*truncated"):
        terrain.load_dem(p)


def test_hgt_without_corner_in_name_is_rejected(tmp_path):
    p = tmp_path / "tile.hgt"
    write_hgt(p, np.zeros((1201, 1201)))
    with pytest.raises(ValueError, match="SW corner"):
        terrain.load_dem(p)


def test_missing_and_unknown_files(tmp_path):
    with pytest.raises(FileNotFoundError):
        terrain.load_dem(tmp_path / "N00E000.hgt")
    p = tmp_path / "dem.xyz"
    p.write_text("1 2 3")
    with pytest.raises(ValueError, match="unknown DEM format"):
        terrain.load_dem(p)


# ---- mosaic ---------------------------------------------------------------------------------

def test_mosaic_adjacent_hgt_tiles(tmp_path):
    rng = np.random.default_rng(3)
    west = rng.integers(0, 400, (1201, 1201)).astype(np.int16)
    east = rng.integers(0, 400, (1201, 1201)).astype(np.int16)
    east[:, 0] = west[:, -1]  # adjacent SRTM tiles share the edge column
    north = rng.integers(0, 400, (1201, 1201)).astype(np.int16)
    north[-1, :] = west[0, :]  # ... and the edge row (file row 0 is north)
    write_hgt(tmp_path / "N31E121.hgt", west)
    write_hgt(tmp_path / "N31E122.hgt", east)
    write_hgt(tmp_path / "N32E121.hgt", north)
    m = terrain.mosaic([tmp_path / "N31E121.hgt", tmp_path / "N31E122.hgt", tmp_path / "N32E121.hgt"])
    assert m.shape == (2401, 2401)
    assert terrain.dem_bounds(m) == pytest.approx((31.0, 33.0, 121.0, 123.0))
    np.testing.assert_array_equal(m.values[:1201, :1201], west[::-1, :])
    np.testing.assert_array_equal(m.values[:1201, 1200:], east[::-1, :])
    np.testing.assert_array_equal(m.values[1200:, :1201], north[::-1, :])
    # the NE tile is missing: voids
    assert np.isnan(m.values[1201:, 1201:]).all()
    lat = m["lat"].values
    assert np.allclose(np.diff(lat), 1 / 1200) and len(np.unique(np.round(lat, 9))) == lat.size


def test_mosaic_rejects_mixed_resolution(small_dem):
    other = terrain.synthetic_dem(31.2, 31.3, 121.0, 121.3, res_arcsec=1.0, seed=1)
    with pytest.raises(ValueError, match="resolution"):
        terrain.mosaic([small_dem, other])


# ---- GeoTIFF --------------------------------------------------------------------------------

@pytest.mark.parametrize("pixel_is_point", [False, True])
def test_load_geotiff(tmp_path, pixel_is_point):
    rng = np.random.default_rng(0)
    data = rng.integers(-10, 800, (50, 80)).astype(np.int16)
    data[5, 6] = -32768
    res = 1.0 / 1200.0
    x0, y0 = 121.0, 31.5
    p = tmp_path / "dem.tif"
    write_geotiff(p, data, x0, y0, res, res, pixel_is_point=pixel_is_point)
    dem = terrain.load_dem(p)
    assert dem.shape == (50, 80) and dem.attrs["units"] == "m"
    off = 0.0 if pixel_is_point else 0.5 * res
    assert float(dem["lon"][0]) == pytest.approx(x0 + off)
    assert float(dem["lat"][-1]) == pytest.approx(y0 - off)  # first raster row is the north
    assert float(dem["lat"][0]) == pytest.approx(y0 - off - 49 * res)
    np.testing.assert_array_equal(np.nan_to_num(dem.values[::-1, :], nan=-32768), data)
    assert np.isnan(dem.values[49 - 5, 6])


def test_load_geotiff_float_with_gdal_nodata(tmp_path):
    data = np.full((20, 30), 12.5, np.float32)
    data[3, 4] = -9999.0
    p = tmp_path / "dem.tiff"
    write_geotiff(p, data, 10.0, 50.0, 0.01, 0.01, nodata=-9999)
    dem = terrain.load_dem(p)
    assert np.isnan(dem.values).sum() == 1 and np.nanmax(dem.values) == 12.5


def test_geotiff_projected_is_rejected(tmp_path):
    p = tmp_path / "utm.tif"
    write_geotiff(p, np.zeros((10, 10), np.int16), 300000.0, 3500000.0, 30.0, 30.0, model_type=1)
    with pytest.raises(ValueError, match="projected CRS.*\\[gis\\]"):
        terrain.load_dem(p, engine="native")
    pytest.importorskip("rasterio", reason="the [gis] extra (rasterio) is not installed")
    # projected, but no projection named: GDAL sees an engineering CRS that cannot become lat/lon
    with pytest.raises(ValueError, match="utm.tif: no usable georeference"):
        terrain.load_dem(p)


def test_plain_tiff_without_georeferencing_is_rejected(tmp_path):
    import tifffile

    p = tmp_path / "plain.tif"
    tifffile.imwrite(p, np.zeros((10, 10), np.int16))
    with pytest.raises(ValueError, match="no georeferencing|no usable georeference"):
        terrain.load_dem(p)


def test_corrupt_tiff_is_rejected(tmp_path):
    good = tmp_path / "good.tif"
    write_geotiff(good, np.zeros((64, 64), np.int16), 121.0, 31.5, 0.001, 0.001)
    bad = tmp_path / "bad.tif"
    bad.write_bytes(good.read_bytes()[:200])  # truncated
    with pytest.raises(ValueError, match="bad.tif"):
        terrain.load_dem(bad)
    junk = tmp_path / "junk.tif"
    junk.write_bytes(b"this is not a tiff at all" * 10)
    with pytest.raises(ValueError, match="not a readable TIFF|unreadable raster"):
        terrain.load_dem(junk)


# ---- NetCDF ---------------------------------------------------------------------------------

@pytest.mark.parametrize("latname, lonname", [("lat", "lon"), ("latitude", "longitude"), ("y", "x")])
def test_load_netcdf_names_and_descending_lat(tmp_path, latname, lonname):
    lat = np.linspace(31.5, 31.0, 11)  # descending, as many grids are
    lon = np.linspace(121.0, 121.6, 13)
    z = np.add.outer(lat * 100, lon)
    ds = xr.Dataset({"elevation": ((latname, lonname), z, {"units": "m"}),
                     "other": (("t",), np.arange(3.0))},
                    coords={latname: (latname, lat, {"units": "degrees_north"}),
                            lonname: (lonname, lon, {"units": "degrees_east"})})
    p = tmp_path / "dem.nc"
    ds.to_netcdf(p, engine="h5netcdf")
    dem = terrain.load_dem(p)
    assert dem.dims == ("lat", "lon") and dem.shape == (11, 13)
    assert np.all(np.diff(dem["lat"].values) > 0)
    np.testing.assert_allclose(dem.values, z[::-1, :])


def test_load_netcdf_units_km(tmp_path):
    ds = xr.Dataset({"z": (("lat", "lon"), np.full((3, 4), 0.25), {"units": "km"})},
                    coords={"lat": [0.0, 1.0, 2.0], "lon": [0.0, 1.0, 2.0, 3.0]})
    p = tmp_path / "km.nc"
    ds.to_netcdf(p, engine="h5netcdf")
    assert terrain.load_dem(p).values == pytest.approx(250.0)


def test_non_dem_netcdf_is_rejected(tmp_path):
    ds = xr.Dataset({"temperature": (("time",), np.arange(5.0))}, coords={"time": np.arange(5)})
    p = tmp_path / "notdem.nc"
    ds.to_netcdf(p, engine="h5netcdf")
    with pytest.raises(ValueError, match="not a DEM NetCDF"):
        terrain.load_dem(p)
    junk = tmp_path / "junk.nc"
    junk.write_bytes(b"\x00garbage" * 100)
    with pytest.raises(ValueError, match="not a readable NetCDF"):
        terrain.load_dem(junk)


def test_netcdf_irregular_grid_is_rejected(tmp_path):
    ds = xr.Dataset({"elevation": (("lat", "lon"), np.zeros((3, 3)))},
                    coords={"lat": [0.0, 1.0, 3.0], "lon": [0.0, 1.0, 2.0]})
    p = tmp_path / "irr.nc"
    ds.to_netcdf(p, engine="h5netcdf")
    with pytest.raises(ValueError, match="not regularly spaced"):
        terrain.load_dem(p)


# ---- synthetic terrain ----------------------------------------------------------------------

def test_synthetic_dem_is_seeded_and_shaped():
    a = terrain.synthetic_dem(31.0, 31.1, 121.0, 121.2, res_arcsec=3.0, seed=5)
    b = terrain.synthetic_dem(31.0, 31.1, 121.0, 121.2, res_arcsec=3.0, seed=5)
    c = terrain.synthetic_dem(31.0, 31.1, 121.0, 121.2, res_arcsec=3.0, seed=6)
    assert a.shape == (121, 241)
    assert terrain.dem_bounds(a) == pytest.approx((31.0, 31.1, 121.0, 121.2))
    np.testing.assert_array_equal(a.values, b.values)
    assert not np.array_equal(a.values, c.values)
    assert np.isfinite(a.values).all() and a.attrs["units"] == "m"


def test_synthetic_dem_relief_and_coast():
    dem = terrain.synthetic_dem(10.0, 10.5, 20.0, 20.5, res_arcsec=6.0, seed=1, hills="nw", coast="south",
                                relief_m=400.0, sea_fraction=0.3)
    z = dem.values
    n = z.shape[0]
    assert np.all(z[: n // 10] == 0.0)  # the southern strip is sea
    assert np.all(z >= 0.0)
    nw = z[-n // 4:, : n // 4]
    east_land = z[n // 2: n // 2 + n // 8, -n // 4:]
    assert nw.max() > 150.0  # hills toward the NW corner
    assert east_land.max() < 60.0  # plain elsewhere
    # rough, not smooth: a 1/k^beta field has energy at short scales
    assert np.abs(np.diff(z[-n // 8, : n // 4])).max() > 0.5


def test_synthetic_dem_bad_input():
    with pytest.raises(ValueError, match="empty box"):
        terrain.synthetic_dem(31.0, 30.0, 121.0, 122.0)
    with pytest.raises(ValueError, match="res_arcsec = 0"):
        terrain.synthetic_dem(31.0, 31.1, 121.0, 121.1, res_arcsec=0.0)
    with pytest.raises(ValueError, match="hills"):
        terrain.synthetic_dem(31.0, 31.1, 121.0, 121.1, hills="middle")
    with pytest.raises(ValueError, match="bounds.lat = 95"):
        terrain.synthetic_dem(80.0, 95.0, 121.0, 121.1)


def test_default_dem_shanghai():
    dem = dterrain.default_dem()
    assert dterrain.DEFAULT_BOUNDS == (30.5, 32.0, 120.5, 122.5)
    assert terrain.dem_bounds(dem) == pytest.approx(dterrain.DEFAULT_BOUNDS)
    assert dem.dims == ("lat", "lon") and dem.attrs["units"] == "m"
    assert dterrain.default_dem() is dem  # cached
    if "synthetic" in dem.attrs["source"]:
        assert dem.shape == (1801, 2401)  # 3 arc-seconds
        z = dem.values
        assert np.all(z[:, -100:] == 0.0)  # East China Sea
        sw = dem.sel(lat=slice(30.5, 30.9), lon=slice(120.5, 121.1)).values
        assert 150.0 < sw.max() < 700.0  # hills of a few hundred metres to the south-west
        centre = dem.sel(lat=slice(31.1, 31.4), lon=slice(121.3, 121.6)).values
        assert np.median(centre) < 15.0  # the delta plain is low and flat


# ---- point heights and profiles -------------------------------------------------------------

def test_bilinear_is_exact_on_a_plane():
    lat = np.linspace(30.0, 31.0, 41)
    lon = np.linspace(120.0, 121.5, 61)
    z = 100.0 + 50.0 * (lat[:, None] - 30.0) - 20.0 * (lon[None, :] - 120.0)
    dem = terrain.make_dem(z, lat, lon)
    rng = np.random.default_rng(1)
    pla, plo = rng.uniform(30.0, 31.0, 500), rng.uniform(120.0, 121.5, 500)
    np.testing.assert_allclose(terrain.elevation_m(dem, pla, plo),
                               100.0 + 50.0 * (pla - 30.0) - 20.0 * (plo - 120.0), atol=1e-9)
    # corners and edges are inside
    assert terrain.elevation_m(dem, 31.0, 121.5) == pytest.approx(100 + 50 - 30)
    assert terrain.elevation_m(dem, 30.0, 120.0) == pytest.approx(100.0)


def test_elevation_matches_naive_oracle(small_dem):
    rng = np.random.default_rng(2)
    pla, plo = rng.uniform(31.0, 31.2, 200), rng.uniform(121.0, 121.3, 200)
    fast = terrain.elevation_m(small_dem, pla, plo)
    slow = np.array([naive_bilinear(small_dem, a, b) for a, b in zip(pla, plo)])
    np.testing.assert_allclose(fast, slow, atol=1e-9)
    # grid posts are returned exactly
    i, j = 17, 33
    assert terrain.elevation_m(small_dem, float(small_dem.lat[i]), float(small_dem.lon[j])) == \
        pytest.approx(float(small_dem.values[i, j]), abs=1e-9)


@pytest.mark.parametrize("tx, rx, step", [
    ((31.01, 121.02), (31.19, 121.28), None),
    ((31.19, 121.28), (31.01, 121.02), 30.0),
    ((31.1, 121.0), (31.1, 121.3), 200.0),  # along a parallel (great circle bows north)
    ((31.0, 121.15), (31.2, 121.15), 90.0),  # along a meridian, edge to edge
])
def test_profile_matches_naive_oracle(small_dem, tx, rx, step):
    d, h = terrain.profile(small_dem, tx, rx, step_m=step)
    step_m = step if step is not None else terrain.dem_resolution_m(small_dem)
    total = float(geo.distance_km(*tx, *rx))
    assert d[0] == 0.0 and d[-1] == pytest.approx(total, abs=1e-9)
    assert np.all(np.diff(d) <= step_m / 1000.0 + 1e-12)
    assert d.size == math.ceil(total * 1000.0 / step_m - 1e-9) + 1
    dn, hn = naive_profile(small_dem, tx, rx, d.size)
    np.testing.assert_allclose(d, dn, atol=1e-9)
    np.testing.assert_allclose(h, hn, atol=1e-6)


def test_profile_reverse_is_mirror(small_dem):
    d1, h1 = terrain.profile(small_dem, (31.03, 121.05), (31.17, 121.26))
    d2, h2 = terrain.profile(small_dem, (31.17, 121.26), (31.03, 121.05))
    np.testing.assert_allclose(h1, h2[::-1], atol=1e-6)
    np.testing.assert_allclose(d1, d1[-1] - d2[::-1], atol=1e-9)


def test_profile_default_step_is_dem_resolution(small_dem):
    assert terrain.dem_resolution_m(small_dem) == pytest.approx(math.radians(3 / 3600) * 6371e3)
    d, h, la, lo = terrain.profile(small_dem, (31.05, 121.05), (31.15, 121.25), return_latlon=True)
    assert la[0] == 31.05 and lo[-1] == 121.25
    np.testing.assert_allclose(geo.distance_km(31.05, 121.05, la, lo), d, atol=1e-6)


def test_profiles_batch_equals_single(small_dem):
    rng = np.random.default_rng(11)
    n = 40
    la1, lo1 = rng.uniform(31.0, 31.2, n), rng.uniform(121.0, 121.3, n)
    la2, lo2 = rng.uniform(31.0, 31.2, n), rng.uniform(121.0, 121.3, n)
    d, h, npts, lat, lon = terrain.profiles(small_dem, la1, lo1, la2, lo2, step_m=120.0, return_latlon=True)
    assert d.dtype == h.dtype == np.float64 and npts.dtype == np.int64
    assert d.shape == h.shape == lat.shape == (n, npts.max())
    for i in range(n):
        ds, hs, las, los = terrain.profile(small_dem, (la1[i], lo1[i]), (la2[i], lo2[i]), step_m=120.0,
                                           return_latlon=True)
        k = npts[i]
        assert k == ds.size
        np.testing.assert_array_equal(d[i, :k], ds)
        np.testing.assert_array_equal(h[i, :k], hs)
        np.testing.assert_array_equal(lat[i, :k], las)
        assert np.isnan(h[i, k:]).all() and np.isnan(d[i, k:]).all()
    d2, h2, n2 = terrain.profiles(small_dem, la1, lo1, la2, lo2, step_m=120.0, fill=0.0)
    np.testing.assert_array_equal(n2, npts)
    assert np.all(h2[np.arange(h2.shape[1])[None, :] >= npts[:, None]] == 0.0)


def test_profiles_broadcast_one_site_to_many(small_dem):
    la2 = np.linspace(31.01, 31.19, 7)
    d, h, n = terrain.profiles(small_dem, 31.1, 121.15, la2, 121.29)
    assert d.shape[0] == 7 and n.shape == (7,)
    np.testing.assert_allclose(h[:, 0], terrain.elevation_m(small_dem, 31.1, 121.15), atol=1e-9)


def test_radial_profiles(small_dem):
    site = (31.1, 121.15)
    rp = terrain.radial_profiles(small_dem, *site, radius_km=8.0, n_radials=36, step_m=100.0)
    assert rp.heights.shape == (36, rp.distances.size) == rp.lat.shape
    assert rp.azimuths[0] == 0.0 and rp.azimuths[9] == pytest.approx(90.0)
    assert rp.distances[-1] == pytest.approx(8.0) and rp.distances.size == 81
    assert rp.lat[0, -1] > site[0] and rp.lon[9, -1] > site[1]  # north, east
    np.testing.assert_allclose(rp.heights[:, 0], terrain.elevation_m(small_dem, *site), atol=1e-9)
    # a radial is the great-circle profile from the site to its end point
    for r in (0, 7, 20):
        d, h = terrain.profile(small_dem, site, (rp.lat[r, -1], rp.lon[r, -1]), step_m=100.0)
        assert d.size == rp.n_samples
        np.testing.assert_allclose(h, rp.heights[r], atol=1e-6)
        np.testing.assert_allclose(d, rp.distances, atol=1e-6)
    da = rp.to_dataarray()
    assert da.dims == ("azimuth", "distance") and da.attrs["units"] == "m"
    d5, h5 = rp.profile(3, d_max_km=5.0)
    assert d5[-1] <= 5.0 and h5.size == d5.size


# ---- errors: leaving the DEM, voids, bad coordinates ----------------------------------------

def test_profile_end_outside_names_the_end_and_bounds(small_dem):
    with pytest.raises(ValueError, match=r"rx \(31\.500000, 121\.100000\) is outside the DEM \(lat 31\.\.31\.2, lon 121\.\.121\.3\)"):
        terrain.profile(small_dem, (31.1, 121.1), (31.5, 121.1))
    with pytest.raises(ValueError, match=r"^tx .* is outside the DEM"):
        terrain.profile(small_dem, (31.1, 120.9), (31.1, 121.1))


def test_profile_leaving_in_the_middle():
    # at 60 N the great circle between two points on the northern edge bows poleward, off the DEM
    lat = np.linspace(59.0, 60.0, 61)
    lon = np.linspace(0.0, 20.0, 201)
    dem = terrain.make_dem(np.zeros((61, 201)), lat, lon)
    with pytest.raises(ValueError, match=r"the path leaves the DEM .* at d = \d+\.\d+ km"):
        terrain.profile(dem, (59.99, 0.5), (59.99, 19.5))
    with pytest.raises(ValueError, match=r"path 1: it leaves the DEM"):
        terrain.profiles(dem, [59.5, 59.99], [1.0, 0.5], [59.5, 59.99], [2.0, 19.5])


def test_profiles_end_outside_names_path(small_dem):
    with pytest.raises(ValueError, match=r"path 2: its end \(31\.300000, 121\.100000\) is outside"):
        terrain.profiles(small_dem, [31.1, 31.1, 31.1], [121.1] * 3, [31.15, 31.15, 31.3], [121.1] * 3)
    with pytest.raises(ValueError, match=r"path 0: its start"):
        terrain.profiles(small_dem, [30.9], [121.1], [31.15], [121.1])


def test_profile_through_void_says_where(small_dem):
    z = small_dem.values.copy()
    j = int(np.searchsorted(small_dem.lon.values, 121.2))
    z[:, j:j + 3] = np.nan  # a void strip along a meridian
    holed = small_dem.copy(data=z)
    with pytest.raises(ValueError, match=r"terrain void \(NaN heights\) at d = (\d+\.\d+) km") as ei:
        terrain.profile(holed, (31.1, 121.05), (31.1, 121.28))
    d_void = float(ei.value.args[0].split("d = ")[1].split(" km")[0])
    d_expected = float(geo.distance_km(31.1, 121.05, 31.1, float(small_dem.lon[j - 1])))
    assert abs(d_void - d_expected) < 0.2
    with pytest.raises(ValueError, match=r"path 1 crosses a terrain void"):
        terrain.profiles(holed, [31.1, 31.1], [121.05, 121.05], [31.15, 31.1], [121.1, 121.28])
    with pytest.raises(ValueError, match="radial at azimuth 90 deg crosses a terrain void"):
        terrain.radial_profiles(holed, 31.1, 121.15, 10.0, n_radials=4)
    # the fill fixes it
    filled = terrain.fill_voids(holed)
    assert filled.attrs["voids_filled"] == 3 * z.shape[0]
    d, h = terrain.profile(filled, (31.1, 121.05), (31.1, 121.28))
    assert np.isfinite(h).all()


def test_radial_leaving_dem(small_dem):
    with pytest.raises(ValueError, match=r"radial at azimuth 0 deg leaves the DEM"):
        terrain.radial_profiles(small_dem, 31.1, 121.15, 20.0, n_radials=8)
    rp = terrain.radial_profiles(small_dem, 31.1, 121.15, 20.0, n_radials=8, outside="nan")
    assert np.isnan(rp.heights[0, -1]) and np.isfinite(rp.heights[0, 0])


@pytest.mark.parametrize("call, match", [
    (lambda d: terrain.profile(d, (91.0, 121.1), (31.1, 121.2)), "tx.lat = 91"),
    (lambda d: terrain.profile(d, (31.1, 121.1), (31.1, 400.0)), "rx.lon = 400"),
    (lambda d: terrain.profile(d, (31.1,), (31.1, 121.2)), "tx must be a \\(lat, lon\\) pair"),
    (lambda d: terrain.profile(d, (31.1, 121.1), (31.1, 121.1)), "coincide"),
    (lambda d: terrain.profile(d, (31.1, 121.1), (31.1, 121.2), step_m=0.0), "step_m = 0"),
    (lambda d: terrain.profiles(d, [31.1, np.nan], 121.1, 31.2, 121.2), "point1.lat contains NaN"),
    (lambda d: terrain.radial_profiles(d, 31.1, 121.1, -5.0), "radius_km = -5"),
    (lambda d: terrain.radial_profiles(d, 31.1, 121.1, 5.0, n_radials=0), "n_radials"),
    (lambda d: terrain.elevation_m(d, 35.0, 121.1), "outside the DEM"),
    (lambda d: terrain.profile(np.zeros((3, 3)), (31.1, 121.1), (31.1, 121.2)), "xarray.DataArray"),
])
def test_bad_input(small_dem, call, match):
    with pytest.raises(ValueError, match=match):
        call(small_dem)


def test_dem_with_wrong_dims_is_rejected():
    da = xr.DataArray(np.zeros((3, 3)), dims=("y", "x"))
    with pytest.raises(ValueError, match="dims"):
        terrain.profile(da, (0.5, 0.5), (1.0, 1.0))


def test_longitudes_0_360_dem():
    lat = np.linspace(-1.0, 1.0, 21)
    lon = np.linspace(179.0, 181.0, 21)  # across the antimeridian in 0..360 convention
    z = np.tile(lon, (21, 1))
    dem = terrain.make_dem(z, lat, lon)
    d, h = terrain.profile(dem, (0.0, 179.5), (0.0, -179.5), step_m=5000.0)
    assert d[-1] == pytest.approx(math.radians(1.0) * 6371.0)
    np.testing.assert_allclose(h, np.linspace(179.5, 180.5, h.size), atol=1e-6)


def test_profiles_min_points_and_per_path_step(small_dem):
    la1, lo1 = [31.1, 31.1, 31.1], [121.1, 121.1, 121.1]
    la2, lo2 = [31.1003, 31.15, 31.18], [121.1, 121.2, 121.25]
    d, h, n = terrain.profiles(small_dem, la1, lo1, la2, lo2, step_m=[50.0, 200.0, 500.0], min_points=5)
    lengths = geo.distance_km(np.array(la1), np.array(lo1), np.array(la2), np.array(lo2))
    assert n[0] == 5  # a 33 m path still gets 5 samples
    assert n[1] == math.ceil(lengths[1] * 1000 / 200.0 - 1e-9) + 1
    assert n[2] == math.ceil(lengths[2] * 1000 / 500.0 - 1e-9) + 1
    for i in range(3):
        assert d[i, n[i] - 1] == pytest.approx(lengths[i], abs=1e-9)
    with pytest.raises(ValueError, match="step_m has shape"):
        terrain.profiles(small_dem, la1, lo1, la2, lo2, step_m=[50.0, 200.0])
    with pytest.raises(ValueError, match="min_points = 1"):
        terrain.profiles(small_dem, la1, lo1, la2, lo2, min_points=1)


def test_profiles_on_error_skip(small_dem):
    z = small_dem.values.copy()
    z[100:110, 100:110] = np.nan
    holed = small_dem.copy(data=z)
    vlat, vlon = float(holed.lat[105]), float(holed.lon[105])
    la1 = np.array([31.05, 31.05, 31.05, 31.10, 31.05])
    lo1 = np.array([121.05, 121.05, 121.05, 121.10, 121.05])
    la2 = np.array([31.15, 31.50, vlat, 31.10, 31.06])   # ok, leaves DEM, ends in a void, coincident, ok
    lo2 = np.array([121.25, 121.05, vlon, 121.10, 121.07])
    with pytest.raises(ValueError, match="path 3: the ends coincide"):
        terrain.profiles(holed, la1, lo1, la2, lo2)
    with pytest.raises(ValueError, match="path 1: its end"):
        terrain.profiles(holed, la1[:3], lo1[:3], la2[:3], lo2[:3])
    with pytest.raises(ValueError, match="path 0 crosses a terrain void"):
        terrain.profiles(holed, la1[2:3], lo1[2:3], la2[2:3], lo2[2:3])
    d, h, n, lat, lon = terrain.profiles(holed, la1, lo1, la2, lo2, on_error="skip", return_latlon=True)
    assert n[1] == n[2] == n[3] == 0 and n[0] > 2 and n[4] > 2
    assert np.isnan(h[1:4]).all() and np.isnan(lat[1:4]).all()
    for i in (0, 4):
        ds, hs = terrain.profile(holed, (la1[i], lo1[i]), (la2[i], lo2[i]))
        np.testing.assert_array_equal(h[i, :n[i]], hs)
    with pytest.raises(ValueError, match="on_error"):
        terrain.profiles(holed, la1, lo1, la2, lo2, on_error="ignore")


@pytest.fixture
def fresh_default_dem():
    dterrain.default_dem.cache_clear()
    yield dterrain.default_dem
    dterrain.default_dem.cache_clear()


def test_default_dem_uses_real_tiles_when_present(tmp_path, monkeypatch, fresh_default_dem):
    folder = tmp_path / "terrain"
    folder.mkdir()
    for la in (30, 31):
        for lo in (120, 121, 122):
            a = np.full((1201, 1201), 10 * (la - 30) + (lo - 120) + 1, dtype=">i2")
            a[600, 600] = -32768  # a void in each tile, filled by default_dem
            a.tofile(folder / f"N{la}E{lo}.hgt")
    monkeypatch.setenv("SPECTRUM_DATA_DIR", str(tmp_path))
    dem = fresh_default_dem()
    assert dem.attrs["source"].startswith("real DEM")
    assert terrain.dem_bounds(dem) == pytest.approx(dterrain.DEFAULT_BOUNDS)
    assert dem.shape == (1801, 2401) and np.isfinite(dem.values).all()
    assert terrain.elevation_m(dem, 30.7, 120.7) == 1.0
    assert terrain.elevation_m(dem, 31.7, 122.2) == 13.0


def test_default_dem_partial_real_coverage_falls_back(tmp_path, monkeypatch, fresh_default_dem):
    np.zeros((1201, 1201), dtype=">i2").tofile(tmp_path / "N31E121.hgt")
    monkeypatch.setenv("SPECTRUM_DATA_DIR", str(tmp_path))
    with pytest.warns(UserWarning, match="cover only"):
        dem = fresh_default_dem()
    assert "synthetic" in dem.attrs["source"]
