"""Coverage kernels, stage 2: the propagation models (P.452, P.1812, ITM) at the nodes of the
radials. See :mod:`spectrum.kernels.coverage` for the layout."""
from __future__ import annotations

import math

import numpy as np

from . import itm as _itm
from . import p452 as _p452
from . import p1812 as _p1812
from ._jit import pjit, prange
from .coverage_geometry import MIN_POINTS, N_STATE, _short_profile, p452_node_geometry, prefix_advance, prefix_init
from .coverage_grid import _centre_lat
from .p526 import inverse_distances

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
