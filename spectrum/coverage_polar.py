"""Coverage maps, stage 2 (field computation): radials, the model at every polar node, antenna
gains toward the nodes, polar -> pixel lookup and the CF DataArray wrapper.

Part of :mod:`spectrum.coverage` (which re-exports every name here); see it for how a map is made.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import xarray as xr

from . import geo, terrain
from ._validate import check_positive, check_range
from .antennas import elevation_deg, gain_toward_dbi
from .coverage_inputs import (_F_MHZ_RANGE, _P_RANGE, _WGS84, DEFAULT_MAX_RADIALS, MODELS, _station,
                              _Tx)
from .kernels import coverage as _k
from .propagation._common import check_model_heights

# --------------------------------------------------------------------------------------------
# polar computation
# --------------------------------------------------------------------------------------------

@dataclass
class PolarMap:
    """Model results at the polar nodes (radial ``r``, sample ``k``) around a site.

    Attributes
    ----------
    radials : RadialProfiles
        The terrain radials (azimuths, distances, heights, sample lat/lon).
    values : ndarray, shape (n_f, n_p, n_radials, n_samples)
        Basic transmission loss [dB] (NaN off the DEM or where the model failed).
    f_mhz, p : ndarray
        Frequencies [MHz] and time percentages [%] of the first two axes.
    n_valid : ndarray of int64
        Valid samples of each radial.
    model : str
    codes : ndarray or None
        ITM return codes (n_f, n_radials, n_samples).
    """

    radials: terrain.RadialProfiles
    values: np.ndarray
    f_mhz: np.ndarray
    p: np.ndarray
    n_valid: np.ndarray
    model: str
    inputs: dict = field(default_factory=dict)
    codes: np.ndarray | None = None


def _zone_codes(h: np.ndarray, zone, model: str) -> np.ndarray:
    sea, land = (3.0, 2.0) if model == "p452" else (1.0, 4.0)
    if isinstance(zone, str):
        if zone == "inland":
            return np.full(h.shape, land)
        if zone == "sea-level":
            with np.errstate(invalid="ignore"):
                return np.where(h <= 0.0, sea, land)
        raise ValueError(f"zone = {zone!r} must be 'inland' or 'sea-level' (sea where the DEM is <= 0 m)")
    raise ValueError(f"zone = {zone!r} must be 'inland' or 'sea-level'")


def polar_map(dem, station, model: str = "p452", *, radius_km: float = 50.0, f_mhz=None, p=50.0,
              hrg_m: float = 10.0, n_radials: int = 720, step_m: float | None = None, zone: str = "inland",
              dn: float = 45.0, n0: float = 325.0, clutter_m: float = 0.0, pl: float = 50.0,
              sigma_l: float = 0.0, climate: int = 5, n_0: float = 301.0, epsilon: float = 15.0,
              sigma: float = 0.005, mdvar: int = 12, location: float = 50.0, situation: float = 50.0,
              register=None, _tx: _Tx | None = None, _pixels=None, _radials=None) -> PolarMap:
    """Basic transmission loss at every node of the radials around a station (no pixel grid).

    Parameters as :func:`field_strength_map`. The node at sample ``k`` of radial ``r`` equals
    the point-to-point model on the profile ``radials.profile(r)`` truncated at ``k`` (for
    ``k >= 3``; closer nodes use a 4-point resampled profile, node 0 copies node 1).

    Returns
    -------
    PolarMap
    """
    if model not in MODELS:
        raise ValueError(f"model = {model!r} must be one of {', '.join(MODELS)}")
    tx = _tx if _tx is not None else _station(station, register)
    f = np.atleast_1d(check_range("f_mhz", tx.f_mhz if f_mhz is None else f_mhz, *_F_MHZ_RANGE[model], "MHz",
                                  MODELS[model])).astype(np.float64).ravel()
    lo_p, hi_p = _P_RANGE[model]
    pp = np.atleast_1d(check_range("p", p, lo_p, hi_p, "%", MODELS[model], lo_open=model == "itm",
                                   hi_open=model == "itm")).astype(np.float64).ravel()
    hr = float(check_positive("hrg_m", hrg_m, "m"))
    if isinstance(n_radials, (str, type(None))) or int(n_radials) != n_radials or not 4 <= n_radials <= 36000:
        raise ValueError(f"n_radials = {n_radials!r} must be an integer in [4, 36000] (polar_map; the map "
                         "functions also take 'auto')")
    # ``_radials``: the same profiles sampled by the caller (a distributed map's client)
    rad = _radials if _radials is not None else \
        terrain.radial_profiles(dem, tx.lat, tx.lon, radius_km, int(n_radials), step_m, outside="nan")
    h = rad.heights
    ns = rad.n_samples
    if ns < 2:
        raise ValueError(f"radius_km = {radius_km:g} gives fewer than 2 samples per radial")
    nan = np.isnan(h)
    n_valid = np.where(nan.any(axis=1), nan.argmax(axis=1), ns).astype(np.int64)
    hz = np.where(nan, 0.0, h)
    hz = np.ascontiguousarray(hz)
    check_model_heights(model, hz, tx.h, hr, MODELS[model])
    d = np.ascontiguousarray(rad.distances)
    if _pixels is None:
        need = np.ones(h.shape, dtype=np.uint8)
    else:  # only the nodes the map pixels look up
        dist, brg, bilinear = _pixels
        need = np.zeros(h.shape, dtype=np.uint8)
        _k.needed_nodes(rad.n_radials, ns, 360.0 / rad.n_radials, (d[-1] - d[0]) / (ns - 1), dist, brg, bilinear,
                        need)
    out = np.empty((f.size, pp.size, rad.n_radials, ns))
    inputs = {"model": model, "revision": MODELS[model], "station": tx.to_dict(), "radius_km": float(radius_km),
              "f_mhz": f.tolist(), "p": pp.tolist(), "hrg_m": hr, "n_radials": int(n_radials),
              "step_km": float(d[1] - d[0]), "zone": zone}
    codes = None
    pol = 0 if tx.pol == "h" else 1
    if model in ("p452", "p1812"):
        check_range("dn", dn, 0.0, 157.0, "N-units/km", hi_open=True, lo_open=True)
        check_range("n0", n0, 150.0, 500.0, "N-units")
        clut = float(check_positive("clutter_m", clutter_m, "m", allow_zero=True))
        zc = _zone_codes(hz, zone, model)
        az = np.ascontiguousarray(rad.azimuths, dtype=np.float64)
        inputs.update(dn=float(dn), n0=float(n0), clutter_m=clut)
        if model == "p452":
            if clut > 0.0:
                raise ValueError(f"clutter_m = {clut:g}: representative clutter is not supported for P.452 maps "
                                 "(the receiver end moves with the node; use model='p1812' for clutter)")
            inv_d = np.empty(ns)
            inv_r = np.empty((ns if ns <= _k.INV_TABLE_MAX else 0, ns))
            _k.inverse_distance_table(d, inv_d, inv_r)
            _k.p452_radials(d, hz, hz, zc, n_valid, need, float(tx.lat), az, tx.h, hr, f / 1000.0, pp, float(dn),
                            float(n0), pol, 500.0, 500.0, 1013.25, 15.0, 0.0, 0.0, inv_d, inv_r, out)
        else:
            check_range("pl", pl, 1.0, 99.0, "%", MODELS[model])
            check_range("sigma_l", sigma_l, 0.0, 50.0, "dB")
            rc = np.full(h.shape, clut)
            inputs.update(pl=float(pl), sigma_l=float(sigma_l))
            _k.p1812_radials(d, hz, rc, zc, n_valid, need, float(tx.lat), az, tx.h, hr, f / 1000.0, pp, pol,
                             float(dn), float(n0), 500.0, 500.0, float(pl), float(sigma_l), False, out)
    else:
        from .propagation import itm as _itm_api

        prm = _itm_api._common(tx.h, hr, climate, n_0, None, f[0], tx.pol, epsilon, sigma, mdvar)
        check_range("location", location, 0.0, 100.0, "%", lo_open=True, hi_open=True)
        check_range("situation", situation, 0.0, 100.0, "%", lo_open=True, hi_open=True)
        codes = np.empty((f.size, rad.n_radials, ns), dtype=np.int64)
        xi = (d[-1] - d[0]) / (ns - 1) * 1000.0
        _k.itm_radials(hz, n_valid, need, xi, tx.h, hr, int(prm["climate"]), float(prm["n_0"]), float(prm["n_s"]), f,
                       int(prm["pol"]), float(prm["epsilon"]), float(prm["sigma"]), int(prm["mdvar"]), pp,
                       np.full(pp.size, float(location)), np.full(pp.size, float(situation)), out, codes)
        inputs.update(climate=int(climate), n_0=float(n_0), epsilon=float(epsilon), sigma=float(sigma),
                      mdvar=int(mdvar), location=float(location), situation=float(situation))
    return PolarMap(rad, out, f, pp, n_valid, model, inputs, codes)


def _tx_gain_rel(tx: _Tx, rad: terrain.RadialProfiles, hrg_m: float, f_mhz: float) -> np.ndarray | float:
    """Station antenna gain toward each node relative to its maximum, G(az, el) - Gmax. [dB]"""
    if tx.antenna is None:
        return 0.0
    d = rad.distances[None, :]
    h = np.where(np.isnan(rad.heights), 0.0, rad.heights)
    hts = h[:, :1] + tx.h
    el = elevation_deg(np.broadcast_to(d, h.shape), np.broadcast_to(hts, h.shape), h + hrg_m)
    el = np.clip(np.where(np.isfinite(el), el, 0.0), -90.0, 90.0)
    az = np.broadcast_to(rad.azimuths[:, None], h.shape)
    g = gain_toward_dbi(tx.antenna, tx.azimuth, tx.tilt, az, el, f_mhz)
    return np.asarray(g) - tx.antenna.g_dbi


def _pixel_polar(lat0: float, lon0: float, lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    dist = np.empty((lat.size, lon.size))
    brg = np.empty((lat.size, lon.size))
    _k.pixel_polar(float(lat0), float(lon0), lat, lon, dist, brg)
    return dist, brg


def _resolve_radials(n_radials, lat: np.ndarray, lon: np.ndarray, dist: np.ndarray, radius_km: float) -> int:
    """``n_radials`` or, for ``"auto"``, one radial per pixel width at the farthest mapped pixel:
    ceil(2 pi r / pixel size), between 360 and 36000."""
    if n_radials is None or isinstance(n_radials, str):
        if n_radials is not None and n_radials != "auto":
            raise ValueError(f"n_radials = {n_radials!r} must be an integer, 'auto' or None")
        km_deg = math.radians(1.0) * geo.EARTH_RADIUS_KM
        steps = []
        if lat.size > 1:
            steps.append(abs(float(lat[1] - lat[0])) * km_deg)
        if lon.size > 1:
            steps.append(abs(float(lon[1] - lon[0])) * km_deg * math.cos(math.radians(float(np.mean(lat)))))
        pix = min(steps) if steps else 0.1
        r = min(float(np.max(dist)), float(radius_km))
        auto = int(min(max(math.ceil(2.0 * math.pi * r / max(pix, 1e-6)), 360), 36000))
        return auto if n_radials == "auto" else min(auto, DEFAULT_MAX_RADIALS)
    return n_radials


def _check_interp(interp: str) -> bool:
    if interp not in ("bilinear", "nearest"):
        raise ValueError(f"interp = {interp!r} must be 'bilinear' or 'nearest'")
    return interp == "bilinear"


def _to_grid(values: np.ndarray, pm: PolarMap, lat: np.ndarray, lon: np.ndarray, interp: str,
             pix=None) -> np.ndarray:
    _check_interp(interp)
    rad = pm.radials
    dist, brg = pix if pix is not None else _pixel_polar(rad.site_lat, rad.site_lon, lat, lon)
    v = np.ascontiguousarray(values.reshape(-1, rad.n_radials, rad.n_samples))
    out = np.empty((v.shape[0], lat.size, lon.size))
    dd = (rad.distances[-1] - rad.distances[0]) / (rad.n_samples - 1)
    _k.polar_to_grid(v, 360.0 / rad.n_radials, dd, dist, brg, interp == "bilinear", out)
    return out.reshape(values.shape[:-2] + (lat.size, lon.size))


def _wrap(values: np.ndarray, f: np.ndarray, p: np.ndarray, lat, lon, name, units, long_name, attrs,
          p_name="p") -> xr.DataArray:
    dims, coords = [], {}
    sel = []
    for nm, c, lab in (("f_mhz", f, ("MHz", "frequency")), (p_name, p, ("%", "time percentage"))):
        if c.size > 1:
            dims.append(nm)
            coords[nm] = xr.Variable(nm, c, {"units": lab[0], "long_name": lab[1]})
            sel.append(slice(None))
        else:
            sel.append(0)
    v = values[tuple(sel)]
    dims += ["lat", "lon"]
    coords["lat"] = xr.Variable("lat", lat, {"units": "degrees_north", "standard_name": "latitude",
                                             "long_name": "latitude", "axis": "Y"})
    coords["lon"] = xr.Variable("lon", lon, {"units": "degrees_east", "standard_name": "longitude",
                                             "long_name": "longitude", "axis": "X"})
    coords["crs"] = xr.Variable((), np.int32(0), dict(_WGS84))
    da = xr.DataArray(v, dims=dims, coords=coords, name=name)
    scal = {}
    if f.size == 1:
        scal["f_mhz"] = float(f[0])
    if p.size == 1:
        scal[p_name] = float(p[0])
    da.attrs = {"units": units, "long_name": long_name, "grid_mapping": "crs", **scal, **attrs}
    return da


def _clean_attrs(d: Mapping[str, Any]) -> dict:
    import json

    out = {}
    for k, v in d.items():
        if v is None:
            continue
        if isinstance(v, bool):
            out[k] = int(v)
        elif isinstance(v, (int, float, str, np.integer, np.floating)):
            out[k] = v
        else:
            out[k] = json.dumps(v, default=lambda o: o.tolist() if hasattr(o, "tolist") else str(o))
    return out
