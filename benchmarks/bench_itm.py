"""Benchmark: ITM 1.2.2 point-to-point (spectrum.kernels.itm) against itmlogic.

    python benchmarks/bench_itm.py [--paths 10000] [--repeat 7]

Times, on one seeded 1 001-sample profile (50 km, 50 m spacing):
  * the per-path njit core ``p2p_path`` called from a jitted loop (the kernel cost, what
    other njit code such as the coverage engine pays per path);
  * the same core called from Python (Numba dispatch overhead included);
  * the checked one-path kernel ``p2p_api`` called from Python (what the API's fast path calls);
  * the public API ``spectrum.propagation.itm.point_to_point`` (every check included; goal
    <= 12 us per call, issue 12);
  * NTIA's C++ library through ctypes (``ITM_P2P_TLS_Ex``), when ``$SPECTRUM_NTIA_ITM_LIB``
    names a shared library built from github.com/NTIA/itm (it is not shipped or built here);
  * itmlogic (pure-Python ITM 1.2.2 port: qlrps + qlrpfl + avar) in the same run;
and a batch of ``--paths`` profiles through ``p2p_batch`` (prange) on 1 and 2 threads.
Medians over ``--repeat`` interleaved rounds; JIT compilation is done before timing.
Single-thread figures are process CPU time (robust on a shared machine), batch figures wall
time; ratios are medians of per-round ratios.
"""
from __future__ import annotations

import argparse
import ctypes
import os
import statistics
import time

import numba
import numpy as np

from spectrum.kernels import itm as K
from spectrum.kernels._jit import set_num_threads
from spectrum.propagation import itm

from common import timeit_median  # benchmarks/common.py (the script's folder is on sys.path)

API_GOAL_US = 12.0  # issue 12: one-path public API call, 1 001-sample profile, one thread
N_SAMPLES = 1001
XI_M = 50.0
ARGS = dict(h_tx_m=30.0, h_rx_m=10.0, climate=5, n_0=301.0, f_mhz=900.0, pol=1, epsilon=15.0, sigma=0.005,
            mdvar=12, time=50.0, location=50.0, situation=50.0)


def seeded_profile(seed: int, n: int = N_SAMPLES) -> np.ndarray:
    """Rolling terrain: sum of seeded sinusoids + random walk, 0-300 m (deterministic)."""
    rng = np.random.default_rng(seed)
    x = np.arange(n) / (n - 1)
    z = 120.0 + np.cumsum(rng.normal(0.0, 1.5, n))
    for k in range(1, 6):
        z += rng.uniform(5, 40) / k * np.sin(2 * np.pi * (k * x + rng.uniform()))
    return np.clip(z, 0.0, None)


@numba.njit(cache=False)  # not cached: a cached caller would keep a stale copy of the kernel
def _loop_core(z, n_samples, xi, n_calls, out):
    acc = 0.0
    for _ in range(n_calls):
        K.p2p_path(z, n_samples, xi, 30.0, 10.0, 5, 301.0, 0.0, 900.0, 1, 15.0, 0.005, 12,
                   50.0, 50.0, 50.0, out)
        acc += out[0]
    return acc


def _median_time(fn, repeat, clock=time.process_time):
    """Median over ``repeat`` runs. Single-thread timings use process CPU time, which is far
    less sensitive than wall time to other jobs on a shared machine; multi-threaded batch
    timings use wall time (``clock=time.perf_counter``)."""
    return timeit_median(fn, repeat, warmup=0, clock=clock)


def itmlogic_call(pfl_list, zsys):
    from itmlogic.misc.qerfi import qerfi
    from itmlogic.preparatory_subroutines.qlrpfl import qlrpfl
    from itmlogic.preparatory_subroutines.qlrps import qlrps
    from itmlogic.statistics.avar import avar

    wn, gme, ens, zgnd = qlrps(ARGS["f_mhz"], zsys, ARGS["n_0"], ARGS["pol"], ARGS["epsilon"], ARGS["sigma"])
    prop = {"pfl": pfl_list, "hg": [ARGS["h_tx_m"], ARGS["h_rx_m"]], "wn": wn, "gme": gme, "ens": ens,
            "zgnd": zgnd, "kwx": 0, "lvar": 5, "mdvar": ARGS["mdvar"], "mdvarx": ARGS["mdvar"],
            "klimx": ARGS["climate"], "klim": ARGS["climate"]}
    prop = qlrpfl(prop)
    z = qerfi([0.5])[0]
    a, prop = avar(z, z, z, prop)
    fs = 8.685890 * np.log(2 * wn * prop["dist"])  # itmlogic's free-space convention
    return fs + a


def ntia_ctypes_call(pfl):
    """A no-argument callable running NTIA's ``ITM_P2P_TLS_Ex`` on ``pfl`` through ctypes (the
    arguments converted on every call, as a Python caller does), or None without the library."""
    path = os.environ.get("SPECTRUM_NTIA_ITM_LIB")
    if not path:
        return None, None
    lib = ctypes.CDLL(path)
    fn = lib.ITM_P2P_TLS_Ex
    d, i = ctypes.c_double, ctypes.c_int
    fn.argtypes = [d, d, ctypes.POINTER(d), i, d, d, i, d, d, i, d, d, d, ctypes.POINTER(d),
                   ctypes.POINTER(ctypes.c_long), ctypes.c_void_p]
    fn.restype = i
    a, w, iv = d(), ctypes.c_long(), (d * 12)()  # IntermediateValues: 11 doubles + int

    def call():
        fn(ARGS["h_tx_m"], ARGS["h_rx_m"], pfl.ctypes.data_as(ctypes.POINTER(d)), ARGS["climate"], ARGS["n_0"],
           ARGS["f_mhz"], ARGS["pol"], ARGS["epsilon"], ARGS["sigma"], ARGS["mdvar"], 50.0, 50.0, 50.0,
           ctypes.byref(a), ctypes.byref(w), iv)
        return a.value

    return call, call()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--itmlogic-calls", type=int, default=50)
    a = ap.parse_args(argv)

    z = seeded_profile(0)
    pfl = np.concatenate(([N_SAMPLES - 1.0, XI_M], z))
    out = np.empty(K.N_OUT)

    # compile everything first
    _loop_core(z, N_SAMPLES, XI_M, 1, out)
    res = itm.point_to_point(pfl, ARGS["h_tx_m"], ARGS["h_rx_m"], ARGS["f_mhz"], climate=ARGS["climate"],
                             n_0=ARGS["n_0"], pol=ARGS["pol"], epsilon=ARGS["epsilon"], sigma=ARGS["sigma"],
                             mdvar=ARGS["mdvar"], time=50.0, location=50.0, situation=50.0)
    print(f"profile: {N_SAMPLES} samples, {(N_SAMPLES - 1) * XI_M / 1000:g} km, seeded; f = {ARGS['f_mhz']} MHz; "
          f"A = {res.a_db:.2f} dB ({res.mode_name}), threads available: {numba.config.NUMBA_NUM_THREADS}")

    # 1)-4): the single-profile timings are taken in interleaved rounds (kernel, dispatch,
    # API, itmlogic, then again), so that each round's ratios compare timings taken under the
    # same load of the shared machine; medians over rounds are printed.
    n_calls = 10_000
    n_py = 2_000
    n_api = 500
    n_il = a.itmlogic_calls

    def py_loop():
        for _ in range(n_py):
            K.p2p_path(z, N_SAMPLES, XI_M, 30.0, 10.0, 5, 301.0, 0.0, 900.0, 1, 15.0, 0.005, 12, 50.0, 50.0, 50.0, out)

    def api_loop():
        for _ in range(n_api):
            itm.point_to_point(pfl, 30.0, 10.0, 900.0, climate=5, n_0=301.0, pol=1, mdvar=12)

    def kapi_loop():
        for _ in range(n_py):
            K.p2p_api(pfl, 30.0, 10.0, 5, 301.0, 900.0, 1, 15.0, 0.005, 12, 50.0, 50.0, 50.0, -500.0, 9000.0, out)

    ntia, a_ntia = ntia_ctypes_call(pfl)
    if ntia is None:
        print("NTIA C++ library: set SPECTRUM_NTIA_ITM_LIB to a build of github.com/NTIA/itm to time it")

    def ntia_loop():
        for _ in range(n_py):
            ntia()

    have_il = True
    try:
        pfl_list = [N_SAMPLES - 1, XI_M] + [float(v) for v in z]
        p10 = int(0.1 * (N_SAMPLES - 1))
        zsys = float(np.mean(z[p10:N_SAMPLES - p10]))
        a_il = itmlogic_call(list(pfl_list), zsys)

        def il_loop():
            for _ in range(n_il):
                itmlogic_call(list(pfl_list), zsys)
    except ImportError:
        have_il = False
        print("itmlogic not installed: peer timing skipped")

    rounds = {"kernel": [], "dispatch": [], "kapi": [], "api": [], "ntia": [], "itmlogic": []}
    for _ in range(a.repeat):
        rounds["kernel"].append(_median_time(lambda: _loop_core(z, N_SAMPLES, XI_M, n_calls, out), 1) / n_calls * 1e6)
        rounds["dispatch"].append(_median_time(py_loop, 1) / n_py * 1e6)
        rounds["kapi"].append(_median_time(kapi_loop, 1) / n_py * 1e6)
        rounds["api"].append(_median_time(api_loop, 1) / n_api * 1e6)
        if ntia is not None:
            rounds["ntia"].append(_median_time(ntia_loop, 1) / n_py * 1e6)
        if have_il:
            rounds["itmlogic"].append(_median_time(il_loop, 1) / n_il * 1e6)
    us_kernel = statistics.median(rounds["kernel"])
    us_dispatch = statistics.median(rounds["dispatch"])
    us_kapi = statistics.median(rounds["kapi"])
    us_api = statistics.median(rounds["api"])
    us_ntia = statistics.median(rounds["ntia"]) if ntia is not None else None
    ratio_api_kernel = statistics.median([x / k for x, k in zip(rounds["api"], rounds["kernel"])])
    ratio_api_ntia = (statistics.median([x / k for x, k in zip(rounds["api"], rounds["ntia"])])
                      if ntia is not None else None)
    us_itmlogic = statistics.median(rounds["itmlogic"]) if have_il else None
    ratio_il = statistics.median([b / k for b, k in zip(rounds["itmlogic"], rounds["kernel"])]) if have_il else None
    ratio_il_api = statistics.median([b / k for b, k in zip(rounds["itmlogic"], rounds["api"])]) if have_il else None

    # 5) batch
    rng_seeds = np.arange(a.paths)
    Z = np.empty((a.paths, N_SAMPLES))
    for k in range(a.paths):
        Z[k] = seeded_profile(int(rng_seeds[k] % 97)) + (k % 13)
    n = np.full(a.paths, N_SAMPLES, dtype=np.int64)

    def full(v, dt=np.float64):
        return np.full(a.paths, v, dtype=dt)

    bargs = (n, full(XI_M), full(30.0), full(10.0), full(5, np.int64), full(301.0), full(0.0), full(900.0),
             full(1, np.int64), full(15.0), full(0.005), full(12, np.int64), full(50.0), full(50.0), full(50.0))
    OUT = np.empty((a.paths, K.N_OUT))
    K.p2p_batch(Z[:4], *(b[:4] for b in bargs), OUT[:4])
    batch = {}
    batch_cpu = {}
    for nt in (1, 2):
        if nt > numba.config.NUMBA_NUM_THREADS:
            continue
        set_num_threads(nt)
        batch[nt] = _median_time(lambda: K.p2p_batch(Z, *bargs, OUT), a.repeat, clock=time.perf_counter)
        batch_cpu[nt] = _median_time(lambda: K.p2p_batch(Z, *bargs, OUT), a.repeat)
    set_num_threads(numba.config.NUMBA_NUM_THREADS)
    assert np.all(np.isfinite(OUT[:, K.OUT_A_DB]))

    print()
    print(f"{'ITM p2p, 1 001-sample profile':<52} {'median':>12}")
    print(f"{'  kernel p2p_path (from njit loop)':<52} {us_kernel:>9.2f} us")
    print(f"{'  kernel p2p_path (called from Python)':<52} {us_dispatch:>9.2f} us")
    print(f"{'  checked kernel p2p_api (called from Python)':<52} {us_kapi:>9.2f} us")
    print(f"{'  API itm.point_to_point (every check incl.)':<52} {us_api:>9.2f} us   "
          f"(goal <= {API_GOAL_US:g} us: {'met' if us_api <= API_GOAL_US else 'NOT met'})")
    if us_ntia is not None:
        print(f"{'  NTIA C++ library via ctypes':<52} {us_ntia:>9.2f} us   "
              f"(A = {a_ntia:.6f} dB vs ours {res.a_db:.6f} dB)")
    if us_itmlogic is not None:
        print(f"{'  itmlogic qlrps+qlrpfl+avar (same profile)':<52} {us_itmlogic:>9.1f} us"
              f"   (A = {a_il:.2f} dB vs ours {res.a_db:.2f} dB)")
    print()
    for nt, t in batch.items():
        print(f"  batch p2p_batch, {a.paths} paths, {nt} thread(s): wall {t * 1e3:8.1f} ms "
              f"({t / a.paths * 1e6:.2f} us/path), CPU {batch_cpu[nt] / a.paths * 1e6:.2f} us/path")
    if 1 in batch and 2 in batch:
        print(f"  2-thread speed-up: {batch[1] / batch[2]:.2f}x")
    print()
    print("ratios (medians of per-round ratios)")
    print(f"  our API / our kernel per call:         {ratio_api_kernel:6.2f}x")
    if ratio_api_ntia is not None:
        print(f"  our API / NTIA C++ via ctypes:         {ratio_api_ntia:6.2f}x  (<= 1: as fast as the C library)")
    if us_itmlogic is not None:
        print(f"  itmlogic / our kernel per call:        {ratio_il:6.0f}x  (goal >= 100; median of per-round ratios)")
        print(f"  itmlogic / our API per call:           {ratio_il_api:6.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
