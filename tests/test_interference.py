"""Interference budget: kTB noise, the DESIGN.md convention, power-sum aggregation, margins,
and the path-elevation kernel against a plain Python oracle."""
from __future__ import annotations

import math

import numpy as np
import pytest

from spectrum.interference import (K_BOLTZMANN, aggregate_by_group_dbw, aggregate_dbw, interference_dbw, margin_db,
                                   noise_dbw)
from spectrum.kernels.interference import path_elevations, zones_along


def test_noise_ktb():
    # k T0 = 1.380649e-23 * 290 = 4.0039e-21 W/Hz = -203.98 dBW/Hz; 1 MHz: -143.98 dBW
    assert float(noise_dbw(1000.0, 0.0)) == pytest.approx(10 * math.log10(K_BOLTZMANN * 290 * 1e6), abs=1e-12)
    assert float(noise_dbw(1000.0, 0.0)) == pytest.approx(-143.975, abs=1e-3)
    assert float(noise_dbw(25.0, 7.0)) == pytest.approx(-143.975 + 10 * math.log10(0.025) + 7.0, abs=1e-3)
    assert float(noise_dbw(1000.0, 0.0, t_k=580.0)) == pytest.approx(-143.975 + 10 * math.log10(2), abs=1e-3)


@pytest.mark.parametrize("bw,nf,match", [(-25.0, 5.0, "bw_khz"), (0.0, 5.0, "bw_khz"), (25.0, -1.0, "nf_db")])
def test_noise_bad_input(bw, nf, match):
    with pytest.raises(ValueError, match=match):
        noise_dbw(bw, nf)


def test_interference_convention():
    # 30 dBW EIRP, 10 dB off the interferer's boresight, Lb 150, victim 20 dBi, 2 dB feeder, FDR 6
    i = interference_dbw(30.0, 150.0, gt_rel_db=-10.0, gr_dbi=20.0, feeder_loss_r_db=2.0, fdr_db=6.0)
    assert float(i) == pytest.approx(30 - 10 - 150 + 20 - 2 - 6)


def test_aggregate_is_power_sum_not_db_sum():
    assert float(aggregate_dbw([-120.0, -120.0])) == pytest.approx(-120 + 10 * math.log10(2))
    assert float(aggregate_dbw([-100.0, -110.0, -120.0])) == pytest.approx(
        10 * math.log10(1e-10 + 1e-11 + 1e-12))
    assert float(aggregate_dbw([-120.0, -120.0])) != pytest.approx(-240.0)
    assert float(aggregate_dbw([-np.inf, -130.0])) == pytest.approx(-130.0)
    assert aggregate_dbw([-np.inf, -np.inf]) == -np.inf
    # no overflow / underflow with extreme values
    assert float(aggregate_dbw([-400.0, -400.0])) == pytest.approx(-400 + 10 * math.log10(2))
    np.testing.assert_allclose(aggregate_dbw(np.array([[-120.0, -120.0], [-100.0, -np.inf]]), axis=1),
                               [-120 + 10 * math.log10(2), -100.0])


def test_aggregate_by_group():
    v = np.array([-120.0, -120.0, -100.0, -np.inf])
    g = np.array([0, 0, 1, 2])
    out = aggregate_by_group_dbw(v, g, 3)
    np.testing.assert_allclose(out[:2], [-120 + 10 * math.log10(2), -100.0])
    assert out[2] == -np.inf


def test_margins():
    assert float(margin_db("I/N", -10.0, -150.0, n_dbw=-140.0)) == pytest.approx(0.0)
    assert float(margin_db("I/N", -6.0, -150.0, n_dbw=-140.0)) == pytest.approx(4.0)
    assert float(margin_db("C/I", 20.0, -120.0, c_dbw=-95.0)) == pytest.approx(5.0)
    with pytest.raises(ValueError, match="criterion"):
        margin_db("C/N", 10.0, -120.0, n_dbw=-140.0)
    with pytest.raises(ValueError, match="n_dbw"):
        margin_db("I/N", -10.0, -120.0)


def _elev_oracle(d, h, hts, hrs, ae):
    dt = d[-1]
    tt = (hrs - hts) / (1000 * dt) - dt / (2 * ae)
    tr = (hts - hrs) / (1000 * dt) - dt / (2 * ae)
    for di, hi in zip(d[1:-1], h[1:-1]):
        tt = max(tt, (hi - hts) / (1000 * di) - di / (2 * ae))
        tr = max(tr, (hi - hrs) / (1000 * (dt - di)) - (dt - di) / (2 * ae))
    return math.degrees(tt), math.degrees(tr)


def test_path_elevations_against_oracle():
    rng = np.random.default_rng(1)
    n = np.array([50, 120, 7], dtype=np.int64)
    d = np.zeros((3, 120))
    h = np.zeros((3, 120))
    for i, m in enumerate(n):
        d[i, :m] = np.linspace(0, 5.0 * (i + 1), m)
        h[i, :m] = rng.uniform(0, 200, m)
    hts = h[np.arange(3), 0] + 30.0
    hrs = h[np.arange(3), n - 1] + 10.0
    et, er = np.zeros(3), np.zeros(3)
    ae = 8500.0
    path_elevations(d, h, n, hts, hrs, ae, et, er)
    for i, m in enumerate(n):
        ot, orr = _elev_oracle(d[i, :m], h[i, :m], hts[i], hrs[i], ae)
        assert et[i] == pytest.approx(ot, abs=1e-12)
        assert er[i] == pytest.approx(orr, abs=1e-12)


def test_zones_along_against_oracle():
    zmap = np.array([[2, 1, 3, 3], [2, 1, 1, 3]], dtype=np.int8)   # lat 0..1, lon 0..3 (1 deg cells)
    lat = np.array([[0.1, 0.2, 0.4, 0.9, 1.0], [0.0, 0.0, 0.0, 0.0, 0.0]])
    lon = np.array([[0.0, 0.9, 2.2, 2.6, 3.0], [0.0, 0.4, 1.4, 0.0, 0.0]])
    d = np.array([[0.0, 1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 2.0, 0.0, 0.0]])
    n = np.array([5, 3], dtype=np.int64)
    zone, dct, dcr = np.empty((2, 5)), np.empty(2), np.empty(2)
    zones_along(zmap, 0.0, 1.0, 0.0, 1.0, lat, lon, d, n, zone, dct, dcr)
    np.testing.assert_array_equal(zone[0], [2, 1, 3, 3, 3])      # nearest cells (0,0) (0,1) (0,2) (1,3) (1,3)
    np.testing.assert_array_equal(zone[1], [2, 2, 1, 2, 2])      # padding beyond n -> 2
    assert dct[0] == 2.0 and dcr[0] == 0.0                       # first sea sample at 2 km; Rx at sea
    assert dct[1] == 500.0 and dcr[1] == 500.0                   # no sea on the path


# ------------------------------------------------------------------ properties
hyp = pytest.importorskip("hypothesis")
from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-250.0, 50.0), min_size=1, max_size=20))
def test_aggregate_bounds(values):
    """max(I) <= aggregate <= max(I) + 10 log10(n), order independent."""
    agg = float(aggregate_dbw(values))
    assert max(values) - 1e-9 <= agg <= max(values) + 10 * math.log10(len(values)) + 1e-9
    assert float(aggregate_dbw(values[::-1])) == pytest.approx(agg, abs=1e-9)


def test_aggregate_dbw_empty_and_bad_input():
    # no interferers at all is no interference (was numpy's 'zero-size array to reduction' error)
    assert aggregate_dbw([]) == -np.inf
    np.testing.assert_array_equal(aggregate_dbw(np.empty((3, 0)), axis=1), [-np.inf] * 3)
    with pytest.raises(ValueError, match="i_dbw contains NaN"):
        aggregate_dbw([-100.0, np.nan])
    with pytest.raises(ValueError, match=r"\+inf"):
        aggregate_dbw([-100.0, np.inf])
    with pytest.raises(ValueError, match="not numeric"):
        aggregate_dbw(["loud"])


def test_aggregate_by_group_dbw_checks_groups():
    # a group index >= n_groups used to be written past the end of the kernel's accumulator
    # (silently lost, memory outside the array overwritten); NaN entries were silently dropped
    np.testing.assert_allclose(aggregate_by_group_dbw([-100.0, -100.0, -90.0], [0, 0, 2], 3),
                               [-100.0 + 10 * math.log10(2), -np.inf, -90.0])
    with pytest.raises(ValueError, match=r"group = 5 is outside \[0, 2\)"):
        aggregate_by_group_dbw([-100.0, -90.0], [0, 5], 2)
    with pytest.raises(ValueError, match=r"group = -1 is outside"):
        aggregate_by_group_dbw([-100.0, -90.0], [0, -1], 2)
    with pytest.raises(ValueError, match="must match i_dbw"):
        aggregate_by_group_dbw([-100.0, -90.0], [0], 2)
    with pytest.raises(ValueError, match="integer group indices"):
        aggregate_by_group_dbw([-100.0, -90.0], [0, 0.5], 2)
    with pytest.raises(ValueError, match="i_dbw contains NaN"):
        aggregate_by_group_dbw([-100.0, np.nan], [0, 1], 2)
    with pytest.raises(ValueError, match="n_groups"):
        aggregate_by_group_dbw([-100.0], [0], 1.5)


# ------------------------------------------------------------------ SM.2028 criteria (issue #14)
from hypothesis import given, settings, strategies as st  # noqa: E402

from spectrum.interference import max_interference_dbw, power_sum_dbw  # noqa: E402


@settings(max_examples=80, deadline=None)
@given(n=st.floats(-160, -100), c=st.floats(-140, -40), t=st.floats(1.0, 30.0))
def test_max_interference_just_meets_each_criterion(n, c, t):
    # at I = I_max the criterion holds with equality
    i = float(max_interference_dbw("I/N", -t, n))
    assert i - n == pytest.approx(-t)
    i = float(max_interference_dbw("C/I", t, n, c))
    assert c - i == pytest.approx(t)
    i = float(max_interference_dbw("(N+I)/N", t, n))
    assert 10 * np.log10(10 ** (n / 10) + 10 ** (i / 10)) - n == pytest.approx(t, abs=1e-9)
    i = float(max_interference_dbw("C/(N+I)", t, n, c))
    if c - t > n + 1e-6:
        assert c - 10 * np.log10(10 ** (n / 10) + 10 ** (i / 10)) == pytest.approx(t, abs=1e-6)
    else:
        assert i == -np.inf                          # noise-limited: no interference is tolerable


def test_margin_db_four_criteria_and_classic_forms():
    assert margin_db("I/N", -10.0, -130.0, n_dbw=-125.0) == pytest.approx(-5.0)
    assert margin_db("C/I", 20.0, -130.0, c_dbw=-100.0) == pytest.approx(10.0)
    assert margin_db("(N+I)/N", 1.0, -140.0, n_dbw=-130.0) == pytest.approx(-130 + 10 * np.log10(10 ** 0.1 - 1) + 140)
    with pytest.raises(ValueError, match="C/\\(N\\+I\\) margin needs c_dbw"):
        margin_db("C/(N+I)", 10.0, -130.0, n_dbw=-140.0)
    with pytest.raises(ValueError, match="criterion"):
        max_interference_dbw(["I/N", "S/N"], [-10.0, 3.0], -140.0)


def test_power_sum_elementwise():
    np.testing.assert_allclose(power_sum_dbw([-100.0, -np.inf], [-100.0, -90.0]), [-100 + 10 * np.log10(2), -90.0])
    assert power_sum_dbw(-np.inf, -np.inf) == -np.inf
