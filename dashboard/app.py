"""The Dash app factory: ``create_app(region_dir) -> Dash``.

Nothing is loaded at import time. Each call builds its own service, routes and callbacks,
so several gunicorn workers (``dashboard.wsgi:server``) each hold their own copy.
"""

from __future__ import annotations

from pathlib import Path

from dash import Dash, Input, Output, html

from dashboard import ids
from dashboard.layout import build_layout, rainfall_url
from dashboard.routes import register_routes
from dashboard.service import RegionService

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"


def selected_summary(service: RegionService, feature: dict[str, object] | None) -> html.Div | str:
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


def register_callbacks(app: Dash, service: RegionService) -> None:
    """Wire the thin callbacks of the map page."""

    @app.callback(Output(ids.RAINFALL, "url"), Input(ids.MONTH, "value"))
    def _rain_month(month: int | None) -> str:
        return rainfall_url(int(month or 0))

    @app.callback(Output(ids.SELECTED, "children"), Input(ids.COMMUNITIES, "clickData"))
    def _select(feature: dict[str, object] | None) -> html.Div | str:
        return selected_summary(service, feature)


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
