"""Coverage-weighted zonal statistics (``exact=True``) delegated to exactextract."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rasterio import windows

from processing.zonal_grid import RasterSource, nodata_in_dtype

# our (rasterstats) names -> exactextract operations
_OPS = {
    "count": "count",
    "sum": "sum",
    "mean": "mean",
    "min": "min",
    "max": "max",
    "std": "stdev",
    "median": "median",
    "majority": "majority",
    "minority": "minority",
    "unique": "variety",
}


def exact_zonal_stats(
    src: RasterSource, gdf: gpd.GeoDataFrame, stats: Sequence[str], bands: Sequence[int]
) -> list[pd.DataFrame]:
    """Statistics of each band with cells weighted by the fraction each zone covers.

    ``count`` is the covered area of valid cells in cells (a float); ``nodata`` the covered
    area of nodata cells plus the zone's area beyond the raster's edge (unless the band has
    a mask), ``nan`` the covered area of NaN cells; cells a mask hides count in none.
    ``range`` is max - min.
    """
    return [_band_stats(src, gdf, stats, b) for b in bands]


def _band_stats(
    src: RasterSource, gdf: gpd.GeoDataFrame, stats: Sequence[str], band: int
) -> pd.DataFrame:
    from exactextract import exact_extract

    ops = sorted(
        {_OPS[s] for s in stats if s in _OPS}
        | {"count"}
        | ({"min", "max"} if "range" in stats else set())
    )
    values, hidden = _band_arrays(src, band)
    zones = gpd.GeoDataFrame(geometry=gdf.geometry.values, crs=gdf.crs)
    raw = exact_extract(_numpy_source(src, values, "v"), zones, ops, output="pandas")
    frame = pd.DataFrame(index=range(len(gdf)))
    back = {v: k for k, v in _OPS.items()}
    for col in raw.columns:
        if col in back:
            frame[back[col]] = raw[col].to_numpy()
    if "range" in stats:
        frame["range"] = raw["max"].to_numpy() - raw["min"].to_numpy()
    count = raw["count"].to_numpy()
    if "nodata" in stats or "nan" in stats:
        data = values.data
        nodata, has_nodata = nodata_in_dtype(src.nodata, data.dtype)
        is_nodata = (data == nodata) if has_nodata else np.zeros(data.shape, bool)
        is_nan = np.isnan(data) if data.dtype.kind == "f" else np.zeros(data.shape, bool)
        sources = [
            _numpy_source(src, np.ma.masked_array(ind.astype(np.float32), hidden), name)
            for ind, name in ((is_nodata, "nodata"), (is_nan, "nan"))
        ]
        ind = exact_extract(sources, zones, ["sum"], output="pandas")
        nd = ind["nodata_sum"].to_numpy()
        if band not in src.masked_bands:
            nd = nd + _area_beyond_edge(zones, src)
        nan = ind["nan_sum"].to_numpy()
        unseen = (count + nd + nan) == 0
        frame["nodata"] = np.where(unseen, np.nan, nd)
        frame["nan"] = np.where(unseen, np.nan, nan)
    empty = count == 0
    for s in ("mean", "min", "max", "std", "median", "range", "majority", "minority"):
        if s in frame:
            frame.loc[empty, s] = np.nan
    if "unique" in frame:
        frame["unique"] = frame["unique"].fillna(0).astype(np.int64)
    return frame[[s for s in stats if s in frame.columns]]


def _band_arrays(src: RasterSource, band: int) -> tuple[np.ma.MaskedArray, np.ndarray]:
    """The band as a masked array (nodata cells and cells a mask hides are masked) and
    the cells the mask hides."""
    full = windows.Window(0, 0, src.shape[1], src.shape[0])
    data = src.read(band, full)
    hidden = ~src.read_valid(band, full) if band in src.masked_bands else np.zeros(data.shape, bool)
    nodata, has_nodata = nodata_in_dtype(src.nodata, data.dtype)
    invalid = hidden | (data == nodata) if has_nodata else hidden
    return np.ma.masked_array(data, invalid), hidden


def _numpy_source(src: RasterSource, arr: np.ndarray, name: str) -> object:
    """An exactextract raster source of an array on the source's grid."""
    from exactextract.raster import NumPyRasterSource

    left, bottom, right, top = raster_bounds(src)
    return NumPyRasterSource(
        arr,
        left,
        bottom,
        right,
        top,
        name=name,
        srs_wkt=src.crs.to_wkt() if src.crs else None,
    )


def raster_bounds(src: RasterSource) -> tuple[float, float, float, float]:
    """Left, bottom, right, top of the raster (north-up)."""
    xs, ys = zip(
        *(src.transform @ (c, r) for c in (0, src.shape[1]) for r in (0, src.shape[0])),
        strict=True,
    )
    return min(xs), min(ys), max(xs), max(ys)


def _area_beyond_edge(zones: gpd.GeoDataFrame, src: RasterSource) -> np.ndarray:
    """Each zone's area beyond the raster's edge, in cells."""
    geoms = zones.geometry.values
    inside = shapely.intersection(geoms, shapely.box(*raster_bounds(src)))
    cell = abs(src.transform.a * src.transform.e - src.transform.b * src.transform.d)
    return np.nan_to_num((shapely.area(geoms) - shapely.area(inside)) / cell)
