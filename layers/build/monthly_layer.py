"""Write one monthly layer of ``landwater init`` onto the working grid, in the region's units.

Files that need nothing are aligned as they are. One file holding a series (a NetCDF, a
multi-band GeoTIFF of which a period is kept, or values in other units) is first read
window-wise: only the part under the working grid (plus two source cells), only the months
kept, converted to the region's units (:mod:`layers.cf_units`), into a staging GeoTIFF that
is aligned and removed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from pyproj import CRS

from layers.align import align_to_grid
from layers.cf_units import Conversion, conversion
from layers.grid import Grid, transform_bounds
from layers.io import band_metadata, read_bands_window, read_raster, write_cog_bands
from layers.monthly_files import MonthlySource

# source cells read beyond the grid's bounds, so the warp has neighbours at the edges
EDGE_CELLS = 2


def source_crs(src: MonthlySource) -> CRS | None:
    """The CRS the source is read in: its own, else the one assumed (CF lon/lat)."""
    meta = band_metadata(src.paths[0])
    if meta.crs is not None:
        return meta.crs
    return CRS.from_user_input(src.crs) if src.crs else None


def unit_conversion(src: MonthlySource, target: str, declared: str | None) -> Conversion:
    """How the source's values become ``target``: the user's units, else the file's."""
    return conversion(declared or src.units, target, src.months())


def _staged(src: MonthlySource, grid: Grid, convert: Conversion, out: Path) -> Path:
    meta = band_metadata(src.paths[0])
    crs = source_crs(src)
    assert crs is not None
    w, s, e, n = transform_bounds(grid.bounds, grid.crs, crs)
    dx, dy = abs(meta.transform.a), abs(meta.transform.e)
    bounds = (w - EDGE_CELLS * dx, s - EDGE_CELLS * dy, e + EDGE_CELLS * dx, n + EDGE_CELLS * dy)
    if len(src.paths) == 1:
        reads = [(src.paths[0], b) for b in (src.bands or range(1, meta.count + 1))]
    else:  # one file per month, on one grid
        reads = [(p, 1) for p in src.paths]
    _, transform = read_bands_window(reads[0][0], bounds, [reads[0][1]])

    def converted() -> Iterator[np.ndarray]:
        for i, (path, band) in enumerate(reads):
            values = read_bands_window(path, bounds, [band])[0][0]
            yield (values * convert.factors[i] + convert.offsets[i]).astype(np.float32)

    return write_cog_bands(out, converted(), len(reads), crs, transform, float("nan"))


def write_monthly(
    role: str,
    src: MonthlySource,
    grid: Grid,
    data: Path,
    target: str,
    declared: str | None,
    say: Callable[[str], None],
) -> dict[str, Any]:
    """Align ``src`` onto ``grid`` as ``data/<role>.tif``; the layer's region.toml table."""
    convert = unit_conversion(src, target, declared)
    whole_file = src.bands is None or list(src.bands) == list(range(1, len(src.bands) + 1))
    single = len(src.paths) == 1
    staged = single and (src.netcdf or src.crs is not None or not whole_file)
    staged = staged or not convert.identity
    path = data / f"{role}.tif"
    if staged:
        stage = data / f".{role}-source.tif"
        try:
            _staged(src, grid, convert, stage)
            align_to_grid([stage], grid, categorical=False, cache_file=path, scale=src.scale)
        finally:
            stage.unlink(missing_ok=True)
    else:
        align_to_grid(src.paths, grid, categorical=False, cache_file=path, scale=src.scale)
    share = float(np.isfinite(read_raster(path, [1])[0]).mean())
    units = "" if convert.identity else f"; units {convert.text}"
    say(f"{role}: {src.describe()}{units}")
    if share < 0.999:
        say(f"{role}: data on {100 * share:.0f} % of the grid; the source covers only part")
    cfg: dict[str, Any] = {"path": f"data/{role}.tif", "units": target}
    if src.kind == "series":
        cfg |= {"kind": "series", "start": src.start}
    return cfg
