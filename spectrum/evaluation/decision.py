"""Stage 6 -- the decision: each entry's status from its margin, and the request's decision.

- **refuse** if any registered victim has a margin < 0 dB;
- **needs coordination** if any victim margin is within ``coordination_margin_db`` (default 3 dB)
  of failing, or a victim could not be computed (outside the terrain data, wanted transmitter of
  a C/I victim unknown) while its free-space bound exceeds the threshold, or the candidate's own
  receiver would not be protected from the aggregate of registered transmitters (the applicant
  must accept that interference or coordinate);
- **grant** otherwise.

An application with several transmitters (:func:`combined_decision`) also power-sums their
interference at each victim (:func:`aggregate_victims`).
"""
from __future__ import annotations

import numpy as np

from ..interference import aggregate_dbw, max_interference_dbw

__all__ = ["DECISIONS", "row_status", "decide", "aggregate_victims", "combined_decision"]

DECISIONS = ("grant", "needs coordination", "refuse")


def row_status(margin_db, coord_db: float) -> np.ndarray:
    """"harmful" (< 0), "marginal" (< ``coord_db``), "ok", or "uncertain" (NaN: not computed)."""
    m = np.asarray(margin_db, float)
    return np.where(np.isnan(m), "uncertain",
                    np.where(m < 0, "harmful", np.where(m < coord_db, "marginal", "ok"))).astype(str)


def decide(victims: dict, aggregate: dict, coord_margin: float, has_rx: bool, *, rule: str = "absolute",
           intermod: dict | None = None) -> tuple[str, list, float]:
    """(decision, reasons, worst victim margin) from the victim table (margins by ``rule``), the
    candidate receiver's aggregate and the intermodulation table (:mod:`spectrum.intermod`:
    a product hitting a registered receiver with margin < ``coord_margin`` makes it "needs
    coordination" -- site engineering (filters, isolators, frequency change) must resolve it
    before the grant)."""
    v = victims
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
        n_nl = int((st == "noise-limited").sum())
        if n_nl:
            reasons.append(f"{n_nl} receiver(s) cannot meet their criterion even without interference "
                           f"(wanted signal too weak; not attributed to the candidate)")
        if "margin_existing_db" in v:
            pre = np.isfinite(v["margin_existing_db"]) & (v["margin_existing_db"] < 0)
            if pre.any():
                reasons.append(f"{int(pre.sum())} receiver(s) already exceed their criterion from registered "
                               f"interferers alone (rule {rule!r}: "
                               + ("the candidate's share must stay within the permitted degradation)"
                                  if rule == "degradation" else "any further interference counts against them)"
                                  if rule == "absolute" else "judged on the candidate alone)"))
    agg = aggregate
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
    if intermod:
        ims = np.asarray(intermod.get("status", []))
        n_ih = int((ims == "harmful").sum())
        n_im = int((ims == "marginal").sum())
        if n_ih or n_im:
            if decision == "grant":
                decision = "needs coordination"
            mg = np.asarray(intermod["margin_db"], float)
            i = int(np.nanargmin(mg))
            reasons.append(f"intermodulation at the site: {n_ih} product hit(s) below and {n_im} within "
                           f"{coord_margin:g} dB of the receiver's criterion; worst {intermod['product'][i]} "
                           f"({intermod['f_product_mhz'][i]:.4f} MHz) into licence {intermod['licence_number'][i]} "
                           f"margin {mg[i]:+.1f} dB (filters / isolators / another frequency before the grant)")
    if decision == "grant":
        reasons.append("every registered receiver within reach keeps a margin of at least "
                       f"{coord_margin:g} dB" + ("" if not has_rx else
                                                   " and the candidate receiver is protected"))
    return decision, reasons, worst


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
        elif e["crit"] == "C/I":
            m_lt = (e["c"] - i_lt) - e["prot"]
            m_st = (e["c"] - i_st) - (e["prot"] - e["allow"])
        else:
            imax = float(max_interference_dbw(e["crit"], e["prot"], e["n"], e["c"]))
            m_lt = imax - i_lt
            m_st = imax + e["allow"] - i_st
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

