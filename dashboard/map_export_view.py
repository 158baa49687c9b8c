"""The "Export map" control and the ``/export/map.<format>`` route (printable maps).

Both draw with :mod:`dashboard.map_export`. The control sends the map's current view (its
bounds, checked overlays, month, raster opacity and the page's language) and receives the
file by ``dcc.Download``; the route answers the same request given as query arguments
(``?layers=water_yield,communities&m=0&bbox=W,S,E,N&lang=fr&size=1754x1240``), for scripts
and links.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

from dash import Dash, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate
from flask import Flask, Response, abort, request

from dashboard import ids
from dashboard.errors import panel_errors
from dashboard.i18n import Translate, translator
from dashboard.input_checks import MONTH_RANGE, OPACITY_RANGE, slider_value
from dashboard.map_export import (
    DEFAULT_SIZE_PX,
    FORMATS,
    MapRequest,
    MapRequestError,
    check_request,
    export_layers,
)
from dashboard.map_layout import RASTER_OPACITY, english_overlays
from dashboard.service import RegionService

MAX_QUERY_CHARS = 2000  # a longer query is not one the control or a script would send


def map_export_controls(t: Translate) -> html.Div:
    """A heading, format (PNG or PDF), the "Export map" button, its status and message."""
    return html.Div(
        [
            html.H2(t("Printable map")),
            html.P(
                t(
                    "The map as shown (extent, checked layers, month), with legend, scale bar,"
                    " north arrow and sources."
                ),
                className="hint",
            ),
            dcc.RadioItems(
                options=[{"label": " " + f.upper(), "value": f} for f in FORMATS],
                value="pdf",
                id=ids.MAPX_FORMAT,
                inline=True,
            ),
            html.Button(t("Export map"), id=ids.MAPX_BUTTON, n_clicks=0),
            html.Div(id=ids.MAPX_BUSY, role="status", className="design-msg"),
            html.Div(id=ids.MAPX_MSG, role="status", className="design-msg"),
            dcc.Download(id=ids.MAPX_DOWNLOAD),
            dcc.Store(id=ids.MAPX_VIEW),
        ],
        className="map-export",
    )


def view_bbox(bounds: Any) -> tuple[float, float, float, float] | None:
    """``(west, south, east, north)`` of Leaflet bounds ``[[south, west], [north, east]]``."""
    try:
        (south, west), (north, east) = bounds
        return float(west), float(south), float(east), float(north)
    except (TypeError, ValueError):
        return None


def view_layers(service: RegionService, overlays: Sequence[str] | None, t: Translate) -> list[str]:
    """Keys of the exportable layers among the checked overlays (named in ``t``'s language)."""
    by_name = {name: key for key, name in export_layers(service).items()}
    english = english_overlays(service, list(overlays or []), t) or []
    return [by_name[name] for name in english if name in by_name]


def view_request(
    service: RegionService,
    view: Mapping[str, Any],
    fmt: str,
) -> MapRequest:
    """The map request of the dashboard's view.

    ``view`` holds ``bounds`` (Leaflet's), ``overlays`` (checked names), ``month``,
    ``opacity`` and ``lang``.

    Raises
    ------
    MapRequestError
        Nothing exportable is checked (the message in the page's language), or a bad value.
    """
    lang = view.get("lang") or "en"
    t = translator(lang)
    layers = view_layers(service, view.get("overlays"), t)
    if not layers:
        raise MapRequestError(t("Check at least one layer on the map first."))
    bbox = view_bbox(view.get("bounds"))
    try:
        return check_request(
            service,
            layers,
            int(slider_value(view.get("month"), MONTH_RANGE, 0)),
            bbox,
            lang,
            DEFAULT_SIZE_PX,
            fmt,
            slider_value(view.get("opacity"), OPACITY_RANGE, RASTER_OPACITY),
        )
    except MapRequestError as exc:
        if exc.code == "outside":
            raise MapRequestError(
                t("The map shows no part of the region: move back to it.")
            ) from exc
        raise


def _numbers(text: str, name: str, fix: str) -> list[float]:
    try:
        return [float(v) for v in text.split(",")]
    except ValueError as exc:
        raise MapRequestError(f"{name}={text!r}: {fix}") from exc


def query_request(service: RegionService, fmt: str, args: Mapping[str, str]) -> MapRequest:
    """The map request of the route's query arguments.

    Raises
    ------
    MapRequestError
        A bad argument, named, with the fix.
    """
    layers = [k for k in args.get("layers", "").split(",") if k]
    month = args.get("m", "0")
    if not month.isdigit():
        raise MapRequestError(f"m={month!r}: give 1-12, or 0 for the year")
    bbox = args.get("bbox")
    box = _numbers(bbox, "bbox", "give WEST,SOUTH,EAST,NORTH in degrees") if bbox else None
    size = args.get("size")
    size_px: Sequence[int] = DEFAULT_SIZE_PX
    if size:
        width, _, height = size.partition("x")
        if not (width.isdigit() and height.isdigit()):
            raise MapRequestError(f"size={size!r}: give WIDTHxHEIGHT in pixels, e.g. 1754x1240")
        size_px = (int(width), int(height))
    opacity = _numbers(args.get("opacity", "1"), "opacity", "give a number 0-1")
    return check_request(
        service, layers, int(month), box, args.get("lang", "en"), size_px, fmt, opacity[0]
    )


def register_map_export(app: Dash, service: RegionService) -> None:
    """The control's callback and the ``/export/map.<format>`` route.

    One map is drawn at a time per process (a page of 4000 x 4000 px holds 64 MB of pixels,
    and matplotlib's PDF font setting is process-wide).
    """
    drawing = threading.Lock()
    register_map_route(app.server, service, drawing)

    # the map's extent as shown: its bounds once moved, else its centre and zoom over its box
    app.clientside_callback(
        "function(n, bounds, center, zoom) {"
        " if (!n) { return window.dash_clientside.no_update; }"
        f" const el = document.getElementById('{ids.MAP}');"
        " const fit = (bounds || zoom === undefined || zoom === null || !center || !el) ? bounds"
        " : window.landwater.viewBounds(center, zoom, el.clientWidth, el.clientHeight);"
        " return {n: n, bounds: fit}; }",
        Output(ids.MAPX_VIEW, "data"),
        Input(ids.MAPX_BUTTON, "n_clicks"),
        State(ids.MAP, "bounds"),
        State(ids.MAP, "center"),
        State(ids.MAP, "zoom"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.MAPX_DOWNLOAD, "data"),
        Output(ids.MAPX_MSG, "children"),
        Input(ids.MAPX_VIEW, "data"),
        State(ids.MAPX_FORMAT, "value"),
        State(ids.LAYERS_CONTROL, "overlays"),
        State(ids.MONTH, "value"),
        State(ids.OPACITY, "value"),
        State(ids.LANG, "value"),
        running=[
            (Output(ids.MAPX_BUTTON, "disabled"), True, False),
            (Output(ids.MAPX_BUSY, "children"), "…", ""),
        ],
        prevent_initial_call=True,
    )
    @panel_errors("Export map", lambda m: (None, m))
    def _export_map(
        shown: dict[str, Any] | None,
        fmt: str | None,
        overlays: list[str] | None,
        month: int | None,
        opacity: float | None,
        lang: str | None,
    ) -> tuple[Any, str]:
        if not shown:
            raise PreventUpdate
        view = {
            "bounds": shown.get("bounds"),
            "overlays": overlays,
            "month": month,
            "opacity": opacity,
            "lang": lang,
        }
        try:
            req = view_request(service, view, fmt if fmt in FORMATS else "pdf")
        except MapRequestError as exc:
            return no_update, str(exc)
        from dashboard.map_drawing import map_bytes  # matplotlib: loaded on the first map

        with drawing:
            name, data = map_bytes(service, req)
        return dcc.send_bytes(data, name), f"{name} ({len(data) / 1024:,.0f} KB)"


def register_map_route(
    server: Flask, service: RegionService, drawing: threading.Lock | None = None
) -> None:
    """``/export/map.png`` and ``/export/map.pdf``: the map of the query's request.

    ``drawing`` is held while a map is drawn (shared with the control's callback).
    """
    drawing = drawing or threading.Lock()

    @server.route("/export/map.<fmt>")
    def export_map(fmt: str) -> Response:
        if fmt not in FORMATS:
            abort(404)
        if len(request.query_string) > MAX_QUERY_CHARS:
            return Response("query too long", 400, mimetype="text/plain")
        try:
            req = query_request(service, fmt, request.args)
        except MapRequestError as exc:
            return Response(str(exc), 400, mimetype="text/plain")
        from dashboard.map_drawing import map_bytes

        with drawing:
            name, data = map_bytes(service, req)
        resp = Response(data, mimetype=FORMATS[fmt])
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        resp.headers["Cache-Control"] = "no-cache"
        return resp
