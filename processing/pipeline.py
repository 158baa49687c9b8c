"""``landwater process``: a region's water balance and water yield per community and watershed.

Reads the aligned layers, builds per-cell inputs, summarises them per unit, runs the monthly
balance per unit (lumped, on the full monthly record) and per cell (on the monthly
climatology, for the result rasters), and writes the results store. Output is built in a
temporary folder and swapped into place, so an interrupted run never leaves half a store;
an unchanged region (same input fingerprint) is not processed again.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.classes import class_key
from layers.config import WaterBalanceConfig
from layers.errors import RegionError
from layers.io import replace_folder
from layers.region import Region, load_region
from layers.registry import LayerRegistry
from layers.validate import has_errors, validate_region
from processing.cell_balance import cell_balance_rasters
from processing.grids import CellInputs, cell_inputs
from processing.kernels.baseflow import linear_reservoir
from processing.kernels.water_balance import DEFICIT_MONTH_MM, MonthlyBalance, thornthwaite_mather
from processing.memory_budget import check_whole_grid
from processing.results_store import write_store
from processing.suitability_engine import build_engine
from processing.suitability_outputs import suitability_outputs, summary_columns
from processing.zonal import zonal_stats

PIPELINE_VERSION = "4"
Progress = Callable[[str], None]


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


def input_fingerprint(region_dir: Path) -> str:
    """Hash of region.toml and every file it names (path, size, mtime) plus the code version."""
    region = load_region(region_dir)
    h = hashlib.sha256(f"v{PIPELINE_VERSION}".encode())
    h.update((region.root / "region.toml").read_bytes())
    for _, spec in region.config.layers:
        if spec is None:
            continue
        files = list(getattr(spec, "files", None) or [spec.path])
        if getattr(spec, "class_table", None):
            files.append(spec.class_table)
        for rel in files:
            p = region.resolve(rel)
            st = p.stat()
            h.update(f"{p}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()[:20]


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
    from layers.align import CATEGORICAL_NODATA

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


def unit_balance(
    cells: CellInputs, units: gpd.GeoDataFrame, reg: LayerRegistry
) -> tuple[MonthlyBalance, dict[str, np.ndarray]]:
    """Lumped monthly balance of each unit from unit-mean inputs."""
    rain = unit_means(cells.rain_mm, units, reg)
    pet = unit_means(cells.et0_mm * cells.kc[np.newaxis], units, reg)
    cn, capacity, kc = unit_means(np.stack([cells.cn, cells.capacity_mm, cells.kc]), units, reg)
    return lumped_balance(
        rain, pet, cn, capacity, kc, cells.first_month, reg.region.config.water_balance
    )


def lumped_balance(
    rain: np.ndarray,
    pet: np.ndarray,
    cn: np.ndarray,
    capacity: np.ndarray,
    kc: np.ndarray,
    first_month: int,
    wb_cfg: WaterBalanceConfig,
) -> tuple[MonthlyBalance, dict[str, np.ndarray]]:
    """The balance of units from their mean inputs (``(months, units)`` and ``(units,)``).

    Units missing any input are computed as zeros and flagged invalid (``params["valid"]``).
    """
    rain_days = np.roll(np.asarray(wb_cfg.rain_days, float), -(first_month - 1))
    valid = (
        np.isfinite(rain).all(axis=0)
        & np.isfinite(pet).all(axis=0)
        & np.isfinite(cn)
        & np.isfinite(capacity)
    )
    safe = lambda a: np.where(valid, a, 0.0)  # noqa: E731 - units without data computed as zeros, masked below
    wb = thornthwaite_mather(
        safe(rain), safe(pet), safe(cn), safe(capacity), rain_days, wb_cfg.spinup_years
    )
    return wb, {"cn": cn, "capacity_mm": capacity, "kc": kc, "valid": valid}


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


def level_units(reg: LayerRegistry, level: str) -> gpd.GeoDataFrame | None:
    """Units of a level (id, name, geometry in the working CRS), or None when absent."""
    layers = reg.region.config.layers
    spec = layers.communities if level == "communities" else layers.watersheds
    gdf = reg.communities if level == "communities" else reg.watersheds
    if gdf is None or spec is None:
        return None
    out = gpd.GeoDataFrame(
        {
            "id": gdf[spec.id_field].astype(str).to_numpy(),
            "name": (gdf[spec.name_field] if spec.name_field else gdf[spec.id_field])
            .astype(str)
            .to_numpy(),
        },
        geometry=gdf.geometry.to_numpy(),
        crs=gdf.crs,
    )
    return out


def valid_region(region_dir: Path, say: Progress) -> Region:
    """Validate and load a region; warnings (repaired geometries, ...) go to ``say``.

    Raises
    ------
    RegionError
        When the region has validation errors (listing them all).
    """
    say("validating the region")
    problems = validate_region(region_dir)
    if has_errors(problems):
        raise RegionError([p for p in problems if p.severity == "error"])
    for warning in problems:  # repaired geometries, partial cover, ...: reported, not fatal
        say(str(warning))
    return load_region(region_dir)


def store_manifest(
    fingerprint: str, reg: LayerRegistry, et0_source: str, months: int, skipped: dict[str, str]
) -> dict[str, object]:
    """The manifest entries every results store carries, however it was computed."""
    return {
        "fingerprint": fingerprint,
        "region": reg.region.name,
        "synthetic": reg.region.config.region.synthetic,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "pipeline_version": PIPELINE_VERSION,
        "et0_source": et0_source,
        "months": months,
        "deficit_month_mm": DEFICIT_MONTH_MM,
        "crs": reg.crs.to_string(),
        "suitability_classes": "S1 >= 0.75 > S2 >= 0.5 > S3 >= 0.25 > N",
        "skipped": skipped,
    }


def up_to_date(out: Path, fingerprint: str) -> bool:
    """True when the store in ``out`` was computed from inputs with this fingerprint."""
    try:
        return bool(
            json.loads((out / "manifest.json").read_text()).get("fingerprint") == fingerprint
        )
    except (json.JSONDecodeError, OSError):
        return False  # no store, or an unreadable manifest: recompute


def process_region(
    region_dir: str | Path,
    out_dir: str | Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> Path:
    """Compute and write the results store of a region.

    Parameters
    ----------
    region_dir : str or Path
        A valid region folder.
    out_dir : str or Path, optional
        Results folder; ``REGION/results`` when omitted.
    force : bool
        Recompute even when the inputs have not changed.
    progress : callable, optional
        Called with a short description of each step.

    Returns
    -------
    Path
        The results folder.

    Raises
    ------
    RegionError
        When the region has validation errors (listing them all).
    """
    say = progress or (lambda _msg: None)
    region_dir = Path(region_dir).resolve()
    region = valid_region(region_dir, say)
    out = Path(out_dir).resolve() if out_dir else region.results_dir
    key = input_fingerprint(region_dir)
    if not force and up_to_date(out, key):
        say("results are up to date")
        return out
    t0 = time.perf_counter()
    reg = LayerRegistry(region)
    check_whole_grid(reg.grid.width * reg.grid.height, reg.band_count("rainfall"))
    say("aligning layers to the working grid")
    cells = cell_inputs(reg)
    results: list[UnitResults] = []
    say("computing the per-cell balance and water yield rasters")
    rasters = cell_balance_rasters(cells, reg)
    suit = suitability_outputs(build_engine(reg, cells, rasters), say)
    for level in ("communities", "watersheds"):
        units = level_units(reg, level)
        if units is None:
            continue
        say(f"water balance of the {level}")
        wb, params = unit_balance(cells, units, reg)
        yield_mm = unit_means(rasters["water_yield"], units, reg)[0]
        mix = land_use_mix(cells, units, reg)
        k_months = region.config.water_balance.baseflow_k_months
        res = summarise(level, units, wb, params, yield_mm, mix, cells, k_months)
        extra = summary_columns(suit, level, units["id"].to_numpy())
        summary = pd.concat([res.summary, extra], axis=1)
        results.append(UnitResults(level, units, summary, res.monthly))
    say("writing the results store")
    manifest = store_manifest(
        key, reg, cells.et0_source, int(cells.rain_mm.shape[0]), suit.skipped
    ) | {"seconds": round(time.perf_counter() - t0, 2)}
    replace_folder(out, lambda tmp: write_store(tmp, results, rasters, reg, manifest, suit))
    say(f"results written to {out}")
    return out
