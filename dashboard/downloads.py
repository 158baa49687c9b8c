"""The downloads panel: analysts' tables and layers from the dashboard.

The file is built by :func:`processing.exports.export_level` in a private temporary folder
and sent to the browser (``dcc.Download``); nothing is written in the region. File names
carry the region, the level and the date.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.i18n import Translate, translator
from dashboard.service import RegionService
from layers.io import write_csv, write_vector
from layers.workspace import Workspace
from processing.exports import export_filename, export_level, shortlist_points, slug

FORMAT_LABELS = (
    ("csv", "CSV"),
    ("xlsx", "Excel (all tables + README)"),
    ("geojson", "GeoJSON"),
    ("gpkg", "GeoPackage (all layers)"),
)
TABLE_LABELS = (
    ("summary", "Summary"),
    ("monthly", "Monthly (long)"),
    ("suitability", "Suitability (long)"),
    ("crops", "Crops (long)"),
)


def downloads_panel(service: RegionService, t: Translate) -> html.Details:
    """Level, format, table and "only the selection", and the download button."""
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
            ),
            dcc.Dropdown(
                options=[{"label": t(label), "value": v} for v, label in TABLE_LABELS],
                value="summary",
                id=ids.DL_TABLE,
                clearable=False,
            ),
            dcc.Checklist(
                options=[{"label": " " + t("Only the selected unit"), "value": "on"}],
                value=[],
                id=ids.DL_ONLY,
            ),
            html.Button(t("Download"), id=ids.DL_BUTTON, n_clicks=0),
            html.Div(id=ids.DL_MSG, role="status", className="design-msg"),
            dcc.Download(id=ids.DOWNLOAD),
        ],
        className="downloads",
    )


def export_bytes(
    service: RegionService,
    workspace: Workspace | None,
    level: str,
    fmt: str,
    table: str = "summary",
    only: list[str] | None = None,
) -> tuple[str, bytes]:
    """The file name and content of an export (built in a private temporary folder).

    Raises
    ------
    ValueError
        No results yet, unknown ids, or an empty table.
    """
    if service.results is None:
        raise ValueError("no results yet: run `landwater process` on this region")
    name = export_filename(service.region, level, fmt, table)
    shortlists = shortlist_points(workspace) if workspace is not None and fmt == "gpkg" else None
    with tempfile.TemporaryDirectory(prefix="landwater-export-") as tmp:
        path = export_level(
            service.region,
            service.registry,
            service.results,
            level,
            fmt,
            Path(tmp) / name,
            only,
            table,
            shortlists,
        )
        return name, path.read_bytes()


def shortlist_bytes(
    service: RegionService, workspace: Workspace, shortlist_id: int, fmt: str
) -> tuple[str, bytes]:
    """A saved shortlist's sites as GeoJSON or CSV: file name and content.

    Raises
    ------
    KeyError
        The shortlist no longer exists.
    ValueError
        It has no sites.
    """
    points = shortlist_points(workspace, shortlist_id)
    if points is None:
        raise ValueError("this shortlist has no sites")
    name = (
        f"landwater_{slug(service.region.name)}_shortlist_{slug(str(points['shortlist'].iloc[0]))}"
        f"_{dt.date.today().isoformat()}.{fmt}"
    )
    with tempfile.TemporaryDirectory(prefix="landwater-export-") as tmp:
        path = Path(tmp) / name
        if fmt == "csv":
            write_csv(pd.DataFrame(points.drop(columns="geometry")), path)
        else:
            write_vector(points, path)
        return name, path.read_bytes()


def register_downloads(app: Dash, service: RegionService, workspace: Workspace | None) -> None:
    """The panel's button and the profile's download button."""

    def _send(level: str, fmt: str, table: str, only: list[str] | None) -> tuple[Any, str]:
        try:
            name, data = export_bytes(service, workspace, level, fmt, table, only)
        except ValueError as exc:
            return no_update, str(exc)
        return dcc.send_bytes(data, name), f"{name} ({len(data) / 1024:,.0f} KB)"

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Output(ids.DL_MSG, "children"),
        Input(ids.DL_BUTTON, "n_clicks"),
        State(ids.DL_LEVEL, "value"),
        State(ids.DL_FORMAT, "value"),
        State(ids.DL_TABLE, "value"),
        State(ids.DL_ONLY, "value"),
        State(ids.SELECTION, "data"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    def _download(
        n: int,
        level: str,
        fmt: str,
        table: str,
        only_on: list[str] | None,
        selection: dict[str, str] | None,
        lang: str | None,
    ) -> tuple[Any, str]:
        if not n:
            raise PreventUpdate
        only = None
        if only_on:
            want = "communities" if level == "community" else "watersheds"
            if not selection or selection.get("level") != want:
                return no_update, translator(lang)("Select a unit on the map first.")
            only = [selection["id"]]
        return _send(level, fmt, table, only)

    @app.callback(
        Output(ids.SHORTLIST_DOWNLOAD, "data"),
        Output(ids.SHORTLIST_MSG, "children", allow_duplicate=True),
        Input(ids.SHORTLIST_GEOJSON, "n_clicks"),
        Input(ids.SHORTLIST_CSV, "n_clicks"),
        State(ids.SHORTLIST_SELECT, "value"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
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
        prevent_initial_call=True,
    )
    def _profile_download(n: int | None, selection: dict[str, str] | None) -> tuple[Any, str]:
        if not n or not selection:
            raise PreventUpdate
        level = "community" if selection.get("level") == "communities" else "watershed"
        return _send(level, "xlsx", "summary", [selection["id"]])
