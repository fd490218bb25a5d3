"""``spectrum terrain``: inspect terrain data and build tile-catalogue indexes.

Examples::

    spectrum terrain info ../shared/datasets/dem-east-china-30s/east_china_dem_30s.nc
    spectrum terrain info ../shared/datasets --json
    spectrum terrain index ../shared/datasets --refresh

``info`` prints, for a file or a folder (a tile catalogue), the extent, resolution, CRS, voids,
sea cells and the gaps (parts of the extent no file covers); ``index`` builds or refreshes a
folder's catalogue index (cached in ``$SPECTRUM_CACHE_DIR``/``~/.cache/spectrum/terrain``) and
lists the files it rejected and why.
"""
from __future__ import annotations

import json
import math

import numpy as np


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("terrain", help="terrain data: info on a DEM file or tile folder, build a catalogue index",
                              description="Inspect DEM files and folders of tiles (catalogues).")
    sub = p.add_subparsers(dest="terrain_cmd", metavar="<action>")
    i = sub.add_parser("info", help="extent, resolution, CRS, voids and gaps of a DEM file or folder",
                       description="Extent, resolution, CRS, voids, sea cells and coverage gaps of a DEM file "
                                   "or of a folder of tiles (indexed once, then read from the cache).")
    i.add_argument("path", help="DEM file (.hgt, .tif, .nc, any GDAL raster with [gis]) or folder of tiles")
    i.add_argument("--nodata", type=float, default=None, help="extra no-data value (e.g. -9999)")
    i.add_argument("--bathymetry", action="store_true", help="negative heights are sea depths (topo-bathymetry)")
    i.add_argument("--json", action="store_true", help="print JSON")
    i.set_defaults(func=run_info)
    x = sub.add_parser("index", help="build or refresh the catalogue index of a folder of DEM tiles",
                       description="Index every DEM file under a folder (recursively): extent, resolution, CRS, "
                                   "checksum, heights, voids; cached, refreshed for changed files.")
    x.add_argument("path", help="folder of DEM tiles")
    x.add_argument("--refresh", action="store_true", help="re-read every file (full rebuild)")
    x.add_argument("--nodata", type=float, default=None, help="extra no-data value for every file")
    x.add_argument("--json", action="store_true", help="print JSON")
    x.set_defaults(func=run_index)
    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])


def _res_text(dlat: float, dlon: float) -> str:
    km = math.radians(dlat) * 6371.0
    return f"{dlat * 3600:.4g}\" x {dlon * 3600:.4g}\" ({km * 1000:.0f} m N-S)"


def _gaps(cat, cells: int = 1) -> list[dict]:
    """1-degree cells inside the catalogue's extent that no tile touches (coarse gap list)."""
    b = cat.bounds
    out = []
    la0, la1 = math.floor(b[0]), math.ceil(b[1])
    lo0, lo1 = math.floor(b[2]), math.ceil(b[3])
    if (la1 - la0) * (lo1 - lo0) > 20000:
        return out
    tb = cat.tb
    for la in range(la0, la1):
        for lo in range(lo0, lo1):
            hit = (tb[:, 0] < la + 1) & (tb[:, 1] > la) & (tb[:, 2] < lo + 1) & (tb[:, 3] > lo)
            if not hit.any():
                out.append({"lat_min": la, "lat_max": la + 1, "lon_min": lo, "lon_max": lo + 1})
    return out


def info_dict(path, nodata=None, bathymetry=False) -> dict:
    """What ``spectrum terrain info`` prints, as a dict."""
    from pathlib import Path

    from spectrum import terrain

    p = Path(path)
    if p.is_dir():
        cat = terrain.Catalogue.open(p, nodata=nodata, bathymetry=True if bathymetry else "auto")
        b = cat.bounds
        files = []
        for e in cat.entries:
            f = {k: e.get(k) for k in ("path", "status", "format", "crs", "checksum", "nlat", "nlon", "min_m", "max_m",
                                       "voids", "sea_cells", "bathymetry", "error") if e.get(k) is not None}
            if e.get("status") == "ok":
                f["bounds"] = [e["lat0"], e["lat0"] + (e["nlat"] - 1) * e["dlat"],
                               e["lon0"], e["lon0"] + (e["nlon"] - 1) * e["dlon"]]
                f["resolution_arcsec"] = [e["dlat"] * 3600, e["dlon"] * 3600]
            files.append(f)
        ok = [e for e in cat.entries if e.get("status") == "ok"]
        return {"path": str(p), "kind": "catalogue", "index": str(cat.index_path or ""),
                "bounds": {"lat_min": b[0], "lat_max": b[1], "lon_min": b[2], "lon_max": b[3]},
                "n_files": len(cat.entries), "n_usable": len(ok), "n_rejected": len(cat.entries) - len(ok),
                "resolutions_arcsec": sorted({(round(e["dlat"] * 3600, 3), round(e["dlon"] * 3600, 3)) for e in ok}),
                "crs": sorted({e.get("crs", "") for e in ok}),
                "voids": int(sum(e.get("voids", 0) for e in ok)),
                "sea_cells": int(sum(e.get("sea_cells", 0) for e in ok)),
                "gaps_1deg": _gaps(cat), "files": files}
    dem = terrain.load_dem(p, nodata=nodata, bathymetry=bathymetry)
    b = terrain.dem_bounds(dem)
    z = dem.values
    lat, lon = dem["lat"].values, dem["lon"].values
    return {"path": str(p), "kind": "file", "format": dem.attrs.get("format", ""),
            "crs": dem.attrs.get("source_crs", "EPSG:4326"),
            "bounds": {"lat_min": b[0], "lat_max": b[1], "lon_min": b[2], "lon_max": b[3]},
            "shape": list(z.shape),
            "resolution_arcsec": [float((lat[-1] - lat[0]) / (lat.size - 1) * 3600),
                                  float((lon[-1] - lon[0]) / (lon.size - 1) * 3600)],
            "min_m": float(np.nanmin(z)), "max_m": float(np.nanmax(z)), "mean_m": float(np.nanmean(z)),
            "voids": int(dem.attrs.get("voids", np.isnan(z).sum())), "sea_cells": int(dem.attrs.get("sea_cells", 0)),
            "outside_footprint": int(np.isnan(z).sum()) - int(dem.attrs.get("voids", np.isnan(z).sum())),
            "gaps_1deg": []}


def run_info(args) -> int:
    d = info_dict(args.path, args.nodata, args.bathymetry)
    if args.json:
        print(json.dumps(d, indent=1))
        return 0
    b = d["bounds"]
    lines = [f"Terrain {d['path']} ({d['kind']})",
             f"  extent     lat {b['lat_min']:.5f} .. {b['lat_max']:.5f}, lon {b['lon_min']:.5f} .. {b['lon_max']:.5f}"]
    if d["kind"] == "file":
        r = d["resolution_arcsec"]
        lines += [f"  format     {d['format']}", f"  crs        {d['crs']}",
                  f"  grid       {d['shape'][0]} x {d['shape'][1]} posts, {_res_text(r[0] / 3600, r[1] / 3600)}",
                  f"  heights    {d['min_m']:.1f} .. {d['max_m']:.1f} m (mean {d['mean_m']:.1f})",
                  f"  voids      {d['voids']} cells;  sea {d['sea_cells']} cells"
                  + (f";  {d['outside_footprint']} cells outside the reprojected footprint (NaN, not voids)"
                     if d["outside_footprint"] else "")]
    else:
        lines += [f"  files      {d['n_usable']} usable of {d['n_files']} ({d['n_rejected']} rejected)",
                  "  resolution " + ", ".join(f"{a:g}\"x{o:g}\"" for a, o in d["resolutions_arcsec"]),
                  f"  crs        {', '.join(d['crs'])}",
                  f"  voids      {d['voids']} cells;  sea {d['sea_cells']} cells",
                  f"  gaps       {len(d['gaps_1deg'])} one-degree cells of the extent have no file",
                  f"  index      {d['index']}", ""]
        for f in d["files"]:
            if f["status"] == "ok":
                fb = f["bounds"]
                lines.append(f"  {f['path']:<52} {fb[0]:8.3f}..{fb[1]:<8.3f} {fb[2]:9.3f}..{fb[3]:<9.3f} "
                             f"{f['resolution_arcsec'][0]:7.3g}\"  voids {f.get('voids', 0)}"
                             + ("  (bathymetry: depths -> sea)" if f.get("bathymetry") else ""))
            else:
                lines.append(f"  {f['path']:<52} REJECTED: {f.get('error', '')}")
    print("\n".join(lines))
    return 0


def run_index(args) -> int:
    import time
    from pathlib import Path

    from spectrum import terrain

    if not Path(args.path).is_dir():
        raise ValueError(f"{args.path} is not a folder (terrain index builds the catalogue of a folder of tiles)")
    t0 = time.perf_counter()
    cat = terrain.Catalogue.open(args.path, refresh=args.refresh, nodata=args.nodata)
    dt = time.perf_counter() - t0
    ok = [e for e in cat.entries if e.get("status") == "ok"]
    bad = [e for e in cat.entries if e.get("status") != "ok"]
    doc = {"path": str(cat.root), "index": str(cat.index_path), "n_files": len(cat.entries), "n_usable": len(ok),
           "rejected": [{"path": e["path"], "error": e.get("error", "")} for e in bad], "seconds": dt}
    if args.json:
        print(json.dumps(doc, indent=1))
        return 0
    print(f"Indexed {cat.root}: {len(ok)} usable DEM files of {len(cat.entries)} in {dt:.2f} s\n  index {cat.index_path}")
    for e in bad:
        print(f"  rejected {e['path']}: {e.get('error', '')}")
    return 0
