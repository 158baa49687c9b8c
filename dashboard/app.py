"""The Dash app factory: ``create_app(region_dir) -> Dash``.

Nothing is loaded at import time. Each call builds its own service, routes and callbacks,
so several gunicorn workers (``dashboard.wsgi:server``) each hold their own copy.
"""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dash import Dash, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate
from flask import has_request_context, request

from dashboard import ids
from dashboard.access import Access, register_login
from dashboard.api.routes import register_api
from dashboard.background import BackgroundProcessing, results_are_current
from dashboard.catchment_callbacks import register_catchment
from dashboard.compare_view import map_values as compare_map_values
from dashboard.designer_callbacks import register_designer
from dashboard.designer_service import DesignerService
from dashboard.downloads import register_downloads, register_export_route
from dashboard.errors import keep_on_bad_input, panel_errors
from dashboard.i18n import translator
from dashboard.input_checks import MONTH_RANGE, OPACITY_RANGE, slider_value
from dashboard.layout import build_layout
from dashboard.map_export_view import register_map_export
from dashboard.map_layout import (
    RASTER_OPACITY,
    colorbar_children,
    english_overlays,
    rainfall_url,
    result_layer_id,
    site_filter,
)
from dashboard.map_views import (
    choropleth_view,
    designer_values,
    profile_view,
    progress_view,
    scenario_values,
    search_viewport,
    selected_summary,
    selection_from,
    view_search,
)
from dashboard.programme_callbacks import register_programme
from dashboard.programme_view import unit_totals_section
from dashboard.routes import register_request_checks, register_routes
from dashboard.search_options import register_no_match, register_search
from dashboard.service import RegionService
from dashboard.viewstate import parse_search
from layers.editor_sessions import EditorSessions
from processing.catchment import Delineator

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
CLEARED_COLOURS = {"classes": "", "colours": []}  # every community in the no-data grey


def layout_for_request(service: RegionService, designer: DesignerService | None = None) -> html.Div:
    """The page for the view in the request's query string (the default view otherwise)."""
    service.ensure_results()  # results computed in the background since start-up appear here
    if not has_request_context():
        return build_layout(service, designer=designer)
    # Dash fetches the layout with a separate request (/_dash-layout): the page's own query
    # string arrives as its Referer
    search = request.query_string.decode() or urlsplit(request.referrer or "").query
    return build_layout(service, parse_search(search), designer)


def register_progress(app: Dash, background: BackgroundProcessing) -> None:
    """Poll the background run once a second while it runs."""

    @app.callback(
        Output(ids.PROGRESS, "children"),
        Output(ids.PROGRESS_POLL, "disabled"),
        Input(ids.PROGRESS_POLL, "n_intervals"),
        State(ids.LANG, "value"),
    )
    @panel_errors("Processing", lambda m: (m, True))
    def _progress(_n: int, lang: str | None) -> tuple[object, bool]:
        return progress_view(background.status(), translator(lang))


def register_callbacks(
    app: Dash, service: RegionService, designer: DesignerService | None = None
) -> None:
    """Wire the thin callbacks of the map page."""
    # a new language reloads the page with lang=... in the URL (the rest of the view is kept)
    app.clientside_callback(
        "function(lang, cls) { const u = new URL(window.location.href);"
        " if ((u.searchParams.get('lang') || 'en') !== lang) { u.searchParams.set('lang', lang);"
        " window.location.assign(u.toString()); } return cls; }",
        Output(ids.LANG, "className"),
        Input(ids.LANG, "value"),
        State(ids.LANG, "className"),
        prevent_initial_call=True,
    )

    # phones: the side panel is a drawer opened and closed in the browser, no round trip
    app.clientside_callback(
        "function(n, cls) { const base = (cls || 'app').replace(' panel-open', '');"
        " return n % 2 === 1 ? base + ' panel-open' : base; }",
        Output(ids.APP, "className"),
        Input(ids.PANEL_TOGGLE, "n_clicks"),
        State(ids.APP, "className"),
    )
    # the choice of the scenario variable to map shows once a scenario has run
    app.clientside_callback(
        "function(run) { return 'scenario-mapvar' + (run && run.values ? '' : ' no-scenario'); }",
        Output(ids.SCEN_MAPVAR_BOX, "className"),
        Input(ids.SCEN_STORE, "data"),
    )
    # the choice of the comparison's state to map shows once a comparison is on the map
    app.clientside_callback(
        "function(c) { return 'compare-show' + (c && c.change ? '' : ' no-compare'); }",
        Output(ids.COMPARE_SHOW_BOX, "className"),
        Input(ids.COMPARE_STORE, "data"),
    )
    names = ["center", "zoom", "month", "selection", "overlays"]
    view_inputs: list[Input | State] = [
        Input(ids.MAP, "center"),
        Input(ids.MAP, "zoom"),
        Input(ids.MONTH, "value"),
        Input(ids.SELECTION, "data"),
        Input(ids.LAYERS_CONTROL, "overlays"),
        Input(ids.INDICATOR, "value"),
        State(ids.LANG, "value"),
        State(ids.PAGE, "data"),
        Input(ids.DESIGN_STATE, "data"),
        Input(ids.AOI_SAVED, "data"),
    ]
    names += ["indicator", "lang", "page", "design", "saved_area"]

    @app.callback(Output(ids.URL, "search"), *view_inputs, prevent_initial_call=True)
    @keep_on_bad_input
    def _share(*values: object) -> str:
        view = dict(zip(names, values, strict=True))
        t = translator(view["lang"])  # type: ignore[arg-type]
        view["overlays"] = english_overlays(service, view["overlays"], t)  # type: ignore[arg-type]
        return view_search(**view)  # type: ignore[arg-type]

    @app.callback(
        Output(ids.COLORBAR, "children"),
        Input(ids.LAYERS_CONTROL, "overlays"),
        Input(ids.MONTH, "value"),
        State(ids.LANG, "value"),
    )
    @panel_errors("Map", lambda m: [m])
    def _colorbar(overlays: list[str] | None, month: int | None, lang: str | None) -> list[object]:
        month_ = int(slider_value(month, MONTH_RANGE, 0))
        return list(colorbar_children(service, overlays, month_, translator(lang)))

    raster_layers = [ids.LAND_USE, ids.RAINFALL] + [
        result_layer_id(k) for k in service.result_layers()
    ]

    @app.callback(
        [Output(layer, "opacity") for layer in raster_layers], Input(ids.OPACITY, "value")
    )
    @keep_on_bad_input
    def _opacity(value: float | None) -> list[float]:
        return [slider_value(value, OPACITY_RANGE, RASTER_OPACITY)] * len(raster_layers)

    @app.callback(Output(ids.RAINFALL, "url"), Input(ids.MONTH, "value"))
    @keep_on_bad_input
    def _rain_month(month: int | None) -> str:
        return rainfall_url(int(slider_value(month, MONTH_RANGE, 0)))

    @app.callback(
        Output(ids.SELECTED, "children"),
        Input(ids.COMMUNITIES, "clickData"),
        State(ids.LANG, "value"),
        State(ids.CATCH_ON, "data"),
    )
    @panel_errors("Selected community", lambda m: m)
    def _select(
        feature: dict[str, object] | None, lang: str | None, delineating: bool | None
    ) -> html.Div | str:
        if delineating:
            raise PreventUpdate  # the click delineates a catchment
        return selected_summary(feature, translator(lang))

    if service.site_types:
        # the filtered sites as the layer's data, not as a new URL: dash-leaflet ignores a
        # change of its props while it fetches a URL, so a second box unticked before the
        # first filter's sites arrived was lost; the page's first sites come from the URL
        @app.callback(
            Output(ids.SITES, "data"),
            Input(ids.SITE_TYPES, "value"),
            Input(ids.SITE_STATUS, "value"),
            State(ids.LANG, "value"),
            prevent_initial_call=True,
        )
        @keep_on_bad_input
        def _filter_sites(
            types: list[str] | None, statuses: list[str] | None, lang: str | None
        ) -> dict[str, Any]:
            every = (service.site_types, service.site_statuses)
            keep = site_filter(types or [], statuses or [], *every)
            return service.sites_data(*keep, lang or "en")

    # registered before results exist too: their components are always in the page
    select_inputs = [Input(ids.COMMUNITIES, "clickData"), Input(ids.SEARCH, "value")]
    if "watersheds" in service.geojson:
        select_inputs.insert(1, Input(ids.WATERSHEDS, "clickData"))

    @app.callback(
        Output(ids.SELECTION, "data"),
        *select_inputs,
        State(ids.PICK_ON, "data"),
        State(ids.CATCH_ON, "data"),
        prevent_initial_call=True,
    )
    @panel_errors("Selected community", lambda m: no_update)
    def _select_unit(*values: object) -> dict[str, str] | None:
        *inputs, picking, delineating = values
        if (picking or delineating) and ctx.triggered_id in (ids.COMMUNITIES, ids.WATERSHEDS):
            raise PreventUpdate  # a map click picks a site or delineates, not a community
        community, *rest = inputs
        watershed = rest[0] if len(rest) == 2 else None
        search = rest[-1]
        return selection_from(ctx.triggered_id, community, watershed, search)  # type: ignore[arg-type]

    @app.callback(
        Output(ids.MAP, "viewport"), Input(ids.SEARCH, "value"), prevent_initial_call=True
    )
    @panel_errors("Map", lambda m: no_update)
    def _fly_to_unit(search: str | None) -> dict[str, object]:
        return search_viewport(service, search) or no_update  # type: ignore[return-value]

    @app.callback(
        Output(ids.CHORO_COLOURS, "data"),
        Output(ids.CHORO_LEGEND, "children"),
        Input(ids.INDICATOR, "value"),
        Input(ids.DESIGN_STATE, "data"),
        Input(ids.SCEN_STORE, "data"),
        Input(ids.SCEN_MAPVAR, "value"),
        Input(ids.COMPARE_STORE, "data"),
        Input(ids.COMPARE_SHOW, "value"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,  # the page arrives coloured (hideout) with its legend
    )
    @panel_errors("Colour communities by", lambda m: (CLEARED_COLOURS, m))
    def _choropleth(
        indicator: str | None,
        design: dict[str, object] | None,
        scenario: dict[str, Any] | None,
        variable: str | None,
        comparison: dict[str, Any] | None,
        side: str | None,
        lang: str | None,
    ) -> tuple[object, ...]:
        live = designer_values(designer, indicator, design)
        shown = scenario_values(scenario, variable)
        compared = compare_map_values(comparison, side)
        return choropleth_view(service, indicator, lang, live, shown, live_compare=compared)

    register_search(app, ids.SEARCH, service.unit_options)
    register_no_match(app, ids.SEARCH, service.unit_options)

    @app.callback(
        Output(ids.PROFILE, "children"),
        Input(ids.SELECTION, "data"),
        State(ids.LANG, "value"),
    )
    @panel_errors("Profile", lambda m: m)
    def _profile(selection: dict[str, str] | None, lang: str | None) -> html.Div | None:
        monitored = designer.programme.monitored_sites if designer is not None else None
        panel = profile_view(service, selection, lang, monitored)
        if panel is None or designer is None or not (selection or {}).get("id"):
            return panel
        level = str((selection or {}).get("level", "communities"))
        row = designer.programme.unit_totals(level, str((selection or {})["id"]))
        extra = unit_totals_section(row, translator(lang))
        return panel if extra is None else html.Div([panel, extra])

    # colours and the selected outline are restyled in the browser, layer by layer: changing
    # the GeoJSON's hideout would make dash-leaflet rebuild all of its features
    app.clientside_callback(
        "function(colours, selection) {"
        " return window.landwater.paintCommunities(colours, selection); }",
        Output(ids.CHORO_PAINTED, "data"),
        Input(ids.CHORO_COLOURS, "data"),
        Input(ids.SELECTION, "data"),
    )


def create_app(
    region_dir: str | Path,
    database_url: str | None = None,
    access: Access | None = None,
    warm_up: bool = False,
) -> Dash:
    """Build the dashboard for a region.

    Parameters
    ----------
    region_dir : str or Path
        A valid region folder (see ``landwater validate``).
    database_url : str, optional
        The team workspace (shortlists, scenarios); ``REGION/workspace.sqlite`` by default.
    access : Access, optional
        Who may edit the workspace; from the environment when omitted (see
        :mod:`dashboard.access`).
    warm_up : bool
        Build the designer's engine on a background thread now (servers), not on the
        first designer request.

    Returns
    -------
    dash.Dash
        The app; ``app.server`` is the Flask WSGI application.

    """
    service = RegionService(region_dir).prepare()
    background = BackgroundProcessing(service.region.root)
    if not results_are_current(service.region.root, service.region.results_dir):
        background.start()  # the map serves now; a banner reports progress and offers a reload
    app = Dash(
        __name__,
        title=f"landwater - {service.region.name}",
        assets_folder=str(ASSETS_DIR),
        serve_locally=True,
        update_title="",
        # the designer's components exist on the design page only (?page=design); their
        # callbacks simply wait on the planner's page
        suppress_callback_exceptions=True,
    )
    access = access or Access.from_env()
    designer = DesignerService(service, database_url, access)
    register_login(app.server, access, EditorSessions(designer.workspace.engine))
    if warm_up and results_are_current(service.region.root, service.region.results_dir):
        threading.Thread(target=designer.warm_up, name="designer-warm-up", daemon=True).start()
    delineator = Delineator(service.registry)
    app.layout = partial(layout_for_request, service, designer)
    register_routes(app.server, service, designer)
    register_request_checks(app)
    register_callbacks(app, service, designer)
    register_designer(app, designer)
    register_catchment(app, designer, delineator)
    register_downloads(app, service, designer.workspace, designer.scenario.community_future)
    register_export_route(app.server, service, designer.workspace)
    register_api(app.server, service, designer)
    register_map_export(app, service)
    register_programme(app, designer.programme, access.refusal)
    register_progress(app, background)
    return app
