"""Benchmark: Monte Carlo events per second per core (issue #17 targets: >= 1 000 000 events/s for a
free-space scenario with one interferer, >= 50 000 events/s with P.452 over terrain profiles).

Run: ``python benchmarks/bench_mc.py [--events 2000000] [--terrain-events 100000] [--repeat 3]
[--threads 1] [--big 0]``. One Numba thread by default (per core); JIT compilation, the DEM and the
terrain grid are built before timing; CPU-time medians (``time.process_time``) are printed.

No Monte Carlo peer (SEAMCAT is Java, SHARC is not on PyPI) is installable, so the peers are
timed in the same run:

* free space: a plain NumPy vectorised implementation of the same scenario (the same Philox
  streams, positions, P.525 loss, FDR, the four criteria) -- the ratio is what the kernels buy;
* P.452 over terrain: the straightforward batch approach -- per-event padded profiles cut from
  the same radial grid, then the public :func:`spectrum.propagation.p452.basic_transmission_loss`
  batch API (geometry + losses for every path) -- against the engine's per-event polar kernel
  (no copies), with the time percentage drawn per event (no cache) and constant (cells memoised).

``--big N`` streams N events to a temporary NetCDF/HDF5 file and prints the peak memory, to show
that memory stays bounded (per-event vectors are written block by block).
"""
from __future__ import annotations

import argparse
import math
import os
import resource
import tempfile
import time

import numpy as np

from common import machine_info, set_threads, timeit_median

K_FS = 20 * math.log10(4 * math.pi * 1e9 / 299_792_458.0)


def fs_workspace(events):
    return {"name": "bench free space", "seed": 1, "events": events,
            "victim": {"rx": {"f_mhz": 1000.0, "bw_khz": 200.0, "noise_figure_db": 5.0,
                              "criteria": {"I/N": -6.0, "C/I": 19.0, "C/(N+I)": 16.0, "(N+I)/N": 1.0}},
                       "tx": {"position": {"mode": "disc", "radius_km": 1.0}, "power_dbw": 0.0}},
            "interferers": [{"name": "it", "tx": {"position": {"mode": "disc", "radius_km": 10.0}, "power_dbw": -30.0,
                                                  "f_mhz": 1000.0, "bw_khz": 200.0}}],
            "options": {"store_vectors": False, "block_events": 1 << 18}}


def numpy_free_space(events, seed, fdr_db, noise_dbw, block=1 << 18):
    """The same scenario in plain NumPy (the peer): counts of the four criteria."""
    from spectrum.montecarlo.streams import Streams

    counts = np.zeros(4, np.int64)
    for s in range(0, events, block):
        n = min(block, events - s)
        st = Streams(seed, s, n)
        r_w = 1.0 * np.sqrt(st.uniforms("victim.tx.position.r"))
        a_w = np.radians(360.0 * st.uniforms("victim.tx.position.azimuth"))
        r_i = 10.0 * np.sqrt(st.uniforms("interferers[0].tx.position.r"))
        a_i = np.radians(360.0 * st.uniforms("interferers[0].tx.position.azimuth"))
        d_w = np.maximum(np.hypot(r_w * np.sin(a_w), r_w * np.cos(a_w)), 1e-3)
        d_i = np.maximum(np.hypot(r_i * np.sin(a_i), r_i * np.cos(a_i)), 1e-3)
        c = -(K_FS + 60.0 + 20 * np.log10(d_w))
        i = -30.0 - (K_FS + 60.0 + 20 * np.log10(d_i)) - fdr_db
        ni = 10 * np.log10(10 ** (noise_dbw / 10) + 10 ** (i / 10))
        counts += [np.count_nonzero(i - noise_dbw > -6.0), np.count_nonzero(c - i < 19.0),
                   np.count_nonzero(c - ni < 16.0), np.count_nonzero(ni - noise_dbw > 1.0)]
    return counts


def terrain_workspace(events, p):
    return {"name": "bench p452", "seed": 1, "events": events, "origin": {"lat": 31.0, "lon": 121.0},
            "terrain": {"dem": "BENCH"},
            "victim": {"rx": {"f_mhz": 2000.0, "bw_khz": 5000.0, "criteria": {"I/N": -6.0}, "height_m": 30.0},
                       "tx": {"position": {"mode": "fixed", "x_km": 0.5}, "power_dbw": 0.0}},
            "interferers": [{"name": "it", "tx": {"position": {"mode": "disc", "radius_km": 20.0}, "height_m": 20.0,
                                                  "power_dbw": 0.0, "f_mhz": 2000.0, "bw_khz": 5000.0},
                             "propagation": {"model": "p452", "p": p,
                                             "grid": {"n_azimuths": 720, "step_m": 100.0}}}],
            "options": {"store_vectors": False, "block_events": 1 << 16}}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=2_000_000, help="free-space events")
    ap.add_argument("--terrain-events", type=int, default=100_000, help="P.452 events")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--big", type=int, default=0, help="stream this many events to a file (memory check)")
    args = ap.parse_args(argv)
    th = set_threads(args.threads)
    print(machine_info())
    print(f"threads: {th} (CPU-time medians of {args.repeat}; per-core rates = events / CPU s)")

    from spectrum.interference import noise_dbw
    from spectrum.masks import Mask, fdr_db
    from spectrum.montecarlo import parse_workspace, prepare, run
    from spectrum.montecarlo import propagation as mcprop

    # ---------------------------------------------------------------- free space, 1 interferer
    ws = parse_workspace(fs_workspace(args.events))
    prep = prepare(ws)
    run(prep, 300_000)                                            # compile, warm
    clock = time.process_time
    t_eng = timeit_median(lambda: run(prep, args.events), args.repeat, clock=clock)
    fdr0 = float(fdr_db(Mask.generic_tx(200.0), Mask.generic_rx(200.0), 0.0))
    n0 = float(noise_dbw(200.0, 5.0))
    ref = run(prep, args.events).counts[:, 0]
    peer = numpy_free_space(args.events, 1, fdr0, n0)
    order = [0, 1, 2, 3]  # I/N, C/I, C/(N+I), (N+I)/N
    same = np.array_equal(ref[order], peer)
    t_np = timeit_median(lambda: numpy_free_space(args.events, 1, fdr0, n0), args.repeat, clock=clock)
    r_eng = args.events / t_eng
    r_np = args.events / t_np
    print(f"free space, 1 interferer, {args.events} events: engine {r_eng:,.0f} events/s per core "
          f"(target >= 1,000,000: {'met' if r_eng >= 1e6 else 'NOT met'}); plain NumPy {r_np:,.0f} events/s; "
          f"ratio x{r_eng / r_np:.2f}; counts identical: {same}")

    # ---------------------------------------------------------------- P.452 over terrain
    from common import bench_dem

    dem = bench_dem()
    mcprop._DEM_CACHE.clear()
    orig = mcprop.terrain_dem
    mcprop.terrain_dem = lambda ws_, r: dem      # the shared benchmark terrain (seeded, 2 x 2 deg)
    try:
        for label, p in (("p drawn per event (1-50 %)", {"dist": "uniform", "min": 1.0, "max": 50.0}),
                         ("p = 10 % (cells memoised)", 10.0)):
            tws = parse_workspace(terrain_workspace(args.terrain_events, p))
            t0 = time.perf_counter()
            tp = prepare(tws)
            t_grid = time.perf_counter() - t0
            run(tp, 2000)
            if isinstance(p, float):
                tp.paths[0].grid["cache"][:] = np.nan
                t_cold = clock()
                run(tp, args.terrain_events)
                t_cold = clock() - t_cold
            t = timeit_median(lambda: run(tp, args.terrain_events), args.repeat, clock=clock)
            msg = (f"P.452 over terrain (20 km disc, 720 radials x 100 m, profiles <= 201 points), {label}: "
                   f"{args.terrain_events / t:,.0f} events/s per core (target >= 50,000: "
                   f"{'met' if args.terrain_events / t >= 5e4 else 'NOT met'}); grid built in {t_grid:.2f} s")
            if isinstance(p, float):
                msg += f"; first pass (empty cache) {args.terrain_events / t_cold:,.0f} events/s"
            print(msg)
            if not isinstance(p, float):
                peer_n = min(args.terrain_events, 5000)
                t_peer = _p452_batch_peer(tp, peer_n, clock)
                t_kern = timeit_median(lambda: run(tp, peer_n), args.repeat, clock=clock)
                print(f"  peer: padded per-event profiles + public p452 batch API: {peer_n / t_peer:,.0f} paths/s; "
                      f"engine {peer_n / t_kern:,.0f} events/s on the same events: x{t_peer / t_kern:.2f}")
    finally:
        mcprop.terrain_dem = orig

    if args.big:
        _big(args.big)
    return 0


def _p452_batch_peer(tp, n, clock):
    from spectrum.montecarlo.positions import place
    from spectrum.montecarlo.streams import Streams
    from spectrum.propagation import p452

    pm = tp.paths[0]
    st = Streams(tp.ws.seed, 0, n)
    pos = place(tp.ws, st)
    pm._n = n
    a, j = pm.cells(pos)
    p = st.sample(pm.prop.params["p"], f"{pm.label}.p")
    g = pm.grid
    keep = j + 1 >= 4
    a, j, p = a[keep], j[keep], np.broadcast_to(p, keep.shape)[keep]

    def go():
        nmax = int(j.max()) + 1
        d = np.broadcast_to(g["d"][:nmax], (a.size, nmax)).copy()
        h = g["h"][a, :nmax]
        return p452.basic_transmission_loss(d, h, 2.0, p, 30.0, 20.0, n=j + 1, lat=g["lat"]).lb

    return timeit_median(go, 3, clock=clock) * n / a.size


def _big(n):
    from spectrum.montecarlo import run

    ws = fs_workspace(n)
    ws["options"]["store_vectors"] = True
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "big.h5")
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        res = run(ws, n, out=out)
        dt = time.perf_counter() - t0
        rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        size = os.path.getsize(out)
    print(f"streamed {n} events to NetCDF/HDF5 in {dt:.1f} s ({n / dt:,.0f} events/s with writing), file "
          f"{size / 1e6:.0f} MB; peak RSS {rss1 / 1024:.0f} MB (was {rss0 / 1024:.0f} MB before); "
          f"vectors kept in memory: {res.vectors is not None}")


if __name__ == "__main__":
    raise SystemExit(main())
