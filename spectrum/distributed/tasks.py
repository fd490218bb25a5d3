"""Mapping work over a dask.distributed cluster: shared inputs scattered once, one task per item
(chunk of paths, tile of a map, block of events, batch of licences), retries on worker death,
results gathered in item order, a progress bar across the cluster.

Every distributed run in Spectrum goes through :func:`map_tasks`:

* ``shared`` inputs (the DEM, a scenario, a workspace) are sent to every worker once with
  ``client.scatter(..., broadcast=True)``; the tasks receive the worker-local copy, so nothing
  big travels per task.
* Each item is one ``client.submit(fn, *shared, item, retries=2)``: a task whose worker dies is
  run again elsewhere (twice), and the scheduler's own ``allowed-failures`` guard stops a task
  that kills every worker it touches.
* Results come back in item order whatever order they finish in, so a reduction over them is the
  one the single-process run makes: bit-identical results.
* A failure is one :class:`DistributedRunError` line (a :class:`ValueError`, so the command line
  prints it with exit status 2); the remaining tasks are cancelled. Nothing is written by the
  tasks themselves: callers write outputs (and the register) only after every result is in.
"""
from __future__ import annotations

import sys
import time
from typing import Any, Callable, Iterable, Sequence

__all__ = ["DistributedRunError", "ProgressBar", "map_tasks", "run_blocks", "chunks", "block_sizes"]

RETRIES = 2


class DistributedRunError(ValueError):
    """A distributed run failed (a task raised, or its workers kept dying)."""


class ProgressBar:
    """A one-line stderr bar ``desc [#####.....] done/total``, redrawn in place on a terminal; on a
    file or pipe only the final line is written. Silent when ``enabled`` is False."""

    def __init__(self, total: int, desc: str = "", enabled: bool = True, stream=None, width: int = 30):
        self.total = max(int(total), 0)
        self.done = 0
        self.desc = desc
        self.enabled = bool(enabled)
        self.stream = stream if stream is not None else sys.stderr
        try:
            self.live = bool(self.stream.isatty())
        except (AttributeError, ValueError):
            self.live = False
        self.width = width
        self._t0 = time.perf_counter()
        self._last = 0.0
        if self.enabled and self.live:
            self._draw(force=True)

    def update(self, n: int = 1) -> None:
        self.done += n
        if self.enabled and self.live:
            self._draw(force=self.done >= self.total)

    def _draw(self, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self._last < 0.2:
            return
        self._last = now
        frac = self.done / self.total if self.total else 1.0
        k = int(round(frac * self.width))
        self.stream.write(f"{chr(13) if self.live else ''}{self.desc} [{'#' * k}{'.' * (self.width - k)}] "
                          f"{self.done}/{self.total} {now - self._t0:.1f} s")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()


def chunks(n: int, size: int) -> list[range]:
    """``range`` objects of at most ``size`` consecutive indices covering ``range(n)``."""
    size = max(int(size), 1)
    return [range(i, min(i + size, n)) for i in range(0, n, size)]


def block_sizes(n_events: int, block_events: int) -> list[int]:
    """Sizes of the event blocks of a Monte Carlo run: ``block_events`` each, the last shorter."""
    n_events, block_events = int(n_events), int(block_events)
    if n_events < 1 or block_events < 1:
        raise ValueError(f"n_events = {n_events} and block_events = {block_events} must be >= 1")
    sizes = [block_events] * (-(-n_events // block_events) - 1)
    sizes.append(n_events - sum(sizes))
    return sizes


def _failure(kind: str, index: int, exc: BaseException) -> DistributedRunError:
    name = type(exc).__name__
    msg = str(exc).splitlines()[0] if str(exc) else ""
    if name == "KilledWorker":
        return DistributedRunError(f"dask {kind} run failed: task {index} killed its worker(s) repeatedly "
                                   f"({RETRIES} retries and the scheduler's allowed-failures used up); nothing written")
    if name in ("CancelledError", "FutureCancelledError"):
        return DistributedRunError(f"dask {kind} run failed: task {index} was cancelled (scheduler or workers gone); "
                                   "nothing written")
    if isinstance(exc, ValueError):
        return DistributedRunError(f"{msg} (dask {kind} task {index})")
    return DistributedRunError(f"dask {kind} run failed in task {index}: {name}: {msg}; nothing written")


def map_tasks(client, fn: Callable, items: Sequence[Any], *, shared: Sequence[Any] = (), kind: str = "task",
              progress: bool = True, retries: int = RETRIES, desc: str | None = None,
              key_prefix: str | None = None) -> list:
    """``[fn(*shared, item) for item in items]`` on the cluster, in item order (module notes).

    Parameters
    ----------
    client : distributed.Client
    fn : callable
        A module-level function (picklable); ``fn(*shared, item)``.
    items : sequence
        One task per item (keep them small: indices, ranges, small records).
    shared : sequence
        Inputs every task needs, scattered once to every worker (``broadcast=True``).
    kind : str
        Names the run in the progress bar and in errors ("sweep", "coverage", ...).
    progress : bool
        Draw the stderr progress bar.
    retries : int
        Retries of a task whose worker died (or that raised).

    Raises
    ------
    DistributedRunError
        One line: the first task that failed and why; the other tasks are cancelled.
    """
    from distributed import as_completed

    items = list(items)
    if not items:
        return []
    # one scatter of the list: each element travels whole (a dict is not split into keys) to every worker
    shared_f = list(client.scatter(list(shared), broadcast=True, hash=False)) if shared else []
    prefix = key_prefix or f"spectrum-{kind}"
    token = f"{time.time_ns():x}"
    futures = [client.submit(fn, *shared_f, item, retries=retries, pure=False, key=f"{prefix}-{token}-{i}")
               for i, item in enumerate(items)]
    index = {f.key: i for i, f in enumerate(futures)}
    bar = ProgressBar(len(futures), desc or kind, enabled=progress)
    out: list = [None] * len(futures)
    try:
        for fut in as_completed(futures):
            i = index[fut.key]
            if fut.status == "error" or fut.status == "cancelled":
                try:
                    fut.result()
                except BaseException as exc:  # noqa: BLE001 - re-raised as one line
                    raise _failure(kind, i, exc) from None
                raise DistributedRunError(f"dask {kind} run failed in task {i}; nothing written")
            try:
                out[i] = fut.result()
            except BaseException as exc:  # noqa: BLE001
                raise _failure(kind, i, exc) from None
            bar.update(1)
    except BaseException:
        client.cancel(futures)
        raise
    finally:
        bar.close()
        for f in shared_f:
            f.release()
    return out


def run_blocks(client, fn: Callable, doc, seed, n_events: int, *, block_events: int, reduce: Callable,
               kind: str = "montecarlo", progress: bool = True):
    """A Monte Carlo run on the cluster: ``fn(doc, seed, block_index, n)`` for the blocks of
    ``block_events`` events (the last shorter), then ``reduce(parts)`` with ``parts`` in block
    order -- the blocks the local run makes, reduced in the same order: bit-identical results.

    The workspace document ``doc`` is scattered to every worker once.
    """
    sizes = block_sizes(n_events, block_events)
    parts = map_tasks(client, _block_task, list(enumerate(sizes)), shared=(fn, doc, seed), kind=kind,
                      progress=progress, desc=f"{kind} ({n_events} events)")
    return reduce(parts)


def _block_task(fn, doc, seed, item):
    b, n = item
    return fn(doc, seed, b, n)


def gather_in_order(results: Iterable) -> list:
    """The results as a list (a hook for reductions that want an explicit order)."""
    return list(results)
