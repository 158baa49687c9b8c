"""Flask routes of the dashboard: raster tiles and prepared GeoJSON.

Layer names (any path, so "../" tricks reach these routes too) are looked up in the
service's dictionaries, never joined onto paths, so no request can read a file outside the
prepared folder.
"""

from __future__ import annotations

from dataclasses import replace

from dash import Dash
from dash.exceptions import DependencyException, InvalidCallbackReturnValue
from flask import Flask, Response, abort, request

from dashboard.brief import brief_html
from dashboard.designer_service import DesignerService, parse_constraints, parse_weights
from dashboard.future_brief import scenario_from_token
from dashboard.service import RegionService
from dashboard.shortlist_brief import shortlist_brief_html
from dashboard.tiles import valid_tile

TILE_MAX_AGE_S = 3600
MAX_SHORTLIST_ID_DIGITS = 18  # fits SQLite's 64-bit INTEGER
CALLBACK_PATH = "/_dash-update-component"


def register_request_checks(app: Dash) -> None:
    """Answer callback requests the page could not have sent with HTTP 400, not 500.

    A request for an output no server callback writes (Dash raises ``KeyError``), a body that
    is not a JSON object, or outputs that do not match what the callback returns (Dash raises
    ``InvalidCallbackReturnValue``).
    """

    @app.server.before_request
    def known_callback() -> Response | None:
        if not request.path.endswith(CALLBACK_PATH) or request.method != "POST":
            return None
        body = request.get_json(silent=True)
        output = body.get("output") if isinstance(body, dict) else None
        spec = app.callback_map.get(output) if isinstance(output, str) else None
        if spec is None or "callback" not in spec:
            return Response("unknown callback", 400, mimetype="text/plain")
        return None

    @app.server.errorhandler(InvalidCallbackReturnValue)
    def mismatched_outputs(_exc: InvalidCallbackReturnValue) -> Response:
        return Response("outputs do not match the callback", 400, mimetype="text/plain")


def register_routes(
    server: Flask, service: RegionService, designer: DesignerService | None = None
) -> None:
    """Attach the tile, GeoJSON and (with a designer) re-weighted score tile routes.

    ``/tiles/<layer>/<z>/<x>/<y>.png``, ``/geo/<name>.geojson`` (points and lines),
    ``/geo/<name>.pbf`` (geobuf: communities and watersheds) and
    ``/tiles/design/<intervention>/<z>/<x>/<y>.png?w=<weights>``, ``/brief/<level>/<id>.html``
    (level ``communities``, ``watersheds`` or, with a designer, ``shortlist``; a community's
    with ``?scenario=<token>`` carries it under that future-climate scenario).
    """

    @server.errorhandler(DependencyException)
    def unknown_component_file(_exc: DependencyException) -> Response:
        # Dash raises this for /_dash-component-suites/<anything unknown>: a 404, not a 500
        return Response("not found", 404, mimetype="text/plain")

    if designer is not None:

        @server.route("/tiles/design/<iv>/<int:z>/<int:x>/<int:y>.png")
        def design_tile(iv: str, z: int, x: int, y: int) -> Response:
            if not valid_tile(z, x, y) or not designer.ready():
                abort(404)
            try:
                n = len(designer.profile(iv).criteria)
            except KeyError:
                abort(404)
            weights = parse_weights(request.args.get("w"), n)
            if weights is None:
                abort(404)
            constraints = parse_constraints(request.args.get("c"))
            png = designer.tile(iv, weights, z, x, y, constraints)
            if png is None:
                abort(404)
            resp = Response(png, mimetype="image/png")
            resp.headers["Cache-Control"] = f"public, max-age={TILE_MAX_AGE_S}"
            return resp

    @server.route("/tiles/<path:layer>/<int:z>/<int:x>/<int:y>.png")
    def tile(layer: str, z: int, x: int, y: int) -> Response:
        if not valid_tile(z, x, y):
            abort(404)
        band = request.args.get("band", default=1, type=int)
        png = service.tile(layer, z, x, y, band if band is not None else 1)
        if png is None:
            abort(404)
        resp = Response(png, mimetype="image/png")
        resp.headers["Cache-Control"] = f"public, max-age={TILE_MAX_AGE_S}"
        return resp

    @server.route("/brief/<level>/<path:unit_id>.html")
    def brief(level: str, unit_id: str) -> Response:
        if level == "shortlist" and designer is not None:
            # ASCII digits only ("²³".isdigit() is true) and short enough for SQLite
            if not (
                unit_id.isascii() and unit_id.isdigit() and len(unit_id) <= MAX_SHORTLIST_ID_DIGITS
            ):
                abort(404)
            try:
                record = designer.workspace.get_shortlist(int(unit_id))
            except KeyError:
                abort(404)
            resp = Response(shortlist_brief_html(service, record), mimetype="text/html")
            resp.headers["Cache-Control"] = "no-cache"
            return resp
        if level not in ("communities", "watersheds"):
            abort(404)
        data = service.profile(unit_id, level)  # looked up by id, never a path
        if data is None:
            abort(404)
        totals = future = None
        token = request.args.get("scenario")
        if designer is not None:
            if token is not None and level == "communities":
                try:
                    future = designer.scenario.community_future(scenario_from_token(token), unit_id)
                except (ValueError, RuntimeError) as exc:
                    return Response(str(exc), 400, mimetype="text/plain")
            totals = designer.programme.unit_totals(level, unit_id)
            data = replace(data, sites=designer.programme.monitored_sites(data.sites))
        resp = Response(brief_html(service, data, level, totals, future), mimetype="text/html")
        resp.headers["Cache-Control"] = "no-cache"
        return resp

    @server.route("/geo/<path:name>.geojson")
    def geojson(name: str) -> Response:
        path = service.geojson.get(name)
        if path is None or not path.name.endswith(".geojson.gz"):
            abort(404)
        body = path.read_bytes()
        if name == "sites" and request.args:
            body = service.filtered_sites(
                body,
                request.args.getlist("type"),
                request.args.getlist("status"),
                "none" in request.args,
                request.args.get("lang", "en"),
            )
        return _gzipped(body, "application/geo+json")

    @server.route("/geo/<path:name>.pbf")
    def geobuf(name: str) -> Response:
        path = service.geojson.get(name)
        if path is None or not path.name.endswith(".pbf.gz"):
            abort(404)
        return _gzipped(path.read_bytes(), "application/x-protobuf")


def _gzipped(body: bytes, mimetype: str) -> Response:
    """A response of an already gzipped body, revalidated on every load."""
    resp = Response(body, mimetype=mimetype)
    resp.headers["Content-Encoding"] = "gzip"
    resp.headers["Vary"] = "Accept-Encoding"
    resp.headers["Cache-Control"] = "no-cache"
    return resp
