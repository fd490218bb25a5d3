"""Spectrum view: assignments as bars along frequency, one lane per service, allocation bands behind."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..compute import SERVICE_STYLE, service_style

__all__ = ["SpectrumView", "BANDS_MHZ"]

#: Quick zoom presets (label, f_lo MHz, f_hi MHz)
BANDS_MHZ = (
    ("all", None, None),
    ("VHF 30-300 MHz", 30.0, 300.0),
    ("FM 87.5-108 MHz", 87.0, 108.5),
    ("PMR 150-160 MHz", 149.5, 160.0),
    ("PMR 440-470 MHz", 440.0, 470.0),
    ("UHF TV 470-700 MHz", 470.0, 700.0),
    ("mobile 700-960 MHz", 700.0, 960.0),
    ("mobile 1.7-2.7 GHz", 1700.0, 2700.0),
    ("3.3-3.8 GHz", 3300.0, 3800.0),
    ("fixed 5.9-8.5 GHz", 5900.0, 8500.0),
    ("fixed 10-40 GHz", 10000.0, 40000.0),
)


class SpectrumView(QWidget):
    """Assignments [f - bw/2, f + bw/2] as bars (granted solid, other statuses pale), allocations behind."""

    assignmentClicked = Signal(str)  # licence number

    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setLabel("bottom", "frequency", units="MHz")
        self.plot.getPlotItem().getAxis("bottom").enableAutoSIPrefix(False)
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.showGrid(x=True, alpha=0.2)
        self.alloc_item = None
        self.bar_items: list = []
        self.sel_item = None
        self.lanes: list[str] = []
        self._rows: list = []
        self._allocation = None
        self.band = QComboBox()
        self.band.addItems([b[0] for b in BANDS_MHZ])
        self.band.currentIndexChanged.connect(self._zoom_band)
        self.zoom_sel = QPushButton("Zoom to selection")
        self.zoom_sel.clicked.connect(self.zoom_to_selection)
        self.readout = QLabel("")
        self.readout.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("band"))
        bar.addWidget(self.band)
        bar.addWidget(self.zoom_sel)
        bar.addWidget(self.readout, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.plot, 1)
        self._selected: list = []
        self.plot.scene().sigMouseMoved.connect(self._moved)
        self.plot.scene().sigMouseClicked.connect(self._clicked)

    # -- drawing ------------------------------------------------------------------------------
    def set_allocation(self, table) -> None:
        """Draw the allocation table's bands (colour of the first primary service) behind the lanes."""
        self._allocation = table
        if self.alloc_item is not None:
            self.plot.removeItem(self.alloc_item)
            self.alloc_item = None
        bands: dict[tuple, list] = {}
        for a in table.allocations:
            bands.setdefault((a.f_lo_mhz, a.f_hi_mhz), []).append(a)
        x0, w, brushes = [], [], []
        for k, ((lo, hi), allocs) in enumerate(sorted(bands.items())):
            prim = [a for a in allocs if a.category == "primary"] or allocs
            _, rgb, _ = service_style(prim[0].service)
            alpha = 45 if k % 2 == 0 else 70
            x0.append(lo)
            w.append(hi - lo)
            brushes.append(pg.mkBrush(*rgb, alpha))
        n = max(len(self.lanes), 1)
        if x0:
            self.alloc_item = pg.BarGraphItem(x0=x0, width=w, y0=-0.5, height=n, brushes=brushes,
                                              pen=pg.mkPen(255, 255, 255, 120, width=0))
            self.alloc_item.setZValue(-10)
            self.plot.addItem(self.alloc_item)

    def set_rows(self, rows, selected_licence: str | None = None) -> None:
        """Draw assignment rows (``AssignmentRow``) as bars, one lane per service."""
        self._rows = list(rows)
        for it in self.bar_items:
            self.plot.removeItem(it)
        self.bar_items = []
        services = sorted({r.service for r in self._rows}, key=lambda s: (s not in SERVICE_STYLE, s))
        relane = services != self.lanes
        self.lanes = services
        for lane, service in enumerate(services):
            rs = [r for r in self._rows if r.service == service]
            _, rgb, _ = service_style(service)
            lo = np.array([r.f_lo_mhz for r in rs])
            w = np.array([r.bw_khz / 1000.0 for r in rs])
            # tx above the lane centre, rx below, so duplex pairs read at a glance
            y0 = np.array([lane if r.role == "tx" else lane - 0.4 for r in rs])
            solid, pale = pg.mkBrush(*rgb, 220), pg.mkBrush(*rgb, 70)
            brushes = [solid if r.status == "granted" else pale for r in rs]
            item = pg.BarGraphItem(x0=lo, width=w, y0=y0, height=0.38, brushes=brushes,
                                   pen=pg.mkPen(*rgb, width=1.5))  # cosmetic outline keeps narrow bars visible
            item.setZValue(10)
            self.plot.addItem(item)
            self.bar_items.append(item)
        ax = self.plot.getPlotItem().getAxis("left")
        ax.setTicks([[(i, s) for i, s in enumerate(services)]])
        self.plot.setYRange(-0.6, len(services) - 0.4, padding=0)
        if relane and self._allocation is not None:
            self.set_allocation(self._allocation)
        self.set_selected(selected_licence)
        if relane:
            self._zoom_band(self.band.currentIndex())

    def set_selected(self, licence_number: str | None) -> None:
        """Outline the assignments of the selected licence."""
        if self.sel_item is not None:
            self.plot.removeItem(self.sel_item)
            self.sel_item = None
        self._selected = [r for r in self._rows if licence_number and r.licence_number == licence_number]
        if self._selected and self.lanes:
            lanes = {s: i for i, s in enumerate(self.lanes)}
            rs = self._selected
            self.sel_item = pg.BarGraphItem(
                x0=[r.f_lo_mhz for r in rs], width=[r.bw_khz / 1000.0 for r in rs],
                y0=[lanes[r.service] - (0 if r.role == "tx" else 0.4) for r in rs], height=0.38, brush=None,
                pen=pg.mkPen((255, 190, 0), width=4))
            self.sel_item.setZValue(20)
            self.plot.addItem(self.sel_item)

    def x_range(self) -> tuple[float, float]:
        return tuple(self.plot.getPlotItem().getViewBox().viewRange()[0])

    def set_x_range(self, lo: float, hi: float) -> None:
        self.plot.setXRange(lo, hi, padding=0.01)

    def zoom_to_selection(self) -> None:
        if not self._selected:
            return
        lo = min(r.f_lo_mhz for r in self._selected)
        hi = max(r.f_hi_mhz for r in self._selected)
        span = max(hi - lo, 0.05)
        self.set_x_range(lo - 0.5 * span, hi + 0.5 * span)

    def _zoom_band(self, index: int) -> None:
        _, lo, hi = BANDS_MHZ[max(index, 0)]
        if lo is None:
            if self._rows:
                lo = min(r.f_lo_mhz for r in self._rows)
                hi = max(r.f_hi_mhz for r in self._rows)
            elif self._allocation is not None:
                lo, hi = self._allocation.f_min_mhz, self._allocation.f_max_mhz
            else:
                return
        self.set_x_range(lo, hi)

    # -- read-outs ----------------------------------------------------------------------------
    def describe(self, f_mhz: float) -> str:
        """Allocations and assignments at ``f_mhz`` (the hover read-out)."""
        parts = [f"<b>{f_mhz:.4f} MHz</b>"]
        if self._allocation is not None:
            al = self._allocation.at(f_mhz)
            if al:
                band = al[0]
                remarks = f": {band.remarks}" if band.remarks else ""
                parts.append("; ".join(f"{a.service.upper() if a.category == 'primary' else a.service}"
                                       + (f" ({' '.join(a.footnotes)})" if a.footnotes else "") for a in al)
                             + f" [{band.f_lo_mhz:g}-{band.f_hi_mhz:g} MHz{remarks}]")
            else:
                parts.append("not allocated in the table")
        hits = self.rows_at(f_mhz)
        if hits:
            names = sorted({r.licence_number for r in hits})
            parts.append(f"{len(hits)} assignment(s): " + ", ".join(names[:6]) + (" ..." if len(names) > 6 else ""))
        return " · ".join(parts)

    def rows_at(self, f_mhz: float, y: float | None = None) -> list:
        tol = 0.002 * (self.x_range()[1] - self.x_range()[0])  # a few pixels
        out = [r for r in self._rows if r.f_lo_mhz - tol <= f_mhz <= r.f_hi_mhz + tol]
        if y is not None and self.lanes:
            lane = int(round(y))
            if 0 <= lane < len(self.lanes):
                out = [r for r in out if r.service == self.lanes[lane]]
        return out

    def _moved(self, pos) -> None:
        vb = self.plot.getPlotItem().getViewBox()
        if self.plot.sceneBoundingRect().contains(pos):
            p = vb.mapSceneToView(pos)
            self.readout.setText(self.describe(float(p.x())))

    def _clicked(self, ev) -> None:
        vb = self.plot.getPlotItem().getViewBox()
        p = vb.mapSceneToView(ev.scenePos())
        hits = self.rows_at(float(p.x()), float(p.y()))
        if hits:
            self.assignmentClicked.emit(hits[0].licence_number)
