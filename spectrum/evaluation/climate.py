"""Climate inputs of the evaluation's propagation models, per path: explicit values from the
user, else the ITU-R digital maps (:mod:`spectrum.propagation.maps`, extra ``[maps]``), else the
models' documented defaults -- and a line saying which, for the stored evaluation.

* P.452-18 / P.1812-6 refractivity: ΔN [N-units/km] and N0 [N-units] at each path centre
  (:func:`refractivity`): ``dn`` / ``n0`` when given, else the P.453-based substitutes of
  :func:`spectrum.propagation.maps.path_climate` (ΔN = -dN1(50 %), N0 from P.453 Nwet, P.1510 T
  and P.1511 h), else the P.452 defaults ΔN = 45, N0 = 325.
* P.2001-4 (:data:`P2001_KEYS`): Nd1km50 = -ΔN from the same P.453 map at the path centre and
  the rain inputs (Mt, β, Pr6 from P.837-5, h0 from P.839) from the maps when installed; the
  other map values (DN slopes, dndz_01, surface water vapour, TropoClim zone, FoEs) are not in
  any package we may use: they are explicit inputs (``climate={...}``), or the deliberate
  placeholder ``climate="typical"`` (:data:`spectrum.propagation.p2001.TYPICAL_CLIMATE`).

References
----------
Rec. ITU-R P.452-18 §3.2.1; Rec. ITU-R P.1812-6 §3.5; Rec. ITU-R P.453-14 §2.2;
Rec. ITU-R P.2001-4 §3.4, Attachments C, E, G; Rec. ITU-R P.837-5; Rec. ITU-R P.839-4.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

__all__ = ["DEFAULT_DN", "DEFAULT_N0", "P2001_KEYS", "check_climate", "refractivity", "refractivity_source", "climate_source",
           "maps_available"]

#: P.452 / P.1812 API defaults when neither the user nor the maps give ΔN / N0
DEFAULT_DN, DEFAULT_N0 = 45.0, 325.0
#: explicit P.2001-4 climate inputs of the evaluation (``climate={...}``)
P2001_KEYS = ("nd1km50", "dn_sup", "dn_sub", "nd65m1", "wvsur_gm3", "ztropo", "foes_mhz", "mt_mm", "beta",
              "pr6_pct", "h0_km")
_KEYS = ("dn", "n0") + P2001_KEYS


def maps_available() -> bool:
    """The ``[maps]`` extra (the itur package's ITU-R map files) is installed."""
    try:
        from ..propagation import maps
    except ImportError:  # pragma: no cover - the module itself is always there
        return False
    return bool(maps.available())


def check_climate(climate) -> dict:
    """Validate the evaluation's ``climate`` option: None, ``"typical"`` or a dict of
    :data:`P2001_KEYS` plus ``dn`` / ``n0`` (``{"dn": 40, "n0": 320}``). Returns a plain dict."""
    if climate is None:
        return {}
    if isinstance(climate, str):
        if climate != "typical":
            raise ValueError(f"climate = {climate!r} must be a dict of climate inputs or 'typical'")
        return {"typical": True}
    if not isinstance(climate, Mapping):
        raise ValueError(f"climate = {climate!r} must be a dict of climate inputs or 'typical'")
    from .._validate import check_range

    out = {}
    for k, v in climate.items():
        if k == "typical":
            out[k] = bool(v)
            continue
        if k not in _KEYS:
            raise ValueError(f"climate[{k!r}] is not a climate input (one of {', '.join(_KEYS)})")
        if k == "foes_mhz":
            vals = [float(x) for x in np.atleast_1d(v)]
            if len(vals) != 4 or not all(x > 0 for x in vals):
                raise ValueError(f"climate['foes_mhz'] = {v!r} must be 4 positive values (FoEs 0.1, 1, 10, 50 %) [MHz]")
            out[k] = vals
            continue
        rng = {"dn": (0.0, 156.999, "N-units/km"), "n0": (150.0, 500.0, "N-units"),
               "nd1km50": (-156.999, 300.0, "N-units/km"), "ztropo": (0.0, 6.0, ""),
               "beta": (0.0, 1.0, ""), "pr6_pct": (0.0, 100.0, "%"), "h0_km": (-1.0, 10.0, "km"),
               "wvsur_gm3": (0.0, 100.0, "g/m^3"), "mt_mm": (0.0, 10000.0, "mm")}.get(k, (-5000.0, 5000.0, ""))
        out[k] = float(check_range(f"climate[{k!r}]", v, rng[0], rng[1], rng[2]))
    return out


def refractivity(lat1, lon1, lat2, lon2, climate: Mapping | None = None):
    """ΔN [N-units/km] and N0 [N-units] per path (centre of each great-circle path).

    Returns (dn, n0) arrays: ``climate["dn"]`` / ``["n0"]`` where given, else the map values
    (:func:`spectrum.propagation.maps.path_climate`'s substitutes) when the ``[maps]`` extra is
    installed, else :data:`DEFAULT_DN`, :data:`DEFAULT_N0`.
    """
    c = climate or {}
    m = np.size(lat1)
    dn = np.full(m, float(c.get("dn", DEFAULT_DN)))
    n0 = np.full(m, float(c.get("n0", DEFAULT_N0)))
    if m and ("dn" not in c or "n0" not in c) and maps_available():
        from .. import geo
        from ..propagation import maps

        la, lo = geo.intermediate_points(np.asarray(lat1, float), np.asarray(lon1, float),
                                         np.asarray(lat2, float), np.asarray(lon2, float), 0.5)
        la, lo = np.atleast_1d(la), np.atleast_1d(lo)
        if "dn" not in c:
            # P.452 takes ΔN in [0, 157): the P.453 lapse rate is positive almost everywhere
            dn = np.clip(np.asarray(maps.delta_n(la, lo), float), 1e-3, 156.9)
        if "n0" not in c:
            n0 = np.clip(np.asarray(maps.sea_level_refractivity_n0(la, lo), float), 150.0, 500.0)
    return dn, n0


def refractivity_source(climate: Mapping | None = None) -> str:
    """Where ΔN and N0 come from, for the stored evaluation's choices."""
    c = climate or {}
    parts = []
    for k, name in (("dn", "ΔN"), ("n0", "N0")):
        if k in c:
            parts.append(f"{name} = {c[k]:g} (given)")
        elif maps_available():
            parts.append(f"{name} at each path centre from the maps ("
                         + ("ΔN = -dN1(50 %), Rec. ITU-R P.453-14 map" if k == "dn" else
                            "N0 from P.453 Nwet(50 %), P.1510 T, P.1511 h") + ")")
        else:
            parts.append(f"{name} = {DEFAULT_DN if k == 'dn' else DEFAULT_N0:g} (default; install [maps] for the "
                         f"P.453 map values)")
    return "; ".join(parts)


def climate_source(model: str, climate: Mapping | None = None) -> str:
    """:func:`refractivity_source`, and for P.2001-4 where each of its map values comes from."""
    c = dict(climate or {})
    text = refractivity_source(c)
    if model != "p2001":
        return text
    maps = maps_available()
    given = [k for k in P2001_KEYS if k in c]
    parts = [f"given: {', '.join(given)}"] if given else []
    if "nd1km50" not in c:
        parts.append("Nd1km50 = -ΔN at the path centre")
    if maps and not any(k in c for k in ("mt_mm", "beta", "pr6_pct", "h0_km")):
        parts.append("Mt, β, Pr6 (P.837-5) and h0 (P.839-4) from the maps at the P.2001 rain points")
    if c.get("typical"):
        parts.append("the other map values: spectrum.propagation.p2001.TYPICAL_CLIMATE placeholders "
                     "(not the Recommendation's maps)")
    return text + "; P.2001-4 " + "; ".join(parts)
