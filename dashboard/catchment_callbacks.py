"""Thin callbacks of the catchment from a click (views in :mod:`dashboard.catchment_view`)."""

from __future__ import annotations

import threading
from typing import Any

from dash import Dash, Input, Output, State, dcc, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.catchment_view import catchment_file, catchment_view
from dashboard.designer_service import DesignerService
from dashboard.errors import panel_errors
from dashboard.i18n import translator
from processing.catchment import Delineator

ROUTING_HINT = (
    "The region's elevation model is being routed (once per region): the first catchment"
    " may take a minute."
)


def _load_routing(delineator: Delineator) -> None:
    """Load or compute the routing (an error is shown on the first click instead)."""
    try:
        delineator.routing()
    except (OSError, ValueError):
        return


def register_catchment(app: Dash, designer: DesignerService, delineator: Delineator) -> None:
    """Delineate mode, map clicks -> catchment (map, panel, area of interest), its download."""
    app.clientside_callback(
        "function(mode) { return Boolean(mode && mode.length); }",
        Output(ids.CATCH_ON, "data"),
        Input(ids.CATCH_MODE, "value"),
    )

    @app.callback(
        Output(ids.CATCH_MSG, "children", allow_duplicate=True),
        Input(ids.CATCH_MODE, "value"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    @panel_errors("Catchment from a click", lambda m: m)
    def _warm(mode: list[str] | None, lang: str | None) -> str:
        # routed when the tool is switched on, not at every start: most visits never use it
        if not mode or delineator.routed:
            raise PreventUpdate
        threading.Thread(
            target=_load_routing, args=(delineator,), name="catchment-routing", daemon=True
        ).start()
        return translator(lang)(ROUTING_HINT)

    # only clicks in delineate mode go to the server; each click counts (n_clicks), so a
    # second click on the same spot delineates again
    app.clientside_callback(
        "function(n, click, mode) {"
        " if (!click || !(mode && mode.length)) { return window.dash_clientside.no_update; }"
        " return Object.assign({}, click, {n: n}); }",
        Output(ids.CATCH_CLICK, "data"),
        Input(ids.MAP, "n_clicks"),
        State(ids.MAP, "clickData"),
        State(ids.CATCH_MODE, "value"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.CATCH_LAYER, "children"),
        Output(ids.CATCH_SUMMARY, "children"),
        Output(ids.CATCH_MSG, "children"),
        Output(ids.AOI_STORE, "data", allow_duplicate=True),
        Output(ids.CATCH_STORE, "data"),
        Input(ids.CATCH_CLICK, "data"),
        State(ids.CATCH_RADIUS, "value"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    @panel_errors("Catchment from a click", lambda m: ([], None, m, None, None))
    def _delineate(
        click: dict[str, Any] | None, radius_m: float | None, lang: str | None
    ) -> tuple[Any, ...]:
        return catchment_view(designer, delineator, click, radius_m, translator(lang))

    @app.callback(
        Output(ids.CATCH_DOWNLOAD, "data"),
        Output(ids.CATCH_MSG, "children", allow_duplicate=True),
        Input(ids.CATCH_GEOJSON, "n_clicks"),
        State(ids.CATCH_STORE, "data"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    @panel_errors("Catchment from a click", lambda m: (no_update, m))
    def _download(n: int, feature: dict[str, Any] | None, lang: str | None) -> tuple[Any, Any]:
        if not n:
            raise PreventUpdate
        if not feature:
            return no_update, translator(lang)("Click on the map to delineate a catchment.")
        name, data = catchment_file(feature)
        return dcc.send_bytes(data, name), no_update
