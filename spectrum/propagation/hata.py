"""Okumura-Hata and COST-231 Hata median path loss for land-mobile services.

Empirical fits to Okumura's 1968 Tokyo measurements (Hata 1980) and their extension to
1.5-2 GHz by COST Action 231 (1999). Smooth-earth, quasi-flat terrain; no terrain profile.
Validity ranges are enforced: f 150-1500 MHz (Hata) or 1500-2000 MHz (COST-231),
d 1-20 km, base-station height 30-200 m, mobile height 1-10 m. ``xarray.DataArray``
arguments give a DataArray (broadcast by dimension name, ``attrs["units"] = "dB"``).

References
----------
M. Hata, "Empirical formula for propagation loss in land mobile radio services",
IEEE Trans. Veh. Technol., vol. VT-29, no. 3, pp. 317-325, Aug. 1980.
COST Action 231, "Digital mobile radio towards future generation systems", final report,
EUR 18957, 1999, §4.4.1 (COST-231 Hata model).
Rec. ITU-R P.529-3 (10/1999) Annex 1 (the Hata formulas).
"""
from __future__ import annotations

import numpy as np

from .._validate import check_range
from ..kernels import hata as _k
from ._common import elementwise, lookup_code, xarray_aware

__all__ = ["ENVIRONMENTS", "CITY_SIZES", "MODELS", "basic_transmission_loss", "mobile_height_correction"]

ENVIRONMENTS = {"urban": 0, "suburban": 1, "open": 2, "rural": 2}
CITY_SIZES = {"small": 0, "medium": 0, "small/medium": 0, "large": 1, "metropolitan": 1}
MODELS = ("auto", "hata", "cost231")


def mobile_height_correction(f_mhz, hm_m, city="small"):
    """Mobile antenna height correction a(hm), Hata (1980) / Rec. ITU-R P.529-3 Annex 1.

    Small/medium city: a(hm) = (1.1 log f - 0.7) hm - (1.56 log f - 0.8).
    Large city: 8.29 (log 1.54 hm)^2 - 1.1 for f < 300 MHz, 3.2 (log 11.75 hm)^2 - 4.97
    otherwise (Hata gives f <= 200 and f >= 400 MHz; the split at 300 MHz is the usual convention).

    Parameters
    ----------
    f_mhz : array_like
        Frequency, 150 to 2000. [MHz]
    hm_m : array_like
        Mobile antenna height, 1 to 10. [m]
    city : {"small", "medium", "large"}

    Returns
    -------
    float or ndarray
        a(hm). [dB]
    """
    f = check_range("f_mhz", f_mhz, 150.0, 2000.0, "MHz", "Hata/COST-231")
    hm = check_range("hm_m", hm_m, 1.0, 10.0, "m", "Hata/COST-231")
    large = lookup_code("city", city, CITY_SIZES)
    return elementwise(_k.mobile_height_correction_array, f, hm, float(large))


@xarray_aware("basic_transmission_loss", "dB", "Okumura-Hata / COST-231 Hata")
def basic_transmission_loss(f_mhz, d_km, hb_m, hm_m, *, environment="urban", city="small", model="auto"):
    """Median basic path loss of the Okumura-Hata / COST-231 Hata models.

    Okumura-Hata (150-1500 MHz), urban:
    ``L = 69.55 + 26.16 log f - 13.82 log hb - a(hm) + (44.9 - 6.55 log hb) log d``.
    COST-231 Hata (1500-2000 MHz), urban:
    ``L = 46.3 + 33.9 log f - 13.82 log hb - a(hm) + (44.9 - 6.55 log hb) log d + Cm``,
    Cm = 0 dB for small/medium cities and 3 dB for large (metropolitan) centres.
    Suburban: ``L - 2 (log(f/28))^2 - 5.4``; open: ``L - 4.78 (log f)^2 + 18.33 log f - 40.94``
    (Hata 1980 Eqs. 2-3; for COST-231, which defines only the urban case, the same
    corrections are applied to its urban value — a common extension, stated here).

    Parameters
    ----------
    f_mhz : array_like
        Frequency: 150-1500 MHz for Hata, 1500-2000 MHz for COST-231. [MHz]
    d_km : array_like
        Distance, 1 to 20. [km]
    hb_m : array_like
        Base-station effective antenna height, 30 to 200. [m]
    hm_m : array_like
        Mobile antenna height, 1 to 10. [m]
    environment : {"urban", "suburban", "open"}
    city : {"small", "medium", "large"}
        Selects a(hm) (and Cm for COST-231); applies in every environment, since the
        suburban and open formulas are corrections to the urban value.
    model : {"auto", "hata", "cost231"}
        "auto" uses Hata at or below 1500 MHz and COST-231 above.

    Returns
    -------
    float or ndarray
        Median basic transmission loss. [dB]

    References
    ----------
    Hata (1980), IEEE Trans. VT-29(3); COST 231 final report (1999) §4.4.1;
    Rec. ITU-R P.529-3 Annex 1.
    """
    env = lookup_code("environment", environment, ENVIRONMENTS)
    large = lookup_code("city", city, CITY_SIZES)
    m = str(model).strip().lower()
    if m not in MODELS:
        raise ValueError(f"model = {model!r} is not one of {MODELS}")
    if m == "hata":
        f = check_range("f_mhz", f_mhz, 150.0, 1500.0, "MHz", "Okumura-Hata")
    elif m == "cost231":
        f = check_range("f_mhz", f_mhz, 1500.0, 2000.0, "MHz", "COST-231 Hata")
    else:
        f = check_range("f_mhz", f_mhz, 150.0, 2000.0, "MHz", "Okumura-Hata 150-1500 / COST-231 Hata 1500-2000")
    d = check_range("d_km", d_km, 1.0, 20.0, "km", "Hata/COST-231")
    hb = check_range("hb_m", hb_m, 30.0, 200.0, "m", "Hata/COST-231")
    hm = check_range("hm_m", hm_m, 1.0, 10.0, "m", "Hata/COST-231")
    mcode = {"hata": 0.0, "cost231": 1.0}.get(m, (f > 1500.0).astype(np.float64))
    return elementwise(_k.median_loss_array, f, d, hb, hm, float(env), float(large), mcode)
