"""Benchmark: scaling of distributed runs from 1 to 2 local dask workers, and the per-task overhead.

Run::

    python benchmarks/bench_dask.py                         # defaults below
    python benchmarks/bench_dask.py --map-size 600 --channels 80 --repeat 3

What is timed (medians of ``--repeat`` runs; every cluster does one untimed warm-up run first, so
each worker process has loaded the Numba kernels from the on-disk cache before timing):

* map: :func:`spectrum.coverage.field_strength_map` (P.452-18, 720 radials) of an N x N map around
  the centre of the seeded benchmark terrain (``common.bench_dem``), ``client=`` a LocalCluster of
  1 and of 2 single-threaded worker processes (``local:1`` / ``local:2``); the client samples the
  terrain radials once and scatters them (not the DEM) to the workers in every timed run. The same map in this process on one Numba thread is the
  reference, and every distributed map is checked bit-identical to it.
* sweep: :func:`spectrum.sweep.sweep_channels` of the sample 13 GHz link request over ``--channels``
  channels x 2 heights against the sample register; each worker builds the scenario once (the
  register snapshot and terrain travel once), so this part does not split.
* per-task overhead: :func:`spectrum.distributed.map_tasks` of a no-op over ``--tasks`` items on
  ``local:2`` (submit, schedule, run, gather, progress), wall time per task.

The goal of issue #20 is >= 1.7x from 1 to 2 workers on the map and the sweep. This machine has 2
cores shared with other jobs: run it on a quiet machine and read the ratios, not the seconds. The
CPU seconds each worker process spends in a run (``client.run(time.process_time)`` before and
after) are printed too: they do not depend on what else runs, and their ratio (one worker's CPU /
the busiest of two workers' CPU) is the scaling the split allows on two idle cores.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import bench_dem, machine_info, set_threads  # noqa: E402


def _median(fn, repeat):
    ts = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t0)
    return float(np.median(ts)), out


def _noop(x):
    return x


def _cpu():
    return time.process_time()


def _worker_cpu(c, fn, repeat):
    """Median CPU seconds each worker process spent in ``fn()`` (``client.run`` of process_time
    before and after): the work each worker did, whatever else shares the machine."""
    per = []
    for _ in range(repeat):
        a = c.run(_cpu)
        fn()
        b = c.run(_cpu)
        per.append(sorted((b[k] - a[k] for k in a), reverse=True))
    return [float(np.median([p[i] for p in per])) for i in range(len(per[0]))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--map-size", type=int, default=500, help="map N (N x N pixels)")
    ap.add_argument("--channels", type=int, default=240, help="channels of the sweep (x 2 heights)")
    ap.add_argument("--tasks", type=int, default=2000, help="no-op tasks for the per-task overhead")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", choices=("map", "sweep", "overhead"), action="append")
    a = ap.parse_args()
    only = set(a.only or ("map", "sweep", "overhead"))

    from spectrum import coverage
    from spectrum.datasets.register import sample_register
    from spectrum.datasets.requests import sample_link_request
    from spectrum.distributed import client_session, map_tasks
    from spectrum.sweep import sweep_channels

    import os

    print(machine_info())
    print("load average before: %.2f %.2f %.2f (2 cores: above ~0.5 the scaling figures are not meaningful)"
          % os.getloadavg())
    set_threads(1)
    dem = bench_dem()
    n = a.map_size
    st = coverage.Station(lat=31.0, lon=121.0, h_agl_m=50.0, f_mhz=900.0, eirp_dbw=30.0)
    la = np.linspace(31.0 - 0.2, 31.0 + 0.2, n)
    lo = np.linspace(121.0 - 0.23, 121.0 + 0.23, n)
    mkw = dict(radius_km=35.0, grid=(la, lo), n_radials=720, quantity="lb_db")
    reg = sample_register()
    req = sample_link_request()
    ch = req.f_mhz + 28.0 * (np.arange(a.channels) - a.channels // 2) / 4.0
    skw = dict(heights_m=[30.0, 50.0], progress=False, freq_node_ratio=None)
    ref_map = ref_sweep = None
    rows = []
    cpu = {}
    if "map" in only:
        coverage.field_strength_map(dem, st, "p452", **mkw)
        t, ref_map = _median(lambda: coverage.field_strength_map(dem, st, "p452", **mkw), a.repeat)
        rows.append(("map", f"{n}x{n} P.452", "this process, 1 thread", t))
    if "sweep" in only:
        t, ref_sweep = _median(lambda: sweep_channels(reg, req, ch, **skw), a.repeat)
        rows.append(("sweep", f"{ch.size} ch x 2 h", "this process, 1 thread", t))
    for w in (1, 2):
        with client_session(f"local:{w}", quiet=True) as c:
            if "map" in only:
                coverage.field_strength_map(dem, st, "p452", client=c, **mkw)   # warm-up: kernels from cache
                t, m = _median(lambda: coverage.field_strength_map(dem, st, "p452", client=c, **mkw), a.repeat)
                assert np.array_equal(m.values, ref_map.values, equal_nan=True), "map differs from the local run"
                rows.append(("map", f"{n}x{n} P.452", f"local:{w}", t))
                cpu[("map", w)] = _worker_cpu(c, lambda: coverage.field_strength_map(dem, st, "p452", client=c, **mkw),
                                              a.repeat)
            if "sweep" in only:
                sweep_channels(reg, req, ch, client=c, **skw)
                t, s = _median(lambda: sweep_channels(reg, req, ch, client=c, **skw), a.repeat)
                assert s.identical(ref_sweep), "sweep differs from the local run"
                rows.append(("sweep", f"{ch.size} ch x 2 h", f"local:{w}", t))
                cpu[("sweep", w)] = _worker_cpu(c, lambda: sweep_channels(reg, req, ch, client=c, **skw), a.repeat)
            if "overhead" in only and w == 2:
                map_tasks(c, _noop, list(range(50)), progress=False)
                t, _ = _median(lambda: map_tasks(c, _noop, list(range(a.tasks)), progress=False), a.repeat)
                rows.append(("overhead", f"{a.tasks} no-op tasks", "local:2", t))
    print(f"{'what':<9}{'size':<18}{'where':<24}{'median s':>10}")
    for r in rows:
        print(f"{r[0]:<9}{r[1]:<18}{r[2]:<24}{r[3]:>10.3f}")
    for what in ("map", "sweep"):
        t = {r[2]: r[3] for r in rows if r[0] == what}
        if "local:1" in t and "local:2" in t:
            print(f"{what}: scaling local:1 -> local:2 = {t['local:1'] / t['local:2']:.2f}x "
                  f"(goal >= 1.7x); this process 1 thread / local:2 = {t['this process, 1 thread'] / t['local:2']:.2f}x;"
                  " results bit-identical")
    print("load average after: %.2f %.2f %.2f" % os.getloadavg())
    for what in ("map", "sweep"):
        if (what, 1) in cpu and (what, 2) in cpu:
            one, two = cpu[(what, 1)], cpu[(what, 2)]
            print(f"{what}: worker CPU s local:1 {one[0]:.3f}; local:2 {' + '.join(f'{x:.3f}' for x in two)} "
                  f"(split overhead {100 * (sum(two) / one[0] - 1):+.0f} %); CPU-bound scaling on idle cores "
                  f"local:1 / slowest local:2 worker = {one[0] / max(two):.2f}x")
    for r in rows:
        if r[0] == "overhead":
            print(f"per-task overhead: {1e3 * r[3] / a.tasks:.2f} ms/task (map_tasks, local:2)")


if __name__ == "__main__":
    main()
