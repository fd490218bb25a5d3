"""P.1546-6 field-strength maps of broadcast stations on the map machinery of :mod:`spectrum.coverage`.

Radials are sampled once per station (:func:`spectrum.terrain.radial_profiles`), P.1546-6 runs at
every node the pixels need (:func:`spectrum.kernels.p1546_maps.p1546_radials`), the station's
e.r.p. and antenna pattern are applied in the polar domain, and pixels are filled by lookup
(:func:`spectrum.coverage._to_grid`) -- the same steps as the P.452 / P.1812 coverage maps.

References
----------
Rec. ITU-R P.1546-6 (08/2019); Rec. ITU-R BS.412-9; GE06.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import coverage as _cov
from .. import terrain
from .._validate import check_range
from ..kernels import p1546_maps as _km
from ..propagation import p1546 as _p

_AREA = {"sea": 0, "rural": 1, "open": 1, "suburban": 2, "urban": 3, "dense urban": 4}


@dataclass
class FieldMap:
    """Field strength of one station on a pixel grid (and the polar nodes it came from)."""

    e_dbuvm: np.ndarray  # (n_lat, n_lon) for the station's e.r.p., NaN beyond the radials / off the DEM
    polar: _cov.PolarMap
    station: object  # spectrum.coverage._Tx
    erp_dbw: float


def erp_dbw_of(tx) -> float:
    """E.r.p. [dBW] of a parsed station (``eirp_dbw`` - 2.15 dB)."""
    return float(tx.eirp) - 2.15


def station_field(dem, station, lat, lon, *, t: float = 50.0, q: float = 50.0, h2_m: float = 10.0,
                  area: str = "rural", r1_m=None, r2_m=None, radius_km: float = 50.0, zone: str = "inland",
                  sea: str = "cold", n_radials=None, step_m=None, interp: str = "bilinear", wa_m: float = 500.0,
                  n0: float = 325.0, compat: str = "recommendation", register=None, pix=None) -> FieldMap:
    """Field strength [dB(uV/m)] exceeded at t % time, q % locations, of one station at every pixel.

    Parameters
    ----------
    dem : DataArray
        Terrain.
    station : Station, AssignmentRow, dict or object
        ``lat``, ``lon``, ``h_agl_m``, ``f_mhz``, ``erp_dbw`` (or ``eirp_dbw``), optional antenna pattern,
        ``azimuth_deg``, ``tilt_deg`` (as :class:`spectrum.coverage.Station`).
    lat, lon : ndarray
        Pixel-centre coordinates. [deg]
    t, q : float
        Time (1-50 %) and location (1-99 %) percentages. [%]
    h2_m : float
        Receiving antenna height above ground. [m]
    area : str
        Receiver surroundings on land (P.1546-6 §9): rural, suburban, urban, dense urban.
    zone : {"inland", "sea-level"}
        All land, or sea where the DEM is <= 0 m (mixed paths of §8; receivers there adjacent to sea).
    radius_km, n_radials, step_m, interp
        As :func:`spectrum.coverage.field_strength_map`.
    compat : {"recommendation", "reference"}
        As :func:`spectrum.propagation.p1546.field_strength`.
    """
    tx = station if isinstance(station, _cov._Tx) else _cov._station(station, register)
    f = float(check_range("f_mhz", tx.f_mhz, 30.0, 4000.0, "MHz", _p.REVISION))
    check_range("t", t, 1.0, 50.0, "%", _p.REVISION)
    check_range("q", q, 1.0, 99.0, "%", _p.REVISION)
    check_range("h2_m", h2_m, 1.0, 3000.0, "m")
    # P.1546-6 stops at 1000 km and h1 3000 m; an absurd e.r.p. (1e300 dBW) was mapped as such
    check_range("radius_km", radius_km, 0.0, 1000.0, "km", _p.REVISION, lo_open=True)
    check_range(f"{tx.name or 'station'}.h_agl_m", tx.h, 0.0, 3000.0, "m", _p.REVISION, lo_open=True)
    check_range(f"{tx.name or 'station'}.erp_dbw", erp_dbw_of(tx), -100.0, 100.0, "dBW")
    if area not in _AREA or area == "sea":
        raise ValueError(f"area = {area!r} must be rural, suburban, urban or dense urban (sea comes from zone)")
    if zone not in ("inland", "sea-level"):
        raise ValueError(f"zone = {zone!r} must be 'inland' or 'sea-level' (sea where the DEM is <= 0 m)")
    if compat not in ("recommendation", "reference"):
        raise ValueError(f"compat = {compat!r} must be 'recommendation' or 'reference'")
    if sea not in ("cold", "warm"):
        raise ValueError(f"sea = {sea!r} must be 'cold' or 'warm'")
    bil = _cov._check_interp(interp)
    # only the pixels within radius_km can be reached: work on their bounding box
    full_shape = (lat.size, lon.size)
    ia, ib, ja, jb = _reach_box(tx, lat, lon, radius_km)
    crop = (ib - ia, jb - ja) != full_shape
    if crop:
        lat, lon, pix = lat[ia:ib], lon[ja:jb], None
    if pix is None:
        pix = _cov._pixel_polar(tx.lat, tx.lon, lat, lon)
    nr = _cov._resolve_radials(n_radials, lat, lon, pix[0], radius_km)
    rad = terrain.radial_profiles(dem, tx.lat, tx.lon, radius_km, int(nr), step_m, outside="nan")
    h = rad.heights
    ns = rad.n_samples
    if ns < 3:
        raise ValueError(f"radius_km = {radius_km:g} gives fewer than 3 samples per radial")
    nan = np.isnan(h)
    n_valid = np.where(nan.any(axis=1), nan.argmax(axis=1), ns).astype(np.int64)
    hz = np.ascontiguousarray(np.where(nan, 0.0, h))
    d = np.ascontiguousarray(rad.distances)
    need = np.zeros(h.shape, dtype=np.uint8)
    _cov._k.needed_nodes(rad.n_radials, ns, 360.0 / rad.n_radials, (d[-1] - d[0]) / (ns - 1), pix[0], pix[1], bil,
                         need)
    sea_flag = (hz <= 0.0).astype(np.uint8) if zone == "sea-level" else np.zeros(h.shape, dtype=np.uint8)
    table, dist, hgt = _p._tables()
    out = np.empty(h.shape)
    r2 = _p.AREA_R_M[_AREA[area]] if r2_m is None else float(r2_m)
    _km.p1546_radials(d, hz, sea_flag, n_valid, need, float(tx.h), float(h2_m), f, float(t), float(q),
                      _AREA[area], np.nan if r1_m is None else float(r1_m), r2, 1 if sea == "warm" else 0,
                      float(wa_m), float(n0), 1 if compat == "reference" else 0, 1 if zone == "sea-level" else 0,
                      table, dist, hgt, out)
    erp = erp_dbw_of(tx)
    gains = np.broadcast_to(_cov._tx_gain_rel(tx, rad, h2_m, f), out.shape)
    vals = out + (erp - 30.0) + gains
    pm = _cov.PolarMap(rad, vals[None, None], np.array([f]), np.array([float(t)]), n_valid, "p1546",
                       {"model": _p.REVISION, "t": float(t), "q": float(q), "h2_m": float(h2_m), "area": area,
                        "zone": zone, "sea": sea, "compat": compat, "n_radials": int(nr), "radius_km": float(radius_km)})
    grid = _cov._to_grid(vals[None, None], pm, lat, lon, interp, pix)[0, 0]
    if crop:
        full = np.full(full_shape, np.nan)
        full[ia:ib, ja:jb] = grid
        grid = full
    return FieldMap(grid, pm, tx, erp)


def _reach_box(tx, lat, lon, radius_km):
    """Row and column bounds (ia, ib, ja, jb) of the pixels within ``radius_km`` of the station."""
    dlat = np.degrees(radius_km / 6371.0) * 1.01
    dlon = dlat / max(np.cos(np.radians(min(abs(tx.lat) + dlat, 89.9))), 1e-6)
    ia, ib = np.searchsorted(lat, tx.lat - dlat), np.searchsorted(lat, tx.lat + dlat, side="right")
    ja, jb = np.searchsorted(lon, tx.lon - dlon), np.searchsorted(lon, tx.lon + dlon, side="right")
    if ia >= ib or ja >= jb:
        raise ValueError(f"station {tx.name or ''} at ({tx.lat:g}, {tx.lon:g}): no pixel within radius_km = "
                         f"{radius_km:g} km")
    return int(ia), int(ib), int(ja), int(jb)


def station_fields(dem, jobs, lat, lon, *, client=None, progress: bool = False) -> list[np.ndarray]:
    """``[station_field(dem, tx, lat, lon, **kw).e_dbuvm for tx, kw in jobs]``, here or on a dask
    cluster (``client``): there each station's reachable rows are cut into tiles of rows, one task
    per tile, with the radials fixed from the whole grid first -- bit-identical to this process's
    fields. The DEM and the grid are scattered to the workers once."""
    if client is None:
        return [station_field(dem, tx, lat, lon, **kw).e_dbuvm for tx, kw in jobs]
    from ..distributed import map_tasks
    from ..distributed.maps import _n_workers, tile_rows

    items = []
    for j, (tx, kw) in enumerate(jobs):
        tx = tx if isinstance(tx, _cov._Tx) else _cov._station(tx, kw.get("register"))
        radius_km = kw.get("radius_km", 50.0)
        ia, ib, ja, jb = _reach_box(tx, lat, lon, radius_km)
        la, lo = lat[ia:ib], lon[ja:jb]
        nr = _cov._resolve_radials(kw.get("n_radials"), la, lo, _cov._pixel_polar(tx.lat, tx.lon, la, lo)[0],
                                   radius_km)
        kwj = {**kw, "n_radials": int(nr)}
        for band in tile_rows(ib - ia, _n_workers(client)):
            items.append((j, ia + band.start, ia + band.stop, tx, kwj))
    parts = map_tasks(client, _field_tile, items, shared=(dem, np.ascontiguousarray(lat), np.ascontiguousarray(lon)),
                      kind="broadcast", progress=progress, desc=f"broadcast ({len(jobs)} fields, {len(items)} tiles)")
    out = [np.full((lat.size, lon.size), np.nan) for _ in jobs]
    for (j, a, b, _, _), e in zip(items, parts):
        out[j][a:b] = e
    return out


def _field_tile(dem, lat, lon, item):
    _, a, b, tx, kw = item
    return station_field(dem, tx, lat[a:b], lon, **kw).e_dbuvm


def grid_for(dem, stations, radius_km: float, grid=None, resolution_arcsec=None, shape=None):
    """Pixel centres: ``grid`` if given, else a grid covering ``radius_km`` around the stations'
    centroid plus their spread (cropped to the DEM)."""
    if grid is not None:
        return _cov._grid_from(grid)
    lats = np.array([float(s.lat) for s in stations])
    lons = np.array([float(s.lon) for s in stations])
    c_lat, c_lon = float(lats.mean()), float(lons.mean())
    spread = 0.0
    if len(stations) > 1:
        from .. import geo

        spread = float(np.max(geo.distance_km(c_lat, c_lon, lats, lons)))
    lat, lon = _cov.map_grid(dem, c_lat, c_lon, radius_km + spread, resolution_arcsec=resolution_arcsec, shape=shape)
    if lat.size < 2 or lon.size < 2:  # contours and pixel areas need a grid (a traceback from contourpy)
        raise ValueError(f"resolution_arcsec = {resolution_arcsec:g} gives a {lat.size} x {lon.size} map over "
                         f"{radius_km + spread:g} km; a map needs at least 2 x 2 pixels")
    return lat, lon


def contour_lines(field: np.ndarray, lat: np.ndarray, lon: np.ndarray, level: float) -> list[np.ndarray]:
    """Iso-lines of ``field`` at ``level`` as a list of (n, 2) arrays of (lat, lon) vertices."""
    import contourpy

    z = np.ma.masked_invalid(np.asarray(field, dtype=float))
    gen = contourpy.contour_generator(lon, lat, z, name="serial")
    return [np.column_stack([ln[:, 1], ln[:, 0]]) for ln in gen.lines(float(level)) if len(ln) > 1]


def pixel_area_km2(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Area of each pixel of a regular lat/lon grid. [km^2] (spherical Earth)"""
    from .. import geo

    r = geo.EARTH_RADIUS_KM
    dlat = np.deg2rad(abs(float(lat[1] - lat[0]))) if lat.size > 1 else 0.0
    dlon = np.deg2rad(abs(float(lon[1] - lon[0]))) if lon.size > 1 else 0.0
    return (r * r * dlat * dlon * np.cos(np.deg2rad(lat)))[:, None] * np.ones((1, lon.size))
