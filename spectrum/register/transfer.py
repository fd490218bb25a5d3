"""Import and export of the register: JSON (everything, lossless) and CSV (one row per assignment).

Imports are all-or-nothing: the whole file is applied inside one write transaction, each
record inside its own savepoint so that *every* bad record is found and reported (row
number and reason) before the transaction is rolled back. A process killed during an
import leaves the register as it was.

JSON document (``format = "spectrum-register"``, ``format_version = 1``)::

    {"licensees": [{name, address, country, contact}],
     "antenna_patterns": [{name, kind, g_max_dbi, params, h_az_deg, h_gain_db, v_el_deg, v_gain_db}],
     "spectrum_masks": [{name, kind, offset_khz, attenuation_db}],
     "licences": [{number, licensee, service, status, valid_from, valid_to, remarks,
                   history: [{from_status, to_status, by, at_utc, reason}],
                   stations: [{name, role, lat, lon, h_agl_m, antenna_pattern, g_dbi, azimuth_deg,
                               tilt_deg, polarisation, feeder_loss_db, indoor, building_type,
                               clutter_class,
                               assignments: [{f_mhz, bw_khz, emission, eirp_dbw, tx_mask,
                                              rx_selectivity, noise_figure_db, protection,
                                              protection_db, criterion, criterion_db}]}]}]}

CSV: the columns of :data:`CSV_COLUMNS`; rows of one licence share ``licence_number``, rows of
one station share ``station_ref``; a licence without stations or a station without
assignments has the later columns empty. Antenna patterns and masks referenced by a CSV
must already be in the register (import them with a JSON document first).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Callable

from .. import __version__
from .backend import ImportRowsError, NotFoundError, RegisterError
from .models import (STATUSES, TRANSITIONS, _short, _text, check_assignment_fields, check_licence_fields,
                     check_mask_fields, check_pattern_fields, check_station_fields)
from .sqlite import utc_now

__all__ = ["export_document", "import_document", "export_csv", "import_csv", "CSV_COLUMNS", "FORMAT"]

FORMAT = "spectrum-register"
FORMAT_VERSION = 1

LICENCE_KEYS = ("number", "licensee", "service", "status", "valid_from", "valid_to", "remarks")
STATION_KEYS = ("name", "role", "lat", "lon", "h_agl_m", "antenna_pattern", "g_dbi", "azimuth_deg", "tilt_deg",
                "polarisation", "feeder_loss_db",
                "indoor", "building_type", "clutter_class")
ASSIGNMENT_KEYS = ("f_mhz", "bw_khz", "emission", "eirp_dbw", "tx_mask", "rx_selectivity", "noise_figure_db",
                   "protection", "protection_db",
                   "criterion", "criterion_db")

CSV_COLUMNS = (
    "licence_number", "licensee", "licensee_address", "licensee_country", "licensee_contact", "service", "status",
    "valid_from", "valid_to", "licence_remarks", "station_ref", "station_name", "role", "lat", "lon", "h_agl_m",
    "antenna_pattern", "g_dbi", "azimuth_deg", "tilt_deg", "polarisation", "feeder_loss_db",
    "indoor", "building_type", "clutter_class", "f_mhz", "bw_khz",
    "emission", "eirp_dbw", "tx_mask", "rx_selectivity", "noise_figure_db", "protection", "protection_db",
    "criterion", "criterion_db",
)
_CSV_LICENCE = {"licence_number": "number", "licensee": "licensee", "service": "service", "status": "status",
                "valid_from": "valid_from", "valid_to": "valid_to", "licence_remarks": "remarks"}
_CSV_LICENSEE = {"licensee_address": "address", "licensee_country": "country", "licensee_contact": "contact"}
_CSV_STATION = {"station_name": "name", **{k: k for k in STATION_KEYS if k != "name"}}
_CSV_ASSIGNMENT = {k: k for k in ASSIGNMENT_KEYS}


# ---------------------------------------------------------------------- export
def _library(reg) -> tuple[list, list, list]:
    licensees = [{k: d[k] for k in ("name", "address", "country", "contact")} for d in reg.licensees()]
    return licensees, reg.antenna_patterns(), reg.spectrum_masks()


def _licence_tree(reg, number: str) -> dict:
    full = reg.licence(number)
    d = {k: full[k] for k in LICENCE_KEYS}
    d["history"] = full["history"]
    d["stations"] = [{**{k: st[k] for k in STATION_KEYS},
                      "assignments": [{k: a[k] for k in ASSIGNMENT_KEYS} for a in st["assignments"]]}
                     for st in full["stations"]]
    return d


def export_document(reg, path=None, *, licences: bool = True) -> dict:
    """The register as a JSON-able document; written atomically to ``path`` if given."""
    with reg.backend.read():
        licensees, patterns, masks = _library(reg)
        doc = {"format": FORMAT, "format_version": FORMAT_VERSION, "software_version": __version__,
               "schema_version": reg.schema_version, "exported_utc": utc_now(),
               "licensees": licensees, "antenna_patterns": patterns, "spectrum_masks": masks}
        if licences:
            doc["licences"] = [_licence_tree(reg, n) for (n,) in
                               reg._x("SELECT number FROM licence ORDER BY number").fetchall()]
    if path is not None:
        from ..io import write_text

        write_text(path, json.dumps(doc, indent=1, sort_keys=False, allow_nan=False) + "\n", inputs=[reg.backend.url])
    return doc


def _fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v)
    return str(v)


def export_csv(reg, path=None) -> str:
    """The register's licences, stations and assignments as CSV text; written atomically to ``path``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    with reg.backend.read():
        details = {d["name"]: d for d in reg.licensees()}
        for (number,) in reg._x("SELECT number FROM licence ORDER BY number").fetchall():
            lic = reg.licence(number)
            e = details[lic["licensee"]]
            head = [lic["number"], lic["licensee"], e["address"], e["country"], e["contact"], lic["service"],
                    lic["status"], lic["valid_from"], lic["valid_to"], lic["remarks"]]
            if not lic["stations"]:
                w.writerow([_fmt(v) for v in head] + [""] * (len(CSV_COLUMNS) - len(head)))
            for st in lic["stations"]:
                sv = [f"S{st['id']}"] + [st[k] for k in STATION_KEYS]
                if not st["assignments"]:
                    w.writerow([_fmt(v) for v in head + sv] + [""] * len(ASSIGNMENT_KEYS))
                for a in st["assignments"]:
                    w.writerow([_fmt(v) for v in head + sv + [a[k] for k in ASSIGNMENT_KEYS]])
    text = buf.getvalue()
    if path is not None:
        from ..io import write_text

        write_text(path, text, inputs=[reg.backend.url])
    return text


# ---------------------------------------------------------------------- import machinery
def _insert_licence(reg, d: dict, history: list | None, licensee_details: dict, who: str, source: str) -> tuple:
    if reg._one("SELECT 1 FROM licence WHERE number = ?", (d["number"],)):
        raise RegisterError(f"licence number {d['number']!r} already exists (licence numbers are unique)")
    lid = reg._licensee_id(d["licensee"], who, **licensee_details)
    now = utc_now()
    cur = reg._x("INSERT INTO licence (number, licensee_id, service, status, valid_from, valid_to, remarks, "
                 "created_utc, updated_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (d["number"], lid, d["service"], d["status"], d["valid_from"], d["valid_to"], d["remarks"], now, now))
    lic_id = int(cur.lastrowid)
    hist = history if history else [{"from_status": None, "to_status": d["status"], "by": who, "at_utc": now,
                                     "reason": f"imported from {source}"}]
    reg.backend.executemany(
        "INSERT INTO licence_history (licence_id, from_status, to_status, by_user, at_utc, reason) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(lic_id, h["from_status"], h["to_status"], h["by"], h["at_utc"], h["reason"]) for h in hist])
    reg._audit(who, "import", "licence", d["number"], after={**d, "history": hist}, reason=f"import from {source}")
    return lic_id, d["number"], d["service"]


_HISTORY_KEYS = ("from_status", "to_status", "by", "at_utc", "reason")


def _check_time(name: str, value) -> str:
    """An ISO date-time (with a zone or ``Z``; UTC otherwise) as stored: ``YYYY-MM-DDTHH:MM:SS.ffffffZ``."""
    import datetime as _dt

    v = _text(name, value, max_len=64)
    try:
        t = _dt.datetime.fromisoformat(v[:-1] + "+00:00" if v.endswith(("Z", "z")) else v)
    except ValueError:
        raise RegisterError(f"{name} = {v!r} is not an ISO date-time (e.g. 2026-01-01T12:00:00Z)") from None
    if t.tzinfo is not None:
        t = t.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    if not 1900 <= t.year <= 2200:
        raise RegisterError(f"{name} = {v!r} is outside the years 1900-2200")
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _check_history(history, status: str) -> list | None:
    """History entries validated as the API makes them: known keys, legal transitions from the
    creation (``from_status`` null) to the licence's status, real UTC times in order, text rules."""
    if history is None:
        return None
    if not isinstance(history, list) or not history:
        raise RegisterError("history must be a non-empty list of status changes")
    out, prev, prev_at = [], None, None
    for i, h in enumerate(history):
        if not isinstance(h, dict):
            raise RegisterError(f"history[{i}] must be an object")
        _unknown(h, _HISTORY_KEYS, f"history[{i}]")
        to = h.get("to_status")
        frm = h.get("from_status")
        if to not in STATUSES:
            raise RegisterError(f"history[{i}].to_status = {_short(to)} must be one of {', '.join(STATUSES)}")
        if i == 0 and frm is not None:
            raise RegisterError("history[0].from_status must be null (the creation of the licence)")
        if i == 0 and to not in ("application", "granted"):
            raise RegisterError(f"history[0].to_status = {to!r}: a licence is created as application or granted")
        if i > 0:
            if frm != prev:
                raise RegisterError(f"history[{i}].from_status = {_short(frm)} does not follow {prev!r}")
            if to not in TRANSITIONS[prev]:
                raise RegisterError(f"history[{i}]: illegal transition {prev} -> {to}")
        at = _check_time(f"history[{i}].at_utc", h.get("at_utc"))
        if prev_at is not None and at < prev_at:
            raise RegisterError(f"history[{i}].at_utc = {at} is before the previous change ({prev_at})")
        out.append({"from_status": frm, "to_status": to,
                    "by": _text(f"history[{i}].by", h.get("by"), max_len=200, identifier=True),
                    "at_utc": at, "reason": _text(f"history[{i}].reason", h.get("reason"), max_len=4000)})
        prev, prev_at = to, at
    if prev != status:
        raise RegisterError(f"history ends in {prev!r} but the licence status is {status!r}")
    return out


def _unknown(rec: dict, known, where: str) -> None:
    """Refuse keys a record does not have (a typo would otherwise be dropped silently)."""
    bad = [k for k in rec if k not in known]
    if bad:
        raise RegisterError(f"{where}: unknown key(s) {', '.join(_short(k) for k in bad[:10])} "
                            f"(known: {', '.join(known)})")


def _insert_station(reg, lic_id: int, number: str, st: dict, who: str) -> int:
    st = reg._check_station_refs(dict(st))
    cols = list(STATION_KEYS)
    cur = reg._x(f"INSERT INTO station (licence_id, {', '.join(cols)}) VALUES (?{', ?' * len(cols)})",
                 (lic_id, *(st[c] for c in cols)))
    sid = int(cur.lastrowid)
    reg._audit(who, "import", "station", sid, after={"licence": number, **st})
    return sid


def _insert_assignment(reg, sid: int, number: str, service: str, a: dict, who: str) -> int:
    reg._check_assignment_refs(a)
    reg._refuse_duplicate(sid, a)
    reg._enforce_allocation(a["f_mhz"], a["bw_khz"], service)
    cols = list(ASSIGNMENT_KEYS)
    cur = reg._x(f"INSERT INTO assignment (station_id, {', '.join(cols)}) VALUES (?{', ?' * len(cols)})",
                 (sid, *(a[c] for c in cols)))
    aid = int(cur.lastrowid)
    reg._audit(who, "import", "assignment", aid, after={"licence": number, "station_id": sid, **a})
    return aid


def _err(exc: BaseException, reg) -> str:
    if isinstance(exc, (RegisterError, NotFoundError)) or type(exc) is ValueError:
        return str(exc)
    if reg.backend.is_integrity_error(exc):
        return f"refused by the register: {exc}"
    raise exc


def _apply(reg, *, licensees: list, patterns: list, masks: list, licences: list, who: str, source: str,
           progress: Callable[[int], None] | None, extra_errors=()) -> dict:
    """Insert parsed records in one transaction. ``licences`` items: ``(row, lic_fields, history,
    licensee_details, [(row, station_fields, [(row, assignment_fields)])])``; a fields entry may be an
    exception (bad record found while parsing)."""
    errors: list[tuple[int, str]] = [(r, str(e)) for r, e in extra_errors]
    n = {"licences": 0, "stations": 0, "assignments": 0, "antenna_patterns": 0, "spectrum_masks": 0,
         "licensees": 0}
    with reg.backend.write():
        for row, rec in licensees:
            try:
                if isinstance(rec, Exception):
                    raise rec
                if not reg._one("SELECT 1 FROM licensee WHERE name = ?", (rec["name"],)):
                    with reg.backend.savepoint():
                        reg._licensee_id(rec["name"], who, **{k: rec.get(k) for k in ("address", "country",
                                                                                       "contact")})
                    n["licensees"] += 1
            except Exception as exc:  # noqa: BLE001 - classified by _err
                errors.append((row, _err(exc, reg)))
        for kind, items, getter in (("antenna_patterns", patterns, reg.antenna_pattern),
                                    ("spectrum_masks", masks, reg.spectrum_mask)):
            for row, rec in items:
                try:
                    if isinstance(rec, Exception):
                        raise rec
                    try:
                        have = getter(rec["name"])
                    except NotFoundError:
                        have = None
                    if have is not None:
                        if _same(have, rec):
                            continue
                        raise RegisterError(f"{kind[:-1].replace('_', ' ')} {rec['name']!r} already exists with "
                                            "different content")
                    with reg.backend.savepoint():
                        if kind == "antenna_patterns":
                            reg.add_antenna_pattern(rec["name"], rec["kind"], g_max_dbi=rec["g_max_dbi"],
                                                    params=rec["params"], h_az_deg=rec["h_az_deg"],
                                                    h_gain_db=rec["h_gain_db"], v_el_deg=rec["v_el_deg"],
                                                    v_gain_db=rec["v_gain_db"], user=who)
                        else:
                            reg.add_spectrum_mask(rec["name"], rec["kind"], rec["offset_khz"], rec["attenuation_db"],
                                                  user=who)
                    n[kind] += 1
                except Exception as exc:  # noqa: BLE001
                    errors.append((row, _err(exc, reg)))
        for i, (row, lic, history, details, stations) in enumerate(licences, start=1):
            lic_key = None
            try:
                if isinstance(lic, Exception):
                    raise lic
                with reg.backend.savepoint():
                    lic_key = _insert_licence(reg, lic, history, details, who, source)
                n["licences"] += 1
            except Exception as exc:  # noqa: BLE001
                errors.append((row, _err(exc, reg)))
            for srow, st, assignments in stations:
                sid = None
                try:
                    if isinstance(st, Exception):
                        raise st
                    if lic_key is not None:
                        with reg.backend.savepoint():
                            sid = _insert_station(reg, lic_key[0], lic_key[1], st, who)
                        n["stations"] += 1
                except Exception as exc:  # noqa: BLE001
                    errors.append((srow, _err(exc, reg)))
                for arow, a in assignments:
                    try:
                        if isinstance(a, Exception):
                            raise a
                        if sid is not None:
                            with reg.backend.savepoint():
                                _insert_assignment(reg, sid, lic_key[1], lic_key[2], a, who)
                            n["assignments"] += 1
                    except Exception as exc:  # noqa: BLE001
                        errors.append((arow, _err(exc, reg)))
            if progress is not None:
                progress(i)
        if errors:
            seen, uniq = set(), []
            for e in sorted(errors, key=lambda e: e[0]):
                if e not in seen:
                    seen.add(e)
                    uniq.append(e)
            raise ImportRowsError(source, uniq)
        reg._audit(who, "import", "register", source, after=n, reason=f"import from {source}")
    return n


def _same(have: dict, rec: dict) -> bool:
    return json.dumps({k: have.get(k) for k in rec}, sort_keys=True) == json.dumps(rec, sort_keys=True)


def _try(fn, *args, **kw):
    try:
        return fn(*args, **kw)
    except (RegisterError, ValueError) as exc:
        return exc if isinstance(exc, RegisterError) else RegisterError(str(exc))


# ---------------------------------------------------------------------- JSON import
_DOC_KEYS = ("format", "format_version", "software_version", "schema_version", "exported_utc", "licensees",
             "antenna_patterns", "spectrum_masks", "licences")
_LICENSEE_KEYS = ("name", "address", "country", "contact")
_PATTERN_KEYS = ("name", "kind", "g_max_dbi", "params", "h_az_deg", "h_gain_db", "v_el_deg", "v_gain_db")
_MASK_KEYS = ("name", "kind", "offset_khz", "attenuation_db")
_LICENCE_DOC_KEYS = (*LICENCE_KEYS, "history", "stations")
_STATION_DOC_KEYS = (*STATION_KEYS, "assignments")


def _read_source(path_or_doc, what: str, encoding: str = "utf-8") -> tuple[str, str]:
    p = Path(path_or_doc)
    source = str(p)
    try:
        return p.read_text(encoding=encoding), source
    except IsADirectoryError:
        raise RegisterError(f"{source} is a directory, not a {what} file") from None
    except FileNotFoundError:
        raise RegisterError(f"{source} does not exist") from None
    except UnicodeDecodeError as exc:
        raise RegisterError(f"{source} is not UTF-8 text (byte {exc.start}: {exc.reason}); "
                            f"a {what} file is UTF-8") from None
    except OSError as exc:
        raise RegisterError(f"{source} cannot be read: {exc.strerror or exc}") from None


def _reject_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def _no_duplicate_keys(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise ValueError(f"key {_short(k)} appears twice in one object (which one is meant?)")
        d[k] = v
    return d


def parse_json(text: str, source: str):
    """``json.loads`` whose every failure is one RegisterError naming ``source``: syntax errors,
    a key given twice in one object, NaN/Infinity literals, integers too long to convert,
    nesting deep enough to exhaust the stack."""
    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise RegisterError(f"{source} is not valid JSON: {exc}") from None
    except RecursionError:
        raise RegisterError(f"{source}: JSON nested too deeply (a register document is a few levels deep)") from None
    except (ValueError, OverflowError) as exc:
        raise RegisterError(f"{source} is not a usable JSON document: {str(exc)[:200]}") from None


def import_document(reg, path_or_doc, *, user: str, progress=None) -> dict:
    """Import a JSON document (path, JSON text or dict); see the module docstring."""
    if isinstance(path_or_doc, dict):
        doc, source = path_or_doc, "document"
    else:
        text, source = _read_source(path_or_doc, "register document")
        doc = parse_json(text, source)
        del text
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise RegisterError(f"{source} is not a Spectrum register document (format must be {FORMAT!r})")
    if doc.get("format_version") != FORMAT_VERSION:
        raise RegisterError(f"{source}: format_version {_short(doc.get('format_version'))} is not supported "
                            f"(expected {FORMAT_VERSION})")
    _unknown(doc, _DOC_KEYS, source)

    def rows(key):
        items = doc.get(key) or []
        if not isinstance(items, list):
            raise RegisterError(f"{source}: {key} must be a list")
        return list(enumerate(items, start=1))

    licensee = _keyed(lambda x: {"name": _text("licensee name", x.get("name"), identifier=True),
                                 **{k: _text(f"licensee {k}", x.get(k), allow_none=True)
                                    for k in ("address", "country", "contact")}}, _LICENSEE_KEYS, "licensee")
    licensees = [(r, _try(licensee, rec)) for r, rec in rows("licensees")]
    pattern = _keyed(lambda x: check_pattern_fields(*(x.get(k) for k in _PATTERN_KEYS)), _PATTERN_KEYS,
                     "antenna pattern")
    patterns = [(r, _try(pattern, rec)) for r, rec in rows("antenna_patterns")]
    mask = _keyed(lambda x: check_mask_fields(*(x.get(k) for k in _MASK_KEYS)), _MASK_KEYS, "spectrum mask")
    masks = [(r, _try(mask, rec)) for r, rec in rows("spectrum_masks")]
    licence = _keyed(lambda x: check_licence_fields(*(x.get(k) for k in LICENCE_KEYS)), _LICENCE_DOC_KEYS, "licence")
    station = _keyed(lambda x: check_station_fields(**{k: x.get(k) for k in STATION_KEYS}), _STATION_DOC_KEYS,
                     "station")
    details = {rec["name"]: {k: rec.get(k) for k in ("address", "country", "contact")}
               for _, rec in licensees if isinstance(rec, dict)}
    licences = []
    for r, rec in rows("licences"):
        lic = _try(licence, rec)
        rec = _obj(rec)
        history = None
        if not isinstance(lic, Exception):
            history = _try(_check_history, rec.get("history"), lic["status"])
            if isinstance(history, Exception):
                lic, history = RegisterError(f"licences[{r}] {lic['number']}: {history}"), None
        else:
            lic = RegisterError(f"licences[{r}]: {lic}")
        stations = []
        st_list = rec.get("stations") or []
        if not isinstance(st_list, list):
            lic, st_list = RegisterError(f"licences[{r}]: stations must be a list"), []
        for j, srec in enumerate(st_list, start=1):
            st = _try(station, srec)
            srec = _obj(srec)
            if isinstance(st, Exception):
                st = RegisterError(f"licences[{r}].stations[{j}]: {st}")
            role = None if isinstance(st, Exception) else st["role"]
            assignments = []
            a_list = srec.get("assignments") or []
            if not isinstance(a_list, list):
                st, a_list = RegisterError(f"licences[{r}].stations[{j}]: assignments must be a list"), []
            for k, arec in enumerate(a_list, start=1):
                a = _try(_keyed(lambda x: check_assignment_fields(role=role, **{q: x.get(q) for q in ASSIGNMENT_KEYS}),
                                ASSIGNMENT_KEYS, "assignment"), arec)
                if isinstance(a, Exception):
                    a = RegisterError(f"licences[{r}].stations[{j}].assignments[{k}]: {a}")
                assignments.append((r, a))
            stations.append((r, st, assignments))
        lic_details = details.get(lic["licensee"], {}) if isinstance(lic, dict) else {}
        licences.append((r, lic, history, lic_details, stations))
    # JSON rows are numbered by licence (1-based index in "licences"); the reason names the path
    return _apply_prefixed(reg, licensees, patterns, masks, licences, user, source, progress)


def _apply_prefixed(reg, licensees, patterns, masks, licences, who, source, progress):
    def tag(prefix, items):
        return [(r, RegisterError(f"{prefix}[{r}]: {rec}") if isinstance(rec, Exception) else rec)
                for r, rec in items]

    return _apply(reg, licensees=tag("licensees", licensees), patterns=tag("antenna_patterns", patterns),
                  masks=tag("spectrum_masks", masks), licences=licences, who=who, source=source, progress=progress)


def _keyed(fn, known, where):
    """``fn(rec)`` for a record that is an object with only ``known`` keys (else RegisterError)."""
    def run(rec):
        if not isinstance(rec, dict):
            raise RegisterError(f"{where} must be an object, not {type(rec).__name__}")
        _unknown(rec, known, where)
        return fn(rec)
    return run


def _obj(rec):
    if not isinstance(rec, dict):
        return {"_bad": rec}
    return rec


from .csv_import import import_csv  # noqa: E402  (streaming CSV import; re-exported here)
