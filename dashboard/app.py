"""The Dash app factory: ``create_app(region_dir) -> Dash``.

Nothing is loaded at import time. Each call builds its own service, routes and callbacks,
so several gunicorn workers (``dashboard.wsgi:server``) each hold their own copy.
"""

from __future__ import annotations

from pathlib import Path

from dash import Dash, Input, Output, html

from dashboard import ids, indicators
from dashboard.layout import build_layout, choropleth_legend, rainfall_url
from dashboard.profile import profile_panel
from dashboard.routes import register_routes
from dashboard.service import RegionService

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"


def selected_summary(feature: dict[str, object] | None) -> html.Div | str:
    """Text of the selected-community box for a clicked GeoJSON feature."""
    if not feature:
        return "Click a community on the map."
    props = feature.get("properties") or {}
    assert isinstance(props, dict)
    return html.Div(
        [
            html.Strong(str(props.get("name", ""))),
            html.Div(f"id {props.get('id', '')} - {props.get('area_ha', '')} ha"),
        ]
    )


def choropleth_view(
    service: RegionService, indicator_key: str | None, feature: dict[str, object] | None
) -> tuple[dict[str, object], html.Div | None, html.Div | None]:
    """Hideout of the community layer, its legend and the profile of the clicked community."""
    summary = service.summary("communities")
    if summary is None or indicator_key is None:
        return {}, None, None
    props = (feature or {}).get("properties") or {}
    assert isinstance(props, dict)
    selected = str(props["id"]) if "id" in props else None
    indicator = next(i for i in indicators.INDICATORS if i.key == indicator_key)
    hide = indicators.hideout(summary, indicator, selected)
    limits, colours = hide["limits"], hide["colours"]
    assert isinstance(limits, list) and isinstance(colours, list)
    legend = choropleth_legend(
        indicator.label, indicators.legend_rows(limits, colours, indicator.units)
    )
    data = service.profile(selected) if selected else None
    return hide, legend, profile_panel(data) if data is not None else None


def register_callbacks(app: Dash, service: RegionService) -> None:
    """Wire the thin callbacks of the map page."""

    @app.callback(Output(ids.RAINFALL, "url"), Input(ids.MONTH, "value"))
    def _rain_month(month: int | None) -> str:
        return rainfall_url(int(month or 0))

    @app.callback(Output(ids.SELECTED, "children"), Input(ids.COMMUNITIES, "clickData"))
    def _select(feature: dict[str, object] | None) -> html.Div | str:
        return selected_summary(feature)

    if service.results is not None:

        @app.callback(
            Output(ids.COMMUNITIES, "hideout"),
            Output(ids.CHORO_LEGEND, "children"),
            Output(ids.PROFILE, "children"),
            Input(ids.INDICATOR, "value"),
            Input(ids.COMMUNITIES, "clickData"),
        )
        def _choropleth(
            indicator: str | None, feature: dict[str, object] | None
        ) -> tuple[object, ...]:
            return choropleth_view(service, indicator, feature)


def create_app(region_dir: str | Path) -> Dash:
    """Build the dashboard for a region.

    Parameters
    ----------
    region_dir : str or Path
        A valid region folder (see ``landwater validate``).

    Returns
    -------
    dash.Dash
        The app; ``app.server`` is the Flask WSGI application.

    """
    service = RegionService(region_dir).prepare()
    app = Dash(
        __name__,
        title=f"landwater - {service.region.name}",
        assets_folder=str(ASSETS_DIR),
        serve_locally=True,
        update_title="",
    )
    app.layout = build_layout(service)
    register_routes(app.server, service)
    register_callbacks(app, service)
    return app
