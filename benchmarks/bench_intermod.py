"""Benchmark: intermodulation scan of a 20-transmitter site against a 100 000-station register
(issue #14 target < 1 s), and the product enumeration kernel on its own.

Run: ``python benchmarks/bench_intermod.py [--stations 100000] [--repeat 5]``. JIT compilation and
the one-off register build are excluded; medians are printed. No peer implements transmitter and
receiver intermodulation over a register, so no peer ratio: the pure-Python brute-force product
enumeration (the test oracle) is timed beside the kernel instead.
"""
from __future__ import annotations

import argparse
import itertools
import time

import numpy as np

from common import machine_info, timeit_median


def _site(lat, lon, n=20):
    """n transmitters on one mast: FM, VHF/UHF PMR and mobile carriers at several heights."""
    f = np.concatenate([[88.1, 91.4, 93.2, 95.7, 98.2, 101.7, 103.9, 105.7],
                        [150.5, 151.2, 152.0, 155.2, 451.3, 453.8, 456.1],
                        [935.2, 945.0, 1815.0, 1835.0, 2120.0]])[:n]
    bw = np.where(f < 110, 200.0, np.where(f < 500, 12.5, 5000.0))
    return [{"licence_number": f"SITE-{i:02d}", "station_name": f"mast tx {i}", "lat": lat, "lon": lon,
             "h_agl_m": 30.0 + 5.0 * i, "f_mhz": float(f[i]), "bw_khz": float(bw[i]),
             "eirp_dbw": 45.0 if f[i] < 110 else 18.0, "g_dbi": 6.0, "feeder_loss_db": 1.5} for i in range(n)]


def _brute(f):
    out = []
    n = len(f)
    for order in (3, 5):
        for k in (2, 3):
            for idx in itertools.permutations(range(n), k):
                for c in itertools.product(range(-order, order + 1), repeat=k):
                    if 0 in c or sum(c) != 1 or sum(map(abs, c)) != order:
                        continue
                    if idx != tuple(sorted(idx)) and k == 3 and sorted(c) == [-1, 1, 1]:
                        continue
                    out.append(sum(ci * f[i] for ci, i in zip(c, idx)))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    from spectrum.datasets.register import synthetic_register
    from spectrum.intermod import im_products, scan_site

    print(f"bench_intermod on {machine_info()}")
    print("note: the machine is shared; timings are medians of repeated runs after JIT warm-up\n")
    site = _site(31.10, 121.38)
    f = np.array([s["f_mhz"] for s in site])
    im_products(f[:3], 25.0)
    t_k = timeit_median(lambda: im_products(f, 25.0, labels=False), repeat=args.repeat)
    n_p = len(im_products(f, 25.0)["f_mhz"])
    t_b = timeit_median(lambda: _brute(list(f[:8])), repeat=1, warmup=0)
    t_k8 = timeit_median(lambda: im_products(f[:8], 25.0, labels=False), repeat=args.repeat)
    print(f"products of 20 signals (2/3-signal, 3rd/5th): {n_p} in {t_k * 1e3:7.2f} ms")
    print(f"  8 signals: kernel {t_k8 * 1e3:7.3f} ms, brute-force Python oracle {t_b * 1e3:8.1f} ms   "
          f"ratio oracle/kernel {t_b / t_k8:7.0f}")

    t0 = time.perf_counter()
    reg = synthetic_register(None, args.stations, seed=0)
    print(f"\nsynthetic_register({args.stations}) built in {time.perf_counter() - t0:.1f} s (not timed below)")
    res = scan_site(reg, 31.10, 121.38, 500.0, extra=site)
    t = timeit_median(lambda: scan_site(reg, 31.10, 121.38, 500.0, extra=site), repeat=args.repeat, warmup=0)
    n_tx = len(res.transmitters["f_mhz"])
    print(f"scan_site: {n_tx} transmitters (20 on the mast) vs {args.stations} stations: {t:8.3f} s   "
          f"(target < 1 s); {res.settings['n_hits']} product hits on registered receivers within "
          f"{res.settings['victim_radius_km']:g} km, {len(res.rows())} within {res.settings['report_margin_db']:g} dB "
          f"of a criterion listed")
    reg.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
