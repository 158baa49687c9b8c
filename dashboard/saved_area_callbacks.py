"""Thin callbacks of the saved areas of interest: the buttons, and the share link."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, ctx, no_update

from dashboard import ids
from dashboard.designer_service import DesignerService
from dashboard.errors import keep_on_bad_input, panel_errors
from dashboard.saved_areas import saved_area_action, share_href


def register_saved_areas(app: Dash, designer: DesignerService) -> None:
    """Save, open, rename and delete saved areas; show the link of the one shown.

    The list refreshes after every action and on page load, which also opens the saved area
    of the page's link.
    """

    @app.callback(
        Output(ids.AREA_SELECT, "options"),
        Output(ids.AREA_SELECT, "value"),
        Output(ids.AREA_VERSIONS, "data"),
        Output(ids.AREA_MSG, "children"),
        Output(ids.AREA_OPENED, "data"),
        Input(ids.AREA_SAVE, "n_clicks"),
        Input(ids.AREA_OPEN, "n_clicks"),
        Input(ids.AREA_RENAME, "n_clicks"),
        Input(ids.AREA_DELETE, "n_clicks"),
        State(ids.AREA_NAME, "value"),
        State(ids.AREA_SELECT, "value"),
        State(ids.AREA_VERSIONS, "data"),
        State(ids.AOI_STORE, "data"),
        State(ids.AOI_SAVED, "data"),
        State(ids.AREA_OPENED, "data"),
        State(ids.LANG, "value"),
    )
    @panel_errors("Saved areas", lambda m: (no_update, no_update, no_update, m, no_update))
    def _saved_areas(
        _save: int,
        _open: int,
        _rename: int,
        _delete: int,
        name: str | None,
        selected: str | None,
        versions: dict[str, dict[str, Any]] | None,
        aoi: dict[str, Any] | None,
        shown: dict[str, Any] | None,
        opened: dict[str, Any] | None,
        lang: str | None,
    ) -> tuple[Any, ...]:
        trigger = ctx.triggered_id
        refusal = designer.access.refusal() if trigger is not None else None
        answer = saved_area_action(
            designer.workspace,
            refusal,
            trigger,
            name,
            selected,
            versions or {},
            aoi,
            shown,
            opened,
            lang,
        )
        return answer.outputs()

    @app.callback(
        Output(ids.AREA_LINK, "href"),
        Output(ids.AREA_LINK, "style"),
        Input(ids.AOI_SAVED, "data"),
        State(ids.LANG, "value"),
    )
    @keep_on_bad_input
    def _share_link(shown: dict[str, Any] | None, lang: str | None) -> tuple[Any, Any]:
        if not shown or not shown.get("id"):
            return None, {"display": "none"}
        return share_href(str(shown["id"]), lang), {}
