"""``spectrum coverage``: coverage map (field strength, loss or received power) around a station.

Examples::

    spectrum coverage --demo --out cov.nc --png cov.png
    spectrum coverage --demo --geotiff cov.tif --geojson cov.geojson --kml cov.kml --levels 60,70
    spectrum coverage --lat 31.25 --lon 121.30 --h-agl-m 50 --f-mhz 600 --erp-dbw 40 \\
        --model p1812 --radius-km 40 --out cov.h5
    spectrum coverage --register reg.sqlite --licence BC-TV-001 --model itm --png tv.png --json
    spectrum coverage --interference --demo --out i_n.nc --png i_n.png
    spectrum coverage --interference --register reg.sqlite --lat 31.2 --lon 121.45 \
        --victim-f-mhz 3450 --victim-bw-khz 20000 --victim-nf-db 5 --p 1 --radius-km 20
    spectrum coverage --interference --interferer 31.2,121.4,30,900,20 --interferer 31.25,121.5,25,900,17 \
        --victim-f-mhz 900 --victim-bw-khz 200 --lat 31.22 --lon 121.45 --radius-km 15
    spectrum coverage --demo --out cov.nc --dask local:2       # tiles of the map on 2 dask workers

Terrain: ``--dem`` files or the default terrain (Shanghai region). The map is written to
NetCDF-4 (``.nc``) or HDF5 (``.h5``) through :mod:`spectrum.io`; ``--png`` draws it with a
colour bar and the station marked. A summary table (or ``--json``) is printed.

With ``--interference`` the map is the aggregate I/N of a victim receiver (``--victim-*``,
height ``--hrg-m``) placed at every pixel, from co-channel transmitters of a register
(``--register``; ``--demo``: the sample register) or given with ``--interferer``.
"""
from __future__ import annotations

import argparse
import json
import time

from spectrum.commands._common import add_dask_options, dask_session, load_dem, show_progress


def _radials(text: str):
    if text == "auto":
        return "auto"
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer or 'auto', got {text!r}") from None


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "coverage",
        help="coverage map around a station (P.452 / P.1812 / ITM over terrain) to NetCDF/HDF5 and PNG",
        description=("Field strength (or basic transmission loss / received power) at every pixel around a "
                     "transmitter: terrain radials from the station, the point-to-point model at every radial "
                     "sample, pixels by bilinear lookup. Station from --demo (a TV transmitter of the sample "
                     "register), --register/--licence, or --lat/--lon/--h-agl-m/--f-mhz/--eirp-dbw."),
    )
    src = p.add_argument_group("station")
    src.add_argument("--demo", action="store_true",
                     help="sample station: the first TV (UHF) transmitter of the sample register, default terrain")
    src.add_argument("--register", metavar="FILE|URL", help="licence register (SQLite file or postgresql:// URL) holding the station")
    src.add_argument("--licence", metavar="NUMBER", help="licence number of the transmitter in --register")
    src.add_argument("--lat", type=float, help="station latitude [deg]")
    src.add_argument("--lon", type=float, help="station longitude [deg]")
    src.add_argument("--h-agl-m", type=float, help="antenna height above ground [m]")
    src.add_argument("--f-mhz", type=float, help="frequency [MHz] (overrides the station's)")
    pw = src.add_mutually_exclusive_group()
    pw.add_argument("--eirp-dbw", type=float, help="EIRP [dBW] (default 0)")
    pw.add_argument("--erp-dbw", type=float, help="ERP [dBW] (EIRP = ERP + 2.15 dB)")
    src.add_argument("--pol", choices=("h", "v"), help="polarisation (default v, or the station's)")
    m = p.add_argument_group("model and map")
    m.add_argument("--model", choices=("p452", "p1812", "itm"), default="p452", help="propagation model")
    m.add_argument("--quantity", choices=("e_dbuvm", "lb_db", "pr_dbw", "pr_dbm"), default="e_dbuvm",
                   help="mapped quantity (default field strength dB(uV/m))")
    m.add_argument("--p", type=float, default=None,
                   help="time percentage [%%] (P.452 0.001-50, P.1812 1-50, ITM time quantile); "
                        "default 50, or 1 for --interference")
    m.add_argument("--pl", type=float, default=50.0, help="P.1812 location percentage [%%]")
    m.add_argument("--hrg-m", type=float, default=10.0, help="receiver height above ground [m] (default 10)")
    m.add_argument("--radius-km", type=float, default=30.0, help="map radius [km] (default 30)")
    g = m.add_mutually_exclusive_group()
    g.add_argument("--resolution-arcsec", type=float, help="pixel spacing [arc-seconds] (default: the DEM's)")
    g.add_argument("--size", type=int, nargs=2, metavar=("NLAT", "NLON"), help="pixels of the map")
    m.add_argument("--n-radials", type=_radials, default=None,
                   help="radials, or 'auto': one per pixel width at the farthest pixel (default: auto, at most 720)")
    m.add_argument("--step-m", type=float, help="profile step [m] (default: the DEM spacing)")
    m.add_argument("--interp", choices=("bilinear", "nearest"), default="bilinear")
    m.add_argument("--zone", choices=("inland", "sea-level"), default="inland",
                   help="radio-climatic zones: all inland, or sea where the DEM is <= 0 m")
    m.add_argument("--threshold", type=float,
                   help="report the share of pixels at or above this value (e.g. a minimum field strength)")
    m.add_argument("--dem", metavar="PATH", action="append", help="DEM file(s) or a tile folder; default: the default terrain")
    it = p.add_argument_group("interference map (--interference)")
    it.add_argument("--interference", action="store_true",
                    help="map the aggregate I/N of a victim receiver at every pixel instead of a coverage map")
    it.add_argument("--victim-f-mhz", type=float, help="victim tuned frequency [MHz] (demo: 950)")
    it.add_argument("--victim-bw-khz", type=float, help="victim noise bandwidth [kHz] (demo: 10000)")
    it.add_argument("--victim-nf-db", type=float, default=5.0, help="victim noise figure [dB] (default 5)")
    it.add_argument("--victim-g-dbi", type=float, default=0.0, help="victim antenna gain toward interferers [dBi]")
    it.add_argument("--victim-feeder-db", type=float, default=0.0, help="victim feeder loss [dB]")
    it.add_argument("--protection-db", type=float, default=-6.0, help="I/N criterion [dB] for the summary (-6)")
    it.add_argument("--interferer", action="append", metavar="LAT,LON,H_AGL_M,F_MHZ,EIRP_DBW",
                    help="an interfering transmitter (repeat); omnidirectional, co-channel (FDR 0 dB)")
    it.add_argument("--max-interferers", type=int, default=50,
                    help="at most this many register interferers, nearest the map centre first (default 50)")
    o = p.add_argument_group("output")
    o.add_argument("--out", metavar="FILE", help="write the map to FILE (.nc NetCDF-4 or .h5 HDF5)")
    o.add_argument("--png", metavar="FILE", help="draw the map to a PNG file")
    o.add_argument("--json", action="store_true", help="print the summary as JSON")
    from spectrum.gis.layers import add_map_layer_options

    add_map_layer_options(o, "--threshold, or --protection-db with --interference")
    add_dask_options(o, "the map (in tiles of pixel rows)")
    p.set_defaults(func=run)


def demo_station():
    """The demo transmitter: the first granted UHF TV (470-862 MHz) transmitter of the sample register,
    with its antenna pattern resolved; the register is closed afterwards."""
    from spectrum.coverage import Station, _antenna
    from spectrum.datasets.register import sample_register

    reg = sample_register()
    try:
        rows = [r for r in reg.query(role="tx", f_min_mhz=470.0, f_max_mhz=862.0, service="broadcasting")]
        if not rows:
            rows = [r for r in reg.query(role="tx", f_min_mhz=470.0, f_max_mhz=3000.0)]
        if not rows:
            raise ValueError("the sample register holds no UHF transmitter for the demo")
        r = rows[0]
        ant = _antenna(r, reg, r.g_dbi)
    finally:
        reg.close()
    return Station(lat=r.lat, lon=r.lon, h_agl_m=r.h_agl_m, f_mhz=r.f_mhz, eirp_dbw=r.eirp_dbw or 0.0,
                   antenna=ant, g_dbi=r.g_dbi or 0.0, azimuth_deg=r.azimuth_deg or 0.0, tilt_deg=r.tilt_deg or 0.0,
                   polarisation=r.polarisation or "v", bw_khz=r.bw_khz,
                   name=f"{r.licence_number} {r.station_name}")


def _station(args):
    from dataclasses import replace

    from spectrum.coverage import Station, _antenna

    if args.demo:
        st = demo_station()
    elif args.register:
        if not args.licence:
            raise ValueError("--register needs --licence (the licence number of the transmitter)")
        from spectrum.register import Register

        reg = Register.open(args.register, create=False)
        try:
            rows = [r for r in reg.query(role="tx", status=None) if r.licence_number == args.licence]
            if not rows:
                raise ValueError(f"--licence {args.licence!r}: no transmitter with that licence in {args.register}")
            r = rows[0]
            ant = _antenna(r, reg, r.g_dbi)
        finally:
            reg.close()
        st = Station(lat=r.lat, lon=r.lon, h_agl_m=r.h_agl_m, f_mhz=r.f_mhz, eirp_dbw=r.eirp_dbw or 0.0,
                     antenna=ant, g_dbi=r.g_dbi or 0.0, azimuth_deg=r.azimuth_deg or 0.0,
                     tilt_deg=r.tilt_deg or 0.0, polarisation=r.polarisation or "v", bw_khz=r.bw_khz,
                     name=f"{r.licence_number} {r.station_name}")
    else:
        missing = [n for n in ("lat", "lon", "h_agl_m", "f_mhz") if getattr(args, n) is None]
        if missing:
            raise ValueError("give --demo, --register/--licence, or the station: missing "
                             + ", ".join("--" + n.replace("_", "-") for n in missing))
        st = Station(lat=args.lat, lon=args.lon, h_agl_m=args.h_agl_m, f_mhz=args.f_mhz, name="station")
    upd = {}
    for a, k in (("lat", "lat"), ("lon", "lon"), ("h_agl_m", "h_agl_m"), ("f_mhz", "f_mhz"), ("pol", "polarisation")):
        if getattr(args, a) is not None:
            upd[k] = getattr(args, a)
    if args.eirp_dbw is not None:
        upd["eirp_dbw"] = args.eirp_dbw
    elif args.erp_dbw is not None:
        upd["eirp_dbw"] = args.erp_dbw + 2.15
    return replace(st, **upd) if upd else st


def draw_png(da, path, station=None, title: str | None = None, markers=()):
    """Draw a map DataArray (dims lat, lon) to a PNG with a colour bar and the station (or the
    ``markers``, e.g. interferers) marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from spectrum.io import atomic_path

    fig, ax = plt.subplots(figsize=(7.5, 6.5), dpi=110)
    lon, lat = da["lon"].values, da["lat"].values
    v = np.ma.masked_invalid(da.values)
    mesh = ax.pcolormesh(lon, lat, v, shading="auto", cmap="viridis", rasterized=True)
    cb = fig.colorbar(mesh, ax=ax, shrink=0.85)
    cb.set_label(f"{da.attrs.get('long_name', da.name)} [{da.attrs.get('units', '')}]")
    if station is not None:
        ax.plot([station.lon], [station.lat], marker="^", color="red", markeredgecolor="white", markersize=11,
                linestyle="none", label=station.name or "station")
    if markers:
        ax.plot([m.lon for m in markers], [m.lat for m in markers], marker="^", color="red", markeredgecolor="white",
                markersize=8, linestyle="none", label=f"{len(markers)} interferers")
    if station is not None or markers:
        ax.legend(loc="upper right", fontsize=8)
    ax.set_xlabel("longitude [deg E]")
    ax.set_ylabel("latitude [deg N]")
    ax.set_aspect(1.0 / max(np.cos(np.radians(float(np.mean(lat)))), 1e-3))
    ax.set_title(title or str(da.attrs.get("long_name", "")), fontsize=9)
    fig.tight_layout()
    with atomic_path(path, suffix=".png") as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)


def _interferer_arg(text: str):
    from spectrum.coverage import Station

    try:
        la, lo, h, f, e = (float(x) for x in text.split(","))
    except ValueError:
        raise ValueError(f"--interferer {text!r}: expected LAT,LON,H_AGL_M,F_MHZ,EIRP_DBW") from None
    return Station(lat=la, lon=lo, h_agl_m=h, f_mhz=f, eirp_dbw=e, fdr_db=0.0, name=f"interferer {la:g},{lo:g}")


def _register_interferers(reg, lat, lon, radius_km, f_mhz, bw_khz, limit):
    """Granted co-channel transmitters (channel overlapping the victim's) within radius_km of (lat, lon),
    nearest first, as Stations with their patterns resolved."""
    from spectrum import geo
    from spectrum.coverage import Station, _antenna

    rows = reg.query(lat=lat, lon=lon, radius_km=radius_km, role="tx",
                     f_min_mhz=f_mhz - 0.5 * bw_khz / 1000.0 - 500.0, f_max_mhz=f_mhz + 0.5 * bw_khz / 1000.0 + 500.0)
    rows = [r for r in rows if r.eirp_dbw is not None and r.bw_khz is not None
            and abs(r.f_mhz - f_mhz) * 1000.0 < 0.5 * (r.bw_khz + bw_khz)]
    rows.sort(key=lambda r: float(geo.distance_km(lat, lon, r.lat, r.lon)))
    out = []
    for r in rows[:limit]:
        out.append(Station(lat=r.lat, lon=r.lon, h_agl_m=r.h_agl_m, f_mhz=r.f_mhz, eirp_dbw=r.eirp_dbw,
                           antenna=_antenna(r, reg, r.g_dbi), g_dbi=r.g_dbi or 0.0, azimuth_deg=r.azimuth_deg or 0.0,
                           tilt_deg=r.tilt_deg or 0.0, polarisation=r.polarisation or "v", bw_khz=r.bw_khz,
                           fdr_db=0.0, name=f"{r.licence_number} {r.station_name}"))
    return out, len(rows)


def _run_interference(args, dem) -> int:
    import numpy as np

    from spectrum import coverage

    p = 1.0 if args.p is None else args.p
    f_v = args.victim_f_mhz if args.victim_f_mhz is not None else (950.0 if args.demo else None)
    bw_v = args.victim_bw_khz if args.victim_bw_khz is not None else (10000.0 if args.demo else None)
    if f_v is None or bw_v is None:
        raise ValueError("--interference needs --victim-f-mhz and --victim-bw-khz")
    interferers = [_interferer_arg(t) for t in (args.interferer or [])]
    n_found = len(interferers)
    if args.demo or args.register:
        if args.demo:
            from spectrum.datasets.register import sample_register

            reg = sample_register()
        else:
            from spectrum.register import Register

            reg = Register.open(args.register, create=False)
        try:
            lat0 = 31.2 if args.lat is None else args.lat
            lon0 = 121.45 if args.lon is None else args.lon
            found, n_found = _register_interferers(reg, lat0, lon0, args.radius_km + 50.0, f_v, bw_v,
                                                   args.max_interferers)
        finally:
            reg.close()
        interferers += found
    if not interferers:
        raise ValueError(f"no co-channel interferer for the victim channel {f_v:g} MHz +- {bw_v / 2:g} kHz "
                         "(give --register, --demo or --interferer)")
    if args.lat is None or args.lon is None:
        lat0 = float(np.mean([s.lat for s in interferers]))
        lon0 = float(np.mean([s.lon for s in interferers]))
    else:
        lat0, lon0 = args.lat, args.lon
    victim = coverage.Receiver(h_agl_m=args.hrg_m, f_mhz=f_v, bw_khz=bw_v, noise_figure_db=args.victim_nf_db,
                               g_dbi=args.victim_g_dbi, feeder_loss_db=args.victim_feeder_db,
                               protection_db=args.protection_db)
    grid = coverage.map_grid(dem, lat0, lon0, args.radius_km, resolution_arcsec=args.resolution_arcsec,
                             shape=tuple(args.size) if args.size else None)
    t0 = time.perf_counter()  # radius_km=None: each interferer's radials reach every pixel
    with dask_session(args) as client:
        da = coverage.interference_map(dem, victim, interferers, args.model, p=p, radius_km=None, grid=grid,
                                       n_radials=args.n_radials, step_m=args.step_m, interp=args.interp,
                                       zone=args.zone, client=client, progress=show_progress(args))
    elapsed = time.perf_counter() - t0
    if args.out:
        coverage.save_map(da, args.out)
    from spectrum.gis.layers import write_map_layers_from_args

    layers = write_map_layers_from_args(da, args)
    if args.png:
        draw_png(da, args.png, None, title=f"aggregate I/N, {len(interferers)} interferers, {f_v:g} MHz, "
                                           f"p = {p:g} %, victim {args.hrg_m:g} m", markers=interferers)
    v = da.values
    vals = v[np.isfinite(v)]
    summary = {
        "model": da.attrs["model"], "quantity": "i_n_db", "units": "dB", "p": p,
        "victim": {"f_mhz": f_v, "bw_khz": bw_v, "noise_figure_db": args.victim_nf_db, "h_agl_m": args.hrg_m,
                   "g_dbi": args.victim_g_dbi, "n_dbw": da.attrs["n_dbw"]},
        "interferers": [{"name": s.name, "lat": s.lat, "lon": s.lon, "f_mhz": s.f_mhz, "eirp_dbw": s.eirp_dbw}
                        for s in interferers],
        "co_channel_found": n_found,
        "pixels": [int(v.shape[0]), int(v.shape[1])], "valid_pixels": int(vals.size),
        "min": float(vals.min()) if vals.size else None, "median": float(np.median(vals)) if vals.size else None,
        "max": float(vals.max()) if vals.size else None,
        "protection_db": args.protection_db,
        "share_exceeding": float((vals > args.protection_db).mean()) if vals.size else None,
        "seconds": round(elapsed, 3), "out": args.out, "png": args.png,
    }
    summary["layers"] = [str(x) for x in layers]
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"victim      {f_v:g} MHz, {bw_v:g} kHz, NF {args.victim_nf_db:g} dB, G {args.victim_g_dbi:g} dBi, "
          f"{args.hrg_m:g} m agl; N = {da.attrs['n_dbw']:.1f} dBW")
    print(f"interferers {len(interferers)} (co-channel, {summary['model']}, p = {p:g} %)")
    print(f"map         {v.shape[0]} x {v.shape[1]} pixels around ({lat0:.4f}, {lon0:.4f}), "
          f"up to {da.attrs['n_radials']} radials per interferer, {elapsed:.2f} s")
    if vals.size:
        print(f"I/N         min {summary['min']:.1f}  median {summary['median']:.1f}  max {summary['max']:.1f} dB")
        print(f"exceeding   {100 * summary['share_exceeding']:.1f} % of pixels have I/N > {args.protection_db:g} dB")
    if args.out:
        print(f"wrote       {args.out}")
    if args.png:
        print(f"wrote       {args.png}")
    for x in layers:
        print(f"wrote       {x}")
    return 0


def run(args) -> int:
    import numpy as np

    from spectrum import coverage
    from spectrum.gis.layers import check_map_layer_args
    from spectrum.io import check_outputs

    import math

    for name, v in (("--threshold", args.threshold), ("--protection-db", args.protection_db)):
        if v is not None and not math.isfinite(v):
            raise ValueError(f"{name} {v} is not a finite number")
    if args.max_interferers < 1:
        raise ValueError(f"--max-interferers {args.max_interferers} must be >= 1")
    if args.levels is None:
        args.levels = [args.protection_db] if args.interference else ([args.threshold] if args.threshold is not None else None)
    check_map_layer_args(args, [*(args.dem or []), args.register], others={"--out": args.out, "--png": args.png})
    check_outputs([args.out, args.png, getattr(args, 'geotiff', None), getattr(args, 'geojson', None),
                   getattr(args, 'kml', None)], inputs=[args.register, *(args.dem or [])])
    dem = load_dem(args.dem)
    if args.interference:
        return _run_interference(args, dem)
    if args.p is None:
        args.p = 50.0
    st = _station(args)
    model_kw = {}
    if args.model == "p1812":
        model_kw["pl"] = args.pl
    t0 = time.perf_counter()
    with dask_session(args) as client:
        da = coverage.field_strength_map(dem, st, args.model, quantity=args.quantity, radius_km=args.radius_km,
                                         resolution_arcsec=args.resolution_arcsec,
                                         shape=tuple(args.size) if args.size else None, p=args.p, hrg_m=args.hrg_m,
                                         n_radials=args.n_radials, step_m=args.step_m, interp=args.interp,
                                         zone=args.zone, client=client, progress=show_progress(args), **model_kw)
    elapsed = time.perf_counter() - t0
    if args.out:
        coverage.save_map(da, args.out)
    from spectrum.gis.layers import write_map_layers_from_args

    layers = write_map_layers_from_args(da, args)
    if args.png:
        draw_png(da, args.png, st, title=f"{st.name}: {da.attrs['long_name']}, p = {args.p:g} %, "
                                         f"{st.f_mhz:g} MHz, Rx {args.hrg_m:g} m")
    v = da.values
    ok = np.isfinite(v)
    vals = v[ok]
    summary = {
        "station": {"name": st.name, "lat": st.lat, "lon": st.lon, "h_agl_m": st.h_agl_m, "f_mhz": st.f_mhz,
                    "eirp_dbw": st.eirp_dbw, "pattern": None if st.antenna is None else st.antenna.kind,
                    "azimuth_deg": st.azimuth_deg},
        "model": da.attrs["model"], "quantity": args.quantity, "units": da.attrs["units"], "p": args.p,
        "pixels": [int(v.shape[0]), int(v.shape[1])], "valid_pixels": int(ok.sum()),
        "n_radials": int(da.attrs["n_radials"]), "radius_km": args.radius_km,
        "min": float(vals.min()) if vals.size else None,
        "median": float(np.median(vals)) if vals.size else None,
        "max": float(vals.max()) if vals.size else None,
        "seconds": round(elapsed, 3),
        "dem": str(dem.attrs.get("source", "")),
        "out": args.out, "png": args.png,
    }
    summary["layers"] = [str(x) for x in layers]
    if args.threshold is not None:
        summary["threshold"] = args.threshold
        summary["share_at_or_above"] = float((vals >= args.threshold).mean()) if vals.size else None
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    u = summary["units"]
    print(f"station     {st.name}  ({st.lat:.5f}, {st.lon:.5f})  h {st.h_agl_m:g} m  {st.f_mhz:g} MHz  "
          f"EIRP {st.eirp_dbw:.2f} dBW  pattern {summary['station']['pattern'] or 'omni'}")
    print(f"model       {summary['model']}  p = {args.p:g} %  Rx {args.hrg_m:g} m agl")
    print(f"map         {v.shape[0]} x {v.shape[1]} pixels ({summary['valid_pixels']} valid), "
          f"{summary['n_radials']} radials, radius {args.radius_km:g} km, {elapsed:.2f} s")
    if vals.size:
        print(f"{args.quantity:<11} min {summary['min']:.1f}  median {summary['median']:.1f}  "
              f"max {summary['max']:.1f} {u}")
    if args.threshold is not None and vals.size:
        print(f"coverage    {100 * summary['share_at_or_above']:.1f} % of pixels >= {args.threshold:g} {u}")
    if args.out:
        print(f"wrote       {args.out}")
    if args.png:
        print(f"wrote       {args.png}")
    for x in layers:
        print(f"wrote       {x}")
    return 0
