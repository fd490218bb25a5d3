"""Intermodulation at shared sites: transmitter intermodulation (2- and 3-signal, 3rd and 5th
order) among the transmitters on one mast or nearby, and receiver intermodulation (two-signal,
3rd order, with the intermodulation rejection of ERC Report 68 / Rec. ITU-R SM.2028), checked
against every registered receiver whose passband a product hits.

Levels
------
*Coupling* between two antennas at a site (antenna port to antenna port, feeders apart): the
free-space loss (Rec. ITU-R P.525-4) less both gains for horizontal separation, the
vertical-separation isolation ``28 + 40 log10(d_v / lambda)`` dB of collinear antennas stacked on
one mast when they are more vertically than horizontally apart; beyond ``site_radius_m`` the
free-space loss between the antennas with their gains.

*Transmitter intermodulation* (:func:`transmitter_im_dbw`): a transmitter g with carrier power
P_g receives the other signals through the coupling; its output stage radiates the product at

    sum_{m != g} |c_m| (P_m - L(m, g)) - (sum_{m != g} |c_m| - 1) P_g - K_order + M

(memoryless power series: the two-signal product 2 f_g - f_m is ``P_m - L - K3``, K the
conversion loss from the injected signal to the product, M the multinomial factor of
three-signal products: +6.02 dB for f1 + f2 - f3). ETSI EN 300 086 measures the transmitter
intermodulation attenuation with an interferer 30 dB below the carrier: 40 dB (K3 = 10 dB)
without, 70 dB (K3 = 40 dB) with an isolator; the default K3 = 20 dB, K5 = 40 dB.

*Receiver intermodulation* (:func:`receiver_im_dbw`, ERC Report 68 Annex 2 App. 9, SEAMCAT):
two signals i1 at f1 and i2 at f2 with 2 f1 - f2 in the receiver's band produce

    i_RIM = 2 i1 + i2 - 3 (S + 3 + L_imr) + N

with S the sensitivity, L_imr the intermodulation response rejection (ETSI EN 300 113 measures
it with the wanted signal at S + 3 dB: the two interferers at S + 3 + L_imr raise N + I by 3 dB,
I = N) and N the noise floor.

A product's interference into a receiver is reduced by the ratio of the product bandwidth to
the receiver's when wider; the margin is I_max - I against the receiver's criterion
(:func:`spectrum.interference.max_interference_dbw`; C-based criteria take C = S + 3 dB, the
weakest wanted signal of the ETSI tests).

References
----------
ERC Report 68 (rev. 2002) Annex 2 Appendix 9 (receiver intermodulation); Rec. ITU-R SM.2028-2
(06/2017); Rec. ITU-R SM.1134-1 (2007) Intermodulation interference calculations in the
land-mobile service; ETSI EN 300 086 / EN 300 113 (transmitter intermodulation attenuation,
intermodulation response rejection); Rec. ITU-R P.525-4 (free space).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._validate import as_float_array, check_lat_lon, check_range
from .interference import max_interference_dbw, noise_dbw
from .kernels import intermod as _k

__all__ = ["im_products", "antenna_isolation_db", "coupling_db", "transmitter_im_dbw", "receiver_im_dbw",
           "scan_site", "candidate_intermod", "IntermodResult", "K3_DB", "K5_DB", "RX_IM_REJECTION_DB"]

C_LIGHT = 299_792_458.0
#: default transmitter intermodulation conversion loss, injected signal to product [dB]
K3_DB = 20.0
K5_DB = 40.0
#: default receiver intermodulation response rejection [dB] (ETSI EN 300 113 mobile: >= 65 dB)
RX_IM_REJECTION_DB = 65.0
#: default C/N at the sensitivity of a receiver without one of its own [dB]
RX_CN_DB = 10.0


def im_products(f_mhz, bw_khz, orders=(3, 5), three_signal: bool = True, labels: bool = True) -> dict:
    """Intermodulation products of signals at ``f_mhz`` (bandwidths ``bw_khz``) near the
    fundamentals, SM.1134-1 §2 (sum of coefficients 1): 2-signal 2f1-f2 (3rd), 3f1-2f2 (5th);
    3-signal f1+f2-f3 (3rd), 3f1-f2-f3 and 2f1+f2-2f3 (5th).

    Returns a table: ``idx`` (n, 3) signal indices (-1 unused), ``coef`` (n, 3), ``f_mhz``,
    ``bw_khz`` (sum |c| bw), ``order`` and (``labels``) ``label`` such as "2f1-f2".
    """
    f = np.atleast_1d(check_range("f_mhz", f_mhz, 0.0, 3e5, "MHz", lo_open=True)).astype(float)
    bw = np.broadcast_to(np.atleast_1d(check_range("bw_khz", bw_khz, 0.0, 1e7, "kHz", lo_open=True)).astype(float),
                         f.shape)
    orders = tuple(int(o) for o in orders)
    for o in orders:
        if o not in (3, 5):
            raise ValueError(f"orders = {orders!r}: intermodulation orders are 3 and/or 5")
    args = (np.ascontiguousarray(f), np.ascontiguousarray(bw / 1000.0), 3 in orders, 5 in orders, bool(three_signal))
    z = np.zeros((0, 3), np.int64)
    n = _k.products(*args, False, z, np.zeros((0, 3)), np.zeros(0), np.zeros(0), np.zeros(0, np.int64))
    idx = np.zeros((n, 3), np.int64)
    coef = np.zeros((n, 3))
    fp = np.zeros(n)
    bp = np.zeros(n)
    order = np.zeros(n, np.int64)
    _k.products(*args, True, idx, coef, fp, bp, order)
    out = {"idx": idx, "coef": coef, "f_mhz": fp, "bw_khz": bp * 1000.0, "order": order}
    if labels:
        out["label"] = np.array([_label(c, i) for c, i in zip(coef, idx)], dtype=object)
    return out


def _label(c, i) -> str:
    out = ""
    for cv, iv in zip(c, i):
        if iv < 0 or cv == 0:
            continue
        a = int(abs(cv))
        term = (f"{a}" if a != 1 else "") + f"f{int(iv) + 1}"
        out += ("-" if cv < 0 else ("+" if out else "")) + term
    return out


def antenna_isolation_db(dh_m, dv_m, f_mhz, g1_dbi=0.0, g2_dbi=0.0) -> np.ndarray:
    """Isolation between two antenna ports at one site. [dB]

    Horizontal: free space 20 log10(4 pi d / lambda) - G1 - G2 (Rec. ITU-R P.525-4, 3-D
    distance); vertical (``dv_m >= dh_m``): 28 + 40 log10(d_v / lambda), the isolation of
    collinear antennas stacked on a mast. Distances are floored at lambda / 2.
    """
    dh = np.abs(as_float_array("dh_m", dh_m))
    dv = np.abs(as_float_array("dv_m", dv_m))
    lam = C_LIGHT / (check_range("f_mhz", f_mhz, 0.0, 3e5, "MHz", lo_open=True) * 1e6)
    d3 = np.maximum(np.hypot(dh, dv), lam / 2.0)
    horiz = 20.0 * np.log10(4.0 * np.pi * d3 / lam) - np.asarray(g1_dbi, float) - np.asarray(g2_dbi, float)
    vert = 28.0 + 40.0 * np.log10(np.maximum(dv, lam / 2.0) / lam)
    return np.where(dv >= dh, vert, horiz)


def coupling_db(dh_m, dv_m, f_mhz, g1_dbi, g2_dbi, site_radius_m: float = 500.0) -> np.ndarray:
    """Antenna-port to antenna-port loss: :func:`antenna_isolation_db` within ``site_radius_m``,
    else free space between the antennas less both gains. [dB]"""
    dh = np.abs(np.asarray(dh_m, float))
    iso = antenna_isolation_db(dh, dv_m, f_mhz, g1_dbi, g2_dbi)
    lam = C_LIGHT / (np.asarray(f_mhz, float) * 1e6)
    fs = 20.0 * np.log10(4.0 * np.pi * np.maximum(np.hypot(dh, np.asarray(dv_m, float)), lam / 2.0) / lam) \
        - np.asarray(g1_dbi, float) - np.asarray(g2_dbi, float)
    return np.where(dh <= site_radius_m, iso, fs)


def transmitter_im_dbw(idx, coef, order, p_out_dbw, coupling_matrix_db, k3_db: float = K3_DB,
                       k5_db: float = K5_DB):
    """Conducted power of transmitter intermodulation products and the generating transmitter
    (module notes; :func:`spectrum.kernels.intermod.tx_im_levels`).

    Parameters
    ----------
    idx, coef, order : arrays
        Products as :func:`im_products` returns them.
    p_out_dbw : array (n_tx,)
        Carrier power at each transmitter's output. [dBW]
    coupling_matrix_db : array (n_tx, n_tx)
        Port-to-port loss from transmitter m into transmitter g (feeders included). [dB]
    k3_db, k5_db : float
        Conversion loss of 3rd- and 5th-order products. [dB]

    Returns
    -------
    (level_dbw, generator) : arrays
    """
    idx = np.ascontiguousarray(idx, dtype=np.int64)
    n = idx.shape[0]
    gen = np.zeros(n, np.int64)
    lev = np.zeros(n)
    _k.tx_im_levels(idx, np.ascontiguousarray(coef, float), np.ascontiguousarray(order, np.int64),
                    np.ascontiguousarray(p_out_dbw, float), np.ascontiguousarray(coupling_matrix_db, float),
                    float(k3_db), float(k5_db), gen, lev)
    return lev, gen


def receiver_im_dbw(i1_dbw, i2_dbw, sens_dbw, n_dbw, im_rejection_db=RX_IM_REJECTION_DB) -> np.ndarray:
    """Receiver intermodulation product 2 f1 - f2 at the receiver input, ERC Report 68 Annex 2
    App. 9 (SEAMCAT iRSS_intermod): 2 i1 + i2 - 3 (S + 3 + L_imr) + N. [dBW]

    Parameters
    ----------
    i1_dbw, i2_dbw : array_like
        Received powers of the signals at f1 (counted twice) and f2. [dBW]
    sens_dbw : array_like
        Receiver sensitivity S. [dBW]
    n_dbw : array_like
        Receiver noise floor N. [dBW]
    im_rejection_db : array_like
        Intermodulation response rejection L_imr. [dB]

    References
    ----------
    ERC Report 68 (2002) Annex 2 App. 9; ECC SEAMCAT handbook A5.3; Rec. ITU-R SM.2028-2.
    """
    return (2.0 * as_float_array("i1_dbw", i1_dbw) + as_float_array("i2_dbw", i2_dbw)
            - 3.0 * (as_float_array("sens_dbw", sens_dbw) + 3.0 + as_float_array("im_rejection_db", im_rejection_db))
            + as_float_array("n_dbw", n_dbw))


# ---------------------------------------------------------------------- site scans
@dataclass
class IntermodResult:
    """Products hitting registered receivers (``table``, one row per product x receiver), the
    transmitters of the site (``transmitters``) and the settings."""

    table: dict
    transmitters: dict
    settings: dict = field(default_factory=dict)

    def rows(self) -> list[dict]:
        from .evaluation.tables import py

        t = self.table
        n = len(t.get("margin_db", []))
        return [{k: py(v[i]) for k, v in t.items()} for i in range(n)]

    def to_dict(self) -> dict:
        from .evaluation.tables import py

        tx = self.transmitters
        n = len(tx.get("f_mhz", []))
        return {"settings": self.settings, "transmitters": [{k: py(v[i]) for k, v in tx.items()} for i in range(n)],
                "products": self.rows()}

    def to_json(self, **kw) -> str:
        from .io import to_json

        kw.setdefault("indent", 2)
        return to_json(self.to_dict(), **kw)

    def report(self, max_rows: int = 30) -> str:
        s = self.settings
        tx = self.transmitters
        L = [f"Intermodulation at ({s['lat']:.5f}, {s['lon']:.5f}), transmitters within {s['radius_m']:g} m: "
             f"{len(tx['f_mhz'])}; receivers within {s['victim_radius_km']:g} km",
             f"{'#':>3} {'licence':<14}{'station':<26}{'f MHz':>11}{'EIRP dBW':>9}{'h m':>6}"]
        for i in range(len(tx["f_mhz"])):
            L.append(f"{'f' + str(i + 1):>3} {str(tx['licence_number'][i])[:13]:<14}{str(tx['station_name'][i])[:25]:<26}"
                     f"{tx['f_mhz'][i]:>11.4f}{tx['eirp_dbw'][i]:>9.1f}{tx['h_agl_m'][i]:>6.0f}")
        rows = sorted(self.rows(), key=lambda r: r["margin_db"] if r["margin_db"] is not None else -1e9)
        L.append("")
        L.append(f"{len(rows)} product hit(s) on registered receivers "
                 f"(harmful {sum(r['status'] == 'harmful' for r in rows)}, "
                 f"marginal {sum(r['status'] == 'marginal' for r in rows)})")
        L.append(f"{'product':<16}{'kind':<5}{'ord':>4}{'f MHz':>11}{'licence':>14}{'receiver':>24}{'rx MHz':>11}"
                 f"{'d km':>7}{'I dBW':>8}{'margin':>8}  status")
        for r in rows[:max_rows]:
            L.append(f"{r['product'][:15]:<16}{r['kind']:<5}{r['order']:>4}{r['f_product_mhz']:>11.4f}"
                     f"{str(r['licence_number'])[:13]:>14}{str(r['station_name'])[:23]:>24}{r['f_rx_mhz']:>11.4f}"
                     f"{r['d_km']:>7.2f}{r['i_dbw']:>8.1f}{r['margin_db']:>8.1f}  {r['status']}")
        if len(rows) > max_rows:
            L.append(f"  ... {len(rows) - max_rows} more (see --json)")
        return "\n".join(L)


_TX_FIELDS = ("licence_number", "station_name", "lat", "lon", "h_agl_m", "f_mhz", "bw_khz", "eirp_dbw", "g_dbi",
              "feeder_loss_db")


def _site_transmitters(reg, lat, lon, radius_m, extra=None, status=("granted",)) -> dict:
    a = reg.query_arrays(lat=lat, lon=lon, radius_km=max(radius_m, 1.0) / 1000.0, status=tuple(status), role="tx")
    from .evaluation.tables import num

    tx = {k: (num(a[k], 0.0 if k in ("g_dbi", "feeder_loss_db") else np.nan) if k not in
              ("licence_number", "station_name") else np.asarray(a[k], dtype=object)) for k in _TX_FIELDS}
    ok = np.isfinite(tx["eirp_dbw"])
    tx = {k: v[ok] for k, v in tx.items()}
    tx["candidate"] = np.zeros(len(tx["f_mhz"]), dtype=bool)
    extras = [] if extra is None else ([extra] if isinstance(extra, dict) else list(extra))
    for e in extras:
        missing = [k for k in _TX_FIELDS if k not in e]
        if missing:
            raise ValueError(f"extra transmitter {e.get('station_name', '?')!r} lacks {missing}")
        for k in _TX_FIELDS:
            tx[k] = np.concatenate([tx[k], np.asarray([e[k]], dtype=tx[k].dtype)])
        tx["candidate"] = np.concatenate([tx["candidate"], [True]])
    tx["bw_khz"] = np.where(np.isfinite(tx["bw_khz"]) & (tx["bw_khz"] > 0), tx["bw_khz"], 25.0)
    return tx


def _local_xy_m(lat0, lon0, lat, lon):
    r = 6371.0e3
    y = np.radians(np.asarray(lat, float) - lat0) * r
    x = np.radians(np.asarray(lon, float) - lon0) * r * np.cos(np.radians(lat0))
    return x, y


def scan_site(reg, lat: float, lon: float, radius_m: float = 500.0, *, extra=None, involving=None,
              victim_radius_km: float = 10.0, orders=(3, 5), three_signal: bool = True, k3_db: float = K3_DB,
              k5_db: float = K5_DB, rx_im_rejection_db: float = RX_IM_REJECTION_DB, rx_cn_db: float = RX_CN_DB,
              receiver_im: bool = True, coordination_margin_db: float = 3.0,
              exclude_licence: str | None = None, report_margin_db: float = 30.0) -> IntermodResult:
    """Intermodulation of the transmitters within ``radius_m`` of (lat, lon) into every registered
    receiver within ``victim_radius_km`` whose passband a product hits.

    Parameters
    ----------
    reg : Register
    lat, lon : float
        Site. [deg]
    radius_m : float
        Transmitters within this distance form the site (and are coupled by antenna isolation). [m]
    extra : dict or list of dict, optional
        Transmitters to add (the candidate; planned ones): fields ``licence_number``, ``station_name``, ``lat``,
        ``lon``, ``h_agl_m``, ``f_mhz``, ``bw_khz``, ``eirp_dbw``, ``g_dbi``, ``feeder_loss_db``.
    involving : "extra" or None
        Only products involving an ``extra`` transmitter (the products among the registered
        stations alone are pre-existing).
    victim_radius_km : float
        Receivers farther than this from the site are not checked. [km]
    orders, three_signal
        Products enumerated (:func:`im_products`).
    k3_db, k5_db : float
        Transmitter intermodulation conversion losses. [dB]
    rx_im_rejection_db, rx_cn_db : float
        Receiver intermodulation rejection and the C/N at sensitivity (S = N + C/N). [dB]
    receiver_im : bool
        Also check receiver intermodulation (two-signal, 3rd order).
    coordination_margin_db : float
        Status "marginal" below this margin. [dB]
    exclude_licence : str, optional
        Receivers of this licence are not victims (the applicant's own).
    report_margin_db : float
        Hits with a margin at or above this are counted (``settings["n_hits"]``) but not listed. [dB]
    """
    check_lat_lon(lat, lon, "site")
    check_range("radius_m", radius_m, 0.0, 50000.0, "m")
    check_range("victim_radius_km", victim_radius_km, 0.0, 1000.0, "km", lo_open=True)
    # conversion losses and rejection are attenuations: NaN silently dropped every product
    check_range("k3_db", k3_db, 0.0, 200.0, "dB")
    check_range("k5_db", k5_db, 0.0, 200.0, "dB")
    check_range("rx_im_rejection_db", rx_im_rejection_db, 0.0, 200.0, "dB")
    check_range("rx_cn_db", rx_cn_db, -50.0, 100.0, "dB")
    check_range("coordination_margin_db", coordination_margin_db, -100.0, 100.0, "dB")
    check_range("report_margin_db", report_margin_db, -1000.0, 1000.0, "dB")
    if involving not in (None, "extra"):
        raise ValueError(f"involving = {involving!r} must be 'extra' or None")
    if involving == "extra" and extra is None:
        raise ValueError("involving='extra' needs the extra transmitter")
    tx = _site_transmitters(reg, lat, lon, radius_m, extra)
    settings = {"lat": float(lat), "lon": float(lon), "radius_m": float(radius_m),
                "victim_radius_km": float(victim_radius_km), "orders": list(orders), "three_signal": bool(three_signal),
                "k3_db": float(k3_db), "k5_db": float(k5_db), "rx_im_rejection_db": float(rx_im_rejection_db),
                "rx_cn_db": float(rx_cn_db), "receiver_im": bool(receiver_im),
                "report_margin_db": float(report_margin_db),
                "path_loss": "antenna isolation within the site radius, free space (P.525-4) beyond",
                "method": "ERC Report 68 Annex 2 App. 9 (receiver IM); power-series transmitter IM (SM.1134-1)"}
    n_tx = len(tx["f_mhz"])
    empty = {k: np.zeros(0, dtype=object if k in ("product", "kind", "licence_number", "station_name", "status",
                                                   "sources") else float) for k in _COLS}
    if n_tx < 2:
        return IntermodResult(empty, tx, settings)
    # receivers near the site, sorted by lower band edge
    ra = reg.query_arrays(lat=lat, lon=lon, radius_km=victim_radius_km, status=("granted",), role="rx")
    from .evaluation.scenario import _criteria
    from .evaluation.tables import FIELDS, num

    ra = {k: np.asarray(ra[k]) if k in ra else np.full(len(ra["f_mhz"]), None, dtype=object) for k in FIELDS}
    if exclude_licence is not None and len(ra["f_mhz"]):
        keep = np.array([x != exclude_licence for x in ra["licence_number"]], dtype=bool)
        ra = {k: v[keep] for k, v in ra.items()}
    if not len(ra["f_mhz"]):
        return IntermodResult(empty, tx, settings)
    rf = num(ra["f_mhz"])
    rbw = num(ra["bw_khz"], 25.0)
    rbw = np.where(np.isfinite(rbw) & (rbw > 0), rbw, 25.0)
    rlo, rhi = rf - rbw / 2000.0, rf + rbw / 2000.0
    order_r = np.argsort(rlo, kind="stable")
    # the site's geometry
    tx_x, tx_y = _local_xy_m(lat, lon, tx["lat"], tx["lon"])
    rx_x, rx_y = _local_xy_m(lat, lon, num(ra["lat"]), num(ra["lon"]))
    p_out = tx["eirp_dbw"] - tx["g_dbi"] + tx["feeder_loss_db"]
    dh = np.hypot(tx_x[:, None] - tx_x[None, :], tx_y[:, None] - tx_y[None, :])
    dv = tx["h_agl_m"][:, None] - tx["h_agl_m"][None, :]
    cpl = (coupling_db(dh, dv, tx["f_mhz"][:, None], tx["g_dbi"][:, None], tx["g_dbi"][None, :], radius_m)
           + tx["feeder_loss_db"][:, None] + tx["feeder_loss_db"][None, :])
    r_nf = num(ra["noise_figure_db"], 5.0)
    r_n = noise_dbw(rbw, np.clip(r_nf, 0, 60))
    crit, thr, _ = _criteria(ra, {})
    sens = r_n + rx_cn_db
    c_ref = sens + 3.0
    imax = np.asarray(max_interference_dbw(crit, thr, r_n, c_ref), dtype=float)
    r_g = num(ra["g_dbi"], 0.0)
    r_fl = num(ra["feeder_loss_db"], 0.0)
    r_h = num(ra["h_agl_m"], 10.0)
    parts = []   # (kind, coef rows, idx rows, order, f, bw, generator, receiver rows, I)

    def hits(p_lo, p_hi):
        z = np.zeros(0, np.int64)
        a = (np.ascontiguousarray(p_lo), np.ascontiguousarray(p_hi), np.ascontiguousarray(rlo[order_r]),
             np.ascontiguousarray(rhi[order_r]), float(np.max(rbw) / 1000.0))
        k = _k.band_hits(*a, False, z, z)
        op = np.empty(k, np.int64)
        orr = np.empty(k, np.int64)
        _k.band_hits(*a, True, op, orr)
        return op, order_r[orr]

    def to_rx(src, rows_r, f_mhz):
        """Port-to-port gain (negative loss) from transmitters ``src`` to receivers ``rows_r``. [dB]"""
        dh_r = np.hypot(tx_x[src] - rx_x[rows_r], tx_y[src] - rx_y[rows_r])
        dv_r = tx["h_agl_m"][src] - r_h[rows_r]
        return -(coupling_db(dh_r, dv_r, f_mhz, tx["g_dbi"][src], r_g[rows_r], radius_m)
                 + tx["feeder_loss_db"][src] + r_fl[rows_r])

    new = np.flatnonzero(tx["candidate"])
    # ---------------- transmitter intermodulation
    prod = im_products(tx["f_mhz"], tx["bw_khz"], orders, three_signal, labels=False)
    sel = np.isin(prod["idx"], new).any(axis=1) if involving == "extra" else np.ones(len(prod["f_mhz"]), bool)
    pidx = np.flatnonzero(sel)
    if pidx.size:
        lev, gen = transmitter_im_dbw(prod["idx"][pidx], prod["coef"][pidx], prod["order"][pidx], p_out, cpl,
                                      k3_db, k5_db)
        fp = prod["f_mhz"][pidx]
        bwp = prod["bw_khz"][pidx]
        op, rr = hits(fp - bwp / 2000.0, fp + bwp / 2000.0)     # vectorised over every hit
        i = lev[op] + to_rx(gen[op], rr, fp[op]) - np.maximum(0.0, 10 * np.log10(bwp[op] / rbw[rr]))
        k = pidx[op]
        parts.append(("tx", prod["coef"][k], prod["idx"][k], prod["order"][k], fp[op], bwp[op], gen[op], rr, i))
    # ---------------- receiver intermodulation (two-signal, 3rd order)
    if receiver_im and 3 in tuple(orders):
        two = im_products(tx["f_mhz"], tx["bw_khz"], (3,), three_signal=False, labels=False)
        sel = np.isin(two["idx"][:, :2], new).any(axis=1) if involving == "extra" else \
            np.ones(len(two["f_mhz"]), bool)
        pidx = np.flatnonzero(sel)
        if pidx.size:
            fp = two["f_mhz"][pidx]
            bwp = two["bw_khz"][pidx]
            op, rr = hits(fp - bwp / 2000.0, fp + bwp / 2000.0)
            k = pidx[op]
            a, b = two["idx"][k, 0], two["idx"][k, 1]
            i1 = p_out[a] + to_rx(a, rr, tx["f_mhz"][a])
            i2 = p_out[b] + to_rx(b, rr, tx["f_mhz"][b])
            i = receiver_im_dbw(i1, i2, sens[rr], r_n[rr], rx_im_rejection_db)
            parts.append(("rx", two["coef"][k], two["idx"][k], two["order"][k], fp[op], bwp[op],
                          np.full(op.size, -1), rr, i))
    # ---------------- the table: hits within report_margin_db of the criterion
    names = [f"{str(tx['licence_number'][q])} {tx['f_mhz'][q]:g}" for q in range(n_tx)]
    cols = {k: [] for k in _COLS}
    for kind, coef, idx, order, fp, bwp, gen, rr, i in parts:
        m = imax[rr] - i
        keep = np.flatnonzero(~(m >= report_margin_db))
        for q in keep:
            r = rr[q]
            src = "; ".join(names[x] for x in idx[q] if x >= 0)
            cols["product"].append(_label(coef[q], idx[q]))
            cols["kind"].append(kind)
            cols["order"].append(int(order[q]))
            cols["f_product_mhz"].append(float(fp[q]))
            cols["bw_product_khz"].append(float(bwp[q]))
            cols["sources"].append(src + (f" (in {names[gen[q]]})" if gen[q] >= 0 else " (in the receiver)"))
            cols["licence_number"].append(ra["licence_number"][r])
            cols["station_name"].append(ra["station_name"][r])
            cols["f_rx_mhz"].append(float(rf[r]))
            cols["d_km"].append(float(np.hypot(rx_x[r], rx_y[r])) / 1000.0)
            cols["i_dbw"].append(float(i[q]))
            cols["n_dbw"].append(float(r_n[r]))
            cols["i_max_dbw"].append(float(imax[r]))
    settings["n_hits"] = int(sum(p[7].size for p in parts))
    table = {k: np.asarray(v, dtype=object if k in ("product", "kind", "licence_number", "station_name", "sources")
                           else (np.int64 if k == "order" else float)) for k, v in cols.items()}
    table["margin_db"] = table["i_max_dbw"] - table["i_dbw"]
    m = table["margin_db"]
    table["status"] = np.where(np.isnan(m), "uncertain", np.where(m < 0, "harmful", np.where(
        m < coordination_margin_db, "marginal", "ok"))).astype(object)
    return IntermodResult(table, tx, settings)


_COLS = ("product", "kind", "order", "f_product_mhz", "bw_product_khz", "sources", "licence_number", "station_name",
         "f_rx_mhz", "d_km", "i_dbw", "n_dbw", "i_max_dbw", "margin_db", "status")


def candidate_intermod(reg, req, *, radius_m: float = 500.0, orders=(3, 5), dem=None,
                       coordination_margin_db: float = 3.0, **kw) -> dict:
    """The candidate transmitter of request ``req`` with the registered transmitters within
    ``radius_m``: the products involving it that hit registered receivers (:func:`scan_site`),
    as a column table for the evaluation. ``dem`` is unused (free-space screening)."""
    t = req.tx
    extra = {"licence_number": req.licence_number or "candidate", "station_name": t.name or "candidate",
             "lat": t.lat, "lon": t.lon, "h_agl_m": t.h_agl_m, "f_mhz": req.f_mhz, "bw_khz": req.bw_khz,
             "eirp_dbw": req.eirp_dbw, "g_dbi": t.g_dbi, "feeder_loss_db": t.feeder_loss_db}
    res = scan_site(reg, t.lat, t.lon, radius_m, extra=extra, involving="extra", orders=orders,
                    coordination_margin_db=coordination_margin_db, exclude_licence=req.licence_number, **kw)
    out = dict(res.table)
    if not len(out["margin_db"]):
        return {}
    return out
