"""Benchmark: P.1546-6 broadcast maps (spectrum.broadcast).

    python benchmarks/bench_broadcast.py [--cov-size 1000] [--bs-size 500] [--stations 30] [--repeat 3]

* Coverage: :func:`spectrum.broadcast.coverage_map` of one DVB-T station (600 MHz, 40 dBW e.r.p.,
  150 m) in the centre of the seeded benchmark terrain (``common.bench_dem``: 2 x 2 degrees, 3",
  hilly), ``--cov-size`` x ``--cov-size`` pixels over a 50 km radius, 720 radials (the default),
  profile step = the DEM spacing (~90 m). Goal: < 2 s for 1 000 x 1 000 on 2 cores.
* Best server + C/I: :func:`spectrum.broadcast.best_server_map` of ``--stations`` stations on a
  4-channel plan, seeded positions in the central 1 x 1 degree, ``--bs-size`` pixels square over
  the stations + 30 km radials. Goal: < 10 s for 30 stations at 500 x 500.
* In the same run, for scale: the P.1812-6 coverage map of the same station and grid
  (:func:`spectrum.coverage.field_strength_map`, the nearest in-house peer; no external package
  implements P.1546 maps).
JIT compiled before timing; wall-clock medians; the machine may be shared (noisy).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import bench_dem, machine_info, set_threads, timeit_median  # noqa: E402

from spectrum import broadcast, coverage  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cov-size", type=int, default=1000)
    ap.add_argument("--bs-size", type=int, default=500)
    ap.add_argument("--stations", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-p1812", action="store_true", help="skip the P.1812 scale reference")
    args = ap.parse_args(argv)
    print(machine_info())
    print(f"threads: {set_threads(args.threads)}")
    dem = bench_dem()
    c_lat, c_lon = float(dem.lat.mean()), float(dem.lon.mean())
    st = {"name": "centre", "lat": c_lat, "lon": c_lon, "h_agl_m": 150.0, "f_mhz": 600.0, "erp_dbw": 40.0}
    n = args.cov_size
    lat, lon = coverage.map_grid(dem, c_lat, c_lon, 50.0, shape=(n, n))
    broadcast.coverage_map(dem, st, "dvb-t", radius_km=50.0, grid=(lat[:20], lon[:20]))  # compile
    t_cov = timeit_median(lambda: broadcast.coverage_map(dem, st, "dvb-t", radius_km=50.0, grid=(lat, lon)),
                          args.repeat, warmup=0)
    print(f"P.1546 coverage map {n} x {n} px, 50 km: {t_cov:7.2f} s   (goal < 2 s)")
    if not args.no_p1812:
        coverage.field_strength_map(dem, st, "p1812", radius_km=50.0, grid=(lat[:20], lon[:20]))
        t_12 = timeit_median(lambda: coverage.field_strength_map(dem, st, "p1812", radius_km=50.0, grid=(lat, lon)),
                             max(1, args.repeat - 2), warmup=0)
        print(f"P.1812 coverage map, same grid (scale):  {t_12:7.2f} s   (P.1812 / P.1546 = {t_12 / t_cov:.1f}x)")
    rng = np.random.default_rng(0)
    k = args.stations
    sts = [{"name": f"S{i}", "lat": c_lat + rng.uniform(-0.5, 0.5), "lon": c_lon + rng.uniform(-0.5, 0.5),
            "h_agl_m": rng.uniform(50.0, 250.0), "f_mhz": 474.0 + 8.0 * (i % 4), "erp_dbw": rng.uniform(30.0, 43.0)}
           for i in range(k)]
    m = args.bs_size
    t0 = time.perf_counter()
    ds = broadcast.best_server_map(dem, sts, "dvb-t", radius_km=30.0, shape=(m, m))
    t_bs = time.perf_counter() - t0
    served = float(ds.attrs["served_km2"])
    print(f"best server + C/I, {k} stations, {m} x {m} px: {t_bs:7.2f} s   (goal < 10 s; served {served:.0f} km2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
