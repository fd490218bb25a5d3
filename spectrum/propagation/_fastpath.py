"""Shared pieces of the one-path fast paths of the P.452, P.1812 and ITM APIs.

A fast path takes a call with plain scalars and 1-D float64 profiles straight to one checked
kernel (``p452_api``, ``p1812_api``, ``p2p_api``); anything else (or anything the kernel
refuses) returns ``None`` and the general path runs its checks and names the problem.
"""
from __future__ import annotations

from dataclasses import fields

import numpy as np

#: Types a fast path takes as a plain scalar.
FLOAT_T = frozenset({float, int, np.float64, np.float32, np.int64, np.int32})
#: Polarisation names -> kernel code (0 horizontal, 1 vertical).
POL = {"h": 0, "horizontal": 0, "v": 1, "vertical": 1}
#: An absent optional profile (zones, clutter heights).
EMPTY = np.empty(0)
_F64 = np.dtype(np.float64)


def vector(a):
    """A 1-D C-contiguous float64 ndarray as it is (or converted from another numeric dtype), else None."""
    if type(a) is not np.ndarray or a.ndim != 1:
        return None
    if a.dtype is not _F64:
        if a.dtype.kind not in "iuf":
            return None
        a = a.astype(np.float64)
    return a if a.flags.c_contiguous else None


def profile_vectors(d_km, h_m, zone, r_m):
    """``(d, h, zone, r)`` as :func:`vector` for a checked kernel (``zone`` / ``r`` :data:`EMPTY`
    when None), or None when one of them is not a plain 1-D numeric array."""
    d = vector(d_km)
    h = vector(h_m)
    zn = EMPTY if zone is None else vector(zone)
    rr = EMPTY if r_m is None else vector(r_m)
    if d is None or h is None or zn is None or rr is None:
        return None
    return d, h, zn, rr


class LazyResult:
    """Mixin for the result dataclass of a fast path: holds the kernel's output buffer ``_buf``
    and turns a field into a Python float on first access (building every field up front costs
    more than the rest of the call's Python side). Equal, printed and converted like the public
    dataclass ``_BASE``.

    A subclass sets ``_BASE`` and ``_POS`` (field name -> position in ``_buf``) and may override
    :meth:`_derived` for fields that are not a plain float of the buffer.
    """

    _BASE: type = object
    _POS: dict = {}

    def __getattr__(self, name):
        i = self._POS.get(name)
        buf = self.__dict__["_buf"]
        v = float(buf[i]) if i is not None else self._derived(buf, name)
        self.__dict__[name] = v
        return v

    def _derived(self, buf, name):
        raise AttributeError(name)

    def __eq__(self, other):
        if not isinstance(other, self._BASE):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(self._BASE))

    __hash__ = None
