"""Element positions per event on the local plane (x east, y north, km, origin at the workspace
``origin``), Rec. ITU-R SM.2028-2 §2 / SEAMCAT "relative location" of the transceivers.

Modes (``position.mode``):

* ``fixed`` -- ``x_km``, ``y_km`` relative to ``relative_to`` (or absolute ``lat``, ``lon``);
* ``disc`` (also ``ring``, ``sector``) -- uniform in the area of the annular sector
  ``r_min_km <= r <= radius_km``, ``azimuth_min_deg <= az <= azimuth_max_deg`` around
  ``relative_to``: ``r = sqrt(r_min^2 + u (R^2 - r_min^2))``, ``az = az_min + u' (az_max - az_min)``;
* ``polar`` -- ``distance_km`` and ``azimuth_deg`` distributions around ``relative_to``
  (``distance_km`` uniform is SEAMCAT's "uniform polar distance": denser near the centre);
* ``offset`` -- ``dx_km``, ``dy_km`` distributions from ``relative_to``;
* ``list`` -- one of ``points`` ([x_km, y_km] or {lat, lon}) per event, ``pick`` random
  (uniform index) or cycle (event i takes point i mod n);
* ``register`` -- the stations of a register (SQLite) within ``within_km`` of the origin,
  optionally of one ``service`` / ``role``, picked like a list; ``height_m: "register"`` takes
  their antenna heights.

Lat/lon map to the plane by the equirectangular projection about the origin
(x = R cos(lat0) dlon, y = R dlat, R = 6371 km): distances within a few hundred km agree with
the great circle to well under 1 %, the scale of a sharing study's geometry.
"""
from __future__ import annotations

import math

import numpy as np

from ..kernels import mc as _k
from .schema import Element, Workspace
from .streams import Streams

__all__ = ["place", "xy_from_latlon", "latlon_from_xy", "max_extent_km"]

R_KM = 6371.0
_REGISTER_CACHE: dict = {}


def xy_from_latlon(origin, lat, lon):
    """Local plane coordinates (x east, y north) [km] of (lat, lon) [deg] about ``origin``."""
    lat0, lon0 = origin
    dlon = (np.asarray(lon, float) - lon0 + 180.0) % 360.0 - 180.0
    return (np.radians(dlon) * R_KM * math.cos(math.radians(lat0)),
            np.radians(np.asarray(lat, float) - lat0) * R_KM)


def latlon_from_xy(origin, x_km, y_km):
    """Inverse of :func:`xy_from_latlon`. [deg]"""
    lat0, lon0 = origin
    lat = lat0 + np.degrees(np.asarray(y_km, float) / R_KM)
    lon = lon0 + np.degrees(np.asarray(x_km, float) / (R_KM * math.cos(math.radians(lat0))))
    return lat, (lon + 180.0) % 360.0 - 180.0


def register_points(ws: Workspace, prm: dict) -> dict:
    """Stations of a register position (x_km, y_km, h_m arrays), read once per process."""
    key = (prm["register"], prm.get("service"), prm.get("role"), prm["within_km"], prm["limit"], ws.origin)
    hit = _REGISTER_CACHE.get(key)
    if hit is not None:
        return hit
    from pathlib import Path

    from ..register import Register

    if "://" not in str(prm["register"]) and not Path(prm["register"]).is_file():
        raise FileNotFoundError(f"register {prm['register']!r} does not exist")
    reg = Register.open(prm["register"], create=False)
    try:
        a = reg.query_arrays(lat=ws.origin[0], lon=ws.origin[1], radius_km=prm["within_km"],
                             service=prm.get("service"), role=prm.get("role"))
    finally:
        reg.close()
    lat = np.asarray(a["lat"], float)
    lon = np.asarray(a["lon"], float)
    h = np.asarray(a.get("h_agl_m", np.full(lat.shape, np.nan)), float)
    ok = np.isfinite(lat) & np.isfinite(lon)
    lat, lon, h = lat[ok][:prm["limit"]], lon[ok][:prm["limit"]], h[ok][:prm["limit"]]
    if lat.size == 0:
        raise ValueError(f"register {prm['register']!r} holds no station within {prm['within_km']:g} km of the origin"
                         + (f" for service {prm['service']!r}" if prm.get("service") else ""))
    x, y = xy_from_latlon(ws.origin, lat, lon)
    out = {"x_km": x, "y_km": y, "h_m": np.where(np.isfinite(h), h, 10.0)}
    _REGISTER_CACHE[key] = out
    return out


def _list_points(ws: Workspace, prm: dict):
    x = np.asarray(prm["x_km"], float).copy()
    y = np.asarray(prm["y_km"], float).copy()
    for q, la, lo in prm["latlon"]:
        x[q], y[q] = (float(v) for v in xy_from_latlon(ws.origin, la, lo))
    return x, y


def _pick(prm, npts, streams: Streams, name: str):
    if prm["pick"] == "cycle":
        return (streams.start + np.arange(streams.n)) % npts
    return np.minimum((streams.uniforms(name) * npts).astype(np.int64), npts - 1)


def place(ws: Workspace, streams: Streams) -> dict:
    """Positions and heights of every element for the block's events.

    Returns
    -------
    dict
        element name -> ``(x_km, y_km, h_m)``; each a float (fixed) or an array of the block's length.
    """
    out: dict = {}
    els = ws.elements()
    for name in ws.options["order"]:
        e: Element = els[name]
        s = e.extra["stream"]
        pos = e.position
        prm = pos.params
        ref = (0.0, 0.0) if pos.relative_to is None else out[pos.relative_to][:2]
        hreg = None
        if pos.mode == "fixed":
            if "lat" in prm:
                x, y = (float(v) for v in xy_from_latlon(ws.origin, prm["lat"], prm["lon"]))
            else:
                x, y = prm["x_km"], prm["y_km"]
            x, y = ref[0] + x, ref[1] + y
        elif pos.mode == "disc":
            x = np.empty(streams.n)
            y = np.empty(streams.n)
            _k.disc_points(streams.uniforms(f"{s}.position.r"), streams.uniforms(f"{s}.position.azimuth"),
                           prm["r_min_km"], prm["radius_km"], prm["azimuth_min_deg"], prm["azimuth_max_deg"],
                           np.atleast_1d(np.asarray(ref[0], float)), np.atleast_1d(np.asarray(ref[1], float)), x, y)
        elif pos.mode == "polar":
            r = streams.sample(prm["distance_km"], f"{s}.position.distance_km")
            az = np.radians(streams.sample(prm["azimuth_deg"], f"{s}.position.azimuth_deg"))
            x, y = ref[0] + r * np.sin(az), ref[1] + r * np.cos(az)
        elif pos.mode == "offset":
            x = ref[0] + streams.sample(prm["dx_km"], f"{s}.position.dx_km")
            y = ref[1] + streams.sample(prm["dy_km"], f"{s}.position.dy_km")
        elif pos.mode == "list":
            px, py = _list_points(ws, prm)
            i = _pick(prm, px.size, streams, f"{s}.position.index")
            x, y = ref[0] + px[i], ref[1] + py[i]
        else:  # register
            pts = register_points(ws, prm)
            i = _pick(prm, pts["x_km"].size, streams, f"{s}.position.index")
            x, y = pts["x_km"][i], pts["y_km"][i]
            hreg = pts["h_m"][i]
        if isinstance(e.height_m, str):
            h = hreg
        else:
            h = streams.sample(e.height_m, f"{s}.height_m")
        out[name] = (x, y, h)
    return out


def max_extent_km(ws: Workspace, name: str, _seen=None) -> float:
    """An upper bound of the distance of element ``name`` from the origin over all events. [km]"""
    e = ws.element(name)
    pos = e.position
    prm = pos.params
    base = 0.0 if pos.relative_to is None else max_extent_km(ws, pos.relative_to)
    if pos.mode == "fixed":
        if "lat" in prm:
            x, y = xy_from_latlon(ws.origin, prm["lat"], prm["lon"])
            return float(math.hypot(x, y))
        return base + math.hypot(prm["x_km"], prm["y_km"])
    if pos.mode == "disc":
        return base + prm["radius_km"]
    if pos.mode == "polar":
        return base + abs(prm["distance_km"].bounds()[1])
    if pos.mode == "offset":
        bx = max(abs(v) for v in prm["dx_km"].bounds())
        by = max(abs(v) for v in prm["dy_km"].bounds())
        return base + math.hypot(bx, by)
    if pos.mode == "list":
        px, py = _list_points(ws, prm)
        return base + float(np.max(np.hypot(px, py)))
    pts = register_points(ws, prm)
    return float(np.max(np.hypot(pts["x_km"], pts["y_km"])))


def is_fixed(ws: Workspace, name: str) -> bool:
    """True when element ``name`` is at the same place in every event."""
    e = ws.element(name)
    if e.position.mode != "fixed":
        return False
    return e.position.relative_to is None or is_fixed(ws, e.position.relative_to)
