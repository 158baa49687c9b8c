"""Coverage-weighted zonal statistics (``exact=True``) delegated to exactextract."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
from rasterio.io import MemoryFile

from processing.zonal_grid import RasterSource

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
    src: RasterSource, gdf: gpd.GeoDataFrame, stats: Sequence[str], band: int
) -> pd.DataFrame:
    """Statistics of one band with cells weighted by the fraction each zone covers.

    ``count`` is the covered area in cells (a float), ``nodata`` the covered area of
    nodata cells, ``range`` is max - min.
    """
    ops = sorted(
        {_OPS[s] for s in stats if s in _OPS}
        | {"count"}
        | ({"min", "max"} if "range" in stats else set())
    )
    if "nodata" in stats:
        ops.append("allcells=count(default_value=1)")  # nodata cells counted too
    from exactextract import exact_extract

    with _band_dataset(src, band) as ds:
        zones = gpd.GeoDataFrame(geometry=gdf.geometry.values, crs=gdf.crs)
        raw = exact_extract(ds, zones, ops, output="pandas")
    frame = pd.DataFrame(index=range(len(gdf)))
    back = {v: k for k, v in _OPS.items()}
    for col in raw.columns:
        if col in back:
            frame[back[col]] = raw[col].to_numpy()
    if "range" in stats:
        frame["range"] = raw["max"].to_numpy() - raw["min"].to_numpy()
    if "nodata" in stats:
        frame["nodata"] = raw["allcells"].to_numpy() - raw["count"].to_numpy()
    empty = raw["count"].to_numpy() == 0
    for s in ("mean", "min", "max", "std", "median", "range", "majority", "minority"):
        if s in frame:
            frame.loc[empty, s] = np.nan
    return frame[[s for s in stats if s in frame.columns]]


class _band_dataset:  # noqa: N801 - used as a context manager like rasterio.open
    """A single-band rasterio dataset of a source band (a MemoryFile for arrays)."""

    def __init__(self, src: RasterSource, band: int) -> None:
        self.src = src
        self.band = band
        self._mem: MemoryFile | None = None
        self._ds: rasterio.io.DatasetReader | None = None

    def __enter__(self) -> rasterio.io.DatasetReader:
        src = self.src
        if src.array is not None:
            data = src.array[self.band - 1]
        else:
            assert src.path is not None
            with rasterio.open(src.path) as f:
                data = f.read(self.band)
        self._mem = MemoryFile()
        ds = self._mem.open(
            driver="GTiff",
            width=data.shape[1],
            height=data.shape[0],
            count=1,
            dtype=data.dtype,
            transform=src.transform,
            crs=src.crs.to_wkt() if src.crs else None,
            nodata=src.nodata,
        )
        ds.write(data, 1)
        ds.close()
        self._ds = self._mem.open()
        return self._ds

    def __exit__(self, *exc: object) -> None:
        if self._ds is not None:
            self._ds.close()
        if self._mem is not None:
            self._mem.close()
