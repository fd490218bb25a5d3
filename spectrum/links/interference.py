"""Interference into and from a fixed link, as threshold degradation (the fixed-service W/U
convention): I at the receiver input (DESIGN.md convention, SM.337 net filter discrimination from
the register's masks), I/N against the receiver's criterion (Rec. ITU-R F.758, -10 dB long-term),
the threshold degradation TD = 10 log10(1 + 10^((I - N)/10)) and the threshold-to-interference
ratio T/I = threshold - I.

Propagation: Rec. ITU-R P.452-18 over the terrain profile for ``p_percent`` of time (20 % long-term
by default, DESIGN.md); NFD = FDR(Δf) (Rec. ITU-R SM.337-6) when both masks are known, else the
co-channel bandwidth correction 10 log10(B_i / B_v) (>= 0) and no interference outside the overlap;
orthogonal linear polarisations: the cross-polar envelopes of RPE antennas where given, else a
cross-polar discrimination ``xpd_db`` below the co-polar gain (a planning input).

References
----------
Rec. ITU-R P.452-18; Rec. ITU-R SM.337-6; Rec. ITU-R F.758-7; Rec. ITU-R F.746 (channel plans).
"""
from __future__ import annotations

import math

import numpy as np

from .. import geo
from ..antennas import Antenna, elevation_deg, gain_toward_dbi
from ..interference import aggregate_dbw, noise_dbw
from .budget import Link, _mask

__all__ = ["interference_into", "interference_from", "threshold_degradation_db"]


def threshold_degradation_db(i_minus_n_db) -> np.ndarray:
    """Threshold degradation TD = 10 log10(1 + 10^((I - N)/10)) (I/N = -10 dB: 0.41 dB; -6 dB: 0.97 dB). [dB]"""
    x = np.asarray(i_minus_n_db, float)
    with np.errstate(over="ignore"):
        out = 10.0 * np.log10(1.0 + 10.0 ** (x / 10.0))
    return out[()] if out.ndim == 0 else out


def _cx(antenna, azimuth_deg, tilt_deg, bearing_deg, el_deg, f_mhz):
    """Cross-polar gain of an antenna toward a direction (RPE cross-polar envelope), or None."""
    fn = getattr(antenna, "cross_polar_gain_dbi", None)
    if fn is None:
        return None
    off = ((float(bearing_deg) - float(azimuth_deg) + 180.0) % 360.0) - 180.0
    g = fn(off, el_deg, f_mhz, tilt_deg=float(tilt_deg))
    return None if g is None else float(g)


class _Patterns:
    def __init__(self, reg):
        self.reg, self.memo = reg, {}

    def __call__(self, name, g):
        key = (name, float(g) if g is not None and np.isfinite(g) else None)
        if key not in self.memo:
            pat = self.reg.antenna_pattern(name) if name else None
            self.memo[key] = Antenna.from_pattern(pat, g)
        return self.memo[key]


def _xpd(orthogonal, xpd_db, gt_co, gt_cx, gr_co, gr_cx):
    """Cross-polar discrimination of an orthogonally polarised pair [dB]: the stronger of the two
    co/cross couplings (Gt_co + Gr_cx, Gt_cx + Gr_co) below Gt_co + Gr_co; an antenna without a
    cross-polar envelope (RPE ``cx_*``) is taken ``xpd_db`` below its co-polar gain."""
    if not orthogonal:
        return 0.0
    gt_x = gt_co - xpd_db if gt_cx is None else float(gt_cx)
    gr_x = gr_co - xpd_db if gr_cx is None else float(gr_cx)
    return max(0.0, gt_co + gr_co - max(gt_co + gr_x, gt_x + gr_co))


def _nfd(reg, masks, tx_mask, rx_mask, bw_i, bw_v, df_khz):
    """Net filter discrimination [dB]; None when there is no overlap and no masks to say more."""
    if tx_mask is not None and rx_mask is not None:
        from ..masks import fdr_db

        key = (tx_mask.name, rx_mask.name, round(df_khz, 3))
        if key not in masks:
            masks[key] = float(fdr_db(tx_mask, rx_mask, df_khz))
        return masks[key]
    if abs(df_khz) >= 0.5 * (bw_i + bw_v):
        return None
    return max(0.0, 10.0 * math.log10(bw_i / bw_v))


def _loss(dem, lat_t, lon_t, lat_r, lon_r, f_ghz, p, htg, hrg):
    from ..propagation.p452 import basic_transmission_loss_between

    if dem is None:
        from ..datasets.terrain import default_dem

        dem = default_dem()
    res = basic_transmission_loss_between(dem, np.asarray(lat_t), np.asarray(lon_t), np.asarray(lat_r),
                                          np.asarray(lon_r), f_ghz, p, np.asarray(htg), np.asarray(hrg))
    return np.atleast_1d(np.asarray(res.lb, float))


def _rows(reg, lat, lon, radius_km, f_mhz, span_mhz, role, licence):
    a = reg.query_arrays(lat=lat, lon=lon, radius_km=radius_km, f_min_mhz=f_mhz - span_mhz,
                         f_max_mhz=f_mhz + span_mhz, role=role)
    keep = np.array([n != licence for n in a["licence_number"]], dtype=bool) if len(a["licence_number"]) else \
        np.zeros(0, bool)
    return {k: v[keep] for k, v in a.items()}


def interference_into(reg, link: Link, *, dem=None, radius_km: float = 60.0, p_percent: float = 20.0,
                      xpd_db: float = 25.0, f_mhz: float | None = None, polarisation: str | None = None,
                      loss_cache: dict | None = None) -> dict:
    """Interference from the register's transmitters into the link's receiver.

    Parameters
    ----------
    reg : Register
    link : Link
        The victim direction (its receiver, threshold, mask).
    dem : DataArray, optional
        Terrain for P.452 (default terrain if None).
    radius_km : float
        Search radius around the receiver. [km]
    p_percent : float
        P.452 time percentage. [%]
    xpd_db : float
        Cross-polar discrimination between orthogonal linear polarisations. [dB]
    f_mhz, polarisation : optional
        Evaluate the receiver on another channel / polarisation (channel sweeps).
    loss_cache : dict, optional
        P.452 losses by interferer station, reused across channels (the loss varies little across
        a band: it is scaled by 20 log10(f / f_cache)).

    Returns
    -------
    dict
        ``rows`` (one per interferer: licence, station, d_km, lb_db, nfd_db, i_dbw, i_n_db, t_i_db),
        ``i_dbw`` aggregate, ``n_dbw``, ``i_n_db``, ``td_db``, ``t_i_db``, ``criterion_db``, ``met``.
    """
    from .threshold import required_cn_db

    f = link.f_mhz if f_mhz is None else float(f_mhz)
    pol = (polarisation or link.rx.polarisation).lower()
    rx = link.rx
    n = float(noise_dbw(link.bw_khz, link.nf_db))
    thr = n + required_cn_db(link.modulation, link.ber, rolloff=link.rolloff, impl_margin_db=link.impl_margin_db)
    a = _rows(reg, rx.lat, rx.lon, radius_km, f, 2.0 * link.bw_khz / 1000.0 + 50.0, "tx", link.licence)
    pats, masks = _Patterns(reg), {}
    cache = {} if loss_cache is None else loss_cache
    rows, todo = [], []
    for j in range(len(a["station_id"])):
        if a["eirp_dbw"][j] is None or not np.isfinite(a["eirp_dbw"][j]):
            continue
        d = float(geo.distance_km(a["lat"][j], a["lon"][j], rx.lat, rx.lon))
        if d < 0.05:
            continue
        tx_mask = _mask(reg, a["tx_mask"][j]) if a["tx_mask"][j] else None
        nfd = _nfd(reg, masks, tx_mask, link.rx_mask, a["bw_khz"][j], link.bw_khz, (f - a["f_mhz"][j]) * 1000.0)
        if nfd is None:
            continue
        rows.append((j, d, nfd))
        if int(a["station_id"][j]) not in cache:
            todo.append(j)
    if todo:
        t = np.array(todo)
        lb = _loss(dem, a["lat"][t], a["lon"][t], np.full(t.size, rx.lat), np.full(t.size, rx.lon), f / 1000.0,
                   p_percent, a["h_agl_m"][t], np.full(t.size, rx.h_agl_m))
        for j, v in zip(todo, lb):
            cache[int(a["station_id"][j])] = (float(v), f)
    out = []
    for j, d, nfd in rows:
        lb0, f0 = cache[int(a["station_id"][j])]
        lb = lb0 + 20.0 * math.log10(f / f0)
        ant_i = pats(a["antenna_pattern"][j], a["g_dbi"][j])
        brg_iv = float(geo.bearing_deg(a["lat"][j], a["lon"][j], rx.lat, rx.lon))
        brg_vi = float(geo.bearing_deg(rx.lat, rx.lon, a["lat"][j], a["lon"][j]))
        el = float(elevation_deg(d, a["h_agl_m"][j], rx.h_agl_m))
        gt_rel = float(gain_toward_dbi(ant_i, a["azimuth_deg"][j], a["tilt_deg"][j], brg_iv, el, f)) - ant_i.g_dbi
        az_v = rx.azimuth_deg if np.isfinite(rx.azimuth_deg) else float(
            geo.bearing_deg(rx.lat, rx.lon, link.tx.lat, link.tx.lon))
        gr = float(gain_toward_dbi(rx.antenna, az_v, rx.tilt_deg, brg_vi, -el, f))
        orth = {str(a["polarisation"][j]).lower()[:1], pol} == {"h", "v"}
        xpd = _xpd(orth, xpd_db, gt_rel + ant_i.g_dbi,
                   _cx(ant_i, a["azimuth_deg"][j], a["tilt_deg"][j], brg_iv, el, f) if orth else None,
                   gr, _cx(rx.antenna, az_v, rx.tilt_deg, brg_vi, -el, f) if orth else None)
        i = float(a["eirp_dbw"][j]) + gt_rel - lb + gr - rx.feeder_loss_db - nfd - xpd
        out.append({"licence": str(a["licence_number"][j]), "station": str(a["station_name"][j]),
                    "f_mhz": float(a["f_mhz"][j]), "d_km": d, "lb_db": lb, "gt_rel_db": gt_rel, "gr_dbi": gr,
                    "nfd_db": nfd, "xpd_db": xpd, "i_dbw": i, "i_n_db": i - n, "t_i_db": thr - i})
    agg = float(aggregate_dbw([r["i_dbw"] for r in out])) if out else -math.inf
    i_n = agg - n
    return {"direction": "into", "rows": sorted(out, key=lambda r: -r["i_dbw"]), "i_dbw": agg, "n_dbw": n,
            "threshold_dbw": thr, "i_n_db": i_n, "td_db": float(threshold_degradation_db(i_n)) if out else 0.0,
            "t_i_db": thr - agg, "criterion_db": link.protection_db, "met": bool(i_n <= link.protection_db)}


def interference_from(reg, link: Link, *, dem=None, radius_km: float = 60.0, p_percent: float = 20.0,
                      xpd_db: float = 25.0, f_mhz: float | None = None, polarisation: str | None = None,
                      loss_cache: dict | None = None) -> dict:
    """Interference from the link's transmitter into the register's receivers (each against its own
    I/N criterion; -10 dB where the register has none).

    Parameters as :func:`interference_into`.

    Returns
    -------
    dict
        ``rows`` (victim licence, station, i_dbw, n_dbw, i_n_db, td_db, criterion_db, margin_db),
        ``worst_margin_db`` and ``met``.
    """
    f = link.f_mhz if f_mhz is None else float(f_mhz)
    pol = (polarisation or link.tx.polarisation).lower()
    tx = link.tx
    a = _rows(reg, tx.lat, tx.lon, radius_km, f, 2.0 * link.bw_khz / 1000.0 + 50.0, "rx", link.licence)
    pats, masks = _Patterns(reg), {}
    cache = {} if loss_cache is None else loss_cache
    rows, todo = [], []
    for j in range(len(a["station_id"])):
        d = float(geo.distance_km(tx.lat, tx.lon, a["lat"][j], a["lon"][j]))
        if d < 0.05:
            continue
        rx_mask = _mask(reg, a["rx_selectivity"][j]) if a["rx_selectivity"][j] else None
        nfd = _nfd(reg, masks, link.tx_mask, rx_mask, link.bw_khz, a["bw_khz"][j], (a["f_mhz"][j] - f) * 1000.0)
        if nfd is None:
            continue
        rows.append((j, d, nfd))
        if int(a["station_id"][j]) not in cache:
            todo.append(j)
    if todo:
        t = np.array(todo)
        lb = _loss(dem, np.full(t.size, tx.lat), np.full(t.size, tx.lon), a["lat"][t], a["lon"][t], f / 1000.0,
                   p_percent, np.full(t.size, tx.h_agl_m), a["h_agl_m"][t])
        for j, v in zip(todo, lb):
            cache[int(a["station_id"][j])] = (float(v), f)
    out = []
    az_t = tx.azimuth_deg if np.isfinite(tx.azimuth_deg) else float(
        geo.bearing_deg(tx.lat, tx.lon, link.rx.lat, link.rx.lon))
    for j, d, nfd in rows:
        lb0, f0 = cache[int(a["station_id"][j])]
        lb = lb0 + 20.0 * math.log10(f / f0)
        brg_tv = float(geo.bearing_deg(tx.lat, tx.lon, a["lat"][j], a["lon"][j]))
        brg_vt = float(geo.bearing_deg(a["lat"][j], a["lon"][j], tx.lat, tx.lon))
        el = float(elevation_deg(d, tx.h_agl_m, a["h_agl_m"][j]))
        gt_rel = float(gain_toward_dbi(tx.antenna, az_t, tx.tilt_deg, brg_tv, el, f)) - tx.antenna.g_dbi
        ant_v = pats(a["antenna_pattern"][j], a["g_dbi"][j])
        gr = float(gain_toward_dbi(ant_v, a["azimuth_deg"][j], a["tilt_deg"][j], brg_vt, -el, f))
        orth = {str(a["polarisation"][j]).lower()[:1], pol} == {"h", "v"}
        xpd = _xpd(orth, xpd_db, gt_rel + tx.antenna.g_dbi,
                   _cx(tx.antenna, az_t, tx.tilt_deg, brg_tv, el, f) if orth else None,
                   gr, _cx(ant_v, a["azimuth_deg"][j], a["tilt_deg"][j], brg_vt, -el, f) if orth else None)
        i = link.eirp_dbw + gt_rel - lb + gr - float(a["feeder_loss_db"][j]) - nfd - xpd
        nf = a["noise_figure_db"][j]
        n = float(noise_dbw(a["bw_khz"][j], nf if nf is not None and np.isfinite(nf) else 6.0))
        crit = a["protection_db"][j] if a["protection"][j] == "I/N" and np.isfinite(a["protection_db"][j]) else -10.0
        out.append({"licence": str(a["licence_number"][j]), "station": str(a["station_name"][j]),
                    "f_mhz": float(a["f_mhz"][j]), "d_km": d, "lb_db": lb, "gt_rel_db": gt_rel, "gr_dbi": gr,
                    "nfd_db": nfd, "xpd_db": xpd, "i_dbw": i, "n_dbw": n, "i_n_db": i - n,
                    "td_db": float(threshold_degradation_db(i - n)), "criterion_db": float(crit),
                    "margin_db": float(crit - (i - n))})
    worst = min((r["margin_db"] for r in out), default=math.inf)
    return {"direction": "from", "rows": sorted(out, key=lambda r: r["margin_db"]), "worst_margin_db": worst,
            "met": bool(worst >= 0.0)}
