"""Rec. ITU-R P.1546-6 on terrain radials: every node of every radial in one pass (maps).

The node at sample ``k`` of a radial is the receiving point of a path whose profile is the radial
from the station to that sample, as :func:`spectrum.propagation.p1546.profile_inputs` reads it:

* h1: antenna height over the mean terrain 3-15 km (paths >= 15 km, the same for every node
  beyond 15 km), or 0.2 d to d (shorter paths) -- trapezoid over the samples inside the window,
  from running sums;
* tca: steepest line from the receiving antenna over the samples within 16 km back toward the
  station (§11), one atan per node;
* theta_eff1: running maximum over the samples within 15 km of the station (§4.3 a));
* land / sea lengths: half-interval weights, samples flagged sea (``sea`` = 1) counted as sea;
* terminal ground heights for the slope distance (§14).

Then :func:`spectrum.kernels.p1546.field_strength_one` (1 kW e.r.p.), ``prange`` over radials.
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import pjit, prange
from .p1546 import N_INTER, field_strength_one


@pjit
def p1546_radials(d, h, sea, n_valid, need, ha, h2, f, t, q, area, r1, r2, warm, wa, n0, compat, sea_rx, table,
                  dist, hgt, out):
    """Field strength for 1 kW e.r.p. at every needed node; NaN where not needed or off the DEM.

    Parameters
    ----------
    d : (n_samples,) distances from the station [km]; h : (n_radials, n_samples) terrain [m];
    sea : (n_radials, n_samples) uint8, 1 where the sample is sea; n_valid : (n_radials,) int64;
    need : (n_radials, n_samples) uint8; ha, h2 : antenna heights above ground [m];
    f [MHz], t [%], q [%]; area : receiver surroundings code for land nodes; r1, r2 : clutter [m];
    warm : 1 warm sea; wa [m]; n0 [N-units]; compat : 0 Recommendation, 1 reference code;
    sea_rx : 1 to treat a node on a sea sample as "adjacent to sea" (area 0);
    out : (n_radials, n_samples) field strength [dB(uV/m)].
    """
    nr, ns = h.shape
    nan = np.nan
    for r in prange(nr):
        inter = np.empty(N_INTER)
        hr = h[r]
        nv = n_valid[r]
        h0 = hr[0]
        cum = np.zeros(ns)  # trapezoid integral from sample 0
        for k in range(1, nv):
            cum[k] = cum[k - 1] + 0.5 * (hr[k] + hr[k - 1]) * (d[k] - d[k - 1])
        # mean over samples with 3 <= x <= 15 km (paths >= 15 km)
        i3 = 0
        while i3 < nv and d[i3] < 3.0:
            i3 += 1
        i15 = i3
        while i15 + 1 < nv and d[i15 + 1] <= 15.0:
            i15 += 1
        hav15 = nan
        if i15 > i3:
            hav15 = (cum[i15] - cum[i3]) / (d[i15] - d[i3])
        slope1 = -1e300  # running max of (h_i - ha - h0) / x_i within 15 km
        d_sea = 0.0
        i0 = 0
        for k in range(ns):
            if k >= nv:
                out[r, k] = nan
                continue
            if k >= 1:
                if d[k] <= 15.0:
                    s = (hr[k] - ha - h0) / (1000.0 * d[k])
                    if s > slope1:
                        slope1 = s
                if sea[r, k - 1] and k - 1 >= 1:
                    d_sea += 0.5 * (d[k] - d[k - 2])
                elif sea[r, k - 1] and k - 1 == 0:
                    d_sea += 0.5 * (d[1] - d[0])
            if k < 1 or need[r, k] == 0:
                out[r, k] = nan
                continue
            dk = d[k]
            # land / sea lengths of the prefix 0..k (sample k weighs half its last interval)
            ds = d_sea + (0.5 * (d[k] - d[k - 1]) if sea[r, k] else 0.0)
            if ds > dk:
                ds = dk
            dl = dk - ds
            # heff / hb
            if dk >= 15.0 and not math.isnan(hav15):
                hav = hav15
            else:
                lo = 0.2 * dk
                while i0 < k and d[i0] < lo:
                    i0 += 1
                while i0 > 0 and d[i0 - 1] >= lo:
                    i0 -= 1
                if k - i0 >= 1:
                    hav = (cum[k] - cum[i0]) / (d[k] - d[i0])
                else:
                    hav = 0.5 * (hr[k] + hr[k - 1])
            heff = ha + h0 - hav
            # tca: samples within 16 km back toward the station (not beyond it)
            best = -1e300
            hk = hr[k] + h2
            j = k - 1
            while j >= 0 and dk - d[j] <= 16.0:
                s = (hr[j] - hk) / (dk - d[j])
                if s > best:
                    best = s
                j -= 1
            tca = math.degrees(math.atan(best / 1000.0))
            eff1 = math.degrees(math.atan(slope1))
            a = area
            if sea_rx and sea[r, k]:
                a = 0
            if dl == 0.0 and heff < 1.0:
                heff = 1.0  # §3.3: 1 m lower limit above the sea
            hh2 = h2
            if a == 0 and hh2 < 3.0:
                hh2 = 3.0
            hb = heff if dk < 15.0 else nan
            out[r, k] = field_strength_one(table, dist, hgt, f, t, q, heff, ha, hb, hh2, r1, r2, a, dl, ds, warm, 1,
                                           wa, tca, eff1, tca, h0, hr[k], n0, compat, inter)
        if nv >= 2 and need[r, 0]:
            out[r, 0] = out[r, 1]
