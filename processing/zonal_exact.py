"""Coverage-weighted zonal statistics (``exact=True``) delegated to exactextract."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from rasterio import windows

from processing.zonal_grid import RasterSource, beyond_edge_stat, nodata_in_dtype

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
    ops = sorted(
        {_OPS[s] for s in stats if s in _OPS}
        | {"count"}
        | ({"min", "max"} if "range" in stats else set())
    )
    data, values, hidden = _band_arrays(src, band)
    # exactextract needs a CRS on both sides: without one, any placeholder will do
    crs = gdf.crs if gdf.crs is not None else "EPSG:3857"
    zones = gpd.GeoDataFrame(geometry=gdf.geometry.values, crs=crs)
    clipped = clip_to_raster(zones, src)
    raw = _extract([_numpy_source(src, values, "v", zones.crs)], clipped, ops)
    frame = pd.DataFrame(index=range(len(gdf)))
    back = {v: k for k, v in _OPS.items()}
    for col in raw.columns:
        if col in back:
            frame[back[col]] = raw[col].to_numpy()
    if "range" in stats:
        frame["range"] = raw["max"].to_numpy() - raw["min"].to_numpy()
    count = raw["count"].fillna(0.0).to_numpy()
    if "nodata" in stats or "nan" in stats:
        nodata, has_nodata = nodata_in_dtype(src.nodata, data.dtype)
        is_nodata = (data == nodata) if has_nodata else np.zeros(data.shape, bool)
        is_nan = np.isnan(data) if data.dtype.kind == "f" else np.zeros(data.shape, bool)
        sources = [
            _numpy_source(src, np.where(hidden, np.nan, ind.astype(np.float32)), name, zones.crs)
            for ind, name in ((is_nodata, "nodata"), (is_nan, "nan"))
        ]
        ind = _extract(sources, clipped, ["sum"]).fillna(0.0)
        sums = {"nodata": ind["nodata_sum"].to_numpy(), "nan": ind["nan_sum"].to_numpy()}
        if band not in src.masked_bands:
            sums[beyond_edge_stat(src)] += _area_beyond_edge(zones, src)
        nd, nan = sums["nodata"], sums["nan"]
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


def _band_arrays(src: RasterSource, band: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The band's values, as float64 with NaN where no valid value, and its hidden cells.

    Hidden cells are those the band's GDAL mask hides. exactextract skips NaN; it does
    not honour the mask of an integer masked array, so
    invalid cells (nodata in the band's dtype, hidden cells) are given as NaN.
    """
    full = windows.Window(0, 0, src.shape[1], src.shape[0])
    data = src.read(band, full)
    hidden = ~src.read_valid(band, full) if band in src.masked_bands else np.zeros(data.shape, bool)
    nodata, has_nodata = nodata_in_dtype(src.nodata, data.dtype)
    invalid = hidden | (data == nodata) if has_nodata else hidden
    return data, np.where(invalid, np.nan, data.astype(np.float64)), hidden


def clip_to_raster(zones: gpd.GeoDataFrame, src: RasterSource) -> gpd.GeoSeries:
    """Zones cut to the raster's extent, polygonal parts only (None when nothing is left).

    exactextract 0.3 crashes on a multipolygon with a part touching the raster's edge from
    outside; cutting first changes no coverage fraction.
    """
    cut = shapely.intersection(zones.geometry.values, shapely.box(*raster_bounds(src)))
    out = []
    for g in cut:
        parts = [p for p in shapely.get_parts(g) if p.geom_type == "Polygon" and not p.is_empty]
        out.append(shapely.MultiPolygon(parts) if parts else None)
    return gpd.GeoSeries(out, crs=zones.crs)


def _extract(sources: list[object], zones: gpd.GeoSeries, ops: list[str]) -> pd.DataFrame:
    """Results of exactextract per zone; rows of zones left empty are NaN."""
    from exactextract import exact_extract

    keep = np.flatnonzero(zones.notna().to_numpy())
    if keep.size == 0:  # exactextract cannot parse an empty layer
        return pd.DataFrame({"count": np.zeros(len(zones))})
    raw = exact_extract(
        sources,
        gpd.GeoDataFrame(geometry=zones.iloc[keep].values, crs=zones.crs),
        ops,
        output="pandas",
    )
    raw.index = keep
    out = raw.reindex(range(len(zones)))
    totals = [c for c in out.columns if c.endswith(("count", "sum"))]
    return out.fillna({c: 0.0 for c in totals})  # as exactextract gives a zone it misses


def _numpy_source(src: RasterSource, arr: np.ndarray, name: str, crs: object) -> object:
    """An exactextract raster source of an array on the source's grid, in ``crs``."""
    from exactextract.raster import NumPyRasterSource

    left, bottom, right, top = raster_bounds(src)
    return NumPyRasterSource(
        arr,
        left,
        bottom,
        right,
        top,
        name=name,
        srs_wkt=None if crs is None else CRS.from_user_input(crs).to_wkt(),
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
