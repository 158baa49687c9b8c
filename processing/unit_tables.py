"""Tables of units (communities, watersheds) from their mean inputs.

The lumped monthly balance of each unit, its summary row and its long monthly table.

The pipeline gives these functions the per-unit means of the strips' sums; the area of
interest gives them zonal means. Both get the same columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.classes import class_key
from layers.config import WaterBalanceConfig
from processing.hru import Hrus, month_rain_days
from processing.kernels.baseflow import linear_reservoir
from processing.kernels.water_balance import DEFICIT_MONTH_MM, MonthlyBalance, thornthwaite_mather


@dataclass(frozen=True)
class UnitResults:
    """Results of one level (communities or watersheds)."""

    level: str
    units: gpd.GeoDataFrame  # id, name, geometry (working CRS)
    summary: pd.DataFrame  # one row per unit
    monthly: pd.DataFrame  # long: unit_id, year, month, variable, value, unit


class MonthCalendar(Protocol):
    """Where a monthly series starts (``CellInputs`` is one)."""

    @property
    def first_month(self) -> int:
        """Calendar month (1..12) of the first band."""

    @property
    def start_year(self) -> int | None:
        """Year of the first band; None for a climatology."""


def land_use_columns(
    ha_by_code: Mapping[str, np.ndarray], total_ha: np.ndarray, names: pd.Series, n: int
) -> pd.DataFrame:
    """``lu_<class>_ha`` and ``lu_<class>_pct`` of ``n`` units.

    ``ha_by_code``: hectares of each class code present (as text); ``total_ha``: hectares
    of every class, named or not; ``names``: class names by code.
    """
    out = pd.DataFrame(index=range(n))
    total = pd.Series(total_ha).replace(0, np.nan)
    zero = np.zeros(n)
    for code, name in names.astype(str).items():
        ha = pd.Series(ha_by_code.get(str(code), zero))
        key = class_key(name)
        out[f"lu_{key}_ha"] = ha.round(2)
        out[f"lu_{key}_pct"] = (100 * ha / total).round(2)
    return out


def lumped_balance(
    rain: np.ndarray,
    pet: np.ndarray,
    hrus: Hrus,
    capacity: np.ndarray,
    kc: np.ndarray,
    first_month: int,
    wb_cfg: WaterBalanceConfig,
    runoff_mm: np.ndarray | None = None,
) -> tuple[MonthlyBalance, dict[str, np.ndarray]]:
    """The balance of units from their mean inputs (``(months, units)`` and ``(units,)``).

    The runoff of each unit is the area-weighted sum of its HRUs' runoff on the unit's
    mean rain: ``runoff_mm`` ``(months, units)`` when given (the curve number run on each
    day of the unit's daily rain, :meth:`processing.hru.Hrus.daily_runoff_mm`), else from
    the monthly rain and its rain events. The rest of the rain enters one store of the
    unit's mean capacity. Units missing any input are computed as zeros and flagged
    invalid (``params["valid"]``).
    """
    valid = (
        np.isfinite(rain).all(axis=0)
        & np.isfinite(pet).all(axis=0)
        & hrus.valid
        & np.isfinite(capacity)
    )
    safe = lambda a: np.where(valid, a, 0.0)  # noqa: E731 - units without data computed as zeros, masked below
    days = month_rain_days(wb_cfg, first_month, rain.shape[0])
    if runoff_mm is None:
        runoff = hrus.runoff_mm(safe(rain), days, wb_cfg)
    else:
        runoff = safe(np.nan_to_num(runoff_mm))
    wb = thornthwaite_mather(safe(rain), safe(pet), runoff, safe(capacity), wb_cfg.spinup_years)
    params = {"cn": hrus.mean_cn(), "capacity_mm": capacity, "kc": kc, "valid": valid}
    return wb, params


def named_variables(wb: MonthlyBalance, baseflow_k_months: float) -> dict[str, np.ndarray]:
    """The balance's arrays under the names used in tables (surplus is "recharge").

    ``baseflow`` is recharge through a linear reservoir of recession constant
    ``baseflow_k_months``; ``streamflow`` is runoff plus baseflow (the flow the unit
    yields at its outlet, as calibrated by ``landwater calibrate``).
    """
    baseflow = linear_reservoir(wb.surplus, baseflow_k_months)
    return {
        "rain": wb.p,
        "pet": wb.pet,
        "aet": wb.aet,
        "runoff": wb.runoff,
        "infiltration": wb.infiltration,
        "recharge": wb.surplus,
        "baseflow": baseflow,
        "streamflow": wb.runoff + baseflow,
        "storage": wb.storage,
        "deficit": wb.deficit,
    }


def summarise(
    level: str,
    units: gpd.GeoDataFrame,
    wb: MonthlyBalance,
    params: dict[str, np.ndarray],
    yield_mm: np.ndarray,
    lu_mix: pd.DataFrame,
    cells: MonthCalendar,
    k_months: float = 2.0,
) -> UnitResults:
    """Summary table and long monthly table of one level.

    ``k_months``: the baseflow recession constant (``[water_balance] baseflow_k_months``).
    """
    area_m2 = units.geometry.area.to_numpy()
    years = wb.p.shape[0] / 12.0
    valid = params["valid"]
    ann = {
        k: np.where(valid, v.sum(axis=0) / years, np.nan)
        for k, v in named_variables(wb, k_months).items()
        if k != "storage"
    }
    summary = pd.DataFrame({"id": units["id"].to_numpy(), "name": units["name"].to_numpy()})
    summary["area_ha"] = (area_m2 / 1e4).round(2)
    for k, v in ann.items():
        summary[f"{k}_mm_yr"] = np.round(v, 1)
    for k, v in ann.items():
        summary[f"{k}_m3_yr"] = np.round(v * area_m2 / 1000.0, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        summary["stress_index"] = np.round(
            np.where(ann["pet"] > 0, ann["aet"] / ann["pet"], 1.0), 3
        )
    summary["months_in_deficit_per_yr"] = np.where(
        valid, (wb.deficit > DEFICIT_MONTH_MM).sum(axis=0) / years, np.nan
    )
    summary["water_yield_mm_yr"] = np.round(yield_mm, 1)
    summary["water_yield_m3_yr"] = np.round(yield_mm * area_m2 / 1000.0, 0)
    summary["curve_number"] = np.round(params["cn"], 1)
    summary["storage_capacity_mm"] = np.round(params["capacity_mm"], 1)
    summary["kc"] = np.round(params["kc"], 3)
    summary = pd.concat([summary, lu_mix.reset_index(drop=True)], axis=1)
    monthly = _long_monthly(units, wb, area_m2, cells, valid, k_months)
    return UnitResults(level, units, summary, monthly)


def _long_monthly(
    units: gpd.GeoDataFrame,
    wb: MonthlyBalance,
    area_m2: np.ndarray,
    cells: MonthCalendar,
    valid: np.ndarray,
    k_months: float,
) -> pd.DataFrame:
    months_total = wb.p.shape[0]
    cal = (np.arange(months_total) + cells.first_month - 1) % 12 + 1
    if cells.start_year is None:
        year = np.full(months_total, pd.NA, dtype=object)
    else:
        year = cells.start_year + (np.arange(months_total) + cells.first_month - 1) // 12
    frames = []
    ids = units["id"].to_numpy()
    for name, arr in named_variables(wb, k_months).items():
        arr = np.where(valid[np.newaxis], arr, np.nan)
        for unit, values in (("mm", arr), ("m3", arr * area_m2[np.newaxis] / 1000.0)):
            frames.append(
                pd.DataFrame(
                    {
                        "unit_id": np.tile(ids, months_total),
                        "year": np.repeat(year, len(ids)),
                        "month": np.repeat(cal, len(ids)),
                        "variable": name,
                        "value": np.round(values.ravel(), 3),
                        "unit": unit,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)
