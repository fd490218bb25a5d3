"""Seeded sample licence registers around Shanghai (inside ``DEFAULT_BOUNDS``).

:func:`sample_register` builds a realistic register of a few hundred stations through the
public API (every record validated, allocation-checked and audited): FM sound broadcasting
(87.5-108 MHz, tens of kW ERP on tall masts), DTMB television (UHF 8 MHz channels),
LTE/NR base stations (3-sector F.1336 antennas; 700/900/1800/2600/3500 MHz), fixed
point-to-point links (F.699 / F.1245 dishes, 6-38 GHz, both ends with tx and rx) and PMR
(VHF/UHF 12.5 kHz). Receivers carry a noise figure and an I/N criterion (-6 dB mobile/PMR,
-10 dB fixed, Rec. ITU-R F.758); broadcast assignments a C/I criterion (BS.412-9 / DTMB).
Stations lie on land: a coarse polygon of the Yangtze south bank and the Hangzhou Bay
north shore keeps them off the estuary and the sea east of ~121.9 E.

:func:`synthetic_register` bulk-builds large registers (100 000 stations in seconds) for
benchmarks.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..register import Register, RegisterError

try:  # the terrain engineer's contract constant; same values
    from .terrain import DEFAULT_BOUNDS
except Exception:  # pragma: no cover - terrain dataset module not installed
    DEFAULT_BOUNDS = (30.5, 32.0, 120.5, 122.5)

__all__ = ["sample_register", "synthetic_register", "on_land", "LAND_POLYGON", "SHANGHAI", "SAMPLE_USER",
           "DEFAULT_BOUNDS"]

#: Shanghai centre (lat, lon). [deg]
SHANGHAI = (31.23, 121.47)
SAMPLE_USER = "sample-data"

#: Coarse land outline (lat, lon) between the Yangtze south bank and the Hangzhou Bay north shore.
LAND_POLYGON = (
    (32.00, 120.50), (31.93, 120.50), (31.75, 120.90), (31.62, 121.15), (31.50, 121.35), (31.38, 121.55),
    (31.30, 121.72), (31.15, 121.85), (30.95, 121.88), (30.87, 121.82), (30.84, 121.60), (30.72, 121.35),
    (30.62, 121.10), (30.52, 120.95), (30.50, 120.50),
)


def on_land(lat, lon) -> np.ndarray:
    """Whether points lie inside :data:`LAND_POLYGON` (vectorised)."""
    from matplotlib.path import Path as _Path

    poly = _Path(np.array([(lo, la) for la, lo in LAND_POLYGON]))
    pts = np.column_stack([np.ravel(lon), np.ravel(lat)]).astype(float)
    return poly.contains_points(pts).reshape(np.shape(lat))


def _bearing(lat1, lon1, lat2, lon2) -> float:
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    y = math.sin(dl) * math.cos(p2)
    x = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.degrees(math.atan2(y, x)) % 360.0


def _destination(lat, lon, bearing_deg, d_km) -> tuple[float, float]:
    r = 6371.0
    d = d_km / r
    p1, l1, b = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), math.degrees(l2)


def _land_point(rng, centre=SHANGHAI, sigma_km=15.0, max_km=60.0) -> tuple[float, float]:
    for _ in range(10000):
        d = min(abs(rng.normal(0.0, sigma_km)), max_km)
        lat, lon = _destination(centre[0], centre[1], rng.uniform(0, 360), d)
        if on_land(lat, lon):
            return round(lat, 5), round(lon, 5)
    raise RuntimeError("no land point found")  # pragma: no cover


def _dish_gain(d_m: float, f_mhz: float, eff: float = 0.6) -> tuple[float, float]:
    lam = 299.792458 / f_mhz
    d_lambda = d_m / lam
    return round(10 * math.log10(eff * (math.pi * d_lambda) ** 2), 1), round(d_lambda, 2)


def _eirp(p_dbw: float, g_dbi: float, feeder_db: float) -> float:
    return round(p_dbw + g_dbi - feeder_db, 2)


# ---------------------------------------------------------------------- library
_MASKS = {
    # name: (kind, offsets kHz, attenuation dB)
    "FM-BC-TX": ("tx", [0, 90, 100, 200, 300, 500], [0, 0, 20, 50, 70, 80]),
    "DTMB-8M-TX": ("tx", [0, 3780, 4200, 6000, 12000], [0, 0, 35, 50, 60]),
    "LTE-20M-TX": ("tx", [0, 9000, 10000, 15000, 30000], [0, 0, 30, 45, 50]),
    "NR-100M-TX": ("tx", [0, 49000, 50000, 60000, 150000], [0, 0, 30, 45, 50]),
    "FS-28M-TX": ("tx", [0, 14000, 28000, 42000, 70000], [0, 0, 25, 45, 55]),
    "PMR-12K5-TX": ("tx", [0, 5.5, 12.5, 25, 50], [0, 0, 60, 70, 70]),
    "LTE-20M-RX": ("rx", [0, 10000, 12500, 20000, 40000], [0, 0, 33, 45, 60]),
    "NR-100M-RX": ("rx", [0, 50000, 60000, 100000, 200000], [0, 0, 33, 45, 60]),
    "FS-28M-RX": ("rx", [0, 14000, 28000, 56000], [0, 0, 30, 60]),
    "PMR-12K5-RX": ("rx", [0, 6, 12.5, 25], [0, 0, 60, 70]),
}


def _array_cut(n: int, spacing_lambda: float, tilt_deg: float, angles: np.ndarray) -> list[float]:
    psi = 2 * np.pi * spacing_lambda * (np.sin(np.radians(angles)) - np.sin(np.radians(tilt_deg)))
    num = np.sin(n * psi / 2)
    den = n * np.sin(psi / 2)
    af = np.where(np.abs(den) < 1e-12, 1.0, np.abs(num / np.where(np.abs(den) < 1e-12, 1.0, den)))
    el = np.cos(np.radians(angles)) ** 2
    g = 20 * np.log10(np.maximum(af * el, 10 ** (-40 / 20)))
    return [round(float(x - g.max()), 2) for x in g]


def _add_library(reg: Register, user: str) -> None:
    for name, (kind, off, att) in _MASKS.items():
        reg.add_spectrum_mask(name, kind, off, att, user=user)
    el = np.arange(-90.0, 90.1, 5.0)
    az = np.arange(0.0, 360.1, 30.0)
    reg.add_antenna_pattern("FM-4BAY-CP", "table", g_max_dbi=6.0, params={"elements": 4, "beam_tilt_deg": -1.0},
                            h_az_deg=az.tolist(),
                            h_gain_db=[round(-0.75 + 0.75 * math.cos(math.radians(3 * a)), 2) for a in az],
                            v_el_deg=el.tolist(), v_gain_db=_array_cut(4, 0.9, -1.0, el), user=user)
    reg.add_antenna_pattern("UHF-PANEL-8", "table", g_max_dbi=12.0, params={"elements": 8, "beam_tilt_deg": -1.5},
                            h_az_deg=az.tolist(),
                            h_gain_db=[round(-1.5 + 1.5 * math.cos(math.radians(4 * a)), 2) for a in az],
                            v_el_deg=el.tolist(), v_gain_db=_array_cut(8, 0.95, -1.5, el), user=user)
    reg.add_antenna_pattern("BS-SECTOR-65-17", "F.1336", g_max_dbi=17.0,
                            params={"phi3_deg": 65.0, "k": 0.7, "kv": 0.3, "sector": True}, user=user)
    reg.add_antenna_pattern("OMNI-COLLINEAR-6", "omni", g_max_dbi=6.0, params={"k": 0.7}, user=user)


_FS_BANDS = [
    # band GHz, lo, hi MHz (fixed allocation), duplex MHz, dish m, kind, tx dBW, (min, max) km, feeder dB
    (6, 5925.0, 6425.0, 252.04, 2.4, "F.699", 0.0, (20, 45), 1.5),
    (7, 7125.0, 7425.0, 154.0, 1.8, "F.699", 0.0, (15, 40), 1.5),
    (8, 7900.0, 8400.0, 266.0, 1.8, "F.699", -1.0, (15, 40), 1.5),
    (11, 10700.0, 11700.0, 490.0, 1.2, "F.699", -2.0, (10, 25), 1.0),
    (13, 12750.0, 13250.0, 266.0, 0.9, "F.1245", -3.0, (8, 20), 1.0),
    (15, 14500.0, 15350.0, 420.0, 0.6, "F.1245", -5.0, (5, 15), 0.5),
    (18, 17700.0, 19700.0, 1010.0, 0.6, "F.1245", -7.0, (3, 10), 0.5),
    (23, 22000.0, 23600.0, 1008.0, 0.6, "F.1245", -10.0, (2, 8), 0.5),
    (38, 37000.0, 39500.0, 1260.0, 0.3, "F.1245", -13.0, (1, 4), 0.5),
]

_MOBILE_BANDS = {
    # name: (dl f, ul f (None = TDD), bw kHz, emission, tx dBW per carrier, masks)
    "NR700": (773.0, 718.0, 20000.0, "18M0W7D", 16.0, ("LTE-20M-TX", "LTE-20M-RX")),
    "LTE900": (950.0, 905.0, 10000.0, "9M00W7D", 16.0, ("LTE-20M-TX", "LTE-20M-RX")),
    "LTE1800": (1850.0, 1755.0, 20000.0, "18M0W7D", 16.0, ("LTE-20M-TX", "LTE-20M-RX")),
    "NR2600": (2565.0, None, 100000.0, "98M3W7D", 23.0, ("NR-100M-TX", "NR-100M-RX")),
    "NR3500": (3450.0, None, 100000.0, "98M3W7D", 23.0, ("NR-100M-TX", "NR-100M-RX")),
}
_OPERATORS = {
    "Mobile Operator A (sample)": ("NR700", "LTE900", "LTE1800", "NR2600"),
    "Mobile Operator B (sample)": ("LTE1800", "NR3500"),
    "Mobile Operator C (sample)": ("LTE1800", "NR3500"),
}
_OPERATOR_OFFSET = {"Mobile Operator A (sample)": 0.0, "Mobile Operator B (sample)": 20.0,
                    "Mobile Operator C (sample)": -20.0}

_FM_SITES = [
    # name, lat, lon, antenna height agl (m)
    ("Pudong tower", 31.2397, 121.4998, 350.0),
    ("Sheshan", 31.0966, 121.1897, 150.0),
    ("Suzhou", 31.2990, 120.5853, 200.0),
    ("Kunshan", 31.3850, 120.9800, 150.0),
    ("Jiaxing", 30.7522, 120.7555, 160.0),
    ("Changshu", 31.6500, 120.7500, 180.0),
]


def _grant(reg, number, rng, user, statuses):
    status = statuses
    if status == "application":
        return
    reg.transition(number, "granted", reason="technical examination passed; fees paid", user=user)
    if status == "suspended":
        reg.transition(number, "suspended", reason="interference complaint under investigation", user=user)
    elif status == "expired":
        reg.transition(number, "expired", reason="validity ended, not renewed", user=user)
    elif status == "revoked":
        reg.transition(number, "revoked", reason="licence conditions breached", user=user)


def _status(rng) -> str:
    u = rng.uniform()
    return "application" if u < 0.06 else "suspended" if u < 0.08 else "expired" if u < 0.10 else \
        "revoked" if u < 0.11 else "granted"


def _dates(rng) -> tuple[str, str]:
    y = int(rng.integers(2018, 2026))
    m = int(rng.integers(1, 13))
    return f"{y}-{m:02d}-01", f"{y + 15}-{m:02d}-01"


def sample_register(path: str | Path | None = None, *, seed: int = 0, user: str = SAMPLE_USER) -> Register:
    """Build the seeded sample register around Shanghai.

    Parameters
    ----------
    path : str or Path, optional
        SQLite file to create (must be empty or absent); ``None`` for an in-memory register.
    seed : int
        Random seed; the same seed gives the same register content.

    Returns
    -------
    Register
        Open register (close it, or use it as a context manager).
    """
    reg = Register.open(":memory:" if path is None else path, user=user)
    try:
        if reg.counts()["licence"]:
            raise RegisterError(f"register {path} is not empty: the sample goes into a new register")
        rng = np.random.default_rng(seed)
        with reg.backend.write():
            _add_library(reg, user)
            _sample_fm(reg, rng, user)
            _sample_tv(reg, rng, user)
            _sample_mobile(reg, rng, user)
            _sample_fixed(reg, rng, user)
            _sample_pmr(reg, rng, user)
            _sample_fm_mast(reg, user)
    except BaseException:
        reg.close()
        raise
    return reg


def _sample_fm(reg, rng, user):
    used: dict[str, list[float]] = {}
    freqs = np.round(np.arange(87.6, 107.95, 0.1), 1)
    k = 0
    for site, lat, lon, h in _FM_SITES:
        for _ in range(3 if site in ("Pudong tower", "Sheshan", "Suzhou") else 2):
            while True:
                f = float(rng.choice(freqs))
                if all(abs(f - g) >= 0.8 for g in used.get(site, [])) and \
                        all(abs(f - g) > 0.25 for v in used.values() for g in v):
                    break
            used.setdefault(site, []).append(f)
            k += 1
            number = f"BC-FM-{k:03d}"
            frm, to = _dates(rng)
            reg.add_licence(number, f"East China Broadcasting {1 + k % 3} (sample)", "broadcasting",
                            valid_from=frm, valid_to=to, user=user)
            erp_w = float(rng.choice([10e3, 20e3, 30e3, 50e3]))
            eirp = round(10 * math.log10(erp_w) + 2.15, 2)
            sid = reg.add_station(number, name=f"{site} FM {f:.1f}", role="tx", lat=lat, lon=lon, h_agl_m=h,
                                  antenna_pattern="FM-4BAY-CP", polarisation="h", feeder_loss_db=1.0, user=user)
            reg.add_assignment(sid, f_mhz=f, emission="180KF8EHF", bw_khz=200.0, eirp_dbw=eirp, tx_mask="FM-BC-TX",
                               protection="C/I", protection_db=37.0, user=user)
            _grant(reg, number, rng, user, _status(rng))


def _sample_tv(reg, rng, user):
    channels = [474.0 + 8 * i for i in range(12)] + [610.0 + 8 * i for i in range(11)]
    picks = rng.choice(len(channels), size=10, replace=False)
    for k, ci in enumerate(sorted(picks), start=1):
        site, lat, lon, h = _FM_SITES[k % len(_FM_SITES)]
        number = f"BC-TV-{k:03d}"
        frm, to = _dates(rng)
        reg.add_licence(number, "East China Television (sample)", "broadcasting", valid_from=frm, valid_to=to,
                        user=user)
        eirp = round(10 * math.log10(float(rng.choice([1e3, 2e3, 5e3, 10e3]))) + 2.15, 2)
        sid = reg.add_station(number, name=f"{site} DTMB ch{ci + 13}", role="tx", lat=lat, lon=lon, h_agl_m=h - 10,
                              antenna_pattern="UHF-PANEL-8", polarisation="h", feeder_loss_db=1.5, user=user)
        reg.add_assignment(sid, f_mhz=channels[ci], bw_khz=8000.0, emission="7M56W7W", eirp_dbw=eirp,
                           tx_mask="DTMB-8M-TX", protection="C/I", protection_db=20.0, user=user)
        _grant(reg, number, rng, user, _status(rng))


def _sample_mobile(reg, rng, user):
    ops = list(_OPERATORS)
    for k in range(1, 31):
        op = ops[(k - 1) % 3]
        lat, lon = _land_point(rng, sigma_km=14.0, max_km=45.0)
        bands = list(rng.choice(_OPERATORS[op], size=min(2, len(_OPERATORS[op])), replace=False))
        number = f"MOB-{k:04d}"
        frm, to = _dates(rng)
        reg.add_licence(number, op, "mobile", valid_from=frm, valid_to=to, user=user)
        h = float(rng.integers(25, 46))
        az0 = float(rng.integers(0, 120))
        for sector in range(3):
            az = (az0 + 120 * sector) % 360
            tx_as, rx_as = [], []
            for b in sorted(bands):
                dl, ul, bw, em, p_dbw, (tmask, rmask) = _MOBILE_BANDS[b]
                if b == "LTE1800":
                    dl, ul = dl + _OPERATOR_OFFSET[op], ul + _OPERATOR_OFFSET[op]
                elif b == "NR3500":
                    dl = 3450.0 if op.endswith("B (sample)") else 3550.0
                f_ul = ul if ul is not None else dl
                tx_as.append(dict(f_mhz=dl, bw_khz=bw, emission=em, eirp_dbw=_eirp(p_dbw, 17.0, 0.5),
                                  tx_mask=tmask))
                rx_as.append(dict(f_mhz=f_ul, bw_khz=bw, emission=em, rx_selectivity=rmask, noise_figure_db=5.0,
                                  protection="I/N", protection_db=-6.0))
            common = dict(lat=lat, lon=lon, h_agl_m=h, antenna_pattern="BS-SECTOR-65-17", azimuth_deg=az,
                          tilt_deg=-6.0, polarisation="v", feeder_loss_db=0.5, user=user)
            reg.add_station(number, name=f"Site {k} sector {sector + 1} tx", role="tx", assignments=tx_as, **common)
            reg.add_station(number, name=f"Site {k} sector {sector + 1} rx", role="rx", assignments=rx_as, **common)
        _grant(reg, number, rng, user, _status(rng))


def _sample_fixed(reg, rng, user):
    holders = ["State Grid Shanghai (sample)", "Mobile Operator A (sample)", "Mobile Operator B (sample)",
               "Shanghai Water Authority (sample)"]
    created = set()
    for k in range(1, 21):
        band, lo, hi, duplex, dish, kind, p_dbw, (dmin, dmax), feeder = _FS_BANDS[(k - 1) % len(_FS_BANDS)]
        while True:
            a_lat, a_lon = _land_point(rng, sigma_km=20.0, max_km=55.0)
            b_lat, b_lon = _destination(a_lat, a_lon, rng.uniform(0, 360), rng.uniform(dmin, dmax))
            b_lat, b_lon = round(b_lat, 5), round(b_lon, 5)
            if on_land(b_lat, b_lon):
                break
        n_ch = int((hi - lo - duplex) // 28.0)
        f1 = lo + 14.0 + 28.0 * int(rng.integers(0, max(n_ch, 1)))
        f2 = f1 + duplex
        g, d_lambda = _dish_gain(dish, f1)
        pname = f"DISH-{dish:.1f}m-{band}GHz"
        if pname not in created:
            reg.add_antenna_pattern(pname, kind, g_max_dbi=g, params={"d_lambda": d_lambda, "diameter_m": dish,
                                                                      "f_ref_mhz": f1}, user=user)
            created.add(pname)
        number = f"FS-{band:02d}-{k:03d}"
        frm, to = _dates(rng)
        reg.add_licence(number, holders[k % len(holders)], "fixed", valid_from=frm, valid_to=to, user=user)
        pol = "h" if rng.uniform() < 0.5 else "v"
        h_a, h_b = float(rng.integers(30, 81)), float(rng.integers(30, 81))
        az_ab, az_ba = round(_bearing(a_lat, a_lon, b_lat, b_lon), 2), round(_bearing(b_lat, b_lon, a_lat, a_lon), 2)
        eirp = _eirp(p_dbw, g, feeder)
        rx = dict(bw_khz=28000.0, emission="28M0D7W", rx_selectivity="FS-28M-RX", noise_figure_db=6.0,
                  protection="I/N", protection_db=-10.0)
        for end, lat, lon, h, az, f_tx, f_rx in (("A", a_lat, a_lon, h_a, az_ab, f1, f2),
                                                 ("B", b_lat, b_lon, h_b, az_ba, f2, f1)):
            common = dict(lat=lat, lon=lon, h_agl_m=h, antenna_pattern=pname, azimuth_deg=az, tilt_deg=0.0,
                          polarisation=pol, feeder_loss_db=feeder, user=user)
            reg.add_station(number, name=f"Link {k} end {end} tx", role="tx", **common,
                            assignments=[dict(f_mhz=f_tx, bw_khz=28000.0, emission="28M0D7W", eirp_dbw=eirp,
                                              tx_mask="FS-28M-TX")])
            reg.add_station(number, name=f"Link {k} end {end} rx", role="rx", **common,
                            assignments=[dict(f_mhz=f_rx, **rx)])
        _grant(reg, number, rng, user, _status(rng))


def _sample_pmr(reg, rng, user):
    holders = ["Metro Operations (sample)", "Municipal Services (sample)", "Taxi Dispatch (sample)",
               "Security Services (sample)", "Harbour Logistics (sample)"]
    vhf = np.round(np.arange(150.1, 151.4, 0.0125), 4)
    uhf = np.round(np.arange(450.0125, 459.99, 0.0125), 4)
    for k in range(1, 21):
        lat, lon = _land_point(rng, sigma_km=18.0, max_km=55.0)
        number = f"PMR-{k:04d}"
        frm, to = _dates(rng)
        reg.add_licence(number, holders[k % len(holders)], "land_mobile", valid_from=frm, valid_to=to, user=user)
        if k % 2:  # VHF, 5 MHz duplex
            f_tx = float(rng.choice(vhf))
            f_rx = round(f_tx + 5.0, 4)
        else:  # UHF, 10 MHz duplex
            f_tx = float(rng.choice(uhf))
            f_rx = round(f_tx + 10.0, 4)
        em = "11K0F3E" if k % 3 else "7K60FXE"
        common = dict(lat=lat, lon=lon, h_agl_m=float(rng.integers(20, 61)), antenna_pattern="OMNI-COLLINEAR-6",
                      polarisation="v", feeder_loss_db=2.0, user=user)
        reg.add_station(number, name=f"PMR base {k} tx", role="tx", **common,
                        assignments=[dict(f_mhz=f_tx, bw_khz=12.5, emission=em, eirp_dbw=_eirp(14.0, 6.0, 2.0),
                                          tx_mask="PMR-12K5-TX")])
        reg.add_station(number, name=f"PMR base {k} rx", role="rx", **common,
                        assignments=[dict(f_mhz=f_rx, bw_khz=12.5, emission=em, rx_selectivity="PMR-12K5-RX",
                                          noise_figure_db=7.0, protection="I/N", protection_db=-6.0)])
        _grant(reg, number, rng, user, _status(rng))


#: the shared FM mast of ``spectrum intermod --demo``: name, lat, lon
FM_MAST = ("Xujiahui FM mast", 31.1880, 121.4370)
#: (licence, MHz, antenna height m, EIRP dBW) of the mast's FM transmitters; 98.2 - 93.2 = 5.0 MHz,
#: the duplex spacing of the VHF PMR base on the same mast
_FM_MAST_TX = (("BC-FMM-01", 93.2, 150.0, 47.0), ("BC-FMM-02", 98.2, 140.0, 46.0),
               ("BC-FMM-03", 101.7, 130.0, 45.0), ("BC-FMM-04", 105.7, 120.0, 44.0))


def _sample_fm_mast(reg, user):
    """A shared mast (deterministic, no random draws): four FM transmitters and a VHF PMR base
    whose receiver (155.5 MHz) is hit by the 3rd-order product 150.5 + 98.2 - 93.2 MHz of its own
    transmitter and two of the FM transmitters -- the ``spectrum intermod --demo`` case."""
    name, lat, lon = FM_MAST
    for number, f, h, eirp in _FM_MAST_TX:
        reg.add_licence(number, "East China Broadcasting 1 (sample)", "broadcasting", valid_from="2020-01-01",
                        valid_to="2035-01-01", user=user)
        sid = reg.add_station(number, name=f"{name} FM {f:.1f}", role="tx", lat=lat, lon=lon, h_agl_m=h,
                              antenna_pattern="FM-4BAY-CP", polarisation="h", feeder_loss_db=1.0, user=user)
        reg.add_assignment(sid, f_mhz=f, emission="180KF8EHF", bw_khz=200.0, eirp_dbw=eirp, tx_mask="FM-BC-TX",
                           protection="C/I", protection_db=37.0, user=user)
        _grant(reg, number, None, user, "granted")
    number = "PMR-MAST-01"
    reg.add_licence(number, "Metro Operations (sample)", "land_mobile", valid_from="2021-06-01",
                    valid_to="2036-06-01", user=user)
    common = dict(lat=lat, lon=lon, h_agl_m=60.0, antenna_pattern="OMNI-COLLINEAR-6", polarisation="v",
                  feeder_loss_db=2.0, user=user)
    reg.add_station(number, name=f"{name} PMR tx", role="tx", **common,
                    assignments=[dict(f_mhz=150.5, bw_khz=12.5, emission="11K0F3E", eirp_dbw=_eirp(14.0, 6.0, 2.0),
                                      tx_mask="PMR-12K5-TX")])
    reg.add_station(number, name=f"{name} PMR rx", role="rx", **common,
                    assignments=[dict(f_mhz=155.5, bw_khz=12.5, emission="11K0F3E", rx_selectivity="PMR-12K5-RX",
                                      noise_figure_db=7.0, protection="I/N", protection_db=-6.0)])
    _grant(reg, number, None, user, "granted")


# ---------------------------------------------------------------------- synthetic (bulk)
_SYN_TEMPLATES = [
    # service, role, (f choices MHz), bw kHz, eirp dBW (tx), nf dB, protection, protection dB, pattern
    ("mobile", np.array([773.0, 950.0, 1850.0, 1830.0, 2565.0, 3450.0, 3550.0]), (20000.0, 20000.0, 20000.0,
                                                                                    20000.0, 100000.0, 100000.0,
                                                                                    100000.0), 32.5, 5.0, -6.0),
    ("fixed", np.array([6034.15, 7247.0, 8000.0, 11010.0, 12850.0, 14600.0, 18000.0, 22400.0, 37500.0]),
     (28000.0,) * 9, 35.0, 6.0, -10.0),
    ("land_mobile", np.round(np.arange(150.1, 156.4, 0.0125), 4), None, 18.0, 7.0, -6.0),
    ("broadcasting", np.round(np.arange(87.6, 107.95, 0.1), 1), None, 45.0, None, 37.0),
]


def synthetic_register(path: str | Path | None, n_stations: int, seed: int = 0) -> Register:
    """Bulk-build a large synthetic register (for benchmarks and scale tests).

    ``n_stations`` stations with one assignment each, positions uniform over the land part
    of ``DEFAULT_BOUNDS``, services mobile / fixed / land mobile / broadcasting on frequencies
    inside their allocations, about 4 stations per licence, alternating tx/rx, 95 % granted.
    Inserted in one transaction (the schema's CHECK constraints, foreign keys and R-tree
    triggers apply to every row); the audit log gets one ``bulk-create`` row with the counts.

    Parameters
    ----------
    path : str or Path or None
        New SQLite file (must be absent or empty) or None for memory.
    n_stations : int
    seed : int
    """
    n = int(n_stations)
    if n < 1:
        raise ValueError(f"n_stations = {n_stations!r} must be >= 1")
    reg = Register.open(":memory:" if path is None else path, user="synthetic")
    try:
        if reg.counts()["licence"]:
            raise RegisterError(f"register {path} is not empty: the synthetic register goes into a new register")
        _bulk(reg, n, np.random.default_rng(seed))
    except BaseException:
        reg.close()
        raise
    return reg


def _bulk(reg: Register, n: int, rng) -> None:
    from ..register.sqlite import utc_now

    la0, la1, lo0, lo1 = DEFAULT_BOUNDS
    lat = np.empty(0)
    lon = np.empty(0)
    while lat.size < n:
        m = int((n - lat.size) * 1.8) + 16
        cl = rng.uniform(la0, la1, m)
        cn = rng.uniform(lo0, lo1, m)
        ok = on_land(cl, cn)
        lat = np.concatenate([lat, cl[ok]])
        lon = np.concatenate([lon, cn[ok]])
    lat, lon = np.round(lat[:n], 6), np.round(lon[:n], 6)
    per = 4
    n_lic = (n + per - 1) // per
    lic_of = np.arange(n) // per
    tmpl = rng.integers(0, len(_SYN_TEMPLATES), n_lic)
    st_tmpl = tmpl[lic_of]
    role = np.where(np.arange(n) % 2 == 0, "tx", "rx")
    status = np.where(rng.uniform(size=n_lic) < 0.95, "granted", "application")
    now = utc_now()
    with reg.backend.write():
        x = reg._x
        x("INSERT INTO licensee (name, created_utc) VALUES (?, ?)", ("Synthetic licensee", now))
        lid = x("SELECT id FROM licensee WHERE name = ?", ("Synthetic licensee",)).fetchone()[0]
        reg.add_antenna_pattern("SYN-OMNI", "omni", g_max_dbi=2.15, user="synthetic")
        services = [_SYN_TEMPLATES[t][0] for t in tmpl]
        first = x("SELECT COALESCE(MAX(id), 0) FROM licence").fetchone()[0] + 1
        reg.backend.executemany(
            "INSERT INTO licence (id, number, licensee_id, service, status, valid_from, valid_to, created_utc, "
            "updated_utc) VALUES (?, ?, ?, ?, ?, '2020-01-01', '2040-01-01', ?, ?)",
            ((first + i, f"SYN-{i + 1:07d}", lid, services[i], str(status[i]), now, now) for i in range(n_lic)))
        reg.backend.executemany(
            "INSERT INTO licence_history (licence_id, from_status, to_status, by_user, at_utc, reason) "
            "VALUES (?, NULL, ?, 'synthetic', ?, 'synthetic register')",
            ((first + i, str(status[i]), now) for i in range(n_lic)))
        f = np.empty(n)
        bw = np.empty(n)
        checked = set()
        for t, (svc, choices, bws, _, _, _) in enumerate(_SYN_TEMPLATES):
            sel = st_tmpl == t
            idx = rng.integers(0, len(choices), int(sel.sum()))
            f[sel] = choices[idx]
            if bws is None:
                bw[sel] = 12.5 if svc == "land_mobile" else 200.0
            else:
                bw[sel] = np.asarray(bws)[idx]
            for fi, bi in set(zip(f[sel].tolist(), bw[sel].tolist())):
                if (svc, fi, bi) not in checked:
                    reg._enforce_allocation(fi, bi, svc)
                    checked.add((svc, fi, bi))
        s_first = x("SELECT COALESCE(MAX(id), 0) FROM station").fetchone()[0] + 1
        az = np.round(rng.uniform(0, 360, n), 1) % 360.0
        h = np.round(rng.uniform(10, 80, n), 1)
        reg.backend.executemany(
            "INSERT INTO station (id, licence_id, name, role, lat, lon, h_agl_m, antenna_pattern, g_dbi, azimuth_deg, "
            "tilt_deg, polarisation, feeder_loss_db) VALUES (?, ?, ?, ?, ?, ?, ?, 'SYN-OMNI', 2.15, ?, 0.0, 'v', 1.0)",
            ((s_first + i, first + int(lic_of[i]), f"S{i + 1}", str(role[i]), float(lat[i]), float(lon[i]),
              float(h[i]), float(az[i])) for i in range(n)))
        rows = []
        for i in range(n):
            svc, _, _, eirp, nf, prot_db = _SYN_TEMPLATES[int(st_tmpl[i])]
            if role[i] == "tx":
                rows.append((s_first + i, float(f[i]), float(bw[i]), eirp, None, None, None))
            else:
                prot = "C/I" if svc == "broadcasting" else "I/N"
                rows.append((s_first + i, float(f[i]), float(bw[i]), None, nf, prot, prot_db))
        reg.backend.executemany(
            "INSERT INTO assignment (station_id, f_mhz, bw_khz, eirp_dbw, noise_figure_db, protection, protection_db) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        reg._audit("synthetic", "bulk-create", "register", None,
                   after={"licences": n_lic, "stations": n, "assignments": n, "seed_note": "synthetic_register"},
                   reason="synthetic benchmark register")
