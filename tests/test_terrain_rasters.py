"""Raster input: rasterio ([gis]) and native readers, no-data, implausible heights, byte-swapped
.hgt, missing georeference, sea from no-data, bathymetry; the real files in ../shared/datasets."""
from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from spectrum import cli, terrain
from spectrum.datasets.terrain import data_dirs


def shared(rel):
    for d in data_dirs():
        p = d / rel
        if p.exists():
            return p
    pytest.skip(f"shared dataset {rel} not found (set SPECTRUM_DATA_DIR or provide ../shared/datasets)")


def write_hgt(path, a):
    np.asarray(a, dtype=">i2").tofile(path)


def rio():
    return pytest.importorskip("rasterio", reason="the [gis] extra (rasterio) is not installed")


def write_tif(path, data, transform, crs, nodata=None):
    rasterio = rio()
    with rasterio.open(path, "w", driver="GTiff", height=data.shape[0], width=data.shape[1], count=1,
                       dtype=data.dtype, crs=crs, transform=transform, nodata=nodata) as ds:
        ds.write(data, 1)


# ---- .hgt -------------------------------------------------------------------------------------

def test_byte_swapped_hgt_is_an_error_naming_the_file(tmp_path):
    a = (np.arange(1201 * 1201) % 1500).astype(np.int16).reshape(1201, 1201)  # 0..1499 m
    p = tmp_path / "N31E121.hgt"
    a.astype("<i2").tofile(p)  # little-endian: wrong for SRTM
    with pytest.raises(ValueError, match=r"N31E121.hgt: the tile looks byte-swapped"):
        terrain.load_dem(p)
    write_hgt(p, a)
    assert float(terrain.load_dem(p).max()) == 1499.0


def test_hgt_fast_path_equals_gdal(tmp_path):
    rio()
    a = (np.add.outer(np.arange(1201), 2 * np.arange(1201)) % 3000).astype(np.int16)
    a[5, 7] = -32768
    p = tmp_path / "N10E020.hgt"
    write_hgt(p, a)
    fast = terrain.load_dem(p)
    gdal = terrain.load_dem(p, engine="rasterio")
    np.testing.assert_allclose(gdal["lat"].values, fast["lat"].values, atol=1e-9)
    np.testing.assert_allclose(gdal["lon"].values, fast["lon"].values, atol=1e-9)
    np.testing.assert_array_equal(np.isnan(gdal.values), np.isnan(fast.values))
    np.testing.assert_array_equal(np.nan_to_num(gdal.values), np.nan_to_num(fast.values))


# ---- heights and no-data ------------------------------------------------------------------------

def test_untagged_minus_9999_voids_are_an_error_then_nodata_option_reads_them(tmp_path):
    rasterio = rio()
    z = np.full((40, 50), 120.0, np.float32)
    z[10:13, 20:25] = -9999.0
    p = tmp_path / "voids.tif"
    write_tif(p, z, rasterio.transform.from_origin(7.0, 44.0, 0.01, 0.01), "EPSG:4326")
    with pytest.raises(ValueError, match=r"voids.tif: 15 heights outside the plausible -500..9000 m.*nodata=-9999"):
        terrain.load_dem(p)
    dem = terrain.load_dem(p, nodata=-9999)
    assert int(np.isnan(dem.values).sum()) == 15 and dem.attrs["voids"] == 15


def test_heights_above_9000_m_are_an_error(tmp_path):
    ds = xr.Dataset({"elevation": (("lat", "lon"), np.full((4, 5), 11000.0), {"units": "m"})},
                    coords={"lat": ("lat", np.arange(4.0), {"units": "degrees_north"}),
                            "lon": ("lon", np.arange(5.0), {"units": "degrees_east"})})
    p = tmp_path / "high.nc"
    ds.to_netcdf(p, engine="h5netcdf")
    with pytest.raises(ValueError, match=r"high.nc: 20 heights outside"):
        terrain.load_dem(p)


def test_netcdf_without_coordinate_variables_is_an_error(tmp_path):
    ds = xr.Dataset({"elevation": (("lat", "lon"), np.full((4, 5), 10.0), {"units": "m"})})
    p = tmp_path / "bare.nc"
    ds.to_netcdf(p, engine="h5netcdf")
    with pytest.raises(ValueError, match=r"bare.nc: no usable georeference.*have no coordinate values"):
        terrain.load_dem(p)


def test_netcdf_with_metre_coordinates_is_an_error(tmp_path):
    ds = xr.Dataset({"elevation": (("y", "x"), np.full((4, 5), 10.0), {"units": "m"})},
                    coords={"y": ("y", 3.5e6 + 30 * np.arange(4.0), {"units": "m"}),
                            "x": ("x", 4e5 + 30 * np.arange(5.0), {"units": "m"})})
    p = tmp_path / "utm.nc"
    ds.to_netcdf(p, engine="h5netcdf")
    with pytest.raises(ValueError, match=r"utm.nc: coordinate 'y' has units 'm'"):
        terrain.load_dem(p)


def test_raster_without_crs_is_an_error(tmp_path):
    rasterio = rio()
    p = tmp_path / "nocrs.tif"
    write_tif(p, np.ones((5, 5), np.int16), rasterio.transform.from_origin(7.0, 44.0, 0.01, 0.01), None)
    with pytest.raises(ValueError, match=r"nocrs.tif: no usable georeference \(no coordinate reference system\)"):
        terrain.load_dem(p)


def test_multiband_raster_is_an_error(tmp_path):
    rasterio = rio()
    p = tmp_path / "rgb.tif"
    with rasterio.open(p, "w", driver="GTiff", height=4, width=4, count=3, dtype="uint8", crs="EPSG:4326",
                       transform=rasterio.transform.from_origin(7.0, 44.0, 0.01, 0.01)) as ds:
        ds.write(np.ones((3, 4, 4), np.uint8))
    with pytest.raises(ValueError, match=r"rgb.tif: 3 bands"):
        terrain.load_dem(p)


def test_projected_raster_is_reprojected_on_load(tmp_path):
    """A plane in UTM 50N (Shanghai area) read back as lat/lon: heights at the lat/lon of known
    UTM points agree with the plane to within the bilinear resampling error."""
    rasterio = rio()
    from pyproj import Transformer

    x0, y0, res = 350000.0, 3450000.0, 30.0
    ny, nx = 300, 400
    xx, yy = np.meshgrid(x0 + (np.arange(nx) + 0.5) * res, y0 - (np.arange(ny) + 0.5) * res)
    plane = lambda x, y: 10.0 + (x - x0) * 0.05 + (y0 - y) * 0.02  # noqa: E731
    write_tif(tmp_path / "utm.tif", plane(xx, yy).astype(np.float32),
              rasterio.transform.from_origin(x0, y0, res, res), "EPSG:32651")
    dem = terrain.load_dem(tmp_path / "utm.tif")
    assert dem.dims == ("lat", "lon") and "EPSG:32651" in dem.attrs["format"]
    tr = Transformer.from_crs("EPSG:32651", "EPSG:4326", always_xy=True)
    px, py = x0 + res * np.array([100.0, 200.0, 333.0]), y0 - res * np.array([50.0, 150.0, 250.0])
    lon, lat = tr.transform(px, py)
    h = terrain.elevation_m(dem, lat, lon)
    np.testing.assert_allclose(h, plane(px, py), atol=0.05 * res)  # 1.5 m on a 5 % slope


def test_sea_from_nodata_needs_a_border_reaching_sea_sized_region(tmp_path):
    lat = np.linspace(30.0, 31.5, 181)
    lon = np.linspace(120.0, 122.0, 241)
    z = np.full((lat.size, lon.size), 50.0)
    z[:, 180:] = -999.0  # the east quarter: ~ 170 x 48 km, reaches the border
    z[50:53, 40:43] = -999.0  # a small hole inland
    ds = xr.Dataset({"elevation": (("lat", "lon"), z.astype(np.int16), {"units": "m", "_FillValue": -999})},
                    coords={"lat": ("lat", lat, {"units": "degrees_north"}), "lon": ("lon", lon, {"units": "degrees_east"})})
    p = tmp_path / "sea.nc"
    ds.to_netcdf(p, engine="h5netcdf")
    dem = terrain.load_dem(p)
    assert dem.attrs["sea_cells"] == lat.size * 61 and dem.attrs["voids"] == 9
    assert np.all(dem.values[:, 180:] == 0.0) and bool(dem.coords["sea"].values[0, -1])
    assert np.isnan(dem.values[51, 41])
    assert terrain.load_dem(p, sea=False).attrs["voids"] == lat.size * 61 + 9
    # the sea flags survive save/load
    out = terrain.save_dem(dem, tmp_path / "saved.nc")
    back = terrain.load_dem(out)
    np.testing.assert_array_equal(back.coords["sea"].values, dem.coords["sea"].values)


def test_bathymetry_option(tmp_path):
    z = np.array([[-3000.0, -20.0, 5.0], [-10.0, 100.0, 200.0]])
    ds = xr.Dataset({"elevation": (("lat", "lon"), z, {"units": "m"})},
                    coords={"lat": ("lat", [0.0, 1.0], {"units": "degrees_north"}),
                            "lon": ("lon", [0.0, 1.0, 2.0], {"units": "degrees_east"})})
    p = tmp_path / "tb.nc"
    ds.to_netcdf(p, engine="h5netcdf")
    with pytest.raises(ValueError, match="bathymetry=True"):
        terrain.load_dem(p)
    dem = terrain.load_dem(p, bathymetry=True)
    np.testing.assert_array_equal(dem.values, [[0.0, 0.0, 5.0], [0.0, 100.0, 200.0]])
    assert dem.coords["sea"].values.sum() == 3


def test_without_rasterio_hgt_and_netcdf_still_work(tmp_path, monkeypatch):
    from spectrum.terrain import gdal

    monkeypatch.setattr(gdal, "have_rasterio", lambda: False)
    write_hgt(tmp_path / "N01E002.hgt", np.full((1201, 1201), 7, np.int16))
    assert float(terrain.load_dem(tmp_path / "N01E002.hgt").mean()) == 7.0
    (tmp_path / "x.img").write_bytes(b"\0" * 10)
    with pytest.raises(ValueError, match=r"\[gis\] extra"):
        terrain.load_dem(tmp_path / "x.img")


# ---- the real data sets -------------------------------------------------------------------------

def test_shared_hgt_and_geotiff_twin_agree():
    a = terrain.load_dem(shared("dem-srtm3-provence/N43E006.hgt"))
    b = terrain.load_dem(shared("dem-srtm3-provence/N43E006.tif"))
    np.testing.assert_array_equal(a.values, b.values)
    np.testing.assert_allclose(a["lat"].values, b["lat"].values, atol=1e-8)


def test_shared_projected_utm_dem():
    rio()
    dem = terrain.load_dem(shared("dem-srtm1-bigtujunga-utm/bigtujunga.tif"))
    la0, la1, lo0, lo1 = terrain.dem_bounds(dem)
    assert 34.22 < la0 < 34.24 and 34.40 < la1 < 34.42 and -118.36 < lo0 < -118.34 and -117.96 < lo1 < -117.94
    assert 300 < np.nanmin(dem.values) and np.nanmax(dem.values) < 2300 and dem.attrs["voids"] == 0


def test_shared_east_china_sea_is_sea_not_voids():
    dem = terrain.load_dem(shared("dem-east-china-30s/east_china_dem_30s.nc"))
    assert dem.attrs["sea_cells"] > 0.4 * dem.size  # -999 over the East China Sea
    assert bool(dem.coords["sea"].sel(lat=30.5, lon=123.0, method="nearest"))  # East China Sea
    assert float(dem.sel(lat=31.23, lon=121.47, method="nearest")) < 20.0  # Shanghai
    d, h = terrain.profile(dem, (30.6, 121.9), (30.6, 122.8))  # out to sea: 0 m, no void error
    assert np.all(h[-10:] == 0.0)


def test_shared_topobathy_needs_bathymetry_flag():
    p = shared("dem-east-china-topobathy-2min/east_china_topobathy_2min.nc")
    with pytest.raises(ValueError, match="bathymetry=True"):
        terrain.load_dem(p)
    assert terrain.load_dem(p, bathymetry=True).attrs["sea_cells"] > 0


def test_cli_terrain_info_file(capsys):
    p = shared("dem-srtm3-provence/N43E007.hgt")
    assert cli.main(["terrain", "info", str(p), "--json"]) == 0
    import json

    doc = json.loads(capsys.readouterr().out)
    assert doc["kind"] == "file" and doc["voids"] == 4 and doc["resolution_arcsec"] == pytest.approx([3.0, 3.0])
    assert doc["bounds"] == pytest.approx({"lat_min": 43.0, "lat_max": 44.0, "lon_min": 7.0, "lon_max": 8.0})
    assert cli.main(["terrain", "info", str(p)]) == 0
    assert "voids      4 cells" in capsys.readouterr().out
