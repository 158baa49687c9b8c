"""Per-unit inputs of units on the whole working grid, by zonal statistics.

For units that are not a level of the results store (an area of interest) and for the
engines that hold the whole grid (calibration, scenarios): the means of a unit's cells,
by the same cell-centre rule as the pipeline's strips.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.align import CATEGORICAL_NODATA
from layers.registry import LayerRegistry
from processing.grids import CellInputs
from processing.hru import Hrus, class_codes, hru_curve_numbers, hru_index
from processing.kernels.water_balance import MonthlyBalance
from processing.unit_tables import land_use_columns, lumped_balance
from processing.zonal import zonal_stats


def unit_means(arr: np.ndarray, units: gpd.GeoDataFrame, reg: LayerRegistry) -> np.ndarray:
    """Mean of each band over each unit: ``(bands, units)``."""
    stack = arr if arr.ndim == 3 else arr[np.newaxis]
    table = zonal_stats(
        stack.astype(np.float32), units, stats=("mean",), transform=reg.grid.transform, crs=reg.crs
    )
    if stack.shape[0] == 1:
        return table["mean"].to_numpy()[np.newaxis]
    return table.pivot(index="band", columns="zone_index", values="mean").to_numpy()


def land_use_mix(cells: CellInputs, units: gpd.GeoDataFrame, reg: LayerRegistry) -> pd.DataFrame:
    """Hectares and percent of each land-use class per unit (``lu_<class>_ha`` / ``_pct``)."""
    table = zonal_stats(
        cells.land_use,
        units,
        categorical=True,
        transform=reg.grid.transform,
        crs=reg.crs,
        nodata=CATEGORICAL_NODATA,
    )
    ha_cols = [c for c in table.columns if c.startswith("area_ha_")]
    ha = {c.removeprefix("area_ha_"): table[c].to_numpy() for c in ha_cols}
    total = table[ha_cols].sum(axis=1).to_numpy()
    return land_use_columns(ha, total, reg.class_table("land_use")["name"], len(units))


def unit_hrus(cells: CellInputs, units: gpd.GeoDataFrame, reg: LayerRegistry) -> Hrus:
    """The HRUs of each unit (cells of each land-use class x soil group)."""
    wb = reg.region.config.water_balance
    lu_table = reg.class_table("land_use")
    cn_by_hru = hru_curve_numbers(lu_table, wb)
    hru = hru_index(cells.land_use, cells.hsg_index, cells.cn, class_codes(lu_table))
    table = zonal_stats(
        hru.astype(np.int32),
        units,
        categorical=True,
        transform=reg.grid.transform,
        crs=reg.crs,
        nodata=-1,
    )
    counts = np.zeros((len(units), cn_by_hru.size))
    for col in table.columns:
        if col.startswith("area_ha_"):
            counts[:, int(col.removeprefix("area_ha_"))] = table[col].fillna(0).to_numpy()
    return Hrus.from_counts(counts, cn_by_hru)


def unit_balance(
    cells: CellInputs, units: gpd.GeoDataFrame, reg: LayerRegistry
) -> tuple[MonthlyBalance, dict[str, np.ndarray]]:
    """Lumped monthly balance of each unit from unit-mean inputs and its HRUs."""
    rain = unit_means(cells.rain_mm, units, reg)
    pet = unit_means(cells.et0_mm * cells.kc[np.newaxis], units, reg)
    capacity, kc = unit_means(np.stack([cells.capacity_mm, cells.kc]), units, reg)
    hrus = unit_hrus(cells, units, reg)
    return lumped_balance(
        rain, pet, hrus, capacity, kc, cells.first_month, reg.region.config.water_balance
    )
