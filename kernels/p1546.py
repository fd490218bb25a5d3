"""Rec. ITU-R P.1546-6 kernels: field strength for 1 kW e.r.p., batch over paths.

Arrays in, arrays out (float64). The tabulated curves come in as ``table`` (24, 78, 8) with the
nominal distances ``dist`` (78) and heights ``hgt`` (8) (:mod:`spectrum.propagation.p1546_curves`).
Equation numbers are those of Rec. ITU-R P.1546-6 Annex 5; the step numbers those of Annex 6.

Conventions of the scalar inputs (one path):

* ``area``: receiving/mobile terminal surroundings, 0 sea (adjacent to sea), 1 rural/open,
  2 suburban, 3 urban, 4 dense urban.
* NaN marks an input that is not available: ``hb`` (§3.1.2), ``tca`` (§11), ``eff1``/``eff2``
  (§13), ``ha`` and ``r1`` (§10, §14), ``htter``/``hrter`` (terrain heights for §14 / §15).
* ``compat``: 0 follows the Recommendation's text; 1 reproduces the WP 3K reference code
  (eeveetza/p1546 v6.2) where it departs from the text (docs/models.md, P.1546 section):
  Eq. (11c) log10 over a natural log; no 3 m floor of h1 for the sea part of a mixed path
  (§3); Eq. (10a) with the required rather than the nominal frequency; the terrain clearance
  angle correction (Step 12) also applied to a receiving antenna adjacent to sea; Step 14 at the
  horizontal distance instead of 1 km for paths shorter than 1 km.

Intermediate outputs (``inter`` columns, see :data:`INTER_NAMES`) mirror the WP 3K log files.
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit, prange, twins

INTER_NAMES = ("h1_m", "emax_dbuvm", "e_step11_dbuvm", "tca_nu", "tca_corr_db", "theta_s_deg", "ets_dbuvm",
               "r2p_m", "rx_height_corr_db", "tx_clutter_corr_db", "slope_corr_db", "e_short_dbuvm",
               "e_q_dbuvm", "e_dbuvm", "lb_db", "e_land_dbuvm", "e_sea_dbuvm")
N_INTER = len(INTER_NAMES)



@jit
def j_nu(nu):
    """J(nu) of Eq. (12a) (knife-edge diffraction approximation)."""
    return 6.9 + 20.0 * math.log10(math.sqrt((nu - 0.1) ** 2 + 1.0) + nu - 0.1)


@jit
def _j0(nu):
    """J(nu) for nu > -0.7806, else 0."""
    if nu > -0.7806:
        return j_nu(nu)
    return 0.0


@jit
def qi(x):
    """Inverse complementary cumulative normal distribution, Annex 5 §16, Eqs. (41)."""
    if x <= 0.5:
        tt = math.sqrt(-2.0 * math.log(x))
        c = ((0.010328 * tt + 0.802853) * tt + 2.515517) / (((0.001308 * tt + 0.189269) * tt + 1.432788) * tt + 1.0)
        return tt - c
    y = 1.0 - x
    tt = math.sqrt(-2.0 * math.log(y))
    c = ((0.010328 * tt + 0.802853) * tt + 2.515517) / (((0.001308 * tt + 0.189269) * tt + 1.432788) * tt + 1.0)
    return -(tt - c)


_QI_NOM = (qi.py_func(0.01), qi.py_func(0.10), qi.py_func(0.50))


@jit
def d06(f, h1, h2):
    """0.6 Fresnel clearance path length, Annex 5 §18 Eqs. (43)-(44). [km]"""
    if h1 < 0.0:
        h1 = 0.0
    df = 0.0000389 * f * h1 * h2
    dh = 4.1 * (math.sqrt(h1) + math.sqrt(h2))
    d = df * dh / (df + dh)
    if d < 0.001:
        d = 0.001
    return d


@jit
def emax_sea_land(d, t, frac_sea):
    """Maximum field strength, Annex 5 §2 Eqs. (1)-(3), linear in the sea fraction (Step 19)."""
    efs = 106.9 - 20.0 * math.log10(d)
    if frac_sea == 0.0:
        return efs
    ese = 2.38 * (1.0 - math.exp(-d / 8.94)) * math.log10(50.0 / t)
    return efs + frac_sea * ese


@jit
def _bracket(v, nodes, n):
    """Indices (lo, hi) of the nominal values around v (lo == hi on a node; the two end nodes
    outside the range, for extrapolation)."""
    if v > nodes[n - 1]:
        return n - 2, n - 1
    if v < nodes[0]:
        return 0, 1
    lo = 0
    hi = n - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if nodes[mid] <= v:
            lo = mid
        else:
            hi = mid
    if nodes[lo] == v:
        return lo, lo
    if nodes[hi] == v:
        return hi, hi
    return lo, hi


@jit
def _bracket3(v, a, b, c):
    """Nominal values (lo, hi) around v among a < b < c (Annex 6 Steps 2-3): lo == hi on a
    nominal value; outside [a, c] the two nearest (extrapolation)."""
    if v == a or v == b or v == c:
        return v, v
    if v < b:
        return a, b
    return b, c


@jit
def _dist_weight(d, dist):
    """Bracket (i0, i1) of d among the nominal distances and the log-distance weight of Eq. (13)."""
    i0, i1 = _bracket(d, dist, dist.size)
    if i0 == i1:
        return i0, i1, 0.0
    return i0, i1, math.log10(d / dist[i0]) / math.log10(dist[i1] / dist[i0])


@jit
def _e_dist(table, fig, ih, i0, i1, wd):
    """Field strength on one curve (figure, nominal h1) at the distance of bracket (i0, i1, wd), Eq. (13)."""
    e0 = table[fig, i0, ih]
    if i0 == i1:
        return e0
    return e0 + (table[fig, i1, ih] - e0) * wd


@jit
def _e_dist_at(table, fig, ih, dist, d):
    i0, i1, wd = _dist_weight(d, dist)
    return _e_dist(table, fig, ih, i0, i1, wd)


@jit
def _kv(fnom):
    if fnom == 100.0:
        return 1.35
    if fnom == 600.0:
        return 3.31
    return 6.0


@jit
def _ch1(fnom, h1):
    """Correction Ch1 for h1 < 0, Annex 5 §4.3 case b), Eqs. (12), (12b), (12c)."""
    theta = math.degrees(math.atan(-h1 / 9000.0))
    return 6.03 - _j0(_kv(fnom) * theta)


@jit
def _e_h1(table, fig, h1, dist, hgt, d, dw, hw, emax, is_sea, fnom, f, t, compat):
    """Field strength for the required h1 on one figure (Step 8), Annex 5 §§4.1-4.3; ``dw`` the
    distance bracket of d, ``hw`` the height bracket (j0, j1, log-height weight of Eq. (8))."""
    i0, i1, wd = dw
    if h1 >= 10.0:
        j0, j1, wh = hw
        e0 = _e_dist(table, fig, j0, i0, i1, wd)
        if j0 == j1:
            e = e0
        else:
            e1 = _e_dist(table, fig, j1, i0, i1, wd)
            e = e0 + (e1 - e0) * wh  # Eq. (8)
        return min(e, emax)
    e10 = _e_dist(table, fig, 0, i0, i1, wd)
    e20 = _e_dist(table, fig, 1, i0, i1, wd)
    ezero = e10 + 0.5 * ((e10 - e20) + _ch1(fnom, -10.0))  # Eqs. (9a), (9b)
    if not is_sea:
        if h1 >= 0.0:
            return ezero + 0.1 * h1 * (e10 - ezero)  # Eq. (9)
        return ezero + _ch1(fnom, h1)  # §4.3: field for h1 = 0 plus Ch1
    # sea path, h1 < 10 m: Eqs. (10)-(11)
    fd = f if compat == 1 else fnom
    dh1 = d06(fd, h1, 10.0)
    d20 = d06(fd, 20.0, 10.0)
    if d <= dh1:
        return emax  # Eq. (11a)
    if d < d20:
        e10d = _e_dist_at(table, fig, 0, dist, d20)
        e20d = _e_dist_at(table, fig, 1, dist, d20)
        ed20 = e10d + (e20d - e10d) * math.log10(h1 / 10.0) / math.log10(2.0)
        edh1 = emax_sea_land(dh1, t, 1.0)
        return edh1 + (ed20 - edh1) * math.log10(d / dh1) / math.log10(d20 / dh1)  # Eq. (11b)
    den = math.log(2.0) if compat == 1 else math.log10(2.0)
    e1 = e10 + (e20 - e10) * math.log10(h1 / 10.0) / den  # E' of Eq. (11c)
    e2 = ezero + 0.1 * h1 * (e10 - ezero)  # E'' (Eq. (9))
    fs = (d - d20) / d
    return e1 * (1.0 - fs) + e2 * fs  # Eq. (11c)


@jit
def _fidx(fnom):
    if fnom == 100.0:
        return 0
    if fnom == 600.0:
        return 1
    return 2


@jit
def _figure(fi, tnom, path):
    """Figure index (0-23) for frequency index fi, nominal time, path 0 land 1 cold sea 2 warm sea."""
    if path == 0:
        k = 0 if tnom == 50.0 else (1 if tnom == 10.0 else 2)
    elif tnom == 50.0:
        k = 3
    elif path == 1:
        k = 4 if tnom == 10.0 else 5
    else:
        k = 6 if tnom == 10.0 else 7
    return 8 * fi + k


@jit
def _freq_weight(f):
    """Nominal frequencies (f0, f1) around f and the log-frequency weight of Eq. (14)."""
    f0, f1 = _bracket3(f, 100.0, 600.0, 2000.0)
    if f0 == f1:
        return f0, f1, 0.0
    return f0, f1, math.log10(f / f0) / math.log10(f1 / f0)


@jit
def _e_freq(table, dist, hgt, tnom, path, h1, d, dw, hw, fw, f, emax, t, compat):
    """Steps 7-9: field strength at the required frequency for one nominal time, Eq. (14);
    ``fw`` = :func:`_freq_weight` (f)."""
    f0, f1, wf = fw
    is_sea = path != 0
    e0 = _e_h1(table, _figure(_fidx(f0), tnom, path), h1, dist, hgt, d, dw, hw, emax, is_sea, f0, f, t, compat)
    if f0 == f1:
        return e0
    e1 = _e_h1(table, _figure(_fidx(f1), tnom, path), h1, dist, hgt, d, dw, hw, emax, is_sea, f1, f, t, compat)
    e = e0 + (e1 - e0) * wf
    if f > 2000.0:
        e = min(e, emax)
    return e


@jit
def _e_time_nominal(table, dist, hgt, tnom, path, h1, d, dw, hw, fw, f, emax, t, compat):
    """Steps 7-9 with the alternative sea-path method below 100 MHz, Eqs. (15a)-(15b)."""
    if path != 0 and f < 100.0:
        d600 = d06(600.0, h1, 10.0)
        if d < d600:
            df = d06(f, h1, 10.0)
            if d <= df:
                return emax  # Eq. (15a)
            edf = emax_sea_land(df, t, 1.0)
            ed600 = _e_freq(table, dist, hgt, tnom, path, h1, d600, _dist_weight(d600, dist), hw, fw, f, emax, t,
                            compat)
            return edf + (ed600 - edf) * math.log10(d / df) / math.log10(d600 / df)  # Eq. (15b)
    return _e_freq(table, dist, hgt, tnom, path, h1, d, dw, hw, fw, f, emax, t, compat)


@jit
def e_curves(table, dist, hgt, path, h1, d, f, t, emax, compat):
    """Steps 6-10: field strength from the curves at distance d (>= 1 km) for time t, Eq. (16)."""
    t0, t1 = _bracket3(t, 1.0, 10.0, 50.0)
    dw = _dist_weight(d, dist)
    if h1 >= 10.0:
        j0, j1 = _bracket(h1, hgt, hgt.size)
        wh = 0.0 if j0 == j1 else math.log10(h1 / hgt[j0]) / math.log10(hgt[j1] / hgt[j0])
        hw = (j0, j1, wh)
    else:
        hw = (0, 0, 0.0)
    fw = _freq_weight(f)
    e0 = _e_time_nominal(table, dist, hgt, t0, path, h1, d, dw, hw, fw, f, emax, t, compat)
    if t0 == t1:
        return e0
    e1 = _e_time_nominal(table, dist, hgt, t1, path, h1, d, dw, hw, fw, f, emax, t, compat)
    qinf = _QI_NOM[0] if t0 == 1.0 else _QI_NOM[1]
    qsup = _QI_NOM[1] if t1 == 10.0 else _QI_NOM[2]
    qt = qi(t / 100.0)
    return e1 * (qinf - qt) / (qinf - qsup) + e0 * (qt - qsup) / (qinf - qsup)


@jit
def h1_from_heights(d, heff, ha, hb, is_sea, pathinfo):
    """Transmitting/base antenna height h1, Annex 5 §3 Eqs. (4)-(7)."""
    if is_sea or d >= 15.0:
        return heff  # §3.2, Eq. (7); §3.3 (height above the sea)
    if pathinfo:
        return hb if not math.isnan(hb) else heff  # §3.1.2, Eq. (6)
    if math.isnan(ha):
        return heff
    if d <= 3.0:
        return ha  # Eq. (4)
    return ha + (heff - ha) * (d - 3.0) / 12.0  # Eq. (5)


@jit
def _dslope(ha, h2, d, htter, hrter):
    """Slope distance of Annex 5 §14, Eq. (37). [km]"""
    if math.isnan(htter) or math.isnan(hrter):
        dh = ha - h2
    else:
        dh = (ha + htter) - (h2 + hrter)
    return math.sqrt(d * d + 1e-6 * dh * dh)


@jit
def _rx_height(h1, d, r2, h2, f, area, lgf):
    """Step 14: receiving/mobile antenna height correction, Annex 5 §9, Eqs. (27)-(29) (``lgf`` = log10 f).
    Returns (correction [dB], R' [m])."""
    kh2 = 3.2 + 6.2 * lgf
    if area != 0:
        den = 1000.0 * d - 15.0
        rp = (1000.0 * d * r2 - 15.0 * h1) / den if den > 0.0 else 1.0  # Eq. (27)
        if rp < 1.0:
            rp = 1.0
        if area >= 2:  # suburban, urban, dense urban
            if h2 < rp:
                hdif = rp - h2
                theta = math.degrees(math.atan(hdif / 27.0))
                nu = 0.0108 * math.sqrt(f) * math.sqrt(hdif * theta)
                corr = 6.03 - j_nu(nu)  # Eq. (28a)
            else:
                corr = kh2 * math.log10(h2 / rp)  # Eq. (28b)
            if rp < 10.0:
                corr -= kh2 * math.log10(10.0 / rp)
            return corr, rp
        return kh2 * math.log10(h2 / 10.0), 10.0  # rural / open: Eq. (28b) with R' = 10 m
    if h2 >= 10.0:
        return kh2 * math.log10(h2 / 10.0), 10.0
    d10 = d06(f, h1, 10.0)
    dh2 = d06(f, h1, h2)
    c10 = kh2 * math.log10(h2 / 10.0)
    if d >= d10:
        return c10, 10.0
    if d <= dh2:
        return 0.0, 10.0
    return c10 * math.log10(d / dh2) / math.log10(d10 / dh2), 10.0  # Eq. (29)


@jit
def field_strength_one(table, dist, hgt, f, t, q, heff, ha, hb, h2, r1, r2, area, d_land, d_sea, warm, pathinfo,
                       wa, tca, eff1, eff2, htter, hrter, n0, compat, inter):
    """Field strength for 1 kW e.r.p. on one path, Annex 6 Steps 1-20. Fills ``inter``; returns E.

    Parameters as the module text; ``d_land``, ``d_sea`` [km] are the land and sea(-and-coastal)
    lengths of the path, ``warm`` 1 for warm sea, ``pathinfo`` 1 where terrain information is
    available, ``wa`` the width of the square area of §12 [m], ``n0`` the sea-level refractivity
    of §13 [N-units].
    """
    d = d_land + d_sea
    fsea = d_sea / d
    lgf = math.log10(f)
    is_sea_path = d_land == 0.0
    h1 = h1_from_heights(d, heff, ha, hb, is_sea_path, pathinfo)
    if h1 > 3000.0:
        h1 = 3000.0
    dd = d if d >= 1.0 else 1.0
    have_slope = not (math.isnan(ha) or math.isnan(h2))
    # Step 19 limit, computed first: Eqs. (1)-(3), mixed-path interpolation, slope distance
    emax = emax_sea_land(d, t, fsea)
    if have_slope:
        emax += 20.0 * math.log10(d / _dslope(ha, h2, d, htter, hrter))
    sea_kind = 2 if warm else 1
    e_land = np.nan
    e_sea = np.nan
    if d_land > 0.0:
        e_land = e_curves(table, dist, hgt, 0, h1, dd, f, t, emax, compat)
    if d_sea > 0.0:
        h1s = h1
        if d_land > 0.0 and compat == 0 and h1s < 3.0:
            h1s = 3.0  # §3: sea part of a mixed path uses 3 m where h1 < 3 m
        e_sea = e_curves(table, dist, hgt, sea_kind, h1s, dd, f, t, emax, compat)
    # Step 11: mixed paths, Annex 5 §8 Eqs. (17)-(19)
    if d_sea == 0.0:
        e = e_land
    elif d_land == 0.0:
        e = e_sea
    else:
        delta = e_sea - e_land
        v = max(1.0, 1.0 + delta / 40.0)
        a0 = 1.0 - (1.0 - fsea) ** (2.0 / 3.0)
        a = a0 ** v
        e = (1.0 - a) * e_land + a * e_sea
    inter[0] = h1
    inter[1] = emax
    inter[2] = e
    inter[15] = e_land
    inter[16] = e_sea
    # Step 12: terrain clearance angle at the receiving/mobile antenna adjacent to land, §11
    inter[3] = np.nan
    inter[4] = 0.0
    if not math.isnan(tca) and (area != 0 or compat == 1):
        th = min(max(tca, 0.55), 40.0)
        nup = 0.036 * math.sqrt(f)
        nu = 0.065 * th * math.sqrt(f)
        c = _j0(nup) - _j0(nu)  # Eqs. (32a)-(32c)
        e += c
        inter[3] = nu
        inter[4] = c
    # Step 13: tropospheric scatter, §13 Eqs. (35)-(36)
    inter[5] = np.nan
    inter[6] = np.nan
    if not (math.isnan(eff1) or math.isnan(eff2)):
        ths = 180.0 * dd / (math.pi * (4.0 / 3.0) * 6370.0) + eff1 + eff2
        if ths < 0.0:
            ths = 0.0
        lf = 5.0 * lgf - 2.5 * (lgf - 3.3) ** 2
        gt = 10.1 * (-math.log10(0.02 * t)) ** 0.7
        ets = 24.4 - 20.0 * math.log10(dd) - 10.0 * ths - lf + 0.15 * n0 + gt
        e = max(e, ets)
        inter[5] = ths
        inter[6] = ets
    # Step 14: receiving/mobile antenna height, §9
    d14 = d if compat == 1 else dd
    corr, rp = _rx_height(h1, d14, r2, h2, f, area, lgf)
    e += corr
    inter[7] = rp
    inter[8] = corr
    # Step 15: transmitting/base terminal clutter, §10 Eq. (30)
    inter[9] = 0.0
    if not (math.isnan(ha) or math.isnan(r1)):
        hdif1 = ha - r1
        th = math.degrees(math.atan(hdif1 / 27.0))
        nu = 0.0108 * math.sqrt(f) * math.sqrt(hdif1 * th)
        if hdif1 > 0.0:
            nu = -nu
        c = -_j0(nu)
        e += c
        inter[9] = c
    # Step 16: slope-path correction, §14 Eq. (37)
    inter[10] = 0.0
    if have_slope:
        c = 20.0 * math.log10(dd / _dslope(ha, h2, dd, htter, hrter))
        e += c
        inter[10] = c
    # Step 17: paths shorter than 1 km, §15 Eqs. (38)-(39)
    inter[11] = np.nan
    if d < 1.0:
        hx = 0.0 if math.isnan(ha) else ha
        hy = 0.0 if math.isnan(h2) else h2
        ds = _dslope(hx, hy, d, htter, hrter)
        if d <= 0.04:
            e = 106.9 - 20.0 * math.log10(ds)
        else:
            dinf = _dslope(hx, hy, 0.04, htter, hrter)
            dsup = _dslope(hx, hy, 1.0, htter, hrter)
            einf = 106.9 - 20.0 * math.log10(dinf)
            e = einf + (e - einf) * math.log10(ds / dinf) / math.log10(dsup / dinf)
        inter[11] = e
    # Step 18: location variability for a receiving/mobile antenna adjacent to land, §12
    inter[12] = np.nan
    if q != 50.0 and area != 0:
        if pathinfo:
            sigma = (0.024 * f / 1000.0 + 0.52) * wa ** 0.28  # Eq. (34)
        elif area >= 3:
            sigma = 8.0
        elif area == 2:
            sigma = 10.0
        else:
            sigma = 12.0
        e += qi(q / 100.0) * sigma
        inter[12] = e
    # Step 19: maximum field strength
    if e > emax:
        e = emax
    inter[13] = e
    inter[14] = 139.3 - e + 20.0 * lgf  # Step 20, §17 Eq. (40)
    return e


def _batch_body(table, dist, hgt, f, t, q, heff, ha, hb, h2, r1, r2, area, d_land, d_sea, warm, pathinfo, wa, tca,
                eff1, eff2, htter, hrter, n0, compat, e_out, inter):
    n = f.size
    for i in prange(n):
        e_out[i] = field_strength_one(table, dist, hgt, f[i], t[i], q[i], heff[i], ha[i], hb[i], h2[i], r1[i], r2[i],
                                      int(area[i]), d_land[i], d_sea[i], int(warm[i]), int(pathinfo[i]), wa[i],
                                      tca[i], eff1[i], eff2[i], htter[i], hrter[i], n0[i], compat, inter[i])


field_strength_batch, field_strength_serial = twins(
    _batch_body, "field_strength_batch",
    "P.1546-6 field strength for 1 kW e.r.p. over a batch of paths (``prange`` over paths); every "
    "argument after ``hgt`` is a 1-D float64 array of length n (``compat`` an int); fills ``e_out`` (n) "
    "and ``inter`` (n, N_INTER).")
