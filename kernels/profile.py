"""Terrain sampling kernels: bilinear interpolation on a regular lat/lon grid along
great-circle paths, for one path, for batches of paths, and for radials around a site.

Grid convention (set by :mod:`spectrum.terrain`): ``z[i, j]`` is the height at
``lat0 + i*dlat``, ``lon0 + j*dlon`` (ascending coordinates, degrees), float64, NaN for voids.
A sample outside the grid gives NaN and is reported through the ``bad`` index the kernels
return, so the API layer can say where a path left the DEM. Kernels trust their input.
"""
from __future__ import annotations

import math

import numpy as np

from ._jit import jit, pjit, prange

#: Mean Earth radius used for path geometry (spectrum.geo.EARTH_RADIUS_KM). [km]
R_KM = 6371.0
#: Tolerance, in grid cells, for a sample on the DEM edge to count as inside.
EDGE_TOL = 1e-7


@jit
def lerp4(z00, z01, z10, z11, ti, tj):
    """Bilinear value from the four corners of a cell (``z10`` north of ``z00``, ``z01`` east of it)
    at fractions ti (lat), tj (lon) in [0, 1]; nested lerps, exact for constant cells (a flat sea
    stays exactly 0 m)."""
    south = z00 + tj * (z01 - z00)
    north = z10 + tj * (z11 - z10)
    return south + ti * (north - south)


@jit
def _cell_lerp(z, i, j, ti, tj):
    """Bilinear value in grid cell (i, j) at fractions ti (lat), tj (lon) in [0, 1]."""
    return lerp4(z[i, j], z[i, j + 1], z[i + 1, j], z[i + 1, j + 1], ti, tj)


@jit
def bilinear(z, lat0, dlat, lon0, dlon, lat, lon):
    """Bilinear height at (lat, lon) [deg]; NaN outside the grid (or next to a void)."""
    nlat, nlon = z.shape
    lon_last = lon0 + (nlon - 1) * dlon
    if lon < lon0 - EDGE_TOL * dlon and lon + 360.0 <= lon_last + EDGE_TOL * dlon:
        lon += 360.0
    elif lon > lon_last + EDGE_TOL * dlon and lon - 360.0 >= lon0 - EDGE_TOL * dlon:
        lon -= 360.0
    fi = (lat - lat0) / dlat
    fj = (lon - lon0) / dlon
    if fi < -EDGE_TOL or fj < -EDGE_TOL or fi > (nlat - 1) + EDGE_TOL or fj > (nlon - 1) + EDGE_TOL:
        return np.nan
    i = int(math.floor(fi))
    j = int(math.floor(fj))
    if i < 0:
        i = 0
    if j < 0:
        j = 0
    if i > nlat - 2:
        i = nlat - 2
    if j > nlon - 2:
        j = nlon - 2
    ti = fi - i
    tj = fj - j
    if ti < 0.0:
        ti = 0.0
    if tj < 0.0:
        tj = 0.0
    if ti > 1.0:
        ti = 1.0
    if tj > 1.0:
        tj = 1.0
    return _cell_lerp(z, i, j, ti, tj)


@jit
def inside(z, lat0, dlat, lon0, dlon, lat, lon):
    """True if (lat, lon) [deg] lies inside the grid (edges included, longitudes modulo 360)."""
    nlat, nlon = z.shape
    lon_last = lon0 + (nlon - 1) * dlon
    fi = (lat - lat0) / dlat
    if fi < -EDGE_TOL or fi > (nlat - 1) + EDGE_TOL:
        return False
    for shift in (0.0, 360.0, -360.0):
        fj = (lon + shift - lon0) / dlon
        if fj >= -EDGE_TOL and fj <= (nlon - 1) + EDGE_TOL:
            return True
    return False


@pjit
def bilinear_points(z, lat0, dlat, lon0, dlon, lat, lon, out):
    """Bilinear heights at points ``lat[k], lon[k]`` into ``out[k]`` (NaN outside)."""
    for k in prange(lat.shape[0]):
        out[k] = bilinear(z, lat0, dlat, lon0, dlon, lat[k], lon[k])


@jit
def sample_at(z, lat0, dlat, lon0, dlon, lat, lon):
    """Bilinear height at (lat, lon) and whether the point is inside the grid (one pass)."""
    nlat, nlon = z.shape
    fi = (lat - lat0) / dlat
    if fi < -EDGE_TOL or fi > (nlat - 1) + EDGE_TOL:
        return np.nan, False
    fj = (lon - lon0) / dlon
    if fj < -EDGE_TOL or fj > (nlon - 1) + EDGE_TOL:
        fj2 = fj + 360.0 / dlon
        if fj2 >= -EDGE_TOL and fj2 <= (nlon - 1) + EDGE_TOL:
            fj = fj2
        else:
            fj2 = fj - 360.0 / dlon
            if fj2 >= -EDGE_TOL and fj2 <= (nlon - 1) + EDGE_TOL:
                fj = fj2
            else:
                return np.nan, False
    i = int(math.floor(fi))
    j = int(math.floor(fj))
    if i < 0:
        i = 0
    elif i > nlat - 2:
        i = nlat - 2
    if j < 0:
        j = 0
    elif j > nlon - 2:
        j = nlon - 2
    ti = min(max(fi - i, 0.0), 1.0)
    tj = min(max(fj - j, 0.0), 1.0)
    return _cell_lerp(z, i, j, ti, tj), True


#: Samples between exact re-seeds of the rotation recurrence in sample_path.
RESEED = 64


@jit
def gc_setup(lat1, lon1, lat2, lon2, npts):
    """Walk of ``npts`` equally spaced points on the minor great circle from point 1 to point 2
    [deg] on the :data:`R_KM` sphere: ``(frame, dist, theta, c1, s1)`` with ``frame = (a, t)``
    (start unit vector, unit tangent towards point 2, zero for coincident or antipodal points;
    six floats), the path length ``dist`` [km], the step angle ``theta`` [rad] and its cos/sin."""
    d2r = math.pi / 180.0
    p1 = lat1 * d2r
    l1 = lon1 * d2r
    p2 = lat2 * d2r
    l2 = lon2 * d2r
    ax = math.cos(p1) * math.cos(l1)
    ay = math.cos(p1) * math.sin(l1)
    az = math.sin(p1)
    bx = math.cos(p2) * math.cos(l2)
    by = math.cos(p2) * math.sin(l2)
    bz = math.sin(p2)
    cx = ay * bz - az * by
    cy = az * bx - ax * bz
    cz = ax * by - ay * bx
    sd = math.sqrt(cx * cx + cy * cy + cz * cz)
    cd = ax * bx + ay * by + az * bz
    delta = math.atan2(sd, cd)
    if sd > 1e-15:
        tx = (bx - ax * cd) / sd
        ty = (by - ay * cd) / sd
        tz = (bz - az * cd) / sd
    else:
        tx = 0.0
        ty = 0.0
        tz = 0.0
    theta = delta / (npts - 1.0)
    return (ax, ay, az, tx, ty, tz), delta * R_KM, theta, math.cos(theta), math.sin(theta)


@jit
def gc_rotate(k, theta, c1, s1, ck, sk):
    """``(cos kθ, sin kθ)`` from those of ``(k-1)θ`` (``ck``, ``sk``) by one rotation by θ
    (``c1``, ``s1`` its cos/sin), re-seeded exactly every :data:`RESEED` samples (and at k = 0)."""
    if k % RESEED == 0:
        return math.cos(k * theta), math.sin(k * theta)
    return ck * c1 - sk * s1, sk * c1 + ck * s1


@jit
def gc_point(k, npts, lat1, lon1, lat2, lon2, frame, ck, sk):
    """(lat, lon) [deg] of sample ``k`` of the walk of :func:`gc_setup`: ``a cos(kθ) + t sin(kθ)``
    (``ck``, ``sk`` from :func:`gc_rotate`), the end points exactly."""
    if k == 0:
        return lat1, lon1
    if k == npts - 1:
        return lat2, lon2
    d2r = math.pi / 180.0
    ax, ay, az, tx, ty, tz = frame
    x = ax * ck + tx * sk
    y = ay * ck + ty * sk
    zz = az * ck + tz * sk
    return math.atan2(zz, math.sqrt(x * x + y * y)) / d2r, math.atan2(y, x) / d2r


@jit
def sincos_deg(x):
    """(sin x, cos x) of an angle in degrees."""
    t = x * (math.pi / 180.0)
    return math.sin(t), math.cos(t)


@jit
def radial_point(sp1, cp1, lon, sth, cth, d_km):
    """(lat, lon) [deg] at ``d_km`` [km] on the great circle from a site (``sp1``, ``cp1``: sin/cos
    of its latitude, ``lon`` [deg]) at the bearing whose sin/cos are ``sth``, ``cth``; longitude
    wrapped to [-180, 180)."""
    d2r = math.pi / 180.0
    dl = d_km / R_KM
    sdl = math.sin(dl)
    cdl = math.cos(dl)
    s2 = sp1 * cdl + cp1 * sdl * cth
    if s2 > 1.0:
        s2 = 1.0
    elif s2 < -1.0:
        s2 = -1.0
    la = math.asin(s2) / d2r
    lo = lon + math.atan2(sth * sdl * cp1, cdl - sp1 * s2) / d2r
    if lo >= 180.0:
        lo -= 360.0
    elif lo < -180.0:
        lo += 360.0
    return la, lo


@jit
def sample_path(z, lat0, dlat, lon0, dlon, lat1, lon1, lat2, lon2, npts, d_out, h_out, lat_out, lon_out,
                want_ll):
    """Sample ``npts`` equally spaced points on the minor great circle from point 1 to point 2.

    The k-th point is ``a cos(kθ) + t sin(kθ)`` (``a`` the start unit vector, ``t`` the unit
    tangent towards the end, θ = δ/(npts-1)), with cos/sin advanced by a rotation recurrence
    re-seeded exactly every :data:`RESEED` samples. Writes distances from point 1 [km] to
    ``d_out[:npts]``, bilinear heights to ``h_out[:npts]`` and, if ``want_ll``, the sample
    coordinates [deg] to ``lat_out``/``lon_out``. Returns ``(bad, void)``: the index of the first
    sample outside the grid and of the first void (NaN height) inside it, each -1 if none.
    """
    frame, dist, theta, c1, s1 = gc_setup(lat1, lon1, lat2, lon2, npts)
    ck = 1.0
    sk = 0.0
    bad = -1
    void = -1
    for k in range(npts):
        ck, sk = gc_rotate(k, theta, c1, s1, ck, sk)
        lat, lon = gc_point(k, npts, lat1, lon1, lat2, lon2, frame, ck, sk)
        d_out[k] = (k / (npts - 1.0)) * dist
        h, ok = sample_at(z, lat0, dlat, lon0, dlon, lat, lon)
        h_out[k] = h
        if not ok:
            if bad < 0:
                bad = k
        elif void < 0 and math.isnan(h):
            void = k
        if want_ll:
            lat_out[k] = lat
            lon_out[k] = lon
    return bad, void


@pjit
def sample_paths(z, lat0, dlat, lon0, dlon, lat1, lon1, lat2, lon2, npts, d_out, h_out, lat_out, lon_out,
                 want_ll, bad, void):
    """Batch of great-circle paths, ``prange`` over paths; rows padded beyond ``npts[i]``
    are left as allocated. ``bad[i]`` / ``void[i]``: first sample of path ``i`` outside the
    grid / on a void, or -1."""
    for i in prange(lat1.shape[0]):
        if want_ll:
            b, v = sample_path(z, lat0, dlat, lon0, dlon, lat1[i], lon1[i], lat2[i], lon2[i], npts[i],
                               d_out[i], h_out[i], lat_out[i], lon_out[i], True)
        else:
            b, v = sample_path(z, lat0, dlat, lon0, dlon, lat1[i], lon1[i], lat2[i], lon2[i], npts[i],
                               d_out[i], h_out[i], lat_out[0], lon_out[0], False)
        bad[i] = b
        void[i] = v


@pjit
def sample_radials(z, lat0, dlat, lon0, dlon, lat, lon, az_deg, d_km, h_out, lat_out, lon_out, bad):
    """Heights along radials from a site: ``h_out[r, k]`` at bearing ``az_deg[r]`` [deg, from north,
    clockwise] and distance ``d_km[k]`` [km] on the great circle; ``prange`` over radials.
    ``bad[r]``: first sample of radial ``r`` outside the grid, or -1."""
    sp1, cp1 = sincos_deg(lat)
    for r in prange(az_deg.shape[0]):
        sth, cth = sincos_deg(az_deg[r])
        b = -1
        for k in range(d_km.shape[0]):
            la, lo = radial_point(sp1, cp1, lon, sth, cth, d_km[k])
            lat_out[r, k] = la
            lon_out[r, k] = lo
            hh, ok = sample_at(z, lat0, dlat, lon0, dlon, la, lo)
            h_out[r, k] = hh
            if not ok and b < 0:
                b = k
        bad[r] = b


@pjit
def nearest_points(z, lat0, dlat, lon0, dlon, lat, lon, missing, out):
    """Value of the nearest grid post at points ``lat[k], lon[k]`` into ``out[k]`` (categorical
    grids such as zone maps); ``missing`` for NaN or outside points."""
    nlat, nlon = z.shape
    for k in prange(lat.shape[0]):
        la = lat[k]
        lo = lon[k]
        if math.isnan(la) or math.isnan(lo):
            out[k] = missing
            continue
        i = int(math.floor((la - lat0) / dlat + 0.5))
        fj = (lo - lon0) / dlon
        j = int(math.floor(fj + 0.5))
        if j < 0 or j > nlon - 1:
            j2 = int(math.floor(fj + 360.0 / dlon + 0.5))
            j3 = int(math.floor(fj - 360.0 / dlon + 0.5))
            j = j2 if 0 <= j2 <= nlon - 1 else j3
        if i < 0 or i > nlat - 1 or j < 0 or j > nlon - 1:
            out[k] = missing
        else:
            out[k] = z[i, j]
