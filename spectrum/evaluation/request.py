"""Stage 1 -- the request: what is applied for (:class:`Terminal`, :class:`Request`), its
validation and its construction from JSON or from an application held in the register.

Nothing here computes anything; every later stage takes a validated :class:`Request`.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Mapping

from .._validate import check_finite, check_lat_lon, check_positive, check_range
from ..interference import CRITERIA
from ..masks import Mask

__all__ = ["Terminal", "Request"]


@dataclass
class Terminal:
    """One end of the candidate assignment (a transmitting or receiving station).

    Parameters
    ----------
    lat, lon : float
        Position. [deg]
    h_agl_m : float
        Antenna height above ground. [m]
    g_dbi : float
        Maximum antenna gain. [dBi]
    antenna_pattern : str or dict, optional
        Pattern name in the register, or a pattern dict (kind, params, tables); omni if omitted.
    azimuth_deg, tilt_deg : float
        Boresight azimuth (clockwise from north) and mechanical tilt, positive up (as the
        register stores it; -6 is a 6 deg down-tilt). [deg]
    feeder_loss_db : float
        Feeder loss. [dB]
    name : str, optional
    indoor : bool, optional
        The antenna is inside a building: signals to and from it take the Rec. ITU-R P.2109
        building entry loss of ``building_type``.
    building_type : {"traditional", "thermally efficient"}, optional
        P.2109 building type of an indoor terminal (default traditional).
    clutter_class : str, optional
        P.2108-1 Table 2 clutter around the terminal ("urban", "suburban", ...): the §3.1
        terminal correction applies (30 MHz - 3 GHz).
    """

    lat: float
    lon: float
    h_agl_m: float = 10.0
    g_dbi: float = 0.0
    antenna_pattern: Any = None
    azimuth_deg: float = 0.0
    tilt_deg: float = 0.0
    feeder_loss_db: float = 0.0
    name: str | None = None
    indoor: bool | None = None
    building_type: str | None = None
    clutter_class: str | None = None

    def validate(self, label: str) -> None:
        check_lat_lon(self.lat, self.lon, label)
        check_range(f"{label}.h_agl_m", self.h_agl_m, 0.5, 3000.0, "m")
        check_range(f"{label}.g_dbi", self.g_dbi, -30.0, 80.0, "dBi")
        check_range(f"{label}.azimuth_deg", self.azimuth_deg, -360.0, 360.0, "deg")
        check_range(f"{label}.tilt_deg", self.tilt_deg, -90.0, 90.0, "deg")
        check_range(f"{label}.feeder_loss_db", self.feeder_loss_db, 0.0, 50.0, "dB")
        if self.indoor is not None and not isinstance(self.indoor, (bool, int)):
            raise ValueError(f"{label}.indoor = {self.indoor!r} must be true or false")
        if self.building_type is not None:
            from ..propagation.p2109 import building_type_code
            try:
                building_type_code(str(self.building_type))
            except ValueError as exc:
                raise ValueError(f"{label}.{exc}") from None
        if self.clutter_class is not None:
            from ..propagation.p2108 import clutter_type_code
            try:
                clutter_type_code(str(self.clutter_class))
            except ValueError as exc:
                raise ValueError(f"{label}.{exc}") from None


@dataclass
class Request:
    """A licence application to evaluate: a transmitter and/or a receiver.

    Parameters
    ----------
    service : str
        Service (e.g. "fixed", "mobile", "broadcast-fm").
    f_mhz : float
        Transmit frequency (and receive frequency unless ``rx_f_mhz``). [MHz]
    bw_khz : float, optional
        Necessary bandwidth; from ``emission`` if omitted. [kHz]
    emission : str, optional
        ITU emission designator, e.g. ``"16K0F3E"`` (RR Appendix 1).
    eirp_dbw : float, optional
        EIRP of the transmitter (required with ``tx``). [dBW]
    tx, rx : Terminal, optional
        The transmitting and the receiving station (at least one).
    rx_f_mhz : float, optional
        Receive frequency of ``rx`` when different (duplex). [MHz]
    polarisation : {"h", "v"}
    noise_figure_db : float, optional
        Receiver noise figure (required with ``rx``). [dB]
    protection : {"I/N", "C/I", "C/(N+I)", "(N+I)/N"}
        Protection criterion of the candidate receiver (Rec. ITU-R SM.2028 §3.3; C/I and C/(N+I)
        take the wanted signal from the candidate's own transmitter).
    protection_db : float
        Maximum I/N, minimum C/I, minimum C/(N+I) or maximum (N+I)/N. [dB]
    tx_mask, rx_selectivity : str or dict, optional
        Register mask names or mask dicts; generic shapes (:mod:`spectrum.masks`) if omitted.
    licence_number, licensee : str, optional
    """

    service: str
    f_mhz: float
    bw_khz: float | None = None
    emission: str | None = None
    eirp_dbw: float | None = None
    tx: Terminal | None = None
    rx: Terminal | None = None
    rx_f_mhz: float | None = None
    polarisation: str = "v"
    noise_figure_db: float | None = None
    protection: str = "I/N"
    protection_db: float = -10.0
    tx_mask: Any = None
    rx_selectivity: Any = None
    licence_number: str | None = None
    licensee: str | None = None

    # -- construction ------------------------------------------------------------------
    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Request":
        """From a dict (e.g. parsed JSON); ``tx``/``rx`` as dicts of :class:`Terminal` fields."""
        if not isinstance(d, Mapping):
            raise ValueError(f"a request must be a JSON object, got {type(d).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ValueError(f"request has unknown field(s) {unknown}; known: {sorted(known)}")
        kw = dict(d)
        for end in ("tx", "rx"):
            t = kw.get(end)
            if isinstance(t, Mapping):
                tk = {f.name for f in fields(Terminal)}
                bad = sorted(set(t) - tk)
                if bad:
                    raise ValueError(f"request.{end} has unknown field(s) {bad}; known: {sorted(tk)}")
                missing = [k for k in ("lat", "lon") if k not in t]
                if missing:
                    raise ValueError(f"request.{end} is missing {missing}")
                kw[end] = Terminal(**t)
            elif t is not None and not isinstance(t, Terminal):
                raise ValueError(f"request.{end} = {t!r} must be an object with lat, lon, ... "
                                 f"(a JSON object / dict), got {type(t).__name__}")
        if "service" not in kw or "f_mhz" not in kw:
            raise ValueError("a request needs at least 'service' and 'f_mhz'")
        req = cls(**kw)
        req.validate()
        return req

    @classmethod
    def from_json(cls, text_or_path) -> "Request":
        """From a JSON string or a path to a JSON file."""
        s = str(text_or_path)
        where = "request JSON"
        if not s.lstrip().startswith("{"):
            p = Path(s)
            if not p.exists():
                raise FileNotFoundError(f"request file {p} not found")
            where = f"request file {p}"
            try:
                s = p.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                raise ValueError(f"{where} is not UTF-8 text (byte {exc.start}: {exc.reason}); "
                                 f"a request is UTF-8 JSON") from None
        try:
            d = json.loads(s)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where} is malformed JSON: {exc}") from None
        return cls.from_dict(d)

    @classmethod
    def from_register(cls, reg, licence_number: str, *, status=("application",)) -> "Request":
        """The application ``licence_number`` held in the register: its first transmitter with the
        receiver it pairs with (see :meth:`all_from_register`)."""
        return cls.all_from_register(reg, licence_number, status=status)[0]

    @classmethod
    def all_from_register(cls, reg, licence_number: str, *, status=("application",)) -> list["Request"]:
        """One request per transmitter of the application ``licence_number`` (plus one per
        unpaired receiver). A transmitter pairs with the licence's receiver on the same frequency
        at another site (a fixed-link hop), else with the co-sited receiver whose azimuth is closest
        (an FDD or TDD base-station sector: closest azimuth, then closest frequency), else with
        the nearest receiver left."""
        from .. import geo

        rows = [r for r in reg.query(status=tuple(status)) if r.licence_number == licence_number]
        if not rows:
            raise ValueError(f"licence_number = {licence_number!r}: no assignment with status "
                             f"{', '.join(status)} in the register")
        txs = [r for r in rows if r.role == "tx"]
        rxs = [r for r in rows if r.role == "rx"]

        def dist(a, b):
            return float(geo.distance_km(a.lat, a.lon, b.lat, b.lon))

        def daz(a, b):
            return abs(((float(a.azimuth_deg or 0.0) - float(b.azimuth_deg or 0.0) + 180.0) % 360.0) - 180.0)

        used: set = set()
        pairs = []
        for t in txs:
            free = [r for r in rxs if id(r) not in used]
            hop = [r for r in free if abs(r.f_mhz - t.f_mhz) < 1e-6 and dist(t, r) > 0.05]
            co = sorted((r for r in free if dist(t, r) <= 0.05), key=lambda r: (daz(r, t), abs(r.f_mhz - t.f_mhz)))
            near = sorted(free, key=lambda r: dist(t, r))
            r = hop[0] if hop else (co[0] if co else (near[0] if near else None))
            if r is not None:
                used.add(id(r))
            pairs.append((t, r))
        pairs += [(None, r) for r in rxs if id(r) not in used]
        out = [cls._from_rows(t, r, licence_number) for t, r in pairs]
        for q in out:
            q.validate()
        return out

    @classmethod
    def _from_rows(cls, tx, rx, licence_number) -> "Request":
        def term(r):
            return Terminal(lat=r.lat, lon=r.lon, h_agl_m=r.h_agl_m, g_dbi=r.g_dbi if r.g_dbi is not None else 0.0,
                            antenna_pattern=r.antenna_pattern, azimuth_deg=r.azimuth_deg or 0.0,
                            tilt_deg=r.tilt_deg or 0.0, feeder_loss_db=r.feeder_loss_db or 0.0,
                            name=r.station_name, indoor=None if getattr(r, "indoor", None) is None else bool(r.indoor),
                            building_type=getattr(r, "building_type", None),
                            clutter_class=getattr(r, "clutter_class", None))

        first = tx if tx is not None else rx
        return cls(service=first.service, f_mhz=first.f_mhz, bw_khz=first.bw_khz, emission=first.emission,
                   eirp_dbw=tx.eirp_dbw if tx is not None else None, tx=term(tx) if tx is not None else None,
                   rx=term(rx) if rx is not None else None,
                   rx_f_mhz=rx.f_mhz if rx is not None and tx is not None and rx.f_mhz != tx.f_mhz else None,
                   polarisation=first.polarisation or "v",
                   noise_figure_db=rx.noise_figure_db if rx is not None else None,
                   protection=_criterion(rx)[0], protection_db=_criterion(rx)[1],
                   tx_mask=tx.tx_mask if tx is not None else None,
                   rx_selectivity=rx.rx_selectivity if rx is not None else None,
                   licence_number=licence_number, licensee=first.licensee)

    def to_dict(self) -> dict:
        return asdict(self)

    # -- validation --------------------------------------------------------------------
    def validate(self) -> None:
        """Raise ValueError naming the first bad field."""
        if not isinstance(self.service, str) or not self.service.strip():
            raise ValueError(f"service = {self.service!r} must be a non-empty string")
        check_positive("f_mhz", self.f_mhz, "MHz")
        check_range("f_mhz", self.f_mhz, 0.009, 3e5, "MHz")
        if self.rx_f_mhz is not None:
            check_positive("rx_f_mhz", self.rx_f_mhz, "MHz")
            check_range("rx_f_mhz", self.rx_f_mhz, 0.009, 3e5, "MHz")
        if self.emission is not None:
            from ..emission import parse_emission
            em = parse_emission(self.emission)
            if self.bw_khz is None:
                self.bw_khz = em.bw_khz
        if self.bw_khz is None:
            raise ValueError("request needs bw_khz or an emission designator")
        check_positive("bw_khz", check_finite("bw_khz", self.bw_khz, "kHz"), "kHz")
        for end in ("tx", "rx"):
            t = getattr(self, end)
            if t is not None and not isinstance(t, Terminal):
                raise ValueError(f"{end} = {t!r} must be a Terminal, got {type(t).__name__}")
        if self.tx is None and self.rx is None:
            raise ValueError("request needs a transmitting (tx) and/or a receiving (rx) station")
        if self.tx is not None:
            self.tx.validate("tx")
            if self.eirp_dbw is None:
                raise ValueError("eirp_dbw is required for a transmitting station")
            check_range("eirp_dbw", self.eirp_dbw, -100.0, 100.0, "dBW")
        if self.rx is not None:
            self.rx.validate("rx")
            if self.noise_figure_db is None:
                raise ValueError("noise_figure_db is required for a receiving station")
            check_range("noise_figure_db", self.noise_figure_db, 0.0, 40.0, "dB")
        if self.polarisation not in ("h", "v"):
            raise ValueError(f"polarisation = {self.polarisation!r} must be 'h' or 'v'")
        if self.protection not in CRITERIA:
            raise ValueError(f"protection = {self.protection!r} must be one of {', '.join(CRITERIA)}")
        if self.protection in ("C/I", "C/(N+I)") and (self.tx is None or self.rx is None):
            raise ValueError(f"a {self.protection} criterion needs both tx and rx (the wanted signal is the "
                             f"candidate's own)")
        check_range("protection_db", self.protection_db, -60.0, 80.0, "dB")
        if self.protection == "(N+I)/N" and not self.protection_db > 0.0:
            raise ValueError(f"protection_db = {self.protection_db:g} must be > 0 dB for (N+I)/N "
                             f"(N+I is never below N)")
        for name, spec, kind in (("tx_mask", self.tx_mask, "tx"), ("rx_selectivity", self.rx_selectivity, "rx")):
            if isinstance(spec, Mapping):
                Mask.from_register({**spec, "kind": spec.get("kind", kind)})  # raises ValueError naming the defect
            elif not (spec is None or isinstance(spec, (str, Mask))):
                raise ValueError(f"{name} = {spec!r} must be a register mask name, a mask dict "
                                 f"(offset_khz, attenuation_db) or omitted")

    @property
    def f_rx_mhz(self) -> float:
        return float(self.rx_f_mhz if self.rx_f_mhz is not None else self.f_mhz)



def _criterion(rx) -> tuple:
    """A register receiver row's criterion: ``criterion``/``criterion_db`` when set, else
    ``protection``/``protection_db``, else I/N -10 dB."""
    if rx is not None and getattr(rx, "criterion", None) and getattr(rx, "criterion_db", None) is not None:
        return rx.criterion, float(rx.criterion_db)
    if rx is not None and rx.protection and rx.protection_db is not None:
        return rx.protection, float(rx.protection_db)
    return "I/N", -10.0
