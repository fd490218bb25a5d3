"""Numba kernels for Rec. ITU-R P.1812-6, point-to-area prediction for terrestrial services
(30 MHz to 6 GHz), with location variability.

The per-path core :func:`p1812_path` is an ``@jit`` function usable from other kernels
(coverage maps, sweeps): it takes one profile (first ``n`` points of ``d``, ``h``, ``r``,
``zone``) and writes every intermediate quantity into ``out`` at the indices listed in
:data:`FIELDS`. :func:`p1812_batch` runs it in parallel (``prange``) over padded 2-D
profiles. The delta-Bullington diffraction model is the shared
:func:`spectrum.kernels.p526.delta_bullington_inv` (P.1812-6 §4.3 is the method of
P.526-16 §4.5).

Inputs are trusted: validation is done in :mod:`spectrum.propagation.p1812`.
Equation numbers refer to Rec. ITU-R P.1812-6 (08/2021).
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit, prange, twins as _twins
from .p452 import api_profile_ok, ducting_heights
from .p526 import bullington, delta_bullington_inv, inverse_distances, knife_edge_loss, \
    smooth_earth_heights_diffraction, spherical_earth_diffraction

#: Mean Earth radius used by P.1812 [km]
RE_KM = 6371.0
#: Effective Earth-radius factor exceeded for beta0 % of time, Eq. (7b)
K_BETA = 3.0

#: Names of the entries of ``out`` written by :func:`p1812_path`, in order.
FIELDS = (
    "lb", "ep", "lbfs", "lb0p", "lb0b", "lbulla", "lbulls", "ldsph", "ld50", "ldb", "ldp",
    "lbd50", "lbd", "lminb0p", "lba", "lminbap", "lbda", "lbam", "lbs", "lbc", "lloc",
    "fi", "fj", "fk", "d_km", "dlt", "dlr", "theta_t", "theta_r", "theta", "hts", "hrs",
    "hst_n", "hsr_n", "hst", "hsr", "hstd", "hsrd", "hte", "hre", "hm", "dtm", "dlm",
    "phi_path", "b0", "ae", "omega", "dct", "dcr", "path_type", "sigma_l",
)
NOUT = len(FIELDS)
_IX = {name: i for i, name in enumerate(FIELDS)}
(I_LB, I_EP, I_LBFS, I_LB0P, I_LB0B, I_LBULLA, I_LBULLS, I_LDSPH, I_LD50, I_LDB, I_LDP,
 I_LBD50, I_LBD, I_LMINB0P, I_LBA, I_LMINBAP, I_LBDA, I_LBAM, I_LBS, I_LBC, I_LLOC,
 I_FI, I_FJ, I_FK, I_D, I_DLT, I_DLR, I_THETA_T, I_THETA_R, I_THETA, I_HTS, I_HRS,
 I_HST_N, I_HSR_N, I_HST, I_HSR, I_HSTD, I_HSRD, I_HTE, I_HRE, I_HM, I_DTM, I_DLM,
 I_PHI, I_B0, I_AE, I_OMEGA, I_DCT, I_DCR, I_PATH_TYPE, I_SIGMA_L) = range(NOUT)


@jit
def inv_cum_norm(x):
    """I(x), approximation to the inverse complementary cumulative normal distribution,
    P.1812-6 Attachment 2 to Annex 1, Eqs. (94)-(95); x clipped to [1e-6, 1 - 1e-6]."""
    if x < 1e-6:
        x = 1e-6
    if x > 0.999999:
        x = 0.999999
    if x <= 0.5:
        t = math.sqrt(-2.0 * math.log(x))
        sign = 1.0
    else:
        t = math.sqrt(-2.0 * math.log(1.0 - x))
        sign = -1.0
    c = ((0.010328 * t + 0.802853) * t + 2.515516698) / (((0.001308 * t + 0.189269) * t + 1.432788) * t + 1.0)
    return sign * (t - c)


@jit
def path_centre_latitude(lat_t, lon_t, lat_r, lon_r, dpnt_km):
    """Latitude [deg] of the point ``dpnt_km`` from Tx along the great circle to Rx,
    Rec. ITU-R P.2001-4 Attachment H (H.2-H.3) on a sphere of radius 6371 km."""
    rad = math.pi / 180.0
    dlon = (lon_r - lon_t) * rad
    pt = lat_t * rad
    pr = lat_r * rad
    r = math.sin(pt) * math.sin(pr) + math.cos(pt) * math.cos(pr) * math.cos(dlon)   # (H.2.2)
    x1 = math.sin(pr) - r * math.sin(pt)                                             # (H.2.5a)
    y1 = math.cos(pt) * math.cos(pr) * math.sin(dlon)                                # (H.2.5b)
    if abs(x1) < 1e-9 and abs(y1) < 1e-9:
        bt2r = lon_r * rad  # degenerate (coincident terminals), as the reference implementation
    else:
        bt2r = math.atan2(y1, x1)                                                    # (H.2.6)
    phi_pnt = dpnt_km / RE_KM                                                        # (H.3.1)
    s = math.sin(pt) * math.cos(phi_pnt) + math.cos(pt) * math.sin(phi_pnt) * math.cos(bt2r)   # (H.3.2)
    s = min(1.0, max(-1.0, s))
    return math.asin(s) / rad                                                        # (H.3.3)


@jit
def _longest_section(d, zone, n, code_a, code_b):
    # Longest continuous section whose zone is code_a or code_b [km]; each section extends
    # half a sample spacing beyond its end points (P.1812-6 §3.6, as the reference implementation).
    best = 0.0
    i = 0
    while i < n:
        if zone[i] == code_a or zone[i] == code_b:
            j = i
            while j + 1 < n and (zone[j + 1] == code_a or zone[j + 1] == code_b):
                j += 1
            length = d[j] - d[i]
            if j < n - 1:
                length += 0.5 * (d[j + 1] - d[j])
            if i > 0:
                length += 0.5 * (d[i] - d[i - 1])
            if length > best:
                best = length
            i = j + 1
        else:
            i += 1
    return best


@jit
def _sea_fraction(d, zone, n):
    # omega, fraction of the path over sea (zone code 1), Table 5 of P.1812-6
    total = 0.0
    i = 0
    while i < n:
        if zone[i] == 1.0:
            j = i
            while j + 1 < n and zone[j + 1] == 1.0:
                j += 1
            length = d[j] - d[i]
            if j < n - 1:
                length += 0.5 * (d[j + 1] - d[j])
            if i > 0:
                length += 0.5 * (d[i] - d[i - 1])
            total += length
            i = j + 1
        else:
            i += 1
    return total / (d[n - 1] - d[0])


@jit
def beta0(phi, dtm, dlm):
    """beta0 [%], time percentage for which refractivity lapse rates exceeding 100 N/km
    are expected in the first 100 m, P.1812-6 Eqs. (2)-(5)."""
    tau = 1.0 - math.exp(-(4.12e-4 * dlm ** 2.41))                                   # (3)
    mu1 = (10.0 ** (-dtm / (16.0 - 6.6 * tau)) + 10.0 ** (-5.0 * (0.496 + 0.354 * tau))) ** 0.2   # (2)
    if mu1 > 1.0:
        mu1 = 1.0
    a = abs(phi)
    if a <= 70.0:
        mu4 = mu1 ** (-0.935 + 0.0176 * a)                                          # (4)
        return 10.0 ** (-0.015 * a + 1.67) * mu1 * mu4                              # (5)
    mu4 = mu1 ** 0.3
    return 4.17 * mu1 * mu4


@jit
def location_std(f_ghz, h_m, r_m, wa_m):
    """sigma_L [dB], standard deviation of location variability, P.1812-6 §4.8 Eqs. (65)-(66):
    (0.024 f + 0.52) wa^0.28, scaled by u_h = 1 below the clutter, 0 at 10 m or more above it."""
    s = (0.52 + 0.024 * f_ghz) * wa_m ** 0.28
    if h_m < r_m:
        uh = 1.0
    elif h_m >= r_m + 10.0:
        uh = 0.0
    else:
        uh = 1.0 - (h_m - r_m) / 10.0
    return s * uh


@jit
def _geometry(d, h, n, htg, hrg, ae, f, inv_d, inv_r, out):
    # Path profile analysis, P.1812-6 Attachment 1 §4-5 (terrain heights h, not g):
    # horizon angles/distances, angular distance, smooth-Earth and effective heights, hm.
    # atan and sqrt are monotonic, so the maxima are found on their arguments and the
    # functions evaluated once.
    dtot = d[n - 1] - d[0]
    hts = h[0] + htg
    hrs = h[n - 1] + hrg
    sm = np.empty(4)
    smooth_earth_heights_diffraction(d, h, n, hts, hrs, sm)     # Eqs. (85)-(89)
    hst_n = sm[0]
    hsr_n = sm[1]
    c2 = 1.0 / (2.0 * ae)
    # Tx horizon, Eqs. (76)-(78): the first point of the highest elevation angle
    xmax = -1e300
    lt = 1
    for i in range(1, n - 1):
        x = (h[i] - hts) * 0.001 * inv_d[i] - d[i] * c2
        if x > xmax:
            xmax = x
            lt = i
    x_td = (hrs - hts) / (1000.0 * dtot) - dtot * c2
    x_rd = (hts - hrs) / (1000.0 * dtot) - dtot * c2
    if xmax > x_td:  # trans-horizon (Eq. 150 of Attachment 1)
        path_type = 2.0
        theta_t = 1000.0 * math.atan(xmax)
        dlt = d[lt]
        xr = -1e300
        lr = n - 2
        for i in range(1, n - 1):
            x = (h[i] - hrs) * 0.001 * inv_r[i] - (dtot - d[i]) * c2                      # (79)
            if x >= xr:   # the last point where the maximum occurs
                xr = x
                lr = i
        theta_r = 1000.0 * math.atan(xr)
        dlr = dtot - d[lr]
    else:  # line of sight: Bullington point of the 50 % diffraction profile (Eqs. 78, 81a)
        path_type = 1.0
        theta_t = 1000.0 * math.atan(max(xmax, x_td))
        theta_r = 1000.0 * math.atan(x_rd)
        ce500 = 500.0 / ae
        qmax = -1e300
        for i in range(1, n - 1):
            dd = dtot - d[i]
            hh = h[i] + ce500 * d[i] * dd - (hts * dd + hrs * d[i]) / dtot
            q = (hh * abs(hh)) * inv_d[i] * inv_r[i]   # sign(nu) nu^2 up to a constant factor
            if q >= qmax:
                qmax = q
                lt = i
        dlt = d[lt]
        dlr = dtot - dlt
        lr = lt
    theta = 1e3 * dtot / ae + theta_t + theta_r                                     # (82)
    # ducting / layer-reflection heights, Eqs. (90)-(93) (= P.452-18 Eqs. (168)-(171))
    hst, hsr, hte, hre, hm = ducting_heights(d, h, n, dtot, htg, hrg, hst_n, hsr_n, lt, lr)
    out[I_D] = dtot
    out[I_HTS] = hts
    out[I_HRS] = hrs
    out[I_HST_N] = hst_n
    out[I_HSR_N] = hsr_n
    out[I_HSTD] = sm[2]
    out[I_HSRD] = sm[3]
    out[I_THETA_T] = theta_t
    out[I_THETA_R] = theta_r
    out[I_THETA] = theta
    out[I_DLT] = dlt
    out[I_DLR] = dlr
    out[I_HST] = hst
    out[I_HSR] = hsr
    out[I_HTE] = hte
    out[I_HRE] = hre
    out[I_HM] = hm
    out[I_PATH_TYPE] = path_type


@jit
def anomalous_loss(dtot, dlt, dlr, dct, dcr, dlm, hts, hrs, hte, hre, hm, theta_t, theta_r,
                   f, p, omega, ae, b0):
    """Lba [dB], basic transmission loss during anomalous propagation (ducting and layer
    reflection), P.1812-6 §4.5 Eqs. (46)-(56)."""
    alf = 45.375 - 137.0 * f + 92.5 * f * f if f < 0.5 else 0.0                     # (47a)
    theta_t2 = theta_t - 0.1 * dlt                                                  # (48a)
    theta_r2 = theta_r - 0.1 * dlr
    ast = 0.0
    asr = 0.0
    if theta_t2 > 0.0:                                                              # (48)
        ast = 20.0 * math.log10(1.0 + 0.361 * theta_t2 * math.sqrt(f * dlt)) + 0.264 * theta_t2 * f ** (1.0 / 3.0)
    if theta_r2 > 0.0:
        asr = 20.0 * math.log10(1.0 + 0.361 * theta_r2 * math.sqrt(f * dlr)) + 0.264 * theta_r2 * f ** (1.0 / 3.0)
    act = 0.0
    acr = 0.0
    if dct <= 5.0 and dct <= dlt and omega >= 0.75:                                 # (49)
        act = -3.0 * math.exp(-0.25 * dct * dct) * (1.0 + math.tanh(0.07 * (50.0 - hts)))
    if dcr <= 5.0 and dcr <= dlr and omega >= 0.75:
        acr = -3.0 * math.exp(-0.25 * dcr * dcr) * (1.0 + math.tanh(0.07 * (50.0 - hrs)))
    gamma_d = 5e-5 * ae * f ** (1.0 / 3.0)                                          # (51)
    theta_t1 = min(theta_t, 0.1 * dlt)                                              # (52a)
    theta_r1 = min(theta_r, 0.1 * dlr)
    theta1 = 1e3 * dtot / ae + theta_t1 + theta_r1                                  # (52)
    di = min(dtot - dlt - dlr, 40.0)                                                # (56a)
    mu3 = math.exp(-4.6e-5 * (hm - 10.0) * (43.0 + 6.0 * di)) if hm > 10.0 else 1.0  # (56)
    tau = 1.0 - math.exp(-(4.12e-4 * dlm ** 2.41))                                  # (3)
    alpha = -0.6 - 3.5e-9 * dtot ** 3.1 * tau                                       # (55a)
    if alpha < -3.4:
        alpha = -3.4
    mu2 = (500.0 / ae * dtot * dtot / (math.sqrt(hte) + math.sqrt(hre)) ** 2) ** alpha   # (55)
    if mu2 > 1.0:
        mu2 = 1.0
    beta = b0 * mu2 * mu3                                                           # (54)
    if not beta > 0.0:
        # mu2 or mu3 underflowed to 0 (e.g. a terrain roughness hm of 1e6 m): no anomalous
        # propagation, Lba is infinite (and no division by 0 below)
        return math.inf
    lb = math.log10(beta)
    gam = 1.076 / (2.0058 - lb) ** 1.012 * math.exp(-(9.51 - 4.8 * lb + 0.198 * lb * lb) * 1e-6 * dtot ** 1.13)  # (53a)
    ap = -12.0 + (1.2 + 3.7e-3 * dtot) * math.log10(p / beta) + 12.0 * (p / beta) ** gam   # (53)
    adp = gamma_d * theta1 + ap                                                     # (50)
    af = 102.45 + 20.0 * math.log10(f) + 20.0 * math.log10(dlt + dlr) + alf + ast + asr + act + acr   # (47)
    return af + adp                                                                 # (46)


@jit
def troposcatter_loss(dtot, theta, f, p, n0):
    """Lbs [dB], basic transmission loss due to troposcatter, P.1812-6 §4.4 Eqs. (44)-(45)."""
    lf = 25.0 * math.log10(f) - 2.5 * math.log10(f / 2.0) ** 2                      # (45)
    return 190.1 + lf + 20.0 * math.log10(dtot) + 0.573 * theta - 0.15 * n0 \
        - 10.125 * math.log10(50.0 / p) ** 0.7                                      # (44)


@jit
def smooth_bullington_att4(dtot, hte, hre, ap, f):
    """Lbulls [dB] without a profile, P.1812-6 Attachment 4 to Annex 1, Eqs. (103)-(112):
    the Bullington loss of a smooth curved Earth with antenna heights hte, hre [m]."""
    ce = 1.0 / ap
    lam = 0.2998 / f
    dlos = math.sqrt(2.0 * ap) * (math.sqrt(0.001 * hte) + math.sqrt(0.001 * hre))
    if dtot < dlos:
        c = (hte - hre) / (hte + hre)
        m = 250.0 * dtot * dtot / (ap * (hte + hre))
        b = 2.0 * math.sqrt((m + 1.0) / (3.0 * m)) * math.cos(
            math.pi / 3.0 + math.acos(1.5 * c * math.sqrt(3.0 * m / (m + 1.0) ** 3)) / 3.0)
        dse1 = 0.5 * dtot * (1.0 + b)
        dse2 = dtot - dse1
        hse = ((hte - 500.0 * dse1 * dse1 / ap) * dse2 + (hre - 500.0 * dse2 * dse2 / ap) * dse1) / dtot
        nu = -hse * math.sqrt(0.002 * dtot / (lam * dse1 * (dtot - dse1)))              # (105)
    else:
        stm = 500.0 * ce * dtot - 2.0 * math.sqrt(500.0 * ce * hte)                     # (107)
        srm = 500.0 * ce * dtot - 2.0 * math.sqrt(500.0 * ce * hre)                     # (108)
        ds = (hre - hte + srm * dtot) / (stm + srm)                                     # (109)
        nu = (hte + stm * ds - (hte * (dtot - ds) + hre * ds) / dtot) \
            * math.sqrt(0.002 * dtot / (lam * ds * (dtot - ds)))                        # (110)
    lus = knife_edge_loss(nu)                                                           # (106), (111)
    return lus + (1.0 - math.exp(-lus / 6.0)) * (10.0 + 0.02 * dtot)                    # (112)


@jit
def _diffraction(d, g, n, htc, hrc, hstd, hsrd, ap, f, omega, pol, att4, inv_d, inv_r, res):
    # delta-Bullington, §4.3.4 Eq. (39); Attachment 4 replaces the smooth-profile Lbulls.
    # inv_d, inv_r: 1/d_i and 1/(d - d_i), computed once per profile (two radii use them).
    if not att4:
        delta_bullington_inv(d, g, n, htc, hrc, hstd, hsrd, ap, f, omega, pol, inv_d, inv_r, res)
        return
    dtot = d[n - 1] - d[0]
    lbulla = bullington(d, g, n, htc, hrc, ap, f)
    lbulls = smooth_bullington_att4(dtot, htc - hstd, hrc - hsrd, ap, f)
    ldsph = spherical_earth_diffraction(dtot, htc - hstd, hrc - hsrd, ap, f, omega, pol)
    res[0] = lbulla + max(ldsph - lbulls, 0.0)
    res[1] = lbulla
    res[2] = lbulls
    res[3] = ldsph


@jit
def p1812_path(d, h, r, zone, n, f, p, htg, hrg, pol, dn, n0, dct, dcr, phi_path, pl, sigma_l, att4, out):
    """Basic transmission loss of one path, Rec. ITU-R P.1812-6 §4, Eqs. (1)-(70).

    Parameters
    ----------
    d, h, r, zone : ndarray
        Distance from Tx [km] (d[0] = 0, ascending), terrain height amsl [m],
        representative clutter height R [m] and radio-climatic zone code (1 sea,
        3 coastal land, 4 inland) of each profile point; the first ``n`` are used.
    n : int
        Number of valid points (>= 3).
    f : float
        Frequency [GHz].
    p : float
        Time percentage [%], 1 to 50.
    htg, hrg : float
        Antenna heights above ground [m].
    pol : int
        0 horizontal, 1 vertical.
    dn, n0 : float
        Average refractivity lapse rate [N-units/km] and sea-level surface refractivity [N-units].
    dct, dcr : float
        Distance over land from Tx / Rx to the coast [km] (0 for a terminal at sea).
    phi_path : float
        Path-centre latitude [deg].
    pl : float
        Location percentage [%], 1 to 99.
    sigma_l : float
        Location variability standard deviation [dB] (forced to 0 for a receiver at sea).
    att4 : bool
        Use Attachment 4 (no profile analysis) for the smooth-path Bullington loss Lbulls.
    out : ndarray, shape (NOUT,)
        Receives the quantities named in :data:`FIELDS`.
    """
    dtot = d[n - 1] - d[0]
    # §3.5-3.7: radio-meteorological parameters
    ae = RE_KM * 157.0 / (157.0 - dn)                                               # (7a)
    ab = RE_KM * K_BETA                                                             # (7b)
    dtm = _longest_section(d, zone, n, 3.0, 4.0)
    dlm = _longest_section(d, zone, n, 4.0, 4.0)
    b0 = beta0(phi_path, dtm, dlm)
    omega = _sea_fraction(d, zone, n)
    inv_d = np.empty(n)
    inv_r = np.empty(n)
    inverse_distances(d, n, inv_d, inv_r)
    _geometry(d, h, n, htg, hrg, ae, f, inv_d, inv_r, out)
    hts = out[I_HTS]
    hrs = out[I_HRS]
    # §3.2: terrain + clutter profile, the terminals keep their ground height
    g = np.empty(n)
    for i in range(n):
        g[i] = h[i] + r[i]
    g[0] = h[0]
    g[n - 1] = h[n - 1]
    htc = hts                                                                       # Table 5
    hrc = hrs
    theta = out[I_THETA]
    dlt = out[I_DLT]
    dlr = out[I_DLR]
    # interpolation factors, Eqs. (57)-(58)
    fj = 1.0 - 0.5 * (1.0 + math.tanh(3.0 * 0.8 * (theta - 0.3) / 0.3))
    fk = 1.0 - 0.5 * (1.0 + math.tanh(3.0 * 0.5 * (dtot - 20.0) / 20.0))
    # §4.2 line of sight, Eqs. (8)-(11)
    dfs = math.sqrt(dtot * dtot + ((hts - hrs) / 1000.0) ** 2)                      # (8a)
    lbfs = 92.4 + 20.0 * math.log10(f) + 20.0 * math.log10(dfs)                     # (8)
    es = 2.6 * (1.0 - math.exp(-0.1 * (dlt + dlr)))
    lb0p = lbfs + es * math.log10(p / 50.0)                                         # (9a), (10)
    lb0b = lbfs + es * math.log10(b0 / 50.0)                                        # (9b), (11)
    # §4.3 diffraction, Eqs. (37)-(41)
    res = np.empty(4)
    _diffraction(d, g, n, htc, hrc, out[I_HSTD], out[I_HSRD], ae, f, omega, pol, att4, inv_d, inv_r, res)
    ld50 = res[0]
    out[I_LBULLA] = res[1]
    out[I_LBULLS] = res[2]
    out[I_LDSPH] = res[3]
    _diffraction(d, g, n, htc, hrc, out[I_HSTD], out[I_HSRD], ab, f, omega, pol, att4, inv_d, inv_r, res)
    ldb = res[0]
    if p == 50.0:
        ldp = ld50
    else:
        fi_d = inv_cum_norm(p / 100.0) / inv_cum_norm(b0 / 100.0) if p > b0 else 1.0   # (40)
        ldp = ld50 + fi_d * (ldb - ld50)                                            # (41)
    lbd50 = lbfs + ld50                                                             # (42)
    lbd = lb0p + ldp                                                                # (43)
    # §4.6 combination, Eqs. (59)-(63)
    fi = 1.0
    lminb0p = lb0p + (1.0 - omega) * ldp                                            # (59)
    if p >= b0:
        fi = inv_cum_norm(p / 100.0) / inv_cum_norm(b0 / 100.0)                     # (40)
        lminb0p = lbd50 + (lb0b + (1.0 - omega) * ldp - lbd50) * fi                 # (59)
    lba = anomalous_loss(dtot, dlt, dlr, dct, dcr, dlm, hts, hrs, out[I_HTE], out[I_HRE], out[I_HM],
                         out[I_THETA_T], out[I_THETA_R], f, p, omega, ae, b0)
    eta = 2.5
    # (60), written as a log-sum-exp so that exp() cannot overflow for large losses
    mx = max(lba, lb0p)
    if mx == math.inf:
        lminbap = mx
    else:
        lminbap = mx + eta * math.log(math.exp((lba - mx) / eta) + math.exp((lb0p - mx) / eta))
    lbda = lbd
    if lminbap <= lbd:
        lbda = lminbap + (lbd - lminbap) * fk                                       # (61)
    lbam = lbda + (lminb0p - lbda) * fj                                             # (62)
    lbs = troposcatter_loss(dtot, theta, f, p, n0)                                  # (44)
    lbc = -5.0 * math.log10(10.0 ** (-0.2 * lbs) + 10.0 ** (-0.2 * lbam))           # (63)
    # §4.8-4.9 location variability, outdoor receiver; none for a receiver at sea
    sl = 0.0 if zone[n - 1] == 1.0 else sigma_l
    lloc = -inv_cum_norm(pl / 100.0) * sl
    lb = max(lb0p, lbc + lloc)                                                      # (69)
    ep = 199.36 + 20.0 * math.log10(f) - lb                                         # (70)
    out[I_LB] = lb
    out[I_EP] = ep
    out[I_LBFS] = lbfs
    out[I_LB0P] = lb0p
    out[I_LB0B] = lb0b
    out[I_LD50] = ld50
    out[I_LDB] = ldb
    out[I_LDP] = ldp
    out[I_LBD50] = lbd50
    out[I_LBD] = lbd
    out[I_LMINB0P] = lminb0p
    out[I_LBA] = lba
    out[I_LMINBAP] = lminbap
    out[I_LBDA] = lbda
    out[I_LBAM] = lbam
    out[I_LBS] = lbs
    out[I_LBC] = lbc
    out[I_LLOC] = lloc
    out[I_FI] = fi
    out[I_FJ] = fj
    out[I_FK] = fk
    out[I_DTM] = dtm
    out[I_DLM] = dlm
    out[I_PHI] = phi_path
    out[I_B0] = b0
    out[I_AE] = ae
    out[I_OMEGA] = omega
    out[I_DCT] = dct
    out[I_DCR] = dcr
    out[I_SIGMA_L] = sl


def _p1812_paths(d, h, r, zone, n, f, p, htg, hrg, pol, dn, n0, dct, dcr, phi_path, pl, sigma_l, att4):
    npath = d.shape[0]
    res = np.empty((npath, NOUT))
    for k in prange(npath):
        p1812_path(d[k], h[k], r[k], zone[k], n[k], f[k], p[k], htg[k], hrg[k], int(pol[k]),
                   dn[k], n0[k], dct[k], dcr[k], phi_path[k], pl[k], sigma_l[k], att4, res[k])
    return res


p1812_batch, p1812_batch_serial = _twins(
    _p1812_paths, "p1812_batch",
    """:func:`p1812_path` in parallel over padded profiles ``(n_paths, n_max)``.

    Every per-path argument is an array of length ``n_paths`` (``att4`` is one bool).
    Returns ``(n_paths, NOUT)``. ``p1812_batch_serial``: the same without threads (one or a
    few paths: no thread-pool wake-up).
    """, "p1812_batch_serial")


@jit
def path_centre_latitude_array(lat_t, lon_t, lat_r, lon_r, dpnt, out):
    for i in range(out.size):
        out[i] = path_centre_latitude(lat_t[i], lon_t[i], lat_r[i], lon_r[i], dpnt[i])


@jit
def p1812_api(d, h, r, zone, f, p, htg, hrg, pol, dn, n0, dct, dcr, lat, pl, sigma_l, wa, att4, z_min, z_max,
              d_min, d_max, out):
    """Checked one-path entry of the public API: :func:`p1812_path` after the API's checks.

    ``r`` (clutter heights) and ``zone`` are 1-D like ``d``, or empty (no clutter; inland).
    ``sigma_l < 0`` asks for Eq. (66) from ``f``, ``hrg``, the clutter height next to the
    receiver and ``wa``. Returns -1, computing nothing, when an input is outside what
    :func:`spectrum.propagation.p1812.basic_transmission_loss` accepts (the caller then
    raises the precise error); else 0 with the results in ``out`` (``FIELDS`` order).
    Terminals on sea (zone 1) get ``dct``/``dcr`` = 0, as the API does.
    """
    if not api_profile_ok(d, h, zone, r, 3, z_min, z_max, (1.0, 3.0, 4.0), d_min, d_max):
        return -1
    n = d.shape[0]
    if not (f >= 0.03 and f <= 6.0 and p >= 1.0 and p <= 50.0 and pl >= 1.0 and pl <= 99.0):
        return -1
    if not (htg >= 1.0 and htg <= 3000.0 and hrg >= 1.0 and hrg <= 3000.0):
        return -1
    if not (dn > 0.0 and dn < 157.0 and n0 > 0.0 and n0 < math.inf and lat >= -80.0 and lat <= 80.0):
        return -1
    if not (dct >= 0.0 and dcr >= 0.0 and wa > 0.0 and wa < math.inf and sigma_l < math.inf):
        return -1
    zn = zone if zone.shape[0] == n else np.full(n, 4.0)
    rr = r if r.shape[0] == n else np.zeros(n)
    if zn[0] == 1.0:
        dct = 0.0
    if zn[n - 1] == 1.0:
        dcr = 0.0
    sl = sigma_l if sigma_l >= 0.0 else location_std(f, hrg, rr[n - 2], wa)
    p1812_path(d, h, rr, zn, n, f, p, htg, hrg, pol, dn, n0, dct, dcr, lat, pl, sl, att4, out)
    return 0
