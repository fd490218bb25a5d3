"""Tile catalogues: a folder (recursive) of mixed DEM files indexed once, read lazily.

:func:`open_terrain` / :class:`Catalogue` index every ``.hgt``, ``.hgt.zip``, GeoTIFF, NetCDF (and,
with the ``[gis]`` extra, any GDAL raster) under a folder: extent, resolution, CRS, checksum,
height range, voids and sea cells per file, cached as JSON in the user's cache directory
(``$SPECTRUM_CACHE_DIR`` or ``~/.cache/spectrum``) and refreshed when a file's size or time
changes. Profiles, radials, points and crops read only the tiles they touch (memory bounded by
them, :data:`CACHE_MB`), mosaic across tile edges without seams (each bilinear cell takes its
posts from whichever tile holds them) and prefer the finest source where tiles overlap
(:mod:`spectrum.kernels.terrain_tiles`). Where no tile covers a sample the error names the place
("the path leaves the terrain data at 31.9 N 122.3 E").

References
----------
Rec. ITU-R P.1058-3, Digital topographic databases for propagation studies.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path

import numpy as np
import xarray as xr

from .. import geo
from ..kernels import terrain_tiles as _kt
from .grid import make_dem
from .rasters import _NETCDF_EXT, _TIFF_EXT, _is_hgt, load_dem

#: Index format version (bump when an entry's fields change, or how a file is judged: 4, an
#: all-void tile is rejected, no longer taken for sea).
INDEX_VERSION = 4
#: Most memory the loaded tiles of one catalogue may take. [MiB] (``$SPECTRUM_TERRAIN_CACHE_MB``)
def _cache_mb() -> float:
    """``$SPECTRUM_TERRAIN_CACHE_MB``: a bad value named, not "could not convert string to float"."""
    text = os.environ.get("SPECTRUM_TERRAIN_CACHE_MB", "2048")
    try:
        v = float(text)
    except ValueError:
        v = float("nan")
    if not 0.0 < v < 1e9:
        raise ValueError(f"SPECTRUM_TERRAIN_CACHE_MB = {text!r} must be a positive number of MiB")
    return v


CACHE_MB = _cache_mb()
#: Extensions read through GDAL (rasterio) besides .hgt / .tif / .nc.
GDAL_EXT = (".img", ".asc", ".vrt", ".bil", ".dem", ".jp2", ".dt0", ".dt1", ".dt2", ".adf", ".flt")
#: Spacing of the coarse points that decide which tiles a path touches. [deg]
TOUCH_STEP_DEG = 0.05


def is_dem_file(p: Path) -> bool:
    """True for the file names a catalogue indexes."""
    n = p.name.lower()
    return _is_hgt(n) or n.endswith(_TIFF_EXT + _NETCDF_EXT + GDAL_EXT)


def cache_dir() -> Path:
    """Where catalogue indexes are cached: ``$SPECTRUM_CACHE_DIR/terrain`` or
    ``$XDG_CACHE_HOME/spectrum/terrain`` (``~/.cache/spectrum/terrain``)."""
    base = os.environ.get("SPECTRUM_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(xdg, "spectrum")
    return Path(base) / "terrain"


def latlon_text(lat: float, lon: float) -> str:
    """``31.9 N 122.3 E`` (one decimal, hemisphere letters)."""
    return f"{abs(lat):.1f} {'N' if lat >= 0 else 'S'} {abs(lon):.1f} {'E' if lon >= 0 else 'W'}"


def _checksum(p: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(p, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _entry(p: Path, root: Path, opts: dict) -> tuple[dict, xr.DataArray | None]:
    st = p.stat()
    e = {"path": str(p.relative_to(root)) if root in p.parents else str(p), "size": st.st_size,
         "mtime_ns": st.st_mtime_ns, "checksum": _checksum(p)}
    try:
        dem = _load(p, opts)
    except (ValueError, OSError) as exc:
        e.update(status="rejected", error=str(exc))
        return e, None
    lat = dem["lat"].values
    lon = dem["lon"].values
    z = dem.values
    e.update(status="ok", format=str(dem.attrs.get("format", "")), crs=str(dem.attrs.get("source_crs", "EPSG:4326")),
             lat0=float(lat[0]), lon0=float(lon[0]), nlat=int(lat.size), nlon=int(lon.size),
             dlat=float((lat[-1] - lat[0]) / (lat.size - 1)), dlon=float((lon[-1] - lon[0]) / (lon.size - 1)),
             min_m=float(np.nanmin(z)), max_m=float(np.nanmax(z)), voids=int(dem.attrs.get("voids", 0)),
             sea_cells=int(dem.attrs.get("sea_cells", 0)), bathymetry=bool(dem.attrs.get("bathymetry", False)))
    return e, dem


def _load(p: Path, opts: dict) -> xr.DataArray:
    bathy = opts.get("bathymetry", "auto")
    kw = dict(nodata=opts.get("nodata"), sea=opts.get("sea", "auto"))
    if bathy != "auto":
        return load_dem(p, bathymetry=bool(bathy), **kw)
    try:
        return load_dem(p, **kw)
    except ValueError as exc:
        if "bathymetry=True" not in str(exc):
            raise
        dem = load_dem(p, bathymetry=True, **kw)  # sea depths (ETOPO-like): named in the index and info
        dem.attrs["bathymetry"] = 1
        return dem


class Catalogue:
    """A folder of DEM tiles, indexed once, read lazily (see the module docstring).

    Every :mod:`spectrum.terrain` function that takes a DEM DataArray also takes a catalogue:
    :func:`~spectrum.terrain.profile`, :func:`~spectrum.terrain.profiles`,
    :func:`~spectrum.terrain.radial_profiles`, :func:`~spectrum.terrain.elevation_m`,
    :func:`~spectrum.terrain.dem_bounds`, :func:`~spectrum.terrain.radio_climatic_zones`.

    Attributes
    ----------
    root : pathlib.Path
        The folder.
    entries : list of dict
        One per file: ``path`` (relative), ``status`` ("ok"/"rejected"), ``error``, ``checksum``,
        ``format``, ``crs``, ``lat0``/``lon0``/``nlat``/``nlon``/``dlat``/``dlon`` (grid posts,
        ascending, degrees), ``min_m``/``max_m``, ``voids``, ``sea_cells``.
    attrs : dict
        ``source`` (names the folder), ``units`` = "m".
    """

    def __init__(self, root, entries: list[dict], opts: dict, index_path: Path | None = None):
        self.root = Path(root)
        self.entries = entries
        self.opts = dict(opts)
        self.index_path = index_path
        self.tiles = [e for e in entries if e.get("status") == "ok"]
        if not self.tiles:
            bad = [f"{e['path']}: {e.get('error', '')}" for e in entries if e.get("status") != "ok"]
            raise ValueError(f"{self.root}: no usable DEM file in the folder"
                             + (f" ({len(bad)} rejected; first: {bad[0]})" if bad else ""))
        self._levels()
        n_files = f"{len(self.tiles)} file" + ("" if len(self.tiles) == 1 else "s")
        self.attrs = {"units": "m", "source": f"terrain catalogue {self.root} ({n_files})",
                      "catalogue": str(self.root), "format": "catalogue"}
        self.name = "elevation"
        self._packed: tuple | None = None  # (ids, cat tuple)
        self._mem: dict[int, np.ndarray] = {}

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def open(cls, folder, *, refresh: bool = False, nodata=None, sea="auto", bathymetry="auto",
             cache: bool = True) -> Catalogue:
        """Index ``folder`` (recursively) or reuse its cached index, re-reading only changed files.

        Parameters
        ----------
        folder : str or os.PathLike
            Folder of DEM files (any depth).
        refresh : bool
            Re-read every file (a full rebuild of the index).
        nodata, sea : optional
            As :func:`spectrum.terrain.load_dem`, for every file.
        bathymetry : {"auto", True, False}
            ``"auto"``: a file whose heights go below -500 m is read as topo-bathymetry (sea depths
            -> sea at 0 m) and the index says so; True/False force it for every file.
        cache : bool
            Read and write the index cache.
        """
        root = Path(folder).resolve()
        if not root.exists():
            raise FileNotFoundError(f"terrain folder not found: {folder}")
        if not root.is_dir():
            raise ValueError(f"{folder} is not a folder")
        opts = {"nodata": nodata, "sea": sea, "bathymetry": bathymetry}
        key = hashlib.sha1(json.dumps([str(root), opts, INDEX_VERSION], default=str).encode()).hexdigest()[:16]
        ipath = cache_dir() / f"{root.name}-{key}.json"
        old = {}
        if cache and not refresh and ipath.exists():
            try:
                doc = json.loads(ipath.read_text(encoding="utf-8"))
                if doc.get("version") == INDEX_VERSION and doc.get("root") == str(root):
                    old = {e["path"]: e for e in doc.get("entries", [])}
            except (ValueError, OSError, KeyError, TypeError):
                old = {}
        files = sorted(p for p in root.rglob("*") if p.is_file() and is_dem_file(p))
        entries, changed = [], refresh or not old
        for p in files:
            rel = str(p.relative_to(root))
            st = p.stat()
            e = old.get(rel)
            if e is not None and e.get("size") == st.st_size and e.get("mtime_ns") == st.st_mtime_ns:
                entries.append(e)
                continue
            entries.append(_entry(p, root, opts)[0])
            changed = True
        if set(old) - {e["path"] for e in entries}:
            changed = True
        if cache and changed:
            from ..io import write_text

            try:
                ipath.parent.mkdir(parents=True, exist_ok=True)
                write_text(ipath, json.dumps({"version": INDEX_VERSION, "root": str(root), "options": opts,
                                              "entries": entries}, indent=1, default=str))
            except OSError:  # a read-only cache dir only costs re-indexing next time
                pass
        return cls(root, entries, opts, ipath if cache else None)

    def _levels(self) -> None:
        """Group tiles into lattices (levels) of equal spacing and alignment, finest first."""
        groups: dict[tuple, list[int]] = {}
        for t, e in enumerate(self.tiles):
            dlat, dlon = e["dlat"], e["dlon"]
            plat = (e["lat0"] / dlat) % 1.0
            plon = (e["lon0"] / dlon) % 1.0
            k = (round(dlat * 3600.0, 4), round(dlon * 3600.0, 4), round(plat, 3) % 1.0, round(plon, 3) % 1.0)
            groups.setdefault(k, []).append(t)
        order = sorted(groups, key=lambda k: (k[0] * k[1], k))
        self.level_of = np.empty(len(self.tiles), np.int64)
        self.lv = []  # (lat_o, dlat, lon_o, dlon)
        self.r0 = np.empty(len(self.tiles), np.int64)
        self.c0 = np.empty(len(self.tiles), np.int64)
        for lvn, k in enumerate(order):
            t0 = self.tiles[groups[k][0]]
            dlat, dlon = t0["dlat"], t0["dlon"]
            lat_o = t0["lat0"] - math.floor(t0["lat0"] / dlat) * dlat
            lon_o = t0["lon0"] - math.floor(t0["lon0"] / dlon) * dlon
            self.lv.append((lat_o, dlat, lon_o, dlon))
            for t in groups[k]:
                e = self.tiles[t]
                lon0 = e["lon0"] - 360.0 if e["lon0"] >= 180.0 else e["lon0"]
                self.level_of[t] = lvn
                self.r0[t] = int(round((e["lat0"] - lat_o) / dlat))
                self.c0[t] = int(round((lon0 - lon_o) / dlon))
        self.tb = np.array([[e["lat0"], e["lat0"] + (e["nlat"] - 1) * e["dlat"],
                             (e["lon0"] - 360.0 if e["lon0"] >= 180.0 else e["lon0"]),
                             (e["lon0"] - 360.0 if e["lon0"] >= 180.0 else e["lon0"]) + (e["nlon"] - 1) * e["dlon"]]
                            for e in self.tiles])
        self.tres = np.array([[e["dlat"], e["dlon"]] for e in self.tiles])

    # ---- DEM-like interface ---------------------------------------------------------------
    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(lat_min, lat_max, lon_min, lon_max)`` of all tiles' posts together. [deg]"""
        b = self.tb
        return float(b[:, 0].min()), float(b[:, 1].max()), float(b[:, 2].min()), float(b[:, 3].max())

    @property
    def dlat(self) -> float:
        """Finest north-south spacing of any tile. [deg]"""
        return float(self.tres[:, 0].min())

    def bounds_text(self) -> str:
        b = self.bounds
        return f"terrain catalogue {self.root}, lat {b[0]:.6g}..{b[1]:.6g}, lon {b[2]:.6g}..{b[3]:.6g}"

    def __getitem__(self, name):
        """``cat["lat"]`` / ``cat["lon"]``: the posts of the finest lattice over the extent (for
        code that reads a DEM's spacing from its coordinates)."""
        if name not in ("lat", "lon"):
            raise KeyError(name)
        b = self.bounds
        lo, hi = (b[0], b[1]) if name == "lat" else (b[2], b[3])
        step = float(self.tres[:, 0 if name == "lat" else 1].min())
        n = min(int(round((hi - lo) / step)) + 1, 2_000_000)
        return xr.DataArray(lo + np.arange(n) * step, dims=(name,), name=name)

    # an overview grid (at most ~1.5 M cells) for code that draws a DEM: .shape, .values, .lat, .lon
    @property
    def overview(self) -> xr.DataArray:
        """The whole catalogue resampled to at most ~1.5 M cells (cached): for display only."""
        if getattr(self, "_overview", None) is None:
            self._overview = self.read(self.bounds, max_cells=1_500_000)
        return self._overview

    @property
    def shape(self) -> tuple[int, int]:
        return self.overview.shape

    @property
    def size(self) -> int:
        return int(self.overview.size)

    @property
    def values(self) -> np.ndarray:
        return self.overview.values

    @property
    def lat(self):
        return self.overview["lat"]

    @property
    def lon(self):
        return self.overview["lon"]

    def __repr__(self) -> str:
        return f"<Catalogue {self.root}: {len(self.tiles)} files, {len(self.lv)} resolutions, {self.bounds_text()}>"

    # ---- tiles ----------------------------------------------------------------------------
    def touched(self, lat, lon, margin_deg: float = 0.0) -> np.ndarray:
        """Indices of the tiles whose extent (plus one post and ``margin_deg``) holds a point."""
        la = np.asarray(lat, float).ravel()
        lo = np.asarray(lon, float).ravel()
        keep = np.isfinite(la) & np.isfinite(lo)
        la, lo = la[keep], lo[keep]
        if la.size == 0:
            return np.zeros(0, np.int64)
        lo = (lo + 180.0) % 360.0 - 180.0
        q = 0.01  # unique points on a 0.01 deg raster (never more than the tile margin)
        key = np.unique(np.round(la / q).astype(np.int64) * 100_000 + np.round((lo + 180.0) / q).astype(np.int64))
        ula, ulo = (key // 100_000) * q, (key % 100_000) * q - 180.0
        coslat = np.cos(np.radians(np.clip(np.abs(ula).max() + margin_deg + 1.0, 0.0, 89.0)))
        m_lat = margin_deg + q + self.tres[:, 0]
        m_lon = margin_deg / coslat + q + self.tres[:, 1]
        out = []
        for t in range(len(self.tiles)):
            b = self.tb[t]
            hit = ((ula >= b[0] - m_lat[t]) & (ula <= b[1] + m_lat[t])
                   & (((ulo >= b[2] - m_lon[t]) & (ulo <= b[3] + m_lon[t]))
                      | ((ulo + 360.0 >= b[2] - m_lon[t]) & (ulo + 360.0 <= b[3] + m_lon[t]))))
            if hit.any():
                out.append(t)
        return np.array(out, np.int64)

    def touched_box(self, bounds) -> np.ndarray:
        """Indices of the tiles whose extent (plus one post) meets the box ``bounds``."""
        la0, la1, lo0, lo1 = (float(b) for b in bounds)
        b, r = self.tb, self.tres
        hit = (b[:, 0] - r[:, 0] <= la1) & (b[:, 1] + r[:, 0] >= la0)
        lon_hit = np.zeros(len(self.tiles), bool)
        for s in (0.0, 360.0, -360.0):
            lon_hit |= (b[:, 2] - r[:, 1] <= lo1 + s) & (b[:, 3] + r[:, 1] >= lo0 + s)
        return np.flatnonzero(hit & lon_hit).astype(np.int64)

    def _tile(self, t: int) -> np.ndarray:
        """Heights of tile ``t`` as float32, rows south to north, sea cells -0.0."""
        a = self._mem.get(t)
        if a is not None:
            return a
        e = self.tiles[t]
        dem = _load(self.root / e["path"], self.opts)
        z = np.ascontiguousarray(dem.values, dtype=np.float32)
        if z.shape != (e["nlat"], e["nlon"]):
            raise ValueError(f"{self.root / e['path']}: changed since it was indexed; run 'spectrum terrain index "
                             f"{self.root}'")
        if "sea" in dem.coords:
            z[dem.coords["sea"].values] = np.float32(-0.0)
        return z

    def pack(self, ids) -> tuple:
        """The kernel tuple of :mod:`spectrum.kernels.terrain_tiles` for tiles ``ids`` (reusing the
        tiles already in memory; the least recently packed ones are dropped past :data:`CACHE_MB`)."""
        ids = sorted(set(int(i) for i in ids))
        if self._packed is not None and set(ids) <= set(self._packed[0]):
            return self._packed[1]
        keep = list(ids)
        if self._packed is not None:
            budget = CACHE_MB * 2**20 - sum(self.tiles[t]["nlat"] * self.tiles[t]["nlon"] * 4 for t in ids)
            for t in self._packed[0]:
                nb = self.tiles[t]["nlat"] * self.tiles[t]["nlon"] * 4
                if t not in ids and nb <= budget:
                    keep.append(t)
                    budget -= nb
        keep = sorted(keep)
        arrays = [self._tile(t) for t in keep]
        # priority inside a level: the catalogue order (already level-major by tile index order)
        sizes = np.array([a.size for a in arrays], np.int64)
        off = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64) if keep else np.zeros(0, np.int64)
        buf = np.concatenate([a.ravel() for a in arrays]) if keep else np.zeros(1, np.float32)
        self._mem = {t: buf[o:o + s].reshape(a.shape) for t, o, s, a in zip(keep, off, sizes, arrays)}
        kt = np.array(keep, np.int64)
        nr = np.array([self.tiles[t]["nlat"] for t in keep], np.int64)
        nc = np.array([self.tiles[t]["nlon"] for t in keep], np.int64)
        r0, c0, lvl = self.r0[kt], self.c0[kt], self.level_of[kt]
        nlev = len(self.lv)
        lat_o = np.array([v[0] for v in self.lv])
        dlat = np.array([v[1] for v in self.lv])
        lon_o = np.array([v[2] for v in self.lv])
        dlon = np.array([v[3] for v in self.lv])
        blk = np.ones(nlev, np.int64)
        b_i0, b_j0, nbi, nbj, b_off = (np.zeros(nlev, np.int64) for _ in range(5))
        starts, tiles_csr = [0], []
        for lv in range(nlev):
            mine = np.flatnonzero(lvl == lv)
            if mine.size == 0:
                b_off[lv] = len(starts) - 1
                continue
            bs = int(max(min(nr[mine].min(), nc[mine].min()), 1))
            blk[lv] = bs
            bi_lo = np.floor_divide(r0[mine], bs)
            bi_hi = np.floor_divide(r0[mine] + nr[mine] - 1, bs)
            bj_lo = np.floor_divide(c0[mine], bs)
            bj_hi = np.floor_divide(c0[mine] + nc[mine] - 1, bs)
            b_i0[lv], b_j0[lv] = bi_lo.min(), bj_lo.min()
            nbi[lv], nbj[lv] = bi_hi.max() - bi_lo.min() + 1, bj_hi.max() - bj_lo.min() + 1
            if nbi[lv] * nbj[lv] > 50_000_000:
                raise ValueError(f"{self.root}: tiles touched span too large an area at one resolution; "
                                 "use fewer paths at a time")
            lists = [[] for _ in range(int(nbi[lv] * nbj[lv]))]
            for q in mine:  # keep catalogue order: earlier tile wins within a level
                for bi in range(int(np.floor_divide(r0[q], bs)), int(np.floor_divide(r0[q] + nr[q] - 1, bs)) + 1):
                    for bj in range(int(np.floor_divide(c0[q], bs)), int(np.floor_divide(c0[q] + nc[q] - 1, bs)) + 1):
                        lists[(bi - b_i0[lv]) * nbj[lv] + (bj - b_j0[lv])].append(q)
            b_off[lv] = len(starts) - 1
            for lst in lists:
                tiles_csr.extend(lst)
                starts.append(len(tiles_csr))
        cat = (buf, off, r0.copy(), c0.copy(), nr, nc, lat_o, dlat, lon_o, dlon, blk, b_i0, b_j0, nbi, nbj, b_off,
               np.array(starts, np.int64), np.array(tiles_csr if tiles_csr else [0], np.int64), lvl.copy())
        self._packed = (keep, cat)
        return cat

    def for_points(self, lat, lon, margin_deg: float = 0.0) -> tuple:
        """Kernel tuple holding every tile a set of points (and ``margin_deg`` around them) needs."""
        return self.pack(self.touched(lat, lon, margin_deg))

    def for_paths(self, lat1, lon1, lat2, lon2) -> tuple:
        """Kernel tuple for great-circle paths: coarse points every :data:`TOUCH_STEP_DEG` along each
        path, each tile tested with that much margin (so no tile a path crosses is missed)."""
        la1, lo1, la2, lo2 = (np.atleast_1d(np.asarray(a, float)) for a in (lat1, lon1, lat2, lon2))
        d = np.atleast_1d(geo.distance_km(la1, lo1, la2, lo2))
        step_km = TOUCH_STEP_DEG * math.radians(1.0) * geo.EARTH_RADIUS_KM
        n = np.maximum(np.ceil(d / step_km).astype(np.int64), 1) + 1
        pts_la, pts_lo = [la1, la2], [lo1, lo2]
        for m in np.unique(n):
            sel = np.flatnonzero(n == m)
            f = np.linspace(0.0, 1.0, int(m))[1:-1]
            if f.size:
                pla, plo = geo.intermediate_points(la1[sel, None], lo1[sel, None], la2[sel, None], lo2[sel, None],
                                                   f[None, :])
                pts_la.append(np.ravel(pla))
                pts_lo.append(np.ravel(plo))
        return self.for_points(np.concatenate(pts_la), np.concatenate(pts_lo), margin_deg=TOUCH_STEP_DEG)

    def rejected_at(self, lat: float, lon: float) -> str:
        """Why there is no data at a point when a rejected ``.hgt`` tile would cover it ('' if none)."""
        from .rasters import _HGT_NAME

        for e in self.entries:
            m = _HGT_NAME.search(Path(e["path"]).name) if e.get("status") != "ok" else None
            if m:
                la = int(m.group(2)) * (1 if m.group(1).upper() == "N" else -1)
                lo = int(m.group(4)) * (1 if m.group(3).upper() == "E" else -1)
                if la <= lat <= la + 1 and lo <= lon <= lo + 1:
                    return f"; the tile there was rejected when indexed: {e.get('error', '')}"
        return ""

    # ---- reading a grid ---------------------------------------------------------------------
    def read(self, bounds, *, res_deg: float | None = None, max_cells: int = 25_000_000) -> xr.DataArray:
        """A DEM DataArray over ``bounds`` resampled from the catalogue (finest source first,
        bilinear; NaN where no tile covers), with the ``sea`` coordinate; spacing ``res_deg``
        (default the finest tile's), coarsened if the grid would pass ``max_cells``."""
        la0, la1, lo0, lo1 = (float(b) for b in bounds)
        if not (la1 > la0 and lo1 > lo0):
            raise ValueError(f"bounds = {tuple(bounds)} is an empty box")
        res = float(res_deg) if res_deg is not None else float(self.tres[:, 0].min())
        ny = int(math.floor((la1 - la0) / res + 1e-9)) + 1
        nx = int(math.floor((lo1 - lo0) / res + 1e-9)) + 1
        while ny * nx > max_cells:
            res *= 2.0
            ny = int(math.floor((la1 - la0) / res + 1e-9)) + 1
            nx = int(math.floor((lo1 - lo0) / res + 1e-9)) + 1
        lat = la0 + np.arange(max(ny, 2)) * res
        lon = lo0 + np.arange(max(nx, 2)) * res
        glat, glon = np.meshgrid(lat, lon, indexing="ij")
        fla, flo = glat.ravel(), glon.ravel()
        cat = self.pack(self.touched_box((la0, la1, lo0, lo1)))
        h = np.empty(fla.size)
        st = np.empty(fla.size, np.int64)
        _kt.sample_points(cat, fla, flo, h, st)
        sea = np.empty(fla.size)
        _kt.sea_points(cat, fla, flo, sea)
        return make_dem(h.reshape(glat.shape), lat, lon, source=self.attrs["source"], format="catalogue crop",
                        sea=(sea == 1.0).reshape(glat.shape))


def open_terrain(path, **kw):
    """Terrain from a path: a :class:`Catalogue` for a folder, a DEM DataArray for a file.

    Keyword arguments go to :meth:`Catalogue.open` or :func:`~spectrum.terrain.load_dem`.
    """
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"DEM file not found: {p}")
    if p.is_dir():
        return Catalogue.open(p, **kw)
    kw.pop("refresh", None)
    kw.pop("cache", None)
    if kw.get("bathymetry") == "auto":
        kw.pop("bathymetry")
    return load_dem(p, **kw)
