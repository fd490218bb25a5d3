"""``spectrum p1812``: Rec. ITU-R P.1812-6 point-to-area prediction over a terrain profile.

Examples::

    spectrum p1812 --profile path.csv --f-mhz 600 --p 50 --htg-m 150 --hrg-m 10 --lat 31.2
    spectrum p1812 --profile path.csv --f-mhz 100 600 2100 --p 1 10 50 --htg-m 150 --hrg-m 10 \\
        --lat 31.2 --pl 90 --sigma-l 5.5 --erp-dbw 40
    spectrum p1812 --tx 31.10,121.20 --rx 31.40,121.60 --f-mhz 600 --htg-m 150 --hrg-m 10 --json
    spectrum p1812 --profile rburg.csv --f-mhz 600 --htg-m 12 --hrg-m 19   # ITU-R SG3 'Table C' file

Profile files:

* CSV with a header naming the columns ``d_km``, ``h_m`` and optionally ``r_m``
  (representative clutter height; aliases ``r``, ``clutter_m``), ``ct`` (coverage code
  1-5; alias ``coverage``) and ``zone`` (1 sea, 3 coastal land, 4 inland) — the output of
  ``spectrum profile --csv`` works as is (its ``lat``, ``lon`` columns give the terminal
  coordinates). Without a header the columns are taken in that order: ``d_km,h_m[,r_m,ct,zone]``.
* An ITU-R SG3 data-bank profile ('Table C' format, ``{Begin of Profile}`` block): its
  terminal coordinates, dN and N0 are used unless given on the command line.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from spectrum.commands._common import data_lines, latlon, load_dem, read_text

_ALIASES = {
    "d_km": "d_km", "d": "d_km", "distance_km": "d_km",
    "h_m": "h_m", "h": "h_m", "height_m": "h_m",
    "r_m": "r_m", "r": "r_m", "clutter_m": "r_m", "clutter_height_m": "r_m",
    "ct": "ct", "coverage": "ct", "coverage_code": "ct",
    "zone": "zone", "radio_met_code": "zone", "zone_p452": "zone_p452",
    "lat": "lat", "lon": "lon",
}


def read_profile(path) -> dict:
    """Read a P.1812 profile file (CSV or ITU-R SG3 'Table C'); returns a dict of arrays and metadata."""
    path = Path(path)
    text = read_text(path)
    if "{Begin of Profile" in text:
        return _read_table_c(path, text)
    lines = data_lines(path, text)
    first = [c.strip().lower() for c in lines[0].replace(";", ",").split(",")]
    try:
        [float(c) for c in first if c]
        header = None
    except ValueError:
        header = first
    rows = lines[1:] if header else lines
    if header:
        unknown = [c for c in header if c not in _ALIASES]
        if unknown:
            raise ValueError(f"{path}: unknown column(s) {unknown}; expected d_km, h_m[, r_m, ct, zone]")
        cols = [_ALIASES[c] for c in header]
        if "d_km" not in cols or "h_m" not in cols:
            raise ValueError(f"{path}: CSV needs columns d_km and h_m, found {header}")
    else:
        cols = ["d_km", "h_m", "r_m", "ct", "zone"]
    data = []
    for k, ln in enumerate(rows):
        parts = [p.strip() for p in ln.replace(";", ",").split(",")] if ("," in ln or ";" in ln) else ln.split()
        try:
            vals = [float(p) for p in parts[:len(cols)]]
        except ValueError:
            raise ValueError(f"{path}: line {k + (2 if header else 1)} is not numeric: {ln!r}") from None
        if len(vals) < 2:
            raise ValueError(f"{path}: line {k + (2 if header else 1)} needs at least d_km,h_m: {ln!r}")
        data.append(vals)
    width = min(len(r) for r in data)
    arr = np.array([r[:width] for r in data])
    out = {"source": str(path)}
    for i, name in enumerate(cols[:width]):
        out[name] = arr[:, i]
    if "zone_p452" in out:  # 'spectrum profile --zones --csv': P.452 codes, not P.1812's
        out["zone"] = zone_from_p452(out.pop("zone_p452"), "P.1812")
        out["zone_coding"] = "p452"
    return out


def zone_from_p452(z, model: str = "P.1812") -> np.ndarray:
    """P.452-18 Table 3 zone codes (1 coastal land, 2 inland, 3 sea) as the codes of P.1812 / P.2001 /
    P.1546 (1 sea, 3 coastal land, 4 inland): the two codings swap sea and coastal land."""
    z = np.asarray(z, dtype=float)
    bad = ~np.isin(z, (1.0, 2.0, 3.0))
    if np.any(bad):
        raise ValueError(f"zone_p452 = {z[bad][0]:g} is not a P.452 zone code (1 coastal land, 2 inland, 3 sea)")
    return np.choose(z.astype(int) - 1, [3.0, 4.0, 1.0])


def _read_table_c(path: Path, text: str) -> dict:
    meta = {}
    prof = []
    inside = False
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("{Begin of Profile"):
            inside = True
            continue
        if s.startswith("{End of Profile"):
            break
        parts = [p.strip() for p in s.split(",")]
        if inside:
            try:
                prof.append([float(x) for x in parts[:5]])
            except ValueError:
                continue
        elif len(parts) >= 2 and parts[1]:
            key = parts[0].lower()
            try:
                val = float(parts[1])
            except ValueError:
                continue
            if key.startswith("tx lat"):
                meta["lat_t"] = val
            elif key.startswith("tx lon"):
                meta["lon_t"] = val
            elif key.startswith("rx lat"):
                meta["lat_r"] = val
            elif key.startswith("rx lon"):
                meta["lon_r"] = val
            elif "dn" in key and "n-units/km" in key:
                meta["dn"] = val
            elif "no" in key and "refractivity" in key:
                meta["n0"] = val
    if not prof:
        raise ValueError(f"{path}: no profile rows between {{Begin of Profile}} and {{End of Profile}}")
    a = np.array(prof)
    return {"source": str(path), "d_km": a[:, 0], "h_m": a[:, 1], "ct": a[:, 2], "r_m": a[:, 3],
            "zone": a[:, 4], "meta": meta}


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "p1812",
        help="ITU-R P.1812-6 point-to-area loss and field strength over a terrain profile",
        description=("Basic transmission loss Lb not exceeded for p % time and pl % locations, and the "
                     "field strength Ep (1 kW e.r.p., or --erp-dbw) with Rec. ITU-R P.1812-6, "
                     "30 MHz to 6 GHz, over a profile file or a DEM profile between --tx and --rx."),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("Examples::", 1)[1],
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--profile", metavar="FILE", help="profile CSV (d_km,h_m[,r_m,ct,zone]) or SG3 'Table C' file")
    src.add_argument("--tx", type=latlon, metavar="LAT,LON", help="Tx position (profile from the DEM; needs --rx)")
    p.add_argument("--rx", type=latlon, metavar="LAT,LON", help="Rx position [deg]")
    p.add_argument("--dem", metavar="PATH", action="append", help="DEM file(s) or a tile folder for --tx/--rx (default terrain if omitted)")
    p.add_argument("--step-m", type=float, default=None, help="profile spacing for --tx/--rx [m]")
    fr = p.add_mutually_exclusive_group(required=True)
    fr.add_argument("--f-mhz", type=float, nargs="+", help="frequency/frequencies [MHz], 30 to 6000")
    fr.add_argument("--f-ghz", type=float, nargs="+", help="frequency/frequencies [GHz], 0.03 to 6")
    p.add_argument("--p", type=float, nargs="+", default=[50.0], help="time percentage(s) [%%], 1 to 50 (default 50)")
    p.add_argument("--htg-m", "--htg", dest="htg_m", type=float, required=True, help="Tx antenna height above ground [m]")
    p.add_argument("--hrg-m", "--hrg", dest="hrg_m", type=float, required=True, help="Rx antenna height above ground [m]")
    p.add_argument("--pol", default="h", help="polarisation h|v (default h)")
    p.add_argument("--pl", type=float, default=50.0, help="location percentage [%%], 1 to 99 (default 50)")
    p.add_argument("--sigma-l", default="0",
                   help="location variability std [dB] (default 0), or 'auto' for §4.8 Eq. (66) with --wa-m")
    p.add_argument("--wa-m", type=float, default=100.0, help="prediction resolution for --sigma-l auto [m]")
    p.add_argument("--dn", type=float, default=None, help="refractivity lapse rate dN [N-units/km] (default 45)")
    p.add_argument("--n0", type=float, default=None, help="sea-level surface refractivity N0 [N-units] (default 325)")
    p.add_argument("--dct-km", "--dct", dest="dct_km", type=float, default=None,
                   help="Tx distance to the coast over land [km] (default 500)")
    p.add_argument("--dcr-km", "--dcr", dest="dcr_km", type=float, default=None,
                   help="Rx distance to the coast over land [km] (default 500)")
    p.add_argument("--zone-coding", choices=("p1812", "p452"), default="p1812",
                   help="meaning of the file's zone column: p1812 (1 sea, 3 coastal land, 4 inland; default) "
                        "or p452 (1 coastal land, 2 inland, 3 sea, as 'spectrum p452' profiles)")
    p.add_argument("--lat", type=float, default=None, help="path-centre latitude [deg] (else from the terminals)")
    p.add_argument("--tx-latlon", type=latlon, default=None, metavar="LAT,LON",
                   help="Tx coordinates for a --profile file (path-centre latitude)")
    p.add_argument("--rx-latlon", type=latlon, default=None, metavar="LAT,LON",
                   help="Rx coordinates for a --profile file (path-centre latitude)")
    p.add_argument("--attachment4", action="store_true",
                   help="smooth-path Bullington loss from Attachment 4 (no profile analysis) instead of the profile")
    p.add_argument("--erp-dbw", type=float, default=30.0, help="e.r.p. for the field strength [dBW] (default 30 = 1 kW)")
    p.add_argument("--json", action="store_true", help="print JSON with every intermediate value")
    p.set_defaults(func=run)


def run(args) -> int:
    from spectrum.propagation import p1812

    meta = {}
    if args.profile:
        prof = read_profile(args.profile)
        meta = prof.get("meta", {})
        if "lat" in prof and "lon" in prof:  # e.g. ``spectrum profile --csv``: terminals from the end rows
            meta.update(lat_t=float(prof["lat"][0]), lon_t=float(prof["lon"][0]),
                        lat_r=float(prof["lat"][-1]), lon_r=float(prof["lon"][-1]))
        if args.tx_latlon:
            meta["lat_t"], meta["lon_t"] = args.tx_latlon
        if args.rx_latlon:
            meta["lat_r"], meta["lon_r"] = args.rx_latlon
        source = prof["source"]
    else:
        if args.rx is None:
            raise ValueError("--tx needs --rx")
        from spectrum import terrain

        dem = load_dem(args.dem)
        d, h = terrain.profile(dem, args.tx, args.rx, step_m=args.step_m)
        prof = {"d_km": np.asarray(d), "h_m": np.asarray(h)}
        meta = {"lat_t": args.tx[0], "lon_t": args.tx[1], "lat_r": args.rx[0], "lon_r": args.rx[1]}
        source = f"DEM {dem.attrs.get('source', '')}".strip()
    loc = {}
    if args.lat is not None:
        loc["lat"] = args.lat
    elif all(k in meta for k in ("lat_t", "lon_t", "lat_r", "lon_r")):
        loc = {k: meta[k] for k in ("lat_t", "lon_t", "lat_r", "lon_r")}
    else:
        raise ValueError("give the path-centre latitude --lat, or --tx-latlon and --rx-latlon")
    if str(args.sigma_l).strip().lower() == "auto":
        sigma_l = None
    else:
        try:
            sigma_l = float(args.sigma_l)
        except ValueError:
            raise ValueError(f"--sigma-l = {args.sigma_l!r} is not a number or 'auto'") from None
    f_list = [f / 1000.0 for f in args.f_mhz] if args.f_mhz else list(args.f_ghz)
    ff, pp = np.meshgrid(np.array(f_list, float), np.array(args.p, float), indexing="ij")
    ff, pp = ff.ravel(), pp.ravel()
    k = ff.size
    d = np.broadcast_to(prof["d_km"], (k, prof["d_km"].size))
    h = np.broadcast_to(prof["h_m"], d.shape)
    kw = dict(p=pp, htg_m=args.htg_m, hrg_m=args.hrg_m, pol=args.pol, pl=args.pl, sigma_l=sigma_l,
              wa_m=args.wa_m, dn=args.dn if args.dn is not None else meta.get("dn", 45.0),
              n0=args.n0 if args.n0 is not None else meta.get("n0", 325.0),
              dct_km=args.dct_km, dcr_km=args.dcr_km,
              lbulls_method="attachment4" if args.attachment4 else "profile", **loc)
    if "zone" in prof and args.zone_coding == "p452" and prof.get("zone_coding") != "p452":
        z = prof["zone"]
        bad = ~np.isin(z, (1.0, 2.0, 3.0))
        if np.any(bad):
            raise ValueError(f"zone = {z[bad][0]:g} is not a P.452 zone code (1 coastal land, 2 inland, 3 sea)")
        prof["zone"] = np.choose(z.astype(int) - 1, [3.0, 4.0, 1.0])
    for name in ("r_m", "ct", "zone"):
        if name in prof:
            kw[name] = np.broadcast_to(prof[name], d.shape)
    if args.f_mhz:
        res = p1812.basic_transmission_loss(d, h, f_mhz=ff * 1000.0, **kw)
    else:
        res = p1812.basic_transmission_loss(d, h, ff, **kw)
    e = p1812.field_strength_dbuvm(res.lb, ff, args.erp_dbw)
    if args.json:
        doc = {
            "model": "ITU-R P.1812-6",
            "profile": source,
            "n_points": int(prof["d_km"].size),
            "inputs": {"htg_m": args.htg_m, "hrg_m": args.hrg_m, "pol": args.pol, "pl": args.pl,
                       "sigma_l_db": sigma_l, "dn": kw["dn"], "n0": kw["n0"], "erp_dbw": args.erp_dbw, **loc},
            "results": [],
        }
        for i in range(k):
            row = {"f_mhz": ff[i] * 1000.0, "p": pp[i],
                   **{name: float(getattr(res, name)[i]) for name in p1812.FIELDS},
                   "e_dbuvm": float(np.atleast_1d(e)[i])}
            row["path_type"] = "LoS" if row["path_type"] == 1.0 else "trans-horizon"
            doc["results"].append(row)
        print(json.dumps(doc, indent=1))
        return 0
    d_tot = float(res.d_km[0])
    kind = "line-of-sight" if res.path_type[0] == 1.0 else "trans-horizon"
    lines = [
        f"ITU-R P.1812-6  {source}",
        f"  path {d_tot:.3f} km, {prof['d_km'].size} points, {kind}; path-centre lat {res.phi_path[0]:.4f} deg",
        f"  htg {args.htg_m:g} m, hrg {args.hrg_m:g} m, pol {args.pol}, dN {kw['dn']:g}, N0 {kw['n0']:g}, "
        f"b0 {res.b0[0]:.3f} %, sea fraction {res.omega[0]:.3f}",
        f"  pl {args.pl:g} %, sigma_L {res.sigma_l[0]:.2f} dB; E for e.r.p. {args.erp_dbw:g} dBW",
        "",
        f"{'f_MHz':>9} {'p_%':>6} {'Lb_dB':>9} {'E_dBuV/m':>9} {'Lbfs':>8} {'Ld50':>7} {'Ldp':>7} "
        f"{'Lbs':>8} {'Lba':>8} {'Lbc':>8}",
    ]
    ee = np.atleast_1d(e)
    for i in range(k):
        lines.append(f"{ff[i] * 1000.0:9.2f} {pp[i]:6.2f} {res.lb[i]:9.3f} {ee[i]:9.3f} {res.lbfs[i]:8.3f} "
                     f"{res.ld50[i]:7.3f} {res.ldp[i]:7.3f} {res.lbs[i]:8.3f} {res.lba[i]:8.3f} {res.lbc[i]:8.3f}")
    print("\n".join(lines))
    return 0
