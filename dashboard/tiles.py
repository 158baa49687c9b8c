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
        Prepared COG on the working grid.
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
    with Reader(str(source.path)) as src:
        try:
            img = src.tile(x, y, z, tilesize=TILE_SIZE, indexes=band, resampling_method=resampling)
        except TileOutsideBounds:
            return _blank_png()
    valid = ~np.ma.getmaskarray(img.array)[0]
    mask = np.where(valid, 255, 0).astype(np.uint8)
    if source.kind == "categorical":
        codes = np.where(mask > 0, img.array.data[0], 0).astype(np.int64)
        lut = np.zeros((256, 4), dtype=np.uint8)
        for code, colour in source.classes:
            if 0 <= code < 256:
                lut[code] = colour
        rgba = lut[np.clip(codes, 0, 255)]
        alpha = np.where(mask > 0, rgba[..., 3], 0).astype(np.uint8)
        return render(rgba[..., :3].transpose(2, 0, 1), mask=alpha)
    data = img.array.data[0].astype(np.float64)
    lo, hi = source.value_range
    if source.kind == "shade":
        scaled = np.clip(data, 0, 255).astype(np.uint8)
        return render(scaled[np.newaxis], mask=mask)
    scaled = np.clip((data - lo) / max(hi - lo, 1e-12) * 255.0, 0, 255)
    scaled = np.where(np.isfinite(scaled), scaled, 0).astype(np.uint8)
    return render(scaled[np.newaxis], mask=mask, colormap=cmap.get(source.colormap_name))


def cached_renderer(maxsize: int = 4096) -> Callable[[TileSource, int, int, int, int], bytes]:
    """A per-app LRU cache around :func:`render_tile` (no module-level state)."""
    return lru_cache(maxsize=maxsize)(render_tile)
