"""The "i" of every map layer and every indicator: what it shows, units, values, source.

Water figures read the glossary of :mod:`processing.glossary`; the layers and scores it
does not gloss (inputs, context layers, suitability) have their short text here. A layer's
source, licence and date come from ``region.toml`` (as in "Layers & details").

The layer list is Leaflet's own control, drawn in the browser: the page carries one hidden
disclosure per layer (named by its shown name), which ``assets/landwater.js`` copies beside
the layer's name in the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dash import html

from dashboard import ids, indicators
from dashboard.glossary_view import disclosure
from dashboard.i18n import Translate, number, unit
from dashboard.map_layout import (
    CONTEXT_OVERLAYS,
    DESIGN_OVERLAY,
    PORTFOLIO_OVERLAY,
    RAINFALL_OVERLAY,
    ROBUST_OVERLAY,
    SITES_OVERLAY,
    overlay_name,
)
from dashboard.service import LayerInfo, RegionService
from processing.glossary import find_term
from processing.kernels.suitability import CLASS_LIMITS
from processing.robustness import DEFAULT_DRAWS, ROBUST_SHARE


@dataclass(frozen=True)
class Note:
    """What a layer or a score means, in words: label, units, meaning, how to read it.

    ``units`` is a unit label of :data:`dashboard.i18n.UNITS` (or a symbol); ``use`` may
    name the suitability class limits as ``{s1}``, ``{s2}`` and ``{s3}`` (filled from
    :data:`processing.kernels.suitability.CLASS_LIMITS` in the reader's number format).
    """

    label: str
    units: str
    means: str
    use: str


SUITABILITY = Note(
    "Suitability",
    "score 0..1",
    "How well the land meets the intervention's criteria (slope, soil, water, distance to "
    "roads...), weighted as its profile says; excluded land scores 0.",
    "{s1} or more is highly suitable (S1), {s2} to {s1} suitable (S2), {s3} to {s2} marginal "
    "(S3), below {s3} not suitable (N).",
)
NOTES = {
    "land_use": Note(
        "Land use",
        "class",
        "The land cover of each cell (cropland, forest, grassland, towns...): it sets how much "
        "rain runs off and how much water the plants use.",
        "The colours are in the Land use legend of the side panel.",
    ),
    "rainfall": Note(
        "Rainfall",
        "mm/yr",
        "Rain of the average year, or of the month chosen with the Rainfall month slider (in "
        "mm/month).",
        "Below about 500 mm/yr rain-fed crops are at risk in most years; water harvesting "
        "pays most where rain is short or comes in a few storms.",
    ),
    "watersheds": Note(
        "Watersheds",
        "",
        "Areas draining to one outlet (blue dashed outlines): water harvested upstream is "
        "water missing downstream.",
        "Click one to read its water balance.",
    ),
    "communities": Note(
        "Communities",
        "",
        "The units every summary is made for, coloured by the indicator chosen under "
        "Colour communities by.",
        "Click one to read its water balance, land-use mix and suitability.",
    ),
    "project_sites": Note(
        "Project sites",
        "",
        "Existing and planned sites, coloured by type (the colours are in the Type filter).",
        "Click a site for its details; a cluster opens when clicked.",
    ),
    "roads": Note(
        "Roads",
        "",
        "The region's main roads.",
        "Distance to roads is a criterion of several interventions: machinery and produce "
        "travel by road.",
    ),
    "protected_areas": Note(
        "Protected areas",
        "",
        "Reserves and parks (green, dotted outline).",
        "Interventions are not proposed inside them unless a profile allows it.",
    ),
    "design": Note(
        "Suitability (designer weights)",
        "score 0..1",
        "The suitability of the designer's intervention with the weights set on this page.",
        SUITABILITY.use,
    ),
    "robust": Note(
        "Robust top N",
        "% of weight draws",
        f"A star on each community ranked in the top N (N is set under Ranking robustness) in "
        f"at least {ROBUST_SHARE:.0%} of {DEFAULT_DRAWS} draws of the criterion weights around "
        f"yours; its hover gives the share of draws. Computed from the designer's suitability "
        f"scores of the region's processed results.",
        "A star is a safe choice: the community stays among the best whatever the exact "
        "weights. A community high in the ranking without a star depends on the weights chosen.",
    ),
    "portfolio": Note(
        "Budget portfolio",
        "units per community",
        "The communities the budget funds, chosen for the most of the impact picked under "
        "Budget portfolio (water harvested, recharge gained, households reached or hectares "
        "S1+S2); each marker gives the units of the intervention funded there (sites, hectares "
        "or m³ of storage, as its cost says). Costs come from the intervention's cost in "
        "region.toml, impacts from the region's processed results.",
        "More impact for the same budget is better; the frontier chart shows what a larger or "
        "smaller budget would buy.",
    ),
    "crop": Note(
        "Crop suitability",
        "score 0..1",
        "How well temperature and rain suit the crop in its best planting month (FAO EcoCrop "
        "limits).",
        "1 is ideal; 0 means temperature or rain lies outside what the crop tolerates.",
    ),
    "lu_cropland_pct": Note(
        "Share of cropland",
        "%",
        "Share of the community's area under cropland in the land-use map.",
        "Farming communities (high shares) are where field water harvesting and soil "
        "conservation matter most.",
    ),
}
INPUT_ROLES = {"Land use": "land_use", RAINFALL_OVERLAY: "rainfall", "Watersheds": "watersheds"}
INPUT_ROLES |= {"Communities": "communities", SITES_OVERLAY: "project_sites"}
INPUT_ROLES |= {name: role for role, (name, _, _) in CONTEXT_OVERLAYS.items()}


def provenance(info: LayerInfo | None, t: Translate) -> str:
    """The line "Source: ... · Licence: ... · Date: ..." of a layer (empty when unknown)."""
    if info is None:
        return ""
    parts = [f"{t('Source')}: {t(info.source)}", f"{t('Licence')}: {t(info.licence)}"]
    if info.date:
        parts.append(f"{t('Date')}: {info.date}")
    return " · ".join(parts) + "."


def class_limits(t: Translate) -> dict[str, str]:
    """The suitability class limits as ``t``'s language writes them: ``{"s1": "0.75", ...}``."""
    return {
        name.lower(): number(limit, len(f"{limit:g}".partition(".")[2]), t)
        for name, limit in CLASS_LIMITS.items()
    }


def note_info(key: str, note: Note, t: Translate, extra: str = "") -> html.Details:
    """The disclosure of a :class:`Note` (``extra``: a provenance line after it)."""
    texts = [t(note.means), t(note.use).format(**class_limits(t))] + ([extra] if extra else [])
    return disclosure(key, t(note.label), note.units, texts, t)


def result_info(service: RegionService, key: str, t: Translate) -> html.Details | None:
    """The "i" of a result raster overlay: its glossary entry, or the suitability note."""
    if key.startswith("suitability_"):
        return note_info(key, SUITABILITY, t)
    entry = find_term(f"{key}_mm_yr") or find_term(key)
    if entry is None:
        return None
    units = service.result_layers()[key][2]
    return disclosure(entry.key, t(entry.label), units, [t(entry.means), t(entry.use)], t)


def layer_infos(service: RegionService, t: Translate, design: bool) -> dict[str, html.Details]:
    """The "i" of every overlay the map may list, by English overlay name."""
    by_role = {i.role: i for i in service.layer_infos()}
    out: dict[str, html.Details] = {}
    for name, role in INPUT_ROLES.items():
        out[name] = note_info(role, NOTES[role], t, provenance(by_role.get(role), t))
    for key in service.result_layers():
        info = result_info(service, key, t)
        if info is not None:
            out[overlay_name(service, key)] = info
    if design:
        out[DESIGN_OVERLAY] = note_info("design", NOTES["design"], t)
        out[ROBUST_OVERLAY] = note_info("robust", NOTES["robust"], t)
        out[PORTFOLIO_OVERLAY] = note_info("portfolio", NOTES["portfolio"], t)
    return out


def layer_info_templates(service: RegionService, t: Translate, design: bool) -> html.Div:
    """Hidden disclosures, one per overlay, keyed by its shown name (copied by landwater.js).

    ``data-toggle-label`` names the button that folds the layer list.
    """
    shown = {overlay_name(service, k, t): overlay_name(service, k) for k in service.result_layers()}
    english_to_shown = {v: k for k, v in shown.items()}
    items = []
    for english, info in layer_infos(service, t, design).items():
        name: dict[str, Any] = {"data-layer": english_to_shown.get(english, t(english))}
        items.append(html.Div(info, **name))
    labels: dict[str, Any] = {"data-toggle-label": t("Show or hide the layer list")}
    return html.Div(items, id=ids.LAYER_INFO_TEMPLATES, hidden=True, **labels)


def indicator_info(indicator: indicators.Indicator, t: Translate) -> html.Details | None:
    """The "i" of a community indicator: its glossary entry, else its note."""
    entry = find_term(indicator.column)
    if entry is not None:
        return disclosure(
            entry.key, t(entry.label), indicator.units, [t(entry.means), t(entry.use)], t
        )
    if indicator.key.startswith(indicators.SUIT_PREFIX):
        note: Note | None = SUITABILITY
    elif indicator.key.startswith(indicators.CROP_PREFIX):
        note = NOTES["crop"]
    else:
        note = NOTES.get(indicator.column)
    return note_info(indicator.column, note, t) if note is not None else None


def indicators_info(choices: list[indicators.Indicator], t: Translate) -> html.Details:
    """One "i" beside the indicator choice: every indicator, its units and meaning."""
    rows: list[Any] = []
    for ind in choices:
        info = indicator_info(ind, t)
        text = info.children[1].children[2:] if info is not None else []
        # "title, units": not the option's "title (units)", so the option's text stays unique
        rows.append(html.P([html.Strong(ind.title(t)), f", {unit(ind.units, t)}. ", *text]))
    hidden: dict[str, Any] = {"aria-hidden": "true"}
    named: dict[str, Any] = {"aria-label": t("What the indicators mean")}
    return html.Details(
        [
            html.Summary(
                html.Span("i", className="info-i", **hidden), className="info-button", **named
            ),
            html.Div(rows, className="info-text info-list", role="note"),
        ],
        className="info",
        id=ids.INDICATOR_INFO,
    )
