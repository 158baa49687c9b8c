"""One strip of the working grid in the pipeline: what it reads and what it sums.

A strip task (:func:`block_sums`) reads its rows of every input (warped window by window
when a layer is not on the grid), computes its cells' land parameters and, when asked, their
own balance, and returns per-unit sums of every level: the balance inputs, the land-use
classes and the suitability of every profile and crop
(:mod:`processing.strip_suitability`); with ``rasters``, also its rows of every store
raster. :mod:`processing.strip_totals` runs the strips and adds their sums up.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer
from rasterio.windows import Window
from rasterio.windows import transform as window_transform

from layers.align import CATEGORICAL_NODATA, GridSource
from layers.config import WaterBalanceConfig
from layers.grid import Grid
from layers.registry import SOIL_DEPTH_ROLE, LayerRegistry
from processing.cell_balance import balance_rasters, budyko_yield_mm
from processing.daily_rain import DailyRain, daily_rain
from processing.grids import (
    calendar_climatology,
    et0_source,
    land_parameters,
    monthly_et0,
    rain_calendar,
)
from processing.hru import SOIL_GROUPS, class_codes, hru_index
from processing.output_spec import RASTER_VARIABLES
from processing.strip import Strip
from processing.strip_suitability import (
    SuitabilitySpec,
    Summable,
    strip_suitability,
    suitability_spec,
)
from processing.unit_labels import UnitLabels, overlap_groups, rasterize_units

SumKey = Hashable
Sums = dict[SumKey, Summable]


@dataclass(frozen=True)
class BlockSpec:
    """Everything a strip task needs (picklable: paths, tables, grid, unit polygons)."""

    grid: Grid
    rain: GridSource
    et0: GridSource | None
    tmin: GridSource | None
    tmax: GridSource | None
    land_use: GridSource
    soil: GridSource | None
    soil_depth: GridSource | None
    lu_table: pd.DataFrame
    soil_table: pd.DataFrame | None
    wb: WaterBalanceConfig
    levels: dict[str, gpd.GeoSeries]
    groups: dict[str, list[np.ndarray]]
    months: int
    first_month: int
    suitability: SuitabilitySpec | None = None
    daily: DailyRain | None = None  # the curve number runs on these days (None: on months)

    @property
    def et0_source(self) -> str:
        """How reference ET is obtained (``"et0 layer"`` or the temperature method)."""
        return et0_source(self.et0 is not None, self.wb.pet_method)


def block_spec(
    reg: LayerRegistry, levels: Mapping[str, gpd.GeoDataFrame], suitability: bool = True
) -> BlockSpec:
    """The spec of a region and its levels' units (with suitability unless told not to)."""
    cfg = reg.region.config
    _, first_month = rain_calendar(cfg.layers.rainfall)
    use_et0 = reg.has("et0") and cfg.water_balance.pet_method in ("auto", "et0")
    return BlockSpec(
        grid=reg.grid,
        rain=reg.source("rainfall"),
        et0=reg.source("et0") if use_et0 else None,
        tmin=None if use_et0 else reg.source("tmin"),
        tmax=None if use_et0 else reg.source("tmax"),
        land_use=reg.source("land_use"),
        soil=reg.source("soil") if reg.has("soil") else None,
        soil_depth=reg.source(SOIL_DEPTH_ROLE) if reg.has(SOIL_DEPTH_ROLE) else None,
        lu_table=reg.class_table("land_use"),
        soil_table=reg.class_table("soil") if reg.has("soil") else None,
        wb=cfg.water_balance,
        levels={level: units.geometry for level, units in levels.items()},
        groups={
            level: overlap_groups(units.geometry, reg.grid.transform, reg.grid.shape)
            for level, units in levels.items()
        },
        months=reg.band_count("rainfall"),
        first_month=first_month,
        suitability=suitability_spec(reg) if suitability else None,
        daily=daily_rain(reg),
    )


def _block_et0(
    spec: BlockSpec, window: Window
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray] | None]:
    """Reference ET of the strip, ``(months, rows, cols)`` mm/month, and its temperatures.

    The temperatures are the monthly minimum and maximum read for it (None when the reference
    ET comes from an ET0 layer).
    """
    if spec.et0 is not None:
        et0, _ = monthly_et0(
            spec.et0.read(spec.grid, window), None, None, None, "et0", spec.months, spec.first_month
        )
        return et0, None
    assert spec.tmin is not None and spec.tmax is not None
    t = window_transform(window, spec.grid.transform)
    rows, cols = np.mgrid[0 : int(window.height), 0 : int(window.width)]
    xs, ys = t * (cols + 0.5, rows + 0.5)
    _, lat = Transformer.from_crs(spec.grid.crs, 4326, always_xy=True).transform(xs, ys)
    tmin, tmax = spec.tmin.read(spec.grid, window), spec.tmax.read(spec.grid, window)
    method = spec.wb.pet_method
    et0, _ = monthly_et0(None, tmin, tmax, np.asarray(lat), method, spec.months, spec.first_month)
    return et0, (tmin, tmax)


def strip_unit_labels(spec: BlockSpec, level: str, strip: Strip) -> UnitLabels | None:
    """The strip's label grids of a level's units; None when no unit has a cell in it."""
    window, _ = strip.window()
    t = window_transform(window, strip.grid.transform)
    labels = rasterize_units(
        spec.levels[level], spec.groups[level], t, (strip.rows, strip.grid.width)
    )
    return labels if labels.inside.any() else None


def label_sums(labels: UnitLabels, layers: Iterable[np.ndarray]) -> np.ndarray:
    """``(2, layers, units + 1)``: per-unit sums and counts of each layer's finite cells."""
    layers = list(layers)
    out = np.zeros((2, len(layers), labels.n_units + 1))
    for v, arr in enumerate(layers):
        ok = np.isfinite(arr)
        out[0, v] = labels.bincount(np.where(ok, arr, 0.0))
        out[1, v] = labels.bincount(ok.astype(np.float64))
    out[:, :, 0] = 0.0  # cells outside a unit
    return out


def _bucket_counts(labels: UnitLabels, bucket: np.ndarray, k: int) -> np.ndarray:
    """Cells of each bucket ``0..k-1`` per unit, ``(units + 1, k)``; bucket -1 is left out."""
    flat = bucket.ravel()
    n = labels.n_units
    out = np.zeros((n + 1) * k)
    for grid in labels.grids:
        lab = grid.ravel()
        keep = (lab > 0) & (flat >= 0)
        idx = lab[keep].astype(np.int64) * k + flat[keep]
        out += np.bincount(idx, minlength=(n + 1) * k)
    return out.reshape(n + 1, k)


def _class_counts(labels: UnitLabels, lu: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Cells of each land-use class code per unit, ``(units + 1, classes + 1)``.

    The last column holds codes the table does not name; nodata is left out.
    """
    flat = lu.ravel().astype(np.int64)
    pos = np.searchsorted(codes, flat)
    known = (pos < codes.size) & (codes[np.minimum(pos, codes.size - 1)] == flat)
    bucket = np.where(known, pos, codes.size)
    bucket = np.where(flat == CATEGORICAL_NODATA, -1, bucket)
    return _bucket_counts(labels, bucket, codes.size + 1)


def block_sums(
    spec: BlockSpec, row0: int, rows: int, rasters: bool = False
) -> tuple[Sums, dict[str, np.ndarray] | None]:
    """Per-unit sums of one strip, and optionally its result and score rasters.

    Returns
    -------
    sums : dict
        ``("balance", level)``: ``(2, variables, units + 1)`` float64 sums, then counts, of
        ``months`` rain bands, ``months`` crop-PET bands, CN, capacity, Kc and water yield
        (column 0: cells outside every unit); ``("land_use", level)``: cells per class
        (see :func:`_class_counts`); ``("suitability" | "crop", <id>, level)``: the
        suitability sums (:mod:`processing.strip_suitability`). Levels the strip does
        not touch have no keys.
    rasters : dict or None
        With ``rasters``: the strip's rasters by the store's file stem (``aet_mm_yr`` ..
        ``water_yield_mm_yr``, ``suitability_<id>``, ``crop_<id>``), ``(rows, cols)``.
    """
    strip = Strip(spec.grid, row0, rows)
    window, _ = strip.window()
    found = {lv: strip_unit_labels(spec, lv, strip) for lv in spec.levels}
    labels = {lv: lab for lv, lab in found.items() if lab is not None}
    if not labels and not rasters:
        return {}, None
    lu = spec.land_use.read(spec.grid, window)[0]
    soil = spec.soil.read(spec.grid, window)[0] if spec.soil is not None else None
    depth = spec.soil_depth.read(spec.grid, window)[0] if spec.soil_depth is not None else None
    land = land_parameters(lu, soil, spec.lu_table, spec.soil_table, spec.wb, depth)
    rain = spec.rain.read(spec.grid, window)
    et0, temperatures = _block_et0(spec, window)
    rain12 = calendar_climatology(rain, spec.first_month)
    et012 = calendar_climatology(et0, spec.first_month)
    suit = spec.suitability
    results = None
    if rasters or (suit is not None and suit.needs_results):
        daily_runoff = None
        if spec.daily is not None:
            daily_runoff = spec.daily.cell_runoff_mm(spec.grid, window, land.cn, spec.first_month)
        results = balance_rasters(
            rain12,
            et012,
            land.kc,
            land.cn,
            land.capacity,
            land.budyko_awc_mm,
            land.vegetated,
            spec.wb,
            daily_runoff,
        )
        water_yield = results["water_yield"]
    else:
        water_yield = budyko_yield_mm(
            rain12, et012, land.kc, land.budyko_awc_mm, land.vegetated, spec.wb
        )
    sums: Sums = {}
    pet = et0 * land.kc[np.newaxis]
    layers = [*rain, *pet, land.cn, land.capacity, land.kc, water_yield]
    codes = class_codes(spec.lu_table)
    hru = hru_index(lu, land.hsg_idx, land.cn, codes)
    for level, lab in labels.items():
        sums[("balance", level)] = label_sums(lab, layers)
        sums[("land_use", level)] = _class_counts(lab, lu, codes)
        sums[("hru", level)] = _bucket_counts(lab, hru, codes.size * len(SOIL_GROUPS))
    strip_rasters: dict[str, np.ndarray] = {}
    if suit is not None:
        suit_sums, strip_rasters = strip_suitability(
            suit, strip, lu, land, spec.land_use, rain12, results, labels, temperatures
        )
        sums.update({k: v for k, v in suit_sums.items() if k[2] in labels})
    if not rasters:
        return sums, None
    assert results is not None
    return sums, {**{f"{v}_mm_yr": results[v] for v in RASTER_VARIABLES}, **strip_rasters}


def strips(grid: Grid, block_rows: int) -> list[tuple[int, int]]:
    """(first row, rows) of each strip of the grid."""
    return [(r, min(block_rows, grid.height - r)) for r in range(0, grid.height, block_rows)]
