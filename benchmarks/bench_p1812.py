"""Benchmark: Rec. ITU-R P.1812-6 (spectrum.kernels.p1812).

    python benchmarks/bench_p1812.py [--paths 10000] [--repeat 7] [--threads 1 2]

Profiles: seeded synthetic terrain from ``benchmarks/common.py`` (hilly 3" DEM), random
100 km paths sampled every 100 m (1 001 samples), suburban clutter R = 10 m on every
point, f = 600 MHz, p = 10 %, 150 m / 10 m antennas, pl = 50 %, sigma_L = 0.

Times (medians over ``--repeat`` runs, JIT compiled before timing):
  * one path, per-path njit core ``p1812_path`` called from a jitted loop (what another
    kernel such as a coverage map pays per path);
  * one path through the public API ``p1812.basic_transmission_loss`` (validation included);
  * ``--paths`` paths: kernel batch ``p1812_batch`` (prange) and the public API on a padded
    2-D batch, for each thread count in ``--threads``.
No peer is timed: pycraf and itmlogic do not implement P.1812 (the ITU-R reference is MATLAB).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import bench_dem, machine_info, random_paths, set_threads, timeit_median  # noqa: E402

from spectrum.kernels import p1812 as K  # noqa: E402
from spectrum.kernels._jit import jit  # noqa: E402
from spectrum.propagation import p1812  # noqa: E402

F_GHZ, P, HTG, HRG, DN, N0, LAT, R_M = 0.6, 10.0, 150.0, 10.0, 45.0, 325.0, 31.0, 10.0


def _median(fn, repeat, clock=time.perf_counter):
    return timeit_median(fn, repeat, warmup=0, clock=clock)


@jit
def _loop(d, h, r, zone, n, ncall, out):
    acc = 0.0
    for _ in range(ncall):
        K.p1812_path(d, h, r, zone, n, 0.6, 10.0, 150.0, 10.0, 0, 45.0, 325.0, 500.0, 500.0, 31.0, 50.0, 0.0, False, out)
        acc += out[0]
    return acc


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--length-km", type=float, default=100.0)
    ap.add_argument("--step-m", type=float, default=100.0)
    args = ap.parse_args(argv)

    from spectrum.terrain import profiles

    print(f"machine: {machine_info()}")
    dem = bench_dem()
    t0 = time.perf_counter()
    la1, lo1, la2, lo2 = random_paths(dem, args.paths, args.length_km, seed=1812)
    d, h, n = profiles(dem, la1, lo1, la2, lo2, step_m=args.step_m)
    # equal-length paths: the samples fall exactly on the step
    print(f"profiles: {args.paths} x {d.shape[1]} samples ({args.length_km:g} km, {args.step_m:g} m), "
          f"extracted in {time.perf_counter() - t0:.2f} s (not part of the timings below)")
    r = np.full(d.shape, R_M)
    zone = np.full(d.shape, 4.0)

    # ---- one path -----------------------------------------------------------------------
    d0, h0, r0, z0, n0 = d[0].copy(), h[0].copy(), r[0].copy(), zone[0].copy(), int(n[0])
    out = np.empty(K.NOUT)
    _loop(d0, h0, r0, z0, n0, 1, out)
    ncall = 200
    t_core = _median(lambda: _loop(d0, h0, r0, z0, n0, ncall, out), args.repeat) / ncall
    c_core = _median(lambda: _loop(d0, h0, r0, z0, n0, ncall, out), args.repeat, time.process_time) / ncall
    api_kw = dict(f_ghz=F_GHZ, p=P, htg_m=HTG, hrg_m=HRG, r_m=r0, zone=z0, dn=DN, n0=N0, lat=LAT)
    one = p1812.basic_transmission_loss(d0, h0, **api_kw)
    t_api1 = _median(lambda: p1812.basic_transmission_loss(d0, h0, **api_kw), args.repeat)
    print(f"\none path ({n0} samples, Lb = {one.lb:.3f} dB, {'LoS' if one.path_type == 1 else 'trans-horizon'}):")
    print(f"  per-path njit core p1812_path     {t_core * 1e6:10.1f} us  (median of {args.repeat} x {ncall} calls; "
          f"CPU time {c_core * 1e6:.1f} us)")
    print(f"  public API basic_transmission_loss {t_api1 * 1e6:9.1f} us  (validation + result object)")

    # ---- batch --------------------------------------------------------------------------
    k = args.paths
    per = {name: np.full(k, v) for name, v in
           dict(f=F_GHZ, p=P, htg=HTG, hrg=HRG, pol=0.0, dn=DN, n0=N0, dct=500.0, dcr=500.0,
                phi=LAT, pl=50.0, sl=0.0).items()}

    def kernel_batch():
        return K.p1812_batch(d, h, r, zone, n, per["f"], per["p"], per["htg"], per["hrg"], per["pol"],
                             per["dn"], per["n0"], per["dct"], per["dcr"], per["phi"], per["pl"], per["sl"], False)

    def api_batch():
        return p1812.basic_transmission_loss(d, h, n=n, **{**api_kw, "r_m": r, "zone": zone})

    kernel_batch()  # compile
    res = api_batch()
    assert np.array_equal(res.lb, kernel_batch()[:, K.I_LB])
    print(f"\nbatch of {k} paths (Lb median {np.median(res.lb):.2f} dB, "
          f"{np.mean(res.path_type == 1) * 100:.0f} % LoS):")
    print(f"  {'threads':>7} {'kernel p1812_batch':>20} {'per path':>10} {'public API':>12} {'per path':>10}"
          f" {'kernel CPU time':>16}")
    for th in args.threads:
        used = set_threads(th)
        tk = _median(kernel_batch, args.repeat)
        ta = _median(api_batch, args.repeat)
        ck = _median(kernel_batch, args.repeat, time.process_time)
        print(f"  {used:7d} {tk:18.3f} s {tk / k * 1e6:8.1f} us {ta:10.3f} s {ta / k * 1e6:8.1f} us"
              f" {ck:14.3f} s")
    print("\nmedians of wall-clock time; CPU time (process_time, all threads) is less sensitive to a shared machine.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
