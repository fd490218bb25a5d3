"""The evaluation pipeline: request -> scenario -> paths -> losses -> budgets -> decision -> report.

:func:`evaluate_request` runs the stages once, downhill; :func:`compute` is the per-channel part
(paths, losses, budgets) that :mod:`spectrum.sweep` repeats over a channel list with one
:class:`Caches` so the terrain work is done once. This module is the only one that knows every
stage; no stage imports it.
"""
from __future__ import annotations

import numpy as np

from .. import __version__
from .._validate import check_range
from ..interference import noise_dbw
from ..masks import FDRCache
from . import budgets, decision as _decision
from .catalog import AntennaResolver
from .losses import LossEngine, LossFn, model_version
from .paths import elevations, geometry, profiles
from .report import Evaluation
from .request import Request
from .scenario import (Scenario, build_scenario, forward_keep, fs_allowance_db, reverse_keep,
                       wanted_transmitters)
from .tables import num, text_columns

__all__ = ["Caches", "compute", "evaluate_request", "evaluate_licence"]

_ID_COLS = ("licence_number", "licensee", "service", "station_id", "station_name", "assignment_id")


class Caches:
    """Per-run memo of what does not change between channels of one scenario: terrain paths,
    losses, elevations, gains, FDRs, wanted signals. Owned by the caller of :func:`compute`."""

    def __init__(self, sc: Scenario, freq_nodes=None):
        self.losses = LossEngine(sc.model, sc.loss_fn if sc.model == "custom" else None, freq_nodes)
        self.antennas = AntennaResolver(sc.reg)
        self.fdr = FDRCache()
        self.geom: dict = {}
        self.misc: dict = {}
        self.universe: dict = {}   # "fwd"/"rev" -> rows a sweep fixes once for every channel

    def paths_for(self, sc: Scenario, which: str, keep: np.ndarray):
        """Terrain paths covering rows ``keep`` of ``which`` ("fwd", "rev"): the universe when it
        holds them all (a sweep fixes it once), else the rows themselves (cached by row set).

        Returns (paths, universe_rows, pos, key): ``paths`` over ``universe_rows``; ``pos`` selects
        ``keep`` within them; ``key`` identifies the path set for the loss cache.
        """
        uni = self.universe.get(which)
        rows = uni if (uni is not None and keep.size and np.all(np.isin(keep, uni))) else keep
        key = (which, rows.tobytes())
        hit = self.geom.get(key)
        if hit is None:
            req = sc.req
            st = sc.fwd if which == "fwd" else sc.rev
            la, lo = num(st.cols["lat"])[rows], num(st.cols["lon"])[rows]
            if which == "fwd":
                hit = geometry(sc.dem, np.full(rows.size, req.tx.lat), np.full(rows.size, req.tx.lon), la, lo,
                               sc.step_m, sc.zones)
            else:
                hit = geometry(sc.dem, la, lo, np.full(rows.size, req.rx.lat), np.full(rows.size, req.rx.lon),
                               sc.step_m, sc.zones)
            if len(self.geom) > 8:
                self.geom.clear()
            self.geom[key] = hit
        pos = np.searchsorted(rows, keep) if rows is not keep else np.arange(keep.size)
        return hit, rows, pos, key


def compute(sc: Scenario, *, f_tx_mhz: float, f_rx_mhz: float, eirp_dbw: float | None,
            p_long: float = 20.0, p_short: float = 1.0, short_term_allowance_db: float = 10.0,
            coordination_margin_db: float = 3.0, h_tx_agl_m: float | None = None,
            h_rx_agl_m: float | None = None, caches: Caches | None = None) -> dict:
    """Victim / interferer tables for one channel (frequencies, EIRP, heights) of a scenario."""
    req = sc.req
    cc = caches if caches is not None else Caches(sc)
    out = {"victims": {}, "interferers": {}, "aggregate": {}, "uncertain_bound": 0}
    h_tx = float(req.tx.h_agl_m if h_tx_agl_m is None else h_tx_agl_m) if req.tx else None
    h_rx = float(req.rx.h_agl_m if h_rx_agl_m is None else h_rx_agl_m) if req.rx else None
    bw = float(req.bw_khz)
    # ---------------- forward: candidate Tx -> registered receivers ----------------------
    if req.tx is not None and sc.fwd is not None and len(sc.fwd):
        v = sc.fwd
        tx_mask = sc.masks.get(req.tx_mask, bw, "tx")
        df = (v.f_mhz - f_tx_mhz) * 1000.0
        fdr = budgets.fdr_forward(cc.fdr, tx_mask, v.rx_masks, df)
        keep = forward_keep(v, fdr, eirp_dbw, f_tx_mhz, p_short, coordination_margin_db)
        out["victims"] = _forward(sc, cc, keep, fdr, df, f_tx_mhz, eirp_dbw, h_tx, p_long, p_short,
                                  short_term_allowance_db, coordination_margin_db)
    # ---------------- reverse: registered transmitters -> candidate Rx -------------------
    if req.rx is not None:
        n_c = float(noise_dbw(bw, req.noise_figure_db))
        rx_mask = sc.masks.get(req.rx_selectivity, bw, "rx")
        t = sc.rev
        c_dbw = np.nan
        if req.protection == "C/I":
            c_dbw = _candidate_wanted(sc, cc, f_tx_mhz, eirp_dbw, h_tx, h_rx)
        if t is not None and len(t):
            df = (f_rx_mhz - t.f_mhz) * 1000.0
            fdr = budgets.fdr_reverse(cc.fdr, t.tx_masks, rx_mask, df)
            thr = (n_c + req.protection_db) if req.protection == "I/N" else (c_dbw - req.protection_db)
            if not np.isfinite(thr):
                thr = n_c + req.protection_db
            keep = reverse_keep(t, fdr, req.rx.g_dbi, req.rx.feeder_loss_db, p_short, thr)
            out["interferers"], agg = _reverse(sc, cc, keep, fdr, df, h_rx, n_c, p_long, p_short)
        else:
            agg = {"i_long_dbw": -np.inf, "i_short_dbw": -np.inf}
        agg["n_dbw"] = n_c
        agg["c_dbw"] = c_dbw
        agg["criterion"] = req.protection
        agg["protection_db"] = float(req.protection_db)
        allow = short_term_allowance_db
        if req.protection == "I/N":
            agg["margin_long_db"] = float(req.protection_db - (agg["i_long_dbw"] - n_c))
            agg["margin_short_db"] = float(req.protection_db + allow - (agg["i_short_dbw"] - n_c))
        else:
            agg["margin_long_db"] = float((c_dbw - agg["i_long_dbw"]) - req.protection_db)
            agg["margin_short_db"] = float((c_dbw - agg["i_short_dbw"]) - (req.protection_db - allow))
        agg["margin_db"] = float(np.fmin(agg["margin_long_db"], agg["margin_short_db"]))
        out["aggregate"] = agg
    return out


def _forward(sc, cc: Caches, keep, fdr, df, f_tx, eirp, h_tx, p_lt, p_st, allow, coord_margin) -> dict:
    req = sc.req
    v = sc.fwd
    a = v.cols
    allp, rows, pos, pk = cc.paths_for(sc, "fwd", keep)
    hrg_all = v.h_m[rows]
    el_t_all, el_r_all = elevations(allp, h_tx, hrg_all, cache=cc.misc, key=pk)
    el_t, el_r = el_t_all[pos], el_r_all[pos]
    paths = allp.subset(pos)
    # antenna gains depend on the geometry only (the candidate's pattern is taken at the request's
    # nominal frequency, each registered station's at its own): computed once per path set and heights
    gk = ("gains", pk, float(h_tx), hrg_all.tobytes())
    g_all = cc.misc.get(gk)
    if g_all is None:
        m_all = rows.size
        g_all = (cc.antennas.gains(np.array([req.tx.antenna_pattern] * m_all, dtype=object),
                                   np.full(m_all, req.tx.g_dbi), np.full(m_all, req.tx.azimuth_deg),
                                   np.full(m_all, req.tx.tilt_deg), allp.bearing_12, el_t_all,
                                   np.full(m_all, req.f_mhz)),
                 cc.antennas.gains(a["antenna_pattern"][rows], v.g_dbi[rows], num(a["azimuth_deg"], 0.0)[rows],
                                   num(a["tilt_deg"], 0.0)[rows], allp.bearing_21, el_r_all, num(a["f_mhz"])[rows]))
        cc.misc[gk] = g_all
    gt, gr = g_all[0][pos], g_all[1][pos]
    pol = req.polarisation
    lb_lt = cc.losses.loss_at(pk, allp, f_tx, p_lt, h_tx, hrg_all, pol)[pos]
    lb_st = cc.losses.loss_at(pk, allp, f_tx, p_st, h_tx, hrg_all, pol)[pos]
    i_lt = budgets.interference_dbw(eirp, gt, req.tx.g_dbi, gr, v.fl_db[keep], fdr[keep], lb_lt)
    i_st = budgets.interference_dbw(eirp, gt, req.tx.g_dbi, gr, v.fl_db[keep], fdr[keep], lb_st)
    n = v.n_dbw[keep]
    crit = v.crit[keep]
    prot = v.prot_db[keep]
    # wanted signal for C/I victims
    c = np.full(keep.size, np.nan)
    ci = np.flatnonzero(crit == "C/I")
    if ci.size:
        c[ci] = _victim_wanted(sc, cc, keep[ci])
    m_lt, m_st, margin = budgets.margins(crit, prot, i_lt, i_st, n, c, allow)
    # uncertain rows: not computed, but the free-space bound says they could be affected
    status = _decision.row_status(margin, coord_margin)
    cols = text_columns(a, _ID_COLS, keep)
    cols.update({
        "lat": num(a["lat"])[keep], "lon": num(a["lon"])[keep], "f_mhz": num(a["f_mhz"])[keep],
        "bw_khz": v.bw_khz[keep], "df_khz": df[keep], "d_km": paths.length_km, "terrain_path": paths.ok,
        "fdr_db": fdr[keep], "gt_dbi": gt, "gr_dbi": gr, "elev_t_deg": el_t, "elev_r_deg": el_r,
        "lb_long_db": lb_lt, "lb_short_db": lb_st, "i_long_dbw": i_lt, "i_short_dbw": i_st, "n_dbw": n,
        "c_dbw": c, "criterion": crit.astype(str), "protection_db": prot,
        "i_over_n_long_db": i_lt - n, "margin_long_db": m_lt, "margin_short_db": m_st,
        "margin_db": margin, "status": status})
    return cols


def _victim_wanted(sc, cc: Caches, rows) -> np.ndarray:
    """C (dBW) at C/I victims from their own licence's transmitter at 50 % time."""
    v = sc.fwd
    a = v.cols
    key = ("wanted", rows.tobytes())
    hit = cc.misc.get(key)
    if hit is not None:
        return hit
    w = wanted_transmitters(sc.reg, v, rows, sc.req.tx.lat, sc.req.tx.lon, sc.max_distance_km + 150.0)
    c = np.full(rows.size, np.nan)
    if len(w["victim"]):
        paths = geometry(sc.dem, w["tx_lat"], w["tx_lon"], w["lat"], w["lon"], sc.step_m, sc.zones)
        hr = v.h_m[w["victim"]]
        el_t, el_r = elevations(paths, w["h_tx"], hr)
        gt = cc.antennas.gains(w["pattern"], w["g"], w["az"], w["tilt"], paths.bearing_12, el_t, w["f"])
        gr = cc.antennas.gains(a["antenna_pattern"][w["victim"]], v.g_dbi[w["victim"]],
                               num(a["azimuth_deg"], 0.0)[w["victim"]], num(a["tilt_deg"], 0.0)[w["victim"]],
                               paths.bearing_21, el_r, w["f"])
        lb = cc.losses.loss(("wanted", rows.tobytes()), paths, w["f"], 50.0, w["h_tx"], hr, w["pol"])
        cw = w["eirp"] + (gt - w["g"]) - lb + gr - v.fl_db[w["victim"]]
        pos = {int(r): k for k, r in enumerate(rows)}
        for k, vi in enumerate(w["victim"]):
            c[pos[int(vi)]] = cw[k]
    cc.misc[key] = c
    return c


def _candidate_wanted(sc, cc: Caches, f_tx, eirp, h_tx, h_rx) -> float:
    """C (dBW) at the candidate receiver from the candidate transmitter at 50 % time."""
    req = sc.req
    from .. import geo
    tx, rx = req.tx, req.rx
    paths = profiles(sc.dem, np.array([tx.lat]), np.array([tx.lon]), np.array([rx.lat]), np.array([rx.lon]),
                     sc.step_m, zones=sc.zones)
    if not paths.ok[0]:
        return np.nan
    el_t, el_r = elevations(paths, h_tx, h_rx)
    b12 = float(geo.bearing_deg(tx.lat, tx.lon, rx.lat, rx.lon))
    b21 = float(geo.bearing_deg(rx.lat, rx.lon, tx.lat, tx.lon))
    gt = cc.antennas.get(tx.antenna_pattern, tx.g_dbi).gain_dbi(((b12 - tx.azimuth_deg + 180) % 360) - 180, el_t, f_tx,
                                                                 tilt_deg=tx.tilt_deg)
    gr = cc.antennas.get(rx.antenna_pattern, rx.g_dbi).gain_dbi(((b21 - rx.azimuth_deg + 180) % 360) - 180, el_r, f_tx,
                                                                 tilt_deg=rx.tilt_deg)
    lb = cc.losses.loss(("own",), paths, f_tx, 50.0, h_tx, h_rx, req.polarisation)
    return float(eirp + (gt[0] - tx.g_dbi) - lb[0] + gr[0] - rx.feeder_loss_db)


def _pols(v, default):
    return np.array([x if x in ("h", "v") else default for x in v], dtype=object)


def _reverse(sc, cc: Caches, keep, fdr, df, h_rx, n_c, p_lt, p_st):
    req = sc.req
    t = sc.rev
    a = t.cols
    allp, rows, pos, pk = cc.paths_for(sc, "rev", keep)
    htg_all = t.h_m[rows]
    el_t_all, el_r_all = elevations(allp, htg_all, h_rx, cache=cc.misc, key=pk)
    paths = allp.subset(pos)
    fi = num(a["f_mhz"])[keep]
    gk = ("gains", pk, htg_all.tobytes(), float(h_rx))
    g_all = cc.misc.get(gk)
    if g_all is None:
        m_all = rows.size
        g_all = (cc.antennas.gains(a["antenna_pattern"][rows], t.g_dbi[rows], num(a["azimuth_deg"], 0.0)[rows],
                                   num(a["tilt_deg"], 0.0)[rows], allp.bearing_12, el_t_all, num(a["f_mhz"])[rows]),
                 cc.antennas.gains(np.array([req.rx.antenna_pattern] * m_all, dtype=object),
                                   np.full(m_all, req.rx.g_dbi), np.full(m_all, req.rx.azimuth_deg),
                                   np.full(m_all, req.rx.tilt_deg), allp.bearing_21, el_r_all,
                                   np.full(m_all, req.f_rx_mhz)))
        cc.misc[gk] = g_all
    gt, gr = g_all[0][pos], g_all[1][pos]
    fi_all = num(a["f_mhz"])[rows]
    pol_all = _pols(a["polarisation"][rows], "v")
    lb_lt = cc.losses.loss(pk, allp, fi_all, p_lt, htg_all, h_rx, pol_all)[pos]
    lb_st = cc.losses.loss(pk, allp, fi_all, p_st, htg_all, h_rx, pol_all)[pos]
    i_lt = budgets.interference_dbw(t.eirp_dbw[keep], gt, t.g_dbi[keep], gr, req.rx.feeder_loss_db, fdr[keep], lb_lt)
    i_st = budgets.interference_dbw(t.eirp_dbw[keep], gt, t.g_dbi[keep], gr, req.rx.feeder_loss_db, fdr[keep], lb_st)
    agg_lt, agg_st, share, computed = budgets.aggregate_entries(i_lt, i_st)
    cols = text_columns(a, _ID_COLS, keep)
    cols.update({
        "lat": num(a["lat"])[keep], "lon": num(a["lon"])[keep], "f_mhz": fi, "bw_khz": t.bw_khz[keep],
        "eirp_dbw": t.eirp_dbw[keep], "df_khz": df[keep], "d_km": paths.length_km, "terrain_path": paths.ok,
        "fdr_db": fdr[keep], "gt_dbi": gt, "gr_dbi": gr, "lb_long_db": lb_lt, "lb_short_db": lb_st,
        "i_long_dbw": i_lt, "i_short_dbw": i_st, "i_over_n_long_db": i_lt - n_c, "share_percent": share})
    return cols, {"i_long_dbw": agg_lt, "i_short_dbw": agg_st, "n_interferers": int(keep.size),
                  "n_not_computed": int((~computed).sum())}


def evaluate_request(register, request, *, dem=None, model: str = "p452", p_percent=(20.0, 1.0),
                     short_term_allowance_db: float = 10.0, coordination_margin_db: float = 3.0,
                     max_distance_km: float = 150.0, freq_window_mhz: float | None = None,
                     step_m: float | None = None, loss_fn: LossFn | None = None, zones: bool = True,
                     store: bool = False, user: str = "spectrum") -> Evaluation:
    """Evaluate a licence request against the register in both directions.

    Parameters
    ----------
    register : spectrum.register.Register
        The register (``query_arrays``, ``antenna_pattern``, ``spectrum_mask``, ``store_evaluation``).
    request : Request or dict
        The candidate assignment.
    dem : xarray.DataArray, optional
        Terrain; the embedded default (:func:`spectrum.datasets.terrain.default_dem`) if omitted.
    model : {"p452", "p1812", "itm", "free-space", "auto"} or a registered model name
        Propagation model (:func:`spectrum.evaluation.losses.register_loss_model`); ``"auto"``
        takes P.1812 for broadcast services when installed.
    p_percent : (float, float)
        Long-term and short-term time percentages for interference. [%]
    short_term_allowance_db : float
        Relaxation of the criterion at the short-term percentage. [dB]
    coordination_margin_db : float
        Margins in [0, this) make the decision "needs coordination". [dB]
    max_distance_km : float
        Registered stations beyond this distance are not considered. [km]
    freq_window_mhz : float, optional
        Half-width of the frequency query window; default 20 MHz + 10 x bandwidth. [MHz]
    step_m : float, optional
        Profile sample spacing; default the DEM resolution. [m]
    loss_fn : callable, optional
        ``loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, *, pol, lat, zone, dct_km, dcr_km) -> Lb``
        replacing the model (tests inject free space through it).
    zones : bool
        Radio-climatic zones along each profile from the DEM (P.452-18 §3.2.1 Table 3 via
        :func:`spectrum.terrain.radio_climatic_zones`: sea at or below 0 m, coastal land within
        50 km of the sea and below 100 m) and the distances over land to the coast (dct, dcr)
        from them; ``False`` treats every path as inland, 500 km from the coast.
    store : bool
        Store the evaluation in the register.

    Returns
    -------
    Evaluation
    """
    req = request if isinstance(request, Request) else Request.from_dict(request)
    p_lt, p_st = (float(x) for x in p_percent)
    check_range("p_percent", [p_lt, p_st], 0.001, 50.0, "%", "P.452-18")
    sc = build_scenario(register, req, dem=dem, model=model, max_distance_km=max_distance_km,
                        freq_window_mhz=freq_window_mhz, step_m=step_m, loss_fn=loss_fn, zones=zones)
    res = compute(sc, f_tx_mhz=req.f_mhz, f_rx_mhz=req.f_rx_mhz, eirp_dbw=req.eirp_dbw,
                  p_long=p_lt, p_short=p_st, short_term_allowance_db=short_term_allowance_db,
                  coordination_margin_db=coordination_margin_db)
    dec, reasons, worst = _decision.decide(res["victims"], res["aggregate"], coordination_margin_db,
                                           req.rx is not None)
    inputs = {"model": sc.model, "p_long_percent": p_lt, "p_short_percent": p_st,
              "short_term_allowance_db": short_term_allowance_db, "coordination_margin_db": coordination_margin_db,
              "max_distance_km": sc.max_distance_km, "freq_window_mhz": sc.freq_window_mhz,
              "step_m": sc.step_m, "terrain": str(getattr(sc.dem, "attrs", {}).get("source", "DEM")),
              "zones": "P.452-18 Table 3 from the DEM" if sc.zones else "all inland, dct = dcr = 500 km",
              "n_victims_considered": sc.n_victims_considered,
              "n_interferers_considered": sc.n_interferers_considered,
              "pruning_allowance_below_free_space_db": fs_allowance_db(p_st)}
    versions = {"propagation": model_version(sc.model), "fdr": "ITU-R SM.337-6",
                "antennas": "ITU-R F.699-8 / F.1245-3 / F.1336-5", "spectrum": __version__}
    ev = Evaluation(decision=dec, reasons=reasons, worst_margin_db=worst, victims=res["victims"],
                    interferers=res["interferers"], aggregate=res["aggregate"], request=req, inputs=inputs,
                    model_versions=versions)
    if store:
        ev.store(register, user=user)
    return ev


def evaluate_licence(register, licence_number: str, *, status=("application",), **kw) -> list[Evaluation]:
    """Evaluate every station pair of an application in the register
    (:meth:`Request.all_from_register`); keyword arguments as :func:`evaluate_request`.
    :func:`combined_decision` gives the licence's decision."""
    return [evaluate_request(register, q, **kw) for q in Request.all_from_register(register, licence_number,
                                                                                    status=status)]
