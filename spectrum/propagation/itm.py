"""Longley-Rice Irregular Terrain Model (ITM) 1.2.2, point-to-point and area modes.

The model is NTIA/ITS's Irregular Terrain Model, version 1.2.2 (G. A. Hufford, *The ITS
Irregular Terrain Model, version 1.2.2: The Algorithm*, 1995), with the semantics of NTIA's
reference C++ library (github.com/NTIA/itm, v1.3/1.4): the same inputs, the same
intermediate values, the same warning bit-flags and error codes. Errors raise
:class:`ValueError` naming the parameter and NTIA's error code; warnings are returned in the
result (``warning_flags`` as NTIA's bit field, ``warnings`` decoded to NTIA's names). The
errors are :class:`ITMInputError` (a ``ValueError``) with NTIA's ``code`` and ``name``.

Entry points
------------
:func:`point_to_point`
    Terrain profile (NTIA PFL array ``[np, xi, z_0 ... z_np]`` or equally spaced
    ``(d_km, h_m)``), one path or a batch of padded profiles with lengths ``n``;
    time/location/situation (TLS) or reliability/confidence (CR) quantiles.
:func:`area`
    Area prediction from ``d_km`` and the terrain irregularity ``delta_h_m`` with siting
    criteria; every input broadcasts (e.g. a table of distances by confidences).

The Numba kernels are in :mod:`spectrum.kernels.itm` (documented in ``docs/itm.md``); input
handling in :mod:`spectrum.propagation._itm_inputs`. A one-path call with scalar inputs and a
float64 PFL array takes a fast path: one kernel call checks the PFL array (shape, spacing,
finite elevations inside [-500, 9000] m) and every NTIA input, and computes the loss; any
problem sends the call through the general path, which raises the precise error.

References
----------
G. A. Hufford, A. G. Longley, W. A. Kissick, "A guide to the use of the ITS Irregular Terrain
Model in the area prediction mode", NTIA Report 82-100, 1982.
G. A. Hufford, "The ITS Irregular Terrain Model, version 1.2.2: The Algorithm", NTIA/ITS, 1995.
A. G. Longley, P. L. Rice, "Prediction of tropospheric radio transmission loss over irregular
terrain: a computer method", ESSA Tech. Rep. ERL 79-ITS 67, 1968.
NTIA/ITS, Irregular Terrain Model reference library, github.com/NTIA/itm.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validate import TERRAIN_H_RANGE_M, as_float_array, check_terrain_heights
from ..kernels import itm as _k
from ._fastpath import FLOAT_T, POL
from ._itm_inputs import (CLIMATE_NAMES, ERROR_CODES, MDVAR_NAMES, MODE_NAMES,  # noqa: F401
                          WARNING_NAMES, ITMInputError, _check_kernel_codes, _common, _float_param,
                          _inputs_record, _prepare_profiles, _quantiles, _raise_code, _siting_code,
                          decode_warnings, pfl_from_profile, read_pfl)

MODEL = "NTIA ITM 1.2.2 (Longley-Rice), NTIA/itm library semantics"


@dataclass
class ITMResult:
    """Result of :func:`point_to_point` or :func:`area` (NTIA's ``IntermediateValues``).

    Scalars for one path or point, arrays for batches. ``a_db`` has the shape of the
    quantile inputs for a single profile (e.g. a reliability x confidence table).
    """

    a_db: Any
    """Basic transmission loss [dB]."""
    a_fs_db: Any
    """Free-space basic transmission loss [dB]."""
    a_ref_db: Any
    """Reference (median) attenuation relative to free space [dB]."""
    d_km: Any
    """Path distance [km]."""
    theta_hzn_tx: Any
    """Tx horizon elevation angle [rad]."""
    theta_hzn_rx: Any
    """Rx horizon elevation angle [rad]."""
    d_hzn_tx_m: Any
    """Tx horizon distance [m]."""
    d_hzn_rx_m: Any
    """Rx horizon distance [m]."""
    h_e_tx_m: Any
    """Tx effective height [m]."""
    h_e_rx_m: Any
    """Rx effective height [m]."""
    n_s: Any
    """Surface refractivity [N-units]."""
    delta_h_m: Any
    """Terrain irregularity parameter [m]."""
    mode: Any
    """Propagation mode: 1 line of sight, 2 diffraction, 3 troposcatter."""
    warning_flags: Any
    """NTIA warning bit field (int, or int array shaped like ``a_db``)."""
    return_code: Any
    """NTIA return code: 0 success, 1 success with warnings."""
    inputs: dict = field(default_factory=dict, repr=False)

    @property
    def lb(self):
        """Basic transmission loss [dB] (alias of ``a_db``, the name P.452 results use)."""
        return self.a_db

    @property
    def warnings(self) -> list[str]:
        """Decoded NTIA warning names (union over all elements for arrays)."""
        flags = np.bitwise_or.reduce(np.atleast_1d(np.asarray(self.warning_flags, dtype=np.int64)).ravel())
        return decode_warnings(int(flags))

    @property
    def mode_name(self):
        """Name of the propagation mode (a list for arrays)."""
        m = np.asarray(self.mode)
        if m.ndim == 0:
            return MODE_NAMES[int(m)]
        return [MODE_NAMES[int(v)] for v in m.ravel()]

    def to_dict(self) -> dict:
        """JSON-ready dictionary of all values (angles in mrad are added for convenience)."""
        out: dict[str, Any] = {}
        for k in ("a_db", "a_fs_db", "a_ref_db", "d_km", "theta_hzn_tx", "theta_hzn_rx", "d_hzn_tx_m",
                  "d_hzn_rx_m", "h_e_tx_m", "h_e_rx_m", "n_s", "delta_h_m", "mode", "warning_flags",
                  "return_code"):
            v = getattr(self, k)
            out[k] = v.tolist() if isinstance(v, np.ndarray) else v
        out["mode_name"] = self.mode_name
        out["warnings"] = self.warnings
        out["model"] = MODEL
        out["inputs"] = self.inputs
        return out



def _result_from_out(out: np.ndarray, a_db, flags, scalar: bool, inputs: dict) -> ITMResult:
    def col(j, dtype=float):
        v = out[:, j]
        if scalar:
            return dtype(v[0])
        return v.astype(dtype) if dtype is int else v.copy()

    if scalar and np.ndim(a_db) == 0:
        a_db = float(a_db)
        flags = int(flags)
    rc = np.where(np.asarray(flags) != 0, _k.SUCCESS_WITH_WARNINGS, _k.SUCCESS)
    return ITMResult(
        a_db=a_db, a_fs_db=col(_k.OUT_A_FS_DB), a_ref_db=col(_k.OUT_A_REF_DB), d_km=col(_k.OUT_D_KM),
        theta_hzn_tx=col(_k.OUT_THETA_HZN_TX), theta_hzn_rx=col(_k.OUT_THETA_HZN_RX),
        d_hzn_tx_m=col(_k.OUT_D_HZN_TX_M), d_hzn_rx_m=col(_k.OUT_D_HZN_RX_M),
        h_e_tx_m=col(_k.OUT_H_E_TX_M), h_e_rx_m=col(_k.OUT_H_E_RX_M), n_s=col(_k.OUT_N_S),
        delta_h_m=col(_k.OUT_DELTA_H_M), mode=col(_k.OUT_MODE, int),
        warning_flags=flags, return_code=int(rc) if np.ndim(rc) == 0 else rc, inputs=inputs,
    )


# =========================================================================================
# One-path fast path
# =========================================================================================
_INT_T = frozenset({int, np.int64, np.int32})
_FAST_POL_INT = {0: 0, 1: 1}
_Z_MIN, _Z_MAX = TERRAIN_H_RANGE_M


def _fast_p2p(profile, h_tx_m, h_rx_m, f_mhz, climate, n_0, pol, epsilon, sigma, mdvar, time, location,
              situation, reliability, confidence):
    """ITMResult for one PFL profile and scalar inputs, or None (then the general path runs)."""
    if profile.ndim != 1 or profile.dtype != np.float64:
        return None
    ft = FLOAT_T
    if not (type(h_tx_m) in ft and type(h_rx_m) in ft and type(f_mhz) in ft and type(n_0) in ft
            and type(epsilon) in ft and type(sigma) in ft and type(climate) in _INT_T and type(mdvar) in _INT_T):
        return None
    tp = type(pol)
    pc = POL.get(pol) if tp is str else _FAST_POL_INT.get(pol) if tp in _INT_T else None
    if pc is None:
        return None
    if reliability is None and confidence is None:
        t = 50.0 if time is None else time
        loc = 50.0 if location is None else location
        s = 50.0 if situation is None else situation
        cr = False
    elif time is None and location is None and situation is None:
        t = 50.0 if reliability is None else reliability
        loc = 50.0
        s = 50.0 if confidence is None else confidence
        cr = True
    else:
        return None
    if not (type(t) in ft and type(loc) in ft and type(s) in ft):
        return None
    out = np.empty(_k.N_OUT)
    h_tx_m = float(h_tx_m)
    h_rx_m = float(h_rx_m)
    f_mhz = float(f_mhz)
    n_0 = float(n_0)
    epsilon = float(epsilon)
    sigma = float(sigma)
    t = float(t)
    loc = float(loc)
    s = float(s)
    rc = _k.p2p_api(profile, h_tx_m, h_rx_m, int(climate), n_0, f_mhz, pc, epsilon, sigma, int(mdvar), t, loc, s,
                    _Z_MIN, _Z_MAX, out)
    if rc != 0 and rc != 1:
        return None
    v = out.tolist()
    inputs = {"mode": "p2p", "form": "CR" if cr else "TLS", "h_tx_m": h_tx_m, "h_rx_m": h_rx_m,
              "climate": int(climate), "n_0": n_0, "n_s": None, "f_mhz": f_mhz, "pol": pc, "epsilon": epsilon,
              "sigma": sigma, "mdvar": int(mdvar)}
    if cr:
        inputs["reliability"] = t
        inputs["confidence"] = s
    else:
        inputs["time"] = t
        inputs["location"] = loc
        inputs["situation"] = s
    return ITMResult(v[_k.OUT_A_DB], v[_k.OUT_A_FS_DB], v[_k.OUT_A_REF_DB], v[_k.OUT_D_KM],
                     v[_k.OUT_THETA_HZN_TX], v[_k.OUT_THETA_HZN_RX], v[_k.OUT_D_HZN_TX_M], v[_k.OUT_D_HZN_RX_M],
                     v[_k.OUT_H_E_TX_M], v[_k.OUT_H_E_RX_M], v[_k.OUT_N_S], v[_k.OUT_DELTA_H_M],
                     int(v[_k.OUT_MODE]), int(v[_k.OUT_WARNINGS]), rc, inputs)


# =========================================================================================
# Public API
# =========================================================================================
def point_to_point(profile, h_tx_m, h_rx_m, f_mhz, *, climate=5, n_0=301.0, n_s=None, pol="h",
                   epsilon=15.0, sigma=0.005, mdvar=12, time=None, location=None, situation=None,
                   reliability=None, confidence=None, n=None) -> ITMResult:
    """Basic transmission loss over a terrain profile, ITM 1.2.2 point-to-point mode.

    NTIA ITM 1.2.2, point-to-point mode (``qlrpfl``; NTIA library ``ITM_P2P_TLS_Ex`` and
    ``ITM_P2P_CR_Ex``): A = A_fs + A_ref - V_med - Y_R - Y_S [Algorithm §5, Eq. 5.1-5.11].

    Parameters
    ----------
    profile : array_like or tuple
        NTIA PFL array ``[np, xi_m, z_0, ..., z_np]`` (``np`` intervals of ``xi_m`` metres,
        ``np + 1`` elevations [m] from Tx to Rx), or ``(d_km, h_m)`` equally spaced from
        d = 0 at the Tx. For a batch: ``(d_km, h_m)`` padded 2-D arrays (n_paths, n_max)
        with ``n`` the number of valid samples per path.
    h_tx_m, h_rx_m : float or array_like
        Structural antenna heights above ground [m] (0.5 to 3000; warning outside 1 to 1000).
    f_mhz : float or array_like
        Frequency [MHz], 20 to 20 000 (warning outside 40 to 10 000).
    climate : int
        Radio climate: 1 equatorial, 2 continental subtropical, 3 maritime subtropical,
        4 desert, 5 continental temperate, 6 maritime temperate over land, 7 maritime
        temperate over sea.
    n_0 : float
        Sea-level surface refractivity [N-units], 250 to 400; N_s = N_0 exp(-h_sys/9460)
        with h_sys the mean profile elevation (first and last 10 % ignored).
    n_s : float, optional
        Surface refractivity [N-units] given directly (150 to 400), as the Fortran QKPFL
        driver does (N_s = 314); ``n_0`` is then ignored.
    pol : {"h", "v", 0, 1}
        Polarisation.
    epsilon, sigma : float
        Ground relative permittivity and conductivity [S/m].
    mdvar : int
        Mode of variability: 0 single message, 1 accidental, 2 mobile, 3 broadcast;
        +10 location variability eliminated, +20 direct situation variability eliminated.
    time, location, situation : float or array_like, optional
        Time/location/situation percentages (TLS form), each in (0, 100); 50 if omitted.
    reliability, confidence : float or array_like, optional
        Confidence/reliability (CR) form, as NTIA maps it: time = reliability,
        location = 50, situation = confidence.
    n : array_like of int, optional
        Valid samples per path of padded 2-D profiles.

    Returns
    -------
    ITMResult
        ``a_db`` (basic transmission loss [dB]) and NTIA's intermediate values. For one
        profile, the quantile arguments broadcast together and ``a_db`` takes their shape
        (e.g. ``reliability=[[10], [50], [90]], confidence=[10, 50, 90]`` gives a 3x3 table).
        For a batch every argument broadcasts to (n_paths,).

    Raises
    ------
    ValueError
        With the parameter, its value and NTIA's error code (e.g. ``ERROR__FREQUENCY``).

    References
    ----------
    G. A. Hufford, The ITS Irregular Terrain Model, version 1.2.2: The Algorithm, NTIA/ITS, 1995.
    NTIA/ITS ITM reference library v1.4, github.com/NTIA/itm (ITM_P2P_TLS_Ex, ITM_P2P_CR_Ex).
    """
    if n is None and n_s is None and type(profile) is np.ndarray:
        res = _fast_p2p(profile, h_tx_m, h_rx_m, f_mhz, climate, n_0, pol, epsilon, sigma, mdvar, time,
                        location, situation, reliability, confidence)
        if res is not None:
            return res
    p = _common(h_tx_m, h_rx_m, climate, n_0, n_s, f_mhz, pol, epsilon, sigma, mdvar)
    q, form = _quantiles(time, location, situation, reliability, confidence)
    z, lengths, xi, single = _prepare_profiles(profile, n)
    inputs = _inputs_record("p2p", form, n_s, {**p, **q})

    if single:
        for k, v in p.items():
            if v.ndim:
                raise ValueError(f"{k} must be a scalar for a single profile (got shape {v.shape}); "
                                 "use padded 2-D profiles for a batch")
        ref = np.empty(_k.N_OUT)
        _k.p2p_reference(z[0], int(lengths[0]), float(xi[0]), float(p["h_tx_m"]), float(p["h_rx_m"]),
                         int(p["climate"]), float(p["n_0"]), float(p["n_s"]), float(p["f_mhz"]),
                         int(p["pol"]), float(p["epsilon"]), float(p["sigma"]), int(p["mdvar"]), ref)
        _check_kernel_codes(np.array([int(ref[_k.OUT_RETURN])]), p, "path")
        shape = q["time"].shape
        t = np.ascontiguousarray(q["time"].ravel())
        a = np.empty(t.size)
        w = np.empty(t.size)
        _k.variability_many(ref, t, np.ascontiguousarray(q["location"].ravel()),
                            np.ascontiguousarray(q["situation"].ravel()), float(p["f_mhz"]),
                            int(p["climate"]), int(p["mdvar"]), a, w)
        flags = w.astype(np.int64).reshape(shape)
        a_db = a.reshape(shape)
        if a_db.ndim == 0:
            a_db, flags = float(a_db), int(flags)
        return _result_from_out(ref[None, :], a_db, flags, True, inputs)

    n_paths = z.shape[0]
    try:
        b = {k: np.ascontiguousarray(np.broadcast_to(v, (n_paths,))) for k, v in {**p, **q}.items()}
    except ValueError:
        shapes = {k: v.shape for k, v in {**p, **q}.items() if v.ndim}
        raise ValueError(f"batch arguments must broadcast to (n_paths,) = ({n_paths},); got {shapes}") from None
    out = np.empty((n_paths, _k.N_OUT))
    _k.p2p_batch(z, lengths, xi, b["h_tx_m"], b["h_rx_m"], b["climate"], b["n_0"], b["n_s"], b["f_mhz"],
                 b["pol"], b["epsilon"], b["sigma"], b["mdvar"], b["time"], b["location"], b["situation"], out)
    _check_kernel_codes(out[:, _k.OUT_RETURN].astype(np.int64), b, "path")
    return _result_from_out(out, out[:, _k.OUT_A_DB].copy(), out[:, _k.OUT_WARNINGS].astype(np.int64),
                            False, inputs)


def basic_transmission_loss(d_km, h_m, f_ghz, p, htg_m, hrg_m, *, n=None, pol="v", climate=5, n_0=301.0,
                            n_s=None, epsilon=15.0, sigma=0.005, mdvar=12, location=50.0,
                            situation=50.0) -> ITMResult:
    """Basic transmission loss not exceeded for p % of time, ITM 1.2.2 point-to-point mode.

    The P.452-style entry point (same argument order and batch conventions as
    ``spectrum.propagation.p452.basic_transmission_loss``) used by evaluations and sweeps:
    NTIA ITM 1.2.2 point-to-point with time percentage ``p`` (ITM's loss quantiles are losses
    not exceeded for that percentage of time, as P.452's L_b(p)), location and situation 50 %
    by default [Algorithm §5, Eq. 5.1-5.11].

    Parameters
    ----------
    d_km, h_m : array_like
        Equally spaced profile from the Tx (d = 0), 1-D, or padded 2-D (n_paths, n_max) with ``n``.
    f_ghz : float or array_like
        Frequency [GHz], 0.02 to 20.
    p : float or array_like
        Time percentage [%], 0 < p < 100.
    htg_m, hrg_m : float or array_like
        Antenna heights above ground [m].
    n : array_like of int, optional
        Valid samples per path for padded 2-D profiles.
    pol, climate, n_0, n_s, epsilon, sigma, mdvar, location, situation
        As :func:`point_to_point` (default mdvar 12: location variability eliminated).

    Returns
    -------
    ITMResult
        ``lb`` (= ``a_db``) [dB] and NTIA's intermediate values, per path for a batch.

    References
    ----------
    G. A. Hufford, The ITS Irregular Terrain Model, version 1.2.2: The Algorithm, NTIA/ITS, 1995.
    """
    f = as_float_array("f_ghz", f_ghz)
    if np.any((f < 0.02) | (f > 20.0)):
        _raise_code(_k.ERROR_FREQUENCY, float(f[(f < 0.02) | (f > 20.0)].ravel()[0]) * 1000.0 if f.ndim
                    else float(f) * 1000.0, " (f_ghz x 1000)")
    d = np.asarray(d_km, dtype=np.float64)
    prof = (d_km, h_m)
    if d.ndim == 1:
        return point_to_point(prof, _squeeze(htg_m), _squeeze(hrg_m), _squeeze(f * 1000.0), climate=climate,
                              n_0=n_0, n_s=n_s, pol=pol, epsilon=epsilon, sigma=sigma, mdvar=mdvar,
                              time=_squeeze(p), location=location, situation=situation)
    return point_to_point(prof, htg_m, hrg_m, f * 1000.0, n=n, climate=climate, n_0=n_0, n_s=n_s, pol=pol,
                          epsilon=epsilon, sigma=sigma, mdvar=mdvar, time=p, location=location,
                          situation=situation)


def _squeeze(v):
    """A size-1 array as a scalar (single-path calls take scalars)."""
    a = np.asarray(v)
    return a.reshape(()).item() if a.size == 1 else v


def point_to_point_along(h_m, step_m, h_tx_m, h_rx_m, f_mhz, *, n=None, start_km=0.0, climate=5,
                         n_0=301.0, n_s=None, pol="h", epsilon=15.0, sigma=0.005, mdvar=12, time=None,
                         location=None, situation=None, reliability=None, confidence=None):
    """ITM point-to-point loss to every sample along equally spaced profiles (coverage radials).

    For each profile (row of ``h_m``) the Tx is at sample 0 and a receiver of height
    ``h_rx_m`` is put at every sample k >= 1 in turn; each is NTIA ITM 1.2.2 point-to-point
    over the prefix ``h_m[:k + 1]`` (as :func:`point_to_point`), computed in parallel over rows.

    Parameters
    ----------
    h_m : array_like
        Terrain heights [m], 1-D (one radial) or 2-D (n_paths, n_max), sample 0 at the Tx.
    step_m : float or array_like
        Sample spacing [m] (one value, or one per row).
    n : array_like of int, optional
        Valid samples per row (default: all).
    start_km : float
        Receivers closer than this get NaN (skips the work there).
    Other parameters
        As :func:`point_to_point` (quantiles are scalars here).

    Returns
    -------
    a_db, warning_flags : ndarray
        Loss [dB] and NTIA warning flags, shaped like ``h_m``; NaN at sample 0, before
        ``start_km`` and past ``n``.

    References
    ----------
    G. A. Hufford, The ITS Irregular Terrain Model, version 1.2.2: The Algorithm, NTIA/ITS, 1995.
    """
    p = _common(h_tx_m, h_rx_m, climate, n_0, n_s, f_mhz, pol, epsilon, sigma, mdvar)
    q, _form = _quantiles(time, location, situation, reliability, confidence)
    for k, v in {**p, **q}.items():
        if v.ndim:
            raise ValueError(f"{k} must be a scalar here (got shape {v.shape})")
    h = np.asarray(h_m, dtype=np.float64)
    single = h.ndim == 1
    h2 = np.ascontiguousarray(np.atleast_2d(h))
    if h2.ndim != 2:
        raise ValueError(f"h_m must be 1-D or 2-D, got {h.ndim}-D")
    n_paths, n_max = h2.shape
    lengths = np.full(n_paths, n_max, dtype=np.int64) if n is None else np.asarray(n, dtype=np.int64).reshape(-1)
    if lengths.shape != (n_paths,) or np.any((lengths < 2) | (lengths > n_max)):
        raise ValueError(f"n must give one length in [2, {n_max}] per row ({n_paths} rows)")
    xi = np.ascontiguousarray(np.broadcast_to(_float_param("step_m", step_m, _k.ERROR_PATH_DISTANCE,
                                                           lambda v: v > 0.0), (n_paths,)), dtype=np.float64)
    for r in range(n_paths):
        if np.isnan(h2[r, :lengths[r]]).any():
            raise ValueError(f"h_m row {r} contains NaN inside its length n = {lengths[r]}")
        check_terrain_heights("h_m", h2[r, :lengths[r]], f"ITM, row {r}")
    k_start = int(np.ceil(float(start_km) * 1000.0 / float(xi.min()) - 1e-9)) if start_km > 0 else 1
    a = np.empty((n_paths, n_max))
    w = np.empty((n_paths, n_max))
    _k.p2p_along_batch(h2, lengths, xi, max(k_start, 1), float(p["h_tx_m"]), float(p["h_rx_m"]),
                       int(p["climate"]), float(p["n_0"]), float(p["n_s"]), float(p["f_mhz"]), int(p["pol"]),
                       float(p["epsilon"]), float(p["sigma"]), int(p["mdvar"]), float(q["time"]),
                       float(q["location"]), float(q["situation"]), a, w)
    codes = w.astype(np.int64)
    bad = codes < 0  # minus an NTIA error code
    if np.any(bad):
        r, k = (int(v) for v in np.argwhere(bad)[0])
        _raise_code(-int(codes[r, k]), None, f" (row {r}, sample {k})")
    if single:
        return a[0], codes[0]
    return a, codes


def area(d_km, h_tx_m, h_rx_m, f_mhz, delta_h_m, *, tx_siting=0, rx_siting=0, climate=5, n_0=301.0,
         n_s=None, pol="h", epsilon=15.0, sigma=0.005, mdvar=1, time=None, location=None,
         situation=None, reliability=None, confidence=None) -> ITMResult:
    """Basic transmission loss, ITM 1.2.2 area prediction mode.

    NTIA ITM 1.2.2, area mode (``qlra``; NTIA library ``ITM_AREA_TLS_Ex`` / ``ITM_AREA_CR_Ex``):
    effective heights, horizon distances and angles from siting criteria and Delta_h
    [Algorithm Eq. 3.2-3.4], then A = A_fs + A_ref - V_med - Y_R - Y_S [Algorithm §5].

    Parameters
    ----------
    d_km : float or array_like
        Path distance [km], > 0 (warnings below 1 km and above 1000 km).
    h_tx_m, h_rx_m : float or array_like
        Structural antenna heights [m], 0.5 to 3000.
    f_mhz : float or array_like
        Frequency [MHz], 20 to 20 000.
    delta_h_m : float or array_like
        Terrain irregularity parameter Delta_h [m], >= 0 (90 m is "average" terrain).
    tx_siting, rx_siting : {0, 1, 2, "random", "careful", "very_careful"}
        Siting criteria of the terminals.
    climate, n_0, n_s, pol, epsilon, sigma, mdvar
        As in :func:`point_to_point`; area mode takes N_s = N_0 unless ``n_s`` is given.
    time, location, situation, reliability, confidence : float or array_like, optional
        Quantiles (TLS or CR form), 50 % if omitted.

    Returns
    -------
    ITMResult
        Every input broadcasts; all fields take the broadcast shape (floats for scalars).

    References
    ----------
    G. A. Hufford, A. G. Longley, W. A. Kissick, NTIA Report 82-100, 1982.
    NTIA/ITS ITM reference library v1.4, github.com/NTIA/itm (ITM_AREA_TLS_Ex, ITM_AREA_CR_Ex).
    """
    p = _common(h_tx_m, h_rx_m, climate, n_0, n_s, f_mhz, pol, epsilon, sigma, mdvar)
    q, form = _quantiles(time, location, situation, reliability, confidence)  # NTIA checks these first
    p["d_km"] = _float_param("d_km", d_km, _k.ERROR_PATH_DISTANCE, lambda v: v > 0.0)
    p["delta_h_m"] = _float_param("delta_h_m", delta_h_m, _k.ERROR_DELTA_H, lambda v: v >= 0.0)
    p["tx_siting"] = _siting_code("tx_siting", tx_siting, _k.ERROR_TX_SITING_CRITERIA)
    p["rx_siting"] = _siting_code("rx_siting", rx_siting, _k.ERROR_RX_SITING_CRITERIA)
    allp = {**p, **q}
    inputs = _inputs_record("area", form, n_s, allp)
    try:
        shape = np.broadcast_shapes(*(v.shape for v in allp.values()))
    except ValueError:
        raise ValueError(f"area inputs do not broadcast: { {k: v.shape for k, v in allp.items() if v.ndim} }") from None
    b = {k: np.ascontiguousarray(np.broadcast_to(v, shape).ravel()) for k, v in allp.items()}
    size = int(np.prod(shape)) if shape else 1
    out = np.empty((size, _k.N_OUT))
    _k.area_batch(b["d_km"], b["delta_h_m"], b["h_tx_m"], b["h_rx_m"], b["tx_siting"], b["rx_siting"],
                  b["climate"], b["n_0"], b["n_s"], b["f_mhz"], b["pol"], b["epsilon"], b["sigma"], b["mdvar"],
                  b["time"], b["location"], b["situation"], out)
    _check_kernel_codes(out[:, _k.OUT_RETURN].astype(np.int64), b, "element")
    scalar = shape == ()
    if scalar:
        return _result_from_out(out, float(out[0, _k.OUT_A_DB]), int(out[0, _k.OUT_WARNINGS]), True, inputs)
    res = _result_from_out(out, out[:, _k.OUT_A_DB].reshape(shape),
                           out[:, _k.OUT_WARNINGS].astype(np.int64).reshape(shape), False, inputs)
    for name in ("a_fs_db", "a_ref_db", "d_km", "theta_hzn_tx", "theta_hzn_rx", "d_hzn_tx_m", "d_hzn_rx_m",
                 "h_e_tx_m", "h_e_rx_m", "n_s", "delta_h_m", "mode", "return_code"):
        setattr(res, name, np.asarray(getattr(res, name)).reshape(shape))
    return res
