"""Parsers of the sections of a Monte Carlo workspace (elements, antennas, positions, masks, the
victim receiver, propagation, options, convergence, translation), each raising ``ValueError``
naming the field path, the value and the rule (:mod:`spectrum.montecarlo.schema`)."""
from __future__ import annotations

import math
from typing import Any

from ..antennas import Antenna
from ..blocking import MODES as BLOCKING_MODES, BlockingMask
from ..interference import CRITERIA
from ..masks import Mask
from .records import (_MODEL_ALIASES, MECHANISMS, MODELS, POSITION_MODES, TERRAIN_MODELS, AntennaSpec,
                      Element, Position, Propagation, _dist, _num, _obj)

__all__ = []

def _element(d: dict, path: str, name: str, *, default_ref, origin, stream_suffix="") -> Element:
    pos = _position(d.get("position"), f"{path}.position", default_ref, origin)
    h = _dist(d.get("height_m"), f"{path}.height_m", lo=0.0, hi=3000.0, default=1.5 if pos.mode != "register" else 0.0) \
        if d.get("height_m") != "register" else "register"
    if h == "register" and pos.mode != "register":
        raise ValueError(f"{path}.height_m = 'register' needs position.mode = 'register'")
    ant = _antenna(d.get("antenna"), f"{path}.antenna")
    return Element(name, pos, h, ant, {"path": path, "stream": path + stream_suffix})


def _antenna(d, path: str) -> AntennaSpec:
    if d is None:
        return AntennaSpec(Antenna("omni", 0.0))
    d = _obj(d, path, "antenna")
    pattern = {k: d[k] for k in ("kind", "params", "h_az_deg", "h_gain_db", "v_el_deg", "v_gain_db") if k in d}
    g = _num(d.get("g_dbi"), f"{path}.g_dbi", lo=-30, hi=80, default=0.0)
    try:
        ant = Antenna.from_pattern({"kind": pattern.get("kind", "omni"), **pattern}, g)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    except TypeError as exc:
        raise ValueError(f"{path}: malformed pattern ({exc})") from None
    az = None
    if d.get("azimuth_deg") is not None:
        az = _dist(d["azimuth_deg"], f"{path}.azimuth_deg", lo=-360, hi=720)
    pt = d.get("point_to")
    if pt is not None and not isinstance(pt, str):
        raise ValueError(f"{path}.point_to = {pt!r} must be an element name such as 'victim.rx'")
    if pt is not None and az is not None:
        raise ValueError(f"{path}: give azimuth_deg or point_to, not both")
    return AntennaSpec(ant, az, pt, _num(d.get("tilt_deg"), f"{path}.tilt_deg", lo=-90, hi=90, default=0.0),
                       _num(d.get("feeder_loss_db"), f"{path}.feeder_loss_db", lo=0, hi=100, default=0.0))


def _position(d, path: str, default_ref, origin) -> Position:
    if d is None:
        d = {"mode": "fixed", "x_km": 0.0, "y_km": 0.0}
    d = _obj(d, path, "position")
    mode = d.get("mode", "fixed")
    if mode not in POSITION_MODES:
        raise ValueError(f"{path}.mode = {mode!r} must be one of {', '.join(POSITION_MODES)}")
    ref = d.get("relative_to", default_ref)
    if ref is not None and not isinstance(ref, str):
        raise ValueError(f"{path}.relative_to = {ref!r} must be an element name such as 'victim.rx'")
    prm: dict[str, Any] = {}
    if mode == "fixed":
        if d.get("lat") is not None or d.get("lon") is not None:
            if origin is None:
                raise ValueError(f"{path}: lat/lon positions need the workspace origin {{lat, lon}}")
            prm["lat"] = _num(d.get("lat"), f"{path}.lat", lo=-90, hi=90)
            prm["lon"] = _num(d.get("lon"), f"{path}.lon", lo=-180, hi=180)
            ref = None  # absolute
        else:
            prm["x_km"] = _num(d.get("x_km"), f"{path}.x_km", default=0.0)
            prm["y_km"] = _num(d.get("y_km"), f"{path}.y_km", default=0.0)
            if "relative_to" not in d and default_ref is None:
                ref = None
    elif mode in ("disc", "ring", "sector"):
        prm["radius_km"] = _num(d.get("radius_km"), f"{path}.radius_km", positive=True)
        prm["r_min_km"] = _num(d.get("r_min_km"), f"{path}.r_min_km", lo=0.0, default=0.0)
        if prm["r_min_km"] >= prm["radius_km"]:
            raise ValueError(f"{path}.r_min_km = {prm['r_min_km']:g} must be < radius_km = {prm['radius_km']:g}")
        if mode == "ring" and d.get("r_min_km") is None:
            raise ValueError(f"{path}.r_min_km is required for a ring")
        prm["azimuth_min_deg"] = _num(d.get("azimuth_min_deg"), f"{path}.azimuth_min_deg", lo=-360, hi=360,
                                      default=0.0)
        prm["azimuth_max_deg"] = _num(d.get("azimuth_max_deg"), f"{path}.azimuth_max_deg", lo=-360, hi=720,
                                      default=prm["azimuth_min_deg"] + 360.0)
        if prm["azimuth_max_deg"] <= prm["azimuth_min_deg"]:
            raise ValueError(f"{path}.azimuth_max_deg = {prm['azimuth_max_deg']:g} must be > azimuth_min_deg = "
                             f"{prm['azimuth_min_deg']:g}")
        if prm["azimuth_max_deg"] - prm["azimuth_min_deg"] > 360.0:
            raise ValueError(f"{path}: the sector spans {prm['azimuth_max_deg'] - prm['azimuth_min_deg']:g} deg; "
                             f"at most 360")
    elif mode == "polar":
        prm["distance_km"] = _dist(d.get("distance_km"), f"{path}.distance_km", lo=0.0, hi=20000.0)
        prm["azimuth_deg"] = _dist(d.get("azimuth_deg"), f"{path}.azimuth_deg", lo=-360, hi=720,
                                   default={"dist": "uniform", "min": 0.0, "max": 360.0})
    elif mode == "offset":
        prm["dx_km"] = _dist(d.get("dx_km"), f"{path}.dx_km", default=0.0, lo=-20000, hi=20000)
        prm["dy_km"] = _dist(d.get("dy_km"), f"{path}.dy_km", default=0.0, lo=-20000, hi=20000)
    elif mode == "list":
        pts = d.get("points")
        if not isinstance(pts, list) or not pts:
            raise ValueError(f"{path}.points = {pts!r} must be a non-empty list of [x_km, y_km] or {{lat, lon}}")
        xs, ys, lls = [], [], []
        for q, pt in enumerate(pts):
            if isinstance(pt, dict):
                if origin is None:
                    raise ValueError(f"{path}.points[{q}]: lat/lon points need the workspace origin {{lat, lon}}")
                lls.append((q, _num(pt.get("lat"), f"{path}.points[{q}].lat", lo=-90, hi=90),
                            _num(pt.get("lon"), f"{path}.points[{q}].lon", lo=-180, hi=180)))
                xs.append(math.nan)
                ys.append(math.nan)
            elif isinstance(pt, (list, tuple)) and len(pt) == 2:
                xs.append(_num(pt[0], f"{path}.points[{q}][0]"))
                ys.append(_num(pt[1], f"{path}.points[{q}][1]"))
            else:
                raise ValueError(f"{path}.points[{q}] = {pt!r} must be [x_km, y_km] or {{lat, lon}}")
        prm.update(x_km=xs, y_km=ys, latlon=lls)
        ref = d.get("relative_to")  # list points are absolute unless relative_to is given
    else:  # register
        reg = d.get("register")
        if not isinstance(reg, str) or not reg:
            raise ValueError(f"{path}.register = {reg!r} must be a register path (SQLite file)")
        if origin is None:
            raise ValueError(f"{path}: register positions need the workspace origin {{lat, lon}}")
        prm["register"] = reg
        for k in ("service", "role"):
            if d.get(k) is not None and not isinstance(d[k], str):
                raise ValueError(f"{path}.{k} = {d[k]!r} must be a string")
            prm[k] = d.get(k)
        prm["within_km"] = _num(d.get("within_km"), f"{path}.within_km", positive=True, default=50.0)
        prm["limit"] = _num(d.get("limit"), f"{path}.limit", lo=1, integer=True, default=100000)
        ref = None
    if mode in ("list", "register"):
        pick = d.get("pick", "random")
        if pick not in ("random", "cycle"):
            raise ValueError(f"{path}.pick = {pick!r} must be 'random' or 'cycle'")
        prm["pick"] = pick
    return Position("disc" if mode in ("ring", "sector") else mode, ref, prm)


def _mask(v, path: str, bw_khz: float, kind: str) -> Mask:
    if v is None or v == "generic":
        return Mask.generic_tx(bw_khz) if kind == "tx" else Mask.generic_rx(bw_khz)
    if v == "rectangular":
        return Mask.rectangular(bw_khz, kind)
    if isinstance(v, dict):
        _obj(v, path, "mask")
        try:
            return Mask.from_register({**v, "kind": kind})
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None
    raise ValueError(f"{path} = {v!r} must be 'generic', 'rectangular' or {{offset_khz, attenuation_db}}")


def _victim_rx(d: dict) -> dict:
    p = "victim.rx"
    out: dict[str, Any] = {}
    out["f_mhz"] = _dist(d.get("f_mhz"), f"{p}.f_mhz", positive=True, hi=3e5)
    bw = _num(d.get("bw_khz"), f"{p}.bw_khz", positive=True, hi=1e7)
    out["bw_khz"] = bw
    out["noise_floor_dbw"] = None if d.get("noise_floor_dbw") is None else \
        _dist(d["noise_floor_dbw"], f"{p}.noise_floor_dbw", lo=-300, hi=0)
    out["noise_figure_db"] = _num(d.get("noise_figure_db"), f"{p}.noise_figure_db", lo=0, hi=60, default=5.0)
    out["sensitivity_dbw"] = None if d.get("sensitivity_dbw") is None else \
        _dist(d["sensitivity_dbw"], f"{p}.sensitivity_dbw", lo=-300, hi=100)
    cr = d.get("criteria")
    if not isinstance(cr, dict) or not cr:
        raise ValueError(f"{p}.criteria = {cr!r} must be an object with at least one of {', '.join(CRITERIA)} [dB]")
    crit = {}
    for k, val in cr.items():
        if k not in CRITERIA:
            raise ValueError(f"{p}.criteria.{k} is not a criterion (criteria: {', '.join(CRITERIA)})")
        crit[k] = _num(val, f"{p}.criteria.{k}", lo=-100, hi=100)
    if "(N+I)/N" in crit and crit["(N+I)/N"] <= 0:
        raise ValueError(f"{p}.criteria.(N+I)/N = {crit['(N+I)/N']:g} must be > 0 dB")
    out["criteria"] = crit
    out["selectivity"] = _mask(d.get("selectivity"), f"{p}.selectivity", bw, "rx")
    out["blocking"] = None
    if d.get("blocking") is not None:
        b = _obj(d["blocking"], f"{p}.blocking", "blocking")
        mode = b.get("mode", "user-defined")
        if mode not in BLOCKING_MODES:
            raise ValueError(f"{p}.blocking.mode = {mode!r} must be one of {', '.join(BLOCKING_MODES)}")
        if mode != "user-defined" and ("C/(N+I)" not in crit or "I/N" not in crit):
            raise ValueError(f"{p}.blocking.mode = {mode!r} needs criteria C/(N+I) and I/N (SEAMCAT A8.4/A8.5)")
        if mode == "sensitivity" and out["sensitivity_dbw"] is None:
            raise ValueError(f"{p}.blocking.mode = 'sensitivity' needs {p}.sensitivity_dbw")
        try:
            out["blocking"] = BlockingMask(tuple(b.get("offset_khz") or ()), tuple(b.get("value") or ()), mode)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{p}.blocking: {exc}") from None
    out["intermod_rejection_db"] = None if d.get("intermod_rejection_db") is None else \
        _num(d["intermod_rejection_db"], f"{p}.intermod_rejection_db", lo=0, hi=200)
    return out


def _propagation(d, path: str) -> Propagation:
    if d is None:
        return Propagation("free-space")
    if isinstance(d, str):
        d = {"model": d}
    d = _obj(d, path, "propagation")
    model = d.get("model", "free-space")
    model = _MODEL_ALIASES.get(str(model).lower(), str(model).lower()) if isinstance(model, str) else model
    if model not in MODELS:
        raise ValueError(f"{path}.model = {d.get('model')!r} must be one of {', '.join(MODELS)}")
    prm: dict[str, Any] = {}
    allowed = {"free-space": (), "hata": ("environment", "city"), "p452": ("p", "dn", "n0", "pol", "zone"),
               "p1812": ("p", "pl", "dn", "n0", "pol", "zone"), "p2001": ("p", "zone"),
               "p1546": ("t", "area")}[model]
    for k in ("environment", "city", "p", "pl", "t", "dn", "n0", "pol", "zone", "area"):
        if d.get(k) is not None and k not in allowed:
            raise ValueError(f"{path}.{k} is not a parameter of model {model!r}"
                             + (f" (parameters: {', '.join(allowed)})" if allowed else ""))
    if model == "hata":
        env = d.get("environment", "urban")
        if env not in ("urban", "suburban", "open"):
            raise ValueError(f"{path}.environment = {env!r} must be urban, suburban or open")
        city = d.get("city", "small")
        if city not in ("small", "medium", "large"):
            raise ValueError(f"{path}.city = {city!r} must be small, medium or large")
        prm.update(environment=env, city=city)
    if model in ("p452", "p2001"):
        prm["p"] = _dist(d.get("p"), f"{path}.p", lo=0.001, hi=50.0 if model == "p452" else 99.999, default=50.0)
    if model == "p1812":
        prm["p"] = _dist(d.get("p"), f"{path}.p", lo=1.0, hi=50.0, default=50.0)
        prm["pl"] = _dist(d.get("pl"), f"{path}.pl", lo=1.0, hi=99.0, default=50.0)
    if model == "p1546":
        prm["t"] = _dist(d.get("t"), f"{path}.t", lo=1.0, hi=50.0, default=50.0)
        area = d.get("area", "rural")
        if area not in ("rural", "suburban", "urban", "dense-urban", "sea"):
            raise ValueError(f"{path}.area = {area!r} must be rural, suburban, urban, dense-urban or sea")
        prm["area"] = area
    if model in ("p452", "p1812"):
        prm["dn"] = _num(d.get("dn"), f"{path}.dn", lo=0, hi=157, default=45.0)
        prm["n0"] = _num(d.get("n0"), f"{path}.n0", lo=150, hi=500, default=325.0)
        pol = d.get("pol", "h")
        if pol not in ("h", "v"):
            raise ValueError(f"{path}.pol = {pol!r} must be 'h' or 'v'")
        prm["pol"] = pol
    if model in TERRAIN_MODELS:
        zone = d.get("zone", "inland")
        if zone not in ("inland", "coastal", "sea"):
            raise ValueError(f"{path}.zone = {zone!r} must be inland, coastal or sea")
        prm["zone"] = zone
    var = None
    if d.get("variation_db") is not None:
        var = _dist(d["variation_db"], f"{path}.variation_db", lo=-200, hi=200)
    clutter = None
    if d.get("clutter") is not None:
        c = _obj(d["clutter"], f"{path}.clutter", "clutter")
        if c.get("model", "p2108") != "p2108":
            raise ValueError(f"{path}.clutter.model = {c.get('model')!r} must be 'p2108'")
        clutter = {"pl": _dist(c.get("pl"), f"{path}.clutter.pl", lo=1e-6, hi=100 - 1e-6,
                               default={"dist": "uniform", "min": 1e-6, "max": 100 - 1e-6}),
                   "ends": _num(c.get("ends"), f"{path}.clutter.ends", lo=1, hi=2, integer=True, default=1)}
    grid = {}
    if d.get("grid") is not None:
        g = _obj(d["grid"], f"{path}.grid", "grid")
        if g.get("n_azimuths") is not None:
            grid["n_azimuths"] = _num(g["n_azimuths"], f"{path}.grid.n_azimuths", lo=4, hi=36000, integer=True)
        if g.get("step_m") is not None:
            grid["step_m"] = _num(g["step_m"], f"{path}.grid.step_m", lo=1.0, hi=10000.0)
        if g.get("radius_km") is not None:
            grid["radius_km"] = _num(g["radius_km"], f"{path}.grid.radius_km", positive=True, hi=2000.0)
    return Propagation(model, prm, var, clutter, grid)


def _options(d) -> dict:
    out = {"condition_on_sensitivity": True, "confidence": 0.95, "store_vectors": True, "block_events": 1 << 16,
           "intermod": True}
    if d is None:
        return out
    d = _obj(d, "options", "options")
    for k in ("condition_on_sensitivity", "store_vectors", "intermod"):
        if k in d:
            if not isinstance(d[k], bool):
                raise ValueError(f"options.{k} = {d[k]!r} must be true or false")
            out[k] = d[k]
    if "confidence" in d:
        out["confidence"] = _num(d["confidence"], "options.confidence", lo=0.5, hi=0.999999)
    if "block_events" in d:
        out["block_events"] = _num(d["block_events"], "options.block_events", lo=1, hi=1 << 24, integer=True)
    return out


def _convergence(d) -> dict | None:
    if d is None:
        return None
    d = _obj(d, "convergence", "convergence")
    crit = d.get("criterion", "I/N")
    if crit not in CRITERIA:
        raise ValueError(f"convergence.criterion = {crit!r} must be one of {', '.join(CRITERIA)}")
    mech = d.get("mechanism", "composite")
    if mech not in ("composite",) + MECHANISMS:
        raise ValueError(f"convergence.mechanism = {mech!r} must be composite, {', '.join(MECHANISMS)}")
    out = {"target_halfwidth": _num(d.get("target_halfwidth"), "convergence.target_halfwidth", lo=0, hi=0.5,
                                    lo_open=True),
           "criterion": crit, "mechanism": mech,
           "min_events": _num(d.get("min_events"), "convergence.min_events", lo=1, integer=True, default=1000),
           "max_events": _num(d.get("max_events"), "convergence.max_events", lo=1, integer=True, default=10 ** 7)}
    if out["max_events"] < out["min_events"]:
        raise ValueError(f"convergence.max_events = {out['max_events']} must be >= min_events = {out['min_events']}")
    return out


def _translation(d) -> dict | None:
    if d is None:
        return None
    d = _obj(d, "translation", "translation")
    par = d.get("parameter")
    if not isinstance(par, str) or not par:
        raise ValueError(f"translation.parameter = {par!r} must be a field path such as "
                         f"'interferers[0].tx.power_dbw'")
    vals = d.get("values")
    if not isinstance(vals, list) or not vals:
        raise ValueError(f"translation.values = {vals!r} must be a non-empty list of numbers")
    vals = [_num(x, f"translation.values[{i}]") for i, x in enumerate(vals)]
    return {"parameter": par, "values": vals,
            "events": _num(d.get("events"), "translation.events", lo=1, integer=True, default=0) or None}
