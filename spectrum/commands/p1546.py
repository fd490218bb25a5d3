"""``spectrum p1546``: Rec. ITU-R P.1546-6 field strength and basic transmission loss.

Examples::

    spectrum p1546 --f-mhz 600 --t 50 --d-km 10 20 50 100 --heff-m 150 --h2-m 10
    spectrum p1546 --f-mhz 98 --t 1 10 50 --d-km 40 --d-sea-km 60 --heff-m 300 --h2-m 10 --sea warm --json
    spectrum p1546 --f-mhz 600 --t 50 --q 95 --d-km 25 --heff-m 75 --h2-m 1.5 --area urban --erp-dbw 40
    spectrum p1546 --profile rburg.csv --f-mhz 98.2 --t 1 10 50 --ha-m 12 --h2-m 19
    spectrum p1546 --tx 31.10,121.20 --rx 31.40,121.60 --f-mhz 600 --t 50 --ha-m 150 --h2-m 10 --json

Distance form: the path data are given (``--d-km`` land or total with ``--area sea``;
``--d-sea-km`` adds a sea section; ``--heff-m`` is h1 of Annex 5 §3). Profile form (``--profile``
file as ``spectrum p1812`` reads it, or a DEM profile ``--tx``/``--rx``): h1, the clearance
angles, the land/sea lengths and the terminal heights come from the profile (Annex 5 §§3, 4.3,
11, 14); the receiver surroundings from the last sample's coverage code unless ``--area``.
"""
from __future__ import annotations

import argparse
import json

import numpy as np

from spectrum.commands._common import latlon, load_dem

_COV = {1: "sea", 2: "rural", 3: "suburban", 4: "urban", 5: "dense urban"}


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "p1546",
        help="ITU-R P.1546-6 point-to-area field strength (distance or profile form)",
        description=("Field strength exceeded at t %% time and q %% locations, and the equivalent basic "
                     "transmission loss, by Rec. ITU-R P.1546-6 (30 MHz - 4 GHz, 1-50 %% time)."),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("Examples::", 1)[1],
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--d-km", type=float, nargs="+", help="path length(s) (land part of a mixed path) [km]")
    src.add_argument("--profile", metavar="FILE", help="profile CSV (d_km,h_m[,r_m,ct,zone]) or SG3 'Table C' file")
    src.add_argument("--tx", type=latlon, metavar="LAT,LON", help="Tx position (DEM profile; needs --rx)")
    p.add_argument("--rx", type=latlon, metavar="LAT,LON", help="Rx position [deg]")
    p.add_argument("--dem", metavar="PATH", action="append", help="DEM file(s) or a tile folder for --tx/--rx")
    p.add_argument("--step-m", type=float, default=None, help="profile spacing for --tx/--rx [m]")
    p.add_argument("--d-sea-km", type=float, default=0.0, help="sea(-and-coastal) length of a mixed path [km]")
    p.add_argument("--f-mhz", type=float, nargs="+", required=True, help="frequency/frequencies [MHz], 30-4000")
    p.add_argument("--t", type=float, nargs="+", default=[50.0], help="time percentage(s) [%%], 1-50 (default 50)")
    p.add_argument("--q", type=float, default=50.0, help="location percentage [%%], 1-99 (default 50)")
    p.add_argument("--heff-m", type=float, default=None, help="effective Tx height h1 (distance form) [m]")
    p.add_argument("--ha-m", type=float, default=None, help="Tx antenna height above ground [m]")
    p.add_argument("--h2-m", type=float, required=True, help="Rx antenna height above ground [m]")
    p.add_argument("--area", default=None,
                   help="Rx surroundings: sea, rural, suburban, urban, 'dense urban' (default rural, or the profile's)")
    p.add_argument("--r1-m", type=float, default=None, help="clutter height around the Tx [m] (§10)")
    p.add_argument("--r2-m", type=float, default=None, help="representative clutter height at the Rx [m] (§9)")
    p.add_argument("--tca-deg", type=float, default=None, help="terrain clearance angle at the Rx (distance form)")
    p.add_argument("--sea", choices=("cold", "warm"), default="cold", help="sea type (default cold)")
    p.add_argument("--designate", action="store_true",
                   help="profile form: choose the transmitting/base terminal by Annex 5 §1.1 (may swap the ends)")
    p.add_argument("--wa-m", type=float, default=500.0, help="area width for location variability [m]")
    pw = p.add_mutually_exclusive_group()
    pw.add_argument("--erp-dbw", type=float, default=None, help="e.r.p. [dBW] (default 30 = 1 kW)")
    pw.add_argument("--erp-kw", type=float, default=None, help="e.r.p. [kW]")
    p.add_argument("--compat", choices=("recommendation", "reference"), default="recommendation",
                   help="follow the Recommendation's text (default) or the WP 3K reference code")
    p.add_argument("--json", action="store_true", help="print JSON with every intermediate value")
    p.set_defaults(func=run)


def _finite(name, v):
    if v is not None and not np.isfinite(v):
        raise ValueError(f"{name} = {v!r} must be finite")
    return v


def _no_nan(o):
    """NaN (a step that did not apply) as JSON null."""
    if isinstance(o, float):
        return None if o != o else o
    if isinstance(o, dict):
        return {k: _no_nan(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_no_nan(v) for v in o]
    return o


def run(args) -> int:
    from spectrum.propagation import p1546

    for nm in ("d_sea_km", "q", "heff_m", "ha_m", "h2_m", "r1_m", "r2_m", "tca_deg", "wa_m", "erp_dbw", "erp_kw"):
        _finite(f"--{nm.replace('_', '-')}", getattr(args, nm))
    for nm in ("d_km", "f_mhz", "t"):
        for v in getattr(args, nm) or ():
            _finite(f"--{nm.replace('_', '-')}", v)
    # 10^(erp/10) overflowed (a traceback) and an absurd e.r.p. gave absurd field strengths
    if args.erp_dbw is not None and not -100.0 <= args.erp_dbw <= 100.0:
        raise ValueError(f"--erp-dbw = {args.erp_dbw:g} is outside the plausible range [-100, 100] dBW")
    if args.erp_kw is not None and not 0.0 < args.erp_kw <= 1e7:
        raise ValueError(f"--erp-kw = {args.erp_kw:g} is outside the plausible range (0, 1e7] kW")
    erp_kw = 1.0
    if args.erp_kw is not None:
        erp_kw = args.erp_kw
    elif args.erp_dbw is not None:
        erp_kw = 10.0 ** (args.erp_dbw / 10.0) / 1000.0
    f = np.asarray(args.f_mhz, dtype=float)[:, None]
    t = np.asarray(args.t, dtype=float)[None, :]
    common = dict(q=args.q, sea=args.sea, wa_m=args.wa_m, erp_kw=erp_kw, compat=args.compat, r1_m=args.r1_m,
                  r2_m=args.r2_m)
    if args.d_km is not None:
        if args.heff_m is None:
            raise ValueError("--heff-m (h1 of Annex 5 §3) is required with --d-km")
        area = args.area or "rural"
        d = np.asarray(args.d_km, dtype=float)
        shape = (f.shape[0], t.shape[1], d.size)
        dl, ds = (0.0 * d, d) if area == "sea" and args.d_sea_km == 0.0 else (d, args.d_sea_km + 0.0 * d)
        r = p1546.field_strength(f[:, :, None], t[:, :, None], args.heff_m, args.h2_m, d_land_km=dl, d_sea_km=ds,
                                 area=area, ha_m=args.ha_m, tca_deg=args.tca_deg, **common)
        inputs = {"d_km": (dl + ds).tolist(), "d_sea_km": np.broadcast_to(ds, d.shape).tolist()}
        source = "distance form"
    else:
        if args.ha_m is None:
            raise ValueError("--ha-m (Tx antenna height above ground) is required with a profile")
        if args.profile:
            from spectrum.commands.p1812 import read_profile

            prof = read_profile(args.profile)
            source = prof["source"]
        else:
            if args.rx is None:
                raise ValueError("--tx needs --rx")
            from spectrum import terrain

            dem = load_dem(args.dem)
            dd, hh = terrain.profile(dem, args.tx, args.rx, step_m=args.step_m)
            prof = {"d_km": np.asarray(dd), "h_m": np.asarray(hh)}
            source = f"DEM {dem.attrs.get('source', '')}".strip()
        area = args.area
        if area is None:
            ct = prof.get("ct")
            area = _COV.get(int(ct[-1]), "rural") if ct is not None else "rural"
        r2 = args.r2_m
        if r2 is None and prof.get("r_m") is not None and area != "sea":
            r2 = float(prof["r_m"][-1]) or None
        common["r2_m"] = r2
        r1 = args.r1_m
        if r1 is None and args.designate and prof.get("r_m") is not None:
            r1 = float(prof["r_m"][0])
        area_tx = None
        if prof.get("ct") is not None:
            area_tx = _COV.get(int(prof["ct"][0]), "rural")
        shape = (f.shape[0], t.shape[1])
        r = p1546.field_strength_profile(prof["d_km"], prof["h_m"], f, t, args.ha_m, args.h2_m,
                                         zone=prof.get("zone"), area=area, designate=args.designate,
                                         area_tx=area_tx, **{k: v for k, v in common.items() if k != "r1_m"},
                                         r1_m=r1)
        g = p1546.profile_inputs(prof["d_km"], prof["h_m"], args.ha_m, args.h2_m, zone=prof.get("zone"))
        inputs = {k: float(v) for k, v in g.items()}
        source = str(source)
    e = np.broadcast_to(np.asarray(r.e_dbuvm), shape)
    lb = np.broadcast_to(np.asarray(r.lb_db), shape)
    if args.json:
        out = {"model": p1546.REVISION, "compat": args.compat, "source": source, "f_mhz": list(args.f_mhz),
               "t": list(args.t), "q": args.q, "area": area, "erp_kw": erp_kw, "inputs": inputs,
               "e_dbuvm": e.tolist(), "lb_db": lb.tolist(),
               "intermediates": {k: np.broadcast_to(np.asarray(v), shape).tolist() for k, v in r.inter.items()}}
        print(json.dumps(_no_nan(out), indent=1))
        return 0
    print(f"{p1546.REVISION} ({args.compat}), {source}, area {area}, q {args.q:g} %, e.r.p. {erp_kw:g} kW")
    if args.d_km is not None:
        print(f"{'f MHz':>9} {'t %':>6} {'d km':>9} {'E dB(uV/m)':>11} {'Lb dB':>9}")
        for i, fi in enumerate(args.f_mhz):
            for j, tj in enumerate(args.t):
                for k, dk in enumerate(inputs["d_km"]):
                    print(f"{fi:9.3f} {tj:6.2f} {dk:9.3f} {e[i, j, k]:11.3f} {lb[i, j, k]:9.3f}")
    else:
        print("profile: " + ", ".join(f"{k} {v:.4g}" for k, v in inputs.items() if v == v))
        print(f"{'f MHz':>9} {'t %':>6} {'E dB(uV/m)':>11} {'Lb dB':>9}")
        for i, fi in enumerate(args.f_mhz):
            for j, tj in enumerate(args.t):
                print(f"{fi:9.3f} {tj:6.2f} {e[i, j]:11.3f} {lb[i, j]:9.3f}")
    return 0
