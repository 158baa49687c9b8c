"""Polygon and point layers prepared for the browser: simplified, WGS84, gzipped GeoJSON."""

from __future__ import annotations

import gzip
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import orjson
import shapely

COORD_DECIMALS = 5  # about 1 m at the equator
MIN_TOLERANCE_M = 20.0
TOLERANCE_SHARE = 0.015  # of a typical unit's width


def simplify_tolerance_m(gdf: gpd.GeoDataFrame) -> float:
    """Simplification tolerance for a layer of units: 1.5 % of the median unit's width.

    At least 20 m. A 3 km community is simplified by 50 m, invisible at the zoom where it
    fills the screen; 10,000 such communities stay under 3 MB of gzipped GeoJSON
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
