"""Broadcast planning criteria against values read from published texts (docs/broadcast.md lists the
source of each), and the mechanics of the values that could not be verified."""
import math

import numpy as np
import pytest

from spectrum.broadcast import criteria

K_T0 = 1.380649e-23 * 290.0


# ---- BS.412: stereo minimum field strengths (BS.412 as quoted: 54 / 66 / 74 dB(uV/m) at 10 m) ----

@pytest.mark.parametrize("environment, want", [("rural", 54.0), ("urban", 66.0), ("large city", 74.0)])
def test_fm_stereo_minimum_field_strength_bs412(environment, want):
    assert criteria.min_field_strength_dbuvm("fm", 98.0, fm_reception="stereo", environment=environment) == want


# ---- BT.2036-5 Tables 26-27: fixed rooftop antenna gain and feeder loss by band ----

@pytest.mark.parametrize("f_mhz, band, g_dbd, lf_db", [
    (174.0, "III", 7.0, 2.0), (200.0, "III", 7.0, 2.0), (230.0, "III", 7.0, 2.0),
    (470.0, "IV", 10.0, 3.0), (581.9, "IV", 10.0, 3.0), (582.0, "V", 12.0, 5.0), (862.0, "V", 12.0, 5.0)])
def test_reference_fixed_antenna_bt2036(f_mhz, band, g_dbd, lf_db):
    assert criteria.reference_fixed_antenna(f_mhz) == (band, g_dbd, lf_db)


def _emin_by_hand(f_mhz, cn, nf, bw_hz, g_dbd, lf):
    lam = 299792458.0 / (f_mhz * 1e6)
    aa = g_dbd + 2.15 + 10 * math.log10(lam ** 2 / (4 * math.pi))
    return cn + nf + 10 * math.log10(K_T0 * bw_hz) - aa + lf + 120.0 + 10 * math.log10(120 * math.pi)


@pytest.mark.parametrize("f_mhz, g_dbd, lf_db", [(200.0, 7.0, 2.0), (500.0, 10.0, 3.0), (700.0, 12.0, 5.0)])
def test_dvbt_emin_uses_the_band_antenna(f_mhz, g_dbd, lf_db):
    want = _emin_by_hand(f_mhz, 21.0, 7.0, 7.61e6, g_dbd, lf_db)
    assert criteria.min_field_strength_dbuvm("dvb-t", f_mhz, median=False) == pytest.approx(want, abs=1e-9)


def test_explicit_antenna_overrides_the_band_values():
    want = _emin_by_hand(200.0, 21.0, 7.0, 7.61e6, 10.0, 3.0)
    got = criteria.min_field_strength_dbuvm("dvb-t", 200.0, median=False, g_dbd=10.0, feeder_db=3.0)
    assert got == pytest.approx(want, abs=1e-9)
    # T-DAB keeps its own mobile antenna (-5 dBd, no feeder) in Band III
    want = _emin_by_hand(220.0, 15.0, 7.0, 1.536e6, -5.0, 0.0)
    assert criteria.min_field_strength_dbuvm("dab", 220.0, median=False) == pytest.approx(want, abs=1e-9)


def test_aperture_with_2_15_db_equals_the_1_64_form_within_0_002_db():
    """A_a = G[dBd] + 2.15 + 10 log(lambda^2/4pi) versus G + 10 log(1.64 lambda^2 / 4pi) (BT.2033 form)."""
    assert abs(2.15 - 10 * math.log10(1.64)) < 0.002


# ---- GE06: location correction, sigma 5.5 dB (RPC 1 / 2) and Qi of A.2.1.12 Eqs. (26a)-(26d) ----

def _qi_ge06(x):
    c0, c1, c2, d1, d2, d3 = 2.515517, 0.802853, 0.010328, 1.432788, 0.189269, 0.001308

    def t(z):
        return math.sqrt(-2.0 * math.log(z))

    def xi(z):
        tt = t(z)
        return (c0 + c1 * tt + c2 * tt * tt) / (1.0 + d1 * tt + d2 * tt * tt + d3 * tt ** 3)

    return t(x) - xi(x) if x <= 0.5 else -(t(1.0 - x) - xi(1.0 - x))


def test_fixed_reception_sigma_is_ge06_rpc1():
    assert criteria.SYSTEMS["dvb-t"].sigma_db == 5.5
    assert criteria.SYSTEMS["dtmb"].sigma_db == 5.5


@pytest.mark.parametrize("pl", [70.0, 90.0, 95.0, 99.0, 50.0, 30.0])
def test_location_correction_is_mu_sigma_with_ge06_qi(pl):
    mu = _qi_ge06(1.0 - pl / 100.0)  # GE06: mu = Qi(1 - x/100)
    assert criteria.location_correction_db(pl, 5.5) == pytest.approx(mu * 5.5, abs=1e-9)


def test_median_adds_mmn_building_and_location_correction():
    s = criteria.system("dvb-t", mmn_db=2.0, building_db=11.0, sigma_db=6.3, pl=95.0)
    emin = criteria.min_field_strength_dbuvm(s, 650.0, median=False)
    med = criteria.min_field_strength_dbuvm(s, 650.0)
    assert med - emin == pytest.approx(2.0 + 11.0 + _qi_ge06(0.05) * 6.3, abs=1e-9)


# ---- FM protection ratios: the 25 kHz points as ITU-D SMS4DC codes the +-75 kHz curves ----
# (SMS4DC_0/GE84_Functions.cpp, SM851_TABLE_1213 with Df = 75 and an FM interferer: rows
# aMSF75, aMTF75, aSSF75, aSTF75 at 0, 25, 50 ... 400 kHz)

SMS4DC_75 = {
    ("mono", "steady"): [36, 31, 24, 16, 12, 9.5, 8, 7, 6, 4.5, 2, -2, -7, -11.5, -15, -17.5, -20],
    ("mono", "tropospheric"): [28, 27, 22, 16, 12, 9.5, 8, 7, 6, 4.5, 2, -2, -7, -11.5, -15, -17.5, -20],
    ("stereo", "steady"): [45, 51, 51, 45, 33, 24.5, 18, 11, 7, 4.5, 2, -2, -7, -11.5, -15, -17.5, -20],
    ("stereo", "tropospheric"): [37, 43, 43, 37, 25, 18, 14, 10, 7, 4.5, 2, -2, -7, -11.5, -15, -17.5, -20],
}


@pytest.mark.parametrize("key", sorted(SMS4DC_75))
def test_fm_protection_ratios_equal_sms4dc_at_25_khz_points(key):
    offsets = np.arange(0.0, 401.0, 25.0)
    assert criteria.fm_protection_ratio_db(offsets, *key) == pytest.approx(SMS4DC_75[key], abs=1e-12)


@pytest.mark.parametrize("reception", ["mono", "stereo"])
@pytest.mark.parametrize("kind", ["steady", "tropospheric"])
def test_fm_protection_ratio_mechanics(reception, kind):
    table = criteria.FM_PR_DB[(reception, kind)]
    f = criteria.FM_SPACING_KHZ
    got = criteria.fm_protection_ratio_db(f, reception, kind)
    assert got == pytest.approx(table)                      # the 25 kHz points themselves
    assert criteria.fm_protection_ratio_db(-f, reception, kind) == pytest.approx(table)  # sign-symmetric
    mid = criteria.fm_protection_ratio_db(f[:-1] + 12.5, reception, kind)
    assert mid == pytest.approx(0.5 * (table[:-1] + table[1:]))  # linear between points
    assert criteria.fm_protection_ratio_db([400.0, 450.0, 1000.0], reception, kind) == pytest.approx([table[-1]] * 3)


def test_fm_protection_ratio_bad_names():
    with pytest.raises(ValueError, match="reception"):
        criteria.fm_protection_ratio_db(0.0, "quad", "steady")
    with pytest.raises(ValueError, match="kind"):
        criteria.fm_protection_ratio_db(0.0, "stereo", "sporadic-E")


def test_reference_fixed_antenna_rejects_out_of_model_frequencies():
    with pytest.raises(ValueError, match="f_mhz"):
        criteria.reference_fixed_antenna(10.0)
    with pytest.raises(ValueError, match="f_mhz"):
        criteria.reference_fixed_antenna(float("nan"))


def test_presets_leave_antenna_to_the_band():
    assert criteria.SYSTEMS["dvb-t"].g_dbd is None and criteria.SYSTEMS["dvb-t"].feeder_db is None
    assert criteria.SYSTEMS["dab"].g_dbd == -5.0
    assert np.isfinite(criteria.min_field_strength_dbuvm("dtmb", 602.0))
