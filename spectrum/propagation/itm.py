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

The Numba kernels are in :mod:`spectrum.kernels.itm` (documented in ``docs/itm.md``).

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
from pathlib import Path
from typing import Any

import numpy as np

from .._validate import as_float_array, check_finite
from ..kernels import itm as _k

MODEL = "NTIA ITM 1.2.2 (Longley-Rice), NTIA/itm library semantics"

#: NTIA warning bit -> name (Warnings.h)
WARNING_NAMES: dict[int, str] = {
    _k.WARN_TX_TERMINAL_HEIGHT: "WARN__TX_TERMINAL_HEIGHT",
    _k.WARN_RX_TERMINAL_HEIGHT: "WARN__RX_TERMINAL_HEIGHT",
    _k.WARN_FREQUENCY: "WARN__FREQUENCY",
    _k.WARN_PATH_DISTANCE_TOO_BIG_1: "WARN__PATH_DISTANCE_TOO_BIG_1",
    _k.WARN_PATH_DISTANCE_TOO_BIG_2: "WARN__PATH_DISTANCE_TOO_BIG_2",
    _k.WARN_PATH_DISTANCE_TOO_SMALL_1: "WARN__PATH_DISTANCE_TOO_SMALL_1",
    _k.WARN_PATH_DISTANCE_TOO_SMALL_2: "WARN__PATH_DISTANCE_TOO_SMALL_2",
    _k.WARN_TX_HORIZON_ANGLE: "WARN__TX_HORIZON_ANGLE",
    _k.WARN_RX_HORIZON_ANGLE: "WARN__RX_HORIZON_ANGLE",
    _k.WARN_TX_HORIZON_DISTANCE_1: "WARN__TX_HORIZON_DISTANCE_1",
    _k.WARN_RX_HORIZON_DISTANCE_1: "WARN__RX_HORIZON_DISTANCE_1",
    _k.WARN_TX_HORIZON_DISTANCE_2: "WARN__TX_HORIZON_DISTANCE_2",
    _k.WARN_RX_HORIZON_DISTANCE_2: "WARN__RX_HORIZON_DISTANCE_2",
    _k.WARN_EXTREME_VARIABILITIES: "WARN__EXTREME_VARIABILITIES",
    _k.WARN_SURFACE_REFRACTIVITY: "WARN__SURFACE_REFRACTIVITY",
}

#: NTIA return/error code -> (name, parameter it concerns, description) (Errors.h)
ERROR_CODES: dict[int, tuple[str, str, str]] = {
    _k.ERROR_TX_TERMINAL_HEIGHT: ("ERROR__TX_TERMINAL_HEIGHT", "h_tx_m", "must be in [0.5, 3000] m"),
    _k.ERROR_RX_TERMINAL_HEIGHT: ("ERROR__RX_TERMINAL_HEIGHT", "h_rx_m", "must be in [0.5, 3000] m"),
    _k.ERROR_INVALID_RADIO_CLIMATE: ("ERROR__INVALID_RADIO_CLIMATE", "climate", "must be 1 to 7"),
    _k.ERROR_INVALID_TIME: ("ERROR__INVALID_TIME", "time", "must be in (0, 100) %"),
    _k.ERROR_INVALID_LOCATION: ("ERROR__INVALID_LOCATION", "location", "must be in (0, 100) %"),
    _k.ERROR_INVALID_SITUATION: ("ERROR__INVALID_SITUATION", "situation", "must be in (0, 100) %"),
    _k.ERROR_INVALID_CONFIDENCE: ("ERROR__INVALID_CONFIDENCE", "confidence", "must be in (0, 100) %"),
    _k.ERROR_INVALID_RELIABILITY: ("ERROR__INVALID_RELIABILITY", "reliability", "must be in (0, 100) %"),
    _k.ERROR_REFRACTIVITY: ("ERROR__REFRACTIVITY", "n_0", "must be in [250, 400] N-units"),
    _k.ERROR_FREQUENCY: ("ERROR__FREQUENCY", "f_mhz", "must be in [20, 20000] MHz"),
    _k.ERROR_POLARIZATION: ("ERROR__POLARIZATION", "pol", "must be 0/'h' or 1/'v'"),
    _k.ERROR_EPSILON: ("ERROR__EPSILON", "epsilon", "must be >= 1"),
    _k.ERROR_SIGMA: ("ERROR__SIGMA", "sigma", "must be > 0 S/m"),
    _k.ERROR_GROUND_IMPEDANCE: ("ERROR__GROUND_IMPEDANCE", "epsilon/sigma",
                                "give a ground impedance whose imaginary part exceeds its real part"),
    _k.ERROR_MDVAR: ("ERROR__MDVAR", "mdvar", "must be 0-3, 10-13, 20-23 or 30-33"),
    _k.ERROR_EFFECTIVE_EARTH: ("ERROR__EFFECTIVE_EARTH", "n_s",
                               "gives an effective earth radius outside [4000, 13333] km"),
    _k.ERROR_PATH_DISTANCE: ("ERROR__PATH_DISTANCE", "d_km", "must be > 0"),
    _k.ERROR_DELTA_H: ("ERROR__DELTA_H", "delta_h_m", "must be >= 0"),
    _k.ERROR_TX_SITING_CRITERIA: ("ERROR__TX_SITING_CRITERIA", "tx_siting", "must be 0, 1 or 2"),
    _k.ERROR_RX_SITING_CRITERIA: ("ERROR__RX_SITING_CRITERIA", "rx_siting", "must be 0, 1 or 2"),
    _k.ERROR_SURFACE_REFRACTIVITY_SMALL: ("ERROR__SURFACE_REFRACTIVITY_SMALL", "n_s",
                                          "surface refractivity below 150 N-units"),
    _k.ERROR_SURFACE_REFRACTIVITY_LARGE: ("ERROR__SURFACE_REFRACTIVITY_LARGE", "n_s",
                                          "surface refractivity above 400 N-units"),
}

#: propagation mode code -> name
MODE_NAMES = {0: "not set", 1: "line of sight", 2: "diffraction", 3: "troposcatter"}

#: climate code -> NTIA name
CLIMATE_NAMES = {
    1: "equatorial", 2: "continental subtropical", 3: "maritime subtropical", 4: "desert",
    5: "continental temperate", 6: "maritime temperate over land", 7: "maritime temperate over sea",
}

#: mdvar base mode -> name (add 10: location variability eliminated, 20: direct situation
#: variability eliminated)
MDVAR_NAMES = {0: "single message", 1: "accidental", 2: "mobile", 3: "broadcast"}

_SITING = {"random": 0, "careful": 1, "very_careful": 2, "very careful": 2}


def decode_warnings(flags: int) -> list[str]:
    """NTIA warning names set in the bit field ``flags`` (e.g. ``0x0400``)."""
    flags = int(flags)
    return [name for bit, name in WARNING_NAMES.items() if flags & bit]


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


# =========================================================================================
# Input handling
# =========================================================================================
class ITMInputError(ValueError):
    """Invalid ITM input: a :class:`ValueError` carrying NTIA's error ``code`` (e.g. 1009),
    its ``name`` (``"ERROR__FREQUENCY"``) and the ``parameter`` concerned."""

    def __init__(self, message: str, code: int, name: str, parameter: str):
        super().__init__(message)
        self.code = code
        self.name = name
        self.parameter = parameter


def _raise_code(code: int, value=None, where: str = "") -> None:
    name, param, desc = ERROR_CODES.get(int(code), (f"ERROR {code}", "input", "invalid input"))
    v = "" if value is None else f" = {value:g}" if isinstance(value, (int, float, np.number)) else f" = {value!r}"
    raise ITMInputError(f"{param}{v} {desc} (NTIA ITM {name}, code {int(code)}){where}", int(code), name, param)


def _pol_code(pol) -> np.ndarray:
    a = np.asarray(pol)
    if a.dtype.kind in "US":
        m = {"h": 0, "horizontal": 0, "v": 1, "vertical": 1}
        flat = []
        for p in a.ravel():
            key = str(p).strip().lower()
            if key not in m:
                _raise_code(_k.ERROR_POLARIZATION, str(p))
            flat.append(m[key])
        return np.asarray(flat, dtype=np.int64).reshape(a.shape)
    return _int_param("pol", a, _k.ERROR_POLARIZATION, lambda v: (v == 0) | (v == 1))


def _siting_code(name: str, value, code: int) -> np.ndarray:
    a = np.asarray(value)
    if a.dtype.kind in "US":
        flat = []
        for s in a.ravel():
            key = str(s).strip().lower()
            if key not in _SITING:
                _raise_code(code, str(s))
            flat.append(_SITING[key])
        return np.asarray(flat, dtype=np.int64).reshape(a.shape)
    return _int_param(name, a, code, lambda v: (v >= 0) & (v <= 2))


_SCALAR_TYPES = (float, int, np.floating, np.integer)


def _scalar(name: str, value):
    """float(value) for a real scalar (fast path of the checks), else None."""
    if isinstance(value, _SCALAR_TYPES) and not isinstance(value, bool):
        v = float(value)
        if v != v:
            raise ValueError(f"{name} is NaN")
        return v
    return None


def _int_param(name: str, value, code: int, ok) -> np.ndarray:
    v = _scalar(name, value)
    if v is not None:
        if v != round(v) or not ok(v):
            _raise_code(code, v)
        return np.asarray(int(v), dtype=np.int64)
    a = as_float_array(name, value)
    bad = (a != np.round(a)) | ~ok(a)
    if np.any(bad):
        _raise_code(code, float(a[bad].ravel()[0]) if a.ndim else float(a))
    return a.astype(np.int64)


def _float_param(name: str, value, code: int, ok) -> np.ndarray:
    v = _scalar(name, value)
    if v is not None:
        if not ok(v):
            _raise_code(code, v)
        return np.asarray(v)
    a = as_float_array(name, value)
    bad = ~ok(a)
    if np.any(bad):
        _raise_code(code, float(a[bad].ravel()[0]) if a.ndim else float(a))
    return a


def _mdvar_ok(v):
    return ((v >= 0) & (v <= 3)) | ((v >= 10) & (v <= 13)) | ((v >= 20) & (v <= 23)) | ((v >= 30) & (v <= 33))


def _inputs_record(mode: str, form: str, n_s, params: dict) -> dict:
    rec = {"mode": mode, "form": form}
    for k, v in params.items():
        rec[k] = v.tolist() if v.ndim else v.item()
    if n_s is None:
        rec["n_s"] = None
    else:
        rec["n_0"] = None
    if form == "CR":  # NTIA's mapping: time = reliability, location = 50, situation = confidence
        rec["reliability"] = rec.pop("time")
        rec["confidence"] = rec.pop("situation")
        rec.pop("location")
    return rec


def _common(h_tx_m, h_rx_m, climate, n_0, n_s, f_mhz, pol, epsilon, sigma, mdvar) -> dict:
    """NTIA ValidateInputs, in NTIA's order, as ValueErrors naming the parameter."""
    p = {}
    p["h_tx_m"] = _float_param("h_tx_m", h_tx_m, _k.ERROR_TX_TERMINAL_HEIGHT, lambda v: (v >= 0.5) & (v <= 3000.0))
    p["h_rx_m"] = _float_param("h_rx_m", h_rx_m, _k.ERROR_RX_TERMINAL_HEIGHT, lambda v: (v >= 0.5) & (v <= 3000.0))
    p["climate"] = _int_param("climate", climate, _k.ERROR_INVALID_RADIO_CLIMATE, lambda v: (v >= 1) & (v <= 7))
    if n_s is None:
        p["n_0"] = _float_param("n_0", n_0, _k.ERROR_REFRACTIVITY, lambda v: (v >= 250.0) & (v <= 400.0))
        p["n_s"] = np.zeros_like(p["n_0"])
    else:
        ns = _float_param("n_s", n_s, _k.ERROR_SURFACE_REFRACTIVITY_SMALL, lambda v: v >= 150.0)
        ns = _float_param("n_s", ns, _k.ERROR_SURFACE_REFRACTIVITY_LARGE, lambda v: v <= 400.0)
        p["n_s"] = ns
        p["n_0"] = np.full_like(ns, 301.0)
    p["f_mhz"] = _float_param("f_mhz", f_mhz, _k.ERROR_FREQUENCY, lambda v: (v >= 20.0) & (v <= 20000.0))
    p["pol"] = _pol_code(pol)
    p["epsilon"] = _float_param("epsilon", epsilon, _k.ERROR_EPSILON, lambda v: v >= 1.0)
    p["sigma"] = _float_param("sigma", sigma, _k.ERROR_SIGMA, lambda v: v > 0.0)
    p["mdvar"] = _int_param("mdvar", mdvar, _k.ERROR_MDVAR, _mdvar_ok)
    return p


def _quantiles(time, location, situation, reliability, confidence) -> tuple[dict, str]:
    """Return time/location/situation arrays (CR mapped as NTIA does) and the form name."""
    tls = any(v is not None for v in (time, location, situation))
    cr = any(v is not None for v in (reliability, confidence))
    if tls and cr:
        raise ValueError("give either time/location/situation (TLS) or reliability/confidence (CR), not both")

    def pct(name, v, code):
        return _float_param(name, 50.0 if v is None else v, code, lambda a: (a > 0.0) & (a < 100.0))

    if cr:
        rel = pct("reliability", reliability, _k.ERROR_INVALID_RELIABILITY)
        conf = pct("confidence", confidence, _k.ERROR_INVALID_CONFIDENCE)
        rel, conf = np.broadcast_arrays(rel, conf)
        return {"time": rel, "location": np.full(rel.shape, 50.0), "situation": conf}, "CR"
    sit = pct("situation", situation, _k.ERROR_INVALID_SITUATION)
    t = pct("time", time, _k.ERROR_INVALID_TIME)
    loc = pct("location", location, _k.ERROR_INVALID_LOCATION)
    t, loc, sit = np.broadcast_arrays(t, loc, sit)
    return {"time": t, "location": loc, "situation": sit}, "TLS"


def read_pfl(path) -> np.ndarray:
    """Read an NTIA PFL terrain file (``np, xi, z_0, ..., z_np`` separated by commas/whitespace)."""
    text = Path(path).read_text()
    vals = [v for v in text.replace(",", " ").split() if v]
    try:
        pfl = np.array([float(v) for v in vals])
    except ValueError as exc:
        raise ValueError(f"{path}: not an NTIA PFL file ({exc})") from None
    _check_pfl(pfl, str(path))
    return pfl


def _check_pfl(pfl: np.ndarray, name: str = "pfl") -> None:
    if pfl.ndim != 1 or pfl.size < 4:
        raise ValueError(f"{name}: a PFL array is [np, xi, z_0 ... z_np] with np >= 1")
    n_int = pfl[0]
    if n_int != int(n_int) or n_int < 1:
        raise ValueError(f"{name}: np = {n_int:g} must be a positive integer")
    if int(n_int) + 3 != pfl.size:
        raise ValueError(f"{name}: np = {int(n_int)} needs {int(n_int) + 1} elevations, got {pfl.size - 2}")
    if not pfl[1] > 0:
        raise ValueError(f"{name}: xi = {pfl[1]:g} m must be > 0")


def pfl_from_profile(d_km, h_m) -> np.ndarray:
    """NTIA PFL array from an equally spaced profile ``(d_km, h_m)`` starting at the Tx (d = 0)."""
    d = as_float_array("d_km", d_km)
    h = as_float_array("h_m", h_m)
    if d.ndim != 1 or d.shape != h.shape:
        raise ValueError(f"d_km and h_m must be 1-D arrays of equal length, got {d.shape} and {h.shape}")
    check_finite("d_km", d, "km")
    check_finite("h_m", h, "m")
    xi = _spacing_m(d, d.size, "profile")
    return np.concatenate(([d.size - 1.0, xi], h))


def _spacing_m(d: np.ndarray, n: int, where: str) -> float:
    if n < 2:
        raise ValueError(f"{where}: a profile needs at least 2 points, got {n}")
    if abs(d[0]) > 1e-9:
        raise ValueError(f"{where}: d_km[0] = {d[0]:g} must be 0 (the profile starts at the Tx)")
    step = np.diff(d[:n])
    xi_km = (d[n - 1] - d[0]) / (n - 1)
    if not xi_km > 0:
        raise ValueError(f"{where}: d_km must increase, got total distance {d[n - 1]:g} km")
    dev = np.abs(step - xi_km)
    if np.any(dev > 1e-3 * xi_km + 1e-9):
        i = int(np.argmax(dev))
        raise ValueError(f"{where}: ITM needs equally spaced points; step {i} is {step[i]:g} km "
                         f"but the mean spacing is {xi_km:g} km (resample the profile)")
    return xi_km * 1000.0


def _prepare_profiles(profile, n):
    """-> (z 2-D float64, n_samples int64 1-D, xi_m 1-D, single: bool)."""
    if isinstance(profile, (tuple, list)) and len(profile) == 2 and not np.isscalar(profile[0]):
        try:
            d = np.asarray(profile[0], dtype=np.float64)
            h = np.asarray(profile[1], dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"profile (d_km, h_m) is not numeric: {exc}") from None
        if d.ndim == 1:  # padding (NaN allowed) only exists for 2-D batches
            d = check_finite("d_km", d, "km")
            h = check_finite("h_m", h, "m")
        if d.shape != h.shape:
            raise ValueError(f"d_km and h_m must have the same shape, got {d.shape} and {h.shape}")
        if d.ndim == 1:
            if n is not None:
                raise ValueError("n (profile lengths) is only for padded 2-D profiles")
            xi = _spacing_m(d, d.size, "profile")
            return h[None, :].copy(), np.array([d.size], dtype=np.int64), np.array([xi]), True
        if d.ndim != 2:
            raise ValueError(f"d_km must be 1-D (one path) or 2-D (n_paths, n_max), got {d.ndim}-D")
        n_paths, n_max = d.shape
        if n is None:
            lengths = np.full(n_paths, n_max, dtype=np.int64)
        else:
            lengths = np.asarray(n, dtype=np.int64).reshape(-1)
            if lengths.shape != (n_paths,):
                raise ValueError(f"n must have one length per path ({n_paths}), got shape {lengths.shape}")
            if np.any((lengths < 2) | (lengths > n_max)):
                bad = int(np.flatnonzero((lengths < 2) | (lengths > n_max))[0])
                raise ValueError(f"n[{bad}] = {int(lengths[bad])} must be in [2, {n_max}]")
        xi = np.empty(n_paths)
        for k in range(n_paths):
            if np.isinf(h[k, :lengths[k]]).any() or np.isinf(d[k, :lengths[k]]).any():
                bad = int(np.flatnonzero(np.isinf(h[k, :lengths[k]]) | np.isinf(d[k, :lengths[k]]))[0])
                raise ValueError(f"path {k}: d_km/h_m must be finite; sample {bad} is infinite")
            if np.isnan(h[k, :lengths[k]]).any() or np.isnan(d[k, :lengths[k]]).any():
                bad = int(np.flatnonzero(np.isnan(h[k, :lengths[k]]) | np.isnan(d[k, :lengths[k]]))[0])
                raise ValueError(f"path {k}: d_km/h_m contain NaN at sample {bad} (inside its length n = {lengths[k]})")
            xi[k] = _spacing_m(d[k], int(lengths[k]), f"path {k}")
        return np.ascontiguousarray(h), lengths, xi, False
    pfl = np.asarray(profile, dtype=np.float64)
    if pfl.ndim != 1:
        raise ValueError("profile must be a PFL array [np, xi, z_0 ... z_np] or a (d_km, h_m) pair")
    if n is not None:
        raise ValueError("n (profile lengths) is only for padded 2-D (d_km, h_m) profiles")
    if np.isnan(pfl).any():
        raise ValueError("profile (PFL) contains NaN")
    if np.isinf(pfl).any():
        raise ValueError(f"profile (PFL) must be finite; element {int(np.argmax(np.isinf(pfl)))} is infinite")
    _check_pfl(pfl)
    return pfl[None, 2:].copy(), np.array([int(pfl[0]) + 1], dtype=np.int64), np.array([pfl[1]]), True


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


def _check_kernel_codes(rc: np.ndarray, params: dict, label: str) -> None:
    bad = np.flatnonzero(rc > _k.SUCCESS_WITH_WARNINGS)
    if bad.size:
        k = int(bad[0])
        code = int(rc[k])
        _, param, _ = ERROR_CODES.get(code, ("", "", ""))
        value = None
        if param in params and np.ndim(params[param]) > 0:
            value = float(np.ravel(params[param])[k])
        where = f" ({label} {k})" if rc.size > 1 else ""
        _raise_code(code, value, where)


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
    p["d_km"] = _float_param("d_km", d_km, _k.ERROR_PATH_DISTANCE, lambda v: v > 0.0)
    p["delta_h_m"] = _float_param("delta_h_m", delta_h_m, _k.ERROR_DELTA_H, lambda v: v >= 0.0)
    p["tx_siting"] = _siting_code("tx_siting", tx_siting, _k.ERROR_TX_SITING_CRITERIA)
    p["rx_siting"] = _siting_code("rx_siting", rx_siting, _k.ERROR_RX_SITING_CRITERIA)
    q, form = _quantiles(time, location, situation, reliability, confidence)
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
