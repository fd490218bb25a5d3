"""Numba kernels for Rec. ITU-R P.838-3 (specific attenuation of rain).

The coefficients k and alpha of gamma_R = k R^alpha from the curve-fitting equations (2)-(3)
of P.838-3 with the coefficients of its Tables 1-4, and the combination for any path
elevation and polarisation tilt, Eqs. (4)-(5). Inputs are trusted (validated in
:mod:`spectrum.propagation.p838`).
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit

# Table 1: coefficients for kH (a_j, b_j, c_j), m_k, c_k
_KH_A = np.array([-5.33980, -0.35351, -0.23789, -0.94158])
_KH_B = np.array([-0.10008, 1.26970, 0.86036, 0.64552])
_KH_C = np.array([1.13098, 0.45400, 0.15354, 0.16817])
_KH_M, _KH_CK = -0.18961, 0.71147
# Table 2: coefficients for kV
_KV_A = np.array([-3.80595, -3.44965, -0.39902, 0.50167])
_KV_B = np.array([0.56934, -0.22911, 0.73042, 1.07319])
_KV_C = np.array([0.81061, 0.51059, 0.11899, 0.27195])
_KV_M, _KV_CK = -0.16398, 0.63297
# Table 3: coefficients for alphaH
_AH_A = np.array([-0.14318, 0.29591, 0.32177, -5.37610, 16.1721])
_AH_B = np.array([1.82442, 0.77564, 0.63773, -0.96230, -3.29980])
_AH_C = np.array([-0.55187, 0.19822, 0.13164, 1.47828, 3.43990])
_AH_M, _AH_CA = 0.67849, -1.95537
# Table 4: coefficients for alphaV
_AV_A = np.array([-0.07771, 0.56727, -0.20238, -48.2991, 48.5833])
_AV_B = np.array([2.33840, 0.95545, 1.14520, 0.791669, 0.791459])
_AV_C = np.array([-0.76284, 0.54039, 0.26809, 0.116226, 0.116479])
_AV_M, _AV_CA = -0.053739, 0.83433


@jit
def _fit(x, a, b, c, m, c0):
    """sum_j a_j exp(-((x - b_j)/c_j)^2) + m x + c0, x = log10 f (P.838-3 Eqs. (2), (3))."""
    s = 0.0
    for j in range(a.size):
        t = (x - b[j]) / c[j]
        s += a[j] * math.exp(-t * t)
    return s + m * x + c0


@jit
def k_alpha_hv(f_ghz):
    """(kH, kV, alphaH, alphaV) at ``f_ghz``, P.838-3 Eqs. (2)-(3), Tables 1-4."""
    x = math.log10(f_ghz)
    kh = 10.0 ** _fit(x, _KH_A, _KH_B, _KH_C, _KH_M, _KH_CK)
    kv = 10.0 ** _fit(x, _KV_A, _KV_B, _KV_C, _KV_M, _KV_CK)
    ah = _fit(x, _AH_A, _AH_B, _AH_C, _AH_M, _AH_CA)
    av = _fit(x, _AV_A, _AV_B, _AV_C, _AV_M, _AV_CA)
    return kh, kv, ah, av


@jit
def k_alpha(f_ghz, el_deg, tau_deg):
    """(k, alpha) for path elevation ``el_deg`` and polarisation tilt ``tau_deg`` (0 = horizontal,
    90 = vertical, 45 = circular), P.838-3 Eqs. (4)-(5)."""
    kh, kv, ah, av = k_alpha_hv(f_ghz)
    ce = math.cos(math.radians(el_deg))
    w = ce * ce * math.cos(math.radians(2.0 * tau_deg))
    k = 0.5 * (kh + kv + (kh - kv) * w)
    a = (kh * ah + kv * av + (kh * ah - kv * av) * w) / (2.0 * k)
    return k, a


@jit
def k_alpha_array(f_ghz, el_deg, tau_deg, k_out, a_out):
    """Element-wise :func:`k_alpha` over flat arrays."""
    for i in range(f_ghz.size):
        k, a = k_alpha(f_ghz[i], el_deg[i], tau_deg[i])
        k_out[i] = k
        a_out[i] = a


@jit
def gamma_r(f_ghz, r_mmh, el_deg, tau_deg):
    """Specific attenuation gamma_R = k R^alpha, P.838-3 Eq. (1). [dB/km]"""
    k, a = k_alpha(f_ghz, el_deg, tau_deg)
    return k * r_mmh ** a


@jit
def gamma_r_array(f_ghz, r_mmh, el_deg, tau_deg, out):
    """Element-wise :func:`gamma_r` over flat arrays."""
    for i in range(f_ghz.size):
        out[i] = gamma_r(f_ghz[i], r_mmh[i], el_deg[i], tau_deg[i])
