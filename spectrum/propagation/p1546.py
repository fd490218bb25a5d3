"""Field strength and basic transmission loss by Rec. ITU-R P.1546-6 (30 MHz - 4 GHz, point-to-area).

Public functions:

* :func:`field_strength` -- Annex 6 Steps 1-20 for given path data (distance form, arrays of paths);
* :func:`basic_transmission_loss` -- the same, returning Lb (Annex 5 §17, Eq. (40));
* :func:`profile_inputs` -- the model inputs a terrain profile gives (heff / hb of §3, tca of §11,
  theta_eff1 of §4.3 a), land and sea lengths, terminal ground heights);
* :func:`field_strength_profile` -- :func:`profile_inputs` then :func:`field_strength`;
* :func:`designate_terminals` -- Annex 5 §1.1: which terminal is the transmitting/base one.

The curves (Figures 1-24) are read by :mod:`spectrum.propagation.p1546_curves`. The kernel is
:mod:`spectrum.kernels.p1546`; :mod:`spectrum.propagation.p1546_oracle` is the slow pure-Python
reading of the same text used to test it.

``compat="recommendation"`` (default) follows the text of the Recommendation; ``"reference"``
reproduces the WP 3K reference code (eeveetza/p1546 v6.2) where the two differ (docs/models.md).

References
----------
Rec. ITU-R P.1546-6 (08/2019), Method for point-to-area predictions for terrestrial services in
the frequency range 30 MHz to 4 000 MHz, Annexes 5 and 6.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .._validate import as_float_array, check_range
from ..kernels import p1546 as _k
from . import p1546_curves

__all__ = ["field_strength", "basic_transmission_loss", "profile_inputs", "field_strength_profile",
           "designate_terminals", "P1546Result", "AREAS", "REVISION", "INTERMEDIATES"]

REVISION = "ITU-R P.1546-6"
#: Receiving/mobile surroundings -> kernel code (Annex 5 §9, §12).
AREAS = {"sea": 0, "rural": 1, "open": 1, "suburban": 2, "urban": 3, "dense urban": 4, "dense_urban": 4}
#: Representative clutter height R by area (Annex 5 §9 examples; 10 m for sea and open areas). [m]
AREA_R_M = {0: 10.0, 1: 10.0, 2: 10.0, 3: 20.0, 4: 30.0}
#: P.1546 / SG3 coverage codes (1 sea, 2 open/rural, 3 suburban, 4 urban/trees/forest, 5 dense urban) -> area.
COVERAGE_AREA = {1: 0, 2: 1, 3: 2, 4: 3, 5: 4}
INTERMEDIATES = _k.INTER_NAMES
_AREA_R = np.array([AREA_R_M[i] for i in range(5)])
_COMPAT = {"recommendation": 0, "reference": 1}


@lru_cache(maxsize=1)
def _tables():
    t = np.ascontiguousarray(p1546_curves.load_table(), dtype=np.float64).copy()
    return t, p1546_curves.DISTANCES_KM.copy(), p1546_curves.HEIGHTS_M.copy()


@dataclass
class P1546Result:
    """Result of :func:`field_strength` (arrays shaped as the broadcast inputs).

    Attributes
    ----------
    e_dbuvm : ndarray
        Field strength for the given e.r.p. [dB(uV/m)]
    e_1kw_dbuvm : ndarray
        Field strength for 1 kW e.r.p. [dB(uV/m)]
    lb_db : ndarray
        Equivalent basic transmission loss, Eq. (40). [dB]
    inter : dict of ndarray
        Intermediate values by name (:data:`INTERMEDIATES`), as in the WP 3K log files.
    """

    e_dbuvm: np.ndarray
    e_1kw_dbuvm: np.ndarray
    lb_db: np.ndarray
    inter: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        out = {"e_dbuvm": self.e_dbuvm, "e_1kw_dbuvm": self.e_1kw_dbuvm, "lb_db": self.lb_db}
        out.update({k: v for k, v in self.inter.items() if k not in ("e_dbuvm", "lb_db")})
        return {k: (float(v) if np.ndim(v) == 0 else np.asarray(v).tolist()) for k, v in out.items()}


def _area_code(area) -> np.ndarray:
    if isinstance(area, str):
        key = area.strip().lower()
        if key not in AREAS:
            raise ValueError(f"area = {area!r} must be one of {', '.join(sorted(set(AREAS)))}")
        return np.array(AREAS[key], dtype=np.float64)
    a = np.asarray(area)
    if a.dtype.kind in "US":
        return np.vectorize(lambda s: float(_area_code(str(s))))(a).astype(np.float64)
    a = as_float_array("area", a)
    if not np.all(np.isin(a, [0, 1, 2, 3, 4])):
        raise ValueError(f"area = {a!r}: codes must be 0 sea, 1 rural, 2 suburban, 3 urban, 4 dense urban")
    return a


def _opt(name, v, nan_ok=True):
    if v is None:
        return np.array(np.nan)
    try:
        a = np.asarray(v, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} = {v!r} is not numeric") from exc
    if not nan_ok and np.isnan(a).any():
        raise ValueError(f"{name} = {v!r} contains NaN")
    if np.isinf(a).any():
        raise ValueError(f"{name} = {v!r} must be finite")
    return a


def field_strength(f_mhz, t, heff_m, h2_m, *, d_km=None, d_land_km=None, d_sea_km=None, area="rural",
                   r2_m=None, q=50.0, ha_m=None, hb_m=None, r1_m=None, tca_deg=None, eff1_deg=None,
                   eff2_deg=None, htter_m=None, hrter_m=None, sea="cold", terrain_info=False, wa_m=500.0,
                   erp_kw=1.0, n0=325.0, compat="recommendation") -> P1546Result:
    """Field strength exceeded at t % time and q % locations, Rec. ITU-R P.1546-6 Annex 6 Steps 1-20.

    Every numeric input broadcasts (a batch of paths runs in parallel in the kernel).

    Parameters
    ----------
    f_mhz : array_like
        Frequency, 30-4 000 MHz. [MHz]
    t : array_like
        Time percentage, 1-50 %. [%]
    heff_m : array_like
        Effective height of the transmitting/base antenna (Annex 5 §3: over the average ground
        3-15 km toward the receiver; for sea paths the height above the sea). [m]
    h2_m : array_like
        Receiving/mobile antenna height above ground (>= 1 m on land, >= 3 m adjacent to sea). [m]
    d_km : array_like, optional
        Horizontal path length (all land, or all sea with ``area="sea"`` and ``d_sea_km``). [km]
    d_land_km, d_sea_km : array_like, optional
        Land and sea(-and-coastal-land) lengths of a mixed path (Annex 5 §8); their sum is the
        path length (0.04-1 000 km; below 1 km by §15). [km]
    area : str or array_like
        Receiving surroundings: "sea" (adjacent to sea), "rural"/"open", "suburban", "urban",
        "dense urban" (or codes 0-4).
    r2_m : array_like, optional
        Representative clutter height at the receiver (§9); default by area (10, 10, 10, 20, 30 m).
    q : array_like
        Location percentage, 1-99 % (§12; applied to receivers adjacent to land). [%]
    ha_m : array_like, optional
        Transmitting/base antenna height above ground (§3.1.1, §10, §14, §15). [m]
    hb_m : array_like, optional
        Height above the terrain averaged 0.2 d to d (§3.1.2, d < 15 km, ``terrain_info``). [m]
    r1_m : array_like, optional
        Representative clutter height around the transmitting/base antenna (§10). [m]
    tca_deg : array_like, optional
        Terrain clearance angle at the receiver (§11; limited to 0.55-40 deg). [deg]
    eff1_deg, eff2_deg : array_like, optional
        Clearance angles at the transmitter (§4.3 a) and receiver for troposcatter (§13). [deg]
    htter_m, hrter_m : array_like, optional
        Terrain heights at the transmitter and receiver above sea level (§14 slope distance). [m]
    sea : {"cold", "warm"}
        Sea type of the sea curves (t < 50 %).
    terrain_info : bool
        Terrain information available (§3.1.2 h1 = hb; §12 sigma_L from ``wa_m``).
    wa_m : float
        Width of the square area of the location variability (§12, Eq. (34)). [m]
    erp_kw : array_like
        E.r.p. of the transmitter. [kW]
    n0 : float
        Sea-level surface refractivity of §13. [N-units]
    compat : {"recommendation", "reference"}
        Follow the Recommendation's text, or reproduce the WP 3K reference code (docs/models.md).

    Returns
    -------
    P1546Result

    References
    ----------
    Rec. ITU-R P.1546-6 (08/2019), Annex 5 and Annex 6.
    """
    if compat not in _COMPAT:
        raise ValueError(f"compat = {compat!r} must be 'recommendation' or 'reference'")
    if sea not in ("cold", "warm"):
        raise ValueError(f"sea = {sea!r} must be 'cold' or 'warm'")
    f = check_range("f_mhz", f_mhz, 30.0, 4000.0, "MHz", REVISION)
    tt = check_range("t", t, 1.0, 50.0, "%", REVISION)
    qq = check_range("q", q, 1.0, 99.0, "%", REVISION)
    heff = _opt("heff_m", heff_m, nan_ok=False)
    h2 = _opt("h2_m", h2_m, nan_ok=False)
    if d_km is not None and (d_land_km is not None or d_sea_km is not None):
        raise ValueError("give d_km, or d_land_km / d_sea_km, not both")
    if d_km is not None:
        dl = check_range("d_km", d_km, 0.0, 1000.0, "km", REVISION, lo_open=True)
        ac = _area_code(area)
        dl = np.asarray(dl, dtype=np.float64)
        ds = np.zeros_like(dl)
    else:
        dl = np.asarray(0.0 if d_land_km is None else check_range("d_land_km", d_land_km, 0.0, 1000.0, "km"),
                        dtype=np.float64)
        ds = np.asarray(0.0 if d_sea_km is None else check_range("d_sea_km", d_sea_km, 0.0, 1000.0, "km"),
                        dtype=np.float64)
        ac = _area_code(area)
        tot = np.asarray(dl + ds)
        if np.any(tot <= 0.0) or np.any(tot > 1000.0):
            raise ValueError(f"path length d_land_km + d_sea_km = {tot!r} must be in (0, 1000] km ({REVISION})")
    r2 = _opt("r2_m", r2_m) if r2_m is not None else None
    ha, hb, r1 = _opt("ha_m", ha_m), _opt("hb_m", hb_m), _opt("r1_m", r1_m)
    tca, e1, e2 = _opt("tca_deg", tca_deg), _opt("eff1_deg", eff1_deg), _opt("eff2_deg", eff2_deg)
    htt, hrt = _opt("htter_m", htter_m), _opt("hrter_m", hrter_m)
    erp = as_float_array("erp_kw", erp_kw)
    if np.any(~(erp > 0)) or np.any(~np.isfinite(erp)):
        raise ValueError(f"erp_kw = {erp_kw!r} must be positive and finite")
    wa = check_range("wa_m", wa_m, 1.0, 100000.0, "m")
    check_range("n0", n0, 150.0, 500.0, "N-units")
    ins = [f, tt, qq, heff, ha, hb, h2, r1, ac, dl, ds, tca, e1, e2, htt, hrt, erp, np.nan if r2 is None else r2]
    shape = np.broadcast_shapes(*(np.shape(x) for x in ins))
    if shape == ():  # one path: no broadcasting machinery
        flat = [np.array([float(x)]) for x in ins]
    else:
        flat = [np.array(np.broadcast_to(np.asarray(x, dtype=np.float64), shape), copy=True).ravel() for x in ins]
    f_, t_, q_, heff_, ha_, hb_, h2_, r1_, a_, dl_, ds_, tca_, e1_, e2_, htt_, hrt_, erp_, r2_ = flat
    r2_ = np.where(np.isnan(r2_), _AREA_R[a_.astype(np.int64)], r2_)
    if np.any(h2_ < 1.0):
        raise ValueError(f"h2_m = {h2_m!r}: the receiving antenna must be at least 1 m above ground ({REVISION} §9)")
    if np.any((a_ == 0) & (h2_ < 3.0)):
        raise ValueError(f"h2_m = {h2_m!r}: a receiving antenna adjacent to sea must be at least 3 m high "
                         f"({REVISION} §9)")
    sea_only = dl_ == 0.0
    h1_sea = np.where(sea_only, heff_, np.inf)
    if np.any(h1_sea < 1.0):
        raise ValueError(f"heff_m = {heff_m!r}: on a sea path h1 (the height above the sea) must be at least 1 m "
                         f"({REVISION} Annex 5 §3.3)")
    if np.any(heff_ > 3000.0):
        raise ValueError(f"heff_m = {heff_m!r} must be at most 3000 m ({REVISION})")
    if np.any(h2_ > 3000.0):
        raise ValueError(f"h2_m = {h2_m!r} must be at most 3000 m ({REVISION})")
    for nm, v, raw in (("r1_m", r1_, r1_m), ("r2_m", r2_, r2_m)):
        if np.any((v < 0.0) | (v > 1000.0)):  # NaN (not given) passes
            raise ValueError(f"{nm} = {raw!r}: a clutter height must be in [0, 1000] m")
    if np.any(np.abs(tca_) > 90.0):
        raise ValueError(f"tca_deg = {tca_deg!r}: an elevation angle must be in [-90, 90] deg")
    if np.any((dl_ + ds_ < 1.0) & np.isnan(ha_)):
        raise ValueError(f"ha_m is required for paths shorter than 1 km (slope distance of {REVISION} Annex 5 §15)")
    n = f_.size
    table, dist, hgt = _tables()
    e = np.empty(n)
    inter = np.empty((n, _k.N_INTER))
    ones = np.ones(n)
    kern = _k.field_strength_batch if n > 64 else _k.field_strength_serial
    kern(table, dist, hgt, f_, t_, q_, heff_, ha_, hb_, h2_, r1_, r2_, a_, dl_, ds_,
         ones * (1.0 if sea == "warm" else 0.0), ones * (1.0 if terrain_info else 0.0), ones * float(wa),
         tca_, e1_, e2_, htt_, hrt_, ones * float(n0), _COMPAT[compat], e, inter)
    if np.isnan(e).any():
        i = int(np.argmax(np.isnan(e)))
        raise ValueError(f"h1 = {inter[i, 0]:g} m on the sea part of a mixed path: below 1 m the sea curves are "
                         f"undefined ({REVISION} Annex 5 §3.3; compat='recommendation' uses 3 m)")
    lb = inter[:, 14]
    e_erp = e + 10.0 * np.log10(erp_)

    def shaped(x):
        x = x.reshape(shape)
        return x[()] if x.ndim == 0 else x

    return P1546Result(shaped(e_erp), shaped(e), shaped(lb),
                       {name: shaped(inter[:, i]) for i, name in enumerate(_k.INTER_NAMES)})


def basic_transmission_loss(f_mhz, t, heff_m, h2_m, **kw):
    """Equivalent basic transmission loss, Rec. ITU-R P.1546-6 Annex 5 §17 Eq. (40). [dB]

    Lb = 139.3 - E + 20 log10 f with E the field strength for 1 kW e.r.p. of
    :func:`field_strength` (same parameters; ``erp_kw`` is ignored).
    """
    kw.pop("erp_kw", None)
    return field_strength(f_mhz, t, heff_m, h2_m, **kw).lb_db


# --------------------------------------------------------------------------------------------
# terrain profile
# --------------------------------------------------------------------------------------------

def _trapezoid_mean(x, h):
    return float(np.sum((h[1:] + h[:-1]) * np.diff(x)) / 2.0 / (x[-1] - x[0]))


def _mean_height(x, h, lo, hi):
    """Mean terrain height between lo and hi km: trapezoid over the samples inside [lo, hi] (as
    the WP 3K reference does); with fewer than two samples inside, the linearly interpolated
    profile is averaged over [lo, hi] exactly."""
    m = (x >= lo) & (x <= hi)
    if m.sum() >= 2:
        return _trapezoid_mean(x[m], h[m])
    xs = np.concatenate(([lo], x[(x > lo) & (x < hi)], [hi]))
    if xs[-1] <= xs[0]:
        return float(np.interp(lo, x, h))
    return _trapezoid_mean(xs, np.interp(xs, x, h))


def profile_inputs(d_km, h_m, ha_m, h2_m, *, zone=None) -> dict:
    """P.1546-6 model inputs from a terrain profile (transmitting/base terminal at ``d_km[0]``).

    * ``heff_m``: antenna height over the mean terrain 3-15 km toward the receiver (§3.2), or,
      for paths under 15 km, over the mean terrain 0.2 d to d (``hb_m`` of §3.1.2, also returned
      as ``heff_m``);
    * ``tca_deg``: elevation of the line from the receiving antenna clearing all terrain up to
      16 km toward the transmitter, not beyond it (§11, Eq. (31); not yet limited);
    * ``eff1_deg``: the same from the transmitting antenna up to 15 km (§4.3 a), used by §13);
    * ``d_land_km``, ``d_sea_km``: lengths with zone 1 (sea) or 3 (coastal land) counted as
      "sea and coastal land" of §8 (each sample weighs half its neighbouring intervals);
    * ``htter_m``, ``hrter_m``: terrain heights at the two ends (§14).

    Parameters
    ----------
    d_km, h_m : array_like
        Distances from the transmitter [km] (increasing) and terrain heights [m].
    ha_m, h2_m : float
        Antenna heights above ground at the transmitting and receiving end. [m]
    zone : array_like, optional
        Radio-meteorological code per sample (1 sea, 3 coastal land, 4 inland); default inland.

    Returns
    -------
    dict
    """
    x = as_float_array("d_km", d_km).ravel()
    h = as_float_array("h_m", h_m).ravel()
    if x.size < 2 or x.size != h.size:
        raise ValueError(f"d_km and h_m must be profiles of the same length >= 2 (got {x.size}, {h.size})")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(h))):
        raise ValueError("d_km and h_m must be finite (a NaN or infinite terrain height)")
    if np.any(np.diff(x) <= 0):
        raise ValueError("d_km must be strictly increasing")
    if np.any(np.abs(h) > 9000.0):
        raise ValueError(f"h_m has an implausible terrain height {h[np.argmax(np.abs(h))]:g} m (|h| <= 9000 m)")
    x = x - x[0]
    d = float(x[-1])
    if d > 1000.0:
        raise ValueError(f"the profile is {d:g} km long; {REVISION} covers paths up to 1000 km")
    if not (np.any((d - x[:-1]) <= 16.0) and np.any(x[1:] <= 15.0)):
        raise ValueError(f"the profile's spacing ({float(np.max(np.diff(x))):g} km) is too coarse: {REVISION} "
                         "needs terrain samples within 15 km of the transmitter and 16 km of the receiver "
                         "(clearance angles, §4.3 and §11)")
    ha = float(ha_m)
    h2 = float(h2_m)
    if d >= 15.0:
        hav = _mean_height(x, h, 3.0, 15.0)
    else:
        hav = _mean_height(x, h, 0.2 * d, d)
    heff = ha + h[0] - hav
    m = (d - x[:-1]) <= 16.0
    tca = float(np.max(np.degrees(np.arctan((h[:-1][m] - h2 - h[-1]) / (1000.0 * (d - x[:-1][m]))))))
    m = x[1:] <= 15.0
    eff1 = float(np.max(np.degrees(np.arctan((h[1:][m] - ha - h[0]) / (1000.0 * x[1:][m])))))
    if zone is None:
        d_sea = 0.0
    else:
        z = as_float_array("zone", zone).ravel()
        if z.size != x.size:
            raise ValueError(f"zone has {z.size} codes for {x.size} profile points")
        bad = ~np.isin(z, (1.0, 3.0, 4.0))
        if np.any(bad):  # a code 7 (or P.452's 2) was silently inland
            raise ValueError(f"zone[{int(np.argmax(bad))}] = {z[bad][0]:g} is not a zone code "
                             "(1 sea, 3 coastal land, 4 inland)")
        w = np.empty_like(x)
        w[0] = (x[1] - x[0]) / 2.0
        w[-1] = (x[-1] - x[-2]) / 2.0
        w[1:-1] = (x[2:] - x[:-2]) / 2.0
        d_sea = float(np.sum(w[(z == 1) | (z == 3)]))
    return {"d_km": d, "heff_m": heff, "hb_m": heff if d < 15.0 else float("nan"), "tca_deg": tca,
            "eff1_deg": eff1, "d_land_km": d - d_sea, "d_sea_km": d_sea, "htter_m": float(h[0]),
            "hrter_m": float(h[-1])}


def designate_terminals(h_a_m: float, r_a_m: float, h_b_m: float, r_b_m: float, heff_a_m: float,
                        heff_b_m: float) -> bool:
    """Whether terminal A is the transmitting/base terminal, Rec. ITU-R P.1546-6 Annex 5 §1.1.

    * Both terminals at or below the clutter around them: the one higher above ground;
    * only one at or below its clutter: that one is the receiving/mobile terminal;
    * both above their clutter: the one with the greater effective height.

    Parameters
    ----------
    h_a_m, h_b_m : float
        Antenna heights above ground. [m]
    r_a_m, r_b_m : float
        Representative clutter heights around each terminal (0 for none). [m]
    heff_a_m, heff_b_m : float
        Effective heights of each terminal when taken as transmitting/base (§3). [m]
    """
    below_a = h_a_m <= r_a_m
    below_b = h_b_m <= r_b_m
    if below_a and below_b:
        return h_a_m >= h_b_m
    if below_a != below_b:
        return below_b
    return heff_a_m >= heff_b_m


def field_strength_profile(d_km, h_m, f_mhz, t, ha_m, h2_m, *, zone=None, area="rural", r1_m=None, r2_m=None,
                           designate=False, area_tx=None, **kw) -> P1546Result:
    """P.1546-6 field strength over a terrain profile: :func:`profile_inputs` then :func:`field_strength`
    with terrain information (h1 = hb below 15 km, the clearance angles, slope distance).

    Parameters
    ----------
    d_km, h_m, zone : array_like
        Terrain profile from terminal A (``ha_m``) to terminal B (``h2_m``) (see :func:`profile_inputs`).
    f_mhz, t, ha_m, h2_m, area, r1_m, r2_m, **kw
        As :func:`field_strength` (``q``, ``sea``, ``wa_m``, ``erp_kw``, ``compat`` ...).
    designate : bool
        Apply Annex 5 §1.1 (:func:`designate_terminals`) with the clutter heights ``r1_m`` / ``r2_m``
        (0 if not given): when B is the transmitting/base terminal the profile is reversed, the
        antenna heights, clutter heights and surroundings (``area`` <-> ``area_tx``) swapped.
        By default A is the transmitting/base terminal as given.
    area_tx : str, optional
        Surroundings of terminal A, used as the receiver's when ``designate`` swaps the terminals
        (default: ``area``).
    """
    if designate:
        x = as_float_array("d_km", d_km).ravel()
        h = as_float_array("h_m", h_m).ravel()
        fwd = profile_inputs(x, h, ha_m, h2_m, zone=zone)
        rev = profile_inputs(x[-1] - x[::-1], h[::-1], h2_m, ha_m, zone=None if zone is None else
                             np.asarray(zone)[::-1])
        ra = 0.0 if r1_m is None else float(r1_m)
        rb = 0.0 if r2_m is None else float(r2_m)
        if not designate_terminals(float(ha_m), ra, float(h2_m), rb, fwd["heff_m"], rev["heff_m"]):
            return field_strength_profile(x[-1] - x[::-1], h[::-1], f_mhz, t, h2_m, ha_m,
                                          zone=None if zone is None else np.asarray(zone)[::-1],
                                          area=area if area_tx is None else area_tx, r1_m=r2_m, r2_m=r1_m, **kw)
    g = profile_inputs(d_km, h_m, ha_m, h2_m, zone=zone)
    if area in ("sea", 0) and g["d_land_km"] > 0.0 and g["d_sea_km"] == 0.0 and zone is None:
        g["d_land_km"], g["d_sea_km"] = 0.0, g["d_land_km"]  # no zone information: an all-sea path
    return field_strength(f_mhz, t, g["heff_m"], h2_m, d_land_km=g["d_land_km"], d_sea_km=g["d_sea_km"],
                          area=area, r2_m=r2_m, ha_m=ha_m, hb_m=g["hb_m"], r1_m=r1_m, tca_deg=g["tca_deg"],
                          eff1_deg=g["eff1_deg"], eff2_deg=g["tca_deg"], htter_m=g["htter_m"],
                          hrter_m=g["hrter_m"], terrain_info=True, **kw)


def _dbw_to_kw(erp_dbw):
    return 10.0 ** (np.asarray(erp_dbw, dtype=float) / 10.0) / 1000.0


def kw_from_dbw(erp_dbw):
    """E.r.p. in kW from dBW."""
    return _dbw_to_kw(erp_dbw)

