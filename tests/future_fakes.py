"""Hand-made future effects for the tests of what shows and exports them (no climate run).

Per community ``k`` (0, 1, ...) and climate, the suitable hectares are ``ha x (k + 1)``
over 2,000 ha scored, and one crop (maize) scores 0.75 in its best planting month and 0.25
in the others; the tables then come from the real aggregation
(:func:`processing.future_suitability.effects_of`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from processing.crops import BUILTIN_CROPS
from processing.future_grid import ClimateSuitability
from processing.future_suitability import FutureEffects, effects_of

BASE_HA, BASE_MONTH = 1200.0, 10  # the baseline: 1,200 ha per unit step, planting in October
GCMS = (("A", 1000.0, 3), ("B", 1500.0, 10), ("C", 1800.0, 10))  # name, ha, best month


def climate_sums(ha: float, best: int, n: int) -> ClimateSuitability:
    """One climate's sums over ``n`` units (one intervention, one crop)."""
    scale = np.arange(1, n + 1, dtype=float)
    months = np.full((1, 12, n), 10.0)
    months[0, best - 1, :] = 30.0  # of 40 cells: 0.75 in the best month, 0.25 in the others
    return ClimateSuitability(
        suitable_ha=ha * scale[None],
        scored_ha=np.full((1, n), 2000.0),
        score_ha=ha * scale[None] / 2,
        crop_count=np.full((1, n), 40.0),
        crop_months=months,
        crop_potential=np.full((1, n), ha / 100),
    )


def fake_effects(
    unit_ids: Sequence[str],
    gcms: Sequence[tuple[str, float, int]] = GCMS,
    future: str = "x",
    spread: str = "min-max",
) -> FutureEffects:
    """Effects of ``gcms`` (name, hectares, best month) for ``unit_ids`` (intervention "ponds")."""
    n = len(unit_ids)
    maize = [c for c in BUILTIN_CROPS if c.id == "maize"]
    return effects_of(
        future,
        tuple(g[0] for g in gcms),
        climate_sums(BASE_HA, BASE_MONTH, n),
        [climate_sums(ha, best, n) for _, ha, best in gcms],
        (["ponds"], maize, list(unit_ids)),
        unit_ids,
        spread,
    )
