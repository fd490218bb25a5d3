"""Interference kernels: path elevation angles over terrain profiles, power sums.

The elevation at which each terminal sees the other end of a path is what its antenna pattern
is evaluated at: on a line-of-sight path the direct-path angle, on a trans-horizon path the
horizon angle -- Rec. ITU-R P.452-18 Attachment 2 §5.1.1 (theta_max, theta_td) and §5.1.3,
over an Earth of effective radius ae.
"""
from __future__ import annotations

import math

import numpy as np

from numba import prange

from ._jit import jit, pjit


@jit
def path_elevations(d_km, h_m, n, hts_m, hrs_m, ae_km, out_t, out_r):
    """Elevation angles [deg] at the transmitter (toward the receiver) and at the receiver.

    ``d_km``/``h_m`` padded (n_paths, n_max) profiles with ``n`` valid points, ``hts_m``/``hrs_m``
    antenna heights above mean sea level per path. theta_t = max(theta_max, theta_td) with
    theta_max the largest elevation of an intermediate profile point and theta_td the direct
    path angle, both corrected for Earth curvature by -d / (2 ae) (P.452-18 Attachment 2 §5.1.1);
    likewise at the receiver. Serial: one pass over the samples is memory-bound, and the
    evaluation calls it on modest batches where thread start-up would dominate.
    """
    for p in range(d_km.shape[0]):
        m = n[p]
        dt = d_km[p, m - 1]
        hts = hts_m[p]
        hrs = hrs_m[p]
        # direct path, mrad
        th_td = 1000.0 * ((hrs - hts) / (1000.0 * dt) - dt / (2.0 * ae_km)) if dt > 0 else 0.0
        th_rd = 1000.0 * ((hts - hrs) / (1000.0 * dt) - dt / (2.0 * ae_km)) if dt > 0 else 0.0
        th_t = th_td
        th_r = th_rd
        for i in range(1, m - 1):
            di = d_km[p, i]
            hi = h_m[p, i]
            if di > 0.0:
                v = 1000.0 * ((hi - hts) / (1000.0 * di) - di / (2.0 * ae_km))
                if v > th_t:
                    th_t = v
            dr = dt - di
            if dr > 0.0:
                v = 1000.0 * ((hi - hrs) / (1000.0 * dr) - dr / (2.0 * ae_km))
                if v > th_r:
                    th_r = v
        out_t[p] = math.degrees(th_t / 1000.0)
        out_r[p] = math.degrees(th_r / 1000.0)


@jit
def power_sum_db(values_db, group, n_groups):
    """Power sum 10 log10(sum 10^(x/10)) of ``values_db`` within each group index. [dB]

    -inf entries contribute nothing; an empty group gives -inf.
    """
    acc = np.zeros(n_groups)
    for i in range(values_db.size):
        v = values_db[i]
        if v > -np.inf:
            acc[group[i]] += 10.0 ** (v / 10.0)
    out = np.empty(n_groups)
    for g in range(n_groups):
        out[g] = 10.0 * math.log10(acc[g]) if acc[g] > 0.0 else -np.inf
    return out


@jit
def zones_along(zmap, lat0, dlat, lon0, dlon, lat, lon, d_km, n, zone_out, dct_out, dcr_out):
    """Radio-climatic zone of each profile sample (nearest cell of ``zmap``, codes 1 coastal land,
    2 inland, 3 sea) and the distances over land from each end to the first sea sample (P.452-18
    dct / dcr; 500 km when the path meets no sea). Samples beyond ``n`` get zone 2."""
    ny, nx = zmap.shape
    for p in range(d_km.shape[0]):
        m = n[p]
        first = -1
        last = -1
        for k in range(d_km.shape[1]):
            if k < m:
                i = int(math.floor((lat[p, k] - lat0) / dlat + 0.5))
                j = int(math.floor((lon[p, k] - lon0) / dlon + 0.5))
                i = min(max(i, 0), ny - 1)
                j = min(max(j, 0), nx - 1)
                zc = float(zmap[i, j])
                zone_out[p, k] = zc
                if zc == 3.0:
                    if first < 0:
                        first = k
                    last = k
            else:
                zone_out[p, k] = 2.0
        if first < 0:
            dct_out[p] = 500.0
            dcr_out[p] = 500.0
        else:
            dct_out[p] = d_km[p, first]
            dcr_out[p] = d_km[p, m - 1] - d_km[p, last]


@jit
def _gc_km(lat1, lon1, lat2, lon2):
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    a = math.sin((p2 - p1) / 2.0) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2.0) ** 2
    return 2.0 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


@jit
def top_k_per_group(group, score, k_max, min_score, keep):
    """Mark in ``keep`` the entries with the ``k_max`` largest ``score`` of each group whose score
    is at least ``min_score`` of that group. ``group`` must be sorted ascending, and within a
    group ``score`` descending."""
    n = group.size
    i = 0
    while i < n:
        g = group[i]
        c = 0
        while i < n and group[i] == g:
            if c < k_max and score[i] >= min_score[g]:
                keep[i] = True
                c += 1
            i += 1


@pjit
def strongest_pairs(v_lat, v_lon, v_f, v_bw_khz, v_lic, v_floor, t_lat, t_lon, t_f, t_bw_khz, t_lic, t_eirp,
                    cls_start, max_d_km, adj_db, out_t, out_score, out_d):
    """For each victim receiver the ``out_t.shape[1]`` registered transmitters with the largest
    approximate interference bound ``eirp - FSPL(d, f) - FDR~`` (other licence, within
    ``max_d_km``, bound >= ``v_floor``), with FDR~ = 10 log10(max(1, bw_t / bw_v)) when the
    bands overlap and ``adj_db`` when the transmitter is within one channel outside the band.

    Transmitters come in bandwidth classes: class c holds rows ``cls_start[c]:cls_start[c+1]``,
    all of one bandwidth, sorted by frequency within the class (so each class is searched over
    its own frequency reach). ``out_t`` gets -1 where fewer qualify; ``out_score`` the
    approximate bound (dBW, receiver gain excluded), ``out_d`` the distance [km]."""
    k_max = out_t.shape[1]
    for i in prange(v_lat.size):
        for c in range(k_max):
            out_t[i, c] = -1
            out_score[i, c] = -np.inf
            out_d[i, c] = 0.0
        clat = math.cos(math.radians(v_lat[i]))
        dlat_max = max_d_km / 111.0 + 1e-9
        n_in = 0
        worst = 0
        for cl in range(cls_start.size - 1):
            s0 = cls_start[cl]
            s1 = cls_start[cl + 1]
            if s1 <= s0:
                continue
            bw_t = t_bw_khz[s0]
            half = (v_bw_khz[i] + bw_t) / 2000.0
            g = max(v_bw_khz[i], bw_t) / 1000.0
            a = s0 + np.searchsorted(t_f[s0:s1], v_f[i] - half - g)
            b = s0 + np.searchsorted(t_f[s0:s1], v_f[i] + half + g, side="right")
            for j in range(a, b):
                if v_lic[i] == t_lic[j]:
                    continue
                off = abs(t_f[j] - v_f[i])
                if abs(t_lat[j] - v_lat[i]) > dlat_max:
                    continue
                if abs(t_lon[j] - v_lon[i]) * clat > dlat_max + 0.05:
                    continue
                d = _gc_km(v_lat[i], v_lon[i], t_lat[j], t_lon[j])
                if d > max_d_km:
                    continue
                if off <= half:
                    fdr = 10.0 * math.log10(max(1.0, bw_t / v_bw_khz[i]))
                else:
                    fdr = adj_db
                sc = t_eirp[j] - (32.45 + 20.0 * math.log10(max(d, 1e-3)) + 20.0 * math.log10(t_f[j])) - fdr
                if sc < v_floor[i]:
                    continue
                if n_in < k_max:
                    out_t[i, n_in] = j
                    out_score[i, n_in] = sc
                    out_d[i, n_in] = d
                    n_in += 1
                    if n_in == k_max:
                        worst = 0
                        for c in range(1, k_max):
                            if out_score[i, c] < out_score[i, worst]:
                                worst = c
                elif sc > out_score[i, worst]:
                    out_t[i, worst] = j
                    out_score[i, worst] = sc
                    out_d[i, worst] = d
                    worst = 0
                    for c in range(1, k_max):
                        if out_score[i, c] < out_score[i, worst]:
                            worst = c
