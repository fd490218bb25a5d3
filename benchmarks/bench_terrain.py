"""Benchmark: terrain data -- profiles from a tile catalogue vs one in-memory grid, cold index of
the shared data sets, memory bounded by the tiles touched, the .hgt fast path vs GDAL.

    python benchmarks/bench_terrain.py [--paths 10000] [--samples 1000] [--repeat 3] [--threads 1 2]

1. ``spectrum.terrain.profiles`` for ``--paths`` paths of exactly ``--samples`` samples on the seeded
   2° x 2° 3" benchmark terrain, (a) from the DataArray mosaic of the four tiles (one in-memory grid)
   and (b) from a :class:`~spectrum.terrain.Catalogue` of the same four ``.hgt`` tiles (warm: tiles
   already packed; cold: first call, reading the tiles). Goal: catalogue / grid <= 1.5.
2. Cold index (``refresh=True``, empty cache) and warm re-open of ``../shared/datasets``.
3. Memory: bytes of tiles packed for paths inside one tile vs the whole catalogue, and the
   tracemalloc peak of the call.
4. ``load_dem`` of an SRTM ``.hgt`` tile: own reader vs rasterio (GDAL SRTMHGT driver).
Medians; JIT compiled before timing. The machine may be shared: compare the ratios.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from common import bench_dem, machine_info, random_paths, set_threads, timeit_median, write_hgt_tiles


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=10_000)
    ap.add_argument("--samples", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--shared", default=None, help="folder to index (default ../shared/datasets)")
    args = ap.parse_args()

    from spectrum import terrain
    from spectrum.datasets.terrain import data_dirs

    print(f"machine: {machine_info()}")
    tmp = Path(tempfile.mkdtemp(prefix="bench-terrain-"))
    os.environ["SPECTRUM_CACHE_DIR"] = str(tmp / "cache")
    tiles = write_hgt_tiles(bench_dem(), tmp / "tiles")
    grid = terrain.mosaic(tiles)
    cat = terrain.Catalogue.open(tmp / "tiles")
    step = 90.0
    length_km = (args.samples - 1) * step / 1000.0
    la1, lo1, la2, lo2 = random_paths(grid, args.paths, length_km, seed=1)
    st = np.full(args.paths, length_km * 1000.0 / (args.samples - 1) * (1 + 1e-9))

    # --- 1. profiles: catalogue vs in-memory grid ----------------------------------------------
    terrain.profiles(grid, la1[:10], lo1[:10], la2[:10], lo2[:10], step_m=step)  # compile
    cold_cat = terrain.Catalogue.open(tmp / "tiles")
    t0 = time.perf_counter()
    d, h, n = terrain.profiles(cold_cat, la1, lo1, la2, lo2, step_m=st)  # includes JIT + tile reading
    t_cold = time.perf_counter() - t0
    assert int(n.min()) == args.samples == int(n.max()), (n.min(), n.max())
    d2, h2, n2 = terrain.profiles(grid, la1, lo1, la2, lo2, step_m=st)
    print(f"\n1. profiles, {args.paths} paths x {args.samples} samples ({length_km:.1f} km), 4 SRTM 3\" tiles; "
          f"max |catalogue - grid| = {np.nanmax(np.abs(h - h2)):.2e} m")
    print(f"   first catalogue call (JIT compile + reading 4 tiles): {t_cold:.2f} s")
    for th in args.threads:
        used = set_threads(th)
        tg = timeit_median(lambda: terrain.profiles(grid, la1, lo1, la2, lo2, step_m=st), args.repeat)
        tc = timeit_median(lambda: terrain.profiles(cat, la1, lo1, la2, lo2, step_m=st), args.repeat)
        print(f"   threads {used}: grid {tg:.3f} s, catalogue {tc:.3f} s, ratio catalogue/grid {tc / tg:.2f} "
              f"(goal <= 1.5) -- {args.paths * args.samples / tc / 1e6:.1f} M samples/s")

    # --- 2. cold index of the shared data sets -------------------------------------------------
    shared = Path(args.shared) if args.shared else next((d for d in data_dirs()), None)
    if shared is not None and shared.is_dir():
        os.environ["SPECTRUM_CACHE_DIR"] = str(tmp / "cache-shared")
        t0 = time.perf_counter()
        sc = terrain.Catalogue.open(shared, refresh=True)
        t_cold = time.perf_counter() - t0
        t_warm = timeit_median(lambda: terrain.Catalogue.open(shared), 3)
        size = sum((shared / e["path"]).stat().st_size for e in sc.entries)
        print(f"\n2. index {shared}: {len(sc.entries)} DEM files ({size / 2**20:.1f} MiB, {len(sc.tiles)} usable): "
              f"cold {t_cold:.2f} s, warm re-open {t_warm * 1000:.1f} ms")
    else:
        print("\n2. shared data sets not found: cold index skipped")

    # --- 3. memory bounded by the tiles touched ------------------------------------------------
    os.environ["SPECTRUM_CACHE_DIR"] = str(tmp / "cache")
    small = terrain.Catalogue.open(tmp / "tiles")
    # paths that stay more than the tile-selection margin (0.05 deg) inside the south-west tile
    inside = (la1 < 30.9) & (la2 < 30.9) & (lo1 < 120.9) & (lo2 < 120.9) & (la1 > 30.1) & (la2 > 30.1) \
        & (lo1 > 120.1) & (lo2 > 120.1)
    m = int(inside.sum())
    tracemalloc.start()
    if m:
        terrain.profiles(small, la1[inside], lo1[inside], la2[inside], lo2[inside], step_m=st[inside])
    peak1 = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    packed1 = small._packed[0] if small._packed else []
    tracemalloc.start()
    terrain.profiles(small, la1, lo1, la2, lo2, step_m=st)
    peak4 = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    one = small.tiles[0]["nlat"] * small.tiles[0]["nlon"] * 4
    out_bytes = lambda k: k * args.samples * 8 * 2  # noqa: E731 -- d and h outputs
    print(f"\n3. memory: {m} paths inside one tile -> {len(packed1)} of {len(small.tiles)} tiles packed "
          f"({len(packed1) * one / 2**20:.1f} MiB), tracemalloc peak {peak1 / 2**20:.1f} MiB "
          f"(outputs {out_bytes(m) / 2**20:.1f} MiB); all {args.paths} paths -> {len(small._packed[0])} tiles "
          f"({len(small._packed[0]) * one / 2**20:.1f} MiB), peak {peak4 / 2**20:.1f} MiB "
          f"(outputs {out_bytes(args.paths) / 2**20:.1f} MiB); in-memory float64 grid {grid.nbytes / 2**20:.1f} MiB")

    # --- 4. the .hgt fast path -----------------------------------------------------------------
    t_native = timeit_median(lambda: terrain.load_dem(tiles[0]), 5)
    try:
        import rasterio  # noqa: F401

        t_gdal = timeit_median(lambda: terrain.load_dem(tiles[0], engine="rasterio"), 5)
        print(f"\n4. load_dem {tiles[0].name}: own .hgt reader {t_native * 1000:.1f} ms, rasterio {t_gdal * 1000:.1f} ms "
              f"(ratio GDAL/own {t_gdal / t_native:.2f})")
    except ImportError:
        print(f"\n4. load_dem {tiles[0].name}: own .hgt reader {t_native * 1000:.1f} ms (rasterio not installed)")


if __name__ == "__main__":
    main()
