"""Result rasters written strip by strip, then made Cloud-Optimized GeoTIFFs.

The pipeline computes the annual rasters one strip of rows at a time (in any
order on a Dask cluster); each strip is written into a tiled GeoTIFF as it arrives, so no
process ever holds a whole raster. At the end each file is copied to a COG (overviews
built by GDAL from the tiled file, its block cache capped) like the results store's.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import rasterio
import rasterio.shutil
from rasterio.windows import Window

from layers.grid import Grid
from layers.io import COPY_CACHE_BYTES, copy_to_cog, remove_dead_leftovers, temp_prefix
from processing.output_spec import raster_tags


def scratch_folder(out: Path) -> Path:
    """A new scratch folder beside ``out``: ``.<name>.strips-<pid>-*``.

    Scratch folders of runs whose process no longer exists (a ``kill -9`` leaves them
    behind) are removed first; a running process's folder is never touched.
    """
    remove_dead_leftovers(out.parent, f".{out.name}.")
    return Path(tempfile.mkdtemp(prefix=temp_prefix(out.name, "strips"), dir=out.parent))


class StripRasters:
    """One tiled float32 GeoTIFF per variable under ``folder``, filled strip by strip.

    Parameters
    ----------
    folder : Path
        A scratch folder (the GeoTIFFs are intermediate files).
    grid : Grid
        The working grid the strips belong to.
    names : sequence of str
        File stems of the results store (``aet_mm_yr``, ``suitability_<id>``, ...); file
        ``<name>.tif`` each, tagged as the store tags it.
    """

    def __init__(self, folder: Path, grid: Grid, names: Sequence[str]) -> None:
        self.folder = folder
        self.grid = grid
        self.names = list(names)
        self._env = rasterio.Env(GDAL_CACHEMAX=COPY_CACHE_BYTES)
        self._files: dict[str, Any] = {}

    def __enter__(self) -> StripRasters:
        self._env.__enter__()
        self.folder.mkdir(parents=True, exist_ok=True)
        profile = {
            "driver": "GTiff",
            "width": self.grid.width,
            "height": self.grid.height,
            "count": 1,
            "dtype": "float32",
            "crs": self.grid.crs.to_wkt(),
            "transform": self.grid.transform,
            "nodata": float("nan"),
            "tiled": True,
            "blockxsize": 256,
            "blockysize": 256,
            # scratch, read once by the COG copy: ZSTD level 1 writes 3x faster than
            # DEFLATE at about the same size (the store's COGs keep DEFLATE)
            "compress": "ZSTD",
            "zstd_level": 1,
            "predictor": 3,
            "BIGTIFF": "IF_SAFER",
        }
        for name in self.names:
            self._files[name] = rasterio.open(self.folder / f"{name}.tif", "w", **profile)
            self._files[name].update_tags(**raster_tags(name))
        return self

    def write(self, row0: int, strip: dict[str, np.ndarray]) -> None:
        """Write the rows ``row0 ..`` of every variable (``(rows, cols)`` arrays)."""
        for name in self.names:
            arr = strip[name].astype(np.float32, copy=False)
            window = Window(0, row0, self.grid.width, arr.shape[0])
            self._files[name].write(arr, 1, window=window)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for ds in self._files.values():
            ds.close()
        self._env.__exit__(exc_type, exc, tb)

    def to_cogs(self, dest: Path) -> list[Path]:
        """Copy every (closed) GeoTIFF to ``dest/<name>.tif`` as a COG."""
        dest.mkdir(parents=True, exist_ok=True)
        out = []
        for name in self.names:
            out.append(copy_to_cog(self.folder / f"{name}.tif", dest / f"{name}.tif"))
        return out
