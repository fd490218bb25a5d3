"""The choices an evaluation is made with (time percentages, criterion rule, existing
interference, clutter, ...), validated once and recorded whole in the stored evaluation so a
decision can be reproduced from the register alone.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from .._validate import check_range
from .blocking import record_by_service
from .budgets import RULES

__all__ = ["Choices"]


@dataclass(frozen=True)
class Choices:
    """Evaluation choices (see :func:`spectrum.evaluation.evaluate_request` for each).

    Attributes
    ----------
    p_long, p_short : float
        Long- and short-term time percentages of interference. [%]
    short_term_allowance_db, coordination_margin_db : float
        [dB]
    rule : {"absolute", "degradation", "single-entry"}
        How a victim already receiving interference is judged (:data:`~.budgets.RULES`).
    dt_over_t_percent : float
        Permitted degradation Delta T/T of the "degradation" rule. [%]
    existing : bool
        Compute the existing interference of registered transmitters at each victim.
    existing_max_distance_km : float
        Registered transmitters farther than this from a victim are not counted. [km]
    existing_max_entries : int
        At most this many registered interferers per victim (the strongest by the free-space
        bound; the power sum is dominated by the strongest few).
    existing_scope : {"decisive", "all"}
        "decisive": only at victims whose status the existing interference can change (rule
        "absolute": candidate-alone margin in [0, window); "degradation": a Delta T/T margin
        over N alone below the coordination margin; "single-entry": none); "all": at every
        victim with a candidate-alone margin below the window.
    existing_window_db : float
        Existing interference is computed at victims whose candidate-alone margin is below this;
        beyond it the candidate adds less than 10^(-w/10) of the permissible interference. [dB]
    existing_floor_db : float
        Registered interferers whose free-space bound is more than this below the victim's
        permissible interference are not counted. [dB]
    bel_p_percent : float
        Location probability of the P.2109 building entry loss of indoor terminals. [%]
    clutter_provider : callable, optional
        ``provider(lat, lon) -> classes`` for terminals without a clutter class in the register.
    criteria_by_service : dict
        ``{service: (criterion, threshold_db)}`` for receivers without a criterion of their own.
    intermod, intermod_radius_m, ... : see :mod:`spectrum.intermod`.
    protection_ratios : bool
        A broadcasting candidate into a broadcasting receiver is judged on the protection ratio
        C/I of the pair (BS.412-9 / BT.1368 / GE06 at the frequency offset; steady ratio at the
        long-term, tropospheric at the short-term percentage; no separate FDR) unless the
        register or ``criteria_by_service`` states the receiver's criterion.
    climate : dict
        Explicit climate inputs (:mod:`~spectrum.evaluation.climate`); empty: maps or defaults.
    blocking : bool
        Receiver blocking (adjacent-channel selectivity) as a second mechanism beside the FDR
        wherever the channels do not overlap (:mod:`~spectrum.evaluation.blocking`).
    blocking_by_service : dict
        ``{service: {"mode", "offset_khz", "value", ...}}`` blocking responses of receivers without
        a selectivity mask in the register (:func:`~.blocking.check_blocking_by_service`).
    """

    p_long: float = 20.0
    p_short: float = 1.0
    short_term_allowance_db: float = 10.0
    coordination_margin_db: float = 3.0
    rule: str = "absolute"
    dt_over_t_percent: float = 6.0
    existing: bool = True
    existing_scope: str = "decisive"
    existing_max_distance_km: float = 50.0
    existing_max_entries: int = 4
    existing_window_db: float = 20.0
    existing_floor_db: float = 20.0
    bel_p_percent: float = 50.0
    clutter_provider: Callable | None = field(default=None, compare=False)
    criteria_by_service: dict = field(default_factory=dict)
    intermod: bool = True
    intermod_radius_m: float = 500.0
    intermod_orders: tuple = (3, 5)
    climate: dict = field(default_factory=dict)
    protection_ratios: bool = True
    blocking: bool = True
    blocking_by_service: dict = field(default_factory=dict)

    def validate(self) -> "Choices":
        check_range("p_percent", [self.p_long, self.p_short], 0.001, 50.0, "%", "P.452-18")
        check_range("short_term_allowance_db", self.short_term_allowance_db, 0.0, 60.0, "dB")
        check_range("coordination_margin_db", self.coordination_margin_db, 0.0, 60.0, "dB")
        if self.rule not in RULES:
            raise ValueError(f"rule = {self.rule!r} must be one of {', '.join(RULES)}")
        check_range("dt_over_t_percent", self.dt_over_t_percent, 0.0, 1000.0, "%", lo_open=True)
        if self.existing_scope not in ("decisive", "all"):
            raise ValueError(f"existing_scope = {self.existing_scope!r} must be 'decisive' or 'all'")
        check_range("existing_max_distance_km", self.existing_max_distance_km, 0.0, 1000.0, "km", lo_open=True)
        check_range("existing_max_entries", self.existing_max_entries, 1, 10000, "")
        check_range("existing_window_db", self.existing_window_db, 0.0, 100.0, "dB")
        check_range("existing_floor_db", self.existing_floor_db, 0.0, 100.0, "dB")
        check_range("bel_p_percent", self.bel_p_percent, 0.0, 100.0, "%", "P.2109-2", lo_open=True, hi_open=True)
        check_range("intermod_radius_m", self.intermod_radius_m, 0.0, 50000.0, "m")
        for o in self.intermod_orders:
            if o not in (3, 5):
                raise ValueError(f"intermod_orders = {self.intermod_orders!r}: orders are 3 and/or 5")
        if self.clutter_provider is not None and not callable(self.clutter_provider):
            raise ValueError(f"clutter_provider = {self.clutter_provider!r} must be callable (lat, lon) -> classes")
        return self

    def record(self) -> dict[str, Any]:
        """JSON-ready record of every choice (the provider by its name)."""
        d = asdict(self)
        cp = self.clutter_provider
        d["clutter_provider"] = None if cp is None else getattr(cp, "__qualname__", None) or repr(cp)
        d["criteria_by_service"] = {k: list(v) for k, v in self.criteria_by_service.items()}
        d["intermod_orders"] = list(self.intermod_orders)
        d["blocking_by_service"] = record_by_service(self.blocking_by_service)
        d["climate"] = {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in self.climate.items()}
        return d
