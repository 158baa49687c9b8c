"""The whole results store computed block by block, on one machine or on a Dask cluster.

For national regions (10^8 cells, 10^4 communities) the whole-grid pipeline does not fit:
here the grid is read in strips of ``block_rows`` rows, once for every output. Each strip
gives, for every unit of every level (cell-centre rule, the same cells as
:func:`processing.pipeline.unit_means`):

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
from collections.abc import Callable, Hashable, Iterable, Mapping
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

from layers.align import CATEGORICAL_NODATA, GridSource
from layers.config import WaterBalanceConfig
from layers.grid import Grid
from layers.io import replace_folder
from layers.registry import LayerRegistry
from processing.blockwise_suitability import (
    Strip,
    SuitabilitySpec,
    Summable,
    strip_suitability,
    suitability_spec,
)
from processing.cell_balance import balance_rasters, budyko_yield_mm
from processing.crop_suitability import CropSums
from processing.grids import calendar_climatology, et0_source, land_parameters, monthly_et0
from processing.pipeline import (
    DEFICIT_MONTH_MM,
    PIPELINE_VERSION,
    UnitResults,
    input_fingerprint,
    land_use_columns,
    level_units,
    lumped_balance,
    summarise,
    up_to_date,
    valid_region,
)
from processing.results_store import RASTER_VARIABLES, write_manifest, write_tables
from processing.strip_rasters import StripRasters, scratch_folder
from processing.suitability_model import profile_weights
from processing.suitability_outputs import SuitabilityOutputs, summary_columns
from processing.suitability_summary import SuitabilitySums
from processing.water_balance import MonthlyBalance

BLOCK_ROWS = 256
UNIT_BATCH = 2500
SumKey = Hashable
Sums = dict[SumKey, Summable]


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
    levels: dict[str, gpd.GeoSeries]
    months: int
    first_month: int
    suitability: SuitabilitySpec | None = None

    @property
    def et0_source(self) -> str:
        """How reference ET is obtained (as the whole-grid pipeline says it)."""
        return et0_source(self.et0 is not None, self.wb.pet_method)


def block_spec(
    reg: LayerRegistry, levels: Mapping[str, gpd.GeoDataFrame], suitability: bool = True
) -> BlockSpec:
    """The spec of a region and its levels' units (with suitability unless told not to)."""
    cfg = reg.region.config
    rain_spec = cfg.layers.rainfall
    first_month = int(rain_spec.start[5:7]) if rain_spec.kind == "series" and rain_spec.start else 1
    use_et0 = reg.has("et0") and cfg.water_balance.pet_method in ("auto", "et0")
    return BlockSpec(
        grid=reg.grid,
        rain=reg.source("rainfall"),
        et0=reg.source("et0") if use_et0 else None,
        tmin=None if use_et0 else reg.source("tmin"),
        tmax=None if use_et0 else reg.source("tmax"),
        land_use=reg.source("land_use"),
        soil=reg.source("soil") if reg.has("soil") else None,
        lu_table=reg.class_table("land_use"),
        soil_table=reg.class_table("soil") if reg.has("soil") else None,
        wb=cfg.water_balance,
        levels={level: units.geometry for level, units in levels.items()},
        months=reg.band_count("rainfall"),
        first_month=first_month,
        suitability=suitability_spec(reg) if suitability else None,
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


def _unit_labels(units: gpd.GeoSeries, strip: Strip) -> np.ndarray | None:
    """Unit number (1..n, 0 outside) of each cell of the strip; None if no unit is hit."""
    window, _ = strip.window()
    t = window_transform(window, strip.grid.transform)
    w, s = t * (0, strip.rows)
    e, n = t * (strip.grid.width, 0)
    hits = np.sort(units.sindex.query(shapely.box(w, s, e, n)))  # overlaps: the last unit wins
    if len(hits) == 0:
        return None
    labels = features.rasterize(
        ((units.iloc[i], int(i) + 1) for i in hits),
        out_shape=(strip.rows, strip.grid.width),
        transform=t,
        dtype=np.int32,
    )
    return labels if (labels > 0).any() else None


def _label_sums(labels: np.ndarray, layers: Iterable[np.ndarray], n_units: int) -> np.ndarray:
    """``(2, layers, units + 1)``: per-unit sums and counts of each layer's finite cells."""
    flat_labels = labels.ravel()
    inside = flat_labels > 0
    layers = list(layers)
    out = np.zeros((2, len(layers), n_units + 1))
    for v, arr in enumerate(layers):
        flat = arr.ravel()
        ok = inside & np.isfinite(flat)
        out[0, v] = np.bincount(flat_labels[ok], weights=flat[ok], minlength=n_units + 1)
        out[1, v] = np.bincount(flat_labels[ok], minlength=n_units + 1)
    return out


def _class_counts(labels: np.ndarray, lu: np.ndarray, codes: np.ndarray, n: int) -> np.ndarray:
    """Cells of each land-use class code per unit, ``(units + 1, classes + 1)``.

    The last column holds codes the table does not name; nodata is left out.
    """
    flat = lu.ravel()
    pos = np.searchsorted(codes, flat)
    known = (pos < codes.size) & (codes[np.minimum(pos, codes.size - 1)] == flat)
    bucket = np.where(known, pos, codes.size)
    keep = (labels.ravel() > 0) & (flat != CATEGORICAL_NODATA)
    k = codes.size + 1
    idx = labels.ravel()[keep].astype(np.int64) * k + bucket[keep]
    return np.bincount(idx, minlength=(n + 1) * k).reshape(n + 1, k).astype(np.float64)


def _lu_codes(spec: BlockSpec) -> np.ndarray:
    return np.sort(np.asarray([int(str(c)) for c in spec.lu_table.index], dtype=np.int64))


def block_sums(
    spec: BlockSpec, row0: int, rows: int, rasters: bool = False
) -> tuple[Sums, dict[str, np.ndarray] | None]:
    """Per-unit sums of one strip, and optionally its result and score rasters.

    Returns
    -------
    sums : dict
        ``("balance", level)``: ``(2, variables, units + 1)`` float64 sums, then counts, of
        ``months`` rain bands, ``months`` crop-PET bands, CN, capacity, Kc and water yield
        (column 0: cells outside every unit); ``("land_use", level)``: cells per class
        (see :func:`_class_counts`); ``("suitability" | "crop", <id>, level)``: the
        suitability sums (:mod:`processing.blockwise_suitability`). Levels the strip does
        not touch have no keys.
    rasters : dict or None
        With ``rasters``: the strip's rasters by the store's file stem (``aet_mm_yr`` ..
        ``water_yield_mm_yr``, ``suitability_<id>``, ``crop_<id>``), ``(rows, cols)``.
    """
    strip = Strip(spec.grid, row0, rows)
    window, _ = strip.window()
    found = {lv: _unit_labels(units, strip) for lv, units in spec.levels.items()}
    labels = {lv: lab for lv, lab in found.items() if lab is not None}
    if not labels and not rasters:
        return {}, None
    lu = spec.land_use.read(spec.grid, window)[0]
    soil = spec.soil.read(spec.grid, window)[0] if spec.soil is not None else None
    land = land_parameters(lu, soil, spec.lu_table, spec.soil_table, spec.wb)
    rain = spec.rain.read(spec.grid, window)
    et0 = _block_et0(spec, window)
    rain12 = calendar_climatology(rain, spec.first_month)
    et012 = calendar_climatology(et0, spec.first_month)
    suit = spec.suitability
    results = None
    if rasters or (suit is not None and suit.needs_results):
        results = balance_rasters(
            rain12, et012, land.kc, land.cn, land.capacity, land.vegetated, spec.wb
        )
        water_yield = results["water_yield"]
    else:
        water_yield = budyko_yield_mm(
            rain12, et012, land.kc, land.capacity, land.vegetated, spec.wb
        )
    sums: Sums = {}
    pet = et0 * land.kc[np.newaxis]
    layers = [*rain, *pet, land.cn, land.capacity, land.kc, water_yield]
    codes = _lu_codes(spec)
    for level, lab in labels.items():
        n = len(spec.levels[level])
        sums[("balance", level)] = _label_sums(lab, layers, n)
        sums[("land_use", level)] = _class_counts(lab, lu, codes, n)
    strip_rasters: dict[str, np.ndarray] = {}
    if suit is not None:
        zeros = np.zeros(lu.shape, np.int32)
        suit_sums, strip_rasters = strip_suitability(
            suit,
            strip,
            lu,
            land,
            spec.land_use,
            rain12,
            results,
            {lv: labels.get(lv, zeros) for lv in spec.levels},
            {lv: len(units) for lv, units in spec.levels.items()},
        )
        sums.update({k: v for k, v in suit_sums.items() if k[2] in labels})
    if not rasters:
        return sums, None
    assert results is not None
    return sums, {**{f"{v}_mm_yr": results[v] for v in RASTER_VARIABLES}, **strip_rasters}


def strips(grid: Grid, block_rows: int) -> list[tuple[int, int]]:
    """(first row, rows) of each strip of the grid."""
    return [(r, min(block_rows, grid.height - r)) for r in range(0, grid.height, block_rows)]


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
            sums = total.get(("suitability", iv.id, level))
            if sums is None:  # no cell of the level: an empty sum
                k = len(layers)
                empty = np.zeros(0, np.int64)
                sums = SuitabilitySums.of_cells(
                    empty, empty, empty.astype(float), empty.astype(bool),
                    np.zeros((k, 0)), profile_weights(iv), n,
                )  # fmt: skip
            assert isinstance(sums, SuitabilitySums)
            tables.append(sums.table(unit_ids, iv.id, layers, reg.grid, reg.crs))
        if tables:
            out.interventions[level] = pd.concat(tables, ignore_index=True)
        crops = []
        for crop in suit.crops:
            c_sums = total.get(("crop", crop.id, level))
            if c_sums is None:
                c_sums = CropSums.of_grid(np.zeros((12, 0, 0)), np.zeros((0, 0), np.int64), n)
            assert isinstance(c_sums, CropSums)
            crops.append(c_sums.table(crop, unit_ids, cell_ha))
        if crops:
            out.crops[level] = pd.concat(crops, ignore_index=True)
    return out


def land_use_mix(total: Sums, spec: BlockSpec, level: str, n_units: int) -> pd.DataFrame:
    """``lu_<class>_ha`` / ``_pct`` of a level from the strips' class counts."""
    codes = _lu_codes(spec)
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
        rain_spec = region.config.layers.rainfall
        start_year = (
            int(rain_spec.start[:4]) if rain_spec.kind == "series" and rain_spec.start else None
        )
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
        manifest = {
            "fingerprint": key,
            "mode": "blockwise",
            "region": region.name,
            "synthetic": region.config.region.synthetic,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "pipeline_version": PIPELINE_VERSION,
            "et0_source": spec.et0_source,
            "months": spec.months,
            "deficit_month_mm": DEFICIT_MONTH_MM,
            "crs": reg.crs.to_string(),
            "suitability_classes": "S1 >= 0.75 > S2 >= 0.5 > S3 >= 0.25 > N",
            "skipped": suit.skipped,
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
