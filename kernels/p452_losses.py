"""Rec. ITU-R P.452-18 / P.452-17: loss kernels (§4.1-§4.6: line of sight, diffraction,
troposcatter, ducting / layer reflection, their combination, P.452-17 terminal clutter) on a
prepared geometry. Re-exported by :mod:`spectrum.kernels.p452`.
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit
from .p526 import (bullington_scan, bullington_scan_pair, delta_bullington_from_scan, delta_bullington_inv,
                   delta_bullington_pair_inv, inverse_distances)
from .p676 import gamma_total_pair
from .p452_geometry import *  # noqa: F401,F403  (G_* / L_* slots)
from .p452_geometry import (G_AE, G_B0, G_DLM, G_DLR, G_DLT, G_DTOT, G_HM, G_HRE, G_HRS, G_HTE, G_HTS,  # noqa: F401
                            G_OMEGA, G_THETA_R, G_THETA_T, N_LOSS, scans_valid)

@jit
def _gas(f, press, temp, omega):
    # P.676 Annex 1 at rho = 7.5 + 2.5 omega (Eq. (9a)) and at 3 g/m^3 (Eq. (45)), one pass
    return gamma_total_pair(f, press, 7.5 + 2.5 * omega, 3.0, temp + 273.15)


@jit
def _n_chunks(npath):
    # chunks of consecutive paths for the prange loops (one scratch set per chunk)
    return min(npath, 64)


@jit
def _gas_table(f, press, temp, geom):
    """Specific attenuations for every (path, case): ``(gam, gam3)``, each shaped like ``f``.

    ``f`` is ``(n_paths, n_cases)``; ``press``, ``temp`` per path; omega from ``geom``. A serial
    pass that calls P.676 (:func:`_gas`) only when (f, press, temp, omega) differs from the
    previous entry, so a batch at one frequency and climate evaluates the line sums once
    instead of once per path.
    """
    npath = f.shape[0]
    ncase = f.shape[1]
    gam = np.empty((npath, ncase))
    gam3 = np.empty((npath, ncase))
    kf = np.nan
    kp = np.nan
    kt = np.nan
    ko = np.nan
    g1 = 0.0
    g3 = 0.0
    for k in range(npath):
        om = geom[k, G_OMEGA]
        for j in range(ncase):
            if f[k, j] != kf or press[k] != kp or temp[k] != kt or om != ko:
                g1, g3 = _gas(f[k, j], press[k], temp[k], om)
                kf = f[k, j]
                kp = press[k]
                kt = temp[k]
                ko = om
            gam[k, j] = g1
            gam3[k, j] = g3
    return gam, gam3


@jit
def _logsumexp2(a, b):
    m = max(a, b)
    if m == math.inf:  # e.g. Lba = inf when ducting is impossible (beta = 0)
        return m
    return m + math.log(math.exp(a - m) + math.exp(b - m))


@jit
def path_losses(d, g, n, geom, f, p, dn, n0, pol, dct, dcr, press, temp, gt, gr, out):
    """Basic transmission loss and components for one path, P.452-18 §4.1-§4.6.

    See :func:`path_losses_gas` for the parameters; this computes the specific
    attenuations (P.676 Annex 1) itself.
    """
    gam, gam3 = _gas(f, press, temp, geom[G_OMEGA])  # Eq. (9a) and rho = 3 g/m^3, one P.676 pass
    path_losses_gas(d, g, n, geom, f, p, dn, n0, pol, dct, dcr, press, temp, gt, gr, gam, gam3, out)


@jit
def path_losses_gas(d, g, n, geom, f, p, dn, n0, pol, dct, dcr, press, temp, gt, gr, gam, gam3, out):
    """:func:`path_losses_gas_inv` allocating the inverse distances itself (when needed)."""
    inv_d = np.empty(n)
    inv_r = np.empty(n)
    if not scans_valid(geom):
        inverse_distances(d, n, inv_d, inv_r)
    dcache = np.full(5, np.nan)
    path_losses_gas_inv(d, g, n, geom, f, p, dn, n0, pol, dct, dcr, press, temp, gt, gr, gam, gam3, inv_d, inv_r,
                        dcache, out)


@jit
def path_losses_gas_inv(d, g, n, geom, f, p, dn, n0, pol, dct, dcr, press, temp, gt, gr, gam, gam3, inv_d, inv_r,
                        dcache, out):
    """Basic transmission loss and components for one path, P.452-18 §4.1-§4.6.

    Parameters
    ----------
    d, g : ndarray
        Profile distances [km] and heights amsl [m] used for diffraction: terrain +
        representative clutter (:func:`clutter_profile`) for P.452-18, terrain for
        P.452-17; first ``n`` points used (the full profile: a P.452-17 truncation
        recorded in ``geom`` is applied here).
    geom : ndarray
        From :func:`path_geometry`.
    f : float
        Frequency [GHz].
    p : float
        Time percentage [%].
    dn, n0 : float
        DN [N-units/km] and sea-level surface refractivity N0 [N-units].
    pol : int
        0 horizontal, 1 vertical.
    dct, dcr : float
        Distances over land from Tx / Rx to the coast [km].
    press, temp : float
        Dry-air pressure [hPa] and temperature [deg C].
    gt, gr : float
        Antenna gains towards the horizon along the path [dBi] (troposcatter only).
    gam, gam3 : float
        Specific gaseous attenuation gamma_o + gamma_w [dB/km] at water-vapour density
        7.5 + 2.5 omega (Eq. (9a), for Lbfsg and Lba) and 3 g/m^3 (troposcatter).
    inv_d, inv_r : ndarray
        Inverse distances of the full profile (as for :func:`path_geometry_inv`).
    dcache : ndarray, shape (5,)
        Diffraction cache for this path: fill with NaN before the first call on a path
        (and whenever the path changes); Ld50 and Ld(beta0) are then reused between calls
        with the same f and pol (e.g. many p).
    out : ndarray, shape (N_LOSS,)
        Receives the losses (``L_*`` slots) [dB].
    """
    i0 = int(geom[G_I0])
    i1 = int(geom[G_I1])
    truncated = i0 != 0 or i1 != n - 1
    if truncated:
        dd = d[i0:i1 + 1] - d[i0]
        gg = g[i0:i1 + 1]
        m = i1 - i0 + 1
    else:
        dd = d
        gg = g
        m = n
    ivd = inv_d
    ivr = inv_r
    if truncated and not scans_valid(geom):
        ivd = np.empty(m)
        ivr = np.empty(m)
        inverse_distances(dd, m, ivd, ivr)
    dtot = geom[G_DTOT]
    hts = geom[G_HTS]
    hrs = geom[G_HRS]
    omega = geom[G_OMEGA]
    b0 = geom[G_B0]
    ae = geom[G_AE]
    ab = geom[G_AB]
    dlt = geom[G_DLT]
    dlr = geom[G_DLR]

    # ---- 4.1 line of sight, Eqs. (8)-(12)
    dfs = math.sqrt(dtot * dtot + ((hts - hrs) / 1000.0) ** 2)
    lbfsg = 92.4 + 20.0 * math.log10(f) + 20.0 * math.log10(dfs) + gam * dfs  # Eq. (8)
    es = 2.6 * (1.0 - math.exp(-0.1 * (dlt + dlr)))
    lb0p = lbfsg + es * math.log10(p / 50.0)  # Eqs. (10a), (11)
    lb0b = lbfsg + es * math.log10(b0 / 50.0)  # Eqs. (10b), (12)

    # ---- 4.2 diffraction, Eqs. (40)-(42); Ld50 and Ldb depend on f and pol only (cached)
    if dcache[0] == f and dcache[4] == pol:
        ld50 = dcache[1]
        ldsph = dcache[2]
    elif scans_valid(geom):
        db = np.empty(4)
        delta_bullington_from_scan(dd, gg, m, hts, hrs, geom[G_HSTD], geom[G_HSRD], ae, f, omega, pol,
                                   geom[G_SA50], geom[G_RA50], int(geom[G_IA50]), geom[G_SS50], geom[G_RS50],
                                   int(geom[G_IS50]), db)
        ld50 = db[0]
        ldsph = db[3]
        dcache[0] = f
        dcache[1] = ld50
        dcache[2] = ldsph
        dcache[4] = pol
        if p < 50.0:
            delta_bullington_from_scan(dd, gg, m, hts, hrs, geom[G_HSTD], geom[G_HSRD], ab, f, omega, pol,
                                       geom[G_SAB], geom[G_RAB], int(geom[G_IAB]), geom[G_SSB], geom[G_RSB],
                                       int(geom[G_ISB]), db)
            dcache[3] = db[0]
        else:
            dcache[3] = np.nan
    elif p < 50.0:
        db = np.empty(4)
        db2 = np.empty(4)
        delta_bullington_pair_inv(dd, gg, m, hts, hrs, geom[G_HSTD], geom[G_HSRD], ae, ab, f, omega, pol, ivd, ivr,
                                  db, db2)
        ld50 = db[0]
        ldsph = db[3]
        dcache[0] = f
        dcache[1] = ld50
        dcache[2] = ldsph
        dcache[3] = db2[0]
        dcache[4] = pol
    else:
        db = np.empty(4)
        delta_bullington_inv(dd, gg, m, hts, hrs, geom[G_HSTD], geom[G_HSRD], ae, f, omega, pol, ivd, ivr, db)
        ld50 = db[0]
        ldsph = db[3]
        dcache[0] = f
        dcache[1] = ld50
        dcache[2] = ldsph
        dcache[3] = np.nan
        dcache[4] = pol
    if p >= 50.0:
        ldp = ld50
    else:
        if math.isnan(dcache[3]):
            db = np.empty(4)
            delta_bullington_inv(dd, gg, m, hts, hrs, geom[G_HSTD], geom[G_HSRD], ab, f, omega, pol, ivd, ivr, db)
            dcache[3] = db[0]
        fi = 1.0
        if p > b0:
            fi = inv_cum_norm(p / 100.0) / inv_cum_norm(b0 / 100.0)  # Eq. (41a)
        ldp = ld50 + fi * (dcache[3] - ld50)  # Eq. (42)
    lbd50 = lbfsg + ld50  # Eq. (43)
    lbd = lb0p + ldp  # Eq. (44)

    # ---- 4.3 troposcatter, Eq. (45)
    lf = 25.0 * math.log10(f) - 2.5 * math.log10(f / 2.0) ** 2  # Eq. (45a)
    lc = 0.051 * math.exp(0.055 * (gt + gr))  # Eq. (45b)
    lbs = 190.0 + lf + 20.0 * math.log10(dtot) + 0.573 * geom[G_THETA] - 0.15 * n0 + lc + gam3 * dtot \
        - 10.1 * (-math.log10(p / 50.0)) ** 0.7

    # ---- 4.4 ducting / layer reflection, Eqs. (46)-(56)
    lba = _anomalous(geom, f, p, dct, dcr, gam * dtot)

    # ---- 4.6 overall prediction, Eqs. (58)-(64)
    fj = 1.0 - 0.5 * (1.0 + math.tanh(3.0 * 0.8 * (geom[G_STIM] - geom[G_STR]) / 0.3))  # Eq. (58)
    fk = 1.0 - 0.5 * (1.0 + math.tanh(3.0 * 0.5 * (dtot - 20.0) / 20.0))  # Eq. (59)
    if p >= b0:
        fi = inv_cum_norm(p / 100.0) / inv_cum_norm(b0 / 100.0)
        lminb0p = lbd50 + (lb0b + (1.0 - omega) * ldp - lbd50) * fi  # Eq. (60)
    else:
        lminb0p = lb0p + (1.0 - omega) * ldp
    eta = 2.5
    lminbap = eta * _logsumexp2(lba / eta, lb0p / eta)  # Eq. (61)
    if lminbap <= lbd:
        lbda = lminbap + (lbd - lminbap) * fk  # Eq. (62)
    else:
        lbda = lbd
    lbam = lbda + (lminb0p - lbda) * fj  # Eq. (63)
    # Eq. (64), written stably: -5 log10(10^(-0.2 Lbs) + 10^(-0.2 Lbam))
    ln10 = math.log(10.0)
    lb = -5.0 / ln10 * _logsumexp2(-0.2 * ln10 * lbs, -0.2 * ln10 * lbam)

    aht = 0.0
    ahr = 0.0
    if geom[G_HA_T] > geom[G_HTG0]:
        aht = _clutter_loss_17(f, geom[G_HTG0], geom[G_HA_T], geom[G_DK_T])
    if geom[G_HA_R] > geom[G_HRG0]:
        ahr = _clutter_loss_17(f, geom[G_HRG0], geom[G_HA_R], geom[G_DK_R])
    out[L_LB] = lb + aht + ahr
    out[L_LBFSG] = lbfsg
    out[L_LB0P] = lb0p
    out[L_LB0B] = lb0b
    out[L_LDSPH] = ldsph
    out[L_LD50] = ld50
    out[L_LDP] = ldp
    out[L_LBS] = lbs
    out[L_LBA] = lba
    out[L_LBD] = lbd
    out[L_LBAM] = lbam
    out[L_AHT] = aht
    out[L_AHR] = ahr


@jit
def _clutter_loss_17(f, h, ha, dk):
    # P.452-17 §4.5.3 Eqs. (57), (57a)
    ffc = 0.25 + 0.375 * (1.0 + math.tanh(7.5 * (f - 0.5)))
    return 10.25 * ffc * math.exp(-dk) * (1.0 - math.tanh(6.0 * (h / ha - 0.625))) - 0.33


@jit
def _anomalous(geom, f, p, dct, dcr, ag):
    # P.452-18 §4.4, Eqs. (46)-(56); ``ag`` = gaseous attenuation with rho = 7.5 + 2.5 omega.
    dtot = geom[G_DTOT]
    dlt = geom[G_DLT]
    dlr = geom[G_DLR]
    theta_t = geom[G_THETA_T]
    theta_r = geom[G_THETA_R]
    ae = geom[G_AE]
    omega = geom[G_OMEGA]
    hts = geom[G_HTS]
    hrs = geom[G_HRS]
    alf = 0.0
    if f < 0.5:
        alf = 45.375 - 137.0 * f + 92.5 * f * f  # Eq. (47a)
    tt1 = theta_t - 0.1 * dlt  # Eq. (48a)
    tr1 = theta_r - 0.1 * dlr
    ast = 0.0
    asr = 0.0
    f13 = f ** (1.0 / 3.0)
    if tt1 > 0.0:
        ast = 20.0 * math.log10(1.0 + 0.361 * tt1 * math.sqrt(f * dlt)) + 0.264 * tt1 * f13  # Eq. (48)
    if tr1 > 0.0:
        asr = 20.0 * math.log10(1.0 + 0.361 * tr1 * math.sqrt(f * dlr)) + 0.264 * tr1 * f13
    act = 0.0
    acr = 0.0
    if omega >= 0.75:
        if dct <= dlt and dct <= 5.0:
            act = -3.0 * math.exp(-0.25 * dct * dct) * (1.0 + math.tanh(0.07 * (50.0 - hts)))  # Eq. (49)
        if dcr <= dlr and dcr <= 5.0:
            acr = -3.0 * math.exp(-0.25 * dcr * dcr) * (1.0 + math.tanh(0.07 * (50.0 - hrs)))  # Eq. (49a)
    af = 102.45 + 20.0 * math.log10(f) + 20.0 * math.log10(dlt + dlr) + alf + ast + asr + act + acr  # Eq. (47)
    gamma_d = 5e-5 * ae * f13  # Eq. (51)
    tt = theta_t if theta_t <= 0.1 * dlt else 0.1 * dlt  # Eq. (52a)
    tr = theta_r if theta_r <= 0.1 * dlr else 0.1 * dlr
    theta1 = 1e3 * dtot / ae + tt + tr  # Eq. (52)
    di = min(dtot - dlt - dlr, 40.0)  # Eq. (56a)
    hm = geom[G_HM]
    mu3 = 1.0
    if hm > 10.0:
        mu3 = math.exp(-4.6e-5 * (hm - 10.0) * (43.0 + 6.0 * di))  # Eq. (56)
    tau = 1.0 - math.exp(-(4.12e-4 * geom[G_DLM] ** 2.41))  # Eq. (3a)
    alpha = -0.6 - 3.5e-9 * dtot ** 3.1 * tau  # Eq. (55a)
    if alpha < -3.4:
        alpha = -3.4
    mu2 = (500.0 / ae * dtot * dtot / (math.sqrt(geom[G_HTE]) + math.sqrt(geom[G_HRE])) ** 2) ** alpha  # Eq. (55)
    if mu2 > 1.0:
        mu2 = 1.0
    beta = geom[G_B0] * mu2 * mu3  # Eq. (54)
    if not beta > 0.0:
        # mu2 or mu3 underflowed to 0 (e.g. a terrain roughness hm of 1e6 m): the time
        # percentage of anomalous propagation is 0 and Lba is infinite (no division by 0)
        return math.inf
    lbeta = math.log10(beta)
    gam_ = 1.076 / (2.0058 - lbeta) ** 1.012 * math.exp(-(9.51 - 4.8 * lbeta + 0.198 * lbeta * lbeta) * 1e-6 * dtot ** 1.13)  # Eq. (53a)
    ap = -12.0 + (1.2 + 3.7e-3 * dtot) * math.log10(p / beta) + 12.0 * (p / beta) ** gam_  # Eq. (53)
    adp = gamma_d * theta1 + ap  # Eq. (50)
    return af + adp + ag  # Eq. (46)

