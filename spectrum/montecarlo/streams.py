"""Seeded, splittable uniform streams: numpy ``SeedSequence`` + ``Philox``, one stream per named
parameter, cut into fixed sub-streams of :data:`SUBSTREAM` events.

The uniform of event ``i`` in stream ``name`` is element ``i mod SUBSTREAM`` of the sequence of
``Generator(Philox(SeedSequence(seed, spawn_key=(crc32(name), i // SUBSTREAM)))).random()``.
It depends only on (seed, name, i): a block of events starting anywhere draws exactly the
values a single run would give those events, so results do not depend on the block size or
on how many workers share the blocks (a block that starts inside a sub-stream regenerates
and discards that sub-stream's prefix: at most ``SUBSTREAM - 1`` draws).

Correlation modes (:meth:`Streams.sample`):

* **independent** (default): each parameter draws from its own stream, named by its path in
  the workspace (``interferers[0].tx.power_dbw``); adding or removing a parameter never
  changes another parameter's draws.
* **shared stream** (``"stream": NAME``): parameters naming the same stream use the same
  uniforms -- full rank (comonotonic) correlation, e.g. two heights that rise together.
* **Gaussian copula** (``"correlate": {"with": NAME, "rho": r}``): the uniform is
  ``Phi(r z_NAME + sqrt(1 - r^2) z_own)`` with ``z = Phi^-1(u)``; r = -1 gives antithetic draws.
* **positions relative to another element** (``relative_to`` in a position) correlate the
  geometry (:mod:`spectrum.montecarlo.positions`).

References
----------
Salmon, Moraes, Dror & Shaw (2011), "Parallel random numbers: as easy as 1, 2, 3" (Philox);
numpy ``SeedSequence`` (O'Neill 2015 seed mixing); Rec. ITU-R SM.2028-2 §2 (random variables).
"""
from __future__ import annotations

import zlib

import numpy as np
from numpy.random import Generator, Philox, SeedSequence
from scipy import special

from .distributions import Distribution

__all__ = ["SUBSTREAM", "Streams", "stream_key"]

#: events per sub-stream (a block aligned on this never discards draws)
SUBSTREAM = 1 << 16
#: shift into the open interval (0, 1): random() gives k / 2^53, k in [0, 2^53)
_HALF_ULP = 2.0 ** -54


def stream_key(name: str) -> int:
    """The 32-bit spawn key of a stream name (CRC-32 of its UTF-8 bytes)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """The uniform streams of one run for the events ``[start, start + n)``.

    Parameters
    ----------
    seed : int
        Run seed (>= 0).
    start, n : int
        First event index and number of events of the block.
    """

    def __init__(self, seed: int, start: int, n: int):
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed = {seed!r} must be an integer >= 0")
        self.seed = int(seed)
        self.start = int(start)
        self.n = int(n)
        self._cache: dict[str, np.ndarray] = {}

    def uniforms(self, name: str) -> np.ndarray:
        """Uniforms in (0, 1) of stream ``name`` for this block's events (cached per block)."""
        u = self._cache.get(name)
        if u is None:
            u = self._draw(name)
            self._cache[name] = u
        return u

    def _draw(self, name: str) -> np.ndarray:
        key = stream_key(name)
        out = np.empty(self.n)
        pos = 0
        i = self.start
        while pos < self.n:
            j, off = divmod(i, SUBSTREAM)
            take = min(self.n - pos, SUBSTREAM - off)
            g = Generator(Philox(SeedSequence(self.seed, spawn_key=(key, j))))
            if off:
                g.random(off)  # discard the sub-stream's prefix (sequential: same values as one call)
            out[pos:pos + take] = g.random(take)
            pos += take
            i += take
        out += _HALF_ULP
        return out

    def sample(self, dist: Distribution, name: str) -> np.ndarray | float:
        """Values of ``dist`` for this block's events; a constant law gives a float (no draw).

        ``name`` is the parameter's own stream (its path); ``dist.stream`` overrides it and
        ``dist.correlate`` mixes in another stream through a Gaussian copula (module notes).
        """
        if dist.is_constant and dist.correlate is None:
            return dist.value
        u = self.uniforms(dist.stream or name)
        if dist.correlate is not None:
            other, rho = dist.correlate
            z = rho * special.ndtri(self.uniforms(other)) + np.sqrt(max(0.0, 1.0 - rho * rho)) * special.ndtri(u)
            u = np.clip(special.ndtr(z), _HALF_ULP, 1.0 - _HALF_ULP)
        return dist.ppf(u)
