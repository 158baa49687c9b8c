"""Per-cell input grids of the water balance, derived from a region's aligned layers.

Turns class rasters into parameter grids through their class tables (Kc, root depth,
curve number by hydrologic soil group, available water capacity) and temperatures into
reference ET. Everything is on the region's working grid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyproj import Transformer

from layers.align import CATEGORICAL_NODATA
from layers.config import RainfallLayer, WaterBalanceConfig
from layers.registry import SOIL_DEPTH_ROLE, LayerRegistry
from layers.vegetation import vegetation_rules
from processing.hru import HSG_COLUMNS, SOIL_GROUPS
from processing.kernels.et0 import hargreaves_monthly_mm, thornthwaite_monthly_mm


@dataclass(frozen=True)
class CellInputs:
    """Water-balance inputs on the working grid.

    Attributes
    ----------
    rain_mm : numpy.ndarray
        ``(months, rows, cols)`` monthly rainfall, mm (NaN: missing).
    et0_mm : numpy.ndarray
        ``(months, rows, cols)`` reference ET, mm/month, aligned with ``rain_mm``'s months.
    kc, cn, capacity_mm, awc_mm : numpy.ndarray
        ``(rows, cols)`` crop coefficient, curve number, root-zone storage capacity (mm) and
        available water capacity (mm/m).
    soil_depth_mm : numpy.ndarray
        ``(rows, cols)`` depth to the root-restricting layer, mm (NaN: not known, the root
        depth is not capped).
    vegetated : numpy.ndarray
        ``(rows, cols)`` bool, False for wetland, water, built-up and bare cover
        (:mod:`layers.vegetation`).
    land_use : numpy.ndarray
        ``(rows, cols)`` land-use codes (``CATEGORICAL_NODATA`` where missing).
    hsg_index : numpy.ndarray
        ``(rows, cols)`` hydrologic soil group as 0..3 (A..D).
    first_month : int
        Calendar month (1..12) of the first band.
    start_year : int or None
        Year of the first band for a series; None for a climatology.
    et0_source : str
        How ET0 was obtained.
    """

    rain_mm: np.ndarray
    et0_mm: np.ndarray
    kc: np.ndarray
    cn: np.ndarray
    capacity_mm: np.ndarray
    awc_mm: np.ndarray
    soil_depth_mm: np.ndarray
    vegetated: np.ndarray
    land_use: np.ndarray
    hsg_index: np.ndarray
    first_month: int
    start_year: int | None
    et0_source: str


def lookup(
    codes: np.ndarray, table: pd.DataFrame, column: str, default: float = np.nan
) -> np.ndarray:
    """Map class codes to a table column (``default`` for nodata and unknown codes)."""
    keys = table.index.to_numpy().astype(np.int64)
    vals = table[column].to_numpy(dtype=np.float64)
    order = np.argsort(keys)
    keys, vals = keys[order], vals[order]
    flat = codes.astype(np.int64).ravel()
    pos = np.clip(np.searchsorted(keys, flat), 0, len(keys) - 1)
    found = keys[pos] == flat
    out = np.where(found, vals[pos], default)
    return out.reshape(codes.shape)


def latitude_grid(reg: LayerRegistry) -> np.ndarray:
    """Latitude of every cell centre, degrees."""
    x, y = reg.grid.cell_centres()
    xx, yy = np.meshgrid(x, y)
    _, lat = Transformer.from_crs(reg.crs, 4326, always_xy=True).transform(xx, yy)
    return np.asarray(lat)


def _monthly_et0(reg: LayerRegistry, months: int, first_month: int) -> tuple[np.ndarray, str]:
    method = reg.region.config.water_balance.pet_method
    if method in ("auto", "et0") and reg.has("et0"):
        return monthly_et0(reg.raster("et0"), None, None, None, method, months, first_month)
    if not (reg.has("tmin") and reg.has("tmax")):
        raise ValueError(
            "pet_method needs [layers.tmin] and [layers.tmax], or an [layers.et0] layer"
        )
    return monthly_et0(
        None,
        reg.raster("tmin"),
        reg.raster("tmax"),
        latitude_grid(reg),
        method,
        months,
        first_month,
    )


def et0_source(from_layer: bool, method: str) -> str:
    """How reference ET is obtained (for the manifest): the ET0 layer or a temperature method."""
    if from_layer:
        return "ET0 layer"
    if method == "thornthwaite":
        return "Thornthwaite (1948) from mean temperature"
    return "Hargreaves (FAO-56 eq. 52) from Tmin/Tmax"


def monthly_et0(
    et0: np.ndarray | None,
    tmin: np.ndarray | None,
    tmax: np.ndarray | None,
    lat: np.ndarray | None,
    method: str,
    months: int,
    first_month: int,
) -> tuple[np.ndarray, str]:
    """Reference ET aligned with the rainfall's months, and how it was obtained.

    From an ET0 layer when given, else Thornthwaite or Hargreaves from the temperatures'
    calendar-month means at latitudes ``lat``; a 12-month climatology is repeated along a
    rainfall series. Works on the whole grid or on one block of it.

    The temperature methods give climatological totals: each month's daily values summed
    over its days, averaged over a leap cycle (February: 28.25 days; see
    ``processing.kernels.et0``). The temperatures are calendar-month means over all years,
    so every year of a series gets the same total, leap years included.
    """
    source = et0_source(et0 is not None, method)
    if et0 is not None:
        out = et0.astype(np.float64)
    else:
        assert tmin is not None and tmax is not None and lat is not None
        tn, tx = calendar_means(tmin.astype(np.float64)), calendar_means(tmax.astype(np.float64))
        if method == "thornthwaite":
            out = thornthwaite_monthly_mm((tn + tx) / 2.0, lat)
        else:
            out = hargreaves_monthly_mm(tn, tx, lat)
    if out.shape[0] == 12 and months != 12:
        # a climatology of ET0 repeated along a rainfall series
        out = out[(np.arange(months) + first_month - 1) % 12]
    elif out.shape[0] != months:
        n = out.shape[0]
        raise ValueError(
            f"ET0 has {n} months but rainfall has {months}; give a 12-month ET0 climatology"
        )
    return out, source


def calendar_means(arr: np.ndarray) -> np.ndarray:
    """Mean of each calendar month when more than 12 bands are given (assumed from January)."""
    if arr.shape[0] == 12:
        return arr
    return np.stack([np.nanmean(arr[m::12], axis=0) for m in range(12)])


@dataclass(frozen=True)
class LandParameters:
    """Per-cell parameters from land use and soil (arrays of the codes' shape).

    The root zone is the class's root depth capped by the soil depth where one is known
    (InVEST: ``min(root depth, depth to the root-restricting layer)``); both storage
    capacities hold AWC x that depth. ``cn`` and ``capacity`` include ``[water_balance]``'s
    calibration multipliers; ``cn_table`` and ``capacity_table`` are the tables' own values.
    ``budyko_awc_mm`` is ``capacity_table`` where InVEST has every input of the annual water
    yield, NaN elsewhere (no soil data, or no soil depth where the region gives depths).
    """

    kc: np.ndarray
    cn: np.ndarray
    capacity: np.ndarray
    cn_table: np.ndarray
    capacity_table: np.ndarray
    budyko_awc_mm: np.ndarray
    awc: np.ndarray
    soil_depth_mm: np.ndarray
    hsg_idx: np.ndarray
    vegetated: np.ndarray


def land_parameters(
    lu: np.ndarray,
    soil: np.ndarray | None,
    lu_table: pd.DataFrame,
    soil_table: pd.DataFrame | None,
    wb: WaterBalanceConfig,
    depth_raster_mm: np.ndarray | None = None,
) -> LandParameters:
    """Kc, curve number, storage capacity (mm), AWC (mm/m) and HSG of each cell.

    Works on any window of the grid (the whole grid, or one block of it).
    ``depth_raster_mm`` is the ``depth_to_root_restricting_layer`` raster (mm, NaN: nodata);
    without it, the soil table's ``depth_mm`` column gives the depth when it has one.
    """
    kc = lookup(lu, lu_table, "kc")
    root_m = lookup(lu, lu_table, "root_depth_m")
    soil_known = np.ones(lu.shape, dtype=bool)
    depth_mm, depth_given = depth_raster_mm, depth_raster_mm is not None
    if soil is not None and soil_table is not None:
        awc = lookup(soil, soil_table, "awc_mm_per_m")
        soil_known = np.isfinite(awc)
        awc[~soil_known] = wb.default_awc_mm_per_m
        hsg_codes = soil_table["hsg"].map({g: i for i, g in enumerate(SOIL_GROUPS)}).astype(float)
        hsg = lookup(
            soil,
            soil_table.assign(hsg_idx=hsg_codes),
            "hsg_idx",
            default=SOIL_GROUPS.index(wb.default_hsg),
        )
        if depth_mm is None and "depth_mm" in soil_table.columns:
            depth_mm, depth_given = lookup(soil, soil_table, "depth_mm"), True
    else:
        awc = np.full(lu.shape, wb.default_awc_mm_per_m)
        hsg = np.full(lu.shape, float(SOIL_GROUPS.index(wb.default_hsg)))
    depth = np.full(lu.shape, np.nan) if depth_mm is None else depth_mm.astype(np.float64)
    cn_by_group = np.stack([lookup(lu, lu_table, col) for col in HSG_COLUMNS])
    hsg_idx = np.clip(np.nan_to_num(hsg, nan=1.0).astype(int), 0, 3)
    cn = np.take_along_axis(cn_by_group, hsg_idx[np.newaxis], axis=0)[0]
    veg = vegetation_rules(lu_table)["vegetated"].astype(float)
    vegetated = lookup(lu, lu_table.assign(veg=veg), "veg", default=1.0) > 0.5
    missing = lu == CATEGORICAL_NODATA
    for arr in (kc, cn, root_m, awc):
        arr[missing] = np.nan
    root_zone_m = np.where(np.isfinite(depth), np.minimum(root_m, depth / 1000.0), root_m)
    capacity = awc * root_zone_m
    invest_inputs = soil_known & (np.isfinite(depth) if depth_given else True)
    return LandParameters(
        kc=kc,
        cn=np.clip(cn * wb.cn_multiplier, 1.0, 100.0),
        capacity=capacity * wb.awc_multiplier,  # the storage, not the soil map's AWC
        cn_table=cn,
        capacity_table=capacity,
        budyko_awc_mm=np.where(invest_inputs, capacity, np.nan),
        awc=awc,
        soil_depth_mm=depth,
        hsg_idx=hsg_idx,
        vegetated=vegetated,
    )


def region_land_parameters(reg: LayerRegistry, lu: np.ndarray | None = None) -> LandParameters:
    """The region's land parameters on the whole working grid (calibrated and tables').

    ``lu``: the land-use codes when the caller has read them already.
    """
    lu = reg.raster("land_use")[0] if lu is None else lu
    soil = reg.raster("soil")[0] if reg.has("soil") else None
    soil_table = reg.class_table("soil") if reg.has("soil") else None
    depth = reg.raster(SOIL_DEPTH_ROLE)[0] if reg.has(SOIL_DEPTH_ROLE) else None
    return land_parameters(
        lu, soil, reg.class_table("land_use"), soil_table, reg.region.config.water_balance, depth
    )


def cell_inputs(reg: LayerRegistry, calibrated: bool = True) -> CellInputs:
    """Build the per-cell inputs of the water balance for a region.

    With ``calibrated`` (the default), ``[water_balance]``'s ``cn_multiplier`` (curve
    numbers clipped to 1..100) and ``awc_multiplier`` are applied; calibration itself
    starts from the tables' own values.
    """
    cfg = reg.region.config
    rain = reg.raster("rainfall").astype(np.float64)
    start_year, first_month = rain_calendar(cfg.layers.rainfall)
    et0, source = _monthly_et0(reg, rain.shape[0], first_month)
    lu = reg.raster("land_use")[0]
    land = region_land_parameters(reg, lu)
    return CellInputs(
        rain_mm=rain,
        et0_mm=et0,
        kc=land.kc,
        cn=land.cn if calibrated else land.cn_table,
        capacity_mm=land.capacity if calibrated else land.capacity_table,
        awc_mm=land.awc,
        soil_depth_mm=land.soil_depth_mm,
        vegetated=land.vegetated,
        land_use=lu,
        hsg_index=land.hsg_idx,
        first_month=first_month,
        start_year=start_year,
        et0_source=source,
    )


def rain_calendar(rain_spec: RainfallLayer) -> tuple[int | None, int]:
    """Year (None for a climatology) and calendar month (1..12) of the rainfall's first band."""
    if rain_spec.kind == "series" and rain_spec.start:
        return int(rain_spec.start[:4]), int(rain_spec.start[5:7])
    return None, 1


def calendar_climatology(arr: np.ndarray, first_month: int) -> np.ndarray:
    """12 bands, January first, from a climatology or a series starting in ``first_month``."""
    if arr.shape[0] == 12 and first_month == 1:
        return arr
    months = (np.arange(arr.shape[0]) + first_month - 1) % 12
    return np.stack([np.nanmean(arr[months == m], axis=0) for m in range(12)])
