"""National frequency allocation table: bands, services, primary/secondary, footnotes.

The table follows the structure of Article 5 of the ITU Radio Regulations: each band
``[f_lo_mhz, f_hi_mhz)`` carries one or more services, each *primary* or *secondary*,
optionally restricted ("MOBILE except aeronautical mobile") and qualified by footnotes.
An assignment ``[f - bw/2, f + bw/2]`` of a service is *permitted* when the whole
occupied band lies in bands allocated to that service (contiguous bands may be
spanned); it is refused otherwise, with the reason.

Service names are lower case with underscores. ``mobile`` covers ``land_mobile``,
``maritime_mobile`` and ``aeronautical_mobile`` (unless the allocation excludes one),
``radionavigation`` covers ``aeronautical_radionavigation`` and
``maritime_radionavigation`` (RR Article 1, Nos. 1.24-1.46).

A sample table (30 MHz - 40 GHz, Region 3 pattern, illustrative) ships as
``spectrum/datasets/data/allocation_table.csv``; :func:`load_allocation_table` reads it
or an administration's own table in the same CSV format. The real RR Article 5 tables (and
national tables) are imported by :mod:`spectrum.allocation_rr` (``spectrum register allocation
import``). The *table in force* is stored in each register
(:meth:`spectrum.register.Register.set_allocation_table`, ``spectrum register allocation import
--activate``); a register holding none checks against the sample (:func:`default_allocation_table`).
"""
from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

__all__ = [
    "SERVICES", "PARENT_SERVICE", "Allocation", "AllocationCheck", "AllocationTable",
    "load_allocation_table", "default_allocation_table", "check_service",
]

#: Radiocommunication services (RR Article 1, Section III), as used in the register.
SERVICES = (
    "fixed", "mobile", "land_mobile", "maritime_mobile", "aeronautical_mobile",
    "broadcasting", "radionavigation", "aeronautical_radionavigation", "maritime_radionavigation",
    "radiolocation", "amateur", "amateur_satellite", "radio_astronomy", "space_operation",
    "space_research", "earth_exploration_satellite", "meteorological_aids", "meteorological_satellite",
    "fixed_satellite", "mobile_satellite", "broadcasting_satellite", "radionavigation_satellite",
    "inter_satellite",
)

#: Service -> the wider service whose allocation also permits it (RR Art. 1).
PARENT_SERVICE = {
    "land_mobile": "mobile",
    "maritime_mobile": "mobile",
    "aeronautical_mobile": "mobile",
    "aeronautical_radionavigation": "radionavigation",
    "maritime_radionavigation": "radionavigation",
}

CATEGORIES = ("primary", "secondary")


def check_service(service: str) -> str:
    """Return ``service`` normalised (lower case, ``-``/space -> ``_``); ValueError if unknown."""
    if not isinstance(service, str) or not service.strip():
        raise ValueError(f"service = {service!r} must be one of {', '.join(SERVICES)}")
    s = service.strip().lower().replace("-", "_").replace(" ", "_")
    if s not in SERVICES:
        raise ValueError(f"service = {service!r} is not a known radiocommunication service; "
                         f"expected one of {', '.join(SERVICES)}")
    return s


@dataclass(frozen=True)
class Allocation:
    """One service allocated in one band of the table."""

    f_lo_mhz: float
    f_hi_mhz: float
    service: str
    category: str = "primary"
    excludes: tuple[str, ...] = ()
    footnotes: tuple[str, ...] = ()
    remarks: str = ""

    def permits(self, service: str) -> bool:
        """Whether this allocation covers an assignment of ``service``."""
        if service in self.excludes:
            return False
        return self.service == service or PARENT_SERVICE.get(service) == self.service


@dataclass(frozen=True)
class AllocationCheck:
    """Outcome of :meth:`AllocationTable.check`.

    ``ok`` is False when any part of the occupied band lacks an allocation to the
    service; ``category`` is ``"secondary"`` if any part relies on a secondary allocation
    (the assignment shall not cause harmful interference to, nor claim protection from,
    primary services, RR Nos. 5.28-5.31).
    """

    ok: bool
    service: str
    f_lo_mhz: float
    f_hi_mhz: float
    category: str | None
    reason: str
    allocations: tuple[Allocation, ...] = field(default_factory=tuple)


class AllocationTable:
    """A national frequency allocation table.

    Parameters
    ----------
    allocations : iterable of Allocation
    name : str
        Where the table came from.
    """

    def __init__(self, allocations, name: str = ""):
        self.allocations = tuple(sorted(allocations, key=lambda a: (a.f_lo_mhz, a.f_hi_mhz, a.service)))
        self.name = name
        for a in self.allocations:
            if not a.f_hi_mhz > a.f_lo_mhz:
                raise ValueError(f"allocation {a.service} [{a.f_lo_mhz}, {a.f_hi_mhz}] MHz: upper edge must "
                                 "exceed lower edge")
        self.f_min_mhz = min((a.f_lo_mhz for a in self.allocations), default=0.0)
        self.f_max_mhz = max((a.f_hi_mhz for a in self.allocations), default=0.0)
        self._memo: dict = {}  # (f_mhz, bw_khz, service) -> AllocationCheck (immutable)

    def __len__(self) -> int:
        return len(self.allocations)

    def at(self, f_mhz: float) -> list[Allocation]:
        """Allocations of the band containing ``f_mhz`` (lower edge inclusive)."""
        return [a for a in self.allocations if a.f_lo_mhz <= f_mhz < a.f_hi_mhz]

    def bands(self, service: str) -> list[tuple[float, float, str]]:
        """Merged ``(f_lo, f_hi, category)`` intervals where ``service`` is permitted."""
        s = check_service(service)
        out: list[list] = []
        for a in self.allocations:
            if not a.permits(s):
                continue
            if out and abs(out[-1][1] - a.f_lo_mhz) < 1e-9 and out[-1][2] == a.category:
                out[-1][1] = max(out[-1][1], a.f_hi_mhz)
            else:
                out.append([a.f_lo_mhz, a.f_hi_mhz, a.category])
        return [tuple(b) for b in out]

    def check(self, f_mhz: float, bw_khz: float, service: str) -> AllocationCheck:
        """Whether an assignment of ``service`` at ``f_mhz`` ± ``bw_khz``/2 lies in the table.

        Parameters
        ----------
        f_mhz : float
            Centre frequency. [MHz]
        bw_khz : float
            Occupied (necessary) bandwidth. [kHz]
        service : str
            Service of the licence.
        """
        s = check_service(service)
        key = (float(f_mhz), float(bw_khz), s)
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        out = self._check(*key)
        if len(self._memo) < 65536:
            self._memo[key] = out
        return out

    def _check(self, f_mhz: float, bw_khz: float, s: str) -> AllocationCheck:
        lo = float(f_mhz) - float(bw_khz) / 2000.0
        hi = float(f_mhz) + float(bw_khz) / 2000.0
        rng = f"[{lo:.6g}, {hi:.6g}] MHz"
        if lo < self.f_min_mhz or hi > self.f_max_mhz:
            return AllocationCheck(False, s, lo, hi, None,
                                   f"{rng} lies outside the allocation table "
                                   f"[{self.f_min_mhz:g}, {self.f_max_mhz:g}] MHz", ())
        used = [a for a in self.allocations if a.f_hi_mhz > lo and a.f_lo_mhz < hi and a.permits(s)]
        gap = _first_gap(used, lo, hi)
        if gap is not None:
            here = sorted({a.service for a in self.at(gap)})
            have = f" (allocated there to: {', '.join(here)})" if here else " (no allocation there)"
            return AllocationCheck(False, s, lo, hi, None,
                                   f"{s} assignment {rng} is outside the allocations to {s}: "
                                   f"no {s} allocation at {gap:.6g} MHz{have}", tuple(used))
        primary = [a for a in used if a.category == "primary"]
        category = "primary" if _first_gap(primary, lo, hi) is None else "secondary"
        fns = sorted({f for a in used for f in a.footnotes})
        reason = f"{s} assignment {rng} lies in {category} allocations to {s}"
        if fns:
            reason += f" (footnotes {', '.join(fns)})"
        return AllocationCheck(True, s, lo, hi, category, reason, tuple(used))

    def to_records(self) -> list[dict]:
        return [{"f_lo_mhz": a.f_lo_mhz, "f_hi_mhz": a.f_hi_mhz, "service": a.service, "category": a.category,
                 "excludes": " ".join(a.excludes), "footnotes": " ".join(a.footnotes), "remarks": a.remarks}
                for a in self.allocations]


def _first_gap(allocs, lo: float, hi: float) -> float | None:
    """First frequency in ``[lo, hi]`` not covered by ``allocs`` (None if fully covered)."""
    pos = lo
    for a in sorted(allocs, key=lambda a: a.f_lo_mhz):
        if a.f_lo_mhz > pos + 1e-9:
            break
        pos = max(pos, a.f_hi_mhz)
    return pos if pos < hi - 1e-9 else None


def _read_table(text: str, name: str) -> AllocationTable:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    rows = list(csv.DictReader(lines))
    need = {"f_lo_mhz", "f_hi_mhz", "service", "category"}
    if not rows or not need <= set(rows[0]):
        raise ValueError(f"allocation table {name}: header must contain {', '.join(sorted(need))}")
    out, errors = [], []
    for i, r in enumerate(rows, start=2):
        try:
            lo, hi = float(r["f_lo_mhz"]), float(r["f_hi_mhz"])
            if not hi > lo >= 0:
                raise ValueError(f"band [{lo}, {hi}] MHz must have 0 <= f_lo < f_hi")
            svc = check_service(r["service"])
            cat = r["category"].strip().lower()
            if cat not in CATEGORIES:
                raise ValueError(f"category {r['category']!r} must be primary or secondary")
            exc = tuple(check_service(x) for x in (r.get("excludes") or "").split())
            fns = tuple((r.get("footnotes") or "").split())
            out.append(Allocation(lo, hi, svc, cat, exc, fns, (r.get("remarks") or "").strip()))
        except ValueError as exc:
            errors.append(f"row {i}: {exc}")
    if errors:
        raise ValueError(f"allocation table {name} has {len(errors)} bad row(s): " + "; ".join(errors))
    return AllocationTable(out, name=name)


def load_allocation_table(path: str | Path | None = None) -> AllocationTable:
    """Read an allocation table CSV (``f_lo_mhz, f_hi_mhz, service, category, excludes,
    footnotes, remarks``; ``#`` lines are comments). ``None`` reads the shipped sample table."""
    if path is None:
        return default_allocation_table()
    p = Path(path)
    return _read_table(p.read_text(encoding="utf-8"), str(p))


@functools.lru_cache(maxsize=1)
def default_allocation_table() -> AllocationTable:
    """The illustrative sample table shipped with the package (cached): what a register that
    holds no table of its own checks assignments against."""
    text = resources.files("spectrum.datasets").joinpath("data/allocation_table.csv").read_text(encoding="utf-8")
    return _read_table(text, "spectrum.datasets/data/allocation_table.csv (illustrative sample)")
