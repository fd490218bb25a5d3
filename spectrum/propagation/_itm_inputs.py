"""Input handling of the ITM API (:mod:`spectrum.propagation.itm`): NTIA's warning and error
tables, NTIA ValidateInputs as ValueErrors naming the parameter (in NTIA's order), terrain
profiles (PFL arrays, ``(d_km, h_m)`` pairs, padded batches) and their checks.

Terrain elevations must lie in [-500, 9000] m (:data:`spectrum._validate.TERRAIN_H_RANGE_M`):
every land surface on Earth does (Dead Sea shore -430 m, Everest 8 849 m), so a value outside
is a unit or no-data error, not terrain.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .._validate import as_float_array, check_finite, check_terrain_heights
from ..kernels import itm as _k

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
    check_terrain_heights("profile elevation", pfl[2:], str(path))
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
    check_terrain_heights("h_m", h, "ITM")
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
            check_terrain_heights("h_m", h, "ITM")
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
            check_terrain_heights("h_m", h[k, :lengths[k]], f"ITM, path {k}")
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
    check_terrain_heights("profile elevation", pfl[2:], "ITM PFL")
    return pfl[None, 2:].copy(), np.array([int(pfl[0]) + 1], dtype=np.int64), np.array([pfl[1]]), True



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

