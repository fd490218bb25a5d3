"""Specific attenuation of rain, Rec. ITU-R P.838-3 (03/2005).

gamma_R = k R^alpha [dB/km], with k and alpha from the curve-fitting equations (2)-(3) and
the coefficients of Tables 1-4 (horizontal and vertical polarisation), combined for any path
elevation and polarisation tilt by Eqs. (4)-(5). Valid 1-1000 GHz.

All functions broadcast their array arguments (numpy rules) and return a float for scalar
input, an ndarray otherwise; ``polarisation`` may be a tilt in degrees (0 horizontal,
90 vertical, 45 circular) or one of ``"h"``, ``"v"``, ``"c"`` (also ``"horizontal"``,
``"vertical"``, ``"circular"``).

References
----------
Rec. ITU-R P.838-3 (03/2005), "Specific attenuation model for rain for use in prediction methods".
"""
from __future__ import annotations

import numpy as np

from .._validate import check_positive, check_range
from ..kernels import p838 as _k
from ._common import elementwise as _elementwise, xarray_aware

__all__ = ["POLARISATIONS", "tau_deg_from_polarisation", "rain_coefficients",
           "specific_attenuation_db_km"]

#: Polarisation names and their tilt angle tau relative to the horizontal. [deg]
POLARISATIONS = {"h": 0.0, "horizontal": 0.0, "v": 90.0, "vertical": 90.0, "c": 45.0,
                 "circular": 45.0, "rhc": 45.0, "lhc": 45.0}
_MODEL = "P.838-3"


#: largest plausible 1-minute rain rate [mm/h] (P.837-7's R0.001 maps stay well under it)
R_MAX_MMH = 1000.0


def tau_deg_from_polarisation(polarisation) -> np.ndarray:
    """Polarisation tilt angle tau relative to the horizontal from a name or a number. [deg]

    Parameters
    ----------
    polarisation : str, float or array_like
        ``"h"``/``"v"``/``"c"`` (or full names), or a tilt angle in [-90, 180] degrees.

    Returns
    -------
    numpy.ndarray or float
        tau (0 horizontal, 90 vertical, 45 circular). [deg]

    Raises
    ------
    ValueError
        For an unknown name or an angle outside [-90, 180] degrees.
    """
    arr = np.asarray(polarisation)
    if arr.dtype.kind == "b":  # True was a tilt of 1 degree
        raise ValueError(f"polarisation = {polarisation!r} is not one of h, v, c (or a tilt angle in degrees)")
    if arr.dtype.kind in "USO":
        out = np.empty(arr.shape)
        for idx, v in np.ndenumerate(arr):
            key = str(v).strip().lower()
            if key not in POLARISATIONS:
                raise ValueError(f"polarisation = {v!r} is not one of h, v, c (or a tilt angle in degrees)")
            out[idx] = POLARISATIONS[key]
        return out[()] if out.ndim == 0 else out
    out = check_range("polarisation", arr, -90.0, 180.0, "deg", _MODEL)
    return out[()] if out.ndim == 0 else out


def _inputs(f_ghz, el_deg, polarisation):
    f = check_range("f_ghz", f_ghz, 1.0, 1000.0, "GHz", _MODEL)
    el = check_range("el_deg", el_deg, -90.0, 90.0, "deg", _MODEL)
    tau = np.asarray(tau_deg_from_polarisation(polarisation), dtype=np.float64)
    return f, el, tau


def rain_coefficients(f_ghz, el_deg=0.0, polarisation="h"):
    """Coefficients (k, alpha) of gamma_R = k R^alpha, Rec. ITU-R P.838-3 Eqs. (2)-(5), Tables 1-4.

    Parameters
    ----------
    f_ghz : array_like
        Frequency, 1-1000. [GHz]
    el_deg : array_like, optional
        Path elevation angle theta (0 for a horizontal terrestrial path). [deg]
    polarisation : str or array_like, optional
        Polarisation name or tilt angle tau (see :func:`tau_deg_from_polarisation`).

    Returns
    -------
    k, alpha : float or numpy.ndarray
        Coefficient k and exponent alpha. [-]

    References
    ----------
    Rec. ITU-R P.838-3 (03/2005), Eqs. (2)-(5).
    """
    f, el, tau = _inputs(f_ghz, el_deg, polarisation)
    f, el, tau = np.broadcast_arrays(f, el, tau)
    k = np.empty(f.shape)
    a = np.empty(f.shape)
    kf, af = k.reshape(-1), a.reshape(-1)
    _k.k_alpha_array(*(np.array(x, dtype=np.float64).ravel() for x in (f, el, tau)), kf, af)
    if k.ndim == 0:
        return float(k), float(a)
    return k, a


@xarray_aware("gamma_r", "dB/km", "ITU-R P.838-3")
def specific_attenuation_db_km(f_ghz, r_mmh, el_deg=0.0, polarisation="h"):
    """Specific attenuation of rain gamma_R = k R^alpha, Rec. ITU-R P.838-3 Eq. (1). [dB/km]

    Parameters
    ----------
    f_ghz : array_like
        Frequency, 1-1000. [GHz]
    r_mmh : array_like
        Rain rate, >= 0. [mm/h]
    el_deg : array_like, optional
        Path elevation angle. [deg]
    polarisation : str or array_like, optional
        Polarisation name or tilt angle tau. [deg]

    Returns
    -------
    float or numpy.ndarray
        gamma_R. [dB/km]

    References
    ----------
    Rec. ITU-R P.838-3 (03/2005), Eq. (1).
    """
    f, el, tau = _inputs(f_ghz, el_deg, polarisation)
    r = check_positive("r_mmh", r_mmh, "mm/h", allow_zero=True)
    if not np.all(np.isfinite(r)):
        raise ValueError("r_mmh must be finite [mm/h]")
    check_range("r_mmh", r, 0.0, R_MAX_MMH, "mm/h", _MODEL)  # 1e6 mm/h gave 200 000 dB/km
    return _elementwise(_k.gamma_r_array, f, r, el, tau)
