"""Clutter loss, Rec. ITU-R P.2108-1 (09/2021), all three methods of Annex 1 §3.

* :func:`clutter_loss_terminal` — §3.1 height-gain terminal correction (median loss at
  one terminal surrounded by clutter, 30 MHz to 3 GHz), used with terrain models such as
  P.452 or P.1812 whose terminal is in clutter.
* :func:`clutter_loss_terrestrial` — §3.2 statistical clutter loss for terrestrial paths
  (0.5 to 67 GHz), as a function of location percentage.
* :func:`clutter_loss_earth_space` — §3.3 statistical clutter loss for Earth–space and
  aeronautical paths (10 to 100 GHz), as a function of elevation angle.

All functions broadcast their array arguments (numpy rules) and return a float for scalar
input, an ndarray otherwise; with ``xarray.DataArray`` arguments they broadcast by dimension
name and return a DataArray (name ``clutter_loss``, ``attrs["units"] = "dB"``).

References
----------
Rec. ITU-R P.2108-1 (09/2021), "Prediction of clutter loss".
Rec. ITU-R P.1057-7 (08/2022), "Probability distributions relevant to radiowave propagation modelling".
"""
from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_range
from ..kernels import p2108 as _k
from ._common import elementwise as _elementwise, xarray_aware

__all__ = [
    "CLUTTER_TYPES",
    "DEFAULT_CLUTTER_HEIGHT_M",
    "DEFAULT_STREET_WIDTH_M",
    "clutter_type_code",
    "clutter_loss_terminal",
    "clutter_loss_terrestrial",
    "clutter_loss_earth_space",
    "clutter_loss_aeronautical",
]

#: Clutter types of P.2108-1 Table 2 (code -> name). Codes as in NTIA's reference implementation.
CLUTTER_TYPES = {
    1: "water/sea",
    2: "open/rural",
    3: "suburban",
    4: "urban",
    5: "trees/forest",
    6: "dense urban",
}
_ALIASES = {
    "water": 1, "sea": 1, "water/sea": 1,
    "open": 2, "rural": 2, "open/rural": 2,
    "suburban": 3,
    "urban": 4,
    "trees": 5, "forest": 5, "trees/forest": 5,
    "dense-urban": 6, "dense urban": 6, "dense_urban": 6,
}
#: Default representative clutter height R [m] per clutter type, P.2108-1 Table 2.
DEFAULT_CLUTTER_HEIGHT_M = {1: 10.0, 2: 10.0, 3: 10.0, 4: 15.0, 5: 15.0, 6: 20.0}
#: Default street width w_s [m], P.2108-1 §3.1.
DEFAULT_STREET_WIDTH_M = 27.0
#: Clutter types using the knife-edge form Eq. (2a); the others use Eq. (2b).
_KNIFE_EDGE = {3, 4, 5, 6}


def clutter_type_code(clutter_type) -> np.ndarray:
    """Clutter-type code(s) 1-6 of P.2108-1 Table 2 from codes or names.

    Names: ``"water/sea"`` (``"water"``, ``"sea"``), ``"open/rural"`` (``"open"``, ``"rural"``),
    ``"suburban"``, ``"urban"``, ``"trees/forest"`` (``"trees"``, ``"forest"``), ``"dense urban"``.
    """
    arr = np.asarray(clutter_type)
    if arr.dtype.kind in "USO":
        out = np.empty(arr.shape, dtype=np.int64)
        for idx, name in np.ndenumerate(arr):
            key = str(name).strip().lower()
            if key not in _ALIASES:
                raise ValueError(f"clutter_type = {name!r} is not one of {sorted(set(_ALIASES))} "
                                 f"or a code 1-6 (P.2108-1 Table 2)")
            out[idx] = _ALIASES[key]
        return out
    a = as_float_array("clutter_type", arr)
    bad = (a != np.round(a)) | (a < 1) | (a > 6)
    if np.any(bad):
        raise ValueError(f"clutter_type = {a[bad].ravel()[0]:g} is not a clutter-type code 1-6 "
                         f"(P.2108-1 Table 2: {CLUTTER_TYPES})")
    return a.astype(np.int64)


@xarray_aware("clutter_loss", "dB", "ITU-R P.2108-1 §3.1")
def clutter_loss_terminal(f_ghz, h_m, clutter_type, r_m=None, ws_m=DEFAULT_STREET_WIDTH_M):
    """Height-gain terminal correction A_h, Rec. ITU-R P.2108-1 §3.1, Eqs. (2a)-(2g).

    Median additional loss at a terminal of height ``h_m`` surrounded by clutter of
    representative height ``r_m``. Zero when the antenna is at or above the clutter
    (``h_m >= r_m``).

    Parameters
    ----------
    f_ghz : array_like
        Frequency, 0.03 to 3. [GHz]
    h_m : array_like
        Antenna height above ground, > 0. [m]
    clutter_type : int, str or array_like
        1 water/sea, 2 open/rural (Eq. 2b); 3 suburban, 4 urban, 5 trees/forest,
        6 dense urban (Eq. 2a). Names accepted (see :func:`clutter_type_code`).
    r_m : array_like, optional
        Representative clutter height, > 0; default per Table 2 (10, 10, 10, 15, 15, 20 m). [m]
    ws_m : array_like, optional
        Street width, > 0 (default 27). [m]

    Returns
    -------
    float or ndarray
        A_h. [dB]

    References
    ----------
    Rec. ITU-R P.2108-1 (09/2021) Annex 1 §3.1.
    """
    f = check_range("f_ghz", f_ghz, 0.03, 3.0, "GHz", "P.2108-1 §3.1")
    h = check_range("h_m", h_m, 0.0, np.inf, "m", "P.2108-1 §3.1", lo_open=True, hi_open=True)
    ws = check_range("ws_m", ws_m, 0.0, np.inf, "m", "P.2108-1 §3.1", lo_open=True, hi_open=True)
    ct = clutter_type_code(clutter_type)
    if r_m is None:
        r = np.vectorize(DEFAULT_CLUTTER_HEIGHT_M.get, otypes=[np.float64])(ct)
    else:
        r = check_range("r_m", r_m, 0.0, np.inf, "m", "P.2108-1 §3.1", lo_open=True, hi_open=True)
    ke = np.isin(ct, list(_KNIFE_EDGE)).astype(np.float64)
    return _elementwise(_k.terminal_correction_array, f, h, ws, r, ke)


@xarray_aware("clutter_loss", "dB", "ITU-R P.2108-1 §3.2")
def clutter_loss_terrestrial(f_ghz, d_km, pl=50.0):
    """Statistical clutter loss for terrestrial paths, Rec. ITU-R P.2108-1 §3.2, Eqs. (3)-(6).

    Loss due to clutter at one end of a terrestrial path, not exceeded for ``pl`` % of
    locations, for terminals well below the clutter in urban or suburban environments.
    The loss is capped at its value for 2 km, Eq. (6). For paths longer than 1 km it may
    be applied at both ends.

    Parameters
    ----------
    f_ghz : array_like
        Frequency, 0.5 to 67. [GHz]
    d_km : array_like
        Path length, >= 0.25. [km]
    pl : array_like, optional
        Percentage of locations, 0 < pl < 100 (default 50). [%]

    Returns
    -------
    float or ndarray
        L_ctt. [dB]

    References
    ----------
    Rec. ITU-R P.2108-1 (09/2021) Annex 1 §3.2.
    """
    f = check_range("f_ghz", f_ghz, 0.5, 67.0, "GHz", "P.2108-1 §3.2")
    d = check_range("d_km", d_km, 0.25, np.inf, "km", "P.2108-1 §3.2", hi_open=True)
    p = check_range("pl", pl, 0.0, 100.0, "%", "P.2108-1 §3.2", lo_open=True, hi_open=True)
    return _elementwise(_k.terrestrial_loss_array, f, d, p)


@xarray_aware("clutter_loss", "dB", "ITU-R P.2108-1 §3.3")
def clutter_loss_earth_space(f_ghz, theta_deg, pl=50.0):
    """Statistical clutter loss for Earth-space and aeronautical paths, Rec. ITU-R P.2108-1 §3.3, Eqs. (7)-(8).

    Loss not exceeded for ``pl`` % of locations, for a terminal in man-made clutter and the
    other end a satellite, aircraft or other platform above the Earth.

    Parameters
    ----------
    f_ghz : array_like
        Frequency, 10 to 100. [GHz]
    theta_deg : array_like
        Elevation angle, 0 to 90. [deg]
    pl : array_like, optional
        Percentage of locations, 0 < pl < 100 (default 50). [%]

    Returns
    -------
    float or ndarray
        L_ces. [dB]

    References
    ----------
    Rec. ITU-R P.2108-1 (09/2021) Annex 1 §3.3.
    """
    f = check_range("f_ghz", f_ghz, 10.0, 100.0, "GHz", "P.2108-1 §3.3")
    th = check_range("theta_deg", theta_deg, 0.0, 90.0, "deg", "P.2108-1 §3.3")
    p = check_range("pl", pl, 0.0, 100.0, "%", "P.2108-1 §3.3", lo_open=True, hi_open=True)
    return _elementwise(_k.earth_space_loss_array, f, th, p)


#: Alias: the §3.3 model covers aeronautical as well as Earth-space paths.
clutter_loss_aeronautical = clutter_loss_earth_space
