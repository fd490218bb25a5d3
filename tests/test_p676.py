"""P.676-13 Annex 1 specific attenuation against the ITU-R validation workbook (ValEx)."""
from __future__ import annotations

import csv

import numpy as np
import pytest

from conftest import require_reference
from spectrum.kernels import p676 as k676
from spectrum.propagation import p676

REF = require_reference("itu-p676-13_valex_via_ITU-Rpy")
# the workbook prints 6 decimals: half a unit in the last place plus float noise
ATOL = 5.01e-7


def _rows(name):
    with open(REF / name, newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("row", [pytest.param(r, id=f"p676_13-f{r['f_GHz']}") for r in
                                 _rows("p676-13_specific_attenuation_valex.csv")])
def test_specific_attenuation_valex(row):
    args = (float(row["f_GHz"]), float(row["p_dry_hPa"]), float(row["rho_g_m3"]), float(row["T_K"]))
    go = k676.gamma_oxygen(*args)
    gw = k676.gamma_water(*args)
    assert go == pytest.approx(float(row["gamma0_dB_km"]), abs=ATOL)
    assert gw == pytest.approx(float(row["gammaw_dB_km"]), abs=ATOL)
    assert go + gw == pytest.approx(float(row["gamma_total_dB_km"]), abs=2 * ATOL)


@pytest.mark.parametrize("row", [pytest.param(r, id=f"p676_13-spot-f{r['f_GHz']}") for r in
                                 _rows("p676-13_spatt_full_precision_spot.csv")])
def test_specific_attenuation_full_precision(row):
    go, gw = p676.specific_attenuation(float(row["f_GHz"]), float(row["p_dry_hPa"]),
                                       float(row["rho_g_m3"]), float(row["T_K"]))
    assert go == pytest.approx(float(row["gamma0_dB_km"]), rel=1e-9, abs=1e-12)
    assert gw == pytest.approx(float(row["gammaw_dB_km"]), rel=1e-8, abs=1e-12)


def test_vectorised_api_and_dry_air():
    f = np.array([1.0, 10.0, 22.235, 60.0])
    go, gw = p676.specific_attenuation(f)
    assert go.shape == f.shape and gw.shape == f.shape
    assert gw[2] > gw[1]  # 22 GHz water line
    assert go[3] > 10.0  # 60 GHz oxygen complex
    # no water vapour: gamma_w vanishes
    assert np.all(p676.gamma_water(f, rho_g_m3=0.0) == 0.0)
    # A = gamma d
    a = p676.gaseous_attenuation_terrestrial(10.0, 50.0)
    assert a == pytest.approx(50.0 * (p676.gamma_oxygen(10.0) + p676.gamma_water(10.0)))
    assert p676.water_vapour_density_p452(1.0) == 10.0


@pytest.mark.parametrize("kw", [dict(f_ghz=0.0), dict(f_ghz=2000.0), dict(f_ghz=10.0, p_hpa=-1.0),
                                dict(f_ghz=10.0, t_k=10.0), dict(f_ghz=float("nan"))])
def test_bad_input(kw):
    with pytest.raises(ValueError):
        p676.specific_attenuation(**kw)


def test_gaseous_attenuation_rejects_infinite_distance():
    # d_km = inf used to give an infinite attenuation without an error
    from spectrum.propagation.p676 import gaseous_attenuation_terrestrial
    with pytest.raises(ValueError, match="d_km = inf must be finite"):
        gaseous_attenuation_terrestrial(10.0, np.inf)
    with pytest.raises(ValueError, match="d_km = -1 must be >= 0"):
        gaseous_attenuation_terrestrial(10.0, -1.0)
    assert gaseous_attenuation_terrestrial(10.0, 0.0) == 0.0
