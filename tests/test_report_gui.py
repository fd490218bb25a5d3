"""The viewer's export offers the HTML and PDF decision reports (pytest-qt, offscreen)."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")
pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402

pytestmark = pytest.mark.gui

REQUEST = {"service": "fixed", "f_mhz": 7247.0, "bw_khz": 28000.0, "eirp_dbw": 40.0,
           "tx": {"lat": 31.2, "lon": 121.4, "h_agl_m": 40.0, "g_dbi": 38.0, "azimuth_deg": 45.0, "name": "T A"},
           "rx": {"lat": 31.3, "lon": 121.5, "h_agl_m": 40.0, "g_dbi": 38.0, "azimuth_deg": 225.0, "name": "T B"},
           "noise_figure_db": 6.0, "protection": "I/N", "protection_db": -10.0, "polarisation": "v",
           "licence_number": "GUI-REPORT-1"}


@pytest.fixture
def window(qtbot, tmp_path):
    from spectrum.datasets.register import sample_register
    from spectrum.gui.main_window import MainWindow
    from spectrum.gui.model import ViewerModel
    from spectrum.terrain import synthetic_dem

    db = tmp_path / "r.sqlite"
    sample_register(db).close()
    dem = synthetic_dem(30.5, 32.0, 120.5, 122.5, res_arcsec=30.0, seed=7, relief_m=250.0, plain_m=4.0, hills="sw",
                        coast="east", sea_fraction=0.2)
    model = ViewerModel.open(db, demo=False, dem=dem)
    win = MainWindow(model)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    model.cancel_evaluation()
    model.pool.waitForDone(60000)
    model.close()


def test_export_html_and_pdf_reports(window, qtbot, tmp_path, monkeypatch):
    m, rv = window.model, window.request
    assert {"html", "pdf"} <= set(rv.export_btns)
    assert not rv.export_btns["pdf"].isEnabled()
    with qtbot.waitSignal(m.evaluationFinished, timeout=180000):
        m.run_evaluation(REQUEST, model="free-space", max_distance_km=30)
    assert rv.export_btns["html"].isEnabled() and rv.export_btns["pdf"].isEnabled()
    head = m.register.audit(limit=1)[-1]["hash"]
    out = m.export_report(tmp_path / "r.html")
    text = out.read_text(encoding="utf-8")
    assert "GUI-REPORT-1" in text and m.evaluation.decision.upper() in text and head in text
    # the PDF button asks for a file name and writes the report there
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "r.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.mouseClick(rv.export_btns["pdf"], Qt.LeftButton)  # drawn off the GUI thread
    qtbot.waitUntil(lambda: f"wrote {target}" in window.statusBar().currentMessage(), timeout=120000)
    assert target.read_bytes()[:5] == b"%PDF-" and target.stat().st_size > 20000
