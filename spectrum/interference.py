"""Interference budget: noise, interference power, aggregate, I/N and C/I margins.

Convention (DESIGN.md "Interference convention"):

    I [dBW] = EIRP_t + (G_t toward victim - G_t max) - L_b(p) + G_r toward interferer
              - feeder loss_r - FDR(df)
    N [dBW] = 10 log10(k T0 B) + NF

Aggregate interference is the power sum 10 log10(sum 10^(I_i/10)), never a sum of dB values.
A margin is positive when the victim is protected:

- I/N criterion (e.g. -6 or -10 dB): margin = criterion - (I - N)
- C/I criterion (e.g. +20 dB):       margin = (C - I) - criterion

References
----------
Rec. ITU-R SM.337-6 (2008) Annex 1 (FDR, the interference budget), Rec. ITU-R P.372-16 (2022)
§1 and Rec. ITU-R V.573 (k T0 B noise), Rec. ITU-R F.758-7 (2019) (I/N protection criteria).
"""
from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_positive, check_range
from .kernels import interference as _ki

from . import units as _units
from .units import BOLTZMANN_J_K as K_BOLTZMANN  # noqa: F401 (re-exported; SI 2019 exact value [J/K])
from .units import T0_K  # reference noise temperature [K] (Rec. ITU-R P.372)


def noise_dbw(bw_khz, nf_db, t_k: float = T0_K) -> np.ndarray:
    """Receiver noise power N = 10 log10(k T B) + NF, Rec. ITU-R P.372-16 §1 (k T0 B). [dBW]

    Parameters
    ----------
    bw_khz : array_like
        Noise bandwidth (> 0). [kHz]
    nf_db : array_like
        Noise figure (>= 0). [dB]
    t_k : float
        Reference temperature. [K]

    Returns
    -------
    numpy.ndarray or float
        Noise power referred to the receiver input. [dBW]

    References
    ----------
    Rec. ITU-R P.372-16 (2022) §1; k T0 = -204.0 dBW/Hz at T0 = 290 K.

    Notes
    -----
    The formula is :func:`spectrum.units.noise_dbw`; this entry point also rejects a noise
    figure above 60 dB (no real receiver), as the interference budget always has.
    """
    check_positive("bw_khz", bw_khz, "kHz")
    check_range("nf_db", nf_db, 0.0, 60.0, "dB")
    return _units.noise_dbw(bw_khz, nf_db, t_k)


def interference_dbw(eirp_dbw, lb_db, *, gt_rel_db=0.0, gr_dbi=0.0, feeder_loss_r_db=0.0,
                     fdr_db=0.0) -> np.ndarray:
    """Interference power at the victim receiver input, Rec. ITU-R SM.337-6 Annex 1 (budget with FDR). [dBW]

    I = EIRP_t + (G_t toward victim - G_t max) - L_b + G_r toward interferer - feeder loss_r - FDR

    Parameters
    ----------
    eirp_dbw : array_like
        Interferer EIRP in its main beam. [dBW]
    lb_db : array_like
        Basic transmission loss for the interference time percentage. [dB]
    gt_rel_db : array_like
        Interferer antenna gain toward the victim minus its maximum gain (<= 0). [dB]
    gr_dbi : array_like
        Victim antenna gain toward the interferer. [dBi]
    feeder_loss_r_db : array_like
        Victim feeder loss. [dB]
    fdr_db : array_like
        Frequency-dependent rejection (SM.337-6). [dB]

    Returns
    -------
    numpy.ndarray or float
        Interference power I (the DESIGN.md convention). [dBW]

    Raises
    ------
    ValueError
        If any input is non-numeric or NaN.

    References
    ----------
    Rec. ITU-R SM.337-6 (10/2008), Frequency and distance separations, Annex 1.
    """
    return (as_float_array("eirp_dbw", eirp_dbw) + as_float_array("gt_rel_db", gt_rel_db)
            - as_float_array("lb_db", lb_db) + as_float_array("gr_dbi", gr_dbi)
            - as_float_array("feeder_loss_r_db", feeder_loss_r_db) - as_float_array("fdr_db", fdr_db))


def aggregate_dbw(i_dbw, axis=None) -> np.ndarray:
    """Aggregate interference: the power sum 10 log10(sum 10^(I/10)) (never a dB sum). [dBW]

    The power sum of uncorrelated interferers (the aggregation rule of the SM.337-6 budget and
    of every ITU-R sharing study; not a Recommendation equation of its own). ``-inf`` terms (no
    interference) contribute nothing; all ``-inf``, or no terms at all (an empty array), gives ``-inf``.

    Parameters
    ----------
    i_dbw : array_like
        Single-entry interference levels. [dBW]
    axis : int, optional
        Axis to sum over; all elements when omitted.

    Returns
    -------
    numpy.ndarray or float
        Aggregate interference. [dBW]

    Raises
    ------
    ValueError
        If ``i_dbw`` is non-numeric or holds NaN or +inf.
    """
    a = as_float_array("i_dbw", i_dbw)
    if np.isposinf(a).any():
        raise ValueError("i_dbw contains +inf (an infinite interference power)")
    with np.errstate(divide="ignore"):
        m = np.max(a, axis=axis, keepdims=True, initial=-np.inf)
        m_safe = np.where(np.isfinite(m), m, 0.0)
        s = np.sum(10.0 ** ((a - m_safe) / 10.0), axis=axis, keepdims=True)
        out = m_safe + 10.0 * np.log10(s)
    out = np.where(np.isfinite(m), out, -np.inf)
    return out.squeeze(axis=axis) if axis is not None else out.reshape(())[()]


def aggregate_by_group_dbw(i_dbw, group, n_groups: int) -> np.ndarray:
    """Power sum of ``i_dbw`` within each integer ``group`` (0 .. n_groups-1). [dBW]

    Parameters
    ----------
    i_dbw : array_like, 1-D
        Interference of each entry; ``-inf`` (none) contributes nothing. [dBW]
    group : array_like of int, same length as ``i_dbw``
        Group index of each entry, 0 <= group < n_groups.
    n_groups : int
        Number of groups; a group with no entries gives ``-inf``.

    Returns
    -------
    numpy.ndarray, shape (n_groups,)
        Aggregate interference per group. [dBW]

    Raises
    ------
    ValueError
        NaN or +inf in ``i_dbw``, a group index outside [0, n_groups), non-integer group indices,
        or ``i_dbw`` and ``group`` of different lengths.
    """
    if isinstance(n_groups, bool) or not isinstance(n_groups, (int, np.integer)) or n_groups < 0:
        raise ValueError(f"n_groups = {n_groups!r} must be an integer >= 0")
    v = as_float_array("i_dbw", i_dbw).ravel()
    if np.isposinf(v).any():
        raise ValueError("i_dbw contains +inf (an infinite interference power)")
    g0 = np.asarray(group)
    if g0.size and not (np.issubdtype(g0.dtype, np.integer)
                        or (np.issubdtype(g0.dtype, np.floating) and np.all(g0 == np.round(g0)))):
        raise ValueError(f"group = {g0.ravel()[:6]!r} must hold integer group indices")
    g = g0.astype(np.int64).ravel()
    if g.size != v.size:
        raise ValueError(f"group has {g.size} entries; it must match i_dbw ({v.size})")
    bad = (g < 0) | (g >= n_groups)
    if bad.any():
        raise ValueError(f"group = {int(g[bad][0])} is outside [0, {int(n_groups)}) (n_groups = {int(n_groups)})")
    return _ki.power_sum_db(np.ascontiguousarray(v), np.ascontiguousarray(g), int(n_groups))


#: protection criteria of Rec. ITU-R SM.2028-2 §3.3 / SEAMCAT (the interference-limit forms)
CRITERIA = ("I/N", "C/I", "C/(N+I)", "(N+I)/N")


def power_sum_dbw(*levels_dbw) -> np.ndarray:
    """Elementwise power sum 10 log10(sum 10^(x/10)) of arrays of levels (-inf contributes nothing). [dBW]"""
    arrs = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in levels_dbw))
    stack = np.stack(arrs)
    with np.errstate(divide="ignore", invalid="ignore"):
        m = np.max(stack, axis=0)
        m_safe = np.where(np.isfinite(m), m, 0.0)
        out = m_safe + 10.0 * np.log10(np.sum(10.0 ** ((stack - m_safe) / 10.0), axis=0))
    out = np.where(np.isneginf(m), -np.inf, out)
    return np.where(np.isnan(m), np.nan, out)


def max_interference_dbw(criterion, threshold_db, n_dbw=None, c_dbw=None) -> np.ndarray:
    """The interference power that just meets a protection criterion, Rec. ITU-R SM.2028-2 §3.3. [dBW]

    - I/N <= t:        I_max = N + t
    - C/I >= t:        I_max = C - t
    - C/(N+I) >= t:    I_max = 10 log10(10^((C - t)/10) - 10^(N/10))   (-inf if C - t <= N)
    - (N+I)/N <= t:    I_max = N + 10 log10(10^(t/10) - 1)               (t > 0 dB)

    ``-inf`` means the criterion cannot be met even without interference (a noise-limited
    receiver). ``criterion`` a string or an array of strings (one per row).

    References
    ----------
    Rec. ITU-R SM.2028-2 (06/2017), Monte Carlo simulation methodology ... (SEAMCAT), §3.3
    (interference criteria C/I, C/(N+I), (N+I)/N, I/N).
    """
    crit = np.asarray(criterion, dtype=object)
    t = np.asarray(threshold_db, dtype=float)
    n = np.asarray(np.nan if n_dbw is None else n_dbw, dtype=float)
    c = np.asarray(np.nan if c_dbw is None else c_dbw, dtype=float)
    bad = [x for x in set(crit.ravel().tolist()) if x not in CRITERIA]
    if bad:
        raise ValueError(f"criterion = {sorted(map(str, bad))[0]!r} must be one of {', '.join(CRITERIA)}")
    with np.errstate(divide="ignore", invalid="ignore"):
        cni = 10.0 * np.log10(np.maximum(10.0 ** ((c - t) / 10.0) - 10.0 ** (n / 10.0), 0.0))
        nin = n + 10.0 * np.log10(np.maximum(10.0 ** (t / 10.0) - 1.0, 0.0))
    out = np.where(crit == "I/N", n + t, np.where(crit == "C/I", c - t, np.where(crit == "C/(N+I)", cni, nin)))
    out = np.asarray(out, dtype=float)
    return out[()] if out.ndim == 0 else out


def margin_db(criterion: str, protection_db, i_dbw, n_dbw=None, c_dbw=None) -> np.ndarray:
    """Protection margin: how much more interference the receiver tolerates, I_max - I, with
    I_max from :func:`max_interference_dbw` (Rec. ITU-R SM.2028-2 §3.3; F.758-7 for I/N). [dB]

    For I/N this is (I/N)_max - (I - N) and for C/I (C - I) - (C/I)_min, the margins in the
    criterion's own terms; for C/(N+I) and (N+I)/N it is the interference headroom (the margin
    in the criterion's terms is smaller: these criteria saturate). Positive = protected.

    Parameters
    ----------
    criterion : {"I/N", "C/I", "C/(N+I)", "(N+I)/N"}
    protection_db : array_like
        Maximum I/N, minimum C/I, minimum C/(N+I) or maximum (N+I)/N. [dB]
    i_dbw : array_like
        Interference (single entry or aggregate). [dBW]
    n_dbw, c_dbw : array_like
        Noise (I/N, C/(N+I), (N+I)/N) and wanted signal (C/I, C/(N+I)). [dBW]

    Returns
    -------
    numpy.ndarray
        Protection margin; negative means the criterion is exceeded. [dB]

    References
    ----------
    Rec. ITU-R SM.2028-2 (06/2017) §3.3; Rec. ITU-R F.758-7 (2019), System parameters and
    considerations in the development of criteria for sharing or compatibility between digital
    fixed wireless systems and other services.
    """
    if criterion not in CRITERIA:
        raise ValueError(f"criterion = {criterion!r} must be one of {', '.join(CRITERIA)}")
    i = np.asarray(i_dbw, dtype=float)
    if criterion in ("I/N", "C/(N+I)", "(N+I)/N") and n_dbw is None:
        raise ValueError(f"a {criterion} margin needs n_dbw")
    if criterion in ("C/I", "C/(N+I)") and c_dbw is None:
        raise ValueError(f"a {criterion} margin needs c_dbw")
    if criterion == "I/N":
        return np.asarray(protection_db, float) - (i - np.asarray(n_dbw, float))
    if criterion == "C/I":
        return (np.asarray(c_dbw, float) - i) - np.asarray(protection_db, float)
    return max_interference_dbw(criterion, protection_db, n_dbw, c_dbw) - i


__all__ = ["K_BOLTZMANN", "T0_K", "noise_dbw", "interference_dbw", "aggregate_dbw",
           "aggregate_by_group_dbw", "margin_db", "max_interference_dbw", "power_sum_dbw", "CRITERIA"]
