"""Planning criteria of broadcasting: minimum usable field strengths and protection ratios.

* FM sound (Rec. ITU-R BS.412-9): minimum usable field strength by reception (mono / stereo) and
  environment (rural / urban / large city); radio-frequency protection ratios against the carrier
  spacing (BS.412-9 Fig. 1 / Table 3), steady and tropospheric interference, mono and stereo
  (maximum deviation +-75 kHz).
* Digital TV (DVB-T, DTMB) and T-DAB: minimum field strength from the carrier-to-noise ratio by the
  method of Rec. ITU-R BT.1368 / GE06 (Final Acts RRC-06, Annex 2 Chapter 3):
  ``E_min = C/N + F + 10 log10(k T0 B) - A_a + L_f + 145.8`` with ``A_a = G + 10 log10(lambda^2 / 4 pi)``,
  then the median minimum ``E_med = E_min + P_mmn + L_b + mu(pl) sigma`` (man-made noise, building
  entry for indoor reception, location-probability correction). The receiving height loss of GE06
  is not added: the field strength is predicted at the receiving height itself (P.1546-6 §9).
  Protection ratios: co-channel (BT.1368 / GE06 values of the preset modes), first adjacent and
  farther channels; partial overlap scales the co-channel ratio by the overlapping bandwidth.

Verification status (docs/broadcast.md has the table with sources). Checked against a published
text: the BS.412 stereo minimum field strengths 54 / 66 / 74 dB(uV/m) at 10 m; the fixed-reception
antenna gain (7 / 10 / 12 dBd) and feeder loss (2 / 3 / 5 dB) of Bands III / IV / V (Rec. ITU-R
BT.2036-5 Tables 26 and 27 as quoted in a public implementation), now applied by band; the
location-correction standard deviation 5.5 dB of GE06 RPC 1 / RPC 2 and the GE06 inverse normal
Qi (A.2.1.12 Eqs. (26a)-(26d), the same approximation as P.1546-6); the FM protection ratios at the
25 kHz points (equal to ITU-D SMS4DC's coding of the BS.412 / SM.851 curves for +-75 kHz).
**Not verified** (no published text could be read here): the BS.412 mono minimum field strengths,
the digital C/N values, noise figure, man-made noise and digital protection ratios of the presets. They remain planning assumptions an
administration overrides (``SYSTEMS`` entries or keyword arguments).

References
----------
Rec. ITU-R BS.412-9 (12/1998); Rec. ITU-R BT.1368-13 (2017); Rec. ITU-R BT.2036-5 (05/2023)
Tables 26-27; Final Acts of the Regional Radiocommunication Conference RRC-06 (GE06), Annex 2,
Chapter 3 and A.2.1.12; Rec. ITU-R P.1546-6 (08/2019) Annex 5 (inverse normal distribution).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from .._validate import check_range

__all__ = ["System", "SYSTEMS", "system", "min_field_strength_dbuvm", "protection_ratio_db", "FM_EMIN_DBUVM",
           "fm_protection_ratio_db", "location_correction_db", "reference_fixed_antenna", "FIXED_ANTENNA_BY_BAND"]

#: BS.412-9 minimum median field strength (10 m, 50 % time and locations). [dB(uV/m)]
#: Stereo values verified (BS.412 as quoted: 54 / 66 / 74 rural / urban / large cities); mono
#: values not verified.
FM_EMIN_DBUVM = {("mono", "rural"): 48.0, ("mono", "urban"): 60.0, ("mono", "large city"): 70.0,
                 ("stereo", "rural"): 54.0, ("stereo", "urban"): 66.0, ("stereo", "large city"): 74.0}
#: BS.412-9 Fig. 1 / Table 3 (+-75 kHz peak deviation): carrier spacing [kHz] and protection ratios
#: [dB]. Checked point by point (25 kHz points, 0-400 kHz, the four curves) against the table ITU-D's
#: SMS4DC codes for the same curves (``SM851_TABLE_1213``, Df = 75, FM interferer, in
#: ``SMS4DC_0/GE84_Functions.cpp`` of the public copy maxamin/SMDC4 @ 6d59cace); the Recommendation's
#: own text could not be read here. Between the 25 kHz points this module interpolates linearly.
FM_SPACING_KHZ = np.arange(0.0, 401.0, 25.0)
FM_PR_DB = {
    ("mono", "steady"): np.array([36, 31, 24, 16, 12, 9.5, 8, 7, 6, 4.5, 2, -2, -7, -11.5, -15, -17.5, -20.0]),
    ("mono", "tropospheric"): np.array([28, 27, 22, 16, 12, 9.5, 8, 7, 6, 4.5, 2, -2, -7, -11.5, -15, -17.5, -20.0]),
    ("stereo", "steady"): np.array([45, 51, 51, 45, 33, 24.5, 18, 11, 7, 4.5, 2, -2, -7, -11.5, -15, -17.5, -20.0]),
    ("stereo", "tropospheric"): np.array([37, 43, 43, 37, 25, 18, 14, 10, 7, 4.5, 2, -2, -7, -11.5, -15, -17.5,
                                          -20.0]),
}
_K_T0 = 1.380649e-23 * 290.0

#: Fixed rooftop reception, Rec. ITU-R BT.2036-5 Table 26 (antenna gain) and Table 27 (feeder loss)
#: as quoted in murzabaevb/dttb ``dvbt2.py``: band -> (edges [MHz], gain [dBd], feeder loss [dB]).
FIXED_ANTENNA_BY_BAND = {"III": ((174.0, 230.0), 7.0, 2.0), "IV": ((470.0, 582.0), 10.0, 3.0),
                         "V": ((582.0, 862.0), 12.0, 5.0)}


def reference_fixed_antenna(f_mhz: float) -> tuple[str, float, float]:
    """Band, antenna gain [dBd] and feeder loss [dB] of the fixed rooftop reference receiving
    installation, Rec. ITU-R BT.2036-5 Tables 26-27 (Band III 174-230, IV 470-582, V 582-862 MHz;
    outside the bands the nearest band's values: below 350 MHz Band III, 350-582 MHz Band IV,
    above 862 MHz Band V)."""
    f = float(check_range("f_mhz", f_mhz, 30.0, 4000.0, "MHz"))
    band = "III" if f < 350.0 else ("IV" if f < 582.0 else "V")
    _, g, lf = FIXED_ANTENNA_BY_BAND[band]
    return band, g, lf


@dataclass(frozen=True)
class System:
    """A broadcasting system's planning parameters (defaults: fixed rooftop reception).

    Attributes
    ----------
    name : str
    bw_khz : float
        Noise / occupied bandwidth. [kHz]
    cn_db : float
        Required carrier-to-noise ratio (digital). [dB]
    nf_db : float
        Receiver noise figure. [dB]
    g_dbd : float or None
        Receiving antenna gain; None: the fixed rooftop antenna of the frequency's band
        (:func:`reference_fixed_antenna`, BT.2036-5 Table 26). [dBd]
    feeder_db : float or None
        Feeder loss; None: BT.2036-5 Table 27 for the frequency's band. [dB]
    mmn_db : float
        Man-made noise allowance P_mmn. [dB]
    building_db : float
        Building entry loss (indoor reception). [dB]
    sigma_db : float
        Location variability of the wanted field (macro-scale, with building entry). [dB]
    pl : float
        Location probability planned for. [%]
    h2_m : float
        Receiving antenna height above ground. [m]
    pr_co_db, pr_adj_db, pr_far_db : float
        Protection ratios: co-channel, first adjacent channel, farther channels. [dB]
    channel_khz : float
        Channel raster (adjacent-channel spacing). [kHz]
    fm_reception : str
        FM only: "mono" or "stereo".
    environment : str
        FM only: "rural", "urban" or "large city" (BS.412 minimum field strength).
    """

    name: str
    bw_khz: float
    cn_db: float = 0.0
    nf_db: float = 7.0
    g_dbd: float | None = None
    feeder_db: float | None = None
    mmn_db: float = 0.0
    building_db: float = 0.0
    sigma_db: float = 5.5
    pl: float = 95.0
    h2_m: float = 10.0
    pr_co_db: float = 20.0
    pr_adj_db: float = -30.0
    pr_far_db: float = -40.0
    channel_khz: float = 8000.0
    fm_reception: str = "stereo"
    environment: str = "rural"


#: Presets (fixed rooftop reception). DVB-T: 8 MHz, 64-QAM rate 2/3, Ricean (C/N 21 dB, the value
#: usually quoted for GE06 RPC 1; not verified); DTMB: 8 MHz, 16-QAM rate 0.8 (C/N 16 dB, not
#: verified); antenna gain and feeder loss by band (BT.2036-5); sigma 5.5 dB (GE06 RPC 1/2, verified).
#: T-DAB: mobile at 1.5 m, -5 dBd (the Band III mobile gain of BT.2033-2 Table 30 as quoted), C/N
#: 15 dB, 1 dB man-made noise, 99 % (not verified). FM: BS.412 stereo, rural.
SYSTEMS = {
    "fm": System("fm", bw_khz=200.0, pl=50.0, sigma_db=8.3, pr_co_db=37.0, channel_khz=100.0),
    "dvb-t": System("dvb-t", bw_khz=7610.0, cn_db=21.0, pr_co_db=21.0, pr_adj_db=-30.0, pr_far_db=-40.0),
    "dtmb": System("dtmb", bw_khz=7560.0, cn_db=16.0, pr_co_db=16.0, pr_adj_db=-30.0, pr_far_db=-40.0),
    "dab": System("dab", bw_khz=1536.0, cn_db=15.0, g_dbd=-5.0, feeder_db=0.0, mmn_db=1.0, pl=99.0, h2_m=1.5,
                  pr_co_db=10.0, pr_adj_db=-30.0, pr_far_db=-40.0, channel_khz=1712.0),
}


def system(spec, **overrides) -> System:
    """A :class:`System` from a preset name ("fm", "dvb-t", "dtmb", "dab"), a System, or a dict."""
    if isinstance(spec, System):
        base = spec
    elif isinstance(spec, str):
        key = spec.strip().lower().replace("_", "-")
        key = {"dvbt": "dvb-t", "t-dab": "dab", "tdab": "dab", "dab+": "dab"}.get(key, key)
        if key not in SYSTEMS:
            raise ValueError(f"system = {spec!r} must be one of {', '.join(SYSTEMS)} (or a System / dict)")
        base = SYSTEMS[key]
    elif isinstance(spec, dict):
        d = dict(spec)
        base = system(d.pop("name", d.pop("system", "dvb-t")), **d)
        return base if not overrides else replace(base, **overrides)
    else:
        raise ValueError(f"system = {spec!r} must be a preset name, a System or a dict")
    unknown = set(overrides) - set(System.__dataclass_fields__)
    if unknown:
        raise ValueError(f"unknown system parameter(s) {sorted(unknown)}")
    s = replace(base, **overrides) if overrides else base
    if s.fm_reception not in ("mono", "stereo"):
        raise ValueError(f"fm_reception = {s.fm_reception!r} must be 'mono' or 'stereo'")
    if s.environment not in ("rural", "urban", "large city"):
        raise ValueError(f"environment = {s.environment!r} must be 'rural', 'urban' or 'large city'")
    check_range("pl", s.pl, 1.0, 99.0, "%")
    check_range("bw_khz", s.bw_khz, 1.0, 1e5, "kHz")
    return s


def location_correction_db(pl: float, sigma_db: float) -> float:
    """Location correction C_l = mu sigma with mu = Qi(1 - pl/100): margin over the median for pl % of
    locations, GE06 Annex 2 A.2.1.12 (Qi by Eqs. (26a)-(26d), the approximation of P.1546-6 Annex 5
    also used by :func:`spectrum.kernels.p1546.qi`). [dB]"""
    from ..kernels.p1546 import qi

    check_range("pl", pl, 1.0, 99.0, "%")
    return float(qi(1.0 - pl / 100.0) * sigma_db)


def min_field_strength_dbuvm(spec, f_mhz: float, *, median: bool = True, **overrides) -> float:
    """Minimum usable field strength at the receiving antenna, Rec. ITU-R BS.412-9 (FM) or the
    BT.1368 / GE06 link budget (digital), antenna and feeder by band from BT.2036-5. [dB(uV/m)]

    Parameters
    ----------
    spec : str, System or dict
        System (see :data:`SYSTEMS`).
    f_mhz : float
        Frequency (antenna aperture of digital systems). [MHz]
    median : bool
        Return the median minimum field strength for ``pl`` % of locations (E_min plus the
        man-made noise, building entry and location corrections); False: E_min only.
    **overrides
        System fields to change.
    """
    s = system(spec, **overrides)
    f = float(check_range("f_mhz", f_mhz, 30.0, 4000.0, "MHz"))
    if s.name == "fm":
        e = FM_EMIN_DBUVM[(s.fm_reception, s.environment)]
        return e + (location_correction_db(s.pl, s.sigma_db) if median and s.pl != 50.0 else 0.0)
    lam = 299.792458 / f
    _, g_ref, lf_ref = reference_fixed_antenna(f)
    g = g_ref if s.g_dbd is None else s.g_dbd
    lf = lf_ref if s.feeder_db is None else s.feeder_db
    aa = g + 2.15 + 10.0 * math.log10(lam * lam / (4.0 * math.pi))
    pn = s.nf_db + 10.0 * math.log10(_K_T0 * s.bw_khz * 1e3)
    emin = s.cn_db + pn - aa + lf + 120.0 + 10.0 * math.log10(120.0 * math.pi)
    if not median:
        return emin
    return emin + s.mmn_db + s.building_db + location_correction_db(s.pl, s.sigma_db)


def fm_protection_ratio_db(df_khz, reception: str = "stereo", kind: str = "tropospheric"):
    """FM radio-frequency protection ratio against the carrier spacing, Rec. ITU-R BS.412-9 Fig. 1 /
    Table 3 (linear between the 25 kHz points, -20 dB beyond 400 kHz). [dB]

    The 25 kHz points are checked against SMS4DC's coding of the same curves (see :data:`FM_PR_DB`)."""
    if (reception, kind) not in FM_PR_DB:
        raise ValueError(f"reception = {reception!r}, kind = {kind!r}: use mono|stereo, steady|tropospheric")
    return np.interp(np.abs(np.asarray(df_khz, dtype=float)), FM_SPACING_KHZ, FM_PR_DB[(reception, kind)])


def protection_ratio_db(victim, interferer=None, df_khz=0.0, *, kind: str = "tropospheric", **overrides):
    """Radio-frequency protection ratio of a wanted broadcast signal against one interferer. [dB]

    FM victims: BS.412-9 Fig. 1 / Table 3 (``kind`` steady or tropospheric). Digital victims: co-channel
    ratio of the victim's mode where the channels overlap fully, scaled by the overlapping bandwidth
    (10 log10 of the overlapping fraction of the victim's bandwidth) where they overlap in part, the
    first-adjacent ratio within one channel raster beyond, farther channels beyond that.

    Parameters
    ----------
    victim, interferer : str, System or dict
        Systems (the interferer's bandwidth; default the victim's).
    df_khz : array_like
        Centre-frequency offset interferer - victim. [kHz]
    """
    v = system(victim, **overrides)
    i = v if interferer is None else system(interferer)
    df = np.abs(np.asarray(df_khz, dtype=float))
    if v.name == "fm" and i.name == "fm":
        return fm_protection_ratio_db(df, v.fm_reception, kind)
    half = 0.5 * (v.bw_khz + i.bw_khz)
    lo = np.maximum(-0.5 * v.bw_khz, df - 0.5 * i.bw_khz)
    hi = np.minimum(0.5 * v.bw_khz, df + 0.5 * i.bw_khz)
    frac = np.clip((hi - lo) / v.bw_khz, 0.0, 1.0)
    with np.errstate(divide="ignore"):
        co = v.pr_co_db + 10.0 * np.log10(np.where(frac > 0, frac, 1.0))
    out = np.where(frac > 0, np.maximum(co, v.pr_adj_db),
                   np.where(df <= half + v.channel_khz * 0.5, v.pr_adj_db, v.pr_far_db))
    return out[()] if out.ndim == 0 else out
