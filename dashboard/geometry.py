"""Layers prepared for the browser: simplified, WGS84, gzipped GeoJSON or geobuf.

Polygon layers that tile the region (communities, watersheds) go to the map as geobuf
(protocol buffers, coordinates as delta-encoded integers on a decimal-degree grid), which
dash-leaflet decodes (``format="geobuf"``); points and lines go as GeoJSON.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence

import geobuf
import geopandas as gpd
import numpy as np
import orjson
import shapely

COORD_DECIMALS = 5  # about 1 m at the equator
DEGREE_M = 111_320.0  # metres in a degree of latitude (and of longitude at the equator)
GRID_SHARE = 0.3  # the coordinate grid of a simplified layer: at most this share of its tolerance
MIN_TOLERANCE_M = 20.0
TOLERANCE_SHARE = 0.015  # of a typical unit's width


def simplify_tolerance_m(gdf: gpd.GeoDataFrame) -> float:
    """Simplification tolerance for a layer of units: 1.5 % of the median unit's width.

    At least 20 m. A 3 km community is simplified by 50 m, invisible at the zoom where it
    fills the screen; 10,000 such communities take 0.8 MB of gzipped geobuf
    (``benchmarks/bench_geojson_scale.py``).
    """
    if len(gdf) == 0:
        return MIN_TOLERANCE_M
    width = float(np.sqrt(np.median(gdf.geometry.area.to_numpy())))
    return max(MIN_TOLERANCE_M, round(TOLERANCE_SHARE * width, 1))


def simplify_coverage(gdf: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoSeries:
    """Simplify polygons that tile an area while keeping their shared edges (no gaps or slivers).

    Parameters
    ----------
    gdf : GeoDataFrame
        Polygons in a projected CRS (metres).
    tolerance_m : float
        Simplification tolerance, metres.

    """
    if gdf.crs is None or gdf.crs.is_geographic:
        raise ValueError("simplify_coverage needs a projected CRS (metres)")
    geoms = gdf.geometry.values
    try:
        simplified = shapely.coverage_simplify(geoms, tolerance=tolerance_m)
    except shapely.errors.GEOSException:
        # not a valid coverage (overlaps): fall back to per-polygon simplification
        simplified = shapely.simplify(geoms, tolerance_m, preserve_topology=True)
    return gpd.GeoSeries(simplified, index=gdf.index, crs=gdf.crs)


def to_geojson_gz(
    gdf: gpd.GeoDataFrame, properties: Sequence[str], tolerance_m: float | None = None
) -> bytes:
    """Serialise features as gzipped GeoJSON in EPSG:4326 with rounded coordinates.

    Parameters
    ----------
    gdf : GeoDataFrame
        Features in a projected CRS.
    properties : sequence of str
        Columns to keep as feature properties (values must be JSON-serialisable).
    tolerance_m : float, optional
        Coverage-preserving simplification tolerance for polygons, metres.

    Returns
    -------
    bytes
        gzip-compressed GeoJSON FeatureCollection.

    """
    geoms = simplify_coverage(gdf, tolerance_m) if tolerance_m else gdf.geometry
    wgs = geoms.to_crs(4326)
    rounded = shapely.set_precision(wgs.values, 10.0**-COORD_DECIMALS)
    features = []
    records = gdf[list(properties)].to_dict("records")
    for geom, props in zip(rounded, records, strict=True):
        features.append(
            {"type": "Feature", "geometry": shapely.geometry.mapping(geom), "properties": props}
        )
    body = orjson.dumps(
        {"type": "FeatureCollection", "features": features}, option=orjson.OPT_SERIALIZE_NUMPY
    )
    return gzip.compress(body, compresslevel=6, mtime=0)


def coord_decimals(tolerance_m: float | None) -> int:
    """Decimals of degrees kept for a layer simplified at ``tolerance_m``.

    The coarsest decimal grid whose step (at the equator) is at most 0.3 times the
    tolerance, so rounding moves a vertex less than a sixth of what simplification may
    move it: 4 decimals (11 m) from a 37 m tolerance, 3 decimals (111 m) from 371 m; 5
    decimals (1.1 m) below 37 m and for layers that are not simplified.
    """
    if not tolerance_m:
        return COORD_DECIMALS
    for decimals in range(1, COORD_DECIMALS):
        if DEGREE_M * 10.0**-decimals <= GRID_SHARE * tolerance_m:
            return decimals
    return COORD_DECIMALS


def quantised_coverage(gdf: gpd.GeoDataFrame, tolerance_m: float) -> tuple[np.ndarray, int]:
    """Polygons simplified as a coverage, in EPSG:4326, snapped to a decimal-degree grid.

    Every vertex is rounded on its own (shapely's ``pointwise`` precision), so a vertex two
    neighbours share lands on the same grid point in both and their shared edge stays one
    line: no gap or sliver opens between them. Repeated vertices are then dropped. A
    polygon that rounding folds (a spike or a part narrower than the grid) is rounded again
    with shapely's valid-output precision, which removes the fold: it and its neighbour may
    then differ by less than a grid cell there. A polygon smaller than a grid cell, which
    that removes entirely, keeps its unrounded vertices (the encoder rounds them to a
    degenerate ring, drawn as nothing) so that every feature keeps a geometry.

    Parameters
    ----------
    gdf : GeoDataFrame
        Polygons in a projected CRS (metres).
    tolerance_m : float
        Coverage-preserving simplification tolerance, metres.

    Returns
    -------
    geometries : numpy.ndarray of shapely geometries
        In ``gdf``'s order, EPSG:4326; valid but for polygons smaller than a grid cell.
    decimals : int
        Decimals of degrees kept (:func:`coord_decimals`).

    """
    decimals = coord_decimals(tolerance_m)
    grid = 10.0**-decimals
    wgs = np.asarray(simplify_coverage(gdf, tolerance_m).to_crs(4326).values)
    snapped = shapely.set_precision(wgs, grid, mode="pointwise")
    folded = ~shapely.is_valid(snapped)
    snapped[~folded] = shapely.remove_repeated_points(snapped[~folded])
    snapped[folded] = shapely.set_precision(wgs[folded], grid)
    vanished = shapely.is_empty(snapped)
    snapped[vanished] = wgs[vanished]
    return snapped, decimals


def to_geobuf_gz(gdf: gpd.GeoDataFrame, properties: Sequence[str], tolerance_m: float) -> bytes:
    """Serialise polygons that tile an area as gzipped geobuf, in EPSG:4326.

    The coordinates are those of :func:`quantised_coverage`, written as integers on the
    same grid (geobuf's ``precision`` is the number of decimals), so the browser decodes
    exactly the grid points: shared edges decode identically from both neighbours.

    Parameters
    ----------
    gdf : GeoDataFrame
        Polygons in a projected CRS.
    properties : sequence of str
        Columns to keep as feature properties (strings, numbers or booleans).
    tolerance_m : float
        Coverage-preserving simplification tolerance, metres.

    Returns
    -------
    bytes
        gzip-compressed geobuf FeatureCollection (decoded by dash-leaflet's ``geobuf`` format).

    """
    geoms, decimals = quantised_coverage(gdf, tolerance_m)
    records = gdf[list(properties)].to_dict("records")
    features = [
        {"type": "Feature", "geometry": shapely.geometry.mapping(geom), "properties": props}
        for geom, props in zip(geoms, records, strict=True)
    ]
    body = geobuf.encode({"type": "FeatureCollection", "features": features}, decimals)
    return gzip.compress(body, compresslevel=6, mtime=0)
