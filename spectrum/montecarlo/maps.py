"""Monte Carlo probability-of-interference maps: the victim receiver at every pixel of a grid.

For each pixel centre the workspace is run as it is, with three changes (:func:`pixel_workspace`):

* the **victim receiver** is fixed at the pixel centre (its height, antenna and criteria kept);
* the **interferers** stay where the workspace puts them: positions given relative to the victim
  receiver (the default for interfering transmitters) are anchored at the receiver's place in the
  workspace -- the origin -- so the interferer deployment is the same scenario for every pixel
  (a ring of base stations around the radar site stays around that site while the map moves the
  radar); absolute positions (lat/lon, lists, registers) are unchanged;
* the **wanted transmitter** keeps its position relative to the victim receiver
  (``victim_tx="relative"``, the default: the victim link moves as a unit, SEAMCAT's "victim
  link" geometry with the wanted transmitter placed relative to the victim receiver), or stays
  where the workspace puts it (``victim_tx="fixed"``: a fixed wanted station, e.g. a broadcast
  transmitter, and a receiver moving over its service area).

This needs the workspace's victim receiver at the origin (a ``fixed`` position with
``x_km = y_km = 0``, the default) and an ``origin`` {lat, lon}.

Seeds: pixel ``k = i * NX + j`` (row ``i`` counted from the grid's first latitude, column ``j``
from its first longitude) runs with the seed :func:`pixel_seed` ``(seed, k)``, a 63-bit integer
from ``numpy.random.SeedSequence([seed, k])``: each pixel has its own deterministic stream, and
one pixel's result is :func:`~spectrum.montecarlo.run_block` over the blocks of
``options.block_events`` with that seed -- exactly what a study of that receiver site gives.

The physics is the engine's (:func:`~spectrum.montecarlo.run_block`); this module only moves the
receiver and counts. Result: an :class:`xarray.Dataset` with ``probability`` (criterion, lat,
lon) in [0, 1] (units "1"; NaN where no event was counted), ``valid`` events per pixel and the
Wilson interval bounds.
"""
from __future__ import annotations

import copy
import math
import time

import numpy as np
import xarray as xr

from ..interference import CRITERIA
from .engine import LEVELS, plan_blocks, run_block
from .results import wilson_interval
from .schema import Workspace, parse_workspace

__all__ = ["pixel_seed", "map_grid", "pixel_workspace", "probability_map", "VICTIM_TX_MODES"]

VICTIM_TX_MODES = ("relative", "fixed")


def pixel_seed(seed: int, k: int) -> int:
    """The run seed of pixel ``k`` of a map run with ``seed``: ``SeedSequence([seed, k])``'s first
    64-bit word, top bit cleared (a deterministic, independent stream per pixel)."""
    if int(seed) < 0 or int(k) < 0:
        raise ValueError(f"seed = {seed!r} and pixel index k = {k!r} must be >= 0")
    w = np.random.SeedSequence([int(seed), int(k)]).generate_state(1, np.uint64)[0]
    return int(w) >> 1


def map_grid(bounds, shape) -> tuple[np.ndarray, np.ndarray]:
    """Pixel-centre latitudes and longitudes of the grid ``bounds = (lat0, lon0, lat1, lon1)`` (the
    outer edges of the map) cut into ``shape = (NY, NX)`` pixels. [deg]"""
    try:
        lat0, lon0, lat1, lon1 = (float(b) for b in bounds)
    except (TypeError, ValueError):
        raise ValueError(f"grid = {bounds!r} must be LAT0,LON0,LAT1,LON1 in degrees") from None
    if not all(math.isfinite(v) for v in (lat0, lon0, lat1, lon1)):
        raise ValueError(f"grid = {tuple(bounds)} must be finite")
    if not (-90.0 <= lat0 < lat1 <= 90.0) or not (-180.0 <= lon0 < lon1 <= 180.0):
        raise ValueError(f"grid = {lat0:g},{lon0:g},{lat1:g},{lon1:g} must have -90 <= LAT0 < LAT1 <= 90 and "
                         "-180 <= LON0 < LON1 <= 180")
    try:
        ny, nx = (int(s) for s in shape)
    except (TypeError, ValueError):
        raise ValueError(f"shape = {shape!r} must be two pixel counts NY NX") from None
    if ny < 1 or nx < 1 or ny * nx > 1_000_000:
        raise ValueError(f"shape = {ny} {nx} must be at least 1 x 1 and at most 10^6 pixels")
    lat = lat0 + (np.arange(ny) + 0.5) * (lat1 - lat0) / ny
    lon = lon0 + (np.arange(nx) + 0.5) * (lon1 - lon0) / nx
    return lat, lon


def _doc(workspace) -> dict:
    if isinstance(workspace, Workspace):
        return copy.deepcopy(workspace.raw)
    if hasattr(workspace, "ws"):  # Prepared
        return copy.deepcopy(workspace.ws.raw)
    if isinstance(workspace, dict):
        return copy.deepcopy(workspace)
    raise ValueError(f"workspace must be a Workspace or a workspace document, got {type(workspace).__name__}")


def _check_victim_at_origin(ws: Workspace) -> None:
    pos = ws.vr.position
    at_origin = pos.mode == "fixed" and pos.relative_to is None and (
        ("lat" in pos.params and (pos.params["lat"], pos.params["lon"]) == tuple(ws.origin))
        or (pos.params.get("x_km") == 0.0 and pos.params.get("y_km") == 0.0))
    if not at_origin:
        where = {k: v for k, v in pos.params.items() if k in ("x_km", "y_km", "lat", "lon")}
        raise ValueError("victim.rx.position: a probability map places the victim receiver at every pixel; the "
                         "workspace must have it fixed at the origin (x_km = y_km = 0), got mode "
                         f"{pos.mode!r} {where}")


def _anchor(d: dict | None, default_ref) -> dict | None:
    """Position ``d`` with a reference to the victim receiver replaced by the origin (where the
    workspace's receiver stands); None if ``d`` does not refer to the victim receiver."""
    d = {"mode": "fixed", "x_km": 0.0, "y_km": 0.0} if d is None else dict(d)
    mode = d.get("mode", "fixed")
    if mode == "register" or (mode == "fixed" and (d.get("lat") is not None or d.get("lon") is not None)):
        return None  # absolute
    ref = d.get("relative_to") if mode == "list" else d.get("relative_to", default_ref)
    if ref != "victim.rx":
        return None
    d["relative_to"] = None
    return d


def pixel_workspace(workspace, lat: float, lon: float, victim_tx: str = "relative") -> dict:
    """The workspace document of one pixel: the victim receiver fixed at (``lat``, ``lon``), the
    interferers anchored where the workspace puts them, the wanted transmitter relative to the
    receiver or fixed (module notes). Validated (ValueError naming the field)."""
    if victim_tx not in VICTIM_TX_MODES:
        raise ValueError(f"victim_tx = {victim_tx!r} must be one of {', '.join(VICTIM_TX_MODES)}")
    doc = _doc(workspace)
    ws = parse_workspace(doc)
    if ws.origin is None:
        raise ValueError("origin: a probability map needs the workspace origin {lat, lon} (the receiver's place)")
    _check_victim_at_origin(ws)
    v = doc.setdefault("victim", {})
    rx = v.setdefault("rx", {})
    rx["position"] = {"mode": "fixed", "lat": float(lat), "lon": float(lon)}
    if victim_tx == "fixed":
        tx = v.setdefault("tx", {})
        a = _anchor(tx.get("position"), "victim.rx")
        if a is not None:
            tx["position"] = a
    for j, it in enumerate(doc.get("interferers") or []):
        for end, default_ref in (("tx", "victim.rx"), ("rx", f"interferers[{j}].tx")):
            e = it.get(end)
            if e is None and end == "rx":
                continue  # the default: at its own transmitter
            e = it.setdefault(end, {}) if e is None else e
            a = _anchor(e.get("position"), default_ref)
            if a is not None:
                e["position"] = a
    doc.pop("convergence", None)
    doc.pop("translation", None)
    parse_workspace(doc)  # the pixel's workspace must be valid
    return doc


def pixel_counts(doc: dict, seed: int, events: int) -> tuple[np.ndarray, int]:
    """Interfered-event counts (criterion x mechanism, :data:`~spectrum.montecarlo.engine.LEVELS`)
    and counted events of ``events`` events of a workspace run with ``seed`` -- the blocks of
    ``options.block_events`` through :func:`~spectrum.montecarlo.run_block`, as :func:`~spectrum.montecarlo.run`."""
    ws = parse_workspace(doc)
    counts = np.zeros((len(CRITERIA), len(LEVELS)), np.int64)
    valid = 0
    for b, s, n in plan_blocks(int(events), int(ws.options["block_events"])):
        r = run_block(doc, seed, b, n, s, store_vectors=False)
        counts += r.counts
        valid += int(r.valid)
    return counts, valid


def probability_map(workspace, bounds, shape, events: int, seed: int | None = None, *, victim_tx: str = "relative",
                    mechanism: str = "composite", progress=None, cancelled=None) -> xr.Dataset:
    """Probability of interference with the victim receiver at every pixel (module notes).

    Parameters
    ----------
    workspace : Workspace or dict
        Victim receiver fixed at the origin; ``origin`` given.
    bounds : (lat0, lon0, lat1, lon1)
        Outer edges of the map. [deg]
    shape : (NY, NX)
        Pixels.
    events : int
        Events per pixel.
    seed : int, optional
        Map seed (default: the workspace's); pixel ``k`` runs with :func:`pixel_seed` ``(seed, k)``.
    victim_tx : {"relative", "fixed"}
        The wanted transmitter moves with the receiver, or stays.
    mechanism : str
        Which iRSS the probability counts: composite (default), unwanted, blocking or intermod.
    progress : callable, optional
        ``progress(done_pixels, total_pixels)``.
    cancelled : callable, optional
        Polled between pixels; True stops (ValueError).

    Returns
    -------
    xarray.Dataset
        ``probability`` (criterion, lat, lon) [1], ``ci_low`` / ``ci_high`` (Wilson, at
        ``options.confidence``), ``valid`` (lat, lon) counted events; attrs: seed, events, the
        primary criterion (the workspace's first), provenance.
    """
    doc0 = _doc(workspace)
    ws = parse_workspace(doc0)
    if mechanism not in LEVELS:
        raise ValueError(f"mechanism = {mechanism!r} must be one of {', '.join(LEVELS)}")
    if isinstance(events, bool) or int(events) != events or int(events) < 1:
        raise ValueError(f"events = {events!r} must be an integer >= 1")
    seed = ws.seed if seed is None else seed
    if isinstance(seed, bool) or int(seed) != seed or int(seed) < 0:
        raise ValueError(f"seed = {seed!r} must be an integer >= 0")
    lat, lon = map_grid(bounds, shape)
    crits = [c for c in CRITERIA if c in ws.vr.extra["criteria"]]
    primary = next(iter(ws.vr.extra["criteria"]))
    pixel_workspace(doc0, lat[0], lon[0], victim_tx)  # checks before any work
    ny, nx = lat.size, lon.size
    k_mech = LEVELS.index(mechanism)
    cnt = np.zeros((len(crits), ny, nx), np.int64)
    val = np.zeros((ny, nx), np.int64)
    t0 = time.perf_counter()
    for i in range(ny):
        for j in range(nx):
            if cancelled is not None and cancelled():
                raise ValueError("the Monte Carlo map was cancelled")
            k = i * nx + j
            doc = pixel_workspace(doc0, lat[i], lon[j], victim_tx)
            c, v = pixel_counts(doc, pixel_seed(seed, k), events)
            cnt[:, i, j] = [c[CRITERIA.index(cr), k_mech] for cr in crits]
            val[i, j] = v
            if progress:
                progress(k + 1, ny * nx)
    conf = float(ws.options["confidence"])
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(val > 0, cnt / np.maximum(val, 1), np.nan)
    lo = np.full(p.shape, np.nan)
    hi = np.full(p.shape, np.nan)
    for idx in zip(*np.nonzero(val > 0)):
        for q in range(len(crits)):
            lo[(q, *idx)], hi[(q, *idx)] = wilson_interval(int(cnt[(q, *idx)]), int(val[idx]), conf)
    return _dataset(ws, doc0, lat, lon, crits, primary, p, lo, hi, cnt, val, seed, events, victim_tx, mechanism,
                    bounds, time.perf_counter() - t0)


def _dataset(ws, doc0, lat, lon, crits, primary, p, lo, hi, cnt, val, seed, events, victim_tx, mechanism, bounds,
             elapsed):
    from .. import __version__
    from ..io import to_json

    thr = {c: float(ws.vr.extra["criteria"][c]) for c in crits}
    coords = {"criterion": ("criterion", crits), "lat": ("lat", lat, {"units": "degrees_north"}),
              "lon": ("lon", lon, {"units": "degrees_east"})}
    attrs = {"title": f"probability of interference, {ws.name}", "model": "Monte Carlo, Rec. ITU-R SM.2028-2",
             "seed": int(seed), "events_per_pixel": int(events), "primary_criterion": primary,
             "criteria_json": to_json(thr), "mechanism": mechanism, "victim_tx": victim_tx,
             "grid": ",".join(f"{float(b):g}" for b in bounds), "pixel_seed": "SeedSequence([seed, i * NX + j])",
             "confidence": float(ws.options["confidence"]), "software": "spectrum", "software_version": __version__,
             "elapsed_s": float(elapsed), "workspace_json": to_json(doc0)}

    def var(a, long_name, units="1"):
        return xr.Variable(("criterion", "lat", "lon"), a, {"units": units, "long_name": long_name})

    return xr.Dataset({
        "probability": var(p, f"probability of interference ({mechanism} iRSS exceeds the criterion)"),
        "ci_low": var(lo, "lower bound of the Wilson interval of the probability"),
        "ci_high": var(hi, "upper bound of the Wilson interval of the probability"),
        "interfered": var(cnt, "interfered events", "1"),
        "valid": xr.Variable(("lat", "lon"), val, {"units": "1", "long_name": "events counted (dRSS > sensitivity)"}),
    }, coords=coords, attrs=attrs)


def probability_layer(ds: xr.Dataset, criterion: str | None = None) -> xr.DataArray:
    """The probability map as a DataArray in [0, 1] (units "1") with the map's provenance attributes:
    all criteria as bands (dims criterion, lat, lon), or one ``criterion`` (dims lat, lon)."""
    da = ds["probability"]
    keep = {k: v for k, v in ds.attrs.items() if k != "workspace_json"}
    da = da.assign_attrs({**keep, **da.attrs, "inputs_json": ds.attrs.get("workspace_json", "")})
    if criterion is not None:
        if criterion not in list(ds["criterion"].values):
            raise ValueError(f"criterion = {criterion!r} is not one of the map's ({', '.join(ds['criterion'].values)})")
        da = da.sel(criterion=criterion, drop=True).assign_attrs(criterion=criterion)
    return da.rename("probability")
