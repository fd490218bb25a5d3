"""Stage 7 -- the report: the :class:`Evaluation` record and its outputs (text report, JSON,
HDF5 through :mod:`spectrum.io`, storage in the register with every input that produced it).
"""
from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np

from .request import Request
from .tables import py as _py

__all__ = ["Evaluation"]


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
    intermod: dict = field(default_factory=dict)
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

    def intermod_rows(self) -> list[dict]:
        return self._rows(self.intermod)

    def to_dict(self) -> dict:
        return {"decision": self.decision, "reasons": list(self.reasons),
                "worst_margin_db": _py(self.worst_margin_db), "aggregate": {k: _py(v) for k, v in self.aggregate.items()},
                "victims": self.victim_rows(), "interferers": self.interferer_rows(),
                "intermod": self.intermod_rows(),
                "request": self.request.to_dict(), "inputs": self.inputs, "model_versions": self.model_versions,
                "created_utc": self.created_utc, "evaluation_id": self.evaluation_id}

    def to_json(self, **kw) -> str:
        from ..io import to_json

        kw.setdefault("indent", 2)
        return to_json(self.to_dict(), **kw)

    def to_hdf5(self, path) -> Path:
        """Write through :func:`spectrum.io.write_hdf5`: ``victims/<col>``, ``interferers/<col>``
        tables, the decision and aggregate as root attributes, inputs as provenance."""
        from ..io import write_hdf5

        ds = {}
        for grp, table in (("victims", self.victims), ("interferers", self.interferers), ("intermod", self.intermod)):
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
        if i.get("zones") or i.get("climate"):
            L.append(f"Zones: {i.get('zones', '-')}; climate: {i.get('climate', '-')}")
        if i.get("landcover"):
            L.append(f"Land cover: {i['landcover']} (P.2108 clutter at terminals without a class in the register)")
        if i.get("loss_fallback") and i["loss_fallback"] != "none":
            L.append(f"Outside the model's validity: {i['loss_fallback']} (column loss_fallback)")
        c = i.get("choices")
        if c:
            L.append(f"Rule: {c['rule']}" + (f" (Delta T/T <= {c['dt_over_t_percent']:g} %)" if c["rule"] == "degradation"
                                            else "") + "; existing interference "
                     + (f"within {c['existing_max_distance_km']:g} km, <= {c['existing_max_entries']} entries per "
                        f"victim" if c["existing"] else "not computed")
                     + (f"; criteria by service {c['criteria_by_service']}" if c["criteria_by_service"] else ""))
            if "blocking" in c:
                L.append("Blocking: " + ("on -- I = I_unwanted (FDR) (+) I_blocking (a_vr) where channels do not overlap"
                                          " (column Iblk); modes: " + (", ".join(sorted(set(c.get("blocking_modes", {})
                                                                                             .values()))) or "-")
                                          if c["blocking"] else "off (FDR only)"))
        if i.get("clutter"):
            L.append(f"Surroundings: {i['clutter']}")
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
        if self.intermod:
            L.append("")
            L.append(self.intermod_table())
        return "\n".join(L)

    def intermod_table(self, max_rows: int = 15) -> str:
        rows = sorted(self.intermod_rows(), key=lambda r: r["margin_db"] if r["margin_db"] is not None else -1e9)
        out = ["Intermodulation products at the candidate's site hitting registered receivers\n"
               f"{'product':<22}{'kind':<6}{'f MHz':>11}{'licence':>12}{'rx MHz':>10}{'I dBW':>8}{'margin':>8}  status"]
        for r in rows[:max_rows]:
            out.append(f"{str(r['product'])[:21]:<22}{str(r['kind'])[:5]:<6}{r['f_product_mhz']:>11.4f}"
                       f"{str(r['licence_number'])[:11]:>12}{r['f_rx_mhz']:>10.4f}{_f(r['i_dbw'], 8, 1)}"
                       f"{_f(r['margin_db'], 8, 1)}  {r['status']}")
        if len(rows) > max_rows:
            out.append(f"  ... {len(rows) - max_rows} more")
        return "\n".join(out)

    def victims_table(self, max_rows: int = 25) -> str:
        rows = self.victim_rows()
        hdr = ("Victim receivers (candidate Tx as interferer)\n"
               f"{'licence':<12}{'station':<18}{'service':<12}{'f MHz':>9}{'d km':>7}{'FDR':>6}"
               f"{'Lb20%':>7}{'Lb1%':>7}{'I dBW':>8}{'Iblk':>8}{'Iex dBW':>8}{'crit':>13}{'alone':>7}{'total':>7}"
               f"{'margin':>8}  status")
        if not rows:
            return hdr + "\n  (none within reach)"
        rows.sort(key=lambda r: (r["margin_db"] if r["margin_db"] is not None and np.isfinite(r["margin_db"]) else -1e9))
        out = [hdr]
        for r in rows[:max_rows]:
            out.append(f"{str(r['licence_number'])[:11]:<12}{str(r['station_name'])[:17]:<18}{str(r['service'])[:11]:<12}"
                       f"{r['f_mhz']:>9.3f}{r['d_km']:>7.1f}{_f(r['fdr_db'], 6, 1)}{_f(r['lb_long_db'], 7, 1)}"
                       f"{_f(r['lb_short_db'], 7, 1)}{_f(r['i_long_dbw'], 8, 1)}{_f(r.get('i_blocking_long_dbw'), 8, 1)}"
                       f"{_f(r.get('i_existing_long_dbw'), 8, 1)}"
                       f"{(r['criterion'] + ' ' + format(r['protection_db'], 'g')):>13}"
                       f"{_f(r.get('margin_alone_db'), 7, 1)}{_f(r.get('margin_total_db'), 7, 1)}"
                       f"{_f(r['margin_db'], 8, 1)}  {r['status']}")
        if len(rows) > max_rows:
            out.append(f"  ... {len(rows) - max_rows} more (see --json / --hdf5)")
        return "\n".join(out)

    def interferers_table(self, max_rows: int = 15) -> str:
        rows = self.interferer_rows()
        a = self.aggregate
        hdr = ("Registered transmitters into the candidate receiver\n"
               f"{'licence':<12}{'station':<18}{'service':<12}{'f MHz':>9}{'d km':>7}{'FDR':>6}"
               f"{'Lb20%':>7}{'I dBW':>8}{'Iblk':>8}{'I/N dB':>8}{'share%':>8}")
        out = [hdr]
        rows.sort(key=lambda r: -(r["i_long_dbw"] if np.isfinite(r["i_long_dbw"]) else -1e9))
        for r in rows[:max_rows]:
            out.append(f"{str(r['licence_number'])[:11]:<12}{str(r['station_name'])[:17]:<18}{str(r['service'])[:11]:<12}"
                       f"{r['f_mhz']:>9.3f}{r['d_km']:>7.1f}{_f(r['fdr_db'], 6, 1)}{_f(r['lb_long_db'], 7, 1)}"
                       f"{_f(r['i_long_dbw'], 8, 1)}{_f(r.get('i_blocking_long_dbw'), 8, 1)}"
                       f"{_f(r['i_over_n_long_db'], 8, 1)}{_f(r['share_percent'], 8, 1)}")
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
                                                            "interferers", "intermod", "reasons", "inputs")},
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

