"""Rec. ITU-R P.838-3: the 64 ValEx rows (via ITU-Rpy, INDEX.md §13), one test id per row,
an independent pure-Python oracle of Eqs. (2)-(5), and properties."""
from __future__ import annotations

import csv
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from spectrum.propagation import p838
from conftest import REFERENCE_DIR

_FILE = REFERENCE_DIR / "itu-rpy_valex" / "838" / "ITURP838-3_rain_specific_attenuation.csv"


def _rows():
    if not _FILE.exists():
        return []
    with open(_FILE, encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    head = rows[0]
    return [dict(zip(head, map(float, r))) for r in rows[2:] if r]


ROWS = _rows()


@pytest.mark.skipif(not ROWS, reason=f"ValEx P.838-3 file {_FILE} not found (set SPECTRUM_REFERENCE_DIR)")
@pytest.mark.parametrize("row", ROWS, ids=[f"row{i:02d}" for i in range(len(ROWS))])
def test_valex_838(row):
    k, a = p838.rain_coefficients(row["f"], row["el"], row["tau"])
    g = p838.specific_attenuation_db_km(row["f"], row["R"], row["el"], row["tau"])
    assert k == pytest.approx(row["k"], abs=1e-6)
    assert a == pytest.approx(row["alpha"], abs=1e-6)
    assert g == pytest.approx(row["gamma_r"], abs=1e-5)


def test_valex_838_count():
    if not ROWS:
        pytest.skip(f"ValEx P.838-3 file {_FILE} not found")
    assert len(ROWS) == 64


# ---------------------------------------------------------------- slow obvious oracle
# The four tables of P.838-3 typed again as (a_j, b_j, c_j) rows, Recommendation order.
_T1 = [(-5.33980, -0.10008, 1.13098), (-0.35351, 1.26970, 0.45400), (-0.23789, 0.86036, 0.15354),
       (-0.94158, 0.64552, 0.16817)]
_T2 = [(-3.80595, 0.56934, 0.81061), (-3.44965, -0.22911, 0.51059), (-0.39902, 0.73042, 0.11899),
       (0.50167, 1.07319, 0.27195)]
_T3 = [(-0.14318, 1.82442, -0.55187), (0.29591, 0.77564, 0.19822), (0.32177, 0.63773, 0.13164),
       (-5.37610, -0.96230, 1.47828), (16.1721, -3.29980, 3.43990)]
_T4 = [(-0.07771, 2.33840, -0.76284), (0.56727, 0.95545, 0.54039), (-0.20238, 1.14520, 0.26809),
       (-48.2991, 0.791669, 0.116226), (48.5833, 0.791459, 0.116479)]


def _oracle(f, el, tau):
    x = math.log10(f)

    def s(table, m, c):
        return sum(a * math.exp(-(((x - b) / cc) ** 2)) for a, b, cc in table) + m * x + c

    kh = 10 ** s(_T1, -0.18961, 0.71147)
    kv = 10 ** s(_T2, -0.16398, 0.63297)
    ah = s(_T3, 0.67849, -1.95537)
    av = s(_T4, -0.053739, 0.83433)
    w = math.cos(math.radians(el)) ** 2 * math.cos(math.radians(2 * tau))
    k = (kh + kv + (kh - kv) * w) / 2
    return k, (kh * ah + kv * av + (kh * ah - kv * av) * w) / (2 * k)


@settings(max_examples=200, deadline=None)
@given(st.floats(1.0, 1000.0), st.floats(-90, 90), st.floats(0, 90))
def test_oracle(f, el, tau):
    k, a = p838.rain_coefficients(f, el, tau)
    ko, ao = _oracle(f, el, tau)
    assert k == pytest.approx(ko, rel=1e-12)
    assert a == pytest.approx(ao, rel=1e-12)


def test_published_table5_values():
    """Spot values printed in P.838-3 Table 5 (kH, alphaH, kV, alphaV at 10 and 20 GHz)."""
    k, a = p838.rain_coefficients(10.0, 0.0, "h")
    assert k == pytest.approx(0.01217, abs=6e-6) and a == pytest.approx(1.2571, abs=6e-5)
    k, a = p838.rain_coefficients(20.0, 0.0, "v")
    assert k == pytest.approx(0.09611, abs=6e-6) and a == pytest.approx(0.9847, abs=6e-5)


@settings(max_examples=100, deadline=None)
@given(st.floats(1.0, 100.0), st.floats(0.1, 200.0), st.floats(0.1, 200.0))
def test_monotonic_in_rain_rate(f, r1, r2):
    g1, g2 = p838.specific_attenuation_db_km(f, [r1, r2], 0.0, "v")
    assert (g1 <= g2) == (r1 <= r2) or g1 == pytest.approx(g2)


def test_circular_between_h_and_v():
    f = np.array([6.0, 11.0, 18.0, 23.0, 38.0])
    gh = p838.specific_attenuation_db_km(f, 50.0, 0.0, "h")
    gv = p838.specific_attenuation_db_km(f, 50.0, 0.0, "v")
    gc = p838.specific_attenuation_db_km(f, 50.0, 0.0, "c")
    assert np.all(gc <= np.maximum(gh, gv)) and np.all(gc >= np.minimum(gh, gv))
    assert np.all(gh > gv)  # horizontal suffers more on a terrestrial path


def test_zenith_is_polarisation_independent():
    assert p838.rain_coefficients(20.0, 90.0, "h") == pytest.approx(p838.rain_coefficients(20.0, 90.0, "v"))


@pytest.mark.parametrize("kw, match", [
    (dict(f_ghz=0.5, r_mmh=10), "f_ghz"), (dict(f_ghz=1500, r_mmh=10), "f_ghz"),
    (dict(f_ghz=10, r_mmh=-1), "r_mmh"), (dict(f_ghz=10, r_mmh=float("nan")), "r_mmh"),
    (dict(f_ghz=10, r_mmh=10, polarisation="x"), "polarisation"),
    (dict(f_ghz=10, r_mmh=10, el_deg=95), "el_deg"),
])
def test_bad_input(kw, match):
    with pytest.raises(ValueError, match=match):
        p838.specific_attenuation_db_km(**kw)
