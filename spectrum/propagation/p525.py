"""Free-space attenuation, Rec. ITU-R P.525-4."""
from __future__ import annotations

import math

import numpy as np

from .._validate import check_finite, check_positive

__all__ = ["free_space_loss_db", "C_M_S"]

#: speed of light in vacuum [m/s]
C_M_S = 299_792_458.0


def free_space_loss_db(d_km, f_mhz, c_m_s: float = C_M_S):
    """Basic free-space transmission loss, Rec. ITU-R P.525-4 §2.2 Eq. (7). [dB]

    ``Lbf = 20 log10(4 pi d / lambda)``, i.e. ``32.45 + 20 log10(f_MHz) + 20 log10(d_km)``
    (the Recommendation rounds the constant to 32.4). P.452-17/-18 and P.1812-6 use
    c = 2.998e8 m/s and the rounded constant 92.4 for f in GHz; pass ``c_m_s=2.998e8``
    to get their exact constant 92.449.

    Parameters
    ----------
    d_km : array_like
        Path length (finite, > 0). [km]
    f_mhz : array_like
        Frequency (finite, > 0). [MHz]
    c_m_s : float, optional
        Speed of light. [m/s]

    Returns
    -------
    ndarray or float
        Free-space basic transmission loss. [dB]

    References
    ----------
    Rec. ITU-R P.525-4 (08/2019), Calculation of free-space attenuation.
    """
    d = check_positive("d_km", check_finite("d_km", d_km, "km"), "km")
    f = check_positive("f_mhz", check_finite("f_mhz", f_mhz, "MHz"), "MHz")
    if not (math.isfinite(c_m_s) and c_m_s > 0):
        raise ValueError(f"c_m_s = {c_m_s!r} must be a finite speed > 0 m/s")
    k = 20.0 * math.log10(4.0 * math.pi * 1e3 * 1e6 / c_m_s)
    out = k + 20.0 * np.log10(f) + 20.0 * np.log10(d)
    return out[()] if isinstance(out, np.ndarray) else out
