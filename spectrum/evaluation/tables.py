"""Column tables: the plain data every stage passes downhill.

A *table* is a dict of equal-length numpy arrays, one per column (register field names of
:class:`spectrum.register.AssignmentRow`). These helpers read a register query into a table,
select rows and convert columns; they know nothing about any stage.
"""
from __future__ import annotations

import math

import numpy as np

__all__ = ["FIELDS", "query_table", "take", "num", "py", "text_columns"]

#: register fields the evaluation reads (missing ones are filled with None)
FIELDS = ("licence_number", "licensee", "service", "station_id", "station_name", "lat", "lon", "h_agl_m",
          "antenna_pattern", "g_dbi", "azimuth_deg", "tilt_deg", "polarisation", "feeder_loss_db",
          "assignment_id", "f_mhz", "bw_khz", "eirp_dbw", "tx_mask", "rx_selectivity", "noise_figure_db",
          "protection", "protection_db", "indoor", "building_type", "clutter_class", "criterion", "criterion_db")


def query_table(reg, *, lat, lon, radius_km, f_min, f_max, role, status=("granted",)) -> dict:
    """``reg.query_arrays`` as a table with every field of :data:`FIELDS` present."""
    a = reg.query_arrays(lat=lat, lon=lon, radius_km=radius_km, f_min_mhz=f_min, f_max_mhz=f_max,
                         status=tuple(status), role=role)
    a = {k: np.asarray(v) for k, v in a.items()}
    n = len(a["f_mhz"]) if "f_mhz" in a else 0
    for k in FIELDS:
        if k not in a:
            a[k] = np.full(n, None, dtype=object)
    return a


def take(a: dict, idx) -> dict:
    """Rows ``idx`` (indices or boolean mask) of every column."""
    return {k: v[idx] for k, v in a.items()}


def num(v, default=np.nan) -> np.ndarray:
    """Object array with None -> float array with ``default``."""
    v = np.asarray(v)
    if v.dtype == object:
        return np.array([default if x is None else float(x) for x in v], dtype=float)
    out = v.astype(float)
    if np.isnan(out).any() and not np.isnan(default):
        out = np.where(np.isnan(out), default, out)
    return out


def text_columns(a: dict, keys, idx) -> dict:
    """Identity columns of rows ``idx`` with None as ''."""
    cols = {k: a[k][idx] for k in keys}
    return {k: np.array([("" if x is None else x) for x in v], dtype=object) if v.dtype == object else v
            for k, v in cols.items()}


def py(v):
    """A numpy scalar / array as plain Python for JSON (NaN and +-inf -> None: strict JSON has
    neither; -inf dBW is "no power", +inf dB "no interference to limit")."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, np.ndarray):
        return v.tolist()
    return v
