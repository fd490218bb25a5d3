"""ETSI EN 302 217-4 V2.2.1 RPE classes on the "RPE" antenna kind (spectrum.antennas_en302217).

Hand values are the envelope corner points as read from the public transcription of the EN's
Figures 5-44 cited in the module (not from the ETSI PDF itself; see docs/links.md)."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spectrum import antennas_en302217 as en
from spectrum.antennas import Antenna
from spectrum.kernels import antennas as _k
from spectrum.register.models import check_pattern_fields


def _oracle_envelope(pts, phi):
    """Slow, obvious reading of a corner-point mask: linear between distinct angles, the upper value
    at a repeated angle, the last value held beyond 180."""
    vals = []
    for (a, va), (b, vb) in zip(pts, pts[1:]):
        if a <= phi <= b:
            vals.append(max(va, vb) if a == b else va + (phi - a) / (b - a) * (vb - va))
    if phi >= pts[-1][0]:
        vals.append(max(v for a, v in pts if a == pts[-1][0]))
    return max(vals)


def _oracle_gain(g_max, pts, phi, d_lambda):
    phi0 = pts[0][0]
    e0 = min(g_max, _oracle_envelope(pts, phi0))
    if phi < phi0:
        return min(g_max, max(g_max - 2.5e-3 * (d_lambda * phi) ** 2, e0))
    return min(g_max, _oracle_envelope(pts, phi))


@pytest.mark.parametrize("f_ghz, cls, phi, want", [
    (7.0, "2", 5.0, 26.0),          # range 1 (3-14 GHz) class 2, first corner
    (7.0, "2", 7.5, 23.0),          # halfway 5 -> 10 deg: 26 -> 20
    (7.0, "2", 92.5, -9.0),         # halfway 80 -> 105 deg: 2 -> -20
    (7.0, "1", 169.0, -8.0),        # class 1 step at 170 deg: -8 below ...
    (7.0, "1", 170.5, -6.0),        # ... -6 beyond
    (18.0, "3", 5.0, 18.0),         # range 2 (14-20 GHz) class 3
    (18.0, "3", 17.5, 5.5),         # 10 -> 25 deg: 9 -> 2
    (18.0, "3", 180.0, -27.0),
    (23.0, "4", 30.0, -8.5),        # range 3 class 4: 20 -> 40 deg: -4 -> -13
    (26.0, "3", 100.0, -23.0),      # range 4 class 3
    (26.0, "3", 140.0, -24.0),      # 100 -> 180 deg: -23 -> -25
    (38.0, "1", 177.5, -8.5),       # range 5 class 1 rises again 175 -> 180: -10 -> -7
    (80.0, "2", 100.0, -7.0),       # range 7 class 2 step at 100 deg: -7 / -10 -> upper
    (80.0, "2", 140.0, -10.0),
    (2.0, "1C", 30.0, 8.0),         # range 0 class 1C: 20 -> 40 deg: 12 -> 4
])
def test_class_envelope_corner_points(f_ghz, cls, phi, want):
    a = Antenna("RPE", 45.0, {"etsi_class": cls})
    assert float(a.gain_dbi(phi, 0.0, f_ghz * 1000.0)) == pytest.approx(want, abs=1e-9)


@pytest.mark.parametrize("f_ghz, cls, phi, want", [
    (18.0, "3", 5.0, 5.0), (18.0, "3", 20.0, 1.0 - 14.0 * 10.0 / 20.0), (7.0, "4", 45.0, -24.0),
    (26.0, "2", 15.0, 2.0), (26.0, "2", 52.5, -12.0)])
def test_class_cross_polar_envelope(f_ghz, cls, phi, want):
    a = Antenna("RPE", 45.0, {"etsi_class": cls})
    assert float(a.cross_polar_gain_dbi(phi, 0.0, f_ghz * 1000.0)) == pytest.approx(want, abs=1e-9)


def test_step_takes_the_upper_value_exactly_at_the_step_angle():
    co_deg, co_dbi, _, _ = en.rpe_class_envelope(7.0, "1")  # -8 / -6 step at 170 deg
    got = _k.rpe_class_gain(np.array([169.0, 170.0, 171.0]), 45.0, 100.0, co_deg, co_dbi, True)
    assert got == pytest.approx([-8.0, -6.0, -6.0])


def test_antenna_applies_the_kernel_to_the_off_axis_angle():
    a = Antenna("RPE", 36.0, {"etsi_class": "2"})
    az, el = np.array([3.0, 12.0, -40.0]), np.array([2.0, -5.0, 10.0])
    phi = _k.off_axis_angle(az, el, 0.0)
    co_deg, co_dbi, _, _ = en.rpe_class_envelope(23.0, "2")
    want = _k.rpe_class_gain(phi, 36.0, 10 ** ((36.0 - 7.7) / 20), co_deg, co_dbi, True)
    assert a.gain_dbi(az, el, 23000.0) == pytest.approx(want, abs=1e-12)


def test_cross_polar_holds_first_value_inside_first_angle():
    a = Antenna("RPE", 40.0, {"etsi_class": "3"})
    assert a.cross_polar_gain_dbi([0.0, 2.0, 5.0], 0.0, 18000.0) == pytest.approx([5.0, 5.0, 5.0])


def test_main_lobe_inside_first_angle_is_f699():
    g = 38.0
    dl = 10 ** ((g - 7.7) / 20)  # F.699-8 Note 1
    a = Antenna("RPE", g, {"etsi_class": "3"})  # 18 GHz class 3: 18 dBi at 5 deg
    got = a.gain_dbi([0.0, 1.0, 2.0, 4.0], 0.0, 18000.0)
    want = [g, g - 2.5e-3 * dl ** 2, max(g - 2.5e-3 * (2 * dl) ** 2, 18.0), 18.0]
    assert got == pytest.approx(want, abs=1e-9)
    # an explicit D/lambda replaces the gain-derived one
    b = Antenna("RPE", g, {"etsi_class": "3", "d_over_lambda": 20.0})
    assert float(b.gain_dbi(1.0, 0.0, 18000.0)) == pytest.approx(g - 2.5e-3 * 400.0)


def test_gain_never_exceeds_the_maximum():
    a = Antenna("RPE", 20.0, {"etsi_class": "1"})  # 7 GHz class 1 allows 26 dBi at 5 deg
    assert a.gain_dbi([0.0, 3.0, 5.0, 10.0, 30.0], 0.0, 7000.0) == pytest.approx(
        [20.0, 20.0, 20.0, 20.0, 12.0 - 7.0 * 10.0 / 30.0], abs=1e-9)


def test_polarisation_specific_classes():
    h = Antenna("RPE", 40.0, {"etsi_class": "3B", "polarisation": "h"})
    v = Antenna("RPE", 40.0, {"etsi_class": "3B", "polarisation": "v"})
    any_ = Antenna("RPE", 40.0, {"etsi_class": "3B"})
    phis = np.array([5.0, 10.0, 30.0, 45.0, 60.0, 80.0])
    gh, gv, ga = (x.gain_dbi(phis, 0.0, 38000.0) for x in (h, v, any_))
    assert gh == pytest.approx([20.0, 11.0, -1.0 / 3.0, -5.0 / 6.0, -2.5, -10.5])
    assert gv == pytest.approx([16.0, 9.0, -3.5, -7.5, -8.0 - 2.0 * 10.0 / 15.0, -10.0 - 7.0 * 5.0 / 15.0])
    assert np.all(ga >= np.maximum(gh, gv) - 1e-9)
    assert ga == pytest.approx(np.maximum(gh, gv), abs=1e-9)
    with pytest.raises(ValueError, match="V polarisation only"):
        Antenna("RPE", 40.0, {"etsi_class": "3A", "polarisation": "h"}).gain_dbi(10.0, 0.0, 38000.0)


def test_upper_envelope_of_crossing_masks_includes_the_crossing():
    # 38 GHz class 3B without a polarisation: the upper envelope of the H and V masks everywhere
    co_deg, co_dbi, _, _ = en.rpe_class_envelope(38.0, "3B")
    h = np.array(en.CLASSES[(5, "3B")]["co_h"], float)
    v = np.array(en.CLASSES[(5, "3B")]["co_v"], float)
    x = np.linspace(5.0, 180.0, 3501)
    upper = np.maximum(np.interp(x, h[:, 0], h[:, 1]), np.interp(x, v[:, 0], v[:, 1]))
    assert np.interp(x, co_deg, co_dbi) == pytest.approx(upper, abs=1e-9)


@pytest.mark.parametrize("f_ghz, want", [(1.0, 0), (2.999, 0), (3.0, 1), (13.9, 1), (14.0, 2), (20.0, 3),
                                         (24.0, 4), (30.0, 5), (47.0, 6), (71.0, 7), (86.0, 7), (92.0, 8),
                                         (114.25, 8), (130.0, 9), (174.8, 9)])
def test_frequency_ranges(f_ghz, want):
    assert en.rpe_range(f_ghz) == want


@pytest.mark.parametrize("f_ghz", [0.5, 88.0, 120.0, 175.0, float("nan")])
def test_frequency_outside_every_range(f_ghz):
    with pytest.raises(ValueError, match="f_ghz"):
        en.rpe_range(f_ghz)


def test_classes_per_range():
    assert en.rpe_classes(2.0) == ("1A", "1B", "1C", "2", "3")
    assert en.rpe_classes(18.0) == ("1", "2", "3", "4")
    assert en.rpe_classes(38.0) == ("1", "2", "3A", "3B", "3C", "4")
    assert en.rpe_classes(100.0) == ("2", "3")


@pytest.mark.parametrize("params, f_mhz, match", [
    ({"etsi_class": "5"}, 18000.0, "not an EN 302 217-4 RPE class"),
    ({"etsi_class": "3", "polarisation": "x"}, 18000.0, "polarisation"),
    ({"etsi_class": "1A"}, 18000.0, "not an EN 302 217-4 class of range 2"),
    ({"etsi_class": "4"}, 100000.0, "classes there: 2, 3"),
    ({"etsi_class": "3"}, 500.0, "f_mhz = 500"),
    ({"etsi_class": "3"}, 88000.0, "outside the EN 302 217-4 ranges"),
])
def test_hostile_class_input(params, f_mhz, match):
    with pytest.raises(ValueError, match=match):
        Antenna("RPE", 38.0, params).gain_dbi(10.0, 0.0, f_mhz)


def test_class_names_are_forgiving():
    for name in ("3", 3, "class 3", "Class3", " c3 "):
        assert float(Antenna("RPE", 45.0, {"etsi_class": name}).gain_dbi(5.0, 0.0, 18000.0)) == 18.0


def test_register_accepts_rpe_class_patterns():
    row = check_pattern_fields("ETSI class 3 0.6 m", "RPE", 38.0, {"etsi_class": "3", "polarisation": "v"},
                               None, None, None, None)
    assert row["kind"] == "RPE"
    a = Antenna.from_pattern(row, 38.0)
    assert float(a.gain_dbi(5.0, 0.0, 18000.0)) == 18.0


@settings(max_examples=200, deadline=None)
@given(key=st.sampled_from(sorted(en.CLASSES)), phi=st.floats(-360.0, 360.0), g=st.floats(0.0, 55.0),
       pol=st.sampled_from([None, "h", "v"]))
def test_kernel_equals_oracle_and_never_exceeds_gmax(key, phi, g, pol):
    r, cls = key
    entry = en.CLASSES[key]
    if entry.get("pol") and pol not in (None, entry["pol"]):
        pol = entry["pol"]
    lo, hi = en.RANGES_GHZ[r]
    f_ghz = 0.5 * (lo + hi)
    co_deg, co_dbi, _, _ = en.rpe_class_envelope(f_ghz, cls, pol)
    pts = list(zip(co_deg.tolist(), co_dbi.tolist()))
    dl = 10 ** ((g - 7.7) / 20)
    got = float(_k.rpe_class_gain(np.array([phi]), g, dl, co_deg, co_dbi, True)[0])
    fold = abs(phi) % 360.0
    fold = 360.0 - fold if fold > 180.0 else fold
    want = _oracle_gain(g, pts, fold, dl)
    assert got == pytest.approx(want, abs=1e-9)
    assert got <= g + 1e-12
    assert math.isfinite(got)
