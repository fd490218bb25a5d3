"""The viewer's export offers the HTML and PDF decision reports (pytest-qt, offscreen)."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")
pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402

from gui_fixtures import db, sample_db, small_dem, window  # noqa: E402,F401  (the viewer tests' fixtures)

pytestmark = pytest.mark.gui

REQUEST = {"service": "fixed", "f_mhz": 7247.0, "bw_khz": 28000.0, "eirp_dbw": 40.0,
           "tx": {"lat": 31.2, "lon": 121.4, "h_agl_m": 40.0, "g_dbi": 38.0, "azimuth_deg": 45.0, "name": "T A"},
           "rx": {"lat": 31.3, "lon": 121.5, "h_agl_m": 40.0, "g_dbi": 38.0, "azimuth_deg": 225.0, "name": "T B"},
           "noise_figure_db": 6.0, "protection": "I/N", "protection_db": -10.0, "polarisation": "v",
           "licence_number": "GUI-REPORT-1"}


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
