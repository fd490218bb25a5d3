"""Radio-climatic zones (land, sea, coastal land) from terrain, P.452-18 §3.2.1 Table 3."""
from __future__ import annotations

import math

import numpy as np
import xarray as xr

from .. import geo
from .._validate import check_positive
from .grid import _grid, _normalise


#: Zone codes used by :mod:`spectrum.propagation.p452` (P.452-18 Table 3).
ZONE_COASTAL_LAND, ZONE_INLAND, ZONE_SEA = 1, 2, 3


def radio_climatic_zones(dem, *, sea=None, sea_level_m: float = 0.0, coastal_km: float = 50.0,
                         coastal_max_h_m: float = 100.0) -> xr.DataArray:
    """Radio-climatic zone map from a DEM, Rec. ITU-R P.452-18 §3.2.1, Table 3.

    * B, sea (code 3): cells at or below ``sea_level_m`` (or where ``sea`` is True);
    * A1, coastal land (code 1): land no higher than ``coastal_max_h_m`` (100 m) within
      ``coastal_km`` (50 km) of the nearest sea cell;
    * A2, inland (code 2): all other land.

    Distances to the sea are Euclidean on the local grid (rows and columns scaled to km at
    each DEM's mid-latitude), adequate for the 50 km limit. Table 3 also asks that a sea
    cover a circle of at least 100 km diameter; with a DEM alone that cannot be checked
    for lakes, so pass an explicit ``sea`` mask where it matters.

    Parameters
    ----------
    dem : DataArray or path
        DEM.
    sea : array_like of bool, optional
        Sea mask on the DEM grid (ascending lat, lon); default ``dem <= sea_level_m``.
    sea_level_m : float
        Height at or below which a cell is sea when ``sea`` is not given. [m]
    coastal_km : float
        Maximum distance of coastal land from the sea. [km]
    coastal_max_h_m : float
        Maximum altitude of coastal land. [m]

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

    dem = _normalise(dem)
    g = _grid(dem)
    if sea is None:
        with np.errstate(invalid="ignore"):
            sea_mask = g.z <= float(sea_level_m)
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

