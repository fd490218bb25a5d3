"""Free-space loss, Rec. ITU-R P.525-4."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spectrum.propagation.p525 import C_M_S, free_space_loss_db


def test_textbook_values():
    # 1 km at 1 GHz: 20 log10(4 pi 1000 / 0.299792458) = 92.4478 dB
    assert free_space_loss_db(1.0, 1000.0) == pytest.approx(92.4478, abs=1e-4)
    # P.525-4 Eq. (7): 32.4 + 20 log f + 20 log d (the constant rounded)
    assert free_space_loss_db(10.0, 100.0) == pytest.approx(32.4 + 40.0 + 20.0, abs=0.05)
    # the c = 2.998e8 m/s constant used by P.452-17/18 (92.45 for f in GHz and d in km)
    assert free_space_loss_db(1.0, 1000.0, c_m_s=2.998e8) == pytest.approx(
        20 * math.log10(4 * math.pi * 1e3 / 0.2998), abs=1e-12)


def test_matches_definition_with_wavelength():
    d_km, f_mhz = 37.5, 2450.0
    lam = C_M_S / (f_mhz * 1e6)
    assert free_space_loss_db(d_km, f_mhz) == pytest.approx(20 * math.log10(4 * math.pi * d_km * 1e3 / lam), abs=1e-10)


def test_vectorised():
    out = free_space_loss_db(np.array([1.0, 2.0, 4.0]), 100.0)
    np.testing.assert_allclose(np.diff(out), 20 * math.log10(2.0), atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.001, 1e4), st.floats(0.01, 1e6))
def test_doubling_distance_or_frequency_adds_6dB(d, f):
    base = free_space_loss_db(d, f)
    assert free_space_loss_db(2 * d, f) - base == pytest.approx(6.0206, abs=1e-3)
    assert free_space_loss_db(d, 2 * f) - base == pytest.approx(6.0206, abs=1e-3)


@pytest.mark.parametrize("d,f", [(0.0, 100.0), (-1.0, 100.0), (1.0, 0.0), (float("nan"), 1.0)])
def test_bad_input(d, f):
    with pytest.raises(ValueError):
        free_space_loss_db(d, f)


def test_infinite_inputs_rejected():
    # d_km or f_mhz = inf used to give an infinite loss without an error
    with pytest.raises(ValueError, match="d_km = inf must be finite"):
        free_space_loss_db(np.inf, 100.0)
    with pytest.raises(ValueError, match="f_mhz = inf .*must be finite"):
        free_space_loss_db(1.0, [100.0, np.inf])
    with pytest.raises(ValueError, match="c_m_s"):
        free_space_loss_db(1.0, 100.0, c_m_s=0.0)
