"""``landwater init`` (a region from raw files) and ``landwater calibrate`` (observed flow)."""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from layers.build.per_layer import ROLES, per_layer

EXIT_OK, EXIT_PROBLEMS = 0, 1
# options given per layer (ROLE=VALUE, or one value for every layer)
PER_LAYER = ("source", "licence", "date_pattern", "start", "units")
INIT_FIELDS = (
    "dem",
    "land_use",
    "land_use_product",
    "land_use_class",
    "rainfall",
    "rainfall_daily",
    "tmin",
    "tmax",
    "et0",
    "stations",
    "period",
    "rain_days",
    "future",
    "future_reference",
    "communities",
    "id_field",
    "name_field",
    "hex_size_km",
    "area",
    "watershed_id_field",
    "outlets",
    "streams",
    "snap_m",
    "min_watershed_km2",
    "soil",
    "soil_table",
    "swat_soil_lookup",
    "swat_usersoil",
    "sites",
    "crs",
    "resolution_m",
    "margin_m",
)


def _init_spec(args: argparse.Namespace) -> dict[str, Any]:
    """Options from the init TOML (``--from``, paths relative to it) overridden by flags."""
    values: dict[str, Any] = {}
    if args.from_file is not None:
        with open(args.from_file, "rb") as fh:
            values = tomllib.load(fh)
        base = args.from_file.parent
        for key, v in list(values.items()):
            if (
                isinstance(v, str)
                and key not in ("name", "period", "land_use_product", "crs", *PER_LAYER)
                and not (key.endswith("_field"))
            ):
                values[key] = str(base / v)
            elif isinstance(v, list):
                values[key] = [str(base / p) for p in v]
    for key in INIT_FIELDS:
        v = getattr(args, key)
        if v is not None:
            values[key] = v
    for key in PER_LAYER:
        given = getattr(args, key)
        if given:  # the command line's values join and override the file's
            values[key] = {**per_layer(values.get(key), key), **per_layer(given, key)}
    if args.land_use_table:
        values["land_use_table"] = args.land_use_table
    if args.watersheds:
        values["watersheds"] = args.watersheds
    values.setdefault("name", args.name or Path(args.region).name)
    return values


def option_errors(exc: Any) -> list[str]:
    """One line per invalid option (``--resolution-m -5: must be greater than 0``).

    Pydantic's own text (model name, error type, a documentation URL) is left out.
    """
    lines = []
    for error in exc.errors():
        loc = error.get("loc") or ("?",)
        option = "--" + str(loc[0]).replace("_", "-")
        msg = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        if msg.startswith("Input should be "):
            msg = "must be " + msg.removeprefix("Input should be ")
        lines.append(f"{option} {error.get('input')!s}: {msg}")
    return lines


def cmd_init(args: argparse.Namespace) -> int:
    """Build a region folder from raw files, then validate it."""
    from pydantic import ValidationError

    from layers.build.init_region import InitError, InitSpec, build_region, plan_region
    from layers.errors import LayerReadError

    try:
        spec = InitSpec(**_init_spec(args))
    except ValidationError as exc:
        for line in option_errors(exc):
            print(f"landwater init: {line}", file=sys.stderr)
        return EXIT_PROBLEMS
    except (OSError, ValueError, tomllib.TOMLDecodeError) as exc:
        print(f"landwater init: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.dry_run:
        try:
            problems = plan_region(spec, say=print)
        except (InitError, LayerReadError, ValueError, KeyError) as exc:
            print(f"landwater init: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"dry run: nothing written; {problems or 'no'} problem(s) found")
        return EXIT_PROBLEMS if problems else EXIT_OK
    try:
        warnings = build_region(spec, args.region, force=args.force, say=print)
    except (InitError, LayerReadError, ValueError, KeyError) as exc:
        print(f"landwater init: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    for w in warnings:
        print(w)
    print(f"region written to {args.region}; next: landwater process {args.region}")
    return EXIT_OK


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Calibrate the water balance on observed flow and save the parameters to the region."""
    from layers.errors import LayerReadError, RegionError
    from layers.region import load_region
    from layers.registry import LayerRegistry
    from processing.calibration import (
        BOUNDS,
        calibrate,
        outlet_inputs,
        read_observed_flow,
        save_calibration,
    )

    try:
        reg = LayerRegistry(load_region(args.region))
        inputs = outlet_inputs(reg, args.watershed)
        observed = read_observed_flow(args.observed, args.flow_units, inputs.area_m2)
        result = calibrate(
            inputs, observed, args.calibration, args.validation, args.objective, args.seed
        )
    except (KeyError, ValueError, LayerReadError, RegionError) as exc:
        print(f"landwater calibrate: {str(exc).strip(chr(39))}", file=sys.stderr)
        return EXIT_PROBLEMS
    p = result.params
    print(f"watershed {result.watershed_id}: {result.area_km2:.2f} km2")
    print(
        f"cn_multiplier {p.cn_multiplier:.3f}  awc_multiplier {p.awc_multiplier:.3f}"
        f"  baseflow_k_months {p.baseflow_k_months:.2f}  (objective {result.objective.upper()},"
        f" {result.evaluations} runs)"
    )
    for name, (lo, hi) in BOUNDS.items():
        value = getattr(p, name)
        if min(value - lo, hi - value) < 1e-3 * (hi - lo):
            side = "lower" if value - lo < hi - value else "upper"
            print(
                f"note: {name} is at its {side} bound ({lo if side == 'lower' else hi}):"
                " the tables or the inputs may be biased; check them before trusting the fit"
            )
    for label, m in (("calibration", result.calibration), ("validation", result.validation)):
        print(
            f"{label:12s} {m.period}  NSE {m.nse:.3f}  KGE {m.kge:.3f}"
            f"  PBIAS {m.pbias_pct:+.1f} %  ({m.months} months)"
        )
    if not args.no_save:
        out = save_calibration(args.region, result, str(args.observed))
        print(f"parameters written to {args.region / 'region.toml'}; report in {out}")
    return EXIT_OK


def add_data_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    region_dir: Callable[[str], Path],
) -> None:
    """Register ``init`` and ``calibrate``."""
    init = sub.add_parser("init", help="build a region folder from raw files (DEM, rain, ...)")
    init.add_argument("region", type=Path, help="the region folder to create")
    init.add_argument(
        "--from",
        dest="from_file",
        type=Path,
        default=None,
        help="a TOML file with the options below (paths relative to it)",
    )
    init.add_argument("--name", default=None, help="region name (default: the folder's)")
    init.add_argument("--force", action="store_true", help="replace a non-empty folder")
    init.add_argument(
        "--dry-run",
        action="store_true",
        help="say what each input is recognised as and what would be written; write nothing",
    )
    g = init.add_argument_group(
        "provenance (ROLE=TEXT for one layer, or TEXT for every layer; repeatable)",
        f"roles: {', '.join(ROLES)}. Without it a layer's source is recorded as 'unknown'.",
    )
    g.add_argument("--source", action="append", default=[], help="where the data comes from")
    g.add_argument("--licence", action="append", default=[], help="its licence or terms of use")
    g = init.add_argument_group("terrain and land")
    g.add_argument("--dem", type=Path, help="elevation raster, metres")
    g.add_argument("--land-use", type=Path, help="land-use raster")
    g.add_argument(
        "--land-use-product",
        choices=("worldcover", "lc100", "generic"),
        help="a known product's class table",
    )
    g.add_argument(
        "--land-use-table",
        type=Path,
        action="append",
        default=[],
        help="your class table(s): codes and names, SWAT codes or InVEST tables",
    )
    g.add_argument("--land-use-class", type=int, help="one class everywhere (no land-use map)")
    g.add_argument("--soil", type=Path, help="soil-unit raster")
    g.add_argument("--soil-table", type=Path, help="code,name,hsg,awc_mm_per_m")
    g.add_argument("--swat-soil-lookup", type=Path, help="SWAT SOIL_ID,SNAM lookup")
    g.add_argument("--swat-usersoil", type=Path, help="SWAT usersoil table")
    g = init.add_argument_group("climate")
    g.add_argument("--rainfall", help="monthly rain: folder, glob or file (mm/month)")
    g.add_argument(
        "--rainfall-daily",
        help="daily rain: folder or glob of dated GeoTIFFs (CHIRPS daily) or a daily NetCDF",
    )
    g.add_argument("--tmin", help="monthly minimum temperature, degC")
    g.add_argument("--tmax", help="monthly maximum temperature, degC")
    g.add_argument("--et0", help="monthly reference ET, mm/month")
    g.add_argument("--stations", type=Path, help="station table (CSV), see the README")
    g.add_argument("--period", help="YYYY-MM:YYYY-MM of a series (whole years)")
    g.add_argument(
        "--date-pattern",
        action="append",
        default=[],
        help="[ROLE=]how names hold dates: '{var}_{yyyy}-{mm}.tif' or a regex with (?P<y>)(?P<m>)",
    )
    g.add_argument(
        "--start",
        action="append",
        default=[],
        help="[ROLE=]YYYY-MM: first month of a multi-band file whose bands carry no dates",
    )
    g.add_argument(
        "--units",
        action="append",
        default=[],
        help="[ROLE=]units of the values when the file declares none or wrong ones (m/day, K)",
    )
    g.add_argument("--rain-days", type=Path, help="CSV month,events (rain events per month)")
    g.add_argument(
        "--future",
        action="append",
        help="CMIP6 future climatologies (WorldClim 2.1 or CHELSA-CMIP6 names): folder or glob;"
        " repeat for several sets ([[futures]])",
    )
    g.add_argument(
        "--future-reference",
        help="the same product's baseline climatology (delta method); default: the futures"
        " replace the region's climate",
    )
    g = init.add_argument_group("units")
    g.add_argument("--communities", type=Path, help="community polygons (any CRS)")
    g.add_argument("--id-field", help="community id column")
    g.add_argument("--name-field", help="community name column")
    g.add_argument("--hex-size-km", type=float, help="hexagon communities of this size")
    g.add_argument("--area", type=Path, help="polygons bounding the region (and the hexagons)")
    g.add_argument(
        "--watersheds",
        type=Path,
        action="append",
        default=[],
        help="watershed polygons (repeatable)",
    )
    g.add_argument("--watershed-id-field", help="watershed id column")
    g.add_argument("--outlets", type=Path, help="outlet points: delineate their catchments")
    g.add_argument("--streams", type=Path, help="stream lines burned into the DEM")
    g.add_argument(
        "--snap-m",
        type=float,
        help="outlet snapping radius, m (default 90), on the DEM's own grid",
    )
    g.add_argument("--min-watershed-km2", type=float, help="sub-basin size without outlets")
    g.add_argument("--sites", type=Path, help="project sites: GeoPackage, GeoJSON or CSV lon/lat")
    g.add_argument(
        "--crs",
        help="working CRS, projected in metres, e.g. EPSG:32637 (default: the UTM zone)",
    )
    g.add_argument("--resolution-m", type=float, help="working cell size (default 30)")
    g.add_argument("--margin-m", type=float, help="border around the communities (default 1000)")
    init.set_defaults(func=cmd_init)

    cal = sub.add_parser("calibrate", help="calibrate the water balance on observed flow")
    cal.add_argument("region", type=region_dir, help="region folder holding region.toml")
    cal.add_argument("--watershed", required=True, help="the outlet's watershed id")
    cal.add_argument("--observed", type=Path, required=True, help="CSV of monthly flow")
    cal.add_argument("--flow-units", choices=("m3/s", "mm"), default="m3/s")
    cal.add_argument("--calibration", required=True, help="YYYY-MM:YYYY-MM")
    cal.add_argument("--validation", required=True, help="YYYY-MM:YYYY-MM")
    cal.add_argument("--objective", choices=("kge", "nse"), default="kge")
    cal.add_argument("--seed", type=int, default=0, help="search seed (default 0)")
    cal.add_argument("--no-save", action="store_true", help="report only; leave the region")
    cal.set_defaults(func=cmd_calibrate)
