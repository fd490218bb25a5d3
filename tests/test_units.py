"""Tests of spectrum.units: published constants, dB round trips (hypothesis), bad input."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spectrum import units as u

finite_db = st.floats(min_value=-300.0, max_value=300.0, allow_nan=False)
freq_mhz = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)


# ---- published values ---------------------------------------------------------------------

def test_ktb_290k_published():
    # k*T0 = -203.98 dBW/Hz (the "-204 dBW/Hz" of Rec. ITU-R P.372); in 1 kHz: -173.98 dBW
    assert u.noise_dbw(1e-3, 0.0) == pytest.approx(-203.98, abs=0.01)
    assert u.noise_dbw(1.0, 0.0) == pytest.approx(-173.98, abs=0.01)
    # noise figure adds, bandwidth scales 10 log B
    assert u.noise_dbw(200.0, 7.0) - u.noise_dbw(1.0, 0.0) == pytest.approx(7.0 + 10 * math.log10(200.0))
    # temperature scales 10 log T
    assert u.noise_dbw(1.0, 0.0, t_k=2900.0) - u.noise_dbw(1.0, 0.0) == pytest.approx(10.0)


def test_field_strength_constant_matches_p525_rounded():
    # P.525-4: E = Pr + 20 log f(MHz) + 107.2 (rounded); ours is the unrounded 107.22
    assert u.E_PR_CONST_DB == pytest.approx(107.2, abs=0.05)
    assert u.e_dbuvm_from_pr_dbw(0.0, 1.0) == pytest.approx(u.E_PR_CONST_DB)


def test_field_strength_1kw_erp_matches_p1546():
    # Rec. ITU-R P.1546-6 Annex 5 Eq.: E = 139.3 - Lb + 20 log f for 1 kW e.r.p.
    f = np.array([100.0, 600.0, 2000.0])
    lb = np.array([120.0, 140.0, 150.0])
    e = u.e_dbuvm_from_eirp_dbw(u.eirp_dbw_from_erp_dbw(30.0), lb, f)
    np.testing.assert_allclose(e, 139.3 - lb + 20 * np.log10(f), atol=0.1)


def test_field_strength_from_first_principles():
    # S = E^2 / (120 pi), Pr = S * lambda^2 / (4 pi) for an isotropic antenna
    e_vm = 1e-3  # 1 mV/m = 60 dBuV/m
    f = 100.0
    lam = 299.792458 / f
    pr_w = e_vm ** 2 / (120 * math.pi) * lam ** 2 / (4 * math.pi)
    assert u.e_dbuvm_from_pr_dbw(10 * math.log10(pr_w), f) == pytest.approx(60.0, abs=1e-9)
    assert u.pfd_dbw_m2_from_e_dbuvm(60.0) == pytest.approx(10 * math.log10(e_vm ** 2 / (120 * math.pi)))


def test_simple_conversions():
    assert u.dbw_from_w(1000.0) == pytest.approx(30.0)
    assert u.dbw_from_w(0.0) == -np.inf
    assert u.w_from_dbw(-30.0) == pytest.approx(1e-3)
    assert u.dbm_from_dbw(0.0) == 30.0
    assert u.dbw_from_dbm(30.0) == 0.0
    assert u.dbm_from_w(1e-3) == pytest.approx(0.0)
    assert u.w_from_dbm(30.0) == pytest.approx(1.0)
    assert u.eirp_dbw_from_erp_dbw(0.0) == pytest.approx(2.15)
    assert u.erp_dbw_from_eirp_dbw(2.15) == pytest.approx(0.0)
    assert u.wavelength_m_from_f_mhz(299.792458) == pytest.approx(1.0)
    assert u.f_mhz_from_wavelength_m(0.5) == pytest.approx(599.584916)


def test_array_in_array_out():
    p = np.array([[1.0, 10.0], [100.0, 1000.0]])
    out = u.dbw_from_w(p)
    assert out.shape == (2, 2) and out.dtype == np.float64
    np.testing.assert_allclose(out, [[0, 10], [20, 30]])
    assert isinstance(u.dbm_from_dbw(1.0), float)


# ---- db_sum -------------------------------------------------------------------------------

def test_db_sum_rules():
    assert u.db_sum([0.0, 0.0]) == pytest.approx(10 * math.log10(2))
    assert u.db_sum([10.0]) == pytest.approx(10.0)
    assert u.db_sum([-np.inf, 3.0]) == pytest.approx(3.0)
    assert u.db_sum([-np.inf, -np.inf]) == -np.inf
    assert u.db_sum([]) == -np.inf
    # extreme levels do not overflow / underflow
    assert u.db_sum([-400.0, -400.0]) == pytest.approx(-400.0 + 10 * math.log10(2))
    assert u.db_sum([400.0, 0.0]) == pytest.approx(400.0)
    a = np.array([[0.0, 0.0, 0.0], [10.0, -np.inf, 10.0]])
    np.testing.assert_allclose(u.db_sum(a, axis=1), [10 * math.log10(3), 10 + 10 * math.log10(2)])
    np.testing.assert_allclose(u.db_sum(a, axis=0), [u.db_sum([0, 10]), 0.0, u.db_sum([0, 10])])


@given(st.lists(finite_db, min_size=1, max_size=30))
def test_db_sum_matches_linear_sum_and_bounds(xs):
    s = u.db_sum(xs)
    assert s >= max(xs) - 1e-9
    assert s <= max(xs) + 10 * math.log10(len(xs)) + 1e-9
    # linear sum, relative to the max to stay in range
    m = max(xs)
    lin = sum(10 ** ((x - m) / 10) for x in xs)
    assert s == pytest.approx(m + 10 * math.log10(lin), abs=1e-9)
    assert u.db_sum(list(reversed(xs))) == pytest.approx(s, abs=1e-9)


def test_db_sum_rejects_nan():
    with pytest.raises(ValueError, match="NaN"):
        u.db_sum([1.0, np.nan])


# ---- round trips ----------------------------------------------------------------------------

@given(st.floats(min_value=1e-30, max_value=1e30))
def test_w_dbw_round_trip(p):
    assert u.w_from_dbw(u.dbw_from_w(p)) == pytest.approx(p, rel=1e-12)
    assert u.w_from_dbm(u.dbm_from_w(p)) == pytest.approx(p, rel=1e-12)


@given(finite_db)
def test_dbm_dbw_erp_round_trip(x):
    assert u.dbw_from_dbm(u.dbm_from_dbw(x)) == pytest.approx(x, abs=1e-12)
    assert u.erp_dbw_from_eirp_dbw(u.eirp_dbw_from_erp_dbw(x)) == pytest.approx(x, abs=1e-12)


@given(finite_db, freq_mhz)
def test_field_strength_round_trip(pr, f):
    e = u.e_dbuvm_from_pr_dbw(pr, f)
    assert u.pr_dbw_from_e_dbuvm(e, f) == pytest.approx(pr, abs=1e-9)
    assert u.e_dbuvm_from_pfd_dbw_m2(u.pfd_dbw_m2_from_e_dbuvm(e)) == pytest.approx(e, abs=1e-9)


@given(finite_db, st.floats(min_value=0.0, max_value=400.0), freq_mhz)
def test_eirp_field_strength_round_trip(eirp, lb, f):
    e = u.e_dbuvm_from_eirp_dbw(eirp, lb, f)
    assert u.eirp_dbw_from_e_dbuvm(e, lb, f) == pytest.approx(eirp, abs=1e-9)
    # 1 dB more loss, 1 dB less field
    assert u.e_dbuvm_from_eirp_dbw(eirp, lb + 1.0, f) == pytest.approx(e - 1.0, abs=1e-9)


@given(freq_mhz)
@settings(max_examples=50)
def test_wavelength_round_trip(f):
    assert u.f_mhz_from_wavelength_m(u.wavelength_m_from_f_mhz(f)) == pytest.approx(f, rel=1e-12)


# ---- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("call, match", [
    (lambda: u.dbw_from_w(-1.0), "p_w = -1"),
    (lambda: u.e_dbuvm_from_pr_dbw(-100.0, 0.0), "f_mhz = 0"),
    (lambda: u.e_dbuvm_from_pr_dbw(-100.0, -5.0), "f_mhz = -5"),
    (lambda: u.noise_dbw(0.0, 3.0), "bw_khz = 0"),
    (lambda: u.noise_dbw(10.0, -1.0), "nf_db = -1"),
    (lambda: u.noise_dbw(10.0, 1.0, t_k=0.0), "t_k = 0"),
    (lambda: u.wavelength_m_from_f_mhz("abc"), "f_mhz"),
    (lambda: u.dbm_from_dbw("abc"), "p_dbw"),
])
def test_bad_input_names_the_value(call, match):
    with pytest.raises(ValueError, match=match):
        call()
