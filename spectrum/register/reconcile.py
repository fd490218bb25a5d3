"""Cross-checks of the register's records against each other (backend-neutral).

Run by :meth:`Register.integrity_check` after the storage check and the audit chain:

* every licence's status equals the last row of its history, and its history is a legal
  sequence of transitions starting from creation;
* the history equals what the audit log recorded for the licence (its ``create``/``import``
  row and every ``transition`` row: from, to, by whom and why), and the last status the audit
  recorded is the licence's status: a history row rewritten, deleted or added, or a status
  changed by raw SQL with no audit row, is reported;
* a licence with no audit row at all is reported unless a ``bulk-create`` audit row accounts
  for it (the synthetic benchmark register);
* every licence, station and assignment holds the values its last audit row recorded (a value
  changed by raw SQL, which writes no audit row, is reported), a station or assignment the audit
  log created is still there unless the log deleted it, and one the log deleted is gone;
* every stored evaluation has its audit row and every audited evaluation is stored;
* no station holds the same channel (frequency and bandwidth) twice.
"""
from __future__ import annotations

import json
from collections import defaultdict

from .common import _ASSIGNMENT_COLS, _STATION_COLS
from .models import TRANSITIONS

__all__ = ["reconcile"]

_LICENCE_FIELDS = ("licensee", "service", "status", "valid_from", "valid_to", "remarks")
_STATION_FIELDS = tuple(c for c in _STATION_COLS if c not in ("id", "licence_id"))
_ASSIGNMENT_FIELDS = tuple(c for c in _ASSIGNMENT_COLS if c not in ("id",))


def _expected(action: str, who: str, reason, after: dict) -> list[tuple] | None:
    """History rows an audit row of a licence stands for (None: the row changes no status)."""
    if action == "create":
        st = after.get("status")
        return [(None, st, who, reason or f"licence created as {st}")]
    if action == "import":
        hist = after.get("history") or []
        return [(h.get("from_status"), h.get("to_status"), h.get("by"), h.get("reason")) for h in hist]
    if action.startswith("transition:") and "->" in action:
        old, new = action[len("transition:"):].split("->", 1)
        return [(old, new, who, reason)]
    return None


def reconcile(reg) -> list[str]:
    """Problems found by comparing licences, their history and the audit log (empty when they agree)."""
    problems: list[str] = []
    x = reg._x
    with reg.backend.read():
        lic = x("SELECT id, number, status FROM licence ORDER BY id").fetchall()
        hist: dict[int, list] = defaultdict(list)
        for lid, frm, to, by, reason in x("SELECT licence_id, from_status, to_status, by_user, reason "
                                          "FROM licence_history ORDER BY id"):
            hist[lid].append((frm, to, by, reason))
        audited: dict[str, list] = defaultdict(list)
        for rid, action, key, who, reason, after in x(
                "SELECT id, action, entity_key, who, reason, after_json FROM audit WHERE entity = 'licence' "
                "ORDER BY id"):
            try:
                a = json.loads(after) if after else {}
            except ValueError:
                problems.append(f"audit row {rid}: after_json is not JSON")
                continue
            audited[key].append((action, who, reason, a if isinstance(a, dict) else {}))
        bulk = 0
        for (after,) in x("SELECT after_json FROM audit WHERE entity = 'register' AND action = 'bulk-create'"):
            try:
                bulk += int(json.loads(after).get("licences", 0))
            except (ValueError, TypeError, AttributeError):
                pass
        dups = x("SELECT station_id, f_mhz, bw_khz, COUNT(*) FROM assignment GROUP BY station_id, f_mhz, bw_khz "
                 "HAVING COUNT(*) > 1 ORDER BY station_id").fetchall()
        problems += _values(x, "licence", "SELECT l.number, e.name, l.service, l.status, l.valid_from, l.valid_to, "
                            "l.remarks FROM licence l JOIN licensee e ON e.id = l.licensee_id", _LICENCE_FIELDS)
        problems += _values(x, "station", f"SELECT id, {', '.join(_STATION_FIELDS)} FROM station", _STATION_FIELDS)
        problems += _values(x, "assignment", f"SELECT id, {', '.join(_ASSIGNMENT_FIELDS)} FROM assignment",
                            _ASSIGNMENT_FIELDS)
        stored = {str(r[0]) for r in x("SELECT id FROM evaluation")}
        audited_ev = {r[0] for r in x("SELECT entity_key FROM audit WHERE entity = 'evaluation' AND action = 'create'")}
    unaudited = []
    for lid, number, status in lic:
        h = hist.get(lid, [])
        if not h:
            problems.append(f"licence {number}: no history row (its creation is not recorded)")
        else:
            if h[-1][1] != status:
                problems.append(f"licence {number}: status is {status} but its last history row says {h[-1][1]} "
                                "(status changed outside the API)")
            prev = None
            for i, (frm, to, _, _) in enumerate(h):
                if frm != prev or (prev is not None and to not in TRANSITIONS.get(prev, ())):
                    problems.append(f"licence {number}: history row {i + 1} ({frm} -> {to}) does not follow "
                                    f"{prev} by a legal transition")
                    break
                prev = to
        rows = audited.get(number)
        if not rows:
            unaudited.append(number)
            continue
        expected, first_is_creation = [], rows[0][0] in ("create", "import")
        last_status = None
        for action, who, reason, a in rows:
            e = _expected(action, who, reason, a)
            if e is not None:
                expected += e
            if "status" in a:
                last_status = a["status"]
        actual = [tuple(r) for r in h]
        if first_is_creation:
            ok = actual == expected
        else:
            ok = not expected or actual[-len(expected):] == expected
        if not ok:
            problems.append(f"licence {number}: its history ({len(actual)} row(s)) does not match the audit log "
                            f"({len(expected)} status change(s)): history rewritten, deleted or added outside the API")
        if last_status is not None and last_status != status:
            problems.append(f"licence {number}: status is {status} but the audit log last recorded {last_status} "
                            "(status changed outside the API, without an audit row)")
    if len(unaudited) > bulk:
        shown = ", ".join(unaudited[:5]) + (" ..." if len(unaudited) > 5 else "")
        problems.append(f"{len(unaudited)} licence(s) have no audit record ({shown})"
                        + (f"; bulk-create rows account for {bulk}" if bulk else ""))
    for key in sorted(stored - audited_ev, key=int)[:10]:
        problems.append(f"evaluation {key}: stored without its audit row (inserted outside the API)")
    for key in sorted(audited_ev - stored, key=lambda k: int(k) if str(k).isdigit() else 0)[:10]:
        problems.append(f"evaluation {key}: in the audit log but not stored (deleted outside the API)")
    for sid, f, bw, n in dups:
        problems.append(f"station {sid}: {n} identical assignments of {f:g} MHz / {bw:g} kHz (a channel is held once)")
    return problems


def _values(x, entity: str, sql: str, fields: tuple) -> list[str]:
    """Rows of ``entity`` against the values its last audit row recorded (create/import/update/
    transition ``after``; ``delete`` means gone)."""
    last: dict[str, dict | None] = {}
    for rid, action, key, after in x("SELECT id, action, entity_key, after_json FROM audit WHERE entity = ? "
                                     "ORDER BY id", (entity,)):
        if action == "delete":
            last[key] = None
            continue
        try:
            a = json.loads(after) if after else None
        except ValueError:
            continue  # reported by the caller
        if isinstance(a, dict) and any(f in a for f in fields):
            last[key] = a
    out, seen = [], set()
    for row in x(sql):
        key = str(row[0])
        seen.add(key)
        if key not in last:
            continue  # never audited (bulk-created): counted by the caller for licences
        a = last[key]
        if a is None:
            out.append(f"{entity} {key}: present, but the audit log records its deletion (restored outside the API)")
            continue
        diff = [f for f, v in zip(fields, row[1:]) if f in a and a[f] != v]
        if diff:
            out.append(f"{entity} {key}: {', '.join(diff)} differ(s) from the last audited value "
                       f"(changed outside the API, without an audit row)")
    for key, a in last.items():
        if a is not None and key not in seen:
            out.append(f"{entity} {key}: in the audit log but missing from the register (deleted outside the API)")
    return out[:50] + ([f"... and {len(out) - 50} more {entity} differences"] if len(out) > 50 else [])
