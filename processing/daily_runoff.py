"""Units' runoff from their daily rain: unit means of each day's grid, the curve number per day.

The daily grids are read strip by strip like every other input (:mod:`processing.strip_sums`);
each strip gives, for every unit of every level, the sum and count of its cells' rain on each
day (stations' days: the unit's sums of the stations' weights times their rain, see
:class:`processing.daily_rain.StationDailyRain`), and the strips' sums, added in strip
order, give each unit's mean rain on each day. The HRUs of each unit (from the strips' cell
counts) then run the curve number on each day (:meth:`processing.hru.Hrus.daily_runoff_mm`),
summed per month. The days are taken in chunks so that the per-unit sums stay within
``SUM_BYTES`` whatever the length of the record.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from processing.daily_rain import StationDailyRain
from processing.hru import Hrus
from processing.strip import Strip
from processing.strip_sums import BlockSpec, label_sums, strip_unit_labels, strips

SUM_BYTES = 128 * 2**20  # per-unit daily sums and counts of all levels: the total, and a strip's


def strip_day_sums(
    spec: BlockSpec, row0: int, rows: int, d0: int, d1: int
) -> dict[str, np.ndarray]:
    """Per-unit sums and counts of one strip's rain on days ``d0 .. d1 - 1``.

    Returns
    -------
    dict
        By level: ``(2, days, units + 1)`` float64 (column 0: cells outside every unit);
        levels the strip does not touch have no key.
    """
    assert spec.daily is not None
    strip = Strip(spec.grid, row0, rows)
    window, _ = strip.window()
    found = {lv: strip_unit_labels(spec, lv, strip) for lv in spec.levels}
    labels = {lv: lab for lv, lab in found.items() if lab is not None}
    out = {lv: np.zeros((2, d1 - d0, lab.n_units + 1)) for lv, lab in labels.items()}
    if not labels:
        return out
    if isinstance(spec.daily, StationDailyRain):
        for level, lab in labels.items():
            out[level] = spec.daily.unit_sums(spec.grid, window, lab, d0, d1)
        return out
    for g0, g1 in spec.daily.day_groups(window, d0, d1):
        rain = spec.daily.read(spec.grid, window, g0, g1)
        for level, lab in labels.items():
            out[level][:, g0 - d0 : g1 - d0] = label_sums(lab, rain)
    return out


def unit_day_means(
    spec: BlockSpec, block_rows: int, d0: int, d1: int, n_units: dict[str, int], client: Any
) -> dict[str, np.ndarray]:
    """Each unit's mean rain on days ``d0 .. d1 - 1``, ``(days, units)`` by level.

    The strips' sums are added in strip order as they are taken, so at most one strip's
    sums are held beside the total (on a cluster too: results are taken in order).
    """
    tasks = strips(spec.grid, block_rows)
    if client is None:
        parts: Iterator[dict[str, np.ndarray]] = (
            strip_day_sums(spec, r, n, d0, d1) for r, n in tasks
        )
    else:
        # a key of its own (hash=False): a copy another pass scattered under the same hash
        # and released can be dropped while this pass's tasks ask for it (lost dependencies)
        shared = client.scatter(spec, broadcast=True, hash=False)
        futures = [
            client.submit(strip_day_sums, shared, r, n, d0, d1, pure=False) for r, n in tasks
        ]
        parts = _in_order(futures)
    totals = {level: np.zeros((2, d1 - d0, n + 1)) for level, n in n_units.items()}
    for part in parts:
        for level, sums in part.items():
            totals[level] += sums
    means = {}
    for level, total in totals.items():
        with np.errstate(invalid="ignore", divide="ignore"):
            means[level] = (total[0] / total[1])[:, 1:]
    return means


def _in_order(futures: list[Any]) -> Iterator[dict[str, np.ndarray]]:
    """The futures' results in order, each released once taken."""
    for fut in futures:
        result = fut.result()
        fut.release()
        yield result


def daily_unit_runoff(
    spec: BlockSpec, hrus: dict[str, Hrus], block_rows: int, client: Any = None
) -> dict[str, np.ndarray]:
    """Monthly runoff of every level's units from their daily rain, ``(months, units)`` mm.

    Parameters
    ----------
    spec : BlockSpec
        With ``daily`` set (the days cover ``spec.months`` months from the first).
    hrus : dict
        The HRUs of each level's units.
    block_rows : int
        Rows per strip.
    client : distributed.Client, optional
        Runs the strips as tasks; their sums are added in strip order all the same.
    """
    assert spec.daily is not None
    n_units = {level: h.share.shape[0] for level, h in hrus.items()}
    month = spec.daily.month_index()
    chunk = max(31, SUM_BYTES // (16 * (sum(n_units.values()) + len(n_units))))
    out = {level: np.zeros((spec.months, n)) for level, n in n_units.items()}
    for d0 in range(0, spec.daily.days, chunk):
        d1 = min(d0 + chunk, spec.daily.days)
        means = unit_day_means(spec, block_rows, d0, d1, n_units, client)
        for level, h in hrus.items():
            out[level] += h.daily_runoff_mm(means[level], month[d0:d1], spec.months)
    return out
