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

import io
import json
import sys

import numpy as np

from spectrum.commands._common import latlon, load_dem


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "profile",
        help="terrain profile between two points (great circle, bilinear heights)",
        description=("Extract the terrain profile along the great circle from --tx to --rx "
                     "(6371 km sphere, equally spaced samples, bilinear heights). Terrain: --dem "
                     "(SRTM .hgt, GeoTIFF, NetCDF, any GDAL raster with the [gis] extra, or a folder of "
                     "tiles), $SPECTRUM_TERRAIN, or the default terrain (Shanghai region)."),
    )
    p.add_argument("--tx", required=True, type=latlon, metavar="LAT,LON", help="start point [deg]")
    p.add_argument("--rx", required=True, type=latlon, metavar="LAT,LON", help="end point [deg]")
    p.add_argument("--dem", metavar="PATH", action="append",
                   help="DEM file (.hgt, .tif, .nc) or folder of tiles (only those around the path are read); "
                        "repeat to mosaic adjacent tiles. Default: default_dem()")
    p.add_argument("--step-m", type=float, default=None, metavar="M",
                   help="maximum sample spacing [m] (default: the DEM resolution, ~90 m for 3\")")
    p.add_argument("--zones", action="store_true",
                   help="add a 'zone' column: P.452-18 radio-climatic zone of each sample from the DEM "
                        "(1 coastal land within 50 km of the sea and below 100 m, 2 inland, 3 sea: flagged sea, "
                        "heights <= 0 m in a water body >= 100 km across or reaching the data's edge), and the "
                        "path's dtm, dlm, omega, dct, dcr")
    p.add_argument("--landcover", metavar="FILE",
                   help="land-cover raster (ESA WorldCover, CORINE, or classes with --landcover-table): clutter "
                        "at each sample (P.1812 code, representative height R, P.2108 type) and at both ends")
    p.add_argument("--landcover-scheme", default="worldcover", metavar="SCHEME",
                   help="class table: worldcover (default), corine, or a CSV mapping table "
                        "(class,p1812,p2108[,r_m,p452_17,name])")
    p.add_argument("--climate", action="store_true",
                   help="ΔN and N0 at the path centre from the ITU-R P.453 maps ([maps] extra), the dn/n0 inputs "
                        "of p452/p1812 (substitutes for P.452's DN50/N050 maps: docs/terrain.md)")
    p.add_argument("--htg", type=float, default=None, metavar="M",
                   help="Tx antenna height above ground [m]: with --hrg, report the ray clearance over the "
                        "effective Earth (P.530-18 §2.2.2)")
    p.add_argument("--hrg", type=float, default=None, metavar="M", help="Rx antenna height above ground [m]")
    p.add_argument("--f-mhz", type=float, default=None, metavar="F",
                   help="frequency [MHz]: first Fresnel zone and clearance in units of F1")
    p.add_argument("--k-factor", type=float, default=4.0 / 3.0, metavar="K",
                   help="effective Earth-radius factor for the Earth bulge (default 4/3)")
    p.add_argument("--plot", metavar="FILE", help="draw the profile (Earth bulge, ray, Fresnel zone) to FILE (.png, .svg, .pdf)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--csv", metavar="FILE", help="write d_km,h_m,lat,lon to FILE ('-' for stdout)")
    out.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def _load(dem_files, tx=None, rx=None):
    """The terrain: --dem files or a folder (a tile catalogue), $SPECTRUM_TERRAIN, or the default."""
    return load_dem(dem_files)


def _csv_text(d, h, la, lo, zones=None) -> str:
    buf = io.StringIO()
    if zones is None:
        buf.write("d_km,h_m,lat,lon\n")
        for row in zip(d, h, la, lo):
            buf.write(f"{row[0]:.6f},{row[1]:.3f},{row[2]:.7f},{row[3]:.7f}\n")
    else:
        buf.write("d_km,h_m,lat,lon,zone_p452\n")  # the coding named: P.1812/P.2001 use other codes
        for row in zip(d, h, la, lo, zones):
            buf.write(f"{row[0]:.6f},{row[1]:.3f},{row[2]:.7f},{row[3]:.7f},{row[4]:d}\n")
    return buf.getvalue()


def _inputs(args) -> list:
    """Files this command reads: an output naming one is refused (the land cover was overwritten)."""
    return [*(args.dem or []), args.landcover, args.landcover_scheme]


def run(args) -> int:
    from spectrum import geo, terrain
    from spectrum.io import check_outputs, write_text

    check_outputs([args.csv, args.plot], inputs=_inputs(args))
    dem = _load(args.dem, args.tx, args.rx)
    d, h, la, lo = terrain.profile(dem, args.tx, args.rx, step_m=args.step_m, return_latlon=True)
    zones = pz = None
    if args.zones:
        grid = None if isinstance(dem, terrain.Catalogue) else terrain.radio_climatic_zones(dem)
        pz = terrain.profile_zones(dem, la, lo, d, zone_grid=grid)
        zones = pz.zone.astype(np.int64)
    clutter = None
    if args.landcover:
        from spectrum.terrain import landcover as _lc

        clutter = _lc.clutter_along(args.landcover, la, lo, args.landcover_scheme)
        ends = {k: _lc.terminal_clutter(args.landcover, *pt, args.landcover_scheme)
                for k, pt in (("tx", args.tx), ("rx", args.rx))}
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
        summary["zone_path"] = {"dtm_km": float(pz.dtm_km), "dlm_km": float(pz.dlm_km), "omega": float(pz.omega),
                                "dct_km": float(pz.dct_km), "dcr_km": float(pz.dcr_km)}
    if clutter is not None:
        summary["clutter"] = ends
    if args.climate:
        from spectrum.propagation import maps

        summary["climate"] = maps.path_climate(args.tx[0], args.tx[1], args.rx[0], args.rx[1])
    los = None
    if (args.htg is None) != (args.hrg is None):
        raise ValueError("give both --htg and --hrg for the ray clearance")
    if args.f_mhz is not None and args.htg is None:
        raise ValueError("--f-mhz needs --htg and --hrg (the Fresnel zone is around the ray between the antennas)")
    if args.htg is not None:
        los = terrain.line_of_sight(d, h, args.htg, args.hrg, f_mhz=args.f_mhz, k_factor=args.k_factor)
        summary["clearance"] = {
            "htg_m": args.htg, "hrg_m": args.hrg, "f_mhz": args.f_mhz, "k_factor": los.k_factor,
            "min_clearance_m": los.min_clearance_m, "d_min_km": los.d_min_km,
            "min_clearance_f1": los.min_clearance_f1, "line_of_sight": los.line_of_sight,
        }
    if args.plot:
        _plot(args.plot, d, h, los, args, summary)
        summary["plot"] = args.plot
    if args.json:
        doc = {**summary, "d_km": d.tolist(), "h_m": h.tolist(), "lat": la.tolist(), "lon": lo.tolist()}
        if zones is not None:
            doc["zone"] = zones.tolist()
        if clutter is not None:
            doc.update(land_cover=clutter.land_cover.tolist(), ct_p1812=clutter.p1812.tolist(),
                       r_m=clutter.r_m.tolist(), p2108=clutter.p2108.tolist())
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
        zp = summary["zone_path"]
        lines.insert(5, f"  path       dtm {zp['dtm_km']:.2f} km, dlm {zp['dlm_km']:.2f} km, omega {zp['omega']:.3f}, "
                        f"dct {zp['dct_km']:.2f} km, dcr {zp['dcr_km']:.2f} km")
    if args.climate:
        c = summary["climate"]
        lines.insert(len(lines) - 1, f"  climate    dn {c['dn']:.1f} N-units/km, n0 {c['n0']:.1f} N-units at the centre "
                                     f"({c['lat']:.4f}, {c['lon']:.4f}): P.453 maps")
    if clutter is not None:
        for k in ("tx", "rx"):
            e = ends[k]
            lines.insert(len(lines) - 1, f"  {k} clutter {e['class_name']} (class {e['land_cover']}): P.1812 "
                                         f"{e['p1812_name']} R {e['r_m']:g} m, P.2108 {e['p2108_name']}, "
                                         f"P.452-17 {e['p452_17_category']}")
    if los is not None:
        f1 = (f", {los.min_clearance_f1:.2f} F1 at {args.f_mhz:g} MHz" if los.min_clearance_f1 is not None else "")
        lines.insert(len(lines) - 1,
                     f"  clearance  {los.min_clearance_m:.1f} m at {los.d_min_km:.3f} km{f1} "
                     f"(k = {los.k_factor:.3g}, antennas {args.htg:g} m / {args.hrg:g} m): "
                     + ("line of sight" if los.line_of_sight else "obstructed"))
    if args.plot:
        lines.append(f"  plot       {args.plot}")
    if args.csv:
        write_text(args.csv, _csv_text(d, h, la, lo, zones), inputs=_inputs(args))
        lines.append(f"  wrote      {args.csv} (d_km,h_m,lat,lon{',zone_p452' if zones is not None else ''})")
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


def _plot(path, d, h, los, args, summary) -> None:
    """Profile figure: terrain (with Earth bulge when antennas are given), ray, Fresnel zone."""
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from spectrum.io import atomic_path

    fmt = Path(path).suffix.lstrip(".").lower() or "png"
    if fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"--plot {path}: unsupported format {fmt!r} (use .png, .svg or .pdf)")
    fig, ax = plt.subplots(figsize=(10, 4.2), constrained_layout=True)
    if los is None:
        ax.fill_between(d, np.minimum(h.min(), 0.0) - 1.0, h, color="tan", alpha=0.8, label="terrain")
    else:
        base = los.terrain_m - h  # Earth bulge
        ax.fill_between(d, base.min() + np.minimum(h.min(), 0.0) - 1.0, los.terrain_m, color="tan", alpha=0.8,
                        label=f"terrain + Earth bulge (k = {los.k_factor:.3g})")
        ax.plot(d, base, color="0.5", lw=0.8, ls=":", label="sea level + bulge")
        ax.plot(d, los.ray_m, color="tab:blue", lw=1.2, label="ray")
        if los.fresnel_m is not None:
            ax.fill_between(d, los.ray_m - los.fresnel_m, los.ray_m + los.fresnel_m, color="tab:blue", alpha=0.12,
                            label=f"1st Fresnel zone, {args.f_mhz:g} MHz")
        k = int(np.argmin(np.abs(d - los.d_min_km)))
        ax.plot([d[k], d[k]], [los.terrain_m[k], los.ray_m[k]], color="red", lw=1.5,
                label=f"min clearance {los.min_clearance_m:.1f} m")
    ax.set_xlabel("distance from Tx [km]")
    ax.set_ylabel("height [m]")
    ax.set_xlim(d[0], d[-1])
    ax.set_title(f"{args.tx[0]:.5f},{args.tx[1]:.5f} -> {args.rx[0]:.5f},{args.rx[1]:.5f}: "
                 f"{summary['distance_km']:.2f} km, bearing {summary['bearing_deg']:.1f} deg", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    with atomic_path(path, suffix="." + fmt) as tmp:
        fig.savefig(tmp, format=fmt, dpi=110)
    plt.close(fig)
