"""The compare panel: an ensemble future's GCM spread beside its median, in the language."""

from __future__ import annotations

import pandas as pd

from dashboard.compare_view import result_panel
from dashboard.i18n import translator
from processing.compare import COMPARE_VARIABLES, DEFICIT_MONTHS, UnitState, compare_states
from tests.dash_texts import component_texts


def _state(label: str, mm: float, spread: tuple[float, float] | None) -> UnitState:
    ids = pd.Index(["U0", "U1"], name="id")
    values = pd.DataFrame({v: [mm, mm + 10] for v in COMPARE_VARIABLES}, index=ids)
    values[DEFICIT_MONTHS] = [1.0, 2.0]
    if spread is None:
        return UnitState(label, "year", values)
    lo, hi = spread
    cols = {f"{v}_{e}": [x, x + 10] for v in COMPARE_VARIABLES for e, x in (("lo", lo), ("hi", hi))}
    return UnitState(label, "year", values, pd.DataFrame(cols, index=ids), "min-max over A, B")


def test_the_panel_shows_the_gcm_spread_of_an_ensemble_future() -> None:
    area = pd.Series([1e6, 2e6], index=["U0", "U1"])
    cmp = compare_states(_state("Base", 100.0, None), _state("Future", 120.0, (90.0, 150.0)), area)
    fr = translator("fr")
    texts = component_texts(result_panel(cmp, "recharge", fr))
    assert "B Dispersion des GCM" in texts and "A Dispersion des GCM" not in texts
    assert "90,0 – 150,0" in texts and "100,0 – 160,0" in texts
    # the total row: the units' lows are not one GCM's, so the spread is not summed
    assert texts.count("–") == 1
    plain = component_texts(
        result_panel(
            compare_states(_state("Base", 100.0, None), _state("X", 1.0, None), area),
            "recharge",
            fr,
        )
    )
    assert not any("Dispersion" in s for s in plain)
    months = component_texts(result_panel(cmp, DEFICIT_MONTHS, fr))
    assert not any("Dispersion" in s for s in months)
