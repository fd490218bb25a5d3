"""``spectrum mc``: Monte Carlo sharing and compatibility studies (Rec. ITU-R SM.2028-2, SEAMCAT method).

Examples::

    spectrum mc run --demo
    spectrum mc run study.json --events 1000000 --seed 7 --out results.h5 --cdf cdf.png
    spectrum mc run study.json --target-halfwidth 0.002 --json
    spectrum mc translate study.json --parameter interferers[0].tx.power_dbw --values 0,5,10,15
    spectrum mc validate study.toml
    spectrum mc demo > study.json
    spectrum mc map study.json --grid 46.3,6.3,46.7,6.9 --shape 20 24 --events 2000 --geotiff p.tif

``run`` prints the probability of interference per criterion (I/N, C/I, C/(N+I), (N+I)/N) and
mechanism (unwanted emissions, blocking, intermodulation, composite) with Wilson confidence
intervals, and the level statistics; ``--out`` streams the per-event dRSS / iRSS vectors and the
summary to a NetCDF-4/HDF5 file (read it with ``xarray.open_dataset(path, engine="h5netcdf")``).
``--demo`` runs LTE 2.6 GHz base stations (unwanted emissions, blocking, intermodulation) into an
S-band weather radar over synthetic terrain (:mod:`spectrum.montecarlo.demo`). The workspace
format is in docs/montecarlo.md.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "mc", help="Monte Carlo sharing studies (SM.2028 / SEAMCAT): probability of interference",
        description="Monte Carlo sharing and compatibility studies, Rec. ITU-R SM.2028-2 (the SEAMCAT method).")
    sub = p.add_subparsers(dest="mc_command", metavar="<mc command>")
    r = sub.add_parser("run", help="run a workspace (JSON or TOML) or the demo",
                       description="Run a Monte Carlo workspace: probabilities of interference per criterion and "
                                   "mechanism with confidence intervals.")
    r.add_argument("workspace", nargs="?", help="workspace file (.json or .toml)")
    r.add_argument("--demo", action="store_true",
                   help="LTE 2.6 GHz base stations into an S-band weather radar (P.452 over synthetic terrain)")
    r.add_argument("--events", type=int, default=None, metavar="N", help="number of events (default: the workspace's)")
    r.add_argument("--seed", type=int, default=None, metavar="S", help="run seed (default: the workspace's)")
    r.add_argument("--out", metavar="FILE", help="write per-event vectors and the summary (NetCDF-4/HDF5, .h5 or .nc)")
    r.add_argument("--cdf", metavar="PNG", help="write the CDF plot of dRSS and iRSS (PNG)")
    r.add_argument("--target-halfwidth", type=float, default=None, metavar="P",
                   help="stop when the confidence interval half-width of the probability is at most P")
    r.add_argument("--block-events", type=int, default=None, metavar="N", help="events per block")
    r.add_argument("--threads", type=int, default=None, metavar="N", help="Numba threads (default: all cores)")
    r.add_argument("--dask", metavar="SCHEDULER", default=None,
                   help="run the blocks on a dask cluster: tcp://host:port or local:N (needs spectrum.distributed "
                        "and the [dask] extra); results are bit-identical to the local run")
    r.add_argument("--no-progress", action="store_true", help="no progress bar")
    r.add_argument("--json", action="store_true", help="print the result as JSON")
    r.set_defaults(func=run_cmd)
    t = sub.add_parser("translate", help="probability of interference against a swept parameter",
                       description="SEAMCAT translation mode: the probability of interference for each value of "
                                   "one workspace field (same seed for every value).")
    t.add_argument("workspace", nargs="?", help="workspace file")
    t.add_argument("--demo", action="store_true", help="the demo workspace")
    t.add_argument("--parameter", metavar="PATH", help="field path, e.g. interferers[0].tx.power_dbw")
    t.add_argument("--values", metavar="V1,V2,...", help="values of the parameter (--values=-10,0,10 when the first is negative)")
    t.add_argument("--events", type=int, default=None, metavar="N", help="events per value")
    t.add_argument("--seed", type=int, default=None, metavar="S")
    t.add_argument("--png", metavar="FILE", help="write the curve (PNG)")
    t.add_argument("--json", action="store_true", help="print the result as JSON")
    t.set_defaults(func=translate_cmd)
    v = sub.add_parser("validate", help="check a workspace and say what is wrong (field path, value, rule)")
    v.add_argument("workspace", help="workspace file")
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=validate_cmd)
    from spectrum.commands import mc_map

    mc_map.add_parser(sub)
    d = sub.add_parser("demo", help="print the demo workspace (JSON) to start a study from")
    d.set_defaults(func=demo_cmd)
    p.set_defaults(func=lambda a: (p.print_help(), 0)[1])


def _load(args):
    from spectrum.montecarlo import demo_workspace, load_workspace, parse_workspace

    if args.demo and args.workspace:
        raise ValueError("give a workspace file or --demo, not both")
    if args.demo:
        return parse_workspace(demo_workspace())
    if not args.workspace:
        raise ValueError("a workspace file (or --demo) is required")
    return load_workspace(args.workspace)


def _inputs(args) -> list:
    """Files the command reads: the workspace and the DEM / registers it names."""
    out = [getattr(args, "workspace", None)]
    if getattr(args, "workspace", None) and Path(args.workspace).is_file():
        try:
            from spectrum.montecarlo import load_workspace

            ws = load_workspace(args.workspace)
        except (ValueError, FileNotFoundError):
            return out
        if ws.terrain and ws.terrain.get("dem"):
            out.append(ws.terrain["dem"])
        out += [e.position.params["register"] for e in ws.elements().values() if e.position.mode == "register"]
    return out


def _guard_outputs(args, *outs):
    """Outputs must be writable files that are not an input of the run, nor each other
    (:func:`spectrum.io.check_outputs`), checked before any work."""
    from spectrum.io import check_outputs

    paths = [p for _, p in outs]
    check_outputs(paths, _inputs(args), allow_stdout=False)


def run_cmd(args) -> int:
    from spectrum.montecarlo import run

    if args.events is not None and args.events < 1:
        raise ValueError(f"--events {args.events} must be >= 1")
    if args.seed is not None and args.seed < 0:
        raise ValueError(f"--seed {args.seed} must be >= 0")
    if args.block_events is not None and args.block_events < 1:
        raise ValueError(f"--block-events {args.block_events} must be >= 1")
    if args.target_halfwidth is not None and not 0 < args.target_halfwidth <= 0.5:
        raise ValueError(f"--target-halfwidth {args.target_halfwidth} must be in (0, 0.5]")
    _guard_outputs(args, ("--out", args.out), ("--cdf", args.cdf))
    if args.threads is not None:
        if args.threads < 1:
            raise ValueError(f"--threads {args.threads} must be >= 1")
        from spectrum.kernels._jit import set_num_threads

        set_num_threads(min(args.threads, __import__("numba").config.NUMBA_NUM_THREADS))
    ws = _load(args)
    bar = None
    if not args.no_progress:
        from tqdm import tqdm

        bar = tqdm(total=None, unit="ev", unit_scale=True, file=sys.stderr, leave=False,
                   disable=None, desc="mc")

    def progress(done, total):
        if bar is not None:
            bar.total = total
            bar.n = done
            bar.refresh()

    try:
        if args.dask:
            res = _run_dask(args, ws)
        else:
            res = run(ws, args.events, args.seed, out=args.out, progress=progress, block_events=args.block_events,
                      target_halfwidth=args.target_halfwidth)
    finally:
        if bar is not None:
            bar.close()
    if args.cdf:
        res.plot_cdf(args.cdf)
    if args.json:
        d = res.to_dict()
        if args.out:
            d["out"] = str(args.out)
        print(json.dumps(d, indent=2, default=float))
    else:
        print(res.report())
        conv = res.extra.get("convergence")
        if conv:
            print(f"convergence: half-width {conv['halfwidth']:.5f} ({conv['criterion']} {conv['mechanism']}) "
                  f"{'<=' if conv['converged'] else '>'} target {conv['target_halfwidth']:g} after {conv['events']} events")
        if args.out:
            print(f"wrote {args.out}")
        if args.cdf:
            print(f"wrote {args.cdf}")
    return 0


def _run_dask(args, ws):
    """The run's blocks (stride ``options.block_events``) on a dask cluster through
    :func:`spectrum.distributed.run_blocks`, reduced in block order by
    :func:`spectrum.montecarlo.reduce_blocks` (bit-identical to the local run)."""
    import time

    from spectrum.montecarlo import reduce_blocks, run_block
    from spectrum.montecarlo.schema import parse_workspace

    try:
        import importlib

        # through sys.modules (not the package attribute), so a stand-in runner can replace it
        distributed = importlib.import_module("spectrum.distributed")
        from spectrum.distributed.cluster import client_session
        run_blocks = distributed.run_blocks
    except (ImportError, AttributeError):
        raise ValueError("--dask needs spectrum.distributed (the distributed runner) and the [dask] extra "
                         "(pip install 'spectrum[dask]'); run without --dask") from None
    if args.target_halfwidth is not None or ws.convergence is not None:
        raise ValueError("--dask runs a fixed number of events: drop --target-halfwidth / the workspace's convergence")
    doc = dict(ws.raw)
    if args.block_events:
        doc["options"] = {**doc.get("options", {}), "block_events": int(args.block_events)}
    ws = parse_workspace(doc)
    seed = ws.seed if args.seed is None else args.seed
    n = ws.events if args.events is None else args.events
    t0 = time.perf_counter()
    with client_session(args.dask, quiet=args.json) as client:
        res = run_blocks(client, run_block, doc, seed, n, block_events=ws.options["block_events"],
                         reduce=lambda parts: reduce_blocks(doc, seed, parts, out=args.out),
                         kind="montecarlo", progress=not args.no_progress)
    res.elapsed_s = time.perf_counter() - t0
    return res


def _values(text):
    try:
        vals = [float(x) for x in str(text).split(",") if x.strip()]
    except ValueError:
        raise ValueError(f"--values {text!r} must be numbers separated by commas") from None
    if not vals:
        raise ValueError(f"--values {text!r} holds no number")
    return vals


def translate_cmd(args) -> int:
    from spectrum.montecarlo import translate

    _guard_outputs(args, ("--png", args.png))
    ws = _load(args)
    if args.events is not None and args.events < 1:
        raise ValueError(f"--events {args.events} must be >= 1")
    vals = _values(args.values) if args.values is not None else None
    out = translate(ws, args.parameter, vals, args.events, args.seed)
    if args.png:
        _plot_translation(out, args.png)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    keys = list(out["probabilities"])
    print(f"translation of {out['parameter']} ({out['events']} events per value, seed {out['seed']})")
    print(f"{'value':>12}" + "".join(f"{k:>22}" for k in keys))
    for i, v in enumerate(out["values"]):
        print(f"{v:>12g}" + "".join(f"{out['probabilities'][k]['p'][i]:>22.5f}" for k in keys))
    if args.png:
        print(f"wrote {args.png}")
    return 0


def _plot_translation(out, path):
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    from spectrum.io import atomic_path

    fig = Figure(figsize=(7, 4.5))
    ax = fig.add_subplot(111)
    for k, s in out["probabilities"].items():
        ax.plot(out["values"], s["p"], marker="o", label=k)
    ax.set_xlabel(out["parameter"])
    ax.set_ylabel("probability of interference")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    with atomic_path(path, suffix=".png") as tmp:
        fig.savefig(tmp, format="png", dpi=110)


def validate_cmd(args) -> int:
    from spectrum.montecarlo import load_workspace

    ws = load_workspace(args.workspace)
    info = {"workspace": args.workspace, "valid": True, "name": ws.name, "interferers": len(ws.interferers),
            "events": ws.events, "seed": ws.seed}
    print(json.dumps(info, indent=2) if args.json else
          f"{args.workspace}: valid ({ws.name}; {len(ws.interferers)} interferer(s), {ws.events} events, seed {ws.seed})")
    return 0


def demo_cmd(args) -> int:
    from spectrum.montecarlo import demo_workspace

    print(json.dumps(demo_workspace(), indent=2))
    return 0
