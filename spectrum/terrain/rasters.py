"""DEM file readers: SRTM ``.hgt`` (fast path), GeoTIFF, NetCDF, and any GDAL raster (``[gis]``).

References
----------
NASA/USGS, SRTM Topography (.hgt format: big-endian int16, -32768 voids, SW-corner name).
OGC GeoTIFF 1.1 (ModelTiepointTag 33922, ModelPixelScaleTag 33550, GeoKeyDirectoryTag 34735).
"""
from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

import numpy as np
import xarray as xr

from .. import geo
from .grid import VOID_HGT, _grid, _normalise, crop_dem, make_dem


#: Plausible terrain heights; anything outside is an error naming the file (never loaded). [m]
HEIGHT_RANGE_M = (-500.0, 9000.0)
#: A no-data region that reaches the grid border and covers at least the area of a 100 km
#: diameter circle (the size P.452-18 Table 3 gives for zone B, sea) is sea, not a void. [km²]
SEA_MIN_AREA_KM2 = math.pi * 50.0 ** 2


def _cell_area_km2(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Area of each grid cell (rows) on the 6371 km sphere. [km²]"""
    dlat = abs(float(lat[-1] - lat[0])) / max(lat.size - 1, 1)
    dlon = abs(float(lon[-1] - lon[0])) / max(lon.size - 1, 1)
    k = math.radians(1.0) * geo.EARTH_RADIUS_KM
    return (dlat * k) * (dlon * k) * np.cos(np.radians(lat))


def sea_from_nodata(void: np.ndarray, lat, lon) -> np.ndarray:
    """Cells of ``void`` that are sea: no-data regions reaching the grid border with an area of at
    least :data:`SEA_MIN_AREA_KM2` (P.452-18 Table 3: sea covers a 100 km diameter circle).

    Data sets such as the 30″ East-China grid mark the sea as no-data (-999); SRTM voids are
    small holes inside land. Everything else stays a void (profiles through it raise).
    """
    from scipy import ndimage

    if not void.any() or void.all():  # all no-data: no land to tell a sea from a void (a blank tile)
        return np.zeros_like(void)
    labels, n = ndimage.label(void)
    border = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    border = border[border > 0]
    if border.size == 0:
        return np.zeros_like(void)
    area_row = _cell_area_km2(np.asarray(lat, float), np.asarray(lon, float))
    area = ndimage.sum(np.broadcast_to(area_row[:, None], void.shape), labels, index=border)
    sea_labels = border[np.asarray(area) >= SEA_MIN_AREA_KM2]
    return np.isin(labels, sea_labels) if sea_labels.size else np.zeros_like(void)


def finish_dem(data, lat, lon, *, path, fmt: str, nodata=None, tag_nodata=None, sea="auto",
               bathymetry: bool = False, units_scale: float = 1.0, outside=None, sea_mask=None,
               **attrs) -> xr.DataArray:
    """Turn raw raster values into a checked DEM: no-data to NaN, sea flags, height range check.

    Parameters
    ----------
    data : ndarray, 2-D
        Raw values (any dtype); NaN already marks decoded no-data.
    lat, lon : ndarray
        Coordinates of rows / columns. [deg]
    path : str or Path
        File named in every error.
    fmt : str
        Format recorded in ``attrs["format"]``.
    nodata : float, optional
        Explicit no-data value (the ``nodata=`` option), used in addition to ``tag_nodata``.
    tag_nodata : float, optional
        No-data value from the file's own tags.
    sea : {"auto", True, False}
        No-data regions as sea (0 m, flagged): ``"auto"`` applies :func:`sea_from_nodata`,
        ``True`` takes every no-data cell as sea, ``False`` keeps them all as voids.
    bathymetry : bool
        The grid holds sea depths (topo-bathymetry such as ETOPO): heights below 0 m are sea,
        set to the sea surface 0 m and flagged. Without it, heights below -500 m are an error.
    units_scale : float
        Factor to metres.
    outside : ndarray of bool, optional
        Cells outside the source's footprint (corners of a reprojected grid): NaN, but neither
        voids nor sea.
    sea_mask : ndarray of bool, optional
        Sea flags stored in the file (the ``sea`` variable :func:`save_dem` writes).
    """
    if sea not in ("auto", True, False):
        raise ValueError(f"sea = {sea!r} must be 'auto', True or False")
    raw = np.asarray(data)
    z = raw.astype(np.float64) * units_scale
    for nd in (tag_nodata, nodata):
        if nd is not None and np.isfinite(nd):
            z[raw == nd] = np.nan
    sea_mask = np.zeros(z.shape, dtype=bool) if sea_mask is None else np.asarray(sea_mask, dtype=bool).copy()
    z[sea_mask] = 0.0
    if bathymetry:
        with np.errstate(invalid="ignore"):
            sea_mask = z < 0.0
        z[sea_mask] = 0.0
    lo, hi = HEIGHT_RANGE_M
    with np.errstate(invalid="ignore"):
        out = (z < lo) | (z > hi)
    if out.any():
        vals = z[out]
        common, cnt = np.unique(vals, return_counts=True)
        top = common[np.argmax(cnt)]
        hint = (f"; if {top:g} marks voids, pass nodata={top:g} (--nodata {top:g})"
                if cnt.max() > 1 and cnt.max() >= 0.5 * vals.size else "")
        if not bathymetry and np.nanmin(vals) < lo:
            hint += "; for a topo-bathymetry grid (sea depths) pass bathymetry=True (--bathymetry)"
        i, j = (int(v) for v in np.argwhere(out)[0])
        raise ValueError(f"{path}: {int(out.sum())} heights outside the plausible {lo:g}..{hi:g} m "
                         f"(from {np.nanmin(vals):g} to {np.nanmax(vals):g} m; first at lat {float(lat[i]):.5f}, "
                         f"lon {float(lon[j]):.5f}){hint}; the file is not guessed at")
    void = np.isnan(z)
    if outside is not None:
        void &= ~outside
    if void.any() and sea is not False:
        s = void if sea is True else sea_from_nodata(void, lat, lon)
        if s.any():
            z[s] = 0.0
            sea_mask |= s
    if np.isnan(z).all():
        raise ValueError(f"{path}: every cell is no-data; not a usable DEM")
    attrs.setdefault("voids", int((np.isnan(z) & (True if outside is None else ~outside)).sum()))
    attrs.setdefault("sea_cells", int(sea_mask.sum()))
    return make_dem(z, lat, lon, source=str(path), format=fmt, sea=sea_mask if sea_mask.any() else None, **attrs)


_NETCDF_EXT = (".nc", ".nc4", ".netcdf", ".h5", ".cdf")
_TIFF_EXT = (".tif", ".tiff")


def _is_hgt(name: str) -> bool:
    return name.endswith(".hgt") or name.endswith(".hgt.zip") or (name.endswith(".zip") and bool(_HGT_NAME.search(name)))


def load_dem(path, *, bounds=None, nodata=None, sea="auto", bathymetry: bool = False,
             engine: str = "auto") -> xr.DataArray:
    """Read a DEM file into a DataArray (dims lat, lon ascending; heights [m]; NaN voids).

    Formats, by file name:

    * ``.hgt`` (or ``.hgt.zip``/``.zip`` holding one): SRTM 1″ (3601×3601) or 3″ (1201×1201)
      big-endian int16 tile (own fast reader); the name (e.g. ``N31E121.hgt``) gives the south-west
      corner; -32768 voids become NaN; a byte-swapped (little-endian) tile is an error.
    * ``.tif`` / ``.tiff`` and every other raster GDAL reads (``.img``, ``.asc``, ``.vrt``,
      ``.bil``, ``.dem``, ``.jp2`` …): through rasterio (``[gis]`` extra), geographic or projected;
      a projected (or non-WGS84) grid is reprojected on load to WGS84 latitude/longitude by bilinear
      resampling at its own pixel size (docs/terrain.md says why). Without rasterio, GeoTIFF in
      geographic coordinates is read with ``tifffile`` and a projected one is refused.
    * ``.nc`` / ``.nc4`` / ``.netcdf`` / ``.h5``: NetCDF-4 (h5netcdf engine); coordinate variables
      named lat/latitude/y and lon/longitude/x in degrees (a bare dimension is an error); the one 2-D
      variable on them (or the one named elevation/height/z/...); ``_FillValue`` is no-data.

    Every reader then applies the same checks: no-data from the file's tags and ``nodata``;
    heights outside -500…9000 m are an error naming the file; no-data regions that reach the
    border with a sea-sized area (≥ a 100 km circle) are sea (0 m, boolean coordinate ``sea``).

    Parameters
    ----------
    path : str or os.PathLike
        DEM file.
    bounds : (lat_min, lat_max, lon_min, lon_max), optional
        Keep only the grid posts covering this box (:func:`crop_dem`). [deg]
    nodata : float, optional
        No-data value in addition to the file's own tag (e.g. -9999 in an untagged GeoTIFF).
    sea : {"auto", True, False}
        No-data as sea: see :func:`finish_dem`.
    bathymetry : bool
        Negative heights are sea depths (topo-bathymetry grid): sea surface 0 m, flagged as sea.
    engine : {"auto", "native", "rasterio"}
        Force the reader; ``"auto"`` takes the ``.hgt`` fast path and rasterio for the rest when
        installed.

    Returns
    -------
    xarray.DataArray
        Heights above mean sea level [m], ``attrs["source"]`` = the path.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        For an unknown extension, a malformed file (wrong size, no usable georeference, several
        bands, no DEM variable), implausible heights, or a byte-swapped ``.hgt``; the message names
        the file.
    """
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"DEM file not found: {p}")
    if p.is_dir():
        raise ValueError(f"{p} is a folder: open it with spectrum.terrain.open_terrain (a tile catalogue)")
    if engine not in ("auto", "native", "rasterio"):
        raise ValueError(f"engine = {engine!r} must be 'auto', 'native' or 'rasterio'")
    name = p.name.lower()
    opts = dict(nodata=nodata, sea=sea, bathymetry=bathymetry)
    from .gdal import have_rasterio, load_rasterio

    if engine == "rasterio":
        dem = load_rasterio(p, **opts)
    elif _is_hgt(name):
        dem = _load_hgt(p, **opts)
    elif name.endswith(_NETCDF_EXT):
        dem = _load_netcdf(p, **opts)
    elif name.endswith(_TIFF_EXT) and (engine == "native" or not have_rasterio()):
        dem = _load_geotiff(p, **opts)
    elif engine == "auto" and have_rasterio():
        dem = load_rasterio(p, **opts)
    else:
        raise ValueError(f"{p}: unknown DEM format (expected .hgt, .tif/.tiff or .nc; other raster formats "
                         "need the [gis] extra: pip install 'spectrum[gis]')")
    return dem if bounds is None else crop_dem(dem, bounds)


_HGT_NAME = re.compile(r"([NS])(\d{1,2})([EW])(\d{1,3})", re.IGNORECASE)
_HGT_SIZES = {1201 * 1201 * 2: 1201, 3601 * 3601 * 2: 3601}


def _read_hgt_bytes(raw: bytes, name: str, source: str, nodata=None, **opts) -> xr.DataArray:
    m = _HGT_NAME.search(Path(name).name)
    if not m:
        raise ValueError(f"{source}: SRTM tile name must give the SW corner like N31E121.hgt")
    lat_sw = int(m.group(2)) * (1 if m.group(1).upper() == "N" else -1)
    lon_sw = int(m.group(4)) * (1 if m.group(3).upper() == "E" else -1)
    if not (-90 <= lat_sw < 90 and -180 <= lon_sw < 180):
        raise ValueError(f"{source}: tile corner ({lat_sw}, {lon_sw}) from the name is out of range")
    n = _HGT_SIZES.get(len(raw))
    if n is None:
        raise ValueError(
            f"{source}: {len(raw)} bytes is not an SRTM tile (expected {1201 * 1201 * 2} bytes for 3\" "
            f"1201x1201 or {3601 * 3601 * 2} for 1\" 3601x3601, big-endian int16); truncated file?")
    a = np.frombuffer(raw, dtype=">i2").reshape(n, n)
    _check_hgt_byte_order(a, source)
    res = 1.0 / (n - 1)
    lat = lat_sw + 1.0 - np.arange(n) * res  # row 0 is the northern edge
    lon = lon_sw + np.arange(n) * res
    return finish_dem(a, lat, lon, path=source, fmt="SRTM hgt", nodata=nodata, tag_nodata=float(VOID_HGT),
                      resolution_arcsec=3.0 if n == 1201 else 1.0, **opts)


def _check_hgt_byte_order(a: np.ndarray, source: str) -> None:
    """A little-endian (byte-swapped) .hgt reads as wild heights: say so instead of loading them."""
    lo, hi = HEIGHT_RANGE_M
    if a.max() <= hi and (a.min() >= lo or not ((a < lo) & (a != VOID_HGT)).any()):
        return  # the usual case, decided without copying the tile
    valid = a[a != VOID_HGT]
    bad = (valid < lo) | (valid > hi)
    sw = a.byteswap()
    sw_valid = sw[sw != VOID_HGT]
    sw_bad = (sw_valid < lo) | (sw_valid > hi)
    if sw_bad.mean() < 0.5 * bad.mean():
        raise ValueError(f"{source}: the tile looks byte-swapped (little-endian int16): read big-endian as SRTM "
                         f"specifies, {int(bad.sum())} heights are outside {lo:g}..{hi:g} m (up to "
                         f"{int(valid.max())} m), swapped only {int(sw_bad.sum())}; re-export it as big-endian .hgt "
                         "(or GeoTIFF) -- the file is not guessed at")


def _load_hgt(path: Path, **opts) -> xr.DataArray:
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as zf:
                names = [n for n in zf.namelist() if n.lower().endswith(".hgt")]
                if len(names) != 1:
                    raise ValueError(f"{path}: expected one .hgt file in the zip, found {len(names)}")
                return _read_hgt_bytes(zf.read(names[0]), names[0], str(path), **opts)
        except zipfile.BadZipFile as exc:
            raise ValueError(f"{path}: not a valid zip file ({exc})") from exc
    return _read_hgt_bytes(path.read_bytes(), path.name, str(path), **opts)


def _geokeys(values) -> dict[int, object]:
    v = [int(x) for x in np.ravel(values)]
    if len(v) < 4:
        return {}
    keys = {}
    for k in range(v[3]):
        kid, loc, cnt, val = v[4 + 4 * k: 8 + 4 * k]
        if loc == 0:
            keys[kid] = val
    return keys


def _load_geotiff(path: Path, nodata=None, **opts) -> xr.DataArray:
    import tifffile

    try:
        with tifffile.TiffFile(path) as tif:
            page = tif.pages[0]
            tags = {t.code: t.value for t in page.tags.values()}
            data = page.asarray()
    except Exception as exc:  # tifffile raises several types on corrupt files
        raise ValueError(f"{path}: not a readable TIFF file ({type(exc).__name__}: {exc})") from exc
    data = np.asarray(data)
    if data.ndim == 3 and 1 in (data.shape[0], data.shape[-1]):
        data = data.reshape(data.shape[1:] if data.shape[0] == 1 else data.shape[:-1])
    if data.ndim != 2:
        raise ValueError(f"{path}: expected a single-band elevation raster, got shape {data.shape}")
    keys = _geokeys(tags[34735]) if 34735 in tags else {}
    model_type = keys.get(1024)
    if model_type is not None and model_type != 2:
        raise ValueError(f"{path}: GeoTIFF is in a projected CRS (GTModelTypeGeoKey={model_type}); install the "
                         "[gis] extra (pip install 'spectrum[gis]': rasterio, pyproj) to reproject it on load")
    pixel_is_point = keys.get(1025, 1) == 2
    ny, nx = data.shape
    if 33550 in tags and 33922 in tags:
        sx, sy = float(tags[33550][0]), float(tags[33550][1])
        tp = [float(x) for x in tags[33922]]
        i0, j0, x0, y0 = tp[0], tp[1], tp[3], tp[4]
    elif 34264 in tags:
        m = [float(x) for x in tags[34264]]
        if m[1] != 0.0 or m[4] != 0.0:
            raise ValueError(f"{path}: rotated GeoTIFF transformations are not supported")
        sx, sy, i0, j0, x0, y0 = m[0], -m[5], 0.0, 0.0, m[3], m[7]
    else:
        raise ValueError(f"{path}: TIFF has no georeferencing (ModelTiepoint/ModelPixelScale tags); "
                         "not a GeoTIFF DEM")
    if sx <= 0 or sy == 0:
        raise ValueError(f"{path}: invalid GeoTIFF pixel scale ({sx}, {sy})")
    off = 0.0 if pixel_is_point else 0.5
    lon = x0 + (np.arange(nx) - i0 + off) * sx
    lat = y0 - (np.arange(ny) - j0 + off) * sy
    if lat.min() < -90.0 - 1e-6 or lat.max() > 90.0 + 1e-6 or lon.min() < -180.0 - 1e-6 or lon.max() > 360.0:
        raise ValueError(f"{path}: coordinates lat {lat.min():g}..{lat.max():g}, lon {lon.min():g}..{lon.max():g} "
                         "are not geographic degrees; reproject to latitude/longitude first")
    tag_nodata = None
    if 42113 in tags:  # GDAL_NODATA (ASCII)
        try:
            tag_nodata = float(str(tags[42113]).strip("\x00 "))
        except ValueError:
            tag_nodata = None
    if tag_nodata is None and data.dtype == np.int16:
        tag_nodata = float(VOID_HGT)
    return finish_dem(data, lat, lon, path=path, fmt="GeoTIFF", nodata=nodata, tag_nodata=tag_nodata, **opts)


_LAT_NAMES = ("lat", "latitude", "y")
_LON_NAMES = ("lon", "longitude", "x")
_Z_NAMES = ("elevation", "height", "z", "h", "h_m", "altitude", "topo", "hgt", "dem", "band1")


def _load_netcdf(path: Path, nodata=None, **opts) -> xr.DataArray:
    try:
        ds = xr.open_dataset(path, engine="h5netcdf")
    except Exception as exc:
        raise ValueError(f"{path}: not a readable NetCDF-4/HDF5 file ({type(exc).__name__}: {exc})") from exc
    with ds:
        # only real coordinate variables count: a bare dimension would give 0, 1, 2 ... (1-degree
        # cells from (0, 0)) -- a silent misplacement, so it is an error
        names = {n.lower(): n for n in ds.variables if ds[n].ndim == 1 and ds[n].dims[0] == n}
        la = next((names[n] for n in _LAT_NAMES if n in names), None)
        lo = next((names[n] for n in _LON_NAMES if n in names), None)
        if la is None or lo is None:
            dims = [d for d in ds.dims if d not in ds.variables]
            raise ValueError(f"{path}: no usable georeference: no latitude/longitude coordinate variables "
                             f"(looked for {_LAT_NAMES} and {_LON_NAMES})"
                             + (f"; dimensions {dims} have no coordinate values" if dims else "")
                             + "; not a DEM NetCDF file")
        for c, want in ((la, "degrees_north"), (lo, "degrees_east")):
            u = str(ds[c].attrs.get("units", "")).strip().lower()
            if u and not u.startswith("degree"):
                raise ValueError(f"{path}: coordinate {c!r} has units {u!r}, not {want}: a projected NetCDF grid; "
                                 "convert it to GeoTIFF and read it with the [gis] extra, or reproject to lat/lon")
            if not u and c.lower() in ("x", "y"):
                raise ValueError(f"{path}: coordinate {c!r} has no units: cannot tell degrees from metres; "
                                 "set units='degrees_north'/'degrees_east' or use a GeoTIFF with a CRS")
        cands = [v for v in ds.data_vars if set(ds[v].dims) == {la, lo} and v != "sea"]
        if not cands:
            raise ValueError(f"{path}: no 2-D variable on ({la}, {lo}); not a DEM NetCDF file")
        if len(cands) > 1:
            pref = [v for v in cands if v.lower() in _Z_NAMES]
            if len(pref) != 1:
                raise ValueError(f"{path}: several 2-D variables {cands}; cannot tell which is the elevation")
            cands = pref
        var = ds[cands[0]].transpose(la, lo)
        sea_var = ds["sea"].transpose(la, lo).values.astype(bool) if "sea" in ds.variables and \
            set(ds["sea"].dims) == {la, lo} else None
        z = np.asarray(var.values, dtype=np.float64)
        units = str(var.attrs.get("units", "m")).strip().lower()
        lat = np.asarray(ds[la].values, dtype=np.float64)
        lon = np.asarray(ds[lo].values, dtype=np.float64)
    if units in ("km", "kilometre", "kilometres", "kilometer", "kilometers"):
        z = z * 1000.0
    elif units in ("ft", "feet", "foot"):
        z = z * 0.3048
    elif units not in ("m", "metre", "metres", "meter", "meters", "m amsl", "1", ""):
        raise ValueError(f"{path}: variable {cands[0]!r} has units {units!r}; expected metres")
    if lat.min() < -90.0 - 1e-6 or lat.max() > 90.0 + 1e-6:
        raise ValueError(f"{path}: {la} values {lat.min():g}..{lat.max():g} are not latitudes in degrees")
    dem = finish_dem(z, lat, lon, path=path, fmt="NetCDF", nodata=nodata, sea_mask=sea_var, **opts)
    _grid(dem)  # regular spacing check
    return dem


def save_dem(dem, path) -> Path:
    """Write a DEM to NetCDF-4 (CF lat/lon grid, heights in m) through :mod:`spectrum.io`
    (atomic, with provenance); :func:`load_dem` reads it back unchanged.

    Parameters
    ----------
    dem : DataArray
        DEM.
    path : str or os.PathLike
        Output file (``.nc``).

    Returns
    -------
    pathlib.Path
    """
    from ..io import write_netcdf

    dem = _normalise(dem)
    _grid(dem)
    out = dem.copy()
    out.name = out.name or "elevation"
    out.attrs = {k: v for k, v in out.attrs.items() if isinstance(v, (str, int, float, np.number))}
    out.attrs["units"] = "m"
    if "sea" in out.coords:
        out.coords["sea"] = out.coords["sea"].astype(np.int8)
    return write_netcdf(out, path, model="DEM", inputs={"source": str(dem.attrs.get("source", ""))})

