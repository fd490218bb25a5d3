"""Longley-Rice Irregular Terrain Model (ITM 1.2.2), Numba kernels: entry points.

Semantics and arithmetic follow NTIA/ITS's reference C++ library (github.com/NTIA/itm, library
v1.4, which implements the ITM 1.2.2 algorithm of Hufford, "The ITS Irregular Terrain Model,
version 1.2.2: The Algorithm", 1995) statement by statement, so that the losses, the
intermediate values, the return codes and the warning flags agree with NTIA's to the last bit
where the same C library (libm) is used: the same order of floating-point operations, the same
accumulations (never a re-associated sum), the same integer truncations, NTIA's ``MAX``/``MIN``
macros (whose NaN behaviour differs from ``max``/``min``) and libgcc/glibc complex arithmetic.
Equation references in comments:

* [Algorithm]  G. A. Hufford, The ITS Irregular Terrain Model, version 1.2.2, the Algorithm.
* [ERL 79]     Longley & Rice, ERL 79-ITS 67 (1968), Prediction of tropospheric radio
  transmission loss over irregular terrain, a computer method.
* [TN101]      Rice et al., NBS Technical Note 101 (1967).
* [Vogler]     L. E. Vogler, Calculation of groundwave attenuation in the far diffraction
  region, Radio Science 68D (1964).

Layout
------
:mod:`.itm_core` (constants, codes, NTIA's macros, complex helpers), :mod:`.itm_terrain`
(horizons, least-squares fit, Delta_h, QuickPfl), :mod:`.itm_diffraction` (knife edge, smooth
earth, line of sight), :mod:`.itm_scatter` (troposcatter), :mod:`.itm_variability`
(quantiles); this module: input checks, initialisation, the reference attenuation
(LongleyRice) and the entry points. Every name of the sub-modules is re-exported here.

The per-path entry points write their results into a float64 ``out`` vector of length
:data:`N_OUT` indexed by the ``OUT_*`` constants below, and return NTIA's return code (0
success, 1 success with warnings, >= 1000 an error code; on error the loss slot holds NaN).

Profiles are elevation arrays ``z`` of ``n_samples`` equally spaced points (``n_samples - 1``
intervals of ``xi_m`` metres), i.e. NTIA's PFL array ``[np, xi, z_0 ... z_np]`` without its
two-element header: ``np = n_samples - 1``. Only ``z[:n_samples]`` is read, so the cores can be
called on prefixes of a longer radial profile.

Point-to-point:
    :func:`p2p_reference` (geometry + reference attenuation, no variability),
    :func:`p2p_path` (one path, time/location/situation percentages),
    :func:`p2p_batch` (``prange`` over padded 2-D profiles).
Area:
    :func:`area_reference`, :func:`area_point`, :func:`area_batch`.
Quantiles:
    :func:`apply_variability` (one quantile of a reference result), :func:`variability_many`.

Deliberate differences from NTIA (inputs on which NTIA's behaviour is undefined): a profile
with fewer than 2 samples or a spacing that is not > 0 returns ``ERROR_PATH_DISTANCE``
(NTIA divides by zero / reads out of bounds).
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit, pjit, prange
from .itm_core import *  # noqa: F401,F403  (constants and codes are part of this module's API)
from .itm_core import (ERROR_DELTA_H, ERROR_EFFECTIVE_EARTH, ERROR_EPSILON, ERROR_FREQUENCY,
                       ERROR_GROUND_IMPEDANCE, ERROR_INVALID_LOCATION, ERROR_INVALID_RADIO_CLIMATE,
                       ERROR_INVALID_SITUATION, ERROR_INVALID_TIME, ERROR_MDVAR, ERROR_PATH_DISTANCE,
                       ERROR_POLARIZATION, ERROR_REFRACTIVITY, ERROR_RX_SITING_CRITERIA,
                       ERROR_RX_TERMINAL_HEIGHT, ERROR_SIGMA, ERROR_SURFACE_REFRACTIVITY_LARGE,
                       ERROR_SURFACE_REFRACTIVITY_SMALL, ERROR_TX_SITING_CRITERIA,
                       ERROR_TX_TERMINAL_HEIGHT, GAMMA_A, MODE_AREA, MODE_P2P, PI,
                       PROPMODE_DIFFRACTION, PROPMODE_LINE_OF_SIGHT, PROPMODE_NOT_SET,
                       PROPMODE_TROPOSCATTER, SUCCESS, SUCCESS_WITH_WARNINGS, WARN_FREQUENCY,
                       WARN_PATH_DISTANCE_TOO_BIG_1, WARN_PATH_DISTANCE_TOO_BIG_2,
                       WARN_PATH_DISTANCE_TOO_SMALL_1, WARN_PATH_DISTANCE_TOO_SMALL_2,
                       WARN_RX_HORIZON_ANGLE, WARN_RX_HORIZON_DISTANCE_1,
                       WARN_RX_HORIZON_DISTANCE_2, WARN_RX_TERMINAL_HEIGHT,
                       WARN_SURFACE_REFRACTIVITY, WARN_TX_HORIZON_ANGLE,
                       WARN_TX_HORIZON_DISTANCE_1, WARN_TX_HORIZON_DISTANCE_2,
                       WARN_TX_TERMINAL_HEIGHT, c_dim, c_div, c_max, c_min, c_sqrt,
                       free_space_loss, sigma_h, terrain_roughness)
from .itm_diffraction import (diffraction_line, diffraction_loss, fresnel_integral,  # noqa: F401
                              height_function, knife_edge_diffraction, line_of_sight_loss,
                              smooth_earth_diffraction)
from .itm_scatter import f_function, h0_function, troposcatter_loss  # noqa: F401
from .itm_terrain import (_select_desc, compute_delta_h, find_horizons,  # noqa: F401
                          least_squares_fit, mean_path_elevation, quick_pfl)
from .itm_variability import inverse_ccdf, variability  # noqa: F401

# --- slots of the per-path output vector ---------------------------------------------------
OUT_A_DB = 0  # basic transmission loss [dB]
OUT_A_FS_DB = 1  # free-space basic transmission loss [dB]
OUT_A_REF_DB = 2  # reference attenuation (median, relative to free space) [dB]
OUT_D_KM = 3  # path distance [km]
OUT_THETA_HZN_TX = 4  # horizon angles [rad]
OUT_THETA_HZN_RX = 5
OUT_D_HZN_TX_M = 6  # horizon distances [m]
OUT_D_HZN_RX_M = 7
OUT_H_E_TX_M = 8  # effective heights [m]
OUT_H_E_RX_M = 9
OUT_N_S = 10  # surface refractivity [N-units]
OUT_DELTA_H_M = 11  # terrain irregularity parameter [m]
OUT_MODE = 12  # propagation mode (1 LOS, 2 diffraction, 3 troposcatter)
OUT_WARNINGS = 13  # warning bit flags
OUT_RETURN = 14  # NTIA return code
OUT_D_M = 15  # path distance [m] as NTIA computes it (np * xi, or d_km * 1000)
N_OUT = 16


# =========================================================================================
# Reference attenuation [LongleyRice.cpp; Algorithm §4]
# =========================================================================================
@jit
def _los_coefficients(d_sml, d_ml, m_d, a_d0, h_e_0, h_e_1, zg_re, zg_im, delta_h_m, f_mhz):
    """(A_o, k_1, k_2) of the line-of-sight region [ERL 79 Eq. 3.16-3.21]."""
    a_sml = d_sml * m_d + a_d0
    d_0 = 0.04 * f_mhz * h_e_0 * h_e_1
    if a_d0 >= 0.0:
        d_0 = c_min(d_0, 0.5 * d_ml)
        d_1 = d_0 + 0.25 * (d_ml - d_0)
    else:
        d_1 = c_max(-a_d0 / m_d, 0.25 * d_ml)
    a_1 = line_of_sight_loss(d_1, h_e_0, h_e_1, zg_re, zg_im, delta_h_m, m_d, a_d0, d_sml, f_mhz)
    flag = False
    k_1 = 0.0
    k_2 = 0.0
    if d_0 < d_1:
        a_0 = line_of_sight_loss(d_0, h_e_0, h_e_1, zg_re, zg_im, delta_h_m, m_d, a_d0, d_sml, f_mhz)
        q = math.log(d_sml / d_0)
        k_2 = c_max(0.0, ((d_sml - d_0) * (a_1 - a_0) - (d_1 - d_0) * (a_sml - a_0))
                    / ((d_sml - d_0) * math.log(d_1 / d_0) - (d_1 - d_0) * q))
        flag = a_d0 > 0.0 or k_2 > 0.0
        if flag:
            k_1 = (a_sml - a_0 - k_2 * q) / (d_sml - d_0)
            if k_1 < 0.0:
                k_1 = 0.0
                k_2 = c_dim(a_sml, a_0) / q
                if k_2 == 0.0:
                    k_1 = m_d
    if not flag:
        k_1 = c_dim(a_sml, a_1) / (d_sml - d_1)
        k_2 = 0.0
        if k_1 == 0.0:
            k_1 = m_d
    a_o = a_sml - k_1 * d_sml - k_2 * math.log(d_sml)
    return a_o, k_1, k_2


@jit
def longley_rice(theta_0, theta_1, f_mhz, zg_re, zg_im, d_hzn_0, d_hzn_1, h_e_0, h_e_1, gamma_e, n_s,
                 delta_h_m, h_0, h_1, d_m, mode):
    """Reference attenuation A_ref [dB] below free space [Algorithm §4, ERL 79 §3].

    ``zg_re, zg_im``: the complex ground impedance. Returns ``(a_ref_db, warnings, propmode,
    return_code)``; A_ref is ``MAX(A_ref, 0)`` as NTIA's macro computes it (a NaN from
    smooth-earth diffraction becomes 0, as in NTIA).
    """
    warn = 0
    a_e = 1.0 / gamma_e
    d_s0 = math.sqrt(2.0 * h_e_0 * a_e)
    d_s1 = math.sqrt(2.0 * h_e_1 * a_e)
    d_sml = d_s0 + d_s1
    d_ml = d_hzn_0 + d_hzn_1
    theta_los = -c_max(theta_0 + theta_1, -d_ml / a_e)

    if abs(theta_0) > 200e-3:
        warn |= WARN_TX_HORIZON_ANGLE
    if abs(theta_1) > 200e-3:
        warn |= WARN_RX_HORIZON_ANGLE
    if d_hzn_0 < 0.1 * d_s0:
        warn |= WARN_TX_HORIZON_DISTANCE_1
    if d_hzn_1 < 0.1 * d_s1:
        warn |= WARN_RX_HORIZON_DISTANCE_1
    if d_hzn_0 > 3.0 * d_s0:
        warn |= WARN_TX_HORIZON_DISTANCE_2
    if d_hzn_1 > 3.0 * d_s1:
        warn |= WARN_RX_HORIZON_DISTANCE_2

    if n_s < 150.0:
        return math.nan, warn, PROPMODE_NOT_SET, ERROR_SURFACE_REFRACTIVITY_SMALL
    if n_s > 400.0:
        return math.nan, warn, PROPMODE_NOT_SET, ERROR_SURFACE_REFRACTIVITY_LARGE
    if n_s < 250.0:
        warn |= WARN_SURFACE_REFRACTIVITY
    if a_e < 4000000.0 or a_e > 13333333.0:
        return math.nan, warn, PROPMODE_NOT_SET, ERROR_EFFECTIVE_EARTH
    if zg_re <= abs(zg_im):
        return math.nan, warn, PROPMODE_NOT_SET, ERROR_GROUND_IMPEDANCE
    abs_zg = math.hypot(zg_re, zg_im)

    scale = math.pow(a_e * a_e / f_mhz, 1.0 / 3.0)
    d_3 = c_max(d_sml, d_ml + 5.0 * scale)
    d_4 = d_3 + 10.0 * scale
    a_3, a_4 = diffraction_line(d_3, d_4, d_hzn_0, d_hzn_1, h_e_0, h_e_1, abs_zg, a_e, delta_h_m, h_0, h_1,
                                mode, theta_los, d_sml, f_mhz)
    m_d = (a_4 - a_3) / (d_4 - d_3)
    a_d0 = a_3 - m_d * d_3

    d_min = abs(h_e_0 - h_e_1) / 200e-3
    if d_m < d_min:
        warn |= WARN_PATH_DISTANCE_TOO_SMALL_1
    if d_m < 1e3:
        warn |= WARN_PATH_DISTANCE_TOO_SMALL_2
    if d_m > 1000e3:
        warn |= WARN_PATH_DISTANCE_TOO_BIG_1
    if d_m > 2000e3:
        warn |= WARN_PATH_DISTANCE_TOO_BIG_2

    if d_m < d_sml:
        a_o, k_1, k_2 = _los_coefficients(d_sml, d_ml, m_d, a_d0, h_e_0, h_e_1, zg_re, zg_im, delta_h_m, f_mhz)
        a_ref = a_o + k_1 * d_m + k_2 * math.log(d_m)
        propmode = PROPMODE_LINE_OF_SIGHT
    else:
        # trans-horizon: diffraction or troposcatter
        d_5 = d_ml + 200e3
        d_6 = d_ml + 400e3
        a_6, h0 = troposcatter_loss(d_6, theta_0, theta_1, d_hzn_0, d_hzn_1, h_e_0, h_e_1, a_e, n_s,
                                    f_mhz, theta_los, -1.0)
        a_5, h0 = troposcatter_loss(d_5, theta_0, theta_1, d_hzn_0, d_hzn_1, h_e_0, h_e_1, a_e, n_s,
                                    f_mhz, theta_los, h0)
        if a_5 < 1000.0:
            m_s = (a_6 - a_5) / 200e3
            d_x = c_max(c_max(d_sml, d_ml + 1.088 * scale * math.log(f_mhz)),
                        (a_5 - a_d0 - m_s * d_5) / (m_d - m_s))
            a_s0 = (m_d - m_s) * d_x + a_d0
        else:
            m_s = m_d
            a_s0 = a_d0
            d_x = 10e6
        if d_m > d_x:
            a_ref = m_s * d_m + a_s0
            propmode = PROPMODE_TROPOSCATTER
        else:
            a_ref = m_d * d_m + a_d0
            propmode = PROPMODE_DIFFRACTION
    a_ref = c_max(a_ref, 0.0)  # NTIA's MAX macro: a NaN becomes 0
    return a_ref, warn, propmode, SUCCESS


# =========================================================================================
# Common input checks and initialisation [ValidateInputs.cpp, InitializePointToPoint.cpp]
# =========================================================================================
@jit
def validate_inputs(h_tx_m, h_rx_m, climate, time, location, situation, n_0, f_mhz, pol, epsilon,
                    sigma, mdvar):
    """NTIA's ValidateInputs (same tests, same order, same NaN behaviour: a NaN passes every
    test, as in NTIA); returns ``(return_code, warnings)``."""
    warn = 0
    if h_tx_m < 1.0 or h_tx_m > 1000.0:
        warn |= WARN_TX_TERMINAL_HEIGHT
    if h_tx_m < 0.5 or h_tx_m > 3000.0:
        return ERROR_TX_TERMINAL_HEIGHT, warn
    if h_rx_m < 1.0 or h_rx_m > 1000.0:
        warn |= WARN_RX_TERMINAL_HEIGHT
    if h_rx_m < 0.5 or h_rx_m > 3000.0:
        return ERROR_RX_TERMINAL_HEIGHT, warn
    if climate < 1 or climate > 7:
        return ERROR_INVALID_RADIO_CLIMATE, warn
    if n_0 < 250.0 or n_0 > 400.0:
        return ERROR_REFRACTIVITY, warn
    if f_mhz < 40.0 or f_mhz > 10000.0:
        warn |= WARN_FREQUENCY
    if f_mhz < 20.0 or f_mhz > 20000.0:
        return ERROR_FREQUENCY, warn
    if pol != 0 and pol != 1:
        return ERROR_POLARIZATION, warn
    if epsilon < 1.0:
        return ERROR_EPSILON, warn
    if sigma <= 0.0:
        return ERROR_SIGMA, warn
    if mdvar < 0 or (3 < mdvar < 10) or (13 < mdvar < 20) or (23 < mdvar < 30) or mdvar > 33:
        return ERROR_MDVAR, warn
    if situation <= 0.0 or situation >= 100.0:
        return ERROR_INVALID_SITUATION, warn
    if time <= 0.0 or time >= 100.0:
        return ERROR_INVALID_TIME, warn
    if location <= 0.0 or location >= 100.0:
        return ERROR_INVALID_LOCATION, warn
    return SUCCESS, warn


@jit
def initialize(f_mhz, h_sys_m, n_0, n_s_direct, pol, epsilon, sigma):
    """Surface refractivity, effective-earth curvature and ground impedance [TN101 Eq. 4.3, 4.4].

    ``n_s_direct > 0`` gives N_s directly (as the Fortran QKPFL driver does) instead of
    deriving it from ``n_0`` and the mean path elevation ``h_sys_m``. Returns
    ``(zg_re, zg_im, gamma_e, n_s)``.
    """
    if n_s_direct > 0.0:
        n_s = n_s_direct
    elif h_sys_m == 0.0:
        n_s = n_0
    else:
        n_s = n_0 * math.exp(-h_sys_m / 9460.0)
    gamma_e = GAMMA_A * (1.0 - 0.04665 * math.exp(n_s / 179.3))
    ep_im = 18000.0 * sigma / f_mhz
    zg_re, zg_im = c_sqrt(epsilon - 1.0, ep_im)
    if pol == 1:
        zg_re, zg_im = c_div(zg_re, zg_im, epsilon, ep_im)
    return zg_re, zg_im, gamma_e, n_s


# =========================================================================================
# Point-to-point entry points [itm_p2p.cpp]
# =========================================================================================
@jit
def _fail(out, rtn, warn):
    out[OUT_A_DB] = math.nan
    out[OUT_WARNINGS] = warn
    out[OUT_RETURN] = rtn
    return rtn


@jit
def _finish_reference(out, a_ref, propmode, rtn, warn, d, f_mhz):
    """Store the reference attenuation, free-space loss, mode, warnings and the return code
    (point-to-point and area modes alike); returns the code."""
    out[OUT_MODE] = propmode
    if rtn != SUCCESS:
        out[OUT_A_REF_DB] = math.nan
        out[OUT_A_FS_DB] = math.nan
        return _fail(out, rtn, warn)
    out[OUT_A_REF_DB] = a_ref
    out[OUT_A_FS_DB] = free_space_loss(d, f_mhz)
    out[OUT_WARNINGS] = warn
    rtn = SUCCESS_WITH_WARNINGS if warn != 0 else SUCCESS
    out[OUT_RETURN] = rtn
    return rtn


@jit
def _p2p_geometry(z, n_samples, xi_m, h_tx_m, h_rx_m, n_0, n_s_direct, f_mhz, pol, epsilon, sigma,
                  warn, out):
    """Everything of ITM_P2P_TLS_Ex after ValidateInputs and before Variability."""
    n_int = n_samples - 1
    if n_int < 1 or not (xi_m > 0.0):
        return _fail(out, ERROR_PATH_DISTANCE, warn)
    out[OUT_D_KM] = (n_int * xi_m) / 1000.0
    h_sys = mean_path_elevation(z, n_int)
    zg_re, zg_im, gamma_e, n_s = initialize(f_mhz, h_sys, n_0, n_s_direct, pol, epsilon, sigma)
    th0, th1, dh0, dh1, he0, he1, delta_h, d = quick_pfl(z, n_int, xi_m, gamma_e, h_tx_m, h_rx_m)
    return _reference(out, th0, th1, f_mhz, zg_re, zg_im, dh0, dh1, he0, he1, gamma_e, n_s, delta_h, h_tx_m,
                      h_rx_m, d, MODE_P2P, warn)


@jit
def _reference(out, th0, th1, f_mhz, zg_re, zg_im, dh0, dh1, he0, he1, gamma_e, n_s, delta_h, h_tx_m, h_rx_m, d,
               mode, warn):
    """The terminal geometry into ``out``, then Longley-Rice and the reference result (both modes)."""
    out[OUT_D_M] = d
    out[OUT_THETA_HZN_TX] = th0
    out[OUT_THETA_HZN_RX] = th1
    out[OUT_D_HZN_TX_M] = dh0
    out[OUT_D_HZN_RX_M] = dh1
    out[OUT_H_E_TX_M] = he0
    out[OUT_H_E_RX_M] = he1
    out[OUT_N_S] = n_s
    out[OUT_DELTA_H_M] = delta_h
    a_ref, w2, propmode, rtn = longley_rice(th0, th1, f_mhz, zg_re, zg_im, dh0, dh1, he0, he1, gamma_e,
                                            n_s, delta_h, h_tx_m, h_rx_m, d, mode)
    return _finish_reference(out, a_ref, propmode, rtn, warn | w2, d, f_mhz)


@jit
def p2p_reference(z, n_samples, xi_m, h_tx_m, h_rx_m, climate, n_0, n_s_direct, f_mhz, pol,
                  epsilon, sigma, mdvar, out):
    """ITM point-to-point geometry and reference attenuation for one profile (no quantiles).

    Fills every ``out`` slot except ``OUT_A_DB``; returns NTIA's return code. Inputs are
    validated as NTIA's ValidateInputs does, with time/location/situation taken as 50 %.
    """
    rtn, warn = validate_inputs(h_tx_m, h_rx_m, climate, 50.0, 50.0, 50.0,
                                n_0 if n_s_direct <= 0.0 else 301.0, f_mhz, pol, epsilon, sigma, mdvar)
    if rtn != SUCCESS:
        return _fail(out, rtn, warn)
    return _p2p_geometry(z, n_samples, xi_m, h_tx_m, h_rx_m, n_0, n_s_direct, f_mhz, pol, epsilon,
                         sigma, warn, out)


@jit
def apply_variability(out, time, location, situation, f_mhz, climate, mdvar):
    """Complete a reference result ``out`` with the loss for one quantile; returns the code."""
    rtn = int(out[OUT_RETURN])
    if rtn > SUCCESS_WITH_WARNINGS:
        return rtn
    if situation <= 0.0 or situation >= 100.0:
        return _fail(out, ERROR_INVALID_SITUATION, int(out[OUT_WARNINGS]))
    if time <= 0.0 or time >= 100.0:
        return _fail(out, ERROR_INVALID_TIME, int(out[OUT_WARNINGS]))
    if location <= 0.0 or location >= 100.0:
        return _fail(out, ERROR_INVALID_LOCATION, int(out[OUT_WARNINGS]))
    a, w = variability(time, location, situation, out[OUT_H_E_TX_M], out[OUT_H_E_RX_M],
                       out[OUT_DELTA_H_M], f_mhz, out[OUT_D_M],
                       out[OUT_A_REF_DB], climate, mdvar)
    warn = int(out[OUT_WARNINGS]) | w
    out[OUT_A_DB] = a + out[OUT_A_FS_DB]
    out[OUT_WARNINGS] = warn
    rtn = SUCCESS_WITH_WARNINGS if warn != 0 else SUCCESS
    out[OUT_RETURN] = rtn
    return rtn


@jit
def p2p_path(z, n_samples, xi_m, h_tx_m, h_rx_m, climate, n_0, n_s_direct, f_mhz, pol, epsilon,
             sigma, mdvar, time, location, situation, out):
    """ITM point-to-point loss for one profile, time/location/situation form (ITM_P2P_TLS_Ex).

    The confidence/reliability form is ``time = reliability, location = 50,
    situation = confidence`` (NTIA then reports 1003 as 1007 and 1005 as 1006).
    ``n_s_direct > 0`` gives the surface refractivity directly and ``n_0`` is then ignored.
    Writes ``out`` (length :data:`N_OUT`); returns the return code.
    """
    rtn, warn = validate_inputs(h_tx_m, h_rx_m, climate, time, location, situation,
                                n_0 if n_s_direct <= 0.0 else 301.0, f_mhz, pol, epsilon, sigma, mdvar)
    if rtn != SUCCESS:
        return _fail(out, rtn, warn)
    rtn = _p2p_geometry(z, n_samples, xi_m, h_tx_m, h_rx_m, n_0, n_s_direct, f_mhz, pol, epsilon,
                        sigma, warn, out)
    if rtn > SUCCESS_WITH_WARNINGS:
        return rtn
    return apply_variability(out, time, location, situation, f_mhz, climate, mdvar)


@jit
def p2p_api(pfl, h_tx_m, h_rx_m, climate, n_0, f_mhz, pol, epsilon, sigma, mdvar, time, location,
            situation, z_min, z_max, out):
    """Checked one-path entry of the public API: :func:`p2p_path` on an NTIA PFL array.

    Returns -1 (and computes nothing) when the PFL array is malformed (``np`` not a positive
    integer matching the length, ``xi`` not finite and > 0), an elevation is not finite or
    outside ``[z_min, z_max]``, or a float argument is not finite; the caller then reports
    the problem. Otherwise NTIA's return code of :func:`p2p_path`.
    """
    m = pfl.shape[0]
    if m < 4:
        return -1
    n_pfl = pfl[0]
    xi = pfl[1]
    if not (n_pfl >= 1.0 and n_pfl + 3.0 == m and n_pfl == math.floor(n_pfl)):
        return -1
    if not (xi > 0.0 and xi < math.inf):
        return -1
    n_bad = 0
    for i in range(2, m):
        v = pfl[i]
        n_bad += 0 if (v >= z_min and v <= z_max) else 1
    if n_bad:
        return -1
    for v in (h_tx_m, h_rx_m, n_0, f_mhz, epsilon, sigma, time, location, situation):
        if not (abs(v) < math.inf):
            return -1
    return p2p_path(pfl[2:], m - 2, xi, h_tx_m, h_rx_m, climate, n_0, 0.0, f_mhz, pol, epsilon, sigma, mdvar,
                    time, location, situation, out)


@pjit
def p2p_batch(z, n_samples, xi_m, h_tx_m, h_rx_m, climate, n_0, n_s_direct, f_mhz, pol, epsilon,
              sigma, mdvar, time, location, situation, out):
    """ITM point-to-point over a batch of padded profiles ``z`` (n_paths, n_max).

    Every other argument is a 1-D array of length n_paths (int64 for ``n_samples``,
    ``climate``, ``pol``, ``mdvar``; float64 otherwise); ``out`` is (n_paths, N_OUT).
    """
    n_paths = z.shape[0]
    for k in prange(n_paths):
        p2p_path(z[k], n_samples[k], xi_m[k], h_tx_m[k], h_rx_m[k], climate[k], n_0[k],
                 n_s_direct[k], f_mhz[k], pol[k], epsilon[k], sigma[k], mdvar[k], time[k],
                 location[k], situation[k], out[k])


@jit
def variability_many(ref, time, location, situation, f_mhz, climate, mdvar, a_db, warnings):
    """Loss for many quantiles (1-D arrays) of one reference result ``ref`` (an ``out`` vector)."""
    tmp = np.empty(N_OUT)
    for k in range(time.shape[0]):
        for j in range(N_OUT):
            tmp[j] = ref[j]
        apply_variability(tmp, time[k], location[k], situation[k], f_mhz, climate, mdvar)
        a_db[k] = tmp[OUT_A_DB]
        warnings[k] = tmp[OUT_WARNINGS]


# =========================================================================================
# Area mode [itm_area.cpp, InitializeArea.cpp]
# =========================================================================================
@jit
def initialize_area(h_m, site, gamma_e, delta_h_m):
    """Effective height, horizon distance and angle of one terminal from its siting criterion
    (0 random, 1 careful, 2 very careful) [Algorithm Eq. 3.2-3.4]; ``(h_e, d_hzn, theta_hzn)``."""
    if site == 0:
        he = h_m
    else:
        b = 4.0 if site == 1 else 9.0
        if h_m < 5.0:
            b = b * math.sin(0.1 * PI * h_m)
        he = h_m + (1.0 + b) * math.exp(-c_min(20.0, 2.0 * h_m / c_max(1e-3, delta_h_m)))
    d_ls = math.sqrt(2.0 * he / gamma_e)
    dh = d_ls * math.exp(-0.07 * math.sqrt(delta_h_m / c_max(he, 5.0)))
    th = (0.65 * delta_h_m * (d_ls / dh - 1.0) - 2.0 * he) / d_ls
    return he, dh, th


@jit
def _area_geometry(d_km, delta_h_m, h_tx_m, h_rx_m, tx_siting, rx_siting, n_0, n_s_direct, f_mhz, pol,
                   epsilon, sigma, warn, out):
    """Everything of ITM_AREA_TLS_Ex after ValidateInputs and before Variability."""
    if d_km <= 0.0:
        return _fail(out, ERROR_PATH_DISTANCE, warn)
    if delta_h_m < 0.0:
        return _fail(out, ERROR_DELTA_H, warn)
    if tx_siting < 0 or tx_siting > 2:
        return _fail(out, ERROR_TX_SITING_CRITERIA, warn)
    if rx_siting < 0 or rx_siting > 2:
        return _fail(out, ERROR_RX_SITING_CRITERIA, warn)
    out[OUT_D_KM] = d_km
    zg_re, zg_im, gamma_e, n_s = initialize(f_mhz, 0.0, n_0, n_s_direct, pol, epsilon, sigma)
    he0, dh0, th0 = initialize_area(h_tx_m, tx_siting, gamma_e, delta_h_m)
    he1, dh1, th1 = initialize_area(h_rx_m, rx_siting, gamma_e, delta_h_m)
    return _reference(out, th0, th1, f_mhz, zg_re, zg_im, dh0, dh1, he0, he1, gamma_e, n_s, delta_h_m, h_tx_m,
                      h_rx_m, d_km * 1000.0, MODE_AREA, warn)


@jit
def area_reference(d_km, delta_h_m, h_tx_m, h_rx_m, tx_siting, rx_siting, climate, n_0, n_s_direct,
                   f_mhz, pol, epsilon, sigma, mdvar, out):
    """ITM area-mode geometry and reference attenuation (no quantiles); returns the code.

    Siting criteria: 0 random, 1 careful, 2 very careful [Algorithm Eq. 3.2-3.4].
    """
    rtn, warn = validate_inputs(h_tx_m, h_rx_m, climate, 50.0, 50.0, 50.0,
                                n_0 if n_s_direct <= 0.0 else 301.0, f_mhz, pol, epsilon, sigma, mdvar)
    if rtn != SUCCESS:
        return _fail(out, rtn, warn)
    return _area_geometry(d_km, delta_h_m, h_tx_m, h_rx_m, tx_siting, rx_siting, n_0, n_s_direct, f_mhz,
                          pol, epsilon, sigma, warn, out)


@jit
def area_point(d_km, delta_h_m, h_tx_m, h_rx_m, tx_siting, rx_siting, climate, n_0, n_s_direct,
               f_mhz, pol, epsilon, sigma, mdvar, time, location, situation, out):
    """ITM area-mode loss, time/location/situation form (ITM_AREA_TLS_Ex); returns the code."""
    rtn, warn = validate_inputs(h_tx_m, h_rx_m, climate, time, location, situation,
                                n_0 if n_s_direct <= 0.0 else 301.0, f_mhz, pol, epsilon, sigma, mdvar)
    if rtn != SUCCESS:
        return _fail(out, rtn, warn)
    rtn = _area_geometry(d_km, delta_h_m, h_tx_m, h_rx_m, tx_siting, rx_siting, n_0, n_s_direct, f_mhz,
                         pol, epsilon, sigma, warn, out)
    if rtn > SUCCESS_WITH_WARNINGS:
        return rtn
    return apply_variability(out, time, location, situation, f_mhz, climate, mdvar)


@pjit
def area_batch(d_km, delta_h_m, h_tx_m, h_rx_m, tx_siting, rx_siting, climate, n_0, n_s_direct,
               f_mhz, pol, epsilon, sigma, mdvar, time, location, situation, out):
    """ITM area mode over 1-D arrays of equal length (int64 for siting, climate, pol, mdvar)."""
    for k in prange(d_km.shape[0]):
        area_point(d_km[k], delta_h_m[k], h_tx_m[k], h_rx_m[k], tx_siting[k], rx_siting[k],
                   climate[k], n_0[k], n_s_direct[k], f_mhz[k], pol[k], epsilon[k], sigma[k],
                   mdvar[k], time[k], location[k], situation[k], out[k])
# =========================================================================================
# Every receiver position along a profile (coverage radials)
# =========================================================================================
@jit
def p2p_along(z, n_samples, xi_m, k_start, h_tx_m, h_rx_m, climate, n_0, n_s_direct, f_mhz, pol,
              epsilon, sigma, mdvar, time, location, situation, a_db, warnings):
    """Loss from the Tx at sample 0 to a receiver at each sample k = k_start .. n_samples - 1.

    Each k is an ITM point-to-point path over the prefix ``z[:k + 1]``. ``a_db`` and
    ``warnings`` (1-D, length >= n_samples) get the loss [dB] and NTIA warning flags; samples
    before ``k_start`` get NaN; a path with an error gets NaN and minus the error code in
    ``warnings``.
    """
    out = np.empty(N_OUT)
    for k in range(n_samples):
        if k < max(k_start, 1):
            a_db[k] = math.nan
            warnings[k] = 0.0
            continue
        rtn = p2p_path(z, k + 1, xi_m, h_tx_m, h_rx_m, climate, n_0, n_s_direct, f_mhz, pol, epsilon,
                       sigma, mdvar, time, location, situation, out)
        a_db[k] = out[OUT_A_DB]
        warnings[k] = out[OUT_WARNINGS] if rtn <= SUCCESS_WITH_WARNINGS else -rtn


@pjit
def p2p_along_batch(z, n_samples, xi_m, k_start, h_tx_m, h_rx_m, climate, n_0, n_s_direct, f_mhz, pol,
                    epsilon, sigma, mdvar, time, location, situation, a_db, warnings):
    """:func:`p2p_along` for each row of ``z`` (n_paths, n_max), e.g. the radials of a coverage
    map; ``n_samples`` and ``xi_m`` per row, the other parameters shared; ``a_db`` and
    ``warnings`` are (n_paths, n_max). ``prange`` over rows."""
    for r in prange(z.shape[0]):
        p2p_along(z[r], n_samples[r], xi_m[r], k_start, h_tx_m, h_rx_m, climate, n_0, n_s_direct, f_mhz,
                  pol, epsilon, sigma, mdvar, time, location, situation, a_db[r], warnings[r])
        for k in range(n_samples[r], z.shape[1]):
            a_db[r, k] = math.nan
            warnings[r, k] = 0.0
