"""Cloud-Optimized GeoTIFF writer: bit-identical round trip through rasterio/GDAL, COG layout,
CRS, nodata, units and provenance tags, and clear errors."""
from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

rasterio = pytest.importorskip("rasterio", reason="rasterio is in the [gis] extra (pip install -e '.[gis]')")
pytest.importorskip("tifffile", reason="tifffile is a base dependency")

from spectrum import gis  # noqa: E402
from spectrum.gis import MissingExtraError, read_geotiff, validate_cog, write_geotiff  # noqa: E402


def _map(ny=300, nx=360, dtype=np.float64, lat_desc=False, seed=1, nan=True):
    rng = np.random.default_rng(seed)
    lat = np.linspace(31.0, 31.5, ny)
    lon = np.linspace(121.0, 121.6, nx)
    if lat_desc:
        lat = lat[::-1]
    z = (60 + 20 * rng.standard_normal((ny, nx))).astype(dtype)
    if nan and np.issubdtype(dtype, np.floating):
        z[10:40, 50:90] = np.nan
    return xr.DataArray(z, dims=("lat", "lon"), coords={"lat": lat, "lon": lon}, name="e_dbuvm",
                        attrs={"units": "dB(uV/m)", "long_name": "field strength (ITU-R P.452-18)",
                               "model": "ITU-R P.452-18", "f_mhz": 600.0, "p": 50.0,
                               "inputs_json": '{"h_agl_m": 40}'})


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int16, np.uint8])
@pytest.mark.parametrize("lat_desc", [False, True], ids=["lat_ascending", "lat_descending"])
def test_round_trip_bit_identical(tmp_path, dtype, lat_desc):
    da = _map(dtype=dtype, lat_desc=lat_desc)
    f = write_geotiff(da, tmp_path / "m.tif", blocksize=64, nodata=None if np.issubdtype(dtype, np.floating) else 0)
    # read with plain rasterio: north-up rows, the exact bytes of the map
    with rasterio.open(f) as src:
        raw = src.read(1)
        assert src.dtypes[0] == np.dtype(dtype).name
        assert src.crs.to_epsg() == 4326
        t = src.transform
    north_up = da.values if lat_desc else da.values[::-1]
    assert raw.tobytes() == np.ascontiguousarray(north_up).tobytes()
    # geotransform: pixel centres at the map's coordinates
    lat = np.sort(da.lat.values)[::-1]
    assert t.c + 0.5 * t.a == pytest.approx(da.lon.values[0], abs=1e-12)
    assert t.f + 0.5 * t.e == pytest.approx(lat[0], abs=1e-12)
    assert t.a == pytest.approx(0.6 / 359, rel=1e-12) and t.e == pytest.approx(-0.5 / 299, rel=1e-12)
    # and our reader restores the DataArray in its own order
    back = read_geotiff(f)
    assert back.dims == ("lat", "lon") and back.name == "e_dbuvm"
    assert back.values.tobytes() == da.values.tobytes()
    np.testing.assert_allclose(back.lat.values, da.lat.values, rtol=0, atol=1e-9)
    np.testing.assert_allclose(back.lon.values, da.lon.values, rtol=0, atol=1e-9)


def test_valid_cog_with_overviews_and_tiles(tmp_path):
    f = write_geotiff(_map(600, 700), tmp_path / "big.tif", blocksize=128)
    info = gis.cog_info(f)
    assert info["problems"] == [] and info["valid_cog"]
    assert info["block_shape"] == [128, 128]
    assert info["overviews"] == [2, 4, 8]  # halving until one 128-px tile holds the image
    assert info["layout"] == "COG" and info["compression"] == "deflate" and info["predictor"] == "3"
    assert np.isnan(info["nodata"])
    with rasterio.open(f) as src:
        ov = src.read(1, out_shape=(600 // 8 + 1, 700 // 8 + 1))
        assert np.isfinite(ov).any()  # overview holds data


def test_small_map_is_one_tile_without_overviews(tmp_path):
    f = write_geotiff(_map(40, 50), tmp_path / "small.tif")
    info = gis.cog_info(f)
    assert info["valid_cog"] and info["overviews"] == []


def test_validator_rejects_stripped_and_out_of_order_tiffs(tmp_path):
    da = _map(600, 700)
    v = da.values[::-1]
    prof = dict(driver="GTiff", width=700, height=600, count=1, dtype="float64", crs="EPSG:4326",
                transform=rasterio.transform.Affine(0.6 / 699, 0.0, 121.0, 0.0, -0.5 / 599, 31.5))
    with rasterio.open(tmp_path / "strip.tif", "w", **prof) as dst:
        dst.write(v, 1)
    problems = validate_cog(tmp_path / "strip.tif")
    assert any("not tiled" in p for p in problems)
    assert any("no internal overviews" in p for p in problems)
    # tiled, overviews added afterwards: the overviews' IFDs and data come after the main image's data
    with rasterio.open(tmp_path / "late.tif", "w", tiled=True, blockxsize=128, blockysize=128, **prof) as dst:
        dst.write(v, 1)
    with rasterio.open(tmp_path / "late.tif", "r+") as dst:
        dst.build_overviews([2, 4, 8], rasterio.enums.Resampling.nearest)
    problems = validate_cog(tmp_path / "late.tif")
    assert any("IFDs are not all at the start" in p or "smallest overview must come first" in p for p in problems)
    assert any("LAYOUT=COG" in p for p in problems)
    (tmp_path / "junk.tif").write_bytes(b"not a tiff at all")
    assert "not a TIFF" in validate_cog(tmp_path / "junk.tif")[0]


def test_tags_units_nodata_provenance(tmp_path):
    da = _map()
    da.attrs["odd key=1 µ"] = "a=b"
    f = write_geotiff(da, tmp_path / "m.tif", tags={"study": "demo"})
    with rasterio.open(f) as src:
        tags = src.tags()
        assert src.units == ("dB(uV/m)",)
        assert src.descriptions == ("field strength (ITU-R P.452-18)",)
        assert np.isnan(src.nodata)
        assert src.read_masks(1)[::-1][20, 60] == 0  # NaN pixels are no-data
    assert tags["model"] == "ITU-R P.452-18" and tags["units"] == "dB(uV/m)" and tags["study"] == "demo"
    assert tags["odd_key_1__"] == "a=b"
    assert tags["software"] == "spectrum" and tags["software_version"] and tags["created_utc"].endswith("+00:00")
    assert float(tags["f_mhz"]) == 600.0 and tags["inputs_json"] == '{"h_agl_m": 40}'


def test_band_dimension_becomes_bands(tmp_path):
    base = _map(60, 80)
    da = xr.concat([base, base + 1.0, base + 2.0], dim=xr.DataArray([1.0, 10.0, 50.0], dims="p", name="p"))
    f = write_geotiff(da, tmp_path / "bands.tif")
    with rasterio.open(f) as src:
        assert src.count == 3 and src.descriptions == ("p=1.0", "p=10.0", "p=50.0")
    back = read_geotiff(f)
    assert back.dims == ("p", "lat", "lon")
    np.testing.assert_array_equal(back.p.values, [1.0, 10.0, 50.0])
    assert back.values.tobytes() == da.values.tobytes()
    one = read_geotiff(f, band=2)
    assert one.dims == ("lat", "lon") and one.values.tobytes() == da.values[1].tobytes()


def test_projected_grid_keeps_its_crs(tmp_path):
    x = 350_000.0 + 100.0 * np.arange(120)
    y = 3_450_000.0 + 100.0 * np.arange(90)
    z = np.add.outer(y - y[0], x - x[0]) / 100.0
    da = xr.DataArray(z, dims=("y", "x"), coords={"y": y, "x": x}, name="pr_dbm", attrs={"units": "dBm"})
    with pytest.raises(ValueError, match="has no CRS"):
        write_geotiff(da, tmp_path / "u.tif")
    assert not (tmp_path / "u.tif").exists()
    f = write_geotiff(da, tmp_path / "u.tif", crs="EPSG:32651")
    with rasterio.open(f) as src:
        assert src.crs.to_epsg() == 32651
        assert src.transform.a == 100.0 and src.transform.c == 350_000.0 - 50.0
    back = read_geotiff(f)
    assert back.dims == ("y", "x") and back.attrs["crs"] == "EPSG:32651"
    assert back.values.tobytes() == z.tobytes()
    da.attrs["crs"] = "EPSG:32651"  # found on the array
    write_geotiff(da, tmp_path / "u2.tif")
    with rasterio.open(tmp_path / "u2.tif") as src:
        assert src.crs.to_epsg() == 32651


def test_coverage_map_crs_coordinate_is_understood(tmp_path):
    from spectrum.coverage import _WGS84

    da = _map(30, 40).assign_coords(crs=xr.Variable((), np.int32(0), dict(_WGS84)))
    f = write_geotiff(da, tmp_path / "c.tif")
    with rasterio.open(f) as src:
        assert src.crs.to_epsg() == 4326


@pytest.mark.parametrize("bad, match", [
    (lambda d: d.isel(lon=[0, 1, 3, 4]), "not evenly spaced"),
    (lambda d: d.expand_dims(a=[1]).expand_dims(b=[2]), "one dimension besides"),
    (lambda d: d.rename(lat="row"), "must be .lat, lon. or .y, x."),
    (lambda d: d.isel(lon=[0]), "at least 2 values"),
    (lambda d: d.assign_coords(lat=d.lat + 80.0), "lat"),
    (lambda d: d.values, "DataArray"),
])
def test_bad_maps_are_value_errors(tmp_path, bad, match):
    with pytest.raises(ValueError, match=match):
        write_geotiff(bad(_map(20, 30)), tmp_path / "x.tif")
    assert not list(tmp_path.iterdir())  # nothing written, no temporary left


def test_bad_options(tmp_path):
    with pytest.raises(ValueError, match="blocksize"):
        write_geotiff(_map(20, 30), tmp_path / "x.tif", blocksize=100)
    with pytest.raises(ValueError, match="compress"):
        write_geotiff(_map(20, 30), tmp_path / "x.tif", compress="jpeg")
    with pytest.raises(ValueError, match="coordinate reference system"):
        write_geotiff(_map(20, 30), tmp_path / "x.tif", crs="EPSG:999999")
    assert not list(tmp_path.iterdir())


def test_existing_file_untouched_when_writing_fails(tmp_path):
    f = tmp_path / "keep.tif"
    f.write_bytes(b"old")
    with pytest.raises(ValueError):
        write_geotiff(_map(20, 30), f, crs="EPSG:999999")
    assert f.read_bytes() == b"old"


def test_read_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_geotiff(tmp_path / "none.tif")
    (tmp_path / "bad.tif").write_bytes(b"\x00" * 10)
    with pytest.raises(ValueError, match="not a readable GeoTIFF"):
        read_geotiff(tmp_path / "bad.tif")


def test_missing_extra_names_it(monkeypatch, tmp_path):
    import builtins

    real = builtins.__import__

    def fake(name, *a, **k):
        if name == "rasterio" or name.startswith("rasterio."):
            raise ImportError("No module named 'rasterio'")
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", fake)
    monkeypatch.delitem(__import__("sys").modules, "rasterio", raising=False)
    with pytest.raises(MissingExtraError, match=r"\[gis\] extra") as ei:
        write_geotiff(_map(20, 30), tmp_path / "x.tif")
    assert isinstance(ei.value, ValueError) and isinstance(ei.value, ImportError)


def test_without_predictor_the_package_dem_loader_reads_it(tmp_path):
    """predictor=False: plain DEFLATE, which tifffile (spectrum.terrain.load_dem) decodes without imagecodecs."""
    from spectrum.terrain import load_dem, synthetic_dem

    dem = synthetic_dem(31.0, 31.2, 121.0, 121.2, res_arcsec=30.0, seed=1)
    f = write_geotiff(dem, tmp_path / "dem.tif", predictor=False)
    assert validate_cog(f) == []
    with rasterio.open(f) as src:
        assert src.tags(ns="IMAGE_STRUCTURE").get("PREDICTOR") in (None, "1")
    back = load_dem(f)
    np.testing.assert_array_equal(back.values, dem.values)
    np.testing.assert_allclose(back.lat.values, dem.lat.values, atol=1e-9)
