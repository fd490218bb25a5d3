"""Licence-request evaluation: the candidate against the register, in both directions.

:func:`evaluate_request` computes

1. **forward** -- the candidate transmitter as interferer into every registered receiver that
   can be affected: I at the long-term (default 20 %) and short-term (1 %) time percentages
   against the victim's protection criterion (I/N, or C/I with the wanted signal from the
   victim's own transmitter at 50 %);
2. **reverse** -- every registered transmitter into the candidate receiver, each entry and the
   aggregate (power sum) against the candidate's criterion.

Pruning first (vectorised over ``reg.query_arrays``): distance (``max_distance_km``), a frequency
window, then an upper bound on interference (free-space loss less :func:`fs_allowance_db`:
10 dB for anomalous propagation plus the P.452 multipath/focusing enhancement 2.6 |log10(p/50)| dB,
14.4 dB at 1 %; maximum gains; SM.337 FDR) that drops entries which cannot come within
``coordination_margin_db`` of the threshold. Terrain profiles of the remaining paths come from
the DEM in one batch (:func:`spectrum.terrain.profiles`), losses from the propagation model in
batch (P.452-18 by default), antenna gains toward each other end from the path elevation angles.

Decision rule
-------------
Margins are positive when protected. Long-term: criterion as registered (e.g. I/N = -10 dB).
Short-term: the criterion relaxed by ``short_term_allowance_db`` (default 10 dB, i.e. I/N = 0 dB).
The margin of an entry is the smaller of the two.

- **refuse** if any registered victim has a margin < 0 dB;
- **needs coordination** if any victim margin is within ``coordination_margin_db`` (default 3 dB)
  of failing, or a victim could not be computed (outside the terrain data, wanted transmitter of
  a C/I victim unknown) while its free-space bound exceeds the threshold, or the candidate's own
  receiver would not be protected from the aggregate of registered transmitters (the applicant
  must accept that interference or coordinate);
- **grant** otherwise.

References
----------
Rec. ITU-R P.452-18 (10/2023); Rec. ITU-R SM.337-6 (2008); DESIGN.md interference convention.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

from . import __version__
from ._validate import check_finite, check_lat_lon, check_positive, check_range
from .antennas import Antenna
from .interference import aggregate_dbw, noise_dbw
from .masks import FDRCache, Mask

DECISIONS = ("grant", "needs coordination", "refuse")
#: allowance for anomalous propagation (ducting / layer reflection) below free space, used only
#: by the pruning bound, on top of the multipath/focusing enhancement [dB]
FS_ANOMALOUS_DB = 10.0


def fs_allowance_db(p_percent: float) -> float:
    """How far below free space the pruning bound lets the loss go at time percentage ``p``:
    the P.452-18 §4.1 multipath/focusing correction Esp <= 2.6 |log10(p/50)| dB plus
    :data:`FS_ANOMALOUS_DB` for anomalous propagation. [dB]"""
    return FS_ANOMALOUS_DB + 2.6 * abs(math.log10(float(p_percent) / 50.0))
C_LIGHT = 299_792_458.0

MODEL_RANGES_MHZ = {"p452": (100.0, 50000.0), "p1812": (30.0, 6000.0), "itm": (20.0, 20000.0),
                    "free-space": (1e-3, 1e6)}
MODEL_NAMES = {"p452": "ITU-R P.452-18", "p1812": "ITU-R P.1812-6", "itm": "NTIA ITM 1.2.2",
               "free-space": "ITU-R P.525-4"}
BROADCAST = ("broadcast", "fm", "tv", "dab", "dvb")


# ----------------------------------------------------------------------------------------
# Request
# ----------------------------------------------------------------------------------------
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

    def validate(self, label: str) -> None:
        check_lat_lon(self.lat, self.lon, label)
        check_range(f"{label}.h_agl_m", self.h_agl_m, 0.5, 3000.0, "m")
        check_range(f"{label}.g_dbi", self.g_dbi, -30.0, 80.0, "dBi")
        check_range(f"{label}.azimuth_deg", self.azimuth_deg, -360.0, 360.0, "deg")
        check_range(f"{label}.tilt_deg", self.tilt_deg, -90.0, 90.0, "deg")
        check_range(f"{label}.feeder_loss_db", self.feeder_loss_db, 0.0, 50.0, "dB")


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
    protection : {"I/N", "C/I"}
        Protection criterion of the candidate receiver (C/I uses the candidate's own transmitter).
    protection_db : float
        Maximum I/N or minimum C/I. [dB]
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
        from . import geo

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
                            name=r.station_name)

        first = tx if tx is not None else rx
        return cls(service=first.service, f_mhz=first.f_mhz, bw_khz=first.bw_khz, emission=first.emission,
                   eirp_dbw=tx.eirp_dbw if tx is not None else None, tx=term(tx) if tx is not None else None,
                   rx=term(rx) if rx is not None else None,
                   rx_f_mhz=rx.f_mhz if rx is not None and tx is not None and rx.f_mhz != tx.f_mhz else None,
                   polarisation=first.polarisation or "v",
                   noise_figure_db=rx.noise_figure_db if rx is not None else None,
                   protection=(rx.protection if rx is not None and rx.protection else "I/N"),
                   protection_db=(rx.protection_db if rx is not None and rx.protection_db is not None else -10.0),
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
            from .emission import parse_emission
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
        if self.protection not in ("I/N", "C/I"):
            raise ValueError(f"protection = {self.protection!r} must be 'I/N' or 'C/I'")
        if self.protection == "C/I" and (self.tx is None or self.rx is None):
            raise ValueError("a C/I criterion needs both tx and rx (the wanted signal is the candidate's own)")
        check_range("protection_db", self.protection_db, -60.0, 80.0, "dB")
        for name, spec, kind in (("tx_mask", self.tx_mask, "tx"), ("rx_selectivity", self.rx_selectivity, "rx")):
            if isinstance(spec, Mapping):
                Mask.from_register({**spec, "kind": spec.get("kind", kind)})  # raises ValueError naming the defect
            elif not (spec is None or isinstance(spec, (str, Mask))):
                raise ValueError(f"{name} = {spec!r} must be a register mask name, a mask dict "
                                 f"(offset_khz, attenuation_db) or omitted")

    @property
    def f_rx_mhz(self) -> float:
        return float(self.rx_f_mhz if self.rx_f_mhz is not None else self.f_mhz)


# ----------------------------------------------------------------------------------------
# Propagation models
# ----------------------------------------------------------------------------------------
LossFn = Callable[..., np.ndarray]


def free_space_loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, **_) -> np.ndarray:  # noqa: ARG001
    """Free-space basic transmission loss over each path's length, Rec. ITU-R P.525-4 Eq. (6). [dB]"""
    dt = np.take_along_axis(np.asarray(d_km), (np.asarray(n) - 1)[:, None], axis=1)[:, 0]
    return 32.45 + 20.0 * np.log10(np.asarray(f_ghz) * 1000.0) + 20.0 * np.log10(dt)


def _p452_loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, *, pol="v", lat=None, zone=None, dct_km=500.0,
                  dcr_km=500.0, **_):
    from .propagation import p452

    r = p452.basic_transmission_loss(d_km, h_m, f_ghz, p, htg_m, hrg_m, n=n, pol=pol, lat=lat, zone=zone,
                                     dct_km=dct_km, dcr_km=dcr_km)
    return np.asarray(r.lb, dtype=float)


def _p1812_loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, *, pol="v", lat=None, zone=None, dct_km=None,
                   dcr_km=None, **_):
    from .propagation import p1812

    if zone is not None:  # P.452 codes (1 coastal, 2 inland, 3 sea) -> P.1812 (3 coastal, 4 inland, 1 sea)
        zone = np.choose(np.asarray(zone, dtype=np.int64) - 1, [3.0, 4.0, 1.0])
    r = p1812.basic_transmission_loss(d_km, h_m, f_ghz, p, htg_m, hrg_m, n=n, pol=pol, lat=lat, zone=zone,
                                      dct_km=dct_km, dcr_km=dcr_km)
    return np.asarray(getattr(r, "lb", r), dtype=float)


def _itm_loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, *, pol="v", **_):
    from .propagation import itm

    fn = getattr(itm, "basic_transmission_loss", None)
    if fn is None:
        raise ValueError("model 'itm' has no batch basic_transmission_loss in this installation")
    r = fn(d_km, h_m, f_ghz, p, htg_m, hrg_m, n=n, pol=pol)
    return np.asarray(getattr(r, "lb", r), dtype=float)


LOSS_FUNCTIONS: dict[str, LossFn] = {"p452": _p452_loss_fn, "p1812": _p1812_loss_fn, "itm": _itm_loss_fn,
                                     "free-space": free_space_loss_fn}


def resolve_model(model: str, service: str) -> str:
    """``"auto"``: P.1812 for broadcast services when installed, P.452 otherwise."""
    m = str(model).lower()
    if m == "auto":
        if any(b in service.lower() for b in BROADCAST) and _model_available("p1812"):
            return "p1812"
        return "p452"
    if m not in LOSS_FUNCTIONS:
        raise ValueError(f"model = {model!r} is not one of {', '.join(['auto', *LOSS_FUNCTIONS])}")
    if not _model_available(m):
        raise ValueError(f"model = {model!r}: spectrum.propagation.{m} has no batch basic_transmission_loss "
                         f"in this installation")
    return m


def _model_available(m: str) -> bool:
    import importlib

    if m == "free-space":
        return True
    try:
        mod = importlib.import_module(f"spectrum.propagation.{m}")
    except ModuleNotFoundError:
        return False
    return hasattr(mod, "basic_transmission_loss")


def model_version(m: str) -> str:
    if m == "p452":
        try:
            from .propagation import p452
            return f"ITU-R P.452-{getattr(p452, 'DEFAULT_VERSION', 18)}"
        except Exception:  # noqa: BLE001 - model not installed
            return "ITU-R P.452-18"
    return MODEL_NAMES.get(m, m)


# ----------------------------------------------------------------------------------------
# Evaluation result
# ----------------------------------------------------------------------------------------
@dataclass
class Evaluation:
    """Result of :func:`evaluate_request`.

    Attributes
    ----------
    decision : str
        "grant", "needs coordination" or "refuse".
    reasons : list of str
        Why, one line per finding.
    worst_margin_db : float
        Smallest victim margin (NaN when there is no victim). [dB]
    victims : dict of numpy arrays
        One row per registered receiver assessed (forward direction).
    interferers : dict of numpy arrays
        One row per registered transmitter into the candidate receiver (reverse direction).
    aggregate : dict
        Aggregate interference at the candidate receiver (power sum) and its margins.
    request : Request
    inputs : dict
        Model, time percentages, parameters, terrain source.
    model_versions : dict
    """

    decision: str
    reasons: list
    worst_margin_db: float
    victims: dict
    interferers: dict
    aggregate: dict
    request: Request
    inputs: dict
    model_versions: dict
    created_utc: str = field(default_factory=lambda: _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"))
    evaluation_id: int | None = None

    # -- views ------------------------------------------------------------------------
    @staticmethod
    def _rows(table: dict) -> list[dict]:
        if not table:
            return []
        n = len(next(iter(table.values())))
        return [{k: _py(v[i]) for k, v in table.items()} for i in range(n)]

    def victim_rows(self) -> list[dict]:
        return self._rows(self.victims)

    def interferer_rows(self) -> list[dict]:
        return self._rows(self.interferers)

    def to_dict(self) -> dict:
        return {"decision": self.decision, "reasons": list(self.reasons),
                "worst_margin_db": _py(self.worst_margin_db), "aggregate": {k: _py(v) for k, v in self.aggregate.items()},
                "victims": self.victim_rows(), "interferers": self.interferer_rows(),
                "request": self.request.to_dict(), "inputs": self.inputs, "model_versions": self.model_versions,
                "created_utc": self.created_utc, "evaluation_id": self.evaluation_id}

    def to_json(self, **kw) -> str:
        from .io import to_json

        kw.setdefault("indent", 2)
        return to_json(self.to_dict(), **kw)

    def to_hdf5(self, path) -> Path:
        """Write through :func:`spectrum.io.write_hdf5`: ``victims/<col>``, ``interferers/<col>``
        tables, the decision and aggregate as root attributes, inputs as provenance."""
        from .io import write_hdf5

        ds = {}
        for grp, table in (("victims", self.victims), ("interferers", self.interferers)):
            for k, v in table.items():
                ds[f"{grp}/{k}"] = _h5_column(v)
        attrs = {"decision": self.decision, "reasons": "\n".join(self.reasons),
                 "worst_margin_db": float(self.worst_margin_db),
                 "request_json": json.dumps(self.request.to_dict(), default=_py),
                 "aggregate_json": json.dumps({k: _py(v) for k, v in self.aggregate.items()}),
                 "model_versions_json": json.dumps(self.model_versions)}
        return write_hdf5(path, ds, attrs=attrs, model=", ".join(sorted(set(self.model_versions.values()))),
                          inputs=self.inputs)

    def report(self) -> str:
        """A readable text report."""
        r = self.request
        L = []
        L.append("Spectrum licence-request evaluation")
        L.append("=" * 72)
        L.append(f"Licence: {r.licence_number or '-'}   Licensee: {r.licensee or '-'}   Service: {r.service}")
        bw = f"{r.bw_khz:g} kHz" + (f" ({r.emission})" if r.emission else "")
        L.append(f"Frequency: Tx {r.f_mhz:g} MHz" + (f", Rx {r.f_rx_mhz:g} MHz" if r.rx else "") + f", bandwidth {bw}")
        if r.tx:
            L.append(f"Tx: {r.tx.name or '-'} ({r.tx.lat:.5f}, {r.tx.lon:.5f}) h={r.tx.h_agl_m:g} m, "
                     f"EIRP {r.eirp_dbw:g} dBW, G {r.tx.g_dbi:g} dBi, az {r.tx.azimuth_deg:g} deg, "
                     f"tilt {r.tx.tilt_deg:g} deg, pattern {_pattern_name(r.tx.antenna_pattern)}")
        if r.rx:
            L.append(f"Rx: {r.rx.name or '-'} ({r.rx.lat:.5f}, {r.rx.lon:.5f}) h={r.rx.h_agl_m:g} m, "
                     f"NF {r.noise_figure_db:g} dB, {r.protection} {r.protection_db:g} dB")
        i = self.inputs
        L.append(f"Model: {self.model_versions.get('propagation', '-')}; time percentages "
                 f"long-term {i['p_long_percent']:g} %, short-term {i['p_short_percent']:g} % "
                 f"(criterion + {i['short_term_allowance_db']:g} dB); wanted signals 50 %")
        L.append(f"Terrain: {i.get('terrain', '-')}")
        L.append(f"Considered within {i['max_distance_km']:g} km: {i['n_victims_considered']} receivers, "
                 f"{i['n_interferers_considered']} transmitters; computed after pruning: "
                 f"{len(self.victim_rows())} victims, {len(self.interferer_rows())} interferers")
        L.append("")
        L.append(f"DECISION: {self.decision.upper()}"
                 + (f"   (worst victim margin {self.worst_margin_db:+.1f} dB)" if np.isfinite(self.worst_margin_db) else ""))
        for reason in self.reasons:
            L.append(f"  - {reason}")
        L.append("")
        L.append(self.victims_table())
        if self.request.rx is not None:
            L.append("")
            L.append(self.interferers_table())
        return "\n".join(L)

    def victims_table(self, max_rows: int = 25) -> str:
        rows = self.victim_rows()
        hdr = ("Victim receivers (candidate Tx as interferer)\n"
               f"{'licence':<12}{'station':<18}{'service':<12}{'f MHz':>9}{'d km':>7}{'FDR':>6}"
               f"{'Lb20%':>7}{'Lb1%':>7}{'I dBW':>8}{'crit':>10}{'margin':>8}  status")
        if not rows:
            return hdr + "\n  (none within reach)"
        rows.sort(key=lambda r: (r["margin_db"] if r["margin_db"] is not None and np.isfinite(r["margin_db"]) else -1e9))
        out = [hdr]
        for r in rows[:max_rows]:
            out.append(f"{str(r['licence_number'])[:11]:<12}{str(r['station_name'])[:17]:<18}{str(r['service'])[:11]:<12}"
                       f"{r['f_mhz']:>9.3f}{r['d_km']:>7.1f}{_f(r['fdr_db'], 6, 1)}{_f(r['lb_long_db'], 7, 1)}"
                       f"{_f(r['lb_short_db'], 7, 1)}{_f(r['i_long_dbw'], 8, 1)}"
                       f"{(r['criterion'] + ' ' + format(r['protection_db'], 'g')):>10}{_f(r['margin_db'], 8, 1)}  {r['status']}")
        if len(rows) > max_rows:
            out.append(f"  ... {len(rows) - max_rows} more (see --json / --hdf5)")
        return "\n".join(out)

    def interferers_table(self, max_rows: int = 15) -> str:
        rows = self.interferer_rows()
        a = self.aggregate
        hdr = ("Registered transmitters into the candidate receiver\n"
               f"{'licence':<12}{'station':<18}{'service':<12}{'f MHz':>9}{'d km':>7}{'FDR':>6}"
               f"{'Lb20%':>7}{'I dBW':>8}{'I/N dB':>8}{'share%':>8}")
        out = [hdr]
        rows.sort(key=lambda r: -(r["i_long_dbw"] if np.isfinite(r["i_long_dbw"]) else -1e9))
        for r in rows[:max_rows]:
            out.append(f"{str(r['licence_number'])[:11]:<12}{str(r['station_name'])[:17]:<18}{str(r['service'])[:11]:<12}"
                       f"{r['f_mhz']:>9.3f}{r['d_km']:>7.1f}{_f(r['fdr_db'], 6, 1)}{_f(r['lb_long_db'], 7, 1)}"
                       f"{_f(r['i_long_dbw'], 8, 1)}{_f(r['i_over_n_long_db'], 8, 1)}{_f(r['share_percent'], 8, 1)}")
        if not rows:
            out.append("  (none within reach)")
        elif len(rows) > max_rows:
            out.append(f"  ... {len(rows) - max_rows} more")
        if a:
            out.append(f"Aggregate (power sum): I = {_f(a['i_long_dbw'], 0, 1).strip()} dBW long-term, "
                       f"{_f(a['i_short_dbw'], 0, 1).strip()} dBW short-term; N = {a['n_dbw']:.1f} dBW; "
                       f"margin {_f(a['margin_db'], 0, 1).strip()} dB")
        return "\n".join(out)

    def store(self, reg, user: str = "spectrum") -> int:
        """Store in the register (``reg.store_evaluation``); returns and records the id."""
        d = self.to_dict()
        self.evaluation_id = int(reg.store_evaluation(
            request=d["request"], result={k: d[k] for k in ("worst_margin_db", "aggregate", "victims",
                                                            "interferers", "reasons", "inputs")},
            decision=self.decision, model_versions=self.model_versions, user=user,
            licence_number=self.request.licence_number))
        return self.evaluation_id


def _h5_column(v) -> np.ndarray:
    """Object columns become numbers when every entry is numeric, else UTF-8 strings."""
    a = np.asarray(v)
    if a.dtype != object:
        return a
    vals = [x.item() if isinstance(x, np.generic) else x for x in a]
    if all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in vals):
        return np.asarray(vals, dtype=float if any(isinstance(x, float) for x in vals) else np.int64)
    return np.asarray(["" if x is None else str(x) for x in vals], dtype=object)


def _f(v, w, prec):
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        s = "-" if v is None or np.isnan(v) else ("-inf" if v < 0 else "inf")
        return f"{s:>{w}}"
    return f"{v:>{w}.{prec}f}"


def _pattern_name(p) -> str:
    if p is None:
        return "omni"
    if isinstance(p, Mapping):
        return str(p.get("name") or p.get("kind"))
    return str(p)


def _py(v):
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None if math.isnan(v) else v
    if isinstance(v, np.ndarray):
        return v.tolist()
    return v


# ----------------------------------------------------------------------------------------
# The engine
# ----------------------------------------------------------------------------------------
_FIELDS = ("licence_number", "licensee", "service", "station_id", "station_name", "lat", "lon", "h_agl_m",
           "antenna_pattern", "g_dbi", "azimuth_deg", "tilt_deg", "polarisation", "feeder_loss_db",
           "assignment_id", "f_mhz", "bw_khz", "eirp_dbw", "tx_mask", "rx_selectivity", "noise_figure_db",
           "protection", "protection_db")


def _arrays(reg, *, lat, lon, radius_km, f_min, f_max, role, status=("granted",)) -> dict:
    a = reg.query_arrays(lat=lat, lon=lon, radius_km=radius_km, f_min_mhz=f_min, f_max_mhz=f_max,
                         status=tuple(status), role=role)
    a = {k: np.asarray(v) for k, v in a.items()}
    n = len(a["f_mhz"]) if "f_mhz" in a else 0
    for k in _FIELDS:
        if k not in a:
            a[k] = np.full(n, None, dtype=object)
    return a


def _take(a: dict, idx) -> dict:
    return {k: v[idx] for k, v in a.items()}


def _num(v, default=np.nan) -> np.ndarray:
    """Object array with None -> float array with ``default``."""
    v = np.asarray(v)
    if v.dtype == object:
        return np.array([default if x is None else float(x) for x in v], dtype=float)
    out = v.astype(float)
    if np.isnan(out).any() and not np.isnan(default):
        out = np.where(np.isnan(out), default, out)
    return out


class _Masks:
    """Resolve register mask names / dicts / None into :class:`Mask` objects, cached."""

    def __init__(self, reg):
        self.reg = reg
        self.cache: dict = {}

    def get(self, spec, bw_khz: float, kind: str) -> Mask:
        if isinstance(spec, Mask):
            return spec
        if isinstance(spec, Mapping):
            return Mask.from_register({**spec, "kind": spec.get("kind", kind)})
        key = (spec, float(bw_khz), kind) if spec in (None, "") else (spec, kind)
        m = self.cache.get(key)
        if m is None:
            if spec in (None, ""):
                m = Mask.generic_tx(bw_khz) if kind == "tx" else Mask.generic_rx(bw_khz)
            else:
                m = Mask.from_register({**self.reg.spectrum_mask(spec), "kind": kind})
            self.cache[key] = m
        return m


class _Antennas:
    def __init__(self, reg):
        self.reg = reg
        self.patterns: dict = {}
        self.objects: dict = {}

    def get(self, spec, g_dbi: float) -> Antenna:
        if isinstance(spec, Antenna):
            return spec
        if spec is None or spec == "":
            return Antenna("omni", float(g_dbi))
        if isinstance(spec, Mapping):
            return Antenna.from_pattern(spec, g_dbi)
        key = (spec, float(g_dbi))
        ant = self.objects.get(key)
        if ant is None:
            p = self.patterns.get(spec)
            if p is None:
                p = self.reg.antenna_pattern(spec)
                self.patterns[spec] = p
            ant = Antenna.from_pattern(p, g_dbi)
            self.objects[key] = ant
        return ant

    def gains(self, specs, g_dbi, azimuth, tilt, bearing, elevation, f_mhz) -> np.ndarray:
        """Gain of each row's antenna toward ``bearing``/``elevation`` (rows grouped by antenna)."""
        n = len(g_dbi)
        out = np.empty(n)
        groups: dict = {}
        for i in range(n):
            s = specs[i] if not isinstance(specs[i], Mapping) else id(specs[i])
            groups.setdefault((s, float(g_dbi[i]), float(tilt[i]), round(float(f_mhz[i]), 3)), []).append(i)
        for (s, g, t, f), idx in groups.items():
            idx = np.asarray(idx)
            spec = specs[idx[0]]
            ant = self.get(spec, g)
            if ant.kind == "omni":
                out[idx] = g
                continue
            az_off = ((bearing[idx] - azimuth[idx] + 180.0) % 360.0) - 180.0
            out[idx] = ant.gain_dbi(az_off, np.clip(elevation[idx], -90, 90), max(f, 100.0), tilt_deg=t)
        return out


@dataclass
class _Paths:
    """A batch of terrain paths and what is fixed along them."""

    d: np.ndarray
    h: np.ndarray
    n: np.ndarray
    ok: np.ndarray          # path computed (inside the DEM)
    length_km: np.ndarray
    lat_mid: np.ndarray
    zone: np.ndarray | None = None   # P.452 radio-climatic zone per sample (1 coastal, 2 inland, 3 sea)
    dct_km: np.ndarray | None = None  # distance over land from the first end to the coast
    dcr_km: np.ndarray | None = None  # ... from the last end


_ZONE_CACHE: dict = {}


def _zone_grid(dem):
    """P.452-18 radio-climatic zone map of the DEM (:func:`spectrum.terrain.radio_climatic_zones`), cached."""
    hit = _ZONE_CACHE.get(id(dem))
    if hit is not None and hit[0] is dem:
        return hit[1]
    from . import terrain

    z = terrain.radio_climatic_zones(dem)
    lat = np.asarray(z.coords["lat"].values, float)
    lon = np.asarray(z.coords["lon"].values, float)
    grid = (np.ascontiguousarray(z.values.astype(np.int8)), lat[0], (lat[-1] - lat[0]) / (lat.size - 1),
            lon[0], (lon[-1] - lon[0]) / (lon.size - 1))
    _ZONE_CACHE.clear()
    _ZONE_CACHE[id(dem)] = (dem, grid)
    return grid


def _zones_along(grid, la, lo, d, n):
    """Zone code of each profile sample (nearest grid cell) and the distances over land from each
    end to the first sea sample (P.452 dct, dcr; 500 km when the path meets no sea)."""
    from .kernels.interference import zones_along

    z, lat0, dlat, lon0, dlon = grid
    zone = np.empty(d.shape)
    dct = np.empty(d.shape[0])
    dcr = np.empty(d.shape[0])
    zones_along(z, float(lat0), float(dlat), float(lon0), float(dlon), np.ascontiguousarray(la),
                np.ascontiguousarray(lo), np.ascontiguousarray(d), n.astype(np.int64), zone, dct, dcr)
    return zone, dct, dcr


def _profiles(dem, lat1, lon1, lat2, lon2, step_m, zones: bool = False):
    from . import geo, terrain

    m = len(lat1)
    if m == 0:
        z = np.zeros((0, 2))
        return _Paths(z, z, np.zeros(0, np.int64), np.zeros(0, bool), np.zeros(0), np.zeros(0))
    b = terrain.dem_bounds(dem)
    eps = 1e-9
    inside = ((lat1 >= b[0] + eps) & (lat1 <= b[1] - eps) & (lon1 >= b[2] + eps) & (lon1 <= b[3] - eps)
              & (lat2 >= b[0] + eps) & (lat2 <= b[1] - eps) & (lon2 >= b[2] + eps) & (lon2 <= b[3] - eps))
    length = np.atleast_1d(geo.distance_km(lat1, lon1, lat2, lon2))
    inside &= length > 0.01  # co-sited (< 10 m): no terrain path, reported as not computed
    ok = inside.copy()
    idx = np.flatnonzero(inside)
    n = np.zeros(m, np.int64)

    def batch(k, step):
        out = terrain.profiles(dem, lat1[k], lon1[k], lat2[k], lon2[k], step_m=step, fill=0.0, return_latlon=True)
        return list(out)

    if idx.size:
        # a path that leaves the DEM or crosses a void comes back with n = 0: drop it
        dd, hh, nn, la, lo = terrain.profiles(dem, lat1[idx], lon1[idx], lat2[idx], lon2[idx], step_m=step_m,
                                              fill=0.0, return_latlon=True, on_error="skip")
        good = nn > 0
        if not good.all():
            ok[idx[~good]] = False
            idx = idx[good]
            width = int(nn[good].max()) if idx.size else 2
            dd, hh, la, lo = (a[good, :width] for a in (dd, hh, la, lo))
            nn = nn[good]
        short = np.flatnonzero(nn < 5) if idx.size else np.zeros(0, np.int64)
        if short.size:  # P.452 needs >= 4 points: resample short paths at 1/6 of their length
            extra = []
            for k in short:
                j = idx[k]
                out = batch(np.array([j]), max(length[j] * 1000.0 / 6.0, 1.0))
                extra.append((k, [a[0, :out[2][0]] for a in (out[0], out[1], out[3], out[4])], out[2][0]))
            width = max(dd.shape[1], max(e[2] for e in extra))
            if width > dd.shape[1]:
                pad = ((0, 0), (0, width - dd.shape[1]))
                dd, hh, la, lo = (np.pad(a, pad) for a in (dd, hh, la, lo))
            for k, arrs, ns in extra:
                for a, v in zip((dd, hh, la, lo), arrs):
                    a[k, :] = 0.0
                    a[k, :ns] = v
                nn[k] = ns
        if idx.size == m:  # every path on the terrain: use the batch as it is (zero padded)
            d, h, lat_s, lon_s = dd, hh, la, lo
        else:
            nmax = dd.shape[1] if idx.size else 2
            d, h, lat_s, lon_s = (np.zeros((m, nmax)) for _ in range(4))
            for full, part in ((d, dd), (h, hh), (lat_s, la), (lon_s, lo)):
                full[idx] = part
        n[idx] = nn
    else:
        d, h, lat_s, lon_s = (np.zeros((m, 2)) for _ in range(4))
    # placeholder 2-point flat paths for the rest keep array shapes valid (never used as results)
    rest = np.flatnonzero(~ok)
    d[rest, :] = 0.0
    d[rest, 1] = np.maximum(length[rest], 0.01)
    n[rest] = 2
    lat_mid = (np.asarray(lat1) + np.asarray(lat2)) / 2.0
    paths = _Paths(d, h, n, ok, length, lat_mid)
    if zones:
        paths.zone, paths.dct_km, paths.dcr_km = _zones_along(_zone_grid(dem), lat_s, lon_s, d, n)
    return paths


class Scenario:
    """Everything about a request that does not change with the channel: counterpart stations,
    terrain paths, antenna geometry. Built once by :func:`build_scenario`, evaluated per channel
    (:meth:`compute`) -- the basis of :mod:`spectrum.sweep`."""

    def __init__(self):
        self.fwd: dict = {}
        self.rev: dict = {}
        self.wanted: dict = {}
        self.universe: dict = {}
        self.geom_cache: dict = {}
        self._loss_cache: dict = {}


def build_scenario(reg, req: Request, *, dem=None, model: str = "p452", f_tx_range_mhz=None, f_rx_range_mhz=None,
                   max_distance_km: float = 150.0, freq_window_mhz: float | None = None,
                   step_m: float | None = None, loss_fn: LossFn | None = None,
                   exclude_licence: str | None = None, zones: bool = True) -> Scenario:
    """Query, prune by distance and frequency window, and extract terrain paths (once)."""
    req.validate()
    sc = Scenario()
    sc.req = req
    sc.reg = reg
    sc.model = resolve_model(model, req.service) if loss_fn is None else "custom"
    sc.loss_fn = loss_fn if loss_fn is not None else LOSS_FUNCTIONS[sc.model]
    f_tx_lo, f_tx_hi = f_tx_range_mhz or (req.f_mhz, req.f_mhz)
    f_rx_lo, f_rx_hi = f_rx_range_mhz or (req.f_rx_mhz, req.f_rx_mhz)
    if sc.model in MODEL_RANGES_MHZ and loss_fn is None:
        lo, hi = MODEL_RANGES_MHZ[sc.model]
        check_range("f_mhz", [f_tx_lo, f_tx_hi], lo, hi, "MHz", MODEL_NAMES[sc.model])
        if req.rx is not None:
            check_range("rx_f_mhz", [f_rx_lo, f_rx_hi], lo, hi, "MHz", MODEL_NAMES[sc.model])
    check_positive("max_distance_km", max_distance_km, "km")
    if dem is None:
        from .datasets.terrain import default_dem
        dem = default_dem()
    sc.dem = dem
    sc.max_distance_km = float(max_distance_km)
    sc.masks = _Masks(reg)
    sc.antennas = _Antennas(reg)
    sc.fdr = FDRCache()
    bw = float(req.bw_khz)
    win = freq_window_mhz if freq_window_mhz is not None else 20.0 + 10.0 * bw / 1000.0
    sc.freq_window_mhz = float(win)
    from . import terrain

    b = terrain.dem_bounds(dem)
    for lbl, t in (("tx", req.tx), ("rx", req.rx)):
        if t is not None and not (b[0] <= t.lat <= b[1] and b[2] <= t.lon <= b[3]):
            raise ValueError(f"{lbl} ({t.lat:.5f}, {t.lon:.5f}) is outside the terrain data "
                             f"(lat {b[0]:g}..{b[1]:g}, lon {b[2]:g}..{b[3]:g}); pass a DEM that covers it")
    excl = exclude_licence if exclude_licence is not None else req.licence_number

    def drop_own(a):
        if excl is None or not len(a["f_mhz"]):
            return a
        keep = np.array([x != excl for x in a["licence_number"]], dtype=bool)
        return _take(a, keep)

    sc.n_victims_considered = 0
    sc.n_interferers_considered = 0
    if req.tx is not None:
        a = drop_own(_arrays(reg, lat=req.tx.lat, lon=req.tx.lon, radius_km=max_distance_km,
                             f_min=f_tx_lo - win, f_max=f_tx_hi + win, role="rx"))
        sc.n_victims_considered = len(a["f_mhz"])
        sc.fwd = a
    if req.rx is not None:
        a = drop_own(_arrays(reg, lat=req.rx.lat, lon=req.rx.lon, radius_km=max_distance_km,
                             f_min=f_rx_lo - win, f_max=f_rx_hi + win, role="tx"))
        sc.n_interferers_considered = len(a["f_mhz"])
        sc.rev = a
    sc.step_m = step_m
    sc.zones = bool(zones)
    sc.paths_ready = False
    return sc


def _geometry(sc: Scenario, which: str, idx: np.ndarray):
    """Extract terrain paths + angles for rows ``idx`` of ``which`` ("fwd", "rev", "wanted")."""
    from . import geo
    req = sc.req
    a = getattr(sc, which)
    if which == "fwd":
        la1 = np.full(idx.size, req.tx.lat)
        lo1 = np.full(idx.size, req.tx.lon)
        la2, lo2 = _num(a["lat"])[idx], _num(a["lon"])[idx]
    elif which == "rev":
        la1, lo1 = _num(a["lat"])[idx], _num(a["lon"])[idx]
        la2 = np.full(idx.size, req.rx.lat)
        lo2 = np.full(idx.size, req.rx.lon)
    else:
        la1, lo1 = _num(a["tx_lat"])[idx], _num(a["tx_lon"])[idx]
        la2, lo2 = _num(a["lat"])[idx], _num(a["lon"])[idx]
    paths = _profiles(sc.dem, la1, lo1, la2, lo2, sc.step_m, zones=sc.zones)
    paths.bearing_12 = np.atleast_1d(geo.bearing_deg(la1, lo1, la2, lo2))
    paths.bearing_21 = np.atleast_1d(geo.bearing_deg(la2, lo2, la1, lo1))
    return paths


def _elevations(paths: _Paths, htg, hrg, ae_km: float = 6371.0 * 157.0 / (157.0 - 45.0), cache=None, key=None):
    from .kernels.interference import path_elevations

    if cache is not None:
        ck = ("elev", key, np.asarray(htg, float).tobytes(), np.asarray(hrg, float).tobytes())
        hit = cache.get(ck)
        if hit is None:
            hit = _elevations(paths, htg, hrg, ae_km)
            cache[ck] = hit
        return hit
    m = paths.n.size
    el_t = np.zeros(m)
    el_r = np.zeros(m)
    if m:
        rows = np.arange(m)
        h0 = paths.h[rows, 0]
        hn = paths.h[rows, paths.n - 1]
        path_elevations(paths.d, paths.h, paths.n, h0 + htg, hn + hrg, ae_km, el_t, el_r)
    return el_t, el_r


def _loss(sc: Scenario, key, paths: _Paths, f_mhz, p, htg, hrg, pol) -> np.ndarray:
    """Basic transmission loss of each path (NaN where the path is outside the terrain), cached.

    With P.452 the frequency-independent path geometry is prepared once per (paths, heights)
    (:func:`spectrum.propagation.p452.prepare_path`) and reused for every frequency and time
    percentage -- the terrain work of a sweep is done once.
    """
    m = paths.n.size
    f = np.broadcast_to(np.asarray(f_mhz, float), (m,))
    htg = np.broadcast_to(np.asarray(htg, float), (m,))
    hrg = np.broadcast_to(np.asarray(hrg, float), (m,))
    pol = np.broadcast_to(np.asarray(pol, dtype=object), (m,))
    hk = (key, htg.tobytes(), hrg.tobytes())
    ck = hk + (float(p), np.round(f, 6).tobytes(), "".join(pol))
    hit = sc._loss_cache.get(ck)
    if hit is not None:
        return hit
    lb = np.full(m, np.nan)
    ok = np.flatnonzero(paths.ok)
    if ok.size:
        if sc.model == "p452":
            prep = sc._loss_cache.get(("prep",) + hk)
            if prep is None:
                from .propagation import p452
                nmax = int(paths.n[ok].max())
                zone = None if paths.zone is None else np.ascontiguousarray(paths.zone[ok, :nmax])
                prep = p452.prepare_path(np.ascontiguousarray(paths.d[ok, :nmax]),
                                         np.ascontiguousarray(paths.h[ok, :nmax]), htg[ok], hrg[ok],
                                         n=paths.n[ok], lat=paths.lat_mid[ok], zone=zone)
                sc._loss_cache[("prep",) + hk] = prep
            kw = {} if paths.dct_km is None else {"dct_km": paths.dct_km[ok], "dcr_km": paths.dcr_km[ok]}
            lb[ok] = np.asarray(prep.loss(f[ok] / 1000.0, float(p), pol=list(pol[ok]), **kw).lb, dtype=float)
        else:
            for pv in ("h", "v"):
                sel = ok[np.array([pol[i] == pv for i in ok], dtype=bool)]
                if not sel.size:
                    continue
                nmax = int(paths.n[sel].max())
                zkw = {} if paths.zone is None else {"zone": np.ascontiguousarray(paths.zone[sel, :nmax]),
                                                     "dct_km": paths.dct_km[sel], "dcr_km": paths.dcr_km[sel]}
                lb[sel] = sc.loss_fn(np.ascontiguousarray(paths.d[sel, :nmax]),
                                     np.ascontiguousarray(paths.h[sel, :nmax]), paths.n[sel], f[sel] / 1000.0,
                                     float(p), htg[sel], hrg[sel], pol=pv, lat=paths.lat_mid[sel], **zkw)
    sc._loss_cache[ck] = lb
    return lb


def _loss_at(sc: Scenario, key, paths: _Paths, f_mhz: float, p, htg, hrg, pol) -> np.ndarray:
    """Loss at one frequency for all paths; in a sweep (``sc.freq_nodes`` set) interpolated
    linearly in log f between the two bracketing frequency nodes, each computed once."""
    nodes = getattr(sc, "freq_nodes", None)
    f = float(f_mhz)
    if nodes is None or f <= nodes[0] or f >= nodes[-1]:
        return _loss(sc, key, paths, f, p, htg, hrg, pol)
    j = int(np.searchsorted(nodes, f))
    lo, hi = float(nodes[j - 1]), float(nodes[j])
    if abs(f - hi) < 1e-9:
        return _loss(sc, key, paths, hi, p, htg, hrg, pol)
    w = math.log(f / lo) / math.log(hi / lo)
    return (1.0 - w) * _loss(sc, key, paths, lo, p, htg, hrg, pol) + w * _loss(sc, key, paths, hi, p, htg, hrg, pol)


def _fs_db(d_km, f_mhz):
    return 32.45 + 20.0 * np.log10(np.maximum(d_km, 1e-3)) + 20.0 * np.log10(f_mhz)


def _pols(v, default):
    return np.array([x if x in ("h", "v") else default for x in v], dtype=object)


def evaluate_request(register, request, *, dem=None, model: str = "p452", p_percent=(20.0, 1.0),
                     short_term_allowance_db: float = 10.0, coordination_margin_db: float = 3.0,
                     max_distance_km: float = 150.0, freq_window_mhz: float | None = None,
                     step_m: float | None = None, loss_fn: LossFn | None = None, zones: bool = True,
                     store: bool = False, user: str = "spectrum") -> Evaluation:
    """Evaluate a licence request against the register in both directions.

    Parameters
    ----------
    register : spectrum.register.Register
        The register (``query_arrays``, ``antenna_pattern``, ``spectrum_mask``, ``store_evaluation``).
    request : Request or dict
        The candidate assignment.
    dem : xarray.DataArray, optional
        Terrain; the embedded default (:func:`spectrum.datasets.terrain.default_dem`) if omitted.
    model : {"p452", "p1812", "itm", "free-space", "auto"}
        Propagation model; ``"auto"`` takes P.1812 for broadcast services when installed.
    p_percent : (float, float)
        Long-term and short-term time percentages for interference. [%]
    short_term_allowance_db : float
        Relaxation of the criterion at the short-term percentage. [dB]
    coordination_margin_db : float
        Margins in [0, this) make the decision "needs coordination". [dB]
    max_distance_km : float
        Registered stations beyond this distance are not considered. [km]
    freq_window_mhz : float, optional
        Half-width of the frequency query window; default 20 MHz + 10 x bandwidth. [MHz]
    step_m : float, optional
        Profile sample spacing; default the DEM resolution. [m]
    loss_fn : callable, optional
        ``loss_fn(d_km, h_m, n, f_ghz, p, htg_m, hrg_m, *, pol, lat, zone, dct_km, dcr_km) -> Lb``
        replacing the model (tests inject free space through it).
    zones : bool
        Radio-climatic zones along each profile from the DEM (P.452-18 §3.2.1 Table 3 via
        :func:`spectrum.terrain.radio_climatic_zones`: sea at or below 0 m, coastal land within
        50 km of the sea and below 100 m) and the distances over land to the coast (dct, dcr)
        from them; ``False`` treats every path as inland, 500 km from the coast.
    store : bool
        Store the evaluation in the register.

    Returns
    -------
    Evaluation
    """
    req = request if isinstance(request, Request) else Request.from_dict(request)
    p_lt, p_st = (float(x) for x in p_percent)
    check_range("p_percent", [p_lt, p_st], 0.001, 50.0, "%", "P.452-18")
    sc = build_scenario(register, req, dem=dem, model=model, max_distance_km=max_distance_km,
                        freq_window_mhz=freq_window_mhz, step_m=step_m, loss_fn=loss_fn, zones=zones)
    res = compute(sc, f_tx_mhz=req.f_mhz, f_rx_mhz=req.f_rx_mhz, eirp_dbw=req.eirp_dbw,
                  p_long=p_lt, p_short=p_st, short_term_allowance_db=short_term_allowance_db,
                  coordination_margin_db=coordination_margin_db)
    ev = _evaluation(sc, res, p_lt, p_st, short_term_allowance_db, coordination_margin_db)
    if store:
        ev.store(register, user=user)
    return ev


def aggregate_victims(evaluations) -> dict:
    """Victims of several evaluations (the station pairs of one application) with the
    interference of all the application's transmitters power-summed at each victim.

    Returns a column table: ``licence_number``, ``station_name``, ``assignment_id``, ``f_mhz``,
    ``n_entries`` (transmitters reaching it), ``i_long_dbw`` / ``i_short_dbw`` (power sums),
    ``n_dbw``, ``c_dbw``, ``criterion``, ``protection_db``, ``margin_long_db``,
    ``margin_short_db``, ``margin_db`` and ``status`` -- margins by the single-entry rules.
    """
    acc: dict = {}
    for ev in evaluations:
        v = ev.victims
        if not v:
            continue
        allow = float(ev.inputs["short_term_allowance_db"])
        for i in range(len(v["margin_db"])):
            aid = v["assignment_id"][i]
            key = (str(v["licence_number"][i]), str(v["station_name"][i]), str(aid), float(v["f_mhz"][i]))
            e = acc.setdefault(key, {"lt": [], "st": [], "n": float(v["n_dbw"][i]), "c": float(v["c_dbw"][i]),
                                     "crit": str(v["criterion"][i]), "prot": float(v["protection_db"][i]),
                                     "allow": allow, "coord": float(ev.inputs["coordination_margin_db"])})
            e["lt"].append(float(v["i_long_dbw"][i]))
            e["st"].append(float(v["i_short_dbw"][i]))
    cols = {k: [] for k in ("licence_number", "station_name", "assignment_id", "f_mhz", "n_entries", "i_long_dbw",
                            "i_short_dbw", "n_dbw", "c_dbw", "criterion", "protection_db", "margin_long_db",
                            "margin_short_db", "margin_db", "status")}
    for (lic, name, aid, f), e in acc.items():
        lt = np.asarray(e["lt"])
        st = np.asarray(e["st"])
        ok = np.isfinite(lt) & np.isfinite(st)
        i_lt = float(aggregate_dbw(lt[ok])) if ok.any() else np.nan
        i_st = float(aggregate_dbw(st[ok])) if ok.any() else np.nan
        if e["crit"] == "I/N":
            m_lt = e["prot"] - (i_lt - e["n"])
            m_st = e["prot"] + e["allow"] - (i_st - e["n"])
        else:
            m_lt = (e["c"] - i_lt) - e["prot"]
            m_st = (e["c"] - i_st) - (e["prot"] - e["allow"])
        m = min(m_lt, m_st) if np.isfinite(m_lt) and np.isfinite(m_st) else np.nan
        if not ok.all():
            m = np.nan if not ok.any() else m
        status = ("uncertain" if not np.isfinite(m) or not ok.all() else
                  "harmful" if m < 0 else "marginal" if m < e["coord"] else "ok")
        for k, val in (("licence_number", lic), ("station_name", name), ("assignment_id", aid), ("f_mhz", f),
                       ("n_entries", int(lt.size)), ("i_long_dbw", i_lt), ("i_short_dbw", i_st), ("n_dbw", e["n"]),
                       ("c_dbw", e["c"]), ("criterion", e["crit"]), ("protection_db", e["prot"]),
                       ("margin_long_db", m_lt), ("margin_short_db", m_st), ("margin_db", m), ("status", status)):
            cols[k].append(val)
    return {k: np.asarray(v, dtype=object if k in ("licence_number", "station_name", "assignment_id", "criterion",
                                                   "status") else float) for k, v in cols.items()}


def combined_decision(evaluations) -> str:
    """The decision of an application evaluated pair by pair: the most severe of the pairs'
    decisions and of the aggregate over its transmitters at each victim
    (:func:`aggregate_victims`: refuse if a power-summed margin < 0, needs coordination if
    within the coordination margin)."""
    order = {d: i for i, d in enumerate(DECISIONS)}
    dec = max((e.decision for e in evaluations), key=order.__getitem__, default="grant")
    if len(evaluations) > 1:
        st = aggregate_victims(evaluations)["status"]
        agg = "refuse" if np.any(st == "harmful") else (
            "needs coordination" if np.any((st == "marginal") | (st == "uncertain")) else "grant")
        dec = max(dec, agg, key=order.__getitem__)
    return dec


def evaluate_licence(register, licence_number: str, *, status=("application",), **kw) -> list[Evaluation]:
    """Evaluate every station pair of an application in the register
    (:meth:`Request.all_from_register`); keyword arguments as :func:`evaluate_request`.
    :func:`combined_decision` gives the licence's decision."""
    return [evaluate_request(register, q, **kw) for q in Request.all_from_register(register, licence_number,
                                                                                    status=status)]


def _by_mask(masks) -> list:
    """Row indices grouped by mask: ``[(mask, idx), ...]`` in order of first appearance of each
    ``mask.key`` (``idx`` an int array), so each distinct FDR pair is computed once."""
    groups = {}
    for i, mk in enumerate(masks):
        groups.setdefault(mk.key, (mk, []))[1].append(i)
    return [(mk, np.asarray(idx)) for mk, idx in groups.values()]


def _prepare_fwd(sc: Scenario):
    """Resolve victims' masks, noise, gains maxima and distance from the candidate Tx (once)."""
    a = sc.fwd
    tx = sc.req.tx
    m = len(a["f_mhz"])
    a["_bw"] = np.maximum(_num(a["bw_khz"], np.nan), 0.0)
    a["_bw"] = np.where(np.isfinite(a["_bw"]) & (a["_bw"] > 0), a["_bw"], 25.0)
    a["_nf"] = _num(a["noise_figure_db"], 5.0)
    a["_crit"] = np.array([x if x in ("I/N", "C/I") else "I/N" for x in a["protection"]], dtype=object)
    a["_prot"] = np.where(np.isfinite(_num(a["protection_db"])), _num(a["protection_db"]),
                          np.where(a["_crit"] == "C/I", 20.0, -10.0))
    a["_n"] = noise_dbw(a["_bw"], np.clip(a["_nf"], 0, 60)) if m else np.zeros(0)
    a["_g"] = _num(a["g_dbi"], 0.0)
    a["_fl"] = _num(a["feeder_loss_db"], 0.0)
    a["_h"] = np.clip(_num(a["h_agl_m"], 10.0), 0.5, None)
    a["_rxmask"] = [sc.masks.get(a["rx_selectivity"][i], a["_bw"][i], "rx") for i in range(m)]
    a["_d"] = np.atleast_1d(_geo_distance(tx.lat, tx.lon, _num(a["lat"]), _num(a["lon"])))


def _prepare_rev(sc: Scenario):
    """Resolve interferers' masks, EIRP, gains and distance from the candidate Rx (once)."""
    a = sc.rev
    rx = sc.req.rx
    m = len(a["f_mhz"])
    a["_bw"] = _num(a["bw_khz"], np.nan)
    a["_bw"] = np.where(np.isfinite(a["_bw"]) & (a["_bw"] > 0), a["_bw"], 25.0)
    a["_eirp"] = _num(a["eirp_dbw"], np.nan)
    a["_g"] = _num(a["g_dbi"], 0.0)
    a["_h"] = np.clip(_num(a["h_agl_m"], 10.0), 0.5, None)
    a["_txmask"] = [sc.masks.get(a["tx_mask"][i], a["_bw"][i], "tx") for i in range(m)]
    a["_d"] = np.atleast_1d(_geo_distance(rx.lat, rx.lon, _num(a["lat"]), _num(a["lon"])))


def _wanted_for_ci(sc: Scenario, reg_rows_idx: np.ndarray):
    """Wanted transmitters (same licence, role tx, nearest frequency) of C/I victims."""
    a = sc.fwd
    out = {"victim": [], "tx_lat": [], "tx_lon": [], "lat": [], "lon": [], "eirp": [], "g": [], "h_tx": [],
           "az": [], "tilt": [], "pattern": [], "f": [], "pol": []}
    if not reg_rows_idx.size:
        return out
    fs = _num(a["f_mhz"])[reg_rows_idx]
    cands = _arrays(sc.reg, lat=sc.req.tx.lat, lon=sc.req.tx.lon, radius_km=sc.max_distance_km + 150.0,
                    f_min=float(fs.min()) - 1.0, f_max=float(fs.max()) + 1.0, role="tx")
    lic = np.asarray(cands["licence_number"], dtype=object)
    cf = _num(cands["f_mhz"])
    for i in reg_rows_idx:
        sel = np.flatnonzero((lic == a["licence_number"][i]) & (np.abs(cf - float(a["f_mhz"][i])) <= a["_bw"][i] / 2000.0 + 1e-9))
        if not sel.size:
            continue
        j = sel[0]
        out["victim"].append(i)
        out["tx_lat"].append(float(cands["lat"][j]))
        out["tx_lon"].append(float(cands["lon"][j]))
        out["lat"].append(float(a["lat"][i]))
        out["lon"].append(float(a["lon"][i]))
        out["eirp"].append(float(_num(cands["eirp_dbw"][j:j + 1])[0]))
        out["g"].append(float(_num(cands["g_dbi"][j:j + 1], 0.0)[0]))
        out["h_tx"].append(float(_num(cands["h_agl_m"][j:j + 1], 10.0)[0]))
        out["az"].append(float(_num(cands["azimuth_deg"][j:j + 1], 0.0)[0]))
        out["tilt"].append(float(_num(cands["tilt_deg"][j:j + 1], 0.0)[0]))
        out["pattern"].append(cands["antenna_pattern"][j])
        out["f"].append(float(cf[j]))
        out["pol"].append(cands["polarisation"][j] if cands["polarisation"][j] in ("h", "v") else "v")
    return {k: np.asarray(v, dtype=object if k in ("pattern", "pol") else float) if k != "victim"
            else np.asarray(v, dtype=np.int64) for k, v in out.items()}


def compute(sc: Scenario, *, f_tx_mhz: float, f_rx_mhz: float, eirp_dbw: float | None,
            p_long: float = 20.0, p_short: float = 1.0, short_term_allowance_db: float = 10.0,
            coordination_margin_db: float = 3.0, h_tx_agl_m: float | None = None,
            h_rx_agl_m: float | None = None) -> dict:
    """Victim / interferer tables for one channel (frequencies, EIRP, heights) of a scenario."""
    req = sc.req
    out = {"victims": {}, "interferers": {}, "aggregate": {}, "uncertain_bound": 0}
    h_tx = float(req.tx.h_agl_m if h_tx_agl_m is None else h_tx_agl_m) if req.tx else None
    h_rx = float(req.rx.h_agl_m if h_rx_agl_m is None else h_rx_agl_m) if req.rx else None
    bw = float(req.bw_khz)
    # ---------------- forward: candidate Tx -> registered receivers ----------------------
    if req.tx is not None and len(sc.fwd.get("f_mhz", [])):
        a = sc.fwd
        if "_bw" not in a:
            _prepare_fwd(sc)
        tx_mask = sc.masks.get(req.tx_mask, bw, "tx")
        fv = _num(a["f_mhz"])
        df = (fv - f_tx_mhz) * 1000.0
        fdr = np.full(fv.size, np.inf)
        for mk, idx in _by_mask(a["_rxmask"]):
            fdr[idx] = sc.fdr(tx_mask, mk, df[idx])
        # upper bound on I: free space less the enhancement allowance, maximum gains
        i_bound = (eirp_dbw - (_fs_db(a["_d"], f_tx_mhz) - fs_allowance_db(p_short)) + a["_g"] - a["_fl"] - fdr)
        thr = np.where(a["_crit"] == "I/N", a["_n"] + a["_prot"], -np.inf)  # C/I: keep unless no power
        keep = np.flatnonzero(np.isfinite(fdr) & (i_bound + coordination_margin_db >= thr))
        out["victims"] = _forward(sc, keep, fdr, df, f_tx_mhz, eirp_dbw, h_tx, p_long, p_short,
                                  short_term_allowance_db, coordination_margin_db)
    # ---------------- reverse: registered transmitters -> candidate Rx -------------------
    if req.rx is not None:
        n_c = float(noise_dbw(bw, req.noise_figure_db))
        rx_mask = sc.masks.get(req.rx_selectivity, bw, "rx")
        a = sc.rev
        m = len(a.get("f_mhz", []))
        c_dbw = np.nan
        if req.protection == "C/I":
            c_dbw = _candidate_wanted(sc, f_tx_mhz, eirp_dbw, h_tx, h_rx)
        if m:
            if "_bw" not in a:
                _prepare_rev(sc)
            fi = _num(a["f_mhz"])
            df = (f_rx_mhz - fi) * 1000.0
            fdr = np.full(m, np.inf)
            for mk, idx in _by_mask(a["_txmask"]):
                fdr[idx] = sc.fdr(mk, rx_mask, df[idx])
            eirp = a["_eirp"]
            i_bound = (eirp - (_fs_db(a["_d"], fi) - fs_allowance_db(p_short)) + req.rx.g_dbi
                       - req.rx.feeder_loss_db - fdr)
            # aggregate: keep everything within 30 dB of the threshold (the sum of many small terms counts)
            thr = (n_c + req.protection_db) if req.protection == "I/N" else (c_dbw - req.protection_db)
            if not np.isfinite(thr):
                thr = n_c + req.protection_db
            keep = np.flatnonzero(np.isfinite(fdr) & np.isfinite(eirp) & (i_bound + 30.0 >= thr))
            out["interferers"], agg = _reverse(sc, keep, fdr, df, f_rx_mhz, h_rx, n_c, c_dbw, p_long, p_short,
                                               short_term_allowance_db)
        else:
            agg = {"i_long_dbw": -np.inf, "i_short_dbw": -np.inf}
        agg["n_dbw"] = n_c
        agg["c_dbw"] = c_dbw
        agg["criterion"] = req.protection
        agg["protection_db"] = float(req.protection_db)
        if req.protection == "I/N":
            agg["margin_long_db"] = float(req.protection_db - (agg["i_long_dbw"] - n_c))
            agg["margin_short_db"] = float(req.protection_db + short_term_allowance_db - (agg["i_short_dbw"] - n_c))
        else:
            agg["margin_long_db"] = float((c_dbw - agg["i_long_dbw"]) - req.protection_db)
            agg["margin_short_db"] = float((c_dbw - agg["i_short_dbw"]) - (req.protection_db - short_term_allowance_db))
        agg["margin_db"] = float(np.fmin(agg["margin_long_db"], agg["margin_short_db"]))
        out["aggregate"] = agg
    return out


def _geo_distance(lat, lon, lat2, lon2):
    from . import geo
    return geo.distance_km(lat, lon, lat2, lon2)


def _rows_paths(sc: Scenario, which: str, keep: np.ndarray):
    """Terrain paths covering rows ``keep``: the scenario's universe for ``which`` when it holds
    them all (a sweep fixes it once), else the rows themselves (cached by row set).

    Returns (paths, universe_rows, pos, key): ``paths`` over ``universe_rows``; ``pos`` selects
    ``keep`` within them; ``key`` identifies the path set for the loss cache.
    """
    uni = sc.universe.get(which) if hasattr(sc, "universe") else None
    if uni is not None and keep.size and np.all(np.isin(keep, uni)):
        rows = uni
    else:
        rows = keep
    key = (which, rows.tobytes())
    hit = sc.geom_cache.get(key)
    if hit is None:
        hit = _geometry(sc, which, rows)
        if len(sc.geom_cache) > 8:
            sc.geom_cache.clear()
        sc.geom_cache[key] = hit
    pos = np.searchsorted(rows, keep) if rows is not keep else np.arange(keep.size)
    return hit, rows, pos, key


def _forward(sc, keep, fdr, df, f_tx, eirp, h_tx, p_lt, p_st, allow, coord_margin) -> dict:
    req = sc.req
    a = sc.fwd
    allp, rows, pos, pk = _rows_paths(sc, "fwd", keep)
    hrg_all = a["_h"][rows]
    el_t_all, el_r_all = _elevations(allp, h_tx, hrg_all, cache=sc._loss_cache, key=pk)
    el_t, el_r = el_t_all[pos], el_r_all[pos]
    paths = _Paths(allp.d, allp.h, allp.n, allp.ok[pos], allp.length_km[pos], allp.lat_mid)
    # antenna gains depend on the geometry only (the candidate's pattern is taken at the request's
    # nominal frequency, each registered station's at its own): computed once per path set and heights
    gk = ("gains", pk, float(h_tx), hrg_all.tobytes())
    g_all = sc._loss_cache.get(gk)
    if g_all is None:
        m_all = rows.size
        g_all = (sc.antennas.gains(np.array([req.tx.antenna_pattern] * m_all, dtype=object),
                                   np.full(m_all, req.tx.g_dbi), np.full(m_all, req.tx.azimuth_deg),
                                   np.full(m_all, req.tx.tilt_deg), allp.bearing_12, el_t_all,
                                   np.full(m_all, req.f_mhz)),
                 sc.antennas.gains(a["antenna_pattern"][rows], a["_g"][rows], _num(a["azimuth_deg"], 0.0)[rows],
                                   _num(a["tilt_deg"], 0.0)[rows], allp.bearing_21, el_r_all, _num(a["f_mhz"])[rows]))
        sc._loss_cache[gk] = g_all
    gt, gr = g_all[0][pos], g_all[1][pos]
    pol = req.polarisation
    lb_lt = _loss_at(sc, pk, allp, f_tx, p_lt, h_tx, hrg_all, pol)[pos]
    lb_st = _loss_at(sc, pk, allp, f_tx, p_st, h_tx, hrg_all, pol)[pos]
    base = eirp + (gt - req.tx.g_dbi) + gr - a["_fl"][keep] - fdr[keep]
    i_lt = base - lb_lt
    i_st = base - lb_st
    n = a["_n"][keep]
    crit = a["_crit"][keep]
    prot = a["_prot"][keep]
    # wanted signal for C/I victims
    c = np.full(keep.size, np.nan)
    ci = np.flatnonzero(crit == "C/I")
    if ci.size:
        c[ci] = _victim_wanted(sc, keep[ci])
    m_lt = np.where(crit == "I/N", prot - (i_lt - n), (c - i_lt) - prot)
    m_st = np.where(crit == "I/N", prot + allow - (i_st - n), (c - i_st) - (prot - allow))
    margin = np.fmin(m_lt, m_st)
    margin = np.where(np.isnan(m_lt) | np.isnan(m_st), np.nan, margin)
    # uncertain rows: not computed, but the free-space bound says they could be affected
    status = np.where(np.isnan(margin), "uncertain",
                      np.where(margin < 0, "harmful", np.where(margin < coord_margin, "marginal", "ok")))
    cols = {k: a[k][keep] for k in ("licence_number", "licensee", "service", "station_id", "station_name",
                                    "assignment_id")}
    cols = {k: np.array([("" if x is None else x) for x in v], dtype=object) if v.dtype == object else v
            for k, v in cols.items()}
    cols.update({
        "lat": _num(a["lat"])[keep], "lon": _num(a["lon"])[keep], "f_mhz": _num(a["f_mhz"])[keep],
        "bw_khz": a["_bw"][keep], "df_khz": df[keep], "d_km": paths.length_km, "terrain_path": paths.ok,
        "fdr_db": fdr[keep], "gt_dbi": gt, "gr_dbi": gr, "elev_t_deg": el_t, "elev_r_deg": el_r,
        "lb_long_db": lb_lt, "lb_short_db": lb_st, "i_long_dbw": i_lt, "i_short_dbw": i_st, "n_dbw": n,
        "c_dbw": c, "criterion": crit.astype(str), "protection_db": prot,
        "i_over_n_long_db": i_lt - n, "margin_long_db": m_lt, "margin_short_db": m_st,
        "margin_db": margin, "status": status.astype(str)})
    return cols


def _victim_wanted(sc, rows) -> np.ndarray:
    """C (dBW) at C/I victims from their own licence's transmitter at 50 % time."""
    a = sc.fwd
    key = ("wanted", rows.tobytes())
    hit = sc._loss_cache.get(key)
    if hit is not None:
        return hit
    w = _wanted_for_ci(sc, rows)
    c = np.full(rows.size, np.nan)
    if len(w["victim"]):
        sc.wanted = w
        paths = _geometry(sc, "wanted", np.arange(len(w["victim"])))
        hr = a["_h"][w["victim"]]
        el_t, el_r = _elevations(paths, w["h_tx"], hr)
        gt = sc.antennas.gains(w["pattern"], w["g"], w["az"], w["tilt"], paths.bearing_12, el_t, w["f"])
        gr = sc.antennas.gains(a["antenna_pattern"][w["victim"]], a["_g"][w["victim"]],
                               _num(a["azimuth_deg"], 0.0)[w["victim"]], _num(a["tilt_deg"], 0.0)[w["victim"]],
                               paths.bearing_21, el_r, w["f"])
        lb = _loss(sc, ("wanted", rows.tobytes()), paths, w["f"], 50.0, w["h_tx"], hr, w["pol"])
        cw = w["eirp"] + (gt - w["g"]) - lb + gr - a["_fl"][w["victim"]]
        pos = {int(r): k for k, r in enumerate(rows)}
        for k, v in enumerate(w["victim"]):
            c[pos[int(v)]] = cw[k]
    sc._loss_cache[key] = c
    return c


def _candidate_wanted(sc, f_tx, eirp, h_tx, h_rx) -> float:
    """C (dBW) at the candidate receiver from the candidate transmitter at 50 % time."""
    req = sc.req
    from . import geo
    tx, rx = req.tx, req.rx
    paths = _profiles(sc.dem, np.array([tx.lat]), np.array([tx.lon]), np.array([rx.lat]), np.array([rx.lon]), sc.step_m,
                      zones=sc.zones)
    if not paths.ok[0]:
        return np.nan
    el_t, el_r = _elevations(paths, h_tx, h_rx)
    b12 = float(geo.bearing_deg(tx.lat, tx.lon, rx.lat, rx.lon))
    b21 = float(geo.bearing_deg(rx.lat, rx.lon, tx.lat, tx.lon))
    gt = sc.antennas.get(tx.antenna_pattern, tx.g_dbi).gain_dbi(((b12 - tx.azimuth_deg + 180) % 360) - 180, el_t, f_tx,
                                                                 tilt_deg=tx.tilt_deg)
    gr = sc.antennas.get(rx.antenna_pattern, rx.g_dbi).gain_dbi(((b21 - rx.azimuth_deg + 180) % 360) - 180, el_r, f_tx,
                                                                 tilt_deg=rx.tilt_deg)
    lb = _loss(sc, ("own",), paths, f_tx, 50.0, h_tx, h_rx, req.polarisation)
    return float(eirp + (gt[0] - tx.g_dbi) - lb[0] + gr[0] - rx.feeder_loss_db)


def _reverse(sc, keep, fdr, df, f_rx, h_rx, n_c, c_dbw, p_lt, p_st, allow):
    req = sc.req
    a = sc.rev
    allp, rows, pos, pk = _rows_paths(sc, "rev", keep)
    htg_all = a["_h"][rows]
    el_t_all, el_r_all = _elevations(allp, htg_all, h_rx, cache=sc._loss_cache, key=pk)
    el_t, el_r = el_t_all[pos], el_r_all[pos]
    paths = _Paths(allp.d, allp.h, allp.n, allp.ok[pos], allp.length_km[pos], allp.lat_mid)
    fi = _num(a["f_mhz"])[keep]
    gk = ("gains", pk, htg_all.tobytes(), float(h_rx))
    g_all = sc._loss_cache.get(gk)
    if g_all is None:
        m_all = rows.size
        g_all = (sc.antennas.gains(a["antenna_pattern"][rows], a["_g"][rows], _num(a["azimuth_deg"], 0.0)[rows],
                                   _num(a["tilt_deg"], 0.0)[rows], allp.bearing_12, el_t_all, _num(a["f_mhz"])[rows]),
                 sc.antennas.gains(np.array([req.rx.antenna_pattern] * m_all, dtype=object),
                                   np.full(m_all, req.rx.g_dbi), np.full(m_all, req.rx.azimuth_deg),
                                   np.full(m_all, req.rx.tilt_deg), allp.bearing_21, el_r_all,
                                   np.full(m_all, req.f_rx_mhz)))
        sc._loss_cache[gk] = g_all
    gt, gr = g_all[0][pos], g_all[1][pos]
    fi_all = _num(a["f_mhz"])[rows]
    pol_all = _pols(a["polarisation"][rows], "v")
    lb_lt = _loss(sc, pk, allp, fi_all, p_lt, htg_all, h_rx, pol_all)[pos]
    lb_st = _loss(sc, pk, allp, fi_all, p_st, htg_all, h_rx, pol_all)[pos]
    base = a["_eirp"][keep] + (gt - a["_g"][keep]) + gr - req.rx.feeder_loss_db - fdr[keep]
    i_lt = base - lb_lt
    i_st = base - lb_st
    computed = np.isfinite(i_lt)
    agg_lt = float(aggregate_dbw(i_lt[computed])) if computed.any() else -np.inf
    agg_st = float(aggregate_dbw(i_st[computed])) if computed.any() else -np.inf
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(computed, 100.0 * 10.0 ** ((i_lt - agg_lt) / 10.0), np.nan) if np.isfinite(agg_lt) \
            else np.full(keep.size, np.nan)
    cols = {k: a[k][keep] for k in ("licence_number", "licensee", "service", "station_id", "station_name",
                                    "assignment_id")}
    cols = {k: np.array([("" if x is None else x) for x in v], dtype=object) if v.dtype == object else v
            for k, v in cols.items()}
    cols.update({
        "lat": _num(a["lat"])[keep], "lon": _num(a["lon"])[keep], "f_mhz": fi, "bw_khz": a["_bw"][keep],
        "eirp_dbw": a["_eirp"][keep], "df_khz": df[keep], "d_km": paths.length_km, "terrain_path": paths.ok,
        "fdr_db": fdr[keep], "gt_dbi": gt, "gr_dbi": gr, "lb_long_db": lb_lt, "lb_short_db": lb_st,
        "i_long_dbw": i_lt, "i_short_dbw": i_st, "i_over_n_long_db": i_lt - n_c, "share_percent": share})
    n_unc = int((~computed).sum())
    return cols, {"i_long_dbw": agg_lt, "i_short_dbw": agg_st, "n_interferers": int(keep.size),
                  "n_not_computed": n_unc}


def _evaluation(sc: Scenario, res: dict, p_lt, p_st, allow, coord_margin) -> Evaluation:
    v = res["victims"]
    reasons = []
    decision = "grant"
    worst = np.nan
    if v:
        mg = v["margin_db"]
        st = v["status"]
        fin = np.isfinite(mg)
        if fin.any():
            worst = float(np.min(mg[fin]))
        n_h = int((st == "harmful").sum())
        n_m = int((st == "marginal").sum())
        n_u = int((st == "uncertain").sum())
        if n_h:
            decision = "refuse"
            i = int(np.nanargmin(np.where(fin, mg, np.inf)))
            reasons.append(f"{n_h} registered receiver(s) not protected; worst: licence {v['licence_number'][i]} "
                           f"station {v['station_name'][i]} ({v['service'][i]}, {v['f_mhz'][i]:g} MHz, "
                           f"{v['d_km'][i]:.1f} km) margin {mg[i]:+.1f} dB ({v['criterion'][i]} "
                           f"{v['protection_db'][i]:g} dB)")
        if n_m:
            if decision == "grant":
                decision = "needs coordination"
            reasons.append(f"{n_m} receiver(s) within {coord_margin:g} dB of their protection criterion")
        if n_u:
            if decision == "grant":
                decision = "needs coordination"
            reasons.append(f"{n_u} receiver(s) could not be computed (outside the terrain data or unknown "
                           f"wanted transmitter) and are not excluded by the free-space bound")
    agg = res["aggregate"]
    if agg:
        if np.isfinite(agg["margin_db"]) and agg["margin_db"] < 0:
            if decision == "grant":
                decision = "needs coordination"
            reasons.append(f"the candidate receiver is not protected from registered transmitters: aggregate "
                           f"{agg['criterion']} margin {agg['margin_db']:+.1f} dB (the applicant must accept the "
                           f"interference or coordinate)")
        elif np.isnan(agg["margin_db"]):
            if decision == "grant":
                decision = "needs coordination"
            reasons.append("the candidate receiver's wanted signal could not be computed")
        if agg.get("n_not_computed"):
            reasons.append(f"{agg['n_not_computed']} interferer path(s) outside the terrain data were not computed")
    if decision == "grant":
        reasons.append("every registered receiver within reach keeps a margin of at least "
                       f"{coord_margin:g} dB" + ("" if sc.req.rx is None else
                                                   " and the candidate receiver is protected"))
    req = sc.req
    inputs = {"model": sc.model, "p_long_percent": p_lt, "p_short_percent": p_st,
              "short_term_allowance_db": allow, "coordination_margin_db": coord_margin,
              "max_distance_km": sc.max_distance_km, "freq_window_mhz": sc.freq_window_mhz,
              "step_m": sc.step_m, "terrain": str(getattr(sc.dem, "attrs", {}).get("source", "DEM")),
              "zones": "P.452-18 Table 3 from the DEM" if sc.zones else "all inland, dct = dcr = 500 km",
              "n_victims_considered": sc.n_victims_considered,
              "n_interferers_considered": sc.n_interferers_considered,
              "pruning_allowance_below_free_space_db": fs_allowance_db(p_st)}
    versions = {"propagation": model_version(sc.model) if sc.model != "custom" else "custom loss_fn",
                "fdr": "ITU-R SM.337-6", "antennas": "ITU-R F.699-8 / F.1245-3 / F.1336-5",
                "spectrum": __version__}
    return Evaluation(decision=decision, reasons=reasons, worst_margin_db=worst, victims=v,
                      interferers=res["interferers"], aggregate=agg, request=req, inputs=inputs,
                      model_versions=versions)


__all__ = ["Request", "Terminal", "Evaluation", "evaluate_request", "evaluate_licence", "combined_decision",
           "aggregate_victims",
           "build_scenario", "compute",
           "free_space_loss_fn", "resolve_model", "DECISIONS", "LOSS_FUNCTIONS"]
