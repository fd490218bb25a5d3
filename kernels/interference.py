"""Interference kernels: path elevation angles over terrain profiles, power sums.

The elevation at which each terminal sees the other end of a path is what its antenna pattern
is evaluated at: on a line-of-sight path the direct-path angle, on a trans-horizon path the
horizon angle -- Rec. ITU-R P.452-18 Attachment 2 §5.1.1 (theta_max, theta_td) and §5.1.3,
over an Earth of effective radius ae.
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit


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
