"""ITM kernels: variability of the loss in time, location and situation [Algorithm §5].

Transcribes NTIA's ``Variability.cpp`` and ``InverseComplementaryCumulativeDistributionFunction.cpp``
with the same floating-point order of operations (``pow(x, 2)`` as ``x * x``, which GCC emits
for it, and ``pow(x, 1/3)`` through ``math.pow``).
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit
from .itm_core import A_9000_M, THIRD, WARN_EXTREME_VARIABILITIES, terrain_roughness

# --- variability tables [Variability.cpp: TN101 Fig 10.13, Algorithm Table 5.1] -----------
_ALL_YEAR = np.array([
    [-9.67, -0.62, 1.26, -9.21, -0.62, -0.39, 3.15],
    [12.7, 9.19, 15.5, 9.05, 9.19, 2.86, 857.9],
    [144.9e3, 228.9e3, 262.6e3, 84.1e3, 228.9e3, 141.7e3, 2222.e3],
    [190.3e3, 205.2e3, 185.2e3, 101.1e3, 205.2e3, 315.9e3, 164.8e3],
    [133.8e3, 143.6e3, 99.8e3, 98.6e3, 143.6e3, 167.4e3, 116.3e3],
])
_BSM1 = np.array([2.13, 2.66, 6.11, 1.98, 2.68, 6.86, 8.51])
_BSM2 = np.array([159.5, 7.67, 6.65, 13.11, 7.16, 10.38, 169.8])
_XSM1 = np.array([762.2e3, 100.4e3, 138.2e3, 139.1e3, 93.7e3, 187.8e3, 609.8e3])
_XSM2 = np.array([123.6e3, 172.5e3, 242.2e3, 132.7e3, 186.8e3, 169.6e3, 119.9e3])
_XSM3 = np.array([94.5e3, 136.4e3, 178.6e3, 193.5e3, 133.5e3, 108.9e3, 106.6e3])
_BSP1 = np.array([2.11, 6.87, 10.08, 3.68, 4.75, 8.58, 8.43])
_BSP2 = np.array([102.3, 15.53, 9.60, 159.3, 8.12, 13.97, 8.19])
_XSP1 = np.array([636.9e3, 138.7e3, 165.3e3, 464.4e3, 93.2e3, 216.0e3, 136.2e3])
_XSP2 = np.array([134.8e3, 143.7e3, 225.7e3, 93.1e3, 135.9e3, 152.0e3, 188.5e3])
_XSP3 = np.array([95.6e3, 98.6e3, 129.7e3, 94.2e3, 113.4e3, 122.7e3, 122.9e3])
_C_D = np.array([1.224, 0.801, 1.380, 1.000, 1.224, 1.518, 1.518])
_Z_D = np.array([1.282, 2.161, 1.282, 20.0, 1.282, 1.282, 1.282])
_BFM1 = np.array([1.0, 1.0, 1.0, 1.0, 0.92, 1.0, 1.0])
_BFM2 = np.array([0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0])
_BFM3 = np.array([0.0, 0.0, 0.0, 0.0, 1.77, 0.0, 0.0])
_BFP1 = np.array([1.0, 0.93, 1.0, 0.93, 0.93, 1.0, 1.0])
_BFP2 = np.array([0.0, 0.31, 0.0, 0.19, 0.31, 0.0, 0.0])
_BFP3 = np.array([0.0, 2.00, 0.0, 1.79, 2.00, 0.0, 0.0])


@jit
def inverse_ccdf(q):
    """Inverse complementary normal CDF Q^-1(q), Abramowitz & Stegun 26.2.23 (|err| < 4.5e-4)."""
    x = q
    if q > 0.5:
        x = 1.0 - x
    t = math.sqrt(-2.0 * math.log(x))
    zeta = ((0.010328 * t + 0.802853) * t + 2.515516) / (((0.001308 * t + 0.189269) * t + 1.432788) * t + 1.0)
    r = t - zeta
    if q > 0.5:
        r = -r
    return r


@jit
def _curve(c1, c2, x1, x2, x3, d_e):
    """TN101v2 Eq. III.69/III.70 curve fit (NTIA's ``Curve``)."""
    u = (d_e - x2) / x3
    r = d_e / x1
    r2 = r * r
    return (c1 + c2 / (1.0 + u * u)) * r2 / (1.0 + r2)


@jit
def variability(time, location, situation, h_e_0, h_e_1, delta_h_m, f_mhz, d_m, a_ref_db, climate, mdvar):
    """Attenuation A [dB] below free space for time/location/situation percentages.

    [Algorithm §5, Eq. 5.1-5.11, 52]. ``climate`` 1-7, ``mdvar`` 0-3 (+10 location
    variability eliminated, +20 direct situation variability eliminated). Returns
    ``(a_db, warnings)``.
    """
    warn = 0
    z_t = inverse_ccdf(time / 100.0)
    z_l = inverse_ccdf(location / 100.0)
    z_s = inverse_ccdf(situation / 100.0)
    c = climate - 1
    wn = f_mhz / 47.7
    d_ex = (math.sqrt(2.0 * A_9000_M * h_e_0) + math.sqrt(2.0 * A_9000_M * h_e_1)
            + math.pow(575.7e12 / wn, THIRD))
    if d_m < d_ex:
        d_e = 130e3 * d_m / d_ex
    else:
        d_e = 130e3 + d_m - d_ex

    md = mdvar
    plus20 = md >= 20
    if plus20:
        md -= 20
    if plus20:
        sig_s = 0.0
    else:
        sig_s = 5.0 + 3.0 * math.exp(-d_e / 100e3)
    plus10 = md >= 10
    if plus10:
        md -= 10

    v_med = _curve(_ALL_YEAR[0, c], _ALL_YEAR[1, c], _ALL_YEAR[2, c], _ALL_YEAR[3, c], _ALL_YEAR[4, c], d_e)

    if md == 0:
        z_t = z_s
        z_l = z_s
    elif md == 1:
        z_l = z_s
    elif md == 2:
        z_l = z_t
    if abs(z_t) > 3.10 or abs(z_l) > 3.10 or abs(z_s) > 3.10:
        warn |= WARN_EXTREME_VARIABILITIES

    if plus10:
        sig_l = 0.0
    else:
        dhd = terrain_roughness(d_m, delta_h_m)
        sig_l = 10.0 * wn * dhd / (wn * dhd + 13.0)
    y_l = sig_l * z_l

    q = math.log(0.133 * wn)
    gm = _BFM3[c] * q
    gp = _BFP3[c] * q
    g_minus = _BFM1[c] + _BFM2[c] / (gm * gm + 1.0)
    g_plus = _BFP1[c] + _BFP2[c] / (gp * gp + 1.0)
    sig_tm = _curve(_BSM1[c], _BSM2[c], _XSM1[c], _XSM2[c], _XSM3[c], d_e) * g_minus
    sig_tp = _curve(_BSP1[c], _BSP2[c], _XSP1[c], _XSP2[c], _XSP3[c], d_e) * g_plus
    sig_td = _C_D[c] * sig_tp
    tgtd = (sig_tp - sig_td) * _Z_D[c]
    if z_t < 0.0:
        sig_t = sig_tm
    elif z_t <= _Z_D[c]:
        sig_t = sig_tp
    else:
        sig_t = sig_td + tgtd / z_t
    y_t = sig_t * z_t

    zs2 = z_s * z_s
    ys = sig_s * sig_s + y_t * y_t / (7.8 + zs2) + y_l * y_l / (24.0 + zs2)
    if md == 0:
        y_r = 0.0
        y_s = math.sqrt(sig_t * sig_t + sig_l * sig_l + ys) * z_s
    elif md == 1:
        y_r = y_t
        y_s = math.sqrt(sig_l * sig_l + ys) * z_s
    elif md == 2:
        y_r = math.sqrt(sig_t * sig_t + sig_l * sig_l) * z_t
        y_s = math.sqrt(ys) * z_s
    else:
        y_r = y_t + y_l
        y_s = math.sqrt(ys) * z_s

    result = a_ref_db - v_med - y_r - y_s
    if result < 0.0:
        result = result * (29.0 - result) / (29.0 - 10.0 * result)
    return result, warn
