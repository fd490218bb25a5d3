"""Rec. ITU-R P.452-18 / P.452-17: path geometry kernels (Attachment 2 §5 profile analysis,
zone statistics, beta0, the f- and p-independent delta-Bullington scans) and the ``G_*`` / ``L_*``
slot constants. Re-exported by :mod:`spectrum.kernels.p452` (see its docstring for the layout).
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit
from .p526 import (bullington_scan, bullington_scan_pair, delta_bullington_from_scan, delta_bullington_inv,
                   delta_bullington_pair_inv, inverse_distances)
from .p676 import gamma_total_pair

# ----------------------------------------------------------------------------- geometry slots
G_DTOT = 0      # path length (of the possibly truncated P.452-17 profile) [km]
G_HTS = 1       # Tx antenna height amsl [m]
G_HRS = 2       # Rx antenna height amsl [m]
G_HST = 3       # smooth-Earth height at Tx for ducting, Eq. (168a) [m]
G_HSR = 4       # smooth-Earth height at Rx for ducting, Eq. (168b) [m]
G_HSTD = 5      # smooth surface height at Tx for diffraction, Eq. (167) [m]
G_HSRD = 6      # smooth surface height at Rx for diffraction [m]
G_HTE = 7       # effective height Tx (ducting), Eq. (170) [m]
G_HRE = 8       # effective height Rx (ducting) [m]
G_HM = 9        # terrain roughness, Eq. (171) [m]
G_DLT = 10      # Tx horizon distance [km]
G_DLR = 11      # Rx horizon distance [km]
G_THETA_T = 12  # Tx horizon elevation [mrad]
G_THETA_R = 13  # Rx horizon elevation [mrad]
G_THETA = 14    # path angular distance, Eq. (159) [mrad]
G_TRANSHORIZON = 15  # 1.0 trans-horizon, 0.0 line of sight
G_STIM = 16     # Eq. (14) on the terrain profile [m/km]
G_STR = 17      # Eq. (15) [m/km]
G_OMEGA = 18    # fraction of the path over sea
G_DTM = 19      # longest continuous land section [km]
G_DLM = 20      # longest continuous inland section [km]
G_B0 = 21       # beta0, Eq. (2) [%]
G_AE = 22       # median effective Earth radius, Eq. (6a) [km]
G_AB = 23       # effective Earth radius exceeded for beta0 % time, Eq. (6b) [km]
G_I0 = 24       # first profile index used (P.452-17 Tx clutter)
G_I1 = 25       # last profile index used (P.452-17 Rx clutter)
G_HTG = 26      # Tx antenna height agl used (P.452-17: ha_t when clutter applies) [m]
G_HRG = 27      # Rx antenna height agl used [m]
G_HTG0 = 28     # Tx antenna height agl as given [m]
G_HRG0 = 29     # Rx antenna height agl as given [m]
G_HA_T = 30     # P.452-17 Tx clutter nominal height (0: none) [m]
G_HA_R = 31
G_DK_T = 32     # P.452-17 Tx clutter nominal distance [km]
G_DK_R = 33
G_LAT = 34      # path-centre latitude [deg]
G_SCAN = 35     # scans_valid(geom) key when the diffraction scans below are stored (path_geometry_full)
G_SA50 = 36     # Bullington scans (Stim, Srim, index of max nu) at ae: actual profile ...
G_RA50 = 37
G_IA50 = 38
G_SS50 = 39     # ... and smooth profile (heights hts - hstd, hrs - hsrd)
G_RS50 = 40
G_IS50 = 41
G_SAB = 42      # the same at a_beta
G_RAB = 43
G_IAB = 44
G_SSB = 45
G_RSB = 46
G_ISB = 47
N_GEOM = 48

# ----------------------------------------------------------------------------- loss slots
L_LB = 0        # basic transmission loss not exceeded for p % time, Eq. (64)
L_LBFSG = 1     # free space + gases, Eq. (8)
L_LB0P = 2      # LoS with multipath/focusing at p %, Eq. (11)
L_LB0B = 3      # LoS at beta0 %, Eq. (12)
L_LDSPH = 4     # spherical-Earth diffraction at ae (delta-Bullington Ldsph, 50 %)
L_LD50 = 5      # median diffraction loss
L_LDP = 6       # diffraction loss not exceeded for p %, Eq. (42)
L_LBS = 7       # troposcatter, Eq. (45)
L_LBA = 8       # ducting / layer reflection, Eq. (46)
L_LBD = 9       # Lb0p + Ldp, Eq. (44)
L_LBAM = 10     # Eq. (63)
L_AHT = 11      # P.452-17 Tx clutter loss, Eq. (57)
L_AHR = 12      # P.452-17 Rx clutter loss
N_LOSS = 13


@jit
def inv_cum_norm(x):
    """Approximate inverse cumulative normal I(x), P.452-18 Attachment 3 Eq. (172); x clamped >= 1e-6."""
    if x < 0.000001:
        x = 0.000001
    tx = math.sqrt(-2.0 * math.log(x))
    ksi = ((0.010328 * tx + 0.802853) * tx + 2.515516698) / (((0.001308 * tx + 0.189269) * tx + 1.432788) * tx + 1.0)
    return ksi - tx


@jit
def beta0(lat, dtm, dlm):
    """Time percentage beta0 of anomalous gradients, P.452-18 Eqs. (2)-(4). [%]"""
    tau = 1.0 - math.exp(-(4.12e-4 * dlm ** 2.41))  # Eq. (3a)
    mu1 = (10.0 ** (-dtm / (16.0 - 6.6 * tau)) + 10.0 ** (-5.0 * (0.496 + 0.354 * tau))) ** 0.2  # Eq. (3)
    if mu1 > 1.0:
        mu1 = 1.0
    alat = abs(lat)
    if alat <= 70.0:
        mu4 = 10.0 ** ((-0.935 + 0.0176 * alat) * math.log10(mu1))  # Eq. (4)
        return 10.0 ** (-0.015 * alat + 1.67) * mu1 * mu4  # Eq. (2)
    mu4 = 10.0 ** (0.3 * math.log10(mu1))
    return 4.17 * mu1 * mu4


@jit
def _interval(d, n, i):
    if i == 0:
        return 0.5 * (d[1] - d[0])
    if i == n - 1:
        return 0.5 * (d[n - 1] - d[n - 2])
    return 0.5 * (d[i + 1] - d[i - 1])


@jit
def zone_statistics(d, zone, n, out):
    """omega (sea fraction), dtm (longest land run) and dlm (longest inland run), P.452-18 §3.2.1.

    ``zone`` codes: 1 coastal land, 2 inland, 3 sea. Each point stands for half the
    intervals on either side. Writes ``out[0:3] = omega, dtm, dlm``.
    """
    z0 = zone[0]
    nother = 0
    for i in range(1, n):  # branch-free count (vectorises)
        nother += zone[i] != z0
    if nother == 0:  # one zone: the point weights sum to the path length
        dtot = d[n - 1] - d[0]
        out[0] = 1.0 if z0 == 3.0 else 0.0
        out[1] = 0.0 if z0 == 3.0 else dtot
        out[2] = dtot if z0 == 2.0 else 0.0
        return
    sea = 0.0
    dtm = 0.0
    dlm = 0.0
    run_land = 0.0
    run_inland = 0.0
    for i in range(n):
        w = _interval(d, n, i)
        z = zone[i]
        if z == 3.0:
            sea += w
            run_land = 0.0
        else:
            run_land += w
            if run_land > dtm:
                dtm = run_land
        if z == 2.0:
            run_inland += w
            if run_inland > dlm:
                dlm = run_inland
        else:
            run_inland = 0.0
    out[0] = sea / (d[n - 1] - d[0])
    out[1] = dtm
    out[2] = dlm


@jit
def clutter_profile(d, h, r, n, g):
    """Terrain + representative clutter heights, P.452-18 §4 Step 4 (Table 4 / §3.2.1).

    ``g_i = h_i + R_i`` except ``g_i = h_i`` within 50 m of either terminal.
    """
    dtot = d[n - 1]
    for i in range(n):
        if d[i] < 0.05 or d[i] > dtot - 0.05:
            g[i] = h[i]
        else:
            g[i] = h[i] + r[i]


@jit
def _smooth_geometry(d, h, n, htg, hrg, ae, inv_d, inv_r, geom):
    # P.452-18 Attachment 2 §5.1 on the (possibly truncated) profile d[0..n-1], d[0] == 0.
    _smooth_geometry_scan(d, h, h, n, htg, hrg, ae, 0.0, inv_d, inv_r, geom, False)


@jit
def _smooth_geometry_scan(d, h, g, n, htg, hrg, ae, ab, inv_d, inv_r, geom, scan):
    # P.452-18 Attachment 2 §5.1 on the (possibly truncated) profile d[0..n-1], d[0] == 0,
    # in one pass over the profile. With ``scan``, the same pass also makes the
    # actual-profile Bullington scans of ``g`` at ae and ab (as bullington_scan_pair, same
    # arithmetic) and stores them in the G_SA50.. / G_SAB.. slots.
    dtot = d[n - 1]
    hts = h[0] + htg
    hrs = h[n - 1] + hrg
    v1 = 0.0  # Eq. (161)
    v2 = 0.0  # Eq. (162)
    half_ae = 1.0 / (2.0 * ae)
    ce500 = 500.0 / ae
    c_t = hts / dtot
    c_r = hrs / dtot
    hobs = -1e300  # Eq. (165)
    aobt = -1e300
    aobr = -1e300
    # horizon elevation arguments of Eqs. (152), (157) (atan is monotonic) and the point of
    # highest nu, Eq. (16), ranked by sign(nu) nu^2 up to a positive constant
    tmax_t = -1e300
    lt = 1
    tmax_r = -1e300
    lr = 1
    qmax = -1e300
    lb = 1
    # Bullington scans of g (bullington_scan_pair): ce1 = 500 / ae, ce2 = 500 / ab
    ce2 = 500.0 / ab if scan else 0.0
    # the diffraction profile g is the terrain h (no clutter, or P.452-17): share the ae maxima
    same = g.ctypes.data == h.ctypes.data and g.strides[0] == h.strides[0]
    stim1 = -1e300
    srim1 = -1e300
    q1 = -1e300
    i1 = 1
    stim2 = -1e300
    srim2 = -1e300
    q2 = -1e300
    i2 = 1
    for i in range(1, n - 1):
        di = d[i]
        dp = d[i - 1]
        hi = h[i]
        hp = h[i - 1]
        ddd = di - dp
        v1 += ddd * (hi + hp)
        v2 += ddd * (hi * (2.0 * di + dp) + hp * (di + 2.0 * dp))
        dr = dtot - di
        idi = inv_d[i]
        iri = inv_r[i]
        hh = hi - (c_t * dr + c_r * di)  # Eq. (165d)
        hobs = max(hobs, hh)
        aobt = max(aobt, hh * idi)  # Eq. (165b)
        aobr = max(aobr, hh * iri)  # Eq. (165c)
        # Eq. (14) Stim = max (h_i + 500 Ce d_i (d - d_i) - hts) / d_i = 1000 tmax_t + 500 Ce d:
        # taken at the horizon point lt below, not as a separate maximum
        x = (hi - hts) * 0.001 * idi - di * half_ae
        if x > tmax_t:
            tmax_t = x
            lt = i
        x = (hi - hrs) * 0.001 * iri - dr * half_ae
        if x > tmax_r:
            tmax_r = x
            lr = i
        if scan:
            gi = g[i]
            dd = di * dr
            if not same:
                hb = gi + ce500 * dd
                stim1 = max(stim1, (hb - hts) * idi)
                srim1 = max(srim1, (hb - hrs) * iri)
            hb = gi + ce2 * dd
            stim2 = max(stim2, (hb - hts) * idi)
            srim2 = max(srim2, (hb - hrs) * iri)
    # The points of highest nu (Eq. (16)) matter only on line-of-sight paths (the geometry's
    # Bullington point, and imax of a LoS Bullington scan, Eqs. (16)-(17)): found in a second
    # pass only when one of them is LoS, which most long paths are not.
    str_ = (hrs - hts) / dtot  # Eq. (15)
    theta_t = 1000.0 * math.atan(tmax_t)
    theta_td = 1000.0 * math.atan((hrs - hts) / (1000.0 * dtot) - dtot * half_ae)  # Eq. (153)
    is_trans = theta_t > theta_td  # Eq. (150)
    if scan and same:
        # g is h: the ae scan of g is the geometry's own maxima (Eq. (14) at lt, Eq. (18) at lr,
        # highest nu at lb), evaluated with bullington_scan's arithmetic
        dd = d[lt] * (dtot - d[lt])
        stim1 = (h[lt] + ce500 * dd - hts) * inv_d[lt]
        dd = d[lr] * (dtot - d[lr])
        srim1 = (h[lr] + ce500 * dd - hrs) * inv_r[lr]
    need_b = (not is_trans) or (scan and same and stim1 < str_)
    need_1 = scan and not same and stim1 < str_
    need_2 = scan and stim2 < str_
    if need_b or need_1 or need_2:
        for i in range(1, n - 1):
            di = d[i]
            dr = dtot - di
            idi = inv_d[i]
            iri = inv_r[i]
            if need_b:
                hb = h[i] - (c_t * dr + c_r * di) + ce500 * di * dr
                q = hb * abs(hb) * idi * iri
                if q > qmax:
                    qmax = q
                    lb = i
            if need_1 or need_2:
                gi = g[i]
                dd = di * dr
                base = gi - (c_t * dr + c_r * di)
                if need_1:
                    hb = base + ce500 * dd
                    q = hb * abs(hb) * idi * iri
                    if q > q1:
                        q1 = q
                        i1 = i
                if need_2:
                    hb = base + ce2 * dd
                    q = hb * abs(hb) * idi * iri
                    if q > q2:
                        q2 = q
                        i2 = i
    ddd = d[n - 1] - d[n - 2]
    v1 += ddd * (h[n - 1] + h[n - 2])
    v2 += ddd * (h[n - 1] * (2.0 * d[n - 1] + d[n - 2]) + h[n - 2] * (d[n - 1] + 2.0 * d[n - 2]))
    hst = (2.0 * v1 * dtot - v2) / (dtot * dtot)  # Eq. (163)
    hsr = (v2 - v1 * dtot) / (dtot * dtot)  # Eq. (164)
    stim = (h[lt] + ce500 * d[lt] * (dtot - d[lt]) - hts) * inv_d[lt]  # Eq. (14) at its maximum
    if scan and same:
        i1 = lb
    if scan:
        geom[G_SA50] = stim1
        geom[G_RA50] = srim1
        geom[G_IA50] = i1
        geom[G_SAB] = stim2
        geom[G_RAB] = srim2
        geom[G_IAB] = i2
    # diffraction smooth-surface heights, Eqs. (166)-(167)
    if hobs <= 0.0:
        hstp = hst
        hsrp = hsr
    else:
        hstp = hst - hobs * aobt / (aobt + aobr)
        hsrp = hsr - hobs * aobr / (aobt + aobr)
    hstd = h[0] if hstp > h[0] else hstp
    hsrd = h[n - 1] if hsrp > h[n - 1] else hsrp
    if is_trans:  # Eq. (150): trans-horizon
        trans = 1.0
        theta_r = 1000.0 * math.atan(tmax_r)
        dlt = d[lt]  # Eq. (155)
        dlr = dtot - d[lr]  # Eq. (158)
        ilt = lt
        ilr = lr
    else:
        trans = 0.0
        theta_t = theta_td
        theta_r = 1000.0 * math.atan((hts - hrs) / (1000.0 * dtot) - dtot * half_ae)  # Eq. (156a)
        dlt = d[lb]  # §5.1.3 / 5.1.5: the Bullington point of the 50 % diffraction method
        dlr = dtot - d[lb]
        ilt = lb
        ilr = lb
    theta = 1000.0 * dtot / ae + theta_t + theta_r  # Eq. (159)
    if ilr < ilt:
        ilt, ilr = ilr, ilt
    hst, hsr, hte, hre, hm = ducting_heights(d, h, n, dtot, htg, hrg, hst, hsr, ilt, ilr)
    geom[G_DTOT] = dtot
    geom[G_HTS] = hts
    geom[G_HRS] = hrs
    geom[G_HST] = hst
    geom[G_HSR] = hsr
    geom[G_HSTD] = hstd
    geom[G_HSRD] = hsrd
    geom[G_HTE] = hte
    geom[G_HRE] = hre
    geom[G_HM] = hm
    geom[G_DLT] = dlt
    geom[G_DLR] = dlr
    geom[G_THETA_T] = theta_t
    geom[G_THETA_R] = theta_r
    geom[G_THETA] = theta
    geom[G_TRANSHORIZON] = trans
    geom[G_STIM] = stim
    geom[G_STR] = (hrs - hts) / dtot  # Eq. (15)
    geom[G_HTG] = htg
    geom[G_HRG] = hrg


@jit
def ducting_heights(d, h, n, dtot, htg, hrg, hst, hsr, i0, i1):
    """Ducting / layer-reflection smooth-Earth and effective heights and terrain roughness.

    P.452-18 Attachment 2 §5.1.6.4 Eqs. (168)-(171); the same formulas are P.1812-6
    Attachment 1 Eqs. (90)-(93).

    Parameters
    ----------
    d, h : ndarray
        Distances [km] and heights [m]; first ``n`` points used.
    dtot : float
        Path length [km].
    htg, hrg : float
        Antenna heights above ground [m].
    hst, hsr : float
        Smooth-Earth surface heights at Tx / Rx from the least-squares fit [m] (Eq. (167)).
    i0, i1 : int
        Index range of Eq. (171), inclusive (horizon points; the caller orders them).

    Returns
    -------
    hst, hsr, hte, hre, hm : float
        Eq. (168) heights (limited by the terminal ground), effective heights
        Eq. (170) and roughness hm Eq. (171) [m] (``-1e300`` when ``i1 < i0``).
    """
    hst = min(hst, h[0])  # Eq. (168a)
    hsr = min(hsr, h[n - 1])  # Eq. (168b)
    m = (hsr - hst) / dtot  # Eq. (169)
    hte = htg + h[0] - hst  # Eq. (170a)
    hre = hrg + h[n - 1] - hsr  # Eq. (170b)
    hm = -1e300
    for i in range(i0, i1 + 1):  # Eq. (171)
        v = h[i] - (hst + m * d[i])
        if v > hm:
            hm = v
    return hst, hsr, hte, hre, hm


@jit
def path_geometry(d, h, zone, n, htg, hrg, dn, lat, version, ha_t, ha_r, dk_t, dk_r, geom):
    """Frequency- and time-independent path parameters, P.452-18 Attachment 2 §5.

    See :func:`path_geometry_inv` for the parameters (this allocates the inverse distances).
    """
    inv_d = np.empty(n)
    inv_r = np.empty(n)
    inverse_distances(d, n, inv_d, inv_r)
    path_geometry_inv(d, h, zone, n, htg, hrg, dn, lat, version, ha_t, ha_r, dk_t, dk_r, inv_d, inv_r, geom)


@jit
def path_geometry_inv(d, h, zone, n, htg, hrg, dn, lat, version, ha_t, ha_r, dk_t, dk_r, inv_d, inv_r, geom):
    """Frequency- and time-independent path parameters, P.452-18 Attachment 2 §5.

    Parameters
    ----------
    d, h, zone : ndarray
        Distances from Tx [km] (``d[0] == 0``), terrain heights amsl [m] and zone codes
        (1 coastal land, 2 inland, 3 sea) as float; first ``n`` points used.
    htg, hrg : float
        Antenna heights above ground [m].
    dn : float
        Average radio-refractivity lapse rate through the lowest 1 km, DN [N-units/km].
    lat : float
        Path-centre latitude [deg] (for beta0).
    version : int
        18 or 17.
    ha_t, ha_r, dk_t, dk_r : float
        P.452-17 §4.5 terminal clutter nominal heights [m] and distances [km]
        (ignored for version 18; ``ha <= antenna height`` means no clutter).
    inv_d, inv_r : ndarray
        ``1/d_i`` and ``1/(d_n - d_i)`` for the intermediate points
        (:func:`spectrum.kernels.p526.inverse_distances`), shared with the losses.
    geom : ndarray, shape (N_GEOM,)
        Receives the geometry (``G_*`` slots).
    """
    _geometry(d, h, h, zone, n, htg, hrg, dn, lat, version, ha_t, ha_r, dk_t, dk_r, inv_d, inv_r, geom, False)


@jit
def _geometry(d, h, g, zone, n, htg, hrg, dn, lat, version, ha_t, ha_r, dk_t, dk_r, inv_d, inv_r, geom, scan):
    # path_geometry_inv; with ``scan``, also the diffraction scans of ``g`` (path_diffraction_scans),
    # the actual-profile ones in the same pass over the profile as the smooth-Earth geometry
    zs = np.empty(3)
    zone_statistics(d, zone, n, zs)
    ae = 6371.0 * 157.0 / (157.0 - dn)  # Eqs. (5), (6a)
    geom[G_OMEGA] = zs[0]
    geom[G_DTM] = zs[1]
    geom[G_DLM] = zs[2]
    geom[G_B0] = beta0(lat, zs[1], zs[2])
    geom[G_AE] = ae
    geom[G_AB] = 6371.0 * 3.0  # Eq. (6b)
    geom[G_LAT] = lat
    geom[G_SCAN] = np.nan  # no stored scans (see scans_valid)
    geom[G_HTG0] = htg
    geom[G_HRG0] = hrg
    i0 = 0
    i1 = n - 1
    htgc = htg
    hrgc = hrg
    if version == 17:
        # P.452-17 §4.5.4 step 1: move the terminals to the nominal clutter points
        if ha_t > htg:
            i0 = n - 1
            for k in range(n):
                if d[k] >= dk_t:
                    i0 = k
                    break
            htgc = ha_t
        if ha_r > hrg:
            i1 = 0
            for k in range(n - 1, -1, -1):
                if d[k] <= d[n - 1] - dk_r:
                    i1 = k
                    break
            hrgc = ha_r
    geom[G_HA_T] = ha_t if version == 17 else 0.0
    geom[G_HA_R] = ha_r if version == 17 else 0.0
    geom[G_DK_T] = dk_t if version == 17 else 0.0
    geom[G_DK_R] = dk_r if version == 17 else 0.0
    geom[G_I0] = i0
    geom[G_I1] = i1
    if i1 - i0 + 1 < 4:
        # too few points left between the clutter points: flag, the API layer reports it
        for k in range(G_DTOT, G_STR + 1):
            geom[k] = np.nan
    elif i0 == 0 and i1 == n - 1:
        _smooth_geometry_scan(d, h, g, n, htgc, hrgc, ae, geom[G_AB], inv_d, inv_r, geom, scan)
        if scan:
            _flat_scans(d, g, n, geom, inv_d, inv_r)
    else:
        m = i1 - i0 + 1
        dc = d[i0:i1 + 1] - d[i0]
        ivd = np.empty(m)
        ivr = np.empty(m)
        inverse_distances(dc, m, ivd, ivr)
        _smooth_geometry_scan(dc, h[i0:i1 + 1], g[i0:i1 + 1], m, htgc, hrgc, ae, geom[G_AB], ivd, ivr, geom, scan)
        if scan:
            _flat_scans(dc, g[i0:i1 + 1], m, geom, ivd, ivr)


@jit
def _scan_key(geom):
    # a value tied to this geometry: the scans count only if G_SCAN holds exactly it, so a
    # geometry vector filled by other code (or left uninitialised) never reads stale scans
    return (geom[G_DTOT] * 1.0000031 + geom[G_HTS] * 0.70710678 + geom[G_HRS] * 0.57735027
            + geom[G_HSTD] * 0.31830989 + geom[G_HSRD] * 0.27182818 + geom[G_AE] * 1.0e-3 + 12345.6789)


@jit
def scans_valid(geom):
    """True when ``geom`` carries the diffraction scans of :func:`path_diffraction_scans`."""
    return geom[G_SCAN] == _scan_key(geom)


@jit
def path_diffraction_scans(d, g, n, geom, inv_d, inv_r):
    """Store the frequency-independent delta-Bullington scans in ``geom`` (sets ``G_SCAN``).

    ``g`` is the profile used for diffraction (terrain + clutter for P.452-18); the scans
    (P.526-16 §4.5.1: Stim, Srim, highest-nu point, for the actual and the smooth profile,
    at ae and a_beta) are then reused by :func:`path_losses_gas_inv` for every (f, p), which
    no longer passes over the profile.
    """
    if math.isnan(geom[G_DTOT]):
        return
    i0 = int(geom[G_I0])
    i1 = int(geom[G_I1])
    if i0 != 0 or i1 != n - 1:
        m = i1 - i0 + 1
        dd = d[i0:i1 + 1] - d[i0]
        gg = g[i0:i1 + 1]
        ivd = np.empty(m)
        ivr = np.empty(m)
        inverse_distances(dd, m, ivd, ivr)
    else:
        m = n
        dd = d
        gg = g
        ivd = inv_d
        ivr = inv_r
    hts = geom[G_HTS]
    hrs = geom[G_HRS]
    ae = geom[G_AE]
    ab = geom[G_AB]
    s1, r1, k1, s2, r2, k2 = bullington_scan_pair(dd, gg, m, hts, hrs, ae, ab, ivd, ivr)
    geom[G_SA50] = s1
    geom[G_RA50] = r1
    geom[G_IA50] = k1
    geom[G_SAB] = s2
    geom[G_RAB] = r2
    geom[G_IAB] = k2
    _flat_scans(dd, gg, m, geom, ivd, ivr)


@jit
def _flat_scans(dd, gg, m, geom, ivd, ivr):
    # smooth-profile Bullington scans (P.526-16 §4.5.2 / P.452-18 Eq. (38)) at ae and ab, after
    # which the stored scans are complete (G_SCAN set)
    hts = geom[G_HTS]
    hrs = geom[G_HRS]
    ae = geom[G_AE]
    ab = geom[G_AB]
    htsp = hts - geom[G_HSTD]
    hrsp = hrs - geom[G_HSRD]
    s1, r1, k1 = bullington_scan(dd, gg, m, htsp, hrsp, ae, True, ivd, ivr)
    geom[G_SS50] = s1
    geom[G_RS50] = r1
    geom[G_IS50] = k1
    s2, r2, k2 = bullington_scan(dd, gg, m, htsp, hrsp, ab, True, ivd, ivr)
    geom[G_SSB] = s2
    geom[G_RSB] = r2
    geom[G_ISB] = k2
    geom[G_SCAN] = _scan_key(geom)


@jit
def path_geometry_full(d, h, g, zone, n, htg, hrg, dn, lat, version, ha_t, ha_r, dk_t, dk_r, inv_d, inv_r, geom):
    """:func:`path_geometry_inv` plus :func:`path_diffraction_scans` on ``g``: everything that
    does not depend on (f, p), so that :func:`path_losses_gas_inv` is O(1) in the profile length."""
    _geometry(d, h, g, zone, n, htg, hrg, dn, lat, version, ha_t, ha_r, dk_t, dk_r, inv_d, inv_r, geom, True)

