"""Numba kernel for Rec. ITU-R P.2109-2 building entry loss (Annex 1 §3).

Inputs are trusted (validated in :mod:`spectrum.propagation.p2109`).
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit
from .p2108 import norm_ppf

#: Table 1 of P.2109-2: rows traditional (1), thermally efficient (2); columns r, s, t, u, v, w, x, y, z.
COEFFS = np.array([
    [12.64, 3.72, 0.96, 9.6, 2.0, 9.1, -3.0, 4.5, -2.0],
    [28.19, -3.00, 8.48, 13.5, 3.8, 27.8, -2.9, 9.4, -2.1],
], dtype=np.float64)


@jit
def building_entry_loss(f, p, btype, theta, coeffs):
    """L_BEL(P) [dB], Rec. ITU-R P.2109-2 Eqs. (1)-(8).

    f [GHz], p probability the loss is not exceeded [%], btype 1 traditional / 2 thermally
    efficient, theta elevation at the facade [deg], coeffs the Table 1 array.
    """
    c = coeffs[int(btype) - 1]
    lf = math.log10(f)
    l_h = c[0] + c[1] * lf + c[2] * lf * lf          # (2) horizontal-path loss
    l_e = 0.212 * abs(theta)                         # (3) elevation correction
    mu1 = l_h + l_e                                  # (4)
    mu2 = c[5] + c[6] * lf                           # (5)
    sigma1 = c[3] + c[4] * lf                        # (6)
    sigma2 = c[7] + c[8] * lf                        # (7)
    fi = norm_ppf(p / 100.0)                         # F^-1(P), inverse normal CDF
    a = fi * sigma1 + mu1                            # (1b)
    b = fi * sigma2 + mu2                            # (1c)
    cc = -3.0                                        # (1d)
    return 10.0 * math.log10(10.0 ** (0.1 * a) + 10.0 ** (0.1 * b) + 10.0 ** (0.1 * cc))   # (1a)


@jit
def building_entry_loss_array(f, p, btype, theta, out):
    for i in range(out.size):
        out[i] = building_entry_loss(f[i], p[i], btype[i], theta[i], COEFFS)
