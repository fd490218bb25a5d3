"""Coverage kernels, stage 1: short profiles, inverse-distance tables and the P.452 path geometry
carried along a radial (prefix state). See :mod:`spectrum.kernels.coverage` for the layout."""
from __future__ import annotations

import math

import numpy as np

from . import p452 as _p452
from ._jit import jit, pjit, prange


#: Fewest profile points the P.452 / P.1812 path cores accept.
MIN_POINTS = 4


@jit
def _short_profile(d, h, g, zone, k, dd, hh, gg, zz):
    """4-point profile over [0, d[k]] (k = 1 or 2), heights linearly interpolated from d[:k+1]."""
    dk = d[k]
    for i in range(MIN_POINTS):
        x = dk * i / (MIN_POINTS - 1.0)
        j = 0
        while j < k - 1 and d[j + 1] < x:
            j += 1
        t = (x - d[j]) / (d[j + 1] - d[j])
        if t < 0.0:
            t = 0.0
        elif t > 1.0:
            t = 1.0
        dd[i] = x
        hh[i] = h[j] + t * (h[j + 1] - h[j])
        gg[i] = g[j] + t * (g[j + 1] - g[j])
        zz[i] = zone[j] if t < 0.5 else zone[j + 1]
    dd[0] = 0.0
    dd[MIN_POINTS - 1] = dk


#: Largest number of radial samples for which the table of inverse distances is kept (n^2 doubles).
INV_TABLE_MAX = 2048


@pjit
def inverse_distance_table(d, inv_d, inv_r):
    """``inv_d[i] = 1/d[i]`` and ``inv_r[k, i] = 1/(d[k] - d[i])`` for 0 < i < k.

    Row ``k`` is what :func:`spectrum.kernels.p526.inverse_distances` gives for the profile
    prefix ``d[:k+1]`` (same operands, so bit-identical); built once, shared by every radial.
    """
    ns = d.shape[0]
    inv_d[0] = np.inf
    for i in range(1, ns):
        inv_d[i] = 1.0 / d[i]
    for k in prange(inv_r.shape[0]):
        for i in range(1, k):
            inv_r[k, i] = 1.0 / (d[k] - d[i])


# ---------------------------------------------------------------------------------------------
# P.452-18 geometry along a radial, reusing the prefix (incremental)
# ---------------------------------------------------------------------------------------------
# Prefix state slots (one vector per radial), updated as the node moves out by one sample.
S_Z0 = 0        # zone code of the first point
S_NOTHER = 1    # points 1..k whose zone differs from the first (single-zone fast path when 0)
S_SEA = 2       # zone_statistics running state after points 0..k-1 (interior weights)
S_DTM = 3
S_DLM = 4
S_RUNL = 5
S_RUNI = 6
S_V1 = 7        # least-squares sums of Eqs. (161)-(164) over intervals 1..k
S_V2 = 8
S_TMAXT = 9     # running maximum of the Tx horizon argument of Eq. (152) over points 1..k-1
S_LT = 10       # its (first) index
N_STATE = 11


@jit
def _zone_step(state, z, w):
    # one point of P.452-18 §3.2.1 zone statistics (the loop body of p452.zone_statistics)
    if z == 3.0:
        state[S_SEA] += w
        state[S_RUNL] = 0.0
    else:
        state[S_RUNL] += w
        if state[S_RUNL] > state[S_DTM]:
            state[S_DTM] = state[S_RUNL]
    if z == 2.0:
        state[S_RUNI] += w
        if state[S_RUNI] > state[S_DLM]:
            state[S_DLM] = state[S_RUNI]
    else:
        state[S_RUNI] = 0.0


@jit
def prefix_init(d, h, zone, hts, half_ae, state):
    """Prefix state for node k = 1 (profile points 0 and 1)."""
    state[S_Z0] = zone[0]
    state[S_NOTHER] = 1.0 if zone[1] != zone[0] else 0.0
    state[S_SEA] = 0.0
    state[S_DTM] = 0.0
    state[S_DLM] = 0.0
    state[S_RUNL] = 0.0
    state[S_RUNI] = 0.0
    _zone_step(state, zone[0], 0.5 * (d[1] - d[0]))
    dd = d[1] - d[0]
    state[S_V1] = dd * (h[1] + h[0])
    state[S_V2] = dd * (h[1] * (2.0 * d[1] + d[0]) + h[0] * (d[1] + 2.0 * d[0]))
    state[S_TMAXT] = -1e300
    state[S_LT] = 1.0


@jit
def prefix_advance(d, h, zone, k, hts, half_ae, inv_d, state):
    """Advance the prefix state from node k-1 to node k (k >= 2), exactly as the point-to-point
    loops would accumulate over the profile d[:k+1]."""
    i = k - 1  # the point that has just become interior
    _zone_step(state, zone[i], 0.5 * (d[i + 1] - d[i - 1]))
    if zone[k] != state[S_Z0]:
        state[S_NOTHER] += 1.0
    dd = d[k] - d[k - 1]
    state[S_V1] += dd * (h[k] + h[k - 1])
    state[S_V2] += dd * (h[k] * (2.0 * d[k] + d[k - 1]) + h[k - 1] * (d[k] + 2.0 * d[k - 1]))
    x = (h[i] - hts) * 0.001 * inv_d[i] - d[i] * half_ae
    if x > state[S_TMAXT]:
        state[S_TMAXT] = x
        state[S_LT] = i


@jit
def p452_node_geometry(d, h, zone, k, htg, hrg, ae, lat, inv_d, inv_r, state, geom):
    """P.452-18 path geometry (Attachment 2 §5; :func:`spectrum.kernels.p452.path_geometry_inv`
    for version 18) of the profile prefix d[:k+1] from the prefix state.

    The zone statistics, least-squares sums and the Tx horizon come from ``state`` (same
    arithmetic, same order as the point-to-point loops); the receiver-dependent maxima are one
    pass; the Rx horizon (trans-horizon) or the Bullington point (line of sight) is searched
    only for the path type at hand.
    """
    n = k + 1
    dtot = d[n - 1]
    # zone statistics, p452.zone_statistics
    if state[S_NOTHER] == 0.0:
        z0 = state[S_Z0]
        dz = d[n - 1] - d[0]
        omega = 1.0 if z0 == 3.0 else 0.0
        dtm = 0.0 if z0 == 3.0 else dz
        dlm = dz if z0 == 2.0 else 0.0
    else:
        sea = state[S_SEA]
        dtm = state[S_DTM]
        dlm = state[S_DLM]
        runl = state[S_RUNL]
        runi = state[S_RUNI]
        w = 0.5 * (d[n - 1] - d[n - 2])
        z = zone[n - 1]
        if z == 3.0:
            sea += w
        else:
            runl += w
            if runl > dtm:
                dtm = runl
        if z == 2.0:
            runi += w
            if runi > dlm:
                dlm = runi
        omega = sea / (d[n - 1] - d[0])
    geom[_p452.G_OMEGA] = omega
    geom[_p452.G_DTM] = dtm
    geom[_p452.G_DLM] = dlm
    geom[_p452.G_B0] = _p452.beta0(lat, dtm, dlm)
    geom[_p452.G_AE] = ae
    geom[_p452.G_AB] = 6371.0 * 3.0
    geom[_p452.G_LAT] = lat
    geom[_p452.G_HTG0] = htg
    geom[_p452.G_HRG0] = hrg
    geom[_p452.G_HA_T] = 0.0
    geom[_p452.G_HA_R] = 0.0
    geom[_p452.G_DK_T] = 0.0
    geom[_p452.G_DK_R] = 0.0
    geom[_p452.G_I0] = 0
    geom[_p452.G_I1] = n - 1
    # smooth-Earth surface and horizons, p452._smooth_geometry
    hts = h[0] + htg
    hrs = h[n - 1] + hrg
    v1 = state[S_V1]
    v2 = state[S_V2]
    hst = (2.0 * v1 * dtot - v2) / (dtot * dtot)
    hsr = (v2 - v1 * dtot) / (dtot * dtot)
    half_ae = 1.0 / (2.0 * ae)
    ce500 = 500.0 / ae
    c_t = hts / dtot
    c_r = hrs / dtot
    hobs = -1e300
    aobt = -1e300
    aobr = -1e300
    stim = -1e300
    for i in range(1, n - 1):
        di = d[i]
        dr = dtot - di
        hh = h[i] - (c_t * dr + c_r * di)  # Eq. (165d)
        hobs = max(hobs, hh)
        aobt = max(aobt, hh * inv_d[i])  # Eq. (165b)
        aobr = max(aobr, hh * inv_r[i])  # Eq. (165c)
        stim = max(stim, (h[i] + ce500 * di * dr - hts) * inv_d[i])  # Eq. (14)
    tmax_t = state[S_TMAXT]
    lt = int(state[S_LT])
    if hobs <= 0.0:
        hstp = hst
        hsrp = hsr
    else:
        hstp = hst - hobs * aobt / (aobt + aobr)
        hsrp = hsr - hobs * aobr / (aobt + aobr)
    hstd = h[0] if hstp > h[0] else hstp
    hsrd = h[n - 1] if hsrp > h[n - 1] else hsrp
    theta_t = 1000.0 * math.atan(tmax_t)
    theta_td = 1000.0 * math.atan((hrs - hts) / (1000.0 * dtot) - dtot * half_ae)  # Eq. (153)
    if theta_t > theta_td:  # Eq. (150): trans-horizon
        trans = 1.0
        tmax_r = -1e300
        lr = 1
        for i in range(1, n - 1):
            x = (h[i] - hrs) * 0.001 * inv_r[i] - (dtot - d[i]) * half_ae  # Eq. (157)
            if x > tmax_r:
                tmax_r = x
                lr = i
        theta_r = 1000.0 * math.atan(tmax_r)
        dlt = d[lt]  # Eq. (155)
        dlr = dtot - d[lr]  # Eq. (158)
        ilt = lt
        ilr = lr
    else:
        trans = 0.0
        qmax = -1e300
        lb = 1
        for i in range(1, n - 1):  # point of highest nu, Eq. (16), ranked by sign(nu) nu^2
            di = d[i]
            dr = dtot - di
            hb = h[i] - (c_t * dr + c_r * di) + ce500 * di * dr
            q = hb * abs(hb) * inv_d[i] * inv_r[i]
            if q > qmax:
                qmax = q
                lb = i
        theta_t = theta_td
        theta_r = 1000.0 * math.atan((hts - hrs) / (1000.0 * dtot) - dtot * half_ae)  # Eq. (156a)
        dlt = d[lb]
        dlr = dtot - d[lb]
        ilt = lb
        ilr = lb
    theta = 1000.0 * dtot / ae + theta_t + theta_r  # Eq. (159)
    hst = min(hst, h[0])
    hsr = min(hsr, h[n - 1])
    m = (hsr - hst) / dtot  # Eq. (169)
    hte = htg + h[0] - hst  # Eq. (170a)
    hre = hrg + h[n - 1] - hsr  # Eq. (170b)
    if ilr < ilt:
        ilt, ilr = ilr, ilt
    hm = -1e300
    for i in range(ilt, ilr + 1):  # Eq. (171)
        v = h[i] - (hst + m * d[i])
        if v > hm:
            hm = v
    geom[_p452.G_DTOT] = dtot
    geom[_p452.G_HTS] = hts
    geom[_p452.G_HRS] = hrs
    geom[_p452.G_HST] = hst
    geom[_p452.G_HSR] = hsr
    geom[_p452.G_HSTD] = hstd
    geom[_p452.G_HSRD] = hsrd
    geom[_p452.G_HTE] = hte
    geom[_p452.G_HRE] = hre
    geom[_p452.G_HM] = hm
    geom[_p452.G_DLT] = dlt
    geom[_p452.G_DLR] = dlr
    geom[_p452.G_THETA_T] = theta_t
    geom[_p452.G_THETA_R] = theta_r
    geom[_p452.G_THETA] = theta
    geom[_p452.G_TRANSHORIZON] = trans
    geom[_p452.G_STIM] = stim
    geom[_p452.G_STR] = (hrs - hts) / dtot  # Eq. (15)
    geom[_p452.G_HTG] = htg
    geom[_p452.G_HRG] = hrg
