"""Benchmark: licence-request evaluation and channel sweeps (issue #6 and #14 targets).

- one request against a 100 000-station register (``synthetic_register``) with the existing
  interference at each victim and the intermodulation check -- target < 0.5 s (goal 0.25 s);
  beside it the single-entry evaluation of issue #6 (both off), and the ratio;
- a 100-channel sweep -- target < 10 s;
- kernels on their own: antenna patterns (vs pycraf when installed), SM.337 FDR.

Run: ``python benchmarks/bench_evaluation.py [--stations 100000] [--repeat 5]``. JIT compilation and
the one-off register build are excluded from the timed runs; medians are printed.
"""
from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

from common import machine_info, timeit_median


def _cpu_median(fn, repeat: int) -> float:
    """Median process CPU time (user + system, all threads) of ``fn()``. [s]"""
    import os
    import statistics

    out = []
    for _ in range(repeat):
        t0 = os.times()
        fn()
        t1 = os.times()
        out.append((t1.user - t0.user) + (t1.system - t0.system))
    return statistics.median(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", type=int, default=100_000)
    ap.add_argument("--channels", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    from spectrum.antennas import f699_gain_dbi, f1336_sectoral_gain_dbi
    from spectrum.datasets.register import sample_register, synthetic_register
    from spectrum.datasets.requests import sample_request
    from spectrum.datasets.terrain import default_dem
    from spectrum.evaluation import evaluate_request
    from spectrum.masks import Mask, fdr_db
    from spectrum.sweep import channel_plan, sweep_channels

    print(f"bench_evaluation on {machine_info()}")
    print("note: the machine is shared; timings are medians of repeated runs after JIT warm-up\n")
    dem = default_dem()
    req = sample_request(embedded=True)  # the synthetic register has no named masks / patterns

    # ---------------------------------------------------------------- kernels
    phi = np.linspace(0.0, 180.0, 1_000_000)
    f699_gain_dbi(phi[:10], 40.0, 7000.0)
    t_ours = timeit_median(lambda: f699_gain_dbi(phi, 40.0, 7000.0), repeat=args.repeat)
    print(f"F.699 pattern, 1e6 angles:             {t_ours * 1e3:8.1f} ms")
    try:
        from astropy import units as u
        from pycraf import antenna as pa, conversions as cnv

        dl = 10 ** ((40 - 7.7) / 20)
        lam = 299.792458 / 7000.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = pa.fl_pattern(phi[:1000] * u.deg, dl * lam * u.m, lam * u.m, 40 * cnv.dBi)  # noqa: F841
            t_peer = timeit_median(lambda: pa.fl_pattern(phi * u.deg, dl * lam * u.m, lam * u.m, 40 * cnv.dBi),
                                   repeat=args.repeat)
        print(f"  pycraf fl_pattern (F.699-7), same:    {t_peer * 1e3:8.1f} ms   ratio pycraf/ours {t_peer / t_ours:5.2f}")
    except ImportError:
        print("  pycraf not installed: no peer timing")
    az = np.random.default_rng(0).uniform(-180, 180, 1_000_000)
    el = np.random.default_rng(1).uniform(-90, 90, 1_000_000)
    f1336_sectoral_gain_dbi(az[:10], el[:10], 17.0, 65.0, tilt_m_deg=6.0)
    t = timeit_median(lambda: f1336_sectoral_gain_dbi(az, el, 17.0, 65.0, tilt_m_deg=6.0), repeat=args.repeat)
    print(f"F.1336 sectoral (tilted), 1e6 dirs:    {t * 1e3:8.1f} ms")
    tx, rx = Mask.generic_tx(200.0), Mask.generic_rx(200.0)
    df = np.linspace(-2000.0, 2000.0, 10_000)
    fdr_db(tx, rx, df[:5])
    t = timeit_median(lambda: fdr_db(tx, rx, df), repeat=args.repeat)
    t_grid = timeit_median(lambda: fdr_db(tx, rx, df[:200], method="grid"), repeat=3) * (df.size / 200)
    print(f"SM.337 FDR, 1e4 offsets (exact):       {t * 1e3:8.1f} ms   (grid oracle would take ~{t_grid:.1f} s)")

    # ---------------------------------------------------------------- 100 000-station register
    t0 = time.perf_counter()
    reg = synthetic_register(None, args.stations, seed=0)
    t_build = time.perf_counter() - t0
    print(f"\nsynthetic_register({args.stations}) built in {t_build:.1f} s (one-off, not timed below)")
    ev = evaluate_request(reg, req, dem=dem)  # warm-up: JIT, default terrain, caches of other modules
    single = dict(existing_interference=False, intermod=False)
    evaluate_request(reg, req, dem=dem, **single)
    t_eval = timeit_median(lambda: evaluate_request(reg, req, dem=dem), repeat=args.repeat, warmup=0)
    t_single = timeit_median(lambda: evaluate_request(reg, req, dem=dem, **single), repeat=args.repeat, warmup=0)
    cpu = _cpu_median(lambda: evaluate_request(reg, req, dem=dem), args.repeat)
    evaluate_request(reg, req, dem=dem, blocking=False)
    t_nob = timeit_median(lambda: evaluate_request(reg, req, dem=dem, blocking=False), repeat=args.repeat, warmup=0)
    v = ev.victims
    print(f"evaluate_request vs {args.stations} stations, existing interference + intermod: {t_eval:8.3f} s wall, "
          f"{cpu:.3f} s CPU (all threads)   (target < 0.5 s, goal 0.25 s)\n"
          f"  single entry (existing and intermod off, the issue #6 evaluation): {t_single:8.3f} s   "
          f"ratio full/single {t_eval / t_single:5.2f}\n"
          f"  without the blocking term (SM.337 FDR alone, --no-blocking): {t_nob:8.3f} s   "
          f"ratio with/without blocking {t_eval / t_nob:5.2f}\n  "
          f"decision {ev.decision!r}; {ev.inputs['n_victims_considered']} receivers / "
          f"{ev.inputs['n_interferers_considered']} transmitters in the frequency window, "
          f"{len(ev.victim_rows())} victims + {len(ev.interferer_rows())} interferers computed over terrain; "
          f"existing interference at {int((v['n_existing'] > 0).sum())} victims ({int(v['n_existing'].sum())} "
          f"registered interferers over terrain); {len(ev.intermod_rows())} intermodulation hits")

    fb = int((v["loss_fallback"] != "").sum()) + int((ev.interferers["loss_fallback"] != "").sum())
    print(f"  {fb} victim/interferer paths outside P.452's validity took free space (P.525); "
          f"ΔN/N0: {ev.inputs['climate'][:60]}...")

    # ---------------------------------------------------------------- a broadcasting request: P.1546 + ratios
    from spectrum.datasets.register import FM_MAST
    from spectrum.evaluation import Request, Terminal

    fm = Request(service="broadcasting", f_mhz=98.6, bw_khz=200.0, eirp_dbw=40.0, polarisation="h",
                 tx=Terminal(lat=FM_MAST[1], lon=FM_MAST[2], h_agl_m=150.0, g_dbi=2.15), licence_number="BC-NEW")
    ev_fm = evaluate_request(reg, fm, dem=dem)   # default model "service": P.1546 for broadcasting
    t_fm = timeit_median(lambda: evaluate_request(reg, fm, dem=dem), repeat=args.repeat, warmup=0)
    vf = ev_fm.victims
    n_pr = int((vf["criterion_source"] == "protection ratio").sum()) if len(vf.get("margin_db", [])) else 0
    print(f"broadcasting request (FM 98.6 MHz, 40 dBW) vs {args.stations} stations, default model -> "
          f"{ev_fm.model_versions['propagation']}: {t_fm:8.3f} s   ({len(ev_fm.victim_rows())} victims, "
          f"{n_pr} judged on BS.412 protection ratios; decision {ev_fm.decision!r})")

    # ---------------------------------------------------------------- 100-channel sweep
    ch = channel_plan(1810.0, 1870.0, 60.0 / (args.channels - 1))[: args.channels]
    ds = sweep_channels(reg, req, ch, dem=dem, progress=False)
    t_sweep = timeit_median(lambda: sweep_channels(reg, req, ch, dem=dem, progress=False), repeat=3, warmup=0)
    cpu = _cpu_median(lambda: sweep_channels(reg, req, ch, dem=dem, progress=False), 1)
    print(f"{ch.size}-channel sweep ({args.stations} stations): {t_sweep:8.3f} s wall, {cpu:.3f} s CPU   (target < 10 s)  "
          f"{ds.attrs['n_paths']} terrain paths reused across channels")
    t_se = timeit_median(lambda: sweep_channels(reg, req, ch, dem=dem, progress=False, existing_interference=False),
                         repeat=1, warmup=0)
    print(f"  same sweep without existing interference: {t_se:8.3f} s   ratio with/without {t_sweep / t_se:5.2f}")
    t_exact = timeit_median(lambda: sweep_channels(reg, req, ch, dem=dem, progress=False, freq_node_ratio=None),
                            repeat=1, warmup=0)
    print(f"  same sweep, exact loss at every channel: {t_exact:8.3f} s")
    reg.close()
    small = sample_register()
    ds = sweep_channels(small, req, ch, dem=dem, progress=False)
    t_small = timeit_median(lambda: sweep_channels(small, req, ch, dem=dem, progress=False), repeat=3, warmup=0)
    print(f"{ch.size}-channel sweep (sample register):  {t_small:8.3f} s   ({ds.attrs['n_paths']} paths)")
    ev = evaluate_request(small, req, dem=dem)
    t_demo = timeit_median(lambda: evaluate_request(small, req, dem=dem), repeat=args.repeat, warmup=0)
    print(f"evaluate_request (sample register):     {t_demo:8.3f} s   ({len(ev.victim_rows())} victims, "
          f"{len(ev.interferer_rows())} interferers)")
    small.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
