"""Folders of DEM tiles: listing, joining adjacent tiles, filling voids."""
from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import xarray as xr

from .._validate import check_positive
from .grid import _as_dem, _grid, crop_dem, dem_bounds, make_dem
from .rasters import _HGT_NAME, load_dem


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

    from ..kernels import terrain_fill as _kf

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

