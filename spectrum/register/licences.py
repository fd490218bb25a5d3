"""Licensees, licences and the licence lifecycle (status transitions with history and audit)."""
from __future__ import annotations

import datetime as _dt

from .backend import IllegalTransitionError, NotFoundError, RegisterError
from .common import _LICENCE_COLS, _ASSIGNMENT_COLS
from .models import STATUSES, TRANSITIONS, _choice, _svc, _text, check_date, check_licence_fields
from .sqlite import utc_now


class LicenceMixin:
    """Licensee and licence methods of :class:`~spectrum.register.Register`."""

    def _licensee_id(self, name: str, user: str, create: bool = True, **details) -> int:
        name = _text("licensee", name, identifier=True)
        row = self._one("SELECT id FROM licensee WHERE name = ?", (name,))
        if row:
            return int(row[0])
        if not create:
            raise NotFoundError(f"licensee {name!r} is not in the register")
        rec = {"name": name, **{k: _text(f"licensee {k}", v, allow_none=True) for k, v in details.items()}}
        cur = self._x("INSERT INTO licensee (name, address, country, contact, created_utc) VALUES (?, ?, ?, ?, ?)",
                      (name, rec.get("address"), rec.get("country"), rec.get("contact"), utc_now()))
        self._audit(user, "create", "licensee", name, after=rec)
        return int(cur.lastrowid)

    def add_licensee(self, name: str, *, address: str | None = None, country: str | None = None,
                     contact: str | None = None, user: str | None = None) -> int:
        """Add a licensee (holder of licences); returns its id. ValueError if the name exists."""
        who = self._who(user)
        name = _text("licensee", name, identifier=True)
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
            self._x("INSERT INTO licence_history (licence_id, from_status, to_status, by_user, at_utc, reason) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (before["id"], old, status, who, now, why))
            self._x("UPDATE licence SET status = ?, updated_utc = ?, valid_to = COALESCE(?, valid_to) WHERE id = ?",
                    (status, now, new_to, before["id"]))
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
        new_holder = _text("licensee", licensee, allow_none=True, identifier=True)
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
        with self.backend.write():  # select inside the write transaction: another writer cannot slip in between
            due = [r[0] for r in self._x("SELECT number FROM licence WHERE status IN ('granted', 'suspended') "
                                         "AND valid_to IS NOT NULL AND valid_to < ? ORDER BY number", (day,))]
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
        where, params = ["1 = 1"], []
        for col, val, check in (("l.status", status, lambda v: _choice("status", v, STATUSES)),
                                ("l.service", service, _svc)):
            if val is not None:
                vals = [val] if isinstance(val, str) else list(val)
                if not vals:
                    raise RegisterError(f"{col[2:]} = () names nothing: give one or more, or None for all")
                vals = [check(v) for v in vals]
                where.append(f"{col} IN ({', '.join('?' * len(vals))})")
                params += vals
        if licensee is not None:
            where.append("e.name = ?")
            params.append(_text("licensee", licensee, identifier=True))
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
