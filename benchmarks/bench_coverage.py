"""Benchmark: coverage maps (P.452-18 and ITM) against pycraf's ``height_map_data`` + ``atten_map_fast``.

Run::

    python benchmarks/bench_coverage.py                       # defaults below
    python benchmarks/bench_coverage.py --sizes 1000 --peer-sizes 250 500 --threads 2

What is timed (medians of ``--repeat`` runs after a warm-up that compiles the Numba kernels):

* ours, API: :func:`spectrum.coverage.field_strength_map` (``quantity="lb_db"``) end to end --
  radial terrain profiles, the model at every radial node, polar -> pixel lookup -- on an
  N x N pixel map around a station in the centre of the seeded benchmark terrain
  (``benchmarks/common.bench_dem``: 2 x 2 degrees, 3", hilly). The radials reach the map
  corners, so every pixel is computed.
* ours, kernel: the polar model kernel alone (``polar_map``), the part that scales.
* pycraf (P.452-16, Cython/OpenMP): ``height_map_data`` (paths to ~3x the edge pixels, profiles
  every 30 m at 3") + ``atten_map_fast`` (P.452 at every pixel) on the same terrain written as
  SRTM tiles and the same pixel grid (pycraf's own ``xcoords``/``ycoords`` are reused for ours).

Two configurations of ours are timed: the default (720 radials, profile step = DEM spacing,
bilinear pixels) and "pycraf resolution" (as many radials as pycraf has paths, 30 m step,
nearest pixels), which does the same profile work per map as the peer.
Timings on a shared machine are noisy: compare ratios taken in the same run.
"""
from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import bench_dem, machine_info, set_threads, timeit_median, write_hgt_tiles  # noqa: E402

SITE = (31.0, 121.0)  # centre of the benchmark terrain
H_TX, H_RX, F_MHZ = 50.0, 10.0, 900.0


def _time(fn, repeat):
    """(median wall seconds, median process CPU seconds) of ``fn()`` over ``repeat`` runs after one warm-up.
    CPU seconds (all threads) give per-core throughput that is less sensitive to a loaded machine."""
    fn()
    wall, cpu = [], []
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return float(np.median(wall)), float(np.median(cpu))


def _args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000], help="map sizes N (N x N pixels)")
    ap.add_argument("--peer-sizes", type=int, nargs="*", default=[250, 500],
                    help="sizes also run with pycraf (it is slow at 1000: about a minute or more)")
    ap.add_argument("--models", nargs="+", default=["p452", "itm"], choices=["p452", "itm", "p1812"])
    ap.add_argument("--p", type=float, default=50.0, help="time percentage [%%]")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--n-radials", type=int, default=720)
    ap.add_argument("--no-exact", action="store_true",
                    help="skip the pixel-exact configuration (n_radials='auto', nearest pixels)")
    return ap.parse_args()


def _grid(n, res_deg=3.0 / 3600.0):
    # pycraf's layout: N pixels of 3" in latitude, the longitude size divided by cos(lat) (do_cos_delta)
    half = (n - 1) / 2.0 * res_deg
    lat = SITE[0] + np.linspace(-half, half, n)
    lon = SITE[1] + np.linspace(-half, half, n) / math.cos(math.radians(SITE[0]))
    return lat, lon


def _corner_km(lat, lon):
    from spectrum import geo

    return float(max(geo.distance_km(SITE[0], SITE[1], la, lo) for la in (lat[0], lat[-1]) for lo in (lon[0], lon[-1])))


def _ours(dem, model, lat, lon, p, n_radials, step_m=None, interp="bilinear"):
    from spectrum import coverage

    st = coverage.Station(lat=SITE[0], lon=SITE[1], h_agl_m=H_TX, f_mhz=F_MHZ, eirp_dbw=0.0)
    r = _corner_km(lat, lon) * 1.001
    return coverage.field_strength_map(dem, st, model, quantity="lb_db", radius_km=r, grid=(lat, lon), p=p,
                                       hrg_m=H_RX, n_radials=n_radials, step_m=step_m, interp=interp)


def _polar(dem, model, lat, lon, p, n_radials, step_m=None):
    from spectrum import coverage

    st = coverage.Station(lat=SITE[0], lon=SITE[1], h_agl_m=H_TX, f_mhz=F_MHZ, eirp_dbw=0.0)
    return coverage.polar_map(dem, st, model, radius_km=_corner_km(lat, lon) * 1.001, p=p, hrg_m=H_RX,
                              n_radials=n_radials, step_m=step_m)


def _pycraf(dem, n, p, repeat):
    try:
        import astropy.units as u
        from pycraf import pathprof
    except ImportError:
        return None
    tmp = tempfile.mkdtemp(prefix="bench_cov_srtm_")
    write_hgt_tiles(dem, tmp)
    res_deg = 3.0 / 3600.0
    size = (n - 1) * res_deg
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pathprof.SrtmConf.set(srtm_dir=tmp, download="never", interp="linear"):
            def hmd():
                out["hp"] = pathprof.height_map_data(SITE[1] * u.deg, SITE[0] * u.deg, size * u.deg, size * u.deg,
                                                     map_resolution=3.0 * u.arcsec)

            def amf():
                out["res"] = pathprof.atten_map_fast(F_MHZ / 1000.0 * u.GHz, 288.15 * u.K, 1013.25 * u.hPa,
                                                     H_TX * u.m, H_RX * u.m, p * u.percent, out["hp"],
                                                     polarization=1, version=16)

            import contextlib
            import io

            with contextlib.redirect_stdout(io.StringIO()):  # pycraf prints progress
                t_h = timeit_median(hmd, repeat=max(1, repeat - 1), warmup=0)
                t_a = timeit_median(amf, repeat=max(1, repeat - 1), warmup=0)
    hp = out["hp"]
    return {"t_hmd": t_h, "t_amf": t_a, "lat": np.asarray(hp["ycoords"]), "lon": np.asarray(hp["xcoords"]),
            "n_paths": int(hp["height_profs"].shape[0]), "step_m": float(hp["hprof_step"]),
            "lb": np.asarray(out["res"]["L_b"].to_value(u.dB))}


def main():
    a = _args()
    threads = set_threads(a.threads)
    print(f"bench_coverage: {machine_info()}; {threads} Numba threads; p = {a.p:g} %, {F_MHZ:g} MHz, "
          f"Tx {H_TX:g} m, Rx {H_RX:g} m")
    print("NOTE: shared machine (several engineers' jobs); timings are medians but noisy, compare ratios.")
    dem = bench_dem()
    from spectrum import coverage  # noqa: F401  (import cost not timed)

    # compile every kernel once on a small map
    for m in a.models:
        la, lo = _grid(21)
        _ours(dem, m, la, lo, a.p if m != "itm" else 50.0, 16)
        _ours(dem, m, la, lo, a.p if m != "itm" else 50.0, 16, interp="nearest")
    rows = []
    for n in sorted(set(a.sizes) | set(a.peer_sizes)):
        peer = None
        if n in a.peer_sizes and "p452" in a.models:
            t0 = time.perf_counter()
            peer = _pycraf(dem, n, a.p, a.repeat)
            if peer is None:
                print("pycraf not installed: peer skipped")
            else:
                print(f"  (pycraf {n}x{n} ran in {time.perf_counter() - t0:.1f} s)")
        lat, lon = (peer["lat"], peer["lon"]) if peer else _grid(n)
        npx = lat.size * lon.size
        for m in a.models:
            p = a.p if m != "itm" else 50.0
            t_api, c_api = _time(lambda: _ours(dem, m, lat, lon, p, a.n_radials), a.repeat)
            t_ker, _ = _time(lambda: _polar(dem, m, lat, lon, p, a.n_radials), max(1, a.repeat - 1))
            pm = _polar(dem, m, lat, lon, p, a.n_radials)
            nodes = pm.values[0, 0].size
            row = {"n": n, "model": m, "pixels": npx, "t_api": t_api, "c_api": c_api, "t_kernel": t_ker, "nodes": nodes,
                   "radials": a.n_radials, "step_m": float(pm.radials.distances[1] * 1000)}
            if peer and m == "p452":
                t_peer = peer["t_hmd"] + peer["t_amf"]
                row.update(t_peer=t_peer, peer_paths=peer["n_paths"], peer_step=peer["step_m"],
                           peer_hmd=peer["t_hmd"], peer_amf=peer["t_amf"])
                # same profile work as the peer: one radial per pycraf path, its 30 m step, nearest pixels
                t_eq, _ = _time(lambda: _ours(dem, m, lat, lon, p, peer["n_paths"], step_m=peer["step_m"],
                                              interp="nearest"), max(1, a.repeat - 1))
                row["t_eq"] = t_eq
                ours_eq = _ours(dem, m, lat, lon, p, peer["n_paths"], step_m=peer["step_m"], interp="nearest")
                diff = ours_eq.values - peer["lb"]
                ok = np.isfinite(diff)
                row["peer_diff_med"] = float(np.median(np.abs(diff[ok])))
                row["peer_diff_p95"] = float(np.percentile(np.abs(diff[ok]), 95))
            if not a.no_exact:
                t_x, c_x = _time(lambda: _ours(dem, m, lat, lon, p, "auto", interp="nearest"), max(1, a.repeat - 2))
                row.update(t_exact=t_x, c_exact=c_x)
            rows.append(row)
            line = (f"{m:5s} {n:5d}x{n:<5d} {npx / 1e6:6.3f} Mpx  ours {t_api:7.3f} s API "
                    f"({npx / t_api / 1e3:8.1f} kpx/s; per core: {npx / t_api / threads / 1e3:7.1f} kpx/s by wall "
                    f"time, {npx / c_api / 1e3:7.1f} kpx/s by CPU time {c_api:.3f} s), all-node kernel "
                    f"{t_ker:7.3f} s for {nodes} nodes")
            print(line)
            if "t_exact" in row:
                print(f"      pixel-exact (n_radials='auto', nearest: every pixel its own model evaluation): "
                      f"{row['t_exact']:.3f} s wall, {row['c_exact']:.3f} CPU-s = {npx / row['c_exact'] / 1e3:.0f} kpx "
                      f"per CPU-second")
            if "t_peer" in row:
                print(f"      pycraf P.452-16: {row['t_peer']:7.3f} s (height_map_data {row['peer_hmd']:.3f} + "
                      f"atten_map_fast {row['peer_amf']:.3f}; {row['peer_paths']} paths, {row['peer_step']:g} m step) "
                      f"= {npx / row['t_peer'] / 1e3:.1f} kpx/s")
                print(f"      vs atten_map_fast alone (pycraf's terrain work cached): x{row['peer_amf'] / t_api:.1f}")
                print(f"      ratio ours/pycraf pixels per second: x{row['t_peer'] / t_api:.1f} (default: "
                      f"{a.n_radials} radials, DEM step); x{row['t_peer'] / row['t_eq']:.1f} at pycraf's resolution "
                      f"({row['peer_paths']} radials, {row['peer_step']:g} m, {row['t_eq']:.3f} s)")
                print(f"      |Lb ours (P.452-18) - pycraf (P.452-16)|: median {row['peer_diff_med']:.2f} dB, "
                      f"95th percentile {row['peer_diff_p95']:.2f} dB (different revisions and profiles)")
    print()
    print("goals: 1000x1000 P.452 map < 4 s; >= 5x pycraf's pixels/s; ITM >= 250 kpx/s/core")
    for r in rows:
        if r["n"] == 1000 and r["model"] == "p452":
            ok = "met" if r["t_api"] < 4.0 else "NOT met"
            print(f"  P.452 1000x1000: {r['t_api']:.2f} s wall -> {ok} by wall time; "
                  f"{r['c_api']:.2f} CPU-seconds over {threads} threads -> {r['c_api'] / threads:.2f} s on "
                  f"{threads} idle cores ({'met' if r['c_api'] / threads < 4.0 else 'NOT met'})")
        if r["model"] == "itm":
            v = r["pixels"] / r["t_api"] / threads / 1e3
            vc = r["pixels"] / r["c_api"] / 1e3
            verdict = "met" if min(v, vc) >= 250 else ("met by CPU time only" if vc >= 250 else
                                                       "met by wall time only" if v >= 250 else "NOT met")
            print(f"  ITM {r['n']}x{r['n']}: {v:.0f} kpx/s/core by wall time, {vc:.0f} by CPU time -> {verdict}")
        if "t_peer" in r:
            x = r["t_peer"] / r["t_api"]
            print(f"  P.452 {r['n']}x{r['n']} vs pycraf: x{x:.1f} -> {'met' if x >= 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
