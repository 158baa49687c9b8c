"""The designer's workbench: callback functions called directly, and the score-tile route."""

from __future__ import annotations

import io
import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from dash.exceptions import PreventUpdate
from PIL import Image
from pyproj import Transformer

from dashboard import ids
from dashboard.designer_callbacks import candidates_after, weights_state
from dashboard.designer_service import DesignerService, parse_weights
from dashboard.service import RegionService
from dashboard.shortlist_callbacks import shortlist_action
from processing.results_store import ResultsStore


@pytest.fixture(scope="module")
def designer(processed_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> DesignerService:
    db = tmp_path_factory.mktemp("ws") / "workspace.sqlite"
    return DesignerService(RegionService(processed_demo).prepare(), f"sqlite:///{db}")


def test_weights_rerank_communities(designer: DesignerService) -> None:
    pct, state, rows, url = weights_state(designer, "farm_ponds", [10, 10, 6.5, 3.5], "en")
    assert state["intervention"] == "farm_ponds" and sum(state["weights"]) == pytest.approx(1)
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(a["mean_score"] >= b["mean_score"] for a, b in itertools.pairwise(rows))
    assert url.startswith("/tiles/design/farm_ponds/{z}/{x}/{y}.png?w=")
    assert "33 %" in str(pct)
    _, state2, rows2, url2 = weights_state(designer, "farm_ponds", [0, 10, 0, 0], "en")
    assert [r["unit_id"] for r in rows2] != [r["unit_id"] for r in rows]
    assert url2 != url
    # the live choropleth values are the re-ranked means
    live = designer.live_scores("farm_ponds", state2["weights"])
    top = rows2[0]
    assert live[top["unit_id"]] == pytest.approx(top["mean_score"], abs=1e-3)
    # all zero: a warning and nothing recomputed
    pct0, *_ = weights_state(designer, "farm_ponds", [0, 0, 0, 0], "en")
    assert "at least one criterion" in str(pct0)
    with pytest.raises(PreventUpdate):  # sliders of another profile, about to be replaced
        weights_state(designer, "sand_dams", [1, 2, 3, 4], "en")


def _click(designer: DesignerService, k: int) -> dict[str, Any]:
    reg = designer.planner.engine.reg
    pt = reg.communities.geometry.iloc[k].representative_point()
    lon, lat = Transformer.from_crs(reg.crs, 4326, always_xy=True).transform(pt.x, pt.y)
    return {"latlng": {"lat": lat, "lng": lon}}


def test_pick_recommend_note_remove(designer: DesignerService) -> None:
    state = {"intervention": "terraces", "weights": designer.default_weights("terraces")}
    rec = {"count": 6, "spacing": 1500, "cap": 1, "existing": None}
    args = dict(click=None, pick=["on"], state=state, recommend=rec, notes=[], shortlist_id=None)
    with pytest.raises(PreventUpdate):  # pick mode off: map clicks only select communities
        candidates_after(
            designer, ids.MAP, [], **{**args, "pick": [], "click": _click(designer, 5)}, lang="en"
        )
    cands, panel, _ = candidates_after(
        designer,
        ids.MAP,
        [],
        **{**args, "click": _click(designer, 5)},
        lang="en",
    )
    assert len(cands) == 1 and cands[0]["source"] == "picked"
    assert "Limited by" in str(panel) and cands[0]["community_id"] is not None
    cands, _, msg = candidates_after(designer, ids.REC_BUTTON, cands, **args, lang="en")
    recommended = [c for c in cands if c["source"] == "recommended"]
    assert len(recommended) == 6 and "6 sites suggested" in msg
    xy = np.array([[c["x"], c["y"]] for c in recommended])
    d = np.hypot(*(xy[:, None] - xy[None]).transpose(2, 0, 1))
    assert d[np.triu_indices(6, 1)].min() >= 1500
    assert len({c["community_id"] for c in recommended}) == 6
    # a second suggestion replaces the first, picked sites stay
    again, _, _ = candidates_after(designer, ids.REC_BUTTON, cands, **args, lang="en")
    assert len(again) == 7
    notes = ["check access road"] + [""] * 6
    noted, _, _ = candidates_after(
        designer,
        {"type": ids.CANDIDATE_NOTE, "index": 0},
        again,
        **{**args, "notes": notes},
        lang="en",
    )
    assert noted[0]["note"] == "check access road"
    removed, _, _ = candidates_after(
        designer,
        {"type": ids.CANDIDATE_REMOVE, "index": 0},
        noted,
        **args,
        lang="en",
    )
    assert len(removed) == 6 and all(c["source"] == "recommended" for c in removed)
    outside = {"latlng": {"lat": 10.0, "lng": 10.0}}
    same, _, msg = candidates_after(
        designer, ids.MAP, removed, **{**args, "click": outside}, lang="en"
    )
    assert same == removed and "outside the region" in msg


def test_shortlists_save_reopen_rename_conflict_delete(designer: DesignerService) -> None:
    state = {"intervention": "farm_ponds", "weights": designer.default_weights("farm_ponds")}
    picks = [
        p.to_dict() | {"note": "", "source": "recommended"}
        for p in designer.planner.recommend_sites("farm_ponds", 3, 1000)
    ]
    options, versions, msg = shortlist_action(
        designer, ids.SHORTLIST_SAVE, "Ponds A", "amina", None, {}, picks, state, "en"
    )
    assert "Saved Ponds A (3)" in msg and len(options) == 1
    sid = options[0]["value"]
    # reopened through the candidates callback, as in the browser
    reopened, _, msg = candidates_after(
        designer, ids.SHORTLIST_OPEN, [], None, None, state, {}, [], sid, "en"
    )
    assert [c["lon"] for c in reopened] == [p["lon"] for p in picks] and "Opened" in msg
    # someone else renames it meanwhile: our rename from the stale version is refused
    designer.workspace.update_shortlist(sid, versions[str(sid)], notes="colleague")
    _, versions2, msg = shortlist_action(
        designer, ids.SHORTLIST_RENAME, "Ponds B", "", sid, versions, picks, state, "en"
    )
    assert "changed by someone else" in msg
    options, _, msg = shortlist_action(
        designer, ids.SHORTLIST_RENAME, "Ponds B", "", sid, versions2, picks, state, "en"
    )
    assert "Ponds B" in options[0]["label"]
    _, _, msg = shortlist_action(designer, ids.SHORTLIST_SAVE, "", "", None, {}, picks, state, "en")
    assert "name is required" in msg
    options, _, msg = shortlist_action(
        designer, ids.SHORTLIST_DELETE, None, None, sid, versions2, [], state, "en"
    )
    assert options == [] and msg == "Deleted."


def test_design_tile_route(designer: DesignerService) -> None:
    from flask import Flask

    from dashboard.routes import register_routes

    server = Flask(__name__)
    register_routes(server, designer.service, designer)
    client = server.test_client()
    url = designer.tile_url("farm_ponds", [1, 1, 1, 1]).format(z=12, x=2446, y=2052)
    resp = client.get(url)
    assert resp.status_code == 200 and resp.mimetype == "image/png"
    img = Image.open(io.BytesIO(resp.data))
    assert img.size == (256, 256)
    assert client.get("/tiles/design/farm_ponds/12/2446/2052.png?w=1,2").status_code == 404
    assert client.get("/tiles/design/farm_ponds/12/2446/2052.png?w=0,0,0,0").status_code == 404
    assert client.get("/tiles/design/..%2F..%2Fetc/12/2446/2052.png?w=1").status_code == 404
    assert client.get("/tiles/design/nope/12/2446/2052.png?w=1").status_code == 404
    assert client.get("/tiles/design/farm_ponds/40/0/0.png?w=1,1,1,1").status_code == 404
    files = list(designer.design_dir.glob("*.tif"))
    assert files and all(f.parent == designer.design_dir for f in files)


def test_parse_weights() -> None:
    assert parse_weights("1,2,3", 3) == [1.0, 2.0, 3.0]
    for bad in ("1,2", "a,b,c", "-1,2,3", "0,0,0", "nan,1,1", "", None):
        assert parse_weights(bad, 3) is None


def test_area_from_drawing_and_upload(designer: DesignerService, tmp_path: Path) -> None:
    import base64

    import geopandas as gpd
    import shapely

    from dashboard.area_callbacks import area_view

    box = shapely.box(37.30, -1.40, 37.36, -1.34)
    drawn = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(box)}
        ],
    }
    store, panel, msg, saved = area_view(designer, ids.AOI_DRAW, drawn, None, None, "en")
    assert saved is None  # a drawing is not a saved area
    assert shapely.geometry.shape(store).equals_exact(box, 1e-9)
    text = str(panel)
    assert "Area of interest" in text and "Monthly water balance" in text
    assert "suit-farm_ponds" in text and "1 polygon(s)" in msg
    path = tmp_path / "area.gpkg"
    gpd.GeoDataFrame(geometry=[box], crs=4326).to_file(path)
    contents = (
        "data:application/octet-stream;base64," + base64.b64encode(path.read_bytes()).decode()
    )
    store2, _, _, _ = area_view(designer, ids.AOI_UPLOAD, None, contents, "area.gpkg", "en")
    assert shapely.geometry.shape(store2).symmetric_difference(box).area < 1e-9
    # a bad upload: the message names the file; the previous area is cleared (it is not
    # the file the user just chose)
    bad = "data:text/plain;base64," + base64.b64encode(b"hello").decode()
    cleared, summary, msg, _ = area_view(designer, ids.AOI_UPLOAD, None, bad, "notes.txt", "en")
    assert "notes.txt: unsupported file type" in str(msg) and cleared is None and summary is None
    # suggestions only inside the drawn area
    state = {"intervention": "terraces", "weights": designer.default_weights("terraces")}
    rec = {"count": 5, "spacing": 500, "cap": None, "existing": None, "within": store}
    cands, _, _ = candidates_after(
        designer, ids.REC_BUTTON, [], None, None, state, rec, [], None, "en"
    )
    assert len(cands) == 5
    assert all(box.contains(shapely.Point(c["lon"], c["lat"])) for c in cands)


def test_saved_area_opens_from_its_link_and_from_the_list(designer: DesignerService) -> None:
    import shapely

    from dashboard.area_callbacks import area_view

    geometry = dict(shapely.geometry.mapping(shapely.box(37.30, -1.40, 37.36, -1.34)))
    rec = designer.workspace.save_area("Linked <i>area</i>", geometry)
    # page load with ?area=<id>: the summary under the area's name, the saved area shown
    store, panel, _, saved = area_view(designer, None, None, None, None, "en", {"id": rec.id})
    assert saved == {"id": rec.id, "name": "Linked <i>area</i>"}
    assert shapely.geometry.shape(store).equals(shapely.geometry.shape(geometry))
    assert "Linked <i>area</i>" in str(panel) and "Monthly water balance" in str(panel)
    opened = {"id": rec.id, "name": "Renamed", "geometry": rec.geometry}
    *_, saved = area_view(designer, ids.AREA_OPENED, None, None, None, "en", opened)
    assert saved == {"id": rec.id, "name": "Renamed"}
    # the shown area was deleted: it stays in the panel, no longer saved
    assert area_view(designer, ids.AREA_OPENED, None, None, None, "en", None)[3] is None
    designer.workspace.delete_area(rec.id)
    for link in ({"id": rec.id}, None):  # a link to a deleted area, or no link: nothing to do
        with pytest.raises(PreventUpdate):
            area_view(designer, None, None, None, None, "en", link)


def test_scenario_run_open_and_save(designer: DesignerService) -> None:
    from dashboard.map_views import choropleth_view, scenario_values
    from dashboard.scenario_callbacks import scenario_action, scenario_save

    form = {
        "name": "Ponds and terraces",
        "communities": [],
        "rain_pct": -10,
        "warming_c": 1,
        "lu_from": None,
        "lu_to": None,
        "lu_pct": None,
        "ponds": 5,
        "pond_volume_m3": 400,
        "terraces_ha": 20,
        "agroforestry_ha": 10,
    }
    panel, store, msg, restored = scenario_action(designer, ids.SCEN_RUN, form, None, "en")
    assert msg == "" and restored is None
    text = str(panel)
    assert "Water harvested (used from ponds)" in text and "Carbon sequestered" in text
    assert "Pond fills per year" in text and "Pond evaporation" in text
    n = len(designer.planner.engine.unit_ids["communities"])
    assert len(store["values"]["recharge"]) == n
    assert any(v != 0 for v in store["values"]["recharge"].values())
    # the map of the change: the choropleth takes the scenario's values
    hide, legend = choropleth_view(
        designer.service, "scenario", "en", None, scenario_values(store, "runoff")
    )
    assert "change in runoff" in str(legend)
    # each map feature's class holds its scenario value
    limits, classes = hide["limits"], hide["classes"]
    assert isinstance(limits, list) and isinstance(classes, str)
    runoff = store["values"]["runoff"]
    for cid, c in zip(designer.service.community_ids, classes, strict=True):
        assert limits[int(c)] - 1e-3 <= runoff[cid] <= limits[int(c) + 1] + 1e-3
    # saved, listed, reopened with the same form and figures
    options, msg = scenario_save(designer, form, "amina", "en", save=True)
    assert "Saved Ponds and terraces" in msg
    sid = next(o["value"] for o in options if o["label"].startswith("Ponds and terraces"))
    saved = designer.workspace.get_scenario(sid)
    assert saved.results["totals"]["water_harvested_m3_yr"] > 0
    _, store2, _, restored = scenario_action(designer, ids.SCEN_OPEN, {}, sid, "en")
    assert restored is not None and restored["ponds"] == 5 and restored["rain_pct"] == -10
    assert store2["values"] == store["values"]
    # bad input: a clear message, nothing recomputed
    _, _, msg, _ = scenario_action(designer, ids.SCEN_RUN, {**form, "rain_pct": -500}, None, "en")
    assert "Rainfall change (%): -500 is not allowed" in str(msg)
    _, msg = scenario_save(designer, {**form, "name": ""}, "", "en", save=True)
    assert "name is required" in msg


def test_move_a_candidate(designer: DesignerService) -> None:
    state = {"intervention": "farm_ponds", "weights": designer.default_weights("farm_ponds")}
    args = dict(pick=[], state=state, recommend={}, notes=[], shortlist_id=None, lang="en")
    first = _click(designer, 10)
    cands, _, _ = candidates_after(designer, ids.MAP, [], click=first, **{**args, "pick": ["on"]})
    cands[0]["note"] = "near the school"
    moving, _, msg = candidates_after(
        designer, {"type": ids.CANDIDATE_MOVE, "index": 0}, cands, click=None, **args
    )
    assert moving[0]["moving"] and "Click the map" in msg
    # pick mode is off, but the click moves the selected site
    moved, _, msg = candidates_after(designer, ids.MAP, moving, click=_click(designer, 40), **args)
    assert len(moved) == 1 and msg == "Site moved."
    assert moved[0]["note"] == "near the school" and not moved[0]["moving"]
    assert moved[0]["community_id"] != cands[0]["community_id"]
    with pytest.raises(PreventUpdate):  # nothing moving, pick off: a click only selects
        candidates_after(designer, ids.MAP, moved, click=_click(designer, 50), **args)


def test_constraints_can_be_switched_off(designer: DesignerService) -> None:
    w = designer.default_weights("farm_ponds")
    _, _, rows_all, _ = weights_state(designer, "farm_ponds", w, "en", None)
    _, state_none, rows_none, url_none = weights_state(designer, "farm_ponds", w, "en", [])
    assert state_none["constraints"] == [] and url_none.endswith("&c=none")
    mean_all = {r["unit_id"]: r["mean_score"] for r in rows_all}
    mean_none = {r["unit_id"]: r["mean_score"] for r in rows_none}
    # without constraints no cell scores 0 by exclusion: every mean is at least as high
    assert all(mean_none[k] >= mean_all[k] - 1e-9 for k in mean_all)
    assert sum(mean_none.values()) > sum(mean_all.values())
    # and a site on forest (excluded for ponds) is evaluated on its merits
    eng = designer.planner.engine
    r, c = (int(v[0]) for v in np.nonzero(eng.cells.land_use == 4))
    x, y = eng.reg.grid.transform * (c + 0.5, r + 0.5)
    on = designer.planner.evaluate_site("farm_ponds", x, y, crs=eng.reg.crs)
    off = designer.planner.evaluate_site("farm_ponds", x, y, crs=eng.reg.crs, constraints=["slope"])
    assert on.exclusions and on.score == 0
    assert not any("land use" in e for e in off.exclusions)


def test_ahp_grid_sets_the_weights(designer: DesignerService) -> None:
    from dashboard.designer import ahp_initial
    from dashboard.designer_callbacks import ahp_weights_view

    profile = designer.profile("agroforestry")  # its weights come from an AHP matrix
    init = ahp_initial(profile, designer.default_weights("agroforestry"))
    assert init == {(0, 1): 3, (0, 2): 5, (1, 2): 3}
    cells = [{"i": i, "j": j} for (i, j) in init]
    sliders, info = ahp_weights_view(designer, "agroforestry", cells, list(init.values()), "en")
    # Saaty's example matrix [[1,3,5],[1/3,1,3],[1/5,1/3,1]]: weights 0.637, 0.258, 0.105
    assert sliders == [10.0, 4.1, 1.6] and "consistent" in str(info)
    sliders, info = ahp_weights_view(designer, "agroforestry", cells, [9, 1 / 9, 9], "en")
    assert "contradict" in str(info)


def test_a_crop_in_the_workbench(designer: DesignerService) -> None:
    from dashboard.designer_callbacks import CROP_OPTION

    pct, state, rows, url = weights_state(designer, CROP_OPTION + "maize", [], "en", [])
    assert state == {"crop": "maize"} and url == "/tiles/crop_maize/{z}/{x}/{y}.png"
    assert "no weights" in str(pct)
    store = ResultsStore(designer.service.region.results_dir).crops("communities")
    maize = store[store["crop"] == "maize"].set_index("unit_id")
    top = rows[0]
    assert top["mean_score"] == pytest.approx(maize["best_month_score"].max())
    assert top["limiting_criterion"].startswith("plant in ")
    # the choropleth has an indicator per crop, from the summary's crop_<id>_score
    from dashboard.map_views import choropleth_view

    hide, legend = choropleth_view(designer.service, "crop_maize", "en")
    assert len(str(hide["classes"])) == len(designer.planner.engine.unit_ids["communities"])
    assert "Crop suitability: Maize" in str(legend)
    # picking needs an intervention
    _, _, msg = candidates_after(
        designer,
        ids.MAP,
        [],
        {"latlng": {"lat": -1.3, "lng": 37.3}},
        ["on"],
        state,
        {},
        [],
        None,
        "en",
    )
    assert "Choose an intervention" in msg


def test_planner_page_is_light_and_links_to_the_designer(designer: DesignerService) -> None:
    from dashboard.layout import build_layout
    from dashboard.viewstate import ViewState, encode_view, parse_search

    planner = str(build_layout(designer.service, ViewState(), designer))
    design = str(build_layout(designer.service, ViewState(page="design"), designer))
    assert "design-link" in planner and "design-ranking" not in planner
    assert "design-ranking" in design and "design-tiles" in design
    # both pages keep what the map's callbacks read
    for text in ("design-state", "scenario-store", "scenario-map-variable"):
        assert text in planner and text in design
    view = parse_search("?lat=-1.3&lon=37.3&z=12&page=design")
    assert view.page == "design" and "page=design" in encode_view(view)
    assert parse_search("?page=../../etc").page == "map"


def test_shortlist_downloads(designer: DesignerService, tmp_path: Path) -> None:
    import geopandas as gpd
    import pandas as pd

    from dashboard.export_files import shortlist_bytes

    picks = designer.planner.recommend_sites("terraces", 4, 800)
    rec = designer.workspace.save_shortlist(
        "Terraces / phase 1", [p.to_dict() | {"note": "n"} for p in picks], "terraces", "amina"
    )
    name, data = shortlist_bytes(designer.service, designer.workspace, rec.id, "geojson")
    assert name.startswith("landwater_demo_highlands_synthetic_shortlist_terraces_phase_1_")
    path = tmp_path / name
    path.write_bytes(data)
    sites = gpd.read_file(path)
    assert len(sites) == 4 and sites.crs.to_epsg() == 4326
    assert sites["score"].tolist() == [p.score for p in picks]
    assert sites.geometry.x.round(6).tolist() == [p.lon for p in picks]
    name, data = shortlist_bytes(designer.service, designer.workspace, rec.id, "csv")
    path = tmp_path / name
    path.write_bytes(data)
    assert pd.read_csv(path)["community_id"].tolist() == [p.community_id for p in picks]
    designer.workspace.delete_shortlist(rec.id)
    with pytest.raises(KeyError):
        shortlist_bytes(designer.service, designer.workspace, rec.id, "csv")


def test_warm_up_builds_the_planner_once(designer: DesignerService) -> None:
    designer.warm_up()
    built = designer._planner
    assert built is not None
    designer.warm_up()
    assert designer._planner is built  # not rebuilt


def test_warm_up_without_results_is_quiet(tiny: tuple[Path, dict[str, object]]) -> None:
    root, _ = tiny
    service = RegionService(root)
    service.ensure_results = lambda: False  # type: ignore[method-assign]
    idle = DesignerService(service, f"sqlite:///{root / 'ws.sqlite'}")
    idle.warm_up()
    assert idle._planner is None


def test_designer_is_off_when_the_grid_would_not_fit(
    designer: DesignerService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A national store computed block-wise is served, but the designer's engine (the whole
    grid in memory) is refused with a message where the weights are, not a server error."""
    from dash import no_update

    monkeypatch.setenv("LANDWATER_MEMORY_GB", "0.1")  # the test demo's engine needs about 0.4 GB
    small = DesignerService(designer.service, f"sqlite:///{tmp_path / 'ws.sqlite'}")
    small.warm_up()  # quietly builds nothing
    pct, state, rows, url = weights_state(small, "farm_ponds", [10, 10, 6.5, 3.5], "en")
    assert "site design holds the whole grid in memory" in str(pct)
    assert "0.1 GB available" in str(pct) and "resolution_m" in str(pct)
    assert state is no_update and rows is no_update and url is no_update
    crop = weights_state(small, "crop:maize", [], "en")  # the stored crop table still ranks
    assert len(crop[2]) > 10
    assert small.tile("farm_ponds", [1, 1, 1, 1], 12, 2446, 2052) is None  # a 404, not a 500


def test_prune_keeps_unfinished_and_survives_vanished_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    import dashboard.designer_service as ds

    monkeypatch.setattr(ds, "MAX_DESIGN_RASTERS", 2)
    service = object.__new__(DesignerService)
    service.design_dir = tmp_path
    for i, name in enumerate(["a.tif", "b.tif", "c.tif", ".d.tmp123.tif", "e.tif"]):
        (tmp_path / name).write_bytes(b"x")
        os.utime(tmp_path / name, (1000 + i, 1000 + i))
    real_stat = Path.stat

    def vanishing_stat(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "b.tif":  # another worker removed it after the listing
            raise FileNotFoundError(self)
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", vanishing_stat)
    service._prune(keep=tmp_path / "e.tif")
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [".d.tmp123.tif", "b.tif", "c.tif", "e.tif"]


def test_tiles_of_new_rasters_requested_at_once_all_render(
    designer: DesignerService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    import dashboard.designer_service as ds

    monkeypatch.setattr(ds, "MAX_DESIGN_RASTERS", 2)  # pruning on almost every write
    jobs = [([1, 1, 1, 1 + k], (12, 2446 + dx, 2052)) for k in range(6) for dx in (0, 1)]

    def one(job: tuple[list[int], tuple[int, int, int]]) -> bytes | None:
        weights, (z, x, y) = job
        return designer.tile("farm_ponds", weights, z, x, y)

    with ThreadPoolExecutor(max_workers=6) as pool:
        pngs = list(pool.map(one, jobs))
    assert all(png is not None and png[:4] == b"\x89PNG" for png in pngs)
    assert not [p for p in designer.design_dir.iterdir() if p.name.startswith(".")]


def test_suggest_refuses_bad_fields_and_says_why_fewer(designer: DesignerService) -> None:
    from dashboard.errors import ERROR_CLASS

    state = {"intervention": "farm_ponds", "weights": designer.default_weights("farm_ponds")}
    args = dict(click=None, pick=[], state=state, notes=[], shortlist_id=None, lang="en")
    bad = {"count": 0, "spacing": -5, "cap": None, "existing": None}
    kept = [{"lat": 0.0, "lon": 0.0, "source": "picked"}]
    cands, _, msg = candidates_after(designer, ids.REC_BUTTON, kept, recommend=bad, **args)
    text = str(msg)
    assert cands == kept and ERROR_CLASS in text
    assert "Sites: 0 is not allowed" in text and "Min. spacing (m): -5 is not allowed" in text
    far = {"count": 50, "spacing": 50_000, "cap": None, "existing": None}
    cands, _, msg = candidates_after(designer, ids.REC_BUTTON, [], recommend=far, **args)
    assert 1 <= len(cands) < 50
    assert msg.startswith(f"{len(cands)} of 50 sites suggested") and "50,000 m apart" in msg
    ranks = [c["rank"] for c in cands]
    assert ranks == sorted(ranks) and ranks[0] == 1  # best first


def test_the_profile_shows_a_community_under_the_last_future_scenario(
    designer: DesignerService,
) -> None:
    """Baseline, the ensemble's median and the GCMs' min-max, against each GCM run alone."""
    from dashboard.i18n import number, translator
    from dashboard.scenario_callbacks import scenario_action
    from dashboard.scenario_view import profile_future
    from processing.scenario import Scenario

    label = "ensemble ssp245 2041-2060"
    keys = ("rain_pct", "warming_c", "lu_from", "lu_to", "lu_pct", "ponds", "pond_volume_m3")
    form: dict[str, Any] = dict.fromkeys((*keys, "terraces_ha", "agroforestry_ha"))
    form |= {"name": "Mid-century", "communities": [], "future": label}
    _, store, msg, _ = scenario_action(designer, ids.SCEN_RUN, form, None, "fr")
    assert msg == ""
    future = store["future"]
    uid = sorted(future["rows"])[0]
    runs = [
        designer.scenario.futures.run(Scenario(future=m)).table.set_index("id")
        for m in designer.scenario.futures.groups[label]
    ]
    for v in ("rain", "aet", "runoff", "recharge"):
        by_gcm = np.array(
            [float(r.loc[r.index.astype(str) == uid, f"{v}_scen_mm_yr"].iloc[0]) for r in runs]
        )
        base, median, lo, hi = future["rows"][uid][v]
        assert base == pytest.approx(
            float(runs[0].loc[runs[0].index.astype(str) == uid, f"{v}_base_mm_yr"].iloc[0]),
            abs=0.051,
        )
        assert median == pytest.approx(float(np.median(by_gcm)), abs=0.051)
        assert (lo, hi) == pytest.approx((by_gcm.min(), by_gcm.max()), abs=0.051)
    fr = translator("fr")
    text = str(profile_future(future, uid, fr))
    lo, hi = future["rows"][uid]["recharge"][2:]
    assert "Dispersion des GCM" in text and f"{number(lo, 0, fr)} – {number(hi, 0, fr)}" in text
    assert label in text and "Mid-century" in text
    # no future scenario, or a community it leaves alone: no section
    assert profile_future(None, uid, fr) is None
    assert profile_future(future, "not-a-community", fr) is None
    form["future"] = None
    form["rain_pct"] = 5
    _, plain, _, _ = scenario_action(designer, ids.SCEN_RUN, form, None, "fr")
    assert plain["future"] is None


def _links(component: object) -> list[str]:
    """The href of every link in a Dash component tree."""
    found = [component.href] if getattr(component, "href", None) else []  # type: ignore[attr-defined]
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found += _links(child)
    return found


def test_the_profile_file_and_brief_carry_the_future_climate(designer: DesignerService) -> None:
    """The Excel sheet against each GCM run alone (numpy's median and 10-90 %), the brief."""
    import base64

    import pandas as pd
    from flask import Flask

    from dashboard.downloads import profile_download
    from dashboard.routes import register_routes
    from dashboard.scenario_callbacks import scenario_action
    from dashboard.scenario_view import profile_future
    from processing.scenario import Scenario

    label = "ensemble ssp245 2041-2060"
    keys = ("rain_pct", "warming_c", "lu_from", "lu_to", "lu_pct", "ponds", "pond_volume_m3")
    form: dict[str, Any] = dict.fromkeys((*keys, "terraces_ha", "agroforestry_ha"))
    form |= {"name": "Mid-century 10-90", "communities": [], "future": label}
    form["future_spread"] = "10-90"
    _, store, msg, _ = scenario_action(designer, ids.SCEN_RUN, form, None, "en")
    assert msg == ""
    uid = sorted(store["future"]["rows"])[1]
    selection = {"level": "communities", "id": uid}

    def workbook(scenario: dict[str, Any] | None) -> dict[str, pd.DataFrame]:
        sent, message = profile_download(
            designer.service,
            designer.workspace,
            selection,
            scenario,
            designer.scenario.community_future,
        )
        assert isinstance(sent, dict), message
        return pd.read_excel(io.BytesIO(base64.b64decode(sent["content"])), sheet_name=None)

    book = workbook(store)
    sheet = book["future_climate"].set_index("variable")
    members = designer.scenario.futures.groups[label]
    runs = [designer.scenario.futures.run(Scenario(future=m)).table for m in members]
    rows = [r[r["id"].astype(str) == uid].iloc[0] for r in runs]
    assert list(sheet.index) == ["rain", "aet", "runoff", "recharge"]
    for v in sheet.index:
        by_gcm = np.array([float(r[f"{v}_scen_mm_yr"]) for r in rows])
        assert sheet.loc[v, "baseline_mm_yr"] == pytest.approx(float(rows[0][f"{v}_base_mm_yr"]))
        assert sheet.loc[v, "future_mm_yr"] == pytest.approx(float(np.median(by_gcm)))
        assert sheet.loc[v, "spread_low_mm_yr"] == pytest.approx(
            float(np.percentile(by_gcm, 10)), abs=0.051
        )
        assert sheet.loc[v, "spread_high_mm_yr"] == pytest.approx(
            float(np.percentile(by_gcm, 90)), abs=0.051
        )
    gcms = [designer.scenario.futures.climates[m][0].key.gcm for m in members]  # type: ignore[union-attr]
    assert len(gcms) >= 2
    assert set(sheet["gcms"]) == {", ".join(gcms)}
    assert set(sheet["spread"]) == {"10-90"} and set(sheet["future_climate"]) == {label}
    readme = set(book["README"]["item"])
    assert "future_climate column spread_low_mm_yr" in readme
    # one GCM: its own numbers, no spread
    form["future"] = members[0]
    _, single, _, _ = scenario_action(designer, ids.SCEN_RUN, form, None, "en")
    one = workbook(single)["future_climate"].set_index("variable")
    assert one.loc["recharge", "future_mm_yr"] == pytest.approx(
        float(rows[0]["recharge_scen_mm_yr"])
    )
    assert one[["spread_low_mm_yr", "spread_high_mm_yr", "spread"]].isna().all().all()
    assert set(one["gcms"]) == {members[0]}
    # no future scenario: no sheet
    form |= {"future": None, "rain_pct": 5}
    _, plain, _, _ = scenario_action(designer, ids.SCEN_RUN, form, None, "en")
    assert "future_climate" not in workbook(plain)
    assert "future_climate" not in workbook(None)

    # the brief: the profile section's link, through the route
    server = Flask(__name__)
    register_routes(server, designer.service, designer)
    client = server.test_client()
    links = [h for h in _links(profile_future(store["future"], uid)) if h.startswith("/brief/")]
    assert len(links) == 1
    page = client.get(links[0])
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"Future climate: {label} (mm/yr)" in text and "Mid-century 10-90" in text
    assert ", ".join(gcms) in text and "10th and 90th percentiles over the GCMs" in text
    recharge = sheet.loc["recharge"]
    assert f"<td>Recharge</td><td>{recharge['baseline_mm_yr']:,.0f}</td>" in text
    plain_page = client.get(f"/brief/communities/{uid}.html").get_data(as_text=True)
    assert "Future climate" not in plain_page
    bad = client.get(f"/brief/communities/{uid}.html?scenario=not-a-scenario")
    assert bad.status_code == 400 and b"run the scenario again" in bad.data


def test_a_saved_future_scenarios_workbook_has_its_suitability_and_crops(
    designer: DesignerService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compare download's sheets hold the effects of the saved scenario's future."""
    import pandas as pd

    from dashboard.compare_callbacks import compare_file
    from processing.future_suitability import ALL_SELECTED
    from tests.future_fakes import fake_effects

    asked: list[tuple[str, list[str], str]] = []

    def effects(future: str, unit_ids: list[str], spread: str = "min-max") -> Any:
        asked.append((future, list(unit_ids), spread))
        return fake_effects(unit_ids, future=future)

    monkeypatch.setattr(designer.scenario, "future_effects", effects)
    chosen = ["C004", "C005"]
    future = "DEMO-WET ssp245 2041-2060"
    rec = designer.workspace.save_scenario(
        "wet", {"name": "wet", "communities": chosen, "future": future}
    )
    request = {"mode": "scenarios", "level": "communities", "a": "baseline"}
    _, data = compare_file(designer, request | {"b": f"saved:{rec.id}"}, "xlsx")
    assert asked == [(future, chosen, "min-max")]
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype={"unit_id": str})
    assert list(sheets) == ["comparison", "future_suitability_b", "future_crops_b", "README"]
    suit = sheets["future_suitability_b"]
    assert list(suit["unit_id"]) == [*chosen, ALL_SELECTED]
    # C005 is the fake's second unit: twice the hectares; the last row sums both
    assert list(suit["suitable_ha_base"]) == [1200.0, 2400.0, 3600.0]
    assert list(suit["suitable_ha_lo"]) == [1000.0, 2000.0, 3000.0]
    crops = sheets["future_crops_b"]
    assert list(crops["gcms_agreeing"]) == [2, 2, 2]
    assert {"future_suitability_b", "future_crops_b"} <= set(sheets["README"]["item"])
    # the CSV stays the comparison's one table; no future, no sheets
    _, text = compare_file(designer, request | {"b": f"saved:{rec.id}"}, "csv")
    assert b"suitable_ha" not in text
    plain = designer.workspace.save_scenario("rain", {"name": "rain", "rain_pct": 5})
    _, data = compare_file(designer, request | {"b": f"saved:{plain.id}"}, "xlsx")
    assert list(pd.read_excel(io.BytesIO(data), sheet_name=None)) == ["comparison", "README"]
