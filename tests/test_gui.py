"""Desktop viewer (spectrum.gui): pure computations, every view, the request workflow, the entry point.

Qt runs on the offscreen platform (set in tests/conftest.py). The terrain is a small seeded
synthetic DEM over the default region (30 arc-seconds) so that profiles and evaluations are fast.
"""
from __future__ import annotations

import json
import math
import shutil

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402

from spectrum.gui.compute import (earth_bulge_m, fresnel_radius_m, hillshade, path_analysis,  # noqa: E402
                                  relief_rgb, station_sites)

pytestmark = pytest.mark.gui

BOUNDS = (30.5, 32.0, 120.5, 122.5)


# ----------------------------------------------------------------------------------------
# fixtures
# ----------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def small_dem():
    from spectrum.terrain import synthetic_dem

    dem = synthetic_dem(*BOUNDS, res_arcsec=30.0, seed=7, relief_m=250.0, plain_m=4.0, hills="sw",
                        coast="east", sea_fraction=0.2)
    dem.attrs["source"] = "test synthetic 30 arc-seconds"
    return dem


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory):
    from spectrum.datasets.register import sample_register

    p = tmp_path_factory.mktemp("reg") / "sample.sqlite"
    sample_register(p).close()
    return p


@pytest.fixture
def db(sample_db, tmp_path):
    p = tmp_path / "register.sqlite"
    shutil.copy(sample_db, p)
    return p


@pytest.fixture
def window(qtbot, db, small_dem):
    from spectrum.gui.main_window import MainWindow
    from spectrum.gui.model import ViewerModel

    model = ViewerModel.open(db, demo=False, dem=small_dem)
    win = MainWindow(model)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    model.cancel_evaluation()
    model.pool.waitForDone(60000)
    model.close()


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
def _non_trivial(path) -> QImage:
    img = QImage(str(path))
    assert not img.isNull()
    assert img.width() >= 800 and img.height() >= 500
    # many distinct colours (relief, markers, text), not a blank window
    sample = {img.pixel(x, y) for x in range(0, img.width(), 7) for y in range(0, img.height(), 7)}
    assert len(sample) > 200, len(sample)
    return img


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
    return itm.point_to_point((d, h), htg, hrg, f_mhz, pol=pol, n_0=325.0, time=p, location=50.0, situation=50.0)


@pytest.mark.parametrize("model", ["p1812", "itm"])
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


REQUEST = {"service": "fixed", "f_mhz": 7247.0, "bw_khz": 28000.0, "eirp_dbw": 40.0,
           "tx": {"lat": 31.2, "lon": 121.4, "h_agl_m": 40.0, "g_dbi": 38.0, "azimuth_deg": 45.0, "name": "T A"},
           "rx": {"lat": 31.3, "lon": 121.5, "h_agl_m": 40.0, "g_dbi": 38.0, "azimuth_deg": 225.0, "name": "T B"},
           "noise_figure_db": 6.0, "protection": "I/N", "protection_db": -10.0, "polarisation": "v"}


def test_request_workflow(window, qtbot, tmp_path, small_dem):
    """Fill the form, run, see the decision and the margin table; export text, JSON and HDF5."""
    from spectrum.evaluation import evaluate_request

    m, rv = window.model, window.request
    rv.set_request({})
    rv.set_request(REQUEST)
    # the form round-trips, and typing changes a field
    rv.fields["eirp_dbw"][0].clear()
    qtbot.keyClicks(rv.fields["eirp_dbw"][0], "42")
    form = rv.request()
    assert form["eirp_dbw"] == 42.0 and form["tx"]["lat"] == 31.2 and form["rx"]["azimuth_deg"] == 225.0
    import threading

    failures, done, threads = [], [], []
    m.evaluationFailed.connect(failures.append)
    m.evaluationFinished.connect(done.append)
    m.evaluationFinished.connect(lambda _: threads.append(threading.current_thread()))
    qtbot.mouseClick(rv.run_btn, Qt.LeftButton)
    assert m.evaluation_running and not rv.run_btn.isEnabled() and rv.cancel_btn.isEnabled()
    qtbot.waitUntil(lambda: not m.evaluation_running, timeout=180000)
    assert not failures, failures
    ev = done[0]
    assert threads == [threading.main_thread()]  # results are delivered in the GUI thread
    want = evaluate_request(m.register, dict(REQUEST, eirp_dbw=42.0), dem=small_dem)
    assert ev.decision == want.decision
    assert ev.decision.upper() in rv.decision.text()
    assert rv.progress_text.text().startswith("done in ") and rv.progress.value() == 100
    assert rv.run_btn.isEnabled() and not rv.cancel_btn.isEnabled()
    rows = ev.victim_rows()
    assert rv.victims.rowCount() == len(rows) > 0
    assert rv.interferers.rowCount() == len(ev.interferer_rows())
    worst = min(r["margin_db"] for r in rows)
    assert worst == pytest.approx(want.worst_margin_db, abs=1e-9)
    from spectrum.gui.views.request_view import VICTIM_COLUMNS

    col = [c[0] for c in VICTIM_COLUMNS].index("margin_db")
    assert rv.victims.item(0, col).text() == f"{worst:+.1f}"  # sorted worst first
    assert "DECISION" in rv.report.toPlainText()
    # the map shows the candidate ends and a line per victim / interferer, coloured by margin
    assert len(window.map.candidates.points()) == 2
    n_lines = {k: len(it.getData()[0] if it.getData()[0] is not None else []) // 2
               for k, it in window.map.eval_lines.items()}
    assert n_lines["harm"] == sum(1 for r in rows if r["margin_db"] < 0)
    assert n_lines["harm"] + n_lines["coord"] + n_lines["ok"] == len(rows)
    assert n_lines["int"] == len(ev.interferer_rows())
    # double-click a victim -> its path from the candidate transmitter
    with qtbot.waitSignal(m.pathChanged, timeout=60000):
        rv.victims.cellDoubleClicked.emit(0, 0)
    v = rv.victim_rows_shown()[0]
    assert m.path.a == (31.2, 121.4) and m.path.b == pytest.approx((v["lat"], v["lon"]))
    # export
    for name, fmt in (("r.txt", "text"), ("r.json", "json"), ("r.h5", "hdf5")):
        out = m.export_report(tmp_path / name, fmt)
        assert out.exists() and out.stat().st_size > 100
    assert "DECISION" in (tmp_path / "r.txt").read_text()
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["decision"] == ev.decision and len(doc["victims"]) == len(rows)
    import h5py

    with h5py.File(tmp_path / "r.h5", "r") as f:
        assert f.attrs["decision"] == ev.decision
        assert f["victims/margin_db"].shape == (len(rows),)
    with pytest.raises(ValueError, match="report format"):
        m.export_report(tmp_path / "r.xyz")


def test_default_request_is_the_sample_request(window, qtbot):
    """The form starts on the project's sample request; inline patterns and masks survive the form."""
    requests = pytest.importorskip("spectrum.datasets.requests")
    want = requests.sample_request_dict(embedded=True)
    form = window.request.request()
    for key in ("service", "f_mhz", "rx_f_mhz", "bw_khz", "emission", "eirp_dbw", "noise_figure_db",
                "protection", "protection_db", "tx_mask", "rx_selectivity", "licence_number"):
        assert form[key] == want[key], key
    assert form["tx"] == want["tx"] and form["rx"] == want["rx"]
    # typing in the field replaces the inline dict by the register name typed
    w = window.request.fields["tx_mask"][0]
    w.selectAll()
    qtbot.keyClicks(w, "LTE-20M-TX")
    assert window.request.request()["tx_mask"] == "LTE-20M-TX"
    assert window.request.request()["rx_selectivity"] == want["rx_selectivity"]


def test_request_stored_in_register(window, qtbot):
    m, rv = window.model, window.request
    rv.set_request(dict(REQUEST, licence_number="FS-NEW-9"))
    rv.store_box.setChecked(True)
    with qtbot.waitSignal(m.evaluationFinished, timeout=180000) as blocker:
        qtbot.mouseClick(rv.run_btn, Qt.LeftButton)
    ev = blocker.args[0]
    stored = m.register.evaluations(licence_number="FS-NEW-9")
    assert len(stored) == 1 and stored[0]["decision"] == ev.decision and ev.evaluation_id == stored[0]["id"]
    assert f"evaluation {ev.evaluation_id}" in rv.decision.text()


def test_request_errors_shown(window, qtbot):
    rv, m = window.request, window.model
    rv.set_request(REQUEST)
    rv.fields["tx.lat"][0].setText("north")
    qtbot.mouseClick(rv.run_btn, Qt.LeftButton)
    assert "tx.lat" in rv.decision.text() and not m.evaluation_running
    rv.fields["tx.lat"][0].setText("95")
    qtbot.mouseClick(rv.run_btn, Qt.LeftButton)
    assert "tx.lat" in rv.decision.text() or "lat" in rv.decision.text()
    assert not m.evaluation_running and rv.run_btn.isEnabled()
    with pytest.raises(ValueError, match="no evaluation"):
        m.export_report("x.txt")


def test_request_cancel(window, qtbot):
    m, rv = window.model, window.request
    rv.set_request(REQUEST)
    with qtbot.waitSignal(m.evaluationCancelled, timeout=5000):
        qtbot.mouseClick(rv.run_btn, Qt.LeftButton)
        qtbot.mouseClick(rv.cancel_btn, Qt.LeftButton)
    assert "cancelled" in rv.decision.text().lower()
    assert rv.run_btn.isEnabled() and not m.evaluation_running
    m.pool.waitForDone(180000)
    qtbot.wait(50)  # deliver any queued signal of the abandoned worker
    assert m.evaluation is None and "cancelled" in rv.decision.text().lower()


def test_request_from_selected_application(window):
    m = window.model
    app = next(r for r in m.rows_all if r.status == "application" and r.service == "fixed")
    m.select_licence(app.licence_number)
    window.request_from_selection()
    form = window.request.request()
    assert form["licence_number"] == app.licence_number and form["service"] == "fixed"
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Request"
    assert {form["tx"]["lat"], form["rx"]["lat"]} <= {r.lat for r in m.selection.rows}


def test_layers(window, qtbot, tmp_path, small_dem):
    import xarray as xr

    from spectrum.io import write_netcdf

    m, mv = window.model, window.map
    lat = np.linspace(31.0, 31.5, 51)
    lon = np.linspace(121.0, 121.6, 61)
    field = 60.0 - 20 * np.log10(1 + np.hypot(lat[:, None] - 31.25, lon[None, :] - 121.3) * 100)
    da = xr.DataArray(field, coords={"lat": lat, "lon": lon}, dims=("lat", "lon"), name="e_field",
                      attrs={"units": "dBuV/m"})
    m.add_layer("test field", da)
    assert "test field" in mv.layer_items and mv.colorbar is not None
    assert window.layers.list.count() == 1
    img = mv.layer_items["test field"]
    assert img.image.shape == field.shape
    r = img.mapRectToParent(img.boundingRect())
    assert r.left() == pytest.approx(121.0 - 0.005, abs=1e-9) and r.right() == pytest.approx(121.6 + 0.005, abs=1e-9)
    it = window.layers.list.item(0)
    it.setCheckState(Qt.Unchecked)
    assert not m.layers["test field"].visible and not img.isVisible() and mv.colorbar is None
    it = window.layers.list.item(0)
    it.setCheckState(Qt.Checked)
    assert mv.colorbar is not None
    nc = write_netcdf(da.to_dataset(), tmp_path / "cov.nc")
    layer = m.load_layer(nc)
    assert layer.units == "dBuV/m" and len(m.layers) == 2
    np.testing.assert_allclose(layer.data.values, field)
    m.remove_layer("test field")
    assert "test field" not in mv.layer_items and window.layers.list.count() == 1
    with pytest.raises(ValueError, match="dims"):
        m.add_layer("bad", xr.DataArray(np.zeros(3), dims=("x",)))
    with pytest.raises(FileNotFoundError):
        m.load_layer(tmp_path / "missing.nc")


def test_coverage_and_interference_layers_from_library(window, qtbot):
    from spectrum.gui.model import coverage_available

    if not coverage_available():
        pytest.skip("spectrum.coverage (coverage/interference maps) is not installed in this tree")
    from spectrum import coverage

    m = window.model
    failures = []
    m.layerTaskFailed.connect(failures.append)
    tx = next(r for r in m.rows_all if r.role == "tx" and r.service == "land_mobile")
    m.select_licence(tx.licence_number)
    assert window.licence.cov_btn.isEnabled()
    window.layers.radius.setValue(50.0)  # the map functions' default radius
    with qtbot.waitSignal(m.layersChanged, timeout=300000):
        qtbot.mouseClick(window.licence.cov_btn, Qt.LeftButton)
    assert not failures, failures
    name = next(iter(m.layers))
    assert tx.station_name in name and name in window.map.layer_items
    want = coverage.field_strength_map(m.dem, tx, register=m.register)
    np.testing.assert_array_equal(m.layers[name].data.values, want.transpose("lat", "lon").values)
    assert window.map.colorbar is not None
    # interference: a receiver with registered co-channel transmitters of other licences
    victims = [r for r in m.rows_all if r.role == "rx" and m.co_channel_interferers(r)]
    if not victims:
        pytest.skip("the sample register has no receiver with co-channel transmitters of other licences")
    v = victims[0]
    with qtbot.waitSignal(m.layersChanged, timeout=300000):
        m.compute_interference(v)
    assert not failures, failures
    assert len(m.layers) == 2 and any(v.station_name in k for k in m.layers)


def test_layer_options_and_open_register(window, qtbot, tmp_path):
    """The layers panel passes radius and model to the map functions; another register replaces the first."""
    from spectrum.datasets.register import synthetic_register

    lp = window.layers
    lp.radius.setValue(12.5)
    assert lp.options() == {"radius_km": 12.5}
    lp.model_box.setCurrentIndex(lp.model_box.findData("itm"))
    assert lp.options() == {"radius_km": 12.5, "model": "itm"}
    m = window.model
    m.select_licence(m.rows_all[0].licence_number)
    other = tmp_path / "other.sqlite"
    synthetic_register(other, 200, seed=3).close()
    window.open_register(other)
    assert m.db_path == str(other) and m.selection is None and len(m.rows_all) == 200
    assert window.register_view.table_model.rowCount() == 200
    assert sum(len(sc.points()) for sc in window.map.scatters.values()) == len(m.sites)
    assert str(other) in window.windowTitle()
    window.open_register(tmp_path / "missing.sqlite")  # reported, nothing changes
    assert m.db_path == str(other) and "missing.sqlite" in window.statusBar().currentMessage()


def test_screenshot_entry_point(qtbot, db, small_dem, tmp_path):
    """``spectrum gui --db FILE --dem FILE --screenshot PNG`` draws the window, saves it and exits 0."""
    from spectrum.cli import main
    from spectrum.io import write_netcdf

    dem_nc = write_netcdf(small_dem.to_dataset(name="elevation"), tmp_path / "dem.nc")
    png = tmp_path / "shot.png"
    assert main(["gui", "--db", str(db), "--dem", str(dem_nc), "--screenshot", str(png)]) == 0
    _non_trivial(png)


def test_demo_register_in_temporary_file(qtbot, small_dem, tmp_path):
    """No --db: the sample register is built in a temporary file that close() removes; --db + --demo
    creates it in the named file, which stays."""
    import os

    from spectrum.gui.model import ViewerModel

    m = ViewerModel.open(None, demo=True, dem=small_dem)
    path = m.db_path
    try:
        assert os.path.exists(path) and len(m.rows_all) > 300
        assert {"broadcasting", "mobile", "fixed", "land_mobile"} <= set(m.services())
    finally:
        m.close()
    assert not os.path.exists(path)
    named = tmp_path / "new.sqlite"
    m = ViewerModel.open(named, demo=True, dem=small_dem)
    m.close()
    assert named.exists()
    with pytest.raises(FileNotFoundError, match="not found"):
        ViewerModel.open(tmp_path / "other.sqlite", demo=False, dem=small_dem)
    with pytest.raises(ValueError, match="--db"):
        ViewerModel.open(None, demo=False, dem=small_dem)


def test_cli_errors(tmp_path, capsys):
    from spectrum.cli import main

    assert main(["gui", "--db", str(tmp_path / "missing.sqlite")]) == 2
    assert "missing.sqlite" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        main(["gui", "--help"])
    assert e.value.code == 0
    assert "--screenshot" in capsys.readouterr().out


@pytest.mark.slow
def test_large_register_window(qtbot, tmp_path, small_dem):
    """100 000 stations (``synthetic_register``): every site drawn, filters exact (seconds, not minutes)."""
    import time

    from spectrum.datasets.register import synthetic_register
    from spectrum.gui.main_window import MainWindow
    from spectrum.gui.model import ViewerModel

    p = tmp_path / "big.sqlite"
    synthetic_register(p, 100_000).close()
    t0 = time.perf_counter()
    model = ViewerModel.open(p, demo=False, dem=small_dem)
    win = MainWindow(model)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    t_open = time.perf_counter() - t0
    try:
        assert sum(len(sc.points()) for sc in win.map.scatters.values()) == len(model.sites)
        assert win.register_view.table_model.rowCount() == len(model.rows_all) == 100_000
        model.set_filters(service="fixed")
        assert model.rows and all(r.service == "fixed" for r in model.rows)
        assert sum(len(it.opts["x0"]) for it in win.spectrum.bar_items) == len(model.rows)
        print(f"100 000-station register: model + window in {t_open:.1f} s")
    finally:
        model.close()
