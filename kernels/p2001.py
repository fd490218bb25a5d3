"""Rec. ITU-R P.2001-4 wide-range terrestrial propagation model: Numba kernels.

Layout (as :mod:`spectrum.kernels.p452`):

* **Geometry** -- :func:`spectrum.kernels.p2001_geometry.path_geometry` fills ``geom``
  (``G_*``) from the profile, terminals and Nd1km50 only (§3.2-§3.9).
* **Losses** -- :func:`path_losses` evaluates any number of (f, p) cases of one path:
  diffraction (Attachment A, the Bullington and spherical-Earth parts of
  :mod:`spectrum.kernels.p526`), sub-model 1 with clear-air/rain fading (§4.1,
  Attachments B, C, I), anomalous propagation (sub-model 2, Attachment D), troposcatter
  (sub-model 3, Attachment E), sporadic-E (sub-model 4, Attachment G), gaseous
  absorption (Attachment F) and the combination (§5). Writes ``L_*`` slots.
* **Batch** -- :func:`losses_batch` / :func:`losses_serial` over padded profiles
  ``(n_paths, n_max)`` and cases ``(n_paths, n_cases)`` (prange over paths).

The actual-profile Bullington scan depends on p only through the effective Earth
curvature Cp, and the smooth-profile scan through Reffp; both are reused across cases
with the same p (e.g. every frequency of one time percentage).

Map-derived inputs (the ITU-R digital maps may not be redistributed) are arrays:
per case Nd1kmp, FoEs (1 and 2 hops); per path ``pmap`` (``M_*``): Nd65m1, surface
water-vapour densities, troposcatter climate zone, polarisation, antenna gains and
the P.837-5 / P.839 rain parameters (Mt, beta, Pr6, h0) at the path mid-point and at
the mid-points of the Tx- and Rx-to-common-volume segments.

Constants: c = 2.998e8 m/s (lambda = 0.2998 / f_GHz), 92.4 dB free-space constant, as
P.2001-4 §3.6, §3.11.
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit, prange, twins as _twins
from .p2001_fading import N_RAIN, R_FWVR, a_iter, multipath_activity, precipitation_initial
from .p2001_geometry import (G_DCR, G_DCT, G_DLM, G_DLR, G_DLT, G_DRCV, G_DT, G_DTCV, G_DTM, G_FLAGLOS50, G_H1,
                             G_HCV, G_HHI, G_HLO, G_HLR, G_HLT, G_HM, G_HMID, G_HN, G_HREA, G_HREP, G_HRS, G_HTEA,
                             G_HTEP, G_HTS, G_OMEGA, G_PHIMN, G_REFF50, G_SP, G_THETAE, G_THETAR, G_THETARPOS,
                             G_THETAT, G_THETATPOS, N_GEOM, RE_KM, path_geometry)
from .p2001_mechanisms import (anomalous_loss, free_space_loss, gaseous_surface, gaseous_terminal_to_cv,
                               sporadic_e_loss, troposcatter_loss)
from .p526 import bullington_scan, inverse_distances, knife_edge_loss, spherical_earth_diffraction

# ----------------------------------------------------------------------------- per-path map inputs
M_ND65M1 = 0    # refractivity gradient in the lowest 65 m not exceeded 1 % (dndz_01) [N-units/km]
M_WV_MID = 1    # surface water-vapour density at the mid-point (surfwv_50_fixed) [g/m^3]
M_WV_TX = 2     # ... at Tx
M_WV_RX = 3     # ... at Rx
M_ZTROPO = 4    # troposcatter climate zone 0-6 (TropoClim), §E.2
M_POL = 5       # 0 horizontal, 1 vertical
M_GT = 6        # Tx antenna gain towards the horizon / other antenna [dBi]
M_GR = 7        # Rx antenna gain [dBi]
M_RAIN = 8      # 12 slots: (Mt [mm], beta, Pr6 [%], h0 [km]) at mid-point, Tx-cv mid-point, Rx-cv mid-point
N_PMAP = 20

# ----------------------------------------------------------------------------- per-case outputs
L_LB = 0         # basic transmission loss not exceeded for p % time, Eq. (5.2.1)
L_TPCP = 1       # limited p, Eq. (3.1.1) [%]
L_TPCQ = 2       # Eq. (3.1.2) [%]
L_CP = 3         # effective Earth curvature, Eq. (3.5.2) [1/km]
L_REFFP = 4      # Eq. (3.5.3) [km]
L_WAVE = 5       # wavelength, Eq. (3.6.1) [m]
L_LBFS = 6       # free-space loss, Eq. (3.11.1)
L_LD = 7         # diffraction loss, Eq. (A.1.1)
L_LDSPH = 8      # spherical-Earth diffraction, Eq. (A.2.5)
L_LDBA = 9       # Bullington, actual profile, Eq. (A.4.9)
L_LDBS = 10      # Bullington, smooth profile, Eq. (A.5.9)
L_LDBKA = 11     # knife-edge loss at the Bullington point, actual, Eq. (A.4.4)/(A.4.8)
L_LDBKS = 12     # knife-edge loss, smooth, Eq. (A.5.4)/(A.5.8)
L_FLAGLOSPA = 13  # 1 line of sight at p %, actual profile
L_FLAGLOSPS = 14  # 1 line of sight at p %, smooth profile
L_QOCA = 15      # Eq. (B.2.2)/(B.2.5) [%]
L_A1 = 16        # Eq. (4.1.2)
L_FWVR = 17      # Eq. (C.2.14), surface path
L_LBM1 = 18      # Eq. (4.1.4)
L_LBA = 19       # Eq. (D.8.1)
L_AAC = 20       # Eq. (D.5.1)
L_AAD = 21       # Eq. (D.6.4)
L_AAT = 22       # Eq. (D.7.7)
L_LBM2 = 23      # Eq. (4.2.1)
L_LBS = 24       # Eq. (E.16) limited by (E.17)
L_THETAS = 25    # scatter angle, Eq. (E.1) [mrad]
L_A2T = 26       # Eq. (4.3.2)
L_A2R = 27       # Eq. (4.3.4)
L_FWVRT = 28     # Fwvr, Tx-cv segment
L_FWVRR = 29     # Fwvr, Rx-cv segment
L_A2 = 30        # Eq. (4.3.6)
L_AOS = 31       # Eq. (F.3.3a)
L_AWS = 32       # Eq. (F.3.3b)
L_AWRS = 33      # Eq. (F.3.3c)
L_AOTCV = 34     # Eq. (F.3.1a)
L_AWTCV = 35
L_AWRTCV = 36
L_AORCV = 37     # Eq. (F.3.2a)
L_AWRCV = 38
L_AWRRCV = 39
L_AGS = 40       # Eq. (4.3.7)
L_LBM3 = 41      # Eq. (4.3.8)
L_LBM4 = 42      # Eq. (4.4.1) = Lbe, Eq. (G.4.1)
L_LBES1 = 43     # Eq. (G.2.8)
L_LBES2 = 44     # Eq. (G.3.8)
L_LP1T = 45      # Eq. (G.2.7a)
L_LP1R = 46
L_LP2T = 47      # Eq. (G.3.7a)
L_LP2R = 48
L_GAM1 = 49      # Eq. (G.2.1)
L_GAM2 = 50      # Eq. (G.3.1)
L_AOSUR = 51     # Eq. (F.2.2a)
L_AWSUR = 52     # Eq. (F.2.2b)
L_AWRSUR = 53    # Eq. (F.2.2c)
L_AGSUR = 54     # Eq. (3.10.1)
L_GAMO = 55      # Eq. (F.6.1) at the mid-point [dB/km]
L_GAMW = 56      # Eq. (F.6.2) [dB/km]
L_GAMWR = 57     # Eq. (F.6.2) under rain [dB/km]
L_LBM12 = 58     # Eq. (5.1.1)
L_ND1KMP = 59    # the Nd1kmp used [N-units/km]
N_LOSS = 60


@jit
def _bullington_parts(d, n, hts, hrs, ce500, lam, flat, stim, srim, imax, h):
    # Attachment A.4 / A.5 from a p526.bullington_scan: (knife-edge loss, Bullington loss, LoS flag)
    dtot = d[n - 1] - d[0]
    if stim < (hrs - hts) / dtot:  # (A.4.2)/(A.5.2): line of sight
        di = d[imax]
        dr = dtot - di
        hb = ce500 * di * dr
        if not flat:
            hb += h[imax]
        nu = (hb - (hts * dr + hrs * di) / dtot) * math.sqrt(0.002 * dtot / (lam * di * dr))  # (A.4.3)/(A.5.3)
        los = 1.0
    else:
        dbp = (hrs - hts + srim * dtot) / (stim + srim)  # (A.4.6)/(A.5.6)
        nu = (hts + stim * dbp - (hts * (dtot - dbp) + hrs * dbp) / dtot) \
            * math.sqrt(0.002 * dtot / (lam * dbp * (dtot - dbp)))  # (A.4.7)/(A.5.7)
        los = 0.0
    j = knife_edge_loss(nu)  # (A.4.4)/(A.4.8)
    return j, j + (1.0 - math.exp(-j / 6.0)) * (10.0 + 0.02 * dtot), los  # (A.4.9)/(A.5.9)


@jit
def path_losses(d, h, n, geom, f_arr, p_arr, nd1kmp_arr, foes1_arr, foes2_arr, pmap, out):
    """Every (f, p) case of one path, Rec. ITU-R P.2001-4 §3.1-§5.

    Parameters
    ----------
    d, h : ndarray
        Profile [km], [m amsl]; first ``n`` points used.
    geom : ndarray
        :func:`~spectrum.kernels.p2001_geometry.path_geometry` output.
    f_arr, p_arr : ndarray, shape (n_cases,)
        Frequency [GHz] and time percentage [%]; a NaN case is skipped (row of NaN).
    nd1kmp_arr : ndarray
        Refractivity gradient not exceeded for p % time, Eq. (3.4.1.2), per case.
    foes1_arr, foes2_arr : ndarray
        FoEs for one and two hops at p %, Eq. (G.1.1), per case [MHz].
    pmap : ndarray, shape (N_PMAP,)
        Per-path map values and options (``M_*``).
    out : ndarray, shape (n_cases, N_LOSS)
    """
    ncase = f_arr.shape[0]
    dt = geom[G_DT]
    hts = geom[G_HTS]
    hrs = geom[G_HRS]
    htep = geom[G_HTEP]
    hrep = geom[G_HREP]
    omega = geom[G_OMEGA]
    ae = geom[G_REFF50]
    pol = int(pmap[M_POL])
    inv_d = np.empty(n)
    inv_r = np.empty(n)
    inverse_distances(d, n, inv_d, inv_r)
    rain = np.empty(N_RAIN)
    gm = np.empty(49)
    pm = np.empty(49)
    cp_prev = np.nan
    sa = ra = ss = rs = 0.0
    ia = is_ = 1
    cp = reffp = 0.0
    tmp = np.empty(8)
    for k in range(ncase):
        o = out[k]
        f = f_arr[k]
        pin = p_arr[k]
        if math.isnan(f) or math.isnan(pin):
            o[:] = np.nan
            continue
        p = pin + 0.00001 * (50.0 - pin) / 50.0  # (3.1.1)
        q = 100.0 - p  # (3.1.2)
        nd1kmp = nd1kmp_arr[k]
        o[L_TPCP] = p
        o[L_TPCQ] = q
        o[L_ND1KMP] = nd1kmp
        lam = 1e-9 * 2.998e8 / f  # (3.6.1)
        o[L_WAVE] = lam
        # ---------------------------------------------------------------- §3.5, Attachment A
        cpk = (157.0 + nd1kmp) / (157.0 * RE_KM)  # (3.5.2)
        if cpk != cp_prev:
            cp = cpk
            reffp = 1.0 / cp if cp > 1e-6 else 1e6  # (3.5.3)
            ap_actual = 1.0 / cp if cp != 0.0 else 1e300
            sa, ra, ia = bullington_scan(d, h, n, hts, hrs, ap_actual, False, inv_d, inv_r)  # (A.4.1), (A.4.5)
            ss, rs, is_ = bullington_scan(d, h, n, htep, hrep, reffp, True, inv_d, inv_r)  # (A.5.1), (A.5.5)
            cp_prev = cpk
        o[L_CP] = cp
        o[L_REFFP] = reffp
        ldbka, ldba, losa = _bullington_parts(d, n, hts, hrs, 500.0 * cp, lam, False, sa, ra, ia, h)
        ldbks, ldbs, loss_ = _bullington_parts(d, n, htep, hrep, 500.0 / reffp, lam, True, ss, rs, is_, h)
        ldsph = spherical_earth_diffraction(dt, htep, hrep, reffp, f, omega, pol)  # (A.2)
        ld = ldba + max(ldsph - ldbs, 0.0)  # (A.1.1)
        o[L_LD] = ld
        o[L_LDSPH] = ldsph
        o[L_LDBA] = ldba
        o[L_LDBS] = ldbs
        o[L_LDBKA] = ldbka
        o[L_LDBKS] = ldbks
        o[L_FLAGLOSPA] = losa
        o[L_FLAGLOSPS] = loss_
        # ---------------------------------------------------------------- §3.10, §3.11
        gaseous_surface(f, pmap[M_WV_MID], geom[G_HMID], hts, hrs, dt, tmp)
        aosur, awsur, awrsur = tmp[0], tmp[1], tmp[2]
        o[L_AOSUR] = aosur
        o[L_AWSUR] = awsur
        o[L_AWRSUR] = awrsur
        o[L_GAMO] = tmp[3]
        o[L_GAMW] = tmp[4]
        o[L_GAMWR] = tmp[5]
        agsur = aosur + awsur  # (3.10.1)
        o[L_AGSUR] = agsur
        lbfs = free_space_loss(f, math.sqrt(dt * dt + ((hts - hrs) / 1000.0) ** 2))  # (3.11.1)
        o[L_LBFS] = lbfs
        # ---------------------------------------------------------------- sub-model 1, §4.1
        q0ca = multipath_activity(f, dt, hts, hrs, geom[G_DLT], geom[G_DLR], geom[G_HLT], geom[G_HLR],
                                  geom[G_HLO], geom[G_THETAT], geom[G_THETAR], geom[G_SP], pmap[M_ND65M1],
                                  geom[G_PHIMN], geom[G_FLAGLOS50])
        o[L_QOCA] = q0ca
        r0 = M_RAIN
        precipitation_initial(f, q, geom[G_HLO], geom[G_HHI], dt, pol, pmap[r0], pmap[r0 + 1], pmap[r0 + 2],
                              pmap[r0 + 3], rain, gm, pm)  # (4.1.1)
        fwvr = rain[R_FWVR]
        a1 = a_iter(q, q0ca, False, rain, gm, pm)  # (4.1.2)
        o[L_A1] = a1
        o[L_FWVR] = fwvr
        lbm1 = lbfs + ld + a1 + fwvr * (awrsur - awsur) + agsur  # (4.1.4)
        o[L_LBM1] = lbm1
        # ---------------------------------------------------------------- sub-model 2, §4.2
        lba = anomalous_loss(f, dt, hts, hrs, geom[G_HTEA], geom[G_HREA], geom[G_HM], geom[G_THETAT],
                             geom[G_THETAR], geom[G_DLT], geom[G_DLR], geom[G_PHIMN], omega, ae, p, q, geom[G_DCT],
                             geom[G_DCR], geom[G_DTM], geom[G_DLM], tmp)
        o[L_AAC] = tmp[0]
        o[L_AAD] = tmp[1]
        o[L_AAT] = tmp[2]
        o[L_LBA] = lba
        lbm2 = lba + agsur  # (4.2.1)
        o[L_LBM2] = lbm2
        # ---------------------------------------------------------------- sub-model 3, §4.3
        lbs = troposcatter_loss(f, dt, geom[G_THETAT], geom[G_THETAR], geom[G_THETAE], ae, p, pmap[M_ZTROPO],
                                pmap[M_GT], pmap[M_GR], tmp)
        o[L_THETAS] = tmp[0]
        lbs = max(lbs, lbfs)  # (E.17)
        o[L_LBS] = lbs
        dtcv = geom[G_DTCV]
        drcv = geom[G_DRCV]
        r0 = M_RAIN + 4
        precipitation_initial(f, q, hts, geom[G_HCV], dtcv, pol, pmap[r0], pmap[r0 + 1], pmap[r0 + 2],
                              pmap[r0 + 3], rain, gm, pm)  # (4.3.1)
        fwvrt = rain[R_FWVR]
        a2t = a_iter(q, q0ca, True, rain, gm, pm)  # (4.3.2)
        r0 = M_RAIN + 8
        precipitation_initial(f, q, hrs, geom[G_HCV], drcv, pol, pmap[r0], pmap[r0 + 1], pmap[r0 + 2],
                              pmap[r0 + 3], rain, gm, pm)  # (4.3.3)
        fwvrr = rain[R_FWVR]
        a2r = a_iter(q, q0ca, True, rain, gm, pm)  # (4.3.4)
        a2 = (a2t * (1.0 + 0.018 * dtcv) + a2r * (1.0 + 0.018 * drcv)) / (1.0 + 0.018 * dt)  # (4.3.6)
        o[L_A2T] = a2t
        o[L_A2R] = a2r
        o[L_FWVRT] = fwvrt
        o[L_FWVRR] = fwvrr
        o[L_A2] = a2
        aotcv, awtcv, awrtcv = gaseous_terminal_to_cv(f, pmap[M_WV_TX], geom[G_H1], geom[G_THETATPOS], dtcv)  # (F.3.1)
        aorcv, awrcv, awrrcv = gaseous_terminal_to_cv(f, pmap[M_WV_RX], geom[G_HN], geom[G_THETARPOS], drcv)  # (F.3.2)
        aos = aotcv + aorcv  # (F.3.3)
        aws = awtcv + awrcv
        awrs = awrtcv + awrrcv
        o[L_AOTCV] = aotcv
        o[L_AWTCV] = awtcv
        o[L_AWRTCV] = awrtcv
        o[L_AORCV] = aorcv
        o[L_AWRCV] = awrcv
        o[L_AWRRCV] = awrrcv
        o[L_AOS] = aos
        o[L_AWS] = aws
        o[L_AWRS] = awrs
        ags = aos + aws  # (4.3.7)
        o[L_AGS] = ags
        lbm3 = lbs + a2 + 0.5 * (fwvrt + fwvrr) * (awrs - aws) + ags  # (4.3.8)
        o[L_LBM3] = lbm3
        # ---------------------------------------------------------------- sub-model 4, §4.4
        lbm4 = sporadic_e_loss(f, dt, geom[G_THETAT], geom[G_THETAR], geom[G_DLT], geom[G_DLR], ae,
                               foes1_arr[k], foes2_arr[k], tmp)
        o[L_LBES1] = tmp[0]
        o[L_LBES2] = tmp[1]
        o[L_LP1T] = tmp[2]
        o[L_LP1R] = tmp[3]
        o[L_LP2T] = tmp[4]
        o[L_LP2R] = tmp[5]
        o[L_GAM1] = tmp[6]
        o[L_GAM2] = tmp[7]
        o[L_LBM4] = lbm4
        # ---------------------------------------------------------------- §5 combination
        lm = min(lbm1, lbm2)
        lbm12 = lm - 10.0 * math.log10(10.0 ** (-0.1 * (lbm1 - lm)) + 10.0 ** (-0.1 * (lbm2 - lm)))  # (5.1.1)
        o[L_LBM12] = lbm12
        lm = min(lbm12, min(lbm3, lbm4))
        o[L_LB] = lm - 5.0 * math.log10(10.0 ** (-0.2 * (lbm12 - lm)) + 10.0 ** (-0.2 * (lbm3 - lm))
                                        + 10.0 ** (-0.2 * (lbm4 - lm)))  # (5.2.1)


def _geometry_body(d, h, z, n, htg, hrg, lat_t, lon_t, lat_r, lon_r, nd1km50):
    npath = d.shape[0]
    geom = np.empty((npath, N_GEOM))
    for k in prange(npath):
        path_geometry(d[k], h[k], z[k], n[k], htg[k], hrg[k], lat_t[k], lon_t[k], lat_r[k], lon_r[k], nd1km50[k],
                      geom[k])
    return geom


geometry_batch, geometry_serial = _twins(
    _geometry_body, "geometry_batch",
    """:func:`~spectrum.kernels.p2001_geometry.path_geometry` over padded profiles ``(n_paths, n_max)``.

    Scalars are arrays of length ``n_paths``; returns ``(n_paths, N_GEOM)``.
    """)


def _losses_body(d, h, n, geom, f, p, nd1kmp, foes1, foes2, pmap):
    npath, ncase = f.shape
    out = np.empty((npath, ncase, N_LOSS))
    for k in prange(npath):
        path_losses(d[k], h[k], n[k], geom[k], f[k], p[k], nd1kmp[k], foes1[k], foes2[k], pmap[k], out[k])
    return out


losses_batch, losses_serial = _twins(
    _losses_body, "losses_batch",
    """:func:`path_losses` over paths: ``f, p, nd1kmp, foes1, foes2`` are ``(n_paths, n_cases)``
    (NaN-padded), ``pmap`` is ``(n_paths, N_PMAP)``; returns ``(n_paths, n_cases, N_LOSS)``.
    """)
