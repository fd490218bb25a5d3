"""Spectrum masks and SM.337-6 FDR: analytic rectangular cases, the closed-form integration
against the plain grid oracle, symmetry/monotonicity, and bad masks."""
from __future__ import annotations

import math

import numpy as np
import pytest

from spectrum.masks import FDRCache, Mask, fdr_db, ofr_db, otr_db


def test_identical_rectangles_on_tune_is_zero():
    t, r = Mask.rectangular(200.0, "tx"), Mask.rectangular(200.0, "rx")
    assert otr_db(t, r) == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("df_khz,expected", [
    (50.0, 10 * math.log10(200 / 150)),   # 150 kHz of 200 overlap
    (100.0, 10 * math.log10(2.0)),        # half overlap: 3.01 dB
    (150.0, 10 * math.log10(4.0)),
    (-150.0, 10 * math.log10(4.0)),
    (199.0, 10 * math.log10(200.0)),
])
def test_rectangles_known_offsets(df_khz, expected):
    t, r = Mask.rectangular(200.0, "tx"), Mask.rectangular(200.0, "rx")
    assert float(fdr_db(t, r, df_khz)) == pytest.approx(expected, abs=1e-4)


def test_wide_transmitter_into_narrow_receiver_otr():
    # OTR = 10 log(Bt / Br) for a flat Tx spectrum wider than the Rx passband
    assert otr_db(Mask.rectangular(200.0), Mask.rectangular(25.0, "rx")) == pytest.approx(10 * math.log10(8), abs=1e-4)
    # narrow Tx entirely inside a wide Rx: no on-tune rejection
    assert otr_db(Mask.rectangular(25.0), Mask.rectangular(200.0, "rx")) == pytest.approx(0.0, abs=1e-6)


def test_stop_band_floor_gives_its_attenuation():
    # all Tx power falls where the Rx attenuates 60 dB
    rx = Mask((0.0, 500.0, 500.001, 5000.0), (0.0, 0.0, 60.0, 60.0), "rx")
    assert float(fdr_db(Mask.rectangular(1000.0), rx, 2000.0)) == pytest.approx(60.0, abs=1e-6)


def test_sloped_skirt_closed_form():
    # flat 100 kHz Tx, Rx attenuation rising linearly a dB per kHz beyond its 100 kHz edge:
    # integral of 10^(-a x/10) over the Tx band shifted fully onto the skirt (x from 0 to 100)
    a = 0.2
    rx = Mask((0.0, 50.0, 1050.0), (0.0, 0.0, a * 1000.0), "rx")
    tx = Mask.rectangular(100.0)
    k = a * math.log(10) / 10
    expected = 10 * math.log10(100.0 / ((1 - math.exp(-k * 100.0)) / k))
    assert float(fdr_db(tx, rx, -100.0)) == pytest.approx(expected, abs=1e-6)


def test_exact_matches_grid_oracle_on_generic_masks():
    tx, rx = Mask.generic_tx(200.0), Mask.generic_rx(12.5)
    df = np.array([0.0, 50.0, 150.0, 400.0, 1000.0, -300.0])
    np.testing.assert_allclose(fdr_db(tx, rx, df), fdr_db(tx, rx, df, method="grid"), atol=0.01)


def test_fdr_symmetric_monotone_and_ofr():
    tx, rx = Mask.generic_tx(25.0), Mask.generic_rx(25.0)
    df = np.linspace(0.0, 250.0, 101)
    f = fdr_db(tx, rx, df)
    np.testing.assert_allclose(f, fdr_db(tx, rx, -df), atol=1e-9)
    assert np.all(np.diff(f) >= -1e-9)
    assert float(ofr_db(tx, rx, 0.0)) == pytest.approx(0.0, abs=1e-12)
    assert np.all(f >= 0.0)


def test_generic_tx_mask_shape():
    m = Mask.generic_tx(100.0)
    # 40 log10(F/50 + 1): F = 50 % of B beyond the edge (100 kHz from the centre) -> 12.04 dB
    assert float(m.attenuation_at(100.0)) == pytest.approx(40 * math.log10(2.0))
    assert float(m.attenuation_at(-100.0)) == pytest.approx(40 * math.log10(2.0))
    assert float(m.attenuation_at(400.0)) == 60.0
    assert m.bandwidth_khz(0.0) == pytest.approx(100.0, abs=0.1)


def test_cache_equals_direct():
    tx, rx = Mask.generic_tx(200.0), Mask.generic_rx(200.0)
    c = FDRCache()
    df = np.array([0.0, 200.0, -200.0, 200.0, 350.0])
    np.testing.assert_allclose(c(tx, rx, df), fdr_db(tx, rx, df), atol=1e-6)
    np.testing.assert_allclose(c(tx, rx, df), fdr_db(tx, rx, df), atol=1e-6)  # from the memo


def test_register_dict_round_trip():
    d = {"name": "fm-rx", "kind": "rx", "offset_khz": [0, 100, 200], "attenuation_db": [0, 3, 40]}
    m = Mask.from_register(d)
    assert m.to_dict() == {**d, "offset_khz": [0.0, 100.0, 200.0], "attenuation_db": [0.0, 3.0, 40.0]}


@pytest.mark.parametrize("off,att,match", [
    ((0.0, 100.0, 50.0), (0.0, 3.0, 10.0), "ascending"),
    ((0.0, 100.0), (0.0, -3.0), "attenuation_db"),
    ((0.0, 100.0, 200.0), (0.0, 3.0), "same length"),
    ((0.0, float("nan")), (0.0, 3.0), "offset_khz"),
])
def test_bad_masks(off, att, match):
    with pytest.raises(ValueError, match=match):
        Mask(off, att)


def test_bad_bandwidth_and_method():
    with pytest.raises(ValueError, match="bw_khz"):
        Mask.generic_tx(-25.0)
    with pytest.raises(ValueError, match="method"):
        fdr_db(Mask.rectangular(10.0), Mask.rectangular(10.0, "rx"), 0.0, method="simpson")


# ------------------------------------------------------------------ properties
hyp = pytest.importorskip("hypothesis")
from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None)
@given(bt=st.floats(1.0, 500.0), br=st.floats(1.0, 500.0), df=st.floats(-2000.0, 2000.0))
def test_fdr_properties(bt, br, df):
    """FDR >= OTR >= 0 for normalised masks, symmetric in df, and exact vs grid agree."""
    tx, rx = Mask.generic_tx(bt), Mask.generic_rx(br)
    f = float(fdr_db(tx, rx, df))
    assert f >= otr_db(tx, rx) - 1e-9 >= -1e-9
    assert float(fdr_db(tx, rx, -df)) == pytest.approx(f, abs=1e-9)
    assert float(fdr_db(tx, rx, df, method="grid")) == pytest.approx(f, abs=0.05)


@pytest.mark.parametrize("d,match", [
    ({"name": "m"}, r"mask 'm' is missing \['offset_khz', 'attenuation_db'\]"),
    ({"offset_khz": 5, "attenuation_db": 3}, "must be sequences of numbers"),
    ([0, 1], "must be a mapping"),
])
def test_from_register_bad_dict(d, match):
    # a malformed mask dict used to raise KeyError / TypeError
    with pytest.raises(ValueError, match=match):
        Mask.from_register(d)
