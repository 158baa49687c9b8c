"""The scenario's future suitability tables: spread and agreement only for an ensemble, the
crop's months and numbers in the page's language."""

from __future__ import annotations

import numpy as np

from dashboard.future_suitability_view import future_suitability_panel
from dashboard.i18n import translator
from processing.crops import BUILTIN_CROPS
from processing.future_suitability import (
    ALL_SELECTED,
    ClimateSuitability,
    FutureEffects,
    crop_table,
    intervention_table,
)


def _texts(node: object) -> list[str]:
    """Every string under a Dash component, depth first."""
    if isinstance(node, str):
        return [node]
    children = getattr(node, "children", None)
    if children is None:
        return []
    if not isinstance(children, list | tuple):
        children = [children]
    return [s for c in children for s in _texts(c)]


def _sums(ha: float, best: int) -> ClimateSuitability:
    months = np.full((1, 12, 1), 10.0)
    months[0, best - 1, 0] = 30.0  # 0.75 of 40 cells in the best month, 0.25 in the others
    return ClimateSuitability(
        suitable_ha=np.array([[ha]]),
        scored_ha=np.array([[2000.0]]),
        score_ha=np.array([[ha / 2]]),
        crop_count=np.array([[40.0]]),
        crop_months=months,
        crop_potential=np.array([[ha / 100]]),
    )


def _effects(gcms: list[ClimateSuitability], names: tuple[str, ...]) -> FutureEffects:
    base = _sums(1200.0, 10)
    crops = [c for c in BUILTIN_CROPS if c.id == "maize"]
    ivs = intervention_table(base, gcms, ["ponds"], [ALL_SELECTED])
    crop = crop_table(base, gcms, crops, [ALL_SELECTED])
    return FutureEffects("x", names, "min-max", ivs, crop, ivs, crop, ("C1", "C2"))


def test_an_ensemble_shows_its_spread_and_how_many_gcms_agree_in_french() -> None:
    fx = _effects([_sums(1000.0, 3), _sums(1500.0, 10), _sums(1800.0, 10)], ("A", "B", "C"))
    texts = _texts(future_suitability_panel(fx, translator("fr"), {"ponds": "Mares"}))
    row = ["Mares", "1\u202f200", "1\u202f500", "1\u202f000 – 1\u202f800"]  # CLDR's narrow space
    assert texts[texts.index("Mares") :][:4] == row
    assert "oct. → oct." in texts and "2/3" in texts  # two of three GCMs plant in October
    assert "Dispersion des GCM" in texts and "GCM d'accord" in texts


def test_one_gcm_has_no_spread_column() -> None:
    fx = _effects([_sums(900.0, 3)], ("A",))
    texts = _texts(future_suitability_panel(fx, translator("en")))
    assert "GCM spread" not in texts and "GCMs agreeing" not in texts
    assert "Oct → Mar" in texts and "One GCM." in texts
