"""Benchmark: Rec. ITU-R P.1546-6 (spectrum.kernels.p1546) against a pure-Python implementation.

    python benchmarks/bench_p1546.py [--paths 20000] [--oracle-paths 300] [--repeat 5] [--threads 1 2]

Inputs: seeded random paths over the whole method (30-4000 MHz, 1-50 % time, 1-99 % locations,
0.1-800 km, h1 -30 to 2000 m, land / sea / mixed, every receiver surroundings, clearance angles,
transmitter clutter): every step of Annex 6 is exercised.

Peer: the reference Python implementation (eeveetza/Py1546) is not installable here (not on the
package index), so the peer is ``spectrum.propagation.p1546_oracle`` -- our own faithful
pure-Python reading of the same steps (scalar, one path per call, like Py1546's ``bt_loss``; it
does not rebuild the 24 tables on every call as Py1546 does, so it is the faster of the two).
Times are medians per path; JIT compiled before timing. The ratio printed is oracle / kernel.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine_info, set_threads, timeit_median  # noqa: E402

from spectrum.propagation import p1546, p1546_oracle  # noqa: E402

AREAS = ["sea", "rural", "suburban", "urban", "dense urban"]


def random_inputs(n: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    kind = rng.integers(0, 3, n)  # 0 land, 1 sea, 2 mixed
    d = np.exp(rng.uniform(np.log(0.1), np.log(800.0), n))
    frac = np.where(kind == 0, 0.0, np.where(kind == 1, 1.0, rng.uniform(0.1, 0.9, n)))
    area = np.where(kind == 1, 0, rng.integers(1, 5, n))
    heff = rng.uniform(-30.0, 2000.0, n)
    heff = np.where(kind > 0, np.maximum(heff, 3.0), heff)
    return {"f": rng.uniform(30.0, 4000.0, n), "t": rng.uniform(1.0, 50.0, n), "q": rng.uniform(1.0, 99.0, n),
            "heff": heff, "h2": rng.uniform(3.0, 30.0, n), "dl": d * (1 - frac), "ds": d * frac, "area": area,
            "ha": rng.uniform(5.0, 200.0, n), "r1": rng.uniform(0.0, 30.0, n), "tca": rng.uniform(-2.0, 10.0, n),
            "eff1": rng.uniform(-3.0, 3.0, n)}


def run_api(x, sl=slice(None)):
    return p1546.field_strength(x["f"][sl], x["t"][sl], x["heff"][sl], x["h2"][sl], d_land_km=x["dl"][sl],
                                d_sea_km=x["ds"][sl], area=x["area"][sl].astype(float), q=x["q"][sl],
                                ha_m=x["ha"][sl], hb_m=x["heff"][sl], r1_m=x["r1"][sl], tca_deg=x["tca"][sl],
                                eff1_deg=x["eff1"][sl], eff2_deg=x["tca"][sl], terrain_info=True)


def run_oracle(x, n):
    out = np.empty(n)
    for i in range(n):
        r2 = p1546.AREA_R_M[int(x["area"][i])]
        out[i] = p1546_oracle.field_strength(
            x["f"][i], x["t"][i], x["heff"][i], x["h2"][i], x["dl"][i], x["ds"][i], AREAS[int(x["area"][i])], r2,
            q=x["q"][i], ha=x["ha"][i], hb=x["heff"][i], r1=x["r1"][i], tca=x["tca"][i], eff1=x["eff1"][i],
            eff2=x["tca"][i], terrain_info=True)[0]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=20000)
    ap.add_argument("--oracle-paths", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args(argv)
    x = random_inputs(args.paths)
    print(machine_info())
    r = run_api(x)  # JIT compile, and the check below
    ref = run_oracle(x, args.oracle_paths)
    dev = np.max(np.abs(ref - np.asarray(r.e_1kw_dbuvm)[:args.oracle_paths]))
    print(f"kernel vs oracle on {args.oracle_paths} paths: max |dE| = {dev:.2e} dB")
    cpu = time.process_time  # CPU time: far less sensitive to other jobs on a shared machine
    t_or = timeit_median(lambda: run_oracle(x, args.oracle_paths), args.repeat, clock=cpu) / args.oracle_paths
    print(f"pure-Python oracle (CPU)             : {t_or * 1e6:10.1f} us/path")
    t_or_w = timeit_median(lambda: run_oracle(x, args.oracle_paths), args.repeat) / args.oracle_paths
    print(f"pure-Python oracle (wall)            : {t_or_w * 1e6:10.1f} us/path")
    t_one = timeit_median(lambda: run_api(x, slice(0, 1)), args.repeat * 20, clock=cpu)
    print(f"API, one path (CPU)                  : {t_one * 1e6:10.1f} us/path   (ratio {t_or / t_one:7.1f}x)")
    set_threads(1)
    t = timeit_median(lambda: run_api(x), args.repeat, clock=cpu) / args.paths
    print(f"API, {args.paths} paths, 1 thread (CPU) : {t * 1e6:10.2f} us/path   (ratio {t_or / t:7.0f}x)")
    for nt in args.threads:
        got = set_threads(nt)
        t = timeit_median(lambda: run_api(x), args.repeat) / args.paths
        print(f"API, {args.paths} paths, {got} thr (wall)  : {t * 1e6:10.2f} us/path   (ratio to oracle wall "
              f"{t_or_w / t:7.0f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
