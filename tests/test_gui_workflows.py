"""Desktop viewer (spectrum.gui): the licence-request workflow, map layers, opening registers,
the entry point and its errors, a large register (the views and pure computations are in test_gui.py).
"""
from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")
pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from gui_fixtures import REQUEST, _non_trivial, db, sample_db, small_dem, window  # noqa: E402,F401

pytestmark = pytest.mark.gui


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
    from spectrum.datasets import requests

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

    assert coverage_available()   # spectrum.coverage ships with the package: a failed import is a failure
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
