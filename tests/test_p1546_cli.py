"""``spectrum p1546``: distance and profile forms, --json, errors as one line with status 2."""
from __future__ import annotations

import json

import pytest

from conftest import REFERENCE_DIR
from spectrum.cli import main
from spectrum.propagation import p1546

RBURG = REFERENCE_DIR / "itu-p1546-6_eeveetza" / "validation_profiles" / "rburg.csv"


def test_distance_form_json(capsys):
    assert main(["p1546", "--f-mhz", "600", "--t", "50", "10", "--d-km", "10", "50", "--heff-m", "150",
                 "--h2-m", "10", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    want = p1546.field_strength(600.0, 10.0, 150.0, 10.0, d_km=50.0)
    assert out["e_dbuvm"][0][1][1] == pytest.approx(float(want.e_dbuvm), abs=1e-9)
    assert out["lb_db"][0][1][1] == pytest.approx(float(want.lb_db), abs=1e-9)


def test_distance_form_table(capsys):
    assert main(["p1546", "--f-mhz", "98", "--d-km", "40", "--d-sea-km", "60", "--heff-m", "300", "--h2-m", "10",
                 "--sea", "warm", "--t", "1"]) == 0
    assert "E dB(uV/m)" in capsys.readouterr().out


@pytest.mark.skipif(not RBURG.is_file(), reason=f"{RBURG} not found (set SPECTRUM_REFERENCE_DIR)")
def test_profile_form_reproduces_reference(capsys):
    assert main(["p1546", "--profile", str(RBURG), "--f-mhz", "98.2", "--t", "1", "--ha-m", "12", "--h2-m", "19",
                 "--erp-dbw", "22", "--compat", "reference", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["e_dbuvm"][0][0] == pytest.approx(25.19711901, abs=1e-3 + 1e-5)  # 22 dBW = 0.158489 kW


@pytest.mark.parametrize("argv, msg", [
    (["--d-km", "10", "--f-mhz", "9000", "--heff-m", "10", "--h2-m", "10"], "f_mhz"),
    (["--d-km", "10", "--f-mhz", "600", "--h2-m", "10"], "--heff-m"),
    (["--d-km", "10", "--f-mhz", "600", "--heff-m", "nan", "--h2-m", "10"], "heff"),
    (["--d-km", "10", "--f-mhz", "600", "--heff-m", "10", "--h2-m", "10", "--area", "moon"], "area"),
    (["--profile", "nonexistent.csv", "--f-mhz", "600", "--ha-m", "10", "--h2-m", "10"], "nonexistent"),
    (["--tx", "31.1,121.2", "--f-mhz", "600", "--ha-m", "10", "--h2-m", "10"], "--rx"),
])
def test_errors_are_one_line(argv, msg, capsys):
    assert main(["p1546", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and msg in err


@pytest.mark.skipif(not RBURG.is_file(), reason=f"{RBURG} not found (set SPECTRUM_REFERENCE_DIR)")
def test_profile_form_designation(capsys):
    """rburg_annex5_para1.1.csv lists the receiver first; --designate (Annex 5 §1.1) swaps the ends."""
    f = RBURG.with_name("rburg_annex5_para1.1.csv")
    argv = ["p1546", "--profile", str(f), "--f-mhz", "98.2", "--t", "1", "--ha-m", "12", "--h2-m", "19",
            "--erp-dbw", "22", "--compat", "reference", "--json"]
    assert main(argv + ["--designate"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["e_dbuvm"][0][0] == pytest.approx(15.57379951, abs=1e-3)
    assert out["intermediates"]["h1_m"][0][0] == pytest.approx(39.2417, abs=0.01)
