"""The whole results store computed block by block, on one machine or on a Dask cluster.

For national regions (10^8 cells, 10^4 communities) the whole-grid pipeline does not fit:
here the grid is read in strips of ``block_rows`` rows, once for every output. Each strip
(:mod:`processing.blockwise_strip`) gives, for every unit of every level (cell-centre rule,
the same cells as :func:`processing.pipeline.unit_means`):

- the sums and counts of its cells' rain, crop PET, curve number, storage capacity, Kc and
  water yield, and the cells of each land-use class;
- the suitability sums of every intervention and crop
  (:mod:`processing.blockwise_suitability`).

The sums of the strips are added in strip order, so a Dask cluster (strips as tasks) gives
exactly the single-machine numbers; the lumped balance then runs in batches of units (tasks
as well). Peak memory is about ``block_rows x columns x (2 x months + 40) x 8`` bytes per
task.

With ``rasters``, every strip also computes its cells' annual balance, water yield and
suitability scores, written strip by strip into tiled GeoTIFFs
(:mod:`processing.strip_rasters`) and made COGs at the end: the result maps of a national
region without holding a whole raster. The output is a results store (the same files as
``landwater process`` writes, ``"mode": "blockwise"`` in its manifest) that the dashboard
serves.

Rasters already on the working grid are read in place; others (another CRS, cell size or
extent, a CHIRPS file per month) are warped window by window onto the grid
(:func:`layers.align.read_grid_window`): no layer is ever aligned whole.
"""

from __future__ import annotations

import math
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from layers.io import replace_folder
from layers.registry import LayerRegistry
from processing.blockwise_strip import BlockSpec, Sums, block_spec, block_sums, lu_codes, strips
from processing.crop_suitability import CropSums
from processing.grids import (
    rain_calendar,
)
from processing.kernels.water_balance import MonthlyBalance
from processing.pipeline import (
    UnitResults,
    input_fingerprint,
    land_use_columns,
    level_units,
    lumped_balance,
    store_manifest,
    summarise,
    up_to_date,
    valid_region,
)
from processing.results_store import RASTER_VARIABLES, write_manifest, write_tables
from processing.strip_rasters import StripRasters, scratch_folder
from processing.suitability_outputs import SuitabilityOutputs, summary_columns
from processing.suitability_summary import SuitabilitySums

BLOCK_ROWS = 256
UNIT_BATCH = 2500


def add_sums(total: Sums, part: Sums) -> Sums:
    """``total`` plus one strip's sums, key by key."""
    out = dict(total)
    for key, value in part.items():
        out[key] = out[key] + value if key in out else value  # type: ignore[operator]
    return out


StripSink = Callable[[int, dict[str, np.ndarray]], None]


def grid_sums(
    spec: BlockSpec,
    client: Any = None,
    block_rows: int = BLOCK_ROWS,
    sink: StripSink | None = None,
) -> Sums:
    """Every strip's sums, added in strip order (whatever the order they arrive in).

    With ``sink``, every strip also computes its rasters and ``sink(first_row, rasters)``
    receives them as they arrive (in any order on a cluster). Strips that arrive early wait
    until those before them are added, so a cluster gives the very sums one process gives.
    """
    tasks = strips(spec.grid, block_rows)
    rasters = sink is not None
    total: Sums = {}
    if client is None:
        for r, n in tasks:
            sums, strip = block_sums(spec, r, n, rasters)
            total = add_sums(total, sums)
            if sink is not None and strip is not None:
                sink(r, strip)
        return total
    from distributed import as_completed

    shared = client.scatter(spec, broadcast=True)
    futures = [client.submit(block_sums, shared, r, n, rasters, pure=False) for r, n in tasks]
    order = {f.key: i for i, f in enumerate(futures)}
    waiting: dict[int, Sums] = {}
    done = 0
    for fut, (sums, strip) in as_completed(futures, with_results=True):
        i = order[fut.key]
        waiting[i] = sums
        if sink is not None and strip is not None:
            sink(tasks[i][0], strip)
        fut.release()
        while done in waiting:
            total = add_sums(total, waiting.pop(done))
            done += 1
    return total


def level_means(total: Sums, level: str, n_units: int, variables: int) -> np.ndarray:
    """Per-unit means of the balance variables, ``(variables, units)`` (NaN where no cell)."""
    sums = total.get(("balance", level))
    if sums is None:
        return np.full((variables, n_units), np.nan)
    assert isinstance(sums, np.ndarray)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums[0] / sums[1]
    return means[:, 1:]


def lumped_batches(
    means: np.ndarray, spec: BlockSpec, client: Any = None
) -> tuple[MonthlyBalance, dict[str, np.ndarray]]:
    """The lumped balance of units from their mean inputs, in batches (tasks on a cluster)."""
    m = spec.months
    rain, pet, (cn, cap, kc, _) = means[:m], means[m : 2 * m], means[2 * m :]
    n_units = means.shape[1]
    batches = [slice(i, i + UNIT_BATCH) for i in range(0, n_units, UNIT_BATCH)]
    args = [(rain[:, b], pet[:, b], cn[b], cap[b], kc[b], spec.first_month) for b in batches]
    if client is None:
        parts = [lumped_balance(*a, spec.wb) for a in args]
    else:
        parts = client.gather([client.submit(lumped_balance, *a, spec.wb) for a in args])
    wb = MonthlyBalance(
        *(
            np.concatenate([getattr(p[0], f) for p in parts], axis=-1)
            for f in MonthlyBalance.__dataclass_fields__
        )
    )
    params = {k: np.concatenate([p[1][k] for p in parts]) for k in parts[0][1]}
    return wb, params


def suitability_tables(
    total: Sums, spec: BlockSpec, reg: LayerRegistry, ids: Mapping[str, np.ndarray]
) -> SuitabilityOutputs:
    """The suitability and crop tables of every level from the strips' sums."""
    suit = spec.suitability
    out = SuitabilityOutputs(skipped=dict(suit.skipped) if suit is not None else {})
    if suit is None:
        return out
    cell_ha = reg.grid.res_m**2 / 1e4
    for level, unit_ids in ids.items():
        n = len(unit_ids)
        tables = []
        for iv in suit.profiles:
            layers = [c.layer for c in iv.criteria]
            sums = total.get(("suitability", iv.id, level)) or SuitabilitySums.empty(n, len(layers))
            assert isinstance(sums, SuitabilitySums)
            tables.append(sums.table(unit_ids, iv.id, layers, reg.grid, reg.crs))
        if tables:
            out.interventions[level] = pd.concat(tables, ignore_index=True)
        crops = []
        for crop in suit.crops:
            c_sums = total.get(("crop", crop.id, level)) or CropSums.empty(n)
            assert isinstance(c_sums, CropSums)
            crops.append(c_sums.table(crop, unit_ids, cell_ha))
        if crops:
            out.crops[level] = pd.concat(crops, ignore_index=True)
    return out


def land_use_mix(total: Sums, spec: BlockSpec, level: str, n_units: int) -> pd.DataFrame:
    """``lu_<class>_ha`` / ``_pct`` of a level from the strips' class counts."""
    codes = lu_codes(spec)
    counts = total.get(("land_use", level))
    if counts is None:
        counts = np.zeros((n_units + 1, codes.size + 1))
    assert isinstance(counts, np.ndarray)
    ha = counts[1:] * spec.grid.res_m**2 / 1e4
    by_code = {str(c): ha[:, i] for i, c in enumerate(codes) if ha[:, i].any()}
    return land_use_columns(by_code, ha.sum(axis=1), spec.lu_table["name"], n_units)


@dataclass(frozen=True)
class _Calendar:
    first_month: int
    start_year: int | None


def _aligned_rows(block_rows: int, spec: BlockSpec) -> int:
    """Strip rows rounded up to a multiple of EcoCrop's sampling step.

    Strips must start on EcoCrop's sample blocks to sample the cells the whole grid samples.
    """
    suit = spec.suitability
    step = suit.crop_step if suit is not None and suit.crops else 1
    return math.ceil(block_rows / step) * step


def process_blockwise(
    region_dir: str | Path,
    out_dir: str | Path | None = None,
    scheduler: str | None = None,
    block_rows: int = BLOCK_ROWS,
    progress: Callable[[str], None] | None = None,
    rasters: bool = True,
    force: bool = False,
) -> Path:
    """The results store of a region, computed by blocks.

    Parameters
    ----------
    region_dir : str or Path
        A valid region folder.
    out_dir : str or Path, optional
        Where the store goes; ``REGION/results`` (the store the dashboard serves) when
        omitted.
    scheduler : str, optional
        A Dask scheduler address (``tcp://host:8786``) to run the strips and unit batches
        on; ``"local"`` starts a 2-worker ``LocalCluster``; None runs here.
    block_rows : int
        Rows per strip (rounded up to a multiple of EcoCrop's sampling step).
    rasters : bool
        Also write the per-cell rasters (annual balance, water yield, suitability scores;
        the balance is the costliest part: every cell's own balance).
    force : bool
        Recompute even when the store was computed from the same inputs.

    Returns
    -------
    Path
        The store (see :mod:`processing.results_store`): every table and the GeoPackage,
        with or without the rasters, and ``manifest.json`` (``"mode": "blockwise"``).
    """
    say = progress or (lambda _m: None)
    region_dir = Path(region_dir).resolve()
    region = valid_region(region_dir, say)
    reg = LayerRegistry(region)
    out = Path(out_dir).resolve() if out_dir else region.results_dir
    out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    key = input_fingerprint(region_dir)
    if not force and up_to_date(out, key):
        say("results are up to date")
        return out
    levels = {
        lv: units
        for lv in ("communities", "watersheds")
        if (units := level_units(reg, lv)) is not None
    }
    spec = block_spec(reg, levels)
    block_rows = _aligned_rows(block_rows, spec)
    assert spec.suitability is not None
    stems = [f"{v}_mm_yr" for v in RASTER_VARIABLES] + spec.suitability.raster_stems
    scratch = scratch_folder(out)
    client, cluster = _client(scheduler)
    try:
        with StripRasters(scratch, reg.grid, stems if rasters else []) as writer:
            say(f"reading the grid by blocks of {block_rows} rows")
            total = grid_sums(spec, client, block_rows, writer.write if rasters else None)
        ids = {lv: units["id"].to_numpy() for lv, units in levels.items()}
        suit = suitability_tables(total, spec, reg, ids)
        start_year, _ = rain_calendar(region.config.layers.rainfall)
        results: list[UnitResults] = []
        for level, units in levels.items():
            say(f"water balance of the {level}")
            n = len(units)
            means = level_means(total, level, n, 2 * spec.months + 4)
            wb, params = lumped_batches(means, spec, client)
            res = summarise(
                level,
                units,
                wb,
                params,
                means[-1],
                land_use_mix(total, spec, level, n),
                _Calendar(spec.first_month, start_year),
                region.config.water_balance.baseflow_k_months,
            )
            extra = summary_columns(suit, level, ids[level])
            summary = pd.concat([res.summary, extra], axis=1)
            results.append(UnitResults(level, units, summary, res.monthly))
        manifest = store_manifest(key, reg, spec.et0_source, spec.months, suit.skipped) | {
            "mode": "blockwise",
            "scheduler": scheduler or "none",
            "block_rows": block_rows,
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
