"""Multi-year trends of a monthly series: per unit and whole year, the water figures.

For each unit and each whole calendar year of the record (all 12 months present; a partial
first or last year is left out, since its total is not comparable with the others), the
year's rain, runoff, recharge and deficit (mm), their anomalies against the unit's mean over
its whole years (mm and %), the months whose deficit exceeds
:data:`processing.kernels.water_balance.DEFICIT_MONTH_MM`, and whether the year is dry: its
rain below the unit's :data:`DRY_PERCENTILE` th percentile of its whole years (numpy's
default, linear, percentile). A climatology (no years) has no trends.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from processing.kernels.water_balance import DEFICIT_MONTH_MM

TREND_VARIABLES = ("rain", "runoff", "recharge", "deficit")
DRY_PERCENTILE = 20.0  # a year is dry when its rain is below this percentile of the unit's years
MONTHS_PER_YEAR = 12


def trend_columns() -> list[str]:
    """The columns of :func:`trends_by_year`, in order."""
    return [
        "unit_id",
        "year",
        *(f"{v}_mm" for v in TREND_VARIABLES),
        "deficit_months",
        "dry_year",
        *(f"{v}_anomaly_mm" for v in TREND_VARIABLES),
        *(f"{v}_anomaly_pct" for v in TREND_VARIABLES),
    ]


def trends_by_year(monthly: pd.DataFrame) -> pd.DataFrame | None:
    """Per unit and whole year: totals, anomalies, months in deficit and the dry-year flag.

    Parameters
    ----------
    monthly : DataFrame
        The long monthly table of the results store (``unit_id``, ``year``, ``month``,
        ``variable``, ``value``, ``unit``); only the ``mm`` rows are read.

    Returns
    -------
    DataFrame or None
        One row per unit and whole year (columns of :func:`trend_columns`), sorted by unit
        and year; None for a climatology (no year in the table). A unit without a whole
        year has no rows. An anomaly in % is empty when the unit's mean is 0.
    """
    if monthly["year"].isna().all():
        return None
    rows = monthly[(monthly["unit"] == "mm") & monthly["variable"].isin(TREND_VARIABLES)]
    rows = rows.dropna(subset=["year"])
    keys = ["unit_id", "year"]
    months = rows[rows["variable"] == "rain"].groupby(keys)["month"].nunique()
    whole = months[months == MONTHS_PER_YEAR].index
    if whole.empty:
        kinds = {"unit_id": str, "year": int, "deficit_months": int, "dry_year": bool}
        return pd.DataFrame({c: pd.Series(dtype=kinds.get(c, float)) for c in trend_columns()})
    totals = rows.pivot_table(
        index=keys, columns="variable", values="value", aggfunc="sum", dropna=False
    )
    totals = totals.reindex(whole).reindex(columns=list(TREND_VARIABLES))
    deficit = rows[rows["variable"] == "deficit"]
    in_deficit = (deficit["value"] > DEFICIT_MONTH_MM).groupby([deficit[k] for k in keys]).sum()
    out = pd.DataFrame(index=whole)
    for v in TREND_VARIABLES:
        out[f"{v}_mm"] = totals[v].to_numpy(dtype=float)
    out["deficit_months"] = in_deficit.reindex(whole, fill_value=0).to_numpy(dtype=int)
    by_unit = out.groupby(level="unit_id")
    rain_low = by_unit["rain_mm"].transform(lambda s: np.percentile(s, DRY_PERCENTILE))
    out["dry_year"] = out["rain_mm"] < rain_low
    for v in TREND_VARIABLES:
        mean = by_unit[f"{v}_mm"].transform("mean")
        out[f"{v}_anomaly_mm"] = out[f"{v}_mm"] - mean
        out[f"{v}_anomaly_pct"] = 100.0 * out[f"{v}_anomaly_mm"] / mean.where(mean != 0)
    out = out.reset_index()
    out["year"] = out["year"].astype(int)
    floats = out.select_dtypes("float").columns
    out[floats] = out[floats].round(3)
    return out[trend_columns()].sort_values(keys, kind="stable").reset_index(drop=True)
