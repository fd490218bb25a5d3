"""Rec. ITU-R P.2001-4 path geometry and profile analysis (§3.2-§3.9, Attachments D.1, D.4.1, H).

Numba kernels, float64 in and out. :func:`path_geometry` fills a vector ``geom``
(indices ``G_*``) with everything that depends on the profile, the terminals and the
median refractivity gradient ``Nd1km50`` only -- not on the frequency nor on the time
percentage -- so one geometry serves every (f, p) of a path (STYLE.md rule 8).

Profiles are ``d`` (km from the transmitter, ascending, ``d[0] == 0``), ``h`` (m amsl)
and ``z`` (radio-climatic zone per point: 1 sea, 3 coastal land, 4 inland) with ``n``
valid points, so padded rows of a batch are passed without copying.
Profile indices stored in ``geom`` are 0-based (the Recommendation's are 1-based).
"""
from __future__ import annotations

import math

from ._jit import jit

#: mean Earth radius used by P.2001 (km)
RE_KM = 6371.0

# ----------------------------------------------------------------------------- geometry slots
G_DT = 0          # path length, §3.2 [km]
G_HTS = 1         # Tx antenna altitude, Eq. (3.3.1a) [m]
G_HRS = 2         # Rx antenna altitude, Eq. (3.3.1b) [m]
G_H1 = 3          # ground height at Tx [m]
G_HN = 4          # ground height at Rx [m]
G_HMID = 5        # ground height at the profile mid-point, Eq. (3.2.2) [m]
G_HHI = 6         # Eq. (3.3.2a) [m]
G_HLO = 7         # Eq. (3.3.2b) [m]
G_SP = 8          # positive path inclination, Eq. (3.3.3) [mrad]
G_OMEGA = 9       # fraction of the path over sea, §3.2
G_FLAGSEA = 10    # 1 when omega >= 0.75
G_PHIME = 11      # mid-point longitude [deg]
G_PHIMN = 12      # mid-point latitude [deg]
G_BT2R = 13       # bearing Tx -> Rx, Eq. (H.2.6) [deg]
G_DGC = 14        # great-circle length, Eq. (H.2.4) [km]
G_REFF50 = 15     # median effective Earth radius, Eq. (3.5.1) [km]
G_THETAE = 16     # path angle at the centre of the effective Earth, Eq. (3.5.4) [rad]
G_THETAT = 17     # Tx horizon elevation, Eq. (3.7.5a)/(3.7.7) [mrad]
G_THETAR = 18     # Rx horizon elevation, Eq. (3.7.5b)/(3.7.10) [mrad]
G_THETATPOS = 19  # Eq. (3.7.11a) [mrad]
G_THETARPOS = 20  # Eq. (3.7.11b) [mrad]
G_DLT = 21        # Tx horizon distance [km]
G_DLR = 22        # Rx horizon distance [km]
G_ILT = 23        # profile index of the Tx horizon point (0-based)
G_ILR = 24        # profile index of the Rx horizon point (0-based)
G_HSTIP = 25      # Eq. (3.8.3a) [m]
G_HSRIP = 26      # Eq. (3.8.3b) [m]
G_HSTIPA = 27     # Eq. (3.8.4a) [m]
G_HSRIPA = 28     # Eq. (3.8.4b) [m]
G_HTEA = 29       # Eq. (3.8.6a) [m]
G_HREA = 30       # Eq. (3.8.6b) [m]
G_MSES = 31       # smooth-surface slope, Eq. (3.8.5) [m/km]
G_HM = 32         # path roughness, Eq. (3.8.7) [m]
G_HST = 33        # smooth-surface height at Tx for diffraction, Eq. (3.8.10a) [m]
G_HSR = 34        # Eq. (3.8.10b) [m]
G_HTEP = 35       # Eq. (3.8.11a) [m]
G_HREP = 36       # Eq. (3.8.11b) [m]
G_FLAGLOS50 = 37  # 1 line of sight for median refractivity, §3.7
G_DTCV = 38       # Eq. (3.9.1a) [km]
G_DRCV = 39       # Eq. (3.9.1b) [km]
G_PHICVE = 40     # common-volume longitude [deg]
G_PHICVN = 41     # common-volume latitude [deg]
G_HCV = 42        # common-volume height, Eq. (3.9.2) [m]
G_PHITCVE = 43    # mid-point of the Tx-cv segment [deg]
G_PHITCVN = 44
G_PHIRCVE = 45    # mid-point of the Rx-cv segment [deg]
G_PHIRCVN = 46
G_DCT = 47        # Tx distance to the sea, Eq. (D.4.1a) [km]
G_DCR = 48        # Rx distance to the sea, Eq. (D.4.1b) [km]
G_DTM = 49        # longest continuous land section, §D.1 [km]
G_DLM = 50        # longest continuous inland section, §D.1 [km]
G_PHI1QE = 51     # one-quarter point, §G.3 [deg]
G_PHI1QN = 52
G_PHI3QE = 53     # three-quarter point [deg]
G_PHI3QN = 54
G_FLAGSHORT = 55  # 1 when d < 0.1 km
G_HLT = 56        # ground height at the Tx horizon point [m]
G_HLR = 57        # ground height at the Rx horizon point [m]
G_NPTS = 58       # number of profile points
N_GEOM = 59


@jit
def _sind(x):
    return math.sin(math.radians(x))


@jit
def _cosd(x):
    return math.cos(math.radians(x))


@jit
def great_circle_bearing(lat_t, lon_t, lat_r, lon_r):
    """Bearing Tx -> Rx [deg] and great-circle length [km], P.2001-4 Attachment H.2, Eqs. (H.2.1)-(H.2.6)."""
    dlon = lon_r - lon_t  # (H.2.1)
    r = _sind(lat_t) * _sind(lat_r) + _cosd(lat_t) * _cosd(lat_r) * _cosd(dlon)  # (H.2.2)
    r = min(1.0, max(-1.0, r))
    dgc = math.acos(r) * RE_KM  # (H.2.3), (H.2.4)
    x1 = _sind(lat_r) - r * _sind(lat_t)  # (H.2.5a)
    y1 = _cosd(lat_t) * _cosd(lat_r) * _sind(dlon)  # (H.2.5b)
    if abs(x1) < 1e-9 and abs(y1) < 1e-9:
        bt2r = lon_r  # (H.2.6), coincident terminals
    else:
        bt2r = math.degrees(math.atan2(y1, x1))
    return bt2r, dgc


@jit
def great_circle_point(lat_t, lon_t, bt2r, dpnt_km):
    """Longitude and latitude [deg] of the point ``dpnt_km`` from Tx, Attachment H.3, Eqs. (H.3.1)-(H.3.5)."""
    phi = dpnt_km / RE_KM  # (H.3.1)
    s = _sind(lat_t) * math.cos(phi) + _cosd(lat_t) * math.sin(phi) * _cosd(bt2r)  # (H.3.2)
    s = min(1.0, max(-1.0, s))
    lat = math.degrees(math.asin(s))  # (H.3.3)
    x2 = math.cos(phi) - s * _sind(lat_t)  # (H.3.4a)
    y2 = _cosd(lat_t) * math.sin(phi) * _sind(bt2r)  # (H.3.4b)
    if abs(x2) < 1e-9 and abs(y2) < 1e-9:
        lon = bt2r  # (H.3.5), point at a pole: longitude undefined
    else:
        lon = lon_t + math.degrees(math.atan2(y2, x2))  # (H.3.5)
    return lon, lat


@jit
def _in_class(zv, cls):
    # cls 1: sea, 4: inland, 34: land (coastal or inland)
    if cls == 34:
        return zv == 3.0 or zv == 4.0
    return zv == cls


@jit
def zone_sections(d, z, n, cls, longest):
    """Sum (``longest`` False) or longest (True) of the continuous sections of class ``cls``. [km]

    Each section runs between the mid-points of the spacings either side of its first and
    last profile points (or the path end), P.2001-4 §3.2 (fraction over sea) and §D.1.
    ``cls``: 1 sea, 4 inland, 34 land (coastal 3 or inland 4).
    """
    total = 0.0
    best = 0.0
    i = 0
    while i < n:
        if not _in_class(z[i], cls):
            i += 1
            continue
        start = i
        while i + 1 < n and _in_class(z[i + 1], cls):
            i += 1
        stop = i
        lo = d[start] if start == 0 else 0.5 * (d[start] + d[start - 1])
        hi = d[stop] if stop == n - 1 else 0.5 * (d[stop] + d[stop + 1])
        total += hi - lo
        if hi - lo > best:
            best = hi - lo
        i += 1
    return best if longest else total


@jit
def distance_to_sea(d, z, n):
    """Distances from Tx and Rx to the sea towards the other terminal, Eq. (D.4.1). [km]"""
    nt = -1
    nr = -1
    for i in range(n):
        if z[i] == 1.0:
            if nt < 0:
                nt = i
            nr = i
    dt = d[n - 1] - d[0]
    if nt < 0:
        return dt, dt
    dct = 0.0 if nt == 0 else 0.5 * (d[nt] + d[nt - 1]) - d[0]
    dcr = 0.0 if nr == n - 1 else d[n - 1] - 0.5 * (d[nr] + d[nr + 1])
    return dct, dcr


@jit
def path_geometry(d, h, z, n, htg, hrg, lat_t, lon_t, lat_r, lon_r, nd1km50, geom):
    """Frequency- and time-independent path parameters, Rec. ITU-R P.2001-4 §3.2-§3.9.

    Parameters
    ----------
    d, h, z : ndarray
        Profile distance [km], height amsl [m], zone code (1 sea, 3 coastal land, 4 inland);
        first ``n`` points used (n >= 3).
    htg, hrg : float
        Antenna heights above ground [m].
    lat_t, lon_t, lat_r, lon_r : float
        Terminal positions [deg].
    nd1km50 : float
        Median refractivity gradient in the lowest 1 km, Eq. (3.4.1.1) [N-units/km].
    geom : ndarray, shape (N_GEOM,)
        Receives the ``G_*`` slots.
    """
    dt = d[n - 1]  # (3.2.1)
    geom[G_DT] = dt
    geom[G_NPTS] = n
    geom[G_FLAGSHORT] = 1.0 if dt < 0.1 else 0.0
    bt2r, dgc = great_circle_bearing(lat_t, lon_t, lat_r, lon_r)
    geom[G_BT2R] = bt2r
    geom[G_DGC] = dgc
    lon, lat = great_circle_point(lat_t, lon_t, bt2r, 0.5 * dt)
    geom[G_PHIME] = lon
    geom[G_PHIMN] = lat
    if n % 2 == 1:  # (3.2.2a)
        hmid = h[(n - 1) // 2]
    else:  # (3.2.2b)
        hmid = 0.5 * (h[n // 2 - 1] + h[n // 2])
    geom[G_HMID] = hmid
    omega = zone_sections(d, z, n, 1, False) / dt
    geom[G_OMEGA] = omega
    geom[G_FLAGSEA] = 1.0 if omega >= 0.75 else 0.0
    # §3.3 antenna altitudes and path inclination
    hts = htg + h[0]
    hrs = hrg + h[n - 1]
    geom[G_HTS] = hts
    geom[G_HRS] = hrs
    geom[G_H1] = h[0]
    geom[G_HN] = h[n - 1]
    hhi = max(hts, hrs)
    hlo = min(hts, hrs)
    geom[G_HHI] = hhi
    geom[G_HLO] = hlo
    geom[G_SP] = (hhi - hlo) / dt  # (3.3.3)
    # §3.5 median effective Earth radius
    ae = 157.0 * RE_KM / (157.0 + nd1km50)  # (3.5.1)
    geom[G_REFF50] = ae
    theta_e = dt / ae  # (3.5.4)
    geom[G_THETAE] = theta_e
    # §3.7 path classification and terminal horizon parameters
    c500 = 500.0 / ae
    theta_tim = -1e300
    ilt = 1
    for i in range(1, n - 1):
        th = (h[i] - hts) / d[i] - c500 * d[i]  # (3.7.1)
        if th >= theta_tim:  # last maximum
            theta_tim = th
            ilt = i
    theta_tr = (hrs - hts) / dt - c500 * dt  # (3.7.2)
    if theta_tim < theta_tr:
        los = 1.0
        numax = -1e300
        for i in range(1, n - 1):
            di = d[i]
            dr = dt - di
            nu = (h[i] + c500 * di * dr - (hts * dr + hrs * di) / dt) * math.sqrt(0.002 * dt / (di * dr))  # (3.7.3)
            if nu >= numax:
                numax = nu
                ilt = i
        dlt = d[ilt]  # (3.7.4a)
        dlr = dt - dlt  # (3.7.4b)
        ilr = ilt  # (3.7.4d)
        theta_t = theta_tr  # (3.7.5a)
        theta_r = -theta_tr - 1000.0 * dt / ae  # (3.7.5b)
    else:
        los = 0.0
        dlt = d[ilt]  # (3.7.6)
        theta_t = theta_tim  # (3.7.7)
        theta_rim = -1e300
        ilr = 1
        for i in range(1, n - 1):
            dr = dt - d[i]
            th = (h[i] - hrs) / dr - c500 * dr  # (3.7.8)
            if th >= theta_rim:
                theta_rim = th
                ilr = i
        dlr = dt - d[ilr]  # (3.7.9)
        theta_r = theta_rim  # (3.7.10)
    geom[G_FLAGLOS50] = los
    geom[G_THETAT] = theta_t
    geom[G_THETAR] = theta_r
    thtpos = max(theta_t, 0.0)  # (3.7.11a)
    thrpos = max(theta_r, 0.0)  # (3.7.11b)
    geom[G_THETATPOS] = thtpos
    geom[G_THETARPOS] = thrpos
    geom[G_DLT] = dlt
    geom[G_DLR] = dlr
    geom[G_ILT] = ilt
    geom[G_ILR] = ilr
    geom[G_HLT] = h[ilt]
    geom[G_HLR] = h[ilr]
    # §3.8 effective heights and path roughness
    v1 = 0.0
    v2 = 0.0
    for i in range(1, n):
        dd = d[i] - d[i - 1]
        v1 += dd * (h[i] + h[i - 1])  # (3.8.1)
        v2 += dd * (h[i] * (2.0 * d[i] + d[i - 1]) + h[i - 1] * (d[i] + 2.0 * d[i - 1]))  # (3.8.2)
    hstip = (2.0 * v1 * dt - v2) / (dt * dt)  # (3.8.3a)
    hsrip = (v2 - v1 * dt) / (dt * dt)  # (3.8.3b)
    hstipa = min(hstip, h[0])  # (3.8.4a)
    hsripa = min(hsrip, h[n - 1])  # (3.8.4b)
    mses = (hsripa - hstipa) / dt  # (3.8.5)
    geom[G_HSTIP] = hstip
    geom[G_HSRIP] = hsrip
    geom[G_HSTIPA] = hstipa
    geom[G_HSRIPA] = hsripa
    geom[G_MSES] = mses
    geom[G_HTEA] = hts - hstipa  # (3.8.6a)
    geom[G_HREA] = hrs - hsripa  # (3.8.6b)
    hm = -1e300
    for i in range(ilt, ilr + 1):
        hm = max(hm, h[i] - (hstipa + mses * d[i]))  # (3.8.7)
    geom[G_HM] = hm
    hobs = -1e300
    aobt = -1e300
    aobr = -1e300
    for i in range(1, n - 1):
        hh = h[i] - (hts * (dt - d[i]) + hrs * d[i]) / dt  # (3.8.8d)
        hobs = max(hobs, hh)  # (3.8.8a)
        aobt = max(aobt, hh / d[i])  # (3.8.8b)
        aobr = max(aobr, hh / (dt - d[i]))  # (3.8.8c)
    if hobs <= 0.0:
        hst = hstip  # (3.8.9a)
        hsr = hsrip  # (3.8.9b)
    else:
        gt = aobt / (aobt + aobr)  # (3.8.9e)
        gr = aobr / (aobt + aobr)  # (3.8.9f)
        hst = hstip - hobs * gt  # (3.8.9c)
        hsr = hsrip - hobs * gr  # (3.8.9d)
    if hst > h[0]:
        hst = h[0]  # (3.8.10a)
    if hsr > h[n - 1]:
        hsr = h[n - 1]  # (3.8.10b)
    geom[G_HST] = hst
    geom[G_HSR] = hsr
    geom[G_HTEP] = hts - hst  # (3.8.11a)
    geom[G_HREP] = hrs - hsr  # (3.8.11b)
    # §3.9 troposcatter path segments
    tt = math.tan(0.001 * thtpos + 0.5 * theta_e)
    tr = math.tan(0.001 * thrpos + 0.5 * theta_e)
    dtcv = (dt * tr - 0.001 * (hts - hrs)) / (tt + tr)  # (3.9.1a)
    dtcv = min(max(dtcv, 0.0), dt)
    drcv = dt - dtcv  # (3.9.1b)
    geom[G_DTCV] = dtcv
    geom[G_DRCV] = drcv
    lon, lat = great_circle_point(lat_t, lon_t, bt2r, dtcv)
    geom[G_PHICVE] = lon
    geom[G_PHICVN] = lat
    geom[G_HCV] = hts + 1000.0 * dtcv * math.tan(0.001 * thtpos) + 1000.0 * dtcv * dtcv / (2.0 * ae)  # (3.9.2)
    lon, lat = great_circle_point(lat_t, lon_t, bt2r, 0.5 * dtcv)
    geom[G_PHITCVE] = lon
    geom[G_PHITCVN] = lat
    lon, lat = great_circle_point(lat_t, lon_t, bt2r, dt - 0.5 * drcv)
    geom[G_PHIRCVE] = lon
    geom[G_PHIRCVN] = lat
    # Attachment D.1, D.4.1
    dct, dcr = distance_to_sea(d, z, n)
    geom[G_DCT] = dct
    geom[G_DCR] = dcr
    geom[G_DTM] = zone_sections(d, z, n, 34, True)
    geom[G_DLM] = zone_sections(d, z, n, 4, True)
    # Attachment G.3: quarter points
    lon, lat = great_circle_point(lat_t, lon_t, bt2r, 0.25 * dt)
    geom[G_PHI1QE] = lon
    geom[G_PHI1QN] = lat
    lon, lat = great_circle_point(lat_t, lon_t, bt2r, 0.75 * dt)
    geom[G_PHI3QE] = lon
    geom[G_PHI3QN] = lat


@jit
def profile_check(d, h, z, n):
    """One pass over a profile: ``(code, index)`` of the first problem, ``(0, -1)`` if none.

    Codes: 1 non-finite distance, 2 non-finite height, 3 ``d[0] != 0``, 4 distances not
    strictly increasing (index of the later point), 5 height outside [-9000, 9000] m,
    6 zone code not 1, 3 or 4.
    """
    for i in range(n):
        if not math.isfinite(d[i]):
            return 1, i
        if not math.isfinite(h[i]):
            return 2, i
    if d[0] != 0.0:
        return 3, 0
    for i in range(1, n):
        if not d[i] > d[i - 1]:
            return 4, i
    for i in range(n):
        if abs(h[i]) > 9000.0:
            return 5, i
        zv = z[i]
        if not (zv == 1.0 or zv == 3.0 or zv == 4.0):
            return 6, i
    return 0, -1
