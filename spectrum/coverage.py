"""Coverage and interference maps over terrain: P.452-18, P.1812-6 or ITM 1.2.2 per pixel.

How a map is made (STYLE.md rule 8, pycraf's ``height_map_data`` / ``atten_map_fast`` idea):

1. Terrain profiles along ``n_radials`` great-circle radials from the station are sampled once
   (:func:`spectrum.terrain.radial_profiles`, bilinear, step = the DEM spacing by default).
2. The propagation model runs at every sample (node) of every radial, on the radial prefix
   from the station to that node -- the same profile the point-to-point API would use -- with
   the frequency / time independent work shared (:mod:`spectrum.kernels.coverage`), ``prange``
   over radials.
3. Antenna gains toward each node, EIRP and the requested quantity are applied in the polar
   domain, and map pixels are filled from the polar nodes by bilinear (default) or nearest
   lookup in (azimuth, distance).

Public functions: :func:`field_strength_map`, :func:`interference_map`, :func:`polar_map`
(the polar nodes themselves), :func:`save_map`; stations and receivers are described with
:class:`Station` and :class:`Receiver` or duck-typed objects / dicts such as
:class:`spectrum.register.AssignmentRow`.

Maps are :class:`xarray.DataArray` on a regular WGS84 latitude/longitude grid with CF
attributes (``units``, ``long_name``, coordinates ``lat``/``lon`` with standard names, a
``crs`` grid-mapping variable) and provenance (model, revision, inputs).

References
----------
Rec. ITU-R P.452-18 (10/2023); Rec. ITU-R P.1812-6 (08/2021); G. A. Hufford, The ITS Irregular
Terrain Model, version 1.2.2, the Algorithm (NTIA/ITS 1995); Rec. ITU-R P.525-4 (2019) §3
(field strength from EIRP); Rec. ITU-R SM.337-6 (2008) (interference budget, FDR);
Rec. ITU-R P.372-16 (2022) (kTB noise); CF Conventions 1.8 §5.6 (grid mappings).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import xarray as xr

from . import __version__, geo, terrain
from ._validate import as_float_array, check_lat_lon, check_positive, check_range
from .propagation._common import check_model_heights
from .antennas import Antenna, elevation_deg, gain_toward_dbi
from .kernels import coverage as _k

__all__ = ["Station", "Receiver", "PolarMap", "field_strength_map", "interference_map", "polar_map",
           "map_grid", "save_map", "MODELS", "QUANTITIES"]

#: Propagation models of the maps and their revisions.
MODELS = {"p452": "ITU-R P.452-18", "p1812": "ITU-R P.1812-6", "itm": "NTIA ITM 1.2.2 (point-to-point)"}
#: Quantities :func:`field_strength_map` can return: name -> (units, long_name).
QUANTITIES = {
    "e_dbuvm": ("dB(uV/m)", "field strength"),
    "lb_db": ("dB", "basic transmission loss"),
    "pr_dbw": ("dBW", "received power at the receiver input"),
    "pr_dbm": ("dBm", "received power at the receiver input"),
}
#: Radials of the default (``n_radials=None``): "auto", at most this many.
DEFAULT_MAX_RADIALS = 720
_F_MHZ_RANGE = {"p452": (100.0, 50000.0), "p1812": (30.0, 6000.0), "itm": (20.0, 20000.0)}
_P_RANGE = {"p452": (0.001, 50.0), "p1812": (1.0, 50.0), "itm": (0.0, 100.0)}
_WGS84 = {
    "grid_mapping_name": "latitude_longitude",
    "longitude_of_prime_meridian": 0.0,
    "semi_major_axis": 6378137.0,
    "inverse_flattening": 298.257223563,
    "epsg_code": "EPSG:4326",
    "crs_wkt": ('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
                'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]'),
}


# --------------------------------------------------------------------------------------------
# stations and receivers
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Station:
    """A transmitting station for a coverage map (or an interferer).

    Parameters
    ----------
    lat, lon : float
        Position. [deg]
    h_agl_m : float
        Antenna centre height above ground. [m]
    f_mhz : float
        Frequency. [MHz]
    eirp_dbw : float
        Maximum EIRP (toward the antenna boresight). [dBW]
    antenna : Antenna or dict, optional
        Radiation pattern (:class:`spectrum.antennas.Antenna` or a register pattern dict);
        omnidirectional with ``g_dbi`` if omitted.
    g_dbi : float
        Maximum antenna gain (used with a pattern dict). [dBi]
    azimuth_deg, tilt_deg : float
        Boresight azimuth (clockwise from north) and tilt (positive up). [deg]
    polarisation : {"h", "v"}
    bw_khz : float, optional
        Occupied bandwidth (interference maps). [kHz]
    fdr_db : float, optional
        Frequency-dependent rejection toward the victim receiver of an interference map. [dB]
    name : str
    """

    lat: float
    lon: float
    h_agl_m: float
    f_mhz: float
    eirp_dbw: float = 0.0
    antenna: Any = None
    g_dbi: float = 0.0
    azimuth_deg: float = 0.0
    tilt_deg: float = 0.0
    polarisation: str = "v"
    bw_khz: float | None = None
    fdr_db: float | None = None
    name: str = ""


@dataclass(frozen=True)
class Receiver:
    """The victim receiver template of an interference map, placed at every pixel.

    Parameters
    ----------
    h_agl_m : float
        Antenna height above ground. [m]
    f_mhz : float
        Tuned frequency. [MHz]
    bw_khz : float
        Noise bandwidth. [kHz]
    noise_figure_db : float
        Noise figure. [dB]
    g_dbi : float
        Maximum antenna gain. [dBi]
    antenna : Antenna or dict, optional
        Pattern; with ``azimuth_deg`` set, the gain toward each interferer is taken from it,
        otherwise the maximum gain points at every interferer (worst case).
    azimuth_deg : float, optional
        Fixed boresight azimuth of every victim. [deg]
    tilt_deg : float
        Boresight tilt, positive up. [deg]
    feeder_loss_db : float
        Receiver feeder loss. [dB]
    protection_db : float, optional
        I/N protection criterion (e.g. -6 or -10); kept in the map attributes. [dB]
    """

    h_agl_m: float
    f_mhz: float
    bw_khz: float
    noise_figure_db: float
    g_dbi: float = 0.0
    antenna: Any = None
    azimuth_deg: float | None = None
    tilt_deg: float = 0.0
    feeder_loss_db: float = 0.0
    protection_db: float | None = None
    name: str = "victim"


def _get(obj, name, default=None):
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _antenna(obj, register, g_dbi) -> Antenna | None:
    ant = _get(obj, "antenna")
    if ant is None:
        ant = _get(obj, "antenna_pattern")
    if ant is None:
        ant = _get(obj, "pattern")
    if ant is None:
        return None
    if isinstance(ant, Antenna):
        return ant
    if isinstance(ant, str):
        if register is None:
            raise ValueError(f"antenna pattern {ant!r} is a register name: pass register= to resolve it "
                             "(or give an Antenna / pattern dict)")
        ant = register.antenna_pattern(ant)
    if isinstance(ant, Mapping):
        return Antenna.from_pattern(ant, g_dbi)
    raise ValueError(f"antenna = {ant!r} must be an Antenna, a pattern dict or a register pattern name")


def _num(name, v, default=None, who="station"):
    if v is None:
        if default is None:
            raise ValueError(f"{who}.{name} is required")
        return float(default)
    try:
        x = float(v)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{who}.{name} = {v!r} is not a number") from exc
    if not math.isfinite(x):
        raise ValueError(f"{who}.{name} = {x!r} is not finite")
    return x


@dataclass
class _Tx:
    lat: float
    lon: float
    h: float
    f_mhz: float
    eirp: float
    antenna: Antenna | None
    azimuth: float
    tilt: float
    pol: str
    bw_khz: float | None
    fdr_db: float | None
    name: str

    def to_dict(self):
        return {"lat": self.lat, "lon": self.lon, "h_agl_m": self.h, "f_mhz": self.f_mhz, "eirp_dbw": self.eirp,
                "antenna": None if self.antenna is None else self.antenna.to_dict(), "azimuth_deg": self.azimuth,
                "tilt_deg": self.tilt, "polarisation": self.pol, "bw_khz": self.bw_khz, "fdr_db": self.fdr_db,
                "name": self.name}


def _station(obj, register=None, who="station") -> _Tx:
    lat = _num("lat", _get(obj, "lat"), who=who)
    lon = _num("lon", _get(obj, "lon"), who=who)
    check_lat_lon(lat, lon, who)
    h = _num("h_agl_m", _get(obj, "h_agl_m"), who=who)
    check_positive(f"{who}.h_agl_m", h, "m")
    f = _num("f_mhz", _get(obj, "f_mhz"), who=who)
    check_positive(f"{who}.f_mhz", f, "MHz")
    eirp = _get(obj, "eirp_dbw")
    if eirp is None and _get(obj, "erp_dbw") is not None:
        eirp = float(_get(obj, "erp_dbw")) + 2.15
    eirp = _num("eirp_dbw", eirp, 0.0, who)
    g = _num("g_dbi", _get(obj, "g_dbi"), 0.0, who)
    ant = _antenna(obj, register, g)
    if ant is not None and ant.kind == "omni":
        ant = None
    pol = str(_get(obj, "polarisation") or _get(obj, "pol") or "v").lower()[:1]
    if pol not in ("h", "v"):
        raise ValueError(f"{who}.polarisation = {pol!r} must be 'h' or 'v'")
    bw = _get(obj, "bw_khz")
    fdr = _get(obj, "fdr_db")
    name = _get(obj, "name") or _get(obj, "station_name") or _get(obj, "licence_number") or ""
    return _Tx(lat, lon, h, f, eirp, ant, _num("azimuth_deg", _get(obj, "azimuth_deg"), 0.0, who),
               _num("tilt_deg", _get(obj, "tilt_deg"), 0.0, who), pol,
               None if bw is None else float(check_positive(f"{who}.bw_khz", bw, "kHz")),
               None if fdr is None else _num("fdr_db", fdr, who=who), str(name))


# --------------------------------------------------------------------------------------------
# grids
# --------------------------------------------------------------------------------------------

def map_grid(dem, lat: float, lon: float, radius_km: float, *, resolution_arcsec: float | None = None,
             shape: tuple[int, int] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Regular lat/lon pixel centres covering ``radius_km`` around a point, inside the DEM.

    Parameters
    ----------
    dem : DataArray
        DEM (the grid is cropped to its bounds).
    lat, lon : float
        Centre. [deg]
    radius_km : float
        Half-width of the square (north-south and east-west) the grid covers. [km]
    resolution_arcsec : float, optional
        Pixel spacing. [arc-seconds]; default the DEM's spacing.
    shape : (n_lat, n_lon), optional
        Number of pixels instead of ``resolution_arcsec``.

    Returns
    -------
    lat, lon : ndarray
        Ascending pixel-centre coordinates. [deg]
    """
    r = float(check_positive("radius_km", radius_km, "km"))
    check_lat_lon(lat, lon, "centre")
    la0, la1, lo0, lo1 = terrain.dem_bounds(dem)
    dlat = math.degrees(r / geo.EARTH_RADIUS_KM)
    cosl = math.cos(math.radians(lat))
    if cosl < 1e-6:
        raise ValueError(f"centre latitude {lat:g} is too close to a pole for a lat/lon map")
    dlon = dlat / cosl
    bl0, bl1 = max(lat - dlat, la0), min(lat + dlat, la1)
    bo0, bo1 = max(lon - dlon, lo0), min(lon + dlon, lo1)
    if not (bl1 > bl0 and bo1 > bo0):
        raise ValueError(f"the map around ({lat:g}, {lon:g}) with radius {r:g} km does not overlap the DEM")
    if shape is not None:
        try:
            ny, nx = (int(v) for v in shape)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"shape = {shape!r} must be (n_lat, n_lon)") from exc
        if ny < 2 or nx < 2 or ny * nx > 50_000_000:
            raise ValueError(f"shape = {shape!r}: need 2 <= n and n_lat * n_lon <= 5e7")
        return np.linspace(bl0, bl1, ny), np.linspace(bo0, bo1, nx)
    if resolution_arcsec is None:
        res = float(dem["lat"].values[1] - dem["lat"].values[0])
    else:
        res = float(check_positive("resolution_arcsec", resolution_arcsec, "arcsec")) / 3600.0
    ny = int(math.floor((bl1 - bl0) / res + 1e-9)) + 1
    nx = int(math.floor((bo1 - bo0) / res + 1e-9)) + 1
    if ny * nx > 50_000_000:
        raise ValueError(f"map of {ny} x {nx} pixels is too large; use a coarser resolution_arcsec")
    cy = 0.5 * (bl0 + bl1 - (ny - 1) * res)
    cx = 0.5 * (bo0 + bo1 - (nx - 1) * res)
    return cy + np.arange(ny) * res, cx + np.arange(nx) * res


def _grid_from(grid) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(grid, (xr.DataArray, xr.Dataset)):
        la, lo = grid["lat"].values, grid["lon"].values
    else:
        try:
            la, lo = grid
        except (TypeError, ValueError) as exc:
            raise ValueError("grid must be a DataArray with lat/lon coordinates or a (lat, lon) pair") from exc
    la = as_float_array("grid lat", la)
    lo = as_float_array("grid lon", lo)
    if la.ndim != 1 or lo.ndim != 1 or la.size < 1 or lo.size < 1:
        raise ValueError("grid lat and lon must be 1-D coordinate vectors")
    check_lat_lon(la, lo, "grid")
    return np.ascontiguousarray(la), np.ascontiguousarray(lo)


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
              register=None, _tx: _Tx | None = None, _pixels=None) -> PolarMap:
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
    rad = terrain.radial_profiles(dem, tx.lat, tx.lon, radius_km, int(n_radials), step_m, outside="nan")
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


def field_strength_map(dem, station, model: str = "p452", *, quantity: str = "e_dbuvm", radius_km: float = 50.0,
                       grid=None, resolution_arcsec: float | None = None, shape=None, f_mhz=None, p=50.0,
                       hrg_m: float = 10.0, n_radials: int | str | None = None, step_m: float | None = None,
                       interp: str = "bilinear", zone: str = "inland", rx_gain_dbi: float = 0.0,
                       rx_feeder_loss_db: float = 0.0, register=None, **model_kw) -> xr.DataArray:
    """Coverage map: field strength (or loss / received power) at every pixel around a station.

    Basic transmission loss from Rec. ITU-R P.452-18 §4.6 Eq. (64) (``model="p452"``),
    Rec. ITU-R P.1812-6 §4.7 Eq. (64) (``"p1812"``) or ITM 1.2.2 point-to-point (``"itm"``),
    field strength E = EIRP + (G_t(az, el) - G_t,max) - L_b + 20 log10 f + 107.22
    (Rec. ITU-R P.525-4 §3, isotropic receiving antenna).

    Parameters
    ----------
    dem : DataArray or path
        Terrain (:func:`spectrum.terrain.load_dem`); e.g. ``spectrum.datasets.terrain.default_dem()``.
    station : Station, AssignmentRow, dict or object
        Needs ``lat``, ``lon``, ``h_agl_m``, ``f_mhz``; optional ``eirp_dbw`` (or ``erp_dbw``,
        default 0 dBW), ``antenna`` / ``antenna_pattern`` (Antenna, pattern dict, or register
        pattern name with ``register=``), ``g_dbi``, ``azimuth_deg``, ``tilt_deg``, ``polarisation``.
    model : {"p452", "p1812", "itm"}
    quantity : {"e_dbuvm", "lb_db", "pr_dbw", "pr_dbm"}
        Field strength [dB(uV/m)], basic transmission loss [dB], or received power [dBW / dBm]
        with ``rx_gain_dbi`` and ``rx_feeder_loss_db``.
    radius_km : float
        Radials' length and the half-width of the default grid. [km]
    grid : DataArray or (lat, lon), optional
        Pixel centres; default :func:`map_grid` (the DEM's spacing, or ``resolution_arcsec`` /
        ``shape``), cropped to the DEM.
    f_mhz : float or array_like, optional
        Frequencies (default the station's); several give an ``f_mhz`` dimension. [MHz]
    p : float or array_like
        Time percentage (P.452: 0.001-50, P.1812: 1-50, ITM: the time quantile in (0, 100));
        several give a ``p`` dimension. [%]
    hrg_m : float
        Receiver height above ground at every pixel (10 m for field-strength conventions). [m]
    n_radials : int, "auto" or None
        Radials (the first north, clockwise). Pixels between radials are interpolated;
        ``"auto"`` takes one radial per pixel width at the farthest pixel (2 pi r / pixel size,
        360 to 36000) -- with ``interp="nearest"`` every pixel is then its own model evaluation;
        None (default): ``"auto"`` but at most 720.
    step_m : float, optional
        Profile sample spacing. [m]; default the DEM spacing.
    interp : {"bilinear", "nearest"}
        Polar -> pixel lookup.
    zone : {"inland", "sea-level"}
        Radio-climatic zone along each profile: all inland, or sea where the DEM is <= 0 m
        (P.452 / P.1812 only).
    rx_gain_dbi, rx_feeder_loss_db : float
        Receiving antenna gain and feeder loss for ``pr_dbw`` / ``pr_dbm``. [dBi], [dB]
    register : Register, optional
        To resolve antenna pattern names of register rows.
    **model_kw
        Model inputs: ``dn``, ``n0``, ``clutter_m`` (P.452 / P.1812); ``pl``, ``sigma_l``
        (P.1812); ``climate``, ``n_0``, ``epsilon``, ``sigma``, ``mdvar``, ``location``,
        ``situation`` (ITM).

    Returns
    -------
    xarray.DataArray
        Dims ``(lat, lon)`` (with ``f_mhz`` / ``p`` first when several are given), CF attributes,
        ``crs`` grid mapping (WGS84), provenance in ``attrs``; NaN off the DEM or beyond
        ``radius_km``.

    References
    ----------
    Rec. ITU-R P.452-18 (10/2023); Rec. ITU-R P.1812-6 (08/2021); NTIA ITM 1.2.2;
    Rec. ITU-R P.525-4 (2019) §3.
    """
    if quantity not in QUANTITIES:
        raise ValueError(f"quantity = {quantity!r} must be one of {', '.join(QUANTITIES)}")
    dem = terrain._as_dem(dem)
    tx = _station(station, register)
    if grid is None:
        lat, lon = map_grid(dem, tx.lat, tx.lon, radius_km, resolution_arcsec=resolution_arcsec, shape=shape)
    else:
        lat, lon = _grid_from(grid)
    bil = _check_interp(interp)
    pix = _pixel_polar(tx.lat, tx.lon, lat, lon)
    n_radials = _resolve_radials(n_radials, lat, lon, pix[0], radius_km)
    pm = polar_map(dem, None, model, radius_km=radius_km, f_mhz=f_mhz, p=p, hrg_m=hrg_m, n_radials=n_radials,
                   step_m=step_m, zone=zone, _tx=tx, _pixels=(*pix, bil), **model_kw)
    vals = pm.values
    if quantity != "lb_db":
        gains = np.stack([np.broadcast_to(_tx_gain_rel(tx, pm.radials, hrg_m, fj), vals.shape[2:]) for fj in pm.f_mhz])
        pr = tx.eirp + gains[:, None] - vals
        if quantity == "e_dbuvm":
            vals = pr + (20.0 * np.log10(pm.f_mhz) + 107.22)[:, None, None, None]
        else:
            vals = pr + float(rx_gain_dbi) - float(rx_feeder_loss_db) + (30.0 if quantity == "pr_dbm" else 0.0)
    out = _to_grid(vals, pm, lat, lon, interp, pix)
    units, long_name = QUANTITIES[quantity]
    attrs = _clean_attrs({
        "model": MODELS[model], "station_lat": tx.lat, "station_lon": tx.lon, "station_h_agl_m": tx.h,
        "station_name": tx.name, "eirp_dbw": tx.eirp, "hrg_m": float(hrg_m), "n_radials": pm.radials.n_radials,
        "radius_km": float(radius_km), "interp": interp, "software": "spectrum", "software_version": __version__,
        "dem_source": str(dem.attrs.get("source", "")), "inputs_json": pm.inputs,
    })
    name = {"e_dbuvm": "e_dbuvm", "lb_db": "lb_db", "pr_dbw": "pr_dbw", "pr_dbm": "pr_dbm"}[quantity]
    return _wrap(out, pm.f_mhz, pm.p, lat, lon, name, units, f"{long_name} ({MODELS[model]})", attrs,
                 p_name="p" if model != "itm" else "time")


# --------------------------------------------------------------------------------------------
# interference
# --------------------------------------------------------------------------------------------

def _victim(obj, register=None) -> dict:
    who = "victim"
    h = _num("h_agl_m", _get(obj, "h_agl_m"), who=who)
    check_positive("victim.h_agl_m", h, "m")
    f = _num("f_mhz", _get(obj, "f_mhz"), who=who)
    bw = _num("bw_khz", _get(obj, "bw_khz"), who=who)
    check_positive("victim.bw_khz", bw, "kHz")
    nf = _num("noise_figure_db", _get(obj, "noise_figure_db"), who=who)
    check_range("victim.noise_figure_db", nf, 0.0, 60.0, "dB")
    g = _num("g_dbi", _get(obj, "g_dbi"), 0.0, who)
    ant = _antenna(obj, register, g)
    az = _get(obj, "azimuth_deg")
    prot = _get(obj, "protection_db")
    return {"h": h, "f_mhz": f, "bw_khz": bw, "nf_db": nf, "g_dbi": g, "antenna": ant,
            "azimuth": None if az is None else float(az), "tilt": _num("tilt_deg", _get(obj, "tilt_deg"), 0.0, who),
            "feeder": _num("feeder_loss_db", _get(obj, "feeder_loss_db"), 0.0, who),
            "protection_db": None if prot is None else float(prot)}


def _fdr(tx: _Tx, vic: dict, k: int) -> float:
    if tx.fdr_db is not None:
        return float(tx.fdr_db)
    df = abs(tx.f_mhz - vic["f_mhz"]) * 1000.0
    bw_t = tx.bw_khz if tx.bw_khz is not None else vic["bw_khz"]
    if df < 0.5 * (bw_t + vic["bw_khz"]):
        return 0.0  # overlapping channels: co-channel, no rejection (conservative)
    raise ValueError(f"interferer {k} ({tx.name or 'unnamed'}) at {tx.f_mhz:g} MHz does not overlap the victim "
                     f"channel {vic['f_mhz']:g} MHz +- {vic['bw_khz'] / 2:g} kHz: give its fdr_db "
                     "(spectrum.masks.fdr_db, Rec. ITU-R SM.337)")


def interference_map(dem, victim_template, interferers: Sequence, model: str = "p452", *, p: float = 1.0,
                     radius_km: float | None = None, grid=None, resolution_arcsec: float | None = None, shape=None,
                     n_radials: int | str | None = None, step_m: float | None = None, interp: str = "bilinear",
                     zone: str = "inland", quantity: str = "i_n_db", register=None, **model_kw) -> xr.DataArray:
    """Aggregate interference-to-noise ratio I/N at a victim receiver placed at every pixel.

    For each interferer i (DESIGN.md convention, Rec. ITU-R SM.337-6):
    I_i = EIRP_i + (G_t,i(az, el) - G_t,i,max) - L_b,i(p) + G_r - L_feeder,r - FDR_i, with L_b,i
    from the interferer to the pixel (the radials are computed around each interferer, the
    victim height as receiver height); the aggregate is the power sum I = 10 log10(sum 10^(I_i/10))
    and N = 10 log10(k T0 B) + NF (Rec. ITU-R P.372-16).

    Parameters
    ----------
    dem : DataArray or path
        Terrain.
    victim_template : Receiver, dict or object
        ``h_agl_m``, ``f_mhz``, ``bw_khz``, ``noise_figure_db``; optional ``g_dbi``, ``antenna``,
        ``azimuth_deg`` (fixed boresight; otherwise the maximum gain faces every interferer),
        ``tilt_deg``, ``feeder_loss_db``, ``protection_db``.
    interferers : sequence of Station / AssignmentRow / dict
        Transmitters; ``fdr_db`` per interferer, or 0 dB for channels overlapping the victim's.
    model : {"p452", "p1812", "itm"}
    p : float
        Time percentage (interference: 1 % short term, 20 % long term). [%]
    radius_km : float, optional
        Radial length around each interferer, and half-width of the default grid around the
        first interferer (give ``grid`` for another area). [km]. Default: the grid is 30 km
        around the first interferer and each interferer's radials reach every pixel.
    quantity : {"i_n_db", "i_dbw"}
        I/N [dB] or the aggregate interference power I [dBW].
    Other parameters
        As :func:`field_strength_map`.

    Returns
    -------
    xarray.DataArray
        Dims ``(lat, lon)``; attrs include ``n_dbw`` (the noise power) and the I/N criterion.
        Pixels no interferer reaches are NaN.
    """
    if np.ndim(p) != 0:
        raise ValueError(f"p = {p!r} must be one time percentage for an interference map")
    if quantity not in ("i_n_db", "i_dbw"):
        raise ValueError(f"quantity = {quantity!r} must be 'i_n_db' or 'i_dbw'")
    if model not in MODELS:
        raise ValueError(f"model = {model!r} must be one of {', '.join(MODELS)}")
    dem = terrain._as_dem(dem)
    vic = _victim(victim_template, register)
    txs = [_station(s, register, who=f"interferers[{k}]") for k, s in enumerate(interferers)]
    if not txs:
        raise ValueError("interferers is empty: give at least one interfering station")
    fdrs = [_fdr(t, vic, k) for k, t in enumerate(txs)]
    bil = _check_interp(interp)
    if grid is None:
        lat, lon = map_grid(dem, txs[0].lat, txs[0].lon, 30.0 if radius_km is None else radius_km,
                            resolution_arcsec=resolution_arcsec, shape=shape)
    else:
        lat, lon = _grid_from(grid)
    n_dbw = 10.0 * math.log10(1.380649e-23 * 290.0 * vic["bw_khz"] * 1e3) + vic["nf_db"]
    terms = np.empty((len(txs), lat.size * lon.size))
    if vic["antenna"] is not None and vic["azimuth"] is not None:
        glat, glon = np.meshgrid(lat, lon, indexing="ij")
        hpix = terrain.elevation_m(dem, np.clip(glat, *terrain.dem_bounds(dem)[:2]),
                                   np.clip(glon, *terrain.dem_bounds(dem)[2:]))
    radials_used = []
    for k, tx in enumerate(txs):
        pix = _pixel_polar(tx.lat, tx.lon, lat, lon)
        reach = radius_km if radius_km is not None else float(np.max(pix[0])) * 1.001 + 1e-3
        nr_k = _resolve_radials(n_radials, lat, lon, pix[0], reach)
        radials_used.append(nr_k)
        pm = polar_map(dem, None, model, radius_km=reach, f_mhz=tx.f_mhz, p=p, hrg_m=vic["h"],
                       n_radials=nr_k, step_m=step_m, zone=zone, _tx=tx, _pixels=(*pix, bil), **model_kw)
        gt = np.broadcast_to(_tx_gain_rel(tx, pm.radials, vic["h"], tx.f_mhz), pm.values.shape[2:])
        i_polar = tx.eirp + gt - pm.values[0, 0] - vic["feeder"] - fdrs[k]
        ik = _to_grid(i_polar[None], pm, lat, lon, interp, pix)[0]
        if vic["antenna"] is not None and vic["azimuth"] is not None:
            brg = geo.bearing_deg(glat, glon, tx.lat, tx.lon)
            dkm = geo.distance_km(glat, glon, tx.lat, tx.lon)
            hts = float(terrain.elevation_m(dem, tx.lat, tx.lon)) + tx.h
            el = np.clip(np.nan_to_num(elevation_deg(dkm, hpix + vic["h"], hts)), -90.0, 90.0)
            ik = ik + gain_toward_dbi(vic["antenna"], vic["azimuth"], vic["tilt"], brg, el, tx.f_mhz)
        else:
            ik = ik + vic["g_dbi"]
        terms[k] = ik.ravel()
    agg = np.empty(lat.size * lon.size)
    _k.power_sum_db(terms, agg)
    agg = agg.reshape(lat.size, lon.size)
    vals = agg - n_dbw if quantity == "i_n_db" else agg
    units, long_name = ("dB", "aggregate interference-to-noise ratio I/N") if quantity == "i_n_db" else \
        ("dBW", "aggregate interference power at the receiver input")
    attrs = _clean_attrs({
        "model": MODELS[model], "n_dbw": n_dbw, "victim_h_agl_m": vic["h"], "victim_f_mhz": vic["f_mhz"],
        "victim_bw_khz": vic["bw_khz"], "victim_noise_figure_db": vic["nf_db"], "victim_g_dbi": vic["g_dbi"],
        "protection_i_n_db": vic["protection_db"], "n_interferers": len(txs), "n_radials": max(radials_used),
        "radius_km": "to every pixel" if radius_km is None else float(radius_km), "interp": interp,
        "software": "spectrum", "software_version": __version__,
        "dem_source": str(dem.attrs.get("source", "")),
        "inputs_json": {"interferers": [t.to_dict() for t in txs], "fdr_db": fdrs, "p": float(p), "model": model,
                        "n_radials": radials_used,
                        "victim": {k: v for k, v in vic.items() if k != "antenna"}},
    })
    return _wrap(vals[None, None], np.array([vic["f_mhz"]]), np.array([float(p)]), lat, lon, quantity, units,
                 f"{long_name} ({MODELS[model]})", attrs)


# --------------------------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------------------------

def save_map(da: xr.DataArray, path) -> "Path":
    """Write a map to NetCDF-4 (``.nc``) or HDF5 (``.h5`` / ``.hdf5``) through :mod:`spectrum.io`
    (atomic, with provenance)."""
    from pathlib import Path

    from . import io

    p = Path(path)
    model = str(da.attrs.get("model", "")) or None
    suffix = p.suffix.lower()
    if suffix in (".nc", ".nc4", ".netcdf"):
        return io.write_netcdf(da, p, model=model)
    if suffix in (".h5", ".hdf5", ".he5"):
        return io.write_dataarray_hdf5(da, p, model=model)
    raise ValueError(f"{p}: unknown map file type {suffix!r} (use .nc or .h5)")
