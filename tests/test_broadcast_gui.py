"""The viewer's layer panel offers the P.1546-6 broadcast maps (pytest-qt, offscreen)."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")
pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def small_dem():
    from spectrum.terrain import synthetic_dem

    return synthetic_dem(30.5, 32.0, 120.5, 122.5, res_arcsec=30.0, seed=7, relief_m=250.0, coast="east")


@pytest.fixture
def window(qtbot, tmp_path, small_dem):
    from spectrum.datasets.register import sample_register
    from spectrum.gui.main_window import MainWindow
    from spectrum.gui.model import ViewerModel

    p = tmp_path / "r.sqlite"
    sample_register(p).close()
    model = ViewerModel.open(p, demo=False, dem=small_dem)
    win = MainWindow(model)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    model.pool.waitForDone(60000)
    model.close()
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_broadcast_maps_in_layer_panel(window, qtbot):
    from spectrum import broadcast
    from spectrum.gui.compute import broadcast_system

    m = window.model
    failures = []
    m.layerTaskFailed.connect(failures.append)
    txs = [r for r in m.rows_all if r.role == "tx" and r.service == "broadcasting" and 30 <= r.f_mhz <= 4000
           and r.status == "granted"]
    assert txs, "the sample register has broadcasting transmitters"
    tx = next((r for r in txs if len(m.broadcast_network(r)) > 1), txs[0])
    m.select_licence(tx.licence_number)
    lp = window.layers
    assert [lp.broadcast_box.itemData(i) for i in range(lp.broadcast_box.count())] == \
        ["coverage", "interference", "best-server", "ci"]
    lp.radius.setValue(15.0)
    lp.broadcast_box.setCurrentIndex(lp.broadcast_box.findData("coverage"))
    sel_tx = next(r for r in m.selection.rows if r.role == "tx")
    with qtbot.waitSignal(m.layersChanged, timeout=300000):
        qtbot.mouseClick(lp.broadcast_btn, Qt.LeftButton)
    assert not failures, failures
    name = next(iter(m.layers))
    assert "coverage" in name and name in window.map.layer_items
    want = broadcast.coverage_map(m.dem, sel_tx, broadcast_system(sel_tx), radius_km=15.0, register=m.register)
    np.testing.assert_array_equal(m.layers[name].data.values, want["margin_db"].values)
    if len(m.broadcast_network(sel_tx)) > 1:
        with qtbot.waitSignal(m.layersChanged, timeout=300000):
            m.compute_broadcast("best-server", sel_tx, radius_km=15.0)
        assert not failures, failures
        assert len(m.layers) == 2


def test_broadcast_map_errors(window):
    m = window.model
    rx = next(r for r in m.rows_all if r.role == "rx")
    with pytest.raises(ValueError, match="receiver"):
        m.compute_broadcast("coverage", rx)
    tx = next(r for r in m.rows_all if r.role == "tx")
    with pytest.raises(ValueError, match="kind"):
        m.compute_broadcast("heatmap", tx)
