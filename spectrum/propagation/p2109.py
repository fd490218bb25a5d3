"""Building entry loss, Rec. ITU-R P.2109-2, Annex 1 §3.

:func:`building_entry_loss` gives the loss not exceeded with probability ``p`` for a
terminal inside a traditional or thermally-efficient building, 80 MHz to 100 GHz, as a
function of the elevation angle of the path at the facade. Broadcasts its array arguments.

References
----------
Rec. ITU-R P.2109-2, "Prediction of building entry loss" (the Table 1 coefficients are
unchanged since P.2109-0 (06/2017)).
"""
from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_range
from ..kernels import p2109 as _k
from ._common import elementwise as _elementwise, xarray_aware

__all__ = ["BUILDING_TYPES", "building_type_code", "building_entry_loss"]

#: Building types of P.2109 Table 1 (code -> name).
BUILDING_TYPES = {1: "traditional", 2: "thermally efficient"}
_ALIASES = {"traditional": 1, "thermally efficient": 2, "thermally-efficient": 2,
            "thermally_efficient": 2, "efficient": 2, "modern": 2}


def building_type_code(building_type) -> np.ndarray:
    """Building-type code(s): 1 traditional, 2 thermally efficient (names accepted)."""
    arr = np.asarray(building_type)
    if arr.dtype.kind in "USO":
        out = np.empty(arr.shape, dtype=np.float64)
        for idx, name in np.ndenumerate(arr):
            key = str(name).strip().lower()
            if key not in _ALIASES:
                raise ValueError(f"building_type = {name!r} is not 'traditional' or "
                                 f"'thermally efficient' (P.2109 Table 1)")
            out[idx] = _ALIASES[key]
        return out
    a = as_float_array("building_type", arr)
    bad = (a != 1) & (a != 2)
    if np.any(bad):
        raise ValueError(f"building_type = {a[bad].ravel()[0]:g} is not 1 (traditional) or "
                         f"2 (thermally efficient) (P.2109 Table 1)")
    return a


@xarray_aware("building_entry_loss", "dB", "ITU-R P.2109-2")
def building_entry_loss(f_ghz, p, building_type="traditional", theta_deg=0.0):
    """Building entry loss not exceeded for probability ``p``, Rec. ITU-R P.2109-2 §3, Eqs. (1)-(8).

    Parameters
    ----------
    f_ghz : array_like
        Frequency, 0.08 to 100. [GHz]
    p : array_like
        Probability with which the loss is not exceeded, 0 < p < 100. [%]
    building_type : int, str or array_like, optional
        1 / ``"traditional"`` (default) or 2 / ``"thermally efficient"``.
    theta_deg : array_like, optional
        Elevation angle of the path at the building facade, -90 to 90 (the loss uses
        ``|theta|``); 0 for a horizontal path (default). [deg]

    Returns
    -------
    float or ndarray
        L_BEL. [dB]

    References
    ----------
    Rec. ITU-R P.2109-2, "Prediction of building entry loss", Annex 1 §3.
    """
    f = check_range("f_ghz", f_ghz, 0.08, 100.0, "GHz", "P.2109-2")
    pp = check_range("p", p, 0.0, 100.0, "%", "P.2109-2", lo_open=True, hi_open=True)
    th = check_range("theta_deg", theta_deg, -90.0, 90.0, "deg", "P.2109-2")
    bt = building_type_code(building_type)
    return _elementwise(_k.building_entry_loss_array, f, pp, bt, th)
