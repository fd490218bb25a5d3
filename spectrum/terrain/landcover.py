"""Land cover -> clutter: P.452 / P.1812 representative clutter heights and P.2108 categories.

A land-cover raster (ESA WorldCover, CORINE Land Cover, or any class raster with a user mapping
table) is read as a categorical grid (nearest neighbour, never interpolated; reprojected with
nearest resampling when projected) and each class is mapped to

* the P.1812-6 coverage code (Table 2: 1 water/sea, 2 open/rural, 3 suburban, 4 urban/trees/
  forest, 5 dense urban) and its representative clutter height R -- the ``zone``/``r_m``
  inputs of :mod:`spectrum.propagation.p1812`, and the representative clutter heights ``r_m``
  along the profile of P.452-18 (``version=18``), which uses the same R convention;
* the P.2108-1 clutter type (Table 2 / NTIA codes: 1 water/sea, 2 open/rural, 3 suburban,
  4 urban, 5 trees/forest, 6 dense urban) of :mod:`spectrum.propagation.p2108`;
* the P.452-17 Table 4 clutter category with its nominal height ha and distance dk (terminal
  clutter losses, ``version=17``), or no clutter.

The class tables :data:`WORLDCOVER` and :data:`CORINE` are this project's mapping of each
product's class definitions onto the Recommendations' categories (docs/terrain.md gives the
reasoning per class). A user table (CSV) replaces them: ``class,p1812,p2108[,r_m,ha_m,dk_km,name]``.

References
----------
Rec. ITU-R P.1812-6 (08/2021), §3.2, Table 2 (representative clutter heights).
Rec. ITU-R P.452-18 (10/2023), §3.2.1 (representative clutter heights along the profile);
Rec. ITU-R P.452-17 (09/2021), §4.5, Table 4 (nominal clutter heights and distances).
Rec. ITU-R P.2108-1 (09/2021), Annex 1 §3.1, Table 2 (clutter types, default heights).
ESA WorldCover 10 m 2020/2021 Product User Manual (class legend 10-100).
Copernicus CORINE Land Cover nomenclature (level-3 codes 111-523).
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

#: P.1812-6 Table 2 representative clutter height R [m] per coverage code.
R_P1812_M = {1: 0.0, 2: 0.0, 3: 10.0, 4: 15.0, 5: 20.0}
P1812_NAMES = {1: "water/sea", 2: "open/rural", 3: "suburban", 4: "urban/trees/forest", 5: "dense urban"}
P2108_NAMES = {1: "water/sea", 2: "open/rural", 3: "suburban", 4: "urban", 5: "trees/forest", 6: "dense urban"}
#: P.452-17 Table 4: category -> (nominal clutter height ha [m], nominal distance dk [km]).
P452_TABLE4 = {
    "high crop fields": (4.0, 0.1), "park land": (4.0, 0.1), "irregularly spaced sparse trees": (4.0, 0.1),
    "orchard (regularly spaced)": (4.0, 0.1), "sparse houses": (4.0, 0.1), "village centre": (5.0, 0.07),
    "deciduous trees (irregularly spaced)": (15.0, 0.05), "deciduous trees (regularly spaced)": (15.0, 0.05),
    "mixed tree forest": (15.0, 0.05), "coniferous trees (irregularly spaced)": (20.0, 0.05),
    "coniferous trees (regularly spaced)": (20.0, 0.05), "tropical rain forest": (20.0, 0.03),
    "suburban": (9.0, 0.025), "dense suburban": (12.0, 0.02), "urban": (20.0, 0.02), "dense urban": (25.0, 0.02),
    "high-rise urban": (35.0, 0.02), "industrial zone": (20.0, 0.05),
}


@dataclass(frozen=True)
class ClutterClass:
    """One land-cover class mapped onto the Recommendations' clutter categories."""

    name: str
    p1812: int          # P.1812-6 coverage code 1..5
    p2108: int          # P.2108-1 clutter type 1..6
    p452_17: str | None  # P.452-17 Table 4 category (None: no clutter)
    r_m: float | None = None  # representative clutter height; default P.1812 Table 2

    @property
    def r(self) -> float:
        return R_P1812_M[self.p1812] if self.r_m is None else float(self.r_m)

    @property
    def ha_dk(self) -> tuple[float, float]:
        return (0.0, 0.0) if self.p452_17 is None else P452_TABLE4[self.p452_17]


C = ClutterClass
#: ESA WorldCover (2020 v100 / 2021 v200) classes.
WORLDCOVER = {
    10: C("tree cover", 4, 5, "mixed tree forest"),
    20: C("shrubland", 2, 2, "irregularly spaced sparse trees"),
    30: C("grassland", 2, 2, None),
    40: C("cropland", 2, 2, "high crop fields"),
    50: C("built-up", 4, 4, "urban"),
    60: C("bare / sparse vegetation", 2, 2, None),
    70: C("snow and ice", 2, 2, None),
    80: C("permanent water bodies", 1, 1, None),
    90: C("herbaceous wetland", 2, 2, None),
    95: C("mangroves", 4, 5, "deciduous trees (irregularly spaced)"),
    100: C("moss and lichen", 2, 2, None),
}
#: CORINE Land Cover level-3 classes (three-digit codes).
CORINE = {
    111: C("continuous urban fabric", 5, 6, "dense urban"),
    112: C("discontinuous urban fabric", 3, 3, "suburban"),
    121: C("industrial or commercial units", 4, 4, "industrial zone"),
    122: C("road and rail networks", 2, 2, None),
    123: C("port areas", 4, 4, "industrial zone"),
    124: C("airports", 2, 2, None),
    131: C("mineral extraction sites", 2, 2, None),
    132: C("dump sites", 2, 2, None),
    133: C("construction sites", 2, 2, None),
    141: C("green urban areas", 3, 3, "park land"),
    142: C("sport and leisure facilities", 2, 2, "park land"),
    211: C("non-irrigated arable land", 2, 2, "high crop fields"),
    212: C("permanently irrigated land", 2, 2, "high crop fields"),
    213: C("rice fields", 2, 2, None),
    221: C("vineyards", 2, 2, "orchard (regularly spaced)"),
    222: C("fruit trees and berry plantations", 2, 2, "orchard (regularly spaced)"),
    223: C("olive groves", 2, 2, "orchard (regularly spaced)"),
    231: C("pastures", 2, 2, None),
    241: C("annual crops with permanent crops", 2, 2, "high crop fields"),
    242: C("complex cultivation patterns", 2, 2, "sparse houses"),
    243: C("agriculture with natural vegetation", 2, 2, "irregularly spaced sparse trees"),
    244: C("agro-forestry areas", 2, 2, "irregularly spaced sparse trees"),
    311: C("broad-leaved forest", 4, 5, "deciduous trees (irregularly spaced)"),
    312: C("coniferous forest", 4, 5, "coniferous trees (irregularly spaced)"),
    313: C("mixed forest", 4, 5, "mixed tree forest"),
    321: C("natural grasslands", 2, 2, None),
    322: C("moors and heathland", 2, 2, None),
    323: C("sclerophyllous vegetation", 2, 2, "irregularly spaced sparse trees"),
    324: C("transitional woodland-shrub", 2, 2, "irregularly spaced sparse trees"),
    331: C("beaches, dunes, sands", 2, 2, None),
    332: C("bare rocks", 2, 2, None),
    333: C("sparsely vegetated areas", 2, 2, None),
    334: C("burnt areas", 2, 2, None),
    335: C("glaciers and perpetual snow", 2, 2, None),
    411: C("inland marshes", 2, 2, None),
    412: C("peat bogs", 2, 2, None),
    421: C("salt marshes", 2, 2, None),
    422: C("salines", 2, 2, None),
    423: C("intertidal flats", 1, 1, None),
    511: C("water courses", 1, 1, None),
    512: C("water bodies", 1, 1, None),
    521: C("coastal lagoons", 1, 1, None),
    522: C("estuaries", 1, 1, None),
    523: C("sea and ocean", 1, 1, None),
}
del C
SCHEMES = {"worldcover": WORLDCOVER, "corine": CORINE}


def load_mapping(path) -> dict[int, ClutterClass]:
    """A user class table (CSV): ``class,p1812,p2108`` and optional ``r_m,ha_m,dk_km,p452_17,name``.

    ``p452_17`` names a P.452-17 Table 4 category (empty: no clutter). Every error names the file
    and the row.
    """
    p = Path(path)
    try:
        rows = list(csv.DictReader(p.read_text(encoding="utf-8").splitlines()))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{p}: cannot read the land-cover mapping table ({exc})") from exc
    need = {"class", "p1812", "p2108"}
    if not rows or not need <= {k.strip().lower() for k in rows[0]}:
        raise ValueError(f"{p}: a land-cover mapping table needs the columns {sorted(need)} "
                         "(and optionally r_m, p452_17, name)")
    out = {}
    for n, row in enumerate(rows, start=2):
        r = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        try:
            cls, p18, p21 = int(r["class"]), int(r["p1812"]), int(r["p2108"])
            rm = float(r["r_m"]) if r.get("r_m") else None
        except ValueError as exc:
            raise ValueError(f"{p}: row {n}: {exc}") from None
        if p18 not in P1812_NAMES or p21 not in P2108_NAMES:
            raise ValueError(f"{p}: row {n}: p1812 = {p18} must be 1..5 and p2108 = {p21} must be 1..6")
        cat = r.get("p452_17", "").lower() or None
        if cat is not None and cat not in P452_TABLE4:
            raise ValueError(f"{p}: row {n}: p452_17 = {cat!r} is not a P.452-17 Table 4 category "
                             f"({', '.join(P452_TABLE4)})")
        if rm is not None and not 0.0 <= rm <= 100.0:
            raise ValueError(f"{p}: row {n}: r_m = {rm:g} must be 0..100 m")
        out[cls] = ClutterClass(r.get("name") or f"class {cls}", p18, p21, cat, rm)
    return out


def _scheme(scheme) -> dict[int, ClutterClass]:
    if isinstance(scheme, dict):
        return scheme
    if isinstance(scheme, str) and scheme.lower() in SCHEMES:
        return SCHEMES[scheme.lower()]
    if isinstance(scheme, (str, os.PathLike)) and Path(scheme).is_file():
        return load_mapping(scheme)
    raise ValueError(f"scheme = {scheme!r} must be 'worldcover', 'corine', a mapping table file or a dict")


def _class_codes(values, path) -> np.ndarray:
    """Raster values as int64 class codes: NaN (a float raster's no-data) becomes -1 (no data);
    a fractional value is an error (a DEM given as land cover), not truncated into a class."""
    a = np.asarray(values)
    if a.dtype.kind != "f":
        return a.astype(np.int64)
    ok = np.isfinite(a)
    frac = ok & (a != np.round(a))
    if frac.any():
        raise ValueError(f"{path}: land-cover values must be integer class codes, got {a[frac].ravel()[0]:g} "
                         "(is it a DEM?)")
    return np.where(ok, a, -1).astype(np.int64)


def load_landcover(path, *, nodata=None) -> xr.DataArray:
    """Read a land-cover class raster into an int32 DataArray (dims lat, lon ascending; -1 no data).

    GeoTIFF and other GDAL rasters through rasterio (``[gis]``; a projected raster is reprojected
    to WGS84 with *nearest* resampling, classes are never interpolated); NetCDF with lat/lon
    coordinate variables.
    """
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"land-cover file not found: {p}")
    if p.suffix.lower() in (".nc", ".nc4", ".h5"):
        with xr.open_dataset(p, engine="h5netcdf", mask_and_scale=False) as ds:
            v = [k for k in ds.data_vars if ds[k].ndim == 2]
            if len(v) != 1 or not {"lat", "lon"} <= set(ds.variables):
                raise ValueError(f"{p}: a land-cover NetCDF needs one 2-D class variable on lat/lon coordinates")
            da = ds[v[0]].transpose("lat", "lon")
            z = _class_codes(da.values, p)
            lat, lon = ds["lat"].values.astype(float), ds["lon"].values.astype(float)
            fill = da.attrs.get("_FillValue", nodata)
    else:
        from .gdal import _check_georef, _is_wgs84, _require

        rasterio = _require()
        from rasterio.warp import Resampling, calculate_default_transform, reproject

        try:
            with rasterio.open(p) as ds:
                _check_georef(ds, p)
                fill = ds.nodata if nodata is None else nodata
                if _is_wgs84(ds.crs):
                    z = _class_codes(ds.read(1), p)
                    t = ds.transform
                else:
                    t, w, h = calculate_default_transform(ds.crs, "EPSG:4326", ds.width, ds.height, *ds.bounds)
                    dst = np.full((h, w), -1, np.int32)
                    reproject(_class_codes(ds.read(1), p).astype(np.int32), dst, src_transform=ds.transform, src_crs=ds.crs,
                              src_nodata=fill, dst_transform=t, dst_crs="EPSG:4326", dst_nodata=-1,
                              resampling=Resampling.nearest)
                    z = dst.astype(np.int64)
                lon = t.c + (np.arange(z.shape[1]) + 0.5) * t.a
                lat = t.f + (np.arange(z.shape[0]) + 0.5) * t.e
        except rasterio.errors.RasterioIOError as exc:
            raise ValueError(f"{p}: not a readable land-cover raster (GDAL: {exc})") from exc
    if fill is not None:
        z[z == int(fill)] = -1
    if nodata is not None:
        z[z == int(nodata)] = -1
    if lat[0] > lat[-1]:
        lat, z = lat[::-1], z[::-1]
    if lon[0] > lon[-1]:
        lon, z = lon[::-1], z[:, ::-1]
    da = xr.DataArray(np.ascontiguousarray(z.astype(np.int32)), dims=("lat", "lon"),
                      coords={"lat": lat, "lon": lon}, name="land_cover",
                      attrs={"source": str(p), "long_name": "land-cover class", "missing": -1})
    return da


@dataclass(frozen=True)
class Clutter:
    """Clutter along profiles (or at terminals), one value per sample.

    Attributes
    ----------
    land_cover : ndarray of int64
        Land-cover class (-1 no data / outside the raster).
    p1812 : ndarray of int64
        P.1812-6 coverage code 1..5 (0 where unknown) -- ``zone``-like input of P.1812.
    r_m : ndarray
        Representative clutter height R (P.1812-6 Table 2 / P.452-18 §3.2.1; NaN unknown). [m]
    p2108 : ndarray of int64
        P.2108-1 clutter type 1..6 (0 unknown).
    ha_m, dk_km : ndarray
        P.452-17 Table 4 nominal clutter height and distance (0 for no clutter). [m], [km]
    """

    land_cover: np.ndarray
    p1812: np.ndarray
    r_m: np.ndarray
    p2108: np.ndarray
    ha_m: np.ndarray
    dk_km: np.ndarray

    def at(self, k) -> dict:
        """The values of sample ``k`` (an index into the arrays) as a dict."""
        return {f: (v[k].item() if hasattr(v[k], "item") else v[k]) for f, v in self.__dict__.items()}


def clutter_along(landcover, lat, lon, scheme="worldcover", *, outside: str = "raise",
                  unknown: str = "raise") -> Clutter:
    """Clutter categories and heights at points (profile samples or terminals) from land cover.

    Parameters
    ----------
    landcover : DataArray or path
        Class raster (:func:`load_landcover`).
    lat, lon : array_like
        Points, any shape (NaN padding allowed: gives unknown). [deg]
    scheme : {"worldcover", "corine"}, dict or path
        Class table, or a user mapping CSV (:func:`load_mapping`).
    outside : {"raise", "unknown"}
        A point outside the raster or on no-data: ValueError naming it, or unknown values.
    unknown : {"raise", "unknown"}
        A class missing from the table: ValueError naming the class, or unknown values.

    Returns
    -------
    Clutter

    References
    ----------
    Rec. ITU-R P.1812-6 Table 2; Rec. ITU-R P.452-18 §3.2.1; Rec. ITU-R P.452-17 Table 4;
    Rec. ITU-R P.2108-1 Table 2.
    """
    from .profiles import sample_nearest

    table = _scheme(scheme)
    lc = landcover if isinstance(landcover, xr.DataArray) else load_landcover(landcover)
    la = np.asarray(lat, float)
    lo = np.asarray(lon, float)
    cls = sample_nearest(lc, la, lo, missing=-1)
    finite = np.isfinite(la) & np.isfinite(lo)
    miss = finite & (cls < 0)
    if outside == "raise" and miss.any():
        k = np.argwhere(miss)[0]
        raise ValueError(f"point ({float(la[tuple(k)]):.5f}, {float(lo[tuple(k)]):.5f}) has no land-cover data in "
                         f"{lc.attrs.get('source', 'the land-cover raster')} (outside it or no-data); "
                         f"{int(miss.sum())} points affected")
    codes = np.unique(cls[cls >= 0])
    bad = [int(c) for c in codes if int(c) not in table]
    if bad and unknown == "raise":
        raise ValueError(f"land-cover classes {bad} are not in the class table "
                         f"({'user table' if isinstance(scheme, (dict, os.PathLike)) else scheme}); "
                         "give a mapping table with scheme=FILE")
    lut_max = int(max(max(table), int(codes.max()) if codes.size else 0)) + 1
    p18 = np.zeros(lut_max + 1, np.int64)
    p21 = np.zeros(lut_max + 1, np.int64)
    r = np.full(lut_max + 1, np.nan)
    ha = np.zeros(lut_max + 1)
    dk = np.zeros(lut_max + 1)
    for c, v in table.items():
        if 0 <= c <= lut_max:
            p18[c], p21[c], r[c] = v.p1812, v.p2108, v.r
            ha[c], dk[c] = v.ha_dk
    idx = np.where(cls >= 0, cls, lut_max)
    return Clutter(cls.astype(np.int64), p18[idx], r[idx], p21[idx], ha[idx], dk[idx])


def terminal_clutter(landcover, lat: float, lon: float, scheme="worldcover") -> dict:
    """Clutter at one terminal: class and name, P.1812 code and R, P.2108 type, P.452-17 ha/dk."""
    table = _scheme(scheme)
    c = clutter_along(landcover, np.array([lat]), np.array([lon]), table)
    d = c.at(0)
    cc = table[d["land_cover"]]
    d.update(class_name=cc.name, p1812_name=P1812_NAMES[cc.p1812], p2108_name=P2108_NAMES[cc.p2108],
             p452_17_category=cc.p452_17 or "no clutter")
    return d
