"""The downloads panel and the ``/export`` route: analysts' tables and layers.

The files come from :mod:`dashboard.export_files` (built in a private temporary folder;
nothing is written in the region) and go to the browser by ``dcc.Download`` or, for large
files, streamed from the ``/export/<level>/<format>`` route.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely.geometry
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate
from flask import Flask, Response, abort, request, send_file
from shapely.geometry.base import BaseGeometry

from dashboard import ids
from dashboard.errors import panel_errors
from dashboard.export_files import (
    build_export,
    clip_bytes,
    clip_filename,
    export_bytes,
    shortlist_bytes,
)
from dashboard.i18n import Translate, translator
from dashboard.search_options import dropdown_labels
from dashboard.service import RegionService
from layers.workspace import Workspace
from processing.clip import clip_layer
from processing.exports import FORMATS
from processing.future_profile import CommunityFuture

# a community under the page's last future scenario: (the scenario's fields, community id)
FutureOf = Callable[[dict[str, Any] | None, str], CommunityFuture | None]

FORMAT_LABELS = (
    ("csv", "CSV"),
    ("xlsx", "Excel (all tables + README)"),
    ("geojson", "GeoJSON"),
    ("gpkg", "GeoPackage (all layers)"),
    ("tif", "Raster clip (COG)"),
)
TABLE_LABELS = (
    ("summary", "Summary"),
    ("monthly", "Monthly (long)"),
    ("suitability", "Suitability (long)"),
    ("crops", "Crops (long)"),
)
SCOPE_LABELS = (
    ("all", "All units"),
    ("selection", "Only the selected unit"),
    ("area", "Only the drawn area"),
)
MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024  # larger files: `landwater export` (no browser memory)


def downloads_panel(service: RegionService, t: Translate) -> html.Details:
    """Level, format, table or raster layer, scope, and the download button."""
    levels = [{"label": " " + t("Communities"), "value": "community"}]
    if service.region.config.layers.watersheds is not None:
        levels.append({"label": " " + t("Watersheds"), "value": "watershed"})
    return html.Details(
        [
            html.Summary(t("Downloads")),
            dcc.RadioItems(options=levels, value="community", id=ids.DL_LEVEL, inline=True),
            dcc.Dropdown(
                options=[{"label": t(label), "value": v} for v, label in FORMAT_LABELS],
                value="csv",
                id=ids.DL_FORMAT,
                clearable=False,
                labels=dropdown_labels(t),
            ),
            dcc.Dropdown(
                options=[{"label": t(label), "value": v} for v, label in TABLE_LABELS],
                value="summary",
                id=ids.DL_TABLE,
                clearable=False,
                labels=dropdown_labels(t),
            ),
            dcc.Dropdown(
                options=[{"label": v, "value": v} for v in service.clip_layers()],
                value="rainfall",
                id=ids.DL_LAYER,
                clearable=False,
                placeholder=t("Raster layer"),
                labels=dropdown_labels(t),
            ),
            dcc.RadioItems(
                options=[{"label": " " + t(label), "value": v} for v, label in SCOPE_LABELS],
                value="all",
                id=ids.DL_SCOPE,
            ),
            html.Button(t("Download"), id=ids.DL_BUTTON, n_clicks=0),
            html.A(
                t("Direct link (streamed, for large files)"),
                id=ids.DL_LINK,
                href="/export/community/csv?table=summary",
                className="download-link",
            ),
            html.Div(id=ids.DL_BUSY, role="status", className="design-msg"),
            html.Div(id=ids.DL_MSG, role="status", className="design-msg"),
            dcc.Download(id=ids.DOWNLOAD),
        ],
        className="downloads",
    )


EXPORT_LINK_JS = """
function(level, fmt, table, layer, scope, sel) {
  const none = [null, {display: 'none'}];
  if (scope === 'area') { return none; }  // a drawn area goes by the button
  const params = new URLSearchParams(fmt === 'tif' ? {layer: layer} : {table: table});
  if (scope === 'selection' || fmt === 'tif') {
    const plural = level === 'community' ? 'communities' : 'watersheds';
    if (!sel || sel.level !== plural) { return none; }
    params.set('only', sel.id);
  }
  return ['/export/' + level + '/' + fmt + '?' + params.toString(), {}];
}
"""
"""The panel's streamed-download URL, built in the browser from the choice:
``/export/<level>/<format>?table=..&only=..&layer=..``; hidden for a drawn area."""


def register_export_route(
    server: Flask, service: RegionService, workspace: Workspace | None
) -> None:
    """``/export/<level>/<format>``: an export streamed from a private temporary folder."""

    @server.route("/export/<level>/<fmt>")
    def export(level: str, fmt: str) -> Response:
        if level not in ("community", "watershed") or fmt not in (*FORMATS, "tif"):
            abort(404)
        only = [i for i in request.args.get("only", "").split(",") if i] or None
        folder = Path(tempfile.mkdtemp(prefix="landwater-export-"))
        try:
            if fmt == "tif":
                plural = "communities" if level == "community" else "watersheds"
                units, id_field = service.units(plural)
                if units is None or not only or len(only) != 1:
                    raise ValueError("a raster clip needs one unit: only=<id>")
                shape = units.geometry[units[id_field].astype(str) == only[0]]
                if shape.empty:
                    raise ValueError(f"unknown {level} '{only[0]}'")
                layer = request.args.get("layer", "")
                path = clip_layer(
                    service.registry,
                    service.results,
                    layer,
                    shape.iloc[0],
                    folder / clip_filename(service, layer, f"{level}_{only[0]}"),
                )
            else:
                table = request.args.get("table", "summary")
                path = build_export(service, workspace, level, fmt, folder, table, only)
        except (KeyError, ValueError) as exc:
            shutil.rmtree(folder, ignore_errors=True)
            return Response(str(exc).strip("'\""), 400, mimetype="text/plain")
        except BaseException:  # any other failure: no half-written file left behind
            shutil.rmtree(folder, ignore_errors=True)
            raise
        # open, then delete the folder: the open file streams from disk and its space is
        # freed when the response closes, even if the browser goes away mid-download
        handle = path.open("rb")
        shutil.rmtree(folder, ignore_errors=True)
        return send_file(handle, as_attachment=True, download_name=path.name, max_age=0)


def _scope_units(
    service: RegionService,
    level: str,
    scope: str,
    selection: dict[str, str] | None,
    area: dict[str, Any] | None,
    t: Translate,
) -> tuple[list[str] | None, BaseGeometry | None, str]:
    """Unit ids and area (working CRS) of a scope, or an error message."""
    plural = "communities" if level == "community" else "watersheds"
    units, id_field = service.units(plural)
    if scope == "selection":
        if units is None or not selection or selection.get("level") != plural:
            return None, None, t("Select a unit on the map first.")
        geom = units.geometry[units[id_field].astype(str) == selection["id"]]
        return [selection["id"]], geom.iloc[0] if len(geom) else None, ""
    if scope == "area":
        if not area:
            return None, None, t("Draw or upload an area on the design page first.")
        shape = (
            gpd.GeoSeries([shapely.geometry.shape(area)], crs=4326)
            .to_crs(service.registry.crs)
            .iloc[0]
        )
        if units is None:
            return None, shape, ""
        hit = units[units.intersects(shape)]
        if not len(hit):
            return None, None, t("No unit of this level overlaps the drawn area.")
        return hit[id_field].astype(str).tolist(), shape, ""
    return None, None, ""


def download_view(
    service: RegionService,
    workspace: Workspace | None,
    choice: dict[str, Any],
    selection: dict[str, str] | None,
    area: dict[str, Any] | None,
    lang: str | None,
    future: CommunityFuture | None = None,
) -> tuple[Any, str]:
    """The panel's download (``dcc.send_bytes`` data) and message for the user's choices.

    ``choice`` holds ``level``, ``format``, ``table``, ``layer`` and ``scope``; ``future``
    a community under a future-climate scenario (its own Excel sheet).
    """
    t = translator(lang)
    level, fmt = choice["level"], choice["format"]
    only, shape, problem = _scope_units(service, level, choice["scope"], selection, area, t)
    if problem:
        return no_update, problem
    try:
        if fmt == "tif":
            if shape is None:
                return no_update, t("A raster clip needs the selected unit or a drawn area.")
            label = "area" if choice["scope"] == "area" else f"{level}_{(only or ['x'])[0]}"
            name, data = clip_bytes(service, choice["layer"], shape, label)
        else:
            name, data = export_bytes(service, workspace, level, fmt, choice["table"], only, future)
    except (KeyError, ValueError) as exc:
        return no_update, str(exc).strip("'\"")
    if len(data) > MAX_DOWNLOAD_BYTES:
        return no_update, t("This file is too large for the button: use the direct link.")
    return dcc.send_bytes(data, name), f"{name} ({len(data) / 1024:,.0f} KB)"


def profile_download(
    service: RegionService,
    workspace: Workspace | None,
    selection: dict[str, str],
    scenario: dict[str, Any] | None,
    future_of: FutureOf | None = None,
) -> tuple[Any, str]:
    """The profile's Excel file of the selected unit; message.

    ``scenario`` is the page's last scenario (its store): when it ran under a future climate
    covering the selected community, the file gets a sheet of it (``future_of`` gives it).
    """
    level = "community" if selection.get("level") == "communities" else "watershed"
    choice = {
        "level": level,
        "format": "xlsx",
        "table": "summary",
        "layer": "",
        "scope": "selection",
    }
    future = None
    spec = ((scenario or {}).get("future") or {}).get("scenario")
    if future_of is not None and level == "community" and spec:
        try:
            future = future_of(spec, str(selection.get("id")))
        except ValueError as exc:
            return no_update, str(exc)
    return download_view(service, workspace, choice, selection, None, None, future)


def register_downloads(
    app: Dash,
    service: RegionService,
    workspace: Workspace | None,
    future_of: FutureOf | None = None,
) -> None:
    """The panel's button, the shortlist downloads and the profile's download button.

    ``future_of`` gives a community under the page's last future scenario (the profile's
    file then carries it).
    """

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Output(ids.DL_MSG, "children"),
        Input(ids.DL_BUTTON, "n_clicks"),
        State(ids.DL_LEVEL, "value"),
        State(ids.DL_FORMAT, "value"),
        State(ids.DL_TABLE, "value"),
        State(ids.DL_LAYER, "value"),
        State(ids.DL_SCOPE, "value"),
        State(ids.SELECTION, "data"),
        State(ids.AOI_STORE, "data"),
        State(ids.LANG, "value"),
        running=[
            (Output(ids.DL_BUTTON, "disabled"), True, False),
            (Output(ids.DL_BUSY, "children"), "Preparing the file...", ""),
        ],
        prevent_initial_call=True,
    )
    @panel_errors("Downloads", lambda m: (no_update, m))
    def _download(
        n: int,
        level: str,
        fmt: str,
        table: str,
        layer: str,
        scope: str,
        selection: dict[str, str] | None,
        area: dict[str, Any] | None,
        lang: str | None,
    ) -> tuple[Any, str]:
        if not n:
            raise PreventUpdate
        choice = {"level": level, "format": fmt, "table": table, "layer": layer, "scope": scope}
        return download_view(service, workspace, choice, selection, area, lang)

    # the direct link and which fields show follow the choice in the browser: no round trip
    app.clientside_callback(
        EXPORT_LINK_JS,
        Output(ids.DL_LINK, "href"),
        Output(ids.DL_LINK, "style"),
        Input(ids.DL_LEVEL, "value"),
        Input(ids.DL_FORMAT, "value"),
        Input(ids.DL_TABLE, "value"),
        Input(ids.DL_LAYER, "value"),
        Input(ids.DL_SCOPE, "value"),
        Input(ids.SELECTION, "data"),
    )
    app.clientside_callback(
        "function(fmt) { const hide = {display: 'none'};"
        " return fmt === 'tif' ? [hide, {}] : [{}, hide]; }",
        Output(ids.DL_TABLE, "style"),
        Output(ids.DL_LAYER, "style"),
        Input(ids.DL_FORMAT, "value"),
    )

    @app.callback(
        Output(ids.SHORTLIST_DOWNLOAD, "data"),
        Output(ids.SHORTLIST_MSG, "children", allow_duplicate=True),
        Input(ids.SHORTLIST_GEOJSON, "n_clicks"),
        Input(ids.SHORTLIST_CSV, "n_clicks"),
        State(ids.SHORTLIST_SELECT, "value"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    @panel_errors("Shortlists", lambda m: (no_update, m))
    def _shortlist_download(
        _geojson: int, _csv: int, selected: int | None, lang: str | None
    ) -> tuple[Any, str]:
        if workspace is None or not ctx.triggered or not ctx.triggered[0]["value"]:
            raise PreventUpdate
        if selected is None:
            return no_update, translator(lang)("Choose a saved shortlist first.")
        fmt = "csv" if ctx.triggered_id == ids.SHORTLIST_CSV else "geojson"
        try:
            name, data = shortlist_bytes(service, workspace, int(selected), fmt)
        except KeyError:
            return no_update, translator(lang)("That shortlist no longer exists.")
        except ValueError as exc:
            return no_update, str(exc)
        return dcc.send_bytes(data, name), name

    @app.callback(
        Output(ids.DOWNLOAD, "data", allow_duplicate=True),
        Output(ids.DL_MSG, "children", allow_duplicate=True),
        Input(ids.PROFILE_DOWNLOAD, "n_clicks"),
        State(ids.SELECTION, "data"),
        State(ids.SCEN_STORE, "data"),
        prevent_initial_call=True,
    )
    @panel_errors("Downloads", lambda m: (no_update, m))
    def _profile_download(
        n: int | None, selection: dict[str, str] | None, scenario: dict[str, Any] | None
    ) -> tuple[Any, str]:
        if not n or not selection:
            raise PreventUpdate
        return profile_download(service, workspace, selection, scenario, future_of)
