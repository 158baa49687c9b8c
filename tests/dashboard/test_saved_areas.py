"""The saved-area buttons called directly: every action and every failure's message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import shapely
import shapely.geometry
from dash import no_update

from dashboard import ids
from dashboard.access import READ_ONLY_MESSAGE
from dashboard.saved_areas import AreaAnswer, saved_area_action, share_href
from dashboard.viewstate import parse_search
from layers.workspace import Workspace

SQUARE = dict(shapely.geometry.mapping(shapely.box(37.30, -1.40, 37.32, -1.38)))


def _act(ws: Workspace, trigger: Any, **state: Any) -> AreaAnswer:
    args = {
        "refusal": None,
        "name": None,
        "selected": None,
        "versions": {},
        "aoi": None,
        "shown": None,
        "opened": None,
        "lang": "en",
    } | state
    return saved_area_action(ws, trigger=trigger, **args)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.for_region(tmp_path)


def test_save_open_rename_delete(ws: Workspace) -> None:
    saved = _act(ws, ids.AREA_SAVE, name="Upper Tana", aoi=SQUARE)
    area = ws.list_areas()[0]
    assert saved.message == f"Saved “Upper Tana”: {area.area_ha:.1f} ha."
    assert saved.options == [{"label": f"Upper Tana · {area.area_ha:.1f} ha", "value": area.id}]
    assert saved.value == area.id
    # the saved area is shown in the panel (its geometry, under its name)
    assert saved.opened["id"] == area.id and saved.opened["name"] == "Upper Tana"
    assert shapely.geometry.shape(saved.opened["geometry"]).equals(
        shapely.box(37.30, -1.40, 37.32, -1.38)
    )
    shown = {"id": area.id, "name": "Upper Tana"}
    opened = _act(ws, ids.AREA_OPEN, selected=area.id, versions=saved.versions)
    assert opened.opened["geometry"] == saved.opened["geometry"]
    assert opened.message.startswith("Opened “Upper Tana”")
    renamed = _act(
        ws, ids.AREA_RENAME, name="Tana", selected=area.id, versions=saved.versions, shown=shown
    )
    assert renamed.message == "Renamed to “Tana”."
    assert renamed.opened["name"] == "Tana"  # the summary's title follows
    assert renamed.options[0]["label"].startswith("Tana · ")
    deleted = _act(ws, ids.AREA_DELETE, selected=area.id, versions=renamed.versions, shown=shown)
    assert deleted.message == "Deleted “Tana”."
    assert deleted.options == [] and deleted.value is None
    assert deleted.opened is None  # the area stays in the panel, no longer saved


def test_a_shared_link_opens_its_area_on_page_load(ws: Workspace) -> None:
    rec = ws.save_area("Kathita", SQUARE)
    href = share_href(rec.id, "fr")
    assert href == f"?lang=fr&page=design&area={rec.id}"
    view = parse_search(href)
    assert view.area == rec.id and view.page == "design"
    answer = _act(ws, None, opened={"id": view.area}, lang="fr")
    # the area panel shows it (its own page-load call); here it is chosen in the list
    assert answer.opened is no_update and answer.value == rec.id
    assert answer.message == f"Zone « Kathita » ouverte : {rec.area_ha:.1f} ha.".replace(
        ".", ",", 1
    )
    # a plain page load lists the areas and opens nothing
    plain = _act(ws, None)
    assert plain.opened is no_update and plain.message == "" and len(plain.options) == 1
    ws.delete_area(rec.id)
    gone = _act(ws, None, opened={"id": rec.id})
    assert gone.message.startswith("The saved area of this link is no longer in the team")
    assert gone.options == []


def test_a_teammates_delete_while_open_is_explained(ws: Workspace, tmp_path: Path) -> None:
    listed = _act(ws, ids.AREA_SAVE, name="Ponds zone", aoi=SQUARE)
    area_id = listed.value
    shown = {"id": area_id, "name": "Ponds zone"}
    Workspace.for_region(tmp_path).delete_area(area_id)  # a teammate, another connection
    for trigger in (ids.AREA_RENAME, ids.AREA_OPEN, ids.AREA_DELETE):
        answer = _act(
            ws, trigger, name="New", selected=area_id, versions=listed.versions, shown=shown
        )
        assert answer.message.startswith("“Ponds zone” is no longer in the team workspace")
        assert "save the area again to keep it" in answer.message
        assert answer.options == [] and answer.value is None
        assert answer.opened is None  # the URL forgets the area; the drawing stays


def test_failures_name_the_fix(ws: Workspace, tmp_path: Path) -> None:
    assert _act(ws, ids.AREA_SAVE, name="x").message == (
        "Draw, upload or delineate an area first, then save it."
    )
    assert _act(ws, ids.AREA_SAVE, name=" ", aoi=SQUARE).message == (
        "Type a name for the area first."
    )
    assert (
        "longer than 100 characters" in _act(ws, ids.AREA_SAVE, name="x" * 101, aoi=SQUARE).message
    )
    assert "(U+202E)" in _act(ws, ids.AREA_SAVE, name="a\u202eb", aoi=SQUARE).message
    first = _act(ws, ids.AREA_SAVE, name="Tana", aoi=SQUARE)
    assert _act(ws, ids.AREA_SAVE, name="TANA", aoi=SQUARE).message == (
        "An area named “Tana” is already saved; choose another name."
    )
    far = dict(shapely.geometry.mapping(shapely.box(10, 10, 10.1, 10.1)))
    outside = Workspace.for_region(tmp_path, bounds_lonlat=(37.0, -1.6, 37.6, -1.0))
    assert _act(outside, ids.AREA_SAVE, name="far", aoi=far).message == (
        "This area cannot be saved: the area lies outside the region."
    )
    for trigger in (ids.AREA_OPEN, ids.AREA_RENAME, ids.AREA_DELETE):
        assert _act(ws, trigger).message == "Choose a saved area in the list first."
    teammate = Workspace.for_region(tmp_path)
    teammate.rename_area(first.value, 1, "Tana 2")
    stale = _act(ws, ids.AREA_RENAME, name="Mine", selected=first.value, versions=first.versions)
    assert stale.message.startswith("“Tana” was changed by a teammate")
    for trigger in (ids.AREA_SAVE, ids.AREA_RENAME, ids.AREA_DELETE):
        refused = _act(
            ws, trigger, refusal=READ_ONLY_MESSAGE, name="y", aoi=SQUARE, selected=first.value
        )
        assert refused.message == READ_ONLY_MESSAGE
    assert [a.name for a in ws.list_areas()] == ["Tana 2"]


def test_unwritable_workspace_and_languages(tmp_path: Path) -> None:
    Workspace.for_region(tmp_path).save_area("kept", SQUARE)
    read_only = Workspace(f"sqlite:///file:{tmp_path / 'workspace.sqlite'}?mode=ro&uri=true")
    answer = _act(read_only, ids.AREA_SAVE, name="new", aoi=SQUARE)
    assert answer.message.startswith("The team workspace cannot be written: ask its admin")
    assert str(tmp_path) not in answer.message  # the server's paths stay in its log
    assert len(answer.options) == 1
    for lang, text in (
        ("fr", "L’espace de travail de l’équipe n’est pas accessible en écriture"),
        ("es", "No se puede escribir en el espacio de trabajo del equipo"),
        ("sw", "Nafasi ya kazi ya timu haiwezi kuandikwa"),
    ):
        assert _act(read_only, ids.AREA_SAVE, name="n", aoi=SQUARE, lang=lang).message.startswith(
            text
        )


def test_hostile_names_stay_text_in_the_list(ws: Workspace) -> None:
    name = "<img src=x onerror=alert(1)>"
    answer = _act(ws, ids.AREA_SAVE, name=name, aoi=SQUARE)
    (option,) = answer.options
    assert isinstance(option["label"], str) and option["label"].startswith(name + " · ")
    assert answer.message.startswith(f"Saved “{name}”")
