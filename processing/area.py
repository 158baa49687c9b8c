"""Summary of any area of interest, as for a community.

Area, land use, water balance, suitability of every intervention and the project sites
inside. The area's water balance is the same lumped monthly balance as a community's (unit-mean
inputs), its land-use mix the same categorical zonal statistics, and its suitability the
same per-unit summary over the community cells it covers.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from processing.suitability_engine import SuitabilityEngine, unit_labels
from processing.suitability_summary import unit_suitability
from processing.unit_inputs import land_use_mix, unit_balance, unit_means
from processing.unit_labels import UnitLabels
from processing.unit_tables import summarise

AREA_ID = "AOI"


@dataclass(frozen=True)
class AreaSummary:
    """One area's figures, in the results store's column names."""

    summary: pd.Series  # id, name, area_ha, <var>_mm_yr, <var>_m3_yr, stress_index, lu_*...
    monthly: pd.DataFrame  # long rows, unit "mm"
    suitability: pd.DataFrame  # one row per intervention
    sites: pd.DataFrame  # project sites inside: name, type, status


def area_summary(
    engine: SuitabilityEngine, area_wgs84: BaseGeometry, name: str = "Area of interest"
) -> AreaSummary:
    """Summarise an area of interest (WGS84 polygon).

    Raises
    ------
    ValueError
        When the area does not cover any cell of the region's grid.
    """
    reg = engine.reg
    units = gpd.GeoDataFrame(
        {"id": [AREA_ID], "name": [name]}, geometry=[area_wgs84], crs=4326
    ).to_crs(reg.crs)
    units["geometry"] = units.geometry.intersection(shapely.box(*reg.grid.bounds))
    if units.geometry.iloc[0].is_empty:
        raise ValueError("the area lies outside the region; draw it over the region's map")
    cells = engine.cells
    wb, params = unit_balance(cells, units, reg)
    if not bool(params["valid"][0]):
        raise ValueError("the area covers no cell with data; draw it over the region's map")
    water_yield = (engine.results or {}).get("water_yield")
    yield_mm = (
        unit_means(water_yield, units, reg)[0] if water_yield is not None else np.full(1, np.nan)
    )
    mix = land_use_mix(cells, units, reg)
    k_months = reg.region.config.water_balance.baseflow_k_months
    res = summarise("area", units, wb, params, yield_mm, mix, cells, k_months)
    labels = UnitLabels((unit_labels(units, reg),), 1)
    ids = np.array([AREA_ID])
    names = {iv.id: iv.name for iv in engine.interventions}
    tables = []
    for iv in engine.interventions:
        try:
            t = unit_suitability(engine, iv.id, with_best=False, labels=labels, unit_ids=ids)
        except ValueError:
            continue  # a criterion the region cannot provide (as in `landwater process`)
        tables.append(t.assign(name=names[iv.id]))
    suit = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    monthly = res.monthly[res.monthly["unit"] == "mm"]
    return AreaSummary(res.summary.iloc[0], monthly, suit, _sites_inside(engine, units))


def _sites_inside(engine: SuitabilityEngine, units: gpd.GeoDataFrame) -> pd.DataFrame:
    sites = engine.reg.sites
    spec = engine.reg.region.config.layers.project_sites
    cols = ["name", "type", "status"]
    if sites is None or spec is None:
        return pd.DataFrame(columns=cols)
    inside = sites[sites.within(units.geometry.iloc[0])]
    out = pd.DataFrame(index=inside.index)
    for col, field in zip(cols, (spec.name_field, spec.type_field, spec.status_field), strict=True):
        out[col] = inside[field].astype(str) if field and field in inside else ""
    return out.reset_index(drop=True)
