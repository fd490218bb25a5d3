"""Vector layers: contour polygons of a map, and register stations, as GeoJSON (RFC 7946) and KML 2.2.

Contours
--------
:func:`contour_polygons` returns, for each level, the area where the map is at or above the level
(``above=False``: at or below) as one valid shapely MultiPolygon in WGS84 longitude/latitude:

1. the filled-contour generator of ``contourpy`` (the one matplotlib uses) traces the band
   between the level and the map's extreme over the pixel centres, linear interpolation between
   them, with NaN pixels masked -- so areas without data become holes or boundaries, and a region
   that reaches the map edge is closed along the edge (the outermost pixel centres);
2. each traced outer ring with its holes becomes a polygon; nested rings (an island inside a
   hole inside an area) come out as separate polygons; any polygon GEOS finds invalid (rings
   touching at a saddle) is repaired with ``make_valid``;
3. a projected grid is transformed to WGS84 with pyproj (RFC 7946 §4);
4. coordinates are snapped to ``10**-precision`` degrees (default 6 decimals, 0.1 m; RFC 7946
   §11.2) by GEOS's validity-preserving ``set_precision``;
5. rings are oriented by the right-hand rule (exterior counter-clockwise, holes clockwise,
   RFC 7946 §3.1.6).

Maps that cross the antimeridian are refused (RFC 7946 §3.1.9 would have them split).

Stations
--------
:func:`stations_geojson` turns register rows (``Register.query`` rows, their ``to_dict()``, or
the column dict of ``query_arrays``) into Point features carrying every licence attribute;
:func:`write_stations_kml` writes them one folder per service, transmitters and receivers styled
apart.

References
----------
IETF RFC 7946, The GeoJSON Format (2016). OGC 07-147r2, KML 2.2 (2008).
"""
from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence
from xml.etree import ElementTree as ET

import numpy as np

from ._grid import WGS84, grid_of, require

KML_NS = "http://www.opengis.net/kml/2.2"


@dataclass
class ContourLevel:
    """The area of a map at or above (or below) one level.

    Attributes
    ----------
    level : float
        In the map's units.
    geometry : shapely.MultiPolygon
        WGS84 lon/lat, valid, right-hand rule, snapped to the precision grid (possibly empty).
    area_km2 : float
        Geodesic area on the WGS84 ellipsoid. [km²]
    above : bool
        True for "at or above the level", False for "at or below".
    """

    level: float
    geometry: Any
    area_km2: float
    above: bool = True


def _levels(levels) -> list[float]:
    if isinstance(levels, (int, float, np.number)):
        levels = [levels]
    try:
        out = [float(v) for v in levels]
    except (TypeError, ValueError):
        raise ValueError(f"levels = {levels!r}: expected numbers") from None
    if not out:
        raise ValueError("levels is empty: give at least one contour level")
    bad = [v for v in out if not math.isfinite(v)]
    if bad:
        raise ValueError(f"levels = {bad[0]!r} is not finite")
    return out


def _polygons_from_contourpy(points_list, offsets_list, shapely):
    polys = []
    for pts, offs in zip(points_list, offsets_list):
        rings = [pts[offs[i]:offs[i + 1]] for i in range(len(offs) - 1)]
        rings = [r for r in rings if len(r) >= 4]
        if not rings:
            continue
        polys.append(shapely.Polygon(rings[0], rings[1:]))
    return polys


def _valid_multipolygon(polys, shapely, check: bool = True):
    """A valid MultiPolygon from polygons that should not overlap (repairing if they do; with
    ``check=False`` the polygons are only collected, :func:`_finish` checks them)."""
    if not polys:
        return shapely.MultiPolygon()
    mp = polys if not isinstance(polys, list) else shapely.MultiPolygon(polys)
    if check and not mp.is_valid:
        fixed = shapely.make_valid(mp)
        parts = [g for g in shapely.get_parts(fixed) if g.geom_type in ("Polygon", "MultiPolygon")]
        flat = []
        for g in parts:
            flat.extend(shapely.get_parts(g) if g.geom_type == "MultiPolygon" else [g])
        mp = shapely.unary_union(flat) if flat else shapely.MultiPolygon()
        if mp.geom_type == "Polygon":
            mp = shapely.MultiPolygon([mp])
    return mp


def _finish(mp, precision: int, shapely):
    """Snap to the precision grid (validity kept) and orient by the right-hand rule.

    The traced polygons are valid in all but degenerate cases (rings touching at a saddle) and
    rounding their coordinates keeps them so unless rings come closer than the grid: the rounded
    geometry is checked once, and only when it is invalid is the traced one repaired
    (``make_valid``) and snapped with GEOS's slower, validity-preserving ``set_precision``."""
    from shapely.geometry.polygon import orient

    if mp.is_empty:
        return shapely.MultiPolygon()
    snapped = shapely.transform(mp, lambda c: np.round(c, precision))
    if not snapped.is_valid:
        mp = _valid_multipolygon(mp, shapely)
        snapped = shapely.set_precision(mp, 10.0 ** -precision)
    parts = [g for g in shapely.get_parts(snapped) if g.geom_type == "Polygon" and not g.is_empty]
    return shapely.MultiPolygon([orient(p, sign=1.0) for p in parts])


@functools.lru_cache(maxsize=16)
def _laea(lat0: float, lon0: float):
    import pyproj

    return pyproj.Transformer.from_crs(
        "EPSG:4326", f"+proj=laea +lat_0={lat0} +lon_0={lon0} +ellps=WGS84 +units=m", always_xy=True)


def geodesic_area_km2(geom, shapely) -> float:
    """Area of a WGS84 lon/lat geometry on the WGS84 ellipsoid [km²]: planar area in a Lambert
    azimuthal equal-area projection (equal-area on the ellipsoid; centred near the geometry, on a
    0.5° grid so the transformer is reused) in one vectorised transform of all the vertices."""
    if geom.is_empty:
        return 0.0
    x0, y0, x1, y1 = geom.bounds
    laea = _laea(round(0.5 * (y0 + y1) * 2) / 2, round(0.5 * (x0 + x1) * 2) / 2)

    def fwd(c):
        x, y = laea.transform(c[:, 0], c[:, 1])
        return np.column_stack([x, y])

    return float(shapely.transform(geom, fwd).area) / 1e6


def contour_polygons(da, levels, *, above: bool = True, crs=None, precision: int = 6) -> list[ContourLevel]:
    """Areas of a map at or above (``above=False``: at or below) each level, as valid WGS84 MultiPolygons.

    Parameters
    ----------
    da : xarray.DataArray
        A 2-D map (dims ``lat, lon`` or projected ``y, x``; a 3-D map must be reduced to one band
        first). NaN pixels are areas without data.
    levels : float or sequence of float
        Contour levels in the map's units (e.g. ``[60, 70]`` dB(µV/m), or an I/N threshold).
    above : bool
        Area where the map is at or above the level (coverage, interference exceeding a
        threshold); False for at or below.
    crs : str, optional
        CRS of a projected grid (see :func:`spectrum.gis.write_geotiff`).
    precision : int
        Decimal places of the WGS84 coordinates, 1 to 10 (default 6, about 0.1 m).

    Returns
    -------
    list of ContourLevel
        One per level, in the order given.
    """
    levels = _levels(levels)
    if int(precision) != precision or not 1 <= precision <= 10:
        raise ValueError(f"precision = {precision!r} must be an integer number of decimals in [1, 10]")
    g = grid_of(da, crs)
    if g.values.shape[0] != 1:
        raise ValueError(f"contours need a 2-D map; {da.name or 'the map'} has a {g.band_dim!r} dimension of "
                         f"{g.values.shape[0]}: select one (da.sel({g.band_dim}=...))")
    shapely = require("shapely")
    contourpy = require("contourpy")
    pyproj = require("pyproj")
    z = np.asarray(g.values[0], dtype=np.float64)[::-1]  # y ascending for the contour generator
    y = g.y[::-1]
    x = g.x
    if g.geographic:
        if x.max() > 180.0:
            if x.min() >= 180.0:
                x = x - 360.0
            else:
                raise ValueError(f"the map spans the antimeridian (lon {x.min():g}..{x.max():g}); "
                                 "split it into two maps (RFC 7946 §3.1.9)")
    finite = np.isfinite(z)
    zmask = np.ma.array(z, mask=~finite)
    gen = contourpy.contour_generator(x, y, zmask, fill_type=contourpy.FillType.OuterOffset,
                                      line_type=contourpy.LineType.SeparateCode)
    zmin = float(z[finite].min()) if finite.any() else np.nan
    zmax = float(z[finite].max()) if finite.any() else np.nan
    to_wgs84 = None
    if not g.geographic or pyproj.CRS.from_user_input(g.crs) != pyproj.CRS.from_user_input(WGS84):
        tr = pyproj.Transformer.from_crs(g.crs, WGS84, always_xy=True)

        def to_wgs84(c):
            lo, la = tr.transform(c[:, 0], c[:, 1])
            return np.column_stack([lo, la])
    out = []
    for lev in levels:
        polys = []
        if finite.any():
            if above and lev < zmax:
                lo, hi = lev, zmax
            elif not above and lev > zmin:
                lo, hi = zmin - 1.0, lev
            else:
                lo = hi = None
            if lo is not None:
                pts, offs = gen.filled(lo, hi)
                polys = _polygons_from_contourpy(pts, offs, shapely)
            # a level equal to every finite pixel (flat map) encloses them all: contourpy's band is
            # open below, so take the pixels at exactly the level from the "at or above" side too
            if zmax == zmin and lev == zmin:
                pts, offs = gen.filled(zmin - 1.0, zmax + 1.0)
                polys = _polygons_from_contourpy(pts, offs, shapely)
        mp = _valid_multipolygon(polys, shapely, check=False)
        if to_wgs84 is not None and not mp.is_empty:
            mp = _valid_multipolygon(list(shapely.get_parts(shapely.transform(mp, to_wgs84))), shapely, check=False)
        mp = _finish(mp, int(precision), shapely)
        area = geodesic_area_km2(mp, shapely)
        out.append(ContourLevel(level=lev, geometry=mp, area_km2=float(area), above=above))
    return out


# --------------------------------------------------------------------------------------------
# GeoJSON
# --------------------------------------------------------------------------------------------
def _ring(coords, precision: int) -> list:
    return [[round(float(x), precision), round(float(y), precision)] for x, y in coords]


def geometry_geojson(geom, precision: int = 6) -> dict | None:
    """RFC 7946 geometry object of a shapely Point/Polygon/MultiPolygon (None when empty)."""
    if geom is None or geom.is_empty:
        return None
    t = geom.geom_type
    if t == "Point":
        return {"type": "Point", "coordinates": [round(geom.x, precision), round(geom.y, precision)]}
    if t == "Polygon":
        return {"type": "Polygon", "coordinates": [_ring(geom.exterior.coords, precision)]
                + [_ring(r.coords, precision) for r in geom.interiors]}
    if t == "MultiPolygon":
        return {"type": "MultiPolygon",
                "coordinates": [geometry_geojson(p, precision)["coordinates"] for p in geom.geoms]}
    raise ValueError(f"cannot write a {t} as GeoJSON here")


def _meta(da) -> dict:
    keep = ("model", "long_name", "units", "f_mhz", "p", "pl", "time", "station_name", "dem_source",
            "software", "software_version")
    m = {k: _py(da.attrs[k]) for k in keep if k in da.attrs}
    if da.name is not None:
        m["quantity"] = str(da.name)
    return m


def _level_label(lev: float, above: bool, units: str) -> str:
    return f"{'≥' if above else '≤'} {lev:g}{(' ' + units) if units else ''}"


def contours_geojson(da, levels, *, above: bool = True, crs=None, precision: int = 6,
                     contours: Sequence[ContourLevel] | None = None) -> dict:
    """A GeoJSON FeatureCollection (RFC 7946): one MultiPolygon feature per level (geometry null if empty).

    Properties: ``level``, ``relation`` (">=" or "<="), ``units``, ``label``, ``area_km2``,
    ``quantity``; a foreign member ``spectrum`` records the map's model, frequency, time
    percentage and provenance.
    """
    cs = contours if contours is not None else contour_polygons(da, levels, above=above, crs=crs,
                                                                precision=precision)
    units = str(da.attrs.get("units", ""))
    feats = []
    for c in cs:
        feats.append({"type": "Feature",
                      "properties": {"level": c.level, "relation": ">=" if c.above else "<=", "units": units,
                                     "label": _level_label(c.level, c.above, units),
                                     "area_km2": round(c.area_km2, 6), "quantity": None if da.name is None
                                     else str(da.name)},
                      "geometry": geometry_geojson(c.geometry, precision)})
    from ..io import provenance

    return {"type": "FeatureCollection", "features": feats,
            "spectrum": {**_meta(da), **{k: v for k, v in provenance().items()}}}


def _dump_geojson(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n"


def write_contours_geojson(da, path, levels, *, above: bool = True, crs=None, precision: int = 6,
                           contours: Sequence[ContourLevel] | None = None) -> Path:
    """Write :func:`contours_geojson` to ``path`` (UTF-8, atomically through :mod:`spectrum.io`)."""
    from ..io import write_text

    doc = contours_geojson(da, levels, above=above, crs=crs, precision=precision, contours=contours)
    return Path(write_text(path, _dump_geojson(doc)))


# --------------------------------------------------------------------------------------------
# KML
# --------------------------------------------------------------------------------------------
def _sub(parent, tag, text=None, **attrs):
    e = ET.SubElement(parent, f"{{{KML_NS}}}{tag}", attrs)
    if text is not None:
        e.text = str(text)
    return e


def _kml_colour(rgba, alpha: float) -> str:
    r, g, b = (int(round(255 * c)) for c in rgba[:3])
    return f"{int(round(255 * alpha)):02x}{b:02x}{g:02x}{r:02x}"  # KML: aabbggrr


def _kml_coords(coords, precision: int) -> str:
    return " ".join(f"{round(float(x), precision)!r},{round(float(y), precision)!r}" for x, y in coords)


def _kml_polygon(parent, poly, precision: int) -> None:
    pe = _sub(parent, "Polygon")
    ob = _sub(_sub(pe, "outerBoundaryIs"), "LinearRing")
    _sub(ob, "coordinates", _kml_coords(poly.exterior.coords, precision))
    for r in poly.interiors:
        ib = _sub(_sub(pe, "innerBoundaryIs"), "LinearRing")
        _sub(ib, "coordinates", _kml_coords(r.coords, precision))


def _extended(parent, props: Mapping[str, Any]) -> None:
    ed = _sub(parent, "ExtendedData")
    for k, v in props.items():
        d = _sub(ed, "Data", name=str(k))
        _sub(d, "value", "" if v is None else v)


def _kml_document(name: str):
    ET.register_namespace("", KML_NS)
    root = ET.Element(f"{{{KML_NS}}}kml")
    doc = _sub(root, "Document")
    _sub(doc, "name", name)
    return root, doc


def _kml_text(root) -> str:
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def contours_kml(da, levels, *, above: bool = True, crs=None, precision: int = 6, cmap: str = "viridis",
                 fill_alpha: float = 0.35, contours: Sequence[ContourLevel] | None = None, name: str | None = None) -> str:
    """KML 2.2 text: one styled Folder per level (outline and translucent fill coloured along ``cmap``),
    one Placemark with a MultiGeometry of the level's polygons (outer and inner boundaries)."""
    import matplotlib

    cs = contours if contours is not None else contour_polygons(da, levels, above=above, crs=crs,
                                                                precision=precision)
    units = str(da.attrs.get("units", ""))
    title = name or str(da.attrs.get("long_name", da.name or "map"))
    root, doc = _kml_document(title)
    cm = matplotlib.colormaps[cmap]
    order = np.argsort([c.level for c in cs])
    for rank, i in enumerate(order):
        c = cs[i]
        rgba = cm(rank / max(len(cs) - 1, 1))
        st = _sub(doc, "Style", id=f"level-{i}")
        ls = _sub(st, "LineStyle")
        _sub(ls, "color", _kml_colour(rgba, 1.0))
        _sub(ls, "width", 2)
        ps = _sub(st, "PolyStyle")
        _sub(ps, "color", _kml_colour(rgba, fill_alpha))
    for i, c in enumerate(cs):
        label = _level_label(c.level, c.above, units)
        folder = _sub(doc, "Folder")
        _sub(folder, "name", label)
        pm = _sub(folder, "Placemark")
        _sub(pm, "name", f"{title} {label}")
        _sub(pm, "styleUrl", f"#level-{i}")
        _extended(pm, {"level": c.level, "relation": ">=" if c.above else "<=", "units": units,
                       "area_km2": round(c.area_km2, 6)})
        mg = _sub(pm, "MultiGeometry")
        for poly in getattr(c.geometry, "geoms", []):
            _kml_polygon(mg, poly, precision)
    return _kml_text(root)


def write_contours_kml(da, path, levels, *, above: bool = True, crs=None, precision: int = 6,
                       contours: Sequence[ContourLevel] | None = None, **kw) -> Path:
    """Write :func:`contours_kml` to ``path`` (atomically through :mod:`spectrum.io`)."""
    from ..io import write_text

    return Path(write_text(path, contours_kml(da, levels, above=above, crs=crs, precision=precision,
                                              contours=contours, **kw)))


# --------------------------------------------------------------------------------------------
# stations
# --------------------------------------------------------------------------------------------
def _py(v):
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, (list, tuple)):
        return [_py(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _py(x) for k, x in v.items()}
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return str(v)


def station_records(rows) -> list[dict]:
    """Register rows as plain dicts: ``AssignmentRow`` objects, their ``to_dict()``, or the column
    dict of ``Register.query_arrays``."""
    if isinstance(rows, Mapping):
        cols = {k: np.asarray(v) for k, v in rows.items()}
        n = len(next(iter(cols.values()))) if cols else 0
        return [{k: _py(v[i]) for k, v in cols.items()} for i in range(n)]
    out = []
    for r in rows:
        d = r.to_dict() if hasattr(r, "to_dict") else dict(r)
        out.append({str(k): _py(v) for k, v in d.items()})
    return out


def _check_point(i: int, rec: Mapping[str, Any]) -> tuple[float, float]:
    from .._validate import check_lat_lon

    la, lo = rec.get("lat"), rec.get("lon")
    if la is None or lo is None:
        raise ValueError(f"station row {i} ({rec.get('licence_number', '?')}) has no lat/lon")
    check_lat_lon(la, lo, f"station row {i}")
    lo = float(lo) - 360.0 if float(lo) >= 180.0 else float(lo)
    return float(la), lo


def stations_geojson(rows, *, precision: int = 6) -> dict:
    """A GeoJSON FeatureCollection of register rows: a Point per (station, assignment) with every
    licence attribute (licence number, licensee, service, status, station, role, height, antenna,
    frequency, bandwidth, emission, EIRP, masks, protection criterion) as properties."""
    from ..io import provenance

    feats = []
    for i, rec in enumerate(station_records(rows)):
        la, lo = _check_point(i, rec)
        feats.append({"type": "Feature", "id": i,
                      "properties": rec,
                      "geometry": {"type": "Point", "coordinates": [round(lo, precision), round(la, precision)]}})
    return {"type": "FeatureCollection", "features": feats, "spectrum": provenance()}


def write_stations_geojson(rows, path, *, precision: int = 6) -> Path:
    """Write :func:`stations_geojson` to ``path`` (atomically through :mod:`spectrum.io`)."""
    from ..io import write_text

    return Path(write_text(path, _dump_geojson(stations_geojson(rows, precision=precision))))


_ROLE_STYLE = {"tx": ("ff2020e0", 1.1), "rx": ("ffe09020", 0.9), "": ("ff808080", 0.9)}  # aabbggrr


def stations_kml(rows, *, precision: int = 6, name: str = "Register stations") -> str:
    """KML 2.2 text of register rows: one Folder per service, a Placemark per row (name: licence
    number and station), transmitters red, receivers blue, every attribute in ExtendedData."""
    recs = station_records(rows)
    root, doc = _kml_document(name)
    for role, (colour, scale) in _ROLE_STYLE.items():
        st = _sub(doc, "Style", id=f"role-{role or 'other'}")
        ic = _sub(st, "IconStyle")
        _sub(ic, "color", colour)
        _sub(ic, "scale", scale)
    folders: dict[str, Any] = {}
    for i, rec in enumerate(recs):
        la, lo = _check_point(i, rec)
        svc = str(rec.get("service") or "unknown service")
        if svc not in folders:
            folders[svc] = _sub(doc, "Folder")
            _sub(folders[svc], "name", svc)
        pm = _sub(folders[svc], "Placemark")
        _sub(pm, "name", " ".join(str(rec[k]) for k in ("licence_number", "station_name") if rec.get(k)))
        role = str(rec.get("role") or "")
        _sub(pm, "styleUrl", f"#role-{role if role in ('tx', 'rx') else 'other'}")
        _extended(pm, rec)
        pt = _sub(pm, "Point")
        _sub(pt, "coordinates", f"{round(lo, precision)!r},{round(la, precision)!r}")
    return _kml_text(root)


def write_stations_kml(rows, path, *, precision: int = 6, name: str = "Register stations") -> Path:
    """Write :func:`stations_kml` to ``path`` (atomically through :mod:`spectrum.io`)."""
    from ..io import write_text

    return Path(write_text(path, stations_kml(rows, precision=precision, name=name)))


def read_kml(text_or_path) -> list[dict]:
    """Parse a KML written here back to plain records (for tests and round trips): one dict per
    Placemark with ``folder``, ``name``, ``style``, ``data`` (ExtendedData), ``points`` (lon, lat) and
    ``polygons`` (lists of rings, each a list of (lon, lat))."""
    text = text_or_path
    if isinstance(text_or_path, Path) or (isinstance(text_or_path, str) and not text_or_path.lstrip().startswith("<")):
        text = Path(text_or_path).read_text(encoding="utf-8")
    root = ET.fromstring(text)
    ns = {"k": KML_NS}

    def coords(e) -> list[tuple[float, float]]:
        return [tuple(float(v) for v in t.split(",")[:2]) for t in (e.text or "").split()]

    out = []
    for folder in root.iter(f"{{{KML_NS}}}Folder"):
        fname = folder.findtext("k:name", default="", namespaces=ns)
        for pm in folder.findall("k:Placemark", ns):
            data = {d.get("name"): d.findtext("k:value", default="", namespaces=ns)
                    for d in pm.iterfind("k:ExtendedData/k:Data", ns)}
            polys = []
            for pg in pm.iter(f"{{{KML_NS}}}Polygon"):
                rings = [coords(pg.find("k:outerBoundaryIs/k:LinearRing/k:coordinates", ns))]
                rings += [coords(c) for c in pg.iterfind("k:innerBoundaryIs/k:LinearRing/k:coordinates", ns)]
                polys.append(rings)
            pts = [coords(c)[0] for c in pm.iterfind("k:Point/k:coordinates", ns)]
            out.append({"folder": fname, "name": pm.findtext("k:name", default="", namespaces=ns),
                        "style": pm.findtext("k:styleUrl", default="", namespaces=ns), "data": data,
                        "points": pts, "polygons": polys})
    return out
