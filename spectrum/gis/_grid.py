"""What every GIS writer needs from a map DataArray: its 2-D grid, its CRS, its band axis.

A *map* is any :class:`xarray.DataArray` whose last two dimensions are a regular grid:

- ``("lat", "lon")`` (also ``latitude`` / ``longitude``) in degrees, WGS84 unless a CRS says
  otherwise (the coverage, interference, best-server, C/I and Monte Carlo maps of this package);
- ``("y", "x")`` in the units of a projected CRS given by ``crs=`` or found on the array
  (``attrs["crs"]``, ``attrs["crs_wkt"]``, ``attrs["epsg_code"]``, or a scalar ``crs`` /
  ``spatial_ref`` coordinate carrying ``crs_wkt`` / ``spatial_ref`` / ``epsg_code`` as CF and
  rioxarray write them).

At most one further (leading) dimension is allowed; it becomes the bands of a GeoTIFF (one per
frequency or time percentage, for example). Coordinates may be ascending or descending; they must
be evenly spaced (to 1e-6 of the step) because a GeoTIFF stores an affine transform, not a list.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

GEOGRAPHIC_DIMS = (("lat", "lon"), ("latitude", "longitude"))
PROJECTED_DIMS = (("y", "x"), ("northing", "easting"))
WGS84 = "EPSG:4326"


class MissingExtraError(ImportError, ValueError):
    """An optional dependency of ``spectrum.gis`` is not installed (a ``ValueError`` too, so the
    command line prints it as one line and exits with status 2)."""


def require(module: str, extra: str = "gis"):
    """Import ``module`` or raise :class:`MissingExtraError` naming the extra that provides it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(
            f"{module} is not installed: GeoTIFF/GeoJSON/KML output needs the [{extra}] extra "
            f"(pip install 'spectrum[{extra}]')") from exc


@dataclass(frozen=True)
class Grid:
    """A map's regular grid, stored north-up and west-to-east.

    Attributes
    ----------
    values : ndarray
        ``(bands, ny, nx)``, row 0 the northernmost (largest y), column 0 the westernmost.
    x, y : ndarray
        Pixel-centre coordinates in the stored order (x ascending, y descending).
    dx, dy : float
        Positive pixel sizes in CRS units.
    dims : tuple of str
        The DataArray's dimension names (band dimension first when there is one).
    band_dim : str or None
    band_values : ndarray or None
    flipped_y, flipped_x : bool
        Whether the DataArray's y (x) order was reversed to store it north-up (west-to-east).
    crs : str
        The CRS as the user gave it or as found (``"EPSG:4326"`` for lat/lon grids by default).
    geographic : bool
        Whether the grid dims are lat/lon.
    """

    values: np.ndarray
    x: np.ndarray
    y: np.ndarray
    dx: float
    dy: float
    dims: tuple
    band_dim: str | None
    band_values: Any
    flipped_y: bool
    flipped_x: bool
    crs: str
    geographic: bool

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of the pixel edges, in CRS units."""
        return (float(self.x[0] - self.dx / 2), float(self.y[-1] - self.dy / 2),
                float(self.x[-1] + self.dx / 2), float(self.y[0] + self.dy / 2))


def _step(name: str, c: np.ndarray) -> float:
    if c.ndim != 1 or c.size < 2:
        raise ValueError(f"coordinate {name!r} needs at least 2 values to define a pixel size, got {c.size}")
    if not np.all(np.isfinite(c)):
        raise ValueError(f"coordinate {name!r} holds non-finite values")
    d = np.diff(c)
    step = (c[-1] - c[0]) / (c.size - 1)
    if step == 0 or np.any(np.sign(d) != np.sign(step)) or np.max(np.abs(d - step)) > 1e-6 * abs(step):
        raise ValueError(f"coordinate {name!r} is not evenly spaced (steps from {d.min():g} to {d.max():g}); "
                         "a GeoTIFF needs a regular grid: interpolate the map onto one first")
    return float(step)


def crs_of(da, crs=None) -> str | None:
    """The CRS given, or the one recorded on ``da`` (see the module docstring); None if neither."""
    if crs is not None:
        return str(crs)
    for key in ("crs_wkt", "spatial_ref", "epsg_code"):
        if da.attrs.get(key):
            return str(da.attrs[key])
    c = da.attrs.get("crs")
    if isinstance(c, str) and c:
        return c
    for name in ("crs", "spatial_ref"):
        if name in da.coords and da.coords[name].ndim == 0:
            a = da.coords[name].attrs
            for key in ("crs_wkt", "spatial_ref", "epsg_code"):
                if a.get(key):
                    return str(a[key])
    return None


def grid_of(da, crs=None) -> Grid:
    """Check ``da`` is a map (see the module docstring) and return its :class:`Grid`.

    Raises
    ------
    ValueError
        Naming what is wrong: not a DataArray, unknown dims, more than one extra dimension,
        uneven coordinates, a projected grid without CRS.
    """
    import xarray as xr

    if not isinstance(da, xr.DataArray):
        raise ValueError(f"expected an xarray.DataArray map, got {type(da).__name__}")
    if da.ndim < 2:
        raise ValueError(f"a map needs 2 grid dimensions, {da.name or 'the array'} has dims {da.dims}")
    ydim, xdim = da.dims[-2:]
    geographic = (ydim, xdim) in GEOGRAPHIC_DIMS
    if not geographic and (ydim, xdim) not in PROJECTED_DIMS:
        raise ValueError(f"the last two dims of a map must be (lat, lon) or (y, x), got {(ydim, xdim)}")
    if da.ndim > 3:
        raise ValueError(f"a map may have one dimension besides {(ydim, xdim)} (written as bands), got {da.dims}: "
                         "select one value of the others first (da.sel(...) / da.isel(...))")
    found = crs_of(da, crs)
    if found is None:
        if not geographic:
            raise ValueError(f"the projected grid {(ydim, xdim)} has no CRS: pass crs= (e.g. 'EPSG:32651') "
                             "or set da.attrs['crs']")
        found = WGS84
    if ydim not in da.coords or xdim not in da.coords:
        raise ValueError(f"the map needs coordinates for {ydim!r} and {xdim!r}")
    y = np.asarray(da[ydim].values, dtype=np.float64)
    x = np.asarray(da[xdim].values, dtype=np.float64)
    sy, sx = _step(ydim, y), _step(xdim, x)
    v = np.asarray(da.values)
    if da.ndim == 2:
        v = v[None]
        band_dim, band_values = None, None
    else:
        band_dim = da.dims[0]
        band_values = da[band_dim].values if band_dim in da.coords else np.arange(da.shape[0])
    flip_y, flip_x = sy > 0, sx < 0
    if flip_y:
        v, y = v[:, ::-1, :], y[::-1]
    if flip_x:
        v, x = v[:, :, ::-1], x[::-1]
    if geographic:
        from .._validate import check_lat_lon

        check_lat_lon(y, np.clip(x, -180.0, 359.999999), "map")  # off-globe latitudes
        if x.min() < -180.0 or x.max() >= 360.0:
            raise ValueError(f"map longitudes {x.min():g}..{x.max():g} are off the globe ([-180, 360) deg)")
    return Grid(values=np.ascontiguousarray(v), x=x, y=y, dx=abs(sx), dy=abs(sy), dims=tuple(da.dims),
                band_dim=band_dim, band_values=band_values, flipped_y=flip_y, flipped_x=flip_x, crs=found,
                geographic=geographic)
