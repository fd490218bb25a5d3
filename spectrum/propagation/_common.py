"""Helpers shared by the site-general model wrappers (P.2108, P.2109, Hata).

The API layer of these models is thin: validate, broadcast, run one Numba array kernel,
and optionally wrap the result in an ``xarray.DataArray``. These three steps live here once.
"""
from __future__ import annotations

import functools
import inspect

import numpy as np


def check_model_heights(model: str, terrain_h_m, h_tx_m: float, h_rx_m: float, where: str = "") -> None:
    """Terrain elevations in [-500, 9000] m and both antenna heights inside ``model``'s range
    (``"p452"``: (0, 3000] m, ``"p1812"``: [1, 3000] m, ``"itm"``: [0.5, 3000] m, NTIA's error
    limits); a ValueError naming the value otherwise. For callers that run the kernels
    directly (coverage radials), which bypass the model APIs' own checks."""
    from .._validate import check_range, check_terrain_heights

    check_terrain_heights("DEM height", terrain_h_m, where or model)
    if model == "p452":
        from .p452 import H_AGL_RANGE_M as rng
    elif model == "p1812":
        from .p1812 import H_AGL_RANGE_M as rng
    else:
        rng = (0.5, 3000.0)
    for name, v in (("station antenna height", h_tx_m), ("hrg_m", h_rx_m)):
        check_range(name, v, rng[0], rng[1], "m", where or model, lo_open=model == "p452")


def lookup_code(name: str, value, table: dict, ref: str = ""):
    """Integer code of a named option (case-insensitive) from ``table``; ValueError naming the value."""
    key = str(value).strip().lower()
    if key not in table:
        where = f" ({ref})" if ref else ""
        raise ValueError(f"{name} = {value!r} is not one of {sorted(table)}{where}")
    return table[key]


def _out(a: np.ndarray):
    return float(a) if a.ndim == 0 else a


def elementwise(kernel, *args):
    """Broadcast ``args`` together and run the Numba array ``kernel(*flat_args, flat_out)`` over
    them; a float for scalar inputs, else an array of the broadcast shape."""
    args = np.broadcast_arrays(*args)
    out = np.empty(args[0].shape, dtype=np.float64)
    # np.array copies: broadcast views are read-only (and Numba warns about writing them)
    kernel(*(np.array(x, dtype=np.float64).ravel() for x in args), out.reshape(-1))
    return _out(out)


def xarray_aware(name: str, units: str, model: str):
    """Decorator: accept ``xarray.DataArray`` arguments and return a DataArray (STYLE.md rule 1).

    DataArray arguments are aligned and broadcast by dimension name (``xr.broadcast``);
    other arguments must then be scalars or strings. The result keeps the broadcast coords
    and gets ``name`` and ``attrs`` ``units`` and ``model``. Without DataArray arguments the
    function is called unchanged (numpy broadcasting).
    """
    def deco(fn):
        sig = inspect.signature(fn)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            bound = sig.bind(*args, **kwargs)
            das = {k: v for k, v in bound.arguments.items() if _is_dataarray(v)}
            if not das:
                return fn(*args, **kwargs)
            import xarray as xr

            for k, v in bound.arguments.items():
                if k not in das and np.ndim(v) > 0:
                    raise ValueError(f"{k} must be a scalar or a DataArray when other arguments are "
                                     f"DataArrays (got shape {np.shape(v)})")
            keys = list(das)
            arrays = xr.broadcast(*(das[k] for k in keys))
            for k, a in zip(keys, arrays):
                bound.arguments[k] = a.values
            values = fn(*bound.args, **bound.kwargs)
            tmpl = arrays[0]
            out = xr.DataArray(np.asarray(values, dtype=np.float64).reshape(tmpl.shape), coords=tmpl.coords,
                               dims=tmpl.dims, name=name)
            out.attrs.update(units=units, model=model)
            return out
        return wrapper
    return deco


def _is_dataarray(v) -> bool:
    return type(v).__name__ == "DataArray" and hasattr(v, "dims")
