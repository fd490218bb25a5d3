"""Longley-Rice Irregular Terrain Model (ITM 1.2.2), Numba kernels.

Semantics follow NTIA/ITS's reference C++ library (github.com/NTIA/itm, library v1.3/1.4,
which implements the ITM 1.2.2 algorithm of Hufford, "The ITS Irregular Terrain Model,
version 1.2.2: The Algorithm", 1995). Equation references in comments:

* [Algorithm]  G. A. Hufford, The ITS Irregular Terrain Model, version 1.2.2, the Algorithm.
* [ERL 79]     Longley & Rice, ERL 79-ITS 67 (1968), Prediction of tropospheric radio
  transmission loss over irregular terrain, a computer method.
* [TN101]      Rice et al., NBS Technical Note 101 (1967).
* [Vogler]     L. E. Vogler, Calculation of groundwave attenuation in the far diffraction
  region, Radio Science 68D (1964).

Layout
------
Every scalar routine is an ``@jit`` function usable from other njit code. The per-path
entry points write their results into a float64 ``out`` vector of length :data:`N_OUT`
indexed by the ``OUT_*`` constants below, and return NTIA's return code (0 success,
1 success with warnings, >= 1000 an error code; on error the loss slot holds NaN).

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
    :func:`variability` (one quantile), :func:`variability_many` (many quantiles of one
    reference result).
"""
from __future__ import annotations

import cmath
import math

import numpy as np

from ._jit import jit, pjit, prange

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
N_OUT = 15

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


# =========================================================================================
# Small helper functions
# =========================================================================================
@jit
def _fdim(a, b):
    return a - b if a > b else 0.0


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
def terrain_roughness(d_m, delta_h_m):
    """Delta_h(d), the interdecile range at distance d [ERL 79, Eq. 3]."""
    return delta_h_m * (1.0 - 0.8 * math.exp(-d_m / 50e3))


@jit
def sigma_h(delta_h_m):
    """RMS terrain deviation within the first Fresnel zone [ERL 79, Eq. 3.6a]."""
    return 0.78 * delta_h_m * math.exp(-0.5 * delta_h_m ** 0.25)


@jit
def free_space_loss(d_m, f_mhz):
    """Free-space basic transmission loss [dB] as ITM computes it (32.45 dB constant)."""
    return 32.45 + 20.0 * math.log10(f_mhz) + 20.0 * math.log10(d_m / 1000.0)


@jit
def fresnel_integral(v2):
    """Knife-edge loss A(v, 0) from v^2 [TN101v2 Eq. III.24b/c, ERL 79 Eq. 3.27]."""
    if v2 < 5.76:
        return 6.02 + 9.11 * math.sqrt(v2) - 1.27 * v2
    return 12.953 + 10.0 * math.log10(v2)


@jit
def knife_edge_diffraction(d_m, f_mhz, a_e_m, theta_los, d_hzn_0, d_hzn_1):
    """Double knife-edge diffraction loss [TN101 Eq. I.1, I.7] [dB]."""
    d_ml = d_hzn_0 + d_hzn_1
    theta_nlos = d_m / a_e_m - theta_los
    d_nlos = d_m - d_ml
    c = 0.0795775 * (f_mhz / 47.7) * theta_nlos * theta_nlos
    v1 = c * d_hzn_0 * d_nlos / (d_nlos + d_hzn_0)
    v2 = c * d_hzn_1 * d_nlos / (d_nlos + d_hzn_1)
    return fresnel_integral(v1) + fresnel_integral(v2)


@jit
def height_function(x_km, k):
    """Vogler's height-gain function F(x, K) [dB] for smooth-earth diffraction."""
    if x_km < 200.0:
        w = -math.log(k)
        if k < 1e-5 or x_km * w * w * w > 5495.0:
            r = -117.0
            if x_km > 1.0:
                r = 17.372 * math.log(x_km) + r
        else:
            r = 2.5e-5 * x_km * x_km / k - 8.686 * w - 15.0
    else:
        r = 0.05751 * x_km - 4.343 * math.log(x_km)
        if x_km < 2000.0:
            w = 0.0134 * x_km * math.exp(-0.005 * x_km)
            r = (1.0 - w) * r + w * (17.372 * math.log(x_km) - 117.0)
    return r


@jit
def _smooth_earth_terminal(d_hzn, h_e, f13, fm13, abs_zg):
    """Vogler terms of one terminal: ``(x_i [km-ish], F(x_i, K_i) [dB])`` [Vogler Eq. 2, 6a]."""
    a = 0.5 * d_hzn * d_hzn / h_e
    c = np.cbrt((4.0 / 3.0) * A_0_M / a)
    k = 0.017778 * c * fm13 / abs_zg
    x = (1.607 - k) * c * c * f13 * (d_hzn / 1000.0)
    return x, height_function(x, k)


@jit
def _smooth_earth_path(d_m, f13, fm13, a_e_m, theta_los, d_ml, abs_zg, x1, x2, f_12):
    """Smooth-earth loss from the path term and the terminals' (x_1 + x_2, F_1 + F_2)."""
    theta_nlos = d_m / a_e_m - theta_los
    a0 = (d_m - d_ml) / (d_m / a_e_m - theta_los)
    c0 = np.cbrt((4.0 / 3.0) * A_0_M / a0)
    k0 = 0.017778 * c0 * fm13 / abs_zg
    x0 = (1.607 - k0) * c0 * c0 * f13 * (a0 * theta_nlos / 1000.0) + x1 + x2
    return 0.05751 * x0 - 10.0 * math.log10(x0) - f_12 - 20.0


@jit
def smooth_earth_diffraction(d_m, f_mhz, a_e_m, theta_los, d_hzn_0, d_hzn_1, h_e_0, h_e_1, abs_zg):
    """Smooth-earth diffraction loss, Vogler's three-radii method [Algorithm Eq. 4.20] [dB]."""
    f13 = np.cbrt(f_mhz)
    fm13 = 1.0 / f13
    x1, f1 = _smooth_earth_terminal(d_hzn_0, h_e_0, f13, fm13, abs_zg)
    x2, f2 = _smooth_earth_terminal(d_hzn_1, h_e_1, f13, fm13, abs_zg)
    return _smooth_earth_path(d_m, f13, fm13, a_e_m, theta_los, d_hzn_0 + d_hzn_1, abs_zg, x1, x2, f1 + f2)


@jit
def _diffraction_weighted(d_m, a_se, d_hzn_0, d_hzn_1, a_e_m, delta_h_m, term1, theta_los, a_fo, f_mhz):
    a_k = knife_edge_diffraction(d_m, f_mhz, a_e_m, theta_los, d_hzn_0, d_hzn_1)
    dhd = terrain_roughness(d_m, delta_h_m)
    q = (term1 + (-theta_los * a_e_m + d_hzn_0 + d_hzn_1) / d_m) * min(dhd * f_mhz / 47.7, 6283.2)
    w = 25.1 / (25.1 + math.sqrt(q))
    return w * a_se + (1.0 - w) * a_k + a_fo


@jit
def _diffraction_common(h_e_0, h_e_1, h_0, h_1, mode, delta_h_m, d_sml_m, f_mhz):
    """(term1 of ERL 79 Eq. 3.23, clutter factor A_fo of Eq. 3.38c)."""
    sh = sigma_h(terrain_roughness(d_sml_m, delta_h_m))
    a_fo = min(15.0, 5.0 * math.log10(1.0 + 1e-5 * h_0 * h_1 * f_mhz * sh))
    q = h_0 * h_1
    qk = h_e_0 * h_e_1 - q
    if mode == MODE_P2P:
        q += 10.0  # C ~= 10 for low antennas with known path parameters [ERL 79 p. 3-8]
    return math.sqrt(1.0 + qk / q), a_fo


@jit
def diffraction_loss(d_m, d_hzn_0, d_hzn_1, h_e_0, h_e_1, abs_zg, a_e_m, delta_h_m, h_0, h_1,
                     mode, theta_los, d_sml_m, f_mhz):
    """Weighted knife-edge / smooth-earth diffraction with clutter [ERL 79 Eq. 3.23, 3.38c] [dB]."""
    a_se = smooth_earth_diffraction(d_m, f_mhz, a_e_m, theta_los, d_hzn_0, d_hzn_1, h_e_0, h_e_1, abs_zg)
    term1, a_fo = _diffraction_common(h_e_0, h_e_1, h_0, h_1, mode, delta_h_m, d_sml_m, f_mhz)
    return _diffraction_weighted(d_m, a_se, d_hzn_0, d_hzn_1, a_e_m, delta_h_m, term1, theta_los, a_fo, f_mhz)


@jit
def diffraction_line(d_3, d_4, d_hzn_0, d_hzn_1, h_e_0, h_e_1, abs_zg, a_e_m, delta_h_m, h_0, h_1,
                     mode, theta_los, d_sml_m, f_mhz):
    """Diffraction loss at two distances, sharing the terminal terms: ``(A_3, A_4)`` [dB]."""
    f13 = np.cbrt(f_mhz)
    fm13 = 1.0 / f13
    x1, f1 = _smooth_earth_terminal(d_hzn_0, h_e_0, f13, fm13, abs_zg)
    x2, f2 = _smooth_earth_terminal(d_hzn_1, h_e_1, f13, fm13, abs_zg)
    d_ml = d_hzn_0 + d_hzn_1
    term1, a_fo = _diffraction_common(h_e_0, h_e_1, h_0, h_1, mode, delta_h_m, d_sml_m, f_mhz)
    se3 = _smooth_earth_path(d_3, f13, fm13, a_e_m, theta_los, d_ml, abs_zg, x1, x2, f1 + f2)
    se4 = _smooth_earth_path(d_4, f13, fm13, a_e_m, theta_los, d_ml, abs_zg, x1, x2, f1 + f2)
    a_3 = _diffraction_weighted(d_3, se3, d_hzn_0, d_hzn_1, a_e_m, delta_h_m, term1, theta_los, a_fo, f_mhz)
    a_4 = _diffraction_weighted(d_4, se4, d_hzn_0, d_hzn_1, a_e_m, delta_h_m, term1, theta_los, a_fo, f_mhz)
    return a_3, a_4


@jit
def line_of_sight_loss(d_m, h_e_0, h_e_1, z_g, delta_h_m, m_d, a_d0, d_sml_m, f_mhz):
    """Two-ray line-of-sight loss blended with extended diffraction [Algorithm Eq. 4.46-4.50] [dB]."""
    sh = sigma_h(terrain_roughness(d_m, delta_h_m))
    wn = f_mhz / 47.7
    hh = h_e_0 + h_e_1
    sin_psi = hh / math.sqrt(d_m * d_m + hh * hh)
    r_e = (sin_psi - z_g) / (sin_psi + z_g) * math.exp(-min(10.0, wn * sh * sin_psi))
    q = r_e.real * r_e.real + r_e.imag * r_e.imag
    if q < 0.25 or q < sin_psi:
        r_e = r_e * math.sqrt(sin_psi / q)
    delta_phi = wn * 2.0 * h_e_0 * h_e_1 / d_m
    if delta_phi > PI / 2.0:
        delta_phi = PI - (PI / 2.0) ** 2 / delta_phi
    rr_re = math.cos(delta_phi) + r_e.real
    rr_im = -math.sin(delta_phi) + r_e.imag
    a_t = -10.0 * math.log10(rr_re * rr_re + rr_im * rr_im)
    a_d = m_d * d_m + a_d0
    w = 1.0 / (1.0 + f_mhz * delta_h_m / max(10e3, d_sml_m))
    return w * a_t + (1.0 - w) * a_d


@jit
def f_function(td):
    """Attenuation function F(theta d) [Algorithm Eq. 6.9] [dB]."""
    if td <= 10e3:
        return 133.4 + 0.332e-3 * td - 10.0 * math.log10(td)
    if td <= 70e3:
        return 104.6 + 0.212e-3 * td - 2.5 * math.log10(td)
    return 71.8 + 0.157e-3 * td + 5.0 * math.log10(td)


@jit
def _h0_curve(j, r):
    if j == 0:
        a, b = 25.0, 24.0
    elif j == 1:
        a, b = 80.0, 45.0
    elif j == 2:
        a, b = 177.0, 68.0
    elif j == 3:
        a, b = 395.0, 80.0
    else:
        a, b = 705.0, 105.0
    ir = 1.0 / r
    return 10.0 * math.log10(1.0 + a * ir ** 4 + b * ir * ir)


@jit
def h0_function(r, eta_s):
    """Troposcatter frequency-gain function H_0(r, eta_s) [Algorithm Eq. 6.13] [dB]."""
    eta_s = min(max(eta_s, 1.0), 5.0)
    i = int(eta_s)
    q = eta_s - i
    result = _h0_curve(i - 1, r)
    if q != 0.0:
        result = (1.0 - q) * result + q * _h0_curve(i, r)
    return result


@jit
def troposcatter_loss(d_m, theta_0, theta_1, d_hzn_0, d_hzn_1, h_e_0, h_e_1, a_e_m, n_s, f_mhz,
                      theta_los, h0_in):
    """Troposcatter loss [Algorithm Eq. 4.63-4.67, TN101 Eq. 9.3-9.5]; returns (loss_db, H_0).

    ``h0_in`` carries H_0 between the d_6 and d_5 evaluations (start with -1).
    """
    wn = f_mhz / 47.7
    if h0_in > 15.0:
        h_0 = h0_in
    else:
        ad = d_hzn_0 - d_hzn_1
        rr = h_e_1 / h_e_0
        if ad < 0.0:
            ad = -ad
            rr = 1.0 / rr
        theta = theta_0 + theta_1 + d_m / a_e_m
        r_1 = 2.0 * wn * theta * h_e_0
        r_2 = 2.0 * wn * theta * h_e_1
        if r_1 < 0.2 and r_2 < 0.2:
            return 1001.0, h0_in
        s = (d_m - ad) / (d_m + ad)
        q = min(max(0.1, rr / s), 10.0)
        s = max(0.1, s)
        h_0_m = (d_m - ad) * (d_m + ad) * theta * 0.25 / d_m
        eta_s = (h_0_m / 1.7556e3) * (1.0 + (0.031 - n_s * 2.32e-3 + n_s * n_s * 5.67e-6)
                                      * math.exp(-min(1.7, h_0_m / 8.0e3) ** 6))
        h_00 = (h0_function(r_1, eta_s) + h0_function(r_2, eta_s)) / 2.0
        dh0 = min(h_00, 6.0 * (0.6 - math.log10(max(eta_s, 1.0))) * math.log10(s) * math.log10(q))
        h_0 = max(h_00 + dh0, 0.0)
        if eta_s < 1.0:
            t = (1.0 + SQRT2 / r_1) * (1.0 + SQRT2 / r_2)
            h_0 = eta_s * h_0 + (1.0 - eta_s) * 10.0 * math.log10(t * t * (r_1 + r_2) / (r_1 + r_2 + 2.0 * SQRT2))
        if h_0 > 15.0 and h0_in >= 0.0:
            h_0 = h0_in
    th = d_m / a_e_m - theta_los
    loss = (f_function(th * d_m) + 10.0 * math.log10(wn * 47.7 * th ** 4)
            - 0.1 * (n_s - 301.0) * math.exp(-th * d_m / 40e3) + h_0)
    return loss, h_0


# =========================================================================================
# Reference attenuation [LongleyRice.cpp; Algorithm §4]
# =========================================================================================
@jit
def longley_rice(theta_0, theta_1, f_mhz, z_g, d_hzn_0, d_hzn_1, h_e_0, h_e_1, gamma_e, n_s,
                 delta_h_m, h_0, h_1, d_m, mode):
    """Reference attenuation A_ref [dB] below free space [Algorithm §4, ERL 79 §3].

    Returns ``(a_ref_db, warnings, propmode, return_code)``.
    """
    warn = 0
    a_e = 1.0 / gamma_e
    d_s0 = math.sqrt(2.0 * h_e_0 * a_e)
    d_s1 = math.sqrt(2.0 * h_e_1 * a_e)
    d_sml = d_s0 + d_s1
    d_ml = d_hzn_0 + d_hzn_1
    theta_los = -max(theta_0 + theta_1, -d_ml / a_e)

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
    if z_g.real <= abs(z_g.imag):
        return math.nan, warn, PROPMODE_NOT_SET, ERROR_GROUND_IMPEDANCE
    abs_zg = abs(z_g)

    scale = np.cbrt(a_e * a_e / f_mhz)
    d_3 = max(d_sml, d_ml + 5.0 * scale)
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
        # line-of-sight region [ERL 79 Eq. 3.16-3.21]
        a_sml = d_sml * m_d + a_d0
        d_0 = 0.04 * f_mhz * h_e_0 * h_e_1
        if a_d0 >= 0.0:
            d_0 = min(d_0, 0.5 * d_ml)
            d_1 = d_0 + 0.25 * (d_ml - d_0)
        else:
            d_1 = max(-a_d0 / m_d, 0.25 * d_ml)
        a_1 = line_of_sight_loss(d_1, h_e_0, h_e_1, z_g, delta_h_m, m_d, a_d0, d_sml, f_mhz)
        flag = False
        k_1 = 0.0
        k_2 = 0.0
        if d_0 < d_1:
            a_0 = line_of_sight_loss(d_0, h_e_0, h_e_1, z_g, delta_h_m, m_d, a_d0, d_sml, f_mhz)
            q = math.log(d_sml / d_0)
            k_2 = max(0.0, ((d_sml - d_0) * (a_1 - a_0) - (d_1 - d_0) * (a_sml - a_0))
                      / ((d_sml - d_0) * math.log(d_1 / d_0) - (d_1 - d_0) * q))
            flag = a_d0 > 0.0 or k_2 > 0.0
            if flag:
                k_1 = (a_sml - a_0 - k_2 * q) / (d_sml - d_0)
                if k_1 < 0.0:
                    k_1 = 0.0
                    k_2 = _fdim(a_sml, a_0) / q
                    if k_2 == 0.0:
                        k_1 = m_d
        if not flag:
            k_1 = _fdim(a_sml, a_1) / (d_sml - d_1)
            k_2 = 0.0
            if k_1 == 0.0:
                k_1 = m_d
        a_o = a_sml - k_1 * d_sml - k_2 * math.log(d_sml)
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
            d_x = max(max(d_sml, d_ml + 1.088 * scale * math.log(f_mhz)),
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
    a_ref = max(a_ref, 0.0)
    return a_ref, warn, propmode, SUCCESS


# =========================================================================================
# Variability [Variability.cpp; Algorithm §5]
# =========================================================================================
@jit
def _curve(c1, c2, x1, x2, x3, d_e):
    r = (d_e / x1) ** 2
    return (c1 + c2 / (1.0 + ((d_e - x2) / x3) ** 2)) * r / (1.0 + r)


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
            + np.cbrt(575.7e12 / wn))
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
    g_minus = _BFM1[c] + _BFM2[c] / ((_BFM3[c] * q) ** 2 + 1.0)
    g_plus = _BFP1[c] + _BFP2[c] / ((_BFP3[c] * q) ** 2 + 1.0)
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

    ys = sig_s * sig_s + y_t * y_t / (7.8 + z_s * z_s) + y_l * y_l / (24.0 + z_s * z_s)
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


# =========================================================================================
# Common input checks and initialisation [ValidateInputs.cpp, InitializePointToPoint.cpp]
# =========================================================================================
@jit
def validate_inputs(h_tx_m, h_rx_m, climate, time, location, situation, n_0, f_mhz, pol, epsilon,
                    sigma, mdvar):
    """NTIA's common input checks; returns ``(return_code, warnings)``."""
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
    if not (0.0 < situation < 100.0):
        return ERROR_INVALID_SITUATION, warn
    if not (0.0 < time < 100.0):
        return ERROR_INVALID_TIME, warn
    if not (0.0 < location < 100.0):
        return ERROR_INVALID_LOCATION, warn
    return SUCCESS, warn


@jit
def initialize(f_mhz, h_sys_m, n_0, n_s_direct, pol, epsilon, sigma):
    """Surface refractivity, effective-earth curvature and ground impedance [TN101 Eq. 4.3, 4.4].

    ``n_s_direct > 0`` gives N_s directly (as the Fortran QKPFL driver does) instead of
    deriving it from ``n_0`` and the mean path elevation ``h_sys_m``. Returns
    ``(z_g, gamma_e, n_s)``.
    """
    if n_s_direct > 0.0:
        n_s = n_s_direct
    elif h_sys_m == 0.0:
        n_s = n_0
    else:
        n_s = n_0 * math.exp(-h_sys_m / 9460.0)
    gamma_e = GAMMA_A * (1.0 - 0.04665 * math.exp(n_s / 179.3))
    ep_r = complex(epsilon, 18000.0 * sigma / f_mhz)
    z_g = cmath.sqrt(ep_r - 1.0)
    if pol == 1:
        z_g = z_g / ep_r
    return z_g, gamma_e, n_s


# =========================================================================================
# Terrain profile analysis [FindHorizons, LinearLeastSquaresFit, ComputeDeltaH, QuickPfl]
# =========================================================================================
@jit
def find_horizons(z, n_int, xi, h_0, h_1, a_e):
    """Horizon angles [rad] and distances [m] of both terminals [TN101 Eq. 6.15].

    theta = (z_i - z_terminal) / d_i - d_i / (2 a_e), maximised over the profile points,
    starting from the line-of-sight angle and keeping the first (farthest from the Rx)
    point among equal maxima, as NTIA's FindHorizons does. Each terminal is scanned
    outward from itself (new maxima are then rare, so branches predict well) and points
    are compared by numerators (theta * d > theta_max * d) instead of two divisions each;
    the angle is evaluated with NTIA's expression when a new horizon is found.
    Returns ``(theta_0, theta_1, d_hzn_0, d_hzn_1)``.
    """
    d = n_int * xi
    z_tx = z[0] + h_0
    z_rx = z[n_int] + h_1
    two_a = 2.0 * a_e
    inv_two_a = 1.0 / two_a
    th0 = (z_rx - z_tx) / d - d / two_a
    th1 = -(z_rx - z_tx) / d - d / two_a
    dh0 = d
    dh1 = d
    # One pass, each terminal scanned outward from itself: Tx point i ascending (strict '>'
    # keeps the first maximum, as NTIA), Rx point n_int - i descending ('>=' keeps the
    # maximum nearest the Tx, which NTIA's ascending '>' scan keeps; it is compared with the
    # line-of-sight angle afterwards).
    best = -math.inf
    d_best = d
    d_tx = 0.0
    d_rx = 0.0
    for i in range(1, n_int):
        d_tx += xi  # as NTIA accumulates it
        d_rx += xi  # distance of point n_int - i from the Rx
        # theta_tx > th0  <=>  z_i - z_tx > d_tx (th0 + d_tx / 2a)          (d_tx > 0)
        zi = z[i]
        if zi - z_tx > d_tx * (th0 + d_tx * inv_two_a):
            th0 = (zi - z_tx) / d_tx - d_tx / two_a
            dh0 = d_tx
        zr = z[n_int - i]
        if zr - z_rx >= d_rx * (best + d_rx * inv_two_a):
            best = -(z_rx - zr) / d_rx - d_rx / two_a
            d_best = d_rx
    if best > th1:
        th1 = best
        dh1 = d_best
    return th0, th1, dh0, dh1


@jit
def least_squares_fit(z, n_int, xi, d_start, d_end):
    """Least-squares line through ``z`` between two distances, evaluated at both path ends.

    NTIA's ``z1sq1``/LinearLeastSquaresFit: the fit over samples i_start..i_end with the two
    end samples weighted 1/2 (the profile taken as piecewise linear). Returns
    ``(z_fit_at_0, z_fit_at_d)`` [m]. The sums use four independent accumulators each.
    """
    i_start = int(_fdim(d_start / xi, 0.0))
    i_end = n_int - int(_fdim(float(n_int), d_end / xi))
    if i_end <= i_start:
        i_start = int(_fdim(float(i_start), 1.0))
        i_end = n_int - int(_fdim(float(n_int), i_end + 1.0))
    x_length = float(i_end - i_start)
    c = 0.5 * (i_start + i_end)  # centre of the fitted segment
    sum_y = 0.5 * (z[i_start] + z[i_end])
    scaled = 0.5 * (z[i_start] - z[i_end]) * (-0.5 * x_length)
    s1 = 0.0
    s2 = 0.0
    s3 = 0.0
    t1 = 0.0
    t2 = 0.0
    t3 = 0.0
    x = (i_start + 1) - c  # abscissa about the centre, exact in floating point
    k = i_start + 1
    while k + 3 < i_end:  # four independent accumulator pairs
        y0 = z[k]
        y1 = z[k + 1]
        y2 = z[k + 2]
        y3 = z[k + 3]
        sum_y += y0
        s1 += y1
        s2 += y2
        s3 += y3
        scaled += y0 * x
        t1 += y1 * (x + 1.0)
        t2 += y2 * (x + 2.0)
        t3 += y3 * (x + 3.0)
        k += 4
        x += 4.0
    while k < i_end:
        sum_y += z[k]
        scaled += z[k] * x
        k += 1
        x += 1.0
    sum_y = ((sum_y + s1) + (s2 + s3)) / x_length
    scaled = ((scaled + t1) + (t2 + t3)) * 12.0 / ((x_length * x_length + 2.0) * x_length)
    return sum_y - scaled * c, sum_y + scaled * (n_int - c)


@jit
def _select_desc(a, lo, hi, k):
    """Element ``k`` of ``a[lo:hi + 1]`` in descending order (std::nth_element's value);
    Hoare quickselect, in place: afterwards a[lo:k] >= a[k] >= a[k + 1:hi + 1]."""
    while lo < hi:
        pivot = a[(lo + hi) // 2]
        i = lo
        j = hi
        while i <= j:
            while a[i] > pivot:
                i += 1
            while a[j] < pivot:
                j -= 1
            if i <= j:
                t = a[i]
                a[i] = a[j]
                a[j] = t
                i += 1
                j -= 1
        if k <= j:
            hi = j
        elif k >= i:
            lo = i
        else:
            return a[k]
    return a[k]


@jit
def compute_delta_h(z, n_int, xi, d_start, d_end):
    """Terrain irregularity parameter Delta_h [m] between two distances [ERL 79 Eq. 3, inverted].

    Interdecile range of the terrain about a least-squares line, from 10 * p10 - 5 points
    interpolated on the segment (NTIA's ``d1thx``/ComputeDeltaH).
    """
    x_start = d_start / xi
    x_end = d_end / xi
    if x_end - x_start < 2.0:
        return 0.0
    p10 = int(0.1 * (x_end - x_start + 8.0))
    p10 = min(max(4, p10), 25)
    n = 10 * p10 - 5
    p90 = n - p10
    np_s = float(n - 1)
    step = (x_end - x_start) / np_s
    s = np.empty(n)
    for j in range(n):
        # linear interpolation at sample position x = x_start + j * step, written as NTIA
        # does: z[i+1] + (z[i+1] - z[i]) * (x - (i+1)) with i+1 = ceil(x) in [1, np]
        # (NTIA accumulates x; the direct form has no loop-carried dependency)
        x = x_start + j * step
        ip1 = min(max(int(math.ceil(x)), 1), n_int)
        s[j] = z[ip1] + (z[ip1] - z[ip1 - 1]) * (x - ip1)
    y1, y2 = least_squares_fit(s, n - 1, 1.0, 0.0, np_s)
    slope = (y2 - y1) / np_s
    for j in range(n):
        s[j] = s[j] - y1
        y1 += slope
    q10 = _select_desc(s, 0, n - 1, p10 - 1)
    q90 = _select_desc(s, p10, n - 1, p90)  # s[:p10] already holds the p10 largest
    return (q10 - q90) / (1.0 - 0.8 * math.exp(-(d_end - d_start) / 50e3))


@jit
def mean_path_elevation(z, n_int):
    """Mean elevation [m] ignoring the first and last 10 % of the profile (h_sys of ITM P2P)."""
    p10 = int(0.1 * n_int)
    i0 = p10
    i1 = n_int - p10 + 1
    a0 = 0.0
    a1 = 0.0
    a2 = 0.0
    a3 = 0.0
    i = i0
    while i + 3 < i1:  # four partial sums (independent add chains)
        a0 += z[i]
        a1 += z[i + 1]
        a2 += z[i + 2]
        a3 += z[i + 3]
        i += 4
    while i < i1:
        a0 += z[i]
        i += 1
    return ((a0 + a1) + (a2 + a3)) / (n_int - 2 * p10 + 1)


@jit
def quick_pfl(z, n_int, xi, gamma_e, h_0, h_1):
    """Path geometry from a terrain profile (NTIA's ``qlrpfl``/QuickPfl) [Algorithm §3].

    Returns ``(theta_0, theta_1, d_hzn_0, d_hzn_1, h_e_0, h_e_1, delta_h_m, d_m)``.
    """
    d = n_int * xi
    a_e = 1.0 / gamma_e
    th0, th1, dh0, dh1 = find_horizons(z, n_int, xi, h_0, h_1, a_e)
    d_start = min(15.0 * h_0, 0.1 * dh0)
    d_end = d - min(15.0 * h_1, 0.1 * dh1)
    dh = compute_delta_h(z, n_int, xi, d_start, d_end)
    if dh0 + dh1 > 1.5 * d:
        # well within line of sight
        fit_tx, fit_rx = least_squares_fit(z, n_int, xi, d_start, d_end)
        he0 = h_0 + _fdim(z[0], fit_tx)
        he1 = h_1 + _fdim(z[n_int], fit_rx)
        dh0 = math.sqrt(2.0 * he0 * a_e) * math.exp(-0.07 * math.sqrt(dh / max(he0, 5.0)))
        dh1 = math.sqrt(2.0 * he1 * a_e) * math.exp(-0.07 * math.sqrt(dh / max(he1, 5.0)))
        comb = dh0 + dh1
        if comb <= d:
            q = (d / comb) ** 2
            he0 = he0 * q
            he1 = he1 * q
            dh0 = math.sqrt(2.0 * he0 * a_e) * math.exp(-0.07 * math.sqrt(dh / max(he0, 5.0)))
            dh1 = math.sqrt(2.0 * he1 * a_e) * math.exp(-0.07 * math.sqrt(dh / max(he1, 5.0)))
        q = math.sqrt(2.0 * he0 * a_e)
        th0 = (0.65 * dh * (q / dh0 - 1.0) - 2.0 * he0) / q
        q = math.sqrt(2.0 * he1 * a_e)
        th1 = (0.65 * dh * (q / dh1 - 1.0) - 2.0 * he1) / q
    else:
        fit_tx, _dummy = least_squares_fit(z, n_int, xi, d_start, 0.9 * dh0)
        he0 = h_0 + _fdim(z[0], fit_tx)
        _dummy, fit_rx = least_squares_fit(z, n_int, xi, d - 0.9 * dh1, d_end)
        he1 = h_1 + _fdim(z[n_int], fit_rx)
    return th0, th1, dh0, dh1, he0, he1, dh, d


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
    n_int = n_samples - 1
    if n_int < 1 or not (xi_m > 0.0):
        return _fail(out, ERROR_PATH_DISTANCE, warn)
    h_sys = mean_path_elevation(z, n_int)
    z_g, gamma_e, n_s = initialize(f_mhz, h_sys, n_0, n_s_direct, pol, epsilon, sigma)
    th0, th1, dh0, dh1, he0, he1, delta_h, d = quick_pfl(z, n_int, xi_m, gamma_e, h_tx_m, h_rx_m)
    out[OUT_D_KM] = n_int * xi_m / 1000.0
    out[OUT_THETA_HZN_TX] = th0
    out[OUT_THETA_HZN_RX] = th1
    out[OUT_D_HZN_TX_M] = dh0
    out[OUT_D_HZN_RX_M] = dh1
    out[OUT_H_E_TX_M] = he0
    out[OUT_H_E_RX_M] = he1
    out[OUT_N_S] = n_s
    out[OUT_DELTA_H_M] = delta_h
    a_ref, w2, propmode, rtn = longley_rice(th0, th1, f_mhz, z_g, dh0, dh1, he0, he1, gamma_e, n_s,
                                            delta_h, h_tx_m, h_rx_m, d, MODE_P2P)
    return _finish_reference(out, a_ref, propmode, rtn, warn | w2, d, f_mhz)


@jit
def apply_variability(out, time, location, situation, f_mhz, climate, mdvar):
    """Complete a reference result ``out`` with the loss for one quantile; returns the code."""
    rtn = int(out[OUT_RETURN])
    if rtn > SUCCESS_WITH_WARNINGS:
        return rtn
    if not (0.0 < situation < 100.0):
        return _fail(out, ERROR_INVALID_SITUATION, int(out[OUT_WARNINGS]))
    if not (0.0 < time < 100.0):
        return _fail(out, ERROR_INVALID_TIME, int(out[OUT_WARNINGS]))
    if not (0.0 < location < 100.0):
        return _fail(out, ERROR_INVALID_LOCATION, int(out[OUT_WARNINGS]))
    a, w = variability(time, location, situation, out[OUT_H_E_TX_M], out[OUT_H_E_RX_M],
                       out[OUT_DELTA_H_M], f_mhz, out[OUT_D_KM] * 1000.0, out[OUT_A_REF_DB],
                       climate, mdvar)
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
    situation = confidence``. ``n_s_direct > 0`` gives the surface refractivity directly and
    ``n_0`` is then ignored. Writes ``out`` (length :data:`N_OUT`); returns the return code.
    """
    rtn = p2p_reference(z, n_samples, xi_m, h_tx_m, h_rx_m, climate, n_0, n_s_direct, f_mhz, pol,
                        epsilon, sigma, mdvar, out)
    if rtn > SUCCESS_WITH_WARNINGS:
        return rtn
    return apply_variability(out, time, location, situation, f_mhz, climate, mdvar)


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
def area_reference(d_km, delta_h_m, h_tx_m, h_rx_m, tx_siting, rx_siting, climate, n_0, n_s_direct,
                   f_mhz, pol, epsilon, sigma, mdvar, out):
    """ITM area-mode geometry and reference attenuation (no quantiles); returns the code.

    Siting criteria: 0 random, 1 careful, 2 very careful [Algorithm Eq. 3.2-3.4].
    """
    rtn, warn = validate_inputs(h_tx_m, h_rx_m, climate, 50.0, 50.0, 50.0,
                                n_0 if n_s_direct <= 0.0 else 301.0, f_mhz, pol, epsilon, sigma, mdvar)
    if rtn != SUCCESS:
        return _fail(out, rtn, warn)
    if not (d_km > 0.0):
        return _fail(out, ERROR_PATH_DISTANCE, warn)
    if not (delta_h_m >= 0.0):
        return _fail(out, ERROR_DELTA_H, warn)
    if tx_siting < 0 or tx_siting > 2:
        return _fail(out, ERROR_TX_SITING_CRITERIA, warn)
    if rx_siting < 0 or rx_siting > 2:
        return _fail(out, ERROR_RX_SITING_CRITERIA, warn)
    z_g, gamma_e, n_s = initialize(f_mhz, 0.0, n_0, n_s_direct, pol, epsilon, sigma)
    he = np.empty(2)
    dh = np.empty(2)
    th = np.empty(2)
    for i in range(2):
        h = h_tx_m if i == 0 else h_rx_m
        site = tx_siting if i == 0 else rx_siting
        if site == 0:
            he[i] = h
        else:
            b = 4.0 if site == 1 else 9.0
            if h < 5.0:
                b = b * math.sin(0.1 * PI * h)
            he[i] = h + (1.0 + b) * math.exp(-min(20.0, 2.0 * h / max(1e-3, delta_h_m)))
        d_ls = math.sqrt(2.0 * he[i] / gamma_e)
        dh[i] = d_ls * math.exp(-0.07 * math.sqrt(delta_h_m / max(he[i], 5.0)))
        th[i] = (0.65 * delta_h_m * (d_ls / dh[i] - 1.0) - 2.0 * he[i]) / d_ls
    d = d_km * 1000.0
    out[OUT_D_KM] = d_km
    out[OUT_THETA_HZN_TX] = th[0]
    out[OUT_THETA_HZN_RX] = th[1]
    out[OUT_D_HZN_TX_M] = dh[0]
    out[OUT_D_HZN_RX_M] = dh[1]
    out[OUT_H_E_TX_M] = he[0]
    out[OUT_H_E_RX_M] = he[1]
    out[OUT_N_S] = n_s
    out[OUT_DELTA_H_M] = delta_h_m
    a_ref, w2, propmode, rtn = longley_rice(th[0], th[1], f_mhz, z_g, dh[0], dh[1], he[0], he[1],
                                            gamma_e, n_s, delta_h_m, h_tx_m, h_rx_m, d, MODE_AREA)
    return _finish_reference(out, a_ref, propmode, rtn, warn | w2, d, f_mhz)


@jit
def area_point(d_km, delta_h_m, h_tx_m, h_rx_m, tx_siting, rx_siting, climate, n_0, n_s_direct,
               f_mhz, pol, epsilon, sigma, mdvar, time, location, situation, out):
    """ITM area-mode loss, time/location/situation form (ITM_AREA_TLS_Ex); returns the code."""
    rtn = area_reference(d_km, delta_h_m, h_tx_m, h_rx_m, tx_siting, rx_siting, climate, n_0,
                         n_s_direct, f_mhz, pol, epsilon, sigma, mdvar, out)
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
