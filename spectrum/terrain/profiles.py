"""Point heights, path profiles and radial profiles from a DEM or a tile catalogue.

Heights are bilinearly interpolated at equally spaced points of great circles on the 6371 km
sphere (:mod:`spectrum.geo`), with Numba kernels in :mod:`spectrum.kernels.profile` (one grid)
and :mod:`spectrum.kernels.terrain_tiles` (a :class:`~spectrum.terrain.Catalogue` of tiles).
A path that leaves the terrain data, or that meets a void, raises ValueError saying where.

References
----------
Rec. ITU-R P.452-18 (10/2023), Annex 1, Attachment 2 (path profile analysis).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from .. import geo
from .._validate import check_lat_lon, check_positive
from ..kernels import profile as _k
from .grid import _grid
from .sampler import sampler


def _pt(name: str, p) -> tuple[float, float]:
    try:
        la, lo = (float(x) for x in p)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a (lat, lon) pair in degrees, got {p!r}") from exc
    check_lat_lon(la, lo, name)
    return la, lo


#: samples of one profile at most (a 1e-9 m step asked for 263 TiB: MemoryError)
MAX_SAMPLES = 20_000_000


def _npts(d_km: np.ndarray, step_m: float) -> np.ndarray:
    n = np.ceil(np.asarray(d_km, dtype=np.float64) * 1000.0 / step_m - 1e-9)
    if n.size and float(np.max(n)) >= MAX_SAMPLES:
        raise ValueError(f"step_m = {step_m:g} m gives {float(np.max(n)):.3g} samples over "
                         f"{float(np.max(d_km)):g} km; at most {MAX_SAMPLES:.0e} per profile")
    return np.maximum(n.astype(np.int64) + 1, 2)


def _step(g, step_m) -> float:
    if step_m is None:
        return math.radians(g.dlat) * geo.EARTH_RADIUS_KM * 1000.0
    s = float(check_positive("step_m", step_m, "m"))
    return s


def _void_error(label: str, d: float, la: float, lo: float) -> ValueError:
    return ValueError(f"{label} crosses a terrain void (NaN heights) at d = {d:.3f} km "
                      f"({la:.5f}, {lo:.5f}); fill voids first (spectrum.terrain.fill_voids) "
                      "or use another DEM")


def _outside(s, la: float, lo: float) -> str:
    return f"outside {s.where()}" if s.kind == "grid" else f"outside {s.where()}: no tile covers it, {s.at(la, lo)}"


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
    s = sampler(dem)
    la, lo = check_lat_lon(lat, lon)
    la, lo = np.broadcast_arrays(la, lo)
    flat_la = np.ascontiguousarray(la, dtype=np.float64).ravel()
    flat_lo = np.ascontiguousarray(lo, dtype=np.float64).ravel()
    out, status = s.points(flat_la, flat_lo)
    bad = np.flatnonzero(status == 1)
    if bad.size:
        k = int(bad[0])
        raise ValueError(f"point ({flat_la[k]:.6f}, {flat_lo[k]:.6f}) is {_outside(s, flat_la[k], flat_lo[k])}"
                         + (f"; {bad.size} points outside" if bad.size > 1 else ""))
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
    g = sampler(dem)
    la1, lo1 = _pt("tx", tx)
    la2, lo2 = _pt("rx", rx)
    for lbl, la, lo in (("tx", la1, lo1), ("rx", la2, lo2)):
        if not g.contains(la, lo):
            raise ValueError(f"{lbl} ({la:.6f}, {lo:.6f}) is {_outside(g, la, lo)}")
    d = float(geo.distance_km(la1, lo1, la2, lo2))
    if d <= 0.0:
        raise ValueError(f"tx and rx coincide at ({la1:.6f}, {lo1:.6f}); a profile needs two distinct points")
    n = int(_npts(np.array([d]), _step(g, step_m))[0])
    d_out, h_out = np.empty(n), np.empty(n)
    lat_out, lon_out = np.empty(n), np.empty(n)
    bad, void = g.path(la1, lo1, la2, lo2, n, d_out, h_out, lat_out, lon_out)
    if bad >= 0:
        if g.kind == "grid":
            raise ValueError(f"the path leaves the DEM ({g.g.bounds_text()}) at d = {d_out[bad]:.3f} km "
                             f"({lat_out[bad]:.5f}, {lon_out[bad]:.5f})")
        raise ValueError(f"the path leaves {g.where()} {g.at(lat_out[bad], lon_out[bad])}, d = {d_out[bad]:.3f} km "
                         "from tx; add tiles that cover it")
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
    g = sampler(dem)
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
        g.paths(la1, lo1, la2, lo2, n, d_out, h_out, lat_out, lon_out, bool(return_latlon), bad, void)
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
            if g.kind == "grid":
                where = (f"the DEM ({g.g.bounds_text()}); first sample outside at "
                         f"d = {f * d[i]:.3f} km ({float(pla):.5f}, {float(plo):.5f})")
            else:
                where = f"{g.where()} {g.at(float(pla), float(plo))}, d = {f * d[i]:.3f} km"
            raise ValueError(f"path {i}: {end} {where}"
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
    g = sampler(dem)
    la, lo = _pt("site", (lat, lon))
    if not g.contains(la, lo):
        raise ValueError(f"site ({la:.6f}, {lo:.6f}) is {_outside(g, la, lo)}")
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
    g.radials(la, lo, az, dist, h, plat, plon, bad, r)
    if outside == "raise":
        out_of = np.flatnonzero(bad >= 0)
        if out_of.size:
            i = int(out_of[0])
            k = int(bad[i])
            raise ValueError(f"radial at azimuth {az[i]:g} deg leaves {g.where()} at "
                             f"d = {dist[k]:.3f} km {g.at(plat[i, k], plon[i, k])}; "
                             f"{out_of.size} of {n_radials} radials leave it (use outside='nan' to keep NaN)")
        nan = np.argwhere(np.isnan(h))
        if nan.size:
            i, k = (int(x) for x in nan[0])
            raise _void_error(f"radial at azimuth {az[i]:g} deg", dist[k], plat[i, k], plon[i, k])
    return RadialProfiles(la, lo, az, dist, h, plat, plon)

