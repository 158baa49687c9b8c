"""The files the dashboard sends: exports of a level's tables, shortlists and raster clips.

Every file is built in a private temporary folder (nothing is written in the region) and
named after the region, the level or layer, and the date. The downloads panel and the
``/export`` route (:mod:`dashboard.downloads`) send them.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
from shapely.geometry.base import BaseGeometry

from dashboard.service import RegionService
from layers.io import write_csv, write_vector
from layers.workspace import Workspace
from processing.clip import clip_layer
from processing.exports import export_filename, export_level, shortlist_points, slug
from processing.future_profile import CommunityFuture


def build_export(
    service: RegionService,
    workspace: Workspace | None,
    level: str,
    fmt: str,
    folder: Path,
    table: str = "summary",
    only: list[str] | None = None,
    future: CommunityFuture | None = None,
) -> Path:
    """Write an export into ``folder`` (a private temporary folder) and return its path.

    ``future``: a community under a future-climate scenario (Excel: its own sheet).

    Raises
    ------
    ValueError
        No results yet, unknown ids, or an empty table.
    """
    if service.results is None:
        raise ValueError("no results yet: run `landwater process` on this region")
    subset = "" if not only else only[0] if len(only) == 1 else f"{len(only)}_units"
    name = export_filename(service.region, level, fmt, table, subset)
    shortlists = shortlist_points(workspace) if workspace is not None and fmt == "gpkg" else None
    return export_level(
        service.region,
        service.registry,
        service.results,
        level,
        fmt,
        folder / name,
        only,
        table,
        shortlists,
        future,
    )


def export_bytes(
    service: RegionService,
    workspace: Workspace | None,
    level: str,
    fmt: str,
    table: str = "summary",
    only: list[str] | None = None,
    future: CommunityFuture | None = None,
) -> tuple[str, bytes]:
    """The file name and content of an export (built in a private temporary folder).

    Raises
    ------
    ValueError
        No results yet, unknown ids, or an empty table.
    """
    with tempfile.TemporaryDirectory(prefix="landwater-export-") as tmp:
        path = build_export(service, workspace, level, fmt, Path(tmp), table, only, future)
        return path.name, path.read_bytes()


def shortlist_bytes(
    service: RegionService, workspace: Workspace, shortlist_id: int, fmt: str
) -> tuple[str, bytes]:
    """A saved shortlist's sites as GeoJSON or CSV: file name and content.

    Raises
    ------
    KeyError
        The shortlist no longer exists.
    ValueError
        It has no sites.
    """
    points = shortlist_points(workspace, shortlist_id)
    if points is None:
        raise ValueError("this shortlist has no sites")
    name = (
        f"landwater_{slug(service.region.name)}_shortlist_{slug(str(points['shortlist'].iloc[0]))}"
        f"_{dt.date.today().isoformat()}.{fmt}"
    )
    with tempfile.TemporaryDirectory(prefix="landwater-export-") as tmp:
        path = Path(tmp) / name
        if fmt == "csv":
            write_csv(pd.DataFrame(points.drop(columns="geometry")), path, for_spreadsheets=True)
        else:
            write_vector(points, path)
        return name, path.read_bytes()


def clip_bytes(
    service: RegionService, layer: str, area: BaseGeometry, label: str
) -> tuple[str, bytes]:
    """A raster layer clipped to ``area`` (working CRS) as a COG: file name and content.

    Raises
    ------
    KeyError
        Unknown layer.
    ValueError
        The area does not overlap the layer.
    """
    name = clip_filename(service, layer, label)
    with tempfile.TemporaryDirectory(prefix="landwater-export-") as tmp:
        path = clip_layer(service.registry, service.results, layer, area, Path(tmp) / name)
        return name, path.read_bytes()


def clip_filename(service: RegionService, layer: str, label: str) -> str:
    """``landwater_<region>_<layer>_<unit or area>_<YYYY-MM-DD>.tif`` (safe characters)."""
    return (
        f"landwater_{slug(service.region.name)}_{slug(layer)}_{slug(label)}"
        f"_{dt.date.today().isoformat()}.tif"
    )
