"""Issue 19: the four languages keep the whole view when switched (EN -> ES -> SW -> FR -> EN).

Each switch reloads the page in the new language; layers (the demo's farm-pond suitability
among them), indicator, month, selection and map position must survive, the URL must keep
naming layers in English, and the page must show the language's text, class and
intervention names (the demo's name_<code>) and number format.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SERVER_WAIT_MS, wait_for_dash

pytestmark = pytest.mark.browser


class Language(NamedTuple):
    option: str  # the selector's label
    month: str  # "Rainfall month"
    rainfall: str
    land_use: str
    communities: str
    forest: str  # a land-use class (region table)
    ponds: str  # the farm-pond intervention (region.toml)
    deficit: str  # the indicator's legend
    profile: str  # "Monthly water balance"
    thousands: str  # a number of the annual table with a thousands separator
    per_year: str  # the unit of annual depths: the legend's and the annual table's
    per_month: str  # the unit of the monthly chart's axis
    water_pan: str  # a project-site type (the demo's water_pan)
    planned: str  # a project-site status
    roads: str  # the title of a layer in the sources table (the demo's "Main roads")
    no_match: str  # what the unit search says of a text matching no unit


LANGUAGES = {
    "en": Language(
        "English",
        "Rainfall month",
        "Rainfall",
        "Land use",
        "Communities",
        "Forest",
        "Farm ponds / water pans",
        "Water deficit",
        "Monthly water balance",
        r"\d,\d{3}",
        "mm/yr",
        "mm/month",
        "water pan",
        "planned",
        "Main roads",
        "No community or watershed matches 'qqq'.",
    ),
    "es": Language(
        "Español",
        "Mes de la lluvia",
        "Lluvia",
        "Uso del suelo",
        "Comunidades",
        "Bosque",
        "Reservorios / cochas",
        "Déficit hídrico",
        "Balance hídrico mensual",
        r"\d\.\d{3}",
        "mm/año",
        "mm/mes",
        "reservorio",
        "previsto",
        "Carreteras principales",
        "Ninguna comunidad ni cuenca coincide con «qqq».",
    ),
    "sw": Language(
        "Kiswahili",
        "Mwezi wa mvua",
        "Mvua",
        "Matumizi ya ardhi",
        "Jamii",
        "Msitu",
        "Mabwawa ya shambani / malambo",
        "Upungufu wa maji",
        "Mizania ya maji kwa mwezi",
        r"\d,\d{3}",
        "mm/mwaka",
        "mm/mwezi",
        "lambo",
        "imepangwa",
        "Barabara kuu",
        "Hakuna jamii wala bonde linalolingana na 'qqq'.",
    ),
    "fr": Language(
        "Français",
        "Mois de la pluie",
        "Pluie",
        "Occupation du sol",
        "Communautés",
        "Forêt",
        "Mares agricoles / bassins de collecte",
        "Déficit hydrique",
        "Bilan hydrique mensuel",
        r"\d\u202f\d{3}",
        "mm/an",
        "mm/mois",
        "mare",
        "prévu",
        "Routes principales",
        "Aucune communauté ni aucun bassin ne correspond à « qqq ».",
    ),
}
VIEW = {"z": "13", "ind": "deficit", "m": "3", "sel": "communities:C020"}

# English words of units (time rates, counts) that a translated page must not show
ENGLISH_UNIT = re.compile(r"\b(?:yr|years?|months?|class|people)\b")
LAYERS_JS = "(new URLSearchParams(location.search).get('layers') || '')"
OVERLAYS_JS = (
    "[...document.querySelectorAll('.leaflet-control-layers-overlays input')].map(i => i.checked)"
)


def _check_url(url: str) -> None:
    """The shared URL holds the view, layers named in English."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert {k: query.get(k) for k in VIEW} == VIEW, url
    assert abs(float(query["lat"]) + 1.38) < 1e-3 and abs(float(query["lon"]) - 37.30) < 1e-3
    layers = set(query["layers"].split("|"))
    assert {"Rainfall", "Land use", "Communities"} <= layers, url
    assert any(name.startswith("Suitability: Farm ponds") for name in layers), url


def _check_view(pg: Any, lang: Language, overlays: list[bool] | None = None) -> list[bool]:
    """The page shows ``lang`` and the view set at the start; with ``overlays`` (the states
    of the layer control's overlays in another language), as many overlays are on.

    Returns the overlays' states as shown.
    """
    pg.wait_for_selector(f"text={lang.month}", timeout=SERVER_WAIT_MS)
    pg.wait_for_selector("#profile-panel .profile-name", timeout=SERVER_WAIT_MS)
    expect(pg.locator("#profile-panel .profile-id")).to_have_text("C020")
    expect(pg.locator("#profile-panel")).to_contain_text(lang.profile)
    expect(pg.locator("#profile-panel .annual-table")).to_contain_text(re.compile(lang.thousands))
    expect(pg.get_by_label(lang.rainfall, exact=True)).to_be_checked()
    expect(pg.get_by_label(lang.land_use, exact=True)).to_be_checked()
    expect(pg.get_by_role("checkbox", name=lang.communities, exact=True)).to_be_checked()
    expect(pg.get_by_label(re.compile(re.escape(lang.ponds)))).to_be_checked()
    # the layers switched off stay off too: as many overlays on as in the first language
    shown = pg.evaluate(OVERLAYS_JS)
    assert overlays is None or shown.count(True) == overlays.count(True), (lang.option, shown)
    assert shown.count(False) >= 3  # the view leaves overlays off
    expect(pg.locator("#legend-land-use")).to_contain_text(lang.forest)
    expect(pg.locator("#choropleth-legend")).to_contain_text(lang.deficit)
    # units in the language: the legend's classes, the annual table, the chart's axis
    expect(pg.locator("#choropleth-legend .legend-row").first).to_contain_text(lang.per_year)
    expect(pg.locator("#profile-panel .annual-table thead")).to_contain_text(lang.per_year)
    expect(pg.locator("#profile-panel .js-plotly-plot .ytitle").first).to_have_text(lang.per_month)
    if lang.per_year != LANGUAGES["en"].per_year:
        # the legend and its hidden "i" text name no unit in English
        legend = pg.locator("#choropleth-legend").text_content() or ""
        assert not ENGLISH_UNIT.search(legend), legend
    # project sites: the types and statuses of the filters, and the popups the map loads
    expect(pg.locator("#site-types")).to_contain_text(lang.water_pan)
    expect(pg.locator("#site-status")).to_contain_text(lang.planned)
    sites_js = "performance.getEntriesByType('resource').map(e => e.name)"
    sites_js += ".filter(n => n.includes('/geo/sites.geojson'))"
    pg.wait_for_function(f"{sites_js}.length > 0", timeout=SERVER_WAIT_MS)
    popups = pg.evaluate(
        f"async () => {{ const u = {sites_js}.pop(); const r = await fetch(u);"
        " return (await r.json()).features.map(f => f.properties.popup).join(' '); }"
    )
    assert f": {lang.water_pan}<br>" in popups and f": {lang.planned}<br>" in popups
    # the layer sources table names the layers in the language, within the panel's width
    expect(pg.locator("#layer-info")).to_contain_text(lang.roads)
    # nothing scrolls sideways: the panel, nor the profile's tables (words kept whole)
    pg.wait_for_function(
        """() => [document.querySelector('#side-panel'),
                  ...document.querySelectorAll('#side-panel .table-scroll')]
            .every((e) => e.scrollWidth <= e.clientWidth)""",
        timeout=SERVER_WAIT_MS,
    )
    # the month slider's "Annual" mark: inside the panel, clear of January's
    annual, january = (
        pg.locator("#month-select .dash-slider-mark").nth(i).bounding_box() for i in (0, 1)
    )
    panel = pg.locator("#side-panel").bounding_box()
    assert panel["x"] <= annual["x"] and annual["x"] + annual["width"] <= january["x"]
    # a search matching no unit says so, the typed text in the message (as text)
    pg.locator("#unit-search").click()
    pg.locator(".dash-dropdown-content input.dash-dropdown-search").fill("qqq")
    expect(pg.locator(".dash-dropdown-content")).to_have_text(lang.no_match)
    pg.keyboard.press("Escape")
    expect(pg.locator(".dash-dropdown-content")).to_be_hidden()
    # the map: zoom 13 and March's rainfall band, drawn
    pg.wait_for_selector(
        "img.leaflet-tile-loaded[src*='/tiles/rainfall/13/'][src*='band=3']", timeout=SERVER_WAIT_MS
    )
    pg.wait_for_selector(
        "img.leaflet-tile-loaded[src*='/tiles/suitability_farm_ponds/13/']", timeout=SERVER_WAIT_MS
    )
    _check_url(pg.url)
    # a toggle in this language rewrites the URL from the layer control: in English names
    ponds = pg.get_by_label(re.compile(re.escape(lang.ponds)))
    ponds.uncheck()
    pg.wait_for_function(f"!{LAYERS_JS}.includes('Farm ponds')", timeout=SERVER_WAIT_MS)
    ponds.check()
    pg.wait_for_function(f"{LAYERS_JS}.includes('Suitability: Farm ponds')", timeout=SERVER_WAIT_MS)
    wait_for_dash(pg)  # every callback answered: nothing rewrites the URL after this
    _check_url(pg.url)
    return list(shown)


def test_four_languages_keep_the_view(browser: Any, server_url: str) -> None:
    ctx = browser.new_context(viewport={"width": 1100, "height": 800})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    view = "lat=-1.38000&lon=37.30000&z=13&ind=deficit&m=3&sel=communities:C020"
    pg.goto(f"{server_url}/?{view}&layers=Rainfall|Land use|Communities")
    pg.wait_for_selector("#profile-panel .profile-name", timeout=SERVER_WAIT_MS)
    pg.get_by_label(re.compile("Farm ponds")).check()
    pg.wait_for_function(f"{LAYERS_JS}.includes('Suitability: Farm ponds')", timeout=SERVER_WAIT_MS)
    overlays = _check_view(pg, LANGUAGES["en"])
    for code in ("es", "sw", "fr", "en"):
        pg.locator("#lang-select label", has_text=LANGUAGES[code].option).click()
        pg.wait_for_function(
            "code => (new URLSearchParams(location.search).get('lang') || 'en') === code",
            arg=code,
            timeout=SERVER_WAIT_MS,
        )
        _check_view(pg, LANGUAGES[code], overlays)
    assert errors == []
    ctx.close()
