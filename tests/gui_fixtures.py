"""Fixtures of the viewer tests (test_gui*.py): a small seeded synthetic DEM, the sample register,
a main window on both. Imported by the test modules, not a conftest (they need PySide6)."""
from __future__ import annotations

import shutil

import pytest
from PySide6.QtGui import QImage

BOUNDS = (30.5, 32.0, 120.5, 122.5)


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


REQUEST = {"service": "fixed", "f_mhz": 7247.0, "bw_khz": 28000.0, "eirp_dbw": 40.0,
           "tx": {"lat": 31.2, "lon": 121.4, "h_agl_m": 40.0, "g_dbi": 38.0, "azimuth_deg": 45.0, "name": "T A"},
           "rx": {"lat": 31.3, "lon": 121.5, "h_agl_m": 40.0, "g_dbi": 38.0, "azimuth_deg": 225.0, "name": "T B"},
           "noise_figure_db": 6.0, "protection": "I/N", "protection_db": -10.0, "polarisation": "v"}


def _non_trivial(path) -> QImage:
    img = QImage(str(path))
    assert not img.isNull()
    assert img.width() >= 800 and img.height() >= 500
    # many distinct colours (relief, markers, text), not a blank window
    sample = {img.pixel(x, y) for x in range(0, img.width(), 7) for y in range(0, img.height(), 7)}
    assert len(sample) > 200, len(sample)
    return img
