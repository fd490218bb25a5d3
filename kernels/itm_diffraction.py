"""ITM kernels: diffraction and line-of-sight losses [Algorithm §4; NTIA DiffractionLoss,
KnifeEdgeDiffraction, SmoothEarthDiffraction, HeightFunction, LineOfSightLoss].

Each expression keeps the order of operations of NTIA's C++ source (e.g. ``c (theta^2)``
not ``(c theta) theta``; ``G - F_1 - F_2 - 20`` not ``G - (F_1 + F_2) - 20``), the powers
NTIA computes with ``pow`` use ``math.pow`` (``pow(x, 1/3)`` is not ``cbrt(x)`` to the last
bit), and the complex reflection coefficient uses libgcc's complex division.
"""
from __future__ import annotations

import math

from ._jit import jit
from .itm_core import (A_0_M, MODE_P2P, PI, THIRD, c_div, c_max, c_min, sigma_h,
                       terrain_roughness)


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
    c = 0.0795775 * (f_mhz / 47.7) * (theta_nlos * theta_nlos)
    v1 = c * d_hzn_0 * d_nlos / (d_nlos + d_hzn_0)
    v2 = c * d_hzn_1 * d_nlos / (d_nlos + d_hzn_1)
    return fresnel_integral(v1) + fresnel_integral(v2)


@jit
def height_function(x_km, k):
    """Vogler's height-gain function F(x, K) [dB] for smooth-earth diffraction."""
    if x_km < 200.0:
        w = -math.log(k)
        if k < 1e-5 or x_km * math.pow(w, 3.0) > 5495.0:
            r = -117.0
            if x_km > 1.0:
                r = 17.372 * math.log(x_km) + r
        else:
            r = 2.5e-5 * (x_km * x_km) / k - 8.686 * w - 15.0
    else:
        r = 0.05751 * x_km - 4.343 * math.log(x_km)
        if x_km < 2000.0:
            w = 0.0134 * x_km * math.exp(-0.005 * x_km)
            r = (1.0 - w) * r + w * (17.372 * math.log(x_km) - 117.0)
    return r


@jit
def _vogler_radius(a_m, f13, fm13, abs_zg):
    """(C_0, K) of one of Vogler's three radii [Vogler Eq. 2, 6a]."""
    c0 = math.pow((4.0 / 3.0) * A_0_M / a_m, THIRD)
    k = 0.017778 * c0 * fm13 / abs_zg
    return c0, k


@jit
def _smooth_earth_terminal(d_hzn, h_e, f13, fm13, abs_zg):
    """Vogler terms of one terminal: ``(x_i [km], F(x_i, K_i) [dB])``."""
    a = 0.5 * (d_hzn * d_hzn) / h_e
    c0, k = _vogler_radius(a, f13, fm13, abs_zg)
    x = (1.607 - k) * (c0 * c0) * f13 * (d_hzn / 1000.0)
    return x, height_function(x, k)


@jit
def _smooth_earth_path(d_m, f13, fm13, a_e_m, theta_los, d_ml, abs_zg, x1, x2, f1, f2):
    """Smooth-earth loss from the path radius and the terminals' (x_1, x_2, F_1, F_2)."""
    theta_nlos = d_m / a_e_m - theta_los
    a0 = (d_m - d_ml) / (d_m / a_e_m - theta_los)
    d_km = (a0 * theta_nlos) / 1000.0
    c0, k0 = _vogler_radius(a0, f13, fm13, abs_zg)
    x0 = (1.607 - k0) * (c0 * c0) * f13 * d_km + x1 + x2
    g = 0.05751 * x0 - 10.0 * math.log10(x0)
    return g - f1 - f2 - 20.0


@jit
def smooth_earth_diffraction(d_m, f_mhz, a_e_m, theta_los, d_hzn_0, d_hzn_1, h_e_0, h_e_1, abs_zg):
    """Smooth-earth diffraction loss, Vogler's three-radii method [Algorithm Eq. 4.20] [dB]."""
    f13 = math.pow(f_mhz, THIRD)
    fm13 = math.pow(f_mhz, -THIRD)
    x1, f1 = _smooth_earth_terminal(d_hzn_0, h_e_0, f13, fm13, abs_zg)
    x2, f2 = _smooth_earth_terminal(d_hzn_1, h_e_1, f13, fm13, abs_zg)
    return _smooth_earth_path(d_m, f13, fm13, a_e_m, theta_los, d_hzn_0 + d_hzn_1, abs_zg, x1, x2, f1, f2)


@jit
def _diffraction_common(h_e_0, h_e_1, h_0, h_1, mode, delta_h_m, d_sml_m, f_mhz):
    """(term1 of ERL 79 Eq. 3.23, clutter factor A_fo of Eq. 3.38c)."""
    sh = sigma_h(terrain_roughness(d_sml_m, delta_h_m))
    a_fo = c_min(15.0, 5.0 * math.log10(1.0 + 1e-5 * h_0 * h_1 * f_mhz * sh))
    q = h_0 * h_1
    qk = h_e_0 * h_e_1 - q
    if mode == MODE_P2P:
        q += 10.0  # C ~= 10 for low antennas with known path parameters [ERL 79 p. 3-8]
    return math.sqrt(1.0 + qk / q), a_fo


@jit
def _diffraction_at(d_m, a_se, d_hzn_0, d_hzn_1, a_e_m, delta_h_m, term1, theta_los, a_fo, f_mhz):
    """Weighted knife-edge / smooth-earth loss with clutter at one distance [ERL 79 Eq. 3.23]."""
    a_k = knife_edge_diffraction(d_m, f_mhz, a_e_m, theta_los, d_hzn_0, d_hzn_1)
    dhd = terrain_roughness(d_m, delta_h_m)
    d_ml = d_hzn_0 + d_hzn_1
    q = (term1 + (-theta_los * a_e_m + d_ml) / d_m) * c_min(dhd * f_mhz / 47.7, 6283.2)
    w = 25.1 / (25.1 + math.sqrt(q))
    return w * a_se + (1.0 - w) * a_k + a_fo


@jit
def diffraction_loss(d_m, d_hzn_0, d_hzn_1, h_e_0, h_e_1, abs_zg, a_e_m, delta_h_m, h_0, h_1,
                     mode, theta_los, d_sml_m, f_mhz):
    """Weighted knife-edge / smooth-earth diffraction with clutter [ERL 79 Eq. 3.23, 3.38c] [dB]."""
    a_se = smooth_earth_diffraction(d_m, f_mhz, a_e_m, theta_los, d_hzn_0, d_hzn_1, h_e_0, h_e_1, abs_zg)
    term1, a_fo = _diffraction_common(h_e_0, h_e_1, h_0, h_1, mode, delta_h_m, d_sml_m, f_mhz)
    return _diffraction_at(d_m, a_se, d_hzn_0, d_hzn_1, a_e_m, delta_h_m, term1, theta_los, a_fo, f_mhz)


@jit
def diffraction_line(d_3, d_4, d_hzn_0, d_hzn_1, h_e_0, h_e_1, abs_zg, a_e_m, delta_h_m, h_0, h_1,
                     mode, theta_los, d_sml_m, f_mhz):
    """:func:`diffraction_loss` at two distances sharing the terminal terms: ``(A_3, A_4)`` [dB]
    (the same values as two separate calls)."""
    f13 = math.pow(f_mhz, THIRD)
    fm13 = math.pow(f_mhz, -THIRD)
    x1, f1 = _smooth_earth_terminal(d_hzn_0, h_e_0, f13, fm13, abs_zg)
    x2, f2 = _smooth_earth_terminal(d_hzn_1, h_e_1, f13, fm13, abs_zg)
    d_ml = d_hzn_0 + d_hzn_1
    term1, a_fo = _diffraction_common(h_e_0, h_e_1, h_0, h_1, mode, delta_h_m, d_sml_m, f_mhz)
    se3 = _smooth_earth_path(d_3, f13, fm13, a_e_m, theta_los, d_ml, abs_zg, x1, x2, f1, f2)
    se4 = _smooth_earth_path(d_4, f13, fm13, a_e_m, theta_los, d_ml, abs_zg, x1, x2, f1, f2)
    a_3 = _diffraction_at(d_3, se3, d_hzn_0, d_hzn_1, a_e_m, delta_h_m, term1, theta_los, a_fo, f_mhz)
    a_4 = _diffraction_at(d_4, se4, d_hzn_0, d_hzn_1, a_e_m, delta_h_m, term1, theta_los, a_fo, f_mhz)
    return a_3, a_4


@jit
def line_of_sight_loss(d_m, h_e_0, h_e_1, zg_re, zg_im, delta_h_m, m_d, a_d0, d_sml_m, f_mhz):
    """Two-ray line-of-sight loss blended with extended diffraction [Algorithm Eq. 4.46-4.50] [dB]."""
    sh = sigma_h(terrain_roughness(d_m, delta_h_m))
    wn = f_mhz / 47.7
    hh = h_e_0 + h_e_1
    sin_psi = hh / math.sqrt(d_m * d_m + hh * hh)
    # R_e = (sin_psi - Z_g) / (sin_psi + Z_g) * exp(-min(10, k sigma_h sin_psi))
    r_re, r_im = c_div(sin_psi - zg_re, -zg_im, sin_psi + zg_re, zg_im)
    e = math.exp(-c_min(10.0, wn * sh * sin_psi))
    r_re = r_re * e
    r_im = r_im * e
    q = r_re * r_re + r_im * r_im
    if q < 0.25 or q < sin_psi:
        s = math.sqrt(sin_psi / q)
        r_re = r_re * s
        r_im = r_im * s
    delta_phi = wn * 2.0 * h_e_0 * h_e_1 / d_m
    if delta_phi > PI / 2.0:
        delta_phi = PI - (PI / 2.0) * (PI / 2.0) / delta_phi
    rr_re = math.cos(delta_phi) + r_re
    rr_im = -math.sin(delta_phi) + r_im
    a_t = -10.0 * math.log10(rr_re * rr_re + rr_im * rr_im)
    a_d = m_d * d_m + a_d0
    w = 1.0 / (1.0 + f_mhz * delta_h_m / c_max(10e3, d_sml_m))
    return w * a_t + (1.0 - w) * a_d
