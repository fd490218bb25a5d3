"""One interface over the two kinds of terrain: a DEM grid (DataArray) and a tile catalogue.

:func:`sampler` returns an object with the same kernel-shaped methods for both, so
:mod:`spectrum.terrain.profiles` is written once: ``paths``, ``radials``, ``points``,
``contains``, ``dlat`` (default step) and ``where`` (what to call the data in messages).
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..kernels import profile as _k
from ..kernels import terrain_tiles as _kt
from .catalogue import Catalogue, latlon_text
from .grid import _grid


class GridSampler:
    """A DEM DataArray (one in-memory grid)."""

    kind = "grid"

    def __init__(self, dem):
        self.g = _grid(dem)
        self.dlat = self.g.dlat

    def where(self) -> str:
        return f"the DEM ({self.g.bounds_text()})"

    def at(self, la: float, lo: float) -> str:
        return f"({la:.5f}, {lo:.5f})"

    def contains(self, la: float, lo: float) -> bool:
        return self.g.contains(la, lo)

    def points(self, la: np.ndarray, lo: np.ndarray):
        out = np.empty(la.size)
        g = self.g
        _k.bilinear_points(g.z, g.lat0, g.dlat, g.lon0, g.dlon, la, lo, out)
        status = np.zeros(la.size, np.int64)
        for k in np.flatnonzero(np.isnan(out)):
            status[k] = 2 if g.contains(la[k], lo[k]) else 1
        return out, status

    def path(self, la1, lo1, la2, lo2, n, d_out, h_out, lat_out, lon_out):
        g = self.g
        return _k.sample_path(g.z, g.lat0, g.dlat, g.lon0, g.dlon, la1, lo1, la2, lo2, n, d_out, h_out,
                              lat_out, lon_out, True)

    def paths(self, la1, lo1, la2, lo2, n, d_out, h_out, lat_out, lon_out, want_ll, bad, void):
        g = self.g
        _k.sample_paths(g.z, g.lat0, g.dlat, g.lon0, g.dlon, la1, lo1, la2, lo2, n, d_out, h_out,
                        lat_out, lon_out, want_ll, bad, void)

    def radials(self, la, lo, az, dist, h, plat, plon, bad, radius_km):
        g = self.g
        _k.sample_radials(g.z, g.lat0, g.dlat, g.lon0, g.dlon, la, lo, az, dist, h, plat, plon, bad)


class CatalogueSampler:
    """A :class:`~spectrum.terrain.Catalogue`: the same calls, tiles loaded as the points need them."""

    kind = "catalogue"

    def __init__(self, cat: Catalogue):
        self.cat = cat
        self.dlat = cat.dlat

    def where(self) -> str:
        return f"the terrain data ({self.cat.root})"

    def at(self, la: float, lo: float) -> str:
        return f"at {latlon_text(la, lo)} ({la:.5f}, {lo:.5f}){self.cat.rejected_at(la, lo)}"

    def contains(self, la: float, lo: float) -> bool:
        _, st = self.points(np.array([float(la)]), np.array([float(lo)]))
        return bool(st[0] != 1)

    def points(self, la, lo):
        cat = self.cat.for_points(la, lo)
        out = np.empty(la.size)
        st = np.empty(la.size, np.int64)
        _kt.sample_points(cat, la, lo, out, st)
        return out, st

    def path(self, la1, lo1, la2, lo2, n, d_out, h_out, lat_out, lon_out):
        cat = self.cat.for_paths(la1, lo1, la2, lo2)
        return _kt.sample_path(cat, la1, lo1, la2, lo2, n, d_out, h_out, lat_out, lon_out, True)

    def paths(self, la1, lo1, la2, lo2, n, d_out, h_out, lat_out, lon_out, want_ll, bad, void):
        cat = self.cat.for_paths(la1, lo1, la2, lo2)
        _kt.sample_paths(cat, la1, lo1, la2, lo2, n, d_out, h_out, lat_out, lon_out, want_ll, bad, void)

    def radials(self, la, lo, az, dist, h, plat, plon, bad, radius_km):
        from .. import geo

        step = max(0.5 * dist[-1] / 64.0, 0.5)
        dd = np.arange(0.0, dist[-1] + step, step)
        azc = np.linspace(0.0, 360.0, max(int(2 * np.pi * dist[-1] / step), 8), endpoint=False)
        pla, plo = geo.destination(la, lo, azc[:, None], dd[None, :])
        cat = self.cat.for_points(np.ravel(pla), np.ravel(plo), margin_deg=step / 111.0 * 1.5)
        _kt.sample_radials(cat, la, lo, az, dist, h, plat, plon, bad)


def is_catalogue(dem) -> bool:
    """True for a :class:`Catalogue` or a path to a folder."""
    return isinstance(dem, Catalogue) or (isinstance(dem, (str, os.PathLike)) and Path(dem).is_dir())


def sampler(dem):
    """The sampler for a DataArray, a DEM file, a folder or a :class:`Catalogue`."""
    if isinstance(dem, Catalogue):
        return CatalogueSampler(dem)
    if isinstance(dem, (str, os.PathLike)) and Path(dem).is_dir():
        return CatalogueSampler(Catalogue.open(dem))
    return GridSampler(dem)
