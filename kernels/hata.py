"""Numba kernels for the Okumura-Hata and COST-231 Hata median path-loss formulas.

Inputs are trusted (validated in :mod:`spectrum.propagation.hata`). Codes:
environment 0 urban, 1 suburban, 2 open; city 0 small/medium, 1 large;
model 0 Okumura-Hata, 1 COST-231 Hata.
"""
from __future__ import annotations

import math

from ._jit import jit


@jit
def mobile_height_correction(f, hm, large_city):
    """a(hm) [dB]: Hata (1980) Eqs. for small/medium and large cities; f [MHz], hm [m]."""
    lf = math.log10(f)
    if large_city:
        if f < 300.0:
            return 8.29 * math.log10(1.54 * hm) ** 2 - 1.1
        return 3.2 * math.log10(11.75 * hm) ** 2 - 4.97
    return (1.1 * lf - 0.7) * hm - (1.56 * lf - 0.8)


@jit
def median_loss(f, d, hb, hm, environment, large_city, model):
    """Median basic path loss [dB]; f [MHz], d [km], hb base-station and hm mobile height [m]."""
    lf = math.log10(f)
    lhb = math.log10(hb)
    a_hm = mobile_height_correction(f, hm, large_city)
    dist = (44.9 - 6.55 * lhb) * math.log10(d)
    if model == 0:
        l_u = 69.55 + 26.16 * lf - 13.82 * lhb - a_hm + dist
    else:
        c_m = 3.0 if large_city else 0.0
        l_u = 46.3 + 33.9 * lf - 13.82 * lhb - a_hm + dist + c_m
    if environment == 1:
        return l_u - 2.0 * math.log10(f / 28.0) ** 2 - 5.4
    if environment == 2:
        return l_u - 4.78 * lf * lf + 18.33 * lf - 40.94
    return l_u


@jit
def median_loss_array(f, d, hb, hm, environment, large_city, model, out):
    for i in range(out.size):
        out[i] = median_loss(f[i], d[i], hb[i], hm[i], int(environment[i]),
                             large_city[i] != 0.0, int(model[i]))


@jit
def mobile_height_correction_array(f, hm, large_city, out):
    """:func:`mobile_height_correction` over flat arrays (``large_city`` 0/1 as float64)."""
    for i in range(out.size):
        out[i] = mobile_height_correction(f[i], hm[i], large_city[i] != 0.0)
