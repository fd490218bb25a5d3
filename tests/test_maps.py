"""ITU-R climate maps read from the itur package's data files (spectrum.propagation.maps).

Oracles: the ITU-R SG3 ValEx values for P.837-7 and P.839-4 in ``itu-rpy_valex`` (INDEX.md §13),
one test id per row. The maps themselves are not in this repository; without the ``[maps]``
extra the value tests skip with that reason (the error path is tested either way).
"""
from __future__ import annotations

import csv

import numpy as np
import pytest

from spectrum.propagation import maps
from conftest import REFERENCE_DIR

VALEX = REFERENCE_DIR / "itu-rpy_valex"
needs_maps = pytest.mark.skipif(not maps.available(), reason='ITU-R maps need the [maps] extra (pip install "spectrum[maps]")')


def _rows(rel: str) -> list[dict]:
    f = VALEX / rel
    if not f.exists():
        return []
    with open(f, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [{k: float(v) for k, v in r.items()} for r in rows[1:]]  # row 2 holds the units


def _params(rel: str):
    rows = _rows(rel)
    if not rows:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"reference file {VALEX / rel} not found"))]
    return [pytest.param(r, id=f"{r['lat']:g},{r['lon']:g}" + (f",p={r['p']:g}" if "Rp" in r else "")) for r in rows]


@needs_maps
@pytest.mark.parametrize("row", _params("837/ITURP837-7_rainfall_rate_R001.csv"))
def test_p837_r001_map(row):
    # ValEx prints 5 decimals for this sheet (ITU-Rpy checks places = 5)
    assert maps.rain_rate_r001_mmh(row["lat"], row["lon"]) == pytest.approx(row["Rp"], abs=5e-6)


@needs_maps
@pytest.mark.parametrize("row", _params("837/ITURP837-7_rainfall_rate_probability.csv"))
def test_p837_p0(row):
    assert maps.rain_probability_p0_percent(row["lat"], row["lon"]) == pytest.approx(row["p"], abs=5e-6)


@needs_maps
@pytest.mark.parametrize("row", _params("837/ITURP837-7_rainfall_rate.csv"))
def test_p837_rain_rate_annex1(row):
    # The ValEx sheet solves Step 6 to about 3e-4 mm/h (ITU-Rpy checks places = 3); we solve to
    # ~1e-13 relative, so the sheet's own precision is the tolerance.
    assert maps.rain_rate_mmh(row["lat"], row["lon"], row["p"]) == pytest.approx(row["Rp"], abs=5e-4)


@needs_maps
@pytest.mark.parametrize("row", _params("839/ITURP839-4_rain_height.csv"))
def test_p839_rain_height(row):
    assert maps.zero_isotherm_height_km(row["lat"], row["lon"]) == pytest.approx(row["h0"], abs=5e-6)
    assert maps.rain_height_km(row["lat"], row["lon"]) == pytest.approx(row["hr"], abs=5e-6)


@needs_maps
def test_arrays_broadcast_and_scalars():
    r = maps.rain_rate_r001_mmh([31.2, 3.133], 121.5)
    assert r.shape == (2,) and np.all(r > 0)
    assert isinstance(maps.rain_height_km(31.2, 121.5), float)
    mt, beta, pr6 = maps.esarain_params(np.array([[31.2, 0.0]]), np.array([[121.5, 10.0]]))
    assert mt.shape == beta.shape == pr6.shape == (1, 2)
    assert np.all((beta >= 0) & (beta <= 1)) and np.all(mt > 0) and np.all(pr6 > 0)


@needs_maps
def test_longitude_conventions_agree():
    # -43.23 E and 316.77 E are the same meridian; every grid wraps longitude.
    assert maps.rain_rate_r001_mmh(22.9, -43.23) == pytest.approx(maps.rain_rate_r001_mmh(22.9, 316.77), abs=1e-12)
    a = maps.esarain_params(22.9, -43.23)
    b = maps.esarain_params(22.9, 316.77)
    assert a == pytest.approx(b, abs=1e-12)


@needs_maps
def test_bilinear_reproduces_grid_nodes_and_is_between_neighbours():
    g = maps._grid("839/v4_esa0height.npz", "839/v4_esalat.npz", "839/v4_esalon.npz")
    i, j = 40, 100
    lat = g.lat0 + i * g.dlat
    lon = g.lon0 + j * g.dlon
    assert maps.zero_isotherm_height_km(lat, lon) == g.values[i, j]
    mid = maps.zero_isotherm_height_km(lat + g.dlat / 2, lon + g.dlon / 2)
    corners = g.values[i:i + 2, j:j + 2]
    assert mid == pytest.approx(corners.mean(), abs=1e-12)


@needs_maps
def test_rain_rate_zero_above_p0_and_monotonic():
    assert maps.rain_rate_mmh(23.0, 30.0, 0.01) == 0.0  # desert: P0 = 5e-4 %
    p = np.array([0.001, 0.01, 0.1, 1.0])
    r = maps.rain_rate_mmh(31.2, 121.5, p)
    assert np.all(np.diff(r) < 0)


@pytest.mark.parametrize("bad", [dict(lat=91.0, lon=0.0), dict(lat=np.nan, lon=0.0), dict(lat=0.0, lon=400.0)])
def test_bad_coordinates_are_value_errors(bad):
    with pytest.raises(ValueError, match="lat|lon"):
        maps.rain_rate_r001_mmh(**bad)


@pytest.mark.parametrize("p", [0.0, -1.0, 6.0, np.nan])
def test_bad_time_percentage(p):
    with pytest.raises(ValueError, match="p"):
        maps.rain_rate_mmh(31.0, 121.0, p)


def test_missing_maps_name_the_extra(monkeypatch, tmp_path):
    monkeypatch.setenv("SPECTRUM_ITUR_DATA", str(tmp_path))
    maps._grid.cache_clear()
    try:
        assert not maps.available()
        with pytest.raises(maps.MapsUnavailableError, match=r"\[maps\]"):
            maps.rain_height_km(31.0, 121.0)
    finally:
        maps._grid.cache_clear()


def test_corrupt_map_file_is_a_clear_error(monkeypatch, tmp_path):
    (tmp_path / "839").mkdir()
    (tmp_path / "837").mkdir()
    for n in ("v4_esa0height", "v4_esalat", "v4_esalon"):
        (tmp_path / "839" / f"{n}.npz").write_bytes(b"not a zip file")
    monkeypatch.setenv("SPECTRUM_ITUR_DATA", str(tmp_path))
    maps._grid.cache_clear()
    try:
        with pytest.raises(maps.MapsUnavailableError, match="cannot be read"):
            maps.zero_isotherm_height_km(31.0, 121.0)
    finally:
        maps._grid.cache_clear()
