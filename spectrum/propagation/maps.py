"""ITU-R climate digital maps, read from the ``itur`` package's data files (extra ``[maps]``).

The ITU does not allow its digital maps to be redistributed, so Spectrum ships none. The
``itur`` wheel on PyPI (``pip install "spectrum[maps]"``) carries several of them as ``.npz``
files; this module reads those files directly (``itur`` itself is never imported: it needs
astropy at import time) and interpolates them as the Recommendations say:

* Rec. ITU-R P.837-7: R0.01 map and the Annex 1 rain-rate method (monthly total rainfall
  maps with the monthly mean surface temperature of Rec. ITU-R P.1510-1);
* Rec. ITU-R P.839-4: mean annual 0 °C isotherm height h0 and rain height hR = h0 + 0.36 km;
* Rec. ITU-R P.837-5 parameter maps Mt, β, Pr6 (``esarain_*_v5``), which Rec. ITU-R P.2001-4
  uses for its precipitation model (bit-identical to P.2001's own maps).

Every value a model takes from a map can also be given explicitly by the caller, so the
maps are a convenience, never a requirement. Without ``itur`` installed, or with
``SPECTRUM_ITUR_DATA`` pointing nowhere, the functions raise :class:`MapsUnavailableError`
(a ``ValueError``) naming the extra; :func:`available` tells beforehand.

The folder holding ``837/``, ``839/`` … is found from ``$SPECTRUM_ITUR_DATA`` if set, else
from the installed ``itur`` package.

References
----------
Rec. ITU-R P.837-7 (06/2017), Characteristics of precipitation for propagation modelling.
Rec. ITU-R P.839-4 (09/2013), Rain height model for prediction methods.
Rec. ITU-R P.1510-1 (06/2017), Mean surface temperature.
Rec. ITU-R P.1144-12 (08/2023), Guide to the application of the propagation methods of
Radiocommunication Study Group 3 (Annex 1, bilinear interpolation).
Rec. ITU-R P.837-5 (08/2007) (parameter maps used by Rec. ITU-R P.2001-4).
"""
from __future__ import annotations

import functools
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import _validate
from ..kernels import climate as _k

#: Rec. ITU-R P.837-7 Annex 1 Table 1: number of days in each month of the average year.
N_DAYS = np.array([31.0, 28.25, 31.0, 30.0, 31.0, 30.0, 31.0, 31.0, 30.0, 31.0, 30.0, 31.0])

EXTRA_HINT = 'install the maps extra: pip install "spectrum[maps]" (the itur package carries the ITU-R maps)'


class MapsUnavailableError(ValueError):
    """The ITU-R digital maps are not installed (no ``itur`` package, or ``SPECTRUM_ITUR_DATA`` is wrong)."""


def data_dir() -> Path | None:
    """Folder holding the ITU-R map files (``837/``, ``839/`` …), or ``None`` if there is none."""
    env = os.environ.get("SPECTRUM_ITUR_DATA")
    if env:
        p = Path(env)
        return p if (p / "837").is_dir() else None
    try:
        spec = importlib.util.find_spec("itur")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for loc in spec.submodule_search_locations:
        p = Path(loc) / "data"
        if (p / "837").is_dir():
            return p
    return None


def available() -> bool:
    """True when the ITU-R map files can be read."""
    return data_dir() is not None


@dataclass(frozen=True)
class _Grid:
    values: np.ndarray
    lat0: float
    dlat: float
    lon0: float
    dlon: float

    def at(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        return _k.bilinear_regular(self.values, self.lat0, self.dlat, self.lon0, self.dlon,
                                   np.array(lat, dtype=np.float64).ravel(),
                                   np.array(lon, dtype=np.float64).ravel())


def _npz(rel: str) -> np.ndarray:
    d = data_dir()
    if d is None:
        raise MapsUnavailableError(f"ITU-R digital maps are not available: {EXTRA_HINT}")
    f = d / rel
    try:
        with np.load(f) as z:
            return np.ascontiguousarray(z[z.files[0]], dtype=np.float64)
    except FileNotFoundError:
        raise MapsUnavailableError(f"ITU-R map file {f} is missing: {EXTRA_HINT}") from None
    except (OSError, ValueError, KeyError, IndexError) as exc:
        raise MapsUnavailableError(f"ITU-R map file {f} cannot be read ({exc}); reinstall the maps extra") from None


@functools.lru_cache(maxsize=None)
def _grid(values: str, lat: str, lon: str) -> _Grid:
    """Load a map with its latitude/longitude grids and check that they are regular."""
    v, la, lo = _npz(values), _npz(lat), _npz(lon)
    col = la[:, 0]
    row = lo[0, :]
    dlat = (col[-1] - col[0]) / (col.size - 1)
    dlon = (row[-1] - row[0]) / (row.size - 1)
    if (v.shape != la.shape or v.shape != lo.shape
            or not np.allclose(np.diff(col), dlat, atol=1e-9) or not np.allclose(np.diff(row), dlon, atol=1e-9)):
        raise MapsUnavailableError(f"ITU-R map {values} is not on a regular grid; reinstall the maps extra")
    return _Grid(v, float(col[0]), float(dlat), float(row[0]), float(dlon))


def _points(lat, lon) -> tuple[np.ndarray, np.ndarray, tuple]:
    la, lo = _validate.check_lat_lon(lat, lon)
    la, lo = np.broadcast_arrays(la, lo)
    return la.ravel(), lo.ravel(), la.shape


def _out(v: np.ndarray, shape: tuple):
    v = v.reshape(shape)
    return float(v) if v.ndim == 0 else v


def _map_at(lat, lon, values: str, lat_file: str, lon_file: str):
    """The map ``values`` (on the grid of ``lat_file``, ``lon_file``) bilinearly interpolated at
    (lat, lon), checked and broadcast; a float for scalar inputs."""
    la, lo, shape = _points(lat, lon)
    return _out(_grid(values, lat_file, lon_file).at(la, lo), shape)


def rain_rate_r001_mmh(lat, lon):
    """Rainfall rate exceeded for 0.01 % of an average year, Rec. ITU-R P.837-7 Annex 1 (R0.01 map).

    Parameters
    ----------
    lat, lon : float or array_like
        Location. [deg]

    Returns
    -------
    float or ndarray
        R0.01 (1-min integration), bilinearly interpolated from the 0.125° map. [mm/h]

    References
    ----------
    Rec. ITU-R P.837-7 (2017), recommends 3 and its digital map R001.
    """
    return _map_at(lat, lon, "837/v7_r001.npz", "837/v7_lat_r001.npz", "837/v7_lon_r001.npz")


def _monthly(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Monthly mean total rainfall [mm] (P.837-7) and surface temperature [K] (P.1510-1), shape (12, n)."""
    mt = np.empty((12, lat.size))
    t = np.empty((12, lat.size))
    for i in range(12):
        mt[i] = _grid(f"837/v7_mt_month{i + 1:02d}.npz", "837/v7_lat_mt.npz", "837/v7_lon_mt.npz").at(lat, lon)
        t[i] = _grid(f"1510/v1_t_month{i + 1:02d}.npz", "1510/v1_lat.npz", "1510/v1_lon.npz").at(lat, lon)
    return mt, t


def rain_probability_p0_percent(lat, lon):
    """Annual probability of rain P0annual, Rec. ITU-R P.837-7 Annex 1 Steps 1-5.

    Parameters
    ----------
    lat, lon : float or array_like
        Location. [deg]

    Returns
    -------
    float or ndarray
        Probability of rain in an average year. [%]

    References
    ----------
    Rec. ITU-R P.837-7 (2017) Annex 1; Rec. ITU-R P.1510-1 (2017) for the monthly temperatures.
    """
    la, lo, shape = _points(lat, lon)
    mt, t = _monthly(la, lo)
    return _out(_k.p837_monthly_terms(mt, t, N_DAYS)[2], shape)


def rain_rate_mmh(lat, lon, p):
    """Rainfall rate R_p exceeded for p % of an average year, Rec. ITU-R P.837-7 Annex 1 Steps 1-6.

    Parameters
    ----------
    lat, lon : float or array_like
        Location. [deg]
    p : float or array_like
        Time percentage of an average year, 0 < p <= 5. [%]

    Returns
    -------
    float or ndarray
        R_p (1-min integration); 0 where p exceeds the annual probability of rain. [mm/h]

    Notes
    -----
    This is the monthly-statistics method of Annex 1; at p = 0.01 % it differs slightly from the
    R0.01 map of :func:`rain_rate_r001_mmh` (two products of the same Recommendation).

    References
    ----------
    Rec. ITU-R P.837-7 (2017) Annex 1; Rec. ITU-R P.1510-1 (2017) for the monthly temperatures.
    """
    la, lo, _ = _points(lat, lon)
    pp = _validate.check_range("p", p, 0.0, 5.0, "%", "P.837-7 Annex 1", lo_open=True)
    la, lo, pp = np.broadcast_arrays(la, lo, pp)
    shape = la.shape
    la, lo, pp = la.ravel(), lo.ravel(), np.array(pp, dtype=np.float64).ravel()
    mt, t = _monthly(la, lo)
    return _out(_k.p837_rain_rate(mt, t, N_DAYS, pp), shape)


def zero_isotherm_height_km(lat, lon):
    """Mean annual 0 °C isotherm height h0 above mean sea level, Rec. ITU-R P.839-4 §2.

    Parameters
    ----------
    lat, lon : float or array_like
        Location. [deg]

    Returns
    -------
    float or ndarray
        h0, bilinearly interpolated from the 1.5° map. [km]

    References
    ----------
    Rec. ITU-R P.839-4 (2013), recommends 1 and its digital map h0.
    """
    return _map_at(lat, lon, "839/v4_esa0height.npz", "839/v4_esalat.npz", "839/v4_esalon.npz")


def rain_height_km(lat, lon):
    """Mean annual rain height hR = h0 + 0.36 km above mean sea level, Rec. ITU-R P.839-4 Eq. (1).

    Parameters
    ----------
    lat, lon : float or array_like
        Location. [deg]

    Returns
    -------
    float or ndarray
        hR. [km]

    References
    ----------
    Rec. ITU-R P.839-4 (2013), recommends 2.
    """
    return zero_isotherm_height_km(lat, lon) + 0.36


def esarain_params(lat, lon) -> tuple:
    """Rain parameters Mt, β and Pr6 of the Rec. ITU-R P.837-5 maps, as used by Rec. ITU-R P.2001-4.

    Parameters
    ----------
    lat, lon : float or array_like
        Location. [deg]

    Returns
    -------
    mt_mm : float or ndarray
        Mean annual total rainfall Mt. [mm]
    beta : float or ndarray
        Ratio of convective to total rainfall β. [-]
    pr6_percent : float or ndarray
        Probability of a rainy 6-hour period Pr6. [%]

    References
    ----------
    Rec. ITU-R P.837-5 (2007) digital maps ESARAIN_MT/BETA/PR6 (v5), bilinear interpolation;
    Rec. ITU-R P.2001-4 (2021) §3.1 (the same maps, as Mt, β, Pr6).
    """
    la, lo, shape = _points(lat, lon)
    lat_f, lon_f = "837/esarain_lat_v5.npz", "837/esarain_lon_v5.npz"
    return tuple(_out(_grid(f"837/esarain_{n}_v5.npz", lat_f, lon_f).at(la, lo), shape)
                 for n in ("mt", "beta", "pr6"))


# ---------------------------------------------------------------------------------------------
# Rec. ITU-R P.453: radio refractivity -> the DN / N0 inputs of P.452 and P.1812 (issue #13)
# ---------------------------------------------------------------------------------------------

#: Time percentages of the P.453 dN1 maps in the itur data (file suffix ``XXdYY``). [%]
DN1_PERCENTAGES = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0,
                   95.0, 98.0, 99.0, 99.5, 99.8, 99.9)
#: Percentages of the P.453 annual Nwet maps in the itur data. [%]
NWET_PERCENTAGES = (0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 30.0, 50.0, 60.0, 70.0, 80.0, 90.0,
                    95.0, 99.0)
#: Scale height of the exponential reference atmosphere, Rec. ITU-R P.453-14 Eq. (8). [km]
H0_KM = 7.35


def _pct_tag(p: float, table: tuple, what: str) -> float:
    p = float(p)
    if not any(abs(p - q) < 1e-9 for q in table):
        raise ValueError(f"p = {p:g} % has no {what} map; available: {', '.join(f'{q:g}' for q in table)}")
    return p


def refractivity_gradient_dn1(lat, lon, p: float = 50.0):
    """Refractivity gradient dN1 in the lowest 1 km not exceeded for p % of the average year,
    Rec. ITU-R P.453-14 §2.2 (digital maps); negative in a normal atmosphere (p = 1 %: the
    super-refractive tail, p = 50 %: the median).

    Parameters
    ----------
    lat, lon : float or array_like
        Location. [deg]
    p : float
        Time percentage of the map (one of :data:`DN1_PERCENTAGES`). [%]

    Returns
    -------
    float or ndarray
        dN1, bilinear on the 0.75° map. [N-units/km]

    References
    ----------
    Rec. ITU-R P.453-14 (08/2019), §2.2 and its digital maps DNDZ_01 (lowest 1 km).
    """
    q = _pct_tag(p, DN1_PERCENTAGES, "P.453 dN1")
    tag = f"{int(q):02d}d{int(round((q - int(q)) * 100)):02d}"
    return _map_at(lat, lon, f"453/v12_dn_{tag}_v1.npz", "453/v12_lat0d75.npz", "453/v12_lon0d75.npz")


def wet_refractivity_nwet(lat, lon, p: float = 50.0):
    """Wet term of the surface refractivity exceeded for p % of the year, Rec. ITU-R P.453-14 §2.2
    (annual Nwet maps). [N-units]"""
    q = _pct_tag(p, NWET_PERCENTAGES, "P.453 Nwet")
    tag = f"{q:g}".replace(".", "") if q < 1 else f"{q:g}"
    tag = {"0.1": "01", "0.2": "02", "0.3": "03", "0.5": "05"}.get(f"{q:g}", tag)
    return _map_at(lat, lon, f"453/v13_nwet_annual_{tag}.npz", "453/v13_lat_n.npz", "453/v13_lon_n.npz")


def surface_temperature_k(lat, lon):
    """Annual mean surface temperature, Rec. ITU-R P.1510-1 (digital map). [K]"""
    return _map_at(lat, lon, "1510/v1_t_annual.npz", "1510/v1_lat.npz", "1510/v1_lon.npz")


def surface_height_km(lat, lon):
    """Topographic height of the surface above mean sea level, Rec. ITU-R P.1511 (0.5° map). [km]"""
    return _map_at(lat, lon, "1511/v1_topo_0dot5.npz", "1511/v1_lat.npz", "1511/v1_lon.npz")


def delta_n(lat, lon):
    """ΔN for P.452 / P.1812 from the P.453 map: ΔN = -dN1(50 %), the median annual refractivity
    lapse rate through the lowest 1 km (Rec. ITU-R P.453-14 §2.2), substituting for P.452's own
    DN50 map (average lapse rate; not redistributable). [N-units/km, positive]

    References
    ----------
    Rec. ITU-R P.453-14 (08/2019) §2.2; Rec. ITU-R P.452-18 §3.2.1 (ΔN); Rec. ITU-R P.1812-6 §3.5.
    """
    return -refractivity_gradient_dn1(lat, lon, 50.0)


def sea_level_refractivity_n0(lat, lon):
    """N0 for P.452 / P.1812 from P.453 / P.1510 / P.1511 / P.835 maps (substitute for N050).

    Rec. ITU-R P.453-14 Eqs. (1)-(6) at sea level: ``N0 = 77.6 Pd/T0 + 72 e0/T0 + 3.75e5 e0/T0²``
    with ``T0 = Ts + 6.5 hs`` (Ts the P.1510-1 annual mean surface temperature, hs the P.1511
    surface height [km], the P.835 standard lapse rate), ``e0 = es exp(hs / 2)`` (es from the
    median annual P.453 Nwet map inverted at Ts; 2 km water-vapour scale height, P.835), and
    ``Pd = 1013.25 - e0`` hPa. [N-units]

    References
    ----------
    Rec. ITU-R P.453-14 (08/2019) §1, §2.2; Rec. ITU-R P.1510-1; Rec. ITU-R P.1511-2;
    Rec. ITU-R P.835-6 (reference standard atmosphere).
    """
    ts = np.asarray(surface_temperature_k(lat, lon), float)
    hs = np.maximum(np.asarray(surface_height_km(lat, lon), float), 0.0)
    nwet = np.asarray(wet_refractivity_nwet(lat, lon, 50.0), float)
    es = nwet / (72.0 / ts + 3.75e5 / ts ** 2)
    t0 = ts + 6.5 * hs
    e0 = es * np.exp(hs / 2.0)
    n0 = 77.6 * (1013.25 - e0) / t0 + 72.0 * e0 / t0 + 3.75e5 * e0 / t0 ** 2
    return float(n0) if np.ndim(n0) == 0 else n0


def path_climate(lat1, lon1, lat2, lon2) -> dict:
    """ΔN and N0 at the path centre for P.452-18 / P.1812-6 (``dn=``, ``n0=``), from the maps.

    Returns ``{"dn": ΔN [N-units/km], "n0": N0 [N-units], "lat": , "lon": (centre) , "source": text}``;
    raises :class:`MapsUnavailableError` without the ``[maps]`` extra (then give dn / n0 yourself).
    """
    from .. import geo

    la, lo = geo.intermediate_points(lat1, lon1, lat2, lon2, 0.5)
    la, lo = float(np.asarray(la)), float(np.asarray(lo))
    return {"dn": float(delta_n(la, lo)), "n0": float(sea_level_refractivity_n0(la, lo)), "lat": la, "lon": lo,
            "source": "ΔN = -dN1(50 %) Rec. ITU-R P.453-14 map; N0 from P.453 Nwet(50 %), P.1510 T, P.1511 h "
                      "(substitutes for the P.452/P.1812 DN50/N050 maps, which the ITU does not let us redistribute)"}
