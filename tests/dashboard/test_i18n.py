"""Every UI string goes through the translator; French is complete for the page's text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.i18n import FRENCH, LANGUAGES, translator

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


def test_translator_falls_back_to_english() -> None:
    fr, en, xx = translator("fr"), translator("en"), translator("xx")
    assert fr("Rainfall month") == "Mois de la pluie"
    assert en("Rainfall month") == "Rainfall month" == xx("Rainfall month")
    assert fr("not a catalogue entry") == "not a catalogue entry"
    assert set(LANGUAGES) == {"en", "fr"}


def test_every_translated_literal_has_a_french_entry() -> None:
    """Literal texts passed to t(...) anywhere in the dashboard exist in the French catalogue."""
    missing = set()
    for path in DASHBOARD.glob("*.py"):
        for text in re.findall(r"""\bt\(\s*"([^"]+)"\s*\)""", path.read_text()):
            if text not in FRENCH:
                missing.add(text)
    assert not missing, sorted(missing)


@pytest.fixture(scope="module")
def processed(processed_demo: Path) -> Path:
    return processed_demo


def test_french_layout_and_profile(processed: Path) -> None:
    from dashboard.layout import build_layout
    from dashboard.map_views import choropleth_view, profile_view
    from dashboard.service import RegionService
    from dashboard.viewstate import ViewState

    service = RegionService(processed).prepare()
    page = str(build_layout(service, ViewState(lang="fr")))
    for text in (
        "DONNÉES SYNTHÉTIQUES",
        "Mois de la pluie",
        "Colorer les communautés selon",
        "Occupation du sol",
        "Bassins versants",
        "Sites de projet",
        "Rendement en eau (Budyko, contrôle InVEST) (mm/yr)",
    ):
        assert text in page, text
    for english in ("SYNTHETIC DATA", "Rainfall month", "Colour communities by"):
        assert english not in page, english
    _, legend = choropleth_view(service, "deficit", "fr")
    profile = profile_view(service, {"level": "communities", "id": "C010"}, "fr")
    assert "Déficit hydrique (ETP - ETR)" in str(legend)
    assert "Bilan hydrique mensuel" in str(profile) and "Totaux annuels" in str(profile)


def test_numbers_follow_the_languages_cldr_format() -> None:
    """CLDR's decimal pattern #,##0.### per locale (unicode.org/cldr, numbers.json)."""
    from dashboard.i18n import number, translator

    assert number(1234567.891, 2, translator("en")) == "1,234,567.89"
    assert number(1234567.891, 2, translator("fr")) == "1\u202f234\u202f567,89"
    assert number(-1168, 0, str) == "-1,168"
