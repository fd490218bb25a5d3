"""Rec. ITU-R P.452-18 / P.452-17 clear-air basic transmission loss: Numba kernels.

Layout (STYLE.md rules 1, 6 and 8):

* **Geometry** -- :func:`path_geometry` fills a float64 vector ``geom`` (indices ``G_*``
  below) from the profile, antenna heights, DN and latitude only: path length,
  horizon angles and distances, smooth-Earth heights (diffraction and ducting),
  terrain roughness, path type, zone statistics (omega, dtm, dlm), beta0, and for
  P.452-17 the terminal-clutter truncation of the profile. It does not depend on the
  frequency or the time percentage, so one geometry serves any number of (f, p).
  :func:`path_geometry_full` also stores the delta-Bullington scans of the diffraction
  profile (also independent of f and p), after which the losses are O(1) in the profile
  length.
* **Losses** -- :func:`path_losses` takes the profile (terrain + clutter heights ``g``
  for P.452-18), ``geom`` and (f, p, ...) and writes Lb and the intermediate losses
  (indices ``L_*``).
* **Batch** -- :func:`basic_transmission_loss_batch` runs both over padded profiles
  ``(n_paths, n_max)`` with ``prange`` over chunks of paths; :func:`path_geometry_batch` and
  :func:`path_losses_batch` split the two stages for reuse. Each ``*_batch`` kernel has a
  ``*_serial`` twin compiled from the same body (``prange`` is ``range`` without
  ``parallel``), for one or a few paths.

Speed (float64, no fastmath): the geometry makes one pass over the profile for the
least-squares surface, the obstruction and horizon maxima and the actual-profile
Bullington scans at ae and a_beta (the ae maxima are the geometry's own when the
diffraction profile is the terrain); the highest-nu points are searched in a second pass
only on line-of-sight paths; P.676 is evaluated once for both water-vapour densities and
once per run of paths with equal (f, pressure, temperature, omega).

Per-path functions take ``n``, the number of valid points, so rows of padded arrays and
prefixes of radial profiles are passed without copying (except for P.452-17 terminal
clutter, which truncates and re-origins the profile in a small scratch copy).

Polarisation code: 0 horizontal, 1 vertical. Version code: 18 or 17.
Constants: c = 2.998e8 m/s (lambda = 0.2998 / f_GHz), free-space constant 92.4 dB,
as P.452-17/-18 and their ITU-R reference implementation.
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit, prange, twins as _twins
from .p526 import inverse_distances
from .p452_geometry import *  # noqa: F401,F403  (slots and geometry kernels are part of this module's API)
from .p452_geometry import (G_OMEGA, N_GEOM, N_LOSS, _geometry, clutter_profile, path_geometry_full,  # noqa: F401
                            path_geometry_inv, scans_valid)
from .p452_losses import *  # noqa: F401,F403
from .p452_losses import (_gas, _gas_table, _n_chunks, path_losses_gas_inv)  # noqa: F401


@jit
def basic_transmission_loss_path(d, h, g, zone, n, f, p, htg, hrg, dn, n0, lat, pol, dct, dcr, press, temp,
                                 gt, gr, version, ha_t, ha_r, dk_t, dk_r, geom, out):
    """Geometry then losses for one path (see :func:`path_geometry`, :func:`path_losses`)."""
    inv_d = np.empty(n)
    inv_r = np.empty(n)
    inverse_distances(d, n, inv_d, inv_r)
    path_geometry_full(d, h, g, zone, n, htg, hrg, dn, lat, version, ha_t, ha_r, dk_t, dk_r, inv_d, inv_r, geom)
    gam, gam3 = _gas(f, press, temp, geom[G_OMEGA])
    dcache = np.full(5, np.nan)
    path_losses_gas_inv(d, g, n, geom, f, p, dn, n0, pol, dct, dcr, press, temp, gt, gr, gam, gam3, inv_d, inv_r,
                        dcache, out)


@jit
def path_losses_cases(d, g, n, geom, f, p, dn, n0, pol, dct, dcr, press, temp, gt, gr):
    """:func:`path_losses` for one path and one geometry over 1-D arrays ``f``, ``p`` (same length).

    Returns ``(n_cases, N_LOSS)``. Serial: for one path at many frequencies / percentages.
    """
    res = np.empty((f.shape[0], N_LOSS))
    inv_d = np.empty(n)
    inv_r = np.empty(n)
    if not scans_valid(geom):
        inverse_distances(d, n, inv_d, inv_r)
    dcache = np.full(5, np.nan)
    lastf = np.nan
    gam = 0.0
    gam3 = 0.0
    for j in range(f.shape[0]):
        if f[j] != lastf:
            gam, gam3 = _gas(f[j], press, temp, geom[G_OMEGA])
            lastf = f[j]
        path_losses_gas_inv(d, g, n, geom, f[j], p[j], dn, n0, pol, dct, dcr, press, temp, gt, gr, gam, gam3,
                            inv_d, inv_r, dcache, res[j])
    return res


@jit
def _geometry_chunk(c, nchunk, d, h, g, zone, n, htg, hrg, dn, lat, version, ha_t, ha_r, dk_t, dk_r, geom, scan):
    """Chunk ``c`` of ``nchunk`` of the batch geometry: paths ``c * npath // nchunk`` up to
    ``(c + 1) * npath // nchunk`` (one scratch ``inv_d``, ``inv_r`` for the chunk).

    ``scan`` False: :func:`path_geometry_inv` (pass ``g = h``); True: :func:`path_geometry_full`.
    """
    npath = d.shape[0]
    k0 = c * npath // nchunk
    k1 = (c + 1) * npath // nchunk
    inv_d = np.empty(d.shape[1])
    inv_r = np.empty(d.shape[1])
    for k in range(k0, k1):
        inverse_distances(d[k], n[k], inv_d, inv_r)
        _geometry(d[k], h[k], g[k], zone[k], n[k], htg[k], hrg[k], dn[k], lat[k], version, ha_t[k], ha_r[k],
                  dk_t[k], dk_r[k], inv_d, inv_r, geom[k], scan)


@jit
def _losses_chunk(c, nchunk, d, g, n, geom, f, p, dn, n0, pol, dct, dcr, press, temp, gt, gr, gam, gam3, res):
    """Chunk ``c`` of ``nchunk`` of the batch losses: :func:`path_losses_gas_inv` for every
    case ``j`` of ``f[k, j]``, ``p[k, j]`` into ``res[k, j]`` (Ld cache shared by a path's cases)."""
    npath = d.shape[0]
    k0 = c * npath // nchunk
    k1 = (c + 1) * npath // nchunk
    inv_d = np.empty(d.shape[1])
    inv_r = np.empty(d.shape[1])
    dcache = np.empty(5)
    for k in range(k0, k1):
        if not scans_valid(geom[k]):
            inverse_distances(d[k], n[k], inv_d, inv_r)
        dcache[:] = np.nan
        for j in range(f.shape[1]):
            path_losses_gas_inv(d[k], g[k], n[k], geom[k], f[k, j], p[k, j], dn[k], n0[k], int(pol[k]), dct[k],
                                dcr[k], press[k], temp[k], gt[k], gr[k], gam[k, j], gam3[k, j], inv_d, inv_r,
                                dcache, res[k, j])


def _geometry_paths(d, h, zone, n, htg, hrg, dn, lat, version, ha_t, ha_r, dk_t, dk_r):
    geom = np.empty((d.shape[0], N_GEOM))
    nchunk = _n_chunks(d.shape[0])
    for c in prange(nchunk):
        _geometry_chunk(c, nchunk, d, h, h, zone, n, htg, hrg, dn, lat, version, ha_t, ha_r, dk_t, dk_r, geom, False)
    return geom


path_geometry_batch, path_geometry_serial = _twins(
    _geometry_paths, "path_geometry_batch",
    """:func:`path_geometry` over padded profiles; per-path 1-D parameter arrays. Returns (n_paths, N_GEOM).""")


def _geometry_full_paths(d, h, g, zone, n, htg, hrg, dn, lat, version, ha_t, ha_r, dk_t, dk_r):
    geom = np.empty((d.shape[0], N_GEOM))
    nchunk = _n_chunks(d.shape[0])
    for c in prange(nchunk):
        _geometry_chunk(c, nchunk, d, h, g, zone, n, htg, hrg, dn, lat, version, ha_t, ha_r, dk_t, dk_r, geom, True)
    return geom


path_geometry_full_batch, path_geometry_full_serial = _twins(
    _geometry_full_paths, "path_geometry_full_batch",
    """:func:`path_geometry_full` over padded profiles (``g``: diffraction profile). Returns (n_paths, N_GEOM).""")


def _losses_paths(d, g, n, geom, f, p, dn, n0, pol, dct, dcr, press, temp, gt, gr):
    res = np.empty((d.shape[0], f.shape[1], N_LOSS))
    gam, gam3 = _gas_table(f, press, temp, geom)
    nchunk = _n_chunks(d.shape[0])
    for c in prange(nchunk):
        _losses_chunk(c, nchunk, d, g, n, geom, f, p, dn, n0, pol, dct, dcr, press, temp, gt, gr, gam, gam3, res)
    return res


path_losses_batch, path_losses_serial = _twins(
    _losses_paths, "path_losses_batch",
    """:func:`path_losses` for every (path, f, p) with one geometry per path.

    ``f`` and ``p`` are 2-D ``(n_paths, n_cases)``; the other parameters are per path.
    Returns ``(n_paths, n_cases, N_LOSS)``. The gaseous attenuation is computed once per
    run of equal (f, press, temp, omega) (:func:`_gas_table`), then the paths are processed
    in chunks, one per task; Ld50 and Ld(beta0) are reused between the cases of a path
    with the same f (and pol).
    """)


def _btl_paths(d, h, g, zone, n, f, p, htg, hrg, dn, n0, lat, pol, dct, dcr, press, temp, gt, gr, version, ha_t,
               ha_r, dk_t, dk_r):
    npath = d.shape[0]
    geom = np.empty((npath, N_GEOM))
    nchunk = _n_chunks(npath)
    for c in prange(nchunk):
        _geometry_chunk(c, nchunk, d, h, g, zone, n, htg, hrg, dn, lat, version, ha_t, ha_r, dk_t, dk_r, geom, True)
    # one case per path: (n_paths, 1) frequencies and percentages for _gas_table / _losses_chunk
    f2 = np.empty((npath, 1))
    p2 = np.empty((npath, 1))
    for k in range(npath):
        f2[k, 0] = f[k]
        p2[k, 0] = p[k]
    gam, gam3 = _gas_table(f2, press, temp, geom)
    res = np.empty((npath, 1, N_LOSS))
    for c in prange(nchunk):
        _losses_chunk(c, nchunk, d, g, n, geom, f2, p2, dn, n0, pol, dct, dcr, press, temp, gt, gr, gam, gam3, res)
    return res.reshape((npath, N_LOSS)), geom


basic_transmission_loss_batch, basic_transmission_loss_serial = _twins(
    _btl_paths, "basic_transmission_loss_batch",
    """Geometry + losses over a batch of padded profiles, ``prange`` over chunks of paths.

    Every per-path parameter is a 1-D array of length ``n_paths``; ``version`` is a scalar.
    Returns ``(losses (n_paths, N_LOSS), geom (n_paths, N_GEOM))``. Three stages: the
    geometry with the diffraction scans (:func:`path_geometry_full`, parallel), the gaseous
    attenuation once per run of equal (f, press, temp, omega) (:func:`_gas_table`, serial),
    and the losses (parallel, O(1) in the profile length per path).
    """)


@jit
def api_profile_ok(d, h, zone, r, n_min, z_min, z_max, zones, d_min, d_max):
    """Whether one path's profile is what the public API accepts (the profile part of
    :func:`p452_api` and :func:`spectrum.kernels.p1812.p1812_api`).

    At least ``n_min`` points; ``h`` (and ``zone``, ``r`` unless empty) as long as ``d``; ``d``
    starting at 0 and strictly increasing; elevations in ``[z_min, z_max]``; zone codes among
    the three of ``zones``; clutter heights finite and >= 0; path length in ``[d_min, d_max]``.
    NaN fails every test.
    """
    n = d.shape[0]
    if n < n_min or h.shape[0] != n or d[0] != 0.0:
        return False
    if (zone.shape[0] != 0 and zone.shape[0] != n) or (r.shape[0] != 0 and r.shape[0] != n):
        return False
    nbad = 0
    for i in range(1, n):
        nbad += 0 if d[i] > d[i - 1] else 1
    for i in range(n):
        v = h[i]
        nbad += 0 if (v >= z_min and v <= z_max) else 1
    for i in range(zone.shape[0]):
        v = zone[i]
        nbad += 0 if (v == zones[0] or v == zones[1] or v == zones[2]) else 1
    for i in range(r.shape[0]):
        nbad += 0 if r[i] >= 0.0 and r[i] < math.inf else 1
    if nbad:
        return False
    dtot = d[n - 1]
    return dtot >= d_min and dtot <= d_max


@jit
def p452_api(d, h, zone, r, f, p, htg, hrg, dn, n0, lat, pol, dct, dcr, press, temp, gt, gr, z_min, z_max,
             d_min, d_max, h_max, buf):
    """Checked one-path P.452-18 entry of the public API (geometry + losses, one (f, p)).

    ``zone`` and ``r`` (representative clutter heights) are 1-D like ``d``, or empty for an
    inland path without clutter. Returns -1, computing nothing, when an input is outside what
    :func:`spectrum.propagation.p452.basic_transmission_loss` accepts (the caller then runs
    its checks, which name the problem): fewer than 4 points, ``d`` not starting at 0 or not
    strictly increasing or not finite, elevations not finite or outside ``[z_min, z_max]``,
    path length outside ``[d_min, d_max]``, antenna heights outside ``(0, h_max]``, zone codes
    other than 1/2/3, negative or NaN clutter, or a scalar outside its range. Else 0, with the
    losses in ``buf[:N_LOSS]`` (``L_*``) and the geometry in ``buf[N_LOSS:]`` (``G_*``).
    """
    if not api_profile_ok(d, h, zone, r, 4, z_min, z_max, (1.0, 2.0, 3.0), d_min, d_max):
        return -1
    n = d.shape[0]
    if not (f >= 0.1 and f <= 50.0 and p >= 0.001 and p <= 50.0):
        return -1
    if not (htg > 0.0 and htg <= h_max and hrg > 0.0 and hrg <= h_max):
        return -1
    if not (dn >= 0.0 and dn < 157.0 and n0 >= 150.0 and n0 <= 500.0 and lat >= -90.0 and lat <= 90.0):
        return -1
    if not (dct >= 0.0 and dcr >= 0.0 and press > 0.0 and press < math.inf and temp >= -100.0 and temp <= 60.0):
        return -1
    if not (gt >= -100.0 and gt <= 100.0 and gr >= -100.0 and gr <= 100.0):
        return -1
    zn = zone if zone.shape[0] == n else np.full(n, 2.0)
    if r.shape[0] == n:
        g = np.empty(n)
        clutter_profile(d, h, r, n, g)
    else:
        g = h
    basic_transmission_loss_path(d, h, g, zn, n, f, p, htg, hrg, dn, n0, lat, pol, dct, dcr, press, temp, gt, gr,
                                 18, 0.0, 0.0, 0.0, 0.0, buf[N_LOSS:], buf[:N_LOSS])
    return 0
