"""The viewer's state: one :class:`ViewerModel` (a QObject) owns it and emits signals.

Views only draw what the model holds and report user gestures; :mod:`spectrum.gui.main_window`
wires the gestures to the model's methods. Long work (path loss, licence-request evaluation,
coverage and interference maps) runs on a :class:`QThreadPool` through
:class:`spectrum.gui.workers.Task`; results come back as signals in the GUI thread.
"""
from __future__ import annotations

import os
import tempfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QThreadPool, Signal

from .compute import PathAnalysis, Site, decimate_dem, path_analysis, relief_rgb, station_sites
from .model_exports import REPORT_FORMATS, ExportMixin
from .workers import Cancelled, Task

__all__ = ["ViewerModel", "Selection", "Layer", "FILTER_ALL", "coverage_available", "coverage_model",
           "REPORT_FORMATS"]

FILTER_ALL = None


def coverage_available() -> bool:
    """Whether :mod:`spectrum.coverage` (coverage and interference maps) is installed."""
    try:
        from spectrum import coverage  # noqa: F401
    except ImportError:
        return False
    return hasattr(coverage, "field_strength_map")


def coverage_model(row) -> str:
    """Propagation model for a map around ``row``: Rec. ITU-R P.1812 (point-to-area, 30 MHz-6 GHz) for
    broadcasting and below P.452's 100 MHz; Rec. ITU-R P.452-18 (100 MHz-50 GHz) otherwise."""
    f = float(row.f_mhz)
    if (row.service == "broadcasting" or f < 100.0) and 30.0 <= f <= 6000.0:
        return "p1812"
    return "p452"


def _path_model_for(f_mhz: float, current: str) -> str:
    from .compute import PATH_MODELS

    lo, hi = PATH_MODELS[current][1]
    if lo <= f_mhz <= hi:
        return current
    for key, (_, (lo, hi), _) in PATH_MODELS.items():
        if lo <= f_mhz <= hi:
            return key
    return current


@dataclass
class Selection:
    """The licence selected on the map or in the register table."""

    licence_number: str
    licence: dict
    rows: list
    site: Site | None = None


@dataclass
class Layer:
    """A raster drawn over the terrain (coverage, interference or any lat/lon DataArray)."""

    name: str
    data: object  # xarray.DataArray (lat, lon)
    visible: bool = True
    units: str = ""
    colormap: str = "viridis"
    levels: tuple = field(default=(np.nan, np.nan))


def _text_match(r, text: str) -> bool:
    t = text.lower()
    return any(t in str(v).lower() for v in (r.licence_number, r.licensee, r.station_name, r.emission or "",
                                            r.service, r.antenna_pattern or ""))


class ViewerModel(QObject, ExportMixin):
    """State of the viewer: register, terrain, filters, selection, path, layers, evaluation.

    Parameters
    ----------
    register : spectrum.register.Register
    dem : xarray.DataArray
        Terrain (dims lat, lon).
    allocation : spectrum.allocation.AllocationTable, optional
        Allocation table for the spectrum view; the sample national table by default.
    db_path : str, optional
        Where the register lives (shown in the title).
    pool : QThreadPool, optional
    """

    registerLoaded = Signal()
    rowsChanged = Signal()
    selectionChanged = Signal(object)
    pathPointsChanged = Signal(object)
    pathStarted = Signal()
    pathChanged = Signal(object)
    pathFailed = Signal(str)
    layersChanged = Signal()
    layerTaskFailed = Signal(str)
    evaluationStarted = Signal()
    evaluationProgress = Signal(int, str)
    evaluationFinished = Signal(object)
    evaluationFailed = Signal(str)
    evaluationCancelled = Signal()
    message = Signal(str)

    def __init__(self, register, dem, *, allocation=None, db_path: str | None = None, pool=None,
                 parent: QObject | None = None, owned_paths=()):
        super().__init__(parent)
        if allocation is None:
            from spectrum.allocation import default_allocation_table

            allocation = default_allocation_table()
        self.register = register
        self.dem = dem
        self.allocation = allocation
        self.db_path = db_path
        self.pool = pool if pool is not None else QThreadPool.globalInstance()
        self._owned_paths = list(owned_paths)
        self._relief = None
        self.filters = {"service": None, "status": None, "f_min_mhz": None, "f_max_mhz": None, "text": ""}
        self.rows_all: list = []
        self.rows: list = []
        self.sites: list[Site] = []
        self.selection: Selection | None = None
        self.path_points: list = []
        self.path_params = {"f_mhz": 1000.0, "p": 50.0, "htg_m": 30.0, "hrg_m": 10.0, "pol": "v", "model": "p452"}
        self.path: PathAnalysis | None = None
        self.layers: "OrderedDict[str, Layer]" = OrderedDict()
        self.evaluation = None
        self.request: dict | None = None
        self._tasks: set = set()
        self._eval_task: Task | None = None
        self._path_seq = 0
        self.reload()

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def open(cls, db: str | os.PathLike | None = None, *, demo: bool = True, dem=None, **kw) -> "ViewerModel":
        """Open the register ``db`` (or, with ``demo``, the sample register in a temporary file).

        Parameters
        ----------
        db : path, optional
            SQLite register. With ``demo`` and a missing file, the sample register is created there.
        demo : bool
            Without ``db``: build the seeded sample register (:func:`spectrum.datasets.register.sample_register`)
            in a temporary file removed on :meth:`close`.
        dem : xarray.DataArray, optional
            Terrain; :func:`spectrum.datasets.terrain.default_dem` by default.
        """
        from spectrum.datasets.register import sample_register
        from spectrum.register import Register

        owned = []
        if db is None:
            if not demo:
                raise ValueError("no register: give --db FILE or --demo")
            fd, tmp = tempfile.mkstemp(prefix="spectrum-gui-", suffix=".sqlite")
            os.close(fd)
            os.unlink(tmp)
            reg = sample_register(tmp)
            owned = [tmp, tmp + "-wal", tmp + "-shm"]
            path = tmp
        else:
            path = str(db)
            if "://" in path or Path(path).exists():
                reg = Register.open(path, create=False)
            elif demo:
                reg = sample_register(path)
            else:
                raise FileNotFoundError(f"register {path} not found (add --demo to create the sample register there)")
        if dem is None:
            from spectrum.datasets.terrain import default_dem

            dem = default_dem()
        return cls(reg, dem, db_path=path, owned_paths=owned, **kw)

    def open_register(self, path) -> None:
        """Replace the register by the SQLite register at ``path`` (must exist) or the PostgreSQL register
        at a ``postgresql://`` URL; selection and evaluation reset."""
        from spectrum.register import Register

        p = str(path) if "://" in str(path) else Path(path)
        if isinstance(p, Path) and not p.exists():
            raise FileNotFoundError(f"register {p} not found")
        new = Register.open(str(p), create=False)
        self.cancel_evaluation()
        self.pool.waitForDone(60000)  # running work may still read the old register
        self._release_register()
        self.register = new
        self.db_path = str(p)
        self.evaluation = None
        self.selection = None
        self.selectionChanged.emit(None)
        self.reload()

    def _release_register(self) -> None:
        if self.register is not None:
            self.register.close()
            self.register = None
        for p in self._owned_paths:
            try:
                os.unlink(p)
            except OSError:
                pass
        self._owned_paths = []

    def close(self) -> None:
        """Cancel running work, close the register, remove a temporary demo register."""
        for t in list(self._tasks):
            t.cancel()
        self.pool.waitForDone(30000)
        self._release_register()

    # -- register and filters -----------------------------------------------------------------
    def reload(self) -> None:
        """Re-read every (station, assignment) of the register (all statuses)."""
        self.rows_all = list(self.register.query(status=None))
        self.registerLoaded.emit()
        self._apply_filters()

    def services(self) -> list[str]:
        return sorted({r.service for r in self.rows_all})

    def statuses(self) -> list[str]:
        return sorted({r.status for r in self.rows_all})

    def set_filters(self, *, service=FILTER_ALL, status=FILTER_ALL, f_min_mhz=None, f_max_mhz=None,
                    text: str = "") -> None:
        """Filter the rows every view shows (None = any). ValueError on a bad frequency range."""
        for name, v in (("f_min_mhz", f_min_mhz), ("f_max_mhz", f_max_mhz)):
            if v is not None and not (np.isfinite(v) and v >= 0):
                raise ValueError(f"{name} = {v} must be a non-negative frequency in MHz")
        if f_min_mhz is not None and f_max_mhz is not None and f_max_mhz < f_min_mhz:
            raise ValueError(f"f_max_mhz = {f_max_mhz} is below f_min_mhz = {f_min_mhz}")
        self.filters = {"service": service or None, "status": status or None, "f_min_mhz": f_min_mhz,
                        "f_max_mhz": f_max_mhz, "text": text or ""}
        self._apply_filters()

    def _apply_filters(self) -> None:
        f = self.filters
        out = []
        for r in self.rows_all:
            if f["service"] and r.service != f["service"]:
                continue
            if f["status"] and r.status != f["status"]:
                continue
            if f["f_min_mhz"] is not None and r.f_hi_mhz < f["f_min_mhz"]:
                continue
            if f["f_max_mhz"] is not None and r.f_lo_mhz > f["f_max_mhz"]:
                continue
            if f["text"] and not _text_match(r, f["text"]):
                continue
            out.append(r)
        self.rows = out
        self.sites = station_sites(out)
        self.rowsChanged.emit()

    # -- selection ----------------------------------------------------------------------------
    def select_licence(self, licence_number: str | None, site: Site | None = None) -> None:
        """Select a licence (None clears): its licence record and all its (station, assignment) rows."""
        if licence_number is None:
            self.selection = None
        else:
            lic = self.register.licence(licence_number)
            rows = [r for r in self.rows_all if r.licence_number == licence_number]
            self.selection = Selection(licence_number, lic, rows, site)
        self.selectionChanged.emit(self.selection)

    def select_site(self, index: int) -> None:
        """Select the licence of ``self.sites[index]`` (a click on the map)."""
        if not 0 <= index < len(self.sites):
            raise ValueError(f"site index {index} is out of range [0, {len(self.sites) - 1}]")
        s = self.sites[index]
        self.select_licence(s.licence_number, s)

    def nearest_site(self, lat: float, lon: float) -> int | None:
        """Index of the site nearest to (lat, lon), or None when there is none."""
        if not self.sites:
            return None
        la = np.array([s.lat for s in self.sites])
        lo = np.array([s.lon for s in self.sites])
        d = (la - lat) ** 2 + ((lo - lon) * np.cos(np.radians(lat))) ** 2
        return int(np.argmin(d))

    # -- terrain ------------------------------------------------------------------------------
    def relief(self):
        """Shaded-relief RGB image of the terrain and its bounds (lat_min, lat_max, lon_min, lon_max), cached."""
        if self._relief is None:
            from spectrum.terrain import dem_bounds

            small = decimate_dem(self.dem)
            rgb = relief_rgb(small.values, small.lat.values, small.lon.values)
            self._relief = (rgb, dem_bounds(small))
        return self._relief

    # -- path ---------------------------------------------------------------------------------
    def set_path_params(self, **params) -> None:
        """Frequency [MHz], time percentage [%], antenna heights [m], polarisation, model of the path view."""
        unknown = set(params) - set(self.path_params)
        if unknown:
            raise ValueError(f"unknown path parameter(s) {sorted(unknown)}; known: {sorted(self.path_params)}")
        self.path_params.update(params)
        if len(self.path_points) == 2:
            self.compute_path()

    def pick_point(self, lat: float, lon: float) -> None:
        """Add a path end picked on the map; the second pick computes the path."""
        if len(self.path_points) >= 2:
            self.path_points = []
        self._path_labels = ("A", "B")
        self.path_points.append((float(lat), float(lon)))
        self.pathPointsChanged.emit(list(self.path_points))
        if len(self.path_points) == 2:
            self.compute_path()

    def set_path(self, a, b, *, labels=("A", "B"), **params) -> None:
        """Path from ``a`` to ``b`` (lat, lon), e.g. an interferer -> victim pair, with parameters."""
        self.path_points = [(float(a[0]), float(a[1])), (float(b[0]), float(b[1]))]
        self._path_labels = tuple(labels)
        self.path_params.update(params)
        if "model" not in params:  # keep the chosen model if it covers the frequency, else one that does
            self.path_params["model"] = _path_model_for(self.path_params["f_mhz"], self.path_params["model"])
        self.pathPointsChanged.emit(list(self.path_points))
        self.compute_path()

    def path_between_rows(self, tx_row, rx_row) -> None:
        """Path between two register rows (heights and frequency from the transmitter's assignment)."""
        self.set_path((tx_row.lat, tx_row.lon), (rx_row.lat, rx_row.lon),
                      labels=(tx_row.station_name, rx_row.station_name), f_mhz=float(tx_row.f_mhz),
                      htg_m=float(tx_row.h_agl_m), hrg_m=float(rx_row.h_agl_m),
                      pol=tx_row.polarisation if tx_row.polarisation in ("h", "v") else "v")

    def compute_path(self, *, wait: bool = False) -> None:
        """Compute the path view (profile + P.452) off the GUI thread; ``pathChanged`` or ``pathFailed``."""
        if len(self.path_points) != 2:
            raise ValueError(f"a path needs two points, {len(self.path_points)} picked")
        a, b = self.path_points
        kw = dict(self.path_params)
        labels = getattr(self, "_path_labels", ("A", "B"))
        self._path_seq += 1
        seq = self._path_seq

        def work(progress, cancelled):
            return path_analysis(self.dem, a, b, labels=labels, **kw)

        task = Task(work, name="path")
        task.seq = seq
        task.signals.finished.connect(self._path_done)
        task.signals.failed.connect(self._path_failed)
        self._start(task)
        self.pathStarted.emit()
        if wait:
            self.pool.waitForDone()

    def _path_done(self, task, res) -> None:
        if task.seq != self._path_seq:
            return  # superseded by a newer request
        self.path = res
        self.pathChanged.emit(res)

    def _path_failed(self, task, msg) -> None:
        if task.seq == self._path_seq:
            self.pathFailed.emit(msg)

    # -- layers -------------------------------------------------------------------------------
    def add_layer(self, name: str, data, *, units: str | None = None, colormap: str = "viridis",
                  levels=None, visible: bool = True) -> Layer:
        """Add (or replace) a raster layer: a 2-D DataArray with ascending ``lat`` and ``lon`` coordinates."""
        if not hasattr(data, "dims") or set(data.dims) != {"lat", "lon"}:
            raise ValueError(f"layer {name!r}: expected a DataArray with dims (lat, lon), got "
                             f"{getattr(data, 'dims', type(data).__name__)}")
        data = data.transpose("lat", "lon").sortby("lat").sortby("lon")
        vals = np.asarray(data.values, dtype=float)
        if not np.isfinite(vals).any():
            raise ValueError(f"layer {name!r} has no finite values")
        if levels is None:
            levels = tuple(float(x) for x in np.nanpercentile(vals, [2, 98]))
            if levels[1] <= levels[0]:
                levels = (levels[0] - 1.0, levels[0] + 1.0)
        layer = Layer(name, data, visible, units if units is not None else str(data.attrs.get("units", "")),
                      colormap, tuple(levels))
        self.layers[name] = layer
        self.layersChanged.emit()
        return layer

    def set_layer_visible(self, name: str, visible: bool) -> None:
        if name not in self.layers:
            raise ValueError(f"layer {name!r} not found; layers: {list(self.layers)}")
        self.layers[name].visible = bool(visible)
        self.layersChanged.emit()

    def remove_layer(self, name: str) -> None:
        if self.layers.pop(name, None) is not None:
            self.layersChanged.emit()

    def load_layer(self, path) -> Layer:
        """Load a NetCDF raster (e.g. written by ``spectrum coverage``) as a layer."""
        import xarray as xr

        p = Path(path)
        if not p.exists():
            raise FileNotFoundError(f"layer file {p} not found")
        ds = xr.open_dataset(p)
        try:
            if isinstance(ds, xr.Dataset):
                names = [k for k, v in ds.data_vars.items() if set(v.dims) == {"lat", "lon"}]
                if not names:
                    raise ValueError(f"{p}: no variable with dims (lat, lon)")
                da = ds[names[0]].load()
            else:  # pragma: no cover
                da = ds.load()
        finally:
            ds.close()
        return self.add_layer(f"{p.stem}: {da.name or 'layer'}", da)

    def compute_coverage(self, row, **kw) -> Task:
        """Field-strength map of a transmitter row with :func:`spectrum.coverage.field_strength_map`, as a layer."""
        if not coverage_available():
            raise ValueError("coverage maps need spectrum.coverage, which is not installed")
        if row.role != "tx":
            raise ValueError(f"station {row.station_name!r} is a receiver; coverage needs a transmitter")
        from spectrum import coverage

        reg = self.register
        kw.setdefault("model", coverage_model(row))

        def work(progress, cancelled):
            progress(5, "computing coverage")
            return coverage.field_strength_map(self.dem, row, register=reg, **kw)

        name = f"Coverage {row.station_name} {row.f_mhz:g} MHz ({kw['model']})"
        return self._layer_task(work, name, "coverage")

    #: Broadcast map kinds of :meth:`compute_broadcast` -> (Dataset variable shown, colormap).
    BROADCAST_MAPS = {"coverage": ("margin_db", "viridis"), "interference": ("e_usable_dbuvm", "inferno"),
                      "best-server": ("server", "plasma"), "ci": ("ci_db", "viridis")}

    def broadcast_network(self, row) -> list:
        """Granted broadcasting transmitters of the same system within 2 channels of ``row`` (``row`` first)."""
        from .compute import broadcast_system

        sysname = broadcast_system(row)
        span = 2.0 * max(float(row.bw_khz or 0.0), 200.0) / 1000.0
        others = [r for r in self.rows_all if r.role == "tx" and r.status == "granted" and r is not row
                  and r.service == row.service and broadcast_system(r) == sysname
                  and abs(r.f_mhz - row.f_mhz) <= span and (r.station_id != row.station_id)]
        return [row, *others]

    def compute_broadcast(self, kind: str, row, **kw) -> Task:
        """P.1546-6 broadcast map (:mod:`spectrum.broadcast`) around a transmitter row, as a layer:
        ``"coverage"`` (margin over the minimum usable field strength), ``"interference"`` (usable field
        strength with the other stations of :meth:`broadcast_network`), ``"best-server"`` or ``"ci"``."""
        if kind not in self.BROADCAST_MAPS:
            raise ValueError(f"kind = {kind!r} must be one of {', '.join(self.BROADCAST_MAPS)}")
        if row.role != "tx":
            raise ValueError(f"station {row.station_name!r} is a receiver; broadcast maps need a transmitter")
        if not 30.0 <= float(row.f_mhz) <= 4000.0:
            raise ValueError(f"{row.station_name}: f = {row.f_mhz:g} MHz is outside ITU-R P.1546-6 (30-4000 MHz)")
        from spectrum import broadcast

        from .compute import broadcast_system

        kw.pop("model", None)
        sysname = broadcast_system(row)
        reg = self.register
        net = self.broadcast_network(row)
        if kind != "coverage" and len(net) < 2:
            raise ValueError(f"no other granted {sysname} transmitter near {row.f_mhz:g} MHz: nothing to map")
        var, cmap = self.BROADCAST_MAPS[kind]

        def work(progress, cancelled):
            progress(5, f"computing broadcast {kind}")
            if kind == "coverage":
                ds = broadcast.coverage_map(self.dem, row, sysname, register=reg, **kw)
            elif kind == "interference":
                ds = broadcast.interference_map(self.dem, row, net[1:], sysname, register=reg, **kw)
            else:
                ds = broadcast.best_server_map(self.dem, net, sysname, register=reg, **kw)
            da = ds[var].astype(float)
            da.attrs.update({k: v for k, v in ds.attrs.items() if k not in da.attrs})
            return da

        name = f"{kind} {row.station_name} {row.f_mhz:g} MHz ({sysname}, P.1546-6)"
        task = self._layer_task(work, name, "coverage")
        task.colormap = cmap
        return task

    def co_channel_interferers(self, victim_row) -> list:
        """Granted transmitters of other licences whose channel overlaps the receiver's (FDR 0 dB)."""
        half = 0.5 * victim_row.bw_khz / 1000.0
        return [r for r in self.rows_all if r.role == "tx" and r.status == "granted"
                and r.licence_number != victim_row.licence_number
                and abs(r.f_mhz - victim_row.f_mhz) < 0.5 * r.bw_khz / 1000.0 + half]

    def compute_interference(self, victim_row, interferer_rows=None, **kw) -> Task:
        """Aggregate I/N map (:func:`spectrum.coverage.interference_map`) of ``interferer_rows`` (default
        :meth:`co_channel_interferers`) into a receiver like ``victim_row`` placed at every pixel, as a layer."""
        if interferer_rows is None:
            interferer_rows = self.co_channel_interferers(victim_row)
        if not coverage_available():
            raise ValueError("interference maps need spectrum.coverage, which is not installed")
        if not interferer_rows:
            raise ValueError(f"no co-channel transmitters of other licences for {victim_row.station_name} "
                             f"({victim_row.f_mhz:g} MHz): nothing to map")
        from spectrum import coverage

        reg = self.register
        kw.setdefault("model", coverage_model(victim_row))

        def work(progress, cancelled):
            progress(5, "computing interference")
            return coverage.interference_map(self.dem, victim_row, list(interferer_rows), register=reg, **kw)

        name = f"I/N into {victim_row.station_name} ({len(interferer_rows)} Tx, {kw['model']})"
        return self._layer_task(work, name, "interference")

    def _layer_task(self, work, name, kind) -> Task:
        task = Task(work, name=kind)
        task.layer_name = name
        task.colormap = "viridis" if kind == "coverage" else "inferno"
        task.signals.finished.connect(self._layer_done)
        task.signals.failed.connect(self._layer_failed)
        self._start(task)
        self.message.emit(f"computing {name} ...")
        return task

    def _layer_done(self, task, da) -> None:
        try:
            self.add_layer(task.layer_name, da, colormap=task.colormap)
        except ValueError as exc:
            self.layerTaskFailed.emit(str(exc))

    def _layer_failed(self, task, msg) -> None:
        self.layerTaskFailed.emit(f"{task.layer_name}: {msg}")

    # -- evaluation ---------------------------------------------------------------------------
    def run_evaluation(self, request: dict, *, model: str = "service", store: bool = False, **kw) -> Task:
        """Evaluate a licence request (:func:`spectrum.evaluation.evaluate_request`) off the GUI thread.

        The request is parsed and validated here, in the GUI thread, so that a bad field raises
        ValueError at once; the evaluation then runs on the thread pool with progress signals.
        """
        from spectrum.evaluation import Request

        if self._eval_task is not None:
            raise ValueError("an evaluation is already running; cancel it first")
        req = Request.from_dict(request)
        reg, dem = self.register, self.dem

        def work(progress, cancelled):
            from spectrum.evaluation import evaluate_request

            progress(2, "starting")
            if cancelled():
                raise Cancelled()
            # the library polls cancelled() between its stages and chunks: Cancel stops the work
            ev = evaluate_request(reg, req, dem=dem, model=model, progress=progress, cancelled=cancelled, **kw)
            if cancelled():
                raise Cancelled()
            progress(95, "decision")
            return ev

        task = Task(work, name="evaluation")
        task.store = store
        from spectrum.report import register_state

        task.register_state = register_state(reg)  # the register state the decision is taken on
        task.signals.progress.connect(self.evaluationProgress)
        task.signals.finished.connect(self._eval_done)
        task.signals.failed.connect(self._eval_failed)
        task.signals.cancelled.connect(self._eval_cancelled_late)
        self.request = dict(request)
        self._eval_task = task
        self._start(task)
        self.evaluationStarted.emit()
        return task

    @property
    def evaluation_running(self) -> bool:
        return self._eval_task is not None

    def cancel_evaluation(self) -> None:
        """Cancel the running evaluation: the GUI is free at once; the worker's result is discarded."""
        t = self._eval_task
        if t is None:
            return
        t.cancel()
        self._eval_task = None
        self.evaluationCancelled.emit()

    def _eval_done(self, task, ev) -> None:
        if task is not self._eval_task:
            return
        self._eval_task = None
        if task.store:
            ev.store(self.register)
        self.evaluation = ev
        self.evaluation_register_state = getattr(task, "register_state", None)
        self.evaluationFinished.emit(ev)

    def _eval_failed(self, task, msg) -> None:
        if task is not self._eval_task:
            return
        self._eval_task = None
        self.evaluationFailed.emit(msg)

    def _eval_cancelled_late(self, task) -> None:
        if task is self._eval_task:  # cancelled from inside the worker
            self._eval_task = None
            self.evaluationCancelled.emit()

    # -- plumbing -----------------------------------------------------------------------------
    def _start(self, task: Task) -> None:
        self._tasks.add(task)
        for sig in (task.signals.finished, task.signals.failed, task.signals.cancelled):
            sig.connect(self._task_over)
        self.pool.start(task)

    def _task_over(self, task, *_) -> None:
        self._tasks.discard(task)
