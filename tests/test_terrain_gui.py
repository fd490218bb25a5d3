"""Viewer: real-terrain relief with its coastline, zones in the path view, a tile catalogue as terrain."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")
pytest.importorskip("pytestqt")

from gui_fixtures import sample_db  # noqa: E402,F401  (the sample register, built once)

pytestmark = pytest.mark.gui

BOUNDS = (30.5, 32.0, 120.5, 122.5)


@pytest.fixture(scope="module")
def coast_dem():
    from spectrum.terrain import synthetic_dem

    dem = synthetic_dem(*BOUNDS, res_arcsec=30.0, seed=7, relief_m=250.0, plain_m=4.0, hills="sw",
                        coast="east", sea_fraction=0.2)
    dem.attrs["source"] = "test synthetic coast"
    return dem


def _window(qtbot, db, dem):
    from spectrum.gui.main_window import MainWindow
    from spectrum.gui.model import ViewerModel

    model = ViewerModel.open(db, demo=False, dem=dem)
    win = MainWindow(model)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win, model


def _close(model):
    model.cancel_evaluation()
    model.pool.waitForDone(60000)
    model.close()


def test_coastline_function(coast_dem):
    from spectrum import terrain

    lon, lat = terrain.coastline(coast_dem)
    ok = np.isfinite(lon)
    assert ok.sum() > 50
    # the synthetic coast is in the east: every coastline vertex lies east of the box middle
    assert np.nanmin(lon) > 121.2 and np.nanmax(lat) <= BOUNDS[1] + 1e-9
    flat = terrain.synthetic_dem(31.0, 31.2, 121.0, 121.2, res_arcsec=30.0, seed=1, coast=None)
    assert terrain.coastline(flat)[0].size == 0


def test_relief_coastline_and_path_zones(qtbot, sample_db, tmp_path, coast_dem):
    db = tmp_path / "r.sqlite"
    shutil.copy(sample_db, db)
    win, model = _window(qtbot, db, coast_dem)
    try:
        x, y = win.map.coast.getData()
        assert x is not None and np.isfinite(x).sum() > 50
        with qtbot.waitSignal(model.pathChanged, timeout=60000):
            model.pick_point(31.2, 121.0)
            model.pick_point(31.2, 122.4)
        pv = win.path
        assert pv.zones is not None and set(np.unique(pv.zones.zone)) >= {2, 3}
        xs, ys = pv.zone_curves[3].getData()
        assert np.isfinite(ys).any()  # the sea part of the band is drawn
        assert "zones (P.452-18 Table 3)" in pv.summary.text()
    finally:
        _close(model)


def test_viewer_on_a_catalogue(qtbot, sample_db, tmp_path, coast_dem):
    from spectrum import terrain

    (tmp_path / "tiles").mkdir()
    n = coast_dem.sizes["lon"] // 2
    terrain.save_dem(coast_dem.isel(lon=slice(0, n + 1)), tmp_path / "tiles" / "w.nc")
    terrain.save_dem(coast_dem.isel(lon=slice(n, None)), tmp_path / "tiles" / "e.nc")
    import os

    os.environ["SPECTRUM_CACHE_DIR"] = str(tmp_path / "cache")
    try:
        cat = terrain.Catalogue.open(tmp_path / "tiles")
        db = tmp_path / "r.sqlite"
        shutil.copy(sample_db, db)
        win, model = _window(qtbot, db, cat)
        try:
            x, _ = win.map.coast.getData()
            assert x is not None and np.isfinite(x).sum() > 50
            with qtbot.waitSignal(model.pathChanged, timeout=60000):
                model.pick_point(31.0, 120.7)
                model.pick_point(31.6, 121.3)
            assert win.path.zones is not None
        finally:
            _close(model)
    finally:
        os.environ.pop("SPECTRUM_CACHE_DIR", None)
