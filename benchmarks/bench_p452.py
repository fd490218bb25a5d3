"""Benchmark: P.452-18 (spectrum.kernels.p452) against pycraf's P.452 (pathprof, Cython).

    python benchmarks/bench_p452.py [--paths 10000] [--repeat 7] [--pycraf-paths 200]

Profiles: seeded synthetic terrain from ``benchmarks/common.py`` (hilly 3" DEM), random
100 km paths sampled every 100 m (1 001 samples), f = 2 GHz, p = 10 %, 20 m / 10 m antennas.

Times (medians over ``--repeat`` runs, JIT compiled before timing):
  * one path, per-path njit core called from a jitted loop (what other kernels pay):
    geometry + losses, geometry only, losses only (one geometry reused);
  * one path through the public API ``basic_transmission_loss`` (every check included; goal
    <= 25 us per call, issue 12), in interleaved rounds with the kernel and, when installed,
    pycraf's bare Cython for the same path (``--api-rounds`` rounds, process CPU time);
  * ``--paths`` paths through ``basic_transmission_loss_batch`` (prange) on 1 and 2 threads;
  * pycraf 2.x in the same run on the same profiles (``--pycraf-paths`` of them): building
    ``pathprof.PathProp`` (its profile analysis) and ``pathprof.loss_complete`` (the losses),
    with version=16 (pycraf has no -17/-18) and the same DN, N0, heights, f, p.
The headline ratio is measured in interleaved rounds on the same paths (ours, then pycraf's bare
Cython ``_PathProp`` + ``path_attenuation_complete_cython``), on 1 thread, as wall and CPU time:
on a shared machine the CPU-time ratio is the faithful one.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import bench_dem, machine_info, random_paths, set_threads  # noqa: E402

from spectrum.kernels import p452 as K  # noqa: E402
from spectrum.kernels._jit import jit  # noqa: E402
from spectrum.kernels.p526 import inverse_distances  # noqa: E402
from spectrum.propagation import p452  # noqa: E402

F_GHZ, P, HTG, HRG, DN, N0, LAT = 2.0, 10.0, 20.0, 10.0, 45.0, 325.0, 31.25


def _median(fn, repeat):
    """Median wall-clock seconds of ``fn()`` over ``repeat`` runs."""
    return _median2(fn, repeat)[0]


def _median2(fn, repeat):
    """(median wall seconds, median process CPU seconds) of ``fn()`` over ``repeat`` runs.

    On a shared machine the CPU time is the more faithful figure: it counts only the
    cycles this process got (summed over its threads).
    """
    ws, cs = [], []
    for _ in range(repeat):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        ws.append(time.perf_counter() - t0)
        cs.append(time.process_time() - c0)
    return statistics.median(ws), statistics.median(cs)


@jit
def _loop_full(d, h, zone, n, ncall, geom, out):
    acc = 0.0
    for _ in range(ncall):
        K.basic_transmission_loss_path(d, h, h, zone, n, 2.0, 10.0, 20.0, 10.0, 45.0, 325.0, 31.25, 0, 500.0,
                                       500.0, 1013.25, 15.0, 0.0, 0.0, 18, 0.0, 0.0, 0.0, 0.0, geom, out)
        acc += out[0]
    return acc


@jit
def _loop_geom(d, h, zone, n, ncall, geom):
    acc = 0.0
    inv_d = np.empty(n)
    inv_r = np.empty(n)
    for _ in range(ncall):
        inverse_distances(d, n, inv_d, inv_r)
        K.path_geometry_full(d, h, h, zone, n, 20.0, 10.0, 45.0, 31.25, 18, 0.0, 0.0, 0.0, 0.0, inv_d, inv_r, geom)
        acc += geom[0]
    return acc


@jit
def _loop_loss(d, h, n, ncall, geom, out):
    acc = 0.0
    for _ in range(ncall):
        K.path_losses(d, h, n, geom, 2.0, 10.0, 45.0, 325.0, 0, 500.0, 500.0, 1013.25, 15.0, 0.0, 0.0, out)
        acc += out[0]
    return acc


def _pycraf_setup():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import astropy.units as u
        from pycraf import conversions as cnv
        from pycraf import pathprof
    return u, cnv, pathprof


def _api_rounds(d, h, z, n, geom, out, rounds, lon_t, lat_t, lon_r, lat_r):
    """Interleaved rounds (process CPU time) of the single-path kernel from a jitted loop, the
    public API, and pycraf's bare Cython (_PathProp + path_attenuation_complete_cython) on the
    same path when installed; returns the report lines (medians, medians of ratios)."""
    ncall = 300

    def api():
        for _ in range(ncall):
            p452.basic_transmission_loss(d, h, F_GHZ, P, HTG, HRG, dn=DN, n0=N0, lat=LAT)

    pyc = None
    try:
        _u, _cnv, _pathprof = _pycraf_setup()
        from pycraf.pathprof import cyprop
        dk, hk = np.ascontiguousarray(d), np.ascontiguousarray(h)
        pc_args = (F_GHZ, 288.15, 1013.25, lon_t, lat_t, lon_r, lat_r, HTG, HRG, 100.0, P, 0.0, dk[-1] * 1e3,
                   dk[-1] * 1e3, 5e7, 5e7, -1, -1, 0, 16, DN, N0, dk, hk, 0.0, 180.0)

        def pyc():
            for _ in range(ncall):
                cyprop.path_attenuation_complete_cython(cyprop._PathProp(*pc_args), 0.0, 0.0)
        pyc()
    except ImportError:
        pass
    api()
    r = {"kernel": [], "api": [], "pycraf": []}
    for _ in range(rounds):
        for key, fn in (("kernel", lambda: _loop_full(d, h, z, n, ncall, geom, out)), ("api", api), ("pycraf", pyc)):
            if fn is None:
                continue
            c0 = time.process_time()
            fn()
            r[key].append((time.process_time() - c0) / ncall * 1e6)
    med = {k: statistics.median(v) for k, v in r.items() if v}
    lines = [f"  interleaved {rounds} rounds, CPU time per call: kernel {med['kernel']:.2f} us, "
             f"API {med['api']:.2f} us (goal <= 25 us: {'met' if med['api'] <= 25.0 else 'NOT met'}), "
             f"API / kernel {statistics.median([a / k for a, k in zip(r['api'], r['kernel'])]):.2f}x"]
    if r["pycraf"]:
        lines.append(f"  pycraf bare Cython, same path: {med['pycraf']:.2f} us; our API / pycraf "
                     f"{statistics.median([a / c for a, c in zip(r['api'], r['pycraf'])]):.2f}x")
    return lines


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--paths", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--pycraf-paths", type=int, default=200)
    ap.add_argument("--api-rounds", type=int, default=9)
    a = ap.parse_args(argv)

    print(machine_info())
    dem = bench_dem()
    from spectrum.terrain import profiles

    la1, lo1, la2, lo2 = random_paths(dem, a.paths, 100.0, seed=452)
    D, H, N = profiles(dem, la1, lo1, la2, lo2, step_m=100.0)
    D = np.ascontiguousarray(D)
    H = np.ascontiguousarray(H)
    N = np.ascontiguousarray(N, dtype=np.int64)
    Z = np.full_like(D, 2.0)
    npath = D.shape[0]
    print(f"{npath} paths of {D[0, N[0] - 1]:.1f} km, {N[0]} samples; f = {F_GHZ} GHz, p = {P} %")

    d0, h0, z0, n0 = D[0], H[0], Z[0], int(N[0])
    geom = np.empty(K.N_GEOM)
    out = np.empty(K.N_LOSS)
    ncall = 2000
    _loop_full(d0, h0, z0, n0, 1, geom, out)
    _loop_geom(d0, h0, z0, n0, 1, geom)
    _loop_loss(d0, h0, n0, 1, geom, out)
    t_full = _median(lambda: _loop_full(d0, h0, z0, n0, ncall, geom, out), a.repeat) / ncall
    t_geom = _median(lambda: _loop_geom(d0, h0, z0, n0, ncall, geom), a.repeat) / ncall
    t_loss = _median(lambda: _loop_loss(d0, h0, n0, ncall, geom, out), a.repeat) / ncall
    p452.basic_transmission_loss(d0[:n0], h0[:n0], F_GHZ, P, HTG, HRG, dn=DN, n0=N0, lat=LAT)
    t_api = _median(lambda: p452.basic_transmission_loss(d0[:n0], h0[:n0], F_GHZ, P, HTG, HRG, dn=DN, n0=N0,
                                                         lat=LAT), a.repeat)
    t_api_rounds = _api_rounds(d0[:n0], h0[:n0], z0[:n0], n0, geom, out, a.api_rounds, lo1[0], la1[0], lo2[0],
                               la2[0])
    print("\none path (1 001 samples), per call:")
    print(f"  kernel geometry + losses      {t_full * 1e6:8.2f} us")
    print(f"  kernel geometry only          {t_geom * 1e6:8.2f} us   (incl. the f-independent diffraction scans)")
    print(f"  kernel losses only (reuse)    {t_loss * 1e6:8.2f} us   (one more (f, p) on a prepared geometry)")
    print(f"  public API (validation incl.) {t_api * 1e6:8.2f} us   (wall, one batch of calls)")
    for line in t_api_rounds:
        print(line)

    one = np.ones(npath)
    args = (D, H, H, Z, N, F_GHZ * one, P * one, HTG * one, HRG * one, DN * one, N0 * one, LAT * one, 0 * one,
            500 * one, 500 * one, 1013.25 * one, 15 * one, 0 * one, 0 * one, 18, 0 * one, 0 * one, 0 * one, 0 * one)
    batch = {}
    for nt in (1, 2):
        used = set_threads(nt)
        K.basic_transmission_loss_batch(*[x[:8] if isinstance(x, np.ndarray) else x for x in args])
        t, c = _median2(lambda: K.basic_transmission_loss_batch(*args), max(3, a.repeat // 2))
        batch[used] = t
        print(f"\nbatch of {npath} paths, {used} thread(s): wall {t:.3f} s = {t / npath * 1e6:.2f} us/path "
              f"({t / npath * 1e6 * used:.2f} us/path per core); CPU {c / npath * 1e6:.2f} us/path")

    # ------------------------------------------------------------------ pycraf, same profiles
    try:
        u, cnv, pathprof = _pycraf_setup()
    except ImportError:
        print("\npycraf not installed: no peer timing")
        return 0
    m = min(a.pycraf_paths, npath)
    lbs_ours = K.basic_transmission_loss_batch(*[x[:m] if isinstance(x, np.ndarray) else x for x in args])[0][:, 0]
    props = []

    def build(k):
        nk = int(N[k])
        return pathprof.PathProp(
            F_GHZ * u.GHz, 288.15 * u.K, 1013.25 * u.hPa, lo1[k] * u.deg, la1[k] * u.deg, lo2[k] * u.deg,
            la2[k] * u.deg, HTG * u.m, HRG * u.m, 100.0 * u.m, P * u.percent, version=16, delta_N=DN * cnv.dimless / u.km,
            N0=N0 * cnv.dimless, hprof_dists=D[k, :nk] * u.km, hprof_heights=H[k, :nk] * u.m,
            hprof_bearing=0.0 * u.deg, hprof_backbearing=180.0 * u.deg)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build(0)
        t_build = []
        for k in range(m):
            t0 = time.perf_counter()
            props.append(build(k))
            t_build.append(time.perf_counter() - t0)
        from pycraf.pathprof import cyprop

        t_loss_pc = []
        t_cy = []
        t_cyb = []
        lb_pc = []
        for k in range(m):
            t0 = time.perf_counter()
            res = pathprof.loss_complete(props[k], 0 * cnv.dBi, 0 * cnv.dBi)
            t_loss_pc.append(time.perf_counter() - t0)
            lb_pc.append(res[4].to_value(cnv.dB))
            # the Cython function behind loss_complete, without astropy unit handling
            cyprop.path_attenuation_complete_cython(props[k], 0.0, 0.0)
            t_cy.append(_median(lambda: cyprop.path_attenuation_complete_cython(props[k], 0.0, 0.0), 5))
            # the Cython path-analysis constructor behind PathProp, with plain floats and arrays
            nk = int(N[k])
            dk, hk = np.ascontiguousarray(D[k, :nk]), np.ascontiguousarray(H[k, :nk])

            def bare(k=k, dk=dk, hk=hk):
                return cyprop._PathProp(F_GHZ, 288.15, 1013.25, lo1[k], la1[k], lo2[k], la2[k], HTG, HRG, 100.0, P,
                                        0.0, dk[-1] * 1e3, dk[-1] * 1e3, 5e7, 5e7, -1, -1, 0, 16, DN, N0, dk, hk,
                                        0.0, 180.0)

            t_cyb.append(_median(bare, 5))
    tb = statistics.median(t_build)
    tl = statistics.median(t_loss_pc)
    tc = statistics.median(t_cy)
    tcb = statistics.median(t_cyb)
    ours_core = batch[1] / npath
    print(f"\npycraf (P.452-16), {m} of the same paths, per path (median):")
    print(f"  PathProp (profile analysis, Python + astropy)   {tb * 1e6:9.2f} us")
    print(f"  loss_complete (astropy units in/out)            {tl * 1e6:9.2f} us")
    print(f"  cyprop._PathProp (bare Cython path analysis)    {tcb * 1e6:9.2f} us")
    print(f"  path_attenuation_complete_cython (bare Cython)  {tc * 1e6:9.2f} us")
    print(f"  bare Cython total                               {(tcb + tc) * 1e6:9.2f} us")
    diff = np.asarray(lb_pc) - lbs_ours
    print(f"  Lb(pycraf P.452-16) - Lb(ours P.452-18): median {np.median(diff):+.3f} dB, "
          f"max |.| {np.max(np.abs(diff)):.3f} dB (different revisions, no clutter: indicative only)")
    # interleaved rounds on the same m paths: ours (batch kernel, 1 thread) then pycraf's bare
    # Cython (_PathProp + path_attenuation_complete_cython); wall and CPU time per round
    set_threads(1)
    sub = [x[:m] if isinstance(x, np.ndarray) else x for x in args]
    K.basic_transmission_loss_batch(*sub)
    pc_args = []
    for k in range(m):
        nk = int(N[k])
        dk, hk = np.ascontiguousarray(D[k, :nk]), np.ascontiguousarray(H[k, :nk])
        pc_args.append((F_GHZ, 288.15, 1013.25, lo1[k], la1[k], lo2[k], la2[k], HTG, HRG, 100.0, P, 0.0,
                        dk[-1] * 1e3, dk[-1] * 1e3, 5e7, 5e7, -1, -1, 0, 16, DN, N0, dk, hk, 0.0, 180.0))

    def pycraf_all():
        for pa in pc_args:
            cyprop.path_attenuation_complete_cython(cyprop._PathProp(*pa), 0.0, 0.0)

    rw, rc, ow, oc, pw, pcpu = [], [], [], [], [], []
    for _ in range(a.repeat):
        w1, c1 = _median2(lambda: K.basic_transmission_loss_batch(*sub), 3)
        w2, c2 = _median2(pycraf_all, 3)
        ow.append(w1 / m)
        oc.append(c1 / m)
        pw.append(w2 / m)
        pcpu.append(c2 / m)
        rw.append(w2 / w1)
        rc.append(c2 / c1)
    print(f"\ninterleaved, {m} paths, {a.repeat} rounds (1 thread), per path, medians:")
    print(f"  ours  (geometry + losses, batch kernel)       wall {statistics.median(ow) * 1e6:8.2f} us   "
          f"CPU {statistics.median(oc) * 1e6:8.2f} us")
    print(f"  pycraf bare Cython (_PathProp + losses)       wall {statistics.median(pw) * 1e6:8.2f} us   "
          f"CPU {statistics.median(pcpu) * 1e6:8.2f} us")
    print(f"  ratio pycraf / ours                           wall {statistics.median(rw):8.2f} x    "
          f"CPU {statistics.median(rc):8.2f} x   <- headline (per core)")
    print("\nratios, pycraf / ours (ours = geometry + losses, batch kernel on 1 thread, i.e. per core):")
    print(f"  bare Cython (_PathProp + losses)   {(tcb + tc) / ours_core:6.2f}x   (not interleaved: see above)")
    print(f"  loss_complete                      {tl / ours_core:6.2f}x")
    print(f"  PathProp + loss_complete           {(tb + tl) / ours_core:6.2f}x")
    print(f"  bare Cython vs single-path kernel  {(tcb + tc) / t_full:6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
