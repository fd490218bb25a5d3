"""``spectrum register reevaluate``: every application / licence matching a filter evaluated again,
decisions stored in the register.

Examples::

    spectrum register reevaluate --service mobile --status application
    spectrum register reevaluate --status granted --f-min-mhz 3400 --f-max-mhz 3800 --bbox 30.5,31.8,120.8,122.0
    spectrum register --db reg.sqlite reevaluate --status application --dask local:2 --json
    spectrum register reevaluate --status granted --model p1812 --dask tcp://scheduler:8786 --no-store

Each licence's station pairs go through :func:`spectrum.evaluation.evaluate_licence`; its decision is
the most severe of its pairs. The evaluations are stored (one transaction, after every result is in:
nothing is stored when the run fails) unless ``--no-store``. With ``--dask`` the licences are
evaluated in batches on a dask cluster against a read-only snapshot of the register; the register is
written by this process only.
"""
from __future__ import annotations

import time

from spectrum.commands._common import add_dask_options, dask_session, load_dem, show_progress


def add_to(sub, common, bbox_type) -> None:
    s = sub.add_parser("reevaluate", parents=[common],
                       help="re-evaluate every application/licence matching a filter, store the decisions",
                       description=("Evaluate again every licence with an assignment matching --status, --service, "
                                    "the band and --bbox (spectrum.evaluation, as 'spectrum evaluate --licence'), "
                                    "and store the evaluations in the register in one transaction after the run. "
                                    "--dask runs batches of licences on a dask cluster."))
    s.add_argument("--status", action="append",
                   help="licence status (repeatable; default application), e.g. application, granted")
    s.add_argument("--service", action="append", help="licence service (repeatable), e.g. mobile, fixed")
    s.add_argument("--f-min-mhz", type=float, help="band: lower edge [MHz]")
    s.add_argument("--f-max-mhz", type=float, help="band: upper edge [MHz]")
    s.add_argument("--bbox", type=bbox_type, metavar="LAT_MIN,LAT_MAX,LON_MIN,LON_MAX", help="stations inside [deg]")
    s.add_argument("--licence", action="append", metavar="NUMBER", help="only these licences (repeatable)")
    s.add_argument("--model", default="service", choices=["service", "p452", "p1812", "itm", "auto", "free-space"],
                   help="propagation model (default service: broadcasting requests P.1546-6, or P.1812-6 "
                        "outside 30-4000 MHz; other services P.452-18)")
    s.add_argument("--rule", default="absolute", choices=["absolute", "degradation", "single-entry"],
                   help="how victims already receiving interference are judged (see spectrum evaluate)")
    s.add_argument("--max-distance-km", type=float, default=150.0, metavar="KM",
                   help="registered stations beyond this distance are not considered (default 150)")
    s.add_argument("--dem", metavar="PATH", action="append", help="DEM file(s) or a tile folder; default: the default terrain")
    s.add_argument("--no-store", action="store_true", help="evaluate only; store nothing in the register")
    s.add_argument("--batch", type=int, default=None, metavar="N",
                   help="licences per dask task (default: about 4 tasks per worker)")
    add_dask_options(s, "batches of licences")
    s.set_defaults(func=run)


def run(args) -> int:
    import json
    import math

    from spectrum.reevaluation import reevaluate, select_licences

    for nm in ("f_min_mhz", "f_max_mhz", "max_distance_km"):
        v = getattr(args, nm)
        if v is not None and not math.isfinite(v):
            raise ValueError(f"--{nm.replace('_', '-')} {v} is not a finite number")
    if args.batch is not None and args.batch < 1:
        raise ValueError(f"--batch {args.batch} must be >= 1")
    from spectrum.commands.register import _open

    status = tuple(args.status) if args.status else ("application",)
    dem = load_dem(args.dem)
    reg = _open(args)
    try:
        lics = select_licences(reg, status=status, service=args.service, f_min_mhz=args.f_min_mhz,
                               f_max_mhz=args.f_max_mhz, bbox=args.bbox)
        if args.licence:
            missing = sorted(set(args.licence) - set(lics))
            if missing:
                raise ValueError(f"--licence {missing[0]}: not among the licences matching the filter")
            lics = [x for x in lics if x in set(args.licence)]
        t0 = time.perf_counter()
        with dask_session(args) as client:
            res = reevaluate(reg, lics, status=status, store=not args.no_store, user=args.user or "spectrum-cli",
                             client=client, batch_licences=args.batch, progress=show_progress(args), dem=dem,
                             model=args.model, rule=args.rule, max_distance_km=args.max_distance_km)
        elapsed = time.perf_counter() - t0
    finally:
        reg.close()
    counts: dict = {}
    for r in res:
        counts[r["decision"]] = counts.get(r["decision"], 0) + 1
    if args.json:
        print(json.dumps({"licences": len(res), "decisions": counts, "stored": not args.no_store,
                          "seconds": round(elapsed, 3),
                          "results": [{k: r[k] for k in ("licence_number", "decision", "decisions", "evaluation_ids",
                                                         "error") if k in r} for r in res]}, indent=1))
        return 0
    if not res:
        print("no licence matches the filter")
        return 0
    w = max(len(r["licence_number"]) for r in res)
    for r in res:
        ids = ",".join(map(str, r["evaluation_ids"])) or "-"
        if "error" in r:
            print(f"{r['licence_number']:<{w}}  {r['decision']:<20}  {r['error']}")
            continue
        print(f"{r['licence_number']:<{w}}  {r['decision']:<20}  pairs {len(r['decisions'])}  evaluation(s) {ids}")
    print(f"{len(res)} licence(s): " + ", ".join(f"{n} {d}" for d, n in sorted(counts.items()))
          + f"; {'not stored' if args.no_store else 'stored'}; {elapsed:.1f} s")
    return 0
