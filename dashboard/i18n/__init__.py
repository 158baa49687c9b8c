"""UI text in English, French, Spanish and Swahili, gettext style: the English text is the id.

Every user-facing string of the dashboard goes through a translator from :func:`translator`;
a string missing from a catalogue falls back to English. Each language other than English is
one module of this package holding

- ``NAME``: the language's name in itself, shown in the language selector;
- ``NUMBER_MARKS``: its thousands separator and decimal mark (CLDR);
- ``PERCENT_SIGN``: the percent sign as it follows a number (CLDR: "80 %" in French);
- ``COLON``: the colon as it follows a label ("Sources :" in French);
- ``UNITS``: the label of each unit the dashboard shows, English label -> this language's
  (the one place a unit is named: catalogue sentences that name a unit read it from here);
  symbols written alike in every language (mm, m³, ha, km², %) are not listed;
- ``CATALOGUE``: English UI text -> translation, with the same keys as French's;
- ``GLOSSARY``: the water glossary's translations, keyed by glossary entry of
  :mod:`processing.glossary` (label, what it means, what to use it for).

Add a language by adding its module and one entry to ``TRANSLATIONS``; a region's class
tables may carry the class names in it (a ``name_<code>`` column).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import ModuleType

from dashboard.i18n import es, fr, sw
from processing.glossary import glossary

Translate = Callable[[str], str]

# the languages besides English, in the selector's order
TRANSLATIONS: dict[str, ModuleType] = {"fr": fr, "es": es, "sw": sw}

LANGUAGES: dict[str, str] = {"en": "English"} | {c: m.NAME for c, m in TRANSLATIONS.items()}

# thousands separator and decimal mark per language
NUMBER_MARKS: dict[str, tuple[str, str]] = {"en": (",", ".")} | {
    c: m.NUMBER_MARKS for c, m in TRANSLATIONS.items()
}

# the percent sign after a number, with the space before it where the language puts one
PERCENT_SIGNS: dict[str, str] = {"en": "%"} | {c: m.PERCENT_SIGN for c, m in TRANSLATIONS.items()}

# the colon after a label, with the space before it where the language puts one
COLONS: dict[str, str] = {"en": ":"} | {c: m.COLON for c, m in TRANSLATIONS.items()}

# English unit label -> its label per language (English: the label itself)
UNITS: dict[str, dict[str, str]] = {"en": {}} | {c: m.UNITS for c, m in TRANSLATIONS.items()}

FRENCH: dict[str, str] = fr.CATALOGUE
GLOSSARY_FRENCH: dict[str, tuple[str, str, str]] = fr.GLOSSARY


def glossary_catalogue(translations: Mapping[str, tuple[str, str, str]]) -> dict[str, str]:
    """English glossary text -> its translation, from translations keyed by glossary entry."""
    out = {}
    for entry in glossary():
        if entry.key in translations:
            label, means, use = translations[entry.key]
            out.update({entry.label: label, entry.means: means, entry.use: use})
    return out


CATALOGUES: dict[str, dict[str, str]] = {"en": {}} | {
    c: {**m.CATALOGUE, **glossary_catalogue(m.GLOSSARY)} for c, m in TRANSLATIONS.items()
}


class Translator:
    """Translates English UI text into one language; knows that language's number format."""

    def __init__(self, lang: str | None) -> None:
        self.lang = lang if lang in CATALOGUES else "en"
        self._catalogue = CATALOGUES[self.lang]

    def __call__(self, text: str) -> str:
        """``text`` in this language (the English text when the catalogue lacks it)."""
        return self._catalogue.get(text, text)


def translator(lang: str | None) -> Translate:
    """A function translating English UI text into ``lang`` (English for unknown codes)."""
    return Translator(lang)


def language_of(t: Translate) -> str:
    """The language code of a translator (English for plain functions such as ``str``)."""
    return getattr(t, "lang", "en")


def unit(units: str, t: Translate = str) -> str:
    """``units`` as ``t``'s language writes them ("mm/yr" is "mm/an" in French).

    Units no language lists (symbols such as mm, m³ or %, and the region's own) come back
    unchanged.
    """
    return UNITS.get(language_of(t), {}).get(units, units)


def number(value: float, digits: int = 0, t: Translate = str) -> str:
    """``value`` with ``digits`` decimals as ``t``'s language writes it (1,168.5 / 1 168,5)."""
    thousands, decimal = NUMBER_MARKS.get(language_of(t), NUMBER_MARKS["en"])
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def percent(share: float, digits: int = 0, t: Translate = str) -> str:
    """``share`` (0..1) as a percentage in ``t``'s language ("80%", "80 %" in French)."""
    lang = language_of(t)
    return number(100 * share, digits, t) + PERCENT_SIGNS.get(lang, PERCENT_SIGNS["en"])


def labelled(label: str, text: str, t: Translate = str) -> str:
    """``label: text`` with the colon as ``t``'s language writes it ("Sources : ..." in French).

    ``label`` is given translated already.
    """
    return f"{label}{COLONS.get(language_of(t), COLONS['en'])} {text}"


def plotly_separators(t: Translate) -> str:
    """Plotly's ``layout.separators`` (decimal mark, then thousands) for ``t``'s language."""
    thousands, decimal = NUMBER_MARKS.get(language_of(t), NUMBER_MARKS["en"])
    return decimal + thousands


def grid_number(digits: int, t: Translate, style: str = "decimal") -> dict[str, str]:
    """An AG Grid ``valueFormatter``: numbers in ``t``'s language, ``digits`` decimals.

    ``style`` ``"percent"`` shows a share (0..1) as a percentage; a missing value is "…".
    """
    options = (
        f"{{style: '{style}', minimumFractionDigits: {digits}, maximumFractionDigits: {digits}}}"
    )
    return {
        "function": f"params.value == null ? '…' : "
        f"params.value.toLocaleString('{language_of(t)}', {options})"
    }
