"""Radio-climatic zones (land, sea, coastal land) from terrain, P.452-18 §3.2.1 Table 3."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from .. import geo
from .._validate import check_positive
from .grid import _grid, _normalise


#: Zone codes used by :mod:`spectrum.propagation.p452` (P.452-18 Table 3).
ZONE_COASTAL_LAND, ZONE_INLAND, ZONE_SEA = 1, 2, 3


def radio_climatic_zones(dem, *, sea=None, sea_level_m: float = 0.0, coastal_km: float = 50.0,
                         coastal_max_h_m: float = 100.0, min_sea_diameter_km: float | None = 100.0,
                         bounds=None, max_cells: int = 4_000_000) -> xr.DataArray:
    """Radio-climatic zone map from a DEM, Rec. ITU-R P.452-18 §3.2.1, Table 3.

    * B, sea (code 3): "seas, oceans and other large bodies of water (i.e. covering a circle of
      at least 100 km in diameter)". Water is what the source flags as sea (the ``sea``
      coordinate: no-data sea such as -999, bathymetry) and every cell at or below
      ``sea_level_m`` (SRTM codes the sea as 0 m, so zero-height flats at the coast are water
      too). A connected water body is sea if it holds a circle of ``min_sea_diameter_km``
      (largest distance to land inside it >= half that) or reaches the edge of the grid (it may
      continue beyond; it cannot be checked); smaller lakes and zero-height patches are land.
    * A1, coastal land (code 1): land no higher than ``coastal_max_h_m`` (100 m) within
      ``coastal_km`` (50 km) of the nearest sea cell;
    * A2, inland (code 2): all other land.

    The same zones serve Rec. ITU-R P.1812-6 (§3.2.1 ω, the fraction of the path over sea,
    and the coastal/inland land of its Table 1) and Rec. ITU-R P.2001-5 (§3.6, sea / coastal /
    inland sections of the profile). Distances are Euclidean on the local grid (rows and
    columns scaled to km at the grid's mid-latitude), adequate for the 50 km limit.

    Parameters
    ----------
    dem : DataArray, Catalogue or path
        DEM, or a tile catalogue (read over ``bounds`` -- default its whole extent -- at its finest
        spacing, coarsened so the grid stays under ``max_cells``).
    sea : array_like of bool, optional
        Sea mask on the DEM grid (ascending lat, lon), used as given; default as above.
    sea_level_m : float
        Height at or below which a cell is sea when ``sea`` is not given. [m]
    coastal_km : float
        Maximum distance of coastal land from the sea. [km]
    coastal_max_h_m : float
        Maximum altitude of coastal land. [m]
    min_sea_diameter_km : float or None
        Smallest water body that is sea (Table 3: 100 km); None takes all water as sea. [km]
    bounds : (lat_min, lat_max, lon_min, lon_max), optional
        Only this box (a catalogue is read over it; a DataArray is cropped to it). [deg]
    max_cells : int
        Largest zone grid made from a catalogue.

    Returns
    -------
    xarray.DataArray
        int8 zone codes on the DEM grid (1 coastal land, 2 inland, 3 sea), the codes of
        ``spectrum.propagation.p452`` (``zone``).

    References
    ----------
    Rec. ITU-R P.452-18 (10/2023), §3.2.1, Table 3 (radio-climatic zones).
    """
    from scipy import ndimage

    from .grid import _as_dem, _is_cat, crop_dem

    dem = _as_dem(dem)
    if _is_cat(dem):
        dem = dem.read(dem.bounds if bounds is None else bounds, max_cells=int(max_cells))
    elif bounds is not None:
        dem = crop_dem(dem, bounds)
    dem = _normalise(dem)
    g = _grid(dem)
    if sea is None:
        with np.errstate(invalid="ignore"):
            sea_mask = g.z <= float(sea_level_m)
        if "sea" in dem.coords:
            sea_mask |= np.asarray(dem.coords["sea"].values, dtype=bool)
        if min_sea_diameter_km is not None and sea_mask.any():
            sea_mask = _large_water(sea_mask, g, float(min_sea_diameter_km))
    else:
        sea_mask = np.asarray(sea, dtype=bool)
        if sea_mask.shape != g.z.shape:
            raise ValueError(f"sea mask shape {sea_mask.shape} does not match the DEM {g.z.shape}")
    check_positive("coastal_km", coastal_km, "km", allow_zero=True)
    zones = np.full(g.z.shape, ZONE_INLAND, dtype=np.int8)
    zones[sea_mask] = ZONE_SEA
    if sea_mask.any() and not sea_mask.all():
        km_deg = math.radians(1.0) * geo.EARTH_RADIUS_KM
        latc = 0.5 * (g.lat0 + g.lat1)
        dist = ndimage.distance_transform_edt(~sea_mask, sampling=(g.dlat * km_deg,
                                                                  g.dlon * km_deg * math.cos(math.radians(latc))))
        with np.errstate(invalid="ignore"):
            coastal = ~sea_mask & (dist <= coastal_km) & (g.z <= coastal_max_h_m)
        zones[coastal] = ZONE_COASTAL_LAND
    out = xr.DataArray(zones, dims=("lat", "lon"), coords={"lat": dem["lat"].values, "lon": dem["lon"].values},
                       name="zone")
    out.attrs.update({"long_name": "radio-climatic zone (P.452-18 Table 3)",
                      "flag_values": "1 2 3", "flag_meanings": "coastal_land inland sea",
                      "coastal_km": float(coastal_km), "coastal_max_h_m": float(coastal_max_h_m),
                      "source": f"radio_climatic_zones({dem.attrs.get('source', '')})"})
    return out



def _large_water(water: np.ndarray, g, diameter_km: float) -> np.ndarray:
    """Water bodies that hold a circle of ``diameter_km`` or reach the grid's edge (P.452 Table 3)."""
    from scipy import ndimage

    labels, n = ndimage.label(water)
    if n == 0:
        return water
    km_deg = math.radians(1.0) * geo.EARTH_RADIUS_KM
    latc = 0.5 * (g.lat0 + g.lat1)
    inner = ndimage.distance_transform_edt(water, sampling=(g.dlat * km_deg,
                                                            g.dlon * km_deg * math.cos(math.radians(latc))))
    big = np.asarray(ndimage.maximum(inner, labels, index=np.arange(1, n + 1))) >= 0.5 * diameter_km
    keep = np.zeros(n + 1, bool)
    keep[1:] = big
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    keep[edge[edge > 0]] = True
    return keep[labels]


@dataclass(frozen=True)
class ProfileZones:
    """Radio-climatic zones along path profiles and the path quantities they give.

    Attributes
    ----------
    zone : ndarray of int8, shape (n_paths, n_max)
        Zone code of each sample (1 coastal land A1, 2 inland A2, 3 sea B; 0 padding or no data).
    dtm_km : ndarray, shape (n_paths,)
        Longest continuous land (inland + coastal) section, P.452-18 §4.3 / P.1812-6 Table 1. [km]
    dlm_km : ndarray, shape (n_paths,)
        Longest continuous inland section, P.452-18 §4.3. [km]
    omega : ndarray, shape (n_paths,)
        Fraction of the path over sea, P.452-18 Eq. (4b) / P.1812-6 §3.2. [0-1]
    dct_km, dcr_km : ndarray, shape (n_paths,)
        Distance over land from the first / last end to the coast along the path, P.452-18 §4.5
        (ducting); :data:`NO_COAST_KM` when the path meets no sea. [km]
    """

    zone: np.ndarray
    dtm_km: np.ndarray
    dlm_km: np.ndarray
    omega: np.ndarray
    dct_km: np.ndarray
    dcr_km: np.ndarray


#: dct/dcr of a path that meets no sea (beyond any limit the Recommendations test). [km]
NO_COAST_KM = 500.0


def _runs(mask: np.ndarray, w: np.ndarray) -> float:
    best = cur = 0.0
    for m, x in zip(mask, w):
        cur = cur + x if m else 0.0
        best = max(best, cur)
    return best


def profile_zones(dem, lat, lon, d_km, n=None, *, zone_grid=None, coastal_km: float = 50.0,
                  **zone_kw) -> ProfileZones:
    """Zones along profiles from terrain, and dtm, dlm, ω, dct, dcr (P.452-18 §3.2.1 Table 3, §4).

    Each sample takes the zone of the nearest post of :func:`radio_climatic_zones`, computed over
    the profiles' box plus ``coastal_km`` (so the coast rule sees the sea beside the path). Each
    sample stands for half the interval to each neighbour when section lengths are summed.

    Parameters
    ----------
    dem : DataArray, Catalogue or path
        Terrain.
    lat, lon : array_like, shape (n_max,) or (n_paths, n_max)
        Sample coordinates (``profile(..., return_latlon=True)`` or ``profiles``). [deg]
    d_km : array_like, same shape
        Distances of the samples from the first end. [km]
    n : array_like of int, shape (n_paths,), optional
        Valid samples per path (padded batches); default all.
    zone_grid : DataArray, optional
        A zone map already computed (:func:`radio_climatic_zones`) to sample instead.
    coastal_km : float
        Coastal-land distance (Table 3: 50 km). [km]
    **zone_kw
        Passed to :func:`radio_climatic_zones`.

    Returns
    -------
    ProfileZones

    References
    ----------
    Rec. ITU-R P.452-18 (10/2023), §3.2.1 Table 3, §4.3 (dtm, dlm, ω), §4.5 (dct, dcr).
    Rec. ITU-R P.1812-6 (08/2021), §3.2 and Table 1. Rec. ITU-R P.2001-5 (08/2023), §3.6.
    """
    from .profiles import sample_nearest

    la = np.atleast_2d(np.asarray(lat, dtype=float))
    lo = np.atleast_2d(np.asarray(lon, dtype=float))
    d = np.atleast_2d(np.asarray(d_km, dtype=float))
    if la.shape != lo.shape or la.shape != d.shape:
        raise ValueError(f"lat, lon and d_km must have the same shape, got {la.shape}, {lo.shape}, {d.shape}")
    npath, nmax = d.shape
    nn = np.full(npath, nmax, np.int64) if n is None else np.asarray(n, np.int64).reshape(npath)
    valid = np.arange(nmax)[None, :] < nn[:, None]
    if zone_grid is None:
        from .grid import _as_dem, dem_bounds

        dem = _as_dem(dem)
        ok = valid & np.isfinite(la) & np.isfinite(lo)
        if not ok.any():
            raise ValueError("profile_zones: no valid samples")
        m = coastal_km / (math.radians(1.0) * geo.EARTH_RADIUS_KM) + 0.01
        coslat = max(math.cos(math.radians(min(float(np.abs(la[ok]).max()) + m, 89.0))), 1e-3)
        b = (float(la[ok].min()) - m, float(la[ok].max()) + m, float(lo[ok].min()) - m / coslat,
             float(lo[ok].max()) + m / coslat)
        db = dem_bounds(dem)
        b = (max(b[0], db[0]), min(b[1], db[1]), max(b[2], db[2]), min(b[3], db[3]))
        zone_grid = radio_climatic_zones(dem, bounds=b, coastal_km=coastal_km, **zone_kw)
    zone = np.where(valid, sample_nearest(zone_grid, np.where(valid, la, np.nan), np.where(valid, lo, np.nan)),
                    0).astype(np.int8)
    dtm, dlm, omega = np.zeros(npath), np.zeros(npath), np.zeros(npath)
    dct, dcr = np.full(npath, NO_COAST_KM), np.full(npath, NO_COAST_KM)
    for i in range(npath):
        k = int(nn[i])
        if k < 2:
            continue
        di, zi = d[i, :k], zone[i, :k]
        w = np.empty(k)
        w[1:-1] = 0.5 * (di[2:] - di[:-2])
        w[0] = 0.5 * (di[1] - di[0])
        w[-1] = 0.5 * (di[-1] - di[-2])
        total = di[-1] - di[0]
        sea_s = zi == ZONE_SEA
        dtm[i] = _runs((zi == ZONE_COASTAL_LAND) | (zi == ZONE_INLAND), w)
        dlm[i] = _runs(zi == ZONE_INLAND, w)
        omega[i] = float(w[sea_s].sum() / total) if total > 0 else 0.0
        if sea_s.any():
            dct[i] = di[np.argmax(sea_s)] - di[0]
            dcr[i] = di[-1] - di[k - 1 - np.argmax(sea_s[::-1])]
    sq = np.ndim(d_km) == 1
    return ProfileZones(zone[0] if sq else zone, *(a[0] if sq else a for a in (dtm, dlm, omega, dct, dcr)))


def coastline(dem, *, max_cells: int = 1_500_000, **zone_kw) -> tuple[np.ndarray, np.ndarray]:
    """The coastline of the P.452 Table 3 sea (:func:`radio_climatic_zones` zone B) as polylines.

    Parameters
    ----------
    dem : DataArray, Catalogue or path
        Terrain; a grid larger than ``max_cells`` (or a catalogue) is sampled coarser first.
    **zone_kw
        Passed to :func:`radio_climatic_zones` (e.g. ``min_sea_diameter_km``).

    Returns
    -------
    lon, lat : ndarray
        Vertices, polylines separated by NaN (draw with ``connect="finite"``); empty without sea. [deg]
    """
    import contourpy

    from .grid import _as_dem, _is_cat

    dem = _as_dem(dem)
    if _is_cat(dem):
        dem = dem.read(dem.bounds, max_cells=max_cells)
    else:
        dem = _normalise(dem)
        k = max(1, int(math.ceil(math.sqrt(dem.size / float(max_cells)))))
        if k > 1:
            dem = dem.isel(lat=slice(None, None, k), lon=slice(None, None, k))
    z = radio_climatic_zones(dem, **zone_kw)
    sea = (z.values == ZONE_SEA).astype(float)
    if not sea.any() or sea.all():
        return np.zeros(0), np.zeros(0)
    gen = contourpy.contour_generator(dem["lon"].values, dem["lat"].values, sea, line_type="SeparateCode")
    lines = gen.lines(0.5)[0]
    if not lines:
        return np.zeros(0), np.zeros(0)
    xs, ys = [], []
    for ln in lines:
        xs += [ln[:, 0], [np.nan]]
        ys += [ln[:, 1], [np.nan]]
    return np.concatenate(xs), np.concatenate(ys)
