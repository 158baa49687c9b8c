"""Saved areas of interest in the team workspace: round trips, names, geometries, writers."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
import shapely.geometry
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layers.area_checks import (
    MAX_AREA_NAME_CHARS,
    MAX_VERTICES,
    AreaGeometryError,
    AreaNameError,
    clean_name,
    is_area_id,
)
from layers.workspace import ConflictError, DuplicateNameError, Workspace, WorkspaceWriteError
from tests.workspace_writers import SQUARE, box, save_areas, writers

BOUNDS = (37.0, -1.6, 37.6, -1.0)  # a region near Embu, Kenya (lon/lat)


def _utm_ha(geojson: dict[str, Any]) -> float:
    """Area in hectares in the UTM zone of the geometry (an independent planar computation)."""
    shape = shapely.geometry.shape(geojson)
    lon, lat = shape.centroid.x, shape.centroid.y
    zone_epsg = (32600 if lat >= 0 else 32700) + int((lon + 180) // 6) + 1  # WGS84 / UTM zone
    series = gpd.GeoSeries([shape], crs=4326)
    return float(series.to_crs(zone_epsg).area.iloc[0]) / 10_000


def test_save_list_open_rename_delete(workspace_url: str) -> None:
    ws = Workspace(workspace_url, bounds_lonlat=BOUNDS)
    saved = ws.save_area("  Upper Tana  ", SQUARE, author="amina")
    assert saved.name == "Upper Tana" and is_area_id(saved.id)
    # a second connection sees it; geometry as saved, area on the ellipsoid
    again = Workspace(workspace_url).get_area(saved.id)
    assert again.geometry == saved.geometry
    assert shapely.geometry.shape(again.geometry).equals_exact(shapely.geometry.shape(SQUARE), 0)
    assert again.area_ha == pytest.approx(_utm_ha(SQUARE), rel=2e-3)  # 2.2 km x 2.2 km
    assert 490 < again.area_ha < 495
    other = ws.save_area("Kathita", box(37.40, -1.30, 37.41, -1.29))
    assert [a.name for a in ws.list_areas()] == ["Kathita", "Upper Tana"]  # by name
    renamed = ws.rename_area(saved.id, saved.version, "Upper Tana, phase 2")
    assert renamed.version == saved.version + 1 and renamed.id == saved.id
    assert ws.get_area(saved.id).name == "Upper Tana, phase 2"
    # its own name in another case is not a duplicate
    ws.rename_area(saved.id, renamed.version, "UPPER TANA, PHASE 2")
    ws.delete_area(other.id)
    assert [a.id for a in ws.list_areas()] == [saved.id]
    for call in (
        lambda: ws.get_area(other.id),
        lambda: ws.delete_area(other.id),
        lambda: ws.rename_area(other.id, 1, "x"),
    ):
        with pytest.raises(KeyError, match="deleted, or never saved"):
            call()


def test_duplicate_names_and_stale_renames(workspace_url: str) -> None:
    ws = Workspace(workspace_url)
    a = ws.save_area("Upper Tana", SQUARE)
    with pytest.raises(DuplicateNameError, match="'Upper Tana' is already saved"):
        ws.save_area("upper   TANA", SQUARE)  # case and repeated spaces do not count
    b = ws.save_area("Kathita", SQUARE)
    with pytest.raises(DuplicateNameError):
        ws.rename_area(b.id, b.version, "UPPER tana")
    teammate = Workspace(workspace_url)
    teammate.rename_area(a.id, a.version, "Tana headwaters")
    with pytest.raises(ConflictError, match="changed by someone else"):
        ws.rename_area(a.id, a.version, "My stale name")
    assert ws.get_area(a.id).name == "Tana headwaters"
    assert len(ws.list_areas()) == 2


HOSTILE_NAMES = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "../../../etc/passwd",
    "'; DROP TABLE saved_areas; --",
    "C:\\Windows\\system32",
    "%2e%2e%2f?area=1&x=<b>",
    "Mlima wa Kenya 🌍 — zone « nord »",
    "名前",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_are_kept_as_text(workspace_url: str, tmp_path: Path, name: str) -> None:
    """Names are data: stored and listed verbatim, the id never derived from them."""
    ws = Workspace(workspace_url)
    saved = ws.save_area(name, SQUARE)
    assert ws.get_area(saved.id).name == name
    assert [a.name for a in ws.list_areas()] == [name]
    assert is_area_id(saved.id) and not set(saved.id) & set("./\\%<>")
    assert [p.name for p in tmp_path.iterdir()] == [p.name for p in tmp_path.glob("workspace*")]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "empty"),
        ("   \t ", "empty"),
        (None, "empty"),
        ("x" * (MAX_AREA_NAME_CHARS + 1), "long"),
        ("safe\u202etxt.exe", "character"),  # right-to-left override
        ("two\nlines", "character"),
        ("nul\x00byte", "character"),
        ("zero\u200bwidth", "character"),
        ("line\u2028separator", "character"),
    ],
)
def test_bad_names_are_refused(workspace_url: str, name: Any, problem: str) -> None:
    ws = Workspace(workspace_url)
    with pytest.raises(AreaNameError) as info:
        ws.save_area(name, SQUARE)
    assert info.value.problem == problem
    assert ws.list_areas() == []


def test_longest_name_is_accepted(workspace_url: str) -> None:
    name = "é" * MAX_AREA_NAME_CHARS
    ws = Workspace(workspace_url)
    assert ws.save_area(name, SQUARE).name == name
    assert [a.name for a in ws.list_areas()] == [name]


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Point", "coordinates": [37.3, -1.3]}, "Polygon or MultiPolygon, got 'Point'"),
        ("POLYGON ((0 0, 1 0, 1 1, 0 0))", "got 'str'"),
        ({"type": "Polygon", "coordinates": "nonsense"}, "malformed"),
        ({"type": "Polygon", "coordinates": []}, "empty"),
        (box(37.3, -1.4, 37.3, -1.3), "invalid"),  # a line, not an area
        (
            {
                "type": "Polygon",
                "coordinates": [[[37.3, -1.4], [float("nan"), -1.4], [37.3, -1.3], [37.3, -1.4]]],
            },
            "not numbers",
        ),
        (box(190.0, -1.4, 191.0, -1.3), "longitude -180..180"),
        # a bow tie crosses itself: the area panel repairs drawings before they are saved
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[37.3, -1.4], [37.4, -1.3], [37.4, -1.4], [37.3, -1.3], [37.3, -1.4]]
                ],
            },
            "invalid",
        ),
        (box(10.0, 10.0, 10.1, 10.1), "outside the region"),
    ],
)
def test_bad_geometries_are_refused(workspace_url: str, geometry: Any, message: str) -> None:
    ws = Workspace(workspace_url, bounds_lonlat=BOUNDS)
    with pytest.raises(AreaGeometryError, match=message):
        ws.save_area("an area", geometry)
    assert ws.list_areas() == []


def test_too_many_vertices_are_refused(tmp_path: Path) -> None:
    circle = shapely.Point(37.3, -1.3).buffer(0.01, quad_segs=MAX_VERTICES // 4 + 1)
    with pytest.raises(AreaGeometryError, match="limit; simplify"):
        Workspace.for_region(tmp_path).save_area("round", shapely.geometry.mapping(circle))


def test_malformed_ids_are_never_looked_up(workspace_url: str) -> None:
    ws = Workspace(workspace_url)
    ws.save_area("a", SQUARE)
    for bad in ("", "1", "../workspace.sqlite", "A" * 17, "A" * 15 + "/", None, 7):
        with pytest.raises(KeyError):
            ws.get_area(bad)  # type: ignore[arg-type]
        with pytest.raises(KeyError):
            ws.delete_area(bad)  # type: ignore[arg-type]
    assert len(ws.list_areas()) == 1


def test_read_only_workspace_says_so_and_keeps_its_areas(tmp_path: Path) -> None:
    Workspace.for_region(tmp_path).save_area("kept", SQUARE)
    db = tmp_path / "workspace.sqlite"
    read_only = Workspace(f"sqlite:///file:{db}?mode=ro&uri=true")
    (kept,) = read_only.list_areas()
    with pytest.raises(WorkspaceWriteError, match=r"cannot be written \(attempt to write a"):
        read_only.save_area("new", SQUARE)
    with pytest.raises(WorkspaceWriteError, match="make its file and folder writable"):
        read_only.rename_area(kept.id, kept.version, "renamed")
    with pytest.raises(WorkspaceWriteError):
        read_only.delete_area(kept.id)
    assert [a.name for a in Workspace.for_region(tmp_path).list_areas()] == ["kept"]


# one database for every example (each example removes what it saved)
ONE_DATABASE = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]


@functools.cache
def _opened(url: str, bounds_lonlat: tuple[float, float, float, float] | None = None) -> Workspace:
    """One workspace (one engine) for every example of a property test."""
    return Workspace(url, bounds_lonlat)


@settings(max_examples=60, deadline=None, suppress_health_check=ONE_DATABASE)
@given(name=st.text(min_size=0, max_size=MAX_AREA_NAME_CHARS + 5))
def test_any_text_is_saved_verbatim_or_refused_with_a_reason(workspace_url: str, name: str) -> None:
    try:
        clean = clean_name(name)
    except AreaNameError as exc:
        assert exc.problem in ("empty", "long", "character")
        return
    assert clean == unicodedata.normalize("NFC", name.strip())
    ws = _opened(workspace_url)
    saved = ws.save_area(name, SQUARE)
    try:
        assert ws.get_area(saved.id).name == clean
        with pytest.raises(DuplicateNameError):
            ws.save_area(clean.upper() if clean.upper() != clean else clean.lower(), SQUARE)
    finally:
        ws.delete_area(saved.id)


@settings(max_examples=40, deadline=None, suppress_health_check=ONE_DATABASE)
@given(
    west=st.floats(37.0, 37.5),
    south=st.floats(-1.6, -1.1),
    width=st.floats(1e-4, 0.1),
    height=st.floats(1e-4, 0.1),
    holes=st.booleans(),
)
def test_geometry_round_trip_and_area(
    workspace_url: str, west: float, south: float, width: float, height: float, holes: bool
) -> None:
    """The geometry comes back unchanged; its hectares match a UTM computation (0.2 %)."""
    outer = shapely.box(west, south, west + width, south + height)
    hole = outer.centroid.buffer(min(width, height) / 4).exterior.coords
    shape = shapely.Polygon(outer.exterior.coords, [hole]) if holes else outer
    parts = shapely.MultiPolygon([shape, shapely.box(west, south - 0.2, west + 0.01, south - 0.19)])
    for geometry in (shape, parts):
        geojson = dict(shapely.geometry.mapping(geometry))
        ws = _opened(workspace_url, (36.9, -1.9, 37.7, -0.9))
        saved = ws.save_area("area", geojson)
        back = shapely.geometry.shape(ws.get_area(saved.id).geometry)
        ws.delete_area(saved.id)
        assert back.equals_exact(geometry, 0)
        assert saved.area_ha == pytest.approx(_utm_ha(geojson), rel=2e-3)


@pytest.mark.slow
def test_concurrent_saves_from_two_processes_lose_nothing(workspace_url: str) -> None:
    """Each process's areas are all saved; each contested name is saved once, the other
    process told it is taken."""
    Workspace(workspace_url)  # the tables, before the race
    per_worker, shared = 15, [f"Shared {k}" for k in range(8)]
    ctx = writers()
    out = ctx.Queue()
    procs = [
        ctx.Process(target=save_areas, args=(workspace_url, w, per_worker, shared, out))
        for w in range(2)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    duplicates = out.get(timeout=10) + out.get(timeout=10)
    ws = Workspace(workspace_url)
    names = [a.name for a in ws.list_areas()]
    expected = {f"worker {w} area {i}" for w in range(2) for i in range(per_worker)}
    assert expected | set(shared) == set(names) and len(names) == len(set(names))
    assert duplicates == len(shared)
    assert len({a.id for a in ws.list_areas()}) == len(names)
    assert ws.integrity_ok()
