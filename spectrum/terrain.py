"""Terrain: digital elevation models in xarray, and path profiles extracted from them.

A DEM is an :class:`xarray.DataArray` of heights above mean sea level [m] with dims
``("lat", "lon")``, ascending, regularly spaced coordinates in degrees (pixel centres /
grid posts), float64 values, NaN for voids, ``attrs["units"] == "m"`` and ``attrs["source"]``.

* :func:`load_dem` reads SRTM ``.hgt`` tiles (also zipped), GeoTIFF (geographic CRS, via
  ``tifffile`` and the GeoTIFF tags) and NetCDF (``h5netcdf`` engine).
* :func:`mosaic` joins adjacent tiles; :func:`synthetic_dem` makes seeded fractal terrain.
* :func:`profile`, :func:`profiles` and :func:`radial_profiles` sample heights by bilinear
  interpolation at equally spaced points of great circles on the 6371 km sphere
  (:mod:`spectrum.geo`), with Numba kernels in :mod:`spectrum.kernels.profile`. The path
  profile (distance and height of each point from the transmitter, Attachment 2 to Annex 1
  of P.452-18) is the input of Rec. ITU-R P.452 / P.1812 / P.2001 and of the NTIA ITM.
* :func:`radio_climatic_zones` (P.452-18 Table 3) and :func:`line_of_sight` (Earth bulge,
  Fresnel clearance) derive the other path quantities a planner needs from the DEM.

A path that leaves the DEM, or that meets a void (NaN), raises :class:`ValueError` saying
where, never returns silently wrong heights.

References
----------
Rec. ITU-R P.452-18 (10/2023), Annex 1, Attachment 2 (path profile analysis).
Rec. ITU-R P.1058-3, Digital topographic databases for propagation studies.
NASA/USGS, SRTM Topography (.hgt format: big-endian int16, -32768 voids, SW-corner name).
OGC GeoTIFF 1.1 (ModelTiepointTag 33922, ModelPixelScaleTag 33550, GeoKeyDirectoryTag 34735).
"""
from __future__ import annotations

import math
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from . import geo
from ._validate import as_float_array, check_finite, check_lat_lon, check_positive
from .kernels import profile as _k

__all__ = [
    "as_dem", "load_dem", "save_dem", "crop_dem", "mosaic", "dem_files", "synthetic_dem", "make_dem", "fill_voids",
    "dem_bounds", "dem_resolution_m", "elevation_m",
    "profile", "profiles", "radial_profiles", "RadialProfiles",
    "radio_climatic_zones", "sample_nearest", "ZONE_COASTAL_LAND", "ZONE_INLAND", "ZONE_SEA",
    "line_of_sight", "LineOfSight",
]

VOID_HGT = -32768


# --------------------------------------------------------------------------------------------
# construction / validation of DEM DataArrays
# --------------------------------------------------------------------------------------------

def make_dem(heights, lat, lon, *, source: str = "", name: str = "elevation", **attrs) -> xr.DataArray:
    """Wrap a 2-D array of heights into a DEM DataArray (dims lat, lon ascending, units m).

    Parameters
    ----------
    heights : array_like, shape (n_lat, n_lon)
        Heights above mean sea level; NaN for voids. [m]
    lat, lon : array_like
        Grid coordinates, regularly spaced (either order; sorted ascending here). [deg]
    source : str
        Where the data came from (kept in ``attrs["source"]``).

    Returns
    -------
    xarray.DataArray
    """
    z = np.asarray(heights, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    if z.ndim != 2 or z.shape != (lat.size, lon.size):
        raise ValueError(f"heights shape {z.shape} does not match lat ({lat.size}) x lon ({lon.size})")
    if lat.size < 2 or lon.size < 2:
        raise ValueError(f"a DEM needs at least 2 x 2 points, got {lat.size} x {lon.size}")
    if lat[0] > lat[-1]:
        lat, z = lat[::-1], z[::-1, :]
    if lon[0] > lon[-1]:
        lon, z = lon[::-1], z[:, ::-1]
    da = xr.DataArray(np.ascontiguousarray(z), dims=("lat", "lon"),
                      coords={"lat": lat, "lon": lon}, name=name)
    da.attrs.update({"units": "m", "long_name": "height above mean sea level", "source": source})
    da.attrs.update(attrs)
    da.coords["lat"].attrs.update(units="degrees_north", standard_name="latitude")
    da.coords["lon"].attrs.update(units="degrees_east", standard_name="longitude")
    return da


@dataclass(frozen=True)
class _Grid:
    z: np.ndarray
    lat0: float
    dlat: float
    lon0: float
    dlon: float
    lat1: float
    lon1: float

    def bounds_text(self) -> str:
        return f"lat {self.lat0:.6g}..{self.lat1:.6g}, lon {self.lon0:.6g}..{self.lon1:.6g}"

    def contains(self, lat: float, lon: float) -> bool:
        return bool(_k.inside(self.z, self.lat0, self.dlat, self.lon0, self.dlon, float(lat), float(lon)))


def _regular(name: str, c: np.ndarray) -> tuple[float, float]:
    if c.ndim != 1 or c.size < 2:
        raise ValueError(f"DEM coordinate {name} must be 1-D with >= 2 values")
    d = np.diff(c)
    if not np.all(d > 0):
        raise ValueError(f"DEM coordinate {name} must be strictly ascending")
    step = (c[-1] - c[0]) / (c.size - 1)
    if np.max(np.abs(d - step)) > 1e-4 * step:
        raise ValueError(f"DEM coordinate {name} is not regularly spaced (steps {d.min():.9g}..{d.max():.9g} deg)")
    return float(c[0]), float(step)


def _as_dem(dem) -> xr.DataArray:
    if isinstance(dem, (str, os.PathLike)):
        return load_dem(dem)
    if not isinstance(dem, xr.DataArray):
        raise ValueError(f"dem must be an xarray.DataArray or a file path, got {type(dem).__name__}")
    return dem


def _normalise(dem) -> xr.DataArray:
    """The DEM with dims exactly ("lat", "lon") and ascending coordinates (no copy if already so)."""
    dem = _as_dem(dem)
    alias = {"latitude": "lat", "longitude": "lon"}
    if any(d in alias for d in dem.dims):
        dem = dem.rename({d: alias[d] for d in dem.dims if d in alias})
    if set(dem.dims) != {"lat", "lon"} or dem.ndim != 2:
        raise ValueError(f"a DEM must have dims ('lat', 'lon'), got {dem.dims}")
    if dem.dims != ("lat", "lon"):
        dem = dem.transpose("lat", "lon")
    for c in ("lat", "lon"):
        v = dem[c].values
        if v.size > 1 and v[0] > v[-1]:  # e.g. rows north first: flip, as make_dem does
            dem = dem.isel({c: slice(None, None, -1)})
    return dem


def as_dem(dem) -> xr.DataArray:
    """A DEM from a DataArray or a file path, with dims ("lat", "lon") and ascending coordinates.

    Accepts ``latitude``/``longitude`` dims and descending coordinates; returns the input
    unchanged when it is already in that form. Raises ValueError for anything else.
    """
    dem = _normalise(dem)
    _grid(dem)  # regular spacing check
    return dem


def _grid(dem) -> _Grid:
    dem = _normalise(dem)
    lat = np.asarray(dem["lat"].values, dtype=np.float64)
    lon = np.asarray(dem["lon"].values, dtype=np.float64)
    lat0, dlat = _regular("lat", lat)
    lon0, dlon = _regular("lon", lon)
    z = np.ascontiguousarray(dem.values, dtype=np.float64)
    return _Grid(z, lat0, dlat, lon0, dlon, float(lat[-1]), float(lon[-1]))


def dem_bounds(dem) -> tuple[float, float, float, float]:
    """``(lat_min, lat_max, lon_min, lon_max)`` of the DEM's grid posts. [deg]"""
    g = _grid(dem)
    return g.lat0, g.lat1, g.lon0, g.lon1


def dem_resolution_m(dem) -> float:
    """North–south spacing of the DEM's rows on the 6371 km sphere — the default profile step. [m]"""
    g = _grid(dem)
    return math.radians(g.dlat) * geo.EARTH_RADIUS_KM * 1000.0


# --------------------------------------------------------------------------------------------
# readers
# --------------------------------------------------------------------------------------------

_HGT_NAME = re.compile(r"([NS])(\d{1,2})([EW])(\d{1,3})", re.IGNORECASE)
_HGT_SIZES = {1201 * 1201 * 2: 1201, 3601 * 3601 * 2: 3601}


def _read_hgt_bytes(raw: bytes, name: str, source: str) -> xr.DataArray:
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
    z = a.astype(np.float64)
    z[a == VOID_HGT] = np.nan
    res = 1.0 / (n - 1)
    lat = lat_sw + 1.0 - np.arange(n) * res  # row 0 is the northern edge
    lon = lon_sw + np.arange(n) * res
    return make_dem(z, lat, lon, source=source, format="SRTM hgt",
                    resolution_arcsec=3.0 if n == 1201 else 1.0)


def _load_hgt(path: Path) -> xr.DataArray:
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as zf:
                names = [n for n in zf.namelist() if n.lower().endswith(".hgt")]
                if len(names) != 1:
                    raise ValueError(f"{path}: expected one .hgt file in the zip, found {len(names)}")
                return _read_hgt_bytes(zf.read(names[0]), names[0], str(path))
        except zipfile.BadZipFile as exc:
            raise ValueError(f"{path}: not a valid zip file ({exc})") from exc
    return _read_hgt_bytes(path.read_bytes(), path.name, str(path))


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


def _load_geotiff(path: Path) -> xr.DataArray:
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
        raise ValueError(f"{path}: GeoTIFF is in a projected CRS (GTModelTypeGeoKey={model_type}); "
                         "reproject it to geographic latitude/longitude (e.g. EPSG:4326) first")
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
    z = data.astype(np.float64)
    nodata = None
    if 42113 in tags:  # GDAL_NODATA (ASCII)
        try:
            nodata = float(str(tags[42113]).strip("\x00 "))
        except ValueError:
            nodata = None
    if nodata is not None:
        z[data == nodata] = np.nan
    elif data.dtype == np.int16:
        z[data == VOID_HGT] = np.nan
    return make_dem(z, lat, lon, source=str(path), format="GeoTIFF")


_LAT_NAMES = ("lat", "latitude", "y")
_LON_NAMES = ("lon", "longitude", "x")
_Z_NAMES = ("elevation", "height", "z", "h", "h_m", "altitude", "topo", "hgt", "dem", "band1")


def _load_netcdf(path: Path) -> xr.DataArray:
    try:
        ds = xr.open_dataset(path, engine="h5netcdf")
    except Exception as exc:
        raise ValueError(f"{path}: not a readable NetCDF-4/HDF5 file ({type(exc).__name__}: {exc})") from exc
    with ds:
        names = {n.lower(): n for n in list(ds.dims) + list(ds.coords)}
        la = next((names[n] for n in _LAT_NAMES if n in names), None)
        lo = next((names[n] for n in _LON_NAMES if n in names), None)
        if la is None or lo is None:
            raise ValueError(f"{path}: no latitude/longitude coordinates (looked for {_LAT_NAMES} and "
                             f"{_LON_NAMES}); not a DEM NetCDF file")
        cands = [v for v in ds.data_vars if set(ds[v].dims) == {la, lo}]
        if not cands:
            raise ValueError(f"{path}: no 2-D variable on ({la}, {lo}); not a DEM NetCDF file")
        if len(cands) > 1:
            pref = [v for v in cands if v.lower() in _Z_NAMES]
            if len(pref) != 1:
                raise ValueError(f"{path}: several 2-D variables {cands}; cannot tell which is the elevation")
            cands = pref
        var = ds[cands[0]].transpose(la, lo)
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
    dem = make_dem(z, lat, lon, source=str(path), format="NetCDF")
    _grid(dem)  # regular spacing check
    return dem


def crop_dem(dem, bounds) -> xr.DataArray:
    """The part of a DEM that covers ``bounds``, expanded to the enclosing grid posts so that
    bilinear interpolation works everywhere inside the box.

    Parameters
    ----------
    dem : DataArray or path
        DEM.
    bounds : (lat_min, lat_max, lon_min, lon_max)
        Box to keep. [deg]

    Returns
    -------
    xarray.DataArray

    Raises
    ------
    ValueError
        If the box is empty or does not overlap the DEM.
    """
    dem = _as_dem(dem)
    g = _grid(dem)
    try:
        lat_min, lat_max, lon_min, lon_max = (float(b) for b in bounds)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"bounds = {bounds!r} must be (lat_min, lat_max, lon_min, lon_max) in degrees") from exc
    if not (lat_max >= lat_min and lon_max >= lon_min):
        raise ValueError(f"bounds = {tuple(bounds)} is an empty box (need lat_min <= lat_max, lon_min <= lon_max)")
    nlat, nlon = g.z.shape
    i0 = max(int(math.floor((lat_min - g.lat0) / g.dlat + 1e-9)), 0)
    i1 = min(int(math.ceil((lat_max - g.lat0) / g.dlat - 1e-9)), nlat - 1)
    j0 = max(int(math.floor((lon_min - g.lon0) / g.dlon + 1e-9)), 0)
    j1 = min(int(math.ceil((lon_max - g.lon0) / g.dlon - 1e-9)), nlon - 1)
    if i1 - i0 < 1 or j1 - j0 < 1:
        raise ValueError(f"bounds = {tuple(bounds)} do not overlap the DEM ({g.bounds_text()})")
    return _normalise(dem).isel(lat=slice(i0, i1 + 1), lon=slice(j0, j1 + 1))


def load_dem(path, *, bounds=None) -> xr.DataArray:
    """Read a DEM file into a DataArray (dims lat, lon ascending; heights [m]; NaN voids).

    Formats, by file name:

    * ``.hgt`` (or ``.hgt.zip``/``.zip`` holding one): SRTM 1″ (3601×3601) or 3″ (1201×1201)
      big-endian int16 tile; the name (e.g. ``N31E121.hgt``) gives the south-west corner;
      -32768 voids become NaN. Grid posts include both edges (adjacent tiles share an edge).
    * ``.tif`` / ``.tiff``: GeoTIFF in geographic coordinates; georeferencing from
      ModelTiepoint + ModelPixelScale (or ModelTransformation) and GTRasterTypeGeoKey
      (pixel-is-area centres are shifted half a pixel); GDAL_NODATA or -32768 voids become NaN.
    * ``.nc`` / ``.nc4`` / ``.netcdf`` / ``.h5``: NetCDF-4 (h5netcdf engine); coordinates
      named lat/latitude/y and lon/longitude/x; the one 2-D variable on them (or the one named
      elevation/height/z/...).

    Parameters
    ----------
    path : str or os.PathLike
        DEM file.
    bounds : (lat_min, lat_max, lon_min, lon_max), optional
        Keep only the grid posts covering this box (:func:`crop_dem`). [deg]

    Returns
    -------
    xarray.DataArray
        Heights above mean sea level [m], ``attrs["source"]`` = the path.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        For an unknown extension or a malformed file (wrong size, no georeferencing, no DEM variable).
    """
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"DEM file not found: {p}")
    name = p.name.lower()
    if name.endswith(".hgt") or name.endswith(".hgt.zip") or (name.endswith(".zip") and _HGT_NAME.search(name)):
        dem = _load_hgt(p)
    elif name.endswith((".tif", ".tiff")):
        dem = _load_geotiff(p)
    elif name.endswith((".nc", ".nc4", ".netcdf", ".h5", ".cdf")):
        dem = _load_netcdf(p)
    else:
        raise ValueError(f"{p}: unknown DEM format (expected .hgt, .tif/.tiff or .nc)")
    return dem if bounds is None else crop_dem(dem, bounds)


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
    from .io import write_netcdf

    dem = _normalise(dem)
    _grid(dem)
    out = dem.copy()
    out.name = out.name or "elevation"
    out.attrs = {k: v for k, v in out.attrs.items() if isinstance(v, (str, int, float, np.number))}
    out.attrs["units"] = "m"
    return write_netcdf(out, path, model="DEM", inputs={"source": str(dem.attrs.get("source", ""))})


_DEM_EXTS = (".hgt", ".hgt.zip", ".tif", ".tiff", ".nc", ".nc4")


def _overlaps(b, bounds) -> bool:
    return b[0] <= bounds[1] and b[1] >= bounds[0] and b[2] <= bounds[3] and b[3] >= bounds[2]


def dem_files(folder, bounds=None) -> list[Path]:
    """DEM files (``.hgt``, ``.hgt.zip``, ``.tif``, ``.tiff``, ``.nc``) in a folder, sorted,
    optionally only those that intersect ``bounds``.

    SRTM tiles are selected by the south-west corner in their name (without reading them);
    other files are opened to read their extent; unreadable files are skipped.

    Parameters
    ----------
    folder : str or os.PathLike
        Folder to list (not recursive).
    bounds : (lat_min, lat_max, lon_min, lon_max), optional
        Box the files must intersect. [deg]

    Returns
    -------
    list of pathlib.Path
    """
    d = Path(folder)
    if not d.is_dir():
        raise FileNotFoundError(f"DEM folder not found: {d}")
    out = []
    for p in sorted(d.iterdir()):
        name = p.name.lower()
        if not name.endswith(_DEM_EXTS):
            continue
        if bounds is None:
            out.append(p)
            continue
        m = _HGT_NAME.search(p.name) if name.endswith((".hgt", ".hgt.zip")) else None
        if m:
            la = int(m.group(2)) * (1 if m.group(1).upper() == "N" else -1)
            lo = int(m.group(4)) * (1 if m.group(3).upper() == "E" else -1)
            if _overlaps((la, la + 1, lo, lo + 1), bounds):
                out.append(p)
        else:
            try:
                b = dem_bounds(load_dem(p))
            except (ValueError, OSError):
                continue
            if _overlaps(b, bounds):
                out.append(p)
    return out


def mosaic(dems_or_paths, bounds=None) -> xr.DataArray:
    """Join adjacent DEM tiles of the same resolution into one DEM.

    Rows/columns that adjacent tiles share (SRTM tiles overlap by one edge) appear once;
    where tiles overlap, the first tile that has a (non-void) value wins; cells no tile covers
    are NaN (voids).

    Parameters
    ----------
    dems_or_paths : iterable of DataArray or path, or a folder
        Tiles, in priority order, or a folder of tiles (:func:`dem_files`).
    bounds : (lat_min, lat_max, lon_min, lon_max), optional
        Keep only this box (each tile is cropped before joining, tiles outside it are
        dropped), so a folder of many tiles can be used for one region. [deg]

    Returns
    -------
    xarray.DataArray
    """
    if isinstance(dems_or_paths, (str, os.PathLike)) and Path(dems_or_paths).is_dir():
        dems_or_paths = dem_files(dems_or_paths, bounds)
        if not dems_or_paths:
            raise ValueError("mosaic: no DEM files in the folder" + (f" intersect {tuple(bounds)}" if bounds else ""))
    tiles = []
    for t in dems_or_paths:
        dem = _as_dem(t)
        if bounds is not None:
            if not _overlaps(dem_bounds(dem), bounds):
                continue
            try:
                dem = crop_dem(dem, bounds)
            except ValueError:  # touches the box along an edge only
                continue
        tiles.append(dem)
    if not tiles:
        raise ValueError("mosaic needs at least one tile" + (f" intersecting {tuple(bounds)}" if bounds else ""))
    grids = [_grid(t) for t in tiles]
    dlat, dlon = grids[0].dlat, grids[0].dlon
    for t, g in zip(tiles, grids):
        if abs(g.dlat - dlat) > 1e-6 * dlat or abs(g.dlon - dlon) > 1e-6 * dlon:
            raise ValueError(f"mosaic: tile {t.attrs.get('source', '?')} has resolution "
                             f"{g.dlat * 3600:.4g}\"x{g.dlon * 3600:.4g}\", the first has "
                             f"{dlat * 3600:.4g}\"x{dlon * 3600:.4g}\"")
    lat0 = min(g.lat0 for g in grids)
    lon0 = min(g.lon0 for g in grids)
    nlat = int(round((max(g.lat1 for g in grids) - lat0) / dlat)) + 1
    nlon = int(round((max(g.lon1 for g in grids) - lon0) / dlon)) + 1
    out = np.full((nlat, nlon), np.nan)
    for t, g in zip(tiles, grids):
        fi, fj = (g.lat0 - lat0) / dlat, (g.lon0 - lon0) / dlon
        i0, j0 = int(round(fi)), int(round(fj))
        if abs(fi - i0) > 1e-3 or abs(fj - j0) > 1e-3:
            raise ValueError(f"mosaic: tile {t.attrs.get('source', '?')} is not aligned with the grid of the first")
        ni, nj = g.z.shape
        block = out[i0:i0 + ni, j0:j0 + nj]
        fill = np.isnan(block)
        block[fill] = g.z[fill]
    lat = lat0 + np.arange(nlat) * dlat
    lon = lon0 + np.arange(nlon) * dlon
    src = "; ".join(str(t.attrs.get("source", "")) for t in tiles)
    return make_dem(out, lat, lon, source=f"mosaic of {len(tiles)} tiles: {src}")


def fill_voids(dem, *, max_iter: int = 5000, tol_m: float = 0.01, smooth: bool = True) -> xr.DataArray:
    """Fill NaN voids with the harmonic interpolant of the surrounding terrain.

    Each void cell first takes the height of the nearest valid cell (Euclidean distance
    transform); then successive over-relaxation solves Laplace's equation on the void cells
    with the valid cells fixed, so the fill joins the surrounding terrain smoothly (and is
    exact for planar terrain) instead of in nearest-neighbour terraces. Work is linear in
    the number of void cells per sweep; sweeps grow with the width of the largest void.

    Parameters
    ----------
    dem : DataArray or path
        DEM with voids.
    max_iter : int
        Most relaxation sweeps.
    tol_m : float
        Stop when no void cell changes by more than this in a sweep. [m]
    smooth : bool
        False for a pure nearest-neighbour fill.

    Returns
    -------
    xarray.DataArray
        A copy with voids filled (``attrs["voids_filled"]`` = number of cells filled,
        ``attrs["void_fill_sweeps"]`` = sweeps used).
    """
    from scipy import ndimage

    from .kernels import terrain_fill as _kf

    dem = _as_dem(dem)
    z = np.array(dem.values, dtype=np.float64)
    void = np.isnan(z)
    n = int(void.sum())
    if n == 0:
        return dem.copy()
    if n == z.size:
        raise ValueError("fill_voids: the DEM has no valid heights")
    if int(max_iter) != max_iter or max_iter < 0:
        raise ValueError(f"max_iter = {max_iter!r} must be an integer >= 0")
    tol = float(check_positive("tol_m", tol_m, "m"))
    idx = ndimage.distance_transform_edt(void, return_distances=False, return_indices=True)
    z = np.ascontiguousarray(z[tuple(idx)])
    sweeps = 0
    if smooth:
        iv, jv = (a.astype(np.int64) for a in np.nonzero(void))
        # over-relaxation factor for the size of the largest void
        labels, nlab = ndimage.label(void)
        width = max(max(sl.stop - sl.start for sl in obj) for obj in ndimage.find_objects(labels))
        omega = 2.0 / (1.0 + math.sin(math.pi / (width + 1)))
        sweeps = int(_kf.sor_fill(z, iv, jv, omega, int(max_iter), tol))
    out = dem.copy(data=z)
    out.attrs["voids_filled"] = n
    out.attrs["void_fill_sweeps"] = sweeps
    return out


# --------------------------------------------------------------------------------------------
# synthetic terrain
# --------------------------------------------------------------------------------------------

def _fractal_pair(rng, ny, nx, beta, dy_km, dx_km):
    """Two independent 1/k^beta random fields as the real and imaginary parts of one complex
    array (one inverse FFT). Spectral coefficients have uniform random real and imaginary
    parts; the fields are Gaussian by the central limit theorem."""
    from scipy import fft as sfft

    from .kernels import terrain_synth as _ks

    my, mx = sfft.next_fast_len(ny), sfft.next_fast_len(nx)  # synthesise on a fast size, crop
    ky = sfft.fftfreq(my, d=dy_km)
    kx = sfft.fftfreq(mx, d=dx_km)
    kmin = 1.0 / max(my * dy_km, mx * dx_km)
    raw = rng.bit_generator.random_raw(my * mx).reshape(my, mx)
    spec = np.empty((my, mx), dtype=np.complex64)
    _ks.shape_spectrum(raw, ky, kx, float(beta), kmin * kmin, spec)
    f = sfft.ifft2(spec, workers=-1, overwrite_x=True)
    return np.ascontiguousarray(f[:ny, :nx])


def synthetic_dem(lat_min: float, lat_max: float, lon_min: float, lon_max: float, res_arcsec: float = 3.0,
                  seed: int = 0, *, relief_m: float = 350.0, plain_m: float = 4.0, beta: float = 3.2,
                  hills: str | None = "sw", coast: str | None = None, sea_fraction: float = 0.22,
                  name: str = "elevation") -> xr.DataArray:
    """Seeded, realistic fractal terrain by spectral synthesis of a 1/k^β random field.

    The relief is a fractional-Brownian surface (power spectrum ∝ k^-β, β ≈ 2.3 for
    natural terrain), shaped into a low plain (a few metres, gently undulating) that rises
    into hills up to about ``relief_m`` towards the ``hills`` corner, cut by sinuous river
    valleys (the zero lines of a second independent field). With ``coast`` set, the side
    named is sea (height exactly 0 m) behind a fractal coastline, with low land behind it.
    Same arguments and seed give the same DEM on every machine.

    Parameters
    ----------
    lat_min, lat_max, lon_min, lon_max : float
        Bounds of the grid posts. [deg]
    res_arcsec : float
        Grid spacing. [arc-seconds], default 3 (≈ 90 m, SRTM3).
    seed : int
        Random seed.
    relief_m : float
        Typical height of the highest hills. [m]
    plain_m : float
        Typical height of the plain. [m]
    beta : float
        Spectral exponent of the height field (2 to 3).
    hills : {"sw", "se", "nw", "ne", "all", None}
        Where the hills are: towards one corner, everywhere, or nowhere (a plain).
    coast : {"east", "west", "north", "south", None}
        Side of the box that is sea, or None for no sea.
    sea_fraction : float
        Approximate fraction of the box that is sea when ``coast`` is set.
    name : str
        Name of the DataArray.

    Returns
    -------
    xarray.DataArray
        Heights above mean sea level [m], dims lat, lon.
    """
    check_lat_lon([lat_min, lat_max], [lon_min, lon_max], "bounds")
    if not (lat_max > lat_min and lon_max > lon_min):
        raise ValueError(f"synthetic_dem: empty box lat {lat_min}..{lat_max}, lon {lon_min}..{lon_max}")
    check_positive("res_arcsec", res_arcsec, "arcsec")
    check_positive("relief_m", relief_m, "m", allow_zero=True)
    if hills not in ("sw", "se", "nw", "ne", "all", None):
        raise ValueError(f"hills = {hills!r} must be one of 'sw', 'se', 'nw', 'ne', 'all' or None")
    if coast not in ("east", "west", "north", "south", None):
        raise ValueError(f"coast = {coast!r} must be one of 'east', 'west', 'north', 'south' or None")
    if not 0.0 < sea_fraction < 1.0:
        raise ValueError(f"sea_fraction = {sea_fraction} must be in (0, 1)")
    res = res_arcsec / 3600.0
    nlat = int(round((lat_max - lat_min) / res)) + 1
    nlon = int(round((lon_max - lon_min) / res)) + 1
    if nlat * nlon > 60_000_000:
        raise ValueError(f"synthetic_dem: {nlat} x {nlon} points is too large; use a coarser res_arcsec")
    lat = lat_min + np.arange(nlat) * res
    lon = lon_min + np.arange(nlon) * res
    rng = np.random.default_rng(seed)
    km_deg = math.radians(1.0) * geo.EARTH_RADIUS_KM
    coslat = math.cos(math.radians(0.5 * (lat_min + lat_max)))
    f = _fractal_pair(rng, nlat, nlon, beta, res * km_deg, res * km_deg * coslat)
    hill_mode, cu, cv = (0, 0.0, 0.0) if hills is None else (1, 0.0, 0.0) if hills == "all" else \
        (2, 0.0 if hills[1] == "w" else 1.0, 0.0 if hills[0] == "s" else 1.0)
    coast_mode = {None: 0, "east": 1, "west": 2, "north": 3, "south": 4}[coast]
    nline = nlat if coast in ("east", "west") else nlon
    # fractal coastline: 1-D 1/k noise along the shore, +-6 % of the box
    spec = rng.standard_normal(nline // 2 + 1) + 1j * rng.standard_normal(nline // 2 + 1)
    spec *= 1.0 / np.maximum(np.arange(nline // 2 + 1), 1.0)
    spec[0] = 0.0
    line = np.fft.irfft(spec, n=nline)
    shore = np.ascontiguousarray(line / (np.abs(line).max() + 1e-30) * 0.06)
    z = np.empty((nlat, nlon))
    from .kernels import terrain_synth as _ks

    _ks.shape_terrain(f, float(relief_m), float(plain_m), hill_mode, cu, cv, coast_mode, float(sea_fraction),
                      shore, z)
    return make_dem(z, lat, lon, source=f"synthetic_dem(seed={seed})", name=name, seed=seed,
                    res_arcsec=float(res_arcsec), synthetic=1)


# --------------------------------------------------------------------------------------------
# point heights and profiles
# --------------------------------------------------------------------------------------------

def _pt(name: str, p) -> tuple[float, float]:
    try:
        la, lo = (float(x) for x in p)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a (lat, lon) pair in degrees, got {p!r}") from exc
    check_lat_lon(la, lo, name)
    return la, lo


def _npts(d_km: np.ndarray, step_m: float) -> np.ndarray:
    n = np.ceil(d_km * 1000.0 / step_m - 1e-9).astype(np.int64) + 1
    return np.maximum(n, 2)


def _step(g: _Grid, step_m) -> float:
    if step_m is None:
        return math.radians(g.dlat) * geo.EARTH_RADIUS_KM * 1000.0
    s = float(check_positive("step_m", step_m, "m"))
    return s


def _void_error(label: str, d: float, la: float, lo: float) -> ValueError:
    return ValueError(f"{label} crosses a terrain void (NaN heights) at d = {d:.3f} km "
                      f"({la:.5f}, {lo:.5f}); fill voids first (spectrum.terrain.fill_voids) "
                      "or use another DEM")


def elevation_m(dem, lat, lon):
    """Bilinearly interpolated terrain height at points. [m amsl]

    Parameters
    ----------
    dem : DataArray or path
        DEM.
    lat, lon : array_like
        Points. [deg]

    Returns
    -------
    ndarray or float
        Heights; a point outside the DEM raises ValueError, a void gives NaN.
    """
    g = _grid(dem)
    la, lo = check_lat_lon(lat, lon)
    la, lo = np.broadcast_arrays(la, lo)
    flat_la = np.ascontiguousarray(la, dtype=np.float64).ravel()
    flat_lo = np.ascontiguousarray(lo, dtype=np.float64).ravel()
    out = np.empty(flat_la.size)
    _k.bilinear_points(g.z, g.lat0, g.dlat, g.lon0, g.dlon, flat_la, flat_lo, out)
    if np.isnan(out).any():
        for k in np.flatnonzero(np.isnan(out)):
            if not g.contains(flat_la[k], flat_lo[k]):
                raise ValueError(f"point ({flat_la[k]:.6f}, {flat_lo[k]:.6f}) is outside the DEM ({g.bounds_text()})")
    out = out.reshape(la.shape)
    return out[()] if out.ndim == 0 else out


def profile(dem, tx, rx, step_m: float | None = None, *, return_latlon: bool = False):
    """Terrain profile along the great circle from ``tx`` to ``rx``, P.452-18 Annex 1 Att. 2.

    Heights are bilinearly interpolated at equally spaced points (spacing ≤ ``step_m``,
    first point at ``tx``, last at ``rx``) of the great circle on the 6371 km sphere.

    Parameters
    ----------
    dem : DataArray or path
        DEM (see :func:`load_dem`).
    tx, rx : (lat, lon)
        End points. [deg]
    step_m : float, optional
        Maximum spacing of the samples. [m]. Default: the DEM's row spacing
        (:func:`dem_resolution_m`, ≈ 92.6 m for 3″ data).
    return_latlon : bool
        Also return the latitude and longitude of each sample.

    Returns
    -------
    d_km : ndarray
        Distance from ``tx`` of each sample. [km]
    h_m : ndarray
        Terrain height amsl. [m]
    lat, lon : ndarray
        Only with ``return_latlon``: sample coordinates. [deg]

    Raises
    ------
    ValueError
        If an end is outside the DEM (saying which end and the DEM bounds), the path leaves
        the DEM, the path crosses a void (saying at which distance and where), or tx == rx.

    References
    ----------
    Rec. ITU-R P.452-18 (10/2023), Annex 1, Attachment 2, §2 (path profile).
    """
    g = _grid(dem)
    la1, lo1 = _pt("tx", tx)
    la2, lo2 = _pt("rx", rx)
    for lbl, la, lo in (("tx", la1, lo1), ("rx", la2, lo2)):
        if not g.contains(la, lo):
            raise ValueError(f"{lbl} ({la:.6f}, {lo:.6f}) is outside the DEM ({g.bounds_text()})")
    d = float(geo.distance_km(la1, lo1, la2, lo2))
    if d <= 0.0:
        raise ValueError(f"tx and rx coincide at ({la1:.6f}, {lo1:.6f}); a profile needs two distinct points")
    n = int(_npts(np.array([d]), _step(g, step_m))[0])
    d_out, h_out = np.empty(n), np.empty(n)
    lat_out, lon_out = np.empty(n), np.empty(n)
    bad, void = _k.sample_path(g.z, g.lat0, g.dlat, g.lon0, g.dlon, la1, lo1, la2, lo2, n, d_out, h_out,
                               lat_out, lon_out, True)
    if bad >= 0:
        raise ValueError(f"the path leaves the DEM ({g.bounds_text()}) at d = {d_out[bad]:.3f} km "
                         f"({lat_out[bad]:.5f}, {lon_out[bad]:.5f})")
    if void >= 0:
        raise _void_error("the path", d_out[void], lat_out[void], lon_out[void])
    if return_latlon:
        return d_out, h_out, lat_out, lon_out
    return d_out, h_out


def profiles(dem, lat1, lon1, lat2, lon2, step_m=None, *, return_latlon: bool = False,
             fill: float = np.nan, min_points: int = 2, on_error: str = "raise"):
    """Batch of terrain profiles (great circles, bilinear), one Numba kernel over paths in parallel.

    Parameters
    ----------
    dem : DataArray or path
        DEM.
    lat1, lon1, lat2, lon2 : array_like, shape (n_paths,)
        Path ends (broadcast together). [deg]
    step_m : float or array_like, optional
        Maximum sample spacing, one value or one per path. [m]. Default: the DEM's row spacing.
    return_latlon : bool
        Also return padded sample latitudes / longitudes.
    fill : float
        Value of the padding beyond each path's length (default NaN).
    min_points : int
        At least this many samples per path (short paths are sampled more finely; e.g. 5 for
        models that need a few interior points). Default 2 (the two ends).
    on_error : {"raise", "skip"}
        A path that leaves the DEM or crosses a void (or has coincident ends): raise
        ValueError naming the first such path and where, or give it ``n[i] = 0`` and an all-
        ``fill`` row so the other paths can go on.

    Returns
    -------
    d_km : ndarray, shape (n_paths, n_max)
        Distances from the first end. [km]
    h_m : ndarray, shape (n_paths, n_max)
        Heights. [m]
    n : ndarray of int64, shape (n_paths,)
        Number of valid samples of each path (row ``i`` is valid in ``[:n[i]]``; 0 for a path
        skipped with ``on_error="skip"``).
    lat, lon : ndarray, shape (n_paths, n_max)
        Only with ``return_latlon``. [deg]

    Raises
    ------
    ValueError
        With ``on_error="raise"``: a path leaves the DEM or crosses a void, naming the path
        index and where.

    References
    ----------
    Rec. ITU-R P.452-18 (10/2023), Annex 1, Attachment 2, §2 (path profile).
    """
    if on_error not in ("raise", "skip"):
        raise ValueError(f"on_error = {on_error!r} must be 'raise' or 'skip'")
    if int(min_points) != min_points or min_points < 2:
        raise ValueError(f"min_points = {min_points!r} must be an integer >= 2")
    raise_ = on_error == "raise"
    g = _grid(dem)
    la1, lo1 = check_lat_lon(lat1, lon1, "point1")
    la2, lo2 = check_lat_lon(lat2, lon2, "point2")
    la1, lo1, la2, lo2 = (np.ascontiguousarray(a, dtype=np.float64).ravel()
                          for a in np.broadcast_arrays(la1, lo1, la2, lo2))
    npath = la1.size
    if step_m is None:
        step = np.full(npath, _step(g, None))
    else:
        step = check_positive("step_m", step_m, "m")
        try:
            step = np.ascontiguousarray(np.broadcast_to(step, (npath,)), dtype=np.float64)
        except ValueError as exc:
            raise ValueError(f"step_m has shape {np.shape(step_m)}; expected a scalar or one value per path "
                             f"({npath})") from exc
    d = np.atleast_1d(geo.distance_km(la1, lo1, la2, lo2)) if npath else np.zeros(0)
    skip = np.zeros(npath, dtype=bool)
    zero = np.flatnonzero(d <= 0.0)
    if zero.size:
        if raise_:
            i = zero[0]
            raise ValueError(f"path {i}: the ends coincide at ({la1[i]:.6f}, {lo1[i]:.6f})")
        skip[zero] = True
    n = np.maximum(_npts(d, step), int(min_points)) if npath else np.zeros(0, np.int64)
    nmax = int(n.max()) if npath else 0
    if npath * nmax > 400_000_000:
        raise ValueError(f"profiles: {npath} paths x {nmax} samples is too large; use a larger step_m or fewer paths")
    d_out = np.full((npath, nmax), fill)
    h_out = np.full((npath, nmax), fill)
    if return_latlon:
        lat_out = np.full((npath, nmax), fill)
        lon_out = np.full((npath, nmax), fill)
    else:
        lat_out = lon_out = np.empty((1, max(nmax, 1)))
    bad = np.empty(npath, dtype=np.int64)
    void = np.empty(npath, dtype=np.int64)
    if npath:
        _k.sample_paths(g.z, g.lat0, g.dlat, g.lon0, g.dlon, la1, lo1, la2, lo2, n, d_out, h_out,
                        lat_out, lon_out, bool(return_latlon), bad, void)
    out_of = np.flatnonzero(bad >= 0)
    if out_of.size:
        if raise_:
            i = int(out_of[0])
            which = "start" if bad[i] == 0 else ("end" if not g.contains(la2[i], lo2[i]) else "middle")
            f = bad[i] / (n[i] - 1.0)
            pla, plo = geo.intermediate_points(la1[i], lo1[i], la2[i], lo2[i], f)
            end = {"start": f"its start ({la1[i]:.6f}, {lo1[i]:.6f}) is outside",
                   "end": f"its end ({la2[i]:.6f}, {lo2[i]:.6f}) is outside",
                   "middle": "it leaves"}[which]
            raise ValueError(f"path {i}: {end} the DEM ({g.bounds_text()}); first sample outside at "
                             f"d = {f * d[i]:.3f} km ({float(pla):.5f}, {float(plo):.5f})"
                             + (f"; {out_of.size} paths affected" if out_of.size > 1 else ""))
        skip[out_of] = True
    voids = np.flatnonzero((void >= 0) & ~skip)
    if voids.size:
        if raise_:
            i = int(voids[0])
            f = void[i] / (n[i] - 1.0)
            pla, plo = geo.intermediate_points(la1[i], lo1[i], la2[i], lo2[i], f)
            raise _void_error(f"path {i}", f * d[i], float(pla), float(plo))
        skip[voids] = True
    if skip.any():
        n[skip] = 0
        for a in ((d_out, h_out, lat_out, lon_out) if return_latlon else (d_out, h_out)):
            a[skip] = fill
    if return_latlon:
        return d_out, h_out, n, lat_out, lon_out
    return d_out, h_out, n


# --------------------------------------------------------------------------------------------
# line of sight, Earth bulge and Fresnel clearance of a profile
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LineOfSight:
    """Terrain clearance of the straight ray between two antennas over an effective Earth.

    Attributes
    ----------
    d_km : ndarray
        Distances of the profile samples. [km]
    terrain_m : ndarray
        Terrain plus Earth bulge d1·d2/(2·k·a), relative to the chord between the ends. [m]
    ray_m : ndarray
        Height of the straight ray between the antennas. [m]
    clearance_m : ndarray
        ``ray_m - terrain_m`` (negative where the ray is obstructed). [m]
    fresnel_m : ndarray or None
        First Fresnel-zone radius (with ``f_mhz``). [m]
    min_clearance_m, d_min_km : float
        Smallest clearance over the interior samples and where. [m], [km]
    min_clearance_f1 : float or None
        Smallest clearance in units of the first Fresnel radius (with ``f_mhz``).
    k_factor : float
        Effective Earth-radius factor used.
    """

    d_km: np.ndarray
    terrain_m: np.ndarray
    ray_m: np.ndarray
    clearance_m: np.ndarray
    fresnel_m: np.ndarray | None
    min_clearance_m: float
    d_min_km: float
    min_clearance_f1: float | None
    k_factor: float

    @property
    def line_of_sight(self) -> bool:
        """True if the ray clears the terrain everywhere (clearance >= 0)."""
        return self.min_clearance_m >= 0.0


def line_of_sight(d_km, h_m, htg_m: float, hrg_m: float, f_mhz: float | None = None,
                  k_factor: float = 4.0 / 3.0) -> LineOfSight:
    """Ray clearance over a profile with Earth bulge and first Fresnel zone (P.530-18 §2.2.2, P.526-16 §2 Eq. (2)).

    Earth bulge b = d1·d2 / (2·k·a) [m, d in km] with a = 6371 km (the usual 12.74·k with
    a = 6370 km), added to the terrain for the path-clearance planning of Rec. ITU-R P.530-18
    §2.2.2; first Fresnel radius F1 = sqrt(λ·d1·d2/(d1+d2)), P.526-16 §2 Eq. (2) (the exact
    form of the practical-unit Eq. (3), 550·sqrt(d1·d2/((d1+d2)·f_MHz)); = 17.31·sqrt(d1·d2/(f·d))
    with d in km and f in GHz). The ray is the straight line between the antennas at
    ``h[0] + htg_m`` and ``h[-1] + hrg_m``.

    Parameters
    ----------
    d_km, h_m : array_like
        Terrain profile (as from :func:`profile`). [km], [m]
    htg_m, hrg_m : float
        Antenna heights above ground at the first and last sample. [m]
    f_mhz : float, optional
        Frequency, for the Fresnel zone. [MHz]
    k_factor : float
        Effective Earth-radius factor (4/3 median; P.530 uses k_e = 2/3 or lower for
        obstruction planning at small time percentages).

    Returns
    -------
    LineOfSight

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021), §2.2.2 (Earth bulge, Fresnel zone, path clearance).
    Rec. ITU-R P.526-16 (2022), §2 (Fresnel ellipsoids).
    """
    d = check_finite("d_km", d_km, "km")
    h = check_finite("h_m", h_m, "m")
    if d.ndim != 1 or d.shape != h.shape or d.size < 2:
        raise ValueError(f"d_km and h_m must be 1-D of the same length >= 2, got {d.shape} and {h.shape}")
    if np.any(np.diff(d) < 0) or d[-1] <= d[0]:
        raise ValueError("d_km must increase from the first to the last sample")
    check_positive("htg_m", check_finite("htg_m", htg_m, "m"), "m", allow_zero=True)
    check_positive("hrg_m", check_finite("hrg_m", hrg_m, "m"), "m", allow_zero=True)
    k = float(check_positive("k_factor", check_finite("k_factor", k_factor)))
    d1 = d - d[0]
    total = d[-1] - d[0]
    d2 = total - d1
    bulge = d1 * d2 / (2.0 * k * geo.EARTH_RADIUS_KM) * 1000.0
    terrain_eff = h + bulge
    ray = (h[0] + htg_m) + (h[-1] + hrg_m - h[0] - htg_m) * d1 / total
    clearance = ray - terrain_eff
    inner = slice(1, d.size - 1) if d.size > 2 else slice(0, d.size)
    kmin = int(np.argmin(clearance[inner])) + inner.start
    fresnel = None
    cf1 = None
    if f_mhz is not None:
        f_ghz = float(check_positive("f_mhz", f_mhz, "MHz")) / 1000.0
        lam_m = 0.299792458 / f_ghz
        fresnel = np.sqrt(lam_m * d1 * d2 * 1000.0 / total)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(fresnel > 0, clearance / fresnel, np.inf)
        cf1 = float(np.min(ratio[inner]))
    return LineOfSight(d, terrain_eff, ray, clearance, fresnel, float(clearance[kmin]), float(d[kmin]), cf1, k)


# --------------------------------------------------------------------------------------------
# radio-climatic zones (P.452-18 §3.2.1 Table 3)
# --------------------------------------------------------------------------------------------

#: Zone codes used by :mod:`spectrum.propagation.p452` (P.452-18 Table 3).
ZONE_COASTAL_LAND, ZONE_INLAND, ZONE_SEA = 1, 2, 3


def radio_climatic_zones(dem, *, sea=None, sea_level_m: float = 0.0, coastal_km: float = 50.0,
                         coastal_max_h_m: float = 100.0) -> xr.DataArray:
    """Radio-climatic zone map from a DEM, Rec. ITU-R P.452-18 §3.2.1, Table 3.

    * B, sea (code 3): cells at or below ``sea_level_m`` (or where ``sea`` is True);
    * A1, coastal land (code 1): land no higher than ``coastal_max_h_m`` (100 m) within
      ``coastal_km`` (50 km) of the nearest sea cell;
    * A2, inland (code 2): all other land.

    Distances to the sea are Euclidean on the local grid (rows and columns scaled to km at
    each DEM's mid-latitude), adequate for the 50 km limit. Table 3 also asks that a sea
    cover a circle of at least 100 km diameter; with a DEM alone that cannot be checked
    for lakes, so pass an explicit ``sea`` mask where it matters.

    Parameters
    ----------
    dem : DataArray or path
        DEM.
    sea : array_like of bool, optional
        Sea mask on the DEM grid (ascending lat, lon); default ``dem <= sea_level_m``.
    sea_level_m : float
        Height at or below which a cell is sea when ``sea`` is not given. [m]
    coastal_km : float
        Maximum distance of coastal land from the sea. [km]
    coastal_max_h_m : float
        Maximum altitude of coastal land. [m]

    Returns
    -------
    xarray.DataArray
        int8 zone codes on the DEM grid (1 coastal land, 2 inland, 3 sea), the codes of
        ``spectrum.propagation.p452`` (``zone``).

    References
    ----------
    Rec. ITU-R P.452-18 (10/2023), §3.2.1, Table 3 (radio-climatic zones).
    """
    from scipy import ndimage

    dem = _normalise(dem)
    g = _grid(dem)
    if sea is None:
        with np.errstate(invalid="ignore"):
            sea_mask = g.z <= float(sea_level_m)
    else:
        sea_mask = np.asarray(sea, dtype=bool)
        if sea_mask.shape != g.z.shape:
            raise ValueError(f"sea mask shape {sea_mask.shape} does not match the DEM {g.z.shape}")
    check_positive("coastal_km", coastal_km, "km", allow_zero=True)
    zones = np.full(g.z.shape, ZONE_INLAND, dtype=np.int8)
    zones[sea_mask] = ZONE_SEA
    if sea_mask.any() and not sea_mask.all():
        km_deg = math.radians(1.0) * geo.EARTH_RADIUS_KM
        latc = 0.5 * (g.lat0 + g.lat1)
        dist = ndimage.distance_transform_edt(~sea_mask, sampling=(g.dlat * km_deg,
                                                                  g.dlon * km_deg * math.cos(math.radians(latc))))
        with np.errstate(invalid="ignore"):
            coastal = ~sea_mask & (dist <= coastal_km) & (g.z <= coastal_max_h_m)
        zones[coastal] = ZONE_COASTAL_LAND
    out = xr.DataArray(zones, dims=("lat", "lon"), coords={"lat": dem["lat"].values, "lon": dem["lon"].values},
                       name="zone")
    out.attrs.update({"long_name": "radio-climatic zone (P.452-18 Table 3)",
                      "flag_values": "1 2 3", "flag_meanings": "coastal_land inland sea",
                      "coastal_km": float(coastal_km), "coastal_max_h_m": float(coastal_max_h_m),
                      "source": f"radio_climatic_zones({dem.attrs.get('source', '')})"})
    return out


def sample_nearest(grid, lat, lon, missing: int = 0) -> np.ndarray:
    """Values of a categorical grid (e.g. :func:`radio_climatic_zones`) at the nearest grid post.

    Parameters
    ----------
    grid : DataArray
        dims lat, lon (regular, ascending).
    lat, lon : array_like
        Points, e.g. the padded sample coordinates from ``profiles(..., return_latlon=True)``;
        NaN (padding) and points outside the grid give ``missing``. [deg]
    missing : int
        Code for NaN / outside points.

    Returns
    -------
    ndarray of int64, the shape of ``lat``.
    """
    g = _grid(grid)
    la = np.asarray(lat, dtype=np.float64)
    lo = np.asarray(lon, dtype=np.float64)
    la, lo = np.broadcast_arrays(la, lo)
    fla = np.ascontiguousarray(la).ravel()
    flo = np.ascontiguousarray(lo).ravel()
    out = np.empty(fla.size)
    _k.nearest_points(g.z, g.lat0, g.dlat, g.lon0, g.dlon, fla, flo, float(missing), out)
    return out.astype(np.int64).reshape(la.shape)


@dataclass(frozen=True)
class RadialProfiles:
    """Terrain profiles along radials from a site (for coverage and interference maps).

    Attributes
    ----------
    site_lat, site_lon : float
        The site. [deg]
    azimuths : ndarray, shape (n_radials,)
        Bearing of each radial, 0 = north, clockwise. [deg]
    distances : ndarray, shape (n_samples,)
        Distance of each sample from the site, the same on every radial. [km]
    heights : ndarray, shape (n_radials, n_samples)
        Terrain heights; NaN outside the DEM when built with ``outside="nan"``. [m]
    lat, lon : ndarray, shape (n_radials, n_samples)
        Sample coordinates. [deg]
    """

    site_lat: float
    site_lon: float
    azimuths: np.ndarray
    distances: np.ndarray
    heights: np.ndarray
    lat: np.ndarray
    lon: np.ndarray

    @property
    def n_radials(self) -> int:
        return int(self.azimuths.size)

    @property
    def n_samples(self) -> int:
        return int(self.distances.size)

    def profile(self, r: int, d_max_km: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``(d_km, h_m)`` of radial ``r``, up to ``d_max_km`` (all samples by default)."""
        k = self.n_samples if d_max_km is None else int(np.searchsorted(self.distances, d_max_km, "right"))
        return self.distances[:k].copy(), self.heights[r, :k].copy()

    def to_dataarray(self) -> xr.DataArray:
        """Heights as a DataArray with dims (azimuth, distance) and lat/lon coordinates."""
        da = xr.DataArray(self.heights, dims=("azimuth", "distance"),
                          coords={"azimuth": self.azimuths, "distance": self.distances,
                                  "lat": (("azimuth", "distance"), self.lat),
                                  "lon": (("azimuth", "distance"), self.lon)},
                          name="elevation",
                          attrs={"units": "m", "site_lat": self.site_lat, "site_lon": self.site_lon})
        da.coords["azimuth"].attrs["units"] = "deg"
        da.coords["distance"].attrs["units"] = "km"
        return da


def radial_profiles(dem, lat: float, lon: float, radius_km: float, n_radials: int = 360,
                    step_m: float | None = None, *, outside: str = "raise") -> RadialProfiles:
    """Terrain profiles along ``n_radials`` equally spaced great-circle radials from a site.

    Terrain work done once and reused for many loss evaluations (STYLE.md rule 8).

    Parameters
    ----------
    dem : DataArray or path
        DEM.
    lat, lon : float
        Site. [deg]
    radius_km : float
        Length of each radial. [km], > 0
    n_radials : int
        Number of radials, the first due north, then clockwise every 360/n_radials degrees.
    step_m : float, optional
        Sample spacing. [m]. Default: the DEM's row spacing.
    outside : {"raise", "nan"}
        What to do where a radial leaves the DEM (or crosses a void): raise ValueError
        saying where, or leave NaN heights (for maps over a site near the DEM edge).

    Returns
    -------
    RadialProfiles
    """
    if outside not in ("raise", "nan"):
        raise ValueError(f"outside = {outside!r} must be 'raise' or 'nan'")
    g = _grid(dem)
    la, lo = _pt("site", (lat, lon))
    if not g.contains(la, lo):
        raise ValueError(f"site ({la:.6f}, {lo:.6f}) is outside the DEM ({g.bounds_text()})")
    r = float(check_positive("radius_km", radius_km, "km"))
    if r > 0.5 * math.pi * geo.EARTH_RADIUS_KM:
        raise ValueError(f"radius_km = {r:g} is too large (max {0.5 * math.pi * geo.EARTH_RADIUS_KM:.0f} km)")
    if int(n_radials) != n_radials or n_radials < 1:
        raise ValueError(f"n_radials = {n_radials!r} must be a positive integer")
    n_radials = int(n_radials)
    ns = int(_npts(np.array([r]), _step(g, step_m))[0])
    dist = np.linspace(0.0, r, ns)
    az = np.arange(n_radials) * (360.0 / n_radials)
    h = np.empty((n_radials, ns))
    plat = np.empty((n_radials, ns))
    plon = np.empty((n_radials, ns))
    bad = np.empty(n_radials, dtype=np.int64)
    _k.sample_radials(g.z, g.lat0, g.dlat, g.lon0, g.dlon, la, lo, az, dist, h, plat, plon, bad)
    if outside == "raise":
        out_of = np.flatnonzero(bad >= 0)
        if out_of.size:
            i = int(out_of[0])
            k = int(bad[i])
            raise ValueError(f"radial at azimuth {az[i]:g} deg leaves the DEM ({g.bounds_text()}) at "
                             f"d = {dist[k]:.3f} km ({plat[i, k]:.5f}, {plon[i, k]:.5f}); "
                             f"{out_of.size} of {n_radials} radials leave it (use outside='nan' to keep NaN)")
        nan = np.argwhere(np.isnan(h))
        if nan.size:
            i, k = (int(x) for x in nan[0])
            raise _void_error(f"radial at azimuth {az[i]:g} deg", dist[k], plat[i, k], plon[i, k])
    return RadialProfiles(la, lo, az, dist, h, plat, plon)
