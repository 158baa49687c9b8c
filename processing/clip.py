"""Clip any raster layer or result of a region to a community, a watershed or an area.

Layer ids: the aligned input roles (``rainfall``, ``tmin``, ``tmax``, ``et0``, ``land_use``,
``soil``, ``elevation``) and the results (``aet``, ``runoff``, ``recharge``, ``deficit``,
``water_yield``, ``suitability_<intervention>``, ``crop_<crop>``). The clip keeps the
working grid (same CRS, cells and values), is cropped to the area's bounds, and sets cells
outside the area to nodata; it is written as a COG.
"""

from __future__ import annotations

import calendar
from pathlib import Path
from typing import get_args

import numpy as np
import rasterio
from rasterio.mask import mask as rio_mask
from shapely.geometry.base import BaseGeometry

from layers.io import write_cog
from layers.registry import LayerRegistry, RasterRole
from processing.output_spec import RASTER_VARIABLES
from processing.results_store import ResultsStore

INPUT_ROLES: tuple[str, ...] = get_args(RasterRole)


def layer_ids(reg: LayerRegistry, store: ResultsStore | None) -> list[str]:
    """Every layer id that can be clipped in this region."""
    out = [r for r in INPUT_ROLES if reg.has(r)]
    if store is not None:
        out += [v for v in RASTER_VARIABLES if store.raster_path(v).exists()]
        out += sorted(p.stem for p in (store.folder / "rasters").glob("suitability_*.tif"))
        out += sorted(p.stem for p in (store.folder / "rasters").glob("crop_*.tif"))
    return out


def layer_path(reg: LayerRegistry, store: ResultsStore | None, layer_id: str) -> Path:
    """The file of a layer id (looked up, never joined from user text).

    Raises
    ------
    KeyError
        Unknown layer id, with the ids the region has.
    """
    known = layer_ids(reg, store)
    if layer_id not in known:
        raise KeyError(f"unknown layer '{layer_id}'; choose from {', '.join(known)}")
    if layer_id in INPUT_ROLES:
        return reg.aligned_path(layer_id)  # type: ignore[arg-type]
    assert store is not None
    if layer_id in RASTER_VARIABLES:
        return store.raster_path(layer_id)
    return store.score_path(layer_id)


def band_names(layer_id: str, count: int) -> list[str]:
    """Names of a layer's bands that carry none: the months for 12, else the layer id."""
    if count == len(calendar.month_name) - 1:  # a monthly climatology
        return list(calendar.month_name[1:])
    return [layer_id] if count == 1 else [f"{layer_id}_{b}" for b in range(1, count + 1)]


def clip_layer(
    reg: LayerRegistry,
    store: ResultsStore | None,
    layer_id: str,
    area: BaseGeometry,
    out: str | Path,
) -> Path:
    """Clip a layer to ``area`` (in the working CRS) and write it as a COG at ``out``.

    Raises
    ------
    KeyError
        Unknown layer id.
    ValueError
        The area does not overlap the layer.
    """
    path = layer_path(reg, store, layer_id)
    with rasterio.open(path) as src:
        nodata = (
            src.nodata
            if src.nodata is not None
            else (np.nan if np.issubdtype(np.dtype(src.dtypes[0]), np.floating) else 0)
        )
        try:
            data, transform = rio_mask(src, [area], crop=True, nodata=nodata, filled=True)
        except ValueError as exc:
            raise ValueError(f"the area does not overlap layer '{layer_id}'") from exc
        tags = src.tags()
        names = list(src.descriptions) if any(src.descriptions) else band_names(layer_id, src.count)
    return write_cog(
        Path(out), data, reg.crs, transform, float(nodata), {**tags, "clipped": "true"}, names
    )
