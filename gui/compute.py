"""Computations behind the viewer, free of Qt so they can be tested and reused on their own.

- :func:`hillshade` -- analytical hill shading of a lat/lon DEM (Horn 1981 slopes, the
  illumination model of Burrough & McDonnell, *Principles of GIS*, 1998, §8.3);
- :func:`relief_rgb` -- hypsometric tint times hill shade, sea in blue, as an RGB image;
- :func:`path_analysis` -- a terrain profile with the earth-curvature bulge for the P.452
  median effective earth radius, the line of sight, the first Fresnel zone and the
  Rec. ITU-R P.452-18 loss components;
- :func:`station_sites` -- register rows grouped by site for drawing.
"""
from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

__all__ = ["hillshade", "relief_rgb", "decimate_dem", "PathAnalysis", "path_analysis", "fresnel_radius_m",
           "earth_bulge_m", "P452_COMPONENTS", "P452_GEOMETRY", "P1812_ROWS", "ITM_ROWS", "PATH_MODELS",
           "station_sites", "Site", "SERVICE_STYLE", "service_style"]

_M_PER_DEG = math.pi * 6371.0e3 / 180.0


# ----------------------------------------------------------------------------------------
# Relief
# ----------------------------------------------------------------------------------------
def hillshade(h_m, lat, lon, azimuth_deg: float = 315.0, altitude_deg: float = 45.0,
              z_factor: float = 1.0) -> np.ndarray:
    """Analytical hill shade of a DEM on a regular lat/lon grid.

    Slopes by Horn's 3x3 finite differences (edges by one-sided differences through
    :func:`numpy.gradient`) with the grid spacing in metres on the 6371 km sphere (the
    east-west spacing shrinks with cos(lat) row by row). Illumination
    ``cos(zenith) cos(slope) + sin(zenith) sin(slope) cos(azimuth - aspect)``, clipped at 0.

    Parameters
    ----------
    h_m : array_like, shape (n_lat, n_lon)
        Heights, rows by ascending latitude. [m]. NaN (voids) give NaN.
    lat, lon : array_like
        Ascending, regularly spaced coordinates of the rows and columns. [deg]
    azimuth_deg : float
        Direction the light comes from, clockwise from north. [deg]
    altitude_deg : float
        Elevation of the light above the horizon. [deg]
    z_factor : float
        Vertical exaggeration.

    Returns
    -------
    numpy.ndarray
        Shade in [0, 1], same shape as ``h_m``.

    Raises
    ------
    ValueError
        If the shapes disagree, the grid has fewer than 2 x 2 points, or the angles are out of range.

    References
    ----------
    B. K. P. Horn, "Hill shading and the reflectance map", Proc. IEEE 69(1), 1981.
    """
    h = np.asarray(h_m, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    if h.ndim != 2 or h.shape != (lat.size, lon.size):
        raise ValueError(f"h_m shape {h.shape} does not match (lat, lon) sizes ({lat.size}, {lon.size})")
    if h.shape[0] < 2 or h.shape[1] < 2:
        raise ValueError(f"h_m shape {h.shape}: hill shading needs at least 2 x 2 points")
    if not 0.0 <= altitude_deg <= 90.0:
        raise ValueError(f"altitude_deg = {altitude_deg} is out of range [0, 90] deg")
    if not -360.0 <= azimuth_deg <= 360.0:
        raise ValueError(f"azimuth_deg = {azimuth_deg} is out of range [-360, 360] deg")
    dy = abs(float(lat[1] - lat[0])) * _M_PER_DEG
    dx = abs(float(lon[1] - lon[0])) * _M_PER_DEG * np.cos(np.radians(lat))[:, None]
    # Horn: smooth the central differences across the perpendicular direction (1-2-1 weights)
    p = np.pad(h * z_factor, 1, mode="edge")
    dzdx = ((p[:-2, 2:] + 2 * p[1:-1, 2:] + p[2:, 2:]) - (p[:-2, :-2] + 2 * p[1:-1, :-2] + p[2:, :-2])) / (8.0 * dx)
    dzdy = ((p[2:, :-2] + 2 * p[2:, 1:-1] + p[2:, 2:]) - (p[:-2, :-2] + 2 * p[:-2, 1:-1] + p[:-2, 2:])) / (8.0 * dy)
    # edge rows/cols used replicated values: one-sided there, scale by 2 to keep the gradient
    dzdx[:, 0] *= 2.0
    dzdx[:, -1] *= 2.0
    dzdy[0, :] *= 2.0
    dzdy[-1, :] *= 2.0
    slope = np.arctan(np.hypot(dzdx, dzdy))
    # aspect: direction the slope faces (downhill), clockwise from north; dzdy > 0 means uphill northward
    aspect = np.arctan2(-dzdx, -dzdy)
    zen = math.radians(90.0 - altitude_deg)
    az = math.radians(azimuth_deg)
    shade = math.cos(zen) * np.cos(slope) + math.sin(zen) * np.sin(slope) * np.cos(az - aspect)
    return np.clip(shade, 0.0, 1.0)


#: Hypsometric tint stops: (height m, r, g, b); land only (sea drawn separately).
_TINT = np.array([
    (0.0, 0.56, 0.74, 0.47),
    (50.0, 0.68, 0.80, 0.52),
    (200.0, 0.87, 0.84, 0.58),
    (500.0, 0.80, 0.66, 0.45),
    (1500.0, 0.65, 0.50, 0.40),
    (3000.0, 0.92, 0.92, 0.92),
])
_SEA = np.array([0.53, 0.70, 0.86])


def relief_rgb(h_m, lat, lon, *, shade_weight: float = 0.6, sea_level_m: float = 0.0) -> np.ndarray:
    """Shaded relief image: hypsometric tint modulated by :func:`hillshade`; sea flat blue.

    Parameters
    ----------
    h_m, lat, lon : array_like
        As :func:`hillshade`.
    shade_weight : float
        0 = tint only, 1 = full shading.
    sea_level_m : float
        Cells at or below this height are drawn as water. [m]

    Returns
    -------
    numpy.ndarray of uint8, shape (n_lat, n_lon, 3)
    """
    if not 0.0 <= shade_weight <= 1.0:
        raise ValueError(f"shade_weight = {shade_weight} is out of range [0, 1]")
    h = np.asarray(h_m, dtype=np.float64)
    shade = hillshade(h, lat, lon)
    hv = np.nan_to_num(h, nan=0.0)
    rgb = np.empty(h.shape + (3,))
    for c in range(3):
        rgb[..., c] = np.interp(hv, _TINT[:, 0], _TINT[:, c + 1])
    # normalise so that flat ground (shade = cos(zenith)) keeps its tint
    flat = math.cos(math.radians(45.0))
    k = (1.0 - shade_weight) + shade_weight * np.nan_to_num(shade, nan=flat) / flat
    rgb *= np.clip(k, 0.0, 1.6)[..., None]
    sea = hv <= sea_level_m
    rgb[sea] = _SEA
    rgb[np.isnan(h)] = (0.3, 0.3, 0.3)
    return (np.clip(rgb, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def decimate_dem(dem, max_pixels: int = 1_500_000):
    """Every k-th row and column of a DataArray DEM so that at most ``max_pixels`` remain (for display)."""
    ny, nx = dem.shape
    k = max(1, int(math.ceil(math.sqrt(ny * nx / float(max_pixels)))))
    return dem if k == 1 else dem.isel(lat=slice(None, None, k), lon=slice(None, None, k))


# ----------------------------------------------------------------------------------------
# Path
# ----------------------------------------------------------------------------------------
def earth_bulge_m(d_km, d_total_km: float, ae_km: float) -> np.ndarray:
    """Height of the effective-earth bulge above the chord between the path ends, d1 d2 / (2 ae).

    The effective-earth curvature drawn in profile plots; ae is P.452-18 Eq. (6a) (k50 from Eq. (5)).

    Parameters
    ----------
    d_km : array_like
        Distance from the first end. [km]
    d_total_km : float
        Path length. [km]
    ae_km : float
        Effective earth radius. [km]

    Returns
    -------
    numpy.ndarray
        Bulge. [m]
    """
    d = np.asarray(d_km, dtype=np.float64)
    return d * (d_total_km - d) / (2.0 * ae_km) * 1000.0


def fresnel_radius_m(d_km, d_total_km: float, f_mhz: float) -> np.ndarray:
    """Radius of the first Fresnel ellipsoid, Rec. ITU-R P.526-16 Eq. (2): R1 = 550 sqrt(d1 d2 / ((d1 + d2) f)).

    Parameters
    ----------
    d_km : array_like
        Distance from the first end. [km]
    d_total_km : float
        Path length d1 + d2. [km]
    f_mhz : float
        Frequency. [MHz]

    Returns
    -------
    numpy.ndarray
        R1. [m]
    """
    if not f_mhz > 0:
        raise ValueError(f"f_mhz = {f_mhz} must be positive")
    d = np.asarray(d_km, dtype=np.float64)
    return 550.0 * np.sqrt(np.clip(d * (d_total_km - d), 0.0, None) / (d_total_km * f_mhz))


#: P.452 loss components shown in the path view: (attribute, label). [dB]
P452_COMPONENTS = (
    ("lb", "Lb  basic transmission loss, Eq. (64)"),
    ("lbfsg", "Lbfsg  free space + gases, Eq. (8)"),
    ("lb0p", "Lb0p  LoS with multipath/focusing at p %, Eq. (11)"),
    ("lb0b", "Lb0b  LoS at β0 %, Eq. (12)"),
    ("ldsph", "Ldsph  spherical-earth part of Ld50, §4.2 (P.526-16 §4.5)"),
    ("ld50", "Ld50  median diffraction, §4.2"),
    ("ldp", "Ldp  diffraction not exceeded for p %, Eq. (42)"),
    ("lbd", "Lbd  Lb0p + Ldp, Eq. (44)"),
    ("lbs", "Lbs  troposcatter, Eq. (45)"),
    ("lba", "Lba  ducting / layer reflection, Eq. (46)"),
    ("lbam", "Lbam  modified diffraction/ducting, Eq. (63)"),
    ("aht", "Aht  Tx terminal clutter (P.452-17 Eq. (57))"),
    ("ahr", "Ahr  Rx terminal clutter (P.452-17 Eq. (57))"),
)
#: Horizon angles and distances, antenna heights amsl: the same fields of P.452 and P.2001 results.
_HORIZON_ROWS = (
    ("theta_t_mrad", "θt  Tx horizon elevation", "mrad"),
    ("theta_r_mrad", "θr  Rx horizon elevation", "mrad"),
    ("dlt_km", "dlt  Tx horizon distance", "km"),
    ("dlr_km", "dlr  Rx horizon distance", "km"),
    ("hts_m", "hts  Tx antenna height amsl", "m"),
    ("hrs_m", "hrs  Rx antenna height amsl", "m"),
)
#: P.452 path geometry shown in the path view: (attribute, label, unit).
P452_GEOMETRY = (
    ("dtot_km", "d  path length", "km"),
    ("ae_km", "ae  median effective earth radius, Eq. (6a)", "km"),
    ("theta_mrad", "θ  path angular distance, Eq. (159)", "mrad"),
) + _HORIZON_ROWS + (
    ("hte_m", "hte  Tx effective height", "m"),
    ("hre_m", "hre  Rx effective height", "m"),
    ("hm_m", "hm  terrain roughness, Eq. (171)", "m"),
    ("b0", "β0  time % of anomalous propagation, Eq. (2)", "%"),
    ("omega", "ω  fraction of path over sea", ""),
)


#: P.1812-6 quantities shown: (attribute, label, unit).
P1812_ROWS = (
    ("lb", "Lb  basic transmission loss, §4.8-4.9", "dB"),
    ("ep", "Ep  field strength for 1 kW e.r.p., §4.9", "dB(µV/m)"),
    ("lbfs", "Lbfs  free space, §4.2", "dB"),
    ("lb0p", "Lb0p  LoS with multipath/focusing at p %, §4.2", "dB"),
    ("lb0b", "Lb0b  LoS at β0 %, §4.2", "dB"),
    ("lbulla", "Lbulla  Bullington, actual profile, §4.3", "dB"),
    ("lbulls", "Lbulls  Bullington, smooth profile, §4.3", "dB"),
    ("ldsph", "Ldsph  spherical-earth diffraction, §4.3", "dB"),
    ("ld50", "Ld50  median diffraction, §4.3", "dB"),
    ("ldp", "Ldp  diffraction not exceeded for p %, §4.3", "dB"),
    ("lbd", "Lbd  diffraction + LoS at p %, §4.3", "dB"),
    ("lba", "Lba  ducting / layer reflection, §4.5, Eqs. (46)-(56)", "dB"),
    ("lbam", "Lbam  modified diffraction/ducting, §4.6", "dB"),
    ("lbs", "Lbs  troposcatter, §4.4, Eqs. (44)-(45)", "dB"),
    ("lbc", "Lbc  combined, before location variability, §4.6", "dB"),
    ("lloc", "Lloc  location variability, §4.8", "dB"),
    ("d_km", "d  path length", "km"),
    ("ae", "ae  median effective earth radius", "km"),
    ("theta", "θ  path angular distance", "mrad"),
    ("theta_t", "θt  Tx horizon elevation", "mrad"),
    ("theta_r", "θr  Rx horizon elevation", "mrad"),
    ("dlt", "dlt  Tx horizon distance", "km"),
    ("dlr", "dlr  Rx horizon distance", "km"),
    ("hts", "hts  Tx antenna height amsl", "m"),
    ("hrs", "hrs  Rx antenna height amsl", "m"),
    ("hte", "hte  Tx effective height", "m"),
    ("hre", "hre  Rx effective height", "m"),
    ("hm", "hm  terrain roughness", "m"),
    ("b0", "β0  time % of anomalous propagation", "%"),
    ("omega", "ω  fraction of path over sea", ""),
    ("path_type", "path type (1 LoS, 2 trans-horizon)", ""),
)
#: ITM 1.2.2 point-to-point quantities shown: (attribute, label, unit).
ITM_ROWS = (
    ("a_db", "A  basic transmission loss, Eq. 5.1", "dB"),
    ("a_fs_db", "Afs  free-space loss", "dB"),
    ("a_ref_db", "Aref  reference attenuation (median, rel. free space)", "dB"),
    ("d_km", "d  path length", "km"),
    ("theta_hzn_tx", "θhzn,Tx  Tx horizon elevation", "rad"),
    ("theta_hzn_rx", "θhzn,Rx  Rx horizon elevation", "rad"),
    ("d_hzn_tx_m", "dhzn,Tx  Tx horizon distance", "m"),
    ("d_hzn_rx_m", "dhzn,Rx  Rx horizon distance", "m"),
    ("h_e_tx_m", "he,Tx  Tx effective height", "m"),
    ("h_e_rx_m", "he,Rx  Rx effective height", "m"),
    ("n_s", "Ns  surface refractivity", "N-units"),
    ("delta_h_m", "Δh  terrain irregularity", "m"),
    ("mode", "mode (1 LoS, 2 diffraction, 3 troposcatter)", ""),
)
#: model key -> (name, frequency range [MHz], time-percentage range [%])
PATH_MODELS = {
    "p452": ("Rec. ITU-R P.452-18", (100.0, 50000.0), (0.001, 50.0)),
    "p1812": ("Rec. ITU-R P.1812-6", (30.0, 6000.0), (1.0, 50.0)),
    "itm": ("NTIA ITM 1.2.2 point-to-point", (20.0, 20000.0), (0.001, 99.999)),
    "p2001": ("Rec. ITU-R P.2001-4 (typical climate)", (30.0, 50000.0), (0.001, 99.999)),
}
#: P.2001-4 quantities shown: (attribute, label, unit). Climate: TYPICAL_CLIMATE, not the ITU-R maps.
P2001_ROWS = (
    ("lb", "Lb  basic transmission loss, Eq. (5.2.1)", "dB"),
    ("lbfs", "Lbfs  free space, Eq. (3.11.1)", "dB"),
    ("ldba", "Ldba  Bullington, actual profile, Eq. (A.4.9)", "dB"),
    ("ldbs", "Ldbs  Bullington, smooth profile, Eq. (A.5.9)", "dB"),
    ("ldsph", "Ldsph  spherical-earth diffraction, Eq. (A.2.5)", "dB"),
    ("ld", "Ld  diffraction, Eq. (A.1.1)", "dB"),
    ("a1", "A1  clear-air + rain fade, surface path, Eq. (4.1.2)", "dB"),
    ("agsur", "Agsur  gases, surface path, Eq. (3.10.1)", "dB"),
    ("lbm1", "Lbm1  sub-model 1 (diffraction, fading), Eq. (4.1.4)", "dB"),
    ("lba", "Lba  anomalous propagation, Eq. (D.8.1)", "dB"),
    ("lbm2", "Lbm2  sub-model 2, Eq. (4.2.1)", "dB"),
    ("lbs", "Lbs  troposcatter, Eqs. (E.16)-(E.17)", "dB"),
    ("a2", "A2  fade, troposcatter path, Eq. (4.3.6)", "dB"),
    ("lbm3", "Lbm3  sub-model 3, Eq. (4.3.8)", "dB"),
    ("lbes1", "Lbes1  sporadic-E, 1 hop, Eq. (G.2.8)", "dB"),
    ("lbes2", "Lbes2  sporadic-E, 2 hops, Eq. (G.3.8)", "dB"),
    ("lbm4", "Lbm4  sub-model 4 (sporadic-E), Eq. (G.4.1)", "dB"),
    ("d_km", "d  path length", "km"),
    ("reff50_km", "ae  median effective earth radius, Eq. (3.5.1)", "km"),
) + _HORIZON_ROWS + (
    ("htep_m", "htep  Tx effective height (diffraction)", "m"),
    ("hrep_m", "hrep  Rx effective height (diffraction)", "m"),
    ("hm_m", "hm  path roughness", "m"),
    ("flag_los50", "line of sight at median refractivity (1 yes)", ""),
)


@dataclass
class PathAnalysis:
    """A point-to-point path: terrain, geometry for drawing and the P.452 result.

    Attributes
    ----------
    a, b : (lat, lon)
        Ends (a transmits). [deg]
    htg_m, hrg_m : float
        Antenna heights above ground. [m]
    f_mhz, p : float
        Frequency [MHz] and time percentage [%].
    pol : {"h", "v"}
        Polarisation.
    d_km, h_m : numpy.ndarray
        Profile (distance from a, terrain height amsl). [km], [m]
    lat, lon : numpy.ndarray
        Profile sample positions. [deg]
    ae_km : float
        Median effective earth radius used for the bulge (P.452's). [km]
    bulge_m, terrain_m : numpy.ndarray
        Earth bulge and terrain drawn on the curved earth (h + bulge). [m]
    los_m : numpy.ndarray
        Straight line of sight between the antennas (on the same curved-earth drawing). [m]
    fresnel_m : numpy.ndarray
        First Fresnel zone radius R1 along the path. [m]
    clearance_r1 : float
        Smallest (LoS - terrain) / R1 between the ends: < 0 obstructed, >= 0.6 usually clear.
    free_space_db : float
        Rec. ITU-R P.525-4 free-space basic loss over the path. [dB]
    model : str
        "p452", "p1812" or "itm" (:data:`PATH_MODELS`).
    result : P452Result, P1812Result, ITMResult or None
        The model's result (None with ``error`` set when the model does not apply).
    error : str or None
        Why the model was not computed (e.g. frequency out of its range).
    """

    a: tuple
    b: tuple
    htg_m: float
    hrg_m: float
    f_mhz: float
    p: float
    d_km: np.ndarray
    h_m: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    ae_km: float
    bulge_m: np.ndarray
    terrain_m: np.ndarray
    los_m: np.ndarray
    fresnel_m: np.ndarray
    clearance_r1: float
    free_space_db: float
    distance_km: float
    bearing_deg: float
    result: object = None
    error: str | None = None
    labels: tuple = field(default_factory=lambda: ("A", "B"))
    model: str = "p452"
    pol: str = "v"

    @property
    def lb_db(self) -> float:
        """Basic transmission loss of the model (NaN without a result). [dB]"""
        return float("nan") if self.result is None else float(self.result.lb)

    def components(self) -> list[tuple[str, str, float, str]]:
        """Rows (key, label, value, unit) of the model's loss components and geometry (empty without a result)."""
        if self.result is None:
            return []
        if self.model == "p452":
            table = tuple((k, lbl, "dB") for k, lbl in P452_COMPONENTS) + P452_GEOMETRY
        else:
            table = {"p2001": P2001_ROWS, "p1812": P1812_ROWS}.get(self.model, ITM_ROWS)
        return [(k, lbl, float(getattr(self.result, k)), u) for k, lbl, u in table]


def path_analysis(dem, a, b, *, htg_m: float = 10.0, hrg_m: float = 10.0, f_mhz: float = 1000.0,
                  p: float = 50.0, pol: str = "v", step_m: float | None = None, dn: float = 45.0,
                  n0: float = 325.0, labels=("A", "B"), model: str = "p452") -> PathAnalysis:
    """Terrain profile, drawing geometry and the loss components of the path a -> b.

    The profile comes from :func:`spectrum.terrain.profile`; the loss from
    :func:`spectrum.propagation.p452.basic_transmission_loss` (P.452-18, default),
    :func:`spectrum.propagation.p1812.basic_transmission_loss` (P.1812-6) or
    :func:`spectrum.propagation.itm.point_to_point` (ITM 1.2.2, ``p`` as the time quantile,
    location and situation 50 %), all inland, path-centre latitude from
    :func:`spectrum.propagation.p452.path_centre_latitude`. The earth bulge uses the model's
    effective radius: P.452/P.1812 median ae = 6371 k50, k50 = 157 / (157 - ΔN) (P.452-18
    Eqs. (5), (6a)); ITM 1 / gamma_e with gamma_e = 157e-9 (1 - 0.04665 exp(Ns / 179.3)) per metre
    (the ITM 1.2.2 effective earth curvature). R1 from Rec. ITU-R P.526-16 Eq. (2); free space from P.525-4.

    Parameters
    ----------
    dem : xarray.DataArray
        Terrain.
    a, b : (lat, lon)
        Transmitter and receiver positions. [deg]
    htg_m, hrg_m : float
        Antenna heights above ground. [m]
    f_mhz : float
        Frequency [MHz]; each model only within its range (:data:`PATH_MODELS`), else ``error``.
    p : float
        Time percentage, 0.001-50 % (P.1812: 1-50 %; ITM: the time quantile). [%]
    pol : {"h", "v"}
    step_m : float, optional
        Profile spacing; the DEM resolution by default. [m]
    dn, n0 : float
        ΔN [N-units/km] and N0 [N-units] (P.452-18 Figs. 11, 12; ITM takes n0 as its N_0).
    model : {"p452", "p1812", "itm"}

    Returns
    -------
    PathAnalysis

    Raises
    ------
    ValueError
        Ends outside the DEM or coincident, a void on the path, bad heights, frequency or p.
    """
    from spectrum import geo, terrain
    from spectrum.propagation import p452, p525

    if model not in PATH_MODELS:
        raise ValueError(f"model = {model!r} is not one of {', '.join(PATH_MODELS)}")
    for name, v in (("htg_m", htg_m), ("hrg_m", hrg_m)):
        if not (np.isfinite(v) and 0.0 <= v <= 3000.0):
            raise ValueError(f"{name} = {v} is out of range [0, 3000] m")
    if not (np.isfinite(f_mhz) and f_mhz > 0):
        raise ValueError(f"f_mhz = {f_mhz} must be a positive frequency in MHz")
    if not (np.isfinite(p) and 0.001 <= p <= 99.999):
        raise ValueError(f"p = {p} is out of range [0.001, 99.999] %")
    if pol not in ("h", "v"):
        raise ValueError(f"pol = {pol!r} must be 'h' or 'v'")
    a = (float(a[0]), float(a[1]))
    b = (float(b[0]), float(b[1]))
    d, h, la, lo = terrain.profile(dem, a, b, step_m=step_m, return_latlon=True)
    dtot = float(d[-1])
    name, (f_lo, f_hi), (p_lo, p_hi) = PATH_MODELS[model]
    result, error = None, None
    ae = 6371.0 * 157.0 / (157.0 - dn)
    if not f_lo <= f_mhz <= f_hi:
        error = f"{name} applies from {f_lo:g} to {f_hi:g} MHz (f = {f_mhz:g} MHz)"
    elif not p_lo <= p <= p_hi:
        error = f"{name} applies for p from {p_lo:g} to {p_hi:g} % (p = {p:g} %)"
    elif d.size < 4:
        error = f"profile too short for {name} ({d.size} points)"
    else:
        lat_c = float(p452.path_centre_latitude(a[0], a[1], b[0], b[1]))
        if model == "p452":
            result = p452.basic_transmission_loss(d, h, f_mhz / 1000.0, p, htg_m, hrg_m, pol=pol, lat=lat_c,
                                                  dn=dn, n0=n0)
            ae = float(result.ae_km)
        elif model == "p1812":
            from spectrum.propagation import p1812

            result = p1812.basic_transmission_loss(d, h, f_mhz / 1000.0, p, htg_m, hrg_m, pol=pol, lat=lat_c,
                                                   dn=dn, n0=n0)
            ae = float(result.ae)
        elif model == "p2001":
            from spectrum.propagation import p2001

            result = p2001.basic_transmission_loss_typical_climate(d, h, f_mhz / 1000.0, p, htg_m, hrg_m, a, b,
                                                                   pol=pol, nd1km50=-dn)
            ae = float(result.reff50_km)
        else:
            from spectrum.propagation import itm

            result = itm.point_to_point((d, h), htg_m, hrg_m, f_mhz, pol=pol, n_0=n0, time=p, location=50.0,
                                        situation=50.0)
            ae = 1.0 / (157e-9 * (1.0 - 0.04665 * math.exp(float(result.n_s) / 179.3))) / 1000.0
    bulge = earth_bulge_m(d, dtot, ae)
    terrain_c = h + bulge
    h_a = h[0] + htg_m
    h_b = h[-1] + hrg_m
    los = h_a + (h_b - h_a) * d / dtot
    r1 = fresnel_radius_m(d, dtot, f_mhz)
    inner = slice(1, -1) if d.size > 2 else slice(None)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (los[inner] - terrain_c[inner]) / r1[inner]
    clearance = float(np.nanmin(ratio)) if ratio.size and np.isfinite(ratio).any() else float("inf")
    fs = float(p525.free_space_loss_db(dtot, f_mhz))
    return PathAnalysis(a=a, b=b, htg_m=float(htg_m), hrg_m=float(hrg_m), f_mhz=float(f_mhz), p=float(p),
                        d_km=d, h_m=h, lat=la, lon=lo, ae_km=ae, bulge_m=bulge, terrain_m=terrain_c, los_m=los,
                        fresnel_m=r1, clearance_r1=clearance, free_space_db=fs, distance_km=dtot,
                        bearing_deg=float(geo.bearing_deg(a[0], a[1], b[0], b[1])), result=result, error=error,
                        labels=tuple(labels), model=model, pol=pol)


# ----------------------------------------------------------------------------------------
# Stations
# ----------------------------------------------------------------------------------------
#: service -> (symbol, RGB colour, legend label)
SERVICE_STYLE = OrderedDict([
    ("broadcasting", ("t1", (220, 40, 40), "Broadcasting (FM/TV)")),
    ("mobile", ("o", (30, 100, 220), "Mobile (base stations)")),
    ("fixed", ("s", (20, 150, 60), "Fixed (microwave links)")),
    ("land_mobile", ("d", (230, 140, 0), "Land mobile (PMR)")),
])
_OTHER_STYLE = ("x", (120, 60, 160), "Other services")


def service_style(service: str) -> tuple:
    """(symbol, RGB, label) of a service for the map and the spectrum view."""
    return SERVICE_STYLE.get(service, _OTHER_STYLE)


@dataclass
class Site:
    """Stations of one licence at one position (e.g. the sectors of a base station)."""

    lat: float
    lon: float
    service: str
    licence_number: str
    station_ids: list
    names: list
    status: str


def station_sites(rows) -> list[Site]:
    """Group register rows (``AssignmentRow``) into sites: one per (licence, lat, lon)."""
    sites: "OrderedDict[tuple, Site]" = OrderedDict()
    for r in rows:
        key = (r.licence_number, round(r.lat, 6), round(r.lon, 6))
        s = sites.get(key)
        if s is None:
            s = sites[key] = Site(r.lat, r.lon, r.service, r.licence_number, [], [], r.status)
        if r.station_id not in s.station_ids:
            s.station_ids.append(r.station_id)
            s.names.append(r.station_name)
    return list(sites.values())


def broadcast_system(row) -> str:
    """Broadcast system preset (:mod:`spectrum.broadcast.criteria`) of a register row: FM in
    87.5-108 MHz, T-DAB for channels of at most 2 MHz in Band III, DTMB when the emission or
    service says so, DVB-T otherwise."""
    f = float(row.f_mhz)
    text = f"{row.service} {getattr(row, 'emission', '') or ''}".lower()
    if 87.5 <= f <= 108.0:
        return "fm"
    if "dtmb" in text:
        return "dtmb"
    if 174.0 <= f <= 240.0 and float(getattr(row, "bw_khz", 8000.0) or 8000.0) <= 2000.0:
        return "dab"
    return "dvb-t"
# ----------------------------------------------------------------------------------------
# Fixed link (P.530-18) overlay for the path view
# ----------------------------------------------------------------------------------------
def link_overlay(pa: PathAnalysis, k_factor: float = 4.0 / 3.0, *, eirp_dbw: float = 30.0, gr_dbi: float = 38.0,
                 feeder_db: float = 0.5, bw_khz: float = 28000.0, nf_db: float = 6.0, modulation: str = "16QAM",
                 r001_mmh: float | None = None) -> dict:
    """Fresnel clearance at the chosen k and a P.530-18 link budget for a drawn path.

    The terrain is redrawn on the effective earth of radius 6371 k (``terrain_k_m``); the
    clearance of the most significant blockage is :func:`spectrum.propagation.p530.path_clearance`
    (F1 from P.530-18 Eq. (3), diffraction Eq. (2)); the budget is :func:`spectrum.links.link_budget`
    on the same profile with isotropic-free inputs (EIRP, receive gain, feeder, bandwidth, noise figure,
    modulation) and R0.01 from the map when available (else the Shanghai value).

    Returns
    -------
    dict
        ``k``, ``terrain_k_m`` (terrain + bulge at k), ``clearance`` (dict of ``path_clearance``),
        ``rows`` [(label, value, unit)] of the budget, ``budget`` (LinkBudget) or ``error``.
    """
    from spectrum.antennas import Antenna
    from spectrum.links import Link, Terminal, link_budget
    from spectrum.propagation import p530

    if not (np.isfinite(k_factor) and 0.1 <= k_factor <= 10.0):
        raise ValueError(f"k_factor = {k_factor} is out of range [0.1, 10]")
    d = pa.d_km
    terrain_k = pa.h_m + earth_bulge_m(d, pa.distance_km, 6371.0 * k_factor)
    out = {"k": float(k_factor), "terrain_k_m": terrain_k}
    try:
        out["clearance"] = p530.path_clearance(d, pa.h_m, pa.htg_m, pa.hrg_m, pa.f_mhz / 1000.0, k_factor)
        ant = Antenna("omni", float(gr_dbi))
        ta = Terminal(str(pa.labels[0]), pa.a[0], pa.a[1], pa.htg_m, ant, feeder_loss_db=feeder_db, polarisation=pa.pol)
        tb = Terminal(str(pa.labels[1]), pa.b[0], pa.b[1], pa.hrg_m, ant, feeder_loss_db=feeder_db, polarisation=pa.pol)
        lk = Link(ta, tb, pa.f_mhz, bw_khz, eirp_dbw, nf_db=nf_db, modulation=modulation, r001_mmh=r001_mmh)
        b = link_budget(lk, profile=(d, pa.h_m))
        out["budget"] = b
        out["rows"] = [("EIRP", b.eirp_dbw, "dBW"), ("free space Lbf (P.525)", b.lbf_db, "dB"),
                       ("gases (P.676)", b.gas_db, "dB"), ("diffraction at k=4/3 (P.530 Eq. 2)", b.diffraction_db, "dB"),
                       ("Rx gain - feeder", b.gr_dbi - b.feeder_loss_rx_db, "dB"), ("Prx", b.prx_dbw, "dBW"),
                       ("threshold (BER 1e-6)", b.threshold_dbw, "dBW"), ("fade margin", b.fade_margin_db, "dB"),
                       ("multipath, worst month", b.multipath_worst_month_percent, "%"),
                       ("rain outage, year", b.rain_percent, "%"), ("availability", b.availability_percent, "%")]
    except ValueError as exc:  # e.g. frequency below 1 GHz, path longer than 60 km
        out["error"] = str(exc)
        out.setdefault("rows", [])
    return out
