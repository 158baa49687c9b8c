"""What ``landwater init`` recognised in each input and what it will write, before any work.

``landwater init --dry-run`` prints it and writes nothing; a normal ``init`` saves it with
what the run said as ``init-report.md`` in the region. Each input is read for its metadata
only (names, bands, CRS, cell size, units, extent), and a problem with one input is listed
with the others instead of stopping at the first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import shapely
from pyproj import CRS

from layers.build.init_spec import MONTHLY_ROLES, InitError, InitSpec, _daily, _monthly
from layers.build.monthly_layer import unit_conversion
from layers.build.per_layer import UNKNOWN, for_layer
from layers.errors import LayerReadError
from layers.grid import Grid, transform_bounds
from layers.io import band_metadata, read_vector
from layers.products import complete_class_table


def coverage(bounds: tuple[float, float, float, float], crs: CRS | None, grid: Grid) -> str:
    """The share of the working grid's box that a source's box covers, as text."""
    if crs is None:
        return "coverage unknown (no CRS)"
    try:
        box = shapely.box(*transform_bounds(bounds, crs, grid.crs))
    except Exception:
        return "coverage unknown (the extent does not project onto the working CRS)"
    area = shapely.box(*grid.bounds)
    share = box.intersection(area).area / area.area
    return f"covers {100 * share:.0f} % of the area"


def _raster_line(path: Path | str, grid: Grid, crs_text: str | None = None) -> str:
    meta = band_metadata(path)
    crs = meta.crs or (CRS.from_user_input(crs_text) if crs_text else None)
    if crs is None:
        where = "no CRS"
    else:
        assumed = " (assumed: CF longitude/latitude)" if meta.crs is None else ""
        where = f"{crs.to_string()}{assumed}"
    res = abs(meta.transform.a)
    unit = "deg" if crs is not None and crs.is_geographic else "m"
    return (
        f"{meta.count} band(s), {meta.width} x {meta.height} cells of {res:.6g} {unit},"
        f" {where}, {coverage(meta.bounds, crs, grid)}"
    )


def _provenance(spec: InitSpec, role: str) -> str:
    source = for_layer(spec.source, role) or UNKNOWN
    licence = for_layer(spec.licence, role) or UNKNOWN
    return f"source: {source}; licence: {licence}"


def plan_lines(spec: InitSpec, grid: Grid) -> tuple[list[str], list[str]]:
    """Markdown lines of the plan, and the problems found (each input's, all at once)."""
    lines = [
        "# landwater init: what was recognised and what is written",
        "",
        f"Region **{spec.name}**; working grid {grid.crs.to_string()}, {grid.res_m:g} m,"
        f" {grid.width} x {grid.height} cells.",
        "",
        "## Inputs",
        "",
    ]
    problems: list[str] = []
    writes = ["region.toml", "land_use_classes.csv", "init-report.md"]

    def item(label: str, work: Callable[[], list[str]]) -> None:
        try:
            details = work()
        except (InitError, LayerReadError, ValueError, KeyError, OSError) as exc:
            problems.append(f"{label}: {exc}")
            lines.append(f"- **{label}**: PROBLEM: {exc}")
            return
        lines.append(f"- **{label}**: {details[0]}")
        lines.extend(f"  - {d}" for d in details[1:])

    for role, option in (("elevation", "dem"), ("land_use", "land_use"), ("soil", "soil")):
        path = getattr(spec, option)
        if path is not None:

            def raster(p: Path = path, r: str = role) -> list[str]:
                return [_raster_line(p, grid), _provenance(spec, r)]

            item(f"{role} ({path})", raster)
            writes.append(f"data/{role}.tif")
    for role, target in MONTHLY_ROLES.items():
        if getattr(spec, role) is None:
            continue

        def monthly(role: str = role, target: str = target) -> list[str]:
            src = _monthly(spec, role)
            convert = unit_conversion(src, target, for_layer(spec.units, role))
            writes.append(f"data/{role}.tif ({src.count} bands, {target})")
            return [
                src.describe(),
                _raster_line(src.paths[0], grid, src.crs),
                f"units: {convert.text}",
                _provenance(spec, role),
            ]

        item(f"{role} ({getattr(spec, role)})", monthly)
    if spec.rainfall_daily is not None:

        def daily() -> list[str]:
            src = _daily(str(spec.rainfall_daily))
            writes.append("data/rainfall.tif (monthly sums) and data/rain_daily/ (a file a day)")
            return [
                f"{src.days} days from {src.first_day} to {src.last_day}, {src.product}",
                _raster_line(src.bands[0][0], grid),
                _provenance(spec, "rainfall"),
            ]

        item(f"daily rainfall ({spec.rainfall_daily})", daily)
    if spec.land_use_table:

        def table() -> list[str]:
            done = complete_class_table([pd.read_csv(p) for p in spec.land_use_table])
            return [f"{len(done.table)} classes", *(f"filled {f}" for f in done.filled)]

        item(f"land-use table ({', '.join(str(p) for p in spec.land_use_table)})", table)
    elif spec.land_use_product is not None:
        lines.append(f"- **land-use classes**: the {spec.land_use_product} class table")
    vectors = [("communities", spec.communities)] + [("watersheds", p) for p in spec.watersheds]
    for role, vpath in vectors:
        if vpath is not None:

            def vector(p: Path = vpath, r: str = role) -> list[str]:
                gdf = read_vector(p)
                crs = CRS.from_user_input(gdf.crs) if gdf.crs is not None else None
                fields = [c for c in gdf.columns if c != gdf.geometry.name]
                bounds = tuple(float(v) for v in gdf.total_bounds)
                return [
                    f"{len(gdf)} feature(s), {crs.to_string() if crs else 'no CRS'},"
                    f" {coverage(bounds, crs, grid)}",  # type: ignore[arg-type]
                    f"fields: {', '.join(map(str, fields))}",
                    _provenance(spec, r),
                ]

            item(f"{role} ({vpath})", vector)
    lines += ["", "## Written", ""]
    if spec.communities is None:
        writes.append(f"data/communities.gpkg (hexagons {spec.hex_size_km} km across)")
    else:
        writes.append("data/communities.gpkg")
    if spec.watersheds:
        writes.append("data/watersheds.gpkg (id field ws_id)")
    elif spec.outlets is not None:
        writes.append("data/watersheds.gpkg (catchments of the outlets, delineated)")
    elif spec.dem is not None:
        writes.append(f"data/watersheds.gpkg (sub-basins of at least {spec.min_watershed_km2} km2)")
    lines += [f"- {w}" for w in writes]
    if problems:
        lines += ["", "## Problems", "", *(f"- {p}" for p in problems)]
    return lines, problems


def report_text(lines: list[str], said: list[str]) -> str:
    """``init-report.md``: the plan and what the run said."""
    run = ["", "## What the run said", "", *(f"- {s}" for s in said)] if said else []
    return "\n".join([*lines, *run]) + "\n"
