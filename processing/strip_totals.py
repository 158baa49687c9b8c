"""The strips' sums added up, and the per-unit tables they give.

Each strip (:mod:`processing.strip_sums`) returns, for every unit of every level, the sums
and counts of its cells' inputs, land-use classes and suitability. Here the strips run (on
this machine or as tasks of a Dask cluster), their sums are added in strip order, so a
cluster gives exactly the numbers one process gives, and the sums become per-unit means,
the lumped balance (in batches of units) and the suitability and crop tables.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from layers.registry import LayerRegistry
from processing.crop_suitability import CropSums
from processing.hru import Hrus, class_codes, hru_curve_numbers
from processing.kernels.water_balance import MonthlyBalance
from processing.strip_sums import BlockSpec, Sums, block_sums, strips
from processing.suitability_outputs import SuitabilityOutputs
from processing.suitability_summary import SuitabilitySums
from processing.unit_tables import land_use_columns, lumped_balance

UNIT_BATCH = 2500

StripSink = Callable[[int, dict[str, np.ndarray]], None]


def add_sums(total: Sums, part: Sums) -> Sums:
    """``total`` plus one strip's sums, key by key."""
    out = dict(total)
    for key, value in part.items():
        out[key] = out[key] + value if key in out else value  # type: ignore[operator]
    return out


def grid_sums(
    spec: BlockSpec,
    block_rows: int,
    client: Any = None,
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

    # a key of its own (hash=False): a copy another pass scattered under the same hash
    # and released can be dropped while this pass's tasks ask for it (lost dependencies)
    shared = client.scatter(spec, broadcast=True, hash=False)
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


def level_hrus(total: Sums, spec: BlockSpec, level: str, n_units: int) -> Hrus:
    """The HRUs of a level's units from the strips' cell counts."""
    cn_by_hru = hru_curve_numbers(spec.lu_table, spec.wb)
    counts = total.get(("hru", level))
    if counts is None:
        counts = np.zeros((n_units + 1, cn_by_hru.size))
    assert isinstance(counts, np.ndarray)
    return Hrus.from_counts(counts[1:], cn_by_hru)


def lumped_batches(
    means: np.ndarray,
    hrus: Hrus,
    spec: BlockSpec,
    client: Any = None,
    runoff_mm: np.ndarray | None = None,
) -> tuple[MonthlyBalance, dict[str, np.ndarray]]:
    """The lumped balance of units from their mean inputs, in batches (tasks on a cluster).

    ``runoff_mm``: the units' runoff from their daily rain, ``(months, units)``
    (:func:`processing.daily_runoff.daily_unit_runoff`); None computes it from the months.
    """
    m = spec.months
    rain, pet, (_, cap, kc, _) = means[:m], means[m : 2 * m], means[2 * m :]
    n_units = means.shape[1]
    batches = [slice(i, i + UNIT_BATCH) for i in range(0, n_units, UNIT_BATCH)]
    args = [(rain[:, b], pet[:, b], hrus.take(b), cap[b], kc[b], spec.first_month) for b in batches]
    runoff = [None if runoff_mm is None else runoff_mm[:, b] for b in batches]
    if client is None:
        parts = [lumped_balance(*a, spec.wb, q) for a, q in zip(args, runoff, strict=True)]
    else:
        parts = client.gather(
            [
                client.submit(lumped_balance, *a, spec.wb, q)
                for a, q in zip(args, runoff, strict=True)
            ]
        )
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


def land_use_table(total: Sums, spec: BlockSpec, level: str, n_units: int) -> pd.DataFrame:
    """``lu_<class>_ha`` / ``_pct`` of a level from the strips' class counts."""
    codes = class_codes(spec.lu_table)
    counts = total.get(("land_use", level))
    if counts is None:
        counts = np.zeros((n_units + 1, codes.size + 1))
    assert isinstance(counts, np.ndarray)
    ha = counts[1:] * spec.grid.res_m**2 / 1e4
    by_code = {str(c): ha[:, i] for i, c in enumerate(codes) if ha[:, i].any()}
    return land_use_columns(by_code, ha.sum(axis=1), spec.lu_table["name"], n_units)


def aligned_rows(block_rows: int, spec: BlockSpec) -> int:
    """Strip rows rounded up to a multiple of EcoCrop's sampling step.

    Strips must start on EcoCrop's sample blocks to sample the cells the whole grid samples.
    """
    suit = spec.suitability
    step = suit.crop_step if suit is not None and suit.crops else 1
    return math.ceil(block_rows / step) * step
