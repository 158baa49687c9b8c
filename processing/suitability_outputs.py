"""What ``landwater process`` writes about suitability: per-unit tables and score rasters.

Every intervention profile gives a score raster (0..1) and a row per community and per
watershed (see :func:`processing.suitability_summary.unit_suitability`); every crop (the
built-in ones plus the region's) gives a best-month score raster and a row per unit with
the best planting month (see :mod:`processing.crop_suitability`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from processing.crop_suitability import (
    best_score_grid,
    crop_climate,
    crop_monthly,
    unit_crop_table,
)
from processing.crops import region_crops
from processing.suitability_engine import SuitabilityEngine
from processing.suitability_summary import unit_suitability


@dataclass
class SuitabilityOutputs:
    """Tables by level and rasters by file stem (``suitability_<id>``, ``crop_<id>``)."""

    interventions: dict[str, pd.DataFrame] = field(default_factory=dict)
    crops: dict[str, pd.DataFrame] = field(default_factory=dict)
    rasters: dict[str, np.ndarray] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


def suitability_outputs(
    engine: SuitabilityEngine, say: Callable[[str], None] | None = None
) -> SuitabilityOutputs:
    """Compute every intervention's and crop's outputs for both levels."""
    say = say or (lambda _m: None)
    out = SuitabilityOutputs()
    levels = list(engine.labels)
    tables: dict[str, list[pd.DataFrame]] = {lv: [] for lv in levels}
    for iv in engine.interventions:
        say(f"suitability of {iv.id}")
        try:
            model = engine.model(iv.id)
        except ValueError as exc:  # a criterion the region cannot provide
            out.skipped[f"intervention:{iv.id}"] = str(exc)
            continue
        out.rasters[f"suitability_{iv.id}"] = model.grid()
        for lv in levels:
            tables[lv].append(unit_suitability(engine, iv.id, lv))
    out.interventions = {lv: pd.concat(t, ignore_index=True) for lv, t in tables.items() if t}
    climate = crop_climate(engine.reg, engine.cells)
    if climate is None:
        out.skipped["crops"] = "EcoCrop needs [layers.tmin] and [layers.tmax]"
        return out
    crop_tables: dict[str, list[pd.DataFrame]] = {lv: [] for lv in levels}
    for crop in region_crops(engine.reg.region.config):
        say(f"crop suitability of {crop.id}")
        monthly = crop_monthly(crop, climate)
        out.rasters[f"crop_{crop.id}"] = best_score_grid(monthly)
        for lv in levels:
            crop_tables[lv].append(
                unit_crop_table(
                    crop, monthly, engine.labels[lv], engine.unit_ids[lv], engine.cell_ha
                )
            )
    out.crops = {lv: pd.concat(t, ignore_index=True) for lv, t in crop_tables.items()}
    return out


def summary_columns(outputs: SuitabilityOutputs, level: str, ids: np.ndarray) -> pd.DataFrame:
    """Wide columns for a level's summary: ``suit_<id>_score``, ``crop_<id>_score``, best crop."""
    cols = pd.DataFrame(index=pd.Index(ids, name="id"))
    table = outputs.interventions.get(level)
    if table is not None:
        for iv, rows in table.groupby("intervention", sort=False):
            cols[f"suit_{iv}_score"] = rows.set_index("unit_id")["mean_score"]
            good = rows.set_index("unit_id")[["S1_ha", "S2_ha"]].sum(axis=1)
            cols[f"suit_{iv}_s1s2_ha"] = good.round(1)
    crops = outputs.crops.get(level)
    if crops is not None and len(crops):
        for crop, rows in crops.groupby("crop", sort=False):
            cols[f"crop_{crop}_score"] = rows.set_index("unit_id")["best_month_score"]
        best = crops.sort_values("best_month_score", ascending=False, kind="stable")
        best = best.drop_duplicates("unit_id").set_index("unit_id")
        cols["best_crop"] = best["crop"]
        cols["best_crop_month"] = best["best_month_name"]
        cols["best_crop_score"] = best["best_month_score"]
    return cols.reset_index(drop=True)
