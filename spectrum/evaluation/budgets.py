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

from ..interference import aggregate_dbw

__all__ = ["by_mask", "fdr_forward", "fdr_reverse", "interference_dbw", "margins", "aggregate_entries"]


def by_mask(masks) -> list:
    """Row indices grouped by mask: ``[(mask, idx), ...]`` in order of first appearance of each
    ``mask.key`` (``idx`` an int array), so each distinct FDR pair is computed once."""
    groups = {}
    for i, mk in enumerate(masks):
        groups.setdefault(mk.key, (mk, []))[1].append(i)
    return [(mk, np.asarray(idx)) for mk, idx in groups.values()]


def fdr_forward(fdr_fn, tx_mask, rx_masks, df_khz) -> np.ndarray:
    """FDR [dB] of the candidate's Tx mask into each victim's selectivity at offsets ``df_khz``
    (victim minus candidate) -- ``fdr_fn(tx, rx, df)`` such as :class:`spectrum.masks.FDRCache`."""
    fdr = np.full(np.shape(df_khz)[0], np.inf)
    for mk, idx in by_mask(rx_masks):
        fdr[idx] = fdr_fn(tx_mask, mk, df_khz[idx])
    return fdr


def fdr_reverse(fdr_fn, tx_masks, rx_mask, df_khz) -> np.ndarray:
    """FDR [dB] of each registered transmitter's mask into the candidate's selectivity."""
    fdr = np.full(np.shape(df_khz)[0], np.inf)
    for mk, idx in by_mask(tx_masks):
        fdr[idx] = fdr_fn(mk, rx_mask, df_khz[idx])
    return fdr


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
