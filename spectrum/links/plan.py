"""Frequency and polarisation choice along a channel plan, and availability of many links at once.

:func:`channel_sweep` evaluates every (channel pair, polarisation) of a plan for one hop (both
directions): the P.530 availability of each direction on that channel (rain and multipath change
with frequency and polarisation) and the interference into and from it (threshold degradation,
the fixed-service W/U convention), then ranks them: interference criteria met first, then the
lower availability of the two directions, then the interference margin.

:func:`availability_batch` takes arrays of hops (fade margins and path data) through the P.530
kernels in one parallel pass (the benchmark's 10 000 synthetic links).

References
----------
Rec. ITU-R P.530-18 (09/2021); Rec. ITU-R F.746-10 (radio-frequency channel arrangements).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from .._validate import check_range
from ..kernels import p530 as _k
from ..propagation import p530
from ..propagation.p838 import rain_coefficients
from .budget import Link, _profile, link_budget
from .interference import interference_from, interference_into

__all__ = ["channel_plan_pairs", "channel_sweep", "availability_batch"]


#: Most channels a plan may have (a 1 kHz raster over 10 GHz is 1e7; no fixed-service plan comes near).
MAX_CHANNELS = 100_000


def channel_plan_pairs(f_lo_mhz: float, f_hi_mhz: float, spacing_mhz: float, duplex_mhz: float) -> np.ndarray:
    """Go/return channel centre pairs of a paired plan (Rec. ITU-R F.746 style): go channels from
    ``f_lo + spacing/2`` in steps of ``spacing`` whose return channel (``+ duplex``) stays in the band.

    Returns
    -------
    numpy.ndarray, shape (n, 2)
        (f_go, f_return). [MHz]
    """
    check_range("spacing_mhz", spacing_mhz, 0.0, 1e4, "MHz", lo_open=True)
    check_range("duplex_mhz", duplex_mhz, 0.0, 1e5, "MHz", lo_open=True)
    if not f_hi_mhz > f_lo_mhz:
        raise ValueError(f"f_hi_mhz = {f_hi_mhz:g} must be above f_lo_mhz = {f_lo_mhz:g}")
    n = (f_hi_mhz - f_lo_mhz - duplex_mhz) / spacing_mhz
    if n > MAX_CHANNELS:
        raise ValueError(f"spacing_mhz = {spacing_mhz:g} gives {n:.3g} channels in {f_lo_mhz:g}-{f_hi_mhz:g} MHz; "
                         f"a plan has at most {MAX_CHANNELS} channels")
    go = np.arange(f_lo_mhz + spacing_mhz / 2.0, f_hi_mhz - duplex_mhz - spacing_mhz / 2.0 + 1e-9, spacing_mhz)
    return np.column_stack([go, go + duplex_mhz])


def channel_sweep(reg, link: Link, pairs, *, polarisations=("h", "v"), dem=None, p_percent: float = 20.0,
                  radius_km: float = 60.0, xpd_db: float = 25.0) -> list[dict]:
    """Rank the channels of a plan for a hop by availability and interference.

    Parameters
    ----------
    reg : Register
    link : Link
        The hop's A -> B direction (its frequency is replaced by each channel).
    pairs : array_like, shape (n, 2)
        (go, return) channel centres (:func:`channel_plan_pairs`). [MHz]
    polarisations : sequence of str
    dem, p_percent, radius_km, xpd_db
        As :func:`spectrum.links.interference.interference_into`.

    Returns
    -------
    list of dict
        One row per (channel, polarisation), best first: ``f_go_mhz``, ``f_return_mhz``,
        ``polarisation``, ``availability_percent`` (the worse direction), ``td_db`` (worst threshold
        degradation of the two receivers), ``into_i_n_db``, ``from_margin_db`` (worst protection margin
        of the register's receivers), ``met`` (all I/N criteria), ``rank``.
    """
    pr = np.asarray(pairs, float).reshape(-1, 2)
    back = link.reversed()
    prof_ab = _profile(link, dem, None)
    prof_ba = (prof_ab[0][-1] - prof_ab[0][::-1], prof_ab[1][::-1])
    caches = [{}, {}, {}, {}]
    rows = []
    for f_go, f_ret in pr:
        for pol in polarisations:
            res = []
            for k, (lk, f, prof) in enumerate(((link, f_go, prof_ab), (back, f_ret, prof_ba))):
                lk = replace(lk, f_mhz=float(f), tx=replace(lk.tx, polarisation=pol),
                             rx=replace(lk.rx, polarisation=pol))
                into = interference_into(reg, lk, dem=dem, radius_km=radius_km, p_percent=p_percent, xpd_db=xpd_db,
                                         loss_cache=caches[2 * k])
                frm = interference_from(reg, lk, dem=dem, radius_km=radius_km, p_percent=p_percent, xpd_db=xpd_db,
                                        loss_cache=caches[2 * k + 1])
                b = link_budget(lk, profile=prof, interference_dbw=into["i_dbw"])
                res.append((b, into, frm))
            rows.append({
                "f_go_mhz": float(f_go), "f_return_mhz": float(f_ret), "polarisation": pol,
                "availability_percent": min(r[0].availability_percent for r in res),
                "td_db": max(r[1]["td_db"] for r in res),
                "into_i_n_db": max(r[1]["i_n_db"] for r in res),
                "from_margin_db": min(r[2]["worst_margin_db"] for r in res),
                "met": all(r[1]["met"] and r[2]["met"] for r in res)})
    rows.sort(key=lambda r: (not r["met"], -r["availability_percent"], -min(r["from_margin_db"], 1e9),
                             r["into_i_n_db"]))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    return rows


def availability_batch(fm_db, d_km, f_ghz, he_amsl_m, hr_amsl_m, ht_amsl_m, lat, r001_mmh, *,
                       polarisation="v", el_deg=0.0, k_geo=p530.SHANGHAI_K, dn75=p530.SHANGHAI_DN75,
                       diversity_improvement=1.0) -> dict:
    """P.530-18 outage and availability of many hops from their flat fade margins (one parallel pass).

    Parameters
    ----------
    fm_db : array_like
        Flat fade margin (after any threshold degradation). [dB]
    d_km, f_ghz, he_amsl_m, hr_amsl_m, ht_amsl_m, lat : array_like
        Path length (<= 60 km), frequency, antenna heights amsl, mean terrain height, latitude.
    r001_mmh : array_like
        P.837-7 R0.01 (read once from the map for all hops by the caller). [mm/h]
    polarisation, el_deg, k_geo, dn75, diversity_improvement : array_like
        As :class:`spectrum.links.Link`.

    Returns
    -------
    dict of numpy.ndarray
        ``p0``, ``delta_g``, ``a001_db``, ``multipath_worst_month_percent``, ``multipath_year_percent``,
        ``rain_percent``, ``availability_percent``.
    """
    fm = np.asarray(fm_db, float)
    d, f, he, hr, ht, la, r, kg, dn, imp, fm = np.broadcast_arrays(
        *(np.asarray(x, float) for x in (d_km, f_ghz, he_amsl_m, hr_amsl_m, ht_amsl_m, lat, r001_mmh, k_geo,
                                         dn75, diversity_improvement)), fm)
    check_range("d_km", d, 0.0, 60.0, "km", "P.530-18", lo_open=True)
    check_range("f_ghz", f, 1.0, 100.0, "GHz", "P.530-18")
    check_range("r001_mmh", r, 0.0, 500.0, "mm/h")
    shape = fm.shape
    flat = [np.ascontiguousarray(x, dtype=float).ravel() for x in (fm, d, f, he, hr, ht, la, r, kg, dn, imp)]
    fm, d, f, he, hr, ht, la, r, kg, dn, imp = flat
    n = fm.size
    p0 = np.empty(n)
    _k.pw_deep_array(np.zeros(n), kg, dn, d, f, he, hr, ht, p0)
    p0[d < 5.0] = 0.0
    dg = np.empty(n)
    _k.delta_g_array(d, he, hr, la, dg)
    uf, inv = np.unique(f, return_inverse=True)  # P.838 coefficients once per frequency
    k, alpha = rain_coefficients(uf, np.broadcast_to(el_deg, uf.shape), polarisation)
    k, alpha = np.atleast_1d(k)[inv], np.atleast_1d(alpha)[inv]
    gamma = k * r ** alpha
    a001 = np.empty(n)
    _k.rain_a001_array(gamma, d, r, alpha, f, a001)
    pw, py, pr = np.empty(n), np.empty(n), np.empty(n)
    _k.outage_batch(np.maximum(fm, 0.0), a001, f, p0, dg, imp, pw, py, pr)
    un = np.minimum(100.0, py + pr)
    out = {"p0": p0, "delta_g": dg, "a001_db": a001, "multipath_worst_month_percent": pw,
           "multipath_year_percent": py, "rain_percent": pr, "availability_percent": 100.0 - un}
    return {k2: v.reshape(shape) for k2, v in out.items()}


def sample_availability(reg, *, dem=None, **kw) -> list:
    """Budgets of every direction of every fixed-service licence of a register (the 40 one-way links
    of the sample register): a list of :class:`~spectrum.links.LinkBudget`."""
    from .budget import licence_links

    out = []
    for lic in reg.licences(service="fixed", status=None):
        for lk in licence_links(reg, lic["number"], **kw):
            out.append(link_budget(lk, dem=dem))
    return out


__all__ += ["sample_availability"]
