"""What a decision report says, gathered from an evaluation's public form (``Evaluation.to_dict()``).

The report reads only the dictionary an :class:`~spectrum.evaluation.Evaluation` exports (or the
same dictionary stored in the register and read back with ``Register.evaluation(id)``), with
``.get`` everywhere: a field the evaluation does not have is left out of the report, a field the
report does not know (existing-interference totals, criteria, intermodulation, ...) is shown in
an "Additional results" section, generically (scalars, key/value tables, row tables).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np

#: top-level keys of ``Evaluation.to_dict()`` the report lays out itself
KNOWN_KEYS = {"decision", "reasons", "worst_margin_db", "aggregate", "victims", "interferers", "request", "inputs",
              "model_versions", "created_utc", "evaluation_id", "register_state", "decision_rule", "rule"}

#: victims table: (column key, header, decimals) in the order shown; absent columns are skipped
VICTIM_COLUMNS = (("licence_number", "licence", None), ("station_name", "station", None), ("service", "service", None),
                  ("f_mhz", "f MHz", 3), ("d_km", "d km", 1), ("fdr_db", "FDR dB", 1), ("lb_long_db", "Lb lt dB", 1),
                  ("lb_short_db", "Lb st dB", 1), ("i_long_dbw", "I lt dBW", 1), ("i_short_dbw", "I st dBW", 1),
                  ("n_dbw", "N dBW", 1), ("criterion", "criterion", None), ("protection_db", "limit dB", 1),
                  ("margin_long_db", "margin lt", 1), ("margin_short_db", "margin st", 1),
                  ("margin_db", "margin dB", 1), ("status", "status", None))
INTERFERER_COLUMNS = (("licence_number", "licence", None), ("station_name", "station", None),
                      ("service", "service", None), ("f_mhz", "f MHz", 3), ("eirp_dbw", "EIRP dBW", 1),
                      ("d_km", "d km", 1), ("fdr_db", "FDR dB", 1), ("lb_long_db", "Lb lt dB", 1),
                      ("i_long_dbw", "I lt dBW", 1), ("i_short_dbw", "I st dBW", 1),
                      ("i_over_n_long_db", "I/N lt dB", 1), ("share_percent", "share %", 1))
STATUS_COLOURS = {"harmful": "#d62728", "marginal": "#ff7f0e", "uncertain": "#7f7f7f", "ok": "#2ca02c"}
DECISION_COLOURS = {"grant": "#2ca02c", "needs coordination": "#ff7f0e", "refuse": "#d62728"}


def finite(v) -> bool:
    return isinstance(v, (int, float, np.number)) and not isinstance(v, bool) and math.isfinite(float(v))


def fmt(v, decimals: int | None = None) -> str:
    """A cell: numbers to ``decimals`` places (``g`` format when None), missing as an en dash."""
    if v is None:
        return "–"
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isnan(f):
            return "–"
        if math.isinf(f):
            return "∞" if f > 0 else "−∞"
        return f"{f:.{decimals}f}" if decimals is not None else f"{f:.6g}"
    if isinstance(v, Mapping):
        return ", ".join(f"{k}: {fmt(x)}" for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return ", ".join(fmt(x) for x in v)
    return str(v)


@dataclass
class Table:
    """A table to lay out: header, rows of cell text, and an optional status per row (colours)."""

    title: str
    header: list
    rows: list
    status: list = field(default_factory=list)
    note: str = ""


def _column_rows(obj) -> list[dict]:
    """Rows of a table given as a list of dicts or a dict of equal-length columns."""
    if isinstance(obj, Mapping):
        if not obj or not all(isinstance(v, (list, tuple, np.ndarray)) and np.ndim(v) == 1 for v in obj.values()):
            return []
        cols = {k: list(v.tolist()) if isinstance(v, np.ndarray) else list(v) for k, v in obj.items()}
        lens = {len(v) for v in cols.values()}
        if len(lens) != 1:
            return []
        n = lens.pop()
        return [{k: v[i] for k, v in cols.items()} for i in range(n)]
    if isinstance(obj, Sequence) and not isinstance(obj, str) and all(isinstance(r, Mapping) for r in obj):
        return [dict(r) for r in obj]
    return []


def rows_table(title: str, rows: list[dict], columns, *, sort_key=None, max_rows: int | None = None,
               more_hint: str = "the JSON export") -> Table:
    """A :class:`Table` of ``rows`` with the ``columns`` they have (``(key, header, decimals)``),
    then any other scalar columns the rows carry that are not in ``columns`` are left to the JSON."""
    if sort_key is not None:
        rows = sorted(rows, key=sort_key)
    have = [c for c in columns if any(c[0] in r for r in rows)] if rows else list(columns)
    shown = rows if max_rows is None else rows[:max_rows]
    body = [[fmt(r.get(k), d) for k, _, d in have] for r in shown]
    note = f"{len(rows) - len(shown)} more rows in {more_hint}" if len(shown) < len(rows) else ""
    return Table(title=title, header=[h for _, h, _ in have], rows=body, status=[str(r.get("status", "")) for r in shown],
                 note=note)


def kv_table(title: str, items) -> Table:
    items = list(items.items()) if isinstance(items, Mapping) else list(items)
    return Table(title=title, header=["", ""], rows=[[str(k), fmt(v)] for k, v in items])


def _margin_key(r) -> float:
    m = r.get("margin_db")
    return float(m) if finite(m) else -1e9  # not computed first: they need a look


def _i_key(r) -> float:
    i = r.get("i_long_dbw")
    return -float(i) if finite(i) else 1e9


def decision_rule(inputs: Mapping[str, Any], criteria=None) -> list[str]:
    """The decision rule in words, with the thresholds this evaluation used."""
    cm = inputs.get("coordination_margin_db")
    sta = inputs.get("short_term_allowance_db")
    plt_, pst = inputs.get("p_long_percent"), inputs.get("p_short_percent")
    lines = []
    if plt_ is not None:
        lines.append(f"Interference is computed at the long-term time percentage p = {fmt(plt_)} % against each "
                     "receiver's registered protection criterion (I/N, or C/I with its wanted signal at 50 %)"
                     + (f", and at the short-term p = {fmt(pst)} % against the criterion relaxed by {fmt(sta)} dB"
                        if pst is not None and sta is not None else "") + "; an entry's margin is the smaller one.")
    lines.append("Refuse if any registered receiver has a negative margin.")
    lines.append("Needs coordination if any margin is below "
                 + (f"{fmt(cm)} dB" if cm is not None else "the coordination margin")
                 + ", if a receiver in reach could not be computed, or if the candidate receiver is not protected "
                   "from the aggregate (power sum) of registered transmitters.")
    lines.append("Grant otherwise.")
    if criteria:
        lines.append(f"Criteria: {fmt(criteria)}")
    return lines


def _rule(d: Mapping[str, Any], inputs: Mapping[str, Any]) -> list[str]:
    """The rule as the evaluation states it (``decision_rule`` / ``rule``: text or lines), else in
    words from its thresholds (:func:`decision_rule`)."""
    own = d.get("decision_rule") or d.get("rule")
    if isinstance(own, str) and own.strip():
        return [ln.strip() for ln in own.strip().splitlines() if ln.strip()]
    if isinstance(own, (list, tuple)) and own:
        return [fmt(x) for x in own]
    return decision_rule(inputs, d.get("criteria"))


@dataclass
class ReportData:
    """Everything a report shows, as text and tables (figures are drawn from ``victims`` /
    ``interferers`` rows and the request by :mod:`spectrum.report.figures`)."""

    title: str
    decision: str
    worst_margin_db: Any
    reasons: list
    rule: list
    request: dict
    summary: Table
    request_table: Table
    tx_table: Table | None
    rx_table: Table | None
    victims: Table
    interferers: Table | None
    aggregate: Table | None
    models: Table
    time: Table
    register: Table
    inputs: Table
    extras: list
    victim_rows: list
    interferer_rows: list
    inputs_raw: dict
    created_utc: str | None
    evaluation_id: Any


def register_state_of(d: Mapping[str, Any], given: Mapping[str, Any] | None) -> dict:
    """The register state an evaluation was decided on: given explicitly, else recorded in the
    evaluation (``register_state``, or ``audit_head`` among the inputs), else unknown."""
    if given:
        return dict(given)
    for src in (d.get("register_state"), (d.get("inputs") or {}).get("register_state")):
        if isinstance(src, Mapping) and src:
            return dict(src)
    head = (d.get("inputs") or {}).get("audit_head")
    if head:
        return {"audit_head": head}
    return {}


def gather(ev, *, register_state: Mapping[str, Any] | None = None, max_rows: int = 40) -> ReportData:
    """Collect a report's content from an :class:`~spectrum.evaluation.Evaluation` (or its
    ``to_dict()``, or a stored evaluation dict from ``Register.evaluation(id)``)."""
    d = ev if isinstance(ev, Mapping) else ev.to_dict()
    if "result" in d and "decision" in d and "victims" not in d:  # stored form: result nested
        d = {**{k: v for k, v in d.items() if k != "result"}, **(d.get("result") or {})}
    req = dict(d.get("request") or {})
    inputs = dict(d.get("inputs") or {})
    decision = str(d.get("decision", "unknown"))
    worst = d.get("worst_margin_db")
    vrows = _column_rows(d.get("victims") or [])
    irows = _column_rows(d.get("interferers") or [])
    lic = req.get("licence_number") or "(no licence number)"
    title = f"Licence-request evaluation {lic}"
    summary = kv_table("Summary", [
        ("Licence", lic), ("Licensee", req.get("licensee")), ("Service", req.get("service")),
        ("Decision", decision.upper()), ("Worst victim margin [dB]", fmt(worst, 1)),
        ("Victims assessed", len(vrows)), ("Interferers assessed", len(irows)),
        ("Evaluated (UTC)", d.get("created_utc")), ("Evaluation id", d.get("evaluation_id"))])
    scalar = {k: v for k, v in req.items() if not isinstance(v, Mapping)}
    order = ["licence_number", "licensee", "service", "f_mhz", "rx_f_mhz", "bw_khz", "emission", "eirp_dbw",
             "polarisation", "noise_figure_db", "protection", "protection_db", "tx_mask", "rx_selectivity"]
    req_items = [(k, scalar[k]) for k in order if k in scalar] + [(k, v) for k, v in scalar.items() if k not in order]
    tx = req.get("tx") if isinstance(req.get("tx"), Mapping) else None
    rx = req.get("rx") if isinstance(req.get("rx"), Mapping) else None
    victims = rows_table("Registered receivers (the candidate transmitter as interferer), worst margin first",
                         vrows, VICTIM_COLUMNS, sort_key=_margin_key, max_rows=max_rows)
    interferers = (rows_table("Registered transmitters into the candidate receiver, strongest first", irows,
                              INTERFERER_COLUMNS, sort_key=_i_key, max_rows=max_rows) if (irows or rx) else None)
    agg = d.get("aggregate") or {}
    aggregate = kv_table("Aggregate interference at the candidate receiver (power sum)", agg) if agg else None
    mv = dict(d.get("model_versions") or {})
    if inputs.get("model") and "model" not in mv:
        mv = {"model (as asked)": inputs["model"], **mv}
    time = kv_table("Time percentages", [
        ("long-term (interference)", f"{fmt(inputs.get('p_long_percent'))} %"),
        ("short-term (interference)", f"{fmt(inputs.get('p_short_percent'))} %"),
        ("short-term allowance", f"{fmt(inputs.get('short_term_allowance_db'))} dB"),
        ("wanted signals (C/I)", "50 %")])
    rs = register_state_of(d, register_state)
    register = kv_table("Register state decided on", rs if rs else {"audit head": "not recorded"})
    skip = {"p_long_percent", "p_short_percent", "short_term_allowance_db", "register_state", "audit_head"}
    inputs_t = kv_table("Inputs", {k: v for k, v in inputs.items() if k not in skip})
    extras = []
    for k, v in d.items():
        if k in KNOWN_KEYS or v is None or (hasattr(v, "__len__") and not isinstance(v, str) and len(v) == 0):
            continue
        rows = _column_rows(v)
        name = k.replace("_", " ")
        if rows:
            cols = []
            for r in rows:
                cols += [c for c in r if c not in cols and not isinstance(r[c], (Mapping, list))]
            extras.append(rows_table(name, rows, [(c, c.replace("_", " "), None) for c in cols], max_rows=max_rows))
        elif isinstance(v, Mapping):
            extras.append(kv_table(name, v))
        else:
            extras.append(kv_table(name, {k: v}))
    return ReportData(title=title, decision=decision, worst_margin_db=worst, reasons=[str(r) for r in d.get("reasons") or []],
                      rule=_rule(d, inputs), request=req, summary=summary,
                      request_table=kv_table("Request", req_items),
                      tx_table=kv_table("Transmitter", tx) if tx else None,
                      rx_table=kv_table("Receiver", rx) if rx else None, victims=victims, interferers=interferers,
                      aggregate=aggregate, models=kv_table("Models and versions", mv), time=time, register=register,
                      inputs=inputs_t, extras=extras, victim_rows=vrows, interferer_rows=irows, inputs_raw=inputs,
                      created_utc=d.get("created_utc"), evaluation_id=d.get("evaluation_id"))
