"""Terrestrial line-of-sight links, Rec. ITU-R P.530-18 (09/2021) Annex 1 §2.1-§2.3:
path clearance, diffraction fading, multipath fading and enhancement.

Rain (§2.4), cross-polarisation (§4) and diversity (§6) are in :mod:`spectrum.propagation.p530_rain`.

Climate inputs. P.530-18 takes the geoclimatic factor K and dN75 (§2.3.1 Step 1) **only from its
own digital maps** (``LogK.csv``, ``dN75.csv``, distributed with the Recommendation). Those maps are
not in the ``itur`` package (it ships the P.530-16 terrain-roughness map and the P.453 dN maps,
which feed the older P.530-16 formula K = 10^(-4.4 - 0.0027 dN1) (10 + s_a)^-0.46, fitted with
a different pw equation and not a substitute for the -18 method). Here K and dN75 are therefore
explicit inputs; :data:`SHANGHAI_K`, :data:`SHANGHAI_DN75` are documented planning values for the
sample register, not map readings.

All functions broadcast their array arguments (numpy rules) and return a float for scalar input.

References
----------
Rec. ITU-R P.530-18 (09/2021), "Propagation data and prediction methods required for the design of
terrestrial line-of-sight systems", Annex 1.
"""
from __future__ import annotations

import numpy as np

from .._validate import check_finite, check_positive, check_range, check_terrain_heights
from ..kernels import p530 as _k
from ._common import elementwise as _ew

__all__ = ["fresnel_radius_m", "earth_bulge_m", "k_factor_from_gradient", "diffraction_loss_average_terrain_db",
           "path_clearance", "clearance_criteria", "multipath_occurrence_factor", "fade_exceedance_deep_percent",
           "fade_exceedance_percent", "fade_depth_db", "delta_g_db", "worst_month_to_year_percent",
           "enhancement_not_exceeded_percent", "shorter_worst_period_percent", "gaseous_attenuation_db",
           "selective_outage_probability", "refractivity_gradient_dn65", "point_k_factor", "DN65_PERCENTAGES", "SHANGHAI_K", "SHANGHAI_DN75", "K_MEDIAN"]

_M = "P.530-18"
#: Median point k-factor to use in the absence of local data, §2.2.2 Step 1. [-]
K_MEDIAN = 4.0 / 3.0
#: Planning assumption for the sample region (Shanghai), to be replaced by the P.530-18 map values
#: (§2.3.1 Step 1) where the maps are available: log10 K = -4.2 is of the order the P.530-16 formula
#: gives there with P.453 dN1 ~ -300 N-units/km and s_a ~ 10 m; dN75 = 40 N-units is a humid
#: coastal value. Assumed inputs, not map readings.
SHANGHAI_K = 10.0 ** -4.2
SHANGHAI_DN75 = 40.0


def _out(a):
    return a[()] if isinstance(a, np.ndarray) and a.ndim == 0 else a


def fresnel_radius_m(d1_km, d2_km, f_ghz):
    """Radius of the first Fresnel ellipsoid F1 = 17.3 sqrt(d1 d2 / (f d)), P.530-18 §2.2.1 Eq. (3). [m]

    Parameters
    ----------
    d1_km, d2_km : array_like
        Distances from the two terminals to the point, > 0. [km]
    f_ghz : array_like
        Frequency, > 0. [GHz]

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §2.2.1.
    """
    d1 = check_positive("d1_km", check_finite("d1_km", d1_km, "km"), "km")
    d2 = check_positive("d2_km", check_finite("d2_km", d2_km, "km"), "km")
    f = check_positive("f_ghz", check_finite("f_ghz", f_ghz, "GHz"), "GHz")
    return _out(17.3 * np.sqrt(d1 * d2 / (f * (d1 + d2))))


def earth_bulge_m(d1_km, d2_km, k_factor=K_MEDIAN):
    """Height of the effective Earth's bulge d1 d2 / (2 k a), a = 6371 km (P.530-18 §2.2.2 geometry). [m]

    Parameters
    ----------
    d1_km, d2_km : array_like
        Distances from the two terminals, >= 0. [km]
    k_factor : array_like
        Effective Earth-radius factor k, > 0. [-]
    """
    d1 = check_positive("d1_km", d1_km, "km", allow_zero=True)
    d2 = check_positive("d2_km", d2_km, "km", allow_zero=True)
    k = check_positive("k_factor", check_finite("k_factor", k_factor), "")
    return _out(d1 * d2 * 1000.0 / (2.0 * k * 6371.0))


def k_factor_from_gradient(dn_dh):
    """Point effective Earth-radius factor k = 157 / (157 + dN/dh) from the refractivity gradient
    (Rec. ITU-R P.453 §2; P.530-18 §2.2.2 derives k statistics from gradient statistics). [-]

    Parameters
    ----------
    dn_dh : array_like
        Refractivity gradient in the lowest 100 m (P.453 dN1 for a time percentage), > -157. [N-units/km]

    References
    ----------
    Rec. ITU-R P.453-14 (08/2019) §2; Rec. ITU-R P.530-18 §2.2.2.
    """
    g = check_range("dn_dh", dn_dh, -157.0, 1e6, "N-units/km", "k = 157/(157 + dN/dh)", lo_open=True)
    return _out(157.0 / (157.0 + g))


#: Time percentages of the P.453-12 maps of the refractivity gradient in the lowest 65 m. [%]
DN65_PERCENTAGES = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 95.0,
                    98.0, 99.0, 99.5, 99.8, 99.9)


def refractivity_gradient_dn65(lat, lon, p=99.9):
    """Point refractivity gradient in the lowest 65 m not exceeded for p % of an average year,
    Rec. ITU-R P.453-12 digital maps (0.75 deg grid, bilinear, P.1144), from the ``itur`` package's
    data (``[maps]`` extra, read without importing ``itur``). [N-units/km]

    Parameters
    ----------
    lat, lon : array_like
        Location. [deg]
    p : float
        One of :data:`DN65_PERCENTAGES`. [%]

    Raises
    ------
    ValueError
        For another p, or when the map files are not installed (``pip install "spectrum[maps]"``).

    References
    ----------
    Rec. ITU-R P.453-12 (2016) §2.2 and its digital maps of dN1 (65 m).
    """
    from .._validate import check_lat_lon
    from . import maps

    pf = float(p)
    if not any(abs(pf - q) < 1e-9 for q in DN65_PERCENTAGES):
        raise ValueError(f"p = {p!r} is not one of the P.453-12 dN65 map percentages {DN65_PERCENTAGES} %")
    la, lo = check_lat_lon(lat, lon)
    la, lo = np.broadcast_arrays(la, lo)
    tag = f"{int(pf):02d}d{int(round((pf % 1) * 100)):02d}"
    grid = maps._grid(f"453/v12_dn65m_{tag}_v1.npz", "453/v12_lat0d75.npz", "453/v12_lon0d75.npz")
    return _out(grid.at(la, lo).reshape(la.shape))


def point_k_factor(lat, lon, p=99.9):
    """Point effective Earth-radius factor exceeded for p % of an average year, k = 157 / (157 + dN65),
    dN65 the P.453-12 gradient not exceeded for p % (:func:`refractivity_gradient_dn65`). [-]

    P.530-18 §2.2.2 derives k statistics from refractivity-gradient statistics (Rec. ITU-R P.453), then
    averages them over the path to get ke; the point value at 99.9 % is the conservative (lower) end
    of ke(99.9 %), which approaches it on short paths. An average-year statistic, while P.530 quotes
    ke for the worst month.

    References
    ----------
    Rec. ITU-R P.453-12 (2016); Rec. ITU-R P.530-18 (09/2021) §2.2.2.
    """
    return k_factor_from_gradient(refractivity_gradient_dn65(lat, lon, p))


def diffraction_loss_average_terrain_db(h_m, f1_m):
    """Diffraction loss over average terrain Ad = -20 h / F1 + 10, P.530-18 §2.2.1 Eq. (2). [dB]

    Valid for losses above about 15 dB; the Recommendation's curve reaches 0 dB at h = F1 / 2.
    Returned as the equation gives it (negative for h > F1 / 2; a budget clamps it at 0).

    Parameters
    ----------
    h_m : array_like
        Height of the ray above the most significant path blockage (negative when the
        obstruction is above the line of sight). [m]
    f1_m : array_like
        First Fresnel zone radius at the blockage, > 0. [m]

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §2.2.1.
    """
    h = check_finite("h_m", h_m, "m")
    f1 = check_positive("f1_m", f1_m, "m")
    return _out(-20.0 * h / f1 + 10.0)


def _profile(d_km, h_m):
    d = check_finite("d_km", d_km, "km")
    h = check_finite("h_m", h_m, "m")
    if d.ndim != 1 or d.shape != h.shape or d.size < 2:
        raise ValueError(f"d_km and h_m must be 1-D profiles of the same length >= 2 (got {d.shape}, {h.shape})")
    if np.any(np.diff(d) < 0) or d[0] != 0.0 or d[-1] <= 0.0:
        raise ValueError("d_km must start at 0 and increase along the path")
    check_terrain_heights("h_m", h, "P.530-18 profile")  # 99 999 m gave a clearance of -99 980 m
    return np.ascontiguousarray(d), np.ascontiguousarray(h)


def path_clearance(d_km, h_m, htg_m, hrg_m, f_ghz, k_factor=K_MEDIAN):
    """Clearance of the most significant blockage of a terrain profile, P.530-18 §2.2.1-§2.2.2.

    The ray is the straight line between the antennas; at each interior profile point the
    clearance is the ray height above the terrain raised by the effective-Earth bulge for the
    k-factor; the point with the smallest ratio h / F1 is the most significant blockage.

    Parameters
    ----------
    d_km, h_m : array_like, 1-D
        Terrain profile: distance from terminal 1 (0 to d) [km] and height amsl [m].
    htg_m, hrg_m : float
        Antenna heights above ground at terminal 1 and 2. [m]
    f_ghz : float
        Frequency. [GHz]
    k_factor : float
        Effective Earth-radius factor (4/3 median by default). [-]

    Returns
    -------
    dict
        ``h_m`` clearance at the blockage (negative if blocked), ``f1_m`` F1 there, ``d1_km``
        its distance from terminal 1, ``ratio`` h / F1, ``ad_db`` Eq. (2) loss clamped at 0.

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §2.2.
    """
    d, h = _profile(d_km, h_m)
    check_range("htg_m", htg_m, 0.0, 10000.0, "m")
    check_range("hrg_m", hrg_m, 0.0, 10000.0, "m")
    check_range("f_ghz", f_ghz, 0.1, 1000.0, "GHz", _M)
    k = float(check_positive("k_factor", check_finite("k_factor", k_factor)))
    hb, f1, d1 = _k.worst_clearance(d, h, d.size, h[0] + float(htg_m), h[-1] + float(hrg_m), float(f_ghz), k)
    return {"h_m": float(hb), "f1_m": float(f1), "d1_km": float(d1), "ratio": float(hb / f1),
            "ad_db": float(max(0.0, -20.0 * hb / f1 + 10.0)), "k_factor": k}


def clearance_criteria(d_km, h_m, htg_m, hrg_m, f_ghz, *, ke_min, k_median=K_MEDIAN, climate="temperate",
                       obstruction="extended"):
    """Path clearance criteria for a non-diversity link, P.530-18 §2.2.2 Steps 1-3.

    Step 1: at the median k (4/3 without local data) the ray clears the highest obstacle by
    1.0 F1. Step 2: at ke exceeded for 99.9 % of the worst month (``ke_min``; the Recommendation
    reads it from its figure for the path length, or from refractivity-gradient statistics) the
    clearance is at least 0.0 F1 (temperate, single isolated obstruction), 0.3 F1 (temperate,
    obstruction extended along part of the path) or 0.6 F1 (tropical, paths longer than about
    30 km). Step 3: both must hold.

    Parameters
    ----------
    d_km, h_m, htg_m, hrg_m, f_ghz
        As :func:`path_clearance`.
    ke_min : float
        ke exceeded for 99.9 % of the worst month, > 0. [-]
    k_median : float
        Median point k-factor. [-]
    climate : {"temperate", "tropical"}
    obstruction : {"single", "extended"}

    Returns
    -------
    dict
        ``median`` and ``minimum`` (:func:`path_clearance` results), ``required_median_ratio``,
        ``required_minimum_ratio``, ``met`` (bool) and ``margin_m`` (the smaller height margin).

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §2.2.2.
    """
    if climate not in ("temperate", "tropical"):
        raise ValueError(f"climate = {climate!r} must be 'temperate' or 'tropical' (P.530-18 §2.2.2)")
    if obstruction not in ("single", "extended"):
        raise ValueError(f"obstruction = {obstruction!r} must be 'single' or 'extended' (P.530-18 §2.2.2)")
    check_range("ke_min", ke_min, 0.1, 10.0, "", _M)
    med = path_clearance(d_km, h_m, htg_m, hrg_m, f_ghz, k_median)
    low = path_clearance(d_km, h_m, htg_m, hrg_m, f_ghz, ke_min)
    d_total = float(np.asarray(d_km, float)[-1])
    if climate == "tropical":
        req = 0.6 if d_total > 30.0 else (0.0 if obstruction == "single" else 0.3)
    else:
        req = 0.0 if obstruction == "single" else 0.3
    m1 = med["h_m"] - 1.0 * med["f1_m"]
    m2 = low["h_m"] - req * low["f1_m"]
    return {"median": med, "minimum": low, "required_median_ratio": 1.0, "required_minimum_ratio": req,
            "met": bool(m1 >= 0.0 and m2 >= 0.0), "margin_m": float(min(m1, m2))}


def _mp_inputs(d_km, f_ghz, he_amsl_m, hr_amsl_m, ht_amsl_m, k_geo, dn75):
    d = check_range("d_km", d_km, 0.0, 500.0, "km", _M, lo_open=True)
    f = check_range("f_ghz", f_ghz, 0.1, 100.0, "GHz", _M)
    he = check_range("he_amsl_m", he_amsl_m, -500.0, 9000.0, "m")
    hr = check_range("hr_amsl_m", hr_amsl_m, -500.0, 9000.0, "m")
    ht = check_range("ht_amsl_m", ht_amsl_m, -500.0, 9000.0, "m")
    k = check_range("k_geo", k_geo, 0.0, 1.0, "", _M + " §2.3.1 (geoclimatic factor K)", lo_open=True)
    dn = check_range("dn75", dn75, 0.0, 2000.0, "N-units", _M + " §2.3.1")
    return d, f, he, hr, ht, k, dn


def fade_exceedance_deep_percent(a_db, d_km, f_ghz, he_amsl_m, hr_amsl_m, ht_amsl_m, k_geo, dn75):
    """Percentage of time pw that a deep fade A is exceeded in the average worst month,
    P.530-18 §2.3.1 Steps 1-3 (single frequency, large fade depths). [%]

    Parameters
    ----------
    a_db : array_like
        Fade depth, >= 0. [dB]
    d_km : array_like
        Path length (the Recommendation lets multipath be neglected below 5 km). [km]
    f_ghz : array_like
        Frequency (the method covers 15/d to 45 GHz). [GHz]
    he_amsl_m, hr_amsl_m : array_like
        Emitter and receiver antenna heights above sea level. [m]
    ht_amsl_m : array_like
        Mean terrain height along the path, trees excluded. [m]
    k_geo : array_like
        Geoclimatic factor K for the average worst month (P.530-18 map ``LogK``). [-]
    dn75 : array_like
        dN75 (P.530-18 map). [N-units]

    Returns
    -------
    float or numpy.ndarray
        pw. [%]

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §2.3.1.
    """
    a = check_positive("a_db", a_db, "dB", allow_zero=True)
    d, f, he, hr, ht, k, dn = _mp_inputs(d_km, f_ghz, he_amsl_m, hr_amsl_m, ht_amsl_m, k_geo, dn75)
    return _ew(_k.pw_deep_array, a, k, dn, d, f, he, hr, ht)


def multipath_occurrence_factor(d_km, f_ghz, he_amsl_m, hr_amsl_m, ht_amsl_m, k_geo, dn75):
    """Multipath occurrence factor p0 = pw(A = 0 dB), P.530-18 §2.3.2 Step 1. [%]

    Parameters as :func:`fade_exceedance_deep_percent` (without ``a_db``).
    """
    d, f, he, hr, ht, k, dn = _mp_inputs(d_km, f_ghz, he_amsl_m, hr_amsl_m, ht_amsl_m, k_geo, dn75)
    return _ew(_k.pw_deep_array, 0.0, k, dn, d, f, he, hr, ht)


def delta_g_db(d_km, he_amsl_m, hr_amsl_m, lat):
    """Logarithmic geoclimatic conversion factor Delta G (capped at 10.8 dB), P.530-18 §2.3.4 Step 2. [dB]

    Delta G = 10.5 - 5.6 log(1.1 +/- |cos 2 xi|^0.7) - 2.7 log d + 1.7 log(1 + |ep|), the plus
    sign for |xi| <= 45 deg, the minus sign above.

    Parameters
    ----------
    d_km : array_like
        Path length. [km]
    he_amsl_m, hr_amsl_m : array_like
        Antenna heights above sea level (give the path inclination ep in mrad). [m]
    lat : array_like
        Latitude xi of the path. [deg]

    Notes
    -----
    The Recommendation bounds Delta G above ("Delta G <= 10.8 dB"); eeveetza/p530 and crc-covlib
    apply 10.8 dB as a floor instead (``max``), which makes the conversion constant for most paths.

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §2.3.4.
    """
    d = check_range("d_km", d_km, 0.0, 500.0, "km", _M, lo_open=True)
    he = check_range("he_amsl_m", he_amsl_m, -500.0, 9000.0, "m")
    hr = check_range("hr_amsl_m", hr_amsl_m, -500.0, 9000.0, "m")
    la = check_range("lat", lat, -90.0, 90.0, "deg")
    return _ew(_k.delta_g_array, d, he, hr, la)


def worst_month_to_year_percent(pw_percent, delta_g):
    """Average-year percentage p = 10^(-Delta G / 10) pw, P.530-18 §2.3.4 Step 3 (deep fades). [%]"""
    pw = check_range("pw_percent", pw_percent, 0.0, 100.0, "%")
    dg = check_finite("delta_g", delta_g, "dB")
    return _out(10.0 ** (-dg / 10.0) * pw)


def _p0_dg(p0, delta_g):
    p0 = check_range("p0", p0, 0.0, np.inf, "%", _M + " §2.3.2", lo_open=True, hi_open=True)
    dg = check_range("delta_g", delta_g, -100.0, 10.8, "dB", _M + " §2.3.4")
    return p0, dg


def fade_exceedance_percent(a_db, p0, delta_g=0.0):
    """Percentage of time that any fade depth A is exceeded, P.530-18 §2.3.2 (average worst month,
    ``delta_g = 0``) and §2.3.4 Steps 3-4 (average year, ``delta_g`` from :func:`delta_g_db`). [%]

    A >= At = 25 + 1.2 log p0: the deep-fade tail p0 10^(-A/10) (times 10^(-Delta G/10) for the
    year); A < At: the interpolation of Step 3b (Eqs. (14)-(18)) through the converted pt.

    Parameters
    ----------
    a_db : array_like
        Fade depth, >= 0. [dB]
    p0 : array_like
        Multipath occurrence factor (:func:`multipath_occurrence_factor`). [%]
    delta_g : array_like, optional
        Delta G for the average year; 0 for the average worst month. [dB]

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §2.3.2, §2.3.4.
    """
    a = check_positive("a_db", check_finite("a_db", a_db, "dB"), "dB", allow_zero=True)
    p0, dg = _p0_dg(p0, delta_g)
    return _ew(_k.fade_any_array, a, p0, dg)


def fade_depth_db(p, p0, delta_g=0.0):
    """Fade depth exceeded for p % of the period: the inverse of :func:`fade_exceedance_percent`. [dB]

    Parameters
    ----------
    p : array_like
        Percentage of time, (0, 100]. [%]
    p0, delta_g
        As :func:`fade_exceedance_percent`.
    """
    pp = check_range("p", p, 0.0, 100.0, "%", _M, lo_open=True)
    p0, dg = _p0_dg(p0, delta_g)
    return _ew(_k.fade_depth_for_array, pp, p0, dg)


def enhancement_not_exceeded_percent(e_db, p0, delta_g=0.0):
    """Percentage of time an enhancement E is not exceeded, P.530-18 §2.3.3 (average worst month)
    and §2.3.4 Step 5 (average year, ``delta_g`` > 0). [%]

    A0.01, the fade depth exceeded for 0.01 % of the period, is the deep-fade tail solved for
    0.01 % (p0 10^(-A/10) = 0.01 10^(Delta G/10)); E > 10 dB uses Eq. (19), 0 < E <= 10 dB the
    Steps 1-5 interpolation.

    Parameters
    ----------
    e_db : array_like
        Enhancement, > 0. [dB]
    p0, delta_g
        As :func:`fade_exceedance_percent`.

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §2.3.3, §2.3.4 Step 5.
    """
    e = check_range("e_db", e_db, 0.0, 100.0, "dB", _M + " §2.3.3", lo_open=True)
    p0, dg = _p0_dg(p0, delta_g)
    a001 = 10.0 * np.log10(p0 / (0.01 * 10.0 ** (dg / 10.0)))
    return _ew(_k.enhancement_array, e, p0, a001)


_WORST = {"flat": (89.34, -0.854, 0.676), "hilly": (119.0, -0.78, 0.295), "hilly-land": (199.85, -0.834, 0.175)}


def shorter_worst_period_percent(pw_percent, t_hours, terrain="flat"):
    """Percentage of time a deep fade is exceeded in the worst T hours, from the average worst
    month pw, P.530-18 §2.3.5 (1 h <= T < 720 h). [%]

    Parameters
    ----------
    pw_percent : array_like
        Worst-month percentage of a deep fade. [%]
    t_hours : array_like
        Worst period T, 1 <= T < 720. [h]
    terrain : {"flat", "hilly", "hilly-land"}
        Relatively flat paths, hilly paths, hilly land paths.

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §2.3.5.
    """
    if terrain not in _WORST:
        raise ValueError(f"terrain = {terrain!r} must be one of {', '.join(_WORST)} (P.530-18 §2.3.5)")
    pw = check_range("pw_percent", pw_percent, 0.0, 100.0, "%")
    t = check_range("t_hours", t_hours, 1.0, 720.0, "h", _M + " §2.3.5", hi_open=True)
    a, b, c = _WORST[terrain]
    return _out(pw * (a * t ** b + c))


def selective_outage_probability(p0, d_km, *, w_m_ghz=None, b_m_db=None, tau_r_m_ns=None, w_nm_ghz=None,
                                 b_nm_db=None, tau_r_nm_ns=None, kn_m=None, kn_nm=None, t_ns=None):
    """Selective (frequency-selective multipath) outage probability Ps of an unprotected digital
    system, P.530-18 §7 (signature method). [-] (a probability; 100 Ps is the percentage of the
    average worst month)

    tau_m = 0.7 (d/50)^1.3 ns (mean time delay), eta = 1 - exp(-0.2 P0^0.75) with P0 = p0/100,
    Ps = 2.15 eta (W_M 10^(-B_M/20) tau_m^2/|tau_r,M| + W_NM 10^(-B_NM/20) tau_m^2/|tau_r,NM|)
    from the equipment signature (width W [GHz], depth B [dB], reference delay tau_r [ns], minimum
    and non-minimum phase), or Ps = 2.15 eta (Kn,M + Kn,NM) tau_m^2 / T^2 from the normalised system
    parameters Kn and the baud period T [ns]. The total outage of the hop is Pns + Ps, Pns the flat
    (non-selective) outage pw(F)/100 of §2.3.2 at the flat fade margin F.

    Parameters
    ----------
    p0 : array_like
        Multipath occurrence factor pw(A = 0) (:func:`multipath_occurrence_factor`). [%]
    d_km : array_like
        Path length. [km]
    w_m_ghz, b_m_db, tau_r_m_ns, w_nm_ghz, b_nm_db, tau_r_nm_ns : float, optional
        Signature parameters (minimum / non-minimum phase).
    kn_m, kn_nm, t_ns : float, optional
        Normalised system parameters and baud period, instead of the signature.

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §7 (prediction of outage in unprotected digital systems).
    """
    p = check_range("p0", p0, 0.0, np.inf, "%", _M + " §7", hi_open=True)
    d = check_range("d_km", d_km, 0.0, 500.0, "km", _M + " §7", lo_open=True)
    tau_m = 0.7 * (d / 50.0) ** 1.3
    p0f = p / 100.0
    eta = 1.0 - np.exp(-0.2 * p0f ** 0.75)
    sig = (w_m_ghz, b_m_db, tau_r_m_ns, w_nm_ghz, b_nm_db, tau_r_nm_ns)
    if all(v is not None for v in sig):
        wm = check_positive("w_m_ghz", w_m_ghz, "GHz")
        wn = check_positive("w_nm_ghz", w_nm_ghz, "GHz")
        bm = check_finite("b_m_db", b_m_db, "dB")
        bn = check_finite("b_nm_db", b_nm_db, "dB")
        tm = check_positive("tau_r_m_ns", np.abs(check_finite("tau_r_m_ns", tau_r_m_ns, "ns")), "ns")
        tn = check_positive("tau_r_nm_ns", np.abs(check_finite("tau_r_nm_ns", tau_r_nm_ns, "ns")), "ns")
        ps = 2.15 * eta * (wm * 10.0 ** (-bm / 20.0) * tau_m ** 2 / tm + wn * 10.0 ** (-bn / 20.0) * tau_m ** 2 / tn)
    elif kn_m is not None and kn_nm is not None and t_ns is not None:
        km = check_positive("kn_m", kn_m, "", allow_zero=True)
        kn = check_positive("kn_nm", kn_nm, "", allow_zero=True)
        t = check_positive("t_ns", t_ns, "ns")
        ps = 2.15 * eta * (km + kn) * tau_m ** 2 / t ** 2
    else:
        raise ValueError("selective outage needs the signature (w_m_ghz, b_m_db, tau_r_m_ns, w_nm_ghz, b_nm_db, "
                         "tau_r_nm_ns) or the normalised parameters (kn_m, kn_nm, t_ns) (P.530-18 §7)")
    return _out(np.asarray(ps, float))


def gaseous_attenuation_db(f_ghz, d_km, p_hpa=1013.25, rho_g_m3=7.5, t_k=288.15):
    """Attenuation by atmospheric gases on the path, A_a = gamma_a d, P.530-18 §2.1 with
    Rec. ITU-R P.676-13 Annex 1 (:func:`spectrum.propagation.p676.gaseous_attenuation_terrestrial`). [dB]

    References
    ----------
    Rec. ITU-R P.530-18 (09/2021) Annex 1 §2.1; Rec. ITU-R P.676-13 (08/2022) Annex 1.
    """
    from .p676 import gaseous_attenuation_terrestrial

    return gaseous_attenuation_terrestrial(f_ghz, d_km, p_hpa, rho_g_m3, t_k)


