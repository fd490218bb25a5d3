"""ΔN / N0 for P.452 and P.1812 at the path centre from the P.453 maps of the itur package."""
from __future__ import annotations

import json

import numpy as np
import pytest

from spectrum.propagation import maps

pytestmark = pytest.mark.skipif(not maps.available(), reason="the [maps] extra (itur data files) is not installed")


def test_dn1_percentiles_are_ordered_and_delta_n_is_the_median():
    la, lo = 31.2, 121.5
    v = [maps.refractivity_gradient_dn1(la, lo, p) for p in (1.0, 10.0, 50.0, 90.0, 99.0)]
    assert all(a < b for a, b in zip(v, v[1:]))  # more negative = rarer (super-refraction)
    assert maps.delta_n(la, lo) == pytest.approx(-v[2])
    with pytest.raises(ValueError, match="p = 3 % has no P.453 dN1 map"):
        maps.refractivity_gradient_dn1(la, lo, 3.0)


@pytest.mark.parametrize("name,lat,lon,dn_lo,dn_hi,n0_lo,n0_hi", [
    ("Shanghai", 31.2, 121.5, 35.0, 55.0, 320.0, 360.0),
    ("London", 51.5, -0.1, 30.0, 50.0, 310.0, 340.0),
    ("Sahara", 23.0, 10.0, 15.0, 40.0, 270.0, 320.0),
])
def test_plausible_values(name, lat, lon, dn_lo, dn_hi, n0_lo, n0_hi):
    """Ranges of the P.452-18 Figs. 11-12 maps (ΔN 30-60 mid-latitudes, N0 ~ 280-360)."""
    assert dn_lo < maps.delta_n(lat, lon) < dn_hi
    assert n0_lo < maps.sea_level_refractivity_n0(lat, lon) < n0_hi


def test_n0_is_the_p453_formula_at_sea_level():
    """On a sea point (hs = 0) N0 equals Eqs. (1)-(6) with the map's Nwet and P.1510 temperature."""
    la, lo = 0.0, -30.0
    assert maps.surface_height_km(la, lo) < 0.01
    t = maps.surface_temperature_k(la, lo)
    nw = maps.wet_refractivity_nwet(la, lo, 50.0)
    e = nw / (72.0 / t + 3.75e5 / t**2)
    n0 = 77.6 * (1013.25 - e) / t + nw
    assert maps.sea_level_refractivity_n0(la, lo) == pytest.approx(n0, rel=1e-3)


def test_path_centre_and_p452_input(capsys):
    from spectrum import cli
    from spectrum.propagation import p452

    c = maps.path_climate(31.0, 121.0, 30.5, 122.0)
    assert c["lat"] == pytest.approx(30.75, abs=0.01) and c["dn"] > 0
    d = np.linspace(0, 60, 61)
    r = p452.basic_transmission_loss(d, np.zeros(61), 2.0, 1.0, 20.0, 20.0, dn=c["dn"], n0=c["n0"], lat=c["lat"])
    assert np.isfinite(r.lb).all()
    assert cli.main(["profile", "--tx", "31.0,121.0", "--rx", "31.2,121.4", "--climate", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["climate"]["dn"] == pytest.approx(maps.delta_n(doc["climate"]["lat"], doc["climate"]["lon"]))
