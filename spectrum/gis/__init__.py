"""GIS layers: Cloud-Optimized GeoTIFF rasters, GeoJSON (RFC 7946) and KML vectors of any map.

Every function takes a map :class:`xarray.DataArray` (dims ``lat, lon`` or a projected ``y, x``
grid with its CRS; see :mod:`spectrum.gis._grid`), so coverage, interference, best-server, C/I
and Monte Carlo probability maps all go through the same code:

- :func:`write_geotiff` / :func:`read_geotiff` / :func:`validate_cog` -- rasters;
- :func:`contour_polygons` -- the area at or above (or below) each level, valid shapely
  (Multi)Polygons with holes in WGS84, and :func:`write_contours_geojson` /
  :func:`write_contours_kml`;
- :func:`stations_geojson` / :func:`write_stations_geojson` / :func:`write_stations_kml` --
  register rows as points with their licence attributes.

rasterio, pyproj and shapely come with the ``[gis]`` extra and are imported only when used; a
missing one raises :class:`MissingExtraError` (also a ``ValueError``) naming the extra.
"""
from ._grid import MissingExtraError, grid_of
from .raster import cog_info, read_geotiff, validate_cog, write_geotiff
from .vector import (contour_polygons, contours_geojson, contours_kml, stations_geojson, stations_kml,
                     write_contours_geojson, write_contours_kml, write_stations_geojson, write_stations_kml)

__all__ = ["MissingExtraError", "grid_of", "write_geotiff", "read_geotiff", "validate_cog", "cog_info",
           "contour_polygons", "contours_geojson", "contours_kml", "write_contours_geojson", "write_contours_kml",
           "stations_geojson", "stations_kml", "write_stations_geojson", "write_stations_kml"]
