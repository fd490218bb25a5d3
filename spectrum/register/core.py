"""The licence register: domain rules over a storage backend.

Every mutating call runs in one serialised write transaction that also appends its audit
row (who, when, what, before/after JSON): either both land or neither does.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import gc
import getpass
import hashlib
import json
import math
import os
import types
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from ..allocation import AllocationTable, default_allocation_table
from .backend import (IllegalTransitionError, NotFoundError, RegisterBackend, RegisterError)
from .models import (ASSIGNMENT_FIELDS, EARTH_RADIUS_KM, STATUSES, TERMINAL_STATUSES, TRANSITIONS, AssignmentRow,
                     check_assignment_fields, check_date, check_licence_fields, check_mask_fields,
                     check_pattern_fields, check_station_fields, _choice, _num, _text)
from .sqlite import SQLiteBackend, utc_now

__all__ = ["Register", "AllocationRefusedError"]


class AllocationRefusedError(RegisterError):
    """An assignment outside the national allocations to its licence's service."""


def _default_user() -> str:
    u = os.environ.get("SPECTRUM_USER")
    if u:
        return u
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no login name (containers)
        return "unknown"


def _dumps(obj) -> str:
    from ..io import to_json

    return to_json(obj, sort_keys=True)


_LICENCE_COLS = "l.id, l.number, e.name, l.service, l.status, l.valid_from, l.valid_to, l.remarks, " \
                "l.created_utc, l.updated_utc"
_STATION_COLS = ("id", "licence_id", "name", "role", "lat", "lon", "h_agl_m", "antenna_pattern", "g_dbi",
                 "azimuth_deg", "tilt_deg", "polarisation", "feeder_loss_db",
                 "indoor", "building_type", "clutter_class")
_ASSIGNMENT_COLS = ("id", "station_id", "f_mhz", "bw_khz", "emission", "eirp_dbw", "tx_mask", "rx_selectivity",
                    "noise_figure_db", "protection", "protection_db",
                    "criterion", "criterion_db")
_QUERY_SQL = """SELECT l.number, e.name, l.service, l.status, s.id, s.name, s.role, s.lat, s.lon, s.h_agl_m,
 s.antenna_pattern, s.g_dbi, s.azimuth_deg, s.tilt_deg, s.polarisation, s.feeder_loss_db, a.id, a.f_mhz,
 a.bw_khz, a.emission, a.eirp_dbw, a.tx_mask, a.rx_selectivity, a.noise_figure_db, a.protection, a.protection_db,
 s.indoor, s.building_type, s.clutter_class, a.criterion, a.criterion_db
 FROM {src} JOIN station s ON s.id = a.station_id JOIN licence l ON l.id = s.licence_id
 JOIN licensee e ON e.id = l.licensee_id WHERE {where} ORDER BY a.id"""
_FLOAT_FIELDS = ("lat", "lon", "h_agl_m", "g_dbi", "azimuth_deg", "tilt_deg", "feeder_loss_db", "f_mhz", "bw_khz",
                 "eirp_dbw", "noise_figure_db", "protection_db",
                 "criterion_db")
_INT_FIELDS = ("station_id", "assignment_id")


def audit_row_hash(prev_hash: str | None, content: Sequence) -> str:
    """SHA-256 (hex) of an audit row: the previous row's hash and the row's content fields
    (at_utc, who, action, entity, entity_key, before_json, after_json, reason)."""
    payload = json.dumps([prev_hash, *content], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while building many small objects (rows); the
    objects are acyclic, so collections in between would only traverse them repeatedly."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def gc_distance_km(lat1, lon1, lat2, lon2):
    """Great-circle (haversine) distance on a sphere of radius EARTH_RADIUS_KM. [km]"""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def radius_boxes(lat: float, lon: float, radius_km: float) -> list[tuple[float, float, float, float]]:
    """Bounding boxes ``(lat_min, lat_max, lon_min, lon_max)`` enclosing a spherical cap,
    split at the antimeridian; a cap containing a pole spans all longitudes."""
    ang = radius_km / EARTH_RADIUS_KM
    pad = 1e-9
    if ang >= math.pi:
        return [(-90.0, 90.0, -180.0, 180.0)]
    dlat = math.degrees(ang) + pad
    la0, la1 = lat - dlat, lat + dlat
    if la1 >= 90.0 or la0 <= -90.0:
        return [(max(la0, -90.0), min(la1, 90.0), -180.0, 180.0)]
    s = math.sin(ang) / math.cos(math.radians(lat))
    if s >= 1.0:
        return [(la0, la1, -180.0, 180.0)]
    dlon = math.degrees(math.asin(s)) + pad
    return _lon_boxes(la0, la1, lon - dlon, lon + dlon)


def _lon_boxes(la0, la1, lo0, lo1):
    if lo1 - lo0 >= 360.0:
        return [(la0, la1, -180.0, 180.0)]
    lo0 = (lo0 + 180.0) % 360.0 - 180.0
    lo1 = (lo1 + 180.0) % 360.0 - 180.0
    if lo0 <= lo1:
        return [(la0, la1, lo0, lo1)]
    return [(la0, la1, lo0, 180.0), (la0, la1, -180.0, lo1)]


class Register:
    """A licence register (SQLite file by default).

    Open with :meth:`open`; use as a context manager or call :meth:`close`.

    Parameters
    ----------
    backend : RegisterBackend
    user : str, optional
        Who is acting, recorded in the audit log (default ``$SPECTRUM_USER`` or the login name);
        every mutating method also takes ``user=``.
    allocations : AllocationTable or False, optional
        The national allocation table assignments are checked against (default: the shipped
        sample table); ``False`` disables the check (e.g. a register of another administration).
    """

    def __init__(self, backend: RegisterBackend, *, user: str | None = None,
                 allocations: AllocationTable | bool | None = None):
        self.backend = backend
        self.user = user or _default_user()
        if allocations is None or allocations is True:
            allocations = default_allocation_table()
        self.allocations = allocations or None

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def open(cls, path: str | os.PathLike = ":memory:", *, user: str | None = None, create: bool = True,
             timeout_s: float = 30.0, allocations: AllocationTable | bool | None = None) -> "Register":
        """Open (creating if missing, unless ``create=False``) a register.

        Parameters
        ----------
        path : str or path-like
            SQLite file, ``sqlite:///file`` or ``":memory:"``.
        timeout_s : float
            How long a write waits for another process's transaction. [s]

        Raises
        ------
        ValueError (CorruptRegisterError)
            The file is not an SQLite database, not a Spectrum register, damaged, or of a newer schema.
        FileNotFoundError
            ``create=False`` and the file does not exist.
        """
        s = str(path)
        if "://" in s and not s.startswith("sqlite:///"):
            raise RegisterError(f"register URL {s!r}: only SQLite files are supported by this installation")
        return cls(SQLiteBackend.open(path, timeout_s=timeout_s, create=create), user=user, allocations=allocations)

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> "Register":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Register {self.backend.url}>"

    @property
    def connection(self):
        """The backend's DB connection (raw SQL cannot bypass the schema's guards)."""
        return self.backend.connection

    @property
    def schema_version(self) -> int:
        return self.backend.schema_version()

    def integrity_check(self) -> list[str]:
        """Problems found by the storage's consistency check and the audit hash chain (empty when sound)."""
        return self.backend.integrity_check() + self.verify_audit()["problems"]

    def backup(self, path: str | os.PathLike, *, user: str | None = None) -> str:
        """Write a consistent copy of the register to a new file while others may keep writing.

        Uses the backend's online backup (SQLite backup API) into a temporary file beside
        ``path``, then renames it; ``path`` must not exist. The backup is recorded in the audit
        log. Returns the path.
        """
        who = self._who(user)
        target = Path(os.path.expanduser(os.fspath(path)))
        if target.exists():
            raise RegisterError(f"backup target {target} exists; give a new file name")
        from ..io import atomic_path

        with atomic_path(target, suffix=".sqlite") as tmp:
            self.backend.backup_to(str(tmp))
        with self.backend.write():
            self._audit(who, "backup", "register", str(target))
        return str(target)

    # ------------------------------------------------------------------ helpers
    def _x(self, sql: str, params: Sequence[Any] = ()):
        return self.backend.execute(sql, params)

    def _one(self, sql: str, params: Sequence[Any] = ()):
        return self._x(sql, params).fetchone()

    def _audit(self, user: str, action: str, entity: str, key, before=None, after=None, reason=None) -> None:
        content = (utc_now(), user, action, entity, None if key is None else str(key),
                   None if before is None else _dumps(before), None if after is None else _dumps(after), reason)
        prev = self._one("SELECT row_hash FROM audit ORDER BY id DESC LIMIT 1")
        prev_hash = prev[0] if prev else None
        self._x("INSERT INTO audit (at_utc, who, action, entity, entity_key, before_json, after_json, reason, "
                "prev_hash, row_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*content, prev_hash, audit_row_hash(prev_hash, content)))

    def verify_audit(self) -> dict:
        """Check the audit log's hash chain (tamper evidence beyond the database triggers).

        Returns
        -------
        dict
            ``ok`` (bool), ``rows``, ``chained`` (rows carrying a hash), ``head`` (hash of the last
            row: keep it elsewhere to detect a truncated tail later) and ``problems`` (row ids and
            what is wrong: content changed, row removed or inserted, chain broken).
        """
        problems, prev_hash, prev_id, n, chained = [], None, None, 0, 0
        for row in self._x("SELECT id, at_utc, who, action, entity, entity_key, before_json, after_json, reason, "
                           "prev_hash, row_hash FROM audit ORDER BY id"):
            n += 1
            rid, content, p_hash, r_hash = row[0], row[1:9], row[9], row[10]
            if r_hash is None:
                if chained:
                    problems.append(f"audit row {rid}: hash missing after the chain began")
                continue
            chained += 1
            if chained > 1 and prev_id is not None and rid != prev_id + 1:
                problems.append(f"audit rows {prev_id + 1}..{rid - 1} are missing")
            if chained > 1 and p_hash != prev_hash:
                problems.append(f"audit row {rid}: previous-hash link broken (row before it removed or changed)")
            if audit_row_hash(p_hash, content) != r_hash:
                problems.append(f"audit row {rid}: content does not match its hash (changed)")
            prev_hash, prev_id = r_hash, rid
        return {"ok": not problems, "rows": n, "chained": chained, "head": prev_hash, "problems": problems}

    def _who(self, user: str | None) -> str:
        return _text("user", user if user is not None else self.user, max_len=200)

    def _licence_row(self, number: str):
        row = self._one(f"SELECT {_LICENCE_COLS} FROM licence l JOIN licensee e ON e.id = l.licensee_id "
                        "WHERE l.number = ?", (number,))
        if row is None:
            raise NotFoundError(f"licence {number!r} is not in the register")
        return row

    @staticmethod
    def _licence_dict(row) -> dict:
        keys = ("id", "number", "licensee", "service", "status", "valid_from", "valid_to", "remarks",
                "created_utc", "updated_utc")
        return dict(zip(keys, row))

    def _station_dict(self, station_id: int) -> dict:
        row = self._one(f"SELECT {', '.join(_STATION_COLS)} FROM station WHERE id = ?", (int(station_id),))
        if row is None:
            raise NotFoundError(f"station {station_id} is not in the register")
        return dict(zip(_STATION_COLS, row))

    def _assignment_dict(self, assignment_id: int) -> dict:
        row = self._one(f"SELECT {', '.join(_ASSIGNMENT_COLS)} FROM assignment WHERE id = ?", (int(assignment_id),))
        if row is None:
            raise NotFoundError(f"assignment {assignment_id} is not in the register")
        return dict(zip(_ASSIGNMENT_COLS, row))

    def _licence_of_station(self, station_id: int):
        row = self._one("SELECT l.number, l.status, l.service FROM station s JOIN licence l ON l.id = s.licence_id "
                        "WHERE s.id = ?", (int(station_id),))
        if row is None:
            raise NotFoundError(f"station {station_id} is not in the register")
        return row

    @staticmethod
    def _require_open(number: str, status: str, what: str) -> None:
        if status in TERMINAL_STATUSES:
            raise RegisterError(f"licence {number} is {status}: its records are closed, cannot {what}")

    def check_allocation(self, f_mhz: float, bw_khz: float, service: str):
        """Check an assignment against the allocation table; return the
        :class:`~spectrum.allocation.AllocationCheck` (None when checking is disabled)."""
        if self.allocations is None:
            return None
        return self.allocations.check(f_mhz, bw_khz, service)

    def _enforce_allocation(self, f_mhz, bw_khz, service) -> None:
        chk = self.check_allocation(f_mhz, bw_khz, service)
        if chk is not None and not chk.ok:
            raise AllocationRefusedError(f"assignment refused: {chk.reason}")

    def _pattern_gain(self, name: str) -> float:
        row = self._one("SELECT g_max_dbi FROM antenna_pattern WHERE name = ?", (name,))
        if row is None:
            raise NotFoundError(f"antenna pattern {name!r} is not in the register")
        return float(row[0])

    def _mask_kind(self, name: str) -> str:
        row = self._one("SELECT kind FROM spectrum_mask WHERE name = ?", (name,))
        if row is None:
            raise NotFoundError(f"spectrum mask {name!r} is not in the register")
        return row[0]

    # ------------------------------------------------------------------ licensees & licences
    def _licensee_id(self, name: str, user: str, create: bool = True, **details) -> int:
        row = self._one("SELECT id FROM licensee WHERE name = ?", (name,))
        if row:
            return int(row[0])
        if not create:
            raise NotFoundError(f"licensee {name!r} is not in the register")
        rec = {"name": name, **{k: _text(k, v, allow_none=True) for k, v in details.items()}}
        cur = self._x("INSERT INTO licensee (name, address, country, contact, created_utc) VALUES (?, ?, ?, ?, ?)",
                      (name, rec.get("address"), rec.get("country"), rec.get("contact"), utc_now()))
        self._audit(user, "create", "licensee", name, after=rec)
        return int(cur.lastrowid)

    def add_licensee(self, name: str, *, address: str | None = None, country: str | None = None,
                     contact: str | None = None, user: str | None = None) -> int:
        """Add a licensee (holder of licences); returns its id. ValueError if the name exists."""
        who = self._who(user)
        name = _text("licensee", name)
        with self.backend.write():
            if self._one("SELECT 1 FROM licensee WHERE name = ?", (name,)):
                raise RegisterError(f"licensee {name!r} already exists")
            return self._licensee_id(name, who, address=address, country=country, contact=contact)

    def licensees(self) -> list[dict]:
        cols = ("id", "name", "address", "country", "contact", "created_utc")
        return [dict(zip(cols, r)) for r in self._x(f"SELECT {', '.join(cols)} FROM licensee ORDER BY name")]

    def add_licence(self, number: str, licensee: str, service: str, *, valid_from=None, valid_to=None,
                    status: str = "application", remarks: str | None = None, reason: str | None = None,
                    user: str | None = None) -> int:
        """Add a licence (its licensee is created if new); returns its id.

        Parameters
        ----------
        number : str
            Unique licence number.
        service : str
            Radiocommunication service (see :data:`spectrum.allocation.SERVICES`).
        status : {"application", "granted"}
            A new licence starts as an application; ``"granted"`` records an existing licence
            directly (the history says so).
        valid_from, valid_to : str or date, optional
            Validity period, ``YYYY-MM-DD``.
        """
        who = self._who(user)
        if status not in ("application", "granted"):
            raise IllegalTransitionError(f"a new licence starts as 'application' (or 'granted' for an existing "
                                         f"licence), not {status!r}")
        d = check_licence_fields(number, licensee, service, status, valid_from, valid_to, remarks)
        with self.backend.write():
            if self._one("SELECT 1 FROM licence WHERE number = ?", (d["number"],)):
                raise RegisterError(f"licence number {d['number']!r} already exists (licence numbers are unique)")
            lid = self._licensee_id(d["licensee"], who)
            now = utc_now()
            cur = self._x("INSERT INTO licence (number, licensee_id, service, status, valid_from, valid_to, remarks, "
                          "created_utc, updated_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          (d["number"], lid, d["service"], d["status"], d["valid_from"], d["valid_to"],
                           d["remarks"], now, now))
            self._x("INSERT INTO licence_history (licence_id, from_status, to_status, by_user, at_utc, reason) "
                    "VALUES (?, NULL, ?, ?, ?, ?)",
                    (cur.lastrowid, d["status"], who, now, reason or f"licence created as {d['status']}"))
            self._audit(who, "create", "licence", d["number"], after=d, reason=reason)
            return int(cur.lastrowid)

    def transition(self, number: str, status: str, *, reason: str, user: str | None = None,
                   valid_to=None) -> dict:
        """Move a licence to a new status (lifecycle below), recording who, when and why.

        ``application -> granted | refused | withdrawn``; ``granted -> suspended | expired |
        revoked``; ``suspended -> granted | expired | revoked``. Expired, revoked, refused and
        withdrawn are final.

        Parameters
        ----------
        reason : str
            Why (required, non-empty).
        valid_to : str or date, optional
            New end of validity, e.g. when granting.

        Returns
        -------
        dict
            The licence after the change.

        Raises
        ------
        IllegalTransitionError
            If the lifecycle does not allow the change.
        """
        who = self._who(user)
        status = _choice("status", status, STATUSES)
        why = _text("reason", reason, max_len=4000)
        new_to = check_date("valid_to", valid_to)
        with self.backend.write():
            before = self._licence_dict(self._licence_row(str(number).strip()))
            old = before["status"]
            if status not in TRANSITIONS[old]:
                allowed = ", ".join(TRANSITIONS[old]) or "none: the status is final"
                raise IllegalTransitionError(f"licence {before['number']}: illegal transition {old} -> {status} "
                                             f"(allowed from {old}: {allowed})")
            if new_to and before["valid_from"] and new_to < before["valid_from"]:
                raise RegisterError(f"valid_to = {new_to} is before valid_from = {before['valid_from']}")
            if status == "granted":
                end = new_to or before["valid_to"]
                today = _dt.date.today().isoformat()
                if end and end < today:
                    raise RegisterError(f"licence {before['number']}: cannot grant, validity ended on {end}")
            now = utc_now()
            self._x("UPDATE licence SET status = ?, updated_utc = ?, valid_to = COALESCE(?, valid_to) WHERE id = ?",
                    (status, now, new_to, before["id"]))
            self._x("INSERT INTO licence_history (licence_id, from_status, to_status, by_user, at_utc, reason) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (before["id"], old, status, who, now, why))
            after = self._licence_dict(self._licence_row(before["number"]))
            self._audit(who, f"transition:{old}->{status}", "licence", before["number"], before, after, why)
            return after

    def update_licence(self, number: str, *, reason: str, user: str | None = None, valid_from=None,
                       valid_to=None, remarks: str | None = None, licensee: str | None = None) -> dict:
        """Renew (new validity dates), annotate or transfer a licence to another licensee.

        Only the given fields change; the service and the number never do (a different service
        is a new licence). Audited with before/after and the reason; closed licences are frozen.
        """
        who = self._who(user)
        why = _text("reason", reason, max_len=4000)
        new_from = check_date("valid_from", valid_from)
        new_to = check_date("valid_to", valid_to)
        new_rem = _text("remarks", remarks, allow_none=True, max_len=4000)
        new_holder = _text("licensee", licensee, allow_none=True)
        if not any(v is not None for v in (new_from, new_to, new_rem, new_holder)):
            raise RegisterError("update_licence needs at least one of valid_from, valid_to, remarks, licensee")
        with self.backend.write():
            before = self._licence_dict(self._licence_row(str(number).strip()))
            self._require_open(before["number"], before["status"], "change the licence")
            vf = new_from or before["valid_from"]
            vt = new_to or before["valid_to"]
            if vf and vt and vt < vf:
                raise RegisterError(f"valid_to = {vt} is before valid_from = {vf}")
            lid = self._licensee_id(new_holder, who) if new_holder else None
            self._x("UPDATE licence SET valid_from = ?, valid_to = ?, remarks = COALESCE(?, remarks), "
                    "licensee_id = COALESCE(?, licensee_id), updated_utc = ? WHERE id = ?",
                    (vf, vt, new_rem, lid, utc_now(), before["id"]))
            after = self._licence_dict(self._licence_row(before["number"]))
            self._audit(who, "update", "licence", before["number"], before, after, why)
            return after

    def expire_due(self, today=None, *, user: str | None = None) -> list[str]:
        """Move granted/suspended licences whose ``valid_to`` is before ``today`` to expired."""
        day = check_date("today", today) or _dt.date.today().isoformat()
        due = [r[0] for r in self._x("SELECT number FROM licence WHERE status IN ('granted', 'suspended') "
                                     "AND valid_to IS NOT NULL AND valid_to < ? ORDER BY number", (day,))]
        with self.backend.write():
            for n in due:
                self.transition(n, "expired", reason=f"validity ended before {day}", user=user)
        return due

    def licence(self, number: str) -> dict:
        """A licence with its history, stations and their assignments (nested dicts)."""
        with self.backend.read():
            d = self._licence_dict(self._licence_row(str(number).strip()))
            d["history"] = self.history(d["number"])
            d["stations"] = []
            for (sid,) in self._x("SELECT id FROM station WHERE licence_id = ? ORDER BY id", (d["id"],)).fetchall():
                st = self._station_dict(sid)
                st["assignments"] = [dict(zip(_ASSIGNMENT_COLS, r)) for r in self._x(
                    f"SELECT {', '.join(_ASSIGNMENT_COLS)} FROM assignment WHERE station_id = ? ORDER BY id", (sid,))]
                d["stations"].append(st)
        return d

    def licences(self, *, status=None, service=None, licensee: str | None = None) -> list[dict]:
        """Licences (without stations), filtered by status / service / licensee name."""
        where, params = ["1"], []
        for col, val in (("l.status", status), ("l.service", service)):
            if val is not None:
                vals = [val] if isinstance(val, str) else list(val)
                where.append(f"{col} IN ({', '.join('?' * len(vals))})")
                params += vals
        if licensee is not None:
            where.append("e.name = ?")
            params.append(licensee)
        rows = self._x(f"SELECT {_LICENCE_COLS}, (SELECT COUNT(*) FROM station s WHERE s.licence_id = l.id) "
                       f"FROM licence l JOIN licensee e ON e.id = l.licensee_id WHERE {' AND '.join(where)} "
                       "ORDER BY l.number", params).fetchall()
        out = []
        for r in rows:
            d = self._licence_dict(r[:-1])
            d["n_stations"] = r[-1]
            out.append(d)
        return out

    def history(self, number: str) -> list[dict]:
        """Status history of a licence: from_status, to_status, by, at_utc, reason."""
        lid = self._licence_row(str(number).strip())[0]
        cols = ("from_status", "to_status", "by", "at_utc", "reason")
        return [dict(zip(cols, r)) for r in self._x(
            "SELECT from_status, to_status, by_user, at_utc, reason FROM licence_history WHERE licence_id = ? "
            "ORDER BY id", (lid,))]

    # ------------------------------------------------------------------ patterns & masks
    def add_antenna_pattern(self, name: str, kind: str, *, g_max_dbi: float | None = None,
                            params: dict | None = None, h_az_deg=None, h_gain_db=None, v_el_deg=None,
                            v_gain_db=None, user: str | None = None) -> int:
        """Add a named antenna pattern.

        Parameters
        ----------
        kind : {"omni", "F.699", "F.1245", "F.1336", "table"}
            Reference patterns of Rec. ITU-R F.699-8 / F.1245-3 (point-to-point dishes) and
            F.1336-5 (sectoral / omni base-station antennas), or a measured ``table``.
        g_max_dbi : float
            Maximum gain. [dBi]
        params : dict
            Model parameters, e.g. ``{"d_lambda": 65}`` (F.699/F.1245), ``{"phi3_deg": 65, "k": 0.7}``
            (F.1336).
        h_az_deg, h_gain_db, v_el_deg, v_gain_db : sequences, optional
            Horizontal / vertical cuts, gain relative to the maximum (<= 0 dB).
        """
        who = self._who(user)
        d = check_pattern_fields(name, kind, g_max_dbi, params, h_az_deg, h_gain_db, v_el_deg, v_gain_db)
        with self.backend.write():
            if self._one("SELECT 1 FROM antenna_pattern WHERE name = ?", (d["name"],)):
                raise RegisterError(f"antenna pattern {d['name']!r} already exists")
            cur = self._x("INSERT INTO antenna_pattern (name, kind, g_max_dbi, params_json, h_az_json, h_gain_json, "
                          "v_el_json, v_gain_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          (d["name"], d["kind"], d["g_max_dbi"], _dumps(d["params"]),
                           *(None if d[k] is None else _dumps(d[k])
                             for k in ("h_az_deg", "h_gain_db", "v_el_deg", "v_gain_db"))))
            self._audit(who, "create", "antenna_pattern", d["name"], after=d)
            return int(cur.lastrowid)

    def antenna_pattern(self, name: str) -> dict:
        """A named pattern: {name, kind, params, g_max_dbi, h_az_deg, h_gain_db, v_el_deg, v_gain_db}."""
        row = self._one("SELECT name, kind, g_max_dbi, params_json, h_az_json, h_gain_json, v_el_json, v_gain_json "
                        "FROM antenna_pattern WHERE name = ?", (name,))
        if row is None:
            raise NotFoundError(f"antenna pattern {name!r} is not in the register")
        ld = [None if v is None else json.loads(v) for v in row[3:]]
        return {"name": row[0], "kind": row[1], "g_max_dbi": row[2], "params": ld[0], "h_az_deg": ld[1],
                "h_gain_db": ld[2], "v_el_deg": ld[3], "v_gain_db": ld[4]}

    def antenna_patterns(self) -> list[dict]:
        return [self.antenna_pattern(n) for (n,) in self._x("SELECT name FROM antenna_pattern ORDER BY name")]

    def add_spectrum_mask(self, name: str, kind: str, offset_khz, attenuation_db, *, user: str | None = None) -> int:
        """Add a named Tx emission mask (``kind="tx"``) or Rx selectivity (``"rx"``): attenuation
        [dB] relative to the in-band level at offsets [kHz] from the centre frequency, piecewise
        linear, symmetric (used for the frequency-dependent rejection of Rec. ITU-R SM.337-6)."""
        who = self._who(user)
        d = check_mask_fields(name, kind, offset_khz, attenuation_db)
        with self.backend.write():
            if self._one("SELECT 1 FROM spectrum_mask WHERE name = ?", (d["name"],)):
                raise RegisterError(f"spectrum mask {d['name']!r} already exists")
            cur = self._x("INSERT INTO spectrum_mask (name, kind, offset_khz_json, attenuation_db_json) "
                          "VALUES (?, ?, ?, ?)", (d["name"], d["kind"], _dumps(d["offset_khz"]),
                                                  _dumps(d["attenuation_db"])))
            self._audit(who, "create", "spectrum_mask", d["name"], after=d)
            return int(cur.lastrowid)

    def spectrum_mask(self, name: str) -> dict:
        """A named mask: {name, kind ("tx"|"rx"), offset_khz (list), attenuation_db (list)}."""
        row = self._one("SELECT name, kind, offset_khz_json, attenuation_db_json FROM spectrum_mask WHERE name = ?",
                        (name,))
        if row is None:
            raise NotFoundError(f"spectrum mask {name!r} is not in the register")
        return {"name": row[0], "kind": row[1], "offset_khz": json.loads(row[2]),
                "attenuation_db": json.loads(row[3])}

    def spectrum_masks(self) -> list[dict]:
        return [self.spectrum_mask(n) for (n,) in self._x("SELECT name FROM spectrum_mask ORDER BY name")]

    # ------------------------------------------------------------------ stations & assignments
    def _check_station_refs(self, st: dict) -> dict:
        if st["antenna_pattern"] is not None:
            g = self._pattern_gain(st["antenna_pattern"])
            if st["g_dbi"] is None:
                st["g_dbi"] = g
        if st["g_dbi"] is None:
            raise RegisterError("g_dbi (maximum antenna gain) is required when no antenna_pattern is given")
        return st

    def _check_assignment_refs(self, a: dict) -> None:
        for key, kind in (("tx_mask", "tx"), ("rx_selectivity", "rx")):
            if a[key] is not None:
                k = self._mask_kind(a[key])
                if k != kind:
                    raise RegisterError(f"{key} {a[key]!r} is a {k} mask; a {kind} mask is needed")

    def add_station(self, licence_number: str, *, name: str, role: str, lat: float, lon: float, h_agl_m: float,
                    g_dbi: float | None = None, antenna_pattern: str | None = None, azimuth_deg: float = 0.0,
                    tilt_deg: float = 0.0, polarisation: str = "v", feeder_loss_db: float = 0.0,
                    assignments: Iterable[dict] = (), user: str | None = None,
                    indoor: bool | None = None, building_type: str | None = None,
                    clutter_class: str | None = None) -> int:
        """Add a station (and optionally its assignments) to a licence; returns the station id.

        Parameters
        ----------
        role : {"tx", "rx"}
        lat, lon : float
            WGS84 position. [deg] (lon in [-180, 360), stored in [-180, 180))
        h_agl_m : float
            Antenna height above ground, 0-1000 m. [m]
        g_dbi : float, optional
            Maximum antenna gain (default: the pattern's). [dBi]
        antenna_pattern : str, optional
            Name of a pattern in the register.
        azimuth_deg, tilt_deg : float
            Boresight azimuth (0 = north, clockwise) and tilt (positive = up). [deg]
        polarisation : {"h", "v"}
        feeder_loss_db : float
            Feeder/cable loss between equipment and antenna. [dB]
        assignments : iterable of dict
            Keyword arguments of :meth:`add_assignment` (without station id).
        indoor, building_type, clutter_class : optional
            Surroundings used by the request evaluation: an indoor antenna ("traditional" or
            "thermally efficient" building, Rec. ITU-R P.2109) and the P.2108 clutter class.
        """
        who = self._who(user)
        st = check_station_fields(name=name, role=role, lat=lat, lon=lon, h_agl_m=h_agl_m, g_dbi=g_dbi,
                                  antenna_pattern=antenna_pattern, azimuth_deg=azimuth_deg, tilt_deg=tilt_deg,
                                  polarisation=polarisation, feeder_loss_db=feeder_loss_db, indoor=indoor,
                                  building_type=building_type, clutter_class=clutter_class)
        with self.backend.write():
            row = self._licence_row(str(licence_number).strip())
            lic = self._licence_dict(row)
            self._require_open(lic["number"], lic["status"], "add a station")
            self._check_station_refs(st)
            cols = [c for c in _STATION_COLS if c not in ("id", "licence_id")]
            cur = self._x(f"INSERT INTO station (licence_id, {', '.join(cols)}) VALUES (?{', ?' * len(cols)})",
                          (lic["id"], *(st[c] for c in cols)))
            sid = int(cur.lastrowid)
            self._audit(who, "create", "station", sid, after={"licence": lic["number"], **st})
            for a in assignments:
                self.add_assignment(sid, user=who, **a)
            return sid

    def add_assignment(self, station_id: int, *, f_mhz: float, bw_khz: float | None = None,
                       emission: str | None = None, eirp_dbw: float | None = None, tx_mask: str | None = None,
                       rx_selectivity: str | None = None, noise_figure_db: float | None = None,
                       protection: str | None = None, protection_db: float | None = None,
                       user: str | None = None, criterion: str | None = None,
                       criterion_db: float | None = None) -> int:
        """Add a frequency assignment to a station; returns its id.

        Parameters
        ----------
        f_mhz : float
            Centre frequency. [MHz]
        bw_khz : float, optional
            Assigned bandwidth (default: the necessary bandwidth of ``emission``). [kHz]
        emission : str, optional
            ITU emission designator (RR Appendix 1), e.g. ``"16K0F3E"``.
        eirp_dbw : float
            EIRP (transmitters only). [dBW]
        tx_mask, rx_selectivity : str, optional
            Names of spectrum masks (kind tx / rx).
        noise_figure_db : float, optional
            Receiver noise figure. [dB]
        protection : {"I/N", "C/I"}, optional
            Protection criterion with its threshold ``protection_db``. [dB]
        criterion : {"I/N", "C/I", "C/(N+I)", "(N+I)/N"}, optional
            Any SM.2028 criterion with its threshold ``criterion_db``; takes precedence over
            ``protection`` in the request evaluation. [dB]

        Raises
        ------
        AllocationRefusedError
            The occupied band ``[f - bw/2, f + bw/2]`` is outside the allocations to the
            licence's service; the message gives the reason.
        """
        who = self._who(user)
        with self.backend.write():
            st = self._station_dict(station_id)
            number, status, service = self._licence_of_station(station_id)
            self._require_open(number, status, "add an assignment")
            a = check_assignment_fields(role=st["role"], f_mhz=f_mhz, bw_khz=bw_khz, emission=emission,
                                        eirp_dbw=eirp_dbw, tx_mask=tx_mask, rx_selectivity=rx_selectivity,
                                        noise_figure_db=noise_figure_db, protection=protection,
                                        protection_db=protection_db, criterion=criterion,
                                        criterion_db=criterion_db)
            self._check_assignment_refs(a)
            self._enforce_allocation(a["f_mhz"], a["bw_khz"], service)
            cols = [c for c in _ASSIGNMENT_COLS if c not in ("id", "station_id")]
            cur = self._x(f"INSERT INTO assignment (station_id, {', '.join(cols)}) VALUES (?{', ?' * len(cols)})",
                          (int(station_id), *(a[c] for c in cols)))
            aid = int(cur.lastrowid)
            self._audit(who, "create", "assignment", aid, after={"licence": number, "station_id": int(station_id), **a})
            return aid

    def update_station(self, station_id: int, *, reason: str, user: str | None = None, **changes) -> dict:
        """Change station fields (e.g. ``h_agl_m=45``); audited with before/after and the reason."""
        who = self._who(user)
        why = _text("reason", reason, max_len=4000)
        unknown = set(changes) - (set(_STATION_COLS) - {"id", "licence_id"})
        if unknown:
            raise RegisterError(f"cannot change station field(s) {', '.join(sorted(unknown))}")
        with self.backend.write():
            before = self._station_dict(station_id)
            number, status, service = self._licence_of_station(station_id)
            self._require_open(number, status, "change a station")
            merged = {k: v for k, v in before.items() if k not in ("id", "licence_id")}
            merged.update(changes)
            st = self._check_station_refs(check_station_fields(**merged))
            if st["role"] != before["role"] and self._one("SELECT 1 FROM assignment WHERE station_id = ?",
                                                          (int(station_id),)):
                raise RegisterError(f"station {station_id} has assignments: its role cannot change")
            cols = list(st)
            self._x(f"UPDATE station SET {', '.join(c + ' = ?' for c in cols)} WHERE id = ?",
                    (*(st[c] for c in cols), int(station_id)))
            after = self._station_dict(station_id)
            self._audit(who, "update", "station", station_id, {"licence": number, **before},
                        {"licence": number, **after}, why)
            return after

    def update_assignment(self, assignment_id: int, *, reason: str, user: str | None = None, **changes) -> dict:
        """Change assignment fields; re-validated (allocation included) and audited."""
        who = self._who(user)
        why = _text("reason", reason, max_len=4000)
        unknown = set(changes) - (set(_ASSIGNMENT_COLS) - {"id", "station_id"})
        if unknown:
            raise RegisterError(f"cannot change assignment field(s) {', '.join(sorted(unknown))}")
        with self.backend.write():
            before = self._assignment_dict(assignment_id)
            st = self._station_dict(before["station_id"])
            number, status, service = self._licence_of_station(before["station_id"])
            self._require_open(number, status, "change an assignment")
            merged = {k: v for k, v in before.items() if k not in ("id", "station_id")}
            if "emission" in changes and "bw_khz" not in changes:
                merged["bw_khz"] = None
            merged.update(changes)
            a = check_assignment_fields(role=st["role"], **merged)
            self._check_assignment_refs(a)
            self._enforce_allocation(a["f_mhz"], a["bw_khz"], service)
            self._x(f"UPDATE assignment SET {', '.join(c + ' = ?' for c in a)} WHERE id = ?",
                    (*a.values(), int(assignment_id)))
            after = self._assignment_dict(assignment_id)
            self._audit(who, "update", "assignment", assignment_id, {"licence": number, **before},
                        {"licence": number, **after}, why)
            return after

    def remove_assignment(self, assignment_id: int, *, reason: str, user: str | None = None) -> None:
        """Remove an assignment from a licence that is not closed; the audit keeps the record."""
        who = self._who(user)
        why = _text("reason", reason, max_len=4000)
        with self.backend.write():
            before = self._assignment_dict(assignment_id)
            number, status, _ = self._licence_of_station(before["station_id"])
            self._require_open(number, status, "remove an assignment")
            self._x("DELETE FROM assignment WHERE id = ?", (int(assignment_id),))
            self._audit(who, "delete", "assignment", assignment_id, before={"licence": number, **before}, reason=why)

    # ------------------------------------------------------------------ queries
    def _filters(self, lat, lon, radius_km, bbox, f_min_mhz, f_max_mhz, service, status, role):
        boxes = None
        if (lat is None) != (lon is None) or ((lat is None) != (radius_km is None)):
            raise RegisterError("a radius query needs lat, lon and radius_km together")
        if lat is not None:
            lat = _num("lat", lat, -90.0, 90.0, "deg")
            lon = _num("lon", lon, -180.0, 360.0, "deg", hi_open=True)
            lon = lon - 360.0 if lon >= 180.0 else lon
            radius_km = _num("radius_km", radius_km, 0.0, 20040.0, "km")
            boxes = radius_boxes(lat, lon, radius_km)
        if bbox is not None:
            try:
                la0, la1, lo0, lo1 = (float(v) for v in bbox)
            except (TypeError, ValueError):
                raise RegisterError(f"bbox = {bbox!r} must be (lat_min, lat_max, lon_min, lon_max)") from None
            la0 = _num("bbox lat_min", la0, -90.0, 90.0, "deg")
            la1 = _num("bbox lat_max", la1, -90.0, 90.0, "deg")
            lo0 = _num("bbox lon_min", lo0, -180.0, 360.0, "deg")
            lo1 = _num("bbox lon_max", lo1, -180.0, 360.0, "deg")
            if la1 < la0:
                raise RegisterError(f"bbox lat_max = {la1:g} is below lat_min = {la0:g}")
            span = (lo1 - lo0) % 360.0 if lo1 != lo0 + 360.0 else 360.0
            bb = _lon_boxes(la0, la1, lo0, lo0 + span)
            if boxes is None:
                boxes = bb
            else:  # intersect: keep the radius boxes; the bbox is applied exactly afterwards
                pass
            bbox = (la0, la1, lo0, lo0 + span)
        fmin = _num("f_min_mhz", f_min_mhz, 0.0, None, "MHz", allow_none=True)
        fmax = _num("f_max_mhz", f_max_mhz, 0.0, None, "MHz", allow_none=True)
        if fmin is not None and fmax is not None and fmax < fmin:
            raise RegisterError(f"f_max_mhz = {fmax:g} is below f_min_mhz = {fmin:g}")
        src, where, params = self.backend.prefilter_sql(boxes, fmin, fmax)
        cond = [where]
        if status is not None:
            sts = [status] if isinstance(status, str) else list(status)
            if not sts:
                raise RegisterError("status = () names no status: give one or more, or None for all")
            for s in sts:
                _choice("status", s, STATUSES)
            cond.append(f"l.status IN ({', '.join('?' * len(sts))})")
            params += sts
        if service is not None:
            svcs = [service] if isinstance(service, str) else list(service)
            if not svcs or not all(isinstance(v, str) for v in svcs):
                raise RegisterError(f"service = {service!r} must be a service name or a list of them")
            cond.append(f"l.service IN ({', '.join('?' * len(svcs))})")
            params += [s.strip().lower().replace("-", "_").replace(" ", "_") for s in svcs]
        if role is not None:
            cond.append("s.role = ?")
            params.append(_choice("role", role, ("tx", "rx")))
        sql = _QUERY_SQL.format(src=src, where=" AND ".join(cond))
        return sql, params, (lat, lon, radius_km), bbox, fmin, fmax

    _I_LAT, _I_LON, _I_F, _I_BW = (ASSIGNMENT_FIELDS.index(k) for k in ("lat", "lon", "f_mhz", "bw_khz"))

    def _select_rows(self, *filters) -> list[tuple]:
        """Rows (in ASSIGNMENT_FIELDS order) from the indexed prefilter, refined exactly."""
        sql, params, circle, bbox, fmin, fmax = self._filters(*filters)
        rows = self._x(sql, params).fetchall()
        if not rows:
            return rows
        lat = np.array([r[self._I_LAT] for r in rows], dtype=np.float64)
        lon = np.array([r[self._I_LON] for r in rows], dtype=np.float64)
        f = np.array([r[self._I_F] for r in rows], dtype=np.float64)
        half = np.array([r[self._I_BW] for r in rows], dtype=np.float64) / 2000.0
        keep = np.ones(len(rows), dtype=bool)
        if fmin is not None:
            keep &= f + half >= fmin
        if fmax is not None:
            keep &= f - half <= fmax
        clat, clon, r = circle
        if clat is not None:
            keep &= gc_distance_km(clat, clon, lat, lon) <= r
        if bbox is not None:
            la0, la1, lo0, lo1 = bbox
            keep &= (lat >= la0) & (lat <= la1)
            keep &= ((lon - lo0) % 360.0) <= (lo1 - lo0)
        if keep.all():
            return rows
        return [rows[i] for i in np.flatnonzero(keep)]

    @staticmethod
    def _columns(rows: list[tuple]) -> dict:
        n = len(rows)
        grid = np.empty((n, len(ASSIGNMENT_FIELDS)), dtype=object)
        if n:
            grid[:] = rows  # one C-level pass over the row tuples
        arr = {}
        for j, name in enumerate(ASSIGNMENT_FIELDS):
            col = grid[:, j]
            if name in _FLOAT_FIELDS:
                arr[name] = np.array(col.tolist(), dtype=np.float64)  # None -> NaN
            elif name in _INT_FIELDS:
                arr[name] = col.astype(np.int64)
            else:
                arr[name] = col.copy()
        return arr

    def query(self, lat: float | None = None, lon: float | None = None, radius_km: float | None = None,
              bbox: Sequence[float] | None = None, f_min_mhz: float | None = None, f_max_mhz: float | None = None,
              service: str | Sequence[str] | None = None, status: str | Sequence[str] | None = ("granted",),
              role: str | None = None) -> list[AssignmentRow]:
        """Assignments matching all given filters, one row per (station, assignment).

        Parameters
        ----------
        lat, lon, radius_km : float, optional
            Stations within ``radius_km`` great-circle distance of (lat, lon). [deg, km]
        bbox : (lat_min, lat_max, lon_min, lon_max), optional
            Stations inside the box (lon_min > lon_max crosses the antimeridian). [deg]
        f_min_mhz, f_max_mhz : float, optional
            Assignments whose occupied band ``[f - bw/2, f + bw/2]`` overlaps
            ``[f_min_mhz, f_max_mhz]`` (edges touching count). [MHz]
        service : str or sequence, optional
            Licence service(s), exact names.
        status : str, sequence or None
            Licence status(es); default granted only; ``None`` for all.
        role : {"tx", "rx"}, optional

        Notes
        -----
        An R-tree over (lat, lon, frequency) selects candidates; distances and band edges are
        then checked exactly, so a 100 000-station register answers in milliseconds.
        """
        with _gc_paused():
            rows = self._select_rows(lat, lon, radius_km, bbox, f_min_mhz, f_max_mhz, service, status, role)
            make = AssignmentRow._from_row
            return [make(r) for r in rows]

    def query_arrays(self, lat: float | None = None, lon: float | None = None, radius_km: float | None = None,
                     bbox: Sequence[float] | None = None, f_min_mhz: float | None = None,
                     f_max_mhz: float | None = None, service=None, status=("granted",), role=None) -> dict:
        """Same filters as :meth:`query`, returned column-wise as numpy arrays (field names of
        :class:`AssignmentRow`; floats float64 with NaN for missing, ids int64, text object)."""
        with _gc_paused():
            return self._columns(self._select_rows(lat, lon, radius_km, bbox, f_min_mhz, f_max_mhz, service, status,
                                                   role))

    def counts(self) -> dict:
        """Number of licensees, licences (by status), stations, assignments, audit rows, evaluations."""
        c = {t: self._one(f"SELECT COUNT(*) FROM {t}")[0] for t in
             ("licensee", "licence", "station", "assignment", "antenna_pattern", "spectrum_mask", "audit",
              "evaluation")}
        c["by_status"] = dict(self._x("SELECT status, COUNT(*) FROM licence GROUP BY status ORDER BY status"))
        return c

    # ------------------------------------------------------------------ audit
    def audit(self, *, entity: str | None = None, key: str | None = None, licence_number: str | None = None,
              user: str | None = None, since: str | None = None, limit: int | None = None) -> list[dict]:
        """Audit rows, newest last: id, at_utc, who, action, entity, entity_key, before, after, reason.

        ``licence_number`` selects the licence's rows and those of its stations/assignments.
        """
        where, params = ["1"], []
        if entity is not None:
            where.append("entity = ?")
            params.append(entity)
        if key is not None:
            where.append("entity_key = ?")
            params.append(str(key))
        if user is not None:
            where.append("who = ?")
            params.append(user)
        if since is not None:
            where.append("at_utc >= ?")
            params.append(str(since))
        if licence_number is not None:
            after = self.backend.json_field_sql("after_json", "licence")
            before = self.backend.json_field_sql("before_json", "licence")
            where.append(f"((entity = 'licence' AND entity_key = ?) OR "
                         f"(entity IN ('station', 'assignment') AND ({after} = ? OR {before} = ?)))")
            params += [licence_number] * 3
        sql = (f"SELECT id, at_utc, who, action, entity, entity_key, before_json, after_json, reason, row_hash "
               f"FROM audit "
               f"WHERE {' AND '.join(where)} ORDER BY id")
        if limit is not None:
            sql = f"SELECT * FROM ({sql[:-len(' ORDER BY id')]} ORDER BY id DESC LIMIT {int(limit)}) ORDER BY id"
        cols = ("id", "at_utc", "who", "action", "entity", "entity_key", "before", "after", "reason", "hash")
        out = []
        for r in self._x(sql, params):
            d = dict(zip(cols, r))
            for k in ("before", "after"):
                d[k] = None if d[k] is None else json.loads(d[k])
            out.append(d)
        return out

    # ------------------------------------------------------------------ evaluations
    def store_evaluation(self, request: dict, result: dict, decision: str, model_versions: dict, user: str,
                         licence_number: str | None = None) -> int:
        """Store a licence-request evaluation (inputs, model versions, result, decision); immutable.

        Returns
        -------
        int
            The evaluation id.
        """
        who = self._who(user)
        dec = _text("decision", decision, max_len=200)
        for name, obj in (("request", request), ("result", result), ("model_versions", model_versions)):
            if not isinstance(obj, dict):
                raise RegisterError(f"{name} must be a dict, not {type(obj).__name__}")
        try:
            payload = [_dumps(request), _dumps(result), _dumps(model_versions)]
        except (TypeError, ValueError) as exc:
            raise RegisterError(f"evaluation is not JSON-serialisable: {exc}") from None
        num = _text("licence_number", licence_number, allow_none=True, max_len=64)
        with self.backend.write():
            cur = self._x("INSERT INTO evaluation (created_utc, who, licence_number, decision, request_json, "
                          "result_json, model_versions_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          (utc_now(), who, num, dec, *payload))
            eid = int(cur.lastrowid)
            self._audit(who, "create", "evaluation", eid,
                        after={"licence": num, "decision": dec, "model_versions": model_versions})
            return eid

    _EVAL_COLS = ("id", "created_utc", "who", "licence_number", "decision", "request_json", "result_json",
                  "model_versions_json")

    def _eval_dict(self, row) -> dict:
        d = dict(zip(self._EVAL_COLS, row))
        return {"id": d["id"], "created_utc": d["created_utc"], "user": d["who"],
                "licence_number": d["licence_number"], "decision": d["decision"],
                "request": json.loads(d["request_json"]), "result": json.loads(d["result_json"]),
                "model_versions": json.loads(d["model_versions_json"])}

    def evaluation(self, id: int) -> dict:
        """A stored evaluation: id, created_utc, user, licence_number, decision, request, result, model_versions."""
        row = self._one(f"SELECT {', '.join(self._EVAL_COLS)} FROM evaluation WHERE id = ?", (int(id),))
        if row is None:
            raise NotFoundError(f"evaluation {id} is not in the register")
        return self._eval_dict(row)

    def evaluations(self, *, licence_number: str | None = None, decision: str | None = None,
                    user: str | None = None, since: str | None = None, limit: int | None = None) -> list[dict]:
        """Stored evaluations, oldest first, filtered."""
        where, params = ["1"], []
        for col, val in (("licence_number", licence_number), ("decision", decision), ("who", user)):
            if val is not None:
                where.append(f"{col} = ?")
                params.append(val)
        if since is not None:
            where.append("created_utc >= ?")
            params.append(str(since))
        sql = f"SELECT {', '.join(self._EVAL_COLS)} FROM evaluation WHERE {' AND '.join(where)} ORDER BY id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [self._eval_dict(r) for r in self._x(sql, params)]

    # ------------------------------------------------------------------ import / export
    def export_json(self, path=None, *, licences: bool = True) -> dict:
        """Export everything (library, licences with history, stations, assignments) as a JSON
        document; written atomically to ``path`` if given. Lossless: :meth:`import_json` of it
        into an empty register reproduces the same export."""
        from .transfer import export_document

        return export_document(self, path, licences=licences)

    def import_json(self, path_or_doc, *, user: str | None = None, progress: Callable[[int], None] | None = None
                    ) -> dict:
        """Import a JSON document (as written by :meth:`export_json`) in one transaction; a
        document with any bad record imports nothing and raises ImportRowsError listing them all."""
        from .transfer import import_document

        return import_document(self, path_or_doc, user=self._who(user), progress=progress)

    def export_csv(self, path=None) -> str:
        """Export licences/stations/assignments as one CSV table (a row per assignment)."""
        from .transfer import export_csv

        return export_csv(self, path)

    def import_csv(self, path_or_text, *, user: str | None = None, progress: Callable[[int], None] | None = None
                   ) -> dict:
        """Import a CSV table (format of :meth:`export_csv`) in one transaction; any bad row
        imports nothing and raises ImportRowsError listing every bad row (line number, reason).
        Antenna patterns and masks referenced must already be in the register."""
        from .transfer import import_csv

        return import_csv(self, path_or_text, user=self._who(user), progress=progress)


def _locked(fn):
    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        with self.backend.lock:
            try:
                return fn(self, *args, **kwargs)
            except RegisterError:
                raise
            except Exception as exc:
                # a constraint the Python checks did not anticipate: still a clear ValueError
                if self.backend.is_integrity_error(exc):
                    raise RegisterError(f"{fn.__name__} refused by the register: {exc}") from exc
                if self.backend.is_operational_error(exc):
                    raise RegisterError(f"register {self.backend.url}: {fn.__name__} failed: {exc} "
                                        "(nothing was changed)") from exc
                raise
    return wrapper


# One connection shared by threads (e.g. a GUI worker pool): every public call holds the
# backend's re-entrant lock for its whole duration (statements, fetches and transaction).
for _name, _fn in list(vars(Register).items()):
    if not _name.startswith("_") and isinstance(_fn, types.FunctionType) and _name != "close":
        setattr(Register, _name, _locked(_fn))
del _name, _fn
