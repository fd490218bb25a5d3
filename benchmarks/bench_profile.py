"""Benchmark: batch terrain-profile extraction (great circle + bilinear), kernel and API.

    python benchmarks/bench_profile.py [--paths 10000] [--samples 1000] [--repeat 5] [--peer-paths 200]

Times ``spectrum.kernels.profile.sample_paths`` (preallocated outputs) and the validated API
``spectrum.terrain.profiles`` for ``--paths`` paths of ``--samples`` samples (90 m steps) on the
seeded 2° x 2° 3" benchmark terrain, on 1 and 2 Numba threads; medians of ``--repeat`` runs,
JIT compiled before timing. The peer, pycraf's ``srtm_height_profile`` (one path per call,
Vincenty geodesics + scipy bilinear), is timed on ``--peer-paths`` of the same paths read from
the same terrain written as SRTM tiles, and the per-path ratio printed. Also timed: a
720-radial set for a coverage map and the generation of the synthetic default terrain.
"""
from __future__ import annotations

import argparse
import tempfile

import numba
import numpy as np

from common import bench_dem, machine_info, random_paths, set_threads, timeit_median, write_hgt_tiles


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=10_000)
    ap.add_argument("--samples", type=int, default=1000)
    ap.add_argument("--step-m", type=float, default=90.0)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--peer-paths", type=int, default=200, help="paths for the pycraf comparison (0: skip)")
    args = ap.parse_args()

    from spectrum import terrain
    from spectrum.kernels import profile as kp

    print(f"machine: {machine_info()}")
    dem = bench_dem()
    g = terrain._grid(dem)
    length_km = (args.samples - 1) * args.step_m / 1000.0
    la1, lo1, la2, lo2 = random_paths(dem, args.paths, length_km, seed=1)
    # exactly `samples` points per path
    d, h, n = terrain.profiles(dem, la1[:10], lo1[:10], la2[:10], lo2[:10], step_m=args.step_m)  # compile
    npts = np.full(args.paths, args.samples, dtype=np.int64)
    d_out = np.empty((args.paths, args.samples))
    h_out = np.empty((args.paths, args.samples))
    dummy = np.empty((1, args.samples))
    bad = np.empty(args.paths, dtype=np.int64)
    void = np.empty(args.paths, dtype=np.int64)

    def kernel():
        kp.sample_paths(g.z, g.lat0, g.dlat, g.lon0, g.dlon, la1, lo1, la2, lo2, npts, d_out, h_out,
                        dummy, dummy, False, bad, void)

    def api():
        return terrain.profiles(dem, la1, lo1, la2, lo2, step_m=args.step_m)

    _, _, n_api = api()
    total = args.paths * args.samples
    print(f"terrain: {dem.shape[0]} x {dem.shape[1]} posts at 3\"; {args.paths} paths x {args.samples} samples "
          f"({length_km:.2f} km, {args.step_m:g} m steps; API gives {int(n_api.min())}..{int(n_api.max())} samples)")
    results = {}
    for nt in args.threads:
        used = set_threads(nt)
        tk = timeit_median(kernel, repeat=args.repeat)
        ta = timeit_median(api, repeat=args.repeat)
        results[used] = (tk, ta)
        print(f"threads={used}: kernel {tk * 1e3:8.1f} ms ({tk / total * 1e9:6.1f} ns/sample)   "
              f"API profiles() {ta * 1e3:8.1f} ms ({ta / total * 1e9:6.1f} ns/sample)   [median of {args.repeat}]")
    if len(results) > 1:
        ks = sorted(results)
        print(f"speed-up {ks[0]} -> {ks[-1]} threads: kernel x{results[ks[0]][0] / results[ks[-1]][0]:.2f}, "
              f"API x{results[ks[0]][1] / results[ks[-1]][1]:.2f}")

    # radial profile set for a coverage map, and the embedded default terrain
    from spectrum.datasets.terrain import synthetic_default_dem

    tr = timeit_median(lambda: terrain.radial_profiles(dem, 31.0, 121.0, 50.0, n_radials=720, step_m=args.step_m),
                       repeat=args.repeat)
    rp = terrain.radial_profiles(dem, 31.0, 121.0, 50.0, n_radials=720, step_m=args.step_m)
    print(f"radial_profiles: 720 radials x {rp.n_samples} samples (50 km): {tr * 1e3:.1f} ms "
          f"(threads={numba.get_num_threads()})")
    tg = timeit_median(synthetic_default_dem, repeat=args.repeat)
    print(f"synthetic default terrain (1801 x 2401 posts, 3\"): {tg * 1e3:.0f} ms")

    # single-path API call overhead
    t1 = timeit_median(lambda: terrain.profile(dem, (la1[0], lo1[0]), (la2[0], lo2[0]), step_m=args.step_m),
                       repeat=max(args.repeat, 20))
    print(f"single path profile(): {t1 * 1e3:.3f} ms per path ({args.samples} samples)")

    if args.peer_paths <= 0:
        return
    try:
        import astropy.units as u
        from pycraf import pathprof
    except ImportError:
        print("peer: pycraf not installed, skipped")
        return
    m = min(args.peer_paths, args.paths)
    with tempfile.TemporaryDirectory() as tmp:
        tiles = write_hgt_tiles(dem, tmp)
        dem_tiles = terrain.mosaic(tiles)  # the same int16 terrain for both
        with pathprof.SrtmConf.set(srtm_dir=tmp, download="never", interp="linear"):
            def peer():
                for i in range(m):
                    pathprof.srtm_height_profile(lo1[i] * u.deg, la1[i] * u.deg, lo2[i] * u.deg, la2[i] * u.deg,
                                                 args.step_m * u.m)
            tp = timeit_median(peer, repeat=3) / m
            res = pathprof.srtm_height_profile(lo1[0] * u.deg, la1[0] * u.deg, lo2[0] * u.deg, la2[0] * u.deg,
                                               args.step_m * u.m)
        set_threads(1)
        ours1 = timeit_median(lambda: terrain.profile(dem_tiles, (la1[0], lo1[0]), (la2[0], lo2[0]),
                                                      step_m=args.step_m), repeat=20)
        kbest = min(r[0] for r in results.values()) / args.paths
        dd, hh = terrain.profile(dem_tiles, (la1[0], lo1[0]), (la2[0], lo2[0]), step_m=args.step_m)
        hp = res[4].to_value(u.m)
        k = min(hh.size, hp.size)
        print(f"peer pycraf {pathprof.__name__.split('.')[0]} srtm_height_profile: {tp * 1e3:.2f} ms per path "
              f"({hp.size} samples; WGS84 geodesic, so heights differ by "
              f"median {np.median(np.abs(hh[:k] - hp[:k])):.2f} m on path 0)")
        print(f"ratio pycraf / spectrum: x{tp / ours1:.0f} vs single-path profile() (1 thread), "
              f"x{tp / kbest:.0f} vs the batch kernel per path")


if __name__ == "__main__":
    main()
