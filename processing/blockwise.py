"""The per-unit water balance computed block by block, on one machine or on a Dask cluster.

For national regions (10^8 cells, 10^4 communities) the whole-grid pipeline does not fit:
here the grid is read in strips of ``block_rows`` rows; each strip gives, for every unit,
the sums and counts of its cells' rain, crop PET, curve number, storage capacity and Kc
(cell-centre rule, the same cells as :func:`processing.pipeline.unit_means`); the partial
sums are added in strip order, so a Dask cluster (strips as tasks) gives exactly the
single-machine numbers; the lumped balance then runs in batches of units (tasks as well).
Peak memory is about ``block_rows x columns x (2 x months + 8) x 8`` bytes per task.

Rasters already on the working grid are read directly; others go through the registry's
aligned cache (which still aligns a whole layer at once).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely
from pyproj import CRS, Transformer
from rasterio import features
from rasterio.windows import Window
from rasterio.windows import transform as window_transform

from layers.align import CATEGORICAL_NODATA
from layers.config import MonthlyRaster, WaterBalanceConfig
from layers.errors import RegionError
from layers.grid import Grid
from layers.io import replace_folder, write_csv, write_text
from layers.region import load_region
from layers.registry import LayerRegistry
from layers.validate import has_errors, validate_region
from processing.grids import land_parameters, monthly_et0
from processing.pipeline import UnitResults, level_units, lumped_balance, summarise
from processing.water_balance import MonthlyBalance

BLOCK_ROWS = 256
UNIT_BATCH = 2500


@dataclass(frozen=True)
class BlockSpec:
    """Everything a strip task needs (picklable: paths, tables, grid, unit polygons)."""

    grid: Grid
    rain: str
    et0: str | None
    tmin: str | None
    tmax: str | None
    land_use: str
    soil: str | None
    lu_table: pd.DataFrame
    soil_table: pd.DataFrame | None
    wb: WaterBalanceConfig
    units: gpd.GeoSeries
    months: int
    first_month: int


def _on_grid(path: Path, grid: Grid) -> bool:
    with rasterio.open(path) as ds:
        return bool(
            ds.crs is not None
            and CRS.from_user_input(ds.crs) == grid.crs
            and ds.transform.almost_equals(grid.transform)
            and (ds.height, ds.width) == grid.shape
        )


def _grid_path(reg: LayerRegistry, role: Any) -> str:
    """The layer's file on the working grid: the source itself when it already is."""
    spec = getattr(reg.region.config.layers, role)
    files = spec.files if isinstance(spec, MonthlyRaster) else [spec.path]
    scale = getattr(spec, "scale", 1.0)
    if len(files) == 1 and scale == 1.0 and spec.nodata is None:
        source = reg.region.resolve(files[0])
        if _on_grid(source, reg.grid):
            return str(source)
    return str(reg.aligned_path(role))


def block_spec(reg: LayerRegistry, units: gpd.GeoDataFrame) -> BlockSpec:
    """The spec of a region and one level's units."""
    cfg = reg.region.config
    rain_spec = cfg.layers.rainfall
    first_month = int(rain_spec.start[5:7]) if rain_spec.kind == "series" and rain_spec.start else 1
    rain = _grid_path(reg, "rainfall")
    with rasterio.open(rain) as ds:
        months = ds.count
    use_et0 = reg.has("et0") and cfg.water_balance.pet_method in ("auto", "et0")
    return BlockSpec(
        grid=reg.grid,
        rain=rain,
        et0=_grid_path(reg, "et0") if use_et0 else None,
        tmin=None if use_et0 else _grid_path(reg, "tmin"),
        tmax=None if use_et0 else _grid_path(reg, "tmax"),
        land_use=_grid_path(reg, "land_use"),
        soil=_grid_path(reg, "soil") if reg.has("soil") else None,
        lu_table=reg.class_table("land_use"),
        soil_table=reg.class_table("soil") if reg.has("soil") else None,
        wb=cfg.water_balance,
        units=units.geometry,
        months=months,
        first_month=first_month,
    )


def _read(path: str, window: Window, categorical: bool) -> np.ndarray:
    """A window of every band; continuous values float64 with NaN for nodata."""
    with rasterio.open(path) as ds:
        if categorical:
            data = ds.read(window=window)
            if ds.nodata is not None:
                data = np.where(data == ds.nodata, CATEGORICAL_NODATA, data)
            return data.astype(np.int64)
        masked = ds.read(window=window, masked=True).astype(np.float64)
        return np.ma.filled(masked, np.nan)


def _block_pet(spec: BlockSpec, window: Window, kc: np.ndarray) -> np.ndarray:
    """Crop PET (Kc x ET0) of the strip, ``(months, rows, cols)``."""
    if spec.et0 is not None:
        et0, _ = monthly_et0(
            _read(spec.et0, window, False), None, None, None, "et0", spec.months, spec.first_month
        )
        return et0 * kc[np.newaxis]
    assert spec.tmin is not None and spec.tmax is not None
    t = window_transform(window, spec.grid.transform)
    rows, cols = np.mgrid[0 : int(window.height), 0 : int(window.width)]
    xs, ys = t * (cols + 0.5, rows + 0.5)
    _, lat = Transformer.from_crs(spec.grid.crs, 4326, always_xy=True).transform(xs, ys)
    tmin, tmax = _read(spec.tmin, window, False), _read(spec.tmax, window, False)
    method = spec.wb.pet_method
    et0, _ = monthly_et0(None, tmin, tmax, np.asarray(lat), method, spec.months, spec.first_month)
    return et0 * kc[np.newaxis]


def block_sums(spec: BlockSpec, row0: int, rows: int) -> np.ndarray:
    """Per-unit sums and counts of one strip: ``(2, variables, units + 1)``, float64.

    Variables: ``months`` rain bands, ``months`` crop-PET bands, CN, capacity, Kc. Label 0
    (cells outside every unit) is the last column's neighbour and is dropped by callers.
    """
    window = Window(0, row0, spec.grid.width, rows)
    t = window_transform(window, spec.grid.transform)
    w, s = t * (0, rows)
    e, n = t * (spec.grid.width, 0)
    hits = spec.units.sindex.query(shapely.box(w, s, e, n))
    n_units = len(spec.units)
    out = np.zeros((2, 2 * spec.months + 3, n_units + 1))
    if len(hits) == 0:
        return out
    labels = features.rasterize(
        ((spec.units.iloc[i], int(i) + 1) for i in hits),
        out_shape=(rows, spec.grid.width),
        transform=t,
        dtype=np.int32,
    ).ravel()
    inside = labels > 0
    if not inside.any():
        return out
    lu = _read(spec.land_use, window, True)[0]
    soil = _read(spec.soil, window, True)[0] if spec.soil is not None else None
    land = land_parameters(lu, soil, spec.lu_table, spec.soil_table, spec.wb)
    rain = _read(spec.rain, window, False)
    pet = _block_pet(spec, window, land.kc)
    layers = [*rain, *pet, land.cn, land.capacity, land.kc]
    for v, arr in enumerate(layers):
        flat = arr.ravel()
        ok = inside & np.isfinite(flat)
        out[0, v] = np.bincount(labels[ok], weights=flat[ok], minlength=n_units + 1)
        out[1, v] = np.bincount(labels[ok], minlength=n_units + 1)
    return out


def strips(grid: Grid, block_rows: int) -> list[tuple[int, int]]:
    """(first row, rows) of each strip of the grid."""
    return [(r, min(block_rows, grid.height - r)) for r in range(0, grid.height, block_rows)]


def unit_means_blockwise(
    spec: BlockSpec, client: Any = None, block_rows: int = BLOCK_ROWS
) -> np.ndarray:
    """Per-unit means of every variable, ``(variables, units)`` (NaN where no cell)."""
    tasks = strips(spec.grid, block_rows)
    if client is None:
        partials = [block_sums(spec, r, n) for r, n in tasks]
    else:
        shared = client.scatter(spec, broadcast=True)
        futures = [client.submit(block_sums, shared, r, n, pure=False) for r, n in tasks]
        partials = client.gather(futures)
    total = np.zeros_like(partials[0])
    for part in partials:  # strip order, whatever the scheduler: the same sums
        total += part
    with np.errstate(invalid="ignore", divide="ignore"):
        means = total[0] / total[1]
    return means[:, 1:]


def balance_blockwise(
    reg: LayerRegistry, units: gpd.GeoDataFrame, client: Any = None, block_rows: int = BLOCK_ROWS
) -> tuple[MonthlyBalance, dict[str, np.ndarray], int]:
    """The lumped balance of ``units`` from block-wise means; batches of units as tasks."""
    spec = block_spec(reg, units)
    means = unit_means_blockwise(spec, client, block_rows)
    m = spec.months
    rain, pet, (cn, cap, kc) = means[:m], means[m : 2 * m], means[2 * m :]
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
    return wb, params, spec.first_month


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
) -> Path:
    """Per-unit water-balance tables of a region, computed by blocks (bounded memory).

    Parameters
    ----------
    region_dir : str or Path
        A valid region folder.
    out_dir : str or Path, optional
        Where the tables go; ``REGION/results_blockwise`` when omitted.
    scheduler : str, optional
        A Dask scheduler address (``tcp://host:8786``) to run the strips and unit batches
        on; ``"local"`` starts a 2-worker ``LocalCluster``; None runs here.
    block_rows : int
        Rows per strip.

    Returns
    -------
    Path
        The folder with ``<level>.csv`` (the results store's water-balance columns),
        ``monthly_<level>.csv`` and ``manifest.json``.
    """
    say = progress or (lambda _m: None)
    region_dir = Path(region_dir).resolve()
    problems = validate_region(region_dir)
    if has_errors(problems):
        raise RegionError([p for p in problems if p.severity == "error"])
    region = load_region(region_dir)
    reg = LayerRegistry(region)
    out = Path(out_dir).resolve() if out_dir else region.root / "results_blockwise"
    t0 = time.perf_counter()
    client, cluster = _client(scheduler)
    results: list[UnitResults] = []
    try:
        rain_spec = region.config.layers.rainfall
        start_year = (
            int(rain_spec.start[:4]) if rain_spec.kind == "series" and rain_spec.start else None
        )
        for level in ("communities", "watersheds"):
            units = level_units(reg, level)
            if units is None:
                continue
            say(f"water balance of the {level}, by blocks of {block_rows} rows")
            wb, params, first_month = balance_blockwise(reg, units, client, block_rows)
            calendar = _Calendar(first_month, start_year)
            nan = np.full(len(units), np.nan)
            res = summarise(
                level,
                units,
                wb,
                params,
                nan,
                pd.DataFrame(index=range(len(units))),
                calendar,
                region.config.water_balance.baseflow_k_months,
            )
            results.append(res)
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    manifest = {
        "mode": "blockwise",
        "region": region.name,
        "scheduler": scheduler or "none",
        "block_rows": block_rows,
        "grid": list(reg.grid.shape),
        "seconds": round(time.perf_counter() - t0, 2),
    }

    def build(tmp: Path) -> None:
        for r in results:
            write_csv(
                r.summary.drop(columns=["water_yield_mm_yr", "water_yield_m3_yr"]),
                tmp / f"{r.level}.csv",
            )
            write_csv(r.monthly, tmp / f"monthly_{r.level}.csv")
        write_text(tmp / "manifest.json", json.dumps(manifest, indent=2) + "\n")

    replace_folder(out, build)
    say(f"tables written to {out}")
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
