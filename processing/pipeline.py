"""``landwater process``: a region's results store, from one strip or many.

One pipeline for every size of region: the working grid is read in strips of rows (the
whole grid is one strip; a national grid is many; a Dask cluster runs the same strips as
tasks). Each strip (:mod:`processing.strip_sums`) gives, for every unit of every level,
the sums of its cells' balance inputs, land-use classes and suitability, and with
``rasters`` its rows of every store raster; the strips' sums, added in strip order
(:mod:`processing.strip_totals`), give every table. A unit counts every cell whose centre
it contains, overlapping units included (:mod:`processing.unit_labels`).

The store is built in a temporary folder and swapped into place, so an interrupted run
never leaves half a store; an unchanged region (same input fingerprint) is not processed
again.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from layers.errors import RegionError
from layers.io import remove_dead_leftovers, replace_folder
from layers.region import Region, load_region
from layers.registry import LayerRegistry
from layers.validate import has_errors, validate_region
from processing.daily_runoff import daily_unit_runoff
from processing.fingerprint import PIPELINE_VERSION, input_fingerprint, up_to_date
from processing.grids import rain_calendar
from processing.kernels.suitability import classes_text
from processing.kernels.water_balance import DEFICIT_MONTH_MM
from processing.memory_budget import check_whole_grid
from processing.output_spec import RASTER_VARIABLES
from processing.results_store import write_manifest, write_tables
from processing.strip_rasters import StripRasters, scratch_folder
from processing.strip_sums import BlockSpec, Sums, block_spec
from processing.strip_totals import (
    aligned_rows,
    grid_sums,
    land_use_table,
    level_hrus,
    level_means,
    lumped_batches,
    suitability_tables,
)
from processing.suitability_outputs import SuitabilityOutputs, summary_columns
from processing.unit_tables import UnitResults, summarise

BLOCK_ROWS = 256  # rows per strip of `landwater process --blockwise`
Progress = Callable[[str], None]


def valid_region(region_dir: Path, say: Progress) -> Region:
    """Validate and load a region; warnings (repaired geometries, ...) go to ``say``.

    Raises
    ------
    RegionError
        When the region has validation errors (listing them all).
    """
    say("validating the region")
    problems = validate_region(region_dir)
    if has_errors(problems):
        raise RegionError([p for p in problems if p.severity == "error"])
    for warning in problems:  # repaired geometries, partial cover, ...: reported, not fatal
        say(str(warning))
    return load_region(region_dir)


def store_manifest(
    fingerprint: str, reg: LayerRegistry, et0_source: str, months: int, skipped: dict[str, str]
) -> dict[str, object]:
    """The manifest entries every results store carries, however it was computed."""
    return {
        "fingerprint": fingerprint,
        "region": reg.region.name,
        "synthetic": reg.region.config.region.synthetic,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "pipeline_version": PIPELINE_VERSION,
        "et0_source": et0_source,
        "months": months,
        "deficit_month_mm": DEFICIT_MONTH_MM,
        "crs": reg.crs.to_string(),
        "suitability_classes": classes_text(),
        "skipped": skipped,
    }


@dataclass(frozen=True)
class _Calendar:
    first_month: int
    start_year: int | None


def process_region(
    region_dir: str | Path,
    out_dir: str | Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
    *,
    block_rows: int | None = None,
    scheduler: str | None = None,
    rasters: bool = True,
) -> Path:
    """Compute and write the results store of a region.

    Parameters
    ----------
    region_dir : str or Path
        A valid region folder.
    out_dir : str or Path, optional
        Where the store goes; ``REGION/results`` (the store the dashboard serves) when
        omitted.
    force : bool
        Recompute even when the store was computed from the same inputs.
    progress : callable, optional
        Called with a short description of each step.
    block_rows : int, optional
        Rows per strip (rounded up to a multiple of EcoCrop's sampling step); None reads
        the whole grid as one strip, after checking that it fits in memory.
    scheduler : str, optional
        A Dask scheduler address (``tcp://host:8786``) to run the strips and unit batches
        on; ``"local"`` starts a 2-worker ``LocalCluster``; None runs here.
    rasters : bool
        Also write the per-cell rasters (annual balance, water yield, suitability scores;
        the balance is the costliest part: every cell's own balance).

    Returns
    -------
    Path
        The store (see :mod:`processing.results_store`): every table and the GeoPackage,
        with or without the rasters, and ``manifest.json``.

    Raises
    ------
    RegionError
        When the region has validation errors (listing them all).
    GridTooLargeError
        When ``block_rows`` is None and the whole grid would not fit in memory.
    """
    say = progress or (lambda _m: None)
    region_dir = Path(region_dir).resolve()
    region = valid_region(region_dir, say)
    reg = LayerRegistry(region)
    out = Path(out_dir).resolve() if out_dir else region.results_dir
    remove_dead_leftovers(out.parent, f".{out.name}.")  # a killed run's store and scratch
    if (region.cache_dir / "aligned").is_dir():  # and its half-aligned layers
        remove_dead_leftovers(region.cache_dir / "aligned", "")
    key = input_fingerprint(region_dir)
    if not force and up_to_date(out, key):
        say("results are up to date")
        return out
    t0 = time.perf_counter()
    if block_rows is None:
        check_whole_grid(reg.grid.width * reg.grid.height, reg.band_count("rainfall"))
    out.parent.mkdir(parents=True, exist_ok=True)
    levels = {
        lv: units for lv in ("communities", "watersheds") if (units := reg.units(lv)) is not None
    }
    spec = block_spec(reg, levels)
    rows = aligned_rows(block_rows or reg.grid.height, spec)
    assert spec.suitability is not None
    stems = [f"{v}_mm_yr" for v in RASTER_VARIABLES] + spec.suitability.raster_stems
    scratch = scratch_folder(out)
    client, cluster = _client(scheduler)
    try:
        with StripRasters(scratch, reg.grid, stems if rasters else []) as writer:
            strips = -(-reg.grid.height // rows)
            say(f"reading the grid in {strips} strip(s) of {rows} rows")
            total = grid_sums(spec, rows, client, writer.write if rasters else None)
        ids = {lv: units["id"].to_numpy() for lv, units in levels.items()}
        suit = suitability_tables(total, spec, reg, ids)
        results = _unit_results(region, spec, levels, total, suit, client, rows, say)
        manifest = store_manifest(key, reg, spec.et0_source, spec.months, suit.skipped) | {
            "mode": "whole grid" if block_rows is None else "blockwise",
            "scheduler": scheduler or "none",
            "block_rows": rows,
            "grid": list(reg.grid.shape),
            "rasters": rasters,
        }

        def build(tmp: Path) -> None:
            write_tables(tmp, results, suit)
            if writer.names:
                say("writing the rasters as COGs")
                writer.to_cogs(tmp / "rasters")
            seconds = round(time.perf_counter() - t0, 2)
            write_manifest(tmp, {**manifest, "seconds": seconds})

        say("writing the results store")
        replace_folder(out, build)
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
        shutil.rmtree(scratch, ignore_errors=True)
    say(f"results written to {out}")
    return out


def _unit_results(
    region: Region,
    spec: BlockSpec,
    levels: dict[str, gpd.GeoDataFrame],
    total: Sums,
    suit: SuitabilityOutputs,
    client: Any,
    block_rows: int,
    say: Progress,
) -> list[UnitResults]:
    """Summary and monthly tables of every level from the strips' sums.

    With daily rain (``spec.daily``), the units' runoff is the curve number run on each day
    of their mean daily rain, read in a second pass over the strips.
    """
    start_year, _ = rain_calendar(region.config.layers.rainfall)
    calendar = _Calendar(spec.first_month, start_year)
    hrus = {level: level_hrus(total, spec, level, len(units)) for level, units in levels.items()}
    runoff: dict[str, Any] = {}
    if spec.daily is not None:
        say(f"runoff of every unit on each of {spec.daily.days} days of rain")
        runoff = daily_unit_runoff(spec, hrus, block_rows, client)
    results: list[UnitResults] = []
    for level, units in levels.items():
        say(f"water balance of the {level}")
        n = len(units)
        means = level_means(total, level, n, 2 * spec.months + 4)
        wb, params = lumped_batches(means, hrus[level], spec, client, runoff.get(level))
        res = summarise(
            level,
            units,
            wb,
            params,
            means[-1],
            land_use_table(total, spec, level, n),
            calendar,
            region.config.water_balance.baseflow_k_months,
        )
        extra = summary_columns(suit, level, units["id"].to_numpy())
        summary = pd.concat([res.summary, extra], axis=1)
        results.append(UnitResults(level, units, summary, res.monthly))
    return results


def _client(scheduler: str | None) -> tuple[Any, Any]:
    """A Dask client for an address, a 2-worker local cluster for "local", or nothing."""
    if scheduler is None:
        return None, None
    from distributed import Client, LocalCluster

    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        return Client(cluster), cluster
    return Client(scheduler), None
