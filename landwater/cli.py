"""The ``landwater`` command line.

Exit codes: 0 success (a valid region), 1 problems found or the command failed on bad
input, 2 usage error (unknown option, missing argument, path that does not exist).
Heavy modules are imported inside each command so ``landwater --help`` stays instant.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from landwater.cli_compare import add_compare_parser
from landwater.cli_data import add_data_parsers
from landwater.cli_design import add_design_parsers
from landwater.cli_export import add_export_parsers
from landwater.cli_map import add_map_parser
from landwater.cli_monitoring import add_monitoring_parser
from landwater.cli_portfolio import add_portfolio_parser
from landwater.server import DEFAULT_THREADS as DEFAULT_SERVE_THREADS

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
ALL_ZONAL_STATS = (
    "count",
    "sum",
    "mean",
    "min",
    "max",
    "std",
    "median",
    "majority",
    "minority",
    "unique",
    "range",
    "nodata",
    "nan",
)
DEFAULT_DEMO_DIR = Path("var/demo")


def _region_dir(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"region folder '{value}' does not exist")
    return path


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number of 1 or more")
    return number


def cmd_demo(args: argparse.Namespace) -> int:
    """Write the synthetic demo region."""
    from layers.build.demo.generate import generate_demo

    try:
        out = generate_demo(args.out, seed=args.seed, force=args.force)
    except FileExistsError as exc:
        print(f"landwater demo: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"demo region written to {out}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate a region and print every problem."""
    from layers.validate import has_errors, validate_region

    problems = validate_region(args.region)
    if args.json:
        print(json.dumps([p.__dict__ for p in problems], indent=2))
    else:
        for p in problems:
            print(p, file=sys.stdout)
        errors = sum(p.severity == "error" for p in problems)
        warnings = sum(p.severity == "warning" for p in problems)
        verdict = "INVALID" if errors else "valid"
        print(f"{args.region}: {verdict} ({errors} error(s), {warnings} warning(s))")
    return EXIT_PROBLEMS if has_errors(problems) else EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the dashboard for a region through waitress (no debug, no reloader)."""
    from dashboard.app import create_app
    from layers.errors import LayerReadError, RegionError
    from layers.validate import has_errors, validate_region

    problems = validate_region(args.region)
    if has_errors(problems):
        for p in problems:
            print(p, file=sys.stderr)
        print(
            "landwater serve: fix the region first (landwater validate shows the same list)",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    if not args.no_process:
        from rich.console import Console

        from processing.pipeline import process_region

        console = Console(stderr=True)
        try:
            with console.status("checking results"):
                # cached: instant when up to date
                process_region(args.region, progress=_logger(console))
        except (LayerReadError, ValueError, OSError) as exc:
            print(
                f"landwater serve: results not computed ({exc}); serving the map without them",
                file=sys.stderr,
            )
    from dashboard.access import Access
    from layers.workspace import WorkspaceWriteError

    try:
        app = create_app(
            args.region,
            access=Access.from_env(read_only=args.read_only),
            warm_up=not args.no_warm_up,
        )
    except (RegionError, ValueError, WorkspaceWriteError) as exc:
        # ValueError: a login without a secret key, a workspace URL of an unknown kind;
        # WorkspaceWriteError: a workspace database that is down or lacks PostGIS
        print(f"landwater serve: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:  # a read-only region folder, a full disk
        print(
            f"landwater serve: cannot write {exc.filename or args.region}"
            f" ({exc.strerror or exc}): the server keeps its map caches in REGION/.cache and"
            " the team's workspace in REGION/workspace.sqlite; make the region folder"
            " writable, or serve a copy of it",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    from landwater import server

    try:
        wsgi = server.make_server(app.server, args.host, args.port, threads=args.threads)
    except server.ListenError as exc:
        print(f"landwater serve: {exc.strerror}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"serving {args.region} at {server.server_url(wsgi)}", flush=True)
    server.serve_until_stopped(wsgi)
    return EXIT_OK


def cmd_zonal(args: argparse.Namespace) -> int:
    """Zonal statistics of a raster over polygons, as CSV."""
    from layers.errors import LayerReadError
    from processing.zonal import ALL_STATS, zonal_stats

    stats = [s.strip() for s in args.stats.split(",") if s.strip()]
    bad = [s for s in stats if s not in ALL_STATS]
    if bad:
        print(
            f"landwater zonal: unknown statistic(s) {bad}; choose from {','.join(ALL_STATS)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    for path in (args.raster, args.zones):
        if not Path(path).exists():
            print(f"landwater zonal: {path} does not exist", file=sys.stderr)
            return EXIT_USAGE
    band = None if args.all_bands else args.band
    try:
        table = zonal_stats(
            args.raster,
            args.zones,
            stats=stats,
            band=band if band is not None else (None if args.all_bands else 1),
            categorical=args.categorical,
            all_touched=args.all_touched,
            exact=args.exact,
            id_field=args.id_field,
        )
    except (LayerReadError, ValueError, KeyError) as exc:
        print(f"landwater zonal: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except Exception as exc:  # rasterio/GDAL errors on unreadable rasters
        print(f"landwater zonal: cannot read {args.raster}: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    if "band" in table.columns:
        key = table.columns[0]
        wide = table.pivot(index=key, columns="band")
        wide.columns = [f"b{col[1]}_{col[0]}" for col in wide.columns]
        order = table[key].drop_duplicates()
        table = wide.loc[order].reset_index()
    if args.output is None:
        from layers.io import neutralise_formulas

        neutralise_formulas(table).to_csv(sys.stdout, index=False)
    else:
        from layers.io import write_csv

        try:
            write_csv(table, args.output, for_spreadsheets=True)
        except OSError as exc:
            hint = "; give a file name inside it" if Path(args.output).is_dir() else ""
            print(
                f"landwater zonal: cannot write {args.output} ({exc.strerror or exc}){hint}",
                file=sys.stderr,
            )
            return EXIT_PROBLEMS
        print(f"{len(table)} zones written to {args.output}", file=sys.stderr)
    return EXIT_OK


FULL_DISK_BYTES = 64 * 2**20  # less free space than this after a failed write: a full disk


def _write_fix(exc: OSError, where: str | Path) -> str:
    """What went wrong writing ``where`` and the fix: a full disk or a folder not writable.

    GDAL reports a full disk as "Write failed", so the free space is looked at too.
    """
    folder = Path(where).resolve()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    fs = os.statvfs(folder)
    free = fs.f_bavail * fs.f_frsize
    # GDAL's "Write failed" has no errno: a writable disk (not /sys, not a read-only mount)
    # with next to nothing free
    writable = fs.f_blocks > 0 and not fs.f_flag & os.ST_RDONLY
    if exc.errno == errno.ENOSPC or (exc.errno is None and writable and free < FULL_DISK_BYTES):
        return (
            f"the disk holding it is full ({free / 2**20:.1f} MB free); free some space, or give"
            " --out a folder on another disk"
        )
    return (
        f"{exc.strerror or exc}; make the region folder writable (its .cache and results), or"
        " give --out a writable folder"
    )


def _logger(console: Any) -> Callable[[str], None]:
    """Progress lines on a rich console, printed as they are.

    A message's ``[layers.tmin]`` is the fix it names, not rich markup to swallow.
    """

    def log(message: str) -> None:
        console.log(message, markup=False, highlight=False)

    return log


def cmd_process(args: argparse.Namespace) -> int:
    """Run the water balance and water yield for a region and write its results store."""
    from rich.console import Console

    from layers.errors import LayerReadError, RegionError
    from processing.pipeline import BLOCK_ROWS, process_region

    console = Console(stderr=True)

    report = _logger(console)
    try:
        with console.status("processing"):
            strips = args.blockwise or args.scheduler or args.block_rows is not None
            out = process_region(
                args.region,
                args.out,
                force=args.force,
                progress=report,
                block_rows=(args.block_rows or BLOCK_ROWS) if strips else None,
                scheduler=args.scheduler,
                rasters=not args.no_rasters,
            )
    except RegionError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        print(
            "landwater process: fix the region first (landwater validate lists the same problems)",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    except (LayerReadError, ValueError) as exc:
        print(f"landwater process: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as exc:  # a read-only region or --out folder, a full disk
        where = exc.filename or args.out or args.region
        print(f"landwater process: cannot write {where}: {_write_fix(exc, where)}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(out)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="landwater", description="Land and water resource planning for smallholder programmes."
    )
    parser.add_argument("--version", action="version", version="landwater 0.1.0")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="write the synthetic demo region")
    demo.add_argument(
        "--out", type=Path, default=DEFAULT_DEMO_DIR, help="target folder (default: var/demo)"
    )
    demo.add_argument("--seed", type=int, default=42, help="random seed (default: 42)")
    demo.add_argument("--force", action="store_true", help="replace an existing folder")
    demo.set_defaults(func=cmd_demo)

    validate = sub.add_parser("validate", help="check a region and list every problem")
    validate.add_argument("region", type=_region_dir, help="region folder holding region.toml")
    validate.add_argument("--json", action="store_true", help="print problems as JSON")
    validate.set_defaults(func=cmd_validate)

    zonal = sub.add_parser("zonal", help="zonal statistics of a raster over polygons (CSV)")
    zonal.add_argument("raster", help="any GDAL raster")
    zonal.add_argument("zones", help="polygons: GeoPackage, GeoJSON, shapefile, ... (any CRS)")
    zonal.add_argument(
        "--stats",
        default="count,mean,min,max",
        help="comma-separated, from: " + ",".join(ALL_ZONAL_STATS),
    )
    bands = zonal.add_mutually_exclusive_group()
    bands.add_argument("--band", type=int, default=None, help="1-based band (default 1)")
    bands.add_argument(
        "--all-bands", action="store_true", help="every band, columns prefixed b{N}_"
    )
    zonal.add_argument(
        "--categorical", action="store_true", help="cell count and area (ha) per class"
    )
    zonal.add_argument("--all-touched", action="store_true", help="count every cell a zone touches")
    zonal.add_argument("--exact", action="store_true", help="weight cells by the fraction covered")
    zonal.add_argument(
        "--id-field", default=None, help="zone attribute for the first column (default zone_index)"
    )
    zonal.add_argument(
        "-o", "--output", type=Path, default=None, help="CSV file (default: standard output)"
    )
    zonal.set_defaults(func=cmd_zonal)

    process = sub.add_parser(
        "process", help="water balance and water yield per community and watershed"
    )
    process.add_argument("region", type=_region_dir, help="region folder holding region.toml")
    process.add_argument(
        "--out", type=Path, default=None, help="results folder (default REGION/results)"
    )
    process.add_argument(
        "--force", action="store_true", help="recompute even if the inputs did not change"
    )
    process.add_argument(
        "--blockwise",
        action="store_true",
        help="read the grid in strips of rows instead of whole (national regions; bounded memory)",
    )
    process.add_argument(
        "--no-rasters",
        action="store_true",
        help="tables only, no rasters (skips every cell's own balance"
        " unless a suitability criterion needs it)",
    )
    process.add_argument(
        "--scheduler",
        default=None,
        help="run the strips on a Dask scheduler (tcp://host:8786) or 'local' (implies strips)",
    )
    process.add_argument(
        "--block-rows",
        type=int,
        default=None,
        help="rows per strip (implies strips; default 256 with --blockwise or --scheduler)",
    )
    process.set_defaults(func=cmd_process)

    serve = sub.add_parser("serve", help="serve the dashboard")
    serve.add_argument("region", type=_region_dir, help="region folder holding region.toml")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8050)
    serve.add_argument(
        "--no-process",
        action="store_true",
        help="serve without computing missing or stale results first",
    )
    serve.add_argument(
        "--read-only",
        action="store_true",
        help="nobody can change shortlists or scenarios (a public deployment)",
    )
    serve.add_argument(
        "--no-warm-up",
        action="store_true",
        help="build the designer's engine on its first visit instead of at start"
        " (less CPU and memory where people mostly view the map)",
    )
    serve.add_argument(
        "--threads",
        type=_positive_int,
        default=DEFAULT_SERVE_THREADS,
        help=f"requests answered at the same time (default {DEFAULT_SERVE_THREADS})",
    )
    serve.set_defaults(func=cmd_serve)
    add_data_parsers(sub, _region_dir)
    add_design_parsers(sub, _region_dir)
    add_export_parsers(sub, _region_dir)
    add_portfolio_parser(sub, _region_dir)
    add_compare_parser(sub, _region_dir)
    add_map_parser(sub, _region_dir)
    add_monitoring_parser(sub, _region_dir)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when omitted.

    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
