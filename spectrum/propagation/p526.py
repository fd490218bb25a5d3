"""Delta-Bullington diffraction over a terrain profile, Rec. ITU-R P.526-16 §4.5.

The kernel lives in :mod:`spectrum.kernels.p526` (njit, reused by P.452 and P.1812);
this module is the checked public API for one profile.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import as_float_array, check_positive, check_range
from ..kernels import p526 as _k

__all__ = ["DeltaBullington", "delta_bullington_loss", "knife_edge_loss"]


@dataclass(frozen=True)
class DeltaBullington:
    """Result of :func:`delta_bullington_loss` (all in dB, heights in m)."""

    ld: float
    lbulla: float
    lbulls: float
    ldsph: float
    hstd: float
    hsrd: float


def _pol_code(pol) -> int:
    p = str(pol).strip().lower() if isinstance(pol, (str, np.str_)) else None
    if p in ("h", "horizontal"):
        return 0
    if p in ("v", "vertical"):
        return 1
    raise ValueError(f"pol = {pol!r} is not one of 'h', 'v'")


def delta_bullington_loss(d_km, h_m, f_ghz: float, htg_m: float, hrg_m: float, *, ae_km: float = 8500.0,
                          omega: float = 0.0, pol: str = "h") -> DeltaBullington:
    """Delta-Bullington diffraction loss, Rec. ITU-R P.526-16 §4.5 (P.452-18 Eq. (40)).

    Parameters
    ----------
    d_km : array_like
        Distances from the transmitter, ascending, starting at 0. [km]
    h_m : array_like
        Terrain (or terrain + clutter) heights amsl. [m]
    f_ghz : float
        Frequency. [GHz]
    htg_m, hrg_m : float
        Antenna heights above ground. [m]
    ae_km : float, optional
        Effective Earth radius. [km]
    omega : float, optional
        Fraction of the path over sea (0..1), for the spherical-Earth part.
    pol : {"h", "v"}
        Polarisation.

    Returns
    -------
    DeltaBullington
        ``ld`` (total), ``lbulla`` (actual profile), ``lbulls`` (smooth profile),
        ``ldsph`` (spherical Earth), and the smooth-surface heights ``hstd``, ``hsrd``.

    References
    ----------
    Rec. ITU-R P.526-16, Propagation by diffraction, §4.5.
    """
    d = np.ascontiguousarray(check_range("d_km", d_km, 0.0, 1e5, "km"), dtype=np.float64)
    h = np.ascontiguousarray(check_range("h_m", h_m, -500.0, 9000.0, "m"), dtype=np.float64)
    if d.ndim != 1 or h.shape != d.shape:
        raise ValueError(f"d_km and h_m must be 1-D of equal length (got {d.shape} and {h.shape})")
    if d.size < 3:
        raise ValueError(f"the profile needs at least 3 points (got {d.size})")
    if np.any(np.diff(d) <= 0):
        i = int(np.argmax(np.diff(d) <= 0))
        raise ValueError(f"d_km must be strictly increasing (d_km[{i + 1}] = {d[i + 1]:g} <= {d[i]:g})")
    f = float(check_range("f_ghz", f_ghz, 0.01, 100.0, "GHz"))
    htg = float(check_positive("htg_m", htg_m, "m"))
    hrg = float(check_positive("hrg_m", hrg_m, "m"))
    ae = float(check_positive("ae_km", ae_km, "km"))
    om = float(check_range("omega", omega, 0.0, 1.0))
    hts, hrs = h[0] + htg, h[-1] + hrg
    sm = np.empty(4)
    _k.smooth_earth_heights_diffraction(d, h, d.size, hts, hrs, sm)
    out = np.empty(4)
    _k.delta_bullington(d, h, d.size, hts, hrs, sm[2], sm[3], ae, f, om, _pol_code(pol), out)
    return DeltaBullington(float(out[0]), float(out[1]), float(out[2]), float(out[3]), float(sm[2]), float(sm[3]))


def knife_edge_loss(nu):
    """Single knife-edge diffraction loss J(nu), Rec. ITU-R P.526-16 §4.1, Eq. (31).

    Parameters
    ----------
    nu : float or array_like
        Dimensionless diffraction parameter nu, Eq. (26)-(29). [-]

    Returns
    -------
    numpy.ndarray
        J(nu), 0 for nu <= -0.78. [dB]

    Raises
    ------
    ValueError
        If ``nu`` is not numeric or holds NaN.

    References
    ----------
    Rec. ITU-R P.526-16, Propagation by diffraction, §4.1.
    """
    nu = as_float_array("nu", nu)
    return np.vectorize(_k.knife_edge_loss, otypes=[np.float64])(nu)
