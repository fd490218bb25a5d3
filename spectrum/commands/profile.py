"""``spectrum profile``: terrain profile between two points (great circle, bilinear heights).

Examples::

    spectrum profile --tx 31.10,121.20 --rx 31.40,121.60
    spectrum profile --tx 31.10,121.20 --rx 31.40,121.60 --step-m 90 --csv path.csv
    spectrum profile --tx 31.10,121.20 --rx 31.40,121.60 --dem N31E121.hgt --json
    spectrum profile --tx 31.00,121.00 --rx 31.20,122.40 --zones --csv path.csv

The CSV has the columns ``d_km,h_m,lat,lon`` (the first two are what ``spectrum p452``
reads as a profile), and ``zone`` with ``--zones`` (found by ``spectrum p452`` by name).
"""
from __future__ import annotations

import argparse
import io
import json
import sys

import numpy as np


def _latlon(text: str) -> tuple[float, float]:
    try:
        a, b = text.split(",")
        return float(a), float(b)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected LAT,LON in degrees, got {text!r}") from exc


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "profile",
        help="terrain profile between two points (great circle, bilinear heights)",
        description=("Extract the terrain profile along the great circle from --tx to --rx "
                     "(6371 km sphere, equally spaced samples, bilinear heights). Terrain: --dem "
                     "(SRTM .hgt, GeoTIFF or NetCDF) or the default terrain (Shanghai region)."),
    )
    p.add_argument("--tx", required=True, type=_latlon, metavar="LAT,LON", help="start point [deg]")
    p.add_argument("--rx", required=True, type=_latlon, metavar="LAT,LON", help="end point [deg]")
    p.add_argument("--dem", metavar="FILE", action="append",
                   help="DEM file (.hgt, .tif, .nc); repeat to mosaic adjacent tiles. Default: default_dem()")
    p.add_argument("--step-m", type=float, default=None, metavar="M",
                   help="maximum sample spacing [m] (default: the DEM resolution, ~90 m for 3\")")
    p.add_argument("--zones", action="store_true",
                   help="add a 'zone' column: P.452-18 radio-climatic zone of each sample from the DEM "
                        "(1 coastal land within 50 km of the sea and below 100 m, 2 inland, 3 sea = heights <= 0 m)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--csv", metavar="FILE", help="write d_km,h_m,lat,lon to FILE ('-' for stdout)")
    out.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def _load(dem_files):
    from spectrum import terrain

    if not dem_files:
        from spectrum.datasets.terrain import default_dem

        return default_dem()
    if len(dem_files) == 1:
        return terrain.load_dem(dem_files[0])
    return terrain.mosaic(dem_files)


def _csv_text(d, h, la, lo, zones=None) -> str:
    buf = io.StringIO()
    if zones is None:
        buf.write("d_km,h_m,lat,lon\n")
        for row in zip(d, h, la, lo):
            buf.write(f"{row[0]:.6f},{row[1]:.3f},{row[2]:.7f},{row[3]:.7f}\n")
    else:
        buf.write("d_km,h_m,lat,lon,zone\n")
        for row in zip(d, h, la, lo, zones):
            buf.write(f"{row[0]:.6f},{row[1]:.3f},{row[2]:.7f},{row[3]:.7f},{row[4]:d}\n")
    return buf.getvalue()


def run(args) -> int:
    from spectrum import geo, terrain
    from spectrum.io import write_text

    dem = _load(args.dem)
    d, h, la, lo = terrain.profile(dem, args.tx, args.rx, step_m=args.step_m, return_latlon=True)
    zones = None
    if args.zones:
        zones = terrain.sample_nearest(terrain.radio_climatic_zones(dem), la, lo)
    total = float(d[-1])
    brg = float(geo.bearing_deg(args.tx[0], args.tx[1], args.rx[0], args.rx[1]))
    step = total / (d.size - 1)
    summary = {
        "tx": {"lat": args.tx[0], "lon": args.tx[1]},
        "rx": {"lat": args.rx[0], "lon": args.rx[1]},
        "distance_km": total,
        "bearing_deg": brg,
        "n_points": int(d.size),
        "step_m": step * 1000.0,
        "h_min_m": float(np.min(h)),
        "h_max_m": float(np.max(h)),
        "h_tx_m": float(h[0]),
        "h_rx_m": float(h[-1]),
        "dem_source": str(dem.attrs.get("source", "")),
    }
    if zones is not None:
        names = {1: "coastal_land_km", 2: "inland_km", 3: "sea_km"}
        seg = np.diff(d)
        w = np.empty_like(d)  # each sample stands for half of each adjacent interval
        w[0], w[-1] = seg[0] / 2, seg[-1] / 2
        w[1:-1] = (seg[:-1] + seg[1:]) / 2
        summary["zones"] = {names[c]: float(w[zones == c].sum()) for c in (1, 2, 3)}
    if args.json:
        doc = {**summary, "d_km": d.tolist(), "h_m": h.tolist(), "lat": la.tolist(), "lon": lo.tolist()}
        if zones is not None:
            doc["zone"] = zones.tolist()
        print(json.dumps(doc, indent=1))
        return 0
    if args.csv == "-":
        sys.stdout.write(_csv_text(d, h, la, lo, zones))
        return 0
    lines = [
        f"Terrain profile {args.tx[0]:.5f},{args.tx[1]:.5f} -> {args.rx[0]:.5f},{args.rx[1]:.5f}",
        f"  distance   {total:10.3f} km    bearing {brg:7.2f} deg",
        f"  samples    {d.size:10d}       step    {step * 1000.0:7.1f} m",
        f"  height     {np.min(h):10.1f} .. {np.max(h):.1f} m  (tx {h[0]:.1f} m, rx {h[-1]:.1f} m)",
        f"  terrain    {summary['dem_source']}",
    ]
    if zones is not None:
        z = summary["zones"]
        lines.insert(4, f"  zones      coastal land {z['coastal_land_km']:.2f} km, inland {z['inland_km']:.2f} km, "
                        f"sea {z['sea_km']:.2f} km (P.452-18 Table 3)")
    if args.csv:
        write_text(args.csv, _csv_text(d, h, la, lo, zones))
        lines.append(f"  wrote      {args.csv} (d_km,h_m,lat,lon{',zone' if zones is not None else ''})")
    else:
        lines.append("")
        lines.append(f"{'d_km':>10} {'h_m':>9} {'lat':>11} {'lon':>12}" + (f" {'zone':>5}" if zones is not None else ""))
        every = max(1, d.size // 40)
        idx = list(range(0, d.size, every))
        if idx[-1] != d.size - 1:
            idx.append(d.size - 1)
        for k in idx:
            lines.append(f"{d[k]:10.3f} {h[k]:9.1f} {la[k]:11.5f} {lo[k]:12.5f}"
                         + (f" {zones[k]:5d}" if zones is not None else ""))
        if every > 1:
            lines.append(f"(every {every}th of {d.size} samples shown; --csv FILE for all)")
    print("\n".join(lines))
    return 0
