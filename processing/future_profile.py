"""One community under a future-climate scenario: baseline, future and the GCMs' spread.

The figures of the community profile's "Future climate" section, of its Excel sheet and
of the brief: for rain, actual ET, runoff and recharge (mm/yr), the community's baseline,
its future (one GCM, or the median over an ensemble's GCMs) and an ensemble's spread (low
and high), read from the scenario's table (:mod:`processing.futures`), never recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from processing.scenario import Scenario, ScenarioResult

PROFILE_VARIABLES = ("rain", "aet", "runoff", "recharge")
FUTURE_SHEET = "future_climate"
SPREAD_NAMES = {
    "min-max": "minimum and maximum over the GCMs",
    "10-90": "10th and 90th percentiles over the GCMs",
}
# the sheet's columns: name, units, meaning (the exports' README sheet lists them)
FUTURE_COLUMNS = (
    ("variable", "", "rain, aet (actual ET), runoff or recharge"),
    ("baseline_mm_yr", "mm/yr", "the community's baseline (the scenario's own balance)"),
    ("future_mm_yr", "mm/yr", "under the future climate: one GCM, or the ensemble's median"),
    ("spread_low_mm_yr", "mm/yr", "the ensemble's spread, low end (empty for one GCM)"),
    ("spread_high_mm_yr", "mm/yr", "the ensemble's spread, high end (empty for one GCM)"),
    ("future_climate", "", "the future climate: 'GCM ssp period' or 'ensemble ssp period'"),
    ("gcms", "", "the GCMs of the ensemble (for one GCM: the label, which names it)"),
    (
        "spread",
        "",
        "; ".join(f"{k}: {v}" for k, v in SPREAD_NAMES.items()) + " (empty for one GCM)",
    ),
    ("scenario", "", "the scenario's name"),
)
FUTURE_METHOD = (
    "delta method on the region's climate, the community balance run per GCM; an ensemble's"
    " median and spread over the GCMs' results (README, [[futures]])"
)


@dataclass(frozen=True)
class CommunityFuture:
    """A community's figures under a future-climate scenario.

    Attributes
    ----------
    community_id : str
    label : str
        The future climate (``"GCM ssp period"`` or ``"ensemble ssp period"``).
    scenario : str
        The scenario's name.
    gcms : tuple of str
        The ensemble's GCMs; empty for one GCM (the label names it).
    spread : str
        ``"min-max"`` or ``"10-90"`` for an ensemble; ``""`` for one GCM.
    table : pandas.DataFrame
        One row per variable of :data:`PROFILE_VARIABLES`: ``variable``,
        ``baseline_mm_yr``, ``future_mm_yr``, ``spread_low_mm_yr``, ``spread_high_mm_yr``
        (NaN for one GCM).
    """

    community_id: str
    label: str
    scenario: str
    gcms: tuple[str, ...]
    spread: str
    table: pd.DataFrame

    @property
    def ensemble(self) -> bool:
        """Whether the future is an ensemble's median (with a spread)."""
        return bool(self.gcms)


def community_future(
    sc: Scenario, result: ScenarioResult, community_id: str
) -> CommunityFuture | None:
    """The community's figures in the scenario's result (None: no future, or not there)."""
    if not sc.future:
        return None
    table = result.table
    rows = table[table["id"].astype(str) == str(community_id)]
    if rows.empty:
        return None
    r = rows.iloc[0]
    ensemble = bool(result.members)

    def value(column: str) -> float:
        return float(r[column]) if column in r.index else float("nan")

    data = pd.DataFrame(
        {
            "variable": list(PROFILE_VARIABLES),
            "baseline_mm_yr": [value(f"{v}_base_mm_yr") for v in PROFILE_VARIABLES],
            "future_mm_yr": [value(f"{v}_scen_mm_yr") for v in PROFILE_VARIABLES],
            "spread_low_mm_yr": [
                value(f"{v}_scen_lo_mm_yr") if ensemble else np.nan for v in PROFILE_VARIABLES
            ],
            "spread_high_mm_yr": [
                value(f"{v}_scen_hi_mm_yr") if ensemble else np.nan for v in PROFILE_VARIABLES
            ],
        }
    )
    return CommunityFuture(
        community_id=str(community_id),
        label=sc.future,
        scenario=sc.name,
        gcms=tuple(result.members),
        spread=sc.future_spread if ensemble else "",
        table=data,
    )


def future_sheet(future: CommunityFuture) -> pd.DataFrame:
    """The Excel sheet: the table, with the future, its GCMs, spread and scenario named."""
    return future.table.assign(
        future_climate=future.label,
        gcms=", ".join(future.gcms) or future.label,
        spread=future.spread,
        scenario=future.scenario,
    )


def future_readme_rows(future: CommunityFuture) -> list[tuple[str, str, str, str, str]]:
    """Rows of the exports' README sheet (item, value, units, method, licence) on the sheet."""
    head = ("future climate", f"{future.label} (scenario {future.scenario})", "", FUTURE_METHOD, "")
    return [head, *((f"{FUTURE_SHEET} column {c}", m, u, "", "") for c, u, m in FUTURE_COLUMNS)]
