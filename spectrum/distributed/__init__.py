"""Distributed sweeps, maps, Monte Carlo runs and register re-evaluations on dask.distributed.

* :func:`~spectrum.distributed.cluster.client_session` -- a client for ``tcp://host:port`` (an
  existing scheduler) or ``local:N`` (a local cluster of N worker processes).
* :func:`map_tasks` -- one task per item with shared inputs scattered once, retries on worker
  death, results in item order, a progress bar; :func:`run_blocks` -- Monte Carlo blocks.
* The domain functions take the client: ``spectrum.coverage.field_strength_map(..., client=)``,
  ``spectrum.coverage.interference_map(..., client=)``, ``spectrum.sweep.sweep_channels(...,
  client=)``, ``spectrum.broadcast.coverage_map(..., client=)``,
  ``spectrum.distributed.reevaluate.reevaluate(..., client=)``; results are bit-identical to the
  single-process run.

Needs the ``[dask]`` extra (``dask[distributed]``); importing this package does not import dask.
See docs/distributed.md.
"""
from __future__ import annotations

from .cluster import client_session, parse_scheduler, require_distributed
from .tasks import DistributedRunError, ProgressBar, block_sizes, chunks, map_tasks, run_blocks

__all__ = ["client_session", "parse_scheduler", "require_distributed", "DistributedRunError", "ProgressBar",
           "block_sizes", "chunks", "map_tasks", "run_blocks"]
