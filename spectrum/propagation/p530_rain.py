"""Rain attenuation, cross-polarisation outage and diversity improvement on line-of-sight links,
Rec. ITU-R P.530-18 (09/2021) Annex 1 §2.4, §4 and §6, with the specific attenuation of
Rec. ITU-R P.838-3 (:mod:`spectrum.propagation.p838`).

R0.01 (the 1-minute rain rate exceeded for 0.01 % of an average year, Rec. ITU-R P.837-7) is an
input everywhere; :func:`r001_mmh` reads it from the P.837-7 map through
:mod:`spectrum.propagation.maps` (the ``[maps]`` extra) when that module is installed.

References
----------
Rec. ITU-R P.530-18 (09/2021) Annex 1; Rec. ITU-R P.838-3 (03/2005); Rec. ITU-R P.837-7 (06/2017).
"""
from __future__ import annotations

import numpy as np

from .._validate import check_finite, check_positive, check_range
from ..kernels import p530 as _k
from ._common import elementwise as _ew
from .p838 import rain_coefficients

__all__ = ["r001_mmh", "rain_attenuation_001_db", "rain_attenuation_db", "rain_exceedance_percent",
           "rain_frequency_scaling_db", "rain_polarisation_scaling_db", "xpd_outage_clear_air",
           "xpd_outage_precipitation", "space_diversity_improvement", "frequency_diversity_improvement"]

_M = "P.530-18"


def _out(a):
    return a[()] if isinstance(a, np.ndarray) and a.ndim == 0 else a


def r001_mmh(lat, lon):
    """Rain rate exceeded for 0.01 % of an average year (1-min integration), Rec. ITU-R P.837-7
    map, through :func:`spectrum.propagation.maps.rain_rate_r001_mmh`. [mm/h]

    Raises
    ------
    ValueError
        When the map module or its data (the ``[maps]`` extra, PyPI ``itur``) is missing: give
        R0.01 as an input instead.
    """
    try:
        from . import maps  # the lead's module (P.837-7 maps read from the itur package's data)
    except ImportError:
        raise ValueError("R0.01 needs the P.837-7 map (spectrum.propagation.maps, pip install 'spectrum[maps]'); "
                         "give r001_mmh explicitly") from None
    if hasattr(maps, "available") and not maps.available():
        raise ValueError("the P.837-7 rain map is not installed (pip install 'spectrum[maps]'); give r001_mmh")
    return maps.rain_rate_r001_mmh(lat, lon)


def _rain_inputs(d_km, f_ghz, r001_mmh, el_deg, polarisation):
    d = check_range("d_km", d_km, 0.0, 60.0, "km", _M + " §2.4.1", lo_open=True)
    f = check_range("f_ghz", f_ghz, 1.0, 100.0, "GHz", _M + " §2.4.1")
    r = check_range("r001_mmh", r001_mmh, 0.0, 500.0, "mm/h", "P.837-7 R0.01")
    k, alpha = rain_coefficients(f, el_deg, polarisation)
    return d, f, r, np.asarray(k, float), np.asarray(alpha, float)


def rain_attenuation_001_db(d_km, f_ghz, r001_mmh, el_deg=0.0, polarisation="h"):
    """Path attenuation exceeded for 0.01 % of an average year, A0.01 = gamma_R d r,
    P.530-18 §2.4.1 Steps 1-4 (r from Step 3, at most 2.5). [dB]

    Parameters
    ----------
    d_km : array_like
        Path length, (0, 60]. [km]
    f_ghz : array_like
        Frequency, 1-100. [GHz]
    r001_mmh : array_like
        R0.01 (P.837-7). [mm/h]
    el_deg : array_like, optional
        Path elevation angle (P.838-3 theta). [deg]
    polarisation : str or array_like, optional
        ``"h"``, ``"v"``, ``"c"`` or a tilt angle. [deg]

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §2.4.1; Rec. ITU-R P.838-3.
    """
    d, f, r, k, alpha = _rain_inputs(d_km, f_ghz, r001_mmh, el_deg, polarisation)
    gamma = k * np.asarray(r, float) ** alpha
    return _ew(_k.rain_a001_array, gamma, d, r, alpha, f)


def rain_attenuation_db(p, d_km, f_ghz, r001_mmh, el_deg=0.0, polarisation="h"):
    """Rain attenuation exceeded for p % of an average year, Ap = A0.01 C1 p^-(C2 + C3 log p),
    P.530-18 §2.4.1 Step 5 (0.001 % <= p <= 1 %). [dB]

    Parameters
    ----------
    p : array_like
        Percentage of time, 0.001-1. [%]
    d_km, f_ghz, r001_mmh, el_deg, polarisation
        As :func:`rain_attenuation_001_db`.

    Notes
    -----
    C0 = 0.12 + 0.4 log10((f/10)^0.8) above 10 GHz as eeveetza/p530 and crc-covlib read it; ITU-Rpy
    (``itur`` 0.4.0) computes 0.4 (log10(f/10))^0.8 instead (they agree below 10 GHz and near p = 0.01 %).

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §2.4.1.
    """
    pp = check_range("p", p, 0.001, 1.0, "%", _M + " §2.4.1")
    a001 = rain_attenuation_001_db(d_km, f_ghz, r001_mmh, el_deg, polarisation)
    f = check_range("f_ghz", f_ghz, 1.0, 100.0, "GHz", _M)
    return _ew(_k.rain_ap_array, a001, f, pp)


def rain_exceedance_percent(a_db, d_km, f_ghz, r001_mmh, el_deg=0.0, polarisation="h"):
    """Percentage of an average year a rain attenuation A is exceeded: §2.4.1 Step 5 solved for p. [%]

    The power law is inverted exactly (a quadratic in log10 p). Results outside 0.001-1 % are the
    law's extrapolation (the Recommendation's range is 0.001-1 %); 0 beyond its maximum.

    Parameters
    ----------
    a_db : array_like
        Attenuation (e.g. the flat fade margin), >= 0. [dB]
    d_km, f_ghz, r001_mmh, el_deg, polarisation
        As :func:`rain_attenuation_001_db`.

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §2.4.1.
    """
    a = check_positive("a_db", check_finite("a_db", a_db, "dB"), "dB", allow_zero=True)
    a001 = rain_attenuation_001_db(d_km, f_ghz, r001_mmh, el_deg, polarisation)
    f = check_range("f_ghz", f_ghz, 1.0, 100.0, "GHz", _M)
    return _ew(_k.rain_p_for_array, a, a001, f)


def rain_frequency_scaling_db(a1_db, f1_ghz, f2_ghz):
    """Rain attenuation at f2 from the attenuation A1 at f1 on the same hop,
    P.530-18 §2.4.3: A2 = A1 (Phi2/Phi1)^(1 - H(Phi1, Phi2, A1)), 7-50 GHz. [dB]

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §2.4.3.
    """
    a1 = check_positive("a1_db", check_finite("a1_db", a1_db, "dB"), "dB", allow_zero=True)
    f1 = check_range("f1_ghz", f1_ghz, 7.0, 50.0, "GHz", _M + " §2.4.3")
    f2 = check_range("f2_ghz", f2_ghz, 7.0, 50.0, "GHz", _M + " §2.4.3")
    return _ew(_k.rain_freq_scale_array, a1, f1, f2)


def rain_polarisation_scaling_db(a_db, to="v"):
    """Rain attenuation on the other linear polarisation, P.530-18 §2.4.4:
    A_V = 300 A_H / (335 + A_H) (``to="v"``), A_H = 335 A_V / (300 - A_V) (``to="h"``). [dB]

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §2.4.4.
    """
    if to not in ("v", "h"):
        raise ValueError(f"to = {to!r} must be 'v' (from horizontal) or 'h' (from vertical)")
    if to == "v":
        a = check_positive("a_db", check_finite("a_db", a_db, "dB"), "dB", allow_zero=True)
        return _out(300.0 * a / (335.0 + a))
    a = check_range("a_db", a_db, 0.0, 300.0, "dB", _M + " §2.4.4", hi_open=True)
    return _out(335.0 * a / (300.0 - a))


def xpd_outage_clear_air(p0, xpd_g_db, c0_i_db, *, xpif_db=0.0, st_m=None, f_ghz=None):
    """Probability of outage due to clear-air cross-polarisation, P.530-18 §4.1 Steps 1-5. [%]

    XPD0 = XPDg + 5 (XPDg <= 35 dB) or 40 dB; eta = 1 - exp(-0.2 P0^0.75); Q = -10 log(kXP eta / P0);
    C = XPD0 + Q; M_XPD = C - C0/I (+ XPIF with a cross-polar interference canceller);
    P_XP = P0 10^(-M_XPD / 10). kXP = 0.7 with one transmit antenna, 1 - 0.3 exp(-4e-6 (st/lambda)^2)
    with two (vertical separation ``st_m``).

    Parameters
    ----------
    p0 : array_like
        Multipath occurrence factor pw(A = 0) of the average worst month (§2.3.2 Step 1). [%]
    xpd_g_db : array_like
        Manufacturer's minimum boresight XPD. [dB]
    c0_i_db : array_like
        Carrier-to-interference ratio for the reference BER. [dB]
    xpif_db : array_like, optional
        Cross-polarisation improvement factor of an XPIC (0 without). [dB]
    st_m, f_ghz : float, optional
        Vertical separation of two transmit antennas [m] and the frequency [GHz].

    Returns
    -------
    float or numpy.ndarray
        Outage, 100 P_XP, in the average worst month. [%]

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §4.1.
    """
    p = check_range("p0", p0, 0.0, 100.0, "%", _M + " §4.1", lo_open=True)
    xg = check_range("xpd_g_db", xpd_g_db, 0.0, 80.0, "dB", _M + " §4.1")
    ci = check_finite("c0_i_db", c0_i_db, "dB")
    xp = check_range("xpif_db", xpif_db, 0.0, 60.0, "dB")
    if st_m is None:
        kxp = 0.7
    else:
        if f_ghz is None:
            raise ValueError("st_m (two transmit antennas) needs f_ghz for the wavelength")
        st = check_positive("st_m", st_m, "m")
        lam = 0.299792458 / check_positive("f_ghz", f_ghz, "GHz")
        kxp = 1.0 - 0.3 * np.exp(-4e-6 * (st / lam) ** 2)
    return _out(100.0 * np.asarray(_ew(_k.xpd_clear_air_array, p, xg, ci, xp, kxp)))


def xpd_outage_precipitation(a001_db, f_ghz, c0_i_db, *, xpif_db=0.0, u0_db=15.0):
    """Probability of outage due to cross-polarisation in precipitation, P.530-18 §4.2 Steps 1-4. [%]

    U = U0 + 30 log f; V = 12.8 f^0.19 (8-20 GHz) or 22.6 (20-35 GHz); Ap = 10^((U - C0/I + XPIF)/V);
    m = min(23.26 log(Ap / (0.12 A0.01)), 40); n = (-12.7 + sqrt(161.23 - 4 m)) / 2; P_XPR = 10^(n - 2).

    Parameters
    ----------
    a001_db : array_like
        Rain attenuation exceeded for 0.01 % (:func:`rain_attenuation_001_db`), > 0. [dB]
    f_ghz : array_like
        Frequency, 8-35 GHz. [GHz]
    c0_i_db : array_like
        C/I for the reference BER. [dB]
    xpif_db : array_like, optional
        XPIC improvement (0 without). [dB]
    u0_db : array_like, optional
        U0: 15 dB a mean value, 9 dB a lower bound for fades >= 3 dB. [dB]

    Returns
    -------
    float or numpy.ndarray
        Outage, 100 P_XPR = 10^n, in the average year. [%]

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §4.2.
    """
    a = check_positive("a001_db", check_finite("a001_db", a001_db, "dB"), "dB")
    f = check_range("f_ghz", f_ghz, 8.0, 35.0, "GHz", _M + " §4.2")
    ci = check_finite("c0_i_db", c0_i_db, "dB")
    xp = check_range("xpif_db", xpif_db, 0.0, 60.0, "dB")
    u0 = check_range("u0_db", u0_db, 0.0, 40.0, "dB")
    return _out(100.0 * np.asarray(_ew(_k.xpd_precipitation_array, a, f, ci, xp, u0)))


def space_diversity_improvement(a_db, s_m, f_ghz, d_km, p0, v_db=0.0):
    """Space-diversity improvement factor for narrow-band fading, P.530-18 §6.2.1:
    I = [1 - exp(-3.34e-4 S^0.87 f^-0.12 d^0.48 p0^-1.04)] 10^((A - V)/10). [-]

    Tested on 2-11 GHz, 43-240 km, S 3-23 m; the improvement is at least 1.

    Parameters
    ----------
    a_db : array_like
        Fade depth (the flat fade margin). [dB]
    s_m : array_like
        Vertical separation of the receiving antennas (centre to centre). [m]
    f_ghz, d_km : array_like
        Frequency [GHz] and path length [km].
    p0 : array_like
        Multipath occurrence factor. [%]
    v_db : array_like
        Difference of the two antenna gains |G1 - G2|. [dB]

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §6.2.1.
    """
    a = check_positive("a_db", check_finite("a_db", a_db, "dB"), "dB", allow_zero=True)
    s = check_positive("s_m", s_m, "m")
    f = check_positive("f_ghz", f_ghz, "GHz")
    d = check_positive("d_km", d_km, "km")
    p = check_positive("p0", p0, "%")
    v = check_positive("v_db", v_db, "dB", allow_zero=True)
    i = (1.0 - np.exp(-3.34e-4 * s ** 0.87 * f ** -0.12 * d ** 0.48 * p ** -1.04)) * 10.0 ** ((a - v) / 10.0)
    return _out(np.maximum(i, 1.0))


def frequency_diversity_improvement(a_db, df_ghz, f_ghz, d_km):
    """Frequency-diversity improvement factor, P.530-18 §6.2.2: I = (80 / (f d)) (df / f) 10^(F/10). [-]

    Tested on 2-11 GHz, 30-70 km, df/f <= 5 %; the improvement is at least 1.

    Parameters
    ----------
    a_db : array_like
        Fade depth F (the flat fade margin). [dB]
    df_ghz : array_like
        Frequency separation. [GHz]
    f_ghz, d_km : array_like
        Frequency [GHz] and path length [km].

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §6.2.2.
    """
    a = check_positive("a_db", check_finite("a_db", a_db, "dB"), "dB", allow_zero=True)
    df = check_positive("df_ghz", df_ghz, "GHz")
    f = check_positive("f_ghz", f_ghz, "GHz")
    d = check_positive("d_km", d_km, "km")
    i = 80.0 / (f * d) * (df / f) * 10.0 ** (a / 10.0)
    return _out(np.maximum(i, 1.0))
