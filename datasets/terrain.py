"""The default terrain: the Shanghai region (30.5–32.0 N, 120.5–122.5 E).

:func:`default_dem` returns real terrain when DEM files covering :data:`DEFAULT_BOUNDS` are
found (``.hgt``, ``.hgt.zip``, ``.tif``, ``.nc`` in ``$SPECTRUM_DATA_DIR`` or
``../shared/datasets`` beside the repository, directly or in a ``terrain/`` sub-folder);
otherwise the seeded synthetic terrain of :func:`spectrum.terrain.synthetic_dem` over the same
bounds at 3 arc-seconds: a low, flat delta plain, sea (0 m) in the east behind a fractal
coastline, and hills up to a few hundred metres to the south-west. The result is cached in
memory; treat it as read-only (``.copy()`` before modifying).
"""
from __future__ import annotations

import functools
import os
import warnings
from pathlib import Path

import numpy as np
import xarray as xr

__all__ = ["DEFAULT_BOUNDS", "DEFAULT_SEED", "DEFAULT_RES_ARCSEC", "default_dem", "data_dirs",
           "find_dem_files", "synthetic_default_dem"]

#: (lat_min, lat_max, lon_min, lon_max) of the default region, Shanghai. [deg]
DEFAULT_BOUNDS = (30.5, 32.0, 120.5, 122.5)
#: Seed of the synthetic default terrain.
DEFAULT_SEED = 2024
#: Resolution of the synthetic default terrain. [arc-seconds]
DEFAULT_RES_ARCSEC = 3.0

def data_dirs() -> list[Path]:
    """Folders searched for real data: ``$SPECTRUM_DATA_DIR`` then ``../shared/datasets``."""
    dirs = []
    env = os.environ.get("SPECTRUM_DATA_DIR")
    if env:
        dirs.append(Path(env))
    dirs.append(Path(__file__).resolve().parent.parent.parent / "shared" / "datasets")
    return [d for d in dirs if d.is_dir()]


def find_dem_files(bounds=DEFAULT_BOUNDS) -> list[Path]:
    """DEM files in :func:`data_dirs` (top level or ``terrain/``) that intersect ``bounds``.

    SRTM tiles are selected by the SW corner in their name; other files are read to test them.
    Files from the first folder that has any are returned.
    """
    from spectrum import terrain

    for d in data_dirs():
        found = []
        for sub in (d / "terrain", d):
            if sub.is_dir():
                found += terrain.dem_files(sub, bounds)
        if found:
            return found
    return []


def synthetic_default_dem() -> xr.DataArray:
    """The seeded synthetic terrain over :data:`DEFAULT_BOUNDS` (not cached)."""
    from spectrum.terrain import synthetic_dem

    dem = synthetic_dem(*DEFAULT_BOUNDS, res_arcsec=DEFAULT_RES_ARCSEC, seed=DEFAULT_SEED,
                        relief_m=250.0, plain_m=4.0, hills="sw", coast="east", sea_fraction=0.2)
    dem.attrs["source"] = (f"synthetic_dem(seed={DEFAULT_SEED}) over DEFAULT_BOUNDS {DEFAULT_BOUNDS}, "
                           f"{DEFAULT_RES_ARCSEC:g} arc-seconds (no real DEM found)")
    return dem


def _real_default_dem() -> xr.DataArray | None:
    from spectrum import terrain

    files = find_dem_files(DEFAULT_BOUNDS)
    if not files:
        return None
    dem = terrain.mosaic(files) if len(files) > 1 else terrain.load_dem(files[0])
    lat_min, lat_max, lon_min, lon_max = DEFAULT_BOUNDS
    try:
        sub = terrain.crop_dem(dem, DEFAULT_BOUNDS)
    except ValueError:
        return None
    b = terrain.dem_bounds(sub)
    tol = 1e-6
    if b[0] > lat_min + tol or b[1] < lat_max - tol or b[2] > lon_min + tol or b[3] < lon_max - tol:
        warnings.warn(f"real DEM files {[str(f) for f in files]} cover only lat {b[0]:g}..{b[1]:g}, "
                      f"lon {b[2]:g}..{b[3]:g} of DEFAULT_BOUNDS {DEFAULT_BOUNDS}; using synthetic terrain",
                      stacklevel=3)
        return None
    if np.isnan(sub.values).any():
        sub = terrain.fill_voids(sub)
    sub.attrs["source"] = "real DEM: " + ", ".join(str(f) for f in files)
    return sub


@functools.lru_cache(maxsize=1)
def default_dem() -> xr.DataArray:
    """The default terrain over :data:`DEFAULT_BOUNDS` (real if found, else seeded synthetic), cached.

    Returns
    -------
    xarray.DataArray
        Heights [m] with dims lat, lon; ``attrs["source"]`` says which terrain it is.
    """
    real = _real_default_dem()
    return real if real is not None else synthetic_default_dem()
