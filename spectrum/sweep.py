"""Channel sweeps: the candidate of a licence request moved over a channel list (and optionally
over antenna heights and EIRPs), channels ranked by their worst margin.

The terrain work is done once (STYLE.md rule 8): the registered stations that any channel can
reach are found in one query, their terrain profiles extracted in one batch and, for P.452, the
frequency-independent path geometry prepared once per antenna height
(:func:`spectrum.propagation.p452.prepare_path`). Per channel only the FDR and the
frequency-dependent loss change. Results are an :class:`xarray.Dataset` with dims
``channel`` [, ``height``, ``eirp``], written to NetCDF / HDF5 through :mod:`spectrum.io`.
"""
from __future__ import annotations

import sys
from typing import Sequence

import numpy as np

from ._validate import as_float_array, check_range
from .evaluation import Caches, Request, build_scenario, compute, model_version
from .evaluation.climate import check_climate
from .evaluation.budgets import rule_margins
from .interference import max_interference_dbw
from .evaluation.scenario import forward_keep, reverse_keep
from .masks import Mask  # noqa: F401  (re-exported for users building channel plans)

DECISION_CODES = {"grant": 0, "needs coordination": 1, "refuse": 2}


def _provider(clutter_provider, landcover, scheme):
    if landcover is None:
        return clutter_provider
    if clutter_provider is not None:
        raise ValueError("give landcover= or clutter_provider=, not both")
    from .evaluation.paths import LandcoverClutter

    return LandcoverClutter(landcover, scheme)


def channel_plan(f_start_mhz: float, f_stop_mhz: float, spacing_mhz: float) -> np.ndarray:
    """Centre frequencies from ``f_start_mhz`` to ``f_stop_mhz`` inclusive every ``spacing_mhz``. [MHz]"""
    check_range("spacing_mhz", spacing_mhz, 0.0, 1e5, "MHz", lo_open=True)
    if f_stop_mhz < f_start_mhz:
        raise ValueError(f"f_stop_mhz = {f_stop_mhz:g} is below f_start_mhz = {f_start_mhz:g}")
    n = int(np.floor((f_stop_mhz - f_start_mhz) / spacing_mhz + 1e-9)) + 1
    return f_start_mhz + spacing_mhz * np.arange(n)


def _decide(victim_margin, agg_margin, n_uncertain, coord):
    if np.isfinite(victim_margin) and victim_margin < 0:
        return "refuse"
    if (np.isfinite(victim_margin) and victim_margin < coord) or n_uncertain > 0 or \
            (np.isfinite(agg_margin) and agg_margin < 0):
        return "needs coordination"
    return "grant"


def sweep_channels(register, request, channels_mhz: Sequence[float], *, rx_channels_mhz=None,
                   heights_m: Sequence[float] | None = None, eirps_dbw: Sequence[float] | None = None,
                   dem=None, model: str = "service", p_percent=(20.0, 1.0), short_term_allowance_db: float = 10.0,
                   coordination_margin_db: float = 3.0, max_distance_km: float = 150.0,
                   freq_window_mhz: float | None = None, step_m: float | None = None, loss_fn=None,
                   freq_node_ratio: float | None = 1.005, zones: bool = True, progress: bool | None = None,
                   rule: str = "absolute", dt_over_t_percent: float = 6.0, existing_interference: bool = True,
                   criteria_by_service=None, clutter_provider=None, climate=None, landcover=None,
                   landcover_scheme="worldcover", client=None, batch_channels: int | None = None,
                   blocking: bool = True):
    """Evaluate the request on every channel (x height x EIRP) and rank the channels.

    Parameters
    ----------
    register : spectrum.register.Register
    request : Request or dict
        The candidate; its ``f_mhz`` / ``rx_f_mhz`` are replaced by each channel.
    channels_mhz : sequence of float
        Transmit centre frequencies. [MHz]
    rx_channels_mhz : sequence of float, optional
        Receive frequencies paired with ``channels_mhz``; default keeps the request's duplex
        spacing (rx = channel + (rx_f_mhz - f_mhz)).
    heights_m : sequence of float, optional
        Antenna heights above ground for both candidate terminals (a ``height`` dim). [m]
    eirps_dbw : sequence of float, optional
        EIRPs (an ``eirp`` dim). [dBW]
    freq_node_ratio : float or None
        The transmission loss of the candidate's paths is computed at frequency nodes spaced by
        this ratio (default 1.005, i.e. 0.5 %) across the channel range and interpolated linearly
        in log f between them (free-space and diffraction losses vary smoothly, ~20 log f; the
        interpolation error is far below 0.1 dB). ``None`` computes every channel exactly.
    progress : bool, optional
        tqdm progress bar; default on only when stderr is a terminal.
    rule, dt_over_t_percent, existing_interference, criteria_by_service, clutter_provider, climate, landcover, blocking
        As :func:`spectrum.evaluation.evaluate_request` (the existing interference at each victim
        is computed once for all channels); intermodulation is not swept.
    client : distributed.Client, optional
        Run the channels on a dask cluster in batches (``batch_channels`` (channel, height) cells
        a task; default about 4 tasks per worker): a read-only snapshot of the register and the
        DEM reach each worker once, each worker builds the scenario once; bit-identical to the
        single-process sweep (:mod:`spectrum.distributed`).
    Other parameters as :func:`spectrum.evaluation.evaluate_request`.

    Returns
    -------
    xarray.Dataset
        ``worst_margin_db`` (smallest registered-victim margin), ``aggregate_margin_db`` (candidate
        receiver), ``n_harmful``, ``n_marginal``, ``n_victims``, ``decision`` (0 grant, 1 needs
        coordination, 2 refuse), ``worst_victim`` (licence number), ``channel_rank`` (1 = best channel,
        ranked by the worst margin over heights and EIRPs, the candidate-receiver margin breaking
        ties); coords ``f_tx_mhz``, ``f_rx_mhz`` on ``channel`` and ``height_m`` / ``eirp_dbw``.
    """
    import xarray as xr

    req = request if isinstance(request, Request) else Request.from_dict(request)
    req.validate()
    ch, rx, hs, es = _axes(req, channels_mhz, rx_channels_mhz, heights_m, eirps_dbw)
    p_lt, p_st = (float(x) for x in p_percent)
    check_range("p_percent", [p_lt, p_st], 0.001, 50.0, "%", "P.452-18")
    if freq_node_ratio is not None:
        check_range("freq_node_ratio", freq_node_ratio, 1.0, 1.1, "", lo_open=True)
    kw = dict(model=model, p_percent=(p_lt, p_st), short_term_allowance_db=short_term_allowance_db,
              coordination_margin_db=coordination_margin_db, max_distance_km=max_distance_km,
              freq_window_mhz=freq_window_mhz, step_m=step_m, loss_fn=loss_fn, freq_node_ratio=freq_node_ratio,
              zones=zones, rule=rule, dt_over_t_percent=dt_over_t_percent,
              existing_interference=existing_interference, criteria_by_service=criteria_by_service,
              clutter_provider=clutter_provider, climate=climate, landcover=landcover,
              landcover_scheme=landcover_scheme, blocking=bool(blocking))
    h_list = [None] if hs is None else list(hs)
    e_list = [req.eirp_dbw] if es is None else list(es)
    cells = [(i, j) for j in range(len(h_list)) for i in range(ch.size)]
    show = sys.stderr.isatty() if progress is None else bool(progress)
    if client is None:
        st = _prepare(register, req, ch, rx, hs, es, dem, kw)
        from tqdm import tqdm

        bar = tqdm(total=len(cells), desc="sweep", unit="channel", disable=not show, leave=False)
        results = []
        try:
            for i, j in cells:
                results.append(_cell(st, i, j))
                bar.update(1)
        finally:
            bar.close()
        meta = _meta(st)
    else:  # batches of channels on the cluster; the register and the DEM reach each worker once
        import uuid

        from .distributed import chunks, map_tasks
        from .distributed.maps import _n_workers
        from .distributed.registers import snapshot

        size = batch_channels or max(1, -(-len(cells) // (4 * _n_workers(client))))
        batches = [cells[c.start:c.stop] for c in chunks(len(cells), size)]
        parts = map_tasks(client, _sweep_task, batches,
                          shared=(uuid.uuid4().hex, snapshot(register), req, ch, rx, hs, es, dem, kw),
                          kind="sweep", progress=show, desc=f"sweep ({len(cells)} channels)")
        meta = parts[0][0]
        results = [r for part in parts for r in part[1]]
    shape = (ch.size, len(h_list), len(e_list))
    worst = np.full(shape, np.nan)
    agg_m = np.full(shape, np.nan)
    n_h = np.zeros(shape, np.int64)
    n_m = np.zeros(shape, np.int64)
    n_v = np.zeros(shape, np.int64)
    dec = np.zeros(shape, np.int64)
    wv = np.full(shape, "", dtype=object)
    for (i, j), res in zip(cells, results):
        for k, (w_, a_, nh_, nm_, nv_, d_, wv_) in enumerate(res):
            worst[i, j, k], agg_m[i, j, k], n_h[i, j, k], n_m[i, j, k] = w_, a_, nh_, nm_
            n_v[i, j, k], dec[i, j, k], wv[i, j, k] = nv_, d_, wv_

    # rank channels by the worst margin over heights/EIRPs (no victim = +inf), ties by the
    # candidate-receiver margin
    w = np.where(np.isnan(worst), np.inf, worst).min(axis=(1, 2))
    a = np.where(np.isnan(agg_m), np.inf, agg_m).min(axis=(1, 2))
    order = np.lexsort((-a, -w))
    rank = np.empty(ch.size, np.int64)
    rank[order] = np.arange(1, ch.size + 1)

    coords = {"channel": np.arange(ch.size), "f_tx_mhz": ("channel", ch), "f_rx_mhz": ("channel", rx)}
    dims = ["channel"]
    sel = [slice(None), 0, 0]
    if hs is not None:
        dims.append("height")
        coords["height"] = np.arange(len(h_list))
        coords["height_m"] = ("height", np.asarray(hs, float))
        sel[1] = slice(None)
    if es is not None:
        dims.append("eirp")
        coords["eirp"] = np.arange(len(e_list))
        coords["eirp_dbw"] = ("eirp", np.asarray(es, float))
        sel[2] = slice(None)
    sel = tuple(sel)

    def var(x, units, long_name):
        return (dims, x[sel], {"units": units, "long_name": long_name})

    ds = xr.Dataset(
        {"worst_margin_db": var(worst, "dB", "smallest margin of the registered victims (NaN: none in reach)"),
         "aggregate_margin_db": var(agg_m, "dB", "margin of the candidate receiver to the aggregate interference"),
         "n_harmful": var(n_h, "1", "victims with margin < 0 dB"),
         "n_marginal": var(n_m, "1", f"victims with 0 <= margin < {coordination_margin_db:g} dB"),
         "n_victims": var(n_v, "1", "victims computed"),
         "decision": var(dec, "1", "0 grant, 1 needs coordination, 2 refuse"),
         "worst_victim": (dims, wv[sel].astype(str), {"long_name": "licence number of the worst victim"}),
         "channel_rank": ("channel", rank, {"units": "1", "long_name": "channel rank, 1 = largest worst margin"})},
        coords=coords,
        attrs={"title": "spectrum channel sweep", "model": meta["model"],
               "p_long_percent": p_lt, "p_short_percent": p_st, "short_term_allowance_db": short_term_allowance_db,
               "coordination_margin_db": coordination_margin_db, "max_distance_km": float(max_distance_km),
               "licence_number": req.licence_number or "", "service": req.service, "rule": rule,
               "existing_interference": int(bool(existing_interference)), "blocking": int(bool(blocking)),
               "n_paths": meta["n_paths"],
               "freq_node_ratio": float(freq_node_ratio) if freq_node_ratio is not None else 0.0})
    ds.attrs["request_json"] = _json(req.to_dict())
    ds.attrs["climate"] = meta["climate"]
    ds.attrs["zones"] = meta["zones"]
    if meta.get("clutter_provider") is not None:
        ds.attrs["clutter_provider"] = meta["clutter_provider"]
    return ds


def _axes(req, channels_mhz, rx_channels_mhz, heights_m, eirps_dbw):
    ch = np.atleast_1d(as_float_array("channels_mhz", channels_mhz)).astype(float)
    if ch.size == 0:
        raise ValueError("channels_mhz is empty")
    if rx_channels_mhz is None:
        rx = ch + (req.f_rx_mhz - req.f_mhz)
    else:
        rx = np.atleast_1d(as_float_array("rx_channels_mhz", rx_channels_mhz)).astype(float)
        if rx.shape != ch.shape:
            raise ValueError(f"rx_channels_mhz has {rx.size} values for {ch.size} channels")
    hs = None if heights_m is None else np.atleast_1d(check_range("heights_m", heights_m, 0.5, 3000.0, "m"))
    es = None if eirps_dbw is None else np.atleast_1d(check_range("eirps_dbw", eirps_dbw, -100.0, 100.0, "dBW"))
    if es is not None and req.tx is None:
        raise ValueError("eirps_dbw needs a transmitting station in the request")
    return ch, rx, hs, es


class _State:
    """What every channel of a sweep shares: scenario, caches, choices, the height / EIRP lists."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


def _prepare(register, req, ch, rx, hs, es, dem, kw) -> _State:
    """Scenario, caches and the fixed path universe of a sweep (the same in every process)."""
    p_lt, p_st = kw["p_percent"]
    from .evaluation.choices import Choices
    from .evaluation.scenario import check_criteria_by_service

    choices = Choices(p_long=p_lt, p_short=p_st, short_term_allowance_db=float(kw["short_term_allowance_db"]),
                      coordination_margin_db=float(kw["coordination_margin_db"]), rule=kw["rule"],
                      dt_over_t_percent=float(kw["dt_over_t_percent"]), existing=bool(kw["existing_interference"]),
                      criteria_by_service=check_criteria_by_service(kw["criteria_by_service"]),
                      clutter_provider=_provider(kw["clutter_provider"], kw["landcover"], kw["landcover_scheme"]),
                      intermod=False, climate=check_climate(kw["climate"]), blocking=bool(kw.get("blocking", True)),
                      # with several EIRPs the decisive set moves: compute the existing interference everywhere
                      existing_scope="all" if es is not None else "decisive").validate()
    sc = build_scenario(register, req, dem=dem, model=kw["model"], f_tx_range_mhz=(float(ch.min()), float(ch.max())),
                        f_rx_range_mhz=(float(rx.min()), float(rx.max())), max_distance_km=kw["max_distance_km"],
                        freq_window_mhz=kw["freq_window_mhz"], step_m=kw["step_m"], loss_fn=kw["loss_fn"],
                        zones=kw["zones"], criteria_by_service=choices.criteria_by_service, climate=choices.climate,
                        p_percent=(p_lt, p_st))
    nodes = None
    ratio = kw["freq_node_ratio"]
    if ratio is not None:
        lo, hi = float(ch.min()), float(ch.max())
        if hi > lo * ratio:
            k = int(np.ceil(np.log(hi / lo) / np.log(ratio)))
            nodes = lo * (hi / lo) ** (np.arange(k + 1) / k)
    cc = Caches(sc, freq_nodes=nodes)
    h_list = [None] if hs is None else list(hs)
    e_list = [req.eirp_dbw] if es is None else list(es)
    # the EIRP only shifts the forward interference: evaluate at the largest and shift
    e_ref = max(e_list) if req.tx is not None else None
    coord = kw["coordination_margin_db"]
    # one universe of paths for every channel: rows any channel keeps (loosest bound: largest EIRP)
    _fix_universe(sc, cc, ch, rx, e_ref, coord, p_st)
    return _State(sc=sc, cc=cc, choices=choices, req=req, ch=ch, rx=rx, h_list=h_list, e_list=e_list, e_ref=e_ref,
                  coord=coord, zones=kw["zones"])


def _meta(st: _State) -> dict:
    from .evaluation.climate import climate_source

    sc, choices = st.sc, st.choices
    cp = choices.clutter_provider
    return {"model": model_version(sc.model) if sc.model != "custom" else "custom",
            "n_paths": int(sum(u.size for u in st.cc.universe.values())),
            "climate": climate_source(sc.model, choices.climate),
            "zones": ("none" if not st.zones else "P.452-18 Table 3 from the DEM"
                      + ("" if getattr(sc.dem, "attrs", {}).get("synthetic") else " along each path")),
            "clutter_provider": None if cp is None else getattr(cp, "source", repr(cp))}


def _cell(st: _State, i: int, j: int) -> list:
    """One channel ``i`` at height ``j``: per EIRP (worst, aggregate margin, n harmful, n marginal,
    n victims, decision code, worst victim)."""
    sc, cc, choices, req = st.sc, st.cc, st.choices, st.req
    ch, rx, e_ref, coordination_margin_db = st.ch, st.rx, st.e_ref, st.coord
    h = st.h_list[j]
    res = compute(sc, f_tx_mhz=float(ch[i]), f_rx_mhz=float(rx[i]), eirp_dbw=e_ref, choices=choices,
                  h_tx_agl_m=h, h_rx_agl_m=h, caches=cc)
    v = res["victims"]
    agg = res["aggregate"]
    out = []
    for e in st.e_list:
        worst, n_h, n_m, n_v, wv = np.nan, 0, 0, 0, ""
        shift = (e - e_ref) if e_ref is not None else 0.0
        if v:
            m = np.asarray(v["margin_db"], float)
            if shift != 0.0 and choices.rule != "single-entry":
                # the candidate's I moves with the EIRP; the existing interference does not
                m = rule_margins(choices.rule, v["criterion"], v["protection_db"], v["n_dbw"], v["c_dbw"],
                                 v["i_long_dbw"] + shift, v["i_short_dbw"] + shift,
                                 v["i_existing_long_dbw"], v["i_existing_short_dbw"],
                                 choices.short_term_allowance_db, choices.dt_over_t_percent)["margin_db"]
            elif shift != 0.0:
                m = m - shift  # single entry: margins fall 1:1 with EIRP
            m = m[np.asarray(v["status"]) != "noise-limited"]  # not the candidate's doing
            fin = np.isfinite(m)
            worst = float(m[fin].min()) if fin.any() else np.nan
            n_h = int((m[fin] < 0).sum())
            n_m = int(((m[fin] >= 0) & (m[fin] < coordination_margin_db)).sum())
            n_v = int(m.size)
            if fin.any():
                lic = np.asarray(v["licence_number"])[np.asarray(v["status"]) != "noise-limited"]
                wv = str(lic[int(np.argmin(np.where(fin, m, np.inf)))])
            n_unc = int((~fin).sum())
        else:
            n_unc = 0
        am = agg.get("margin_db", np.nan) if agg else np.nan
        if agg and req.protection in ("C/I", "C/(N+I)") and e_ref is not None and shift != 0.0:
            # the wanted signal is the candidate's own: it moves with the EIRP
            imax = float(max_interference_dbw(req.protection, req.protection_db, agg["n_dbw"], agg["c_dbw"] + shift))
            am = float(np.fmin(imax - agg["i_long_dbw"], imax + choices.short_term_allowance_db - agg["i_short_dbw"]))
        out.append((worst, am, n_h, n_m, n_v, DECISION_CODES[_decide(worst, am, n_unc, coordination_margin_db)], wv))
    return out


_WORKER: dict = {}


def _sweep_task(token, snap, req, ch, rx, hs, es, dem, kw, cells):
    """A batch of (channel, height) cells on a worker; the scenario is built once per worker."""
    st = _WORKER.get(token)
    if st is None:
        from .distributed.registers import open_snapshot

        _WORKER.clear()
        st = _WORKER[token] = _prepare(open_snapshot(snap), req, ch, rx, hs, es, dem, kw)
    return _meta(st), [_cell(st, i, j) for i, j in cells]


def _json(d) -> str:
    from .io import to_json
    return to_json(d, sort_keys=True)


def _fix_universe(sc, cc, ch, rx, e_ref, coord, p_st):
    """Rows that any channel can keep (same bounds as :func:`compute`, loosest over the
    channels), fixed as the path universe of ``cc``."""
    req = sc.req
    from .interference import noise_dbw

    bw = float(req.bw_khz)
    if req.tx is not None and sc.fwd is not None and len(sc.fwd):
        v = sc.fwd
        tx_mask = sc.masks.get(req.tx_mask, bw, "tx")
        fv = v.f_mhz
        best_fdr = np.full(fv.size, np.inf)
        for mk, idx in cc.groups("fwd", v.rx_masks):
            df = (fv[idx][:, None] - ch[None, :]) * 1000.0
            best_fdr[idx] = cc.fdr(tx_mask, mk, df.ravel()).reshape(df.shape).min(axis=1)
        cc.universe["fwd"] = forward_keep(v, best_fdr, e_ref, ch.min(), p_st, coord)
    if req.rx is not None and sc.rev is not None and len(sc.rev):
        t = sc.rev
        rx_mask = sc.masks.get(req.rx_selectivity, bw, "rx")
        fi = t.f_mhz
        best_fdr = np.full(fi.size, np.inf)
        for mk, idx in cc.groups("rev", t.tx_masks):
            df = (rx[None, :] - fi[idx][:, None]) * 1000.0
            best_fdr[idx] = cc.fdr(mk, rx_mask, df.ravel()).reshape(df.shape).min(axis=1)
        n_c = float(noise_dbw(bw, req.noise_figure_db))
        thr = n_c + req.protection_db if req.protection == "I/N" else n_c - 40.0
        cc.universe["rev"] = reverse_keep(t, best_fdr, req.rx.g_dbi, req.rx.feeder_loss_db, p_st, thr)


def write_sweep(ds, path, *, fmt: str | None = None):
    """Write a sweep Dataset to NetCDF (``.nc``) or HDF5 (``.h5``/``.hdf5``) via :mod:`spectrum.io`."""
    from pathlib import Path

    from . import io

    p = Path(path)
    fmt = fmt or ("netcdf" if p.suffix.lower() in (".nc", ".nc4", ".cdf") else "hdf5")
    inputs = {"request": ds.attrs.get("request_json", "")}
    if fmt == "netcdf":
        return io.write_netcdf(ds, p, model=ds.attrs.get("model"), inputs=inputs)
    if fmt != "hdf5":
        raise ValueError(f"fmt = {fmt!r} must be 'netcdf' or 'hdf5'")
    datasets = {}
    for k, v in ds.data_vars.items():
        datasets[k] = v.values.astype(str).astype(object) if v.dtype.kind in "OU" else v.values
    for c in ds.coords:
        datasets[f"coords/{c}"] = ds.coords[c].values
    attrs = {k: v for k, v in ds.attrs.items() if k != "request_json"}
    attrs["dims"] = ",".join(ds["worst_margin_db"].dims)
    return io.write_hdf5(p, datasets, attrs=attrs, model=ds.attrs.get("model"), inputs=inputs)


__all__ = ["sweep_channels", "channel_plan", "write_sweep", "DECISION_CODES"]
