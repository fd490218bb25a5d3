"""Benchmark: Rec. ITU-R P.2001-4 (spectrum.kernels.p2001) per path, against a pure-Python peer.

    python benchmarks/bench_p2001.py [--paths 2000] [--repeat 7] [--oracle-paths 20]

Profiles: seeded synthetic terrain from ``benchmarks/common.py``, random 100 km paths
sampled every 100 m (1 001 samples, inland), f = 2 GHz, p = 1 %, 20 m / 10 m antennas,
fixed climate inputs (the ITU-R maps are inputs).

Peer. The reference Python implementation (eeveetza/Py2001) is not on PyPI and cannot be
installed with pip; it also needs the ITU-R maps, which may not be redistributed. We time
instead the pure-Python oracle of ``tests/test_p2001_oracle.py``: an independent, faithful
transcription of the Recommendation (lists and ``math``, one case at a time, like Py2001;
it reproduces the WP 3M validation set). Figures are per path, one (f, p) case:

  * the njit kernels (geometry + losses) called directly, serial;
  * the public API ``basic_transmission_loss`` (validation included), one call per path;
  * ``--paths`` paths in one batch call (prange), per path;
  * the pure-Python oracle, per path;
and the per-path cost of the validation workload (5 f x 443 p on one path).
Medians of ``--repeat`` runs, JIT compiled before timing, process CPU time (the machine may be
shared; CPU time is the faithful figure there) and wall time.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from common import bench_dem, machine_info, random_paths, set_threads  # noqa: E402

from spectrum.kernels import p2001 as K  # noqa: E402
from spectrum.propagation import p2001  # noqa: E402

F_GHZ, P, HTG, HRG = 2.0, 1.0, 20.0, 10.0
CLIMATE = dict(nd1km50=-45.0, nd1kmp=-60.0, nd65m1=-250.0, wvsur_mid_gm3=7.5, wvsur_tx_gm3=7.5, wvsur_rx_gm3=7.5,
               ztropo=4, foes1_mhz=6.0, foes2_mhz=6.0, mt_mm=600.0, beta=0.3, pr6_pct=3.0, h0_km=3.0, pol="h")


def _median2(fn, repeat):
    ws, cs = [], []
    for _ in range(repeat):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        ws.append(time.perf_counter() - t0)
        cs.append(time.process_time() - c0)
    return statistics.median(ws), statistics.median(cs)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--oracle-paths", type=int, default=20)
    a = ap.parse_args(argv)
    from spectrum import terrain
    from test_p2001_oracle import oracle

    print(machine_info())
    dem = bench_dem()
    ends = random_paths(dem, a.paths, 100.0, seed=1)
    d, h, n = terrain.profiles(dem, *ends, step_m=100.0)
    npath = d.shape[0]
    z = np.full(d.shape, 4.0)
    k0 = int(n[0])
    d0, h0, z0 = d[0, :k0].copy(), h[0, :k0].copy(), z[0, :k0].copy()
    e0 = dict(lat_t=ends[0][0], lon_t=ends[1][0], lat_r=ends[2][0], lon_r=ends[3][0])
    print(f"{npath} paths of 100 km, {k0} samples; f = {F_GHZ} GHz, p = {P} %")

    # --- kernels, one path, serial
    set_threads(1)
    geo_args = (d[:1], h[:1], z[:1], n[:1], np.array([HTG]), np.array([HRG]), *(np.array([e[0]]) for e in ends),
                np.array([CLIMATE["nd1km50"]]))
    pm = np.zeros((1, K.N_PMAP))
    pm[0, [K.M_ND65M1, K.M_WV_MID, K.M_WV_TX, K.M_WV_RX, K.M_ZTROPO]] = [-250.0, 7.5, 7.5, 7.5, 4.0]
    pm[0, K.M_RAIN:K.M_RAIN + 12] = [600.0, 0.3, 3.0, 3.0] * 3
    case = [np.array([[v]]) for v in (F_GHZ, P, CLIMATE["nd1kmp"], 6.0, 6.0)]

    def kern():
        g = K.geometry_serial(*geo_args)
        return K.losses_serial(d[:1], h[:1], n[:1], g, *case, pm)

    kern()
    w_k, c_k = _median2(lambda: [kern() for _ in range(20)], a.repeat)
    w_k, c_k = w_k / 20, c_k / 20

    def api():
        return p2001.basic_transmission_loss(d0, h0, z0, F_GHZ, P, HTG, HRG, **e0, **CLIMATE)

    lb_api = api().lb
    w_a, c_a = _median2(lambda: [api() for _ in range(20)], a.repeat)
    w_a, c_a = w_a / 20, c_a / 20

    # --- batch over all paths (prange), 1 and all threads
    bkw = dict(CLIMATE, lat_t=ends[0], lon_t=ends[1], lat_r=ends[2], lon_r=ends[3], n=n)
    p2001.basic_transmission_loss(d[:32], h[:32], z[:32], F_GHZ, P, HTG, HRG,
                                  **dict(bkw, lat_t=ends[0][:32], lon_t=ends[1][:32], lat_r=ends[2][:32],
                                         lon_r=ends[3][:32], n=n[:32]))
    batch = {}
    for th in sorted({1, set_threads(64)}):
        set_threads(th)
        w, c = _median2(lambda: p2001.basic_transmission_loss(d, h, z, F_GHZ, P, HTG, HRG, **bkw), max(3, a.repeat // 2))
        batch[th] = (w / npath, c / npath)
    set_threads(1)

    # --- validation workload: 5 f x 443 p on one path (one geometry, scans reused per p)
    ps = np.concatenate([np.logspace(-3, np.log10(50), 222), 100 - np.logspace(np.log10(50), -3, 221)])
    fs = np.array([0.03, 0.2, 2.0, 20.0, 50.0])[:, None]
    path = p2001.prepare_path(d0, h0, z0, HTG, HRG, **e0, nd1km50=-45.0)
    lkw = {k: v for k, v in CLIMATE.items() if k != "nd1km50"}
    path.loss(fs, ps[None, :], **lkw)
    w_v, c_v = _median2(lambda: path.loss(fs, ps[None, :], **lkw), max(3, a.repeat // 2))

    # --- pure-Python oracle
    m = dict(CLIMATE, mt_mm=[600.0] * 3, beta=[0.3] * 3, pr6_pct=[3.0] * 3, h0_km=[3.0] * 3, gt_dbi=0.0, gr_dbi=0.0)
    k = min(a.oracle_paths, npath)
    lb_or = oracle(d0, h0, z0, F_GHZ, P, HTG, HRG, e0["lat_t"], e0["lon_t"], e0["lat_r"], e0["lon_r"], m)["lb"]
    profs = [(d[i, :n[i]].tolist(), h[i, :n[i]].tolist(), z[i, :n[i]].tolist(),
              (ends[0][i], ends[1][i], ends[2][i], ends[3][i])) for i in range(k)]

    def run_oracle():
        for dd, hh, zz, (la1, lo1, la2, lo2) in profs:
            oracle(dd, hh, zz, F_GHZ, P, HTG, HRG, la1, lo1, la2, lo2, m)

    w_o, c_o = _median2(run_oracle, max(3, a.repeat // 2))
    w_o, c_o = w_o / k, c_o / k
    print(f"agreement on path 0: API {lb_api:.6f} dB, oracle {lb_or:.6f} dB (diff {abs(lb_api - lb_or):.1e})")
    print()
    print(f"{'per path, one (f, p) case':44s} {'CPU':>10s} {'wall':>10s}")
    print(f"{'kernels (geometry + losses), serial':44s} {c_k * 1e6:8.1f} us {w_k * 1e6:8.1f} us")
    print(f"{'public API basic_transmission_loss':44s} {c_a * 1e6:8.1f} us {w_a * 1e6:8.1f} us")
    for th, (w, c) in batch.items():
        print(f"{'batch of %d paths, %d thread(s)' % (npath, th):44s} {c * 1e6:8.1f} us {w * 1e6:8.1f} us")
    print(f"{'pure-Python oracle (peer)':44s} {c_o * 1e6:8.1f} us {w_o * 1e6:8.1f} us")
    print(f"{'validation workload 5 f x 443 p, one path':44s} {c_v * 1e3:8.1f} ms {w_v * 1e3:8.1f} ms")
    print()
    print(f"speed-up vs the pure-Python peer (CPU): kernels {c_o / c_k:7.0f}x   API {c_o / c_a:7.0f}x   "
          f"batch 1 thread {c_o / batch[1][1]:7.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
