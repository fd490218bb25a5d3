"""Monte Carlo terrain kernels: P.452-18 and P.1812-6 basic transmission loss of every event's
path, read off a polar grid of radial profiles around the path's fixed end.

The grid holds the terrain heights ``h[a, k]`` at azimuth index ``a`` and distance
``d[k] = k * step`` from the centre (the fixed end of the path). An event whose other end lies
at (azimuth index ``a``, distance index ``j``) uses the prefix ``h[a, :j + 1]`` of radial ``a``
as its profile (no copy: the P.452 / P.1812 path kernels take the number of valid points).
The centre is terminal 1 (``htg``), the event's end terminal 2 (``hrg``); both methods are
reciprocal in their terminals apart from the coast distances, which the caller swaps.

``cache`` (same shape as ``h``, NaN = not yet computed) memoises the loss of a cell when every
other input is constant over the events (``use_cache``); a cell's value is a pure function of
the cell, so concurrent threads writing it write the same number and the results do not
depend on the order in which events visit the cells.
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import pjit, prange
from .mc import CHUNK, FS_CONST_DB, _at, _nchunks
from .p1812 import I_LB as P1812_LB, NOUT as P1812_NOUT, location_std, p1812_path
from .p452_geometry import G_OMEGA, L_LB, N_GEOM, N_LOSS, path_geometry_full
from .p452_losses import _gas, path_losses_gas_inv
from .p526 import inverse_distances

#: a path needs this many profile points (P.452: 4); shorter paths get free space
MIN_POINTS = 4


@pjit
def p452_polar(d, h, zone, az_idx, d_idx, f_ghz, p, htg, hrg, dn, n0, lat, pol, dct, dcr, press, temp,
               use_cache, cache, out):
    """P.452-18 Lb [dB] of each event's path (module notes). Paths of fewer than
    :data:`MIN_POINTS` grid points (or shorter than 0.1 km) get the free-space loss at the
    grid distance. ``f_ghz``, ``p``, ``htg``, ``hrg`` per event (length 1 = constant)."""
    n = out.shape[0]
    nmax = d.shape[0]
    for c in prange(_nchunks(n)):
        inv_d = np.empty(nmax)
        inv_r = np.empty(nmax)
        geom = np.empty(N_GEOM)
        res = np.empty(N_LOSS)
        dcache = np.empty(5)
        last_f = np.nan
        last_om = np.nan
        gam = 0.0
        gam3 = 0.0
        for e in range(c * CHUNK, min(n, (c + 1) * CHUNK)):
            a = az_idx[e]
            j = d_idx[e]
            if use_cache:
                v = cache[a, j]
                if v == v:
                    out[e] = v
                    continue
            f = _at(f_ghz, e)
            m = j + 1
            if m < MIN_POINTS or d[j] < 0.1:
                lb = FS_CONST_DB + 20.0 * math.log10(f * 1000.0) + 20.0 * math.log10(max(d[j], 1e-3))
            else:
                inverse_distances(d, m, inv_d, inv_r)
                path_geometry_full(d, h[a], h[a], zone[a], m, _at(htg, e), _at(hrg, e), dn, lat, 18, 0.0, 0.0,
                                   0.0, 0.0, inv_d, inv_r, geom)
                om = geom[G_OMEGA]
                if f != last_f or om != last_om:
                    gam, gam3 = _gas(f, press, temp, om)
                    last_f = f
                    last_om = om
                dcache[:] = np.nan
                path_losses_gas_inv(d, h[a], m, geom, f, _at(p, e), dn, n0, pol, dct, dcr, press, temp, 0.0, 0.0,
                                    gam, gam3, inv_d, inv_r, dcache, res)
                lb = res[L_LB]
            if use_cache:
                cache[a, j] = lb
            out[e] = lb


@pjit
def p1812_polar(d, h, zone, az_idx, d_idx, f_ghz, p, pl, htg, hrg, dn, n0, lat, pol, dct, dcr, use_cache, cache,
                out):
    """P.1812-6 Lb [dB] of each event's path (module notes; representative clutter 0 m, location
    variability sigma_L of P.1812-6 §4.8 at the event's end). Zone codes as P.1812 (1 sea,
    3 coastal land, 4 inland)."""
    n = out.shape[0]
    nmax = d.shape[0]
    for c in prange(_nchunks(n)):
        r = np.zeros(nmax)
        res = np.empty(P1812_NOUT)
        for e in range(c * CHUNK, min(n, (c + 1) * CHUNK)):
            a = az_idx[e]
            j = d_idx[e]
            if use_cache:
                v = cache[a, j]
                if v == v:
                    out[e] = v
                    continue
            f = _at(f_ghz, e)
            m = j + 1
            if m < MIN_POINTS or d[j] < 0.25:
                lb = FS_CONST_DB + 20.0 * math.log10(f * 1000.0) + 20.0 * math.log10(max(d[j], 1e-3))
            else:
                hr = _at(hrg, e)
                sl = location_std(f, hr, 0.0, 100.0)
                p1812_path(d, h[a], r, zone[a], m, f, _at(p, e), _at(htg, e), hr, pol, dn, n0, dct, dcr, lat,
                           _at(pl, e), sl, False, res)
                lb = res[P1812_LB]
            if use_cache:
                cache[a, j] = lb
            out[e] = lb
