"""Antenna pattern kernels: float64 angles in, gain in dBi out.

Reference radiation patterns of
- ITU-R F.699-8 (2018) peak patterns of fixed-link antennas (recommends 2.1, 2.2, 2.3),
- ITU-R F.1245-3 (2019) average patterns of fixed-link antennas (recommends 1.1, 1.2),
- ITU-R F.1336-5 (2019) sectoral antennas of point-to-multipoint / mobile base stations,
  peak side-lobe (§3.1.1) and average side-lobe (§3.1.2) patterns with the k factors,
  mechanical tilt (coordinate rotation) and electrical tilt (the elevation mapping of §3.1),
- tabulated horizontal / vertical patterns combined by summation of the relative attenuations,
- radiation pattern envelopes: relative (data sheets) and absolute in dBi (ETSI EN 302 217-4 V2.2.1
  classes, with the F.699-8 main lobe inside the first tabulated angle).

Kernels trust their input; validation lives in :mod:`spectrum.antennas`.
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit
from .fdr import _interp_db  # linear interpolation clamped to the end values

DEG = math.pi / 180.0


@jit
def _off_axis_deg(x):
    """Off-axis angle |x| folded into [0, 180]. [deg]"""
    phi = abs(x)
    if phi > 180.0:
        phi = 360.0 - (phi % 360.0) if phi % 360.0 > 180.0 else phi % 360.0
    return phi


@jit
def f699_gain(phi_deg, g_max, d_lambda, f_mhz):
    """Peak reference pattern, Rec. ITU-R F.699-8 recommends 2.1 - 2.3. [dBi]

    ``phi_deg`` off-axis angles [deg] (any shape, absolute value used), ``g_max`` [dBi],
    ``d_lambda`` antenna diameter over wavelength, ``f_mhz`` selects 2.3 below 1 GHz.
    """
    out = np.empty(phi_deg.size)
    flat = phi_deg.ravel()
    g1 = 2.0 + 15.0 * math.log10(d_lambda)
    dg = g_max - g1
    phi_m = 20.0 / d_lambda * math.sqrt(dg) if dg > 0.0 else 0.0
    low_band = f_mhz < 1000.0
    phi_r = 15.85 * d_lambda ** -0.6
    phi_t = 100.0 / d_lambda
    phi_s = 144.5 * d_lambda ** -0.2
    for i in range(flat.size):
        phi = _off_axis_deg(flat[i])
        if phi < phi_m:
            g = g_max - 2.5e-3 * (d_lambda * phi) ** 2
        elif low_band:  # recommends 2.3 (100 MHz - 1 GHz)
            if phi < phi_t:
                g = g1
            elif phi < phi_s:
                g = 52.0 - 10.0 * math.log10(d_lambda) - 25.0 * math.log10(phi)
            else:
                g = -2.0 - 5.0 * math.log10(d_lambda)
        elif d_lambda > 100.0:  # recommends 2.1
            if phi < phi_r:
                g = g1
            elif phi < 48.0:
                g = 32.0 - 25.0 * math.log10(phi)
            else:
                g = -10.0
        else:  # recommends 2.2
            if phi < phi_t:
                g = g1
            elif phi < 48.0:
                g = 52.0 - 10.0 * math.log10(d_lambda) - 25.0 * math.log10(phi)
            else:
                g = 10.0 - 10.0 * math.log10(d_lambda)
        out[i] = min(g, g_max)
    return out.reshape(phi_deg.shape)


@jit
def f1245_gain(phi_deg, g_max, d_lambda):
    """Average side-lobe reference pattern, Rec. ITU-R F.1245-3 recommends 1.1 / 1.2. [dBi]"""
    out = np.empty(phi_deg.size)
    flat = phi_deg.ravel()
    g1 = 2.0 + 15.0 * math.log10(d_lambda)
    dg = g_max - g1
    phi_m = 20.0 / d_lambda * math.sqrt(dg) if dg > 0.0 else 0.0
    phi_r = 12.02 * d_lambda ** -0.6
    lo = max(phi_m, phi_r)
    for i in range(flat.size):
        phi = _off_axis_deg(flat[i])
        if phi < phi_m:
            g = g_max - 2.5e-3 * (d_lambda * phi) ** 2
        elif d_lambda > 100.0:  # recommends 1.1
            if phi < lo:
                g = g1
            elif phi < 48.0:
                g = 29.0 - 25.0 * math.log10(phi)
            else:
                g = -13.0
        else:  # recommends 1.2
            if phi < 48.0:
                g = 39.0 - 5.0 * math.log10(d_lambda) - 25.0 * math.log10(phi)
            else:
                g = -3.0 - 5.0 * math.log10(d_lambda)
        out[i] = min(g, g_max)
    return out.reshape(phi_deg.shape)


@jit
def _g_hr(x_h, k_h, g180):
    """Relative horizontal gain, F.1336-5 §3.1.1. [dB]"""
    g = -12.0 * x_h * x_h
    if x_h > 0.5:
        lam = 3.0 * (1.0 - 0.5 ** (-k_h))
        g = -12.0 * x_h ** (2.0 - k_h) - lam
    return max(g, g180)


@jit
def _g_vr(x_v, k_v, k_pa, theta3, g180, average):
    """Relative vertical gain, F.1336-5 §3.1.1 (peak) / §3.1.2 (average). [dB]"""
    c = 10.0 * math.log10((180.0 / theta3) ** 1.5 * (4.0 ** -1.5 + k_v) / (1.0 + 8.0 * k_pa)) / \
        math.log10(22.5 / theta3)
    lam_kv = 12.0 - c * math.log10(4.0) - 10.0 * math.log10(4.0 ** -1.5 + k_v)
    if average:
        x_k = math.sqrt(1.33 - 0.33 * k_v)
        if x_v < x_k:
            return -12.0 * x_v * x_v
        if x_v < 4.0:
            return -15.0 + 10.0 * math.log10(x_v ** -1.5 + k_v)
        if x_v < 90.0 / theta3:
            return -lam_kv - 3.0 - c * math.log10(x_v)
        return g180
    x_k = math.sqrt(1.0 - 0.36 * k_v)
    if x_v < x_k:
        return -12.0 * x_v * x_v
    if x_v < 4.0:
        return -12.0 + 10.0 * math.log10(x_v ** -1.5 + k_v)
    if x_v < 90.0 / theta3:
        return -lam_kv - c * math.log10(x_v)
    return g180


@jit
def tilt_rotate(az_deg, el_deg, tilt_deg):
    """Direction (azimuth off boresight, elevation) in the frame of an antenna
    mechanically down-tilted by ``tilt_deg`` (the coordinate rotation used with F.1336-5 §3.1).

    Returns the signed azimuth and the elevation in the tilted frame [deg].
    """
    if tilt_deg == 0.0:
        return az_deg, el_deg
    a = az_deg * DEG
    e = el_deg * DEG
    b = tilt_deg * DEG
    fwd = math.cos(e) * math.cos(a) * math.cos(b) - math.sin(e) * math.sin(b)
    up = math.cos(e) * math.cos(a) * math.sin(b) + math.sin(e) * math.cos(b)
    side = math.cos(e) * math.sin(a)
    up = min(1.0, max(-1.0, up))
    return math.atan2(side, fwd) / DEG, math.asin(up) / DEG


@jit
def f1336_sectoral_gain(az_deg, el_deg, g0, phi3, theta3, k_pa, k_h, k_v, tilt_m, tilt_e, average):
    """Sectoral pattern, Rec. ITU-R F.1336-5 §3.1.1 (peak, ``average`` = 0) and §3.1.2
    (average side-lobe, ``average`` = 1): G = G0 + G_hr(x_h) + R G_vr(x_v). [dBi]

    ``az_deg`` azimuth off boresight, ``el_deg`` elevation above horizontal (arrays, same
    shape); ``tilt_m`` mechanical and ``tilt_e`` electrical down-tilt [deg].
    """
    out = np.empty(az_deg.size)
    az = az_deg.ravel()
    el = el_deg.ravel()
    if average:
        g180 = -15.0 + 10.0 * math.log10(1.0 + 8.0 * k_pa) - 15.0 * math.log10(180.0 / theta3)
    else:
        g180 = -12.0 + 10.0 * math.log10(1.0 + 8.0 * k_pa) - 15.0 * math.log10(180.0 / theta3)
    gh_back = _g_hr(180.0 / phi3, k_h, g180)
    gh_0 = _g_hr(0.0, k_h, g180)
    for i in range(az.size):
        a = ((az[i] + 180.0) % 360.0) - 180.0
        a, e = tilt_rotate(a, el[i], tilt_m)
        if tilt_e != 0.0:  # electrical tilt: elevation mapping of F.1336-5 §3.1
            t = e + tilt_e
            e = 90.0 * t / (90.0 + tilt_e) if t >= 0.0 else 90.0 * t / (90.0 - tilt_e)
        x_h = abs(a) / phi3
        x_v = abs(e) / theta3
        gh = _g_hr(x_h, k_h, g180)
        r = (gh - gh_back) / (gh_0 - gh_back) if gh_0 != gh_back else 1.0
        out[i] = g0 + gh + r * _g_vr(x_v, k_v, k_pa, theta3, g180, average)
    return out.reshape(az_deg.shape)


@jit
def _interp_periodic(x, xp, fp, period):
    """Linear interpolation of a periodic table (xp ascending, within one period)."""
    n = xp.size
    if n == 1:
        return fp[0]
    lo = xp[0]
    xx = (x - lo) % period + lo
    if xx <= xp[n - 1]:
        j = np.searchsorted(xp, xx, side="right") - 1
        if j >= n - 1:
            return fp[n - 1]
        t = (xx - xp[j]) / (xp[j + 1] - xp[j])
        return fp[j] + t * (fp[j + 1] - fp[j])
    # wrap segment between the last and the first point
    span = xp[0] + period - xp[n - 1]
    t = (xx - xp[n - 1]) / span
    return fp[n - 1] + t * (fp[0] - fp[n - 1])


@jit
def table_gain(az_deg, el_deg, g_max, h_az, h_rel, v_el, v_rel, floor_rel, tilt_m):
    """Tabulated pattern: G = Gmax + H(az) + V(el), H and V relative to their maxima (<= 0 dB),
    linearly interpolated (azimuth periodic over 360 deg), the sum limited below by
    ``floor_rel`` (the front-to-back ratio, negative) -- the summation H+V method. [dBi]

    Empty ``v_el`` means no vertical pattern (0 dB at every elevation).
    """
    out = np.empty(az_deg.size)
    az = az_deg.ravel()
    el = el_deg.ravel()
    for i in range(az.size):
        a, e = tilt_rotate(((az[i] + 180.0) % 360.0) - 180.0, el[i], tilt_m)
        rel = _interp_periodic(a, h_az, h_rel, 360.0)
        if v_el.size > 0:
            rel += _interp_db(e, v_el, v_rel)
        out[i] = g_max + max(rel, floor_rel)
    return out.reshape(az_deg.shape)


@jit
def off_axis_angle(az_deg, el_deg, tilt_deg):
    """Angle between the boresight (azimuth 0, elevation -tilt) and each direction. [deg]"""
    out = np.empty(az_deg.size)
    az = az_deg.ravel()
    el = el_deg.ravel()
    b = -tilt_deg * DEG
    for i in range(az.size):
        e = el[i] * DEG
        c = math.cos(e) * math.cos(b) * math.cos(az[i] * DEG) + math.sin(e) * math.sin(b)
        c = min(1.0, max(-1.0, c))
        out[i] = math.acos(c) / DEG
    return out.reshape(az_deg.shape)


@jit
def rpe_gain(phi_deg, g_max, env_deg, env_db):
    """Radiation pattern envelope (RPE), the form of ETSI EN 302 217-4 and manufacturers' data sheets:
    G = Gmax - E(phi), E the envelope attenuation (>= 0 dB, ascending off-axis angles 0-180 deg)
    linearly interpolated, its end values held outside the table. [dBi]"""
    out = np.empty(phi_deg.size)
    flat = phi_deg.ravel()
    for i in range(flat.size):
        out[i] = g_max - _interp_db(_off_axis_deg(flat[i]), env_deg, env_db)
    return out.reshape(phi_deg.shape)


@jit
def _envelope_dbi(phi, env_deg, env_dbi):
    """Piecewise-linear envelope (angles non-decreasing; a repeated angle is a vertical step) at
    ``phi``: the largest value of the segments containing it (the upper value at a step), the end
    value held beyond the table. [dBi]"""
    n = env_deg.size
    if phi >= env_deg[n - 1]:
        best = env_dbi[n - 1]
        for j in range(n - 1, -1, -1):  # a step at the last angle: its upper value
            if env_deg[j] != env_deg[n - 1]:
                break
            best = max(best, env_dbi[j])
        return best
    best = -np.inf
    for j in range(n - 1):
        a, b = env_deg[j], env_deg[j + 1]
        if a <= phi <= b:
            if b > a:
                v = env_dbi[j] + (phi - a) / (b - a) * (env_dbi[j + 1] - env_dbi[j])
            else:
                v = max(env_dbi[j], env_dbi[j + 1])
            best = max(best, v)
    return best


@jit
def rpe_class_gain(phi_deg, g_max, d_lambda, env_deg, env_dbi, main_lobe):
    """Gain under an absolute radiation pattern envelope (ETSI EN 302 217-4 classes, in dBi from the
    first tabulated angle phi0 to 180 deg): G = min(Gmax, E(phi)) for phi >= phi0; inside phi0 (no
    envelope in the EN) the F.699-8 main lobe Gmax - 2.5e-3 (D/lambda phi)^2 not below
    min(Gmax, E(phi0)) when ``main_lobe``, else min(Gmax, E(phi0)) held (cross-polar). [dBi]"""
    out = np.empty(phi_deg.size)
    flat = phi_deg.ravel()
    phi0 = env_deg[0]
    e0 = min(g_max, _envelope_dbi(phi0, env_deg, env_dbi))
    for i in range(flat.size):
        phi = _off_axis_deg(flat[i])
        if phi < phi0:
            if main_lobe:
                x = d_lambda * phi
                out[i] = min(g_max, max(g_max - 2.5e-3 * x * x, e0))
            else:
                out[i] = e0
        else:
            out[i] = min(g_max, _envelope_dbi(phi, env_deg, env_dbi))
    return out.reshape(phi_deg.shape)
