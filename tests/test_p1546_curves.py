"""P.1546-6 curves: the packaged compact copy equals the reference CSV; the loader's fall-backs."""
from __future__ import annotations

import csv

import numpy as np
import pytest

from conftest import REFERENCE_DIR
from spectrum.propagation import p1546_curves as pc

CSV_DIR = REFERENCE_DIR / "itu-p1546-6_curves_eeveetza"
needs_csv = pytest.mark.skipif(not (CSV_DIR / "p1546_tabulated_E_long.csv").is_file(),
                               reason=f"reference curves {CSV_DIR} not found (set SPECTRUM_REFERENCE_DIR)")


@needs_csv
def test_packaged_copy_equals_reference_csv():
    a = pc.read_csv(CSV_DIR / "p1546_tabulated_E_long.csv")
    b = pc._read_npz(pc._NPZ)
    assert a.shape == (24, 78, 8)
    assert np.array_equal(a, b)


@needs_csv
def test_wide_table_agrees_and_emax_column():
    a = pc.read_csv(CSV_DIR / "p1546_tabulated_E_long.csv")
    with open(CSV_DIR / "p1546_tabulated_E_wide.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            fig, i = int(r["figure"]) - 1, list(pc.DISTANCES_KM).index(float(r["d_km"]))
            for j, h in enumerate(pc.HEIGHTS_M):
                key = f"E_h1_{h:g}m"
                assert float(r[key]) == a[fig, i, j]
            assert a[fig, i].max() <= float(r["Emax_dBuVm"]) + 1e-9


def test_loader_falls_back_to_packaged_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_P1546_CURVES", str(tmp_path))
    monkeypatch.setenv("SPECTRUM_REFERENCE_DIR", str(tmp_path))
    monkeypatch.setattr(pc, "_candidate_dirs", lambda: [tmp_path])
    assert pc.curves_source() == pc._NPZ
    t = pc._load(str(pc._NPZ))
    assert t.shape == (24, 78, 8) and not t.flags.writeable


def test_malformed_csv_is_a_clear_error(tmp_path):
    p = tmp_path / "p1546_tabulated_E_long.csv"
    p.write_text("figure,f_MHz,path,t_pct,h1_m,d_km,E_dBuVm\n1,100,land,50,10,1,89.9759\n")
    with pytest.raises(ValueError, match="missing"):
        pc.read_csv(p)
    p.write_text("figure,f_MHz,path,t_pct,h1_m,d_km,E_dBuVm\n1,600,land,50,10,1,89.9759\n")
    with pytest.raises(ValueError, match="does not match"):
        pc.read_csv(p)
    p.write_text("figure,f_MHz,path,t_pct,h1_m,d_km,E_dBuVm\n1,100,land,50,11,1,89.9759\n")
    with pytest.raises(ValueError, match="line 2"):
        pc.read_csv(p)


@needs_csv
def test_build_packaged_is_exact(tmp_path):
    out = pc.build_packaged(CSV_DIR / "p1546_tabulated_E_long.csv", tmp_path / "c.npz")
    assert np.array_equal(pc._read_npz(out), pc.read_csv(CSV_DIR / "p1546_tabulated_E_long.csv"))
