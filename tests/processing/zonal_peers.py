"""The peers zonal_stats is checked against, called the way their own tests call them."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
from affine import Affine

from processing.zonal import ALL_STATS

CRS_UTM = "EPSG:32737"
CELL_STATS = list(ALL_STATS)  # every statistic of the engine, compared with rasterstats
EXACT_STATS = ["count", "sum", "mean", "min", "max", "std", "median", "majority", "minority"]


def write_raster(
    path: Path,
    data: np.ndarray,
    transform: Affine,
    nodata: float | None = None,
    mask: np.ndarray | None = None,
    crs: str | None = CRS_UTM,
) -> Path:
    """A GeoTIFF of ``(rows, cols)`` data; ``mask`` (True = valid) is written as an internal
    per-dataset GDAL mask."""
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=data.shape[1],
        height=data.shape[0],
        count=1,
        dtype=data.dtype,
        crs=crs,
        transform=transform,
        nodata=nodata,
    ) as dst:
        dst.write(data, 1)
        if mask is not None:
            dst.write_mask(np.where(mask, 255, 0).astype(np.uint8))
    return path


def rasterstats_frame(
    zones: gpd.GeoDataFrame, raster: Path, stats: list[str], **kw: object
) -> pd.DataFrame:
    """rasterstats' statistics as a float frame (None -> NaN), one row per zone."""
    from rasterstats import zonal_stats as rs_zonal_stats

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = rs_zonal_stats(list(zones.geometry), str(raster), stats=stats, **kw)
    return pd.DataFrame(rows)[stats].astype(float)


def exactextract_frame(zones: gpd.GeoDataFrame, raster: Path, stats: list[str]) -> pd.DataFrame:
    """exactextract's statistics under rasterstats' names, one row per zone."""
    from exactextract import exact_extract

    ops = ["stdev" if s == "std" else s for s in stats]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = exact_extract(str(raster), zones, ops, output="pandas")
    raw = raw.rename(columns={"stdev": "std"})
    return raw[stats].astype(float)
