"""``spectrum broadcast``: coverage, interference and best-server maps with Rec. ITU-R P.1546-6.

Examples::

    spectrum broadcast coverage --station 31.25,121.45 --f-mhz 600 --erp-dbw 40 --h-m 150 --system dvb-t \\
        --radius-km 40 --png cov.png --netcdf cov.nc
    spectrum broadcast coverage --station 31.25,121.45 --f-mhz 98.1 --erp-dbw 37 --h-m 120 --system fm --json
    spectrum broadcast interference --stations net.json --wanted 0 --system fm --png int.png --json
    spectrum broadcast best-server --stations net.json --system dvb-t --shape 500 500 --netcdf bs.nc
    spectrum broadcast best-server --stations net.json --shape 500 500 --netcdf bs.nc --dask local:2
    spectrum broadcast coverage --station 31.25,121.45 --f-mhz 600 --erp-dbw 40 --h-m 150 \\
        --geotiff cov.tif --geojson cov.geojson --kml cov.kml          # contour at the coverage edge
    spectrum broadcast best-server --stations net.json --geotiff bs.tif  # also bs_server.tif, bs_ci.tif

``--stations FILE``: a JSON list of stations, each ``{"name", "lat", "lon", "h_agl_m", "f_mhz",
"erp_dbw"}`` (optional ``"system"``, ``"azimuth_deg"``, ``"antenna"`` pattern dict). Maps use the
packaged default terrain unless ``--dem``.

GIS layers ([gis] extra): ``--geotiff F`` writes the field strength as a Cloud-Optimized GeoTIFF
(interference: two bands, wanted and usable field strength; best-server: also ``F_server.tif``,
the serving-station index, int16, no-data -1, and ``F_ci.tif``, C/I in dB); ``--geojson/--kml``
write contours at ``--levels`` (default: the coverage edge, E_min of the system; interference:
0 dB of wanted minus usable field strength, the surviving service area). See docs/gis.md.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from spectrum.commands._common import add_dask_options, dask_session, latlon, load_dem, show_progress
from spectrum.gis.layers import add_map_layer_options


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "broadcast", help="broadcast coverage, interference and best-server maps (ITU-R P.1546-6)",
        description="Broadcast planning maps with Rec. ITU-R P.1546-6 (BS.412 / BT.1368 / GE06 criteria).",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("Examples::", 1)[1])
    sub = p.add_subparsers(dest="broadcast_command", metavar="<map>")
    for name, hlp in (("coverage", "coverage area of one station and its contour"),
                      ("interference", "nuisance fields, usable field strength, surviving service area"),
                      ("best-server", "serving station per pixel with margins, and C/I")):
        q = sub.add_parser(name, help=hlp, description=hlp)
        src = q.add_mutually_exclusive_group(required=True)
        src.add_argument("--stations", metavar="FILE", help="JSON list of stations")
        src.add_argument("--station", type=latlon, metavar="LAT,LON", help="one station (coverage)")
        q.add_argument("--f-mhz", type=float, help="frequency of --station [MHz]")
        q.add_argument("--erp-dbw", type=float, default=30.0, help="e.r.p. of --station [dBW] (default 30)")
        q.add_argument("--h-m", type=float, default=100.0, help="antenna height of --station above ground [m]")
        q.add_argument("--name", default="station", help="name of --station")
        q.add_argument("--wanted", type=int, default=0, help="interference: index of the wanted station")
        q.add_argument("--system", default="dvb-t", help="fm, dvb-t, dtmb or dab (default dvb-t)")
        q.add_argument("--pl", type=float, default=None, help="location probability [%%] (default the system's)")
        q.add_argument("--h2-m", type=float, default=None, help="receiving height [m] (default the system's)")
        q.add_argument("--area", default="rural", help="receiver surroundings: rural, suburban, urban, dense urban")
        q.add_argument("--emin-dbuvm", type=float, default=None, help="minimum usable field strength [dB(uV/m)]")
        q.add_argument("--t-int", type=float, default=1.0, help="interference: time %% of the nuisance fields")
        q.add_argument("--radius-km", type=float, default=50.0, help="radial length [km] (default 50)")
        q.add_argument("--shape", type=int, nargs=2, metavar=("NLAT", "NLON"), default=None, help="pixels")
        q.add_argument("--resolution-arcsec", type=float, default=None, help="pixel spacing [arcsec]")
        q.add_argument("--zone", choices=("inland", "sea-level"), default="inland",
                       help="sea where the DEM is <= 0 m (sea-level) or all land")
        q.add_argument("--step-m", type=float, default=None, help="radial sample spacing [m]")
        q.add_argument("--dem", metavar="PATH", action="append", help="DEM file(s) or a tile folder")
        q.add_argument("--png", metavar="FILE", help="write a PNG")
        q.add_argument("--netcdf", metavar="FILE", help="write NetCDF-4")
        q.add_argument("--json", action="store_true", help="print a JSON summary")
        add_map_layer_options(q, "the coverage edge (E_min); interference: 0 dB margin"
                                 + ("; --geotiff F also writes F_server.tif and F_ci.tif" if name == "best-server"
                                    else ""))
        add_dask_options(q, "the station fields (in tiles of rows)")
        q.set_defaults(func=run)
    p.set_defaults(func=lambda a: (p.print_help(), 0)[1])


def _stations(args) -> list[dict]:
    if args.stations:
        try:
            data = json.loads(Path(args.stations).read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise ValueError(f"{args.stations}: not a UTF-8 JSON file") from None
        except json.JSONDecodeError as exc:
            raise ValueError(f"{args.stations}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
        if not isinstance(data, list) or not data or not all(isinstance(s, dict) for s in data):
            raise ValueError(f"{args.stations}: expected a non-empty JSON list of station objects")
        return data
    if args.f_mhz is None:
        raise ValueError("--station needs --f-mhz")
    lat, lon = args.station
    return [{"name": args.name, "lat": lat, "lon": lon, "h_agl_m": args.h_m, "f_mhz": args.f_mhz,
             "erp_dbw": args.erp_dbw}]


def _check_outputs(args, inputs):
    from spectrum.broadcast.layers import geotiff_paths
    from spectrum.gis.layers import check_outputs as check_gis_outputs
    from spectrum.io import check_outputs

    outs = {"--png": args.png, "--netcdf": args.netcdf}
    if args.geotiff:
        for k, p in geotiff_paths(args.broadcast_command, args.geotiff).items():
            outs["--geotiff" if k == "main" else f"--geotiff ({p.name})"] = str(p) if k != "main" else args.geotiff
    outs.update({"--geojson": args.geojson, "--kml": args.kml})
    # levels default to the map's planning edge, known once the map is computed
    check_gis_outputs(outs, inputs, vectors_need_levels=True, levels=args.levels or [0.0])
    check_outputs(list(outs.values()), inputs=list(inputs))
    if args.png and Path(args.png).suffix.lower() != ".png":
        raise ValueError(f"--png {args.png}: the file name must end in .png")
    if args.netcdf and Path(args.netcdf).suffix.lower() not in (".nc", ".nc4", ".netcdf"):
        raise ValueError(f"--netcdf {args.netcdf}: the file name must end in .nc")


def run(args) -> int:
    from spectrum import broadcast as bc

    for nm in ("f_mhz", "erp_dbw", "h_m", "pl", "h2_m", "emin_dbuvm", "t_int", "radius_km", "resolution_arcsec",
               "step_m"):
        v = getattr(args, nm)
        if v is not None and not np.isfinite(v):
            raise ValueError(f"--{nm.replace('_', '-')} = {v!r} must be finite")
    inputs = [*([args.stations] if args.stations else []), *(args.dem or [])]
    _check_outputs(args, inputs)
    sts = _stations(args)
    dem = load_dem(args.dem)
    kw = dict(radius_km=args.radius_km, shape=tuple(args.shape) if args.shape else None,
              resolution_arcsec=args.resolution_arcsec, pl=args.pl, h2_m=args.h2_m, area=args.area,
              emin_dbuvm=args.emin_dbuvm, zone=args.zone, step_m=args.step_m)
    cmd = args.broadcast_command
    with dask_session(args) as client:
        kw.update(client=client, progress=show_progress(args))
        ds, summary = _compute(args, bc, cmd, dem, sts, kw)
    written = []
    if args.netcdf:
        written.append(str(bc.save(ds, args.netcdf)))
    if args.png:
        var = {"coverage": "e_dbuvm", "interference": "e_wanted_dbuvm", "best-server": "server"}[cmd]
        written.append(str(bc.save(ds, args.png, var)))
    if args.geotiff or args.geojson or args.kml:
        from spectrum.broadcast.layers import write_layers

        written += [str(x) for x in write_layers(ds, cmd, geotiff=args.geotiff, geojson=args.geojson, kml=args.kml,
                                                 levels=args.levels)]
    summary["written"] = written
    summary["shape"] = [int(ds.sizes["lat"]), int(ds.sizes["lon"])]
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        for k, v in summary.items():
            if isinstance(v, list) and v and isinstance(v[0], dict):
                print(f"{k}:")
                for r in v:
                    print("  " + ", ".join(f"{a}={b:.4g}" if isinstance(b, float) else f"{a}={b}" for a, b in r.items()))
            else:
                print(f"{k}: {v:.4g}" if isinstance(v, float) else f"{k}: {v}")
    return 0


def _compute(args, bc, cmd, dem, sts, kw):
    if cmd == "coverage":
        if len(sts) != 1 and args.stations:
            sts = [sts[args.wanted]] if 0 <= args.wanted < len(sts) else None
            if sts is None:
                raise ValueError(f"--wanted {args.wanted} is not a station index")
        ds = bc.coverage_map(dem, sts[0], args.system, **kw)
        summary = {k: ds.attrs[k] for k in ("system", "e_req_dbuvm", "area_km2", "erp_dbw", "f_mhz")}
        summary["contours"] = len(json.loads(ds.attrs["contour_json"]))
    elif cmd == "interference":
        if len(sts) < 2:
            raise ValueError("interference needs --stations with at least two stations")
        if not 0 <= args.wanted < len(sts):
            raise ValueError(f"--wanted {args.wanted} is not a station index (0-{len(sts) - 1})")
        others = [s for k, s in enumerate(sts) if k != args.wanted]
        ds = bc.interference_map(dem, sts[args.wanted], others, args.system, t_int=args.t_int, **kw)
        summary = {k: ds.attrs[k] for k in ("system", "e_min_dbuvm", "area_noise_limited_km2", "area_km2")}
        summary["limiting_stations"] = json.loads(ds.attrs["limiting_stations_json"])
    else:
        ds = bc.best_server_map(dem, sts, args.system, **kw)
        summary = {k: ds.attrs[k] for k in ("system", "e_req_dbuvm", "pr_co_db", "served_km2")}
        summary["stations"] = json.loads(ds.attrs["stations_json"])
    return ds, summary
