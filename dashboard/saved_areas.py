"""Saved areas of interest: their controls, list, share link, and what each button does.

Any area the area panel shows (drawn, uploaded, or put in ``AOI_STORE`` by another tool) can
be saved in the team workspace by name; a saved area is opened from the list or from its
link (``?page=design&area=<id>``, :mod:`dashboard.viewstate`), renamed and deleted. Every
failure answers with a message naming what to do; names are shown as text only.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dash import dcc, html, no_update

from dashboard import ids
from dashboard.i18n import Translate, number, translator
from dashboard.viewstate import ViewState, encode_view
from layers.area_checks import MAX_AREA_NAME_CHARS, AreaGeometryError, AreaNameError
from layers.workspace import (
    AreaInfo,
    ConflictError,
    DuplicateNameError,
    Workspace,
    WorkspaceWriteError,
)

log = logging.getLogger(__name__)
HA_DIGITS = 1  # hectares shown with one decimal


def saved_area_controls(t: Translate) -> html.Div:
    """Name, save, the list of saved areas, open / rename / delete, the share link, a message."""
    return html.Div(
        [
            html.Div(
                [
                    dcc.Input(
                        id=ids.AREA_NAME,
                        placeholder=t("Area name"),
                        maxLength=MAX_AREA_NAME_CHARS,
                    ),
                    html.Button(t("Save the area"), id=ids.AREA_SAVE, n_clicks=0),
                ],
                className="shortlist-save",
            ),
            dcc.Dropdown(id=ids.AREA_SELECT, placeholder=t("Saved areas")),
            html.Div(
                [
                    html.Button(t("Open"), id=ids.AREA_OPEN, n_clicks=0),
                    html.Button(t("Rename"), id=ids.AREA_RENAME, n_clicks=0),
                    html.Button(t("Delete"), id=ids.AREA_DELETE, n_clicks=0),
                    html.A(t("Link to this area"), id=ids.AREA_LINK, style={"display": "none"}),
                ],
                className="shortlist-actions",
            ),
            html.Div(id=ids.AREA_MSG, role="status", className="design-msg"),
            dcc.Store(id=ids.AREA_VERSIONS, data={}),
        ],
        className="saved-areas",
    )


def hectares(value: float, t: Translate) -> str:
    """``12.3 ha`` in the language's number format."""
    return f"{number(value, HA_DIGITS, t)} ha"


def area_options(areas: Sequence[AreaInfo], t: Translate) -> list[dict[str, str]]:
    """Dropdown options of the saved areas (by name): the name and its hectares, as text."""
    return [{"label": f"{a.name} · {hectares(a.area_ha, t)}", "value": a.id} for a in areas]


def share_href(area_id: str, lang: str | None) -> str:
    """The link that opens the designer's page on a saved area's summary."""
    return encode_view(ViewState(page="design", area=area_id, lang=lang or "en"))


def failure_message(exc: Exception, name: str, t: Translate, from_link: bool = False) -> str:
    """What to tell the user when a saved-area action failed.

    ``name`` is the area's as the list showed it; ``from_link``: the area was asked for by
    the page's link (a missing one is then the link's).
    """
    if isinstance(exc, AreaNameError):
        if exc.problem == "long":
            return t("The name is longer than {max} characters; shorten it.").format(
                max=MAX_AREA_NAME_CHARS
            )
        if exc.problem == "character":
            return t(
                "The name holds an invisible or control character ({code}); type it again."
            ).format(code=exc.character)
        return t("Type a name for the area first.")
    if isinstance(exc, DuplicateNameError):
        return t("An area named “{name}” is already saved; choose another name.").format(
            name=exc.name
        )
    if isinstance(exc, AreaGeometryError):
        return t("This area cannot be saved: {reason}.").format(reason=str(exc))
    if isinstance(exc, ConflictError):
        return t(
            "“{name}” was changed by a teammate since the list was loaded; "
            "the list is refreshed, try again."
        ).format(name=name)
    if isinstance(exc, WorkspaceWriteError):
        log.warning("saved areas: %s", exc)
        return t(
            "The team workspace cannot be written: ask its administrator to make it "
            "writable (file, folder, disk space), then save again."
        )
    if from_link:
        return t(
            "The saved area of this link is no longer in the team workspace: a teammate may "
            "have deleted it. Choose another one from the list."
        )
    return t(
        "“{name}” is no longer in the team workspace: a teammate may have deleted it. "
        "The list is refreshed; save the area again to keep it."
    ).format(name=name)


@dataclass(frozen=True)
class AreaAnswer:
    """What a saved-area action changes: the list, its choice, the message, the area opened."""

    options: list[dict[str, str]]
    value: Any
    versions: dict[str, dict[str, Any]]
    message: str
    opened: Any  # AREA_OPENED: the saved area to show, None when the one shown is gone

    def outputs(self) -> tuple[Any, ...]:
        """In the callback's output order."""
        return self.options, self.value, self.versions, self.message, self.opened


def _opened(ws: Workspace, area_id: str) -> dict[str, Any]:
    rec = ws.get_area(area_id)
    return {"id": rec.id, "name": rec.name, "geometry": rec.geometry, "area_ha": rec.area_ha}


def saved_area_action(
    ws: Workspace,
    refusal: str | None,
    trigger: Any,
    name: str | None,
    selected: str | None,
    versions: dict[str, dict[str, Any]],
    aoi: dict[str, Any] | None,
    shown: dict[str, Any] | None,
    opened: dict[str, Any] | None,
    lang: str | None,
) -> AreaAnswer:
    """Save, open, rename or delete a saved area, or open the one of the page's link.

    Parameters
    ----------
    refusal : str or None
        Why this request may not change the workspace (read-only server, no login).
    trigger : str or None
        The button clicked; None on page load (``opened`` then holds the link's ``{"id"}``).
    versions : dict
        Area id -> ``{"version", "name"}`` as the list was loaded.
    aoi : dict or None
        The geometry the area panel shows (GeoJSON, WGS84).
    shown : dict or None
        ``{"id", "name"}`` of the saved area the panel shows.
    """
    t = translator(lang)
    shown_id = (shown or {}).get("id")
    known = versions.get(str(selected), {}) if selected else {}
    target = str(selected) if selected else None
    name_known = str(known.get("name", ""))
    value: Any = no_update
    out: Any = no_update
    msg = ""
    from_link = False
    try:
        if trigger is None:
            link_id = (opened or {}).get("id")
            if link_id and "geometry" not in (opened or {}):
                target, from_link = str(link_id), True
                rec = ws.get_area(target)  # the area panel shows it (dashboard.area_callbacks)
                value = target
                msg = t("Opened “{name}”: {ha}.").format(name=rec.name, ha=hectares(rec.area_ha, t))
        elif trigger in (ids.AREA_SAVE, ids.AREA_RENAME, ids.AREA_DELETE) and refusal:
            msg = t(refusal)
        elif trigger == ids.AREA_SAVE:
            if not isinstance(aoi, dict):
                msg = t("Draw, upload or delineate an area first, then save it.")
            else:
                rec = ws.save_area(name or "", aoi)
                out = _opened(ws, rec.id)
                value = rec.id
                msg = t("Saved “{name}”: {ha}.").format(name=rec.name, ha=hectares(rec.area_ha, t))
        elif target is None:
            msg = t("Choose a saved area in the list first.")
        elif trigger == ids.AREA_OPEN:
            out = _opened(ws, target)
            msg = t("Opened “{name}”: {ha}.").format(
                name=out["name"], ha=hectares(out["area_ha"], t)
            )
        elif trigger == ids.AREA_RENAME:
            info = ws.rename_area(target, int(known.get("version", 0)), name or "")
            if target == shown_id:
                out = _opened(ws, target)  # the summary's title follows the name
            msg = t("Renamed to “{name}”.").format(name=info.name)
        elif trigger == ids.AREA_DELETE:
            ws.delete_area(target)
            value = None
            if target == shown_id:
                out = None  # the area stays shown, no longer saved
            msg = t("Deleted “{name}”.").format(name=name_known)
    except KeyError as exc:  # deleted by a teammate (or a link to an area that never was)
        log.info("saved area missing: %s", exc)
        value = None
        if target is not None and target == shown_id:
            out = None
        msg = failure_message(exc, name_known, t, from_link)
    except (ValueError, ConflictError, WorkspaceWriteError) as exc:
        msg = failure_message(exc, name_known, t)
    areas = ws.list_areas()
    listed = {a.id: {"version": a.version, "name": a.name} for a in areas}
    return AreaAnswer(area_options(areas, t), value, listed, msg, out)
