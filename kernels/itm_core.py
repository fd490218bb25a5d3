"""ITM kernels: constants, NTIA's return codes and warning flags, and the arithmetic helpers
that make the kernels agree with NTIA's C++ library bit for bit.

NTIA's ``MAX``/``MIN``/``DIM`` are C macros (``((x) > (y)) ? (x) : (y)`` …), whose result for a
NaN argument differs from Python's ``max``/``min`` (``MAX(NaN, 0)`` is 0, ``max(nan, 0.0)`` is
NaN): :func:`c_max`, :func:`c_min`, :func:`c_dim` are those macros, :func:`c_fdim` is C's
``fdim`` (NaN in, NaN out). NTIA's ``pow(x, 2)`` is compiled to ``x * x`` (GCC folds it), its
other powers call ``pow`` (``math.pow`` here, never ``np.cbrt`` or repeated products), and its
``std::complex`` arithmetic is libgcc's: :func:`c_div` is ``__divdc3``, :func:`c_sqrt` glibc's
``csqrt`` for the arguments ITM gives it (real part >= 0).
"""
from __future__ import annotations

import math

from ._jit import jit

# --- constants [ITM.h] --------------------------------------------------------------------
A_0_M = 6370e3  # actual earth radius used by Vogler's C_0
A_9000_M = 9000e3  # 9000 km earth radius of the variability effective distance
THIRD = 1.0 / 3.0
GAMMA_A = 157e-9  # curvature of the actual earth [1/m]
SQRT2 = math.sqrt(2.0)
PI = 3.1415926535897932384

MODE_P2P = 0
MODE_AREA = 1

PROPMODE_NOT_SET = 0
PROPMODE_LINE_OF_SIGHT = 1
PROPMODE_DIFFRACTION = 2
PROPMODE_TROPOSCATTER = 3

# --- warning flags [Warnings.h] -----------------------------------------------------------
WARN_TX_TERMINAL_HEIGHT = 0x0001
WARN_RX_TERMINAL_HEIGHT = 0x0002
WARN_FREQUENCY = 0x0004
WARN_PATH_DISTANCE_TOO_BIG_1 = 0x0008
WARN_PATH_DISTANCE_TOO_BIG_2 = 0x0010
WARN_PATH_DISTANCE_TOO_SMALL_1 = 0x0020
WARN_PATH_DISTANCE_TOO_SMALL_2 = 0x0040
WARN_TX_HORIZON_ANGLE = 0x0080
WARN_RX_HORIZON_ANGLE = 0x0100
WARN_TX_HORIZON_DISTANCE_1 = 0x0200
WARN_RX_HORIZON_DISTANCE_1 = 0x0400
WARN_TX_HORIZON_DISTANCE_2 = 0x0800
WARN_RX_HORIZON_DISTANCE_2 = 0x1000
WARN_EXTREME_VARIABILITIES = 0x2000
WARN_SURFACE_REFRACTIVITY = 0x4000

# --- return / error codes [Errors.h] ------------------------------------------------------
SUCCESS = 0
SUCCESS_WITH_WARNINGS = 1
ERROR_TX_TERMINAL_HEIGHT = 1000
ERROR_RX_TERMINAL_HEIGHT = 1001
ERROR_INVALID_RADIO_CLIMATE = 1002
ERROR_INVALID_TIME = 1003
ERROR_INVALID_LOCATION = 1004
ERROR_INVALID_SITUATION = 1005
ERROR_INVALID_CONFIDENCE = 1006
ERROR_INVALID_RELIABILITY = 1007
ERROR_REFRACTIVITY = 1008
ERROR_FREQUENCY = 1009
ERROR_POLARIZATION = 1010
ERROR_EPSILON = 1011
ERROR_SIGMA = 1012
ERROR_GROUND_IMPEDANCE = 1013
ERROR_MDVAR = 1014
ERROR_EFFECTIVE_EARTH = 1016
ERROR_PATH_DISTANCE = 1017
ERROR_DELTA_H = 1018
ERROR_TX_SITING_CRITERIA = 1019
ERROR_RX_SITING_CRITERIA = 1020
ERROR_SURFACE_REFRACTIVITY_SMALL = 1021
ERROR_SURFACE_REFRACTIVITY_LARGE = 1022

# libgcc __divdc3 thresholds (float64)
_DBL_MAX = 1.7976931348623157e308
_DBL_MIN = 2.2250738585072014e-308
_DBL_EPS = 2.220446049250313e-16
_RBIG = _DBL_MAX / 2.0
_RMIN = _DBL_MIN
_RMIN2 = _DBL_EPS
_RMINSCAL = 1.0 / _DBL_EPS
_RMAX2 = _RBIG * _RMIN2


@jit
def c_max(x, y):
    """NTIA's ``MAX(x, y)`` macro: ``x > y ? x : y`` (so ``c_max(nan, 0) == 0``)."""
    return x if x > y else y


@jit
def c_min(x, y):
    """NTIA's ``MIN(x, y)`` macro: ``x < y ? x : y``."""
    return x if x < y else y


@jit
def c_dim(x, y):
    """NTIA's ``DIM(x, y)`` macro: ``x > y ? x - y : 0``."""
    return x - y if x > y else 0.0


@jit
def c_fdim(x, y):
    """C's ``fdim``: positive difference, NaN if either argument is NaN."""
    if x != x or y != y:
        return math.nan
    return x - y if x > y else 0.0


@jit
def c_div(a, b, c, d):
    """``(a + ib) / (c + id)`` as libgcc's ``__divdc3`` computes it; returns (re, im)."""
    if abs(c) < abs(d):
        if abs(d) >= _RBIG:
            a = a / 2.0
            b = b / 2.0
            c = c / 2.0
            d = d / 2.0
        if abs(d) < _RMIN2:
            a = a * _RMINSCAL
            b = b * _RMINSCAL
            c = c * _RMINSCAL
            d = d * _RMINSCAL
        elif ((abs(a) < _RMIN and abs(b) < _RMAX2 and abs(d) < _RMAX2)
              or (abs(b) < _RMIN and abs(a) < _RMAX2 and abs(d) < _RMAX2)):
            a = a * _RMINSCAL
            b = b * _RMINSCAL
            c = c * _RMINSCAL
            d = d * _RMINSCAL
        ratio = c / d
        denom = (c * ratio) + d
        if abs(ratio) > _RMIN:
            x = ((a * ratio) + b) / denom
            y = ((b * ratio) - a) / denom
        else:
            x = ((c * (a / d)) + b) / denom
            y = ((c * (b / d)) - a) / denom
    else:
        if abs(c) >= _RBIG:
            a = a / 2.0
            b = b / 2.0
            c = c / 2.0
            d = d / 2.0
        if abs(c) < _RMIN2:
            a = a * _RMINSCAL
            b = b * _RMINSCAL
            c = c * _RMINSCAL
            d = d * _RMINSCAL
        elif ((abs(a) < _RMIN and abs(b) < _RMAX2 and abs(c) < _RMAX2)
              or (abs(b) < _RMIN and abs(a) < _RMAX2 and abs(c) < _RMAX2)):
            a = a * _RMINSCAL
            b = b * _RMINSCAL
            c = c * _RMINSCAL
            d = d * _RMINSCAL
        ratio = d / c
        denom = (d * ratio) + c
        if abs(ratio) > _RMIN:
            x = ((b * ratio) + a) / denom
            y = (b - (a * ratio)) / denom
        else:
            x = (a + (d * (b / c))) / denom
            y = (b - (d * (a / c))) / denom
    return x, y


@jit
def c_sqrt(re, im):
    """Principal square root of ``re + i im`` for ``re >= 0`` as glibc's ``csqrt`` computes it
    (finite, normal-range arguments: ITM's ``sqrt(ep_r - 1)``); returns (re, im)."""
    if im == 0.0:
        return math.sqrt(re), math.copysign(0.0, im)
    if re == 0.0:
        if abs(im) >= 2.0 * _DBL_MIN:
            r = math.sqrt(0.5 * abs(im))
        else:
            r = 0.5 * math.sqrt(2.0 * abs(im))
        return r, math.copysign(r, im)
    d = math.hypot(re, im)
    if re > 0.0:
        r = math.sqrt(0.5 * (d + re))
        s = 0.5 * (im / r)
    else:
        s = math.sqrt(0.5 * (d - re))
        r = abs(0.5 * (im / s))
    return r, math.copysign(s, im)


@jit
def terrain_roughness(d_m, delta_h_m):
    """Delta_h(d), the interdecile range at distance d [ERL 79, Eq. 3]."""
    return delta_h_m * (1.0 - 0.8 * math.exp(-d_m / 50e3))


@jit
def sigma_h(delta_h_m):
    """RMS terrain deviation within the first Fresnel zone [ERL 79, Eq. 3.6a]."""
    return 0.78 * delta_h_m * math.exp(-0.5 * math.pow(delta_h_m, 0.25))


@jit
def free_space_loss(d_m, f_mhz):
    """Free-space basic transmission loss [dB] as ITM computes it (32.45 dB constant)."""
    return 32.45 + 20.0 * math.log10(f_mhz) + 20.0 * math.log10(d_m / 1000.0)
