"""Records and helpers of the Monte Carlo workspace: the field table, the validated dataclasses
(:class:`Workspace`, :class:`Element`, :class:`Propagation`, :class:`Interferer`) and the number /
object checks that name the field path in their errors (:mod:`spectrum.montecarlo.schema`)."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from ..antennas import Antenna
from ..masks import Mask
from .distributions import Distribution, parse_distribution

__all__ = ["Workspace", "Element", "Position", "Propagation", "Interferer", "AntennaSpec", "FIELDS", "MODELS",
           "TERRAIN_MODELS", "MECHANISMS", "POSITION_MODES"]

MODELS = ("free-space", "hata", "p452", "p1812", "p2001", "p1546")
_MODEL_ALIASES = {"p525": "free-space", "freespace": "free-space", "free_space": "free-space",
                  "p.452": "p452", "p.1812": "p1812", "p.2001": "p2001", "p.1546": "p1546", "okumura-hata": "hata"}
TERRAIN_MODELS = ("p452", "p1812", "p2001", "p1546")
#: interference mechanisms, in result order ("composite" is their power sum)
MECHANISMS = ("unwanted", "blocking", "intermod")
POSITION_MODES = ("fixed", "disc", "ring", "sector", "polar", "offset", "list", "register")

#: fields each object accepts (unknown keys are errors)
FIELDS = {
    "workspace": ("name", "description", "origin", "terrain", "seed", "events", "victim", "interferers", "options",
                  "convergence", "translation"),
    "origin": ("lat", "lon"),
    "terrain": ("dem", "synthetic"),
    "victim": ("rx", "tx", "drss", "propagation"),
    "victim.rx": ("position", "height_m", "antenna", "f_mhz", "bw_khz", "noise_floor_dbw", "noise_figure_db",
                  "sensitivity_dbw", "criteria", "selectivity", "blocking", "intermod_rejection_db"),
    "victim.tx": ("position", "height_m", "antenna", "power_dbw"),
    "drss": ("mode", "value_dbw"),
    "interferer": ("name", "count", "tx", "rx", "propagation", "link_propagation", "mechanisms"),
    "interferer.tx": ("position", "height_m", "antenna", "power_dbw", "f_mhz", "bw_khz", "mask", "power_control"),
    "interferer.rx": ("position", "height_m", "antenna"),
    "antenna": ("kind", "g_dbi", "params", "h_az_deg", "h_gain_db", "v_el_deg", "v_gain_db", "azimuth_deg",
                "point_to", "tilt_deg", "feeder_loss_db"),
    "position": ("mode", "relative_to", "x_km", "y_km", "lat", "lon", "radius_km", "r_min_km", "azimuth_min_deg",
                 "azimuth_max_deg", "distance_km", "azimuth_deg", "dx_km", "dy_km", "points", "pick", "register",
                 "service", "role", "centre", "within_km", "limit"),
    "propagation": ("model", "variation_db", "clutter", "environment", "city", "p", "pl", "t", "dn", "n0", "pol",
                    "zone", "grid", "area"),
    "clutter": ("model", "pl", "ends"),
    "grid": ("n_azimuths", "step_m", "radius_km"),
    "power_control": ("threshold_dbw", "dynamic_range_db", "step_db"),
    "mask": ("offset_khz", "attenuation_db", "name"),
    "blocking": ("mode", "offset_khz", "value"),
    "options": ("condition_on_sensitivity", "confidence", "store_vectors", "block_events", "intermod"),
    "convergence": ("target_halfwidth", "criterion", "mechanism", "min_events", "max_events"),
    "translation": ("parameter", "values", "events"),
}


# ---------------------------------------------------------------------------------------- helpers
def _obj(v, path: str, kind: str) -> dict:
    if not isinstance(v, dict):
        raise ValueError(f"{path} = {v!r} must be an object (fields: {', '.join(FIELDS[kind])})")
    bad = [k for k in v if k not in FIELDS[kind]]
    if bad:
        raise ValueError(f"{path}.{bad[0]} is not a field of {kind} (fields: {', '.join(FIELDS[kind])})")
    return v


def _num(v, path: str, *, lo=None, hi=None, positive=False, integer=False, default=None, lo_open=False):
    if v is None:
        if default is None:
            raise ValueError(f"{path} is required")
        return default
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError(f"{path} = {v!r} must be a number")
    if not math.isfinite(float(v)):
        raise ValueError(f"{path} = {v!r} must be finite")
    if integer and float(v) != int(v):
        raise ValueError(f"{path} = {v!r} must be an integer")
    if positive and v <= 0:
        raise ValueError(f"{path} = {v:g} must be > 0")
    if lo is not None and (v < lo or (lo_open and v == lo)):
        raise ValueError(f"{path} = {v:g} must be {'>' if lo_open else '>='} {lo:g}")
    if hi is not None and v > hi:
        raise ValueError(f"{path} = {v:g} must be <= {hi:g}")
    return int(v) if integer else float(v)


def _dist(v, path, default=None, **kw) -> Distribution:
    if v is None:
        if default is None:
            raise ValueError(f"{path} is required")
        v = default
    return parse_distribution(v, path, **kw)


# ---------------------------------------------------------------------------------------- records
@dataclass
class AntennaSpec:
    """An element's antenna: pattern (:class:`spectrum.antennas.Antenna`) and pointing."""

    antenna: Antenna
    azimuth_deg: Distribution | None = None
    point_to: str | None = None
    tilt_deg: float = 0.0
    feeder_loss_db: float = 0.0

    @property
    def omni(self) -> bool:
        return self.antenna.kind == "omni"


@dataclass
class Position:
    """How an element is placed each event (:mod:`spectrum.montecarlo.positions`)."""

    mode: str
    relative_to: str | None
    params: dict = field(default_factory=dict)


@dataclass
class Element:
    """A transmitter or receiver of the scenario."""

    name: str
    position: Position
    height_m: Distribution
    antenna: AntennaSpec
    extra: dict = field(default_factory=dict)


@dataclass
class Propagation:
    """A path's propagation model and its parameters (distributions where they vary per event)."""

    model: str
    params: dict = field(default_factory=dict)
    variation_db: Distribution | None = None
    clutter: dict | None = None
    grid: dict = field(default_factory=dict)

    @property
    def terrain(self) -> bool:
        return self.model in TERRAIN_MODELS


@dataclass
class Interferer:
    name: str
    tx: Element
    rx: Element
    propagation: Propagation
    link_propagation: Propagation
    mechanisms: tuple
    mask: Mask
    power_control: dict | None = None


@dataclass
class Workspace:
    """A validated Monte Carlo workspace (:func:`parse_workspace`)."""

    name: str
    origin: tuple | None
    terrain: dict | None
    seed: int
    events: int
    vr: Element
    wt: Element
    drss: dict
    victim_propagation: Propagation
    interferers: list
    options: dict
    convergence: dict | None
    translation: dict | None
    raw: dict

    def element(self, name: str) -> Element:
        return self.elements()[name]

    def elements(self) -> dict:
        out = {"victim.rx": self.vr, "victim.tx": self.wt}
        for it in self.interferers:
            out[it.tx.name] = it.tx
            out[it.rx.name] = it.rx
        return out

    def to_json(self) -> str:
        return json.dumps(self.raw, indent=2, sort_keys=False)
