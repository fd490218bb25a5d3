"""Input checks shared by the API layer (STYLE.md rule 5). Kernels trust their input.

Every check raises :class:`ValueError` naming the parameter, the offending value and
the allowed range, e.g. ``f_ghz = 60.0 is outside the valid range [0.1, 50] GHz (P.452-18)``.
"""
from __future__ import annotations

import numpy as np


def _fmt(v) -> str:
    a = np.asarray(v)
    if a.ndim == 0:
        return f"{float(a):g}"
    return np.array2string(a.ravel()[:6], precision=6, separator=", ") + ("..." if a.size > 6 else "")


def as_float_array(name: str, value) -> np.ndarray:
    """Return ``value`` as a float64 array; raise if it is not numeric or holds NaN."""
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} = {value!r} is not numeric") from exc
    if np.isnan(a).any():
        if a.ndim == 0:
            raise ValueError(f"{name} contains NaN (the value given is nan)")
        idx = np.argwhere(np.isnan(a))[0]
        raise ValueError(f"{name} contains NaN (first at index {tuple(int(i) for i in idx)})")
    return a


def check_range(name: str, value, lo: float, hi: float, unit: str = "", model: str = "",
                lo_open: bool = False, hi_open: bool = False) -> np.ndarray:
    """Check ``lo <= value <= hi`` element-wise (open ends optional) and return a float64 array."""
    a = as_float_array(name, value)
    bad = (a <= lo if lo_open else a < lo) | (a >= hi if hi_open else a > hi)
    if np.any(bad):
        first = a[bad].ravel()[0] if a.ndim else a
        lb = "(" if lo_open else "["
        rb = ")" if hi_open else "]"
        where = f" ({model})" if model else ""
        u = f" {unit}" if unit else ""
        raise ValueError(f"{name} = {_fmt(first)} is outside the valid range {lb}{lo:g}, {hi:g}{rb}{u}{where}")
    return a


def check_lat_lon(lat, lon, name: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Check latitude in [-90, 90] and longitude in [-180, 360) degrees."""
    p = f"{name}." if name else ""
    la = check_range(f"{p}lat", lat, -90.0, 90.0, "deg")
    lo = check_range(f"{p}lon", lon, -180.0, 360.0, "deg", hi_open=True)
    return la, lo


def check_positive(name: str, value, unit: str = "", allow_zero: bool = False) -> np.ndarray:
    a = as_float_array(name, value)
    bad = a < 0 if allow_zero else a <= 0
    if np.any(bad):
        first = a[bad].ravel()[0] if a.ndim else a
        rel = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} = {_fmt(first)} must be {rel}{(' ' + unit) if unit else ''}")
    return a


def check_finite(name: str, value, unit: str = "") -> np.ndarray:
    """Return ``value`` as a float64 array; raise if it holds NaN or +/-inf."""
    a = as_float_array(name, value)
    bad = ~np.isfinite(a)
    if np.any(bad):
        first = a[bad].ravel()[0] if a.ndim else a
        where = f" (first at index {tuple(int(i) for i in np.argwhere(bad)[0])})" if a.ndim else ""
        raise ValueError(f"{name} = {_fmt(first)}{where} must be finite{(' [' + unit + ']') if unit else ''}")
    return a


#: Valid terrain elevations [m]: every land surface on Earth lies inside (Dead Sea shore
#: -430 m, Everest 8 849 m); a value outside is a unit or no-data error, not terrain. The
#: propagation APIs (P.452, P.1812, ITM) and the entry points that call them refuse it.
TERRAIN_H_RANGE_M = (-500.0, 9000.0)


def check_terrain_heights(name: str, h, where: str = "") -> None:
    """Raise a ValueError if a terrain elevation in ``h`` is outside :data:`TERRAIN_H_RANGE_M`
    or not finite (NaN padding of a batch must be removed before calling)."""
    a = np.asarray(h, dtype=np.float64)
    lo, hi = TERRAIN_H_RANGE_M
    ok = (a >= lo) & (a <= hi)
    if not ok.all():
        idx = np.argwhere(~ok)[0]
        at = f" (sample {int(idx[-1])}{', path ' + str(int(idx[0])) if a.ndim == 2 else ''})" if a.ndim else ""
        ctx = f" ({where})" if where else ""
        raise ValueError(f"{name} = {_fmt(a[tuple(idx)])} m{at} is outside the valid terrain range "
                         f"[{lo:g}, {hi:g}] m{ctx}")


def check_counts(name: str, n, n_paths: int, n_max: int) -> np.ndarray:
    """Valid points per path of a padded batch ``(n_paths, n_max)``: a scalar (every path) or exactly
    one whole number in [0, n_max] per path. A one-element list for many paths, or 3.5 points,
    used to be broadcast / truncated into a silently different path."""
    a = as_float_array(name, n)
    if a.ndim > 1 or (a.ndim == 1 and a.size != n_paths):
        raise ValueError(f"{name} has shape {a.shape}; give one count per path ({n_paths}) or a single number")
    if np.any(a != np.round(a)):
        raise ValueError(f"{name} = {_fmt(a[a != np.round(a)].ravel()[0])} is not a whole number of points")
    if np.any(a > n_max) or np.any(a < 0):
        bad = a[(a > n_max) | (a < 0)].ravel()[0]
        raise ValueError(f"{name} = {int(bad)} is outside [0, {n_max}]")
    return np.broadcast_to(a.astype(np.int64), (n_paths,)).copy()
