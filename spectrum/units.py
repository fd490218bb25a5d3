"""Radio units: power in dBW / dBm / W, EIRP / ERP, field strength, noise, wavelength.

Every conversion is named ``x_from_y`` (STYLE.md rule 3), accepts scalars or arrays
(numpy broadcasting) and returns a float64 scalar or array. Logarithmic quantities may be
``-inf`` (zero power); NaN passes through unchanged.

The field-strength / power relations are those of Rec. ITU-R P.525-4 (2019) §3 for an
isotropic receiving antenna, evaluated with the exact constants (free-space impedance
taken as 120π Ω as in the Recommendations, c = 299 792 458 m/s). The rounded constant the
Recommendations print is 107.2 dB with f in MHz (167.2 dB with f in GHz); :data:`E_PR_CONST_DB`
is the unrounded 107.22 dB.

References
----------
Rec. ITU-R P.525-4 (08/2019), Calculation of free-space attenuation, §3 (conversion formulae).
Rec. ITU-R V.573-6, Radiocommunication vocabulary (EIRP, ERP: ERP = EIRP − 2.15 dB).
Rec. ITU-R P.372-16 (2022), Radio noise, §2 (kTB, reference temperature 290 K).
"""
from __future__ import annotations

import numpy as np

from ._validate import check_positive

__all__ = [
    "SPEED_OF_LIGHT_M_S", "BOLTZMANN_J_K", "T0_K", "DIPOLE_GAIN_DBI", "E_PR_CONST_DB",
    "dbw_from_w", "w_from_dbw", "dbm_from_dbw", "dbw_from_dbm", "dbm_from_w", "w_from_dbm",
    "eirp_dbw_from_erp_dbw", "erp_dbw_from_eirp_dbw",
    "e_dbuvm_from_pr_dbw", "pr_dbw_from_e_dbuvm", "e_dbuvm_from_eirp_dbw", "eirp_dbw_from_e_dbuvm",
    "pfd_dbw_m2_from_e_dbuvm", "e_dbuvm_from_pfd_dbw_m2",
    "noise_dbw", "wavelength_m_from_f_mhz", "f_mhz_from_wavelength_m", "db_sum",
]

#: Speed of light in vacuum. [m/s]
SPEED_OF_LIGHT_M_S = 299_792_458.0
#: Boltzmann constant. [J/K]
BOLTZMANN_J_K = 1.380649e-23
#: Reference noise temperature T0. [K]
T0_K = 290.0
#: Gain of a half-wave dipole over isotropic, the EIRP − ERP difference. [dBi]
DIPOLE_GAIN_DBI = 2.15
#: Impedance of free space as used by the ITU-R conversion formulae (120π). [Ω]
Z0_OHM = 120.0 * np.pi
#: E [dBµV/m] = Pr [dBW] + 20 log10 f [MHz] + E_PR_CONST_DB (P.525-4 §3; 107.2 rounded).
E_PR_CONST_DB = float(120.0 + 10.0 * np.log10(480.0 * np.pi ** 2) - 20.0 * np.log10(SPEED_OF_LIGHT_M_S / 1e6))
#: E [dBµV/m] = S [dB(W/m²)] + E_PFD_CONST_DB, from S = E² / Z0.
E_PFD_CONST_DB = float(120.0 + 10.0 * np.log10(Z0_OHM))


def _out(a):
    a = np.asarray(a, dtype=np.float64)
    return a[()] if a.ndim == 0 else a


def _f(name, value):
    """Float array that may hold NaN / ±inf (powers in dB may be -inf)."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} = {value!r} is not numeric") from exc


def _freq(f_mhz):
    return check_positive("f_mhz", f_mhz, "MHz")


def dbw_from_w(p_w):
    """Power in dBW from power in watts: 10·log10(P). Zero power gives ``-inf``.

    Parameters
    ----------
    p_w : array_like
        Power. [W], >= 0

    Returns
    -------
    ndarray or float
        Power. [dBW]
    """
    p = check_positive("p_w", p_w, "W", allow_zero=True)
    with np.errstate(divide="ignore"):
        return _out(10.0 * np.log10(p))


def w_from_dbw(p_dbw):
    """Power in watts from dBW: 10^(P/10).

    Parameters
    ----------
    p_dbw : array_like
        Power. [dBW]

    Returns
    -------
    ndarray or float
        Power. [W]
    """
    return _out(10.0 ** (_f("p_dbw", p_dbw) / 10.0))


def dbm_from_dbw(p_dbw):
    """Power in dBm from dBW (+30 dB).

    Parameters
    ----------
    p_dbw : array_like
        Power. [dBW]

    Returns
    -------
    ndarray or float
        Power. [dBm]
    """
    return _out(_f("p_dbw", p_dbw) + 30.0)


def dbw_from_dbm(p_dbm):
    """Power in dBW from dBm (−30 dB).

    Parameters
    ----------
    p_dbm : array_like
        Power. [dBm]

    Returns
    -------
    ndarray or float
        Power. [dBW]
    """
    return _out(_f("p_dbm", p_dbm) - 30.0)


def dbm_from_w(p_w):
    """Power in dBm from watts: 10·log10(P) + 30.

    Parameters
    ----------
    p_w : array_like
        Power. [W], >= 0

    Returns
    -------
    ndarray or float
        Power. [dBm]
    """
    return _out(dbw_from_w(p_w) + 30.0)


def w_from_dbm(p_dbm):
    """Power in watts from dBm.

    Parameters
    ----------
    p_dbm : array_like
        Power. [dBm]

    Returns
    -------
    ndarray or float
        Power. [W]
    """
    return _out(10.0 ** ((_f("p_dbm", p_dbm) - 30.0) / 10.0))


def eirp_dbw_from_erp_dbw(erp_dbw):
    """EIRP from ERP (referred to a half-wave dipole): EIRP = ERP + 2.15 dB (Rec. ITU-R V.573).

    Parameters
    ----------
    erp_dbw : array_like
        Effective radiated power. [dBW]

    Returns
    -------
    ndarray or float
        Equivalent isotropically radiated power. [dBW]
    """
    return _out(_f("erp_dbw", erp_dbw) + DIPOLE_GAIN_DBI)


def erp_dbw_from_eirp_dbw(eirp_dbw):
    """ERP from EIRP: ERP = EIRP − 2.15 dB (Rec. ITU-R V.573).

    Parameters
    ----------
    eirp_dbw : array_like
        Equivalent isotropically radiated power. [dBW]

    Returns
    -------
    ndarray or float
        Effective radiated power. [dBW]
    """
    return _out(_f("eirp_dbw", eirp_dbw) - DIPOLE_GAIN_DBI)


def e_dbuvm_from_pr_dbw(pr_dbw, f_mhz):
    """Field strength from power received by an isotropic antenna, Rec. ITU-R P.525-4 §3.

    E = Pr + 20·log10(f) + 107.22, from Pr = S·λ²/(4π) and S = E²/(120π).

    Parameters
    ----------
    pr_dbw : array_like
        Power available from an isotropic (0 dBi, lossless) receiving antenna. [dBW]
    f_mhz : array_like
        Frequency. [MHz], > 0

    Returns
    -------
    ndarray or float
        Field strength. [dB(µV/m)]

    References
    ----------
    Rec. ITU-R P.525-4 (2019), Calculation of free-space attenuation, §3.
    """
    f = _freq(f_mhz)
    return _out(_f("pr_dbw", pr_dbw) + 20.0 * np.log10(f) + E_PR_CONST_DB)


def pr_dbw_from_e_dbuvm(e_dbuvm, f_mhz):
    """Power received by an isotropic antenna from field strength, Rec. ITU-R P.525-4 §3.

    Pr = E − 20·log10(f) − 107.22 (inverse of :func:`e_dbuvm_from_pr_dbw`).

    Parameters
    ----------
    e_dbuvm : array_like
        Field strength. [dB(µV/m)]
    f_mhz : array_like
        Frequency. [MHz], > 0

    Returns
    -------
    ndarray or float
        Received power, isotropic antenna. [dBW]

    References
    ----------
    Rec. ITU-R P.525-4 (2019), §3.
    """
    f = _freq(f_mhz)
    return _out(_f("e_dbuvm", e_dbuvm) - 20.0 * np.log10(f) - E_PR_CONST_DB)


def e_dbuvm_from_eirp_dbw(eirp_dbw, lb_db, f_mhz):
    """Field strength from EIRP and basic transmission loss, Rec. ITU-R P.525-4 §3.

    E = EIRP − Lb + 20·log10(f) + 107.22 (the received isotropic power Pr = EIRP − Lb).
    For ERP = 30 dBW (1 kW) this is the 139.3 + 20·log10 f − Lb of Rec. ITU-R P.1546-6.

    Parameters
    ----------
    eirp_dbw : array_like
        Equivalent isotropically radiated power. [dBW]
    lb_db : array_like
        Basic transmission loss. [dB]
    f_mhz : array_like
        Frequency. [MHz], > 0

    Returns
    -------
    ndarray or float
        Field strength. [dB(µV/m)]

    References
    ----------
    Rec. ITU-R P.525-4 (2019), §3.
    """
    return e_dbuvm_from_pr_dbw(_f("eirp_dbw", eirp_dbw) - _f("lb_db", lb_db), f_mhz)


def eirp_dbw_from_e_dbuvm(e_dbuvm, lb_db, f_mhz):
    """EIRP needed for a field strength at a given basic transmission loss (inverse of
    :func:`e_dbuvm_from_eirp_dbw`), Rec. ITU-R P.525-4 §3.

    Parameters
    ----------
    e_dbuvm : array_like
        Field strength. [dB(µV/m)]
    lb_db : array_like
        Basic transmission loss. [dB]
    f_mhz : array_like
        Frequency. [MHz], > 0

    Returns
    -------
    ndarray or float
        Equivalent isotropically radiated power. [dBW]
    """
    return _out(pr_dbw_from_e_dbuvm(e_dbuvm, f_mhz) + _f("lb_db", lb_db))


def pfd_dbw_m2_from_e_dbuvm(e_dbuvm):
    """Power flux-density from field strength, S = E²/(120π), Rec. ITU-R P.525-4 §3.

    Parameters
    ----------
    e_dbuvm : array_like
        Field strength. [dB(µV/m)]

    Returns
    -------
    ndarray or float
        Power flux-density. [dB(W/m²)]
    """
    return _out(_f("e_dbuvm", e_dbuvm) - E_PFD_CONST_DB)


def e_dbuvm_from_pfd_dbw_m2(pfd_dbw_m2):
    """Field strength from power flux-density, E = S + 145.76 dB, Rec. ITU-R P.525-4 §3.

    Parameters
    ----------
    pfd_dbw_m2 : array_like
        Power flux-density. [dB(W/m²)]

    Returns
    -------
    ndarray or float
        Field strength. [dB(µV/m)]
    """
    return _out(_f("pfd_dbw_m2", pfd_dbw_m2) + E_PFD_CONST_DB)


def noise_dbw(bw_khz, nf_db, t_k=T0_K):
    """Receiver noise power N = 10·log10(k·T·B) + NF, Rec. ITU-R P.372-16 §2.

    With the default T = T0 = 290 K this is −204.0 dBW/Hz + 10·log10(B) + NF
    (−174.0 dBW in 1 kHz for NF = 0 dB).

    Parameters
    ----------
    bw_khz : array_like
        Noise bandwidth. [kHz], > 0
    nf_db : array_like
        Receiver noise figure. [dB], >= 0
    t_k : array_like, optional
        Reference temperature. [K], > 0 (default 290 K)

    Returns
    -------
    ndarray or float
        Noise power referred to the receiver input. [dBW]

    References
    ----------
    Rec. ITU-R P.372-16 (08/2022), Radio noise, §2.
    """
    b = check_positive("bw_khz", bw_khz, "kHz")
    nf = check_positive("nf_db", nf_db, "dB", allow_zero=True)
    t = check_positive("t_k", t_k, "K")
    return _out(10.0 * np.log10(BOLTZMANN_J_K * t * b * 1e3) + nf)


def wavelength_m_from_f_mhz(f_mhz):
    """Free-space wavelength λ = c / f.

    Parameters
    ----------
    f_mhz : array_like
        Frequency. [MHz], > 0

    Returns
    -------
    ndarray or float
        Wavelength. [m]
    """
    return _out(SPEED_OF_LIGHT_M_S / (_freq(f_mhz) * 1e6))


def f_mhz_from_wavelength_m(wavelength_m):
    """Frequency from free-space wavelength, f = c / λ.

    Parameters
    ----------
    wavelength_m : array_like
        Wavelength. [m], > 0

    Returns
    -------
    ndarray or float
        Frequency. [MHz]
    """
    lam = check_positive("wavelength_m", wavelength_m, "m")
    return _out(SPEED_OF_LIGHT_M_S / lam / 1e6)


def db_sum(values_db, axis=None):
    """Power sum of levels in dB: 10·log10(Σ 10^(x/10)) — the aggregate-interference rule.

    Powers add linearly, never in dB (DESIGN.md, interference convention). Computed stably
    (the maximum is factored out), so −300 dBW and +100 dBW levels both work; ``-inf`` terms
    (no power) contribute nothing, and a sum of nothing but ``-inf`` (or an empty sum) is ``-inf``.

    Parameters
    ----------
    values_db : array_like
        Levels. [dB, dBW, dBm, ... — any one dB unit]
    axis : int or tuple of int, optional
        Axis to sum over; ``None`` sums everything.

    Returns
    -------
    ndarray or float
        Power sum, in the unit of ``values_db``.
    """
    x = _f("values_db", values_db)
    if np.isnan(x).any():
        raise ValueError("values_db contains NaN")
    if np.isposinf(x).any():
        raise ValueError("values_db contains +inf")
    if x.size == 0:
        return _out(np.full(np.sum(x, axis=axis).shape, -np.inf)) if axis is not None else -np.inf
    m = np.max(x, axis=axis, keepdims=True)
    m_safe = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        s = 10.0 * np.log10(np.sum(10.0 ** ((x - m_safe) / 10.0), axis=axis, keepdims=True)) + m_safe
    if axis is None:
        return float(s.reshape(()))
    return _out(np.squeeze(s, axis=axis))
