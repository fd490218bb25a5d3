"""The one place the Numba decorator is configured (STYLE.md rule 6).

Every kernel in :mod:`spectrum.kernels` uses :func:`jit` (serial) or :func:`pjit`
(``parallel=True``, with ``prange`` only over the outer loop of paths or pixels).
``fastmath`` is off: the validation tolerances (0.001 dB) are tighter than what
re-associated floating point guarantees across machines.
"""
from __future__ import annotations

import os

import numba

CACHE = os.environ.get("SPECTRUM_NUMBA_CACHE", "1") != "0"
FASTMATH = False

jit = numba.njit(cache=CACHE, nogil=True, fastmath=FASTMATH)
"""Serial kernel decorator: ``@jit``."""

pjit = numba.njit(cache=CACHE, nogil=True, fastmath=FASTMATH, parallel=True)
"""Parallel kernel decorator: ``@pjit``; use ``numba.prange`` over the outer loop only."""

prange = numba.prange


def set_num_threads(n: int) -> None:
    """Set the number of threads the parallel kernels use."""
    numba.set_num_threads(int(n))
