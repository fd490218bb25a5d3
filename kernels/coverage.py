"""Coverage / interference map kernels: propagation models along radials, then polar -> grid.

Layout (STYLE.md rules 1, 6 and 8):

* Terrain work is done once: the caller samples ``n_radials`` great-circle radials from the
  site (:func:`spectrum.terrain.radial_profiles`), equally spaced samples ``d[k]`` shared by
  every radial. The receiver at sample ``k`` of radial ``r`` sees the profile prefix
  ``d[:k+1], h[r, :k+1]`` -- exactly the profile :func:`spectrum.terrain.profile` would give
  for that path at that step, so each polar node is the point-to-point model itself.
* The per-path model cores are called on those prefixes **without copying** (they take the
  number of valid points ``n``): P.452 :func:`spectrum.kernels.p452.path_losses_gas_inv`,
  ITM :func:`spectrum.kernels.itm.p2p_reference` + :func:`~spectrum.kernels.itm.apply_variability`,
  P.1812 :func:`spectrum.kernels.p1812.p1812_path`.
* Work reused along each radial (P.452): the path geometry of Attachment 2 §5 is
  :func:`p452_node_geometry`, the same arithmetic as ``p452.path_geometry_inv`` but fed by a
  prefix state carried along the radial -- zone statistics (omega, dtm, dlm), the least-squares
  sums of Eqs. (161)-(164) and the running maximum of the Tx horizon angle, Eq. (152) -- so
  only the receiver-dependent maxima are a pass over the prefix, and only the horizon search
  the path type needs (Rx horizon or Bullington point) is made. One table of inverse distances
  ``1/(d_k - d_i)`` serves every radial.
* Work reused across cases: the P.452 geometry is computed once per node for every frequency
  and time percentage, Ld50 / Ld(beta0) once per (node, f) for every p (the P.452 diffraction
  cache); the P.676 specific attenuations (line-by-line, the costliest scalar of P.452) once
  per radial and frequency, recomputed only where the sea fraction of the prefix changes
  (water-vapour density 7.5 + 2.5 omega); the ITM geometry and reference attenuation once per
  (node, f) for every time / location / situation quantile; the path-centre latitude of every
  node is precomputed.
* Only the nodes some pixel reads are computed (:func:`needed_nodes`).
* :func:`polar_to_grid` fills map pixels from the polar results by nearest-node or bilinear
  (azimuth x distance) lookup, ``prange`` over grid rows.

``prange`` is over radials (the outer loop) only. Nodes closer than 3 profile steps to the
site (fewer than the 4 points P.452 / P.1812 need) are evaluated on a 4-point profile linearly
resampled from the radial's first samples; node 0 (the site itself) copies node 1.
"""
from __future__ import annotations

import math

import numpy as np

from . import itm as _itm
from . import p452 as _p452
from . import p1812 as _p1812
from ._jit import jit, pjit, prange
from .p526 import inverse_distances

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


@pjit
def p452_radials(d, h, g, zone, n_valid, need, site_lat, az_deg, htg, hrg, f, p, dn, n0, pol, dct, dcr, press, temp,
                 gt, gr, inv_d, inv_r_table, out):
    """Rec. ITU-R P.452-18 basic transmission loss at the nodes of a polar grid.

    Parameters
    ----------
    d : ndarray, shape (n_samples,)
        Distance of each radial sample from the site, ``d[0] == 0``. [km]
    h, g, zone : ndarray, shape (n_radials, n_samples)
        Terrain heights amsl [m], terrain + clutter heights for diffraction [m] (equal to ``h``
        without clutter) and zone codes (1 coastal land, 2 inland, 3 sea) as float.
    n_valid : ndarray of int64, shape (n_radials,)
        Valid samples of each radial (beyond: off the DEM or a void); nodes there are NaN.
    need : ndarray of uint8, shape (n_radials, n_samples)
        Nodes to compute (the others are NaN): those some map pixel looks up.
    site_lat : float
        Site latitude [deg]; with ``az_deg`` gives the path-centre latitude of each node (the
        point at half the distance, :func:`path_centre_latitudes`).
    az_deg : ndarray, shape (n_radials,)
        Bearing of each radial. [deg]
    htg, hrg : float
        Site (Tx) and node (Rx) antenna heights above ground. [m]
    f, p : ndarray, shape (n_f,), (n_p,)
        Frequencies [GHz] and time percentages [%].
    dn, n0, pol, dct, dcr, press, temp, gt, gr : scalars
        As :func:`spectrum.kernels.p452.path_losses_gas_inv` (pol 0 h, 1 v).
    inv_d, inv_r_table : ndarray
        From :func:`inverse_distance_table`; ``inv_r_table`` may have 0 rows (then each node
        computes its own row).
    out : ndarray, shape (n_f, n_p, n_radials, n_samples)
        Receives Lb [dB]; NaN beyond ``n_valid`` and where ``need`` is 0.

    Notes
    -----
    Per node, the geometry (:func:`~spectrum.kernels.p452.path_geometry_inv`) is computed once
    and shared by every (f, p); the diffraction cache makes Ld50 / Ld(beta0) once per f for
    all p; the specific gaseous attenuations are recomputed only when the sea fraction of the
    prefix changes.
    """
    nrad = h.shape[0]
    ns = h.shape[1]
    nf = f.shape[0]
    npc = p.shape[0]
    table = inv_r_table.shape[0] == ns
    sp1 = math.sin(site_lat * math.pi / 180.0)
    cp1 = math.cos(site_lat * math.pi / 180.0)
    for r in prange(nrad):
        cth = math.cos(az_deg[r] * math.pi / 180.0)
        geom = np.empty(_p452.N_GEOM)
        res = np.empty(_p452.N_LOSS)
        gam = np.empty(nf)
        gam3 = np.empty(nf)
        dcache = np.empty(5)
        dd = np.empty(MIN_POINTS)
        hh = np.empty(MIN_POINTS)
        gg = np.empty(MIN_POINTS)
        zz = np.empty(MIN_POINTS)
        ivd4 = np.empty(MIN_POINTS)
        ivr4 = np.empty(MIN_POINTS)
        ivr = np.empty(ns)
        state = np.empty(N_STATE)
        last_omega = -1.0
        nv = n_valid[r]
        hr = h[r]
        gr_ = g[r]
        zr = zone[r]
        ae = 6371.0 * 157.0 / (157.0 - dn)  # P.452-18 Eqs. (5), (6a)
        half_ae = 1.0 / (2.0 * ae)
        hts = hr[0] + htg
        for k in range(ns):
            if k >= 1 and k < nv:
                if k == 1:
                    prefix_init(d, hr, zr, hts, half_ae, state)
                else:
                    prefix_advance(d, hr, zr, k, hts, half_ae, inv_d, state)
            if k >= nv or (need[r, k] == 0 and not (k == 1 and need[r, 0] != 0)):
                for j in range(nf):
                    for q in range(npc):
                        out[j, q, r, k] = np.nan
                continue
            if k == 0:
                continue
            m = k + 1
            lat_c = _centre_lat(sp1, cp1, cth, d[k])
            if m < MIN_POINTS:
                _short_profile(d, hr, gr_, zr, k, dd, hh, gg, zz)
                inverse_distances(dd, MIN_POINTS, ivd4, ivr4)
                _p452.path_geometry_inv(dd, hh, zz, MIN_POINTS, htg, hrg, dn, lat_c, 18, 0.0, 0.0, 0.0, 0.0,
                                        ivd4, ivr4, geom)
                row = ivr4
            else:
                if table:
                    row = inv_r_table[k]
                else:
                    dk = d[k]
                    for i in range(1, k):
                        ivr[i] = 1.0 / (dk - d[i])
                    row = ivr
                p452_node_geometry(d, hr, zr, k, htg, hrg, ae, lat_c, inv_d, row, state, geom)
            omega = geom[_p452.G_OMEGA]
            if omega != last_omega:
                for j in range(nf):
                    gam[j], gam3[j] = _p452._gas(f[j], press, temp, omega)
                last_omega = omega
            for j in range(nf):
                dcache[:] = np.nan
                for q in range(npc):
                    if m < MIN_POINTS:
                        _p452.path_losses_gas_inv(dd, gg, MIN_POINTS, geom, f[j], p[q], dn, n0, pol, dct, dcr, press,
                                                  temp, gt, gr, gam[j], gam3[j], ivd4, ivr4, dcache, res)
                    else:
                        _p452.path_losses_gas_inv(d, gr_, m, geom, f[j], p[q], dn, n0, pol, dct, dcr, press, temp,
                                                  gt, gr, gam[j], gam3[j], inv_d, row, dcache, res)
                    out[j, q, r, k] = res[_p452.L_LB]
        for j in range(nf):
            for q in range(npc):
                out[j, q, r, 0] = out[j, q, r, 1] if (nv >= 2 and need[r, 0] != 0) else np.nan


@pjit
def p1812_radials(d, h, rc, zone, n_valid, need, site_lat, az_deg, htg, hrg, f, p, pol, dn, n0, dct, dcr, pl, sigma_l,
                  att4, out):
    """Rec. ITU-R P.1812-6 basic transmission loss at every node of a polar grid.

    ``zone`` codes follow P.1812 (1 sea, 3 coastal land, 4 inland); ``rc`` is the
    representative clutter height [m]; ``pl`` the location percentage [%] and ``sigma_l`` its
    standard deviation [dB]. Other parameters as :func:`p452_radials`; ``out`` receives Lb [dB].
    (P.1812's per-path core has no geometry / loss split, so each (f, p) repeats the path analysis.)
    """
    nrad = h.shape[0]
    ns = h.shape[1]
    nf = f.shape[0]
    npc = p.shape[0]
    sp1 = math.sin(site_lat * math.pi / 180.0)
    cp1 = math.cos(site_lat * math.pi / 180.0)
    for r in prange(nrad):
        cth = math.cos(az_deg[r] * math.pi / 180.0)
        res = np.empty(_p1812.NOUT)
        dd = np.empty(MIN_POINTS)
        hh = np.empty(MIN_POINTS)
        rr = np.empty(MIN_POINTS)
        zz = np.empty(MIN_POINTS)
        nv = n_valid[r]
        hr = h[r]
        rcr = rc[r]
        zr = zone[r]
        for k in range(ns):
            if k >= nv or (need[r, k] == 0 and not (k == 1 and need[r, 0] != 0)):
                for j in range(nf):
                    for q in range(npc):
                        out[j, q, r, k] = np.nan
        for k in range(1, nv):
            if need[r, k] == 0 and not (k == 1 and need[r, 0] != 0):
                continue
            m = k + 1
            lat_c = _centre_lat(sp1, cp1, cth, d[k])
            if m < MIN_POINTS:
                _short_profile(d, hr, rcr, zr, k, dd, hh, rr, zz)
            for j in range(nf):
                for q in range(npc):
                    if m < MIN_POINTS:
                        _p1812.p1812_path(dd, hh, rr, zz, MIN_POINTS, f[j], p[q], htg, hrg, pol, dn, n0, dct, dcr,
                                          lat_c, pl, sigma_l, att4, res)
                    else:
                        _p1812.p1812_path(d, hr, rcr, zr, m, f[j], p[q], htg, hrg, pol, dn, n0, dct, dcr,
                                          lat_c, pl, sigma_l, att4, res)
                    out[j, q, r, k] = res[_p1812.I_LB]
        for j in range(nf):
            for q in range(npc):
                out[j, q, r, 0] = out[j, q, r, 1] if (nv >= 2 and need[r, 0] != 0) else np.nan


@pjit
def itm_radials(h, n_valid, need, xi_m, h_tx_m, h_rx_m, climate, n_0, n_s_direct, f_mhz, pol, epsilon, sigma, mdvar,
                time, location, situation, out, codes):
    """NTIA ITM 1.2.2 point-to-point loss at every node of a polar grid.

    Parameters
    ----------
    h : ndarray, shape (n_radials, n_samples)
        Terrain heights of equally spaced radial samples (spacing ``xi_m`` [m]). [m]
    n_valid : ndarray of int64, shape (n_radials,)
        Valid samples per radial.
    h_tx_m, h_rx_m, climate, n_0, n_s_direct, pol, epsilon, sigma, mdvar : scalars
        As :func:`spectrum.kernels.itm.p2p_path`.
    f_mhz : ndarray, shape (n_f,)
        Frequencies. [MHz]
    time, location, situation : ndarray, shape (n_q,)
        Quantiles [%]; the geometry and reference attenuation of a node are computed once per
        frequency and reused for every quantile.
    out : ndarray, shape (n_f, n_q, n_radials, n_samples)
        Receives the basic transmission loss [dB]; NaN for invalid nodes and NTIA errors.
    need : ndarray of uint8, shape (n_radials, n_samples)
        Nodes to compute (the others are NaN).
    codes : ndarray of int64, shape (n_f, n_radials, n_samples)
        Receives NTIA's return code of each node (0, 1 warnings, >= 1000 errors; -1 invalid).
    """
    nrad = h.shape[0]
    ns = h.shape[1]
    nf = f_mhz.shape[0]
    nq = time.shape[0]
    for r in prange(nrad):
        ref = np.empty(_itm.N_OUT)
        tmp = np.empty(_itm.N_OUT)
        nv = n_valid[r]
        hr = h[r]
        for k in range(ns):
            if k >= nv or (need[r, k] == 0 and not (k == 1 and need[r, 0] != 0)):
                for j in range(nf):
                    codes[j, r, k] = -1
                    for q in range(nq):
                        out[j, q, r, k] = np.nan
        for k in range(1, nv):
            if need[r, k] == 0 and not (k == 1 and need[r, 0] != 0):
                continue
            for j in range(nf):
                rc = _itm.p2p_reference(hr, k + 1, xi_m, h_tx_m, h_rx_m, climate, n_0, n_s_direct, f_mhz[j], pol,
                                        epsilon, sigma, mdvar, ref)
                codes[j, r, k] = rc
                for q in range(nq):
                    if rc > _itm.SUCCESS_WITH_WARNINGS:
                        out[j, q, r, k] = np.nan
                        continue
                    for s in range(_itm.N_OUT):
                        tmp[s] = ref[s]
                    rq = _itm.apply_variability(tmp, time[q], location[q], situation[q], f_mhz[j], climate, mdvar)
                    out[j, q, r, k] = tmp[_itm.OUT_A_DB] if rq <= _itm.SUCCESS_WITH_WARNINGS else np.nan
        ok0 = nv >= 2 and need[r, 0] != 0
        for j in range(nf):
            codes[j, r, 0] = codes[j, r, 1] if ok0 else -1
            for q in range(nq):
                out[j, q, r, 0] = out[j, q, r, 1] if ok0 else np.nan


@jit
def _centre_lat(sp1, cp1, cth, d_km):
    # latitude [deg] at distance d_km / 2 along a great circle (spectrum.geo.destination formula)
    dl = 0.5 * d_km / 6371.0
    s2 = sp1 * math.cos(dl) + cp1 * math.sin(dl) * cth
    if s2 > 1.0:
        s2 = 1.0
    elif s2 < -1.0:
        s2 = -1.0
    return math.asin(s2) * (180.0 / math.pi)


@pjit
def path_centre_latitudes(site_lat, az_deg, d_km, out):
    """Latitude [deg] of the point at half the distance to every radial node: ``out[r, k]`` at
    bearing ``az_deg[r]`` and distance ``d_km[k] / 2`` on the 6371 km sphere (spectrum.geo.destination,
    P.2001-4 Attachment H) -- the path-centre latitude of P.452 / P.1812 for the path to node (r, k)."""
    d2r = math.pi / 180.0
    p1 = site_lat * d2r
    sp1 = math.sin(p1)
    cp1 = math.cos(p1)
    for r in prange(az_deg.shape[0]):
        cth = math.cos(az_deg[r] * d2r)
        for k in range(d_km.shape[0]):
            out[r, k] = _centre_lat(sp1, cp1, cth, d_km[k])


@jit
def _dist_bearing(p1, sp1, cp1, lam1, lat, lon):
    # haversine distance [km] and initial bearing [deg, 0..360) as spectrum.geo (P.2001-4 Att. H)
    d2r = math.pi / 180.0
    p2 = lat * d2r
    dphi = p2 - p1
    dlam = lon * d2r - lam1
    s = math.sin(dphi / 2.0)
    t = math.sin(dlam / 2.0)
    cp2 = math.cos(p2)
    a = s * s + cp1 * cp2 * t * t
    if a > 1.0:
        a = 1.0
    dist = 2.0 * 6371.0 * math.asin(math.sqrt(a))
    y = math.sin(dlam) * cp2
    x = cp1 * math.sin(p2) - sp1 * cp2 * math.cos(dlam)
    b = (math.atan2(y, x) / d2r) % 360.0
    if b >= 360.0:
        b = 0.0
    return dist, b


@pjit
def pixel_polar(site_lat, site_lon, lat, lon, dist, brg):
    """Distance [km] and bearing [deg] from the site to every pixel of a lat x lon grid."""
    d2r = math.pi / 180.0
    p1 = site_lat * d2r
    sp1 = math.sin(p1)
    cp1 = math.cos(p1)
    lam1 = site_lon * d2r
    for i in prange(lat.shape[0]):
        for j in range(lon.shape[0]):
            dd, bb = _dist_bearing(p1, sp1, cp1, lam1, lat[i], lon[j])
            dist[i, j] = dd
            brg[i, j] = bb


@pjit
def polar_to_grid(values, daz_deg, dd_km, dist, brg, bilinear, out):
    """Fill pixels from polar values by nearest-node or bilinear (azimuth x distance) lookup.

    Parameters
    ----------
    values : ndarray, shape (n_cases, n_radials, n_samples)
        Polar values; radial ``r`` at azimuth ``r * daz_deg``, sample ``k`` at ``k * dd_km``.
    daz_deg, dd_km : float
        Radial spacing [deg] and sample spacing [km].
    dist, brg : ndarray, shape (n_y, n_x)
        Pixel distance [km] and bearing [deg] from the site (:func:`pixel_polar`).
    bilinear : bool
        Bilinear interpolation between the 4 surrounding nodes (NaN if any is NaN) or the
        nearest node.
    out : ndarray, shape (n_cases, n_y, n_x)
        Receives the pixel values; NaN beyond the last sample.
    """
    nc = values.shape[0]
    nrad = values.shape[1]
    ns = values.shape[2]
    for i in prange(dist.shape[0]):
        for j in range(dist.shape[1]):
            fk = dist[i, j] / dd_km
            fr = brg[i, j] / daz_deg
            if fk > ns - 1 + 1e-9:
                for c in range(nc):
                    out[c, i, j] = np.nan
                continue
            if bilinear:
                k0 = int(math.floor(fk))
                if k0 >= ns - 1:
                    k0 = ns - 2
                tk = fk - k0
                if tk < 0.0:
                    tk = 0.0
                elif tk > 1.0:
                    tk = 1.0
                r0 = int(math.floor(fr))
                tr = fr - r0
                r0 = r0 % nrad
                r1 = (r0 + 1) % nrad
                for c in range(nc):
                    v00 = values[c, r0, k0]
                    v01 = values[c, r0, k0 + 1]
                    v10 = values[c, r1, k0]
                    v11 = values[c, r1, k0 + 1]
                    a = v00 + tk * (v01 - v00) if tk > 0.0 else v00
                    b = v10 + tk * (v11 - v10) if tk > 0.0 else v10
                    out[c, i, j] = a + tr * (b - a) if tr > 0.0 else a
            else:
                k = int(math.floor(fk + 0.5))
                if k > ns - 1:
                    k = ns - 1
                r = int(math.floor(fr + 0.5)) % nrad
                for c in range(nc):
                    out[c, i, j] = values[c, r, k]


@jit
def needed_nodes(n_radials, n_samples, daz_deg, dd_km, dist, brg, bilinear, need):
    """Mark the polar nodes (``need[r, k] = 1``) that :func:`polar_to_grid` reads for these pixels."""
    for i in range(dist.shape[0]):
        for j in range(dist.shape[1]):
            fk = dist[i, j] / dd_km
            fr = brg[i, j] / daz_deg
            if fk > n_samples - 1 + 1e-9:
                continue
            if bilinear:
                k0 = int(math.floor(fk))
                if k0 >= n_samples - 1:
                    k0 = n_samples - 2
                r0 = int(math.floor(fr)) % n_radials
                r1 = (r0 + 1) % n_radials
                need[r0, k0] = 1
                need[r0, k0 + 1] = 1
                need[r1, k0] = 1
                need[r1, k0 + 1] = 1
            else:
                k = int(math.floor(fk + 0.5))
                if k > n_samples - 1:
                    k = n_samples - 1
                need[int(math.floor(fr + 0.5)) % n_radials, k] = 1


@pjit
def power_sum_db(stack, out):
    """Power sum 10 log10(sum 10^(x/10)) over axis 0 of ``stack`` (n_terms, n); NaN terms skipped,
    all-NaN gives NaN. Stable (max factored out)."""
    nt = stack.shape[0]
    for i in prange(stack.shape[1]):
        m = -np.inf
        for t in range(nt):
            v = stack[t, i]
            if v == v and v > m:
                m = v
        if m == -np.inf:
            out[i] = np.nan
            continue
        s = 0.0
        for t in range(nt):
            v = stack[t, i]
            if v == v:
                s += 10.0 ** ((v - m) / 10.0)
        out[i] = m + 10.0 * math.log10(s)
