"""Tests of spectrum.geo: great-circle geometry on the 6371 km sphere."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from spectrum import geo

R = 6371.0
lat_s = st.floats(min_value=-89.0, max_value=89.0)
lon_s = st.floats(min_value=-180.0, max_value=179.999)


def _naive_distance(lat1, lon1, lat2, lon2):
    """Spherical law of cosines via 3-D unit vectors (an independent formula)."""
    def vec(la, lo):
        la, lo = math.radians(la), math.radians(lo)
        return (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la))
    a, b = vec(lat1, lon1), vec(lat2, lon2)
    cross = (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])
    return R * math.atan2(math.sqrt(sum(c * c for c in cross)), sum(x * y for x, y in zip(a, b)))


def test_radius_is_the_recommendations():
    assert geo.EARTH_RADIUS_KM == 6371.0


def test_known_distances():
    assert geo.distance_km(0, 0, 1, 0) == pytest.approx(R * math.pi / 180)
    assert geo.distance_km(0, 0, 0, 90) == pytest.approx(R * math.pi / 2)
    assert geo.distance_km(90, 0, -90, 0) == pytest.approx(R * math.pi)
    assert geo.distance_km(31.2, 121.5, 31.2, 121.5) == 0.0
    # across the antimeridian
    assert geo.distance_km(0, 179.5, 0, -179.5) == pytest.approx(R * math.radians(1.0))
    # 0..360 longitudes are the same points
    assert geo.distance_km(10, 350, 10, -10) == pytest.approx(0.0, abs=1e-9)


def test_known_bearings():
    assert geo.bearing_deg(0, 0, 1, 0) == pytest.approx(0.0)
    assert geo.bearing_deg(0, 0, 0, 1) == pytest.approx(90.0)
    assert geo.bearing_deg(0, 0, -1, 0) == pytest.approx(180.0)
    assert geo.bearing_deg(0, 0, 0, -1) == pytest.approx(270.0)
    # great circle from 45N heading to a point due east leaves north of east
    assert geo.bearing_deg(45, 0, 45, 10) < 90.0
    b = geo.bearing_deg(0, 0, 1e-9, -1.0)
    assert 0.0 <= b < 360.0


def test_destination_known():
    lat, lon = geo.destination(0.0, 0.0, 90.0, R * math.pi / 2)
    assert lat == pytest.approx(0.0, abs=1e-12) and lon == pytest.approx(90.0)
    lat, lon = geo.destination(0.0, 170.0, 90.0, R * math.radians(20))
    assert lon == pytest.approx(-170.0)


def test_vectorised_broadcasting():
    lat1 = np.array([[0.0], [10.0]])
    lon2 = np.array([1.0, 2.0, 3.0])
    d = geo.distance_km(lat1, 0.0, lat1, lon2)
    assert d.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            assert d[i, j] == pytest.approx(_naive_distance(lat1[i, 0], 0.0, lat1[i, 0], lon2[j]), rel=1e-12)
    lat, lon = geo.intermediate_points(np.array([[0.0], [10.0]]), 0.0, 20.0, 30.0, np.linspace(0, 1, 5))
    assert lat.shape == lon.shape == (2, 5)


@given(lat_s, lon_s, lat_s, lon_s)
def test_distance_matches_independent_formula_and_is_symmetric(la1, lo1, la2, lo2):
    d = geo.distance_km(la1, lo1, la2, lo2)
    assert d == pytest.approx(_naive_distance(la1, lo1, la2, lo2), abs=1e-6)
    assert geo.distance_km(la2, lo2, la1, lo1) == pytest.approx(d, abs=1e-9)


@given(lat_s, lon_s, st.floats(0.0, 359.999), st.floats(0.01, 10000.0))
def test_destination_inverts_distance_and_bearing(la, lo, brg, d):
    la2, lo2 = geo.destination(la, lo, brg, d)
    assert geo.distance_km(la, lo, la2, lo2) == pytest.approx(d, rel=1e-9, abs=1e-6)
    assume(d > 1.0 and abs(la) < 85)
    b = geo.bearing_deg(la, lo, la2, lo2)
    assert min(abs(b - brg), 360 - abs(b - brg)) < 1e-6


@given(lat_s, lon_s, lat_s, lon_s, st.floats(0.0, 1.0))
@settings(max_examples=200)
def test_intermediate_points_lie_on_the_path(la1, lo1, la2, lo2, f):
    d = geo.distance_km(la1, lo1, la2, lo2)
    assume(d < 0.999 * math.pi * R)  # not (nearly) antipodal
    la, lo = geo.intermediate_points(la1, lo1, la2, lo2, f)
    assert geo.distance_km(la1, lo1, la, lo) == pytest.approx(f * d, abs=1e-6)
    assert geo.distance_km(la, lo, la2, lo2) == pytest.approx((1 - f) * d, abs=1e-6)


def test_intermediate_points_ends_and_midpoint():
    la, lo = geo.intermediate_points(10.0, 20.0, 30.0, 40.0, [0.0, 1.0])
    np.testing.assert_allclose(la, [10.0, 30.0], atol=1e-12)
    np.testing.assert_allclose(lo, [20.0, 40.0], atol=1e-12)
    # equator midpoint
    la, lo = geo.intermediate_points(0.0, 0.0, 0.0, 60.0, 0.5)
    assert la == pytest.approx(0.0, abs=1e-12) and lo == pytest.approx(30.0)
    # same as walking along the initial bearing
    d = geo.distance_km(31.0, 121.0, 31.8, 122.3)
    b = geo.bearing_deg(31.0, 121.0, 31.8, 122.3)
    la, lo = geo.intermediate_points(31.0, 121.0, 31.8, 122.3, 0.3)
    la2, lo2 = geo.destination(31.0, 121.0, b, 0.3 * d)
    assert la == pytest.approx(la2, abs=1e-9) and lo == pytest.approx(lo2, abs=1e-9)
    # coincident points
    la, lo = geo.intermediate_points(5.0, 6.0, 5.0, 6.0, [0.0, 0.5, 1.0])
    np.testing.assert_allclose(la, 5.0)
    np.testing.assert_allclose(lo, 6.0)


@pytest.mark.parametrize("call, match", [
    (lambda: geo.distance_km(91.0, 0.0, 0.0, 0.0), "point1.lat = 91"),
    (lambda: geo.distance_km(0.0, 0.0, 0.0, 400.0), "point2.lon = 400"),
    (lambda: geo.bearing_deg(0.0, 0.0, -95.0, 0.0), "point2.lat = -95"),
    (lambda: geo.destination(0.0, 0.0, 90.0, -1.0), "d_km = -1"),
    (lambda: geo.destination(0.0, 0.0, np.nan, 1.0), "bearing_deg contains NaN"),
    (lambda: geo.intermediate_points(0, 0, 0, 10, 1.5), "fractions = 1.5"),
    (lambda: geo.intermediate_points(0, 0, 0, 180, 0.5), "antipodal"),
    (lambda: geo.distance_km("north", 0, 0, 0), "point1.lat"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_wrap_lon_rejects_nan_and_inf():
    # NaN / inf used to come back as a silent NaN longitude
    assert geo.wrap_lon(190.0) == -170.0
    np.testing.assert_array_equal(geo.wrap_lon([180.0, -180.0, 359.5]), [-180.0, -180.0, -0.5])
    with pytest.raises(ValueError, match="lon contains NaN"):
        geo.wrap_lon([10.0, np.nan])
    with pytest.raises(ValueError, match="lon = inf .* must be finite"):
        geo.wrap_lon([10.0, np.inf])
