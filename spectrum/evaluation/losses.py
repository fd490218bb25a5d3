"""Stage 4 -- losses: basic transmission loss of a batch of paths by a propagation model chosen
by name from a registry.

:data:`LOSS_FUNCTIONS` maps a model name to ``fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, *, pol,
lat, zone, dct_km, dcr_km) -> Lb [dB]``; :func:`register_loss_model` adds a model (its valid
frequency range, its name and revision for the record, optionally a *preparer* that does the
frequency-independent path work once) without touching the dispatcher, so P.1546, P.2001 or P.530
plug in here. :class:`LossEngine` evaluates a model over a :class:`~spectrum.evaluation.paths.Paths`
batch with memoisation (and, in sweeps, log-f interpolation between frequency nodes).
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

__all__ = ["LossFn", "LOSS_FUNCTIONS", "MODEL_RANGES_MHZ", "MODEL_NAMES", "PREPARERS", "BROADCAST",
           "free_space_loss_fn", "register_loss_model", "resolve_model", "model_version", "LossEngine"]

LossFn = Callable[..., np.ndarray]
BROADCAST = ("broadcast", "fm", "tv", "dab", "dvb")


def free_space_loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, **_) -> np.ndarray:  # noqa: ARG001
    """Free-space basic transmission loss over each path's length, Rec. ITU-R P.525-4 Eq. (6). [dB]"""
    dt = np.take_along_axis(np.asarray(d_km), (np.asarray(n) - 1)[:, None], axis=1)[:, 0]
    return 32.45 + 20.0 * np.log10(np.asarray(f_ghz) * 1000.0) + 20.0 * np.log10(dt)


def _p452_loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, *, pol="v", lat=None, zone=None, dct_km=500.0,
                  dcr_km=500.0, **_):
    from ..propagation import p452

    r = p452.basic_transmission_loss(d_km, h_m, f_ghz, p, htg_m, hrg_m, n=n, pol=pol, lat=lat, zone=zone,
                                     dct_km=dct_km, dcr_km=dcr_km)
    return np.asarray(r.lb, dtype=float)


def _p1812_loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, *, pol="v", lat=None, zone=None, dct_km=None,
                   dcr_km=None, **_):
    from ..propagation import p1812

    if zone is not None:  # P.452 codes (1 coastal, 2 inland, 3 sea) -> P.1812 (3 coastal, 4 inland, 1 sea)
        zone = np.choose(np.asarray(zone, dtype=np.int64) - 1, [3.0, 4.0, 1.0])
    r = p1812.basic_transmission_loss(d_km, h_m, f_ghz, p, htg_m, hrg_m, n=n, pol=pol, lat=lat, zone=zone,
                                      dct_km=dct_km, dcr_km=dcr_km)
    return np.asarray(getattr(r, "lb", r), dtype=float)


def _itm_loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, *, pol="v", **_):
    from ..propagation import itm

    fn = getattr(itm, "basic_transmission_loss", None)
    if fn is None:
        raise ValueError("model 'itm' has no batch basic_transmission_loss in this installation")
    r = fn(d_km, h_m, f_ghz, p, htg_m, hrg_m, n=n, pol=pol)
    return np.asarray(getattr(r, "lb", r), dtype=float)


LOSS_FUNCTIONS: dict[str, LossFn] = {"p452": _p452_loss_fn, "p1812": _p1812_loss_fn, "itm": _itm_loss_fn,
                                     "free-space": free_space_loss_fn}



LOSS_FUNCTIONS: dict[str, LossFn] = {"p452": _p452_loss_fn, "p1812": _p1812_loss_fn, "itm": _itm_loss_fn,
                                     "free-space": free_space_loss_fn}
#: valid frequency range of each model [MHz]
MODEL_RANGES_MHZ = {"p452": (100.0, 50000.0), "p1812": (30.0, 6000.0), "itm": (20.0, 20000.0),
                    "free-space": (1e-3, 1e6)}
#: name and revision recorded with every evaluation
MODEL_NAMES = {"p452": "ITU-R P.452-18", "p1812": "ITU-R P.1812-6", "itm": "NTIA ITM 1.2.2",
               "free-space": "ITU-R P.525-4"}


def _p452_prepare(d_km, h_m, htg_m, hrg_m, *, n, lat, zone):
    from ..propagation import p452

    return p452.prepare_path(d_km, h_m, htg_m, hrg_m, n=n, lat=lat, zone=zone)


#: model name -> ``prepare(d_km, h_m, htg_m, hrg_m, *, n, lat, zone)`` returning an object whose
#: ``.loss(f_ghz, p, pol=[...], dct_km=, dcr_km=)`` has ``.lb`` (frequency-independent work done once)
PREPARERS: dict[str, Callable] = {"p452": _p452_prepare}
_MODULES = {"p452": "p452", "p1812": "p1812", "itm": "itm"}


def register_loss_model(name: str, fn: LossFn, *, f_range_mhz: tuple[float, float], version: str,
                        prepare: Callable | None = None, module: str | None = None) -> None:
    """Add (or replace) a propagation model of the evaluation.

    Parameters
    ----------
    name : str
        The name ``evaluate_request(model=...)`` selects it by.
    fn : callable
        ``fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, *, pol, lat, zone, dct_km, dcr_km) -> Lb`` on
        padded profile batches (:class:`~spectrum.evaluation.paths.Paths`). [dB]
    f_range_mhz : (float, float)
        Valid frequency range; requests outside it are refused with a clear error. [MHz]
    version : str
        Recommendation and revision, recorded in the stored evaluation.
    prepare : callable, optional
        See :data:`PREPARERS`.
    module : str, optional
        ``spectrum.propagation.<module>`` that must be importable for the model to be available.
    """
    key = str(name).lower()
    if key == "auto":
        raise ValueError("model name 'auto' is reserved")
    lo, hi = (float(x) for x in f_range_mhz)
    if not (0 < lo < hi):
        raise ValueError(f"f_range_mhz = {f_range_mhz!r} must be (lo, hi) with 0 < lo < hi")
    LOSS_FUNCTIONS[key] = fn
    MODEL_RANGES_MHZ[key] = (lo, hi)
    MODEL_NAMES[key] = str(version)
    if prepare is not None:
        PREPARERS[key] = prepare
    else:
        PREPARERS.pop(key, None)
    if module is not None:
        _MODULES[key] = module
    else:
        _MODULES.pop(key, None)


def resolve_model(model: str, service: str) -> str:
    """``"auto"``: P.1812 for broadcast services when installed, P.452 otherwise."""
    m = str(model).lower()
    if m == "auto":
        if any(b in service.lower() for b in BROADCAST) and _model_available("p1812"):
            return "p1812"
        return "p452"
    if m not in LOSS_FUNCTIONS:
        raise ValueError(f"model = {model!r} is not one of {', '.join(['auto', *LOSS_FUNCTIONS])}")
    if not _model_available(m):
        raise ValueError(f"model = {model!r}: spectrum.propagation.{m} has no batch basic_transmission_loss "
                         f"in this installation")
    return m


def _model_available(m: str) -> bool:
    import importlib

    mod_name = _MODULES.get(m)
    if mod_name is None:
        return m in LOSS_FUNCTIONS
    try:
        mod = importlib.import_module(f"spectrum.propagation.{mod_name}")
    except ModuleNotFoundError:
        return False
    return hasattr(mod, "basic_transmission_loss")


def model_version(m: str) -> str:
    """Name and revision of model ``m`` for the record ("custom loss_fn" for an injected one)."""
    if m == "custom":
        return "custom loss_fn"
    if m == "p452":
        try:
            from ..propagation import p452
            return f"ITU-R P.452-{getattr(p452, 'DEFAULT_VERSION', 18)}"
        except Exception:  # noqa: BLE001 - model not installed
            return "ITU-R P.452-18"
    return MODEL_NAMES.get(m, m)



class LossEngine:
    """Basic transmission loss of path batches by one model, memoised.

    Parameters
    ----------
    model : str
        A name of :data:`LOSS_FUNCTIONS` or ``"custom"`` with ``loss_fn``.
    loss_fn : callable, optional
        Replaces the registered function (tests inject free space through it).
    freq_nodes : array, optional
        Sweeps: losses are computed at these frequencies only and interpolated linearly in
        log f between the two bracketing nodes (:meth:`loss_at`). [MHz]

    Notes
    -----
    With a model that has a preparer (:data:`PREPARERS`, P.452 by default) the
    frequency-independent path geometry is prepared once per (paths, heights) and reused for
    every frequency and time percentage -- the terrain work of a sweep is done once.
    """

    def __init__(self, model: str, loss_fn: LossFn | None = None, freq_nodes=None):
        self.model = model
        self.fn = loss_fn if loss_fn is not None else LOSS_FUNCTIONS[model]
        self.prepare = PREPARERS.get(model) if loss_fn is None else None
        self.freq_nodes = freq_nodes
        self._cache: dict = {}

    def loss(self, key, paths, f_mhz, p, htg, hrg, pol) -> np.ndarray:
        """Loss of each path of ``paths`` (NaN where the path is outside the terrain). [dB]

        ``key`` identifies the path set; ``f_mhz``, ``htg``, ``hrg`` scalars or per path;
        ``pol`` "h"/"v" or per path.
        """
        m = paths.n.size
        f = np.broadcast_to(np.asarray(f_mhz, float), (m,))
        htg = np.broadcast_to(np.asarray(htg, float), (m,))
        hrg = np.broadcast_to(np.asarray(hrg, float), (m,))
        pol = np.broadcast_to(np.asarray(pol, dtype=object), (m,))
        hk = (key, htg.tobytes(), hrg.tobytes())
        ck = hk + (float(p), np.round(f, 6).tobytes(), "".join(pol))
        hit = self._cache.get(ck)
        if hit is not None:
            return hit
        lb = np.full(m, np.nan)
        ok = np.flatnonzero(paths.ok)
        if ok.size:
            if self.prepare is not None:
                prep = self._cache.get(("prep",) + hk)
                if prep is None:
                    nmax = int(paths.n[ok].max())
                    zone = None if paths.zone is None else np.ascontiguousarray(paths.zone[ok, :nmax])
                    prep = self.prepare(np.ascontiguousarray(paths.d[ok, :nmax]),
                                        np.ascontiguousarray(paths.h[ok, :nmax]), htg[ok], hrg[ok],
                                        n=paths.n[ok], lat=paths.lat_mid[ok], zone=zone)
                    self._cache[("prep",) + hk] = prep
                kw = {} if paths.dct_km is None else {"dct_km": paths.dct_km[ok], "dcr_km": paths.dcr_km[ok]}
                lb[ok] = np.asarray(prep.loss(f[ok] / 1000.0, float(p), pol=list(pol[ok]), **kw).lb, dtype=float)
            else:
                for pv in ("h", "v"):
                    sel = ok[np.array([pol[i] == pv for i in ok], dtype=bool)]
                    if not sel.size:
                        continue
                    nmax = int(paths.n[sel].max())
                    zkw = {} if paths.zone is None else {"zone": np.ascontiguousarray(paths.zone[sel, :nmax]),
                                                         "dct_km": paths.dct_km[sel], "dcr_km": paths.dcr_km[sel]}
                    lb[sel] = self.fn(np.ascontiguousarray(paths.d[sel, :nmax]),
                                      np.ascontiguousarray(paths.h[sel, :nmax]), paths.n[sel], f[sel] / 1000.0,
                                      float(p), htg[sel], hrg[sel], pol=pv, lat=paths.lat_mid[sel], **zkw)
        self._cache[ck] = lb
        return lb

    def loss_at(self, key, paths, f_mhz: float, p, htg, hrg, pol) -> np.ndarray:
        """Loss at one frequency for all paths; with :attr:`freq_nodes` interpolated linearly in
        log f between the two bracketing nodes, each computed once. [dB]"""
        nodes = self.freq_nodes
        f = float(f_mhz)
        if nodes is None or f <= nodes[0] or f >= nodes[-1]:
            return self.loss(key, paths, f, p, htg, hrg, pol)
        j = int(np.searchsorted(nodes, f))
        lo, hi = float(nodes[j - 1]), float(nodes[j])
        if abs(f - hi) < 1e-9:
            return self.loss(key, paths, hi, p, htg, hrg, pol)
        w = math.log(f / lo) / math.log(hi / lo)
        return (1.0 - w) * self.loss(key, paths, lo, p, htg, hrg, pol) + w * self.loss(key, paths, hi, p, htg, hrg, pol)
