"""Maps on a cluster: a map's pixel grid cut into bands of rows (tiles), one task per tile.

Each tile runs the single-process map function on its own rows with every grid-dependent choice
(the radials' count and reach) fixed beforehand from the whole grid, so a pixel's value does not
depend on the tile it falls in: the tiles concatenated are bit-identical to the map made in one
process. The shared inputs (the terrain radials sampled once by the client for
:mod:`spectrum.coverage` maps, the DEM for broadcast fields) are scattered to every worker once
(:func:`spectrum.distributed.map_tasks`).
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from .tasks import map_tasks

__all__ = ["map_tiles", "tile_rows"]


def tile_rows(n_rows: int, n_workers: int, rows: int | None = None) -> list[range]:
    """Bands of consecutive rows: ``rows`` each, or by default 2 tiles per worker (at least 8 rows
    a tile). Each tile repeats a little per-radial work (P.676 gas attenuation of every radial it
    touches), so fewer, larger tiles are faster; two per worker leave room to rebalance."""
    n_rows = int(n_rows)
    if rows is None:
        rows = max(8, math.ceil(n_rows / max(2 * max(int(n_workers), 1), 1)))
    rows = max(int(rows), 1)
    return [range(i, min(i + rows, n_rows)) for i in range(0, n_rows, rows)]


def _n_workers(client) -> int:
    try:
        return max(len(client.scheduler_info().get("workers", {})), 1)
    except Exception:  # noqa: BLE001
        return 1


def map_tiles(client, fn: Callable, dem, lat: np.ndarray, lon: np.ndarray, kwargs: dict, *, kind: str = "map",
              progress: bool = False, rows: int | None = None, concat_dim: str = "lat"):
    """``fn(dem, kwargs, lat[band], lon)`` for every band of rows, concatenated along ``lat``.

    ``fn`` returns an :class:`xarray.DataArray` or :class:`xarray.Dataset` with a ``lat``
    dimension; the attributes are those of the first tile (they do not depend on the rows).
    """
    import xarray as xr

    bands = tile_rows(lat.size, _n_workers(client), rows)
    items = [np.ascontiguousarray(lat[b.start:b.stop]) for b in bands]
    parts = map_tasks(client, _tile_task, items, shared=(fn, dem, kwargs, np.ascontiguousarray(lon)), kind=kind,
                      progress=progress, desc=f"{kind} ({len(items)} tiles)")
    if len(parts) == 1:
        return parts[0]
    out = xr.concat(parts, dim=concat_dim, data_vars="all", coords="different", compat="equals",
                    combine_attrs="override")
    return out


def _tile_task(fn, dem, kwargs, lon, lat_tile):
    return fn(dem, kwargs, lat_tile, lon)
