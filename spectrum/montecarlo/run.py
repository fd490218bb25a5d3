"""Running a Monte Carlo workspace: blocks of events in sequence (or mapped by a distributed
runner), the convergence stop, and translation mode.

* :func:`run` -- ``events`` events in blocks of ``options.block_events``; with ``convergence``
  in the workspace (or ``target_halfwidth``) it stops at the first block boundary where the
  Wilson interval half-width of the chosen probability is at or below the target (after
  ``min_events``; at most ``max_events``).
* :func:`translate` -- SEAMCAT's translation mode: the probability of interference against a
  swept parameter (interferer power, frequency / guard band, blocking level...). Every value uses
  the same seed (common random numbers), so the curve is smooth and monotone where the model is.
* ``mapper``: any callable ``mapper(fn, iterable_of_args) -> iterable of BlockResult`` (e.g. a
  dask client's map + gather); the blocks are reduced in event order, so the result is
  bit-identical to the sequential run.
"""
from __future__ import annotations

import time

import numpy as np

from ..interference import CRITERIA
from .engine import LEVELS, plan_blocks, prepare, run_block
from .results import Accumulator, Results, wilson_interval
from .schema import get_path, parse_workspace, set_path

__all__ = ["run", "translate"]


def _block_args(prep, seed, plan, keep):
    return [(prep.ws.raw, seed, b, n, s, keep) for b, s, n in plan]


def _call(args):
    doc, seed, b, n, s, keep = args
    return run_block(doc, seed, b, n, s, store_vectors=keep)


def run(workspace, events: int | None = None, seed: int | None = None, *, out=None, progress=None,
        cancelled=None, block_events: int | None = None, target_halfwidth: float | None = None,
        mapper=None, store_vectors: bool | None = None) -> Results:
    """Run a workspace (module notes).

    Parameters
    ----------
    workspace : Workspace, dict or Prepared
    events : int, optional
        Number of events (default: the workspace's ``events``; the upper bound with convergence).
    seed : int, optional
        Run seed (default: the workspace's ``seed``).
    out : path, optional
        Stream per-event vectors and the summary to this NetCDF-4/HDF5 file.
    progress : callable, optional
        ``progress(done_events, total_events)`` after each block.
    cancelled : callable, optional
        Polled between blocks; True stops the run (ValueError "cancelled"; nothing written).
    block_events : int, optional
        Events per block (default ``options.block_events``).
    target_halfwidth : float, optional
        Convergence target overriding the workspace's ``convergence.target_halfwidth``.
    mapper : callable, optional
        Distributes blocks (module notes).
    store_vectors : bool, optional
        Keep per-event vectors (default ``options.store_vectors``).
    """
    prep = prepare(workspace)
    ws = prep.ws
    seed = ws.seed if seed is None else int(seed)
    conv = dict(ws.convergence) if ws.convergence else None
    if target_halfwidth is not None:
        conv = conv or {"criterion": next(iter(ws.vr.extra["criteria"])), "mechanism": "composite",
                        "min_events": 1000, "max_events": 10 ** 7}
        conv["target_halfwidth"] = float(target_halfwidth)
    if conv is not None and conv["criterion"] not in ws.vr.extra["criteria"]:
        raise ValueError(f"convergence.criterion = {conv['criterion']!r} is not among victim.rx.criteria")
    total = int(events if events is not None else (conv["max_events"] if conv and events is None else ws.events))
    if total < 1:
        raise ValueError(f"events = {total} must be >= 1")
    be = int(block_events or ws.options["block_events"])
    keep = ws.options["store_vectors"] if store_vectors is None else store_vectors
    if keep is None:
        keep = True
    acc = Accumulator(ws, seed, out)
    # per-event vectors: written to ``out``; kept in memory only while they fit (else not computed)
    vec = out is not None or (keep and total <= acc.keep_vectors_max)
    t0 = time.perf_counter()
    plan = plan_blocks(total, be)
    converged = None
    try:
        if mapper is not None and conv is None:
            for b in mapper(_call, _block_args(prep, seed, plan, vec)):
                acc.add(b)
                if progress:
                    progress(acc.n, total)
        else:
            for bidx, s, n in plan:
                if cancelled is not None and cancelled():
                    raise ValueError("the Monte Carlo run was cancelled")
                acc.add(run_block(prep, seed, bidx, n, s, store_vectors=vec))
                if progress:
                    progress(acc.n, total)
                if conv is not None and acc.n >= conv["min_events"]:
                    k = int(acc.counts[CRITERIA.index(conv["criterion"]), LEVELS.index(conv["mechanism"])])
                    lo, hi = wilson_interval(k, acc.valid, ws.options["confidence"])
                    if acc.valid and 0.5 * (hi - lo) <= conv["target_halfwidth"]:
                        converged = acc.n
                        break
    except BaseException:
        acc.abort()
        raise
    res = acc.result(time.perf_counter() - t0)
    if conv is not None:
        res.extra["convergence"] = {"target_halfwidth": conv["target_halfwidth"], "criterion": conv["criterion"],
                                    "mechanism": conv["mechanism"], "converged": converged is not None,
                                    "events": res.n_events,
                                    "halfwidth": res.halfwidth(conv["criterion"], conv["mechanism"])}
    return res


def translate(workspace, parameter: str | None = None, values=None, events: int | None = None,
              seed: int | None = None, *, progress=None, cancelled=None) -> dict:
    """Probability of interference against a swept parameter (SEAMCAT translation mode).

    Parameters
    ----------
    workspace : dict or Workspace
        The document (its ``translation`` section supplies defaults).
    parameter : str
        Field path, e.g. ``interferers[0].tx.power_dbw`` or ``interferers[0].tx.f_mhz`` (guard band).
    values : sequence of float
    events, seed : int, optional

    Returns
    -------
    dict
        ``parameter``, ``values`` and, per criterion and mechanism, the probabilities and their
        interval bounds (lists aligned with ``values``).
    """
    doc = workspace.raw if hasattr(workspace, "raw") else workspace
    ws0 = parse_workspace(doc)
    tr = ws0.translation or {}
    parameter = parameter or tr.get("parameter")
    values = list(values if values is not None else tr.get("values") or [])
    if not parameter or not values:
        raise ValueError("translation needs a parameter and values (arguments or the workspace's translation)")
    get_path(doc, parameter)  # must exist
    events = int(events or tr.get("events") or ws0.events)
    out = {"parameter": parameter, "values": values, "events": events, "seed": ws0.seed if seed is None else seed,
           "probabilities": {}}
    for i, v in enumerate(values):
        if cancelled is not None and cancelled():
            raise ValueError("the translation was cancelled")
        d = set_path(doc, parameter, v)
        d.pop("translation", None)
        d.pop("convergence", None)
        try:
            ws = parse_workspace(d)
        except ValueError as exc:
            raise ValueError(f"translation value {parameter} = {v!r}: {exc}") from None
        r = run(ws, events, seed, store_vectors=False)
        for row in r.rows():
            key = f"{row['criterion']} {row['mechanism']}"
            slot = out["probabilities"].setdefault(key, {"criterion": row["criterion"], "mechanism": row["mechanism"],
                                                         "p": [], "ci_low": [], "ci_high": []})
            slot["p"].append(row["probability"])
            slot["ci_low"].append(row["ci_low"])
            slot["ci_high"].append(row["ci_high"])
        if progress:
            progress(i + 1, len(values))
    out["values"] = [float(x) for x in np.asarray(values, float)]
    return out
