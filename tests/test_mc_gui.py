"""Viewer: the Monte Carlo panel (pytest-qt on the offscreen platform): run a small workspace off the
GUI thread, the probability table and the CDF curves; bad workspaces give a message, not a crash;
the main window has the panel as a tab."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")
pytest.importorskip("pytestqt")

pytestmark = pytest.mark.gui

SMALL = {
    "name": "gui small", "seed": 1, "events": 2000,
    "victim": {"rx": {"f_mhz": 900.0, "bw_khz": 200.0, "criteria": {"I/N": -6.0, "C/I": 15.0},
                      "blocking": {"offset_khz": [0.0, 1000.0], "value": [30.0, 60.0]}},
               "tx": {"position": {"mode": "disc", "radius_km": 1.0}, "power_dbw": 0.0}},
    "interferers": [{"name": "a", "tx": {"position": {"mode": "disc", "radius_km": 5.0}, "power_dbw": -20.0,
                                         "f_mhz": 900.4, "bw_khz": 200.0}}],
}


@pytest.fixture
def panel(qtbot):
    from spectrum.gui.mc_panel import MonteCarloPanel

    p = MonteCarloPanel()
    qtbot.addWidget(p)
    p.show()
    yield p
    p.model.cancel()
    p.model.pool.waitForDone(60000)


def test_panel_runs_and_draws(qtbot, panel, tmp_path):
    w = tmp_path / "w.json"
    w.write_text(json.dumps(SMALL))
    panel.model.load_file(w)
    assert "gui small" in panel.status.text()
    panel.events.setValue(3000)
    with qtbot.waitSignal(panel.model.finished, timeout=120000):
        panel.run_btn.click()
    res = panel.model.results
    assert res.n_events == 3000
    # table: 2 criteria x (composite, unwanted, blocking)
    assert panel.table.rowCount() == 6
    cells = {(panel.table.item(i, 0).text(), panel.table.item(i, 2).text()): panel.table.item(i, 3).text()
             for i in range(6)}
    assert float(cells[("I/N", "composite")]) == pytest.approx(res.probability("I/N"), abs=1e-5)
    assert {"drss_dbw", "irss_dbw", "irss_unwanted_dbw", "irss_blocking_dbw"} <= set(panel.curves)
    x, y = panel.curves["irss_dbw"].getData()
    assert len(x) > 100 and y[-1] == pytest.approx(1.0) and (y[1:] >= y[:-1]).all()
    assert json.loads(panel.summary_json())["events"] == 3000


def test_panel_reports_bad_workspace(qtbot, panel, tmp_path):
    bad = dict(SMALL, events=-5)
    w = tmp_path / "bad.json"
    w.write_text(json.dumps(bad))
    with qtbot.waitSignal(panel.model.failed, timeout=5000):
        panel.model.load_file(w)
    assert "events = -5 must be >= 1" in panel.status.text()
    with qtbot.waitSignal(panel.model.failed, timeout=5000):
        panel.model.run(100, 1)   # nothing loaded


def test_main_window_has_mc_tab(qtbot, tmp_path):
    from spectrum.datasets.register import sample_register
    from spectrum.gui.main_window import MainWindow
    from spectrum.gui.model import ViewerModel
    from spectrum.terrain import synthetic_dem

    db = tmp_path / "r.sqlite"
    sample_register(db).close()
    model = ViewerModel.open(db, demo=False, dem=synthetic_dem(30.5, 31.0, 120.5, 121.0, res_arcsec=60.0, seed=1))
    win = MainWindow(model)
    qtbot.addWidget(win)
    names = [win.tabs.tabText(i) for i in range(win.tabs.count())]
    assert "Monte Carlo" in names and win.montecarlo is not None
    model.close()
