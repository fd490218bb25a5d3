"""Kernels of the evaluation's paths stage: terrain profiles and the radio-climatic zone of every
sample in one pass over the paths (no padded latitude / longitude arrays in memory).

Each path is sampled exactly as :func:`spectrum.kernels.profile.sample_paths` does (the same
:func:`~spectrum.kernels.profile.sample_path`), and each sample takes the zone of the nearest
cell of the zone map and the distances over land to the coast as
:func:`spectrum.kernels.interference.zones_along` gives them (Rec. ITU-R P.452-18 §3.2.1 Table 3,
§4.5 dct / dcr).
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit, pjit, prange
from .profile import sample_path


@pjit
def sample_paths_zones(z, lat0, dlat, lon0, dlon, zmap, zlat0, zdlat, zlon0, zdlon, lat1, lon1, lat2, lon2, npts,
                       d_out, h_out, zone_out, dct_out, dcr_out, bad, void):
    """Profiles of paths ``i`` (``npts[i]`` samples, great circle, bilinear heights from ``z``) into
    ``d_out[i]``, ``h_out[i]``; zone codes of the nearest ``zmap`` cell into ``zone_out[i]`` (2 beyond
    ``npts[i]``); dct / dcr (distance from each end to the first sea sample, 500 km without sea);
    ``bad[i]`` / ``void[i]`` as ``sample_paths``. ``prange`` over paths."""
    ny, nx = zmap.shape
    width = d_out.shape[1]
    for i in prange(lat1.shape[0]):
        m = npts[i]
        la = np.empty(max(m, 1))
        lo = np.empty(max(m, 1))
        b, v = sample_path(z, lat0, dlat, lon0, dlon, lat1[i], lon1[i], lat2[i], lon2[i], m, d_out[i], h_out[i],
                           la, lo, True)
        bad[i] = b
        void[i] = v
        first = -1
        last = -1
        for k in range(width):
            if k < m:
                r = int(math.floor((la[k] - zlat0) / zdlat + 0.5))
                c = int(math.floor((lo[k] - zlon0) / zdlon + 0.5))
                r = min(max(r, 0), ny - 1)
                c = min(max(c, 0), nx - 1)
                zc = float(zmap[r, c])
                zone_out[i, k] = zc
                if zc == 3.0:
                    if first < 0:
                        first = k
                    last = k
            else:
                zone_out[i, k] = 2.0
        if first < 0:
            dct_out[i] = 500.0
            dcr_out[i] = 500.0
        else:
            dct_out[i] = d_out[i, first]
            dcr_out[i] = d_out[i, m - 1] - d_out[i, last]


@jit
def _interp(xq, x, h, n):
    """np.interp(xq, x[:n], h[:n]) for increasing x (clamped at the ends)."""
    if xq <= x[0]:
        return h[0]
    if xq >= x[n - 1]:
        return h[n - 1]
    lo = 0
    hi = n - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if x[mid] <= xq:
            lo = mid
        else:
            hi = mid
    t = (xq - x[lo]) / (x[hi] - x[lo])
    return h[lo] + t * (h[hi] - h[lo])


@jit
def _mean_height(x, h, n, lo, hi):
    """Mean terrain height between ``lo`` and ``hi`` km as spectrum.propagation.p1546._mean_height:
    trapezoid over the samples inside [lo, hi]; with fewer than two, the interpolated profile
    averaged over [lo, hi] exactly."""
    i0 = -1
    i1 = -1
    for k in range(n):
        if x[k] >= lo and x[k] <= hi:
            if i0 < 0:
                i0 = k
            i1 = k
    if i0 >= 0 and i1 > i0:
        s = 0.0
        for k in range(i0, i1):
            s += (h[k + 1] + h[k]) * (x[k + 1] - x[k])
        return s / 2.0 / (x[i1] - x[i0])
    if hi <= lo:
        return _interp(lo, x, h, n)
    # the interpolated profile over [lo, hi]: lo, the samples strictly inside, hi
    s = 0.0
    xp = lo
    hp = _interp(lo, x, h, n)
    for k in range(n):
        if x[k] > lo and x[k] < hi:
            s += (h[k] + hp) * (x[k] - xp)
            xp = x[k]
            hp = h[k]
    s += (_interp(hi, x, h, n) + hp) * (hi - xp)
    return s / 2.0 / (hi - lo)


@pjit
def p1546_profile_inputs(d_km, h_m, n, zone, has_zone, ha_m, h2_m, out):
    """Rec. ITU-R P.1546-6 inputs of each padded profile, as
    :func:`spectrum.propagation.p1546.profile_inputs` gives them for one path: ``out[i]`` =
    (heff, hb, tca, eff1, d_land, d_sea, htter, hrter, rx over sea, bad). ``zone`` in the evaluation's
    P.452 codes (1 coastal land and 3 sea count as the sea part of §8; the receiver is over the
    sea where its sample is 3). ``bad`` is 1 where the profile is not one profile_inputs takes
    (fewer than 2 samples, non-finite values, distances not strictly increasing from 0, heights
    beyond 9 000 m, a first step over 15 km): the caller handles those. ``prange`` over paths."""
    for i in prange(d_km.shape[0]):
        m = n[i]
        x = d_km[i]
        h = h_m[i]
        out[i, 9] = 0.0
        bad = m < 2 or m > x.shape[0]
        if not bad:
            bad = x[0] != 0.0 or x[1] > 15.0
        k = 0
        while not bad and k < m:
            if not (math.isfinite(x[k]) and math.isfinite(h[k]) and abs(h[k]) <= 9000.0):
                bad = True
            elif k > 0 and not (x[k] > x[k - 1]):
                bad = True
            k += 1
        if bad:
            out[i, 9] = 1.0
            continue
        x0 = x[0]
        d = x[m - 1] - x0
        if d >= 15.0:
            hav = _mean_height(x, h, m, x0 + 3.0, x0 + 15.0)
        else:
            hav = _mean_height(x, h, m, x0 + 0.2 * d, x0 + d)
        heff = ha_m[i] + h[0] - hav
        tca = -np.inf
        for k in range(m - 1):
            if d - (x[k] - x0) <= 16.0:
                v = math.degrees(math.atan((h[k] - h2_m[i] - h[m - 1]) / (1000.0 * (d - (x[k] - x0)))))
                if v > tca:
                    tca = v
        eff1 = -np.inf
        for k in range(1, m):
            if x[k] - x0 <= 15.0:
                v = math.degrees(math.atan((h[k] - ha_m[i] - h[0]) / (1000.0 * (x[k] - x0))))
                if v > eff1:
                    eff1 = v
        d_sea = 0.0
        if has_zone:
            for k in range(m):
                zc = zone[i, k]
                if zc == 1.0 or zc == 3.0:
                    if k == 0:
                        w = (x[1] - x[0]) / 2.0
                    elif k == m - 1:
                        w = (x[m - 1] - x[m - 2]) / 2.0
                    else:
                        w = (x[k + 1] - x[k - 1]) / 2.0
                    d_sea += w
        out[i, 0] = heff
        out[i, 1] = heff if d < 15.0 else np.nan
        out[i, 2] = tca
        out[i, 3] = eff1
        out[i, 4] = d - d_sea
        out[i, 5] = d_sea
        out[i, 6] = h[0]
        out[i, 7] = h[m - 1]
        out[i, 8] = 1.0 if (has_zone and zone[i, m - 1] == 3.0) else 0.0
