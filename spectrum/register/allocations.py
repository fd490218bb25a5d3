"""The national frequency allocation table in force, stored in the register (schema 7).

An administration's allocation table is part of its register: assignments are checked against
the table *of that register*, replacing it is one audited write, and ``check`` verifies the rows
against the digest the audit log last recorded. A register holding no table checks against the
illustrative sample shipped with the package (:func:`spectrum.allocation.default_allocation_table`)
and says so.
"""
from __future__ import annotations

import hashlib
import json

from ..allocation import Allocation, AllocationTable, default_allocation_table
from .common import utc_now

_BAND_FIELDS = ("f_lo_mhz", "f_hi_mhz", "service", "category", "excludes", "footnotes", "remarks")


def table_digest(records) -> str:
    """SHA-256 of an allocation table's rows in canonical JSON (order as stored)."""
    h = hashlib.sha256()
    for r in records:
        h.update(json.dumps([float(r[0]), float(r[1]), *[str(v) for v in r[2:]]], separators=(",", ":")).encode())
        h.update(b"\n")
    return h.hexdigest()


def _records(table: AllocationTable) -> list[tuple]:
    return [(float(a["f_lo_mhz"]), float(a["f_hi_mhz"]), a["service"], a["category"], a["excludes"],
             a["footnotes"], a["remarks"] or "") for a in table.to_records()]


class AllocationMixin:
    """Reading and replacing the register's allocation table (mixed into :class:`Register`)."""

    def stored_allocation_table(self) -> AllocationTable | None:
        """The table stored in this register, or ``None`` when it holds none."""
        if self.schema_version < 7:
            return None
        with self.backend.read():
            info = self._one("SELECT name FROM allocation_table_info WHERE id = 1")
            if info is None:
                return None
            rows = self._x(f"SELECT {', '.join(_BAND_FIELDS)} FROM allocation_band ORDER BY id").fetchall()
        allocs = [Allocation(float(lo), float(hi), svc, cat, tuple(exc.split()), tuple(fn.split()), rem)
                  for lo, hi, svc, cat, exc, fn, rem in rows]
        return AllocationTable(allocs, name=f"{info[0]} (stored in the register)")

    def allocation_table_info(self) -> dict:
        """Which table is in force: ``{"source": "register"|"sample"|"given"|"none", "name", "bands",
        "digest", "installed_utc", "installed_by"}``."""
        if self._allocations_given is False:
            return {"source": "none", "name": "allocation checks disabled"}
        if self._allocations_given is not None:
            return {"source": "given", "name": self._allocations_given.name, "bands": len(self._allocations_given)}
        if self.schema_version >= 7:
            with self.backend.read():
                r = self._one("SELECT name, source, bands, digest, installed_utc, installed_by "
                              "FROM allocation_table_info WHERE id = 1")
            if r is not None:
                return {"source": "register", "name": r[0], "origin": r[1], "bands": int(r[2]), "digest": r[3],
                        "installed_utc": r[4], "installed_by": r[5]}
        t = default_allocation_table()
        return {"source": "sample", "name": t.name, "bands": len(t)}

    @property
    def allocations(self) -> AllocationTable | None:
        """The table assignments are checked against: the one given to :meth:`open`, else the
        register's own, else the shipped sample; ``None`` when checking is disabled."""
        if self._allocations_given is False:
            return None
        if self._allocations_given is not None:
            return self._allocations_given
        if self._allocations_cache is None:
            self._allocations_cache = self.stored_allocation_table() or default_allocation_table()
        return self._allocations_cache

    def set_allocation_table(self, table: AllocationTable, *, source: str = "", user: str | None = None,
                             reason: str | None = None) -> dict:
        """Put ``table`` in force in this register (replacing any stored one) in one audited write.

        Returns ``{"bands", "digest", "nonconforming": [...]}``: the granted or applied-for
        assignments that the new table no longer permits (they are reported, not changed; the
        administration decides what to do with them).
        """
        if not isinstance(table, AllocationTable) or len(table) == 0:
            raise ValueError("allocation table: nothing to install (the table has no allocations)")
        if self.schema_version < 7:
            raise ValueError("this register's schema is older than 7: open it with write access to upgrade it first")
        who = self._who(user)
        recs = _records(table)
        digest = table_digest(recs)
        with self.backend.write():
            old = self._one("SELECT name, bands, digest FROM allocation_table_info WHERE id = 1")
            self._x("DELETE FROM allocation_band")
            self._x("DELETE FROM allocation_table_info")
            for i, r in enumerate(recs, start=1):
                self._x(f"INSERT INTO allocation_band (id, {', '.join(_BAND_FIELDS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (i, *r))
            self._x("INSERT INTO allocation_table_info (id, name, source, bands, digest, installed_utc, installed_by) "
                    "VALUES (1, ?, ?, ?, ?, ?, ?)", (table.name, str(source), len(recs), digest, utc_now(), who))
            before = None if old is None else {"name": old[0], "bands": old[1], "digest": old[2]}
            self._audit(who, "replace", "allocation_table", 1, before=before,
                        after={"name": table.name, "source": str(source), "bands": len(recs), "digest": digest},
                        reason=reason)
        self._allocations_cache = None
        bad = []
        for r in self.query(status=["granted", "application"]):
            chk = table.check(r.f_mhz, r.bw_khz, r.service)
            if not chk.ok:
                bad.append({"licence": r.licence_number, "assignment_id": r.assignment_id, "f_mhz": r.f_mhz,
                            "bw_khz": r.bw_khz, "service": r.service, "reason": chk.reason})
        return {"bands": len(recs), "digest": digest, "nonconforming": bad}


def reconcile_allocation_table(reg) -> list[str]:
    """``check``'s comparison of the stored allocation table with its digest and the audit log."""
    if reg.schema_version < 7:
        return []
    problems = []
    with reg.backend.read():
        info = reg._one("SELECT bands, digest FROM allocation_table_info WHERE id = 1")
        rows = reg._x(f"SELECT {', '.join(_BAND_FIELDS)} FROM allocation_band ORDER BY id").fetchall()
        last = reg._one("SELECT after_json FROM audit WHERE entity = 'allocation_table' ORDER BY id DESC LIMIT 1")
    if info is None:
        if rows:
            problems.append(f"allocation table: {len(rows)} band row(s) stored without the table's record "
                            "(written outside the API)")
        if last is not None:
            problems.append("allocation table: the audit log records an installed table but the register holds "
                            "none (deleted outside the API)")
        return problems
    digest = table_digest(rows)
    if len(rows) != int(info[0]) or digest != info[1]:
        problems.append(f"allocation table: its {len(rows)} band row(s) do not match the recorded {info[0]} "
                        "row(s) and digest (bands changed outside the API)")
    try:
        audited = json.loads(last[0]).get("digest") if last is not None else None
    except (ValueError, AttributeError):
        audited = None
    if audited != info[1]:
        problems.append("allocation table: the table in force is not the one the audit log last recorded "
                        "(replaced outside the API)")
    return problems
