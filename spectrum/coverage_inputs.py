"""Coverage maps, stage 1 (inputs): stations, receivers, pixel grids, model ranges.

Part of :mod:`spectrum.coverage` (which re-exports every name here); see it for how a map is made.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import xarray as xr

from . import geo, terrain
from ._validate import as_float_array, check_lat_lon, check_positive, check_range
from .antennas import Antenna

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
        erp = _num("erp_dbw", _get(obj, "erp_dbw"), who=who)
        check_range(f"{who}.erp_dbw", erp, -100.0, 100.0, "dBW")  # an absurd 1e300 dBW was mapped as such
        eirp = erp + 2.15
    else:
        eirp = _num("eirp_dbw", eirp, 0.0, who)
        check_range(f"{who}.eirp_dbw", eirp, -100.0, 100.0, "dBW")
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
    if ny < 2 or nx < 2:
        raise ValueError(f"resolution_arcsec = {res * 3600.0:g} gives a map of {ny} x {nx} pixel(s) over radius "
                         f"{r:g} km: need at least 2 x 2 pixels (use a finer resolution)")
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
