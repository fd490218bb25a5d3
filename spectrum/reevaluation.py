"""Re-evaluation of the register: every application / licence matching a filter evaluated again
(after a band-plan change, a new model, new terrain) with :mod:`spectrum.evaluation`, and the
decisions stored in the register as stored evaluations.

* :func:`select_licences` -- licence numbers with an assignment matching status, service,
  band (``f_min_mhz`` .. ``f_max_mhz``) and bounding box, sorted.
* :func:`reevaluate` -- every station pair of each licence through
  :func:`spectrum.evaluation.evaluate_licence`; here, or on a dask cluster in batches of licences
  (``client``; a read-only snapshot of the register and the DEM reach each worker once,
  :mod:`spectrum.distributed`). The register is written only here, by the calling process, after
  every result is in, in one transaction: a failed run (a worker that keeps dying, a bad licence)
  stores nothing.

Results are bit-identical whether computed here or on a cluster: the same function runs on the
same register content, licence by licence.
"""
from __future__ import annotations

import math
from typing import Sequence

__all__ = ["select_licences", "reevaluate", "STATUSES"]

#: Licence statuses a re-evaluation can select.
STATUSES = ("application", "granted", "suspended", "expired", "revoked", "refused", "withdrawn")


def _statuses(status) -> tuple:
    st = (status,) if isinstance(status, str) else tuple(status)
    if not st:
        raise ValueError("status is empty: give at least one licence status")
    for s in st:
        if s not in STATUSES:
            raise ValueError(f"status = {s!r} must be one of {', '.join(STATUSES)}")
    return st


def _finite(name, v):
    if v is None:
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise ValueError(f"{name} = {v!r} is not a number") from None
    if not math.isfinite(x):
        raise ValueError(f"{name} = {x!r} is not finite")
    return x


def select_licences(register, *, status: str | Sequence[str] = ("application",), service=None,
                    f_min_mhz: float | None = None, f_max_mhz: float | None = None,
                    bbox: Sequence[float] | None = None) -> list[str]:
    """Licence numbers with at least one assignment matching every filter, sorted.

    Parameters
    ----------
    status : str or sequence of str
        Licence statuses (default applications only).
    service : str or sequence of str, optional
    f_min_mhz, f_max_mhz : float, optional
        Band: assignments overlapping it. [MHz]
    bbox : (lat_min, lat_max, lon_min, lon_max), optional
        Stations inside the box. [deg]
    """
    st = _statuses(status)
    lo, hi = _finite("f_min_mhz", f_min_mhz), _finite("f_max_mhz", f_max_mhz)
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"f_min_mhz = {lo:g} is above f_max_mhz = {hi:g}")
    if bbox is not None:
        try:
            la0, la1, lo0, lo1 = (float(x) for x in bbox)
        except (TypeError, ValueError):
            raise ValueError(f"bbox = {bbox!r} must be lat_min,lat_max,lon_min,lon_max") from None
        for nm, v in (("lat_min", la0), ("lat_max", la1), ("lon_min", lo0), ("lon_max", lo1)):
            if not math.isfinite(v):
                raise ValueError(f"bbox {nm} = {v!r} is not finite")
        if not (-90.0 <= la0 <= la1 <= 90.0) or not (-180.0 <= lo0 <= 180.0 and -180.0 <= lo1 <= 180.0):
            raise ValueError(f"bbox = {bbox!r}: need -90 <= lat_min <= lat_max <= 90 and longitudes in [-180, 180]")
        bbox = (la0, la1, lo0, lo1)
    rows = register.query(bbox=bbox, f_min_mhz=lo, f_max_mhz=hi, service=service, status=st)
    return sorted({r.licence_number for r in rows})


def _record(ev) -> dict:
    """What is stored for one evaluation (as :meth:`spectrum.evaluation.Evaluation.store`)."""
    d = ev.to_dict()
    return {"request": d["request"],
            "result": {k: d[k] for k in ("worst_margin_db", "aggregate", "victims", "interferers", "intermod",
                                         "reasons", "inputs")},
            "decision": ev.decision, "model_versions": ev.model_versions,
            "licence_number": ev.request.licence_number}


def _evaluate_one(register, licence: str, status: tuple, kw: dict) -> dict:
    from .evaluation import combined_decision, evaluate_licence

    try:
        evs = evaluate_licence(register, licence, status=status, **kw)
    except ValueError as exc:  # this licence cannot be evaluated (e.g. outside the model's range): say why
        return {"licence_number": licence, "decision": "not evaluated", "error": str(exc).splitlines()[0],
                "records": []}
    return {"licence_number": licence, "decision": combined_decision(evs), "records": [_record(e) for e in evs]}


def _batch_task(snap, dem, status, kw, licences):
    """A batch of licences on a worker, against the worker's snapshot of the register."""
    from .distributed.registers import open_snapshot

    reg = open_snapshot(snap)
    return [_evaluate_one(reg, lic, status, {**kw, "dem": dem}) for lic in licences]


def reevaluate(register, licences: Sequence[str] | None = None, *, status: str | Sequence[str] = ("application",),
               service=None, f_min_mhz: float | None = None, f_max_mhz: float | None = None, bbox=None,
               store: bool = True, user: str = "spectrum-reevaluate", client=None, batch_licences: int | None = None,
               progress: bool = False, dem=None, **evaluate_kw) -> list[dict]:
    """Re-evaluate every licence matching the filter (or the given ``licences``) and store the decisions.

    Parameters
    ----------
    register : spectrum.register.Register
    licences : sequence of str, optional
        Licence numbers; default :func:`select_licences` with the filters.
    status, service, f_min_mhz, f_max_mhz, bbox
        As :func:`select_licences` (``status`` also selects the station pairs of each licence).
    store : bool
        Store every evaluation in the register (one transaction, after all results are in).
    user : str
        Recorded with the stored evaluations.
    client : distributed.Client, optional
        Evaluate on a dask cluster in batches of ``batch_licences`` licences (default about 4
        batches per worker).
    dem : DataArray, optional
        Terrain (default: the default terrain).
    **evaluate_kw
        As :func:`spectrum.evaluation.evaluate_request` (model, rule, criteria ...); ``store`` is
        handled here.

    Returns
    -------
    list of dict
        Per licence, in licence order: ``licence_number``, ``decision`` (the most severe of its
        station pairs; "not evaluated" with ``error`` when the evaluation refused the licence, e.g.
        a frequency outside the model's range -- nothing is stored for it), ``decisions`` (per
        pair), ``evaluation_ids`` (when stored), ``records`` (what is stored).
    """
    st = _statuses(status)
    if "store" in evaluate_kw:
        raise ValueError("store is an argument of reevaluate itself (evaluations are stored after the run)")
    if licences is None:
        licences = select_licences(register, status=st, service=service, f_min_mhz=f_min_mhz, f_max_mhz=f_max_mhz,
                                   bbox=bbox)
    licences = [str(x) for x in licences]
    if not licences:
        return []
    kw = dict(evaluate_kw)
    if client is None:
        from .distributed.tasks import ProgressBar

        bar = ProgressBar(len(licences), "reevaluate", enabled=progress)
        results = []
        try:
            for lic in licences:
                results.append(_evaluate_one(register, lic, st, {**kw, "dem": dem}))
                bar.update(1)
        finally:
            bar.close()
    else:
        from .distributed import chunks, map_tasks
        from .distributed.maps import _n_workers
        from .distributed.registers import snapshot

        size = batch_licences or max(1, -(-len(licences) // (4 * _n_workers(client))))
        batches = [licences[c.start:c.stop] for c in chunks(len(licences), size)]
        parts = map_tasks(client, _batch_task, batches, shared=(snapshot(register), dem, st, kw), kind="reevaluate",
                          progress=progress, desc=f"reevaluate ({len(licences)} licences)")
        results = [r for part in parts for r in part]
    out = []
    if store:
        # the register is written here only, after every result is in, in one transaction
        with register.backend.write():
            for r in results:
                ids = [register.store_evaluation(rec["request"], rec["result"], rec["decision"],
                                                 rec["model_versions"], user, licence_number=rec["licence_number"])
                       for rec in r["records"]]
                out.append(_summary(r, ids))
    else:
        out = [_summary(r, []) for r in results]
    return out


def _summary(r: dict, ids: list) -> dict:
    out = {"licence_number": r["licence_number"], "decision": r["decision"],
           "decisions": [rec["decision"] for rec in r["records"]], "evaluation_ids": ids, "records": r["records"]}
    if "error" in r:
        out["error"] = r["error"]
    return out
