"""Path view: terrain profile on the effective earth, line of sight, first Fresnel zone, loss components."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ..compute import PATH_MODELS

__all__ = ["PathView"]


def _spin(lo, hi, value, decimals, suffix, step=1.0):
    s = QDoubleSpinBox()
    s.setRange(lo, hi)
    s.setDecimals(decimals)
    s.setSingleStep(step)
    s.setValue(value)
    s.setSuffix(suffix)
    s.setKeyboardTracking(False)
    return s


class PathView(QWidget):
    """Profile plot and the table of the model's loss components and geometry (P.452-18, P.1812-6, ITM, P.2001-4)."""

    paramsChanged = Signal(dict)
    exportRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setLabel("bottom", "distance", units="km")
        self.plot.setLabel("left", "height (terrain + earth bulge)", units="m")
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.addLegend(offset=(10, 10), labelTextSize="8pt")
        self.curve_datum = pg.PlotDataItem(pen=pg.mkPen((90, 90, 90), width=1, style=Qt.DashLine),
                                           name="earth curvature (sea level)")
        self.curve_terrain = pg.PlotDataItem(pen=pg.mkPen((110, 80, 40), width=1.5), fillLevel=0.0,
                                             brush=pg.mkBrush(190, 160, 110, 160), name="terrain")
        self.curve_los = pg.PlotDataItem(pen=pg.mkPen((200, 0, 0), width=1.5), name="line of sight")
        self.curve_f_up = pg.PlotDataItem(pen=pg.mkPen((0, 90, 200), width=1, style=Qt.DashLine),
                                          name="1st Fresnel zone")
        self.curve_f_lo = pg.PlotDataItem(pen=pg.mkPen((0, 90, 200), width=1, style=Qt.DashLine))
        self.masts = pg.PlotDataItem(pen=pg.mkPen("k", width=3), connect="pairs")
        self.curve_terrain_k = pg.PlotDataItem(pen=pg.mkPen((0, 140, 70), width=1, style=Qt.DotLine),
                                               name="terrain at link k (P.530)")
        for it in (self.curve_datum, self.curve_terrain, self.curve_f_up, self.curve_f_lo, self.curve_los,
                   self.masts, self.curve_terrain_k):
            self.plot.addItem(it)
        # radio-climatic zones along the path (P.452-18 Table 3), a band under the terrain
        self.zone_curves = {c: pg.PlotDataItem(pen=pg.mkPen(col, width=6), connect="finite", name=name)
                            for c, col, name in ((3, (40, 110, 220), "zone B sea"),
                                                 (1, (60, 180, 120), "zone A1 coastal land"),
                                                 (2, (150, 110, 60), "zone A2 inland"))}
        for it in self.zone_curves.values():
            self.plot.addItem(it)
        self.zones = None
        self.end_labels = [pg.TextItem("", anchor=(0.5, 1.2), color="k"), pg.TextItem("", anchor=(0.5, 1.2), color="k")]
        for t in self.end_labels:
            self.plot.addItem(t)
        # parameters
        self.f_mhz = _spin(0.01, 100000.0, 1000.0, 3, " MHz", 10.0)
        self.p = _spin(0.001, 99.999, 50.0, 3, " %", 1.0)
        self.htg = _spin(0.0, 3000.0, 30.0, 1, " m", 1.0)
        self.hrg = _spin(0.0, 3000.0, 10.0, 1, " m", 1.0)
        self.pol = QComboBox()
        self.pol.addItems(["v", "h"])
        self.model_box = QComboBox()
        for key, (name, _, _) in PATH_MODELS.items():
            self.model_box.addItem(name, key)
        form = QFormLayout()
        form.addRow("model", self.model_box)
        form.addRow("frequency", self.f_mhz)
        form.addRow("time p", self.p)
        form.addRow("Tx height agl", self.htg)
        form.addRow("Rx height agl", self.hrg)
        form.addRow("polarisation", self.pol)
        # fixed-link (P.530-18) overlay: clearance at the chosen k and the link budget
        self.k_factor = _spin(0.1, 10.0, 4.0 / 3.0, 3, "", 0.05)
        self.link_eirp = _spin(-50.0, 80.0, 30.0, 1, " dBW", 1.0)
        self.link_gr = _spin(-10.0, 70.0, 38.0, 1, " dBi", 1.0)
        form.addRow("link k-factor", self.k_factor)
        form.addRow("link EIRP", self.link_eirp)
        form.addRow("link Rx gain", self.link_gr)
        for w in (self.k_factor, self.link_eirp, self.link_gr):
            w.valueChanged.connect(self._redraw_link)
        self.link_label = QLabel("")
        self.link_label.setWordWrap(True)
        self.link_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self._pa = None
        self.link = None
        for w in (self.f_mhz, self.p, self.htg, self.hrg):
            w.valueChanged.connect(self._emit_params)
        self.pol.currentTextChanged.connect(self._emit_params)
        self.model_box.currentIndexChanged.connect(self._emit_params)
        self.summary = QLabel("Pick two points on the map (Pick path), or a victim in the evaluation, "
                              "or 'Path to...' from a station.")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["quantity", "value", "unit"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.export_btn = QPushButton("Export path (CSV / JSON)…")
        self.export_btn.setEnabled(False)
        self.export_btn.clicked.connect(self.exportRequested.emit)
        side = QWidget()
        sl = QVBoxLayout(side)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addLayout(form)
        sl.addWidget(self.export_btn)
        sl.addWidget(self.summary)
        sl.addWidget(self.link_label)
        sl.addWidget(self.table, 1)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(self.plot)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)
        self._quiet = False

    def params(self) -> dict:
        return {"f_mhz": self.f_mhz.value(), "p": self.p.value(), "htg_m": self.htg.value(),
                "hrg_m": self.hrg.value(), "pol": self.pol.currentText(), "model": self.model_box.currentData()}

    def set_params(self, params: dict) -> None:
        """Show the model's parameters without re-emitting them."""
        self._quiet = True
        try:
            for key, w in (("f_mhz", self.f_mhz), ("p", self.p), ("htg_m", self.htg), ("hrg_m", self.hrg)):
                if key in params:
                    w.setValue(float(params[key]))
            if "pol" in params:
                self.pol.setCurrentText(params["pol"])
            if "model" in params:
                self.model_box.setCurrentIndex(max(self.model_box.findData(params["model"]), 0))
        finally:
            self._quiet = False

    def _emit_params(self, *_):
        if not self._quiet:
            self.paramsChanged.emit(self.params())

    def show_busy(self) -> None:
        self.summary.setText("computing the path ...")

    def show_error(self, msg: str) -> None:
        self.summary.setText(f"<span style='color:#b00'>{msg}</span>")

    def show_path(self, pa) -> None:
        """Draw a :class:`spectrum.gui.compute.PathAnalysis`."""
        self.export_btn.setEnabled(True)
        d = pa.d_km
        self.curve_datum.setData(d, pa.bulge_m)
        self.curve_terrain.setData(d, pa.terrain_m)
        self.curve_terrain.setFillLevel(float(min(0.0, np.nanmin(pa.terrain_m))))
        self.curve_los.setData([d[0], d[-1]], [pa.los_m[0], pa.los_m[-1]])
        self.curve_f_up.setData(d, pa.los_m + pa.fresnel_m)
        self.curve_f_lo.setData(d, pa.los_m - pa.fresnel_m)
        self.masts.setData([d[0], d[0], d[-1], d[-1]],
                           [pa.terrain_m[0], pa.los_m[0], pa.terrain_m[-1], pa.los_m[-1]])
        for t, x, y, lbl in ((self.end_labels[0], d[0], pa.los_m[0], pa.labels[0]),
                             (self.end_labels[1], d[-1], pa.los_m[-1], pa.labels[1])):
            t.setText(str(lbl))
            t.setPos(x, y)
        self.plot.getPlotItem().enableAutoRange()
        self.set_params({"f_mhz": pa.f_mhz, "p": pa.p, "htg_m": pa.htg_m, "hrg_m": pa.hrg_m, "model": pa.model,
                         "pol": pa.pol})
        model_name = PATH_MODELS[pa.model][0]
        self.table.setHorizontalHeaderLabels([f"quantity ({model_name})", "value", "unit"])
        clear = ("obstructed" if pa.clearance_r1 < 0 else
                 "partly obstructed 1st Fresnel zone" if pa.clearance_r1 < 0.6 else "clear (≥ 0.6 R1)")
        lines = [f"<b>{pa.labels[0]}</b> ({pa.a[0]:.5f}, {pa.a[1]:.5f}) → <b>{pa.labels[1]}</b> "
                 f"({pa.b[0]:.5f}, {pa.b[1]:.5f})",
                 f"d = {pa.distance_km:.3f} km, bearing {pa.bearing_deg:.1f}°, {d.size} samples; "
                 f"ae = {pa.ae_km:.0f} km (k = {pa.ae_km / 6371.0:.3f})",
                 f"min clearance {pa.clearance_r1:+.2f} R1 ({clear}); free space (P.525-4) "
                 f"{pa.free_space_db:.2f} dB"]
        if pa.result is not None:
            lines.append(f"<b>Lb = {pa.lb_db:.2f} dB</b> ({model_name}, p = {pa.p:g} %, f = {pa.f_mhz:g} MHz)")
        else:
            lines.append(f"<span style='color:#b00'>{pa.error}</span>")
        zl = self._show_zones(pa)
        if zl:
            lines.append(zl)
        self.summary.setText("<br>".join(lines))
        rows = pa.components()
        self.table.setRowCount(len(rows))
        for i, (key, label, value, unit) in enumerate(rows):
            item = QTableWidgetItem(label)
            item.setData(Qt.UserRole, key)
            self.table.setItem(i, 0, item)
            v = QTableWidgetItem(f"{value:.3f}")
            v.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            v.setData(Qt.UserRole, value)
            self.table.setItem(i, 1, v)
            self.table.setItem(i, 2, QTableWidgetItem(unit))
        self._pa = pa
        self._redraw_link()

    def _redraw_link(self, *_):
        """Terrain at the chosen k, its P.530 Fresnel clearance and the link budget of the drawn path."""
        pa = self._pa
        if pa is None:
            return
        from ..compute import link_overlay

        ov = link_overlay(pa, self.k_factor.value(), eirp_dbw=self.link_eirp.value(), gr_dbi=self.link_gr.value())
        self.link = ov
        self.curve_terrain_k.setData(pa.d_km, ov["terrain_k_m"])
        if "error" in ov:
            self.link_label.setText(f"P.530 link: <span style='color:#b00'>{ov['error']}</span>")
            return
        c, b = ov["clearance"], ov["budget"]
        self.link_label.setText(
            f"<b>P.530 link at k = {ov['k']:.3f}</b>: clearance h/F1 = {c['ratio']:+.2f} at {c['d1_km']:.2f} km "
            f"(h = {c['h_m']:.1f} m, F1 = {c['f1_m']:.1f} m, Ad = {c['ad_db']:.1f} dB)<br>"
            f"Prx {b.prx_dbw:.1f} dBW, threshold {b.threshold_dbw:.1f} dBW, fade margin {b.fade_margin_db:.1f} dB, "
            f"availability {b.availability_percent:.4f} % (rain {b.rain_percent:.2g} %, multipath "
            f"{b.multipath_year_percent:.2g} %/year)")

    def _show_zones(self, pa) -> str:
        """Zones of each sample (:func:`spectrum.terrain.profile_zones` on the viewer's terrain) as a band."""
        for c in self.zone_curves.values():
            c.setData([], [])
        self.zones = None
        dem = getattr(getattr(self.window(), "model", None), "dem", None)
        if dem is None or getattr(pa, "lat", None) is None:
            return ""
        from spectrum import terrain

        try:
            pz = terrain.profile_zones(dem, pa.lat, pa.lon, pa.d_km)
        except ValueError:
            return ""
        self.zones = pz
        lo, hi = float(np.nanmin(pa.terrain_m)), float(np.nanmax(pa.los_m))
        y = lo - 0.04 * max(hi - lo, 1.0)
        for code, curve in self.zone_curves.items():
            curve.setData(pa.d_km, np.where(pz.zone == code, y, np.nan))
        return (f"zones (P.452-18 Table 3): longest land {pz.dtm_km:.2f} km, inland {pz.dlm_km:.2f} km, "
                f"over sea ω = {pz.omega:.3f}")

    def table_values(self) -> dict:
        """{component key: value} as shown in the table."""
        out = {}
        for i in range(self.table.rowCount()):
            out[self.table.item(i, 0).data(Qt.UserRole)] = float(self.table.item(i, 1).data(Qt.UserRole))
        return out
