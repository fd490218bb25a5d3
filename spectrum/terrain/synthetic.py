"""Seeded synthetic terrain (spectral synthesis of a fractal surface)."""
from __future__ import annotations

import math

import numpy as np
import xarray as xr

from .. import geo
from .._validate import check_lat_lon, check_positive
from .grid import make_dem


def _fractal_pair(rng, ny, nx, beta, dy_km, dx_km):
    """Two independent 1/k^beta random fields as the real and imaginary parts of one complex
    array (one inverse FFT). Spectral coefficients have uniform random real and imaginary
    parts; the fields are Gaussian by the central limit theorem."""
    from scipy import fft as sfft

    from ..kernels import terrain_synth as _ks

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
    from ..kernels import terrain_synth as _ks

    _ks.shape_terrain(f, float(relief_m), float(plain_m), hill_mode, cu, cv, coast_mode, float(sea_fraction),
                      shore, z)
    return make_dem(z, lat, lon, source=f"synthetic_dem(seed={seed})", name=name, seed=seed,
                    res_arcsec=float(res_arcsec), synthetic=1)

