"""Terrain: digital elevation models in xarray, tile catalogues, path profiles, zones, land cover.

A DEM is an :class:`xarray.DataArray` of heights above mean sea level [m] with dims
``("lat", "lon")``, ascending, regularly spaced coordinates in degrees (pixel centres /
grid posts), float64 values, NaN for voids, ``attrs["units"] == "m"`` and ``attrs["source"]``.
A :class:`Catalogue` is a folder of tiles indexed once and read lazily; every function below
that takes a DEM also takes a catalogue.

* :func:`load_dem` reads SRTM ``.hgt`` tiles (also zipped, fast path), GeoTIFF and NetCDF, and
  with the ``[gis]`` extra any single-band raster GDAL reads, geographic or projected
  (reprojected to latitude/longitude on load; docs/terrain.md says why).
* :func:`open_terrain` opens a file or a folder (a :class:`Catalogue`); :func:`mosaic` joins
  adjacent tiles; :func:`synthetic_dem` makes seeded fractal terrain.
* :func:`profile`, :func:`profiles` and :func:`radial_profiles` sample heights by bilinear
  interpolation at equally spaced points of great circles on the 6371 km sphere
  (:mod:`spectrum.geo`). The path profile (distance and height of each point from the
  transmitter, Attachment 2 to Annex 1 of P.452-18) is the input of Rec. ITU-R P.452 / P.1812 /
  P.2001 and of the NTIA ITM.
* :func:`radio_climatic_zones`, :func:`profile_zones` (P.452-18 Table 3 zones along profiles)
  and :func:`line_of_sight` (Earth bulge, Fresnel clearance) derive the other path quantities.
* :mod:`.landcover`: land-cover rasters to P.452/P.1812 clutter heights and P.2108 categories.

A path that leaves the terrain data, or that meets a void (NaN), raises :class:`ValueError`
saying where, never returns silently wrong heights.

References
----------
Rec. ITU-R P.452-18 (10/2023), Annex 1, Attachment 2 (path profile analysis).
Rec. ITU-R P.1058-3, Digital topographic databases for propagation studies.
NASA/USGS, SRTM Topography (.hgt format: big-endian int16, -32768 voids, SW-corner name).
OGC GeoTIFF 1.1 (ModelTiepointTag 33922, ModelPixelScaleTag 33550, GeoKeyDirectoryTag 34735).
"""
from __future__ import annotations

# private names re-exported for the modules and tests that used them when terrain was one file
# ruff: noqa: F401

from .catalogue import Catalogue, cache_dir, latlon_text, open_terrain
from .grid import (VOID_HGT, _as_dem, _Grid, _grid, _normalise, _regular, as_dem, crop_dem, dem_bounds,
                   dem_resolution_m, make_dem)
from .landcover import Clutter, clutter_along, load_landcover, terminal_clutter
from .los import LineOfSight, line_of_sight
from .mosaic import _overlaps, dem_files, fill_voids, mosaic
from .profiles import (RadialProfiles, _npts, _pt, _step, _void_error, elevation_m, profile, profiles,
                       radial_profiles, sample_nearest)
from .rasters import load_dem, save_dem
from .synthetic import _fractal_pair, synthetic_dem
from .zones import (NO_COAST_KM, ZONE_COASTAL_LAND, ZONE_INLAND, ZONE_SEA, ProfileZones, coastline, profile_zones,
                    radio_climatic_zones)

__all__ = [
    "as_dem", "load_dem", "save_dem", "crop_dem", "mosaic", "dem_files", "synthetic_dem", "make_dem", "fill_voids",
    "dem_bounds", "dem_resolution_m", "elevation_m",
    "profile", "profiles", "radial_profiles", "RadialProfiles",
    "radio_climatic_zones", "sample_nearest", "ZONE_COASTAL_LAND", "ZONE_INLAND", "ZONE_SEA",
    "line_of_sight", "LineOfSight",
    "ProfileZones", "profile_zones", "NO_COAST_KM", "coastline",
    "Clutter", "clutter_along", "load_landcover", "terminal_clutter",
    "Catalogue", "open_terrain", "cache_dir", "latlon_text",
]
