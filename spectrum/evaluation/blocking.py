"""Stage 5b -- blocking: receiver blocking / adjacent-channel selectivity as an interference
mechanism of its own beside the unwanted emissions (SM.337 FDR), per SEAMCAT.

For a victim receiver whose channel does not overlap the interferer's
(``|df| >= (B_it + B_vr) / 2``)::

    I_full     = EIRP + (G_t - G_t,max) + G_r - feeder loss_r - L_b(p) - surroundings   [dBW]
    I_unwanted = I_full - FDR_u(df)                    (SEAMCAT iRSS_unwanted: the Tx emission mask
                                                        integrated over the victim's bandwidth -- SM.337
                                                        FDR into an ideal rectangular receiver of B_vr)
    I_blocking = I_full - a_vr(df)                     (ERC Report 68 Annex 2 / SEAMCAT iRSS_blocking:
                                                        the interferer's whole power, no bandwidth correction)
    I          = I_unwanted (+) I_blocking             (power sum: SEAMCAT's composite iRSS adds the
                                                        mechanisms' powers)

The receiver's selectivity enters through a_vr only: SM.337 FDR with the receiver's selectivity
mask already holds the interferer's carrier passing the selectivity skirt (the off-frequency
rejection), so adding a blocking term to it would count the selectivity twice (3 dB too much where
the two are equal). Pairs whose channels overlap keep the SM.337 FDR with the selectivity and
have no blocking term. The two mechanisms act as one effective rejection
``R = -10 log10(10^(-FDR_u/10) + 10^(-a_vr/10))`` and ``I = I_full - R``; a co-channel (overlapping)
pair has a_vr = +inf.

The receiver attenuation a_vr (:mod:`spectrum.blocking`, SEAMCAT handbook A8.3-A8.5) comes, per
receiver, from the first of:

1. **register mask** -- the receiver's Rx selectivity named in the register (``rx_selectivity``;
   for the candidate a mask name or dict in the request): the user-defined (ACS) mode,
   a_vr = the mask's attenuation at df;
2. **service** -- ``blocking_by_service[service]``: a blocking response in any of the three modes
   (``{"mode", "offset_khz", "value"}`` plus ``c_nplusi_db``, ``i_n_db`` (defaults 16 and -6 dB,
   the SEAMCAT handbook's example A8.7), ``nplusi_n_db`` and, in sensitivity mode,
   ``sensitivity_dbw``);
3. **default** -- a generic receiver after ETSI EN 300 113-1 (land mobile): adjacent-channel
   selectivity 60 dB at one receiver bandwidth off, rising linearly (dB) to the blocking
   level 84 dB at 1 MHz beyond it, constant farther out; taken as a user-defined mask.

References
----------
ERC Report 68 (2002) Annex 2; ECC SEAMCAT handbook Annex 8 (A8.3-A8.7); Rec. ITU-R SM.2028-2
(06/2017) §3.2; ETSI EN 300 113-1 (adjacent channel selectivity, blocking); Rec. ITU-R SM.337-6.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

from ..blocking import MODES, BlockingMask

__all__ = ["DEFAULT_ACS_DB", "DEFAULT_BLOCKING_DB", "DEFAULT_BLOCKING_OFFSET_KHZ", "check_blocking_by_service",
           "default_attenuation_db", "overlapping", "receiver_attenuation", "effective_rejection_db",
           "split_mechanisms", "named_masks", "MODE_LABELS", "unwanted_fdr_forward", "unwanted_fdr_reverse", "record_by_service"]

#: generic receiver (ETSI EN 300 113-1): adjacent-channel selectivity at one bandwidth off [dB]
DEFAULT_ACS_DB = 60.0
#: ... and the blocking level reached 1 MHz beyond it [dB]
DEFAULT_BLOCKING_DB = 84.0
DEFAULT_BLOCKING_OFFSET_KHZ = 1000.0
#: SEAMCAT handbook A8.7 receiver criteria, the defaults of the protection-ratio / sensitivity modes [dB]
DEFAULT_C_NPLUSI_DB = 16.0
#: blocking mode of a row (codes returned by :func:`receiver_attenuation`)
MODE_LABELS = ("co-channel", "user-defined (register mask)", "user-defined (service)", "protection-ratio (service)",
               "sensitivity (service)", "user-defined (default)")
DEFAULT_I_N_DB = -6.0


def _svc_key(s) -> str:
    return str(s).strip().lower().replace("-", "_").replace(" ", "_")


def check_blocking_by_service(spec) -> dict:
    """``{service: {"mode", "offset_khz", "value", ...}}`` validated (services compared like
    ``criteria_by_service``); each entry gets its :class:`~spectrum.blocking.BlockingMask` under
    ``"mask"`` and its criteria filled in."""
    out = {}
    for svc, d in dict(spec or {}).items():
        if not isinstance(d, Mapping):
            raise ValueError(f"blocking_by_service[{svc!r}] = {d!r} must be a dict with mode, offset_khz, value")
        unknown = sorted(set(d) - {"mode", "offset_khz", "value", "c_nplusi_db", "i_n_db", "nplusi_n_db",
                                   "sensitivity_dbw", "mask"})
        if unknown:
            raise ValueError(f"blocking_by_service[{svc!r}] has unknown key(s) {unknown}")
        mode = d.get("mode", "user-defined")
        if mode not in MODES:
            raise ValueError(f"blocking_by_service[{svc!r}] mode = {mode!r} must be one of {', '.join(MODES)}")
        try:
            mk = BlockingMask(tuple(d.get("offset_khz") or ()), tuple(d.get("value") or ()), mode)
        except ValueError as exc:
            raise ValueError(f"blocking_by_service[{svc!r}]: {exc}") from None
        e = {"mode": mode, "offset_khz": list(mk.offset_khz), "value": list(mk.value),
             "c_nplusi_db": float(d.get("c_nplusi_db", DEFAULT_C_NPLUSI_DB)),
             "i_n_db": float(d.get("i_n_db", DEFAULT_I_N_DB)),
             "nplusi_n_db": None if d.get("nplusi_n_db") is None else float(d["nplusi_n_db"]),
             "sensitivity_dbw": None if d.get("sensitivity_dbw") is None else float(d["sensitivity_dbw"])}
        for k in ("c_nplusi_db", "i_n_db"):
            if not np.isfinite(e[k]):
                raise ValueError(f"blocking_by_service[{svc!r}] {k} = {e[k]!r} must be finite")
        if mode == "sensitivity" and (e["sensitivity_dbw"] is None or not np.isfinite(e["sensitivity_dbw"])):
            raise ValueError(f"blocking_by_service[{svc!r}]: mode 'sensitivity' needs sensitivity_dbw (finite, dBW)")
        e["mask"] = mk
        out[_svc_key(svc)] = e
    return out


def record_by_service(by_service: dict) -> dict:
    """JSON-ready copy of a checked ``blocking_by_service`` (without the mask objects)."""
    return {k: {kk: vv for kk, vv in v.items() if kk != "mask"} for k, v in by_service.items()}


def default_attenuation_db(df_khz, bw_khz) -> np.ndarray:
    """a_vr of the generic receiver (module docstring, ETSI EN 300 113-1): 60 dB at |df| <= B,
    linear to 84 dB at |df| = B + 1 MHz, 84 dB beyond. [dB]"""
    x = np.abs(np.asarray(df_khz, float))
    b = np.asarray(bw_khz, float)
    t = np.clip((x - b) / DEFAULT_BLOCKING_OFFSET_KHZ, 0.0, 1.0)
    return DEFAULT_ACS_DB + t * (DEFAULT_BLOCKING_DB - DEFAULT_ACS_DB)


def overlapping(df_khz, bw_vr_khz, bw_it_khz) -> np.ndarray:
    """True where the interferer's channel overlaps the victim's (co-channel: no blocking term)."""
    return np.abs(np.asarray(df_khz, float)) < 0.5 * (np.asarray(bw_vr_khz, float) + np.asarray(bw_it_khz, float))


def _named(spec) -> bool:
    return (isinstance(spec, str) and spec != "") or isinstance(spec, Mapping) or hasattr(spec, "attenuation_at")


def named_masks(specs) -> np.ndarray:
    """True per receiver whose ``rx_selectivity`` names a mask (register name, dict or Mask):
    the user-defined mode from the register (computed once per run, the rows do not change)."""
    return np.fromiter((_named(s) for s in specs), dtype=bool, count=len(specs))


def receiver_attenuation(df_khz, bw_vr_khz, bw_it_khz, specs, masks, services, by_service: dict, named=None,
                         groups=None):
    """a_vr [dB] and the mode of each receiver (module docstring: register mask, service, default).

    Parameters
    ----------
    df_khz : array
        Interferer minus victim frequency. [kHz]
    bw_vr_khz, bw_it_khz : array
        Victim and interferer bandwidths. [kHz]
    specs : sequence
        The receivers' ``rx_selectivity`` as registered (name, dict or None).
    masks : sequence of Mask
        The resolved selectivity of each receiver (used where ``specs`` names one).
    services : sequence of str
    by_service : dict
        :func:`check_blocking_by_service`.
    named : bool array, optional
        :func:`named_masks` of ``specs`` when already known.
    groups : list, optional
        :func:`~.budgets.by_mask` of ``masks`` when already known.

    Returns (a_vr_db, mode): mode as codes of :data:`MODE_LABELS`; +inf and code 0 ("co-channel")
    where the channels overlap.
    """
    df = np.asarray(df_khz, float)
    n = df.size
    a = np.full(n, np.inf)
    mode = np.zeros(n, np.int8)   # codes of MODE_LABELS
    adj = ~overlapping(df, bw_vr_khz, bw_it_khz)
    if not adj.any():
        return a, mode
    if named is None:
        named = named_masks(specs)
    reg = adj & named
    if groups is None:
        g: dict = {}
        for i in np.flatnonzero(reg):
            g.setdefault(id(masks[i]), (masks[i], []))[1].append(i)
        groups = [(mk, np.asarray(idx, np.int64)) for mk, idx in g.values()]
    for mk, idx in groups:
        idx = idx[reg[idx]]
        if idx.size:
            a[idx] = mk.attenuation_at(df[idx])
            mode[idx] = 1
    rest = adj & ~named
    if by_service and rest.any():
        keys = np.array([_svc_key(s) for s in np.asarray(services, dtype=object)[rest]], dtype=object)
        pos = np.flatnonzero(rest)
        for k in set(keys.tolist()):
            e = by_service.get(k)
            if e is None:
                continue
            idx = pos[keys == k]
            a[idx] = e["mask"].attenuation_db(df[idx], c_nplusi_db=e["c_nplusi_db"], nplusi_n_db=e["nplusi_n_db"],
                                              i_n_db=e["i_n_db"], sens_dbw=e["sensitivity_dbw"])
            mode[idx] = MODE_LABELS.index(f"{e['mode']} (service)")
            rest[idx] = False
    if rest.any():
        bw = np.broadcast_to(np.asarray(bw_vr_khz, float), df.shape)
        a[rest] = default_attenuation_db(df[rest], bw[rest])
        mode[rest] = MODE_LABELS.index("user-defined (default)")
    return a, mode


def unwanted_fdr_forward(fdr_fn, tx_mask, bw_vr_khz, df_khz, rows) -> np.ndarray:
    """FDR_u [dB] of one Tx mask into ideal rectangular receivers of bandwidths ``bw_vr_khz[rows]``
    at ``df_khz[rows]`` (SEAMCAT's unwanted emissions: the mask over the victim's bandwidth)."""
    from ..masks import Mask

    out = np.empty(rows.size)
    bw = np.asarray(bw_vr_khz, float)[rows]
    for b in np.unique(bw):
        sel = np.flatnonzero(bw == b)
        out[sel] = fdr_fn(tx_mask, Mask.rectangular(float(b), "rx"), np.asarray(df_khz, float)[rows[sel]])
    return out


def unwanted_fdr_reverse(fdr_fn, groups, bw_vr_khz: float, df_khz, where) -> np.ndarray:
    """FDR_u [dB] of the registered Tx masks (``groups``: :func:`~.budgets.by_mask` of them) into
    an ideal rectangular receiver of ``bw_vr_khz`` (the candidate's), at the rows ``where``
    (+inf elsewhere)."""
    from ..masks import Mask

    rx = Mask.rectangular(float(bw_vr_khz), "rx")
    df = np.asarray(df_khz, float)
    out = np.full(df.size, np.inf)
    for mk, idx in groups:
        idx = idx[where[idx]]
        if idx.size:
            out[idx] = fdr_fn(mk, rx, df[idx])
    return out


def effective_rejection_db(fdr_db, a_vr_db) -> np.ndarray:
    """R = -10 log10(10^(-FDR/10) + 10^(-a_vr/10)): unwanted emissions and blocking together
    (I = I_full - R is the power sum of both); FDR where a_vr = +inf. [dB]"""
    from ..units import db_sum

    f, a = np.broadcast_arrays(np.asarray(fdr_db, float), np.asarray(a_vr_db, float))
    return -db_sum(np.stack([-f, -a]), axis=0)


def split_mechanisms(i_dbw, fdr_db, a_vr_db, rej_db):
    """(I_unwanted, I_blocking) [dBW] from the composite ``i_dbw`` computed with ``rej_db``."""
    i_full = np.asarray(i_dbw, float) + rej_db
    with np.errstate(invalid="ignore"):
        return i_full - fdr_db, np.where(np.isinf(a_vr_db) & (a_vr_db > 0), -np.inf, i_full - a_vr_db)
