"""Desktop viewer (spectrum.gui): pure computations, every view, the request workflow, the entry point.

Qt runs on the offscreen platform (set in tests/conftest.py). The terrain is a small seeded
synthetic DEM over the default region (30 arc-seconds) so that profiles and evaluations are fast.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402

from spectrum.gui.compute import (earth_bulge_m, fresnel_radius_m, hillshade, path_analysis,  # noqa: E402
                                  relief_rgb, station_sites)

from gui_fixtures import _non_trivial, db, sample_db, small_dem, window  # noqa: E402,F401

pytestmark = pytest.mark.gui


# ----------------------------------------------------------------------------------------
# computations (no Qt)
# ----------------------------------------------------------------------------------------
def _grid(ny=40, nx=50, res=1 / 120):
    lat = 31.0 + res * np.arange(ny)
    lon = 121.0 + res * np.arange(nx)
    return lat, lon


def test_hillshade_flat_is_cos_zenith():
    lat, lon = _grid()
    s = hillshade(np.full((lat.size, lon.size), 12.0), lat, lon, altitude_deg=30.0)
    np.testing.assert_allclose(s, math.sin(math.radians(30.0)), atol=1e-12)


@pytest.mark.parametrize("facing, light", [(90.0, 90.0), (270.0, 90.0), (0.0, 315.0), (180.0, 200.0)])
def test_hillshade_tilted_plane_matches_formula(facing, light):
    """A plane sloping down towards ``facing``: shade = cos z cos s + sin z sin s cos(light - facing)."""
    lat, lon = _grid()
    m_per_deg = math.pi * 6371e3 / 180
    y = (lat[:, None] - lat[0]) * m_per_deg
    x = (lon[None, :] - lon[0]) * m_per_deg * np.cos(np.radians(lat))[:, None]
    grade = 0.05
    fx, fy = math.sin(math.radians(facing)), math.cos(math.radians(facing))
    h = 300.0 - grade * (x * fx + y * fy)
    s = hillshade(h, lat, lon, azimuth_deg=light, altitude_deg=45.0)
    slope = math.atan(grade)
    z = math.radians(45.0)
    want = math.cos(z) * math.cos(slope) + math.sin(z) * math.sin(slope) * math.cos(math.radians(light - facing))
    # the x spacing varies by cos(lat) across rows: interior cells follow the plane to ~1e-3
    np.testing.assert_allclose(s[2:-2, 2:-2], want, atol=2e-3)


def test_hillshade_bad_input():
    lat, lon = _grid()
    with pytest.raises(ValueError, match="shape"):
        hillshade(np.zeros((3, 3)), lat, lon)
    with pytest.raises(ValueError, match="altitude_deg"):
        hillshade(np.zeros((lat.size, lon.size)), lat, lon, altitude_deg=95.0)


def test_relief_rgb_sea_and_land(small_dem):
    rgb = relief_rgb(small_dem.values, small_dem.lat.values, small_dem.lon.values)
    assert rgb.shape == small_dem.shape + (3,) and rgb.dtype == np.uint8
    sea = small_dem.values <= 0.0
    assert sea.any() and (~sea).any()
    assert np.all(rgb[sea] == rgb[sea][0])  # one flat water colour
    assert rgb[sea][0][2] > rgb[sea][0][0]  # blue
    assert len(np.unique(rgb[~sea].reshape(-1, 3), axis=0)) > 100  # shaded land varies


def test_path_analysis_matches_library(small_dem):
    from spectrum import terrain
    from spectrum.propagation import p452, p525

    a, b = (31.05, 120.8), (31.35, 121.3)
    pa = path_analysis(small_dem, a, b, htg_m=35.0, hrg_m=12.0, f_mhz=2300.0, p=5.0, pol="h")
    d, h = terrain.profile(small_dem, a, b)
    np.testing.assert_array_equal(pa.d_km, d)
    np.testing.assert_array_equal(pa.h_m, h)
    ref = p452.basic_transmission_loss(d, h, 2.3, 5.0, 35.0, 12.0, pol="h",
                                       lat=p452.path_centre_latitude(a[0], a[1], b[0], b[1]))
    for key, _, value, _ in pa.components():
        assert value == pytest.approx(float(getattr(ref, key)), abs=1e-9), key
    assert pa.free_space_db == pytest.approx(float(p525.free_space_loss_db(d[-1], 2300.0)), abs=1e-9)
    # ae from P.452-18 Eq. (5)/(6a) with the default ΔN = 45
    assert pa.ae_km == pytest.approx(6371.0 * 157.0 / (157.0 - 45.0), rel=1e-9)
    mid = d.size // 2
    assert pa.bulge_m[mid] == pytest.approx(d[mid] * (d[-1] - d[mid]) / (2 * pa.ae_km) * 1000.0)
    assert pa.fresnel_m[mid] == pytest.approx(550.0 * math.sqrt(d[mid] * (d[-1] - d[mid]) / (d[-1] * 2300.0)))
    assert pa.los_m[0] == pytest.approx(h[0] + 35.0) and pa.los_m[-1] == pytest.approx(h[-1] + 12.0)
    # clearance is the smallest (LoS - terrain) / R1 on the interior
    want = np.min((pa.los_m - pa.terrain_m)[1:-1] / pa.fresnel_m[1:-1])
    assert pa.clearance_r1 == pytest.approx(want)


def test_path_analysis_outside_p452_range_and_errors(small_dem):
    pa = path_analysis(small_dem, (31.1, 121.0), (31.2, 121.1), f_mhz=60.0)
    assert pa.result is None and "100 to 50000 MHz" in pa.error and pa.components() == []
    assert math.isnan(pa.lb_db) and pa.d_km.size > 2  # the profile is still drawn
    pa = path_analysis(small_dem, (31.1, 121.0), (31.2, 121.1), f_mhz=900.0, p=80.0)
    assert pa.result is None and "p = 80" in pa.error
    pa = path_analysis(small_dem, (31.1, 121.0), (31.2, 121.1), f_mhz=60.0, model="p1812")
    assert pa.error is None and pa.lb_db > pa.free_space_db - 10.0
    with pytest.raises(ValueError, match="htg_m"):
        path_analysis(small_dem, (31.1, 121.0), (31.2, 121.1), htg_m=-1.0)
    with pytest.raises(ValueError, match="p = 100"):
        path_analysis(small_dem, (31.1, 121.0), (31.2, 121.1), p=100.0)
    with pytest.raises(ValueError, match="model"):
        path_analysis(small_dem, (31.1, 121.0), (31.2, 121.1), model="hata")
    with pytest.raises(ValueError, match="outside the DEM"):
        path_analysis(small_dem, (29.0, 121.0), (31.2, 121.1))


def test_bulge_and_fresnel_ends():
    d = np.linspace(0, 40, 5)
    assert earth_bulge_m(d, 40.0, 8500.0)[[0, -1]].tolist() == [0.0, 0.0]
    assert fresnel_radius_m(d, 40.0, 1000.0)[[0, -1]].tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match="f_mhz"):
        fresnel_radius_m(d, 40.0, 0.0)


def test_station_sites_groups_sectors(db):
    from spectrum.register import Register

    with Register.open(db, create=False) as reg:
        rows = reg.query(status=None)
    sites = station_sites(rows)
    # each mobile licence is one site with 3 sectors x (tx + rx) = 6 stations
    mob = [s for s in sites if s.service == "mobile"]
    assert mob and all(len(s.station_ids) == 6 for s in mob)
    # a fixed link has two ends (two sites)
    fixed = [s for s in sites if s.service == "fixed"]
    assert len(fixed) == 2 * len({s.licence_number for s in fixed})


# ----------------------------------------------------------------------------------------
# the window and its views
# ----------------------------------------------------------------------------------------
def test_main_window_screenshot(window, tmp_path):
    out = tmp_path / "main_window.png"
    assert window.grab().save(str(out))
    img = _non_trivial(out)
    # the relief is drawn: the map's centre pixel is not the white background
    m = window.map.plot
    c = m.mapTo(window, m.rect().center())
    assert QImage(img).pixelColor(c.x(), c.y()).name() != "#ffffff"
    # every service of the register has a legend entry / scatter
    assert set(window.map.scatters) == set(window.model.services())


def test_click_station_shows_licence(window, qtbot):
    m = window.model
    # the most isolated site on screen, so that no other marker overlaps the click
    pos = np.array([(s.lon, s.lat) for s in m.sites])
    dist = np.hypot(*(pos[:, None, :] - pos[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(dist, np.inf)
    idx = int(np.argmax(dist.min(axis=1)))
    site = m.sites[idx]
    service = site.service
    k = [int(p.data()) for p in window.map.scatters[service].points()].index(idx)
    scene_pos = window.map.site_scene_pos(service, k)
    view = window.map.plot
    vp = view.mapFromScene(scene_pos)
    with qtbot.waitSignal(m.selectionChanged, timeout=5000):
        qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=QPoint(vp.x(), vp.y()))
    assert m.selection is not None and m.selection.licence_number == site.licence_number
    txt = window.licence.text()
    assert site.licence_number in txt
    # every assignment frequency of the licence is listed
    for r in m.selection.rows:
        assert f"{r.f_mhz:.4f}" in txt
    # highlighted on the map, selected in the table
    assert len(window.map.highlight.points()) == len({(r.lat, r.lon) for r in m.selection.rows})
    sel = window.register_view.table.selectionModel().selectedRows()
    assert sel and window.register_view.table_model.rows[sel[0].row()].licence_number == site.licence_number


def test_register_filters(window, qtbot, tmp_path):
    m, rv = window.model, window.register_view
    total = len(m.rows_all)
    rv.service.setCurrentIndex(rv.service.findData("fixed"))
    assert m.rows and all(r.service == "fixed" for r in m.rows)
    assert rv.table_model.rowCount() == len(m.rows)
    assert set(window.map.scatters) == {"fixed"}
    rv.clear_filters()
    assert len(m.rows) == total
    rv.f_min.setText("87")
    rv.f_max.setText("108")
    rv.f_max.editingFinished.emit()
    want = [r for r in m.rows_all if r.f_hi_mhz >= 87 and r.f_lo_mhz <= 108]
    assert len(m.rows) == len(want) > 0 and all(r.service == "broadcasting" for r in m.rows)
    rv.clear_filters()
    rv.status.setCurrentIndex(rv.status.findData("application"))
    assert m.rows and all(r.status == "application" for r in m.rows)
    rv.clear_filters()
    qtbot.keyClicks(rv.text, "sheshan")
    qtbot.waitUntil(lambda: len(m.rows) < total, timeout=5000)  # typing is debounced
    assert m.rows and all("sheshan" in r.station_name.lower() for r in m.rows)
    rv.clear_filters()
    rv.f_min.setText("abc")
    rv.f_min.editingFinished.emit()
    assert "f_min_mhz" in rv.error.text() and len(m.rows) == total
    with pytest.raises(ValueError, match="f_max_mhz"):
        m.set_filters(f_min_mhz=100.0, f_max_mhz=50.0)
    # the filtered rows export as CSV with every register field
    import csv

    m.set_filters(service="land_mobile")
    with open(m.export_rows(tmp_path / "rows.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(m.rows) and {r["service"] for r in rows} == {"land_mobile"}
    assert float(rows[0]["f_mhz"]) == m.rows[0].f_mhz and rows[0]["station_name"] == m.rows[0].station_name


def test_spectrum_view(window):
    sv, m = window.spectrum, window.model
    assert sv.lanes == sorted(m.services(), key=lambda s: (s not in ("broadcasting", "mobile", "fixed",
                                                                      "land_mobile"), s))
    n_bars = sum(len(it.opts["x0"]) for it in sv.bar_items)
    assert n_bars == len(m.rows)
    assert sv.alloc_item is not None and len(sv.alloc_item.opts["x0"]) > 50
    txt = sv.describe(100.0)
    assert "BROADCASTING" in txt and "87-108" in txt
    fm = next(r for r in m.rows_all if r.service == "broadcasting" and 87 < r.f_mhz < 108)
    m.select_licence(fm.licence_number)
    sv.zoom_to_selection()
    lo, hi = sv.x_range()
    assert lo < fm.f_mhz < hi and hi - lo < 2.0
    assert fm.licence_number in sv.describe(fm.f_mhz)
    # a click on the bar selects its licence
    m.select_licence(None)
    vb = sv.plot.getPlotItem().getViewBox()
    lane = sv.lanes.index("broadcasting")
    from PySide6.QtCore import QPointF

    sp = vb.mapViewToScene(QPointF(fm.f_mhz, lane + 0.19))
    vp = sv.plot.mapFromScene(sp)
    from PySide6.QtTest import QTest

    QTest.mouseClick(sv.plot.viewport(), Qt.LeftButton, pos=QPoint(vp.x(), vp.y()))
    assert m.selection is not None and m.selection.licence_number in {r.licence_number for r in sv.rows_at(fm.f_mhz)}


def _direct(model, d, h, a, b, f_mhz, p, htg, hrg, pol):
    """The library call the path view must reproduce."""
    from spectrum.propagation import itm, p452, p1812

    lat = p452.path_centre_latitude(a[0], a[1], b[0], b[1])
    if model == "p452":
        return p452.basic_transmission_loss(d, h, f_mhz / 1000, p, htg, hrg, pol=pol, lat=lat)
    if model == "p1812":
        return p1812.basic_transmission_loss(d, h, f_mhz / 1000, p, htg, hrg, pol=pol, lat=lat)
    if model == "p2001":
        from spectrum.propagation import p2001

        return p2001.basic_transmission_loss_typical_climate(d, h, f_mhz / 1000, p, htg, hrg, a, b, pol=pol,
                                                             nd1km50=-45.0)
    return itm.point_to_point((d, h), htg, hrg, f_mhz, pol=pol, n_0=325.0, time=p, location=50.0, situation=50.0)


@pytest.mark.parametrize("model", ["p1812", "itm", "p2001"])
def test_path_view_other_models_equal_library(window, qtbot, small_dem, model):
    from spectrum import terrain

    m = window.model
    a, b = (31.05, 120.85), (31.25, 121.30)
    with qtbot.waitSignal(m.pathChanged, timeout=120000):
        m.set_path(a, b, f_mhz=600.0, p=10.0, htg_m=30.0, hrg_m=10.0, pol="h", model=model)
    d, h = terrain.profile(small_dem, a, b)
    direct = _direct(model, d, h, a, b, 600.0, 10.0, 30.0, 10.0, "h")
    shown = window.path.table_values()
    assert shown and window.path.model_box.currentData() == model
    for key, value in shown.items():
        assert value == pytest.approx(float(getattr(direct, key)), abs=1e-9), key
    assert f"Lb = {float(direct.lb):.2f} dB" in window.path.summary.text()
    # choosing P.452 in the view recomputes the same path with it
    with qtbot.waitSignal(m.pathChanged, timeout=120000):
        window.path.model_box.setCurrentIndex(window.path.model_box.findData("p452"))
    want = _direct("p452", d, h, a, b, 600.0, 10.0, 30.0, 10.0, "h")
    assert window.path.table_values()["lb"] == pytest.approx(float(want.lb), abs=1e-9)


def test_path_view_numbers_equal_library(window, qtbot, small_dem, tmp_path):
    from spectrum.propagation import p452

    m = window.model
    a, b = (31.10, 120.90), (31.30, 121.25)
    with qtbot.waitSignal(m.pathChanged, timeout=120000):
        m.set_path(a, b, f_mhz=1800.0, p=10.0, htg_m=40.0, hrg_m=15.0, pol="v")
    shown = window.path.table_values()
    ref = path_analysis(small_dem, a, b, f_mhz=1800.0, p=10.0, htg_m=40.0, hrg_m=15.0, pol="v")
    from spectrum import terrain

    d, h = terrain.profile(small_dem, a, b)
    direct = p452.basic_transmission_loss(d, h, 1.8, 10.0, 40.0, 15.0, pol="v",
                                          lat=p452.path_centre_latitude(a[0], a[1], b[0], b[1]))
    assert set(shown) == {k for k, *_ in ref.components()}
    for key, value in shown.items():
        assert value == pytest.approx(float(getattr(direct, key)), abs=1e-9), key
    assert f"Lb = {float(direct.lb):.2f} dB" in window.path.summary.text()
    x, y = window.path.curve_terrain.getData()
    np.testing.assert_allclose(x, d)
    np.testing.assert_allclose(y, ref.terrain_m)
    # export: CSV profile and JSON with the components, as shown
    assert window.path.export_btn.isEnabled()
    import csv

    with open(m.export_path(tmp_path / "p.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == d.size and float(rows[-1]["d_km"]) == pytest.approx(d[-1], abs=1e-6)
    assert float(rows[3]["terrain_on_earth_m"]) == pytest.approx(ref.terrain_m[3], abs=1e-3)
    doc = json.loads(m.export_path(tmp_path / "p.json").read_text())
    assert {c["key"]: c["value"] for c in doc["components"]} == shown and doc["model"] == "p452"
    with pytest.raises(ValueError, match="csv or .json"):
        m.export_path(tmp_path / "p.txt")
    # changing a parameter in the view recomputes through the model
    with qtbot.waitSignal(m.pathChanged, timeout=60000):
        window.path.p.setValue(1.0)
    assert m.path.p == 1.0
    assert window.path.table_values()["lb"] == pytest.approx(
        float(p452.basic_transmission_loss(d, h, 1.8, 1.0, 40.0, 15.0, pol="v",
                                           lat=p452.path_centre_latitude(a[0], a[1], b[0], b[1])).lb), abs=1e-9)


def test_pick_path_on_map(window, qtbot):
    from PySide6.QtCore import QPointF

    m, mv = window.model, window.map
    qtbot.mouseClick(mv.pick_button, Qt.LeftButton)
    assert mv.pick_mode
    pts = [(31.0, 120.9), (31.25, 121.2)]
    view = mv.plot
    with qtbot.waitSignal(m.pathChanged, timeout=120000):
        for la, lo in pts:
            vp = view.mapFromScene(mv.vb.mapViewToScene(QPointF(lo, la)))
            qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=QPoint(vp.x(), vp.y()))
    assert not mv.pick_mode
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Path"
    # the picked points are where we clicked, to within a screen pixel
    px = max(abs(v) for v in mv.vb.viewPixelSize())
    for (la, lo), (pla, plo) in zip(pts, m.path_points):
        assert abs(la - pla) <= 2 * px and abs(lo - plo) <= 2 * px
    assert m.path.distance_km > 10.0


def test_fixed_link_path_from_selection(window, qtbot):
    m = window.model
    link = next(r for r in m.rows_all if r.service == "fixed")
    m.select_licence(link.licence_number)
    with qtbot.waitSignal(m.pathChanged, timeout=120000):
        qtbot.mouseClick(window.licence.path_btn, Qt.LeftButton)
    ends = {(round(r.lat, 6), round(r.lon, 6)) for r in m.selection.rows}
    got = {(round(p[0], 6), round(p[1], 6)) for p in m.path_points}
    assert got == ends
    tx = next(r for r in m.selection.rows if r.role == "tx" and (round(r.lat, 6), round(r.lon, 6)) ==
              (round(m.path.a[0], 6), round(m.path.a[1], 6)))
    assert m.path.f_mhz == tx.f_mhz and m.path.htg_m == tx.h_agl_m
