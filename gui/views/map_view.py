"""Map view: shaded relief, stations by service, fixed links, raster layers with a colour bar, the path.

The view draws what it is given and reports gestures (``siteClicked``, ``pointPicked``,
``mouseMoved``); it holds no state of its own beyond the drawn items.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..compute import SERVICE_STYLE, service_style

__all__ = ["MapView"]


class MapView(QWidget):
    """Terrain map in longitude (x) and latitude (y), aspect locked to cos(latitude)."""

    siteClicked = Signal(int)
    pointPicked = Signal(float, float)
    mouseMoved = Signal(float, float)
    pickModeChanged = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setLabel("bottom", "longitude", units="°E")
        self.plot.setLabel("left", "latitude", units="°N")
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.vb = self.plot.getPlotItem().getViewBox()
        self.relief = pg.ImageItem(axisOrder="row-major")
        self.relief.setZValue(-100)
        self.plot.addItem(self.relief)
        self.legend = self.plot.getPlotItem().addLegend(offset=(10, 10), labelTextSize="8pt")
        self.legend.setBrush(pg.mkBrush(255, 255, 255, 210))
        self.scatters: dict[str, pg.ScatterPlotItem] = {}
        self._legend_extra: list = []
        self._site_index: dict[str, np.ndarray] = {}
        self.links = pg.PlotDataItem(pen=pg.mkPen((20, 150, 60), width=1.5), connect="pairs")
        self.links.setZValue(5)
        self.plot.addItem(self.links)
        self.highlight = pg.ScatterPlotItem(size=22, pen=pg.mkPen((255, 215, 0), width=3), brush=None, symbol="o")
        self.highlight.setZValue(30)
        self.plot.addItem(self.highlight)
        self.path_line = pg.PlotDataItem(pen=pg.mkPen((0, 0, 0), width=2, style=Qt.DashLine), symbol="+",
                                         symbolSize=14, symbolPen=pg.mkPen("k", width=2))
        self.path_line.setZValue(40)
        self.plot.addItem(self.path_line)
        # coastline of the terrain's sea (P.452 Table 3 zone B), drawn over the relief
        self.coast = pg.PlotDataItem(pen=pg.mkPen((0, 60, 160), width=1.2), connect="finite")
        self.coast.setZValue(-50)
        self.plot.addItem(self.coast)
        # evaluation overlay: candidate stations and lines to victims / interferers coloured by margin
        self.eval_lines = {k: pg.PlotDataItem(pen=pg.mkPen(c, width=w, style=st), connect="pairs")
                           for k, c, w, st in (("ok", (0, 140, 200), 1.2, Qt.DotLine),
                                               ("coord", (230, 150, 0), 2.5, Qt.SolidLine),
                                               ("harm", (220, 20, 20), 3.0, Qt.SolidLine),
                                               ("int", (120, 60, 160), 1.0, Qt.DashLine))}
        for z, key in enumerate(("int", "ok", "coord", "harm")):  # the worst on top
            self.eval_lines[key].setZValue(24 + z)
            self.plot.addItem(self.eval_lines[key])
        self.candidates = pg.ScatterPlotItem(symbol="star", size=20, pen=pg.mkPen("k", width=1),
                                             brush=pg.mkBrush(255, 230, 0))
        self.candidates.setZValue(35)
        self.plot.addItem(self.candidates)
        self.layer_items: dict[str, pg.ImageItem] = {}
        self.colorbar: pg.ColorBarItem | None = None
        self.pick_mode = False
        # toolbar
        self.pick_button = QPushButton("Pick path (2 clicks)")
        self.pick_button.setCheckable(True)
        self.pick_button.toggled.connect(self.set_pick_mode)
        self.fit_button = QPushButton("Fit terrain")
        self.fit_button.clicked.connect(self.fit)
        self.info = QLabel("")
        bar = QHBoxLayout()
        bar.addWidget(self.pick_button)
        bar.addWidget(self.fit_button)
        bar.addWidget(self.info, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.plot, 1)
        self.plot.scene().sigMouseClicked.connect(self._scene_clicked)
        self.plot.scene().sigMouseMoved.connect(self._scene_moved)
        self._bounds = None

    # -- drawing ------------------------------------------------------------------------------
    def set_relief(self, rgb: np.ndarray, bounds) -> None:
        """Draw the shaded relief ``rgb`` (rows by ascending latitude) over ``bounds`` (lat0, lat1, lon0, lon1)."""
        lat0, lat1, lon0, lon1 = bounds
        self.relief.setImage(rgb, autoLevels=False, levels=(0, 255))
        self.relief.setRect(QRectF(lon0, lat0, lon1 - lon0, lat1 - lat0))
        self._bounds = bounds
        self.vb.setAspectLocked(True, ratio=math.cos(math.radians(0.5 * (lat0 + lat1))))
        self.fit()
        dem = getattr(getattr(self.window(), "model", None), "dem", None)
        if dem is not None:
            self.set_coastline(dem)

    def set_coastline(self, dem) -> None:
        """Draw the coastline of the terrain's sea (:func:`spectrum.terrain.coastline`); nothing without sea."""
        from spectrum.terrain import coastline

        try:
            lon, lat = coastline(dem, max_cells=400_000)
        except (ValueError, ImportError):
            lon, lat = np.zeros(0), np.zeros(0)
        self.coast.setData(lon, lat)

    def fit(self) -> None:
        if self._bounds is not None:
            lat0, lat1, lon0, lon1 = self._bounds
            self.vb.setRange(xRange=(lon0, lon1), yRange=(lat0, lat1), padding=0.02)

    def set_sites(self, sites) -> None:
        """Draw sites (:class:`spectrum.gui.compute.Site`), one scatter and legend entry per service."""
        for sc in list(self.scatters.values()) + self._legend_extra:
            self.legend.removeItem(sc)
            self.plot.removeItem(sc)
        self.scatters.clear()
        self._legend_extra = []
        self._site_index.clear()
        by_service: dict[str, list[int]] = {}
        for i, s in enumerate(sites):
            by_service.setdefault(s.service, []).append(i)
        order = [s for s in SERVICE_STYLE if s in by_service] + sorted(set(by_service) - set(SERVICE_STYLE))
        dense = len(sites) > 3000  # large registers: small markers without outline stay readable and fast
        size, pen = (5, None) if dense else (11, pg.mkPen("k", width=0.8))
        for service in order:
            idx = np.array(by_service[service], dtype=int)
            symbol, rgb, label = service_style(service)
            solid, pale = pg.mkBrush(*rgb, 230), pg.mkBrush(*rgb, 90)  # shared: keeps pyqtgraph's symbol atlas small
            brushes = [solid if sites[i].status == "granted" else pale for i in idx]
            sc = pg.ScatterPlotItem(x=[sites[i].lon for i in idx], y=[sites[i].lat for i in idx], data=idx,
                                    symbol=symbol, size=size, pen=pen, brush=pg.mkBrush(*rgb),
                                    hoverable=True, hoverSize=15, name=f"{label} ({idx.size})",
                                    tip=self._tip(sites))
            sc.setBrush(brushes)  # per site: pale when not granted; the item brush stays for the legend
            sc.setZValue(20)
            sc.sigClicked.connect(self._points_clicked)
            self.plot.addItem(sc)
            self.scatters[service] = sc
            self._site_index[service] = idx
        if any(s.status != "granted" for s in sites):  # an empty item: a legend entry only
            note = pg.ScatterPlotItem(symbol="o", size=9, pen=pg.mkPen(80, 80, 80, 120),
                                      brush=pg.mkBrush(120, 120, 120, 90),
                                      name="pale: not granted (application, suspended, ...)")
            self.plot.addItem(note)
            self._legend_extra.append(note)
        # fixed links: the two ends of each fixed licence
        ends: dict[str, list] = {}
        for s in sites:
            if s.service == "fixed":
                ends.setdefault(s.licence_number, []).append((s.lon, s.lat))
        xy = [p for e in ends.values() if len(e) == 2 for p in e]
        if xy:
            a = np.array(xy)
            self.links.setData(a[:, 0], a[:, 1])
        else:
            self.links.setData([], [])

    @staticmethod
    def _tip(sites):
        def tip(x, y, data):
            s = sites[int(data)]
            names = ", ".join(s.names[:3]) + (" ..." if len(s.names) > 3 else "")
            return f"{s.licence_number} ({s.service}, {s.status})\n{names}\n{y:.5f} N, {x:.5f} E"
        return tip

    def set_highlight(self, points) -> None:
        """Ring the stations of the selected licence: list of (lat, lon)."""
        if points:
            a = np.asarray(points, dtype=float)
            self.highlight.setData(a[:, 1], a[:, 0])
        else:
            self.highlight.setData([], [])

    def set_evaluation(self, candidates, links) -> None:
        """Draw an evaluation: ``candidates`` [(lat, lon)], ``links`` [(lat1, lon1, lat2, lon2, kind)] with
        kind "harm" (margin < 0), "coord" (within the coordination margin), "ok", or "int" (interferer)."""
        if candidates:
            a = np.asarray(candidates, dtype=float)
            self.candidates.setData(a[:, 1], a[:, 0])
        else:
            self.candidates.setData([], [])
        for kind, item in self.eval_lines.items():
            xy = [(lo1, la1, lo2, la2) for la1, lo1, la2, lo2, k in links if k == kind]
            if xy:
                a = np.asarray(xy, dtype=float)
                item.setData(a[:, [0, 2]].ravel(), a[:, [1, 3]].ravel())
            else:
                item.setData([], [])

    def set_path_points(self, points) -> None:
        if points:
            a = np.asarray(points, dtype=float)
            self.path_line.setData(a[:, 1], a[:, 0])
        else:
            self.path_line.setData([], [])

    def set_layers(self, layers) -> None:
        """Draw raster layers (:class:`spectrum.gui.model.Layer`), the last visible one with a colour bar."""
        for name in list(self.layer_items):
            if name not in layers:
                self.plot.removeItem(self.layer_items.pop(name))
        top = None
        for z, (name, layer) in enumerate(layers.items()):
            item = self.layer_items.get(name)
            if item is None:
                item = pg.ImageItem(axisOrder="row-major")
                item.setOpacity(0.65)
                self.plot.addItem(item)
                self.layer_items[name] = item
            da = layer.data
            lat = np.asarray(da["lat"].values, dtype=float)
            lon = np.asarray(da["lon"].values, dtype=float)
            dlat = (lat[-1] - lat[0]) / max(lat.size - 1, 1)
            dlon = (lon[-1] - lon[0]) / max(lon.size - 1, 1)
            cmap = pg.colormap.get(layer.colormap)
            item.setImage(np.asarray(da.values, dtype=float), autoLevels=False, levels=layer.levels)
            item.setColorMap(cmap)
            item.setRect(QRectF(lon[0] - dlon / 2, lat[0] - dlat / 2, lon[-1] - lon[0] + dlon,
                                lat[-1] - lat[0] + dlat))
            item.setZValue(-50 + z)
            item.setVisible(layer.visible)
            if layer.visible:
                top = (name, layer, item, cmap)
        self._set_colorbar(top)

    def _set_colorbar(self, top) -> None:
        pi = self.plot.getPlotItem()
        if self.colorbar is not None:
            pi.layout.removeItem(self.colorbar)
            self.plot.scene().removeItem(self.colorbar)
            self.colorbar = None
        if top is None:
            return
        name, layer, item, cmap = top
        label = f"{name} [{layer.units}]" if layer.units else name
        self.colorbar = pg.ColorBarItem(values=layer.levels, colorMap=cmap, label=label, interactive=False,
                                        width=14)
        self.colorbar.setImageItem(item, insert_in=pi)

    # -- gestures -----------------------------------------------------------------------------
    def set_pick_mode(self, on: bool) -> None:
        on = bool(on)
        if on != self.pick_mode:
            self.pick_mode = on
            self.pick_button.setChecked(on)
            self.info.setText("click the two ends of the path" if on else "")
            self.pickModeChanged.emit(on)

    def _points_clicked(self, item, points, ev=None) -> None:
        if self.pick_mode or not len(points):
            return
        self.siteClicked.emit(int(points[0].data()))
        if ev is not None:
            ev.accept()

    def _scene_clicked(self, ev) -> None:
        if not self.pick_mode or ev.button() != Qt.LeftButton:
            return
        p = self.vb.mapSceneToView(ev.scenePos())
        self.pointPicked.emit(float(p.y()), float(p.x()))

    def _scene_moved(self, pos) -> None:
        if self.plot.sceneBoundingRect().contains(pos):
            p = self.vb.mapSceneToView(pos)
            self.mouseMoved.emit(float(p.y()), float(p.x()))

    def site_scene_pos(self, service: str, k: int):
        """Scene position of the k-th drawn site of ``service`` (for tests and automation)."""
        sc = self.scatters[service]
        pts = sc.points()
        return self.vb.mapViewToScene(pts[k].pos())
