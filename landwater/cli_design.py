"""Designers' commands: ``landwater suitability`` and ``landwater recommend``.

Both process the region first when its results are missing or stale (instant otherwise),
and both write through :mod:`layers.io`, so an interrupted run leaves no partial file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas as gpd

    from processing.sites import SiteEvaluation, SitePlanner

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _weights(text: str | None) -> list[float] | None:
    if not text:
        return None
    try:
        return [float(v) for v in text.split(",")]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--weights needs numbers like 3,1,2: {exc}") from exc


def _planner(command: str, region: Path, intervention: str) -> SitePlanner | None:
    from layers.errors import LayerReadError, RegionError
    from processing.sites import open_planner

    try:
        planner = open_planner(region)
        planner.engine.profile(intervention)
    except RegionError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        print(f"landwater {command}: fix the region first (landwater validate)", file=sys.stderr)
        return None
    except KeyError as exc:
        print(f"landwater {command}: {exc.args[0]}", file=sys.stderr)
        return None
    except (LayerReadError, ValueError) as exc:
        print(f"landwater {command}: {exc}", file=sys.stderr)
        return None
    return planner


def _check_weights(command: str, planner: SitePlanner, iv: str, w: list[float] | None) -> bool:
    if w is None:
        return True
    n = len(planner.engine.profile(iv).criteria)
    if len(w) != n or sum(w) <= 0 or min(w) < 0:
        print(
            f"landwater {command}: --weights needs {n} non-negative numbers, not all zero "
            f"(one per criterion of '{iv}'), got {w}",
            file=sys.stderr,
        )
        return False
    return True


def cmd_suitability(args: argparse.Namespace) -> int:
    """Write an intervention's score raster and its per-community and per-watershed tables."""
    from layers.io import write_cog, write_csv
    from processing.robustness import RobustnessSettings, unit_robustness
    from processing.suitability_summary import unit_suitability

    robust = None
    if args.robustness is not None:
        try:
            given = {"concentration": args.concentration, "top_n": args.top_n, "seed": args.seed}
            robust = RobustnessSettings(
                n_draws=args.robustness, **{k: v for k, v in given.items() if v is not None}
            )
        except ValueError as exc:
            print(f"landwater suitability: {exc}", file=sys.stderr)
            return EXIT_USAGE
    planner = _planner("suitability", args.region, args.intervention)
    if planner is None or not _check_weights(
        "suitability", planner, args.intervention, args.weights
    ):
        return EXIT_PROBLEMS
    eng = planner.engine
    out = args.out or (args.region / "outputs" / f"suitability_{args.intervention}")
    grid = eng.model(args.intervention).grid(args.weights)
    try:
        raster = out / f"suitability_{args.intervention}.tif"
        write_cog(
            raster,
            grid,
            eng.reg.crs,
            eng.reg.grid.transform,
            float("nan"),
            {"units": "score 0..1", "intervention": args.intervention},
        )
        written = [raster]
        for level in eng.labels:
            table = unit_suitability(eng, args.intervention, level, args.weights)
            if robust is not None:
                extra = unit_robustness(eng, args.intervention, args.weights, robust, level=level)
                table = table.merge(extra, on="unit_id", how="left", validate="one_to_one")
            path = out / f"suitability_{args.intervention}_{level}.csv"
            write_csv(table, path, for_spreadsheets=True)
            written.append(path)
    except OSError as exc:
        print(f"landwater suitability: cannot write to {out}: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    for path in written:
        print(path)
    return EXIT_OK


def _sites_frame(picks: list[SiteEvaluation]) -> gpd.GeoDataFrame:
    import geopandas as gpd

    rows = []
    for ev in picks:
        row = {
            "rank": ev.rank,
            "intervention": ev.intervention,
            "score": ev.score,
            "class": ev.suitability_class,
            "community_id": ev.community_id,
            "community": ev.community_name,
            "watershed_id": ev.watershed_id,
            "limiting_criterion": ev.limiting_criterion or "",
            "land_use": ev.land_use,
            "slope_pct": ev.slope_pct,
            "rainfall_annual_mm": ev.rainfall_annual_mm,
            "nearest_site_id": ev.nearest_site_id,
            "nearest_site_m": ev.nearest_site_m,
            "lon": ev.lon,
            "lat": ev.lat,
        }
        for c in ev.criteria:
            row[f"value_{c.layer}"] = c.value
            row[f"membership_{c.layer}"] = c.membership
        rows.append(row)
    frame = gpd.GeoDataFrame(
        rows,
        geometry=gpd.points_from_xy([r["lon"] for r in rows], [r["lat"] for r in rows]),
        crs=4326,
    )
    return frame


def cmd_recommend(args: argparse.Namespace) -> int:
    """Recommend sites for an intervention; print them, or write GeoJSON/GeoPackage."""
    from layers.errors import LayerReadError
    from layers.io import read_vector, write_vector

    within = None
    if args.within is not None:
        try:
            area = read_vector(args.within)
        except LayerReadError as exc:
            print(f"landwater recommend: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
        if area.crs is None or area.empty:
            print(
                f"landwater recommend: {args.within} has no CRS or no geometry; "
                "save the area with its CRS",
                file=sys.stderr,
            )
            return EXIT_PROBLEMS
        within = area.to_crs(4326).union_all()
    planner = _planner("recommend", args.region, args.intervention)
    if planner is None or not _check_weights("recommend", planner, args.intervention, args.weights):
        return EXIT_PROBLEMS
    try:
        picks = planner.recommend_sites(
            args.intervention,
            args.count,
            args.min_spacing_m,
            max_per_community=args.max_per_community,
            min_distance_from_existing_m=args.min_distance_existing_m,
            within=within,
            weights=args.weights,
        )
    except ValueError as exc:
        print(f"landwater recommend: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    if not picks:
        print("landwater recommend: no allowed site left under these constraints", file=sys.stderr)
        return EXIT_PROBLEMS
    frame = _sites_frame(picks)
    if args.output is None:
        cols = ["rank", "score", "class", "community_id", "limiting_criterion", "lon", "lat"]
        from layers.io import neutralise_formulas

        neutralise_formulas(frame[cols]).to_csv(sys.stdout, index=False)
    else:
        try:
            write_vector(frame, args.output, layer="recommended_sites")
        except (OSError, ValueError) as exc:
            print(f"landwater recommend: cannot write {args.output}: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"{len(frame)} sites written to {args.output}", file=sys.stderr)
    if len(picks) < args.count:
        print(
            f"landwater recommend: only {len(picks)} of {args.count} sites fit the constraints",
            file=sys.stderr,
        )
    return EXIT_OK


def add_design_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    region_dir: Callable[[str], Path],
) -> None:
    """Register ``suitability`` and ``recommend`` on the main parser's subcommands."""
    suit = sub.add_parser(
        "suitability", help="score raster and per-unit table of an intervention profile"
    )
    suit.add_argument("region", type=region_dir, help="region folder holding region.toml")
    suit.add_argument("--intervention", required=True, help="profile id from region.toml")
    suit.add_argument(
        "--weights", type=_weights, default=None, help="override weights, e.g. 3,1,2 (one each)"
    )
    suit.add_argument(
        "--robustness",
        type=int,
        default=None,
        metavar="N",
        help="add rank robustness columns from N Dirichlet weight draws (e.g. 500)",
    )
    suit.add_argument(
        "--concentration",
        type=float,
        default=None,
        help="Dirichlet concentration of the weight draws; larger stays closer to the weights"
        " (default 50)",
    )
    suit.add_argument(
        "--top-n",
        type=int,
        default=None,
        help="N of the top-N probability column (default 10)",
    )
    suit.add_argument("--seed", type=int, default=None, help="seed of the weight draws (default 0)")
    suit.add_argument(
        "-o",
        "--out",
        type=Path,
        default=None,
        help="output folder (default REGION/outputs/suitability_ID)",
    )
    suit.set_defaults(func=cmd_suitability)

    rec = sub.add_parser("recommend", help="recommend ranked sites for an intervention")
    rec.add_argument("region", type=region_dir, help="region folder holding region.toml")
    rec.add_argument("--intervention", required=True, help="profile id from region.toml")
    rec.add_argument("--count", type=int, required=True, help="number of sites wanted")
    rec.add_argument("--min-spacing-m", type=float, required=True, help="minimum spacing, m")
    rec.add_argument("--max-per-community", type=int, default=None, help="cap per community")
    rec.add_argument(
        "--min-distance-existing-m",
        type=float,
        default=None,
        help="minimum distance from existing project sites, m",
    )
    rec.add_argument("--within", type=Path, default=None, help="only inside this area (vector)")
    rec.add_argument("--weights", type=_weights, default=None, help="override weights, e.g. 3,1,2")
    rec.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="GeoJSON or GeoPackage (default: CSV on standard output)",
    )
    rec.set_defaults(func=cmd_recommend)
