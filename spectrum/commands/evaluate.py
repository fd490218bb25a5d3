"""``spectrum evaluate``: evaluate a licence request against the register (both directions).

Examples::

    spectrum evaluate --demo
    spectrum evaluate --demo --json > evaluation.json
    spectrum evaluate --sample-request > request.json
    spectrum evaluate --db register.sqlite --request request.json --hdf5 ev.h5 --report ev.txt --store
    spectrum evaluate --db register.sqlite --licence MOB-0005 --json
    spectrum evaluate --demo --html report.html --pdf report.pdf

``--licence`` evaluates every station pair of an application already in the register (a
transmitter with its link's far-end receiver, or with its co-sited sector receiver); the licence's
decision is the most severe of them.

``--demo`` evaluates the sample request (:func:`spectrum.datasets.requests.sample_request`) against
the sample register built in memory (:func:`spectrum.datasets.register.sample_register`) over the
default terrain, and prints the decision table.
"""
from __future__ import annotations

import json
import sys

import numpy as np

from spectrum.commands._common import load_dem


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "evaluate",
        help="evaluate a licence request: interference to and from registered stations, decision",
        description=("Evaluate a licence request in both directions: the candidate transmitter into every "
                     "registered receiver in reach, and every registered transmitter into the candidate "
                     "receiver (aggregate as a power sum). Terrain paths from the DEM, ITU-R P.452-18 losses "
                     "by default (P.1546-6 and protection ratios for broadcasting requests), SM.337 FDR from the masks, antenna patterns F.699/F.1245/F.1336. "
                     "Decision: refuse if a registered victim's margin < 0 dB, needs coordination if within "
                     "--coordination-margin dB (or not computable, or the candidate receiver is unprotected), "
                     "grant otherwise."),
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--demo", action="store_true",
                     help="sample request vs the sample register (in memory) over the default terrain")
    src.add_argument("--db", metavar="FILE|URL", help="register: SQLite file or postgresql://user@host/dbname")
    src.add_argument("--sample-request", action="store_true", help="print the sample request JSON and exit")
    req = p.add_mutually_exclusive_group()
    req.add_argument("--request", metavar="FILE", help="request JSON file (with --db)")
    req.add_argument("--licence", metavar="NUMBER",
                     help="an application already in the register (with --db): every station pair")
    p.add_argument("--dem", metavar="PATH", action="append",
                   help="DEM file(s) (.hgt, .tif, .nc, any GDAL raster with [gis]) or a folder of tiles; "
                        "default: $SPECTRUM_TERRAIN, else the default terrain (Shanghai region)")
    p.add_argument("--model", default="service",
                   choices=["service", "p452", "p1812", "p1546", "p2001", "itm", "auto", "free-space"],
                   help="propagation model (default service: broadcasting requests P.1546-6 -- P.1812-6 outside "
                        "30-4000 MHz -- judged on protection ratios, other services P.452-18; auto: as service, and "
                        "P.1812 for any service below 100 MHz); a path outside the model's validity (e.g. < 0.1 km "
                        "for P.452) takes free space, recorded per path")
    p.add_argument("--climate", action="append", default=[], metavar="KEY=VALUE",
                   help="climate input, repeatable: dn, n0 (P.452/P.1812; default from the ITU-R maps with the "
                        "[maps] extra at each path centre, else 45 / 325) and the P.2001 map values nd1km50, "
                        "dn_sup, dn_sub, nd65m1, wvsur_gm3, ztropo, foes_mhz=A,B,C,D, mt_mm, beta, pr6_pct, h0_km; "
                        "'--climate typical' takes P.2001's placeholder values")
    p.add_argument("--landcover", metavar="FILE",
                   help="land-cover raster (ESA WorldCover, CORINE, ...): P.2108 clutter at terminals without "
                        "a clutter class in the register")
    p.add_argument("--landcover-scheme", default="worldcover", metavar="worldcover|corine|CSV",
                   help="class table of --landcover (default worldcover; or a mapping CSV)")
    p.add_argument("--no-protection-ratios", action="store_true",
                   help="broadcasting into broadcasting receivers: use the registered criterion and the FDR, not "
                        "the pair's BS.412 / BT.1368 protection ratio")
    p.add_argument("--no-blocking", action="store_true",
                   help="no receiver blocking term: the SM.337 FDR with the receiver's selectivity alone (default: "
                        "where channels do not overlap, I = I_unwanted (+) I_blocking per SEAMCAT, the receiver's "
                        "register selectivity mask as its blocking mask, else the ETSI EN 300 113 generic receiver)")
    p.add_argument("--p-long", type=float, default=20.0, metavar="%", help="long-term time percentage (default 20)")
    p.add_argument("--p-short", type=float, default=1.0, metavar="%", help="short-term time percentage (default 1)")
    p.add_argument("--short-term-allowance", type=float, default=10.0, metavar="DB",
                   help="criterion relaxation at the short-term percentage [dB] (default 10)")
    p.add_argument("--coordination-margin", type=float, default=3.0, metavar="DB",
                   help="margins below this need coordination [dB] (default 3)")
    p.add_argument("--max-distance-km", type=float, default=150.0, metavar="KM",
                   help="registered stations beyond this distance are not considered (default 150)")
    p.add_argument("--rule", default="absolute", choices=["absolute", "degradation", "single-entry"],
                   help="victims already receiving interference: the total must meet the criterion (absolute, "
                        "default), the candidate may raise N+I by at most --dt-over-t (degradation), or the "
                        "candidate alone (single-entry)")
    p.add_argument("--dt-over-t", type=float, default=6.0, metavar="%",
                   help="permitted degradation Delta T/T of the degradation rule [%%] (default 6)")
    p.add_argument("--no-existing", action="store_true",
                   help="do not compute the existing interference of registered transmitters at the victims")
    p.add_argument("--existing-scope", default="decisive", choices=["decisive", "all"],
                   help="existing interference where it can change a victim's status (default) or at every "
                        "victim within the window")
    p.add_argument("--criterion", action="append", default=[], metavar="SERVICE=CRIT:DB",
                   help="criterion of a service's receivers without one of their own, e.g. "
                        "'broadcasting=C/(N+I):20' or 'fixed=I/N:-10' (repeatable)")
    p.add_argument("--bel-p", type=float, default=50.0, metavar="%",
                   help="location probability of the P.2109 building entry loss of indoor receivers (default 50)")
    p.add_argument("--no-intermod", action="store_true", help="do not check intermodulation at the candidate's site")
    p.add_argument("--intermod-radius-m", type=float, default=500.0, metavar="M",
                   help="transmitters within this distance share the candidate's site (default 500)")
    p.add_argument("--json", action="store_true", help="print the evaluation as JSON")
    p.add_argument("--hdf5", metavar="FILE", help="also write the evaluation to HDF5")
    p.add_argument("--report", metavar="FILE", help="also write the text report to FILE")
    p.add_argument("--html", metavar="FILE", help="also write the decision report as one self-contained HTML file")
    p.add_argument("--pdf", metavar="FILE", help="also write the decision report as PDF (map, profiles, tables)")
    p.add_argument("--store", action="store_true", help="store the evaluation in the register (with --db)")
    p.add_argument("--user", default="spectrum-cli", help="user recorded with --store")
    p.set_defaults(func=run)


def _criteria(items) -> dict:
    out = {}
    for it in items:
        try:
            svc, rest = it.split("=", 1)
            crit, db = rest.rsplit(":", 1)
            out[svc.strip()] = (crit.strip(), float(db))
        except ValueError:
            raise ValueError(f"--criterion {it!r} must be SERVICE=CRITERION:DB, e.g. fixed=I/N:-10") from None
    return out


def _climate(items):
    out: dict = {}
    for it in items:
        if it.strip() == "typical":
            out["typical"] = True
            continue
        try:
            k, v = it.split("=", 1)
            vals = [float(x) for x in v.split(",")]
        except ValueError:
            raise ValueError(f"--climate {it!r} must be KEY=VALUE (e.g. dn=45) or 'typical'") from None
        out[k.strip()] = vals if len(vals) > 1 else vals[0]
    return out or None


def _landcover_scheme(v):
    from pathlib import Path

    return Path(v) if v not in ("worldcover", "corine") else v


def _options(args) -> dict:
    return dict(dem=load_dem(args.dem, default=False), model=args.model, p_percent=(args.p_long, args.p_short),
                short_term_allowance_db=args.short_term_allowance, coordination_margin_db=args.coordination_margin,
                max_distance_km=args.max_distance_km, store=bool(args.store and args.db), user=args.user,
                rule=args.rule, dt_over_t_percent=args.dt_over_t, existing_interference=not args.no_existing,
                existing_scope=args.existing_scope, criteria_by_service=_criteria(args.criterion),
                bel_p_percent=args.bel_p, intermod=not args.no_intermod, intermod_radius_m=args.intermod_radius_m,
                climate=_climate(args.climate), landcover=args.landcover,
                landcover_scheme=_landcover_scheme(args.landcover_scheme),
                protection_ratios=not args.no_protection_ratios, blocking=not args.no_blocking)


def _outputs(args, text: str, json_text: str, ev=None) -> None:
    if args.hdf5 and ev is not None:
        ev.to_hdf5(args.hdf5)
    if args.report:
        from spectrum.io import write_text

        write_text(args.report, text + "\n", inputs=[args.db, args.request, args.landcover, *(args.dem or [])])
    if args.json:
        sys.stdout.write(json_text + "\n")
    else:
        print(text)


def _run_licence(args, reg) -> int:
    """Every station pair of an application; the licence's decision is the most severe."""
    from spectrum.evaluation import aggregate_victims, combined_decision, evaluate_licence
    from spectrum.io import to_json

    try:
        if args.hdf5:
            raise ValueError("--hdf5 is per request: with --licence evaluate the stations one by one (--request)")
        if args.html or args.pdf:
            raise ValueError("--html/--pdf are per request: with --licence evaluate the stations one by one (--request)")
        evs = evaluate_licence(reg, args.licence, **_options(args))
        dec = combined_decision(evs)
        sep = "\n" + "#" * 72 + "\n"
        text = sep.join(e.report() for e in evs)
        agg = aggregate_victims(evs) if len(evs) > 1 else {}
        if agg and len(agg["margin_db"]):
            m = np.where(np.isfinite(agg["margin_db"].astype(float)), agg["margin_db"].astype(float), -np.inf)
            text += ("\n\nVictims of all the application's transmitters together (power sum), worst first\n"
                     f"{'licence':<12}{'station':<22}{'f MHz':>10}{'entries':>8}{'I dBW':>9}{'margin':>8}  status")
            for k in np.argsort(m, kind="stable")[:15]:
                text += (f"\n{str(agg['licence_number'][k])[:11]:<12}{str(agg['station_name'][k])[:21]:<22}"
                         f"{agg['f_mhz'][k]:>10.3f}{int(agg['n_entries'][k]):>8}{agg['i_long_dbw'][k]:>9.1f}"
                         f"{agg['margin_db'][k]:>8.1f}  {agg['status'][k]}")
        text += (f"\n\nLICENCE {args.licence}: {len(evs)} station pair(s) evaluated "
                 f"({', '.join(e.decision for e in evs)}); with the aggregate at each victim: {dec.upper()}")
        stored = [e.evaluation_id for e in evs if e.evaluation_id is not None]
        if stored and not args.json:
            text += f"\nStored as evaluation(s) {', '.join(map(str, stored))} in {args.db}"
        agg_rows = [{k: (v[i].item() if hasattr(v[i], "item") else v[i]) for k, v in agg.items()}
                    for i in range(len(agg.get("margin_db", [])))]
        js = to_json({"licence_number": args.licence, "decision": dec, "aggregate_victims": agg_rows,
                      "evaluations": [e.to_dict() for e in evs]}, indent=2)
        _outputs(args, text, js)
    finally:
        reg.close()
    return 0


def run(args) -> int:
    from spectrum.datasets.requests import sample_request, sample_request_dict
    from spectrum.evaluation import Request, evaluate_request

    if args.sample_request:
        print(json.dumps(sample_request_dict(), indent=2))
        return 0
    from spectrum.io import check_outputs

    check_outputs([args.hdf5, args.report], inputs=[args.db, args.request, args.landcover, *(args.dem or [])])
    if args.demo:
        if args.request or args.licence or args.store:
            raise ValueError("--demo uses the sample request and an in-memory register: drop --request/--licence/--store")
        from spectrum.datasets.register import sample_register

        reg = sample_register()
        req = sample_request()
    else:
        from spectrum.register import Register

        if not (args.request or args.licence):
            raise ValueError("--db needs --request FILE or --licence NUMBER")
        reg = Register.open(args.db, create=False)
        if args.licence:
            return _run_licence(args, reg)
        req = Request.from_json(args.request)
    try:
        from spectrum.report.cli import check_report_outputs, write_report_outputs

        state = check_report_outputs(args, reg)
        ev = evaluate_request(reg, req, **_options(args))
        write_report_outputs(args, ev, reg, state)
        _outputs(args, ev.report(), ev.to_json(), ev)
        if ev.evaluation_id is not None and not args.json:
            print(f"\nStored as evaluation {ev.evaluation_id} in {args.db}")
    finally:
        reg.close()
    return 0
