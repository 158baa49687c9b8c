"""Thin callback of the area of interest (drawn or uploaded) and its pure view function."""

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
from dashboard.i18n import Translate, number, translator
from dashboard.profile import ProfileData, profile_panel
from layers.upload import UploadError, area_from_geojson, read_area_upload
from processing.area import area_summary


def upload_message(exc: Exception, t: Translate) -> str:
    """Why an area cannot be used, in ``t``'s language where its catalogue has the message.

    An :class:`UploadError`'s fields are filled in after translation: numbers in the
    language's format, words (a file kind, "drawn area") translated, file names as sent.
    """
    if not isinstance(exc, UploadError) or not exc.values:
        return t(str(exc))
    values = {
        k: number(v, 0 if isinstance(v, int) else 1, t)
        if isinstance(v, int | float) and not isinstance(v, bool)
        else t(str(v))
        for k, v in exc.values.items()
    }
    return t(exc.template).format(**values)


def area_view(
    designer: DesignerService,
    trigger: Any,
    drawn: dict[str, Any] | None,
    contents: str | None,
    filename: str | None,
    lang: str | None,
) -> tuple[Any, Any, Any]:
    """The area store, its summary panel and a message, from a drawing or an upload."""
    t = translator(lang)
    if trigger == ids.AOI_CLEAR:
        return None, None, t("Area cleared.")
    try:
        if trigger == ids.AOI_UPLOAD:
            if not contents:
                raise PreventUpdate
            data = base64.b64decode(contents.split(",", 1)[-1], validate=False)
            area = read_area_upload(filename or "upload", data)
        else:
            if not drawn or not drawn.get("features"):
                return None, None, no_update
            area = area_from_geojson(drawn)
        if not designer.ready():
            return (
                None,
                None,
                t("Suitability needs results: run `landwater process` on this region."),
            )
        summary = area_summary(designer.planner.engine, area.geometry, t("Area of interest"))
    except (UploadError, ValueError, binascii.Error) as exc:  # the last area is not this one
        return None, None, problems_box([upload_message(exc, t)])
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
    vertices = number(area.vertices, 0, t)
    msg = f"{area.features} {t('polygon(s)')}, {vertices} {t('vertices')}{note}"
    return shapely.geometry.mapping(area.geometry), profile_panel(data_, t), msg


def register_area(app: Dash, designer: DesignerService) -> None:
    """The area of interest: drawing or upload -> store, summary panel, message."""

    @app.callback(
        Output(ids.AOI_STORE, "data"),
        Output(ids.AOI_SUMMARY, "children"),
        Output(ids.AOI_MSG, "children"),
        Input(ids.AOI_DRAW, "geojson"),
        Input(ids.AOI_UPLOAD, "contents"),
        Input(ids.AOI_CLEAR, "n_clicks"),
        State(ids.AOI_UPLOAD, "filename"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    @panel_errors("Area of interest", lambda m: (None, None, m))
    def _area(
        drawn: dict[str, Any] | None,
        contents: str | None,
        _clear: int,
        filename: str | None,
        lang: str | None,
    ) -> tuple[Any, Any, Any]:
        return area_view(designer, ctx.triggered_id, drawn, contents, filename, lang)

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
