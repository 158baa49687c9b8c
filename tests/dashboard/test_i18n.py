"""Every UI string goes through the translator; each language is complete for the page's text."""

from __future__ import annotations

import re
from dataclasses import astuple
from pathlib import Path

import pytest

from dashboard.i18n import (
    CATALOGUES,
    FRENCH,
    LANGUAGES,
    NUMBER_MARKS,
    TRANSLATIONS,
    UNITS,
    translator,
    unit,
)
from processing.glossary import glossary

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


def test_translator_falls_back_to_english() -> None:
    fr, en, xx = translator("fr"), translator("en"), translator("xx")
    assert fr("Rainfall month") == "Mois de la pluie"
    assert en("Rainfall month") == "Rainfall month" == xx("Rainfall month")
    assert fr("not a catalogue entry") == "not a catalogue entry"
    assert list(LANGUAGES) == ["en", "fr", "es", "sw"]
    assert list(LANGUAGES.values()) == ["English", "Français", "Español", "Kiswahili"]
    assert translator("es")("Rainfall month") == "Mes de la lluvia"
    assert translator("sw")("Rainfall month") == "Mwezi wa mvua"


# what a translation must carry over unchanged: format fields, printf fields, code spans,
# numbers and SI units
KEPT = re.compile(r"\{[^}]*\}|%[sd]|`[^`]+`|\d+(?:\.\d+)?|m³|°C|\(%\)|\(m\)|\(ha\)")


def _kept(text: str, decimal: str = ".") -> list[str]:
    """What ``text`` must carry over, its numbers read with the ``decimal`` mark."""
    return sorted(KEPT.findall(re.sub(rf"(?<=\d){re.escape(decimal)}(?=\d)", ".", text)))


@pytest.mark.parametrize("lang", sorted(TRANSLATIONS))
def test_every_language_translates_what_french_does(lang: str) -> None:
    """Same keys as French; fields, numbers and units as in the English id, in its decimal mark."""
    catalogue = TRANSLATIONS[lang].CATALOGUE
    assert set(catalogue) == set(FRENCH)
    decimal = NUMBER_MARKS[lang][1]
    wrong = {k: v for k, v in catalogue.items() if _kept(v, decimal) != _kept(k)}
    assert not wrong, wrong
    untranslated = [k for k, v in catalogue.items() if not v.strip()]
    assert not untranslated, untranslated
    # every English id is a format string its translation fills the same way
    fields = {"mb": 5, "n": 3, "m": 1500.0, "found": 2, "asked": 9, "limits": "L", "listed": 1}
    fields |= {"max": 4, "kind": "K", "low": 0, "high": 1, "missing": "A", "other": "B"}
    fields |= {"s1": "0.75", "s2": "0.5", "s3": "0.25"}
    fields |= {"k": 2, "share": "80 %", "draws": 500, "c": "50", "name": "X", "p": "90 %"}
    fields |= {"cost": "1", "currency": "USD", "size": "", "unit": "ha", "fixed": "2", "gap": "1"}
    fields |= {"budget": "3", "cheapest": "4", "value": "5", "share_pct": 6, "known": "a, b"}
    fields |= {"text": "typed", "name": "a.zip", "found": 2, "size_mb": "6", "limit_mb": 5}
    fields |= {"size": "7", "limit": "8", "suffix": ".txt", "kind": "KML", "vertices": "9"}
    fields |= {"status": "HTTP 500", "id": "C999", "label": "L", "fix": "F"}
    fields |= {"lat": "-1.5", "lon": "37.3", "moved": "9", "radius": "150", "max_m": "5,000"}
    fields |= {"area": "1.2", "min_ha": "5", "moved_m": "140", "cells": 3}
    fields |= {"ha": "12.5 ha", "code": "U+202E", "reason": "R"}
    fields |= {"gcms": "A, B", "spread": "min-max", "rain": "R", "warming": "W"}
    fields |= {"row": 3, "column": "date", "message": "M", "fix": "F", "rows": 9}
    fields |= {"part": 4, "households": 2, "site": "S1", "date": "2025-01-02", "columns": "a"}
    for english, text in catalogue.items():
        if "{" in english:
            assert text.format(**fields)


@pytest.mark.parametrize("lang", sorted(TRANSLATIONS))
def test_every_language_has_the_whole_glossary(lang: str) -> None:
    """Every glossary entry, with the English text's numbers (in the language's decimal mark)."""
    module = TRANSLATIONS[lang]
    assert set(module.GLOSSARY) == {e.key for e in glossary()}
    decimal = NUMBER_MARKS[lang][1]
    for entry in glossary():
        translated = module.GLOSSARY[entry.key]
        assert translated[1] != entry.means
        for english, text in zip((entry.label, entry.means, entry.use), translated, strict=True):
            assert english in CATALOGUES[lang]
            numbers = re.findall(r"\d+(?:[.,]\d+)?", text)
            assert sorted(n.replace(decimal, ".") for n in numbers) == sorted(
                re.findall(r"\d+(?:\.\d+)?", english)
            ), (lang, entry.key, text)


def test_each_language_module_declares_itself() -> None:
    for code, module in TRANSLATIONS.items():
        assert isinstance(module.NAME, str) and LANGUAGES[code] == module.NAME
        thousands, decimal = module.NUMBER_MARKS
        assert thousands != decimal and len(decimal) == 1


# the symbols of a unit label, the same in every language (SI symbols, CO₂, numbers)
SYMBOLS = re.compile(r"\bmm\b|m³|km²|\bha\b|\bt\b|CO₂|%|\d+(?:\.\d+)?")
# English words of time rates, which every language words its own way
ENGLISH_RATE = re.compile(r"\b(?:yr|years?|months?)\b")


@pytest.mark.parametrize("lang", sorted(TRANSLATIONS))
def test_every_language_labels_the_same_units(lang: str) -> None:
    """Same units as French; symbols kept, time rates in the language's words."""
    labels = TRANSLATIONS[lang].UNITS
    assert set(labels) == set(UNITS["fr"])
    assert {"mm/yr", "mm/month", "m³/yr", "months/yr"} <= set(labels)
    for english, label in labels.items():
        assert SYMBOLS.findall(label) == SYMBOLS.findall(english), (lang, english, label)
        if ENGLISH_RATE.search(english):
            assert not ENGLISH_RATE.search(label), (lang, english, label)
            assert label != english


def test_unit_labels_by_language() -> None:
    """Unit labels as each language writes them; symbols and unknown units unchanged."""
    assert [unit("mm/yr", translator(c)) for c in LANGUAGES] == [
        "mm/yr",
        "mm/an",
        "mm/año",
        "mm/mwaka",
    ]
    assert unit("m³/month", translator("es")) == "m³/mes"
    assert unit("months/yr", translator("fr")) == "mois/an"
    for symbol in ("mm", "ha", "%", "m³/s", "degC"):
        assert unit(symbol, translator("sw")) == symbol
    assert unit("mm/yr") == "mm/yr"  # a plain function is English


@pytest.mark.parametrize("lang", sorted(TRANSLATIONS))
def test_no_translation_names_a_unit_in_english(lang: str) -> None:
    """A sentence naming a unit reads its label from the language's units (mm/an, not mm/yr)."""
    english_only = [k for k, v in UNITS[lang].items() if k != v]
    pattern = re.compile("|".join(rf"(?<![\w/-]){re.escape(k)}(?![\w/])" for k in english_only))
    texts = [*CATALOGUES[lang].values()]
    wrong = [text for text in texts if pattern.search(text)]
    assert not wrong, wrong


def test_suitability_note_reads_the_kernels_class_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The note states CLASS_LIMITS in each language's number format, whatever they are."""
    from dashboard import layer_info
    from dashboard.layer_info import SUITABILITY, note_info
    from processing.kernels.suitability import CLASS_LIMITS

    def text(lang: str) -> str:
        return str(note_info("suit", SUITABILITY, translator(lang)))

    assert CLASS_LIMITS == {"S1": 0.75, "S2": 0.5, "S3": 0.25}  # FAO S1/S2/S3 of the kernel
    assert (
        "0.75 or more is highly suitable (S1), 0.5 to 0.75 suitable (S2), 0.25 to 0.5 marginal "
        "(S3), below 0.25 not suitable (N)."
    ) in text("en")
    assert "0,75 ou plus : très apte (S1) ; de 0,5 à 0,75" in text("fr")
    assert "menos de 0,25, no apto (N)" in text("es")
    assert "0.5 hadi 0.75 inafaa (S2)" in text("sw")
    monkeypatch.setattr(layer_info, "CLASS_LIMITS", {"S1": 0.8, "S2": 0.55, "S3": 0.3})
    assert "0.8 or more is highly suitable (S1), 0.55 to 0.8 suitable (S2)" in text("en")
    assert "moins de 0,3 : inapte (N)" in text("fr")
    for lang in LANGUAGES:
        assert not re.search(r"0[.,](?:75|25)\b", text(lang)), lang


def test_every_translated_literal_has_a_french_entry() -> None:
    """Literal texts passed to t(...) anywhere in the dashboard exist in the French catalogue."""
    missing = set()
    for path in DASHBOARD.glob("*.py"):
        for pair in re.findall(r"""\bt\(\s*(?:"([^"]+)"|'([^']+)')\s*\)""", path.read_text()):
            text = pair[0] or pair[1]
            if text not in FRENCH:
                missing.add(text)
    assert not missing, sorted(missing)


@pytest.mark.parametrize("lang", sorted(TRANSLATIONS))
def test_every_layer_note_is_translated(lang: str) -> None:
    """Each layer note's label, units, meaning and use, and each layer with a note, by name.

    Units are labels of the language's units (those without a word, ``%``, are the same in
    every language).
    """
    from dashboard.layer_info import INPUT_ROLES, NOTES, SUITABILITY

    notes = (SUITABILITY, *NOTES.values())
    texts = {text for note in notes for text in astuple(note) if text != note.units}
    texts = {text for text in texts | set(INPUT_ROLES) if re.search(r"[^\W\d_]", text)}
    missing = sorted(texts - set(CATALOGUES[lang]))
    assert not missing, missing
    units = {note.units for note in notes if re.search(r"[^\W\d_]", note.units)}
    assert units and not units - set(UNITS[lang]), units - set(UNITS[lang])


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
        "Rendement en eau (Budyko, contrôle InVEST) (mm/an)",
    ):
        assert text in page, text
    for english in ("SYNTHETIC DATA", "Rainfall month", "Colour communities by"):
        assert english not in page, english
    _, legend = choropleth_view(service, "deficit", "fr")
    profile = profile_view(service, {"level": "communities", "id": "C010"}, "fr")
    assert "Déficit hydrique (ETP - ETR)" in str(legend)
    assert "Bilan hydrique mensuel" in str(profile) and "Totaux annuels" in str(profile)
    # a link naming a unit the region lacks says so (as text), in the language
    unknown = profile_view(service, {"level": "communities", "id": "<b>C999</b>"}, "fr")
    assert unknown is not None and getattr(unknown, "role", None) == "alert"
    assert unknown.children == (
        "Aucune communauté ni aucun bassin « <b>C999</b> » dans cette région ; cliquez-en un "
        "sur la carte ou cherchez-le."
    )


@pytest.mark.parametrize(
    ("lang", "year", "month"), [("fr", "mm/an", "mm/mois"), ("es", "mm/año", "mm/mes")]
)
def test_legend_and_profile_show_units_in_the_language(
    processed: Path, lang: str, year: str, month: str
) -> None:
    """The legend, its "i", the profile's table and chart: no English unit word left."""
    import json

    from dashboard.map_views import choropleth_view, profile_view
    from dashboard.service import RegionService

    service = RegionService(processed).prepare()
    _, legend = choropleth_view(service, "deficit", lang)
    text = str(legend)
    assert text.count(year) >= 5  # one per class, and the "i"
    assert not ENGLISH_RATE.search(text), text
    profile = profile_view(service, {"level": "communities", "id": "C010"}, lang)
    shown = str(profile)
    assert year in shown and f"m³/{year.split('/')[1]}" in shown  # annual table head
    figure = json.dumps([c.figure for c in _graphs(profile)], default=str)
    assert month in figure and "mm/month" not in figure  # axis title and hovers


def _graphs(component: object) -> list[object]:
    """Every dcc.Graph inside a Dash component tree."""
    from dash import dcc

    found = [component] if isinstance(component, dcc.Graph) else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found += _graphs(child)
    return found


def test_numbers_follow_the_languages_cldr_format() -> None:
    """CLDR's decimal pattern #,##0.### per locale (unicode.org/cldr, numbers.json)."""
    from dashboard.i18n import number, plotly_separators, translator

    assert number(1234567.891, 2, translator("en")) == "1,234,567.89"
    assert number(1234567.891, 2, translator("fr")) == "1\u202f234\u202f567,89"
    assert number(-1168, 0, str) == "-1,168"
    assert number(1274.5, 1, translator("es")) == "1.274,5"
    assert number(1274.5, 1, translator("sw")) == "1,274.5"
    assert number(-1234567.891, 2, translator("es")) == "-1.234.567,89"
    # plotly's layout.separators: the decimal mark, then the thousands separator
    assert plotly_separators(translator("es")) == ",."
    assert plotly_separators(translator("sw")) == ".,"
    # CLDR's percent pattern: "#,##0 %" with a narrow no-break space in French, a no-break
    # space in Spanish, none in English and Swahili
    from dashboard.i18n import percent

    assert [percent(0.8, 0, translator(c)) for c in ("en", "fr", "es", "sw")] == [
        "80%",
        "80\u202f%",
        "80\u00a0%",
        "80%",
    ]
    assert percent(0.125, 1, translator("fr")) == "12,5\u202f%"


@pytest.mark.parametrize(
    ("lang", "texts", "thousands"),
    [
        (
            "es",
            ("DATOS SINTÉTICOS", "Mes de la lluvia", "Uso del suelo", "Cuencas", "Bosque"),
            r"\d\.\d{3}\b",
        ),
        (
            "sw",
            ("DATA ZA KUBUNI", "Mwezi wa mvua", "Matumizi ya ardhi", "Mabonde ya mito", "Msitu"),
            r"\d,\d{3}\b",
        ),
    ],
)
def test_spanish_and_swahili_layout_and_profile(
    processed: Path, tmp_path: Path, lang: str, texts: tuple[str, ...], thousands: str
) -> None:
    """Labels, the demo's class and intervention names (its name_es / name_sw) and numbers."""
    from dashboard.designer_layout import designer_section
    from dashboard.designer_service import DesignerService
    from dashboard.layout import build_layout
    from dashboard.map_views import profile_view
    from dashboard.service import RegionService
    from dashboard.viewstate import ViewState

    ponds = {"es": "Reservorios / cochas", "sw": "Mabwawa ya shambani / malambo"}[lang]
    service = RegionService(processed).prepare()
    page = str(build_layout(service, ViewState(lang=lang, indicator="suit_farm_ponds")))
    unit = {"es": "Comunidad: ", "sw": "Jamii: "}[lang]  # the unit search's entries
    for text in (*texts, ponds, unit):
        assert text in page, text
    for english in ("SYNTHETIC DATA", "Rainfall month", "Farm ponds / water pans", "'Forest'"):
        assert english not in page, english
    profile = str(profile_view(service, {"level": "communities", "id": "C010"}, lang))
    assert ponds in profile and "Farm ponds" not in profile
    cropland = {"es": "Cultivos", "sw": "Mashamba ya mazao"}[lang]
    assert cropland in profile and "Cropland" not in profile  # the land-use mix
    assert re.search(thousands, profile)  # the unit's area in hectares
    designer = DesignerService(service, f"sqlite:///{tmp_path / 'ws.sqlite'}")
    dams = {"es": "Represas de arena", "sw": "Mabwawa ya mchanga"}[lang]
    workbench = str(designer_section(designer, translator(lang)))
    assert dams in workbench and "Sand dams" not in workbench
    assert cropland in workbench and "'Cropland'" not in workbench  # land-use dropdowns


def test_month_initials_follow_the_language() -> None:
    """The month slider's marks: Spanish months start with E (enero), the others with J."""
    from dashboard.layout import month_marks

    initials = {
        lang: "".join(str(v) for k, v in month_marks(translator(lang)).items() if k)
        for lang in LANGUAGES
    }
    assert initials == {
        "en": "JFMAMJJASOND",
        "fr": "JFMAMJJASOND",
        "es": "EFMAMJJASOND",
        "sw": "JFMAMJJASOND",
    }


def test_upload_problems_in_the_language() -> None:
    """An upload's problem reads in the page's language, numbers in its format."""
    from dashboard.area_callbacks import upload_message
    from layers.upload import UploadError, read_area_upload

    french, english = translator("fr"), translator("en")
    with pytest.raises(UploadError) as kind:
        read_area_upload("notes.txt", b"hello")
    assert upload_message(kind.value, english) == str(kind.value)
    assert upload_message(kind.value, french) == (
        "notes.txt : type de fichier non pris en charge « .txt » ; téléversez du GeoJSON, du "
        "GeoPackage, du KML ou un shapefile zippé"
    )
    with pytest.raises(UploadError) as size:
        read_area_upload("big.geojson", b" " * (6 * 2**20))
    assert "6.0 MB is over the 5 MB limit" in upload_message(size.value, english)
    assert "big.geojson : 6,0 Mo dépasse la limite de 5 Mo" in upload_message(size.value, french)
    with pytest.raises(UploadError) as empty:
        read_area_upload("area.geojson", b'{"type": "FeatureCollection", "features": []}')
    assert upload_message(empty.value, translator("es")).startswith("area.geojson: no se ")
    outside = ValueError("the area lies outside the region; draw it over the region's map")
    assert upload_message(outside, translator("sw")).startswith("eneo liko nje")
