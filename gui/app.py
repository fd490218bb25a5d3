"""Start the viewer: :func:`run_app` builds the model, the window and the Qt event loop."""
from __future__ import annotations

import os
import sys

__all__ = ["run_app", "make_window"]


def make_window(db=None, *, demo: bool = True, dem=None):
    """Model and main window (not shown) for ``db`` or the demo register; for embedding and tests."""
    import pyqtgraph as pg

    from .main_window import MainWindow
    from .model import ViewerModel

    pg.setConfigOptions(antialias=True)
    model = ViewerModel.open(db, demo=demo, dem=dem)
    return model, MainWindow(model)


def run_app(db=None, *, demo: bool = True, dem=None, screenshot: str | None = None,
            argv: list[str] | None = None) -> int:
    """Open the viewer and run the Qt event loop until the window closes.

    Parameters
    ----------
    db : path, optional
        Register (SQLite). Without it, the sample register in a temporary file (``demo``).
    demo : bool
        Build the sample register when there is no ``db`` (or ``db`` does not exist yet).
    dem : xarray.DataArray, optional
        Terrain; the default terrain (:func:`spectrum.datasets.terrain.default_dem`) if omitted.
    screenshot : path, optional
        Save a PNG of the window once it is drawn and exit (no interaction), e.g. for documentation.

    Returns
    -------
    int
        The event loop's exit status.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    if screenshot and "QT_QPA_PLATFORM" not in os.environ and not os.environ.get("DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Spectrum viewer")
    model, win = make_window(db, demo=demo, dem=dem)
    try:
        win.show()
        errors = []
        if screenshot:
            def shoot():
                try:
                    from spectrum.io import atomic_path

                    with atomic_path(screenshot, suffix=".png") as tmp:
                        if not win.grab().save(str(tmp), "PNG"):
                            raise OSError(f"Qt could not encode the PNG for {screenshot}")
                except Exception as exc:  # noqa: BLE001 - re-raised after the event loop
                    errors.append(exc)
                finally:
                    win.close()
            QTimer.singleShot(300, shoot)
        rc = int(app.exec())
        if errors:
            raise errors[0]
        return rc
    finally:
        model.close()
