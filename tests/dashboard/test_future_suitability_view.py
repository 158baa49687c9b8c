"""The scenario's future suitability tables: spread and agreement only for an ensemble, the
crop's months and numbers in the page's language."""

from __future__ import annotations

from dashboard.future_suitability_view import future_suitability_panel
from dashboard.i18n import translator
from tests.dash_texts import component_texts
from tests.future_fakes import fake_effects


def test_an_ensemble_shows_its_spread_and_how_many_gcms_agree_in_french() -> None:
    fx = fake_effects(["C1"])
    texts = component_texts(future_suitability_panel(fx, translator("fr"), {"ponds": "Mares"}))
    row = ["Mares", "1\u202f200", "1\u202f500", "1\u202f000 – 1\u202f800"]  # CLDR's narrow space
    assert texts[texts.index("Mares") :][:4] == row
    assert "oct. → oct." in texts and "2/3" in texts  # two of three GCMs plant in October
    assert texts[texts.index("oct. → oct.") + 1] == "2/3"  # the agreement under the months
    assert "Dispersion des GCM" in texts and "GCM d'accord" in texts


def test_one_gcm_has_no_spread_column() -> None:
    fx = fake_effects(["C1"], [("A", 900.0, 3)])
    texts = component_texts(future_suitability_panel(fx, translator("en")))
    assert "GCM spread" not in texts and "GCMs agreeing" not in texts
    assert "Oct → Mar" in texts and "One GCM." in texts
