"""``spectrum loss``: site-general loss models without a terrain profile.

Sub-models::

    spectrum loss hata --f-mhz 900 --d-km 1 2 5 10 20 --hb-m 50 --hm-m 1.5 --env urban --city large
    spectrum loss free-space --f-mhz 100 600 2100 --d-km 1 10 100
    spectrum loss p2108 terminal --f-ghz 1.5 --h-m 2 --clutter urban
    spectrum loss p2108 terrestrial --f-ghz 3.5 --d-km 1 2 --pl 10 50 90
    spectrum loss p2108 earth-space --f-ghz 20 --theta-deg 5 30 90 --pl 50
    spectrum loss p2109 --f-ghz 0.7 3.5 28 --p 50 --building traditional --theta-deg 0

Every option that takes several values sweeps it; the table has one row per combination
(outer product, in the order the options are listed). ``--json`` prints the rows as JSON.
"""
from __future__ import annotations

import argparse
import itertools
import json



def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "loss",
        help="site-general losses: Hata/COST-231, free space (P.525), clutter (P.2108), building entry (P.2109)",
        description=("Site-general path and excess losses: Okumura-Hata / COST-231 Hata median path loss, "
                     "free-space loss (Rec. ITU-R P.525-4), clutter loss (Rec. ITU-R P.2108-1 §3.1-3.3) and "
                     "building entry loss (Rec. ITU-R P.2109-2). Multi-valued options sweep."),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("Sub-models::", 1)[1],
    )
    sub = p.add_subparsers(dest="loss_model", metavar="<model>")
    sub.required = True

    h = sub.add_parser("hata", help="Okumura-Hata (150-1500 MHz) / COST-231 Hata (1500-2000 MHz) median loss")
    h.add_argument("--f-mhz", type=float, nargs="+", required=True, help="frequency [MHz], 150 to 2000")
    h.add_argument("--d-km", type=float, nargs="+", required=True, help="distance [km], 1 to 20")
    h.add_argument("--hb-m", type=float, nargs="+", required=True, help="base-station antenna height [m], 30 to 200")
    h.add_argument("--hm-m", type=float, nargs="+", default=[1.5], help="mobile antenna height [m], 1 to 10 (default 1.5)")
    h.add_argument("--env", default="urban", help="urban | suburban | open (default urban)")
    h.add_argument("--city", default="small", help="small | medium | large (default small)")
    h.add_argument("--model", default="auto", help="auto | hata | cost231 (default auto: by frequency)")
    h.add_argument("--json", action="store_true", help="print JSON")
    h.set_defaults(func=run)

    fs = sub.add_parser("free-space", help="free-space basic transmission loss, Rec. ITU-R P.525-4")
    fs.add_argument("--f-mhz", type=float, nargs="+", required=True, help="frequency [MHz]")
    fs.add_argument("--d-km", type=float, nargs="+", required=True, help="distance [km]")
    fs.add_argument("--json", action="store_true", help="print JSON")
    fs.set_defaults(func=run)

    c = sub.add_parser("p2108", help="clutter loss, Rec. ITU-R P.2108-1")
    csub = c.add_subparsers(dest="p2108_method", metavar="<method>")
    csub.required = True
    t = csub.add_parser("terminal", help="§3.1 height-gain terminal correction (0.03-3 GHz)")
    t.add_argument("--f-ghz", type=float, nargs="+", required=True, help="frequency [GHz], 0.03 to 3")
    t.add_argument("--h-m", type=float, nargs="+", required=True, help="antenna height above ground [m]")
    t.add_argument("--clutter", nargs="+", default=["urban"],
                   help="water | open | suburban | urban | forest | dense-urban (or codes 1-6); default urban")
    t.add_argument("--r-m", type=float, default=None, help="representative clutter height [m] (default Table 2)")
    t.add_argument("--ws-m", type=float, default=27.0, help="street width [m] (default 27)")
    t.add_argument("--json", action="store_true", help="print JSON")
    t.set_defaults(func=run)
    ts = csub.add_parser("terrestrial", help="§3.2 statistical model for terrestrial paths (0.5-67 GHz)")
    ts.add_argument("--f-ghz", type=float, nargs="+", required=True, help="frequency [GHz], 0.5 to 67")
    ts.add_argument("--d-km", type=float, nargs="+", required=True, help="path length [km], >= 0.25")
    ts.add_argument("--pl", type=float, nargs="+", default=[50.0], help="location percentage [%%] (default 50)")
    ts.add_argument("--json", action="store_true", help="print JSON")
    ts.set_defaults(func=run)
    es = csub.add_parser("earth-space", help="§3.3 statistical model for Earth-space / aeronautical paths (10-100 GHz)")
    es.add_argument("--f-ghz", type=float, nargs="+", required=True, help="frequency [GHz], 10 to 100")
    es.add_argument("--theta-deg", type=float, nargs="+", required=True, help="elevation angle [deg], 0 to 90")
    es.add_argument("--pl", type=float, nargs="+", default=[50.0], help="location percentage [%%] (default 50)")
    es.add_argument("--json", action="store_true", help="print JSON")
    es.set_defaults(func=run)

    b = sub.add_parser("p2109", help="building entry loss, Rec. ITU-R P.2109-2 (0.08-100 GHz)")
    b.add_argument("--f-ghz", type=float, nargs="+", required=True, help="frequency [GHz], 0.08 to 100")
    b.add_argument("--p", type=float, nargs="+", default=[50.0], help="probability the loss is not exceeded [%%] (default 50)")
    b.add_argument("--building", nargs="+", default=["traditional"],
                   help="traditional | thermally-efficient (or 1 | 2); default traditional")
    b.add_argument("--theta-deg", type=float, nargs="+", default=[0.0], help="elevation at the facade [deg] (default 0)")
    b.add_argument("--json", action="store_true", help="print JSON")
    b.set_defaults(func=run)


def _code_or_name(v: str):
    try:
        return int(v)
    except ValueError:
        return v.replace("-", " ") if v.lower().startswith(("dense", "thermally")) else v


def _rows(names, lists, fn):
    rows = []
    for combo in itertools.product(*lists):
        rows.append({**dict(zip(names, combo)), "loss_db": float(fn(*combo))})
    return rows


def run(args) -> int:
    m = args.loss_model
    if m == "hata":
        from spectrum.propagation import hata

        names = ["f_mhz", "d_km", "hb_m", "hm_m"]
        rows = _rows(names, [args.f_mhz, args.d_km, args.hb_m, args.hm_m],
                     lambda f, d, hb, hm: hata.basic_transmission_loss(
                         f, d, hb, hm, environment=args.env, city=args.city, model=args.model))
        for r in rows:
            r["model"] = ("cost231" if r["f_mhz"] > 1500 else "hata") if args.model == "auto" else args.model
        title = f"Okumura-Hata / COST-231 Hata median loss ({args.env}, {args.city} city)"
    elif m == "free-space":
        from spectrum.propagation import p525

        names = ["f_mhz", "d_km"]
        rows = _rows(names, [args.f_mhz, args.d_km], lambda f, d: p525.free_space_loss_db(d, f))
        title = "Free-space basic transmission loss, Rec. ITU-R P.525-4"
    elif m == "p2108":
        from spectrum.propagation import p2108

        if args.p2108_method == "terminal":
            names = ["f_ghz", "h_m", "clutter"]
            rows = _rows(names, [args.f_ghz, args.h_m, [_code_or_name(c) for c in args.clutter]],
                         lambda f, h, c: p2108.clutter_loss_terminal(f, h, c, r_m=args.r_m, ws_m=args.ws_m))
            title = "Clutter loss, height-gain terminal correction, Rec. ITU-R P.2108-1 §3.1"
        elif args.p2108_method == "terrestrial":
            names = ["f_ghz", "d_km", "pl"]
            rows = _rows(names, [args.f_ghz, args.d_km, args.pl], p2108.clutter_loss_terrestrial)
            title = "Clutter loss, terrestrial statistical model, Rec. ITU-R P.2108-1 §3.2"
        else:
            names = ["f_ghz", "theta_deg", "pl"]
            rows = _rows(names, [args.f_ghz, args.theta_deg, args.pl], p2108.clutter_loss_earth_space)
            title = "Clutter loss, Earth-space/aeronautical statistical model, Rec. ITU-R P.2108-1 §3.3"
    else:  # p2109
        from spectrum.propagation import p2109

        names = ["f_ghz", "p", "building", "theta_deg"]
        rows = _rows(names, [args.f_ghz, args.p, [_code_or_name(b) for b in args.building], args.theta_deg],
                     p2109.building_entry_loss)
        title = "Building entry loss, Rec. ITU-R P.2109-2"
    if args.json:
        print(json.dumps({"model": title, "rows": rows}, indent=1))
        return 0
    cols = names + (["model"] if m == "hata" else []) + ["loss_db"]
    width = {c: max(len(c), *(len(_fmt(r[c])) for r in rows)) for c in cols}
    lines = [title, "", " ".join(c.rjust(width[c]) for c in cols)]
    for r in rows:
        lines.append(" ".join(_fmt(r[c]).rjust(width[c]) for c in cols))
    print("\n".join(lines))
    return 0


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.3f}" if abs(v) < 1e5 else f"{v:.6g}"
    return str(v)
