"""Shared benchmark fixtures: seeded synthetic terrain, random path sets, a median timer.

Every benchmark script in ``benchmarks/`` imports from here (``from common import ...`` when
run as ``python benchmarks/bench_<x>.py``), so all timings use the same terrain and paths.
"""
from __future__ import annotations

import functools
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

__all__ = ["bench_dem", "random_paths", "timeit_median", "machine_info", "set_threads", "write_hgt_tiles",
           "BENCH_SW_CORNER"]

#: South-west corner of the benchmark terrain (aligned with SRTM tiles, so it can be written as 4 .hgt tiles for peers). [deg]
BENCH_SW_CORNER = (30.0, 120.0)


@functools.lru_cache(maxsize=4)
def bench_dem(size: int = 2401, res_arcsec: float = 3.0, seed: int = 0):
    """Seeded hilly synthetic DEM of ``size`` x ``size`` grid posts from :data:`BENCH_SW_CORNER`.

    Parameters
    ----------
    size : int
        Grid posts per side (2401 at 3" is 2 x 2 degrees, about 220 km x 190 km).
    res_arcsec : float
        Grid spacing. [arc-seconds]
    seed : int
        Terrain seed.

    Returns
    -------
    xarray.DataArray
        Heights [m]; cached, treat as read-only.
    """
    from spectrum.terrain import synthetic_dem

    lat0, lon0 = BENCH_SW_CORNER
    span = (size - 1) * res_arcsec / 3600.0
    return synthetic_dem(lat0, lat0 + span, lon0, lon0 + span, res_arcsec=res_arcsec, seed=seed,
                         hills="all", relief_m=400.0)


def random_paths(dem, n: int, length_km: float, seed: int = 0, margin_deg: float = 0.01):
    """``n`` random great-circle paths of ``length_km`` inside ``dem`` (uniform start, uniform bearing).

    Returns
    -------
    (lat1, lon1, lat2, lon2) : tuple of ndarray, shape (n,)
        Path ends. [deg]
    """
    from spectrum import geo
    from spectrum.terrain import dem_bounds

    la_min, la_max, lo_min, lo_max = dem_bounds(dem)
    la_min, la_max, lo_min, lo_max = la_min + margin_deg, la_max - margin_deg, lo_min + margin_deg, lo_max - margin_deg
    rng = np.random.default_rng(seed)
    out = [np.empty(0) for _ in range(4)]
    need = n
    for _ in range(1000):
        m = max(2 * need, 16)
        la1 = rng.uniform(la_min, la_max, m)
        lo1 = rng.uniform(lo_min, lo_max, m)
        brg = rng.uniform(0.0, 360.0, m)
        la2, lo2 = geo.destination(la1, lo1, brg, np.full(m, float(length_km)))
        ok = (la2 >= la_min) & (la2 <= la_max) & (lo2 >= lo_min) & (lo2 <= lo_max)
        for k, a in enumerate((la1, lo1, la2, lo2)):
            out[k] = np.concatenate([out[k], a[ok][:need]])
        need = n - out[0].size
        if need <= 0:
            return tuple(np.ascontiguousarray(a[:n]) for a in out)
    raise ValueError(f"random_paths: paths of {length_km} km do not fit in the DEM")


def timeit_median(fn, repeat: int = 5, warmup: int = 1, clock=time.perf_counter) -> float:
    """Median seconds of ``fn()`` over ``repeat`` runs after ``warmup`` untimed runs.

    ``clock`` is wall time by default; ``time.process_time`` (CPU time of the process, all
    threads) is far less sensitive to other jobs on a shared machine for single-thread timings.
    """
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return statistics.median(times)


def set_threads(n: int) -> int:
    """Set the Numba thread count (capped at what Numba allows); return the count used."""
    import numba

    n = max(1, min(int(n), numba.config.NUMBA_NUM_THREADS))
    numba.set_num_threads(n)
    return n


def machine_info() -> str:
    """One line describing the machine, for benchmark output."""
    import numba

    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
            f"numba {numba.__version__} (max {numba.config.NUMBA_NUM_THREADS} threads), "
            f"numpy {np.__version__}, python {platform.python_version()}")


def write_hgt_tiles(dem, folder) -> list[Path]:
    """Write a DEM that is aligned with whole degrees at 3" or 1" as SRTM ``.hgt`` tiles
    (rounded to int16 metres, voids as -32768), for peers that read SRTM files (pycraf).

    Returns the tile paths. The DEM must start on whole degrees and span whole degrees.
    """
    from spectrum.terrain import dem_bounds

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    la0, la1, lo0, lo1 = dem_bounds(dem)
    per = int(round(1.0 / float(dem["lat"][1] - dem["lat"][0])))
    if per not in (1200, 3600) or abs(la0 - round(la0)) > 1e-9 or abs(lo0 - round(lo0)) > 1e-9:
        raise ValueError("write_hgt_tiles: the DEM must be 3\" or 1\" and start on whole degrees")
    z = np.where(np.isnan(dem.values), -32768, np.round(dem.values)).astype(">i2")
    paths = []
    for i in range(int(round(la1 - la0))):
        for j in range(int(round(lo1 - lo0))):
            lat_sw, lon_sw = int(round(la0)) + i, int(round(lo0)) + j
            tile = z[i * per: (i + 1) * per + 1, j * per: (j + 1) * per + 1][::-1, :]
            name = f"{'N' if lat_sw >= 0 else 'S'}{abs(lat_sw):02d}{'E' if lon_sw >= 0 else 'W'}{abs(lon_sw):03d}.hgt"
            p = folder / name
            np.ascontiguousarray(tile).tofile(p)
            paths.append(p)
    return paths
