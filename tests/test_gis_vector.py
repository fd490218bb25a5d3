"""Contour polygons (GeoJSON RFC 7946 / KML) and register stations as vector layers: validity,
right-hand rule, holes, NaN regions, map edges, round trips, and membership of every pixel."""
from __future__ import annotations

import json

import numpy as np
import pytest
import xarray as xr

shapely = pytest.importorskip("shapely", reason="shapely is in the [gis] extra (pip install -e '.[gis]')")
pytest.importorskip("pyproj", reason="pyproj is in the [gis] extra (pip install -e '.[gis]')")
from hypothesis import given, settings, strategies as st  # noqa: E402
from shapely.geometry import shape  # noqa: E402

from spectrum import gis  # noqa: E402
from spectrum.gis.vector import read_kml  # noqa: E402


def _rings_map(n=241, nan_patch=True):
    """Field high at the centre, low in a ring, high again in an outer ring that runs off the map
    edge: the "at or above" area is a disc + an annulus (a polygon with a hole) clipped by the edge."""
    lat = np.linspace(31.0, 31.4, n)
    lon = np.linspace(121.0, 121.4, n)
    la, lo = np.meshgrid(lat, lon, indexing="ij")
    r = np.hypot(la - 31.2, lo - 121.2) / 0.2  # 0 at the centre, 1 at the edge midpoints
    z = 70.0 * np.cos(2.5 * np.pi * r) ** 2 * np.exp(-0.3 * r) + 10.0
    if nan_patch:
        z[(np.abs(la - 31.2) < 0.008) & (np.abs(lo - 121.28) < 0.008)] = np.nan  # inside the annulus
    return xr.DataArray(z, dims=("lat", "lon"), coords={"lat": lat, "lon": lon}, name="e_dbuvm",
                        attrs={"units": "dB(uV/m)", "long_name": "field strength", "model": "test"})


def _check_rfc7946(geom):
    assert geom.is_valid, shapely.is_valid_reason(geom)
    for p in getattr(geom, "geoms", [geom]):
        assert p.exterior.is_ccw, "exterior ring must be counter-clockwise (RFC 7946 §3.1.6)"
        for h in p.interiors:
            assert not h.is_ccw, "holes must be clockwise (RFC 7946 §3.1.6)"


def _membership(da, c, margin):
    """Every pixel centre clearly above the level is inside, clearly below is outside (an oracle
    independent of the contour tracing: the pixel values themselves)."""
    z = da.values
    la, lo = np.meshgrid(da.lat.values, da.lon.values, indexing="ij")
    inside = shapely.contains_xy(c.geometry, lo.ravel(), la.ravel()).reshape(z.shape)
    with np.errstate(invalid="ignore"):
        hi = z >= c.level + margin if c.above else z <= c.level - margin
        lo_ = z <= c.level - margin if c.above else z >= c.level + margin
    # pixels on the outer row/column lie on the polygon boundary, where "contains" is false
    core = np.zeros_like(inside)
    core[1:-1, 1:-1] = True
    # NaN pixels and their finite neighbours are no-data: only judge pixels whose 3x3 block is finite
    fin = np.isfinite(z)
    blk = fin.copy()
    blk[1:-1, 1:-1] = fin[1:-1, 1:-1] & fin[:-2, 1:-1] & fin[2:, 1:-1] & fin[1:-1, :-2] & fin[1:-1, 2:] \
        & fin[:-2, :-2] & fin[2:, 2:] & fin[:-2, 2:] & fin[2:, :-2]
    judged = core & blk
    assert np.all(inside[judged & hi]), f"{int((judged & hi & ~inside).sum())} pixels above the level left out"
    assert not np.any(inside[judged & lo_]), f"{int((judged & lo_ & inside).sum())} pixels below the level taken in"
    assert not np.any(inside & ~fin), "a no-data pixel centre is inside a contour polygon"


@pytest.mark.parametrize("level", [20.0, 45.0, 70.0])
def test_contours_valid_with_holes_and_membership(level):
    da = _rings_map()
    (c,) = gis.contour_polygons(da, [level])
    _check_rfc7946(c.geometry)
    _membership(da, c, margin=1.0)
    assert c.area_km2 > 0


def test_annulus_has_a_hole_and_nan_patch_a_hole():
    da = _rings_map()
    (c,) = gis.contour_polygons(da, [45.0])
    polys = list(c.geometry.geoms)
    # rings of the field alternate above/below 45: the central disc, then annuli with a hole each
    disc = [p for p in polys if p.contains(shapely.Point(121.2, 31.2))]
    assert len(disc) == 1 and len(disc[0].interiors) == 0
    # the first annulus has two holes: the one around the disc and the NaN patch
    ann = [p for p in polys if len(p.interiors) >= 2]
    assert len(ann) == 1
    holes = [shapely.Polygon(h) for h in ann[0].interiors]
    assert any(h.contains(disc[0]) for h in holes)
    assert any(h.contains(shapely.Point(121.28, 31.2)) for h in holes)
    # the area reaching the map edge (the corners) is closed along the edge (outermost pixel centres)
    assert c.geometry.bounds == pytest.approx((121.0, 31.0, 121.4, 31.4), abs=1e-6)
    on_edge = [p for p in polys if sum(1 for x, _ in p.exterior.coords if x == 121.0) >= 2]
    assert on_edge  # a ring running along the western edge


def test_nested_island_inside_hole_is_its_own_polygon():
    lat = np.linspace(0.0, 1.0, 101)
    lon = np.linspace(10.0, 11.0, 101)
    la, lo = np.meshgrid(lat, lon, indexing="ij")
    r = np.maximum(np.abs(la - 0.5), np.abs(lo - 10.5))  # square rings
    z = np.select([r < 0.1, r < 0.25, r < 0.4], [3.0, 0.0, 3.0], 0.0)
    da = xr.DataArray(z, dims=("lat", "lon"), coords={"lat": lat, "lon": lon})
    (c,) = gis.contour_polygons(da, [1.5])
    _check_rfc7946(c.geometry)
    assert len(c.geometry.geoms) == 2
    outer = max(c.geometry.geoms, key=lambda p: p.area)
    island = min(c.geometry.geoms, key=lambda p: p.area)
    assert len(outer.interiors) == 1 and shapely.Polygon(outer.interiors[0]).contains(island)
    _membership(da, c, margin=0.5)


def test_below_levels_and_level_order():
    da = _rings_map(nan_patch=False)
    cs = gis.contour_polygons(da, [60.0, 30.0], above=False)
    assert [c.level for c in cs] == [60.0, 30.0]
    for c in cs:
        _check_rfc7946(c.geometry)
        _membership(da, c, margin=1.0)
    assert cs[0].area_km2 > cs[1].area_km2  # <= 60 contains <= 30


def test_levels_outside_the_range_are_empty_and_flat_map_is_all():
    da = _rings_map(nan_patch=False)
    hi, lo = gis.contour_polygons(da, [1000.0, -1000.0])
    assert hi.geometry.is_empty and hi.area_km2 == 0
    assert lo.area_km2 == pytest.approx(gis.contour_polygons(da, [float(np.nanmin(da)) - 1e-9])[0].area_km2)
    flat = da * 0 + 5.0
    (c,) = gis.contour_polygons(flat, [5.0])
    assert c.geometry.area == pytest.approx(0.4 * 0.4, rel=1e-9)
    allnan = da * np.nan
    assert gis.contour_polygons(allnan, [5.0])[0].geometry.is_empty


def test_geodesic_area_against_pixel_count():
    da = _rings_map(481, nan_patch=False)
    (c,) = gis.contour_polygons(da, [45.0])
    lat = np.radians(da.lat.values)
    dlat = np.radians(0.4 / 480) * 6371.0
    dlon = np.radians(0.4 / 480) * 6371.0 * np.cos(lat)
    px = (da.values >= 45.0) * (dlat * dlon)[:, None]
    assert c.area_km2 == pytest.approx(px.sum(), rel=0.02)


def test_geojson_rfc7946_round_trip(tmp_path):
    da = _rings_map()
    f = gis.write_contours_geojson(da, tmp_path / "c.geojson", [30.0, 45.0, 60.0])
    text = f.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert doc["type"] == "FeatureCollection" and "crs" not in doc  # RFC 7946 drops the crs member
    assert [ft["properties"]["level"] for ft in doc["features"]] == [30.0, 45.0, 60.0]
    cs = gis.contour_polygons(da, [30.0, 45.0, 60.0])
    for ft, c in zip(doc["features"], cs):
        assert ft["type"] == "Feature" and ft["geometry"]["type"] == "MultiPolygon"
        assert ft["properties"]["units"] == "dB(uV/m)" and ft["properties"]["relation"] == ">="
        g = shape(ft["geometry"])
        _check_rfc7946(g)
        assert g.equals_exact(c.geometry, 1e-9)
        for poly in ft["geometry"]["coordinates"]:
            for ring in poly:
                assert ring[0] == ring[-1] and len(ring) >= 4
                for x, y in ring:
                    assert -180 <= x <= 180 and -90 <= y <= 90
                    assert round(x, 6) == x and round(y, 6) == y  # 6 decimals (RFC 7946 §11.2)
    assert doc["spectrum"]["model"] == "test" and doc["spectrum"]["software"] == "spectrum"


def test_kml_one_styled_folder_per_level_round_trip(tmp_path):
    da = _rings_map()
    levels = [30.0, 45.0, 60.0]
    f = gis.write_contours_kml(da, tmp_path / "c.kml", levels)
    recs = read_kml(f)
    assert [r["folder"] for r in recs] == ["≥ 30 dB(uV/m)", "≥ 45 dB(uV/m)", "≥ 60 dB(uV/m)"]
    text = f.read_text(encoding="utf-8")
    cs = gis.contour_polygons(da, levels)
    for i, (r, c) in enumerate(zip(recs, cs)):
        assert r["style"] == f"#level-{i}" and f'<Style id="level-{i}">' in text
        assert float(r["data"]["level"]) == c.level
        polys = [shapely.Polygon(p[0], p[1:]) for p in r["polygons"]]
        g = shapely.MultiPolygon(polys)
        _check_rfc7946(g)
        assert g.equals_exact(c.geometry, 1e-9)
    assert "<PolyStyle>" in text and "<LineStyle>" in text


def test_projected_grid_contours_in_wgs84():
    pyproj = pytest.importorskip("pyproj")
    x = 340_000.0 + 200.0 * np.arange(150)
    y = 3_440_000.0 + 200.0 * np.arange(120)
    xx, yy = np.meshgrid(x, y)
    z = 100.0 - np.hypot(xx - x.mean(), yy - y.mean()) / 300.0
    da = xr.DataArray(z, dims=("y", "x"), coords={"y": y, "x": x}, attrs={"crs": "EPSG:32651", "units": "dB"})
    (c,) = gis.contour_polygons(da, [70.0])  # a 9 km circle inside the 30 x 24 km grid
    _check_rfc7946(c.geometry)
    lon, lat = pyproj.Transformer.from_crs("EPSG:32651", "EPSG:4326", always_xy=True).transform(xx, yy)
    assert 120.0 < lon.min() and lon.max() < 122.5 and 30.5 < lat.min() < 32.0
    inside = shapely.contains_xy(c.geometry, lon.ravel(), lat.ravel()).reshape(z.shape)
    assert np.all(inside[z > 70.5]) and not np.any(inside[z < 69.5])
    r_km = 30.0 * 300.0 / 1000.0
    assert c.area_km2 == pytest.approx(np.pi * r_km ** 2, rel=0.01)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), level=st.floats(-1.5, 1.5), nan_frac=st.floats(0.0, 0.3),
       above=st.booleans())
def test_random_fields_always_valid(seed, level, nan_frac, above):
    """Noise fields are full of saddles and touching rings: polygons stay valid, oriented, and
    every clearly-above pixel is inside."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((23, 31))
    z[rng.random(z.shape) < nan_frac] = np.nan
    da = xr.DataArray(z, dims=("lat", "lon"), coords={"lat": np.linspace(-10, -9, 23), "lon": np.linspace(5, 6.5, 31)})
    (c,) = gis.contour_polygons(da, [level], above=above)
    _check_rfc7946(c.geometry)
    gj = gis.vector.geometry_geojson(c.geometry)
    if gj is not None:
        _check_rfc7946(shape(gj))
    # membership at a value margin of 1e-6 needs coordinates finer than the island it makes: a pixel
    # 1e-6 past the level with neighbours ~1 away is an island ~1e-6 pixel (5e-8 deg) across, which the
    # default 1e-6 deg snapping rightly removes (seed 0, level -0.5 has one at 8.4e-6). Trace at 1e-10 deg.
    (fine,) = gis.contour_polygons(da, [level], above=above, precision=10)
    _check_rfc7946(fine.geometry)
    _membership(da, fine, margin=1e-6)


def test_contour_errors():
    da = _rings_map(31)
    with pytest.raises(ValueError, match="levels"):
        gis.contour_polygons(da, [])
    with pytest.raises(ValueError, match="not finite"):
        gis.contour_polygons(da, [np.nan])
    with pytest.raises(ValueError, match="precision"):
        gis.contour_polygons(da, [1.0], precision=0)
    with pytest.raises(ValueError, match="select one"):
        gis.contour_polygons(da.expand_dims(p=[1.0, 2.0]), [1.0])
    wrap = da.assign_coords(lon=np.linspace(179.0, 181.0, 31))
    with pytest.raises(ValueError, match="antimeridian"):
        gis.contour_polygons(wrap, [30.0])
    east = da.assign_coords(lon=np.linspace(200.0, 201.0, 31))
    (c,) = gis.contour_polygons(east, [30.0])
    assert -160.0 <= c.geometry.bounds[0] <= -159.0


# --------------------------------------------------------------------------------------------
# stations
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def rows():
    from spectrum.datasets.register import sample_register

    reg = sample_register()
    try:
        return reg.query(lat=31.23, lon=121.47, radius_km=15, status=None)
    finally:
        reg.close()


def test_stations_geojson_round_trip(tmp_path, rows):
    assert len(rows) > 10
    f = gis.write_stations_geojson(rows, tmp_path / "s.geojson")
    doc = json.loads(f.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == len(rows)
    for ft, r in zip(doc["features"], rows):
        g = shape(ft["geometry"])
        assert g.geom_type == "Point"
        assert (g.x, g.y) == pytest.approx((r.lon, r.lat), abs=5e-7)
        want = {k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in r.to_dict().items()}
        assert ft["properties"] == want  # every licence attribute, unchanged
    assert {"licence_number", "licensee", "service", "status", "f_mhz", "bw_khz", "emission", "eirp_dbw",
            "protection"} <= set(doc["features"][0]["properties"])


def test_stations_from_query_arrays_and_dicts(rows):
    from spectrum.datasets.register import sample_register

    reg = sample_register()
    try:
        cols = reg.query_arrays(lat=31.23, lon=121.47, radius_km=15, status=None)
    finally:
        reg.close()
    a = gis.stations_geojson(cols)
    b = gis.stations_geojson([r.to_dict() for r in rows])
    assert len(a["features"]) == len(b["features"]) == len(rows)
    assert [f["geometry"] for f in a["features"]] == [f["geometry"] for f in b["features"]]


def test_stations_kml_folder_per_service_round_trip(tmp_path, rows):
    f = gis.write_stations_kml(rows, tmp_path / "s.kml")
    recs = read_kml(f)
    assert len(recs) == len(rows)
    assert {r["folder"] for r in recs} == {r.service for r in rows}
    for rec, r in zip(sorted(recs, key=lambda d: (d["data"]["assignment_id"], d["data"]["station_id"])),
                      sorted(rows, key=lambda r: (str(r.assignment_id), str(r.station_id)))):
        assert rec["folder"] == r.service
        assert rec["points"][0] == pytest.approx((r.lon, r.lat), abs=5e-7)
        assert rec["data"]["licence_number"] == r.licence_number and float(rec["data"]["f_mhz"]) == r.f_mhz
        assert rec["style"] == f"#role-{r.role}"


def test_station_errors():
    with pytest.raises(ValueError, match="station row 0"):
        gis.stations_geojson([{"licence_number": "X", "lat": 95.0, "lon": 0.0}])
    with pytest.raises(ValueError, match="no lat/lon"):
        gis.stations_kml([{"licence_number": "X"}])
    assert gis.stations_geojson([])["features"] == []
