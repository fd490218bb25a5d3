"""Rec. ITU-R P.2109-2 building entry loss against crc-covlib's validation table (INDEX.md §10).

The table (3 125 rows, every 10th of crc-covlib's 31 250) is evaluated in one vectorised
call; rows are grouped by building type and frequency decade so a failure names the group
and the assertion message lists the failing rows.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import require_reference
from spectrum.propagation import p2109

REF = require_reference("crc-covlib_p2109")
TOL_DB = 1e-4  # crc-covlib's own tolerance

_T = np.loadtxt(REF / "p2109_validation_every10th.csv", delimiter=",", skiprows=1)
F, P, BT, TH, BEL = _T.T
GROUPS = [(bt, lo) for bt in (1, 2) for lo in (0.08, 1.0, 10.0)]


def test_row_count():
    assert _T.shape == (3125, 5)


@pytest.mark.parametrize("bt,lo", GROUPS, ids=[f"type{bt}-f>={lo:g}GHz" for bt, lo in GROUPS])
def test_building_entry_loss_table(bt, lo):
    hi = {0.08: 1.0, 1.0: 10.0, 10.0: np.inf}[lo]
    sel = (BT == bt) & (F >= lo) & (F < hi)
    assert sel.sum() > 0
    got = p2109.building_entry_loss(F[sel], P[sel], BT[sel], TH[sel])
    err = np.abs(got - BEL[sel])
    bad = np.flatnonzero(err > TOL_DB)
    rows = np.flatnonzero(sel)[bad]
    msg = "\n".join(f"row {r}: f={F[r]:g} GHz p={P[r]:g} % type={BT[r]:g} theta={TH[r]:g} deg: "
                    f"got {g:.6f} expected {e:.6f}" for r, g, e in zip(rows[:20], got[bad][:20], BEL[rows][:20]))
    assert bad.size == 0, f"{bad.size} of {sel.sum()} rows off by more than {TOL_DB} dB:\n{msg}"


def test_names_and_scalar():
    a = p2109.building_entry_loss(2.0, 50, "traditional", 10.0)
    b = p2109.building_entry_loss(2.0, 50, 1, -10.0)
    assert isinstance(a, float) and a == pytest.approx(b, abs=1e-12)
    assert p2109.building_entry_loss(2.0, 50, "thermally efficient") > a


def test_hand_computed_median():
    # p = 50 %: F^-1 = 0, so A = mu1, B = mu2 (Eqs. 1-7, traditional, f = 1 GHz, theta = 0)
    mu1, mu2 = 12.64, 9.1
    expected = 10 * np.log10(10 ** (0.1 * mu1) + 10 ** (0.1 * mu2) + 10 ** (-0.3))
    assert p2109.building_entry_loss(1.0, 50.0) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("kw,name", [
    (dict(f_ghz=0.07, p=50), "f_ghz"), (dict(f_ghz=101, p=50), "f_ghz"),
    (dict(f_ghz=1, p=0), "p"), (dict(f_ghz=1, p=100), "p"),
    (dict(f_ghz=1, p=50, theta_deg=91), "theta_deg"),
    (dict(f_ghz=1, p=50, building_type=3), "building_type"),
    (dict(f_ghz=1, p=50, building_type="glass"), "building_type"),
])
def test_invalid_input_names_parameter(kw, name):
    with pytest.raises(ValueError, match=name):
        p2109.building_entry_loss(**kw)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.08, 100), st.floats(0.1, 98), st.sampled_from([1, 2]), st.floats(-90, 90))
def test_monotonic_in_probability(f, p, bt, th):
    assert p2109.building_entry_loss(f, p + 1, bt, th) >= p2109.building_entry_loss(f, p, bt, th)


def test_groups_cover_every_row():
    covered = np.zeros(F.size, bool)
    for bt, lo in GROUPS:
        hi = {0.08: 1.0, 1.0: 10.0, 10.0: np.inf}[lo]
        covered |= (BT == bt) & (F >= lo) & (F < hi)
    assert covered.all()


def test_cli(capsys):
    import json

    from spectrum.cli import main

    assert main(["loss", "p2109", "--f-ghz", "1", "--p", "50", "--building", "traditional", "thermally-efficient",
                 "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [r["loss_db"] for r in rows] == [p2109.building_entry_loss(1, 50, 1), p2109.building_entry_loss(1, 50, 2)]


def test_dataarray_in_dataarray_out():
    import xarray as xr

    f = xr.DataArray([0.7, 3.5, 28.0], dims="f_ghz", coords={"f_ghz": [0.7, 3.5, 28.0]})
    th = xr.DataArray([0.0, 30.0], dims="theta_deg", coords={"theta_deg": [0.0, 30.0]})
    out = p2109.building_entry_loss(f, 50.0, "traditional", th)
    assert isinstance(out, xr.DataArray) and out.dims == ("f_ghz", "theta_deg")
    assert out.attrs["units"] == "dB" and out.name == "building_entry_loss"
    assert float(out.sel(f_ghz=3.5, theta_deg=30.0)) == p2109.building_entry_loss(3.5, 50.0, 1, 30.0)
    with pytest.raises(ValueError, match="p must be a scalar"):
        p2109.building_entry_loss(f, np.array([10.0, 50.0]))
