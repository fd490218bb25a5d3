"""Any single-band raster GDAL reads, through rasterio + pyproj (the ``[gis]`` extra).

Geographic WGS84 rasters are read as they are (pixel centres from the affine transform, which
GDAL already shifts for ``AREA_OR_POINT=Point``). Projected rasters, and geographic ones on
another datum, are **reprojected on load** to WGS84 latitude/longitude (EPSG:4326) with bilinear
resampling at the raster's own pixel size (metres converted to degrees at the centre latitude),
so every profile, zone and map kernel keeps one grid convention (docs/terrain.md: why not sample
in the raster's own CRS).

References
----------
GDAL raster data model (geotransform, no-data, AREA_OR_POINT); PROJ / pyproj (EPSG:4326).
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import xarray as xr

from .. import geo

_UNITS = {"": 1.0, "m": 1.0, "metre": 1.0, "metres": 1.0, "meter": 1.0, "meters": 1.0,
          "ft": 0.3048, "foot": 0.3048, "feet": 0.3048, "us survey foot": 1200.0 / 3937.0, "km": 1000.0}


def have_rasterio() -> bool:
    """True when the ``[gis]`` extra (rasterio) is installed."""
    try:
        import rasterio  # noqa: F401
    except ImportError:
        return False
    return True


def _require():
    try:
        import rasterio
    except ImportError as exc:
        raise ValueError("reading this raster needs the [gis] extra: pip install 'spectrum[gis]' "
                         "(rasterio, pyproj)") from exc
    return rasterio


def _is_wgs84(crs) -> bool:
    """WGS84 latitude/longitude -- or a geographic CRS in degrees on the WGS84 ellipsoid whose datum
    is unnamed (what GDAL makes of a GeoTIFF with GTModelType=geographic and no datum key)."""
    from pyproj import CRS

    try:
        c = CRS.from_user_input(crs.to_wkt())
        if c.equals(CRS.from_epsg(4326), ignore_axis_order=True):
            return True
        return bool(c.is_geographic and c.datum is not None and c.datum.name.lower() in ("unnamed", "unknown")
                    and c.ellipsoid is not None and abs(c.ellipsoid.semi_major_metre - 6378137.0) < 1e-3
                    and abs(c.ellipsoid.inverse_flattening - 298.257223563) < 1e-6)
    except Exception:  # noqa: BLE001 - an unparsable CRS is not WGS84
        return False


def raster_header(path) -> dict:
    """Extent and grid of a raster without reading its pixels (for the catalogue index).

    Returns ``{"crs", "width", "height", "bounds": (lat_min, lat_max, lon_min, lon_max) of the
    pixel centres in WGS84, "res_deg": (dlat, dlon)}``.
    """
    rasterio = _require()
    from rasterio.warp import transform_bounds

    p = Path(path)
    try:
        with rasterio.open(p) as ds:
            _check_georef(ds, p)
            crs = ds.crs
            w, h = ds.width, ds.height
            if _is_wgs84(crs):
                t = ds.transform
                lon0, lat_top = t.c + 0.5 * t.a, t.f + 0.5 * t.e
                lon1, lat_bot = lon0 + (w - 1) * t.a, lat_top + (h - 1) * t.e
                b = (min(lat_top, lat_bot), max(lat_top, lat_bot), min(lon0, lon1), max(lon0, lon1))
                res = (abs(t.e), abs(t.a))
            else:
                left, bottom, right, top = transform_bounds(crs, "EPSG:4326", *ds.bounds, densify_pts=21)
                dlat, _ = _target_res(ds, (bottom + top) / 2.0)
                b = (bottom + dlat / 2, top - dlat / 2, left + dlat / 2, right - dlat / 2)
                res = _target_res(ds, (bottom + top) / 2.0)
            return {"crs": crs.to_string(), "width": w, "height": h, "bounds": b, "res_deg": res}
    except rasterio.errors.RasterioIOError as exc:
        raise ValueError(f"{p}: unknown DEM format or unreadable raster (GDAL: {exc})") from exc
    except (rasterio.errors.CRSError, rasterio.errors.RasterioError, rasterio._err.CPLE_BaseError) as exc:
        raise ValueError(f"{p}: no usable georeference: its CRS cannot be transformed to WGS84 "
                         f"latitude/longitude ({str(exc)[:200]})") from exc


def _check_georef(ds, p: Path) -> None:
    if ds.count != 1:
        raise ValueError(f"{p}: {ds.count} bands; an elevation raster must have exactly one band")
    if ds.crs is None:
        raise ValueError(f"{p}: no usable georeference (no coordinate reference system); "
                         "give the raster a CRS (e.g. gdal_edit.py -a_srs EPSG:4326) -- it is not guessed at")
    t = ds.transform
    if t.is_identity or t.a == 0 or t.e == 0:
        raise ValueError(f"{p}: no usable georeference (identity or degenerate geotransform {tuple(t)[:6]})")
    if t.b != 0 or t.d != 0:
        raise ValueError(f"{p}: rotated geotransform {tuple(t)[:6]} is not supported; warp it north-up first")


def _target_res(ds, lat_c: float) -> tuple[float, float]:
    """Degrees per pixel (dlat, dlon) matching the projected pixel size at latitude ``lat_c``."""
    t = ds.transform
    if ds.crs.is_geographic:
        return abs(t.e), abs(t.a)
    units = 1.0
    try:
        units = float(ds.crs.linear_units_factor[1])
    except Exception:  # noqa: BLE001 - CRS without linear units: metres
        units = 1.0
    px_m = min(abs(t.a), abs(t.e)) * units
    dlat = px_m / (math.radians(1.0) * geo.EARTH_RADIUS_KM * 1000.0)
    return dlat, dlat / max(math.cos(math.radians(lat_c)), 1e-6)


def load_rasterio(path, *, nodata=None, sea="auto", bathymetry: bool = False) -> xr.DataArray:
    """Read a single-band raster with rasterio; reproject to WGS84 lat/lon if it is not already.

    Parameters as :func:`spectrum.terrain.load_dem`.
    """
    rasterio = _require()
    from .rasters import finish_dem

    p = Path(path)
    try:
        with rasterio.open(p) as ds:
            _check_georef(ds, p)
            unit = str((ds.units or ("",))[0] or "").strip().lower()
            if unit not in _UNITS:
                raise ValueError(f"{p}: band units {unit!r}; expected metres (or feet)")
            tag_nd = ds.nodata
            if _is_wgs84(ds.crs):
                data = ds.read(1)
                t = ds.transform
                lon = t.c + (np.arange(ds.width) + 0.5) * t.a
                lat = t.f + (np.arange(ds.height) + 0.5) * t.e
                fmt = f"{ds.driver} (rasterio, EPSG:4326)"
                outside = None
                crs_note = "EPSG:4326"
            else:
                data, lat, lon, outside = _reproject(ds, p, nodata, tag_nd)
                tag_nd = None  # masked to NaN by the warp
                fmt = f"{ds.driver} (rasterio, reprojected from {ds.crs.to_string()} to EPSG:4326, bilinear)"
                crs_note = ds.crs.to_string()
    except rasterio.errors.RasterioIOError as exc:
        raise ValueError(f"{p}: unknown DEM format or unreadable raster (GDAL: {exc})") from exc
    except (rasterio.errors.CRSError, rasterio.errors.RasterioError, rasterio._err.CPLE_BaseError) as exc:
        raise ValueError(f"{p}: no usable georeference: its CRS cannot be transformed to WGS84 "
                         f"latitude/longitude ({str(exc)[:200]})") from exc
    if tag_nd is None and data.dtype == np.int16 and (data == -32768).any():
        tag_nd = -32768.0  # SRTM's void value; -32768 m cannot be a height
    if data.dtype.kind == "f" and tag_nd is not None and math.isnan(tag_nd):
        tag_nd = None
    return finish_dem(data, lat, lon, path=p, fmt=fmt, nodata=nodata, tag_nodata=tag_nd, sea=sea,
                      bathymetry=bathymetry, units_scale=_UNITS[unit], outside=outside, source_crs=crs_note)


def _reproject(ds, p: Path, nodata, tag_nd):
    from rasterio.warp import Resampling, reproject, transform_bounds
    from rasterio.transform import from_origin

    left, bottom, right, top = transform_bounds(ds.crs, "EPSG:4326", *ds.bounds, densify_pts=21)
    dlat, dlon = _target_res(ds, 0.5 * (bottom + top))
    ny = max(int(math.floor((top - bottom) / dlat)), 2)
    nx = max(int(math.floor((right - left) / dlon)), 2)
    if ny * nx > 200_000_000:
        raise ValueError(f"{p}: reprojected grid of {ny} x {nx} cells is too large; crop or resample it first")
    dst = np.full((ny, nx), np.nan, dtype=np.float64)
    raw = ds.read(1)
    src = raw.astype(np.float64)
    if tag_nd is None and raw.dtype == np.int16:
        tag_nd = -32768.0  # SRTM's void value; -32768 m cannot be a height
    for nd in (tag_nd, nodata):
        if nd is not None:
            src[src == nd] = np.nan
    kw = dict(src_transform=ds.transform, src_crs=ds.crs, dst_transform=from_origin(left, top, dlon, dlat),
              dst_crs="EPSG:4326")
    reproject(src, dst, src_nodata=np.nan, dst_nodata=np.nan, resampling=Resampling.bilinear, **kw)
    foot = np.zeros((ny, nx), dtype=np.uint8)  # the source footprint: outside it is not a void
    reproject(np.ones(src.shape, dtype=np.uint8), foot, dst_nodata=0, resampling=Resampling.nearest, **kw)
    lon = left + (np.arange(nx) + 0.5) * dlon
    lat = top - (np.arange(ny) + 0.5) * dlat
    # the warped box's corners fall outside a rotated projected footprint: those rows/cols of pure
    # no-data along the edges are cropped so they are not reported as voids
    ok = ~np.isnan(dst)
    rows, cols = np.flatnonzero(ok.any(1)), np.flatnonzero(ok.any(0))
    if rows.size < 2 or cols.size < 2:
        raise ValueError(f"{p}: no valid heights after reprojection")
    rs, cs = slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)
    return dst[rs, cs], lat[rs], lon[cs], foot[rs, cs] == 0
