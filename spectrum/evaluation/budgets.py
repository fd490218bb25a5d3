"""Stage 5 -- budgets: FDR, interference power, noise, wanted signal and the protection margins.

Plain array functions (DESIGN.md interference convention)::

    I [dBW] = EIRP_t + (G_t toward victim - G_t max) - L_b(p) + G_r toward interferer
              - feeder loss_r - FDR(df)

Margins are positive when the victim is protected. Long-term: the criterion as registered;
short-term: relaxed by ``short_term_allowance_db``; an entry's margin is the smaller of the two.

References
----------
Rec. ITU-R SM.337-6 (2008) (FDR, the budget); Rec. ITU-R P.372-16 (noise); Rec. ITU-R F.758-7.
"""
from __future__ import annotations

import numpy as np

from ..interference import aggregate_dbw, max_interference_dbw, power_sum_dbw

__all__ = ["RULES", "by_mask", "fdr_forward", "fdr_reverse", "fdr_pairs", "interference_dbw", "margins",
           "rule_margins", "aggregate_entries"]

#: decision rules on the increment a candidate causes at a victim already receiving interference:
#: "absolute" -- the total (existing + candidate) must meet the victim's criterion;
#: "degradation" -- the candidate may raise the victim's noise-plus-interference by at most the
#: permitted Delta T/T (I_candidate / (N + I_existing) <= Delta T/T);
#: "single-entry" -- the candidate alone against the criterion (existing interference reported only)
RULES = ("absolute", "degradation", "single-entry")


def by_mask(masks) -> list:
    """Row indices grouped by mask: ``[(mask, idx), ...]`` in order of first appearance of each
    ``mask.key`` (``idx`` an int array), so each distinct FDR pair is computed once."""
    pre = getattr(masks, "by_object", None)   # made while resolving (MaskResolver.get_many)
    if pre is None:
        by_obj: dict = {}   # resolved masks are shared objects: group by identity first, then by key
        for i, mk in enumerate(masks):
            e = by_obj.get(id(mk))
            if e is None:
                e = by_obj[id(mk)] = (mk, [])
            e[1].append(i)
        pre = list(by_obj.values())
    groups: dict = {}
    for mk, idx in pre:
        groups.setdefault(mk.key, (mk, []))[1].append(idx)
    return [(mk, np.sort(np.concatenate([np.asarray(x, dtype=np.int64) for x in parts])) if len(parts) > 1
             else np.asarray(parts[0])) for mk, parts in groups.values()]


def fdr_forward(fdr_fn, tx_mask, rx_masks, df_khz, groups=None, where=None) -> np.ndarray:
    """FDR [dB] of the candidate's Tx mask into each victim's selectivity at offsets ``df_khz``
    (victim minus candidate) -- ``fdr_fn(tx, rx, df)`` such as :class:`spectrum.masks.FDRCache`;
    ``groups`` the :func:`by_mask` grouping of ``rx_masks`` when already known; ``where`` (bool
    per row) limits the rows computed (the others stay +inf)."""
    fdr = np.full(np.shape(df_khz)[0], np.inf)
    for mk, idx in (groups if groups is not None else by_mask(rx_masks)):
        if where is not None:
            idx = idx[where[idx]]
        if idx.size:
            fdr[idx] = fdr_fn(tx_mask, mk, df_khz[idx])
    return fdr


def fdr_reverse(fdr_fn, tx_masks, rx_mask, df_khz, groups=None, where=None) -> np.ndarray:
    """FDR [dB] of each registered transmitter's mask into the candidate's selectivity
    (``where`` as :func:`fdr_forward`)."""
    fdr = np.full(np.shape(df_khz)[0], np.inf)
    for mk, idx in (groups if groups is not None else by_mask(tx_masks)):
        if where is not None:
            idx = idx[where[idx]]
        if idx.size:
            fdr[idx] = fdr_fn(mk, rx_mask, df_khz[idx])
    return fdr


def fdr_pairs(fdr_fn, tx_masks, tx_idx, rx_masks, rx_idx, df_khz) -> np.ndarray:
    """FDR [dB] of pairs (registered transmitter ``tx_idx`` into registered receiver ``rx_idx``),
    grouped by mask pair so each distinct (Tx mask, Rx mask, df) is integrated once."""
    out = np.full(np.shape(df_khz)[0], np.inf)
    if not out.size:
        return out
    tx_idx = np.asarray(tx_idx, np.int64)
    rx_idx = np.asarray(rx_idx, np.int64)
    tk: dict = {}
    rk: dict = {}
    ut, inv_t = np.unique(tx_idx, return_inverse=True)
    ur, inv_r = np.unique(rx_idx, return_inverse=True)
    t_code = np.array([tk.setdefault(tx_masks[j].key, (len(tk), tx_masks[j]))[0] for j in ut], dtype=np.int64)[inv_t]
    r_code = np.array([rk.setdefault(rx_masks[i].key, (len(rk), rx_masks[i]))[0] for i in ur], dtype=np.int64)[inv_r]
    tmask = {c: m for c, m in tk.values()}
    rmask = {c: m for c, m in rk.values()}
    nr = max(len(rk), 1)
    combo = t_code * nr + r_code
    for cval in np.unique(combo):
        sel = np.flatnonzero(combo == cval)
        out[sel] = fdr_fn(tmask[int(cval) // nr], rmask[int(cval) % nr], df_khz[sel])
    return out


def interference_dbw(eirp_dbw, gt_dbi, gt_max_dbi, gr_dbi, fl_r_db, fdr_db, lb_db) -> np.ndarray:
    """I = EIRP + (G_t - G_t,max) + G_r - feeder loss_r - FDR - L_b. [dBW]"""
    return eirp_dbw + (gt_dbi - gt_max_dbi) + gr_dbi - fl_r_db - fdr_db - lb_db


def margins(crit, prot_db, i_long_dbw, i_short_dbw, n_dbw, c_dbw, allow_db):
    """(long-term, short-term, entry) margins [dB] against I/N or C/I criteria.

    I/N: (I/N)_max - (I - N), short-term (I/N)_max + allowance; C/I: (C - I) - (C/I)_min,
    short-term (C/I)_min - allowance. The entry margin is the smaller (NaN if either is NaN).
    """
    crit = np.asarray(crit)
    m_lt = np.where(crit == "I/N", prot_db - (i_long_dbw - n_dbw), (c_dbw - i_long_dbw) - prot_db)
    m_st = np.where(crit == "I/N", prot_db + allow_db - (i_short_dbw - n_dbw), (c_dbw - i_short_dbw) - (prot_db - allow_db))
    m = np.fmin(m_lt, m_st)
    m = np.where(np.isnan(m_lt) | np.isnan(m_st), np.nan, m)
    return m_lt, m_st, m


def aggregate_entries(i_long_dbw, i_short_dbw):
    """Power sums of the computed entries and each entry's share of the long-term sum [%].

    Returns (agg_long_dbw, agg_short_dbw, share_percent, computed)."""
    computed = np.isfinite(i_long_dbw)
    agg_lt = float(aggregate_dbw(i_long_dbw[computed])) if computed.any() else -np.inf
    agg_st = float(aggregate_dbw(i_short_dbw[computed])) if computed.any() else -np.inf
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(computed, 100.0 * 10.0 ** ((i_long_dbw - agg_lt) / 10.0), np.nan) if np.isfinite(agg_lt) \
            else np.full(np.shape(i_long_dbw), np.nan)
    return agg_lt, agg_st, share, computed


def rule_margins(rule: str, crit, prot_db, n_dbw, c_dbw, i_long_dbw, i_short_dbw, i_ex_long_dbw, i_ex_short_dbw,
                 allow_db: float, dt_over_t_percent: float) -> dict:
    """Margins of victims under each view and the chosen ``rule`` (:data:`RULES`). [dB]

    With I_max the interference that just meets the criterion (:func:`spectrum.interference.
    max_interference_dbw`, Rec. ITU-R SM.2028-2 §3.3), long-term / short-term (+ allowance):

    - alone:    I_max - I_candidate
    - existing: I_max - I_existing            (the registered interferers without the candidate)
    - total:    I_max - (I_candidate (+) I_existing)     (power sum)
    - degradation: 10 log10(Delta T/T) - (I_candidate - (N (+) I_existing))

    Returns a dict of arrays: ``i_max_dbw``, ``i_total_long_dbw``, ``i_total_short_dbw``,
    ``margin_alone_db``, ``margin_existing_db``, ``margin_total_db``, ``margin_degradation_db``,
    ``dt_over_t_percent`` (the candidate's I / (N + I_existing), long-term),
    ``margin_long_db``, ``margin_short_db`` and ``margin_db`` of the rule (entry margin: the
    smaller of long and short term, NaN if either is NaN).
    """
    if rule not in RULES:
        raise ValueError(f"rule = {rule!r} must be one of {', '.join(RULES)}")
    imax = np.asarray(max_interference_dbw(crit, prot_db, n_dbw, c_dbw), dtype=float)
    tot_lt = power_sum_dbw(i_long_dbw, i_ex_long_dbw)
    tot_st = power_sum_dbw(i_short_dbw, i_ex_short_dbw)
    ni_lt = power_sum_dbw(n_dbw, i_ex_long_dbw)
    ni_st = power_sum_dbw(n_dbw, i_ex_short_dbw)
    lim = 10.0 * np.log10(dt_over_t_percent / 100.0)
    with np.errstate(invalid="ignore"):
        views = {
            "alone": (imax - i_long_dbw, imax + allow_db - i_short_dbw),
            "existing": (imax - i_ex_long_dbw, imax + allow_db - i_ex_short_dbw),
            "total": (imax - tot_lt, imax + allow_db - tot_st),
            "degradation": (lim - (i_long_dbw - ni_lt), lim + allow_db - (i_short_dbw - ni_st)),
        }

    def entry(lt, st):
        m = np.fmin(lt, st)
        return np.where(np.isnan(lt) | np.isnan(st), np.nan, m)

    out = {"i_max_dbw": imax, "i_total_long_dbw": tot_lt, "i_total_short_dbw": tot_st,
           "dt_over_t_percent": 100.0 * 10.0 ** ((i_long_dbw - ni_lt) / 10.0)}
    for k, (lt, st) in views.items():
        out[f"margin_{k}_db"] = entry(lt, st)
    pick = {"absolute": "total", "degradation": "degradation", "single-entry": "alone"}[rule]
    out["margin_long_db"], out["margin_short_db"] = views[pick]
    out["margin_db"] = out[f"margin_{pick}_db"]
    return out
