"""Great-circle geometry on the spherical Earth of the ITU-R Recommendations.

The Recommendations (P.2001-4 Annex §2.3 and Attachment H, P.1812, P.452) compute path
geometry on a sphere of mean radius 6 371 km; so does this module, so that
the path lengths fed to the propagation models are those the Recommendations assume.
All functions are vectorised with numpy broadcasting; angles in degrees, distances in km.

References
----------
Rec. ITU-R P.2001-4 (2021), Attachment H, §H.2 (great-circle path calculations).
Rec. ITU-R P.452-18 (2023), Annex 1, Attachment 2 (path profile analysis).
"""
from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_finite, check_lat_lon, check_range
from .units import _out  # float for a scalar result, else the array

__all__ = ["EARTH_RADIUS_KM", "distance_km", "bearing_deg", "destination", "intermediate_points",
           "wrap_lon"]

#: Mean Earth radius of the Recommendations (P.2001-4 Attachment H, P.452-18). [km]
EARTH_RADIUS_KM = 6371.0


def wrap_lon(lon):
    """Longitude wrapped into [-180, 180). [deg]

    Parameters
    ----------
    lon : array_like
        Longitude, any finite value. [deg]

    Returns
    -------
    numpy.ndarray or float
        The same meridian in [-180, 180). [deg]

    Raises
    ------
    ValueError
        If ``lon`` is not numeric or holds NaN or +/-inf (which have no meridian).
    """
    lon = check_finite("lon", lon, "deg")
    return _out((lon + 180.0) % 360.0 - 180.0)


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance on a sphere of radius 6371 km (haversine formula), P.2001-4 Att. H §H.2.

    Parameters
    ----------
    lat1, lon1 : array_like
        First point. [deg]
    lat2, lon2 : array_like
        Second point. [deg]

    Returns
    -------
    ndarray or float
        Great-circle distance. [km]

    References
    ----------
    Rec. ITU-R P.2001-4 (2021), Attachment H, §H.2 (path length on the 6371 km sphere, Annex §2.3).
    """
    la1, lo1 = check_lat_lon(lat1, lon1, "point1")
    la2, lo2 = check_lat_lon(lat2, lon2, "point2")
    p1, p2 = np.radians(la1), np.radians(la2)
    dphi = p2 - p1
    dlam = np.radians(lo2 - lo1)
    a = np.sin(dphi / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlam / 2.0) ** 2
    return _out(2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def bearing_deg(lat1, lon1, lat2, lon2):
    """Initial great-circle bearing from point 1 towards point 2, P.2001-4 Att. H §H.2.

    Parameters
    ----------
    lat1, lon1 : array_like
        Start point. [deg]
    lat2, lon2 : array_like
        End point. [deg]

    Returns
    -------
    ndarray or float
        Bearing, 0 = north, clockwise, in [0, 360). [deg]. Coincident points give 0.

    References
    ----------
    Rec. ITU-R P.2001-4 (2021), Attachment H, §H.2 (bearing of the path).
    """
    la1, lo1 = check_lat_lon(lat1, lon1, "point1")
    la2, lo2 = check_lat_lon(lat2, lon2, "point2")
    p1, p2 = np.radians(la1), np.radians(la2)
    dlam = np.radians(lo2 - lo1)
    y = np.sin(dlam) * np.cos(p2)
    x = np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dlam)
    b = np.degrees(np.arctan2(y, x)) % 360.0
    return _out(np.where(b >= 360.0, 0.0, b))


def destination(lat, lon, bearing_deg, d_km):
    """Point reached from a start point along a great circle, P.2001-4 Att. H §H.3.

    Parameters
    ----------
    lat, lon : array_like
        Start point. [deg]
    bearing_deg : array_like
        Initial bearing, 0 = north, clockwise. [deg]
    d_km : array_like
        Distance along the great circle. [km], >= 0

    Returns
    -------
    (lat, lon) : tuple of ndarray or float
        End point; longitude in [-180, 180). [deg]

    References
    ----------
    Rec. ITU-R P.2001-4 (2021), Attachment H, §H.3 (point at a given distance along the path).
    """
    la, lo = check_lat_lon(lat, lon)
    brg = as_float_array("bearing_deg", bearing_deg)
    d = check_range("d_km", d_km, 0.0, np.pi * EARTH_RADIUS_KM, "km")
    p1 = np.radians(la)
    th = np.radians(brg)
    dl = d / EARTH_RADIUS_KM
    sin_p2 = np.sin(p1) * np.cos(dl) + np.cos(p1) * np.sin(dl) * np.cos(th)
    p2 = np.arcsin(np.clip(sin_p2, -1.0, 1.0))
    lam = np.radians(lo) + np.arctan2(np.sin(th) * np.sin(dl) * np.cos(p1), np.cos(dl) - np.sin(p1) * sin_p2)
    return _out(np.degrees(p2)), wrap_lon(np.degrees(lam))


def intermediate_points(lat1, lon1, lat2, lon2, fractions):
    """Points at fractions of the great-circle path from point 1 to point 2 (spherical interpolation).

    The point at fraction ``f`` lies on the minor great-circle arc at distance
    ``f * distance_km(...)`` from point 1. Inputs broadcast together (e.g. endpoints of shape
    ``(n, 1)`` and fractions of shape ``(m,)`` give ``(n, m)`` points).

    Parameters
    ----------
    lat1, lon1 : array_like
        Start point. [deg]
    lat2, lon2 : array_like
        End point. [deg]
    fractions : array_like
        Fractions of the path length, in [0, 1].

    Returns
    -------
    (lat, lon) : tuple of ndarray or float
        Intermediate points; longitude in [-180, 180). [deg]

    Raises
    ------
    ValueError
        For antipodal end points (the great circle is not unique) or fractions outside [0, 1].

    References
    ----------
    Rec. ITU-R P.2001-4 (2021), Attachment H, §H.3 (intermediate points on the path).
    """
    la1, lo1 = check_lat_lon(lat1, lon1, "point1")
    la2, lo2 = check_lat_lon(lat2, lon2, "point2")
    f = check_range("fractions", fractions, 0.0, 1.0)
    p1, l1, p2, l2 = (np.radians(v) for v in (la1, lo1, la2, lo2))
    ax, ay, az = np.cos(p1) * np.cos(l1), np.cos(p1) * np.sin(l1), np.sin(p1)
    bx, by, bz = np.cos(p2) * np.cos(l2), np.cos(p2) * np.sin(l2), np.sin(p2)
    cx, cy, cz = ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx
    delta = np.arctan2(np.sqrt(cx * cx + cy * cy + cz * cz), ax * bx + ay * by + az * bz)
    if np.any(np.abs(delta - np.pi) < 1e-9):
        raise ValueError("intermediate_points: end points are antipodal; the great circle is not unique")
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sin(delta)
        small = sd < 1e-15
        wa = np.where(small, 1.0 - f, np.sin((1.0 - f) * delta) / np.where(small, 1.0, sd))
        wb = np.where(small, f, np.sin(f * delta) / np.where(small, 1.0, sd))
    x, y, z = wa * ax + wb * bx, wa * ay + wb * by, wa * az + wb * bz
    lat = np.degrees(np.arctan2(z, np.hypot(x, y)))
    lon = np.degrees(np.arctan2(y, x))
    return _out(lat), wrap_lon(lon)
