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
from dashboard.i18n import Translate, number, translator
from dashboard.profile import area_profile_data, profile_panel
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


def _feature_collection(geometry: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": geometry}],
    }


def _linked_area(designer: DesignerService, link: dict[str, Any] | None) -> dict[str, Any]:
    """The saved area a page's link names (``{"id"}``), with its name and geometry.

    Raises PreventUpdate without a link, or when the area is gone (the saved areas' panel
    says so).
    """
    if not link or not link.get("id"):
        raise PreventUpdate
    try:
        rec = designer.workspace.get_area(str(link["id"]))
    except KeyError as exc:
        raise PreventUpdate from exc
    return {"id": rec.id, "name": rec.name, "geometry": rec.geometry}


def area_view(
    designer: DesignerService,
    trigger: Any,
    drawn: dict[str, Any] | None,
    contents: str | None,
    filename: str | None,
    lang: str | None,
    opened: dict[str, Any] | None = None,
    shown: dict[str, Any] | None = None,
    clears: int | None = 0,
) -> tuple[Any, Any, Any, Any]:
    """The area store, its summary panel, a message and the saved area shown (or None).

    From a drawing, an upload, or a saved area opened (``opened``: its id, name and geometry;
    without a geometry the saved area shown was deleted, and the area stays, unsaved). On page
    load (``trigger`` None) ``opened`` is the page link's ``{"id"}``, shown when it is saved.
    ``shown`` is the saved area the panel shows: a drawing tool left empty does not clear it;
    ``clears`` counts the clicks on "Clear the area" (after one, the link's area is let go).
    """
    t = translator(lang)
    if trigger == ids.AOI_CLEAR:
        return None, None, t("Area cleared."), None
    saved = None
    title = t("Area of interest")
    if trigger is None:  # the saved area of the page's link, if any
        opened = _linked_area(designer, opened)
        trigger = ids.AREA_OPENED
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
        elif drawn and drawn.get("features"):
            area = area_from_geojson(drawn)
        elif shown:  # no drawing left, and the area shown is a saved one: it stays
            raise PreventUpdate
        elif opened and opened.get("id") and "geometry" not in opened and not clears:
            # the drawing tool's first, empty answer on the load of a link: the link's area
            return area_view(designer, None, None, None, None, lang, opened)
        else:
            return None, None, no_update, None
        if not designer.ready():
            return (
                None,
                None,
                t("Suitability needs results: run `landwater process` on this region."),
                saved,
            )
        summary = area_summary(designer.planner.engine, area.geometry, title)
    except (UploadError, ValueError, binascii.Error) as exc:  # the last area is not this one
        return None, None, problems_box([upload_message(exc, t)]), None
    data_ = area_profile_data(summary, designer.service.land_use_colours())
    note = f" ({area.repaired} {t('invalid polygons repaired')})" if area.repaired else ""
    vertices = number(area.vertices, 0, t)
    msg = f"{area.features} {t('polygon(s)')}, {vertices} {t('vertices')}{note}"
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
        State(ids.AOI_SAVED, "data"),
        # not on page load (the planner's page has no drawing tool): the drawing tool's first,
        # empty answer on the designer's page opens the saved area of the page's link
        prevent_initial_call=True,
    )
    @panel_errors("Area of interest", lambda m: (None, None, m, None))
    def _area(
        drawn: dict[str, Any] | None,
        contents: str | None,
        clears: int | None,
        opened: dict[str, Any] | None,
        filename: str | None,
        lang: str | None,
        shown: dict[str, Any] | None,
    ) -> tuple[Any, Any, Any, Any]:
        trigger = ctx.triggered_id
        return area_view(designer, trigger, drawn, contents, filename, lang, opened, shown, clears)

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
