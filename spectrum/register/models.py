"""Register records, the licence lifecycle and the input checks shared by the API and imports."""
from __future__ import annotations

import datetime as _dt
import math
import unicodedata
from dataclasses import dataclass, fields

from ..allocation import check_service
from ..emission import parse_emission
from .backend import RegisterError

__all__ = [
    "AssignmentRow", "ASSIGNMENT_FIELDS", "STATUSES", "TRANSITIONS", "TERMINAL_STATUSES", "ROLES",
    "PATTERN_KINDS", "MASK_KINDS", "PROTECTIONS", "EARTH_RADIUS_KM",
    "CRITERIA", "BUILDING_TYPES", "CLUTTER_CLASSES",
]

#: Mean Earth radius used for great-circle distances (same as ``spectrum.geo.EARTH_RADIUS_KM``). [km]
EARTH_RADIUS_KM = 6371.0

STATUSES = ("application", "granted", "suspended", "expired", "revoked", "refused", "withdrawn")
#: status -> statuses it may move to (mirrors the ``status_transition`` table of the schema)
TRANSITIONS = {
    "application": ("granted", "refused", "withdrawn"),
    "granted": ("suspended", "expired", "revoked"),
    "suspended": ("granted", "expired", "revoked"),
    "expired": (),
    "revoked": (),
    "refused": (),
    "withdrawn": (),
}
#: statuses after which a licence and its stations/assignments are frozen
TERMINAL_STATUSES = tuple(s for s, nxt in TRANSITIONS.items() if not nxt)
ROLES = ("tx", "rx")
PATTERN_KINDS = ("omni", "F.699", "F.1245", "F.1336", "table", "RPE")
MASK_KINDS = ("tx", "rx")
PROTECTIONS = ("I/N", "C/I")
#: receiver protection criteria of the evaluation (Rec. ITU-R SM.2028 / SEAMCAT): ``criterion``
#: and its threshold ``criterion_db`` take precedence over ``protection`` / ``protection_db``
CRITERIA = ("I/N", "C/I", "C/(N+I)", "(N+I)/N")
#: building types of Rec. ITU-R P.2109 (building entry loss of an indoor receiver)
BUILDING_TYPES = ("traditional", "thermally efficient")
#: terminal clutter classes of Rec. ITU-R P.2108-1 Table 2
CLUTTER_CLASSES = ("water/sea", "open/rural", "suburban", "urban", "trees/forest", "dense urban")


@dataclass(frozen=True)
class AssignmentRow:
    """One (station, assignment) of the register, as returned by ``Register.query``.

    Units: lat/lon [deg], h_agl_m [m], g_dbi [dBi], azimuth/tilt [deg], feeder_loss_db [dB],
    f_mhz [MHz], bw_khz [kHz], eirp_dbw [dBW], noise_figure_db [dB], protection_db [dB].
    """

    licence_number: str
    licensee: str
    service: str
    status: str
    station_id: int
    station_name: str
    role: str
    lat: float
    lon: float
    h_agl_m: float
    antenna_pattern: str | None
    g_dbi: float
    azimuth_deg: float
    tilt_deg: float
    polarisation: str
    feeder_loss_db: float
    assignment_id: int
    f_mhz: float
    bw_khz: float
    emission: str | None
    eirp_dbw: float | None
    tx_mask: str | None
    rx_selectivity: str | None
    noise_figure_db: float | None
    protection: str | None
    protection_db: float | None
    indoor: int | None = None
    building_type: str | None = None
    clutter_class: str | None = None
    criterion: str | None = None
    criterion_db: float | None = None

    @property
    def f_lo_mhz(self) -> float:
        return self.f_mhz - self.bw_khz / 2000.0

    @property
    def f_hi_mhz(self) -> float:
        return self.f_mhz + self.bw_khz / 2000.0

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def _from_row(cls, row) -> "AssignmentRow":
        """Fast constructor from a query row in field order (bypasses the frozen __setattr__)."""
        obj = object.__new__(cls)
        obj.__dict__.update(zip(_FIELD_NAMES, row))
        return obj


ASSIGNMENT_FIELDS = tuple(f.name for f in fields(AssignmentRow))
_FIELD_NAMES = ASSIGNMENT_FIELDS


# ---------------------------------------------------------------------- checks
def _num(name: str, value, lo: float | None = None, hi: float | None = None, unit: str = "",
         allow_none: bool = False, lo_open: bool = False, hi_open: bool = False):
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        raise RegisterError(f"{name} is required")
    if isinstance(value, bool):
        raise RegisterError(f"{name} = {value!r} is not numeric")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise RegisterError(f"{name} = {_short(value)} is not numeric") from None
    except OverflowError:
        raise RegisterError(f"{name} = {_short(value)} is too large (must be finite)") from None
    if not math.isfinite(v):
        raise RegisterError(f"{name} = {value!r} must be finite")
    bad_lo = lo is not None and (v <= lo if lo_open else v < lo)
    bad_hi = hi is not None and (v >= hi if hi_open else v > hi)
    if bad_lo or bad_hi:
        lb = "(" if lo_open else "["
        rb = ")" if hi_open else "]"
        u = f" {unit}" if unit else ""
        raise RegisterError(f"{name} = {v:g} is outside the valid range {lb}{lo if lo is not None else '-inf'}, "
                            f"{hi if hi is not None else 'inf'}{rb}{u}")
    return v


def _short(value, n: int = 60) -> str:
    """``repr`` of a value cut to ``n`` characters (a 10**400 or a 1 MB string stays one short line)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"an integer of about {int(value.bit_length() * 0.30103)} digits"
    r = repr(value)
    return r if len(r) <= n else r[:n] + ("..." + r[0] if r[:1] in "'\"" else "...")


#: characters refused in every text field besides the categories of :data:`_BAD_CATEGORIES`:
#: invisible fillers and joiners that are not format characters
_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")
#: control, format (zero-width, bidi overrides, soft hyphen, BOM), surrogate, private-use and
#: unassigned characters, and the line / paragraph separators
_BAD_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))


def _text(name: str, value, allow_none: bool = False, max_len: int = 500, *, identifier: bool = False):
    """A text field: NFC-normalised, stripped, at most ``max_len`` characters, without control
    or invisible characters (a newline in a name would forge a line in a listing, a zero-width
    space would let two look-alike identifiers coexist). ``identifier``: also no whitespace
    other than the plain space (names, numbers, users)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        raise RegisterError(f"{name} is required (a non-empty text)")
    if not isinstance(value, str):
        if isinstance(value, (dict, list, tuple, set, bytes)):
            raise RegisterError(f"{name} = {_short(value)} must be text")
        value = str(value)
    if len(value) > 4 * max_len + 100:
        raise RegisterError(f"{name} is {len(value)} characters long, more than {max_len}")
    if value.isascii() and value.isprintable():  # the common case: nothing to normalise or refuse
        v = value.strip()
        if not v:
            raise RegisterError(f"{name} is required (a non-empty text)")
        if len(v) > max_len:
            raise RegisterError(f"{name} is {len(v)} characters long, more than {max_len}")
        return v
    v = unicodedata.normalize("NFC", value).strip()
    if not v:
        raise RegisterError(f"{name} is required (a non-empty text)")
    if len(v) > max_len:
        raise RegisterError(f"{name} is {len(v)} characters long, more than {max_len}")
    for c in v:
        cat = unicodedata.category(c)
        if cat in _BAD_CATEGORIES or c in _INVISIBLE or (identifier and cat == "Zs" and c != " "):
            kind = "control" if cat == "Cc" else "line-break" if cat in ("Zl", "Zp") else \
                "non-standard space" if cat == "Zs" else "invisible or non-printing"
            raise RegisterError(f"{name} = {_short(value)} contains the {kind} character U+{ord(c):04X} "
                                f"({unicodedata.name(c, 'unnamed')}); text fields hold printable characters only")
    return v


def check_id(name: str, value) -> int:
    """A record id: a whole number; one outside 1 .. 2**63-1 names no record (NotFoundError)."""
    from .backend import NotFoundError

    if isinstance(value, bool):
        raise RegisterError(f"{name} id = {value!r} is not a whole number")
    try:
        v = int(value)
        if isinstance(value, float) and v != value:
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        raise RegisterError(f"{name} id = {_short(value)} is not a whole number") from None
    if not 1 <= v < 2 ** 63:
        raise NotFoundError(f"{name} {_short(v)} is not in the register")
    return v


def _choice(name: str, value, choices, allow_none: bool = False, aliases: dict | None = None):
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        raise RegisterError(f"{name} is required, one of {', '.join(choices)}")
    v = str(value).strip()
    v = (aliases or {}).get(v.lower(), v)
    if v not in choices:
        raise RegisterError(f"{name} = {_short(value)} must be one of {', '.join(choices)}")
    return v


def check_date(name: str, value):
    """``None`` or an ISO date (``YYYY-MM-DD``, date or datetime) -> ``"YYYY-MM-DD"``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    try:
        return _dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise RegisterError(f"{name} = {value!r} is not a date YYYY-MM-DD") from None


def check_licence_fields(number, licensee, service, status, valid_from, valid_to, remarks) -> dict:
    d = {
        "number": _text("licence number", number, max_len=64, identifier=True),
        "licensee": _text("licensee", licensee, identifier=True),
        "service": _svc(service),
        "status": _choice("status", status, STATUSES),
        "valid_from": check_date("valid_from", valid_from),
        "valid_to": check_date("valid_to", valid_to),
        "remarks": _text("remarks", remarks, allow_none=True, max_len=4000),
    }
    if d["valid_from"] and d["valid_to"] and d["valid_to"] < d["valid_from"]:
        raise RegisterError(f"valid_to = {d['valid_to']} is before valid_from = {d['valid_from']}")
    return d


def _svc(service):
    try:
        return check_service(service)
    except ValueError as exc:
        raise RegisterError(str(exc)) from None


def _indoor(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    v = str(value).strip().lower()
    if v in ("1", "true", "yes", "indoor", "1.0"):
        return 1
    if v in ("0", "false", "no", "outdoor", "0.0"):
        return 0
    raise RegisterError(f"indoor = {value!r} must be true/false (1/0, yes/no)")


def check_environment_fields(indoor=None, building_type=None, clutter_class=None) -> dict:
    """A station's surroundings for the evaluation: ``indoor`` (0/1), ``building_type``
    (:data:`BUILDING_TYPES`, P.2109) and ``clutter_class`` (:data:`CLUTTER_CLASSES`, P.2108)."""
    def low(v):
        return v.strip().lower() if isinstance(v, str) else v

    return {"indoor": _indoor(indoor),
            "building_type": _choice("building_type", low(building_type), BUILDING_TYPES, allow_none=True,
                                     aliases={"thermally-efficient": "thermally efficient",
                                              "thermally_efficient": "thermally efficient"}),
            "clutter_class": _choice("clutter_class", low(clutter_class), CLUTTER_CLASSES, allow_none=True,
                                     aliases={"water": "water/sea", "sea": "water/sea", "open": "open/rural",
                                              "rural": "open/rural", "trees": "trees/forest",
                                              "forest": "trees/forest", "dense-urban": "dense urban",
                                              "dense_urban": "dense urban"})}


def check_criterion_fields(criterion=None, criterion_db=None) -> dict:
    """A receiver's protection criterion (:data:`CRITERIA`) and its threshold [dB], together or neither."""
    crit = _choice("criterion", criterion, CRITERIA, allow_none=True,
                   aliases={"i/n": "I/N", "c/i": "C/I", "c/(n+i)": "C/(N+I)", "(n+i)/n": "(N+I)/N"})
    crit_db = _num("criterion_db", criterion_db, -100.0, 100.0, "dB", allow_none=True)
    if (crit is None) != (crit_db is None):
        raise RegisterError("criterion and criterion_db go together (e.g. criterion='C/(N+I)', criterion_db=17)")
    if crit == "(N+I)/N" and crit_db <= 0.0:
        raise RegisterError(f"criterion_db = {crit_db:g} for (N+I)/N must be > 0 dB (N+I is never below N)")
    return {"criterion": crit, "criterion_db": crit_db}


def check_station_fields(*, name, role, lat, lon, h_agl_m, g_dbi, antenna_pattern=None, azimuth_deg=0.0,
                         tilt_deg=0.0, polarisation="v", feeder_loss_db=0.0, indoor=None, building_type=None,
                         clutter_class=None) -> dict:
    """Validated, normalised station fields (lon in [-180, 180), azimuth in [0, 360))."""
    lat_v = _num("lat", lat, -90.0, 90.0, "deg")
    lon_v = _num("lon", lon, -180.0, 360.0, "deg", hi_open=True)
    if lon_v >= 180.0:
        lon_v -= 360.0
    az = _num("azimuth_deg", 0.0 if azimuth_deg is None else azimuth_deg, -360.0, 360.0, "deg") % 360.0
    return {
        "name": _text("station name", name, max_len=200, identifier=True),
        "role": _choice("role", role, ROLES, aliases={"transmitter": "tx", "receiver": "rx"}),
        "lat": lat_v,
        "lon": lon_v,
        "h_agl_m": _num("h_agl_m", h_agl_m, 0.0, 1000.0, "m"),
        "antenna_pattern": _text("antenna_pattern", antenna_pattern, allow_none=True, max_len=200, identifier=True),
        "g_dbi": _num("g_dbi", g_dbi, -30.0, 80.0, "dBi", allow_none=True),
        "azimuth_deg": az,
        "tilt_deg": _num("tilt_deg", 0.0 if tilt_deg is None else tilt_deg, -90.0, 90.0, "deg"),
        "polarisation": _choice("polarisation", "v" if polarisation is None else str(polarisation).lower(),
                                ("h", "v"), aliases={"horizontal": "h", "vertical": "v"}),
        "feeder_loss_db": _num("feeder_loss_db", 0.0 if feeder_loss_db is None else feeder_loss_db,
                               0.0, 100.0, "dB"),
        **check_environment_fields(indoor, building_type, clutter_class),
    }


def check_assignment_fields(*, role, f_mhz, bw_khz=None, emission=None, eirp_dbw=None, tx_mask=None,
                            rx_selectivity=None, noise_figure_db=None, protection=None,
                            protection_db=None, criterion=None, criterion_db=None) -> dict:
    """Validated assignment fields; the bandwidth comes from the emission designator if not given.

    A given ``bw_khz`` (assigned bandwidth) must be at least the necessary bandwidth of the
    designator. A transmitter needs ``eirp_dbw``; a receiver has none. An I/N criterion on a
    receiver needs its noise figure.
    """
    f = _num("f_mhz", f_mhz, 0.0, 3.0e6, "MHz", lo_open=True)
    em = None
    if emission is not None and str(emission).strip():
        try:
            em = parse_emission(str(emission))
        except ValueError as exc:
            raise RegisterError(str(exc)) from None
    bw = _num("bw_khz", bw_khz, 0.0, 1.0e7, "kHz", allow_none=True, lo_open=True)
    if bw is None:
        if em is None:
            raise RegisterError("an assignment needs bw_khz or an emission designator (e.g. '16K0F3E')")
        bw = em.bw_khz
    elif em is not None and bw < em.bw_khz * (1 - 1e-9):
        raise RegisterError(f"bw_khz = {bw:g} is smaller than the necessary bandwidth {em.bw_khz:g} kHz of "
                            f"emission {em.designator}")
    if f - bw / 2000.0 <= 0:
        raise RegisterError(f"f_mhz = {f:g} with bw_khz = {bw:g} reaches below 0 Hz")
    eirp = _num("eirp_dbw", eirp_dbw, -100.0, 120.0, "dBW", allow_none=True)
    if role == "tx" and eirp is None:
        raise RegisterError("a transmitter assignment needs eirp_dbw")
    if role == "rx" and eirp is not None:
        raise RegisterError(f"eirp_dbw = {eirp:g} given for a receiver assignment (receivers do not radiate)")
    nf = _num("noise_figure_db", noise_figure_db, 0.0, 50.0, "dB", allow_none=True)
    prot = _choice("protection", protection, PROTECTIONS, allow_none=True,
                   aliases={"i/n": "I/N", "c/i": "C/I", "in": "I/N", "ci": "C/I"})
    prot_db = _num("protection_db", protection_db, -100.0, 100.0, "dB", allow_none=True)
    if (prot is None) != (prot_db is None):
        raise RegisterError("protection and protection_db go together (e.g. protection='I/N', protection_db=-6)")
    if prot == "I/N" and role == "rx" and nf is None:
        raise RegisterError("an I/N protection criterion needs the receiver's noise_figure_db")
    return {
        "f_mhz": f, "bw_khz": bw, "emission": em.designator if em else None, "eirp_dbw": eirp,
        "tx_mask": _text("tx_mask", tx_mask, allow_none=True, max_len=200, identifier=True),
        "rx_selectivity": _text("rx_selectivity", rx_selectivity, allow_none=True, max_len=200, identifier=True),
        "noise_figure_db": nf, "protection": prot, "protection_db": prot_db,
        **check_criterion_fields(criterion, criterion_db),
    }


def _float_list(name: str, values, lo=None, hi=None) -> list[float] | None:
    if values is None:
        return None
    if isinstance(values, (str, bytes, dict)):
        raise RegisterError(f"{name} must be a list of numbers")
    try:
        out = [float(v) for v in values]
    except (TypeError, ValueError, OverflowError):
        raise RegisterError(f"{name} must be a list of finite numbers") from None
    for v in out:
        if not math.isfinite(v) or (lo is not None and v < lo) or (hi is not None and v > hi):
            raise RegisterError(f"{name} value {v:g} is outside [{lo}, {hi}]")
    return out


def check_pattern_fields(name, kind, g_max_dbi, params, h_az_deg, h_gain_db, v_el_deg, v_gain_db) -> dict:
    """Validated antenna pattern. Cuts (``table`` kind, optional for others) are gains in dB
    relative to the maximum (<= 0) at azimuths [0, 360] deg / elevations [-90, 90] deg."""
    kind = _choice("antenna pattern kind", kind, PATTERN_KINDS,
                   aliases={"f699": "F.699", "f1245": "F.1245", "f1336": "F.1336", "f.699": "F.699",
                            "f.1245": "F.1245", "f.1336": "F.1336"})
    if params is not None and not isinstance(params, dict):
        raise RegisterError(f"antenna pattern {name!r}: params must be an object of name: value")
    params = dict(params or {})
    for k, v in params.items():
        if not isinstance(k, str):
            raise RegisterError(f"antenna pattern {name!r}: parameter names must be text")
        _text(f"antenna pattern {name!r} parameter name", k, max_len=100, identifier=True)
        if isinstance(v, str):
            _text(f"antenna pattern {name!r} parameter {k}", v, max_len=200)
        elif not isinstance(v, (int, float, bool)):
            raise RegisterError(f"antenna pattern {name!r}: parameter {k} = {_short(v)} must be a finite number or text")
        else:
            _num(f"antenna pattern {name!r} parameter {k}", float(v) if isinstance(v, bool) else v)
    if g_max_dbi is None:
        g_max_dbi = params.get("g_max_dbi")
    g = _num(f"antenna pattern {name!r} g_max_dbi", g_max_dbi, -30.0, 80.0, "dBi")
    params["g_max_dbi"] = g
    h_az = _float_list("h_az_deg", h_az_deg, 0.0, 360.0)
    h_g = _float_list("h_gain_db", h_gain_db, -100.0, 0.0)
    v_el = _float_list("v_el_deg", v_el_deg, -90.0, 90.0)
    v_g = _float_list("v_gain_db", v_gain_db, -100.0, 0.0)
    for a, b, what in ((h_az, h_g, "horizontal"), (v_el, v_g, "vertical")):
        if (a is None) != (b is None) or (a is not None and (len(a) != len(b) or len(a) < 2)):
            raise RegisterError(f"antenna pattern {name!r}: the {what} cut needs angles and gains of the same "
                                "length (at least 2)")
        if a is not None and any(y <= x for x, y in zip(a, a[1:])):
            raise RegisterError(f"antenna pattern {name!r}: the {what} cut angles must increase")
    if kind == "table" and h_az is None and v_el is None:
        raise RegisterError(f"antenna pattern {name!r} of kind 'table' needs a horizontal and/or vertical cut")
    if kind in ("F.699", "F.1245") and "d_lambda" in params:
        _num(f"antenna pattern {name!r} d_lambda", params["d_lambda"], 0.0, 1e5, lo_open=True)
    if kind == "F.1336" and "phi3_deg" in params:
        _num(f"antenna pattern {name!r} phi3_deg", params["phi3_deg"], 0.0, 360.0, "deg", lo_open=True)
    return {"name": _text("antenna pattern name", name, max_len=200, identifier=True), "kind": kind, "g_max_dbi": g,
            "params": params, "h_az_deg": h_az, "h_gain_db": h_g, "v_el_deg": v_el, "v_gain_db": v_g}


def check_mask_fields(name, kind, offset_khz, attenuation_db) -> dict:
    """Validated spectrum mask: offsets from the centre frequency [kHz] from 0, increasing;
    attenuation relative to the in-band level [dB], >= 0 and non-decreasing."""
    kind = _choice("spectrum mask kind", kind, MASK_KINDS)
    off = _float_list("offset_khz", offset_khz, 0.0, 1e8)
    att = _float_list("attenuation_db", attenuation_db, 0.0, 400.0)
    if off is None or att is None or len(off) != len(att) or len(off) < 2:
        raise RegisterError(f"spectrum mask {name!r}: offset_khz and attenuation_db need the same length (>= 2)")
    if off[0] != 0.0:
        raise RegisterError(f"spectrum mask {name!r}: offset_khz must start at 0 (the centre frequency)")
    if any(b <= a for a, b in zip(off, off[1:])):
        raise RegisterError(f"spectrum mask {name!r}: offset_khz must increase")
    if any(b < a for a, b in zip(att, att[1:])):
        raise RegisterError(f"spectrum mask {name!r}: attenuation_db must not decrease with offset")
    return {"name": _text("spectrum mask name", name, max_len=200, identifier=True), "kind": kind,
            "offset_khz": off, "attenuation_db": att}
