"""Stage 3 -- paths: terrain profiles between the two ends of every path in one batch
(:func:`spectrum.terrain.profiles`), P.452-18 radio-climatic zones along them, bearings and the
elevation angles at each terminal.

The surroundings of each terminal (P.2108 clutter, P.2109 building entry) are losses at the
ends of a path (:func:`terminal_losses_db`).

Takes coordinates and the DEM, returns a :class:`Paths` batch; knows nothing about the register
or the request.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Paths", "profiles", "geometry", "elevations", "AE_KM", "terminal_classes", "terminal_losses_db",
           "LandcoverClutter"]

#: median effective Earth radius of the elevation angles (k50 = 157 / (157 - 45)) [km]
AE_KM = 6371.0 * 157.0 / (157.0 - 45.0)


@dataclass
class Paths:
    """A batch of terrain paths and what is fixed along them."""

    d: np.ndarray
    h: np.ndarray
    n: np.ndarray
    ok: np.ndarray          # path computed (inside the DEM)
    length_km: np.ndarray
    lat_mid: np.ndarray
    zone: np.ndarray | None = None   # P.452 radio-climatic zone per sample (1 coastal, 2 inland, 3 sea)
    dct_km: np.ndarray | None = None  # distance over land from the first end to the coast
    dcr_km: np.ndarray | None = None  # ... from the last end
    bearing_12: np.ndarray | None = None  # at the first end toward the last [deg]
    bearing_21: np.ndarray | None = None  # at the last end toward the first [deg]
    lat_t: np.ndarray | None = None   # first end (transmitter) [deg]
    lon_t: np.ndarray | None = None
    lat_r: np.ndarray | None = None   # last end (receiver) [deg]
    lon_r: np.ndarray | None = None
    dn: np.ndarray | None = None      # ΔN at the path centre (P.452 / P.1812) [N-units/km]
    n0: np.ndarray | None = None      # N0 at the path centre [N-units]

    def subset(self, pos: np.ndarray) -> "Paths":
        """The same padded profiles with per-path flags and lengths of rows ``pos`` (the
        arrays the loss models read stay whole so cached losses keep their shape)."""
        return Paths(self.d, self.h, self.n, self.ok[pos], self.length_km[pos], self.lat_mid)


_ZONE_CACHE: dict = {}
#: coastal-land distance of P.452-18 Table 3 [km]; the zone map around a batch of paths reaches
#: this far beyond them so the coast rule sees the sea beside a path (as profile_zones does)
COASTAL_KM = 50.0
#: zone maps around path batches are made over boxes rounded outward to this grid [deg], so the
#: victims, their existing interferers and wanted transmitters of one evaluation share one map
BOX_ROUND_DEG = 0.5


def _is_synthetic(dem) -> bool:
    return bool(getattr(dem, "attrs", {}).get("synthetic", False))


def _as_grid(z):
    lat = np.asarray(z.coords["lat"].values, float)
    lon = np.asarray(z.coords["lon"].values, float)
    return (np.ascontiguousarray(z.values.astype(np.int8)), lat[0], (lat[-1] - lat[0]) / max(lat.size - 1, 1),
            lon[0], (lon[-1] - lon[0]) / max(lon.size - 1, 1))


def _zone_grid(dem, box=None):
    """P.452-18 radio-climatic zone map (:func:`spectrum.terrain.radio_climatic_zones`), cached:
    the whole extent of a synthetic in-memory DEM, else (a tile catalogue, a real DEM) the box
    of the paths plus the coastal distance, as :func:`spectrum.terrain.profile_zones` makes it."""
    import math

    from .. import geo, terrain

    if box is not None and not _is_synthetic(dem):
        m = COASTAL_KM / (math.radians(1.0) * geo.EARTH_RADIUS_KM) + 0.01
        coslat = max(math.cos(math.radians(min(max(abs(box[0]), abs(box[1])) + m, 89.0))), 1e-3)
        r = BOX_ROUND_DEG
        b = (math.floor((box[0] - m) / r) * r, math.ceil((box[1] + m) / r) * r,
             math.floor((box[2] - m / coslat) / r) * r, math.ceil((box[3] + m / coslat) / r) * r)
        db = terrain.dem_bounds(dem)
        b = (max(b[0], db[0]), min(b[1], db[1]), max(b[2], db[2]), min(b[3], db[3]))
    else:
        b = None
    key = (id(dem), b)
    hit = _ZONE_CACHE.get(key)
    if hit is not None and hit[0] is dem:
        return hit[1]
    z = terrain.radio_climatic_zones(dem, bounds=b, coastal_km=COASTAL_KM)
    grid = _as_grid(z)
    if len(_ZONE_CACHE) > 8 or any(v[0] is not dem for v in _ZONE_CACHE.values()):
        _ZONE_CACHE.clear()
    _ZONE_CACHE[key] = (dem, grid)
    return grid


def _zones_along(grid, la, lo, d, n):
    """Zone code of each profile sample (nearest grid cell) and the distances over land from each
    end to the first sea sample (P.452 dct, dcr; 500 km when the path meets no sea)."""
    from ..kernels.interference import zones_along

    z, lat0, dlat, lon0, dlon = grid
    zone = np.empty(d.shape)
    dct = np.empty(d.shape[0])
    dcr = np.empty(d.shape[0])
    zones_along(z, float(lat0), float(dlat), float(lon0), float(dlon), np.ascontiguousarray(la),
                np.ascontiguousarray(lo), np.ascontiguousarray(d), n.astype(np.int64), zone, dct, dcr)
    return zone, dct, dcr


#: sample in-memory grids and their zones in one kernel pass (False: the two-pass route, as for catalogues)
FUSED_ZONES = True


def _sample_zoned(dem, zgrid, la1, lo1, la2, lo2, step_m):
    """Profiles of an in-memory DEM grid with the zone of each sample in one kernel pass
    (:func:`spectrum.kernels.evaluation_paths.sample_paths_zones`): the samples of
    ``terrain.profiles(..., fill=0, on_error="skip")`` without its padded lat/lon arrays.

    Returns (d, h, n, zone, dct, dcr); a path leaving the grid or crossing a void has n = 0.
    """
    from .. import geo
    from ..kernels.evaluation_paths import sample_paths_zones
    from ..terrain.profiles import _npts, _step
    from ..terrain.sampler import sampler

    g = sampler(dem).g
    la1, lo1, la2, lo2 = (np.ascontiguousarray(a, dtype=np.float64) for a in (la1, lo1, la2, lo2))
    npath = la1.size
    step = np.full(npath, _step(g, None)) if step_m is None else np.ascontiguousarray(
        np.broadcast_to(np.asarray(step_m, float), (npath,)))
    d = np.atleast_1d(geo.distance_km(la1, lo1, la2, lo2))
    n = np.maximum(_npts(d, step), 2)
    nmax = int(n.max())
    if npath * nmax > 400_000_000:
        raise ValueError(f"profiles: {npath} paths x {nmax} samples is too large; use a larger step_m or fewer paths")
    d_out, h_out, z_out = np.zeros((npath, nmax)), np.zeros((npath, nmax)), np.empty((npath, nmax))
    dct, dcr = np.empty(npath), np.empty(npath)
    bad, void = np.empty(npath, np.int64), np.empty(npath, np.int64)
    zg, zlat0, zdlat, zlon0, zdlon = zgrid
    sample_paths_zones(g.z, g.lat0, g.dlat, g.lon0, g.dlon, zg, float(zlat0), float(zdlat), float(zlon0),
                       float(zdlon), la1, lo1, la2, lo2, n, d_out, h_out, z_out, dct, dcr, bad, void)
    skip = (bad >= 0) | (void >= 0)
    if skip.any():
        n[skip] = 0
        for a in (d_out, h_out):
            a[skip] = 0.0
    return d_out, h_out, n, z_out, dct, dcr


def profiles(dem, lat1, lon1, lat2, lon2, step_m, zones: bool = False, climate=None):
    """Terrain profiles of paths (lat1, lon1) -> (lat2, lon2) in one batch, with the P.452-18
    zones along them (``zones``) and ΔN / N0 at each path centre (:func:`.climate.refractivity`
    with the ``climate`` option).

    On an in-memory DEM the zones come out of the sampling kernel itself; on a tile catalogue
    the samples' coordinates are sampled in the zone map afterwards (the same nearest-cell rule).
    """
    from .. import geo, terrain
    from ..terrain.sampler import sampler

    m = len(lat1)
    if m == 0:
        z = np.zeros((0, 2))
        return Paths(z, z, np.zeros(0, np.int64), np.zeros(0, bool), np.zeros(0), np.zeros(0))
    lat1, lon1, lat2, lon2 = (np.asarray(a, dtype=float) for a in (lat1, lon1, lat2, lon2))
    b = terrain.dem_bounds(dem)
    eps = 1e-9
    inside = ((lat1 >= b[0] + eps) & (lat1 <= b[1] - eps) & (lon1 >= b[2] + eps) & (lon1 <= b[3] - eps)
              & (lat2 >= b[0] + eps) & (lat2 <= b[1] - eps) & (lon2 >= b[2] + eps) & (lon2 <= b[3] - eps))
    length = np.atleast_1d(geo.distance_km(lat1, lon1, lat2, lon2))
    inside &= length > 0.01  # co-sited (< 10 m): no terrain path, reported as not computed
    ok = inside.copy()
    idx = np.flatnonzero(inside)
    n = np.zeros(m, np.int64)
    zgrid = None
    if zones:
        box = None
        if idx.size:
            la_ok = np.concatenate([lat1[idx], lat2[idx]])
            lo_ok = np.concatenate([lon1[idx], lon2[idx]])
            box = (float(la_ok.min()), float(la_ok.max()), float(lo_ok.min()), float(lo_ok.max()))
        zgrid = _zone_grid(dem, box)
    fused = zones and FUSED_ZONES and sampler(dem).kind == "grid"
    dct = dcr = None

    def zoned(cols, dd, nn):
        """(zone,) of sampled rows: from the kernel, or from their coordinates (la, lo)."""
        if not zones:
            return cols[:2], None
        if fused:
            return cols[:2] + [cols[2]], (cols[3], cols[4])
        zz, c1, c2 = _zones_along(zgrid, cols[2], cols[3], dd, nn)
        return cols[:2] + [zz], (c1, c2)

    def sample(k, step, skip):
        if fused:
            dd, hh, nn, zz, c1, c2 = _sample_zoned(dem, zgrid, lat1[k], lon1[k], lat2[k], lon2[k], step)
            return [dd, hh, zz, c1, c2], nn
        out = terrain.profiles(dem, lat1[k], lon1[k], lat2[k], lon2[k], step_m=step, fill=0.0,
                               return_latlon=True, **({"on_error": "skip"} if skip else {}))
        return [out[0], out[1], out[3], out[4]], out[2]

    if idx.size:
        # a path that leaves the DEM or crosses a void comes back with n = 0: drop it
        cols, nn = sample(idx, step_m, True)
        good = nn > 0
        if not good.all():
            ok[idx[~good]] = False
            idx = idx[good]
            width = int(nn[good].max()) if idx.size else 2
            cols = [a[good, :width] if a.ndim == 2 else a[good] for a in cols]
            nn = nn[good]
        arrs, ends = zoned(cols, cols[0], nn)
        short = np.flatnonzero(nn < 5) if idx.size else np.zeros(0, np.int64)
        if short.size:  # P.452 needs >= 4 points: resample short paths at 1/6 of their length
            js = idx[short]
            c2, n2 = sample(js, np.maximum(length[js] * 1000.0 / 6.0, 1.0), False)  # one batch, a step per path
            a2, e2 = zoned(c2, c2[0], n2)
            width = max(arrs[0].shape[1], int(n2.max()))
            if width > arrs[0].shape[1]:
                pad = ((0, 0), (0, width - arrs[0].shape[1]))
                arrs = [np.pad(a, pad, constant_values=2.0 if j == 2 else 0.0) for j, a in enumerate(arrs)]
            for q, k in enumerate(short):
                ns = int(n2[q])
                for j, (a, v) in enumerate(zip(arrs, a2)):
                    a[k, :] = 2.0 if j == 2 else 0.0
                    a[k, :ns] = v[q, :ns]
                nn[k] = ns
                if ends is not None:
                    ends[0][k], ends[1][k] = e2[0][q], e2[1][q]
        if idx.size == m:  # every path on the terrain: use the batch as it is (zero padded)
            full = arrs
        else:
            nmax = arrs[0].shape[1] if idx.size else 2
            full = [np.zeros((m, nmax)) if j < 2 else np.full((m, nmax), 2.0) for j in range(len(arrs))]
            for f, part in zip(full, arrs):
                f[idx] = part
        if ends is not None:
            dct, dcr = np.full(m, 500.0), np.full(m, 500.0)
            dct[idx], dcr[idx] = ends
        n[idx] = nn
    else:
        full = [np.zeros((m, 2)), np.zeros((m, 2))] + ([np.full((m, 2), 2.0)] if zones else [])
        if zones:
            dct, dcr = np.full(m, 500.0), np.full(m, 500.0)
    d, h = full[0], full[1]
    # placeholder 2-point flat paths for the rest keep array shapes valid (never used as results)
    rest = np.flatnonzero(~ok)
    d[rest, :] = 0.0
    d[rest, 1] = np.maximum(length[rest], 0.01)
    n[rest] = 2
    lat_mid = (lat1 + lat2) / 2.0
    paths = Paths(d, h, n, ok, length, lat_mid, lat_t=lat1, lon_t=lon1, lat_r=lat2, lon_r=lon2)
    if zones:
        paths.zone, paths.dct_km, paths.dcr_km = full[2], dct, dcr
    from .climate import refractivity

    paths.dn, paths.n0 = refractivity(lat1, lon1, lat2, lon2, climate)
    return paths


def geometry(dem, la1, lo1, la2, lo2, step_m, zones: bool, climate=None) -> Paths:
    """Profiles (:func:`profiles`) plus the bearings at each end [deg]."""
    from .. import geo

    paths = profiles(dem, la1, lo1, la2, lo2, step_m, zones=zones, climate=climate)
    paths.bearing_12 = np.atleast_1d(geo.bearing_deg(la1, lo1, la2, lo2))
    paths.bearing_21 = np.atleast_1d(geo.bearing_deg(la2, lo2, la1, lo1))
    return paths


def elevations(paths: Paths, htg, hrg, ae_km: float = AE_KM, cache=None, key=None):
    """Elevation angles [deg] at each end toward the other (:func:`spectrum.kernels.interference.path_elevations`),
    memoised in ``cache`` under ``key`` when given."""
    from ..kernels.interference import path_elevations

    if cache is not None:
        ck = ("elev", key, np.asarray(htg, float).tobytes(), np.asarray(hrg, float).tobytes())
        hit = cache.get(ck)
        if hit is None:
            hit = elevations(paths, htg, hrg, ae_km)
            cache[ck] = hit
        return hit
    m = paths.n.size
    el_t = np.zeros(m)
    el_r = np.zeros(m)
    if m:
        rows = np.arange(m)
        h0 = paths.h[rows, 0]
        hn = paths.h[rows, paths.n - 1]
        path_elevations(paths.d, paths.h, paths.n, h0 + htg, hn + hrg, ae_km, el_t, el_r)
    return el_t, el_r



# ----------------------------------------------------------------------------------------
# Terminal surroundings: clutter (P.2108-1 §3.1) and building entry (P.2109-2)
# ----------------------------------------------------------------------------------------
#: frequency range of the P.2108-1 §3.1 terminal correction [MHz]
P2108_TERMINAL_MHZ = (30.0, 3000.0)
#: frequency range of P.2109-2 [MHz]
P2109_MHZ = (80.0, 100000.0)


def terminal_classes(clutter_class, lat, lon, provider=None) -> np.ndarray:
    """Clutter class per terminal: the register's where stated, else ``provider(lat, lon)``
    (e.g. a land-cover raster mapped to P.2108 classes; it returns a class name, a code 1-6 or
    None per point), else None (no clutter correction)."""
    cl = np.asarray(clutter_class, dtype=object).copy()
    if provider is not None and cl.size:
        miss = np.flatnonzero(np.array([x is None for x in cl], dtype=bool))
        if miss.size:
            got = np.atleast_1d(np.asarray(provider(np.asarray(lat, float)[miss], np.asarray(lon, float)[miss]),
                                           dtype=object))
            if got.shape != miss.shape:
                raise ValueError(f"clutter_provider returned {got.size} classes for {miss.size} points")
            cl[miss] = [None if (x is None or (isinstance(x, float) and x != x)) else x for x in got]
    return cl


def terminal_losses_db(f_mhz, h_m, clutter_class, indoor, building_type, elev_deg, bel_p_percent: float = 50.0):
    """Additional losses at one end of each path: the P.2108-1 §3.1 height-gain terminal
    correction where the terminal has a clutter class (30 MHz-3 GHz, zero outside) and the
    P.2109-2 building entry loss not exceeded for ``bel_p_percent`` % of locations where it is
    indoor (80 MHz-100 GHz, zero outside; elevation of the path at the facade).

    Returns (clutter_db, bel_db), one value per path. [dB]

    References
    ----------
    Rec. ITU-R P.2108-1 (09/2021) Annex 1 §3.1; Rec. ITU-R P.2109-2 (08/2019) Annex 1 §3.
    """
    from ..propagation import p2108, p2109

    f = np.asarray(f_mhz, float)
    m = np.size(clutter_class)
    f = np.broadcast_to(f, (m,))
    h = np.broadcast_to(np.asarray(h_m, float), (m,))
    el = np.broadcast_to(np.asarray(elev_deg, float), (m,))
    cl_db = np.zeros(m)
    bel_db = np.zeros(m)
    cl = np.asarray(clutter_class, dtype=object)
    has = np.flatnonzero(np.array([x is not None for x in cl], dtype=bool)
                         & (f >= P2108_TERMINAL_MHZ[0]) & (f <= P2108_TERMINAL_MHZ[1]))
    if has.size:
        codes = np.array([p2108.clutter_type_code(x if isinstance(x, str) else int(x)) for x in cl[has]])
        cl_db[has] = np.asarray(p2108.clutter_loss_terminal(f[has] / 1000.0, np.maximum(h[has], 0.01), codes))
    ind = np.flatnonzero(np.asarray(indoor, bool) & (f >= P2109_MHZ[0]) & (f <= P2109_MHZ[1]))
    if ind.size:
        bt = p2109.building_type_code(np.asarray(building_type, dtype=object)[ind].astype(str))
        bel_db[ind] = np.asarray(p2109.building_entry_loss(f[ind] / 1000.0, float(bel_p_percent), bt,
                                                           np.clip(el[ind], -90.0, 90.0)))
    return cl_db, bel_db


class LandcoverClutter:
    """A ``clutter_provider`` (:func:`terminal_classes`) from a land-cover raster: the P.2108-1
    clutter type of the class at each terminal (:func:`spectrum.terrain.landcover.clutter_along`;
    outside the raster, on no-data or an unmapped class: None, no correction).

    Parameters
    ----------
    landcover : str, Path or DataArray
        Class raster (:func:`spectrum.terrain.landcover.load_landcover`).
    scheme : {"worldcover", "corine"}, dict or path
        Class table (the module's WorldCover / CORINE tables, or a user CSV).
    """

    def __init__(self, landcover, scheme="worldcover"):
        import xarray as xr

        from ..terrain import landcover as lcm

        if isinstance(landcover, xr.DataArray):
            self.lc = landcover
            self.source = str(landcover.attrs.get("source", "land-cover DataArray"))
        else:
            self.lc = lcm.load_landcover(landcover)
            self.source = str(landcover)
        self.scheme = scheme
        lcm._scheme(scheme)  # a bad scheme fails here, not in the middle of an evaluation

    def __call__(self, lat, lon):
        from ..terrain.landcover import clutter_along

        c = clutter_along(self.lc, np.asarray(lat, float), np.asarray(lon, float), self.scheme,
                          outside="unknown", unknown="unknown")
        return np.array([None if int(k) <= 0 else int(k) for k in np.atleast_1d(c.p2108)], dtype=object)

    def __repr__(self) -> str:
        return f"LandcoverClutter({self.source!r}, scheme={self.scheme!r})"
