"""Analysts' commands: ``landwater export`` and ``landwater clip``.

Both process the region first when its results are missing or stale (instant otherwise)
and write only the requested file, atomically.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas as gpd

    from layers.region import Region
    from layers.registry import LayerRegistry
    from processing.results_store import ResultsStore

EXIT_OK, EXIT_PROBLEMS = 0, 1


def _store(command: str, region_dir: Path) -> tuple[Region, LayerRegistry, ResultsStore] | None:
    from layers.errors import LayerReadError, RegionError
    from layers.region import load_region
    from layers.registry import LayerRegistry
    from processing.pipeline import process_region
    from processing.results_store import ResultsStore

    try:
        out = process_region(region_dir)
        region = load_region(region_dir)
        return region, LayerRegistry(region), ResultsStore(out)
    except RegionError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        print(f"landwater {command}: fix the region first (landwater validate)", file=sys.stderr)
    except (LayerReadError, ValueError) as exc:
        print(f"landwater {command}: {exc}", file=sys.stderr)
    return None


def cmd_export(args: argparse.Namespace) -> int:
    """Write a level's tables in one format (CSV, Excel, GeoJSON, GeoPackage)."""
    from processing.exports import export_level

    loaded = _store("export", args.region)
    if loaded is None:
        return EXIT_PROBLEMS
    region, reg, store = loaded
    only = [s.strip() for s in args.only.split(",") if s.strip()] if args.only else None
    fmt = args.format or args.output.suffix.lstrip(".").lower()
    try:
        path = export_level(
            region,
            reg,
            store,
            args.level,
            fmt,
            args.output,
            only,
            args.table,
            _shortlists(args.region) if fmt == "gpkg" else None,
        )
    except ValueError as exc:
        print(f"landwater export: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:
        print(f"landwater export: cannot write {args.output}: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(path)
    return EXIT_OK


def _shortlists(region_dir: Path) -> gpd.GeoDataFrame | None:
    """Saved shortlist sites as points (layer ``shortlists``), or None without a workspace."""
    from layers.workspace import WORKSPACE_FILE, Workspace, url_from_env
    from processing.exports import shortlist_points

    if url_from_env() is None and not (region_dir / WORKSPACE_FILE).exists():
        return None
    ws = Workspace.for_region(region_dir)
    try:
        return shortlist_points(ws)
    finally:
        ws.close()


def cmd_clip(args: argparse.Namespace) -> int:
    """Clip a raster layer or result to a community, a watershed or an area file (COG)."""
    from layers.errors import LayerReadError
    from layers.io import read_vector
    from processing.clip import clip_layer
    from processing.exports import unit_table

    loaded = _store("clip", args.region)
    if loaded is None:
        return EXIT_PROBLEMS
    _, reg, store = loaded
    try:
        if args.aoi is not None:
            area_gdf = read_vector(args.aoi)
            if area_gdf.crs is None or area_gdf.empty:
                raise ValueError(f"{args.aoi}: no CRS or no geometry; save the area with its CRS")
            area = area_gdf.to_crs(reg.crs).union_all()
        else:
            level = "community" if args.community else "watershed"
            uid = args.community or args.watershed
            units = unit_table(reg, store, level, [uid])
            area = units.geometry.iloc[0]
        path = clip_layer(reg, store, args.layer, area, args.output)
    except KeyError as exc:
        print(f"landwater clip: {exc.args[0]}", file=sys.stderr)
        return EXIT_PROBLEMS
    except (ValueError, LayerReadError) as exc:
        print(f"landwater clip: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:
        print(f"landwater clip: cannot write {args.output}: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(path)
    return EXIT_OK


def cmd_brief(args: argparse.Namespace) -> int:
    """Write the printable brief (one HTML file) of a community, watershed or shortlist."""
    from dashboard.brief import brief_html
    from dashboard.service import RegionService
    from layers.io import write_text

    if _store("brief", args.region) is None:
        return EXIT_PROBLEMS
    service = RegionService(args.region)
    service.ensure_results()
    if args.shortlist is not None:
        from dashboard.shortlist_brief import shortlist_brief_html
        from layers.workspace import Workspace

        try:
            record = Workspace.for_region(args.region).get_shortlist(args.shortlist)
        except KeyError:
            print(f"landwater brief: no shortlist with id {args.shortlist}", file=sys.stderr)
            return EXIT_PROBLEMS
        html = shortlist_brief_html(service, record)
    else:
        level = "communities" if args.community else "watersheds"
        uid = args.community or args.watershed
        data = service.profile(uid, level)
        if data is None:
            noun = "community" if level == "communities" else "watershed"
            print(f"landwater brief: unknown {noun} id '{uid}'", file=sys.stderr)
            return EXIT_PROBLEMS
        html = brief_html(service, data, level)
    try:
        write_text(args.output, html)
    except OSError as exc:
        print(f"landwater brief: cannot write {args.output}: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(args.output)
    return EXIT_OK


def add_export_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    region_dir: Callable[[str], Path],
) -> None:
    """Register ``export`` and ``clip`` on the main parser's subcommands."""
    exp = sub.add_parser("export", help="tables per community or watershed (CSV, Excel, GIS)")
    exp.add_argument("region", type=region_dir, help="region folder holding region.toml")
    exp.add_argument("--level", choices=("community", "watershed"), default="community")
    exp.add_argument(
        "--format",
        choices=("csv", "xlsx", "geojson", "gpkg"),
        default=None,
        help="default: from the output's extension",
    )
    exp.add_argument("--only", default=None, help="comma-separated unit ids (default: all)")
    exp.add_argument(
        "--table",
        choices=("summary", "monthly", "annual", "trends", "suitability", "crops"),
        default="summary",
        help="CSV only: which table (default summary)",
    )
    exp.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    exp.set_defaults(func=cmd_export)

    clip = sub.add_parser("clip", help="a raster layer or result clipped to a unit or area (COG)")
    clip.add_argument("region", type=region_dir, help="region folder holding region.toml")
    clip.add_argument(
        "--layer", required=True, help="e.g. rainfall, land_use, deficit, suitability_farm_ponds"
    )
    where = clip.add_mutually_exclusive_group(required=True)
    where.add_argument("--community", default=None, help="community id")
    where.add_argument("--watershed", default=None, help="watershed id")
    where.add_argument("--aoi", type=Path, default=None, help="area file (any vector, any CRS)")
    clip.add_argument("-o", "--output", type=Path, required=True, help="the COG to write")
    clip.set_defaults(func=cmd_clip)

    brief = sub.add_parser(
        "brief", help="a printable HTML brief of a community, watershed or shortlist"
    )
    brief.add_argument("region", type=region_dir, help="region folder holding region.toml")
    unit = brief.add_mutually_exclusive_group(required=True)
    unit.add_argument("--community", default=None, help="community id")
    unit.add_argument("--watershed", default=None, help="watershed id")
    unit.add_argument("--shortlist", type=int, default=None, help="saved shortlist id")
    brief.add_argument("-o", "--output", type=Path, required=True, help="the HTML file to write")
    brief.set_defaults(func=cmd_brief)
