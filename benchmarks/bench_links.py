"""Benchmark: fixed-link availability, Rec. ITU-R P.530-18 (spectrum.links).

    python benchmarks/bench_links.py [--links 10000] [--repeat 5] [--threads 1 2]

Times (medians over ``--repeat`` runs, JIT compiled before timing):
  * all 40 one-way links of the sample register (20 fixed licences x 2 directions): terrain
    profile, clearance, budget, P.530 multipath / rain outage, availability (``sample_availability``);
  * ``--links`` synthetic hops (seeded: 1-50 km, 6-38 GHz, fade margins 10-50 dB) through
    ``links.plan.availability_batch`` (P.838 coefficients once per frequency, one parallel
    P.530 kernel pass), with R0.01 read from the P.837-7 map **once** for all hops when
    ``spectrum.propagation.maps`` is installed (else one value for all: the read is then not timed);
  * peer, same run: ITU-Rpy (``itur`` 0.4.0, ``itu530.rain_attenuation`` vectorised per frequency over the same hops at
    p = 0.01 % with R0.01 given, plus ``inverse_rain_attenuation`` (bisection) for 100 hops, scaled),
    ratios printed. itur implements P.530-16/-17 (its multipath is the -16 method), so only the rain
    step is comparable.
Goal: 10 000 links in < 1 s on 2 cores.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine_info, set_threads, timeit_median  # noqa: E402

from spectrum.links.plan import availability_batch, sample_availability  # noqa: E402
from spectrum.propagation import p530_rain  # noqa: E402


def synthetic_links(n: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    return {"fm_db": rng.uniform(10.0, 50.0, n), "d_km": rng.uniform(1.0, 50.0, n),
            "f_ghz": rng.choice([6.175, 7.3, 8.15, 11.2, 13.0, 15.0, 18.7, 23.0, 38.25], n),
            "he": rng.uniform(20.0, 200.0, n), "hr": rng.uniform(20.0, 200.0, n), "ht": rng.uniform(0.0, 20.0, n),
            "lat": rng.uniform(30.6, 31.9, n), "lon": rng.uniform(120.6, 122.0, n),
            "pol": rng.choice(["h", "v"])}


def r001_once(lat, lon):
    """R0.01 for all hops in one map read; (values, source)."""
    try:
        return np.asarray(p530_rain.r001_mmh(lat, lon), float), "P.837-7 map (spectrum.propagation.maps)"
    except ValueError:
        from spectrum.links import SHANGHAI_R001_MMH

        return np.full(lat.shape, SHANGHAI_R001_MMH), "constant 56.68 mm/h (maps module absent)"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--links", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    a = ap.parse_args()
    print(machine_info())
    from spectrum.datasets.register import sample_register
    from spectrum.datasets.terrain import default_dem

    reg = sample_register()
    dem = default_dem()
    sample_availability(reg, dem=dem)  # compile + warm caches
    t40 = timeit_median(lambda: sample_availability(reg, dem=dem), a.repeat, warmup=0)
    bs = sample_availability(reg, dem=dem)
    met = sum(b.meets_target for b in bs)
    print(f"sample register: {len(bs)} one-way links (profile + budget + P.530 outage): {t40 * 1e3:.0f} ms "
          f"({t40 / len(bs) * 1e3:.1f} ms/link); {met}/{len(bs)} meet 99.99 %")

    s = synthetic_links(a.links)
    t0 = time.perf_counter()
    r001, src = r001_once(s["lat"], s["lon"])
    t_map = time.perf_counter() - t0
    print(f"R0.01 for {a.links} hops: {src}, one read {t_map * 1e3:.1f} ms")

    def run():
        return availability_batch(s["fm_db"], s["d_km"], s["f_ghz"], s["he"], s["hr"], s["ht"], s["lat"], r001,
                                  polarisation=str(s["pol"]))

    run()
    ours = {}
    for th in a.threads:
        used = set_threads(th)
        ours[used] = timeit_median(run, a.repeat, warmup=1)
        print(f"{a.links} synthetic links, availability_batch, {used} thread(s): {ours[used] * 1e3:.1f} ms "
              f"({ours[used] / a.links * 1e6:.2f} us/link; +map read {t_map * 1e3:.1f} ms) "
              f"goal < 1 s: {'met' if ours[used] + t_map < 1.0 else 'NOT met'}")
    try:
        from itur.models import itu530
    except ImportError:
        print("peer: itur not installed (pip install itur astropy) - no ratio")
        return 0
    pol = 0.0 if str(s["pol"]) == "h" else 90.0

    groups = [np.flatnonzero(s["f_ghz"] == f) for f in np.unique(s["f_ghz"])]

    def peer():  # itur's P.838 takes one frequency per call: vectorised per frequency group
        return [itu530.rain_attenuation(s["lat"][g], s["lon"][g], s["d_km"][g], float(s["f_ghz"][g[0]]), 0.0, 0.01,
                                        tau=pol, R001=r001[g]) for g in groups]

    def ours_rain():
        return p530_rain.rain_attenuation_db(0.01, s["d_km"], s["f_ghz"], r001, 0.0, str(s["pol"]))

    t_peer = timeit_median(peer, a.repeat, warmup=1)
    t_ours = timeit_median(ours_rain, a.repeat, warmup=1)
    print(f"rain A(0.01 %) for {a.links} hops: ours {t_ours * 1e3:.1f} ms, itur {t_peer * 1e3:.1f} ms "
          f"-> {t_peer / t_ours:.1f}x")
    m = 100
    idx = np.arange(m)

    fails = []

    def peer_inverse():
        fails.clear()
        for i in idx:
            try:
                itu530.inverse_rain_attenuation(s["lat"][i], s["lon"][i], s["d_km"][i], s["f_ghz"][i], 0.0,
                                                s["fm_db"][i], tau=pol, R001=r001[i])
            except ValueError:  # its bisection bracket (1e-6 %, 100 %) holds no root for large margins
                fails.append(i)

    t_inv = timeit_median(peer_inverse, max(1, a.repeat // 2), warmup=0) / m * a.links
    best = min(ours.values())
    print(f"rain outage p(A > FM), itur inverse_rain_attenuation (bisection), {m} hops scaled to {a.links}: "
          f"{t_inv:.2f} s vs our whole availability {best * 1e3:.1f} ms -> {t_inv / best:.0f}x "
          f"({len(fails)}/{m} itur bisections found no root)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
