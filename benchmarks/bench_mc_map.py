"""Benchmark: Monte Carlo probability maps (``spectrum mc map``) -- pixels per second, and what the
per-pixel work (a workspace prepared per receiver site: parse, terrain polar grid) costs against
one run of the same total number of events at one site.

Run: ``python benchmarks/bench_mc_map.py [--shape 6 6] [--events 1000] [--repeat 3] [--threads 1]``.
One Numba thread by default; JIT compilation happens in an untimed warm-up; CPU-time medians
(``time.process_time``). Two scenarios: the free-space workspace of ``tests/test_mc_map.py`` and
the demo map (P.452 over synthetic terrain, base stations in a 3 km disc around the radar site).
No peer computes such maps (SEAMCAT runs one victim site per workspace), so the reference is the
engine itself: ``run()`` of ``NY * NX * events`` events at the origin.
"""
from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

from common import machine_info, set_threads, timeit_median

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shape", type=int, nargs=2, default=(6, 6))
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    print(machine_info(), f"| numba threads {set_threads(a.threads)}")
    from spectrum.commands.mc_map import DEMO_GRID, demo_map_workspace
    from spectrum.montecarlo import parse_workspace, run
    from spectrum.montecarlo.maps import probability_map
    from test_mc_map import GRID, WS

    npx = a.shape[0] * a.shape[1]
    for name, doc, grid in (("free space, 1 interferer", WS, GRID), ("demo: P.452 terrain, 3 BS", demo_map_workspace(),
                                                                     DEMO_GRID)):
        doc = copy.deepcopy(doc)
        t_map = timeit_median(lambda: probability_map(doc, grid, a.shape, a.events, seed=1), repeat=a.repeat,
                              clock=time.process_time)
        ws = parse_workspace(doc)
        t_one = timeit_median(lambda: run(ws, npx * a.events, 1, store_vectors=False), repeat=a.repeat,
                              clock=time.process_time)
        print(f"{name}: map {a.shape[0]}x{a.shape[1]} x {a.events} events: {t_map:.2f} s CPU "
              f"({npx / t_map:.1f} pixels/s, {npx * a.events / t_map / 1e3:.0f} k events/s); one site, same events: "
              f"{t_one:.2f} s -> per-pixel overhead {(t_map - t_one) / npx * 1e3:.1f} ms/pixel")


if __name__ == "__main__":
    main()
