"""DEM grids: radio-climatic zones, line of sight, void filling, properties, small readers (split from
test_terrain.py)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr

from spectrum import geo, terrain
from spectrum.datasets import terrain as dterrain


@pytest.fixture(scope="module")
def small_dem():
    """0.2 x 0.3 deg of hilly synthetic terrain at 3 arc-seconds (241 x 361)."""
    return terrain.synthetic_dem(31.0, 31.2, 121.0, 121.3, res_arcsec=3.0, seed=7, hills="all", relief_m=300.0)

# ---- radio-climatic zones -------------------------------------------------------------------

def test_radio_climatic_zones_p452_table3():
    # sea west of 10.0 E at the equator, low land to the east with a 150 m plateau near the coast
    lat = np.linspace(-0.5, 0.5, 61)
    lon = np.linspace(9.5, 11.5, 121)
    z = np.where(lon[None, :] < 10.0, 0.0, 20.0) * np.ones((61, 1))
    z[:, (lon > 10.1) & (lon < 10.2)] = 150.0
    dem = terrain.make_dem(z, lat, lon)
    zones = terrain.radio_climatic_zones(dem)
    assert zones.dtype == np.int8 and zones.dims == ("lat", "lon")
    km = math.radians(1.0) * 6371.0

    def code(lo):
        return int(zones.sel(lat=0.0, lon=lo, method="nearest"))

    assert code(9.7) == terrain.ZONE_SEA
    assert code(10.05) == terrain.ZONE_COASTAL_LAND
    assert code(10.15) == terrain.ZONE_INLAND  # above 100 m
    assert code(10.0 + 40.0 / km) == terrain.ZONE_COASTAL_LAND
    assert code(10.0 + 60.0 / km) == terrain.ZONE_INLAND  # beyond 50 km
    # the 50 km limit, to one grid spacing
    row = zones.sel(lat=0.0, method="nearest").values
    low = (z[30] == 20.0)
    last_coastal = lon[(row == 1) & low].max()
    first_sea_dist = (last_coastal - lon[lon < 10.0].max()) * km
    assert 50.0 - 2 * (lon[1] - lon[0]) * km <= first_sea_dist <= 50.0
    # no sea: all inland; explicit sea mask
    flat = terrain.make_dem(np.full((5, 5), 3.0), np.arange(5.0), np.arange(5.0))
    assert (terrain.radio_climatic_zones(flat).values == terrain.ZONE_INLAND).all()
    mask = np.zeros((5, 5), bool)
    mask[:, 0] = True
    zz = terrain.radio_climatic_zones(flat, sea=mask, coastal_km=120.0).values
    assert (zz[:, 0] == 3).all() and (zz[:, 1] == 1).all() and (zz[:, 2] == 2).all()
    with pytest.raises(ValueError, match="sea mask shape"):
        terrain.radio_climatic_zones(flat, sea=np.zeros((4, 4), bool))


def test_sample_nearest_along_padded_profiles(small_dem):
    codes = terrain.make_dem(np.arange(small_dem.size, dtype=float).reshape(small_dem.shape),
                             small_dem.lat.values, small_dem.lon.values)
    d, h, n, la, lo = terrain.profiles(small_dem, [31.05, 31.1], [121.05, 121.1], [31.15, 31.12], [121.25, 121.12],
                                       return_latlon=True)
    out = terrain.sample_nearest(codes, la, lo, missing=-1)
    assert out.shape == la.shape and out.dtype == np.int64
    assert (out[1, n[1]:] == -1).all()
    lats, lons = small_dem.lat.values, small_dem.lon.values
    for i in range(2):
        for k in range(0, n[i], 7):
            ii = int(np.argmin(np.abs(lats - la[i, k])))
            jj = int(np.argmin(np.abs(lons - lo[i, k])))
            assert out[i, k] == ii * lons.size + jj
    assert terrain.sample_nearest(codes, 40.0, 121.1, missing=-7) == -7


def test_default_dem_zones_have_coast():
    zones = terrain.radio_climatic_zones(dterrain.default_dem())
    v = zones.values
    if "synthetic" in dterrain.default_dem().attrs["source"]:
        assert (v[:, -1] == terrain.ZONE_SEA).all() and (v[:, 0] == terrain.ZONE_INLAND).any()
        assert (v == terrain.ZONE_COASTAL_LAND).mean() > 0.1



# ---- line of sight --------------------------------------------------------------------------

def test_line_of_sight_flat_earth_bulge_and_fresnel():
    d = np.linspace(0.0, 20.0, 201)
    r = terrain.line_of_sight(d, np.zeros_like(d), 10.0, 10.0, f_mhz=1000.0, k_factor=4.0 / 3.0)
    # bulge at mid-path: d1 d2 / (12.742 k) with d1 = d2 = 10 km
    bulge_mid = 10.0 * 10.0 / (2 * 6371.0 * 4.0 / 3.0) * 1000.0
    assert r.d_min_km == pytest.approx(10.0)
    assert r.min_clearance_m == pytest.approx(10.0 - bulge_mid, abs=1e-9)
    # F1 = sqrt(lambda d1 d2 / d); P.526-16 Eq. (3) in practical units: 550 sqrt(d1 d2 / (d f_MHz))
    f1_mid = math.sqrt(0.299792458 * 10.0 * 10.0 * 1000.0 / 20.0)
    assert r.fresnel_m[100] == pytest.approx(f1_mid)
    assert r.fresnel_m[100] == pytest.approx(550.0 * math.sqrt(10 * 10 / (20 * 1000.0)), rel=5e-3)
    assert r.fresnel_m[0] == 0.0 and r.line_of_sight
    # smaller k bulges more
    r23 = terrain.line_of_sight(d, np.zeros_like(d), 10.0, 10.0, k_factor=2.0 / 3.0)
    assert r23.min_clearance_m == pytest.approx(10.0 - 2 * bulge_mid, abs=1e-9)
    assert r23.min_clearance_f1 is None and r23.fresnel_m is None


def test_line_of_sight_obstructed_by_a_ridge():
    d = np.linspace(0.0, 10.0, 101)
    h = np.where(np.abs(d - 3.0) < 0.05, 80.0, 20.0)
    r = terrain.line_of_sight(d, h, 30.0, 30.0, f_mhz=900.0, k_factor=1e9)
    assert not r.line_of_sight
    assert r.d_min_km == pytest.approx(3.0)
    assert r.min_clearance_m == pytest.approx(50.0 - 80.0, abs=1e-6)
    assert r.min_clearance_f1 < 0
    with pytest.raises(ValueError, match="htg_m = -1"):
        terrain.line_of_sight(d, h, -1.0, 30.0)
    with pytest.raises(ValueError, match="same length"):
        terrain.line_of_sight(d, h[:-1], 1.0, 30.0)
    with pytest.raises(ValueError, match="increase"):
        terrain.line_of_sight(d[::-1], h, 1.0, 30.0)


def test_fill_voids_large_hole_is_smooth_and_fast():
    # a tilted plane with a big hole: the harmonic fill of a plane is the plane itself
    lat = np.linspace(0.0, 1.0, 401)
    lon = np.linspace(0.0, 1.0, 401)
    plane = 100.0 + 200.0 * lat[:, None] + 50.0 * lon[None, :]
    z = plane.copy()
    z[100:300, 150:250] = np.nan
    z[0:20, 390:401] = np.nan  # a void on the grid corner (reflecting edges)
    dem = terrain.make_dem(z, lat, lon)
    import time

    t0 = time.perf_counter()
    filled = terrain.fill_voids(dem, tol_m=1e-4)
    assert time.perf_counter() - t0 < 10.0
    assert np.isfinite(filled.values).all() and filled.attrs["voids_filled"] == 200 * 100 + 20 * 11
    np.testing.assert_array_equal(filled.values[~np.isnan(z)], plane[~np.isnan(z)])
    err = np.abs(filled.values - plane)[100:300, 150:250]
    assert err.max() < 0.05  # vs up to 1 m+ terraces of the nearest-neighbour fill
    nearest = terrain.fill_voids(dem, smooth=False)
    assert np.abs(nearest.values - plane)[100:300, 150:250].max() > 1.0
    assert filled.values.min() >= plane.min() - 1e-9 and filled.values.max() <= plane.max() + 1e-9
    with pytest.raises(ValueError, match="tol_m = 0"):
        terrain.fill_voids(dem, tol_m=0.0)


def test_profiles_empty_batch(small_dem):
    d, h, n = terrain.profiles(small_dem, np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0))
    assert d.shape == h.shape == (0, 0) and n.shape == (0,) and n.dtype == np.int64


def test_line_of_sight_rejects_infinite_input():
    # inf heights used to give a LineOfSight full of inf/NaN clearances without an error
    d = np.linspace(0.0, 20.0, 51)
    h = 100.0 + 10.0 * np.sin(d)
    hi = h.copy()
    hi[5] = np.inf
    with pytest.raises(ValueError, match=r"h_m = inf .* must be finite"):
        terrain.line_of_sight(d, hi, 10.0, 10.0)
    with pytest.raises(ValueError, match="htg_m = inf must be finite"):
        terrain.line_of_sight(d, h, np.inf, 10.0)
    with pytest.raises(ValueError, match="k_factor = inf must be finite"):
        terrain.line_of_sight(d, h, 10.0, 10.0, k_factor=np.inf)


# ---- properties -----------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# a margin from the edges: a great circle between two points on the northern edge bows
# poleward (by up to ~0.3" here) and rightly leaves the DEM
_lat = st.floats(31.001, 31.199)
_lon = st.floats(121.0, 121.3)


@given(_lat, _lon, _lat, _lon, st.floats(20.0, 400.0))
@settings(max_examples=60, deadline=None)
def test_profile_properties(small_dem, la1, lo1, la2, lo2, step):
    d_total = float(geo.distance_km(la1, lo1, la2, lo2))
    if d_total < 1e-6:
        return
    d, h, la, lo = terrain.profile(small_dem, (la1, lo1), (la2, lo2), step_m=step, return_latlon=True)
    # equally spaced, no wider than step, ends exact
    assert np.all(np.diff(d) <= step / 1000.0 + 1e-9)
    np.testing.assert_allclose(np.diff(d), d[-1] / (d.size - 1), rtol=1e-9, atol=1e-12)
    assert d[-1] == pytest.approx(d_total, abs=1e-9)
    # samples lie on the great circle at their distances
    np.testing.assert_allclose(geo.distance_km(la1, lo1, la, lo), d, atol=1e-6)
    # heights stay within the DEM's range around the path (bilinear never overshoots)
    z = small_dem.values
    assert h.min() >= z.min() - 1e-9 and h.max() <= z.max() + 1e-9
    # reversal mirrors the profile
    d2, h2 = terrain.profile(small_dem, (la2, lo2), (la1, lo1), step_m=step)
    np.testing.assert_allclose(h2[::-1], h, atol=1e-6)


def test_synthetic_field_has_the_requested_spectral_slope():
    from spectrum.terrain import _fractal_pair

    n = 512
    for beta in (2.6, 3.2):
        f = _fractal_pair(np.random.default_rng(0), n, n, beta, 0.1, 0.1)
        slopes = []
        for part in (f.real, f.imag):
            p = np.abs(np.fft.fft2(part)) ** 2
            k = np.hypot(*np.meshgrid(np.fft.fftfreq(n), np.fft.fftfreq(n), indexing="ij"))
            sel = (k > 4.0 / n) & (k < 0.25)
            bins = np.logspace(np.log10(4.0 / n), np.log10(0.25), 20)
            idx = np.digitize(k[sel], bins)
            kk = np.array([k[sel][idx == b].mean() for b in range(1, len(bins)) if np.any(idx == b)])
            pp = np.array([p[sel][idx == b].mean() for b in range(1, len(bins)) if np.any(idx == b)])
            slopes.append(np.polyfit(np.log(kk), np.log(pp), 1)[0])
        # power spectral density of a 2-D 1/k^beta surface falls as k^-beta
        assert slopes == pytest.approx([-beta, -beta], abs=0.15)


def test_load_geotiff_model_transformation(tmp_path):
    import tifffile

    data = np.arange(12, dtype=np.float32).reshape(3, 4)
    m = [0.5, 0.0, 0.0, 10.0, 0.0, -0.25, 0.0, 50.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]
    keys = [1, 1, 0, 2, 1024, 0, 1, 2, 1025, 0, 1, 2]
    p = tmp_path / "mt.tif"
    tifffile.imwrite(p, data, extratags=[(34264, "d", 16, m, False), (34735, "H", len(keys), keys, False)])
    dem = terrain.load_dem(p)
    np.testing.assert_allclose(dem["lon"].values, [10.0, 10.5, 11.0, 11.5])
    np.testing.assert_allclose(dem["lat"].values, [49.5, 49.75, 50.0])
    np.testing.assert_array_equal(dem.values, data[::-1])


def test_profile_accepts_a_dem_path(tmp_path):
    np.full((1201, 1201), 42, dtype=">i2").tofile(tmp_path / "N10E010.hgt")
    d, h = terrain.profile(str(tmp_path / "N10E010.hgt"), (10.2, 10.2), (10.8, 10.9))
    assert np.all(h == 42.0)


def test_crop_dem_and_load_with_bounds(tmp_path, small_dem):
    c = terrain.crop_dem(small_dem, (31.05, 31.1001, 121.1, 121.2))
    la0, la1, lo0, lo1 = terrain.dem_bounds(c)
    assert la0 <= 31.05 and la1 >= 31.1001 and lo0 <= 121.1 and lo1 >= 121.2
    step = 3 / 3600
    assert la0 > 31.05 - step and la1 < 31.1001 + step and lo1 < 121.2 + step
    np.testing.assert_array_equal(c.values, small_dem.sel(lat=c.lat, lon=c.lon).values)
    d1, h1 = terrain.profile(c, (31.06, 121.11), (31.09, 121.19))
    d2, h2 = terrain.profile(small_dem, (31.06, 121.11), (31.09, 121.19))
    np.testing.assert_allclose(h1, h2, atol=1e-9)  # grid origin differs: rounding only
    a = (np.arange(1201 * 1201) % 700).astype(">i2")
    a.tofile(tmp_path / "N31E121.hgt")
    dem = terrain.load_dem(tmp_path / "N31E121.hgt", bounds=(31.2, 31.5, 121.25, 121.75))
    assert terrain.dem_bounds(dem) == pytest.approx((31.2, 31.5, 121.25, 121.75))
    assert dem.shape == (361, 601)
    with pytest.raises(ValueError, match="do not overlap"):
        terrain.crop_dem(small_dem, (40.0, 41.0, 121.0, 122.0))
    with pytest.raises(ValueError, match="empty box"):
        terrain.crop_dem(small_dem, (31.1, 31.0, 121.0, 122.0))


def test_save_dem_round_trip(tmp_path, small_dem):
    z = small_dem.values.copy()
    z[3, 4] = np.nan
    dem = small_dem.copy(data=z)
    p = terrain.save_dem(dem, tmp_path / "dem.nc")
    back = terrain.load_dem(p)
    np.testing.assert_array_equal(back.values, dem.values)
    np.testing.assert_array_equal(back["lat"].values, dem["lat"].values)
    assert back.attrs["units"] == "m"
    with xr.open_dataset(p, engine="h5netcdf") as ds:  # provenance from spectrum.io
        assert ds.attrs["software"] == "spectrum" and "synthetic_dem(seed=7)" in ds.attrs["inputs_json"]


def test_descending_and_aliased_dataarrays_are_accepted(small_dem):
    flipped = small_dem.isel(lat=slice(None, None, -1))
    renamed = small_dem.rename(lat="latitude", lon="longitude").transpose("longitude", "latitude")
    d0, h0 = terrain.profile(small_dem, (31.02, 121.03), (31.17, 121.27))
    for other in (flipped, renamed):
        d, h = terrain.profile(other, (31.02, 121.03), (31.17, 121.27))
        np.testing.assert_array_equal(h, h0)
        assert terrain.dem_bounds(other) == terrain.dem_bounds(small_dem)
        c = terrain.crop_dem(other, (31.05, 31.1, 121.1, 121.2))
        assert c.dims == ("lat", "lon") and c["lat"].values[0] < c["lat"].values[-1]
        np.testing.assert_array_equal(c.values, small_dem.sel(lat=c.lat, lon=c.lon).values)


def test_as_dem(small_dem, tmp_path):
    assert terrain.as_dem(small_dem) is small_dem
    flipped = terrain.as_dem(small_dem.isel(lat=slice(None, None, -1)))
    np.testing.assert_array_equal(flipped.values, small_dem.values)
    with pytest.raises(ValueError, match="not regularly spaced"):
        terrain.as_dem(small_dem.isel(lat=[0, 1, 3]))
    with pytest.raises(FileNotFoundError):
        terrain.as_dem(tmp_path / "nothing.hgt")
