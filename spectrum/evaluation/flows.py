"""The per-channel flows of an evaluation, each running the paths -> losses -> budgets stages
for one direction:

- :func:`forward` -- the candidate transmitter into every registered receiver it can reach,
  with the existing interference of registered transmitters at each of them
  (:func:`existing_at`) and the margins under the chosen rule;
- :func:`reverse` -- every registered transmitter into the candidate receiver, and the aggregate.

They take the read-only :class:`~.scenario.Scenario`, the caller's :class:`Caches` and the
:class:`~.choices.Choices`; they return column tables.
"""
from __future__ import annotations

import numpy as np

from ..interference import aggregate_by_group_dbw, aggregate_dbw, max_interference_dbw
from ..masks import FDRCache
from . import budgets, decision as _decision
from .catalog import AntennaResolver
from .blocking import MODE_LABELS, split_mechanisms
from .choices import Choices
from .losses import LossEngine
from .paths import elevations, geometry, profiles, terminal_classes, terminal_losses_db
from .scenario import Scenario, existing_pairs, existing_transmitters, fs_allowance_db, fs_db, wanted_transmitters
from .tables import num, text_columns

__all__ = ["Caches", "forward", "reverse", "existing_at", "candidate_wanted"]

_ID_COLS = ("licence_number", "licensee", "service", "station_id", "station_name", "assignment_id")
WANTED_CRITERIA = ("C/I", "C/(N+I)")


class Caches:
    """Per-run memo of what does not change between channels of one scenario: terrain paths,
    losses, elevations, gains, FDRs, wanted signals, existing interference. Owned by the caller
    of :func:`spectrum.evaluation.compute` (a sweep keeps one for all its channels)."""

    def __init__(self, sc: Scenario, freq_nodes=None):
        self.losses = LossEngine(sc.model, sc.loss_fn if sc.model == "custom" else None, freq_nodes,
                                 climate=sc.climate)
        self.antennas = AntennaResolver(sc.reg)
        self.fdr = FDRCache()
        self.geom: dict = {}
        self.misc: dict = {}
        self.universe: dict = {}   # "fwd"/"rev" -> rows a sweep fixes once for every channel
        self.existing: dict = {}   # victim row -> (I long, I short, n entries, n not computed)

    def groups(self, which: str, masks) -> list:
        """:func:`~.budgets.by_mask` of the counterparts' masks, once per run."""
        key = ("groups", which, id(masks))
        hit = self.misc.get(key)
        if hit is None:
            hit = self.misc[key] = budgets.by_mask(masks)
        return hit

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
                               sc.step_m, sc.zones, sc.climate)
            else:
                hit = geometry(sc.dem, la, lo, np.full(rows.size, req.rx.lat), np.full(rows.size, req.rx.lon),
                               sc.step_m, sc.zones, sc.climate)
            if len(self.geom) > 8:
                self.geom.clear()
            self.geom[key] = hit
        pos = np.searchsorted(rows, keep) if rows is not keep else np.arange(keep.size)
        return hit, rows, pos, key


def _terminal_loss(term, f_mhz, h_m, elev, ch: Choices) -> np.ndarray:
    """Clutter + building entry loss at the candidate's own terminal ``term`` per path. [dB]"""
    m = np.size(elev)
    cls = terminal_classes(np.array([term.clutter_class] * m, dtype=object), np.full(m, term.lat),
                           np.full(m, term.lon), ch.clutter_provider)
    cl, bel = terminal_losses_db(f_mhz, h_m, cls, np.full(m, bool(term.indoor)),
                                 np.full(m, term.building_type or "traditional", dtype=object), elev, ch.bel_p_percent)
    return cl + bel


def _station_loss(st, rows, f_mhz, elev, ch: Choices, h_m=None):
    """(clutter, building entry) losses at registered stations ``rows`` of ``st`` per path. [dB]"""
    a = st.cols
    cls = terminal_classes(st.clutter_class[rows], num(a["lat"])[rows], num(a["lon"])[rows], ch.clutter_provider)
    return terminal_losses_db(f_mhz, st.h_m[rows] if h_m is None else h_m, cls, st.indoor[rows],
                              st.building_type[rows], elev, ch.bel_p_percent)


def forward(sc: Scenario, cc: Caches, keep, fdr, df, f_tx, eirp, h_tx, ch: Choices, check=None, blk=None) -> dict:
    """The victim table: the candidate transmitter into registered receivers ``keep``
    (``check()`` is called between the steps; it raises to stop). ``blk``: (a_vr, mode,
    rejection) of every row (:mod:`.blocking`), None without blocking."""
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
        g_all = (cc.antennas.gains_one(req.tx.antenna_pattern, req.tx.g_dbi, req.tx.azimuth_deg, req.tx.tilt_deg,
                                       allp.bearing_12, el_t_all, req.f_mhz),
                 cc.antennas.gains(a["antenna_pattern"][rows], v.g_dbi[rows], num(a["azimuth_deg"], 0.0)[rows],
                                   num(a["tilt_deg"], 0.0)[rows], allp.bearing_21, el_r_all, num(a["f_mhz"])[rows]))
        cc.misc[gk] = g_all
    gt, gr = g_all[0][pos], g_all[1][pos]
    pol = req.polarisation
    lb_lt = cc.losses.loss_at(pk, allp, f_tx, ch.p_long, h_tx, hrg_all, pol)[pos]
    lb_st = cc.losses.loss_at(pk, allp, f_tx, ch.p_short, h_tx, hrg_all, pol)[pos]
    fb = cc.losses.fallback(pk, allp, h_tx, hrg_all)[pos]
    # surroundings: the candidate's own terminal and each victim's (P.2108 clutter, P.2109 indoor)
    l_tx = _terminal_loss(req.tx, f_tx, h_tx, el_t, ch)
    cl_v, bel_v = _station_loss(v, keep, f_tx, el_r, ch)
    extra = l_tx + cl_v + bel_v
    fdr_k, a_k, mode_k, rej_k = _blocking_rows(fdr, blk, keep)
    i_lt = budgets.interference_dbw(eirp, gt, req.tx.g_dbi, gr, v.fl_db[keep], rej_k, lb_lt) - extra
    i_st = budgets.interference_dbw(eirp, gt, req.tx.g_dbi, gr, v.fl_db[keep], rej_k, lb_st) - extra
    n = v.n_dbw[keep]
    crit = v.crit[keep]
    prot = v.prot_db[keep]
    src = v.crit_source[keep].astype(object)
    allow = np.full(keep.size, float(ch.short_term_allowance_db))
    c = np.full(keep.size, np.nan)
    bc = _broadcast_pairs(sc, keep, ch)
    ci = np.union1d(np.flatnonzero(np.isin(crit, WANTED_CRITERIA)), bc)
    if ci.size:
        c[ci] = _victim_wanted(sc, cc, keep[ci], ch)
    bc = bc[np.isfinite(c[bc])]  # a protection ratio needs the victim's wanted signal
    if bc.size:  # protection ratios of the broadcast pair replace the criterion and the FDR
        from ..broadcast.evaluation import broadcast_protection_pairs

        svc, fv = a["service"][keep[bc]], num(a["f_mhz"])[keep[bc]]
        pr_steady = broadcast_protection_pairs(svc, fv, req.service, f_tx, kind="steady")
        pr_tropo = broadcast_protection_pairs(svc, fv, req.service, f_tx, kind="tropospheric")
        crit, prot = crit.copy(), prot.copy()
        crit[bc], prot[bc], src[bc], allow[bc] = "C/I", pr_steady, "protection ratio", pr_steady - pr_tropo
        i_lt[bc] += rej_k[bc]
        i_st[bc] += rej_k[bc]
        fdr_k[bc], rej_k[bc], a_k[bc], mode_k[bc] = 0.0, 0.0, np.inf, "protection ratio"
    if check is not None:
        check()
    # existing interference at the victims where the candidate is not negligible
    i_ex_lt = np.full(keep.size, -np.inf)
    i_ex_st = np.full(keep.size, -np.inf)
    n_ex = np.zeros(keep.size, np.int64)
    n_ex_nc = np.zeros(keep.size, np.int64)
    imax = np.asarray(max_interference_dbw(crit, prot, n, c), dtype=float)
    if ch.existing and keep.size:
        alone = np.fmin(imax - i_lt, imax + allow - i_st)
        need = np.isfinite(alone) & (alone < ch.existing_window_db)
        if ch.existing_scope == "decisive":
            if ch.rule == "absolute":      # harmful alone stays harmful with more interference
                need &= alone >= 0.0
            elif ch.rule == "degradation":  # existing interference only raises this margin
                lim = 10.0 * np.log10(ch.dt_over_t_percent / 100.0)
                deg0 = np.fmin(lim - (i_lt - n), lim + allow - (i_st - n))
                need = np.isfinite(deg0) & (deg0 < ch.coordination_margin_db)
            else:                           # single entry: existing interference is not decisive
                need[:] = False
        need = np.flatnonzero(need)
        if check is not None:
            check()
        if need.size:
            i_ex_lt[need], i_ex_st[need], n_ex[need], n_ex_nc[need] = existing_at(sc, cc, keep[need], imax[need], ch)
    mg = budgets.rule_margins(ch.rule, crit, prot, n, c, i_lt, i_st, i_ex_lt, i_ex_st, allow, ch.dt_over_t_percent)
    status = _decision.row_status(mg["margin_db"], ch.coordination_margin_db)
    if ch.rule != "degradation":  # a criterion no interference-free receiver meets: not the candidate's doing
        status = np.where(np.isneginf(imax), "noise-limited", status).astype(str)
    cols = text_columns(a, _ID_COLS, keep)
    cols.update({
        "lat": num(a["lat"])[keep], "lon": num(a["lon"])[keep], "f_mhz": num(a["f_mhz"])[keep],
        "bw_khz": v.bw_khz[keep], "df_khz": df[keep], "d_km": paths.length_km, "terrain_path": paths.ok,
        "fdr_db": fdr_k, **_mechanism_columns(i_lt, i_st, fdr_k, a_k, mode_k, rej_k),
        "gt_dbi": gt, "gr_dbi": gr, "elev_t_deg": el_t, "elev_r_deg": el_r,
        "lb_long_db": lb_lt, "lb_short_db": lb_st, "loss_fallback": fb, "clutter_db": cl_v, "building_entry_db": bel_v,
        "tx_terminal_loss_db": l_tx, "i_long_dbw": i_lt, "i_short_dbw": i_st, "n_dbw": n,
        "c_dbw": c, "criterion": crit.astype(str), "protection_db": prot,
        "criterion_source": src.astype(str), "short_term_allowance_db": allow, "i_max_dbw": imax,
        "i_over_n_long_db": i_lt - n,
        "i_existing_long_dbw": i_ex_lt, "i_existing_short_dbw": i_ex_st, "n_existing": n_ex,
        "n_existing_not_computed": n_ex_nc,
        "i_total_long_dbw": mg["i_total_long_dbw"], "i_total_short_dbw": mg["i_total_short_dbw"],
        "dt_over_t_percent": mg["dt_over_t_percent"],
        "margin_alone_db": mg["margin_alone_db"], "margin_existing_db": mg["margin_existing_db"],
        "margin_total_db": mg["margin_total_db"], "margin_degradation_db": mg["margin_degradation_db"],
        "margin_long_db": mg["margin_long_db"], "margin_short_db": mg["margin_short_db"],
        "margin_db": mg["margin_db"], "status": status})
    return cols


def _blocking_rows(fdr, blk, keep):
    """(FDR, a_vr, blocking mode, effective rejection) of rows ``keep``, copies (without blocking:
    a_vr = +inf, mode "off", rejection = FDR)."""
    fdr_k = np.array(fdr[keep], dtype=float)
    if blk is None:
        return fdr_k, np.full(keep.size, np.inf), np.full(keep.size, "off", dtype=object), fdr_k.copy()
    return fdr_k, np.array(blk[0][keep], dtype=float), np.array(MODE_LABELS, dtype=object)[blk[1][keep]], \
        np.array(blk[2][keep], dtype=float)


def _mechanism_columns(i_lt, i_st, fdr_k, a_k, mode_k, rej_k) -> dict:
    """The rows' I by mechanism: unwanted emissions (FDR) and blocking (a_vr); I = their power sum."""
    u_lt, b_lt = split_mechanisms(i_lt, fdr_k, a_k, rej_k)
    u_st, b_st = split_mechanisms(i_st, fdr_k, a_k, rej_k)
    return {"blocking_db": a_k, "blocking_mode": mode_k.astype(str), "i_unwanted_long_dbw": u_lt,
            "i_unwanted_short_dbw": u_st, "i_blocking_long_dbw": b_lt, "i_blocking_short_dbw": b_st}


def _broadcast_pairs(sc: Scenario, keep, ch: Choices) -> np.ndarray:
    """Positions in ``keep`` of broadcasting victims of a broadcasting candidate judged on the
    pair's protection ratio (criterion not stated by the register's ``criterion`` nor by service)."""
    if not ch.protection_ratios or not keep.size:
        return np.zeros(0, np.int64)
    from ..broadcast.evaluation import is_broadcast

    if not is_broadcast(sc.req.service):
        return np.zeros(0, np.int64)
    v = sc.fwd
    svc = v.cols["service"][keep]
    ok = np.array([is_broadcast(x) for x in svc], dtype=bool)
    ok &= ~v.crit_explicit[keep] & (v.crit_source[keep] != "service")
    return np.flatnonzero(ok)


def existing_at(sc: Scenario, cc: Caches, rows: np.ndarray, imax_dbw: np.ndarray, ch: Choices):
    """Existing interference at registered receivers ``rows`` (of ``sc.fwd``) from the granted
    transmitters of other licences: power sums at the long- and short-term percentages, same
    model, terrain and budget as the candidate's.

    Per victim the interferers within ``existing_max_distance_km`` whose band is within one
    channel are ranked by their free-space bound; those at least ``existing_floor_db`` below
    ``imax_dbw`` (the victim's permissible interference) are left out and at most
    ``existing_max_entries`` of the strongest are computed over terrain. Results are memoised
    per victim in ``cc.existing``.

    Returns (i_long_dbw, i_short_dbw, n_entries, n_not_computed), one per row.
    """
    out_lt = np.full(rows.size, -np.inf)
    out_st = np.full(rows.size, -np.inf)
    out_n = np.zeros(rows.size, np.int64)
    out_nc = np.zeros(rows.size, np.int64)
    todo = np.array([k for k, r in enumerate(rows) if int(r) not in cc.existing], dtype=np.int64)
    if todo.size:
        _existing_compute(sc, cc, rows[todo], imax_dbw[todo], ch)
    for k, r in enumerate(rows):
        out_lt[k], out_st[k], out_n[k], out_nc[k] = cc.existing[int(r)]
    return out_lt, out_st, out_n, out_nc


def _existing_compute(sc, cc: Caches, rows, imax, ch: Choices) -> None:
    from ..kernels.interference import top_k_per_group

    v = sc.fwd
    va = v.cols
    for r in rows:
        cc.existing[int(r)] = (-np.inf, -np.inf, 0, 0)
    # one query for the run (every channel of a sweep): the farthest victim in reach plus the
    # existing-interference distance
    reach = float(sc.max_distance_km) + ch.existing_max_distance_km
    tx = cc.misc.get(("existing-tx", reach))
    if tx is None:
        # transmitters around the candidate in the bands of every victim considered, widened by
        # one channel (the victims of all channels of a sweep are covered at once)
        all_rows = np.arange(len(v))
        tx = existing_transmitters(sc.reg, v, all_rows, sc.req.tx.lat, sc.req.tx.lon, reach,
                                   sc.req.licence_number, sc.masks)
        cc.misc = {k: val for k, val in cc.misc.items() if not (isinstance(k, tuple) and k[0] == "existing-tx")}
        cc.misc[("existing-tx", reach)] = tx
    if not len(tx):
        return
    floor = np.where(np.isfinite(imax), imax, v.n_dbw[rows] - 10.0) - ch.existing_floor_db
    vr, ti, d = existing_pairs(v, rows, tx, ch.existing_max_distance_km, 2 * int(ch.existing_max_entries), floor,
                               fs_allowance_db(ch.p_short))
    if not vr.size:
        return
    ta = tx.cols
    df = (v.f_mhz[vr] - tx.f_mhz[ti]) * 1000.0
    fdr = budgets.fdr_pairs(cc.fdr, tx.tx_masks, ti, v.rx_masks, vr, df)
    bound = (tx.eirp_dbw[ti] - (fs_db(d, tx.f_mhz[ti]) - fs_allowance_db(ch.p_short)) + v.g_dbi[vr]
             - v.fl_db[vr] - fdr)
    gv = np.searchsorted(rows, vr) if np.all(np.diff(rows) > 0) else \
        np.array([{int(r): k for k, r in enumerate(rows)}[int(x)] for x in vr], dtype=np.int64)
    ok = np.isfinite(bound) & np.isfinite(fdr)
    order = np.lexsort((-np.where(ok, bound, -np.inf), gv))
    keep = np.zeros(order.size, dtype=bool)
    top_k_per_group(gv[order], np.where(ok, bound, -np.inf)[order], int(ch.existing_max_entries), floor, keep)
    sel = order[keep]
    if not sel.size:
        return
    vr, ti, gv, fdr = vr[sel], ti[sel], gv[sel], fdr[sel]
    la_t, lo_t = num(ta["lat"])[ti], num(ta["lon"])[ti]
    la_v, lo_v = num(va["lat"])[vr], num(va["lon"])[vr]
    paths = geometry(sc.dem, la_t, lo_t, la_v, lo_v, sc.step_m, sc.zones, sc.climate)
    htg, hrg = tx.h_m[ti], v.h_m[vr]
    el_t, el_r = elevations(paths, htg, hrg)
    gt = cc.antennas.gains(ta["antenna_pattern"][ti], tx.g_dbi[ti], num(ta["azimuth_deg"], 0.0)[ti],
                           num(ta["tilt_deg"], 0.0)[ti], paths.bearing_12, el_t, tx.f_mhz[ti])
    gr = cc.antennas.gains(va["antenna_pattern"][vr], v.g_dbi[vr], num(va["azimuth_deg"], 0.0)[vr],
                           num(va["tilt_deg"], 0.0)[vr], paths.bearing_21, el_r, v.f_mhz[vr])
    pol = np.array([x if x in ("h", "v") else "v" for x in ta["polarisation"][ti]], dtype=object)
    key = ("existing", vr.tobytes(), ti.tobytes())
    lb_lt = cc.losses.loss(key, paths, tx.f_mhz[ti], ch.p_long, htg, hrg, pol)
    lb_st = cc.losses.loss(key, paths, tx.f_mhz[ti], ch.p_short, htg, hrg, pol)
    cl_t, bel_t = _station_loss(tx, ti, tx.f_mhz[ti], el_t, ch)
    cl_v, bel_v = _station_loss(v, vr, tx.f_mhz[ti], el_r, ch)
    extra = cl_t + bel_t + cl_v + bel_v
    i_lt = budgets.interference_dbw(tx.eirp_dbw[ti], gt, tx.g_dbi[ti], gr, v.fl_db[vr], fdr, lb_lt) - extra
    i_st = budgets.interference_dbw(tx.eirp_dbw[ti], gt, tx.g_dbi[ti], gr, v.fl_db[vr], fdr, lb_st) - extra
    done = np.isfinite(i_lt) & np.isfinite(i_st)
    n_rows = rows.size
    s_lt = aggregate_by_group_dbw(np.where(done, i_lt, -np.inf), gv, n_rows)
    s_st = aggregate_by_group_dbw(np.where(done, i_st, -np.inf), gv, n_rows)
    n_in = np.bincount(gv[done], minlength=n_rows)
    n_nc = np.bincount(gv[~done], minlength=n_rows)
    for k, r in enumerate(rows):
        cc.existing[int(r)] = (float(s_lt[k]), float(s_st[k]), int(n_in[k]), int(n_nc[k]))


def _victim_wanted(sc, cc: Caches, rows, ch: Choices) -> np.ndarray:
    """C (dBW) at C/I and C/(N+I) victims from their own licence's transmitter at 50 % time."""
    v = sc.fwd
    a = v.cols
    key = ("wanted", rows.tobytes())
    hit = cc.misc.get(key)
    if hit is not None:
        return hit
    w = wanted_transmitters(sc.reg, v, rows, sc.req.tx.lat, sc.req.tx.lon, sc.max_distance_km + 150.0)
    c = np.full(rows.size, np.nan)
    if len(w["victim"]):
        paths = geometry(sc.dem, w["tx_lat"], w["tx_lon"], w["lat"], w["lon"], sc.step_m, sc.zones, sc.climate)
        hr = v.h_m[w["victim"]]
        el_t, el_r = elevations(paths, w["h_tx"], hr)
        gt = cc.antennas.gains(w["pattern"], w["g"], w["az"], w["tilt"], paths.bearing_12, el_t, w["f"])
        gr = cc.antennas.gains(a["antenna_pattern"][w["victim"]], v.g_dbi[w["victim"]],
                               num(a["azimuth_deg"], 0.0)[w["victim"]], num(a["tilt_deg"], 0.0)[w["victim"]],
                               paths.bearing_21, el_r, w["f"])
        lb = cc.losses.loss(("wanted", rows.tobytes()), paths, w["f"], 50.0, w["h_tx"], hr, w["pol"])
        cl_v, bel_v = _station_loss(v, w["victim"], w["f"], el_r, ch)
        cw = w["eirp"] + (gt - w["g"]) - lb + gr - v.fl_db[w["victim"]] - cl_v - bel_v
        pos = {int(r): k for k, r in enumerate(rows)}
        for k, vi in enumerate(w["victim"]):
            c[pos[int(vi)]] = cw[k]
    cc.misc[key] = c
    return c


def candidate_wanted(sc, cc: Caches, f_tx, eirp, h_tx, h_rx, ch: Choices) -> float:
    """C (dBW) at the candidate receiver from the candidate transmitter at 50 % time."""
    req = sc.req
    from .. import geo
    tx, rx = req.tx, req.rx
    paths = profiles(sc.dem, np.array([tx.lat]), np.array([tx.lon]), np.array([rx.lat]), np.array([rx.lon]),
                     sc.step_m, zones=sc.zones, climate=sc.climate)
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
    extra = float(_terminal_loss(tx, f_tx, h_tx, el_t, ch)[0] + _terminal_loss(rx, f_tx, h_rx, el_r, ch)[0])
    return float(eirp + (gt[0] - tx.g_dbi) - lb[0] + gr[0] - rx.feeder_loss_db) - extra


def _pols(v, default):
    return np.array([x if x in ("h", "v") else default for x in v], dtype=object)


def reverse(sc: Scenario, cc: Caches, keep, fdr, df, h_rx, n_c, ch: Choices, pr_mode: bool = False, blk=None):
    """The interferer table and the aggregate: registered transmitters ``keep`` into the candidate receiver
    (``pr_mode``: a broadcasting candidate receiver judged on protection ratios, :func:`_reverse_ratios`)."""
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
        g_all = (cc.antennas.gains(a["antenna_pattern"][rows], t.g_dbi[rows], num(a["azimuth_deg"], 0.0)[rows],
                                   num(a["tilt_deg"], 0.0)[rows], allp.bearing_12, el_t_all, num(a["f_mhz"])[rows]),
                 cc.antennas.gains_one(req.rx.antenna_pattern, req.rx.g_dbi, req.rx.azimuth_deg, req.rx.tilt_deg,
                                       allp.bearing_21, el_r_all, req.f_rx_mhz))
        cc.misc[gk] = g_all
    gt, gr = g_all[0][pos], g_all[1][pos]
    fi_all = num(a["f_mhz"])[rows]
    pol_all = _pols(a["polarisation"][rows], "v")
    lb_lt = cc.losses.loss(pk, allp, fi_all, ch.p_long, htg_all, h_rx, pol_all)[pos]
    lb_st = cc.losses.loss(pk, allp, fi_all, ch.p_short, htg_all, h_rx, pol_all)[pos]
    fb = cc.losses.fallback(pk, allp, htg_all, h_rx)[pos]
    cl_t, bel_t = _station_loss(t, keep, fi, el_t_all[pos], ch)
    l_rx = _terminal_loss(req.rx, fi, h_rx, el_r_all[pos], ch)
    extra = cl_t + bel_t + l_rx
    fdr_k, a_k, mode_k, rej_k = _blocking_rows(fdr, blk, keep)
    pr = _reverse_ratios(sc, keep, ch) if pr_mode else None
    if pr is not None:  # broadcasting interferers: co-channel power, judged on the pair's protection ratio
        fdr_k[pr[0]], rej_k[pr[0]], a_k[pr[0]], mode_k[pr[0]] = 0.0, 0.0, np.inf, "protection ratio"
    i_lt = budgets.interference_dbw(t.eirp_dbw[keep], gt, t.g_dbi[keep], gr, req.rx.feeder_loss_db, rej_k,
                                    lb_lt) - extra
    i_st = budgets.interference_dbw(t.eirp_dbw[keep], gt, t.g_dbi[keep], gr, req.rx.feeder_loss_db, rej_k,
                                    lb_st) - extra
    agg_lt, agg_st, share, computed = budgets.aggregate_entries(i_lt, i_st)
    cols = text_columns(a, _ID_COLS, keep)
    cols.update({
        "lat": num(a["lat"])[keep], "lon": num(a["lon"])[keep], "f_mhz": fi, "bw_khz": t.bw_khz[keep],
        "eirp_dbw": t.eirp_dbw[keep], "df_khz": df[keep], "d_km": paths.length_km, "terrain_path": paths.ok,
        "fdr_db": fdr_k, **_mechanism_columns(i_lt, i_st, fdr_k, a_k, mode_k, rej_k),
        "gt_dbi": gt, "gr_dbi": gr, "lb_long_db": lb_lt, "lb_short_db": lb_st,
        "loss_fallback": fb, "terminal_loss_db": extra, "i_long_dbw": i_lt, "i_short_dbw": i_st, "i_over_n_long_db": i_lt - n_c,
        "share_percent": share})
    agg = {"i_long_dbw": agg_lt, "i_short_dbw": agg_st, "n_interferers": int(keep.size),
           "n_not_computed": int((~computed).sum())}
    if pr is not None:
        # nuisance fields (I + protection ratio; the candidate's own C/I threshold for the others), power-summed
        pr_lt = np.full(keep.size, float(req.protection_db))
        pr_st = pr_lt.copy()
        pr_lt[pr[0]], pr_st[pr[0]] = pr[1], pr[2]
        cols["protection_ratio_db"] = pr_lt
        cols["protection_ratio_short_db"] = pr_st
        ok = np.isfinite(i_lt) & np.isfinite(i_st)
        agg["nuisance_long_dbw"] = float(aggregate_dbw((i_lt + pr_lt)[ok])) if ok.any() else -np.inf
        agg["nuisance_short_dbw"] = float(aggregate_dbw((i_st + pr_st)[ok])) if ok.any() else -np.inf
        agg["n_protection_ratio"] = int(pr[0].size)
    return cols, agg


def _reverse_ratios(sc: Scenario, keep, ch: Choices):
    """(positions, steady, tropospheric ratios) of the broadcasting transmitters among ``keep`` into a
    broadcasting candidate receiver, or None."""
    from ..broadcast.evaluation import is_broadcast
    from ..broadcast import criteria

    req = sc.req
    if not (ch.protection_ratios and is_broadcast(req.service) and req.protection in WANTED_CRITERIA) or not keep.size:
        return None
    from ..broadcast.evaluation import system_for_service

    a = sc.rev.cols
    svc, fi = a["service"][keep], num(a["f_mhz"])[keep]
    pos = np.flatnonzero(np.array([is_broadcast(x) for x in svc], dtype=bool))
    vsys = system_for_service(req.service, req.f_rx_mhz)
    out = {}
    steady, tropo = np.empty(pos.size), np.empty(pos.size)
    for j, k in enumerate(pos):
        key = (system_for_service(svc[k], fi[k]), round(float(fi[k] - req.f_rx_mhz) * 1000.0, 6))
        if key not in out:
            out[key] = tuple(float(criteria.protection_ratio_db(vsys, key[0], key[1], kind=kd))
                             for kd in ("steady", "tropospheric"))
        steady[j], tropo[j] = out[key]
    return pos, steady, tropo
