"""Receiver blocking (SEAMCAT blocking modes): the handbook's worked example, mode equivalences,
mask interpolation against a slow oracle, validation."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from spectrum.blocking import (BlockingMask, attenuation_protection_ratio, attenuation_sensitivity,
                               attenuation_user_defined, blocking_interference_dbw, receiver_attenuation_db)


def test_handbook_example_a87_both_modes_give_75_db():
    # SEAMCAT handbook A8.7: noise floor -114 dBm, sensitivity -98 dBm, C/(N+I) 16 dB, I/N -6 dB,
    # (N+I)/N 1 dB; protection ratio 52 dB and sensitivity limit -45 dBm both give a_vr = 75 dB
    assert attenuation_protection_ratio(52.0, 16.0, -6.0, nplusi_n_db=1.0) == pytest.approx(75.0)
    assert attenuation_sensitivity(-45.0 - 30.0, -98.0 - 30.0, 16.0, -6.0) == pytest.approx(75.0)
    assert attenuation_user_defined(75.0) == pytest.approx(75.0)


def test_protection_ratio_default_n_plus_i_over_n_from_i_over_n():
    a = attenuation_protection_ratio(50.0, 16.0, -6.0)
    assert a == pytest.approx(50.0 + 16.0 + 10 * np.log10(1 + 10 ** -0.6) + 6.0)


@settings(max_examples=60, deadline=None)
@given(pr=st.floats(0, 100), cni=st.floats(-10, 40), i_n=st.floats(-20, 10), sens=st.floats(-160, -90))
def test_sensitivity_mode_equals_protection_ratio_mode_at_the_matching_limit(pr, cni, i_n, sens):
    # a_sens = L - S + C/(N+I) - I/N equals a_PR = PR + C/(N+I) + (N+I)/N - I/N when L = S + PR + (N+I)/N
    nin = 10 * np.log10(1 + 10 ** (i_n / 10))
    a_pr = attenuation_protection_ratio(pr, cni, i_n, nplusi_n_db=nin)
    a_s = attenuation_sensitivity(sens + pr + nin, sens, cni, i_n)
    assert a_s == pytest.approx(a_pr, abs=1e-9)


def _oracle(off, val, x):
    x = abs(x) if off[0] >= 0 else x
    if x <= off[0]:
        return val[0]
    if x >= off[-1]:
        return val[-1]
    for j in range(len(off) - 1):
        if off[j] <= x <= off[j + 1]:
            return val[j] + (x - off[j]) / (off[j + 1] - off[j]) * (val[j + 1] - val[j])


@pytest.mark.parametrize("off,val", [((0.0, 12.5, 25.0, 100.0), (0.0, 30.0, 60.0, 80.0)),
                                     ((-200.0, -100.0, 100.0, 200.0), (70.0, 50.0, 45.0, 65.0))],
                         ids=["symmetric", "asymmetric"])
def test_mask_interpolation_against_oracle(off, val):
    m = BlockingMask(off, val)
    x = np.linspace(-300.0, 300.0, 241)
    np.testing.assert_allclose(m.at(x), [_oracle(off, val, v) for v in x], atol=1e-12)
    assert m.attenuation_db(x).shape == x.shape


def test_blocking_interference_budget():
    a = BlockingMask((0.0, 25.0), (40.0, 60.0), mode="protection-ratio").attenuation_db(
        [12.5], c_nplusi_db=16.0, i_n_db=-6.0)
    i = blocking_interference_dbw(10.0, 2.0, 3.0, 100.0, a)
    assert i[0] == pytest.approx(10 + 2 + 3 - 100 - (50 + 16 + 10 * np.log10(1 + 10 ** -0.6) + 6))


@pytest.mark.parametrize("kw,match", [
    (dict(offset_khz=(0, 10), value=(1,)), "same length"),
    (dict(offset_khz=(10, 0), value=(1, 2)), "must increase"),
    (dict(offset_khz=(0,), value=(1,), mode="acs"), "mode"),
])
def test_bad_masks(kw, match):
    with pytest.raises(ValueError, match=match):
        BlockingMask(**kw)


def test_modes_need_their_inputs():
    with pytest.raises(ValueError, match="c_nplusi_db"):
        receiver_attenuation_db("protection-ratio", 50.0)
    with pytest.raises(ValueError, match="sens_dbw"):
        receiver_attenuation_db("sensitivity", -80.0, c_nplusi_db=16.0, i_n_db=-6.0)
    with pytest.raises(ValueError, match="mode"):
        receiver_attenuation_db("fdr", 50.0)
