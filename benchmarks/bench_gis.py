"""GIS output benchmark: Cloud-Optimized GeoTIFF writing and contouring of a 1 000 x 1 000 map.

    python benchmarks/bench_gis.py                  # 1000 x 1000, 5 repeats
    python benchmarks/bench_gis.py --size 2000 --repeats 3 --json

The map is coverage-like (field strength falling with log-distance from a station, textured by
the seeded benchmark terrain, a no-data patch), float64. Timed, medians:

- ``write_geotiff`` (COG: tiles, DEFLATE + floating-point predictor, overviews, tags, atomic
  rename) against peers on the same array in the same run: rasterio writing a plain tiled
  DEFLATE GeoTIFF without overviews (what GDAL costs before the COG layout), and tifffile writing
  the bare array (tiled zlib, no predictor: that needs imagecodecs; no georeferencing);
- ``contour_polygons`` at 3 levels (contourpy tracing, shapely assembly, validity, precision
  snapping, orientation, geodesic areas) against the bare contourpy tracing of the same levels
  (what matplotlib's ``contourf`` costs), and the GeoJSON / KML text on top.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_dem, machine_info, timeit_median  # noqa: E402


def make_map(size: int):
    import xarray as xr

    dem = bench_dem(size + 1)
    h = np.asarray(dem.values[:size, :size], dtype=np.float64)
    lat = np.asarray(dem.lat.values[:size], dtype=np.float64)
    lon = np.asarray(dem.lon.values[:size], dtype=np.float64)
    la, lo = np.meshgrid(lat, lon, indexing="ij")
    d_km = np.hypot((la - lat.mean()) * 111.2, (lo - lon.mean()) * 111.2 * np.cos(np.radians(lat.mean()))) + 0.1
    z = 110.0 - 30.0 * np.log10(d_km) + 0.03 * (h - h.mean())
    z[size // 5:size // 5 + size // 20, size // 3:size // 3 + size // 10] = np.nan
    return xr.DataArray(z, dims=("lat", "lon"), coords={"lat": lat, "lon": lon}, name="e_dbuvm",
                        attrs={"units": "dB(uV/m)", "long_name": "field strength (benchmark)", "model": "benchmark"})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=1000, help="map pixels per side (default 1000)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--levels", default="60,70,80", help="contour levels (default 60,70,80)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    import contourpy
    import rasterio
    import tifffile

    from spectrum import gis

    da = make_map(args.size)
    levels = [float(x) for x in args.levels.split(",")]
    res = {"size": args.size, "levels": levels, "machine": machine_info()}
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        res["cog_write_s"] = timeit_median(lambda: gis.write_geotiff(da, t / "m.tif"), repeat=args.repeats)
        res["cog_bytes"] = os.path.getsize(t / "m.tif")
        res["cog_valid"] = gis.validate_cog(t / "m.tif") == []
        g = gis.grid_of(da)
        prof = dict(driver="GTiff", width=args.size, height=args.size, count=1, dtype="float64", crs="EPSG:4326",
                    transform=rasterio.transform.Affine(g.dx, 0, g.x[0] - g.dx / 2, 0, -g.dy, g.y[0] + g.dy / 2),
                    tiled=True, blockxsize=512, blockysize=512, compress="deflate", predictor=3, nodata=np.nan)

        def plain():
            with rasterio.open(t / "plain.tif", "w", **prof) as dst:
                dst.write(g.values)

        res["peer_rasterio_tiled_gtiff_s"] = timeit_median(plain, repeat=args.repeats)
        res["peer_tifffile_s"] = timeit_median(
            lambda: tifffile.imwrite(t / "bare.tif", g.values[0], tile=(512, 512), compression="zlib"),
            repeat=args.repeats)
        res["read_back_s"] = timeit_median(lambda: gis.read_geotiff(t / "m.tif"), repeat=args.repeats)
        z = np.ma.masked_invalid(da.values)
        zmax = float(np.nanmax(da.values))

        def bare():
            gen = contourpy.contour_generator(da.lon.values, da.lat.values, z, fill_type="OuterOffset")
            return [gen.filled(lv, zmax) for lv in levels]

        res["peer_contourpy_trace_s"] = timeit_median(bare, repeat=args.repeats)
        res["contours_s"] = timeit_median(lambda: gis.contour_polygons(da, levels), repeat=args.repeats)
        cs = gis.contour_polygons(da, levels)
        res["contour_vertices"] = int(sum(len(np.asarray(p.exterior.coords)) + sum(len(r.coords) for r in p.interiors)
                                          for c in cs for p in c.geometry.geoms))
        res["geojson_s"] = timeit_median(lambda: gis.write_contours_geojson(da, t / "c.geojson", levels, contours=cs),
                                         repeat=args.repeats)
        res["kml_s"] = timeit_median(lambda: gis.write_contours_kml(da, t / "c.kml", levels, contours=cs),
                                     repeat=args.repeats)
    res["ratio_cog_vs_rasterio_plain"] = res["cog_write_s"] / res["peer_rasterio_tiled_gtiff_s"]
    res["ratio_cog_vs_tifffile"] = res["cog_write_s"] / res["peer_tifffile_s"]
    res["ratio_contours_vs_contourpy"] = res["contours_s"] / res["peer_contourpy_trace_s"]
    if args.json:
        print(json.dumps(res, indent=1))
        return 0
    n = args.size
    print(f"GIS outputs, {n} x {n} float64 map, medians of {args.repeats} ({res['machine']})")
    print(f"  COG write (ours)                    {res['cog_write_s'] * 1e3:8.1f} ms  "
          f"{res['cog_bytes'] / 1e6:.1f} MB, valid COG: {res['cog_valid']}")
    print(f"  rasterio tiled GTiff, no overviews  {res['peer_rasterio_tiled_gtiff_s'] * 1e3:8.1f} ms  "
          f"-> ours x{res['ratio_cog_vs_rasterio_plain']:.2f}")
    print(f"  tifffile bare array                 {res['peer_tifffile_s'] * 1e3:8.1f} ms  "
          f"-> ours x{res['ratio_cog_vs_tifffile']:.2f}")
    print(f"  read back (ours, rasterio)          {res['read_back_s'] * 1e3:8.1f} ms")
    print(f"  contours, {len(levels)} levels (ours)         {res['contours_s'] * 1e3:8.1f} ms  "
          f"{res['contour_vertices']} vertices")
    print(f"  contourpy tracing only              {res['peer_contourpy_trace_s'] * 1e3:8.1f} ms  "
          f"-> ours x{res['ratio_contours_vs_contourpy']:.2f}")
    print(f"  GeoJSON / KML text + write          {res['geojson_s'] * 1e3:8.1f} / {res['kml_s'] * 1e3:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
