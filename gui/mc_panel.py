"""Monte Carlo panel: run a workspace (or the demo) off the GUI thread, show the probabilities of
interference per criterion and mechanism with their confidence intervals, and the CDFs of dRSS and
iRSS (Rec. ITU-R SM.2028-2, :mod:`spectrum.montecarlo`).

:class:`MonteCarloModel` (a QObject) runs the study on the thread pool and emits signals;
:class:`MonteCarloPanel` only draws what the model holds and forwards the user's clicks.
"""
from __future__ import annotations

import json

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton, QSpinBox,
                               QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from .workers import Cancelled, Task

__all__ = ["MonteCarloModel", "MonteCarloPanel", "CDF_STYLE"]

#: level -> (label, colour) of the CDF curves
CDF_STYLE = {
    "drss_dbw": ("dRSS", (30, 90, 200)),
    "irss_dbw": ("iRSS composite", (200, 30, 30)),
    "irss_unwanted_dbw": ("iRSS unwanted", (230, 140, 20)),
    "irss_blocking_dbw": ("iRSS blocking", (40, 160, 60)),
    "irss_intermod_dbw": ("iRSS intermod", (140, 60, 180)),
}


def _run_task(progress, cancelled, doc, events, seed):
    from spectrum.montecarlo import run

    def prog(done, total):
        progress(int(100 * done / max(total, 1)), f"{done} / {total} events")

    try:
        return run(doc, events, seed, progress=prog, cancelled=cancelled)
    except ValueError as exc:
        if cancelled():
            raise Cancelled() from exc
        raise


class MonteCarloModel(QObject):
    """The panel's state: the workspace document and the last :class:`~spectrum.montecarlo.Results`."""

    workspaceChanged = Signal(str)     # name
    progress = Signal(int, str)
    finished = Signal(object)          # Results
    failed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.doc = None
        self.results = None
        self.task = None
        self.pool = QThreadPool.globalInstance()

    def load_demo(self) -> None:
        from spectrum.montecarlo import demo_workspace

        self.set_document(demo_workspace())

    def load_file(self, path) -> None:
        from spectrum.montecarlo import load_workspace

        try:
            ws = load_workspace(path)
        except (ValueError, FileNotFoundError) as exc:
            self.failed.emit(str(exc))
            return
        self.set_document(ws.raw)

    def set_document(self, doc: dict) -> None:
        from spectrum.montecarlo import parse_workspace

        try:
            ws = parse_workspace(doc)
        except ValueError as exc:
            self.failed.emit(str(exc))
            return
        self.doc = doc
        self.workspaceChanged.emit(ws.name)

    def run(self, events: int, seed: int) -> None:
        if self.doc is None:
            self.failed.emit("load a workspace (or the demo) first")
            return
        if self.task is not None:
            self.task.cancel()
        t = Task(_run_task, self.doc, int(events), int(seed), name="Monte Carlo")
        t.signals.progress.connect(self.progress)
        t.signals.finished.connect(self._done)
        t.signals.failed.connect(self._failed)
        t.signals.cancelled.connect(self._cancelled)
        self.task = t
        self.pool.start(t)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _done(self, task, result) -> None:
        if task is not self.task:
            return
        self.task = None
        self.results = result
        self.finished.emit(result)

    def _failed(self, task, msg) -> None:
        if task is self.task:
            self.task = None
            self.failed.emit(msg)

    def _cancelled(self, task) -> None:
        if task is self.task:
            self.task = None
            self.progress.emit(0, "cancelled")


class MonteCarloPanel(QWidget):
    """Workspace / demo buttons, events and seed, Run; a table of probabilities and a CDF plot."""

    def __init__(self, model: MonteCarloModel | None = None, parent=None):
        super().__init__(parent)
        self.model = model or MonteCarloModel(self)
        self.open_btn = QPushButton("Open workspace…")
        self.demo_btn = QPushButton("Demo (LTE → weather radar)")
        self.events = QSpinBox()
        self.events.setRange(100, 100_000_000)
        self.events.setSingleStep(10000)
        self.events.setValue(20000)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2_000_000_000)
        self.seed.setValue(1)
        self.run_btn = QPushButton("Run")
        self.cancel_btn = QPushButton("Cancel")
        self.bar = QProgressBar()
        self.status = QLabel("no workspace")
        top = QHBoxLayout()
        for w in (self.open_btn, self.demo_btn, QLabel("events"), self.events, QLabel("seed"), self.seed,
                  self.run_btn, self.cancel_btn, self.bar):
            top.addWidget(w)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["criterion", "limit dB", "mechanism", "P(interference)", "interval"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setLabel("bottom", "level", units="dBW")
        self.plot.getPlotItem().getAxis("bottom").enableAutoSIPrefix(False)
        self.plot.setLabel("left", "cumulative probability")
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.addLegend(offset=(10, 10))
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(self.plot)
        split.setSizes([420, 700])
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.status)
        lay.addWidget(split, 1)
        self.curves = {}
        self.open_btn.clicked.connect(self._open)
        self.demo_btn.clicked.connect(self.model.load_demo)
        self.run_btn.clicked.connect(lambda: self.model.run(self.events.value(), self.seed.value()))
        self.cancel_btn.clicked.connect(self.model.cancel)
        self.model.workspaceChanged.connect(lambda name: self.status.setText(f"workspace: {name}"))
        self.model.progress.connect(self._progress)
        self.model.finished.connect(self.show_results)
        self.model.failed.connect(lambda msg: self.status.setText(f"error: {msg}"))

    def _open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open Monte Carlo workspace", "", "Workspace (*.json *.toml)")
        if path:
            self.model.load_file(path)

    def _progress(self, pct: int, text: str) -> None:
        self.bar.setValue(pct)
        self.status.setText(text)

    def show_results(self, res) -> None:
        """Fill the table and draw the CDFs of a :class:`~spectrum.montecarlo.Results`."""
        rows = res.rows()
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            vals = (r["criterion"], f"{r['threshold_db']:g}", r["mechanism"], f"{r['probability']:.5f}",
                    f"[{r['ci_low']:.5f}, {r['ci_high']:.5f}]")
            for j, v in enumerate(vals):
                self.table.setItem(i, j, QTableWidgetItem(v))
        self.plot.clear()
        self.curves = {}
        mechs = set(res.mechanisms())
        for var, (label, colour) in CDF_STYLE.items():
            if var.startswith("irss_") and var != "irss_dbw" and var.split("_")[1] not in mechs:
                continue
            x, p = res.cdf(var)
            if x.size == 0:
                continue
            if x.size > 4000:  # plot at most 4000 points
                k = np.linspace(0, x.size - 1, 4000).astype(int)
                x, p = x[k], p[k]
            self.curves[var] = self.plot.plot(x, p, pen=pg.mkPen(colour, width=2), name=label, stepMode=None)
        self.bar.setValue(100)
        self.status.setText(f"{res.n_events} events, {res.n_valid} counted; "
                            f"{res.n_events / max(res.elapsed_s, 1e-9):,.0f} events/s")

    def summary_json(self) -> str:
        """The last results as JSON (for copying into a report)."""
        return json.dumps(self.model.results.to_dict(), default=float) if self.model.results else "{}"
