"""The Monte Carlo workspace: a JSON (or TOML) document, validated into a :class:`Workspace`.

Every error names the field path, the value and what it must be, e.g.
``interferers[1].tx.position.radius_km = -3 must be > 0``. The full schema, field by field, is
in docs/montecarlo.md; :data:`FIELDS` lists the fields each object accepts (an unknown field is
an error, so a misspelt key never silently falls back to a default).

Element names (``relative_to``, ``point_to``): ``victim.rx`` (victim receiver), ``victim.tx``
(its wanted transmitter), ``interferers[i].tx`` (interfering transmitter ``i``) and
``interferers[i].rx`` (its own receiver, for power control), or ``NAME.tx`` / ``NAME.rx`` with
an interferer's ``name``.

References
----------
Rec. ITU-R SM.2028-2 (06/2017) §2-§3 (scenario elements: victim link, interfering links);
ECC SEAMCAT handbook (workspace, victim link and interfering link dialogs).
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

from .fields import _convergence, _element, _mask, _options, _propagation, _translation, _victim_rx
from .records import (FIELDS, MECHANISMS, MODELS, Element, Interferer, Propagation, Workspace,  # noqa: F401
                      _dist, _num, _obj)

__all__ = ["Workspace", "Element", "Propagation", "Interferer", "load_workspace", "parse_workspace", "FIELDS",
           "MODELS", "MECHANISMS", "set_path", "get_path"]

# ---------------------------------------------------------------------------------------- parsing
def load_workspace(path) -> Workspace:
    """Read and validate a workspace file (``.json`` or ``.toml``).

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    ValueError
        Unreadable or malformed file, or a field that fails validation (naming its path).
    """
    p = Path(path)
    if p.is_dir():
        raise ValueError(f"workspace {str(p)!r} is a folder, not a workspace file (.json or .toml)")
    if not p.is_file():
        raise FileNotFoundError(f"workspace {str(p)!r} does not exist")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{p}: not a text file (byte {exc.start}); a workspace is JSON or TOML") from None
    if p.suffix.lower() == ".toml":
        import tomllib

        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{p}: not valid TOML ({exc})") from None
    else:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{p}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    return parse_workspace(_relative_files(doc, p.parent))


def _relative_files(doc, folder: Path):
    """Relative DEM and register paths of a workspace file are relative to the file's folder
    (when they exist there), so a study folder can be moved or run from anywhere."""
    if not isinstance(doc, dict):
        return doc

    def fix(v):
        if isinstance(v, str) and v and not Path(v).is_absolute() and (folder / v).exists():
            return str(folder / v)
        return v

    doc = copy.deepcopy(doc)
    t = doc.get("terrain")
    if isinstance(t, dict) and "dem" in t:
        t["dem"] = fix(t["dem"])
    v = doc.get("victim") if isinstance(doc.get("victim"), dict) else {}
    els = [v.get("rx"), v.get("tx")]
    for it in doc.get("interferers") or []:
        if isinstance(it, dict):
            els += [it.get("tx"), it.get("rx")]
    for e in els:
        if isinstance(e, dict) and isinstance(e.get("position"), dict) and "register" in e["position"]:
            e["position"]["register"] = fix(e["position"]["register"])
    return doc


def parse_workspace(doc: dict) -> Workspace:
    """Validate a workspace document (module notes; docs/montecarlo.md) into a :class:`Workspace`."""
    doc = _obj(doc, "workspace", "workspace")
    raw = copy.deepcopy(doc)
    origin = None
    if doc.get("origin") is not None:
        o = _obj(doc["origin"], "origin", "origin")
        origin = (_num(o.get("lat"), "origin.lat", lo=-90, hi=90), _num(o.get("lon"), "origin.lon", lo=-180, hi=180))
    terrain = None
    if doc.get("terrain") is not None:
        t = _obj(doc["terrain"], "terrain", "terrain")
        if (t.get("dem") is None) == (t.get("synthetic") is None):
            raise ValueError("terrain needs exactly one of dem (a DEM file) or synthetic (seeded terrain parameters)")
        if origin is None:
            raise ValueError("terrain needs origin {lat, lon} (the local plane's centre on the DEM)")
        if t.get("dem") is not None and not isinstance(t["dem"], str):
            raise ValueError(f"terrain.dem = {t['dem']!r} must be a file path")
        if t.get("synthetic") is not None and not isinstance(t["synthetic"], dict):
            raise ValueError(f"terrain.synthetic = {t['synthetic']!r} must be an object")
        terrain = dict(t)
    seed = _num(doc.get("seed"), "seed", lo=0, integer=True, default=0)
    events = _num(doc.get("events"), "events", lo=1, integer=True, default=10000)
    v = _obj(doc.get("victim"), "victim", "victim") if doc.get("victim") is not None else None
    if v is None:
        raise ValueError("victim is required (the victim link: rx and tx)")
    its = doc.get("interferers")
    if not isinstance(its, list) or not its:
        raise ValueError(f"interferers = {its!r} must be a list of at least one interfering link")
    # expand "count"
    expanded = []
    for i, it in enumerate(its):
        it = _obj(it, f"interferers[{i}]", "interferer")
        n = _num(it.get("count"), f"interferers[{i}].count", lo=1, hi=10000, integer=True, default=1)
        for k in range(n):
            expanded.append((i, k, n, it))
    names = {}
    for j, (i, k, n, it) in enumerate(expanded):
        nm = it.get("name", f"interferer{i}")
        if not isinstance(nm, str) or not nm:
            raise ValueError(f"interferers[{i}].name = {nm!r} must be a non-empty string")
        names[nm if n == 1 else f"{nm}#{k}"] = j
    vr = _element(_obj(v.get("rx"), "victim.rx", "victim.rx") if v.get("rx") is not None else _missing("victim.rx"),
                  "victim.rx", "victim.rx", default_ref=None, origin=origin)
    wt = _element(_obj(v.get("tx"), "victim.tx", "victim.tx") if v.get("tx") is not None else _missing("victim.tx"),
                  "victim.tx", "victim.tx", default_ref="victim.rx", origin=origin)
    rxd = v["rx"]
    vr.extra.update(_victim_rx(rxd))
    wt.extra["power_dbw"] = _dist(v["tx"].get("power_dbw"), "victim.tx.power_dbw", lo=-200, hi=100,
                                  default=0.0 if v.get("drss") else None)
    drss = {"mode": "computed"}
    if v.get("drss") is not None:
        d = _obj(v["drss"], "victim.drss", "drss")
        mode = d.get("mode", "computed")
        if mode not in ("computed", "distribution"):
            raise ValueError(f"victim.drss.mode = {mode!r} must be 'computed' or 'distribution'")
        drss = {"mode": mode}
        if mode == "distribution":
            drss["value_dbw"] = _dist(d.get("value_dbw"), "victim.drss.value_dbw", lo=-400, hi=100)
    vprop = _propagation(v.get("propagation"), "victim.propagation")
    interferers = []
    for j, (i, k, n, it) in enumerate(expanded):
        base = f"interferers[{i}]"
        nm = it.get("name", f"interferer{i}")
        nm = nm if n == 1 else f"{nm}#{k}"
        # streams of replicated interferers: own index so their draws are independent
        sfx = "" if n == 1 else f"#{k}"
        txd = _obj(it.get("tx"), f"{base}.tx", "interferer.tx") if it.get("tx") is not None else _missing(f"{base}.tx")
        tx = _element(txd, f"{base}.tx", f"interferers[{j}].tx", default_ref="victim.rx", origin=origin,
                      stream_suffix=sfx)
        rxd = it.get("rx") or {"position": {"mode": "fixed", "x_km": 0.0, "y_km": 0.0,
                                            "relative_to": f"interferers[{j}].tx"}, "height_m": 1.5}
        rxd = _obj(rxd, f"{base}.rx", "interferer.rx")
        rx = _element(rxd, f"{base}.rx", f"interferers[{j}].rx", default_ref=f"interferers[{j}].tx", origin=origin,
                      stream_suffix=sfx)
        tx.extra["power_dbw"] = _dist(txd.get("power_dbw"), f"{base}.tx.power_dbw", lo=-200, hi=100)
        tx.extra["f_mhz"] = _dist(txd.get("f_mhz"), f"{base}.tx.f_mhz", positive=True, hi=3e5)
        bw = _num(txd.get("bw_khz"), f"{base}.tx.bw_khz", positive=True, hi=1e7)
        tx.extra["bw_khz"] = bw
        mask = _mask(txd.get("mask"), f"{base}.tx.mask", bw, "tx")
        pc = None
        if txd.get("power_control") is not None:
            c = _obj(txd["power_control"], f"{base}.tx.power_control", "power_control")
            pc = {"threshold_dbw": _num(c.get("threshold_dbw"), f"{base}.tx.power_control.threshold_dbw", lo=-300,
                                        hi=100),
                  "dynamic_range_db": _num(c.get("dynamic_range_db"), f"{base}.tx.power_control.dynamic_range_db",
                                           lo=0, hi=200),
                  "step_db": _num(c.get("step_db"), f"{base}.tx.power_control.step_db", lo=0, hi=200, default=0.0)}
        prop = _propagation(it.get("propagation"), f"{base}.propagation")
        lprop = _propagation(it.get("link_propagation"), f"{base}.link_propagation") \
            if it.get("link_propagation") is not None else prop
        mech = it.get("mechanisms")
        if mech is None:
            mech = ["unwanted"] + (["blocking"] if vr.extra.get("blocking") is not None else []) + \
                (["intermod"] if vr.extra.get("intermod_rejection_db") is not None and len(expanded) > 1 else [])
        if not isinstance(mech, list) or not mech:
            raise ValueError(f"{base}.mechanisms = {mech!r} must be a non-empty list of {', '.join(MECHANISMS)}")
        for q, m in enumerate(mech):
            if m not in MECHANISMS:
                raise ValueError(f"{base}.mechanisms[{q}] = {m!r} must be one of {', '.join(MECHANISMS)}")
        if "blocking" in mech and vr.extra.get("blocking") is None:
            raise ValueError(f"{base}.mechanisms includes 'blocking' but victim.rx.blocking is not given")
        if "intermod" in mech and vr.extra.get("intermod_rejection_db") is None:
            raise ValueError(f"{base}.mechanisms includes 'intermod' but victim.rx.intermod_rejection_db is not given")
        if "intermod" in mech and vr.extra.get("sensitivity_dbw") is None:
            raise ValueError(f"{base}.mechanisms includes 'intermod' but victim.rx.sensitivity_dbw is not given "
                             f"(receiver intermodulation is referred to the sensitivity)")
        interferers.append(Interferer(nm, tx, rx, prop, lprop, tuple(mech), mask, pc))
    ws = Workspace(doc.get("name", "workspace") if isinstance(doc.get("name", ""), str) else "workspace", origin,
                   terrain, seed, events, vr, wt, drss, vprop, interferers, _options(doc.get("options")),
                   _convergence(doc.get("convergence")), _translation(doc.get("translation")), raw)
    _resolve_names(ws, names)
    if any(p.terrain and p.model != "p1546" for p in _all_props(ws)) and ws.terrain is None:
        raise ValueError("a terrain propagation model (p452, p1812, p2001) needs terrain {dem | synthetic} "
                         "and origin {lat, lon} (p1546 without terrain uses the antenna height as h_eff)")
    return ws


def _all_props(ws):
    yield ws.victim_propagation
    for it in ws.interferers:
        yield it.propagation
        yield it.link_propagation


def _missing(path):
    raise ValueError(f"{path} is required")


def _resolve_names(ws: Workspace, names: dict) -> None:
    """Canonical element names for relative_to / point_to; cycles in relative positions are errors."""
    els = ws.elements()

    def canon(ref, path):
        if ref is None or ref in els:
            return ref
        if "." in ref:
            nm, end = ref.rsplit(".", 1)
            if nm in names and end in ("tx", "rx"):
                return f"interferers[{names[nm]}].{end}"
        raise ValueError(f"{path} = {ref!r} is not an element (elements: {', '.join(els)})")

    for e in els.values():
        e.position.relative_to = canon(e.position.relative_to, f"{e.extra['path']}.position.relative_to")
        if e.position.relative_to == e.name:
            raise ValueError(f"{e.extra['path']}.position.relative_to = {e.name!r} refers to itself")
        e.antenna.point_to = canon(e.antenna.point_to, f"{e.extra['path']}.antenna.point_to")
        if e.antenna.point_to == e.name:
            raise ValueError(f"{e.extra['path']}.antenna.point_to = {e.name!r} refers to itself")
    order, state = [], {}

    def visit(n, chain):
        if state.get(n) == 2:
            return
        if state.get(n) == 1:
            raise ValueError(f"positions refer to each other in a circle: {' -> '.join(chain + [n])}")
        state[n] = 1
        ref = els[n].position.relative_to
        if ref is not None:
            visit(ref, chain + [n])
        state[n] = 2
        order.append(n)

    for n in els:
        visit(n, [])
    ws.options["order"] = order


# ---------------------------------------------------------------------------------------- paths
def _split(path: str) -> list:
    out = []
    for part in path.split("."):
        while "[" in part:
            head, rest = part.split("[", 1)
            if head:
                out.append(head)
            idx, part = rest.split("]", 1)
            out.append(int(idx))
        if part:
            out.append(part)
    return out


def get_path(doc: dict, path: str):
    """The value at a field path such as ``interferers[0].tx.power_dbw`` (KeyError if absent)."""
    cur = doc
    for k in _split(path):
        try:
            cur = cur[k]
        except (KeyError, IndexError, TypeError):
            raise KeyError(f"{path!r} is not a field of the workspace") from None
    return cur


def set_path(doc: dict, path: str, value) -> dict:
    """A deep copy of ``doc`` with the field at ``path`` set to ``value`` (translation mode)."""
    out = copy.deepcopy(doc)
    keys = _split(path)
    cur = out
    try:
        for k in keys[:-1]:
            cur = cur[k]
        if isinstance(cur, list) and not isinstance(keys[-1], int):
            raise TypeError
        cur[keys[-1]] = value
    except (KeyError, IndexError, TypeError):
        raise ValueError(f"translation.parameter = {path!r} is not a field of the workspace") from None
    return out
