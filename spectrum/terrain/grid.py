"""DEM grids as xarray DataArrays: construction, normalisation, bounds, cropping.

A DEM is an :class:`xarray.DataArray` of heights above mean sea level [m] with dims
``("lat", "lon")``, ascending, regularly spaced coordinates in degrees (grid posts), float64
values, NaN for voids, ``attrs["units"] == "m"`` and ``attrs["source"]``. An optional boolean
coordinate ``sea`` (dims lat, lon) marks cells the source flags as sea (heights 0 m there).

References
----------
Rec. ITU-R P.1058-3, Digital topographic databases for propagation studies.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np
import xarray as xr

from .. import geo
from ..kernels import profile as _k


VOID_HGT = -32768


# --------------------------------------------------------------------------------------------
# construction / validation of DEM DataArrays
# --------------------------------------------------------------------------------------------

def make_dem(heights, lat, lon, *, source: str = "", name: str = "elevation", sea=None, **attrs) -> xr.DataArray:
    """Wrap a 2-D array of heights into a DEM DataArray (dims lat, lon ascending, units m).

    Parameters
    ----------
    heights : array_like, shape (n_lat, n_lon)
        Heights above mean sea level; NaN for voids. [m]
    lat, lon : array_like
        Grid coordinates, regularly spaced (either order; sorted ascending here). [deg]
    source : str
        Where the data came from (kept in ``attrs["source"]``).
    sea : array_like of bool, optional
        Cells the source flags as sea (same shape and order as ``heights``); kept as the
        boolean coordinate ``sea`` that :func:`spectrum.terrain.radio_climatic_zones` uses.

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
    sea_m = None if sea is None else np.asarray(sea, dtype=bool)
    if sea_m is not None and sea_m.shape != z.shape:
        raise ValueError(f"sea mask shape {sea_m.shape} does not match heights {z.shape}")
    if lat[0] > lat[-1]:
        lat, z = lat[::-1], z[::-1, :]
        sea_m = None if sea_m is None else sea_m[::-1, :]
    if lon[0] > lon[-1]:
        lon, z = lon[::-1], z[:, ::-1]
        sea_m = None if sea_m is None else sea_m[:, ::-1]
    da = xr.DataArray(np.ascontiguousarray(z), dims=("lat", "lon"),
                      coords={"lat": lat, "lon": lon}, name=name)
    if sea_m is not None and sea_m.any():
        da.coords["sea"] = (("lat", "lon"), np.ascontiguousarray(sea_m))
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
    # coordinates stored as float32 carry ~1e-7 relative rounding: allow that much, no more
    tol = max(1e-4 * step, 8.0 * float(np.finfo(np.float32).eps) * float(np.max(np.abs(c))))
    if np.max(np.abs(d - step)) > tol or np.max(np.abs(c - (c[0] + step * np.arange(c.size)))) > max(tol, 1e-3 * step):
        raise ValueError(f"DEM coordinate {name} is not regularly spaced (steps {d.min():.9g}..{d.max():.9g} deg)")
    return float(c[0]), float(step)


def _is_cat(dem) -> bool:
    from .catalogue import Catalogue

    return isinstance(dem, Catalogue)


def _as_dem(dem):
    """A DEM DataArray from a DataArray or a file path -- or the :class:`Catalogue` for a catalogue
    or a folder (every function of :mod:`spectrum.terrain` that takes a DEM takes one)."""
    if _is_cat(dem):
        return dem
    if isinstance(dem, (str, os.PathLike)):
        from pathlib import Path

        if Path(dem).is_dir():
            from .catalogue import Catalogue

            return Catalogue.open(dem)
        from .rasters import load_dem

        return load_dem(dem)
    if not isinstance(dem, xr.DataArray):
        raise ValueError(f"dem must be an xarray.DataArray, a terrain catalogue or a file/folder path, "
                         f"got {type(dem).__name__}")
    return dem


def _normalise(dem) -> xr.DataArray:
    """The DEM with dims exactly ("lat", "lon") and ascending coordinates (no copy if already so)."""
    dem = _as_dem(dem)
    if _is_cat(dem):
        raise ValueError(f"{dem.root} is a terrain catalogue; this needs one grid: take one with "
                         "catalogue.read((lat_min, lat_max, lon_min, lon_max)) or crop_dem(catalogue, bounds)")
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
    if _is_cat(_as_dem(dem)):
        return _as_dem(dem)
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
    dem = _as_dem(dem)
    if _is_cat(dem):
        return dem.bounds
    g = _grid(dem)
    return g.lat0, g.lat1, g.lon0, g.lon1


def dem_resolution_m(dem) -> float:
    """North–south spacing of the DEM's rows on the 6371 km sphere — the default profile step. [m]"""
    dem = _as_dem(dem)
    dlat = dem.dlat if _is_cat(dem) else _grid(dem).dlat
    return math.radians(dlat) * geo.EARTH_RADIUS_KM * 1000.0


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
    if _is_cat(dem):
        return dem.read(bounds)
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

