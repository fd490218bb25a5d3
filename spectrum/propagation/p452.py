"""Clear-air interference prediction, Rec. ITU-R P.452-18 (default) and P.452-17.

Basic transmission loss not exceeded for p % of the average year between two stations
on the surface of the Earth, 0.1-50 GHz, from a terrain profile: line of sight with
multipath/focusing (§4.1), delta-Bullington diffraction (§4.2, Rec. ITU-R P.526-16 §4.5),
tropospheric scatter (§4.3), ducting / layer reflection (§4.4), gaseous absorption
(Rec. ITU-R P.676 Annex 1 line-by-line, Eq. (9)) and the overall combination (§4.6).

Clutter:

* ``version=18`` (default): representative clutter heights ``r_m`` along the profile
  (P.452-18 §4 step 4 / §3.2.1): ``g = h + R`` except within 50 m of either terminal.
  ``g`` is used by the diffraction model; the path geometry uses the terrain ``h``.
* ``version=17``: terminal clutter losses (P.452-17 §4.5) from nominal clutter heights
  ``ha_t``, ``ha_r`` [m] and distances ``dk_t``, ``dk_r`` [km].

``dn`` (DN, N-units/km) and ``n0`` (N0, N-units) are inputs: the ITU-R digital maps
(DN50, N050) may not be redistributed. Take them from the maps of P.452 (Figs. 11-12 /
the ITU-R digital products) at the path centre.

Kernels: :mod:`spectrum.kernels.p452` (geometry / losses split; batch over paths).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from .._validate import (TERRAIN_H_RANGE_M, as_float_array, check_counts, check_finite, check_positive, check_range,
                         check_terrain_heights)
from ..kernels import p452 as _k
from ._fastpath import FLOAT_T, POL, LazyResult, profile_vectors

__all__ = ["P452Result", "P452Path", "basic_transmission_loss", "basic_transmission_loss_between", "prepare_path",
           "path_centre_latitude",
           "pol_code", "F_GHZ_RANGE", "P_RANGE"]

F_GHZ_RANGE = (0.1, 50.0)
P_RANGE = (0.001, 50.0)
#: Path lengths [km]: P.452-18 §1 states "a distance limit of 10 000 km". It states no lower
#: limit; 0.1 km is where its §4 Step 4 clutter rule (no clutter within 50 m of either
#: terminal) leaves no path between the two terminal zones, and below which the far-field
#: free-space loss of Eq. (8) stops being meaningful (it goes negative below ~1 m at 0.1 GHz).
D_KM_RANGE = (0.1, 10000.0)
#: Antenna heights above ground [m]: P.452 is for "stations on the surface of the Earth";
#: like P.1812-6 §1 (the point-to-area version of the same models: "both terminals within
#: approximately 3 km height above ground") heights are (0, 3000] m; above, P.528 applies.
H_AGL_RANGE_M = (0.0, 3000.0)
MIN_POINTS = 4
#: batches smaller than this run serially (waking the thread pool costs more than it saves)
PARALLEL_MIN_PATHS = 32

_LOSS_FIELDS = {
    "lb": _k.L_LB, "lbfsg": _k.L_LBFSG, "lb0p": _k.L_LB0P, "lb0b": _k.L_LB0B, "ldsph": _k.L_LDSPH,
    "ld50": _k.L_LD50, "ldp": _k.L_LDP, "lbs": _k.L_LBS, "lba": _k.L_LBA, "lbd": _k.L_LBD,
    "lbam": _k.L_LBAM, "aht": _k.L_AHT, "ahr": _k.L_AHR,
}
_GEOM_FIELDS = {
    "dtot_km": _k.G_DTOT, "hts_m": _k.G_HTS, "hrs_m": _k.G_HRS, "theta_t_mrad": _k.G_THETA_T,
    "theta_r_mrad": _k.G_THETA_R, "theta_mrad": _k.G_THETA, "hm_m": _k.G_HM, "hte_m": _k.G_HTE,
    "hre_m": _k.G_HRE, "hstd_m": _k.G_HSTD, "hsrd_m": _k.G_HSRD, "dlt_km": _k.G_DLT, "dlr_km": _k.G_DLR,
    "b0": _k.G_B0, "omega": _k.G_OMEGA, "dtm_km": _k.G_DTM, "dlm_km": _k.G_DLM, "ae_km": _k.G_AE,
}


@dataclass(frozen=True)
class P452Result:
    """Basic transmission loss and its components (dB), plus the path geometry.

    Loss fields follow P.452-18: ``lb`` (Eq. (64), incl. P.452-17 terminal clutter
    losses ``aht + ahr``), ``lbfsg`` (Eq. (8)), ``lb0p`` (Eq. (11)), ``lb0b`` (Eq. (12)),
    ``ldsph`` (spherical-Earth part of the median delta-Bullington loss), ``ld50``
    (median diffraction), ``ldp`` (Eq. (42)), ``lbs`` (troposcatter, Eq. (45)),
    ``lba`` (ducting / layer reflection, Eq. (46)), ``lbd`` (Eq. (44)), ``lbam``
    (Eq. (63)), ``aht``/``ahr`` (P.452-17 Eq. (57)).
    Geometry: ``dtot_km``, ``hts_m``, ``hrs_m``, horizon angles (mrad) ``theta_t_mrad``,
    ``theta_r_mrad``, ``theta_mrad``, ``hm_m``, ``hte_m``, ``hre_m``, ``hstd_m``,
    ``hsrd_m``, ``dlt_km``, ``dlr_km``, ``b0`` (%), ``omega``, ``dtm_km``, ``dlm_km``,
    ``ae_km`` and ``trans_horizon`` (bool).
    Scalars for one path and one (f, p); arrays otherwise.
    """

    lb: np.ndarray
    lbfsg: np.ndarray
    lb0p: np.ndarray
    lb0b: np.ndarray
    ldsph: np.ndarray
    ld50: np.ndarray
    ldp: np.ndarray
    lbs: np.ndarray
    lba: np.ndarray
    lbd: np.ndarray
    lbam: np.ndarray
    aht: np.ndarray
    ahr: np.ndarray
    dtot_km: np.ndarray
    hts_m: np.ndarray
    hrs_m: np.ndarray
    theta_t_mrad: np.ndarray
    theta_r_mrad: np.ndarray
    theta_mrad: np.ndarray
    hm_m: np.ndarray
    hte_m: np.ndarray
    hre_m: np.ndarray
    hstd_m: np.ndarray
    hsrd_m: np.ndarray
    dlt_km: np.ndarray
    dlr_km: np.ndarray
    b0: np.ndarray
    omega: np.ndarray
    dtm_km: np.ndarray
    dlm_km: np.ndarray
    ae_km: np.ndarray
    trans_horizon: np.ndarray
    version: int = 18

    def to_dict(self) -> dict:
        """Plain dict (numbers and lists), e.g. for JSON."""
        out = {}
        for fl in fields(self):
            v = getattr(self, fl.name)
            out[fl.name] = v.tolist() if isinstance(v, np.ndarray) else v
        return out


def pol_code(pol) -> int:
    """Kernel polarisation code: 0 for ``"h"`` / ``"horizontal"``, 1 for ``"v"`` / ``"vertical"``.

    Numbers are refused on purpose: the ITU-R reference code uses 1/2 for h/v, the kernels 0/1.
    """
    key = str(pol).strip().lower() if isinstance(pol, (str, np.str_)) else None
    if key in ("h", "horizontal"):
        return 0
    if key in ("v", "vertical"):
        return 1
    raise ValueError(f"pol = {pol!r} is not one of 'h' (horizontal) or 'v' (vertical)")


def path_centre_latitude(lat_t, lon_t, lat_r, lon_r, d_km=None):
    """Latitude of the path centre, Rec. ITU-R P.2001-5 Attachment H (H.2-H.3). [deg]

    The point at ``d_km / 2`` from the transmitter along the great circle (``d_km``
    defaults to the great-circle length), on a sphere of radius 6371 km. This is how
    the ITU-R reference implementation of P.452-18 locates the path centre for beta0.
    """
    lt, lr = math.radians(float(lat_t)), math.radians(float(lat_r))
    dlon = math.radians(float(lon_r) - float(lon_t))
    r = math.sin(lt) * math.sin(lr) + math.cos(lt) * math.cos(lr) * math.cos(dlon)  # (H.2.2)
    r = min(1.0, max(-1.0, r))
    if d_km is None:
        d_km = math.acos(r) * 6371.0
    x1 = math.sin(lr) - r * math.sin(lt)  # (H.2.5a)
    y1 = math.cos(lt) * math.cos(lr) * math.sin(dlon)  # (H.2.5b)
    bt2r = math.atan2(y1, x1) if (abs(x1) >= 1e-9 or abs(y1) >= 1e-9) else 0.0  # (H.2.6)
    phi = 0.5 * float(d_km) / 6371.0
    s = math.sin(lt) * math.cos(phi) + math.cos(lt) * math.sin(phi) * math.cos(bt2r)  # (H.3.2)
    return math.degrees(math.asin(max(-1.0, min(1.0, s))))  # (H.3.3)


# --------------------------------------------------------------------------- input handling
def _check_profile(d: np.ndarray, n: int, name: str) -> None:
    if n < MIN_POINTS:
        raise ValueError(f"{name}: the profile has {n} points; P.452 needs at least {MIN_POINTS}")
    dv = d[:n]
    if np.isnan(dv).any():
        raise ValueError(f"{name}: d_km contains NaN at index {int(np.argmax(np.isnan(dv)))}")
    if np.isinf(dv).any():
        i = int(np.argmax(np.isinf(dv)))
        raise ValueError(f"{name}: d_km[{i}] = {dv[i]:g} must be finite")
    if dv[0] != 0.0:
        raise ValueError(f"{name}: d_km[0] = {dv[0]:g} must be 0 (distance from the transmitter)")
    dd = np.diff(dv)
    if np.any(dd <= 0):
        i = int(np.argmax(dd <= 0))
        raise ValueError(f"{name}: d_km must be strictly increasing (d_km[{i + 1}] = {dv[i + 1]:g} "
                         f"after d_km[{i}] = {dv[i]:g})")


def _per_path(name, value, npath, lo=None, hi=None, unit="", positive=False, allow_zero=False, lo_open=False,
              hi_open=False, finite=True):
    if finite:  # dct_km/dcr_km may be inf (no coast); everything else must be finite
        check_finite(name, value, unit)
    if positive:
        a = check_positive(name, value, unit, allow_zero=allow_zero)
    elif lo is not None:
        a = check_range(name, value, lo, hi, unit, "P.452", lo_open=lo_open, hi_open=hi_open)
    else:
        a = as_float_array(name, value)
    try:
        return np.ascontiguousarray(np.broadcast_to(a, (npath,)), dtype=np.float64)
    except ValueError:
        raise ValueError(f"{name} has shape {a.shape}; expected a scalar or one value per path ({npath})") from None


def _profiles_ok(d2: np.ndarray, h2: np.ndarray, nn: np.ndarray) -> bool:
    """Every path passes the checks of :func:`_profiles` (vectorised; the per-path loop then
    only runs to name the first failure)."""
    if d2.size == 0 or np.any(nn < MIN_POINTS):
        return d2.shape[0] == 0
    valid = np.arange(d2.shape[1])[None, :] < nn[:, None]
    rows = np.arange(d2.shape[0])
    lo, hi = TERRAIN_H_RANGE_M
    # finite, in-range heights and finite distances everywhere (padding included) is the common case;
    # otherwise only the valid samples are checked
    if not (np.isfinite(d2).all() and ((h2 >= lo) & (h2 <= hi)).all()):
        dv = np.where(valid, d2, 0.0)
        hv = np.where(valid, h2, 0.0)
        if not (np.isfinite(dv).all() and ((hv >= lo) & (hv <= hi)).all()):
            return False
    if np.any(d2[:, 0] != 0.0):
        return False
    with np.errstate(invalid="ignore"):
        if not (~valid[:, 1:] | (d2[:, 1:] > d2[:, :-1])).all():
            return False
    dtot = d2[rows, nn - 1]
    return bool(np.all((dtot >= D_KM_RANGE[0]) & (dtot <= D_KM_RANGE[1])))


def padded_profiles(d_km, n):
    """Distances of one profile (1-D) or of padded profiles (2-D ``(n_paths, n_max)``) and the
    number of valid points per path: ``(d, single, d2, nn)`` with ``d`` the float64 array as
    given, ``d2`` its 2-D view and ``nn`` int64 per path (``n`` checked by
    :func:`spectrum._validate.check_counts`; every point when ``n`` is None, which padded
    batches (NaN) must not use)."""
    try:
        d = np.asarray(d_km, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"d_km = {d_km!r} is not numeric") from None
    single = d.ndim == 1
    d2 = np.atleast_2d(d)
    if d2.ndim != 2:
        raise ValueError(f"d_km must be 1-D (one path) or 2-D (n_paths, n_max); got shape {d.shape}")
    npath, nmax = d2.shape
    if n is None:
        if not single and np.isnan(d2).any():
            raise ValueError("padded profiles (NaN in d_km) need n, the number of valid points per path")
        return d, single, d2, np.full(npath, nmax, dtype=np.int64)
    return d, single, d2, check_counts("n", n, npath, nmax)


def _profiles(d_km, h_m, n, zone, r_m, version):
    d, single, d2, nn = padded_profiles(d_km, n)
    h2 = np.atleast_2d(np.asarray(h_m, dtype=np.float64))
    if h2.shape != d2.shape:
        raise ValueError(f"h_m has shape {np.shape(h_m)}; expected the shape of d_km {d.shape}")
    npath = d2.shape[0]
    for k in ([] if _profiles_ok(d2, h2, nn) else range(npath)):  # the loop names the first bad path
        nm = "profile" if single else f"path {k}"
        _check_profile(d2[k], int(nn[k]), nm)
        hv = h2[k, :nn[k]]
        if np.isnan(hv).any():
            raise ValueError(f"{nm}: h_m contains NaN at index {int(np.argmax(np.isnan(hv)))}")
        if np.isinf(hv).any():
            i = int(np.argmax(np.isinf(hv)))
            raise ValueError(f"{nm}: h_m[{i}] = {hv[i]:g} must be finite [m]")
        check_terrain_heights("h_m", hv, f"P.452, {nm}")
        dtot = float(d2[k, nn[k] - 1])
        if not D_KM_RANGE[0] <= dtot <= D_KM_RANGE[1]:
            raise ValueError(f"{nm}: path length = {dtot:g} km is outside the valid range "
                             f"[{D_KM_RANGE[0]:g}, {D_KM_RANGE[1]:g}] km (P.452-{version})")
    if zone is None:
        z2 = np.full(d2.shape, 2.0)
    else:
        z2 = np.atleast_2d(np.asarray(zone, dtype=np.float64))
        if z2.shape != d2.shape:
            raise ValueError(f"zone has shape {np.shape(zone)}; expected the shape of d_km {d.shape}")
        zok = bool(((z2 == 1.0) | (z2 == 2.0) | (z2 == 3.0)).all())  # padding included: the common case
        if not zok:
            zvalid = np.arange(z2.shape[1])[None, :] < nn[:, None]
            zok = bool(np.all(np.isin(z2[zvalid], (1.0, 2.0, 3.0))))
        for k in ([] if zok else range(npath)):
            zv = z2[k, :nn[k]]
            bad = ~np.isin(zv, (1.0, 2.0, 3.0))
            if bad.any():
                i = int(np.argmax(bad))
                raise ValueError(f"zone[{i}] = {zv[i]:g} is not a zone code (1 coastal land, 2 inland, 3 sea)")
    g2 = h2
    if r_m is not None:
        if version == 17:
            raise ValueError("r_m (representative clutter heights) is a P.452-18 input; for version=17 use "
                             "ha_t/ha_r/dk_t/dk_r (terminal clutter)")
        r2 = np.atleast_2d(np.asarray(r_m, dtype=np.float64))
        if r2.shape != d2.shape:
            raise ValueError(f"r_m has shape {np.shape(r_m)}; expected the shape of d_km {d.shape}")
        g2 = np.empty_like(h2)
        for k in range(npath):
            rv = r2[k, :nn[k]]
            if np.isnan(rv).any() or np.any(rv < 0):
                i = int(np.argmax(np.isnan(rv) | (rv < 0)))
                raise ValueError(f"r_m[{i}] = {rv[i]:g} must be a clutter height >= 0 m")
            _k.clutter_profile(d2[k], h2[k], r2[k], int(nn[k]), g2[k])
    return (single, np.ascontiguousarray(d2), np.ascontiguousarray(h2), np.ascontiguousarray(g2),
            np.ascontiguousarray(z2), nn)


class P452Path:
    """Prepared path(s): the frequency- and time-independent geometry, computed once.

    Use :func:`prepare_path` to build one, then :meth:`loss` for any number of
    frequencies and time percentages (STYLE.md rule 8).
    """

    def __init__(self, single, d, h, g, zone, n, geom, version, dn, n0, lat):
        self.single = single
        self.d, self.h, self.g, self.zone, self.n = d, h, g, zone, n
        self.geom = geom
        self.version = version
        self.dn, self.n0, self.lat = dn, n0, lat

    @property
    def n_paths(self) -> int:
        return self.d.shape[0]

    def loss(self, f_ghz, p, *, pol="h", dct_km=500.0, dcr_km=500.0, press_hpa=1013.25, temp_c=15.0,
             gt_dbi=0.0, gr_dbi=0.0) -> P452Result:
        """Basic transmission loss for this path geometry, P.452-18 §4.6 Eq. (64).

        For one path, ``f_ghz`` and ``p`` broadcast together to any shape (the result
        has that shape). For a batch, they broadcast to ``(n_paths,)``. Other
        parameters as :func:`basic_transmission_loss`.
        """
        npath = self.n_paths
        f = check_range("f_ghz", f_ghz, *F_GHZ_RANGE, "GHz", f"P.452-{self.version}")
        pp = check_range("p", p, *P_RANGE, "%", f"P.452-{self.version}")
        pa = np.atleast_1d(np.asarray(pol, dtype=object)).ravel()
        pl = pa.tolist()
        pc = {x: pol_code(x) for x in set(pl)}  # each distinct value checked once
        polc = (np.full(pa.size, float(pc[pl[0]])) if len(pc) == 1
                else np.fromiter((pc[x] for x in pl), dtype=np.float64, count=pa.size))
        polv = _per_path("pol", polc if polc.size > 1 else polc[0], npath)
        dct = _per_path("dct_km", dct_km, npath, positive=True, allow_zero=True, unit="km", finite=False)
        dcr = _per_path("dcr_km", dcr_km, npath, positive=True, allow_zero=True, unit="km", finite=False)
        press = _per_path("press_hpa", press_hpa, npath, positive=True, unit="hPa")
        temp = _per_path("temp_c", temp_c, npath, -100.0, 60.0, "deg C")
        gt = _per_path("gt_dbi", gt_dbi, npath, -100.0, 100.0, "dBi")
        gr = _per_path("gr_dbi", gr_dbi, npath, -100.0, 100.0, "dBi")
        if self.single:
            fb, pb = np.broadcast_arrays(f, pp)
            shape = fb.shape
            res = _k.path_losses_cases(self.d[0], self.g[0], int(self.n[0]), self.geom[0],
                                       np.ascontiguousarray(fb.ravel()), np.ascontiguousarray(pb.ravel()),
                                       float(self.dn[0]), float(self.n0[0]), int(polv[0]), float(dct[0]),
                                       float(dcr[0]), float(press[0]), float(temp[0]), float(gt[0]), float(gr[0]))
            geom = np.broadcast_to(self.geom[0], shape + (_k.N_GEOM,))
            res = res.reshape(shape + (_k.N_LOSS,))
        else:
            fb = _per_path("f_ghz", f, npath)
            pb = _per_path("p", pp, npath)
            fn = _k.path_losses_batch if npath >= PARALLEL_MIN_PATHS else _k.path_losses_serial
            res = fn(self.d, self.g, self.n, self.geom, fb[:, None].copy(), pb[:, None].copy(),
                                       self.dn, self.n0, polv, dct, dcr, press, temp, gt, gr)[:, 0, :]
            geom = self.geom
        return _result(res, geom, self.version)


def _result(res, geom, version) -> P452Result:
    def conv(a):
        return float(a) if a.ndim == 0 else np.ascontiguousarray(a)

    kw = {k: conv(res[..., i]) for k, i in _LOSS_FIELDS.items()}
    kw.update({k: conv(geom[..., i]) for k, i in _GEOM_FIELDS.items()})
    th = geom[..., _k.G_TRANSHORIZON] > 0.5
    kw["trans_horizon"] = bool(th) if th.ndim == 0 else th
    return P452Result(version=version, **kw)


# --------------------------------------------------------------------------- one-path fast path
_N_BUF = _k.N_LOSS + _k.N_GEOM
#: field name -> position in the fast path's buffer (losses, then geometry)
_BUF_POS = {**_LOSS_FIELDS, **{k: _k.N_LOSS + i for k, i in _GEOM_FIELDS.items()}}
_Z_MIN, _Z_MAX = TERRAIN_H_RANGE_M


class _FastP452Result(LazyResult, P452Result):
    """A :class:`P452Result` of the one-path fast path (fields read from the kernel buffer on first access)."""

    _BASE = P452Result
    _POS = _BUF_POS

    def _derived(self, buf, name):
        if name == "trans_horizon":
            return bool(buf[_k.N_LOSS + _k.G_TRANSHORIZON] > 0.5)
        raise AttributeError(name)

    def __reduce__(self):
        return (_rebuild_fast, (self.__dict__["_buf"],))


_FastP452Result.__qualname__ = _FastP452Result.__name__ = "P452Result"


def _rebuild_fast(buf):
    res = object.__new__(_FastP452Result)
    res.__dict__["_buf"] = buf
    res.__dict__["version"] = 18
    return res


def _fast_one_path(d_km, h_m, zone, r_m, f_ghz, p, htg_m, hrg_m, dn, n0, pol, dct_km, dcr_km, lat, press_hpa,
                   temp_c, gt_dbi, gr_dbi):
    """P452Result of one P.452-18 path at one (f, p) through one checked kernel call, or None
    (then the general path runs its checks and raises the precise error)."""
    ft = FLOAT_T
    if not (type(f_ghz) in ft and type(p) in ft and type(htg_m) in ft and type(hrg_m) in ft and type(dn) in ft
            and type(n0) in ft and type(lat) in ft and type(dct_km) in ft and type(dcr_km) in ft
            and type(press_hpa) in ft and type(temp_c) in ft and type(gt_dbi) in ft and type(gr_dbi) in ft):
        return None
    polc = POL.get(pol) if type(pol) is str else None
    vecs = profile_vectors(d_km, h_m, zone, r_m)
    if polc is None or vecs is None:
        return None
    d, h, zn, rr = vecs
    buf = np.empty(_N_BUF)
    rc = _k.p452_api(d, h, zn, rr, float(f_ghz), float(p), float(htg_m), float(hrg_m), float(dn), float(n0),
                     float(lat), polc, float(dct_km), float(dcr_km), float(press_hpa), float(temp_c), float(gt_dbi),
                     float(gr_dbi), _Z_MIN, _Z_MAX, D_KM_RANGE[0], D_KM_RANGE[1], H_AGL_RANGE_M[1], buf)
    if rc != 0:
        return None
    return _rebuild_fast(buf)


def prepare_path(d_km, h_m, htg_m, hrg_m, *, n=None, zone=None, r_m=None, version=18, dn=45.0, n0=325.0,
                 lat=None, ha_t=None, ha_r=None, dk_t=None, dk_r=None) -> P452Path:
    """Path geometry for P.452 (Attachment 2 §5), reusable for many (f, p).

    Parameters as :func:`basic_transmission_loss`.

    Returns
    -------
    P452Path
        Call ``.loss(f_ghz, p, ...)`` on it.
    """
    if version not in (17, 18):
        raise ValueError(f"version = {version!r} is not a supported revision of P.452 (17 or 18)")
    if version == 18 and any(v is not None for v in (ha_t, ha_r, dk_t, dk_r)):
        raise ValueError("ha_t/ha_r/dk_t/dk_r (terminal clutter) are P.452-17 inputs; for version=18 give "
                         "representative clutter heights r_m along the profile")
    single, d, h, g, zone2, nn = _profiles(d_km, h_m, n, zone, r_m, version)
    npath = d.shape[0]
    if lat is None:
        raise ValueError("lat (path-centre latitude, deg) is required by P.452 for beta0; "
                         "see path_centre_latitude()")
    latv = _per_path("lat", lat, npath, -90.0, 90.0, "deg")
    htg = _per_path("htg_m", htg_m, npath, *H_AGL_RANGE_M, "m", lo_open=True)
    hrg = _per_path("hrg_m", hrg_m, npath, *H_AGL_RANGE_M, "m", lo_open=True)
    dnv = _per_path("dn", dn, npath, 0.0, 157.0, "N-units/km", hi_open=True)
    n0v = _per_path("n0", n0, npath, 150.0, 500.0, "N-units")
    zeros = np.zeros(npath)
    hat = zeros if ha_t is None else _per_path("ha_t", ha_t, npath, positive=True, allow_zero=True, unit="m")
    har = zeros if ha_r is None else _per_path("ha_r", ha_r, npath, positive=True, allow_zero=True, unit="m")
    dkt = zeros if dk_t is None else _per_path("dk_t", dk_t, npath, positive=True, allow_zero=True, unit="km")
    dkr = zeros if dk_r is None else _per_path("dk_r", dk_r, npath, positive=True, allow_zero=True, unit="km")
    fn = _k.path_geometry_full_batch if npath >= PARALLEL_MIN_PATHS else _k.path_geometry_full_serial
    geom = fn(d, h, g, zone2, nn, htg, hrg, dnv, latv, int(version), hat, har, dkt, dkr)
    if version == 17:
        npts = geom[:, _k.G_I1] - geom[:, _k.G_I0] + 1
        if np.any(npts < MIN_POINTS):
            k = int(np.argmin(npts))
            raise ValueError(f"path {k}: only {int(npts[k])} profile points remain between the terminal clutter "
                             f"points (dk_t + dk_r too large for the path); P.452-17 needs at least {MIN_POINTS}")
    return P452Path(single, d, h, g, zone2, nn, geom, version, dnv, n0v, latv)


def basic_transmission_loss(d_km, h_m, f_ghz, p, htg_m, hrg_m, *, n=None, zone=None, r_m=None, version=18,
                            dn=45.0, n0=325.0, pol="h", dct_km=500.0, dcr_km=500.0, lat=None, press_hpa=1013.25,
                            temp_c=15.0, gt_dbi=0.0, gr_dbi=0.0, ha_t=None, ha_r=None, dk_t=None,
                            dk_r=None) -> P452Result:
    """Basic transmission loss not exceeded for p % of time, Rec. ITU-R P.452-18 §4.6, Eq. (64).

    Parameters
    ----------
    d_km : array_like
        Distances from the transmitter, starting at 0, strictly increasing [km]: 1-D for
        one path, or 2-D ``(n_paths, n_max)`` padded profiles with lengths ``n``.
    h_m : array_like
        Terrain heights amsl, same shape as ``d_km`` [m].
    f_ghz : float or array_like
        Frequency, 0.1-50 GHz [GHz].
    p : float or array_like
        Time percentage, 0.001-50 % [%].
    htg_m, hrg_m : float or array_like
        Tx / Rx antenna centre heights above ground [m].
    n : int or array_like of int, optional
        Valid points per path for padded 2-D profiles.
    zone : array_like, optional
        Radio-climatic zone per profile point: 1 coastal land, 2 inland (default), 3 sea.
    r_m : array_like, optional
        Representative clutter height per profile point (P.452-18 only) [m].
    version : {18, 17}
        Revision of the Recommendation.
    dn : float or array_like
        DN, average radio-refractivity lapse rate in the lowest 1 km at the path centre
        (positive) [N-units/km].
    n0 : float or array_like
        N0, sea-level surface refractivity at the path centre [N-units].
    pol : {"h", "v"}
        Polarisation.
    dct_km, dcr_km : float or array_like
        Distance over land from the Tx / Rx to the coast along the path (0 for a
        terminal at sea) [km].
    lat : float or array_like
        Path-centre latitude (required; :func:`path_centre_latitude`) [deg].
    press_hpa, temp_c : float or array_like
        Dry-air pressure [hPa] and temperature [deg C].
    gt_dbi, gr_dbi : float or array_like
        Antenna gains towards the horizon along the path (troposcatter only) [dBi].
    ha_t, ha_r, dk_t, dk_r : float or array_like, optional
        P.452-17 terminal clutter: nominal clutter heights [m] and distances [km].

    Returns
    -------
    P452Result
        ``lb`` and the intermediate losses ``lbfsg, lb0p, lb0b, ldsph, ld50, ldp, lbs, lba``
        (plus ``lbd, lbam, aht, ahr``) in dB and the path geometry. Scalars for one
        path and scalar f, p; arrays over the broadcast (f, p) shape for one path; arrays
        over paths for a batch.

    Raises
    ------
    ValueError
        Frequency or time percentage out of range, a bad profile (fewer than 4 points,
        not starting at 0, not increasing, NaN), unknown zone codes, missing ``lat``.

    References
    ----------
    Rec. ITU-R P.452-18 (10/2023), Prediction procedure for the evaluation of
    interference between stations on the surface of the Earth at frequencies above about
    0.1 GHz. Rec. ITU-R P.452-17 (09/2021). Rec. ITU-R P.526-16 §4.5.
    Rec. ITU-R P.676-13 Annex 1.
    """
    if (version == 18 and n is None and lat is not None and ha_t is None and ha_r is None and dk_t is None
            and dk_r is None and type(d_km) is np.ndarray and type(h_m) is np.ndarray):
        res = _fast_one_path(d_km, h_m, zone, r_m, f_ghz, p, htg_m, hrg_m, dn, n0, pol, dct_km, dcr_km, lat,
                             press_hpa, temp_c, gt_dbi, gr_dbi)
        if res is not None:
            return res
    path = prepare_path(d_km, h_m, htg_m, hrg_m, n=n, zone=zone, r_m=r_m, version=version, dn=dn, n0=n0, lat=lat,
                        ha_t=ha_t, ha_r=ha_r, dk_t=dk_t, dk_r=dk_r)
    return path.loss(f_ghz, p, pol=pol, dct_km=dct_km, dcr_km=dcr_km, press_hpa=press_hpa, temp_c=temp_c,
                     gt_dbi=gt_dbi, gr_dbi=gr_dbi)


def basic_transmission_loss_between(dem, lat_t, lon_t, lat_r, lon_r, f_ghz, p, htg_m, hrg_m, *, step_m=None,
                                    **kwargs) -> P452Result:
    """P.452 basic transmission loss between stations over a DEM, Rec. ITU-R P.452-18 Eq. (64).

    Extracts the great-circle terrain profile(s) with :func:`spectrum.terrain.profiles`,
    sets the path-centre latitude with :func:`path_centre_latitude` (unless ``lat`` is
    given) and calls :func:`basic_transmission_loss`.

    Parameters
    ----------
    dem : xarray.DataArray or path
        Terrain heights amsl (dims ``lat``, ``lon``). [m]
    lat_t, lon_t, lat_r, lon_r : float or array_like
        Transmitter and receiver positions, broadcast together (one path per element). [deg]
    f_ghz, p, htg_m, hrg_m :
        As :func:`basic_transmission_loss`.
    step_m : float, optional
        Profile sample spacing (default: the DEM's row spacing). [m]
    **kwargs
        Other keywords of :func:`basic_transmission_loss` (``dn``, ``n0``, ``pol``, ``lat``,
        ...). Per-point ``zone`` / ``r_m`` are not accepted here: the path is treated as
        inland without clutter (use :func:`basic_transmission_loss` with your own profiles).

    Returns
    -------
    P452Result
        Scalars for scalar positions, arrays over paths otherwise.
    """
    from .. import terrain

    if "zone" in kwargs or "r_m" in kwargs or "n" in kwargs:
        raise ValueError("zone / r_m / n are per-profile-point inputs; use basic_transmission_loss with the "
                         "profiles from spectrum.terrain.profiles")
    lt, lnt, lr, lnr = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (lat_t, lon_t, lat_r, lon_r)))
    scalar = lt.ndim == 0
    lt, lnt, lr, lnr = (np.atleast_1d(v).ravel() for v in (lt, lnt, lr, lnr))
    d, h, n = terrain.profiles(dem, lt, lnt, lr, lnr, step_m=step_m, min_points=MIN_POINTS)
    if "lat" not in kwargs or kwargs["lat"] is None:
        kwargs["lat"] = np.array([path_centre_latitude(a, b, c, e, d[k, n[k] - 1])
                                  for k, (a, b, c, e) in enumerate(zip(lt, lnt, lr, lnr))])
    if scalar:
        k = int(n[0])
        lat = np.ravel(kwargs.pop("lat"))[0]
        return basic_transmission_loss(d[0, :k], h[0, :k], f_ghz, p, htg_m, hrg_m, lat=lat, **kwargs)
    return basic_transmission_loss(d, h, f_ghz, p, htg_m, hrg_m, n=n, **kwargs)
