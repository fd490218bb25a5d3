"""Rec. ITU-R P.530-18: worked examples written from the Recommendation's equations, step by step
and independently of the kernels (P.530 has no official validation set: INDEX.md §14), then
properties and input checks."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from spectrum.propagation import p530, p530_rain

# ------------------------------------------------------------------ §2.2.1 worked by hand


def test_fresnel_radius_by_hand():
    # F1 = 17.3 sqrt(d1 d2 / (f d)); d1 = d2 = 10 km, f = 10 GHz: 17.3 sqrt(100/200) = 12.2329 m
    assert p530.fresnel_radius_m(10.0, 10.0, 10.0) == pytest.approx(12.23295, abs=1e-5)
    # d1 = 2, d2 = 18 km, f = 18 GHz: 17.3 sqrt(36 / 360) = 5.47074 m
    assert p530.fresnel_radius_m(2.0, 18.0, 18.0) == pytest.approx(5.470740, abs=1e-6)


def test_diffraction_loss_by_hand():
    # Eq. (2): Ad = -20 h/F1 + 10: grazing 10 dB, h = -F1 30 dB, h = F1/2 0 dB
    assert p530.diffraction_loss_average_terrain_db(0.0, 12.0) == pytest.approx(10.0)
    assert p530.diffraction_loss_average_terrain_db(-12.0, 12.0) == pytest.approx(30.0)
    assert p530.diffraction_loss_average_terrain_db(6.0, 12.0) == pytest.approx(0.0)


def test_earth_bulge_and_k_by_hand():
    # d1 d2 / (2 k a): 10 x 10 km, k = 4/3: 100e3 / (2 x 4/3 x 6371) = 5.8861 m
    assert p530.earth_bulge_m(10.0, 10.0) == pytest.approx(5.886046, abs=1e-6)
    assert p530.k_factor_from_gradient(-40.0) == pytest.approx(157.0 / 117.0)
    assert p530.k_factor_from_gradient(0.0) == 1.0


def test_path_clearance_flat_profile_by_hand():
    # Flat terrain at 0 m, 20 km, antennas 30 m: at mid-path the ray is 30 m high, the bulge at
    # k = 4/3 is 5.8860 m, h = 24.1140 m, F1 (f = 10 GHz) = 12.2329 m, h/F1 = 1.97124.
    d = np.linspace(0.0, 20.0, 201)
    r = p530.path_clearance(d, np.zeros_like(d), 30.0, 30.0, 10.0)
    assert r["d1_km"] == pytest.approx(10.0)
    assert r["h_m"] == pytest.approx(30.0 - 5.886046, abs=1e-5)
    assert r["ratio"] == pytest.approx((30.0 - 5.886046) / 12.23295, abs=1e-5)
    assert r["ad_db"] == 0.0


def test_path_clearance_knife_edge():
    d = np.linspace(0.0, 20.0, 201)
    h = np.zeros_like(d)
    h[50] = 40.0  # a 40 m ridge at 5 km
    r = p530.path_clearance(d, h, 30.0, 30.0, 10.0, k_factor=4 / 3)
    bulge = 5.0 * 15.0 * 1000 / (2 * 4 / 3 * 6371)
    f1 = 17.3 * math.sqrt(5 * 15 / (10 * 20))
    hh = 30.0 - 40.0 - bulge
    assert r["d1_km"] == pytest.approx(5.0) and r["h_m"] == pytest.approx(hh)
    assert r["ad_db"] == pytest.approx(-20 * hh / f1 + 10)


def test_clearance_criteria_steps():
    d = np.linspace(0.0, 20.0, 201)
    flat = p530.clearance_criteria(d, np.zeros_like(d), 30.0, 30.0, 10.0, ke_min=0.6)
    assert flat["met"] and flat["required_minimum_ratio"] == 0.3
    low = p530.clearance_criteria(d, np.zeros_like(d), 15.0, 15.0, 10.0, ke_min=0.6)
    # at k = 4/3: h = 15 - 5.886 = 9.11 m < 1.0 F1 = 12.23 m: Step 1 fails
    assert not low["met"] and low["margin_m"] == pytest.approx(15 - 5.886046 - 12.23295, abs=1e-4)
    trop = p530.clearance_criteria(np.linspace(0, 40, 401), np.zeros(401), 60.0, 60.0, 10.0, ke_min=0.6,
                                   climate="tropical")
    assert trop["required_minimum_ratio"] == 0.6


# ------------------------------------------------------------------ §2.3.1 worked by hand
# Path: d = 30 km, f = 8 GHz, he = 150 m, hr = 80 m amsl, mean terrain ht = 20 m, K = 10^-4.2,
# dN75 = 40, at latitude 31.2 N.
D, F, HE, HR, HT, K, DN75, LAT = 30.0, 8.0, 150.0, 80.0, 20.0, 10 ** -4.2, 40.0, 31.2


def _hand_pw(a):
    ep = abs(HR - HE) / D                                    # Step 2: path inclination [mrad]
    hc = (HR + HE) / 2 - D ** 2 / 102 - HT                   # Step 2: clearance height
    hl = min(HE, HR)                                         # altitude of the lower antenna
    vsr_lim = DN75 * D ** 1.5 * F ** 0.5 / 24730             # Step 3
    vsr = min((DN75 / 50) ** 1.8 * math.exp(-hc / (2.5 * math.sqrt(D))), vsr_lim)
    return K * D ** 3.51 * (F ** 2 + 13) ** 0.447 * 10 ** (
        -0.376 * math.tanh((hc - 147) / 125) - 0.334 * ep ** 0.39 - 0.00027 * hl + 17.85 * vsr - a / 10)


def test_worked_example_steps_2_3_1():
    ep = 70 / 30                      # 2.3333 mrad
    hc = 115 - 900 / 102 - 20         # 86.1765 m
    assert hc == pytest.approx(86.17647, abs=1e-5)
    vsr = min(0.8 ** 1.8 * math.exp(-hc / (2.5 * math.sqrt(30))), 40 * 30 ** 1.5 * math.sqrt(8) / 24730)
    assert vsr == pytest.approx(0.669 * math.exp(-6.2936), rel=2e-3)   # ~1.24e-3, not limited
    p0 = p530.multipath_occurrence_factor(D, F, HE, HR, HT, K, DN75)
    assert p0 == pytest.approx(_hand_pw(0.0), rel=1e-12)
    assert 0.01 < p0 < 1000.0  # inside the range of p0 the Recommendation plots (Fig. 3)
    for a in (25.0, 35.0, 45.0):
        assert p530.fade_exceedance_deep_percent(a, D, F, HE, HR, HT, K, DN75) == pytest.approx(_hand_pw(a), rel=1e-12)
    del ep


def _hand_any(a, p0, dg=0.0):
    at = 25 + 1.2 * math.log10(p0)                                       # Step 2
    if a >= at:
        return 10 ** (-dg / 10) * p0 * 10 ** (-a / 10)                   # Step 3a (and §2.3.4 Step 3)
    pt = 10 ** (-dg / 10) * p0 * 10 ** (-at / 10)                        # Eq. (14) (§2.3.4 Step 4)
    qa1 = -20 * math.log10(-math.log((100 - pt) / 100)) / at             # Eq. (15)
    qt = (qa1 - 2) / ((1 + 0.3 * 10 ** (-at / 20)) * 10 ** (-0.016 * at)) - 4.3 * (10 ** (-at / 20) + at / 800)
    qa = 2 + (1 + 0.3 * 10 ** (-a / 20)) * 10 ** (-0.016 * a) * (qt + 4.3 * (10 ** (-a / 20) + a / 800))
    return 100 * (1 - math.exp(-(10 ** (-qa * a / 20))))               # Eq. (18)


@pytest.mark.parametrize("a", [0.0, 3.0, 10.0, 20.0, 24.0, 30.0, 50.0])
@pytest.mark.parametrize("p0", [0.05, 1.0, 7.5, 300.0])
def test_worked_any_fade_depth(a, p0):
    assert p530.fade_exceedance_percent(a, p0) == pytest.approx(_hand_any(a, p0), rel=1e-12)
    dg = p530.delta_g_db(D, HE, HR, LAT)
    assert p530.fade_exceedance_percent(a, p0, dg) == pytest.approx(_hand_any(a, p0, dg), rel=1e-12)


def test_shallow_fade_at_zero_db_is_rayleigh_median_point():
    # Eq. (18) at A = 0: 100 (1 - e^-1) = 63.212 % whatever p0
    assert p530.fade_exceedance_percent(0.0, 3.0) == pytest.approx(63.21206, abs=1e-5)


def test_delta_g_by_hand():
    # xi = 31.2: |cos 62.4 deg|^0.7 = 0.46330^0.7 = 0.58358; 10.5 - 5.6 log(1.68358) - 2.7 log 30
    # + 1.7 log(1 + 2.3333) = 10.5 - 1.26691 - 3.98823 + 0.88889 = 6.13376
    assert p530.delta_g_db(D, HE, HR, LAT) == pytest.approx(6.13376, abs=2e-5)
    # xi > 45 takes the minus sign; short high-latitude paths are capped at 10.8 dB
    xi = 60.0
    hand = 10.5 - 5.6 * math.log10(1.1 - abs(math.cos(math.radians(120))) ** 0.7) - 2.7 * math.log10(5) \
        + 1.7 * math.log10(1 + 0.0)
    assert p530.delta_g_db(5.0, 100.0, 100.0, xi) == pytest.approx(min(hand, 10.8))
    assert p530.delta_g_db(1.0, 100.0, 100.0, 70.0) == 10.8


def test_enhancement_by_hand():
    p0 = 5.0
    a001 = 10 * math.log10(p0 / 0.01)                       # deep tail solved for 0.01 %
    e = 15.0
    assert p530.enhancement_not_exceeded_percent(e, p0) == pytest.approx(100 - 10 ** ((-1.7 + 0.2 * a001 - e) / 3.5))
    e = 4.0
    pwp = 100 - 10 ** ((-1.7 + 0.2 * a001 - 10) / 3.5)      # Step 1, E' = 10 dB
    qep = -(20 / 10) * math.log10(-math.log(1 - (100 - pwp) / 58.21))
    qs = 2.05 * qep - 20.3
    qe = 8 + (1 + 0.3 * 10 ** (-e / 20)) * 10 ** (-0.7 * e / 20) * (qs + 12 * (10 ** (-e / 20) + e / 800))
    hand = 100 - 58.21 * (1 - math.exp(-(10 ** (-qe * e / 20))))
    assert p530.enhancement_not_exceeded_percent(e, p0) == pytest.approx(hand, rel=1e-12)


def test_shorter_worst_period_by_hand():
    assert p530.shorter_worst_period_percent(0.01, 1.0) == pytest.approx(0.01 * (89.34 + 0.676))
    assert p530.shorter_worst_period_percent(0.01, 24.0, "hilly") == pytest.approx(0.01 * (119 * 24 ** -0.78 + 0.295))
    assert p530.shorter_worst_period_percent(0.01, 100.0, "hilly-land") == pytest.approx(
        0.01 * (199.85 * 100 ** -0.834 + 0.175))


@settings(max_examples=60, deadline=None)
@given(st.floats(0.01, 1000.0), st.floats(0.0, 60.0), st.floats(0.0, 60.0))
def test_fade_exceedance_monotonic_and_inverse(p0, a1, a2):
    lo, hi = sorted((a1, a2))
    p_lo, p_hi = p530.fade_exceedance_percent([lo, hi], p0)
    assert p_hi <= p_lo * (1 + 1e-12)
    if p_hi > 1e-12 and p_hi < 60.0:
        assert p530.fade_depth_db(p_hi, p0) == pytest.approx(hi, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.01, 100.0), st.floats(0.0, 60.0))
def test_year_below_worst_month(p0, a):
    dg = p530.delta_g_db(D, HE, HR, LAT)
    assert p530.fade_exceedance_percent(a, p0, dg) <= p530.fade_exceedance_percent(a, p0) + 1e-12


# ------------------------------------------------------------------ §2.4 rain worked by hand
def _hand_rain(p, d, f, r001, k, alpha):
    gamma = k * r001 ** alpha                                                   # Step 2 (P.838-3)
    den = 0.477 * d ** 0.633 * r001 ** (0.073 * alpha) * f ** 0.123 - 10.579 * (1 - math.exp(-0.024 * d))
    r = min(1 / den, 2.5) if den > 0.4 else 2.5                                 # Step 3
    a001 = gamma * d * r                                                        # Step 4
    c0 = 0.12 + 0.4 * math.log10((f / 10) ** 0.8) if f >= 10 else 0.12          # Step 5
    c1 = 0.07 ** c0 * 0.12 ** (1 - c0)
    c2 = 0.855 * c0 + 0.546 * (1 - c0)
    c3 = 0.139 * c0 + 0.043 * (1 - c0)
    return a001 * c1 * p ** (-(c2 + c3 * math.log10(p)))


@pytest.mark.parametrize("f, pol", [(7.5, "h"), (13.0, "v"), (18.0, "h"), (23.0, "v"), (38.0, "h")])
@pytest.mark.parametrize("p", [0.001, 0.01, 0.1, 1.0])
def test_worked_rain(f, pol, p):
    from spectrum.propagation.p838 import rain_coefficients
    k, alpha = rain_coefficients(f, 0.0, pol)
    d, r001 = 12.0, 90.0
    got = p530_rain.rain_attenuation_db(p, d, f, r001, 0.0, pol)
    assert got == pytest.approx(_hand_rain(p, d, f, r001, k, alpha), rel=1e-12)
    assert p530_rain.rain_exceedance_percent(got, d, f, r001, 0.0, pol) == pytest.approx(p, rel=1e-9)


def test_rain_short_path_r_capped():
    # d = 0.2 km: the denominator of Step 3 is 0.344 - 0.051 = 0.294 < 0.4, so r = 2.5
    from spectrum.propagation.p838 import specific_attenuation_db_km
    g = specific_attenuation_db_km(38.0, 100.0, 0.0, "h")
    assert p530_rain.rain_attenuation_001_db(0.2, 38.0, 100.0) == pytest.approx(g * 0.2 * 2.5)


def test_rain_scaling_by_hand():
    a1, f1, f2 = 20.0, 18.0, 23.0
    phi1 = f1 ** 2 / (1 + 1e-4 * f1 ** 2)
    phi2 = f2 ** 2 / (1 + 1e-4 * f2 ** 2)
    h = 1.12e-3 * (phi2 / phi1) ** 0.5 * (phi1 * a1) ** 0.55
    assert p530_rain.rain_frequency_scaling_db(a1, f1, f2) == pytest.approx(a1 * (phi2 / phi1) ** (1 - h))
    assert p530_rain.rain_frequency_scaling_db(a1, f1, f1) == pytest.approx(a1)
    av = p530_rain.rain_polarisation_scaling_db(30.0, "v")
    assert av == pytest.approx(300 * 30 / 365)
    assert p530_rain.rain_polarisation_scaling_db(av, "h") == pytest.approx(30.0)


@settings(max_examples=60, deadline=None)
@given(st.floats(1.0, 60.0), st.floats(1.0, 100.0), st.floats(5.0, 200.0))
def test_rain_monotonic(d, f, r):
    a = p530_rain.rain_attenuation_db([0.001, 0.01, 0.1, 1.0], d, f, r)
    assert np.all(np.diff(a) < 0)


# ------------------------------------------------------------------ §4 XPD, §6 diversity by hand
def test_xpd_clear_air_by_hand():
    p0, xpdg, ci = 4.0, 30.0, 15.0
    xpd0 = xpdg + 5                                   # Step 1 (XPDg <= 35)
    p0f = p0 / 100
    eta = 1 - math.exp(-0.2 * p0f ** 0.75)            # Step 2
    q = -10 * math.log10(0.7 * eta / p0f)             # Step 3, one transmit antenna
    m = xpd0 + q - ci                                 # Steps 4-5, no XPIC
    assert p530_rain.xpd_outage_clear_air(p0, xpdg, ci) == pytest.approx(100 * p0f * 10 ** (-m / 10))
    assert p530_rain.xpd_outage_clear_air(p0, 40.0, ci) == pytest.approx(
        p530_rain.xpd_outage_clear_air(p0, 35.0, ci))  # XPD0 = 40 dB above 35 dB
    assert p530_rain.xpd_outage_clear_air(p0, xpdg, ci, xpif_db=20) < p530_rain.xpd_outage_clear_air(p0, xpdg, ci)


def test_xpd_precipitation_by_hand():
    a001, f, ci, u0 = 25.0, 18.0, 15.0, 15.0
    u = u0 + 30 * math.log10(f)
    v = 12.8 * f ** 0.19
    ap = 10 ** ((u - ci) / v)
    m = min(23.26 * math.log10(ap / (0.12 * a001)), 40)
    n = (-12.7 + math.sqrt(161.23 - 4 * m)) / 2
    assert p530_rain.xpd_outage_precipitation(a001, f, ci) == pytest.approx(10 ** n)
    # above 20 GHz V = 22.6
    v = 22.6
    ap = 10 ** ((15 + 30 * math.log10(23) - ci) / v)
    n = (-12.7 + math.sqrt(161.23 - 4 * min(23.26 * math.log10(ap / (0.12 * a001)), 40))) / 2
    assert p530_rain.xpd_outage_precipitation(a001, 23.0, ci) == pytest.approx(10 ** n)


def test_diversity_by_hand():
    a, s, f, d, p0 = 35.0, 10.0, 6.0, 50.0, 5.0
    hand = (1 - math.exp(-3.34e-4 * s ** 0.87 * f ** -0.12 * d ** 0.48 * p0 ** -1.04)) * 10 ** (a / 10)
    assert p530_rain.space_diversity_improvement(a, s, f, d, p0) == pytest.approx(hand)
    assert p530_rain.frequency_diversity_improvement(35.0, 0.2, 6.0, 50.0) == pytest.approx(
        80 / (6 * 50) * (0.2 / 6) * 10 ** 3.5)
    assert p530_rain.space_diversity_improvement(0.0, 1.0, 6.0, 50.0, 5.0) == 1.0


# ------------------------------------------------------------------ hostile input
@pytest.mark.parametrize("call, match", [
    (lambda: p530.fresnel_radius_m(-1, 2, 10), "d1_km"),
    (lambda: p530.fresnel_radius_m(1, 2, float("nan")), "f_ghz"),
    (lambda: p530.multipath_occurrence_factor(0, 10, 1, 1, 0, 1e-4, 40), "d_km"),
    (lambda: p530.multipath_occurrence_factor(10, 10, 1, 1, 0, 5, 40), "k_geo"),
    (lambda: p530.fade_exceedance_percent(-3, 1.0), "a_db"),
    (lambda: p530.fade_depth_db(0, 1.0), "p"),
    (lambda: p530.delta_g_db(10, 1, 1, 95), "lat"),
    (lambda: p530.shorter_worst_period_percent(0.1, 800), "t_hours"),
    (lambda: p530.shorter_worst_period_percent(0.1, 8, "mountain"), "terrain"),
    (lambda: p530_rain.rain_attenuation_db(5, 10, 18, 90), "p"),
    (lambda: p530_rain.rain_attenuation_db(0.01, 80, 18, 90), "d_km"),
    (lambda: p530_rain.rain_attenuation_db(0.01, 10, 18, -1), "r001_mmh"),
    (lambda: p530_rain.rain_frequency_scaling_db(10, 5, 18), "f1_ghz"),
    (lambda: p530_rain.xpd_outage_precipitation(10, 40, 15), "f_ghz"),
    (lambda: p530.clearance_criteria([0, 1], [0, 0], 10, 10, 10, ke_min=0.6, climate="arctic"), "climate"),
    (lambda: p530.path_clearance([0, 2, 1], [0, 0, 0], 10, 10, 10), "d_km"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_selective_outage_by_hand():
    # d = 40 km: tau_m = 0.7 (0.8)^1.3 = 0.523739 ns; p0 = 20 %: eta = 1 - exp(-0.2 x 0.2^0.75) = 0.058060
    p0, d = 20.0, 40.0
    tau_m = 0.7 * (40 / 50) ** 1.3
    eta = 1 - math.exp(-0.2 * 0.2 ** 0.75)
    assert tau_m == pytest.approx(0.523739, abs=1e-6) and eta == pytest.approx(0.058060, abs=1e-6)
    hand = 2.15 * eta * (0.03 * 10 ** (-23 / 20) * tau_m ** 2 / 6.3 + 0.03 * 10 ** (-22 / 20) * tau_m ** 2 / 6.3)
    got = p530.selective_outage_probability(p0, d, w_m_ghz=0.03, b_m_db=23, tau_r_m_ns=6.3, w_nm_ghz=0.03,
                                            b_nm_db=22, tau_r_nm_ns=6.3)
    assert got == pytest.approx(hand, rel=1e-12)
    kn = p530.selective_outage_probability(p0, d, kn_m=1.0, kn_nm=1.2, t_ns=10.0)
    assert kn == pytest.approx(2.15 * eta * 2.2 * tau_m ** 2 / 100.0, rel=1e-12)
    with pytest.raises(ValueError, match="signature"):
        p530.selective_outage_probability(p0, d, w_m_ghz=0.03)


def test_dn65_map_inputs():
    with pytest.raises(ValueError, match="P.453-12 dN65 map percentages"):
        p530.refractivity_gradient_dn65(31.0, 121.0, 3.0)
    with pytest.raises(ValueError, match="lat"):
        p530.refractivity_gradient_dn65(95.0, 121.0, 99.9)
