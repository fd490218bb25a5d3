"""Wide-range terrestrial propagation, Rec. ITU-R P.2001-4 (30 MHz-50 GHz, 0.00001-99.99999 % of time).

Basic transmission loss not exceeded for p % of an average year between two terminals
on the surface of the Earth, from a terrain profile with radio-climatic zones:
diffraction (Attachment A: Bullington on the actual and a smooth profile, combined
with spherical-Earth diffraction), clear-air and rain/wet-snow fading (Attachments B, C,
I), anomalous propagation / ducting (Attachment D), troposcatter (Attachment E),
gaseous absorption (Attachment F), sporadic-E (Attachment G), combined as in §5.

Climate inputs. P.2001 takes many values from ITU-R digital maps, most of which may not
be redistributed and are not shipped by any package we may use. Every map value is
therefore an input:

* ``nd1km50`` (DN_Median at the path mid-point, sign changed, Eq. (3.4.1.1)) and either
  ``nd1kmp`` per (f, p) case or the slopes ``dn_sup`` / ``dn_sub`` (DN_SupSlope,
  DN_SubSlope) from which Eq. (3.4.1.2) gives it (:func:`nd1kmp_from_slopes`);
* ``nd65m1`` (dndz_01 at the mid-point); ``wvsur_mid_gm3``, ``wvsur_tx_gm3``,
  ``wvsur_rx_gm3`` (surfwv_50_fixed at the mid-point and the terminals);
  ``ztropo`` (TropoClim zone, §E.2, after the terminal rule for a common volume at sea);
* ``foes1_mhz`` / ``foes2_mhz`` per case: FoEs for one hop (mid-point) and two hops
  (lower of the quarter points) at p %, Eq. (G.1.1) (:func:`foes_from_maps`);
* the rain parameters Mt, beta, Pr6 (P.837-5 maps) and h0 (P.839) at the path
  mid-point and at the mid-points of the Tx- and Rx-to-common-volume segments: given as
  ``mt_mm``, ``beta``, ``pr6_pct``, ``h0_km`` (shape ``(..., 3)``), or read from the
  ``itur`` package's copies through :mod:`spectrum.propagation.maps` (extra ``[maps]``) at
  the points :meth:`P2001Path.rain_points` returns.

Kernels: :mod:`spectrum.kernels.p2001` (+ ``p2001_geometry``, ``p2001_fading``,
``p2001_mechanisms``); geometry split from the (f, p) losses.

References
----------
Rec. ITU-R P.2001-4 (09/2021), A general purpose wide-range terrestrial propagation model
in the frequency range 30 MHz to 50 GHz. Rec. ITU-R P.526-16 §4.5. Rec. ITU-R P.838-3.
Rec. ITU-R P.837-5 and P.839-4 (maps).
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from .._validate import check_finite, check_positive, check_range
from ..kernels import p2001 as _k
from ..kernels import p2001_geometry as _g
from .p452 import padded_profiles, pol_code

__all__ = ["P2001Result", "P2001Path", "basic_transmission_loss", "prepare_path", "nd1kmp_from_slopes",
           "foes_from_maps", "basic_transmission_loss_typical_climate", "TYPICAL_CLIMATE", "F_GHZ_RANGE", "P_RANGE", "MIN_POINTS", "LOSS_FIELDS", "GEOM_FIELDS"]

F_GHZ_RANGE = (0.03, 50.0)
P_RANGE = (0.00001, 99.99999)
MIN_POINTS = 3
ZONE_CODES = (1.0, 3.0, 4.0)
#: batches smaller than this run serially (waking the thread pool costs more than it saves)
PARALLEL_MIN_PATHS = 16

#: result name -> kernel slot, (f, p)-dependent values (dB unless the name says otherwise)
LOSS_FIELDS = {
    "lb": _k.L_LB, "tpcp": _k.L_TPCP, "tpcq": _k.L_TPCQ, "cp_per_km": _k.L_CP, "reffp_km": _k.L_REFFP,
    "wave_m": _k.L_WAVE, "nd1kmp": _k.L_ND1KMP, "lbfs": _k.L_LBFS, "ld": _k.L_LD, "ldsph": _k.L_LDSPH,
    "ldba": _k.L_LDBA, "ldbs": _k.L_LDBS, "ldbka": _k.L_LDBKA, "ldbks": _k.L_LDBKS, "flag_los_pa": _k.L_FLAGLOSPA,
    "flag_los_ps": _k.L_FLAGLOSPS, "q0ca": _k.L_QOCA, "a1": _k.L_A1, "fwvr": _k.L_FWVR, "lbm1": _k.L_LBM1,
    "lba": _k.L_LBA, "aac": _k.L_AAC, "aad": _k.L_AAD, "aat": _k.L_AAT, "lbm2": _k.L_LBM2, "lbs": _k.L_LBS,
    "theta_s_mrad": _k.L_THETAS, "a2t": _k.L_A2T, "a2r": _k.L_A2R, "fwvr_t": _k.L_FWVRT, "fwvr_r": _k.L_FWVRR,
    "a2": _k.L_A2, "aos": _k.L_AOS, "aws": _k.L_AWS, "awrs": _k.L_AWRS, "aotcv": _k.L_AOTCV, "awtcv": _k.L_AWTCV,
    "awrtcv": _k.L_AWRTCV, "aorcv": _k.L_AORCV, "awrcv": _k.L_AWRCV, "awrrcv": _k.L_AWRRCV, "ags": _k.L_AGS,
    "lbm3": _k.L_LBM3, "lbm4": _k.L_LBM4, "lbes1": _k.L_LBES1, "lbes2": _k.L_LBES2, "lp1t": _k.L_LP1T,
    "lp1r": _k.L_LP1R, "lp2t": _k.L_LP2T, "lp2r": _k.L_LP2R, "gamma1": _k.L_GAM1, "gamma2": _k.L_GAM2,
    "aosur": _k.L_AOSUR, "awsur": _k.L_AWSUR, "awrsur": _k.L_AWRSUR, "agsur": _k.L_AGSUR,
    "gamma_o_db_per_km": _k.L_GAMO, "gamma_w_db_per_km": _k.L_GAMW, "gamma_wr_db_per_km": _k.L_GAMWR,
    "lbm12": _k.L_LBM12,
}
#: result name -> geometry slot (f- and p-independent)
GEOM_FIELDS = {
    "d_km": _g.G_DT, "hts_m": _g.G_HTS, "hrs_m": _g.G_HRS, "h1_m": _g.G_H1, "hn_m": _g.G_HN, "hmid_m": _g.G_HMID,
    "hhi_m": _g.G_HHI, "hlo_m": _g.G_HLO, "sp_mrad": _g.G_SP, "omega": _g.G_OMEGA, "flag_sea": _g.G_FLAGSEA,
    "lon_mid": _g.G_PHIME, "lat_mid": _g.G_PHIMN, "bearing_deg": _g.G_BT2R, "dgc_km": _g.G_DGC,
    "reff50_km": _g.G_REFF50, "theta_e_rad": _g.G_THETAE, "theta_t_mrad": _g.G_THETAT,
    "theta_r_mrad": _g.G_THETAR, "theta_tpos_mrad": _g.G_THETATPOS, "theta_rpos_mrad": _g.G_THETARPOS,
    "dlt_km": _g.G_DLT, "dlr_km": _g.G_DLR, "ilt": _g.G_ILT, "ilr": _g.G_ILR, "hstip_m": _g.G_HSTIP,
    "hsrip_m": _g.G_HSRIP, "hstipa_m": _g.G_HSTIPA, "hsripa_m": _g.G_HSRIPA, "htea_m": _g.G_HTEA,
    "hrea_m": _g.G_HREA, "mses": _g.G_MSES, "hm_m": _g.G_HM, "hst_m": _g.G_HST, "hsr_m": _g.G_HSR,
    "htep_m": _g.G_HTEP, "hrep_m": _g.G_HREP, "flag_los50": _g.G_FLAGLOS50, "dtcv_km": _g.G_DTCV,
    "drcv_km": _g.G_DRCV, "lon_cv": _g.G_PHICVE, "lat_cv": _g.G_PHICVN, "hcv_m": _g.G_HCV,
    "lon_tcv": _g.G_PHITCVE, "lat_tcv": _g.G_PHITCVN, "lon_rcv": _g.G_PHIRCVE, "lat_rcv": _g.G_PHIRCVN,
    "dct_km": _g.G_DCT, "dcr_km": _g.G_DCR, "dtm_km": _g.G_DTM, "dlm_km": _g.G_DLM, "lon_1q": _g.G_PHI1QE,
    "lat_1q": _g.G_PHI1QN, "lon_3q": _g.G_PHI3QE, "lat_3q": _g.G_PHI3QN, "flag_short": _g.G_FLAGSHORT,
}


class P2001Result:
    """Basic transmission loss ``lb`` and every intermediate of P.2001-4, as attributes.

    Loss / per-case fields (:data:`LOSS_FIELDS`): ``lb`` (Eq. (5.2.1)), ``lbm1``-``lbm4``
    (sub-models, Eqs. (4.1.4), (4.2.1), (4.3.8), (4.4.1)), ``lbm12`` (Eq. (5.1.1)), ``lbfs``,
    diffraction ``ld, ldsph, ldba, ldbs, ldbka, ldbks``, fading ``a1, a2, a2t, a2r, q0ca,
    fwvr*``, anomalous ``lba, aac, aad, aat``, troposcatter ``lbs, theta_s_mrad``, sporadic-E
    ``lbes1, lbes2, lp*, gamma1, gamma2``, gases ``ag*, ao*, aw*`` and ``tpcp, tpcq,
    cp_per_km, reffp_km, wave_m, nd1kmp``; geometry fields (:data:`GEOM_FIELDS`) such as
    ``d_km, theta_t_mrad, dlt_km, htep_m, omega, dtcv_km``.
    Floats for one path and scalar (f, p); arrays of the case shape otherwise. Values are
    taken from the kernel output when first read.
    """

    __slots__ = ("_res", "_geom")

    def __init__(self, res: np.ndarray, geom: np.ndarray):
        self._res = res
        self._geom = geom

    def __getattr__(self, name):
        i = LOSS_FIELDS.get(name)
        if i is not None:
            return _conv(self._res[..., i])
        i = GEOM_FIELDS.get(name)
        if i is not None:
            return _conv(self._geom[..., i])
        raise AttributeError(f"P2001Result has no field {name!r}")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(LOSS_FIELDS) | set(GEOM_FIELDS))

    def keys(self):
        """Names of all fields."""
        return list(LOSS_FIELDS) + list(GEOM_FIELDS)

    def to_dict(self) -> dict:
        """Plain dict (numbers and lists), e.g. for JSON."""
        out = {}
        for k in self.keys():
            v = getattr(self, k)
            out[k] = v.tolist() if isinstance(v, np.ndarray) else v
        return out


def nd1kmp_from_slopes(p, nd1km50, dn_sup, dn_sub):
    """Refractivity gradient not exceeded for p % time, Rec. ITU-R P.2001-4 Eq. (3.4.1.2). [N-units/km]

    Parameters
    ----------
    p : float or array_like
        Time percentage (limited internally as Eq. (3.1.1)). [%]
    nd1km50 : float or array_like
        Median gradient, Eq. (3.4.1.1). [N-units/km]
    dn_sup, dn_sub : float or array_like
        DN_SupSlope and DN_SubSlope map values at the path mid-point.
    """
    pp = check_range("p", p, *P_RANGE, "%", "P.2001-4")
    pl = pp + 0.00001 * (50.0 - pp) / 50.0  # (3.1.1)
    ql = 100.0 - pl
    n50 = check_finite("nd1km50", nd1km50)
    sup = check_finite("dn_sup", dn_sup)
    sub = check_finite("dn_sub", dn_sub)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(pl < 50.0, n50 + sup * np.log10(0.02 * pl), n50 - sub * np.log10(0.02 * ql))  # (3.4.1.2)
    return float(out) if out.ndim == 0 else out


def foes_from_maps(p, foes_0p1, foes_1, foes_10, foes_50):
    """FoEs at p % time from the FoEs0.1/01/10/50 map values, Rec. ITU-R P.2001-4 Eq. (G.1.1). [MHz]

    Log-interpolation between the two maps that bracket p (0.1-1 % below 1 %, 10-50 %
    above 10 %, else 1-10 %), extrapolated beyond 0.1 % and 50 %. For one hop use the
    mid-point values; for two hops take the lower of the quarter-point results.
    """
    pp = check_range("p", p, *P_RANGE, "%", "P.2001-4")
    pl = pp + 0.00001 * (50.0 - pp) / 50.0
    f01, f1, f10, f50 = (check_positive(nm, v, "MHz") for nm, v in
                         (("foes_0p1", foes_0p1), ("foes_1", foes_1), ("foes_10", foes_10), ("foes_50", foes_50)))
    f01, f1, f10, f50 = np.broadcast_arrays(f01, f1, f10, f50)
    if np.any((f01 < f1) | (f1 < f10) | (f10 < f50)):  # exceeded for more of the time: never higher
        raise ValueError(f"FoEs map values must not increase with p: foes_0p1 >= foes_1 >= foes_10 >= foes_50, "
                         f"got {f01.ravel()[0]:g}, {f1.ravel()[0]:g}, {f10.ravel()[0]:g}, {f50.ravel()[0]:g} MHz "
                         "(swapped order?)")
    lo_p = np.where(pl < 1.0, 0.1, np.where(pl > 10.0, 10.0, 1.0))
    hi_p = np.where(pl < 1.0, 1.0, np.where(pl > 10.0, 50.0, 10.0))
    lo_v = np.where(pl < 1.0, f01, np.where(pl > 10.0, f10, f1))
    hi_v = np.where(pl < 1.0, f1, np.where(pl > 10.0, f50, f10))
    out = lo_v + (hi_v - lo_v) * np.log10(pl / lo_p) / np.log10(hi_p / lo_p)  # (G.1.1)
    if np.any(out <= 0.0):  # the extrapolation beyond 50 % (or 0.1 %) can cross zero
        k = np.argwhere(np.asarray(out) <= 0.0)[0] if np.ndim(out) else ()
        raise ValueError(f"FoEs at p = {float(np.asarray(pp)[tuple(k)] if np.ndim(pp) else pp):g} % extrapolated by "
                         f"Eq. (G.1.1) from the maps is {float(np.asarray(out)[tuple(k)]):.3g} MHz (not positive): "
                         "give --foes1/--foes2 for such time percentages")
    return float(out) if np.ndim(out) == 0 else out


# --------------------------------------------------------------------------- input handling
def _scalar_ok(v, lo, hi, positive, allow_zero, lo_open, hi_open):
    if not math.isfinite(v):
        return False
    if positive:
        return v >= 0.0 if allow_zero else v > 0.0
    if lo is None:
        return True
    return (v > lo if lo_open else v >= lo) and (v < hi if hi_open else v <= hi)


def _per(name, value, shape, *, lo=None, hi=None, unit="", positive=False, allow_zero=False, lo_open=False,
         hi_open=False):
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        v = float(value)
        if _scalar_ok(v, lo, hi, positive, allow_zero, lo_open, hi_open):  # fast path; else the full message below
            return np.full(shape, v)
    if positive:
        a = check_positive(name, check_finite(name, value, unit), unit, allow_zero=allow_zero)
    elif lo is not None:
        a = check_range(name, check_finite(name, value, unit), lo, hi, unit, "P.2001-4", lo_open=lo_open,
                        hi_open=hi_open)
    else:
        a = check_finite(name, value, unit)
    try:
        return np.ascontiguousarray(np.broadcast_to(a, shape), dtype=np.float64)
    except ValueError:
        raise ValueError(f"{name} has shape {a.shape}; expected a scalar or shape {shape}") from None


def _case(name, value, lo, hi, unit, lo_open=False):
    """A per-case input as a float64 array (0-d for a scalar), checked finite and in range."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        v = float(value)
        if math.isfinite(v) and (v > lo if lo_open else v >= lo) and v <= hi:
            return np.array(v)
    a = check_finite(name, value, unit)
    if lo_open and hi == math.inf:
        return check_positive(name, a, unit)
    return check_range(name, a, lo, hi, unit, "P.2001-4", lo_open=lo_open)


def _profiles(d_km, h_m, zone, n):
    d, single, d2, nn = padded_profiles(d_km, n)
    h2 = np.atleast_2d(np.asarray(h_m, dtype=np.float64))
    z2 = np.atleast_2d(np.asarray(zone, dtype=np.float64))
    for nm, a in (("h_m", h2), ("zone", z2)):
        if a.shape != d2.shape:
            raise ValueError(f"{nm} has shape {a.shape[1:] if single else a.shape}; expected the shape of d_km "
                             f"{d.shape}")
    npath = d2.shape[0]
    d2, h2, z2 = (np.ascontiguousarray(a) for a in (d2, h2, z2))
    for k in range(npath):
        nm = "profile" if single else f"path {k}"
        m = int(nn[k])
        if m < MIN_POINTS:
            raise ValueError(f"{nm}: the profile has {m} points; P.2001-4 needs at least {MIN_POINTS}")
        code, i = _g.profile_check(d2[k], h2[k], z2[k], m)
        if code:
            dv, hv, zv = d2[k], h2[k], z2[k]
            raise ValueError(nm + ": " + {
                1: f"d_km[{i}] = {dv[i]:g} must be finite [km]",
                2: f"h_m[{i}] = {hv[i]:g} must be finite [m]",
                3: f"d_km[0] = {dv[0]:g} must be 0 (distance from the transmitter)",
                4: f"d_km must be strictly increasing (d_km[{i}] = {dv[i]:g} after d_km[{i - 1}] = {dv[i - 1]:g})",
                5: f"h_m[{i}] = {hv[i]:g} is not a terrain height on Earth [-9000, 9000] m",
                6: f"zone[{i}] = {zv[i]:g} is not a zone code (1 sea, 3 coastal land, 4 inland)"}[code])
    return single, d2, h2, z2, nn


def _conv(a):
    a = np.asarray(a)
    return float(a) if a.ndim == 0 else np.ascontiguousarray(a)


class P2001Path:
    """Prepared path(s): the frequency- and time-independent geometry (§3.2-§3.9), computed once.

    Build with :func:`prepare_path`; call :meth:`loss` for any number of (f, p) cases.
    """

    def __init__(self, single, d, h, z, n, geom):
        self.single = single
        self.d, self.h, self.z, self.n = d, h, z, n
        self.geom = geom

    @property
    def n_paths(self) -> int:
        return self.d.shape[0]

    def geometry(self) -> dict:
        """Geometry fields (:data:`GEOM_FIELDS`): floats for one path, arrays over paths otherwise."""
        g = self.geom[0] if self.single else self.geom
        return {k: _conv(g[..., i]) for k, i in GEOM_FIELDS.items()}

    def rain_points(self):
        """(lat, lon) [deg], shape ``(n_paths, 3)``: path mid-point, Tx-cv and Rx-cv segment mid-points (§4.1, §4.3)."""
        g = self.geom
        lat = np.stack([g[:, _g.G_PHIMN], g[:, _g.G_PHITCVN], g[:, _g.G_PHIRCVN]], axis=1)
        lon = np.stack([g[:, _g.G_PHIME], g[:, _g.G_PHITCVE], g[:, _g.G_PHIRCVE]], axis=1)
        return lat, (lon + 180.0) % 360.0 - 180.0

    def _rain(self, mt_mm, beta, pr6_pct, h0_km):
        npath = self.n_paths
        given = [v is not None for v in (mt_mm, beta, pr6_pct, h0_km)]
        if any(given) and not all(given):
            raise ValueError("give all four rain inputs mt_mm, beta, pr6_pct, h0_km, or none (then they are read "
                             "from the ITU-R maps of the itur package)")
        if not any(given):
            from . import maps

            lat, lon = self.rain_points()
            mt_mm, beta, pr6_pct = maps.esarain_params(lat, lon)
            h0_km = maps.zero_isotherm_height_km(lat, lon)
        shape = (npath, 3)
        return (_per("mt_mm", mt_mm, shape, positive=True, allow_zero=True, unit="mm"),
                _per("beta", beta, shape, lo=0.0, hi=1.0),
                _per("pr6_pct", pr6_pct, shape, lo=0.0, hi=100.0, unit="%"),
                _per("h0_km", h0_km, shape, lo=-1.0, hi=10.0, unit="km"))

    def loss(self, f_ghz, p, *, nd65m1, wvsur_mid_gm3, wvsur_tx_gm3, wvsur_rx_gm3, ztropo, foes1_mhz, foes2_mhz,
             nd1kmp=None, dn_sup=None, dn_sub=None, nd1km50=None, pol="h", gt_dbi=0.0, gr_dbi=0.0, mt_mm=None,
             beta=None, pr6_pct=None, h0_km=None) -> P2001Result:
        """Basic transmission loss for this geometry, Rec. ITU-R P.2001-4 §5 Eq. (5.2.1).

        One path: ``f_ghz``, ``p`` and the per-case inputs (``nd1kmp``, ``foes*``)
        broadcast to any shape, the result has that shape. A batch of paths: they broadcast
        to ``(n_paths,)`` or ``(n_paths, n_cases)``. Other parameters as
        :func:`basic_transmission_loss` (``nd1km50`` is needed here only to derive
        ``nd1kmp`` from ``dn_sup``/``dn_sub``).
        """
        npath = self.n_paths
        f = _case("f_ghz", f_ghz, *F_GHZ_RANGE, "GHz")
        pp = _case("p", p, *P_RANGE, "%")
        fo1 = _case("foes1_mhz", foes1_mhz, 0.0, math.inf, "MHz", lo_open=True)
        fo2 = _case("foes2_mhz", foes2_mhz, 0.0, math.inf, "MHz", lo_open=True)
        ndp = None
        if nd1kmp is not None:
            ndp = _case("nd1kmp", nd1kmp, -2000.0, 2000.0, "N-units/km")
        elif dn_sup is None or dn_sub is None or nd1km50 is None:
            raise ValueError("give nd1kmp (Eq. (3.4.1.2), per case) or the slopes dn_sup and dn_sub with nd1km50")
        given = [a for a in (f, pp, fo1, fo2, ndp) if a is not None]
        try:
            b = np.broadcast_shapes(*(a.shape for a in given))
        except ValueError:
            raise ValueError(f"f_ghz, p, nd1kmp, foes1_mhz, foes2_mhz do not broadcast together (shapes "
                             f"{[a.shape for a in given]})") from None
        if self.single:
            shape = b
        else:
            if len(b) == 0 or (len(b) == 1 and b[0] in (1, npath)):
                shape = (npath,)
            elif len(b) == 2 and b[0] in (1, npath):
                shape = (npath, b[1])
            else:
                raise ValueError(f"for a batch of {npath} paths, f_ghz / p / per-case map values must broadcast to "
                                 f"({npath},) or ({npath}, n_cases); got shape {b}")
        if ndp is None:
            def per_path(nm, v):
                a = _per(nm, v, (npath,))
                return a[0] if self.single else a.reshape((npath,) + (1,) * (len(shape) - 1))
            ndp = np.asarray(nd1kmp_from_slopes(pp, per_path("nd1km50", nd1km50), per_path("dn_sup", dn_sup),
                                                per_path("dn_sub", dn_sub)))
        if shape == () or shape == (1,):
            cases = [a.reshape(1, 1) for a in (f, pp, ndp, fo1, fo2)]
        else:
            cases = [np.ascontiguousarray(np.broadcast_to(a, shape).reshape(npath, -1), dtype=np.float64)
                     for a in (f, pp, ndp, fo1, fo2)]
        pm = np.zeros((npath, _k.N_PMAP))
        ps = (npath,)
        pm[:, _k.M_ND65M1] = _per("nd65m1", nd65m1, ps, lo=-5000.0, hi=1000.0, unit="N-units/km")
        pm[:, _k.M_WV_MID] = _per("wvsur_mid_gm3", wvsur_mid_gm3, ps, lo=0.0, hi=100.0, unit="g/m^3")
        pm[:, _k.M_WV_TX] = _per("wvsur_tx_gm3", wvsur_tx_gm3, ps, lo=0.0, hi=100.0, unit="g/m^3")
        pm[:, _k.M_WV_RX] = _per("wvsur_rx_gm3", wvsur_rx_gm3, ps, lo=0.0, hi=100.0, unit="g/m^3")
        zt = _per("ztropo", ztropo, ps, lo=0.0, hi=6.0)
        if np.any(zt != np.round(zt)):
            raise ValueError(f"ztropo = {zt[zt != np.round(zt)][0]:g} is not a troposcatter climate zone (0-6)")
        pm[:, _k.M_ZTROPO] = zt
        if isinstance(pol, str):
            pm[:, _k.M_POL] = pol_code(pol)
        else:
            polc = [pol_code(x) for x in np.atleast_1d(np.asarray(pol, dtype=object)).ravel()]
            pm[:, _k.M_POL] = _per("pol", np.array(polc, dtype=np.float64) if len(polc) > 1 else polc[0], ps)
        pm[:, _k.M_GT] = _per("gt_dbi", gt_dbi, ps, lo=-100.0, hi=100.0, unit="dBi")
        pm[:, _k.M_GR] = _per("gr_dbi", gr_dbi, ps, lo=-100.0, hi=100.0, unit="dBi")
        mt, be, pr6, h0 = self._rain(mt_mm, beta, pr6_pct, h0_km)
        for j in range(3):
            pm[:, _k.M_RAIN + 4 * j] = mt[:, j]
            pm[:, _k.M_RAIN + 4 * j + 1] = be[:, j]
            pm[:, _k.M_RAIN + 4 * j + 2] = pr6[:, j]
            pm[:, _k.M_RAIN + 4 * j + 3] = h0[:, j]
        fn = _k.losses_batch if npath >= PARALLEL_MIN_PATHS else _k.losses_serial
        res = fn(self.d, self.h, self.n, self.geom, *cases, pm)
        res = res.reshape(shape + (_k.N_LOSS,))
        if self.single:
            geom = np.broadcast_to(self.geom[0], shape + (_g.N_GEOM,))
        else:
            geom = self.geom if len(shape) == 1 else np.broadcast_to(self.geom[:, None, :], shape + (_g.N_GEOM,))
        return P2001Result(res, geom)


def prepare_path(d_km, h_m, zone, htg_m, hrg_m, *, lat_t, lon_t, lat_r, lon_r, nd1km50, n=None) -> P2001Path:
    """Path geometry for P.2001-4 (§3.2-§3.9), reusable for many (f, p).

    Parameters as :func:`basic_transmission_loss`.
    """
    single, d, h, z, nn = _profiles(d_km, h_m, zone, n)
    npath = d.shape[0]
    ps = (npath,)
    lt = _per("tx.lat", lat_t, ps, lo=-90.0, hi=90.0, unit="deg")
    lnt = _per("tx.lon", lon_t, ps, lo=-180.0, hi=360.0, unit="deg", hi_open=True)
    lr = _per("rx.lat", lat_r, ps, lo=-90.0, hi=90.0, unit="deg")
    lnr = _per("rx.lon", lon_r, ps, lo=-180.0, hi=360.0, unit="deg", hi_open=True)
    htg = _per("htg_m", htg_m, ps, positive=True, unit="m")
    hrg = _per("hrg_m", hrg_m, ps, positive=True, unit="m")
    n50 = _per("nd1km50", nd1km50, ps, lo=-157.0, hi=300.0, unit="N-units/km", lo_open=True)
    fn = _k.geometry_batch if npath >= PARALLEL_MIN_PATHS else _k.geometry_serial
    geom = fn(d, h, z, nn, htg, hrg, lt, lnt, lr, lnr, n50)
    steep = np.maximum(np.abs(geom[:, _g.G_THETAT]), np.abs(geom[:, _g.G_THETAR])) >= 500.0 * math.pi
    if steep.any():
        k = int(np.argmax(steep))
        raise ValueError(f"{'profile' if single else f'path {k}'}: horizon elevation "
                         f"{geom[k, _g.G_THETAT]:.0f} / {geom[k, _g.G_THETAR]:.0f} mrad (Tx / Rx) reaches 90 deg: "
                         f"the path is too steep for P.2001-4's terrestrial geometry (antenna heights "
                         f"{htg[k]:g} / {hrg[k]:g} m over {geom[k, _g.G_DT]:g} km)")
    return P2001Path(single, d, h, z, nn, geom)


def basic_transmission_loss(d_km, h_m, zone, f_ghz, p, htg_m, hrg_m, *, lat_t, lon_t, lat_r, lon_r, nd1km50,
                            nd65m1, wvsur_mid_gm3, wvsur_tx_gm3, wvsur_rx_gm3, ztropo, foes1_mhz, foes2_mhz,
                            nd1kmp=None, dn_sup=None, dn_sub=None, pol="h", gt_dbi=0.0, gr_dbi=0.0, mt_mm=None,
                            beta=None, pr6_pct=None, h0_km=None, n=None) -> P2001Result:
    """Basic transmission loss not exceeded for p % of time, Rec. ITU-R P.2001-4 §5, Eq. (5.2.1).

    Parameters
    ----------
    d_km : array_like
        Distances from the transmitter, from 0, strictly increasing [km]: 1-D for one
        path, or 2-D ``(n_paths, n_max)`` padded profiles with lengths ``n``.
    h_m : array_like
        Terrain heights amsl, shape of ``d_km`` [m].
    zone : array_like
        Radio-climatic zone per point: 1 sea, 3 coastal land, 4 inland (§2.1).
    f_ghz : float or array_like
        Frequency, 0.03-50 GHz [GHz].
    p : float or array_like
        Percentage of an average year for which Lb is not exceeded, 0.00001-99.99999 % [%].
    htg_m, hrg_m : float or array_like
        Tx / Rx antenna heights above ground, > 0 [m].
    lat_t, lon_t, lat_r, lon_r : float or array_like
        Terminal positions [deg].
    nd1km50 : float or array_like
        Median refractivity gradient in the lowest 1 km at the path mid-point (minus the
        DN_Median map value), Eq. (3.4.1.1) [N-units/km].
    nd65m1 : float or array_like
        Gradient in the lowest 65 m not exceeded for 1 % (dndz_01 map) [N-units/km].
    wvsur_mid_gm3, wvsur_tx_gm3, wvsur_rx_gm3 : float or array_like
        Surface water-vapour density (surfwv_50_fixed) at the path mid-point, Tx and Rx [g/m^3].
    ztropo : int or array_like
        Troposcatter climate zone 0-6, §E.2 (TropoClim).
    foes1_mhz, foes2_mhz : float or array_like
        FoEs at p % for one hop and two hops, Eq. (G.1.1), per case
        (:func:`foes_from_maps`) [MHz].
    nd1kmp : float or array_like, optional
        Gradient not exceeded for p %, Eq. (3.4.1.2), per case; else computed from
        ``dn_sup``, ``dn_sub`` (DN_SupSlope, DN_SubSlope) and ``nd1km50``.
    pol : {"h", "v"}
        Polarisation.
    gt_dbi, gr_dbi : float or array_like
        Antenna gains towards the other terminal / horizon (troposcatter coupling, Eq. (E.15)) [dBi].
    mt_mm, beta, pr6_pct, h0_km : array_like, optional
        Rain inputs (P.837-5 Mt [mm], beta, Pr6 [%]; P.839 h0 [km]) at the path mid-point,
        Tx-cv and Rx-cv mid-points, shape broadcastable to ``(n_paths, 3)``. When all are
        omitted they are read from the ``itur`` maps (extra ``[maps]``).
    n : int or array_like of int, optional
        Valid points per path of padded profiles.

    Returns
    -------
    P2001Result
        ``lb`` and the named intermediates (see :class:`P2001Result`).

    Raises
    ------
    ValueError
        An input outside its range, a bad profile or zone code, missing climate inputs.

    References
    ----------
    Rec. ITU-R P.2001-4 (09/2021), A general purpose wide-range terrestrial propagation model
    in the frequency range 30 MHz to 50 GHz.
    """
    path = prepare_path(d_km, h_m, zone, htg_m, hrg_m, lat_t=lat_t, lon_t=lon_t, lat_r=lat_r, lon_r=lon_r,
                        nd1km50=nd1km50, n=n)
    return path.loss(f_ghz, p, nd65m1=nd65m1, wvsur_mid_gm3=wvsur_mid_gm3, wvsur_tx_gm3=wvsur_tx_gm3,
                     wvsur_rx_gm3=wvsur_rx_gm3, ztropo=ztropo, foes1_mhz=foes1_mhz, foes2_mhz=foes2_mhz,
                     nd1kmp=nd1kmp, dn_sup=dn_sup, dn_sub=dn_sub, nd1km50=nd1km50, pol=pol, gt_dbi=gt_dbi,
                     gr_dbi=gr_dbi, mt_mm=mt_mm, beta=beta, pr6_pct=pr6_pct, h0_km=h0_km)


#: Placeholder climate values for demonstrations (the viewer, examples) when the ITU-R maps are not
#: at hand: a temperate inland mid-latitude path. NOT the Recommendation's maps; for studies give
#: the map values at the points P.2001-4 names.
TYPICAL_CLIMATE = {"nd1km50": -45.0, "dn_sup": 13.0, "dn_sub": 6.0, "nd65m1": -250.0, "wvsur_gm3": 7.5,
                   "ztropo": 4, "foes_mhz": (9.0, 6.0, 4.0, 2.5), "mt_mm": 600.0, "beta": 0.3, "pr6_pct": 3.0,
                   "h0_km": 3.0}


def basic_transmission_loss_typical_climate(d_km, h_m, f_ghz, p, htg_m, hrg_m, a, b, *, zone=4.0, pol="v",
                                            nd1km50=None) -> P2001Result:
    """Rec. ITU-R P.2001-4 Eq. (5.2.1) with :data:`TYPICAL_CLIMATE` in place of the non-rain maps.

    For quick looks (the viewer's path view): one inland path ``a`` -> ``b`` ((lat, lon) in
    degrees) over the profile ``d_km``, ``h_m``; refractivity gradients, surface water
    vapour, troposcatter zone and FoEs (Eq. (G.1.1) from typical FoEs0.1/1/10/50 values)
    are the typical values; the rain parameters come from the ``itur`` maps when installed,
    else from :data:`TYPICAL_CLIMATE`. ``nd1km50`` overrides the median gradient
    [N-units/km] (e.g. ``-dn`` of P.452).
    """
    c = TYPICAL_CLIMATE
    n50 = c["nd1km50"] if nd1km50 is None else nd1km50
    z = np.broadcast_to(np.asarray(zone, dtype=np.float64), np.shape(d_km))
    path = prepare_path(d_km, h_m, z, htg_m, hrg_m, lat_t=a[0], lon_t=a[1], lat_r=b[0], lon_r=b[1], nd1km50=n50)
    rain = {}
    from . import maps

    if not maps.available():
        rain = {k: c[k] for k in ("mt_mm", "beta", "pr6_pct", "h0_km")}
    foes = foes_from_maps(p, *c["foes_mhz"])
    return path.loss(f_ghz, p, nd1km50=n50, dn_sup=c["dn_sup"], dn_sub=c["dn_sub"], nd65m1=c["nd65m1"],
                     wvsur_mid_gm3=c["wvsur_gm3"], wvsur_tx_gm3=c["wvsur_gm3"], wvsur_rx_gm3=c["wvsur_gm3"],
                     ztropo=c["ztropo"], foes1_mhz=foes, foes2_mhz=foes, pol=pol, **rain)
