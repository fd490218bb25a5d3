"""Stage 2 -- the scenario: the registered stations a request can affect or be affected by,
read from the register once and resolved into arrays, and the bounds that prune them.

:func:`build_scenario` queries the register (distance, frequency window), drops the applicant's
own licence and resolves each counterpart's bandwidth, gains, heights, masks, noise and
protection criterion into a :class:`Stations` record. The pruning bounds (:func:`forward_keep`,
:func:`reverse_keep`) drop entries that cannot come within reach of a threshold: free-space loss
less :func:`fs_allowance_db` (10 dB for anomalous propagation plus the P.452-18 §4.1
multipath/focusing enhancement 2.6 |log10(p/50)| dB), maximum gains and the SM.337 FDR.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from .._validate import check_positive, check_range
from ..interference import CRITERIA, max_interference_dbw, noise_dbw
from .catalog import MaskResolver
from .climate import check_climate
from .losses import LOSS_FUNCTIONS, MODEL_NAMES, MODEL_RANGES_MHZ, check_time_percentages, resolve_model
from .request import Request
from .tables import num, query_table, take

__all__ = ["FS_ANOMALOUS_DB", "fs_allowance_db", "fs_db", "Stations", "Scenario", "build_scenario",
           "forward_keep", "reverse_keep", "wanted_transmitters"]

#: allowance for anomalous propagation (ducting / layer reflection) below free space, used only
#: by the pruning bound, on top of the multipath/focusing enhancement [dB]
FS_ANOMALOUS_DB = 10.0


def fs_allowance_db(p_percent: float) -> float:
    """How far below free space the pruning bound lets the loss go at time percentage ``p``:
    the P.452-18 §4.1 multipath/focusing correction Esp <= 2.6 |log10(p/50)| dB plus
    :data:`FS_ANOMALOUS_DB` for anomalous propagation. [dB]"""
    return FS_ANOMALOUS_DB + 2.6 * abs(math.log10(float(p_percent) / 50.0))


def fs_db(d_km, f_mhz):
    """Free-space basic transmission loss, Rec. ITU-R P.525-4 Eq. (6), distances floored at 1 m. [dB]"""
    return 32.45 + 20.0 * np.log10(np.maximum(d_km, 1e-3)) + 20.0 * np.log10(f_mhz)


@dataclass
class Stations:
    """Registered stations at the other end of the candidate's paths, resolved once.

    ``cols`` is the register table (:mod:`~spectrum.evaluation.tables`); the other arrays are
    per row: bandwidth [kHz] (25 kHz where missing), maximum gain [dBi], feeder loss [dB],
    antenna height [m], distance to the candidate terminal [km]; receivers add the noise
    figure, criterion, threshold, noise power [dBW] and selectivity masks, transmitters the EIRP
    [dBW] and Tx masks.
    """

    cols: dict
    bw_khz: np.ndarray
    g_dbi: np.ndarray
    fl_db: np.ndarray
    h_m: np.ndarray
    d_km: np.ndarray
    nf_db: np.ndarray | None = None
    crit: np.ndarray | None = None
    prot_db: np.ndarray | None = None
    n_dbw: np.ndarray | None = None
    rx_masks: list | None = None
    eirp_dbw: np.ndarray | None = None
    tx_masks: list | None = None
    crit_source: np.ndarray | None = None   # "register" / "service" / "default" per receiver
    indoor: np.ndarray | None = None        # bool per station (P.2109 building entry)
    building_type: np.ndarray | None = None  # P.2109 type per station ("traditional" where unstated)
    clutter_class: np.ndarray | None = None  # P.2108 Table 2 class per station, None where unstated
    crit_explicit: np.ndarray | None = None  # bool: the register's own ``criterion`` field set

    def __len__(self) -> int:
        return len(self.cols["f_mhz"])

    @property
    def f_mhz(self) -> np.ndarray:
        return num(self.cols["f_mhz"])


def _geo_distance(lat, lon, lat2, lon2):
    from .. import geo
    return np.atleast_1d(geo.distance_km(lat, lon, lat2, lon2))


#: threshold of a registered receiver whose criterion has none [dB]
DEFAULT_THRESHOLDS_DB = {"I/N": -10.0, "C/I": 20.0, "C/(N+I)": 20.0, "(N+I)/N": 0.41}


def check_criteria_by_service(criteria) -> dict:
    """``{service: (criterion, threshold_db)}`` (or ``{service: {"criterion", "threshold_db"}}``)
    validated; services compared case-insensitively with '-'/' ' as '_'."""
    out = {}
    for svc, v in dict(criteria or {}).items():
        crit, thr = (v.get("criterion"), v.get("threshold_db")) if isinstance(v, Mapping) else tuple(v)
        if crit not in CRITERIA:
            raise ValueError(f"criteria_by_service[{svc!r}] criterion = {crit!r} must be one of {', '.join(CRITERIA)}")
        thr = float(check_range(f"criteria_by_service[{svc!r}] threshold_db", thr, -60.0, 80.0, "dB"))
        if crit == "(N+I)/N" and thr <= 0:
            raise ValueError(f"criteria_by_service[{svc!r}] threshold_db = {thr:g} must be > 0 dB for (N+I)/N")
        out[_svc_key(svc)] = (crit, thr)
    return out


def _svc_key(s) -> str:
    return str(s).strip().lower().replace("-", "_").replace(" ", "_")


def _criteria(a: dict, by_service: dict):
    """Per-receiver criterion and threshold: the register's ``criterion``/``criterion_db``, else its
    ``protection``/``protection_db``, else the service's (``by_service``), else I/N -10 dB."""
    m = len(a["f_mhz"])
    crit = np.empty(m, dtype=object)
    thr = np.empty(m)
    src = np.empty(m, dtype=object)
    c1, t1 = a.get("criterion", [None] * m), num(a.get("criterion_db", np.full(m, np.nan)))
    c2, t2 = a["protection"], num(a["protection_db"])
    for i in range(m):
        if c1[i] in CRITERIA and np.isfinite(t1[i]):
            crit[i], thr[i], src[i] = c1[i], t1[i], "register"
        elif c2[i] in CRITERIA:
            crit[i] = c2[i]
            thr[i] = t2[i] if np.isfinite(t2[i]) else DEFAULT_THRESHOLDS_DB[c2[i]]
            src[i] = "register"
        elif by_service and _svc_key(a["service"][i]) in by_service:
            crit[i], thr[i] = by_service[_svc_key(a["service"][i])]
            src[i] = "service"
        else:
            crit[i], thr[i], src[i] = "I/N", DEFAULT_THRESHOLDS_DB["I/N"], "default"
    return crit, thr, src


def _all_none(v) -> bool:
    a = np.asarray(v, dtype=object)
    return bool(np.equal(a, None).all()) if a.size else True


def _environment(a: dict):
    m = len(a["f_mhz"])
    cols = [a.get(k) for k in ("indoor", "building_type", "clutter_class")]
    if all(c is None or _all_none(c) for c in cols):  # no surroundings in the register: the usual case
        return np.zeros(m, bool), np.full(m, "traditional", dtype=object), np.full(m, None, dtype=object)
    ind = a.get("indoor", [None] * m)
    indoor = np.array([bool(x) if x is not None and x == x else False for x in ind], dtype=bool)
    bt = np.array([x if isinstance(x, str) and x else "traditional" for x in a.get("building_type", [None] * m)],
                  dtype=object)
    cl = np.array([x if isinstance(x, str) and x else None for x in a.get("clutter_class", [None] * m)],
                  dtype=object)
    return indoor, bt, cl


def _receivers(a: dict, masks: MaskResolver, lat, lon, by_service: dict | None = None) -> Stations:
    m = len(a["f_mhz"])
    bw = np.maximum(num(a["bw_khz"], np.nan), 0.0)
    bw = np.where(np.isfinite(bw) & (bw > 0), bw, 25.0)
    nf = num(a["noise_figure_db"], 5.0)
    crit, prot, src = _criteria(a, by_service or {})
    c1, t1 = a.get("criterion", [None] * m), num(a.get("criterion_db", np.full(m, np.nan)))
    explicit = np.array([c1[i] in CRITERIA and bool(np.isfinite(t1[i])) for i in range(m)], dtype=bool)
    indoor, bt, cl = _environment(a)
    return Stations(cols=a, bw_khz=bw, g_dbi=num(a["g_dbi"], 0.0), fl_db=num(a["feeder_loss_db"], 0.0),
                    h_m=np.clip(num(a["h_agl_m"], 10.0), 0.5, None), d_km=_geo_distance(lat, lon, num(a["lat"]),
                                                                                      num(a["lon"])),
                    nf_db=nf, crit=crit, prot_db=prot,
                    n_dbw=noise_dbw(bw, np.clip(nf, 0, 60)) if m else np.zeros(0),
                    rx_masks=masks.get_many(a["rx_selectivity"], bw, "rx"),
                    crit_source=src, indoor=indoor, building_type=bt, clutter_class=cl, crit_explicit=explicit)


def _transmitters(a: dict, masks: MaskResolver, lat, lon) -> Stations:
    bw = num(a["bw_khz"], np.nan)
    bw = np.where(np.isfinite(bw) & (bw > 0), bw, 25.0)
    indoor, bt, cl = _environment(a)
    return Stations(cols=a, bw_khz=bw, g_dbi=num(a["g_dbi"], 0.0), fl_db=num(a["feeder_loss_db"], 0.0),
                    h_m=np.clip(num(a["h_agl_m"], 10.0), 0.5, None),
                    d_km=_geo_distance(lat, lon, num(a["lat"]), num(a["lon"])),
                    eirp_dbw=num(a["eirp_dbw"], np.nan),
                    tx_masks=masks.get_many(a["tx_mask"], bw, "tx"),
                    indoor=indoor, building_type=bt, clutter_class=cl)


@dataclass
class Scenario:
    """Everything about a request that does not change with the channel: the request, the
    terrain, the model choice and the counterpart stations. Built once by :func:`build_scenario`
    and only read afterwards (per-channel work and its caches belong to the caller)."""

    req: Request
    reg: Any
    dem: Any
    model: str
    loss_fn: Any
    max_distance_km: float
    freq_window_mhz: float
    step_m: float | None
    zones: bool
    climate: dict = field(default_factory=dict)   # explicit climate inputs (:mod:`.climate`)
    fwd: Stations | None = None     # registered receivers (victims of the candidate Tx)
    rev: Stations | None = None     # registered transmitters (into the candidate Rx)
    n_victims_considered: int = 0
    n_interferers_considered: int = 0
    masks: MaskResolver | None = field(default=None, repr=False)


def build_scenario(reg, req: Request, *, dem=None, model: str = "service", f_tx_range_mhz=None, f_rx_range_mhz=None,
                   max_distance_km: float = 150.0, freq_window_mhz: float | None = None,
                   step_m: float | None = None, loss_fn=None,
                   exclude_licence: str | None = None, zones: bool = True,
                   criteria_by_service: Mapping | None = None, climate=None, p_percent=None) -> Scenario:
    """Validate, query and resolve the counterpart stations of ``req`` (once)."""
    req.validate()
    f_tx_lo, f_tx_hi = f_tx_range_mhz or (req.f_mhz, req.f_mhz)
    f_rx_lo, f_rx_hi = f_rx_range_mhz or (req.f_rx_mhz, req.f_rx_mhz)
    fs = [f_tx_lo, f_tx_hi] + ([f_rx_lo, f_rx_hi] if req.rx is not None else [])
    model_name = resolve_model(model, req.service, fs) if loss_fn is None else "custom"
    if p_percent is not None and loss_fn is None:
        check_time_percentages(model_name, p_percent)
    if model_name in MODEL_RANGES_MHZ and loss_fn is None:
        lo, hi = MODEL_RANGES_MHZ[model_name]
        check_range("f_mhz", [f_tx_lo, f_tx_hi], lo, hi, "MHz", MODEL_NAMES[model_name])
        if req.rx is not None:
            check_range("rx_f_mhz", [f_rx_lo, f_rx_hi], lo, hi, "MHz", MODEL_NAMES[model_name])
    check_positive("max_distance_km", max_distance_km, "km")
    if dem is None:
        from ..datasets.terrain import default_dem
        dem = default_dem()
    from .. import terrain

    b = terrain.dem_bounds(dem)
    for lbl, t in (("tx", req.tx), ("rx", req.rx)):
        if t is not None and not (b[0] <= t.lat <= b[1] and b[2] <= t.lon <= b[3]):
            raise ValueError(f"{lbl} ({t.lat:.5f}, {t.lon:.5f}) is outside the terrain data "
                             f"(lat {b[0]:g}..{b[1]:g}, lon {b[2]:g}..{b[3]:g}); pass a DEM that covers it")
    bw = float(req.bw_khz)
    win = float(freq_window_mhz if freq_window_mhz is not None else 20.0 + 10.0 * bw / 1000.0)
    masks = MaskResolver(reg)
    excl = exclude_licence if exclude_licence is not None else req.licence_number

    def drop_own(a):
        if excl is None or not len(a["f_mhz"]):
            return a
        return take(a, np.array([x != excl for x in a["licence_number"]], dtype=bool))

    sc = Scenario(req=req, reg=reg, dem=dem, model=model_name,
                  loss_fn=loss_fn if loss_fn is not None else LOSS_FUNCTIONS[model_name],
                  max_distance_km=float(max_distance_km), freq_window_mhz=win, step_m=step_m, zones=bool(zones),
                  masks=masks, climate=check_climate(climate))
    if req.tx is not None:
        a = drop_own(query_table(reg, lat=req.tx.lat, lon=req.tx.lon, radius_km=max_distance_km,
                                 f_min=f_tx_lo - win, f_max=f_tx_hi + win, role="rx"))
        sc.n_victims_considered = len(a["f_mhz"])
        sc.fwd = _receivers(a, masks, req.tx.lat, req.tx.lon, check_criteria_by_service(criteria_by_service))
    if req.rx is not None:
        a = drop_own(query_table(reg, lat=req.rx.lat, lon=req.rx.lon, radius_km=max_distance_km,
                                 f_min=f_rx_lo - win, f_max=f_rx_hi + win, role="tx"))
        sc.n_interferers_considered = len(a["f_mhz"])
        sc.rev = _transmitters(a, masks, req.rx.lat, req.rx.lon)
    return sc


def forward_keep(victims: Stations, fdr, eirp_dbw: float, f_mhz, p_short: float, coord_db: float) -> np.ndarray:
    """Victims the candidate transmitter can bring within ``coord_db`` of their threshold under
    the free-space bound (maximum gains, FDR); C/I victims are kept wherever power arrives.
    ``f_mhz`` a scalar or one frequency per victim (the loosest of a sweep). Row indices."""
    i_bound = (eirp_dbw - (fs_db(victims.d_km, f_mhz) - fs_allowance_db(p_short)) + victims.g_dbi
               - victims.fl_db - fdr)
    # I/N and (N+I)/N thresholds are known here; C/I and C/(N+I) need the wanted signal: kept
    # wherever power arrives
    thr = np.where(np.isin(victims.crit, ("I/N", "(N+I)/N")),
                   max_interference_dbw(np.where(victims.crit == "(N+I)/N", "(N+I)/N", "I/N"), victims.prot_db,
                                        victims.n_dbw), -np.inf)
    return np.flatnonzero(np.isfinite(fdr) & (i_bound + coord_db >= thr))


def reverse_keep(interferers: Stations, fdr, g_rx_dbi: float, fl_rx_db: float, p_short: float,
                 thr_dbw: float) -> np.ndarray:
    """Registered transmitters whose free-space bound at the candidate receiver comes within
    30 dB of the threshold (the aggregate of many small terms counts). Row indices."""
    i_bound = (interferers.eirp_dbw - (fs_db(interferers.d_km, interferers.f_mhz) - fs_allowance_db(p_short))
               + g_rx_dbi - fl_rx_db - fdr)
    return np.flatnonzero(np.isfinite(fdr) & np.isfinite(interferers.eirp_dbw) & (i_bound + 30.0 >= thr_dbw))


def wanted_transmitters(reg, victims: Stations, rows: np.ndarray, lat: float, lon: float, radius_km: float) -> dict:
    """Wanted transmitters (same licence, role tx, within the victim's band) of victims ``rows``:
    a table with ``victim`` (row index) and the transmitter's position, EIRP, gain, height,
    azimuth, tilt, pattern, frequency and polarisation."""
    a = victims.cols
    out = {"victim": [], "tx_lat": [], "tx_lon": [], "lat": [], "lon": [], "eirp": [], "g": [], "h_tx": [],
           "az": [], "tilt": [], "pattern": [], "f": [], "pol": []}
    if rows.size:
        fs = num(a["f_mhz"])[rows]
        cands = query_table(reg, lat=lat, lon=lon, radius_km=radius_km, f_min=float(fs.min()) - 1.0,
                            f_max=float(fs.max()) + 1.0, role="tx")
        lic = np.asarray(cands["licence_number"], dtype=object)
        cf = num(cands["f_mhz"])
        by_lic: dict = {}
        for j, x in enumerate(lic.tolist()):  # candidates of each licence, in query order
            by_lic.setdefault(x, []).append(j)
        for i in rows:
            js = by_lic.get(a["licence_number"][i])
            if not js:
                continue
            js = np.asarray(js)
            sel = js[np.abs(cf[js] - float(a["f_mhz"][i])) <= victims.bw_khz[i] / 2000.0 + 1e-9]
            if not sel.size:
                continue
            j = sel[0]
            out["victim"].append(i)
            out["tx_lat"].append(float(cands["lat"][j]))
            out["tx_lon"].append(float(cands["lon"][j]))
            out["lat"].append(float(a["lat"][i]))
            out["lon"].append(float(a["lon"][i]))
            out["eirp"].append(float(num(cands["eirp_dbw"][j:j + 1])[0]))
            out["g"].append(float(num(cands["g_dbi"][j:j + 1], 0.0)[0]))
            out["h_tx"].append(float(num(cands["h_agl_m"][j:j + 1], 10.0)[0]))
            out["az"].append(float(num(cands["azimuth_deg"][j:j + 1], 0.0)[0]))
            out["tilt"].append(float(num(cands["tilt_deg"][j:j + 1], 0.0)[0]))
            out["pattern"].append(cands["antenna_pattern"][j])
            out["f"].append(float(cf[j]))
            out["pol"].append(cands["polarisation"][j] if cands["polarisation"][j] in ("h", "v") else "v")
    return {k: np.asarray(v, dtype=object if k in ("pattern", "pol") else float) if k != "victim"
            else np.asarray(v, dtype=np.int64) for k, v in out.items()}


def existing_transmitters(reg, victims: Stations, rows: np.ndarray, lat: float, lon: float, radius_km: float,
                          exclude_licence: str | None, masks: MaskResolver) -> Stations:
    """Registered (granted) transmitters that may already interfere with victims ``rows``: within
    ``radius_km`` of (lat, lon) (the candidate's site; the radius covers the farthest victim plus
    the existing-interference reach), in the victims' bands widened by one channel each side."""
    if not rows.size:
        return _transmitters(query_table(reg, lat=lat, lon=lon, radius_km=0.0, f_min=1.0, f_max=1.0, role="tx"),
                             masks, lat, lon)
    f = victims.f_mhz[rows]
    bw = victims.bw_khz[rows] / 1000.0
    lo = float(np.min(f - 1.5 * bw))
    hi = float(np.max(f + 1.5 * bw))
    a = query_table(reg, lat=lat, lon=lon, radius_km=radius_km, f_min=max(lo, 1e-6), f_max=hi, role="tx")
    if exclude_licence is not None and len(a["f_mhz"]):
        a = take(a, np.array([x != exclude_licence for x in a["licence_number"]], dtype=bool))
    return _transmitters(a, masks, lat, lon)


def existing_pairs(victims: Stations, rows: np.ndarray, tx: Stations, max_d_km: float, k_sel: int,
                   floor_dbw: np.ndarray, allowance_db: float, adjacent_fdr_db: float = 30.0):
    """Up to ``k_sel`` registered transmitters per victim (rows ``rows``), the strongest by an
    approximate free-space bound (:func:`spectrum.kernels.interference.strongest_pairs`: other
    licence, within ``max_d_km``, band within one channel, bound >= ``floor_dbw``).

    Returns (victim row, transmitter index, distance km) of the pairs, victims in order."""
    from ..kernels.interference import strongest_pairs

    va, ta = victims.cols, tx.cols
    idx = getattr(tx, "_pairs_index", None)
    if idx is None:  # the transmitters' side, once per table (a sweep asks once per channel)
        codes: dict = {}
        t_lic = np.array([codes.setdefault(x, len(codes)) for x in ta["licence_number"]], dtype=np.int64)
        # bandwidth classes, each sorted by frequency (each class is searched over its own reach)
        order = np.lexsort((tx.f_mhz, tx.bw_khz))
        bws = tx.bw_khz[order]
        cls_start = np.concatenate([[0], np.flatnonzero(np.diff(bws) != 0) + 1, [bws.size]]).astype(np.int64)
        cols = tuple(np.ascontiguousarray(a[order]) for a in (num(ta["lat"]), num(ta["lon"]), tx.f_mhz, tx.bw_khz,
                                                               t_lic, np.where(np.isfinite(tx.eirp_dbw), tx.eirp_dbw,
                                                                               -np.inf)))
        idx = tx._pairs_index = (codes, order, cls_start, cols)
    codes, order, cls_start, t_cols = idx
    # victims' licences not among the transmitters' get codes of their own (never equal to one)
    v_lic = np.array([codes.get(x, -1 - k) for k, x in enumerate(va["licence_number"][rows])], dtype=np.int64)
    m = rows.size
    out_t = np.empty((m, int(k_sel)), np.int64)
    out_s = np.empty((m, int(k_sel)))
    out_d = np.empty((m, int(k_sel)))
    v_floor = np.asarray(floor_dbw, float) - allowance_db - victims.g_dbi[rows] + victims.fl_db[rows]
    strongest_pairs(np.ascontiguousarray(num(va["lat"])[rows]), np.ascontiguousarray(num(va["lon"])[rows]),
                    np.ascontiguousarray(victims.f_mhz[rows]), np.ascontiguousarray(victims.bw_khz[rows]), v_lic,
                    np.ascontiguousarray(v_floor), *t_cols, cls_start, float(max_d_km), float(adjacent_fdr_db),
                    out_t, out_s, out_d)
    ok = out_t >= 0
    vi = np.repeat(np.arange(m), int(k_sel)).reshape(m, int(k_sel))[ok]
    return rows[vi], order[out_t[ok]], out_d[ok]
