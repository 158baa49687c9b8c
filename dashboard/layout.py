"""Layout builders: pure functions from the service's metadata to Dash components."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard import ids, indicators
from dashboard.catchment_view import catchment_controls, catchment_layer
from dashboard.designer_layout import (
    aoi_layer,
    candidate_layer,
    designer_overlay,
    designer_section,
    draw_layer,
    page_link,
    shared_design_controls,
)
from dashboard.designer_service import DesignerService
from dashboard.downloads import downloads_panel
from dashboard.i18n import LANGUAGES, Translate, language_of, number, translator, unit
from dashboard.input_checks import MONTH_RANGE, OPACITY_RANGE
from dashboard.layer_info import indicator_info, indicators_info, layer_info_templates
from dashboard.map_assets import site_word
from dashboard.map_export_view import map_export_controls
from dashboard.map_layout import (
    CONTEXT_OVERLAYS,
    DESIGN_OVERLAY,
    PORTFOLIO_OVERLAY,
    RASTER_OPACITY,
    ROBUST_OVERLAY,
    SITE_COLOURS,
    SITE_OTHER,
    chosen_indicator,
    initial_hideout,
    is_on,
    map_component,
)
from dashboard.portfolio_view import portfolio_overlay
from dashboard.profile import MONTH_NAMES
from dashboard.programme_view import programme_section, programme_sites
from dashboard.robustness_view import robust_overlay
from dashboard.search_options import dropdown_labels, initial_options
from dashboard.service import LayerInfo, LegendEntry, RegionService
from dashboard.viewstate import ViewState

# the annual view's mark is a word: it stands left of the track's start, clear of "J", in the
# room the slider keeps for it (assets/landwater.css)
ANNUAL_MARK_STYLE = {"transform": "translateX(-62%)", "fontSize": "0.75em", "whiteSpace": "nowrap"}


def choropleth_legend(
    title: str, rows: list[tuple[str, str]], info: html.Details | None = None
) -> html.Div:
    """Legend of the community choropleth: class limits with units (and an info button)."""
    return html.Div(
        [html.Div([title, info] if info is not None else title, className="legend-title")]
        + [
            html.Div(
                [html.Span(className="swatch", style={"background": c}), html.Span(label)],
                className="legend-row",
            )
            for c, label in rows
        ],
        className="legend",
    )


def indicator_legend(
    indicator: indicators.Indicator, colours: dict[str, object], t: Translate
) -> html.Div:
    """The legend of ``colours`` (an :func:`indicators.hideout`) for ``indicator``."""
    limits, swatches = colours["limits"], colours["colours"]
    assert isinstance(limits, list) and isinstance(swatches, list)
    return choropleth_legend(
        indicator.title(t),
        indicators.legend_rows(limits, swatches, indicator.units, t),
        indicator_info(indicator, t),
    )


def indicator_options(
    service: RegionService, t: Translate, scenario: str | None = None, compare: str | None = None
) -> list[dict[str, str]]:
    """Options of the indicator dropdown (plus the last scenario's and comparison's maps)."""
    summary = service.summary("communities")
    if summary is None:
        return []
    options = [
        {"label": f"{i.title(t)} ({unit(i.units, t)})", "value": i.key}
        for i in indicators.available(
            summary, service.intervention_names_in(language_of(t)), dict(service.crops())
        )
    ]
    if scenario is not None:
        label = t("Scenario: change") + f": {scenario} ({unit('mm/yr', t)})"
        options.append({"label": label, "value": indicators.SCENARIO_KEY})
    if compare is not None:
        options.append({"label": f"{t('Compare')}: {compare}", "value": indicators.COMPARE_KEY})
    return options


NO_RESULTS_HINT = (
    "No results yet: run `landwater process` on this region to colour communities by indicator."
)


def indicator_controls(service: RegionService, view: ViewState | None = None) -> html.Div:
    """Indicator selector and legend of the choropleth, or a hint to run processing."""
    summary = service.summary("communities")
    if summary is None:
        # the callbacks' components exist (hidden) so they work once results appear
        hint = translator((view or ViewState()).lang)(NO_RESULTS_HINT)
        return html.Div(
            [
                html.P(hint),
                dcc.Dropdown(options=[], id=ids.INDICATOR, style={"display": "none"}),
                html.Div(id=ids.CHORO_LEGEND),
            ],
            className="hint",
        )
    view = view or ViewState()
    t = translator(view.lang)
    options = indicator_options(service, t)
    indicator = chosen_indicator(service, view.indicator, view.lang)
    colours = initial_hideout(service, view)
    choices = indicators.available(
        summary, service.intervention_names_in(language_of(t)), dict(service.crops())
    )
    return html.Div(
        [
            html.Div(
                [
                    html.Label(t("Colour communities by"), htmlFor=ids.INDICATOR),
                    indicators_info(choices, t),
                ],
                className="label-with-info",
            ),
            dcc.Dropdown(
                options=options,
                value=getattr(indicator, "key", None),
                id=ids.INDICATOR,
                clearable=False,
                searchable=False,
            ),
            html.Div(
                indicator_legend(indicator, colours, t) if indicator and colours else None,
                id=ids.CHORO_LEGEND,
            ),
        ]
    )


def unit_search(service: RegionService, view: ViewState | None = None) -> dcc.Dropdown:
    """Searchable list of communities and watersheds that opens a profile (empty before results)."""
    view = view or ViewState()
    value = _selection_value(view.selection)
    return dcc.Dropdown(
        options=initial_options(service.unit_options(view.lang), value),
        id=ids.SEARCH,
        value=value,
        placeholder=translator(view.lang)("Find a community or watershed..."),
        searchable=True,
        labels=dropdown_labels(translator(view.lang)),
    )


def month_marks(t: Translate) -> dict[int, object]:
    """Month slider marks: "Annual" at 0, then each month's initial in ``t``'s language."""
    marks: dict[int, object] = {0: {"label": t("Annual"), "style": ANNUAL_MARK_STYLE}}
    marks.update({i: t(name)[0].upper() for i, name in enumerate(MONTH_NAMES, start=1)})
    return marks


def _selection_value(selection: dict[str, str] | None) -> str | None:
    return f"{selection['level']}:{selection['id']}" if selection else None


def site_filters(service: RegionService, t: Translate = str) -> html.Div | None:
    """Checklists filtering project sites by type and status."""
    if not service.site_types:
        return None
    return html.Div(
        [
            html.Div(t("Type"), className="legend-title"),
            dcc.Checklist(
                # each type with its marker's colour: the filter is the sites' legend
                options=[
                    {
                        "label": html.Span(
                            [
                                html.Span(
                                    className="swatch site-swatch",
                                    style={"background": SITE_COLOURS.get(k, SITE_OTHER)},
                                ),
                                t(site_word(k)),
                            ]
                        ),
                        "value": k,
                    }
                    for k in service.site_types
                ],
                value=service.site_types,
                id=ids.SITE_TYPES,
                className="checklist",
            ),
            html.Div(t("Status"), className="legend-title"),
            dcc.Checklist(
                options=[{"label": t(site_word(s)), "value": s} for s in service.site_statuses],
                value=service.site_statuses,
                id=ids.SITE_STATUS,
                className="checklist",
            ),
        ]
    )


def legend(entries: list[LegendEntry]) -> html.Div:
    """A categorical legend: colour swatch and class name per entry."""
    return html.Div(
        [
            html.Div(
                [html.Span(className="swatch", style={"background": e.colour}), html.Span(e.name)],
                className="legend-row",
            )
            for e in entries
        ],
        id=ids.LEGEND_LAND_USE,
        className="legend",
    )


def context_legend(service: RegionService, t: Translate = str) -> html.Div | None:
    """Legend of the context layers the region has (roads, protected areas)."""
    rows = []
    for role, (name, style, _) in CONTEXT_OVERLAYS.items():
        if role not in service.geojson:
            continue
        swatch = {"borderColor": style["color"], "background": style.get("fillColor", "none")}
        kind = "swatch-area" if "fillColor" in style else "swatch-line"
        rows.append(
            html.Div(
                [html.Span(className=f"swatch {kind}", style=swatch), html.Span(t(name))],
                className="legend-row",
            )
        )
    if not rows:
        return None
    return html.Div(
        [html.Div(t("Context layers"), className="legend-title"), *rows],
        id=ids.LEGEND_CONTEXT,
        className="legend",
    )


def layer_table(infos: list[LayerInfo], t: Translate = str) -> html.Table:
    """Source, date, units and licence of every layer (in ``t``'s language where it has them)."""
    head = html.Thead(
        html.Tr([html.Th(t(h)) for h in ("Layer", "Source", "Date", "Units", "Licence")])
    )
    rows = [
        html.Tr(
            [
                html.Td(t(i.title)),
                html.Td(t(i.source)),
                html.Td(i.date),
                html.Td(unit(i.units, t)),
                html.Td(t(i.licence)),
            ]
        )
        for i in infos
    ]
    return html.Table([head, html.Tbody(rows)], id=ids.LAYER_INFO, className="layer-table")


REQUEST_ERROR_TEXT = (
    "The server did not answer ({status}); what the page shows may be out of date. Check the "
    "connection, then try again."
)


def request_error(t: Translate) -> html.Div:
    """The alert shown when a request of the page fails (filled in by ``assets/landwater.js``).

    ``data-message`` holds the text in the page's language, with ``{status}`` for the HTTP
    status or the network error; the script sets it as text, never as HTML.
    """
    message: dict[str, Any] = {"data-message": t(REQUEST_ERROR_TEXT)}
    return html.Div(
        id=ids.REQUEST_ERROR, className="request-error", role="alert", hidden=True, **message
    )


def skip_links(design: bool, t: Translate = str) -> html.Nav:
    """Links that take the keyboard past the panel's controls (shown when focused)."""
    targets = [("Skip to the map layers", ".leaflet-control-layers-selector")]
    if design:
        targets += [
            ("Skip to suggest sites", f"#{ids.REC_COUNT}"),
            ("Skip to the scenario", f"#{ids.SCEN_RAIN}"),
        ]
    links = []
    for text, target in targets:
        focus: dict[str, Any] = {"data-target": target}  # focused by assets/landwater.js
        links.append(html.A(t(text), href="#", className="skip-link", **focus))
    named: dict[str, Any] = {"aria-label": t("Skip links")}
    return html.Nav(links, className="skip-links", **named)


def side_panel(
    service: RegionService,
    view: ViewState | None = None,
    designer: DesignerService | None = None,
) -> html.Aside:
    """Region name and labels, the month selector, legends, the designer, layer provenance."""
    view = view or ViewState()
    t = translator(view.lang)
    cfg = service.region.config.region
    badge = html.Span(t("SYNTHETIC DATA"), className="badge-synthetic") if cfg.synthetic else None
    return html.Aside(
        [
            skip_links(view.page == "design" and designer is not None, t),
            html.Div(
                [
                    html.H1(t(cfg.name), className="region-name"),
                    dcc.RadioItems(
                        options=[
                            {"label": html.Span(name, lang=code), "value": code}
                            for code, name in LANGUAGES.items()
                        ],
                        value=view.lang,
                        id=ids.LANG,
                        className="lang-select",
                        inline=True,
                    ),
                ],
                className="panel-head",
            ),
            badge,
            html.P(t(cfg.description), className="region-description"),
            html.Label(t("Rainfall month"), htmlFor=ids.MONTH),
            dcc.Slider(
                *MONTH_RANGE,
                1,
                value=view.month,
                id=ids.MONTH,
                marks=month_marks(t),
                # the marks say the month ("Annual" at 0); a number box would say 0
                allow_direct_input=False,
            ),
            html.H2(t("Communities")),
            indicator_controls(service, view),
            html.H2(t("Selected community")),
            html.Div(t("Click a community on the map."), id=ids.SELECTED, className="selected"),
            unit_search(service, view),
            dcc.Store(id=ids.SELECTION, data=view.selection),
            dcc.Store(id=ids.CHORO_COLOURS),
            dcc.Store(id=ids.CHORO_PAINTED),
            dcc.Loading(html.Div(id=ids.PROFILE), type="dot", delay_show=300),
            html.Div(id=ids.PROFILE_FUTURE)  # the designer's last future scenario, if any
            if designer is not None and view.page == "design"
            else None,
            page_link(view.page, t) if designer is not None else None,
            catchment_controls(t) if view.page != "design" else None,
            designer_section(designer, t, view)
            if designer is not None and view.page == "design"
            else None,
            shared_design_controls(t),
            dcc.Store(id=ids.PAGE, data=view.page),
            downloads_panel(service, t),
            programme_section(t, programme_sites(service)) if view.page != "design" else None,
            map_export_controls(t),
            html.H2(t("Project sites")),
            site_filters(service, t),
            html.Label(t("Raster opacity"), htmlFor=ids.OPACITY),
            dcc.Slider(
                *OPACITY_RANGE,
                0.1,
                value=RASTER_OPACITY,
                id=ids.OPACITY,
                marks={0: "0", 0.5: number(0.5, 1, t), 1: "1"},
                allow_direct_input=False,
            ),
            html.H2(t("Land use")),
            legend(service.land_use_legend(view.lang)),
            context_legend(service, t),
            html.H2(t("Layers")),
            layer_table(service.layer_infos(), t),
        ],
        id=ids.PANEL,
        className="side-panel",
    )


def build_layout(
    service: RegionService,
    view: ViewState | None = None,
    designer: DesignerService | None = None,
) -> html.Div:
    """The whole page for a view: side panel, full-height map and the URL that shares it."""
    view = view or ViewState()
    t = translator(view.lang)
    design = designer is not None and view.page == "design"
    design_on = is_on(view, DESIGN_OVERLAY, False)
    overlays = (
        [
            designer_overlay(designer, t, design_on),
            robust_overlay(t, is_on(view, ROBUST_OVERLAY, True)),
            portfolio_overlay(t, is_on(view, PORTFOLIO_OVERLAY, True)),
        ]
        if design and designer is not None
        else []
    )
    layers = [aoi_layer(), candidate_layer(), draw_layer()] if design else [catchment_layer()]
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            html.Div(id=ids.PROGRESS, className="progress-banner", role="status"),
            request_error(t),
            dcc.Interval(id=ids.PROGRESS_POLL, interval=1000),
            # plotly.js is loaded into this slot once the communities are drawn (landwater.js)
            html.Div(id=ids.PLOTLY_PRELOAD, style={"display": "none"}),
            html.Button(
                translator(view.lang)("Layers & details"),
                id=ids.PANEL_TOGGLE,
                className="panel-toggle",
                n_clicks=0,
                title=translator(view.lang)("Show or hide the side panel"),
            ),
            side_panel(service, view, designer),
            html.Main(
                map_component(service, view, overlays, layers),
                id=ids.MAP_WRAP,
                className="map-wrap",
            ),
            layer_info_templates(service, t, design),
        ],
        id=ids.APP,
        className="app",
    )
