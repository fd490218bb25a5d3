"""Great-circle distances and the bounding boxes of a radius query (antimeridian and poles)."""
from __future__ import annotations

import math

import numpy as np

from .models import EARTH_RADIUS_KM

__all__ = ["gc_distance_km", "radius_boxes"]


def gc_distance_km(lat1, lon1, lat2, lon2):
    """Great-circle (haversine) distance on a sphere of radius EARTH_RADIUS_KM. [km]"""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def radius_boxes(lat: float, lon: float, radius_km: float) -> list[tuple[float, float, float, float]]:
    """Bounding boxes ``(lat_min, lat_max, lon_min, lon_max)`` enclosing a spherical cap,
    split at the antimeridian; a cap containing a pole spans all longitudes."""
    ang = radius_km / EARTH_RADIUS_KM
    pad = 1e-9
    if ang >= math.pi:
        return [(-90.0, 90.0, -180.0, 180.0)]
    dlat = math.degrees(ang) + pad
    la0, la1 = lat - dlat, lat + dlat
    if la1 >= 90.0 or la0 <= -90.0:
        return [(max(la0, -90.0), min(la1, 90.0), -180.0, 180.0)]
    s = math.sin(ang) / math.cos(math.radians(lat))
    if s >= 1.0:
        return [(la0, la1, -180.0, 180.0)]
    dlon = math.degrees(math.asin(s)) + pad
    return _lon_boxes(la0, la1, lon - dlon, lon + dlon)


def _lon_boxes(la0, la1, lo0, lo1):
    if lo1 - lo0 >= 360.0:
        return [(la0, la1, -180.0, 180.0)]
    lo0 = (lo0 + 180.0) % 360.0 - 180.0
    lo1 = (lo1 + 180.0) % 360.0 - 180.0
    if lo0 <= lo1:
        return [(la0, la1, lo0, lo1)]
    return [(la0, la1, lo0, 180.0), (la0, la1, -180.0, lo1)]

