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

__all__ = ["LossFn", "LOSS_FUNCTIONS", "MODEL_RANGES_MHZ", "MODEL_NAMES", "PREPARERS", "BROADCAST", "DEFAULT_MODEL", "is_broadcast_service",
           "MODEL_VALIDITY", "check_time_percentages", "free_space_loss_fn", "register_loss_model", "resolve_model", "model_version",
           "LossEngine"]

LossFn = Callable[..., np.ndarray]
BROADCAST = ("broadcast", "fm", "tv", "dab", "dvb")
#: the default model rule: by the request's service (:func:`resolve_model`)
DEFAULT_MODEL = "service"


def is_broadcast_service(service) -> bool:
    """A broadcasting service name (contains one of :data:`BROADCAST`)."""
    return any(b in str(service).lower() for b in BROADCAST)


def free_space_loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, **_) -> np.ndarray:  # noqa: ARG001
    """Free-space basic transmission loss over each path's length, Rec. ITU-R P.525-4 Eq. (6). [dB]"""
    dt = np.take_along_axis(np.asarray(d_km), (np.asarray(n) - 1)[:, None], axis=1)[:, 0]
    return 32.45 + 20.0 * np.log10(np.asarray(f_ghz) * 1000.0) + 20.0 * np.log10(dt)


def _p452_loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, *, pol="v", lat=None, zone=None, dct_km=500.0,
                  dcr_km=500.0, dn=None, n0=None, **_):
    from ..propagation import p452

    r = p452.basic_transmission_loss(d_km, h_m, f_ghz, p, htg_m, hrg_m, n=n, pol=pol, lat=lat, zone=zone,
                                     dct_km=dct_km, dcr_km=dcr_km, **_climate_kw(dn, n0))
    return np.asarray(r.lb, dtype=float)


def _climate_kw(dn, n0) -> dict:
    return {k: v for k, v in (("dn", dn), ("n0", n0)) if v is not None}


def _p1812_loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, *, pol="v", lat=None, zone=None, dct_km=None,
                   dcr_km=None, dn=None, n0=None, **_):
    from ..propagation import p1812

    if zone is not None:  # P.452 codes (1 coastal, 2 inland, 3 sea) -> P.1812 (3 coastal, 4 inland, 1 sea)
        zone = np.choose(np.asarray(zone, dtype=np.int64) - 1, [3.0, 4.0, 1.0])
    r = p1812.basic_transmission_loss(d_km, h_m, f_ghz, p, htg_m, hrg_m, n=n, pol=pol, lat=lat, zone=zone,
                                      dct_km=dct_km, dcr_km=dcr_km, **_climate_kw(dn, n0))
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
#: valid frequency range of each model [MHz]
MODEL_RANGES_MHZ = {"p452": (100.0, 50000.0), "p1812": (30.0, 6000.0), "itm": (20.0, 20000.0),
                    "free-space": (1e-3, 1e6)}
#: name and revision recorded with every evaluation
MODEL_NAMES = {"p452": "ITU-R P.452-18", "p1812": "ITU-R P.1812-6", "itm": "NTIA ITM 1.2.2",
               "free-space": "ITU-R P.525-4"}


def _p452_prepare(d_km, h_m, htg_m, hrg_m, *, n, lat, zone, dn=None, n0=None):
    from ..propagation import p452

    return p452.prepare_path(d_km, h_m, htg_m, hrg_m, n=n, lat=lat, zone=zone, **_climate_kw(dn, n0))


#: model name -> ``prepare(d_km, h_m, htg_m, hrg_m, *, n, lat, zone)`` returning an object whose
#: ``.loss(f_ghz, p, pol=[...], dct_km=, dcr_km=)`` has ``.lb`` (frequency-independent work done once)
PREPARERS: dict[str, Callable] = {"p452": _p452_prepare}
_MODULES = {"p452": "p452", "p1812": "p1812", "itm": "itm"}


def register_loss_model(name: str, fn: LossFn, *, f_range_mhz: tuple[float, float], version: str,
                        prepare: Callable | None = None, module: str | None = None,
                        d_km_range: tuple[float, float] | None = None,
                        h_m_range: tuple[float, float] | None = None,
                        p_range: tuple[float, float] | None = None) -> None:
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
    d_km_range, h_m_range : (float, float), optional
        Path lengths [km] and antenna heights above ground [m] the model is valid for; paths
        outside take the free-space loss, recorded per path (:data:`MODEL_VALIDITY`).
    p_range : (float, float), optional
        Time percentages the model takes; an evaluation outside is refused. [%]
    """
    key = str(name).lower()
    if key in ("auto", DEFAULT_MODEL):
        raise ValueError(f"model name {key!r} is reserved")
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
    val = {}
    for nm, r in (("d_km", d_km_range), ("h_m", h_m_range), ("p", p_range)):
        if r is not None:
            a, b = (float(x) for x in r)
            if not a < b:
                raise ValueError(f"{nm}_range = {r!r} must be (lo, hi) with lo < hi")
            val[nm] = (a, b)
    MODEL_VALIDITY[key] = val
    if module is not None:
        _MODULES[key] = module
    else:
        _MODULES.pop(key, None)


def resolve_model(model: str, service: str, f_mhz=None) -> str:
    """The model name of a request.

    ``"service"`` (the default of :func:`~spectrum.evaluation.evaluate_request` and ``spectrum
    evaluate``): broadcasting requests take the ``"auto"`` choice (P.1546-6, or P.1812-6 outside
    P.1546's 30-4 000 MHz, issue #15), every other service P.452-18.
    ``"auto"``: Rec. ITU-R P.1546-6 for broadcast services at 30-4 000 MHz (its range), P.1812-6
    for broadcasting outside it or any service below P.452's 100 MHz (when installed), P.452-18
    otherwise. ``f_mhz``: the request's frequency or (lo, hi) range (default: within P.1546's)."""
    m = str(model).lower()
    if m == DEFAULT_MODEL:
        return resolve_model("auto", service, f_mhz) if is_broadcast_service(service) else "p452"
    if m == "auto":
        fs = np.atleast_1d(np.asarray(200.0 if f_mhz is None else f_mhz, dtype=float))
        lo, hi = float(fs.min()), float(fs.max())
        bc = is_broadcast_service(service)
        for cand in (["p1546"] if bc else []) + (["p1812"] if bc or lo < MODEL_RANGES_MHZ["p452"][0] else []):
            r = MODEL_RANGES_MHZ.get(cand)
            if r is not None and r[0] <= lo and hi <= r[1] and _model_available(cand):
                return cand
        return "p452"
    if m not in LOSS_FUNCTIONS:
        raise ValueError(f"model = {model!r} is not one of {', '.join([DEFAULT_MODEL, 'auto', *LOSS_FUNCTIONS])}")
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


def check_time_percentages(m: str, p_percent) -> None:
    """Refuse time percentages outside model ``m``'s range (:data:`MODEL_VALIDITY` ``"p"``)."""
    r = MODEL_VALIDITY.get(m, {}).get("p")
    if r is not None:
        from .._validate import check_range

        check_range("p_percent", [float(x) for x in p_percent], r[0], r[1], "%", MODEL_NAMES.get(m, m))


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



#: validity of each model beyond its frequency range (:data:`MODEL_RANGES_MHZ`): path length
#: ``d_km`` [km] and antenna heights above ground ``h_m`` [m], closed intervals; a path outside
#: them takes the free-space loss (P.525) instead, recorded per path (:meth:`LossEngine.fallback`)
MODEL_VALIDITY: dict[str, dict] = {
    # P.452-18: no stated lower limit; the API refuses < 0.1 km (its §4 clutter rule and Eq. (8))
    "p452": {"d_km": (0.1, 10000.0), "h_m": (1e-6, 3000.0), "p": (0.001, 50.0)},
    "p1812": {"d_km": (0.25, 3000.0), "h_m": (1.0, 3000.0), "p": (1.0, 50.0)},   # P.1812-6 §1
    "itm": {"h_m": (0.5, 3000.0)},                             # ITM 1.2.2 terminal heights
    # p1546, p2001: registered by :mod:`.models` with their ranges
}


def _accepts(fn, names) -> dict:
    """Which of ``names`` ``fn`` takes as keywords (all when it has ``**kw``)."""
    import inspect

    try:
        ps = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return {k: False for k in names}
    if any(p.kind == p.VAR_KEYWORD for p in ps):
        return {k: True for k in names}
    have = {p.name for p in ps}
    return {k: k in have for k in names}


_EXTRA_KW = ("dn", "n0", "lat_t", "lon_t", "lat_r", "lon_r", "climate")


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
    climate : dict, optional
        Explicit climate inputs handed to models that take them (``climate=``, e.g. P.2001).

    Notes
    -----
    With a model that has a preparer (:data:`PREPARERS`, P.452 by default) the
    frequency-independent path geometry is prepared once per (paths, heights) and reused for
    every frequency and time percentage -- the terrain work of a sweep is done once.

    Paths outside the model's validity (:data:`MODEL_VALIDITY`: too short, antenna height out of
    range) or for which the model returns NaN take the free-space loss of Rec. ITU-R P.525-4
    instead of an error; :meth:`fallback` gives the reason per path ("" where the model applied).
    """

    def __init__(self, model: str, loss_fn: LossFn | None = None, freq_nodes=None, climate=None):
        self.model = model
        self.fn = loss_fn if loss_fn is not None else LOSS_FUNCTIONS[model]
        self.prepare = PREPARERS.get(model) if loss_fn is None else None
        self.validity = MODEL_VALIDITY.get(model, {}) if loss_fn is None else {}
        self.freq_nodes = freq_nodes
        self.climate = dict(climate or {})
        self._fn_kw = _accepts(self.fn, _EXTRA_KW)
        self._prep_kw = _accepts(self.prepare, _EXTRA_KW) if self.prepare is not None else {}
        self._cache: dict = {}

    # -- validity -----------------------------------------------------------------------
    def _outside(self, paths, htg, hrg) -> np.ndarray:
        """Reason per path ("" inside) for paths outside :attr:`validity`."""
        m = paths.n.size
        why = np.full(m, "", dtype=object)
        if not self.validity or not m:
            return why
        name = MODEL_NAMES.get(self.model, self.model)
        dt = paths.d[np.arange(m), np.maximum(paths.n - 1, 0)]
        lo, hi = self.validity.get("d_km", (0.0, np.inf))
        for bad, text in ((dt < lo, f"path {{:.3g}} km shorter than the {name} minimum {lo:g} km"),
                          (dt > hi, f"path {{:.4g}} km longer than the {name} maximum {hi:g} km")):
            for i in np.flatnonzero(bad & paths.ok):
                why[i] = text.format(dt[i])
        lo, hi = self.validity.get("h_m", (0.0, np.inf))
        for lbl, h in (("transmitting", htg), ("receiving", hrg)):
            for i in np.flatnonzero(((h < lo) | (h > hi)) & paths.ok & (why == "")):
                why[i] = f"{lbl} antenna height {h[i]:g} m outside the {name} range [{lo:g}, {hi:g}] m"
        return why

    def fallback(self, key, paths, htg, hrg) -> np.ndarray:
        """Per path: "" where the model gave the loss, else why free space (P.525) was used."""
        m = paths.n.size
        htg = np.broadcast_to(np.asarray(htg, float), (m,))
        hrg = np.broadcast_to(np.asarray(hrg, float), (m,))
        hk = ("fb", key, htg.tobytes(), hrg.tobytes())
        hit = self._cache.get(hk)
        if hit is None:
            hit = self._cache[hk] = self._outside(paths, htg, hrg)
        nan = self._cache.get(("nanfb", key, htg.tobytes(), hrg.tobytes()))
        if nan is not None and nan.any():
            hit = hit.copy()
            hit[nan & (hit == "")] = f"{MODEL_NAMES.get(self.model, self.model)} gives no value for this path"
        return hit

    @staticmethod
    def _rows(a, sel, nmax):
        """``a[sel, :nmax]`` contiguous, without a copy when that is all of ``a``."""
        if sel.size == a.shape[0] and nmax == a.shape[1] and sel[0] == 0 and sel[-1] == sel.size - 1:
            return np.ascontiguousarray(a)
        return np.ascontiguousarray(a[sel, :nmax])

    def _extra(self, paths, sel, accepts) -> dict:
        kw = {}
        for k in ("dn", "n0", "lat_t", "lon_t", "lat_r", "lon_r"):
            v = getattr(paths, k, None)
            if accepts.get(k) and v is not None:
                kw[k] = v[sel]
        if accepts.get("climate") and self.climate:
            kw["climate"] = self.climate
        return kw

    # -- losses -------------------------------------------------------------------------
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
        fs = self.fallback(key, paths, htg, hrg) != ""
        ok = np.flatnonzero(paths.ok & ~fs)
        if ok.size:
            if self.prepare is not None:
                prep = self._cache.get(("prep",) + hk)
                if prep is None:
                    nmax = int(paths.n[ok].max())
                    zone = None if paths.zone is None else self._rows(paths.zone, ok, nmax)
                    prep = self.prepare(self._rows(paths.d, ok, nmax), self._rows(paths.h, ok, nmax), htg[ok], hrg[ok],
                                        n=paths.n[ok], lat=paths.lat_mid[ok], zone=zone,
                                        **self._extra(paths, ok, self._prep_kw))
                    self._cache[("prep",) + hk] = prep
                kw = {} if paths.dct_km is None else {"dct_km": paths.dct_km[ok], "dcr_km": paths.dcr_km[ok]}
                lb[ok] = np.asarray(prep.loss(f[ok] / 1000.0, float(p), pol=list(pol[ok]), **kw).lb, dtype=float)
            else:
                for pv in ("h", "v"):
                    sel = ok[pol[ok] == pv]
                    if not sel.size:
                        continue
                    nmax = int(paths.n[sel].max())
                    zkw = {} if paths.zone is None else {"zone": self._rows(paths.zone, sel, nmax),
                                                         "dct_km": paths.dct_km[sel], "dcr_km": paths.dcr_km[sel]}
                    lb[sel] = self.fn(self._rows(paths.d, sel, nmax), self._rows(paths.h, sel, nmax), paths.n[sel],
                                      f[sel] / 1000.0,
                                      float(p), htg[sel], hrg[sel], pol=pv, lat=paths.lat_mid[sel], **zkw,
                                      **self._extra(paths, sel, self._fn_kw))
            nan = np.zeros(m, bool)
            nan[ok] = np.isnan(lb[ok])
            if nan.any():  # the model has no value there (e.g. P.1546 sea h1 < 1 m): free space, recorded
                nk = ("nanfb",) + hk
                self._cache[nk] = nan | self._cache.get(nk, np.zeros(m, bool))
                fs = fs | nan
        alt = np.flatnonzero(paths.ok & fs)
        if alt.size:
            lb[alt] = free_space_loss_fn(paths.d[alt], None, paths.n[alt], f[alt] / 1000.0, p, None, None)
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


def _register_builtin() -> None:
    from .models import register_builtin

    register_builtin(register_loss_model)


_register_builtin()
