"""The GIS outputs of the ``spectrum`` commands, in one call each.

``spectrum coverage ... --geotiff F --geojson F --kml F --levels 60,70`` and
``spectrum register list ... --geojson F --kml F`` go through :func:`check_outputs` (before the
computation: options, extras installed, no output path that is an input or another output) and
:func:`write_map_layers` / :func:`write_station_layers` (after it: every layer computed in memory
first, then written atomically through :mod:`spectrum.io`).
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Iterable, Sequence

from ._grid import require


def levels_arg(text: str) -> list[float]:
    """argparse type for ``--levels 60,70`` (comma-separated numbers in the map's units)."""
    try:
        out = [float(t) for t in str(text).replace(" ", "").split(",") if t != ""]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers such as 60,70, got {text!r}") from None
    if not out or any(v != v or v in (float("inf"), float("-inf")) for v in out):
        raise argparse.ArgumentTypeError(f"expected comma-separated finite numbers such as 60,70, got {text!r}")
    return out


def add_map_layer_options(group, levels_default: str = "") -> None:
    """Add ``--geotiff``, ``--geojson``, ``--kml`` and ``--levels`` to an argparse parser or group,
    the same way for every map command (coverage, interference, best-server, C/I, Monte Carlo)."""
    group.add_argument("--geotiff", metavar="FILE", help="write the map as a Cloud-Optimized GeoTIFF ([gis] extra)")
    group.add_argument("--geojson", metavar="FILE", help="write the contours at --levels as GeoJSON polygons (RFC 7946)")
    group.add_argument("--kml", metavar="FILE", help="write the contours at --levels as KML, one folder per level")
    group.add_argument("--levels", type=levels_arg, metavar="L1,L2",
                       help="contour levels in the map's units, e.g. 60,70 (areas at or above each)"
                            + (f"; default {levels_default}" if levels_default else ""))


def check_outputs(outputs: dict, inputs: Iterable = (), *, vectors_need_levels: bool = False,
                  levels: Sequence[float] | None = None) -> None:
    """Check GIS output options before any work: the extras are installed, no output is an input or
    another output, and contour outputs have levels.

    Parameters
    ----------
    outputs : dict
        ``option name -> path or None``, e.g. ``{"--geotiff": "cov.tif", "--kml": None}``.
    inputs : iterable of path
        Files the command reads (DEMs, register): an output naming one is an error.
    vectors_need_levels : bool
        Whether ``--geojson`` / ``--kml`` are contours (they then need ``levels``).
    """
    given = {k: v for k, v in outputs.items() if v}
    if not given:
        return
    from ..io import OutputError, check_outputs as _io_check_outputs

    try:  # one output policy for every command (spectrum.io): inputs, registers, directories, duplicates
        _io_check_outputs(list(given.values()), inputs=[i for i in inputs if i], allow_stdout=False)
    except OutputError as exc:
        opt = next((o for o, p in given.items() if str(p) in str(exc)), None)
        raise OutputError(f"{opt} {exc}" if opt else str(exc)) from None
    if given.get("--geotiff"):
        require("rasterio")
        require("pyproj")
    if (given.get("--geojson") or given.get("--kml")) and vectors_need_levels:
        require("shapely")
        require("pyproj")
        if not levels:
            raise ValueError("--geojson/--kml write contours: give --levels L1,L2,... (in the map's units)")


def check_map_layer_args(args, inputs: Iterable = (), *, others: dict | None = None) -> None:
    """:func:`check_outputs` for the options of :func:`add_map_layer_options` on ``args``
    (plus ``others``, e.g. ``{"--out": args.out}``), before the map is computed."""
    check_outputs({**(others or {}), "--geotiff": getattr(args, "geotiff", None),
                   "--geojson": getattr(args, "geojson", None), "--kml": getattr(args, "kml", None)},
                  inputs, vectors_need_levels=True, levels=getattr(args, "levels", None))


def write_map_layers_from_args(da, args, *, above: bool = True) -> list[Path]:
    """:func:`write_map_layers` with the options of :func:`add_map_layer_options` on ``args``."""
    return write_map_layers(da, geotiff=getattr(args, "geotiff", None), geojson=getattr(args, "geojson", None),
                            kml=getattr(args, "kml", None), levels=getattr(args, "levels", None), above=above)


def contour_texts(da, *, geojson=None, kml=None, levels=None, above: bool = True) -> dict:
    """``path -> text`` of the GeoJSON / KML contours of ``da`` at ``levels`` (traced once, shared
    by both files), computed in memory; nothing is written."""
    from .vector import _dump_geojson, contour_polygons, contours_geojson, contours_kml

    texts = {}
    if geojson or kml:
        if not levels:
            raise ValueError("contours need levels (--levels L1,L2,...)")
        cs = contour_polygons(da, levels, above=above)
        if geojson:
            texts[geojson] = _dump_geojson(contours_geojson(da, levels, above=above, contours=cs))
        if kml:
            texts[kml] = contours_kml(da, levels, above=above, contours=cs)
    return texts


def write_map_layers(da, *, geotiff=None, geojson=None, kml=None, levels=None, above: bool = True) -> list[Path]:
    """Write a map's GeoTIFF and its contours at ``levels`` as GeoJSON / KML; return the paths written.

    The contours are traced once and shared by both vector files; everything is computed before the
    first file is written.
    """
    from .raster import write_geotiff

    texts = contour_texts(da, geojson=geojson, kml=kml, levels=levels, above=above)
    written = []
    if geotiff:
        written.append(write_geotiff(da, geotiff))
    from ..io import write_text

    for path, text in texts.items():
        written.append(Path(write_text(path, text)))
    return written


def write_station_layers(rows, *, geojson=None, kml=None, name: str = "Register stations") -> list[Path]:
    """Write register rows as GeoJSON and/or KML points; return the paths written."""
    from ..io import write_text
    from .vector import _dump_geojson, stations_geojson, stations_kml

    texts = {}
    if geojson:
        texts[geojson] = _dump_geojson(stations_geojson(rows))
    if kml:
        texts[kml] = stations_kml(rows, name=name)
    return [Path(write_text(p, t)) for p, t in texts.items()]
