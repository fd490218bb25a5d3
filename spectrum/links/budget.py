"""Fixed point-to-point link: the hop, its budget and its availability, Rec. ITU-R P.530-18.

A :class:`Link` is one direction of a hop (transmitter at one end, receiver at the other), made
from register stations (:func:`link_from_register`) or given directly. :func:`link_budget` takes it
through the downhill path of DESIGN.md: geometry and terrain profile -> losses (P.525 free space,
P.676 gases, P.530 §2.2 diffraction at the median k) -> budget (EIRP, antenna gains toward each
other, feeder losses, receiver threshold for a BER, flat fade margin, threshold degradation by
interference) -> outage statistics (P.530 §2.3 multipath, §2.4 rain, §4 XPD, §6 diversity) ->
availability against a target.

Availability convention (stated, not from P.530): unavailability per average year is the sum of
the rain outage (§2.4.1, p(A_rain > FM)), the multipath outage converted to the average year
(§2.3.4) and divided by any diversity improvement (§6.2), plus the §7 selective outage when an
equipment signature is given (converted with the same Delta G), and, for co-channel dual-polarised
operation, the §4.2 and §4.1 XPD outages (the clear-air XPD term converted with the same Delta G).
The worst-month multipath outage is reported beside it (error-performance objectives).

References
----------
Rec. ITU-R P.530-18 (09/2021); Rec. ITU-R P.525-4; Rec. ITU-R P.676-13; Rec. ITU-R P.838-3;
Rec. ITU-R P.837-7; Rec. ITU-R F.758-7 (I/N criteria).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from .. import geo
from .._validate import check_lat_lon, check_range
from ..antennas import Antenna, elevation_deg, gain_toward_dbi
from ..propagation import p530
from ..propagation import p530_rain as rain
from ..propagation.p525 import free_space_loss_db
from .threshold import required_cn_db

__all__ = ["Terminal", "Link", "LinkBudget", "link_budget", "link_from_register", "licence_links",
           "SHANGHAI_R001_MMH"]

#: P.837-7 R0.01 at (31.23 N, 121.47 E) read from the P.837-7 map with ITU-Rpy 0.4.0
#: (``itu837.rainfall_rate(31.23, 121.47, 0.01)`` = 56.68 mm/h); the default where the map module
#: (``spectrum.propagation.maps``) is absent. [mm/h]
SHANGHAI_R001_MMH = 56.68


@dataclass(frozen=True)
class Terminal:
    """One end of a hop: site, antenna and feeder.

    Units: lat/lon [deg], h_agl_m [m above ground], ground_m [m amsl, NaN: from the terrain],
    azimuth/tilt [deg], feeder_loss_db [dB].
    """

    name: str
    lat: float
    lon: float
    h_agl_m: float
    antenna: Antenna
    azimuth_deg: float = float("nan")
    tilt_deg: float = 0.0
    feeder_loss_db: float = 0.0
    polarisation: str = "v"
    ground_m: float = float("nan")
    station_id: int | None = None

    def __post_init__(self):
        check_lat_lon(self.lat, self.lon, self.name)
        check_range(f"{self.name}.h_agl_m", self.h_agl_m, 0.0, 2000.0, "m")
        check_range(f"{self.name}.feeder_loss_db", self.feeder_loss_db, 0.0, 30.0, "dB")
        if str(self.polarisation).lower() not in ("h", "v", "c"):
            raise ValueError(f"{self.name}.polarisation = {self.polarisation!r} must be 'h', 'v' or 'c'")


@dataclass(frozen=True)
class Link:
    """One direction of a fixed point-to-point hop and the inputs of its P.530 prediction.

    Parameters
    ----------
    tx, rx : Terminal
    f_mhz : float
        Centre frequency, 1-100 GHz. [MHz]
    bw_khz : float
        Channel bandwidth. [kHz]
    eirp_dbw : float
        EIRP in the main beam (transmitter power + gain - feeder loss). [dBW]
    nf_db : float
        Receiver noise figure. [dB]
    modulation, ber, rolloff, impl_margin_db
        Receiver threshold (:func:`spectrum.links.threshold.required_cn_db`).
    k_geo, dn75 : float
        P.530-18 geoclimatic factor K and dN75 (§2.3.1; map values where available). [-], [N-units]
    r001_mmh : float, optional
        P.837-7 R0.01; from :func:`spectrum.propagation.p530_rain.r001_mmh` when None (map module),
        else :data:`SHANGHAI_R001_MMH`. [mm/h]
    ke_min : float, optional
        ke exceeded for 99.9 % of the worst month for the §2.2.2 clearance check (the Recommendation
        reads it off a figure for the path length). Default: the point k exceeded for 99.9 % of the
        year from the P.453-12 dN65 map at mid-path (:func:`spectrum.propagation.p530.point_k_factor`,
        the conservative end of ke) when the maps are installed, else 2/3. [-]
    climate, obstruction : str
        §2.2.2 clearance criteria ("temperate"/"tropical", "single"/"extended").
    diversity_spacing_m, diversity_df_mhz : float, optional
        Space-diversity antenna separation [m] (§6.2.1) or frequency-diversity spacing [MHz] (§6.2.2).
    dual_polarised : bool
        Co-channel dual-polarised operation: include the §4 XPD outages.
    xpd_g_db, xpif_db, u0_db : float
        §4 inputs (manufacturer XPD, XPIC improvement, U0).
    protection_db : float
        Maximum I/N (fixed service, Rec. ITU-R F.758: -10 dB long-term). [dB]
    tx_mask, rx_mask : Mask, optional
        Spectrum masks for the net filter discrimination of interference (SM.337 FDR).
    target_percent : float
        Availability objective. [%]
    signature : dict, optional
        Equipment signature for the §7 selective outage (keys of
        :func:`spectrum.propagation.p530.selective_outage_probability`: ``w_m_ghz``, ``b_m_db``,
        ``tau_r_m_ns``, ``w_nm_ghz``, ``b_nm_db``, ``tau_r_nm_ns``, or ``kn_m``, ``kn_nm``, ``t_ns``).
    aligned : bool
        Antennas aligned on each other (boresight gains, the usual budget assumption); False uses
        the register's azimuth and tilt toward the other end.
    """

    tx: Terminal
    rx: Terminal
    f_mhz: float
    bw_khz: float
    eirp_dbw: float
    nf_db: float = 6.0
    modulation: str = "16QAM"
    ber: float = 1e-6
    rolloff: float = 0.25
    impl_margin_db: float = 2.0
    k_geo: float = p530.SHANGHAI_K
    dn75: float = p530.SHANGHAI_DN75
    r001_mmh: float | None = None
    ke_min: float | None = None
    climate: str = "temperate"
    obstruction: str = "extended"
    diversity_spacing_m: float | None = None
    diversity_df_mhz: float | None = None
    dual_polarised: bool = False
    xpd_g_db: float = 30.0
    xpif_db: float = 0.0
    u0_db: float = 15.0
    protection_db: float = -10.0
    tx_mask: object = None
    rx_mask: object = None
    target_percent: float = 99.99
    aligned: bool = True
    signature: dict | None = None
    licence: str | None = None
    name: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        check_range("f_mhz", self.f_mhz, 1000.0, 100000.0, "MHz", "P.530-18 link")
        check_range("bw_khz", self.bw_khz, 1.0, 2.0e6, "kHz", lo_open=True)
        check_range("eirp_dbw", self.eirp_dbw, -100.0, 100.0, "dBW")
        check_range("nf_db", self.nf_db, 0.0, 30.0, "dB")
        check_range("target_percent", self.target_percent, 50.0, 100.0, "%")
        if self.ke_min is not None:
            check_range("ke_min", self.ke_min, 0.1, 10.0, "")
        if self.r001_mmh is not None:
            check_range("r001_mmh", self.r001_mmh, 0.0, 500.0, "mm/h", "P.837-7")

    @property
    def f_ghz(self) -> float:
        return self.f_mhz / 1000.0

    def reversed(self, *, f_mhz: float | None = None, eirp_dbw: float | None = None) -> "Link":
        """The other direction of the hop (same terminals swapped)."""
        return replace(self, tx=self.rx, rx=self.tx, f_mhz=self.f_mhz if f_mhz is None else f_mhz,
                       eirp_dbw=self.eirp_dbw if eirp_dbw is None else eirp_dbw,
                       name=f"{self.rx.name} -> {self.tx.name}")


@dataclass
class LinkBudget:
    """Budget, clearance, outage and availability of one direction (units in the names)."""

    name: str
    licence: str | None
    f_mhz: float
    polarisation: str
    d_km: float
    eirp_dbw: float
    gt_rel_db: float
    gr_dbi: float
    feeder_loss_rx_db: float
    lbf_db: float
    gas_db: float
    diffraction_db: float
    prx_dbw: float
    noise_dbw: float
    cn_required_db: float
    threshold_dbw: float
    fade_margin_db: float
    interference_dbw: float
    threshold_degradation_db: float
    effective_margin_db: float
    clearance: dict
    p0_percent: float
    delta_g_db: float
    multipath_worst_month_percent: float
    multipath_year_percent: float
    diversity_improvement: float
    r001_mmh: float
    rain_a001_db: float
    rain_percent: float
    xpd_clear_air_percent: float
    xpd_rain_percent: float
    unavailability_percent: float
    availability_percent: float
    target_percent: float
    meets_target: bool
    interferers: list = field(default_factory=list)
    profile: tuple | None = field(default=None, repr=False)
    selective_worst_month_percent: float = 0.0

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("profile", None)
        return d


def _r001(link: Link) -> float:
    if link.r001_mmh is not None:
        return float(link.r001_mmh)
    lat = 0.5 * (link.tx.lat + link.rx.lat)
    lon = 0.5 * (link.tx.lon + link.rx.lon)
    try:
        return float(rain.r001_mmh(lat, lon))
    except ValueError:
        return SHANGHAI_R001_MMH


def _ke_min(link: Link) -> float:
    if link.ke_min is not None:
        return float(link.ke_min)
    try:
        k = float(p530.point_k_factor(0.5 * (link.tx.lat + link.rx.lat), 0.5 * (link.tx.lon + link.rx.lon), 99.9))
    except ValueError:  # maps not installed
        return 2.0 / 3.0
    return min(max(k, 0.1), 10.0)


def _profile(link: Link, dem, step_m):
    if dem is None:
        from ..datasets.terrain import default_dem

        dem = default_dem()
    from ..terrain import profile

    return profile(dem, (link.tx.lat, link.tx.lon), (link.rx.lat, link.rx.lon), step_m)


def link_budget(link: Link, *, dem=None, profile=None, step_m: float | None = None,
                interference_dbw: float = -math.inf, interferers: list | None = None) -> LinkBudget:
    """Budget, clearance, outage and availability of one direction, Rec. ITU-R P.530-18.

    Parameters
    ----------
    link : Link
    dem : xarray.DataArray, optional
        Terrain (default: :func:`spectrum.datasets.terrain.default_dem`).
    profile : (d_km, h_m), optional
        A terrain profile from tx to rx, instead of ``dem``.
    step_m : float, optional
        Profile sample spacing. [m]
    interference_dbw : float
        Aggregate interference at the receiver input (threshold degradation). [dBW]
    interferers : list of dict, optional
        Per-interferer rows to keep in the result.

    Returns
    -------
    LinkBudget
    """
    d_p, h_p = (np.asarray(profile[0], float), np.asarray(profile[1], float)) if profile is not None \
        else _profile(link, dem, step_m)
    d = float(d_p[-1])
    f = link.f_ghz
    h_tx = float(h_p[0] if np.isnan(link.tx.ground_m) else link.tx.ground_m) + link.tx.h_agl_m
    h_rx = float(h_p[-1] if np.isnan(link.rx.ground_m) else link.rx.ground_m) + link.rx.h_agl_m
    # antenna gains toward each other (elevation over the 4/3 Earth, bearings on the sphere)
    brg_tr = float(geo.bearing_deg(link.tx.lat, link.tx.lon, link.rx.lat, link.rx.lon))
    brg_rt = float(geo.bearing_deg(link.rx.lat, link.rx.lon, link.tx.lat, link.tx.lon))
    el_tr = float(elevation_deg(d, h_tx, h_rx))
    el_rt = float(elevation_deg(d, h_rx, h_tx))
    az_t = brg_tr if np.isnan(link.tx.azimuth_deg) else link.tx.azimuth_deg
    az_r = brg_rt if np.isnan(link.rx.azimuth_deg) else link.rx.azimuth_deg
    if link.aligned:
        gt, gr = link.tx.antenna.g_dbi, link.rx.antenna.g_dbi
    else:
        gt = float(gain_toward_dbi(link.tx.antenna, az_t, link.tx.tilt_deg, brg_tr, el_tr, link.f_mhz))
        gr = float(gain_toward_dbi(link.rx.antenna, az_r, link.rx.tilt_deg, brg_rt, el_rt, link.f_mhz))
    gt_rel = gt - link.tx.antenna.g_dbi
    lbf = float(free_space_loss_db(d, link.f_mhz))
    gas = float(p530.gaseous_attenuation_db(f, d))
    clear = p530.clearance_criteria(d_p, h_p, h_tx - h_p[0], h_rx - h_p[-1], f, ke_min=_ke_min(link),
                                    climate=link.climate, obstruction=link.obstruction)
    ad = clear["median"]["ad_db"]
    prx = link.eirp_dbw + gt_rel - lbf - gas - ad + gr - link.rx.feeder_loss_db
    from ..interference import noise_dbw

    n = float(noise_dbw(link.bw_khz, link.nf_db))
    cn = required_cn_db(link.modulation, link.ber, rolloff=link.rolloff, impl_margin_db=link.impl_margin_db)
    thr = n + cn
    fm = prx - thr
    i_n = interference_dbw - n
    td = 10.0 * math.log10(1.0 + 10.0 ** (i_n / 10.0)) if np.isfinite(i_n) else 0.0
    fm_eff = fm - td
    # multipath (§2.3), negligible below 5 km (§2.3.1)
    ht = float(np.mean(h_p))
    mid_lat = 0.5 * (link.tx.lat + link.rx.lat)
    pol = str(link.tx.polarisation).lower()
    if d >= 5.0:
        p0 = float(p530.multipath_occurrence_factor(d, f, h_tx, h_rx, ht, link.k_geo, link.dn75))
        dg = float(p530.delta_g_db(d, h_tx, h_rx, mid_lat))
        a = max(fm_eff, 0.0)
        pw = float(p530.fade_exceedance_percent(a, p0))
        py = float(p530.fade_exceedance_percent(a, p0, dg))
    else:
        p0, dg, pw, py = 0.0, 0.0, 0.0, 0.0
    imp = 1.0
    if p0 > 0 and link.diversity_spacing_m:
        imp = float(rain.space_diversity_improvement(max(fm_eff, 0.0), link.diversity_spacing_m, f, d, p0))
    elif p0 > 0 and link.diversity_df_mhz:
        imp = float(rain.frequency_diversity_improvement(max(fm_eff, 0.0), link.diversity_df_mhz / 1000.0, f, d))
    pw /= imp
    py /= imp
    p_sel = 0.0
    if p0 > 0 and link.signature:  # §7 selective outage, worst month; to the year with the same Delta G
        p_sel = 100.0 * float(p530.selective_outage_probability(p0, d, **link.signature))
        pw += p_sel
        py += p_sel * 10.0 ** (-dg / 10.0)
    # rain (§2.4.1)
    r001 = _r001(link)
    el_path = math.degrees(math.atan2(h_rx - h_tx, d * 1000.0))
    if d > 60.0:
        raise ValueError(f"d_km = {d:.3g} is outside the valid range (0, 60] km of P.530-18 §2.4.1 rain")
    a001 = float(rain.rain_attenuation_001_db(d, f, r001, el_path, pol)) if r001 > 0 else 0.0
    p_rain = float(rain.rain_exceedance_percent(max(fm_eff, 0.0), d, f, r001, el_path, pol)) if r001 > 0 else 0.0
    # XPD (§4) for co-channel dual-polarised operation
    p_xp = p_xpr = 0.0
    if link.dual_polarised:
        c0_i = cn
        if p0 > 0:
            p_xp = float(rain.xpd_outage_clear_air(p0, link.xpd_g_db, c0_i, xpif_db=link.xpif_db))
            p_xp *= 10.0 ** (-dg / 10.0)
        if a001 > 0 and 8.0 <= f <= 35.0:
            p_xpr = float(rain.xpd_outage_precipitation(a001, f, c0_i, xpif_db=link.xpif_db, u0_db=link.u0_db))
    unav = min(100.0, p_rain + py + p_xp + p_xpr)
    avail = 100.0 - unav
    return LinkBudget(
        name=link.name or f"{link.tx.name} -> {link.rx.name}", licence=link.licence, f_mhz=link.f_mhz,
        polarisation=pol, d_km=d, eirp_dbw=link.eirp_dbw, gt_rel_db=gt_rel, gr_dbi=gr,
        feeder_loss_rx_db=link.rx.feeder_loss_db, lbf_db=lbf, gas_db=gas, diffraction_db=ad, prx_dbw=prx,
        noise_dbw=n, cn_required_db=cn, threshold_dbw=thr, fade_margin_db=fm,
        interference_dbw=float(interference_dbw), threshold_degradation_db=td, effective_margin_db=fm_eff,
        clearance=clear, p0_percent=p0, delta_g_db=dg, multipath_worst_month_percent=pw,
        multipath_year_percent=py, diversity_improvement=imp, r001_mmh=r001, rain_a001_db=a001,
        rain_percent=p_rain, xpd_clear_air_percent=p_xp, xpd_rain_percent=p_xpr,
        unavailability_percent=unav, availability_percent=avail, target_percent=link.target_percent,
        meets_target=bool(avail >= link.target_percent), interferers=list(interferers or []),
        profile=(d_p, h_p, h_tx, h_rx), selective_worst_month_percent=p_sel)


# ------------------------------------------------------------------ register -> Link
def _station(reg, key):
    """A station dict (with its licence number) by id or by name."""
    rows = reg.backend.execute(
        "SELECT s.id, l.number FROM station s JOIN licence l ON l.id = s.licence_id WHERE s.id = ? OR s.name = ?",
        (int(key) if str(key).isdigit() else -1, str(key))).fetchall()
    if not rows:
        raise ValueError(f"station {key!r} is not in the register (give a station id or name)")
    if len(rows) > 1:
        raise ValueError(f"station name {key!r} is ambiguous ({len(rows)} stations); give the station id")
    sid, number = rows[0]
    lic = reg.licence(number)
    st = next(s for s in lic["stations"] if s["id"] == sid)
    return st, lic


def _antenna(reg, st) -> Antenna:
    pat = reg.antenna_pattern(st["antenna_pattern"]) if st.get("antenna_pattern") else None
    return Antenna.from_pattern(pat, st.get("g_dbi"))


def _terminal(reg, st) -> Terminal:
    return Terminal(name=st["name"], lat=st["lat"], lon=st["lon"], h_agl_m=st["h_agl_m"], antenna=_antenna(reg, st),
                    azimuth_deg=st["azimuth_deg"] if st.get("azimuth_deg") is not None else float("nan"),
                    tilt_deg=st.get("tilt_deg") or 0.0, feeder_loss_db=st.get("feeder_loss_db") or 0.0,
                    polarisation=(st.get("polarisation") or "v").lower()[:1], station_id=st["id"])


def _mask(reg, name):
    if not name:
        return None
    from ..masks import Mask

    m = reg.spectrum_mask(name)
    return Mask(tuple(m["offset_khz"]), tuple(m["attenuation_db"]), m["kind"], m["name"])


def link_from_register(reg, from_station, to_station, **kw) -> Link:
    """The direction ``from_station`` -> ``to_station`` of a hop in the register.

    ``from_station`` names the transmitting end and ``to_station`` the receiving end (station ids
    or names); either end may be given by its tx or its rx station: the transmitter at the first
    site and the receiver at the second site of the same licence are used, on the receiver
    assignment whose frequency matches the transmitter's.

    Parameters
    ----------
    reg : Register
    from_station, to_station : int or str
    **kw
        Overrides of :class:`Link` fields (climate inputs, modulation, target ...).
    """
    a, lic_a = _station(reg, from_station)
    b, lic_b = _station(reg, to_station)
    if lic_a["number"] != lic_b["number"]:
        raise ValueError(f"stations {from_station!r} ({lic_a['number']}) and {to_station!r} ({lic_b['number']}) "
                         "belong to different licences: a hop is two ends of one licence")
    sts = lic_a["stations"]

    def at(site, role):
        for s in sts:
            if s["role"] == role and abs(s["lat"] - site["lat"]) < 1e-9 and abs(s["lon"] - site["lon"]) < 1e-9:
                return s
        raise ValueError(f"licence {lic_a['number']} has no {role} station at {site['name']!r}")

    tx, rx = at(a, "tx"), at(b, "rx")
    if abs(tx["lat"] - rx["lat"]) < 1e-9 and abs(tx["lon"] - rx["lon"]) < 1e-9:
        raise ValueError(f"{from_station!r} and {to_station!r} are the same site: a hop needs two ends")
    if not tx["assignments"]:
        raise ValueError(f"station {tx['name']!r} has no assignment")
    ta = tx["assignments"][0]
    ra = next((x for x in rx["assignments"] if abs(x["f_mhz"] - ta["f_mhz"]) < 1e-6), None)
    if ra is None:
        raise ValueError(f"no receiver assignment at {rx['name']!r} on {ta['f_mhz']} MHz (the transmitter's frequency)")
    if ta.get("eirp_dbw") is None:
        raise ValueError(f"the assignment of {tx['name']!r} has no EIRP")
    args = dict(tx=_terminal(reg, tx), rx=_terminal(reg, rx), f_mhz=ta["f_mhz"], bw_khz=ta["bw_khz"],
                eirp_dbw=ta["eirp_dbw"], nf_db=ra.get("noise_figure_db") or 6.0,
                protection_db=ra.get("protection_db") if ra.get("protection") == "I/N" else -10.0,
                tx_mask=_mask(reg, ta.get("tx_mask")), rx_mask=_mask(reg, ra.get("rx_selectivity")),
                licence=lic_a["number"], name=f"{lic_a['number']} {tx['name']} -> {rx['name']}")
    args.update(kw)
    return Link(**args)


def licence_links(reg, number: str, **kw) -> list[Link]:
    """Both directions of the hop of a fixed-service licence (A -> B, B -> A)."""
    lic = reg.licence(number)
    txs = [s for s in lic["stations"] if s["role"] == "tx"]
    if len(txs) != 2:
        raise ValueError(f"licence {number} has {len(txs)} transmitting stations; a hop has two")
    return [link_from_register(reg, txs[0]["id"], txs[1]["id"], **kw),
            link_from_register(reg, txs[1]["id"], txs[0]["id"], **kw)]
