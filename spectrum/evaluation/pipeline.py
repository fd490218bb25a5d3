"""The evaluation pipeline: request -> scenario -> paths -> losses -> budgets -> decision -> report.

:func:`evaluate_request` runs the stages once, downhill; :func:`compute` is the per-channel part
(paths, losses, budgets) that :mod:`spectrum.sweep` repeats over a channel list with one
:class:`Caches` so the terrain work is done once. This module is the only one that knows every
stage; no stage imports it.
"""
from __future__ import annotations

import numpy as np

from .. import __version__
from ..interference import max_interference_dbw, noise_dbw
from . import blocking as _blocking, budgets, decision as _decision
from .choices import Choices
from .flows import Caches, candidate_wanted, forward, reverse
from .losses import LossFn, model_version
from .report import Evaluation
from .request import Request
from .scenario import build_scenario, forward_keep, fs_allowance_db, reverse_keep, Scenario

__all__ = ["Caches", "compute", "evaluate_request", "evaluate_licence", "reproduce", "EvaluationCancelled"]


class EvaluationCancelled(Exception):
    """Raised by :func:`evaluate_request` when its ``cancelled()`` callable answers True (checked
    between stages and between chunks of work)."""


def _check(cancelled) -> None:
    if cancelled is not None and cancelled():
        raise EvaluationCancelled("evaluation cancelled")


def compute(sc: Scenario, *, f_tx_mhz: float, f_rx_mhz: float, eirp_dbw: float | None,
            p_long: float = 20.0, p_short: float = 1.0, short_term_allowance_db: float = 10.0,
            coordination_margin_db: float = 3.0, h_tx_agl_m: float | None = None,
            h_rx_agl_m: float | None = None, caches: Caches | None = None, choices: Choices | None = None,
            cancelled=None) -> dict:
    """Victim / interferer tables for one channel (frequencies, EIRP, heights) of a scenario.

    ``choices`` (:class:`~.choices.Choices`) when given replaces the time percentages and
    margins passed one by one; ``caches`` carries the terrain work between channels.
    """
    ch = choices if choices is not None else Choices(
        p_long=p_long, p_short=p_short, short_term_allowance_db=short_term_allowance_db,
        coordination_margin_db=coordination_margin_db)
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
        blk = None
        if ch.blocking:   # offsets interferer minus victim: -df
            named = cc.misc.get(("named-masks", id(v)))
            if named is None:
                named = cc.misc[("named-masks", id(v))] = _blocking.named_masks(v.cols["rx_selectivity"])
            a_vr, mode = _blocking.receiver_attenuation(-df, v.bw_khz, bw, v.cols["rx_selectivity"], v.rx_masks,
                                                        v.cols["service"], ch.blocking_by_service, named=named,
                                                        groups=cc.groups("fwd", v.rx_masks))
            ov = ~np.isfinite(a_vr)   # overlapping channels: SM.337 FDR through the selectivity
            fdr = budgets.fdr_forward(cc.fdr, tx_mask, v.rx_masks, df, groups=cc.groups("fwd", v.rx_masks), where=ov)
            adj = np.flatnonzero(~ov)
            if adj.size:   # SEAMCAT's unwanted term: the Tx mask over the victim's bandwidth (no double count)
                fdr[adj] = _blocking.unwanted_fdr_forward(cc.fdr, tx_mask, v.bw_khz, df, adj)
            blk = (a_vr, mode, _blocking.effective_rejection_db(fdr, a_vr))
        else:
            fdr = budgets.fdr_forward(cc.fdr, tx_mask, v.rx_masks, df, groups=cc.groups("fwd", v.rx_masks))
        keep = forward_keep(v, fdr if blk is None else blk[2], eirp_dbw, f_tx_mhz, ch.p_short,
                            ch.coordination_margin_db)
        _check(cancelled)
        out["victims"] = forward(sc, cc, keep, fdr, df, f_tx_mhz, eirp_dbw, h_tx, ch,
                                 check=lambda: _check(cancelled), blk=blk)
    _check(cancelled)
    # ---------------- reverse: registered transmitters -> candidate Rx -------------------
    if req.rx is not None:
        n_c = float(noise_dbw(bw, req.noise_figure_db))
        rx_mask = sc.masks.get(req.rx_selectivity, bw, "rx")
        t = sc.rev
        c_dbw = np.nan
        if req.protection in ("C/I", "C/(N+I)"):
            c_dbw = candidate_wanted(sc, cc, f_tx_mhz, eirp_dbw, h_tx, h_rx, ch)
        i_max = float(max_interference_dbw(req.protection, req.protection_db, n_c, c_dbw))
        if t is not None and len(t):
            df = (f_rx_mhz - t.f_mhz) * 1000.0
            blk = None
            if ch.blocking:   # the candidate receiver as victim; offsets interferer minus victim: -df
                m = df.size
                a_vr, mode = _blocking.receiver_attenuation(
                    -df, bw, t.bw_khz, None, [rx_mask] * m, np.full(m, req.service, dtype=object),
                    ch.blocking_by_service, named=np.full(m, _blocking.named_masks([req.rx_selectivity])[0]))
                ov = ~np.isfinite(a_vr)
                fdr = budgets.fdr_reverse(cc.fdr, t.tx_masks, rx_mask, df, groups=cc.groups("rev", t.tx_masks),
                                          where=ov)
                if not ov.all():
                    u = _blocking.unwanted_fdr_reverse(cc.fdr, cc.groups("rev", t.tx_masks), bw, df, ~ov)
                    fdr = np.where(ov, fdr, u)
                blk = (a_vr, mode, _blocking.effective_rejection_db(fdr, a_vr))
            else:
                fdr = budgets.fdr_reverse(cc.fdr, t.tx_masks, rx_mask, df, groups=cc.groups("rev", t.tx_masks))
            thr = i_max if np.isfinite(i_max) else n_c + req.protection_db
            keep = reverse_keep(t, fdr if blk is None else blk[2], req.rx.g_dbi, req.rx.feeder_loss_db, ch.p_short, thr)
            out["interferers"], agg = reverse(sc, cc, keep, fdr, df, h_rx, n_c, ch, pr_mode=bool(np.isfinite(c_dbw)),
                                              blk=blk)
        else:
            agg = {"i_long_dbw": -np.inf, "i_short_dbw": -np.inf}
        agg["n_dbw"] = n_c
        agg["c_dbw"] = c_dbw
        agg["criterion"] = req.protection
        agg["protection_db"] = float(req.protection_db)
        agg["i_max_dbw"] = i_max
        if "nuisance_long_dbw" in agg:  # broadcasting: C against the power sum of nuisance fields (I + PR)
            agg["criterion"] = f"{req.protection} (protection ratios)"
            agg["margin_long_db"] = float(c_dbw - agg["nuisance_long_dbw"])
            agg["margin_short_db"] = float(c_dbw - agg["nuisance_short_dbw"])
        else:
            agg["margin_long_db"] = float(i_max - agg["i_long_dbw"])
            agg["margin_short_db"] = float(i_max + ch.short_term_allowance_db - agg["i_short_dbw"])
        agg["margin_db"] = float(np.fmin(agg["margin_long_db"], agg["margin_short_db"]))
        out["aggregate"] = agg
    return out


def evaluate_request(register, request, *, dem=None, model: str = "service", p_percent=(20.0, 1.0),
                     short_term_allowance_db: float = 10.0, coordination_margin_db: float = 3.0,
                     max_distance_km: float = 150.0, freq_window_mhz: float | None = None,
                     step_m: float | None = None, loss_fn: LossFn | None = None, zones: bool = True,
                     store: bool = False, user: str = "spectrum", rule: str = "absolute",
                     dt_over_t_percent: float = 6.0, existing_interference: bool = True,
                     existing_scope: str = "decisive",
                     existing_max_distance_km: float = 50.0, existing_max_entries: int = 4,
                     existing_window_db: float = 20.0, existing_floor_db: float = 20.0,
                     criteria_by_service=None, bel_p_percent: float = 50.0, clutter_provider=None,
                     intermod: bool = True, intermod_radius_m: float = 500.0, intermod_orders=(3, 5),
                     climate=None, landcover=None, landcover_scheme="worldcover", protection_ratios: bool = True,
                     blocking: bool = True, blocking_by_service=None,
                     progress=None, cancelled=None) -> Evaluation:
    """Evaluate a licence request against the register in both directions.

    Parameters
    ----------
    register : spectrum.register.Register
        The register (``query_arrays``, ``antenna_pattern``, ``spectrum_mask``, ``store_evaluation``).
    request : Request or dict
        The candidate assignment.
    dem : xarray.DataArray, optional
        Terrain; the embedded default (:func:`spectrum.datasets.terrain.default_dem`) if omitted.
    model : {"service", "p452", "p1812", "p1546", "p2001", "itm", "free-space", "auto"} or a registered model name
        Propagation model (:func:`spectrum.evaluation.losses.register_loss_model`). ``"service"``
        (default): broadcasting requests take P.1546-6 (P.1812-6 outside its 30-4 000 MHz) and are
        judged on protection ratios (issue #15), every other service P.452-18. ``"auto"``
        takes P.1546-6 for broadcast services at 30-4 000 MHz, P.1812-6 for broadcasting outside
        that range and below 100 MHz, P.452-18 otherwise. A path outside the model's validity
        (e.g. shorter than P.452's 0.1 km) takes the free-space loss (P.525), recorded per path in
        the ``loss_fallback`` column.
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
    rule : {"absolute", "degradation", "single-entry"}
        How each victim is judged (:data:`~spectrum.evaluation.budgets.RULES`): the total of the
        existing and the candidate's interference against the victim's criterion; or the
        candidate's increment I_c / (N + I_existing) against ``dt_over_t_percent``; or the
        candidate alone. Every view is reported whatever the rule.
    dt_over_t_percent : float
        Permitted degradation Delta T/T of the "degradation" rule (6 % ~ I/N = -12.2 dB). [%]
    existing_interference : bool
        Compute the aggregate of registered transmitters already hitting each victim (power
        sum, same model, time percentages and budget).
    existing_scope : {"decisive", "all"}
        Where the existing interference is computed: only where it can change a victim's
        status under ``rule`` (default), or at every victim within ``existing_window_db``.
    existing_max_distance_km, existing_max_entries, existing_window_db, existing_floor_db
        Reach of the existing-interference computation (:class:`~spectrum.evaluation.choices.Choices`).
    criteria_by_service : dict, optional
        ``{service: (criterion, threshold_db)}`` for registered receivers without a criterion of
        their own (criteria: "I/N", "C/I", "C/(N+I)", "(N+I)/N").
    bel_p_percent : float
        Location probability of the P.2109 building entry loss of indoor terminals. [%]
    clutter_provider : callable, optional
        ``provider(lat, lon) -> P.2108 clutter classes`` (e.g. from a land-cover raster) for
        terminals without a clutter class in the register.
    intermod, intermod_radius_m, intermod_orders
        Check intermodulation at the candidate's site (:mod:`spectrum.intermod`): transmitters
        within ``intermod_radius_m`` of the candidate transmitter. [m]
    climate : dict or "typical", optional
        Explicit climate inputs (:mod:`spectrum.evaluation.climate`): ``dn`` / ``n0`` (ΔN, N0 of
        P.452 / P.1812; default at each path centre from the ITU-R maps when the ``[maps]`` extra
        is installed, else 45 / 325) and the P.2001-4 map values; ``"typical"`` takes the P.2001
        placeholders. The source is recorded in ``inputs["climate"]``.
    landcover : str, Path or DataArray, optional
        Land-cover raster (:func:`spectrum.terrain.landcover.load_landcover`): the P.2108 clutter
        class of terminals without one in the register (:class:`~spectrum.evaluation.paths.
        LandcoverClutter`, the ``clutter_provider`` hook; not with ``clutter_provider``).
    landcover_scheme : {"worldcover", "corine"}, dict or path
        Class table of ``landcover``.
    protection_ratios : bool
        Broadcasting candidate into broadcasting receivers: judge each on the protection ratio of
        the pair (:func:`spectrum.broadcast.evaluation.broadcast_protection_db`: BS.412-9 for FM,
        BT.1368 / GE06 for digital TV and DAB, at the frequency offset) -- C/I with the steady
        ratio at the long-term and the tropospheric ratio at the short-term percentage, the
        interference taken co-channel (the ratio holds the receiver's selectivity) -- unless the
        register (``criterion``) or ``criteria_by_service`` states the receiver's criterion.
    blocking : bool
        Receiver blocking as its own mechanism beside the unwanted emissions (SM.337 FDR), per
        SEAMCAT (:mod:`spectrum.evaluation.blocking`): where the interferer's channel does not
        overlap the receiver's, I_blocking = I without FDR - a_vr(df), the receiver's blocking
        attenuation (its register selectivity mask as a user-defined ACS mask, else
        ``blocking_by_service``, else the generic ETSI EN 300 113-1 receiver), and the row's I is
        the power sum I_unwanted (+) I_blocking. Both directions; not in the existing interference.
    blocking_by_service : dict, optional
        ``{service: {"mode": "user-defined" | "protection-ratio" | "sensitivity", "offset_khz": [...],
        "value": [...], "c_nplusi_db", "i_n_db", "nplusi_n_db", "sensitivity_dbw"}}``.
    progress : callable, optional
        ``progress(percent, text)`` after each stage.
    cancelled : callable, optional
        ``cancelled() -> bool``, polled between stages; True stops the evaluation with
        :class:`EvaluationCancelled`.

    Returns
    -------
    Evaluation
    """
    req = request if isinstance(request, Request) else Request.from_dict(request)
    p_lt, p_st = (float(x) for x in p_percent)
    from .climate import check_climate, climate_source
    from .scenario import check_criteria_by_service

    climate = check_climate(climate)
    if landcover is not None:
        if clutter_provider is not None:
            raise ValueError("give landcover= or clutter_provider=, not both")
        from .paths import LandcoverClutter

        clutter_provider = LandcoverClutter(landcover, landcover_scheme)

    ch = Choices(p_long=p_lt, p_short=p_st, short_term_allowance_db=float(short_term_allowance_db),
                 coordination_margin_db=float(coordination_margin_db), rule=rule,
                 dt_over_t_percent=float(dt_over_t_percent), existing=bool(existing_interference),
                 existing_scope=existing_scope,
                 existing_max_distance_km=float(existing_max_distance_km),
                 existing_max_entries=int(existing_max_entries), existing_window_db=float(existing_window_db),
                 existing_floor_db=float(existing_floor_db),
                 criteria_by_service=check_criteria_by_service(criteria_by_service),
                 bel_p_percent=float(bel_p_percent), clutter_provider=clutter_provider, intermod=bool(intermod),
                 intermod_radius_m=float(intermod_radius_m), intermod_orders=tuple(intermod_orders),
                 climate=climate, protection_ratios=bool(protection_ratios), blocking=bool(blocking),
                 blocking_by_service=_blocking.check_blocking_by_service(blocking_by_service)).validate()
    say = progress if progress is not None else (lambda pct, text: None)
    _check(cancelled)
    say(5, "querying the register")
    sc = build_scenario(register, req, dem=dem, model=model, max_distance_km=max_distance_km,
                        freq_window_mhz=freq_window_mhz, step_m=step_m, loss_fn=loss_fn, zones=zones,
                        criteria_by_service=ch.criteria_by_service, climate=climate, p_percent=(p_lt, p_st))
    _check(cancelled)
    say(20, "terrain profiles, losses and budgets")
    res = compute(sc, f_tx_mhz=req.f_mhz, f_rx_mhz=req.f_rx_mhz, eirp_dbw=req.eirp_dbw, choices=ch,
                  cancelled=cancelled)
    _check(cancelled)
    im = None
    if ch.intermod and req.tx is not None:
        say(80, "intermodulation at the site")
        from ..intermod import candidate_intermod

        im = candidate_intermod(register, req, radius_m=ch.intermod_radius_m, orders=ch.intermod_orders,
                                dem=sc.dem, coordination_margin_db=ch.coordination_margin_db)
        _check(cancelled)
    say(95, "decision")
    dec, reasons, worst = _decision.decide(res["victims"], res["aggregate"], ch.coordination_margin_db,
                                           req.rx is not None, rule=ch.rule, intermod=im)
    inputs = {"model": sc.model, "p_long_percent": p_lt, "p_short_percent": p_st,
              "short_term_allowance_db": ch.short_term_allowance_db,
              "coordination_margin_db": ch.coordination_margin_db,
              "max_distance_km": sc.max_distance_km, "freq_window_mhz": sc.freq_window_mhz,
              "step_m": sc.step_m, "terrain": str(getattr(sc.dem, "attrs", {}).get("source", "DEM")),
              "zones": _zones_text(sc),
              "climate": climate_source(sc.model, climate),
              "landcover": getattr(ch.clutter_provider, "source", None),
              "loss_fallback": _fallback_text(res),
              "n_victims_considered": sc.n_victims_considered,
              "n_interferers_considered": sc.n_interferers_considered,
              "pruning_allowance_below_free_space_db": fs_allowance_db(p_st),
              "rule": ch.rule, "choices": {**ch.record(), "climate_source": climate_source(sc.model, climate),
                                           "model": sc.model, "model_requested": str(model),
                                           **_blocking_record(res, req, ch)},
              "clutter": "P.2108-1 §3.1 terminal correction where a terminal has a clutter class"
                         + (" (register, else the clutter provider)" if ch.clutter_provider else " (register)")
                         + f"; P.2109-2 building entry loss at {ch.bel_p_percent:g} % for indoor terminals"}
    versions = {"propagation": model_version(sc.model), "fdr": "ITU-R SM.337-6",
                "antennas": "ITU-R F.699-8 / F.1245-3 / F.1336-5", "criteria": "ITU-R SM.2028-2 §3.3",
                "clutter": "ITU-R P.2108-1", "building_entry": "ITU-R P.2109-2", "spectrum": __version__}
    if ch.blocking:
        versions["blocking"] = ("SEAMCAT handbook Annex 8 / ERC Report 68 Annex 2 (iRSS_blocking; composite = "
                                "unwanted (+) blocking)")
    if im is not None:
        versions["intermod"] = "ERC Report 68 / ITU-R SM.2028-2 Annex (receiver IM), SM.1134 (products)"
    ev = Evaluation(decision=dec, reasons=reasons, worst_margin_db=worst, victims=res["victims"],
                    interferers=res["interferers"], aggregate=res["aggregate"], request=req, inputs=inputs,
                    model_versions=versions, intermod=im if im is not None else {})
    if store:
        ev.store(register, user=user)
    say(100, "done")
    return ev


def _blocking_record(res, req, ch) -> dict:
    """The blocking mode of each computed victim ("licence/station" -> mode) and of the candidate
    receiver, for the stored choices."""
    if not ch.blocking:
        return {"blocking_modes": {}, "blocking_mode_candidate": None}
    v = res["victims"]
    modes = {f"{v['licence_number'][k]}/{v['station_name'][k]}": str(v["blocking_mode"][k])
             for k in range(len(v.get("blocking_mode", [])))}
    cand = None
    if req.rx is not None:
        _, m = _blocking.receiver_attenuation(np.array([1e9]), float(req.bw_khz), 0.0,
                                              np.array([req.rx_selectivity], dtype=object), [None],
                                              np.array([req.service], dtype=object), ch.blocking_by_service) \
            if not _blocking.named_masks([req.rx_selectivity])[0] else (None, ["user-defined (register mask)"])
        cand = str(m[0]) if isinstance(m[0], str) else _blocking.MODE_LABELS[int(m[0])]
    return {"blocking_modes": modes, "blocking_mode_candidate": cand}


def _zones_text(sc) -> str:
    if not sc.zones:
        return "all inland, dct = dcr = 500 km"
    if getattr(sc.dem, "attrs", {}).get("synthetic"):
        return "P.452-18 Table 3 from the DEM (whole extent)"
    return "P.452-18 Table 3 from the DEM along each path (profile_zones rule: the paths' box + 50 km)"


def _fallback_text(res) -> str:
    """How many computed paths took free space (P.525) instead of the model, and why (first)."""
    n, first = 0, ""
    for tab in (res["victims"], res["interferers"]):
        fb = tab.get("loss_fallback") if tab else None
        if fb is None:
            continue
        hit = [x for x in fb if x]
        n += len(hit)
        first = first or (hit[0] if hit else "")
    return "none" if not n else f"{n} path(s) in free space (ITU-R P.525-4), e.g. {first}"


def evaluate_licence(register, licence_number: str, *, status=("application",), **kw) -> list[Evaluation]:
    """Evaluate every station pair of an application in the register
    (:meth:`Request.all_from_register`); keyword arguments as :func:`evaluate_request`.
    :func:`combined_decision` gives the licence's decision."""
    return [evaluate_request(register, q, **kw) for q in Request.all_from_register(register, licence_number,
                                                                                    status=status)]


def reproduce(register, evaluation_id: int, *, dem=None, clutter_provider=None, **overrides) -> Evaluation:
    """Re-run a stored evaluation from the register alone: its request and every recorded choice
    (``inputs["choices"]``, the model, the reach and step) -- the same decision as long as the
    register and the terrain are unchanged.

    Parameters
    ----------
    register : Register
        With ``evaluation(id)``.
    evaluation_id : int
    dem : DataArray, optional
        The terrain (the record names its source in ``inputs["terrain"]``); default terrain if omitted.
    clutter_provider : callable, optional
        Needed when the stored evaluation used one (only its name is recorded).
    overrides
        Keyword arguments of :func:`evaluate_request` replacing recorded ones (e.g. ``store=True``).
    """
    rec = register.evaluation(int(evaluation_id))
    inputs = rec["result"].get("inputs") or {}
    c = inputs.get("choices")
    if not c:
        raise ValueError(f"evaluation {evaluation_id} predates the recorded choices; it cannot be reproduced")
    if c.get("clutter_provider") and clutter_provider is None and not inputs.get("landcover"):
        raise ValueError(f"evaluation {evaluation_id} used the clutter provider {c['clutter_provider']!r}: "
                         f"pass it as clutter_provider=")
    if inputs.get("model") == "custom":
        raise ValueError(f"evaluation {evaluation_id} used a custom loss function: it cannot be reproduced by name")
    kw = dict(model=inputs["model"], p_percent=(c["p_long"], c["p_short"]),
              short_term_allowance_db=c["short_term_allowance_db"], coordination_margin_db=c["coordination_margin_db"],
              max_distance_km=inputs["max_distance_km"], freq_window_mhz=inputs["freq_window_mhz"],
              step_m=inputs["step_m"], zones=str(inputs.get("zones", "")).startswith("P.452"), rule=c["rule"],
              dt_over_t_percent=c["dt_over_t_percent"], existing_interference=c["existing"],
              existing_scope=c["existing_scope"], existing_max_distance_km=c["existing_max_distance_km"],
              existing_max_entries=c["existing_max_entries"], existing_window_db=c["existing_window_db"],
              existing_floor_db=c["existing_floor_db"],
              criteria_by_service={k: tuple(v) for k, v in c["criteria_by_service"].items()},
              bel_p_percent=c["bel_p_percent"], clutter_provider=clutter_provider, intermod=c["intermod"],
              intermod_radius_m=c["intermod_radius_m"], intermod_orders=tuple(c["intermod_orders"]),
              climate=c.get("climate") or None, protection_ratios=c.get("protection_ratios", True),
              blocking=c.get("blocking", False), blocking_by_service=c.get("blocking_by_service") or None)
    if clutter_provider is None and inputs.get("landcover") and c.get("clutter_provider"):
        kw["landcover"] = inputs["landcover"]   # a land-cover file recorded by its path
        kw["clutter_provider"] = None
    kw.update(overrides)
    return evaluate_request(register, Request.from_dict(rec["request"]), dem=dem, **kw)
