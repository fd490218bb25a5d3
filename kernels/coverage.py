"""Coverage / interference map kernels: propagation models along radials, then polar -> grid.

Layout (STYLE.md rules 1, 6 and 8):

* Terrain work is done once: the caller samples ``n_radials`` great-circle radials from the
  site (:func:`spectrum.terrain.radial_profiles`), equally spaced samples ``d[k]`` shared by
  every radial. The receiver at sample ``k`` of radial ``r`` sees the profile prefix
  ``d[:k+1], h[r, :k+1]`` -- exactly the profile :func:`spectrum.terrain.profile` would give
  for that path at that step, so each polar node is the point-to-point model itself.
* The per-path model cores are called on those prefixes **without copying** (they take the
  number of valid points ``n``): :func:`spectrum.kernels.p452.path_geometry` +
  :func:`~spectrum.kernels.p452.path_losses_gas`, :func:`spectrum.kernels.itm.p2p_reference` +
  :func:`~spectrum.kernels.itm.apply_variability`, :func:`spectrum.kernels.p1812.p1812_path`.
* Work reused along each radial and across cases: the P.452 path geometry (horizons,
  smooth-Earth fit, zone statistics) is computed once per node and reused for every frequency
  and time percentage; the P.676 specific attenuations (line-by-line, the costliest scalar of
  P.452) are computed once per radial and frequency and recomputed only where the sea fraction
  of the prefix changes (water-vapour density 7.5 + 2.5 omega); the ITM geometry and reference
  attenuation are computed once per node and frequency and reused for every time / location /
  situation quantile; the path-centre latitude of every node is precomputed.
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


@pjit
def p452_radials(d, h, g, zone, n_valid, need, lat_c, htg, hrg, f, p, dn, n0, pol, dct, dcr, press, temp, gt, gr,
                 inv_d, inv_r_table, out):
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
    lat_c : ndarray, shape (n_radials, n_samples)
        Path-centre latitude of the path from the site to each node. [deg]
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
    for r in prange(nrad):
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
        last_omega = -1.0
        nv = n_valid[r]
        hr = h[r]
        gr_ = g[r]
        zr = zone[r]
        for k in range(ns):
            if k >= nv or (need[r, k] == 0 and not (k == 1 and need[r, 0] != 0)):
                for j in range(nf):
                    for q in range(npc):
                        out[j, q, r, k] = np.nan
                continue
            if k == 0:
                continue
            m = k + 1
            if m < MIN_POINTS:
                _short_profile(d, hr, gr_, zr, k, dd, hh, gg, zz)
                inverse_distances(dd, MIN_POINTS, ivd4, ivr4)
                _p452.path_geometry_inv(dd, hh, zz, MIN_POINTS, htg, hrg, dn, lat_c[r, k], 18, 0.0, 0.0, 0.0, 0.0,
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
                _p452.path_geometry_inv(d, hr, zr, m, htg, hrg, dn, lat_c[r, k], 18, 0.0, 0.0, 0.0, 0.0, inv_d, row,
                                        geom)
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
def p1812_radials(d, h, rc, zone, n_valid, need, lat_c, htg, hrg, f, p, pol, dn, n0, dct, dcr, pl, sigma_l, att4, out):
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
    for r in prange(nrad):
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
            if m < MIN_POINTS:
                _short_profile(d, hr, rcr, zr, k, dd, hh, rr, zz)
            for j in range(nf):
                for q in range(npc):
                    if m < MIN_POINTS:
                        _p1812.p1812_path(dd, hh, rr, zz, MIN_POINTS, f[j], p[q], htg, hrg, pol, dn, n0, dct, dcr,
                                          lat_c[r, k], pl, sigma_l, att4, res)
                    else:
                        _p1812.p1812_path(d, hr, rcr, zr, m, f[j], p[q], htg, hrg, pol, dn, n0, dct, dcr,
                                          lat_c[r, k], pl, sigma_l, att4, res)
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
