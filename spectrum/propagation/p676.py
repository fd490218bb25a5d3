"""Attenuation by atmospheric gases, Rec. ITU-R P.676-13 Annex 1 (terrestrial paths).

Line-by-line specific attenuation of dry air (gamma_o) and water vapour (gamma_w) from
the spectroscopic tables of Annex 1 (kernel :mod:`spectrum.kernels.p676`), and the
horizontal-path attenuation P.452 uses (P.452-18 §4.1 Eqs. (9), (9a)).
"""
from __future__ import annotations

import numpy as np

from .._validate import check_finite, check_positive, check_range
from ..kernels import p676 as _k

__all__ = ["specific_attenuation", "gamma_oxygen", "gamma_water", "gaseous_attenuation_terrestrial",
           "water_vapour_density_p452"]

_v_o = np.vectorize(_k.gamma_oxygen, otypes=[np.float64])
_v_w = np.vectorize(_k.gamma_water, otypes=[np.float64])


def _check(f_ghz, p_hpa, rho_g_m3, t_k):
    f = check_range("f_ghz", f_ghz, 1e-3, 1000.0, "GHz", "P.676-13 Annex 1")
    p = check_positive("p_hpa", p_hpa, "hPa")
    rho = check_positive("rho_g_m3", rho_g_m3, "g/m^3", allow_zero=True)
    t = check_range("t_k", t_k, 150.0, 350.0, "K")
    return f, p, rho, t


def gamma_oxygen(f_ghz, p_hpa=1013.25, rho_g_m3=7.5, t_k=288.15):
    """Specific attenuation due to dry air, Rec. ITU-R P.676-13 Annex 1 Eq. (1). [dB/km]

    Parameters
    ----------
    f_ghz : array_like
        Frequency, 0.001-1000 GHz. [GHz]
    p_hpa : array_like
        Dry-air pressure. [hPa]
    rho_g_m3 : array_like
        Water-vapour density (enters through the partial pressure e). [g/m^3]
    t_k : array_like
        Temperature. [K]

    References
    ----------
    Rec. ITU-R P.676-13 (08/2022), Attenuation by atmospheric gases and related effects, Annex 1.
    """
    return _v_o(*_check(f_ghz, p_hpa, rho_g_m3, t_k))[()]


def gamma_water(f_ghz, p_hpa=1013.25, rho_g_m3=7.5, t_k=288.15):
    """Specific attenuation due to water vapour, Rec. ITU-R P.676-13 Annex 1 Eq. (1). [dB/km]

    Parameters as :func:`gamma_oxygen`.
    """
    return _v_w(*_check(f_ghz, p_hpa, rho_g_m3, t_k))[()]


def specific_attenuation(f_ghz, p_hpa=1013.25, rho_g_m3=7.5, t_k=288.15):
    """(gamma_o, gamma_w), Rec. ITU-R P.676-13 Annex 1 Eqs. (1)-(9). [dB/km]

    The total specific attenuation is ``gamma_o + gamma_w``.

    Parameters
    ----------
    f_ghz : array_like
        Frequency, 0.001-1000 GHz. [GHz]
    p_hpa : array_like, optional
        Dry-air pressure. [hPa]
    rho_g_m3 : array_like, optional
        Water-vapour density. [g/m^3]
    t_k : array_like, optional
        Temperature. [K]

    Returns
    -------
    gamma_o, gamma_w : numpy.ndarray or float
        Specific attenuation due to oxygen and to water vapour. [dB/km]

    References
    ----------
    Rec. ITU-R P.676-13 (08/2022), Annex 1 §1.
    """
    a = _check(f_ghz, p_hpa, rho_g_m3, t_k)
    return _v_o(*a)[()], _v_w(*a)[()]


def water_vapour_density_p452(omega):
    """Water-vapour density used by P.452 for Lbfsg and Lba, Rec. ITU-R P.452-18 Eq. (9a). [g/m^3]

    ``rho = 7.5 + 2.5 omega``, omega the fraction of the path over water.

    Parameters
    ----------
    omega : array_like
        Fraction of the path over water, in [0, 1]. [-]

    Returns
    -------
    numpy.ndarray or float
        Water-vapour density. [g/m^3]

    References
    ----------
    Rec. ITU-R P.452-18 (10/2023), Eq. (9a).
    """
    return 7.5 + 2.5 * check_range("omega", omega, 0.0, 1.0)


def gaseous_attenuation_terrestrial(f_ghz, d_km, p_hpa=1013.25, rho_g_m3=7.5, t_k=288.15):
    """Gaseous attenuation on a terrestrial path, Rec. ITU-R P.676-13 Annex 1 Eq. (10). [dB]

    ``A = (gamma_o + gamma_w) d`` (P.452-18 Eq. (9)).

    Parameters
    ----------
    f_ghz : array_like
        Frequency. [GHz]
    d_km : array_like
        Path length, finite and >= 0. [km]
    p_hpa, rho_g_m3, t_k : array_like, optional
        Dry-air pressure [hPa], water-vapour density [g/m^3], temperature [K].

    Returns
    -------
    numpy.ndarray or float
        Gaseous attenuation. [dB]

    Raises
    ------
    ValueError
        For a negative, NaN or infinite ``d_km``, or inputs outside the ranges of
        :func:`specific_attenuation`.

    References
    ----------
    Rec. ITU-R P.676-13 (08/2022), Annex 1 §2.1, Eq. (10).
    """
    d = check_positive("d_km", check_finite("d_km", d_km, "km"), "km", allow_zero=True)
    go, gw = specific_attenuation(f_ghz, p_hpa, rho_g_m3, t_k)
    return (go + gw) * d
