"""Okumura-Hata / COST-231 Hata against hand-computed values of the published formulas.

Expected values were computed by hand (and checked on a calculator) from Hata (1980)
Eqs. (1)-(4) and the COST-231 Hata formula; e.g. f = 900 MHz, d = 10 km, hb = 50 m,
hm = 1.5 m, small city: a(hm) = (1.1*2.954243 - 0.7)*1.5 - (1.56*2.954243 - 0.8) = 0.015882,
L = 69.55 + 77.28300 - 23.47976 - 0.01588 + 33.77175 = 157.1091 dB.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spectrum.propagation import hata

CASES = [
    # f_mhz, d_km, hb_m, hm_m, environment, city, model, expected dB
    (900, 10, 50, 1.5, "urban", "small", "hata", 157.1091),
    (900, 10, 50, 1.5, "suburban", "small", "hata", 147.1665),
    (900, 10, 50, 1.5, "open", "small", "hata", 128.6027),
    (900, 10, 50, 1.5, "urban", "large", "hata", 157.1259),
    (150, 1, 30, 1, "urban", "large", "hata", 106.8712),
    (450, 5, 100, 2, "urban", "medium", "hata", 132.4472),
    (1500, 20, 200, 10, "open", "small", "hata", 104.9207),
    (1800, 5, 30, 1.5, "urban", "medium", "cost231", 160.8181),
    (1800, 5, 30, 1.5, "urban", "large", "cost231", 163.8620),
    (2000, 20, 200, 10, "urban", "small", "cost231", 140.2504),
]


@pytest.mark.parametrize("f,d,hb,hm,env,city,model,expected", CASES,
                         ids=[f"{c[6]}-{c[4]}-{c[5]}-{c[0]}MHz-{c[1]}km" for c in CASES])
def test_published_formula(f, d, hb, hm, env, city, model, expected):
    got = hata.basic_transmission_loss(f, d, hb, hm, environment=env, city=city, model=model)
    assert got == pytest.approx(expected, abs=1e-3)
    # "auto" picks the same model by frequency (1500 MHz belongs to Hata)
    assert hata.basic_transmission_loss(f, d, hb, hm, environment=env, city=city) == pytest.approx(got, abs=1e-12)


def test_cost231_large_city_adds_cm_3db_over_medium_with_same_ahm():
    # large city changes both a(hm) and Cm; at hm where both a(hm) agree the difference is Cm = 3 dB
    hm = 1.5
    a_small = hata.mobile_height_correction(1800, hm, "small")
    a_large = hata.mobile_height_correction(1800, hm, "large")
    diff = (hata.basic_transmission_loss(1800, 5, 30, hm, city="large")
            - hata.basic_transmission_loss(1800, 5, 30, hm, city="small"))
    assert diff == pytest.approx(3.0 - (a_large - a_small), abs=1e-12)


def test_vectorised():
    d = np.linspace(1, 20, 7)
    v = hata.basic_transmission_loss(900, d, 50, 1.5)
    assert v.shape == d.shape
    np.testing.assert_allclose(v, [hata.basic_transmission_loss(900, x, 50, 1.5) for x in d], atol=1e-12)


@pytest.mark.parametrize("kw,name", [
    (dict(f_mhz=149, d_km=5, hb_m=50, hm_m=1.5), "f_mhz"),
    (dict(f_mhz=2001, d_km=5, hb_m=50, hm_m=1.5), "f_mhz"),
    (dict(f_mhz=1600, d_km=5, hb_m=50, hm_m=1.5, model="hata"), "f_mhz"),
    (dict(f_mhz=900, d_km=5, hb_m=50, hm_m=1.5, model="cost231"), "f_mhz"),
    (dict(f_mhz=900, d_km=0.5, hb_m=50, hm_m=1.5), "d_km"),
    (dict(f_mhz=900, d_km=21, hb_m=50, hm_m=1.5), "d_km"),
    (dict(f_mhz=900, d_km=5, hb_m=29, hm_m=1.5), "hb_m"),
    (dict(f_mhz=900, d_km=5, hb_m=201, hm_m=1.5), "hb_m"),
    (dict(f_mhz=900, d_km=5, hb_m=50, hm_m=0.5), "hm_m"),
    (dict(f_mhz=900, d_km=5, hb_m=50, hm_m=11), "hm_m"),
    (dict(f_mhz=900, d_km=5, hb_m=50, hm_m=1.5, environment="desert"), "environment"),
    (dict(f_mhz=900, d_km=5, hb_m=50, hm_m=1.5, city="huge"), "city"),
    (dict(f_mhz=900, d_km=5, hb_m=50, hm_m=1.5, model="walfisch"), "model"),
])
def test_validity_ranges_enforced(kw, name):
    with pytest.raises(ValueError, match=name):
        hata.basic_transmission_loss(**kw)


@settings(max_examples=80, deadline=None)
@given(st.floats(150, 2000), st.floats(1, 19), st.floats(30, 200), st.floats(1, 10),
       st.sampled_from(["urban", "suburban", "open"]), st.sampled_from(["small", "large"]))
def test_properties(f, d, hb, hm, env, city):
    lo = hata.basic_transmission_loss(f, d, hb, hm, environment=env, city=city)
    hi = hata.basic_transmission_loss(f, d + 1, hb, hm, environment=env, city=city)
    assert hi > lo  # loss grows with distance
    # urban >= suburban >= open
    u = hata.basic_transmission_loss(f, d, hb, hm, environment="urban", city=city)
    s = hata.basic_transmission_loss(f, d, hb, hm, environment="suburban", city=city)
    o = hata.basic_transmission_loss(f, d, hb, hm, environment="open", city=city)
    assert u >= s >= o
    # a higher base station never increases the loss (d >= 1 km)
    assert hata.basic_transmission_loss(f, d, min(hb * 1.2, 200), hm, environment=env, city=city) <= lo


def test_cli_hata_and_free_space(capsys):
    import json

    from spectrum.cli import main

    assert main(["loss", "hata", "--f-mhz", "900", "--d-km", "10", "--hb-m", "50", "--hm-m", "1.5", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["rows"][0]["loss_db"] == pytest.approx(157.1091, abs=1e-3)
    assert main(["loss", "hata", "--f-mhz", "900", "--d-km", "30", "--hb-m", "50"]) == 2
    assert "d_km" in capsys.readouterr().err
    assert main(["loss", "free-space", "--f-mhz", "100", "--d-km", "1", "10"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") >= 4 and "P.525" in out


def test_dataarray_in_dataarray_out():
    import xarray as xr

    d = xr.DataArray(np.array([1.0, 5.0, 20.0]), dims="d_km", coords={"d_km": [1.0, 5.0, 20.0]})
    hb = xr.DataArray(np.array([30.0, 50.0]), dims="hb_m", coords={"hb_m": [30.0, 50.0]})
    out = hata.basic_transmission_loss(900, d, hb, 1.5)
    assert out.dims == ("d_km", "hb_m") and out.attrs["units"] == "dB"
    assert float(out.sel(d_km=5.0, hb_m=50.0)) == hata.basic_transmission_loss(900, 5.0, 50.0, 1.5)
