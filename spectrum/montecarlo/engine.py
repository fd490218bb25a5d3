"""The Monte Carlo event engine: one block of events at a time, Rec. ITU-R SM.2028-2 §3.

Per event (SM.2028-2 §3.1-§3.2; ECC SEAMCAT handbook Annex 5):

* dRSS = P_wt + G_wt->vr + G_vr->wt - L_wt,vr - feeder losses (or a drawn value);
* for each interferer k: the power its own receiver gets sets the power-control reduction
  dP (SEAMCAT A14.1), and at the victim receiver's antenna port
  RSS_k = P_it - dP + G_it->vr + G_vr->it - L_it,vr - feeder losses; then
  iRSS_unwanted,k = RSS_k - FDR(f_vr - f_it) (Rec. ITU-R SM.337-6 from the Tx mask and the Rx
  selectivity), iRSS_blocking,k = RSS_k - a_vr(f_it - f_vr) (the three SEAMCAT blocking modes,
  :mod:`spectrum.blocking`); for every ordered pair (i, j) of interferers the receiver
  intermodulation product 2 f_i - f_j: 2 RSS_i + RSS_j - 3 (S + 3 + L_imr) + N (ERC Report 68
  Annex 2 App. 9), less the selectivity at the product's offset; products outside the victim's
  bandwidth are rejected (as SEAMCAT does with a constant intermodulation rejection);
* iRSS per mechanism = power sum over interferers (pairs), composite = power sum of the mechanisms;
* the four criteria I/N, C/I, C/(N+I), (N+I)/N per mechanism, counted over the events with
  dRSS > sensitivity (SEAMCAT's interference calculation; ``condition_on_sensitivity: false``
  counts every event).

Splitting: :func:`run_block` computes events ``[start, start + n)`` from the seed alone
(:mod:`spectrum.montecarlo.streams`), so a run split into blocks, in any order, on any number of
workers, reduces (:class:`~spectrum.montecarlo.results.Accumulator`) to bit-identical results.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numba
import numpy as np

from ..interference import CRITERIA, noise_dbw
from ..kernels import mc as _k
from ..masks import fdr_db
from .positions import place
from .propagation import PathModel
from .schema import MECHANISMS, Workspace, parse_workspace
from .streams import Streams

__all__ = ["Prepared", "BlockResult", "prepare", "run_block", "plan_blocks", "HIST_LO_DBW", "HIST_STEP_DB",
           "HIST_BINS", "VARIABLES", "LEVELS"]

#: histogram of every level: 0.01 dB bins from -400 dBW (+ under / overflow)
HIST_LO_DBW = -400.0
HIST_STEP_DB = 0.01
HIST_BINS = 50000 + 2
#: level variables, in histogram order
VARIABLES = ("drss_dbw", "irss_dbw", "irss_unwanted_dbw", "irss_blocking_dbw", "irss_intermod_dbw")
#: the mechanisms counted, in ``counts`` column order
LEVELS = ("composite",) + MECHANISMS

_PREPARED: dict = {}


@dataclass
class BlockResult:
    """What one block of events contributes: integer counts and histograms (exactly additive)
    and, when kept, the per-event vectors.

    Attributes
    ----------
    block_index, start, n : int
    counts : ndarray (4, 4) int64
        Interfered events per criterion (rows, :data:`spectrum.interference.CRITERIA` order) and
        mechanism (columns, :data:`LEVELS`).
    valid : int
        Events counted (dRSS > sensitivity).
    hist : ndarray (5, HIST_BINS) int64
        Histograms of :data:`VARIABLES`.
    vectors : dict or None
        name -> per-event array (``drss_dbw``, ``irss_dbw``, per mechanism, ``noise_dbw``,
        ``valid`` and ``irss_k_dbw`` (n, n_interferers) per interferer, composite).
    """

    block_index: int
    start: int
    n: int
    counts: np.ndarray
    valid: int
    hist: np.ndarray
    vectors: dict | None = None


def workspace_key(doc: dict) -> str:
    return hashlib.sha1(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


class Prepared:
    """A workspace with everything computed once per process: path models (terrain grids,
    loss caches), masks and criteria. Build with :func:`prepare`."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        vr = ws.vr.extra
        self.crit = np.array([vr["criteria"].get(c, 0.0) for c in CRITERIA])
        self.active = np.array([c in vr["criteria"] for c in CRITERIA])
        self.noise_const = noise_dbw(vr["bw_khz"], vr["noise_figure_db"]) if vr["noise_floor_dbw"] is None else None
        self.wanted = None
        if ws.drss["mode"] == "computed":
            self.wanted = PathModel(ws, ws.victim_propagation, "victim.tx", "victim.rx", vr["f_mhz"],
                                    "victim.propagation")
        self.paths, self.links = [], []
        for j, it in enumerate(ws.interferers):
            self.paths.append(PathModel(ws, it.propagation, it.tx.name, "victim.rx", it.tx.extra["f_mhz"],
                                        f"interferers[{j}].propagation"))
            self.links.append(PathModel(ws, it.link_propagation, it.tx.name, it.rx.name, it.tx.extra["f_mhz"],
                                        f"interferers[{j}].link_propagation") if it.power_control else None)
        self._fdr_cache = [dict() for _ in ws.interferers]
        self.has = {m: any(m in it.mechanisms for it in ws.interferers) for m in MECHANISMS}

    # ------------------------------------------------------------------ helpers
    def fdr(self, k: int, df_khz: np.ndarray) -> np.ndarray:
        """FDR of interferer k at offsets ``df_khz`` (exact SM.337 integral per distinct offset, memoised). [dB]"""
        it = self.ws.interferers[k]
        cache = self._fdr_cache[k]
        df = np.atleast_1d(np.asarray(df_khz, float))
        uniq, inv = np.unique(df, return_inverse=True)
        todo = [u for u in uniq.tolist() if u not in cache]
        if todo:
            vals = fdr_db(it.mask, self.ws.vr.extra["selectivity"], np.array(todo))
            cache.update(zip(todo, vals.tolist()))
            if len(cache) > 200000:
                cache.clear()
        return np.array([cache[u] for u in uniq.tolist()])[inv] if uniq.size else np.empty(0)


def prepare(workspace) -> Prepared:
    """A :class:`Prepared` workspace from a :class:`Workspace`, a document or a Prepared
    (cached per process by the document's hash, so workers reuse terrain grids)."""
    if isinstance(workspace, Prepared):
        return workspace
    if isinstance(workspace, Workspace):
        doc = workspace.raw
        key = workspace_key(doc)
        hit = _PREPARED.get(key)
        if hit is None:
            hit = Prepared(workspace)
    else:
        key = workspace_key(workspace)
        hit = _PREPARED.get(key)
        if hit is None:
            hit = Prepared(parse_workspace(workspace))
    if len(_PREPARED) > 8:
        _PREPARED.clear()
    _PREPARED[key] = hit
    return hit


def plan_blocks(n_events: int, block_events: int, first: int = 0) -> list[tuple[int, int, int]]:
    """``(block_index, start, n)`` of the blocks covering events ``[first, first + n_events)``."""
    out = []
    s = first
    b = first // block_events if first % block_events == 0 else 0
    end = first + n_events
    while s < end:
        n = min(block_events, end - s)
        out.append((b, s, n))
        s += n
        b += 1
    return out


def _vec(v, n=None):
    a = np.ascontiguousarray(np.atleast_1d(np.asarray(v, dtype=np.float64)))
    if n is not None and a.shape[0] not in (1, n):
        raise ValueError("internal: per-event array of the wrong length")
    return a


def _geom(pos, a, b, n, need_az=True):
    """Distance [km] and azimuth [deg] from element ``a`` to ``b`` (azimuth None unless needed)."""
    d = np.empty(n)
    if not need_az:
        _k.distance(_vec(pos[a][0]), _vec(pos[a][1]), _vec(pos[b][0]), _vec(pos[b][1]), d)
        return d, None
    az = np.empty(n)
    _k.geometry(_vec(pos[a][0]), _vec(pos[a][1]), _vec(pos[b][0]), _vec(pos[b][1]), d, az)
    return d, az


class _Gains:
    """Antenna gains of the block's events (pointing drawn once per element)."""

    def __init__(self, prep: Prepared, pos, streams: Streams, n: int, freqs: dict):
        self.prep, self.pos, self.streams, self.n, self.freqs = prep, pos, streams, n, freqs
        self._az = {}

    def pointing(self, name):
        if name not in self._az:
            e = self.prep.ws.element(name)
            a = e.antenna
            if a.point_to is not None:
                self._az[name] = _geom(self.pos, name, a.point_to, self.n)[1]
            elif a.azimuth_deg is not None:
                self._az[name] = _vec(self.streams.sample(a.azimuth_deg, f"{e.extra['stream']}.antenna.azimuth_deg"))
            else:
                self._az[name] = np.zeros(1)
        return self._az[name]

    def need_az(self, a, b) -> bool:
        els = self.prep.ws.element
        return not (els(a).antenna.omni and els(b).antenna.omni)

    def toward(self, name, other, d_km, az_deg, back=False) -> np.ndarray | float:
        """Gain of ``name``'s antenna toward ``other`` (azimuth ``az_deg`` seen from ``name``, or from
        ``other`` when ``back``). [dBi]"""
        e = self.prep.ws.element(name)
        a = e.antenna
        if a.omni:
            return a.antenna.g_dbi
        if back:
            az_deg = (az_deg + 180.0) % 360.0
        h1 = _vec(self.pos[name][2])
        h2 = _vec(self.pos[other][2])
        el = np.degrees(np.arctan((h2 - h1) / (1000.0 * d_km)))
        off = (az_deg - self.pointing(name) + 180.0) % 360.0 - 180.0
        return a.antenna.gain_dbi(off, el, self.freqs[name], tilt_deg=a.tilt_deg)


def _cni_max(prep: Prepared, drss: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """Largest interference meeting C/(N+I) >= t per event, 10 log10(10^((C - t)/10) - 10^(N/10))
    (-inf when C - t <= N), as :func:`spectrum.interference.max_interference_dbw` (NumPy: its SIMD
    exp/log beat scalar calls). [dBW]"""
    if not prep.active[2]:
        return np.full(1, np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = 10.0 ** ((drss - prep.crit[2]) / 10.0) - 10.0 ** (noise / 10.0)
        return np.where(x > 0.0, 10.0 * np.log10(np.maximum(x, 1e-300)), -np.inf)


def run_block(workspace, seed: int | None = None, block_index: int = 0, n_events: int | None = None,
              start: int | None = None, *, store_vectors: bool | None = None) -> BlockResult:
    """Events ``[start, start + n_events)`` of a run; block ``b`` starts at ``b * options.block_events``.

    The block stride is the workspace's ``options.block_events`` (a property of the run, not of
    the cluster): a distributed runner cuts the run into blocks of that size, the last one
    shorter, and calls ``run_block(workspace, seed, b, n_b)``; the reduced result is the
    single-process one, bit for bit.

    Parameters
    ----------
    workspace : Workspace, dict or Prepared
    seed : int, optional
        Run seed (default: the workspace's).
    block_index, n_events : int
        The block and its number of events (default ``options.block_events``; at most that
        unless ``start`` is given).
    start : int, optional
        First event, overriding ``block_index * options.block_events``.
    store_vectors : bool, optional
        Keep the per-event vectors (default: the workspace's ``options.store_vectors``).

    Returns
    -------
    BlockResult
    """
    prep = prepare(workspace)
    ws = prep.ws
    seed = ws.seed if seed is None else seed
    n = ws.options["block_events"] if n_events is None else int(n_events)
    if n < 1:
        raise ValueError(f"n_events = {n} must be >= 1")
    if start is None:
        stride = ws.options["block_events"]
        if n > stride:
            raise ValueError(f"n_events = {n} exceeds the block stride options.block_events = {stride}; give start "
                             f"(block {block_index} would overlap block {block_index + 1})")
        start = int(block_index) * stride
    else:
        start = int(start)
    if start < 0:
        raise ValueError(f"start = {start} must be >= 0")
    keep = ws.options["store_vectors"] if store_vectors is None else store_vectors
    st = Streams(seed, start, n)
    pos = place(ws, st)
    vr = ws.vr.extra
    f_vr = _vec(st.sample(vr["f_mhz"], "victim.rx.f_mhz"))
    f_it = [_vec(st.sample(it.tx.extra["f_mhz"], f"{it.tx.extra['stream']}.f_mhz")) for it in ws.interferers]
    freqs = {"victim.rx": vr["f_mhz"].value, "victim.tx": vr["f_mhz"].value}
    for it in ws.interferers:
        freqs[it.tx.name] = freqs[it.rx.name] = it.tx.extra["f_mhz"].value
    gains = _Gains(prep, pos, st, n, freqs)
    fl_vr = ws.vr.antenna.feeder_loss_db
    # noise, sensitivity
    noise = _vec(prep.noise_const if vr["noise_floor_dbw"] is None else
                 st.sample(vr["noise_floor_dbw"], "victim.rx.noise_floor_dbw"))
    sens = _vec(-np.inf if vr["sensitivity_dbw"] is None else st.sample(vr["sensitivity_dbw"], "victim.rx.sensitivity_dbw"))
    # wanted signal
    if ws.drss["mode"] == "computed":
        d_w, az_w = _geom(pos, "victim.tx", "victim.rx", n, gains.need_az("victim.tx", "victim.rx"))
        lw = prep.wanted.loss(pos, d_w, f_vr, st)
        drss = (st.sample(ws.wt.extra["power_dbw"], "victim.tx.power_dbw") - ws.wt.antenna.feeder_loss_db
                + gains.toward("victim.tx", "victim.rx", d_w, az_w)
                + gains.toward("victim.rx", "victim.tx", d_w, az_w, back=True) - lw - fl_vr)
    else:
        drss = st.sample(ws.drss["value_dbw"], "victim.drss.value_dbw")
    drss = np.ascontiguousarray(np.broadcast_to(drss, (n,)), dtype=np.float64)
    lev = [None, None, None, None]   # composite, unwanted, blocking, intermod (None: no term yet)

    def add(m, x):
        x = np.ascontiguousarray(np.broadcast_to(x, (n,)), dtype=np.float64)
        if lev[m] is None:
            lev[m] = x.copy()
        else:
            _k.power_sum_into(lev[m], x)

    rss = []
    per_k = np.full((n, len(ws.interferers)), -np.inf) if keep else None
    crit = vr["criteria"]
    for k, it in enumerate(ws.interferers):
        s = it.tx.extra["stream"]
        p_it = _vec(st.sample(it.tx.extra["power_dbw"], f"{s}.power_dbw")) - it.tx.antenna.feeder_loss_db
        if it.power_control:
            d_l, az_l = _geom(pos, it.tx.name, it.rx.name, n, gains.need_az(it.tx.name, it.rx.name))
            ll = prep.links[k].loss(pos, d_l, f_it[k], st)
            rss_wr = (p_it + gains.toward(it.tx.name, it.rx.name, d_l, az_l)
                      + gains.toward(it.rx.name, it.tx.name, d_l, az_l, back=True) - ll
                      - it.rx.antenna.feeder_loss_db)
            dp = np.empty(n)
            pc = it.power_control
            _k.power_control(_vec(rss_wr), pc["threshold_dbw"], pc["dynamic_range_db"], pc["step_db"], dp)
            p_it = p_it - dp
        d_i, az_i = _geom(pos, it.tx.name, "victim.rx", n, gains.need_az(it.tx.name, "victim.rx"))
        li = prep.paths[k].loss(pos, d_i, f_it[k], st)
        r = np.ascontiguousarray(np.broadcast_to(
            p_it + gains.toward(it.tx.name, "victim.rx", d_i, az_i)
            + gains.toward("victim.rx", it.tx.name, d_i, az_i, back=True) - li - fl_vr, (n,)), dtype=float)
        rss.append(r)
        df_khz = (f_vr - f_it[k]) * 1000.0
        tot = np.full(n, -np.inf) if keep else None
        if "unwanted" in it.mechanisms:
            u = r - prep.fdr(k, df_khz)
            add(1, u)
            if keep:
                _k.power_sum_into(tot, u)
        if "blocking" in it.mechanisms:
            a = vr["blocking"].attenuation_db(-df_khz, c_nplusi_db=crit.get("C/(N+I)"),
                                              nplusi_n_db=crit.get("(N+I)/N"), i_n_db=crit.get("I/N"),
                                              sens_dbw=None if vr["sensitivity_dbw"] is None else sens)
            b = _vec(r - a)
            add(2, b)
            if keep:
                _k.power_sum_into(tot, b)
        if keep:
            per_k[:, k] = tot
    im_idx = [k for k, it in enumerate(ws.interferers) if "intermod" in it.mechanisms]
    if ws.options["intermod"] and len(im_idx) >= 2:
        sel = vr["selectivity"]
        out = np.empty(n)
        for i in im_idx:
            for j in im_idx:
                if i == j:
                    continue
                fp = 2.0 * f_it[i] - f_it[j]
                off = (fp - f_vr) * 1000.0      # products outside the victim's band are rejected (SEAMCAT)
                att = _vec(np.where(np.abs(off) <= 0.5 * vr["bw_khz"], sel.attenuation_at(off), np.inf))
                _k.receiver_im(rss[i], rss[j], sens, noise, vr["intermod_rejection_db"], att, out)
                add(3, out)
    present = [m for m in (1, 2, 3) if lev[m] is not None]
    none = np.full(n, -np.inf) if (keep or not present) else None
    if len(present) == 1:
        lev[0] = lev[present[0]]
    elif present:
        lev[0] = lev[present[0]].copy()
        for m in present[1:]:
            _k.power_sum_into(lev[0], lev[m])
    else:
        lev[0] = none
    rows = [0] + present if len(present) > 1 else [0]
    counts = np.zeros((4, 4), np.int64)
    part = np.zeros((4, len(rows)), np.int64)
    valid = np.zeros(1, np.int64)
    count = _k.count_interfered if n >= 4 * _k.CHUNK and numba.get_num_threads() > 1 else \
        _k.count_interfered_serial
    levels = lev[0][None, :] if len(rows) == 1 else np.stack([lev[m] for m in rows])
    nin3 = 10.0 * np.log10(10.0 ** (prep.crit[3] / 10.0) - 1.0) if prep.active[3] else 0.0
    count(drss, noise, sens, _vec(_cni_max(prep, drss, noise)), levels, prep.crit.astype(float), float(nin3),
          prep.active, bool(ws.options["condition_on_sensitivity"]), part, valid)
    counts[:, rows] = part
    if len(present) == 1:
        counts[:, present[0]] = part[:, 0]
    hist = np.zeros((len(VARIABLES), HIST_BINS), np.int64)
    _k.histogram_add(drss, HIST_LO_DBW, HIST_STEP_DB, hist[0])
    for m in range(4):
        if lev[m] is not None and (m == 0 or m in present):
            _k.histogram_add(lev[m], HIST_LO_DBW, HIST_STEP_DB, hist[m + 1])
        else:
            hist[m + 1, 0] = n
    vectors = None
    if keep:
        cond = drss > sens if ws.options["condition_on_sensitivity"] else np.ones(n, bool)
        vec = [none if x is None else x for x in lev]
        vectors = {"drss_dbw": drss, "irss_dbw": vec[0].copy(), "irss_unwanted_dbw": vec[1].copy(),
                   "irss_blocking_dbw": vec[2].copy(), "irss_intermod_dbw": vec[3].copy(),
                   "noise_dbw": np.broadcast_to(noise, (n,)).copy(), "valid": cond,
                   "irss_k_dbw": per_k}
    return BlockResult(int(block_index), start, n, counts, int(valid[0]), hist, vectors)

