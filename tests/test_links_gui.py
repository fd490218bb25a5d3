"""Viewer: the path view's fixed-link overlay (P.530-18 clearance at the chosen k and the budget),
pytest-qt on the offscreen platform (fixtures from tests/gui_fixtures.py)."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")
pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from spectrum.gui.compute import earth_bulge_m  # noqa: E402

from gui_fixtures import db, sample_db, small_dem, window  # noqa: E402,F401  (the viewer tests' fixtures)


def test_path_view_link_clearance_and_budget(window, qtbot):
    """The path view's P.530 overlay: clearance at the chosen k and the budget equal the library."""
    from spectrum.links import link_budget
    from spectrum.propagation import p530

    m = window.model
    link = next(r for r in m.rows_all if r.service == "fixed" and r.f_mhz > 17000)
    m.select_licence(link.licence_number)
    with qtbot.waitSignal(m.pathChanged, timeout=120000):
        qtbot.mouseClick(window.licence.path_btn, Qt.LeftButton)
    pv = window.path
    pa = m.path
    ov = pv.link
    assert ov is not None and "error" not in ov
    k = pv.k_factor.value()  # 4/3 shown to 3 decimals
    assert k == pytest.approx(4.0 / 3.0, abs=1e-3)
    want = p530.path_clearance(pa.d_km, pa.h_m, pa.htg_m, pa.hrg_m, pa.f_mhz / 1000.0, k)
    assert ov["clearance"]["ratio"] == pytest.approx(want["ratio"], rel=1e-12)
    assert "h/F1" in pv.link_label.text()
    x, y = pv.curve_terrain_k.getData()
    assert np.allclose(y, pa.h_m + earth_bulge_m(pa.d_km, pa.distance_km, 6371.0 * k))
    pv.k_factor.setValue(0.5)  # sub-refractive: the bulge grows, the clearance shrinks
    assert pv.link["k"] == 0.5 and pv.link["clearance"]["ratio"] < want["ratio"]
    b = pv.link["budget"]
    assert b.fade_margin_db == pytest.approx(b.prx_dbw - b.threshold_dbw)
    assert b.prx_dbw == pytest.approx(link_budget(b_link := pv_link(pa, pv), profile=(pa.d_km, pa.h_m)).prx_dbw)
    del b_link


def pv_link(pa, pv):
    from spectrum.antennas import Antenna
    from spectrum.links import Link, Terminal

    ant = Antenna("omni", pv.link_gr.value())
    return Link(Terminal("a", pa.a[0], pa.a[1], pa.htg_m, ant, feeder_loss_db=0.5, polarisation=pa.pol),
                Terminal("b", pa.b[0], pa.b[1], pa.hrg_m, ant, feeder_loss_db=0.5, polarisation=pa.pol),
                pa.f_mhz, 28000.0, pv.link_eirp.value())
