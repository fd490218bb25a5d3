"""Rec. ITU-R P.2001-4 fading: clear-air (Attachment B), rain/wet snow (Attachment C) and the
inverse cumulative distribution (Attachment I), with the rain regression coefficients of
Rec. ITU-R P.838-3.

Numba kernels, float64 scalars and small arrays. The rain/wet-snow model is described by
a small state vector ``rain`` (indices ``R_*``) plus the multiplier/probability arrays
``gm``, ``pm`` (at most 49 entries, Table C.2.1) filled by :func:`precipitation_initial`;
:func:`a_iter` inverts the combined clear-air + precipitation distribution for q % time.
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit
from .p838 import k_alpha_hv

# Table C.2.1: height offsets (m) relative to the mean rain height, and their probabilities
TABLE_C21_H = np.arange(-2400.0, 2401.0, 100.0)
TABLE_C21_P = np.array([
    0.000555, 0.000802, 0.001139, 0.001594, 0.002196, 0.002978, 0.003976, 0.005227, 0.006764,
    0.008617, 0.010808, 0.013346, 0.016225, 0.019419, 0.022881, 0.026542, 0.030312, 0.034081,
    0.037724, 0.041110, 0.044104, 0.046583, 0.048439, 0.049589, 0.049978, 0.049589, 0.048439,
    0.046583, 0.044104, 0.041110, 0.037724, 0.034081, 0.030312, 0.026542, 0.022881, 0.019419,
    0.016225, 0.013346, 0.010808, 0.008617, 0.006764, 0.005227, 0.003976, 0.002978, 0.002196,
    0.001594, 0.001139, 0.000802, 0.000555])

# rain state slots
R_FLAG = 0    # 1 rain path, 0 non-rain path
R_Q0RA = 1    # percentage of an average year in which rain occurs, Eq. (C.2.4) [%]
R_FWVR = 2    # water-vapour factor, Eq. (C.2.14)
R_A = 3       # a, b, c of Eq. (C.2.5)
R_B = 4
R_C = 5
R_DR = 6      # limited path length, Eq. (C.2.9) [km]
R_KMOD = 7    # Eq. (C.2.10)
R_AMOD = 8
R_MLEN = 9    # number of (G, P) pairs, Eq. (C.2.12)
N_RAIN = 10


@jit
def p838_coefficients(f_ghz, theta_rad, pol):
    """Rain specific-attenuation coefficients k, alpha, Rec. ITU-R P.838-3 Eqs. (2)-(5).

    ``theta_rad``: path elevation; ``pol`` 0 horizontal (tau = 0), 1 vertical (tau = 90 deg).
    kH, kV, alphaH, alphaV from :func:`spectrum.kernels.p838.k_alpha_hv`.
    """
    kh, kv, ah, av = k_alpha_hv(f_ghz)
    c2t = math.cos(math.pi) if pol == 1 else 1.0  # cos(2 tau)
    ct2 = math.cos(theta_rad) ** 2
    k = (kh + kv + (kh - kv) * ct2 * c2t) / 2.0
    alpha = (kh * ah + kv * av + (kh * ah - kv * av) * ct2 * c2t) / (2.0 * k)
    return k, alpha


# ----------------------------------------------------------------------------- Attachment B
@jit
def zero_fade_annual_time(dca, epsca, hca, f_ghz, kfac, phimn):
    """Notional zero-fade annual percentage time Q0ca, P.2001-4 §B.3, Eqs. (B.3.1)-(B.3.3). [%]"""
    qw = kfac * dca ** 3.1 * (1.0 + epsca) ** (-1.29) * f_ghz ** 0.8 * 10.0 ** (-0.00089 * hca)  # (B.3.1)
    c2 = abs(math.cos(math.radians(2.0 * phimn))) ** 0.7
    if abs(phimn) <= 45.0:
        cg = 10.5 - 5.6 * math.log10(1.1 + c2) - 2.7 * math.log10(dca) + 1.7 * math.log10(1.0 + epsca)  # (B.3.2a)
    else:
        cg = 10.5 - 5.6 * math.log10(1.1 - c2) - 2.7 * math.log10(dca) + 1.7 * math.log10(1.0 + epsca)  # (B.3.2b)
    cg = min(cg, 10.8)  # (B.3.2c)
    return qw * 10.0 ** (-0.1 * cg)  # (B.3.3)


@jit
def multipath_activity(f_ghz, dt, hts, hrs, dlt, dlr, hlt, hlr, hlo, theta_t, theta_r, sp, nd65m1, phimn, los):
    """Q0ca for the whole path, P.2001-4 §B.2, Eqs. (B.2.1)-(B.2.5). [%]"""
    kfac = 10.0 ** (-(4.6 + 0.0027 * nd65m1))  # (B.2.1)
    if los > 0.5:
        return zero_fade_annual_time(dt, sp, hlo, f_ghz, kfac, phimn)  # (B.2.2)
    q0cat = zero_fade_annual_time(dlt, abs(theta_t), min(hts, hlt), f_ghz, kfac, phimn)  # (B.2.3)
    q0car = zero_fade_annual_time(dlr, abs(theta_r), min(hrs, hlr), f_ghz, kfac, phimn)  # (B.2.4)
    return max(q0cat, q0car)  # (B.2.5)


@jit
def clear_air_surface(a_db, q0ca):
    """Percentage of non-rain time a fade A is exceeded on a surface path, §B.4, Eqs. (B.4.1)-(B.4.2). [%]"""
    if a_db >= 0.0:
        qt = 3.576 - 1.955 * math.log10(q0ca)  # (B.4.1b)
        qa = 2.0 + (1.0 + 0.3 * 10.0 ** (-0.05 * a_db)) * 10.0 ** (-0.016 * a_db) \
            * (qt + 4.3 * (10.0 ** (-0.05 * a_db) + a_db / 800.0))  # (B.4.1a)
        return 100.0 * (1.0 - math.exp(-(10.0 ** (-0.05 * qa * a_db)) * math.log(2.0)))  # (B.4.1)
    qs = -4.05 - 2.35 * math.log10(q0ca)  # (B.4.2b)
    qe = 8.0 + (1.0 + 0.3 * 10.0 ** (0.05 * a_db)) * 10.0 ** (0.035 * a_db) \
        * (qs + 12.0 * (10.0 ** (0.05 * a_db) - a_db / 800.0))  # (B.4.2a)
    return 100.0 * math.exp(-(10.0 ** (0.05 * qe * a_db)) * math.log(2.0))  # (B.4.2)


@jit
def clear_air_tropo(a_db):
    """Percentage of non-rain time a fade A is exceeded on a troposcatter path, §B.5, Eq. (B.5.1). [%]"""
    return 100.0 if a_db < 0.0 else 0.0


# ----------------------------------------------------------------------------- Attachment C
@jit
def melting_layer_multiplier(delh):
    """Attenuation multiplier at ``delh`` m relative to the rain height, §C.4, Eq. (C.4.1)."""
    if delh > 0.0:
        return 0.0
    if delh < -1200.0:
        return 1.0
    g = 4.0 * (1.0 - math.exp(delh / 70.0)) ** 2
    return g / (1.0 + (1.0 - math.exp(-(delh / 600.0) ** 2)) ** 2 * (g - 1.0))


@jit
def path_averaged_multiplier(hlo, hhi, ht):
    """Path-averaged multiplier G for a path between ``hlo`` and ``hhi`` (m), rain height ``ht``, §C.5."""
    slo = int(1.0 + math.floor((ht - hlo) / 100.0))  # (C.5.1)
    shi = int(1.0 + math.floor((ht - hhi) / 100.0))
    if slo < 1:  # wholly above the melting layer
        return 0.0
    if shi > 12:  # wholly at or below its lower edge
        return 1.0
    if slo == shi:  # (C.5.2)
        return melting_layer_multiplier(0.5 * (hlo + hhi) - ht)
    g = 0.0  # (C.5.3)
    for s in range(max(shi, 1), min(slo, 12) + 1):  # (C.5.4)
        if shi < s < slo:  # (C.5.5)
            delh = 100.0 * (0.5 - s)
            q = 100.0 / (hhi - hlo)
        elif s == slo:  # (C.5.6)
            delh = 0.5 * (hlo - ht - 100.0 * (s - 1))
            q = (ht - 100.0 * (s - 1) - hlo) / (hhi - hlo)
        else:  # s == shi, (C.5.7)
            delh = 0.5 * (hhi - ht - 100.0 * s)
            q = (hhi - (ht - 100.0 * s)) / (hhi - hlo)
        g += q * melting_layer_multiplier(delh)  # (C.5.8), (C.5.9)
    if slo > 12:  # (C.5.10), (C.5.11)
        g += (ht - 1200.0 - hlo) / (hhi - hlo)
    return g


@jit
def precipitation_initial(f_ghz, q, h_lo, h_hi, d_rain, pol, mt, beta, pr6, h0_km, rain, gm, pm):
    """Preliminary rain/wet-snow calculation, P.2001-4 §C.2, Eqs. (C.2.1)-(C.2.14).

    ``mt`` [mm], ``beta``, ``pr6`` [%], ``h0_km`` [km]: the P.837-5 / P.839 map values at the
    point the Recommendation names. Fills ``rain`` (``R_*``), ``gm`` and ``pm`` (length >= 49).
    """
    for i in range(N_RAIN):
        rain[i] = 0.0
    hr = 360.0 + 1000.0 * h0_km  # (C.2.1)
    hrtop = hr + 2400.0  # (C.2.2)
    if pr6 == 0.0 or h_lo >= hrtop:
        gm[0] = 0.0
        pm[0] = 0.0
        rain[R_MLEN] = 1.0
        return
    rain[R_FLAG] = 1.0
    mc = beta * mt  # (C.2.3)
    ms = (1.0 - beta) * mt
    q0ra = pr6 * (1.0 - math.exp(-0.0079 * ms / pr6))  # (C.2.4)
    a1 = 1.09  # (C.2.5)
    b1 = (mc + ms) / (21797.0 * q0ra)
    c1 = 26.02 * b1
    qtran = q0ra * math.exp(a1 * (2.0 * b1 - c1) / (c1 * c1))  # (C.2.6)
    # (C.2.7); a zero-length segment (common volume above a terminal) is taken as vertical
    eps = 0.001 * (h_hi - h_lo) / d_rain if d_rain > 0.0 else 0.5 * math.pi
    if f_ghz < 1.0:
        k1, alpha = p838_coefficients(1.0, eps, pol)
        k = f_ghz * k1  # (C.2.8a)
    else:
        k, alpha = p838_coefficients(f_ghz, eps, pol)
    dr = min(d_rain, 300.0)  # (C.2.9)
    drmin = max(dr, 1.0)
    kmod = 1.763 ** alpha * k * (0.6546 * math.exp(-0.009516 * drmin) + 0.3499 * math.exp(-0.001182 * drmin))
    amod = (0.753 + 0.197 / drmin) * alpha + 0.1572 * math.exp(-0.02268 * drmin) \
        - 0.1594 * math.exp(-0.0003617 * drmin)  # (C.2.10)
    for i in range(49):
        gm[i] = 0.0
        pm[i] = 0.0
    gm[0] = 1.0
    m = 0
    for nn in range(49):
        ht = hr + TABLE_C21_H[nn]  # (C.2.11)
        if h_lo >= ht:
            continue
        if h_hi > ht - 1200.0:
            gm[m] = path_averaged_multiplier(h_lo, h_hi, ht)
            pm[m] = TABLE_C21_P[nn]
            if nn < 48:
                m += 1
        else:
            pm[m] += TABLE_C21_P[nn]
            gm[m] = 1.0
    mlen = m + 1  # (C.2.12)
    gp = 0.0
    for i in range(mlen):
        gp += gm[i] * pm[i]
    rwvr = 6.0 * (math.log10(q0ra / q) / math.log10(q0ra / qtran)) - 3.0  # (C.2.13)
    rain[R_FWVR] = 0.5 * (1.0 + math.tanh(rwvr)) * gp  # (C.2.14)
    rain[R_Q0RA] = q0ra
    rain[R_A] = a1
    rain[R_B] = b1
    rain[R_C] = c1
    rain[R_DR] = dr
    rain[R_KMOD] = kmod
    rain[R_AMOD] = amod
    rain[R_MLEN] = mlen


@jit
def precipitation_exceedance(a_db, rain, gm, pm):
    """Percentage of rain time a precipitation fade A is exceeded, §C.3, Eq. (C.3.1). [%]"""
    if a_db < 0.0:
        return 100.0  # (C.3.1a)
    if rain[R_FLAG] < 0.5:
        return 0.0  # (C.3.1b)
    drlim = max(rain[R_DR], 0.001)  # (C.3.1e)
    a, b, c = rain[R_A], rain[R_B], rain[R_C]
    s = 0.0
    for i in range(int(rain[R_MLEN])):
        rm = (a_db / (gm[i] * drlim * rain[R_KMOD])) ** (1.0 / rain[R_AMOD])  # (C.3.1d)
        s += pm[i] * math.exp(-a * rm * (b * rm + 1.0) / (c * rm + 1.0))
    return 100.0 * s  # (C.3.1c)


@jit
def q_iter(a_db, q0ca, tropo, rain, gm, pm):
    """Percentage time the combined clear-air + precipitation fade A is exceeded, Eqs. (4.1.3), (4.3.5)."""
    qrain = precipitation_exceedance(a_db, rain, gm, pm)
    qcaf = clear_air_tropo(a_db) if tropo else clear_air_surface(a_db, q0ca)
    q0ra = rain[R_Q0RA]
    return qrain * (q0ra / 100.0) + qcaf * (1.0 - q0ra / 100.0)


@jit
def a_iter(q, q0ca, tropo, rain, gm, pm):
    """Fade exceeded for q % time, inverse of :func:`q_iter`, P.2001-4 Attachment I. [dB]"""
    ainit = 10.0
    ahigh = ainit / 2.0  # (I.2.1)
    alow = -ainit / 2.0  # (I.2.2)
    astep = ainit  # (I.2.3)
    qhigh = q_iter(ahigh, q0ca, tropo, rain, gm, pm)  # (I.2.4)
    qlow = q_iter(alow, q0ca, tropo, rain, gm, pm)
    # stage 1: widen the search range
    for _ in range(11):
        if q < qhigh:
            alow = ahigh
            qlow = qhigh
            astep = 2.0 * astep
            ahigh = ahigh + astep
            qhigh = q_iter(ahigh, q0ca, tropo, rain, gm, pm)
        elif q > qlow:
            ahigh = alow
            qhigh = qlow
            astep = 2.0 * astep
            alow = alow - astep
            qlow = q_iter(alow, q0ca, tropo, rain, gm, pm)
        else:
            break
    # stage 2: binary search
    atry = 0.5 * (alow + ahigh)  # (I.2.5)
    niter = math.ceil(3.32 * math.log10(astep / 0.01))
    for _ in range(int(niter) + 1):
        qtry = q_iter(atry, q0ca, tropo, rain, gm, pm)  # (I.2.6)
        if qtry < q:
            ahigh = atry
        else:
            alow = atry
        atry = 0.5 * (alow + ahigh)
    return atry
