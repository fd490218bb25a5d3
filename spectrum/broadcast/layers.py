"""The GIS layers of a broadcast map (``spectrum broadcast ... --geotiff/--geojson/--kml``).

One rule for the three maps of :mod:`spectrum.broadcast`: the GeoTIFF named by the user holds the
map's field strength; quantities with other units or meanings go to companion GeoTIFFs beside it
(``<stem>_server.tif``, ``<stem>_ci.tif``), because a GIS styles a file by one unit and a
categorical index (the serving station) wants its own integer raster with a unique-values style;
contours are traced on the quantity whose edge is the planning answer.

=============  =====================================================  ==========================================
map            GeoTIFF(s)                                             contours (--levels; default)
=============  =====================================================  ==========================================
coverage       ``F``: ``e_dbuvm`` [dB(uV/m)]                          ``e_dbuvm`` (the minimum usable field
                                                                      strength: the coverage edge)
interference   ``F``: two bands, ``e_wanted_dbuvm`` and               ``e_wanted - e_usable`` [dB] (0 dB: the
               ``e_usable_dbuvm`` [dB(uV/m)]                          edge of the surviving service area)
best-server    ``F``: ``e_best_dbuvm`` [dB(uV/m)];                    ``e_best_dbuvm`` (the minimum usable field
               ``F_server.tif``: serving-station index (int16,        strength: the served area)
               no-data -1; station names in the tag
               ``stations_json``); ``F_ci.tif``: ``ci_db`` [dB]
=============  =====================================================  ==========================================

Every GeoTIFF is a COG with CRS (EPSG:4326), no-data, units and the map's provenance
(:func:`spectrum.gis.write_geotiff`).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

#: companion GeoTIFFs of each map: suffix added to the stem of ``--geotiff`` -> variable
COMPANIONS = {"coverage": {}, "interference": {}, "best-server": {"_server": "server", "_ci": "ci_db"}}
#: the map's attributes copied to every layer (provenance and the planning criterion)
_KEEP = ("title", "model", "system", "e_req_dbuvm", "e_min_dbuvm", "pr_co_db", "pl", "t", "t_int", "kind", "h2_m",
         "area", "erp_dbw", "f_mhz", "stations_json", "dem_source", "software", "software_version", "inputs_json")


def geotiff_paths(kind: str, geotiff) -> dict[str, Path]:
    """``variable key -> path`` of the GeoTIFFs ``--geotiff geotiff`` writes for map ``kind``:
    ``"main"`` is ``geotiff`` itself, the others its companions (same folder, ``<stem><suffix>.tif``)."""
    if kind not in COMPANIONS:
        raise ValueError(f"kind = {kind!r} is not one of {', '.join(COMPANIONS)}")
    p = Path(geotiff)
    out = {"main": p}
    for suffix, var in COMPANIONS[kind].items():
        out[var] = p.with_name(p.stem + suffix + ".tif")
    return out


def _layer(ds: xr.Dataset, var: str) -> xr.DataArray:
    da = ds[var]
    if "crs" in da.coords:
        da = da.drop_vars("crs")
    attrs = {k: ds.attrs[k] for k in _KEEP if k in ds.attrs}
    attrs.update({k: v for k, v in da.attrs.items() if k != "grid_mapping"})
    return da.copy(data=da.values).assign_attrs(attrs).rename(var)


def raster_layers(ds: xr.Dataset, kind: str) -> dict[str, xr.DataArray]:
    """The DataArrays written as GeoTIFFs for a broadcast map (keys as :func:`geotiff_paths`).

    Values are the map's own arrays, unchanged (the GeoTIFF round trip is bit-identical); the
    serving-station index keeps its integer type with no-data -1 (not served).
    """
    if kind == "coverage":
        return {"main": _layer(ds, "e_dbuvm")}
    if kind == "interference":
        w, u = _layer(ds, "e_wanted_dbuvm"), _layer(ds, "e_usable_dbuvm")
        da = xr.concat([w, u], dim=xr.Variable("quantity", ["e_wanted_dbuvm", "e_usable_dbuvm"]))
        da.attrs = dict(w.attrs, long_name="wanted (band 1) and usable (band 2) field strength (ITU-R P.1546-6)")
        return {"main": da.rename("e_dbuvm")}
    if kind == "best-server":
        server = _layer(ds, "server")
        server = server.astype(np.int16).assign_attrs(server.attrs, nodata=-1, units="1")
        return {"main": _layer(ds, "e_best_dbuvm"), "server": server, "ci_db": _layer(ds, "ci_db")}
    raise ValueError(f"kind = {kind!r} is not one of {', '.join(COMPANIONS)}")


def contour_layer(ds: xr.Dataset, kind: str) -> tuple[xr.DataArray, float]:
    """The map whose contours ``--geojson/--kml`` write, and its default level (the planning edge)."""
    if kind == "coverage":
        return _layer(ds, "e_dbuvm"), float(ds.attrs["e_req_dbuvm"])
    if kind == "interference":
        w = _layer(ds, "e_wanted_dbuvm")
        m = (w - ds["e_usable_dbuvm"].values).assign_attrs(
            w.attrs, units="dB", long_name="wanted minus usable field strength (interference margin)")
        return m.rename("interference_margin_db"), 0.0
    if kind == "best-server":
        return _layer(ds, "e_best_dbuvm"), float(ds.attrs["e_req_dbuvm"])
    raise ValueError(f"kind = {kind!r} is not one of {', '.join(COMPANIONS)}")


def write_layers(ds: xr.Dataset, kind: str, *, geotiff=None, geojson=None, kml=None, levels=None) -> list[Path]:
    """Write the GIS layers of a broadcast map (see the module docstring); the paths written.

    ``levels`` default to the map's planning edge (:func:`contour_layer`). Everything is computed
    before the first file is written; each file is written atomically.
    """
    from ..gis.layers import contour_texts
    from ..gis.raster import write_geotiff
    from ..io import write_text

    texts = {}
    if geojson or kml:
        da, default = contour_layer(ds, kind)
        texts = contour_texts(da, geojson=geojson, kml=kml, levels=list(levels) if levels else [default])
    rasters = {}
    if geotiff:
        paths = geotiff_paths(kind, geotiff)
        rasters = {paths[k]: da for k, da in raster_layers(ds, kind).items()}
    written = [write_geotiff(da, path) for path, da in rasters.items()]
    return written + [Path(write_text(path, text)) for path, text in texts.items()]
