"""Coverage kernels, stage 3: pixel <-> polar geometry, polar -> grid lookup, needed nodes, power
sums. See :mod:`spectrum.kernels.coverage` for the layout."""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit, pjit, prange

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
