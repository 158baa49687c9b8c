"""The per-unit water balance computed block by block, on one machine or on a Dask cluster.

For national regions (10^8 cells, 10^4 communities) the whole-grid pipeline does not fit:
here the grid is read in strips of ``block_rows`` rows; each strip gives, for every unit,
the sums and counts of its cells' rain, crop PET, curve number, storage capacity and Kc
(cell-centre rule, the same cells as :func:`processing.pipeline.unit_means`); the partial
sums are added in strip order, so a Dask cluster (strips as tasks) gives exactly the
single-machine numbers; the lumped balance then runs in batches of units (tasks as well).
Peak memory is about ``block_rows x columns x (2 x months + 8) x 8`` bytes per task.

With ``rasters``, every strip also computes its cells' annual balance and water yield,
written strip by strip into tiled GeoTIFFs (:mod:`processing.strip_rasters`) and made COGs
at the end: the result maps of a national region without holding a whole raster.

Rasters already on the working grid are read in place; others (another CRS, cell size or
extent, a CHIRPS file per month) are warped window by window onto the grid
(:func:`layers.align.read_grid_window`): no layer is ever aligned whole.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from rasterio import features
from rasterio.windows import Window
from rasterio.windows import transform as window_transform

from layers.align import GridSource
from layers.config import WaterBalanceConfig
from layers.grid import Grid
from layers.io import replace_folder, write_csv, write_text
from layers.registry import LayerRegistry
from processing.grids import calendar_climatology, land_parameters, monthly_et0
from processing.pipeline import (
    UnitResults,
    balance_rasters,
    budyko_yield_mm,
    level_units,
    lumped_balance,
    summarise,
    valid_region,
)
from processing.results_store import RASTER_VARIABLES
from processing.strip_rasters import StripRasters, scratch_folder
from processing.water_balance import MonthlyBalance

BLOCK_ROWS = 256
UNIT_BATCH = 2500


@dataclass(frozen=True)
class BlockSpec:
    """Everything a strip task needs (picklable: paths, tables, grid, unit polygons)."""

    grid: Grid
    rain: GridSource
    et0: GridSource | None
    tmin: GridSource | None
    tmax: GridSource | None
    land_use: GridSource
    soil: GridSource | None
    lu_table: pd.DataFrame
    soil_table: pd.DataFrame | None
    wb: WaterBalanceConfig
    units: gpd.GeoSeries
    months: int
    first_month: int


def block_spec(reg: LayerRegistry, units: gpd.GeoDataFrame) -> BlockSpec:
    """The spec of a region and one level's units."""
    cfg = reg.region.config
    rain_spec = cfg.layers.rainfall
    first_month = int(rain_spec.start[5:7]) if rain_spec.kind == "series" and rain_spec.start else 1
    rain = reg.source("rainfall")
    months = reg.band_count("rainfall")
    use_et0 = reg.has("et0") and cfg.water_balance.pet_method in ("auto", "et0")
    return BlockSpec(
        grid=reg.grid,
        rain=rain,
        et0=reg.source("et0") if use_et0 else None,
        tmin=None if use_et0 else reg.source("tmin"),
        tmax=None if use_et0 else reg.source("tmax"),
        land_use=reg.source("land_use"),
        soil=reg.source("soil") if reg.has("soil") else None,
        lu_table=reg.class_table("land_use"),
        soil_table=reg.class_table("soil") if reg.has("soil") else None,
        wb=cfg.water_balance,
        units=units.geometry,
        months=months,
        first_month=first_month,
    )


def _block_et0(spec: BlockSpec, window: Window) -> np.ndarray:
    """Reference ET of the strip, ``(months, rows, cols)`` mm/month."""
    if spec.et0 is not None:
        et0, _ = monthly_et0(
            spec.et0.read(spec.grid, window), None, None, None, "et0", spec.months, spec.first_month
        )
        return et0
    assert spec.tmin is not None and spec.tmax is not None
    t = window_transform(window, spec.grid.transform)
    rows, cols = np.mgrid[0 : int(window.height), 0 : int(window.width)]
    xs, ys = t * (cols + 0.5, rows + 0.5)
    _, lat = Transformer.from_crs(spec.grid.crs, 4326, always_xy=True).transform(xs, ys)
    tmin, tmax = spec.tmin.read(spec.grid, window), spec.tmax.read(spec.grid, window)
    method = spec.wb.pet_method
    et0, _ = monthly_et0(None, tmin, tmax, np.asarray(lat), method, spec.months, spec.first_month)
    return et0


def _unit_labels(spec: BlockSpec, window: Window) -> np.ndarray | None:
    """Unit number (1..n, 0 outside) of each cell of the strip, flat; None if none is hit."""
    t = window_transform(window, spec.grid.transform)
    w, s = t * (0, int(window.height))
    e, n = t * (spec.grid.width, 0)
    hits = spec.units.sindex.query(shapely.box(w, s, e, n))
    if len(hits) == 0:
        return None
    labels = features.rasterize(
        ((spec.units.iloc[i], int(i) + 1) for i in hits),
        out_shape=(int(window.height), spec.grid.width),
        transform=t,
        dtype=np.int32,
    ).ravel()
    return labels if (labels > 0).any() else None


def block_sums(
    spec: BlockSpec, row0: int, rows: int, rasters: bool = False
) -> tuple[np.ndarray, dict[str, np.ndarray] | None]:
    """Per-unit sums and counts of one strip, and optionally its annual result rasters.

    Returns
    -------
    sums : numpy.ndarray
        ``(2, variables, units + 1)`` float64: sums, then counts. Variables: ``months`` rain
        bands, ``months`` crop-PET bands, CN, capacity, Kc and water yield. Column 0 holds
        the cells outside every unit (dropped by callers).
    rasters : dict or None
        With ``rasters``: the strip's AET, runoff, recharge, deficit and water yield (mm/yr,
        ``(rows, cols)`` float32, see :func:`processing.pipeline.balance_rasters`).
    """
    window = Window(0, row0, spec.grid.width, rows)
    n_units = len(spec.units)
    out = np.zeros((2, 2 * spec.months + 4, n_units + 1))
    labels = _unit_labels(spec, window)
    if labels is None and not rasters:
        return out, None
    lu = spec.land_use.read(spec.grid, window)[0]
    soil = spec.soil.read(spec.grid, window)[0] if spec.soil is not None else None
    land = land_parameters(lu, soil, spec.lu_table, spec.soil_table, spec.wb)
    rain = spec.rain.read(spec.grid, window)
    et0 = _block_et0(spec, window)
    rain12 = calendar_climatology(rain, spec.first_month)
    et012 = calendar_climatology(et0, spec.first_month)
    strip = None
    if rasters:
        strip = balance_rasters(
            rain12, et012, land.kc, land.cn, land.capacity, land.vegetated, spec.wb
        )
        water_yield = strip["water_yield"]
    else:
        water_yield = budyko_yield_mm(
            rain12, et012, land.kc, land.capacity, land.vegetated, spec.wb
        )
    if labels is None:
        return out, strip
    inside = labels > 0
    pet = et0 * land.kc[np.newaxis]
    layers = [*rain, *pet, land.cn, land.capacity, land.kc, water_yield]
    for v, arr in enumerate(layers):
        flat = arr.ravel()
        ok = inside & np.isfinite(flat)
        out[0, v] = np.bincount(labels[ok], weights=flat[ok], minlength=n_units + 1)
        out[1, v] = np.bincount(labels[ok], minlength=n_units + 1)
    return out, strip


def strips(grid: Grid, block_rows: int) -> list[tuple[int, int]]:
    """(first row, rows) of each strip of the grid."""
    return [(r, min(block_rows, grid.height - r)) for r in range(0, grid.height, block_rows)]


StripSink = Callable[[int, dict[str, np.ndarray]], None]


def unit_means_blockwise(
    spec: BlockSpec,
    client: Any = None,
    block_rows: int = BLOCK_ROWS,
    sink: StripSink | None = None,
) -> np.ndarray:
    """Per-unit means of every variable, ``(variables, units)`` (NaN where no cell).

    With ``sink``, every strip also computes its result rasters and ``sink(first_row,
    rasters)`` receives them as they arrive (in any order on a cluster).
    """
    tasks = strips(spec.grid, block_rows)
    rasters = sink is not None
    partials: list[np.ndarray] = [np.empty(0)] * len(tasks)
    if client is None:
        for i, (r, n) in enumerate(tasks):
            partials[i], strip = block_sums(spec, r, n, rasters)
            if sink is not None and strip is not None:
                sink(r, strip)
    else:
        from distributed import as_completed

        shared = client.scatter(spec, broadcast=True)
        futures = [client.submit(block_sums, shared, r, n, rasters, pure=False) for r, n in tasks]
        order = {f.key: i for i, f in enumerate(futures)}
        for fut, (sums, strip) in as_completed(futures, with_results=True):
            i = order[fut.key]
            partials[i] = sums
            if sink is not None and strip is not None:
                sink(tasks[i][0], strip)
            fut.release()
    total = np.zeros_like(partials[0])
    for part in partials:  # strip order, whatever the scheduler: the same sums
        total += part
    with np.errstate(invalid="ignore", divide="ignore"):
        means = total[0] / total[1]
    return means[:, 1:]


def balance_blockwise(
    reg: LayerRegistry,
    units: gpd.GeoDataFrame,
    client: Any = None,
    block_rows: int = BLOCK_ROWS,
    sink: StripSink | None = None,
) -> tuple[MonthlyBalance, dict[str, np.ndarray], np.ndarray, int]:
    """The lumped balance of ``units`` from block-wise means; batches of units as tasks.

    Returns the balance, its parameters, the units' mean water yield (mm/yr) and the first
    month; ``sink`` receives the strips' result rasters (see :func:`unit_means_blockwise`).
    """
    spec = block_spec(reg, units)
    means = unit_means_blockwise(spec, client, block_rows, sink)
    m = spec.months
    rain, pet, (cn, cap, kc, water_yield) = means[:m], means[m : 2 * m], means[2 * m :]
    batches = [slice(i, i + UNIT_BATCH) for i in range(0, len(units), UNIT_BATCH)]
    args = [(rain[:, b], pet[:, b], cn[b], cap[b], kc[b], spec.first_month) for b in batches]
    wb_cfg = spec.wb
    if client is None:
        parts = [lumped_balance(*a, wb_cfg) for a in args]
    else:
        parts = client.gather([client.submit(lumped_balance, *a, wb_cfg) for a in args])
    wb = MonthlyBalance(
        *(
            np.concatenate([getattr(p[0], f) for p in parts], axis=-1)
            for f in MonthlyBalance.__dataclass_fields__
        )
    )
    params = {k: np.concatenate([p[1][k] for p in parts]) for k in parts[0][1]}
    return wb, params, water_yield, spec.first_month


@dataclass(frozen=True)
class _Calendar:
    first_month: int
    start_year: int | None


def process_blockwise(
    region_dir: str | Path,
    out_dir: str | Path | None = None,
    scheduler: str | None = None,
    block_rows: int = BLOCK_ROWS,
    progress: Callable[[str], None] | None = None,
    rasters: bool = True,
) -> Path:
    """Per-unit water-balance tables and annual result rasters of a region, by blocks.

    Parameters
    ----------
    region_dir : str or Path
        A valid region folder.
    out_dir : str or Path, optional
        Where the outputs go; ``REGION/results_blockwise`` when omitted.
    scheduler : str, optional
        A Dask scheduler address (``tcp://host:8786``) to run the strips and unit batches
        on; ``"local"`` starts a 2-worker ``LocalCluster``; None runs here.
    block_rows : int
        Rows per strip.
    rasters : bool
        Also compute the per-cell annual rasters (AET, runoff, recharge, deficit, water
        yield; the costliest part: every cell's own balance).

    Returns
    -------
    Path
        The folder with ``<level>.csv`` (the results store's water-balance and water-yield
        columns), ``monthly_<level>.csv``, ``rasters/<variable>_mm_yr.tif`` (COGs, as in
        the results store) and ``manifest.json``.
    """
    say = progress or (lambda _m: None)
    region = valid_region(Path(region_dir).resolve(), say)
    reg = LayerRegistry(region)
    out = Path(out_dir).resolve() if out_dir else region.root / "results_blockwise"
    out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    scratch = scratch_folder(out)
    client, cluster = _client(scheduler)
    results: list[UnitResults] = []
    try:
        rain_spec = region.config.layers.rainfall
        start_year = (
            int(rain_spec.start[:4]) if rain_spec.kind == "series" and rain_spec.start else None
        )
        with StripRasters(scratch, reg.grid, RASTER_VARIABLES if rasters else []) as writer:
            for level in ("communities", "watersheds"):
                units = level_units(reg, level)
                if units is None:
                    continue
                say(f"water balance of the {level}, by blocks of {block_rows} rows")
                # the rasters cover the grid: computed once, with the first level's pass
                sink = writer.write if rasters and not results else None
                wb, params, yield_mm, first_month = balance_blockwise(
                    reg, units, client, block_rows, sink
                )
                res = summarise(
                    level,
                    units,
                    wb,
                    params,
                    yield_mm,
                    pd.DataFrame(index=range(len(units))),
                    _Calendar(first_month, start_year),
                    region.config.water_balance.baseflow_k_months,
                )
                results.append(res)
        manifest = {
            "mode": "blockwise",
            "region": region.name,
            "scheduler": scheduler or "none",
            "block_rows": block_rows,
            "grid": list(reg.grid.shape),
            "rasters": [f"rasters/{v}_mm_yr.tif" for v in writer.names],
            "seconds": round(time.perf_counter() - t0, 2),
        }

        def build(tmp: Path) -> None:
            for r in results:
                write_csv(r.summary, tmp / f"{r.level}.csv")
                write_csv(r.monthly, tmp / f"monthly_{r.level}.csv")
            if writer.names:
                say("writing the result rasters as COGs")
                writer.to_cogs(tmp / "rasters")
            write_text(tmp / "manifest.json", json.dumps(manifest, indent=2) + "\n")

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
