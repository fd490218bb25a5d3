"""Line of sight, Earth bulge and Fresnel clearance of a terrain profile."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import geo
from .._validate import check_finite, check_positive


@dataclass(frozen=True)
class LineOfSight:
    """Terrain clearance of the straight ray between two antennas over an effective Earth.

    Attributes
    ----------
    d_km : ndarray
        Distances of the profile samples. [km]
    terrain_m : ndarray
        Terrain plus Earth bulge d1·d2/(2·k·a), relative to the chord between the ends. [m]
    ray_m : ndarray
        Height of the straight ray between the antennas. [m]
    clearance_m : ndarray
        ``ray_m - terrain_m`` (negative where the ray is obstructed). [m]
    fresnel_m : ndarray or None
        First Fresnel-zone radius (with ``f_mhz``). [m]
    min_clearance_m, d_min_km : float
        Smallest clearance over the interior samples and where. [m], [km]
    min_clearance_f1 : float or None
        Smallest clearance in units of the first Fresnel radius (with ``f_mhz``).
    k_factor : float
        Effective Earth-radius factor used.
    """

    d_km: np.ndarray
    terrain_m: np.ndarray
    ray_m: np.ndarray
    clearance_m: np.ndarray
    fresnel_m: np.ndarray | None
    min_clearance_m: float
    d_min_km: float
    min_clearance_f1: float | None
    k_factor: float

    @property
    def line_of_sight(self) -> bool:
        """True if the ray clears the terrain everywhere (clearance >= 0)."""
        return self.min_clearance_m >= 0.0


def line_of_sight(d_km, h_m, htg_m: float, hrg_m: float, f_mhz: float | None = None,
                  k_factor: float = 4.0 / 3.0) -> LineOfSight:
    """Ray clearance over a profile with Earth bulge and first Fresnel zone (P.530-18 §2.2.2, P.526-16 §2 Eq. (2)).

    Earth bulge b = d1·d2 / (2·k·a) [m, d in km] with a = 6371 km (the usual 12.74·k with
    a = 6370 km), added to the terrain for the path-clearance planning of Rec. ITU-R P.530-18
    §2.2.2; first Fresnel radius F1 = sqrt(λ·d1·d2/(d1+d2)), P.526-16 §2 Eq. (2) (the exact
    form of the practical-unit Eq. (3), 550·sqrt(d1·d2/((d1+d2)·f_MHz)); = 17.31·sqrt(d1·d2/(f·d))
    with d in km and f in GHz). The ray is the straight line between the antennas at
    ``h[0] + htg_m`` and ``h[-1] + hrg_m``.

    Parameters
    ----------
    d_km, h_m : array_like
        Terrain profile (as from :func:`profile`). [km], [m]
    htg_m, hrg_m : float
        Antenna heights above ground at the first and last sample. [m]
    f_mhz : float, optional
        Frequency, for the Fresnel zone. [MHz]
    k_factor : float
        Effective Earth-radius factor (4/3 median; P.530 uses k_e = 2/3 or lower for
        obstruction planning at small time percentages).

    Returns
    -------
    LineOfSight

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021), §2.2.2 (Earth bulge, Fresnel zone, path clearance).
    Rec. ITU-R P.526-16 (2022), §2 (Fresnel ellipsoids).
    """
    d = check_finite("d_km", d_km, "km")
    h = check_finite("h_m", h_m, "m")
    if d.ndim != 1 or d.shape != h.shape or d.size < 2:
        raise ValueError(f"d_km and h_m must be 1-D of the same length >= 2, got {d.shape} and {h.shape}")
    if np.any(np.diff(d) < 0) or d[-1] <= d[0]:
        raise ValueError("d_km must increase from the first to the last sample")
    check_positive("htg_m", check_finite("htg_m", htg_m, "m"), "m", allow_zero=True)
    check_positive("hrg_m", check_finite("hrg_m", hrg_m, "m"), "m", allow_zero=True)
    k = float(check_positive("k_factor", check_finite("k_factor", k_factor)))
    d1 = d - d[0]
    total = d[-1] - d[0]
    d2 = total - d1
    bulge = d1 * d2 / (2.0 * k * geo.EARTH_RADIUS_KM) * 1000.0
    terrain_eff = h + bulge
    ray = (h[0] + htg_m) + (h[-1] + hrg_m - h[0] - htg_m) * d1 / total
    clearance = ray - terrain_eff
    inner = slice(1, d.size - 1) if d.size > 2 else slice(0, d.size)
    kmin = int(np.argmin(clearance[inner])) + inner.start
    fresnel = None
    cf1 = None
    if f_mhz is not None:
        f_ghz = float(check_positive("f_mhz", f_mhz, "MHz")) / 1000.0
        lam_m = 0.299792458 / f_ghz
        fresnel = np.sqrt(lam_m * d1 * d2 * 1000.0 / total)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(fresnel > 0, clearance / fresnel, np.inf)
        cf1 = float(np.min(ratio[inner]))
    return LineOfSight(d, terrain_eff, ray, clearance, fresnel, float(clearance[kmin]), float(d[kmin]), cf1, k)

