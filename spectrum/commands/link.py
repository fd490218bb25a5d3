"""``spectrum link``: a fixed point-to-point hop — budget, clearance, outage, availability,
interference (Rec. ITU-R P.530-18), and a channel / polarisation ranking along a plan.

Examples::

    spectrum link --demo
    spectrum link --demo --json
    spectrum link --db register.sqlite --licence FS-18-016
    spectrum link --db register.sqlite --from "Link 16 end A tx" --to "Link 16 end B rx"
    spectrum link --demo --plan 17700:19700:28:1010 --top 10

``--demo`` is the sample register's 18 GHz hop FS-18-016 (7.7 km, both directions) over the default
terrain. Climate inputs: P.530-18 K and dN75 (``--k-geo``, ``--dn75``; the -18 maps are not in the
``itur`` package), R0.01 (``--r001``; from the P.837-7 map when ``spectrum.propagation.maps`` is
installed, else the Shanghai map value 56.68 mm/h).
"""
from __future__ import annotations

import json
import math
import sys

from spectrum.commands._common import load_dem

DEMO_LICENCE = "FS-18-016"


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "link",
        help="fixed link (P.530-18): budget, clearance, outage, availability, interference, channel ranking",
        description=("Budget and availability of a fixed point-to-point hop from the register (Rec. ITU-R P.530-18 "
                     "multipath, rain with P.838-3 / P.837-7, XPD, diversity; P.530 §2.2 clearance), interference "
                     "into and from it as threshold degradation, and optionally the channels of a plan ranked."))
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--demo", action="store_true", help=f"the sample register's 18 GHz hop {DEMO_LICENCE}")
    src.add_argument("--db", metavar="FILE|URL", help="register: SQLite file or postgresql://user@host/dbname")
    p.add_argument("--licence", metavar="NUMBER", help="a fixed-service licence: both directions of its hop")
    p.add_argument("--from", dest="from_station", metavar="STATION", help="transmitting end (station id or name)")
    p.add_argument("--to", dest="to_station", metavar="STATION", help="receiving end (station id or name)")
    p.add_argument("--dem", metavar="PATH", action="append", help="DEM file(s) or a tile folder; default: the default terrain")
    p.add_argument("--k-geo", type=float, metavar="K", help="P.530-18 geoclimatic factor K (default 10^-4.2)")
    p.add_argument("--dn75", type=float, metavar="N", help="P.530-18 dN75 [N-units] (default 40)")
    p.add_argument("--r001", type=float, metavar="MMH", help="P.837-7 R0.01 [mm/h] (default: map)")
    p.add_argument("--ke-min", type=float, metavar="K", help="ke exceeded 99.9 %% of the worst month (default: point k at 99.9 %% from the P.453 "
                        "dN65 map, else 2/3)")
    p.add_argument("--modulation", metavar="MOD", help="e.g. QPSK, 16QAM, 64QAM (default 16QAM)")
    p.add_argument("--ber", type=float, metavar="BER", help="threshold BER (default 1e-6)")
    p.add_argument("--target", type=float, metavar="PCT", help="availability objective [%%] (default 99.99)")
    p.add_argument("--p-interference", type=float, default=20.0, metavar="PCT",
                   help="P.452 time percentage for interference paths (default 20)")
    p.add_argument("--no-interference", action="store_true", help="skip the interference study")
    p.add_argument("--plan", metavar="LO:HI:SPACING:DUPLEX",
                   help="rank the channel pairs (and h/v) of a paired plan [MHz] for the hop")
    p.add_argument("--top", type=int, default=10, metavar="N", help="rows of the channel ranking (default 10)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--out", metavar="FILE", help="also write the JSON to FILE")
    p.set_defaults(func=run)


def _overrides(args) -> dict:
    kw = {}
    for opt, name in (("k_geo", "k_geo"), ("dn75", "dn75"), ("r001", "r001_mmh"), ("ke_min", "ke_min"),
                      ("modulation", "modulation"), ("ber", "ber"), ("target", "target_percent")):
        v = getattr(args, opt)
        if v is not None:
            if isinstance(v, float) and not math.isfinite(v):
                raise ValueError(f"--{opt.replace('_', '-')} = {v} must be finite")
            kw[name] = v
    return kw


#: channels of a --plan at most (a spacing in Hz or kHz given as MHz allocated terabytes)
MAX_PLAN_CHANNELS = 100_000


def _plan(text: str):
    try:
        lo, hi, sp, dup = (float(x) for x in text.split(":"))
    except ValueError:
        raise ValueError(f"--plan = {text!r}: expected LO:HI:SPACING:DUPLEX in MHz") from None
    from spectrum.links.plan import channel_plan_pairs

    if all(math.isfinite(v) for v in (lo, hi, sp)) and sp > 0 and (hi - lo) / sp > MAX_PLAN_CHANNELS:
        raise ValueError(f"--plan = {text!r}: {(hi - lo) / sp:.3g} channels of {sp:g} MHz; "
                         f"at most {MAX_PLAN_CHANNELS} (check the spacing's unit: MHz)")
    pairs = channel_plan_pairs(lo, hi, sp, dup)
    if len(pairs) == 0:
        raise ValueError(f"--plan = {text!r} holds no channel pair")
    return pairs


def run(args) -> int:
    from spectrum.links import licence_links, link_budget, link_from_register
    from spectrum.links.interference import interference_from, interference_into

    if args.out:
        from pathlib import Path

        out = Path(args.out).resolve()
        for name, path in [("--db", args.db)] + [("--dem", d) for d in (args.dem or [])]:
            if path and Path(path).resolve() == out:
                raise ValueError(f"--out {args.out} is the {name} input itself: choose another output file")
    kw = _overrides(args)
    if args.top < 1:
        raise ValueError(f"--top = {args.top} must be at least 1")
    pairs = _plan(args.plan) if args.plan else None
    if args.demo:
        if args.licence or args.from_station or args.to_station:
            raise ValueError("--demo studies the sample hop: drop --licence/--from/--to")
        from spectrum.datasets.register import sample_register

        reg = sample_register()
        number = DEMO_LICENCE
    else:
        from spectrum.register import Register

        if not (args.licence or (args.from_station and args.to_station)):
            raise ValueError("--db needs --licence NUMBER or both --from STATION and --to STATION")
        if args.licence and (args.from_station or args.to_station):
            raise ValueError("give --licence or --from/--to, not both")
        if bool(args.from_station) != bool(args.to_station):
            raise ValueError("--from and --to go together")
        reg = Register.open(args.db, create=False)
        number = args.licence
    try:
        dem = load_dem(args.dem)
        if number:
            links = licence_links(reg, number, **kw)
        else:
            links = [link_from_register(reg, args.from_station, args.to_station, **kw)]
        out = []
        for lk in links:
            into = frm = None
            i_dbw = -math.inf
            if not args.no_interference:
                into = interference_into(reg, lk, dem=dem, p_percent=args.p_interference)
                frm = interference_from(reg, lk, dem=dem, p_percent=args.p_interference)
                i_dbw = into["i_dbw"]
            b = link_budget(lk, dem=dem, interference_dbw=i_dbw)
            out.append((b, into, frm))
        ranking = None
        if pairs is not None:
            from spectrum.links.plan import channel_sweep

            ranking = channel_sweep(reg, links[0], pairs, dem=dem, p_percent=args.p_interference)
    finally:
        reg.close()
    doc = {"model": "ITU-R P.530-18 (P.838-3, P.837-7, P.676-13, P.525-4; interference P.452-18, SM.337-6)",
           "terrain": str(dem.attrs.get("source", "")) if dem is not None else "",
           "directions": [dict(b.to_dict(), interference_into=into, interference_from=frm) for b, into, frm in out]}
    if ranking is not None:
        doc["channel_ranking"] = ranking
    text = json.dumps(_finite(doc), default=_json_default, allow_nan=False)
    if args.out:
        from spectrum.io import write_text

        write_text(args.out, text + "\n")
    if args.json:
        sys.stdout.write(text + "\n")
        return 0
    print(_report(out, ranking, args.top, doc["terrain"]))
    return 0


def _finite(o):
    """JSON has no inf/NaN: non-finite numbers (no interferer: I = -inf dBW, no victim: margin +inf) become null."""
    import numpy as np

    if isinstance(o, dict):
        return {k: _finite(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_finite(v) for v in o]
    if isinstance(o, np.ndarray):
        return _finite(o.tolist())
    if isinstance(o, (float, np.floating)):
        return float(o) if math.isfinite(o) else None
    return o


def _json_default(o):
    import numpy as np

    if isinstance(o, (np.floating, np.integer)):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, np.bool_):
        return bool(o)
    return str(o)


def _f(x, fmt="{:+.1f}"):
    return "-" if x is None or (isinstance(x, float) and not math.isfinite(x)) else fmt.format(x)


def _report(out, ranking, top, terrain) -> str:
    lines = [f"terrain: {terrain}", ""] if terrain else []
    for b, into, frm in out:
        c = b.clearance
        lines += [f"{b.name}", f"  {b.f_mhz:.1f} MHz {b.polarisation.upper()}-pol, {b.d_km:.2f} km",
                  "  budget: EIRP {:.1f} dBW, Lbf {:.1f} dB, gases {:.2f} dB, diffraction {:.1f} dB, Gr {:.1f} dBi, "
                  "feeder {:.1f} dB -> Prx {:.1f} dBW".format(b.eirp_dbw + b.gt_rel_db, b.lbf_db, b.gas_db,
                                                              b.diffraction_db, b.gr_dbi, b.feeder_loss_rx_db,
                                                              b.prx_dbw),
                  "  threshold: N {:.1f} dBW + C/N {:.1f} dB = {:.1f} dBW; fade margin {:.1f} dB, TD {:.2f} dB, "
                  "effective {:.1f} dB".format(b.noise_dbw, b.cn_required_db, b.threshold_dbw, b.fade_margin_db,
                                                b.threshold_degradation_db, b.effective_margin_db),
                  "  clearance (P.530 §2.2.2): h/F1 {:.2f} at k=4/3 (need 1.0), {:.2f} at ke={:.2f} (need {:.1f}): {}"
                  .format(c["median"]["ratio"], c["minimum"]["ratio"], c["minimum"]["k_factor"],
                          c["required_minimum_ratio"], "met" if c["met"] else "NOT met"),
                  "  multipath: p0 {:.3g} %, worst month {:.3g} %, year {:.3g} % (Delta G {:.2f} dB){}".format(
                      b.p0_percent, b.multipath_worst_month_percent, b.multipath_year_percent, b.delta_g_db,
                      "" if b.d_km >= 5 else "  [path < 5 km: neglected, §2.3.1]"),
                  "  rain: R0.01 {:.1f} mm/h, A0.01 {:.1f} dB, outage {:.3g} %/year".format(
                      b.r001_mmh, b.rain_a001_db, b.rain_percent),
                  "  availability {:.5f} % (target {:.4g} %): {}".format(
                      b.availability_percent, b.target_percent, "met" if b.meets_target else "NOT met")]
        if into is not None:
            lines.append("  interference into: {} source(s), aggregate I/N {} dB (criterion {:+.0f}), T/I {} dB: {}"
                         .format(len(into["rows"]), _f(into["i_n_db"]), into["criterion_db"], _f(into["t_i_db"]),
                                 "met" if into["met"] else "NOT met"))
            for r in into["rows"][:3]:
                lines.append("    {} {} {:.1f} MHz {:.1f} km: Lb {:.1f} dB, NFD {:.1f} dB, I/N {:+.1f} dB".format(
                    r["licence"], r["station"], r["f_mhz"], r["d_km"], r["lb_db"], r["nfd_db"], r["i_n_db"]))
            lines.append("  interference from: {} victim(s), worst margin {} dB: {}".format(
                len(frm["rows"]), _f(frm["worst_margin_db"]), "met" if frm["met"] else "NOT met"))
        lines.append("")
    if ranking is not None:
        lines.append(f"Channel ranking ({len(ranking)} rows: channel pairs x polarisations):")
        lines.append(f"{'rank':>4} {'go MHz':>10} {'ret MHz':>10} pol {'avail %':>10} {'TD dB':>6} {'from dB':>8}  ok")
        for r in ranking[:top]:
            lines.append(f"{r['rank']:>4} {r['f_go_mhz']:>10.2f} {r['f_return_mhz']:>10.2f}  {r['polarisation']}  "
                         f"{r['availability_percent']:>10.5f} {r['td_db']:>6.2f} {_f(r['from_margin_db']):>8}  "
                         f"{'yes' if r['met'] else 'no'}")
    return "\n".join(lines).rstrip()
