"""``spectrum p2001``: Rec. ITU-R P.2001-4 basic transmission loss over a profile file."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from ._common import latlon

HELP = "ITU-R P.2001-4 wide-range path loss (30 MHz-50 GHz, any %% of time) over a terrain profile"

TABLE_COLS = ["lb", "lbfs", "ld", "a1", "lbm1", "lba", "lbm2", "lbs", "lbm3", "lbm4"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "p2001", help=HELP, description=(
            "Basic transmission loss not exceeded for p % of an average year, Rec. ITU-R P.2001-4, with the "
            "sub-model losses. The profile file is either the ITU-R validation-workbook form (header lines "
            "TxCoordE/TxCoordN/RxCoordE/RxCoordN, then d_km,h_m,zone rows) or a CSV whose first columns are the "
            "distance from the transmitter (km, from 0) and the terrain height (m amsl), with a zone column "
            "(1 sea, 3 coastal land, 4 inland; found by header name 'zone', else the third column, else --zone) "
            "and optional lat/lon columns (e.g. from 'spectrum profile --csv'). P.2001's ITU-R climate maps "
            "may not be redistributed: give their values (--nd1km50, --nd1kmp or --dn-sup/--dn-sub, --nd65m1, "
            "--wvsur*, --ztropo, --foes1/--foes2 or --foes-maps); the rain parameters are read from the itur "
            "maps (extra [maps]) unless --mt/--beta/--pr6/--h0 are given."),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("profile", type=Path, help="profile file")
    p.add_argument("--f-ghz", type=float, nargs="+", required=True, help="frequency or frequencies, 0.03-50 GHz")
    p.add_argument("--p", type=float, nargs="+", required=True, help="time percentage(s), 0.00001-99.99999 %%")
    p.add_argument("--htg", "--htg-m", dest="htg", type=float, required=True, help="Tx antenna height above ground (m)")
    p.add_argument("--hrg", "--hrg-m", dest="hrg", type=float, required=True, help="Rx antenna height above ground (m)")
    p.add_argument("--tx", type=latlon, default=None, metavar="LAT,LON", help="Tx position (default: from the file)")
    p.add_argument("--rx", type=latlon, default=None, metavar="LAT,LON", help="Rx position (default: from the file)")
    p.add_argument("--zone", type=float, default=None,
                   help="zone code for every point when the file has no zone column (1 sea, 3 coastal, 4 inland)")
    p.add_argument("--pol", choices=("h", "v"), default="h", help="polarisation")
    p.add_argument("--gt", type=float, default=0.0, help="Tx gain towards Rx / horizon (dBi), troposcatter")
    p.add_argument("--gr", type=float, default=0.0, help="Rx gain towards Tx / horizon (dBi), troposcatter")
    g = p.add_argument_group("climate-map values at the points P.2001 names")
    g.add_argument("--nd1km50", type=float, required=True, help="median refractivity gradient, lowest 1 km (N/km)")
    g.add_argument("--nd1kmp", type=float, nargs="+", default=None,
                   help="gradient not exceeded for p %% (one value, or one per --p)")
    g.add_argument("--dn-sup", type=float, default=None, help="DN_SupSlope at the mid-point (instead of --nd1kmp)")
    g.add_argument("--dn-sub", type=float, default=None, help="DN_SubSlope at the mid-point (instead of --nd1kmp)")
    g.add_argument("--nd65m1", type=float, required=True, help="gradient, lowest 65 m, not exceeded 1 %% (N/km)")
    g.add_argument("--wvsur", type=float, required=True, help="surface water-vapour density at the mid-point (g/m3)")
    g.add_argument("--wvsur-tx", type=float, default=None, help="... at Tx (default: --wvsur)")
    g.add_argument("--wvsur-rx", type=float, default=None, help="... at Rx (default: --wvsur)")
    g.add_argument("--ztropo", type=int, required=True, help="troposcatter climate zone 0-6 (TropoClim)")
    g.add_argument("--foes1", type=float, nargs="+", default=None, help="FoEs 1 hop at p %% (MHz), one or one per --p")
    g.add_argument("--foes2", type=float, nargs="+", default=None, help="FoEs 2 hops at p %% (MHz)")
    g.add_argument("--foes-maps", type=float, nargs=4, default=None, metavar=("F0.1", "F1", "F10", "F50"),
                   help="FoEs map values at 0.1/1/10/50 %% (MHz), for both hops (instead of --foes1/--foes2)")
    g.add_argument("--mt", type=float, nargs="+", default=None, help="Mt (mm): 1 value or 3 (mid, Tx-cv, Rx-cv)")
    g.add_argument("--beta", type=float, nargs="+", default=None, help="beta: 1 or 3 values")
    g.add_argument("--pr6", type=float, nargs="+", default=None, help="Pr6 (%%): 1 or 3 values")
    g.add_argument("--h0", type=float, nargs="+", default=None, help="h0 (km): 1 or 3 values")
    p.add_argument("--json", action="store_true", help="machine-readable output (every intermediate)")
    p.set_defaults(func=run)
    return p


def read_workbook_profile(path: Path):
    """ITU-R validation-workbook profile: ``(d, h, zone, (lat_t, lon_t, lat_r, lon_r))`` or ``None`` if not that form."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"profile file {path} is not a text file (undecodable byte at offset {exc.start})") from None
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    keys = {}
    data = []
    for ln in lines:
        cells = [c.strip() for c in ln.split(",")]
        try:
            vals = [float(c) for c in cells if c != ""]
        except ValueError:
            if len(cells) >= 2:
                keys[cells[0].lower()] = cells[1]
            continue
        if len(vals) >= 3:
            data.append(vals[:3])
    if not {"txcoorde", "txcoordn", "rxcoorde", "rxcoordn"} <= set(keys):
        return None
    if not data:
        raise ValueError(f"profile file {path}: no d_km,h_m,zone rows")
    try:
        ends = (float(keys["txcoordn"]), float(keys["txcoorde"]), float(keys["rxcoordn"]), float(keys["rxcoorde"]))
    except ValueError:
        raise ValueError(f"profile file {path}: terminal coordinates are not numbers") from None
    a = np.array(data)
    return a[:, 0], a[:, 1], a[:, 2], ends


def _per_p(name, vals, n_p):
    if vals is None:
        return None
    if len(vals) == 1:
        return np.full(n_p, vals[0])
    if len(vals) != n_p:
        raise ValueError(f"--{name} has {len(vals)} values; give one, or one per --p ({n_p})")
    return np.asarray(vals, dtype=float)


def run(args) -> int:
    from ..propagation import p2001
    from .p452 import read_profile

    if not args.profile.exists():
        raise ValueError(f"profile file {args.profile} not found")
    wb = read_workbook_profile(args.profile)
    if wb is not None:
        d, h, zone, ends = wb
    else:
        d, h, zone, _r, ends = read_profile(args.profile, None, 0)
        if zone is None:
            if args.zone is None:
                raise ValueError("the profile has no zone column: give --zone (1 sea, 3 coastal land, 4 inland)")
            zone = np.full(d.shape, float(args.zone))
    if args.tx is not None and args.rx is not None:
        ends = (*args.tx, *args.rx)
    elif args.tx is not None or args.rx is not None:
        raise ValueError("give both --tx and --rx, or neither (positions from the profile file)")
    if ends is None:
        raise ValueError("terminal positions are needed: give --tx LAT,LON --rx LAT,LON (the profile has none)")
    n_p = len(args.p)
    nd1kmp = _per_p("nd1kmp", args.nd1kmp, n_p)
    if nd1kmp is None and (args.dn_sup is None or args.dn_sub is None):
        raise ValueError("give --nd1kmp, or both --dn-sup and --dn-sub")
    if args.foes_maps is not None:
        foes1 = foes2 = np.array([p2001.foes_from_maps(pp, *args.foes_maps) for pp in args.p])
    else:
        foes1 = _per_p("foes1", args.foes1, n_p)
        foes2 = _per_p("foes2", args.foes2, n_p)
        if foes1 is None or foes2 is None:
            raise ValueError("give --foes1 and --foes2 (FoEs at p %), or --foes-maps F0.1 F1 F10 F50")
    rain = [args.mt, args.beta, args.pr6, args.h0]
    for nm, v in zip(("mt", "beta", "pr6", "h0"), rain):
        if v is not None and len(v) not in (1, 3):
            raise ValueError(f"--{nm} takes 1 value or 3 (mid-point, Tx-cv, Rx-cv); got {len(v)}")
    lat_t, lon_t, lat_r, lon_r = ends
    path = p2001.prepare_path(d, h, zone, args.htg, args.hrg, lat_t=lat_t, lon_t=lon_t, lat_r=lat_r, lon_r=lon_r,
                              nd1km50=args.nd1km50)
    f = np.asarray(args.f_ghz, dtype=float)[:, None]
    pp = np.asarray(args.p, dtype=float)[None, :]
    res = path.loss(f, pp, nd1kmp=None if nd1kmp is None else nd1kmp[None, :], dn_sup=args.dn_sup,
                    dn_sub=args.dn_sub, nd1km50=args.nd1km50, nd65m1=args.nd65m1, wvsur_mid_gm3=args.wvsur,
                    wvsur_tx_gm3=args.wvsur if args.wvsur_tx is None else args.wvsur_tx,
                    wvsur_rx_gm3=args.wvsur if args.wvsur_rx is None else args.wvsur_rx, ztropo=args.ztropo,
                    foes1_mhz=foes1[None, :], foes2_mhz=foes2[None, :], pol=args.pol, gt_dbi=args.gt,
                    gr_dbi=args.gr, mt_mm=None if args.mt is None else np.asarray(args.mt),
                    beta=None if args.beta is None else np.asarray(args.beta),
                    pr6_pct=None if args.pr6 is None else np.asarray(args.pr6),
                    h0_km=None if args.h0 is None else np.asarray(args.h0))
    fb, pb = np.broadcast_arrays(f, pp)
    geo = path.geometry()
    loss_names = list(p2001.LOSS_FIELDS)
    rows = []
    for i, j in np.ndindex(fb.shape):
        row = {"f_ghz": float(fb[i, j]), "p": float(pb[i, j])}
        row.update({c: float(getattr(res, c)[i, j]) for c in loss_names})
        rows.append(row)
    if args.json:
        print(json.dumps({"model": "ITU-R P.2001-4", "profile": str(args.profile),
                          "inputs": {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(args).items()
                                     if k not in ("func", "profile", "json", "command")},
                          "terminals": {"lat_t": lat_t, "lon_t": lon_t, "lat_r": lat_r, "lon_r": lon_r},
                          "geometry": geo, "results": rows}, indent=2))
        return 0
    kind = "line-of-sight" if geo["flag_los50"] else "trans-horizon"
    print(f"ITU-R P.2001-4  {args.profile}  d = {geo['d_km']:.3f} km  {kind}  omega = {geo['omega']:.3f}  "
          f"ae = {geo['reff50_km']:.1f} km")
    print(f"theta_t = {geo['theta_t_mrad']:.3f} mrad  theta_r = {geo['theta_r_mrad']:.3f} mrad  "
          f"dlt = {geo['dlt_km']:.3f} km  dlr = {geo['dlr_km']:.3f} km  hm = {geo['hm_m']:.2f} m")
    head = ["f_GHz", "p_%"] + [c.capitalize() if c != "lb" else "Lb" for c in TABLE_COLS]
    print("  ".join(f"{x:>9}" for x in head))
    for row in rows:
        print("  ".join([f"{row['f_ghz']:>9g}", f"{row['p']:>9g}"] + [f"{row[c]:>9.3f}" for c in TABLE_COLS]))
    return 0
