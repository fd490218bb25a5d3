"""``spectrum sweep``: a licence request swept over channels (heights, EIRPs), channels ranked.

Examples::

    spectrum sweep --demo
    spectrum sweep --demo --channels 12764:13100:28 --netcdf sweep.nc --quiet
    spectrum sweep --demo --channels 12904,12932,12960 --heights 30,50 --eirps 30,35.5 --json
    spectrum sweep --db register.sqlite --request request.json --channels 7100:7400:28 --hdf5 sweep.h5
    spectrum sweep --demo --channels 12764:13100:28 --dask local:2    # on a 2-worker dask cluster

``--demo`` sweeps the sample 13 GHz link request (:func:`spectrum.datasets.requests.sample_link_request`)
against the sample register. Channels are ``START:STOP:STEP`` (MHz, inclusive) or a comma list.
The receive channel keeps the request's duplex spacing.
"""
from __future__ import annotations

import json
import sys

import numpy as np

from spectrum.commands._common import add_dask_options, dask_session, load_dem, show_progress


def _floats(text: str, name: str) -> np.ndarray:
    try:
        if ":" in text:
            parts = [float(x) for x in text.split(":")]
            if len(parts) != 3:
                raise ValueError
            from spectrum.sweep import channel_plan

            return channel_plan(*parts)
        return np.array([float(x) for x in text.split(",") if x.strip()])
    except ValueError:
        raise ValueError(f"{name} = {text!r}: expected START:STOP:STEP or a comma-separated list of numbers") from None


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "sweep",
        help="sweep a licence request over channels (and heights / EIRPs), rank channels by worst margin",
        description=("Evaluate the request on every channel of a list, reusing the terrain paths: channels are "
                     "ranked by the worst registered-victim margin (ties: the candidate receiver's aggregate "
                     "margin). Results as a table, JSON, NetCDF or HDF5 (xarray dims channel[, height, eirp])."),
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--demo", action="store_true",
                     help="the sample 13 GHz link request vs the sample register (in memory)")
    src.add_argument("--db", metavar="FILE|URL", help="register: SQLite file or postgresql://user@host/dbname")
    req = p.add_mutually_exclusive_group()
    req.add_argument("--request", metavar="FILE", help="request JSON file (with --db)")
    req.add_argument("--licence", metavar="NUMBER",
                     help="an application already in the register (with --db): its first station pair")
    p.add_argument("--channels", metavar="LIST",
                   help="transmit channels [MHz]: START:STOP:STEP or a,b,c (default: the request's channel "
                        "+-6 channels on a raster of its bandwidth)")
    p.add_argument("--heights", metavar="LIST", help="antenna heights to sweep [m], e.g. 20,35,50")
    p.add_argument("--eirps", metavar="LIST", help="EIRPs to sweep [dBW], e.g. 24,27,30")
    p.add_argument("--dem", metavar="PATH", action="append", help="DEM file(s) or a tile folder; default: the default terrain")
    p.add_argument("--model", default="service", choices=["service", "p452", "p1812", "itm", "auto", "free-space"],
                   help="propagation model (default service: broadcasting requests P.1546-6, or P.1812-6 "
                        "outside 30-4000 MHz; other services P.452-18)")
    p.add_argument("--max-distance-km", type=float, default=150.0, metavar="KM",
                   help="registered stations beyond this distance are not considered (default 150)")
    p.add_argument("--coordination-margin", type=float, default=3.0, metavar="DB",
                   help="margins below this need coordination [dB] (default 3)")
    p.add_argument("--exact", action="store_true",
                   help="compute the loss at every channel instead of interpolating between 0.5 %% frequency nodes")
    p.add_argument("--rule", default="absolute", choices=["absolute", "degradation", "single-entry"],
                   help="how victims already receiving interference are judged (see spectrum evaluate)")
    p.add_argument("--dt-over-t", type=float, default=6.0, metavar="%",
                   help="permitted degradation Delta T/T of the degradation rule [%%] (default 6)")
    p.add_argument("--no-blocking", action="store_true",
                   help="no receiver blocking term beside the FDR (see spectrum evaluate --no-blocking)")
    p.add_argument("--no-existing", action="store_true",
                   help="do not compute the existing interference of registered transmitters at the victims")
    p.add_argument("--top", type=int, default=20, metavar="N", help="rows in the table (default 20)")
    p.add_argument("--json", action="store_true", help="print JSON")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--netcdf", metavar="FILE", help="write the sweep to NetCDF")
    out.add_argument("--hdf5", metavar="FILE", help="write the sweep to HDF5")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_dask_options(p, "the channels (in batches)")
    p.set_defaults(func=run)


DECISIONS = {0: "grant", 1: "needs coordination", 2: "refuse"}


def run(args) -> int:
    from spectrum.evaluation import Request
    from spectrum.io import check_outputs
    from spectrum.sweep import channel_plan, sweep_channels, write_sweep

    check_outputs([args.netcdf, args.hdf5], inputs=[args.db, args.request, *(args.dem or [])])
    if args.demo:
        if args.request or args.licence:
            raise ValueError("--demo uses the sample request: drop --request/--licence")
        from spectrum.datasets.register import sample_register
        from spectrum.datasets.requests import sample_link_request

        reg, req = sample_register(), sample_link_request()
    else:
        from spectrum.register import Register

        if not (args.request or args.licence):
            raise ValueError("--db needs --request FILE or --licence NUMBER")
        reg = Register.open(args.db, create=False)
        req = Request.from_json(args.request) if args.request else Request.from_register(reg, args.licence)
    try:
        if args.channels:
            ch = _floats(args.channels, "--channels")
        else:
            bw = req.bw_khz / 1000.0
            ch = channel_plan(req.f_mhz - 6 * bw, req.f_mhz + 6 * bw, bw)
        heights = _floats(args.heights, "--heights") if args.heights else None
        eirps = _floats(args.eirps, "--eirps") if args.eirps else None
        dem = load_dem(args.dem, default=False)
        with dask_session(args) as client:
            ds = sweep_channels(reg, req, ch, heights_m=heights, eirps_dbw=eirps, dem=dem, model=args.model,
                                max_distance_km=args.max_distance_km, coordination_margin_db=args.coordination_margin,
                                freq_node_ratio=None if args.exact else 1.005,
                                progress=None if show_progress(args) else False, rule=args.rule,
                                dt_over_t_percent=args.dt_over_t, existing_interference=not args.no_existing,
                                blocking=not args.no_blocking, client=client)
    finally:
        reg.close()
    if args.netcdf:
        write_sweep(ds, args.netcdf, fmt="netcdf")
    if args.hdf5:
        write_sweep(ds, args.hdf5, fmt="hdf5")
    if args.json:
        d = ds.to_dict(data="list")
        sys.stdout.write(json.dumps(d, default=float) + "\n")
        return 0
    print(_table(ds, req, args.top))
    return 0


def _table(ds, req, top: int) -> str:
    extra = [d for d in ds["worst_margin_db"].dims if d != "channel"]
    worst = ds["worst_margin_db"].min(dim=extra) if extra else ds["worst_margin_db"]
    agg = ds["aggregate_margin_db"].min(dim=extra) if extra else ds["aggregate_margin_db"]
    dec = ds["decision"].max(dim=extra) if extra else ds["decision"]
    nh = ds["n_harmful"].max(dim=extra) if extra else ds["n_harmful"]
    wv = ds["worst_victim"]
    for d in extra:
        wv = wv.isel({d: 0})
    order = np.argsort(ds["channel_rank"].values)
    lines = [f"Channel sweep: {req.licence_number or '-'} ({req.service}), {ds.sizes['channel']} channels, "
             f"{ds.attrs['model']}" + (f", worst over {' x '.join(extra)}" if extra else ""),
             f"{'rank':>4} {'f_tx MHz':>10} {'f_rx MHz':>10} {'worst dB':>9} {'victim':<12}{'harmful':>8}"
             f"{'Rx agg dB':>10}  decision"]
    for i in order[:top]:
        w = float(worst.values[i])
        a = float(agg.values[i])
        lines.append(f"{int(ds['channel_rank'].values[i]):>4} {ds['f_tx_mhz'].values[i]:>10.3f} "
                     f"{ds['f_rx_mhz'].values[i]:>10.3f} {('-' if np.isnan(w) else f'{w:+.1f}'):>9} "
                     f"{str(wv.values[i])[:11]:<12}{int(nh.values[i]):>8}{('-' if np.isnan(a) else f'{a:+.1f}'):>10}  "
                     f"{DECISIONS[int(dec.values[i])]}")
    if ds.sizes["channel"] > top:
        lines.append(f"  ... {ds.sizes['channel'] - top} more channels (--top, --json, --netcdf)")
    return "\n".join(lines)
