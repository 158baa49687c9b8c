"""The workspace on PostgreSQL: real PostGIS geometry columns, read back by PostGIS itself.

The suites of test_workspace.py and test_saved_areas.py run on SQLite and on PostGIS; these
tests check what only PostGIS has: the columns' types and SRID, and PostGIS's own geodesic
area and point-in-polygon answers against the workspace's.
"""

from __future__ import annotations

import socket
import uuid
from typing import Any

import pytest
import shapely
import shapely.geometry
from sqlalchemy import create_engine, text

from layers.workspace import Workspace, WorkspaceWriteError
from tests.pg_cluster import PgCluster

BOUNDS = (37.0, -1.6, 37.6, -1.0)
# a polygon with a hole, not axis-aligned: the geodesic areas differ from a planar one
RING = [[37.30, -1.40], [37.36, -1.41], [37.37, -1.35], [37.31, -1.33], [37.30, -1.40]]
HOLE = [[37.33, -1.38], [37.34, -1.38], [37.34, -1.37], [37.33, -1.38]]
AREA = {"type": "Polygon", "coordinates": [RING, HOLE]}
SITES = [
    {"lon": 37.32, "lat": -1.36, "score": 0.9},  # inside the polygon
    {"lon": 37.335, "lat": -1.3785, "score": 0.8},  # inside the hole: outside the area
    {"lon": 37.50, "lat": -1.20, "score": 0.7},  # far outside
]


def _sql(url: str, query: str, **params: Any) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(query), params).all())
    finally:
        engine.dispose()


def test_geometries_are_postgis_columns_in_wgs84(postgis_url: str) -> None:
    ws = Workspace(postgis_url, BOUNDS)
    area = ws.save_area("Upper Tana", AREA)
    shortlist = ws.save_shortlist("ponds", SITES)
    columns = _sql(
        postgis_url,
        "SELECT f_table_name, f_geometry_column, srid, type FROM geometry_columns "
        "ORDER BY f_table_name",
    )
    assert [tuple(c) for c in columns] == [
        ("saved_areas", "geometry", 4326, "GEOMETRY"),
        ("shortlists", "sites_geometry", 4326, "MULTIPOINT"),
    ]
    ((kind, srid, area_m2),) = _sql(
        postgis_url,
        "SELECT GeometryType(geometry), ST_SRID(geometry), ST_Area(geometry::geography) "
        "FROM saved_areas WHERE id = :id",
        id=area.id,
    )
    assert (kind, srid) == ("POLYGON", 4326)
    # PostGIS's geodesic area (spheroid) against the workspace's (pyproj.Geod)
    assert area.area_ha == pytest.approx(area_m2 / 10_000, rel=1e-6)
    # which sites lie in the area, asked of PostGIS, against shapely
    inside = _sql(
        postgis_url,
        "SELECT ST_X(p.geom), ST_Y(p.geom) FROM shortlists s, saved_areas a, "
        "ST_Dump(s.sites_geometry) AS p WHERE s.id = :sid AND a.id = :aid "
        "AND ST_Within(p.geom, a.geometry) ORDER BY 1",
        sid=shortlist.id,
        aid=area.id,
    )
    polygon = shapely.geometry.shape(AREA)
    expected = [
        (s["lon"], s["lat"]) for s in SITES if polygon.contains(shapely.Point(s["lon"], s["lat"]))
    ]
    assert [tuple(p) for p in inside] == expected == [(37.32, -1.36)]


def test_the_sites_points_follow_every_edit(postgis_url: str) -> None:
    ws = Workspace(postgis_url, BOUNDS)
    saved = ws.save_shortlist("ponds", SITES[:1])
    ws.append_sites(saved.id, SITES[1:2])
    edited = ws.update_shortlist(saved.id, ws.get_shortlist(saved.id).version, sites=SITES)
    ws.append_sites(saved.id, [{"lon": 37.1, "lat": -1.5}])
    points = _sql(
        postgis_url,
        "SELECT ST_X(p.geom), ST_Y(p.geom) FROM shortlists, ST_Dump(sites_geometry) AS p "
        "WHERE id = :id ORDER BY p.path",
        id=saved.id,
    )
    sites = ws.get_shortlist(saved.id).sites
    assert [tuple(p) for p in points] == [(s["lon"], s["lat"]) for s in sites]
    assert len(sites) == len(edited.sites) + 1 == 4
    ws.update_shortlist(saved.id, ws.get_shortlist(saved.id).version, sites=[])
    assert _sql(postgis_url, "SELECT sites_geometry IS NULL FROM shortlists") == [(True,)]


def test_a_database_without_postgis_says_how_to_add_it(postgis_cluster: PgCluster) -> None:
    """A user who may not create the extension is told to install it and by whom."""
    name = f"plain_{uuid.uuid4().hex[:12]}"  # a database and its owner, not a superuser
    admin = create_engine(postgis_cluster.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE {name} LOGIN"))
        conn.execute(text(f"CREATE DATABASE {name} OWNER {name} TEMPLATE template0"))
    url = postgis_cluster.url(name).replace("postgres@", f"{name}@")
    try:
        with pytest.raises(WorkspaceWriteError) as info:
            Workspace(url)
        assert "needs the PostGIS extension" in str(info.value)
        assert "Must be superuser" in str(info.value)  # PostgreSQL's own reason
        assert "postgresql-15-postgis-3" in str(info.value)
        assert "'CREATE EXTENSION postgis;' in the database as a superuser" in str(info.value)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
            conn.execute(text(f"DROP ROLE {name}"))
        admin.dispose()


def test_an_unreachable_server_is_named() -> None:
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[test]')")
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql+psycopg://planner:secret@127.0.0.1:{port}/workspace"
    with pytest.raises(WorkspaceWriteError, match="cannot be opened") as info:
        Workspace(url)
    message = str(info.value)
    assert f"127.0.0.1:{port}/workspace" in message and "secret" not in message


def test_a_workspace_made_with_geojson_columns_is_upgraded(postgis_url: str) -> None:
    """A PostgreSQL workspace of an earlier version (GeoJSON in ``json``, no site points)."""
    ws = Workspace(postgis_url, BOUNDS)
    area = ws.save_area("Upper Tana", AREA)
    shortlist = ws.save_shortlist("ponds", SITES)
    ws.close()
    engine = create_engine(postgis_url)
    with engine.begin() as conn:  # back to the earlier schema
        conn.execute(text("DROP INDEX ix_saved_areas_geometry"))
        conn.execute(
            text(
                "ALTER TABLE saved_areas ALTER COLUMN geometry TYPE json "
                "USING ST_AsGeoJSON(geometry, 15)::json"
            )
        )
        conn.execute(text("ALTER TABLE shortlists DROP COLUMN sites_geometry"))
    engine.dispose()
    again = Workspace(postgis_url, BOUNDS)
    back = shapely.geometry.shape(again.get_area(area.id).geometry)
    assert back.equals_exact(shapely.geometry.shape(AREA), 1e-12)
    assert again.get_shortlist(shortlist.id).sites == SITES
    columns = _sql(postgis_url, "SELECT f_table_name, type FROM geometry_columns ORDER BY 1")
    assert [tuple(c) for c in columns] == [
        ("saved_areas", "GEOMETRY"),
        ("shortlists", "MULTIPOINT"),
    ]
