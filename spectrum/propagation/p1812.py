"""Point-to-area prediction for terrestrial services, Rec. ITU-R P.1812-6 (08/2021).

:func:`basic_transmission_loss` predicts the basic transmission loss ``Lb`` not exceeded
for ``p`` % of time and ``pl`` % of locations, and the field strength ``Ep`` exceeded for
``p`` % of time and ``pl`` % of locations for 1 kW e.r.p., over a terrain profile with
representative clutter heights, 30 MHz to 6 GHz, 0.25 to about 3 000 km.

It accepts one profile (1-D ``d_km``, ``h_m``) or a batch of padded profiles
(2-D ``(n_paths, n_max)`` plus the number of valid points ``n`` per path); every scalar
argument then broadcasts per path and every output is an array over paths. One profile with
1-D per-case arguments (e.g. ``f_mhz=[100, 600, 2100]``) is evaluated once per case. The batch runs
the Numba per-path core :func:`spectrum.kernels.p1812.p1812_path` in parallel.

Validated against all 63 cases of the ITU-R SG3 reference data set for P.1812-6
(eeveetza/p1812 v6.1; the same reference Ep values serve P.1812-8, see ``docs/models.md``).

References
----------
Rec. ITU-R P.1812-6 (08/2021), "A path-specific propagation prediction method for
point-to-area terrestrial services in the frequency range 30 MHz to 6 000 MHz".
Rec. ITU-R P.526-16 (10/2025) §4.5, delta-Bullington diffraction (shared kernel).
Rec. ITU-R P.2001-4 Attachment H, great-circle path centre.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import TERRAIN_H_RANGE_M, as_float_array, check_range, check_terrain_heights
from ..kernels import p1812 as _k
from ._fastpath import FLOAT_T, POL, LazyResult, profile_vectors

__all__ = [
    "P1812Result",
    "FIELDS",
    "DEFAULT_CLUTTER_HEIGHT_M",
    "basic_transmission_loss",
    "location_std_db",
    "path_centre_latitude",
    "field_strength_dbuvm",
]

FIELDS = _k.FIELDS
#: Path lengths [km]: P.1812-6 Annex 1 §1, "path lengths from 0.25 km up to about 3 000 km".
D_KM_RANGE = (0.25, 3000.0)
#: Antenna heights above ground [m]: Annex 1 §1, "both terminals within approximately 3 km
#: height above ground" (the lower limit 1 m is the ITU-R reference implementation's).
H_AGL_RANGE_M = (1.0, 3000.0)

#: Representative clutter height R [m] per coverage code, P.1812-6 Table 2:
#: 1 water/sea, 2 open/rural, 3 suburban, 4 urban/trees/forest, 5 dense urban.
DEFAULT_CLUTTER_HEIGHT_M = {1: 0.0, 2: 0.0, 3: 10.0, 4: 15.0, 5: 20.0}

_DOC_FIELDS = {
    "lb": "basic transmission loss not exceeded for p % time and pl % locations, Eq. (69) [dB]",
    "ep": "field strength exceeded for p % time and pl % locations, 1 kW e.r.p., Eq. (70) [dB(uV/m)]",
    "lbfs": "free-space basic transmission loss (3-D distance), Eq. (8) [dB]",
    "lb0p": "LoS loss not exceeded for p % time, Eq. (10) [dB]",
    "lb0b": "LoS loss not exceeded for beta0 % time, Eq. (11) [dB]",
    "lbulla": "Bullington loss of the actual profile, 50 % time [dB]",
    "lbulls": "Bullington loss of the smooth profile, 50 % time [dB]",
    "ldsph": "spherical-Earth diffraction loss, 50 % time [dB]",
    "ld50": "median diffraction loss, Eq. (39) [dB]",
    "ldb": "diffraction loss not exceeded for beta0 % time, Eq. (39) [dB]",
    "ldp": "diffraction loss not exceeded for p % time, Eq. (41) [dB]",
    "lbd50": "median diffraction basic transmission loss, Eq. (42) [dB]",
    "lbd": "diffraction basic transmission loss for p %, Eq. (43) [dB]",
    "lminb0p": "notional minimum LoS / sea sub-path diffraction loss, Eq. (59) [dB]",
    "lba": "ducting / layer-reflection loss, Eq. (46) [dB]",
    "lminbap": "notional minimum LoS / trans-horizon enhancement loss, Eq. (60) [dB]",
    "lbda": "diffraction and enhancement loss, Eq. (61) [dB]",
    "lbam": "modified basic transmission loss, Eq. (62) [dB]",
    "lbs": "troposcatter loss, Eq. (44) [dB]",
    "lbc": "loss not exceeded for p % time and 50 % locations, Eq. (63) [dB]",
    "lloc": "location-variability term -I(pl/100) sigma_L [dB]",
}


@dataclass(frozen=True)
class P1812Result:
    """Result of :func:`basic_transmission_loss`: every quantity named in :data:`FIELDS`.

    ``lb`` [dB] and ``ep`` [dB(uV/m), 1 kW e.r.p.] are the outputs; the others are the
    intermediate values of P.1812-6 (losses in dB, distances in km, heights in m amsl
    except ``hte``, ``hre`` (m above the smooth Earth), angles in mrad, ``phi_path`` in
    degrees, ``b0`` in %, ``ae`` in km, ``omega`` the sea fraction, ``path_type`` 1 LoS,
    2 trans-horizon). Scalars for one path, arrays over paths for a batch.
    """

    lb: object
    ep: object
    lbfs: object
    lb0p: object
    lb0b: object
    lbulla: object
    lbulls: object
    ldsph: object
    ld50: object
    ldb: object
    ldp: object
    lbd50: object
    lbd: object
    lminb0p: object
    lba: object
    lminbap: object
    lbda: object
    lbam: object
    lbs: object
    lbc: object
    lloc: object
    fi: object
    fj: object
    fk: object
    d_km: object
    dlt: object
    dlr: object
    theta_t: object
    theta_r: object
    theta: object
    hts: object
    hrs: object
    hst_n: object
    hsr_n: object
    hst: object
    hsr: object
    hstd: object
    hsrd: object
    hte: object
    hre: object
    hm: object
    dtm: object
    dlm: object
    phi_path: object
    b0: object
    ae: object
    omega: object
    dct: object
    dcr: object
    path_type: object
    sigma_l: object

    @property
    def is_los(self):
        """True where the path is line-of-sight (P.1812-6 Attachment 1 §4)."""
        return np.asarray(self.path_type) == 1.0

    def to_dict(self) -> dict:
        """All fields as a dict of floats (one path) or lists (batch)."""
        out = {}
        for k in FIELDS:
            v = getattr(self, k)
            out[k] = v.tolist() if isinstance(v, np.ndarray) else float(v)
        return out


def field_strength_dbuvm(lb_db, f_ghz, erp_dbw=30.0):
    """Field strength for a given e.r.p., P.1812-6 Eq. (70) scaled from 1 kW (30 dBW) e.r.p.

    ``E = 199.36 + 20 log10(f_GHz) - Lb + (erp_dbw - 30)``. [dB(uV/m)]
    """
    lb = as_float_array("lb_db", lb_db)
    f = check_range("f_ghz", f_ghz, 0.0, np.inf, "GHz", "P.1812-6", lo_open=True)
    e = as_float_array("erp_dbw", erp_dbw)
    out = 199.36 + 20.0 * np.log10(f) - lb + (e - 30.0)
    return float(out) if np.ndim(out) == 0 else out


def location_std_db(f_ghz, h_m, r_m, wa_m=100.0):
    """Standard deviation of location variability sigma_L, P.1812-6 §4.8 Eqs. (65)-(66). [dB]

    ``sigma_L = (0.024 f + 0.52) wa^0.28 u_h``, ``u_h`` = 1 for an antenna below the clutter
    height ``r_m``, falling linearly to 0 at 10 m above it.

    Parameters
    ----------
    f_ghz : array_like
        Frequency. [GHz]
    h_m : array_like
        Receiving antenna height above ground. [m]
    r_m : array_like
        Representative clutter height at the receiver. [m]
    wa_m : array_like, optional
        Prediction resolution, the width of the square area over which the variability
        applies (default 100). [m]
    """
    f = check_range("f_ghz", f_ghz, 0.03, 6.0, "GHz", "P.1812-6")
    h = check_range("h_m", h_m, 0.0, np.inf, "m")
    r = check_range("r_m", r_m, 0.0, np.inf, "m")
    wa = check_range("wa_m", wa_m, 0.0, np.inf, "m", lo_open=True)
    f, h, r, wa = np.broadcast_arrays(f, h, r, wa)
    out = np.array([_k.location_std(*a) for a in zip(f.ravel(), h.ravel(), r.ravel(), wa.ravel())])
    out = out.reshape(f.shape)
    return float(out) if out.ndim == 0 else out


def path_centre_latitude(lat_t, lon_t, lat_r, lon_r, d_km=None):
    """Latitude of the path centre, P.2001-4 Attachment H as used by P.1812-6 §3.3. [deg]

    The point half of ``d_km`` (the profile length; default the great-circle distance on a
    6 371 km sphere) from the transmitter along the great circle towards the receiver.
    """
    lat_t = check_range("lat_t", lat_t, -90.0, 90.0, "deg")
    lat_r = check_range("lat_r", lat_r, -90.0, 90.0, "deg")
    lon_t = check_range("lon_t", lon_t, -180.0, 360.0, "deg")
    lon_r = check_range("lon_r", lon_r, -180.0, 360.0, "deg")
    if d_km is None:
        rad = np.pi / 180.0
        c = (np.sin(lat_t * rad) * np.sin(lat_r * rad)
             + np.cos(lat_t * rad) * np.cos(lat_r * rad) * np.cos((lon_r - lon_t) * rad))
        d_km = _k.RE_KM * np.arccos(np.clip(c, -1.0, 1.0))
    d = check_range("d_km", d_km, 0.0, np.inf, "km")
    arrs = np.broadcast_arrays(lat_t, lon_t, lat_r, lon_r, 0.5 * d)
    out = np.empty(arrs[0].shape)
    _k.path_centre_latitude_array(*(np.ascontiguousarray(a, dtype=np.float64).ravel() for a in arrs),
                                  out.reshape(-1))
    return float(out) if out.ndim == 0 else out


def _per_path(name, value, npath):
    a = as_float_array(name, value)
    if a.ndim == 0:
        return np.full(npath, float(a))
    if a.shape == (npath,):
        return np.ascontiguousarray(a)
    if npath == 1 and a.size == 1:
        return a.reshape(1).copy()
    raise ValueError(f"{name} has shape {a.shape}; expected a scalar or one value per path ({npath},)")


def _profile_array(name, value, shape, default):
    if value is None:
        return np.full(shape, default, dtype=np.float64)
    a = as_float_array(name, value)
    if a.shape != shape:
        raise ValueError(f"{name} has shape {a.shape}; it must match the profile d_km {shape}")
    return np.ascontiguousarray(a)


# --------------------------------------------------------------------------- one-path fast path
class _FastP1812Result(LazyResult, P1812Result):
    """A :class:`P1812Result` of the one-path fast path (fields read from the kernel output on first access)."""

    _BASE = P1812Result
    _POS = {name: i for i, name in enumerate(FIELDS)}

    def __reduce__(self):
        return (_rebuild_fast, (self.__dict__["_buf"],))


_FastP1812Result.__qualname__ = _FastP1812Result.__name__ = "P1812Result"


def _rebuild_fast(out):
    res = object.__new__(_FastP1812Result)
    res.__dict__["_buf"] = out
    return res


def _fast_one_path(d_km, h_m, f_ghz, p, htg_m, hrg_m, f_mhz, r_m, zone, pol, dn, n0, pl, sigma_l, wa_m, dct_km,
                   dcr_km, lat, lbulls_method):
    """P1812Result of one path at one (f, p) through one checked kernel call, or None (the
    general path then runs its checks and raises the precise error)."""
    ft = FLOAT_T
    if f_mhz is not None:
        if f_ghz is not None or type(f_mhz) not in ft:
            return None
        f_ghz = float(f_mhz) / 1000.0
    if dct_km is None:
        dct_km = 500.0
    if dcr_km is None:
        dcr_km = 500.0
    if sigma_l is None:
        sigma_l = -1.0
    elif type(sigma_l) not in ft or not sigma_l >= 0.0:
        return None
    if not (type(f_ghz) in ft and type(p) in ft and type(htg_m) in ft and type(hrg_m) in ft and type(dn) in ft
            and type(n0) in ft and type(pl) in ft and type(wa_m) in ft and type(dct_km) in ft
            and type(dcr_km) in ft and type(lat) in ft):
        return None
    polc = POL.get(pol) if type(pol) is str else None
    if lbulls_method == "profile":
        att4 = False
    elif lbulls_method == "attachment4":
        att4 = True
    else:
        return None
    vecs = profile_vectors(d_km, h_m, zone, r_m)
    if polc is None or vecs is None:
        return None
    d, h, zn, rr = vecs
    out = np.empty(len(FIELDS))
    rc = _k.p1812_api(d, h, rr, zn, float(f_ghz), float(p), float(htg_m), float(hrg_m), polc, float(dn), float(n0),
                      float(dct_km), float(dcr_km), float(lat), float(pl), float(sigma_l), float(wa_m), att4,
                      TERRAIN_H_RANGE_M[0], TERRAIN_H_RANGE_M[1], D_KM_RANGE[0], D_KM_RANGE[1], out)
    if rc != 0:
        return None
    return _rebuild_fast(out)


def basic_transmission_loss(d_km, h_m, f_ghz=None, p=50.0, htg_m=None, hrg_m=None, *, f_mhz=None,
                            n=None, r_m=None, ct=None, zone=None, pol="h", dn=45.0, n0=325.0,
                            pl=50.0, sigma_l=0.0, wa_m=100.0, dct_km=None, dcr_km=None, lat=None,
                            lat_t=None, lon_t=None, lat_r=None, lon_r=None,
                            lbulls_method="profile") -> P1812Result:
    """Basic transmission loss and field strength, Rec. ITU-R P.1812-6 §4, Eqs. (1)-(70).

    Loss not exceeded for ``p`` % of time and ``pl`` % of locations over a terrain
    profile, combining free space with multipath/focusing (§4.2), delta-Bullington
    diffraction over terrain + clutter (§4.3), troposcatter (§4.4), ducting/layer
    reflection (§4.5) and location variability (§4.8).

    Parameters
    ----------
    d_km : array_like
        Distance of each profile point from the transmitter, starting at 0 and strictly
        increasing; 1-D for one path, 2-D ``(n_paths, n_max)`` padded for a batch. [km]
    h_m : array_like
        Terrain height amsl of each profile point, same shape as ``d_km``. [m]
    f_ghz : array_like, optional
        Frequency, 0.03 to 6 (give this or ``f_mhz``). [GHz]
    p : array_like, optional
        Time percentage for which the loss is not exceeded, 1 to 50 (default 50). [%]
    htg_m, hrg_m : array_like
        Transmitter / receiver antenna heights above ground, 1 to 3000 (required). [m]
    f_mhz : array_like, optional
        Frequency, 30 to 6000, instead of ``f_ghz``. [MHz]
    n : array_like of int, optional
        Number of valid points per path (batch); default all points.
    r_m : array_like, optional
        Representative clutter height R of each profile point (P.1812-6 §3.2; the terminal
        points use the bare terrain). Default from the coverage codes ``ct`` via Table 2,
        or 0 everywhere. [m]
    ct : array_like, optional
        Coverage (clutter category) code per point: 1 water/sea, 2 open/rural, 3 suburban,
        4 urban/trees/forest, 5 dense urban; used for the default ``r_m``.
    zone : array_like, optional
        Radio-climatic zone per point: 1 sea, 3 coastal land, 4 inland (default 4).
    pol : {"h", "v"} or array_like, optional
        Polarisation (default horizontal); codes 1 = h, 2 = v also accepted.
    dn : array_like, optional
        Average radio-refractivity lapse rate through the lowest 1 km, 0 < dn < 157
        (default 45). [N-units/km]
    n0 : array_like, optional
        Sea-level surface refractivity at the path centre (default 325). [N-units]
    pl : array_like, optional
        Location percentage, 1 to 99 (default 50). [%]
    sigma_l : array_like or None, optional
        Location-variability standard deviation (default 0, as in the ITU-R validation
        set). ``None`` computes it from §4.8 Eq. (66) with ``wa_m`` and the clutter height
        next to the receiver. Ignored for a receiver at sea. [dB]
    wa_m : float, optional
        Prediction resolution for ``sigma_l=None`` (default 100). [m]
    dct_km, dcr_km : array_like, optional
        Distance over land from Tx / Rx to the coast (default 500 km); 0 is forced for a
        terminal whose zone code is 1 (sea). [km]
    lat : array_like, optional
        Path-centre latitude. Give this, or all of ``lat_t, lon_t, lat_r, lon_r``
        (the centre is then found along the great circle, P.2001-4 Attachment H). [deg]
    lat_t, lon_t, lat_r, lon_r : array_like, optional
        Terminal coordinates. [deg]
    lbulls_method : {"profile", "attachment4"}, optional
        How the smooth-path Bullington loss Lbulls is found: over the profile with all
        heights set to zero (§4.3.4, default, as the validation set) or with the closed
        form of Attachment 4 to Annex 1 (no profile analysis).

    Returns
    -------
    P1812Result
        ``lb`` [dB], ``ep`` [dB(uV/m) for 1 kW e.r.p.] and the intermediates in :data:`FIELDS`.

    Raises
    ------
    ValueError
        Naming the parameter, the value and the valid range.

    References
    ----------
    Rec. ITU-R P.1812-6 (08/2021); Rec. ITU-R P.526-16 §4.5; Rec. ITU-R P.2001-4 Attachment H.
    """
    model = "P.1812-6"
    if (n is None and ct is None and lat is not None and lat_t is None and lon_t is None and lat_r is None
            and lon_r is None and type(d_km) is np.ndarray and type(h_m) is np.ndarray):
        res = _fast_one_path(d_km, h_m, f_ghz, p, htg_m, hrg_m, f_mhz, r_m, zone, pol, dn, n0, pl, sigma_l, wa_m,
                             dct_km, dcr_km, lat, lbulls_method)
        if res is not None:
            return res
    # ---- profile -----------------------------------------------------------------------
    d = as_float_array("d_km", d_km)
    h = as_float_array("h_m", h_m)
    if d.ndim not in (1, 2):
        raise ValueError(f"d_km must be 1-D (one path) or 2-D (n_paths, n_max); got shape {d.shape}")
    single = d.ndim == 1
    if h.shape != d.shape:
        raise ValueError(f"h_m has shape {h.shape}; it must match d_km {d.shape}")
    if single:
        # one profile with per-case arrays (e.g. several frequencies): evaluate the profile once per case
        sizes = [np.size(v) for v in (f_ghz, f_mhz, p, htg_m, hrg_m, dn, n0, pl, sigma_l, dct_km, dcr_km, lat,
                                      lat_t, lon_t, lat_r, lon_r)
                 if v is not None and np.ndim(v) == 1]
        if (pol is not None and np.ndim(pol) == 1):
            sizes.append(np.size(pol))
        k = max(sizes, default=1)
        if k > 1 and n is None:
            single = False
            d = np.broadcast_to(d, (k, d.size))
            h = np.broadcast_to(h, d.shape)
            r_m = None if r_m is None else np.broadcast_to(as_float_array("r_m", r_m), d.shape)
            ct = None if ct is None else np.broadcast_to(as_float_array("ct", ct), d.shape)
            zone = None if zone is None else np.broadcast_to(as_float_array("zone", zone), d.shape)
    d2 = np.atleast_2d(d)
    npath, nmax = d2.shape
    shape = d2.shape
    h2 = np.ascontiguousarray(np.atleast_2d(h))
    if n is None:
        nn = np.full(npath, nmax, dtype=np.int64)
    else:
        na = as_float_array("n", n)
        nn = np.broadcast_to(na, (npath,)).astype(np.int64) if na.ndim == 0 else na.astype(np.int64)
        if nn.shape != (npath,) or np.any(nn != np.broadcast_to(na, nn.shape)):
            raise ValueError(f"n must be an integer per path ({npath},); got {n!r}")
        if np.any((nn < 3) | (nn > nmax)):
            bad = nn[(nn < 3) | (nn > nmax)][0]
            raise ValueError(f"n = {bad} is outside the valid range [3, {nmax}] (profile points per path)")
    if nmax < 3 or np.any(nn < 3):
        raise ValueError(f"a profile needs at least 3 points; got {int(nn.min()) if nn.size else 0}")
    idx = np.arange(npath)
    if np.any(d2[:, 0] != 0.0):
        k = int(np.argmax(d2[:, 0] != 0.0))
        raise ValueError(f"d_km must start at 0 (the transmitter); path {k} starts at {d2[k, 0]:g} km")
    valid_step = np.arange(1, nmax)[None, :] < nn[:, None]
    bad = (np.diff(d2, axis=1) <= 0) & valid_step
    if np.any(bad):
        k, i = (int(v[0]) for v in np.nonzero(bad))
        raise ValueError(f"d_km must be strictly increasing; path {k} has d_km[{i + 1}] = {d2[k, i + 1]:g} "
                         f"after {d2[k, i]:g}")
    valid = np.arange(nmax)[None, :] < nn[:, None]
    for nm, arr in (("d_km", d2), ("h_m", h2)):
        inf = np.isinf(arr) & valid
        if np.any(inf):
            k, i = (int(v[0]) for v in np.nonzero(inf))
            raise ValueError(f"{nm} must be finite; path {k} has {nm}[{i}] = {arr[k, i]:g}")
    check_terrain_heights("h_m", np.where(valid, h2, 0.0), model)
    dtot = d2[idx, nn - 1]
    bad_d = (dtot < D_KM_RANGE[0]) | (dtot > D_KM_RANGE[1])
    if np.any(bad_d):
        k = int(np.argmax(bad_d))
        raise ValueError(f"path length = {dtot[k]:g} km is outside the valid range [{D_KM_RANGE[0]:g}, "
                         f"{D_KM_RANGE[1]:g}] km ({model}, Annex 1 §1); path {k}")
    d2 = np.ascontiguousarray(d2)
    zn = _profile_array("zone", zone, d.shape, 4.0).reshape(shape)
    if np.any(~np.isin(zn, (1.0, 3.0, 4.0))):
        bad = zn[~np.isin(zn, (1.0, 3.0, 4.0))][0]
        raise ValueError(f"zone = {bad:g} is not a radio-climatic zone code (1 sea, 3 coastal land, 4 inland)")
    if ct is not None:
        cta = _profile_array("ct", ct, d.shape, 2.0).reshape(shape)
        if np.any(~np.isin(cta, (1.0, 2.0, 3.0, 4.0, 5.0))):
            bad = cta[~np.isin(cta, (1.0, 2.0, 3.0, 4.0, 5.0))][0]
            raise ValueError(f"ct = {bad:g} is not a coverage code 1-5 (P.1812-6 Table 2)")
    if r_m is None:
        if ct is None:
            rr = np.zeros(shape)
        else:
            lut = np.array([0.0] + [DEFAULT_CLUTTER_HEIGHT_M[i] for i in range(1, 6)])
            rr = lut[cta.astype(np.int64)]
    else:
        rr = _profile_array("r_m", r_m, d.shape, 0.0).reshape(shape)
        if np.any(rr < 0):
            raise ValueError(f"r_m = {rr[rr < 0][0]:g} must be >= 0 m (representative clutter height)")
    rr = np.ascontiguousarray(rr, dtype=np.float64)
    zn = np.ascontiguousarray(zn, dtype=np.float64)

    # ---- per-path scalars ----------------------------------------------------------------
    if f_ghz is None and f_mhz is None:
        raise ValueError("give the frequency as f_ghz or f_mhz")
    if f_ghz is not None and f_mhz is not None:
        raise ValueError("give the frequency as f_ghz or f_mhz, not both")
    if f_ghz is None:
        f = check_range("f_mhz", f_mhz, 30.0, 6000.0, "MHz", model) / 1000.0
    else:
        f = check_range("f_ghz", f_ghz, 0.03, 6.0, "GHz", model)
    f = _per_path("f", f, npath)
    pp = _per_path("p", check_range("p", p, 1.0, 50.0, "%", model), npath)
    if htg_m is None or hrg_m is None:
        raise ValueError("htg_m and hrg_m (antenna heights above ground, m) are required")
    htg = _per_path("htg_m", check_range("htg_m", htg_m, *H_AGL_RANGE_M, "m", model), npath)
    hrg = _per_path("hrg_m", check_range("hrg_m", hrg_m, *H_AGL_RANGE_M, "m", model), npath)
    pola = np.asarray(pol)
    if pola.dtype.kind in "USO":
        codes = {"h": 0.0, "horizontal": 0.0, "v": 1.0, "vertical": 1.0}
        polv = np.empty(pola.shape)
        for ij, v in np.ndenumerate(pola):
            key = str(v).strip().lower()
            if key not in codes:
                raise ValueError(f"pol = {v!r} is not 'h' or 'v'")
            polv[ij] = codes[key]
    else:
        polv = as_float_array("pol", pola)
        if np.any(~np.isin(polv, (1.0, 2.0))):
            raise ValueError(f"pol = {polv[~np.isin(polv, (1.0, 2.0))][0]:g} is not 1 (horizontal) or 2 (vertical)")
        polv = polv - 1.0
    polv = _per_path("pol", polv, npath)
    dnv = _per_path("dn", check_range("dn", dn, 0.0, 157.0, "N-units/km", model, lo_open=True, hi_open=True), npath)
    n0v = _per_path("n0", check_range("n0", n0, 0.0, np.inf, "N-units", model, lo_open=True), npath)
    plv = _per_path("pl", check_range("pl", pl, 1.0, 99.0, "%", model), npath)
    z_t = zn[idx, 0]
    z_r = zn[idx, nn - 1]
    dct = _per_path("dct_km", check_range("dct_km", 500.0 if dct_km is None else dct_km, 0.0, np.inf, "km"), npath)
    dcr = _per_path("dcr_km", check_range("dcr_km", 500.0 if dcr_km is None else dcr_km, 0.0, np.inf, "km"), npath)
    dct = np.where(z_t == 1.0, 0.0, dct)
    dcr = np.where(z_r == 1.0, 0.0, dcr)
    if sigma_l is None:
        r_rx = rr[idx, nn - 2]
        sl = np.array([_k.location_std(f[k], hrg[k], r_rx[k], float(wa_m)) for k in range(npath)])
    else:
        sl = _per_path("sigma_l", check_range("sigma_l", sigma_l, 0.0, np.inf, "dB"), npath)
    # path centre latitude
    coords = (lat_t, lon_t, lat_r, lon_r)
    if lat is not None:
        phi = _per_path("lat", check_range("lat", lat, -80.0, 80.0, "deg", model), npath)
    elif all(c is not None for c in coords):
        lt_ = _per_path("lat_t", check_range("lat_t", lat_t, -80.0, 80.0, "deg", model), npath)
        lr_ = _per_path("lat_r", check_range("lat_r", lat_r, -80.0, 80.0, "deg", model), npath)
        ot_ = _per_path("lon_t", check_range("lon_t", lon_t, -180.0, 360.0, "deg"), npath)
        or_ = _per_path("lon_r", check_range("lon_r", lon_r, -180.0, 360.0, "deg"), npath)
        phi = np.empty(npath)
        _k.path_centre_latitude_array(lt_, ot_, lr_, or_, 0.5 * dtot, phi)
        if np.any(np.abs(phi) > 80.0):
            raise ValueError(f"path-centre latitude = {phi[np.abs(phi) > 80][0]:g} is outside the valid "
                             f"range [-80, 80] deg ({model})")
    else:
        raise ValueError("give the path-centre latitude lat, or all of lat_t, lon_t, lat_r, lon_r")

    if lbulls_method not in ("profile", "attachment4"):
        raise ValueError(f"lbulls_method = {lbulls_method!r} is not 'profile' or 'attachment4'")
    kern = _k.p1812_batch if npath >= 8 else _k.p1812_batch_serial
    res = kern(d2, h2, rr, zn, nn, f, pp, htg, hrg, polv, dnv, n0v, dct, dcr, phi, plv, sl,
               lbulls_method == "attachment4")
    if single:
        vals = {name: float(res[0, i]) for i, name in enumerate(FIELDS)}
    else:
        vals = {name: res[:, i].copy() for i, name in enumerate(FIELDS)}
    return P1812Result(**vals)
