"""Writers the workspace tests run in other processes, at once, against one workspace.

Kept apart from the test modules: a spawned process imports the module of its target, and
this one imports the workspace alone (about 1 s), where a test module would also import
pytest, geopandas and hypothesis (about 3 s) in every writer.
"""

from __future__ import annotations

from typing import Any

import shapely
import shapely.geometry

from layers.workspace import DuplicateNameError, Workspace


def box(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    """A lon/lat rectangle as a GeoJSON geometry."""
    return dict(shapely.geometry.mapping(shapely.box(west, south, east, north)))


SQUARE = box(37.30, -1.40, 37.32, -1.38)
SITE = {"lon": 37.3, "lat": -1.3, "score": 0.81, "community_id": "C001"}


def write_shortlists(url: str, worker: int, shortlist_id: int, n: int) -> None:
    """Save ``n`` shortlists and append a site to a shared one after each."""
    ws = Workspace(url)
    for i in range(n):
        ws.save_shortlist(f"w{worker}-{i}", [SITE], author=f"worker {worker}")
        ws.append_sites(shortlist_id, [{"lon": 37.0 + worker, "lat": -1.0 - i / 100}])


def save_areas(url: str, worker: int, n: int, shared: list[str], out: Any) -> None:
    """Save ``n`` areas of the worker's own, then try each contested name of ``shared``;
    put on ``out`` how many of those were refused as taken."""
    ws = Workspace(url)
    duplicates = 0
    for i in range(n):
        ws.save_area(f"worker {worker} area {i}", box(37.3, -1.4, 37.3 + (i + 1) / 1000, -1.3))
    for name in shared:
        try:
            ws.save_area(name, SQUARE)
        except DuplicateNameError:
            duplicates += 1
    out.put(duplicates)
