"""Numba kernels for Rec. ITU-R P.2108-1 (clutter loss) and the normal quantile they share.

Scalar ``@jit`` functions of the Recommendation's symbols plus element-wise loops over
flat float64 arrays. Inputs are trusted (validated in :mod:`spectrum.propagation.p2108`).
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit

# Rational approximation of the normal quantile (P. J. Acklam), relative error < 1.15e-9,
# the form tabulated in Rec. ITU-R P.1057-7 §3; refined below with one Halley step on erfc.
_A = (-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02,
      1.383577518672690e02, -3.066479806614716e01, 2.506628277459239e00)
_B = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02,
      6.680131188771972e01, -1.328068155288572e01)
_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00,
      -2.549732539343734e00, 4.374664141464968e00, 2.938163982698783e00)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00,
      3.754408661907416e00)
_P_LOW = 0.02425


@jit
def norm_ppf(p):
    """Inverse of the standard normal CDF, Phi^-1(p), 0 < p < 1 (full double precision)."""
    if p <= 0.0:
        return -np.inf
    if p >= 1.0:
        return np.inf
    if p > 0.5:  # symmetry; 1 - p is exact here
        return -norm_ppf(1.0 - p)
    if p < _P_LOW:
        q = math.sqrt(-2.0 * math.log(p))
        x = ((((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5])
             / ((((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1.0))
    else:
        q = p - 0.5
        r = q * q
        x = ((((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5]) * q
             / (((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1.0))
    # one Halley refinement step: e = Phi(x) - p
    e = 0.5 * math.erfc(-x / math.sqrt(2.0)) - p
    u = e * math.sqrt(2.0 * math.pi) * math.exp(0.5 * x * x)
    return x - u / (1.0 + 0.5 * x * u)


@jit
def qinv(q):
    """Inverse complementary normal distribution Q^-1(q) = -Phi^-1(q) (Rec. ITU-R P.1057-7 §3)."""
    return -norm_ppf(q)


# ---------------------------------------------------------------------------------------------
# §3.1 height-gain terminal correction model
@jit
def terminal_correction(f, h, ws, r, knife_edge):
    """A_h [dB], Rec. ITU-R P.2108-1 §3.1 Eqs. (2a)-(2g).

    f [GHz], h antenna height [m], ws street width [m], r representative clutter height [m];
    knife_edge true for Eq. (2a) (suburban, urban, trees/forest, dense urban), false for
    Eq. (2b) (water/sea, open/rural).
    """
    if h >= r:
        return 0.0
    h_dif = r - h                                              # (2d)
    if knife_edge:
        theta_clut = math.degrees(math.atan(h_dif / ws))       # (2e)
        k_nu = 0.342 * math.sqrt(f)                            # (2g)
        nu = k_nu * math.sqrt(h_dif * theta_clut)              # (2c)
        if nu <= -0.78:
            j = 0.0
        else:
            j = 6.9 + 20.0 * math.log10(math.sqrt((nu - 0.1) ** 2 + 1.0) + nu - 0.1)
        return j - 6.03                                        # (2a)
    k_h2 = 21.8 + 6.2 * math.log10(f)                          # (2f)
    return -k_h2 * math.log10(h / r)                           # (2b)


@jit
def _terrestrial_uncapped(f, d, p):
    sigma_l = 4.0
    sigma_s = 6.0
    l_l = -2.0 * math.log10(10.0 ** (-5.0 * math.log10(f) - 12.5) + 10.0 ** (-16.5))   # (4a)
    l_s = 32.98 + 23.9 * math.log10(d) + 3.0 * math.log10(f)                         # (5a)
    a_l = 10.0 ** (-0.2 * l_l)
    a_s = 10.0 ** (-0.2 * l_s)
    sigma_cb = math.sqrt((sigma_l * sigma_l * a_l + sigma_s * sigma_s * a_s) / (a_l + a_s))  # (3b)
    return -5.0 * math.log10(a_l + a_s) - sigma_cb * qinv(p / 100.0)                  # (3a)


@jit
def terrestrial_loss(f, d, p):
    """L_ctt [dB], Rec. ITU-R P.2108-1 §3.2 Eqs. (3)-(6): f [GHz], d [km], p [% locations].

    The loss is capped by its value at d = 2 km, Eq. (6).
    """
    return min(_terrestrial_uncapped(f, d, p), _terrestrial_uncapped(f, 2.0, p))


@jit
def earth_space_loss(f, theta, p):
    """L_ces [dB], Rec. ITU-R P.2108-1 §3.3 Eqs. (7)-(8): f [GHz], theta elevation [deg], p [%]."""
    a1 = 0.05
    k1 = 93.0 * f ** 0.175                                                         # (8)
    arg = a1 * (1.0 - theta / 90.0) + math.pi * theta / 180.0
    base = -k1 * math.log(1.0 - p / 100.0) / math.tan(arg)
    return base ** (0.5 * (90.0 - theta) / 90.0) - 1.0 - 0.6 * qinv(p / 100.0)     # (7)


# ---------------------------------------------------------------------------------------------
# element-wise loops over flat arrays (the API layer broadcasts and flattens)
@jit
def terminal_correction_array(f, h, ws, r, knife_edge, out):
    for i in range(out.size):
        out[i] = terminal_correction(f[i], h[i], ws[i], r[i], knife_edge[i] != 0)


@jit
def terrestrial_loss_array(f, d, p, out):
    for i in range(out.size):
        out[i] = terrestrial_loss(f[i], d[i], p[i])


@jit
def earth_space_loss_array(f, theta, p, out):
    for i in range(out.size):
        out[i] = earth_space_loss(f[i], theta[i], p[i])
