"""Terrain sampling kernels over a tile catalogue: bilinear heights from many tiles at once,
seamless across tile edges, finest source first.

Catalogue layout (built by :mod:`spectrum.terrain.catalogue`), passed as one tuple ``cat``::

    (buf, off, r0, c0, nr, nc,                     # tiles
     lat_o, dlat, lon_o, dlon,                     # levels (one lattice of grid posts each)
     blk, b_i0, b_j0, nbi, nbj, b_off, b_start, b_tiles,   # per-level block index (CSR)
     level)                                        # level of each tile

* ``buf`` (float32): every loaded tile's heights, row-major, rows south to north; tile ``t``
  starts at ``off[t]`` and has ``nr[t] x nc[t]`` posts; NaN is a void; **sea cells hold -0.0**
  (height 0 m, sign bit set) so the sea flag travels with the height at no memory cost.
* A *level* is a lattice of posts ``lat_o[l] + I*dlat[l]``, ``lon_o[l] + J*dlon[l]``; a tile of
  level ``l`` holds the posts ``I in [r0[t], r0[t]+nr[t])``, ``J in [c0[t], c0[t]+nc[t])``.
  Levels are ordered finest first.
* Block index: the lattice is cut into ``blk[l] x blk[l]`` post blocks; block ``(bi, bj)``
  (``bi = I // blk - b_i0[l]``) lists, in ``b_tiles[b_start[k]:b_start[k+1]]`` with
  ``k = b_off[l] + bi*nbj[l] + bj``, the tiles meeting it, in priority order.

A bilinear sample needs the 2-4 posts around the point; each post is read from whichever tile
of the level holds it (so a cell spanning two tiles, e.g. the one-pixel gap between pixel-is-area
tiles, is interpolated exactly as in one mosaic). The first level whose posts are all present
and valid gives the height. Status: 0 ok, 1 no level covers the point (outside the data),
2 covered but void. Kernels trust their input.
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit, pjit, prange
from .profile import gc_point, gc_rotate, gc_setup, lerp4, radial_point, sincos_deg

#: Fractions of a cell this close to 0 or 1 snap to the post (edge samples count as inside).
EDGE_TOL = 1e-7


@jit
def _block(cat, lv, i, j):
    """Block of the level-``lv`` index holding post (i, j): its tiles are
    ``b_tiles[b_start[k]:b_start[k + 1]]``; -1 outside the index."""
    blk, b_i0, b_j0, nbi, nbj, b_off = cat[10], cat[11], cat[12], cat[13], cat[14], cat[15]
    bs = blk[lv]
    bi = i // bs - b_i0[lv]
    bj = j // bs - b_j0[lv]
    if bi < 0 or bj < 0 or bi >= nbi[lv] or bj >= nbj[lv]:
        return -1
    return b_off[lv] + bi * nbj[lv] + bj


@jit
def _post(cat, lv, i, j):
    """Height at post (i, j) of level ``lv`` from the first tile holding a valid value;
    returns (value, found) -- found is False when no tile of the level holds the post."""
    buf, off, r0, c0, nr, nc = cat[0], cat[1], cat[2], cat[3], cat[4], cat[5]
    b_start, b_tiles = cat[16], cat[17]
    k = _block(cat, lv, i, j)
    if k < 0:
        return np.nan, False
    found = False
    for q in range(b_start[k], b_start[k + 1]):
        t = b_tiles[q]
        r = i - r0[t]
        c = j - c0[t]
        if r >= 0 and c >= 0 and r < nr[t] and c < nc[t]:
            v = np.float64(buf[off[t] + r * nc[t] + c])
            found = True
            if not math.isnan(v):
                return v, True
    return np.nan, found


@jit
def _frac(f):
    """Integer post below ``f`` and the fraction in [0, 1), snapping within EDGE_TOL of a post."""
    i = math.floor(f)
    t = f - i
    if t > 1.0 - EDGE_TOL:
        return np.int64(i) + 1, 0.0
    if t < EDGE_TOL:
        return np.int64(i), 0.0
    return np.int64(i), t


@jit
def _locate(cat, lv, i, j):
    """Index of the first tile of level ``lv`` (priority order) holding post (i, j), or -1."""
    r0, c0, nr, nc = cat[2], cat[3], cat[4], cat[5]
    b_start, b_tiles = cat[16], cat[17]
    k = _block(cat, lv, i, j)
    if k < 0:
        return -1
    for q in range(b_start[k], b_start[k + 1]):
        t = b_tiles[q]
        r = i - r0[t]
        c = j - c0[t]
        if r >= 0 and c >= 0 and r < nr[t] and c < nc[t]:
            return t
    return -1


@jit
def _level_sample(cat, lv, lat, lon, hint):
    """Bilinear height of level ``lv`` at (lat, lon): (h, status, tile) with status 0 ok, 1 not
    covered, 2 covered but a needed post is a void. ``hint`` is a tile to try first (the last one
    used along a path): when it holds the whole cell with valid posts the block index is skipped
    (overlapping tiles of one level are taken to agree where both have data)."""
    buf, off, r0, c0, nr, nc = cat[0], cat[1], cat[2], cat[3], cat[4], cat[5]
    lat_o, dlat, lon_o, dlon = cat[6], cat[7], cat[8], cat[9]
    i, ti = _frac((lat - lat_o[lv]) / dlat[lv])
    best = 1
    for shift in (0.0, 360.0, -360.0):
        j, tj = _frac((lon + shift - lon_o[lv]) / dlon[lv])
        i1 = i + 1 if ti > 0.0 else i
        j1 = j + 1 if tj > 0.0 else j
        t = hint
        if t < 0 or cat[18][t] != lv or i - r0[t] < 0 or j - c0[t] < 0 or i1 - r0[t] >= nr[t] or j1 - c0[t] >= nc[t]:
            t = _locate(cat, lv, i, j)
            if t < 0:
                continue
        if i1 - r0[t] < nr[t] and j1 - c0[t] < nc[t]:
            base = off[t] + (i - r0[t]) * nc[t] + (j - c0[t])
            z00 = np.float64(buf[base])
            z01 = np.float64(buf[base + (j1 - j)])
            z10 = np.float64(buf[base + (i1 - i) * nc[t]])
            z11 = np.float64(buf[base + (i1 - i) * nc[t] + (j1 - j)])
            if not (math.isnan(z00) or math.isnan(z01) or math.isnan(z10) or math.isnan(z11)):
                return lerp4(z00, z01, z10, z11, ti, tj), 0, t
        # the cell spans tiles (or holds a void): each post from whichever tile has it
        z00, f00 = _post(cat, lv, i, j)
        if not f00:
            continue
        z01 = z00
        z10 = z00
        z11 = z00
        ok = True
        if tj > 0.0:
            z01, f = _post(cat, lv, i, j + 1)
            ok = ok and f
        if ti > 0.0:
            z10, f = _post(cat, lv, i + 1, j)
            ok = ok and f
            if tj > 0.0:
                z11, f = _post(cat, lv, i + 1, j + 1)
                ok = ok and f
        if not ok:
            continue
        h = lerp4(z00, z01, z10, z11, ti, tj)
        if math.isnan(h):
            best = 2
            continue
        return h, 0, t
    return np.nan, best, hint


@jit
def sample(cat, lat, lon, hint=-1):
    """Height at (lat, lon) [deg] from the finest level that has it: (h, status, tile), status as
    :func:`_level_sample` (2 if some level covers the point but only with voids)."""
    status = 1
    for lv in range(cat[6].shape[0]):
        h, s, t = _level_sample(cat, lv, lat, lon, hint)
        if s == 0:
            return h, 0, t
        if s == 2:
            status = 2
    return np.nan, status, hint


@jit
def _fast(buf, off, r0, c0, nr, nc, t, fi, fj):
    """Bilinear height inside tile ``t`` at fractional lattice position (fi, fj) when the whole cell
    lies in the tile with valid posts; (h, True), else (NaN, False). The hot path of a profile."""
    if t < 0:
        return np.nan, False
    i, ti = _frac(fi)
    j, tj = _frac(fj)
    r = i - r0[t]
    c = j - c0[t]
    r1 = r + 1 if ti > 0.0 else r
    c1 = c + 1 if tj > 0.0 else c
    if r < 0 or c < 0 or r1 >= nr[t] or c1 >= nc[t]:
        return np.nan, False
    w = nc[t]
    base = off[t] + r * w + c
    z00 = np.float64(buf[base])
    z01 = np.float64(buf[base + (c1 - c)])
    z10 = np.float64(buf[base + (r1 - r) * w])
    z11 = np.float64(buf[base + (r1 - r) * w + (c1 - c)])
    h = lerp4(z00, z01, z10, z11, ti, tj)
    if math.isnan(h):
        return np.nan, False
    return h, True


@jit
def sea_at(cat, lat, lon):
    """1.0 if the nearest post of the finest level covering (lat, lon) is flagged sea (-0.0),
    0.0 if land, NaN if no level covers it."""
    lat_o, dlat, lon_o, dlon = cat[6], cat[7], cat[8], cat[9]
    for lv in range(lat_o.shape[0]):
        i = np.int64(math.floor((lat - lat_o[lv]) / dlat[lv] + 0.5))
        for shift in (0.0, 360.0, -360.0):
            j = np.int64(math.floor((lon + shift - lon_o[lv]) / dlon[lv] + 0.5))
            v, f = _post(cat, lv, i, j)
            if f and not math.isnan(v):
                return 1.0 if (v == 0.0 and math.copysign(1.0, v) < 0.0) else 0.0
    return np.nan


@pjit
def sample_points(cat, lat, lon, out, status):
    """Heights at points ``lat[k], lon[k]`` into ``out[k]`` (NaN where status[k] != 0)."""
    for k in prange(lat.shape[0]):
        h, s, _ = sample(cat, lat[k], lon[k], -1)
        out[k] = h
        status[k] = s


@pjit
def sea_points(cat, lat, lon, out):
    """Sea flag (1.0 sea, 0.0 land, NaN uncovered or NaN input) at points into ``out[k]``."""
    for k in prange(lat.shape[0]):
        if math.isnan(lat[k]) or math.isnan(lon[k]):
            out[k] = np.nan
        else:
            out[k] = sea_at(cat, lat[k], lon[k])


@jit
def sample_path(cat, lat1, lon1, lat2, lon2, npts, d_out, h_out, lat_out, lon_out, want_ll):
    """``npts`` equally spaced samples of the minor great circle from point 1 to point 2
    (the geometry of :func:`spectrum.kernels.profile.sample_path`), heights from the catalogue.
    Returns ``(bad, void)``: first sample outside the data / on a void, each -1 if none."""
    frame, dist, theta, c1, s1 = gc_setup(lat1, lon1, lat2, lon2, npts)
    ck = 1.0
    sk = 0.0
    bad = -1
    void = -1
    hint = -1
    buf, off, r0, c0, nr, nc = cat[0], cat[1], cat[2], cat[3], cat[4], cat[5]
    lat_o0, dlat0, lon_o0, dlon0 = cat[6][0], cat[7][0], cat[8][0], cat[9][0]
    level = cat[18]
    for k in range(npts):
        ck, sk = gc_rotate(k, theta, c1, s1, ck, sk)
        lat, lon = gc_point(k, npts, lat1, lon1, lat2, lon2, frame, ck, sk)
        d_out[k] = (k / (npts - 1.0)) * dist
        ok = False
        h = np.nan
        s = 0
        # inlined on purpose (a call passing ``cat`` per sample costs ~1.7x): the cell of the last tile
        # used, when it is a finest-level tile (nothing can take precedence over it)
        if hint >= 0 and level[hint] == 0:
            h, ok = _fast(buf, off, r0, c0, nr, nc, hint, (lat - lat_o0) / dlat0, (lon - lon_o0) / dlon0)
        if not ok:
            h, s, hint = sample(cat, lat, lon, hint)
        h_out[k] = h
        if s == 1:
            if bad < 0:
                bad = k
        elif s == 2 and void < 0:
            void = k
        if want_ll:
            lat_out[k] = lat
            lon_out[k] = lon
    return bad, void


@pjit
def sample_paths(cat, lat1, lon1, lat2, lon2, npts, d_out, h_out, lat_out, lon_out, want_ll, bad, void):
    """Batch of great-circle paths, ``prange`` over paths (as :func:`kernels.profile.sample_paths`)."""
    for i in prange(lat1.shape[0]):
        if want_ll:
            b, v = sample_path(cat, lat1[i], lon1[i], lat2[i], lon2[i], npts[i], d_out[i], h_out[i],
                               lat_out[i], lon_out[i], True)
        else:
            b, v = sample_path(cat, lat1[i], lon1[i], lat2[i], lon2[i], npts[i], d_out[i], h_out[i],
                               lat_out[0], lon_out[0], False)
        bad[i] = b
        void[i] = v


@pjit
def sample_radials(cat, lat, lon, az_deg, d_km, h_out, lat_out, lon_out, bad):
    """Heights along radials from a site (as :func:`kernels.profile.sample_radials`); ``bad[r]``:
    first sample of radial ``r`` outside the data, or -1."""
    sp1, cp1 = sincos_deg(lat)
    for r in prange(az_deg.shape[0]):
        sth, cth = sincos_deg(az_deg[r])
        b = -1
        hint = -1
        buf, off, r0, c0, nr, nc = cat[0], cat[1], cat[2], cat[3], cat[4], cat[5]
        lat_o0, dlat0, lon_o0, dlon0 = cat[6][0], cat[7][0], cat[8][0], cat[9][0]
        level = cat[18]
        for k in range(d_km.shape[0]):
            la, lo = radial_point(sp1, cp1, lon, sth, cth, d_km[k])
            lat_out[r, k] = la
            lon_out[r, k] = lo
            ok = False
            hh = np.nan
            s = 0
            if hint >= 0 and level[hint] == 0:
                hh, ok = _fast(buf, off, r0, c0, nr, nc, hint, (la - lat_o0) / dlat0, (lo - lon_o0) / dlon0)
            if not ok:
                hh, s, hint = sample(cat, la, lo, hint)
            h_out[r, k] = hh
            if s == 1 and b < 0:
                b = k
        bad[r] = b
