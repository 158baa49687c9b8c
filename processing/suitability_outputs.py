"""What ``landwater process`` writes about suitability: per-unit tables and score rasters.

Every intervention profile gives a score raster (0..1) and a row per community and per
watershed (see :func:`processing.suitability_summary.unit_suitability`); every crop (the
built-in ones plus the region's) gives a best-month score raster and a row per unit with
the best planting month (see :mod:`processing.crop_suitability`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class SuitabilityOutputs:
    """Suitability and crop tables by level, and the profiles skipped with their reasons."""

    interventions: dict[str, pd.DataFrame] = field(default_factory=dict)
    crops: dict[str, pd.DataFrame] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


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
