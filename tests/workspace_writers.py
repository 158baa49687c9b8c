"""Writers the workspace tests run in other processes, at once, against one workspace.

The writers start from a fork server that has imported this module, and with it the workspace,
once per test worker: each writer is a fork of it (a few milliseconds), where a spawned process
imports the workspace anew (about 1.5 s of CPU). A writer is still a process of its own, with
its own connections, that a test can kill with SIGKILL in the middle of a commit.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from typing import Any

import shapely
import shapely.geometry

from layers.workspace import DuplicateNameError, Workspace


def box(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    """A lon/lat rectangle as a GeoJSON geometry."""
    return dict(shapely.geometry.mapping(shapely.box(west, south, east, north)))


SQUARE = box(37.30, -1.40, 37.32, -1.38)
SITE = {"lon": 37.3, "lat": -1.3, "score": 0.81, "community_id": "C001"}


def writers() -> ForkServerContext:
    """The multiprocessing context the writers start from (a fork server with this module)."""
    ctx = multiprocessing.get_context("forkserver")
    assert isinstance(ctx, ForkServerContext)
    ctx.set_forkserver_preload([__name__])
    return ctx


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


def save_until_killed(url: str, tag: str, done: Connection) -> None:
    """Save large shortlists one after another until the process is killed; send each one's
    ``(id, name)`` on ``done`` once its commit has returned."""
    ws = Workspace(url)
    big = [{"lon": 37.0, "lat": -1.0, "pad": "x" * 20000}] * 20
    i = 0
    while True:
        saved = ws.save_shortlist(f"save-{tag}-{i}", big)
        done.send((saved.id, saved.name))
        i += 1
