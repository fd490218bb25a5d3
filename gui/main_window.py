"""The main window: the one place where the views are wired to the :class:`ViewerModel`."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFileDialog, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QMainWindow, QPushButton, QSplitter, QTabWidget, QVBoxLayout,
                               QWidget)

from .model import ViewerModel, coverage_available
from .views import LicencePanel, MapView, PathView, RegisterView, RequestView, SpectrumView

__all__ = ["MainWindow"]

TABS = ("Register", "Spectrum", "Path", "Request")


class LayersPanel(QWidget):
    """List of raster layers with visibility check boxes."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.list = QListWidget()
        self.open_btn = QPushButton("Open layer file…")
        self.remove_btn = QPushButton("Remove")
        self.radius = QDoubleSpinBox()
        self.radius.setRange(1.0, 300.0)
        self.radius.setValue(30.0)
        self.radius.setSuffix(" km")
        self.model_box = QComboBox()
        self.model_box.addItem("auto (P.1812 broadcasting / < 100 MHz, else P.452)", "auto")
        for key, label in (("p452", "Rec. ITU-R P.452-18"), ("p1812", "Rec. ITU-R P.1812-6"),
                           ("itm", "NTIA ITM 1.2.2")):
            self.model_box.addItem(label, key)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel("<b>Layers</b> (coverage / interference maps)"))
        opts = QHBoxLayout()
        opts.addWidget(QLabel("radius"))
        opts.addWidget(self.radius)
        opts.addWidget(QLabel("model"))
        opts.addWidget(self.model_box, 1)
        lay.addLayout(opts)
        lay.addWidget(self.list, 1)
        bar = QHBoxLayout()
        bar.addWidget(self.open_btn)
        bar.addWidget(self.remove_btn)
        lay.addLayout(bar)
        self.broadcast_box = QComboBox()  # P.1546-6 broadcast maps of the selected transmitter
        for key, label in (("coverage", "broadcast coverage"), ("interference", "broadcast interference"),
                           ("best-server", "best server"), ("ci", "C/I")):
            self.broadcast_box.addItem(label, key)
        self.broadcast_btn = QPushButton("Broadcast map")
        bc = QHBoxLayout()
        bc.addWidget(self.broadcast_box, 1)
        bc.addWidget(self.broadcast_btn)
        lay.addLayout(bc)

    def options(self) -> dict:
        """Keyword arguments for the map functions: radius and (unless automatic) model."""
        out = {"radius_km": self.radius.value()}
        if self.model_box.currentData() != "auto":
            out["model"] = self.model_box.currentData()
        return out

    def set_layers(self, layers) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for name, layer in layers.items():
            it = QListWidgetItem(f"{name}" + (f" [{layer.units}]" if layer.units else ""))
            it.setData(Qt.UserRole, name)
            it.setFlags(it.flags() | Qt.ItemIsUserCheckable)
            it.setCheckState(Qt.Checked if layer.visible else Qt.Unchecked)
            self.list.addItem(it)
        self.list.blockSignals(False)


class MainWindow(QMainWindow):
    """Map with licence details and layers on top; register, spectrum, path and request tabs below."""

    def __init__(self, model: ViewerModel, parent=None):
        super().__init__(parent)
        self.model = model
        self.setWindowTitle(f"Spectrum viewer — {model.db_path or 'register'}")
        self.resize(1500, 950)
        self.map = MapView()
        self.licence = LicencePanel()
        self.layers = LayersPanel()
        self.register_view = RegisterView()
        self.spectrum = SpectrumView()
        self.path = PathView()
        self.request = RequestView()
        right = QSplitter(Qt.Vertical)
        right.addWidget(self.licence)
        right.addWidget(self.layers)
        right.setStretchFactor(0, 3)
        top = QSplitter(Qt.Horizontal)
        top.addWidget(self.map)
        top.addWidget(right)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 1)
        top.setSizes([1000, 420])
        self.tabs = QTabWidget()
        for name, w in zip(TABS, (self.register_view, self.spectrum, self.path, self.request)):
            self.tabs.addTab(w, name)
        from .mc_panel import MonteCarloPanel  # Monte Carlo sharing studies (spectrum.montecarlo)

        self.montecarlo = MonteCarloPanel()
        self.tabs.addTab(self.montecarlo, "Monte Carlo")
        main = QSplitter(Qt.Vertical)
        main.addWidget(top)
        main.addWidget(self.tabs)
        main.setSizes([560, 390])
        self.setCentralWidget(main)
        self.position = QLabel("")
        self.statusBar().addPermanentWidget(self.position)
        self._menus()
        self._wire()
        self._initial_draw()

    # -- construction -------------------------------------------------------------------------
    def _menus(self) -> None:
        m = self.menuBar().addMenu("&File")
        a = QAction("&Open register…", self)
        a.setShortcut("Ctrl+O")
        a.triggered.connect(self._open_register)
        m.addAction(a)
        a = QAction("Open &layer file…", self)
        a.triggered.connect(self._open_layer)
        m.addAction(a)
        a = QAction("Save &screenshot…", self)
        a.triggered.connect(self._save_screenshot)
        m.addAction(a)
        m.addSeparator()
        a = QAction("&Quit", self)
        a.setShortcut("Ctrl+Q")
        a.triggered.connect(self.close)
        m.addAction(a)
        v = self.menuBar().addMenu("&View")
        a = QAction("&Fit terrain", self)
        a.triggered.connect(self.map.fit)
        v.addAction(a)
        a = QAction("&Pick path", self)
        a.triggered.connect(lambda: self.map.set_pick_mode(True))
        v.addAction(a)

    def _wire(self) -> None:
        m = self.model
        m.registerLoaded.connect(lambda: self.register_view.set_choices(m.services(), m.statuses()))
        m.rowsChanged.connect(self._rows_changed)
        m.selectionChanged.connect(self._selection_changed)
        m.pathPointsChanged.connect(self.map.set_path_points)
        m.pathStarted.connect(self.path.show_busy)
        m.pathChanged.connect(self.path.show_path)
        m.pathFailed.connect(self.path.show_error)
        m.layersChanged.connect(self._layers_changed)
        m.layerTaskFailed.connect(lambda msg: self.statusBar().showMessage(f"layer: {msg}", 15000))
        m.message.connect(lambda msg: self.statusBar().showMessage(msg, 10000))
        m.evaluationStarted.connect(self.request.show_running)
        m.evaluationProgress.connect(self.request.show_progress)
        m.evaluationFinished.connect(self.request.show_evaluation)
        m.evaluationFinished.connect(self._evaluation_on_map)
        m.evaluationStarted.connect(lambda: self.map.set_evaluation([], []))
        m.evaluationFailed.connect(self.request.show_error)
        m.evaluationCancelled.connect(self.request.show_cancelled)
        self.map.siteClicked.connect(m.select_site)
        self.map.pointPicked.connect(self._point_picked)
        self.map.mouseMoved.connect(self._mouse_moved)
        self.register_view.filtersChanged.connect(self._filters_changed)
        self.register_view.licenceActivated.connect(m.select_licence)
        self.spectrum.assignmentClicked.connect(m.select_licence)
        self.path.paramsChanged.connect(self._path_params)
        self.path.exportRequested.connect(self._export_path)
        self.register_view.exportRequested.connect(self._export_rows)
        self.licence.pathRequested.connect(self.path_from_selection)
        self.licence.coverageRequested.connect(self.coverage_from_selection)
        self.licence.interferenceRequested.connect(self.interference_from_selection)
        self.licence.requestRequested.connect(self.request_from_selection)
        self.layers.list.itemChanged.connect(
            lambda it: m.set_layer_visible(it.data(Qt.UserRole), it.checkState() == Qt.Checked))
        self.layers.open_btn.clicked.connect(self._open_layer)
        self.layers.remove_btn.clicked.connect(self._remove_layer)
        self.layers.broadcast_btn.clicked.connect(self.broadcast_from_selection)
        self.request.runRequested.connect(self.run_request)
        self.request.cancelRequested.connect(m.cancel_evaluation)
        self.request.fromSelectionRequested.connect(self.request_from_selection)
        self.request.exportRequested.connect(self._export)
        self.request.victimActivated.connect(self.path_to_victim)
        self.request.interfererActivated.connect(self.path_from_interferer)

    def _initial_draw(self) -> None:
        m = self.model
        rgb, bounds = m.relief()
        self.map.set_relief(rgb, bounds)
        self.spectrum.set_allocation(m.allocation)
        self.register_view.set_choices(m.services(), m.statuses())
        self._rows_changed()
        self.path.set_params(m.path_params)
        self.request.set_request(self.default_request())
        self.statusBar().showMessage(f"terrain: {m.dem.attrs.get('source', '')}", 20000)

    def default_request(self) -> dict:
        """The starting request: the project's sample request (an LTE-1800 sector in Minhang, patterns and
        masks inline) when the terrain covers it, else a 7 GHz fixed link in the middle of the terrain."""
        lat0, lat1, lon0, lon1 = self.model.relief()[1]
        try:
            from spectrum.datasets.requests import sample_request_dict

            req = sample_request_dict(embedded=True)
            if all(lat0 <= req[e]["lat"] <= lat1 and lon0 <= req[e]["lon"] <= lon1 for e in ("tx", "rx")):
                return req
        except ImportError:  # sample requests not installed
            pass
        la, lo = 0.5 * (lat0 + lat1), 0.5 * (lon0 + lon1)
        return {"service": "fixed", "f_mhz": 7247.0, "bw_khz": 28000.0, "eirp_dbw": 40.0,
                "tx": {"lat": round(la - 0.05, 5), "lon": round(lo - 0.05, 5), "h_agl_m": 40.0, "g_dbi": 38.0,
                       "azimuth_deg": 35.0, "name": "New link A"},
                "rx": {"lat": round(la + 0.05, 5), "lon": round(lo + 0.05, 5), "h_agl_m": 40.0, "g_dbi": 38.0,
                       "azimuth_deg": 215.0, "name": "New link B"},
                "noise_figure_db": 6.0, "protection": "I/N", "protection_db": -10.0, "polarisation": "v"}

    # -- model -> views -----------------------------------------------------------------------
    def _rows_changed(self) -> None:
        m = self.model
        self.map.set_sites(m.sites)
        self.register_view.set_rows(m.rows, len(m.rows_all))
        sel = m.selection.licence_number if m.selection else None
        self.spectrum.set_rows(m.rows, sel)

    def _selection_changed(self, sel) -> None:
        self.licence.show_selection(sel, coverage=coverage_available())
        if sel is None:
            self.map.set_highlight([])
            self.spectrum.set_selected(None)
            self.register_view.select_licence(None)
            return
        self.map.set_highlight(sorted({(r.lat, r.lon) for r in sel.rows}))
        self.spectrum.set_selected(sel.licence_number)
        self.register_view.select_licence(sel.licence_number)
        self.statusBar().showMessage(f"selected {sel.licence_number} ({sel.licence.get('service')}, "
                                     f"{sel.licence.get('status')}), {len(sel.rows)} assignment(s)", 10000)

    def _layers_changed(self) -> None:
        self.map.set_layers(self.model.layers)
        self.layers.set_layers(self.model.layers)

    def _evaluation_on_map(self, ev) -> None:
        """Candidate stations as stars; lines to each victim (red harmful, amber coordination, green
        protected) and from each registered interferer (purple)."""
        cands, links = [], []
        r = ev.request
        coord = float(ev.inputs.get("coordination_margin_db", 3.0))
        if r.tx is not None:
            cands.append((r.tx.lat, r.tx.lon))
            for v in ev.victim_rows():
                m = v.get("margin_db")
                kind = "harm" if m is not None and m < 0 else ("coord" if m is None or m < coord else "ok")
                links.append((r.tx.lat, r.tx.lon, v["lat"], v["lon"], kind))
        if r.rx is not None:
            cands.append((r.rx.lat, r.rx.lon))
            for i in ev.interferer_rows():
                links.append((i["lat"], i["lon"], r.rx.lat, r.rx.lon, "int"))
        self.map.set_evaluation(cands, links)

    # -- gestures -> model --------------------------------------------------------------------
    def _filters_changed(self, f: dict) -> None:
        try:
            self.model.set_filters(**f)
        except ValueError as exc:
            self.register_view.show_error(str(exc))

    def _path_params(self, params: dict) -> None:
        try:
            self.model.set_path_params(**params)
        except ValueError as exc:
            self.path.show_error(str(exc))

    def _point_picked(self, lat: float, lon: float) -> None:
        self.model.pick_point(lat, lon)
        if len(self.model.path_points) == 2:
            self.map.set_pick_mode(False)
            self.tabs.setCurrentIndex(TABS.index("Path"))

    def _mouse_moved(self, lat: float, lon: float) -> None:
        from spectrum.terrain import dem_bounds, elevation_m

        b = dem_bounds(self.model.dem)
        if b[0] <= lat <= b[1] and b[2] <= lon <= b[3]:
            h = float(elevation_m(self.model.dem, lat, lon))
            self.position.setText(f"{lat:.5f} N  {lon:.5f} E  h = {h:.1f} m")
        else:
            self.position.setText(f"{lat:.5f} N  {lon:.5f} E")

    def path_from_selection(self) -> None:
        """Path of the selected licence: a fixed link's two ends, else pick the far end on the map."""
        sel = self.model.selection
        if sel is None:
            return
        txs = [r for r in sel.rows if r.role == "tx"]
        rxs = [r for r in sel.rows if r.role == "rx"]
        for t in txs:
            for r in rxs:
                if (round(r.lat, 6), round(r.lon, 6)) != (round(t.lat, 6), round(t.lon, 6)):
                    self.model.path_between_rows(t, r)
                    self.tabs.setCurrentIndex(TABS.index("Path"))
                    return
        st = (txs or sel.rows)[0]
        self.model.path_points = []
        self.model.pick_point(st.lat, st.lon)
        self.model.set_path_params(htg_m=float(st.h_agl_m), f_mhz=float(st.f_mhz))
        self.path.set_params(self.model.path_params)
        self.map.set_pick_mode(True)
        self.map.info.setText(f"path from {st.station_name}: click the far end")

    def coverage_from_selection(self) -> None:
        sel = self.model.selection
        txs = [r for r in sel.rows if r.role == "tx"] if sel else []
        if not txs:
            return
        try:
            self.model.compute_coverage(txs[0], **self.layers.options())
        except ValueError as exc:
            self.statusBar().showMessage(str(exc), 15000)

    def broadcast_from_selection(self) -> None:
        """P.1546-6 broadcast map (the layer panel's choice) around the selected transmitter."""
        sel = self.model.selection
        txs = [r for r in sel.rows if r.role == "tx"] if sel else []
        if not txs:
            self.statusBar().showMessage("select a transmitting station for a broadcast map", 15000)
            return
        try:
            self.model.compute_broadcast(self.layers.broadcast_box.currentData(), txs[0],
                                         radius_km=self.layers.radius.value())
        except ValueError as exc:
            self.statusBar().showMessage(str(exc), 15000)

    def interference_from_selection(self) -> None:
        """I/N map into a receiver like the selected one from the registered co-channel transmitters."""
        sel = self.model.selection
        rxs = [r for r in sel.rows if r.role == "rx"] if sel else []
        if not rxs:
            return
        try:
            self.model.compute_interference(rxs[0], **self.layers.options())
        except ValueError as exc:
            self.statusBar().showMessage(str(exc), 15000)

    def request_from_selection(self) -> None:
        """Fill the request form from the selected licence (its first tx and rx stations)."""
        from spectrum.evaluation import Request

        sel = self.model.selection
        if sel is None:
            self.request.show_error("select a licence first (map, register or spectrum view)")
            return
        try:
            req = Request.from_register(self.model.register, sel.licence_number,
                                        status=(sel.licence.get("status", "application"),))
        except ValueError as exc:
            self.request.show_error(str(exc))
            return
        self.request.set_request(req.to_dict())
        self.tabs.setCurrentIndex(TABS.index("Request"))

    def run_request(self, req: dict, model: str) -> None:
        try:
            self.model.run_evaluation(req, model=model, store=self.request.store_box.isChecked(),
                                      **self.request.options())
        except ValueError as exc:
            self.request.show_error(str(exc))

    def _station_row(self, station_id):
        for r in self.model.rows_all:
            if r.station_id == station_id:
                return r
        return None

    def path_to_victim(self, row: dict) -> None:
        """Path view from the candidate transmitter to a victim receiver of the evaluation."""
        ev = self.model.evaluation
        if ev is None or ev.request.tx is None:
            return
        tx = ev.request.tx
        vic = self._station_row(row.get("station_id"))
        hrg = float(vic.h_agl_m) if vic is not None else 10.0
        p = float(ev.inputs.get("p_long_percent", 20.0))
        self.model.set_path((tx.lat, tx.lon), (row["lat"], row["lon"]), labels=(tx.name or "candidate Tx",
                            row.get("station_name") or "victim"), f_mhz=float(ev.request.f_mhz),
                            htg_m=float(tx.h_agl_m), hrg_m=hrg, p=p, pol=ev.request.polarisation)
        self.tabs.setCurrentIndex(TABS.index("Path"))

    def path_from_interferer(self, row: dict) -> None:
        """Path view from a registered transmitter to the candidate receiver."""
        ev = self.model.evaluation
        if ev is None or ev.request.rx is None:
            return
        rx = ev.request.rx
        it = self._station_row(row.get("station_id"))
        htg = float(it.h_agl_m) if it is not None else 10.0
        pol = it.polarisation if it is not None and it.polarisation in ("h", "v") else "v"
        p = float(ev.inputs.get("p_long_percent", 20.0))
        self.model.set_path((row["lat"], row["lon"]), (rx.lat, rx.lon),
                            labels=(row.get("station_name") or "interferer", rx.name or "candidate Rx"),
                            f_mhz=float(row["f_mhz"]), htg_m=htg, hrg_m=float(rx.h_agl_m), p=p, pol=pol)
        self.tabs.setCurrentIndex(TABS.index("Path"))

    def _export(self, fmt: str) -> None:
        suffix = {"text": "Text (*.txt)", "json": "JSON (*.json)", "hdf5": "HDF5 (*.h5 *.hdf5)",
                  "html": "HTML report (*.html)", "pdf": "PDF report (*.pdf)"}[fmt]
        default = {"text": "evaluation.txt", "json": "evaluation.json", "hdf5": "evaluation.h5",
                   "html": "evaluation-report.html", "pdf": "evaluation-report.pdf"}[fmt]
        path, _ = QFileDialog.getSaveFileName(self, "Export evaluation report", default, suffix)
        if not path:
            return
        if fmt in ("html", "pdf"):  # the decision report: drawn off the GUI thread
            try:
                task = self.model.export_report_task(path, fmt)
            except ValueError as exc:
                self.request.show_error(str(exc))
                return
            task.signals.finished.connect(lambda _t, out: self.statusBar().showMessage(f"wrote {out}", 15000))
            task.signals.failed.connect(lambda _t, msg: self.request.show_error(msg))
            self.statusBar().showMessage(f"writing the {fmt.upper()} report {path} …", 15000)
            return
        try:
            out = self.model.export_report(path, fmt)
        except (ValueError, OSError) as exc:
            self.request.show_error(str(exc))
            return
        self.statusBar().showMessage(f"wrote {out}", 15000)

    def _open_register(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open register", "",
                                              "SQLite register (*.sqlite *.db);;All files (*)")
        if path:
            self.open_register(path)

    def open_register(self, path) -> None:
        """Show the register at ``path`` instead of the current one."""
        try:
            self.model.open_register(path)
        except (ValueError, OSError) as exc:
            self.statusBar().showMessage(f"register: {exc}", 15000)
            return
        self.map.set_evaluation([], [])
        self.setWindowTitle(f"Spectrum viewer — {self.model.db_path}")
        self.statusBar().showMessage(f"opened {path}: {len(self.model.rows_all)} rows", 10000)

    def _export_path(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export path", "path.csv", "CSV (*.csv);;JSON (*.json)")
        if path:
            self._write(self.model.export_path, path)

    def _export_rows(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export register rows", "register.csv", "CSV (*.csv)")
        if path:
            self._write(self.model.export_rows, path)

    def _write(self, fn, path) -> None:
        try:
            out = fn(path)
        except (ValueError, OSError) as exc:
            self.statusBar().showMessage(f"export: {exc}", 15000)
            return
        self.statusBar().showMessage(f"wrote {out}", 15000)

    def _open_layer(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open raster layer", "", "NetCDF (*.nc);;All files (*)")
        if not path:
            return
        try:
            self.model.load_layer(path)
        except (ValueError, OSError) as exc:
            self.statusBar().showMessage(f"layer: {exc}", 15000)

    def _remove_layer(self) -> None:
        it = self.layers.list.currentItem()
        if it is not None:
            self.model.remove_layer(it.data(Qt.UserRole))

    def _save_screenshot(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save screenshot", "spectrum.png", "PNG (*.png)")
        if path:
            self.grab().save(path)

    def closeEvent(self, ev) -> None:  # noqa: N802 - Qt API
        self.model.cancel_evaluation()
        super().closeEvent(ev)
