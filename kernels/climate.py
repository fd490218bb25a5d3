"""Kernels for the ITU-R climate digital maps: grid interpolation and the P.837-7 rain-rate solve.

Arrays in, arrays out; the loading of the maps and the validation live in
:mod:`spectrum.propagation.maps`.
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit


@jit
def bilinear_regular(grid, lat0, dlat, lon0, dlon, lat, lon):
    """Bilinear interpolation on a regular latitude/longitude grid (Rec. ITU-R P.1144-12 Annex 1 §1b).

    ``grid[i, j]`` is the value at latitude ``lat0 + i*dlat`` and longitude ``lon0 + j*dlon``
    (``dlat`` may be negative: grids stored from 90 N down). Longitudes are wrapped into
    ``[lon0, lon0 + 360)``; latitudes are clamped to the grid. Returns one value per point.
    """
    ny, nx = grid.shape
    n = lat.size
    out = np.empty(n)
    for k in range(n):
        fi = (lat[k] - lat0) / dlat
        if fi < 0.0:
            fi = 0.0
        if fi > ny - 1.0:
            fi = ny - 1.0
        lo = (lon[k] - lon0) % 360.0
        fj = lo / dlon
        if fj > nx - 1.0:
            fj = nx - 1.0
        i0 = int(math.floor(fi))
        if i0 > ny - 2:
            i0 = ny - 2
        j0 = int(math.floor(fj))
        if j0 > nx - 2:
            j0 = nx - 2
        r = fi - i0
        c = fj - j0
        out[k] = (grid[i0, j0] * (1.0 - r) * (1.0 - c) + grid[i0 + 1, j0] * r * (1.0 - c)
                  + grid[i0, j0 + 1] * (1.0 - r) * c + grid[i0 + 1, j0 + 1] * r * c)
    return out


@jit
def _q(x):
    """Complementary standard normal cumulative distribution Q(x)."""
    return 0.5 * math.erfc(x / math.sqrt(2.0))


@jit
def p837_monthly_terms(mt_mm, t_k, n_days):
    """Rec. ITU-R P.837-7 Annex 1 Steps 2-5: r_ii [mm/h], P0_ii [%] per month and P0annual [%].

    ``mt_mm`` and ``t_k`` have shape ``(12, n)`` (monthly mean total rainfall [mm] and monthly
    mean surface temperature [K]); ``n_days`` the 12 month lengths [days].
    Returns ``r (12, n)``, ``p0 (12, n)``, ``p0_annual (n,)``.
    """
    n = mt_mm.shape[1]
    r = np.empty((12, n))
    p0 = np.empty((12, n))
    p0a = np.zeros(n)
    for k in range(n):
        acc = 0.0
        for i in range(12):
            t_c = t_k[i, k] - 273.15
            ri = 0.5874 * math.exp(0.0883 * t_c) if t_c >= 0.0 else 0.5874
            pi = 100.0 * mt_mm[i, k] / (24.0 * n_days[i] * ri)
            if pi > 70.0:
                pi = 70.0
                ri = 100.0 / 70.0 * mt_mm[i, k] / (24.0 * n_days[i])
            r[i, k] = ri
            p0[i, k] = pi
            acc += n_days[i] * pi
        p0a[k] = acc / 365.25
    return r, p0, p0a


@jit
def p837_exceedance_percent(rate_mmh, r, p0, n_days, k):
    """Rec. ITU-R P.837-7 Annex 1 Step 6: annual probability [%] that the rain rate exceeds ``rate_mmh`` at point ``k``."""
    acc = 0.0
    lr = math.log(rate_mmh)
    for i in range(12):
        if p0[i, k] > 0.0:
            acc += n_days[i] * p0[i, k] * _q((lr + 0.7938 - math.log(r[i, k])) / 1.26)
    return acc / 365.25


@jit
def p837_rain_rate(mt_mm, t_k, n_days, p):
    """Rain rate R_p [mm/h] exceeded for p % of an average year, Rec. ITU-R P.837-7 Annex 1 Steps 1-6.

    Solved for ln R by bisection (the exceedance is monotonic in R) to a relative precision of
    about 1e-13; ``R_p = 0`` where ``p`` exceeds the annual rain probability P0annual.
    """
    r, p0, p0a = p837_monthly_terms(mt_mm, t_k, n_days)
    n = mt_mm.shape[1]
    out = np.zeros(n)
    for k in range(n):
        if p[k] > p0a[k] or p0a[k] <= 0.0:
            out[k] = 0.0
            continue
        lo = math.log(1e-10)
        hi = math.log(1e4)
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            if p837_exceedance_percent(math.exp(mid), r, p0, n_days, k) > p[k]:
                lo = mid
            else:
                hi = mid
            if hi - lo < 1e-14:
                break
        out[k] = math.exp(0.5 * (lo + hi))
    return out
