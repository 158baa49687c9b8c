"""What the map page shows for a state: pure functions from the callbacks' inputs to views.

The callbacks in :mod:`dashboard.app` stay thin: they pass their inputs here and return
what these give (the choropleth's colours and legend, the profile panel, the selection,
the shareable URL query, the progress banner).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from dash import html

from dashboard import ids, indicators
from dashboard.background import Status
from dashboard.designer_service import DesignerService
from dashboard.errors import ERROR_CLASS
from dashboard.i18n import Translate, language_of, number, translator
from dashboard.layout import indicator_legend
from dashboard.map_layout import chosen_indicator
from dashboard.profile import profile_panel
from dashboard.service import RegionService
from dashboard.viewstate import ViewState, centre_of, encode_view

SHOWN_ID_CHARS = 60  # of an unknown unit id repeated in its message


def area_text(area_ha: object, t: Translate = str) -> str:
    """An area in hectares with thousands separators ("1,481 ha"; "- ha" when unknown)."""
    try:
        return f"{number(float(area_ha), 0, t)} ha"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "- ha"


def selected_summary(feature: dict[str, object] | None, t: Translate = str) -> html.Div | str:
    """Text of the selected-community box for a clicked GeoJSON feature."""
    if not feature:
        return t("Click a community on the map.")
    props = feature.get("properties") or {}
    assert isinstance(props, dict)
    return html.Div(
        [
            html.Strong(str(props.get("name", ""))),
            html.Div(f"id {props.get('id', '')} · {area_text(props.get('area_ha'), t)}"),
        ]
    )


def selection_from(
    triggered: str | None,
    community_click: dict[str, object] | None,
    watershed_click: dict[str, object] | None,
    search: str | None,
) -> dict[str, str] | None:
    """The unit to profile, from whichever input fired last: ``{"level", "id"}`` or None."""
    if triggered == ids.SEARCH:
        if not search or ":" not in search:
            return None
        level, uid = search.split(":", 1)
        return {"level": level, "id": uid}
    click = community_click if triggered == ids.COMMUNITIES else watershed_click
    props = (click or {}).get("properties") or {}
    assert isinstance(props, dict)
    if "id" not in props:
        return None
    return {
        "level": "communities" if triggered == ids.COMMUNITIES else "watersheds",
        "id": str(props["id"]),
    }


def search_viewport(service: RegionService, search: str | None) -> dict[str, object] | None:
    """The map viewport that flies to the unit chosen in the search (None: stay)."""
    level, _, uid = (search or "").partition(":")
    bounds = service.unit_bounds(level, uid) if uid else None
    return {"bounds": bounds, "transition": "flyToBounds"} if bounds else None


def designer_values(
    designer: DesignerService | None, indicator: str | None, design: dict[str, object] | None
) -> pd.Series | None:
    """Live community scores when the indicator is the designer's intervention, else None."""
    if designer is None or not design or not indicator:
        return None
    iv, weights = design.get("intervention"), design.get("weights")
    constraints = design.get("constraints")
    if indicator != f"suit_{iv}" or not isinstance(weights, list) or not isinstance(iv, str):
        return None
    return designer.live_scores(iv, weights, constraints if isinstance(constraints, list) else None)


def scenario_values(store: dict[str, Any] | None, variable: str | None) -> dict[str, object] | None:
    """The scenario's change of ``variable`` per community, for the map (None: no run yet)."""
    if not store or not store.get("values"):
        return None
    var = variable if variable in store["values"] else "recharge"
    return {"variable": var, "name": store.get("name", ""), "values": store["values"][var]}


def choropleth_view(
    service: RegionService,
    indicator_key: str | None,
    lang: str | None = "en",
    live: pd.Series | None = None,
    live_scenario: dict[str, object] | None = None,
    selected: str | None = None,
    live_compare: dict[str, Any] | None = None,
) -> tuple[dict[str, object], html.Div | None]:
    """Colours of the community layer (see :func:`indicators.hideout`) and their legend.

    ``live`` replaces the indicator's stored values (the designer's re-weighted scores, by
    community id); ``live_scenario`` (``variable``, ``name``, ``values`` by id) is shown when
    the indicator is ``"scenario"``; ``live_compare`` (``side``, ``name``, ``units``,
    ``values`` by id; see :func:`dashboard.compare_view.map_values`) when it is ``"compare"``.
    """
    summary = service.summary("communities")
    if summary is None or indicator_key is None:
        return {}, None
    t = translator(lang)
    scenario = (live_scenario or {}) if indicator_key == indicators.SCENARIO_KEY else {}
    compare = (live_compare or {}) if indicator_key == indicators.COMPARE_KEY else {}
    if compare:
        indicator: indicators.Indicator | None = indicators.compare_indicator(
            str(compare["side"]), str(compare["name"]), str(compare["units"])
        )
        live = pd.Series(compare["values"], dtype=float)
        summary = summary.assign(compare_value=np.nan)
    elif scenario:
        indicator = indicators.scenario_indicator(str(scenario["variable"]), str(scenario["name"]))
        live = pd.Series(scenario["values"], dtype=float)
        summary = summary.assign(scenario_delta=np.nan)
    else:
        indicator = chosen_indicator(service, indicator_key, language_of(t))
    if indicator is None:
        return {}, None
    if live is not None:
        summary = summary.assign(**{indicator.column: summary["id"].map(live)})
    hide = indicators.hideout(summary, indicator, service.community_ids, selected)
    return hide, indicator_legend(indicator, hide, t)


def profile_view(
    service: RegionService,
    selection: dict[str, str] | None,
    lang: str | None = "en",
    site_status: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> html.Div | None:
    """The profile panel of the selected community or watershed (None without a selection).

    A selection the results do not know (a shared link from another region, a typo in the
    URL) is said, as text. ``site_status`` gives the sites their monitored status (see
    :meth:`dashboard.programme_service.ProgrammeService.monitored_sites`).
    """
    uid = (selection or {}).get("id")
    if not uid:
        return None
    t = translator(lang)
    level = (selection or {}).get("level", "communities")
    data = service.profile(uid, level, language_of(t))
    if data is not None:
        if site_status is not None:
            data = replace(data, sites=site_status(data.sites))
        return profile_panel(data, t)
    summary = service.summary(level) if level in ("communities", "watersheds") else None
    if summary is None or str(uid) in set(summary["id"].astype(str)):
        return None
    text = t("No community or watershed '{id}' in this region; click one on the map or search.")
    return html.Div(text.format(id=str(uid)[:SHOWN_ID_CHARS]), className=ERROR_CLASS, role="alert")


def view_search(
    center: object,
    zoom: float | None,
    month: int | None,
    selection: dict[str, str] | None,
    overlays: list[str] | None,
    indicator: str | None = None,
    lang: str | None = "en",
    page: str | None = "map",
    design: dict[str, Any] | None = None,
    saved_area: dict[str, Any] | None = None,
) -> str:
    """The URL query that reopens the current view (the designer's weights, the saved area)."""
    lat, lon = centre_of(center)
    design = design or {}
    weights = design.get("weights")
    return encode_view(
        ViewState(
            lat=lat,
            lon=lon,
            zoom=int(zoom) if zoom is not None else None,
            indicator=indicator,
            month=int(month or 0),
            selection=selection,
            overlays=tuple(overlays) if overlays is not None else None,
            lang=lang or "en",
            page=page or "map",
            intervention=design.get("intervention"),
            weights=tuple(float(w) for w in weights) if isinstance(weights, list) else None,
            area=(saved_area or {}).get("id"),
        )
    )


def progress_view(status: Status, t: Translate = str) -> tuple[object, bool]:
    """Banner content for a background run, and whether polling should stop."""
    if status.state == "idle":
        return None, True
    if status.state == "running":
        return html.Div(
            [
                html.Span(className="spinner"),
                f"{t('Computing results')}: {t(status.message)} ({status.seconds:.0f} s)",
            ]
        ), False
    if status.state == "done":
        return html.Div(
            [t("Results are ready."), " ", html.A(t("Reload the map"), href="", className="reload")]
        ), True
    return html.Div(
        f"{t('Computing results failed')}: {status.message}", className="banner-error"
    ), True
