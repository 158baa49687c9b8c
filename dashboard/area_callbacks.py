"""Thin callback of the area of interest (drawn, uploaded or saved) and its pure view function.

Whatever puts a geometry in ``AOI_STORE`` makes an area the designer can save by name
(:mod:`dashboard.saved_areas`); a saved area comes back through ``AREA_OPENED``.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import shapely.geometry
from dash import Dash, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.designer_service import DesignerService
from dashboard.errors import panel_errors, problems_box
from dashboard.i18n import translator
from dashboard.profile import ProfileData, profile_panel
from layers.upload import UploadError, area_from_geojson, read_area_upload
from processing.area import area_summary


def _feature_collection(geometry: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": geometry}],
    }


def area_view(
    designer: DesignerService,
    trigger: Any,
    drawn: dict[str, Any] | None,
    contents: str | None,
    filename: str | None,
    lang: str | None,
    opened: dict[str, Any] | None = None,
) -> tuple[Any, Any, Any, Any]:
    """The area store, its summary panel, a message and the saved area shown (or None).

    From a drawing, an upload, or a saved area opened (``opened``: its id, name and geometry;
    without a geometry the saved area shown was deleted, and the area stays, unsaved).
    """
    t = translator(lang)
    if trigger == ids.AOI_CLEAR:
        return None, None, t("Area cleared."), None
    saved = None
    title = t("Area of interest")
    try:
        if trigger == ids.AREA_OPENED:
            if not opened or not isinstance(opened.get("geometry"), dict):
                return no_update, no_update, no_update, None
            saved = {"id": str(opened["id"]), "name": str(opened["name"])}
            title = saved["name"]
            area = area_from_geojson(_feature_collection(opened["geometry"]))
        elif trigger == ids.AOI_UPLOAD:
            if not contents:
                raise PreventUpdate
            data = base64.b64decode(contents.split(",", 1)[-1], validate=False)
            area = read_area_upload(filename or "upload", data)
        else:
            if not drawn or not drawn.get("features"):
                return None, None, no_update, None
            area = area_from_geojson(drawn)
        if not designer.ready():
            return (
                None,
                None,
                t("Suitability needs results: run `landwater process` on this region."),
                saved,
            )
        summary = area_summary(designer.planner.engine, area.geometry, title)
    except (UploadError, ValueError, binascii.Error) as exc:  # the last area is not this one
        return None, None, problems_box([str(exc)]), None
    data_ = ProfileData(
        summary=summary.summary,
        monthly=summary.monthly,
        attributes={},
        sites=summary.sites,
        land_use_colours=designer.service.land_use_colours(),
        suitability=summary.suitability,
        crops=None,
        level="area",
    )
    note = f" ({area.repaired} {t('invalid polygons repaired')})" if area.repaired else ""
    msg = f"{area.features} {t('polygon(s)')}, {area.vertices:,} {t('vertices')}{note}"
    return shapely.geometry.mapping(area.geometry), profile_panel(data_, t), msg, saved


def register_area(app: Dash, designer: DesignerService) -> None:
    """The area of interest: drawing, upload or saved area -> store, summary panel, message."""

    @app.callback(
        Output(ids.AOI_STORE, "data"),
        Output(ids.AOI_SUMMARY, "children"),
        Output(ids.AOI_MSG, "children"),
        Output(ids.AOI_SAVED, "data"),
        Input(ids.AOI_DRAW, "geojson"),
        Input(ids.AOI_UPLOAD, "contents"),
        Input(ids.AOI_CLEAR, "n_clicks"),
        Input(ids.AREA_OPENED, "data"),
        State(ids.AOI_UPLOAD, "filename"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    @panel_errors("Area of interest", lambda m: (None, None, m, None))
    def _area(
        drawn: dict[str, Any] | None,
        contents: str | None,
        _clear: int,
        opened: dict[str, Any] | None,
        filename: str | None,
        lang: str | None,
    ) -> tuple[Any, Any, Any, Any]:
        return area_view(designer, ctx.triggered_id, drawn, contents, filename, lang, opened)

    # the map draws the area (drawn or uploaded) in the browser: no round trip
    app.clientside_callback(
        "function(area) { return {type: 'FeatureCollection', features: area ?"
        " [{type: 'Feature', properties: {}, geometry: area}] : []}; }",
        Output(ids.AOI_LAYER, "data"),
        Input(ids.AOI_STORE, "data"),
    )
    # "Clear the area" removes the drawn shapes and forgets the upload (so the same file
    # can be uploaded again)
    app.clientside_callback(
        "function(n) { return [{mode: 'remove', action: 'clear all', n_clicks: n}, null]; }",
        Output(ids.AOI_DRAW, "editToolbar"),
        Output(ids.AOI_UPLOAD, "contents"),
        Input(ids.AOI_CLEAR, "n_clicks"),
        prevent_initial_call=True,
    )
