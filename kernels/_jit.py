"""The one place the Numba decorator is configured (STYLE.md rule 6).

Every kernel in :mod:`spectrum.kernels` uses :func:`jit` (serial) or :func:`pjit`
(``parallel=True``, with ``prange`` only over the outer loop of paths or pixels).
``fastmath`` is off: the validation tolerances (0.001 dB) are tighter than what
re-associated floating point guarantees across machines.
"""
from __future__ import annotations

import hashlib
import os
import types
from pathlib import Path

import numba

CACHE = os.environ.get("SPECTRUM_NUMBA_CACHE", "1") != "0"
FASTMATH = False


def _kernels_digest() -> str:
    """Hash of every kernel source file.

    Numba's on-disk cache checks only the source file that defines a function, not the
    kernels it calls from other files (a P.452 change would leave a cached coverage
    kernel running the old P.452). Keying the cache directory on all kernel sources makes
    any kernel change recompile everything once, and never run stale machine code.
    """
    h = hashlib.sha1()
    for f in sorted(Path(__file__).resolve().parent.glob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _cache_dir() -> str:
    base = os.environ.get("SPECTRUM_NUMBA_CACHE_DIR") or os.environ.get("NUMBA_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(xdg, "spectrum", "numba")
    return os.path.join(base, _kernels_digest())


if CACHE:
    # Must be set before the first decorated kernel creates its cache locator.
    numba.config.CACHE_DIR = _cache_dir()

jit = numba.njit(cache=CACHE, nogil=True, fastmath=FASTMATH)
"""Serial kernel decorator: ``@jit``."""

pjit = numba.njit(cache=CACHE, nogil=True, fastmath=FASTMATH, parallel=True)
"""Parallel kernel decorator: ``@pjit``; use ``numba.prange`` over the outer loop only."""

prange = numba.prange


def set_num_threads(n: int) -> None:
    """Set the number of threads the parallel kernels use."""
    numba.set_num_threads(int(n))


def twins(body, name, doc, serial_name=None):
    """The parallel and the serial kernel built from one body (``name``: the parallel one).

    ``body`` loops with ``prange``, which is a plain ``range`` in a non-parallel njit, so
    the same code gives ``name`` (:func:`~spectrum.kernels._jit.pjit`, threads over chunks
    of paths) and ``name`` with ``_batch`` replaced by ``_serial`` (:func:`~spectrum.kernels._jit.jit`,
    no thread pool wake-up: for one or a few paths). Each twin is its own Python function
    (own ``__qualname__``), so Numba's on-disk cache keeps their machine code apart.
    ``serial_name`` overrides the serial twin's name.
    """
    out = []
    for nm, deco in ((name, pjit), (serial_name or name.replace("_batch", "_serial"), jit)):
        fn = types.FunctionType(body.__code__, body.__globals__, nm, body.__defaults__, body.__closure__)
        fn.__qualname__ = nm
        fn.__module__ = body.__module__
        fn.__doc__ = doc if deco is pjit else f":func:`{name}` without threads (same code, serial loops)."
        out.append(deco(fn))
    return out[0], out[1]
