"""``spectrum mc map``: probability-of-interference map, the victim receiver at every pixel.

Examples::

    spectrum mc map --demo --geotiff p.tif --png p.png
    spectrum mc map study.json --grid 46.3,6.3,46.7,6.9 --shape 20 24 --events 2000 --netcdf p.nc --json
    spectrum mc map study.json --grid 46.3,6.3,46.7,6.9 --shape 20 24 --events 2000 --victim-tx fixed \\
        --geotiff p.tif --geojson p.geojson --levels 0.01,0.05

The interferers stay where the workspace puts them (positions relative to the victim receiver are
anchored at the workspace's receiver site, the origin); the wanted transmitter moves with the
receiver (``--victim-tx relative``, default) or stays (``fixed``). Pixel ``k = i * NX + j`` runs
``--events`` events with the seed ``SeedSequence([seed, k])``. See docs/montecarlo.md.
"""
from __future__ import annotations

import json
import sys

#: the demo map: the demo study with the three base stations in a 3 km disc around the radar site
DEMO_GRID = (46.35, 6.38, 46.65, 6.82)
DEMO_SHAPE = (10, 10)
DEMO_EVENTS = 2000


def demo_map_workspace() -> dict:
    """The demo workspace with the LTE base stations clustered in a 3 km disc around the origin
    (the workspace's radar site), so the map shows where a radar would be interfered."""
    from spectrum.montecarlo import demo_workspace

    d = demo_workspace()
    d["name"] = "LTE 2.6 GHz base-station cluster into an S-band weather radar: radar site map"
    d["interferers"][0]["tx"]["position"] = {"mode": "disc", "radius_km": 3.0}
    return d


def _grid(text: str):
    import argparse

    try:
        v = [float(x) for x in text.split(",")]
    except ValueError:
        v = []
    if len(v) != 4:
        raise argparse.ArgumentTypeError(f"expected LAT0,LON0,LAT1,LON1 in degrees, got {text!r}")
    return v


def add_parser(sub) -> None:
    from spectrum.gis.layers import add_map_layer_options

    m = sub.add_parser("map", help="probability-of-interference map: the victim receiver at every pixel",
                       description="Probability of interference per criterion with the victim receiver placed at "
                                   "each pixel centre of a grid (interferers as the workspace places them), "
                                   "--events events per pixel on the pixel's own seed stream.")
    m.add_argument("workspace", nargs="?", help="workspace file (.json or .toml); victim receiver at the origin")
    m.add_argument("--demo", action="store_true",
                   help=f"the demo study with its base stations in a 3 km disc; default grid "
                        f"{','.join(map(str, DEMO_GRID))}, shape {DEMO_SHAPE[0]} {DEMO_SHAPE[1]}, {DEMO_EVENTS} events")
    m.add_argument("--grid", type=_grid, metavar="LAT0,LON0,LAT1,LON1", help="outer edges of the map [deg]")
    m.add_argument("--shape", type=int, nargs=2, metavar=("NY", "NX"),
                   help="pixels (rows from LAT0, columns from LON0)")
    m.add_argument("--events", type=int, metavar="N", help="events per pixel")
    m.add_argument("--seed", type=int, metavar="S", help="map seed (default: the workspace's)")
    m.add_argument("--victim-tx", choices=("relative", "fixed"), default="relative",
                   help="the wanted transmitter moves with the receiver (relative, default) or stays (fixed)")
    m.add_argument("--mechanism", choices=("composite", "unwanted", "blocking", "intermod"), default="composite",
                   help="iRSS counted (default composite)")
    m.add_argument("--netcdf", metavar="FILE", help="write the map (probability, Wilson interval, counts) to NetCDF-4")
    m.add_argument("--png", metavar="FILE", help="draw the primary criterion's probability to a PNG")
    m.add_argument("--no-progress", action="store_true", help="no progress bar")
    m.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_map_layer_options(m, "none (contours of the primary criterion's probability, e.g. 0.01,0.05)")
    m.set_defaults(func=map_cmd)


def _num(v):
    v = float(v)
    return v if v == v else None  # all pixels without a counted event: null, not NaN (invalid JSON)


def _inputs(args) -> list:
    from spectrum.commands.mc import _inputs as mc_inputs

    return mc_inputs(args)


def map_cmd(args) -> int:
    from pathlib import Path

    from spectrum.gis.layers import check_outputs as check_gis_outputs
    from spectrum.io import check_outputs
    from spectrum.montecarlo import load_workspace, parse_workspace
    from spectrum.montecarlo.maps import probability_layer, probability_map

    if args.demo and args.workspace:
        raise ValueError("give a workspace file or --demo, not both")
    if not args.demo and not args.workspace:
        raise ValueError("a workspace file (or --demo) is required")
    if not args.demo:
        given = (("--grid", args.grid), ("--shape", args.shape), ("--events", args.events))
        missing = [o for o, v in given if v is None]
        if missing:
            raise ValueError(f"spectrum mc map WORKSPACE needs {', '.join(missing)}")
    grid = args.grid or DEMO_GRID
    shape = args.shape or DEMO_SHAPE
    events = args.events if args.events is not None else DEMO_EVENTS
    if events < 1:
        raise ValueError(f"--events {events} must be >= 1")
    if args.seed is not None and args.seed < 0:
        raise ValueError(f"--seed {args.seed} must be >= 0")
    if args.png and Path(args.png).suffix.lower() != ".png":
        raise ValueError(f"--png {args.png}: the file name must end in .png")
    inputs = _inputs(args)
    outs = {"--netcdf": args.netcdf, "--png": args.png, "--geotiff": args.geotiff, "--geojson": args.geojson,
            "--kml": args.kml}
    check_gis_outputs(outs, inputs, vectors_need_levels=True, levels=args.levels)
    check_outputs(list(outs.values()), inputs, allow_stdout=False)
    ws = parse_workspace(demo_map_workspace()) if args.demo else load_workspace(args.workspace)
    bar = None
    if not args.no_progress:
        from tqdm import tqdm

        bar = tqdm(total=shape[0] * shape[1], unit="px", file=sys.stderr, leave=False, disable=None, desc="mc map")

    def progress(done, total):
        if bar is not None:
            bar.n = done
            bar.refresh()

    try:
        ds = probability_map(ws, grid, shape, events, args.seed, victim_tx=args.victim_tx, mechanism=args.mechanism,
                             progress=progress)
    finally:
        if bar is not None:
            bar.close()
    primary = ds.attrs["primary_criterion"]
    written = []
    if args.netcdf:
        from spectrum.io import write_netcdf

        written.append(str(write_netcdf(ds, args.netcdf, model=ds.attrs["model"])))
    if args.png:
        from spectrum.commands.coverage import draw_png

        draw_png(probability_layer(ds, primary), args.png,
                 title=f"probability that the {args.mechanism} iRSS breaks {primary} = "
                       f"{json.loads(ds.attrs['criteria_json'])[primary]:g} dB ({events} events per pixel)")
        written.append(str(args.png))
    if args.geotiff or args.geojson or args.kml:
        from spectrum.gis.layers import contour_texts
        from spectrum.gis.raster import write_geotiff
        from spectrum.io import write_text

        texts = contour_texts(probability_layer(ds, primary), geojson=args.geojson, kml=args.kml, levels=args.levels)
        if args.geotiff:
            written.append(str(write_geotiff(probability_layer(ds), args.geotiff)))
        written += [str(write_text(p, t)) for p, t in texts.items()]
    p = ds["probability"]
    summary = {"workspace": ws.name, "grid": list(map(float, grid)), "shape": [int(shape[0]), int(shape[1])],
               "events_per_pixel": int(events), "seed": ds.attrs["seed"], "victim_tx": args.victim_tx,
               "mechanism": args.mechanism, "primary_criterion": primary,
               "criteria": {str(c): {k: _num(getattr(p.sel(criterion=c), k)()) for k in ("min", "mean", "max")}
                            for c in p["criterion"].values},
               "elapsed_s": round(ds.attrs["elapsed_s"], 3), "written": written}
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        print(f"probability of interference ({args.mechanism}), {shape[0]} x {shape[1]} pixels, "
              f"{events} events per pixel, seed {summary['seed']}, victim tx {args.victim_tx}")
        for c, s in summary["criteria"].items():
            print(f"  {c:<8} " + "  ".join(f"{k} {s[k]:.4f}" if s[k] is not None else f"{k} -" for k in s)
                  + ("   (primary)" if c == primary else ""))
        for w in written:
            print(f"wrote {w}")
    return 0
