"""Thin callback of the saved shortlists (save, update, rename, delete) and its action."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, ctx, no_update

from dashboard import ids
from dashboard.designer import shortlist_options
from dashboard.designer_service import DesignerService, error_message
from dashboard.errors import keep_on_bad_input, panel_errors
from dashboard.i18n import translator
from layers.workspace import ConflictError


def shortlist_action(
    designer: DesignerService,
    trigger: Any,
    name: str | None,
    author: str | None,
    selected: int | None,
    versions: dict[str, int],
    candidates: list[dict[str, Any]],
    state: dict[str, Any] | None,
    lang: str | None,
) -> tuple[list[dict[str, Any]], dict[str, int], str]:
    """Save, update, rename or delete a shortlist; the refreshed list and a message."""
    t = translator(lang)
    ws = designer.workspace
    msg = ""
    refusal = designer.access.refusal() if trigger is not None else None
    try:
        if refusal is not None:
            msg = t(refusal)
        elif trigger == ids.SHORTLIST_SAVE:
            if not candidates:
                msg = t("No candidate sites to save.")
            else:
                rec = ws.save_shortlist(
                    name or "",
                    candidates,
                    intervention=(state or {}).get("intervention", ""),
                    author=author or "",
                )
                msg = f"{t('Saved')} {rec.name} ({len(rec.sites)})"
        elif trigger in (ids.SHORTLIST_UPDATE, ids.SHORTLIST_RENAME, ids.SHORTLIST_DELETE):
            if selected is None:
                msg = t("Choose a saved shortlist first.")
            elif trigger == ids.SHORTLIST_DELETE:
                ws.delete_shortlist(int(selected))
                msg = t("Deleted.")
            else:
                version = int(versions.get(str(selected), 0))
                if trigger == ids.SHORTLIST_RENAME:
                    rec = ws.update_shortlist(int(selected), version, name=name or "")
                else:
                    rec = ws.update_shortlist(int(selected), version, sites=candidates)
                msg = f"{t('Saved')} {rec.name} ({len(rec.sites)})"
    except ConflictError as exc:
        msg = str(exc)
    except (KeyError, ValueError) as exc:
        msg = error_message(exc)
    records = ws.list_shortlists()
    return shortlist_options(records), {str(r.id): r.version for r in records}, msg


def register_shortlists(app: Dash, designer: DesignerService) -> None:
    """The shortlist buttons; the list refreshes after every action and on page load."""

    @app.callback(
        Output(ids.SHORTLIST_SELECT, "options"),
        Output(ids.SHORTLIST_VERSIONS, "data"),
        Output(ids.SHORTLIST_MSG, "children"),
        Input(ids.SHORTLIST_SAVE, "n_clicks"),
        Input(ids.SHORTLIST_UPDATE, "n_clicks"),
        Input(ids.SHORTLIST_RENAME, "n_clicks"),
        Input(ids.SHORTLIST_DELETE, "n_clicks"),
        State(ids.SHORTLIST_NAME, "value"),
        State(ids.SHORTLIST_AUTHOR, "value"),
        State(ids.SHORTLIST_SELECT, "value"),
        State(ids.SHORTLIST_VERSIONS, "data"),
        State(ids.CANDIDATES, "data"),
        State(ids.DESIGN_STATE, "data"),
        State(ids.LANG, "value"),
    )
    @panel_errors("Shortlists", lambda m: (no_update, no_update, m))
    def _shortlists(
        _save: int,
        _update: int,
        _rename: int,
        _delete: int,
        name: str | None,
        author: str | None,
        selected: int | None,
        versions: dict[str, int] | None,
        candidates: list[dict[str, Any]] | None,
        state: dict[str, Any] | None,
        lang: str | None,
    ) -> tuple[Any, ...]:
        return shortlist_action(
            designer,
            ctx.triggered_id,
            name,
            author,
            selected,
            versions or {},
            candidates or [],
            state,
            lang,
        )

    @app.callback(
        Output(ids.SHORTLIST_BRIEF, "href"),
        Output(ids.SHORTLIST_BRIEF, "style"),
        Input(ids.SHORTLIST_SELECT, "value"),
    )
    @keep_on_bad_input
    def _brief_link(selected: int | None) -> tuple[str | None, dict[str, str]]:
        if selected is None:
            return None, {"display": "none"}
        return f"/brief/shortlist/{int(selected)}.html", {}
