"""``spectrum p452``: Rec. ITU-R P.452-18 / -17 basic transmission loss over a profile file."""
from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np

HELP = "ITU-R P.452-18/-17 interference path loss over a terrain profile (CSV)"

_ZONE_NAMES = ("zone", "radio-climatic", "radioclimatic")
_CLUTTER_NAMES = ("clutter", "ground cover", "r_m", "r (m)")


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "p452", help=HELP, description=(
            "Basic transmission loss not exceeded for p % of time, Rec. ITU-R P.452-18 (or -17), with the "
            "intermediate losses. The profile is a CSV file whose first two columns are the distance from the "
            "transmitter (km, starting at 0) and the terrain height (m amsl); an optional zone column (1 coastal "
            "land, 2 inland, 3 sea) and clutter-height column (representative clutter height R, m) are found by "
            "header name ('zone', 'clutter'/'ground cover') or given with --zone-col / --clutter-col. A header "
            "row is optional. DN and N0 are inputs: the ITU-R maps are not redistributable."),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("profile", type=Path, help="profile CSV file")
    p.add_argument("--f-ghz", type=float, nargs="+", required=True, help="frequency or frequencies, 0.1-50 GHz")
    p.add_argument("--p", type=float, nargs="+", required=True, help="time percentage(s), 0.001-50 %%")
    p.add_argument("--htg", "--htg-m", dest="htg", type=float, required=True, help="Tx antenna height above ground (m)")
    p.add_argument("--hrg", "--hrg-m", dest="hrg", type=float, required=True, help="Rx antenna height above ground (m)")
    p.add_argument("--lat", type=float, default=None,
                   help="path-centre latitude (deg), for beta0; default: from the lat/lon columns of the profile "
                        "(e.g. written by 'spectrum profile --csv')")
    p.add_argument("--dn", type=float, default=45.0, help="DN, refractivity lapse rate at the path centre (N-units/km)")
    p.add_argument("--n0", type=float, default=325.0, help="N0, sea-level surface refractivity (N-units)")
    p.add_argument("--pol", choices=("h", "v"), default="h", help="polarisation")
    p.add_argument("--version", type=int, choices=(17, 18), default=18, help="revision of P.452")
    p.add_argument("--dct", type=float, default=500.0, help="Tx distance over land to the coast (km)")
    p.add_argument("--dcr", type=float, default=500.0, help="Rx distance over land to the coast (km)")
    p.add_argument("--press", type=float, default=1013.25, help="dry-air pressure (hPa)")
    p.add_argument("--temp", type=float, default=15.0, help="temperature (deg C)")
    p.add_argument("--gt", type=float, default=0.0, help="Tx gain towards the horizon (dBi), troposcatter")
    p.add_argument("--gr", type=float, default=0.0, help="Rx gain towards the horizon (dBi), troposcatter")
    p.add_argument("--ha-t", type=float, default=None, help="P.452-17: Tx nominal clutter height (m)")
    p.add_argument("--ha-r", type=float, default=None, help="P.452-17: Rx nominal clutter height (m)")
    p.add_argument("--dk-t", type=float, default=None, help="P.452-17: Tx nominal clutter distance (km)")
    p.add_argument("--dk-r", type=float, default=None, help="P.452-17: Rx nominal clutter distance (km)")
    p.add_argument("--zone-col", type=int, default=None, help="1-based column of the zone code (0: none)")
    p.add_argument("--clutter-col", type=int, default=None, help="1-based column of the clutter height (0: none)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)
    return p


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def read_profile(path: Path, zone_col: int | None = None, clutter_col: int | None = None):
    """Read a profile CSV: returns ``d_km, h_m, zone (or None), r_m (or None), ends (or None)``.

    ``ends`` is ``(lat_t, lon_t, lat_r, lon_r)`` when the header has ``lat`` and ``lon`` columns.
    """
    if not path.exists():
        raise FileNotFoundError(f"profile file {path} not found")
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            sample = fh.read(4096)
            fh.seek(0)
            delim = ";" if sample.count(";") > sample.count(",") else ("," if "," in sample else None)
            if delim is None:
                rows = [line.split() for line in fh if line.strip()]
            else:
                rows = [r for r in csv.reader(fh, delimiter=delim) if any(c.strip() for c in r)]
    except UnicodeDecodeError as exc:
        raise ValueError(f"profile file {path} is not a text file (undecodable byte at offset {exc.start}: "
                         f"{exc.reason})") from None
    if not rows:
        raise ValueError(f"profile file {path} is empty")
    header = None
    if not (_is_number(rows[0][0]) and _is_number(rows[0][1] if len(rows[0]) > 1 else "x")):
        header = [c.strip().lower() for c in rows[0]]
        rows = rows[1:]
    ncol = min(len(r) for r in rows)
    if ncol < 2:
        raise ValueError(f"profile file {path}: need at least two columns (d_km, h_m)")

    def numeric_col(j):
        try:
            return np.array([float(r[j]) for r in rows])
        except ValueError:
            return None

    def find(names, given, default_idx):
        if given is not None:
            if given == 0:
                return None
            if not 1 <= given <= ncol:
                raise ValueError(f"column {given} is outside 1..{ncol} in {path}")
            return given - 1
        if header is not None:
            hits = [j for j, c in enumerate(header[:ncol]) if any(nm in c for nm in names)]
            hits = [j for j in hits if numeric_col(j) is not None]
            return hits[-1] if hits else None
        return default_idx if default_idx is not None and default_idx < ncol else None

    try:
        d = np.array([float(r[0]) for r in rows])
        h = np.array([float(r[1]) for r in rows])
    except ValueError as exc:
        raise ValueError(f"profile file {path}: the first two columns must be numbers (d_km, h_m): {exc}") from None
    jz = find(_ZONE_NAMES, zone_col, 2)
    jc = find(_CLUTTER_NAMES, clutter_col, 3)
    zone = numeric_col(jz) if jz is not None else None
    if jz is not None and zone is None:
        raise ValueError(f"profile file {path}: zone column {jz + 1} is not numeric")
    r_m = numeric_col(jc) if jc is not None else None
    if jc is not None and r_m is None:
        raise ValueError(f"profile file {path}: clutter column {jc + 1} is not numeric")
    ends = None
    if header is not None and "lat" in header[:ncol] and "lon" in header[:ncol]:
        la = numeric_col(header.index("lat"))
        lo = numeric_col(header.index("lon"))
        if la is not None and lo is not None:
            ends = (float(la[0]), float(lo[0]), float(la[-1]), float(lo[-1]))
    return d, h, zone, r_m, ends


def run(args) -> int:
    from ..propagation import p452

    d, h, zone, r_m, ends = read_profile(args.profile, args.zone_col, args.clutter_col)
    if args.version == 17:
        r_m = None
    lat = args.lat
    if lat is None:
        if ends is None:
            raise ValueError("--lat (path-centre latitude) is required: the profile has no lat/lon columns")
        lat = p452.path_centre_latitude(*ends, d_km=float(d[-1]))
    path = p452.prepare_path(d, h, args.htg, args.hrg, zone=zone, r_m=r_m, version=args.version, dn=args.dn,
                             n0=args.n0, lat=lat, ha_t=args.ha_t, ha_r=args.ha_r, dk_t=args.dk_t,
                             dk_r=args.dk_r)
    f = np.asarray(args.f_ghz, dtype=float)[:, None]
    pp = np.asarray(args.p, dtype=float)[None, :]
    res = path.loss(f, pp, pol=args.pol, dct_km=args.dct, dcr_km=args.dcr, press_hpa=args.press,
                    temp_c=args.temp, gt_dbi=args.gt, gr_dbi=args.gr)
    fb, pb = np.broadcast_arrays(f, pp)
    cols = ["lb", "lbfsg", "lb0p", "lb0b", "ldsph", "ld50", "ldp", "lbs", "lba"]
    if args.version == 17:
        cols += ["aht", "ahr"]
    geo = {k: float(np.ravel(getattr(res, k))[0]) for k in
           ("dtot_km", "hts_m", "hrs_m", "theta_t_mrad", "theta_r_mrad", "theta_mrad", "hm_m", "hte_m", "hre_m",
            "hstd_m", "hsrd_m", "dlt_km", "dlr_km", "b0", "omega", "dtm_km", "dlm_km", "ae_km")}
    geo["path"] = "trans-horizon" if bool(np.ravel(res.trans_horizon)[0]) else "line-of-sight"
    geo["lat_centre"] = float(lat)
    rows = []
    for i, j in np.ndindex(fb.shape):
        row = {"f_ghz": float(fb[i, j]), "p": float(pb[i, j])}
        row.update({c: float(getattr(res, c)[i, j]) for c in cols})
        rows.append(row)
    if args.json:
        print(json.dumps({"model": f"ITU-R P.452-{args.version}", "profile": str(args.profile),
                          "inputs": {k: v for k, v in vars(args).items() if k not in ("func", "profile", "json",
                                                                                        "command")},
                          "geometry": geo, "results": rows}, indent=2))
        return 0
    print(f"ITU-R P.452-{args.version}  {args.profile}  d = {geo['dtot_km']:.3f} km  {geo['path']}  "
          f"b0 = {geo['b0']:.3f} %  omega = {geo['omega']:.3f}  ae = {geo['ae_km']:.1f} km")
    print(f"lat = {geo['lat_centre']:.4f} deg  "
          f"theta_t = {geo['theta_t_mrad']:.3f} mrad  theta_r = {geo['theta_r_mrad']:.3f} mrad  "
          f"theta = {geo['theta_mrad']:.3f} mrad  dlt = {geo['dlt_km']:.3f} km  dlr = {geo['dlr_km']:.3f} km  "
          f"hm = {geo['hm_m']:.2f} m")
    head = ["f_GHz", "p_%"] + [c.capitalize() if c != "lb" else "Lb" for c in cols]
    print("  ".join(f"{x:>9}" for x in head))
    for row in rows:
        print("  ".join([f"{row['f_ghz']:>9g}", f"{row['p']:>9g}"] + [f"{row[c]:>9.3f}" for c in cols]))
    return 0
