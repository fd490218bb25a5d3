"""Cloud-Optimized GeoTIFF (COG) for any map DataArray, and a COG layout check.

:func:`write_geotiff` writes a map (dims ``lat, lon`` or a projected ``y, x`` grid, optionally one
band dimension in front) as a COG through rasterio/GDAL's ``COG`` driver: internally tiled,
DEFLATE with the floating-point (or integer) predictor -- lossless, so the values read back are
bit-identical -- nodata (NaN for floating-point maps), overviews down to one tile, the CRS
(EPSG:4326 for lat/lon maps, else the grid's), and tags: units, long name, the array's scalar
attributes and the provenance of :func:`spectrum.io.provenance`. The file is written to a
temporary file and renamed (:func:`spectrum.io.atomic_path`).

:func:`validate_cog` checks the layout the way GDAL's ``validate_cloud_optimized_geotiff.py`` and
``rio cogeo validate`` do, with our own code: tiled main image, overviews when the image is larger
than one tile, main IFD first and overview IFDs after it, tile data of the smallest overview first
and of the full-resolution image last, so a reader fetching byte ranges over HTTP needs only the
header to find any tile.

References
----------
OGC 21-026, Cloud Optimized GeoTIFF specification 1.0 (2023); GDAL COG driver documentation.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from ._grid import Grid, grid_of, require

#: resampling of the overviews: nearest keeps values that exist on the map (no averaging of dB,
#: no spreading of NaN edges); overviews are for display, the full-resolution band is the data
OVERVIEW_RESAMPLING = "nearest"
_TAG_ORDER = "SPECTRUM_ORDER"
_TAG_DIMS = "SPECTRUM_DIMS"


def _tag_value(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, (str, bool, int, float, np.number, np.bool_)):
        return str(v.item() if isinstance(v, np.generic) else v)
    from ..io import to_json

    try:
        return to_json(v)
    except TypeError:
        return str(v)


def _tags(da, g: Grid, model: str | None, inputs: Mapping[str, Any] | None, extra: Mapping[str, Any] | None) -> dict:
    from ..io import provenance

    tags = {}
    for k, v in da.attrs.items():
        s = _tag_value(v)
        if s is not None:
            tags[str(k)] = s
    tags.update({k: _tag_value(v) for k, v in provenance(model or da.attrs.get("model"), inputs).items()
                 if k not in tags or k == "created_utc"})
    for k, v in (extra or {}).items():
        tags[str(k)] = _tag_value(v)
    if da.name is not None:
        tags["name"] = str(da.name)
    tags[_TAG_DIMS] = ",".join(map(str, g.dims))
    tags[_TAG_ORDER] = f"{'y_ascending' if g.flipped_y else 'y_descending'},{'x_descending' if g.flipped_x else 'x_ascending'}"
    # GDAL stores metadata as KEY=VALUE items: keep keys to letters, digits, "_", "-", "."
    return {re.sub(r"[^A-Za-z0-9_.\-]", "_", k) or "_": v for k, v in tags.items() if v is not None}


def write_geotiff(da, path, *, crs=None, nodata=None, blocksize: int = 512, compress: str = "deflate",
                  overview_resampling: str = OVERVIEW_RESAMPLING, predictor: bool = True, model: str | None = None,
                  inputs: Mapping[str, Any] | None = None, tags: Mapping[str, Any] | None = None) -> Path:
    """Write a map DataArray as a Cloud-Optimized GeoTIFF (OGC 21-026) with CRS, nodata, units and provenance.

    Parameters
    ----------
    da : xarray.DataArray
        Dims ``(lat, lon)`` / ``(y, x)``, optionally with one leading dimension written as bands
        (band descriptions name its values). Any dtype GDAL stores; values are written unchanged.
    path : str or Path
        Output file (``.tif``); written atomically.
    crs : str, optional
        Anything :mod:`pyproj` reads (``"EPSG:32651"``, WKT, PROJ). Default: found on ``da``
        (``attrs["crs"]``/``crs_wkt``, a ``crs``/``spatial_ref`` coordinate), else EPSG:4326
        for lat/lon maps; a projected grid without one is a ValueError.
    nodata : float, optional
        No-data value. Default ``attrs["nodata"]`` / ``attrs["_FillValue"]`` / the encoding's
        ``_FillValue`` when the map has one, else NaN for floating-point maps, none for integer maps.
    blocksize : int
        Tile edge [pixels], a multiple of 16 (default 512, the COG convention).
    compress : {"deflate", "lzw", "zstd", "none"}
        Lossless compression (with the predictor matching the dtype).
    overview_resampling : str
        GDAL resampling for the overviews (default nearest: values that exist on the map).
    predictor : bool
        Use the TIFF predictor matching the dtype (3, floating point; 2, integers): about 18 %
        smaller for a float64 coverage map. GDAL, QGIS and rasterio read it; tifffile (and so
        :func:`spectrum.terrain.load_dem`) decodes predictor 3 only with ``imagecodecs``
        installed: write with ``predictor=False`` for such readers.
    model, inputs : optional
        Provenance (:func:`spectrum.io.provenance`); ``model`` defaults to ``da.attrs["model"]``.
    tags : mapping, optional
        Extra dataset tags.

    Returns
    -------
    Path

    Raises
    ------
    ValueError
        Not a map, irregular grid, missing CRS, bad ``blocksize`` / ``compress``.
    MissingExtraError
        rasterio is not installed (``pip install 'spectrum[gis]'``).
    """
    g = grid_of(da, crs)
    if int(blocksize) != blocksize or blocksize < 16 or blocksize % 16:
        raise ValueError(f"blocksize = {blocksize!r} must be a positive multiple of 16 pixels")
    comp = str(compress).lower()
    if comp not in ("deflate", "lzw", "zstd", "none"):
        raise ValueError(f"compress = {compress!r} is not one of deflate, lzw, zstd, none")
    rasterio = require("rasterio")
    from rasterio.crs import CRS
    from rasterio.errors import CRSError
    from rasterio.io import MemoryFile
    from rasterio.shutil import copy as rio_copy
    from rasterio.transform import Affine

    from ..io import atomic_path

    try:
        rcrs = CRS.from_user_input(g.crs)
    except CRSError as exc:
        raise ValueError(f"crs = {g.crs[:80]!r} is not a coordinate reference system GDAL knows: {exc}") from None
    v = g.values
    if v.dtype == np.float16:
        v = v.astype(np.float32)
    if v.dtype.kind not in "fiub" or v.dtype.itemsize > 8:
        raise ValueError(f"map dtype {v.dtype} cannot be stored in a GeoTIFF")
    if v.dtype == np.bool_:
        v = v.astype(np.uint8)
    if nodata is None:
        for src in (da.attrs.get("nodata"), da.attrs.get("_FillValue"), da.encoding.get("_FillValue")):
            if src is not None:
                nodata = float(src)
                break
    if nodata is None and v.dtype.kind == "f":
        nodata = float("nan")
    nb, ny, nx = v.shape
    transform = Affine(g.dx, 0.0, g.x[0] - g.dx / 2.0, 0.0, -g.dy, g.y[0] + g.dy / 2.0)
    units = str(da.attrs.get("units", ""))
    long_name = str(da.attrs.get("long_name", da.name or ""))
    profile = dict(driver="GTiff", width=nx, height=ny, count=nb, dtype=v.dtype.name, crs=rcrs,
                   transform=transform, nodata=nodata)
    all_tags = _tags(da, g, model, inputs, tags)
    with MemoryFile() as mem:
        with mem.open(**profile) as src:
            src.write(v)
            src.update_tags(**all_tags)
            for b in range(nb):
                src.set_band_unit(b + 1, units)
                if g.band_dim is None:
                    desc = long_name
                else:
                    bv = g.band_values[b]
                    bv = bv.item() if isinstance(bv, np.generic) else bv
                    desc = f"{g.band_dim}={bv}"
                    src.update_tags(b + 1, **{g.band_dim: str(bv)})
                src.set_band_description(b + 1, desc)
        pred = {"f": "3", "i": "2", "u": "2"}.get(v.dtype.kind, "1")
        opts = dict(BLOCKSIZE=int(blocksize), COMPRESS=comp.upper(), OVERVIEWS="AUTO",
                    OVERVIEW_RESAMPLING=overview_resampling.upper(), BIGTIFF="IF_SAFER")
        if comp != "none" and predictor:
            opts["PREDICTOR"] = pred
        with mem.open() as src, atomic_path(path, suffix=".tif") as tmp:
            rio_copy(src, str(tmp), driver="COG", **opts)
    return Path(path)


def read_geotiff(path, band: int | None = None):
    """Read a GeoTIFF written by :func:`write_geotiff` (or any single-CRS GeoTIFF) back to a DataArray.

    Dims ``(lat, lon)`` for geographic CRSs (``(y, x)`` otherwise, the CRS in ``attrs["crs"]``),
    in the row/column order the map had when written (recorded in a tag), a band dimension when
    the file has several bands; attributes from the tags, ``units`` from the band unit.

    Parameters
    ----------
    path : str or Path
    band : int, optional
        Read only this band (1-based).
    """
    import xarray as xr

    rasterio = require("rasterio")
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p} does not exist")
    try:
        src = rasterio.open(p)
    except rasterio.errors.RasterioIOError as exc:
        raise ValueError(f"{p}: not a readable GeoTIFF ({exc})") from None
    with src:
        bands = [band] if band is not None else list(range(1, src.count + 1))
        v = src.read(bands)
        tags = src.tags()
        t = src.transform
        if abs(t.b) > 0 or abs(t.d) > 0:
            raise ValueError(f"{p}: rotated rasters are not supported")
        x = t.c + t.a * (np.arange(src.width) + 0.5)
        y = t.f + t.e * (np.arange(src.height) + 0.5)
        crs = src.crs
        units = src.units[bands[0] - 1] if src.units else ""
        band_tags = [src.tags(b) for b in bands]
        descs = [src.descriptions[b - 1] for b in bands]
    dims = tags.pop(_TAG_DIMS, "").split(",") if _TAG_DIMS in tags else []
    order = tags.pop(_TAG_ORDER, "y_descending,x_ascending").split(",")
    geographic = crs is not None and crs.is_geographic
    ydim, xdim = (dims[-2], dims[-1]) if len(dims) >= 2 else (("lat", "lon") if geographic else ("y", "x"))
    if order[0] == "y_ascending":
        v, y = v[:, ::-1, :], y[::-1]
    if len(order) > 1 and order[1] == "x_descending":
        v, x = v[:, :, ::-1], x[::-1]
    coords = {ydim: y, xdim: x}
    attrs = {k: v_ for k, v_ in tags.items() if k not in ("AREA_OR_POINT",)}
    if units:
        attrs["units"] = units
    if crs is not None:
        attrs["crs"] = crs.to_string() if crs.to_epsg() is not None else crs.to_wkt()
    name = attrs.pop("name", None)
    if v.shape[0] == 1 and (len(dims) < 3 or band is not None):
        return xr.DataArray(v[0], dims=(ydim, xdim), coords=coords, attrs=attrs, name=name)
    bdim = dims[0] if len(dims) == 3 else "band"
    bvals = [bt.get(bdim, d) for bt, d in zip(band_tags, descs)]
    try:
        bvals = np.asarray([float(b) for b in bvals])
    except (TypeError, ValueError):
        bvals = np.asarray(bvals, dtype=object)
    coords[bdim] = bvals
    return xr.DataArray(v, dims=(bdim, ydim, xdim), coords=coords, attrs=attrs, name=name)


def validate_cog(path) -> list[str]:
    """Problems that stop ``path`` from being a Cloud-Optimized GeoTIFF; an empty list if it is one.

    Checks (with tifffile on the bytes, and rasterio/GDAL on the dataset): a GeoTIFF whose main
    image is tiled; internal overviews when the image is larger than one tile, each tiled and
    halving down to one tile; the main image's IFD first, the overviews' IFDs after it in
    decreasing size; tile data of the smallest overview first and of the main image last
    (OGC 21-026 §7 requirements on the IFD and tile order); GDAL's ``LAYOUT=COG`` marker.
    """
    import tifffile

    p = Path(path)
    problems: list[str] = []
    try:
        tif = tifffile.TiffFile(p)
    except Exception as exc:  # noqa: BLE001 - any parse failure means "not a COG"
        return [f"{p}: not a TIFF ({exc})"]
    with tif:
        pages = list(tif.pages)
        if not pages:
            return [f"{p}: no image"]
        main = pages[0]
        if not main.is_tiled:
            problems.append("the main image is not tiled (stripped)")
        if 33550 not in main.tags and 34264 not in main.tags:
            problems.append("the main image has no georeferencing (ModelPixelScale/ModelTransformation tag)")
        ovs = [pg for pg in pages[1:] if pg.tags.get(254) is not None and int(pg.tags[254].value) & 1]
        big = main.imagewidth > main.tilewidth or main.imagelength > main.tilelength if main.is_tiled else True
        if big and not ovs:
            problems.append(f"the image ({main.imagewidth} x {main.imagelength}) is larger than one tile "
                            "but has no internal overviews")
        prev = main
        for i, ov in enumerate(ovs):
            if not ov.is_tiled:
                problems.append(f"overview {i} is not tiled")
            if ov.imagewidth >= prev.imagewidth and ov.imagelength >= prev.imagelength:
                problems.append(f"overview {i} ({ov.imagewidth} x {ov.imagelength}) is not smaller than the "
                                f"level before it ({prev.imagewidth} x {prev.imagelength})")
            if ov.offset <= prev.offset:
                problems.append(f"the IFD of overview {i} (byte {ov.offset}) comes before the one of the "
                                f"level above it (byte {prev.offset})")
            prev = ov
        if ovs and main.is_tiled and (ovs[-1].imagewidth > main.tilewidth or ovs[-1].imagelength > main.tilelength):
            problems.append(f"the smallest overview ({ovs[-1].imagewidth} x {ovs[-1].imagelength}) is larger "
                            f"than one tile ({main.tilewidth} x {main.tilelength})")
        levels = [main] + ovs
        first_data = [min((o for o, n in zip(lv.dataoffsets, lv.databytecounts) if n), default=None)
                      for lv in levels]
        last_ifd = max(lv.offset for lv in levels)
        for lv_i, off in enumerate(first_data):
            name = "the main image" if lv_i == 0 else f"overview {lv_i - 1}"
            if off is not None and off < last_ifd:
                problems.append(f"tile data of {name} (byte {off}) comes before the last IFD (byte {last_ifd}): "
                                "the IFDs are not all at the start of the file")
        for lv_i in range(len(levels) - 1):
            a, b = first_data[lv_i], first_data[lv_i + 1]
            if a is not None and b is not None and a < b:
                problems.append(f"tile data of level {lv_i} (byte {a}) comes before that of the smaller level "
                                f"{lv_i + 1} (byte {b}): the smallest overview must come first")
    rasterio = require("rasterio")
    with rasterio.open(p) as src:
        if src.driver != "GTiff":
            problems.append(f"GDAL reads it as {src.driver}, not GTiff")
        if src.crs is None:
            problems.append("no CRS")
        layout = src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT")
        if layout != "COG":
            problems.append(f"GDAL does not report LAYOUT=COG (got {layout!r})")
        n_ov = len(src.overviews(1))
        if n_ov != len(ovs):
            problems.append(f"GDAL sees {n_ov} overviews, the TIFF holds {len(ovs)}")
    return problems


def cog_info(path) -> dict:
    """Layout facts of a GeoTIFF (for reports and tests): size, tile size, overview factors,
    compression, predictor, nodata, CRS, LAYOUT marker and the :func:`validate_cog` problems."""
    rasterio = require("rasterio")
    with rasterio.open(path) as src:
        info = {"width": src.width, "height": src.height, "count": src.count, "dtype": src.dtypes[0],
                "block_shape": list(src.block_shapes[0]), "overviews": list(src.overviews(1)),
                "compression": None if src.compression is None else src.compression.name,
                "nodata": src.nodata, "crs": None if src.crs is None else src.crs.to_string(),
                "layout": src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT"),
                "predictor": src.tags(ns="IMAGE_STRUCTURE").get("PREDICTOR")}
    info["problems"] = validate_cog(path)
    info["valid_cog"] = not info["problems"]
    return info

