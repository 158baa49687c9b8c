"""``landwater map``: a printable map (PNG or PDF) of a region's layers, for reports.

The same renderer as the dashboard's "Export map" (:mod:`dashboard.map_export`): offline
hillshade, the layers with the map's colours, legend with units, scale bar, north arrow,
title in the chosen language and the layers' sources. The format follows the output's
suffix. Exit 1 with a message naming the bad input and the fix (an unknown layer, a month
out of 1-12, a bbox outside the region, a result layer before ``landwater process``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS = 0, 1


def _csv_numbers(text: str) -> list[float]:
    try:
        return [float(v) for v in text.split(",")]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"bbox {text!r}: give WEST,SOUTH,EAST,NORTH in degrees, e.g. 37.3,-1.5,37.5,-1.3"
        ) from exc


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit()):
        raise argparse.ArgumentTypeError(
            f"size {text!r}: give WIDTHxHEIGHT in pixels, e.g. 1754x1240"
        )
    return int(width), int(height)


def cmd_map(args: argparse.Namespace) -> int:
    """Draw the map and write it to ``args.output``."""
    from dashboard.map_drawing import map_bytes
    from dashboard.map_export import (
        DEFAULT_SIZE_PX,
        FORMATS,
        MapRequestError,
        check_request,
    )
    from dashboard.service import RegionService
    from layers.errors import LayerReadError, RegionError
    from layers.io import atomic_path

    out: Path = args.output
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        print(
            f"landwater map: output '{out}' has suffix {out.suffix!r}: name it .png or .pdf",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    try:
        service = RegionService(args.region).prepare()
        layers = [k.strip() for k in args.layers.split(",") if k.strip()]
        req = check_request(
            service,
            layers,
            args.month,
            args.bbox,
            args.lang,
            args.size or DEFAULT_SIZE_PX,
            fmt,
            args.opacity,
        )
        _, data = map_bytes(service, req)
    except RegionError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        print("landwater map: fix the region first (landwater validate)", file=sys.stderr)
        return EXIT_PROBLEMS
    except (MapRequestError, LayerReadError) as exc:
        print(f"landwater map: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out) as tmp:
        tmp.write_bytes(data)
    print(f"{out} ({len(data) / 1024:,.0f} KB)")
    return EXIT_OK


def add_map_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    region_dir: Callable[[str], Path],
) -> None:
    """Register ``map`` on the main parser's subcommands."""
    p = sub.add_parser("map", help="a printable map (PNG or PDF) with legend and sources")
    p.add_argument("region", type=region_dir, help="region folder holding region.toml")
    p.add_argument(
        "--layers",
        required=True,
        help="comma-separated layers, e.g. water_yield,communities,watersheds "
        "(an unknown name lists them all)",
    )
    p.add_argument("--month", type=int, default=0, help="rainfall month 1-12 (default 0: annual)")
    p.add_argument("--bbox", type=_csv_numbers, default=None, help="WEST,SOUTH,EAST,NORTH degrees")
    p.add_argument(
        "--size",
        type=_size,
        default=None,
        help="WIDTHxHEIGHT pixels (default 1754x1240: A4 landscape at 150 dpi)",
    )
    p.add_argument("--lang", default="en", help="language of the text: en, fr, es or sw")
    p.add_argument("--opacity", type=float, default=1.0, help="rasters over the hillshade, 0-1")
    p.add_argument("-o", "--output", type=Path, required=True, help="map.pdf or map.png")
    p.set_defaults(func=cmd_map)
