"""Numba kernels for Rec. ITU-R P.530-18 (terrestrial line-of-sight links), Annex 1.

Scalar ``@jit`` functions of the Recommendation's symbols (section and step numbers in each
docstring) and one parallel batch kernel that takes a link's fade margin to its outage
percentages. Inputs are trusted (validated in :mod:`spectrum.propagation.p530`).

Units: d [km], f [GHz], heights [m amsl], A / E / margins [dB], percentages [%].
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit, prange, twins


# ------------------------------------------------------------------ §2.2 clearance, diffraction
@jit
def fresnel_radius(d1, d2, f):
    """First Fresnel ellipsoid radius F1 = 17.3 sqrt(d1 d2 / (f d)), §2.2.1 Eq. (3). [m]"""
    d = d1 + d2
    if d <= 0.0 or d1 <= 0.0 or d2 <= 0.0:
        return 0.0
    return 17.3 * math.sqrt(d1 * d2 / (f * d))


@jit
def earth_bulge(d1, d2, k):
    """Height of the effective Earth's bulge d1 d2 / (2 k a) at a point (a = 6371 km). [m]"""
    return d1 * d2 * 1000.0 / (2.0 * k * 6371.0)


@jit
def diffraction_loss_avg(h, f1):
    """Diffraction loss over average terrain Ad = -20 h / F1 + 10, §2.2.1 Eq. (2). [dB]"""
    return -20.0 * h / f1 + 10.0


@jit
def worst_clearance(d_km, h_m, n, h1_amsl, h2_amsl, f, k):
    """(h, F1, d1) at the point of the profile with the smallest clearance ratio h / F1.

    ``h`` is the height of the ray (straight line between the antennas) above the terrain
    raised by the effective-Earth bulge for the k-factor ``k`` (negative when the terrain
    blocks the ray), §2.2.1. End points are excluded.
    """
    d = d_km[n - 1]
    best = 1e300
    hb = 0.0
    fb = 0.0
    db = 0.5 * d
    for i in range(1, n - 1):
        d1 = d_km[i]
        d2 = d - d1
        if d1 <= 0.0 or d2 <= 0.0:
            continue
        ray = h1_amsl + (h2_amsl - h1_amsl) * d1 / d
        h = ray - (h_m[i] + earth_bulge(d1, d2, k))
        f1 = fresnel_radius(d1, d2, f)
        r = h / f1
        if r < best:
            best = r
            hb = h
            fb = f1
            db = d1
    if fb == 0.0:  # no interior point: clearance of the mid-path over a flat Earth
        fb = fresnel_radius(0.5 * d, 0.5 * d, f)
        hb = 0.5 * (h1_amsl + h2_amsl) - 0.5 * (h_m[0] + h_m[n - 1]) - earth_bulge(0.5 * d, 0.5 * d, k)
    return hb, fb, db


# ------------------------------------------------------------------ §2.3 multipath
@jit
def pw_deep(a, k_geo, dn75, d, f, he, hr, ht):
    """Percentage of time pw that a (deep) fade A is exceeded in the average worst month,
    §2.3.1 Steps 1-3 (K and dN75 from the P.530 maps, given here). [%]"""
    ep = abs(hr - he) / d
    hc = 0.5 * (hr + he) - d * d / 102.0 - ht
    hl = min(he, hr)
    vsr_lim = dn75 * d ** 1.5 * math.sqrt(f) / 24730.0
    vsr = min((dn75 / 50.0) ** 1.8 * math.exp(-hc / (2.5 * math.sqrt(d))), vsr_lim)
    x = -0.376 * math.tanh((hc - 147.0) / 125.0) - 0.334 * ep ** 0.39 - 0.00027 * hl + 17.85 * vsr - a / 10.0
    return k_geo * d ** 3.51 * (f * f + 13.0) ** 0.447 * 10.0 ** x


@jit
def transition_depth(p0):
    """Fade depth At = 25 + 1.2 log10(p0) between deep and shallow fading, §2.3.2 Step 2. [dB]"""
    return 25.0 + 1.2 * math.log10(p0)


@jit
def _shallow(a, at, pt):
    """§2.3.2 Step 3b: interpolation for A < At through (At, pt) down to 0 dB. [%]"""
    qa1 = -20.0 * math.log10(-math.log((100.0 - pt) / 100.0)) / at
    qt = (qa1 - 2.0) / ((1.0 + 0.3 * 10.0 ** (-at / 20.0)) * 10.0 ** (-0.016 * at)) \
        - 4.3 * (10.0 ** (-at / 20.0) + at / 800.0)
    qa = 2.0 + (1.0 + 0.3 * 10.0 ** (-a / 20.0)) * 10.0 ** (-0.016 * a) \
        * (qt + 4.3 * (10.0 ** (-a / 20.0) + a / 800.0))
    return 100.0 * (1.0 - math.exp(-10.0 ** (-qa * a / 20.0)))


@jit
def fade_any(a, p0, dg):
    """Percentage of time a fade depth A (any depth) is exceeded, §2.3.2 (average worst month,
    ``dg`` = 0) or §2.3.4 Steps 3-4 (average year, ``dg`` = Delta G > 0). [%]"""
    at = transition_depth(p0)
    c = 10.0 ** (-dg / 10.0)
    pt = c * p0 * 10.0 ** (-at / 10.0)
    if at <= 0.0 or a >= at or pt >= 100.0:
        # pt >= 100 %: p0 far beyond the range of Fig. 3 (Eq. (15) undefined): deep tail, capped
        return min(c * p0 * 10.0 ** (-a / 10.0), 100.0)
    return _shallow(a, at, pt)


@jit
def delta_g(d, he, hr, lat):
    """Logarithmic geoclimatic conversion factor Delta G (<= 10.8 dB), §2.3.4 Step 2. [dB]"""
    xi = abs(lat)
    c = abs(math.cos(math.radians(2.0 * xi))) ** 0.7
    s = c if xi <= 45.0 else -c
    ep = abs(hr - he) / d
    dg = 10.5 - 5.6 * math.log10(1.1 + s) - 2.7 * math.log10(d) + 1.7 * math.log10(1.0 + ep)
    return min(dg, 10.8)


@jit
def fade_depth_for(p, p0, dg):
    """Fade depth exceeded for p % of time: the inverse of :func:`fade_any` (bisection on the
    shallow part, closed form on the deep tail). [dB]"""
    if p >= 100.0:
        return 0.0
    at = transition_depth(p0)
    c = 10.0 ** (-dg / 10.0)
    pt = c * p0 * 10.0 ** (-at / 10.0) if at > 0.0 else 1e300
    if at <= 0.0 or p <= pt or pt >= 100.0:
        return max(10.0 * math.log10(c * p0 / p), 0.0)
    lo, hi = 0.0, at
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if fade_any(mid, p0, dg) > p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12:
            break
    return 0.5 * (lo + hi)


@jit
def enhancement_not_exceeded(e, p0, a001):
    """Percentage of time an enhancement E is not exceeded, §2.3.3 Eq. (19) for E > 10 dB and
    Steps 1-5 below; ``a001`` the fade depth exceeded for 0.01 % of the same period. [%]"""
    if e > 10.0:
        return 100.0 - 10.0 ** ((-1.7 + 0.2 * a001 - e) / 3.5)
    ep = 10.0
    pwp = 100.0 - 10.0 ** ((-1.7 + 0.2 * a001 - ep) / 3.5)
    qep = -(20.0 / ep) * math.log10(-math.log(1.0 - (100.0 - pwp) / 58.21))
    qs = 2.05 * qep - 20.3
    qe = 8.0 + (1.0 + 0.3 * 10.0 ** (-e / 20.0)) * 10.0 ** (-0.7 * e / 20.0) \
        * (qs + 12.0 * (10.0 ** (-e / 20.0) + e / 800.0))
    return 100.0 - 58.21 * (1.0 - math.exp(-10.0 ** (-qe * e / 20.0)))


# ------------------------------------------------------------------ §2.4 rain
@jit
def rain_r_factor(d, r001, alpha, f):
    """Distance factor r, §2.4.1 Step 3 (at most 2.5). [-]"""
    den = 0.477 * d ** 0.633 * r001 ** (0.073 * alpha) * f ** 0.123 - 10.579 * (1.0 - math.exp(-0.024 * d))
    if den <= 0.4:
        return 2.5
    return min(1.0 / den, 2.5)


@jit
def rain_c123(f):
    """(C1, C2, C3) of §2.4.1 Step 5."""
    c0 = 0.12 + 0.4 * math.log10((f / 10.0) ** 0.8) if f >= 10.0 else 0.12
    c1 = 0.07 ** c0 * 0.12 ** (1.0 - c0)
    c2 = 0.855 * c0 + 0.546 * (1.0 - c0)
    c3 = 0.139 * c0 + 0.043 * (1.0 - c0)
    return c1, c2, c3


@jit
def rain_ap(a001, f, p):
    """Rain attenuation exceeded for p % (0.001-1 %) of an average year, §2.4.1 Step 5. [dB]"""
    c1, c2, c3 = rain_c123(f)
    return a001 * c1 * p ** (-(c2 + c3 * math.log10(p)))


@jit
def rain_p_for(a, a001, f):
    """Percentage of time a rain attenuation A is exceeded: §2.4.1 Step 5 solved for p
    (a quadratic in log10 p). Not clipped to the 0.001-1 % range of the method. [%]"""
    if a001 <= 0.0:
        return 0.0
    if a <= 0.0:
        return 100.0
    c1, c2, c3 = rain_c123(f)
    el = math.log10(a / (a001 * c1))
    disc = c2 * c2 - 4.0 * c3 * el
    if disc < 0.0:  # beyond the maximum of the power law: never exceeded
        return 0.0
    x = (-c2 + math.sqrt(disc)) / (2.0 * c3)
    return min(10.0 ** x, 100.0)


@jit
def rain_freq_scale(a1, f1, f2):
    """Rain attenuation at f2 from the attenuation at f1 (same hop), §2.4.3 Eqs. [dB]"""
    phi1 = f1 * f1 / (1.0 + 1e-4 * f1 * f1)
    phi2 = f2 * f2 / (1.0 + 1e-4 * f2 * f2)
    h = 1.12e-3 * (phi2 / phi1) ** 0.5 * (phi1 * a1) ** 0.55
    return a1 * (phi2 / phi1) ** (1.0 - h)


# ------------------------------------------------------------------ §4 XPD
@jit
def xpd_clear_air(p0, xpd_g, c0_i, xpif, k_xp):
    """Probability of outage P_XP due to clear-air cross-polarisation, §4.1 Steps 1-5.
    ``p0`` the multipath occurrence factor pw(A = 0) [%]; returns P_XP as a fraction. [-]"""
    xpd0 = xpd_g + 5.0 if xpd_g <= 35.0 else 40.0
    p0f = p0 / 100.0
    eta = 1.0 - math.exp(-0.2 * p0f ** 0.75)
    q = -10.0 * math.log10(k_xp * eta / p0f)
    c = xpd0 + q
    m = c - c0_i + xpif
    return p0f * 10.0 ** (-m / 10.0)


@jit
def xpd_precipitation(a001, f, c0_i, xpif, u0):
    """Probability of outage P_XPR due to precipitation cross-polarisation, §4.2 Steps 1-4,
    as a fraction (the percentage of time is 100 P_XPR). [-]"""
    u = u0 + 30.0 * math.log10(f)
    v = 12.8 * f ** 0.19 if f <= 20.0 else 22.6
    ap = 10.0 ** ((u - c0_i + xpif) / v)
    m = min(23.26 * math.log10(ap / (0.12 * a001)), 40.0)
    n = (-12.7 + math.sqrt(161.23 - 4.0 * m)) / 2.0
    return 10.0 ** (n - 2.0)


# ------------------------------------------------------------------ batch: fade margin -> outage
def _outage_body(fm, a001, f, p0, dg, i_div, out_mp_month, out_mp_year, out_rain):
    for i in prange(fm.size):
        m = fm[i]
        if p0[i] > 0.0:
            out_mp_month[i] = fade_any(m, p0[i], 0.0) / i_div[i]
            out_mp_year[i] = fade_any(m, p0[i], dg[i]) / i_div[i]
        else:
            out_mp_month[i] = 0.0
            out_mp_year[i] = 0.0
        out_rain[i] = rain_p_for(m, a001[i], f[i])


outage_batch, outage_serial = twins(
    _outage_body, "outage_batch",
    "Per link: multipath outage (worst month, average year; divided by the diversity improvement) "
    "and rain outage (average year) for the flat fade margin ``fm`` [%], §2.3.2, §2.3.4, §2.4.1.")


@jit
def pw_deep_array(a, k_geo, dn75, d, f, he, hr, ht, out):
    """Element-wise :func:`pw_deep`."""
    for i in range(a.size):
        out[i] = pw_deep(a[i], k_geo[i], dn75[i], d[i], f[i], he[i], hr[i], ht[i])


@jit
def fade_any_array(a, p0, dg, out):
    """Element-wise :func:`fade_any`."""
    for i in range(a.size):
        out[i] = fade_any(a[i], p0[i], dg[i])


@jit
def fade_depth_for_array(p, p0, dg, out):
    """Element-wise :func:`fade_depth_for`."""
    for i in range(p.size):
        out[i] = fade_depth_for(p[i], p0[i], dg[i])


@jit
def delta_g_array(d, he, hr, lat, out):
    """Element-wise :func:`delta_g`."""
    for i in range(d.size):
        out[i] = delta_g(d[i], he[i], hr[i], lat[i])


@jit
def enhancement_array(e, p0, a001, out):
    """Element-wise :func:`enhancement_not_exceeded`."""
    for i in range(e.size):
        out[i] = enhancement_not_exceeded(e[i], p0[i], a001[i])


@jit
def rain_ap_array(a001, f, p, out):
    """Element-wise :func:`rain_ap`."""
    for i in range(a001.size):
        out[i] = rain_ap(a001[i], f[i], p[i])


@jit
def rain_p_for_array(a, a001, f, out):
    """Element-wise :func:`rain_p_for`."""
    for i in range(a.size):
        out[i] = rain_p_for(a[i], a001[i], f[i])


@jit
def rain_a001_array(gamma, d, r001, alpha, f, out):
    """Element-wise A0.01 = gamma_R d r, §2.4.1 Step 4. [dB]"""
    for i in range(gamma.size):
        out[i] = gamma[i] * d[i] * rain_r_factor(d[i], r001[i], alpha[i], f[i])


@jit
def rain_freq_scale_array(a1, f1, f2, out):
    """Element-wise :func:`rain_freq_scale`."""
    for i in range(a1.size):
        out[i] = rain_freq_scale(a1[i], f1[i], f2[i])


@jit
def xpd_clear_air_array(p0, xpd_g, c0_i, xpif, k_xp, out):
    """Element-wise :func:`xpd_clear_air`."""
    for i in range(p0.size):
        out[i] = xpd_clear_air(p0[i], xpd_g[i], c0_i[i], xpif[i], k_xp[i])


@jit
def xpd_precipitation_array(a001, f, c0_i, xpif, u0, out):
    """Element-wise :func:`xpd_precipitation`."""
    for i in range(a001.size):
        out[i] = xpd_precipitation(a001[i], f[i], c0_i[i], xpif[i], u0[i])


@jit
def worst_clearance_batch(d_km, h_m, n, h1_amsl, h2_amsl, f, k, out_h, out_f1, out_d1):
    """:func:`worst_clearance` for padded profiles (n_paths, n_max) with lengths ``n``."""
    for i in range(n.size):
        h, f1, d1 = worst_clearance(d_km[i], h_m[i], n[i], h1_amsl[i], h2_amsl[i], f[i], k[i])
        out_h[i] = h
        out_f1[i] = f1
        out_d1[i] = d1
