"""XYZ PNG tiles of the region's rasters, rendered with rio-tiler from prepared COGs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
from rio_tiler.colormap import cmap
from rio_tiler.errors import TileOutsideBounds
from rio_tiler.io import Reader
from rio_tiler.utils import render

MAX_ZOOM = 20
TILE_SIZE = 256
Colour = tuple[int, int, int, int]


@dataclass(frozen=True)
class TileSource:
    """A raster the map can show as tiles.

    Attributes
    ----------
    key : str
        URL name of the layer.
    path : Path
        Prepared COG on the working grid (band-interleaved when it has several bands, see
        :func:`dashboard.map_rasters.band_interleaved_copy`).
    kind : {"categorical", "continuous", "shade"}
        How values become colours.
    bands : int
        Number of bands (12 for monthly layers).
    value_range : tuple of float
        Data range mapped onto the colour ramp (continuous layers).
    colormap_name : str
        rio-tiler colormap of continuous layers.
    classes : tuple of (int, RGBA)
        Code to colour of categorical layers (a tuple so the source is hashable).
    units : str

    """

    key: str
    path: Path
    kind: Literal["categorical", "continuous", "shade"]
    bands: int = 1
    value_range: tuple[float, float] = (0.0, 1.0)
    colormap_name: str = "ylgnbu"
    classes: tuple[tuple[int, Colour], ...] = ()
    units: str = ""


def hex_to_rgba(colour: str, alpha: int = 255) -> Colour:
    """``#rrggbb`` to an RGBA tuple."""
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16), alpha)


def valid_tile(z: int, x: int, y: int) -> bool:
    """Whether z/x/y names a tile of the web-mercator pyramid we serve."""
    return 0 <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z


def _blank_png() -> bytes:
    return render(
        np.zeros((1, TILE_SIZE, TILE_SIZE), dtype=np.uint8),
        mask=np.zeros((TILE_SIZE, TILE_SIZE), dtype=np.uint8),
    )


def class_lut(source: TileSource) -> np.ndarray:
    """The (256, 4) RGBA lookup table of a categorical source's codes (transparent elsewhere)."""
    lut = np.zeros((256, 4), dtype=np.uint8)
    for code, colour in source.classes:
        if 0 <= code < 256:
            lut[code] = colour
    return lut


def colour_index(source: TileSource, data: np.ndarray) -> np.ndarray:
    """Values of a continuous or shade source as uint8 indices of its colour ramp.

    Continuous values are stretched over ``value_range`` and clipped; shade values are grey
    levels already. Non-finite values give 0 (they are masked anyway).
    """
    values = data.astype(np.float64)
    if source.kind == "shade":
        scaled = np.clip(values, 0, 255)
    else:
        lo, hi = source.value_range
        scaled = np.clip((values - lo) / max(hi - lo, 1e-12) * 255.0, 0, 255)
    return np.where(np.isfinite(scaled), scaled, 0).astype(np.uint8)


def colour_table(source: TileSource) -> np.ndarray:
    """The (256, 4) RGBA table :func:`colour_index` values point into (grey for a shade)."""
    if source.kind == "categorical":
        return class_lut(source)
    if source.kind == "shade":
        grey = np.arange(256, dtype=np.uint8)
        return np.stack([grey, grey, grey, np.full(256, 255, np.uint8)], axis=1)
    ramp = cmap.get(source.colormap_name)
    return np.array([ramp[i] for i in range(256)], dtype=np.uint8)


def colour_cells(source: TileSource, data: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """RGBA (rows, cols, 4) of a source's cells, as its tiles show them; transparent if not valid.

    One colouring for the tiles and the exported maps (:mod:`dashboard.map_export`).
    """
    if source.kind == "categorical":
        codes = np.where(valid, data, 0).astype(np.int64)
        rgba = class_lut(source)[np.clip(codes, 0, 255)]
    else:
        rgba = colour_table(source)[colour_index(source, data)]
    rgba[~valid, 3] = 0
    return rgba


def band_path(source: TileSource, band: int) -> str:
    """GDAL's name of one band of a multi-band source as a one-band dataset (``vrt://``)."""
    return f"vrt://{source.path}?bands={int(band)}"


def render_tile(source: TileSource, z: int, x: int, y: int, band: int = 1) -> bytes:
    """Render one 256 px PNG tile; transparent where there is no data.

    Parameters
    ----------
    source : TileSource
    z, x, y : int
        Web-mercator tile address (must be valid).
    band : int
        1-based band (month for monthly layers).

    """
    resampling = "nearest" if source.kind == "categorical" else "bilinear"
    # a band of a multi-band source is opened alone: GDAL would warp every band of it
    path, index = (str(source.path), band) if source.bands == 1 else (band_path(source, band), 1)
    with Reader(path) as src:
        try:
            img = src.tile(x, y, z, tilesize=TILE_SIZE, indexes=index, resampling_method=resampling)
        except TileOutsideBounds:
            return _blank_png()
    valid = ~np.ma.getmaskarray(img.array)[0]
    mask = np.where(valid, 255, 0).astype(np.uint8)
    if source.kind == "categorical":
        rgba = colour_cells(source, img.array.data[0], valid)
        return render(rgba[..., :3].transpose(2, 0, 1), mask=rgba[..., 3])
    scaled = colour_index(source, img.array.data[0])
    if source.kind == "shade":
        return render(scaled[np.newaxis], mask=mask)
    return render(scaled[np.newaxis], mask=mask, colormap=cmap.get(source.colormap_name))


def cached_renderer(maxsize: int = 4096) -> Callable[[TileSource, int, int, int, int], bytes]:
    """A per-app LRU cache around :func:`render_tile` (no module-level state)."""
    return lru_cache(maxsize=maxsize)(render_tile)
