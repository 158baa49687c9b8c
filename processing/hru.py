"""Hydrologic response units: the land-use class x soil group parts of each unit.

A unit's runoff is the area-weighted sum of its HRUs' curve-number runoff
(:func:`processing.kernels.runoff.hru_runoff_mm`). A cell's HRU is its land-use class
(position in the class table's sorted codes) times four plus its hydrologic soil group
(A..D as 0..3); the pipeline's strips count the cells of each HRU per unit, the area of
interest counts them by zonal statistics, and the scenarios move shares between HRUs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from layers.config import WaterBalanceConfig
from processing.kernels.runoff import daily_hru_runoff_mm, hru_runoff_mm

SOIL_GROUPS = "ABCD"
HSG_COLUMNS = tuple(f"cn_{g.lower()}" for g in SOIL_GROUPS)


def class_codes(lu_table: pd.DataFrame) -> np.ndarray:
    """The land-use table's class codes, sorted (an HRU's class is a position in them)."""
    return np.sort(np.asarray([int(str(c)) for c in lu_table.index], dtype=np.int64))


def hru_index(lu: np.ndarray, hsg_idx: np.ndarray, cn: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """HRU of each cell (``class position * 4 + soil group``); -1 without a curve number.

    Parameters
    ----------
    lu : numpy.ndarray
        Land-use codes.
    hsg_idx : numpy.ndarray
        Hydrologic soil group of each cell, 0..3.
    cn : numpy.ndarray
        The cells' curve numbers (NaN: no runoff parameter, not in any HRU).
    codes : numpy.ndarray
        :func:`class_codes` of the land-use table.
    """
    flat = np.asarray(lu, dtype=np.int64)
    pos = np.searchsorted(codes, flat)
    known = (pos < codes.size) & (codes[np.minimum(pos, codes.size - 1)] == flat)
    ok = known & np.isfinite(cn)
    return np.where(ok, pos * len(SOIL_GROUPS) + np.asarray(hsg_idx, dtype=np.int64), -1)


def hru_curve_numbers(lu_table: pd.DataFrame, wb: WaterBalanceConfig) -> np.ndarray:
    """Curve number of every HRU index, ``(classes * 4,)``, as the cells get it.

    The table's ``cn_a`` .. ``cn_d`` of each class (sorted by code) times
    ``[water_balance] cn_multiplier``, clipped to 1..100; NaN where the table has none.
    """
    codes = class_codes(lu_table)
    by_code = lu_table.set_axis([int(str(c)) for c in lu_table.index])
    table = by_code.reindex(codes)
    values = np.stack(
        [pd.to_numeric(table[c], errors="coerce").to_numpy(float) for c in HSG_COLUMNS], axis=1
    )
    return np.clip(values * wb.cn_multiplier, 1.0, 100.0).reshape(-1)


def month_rain_days(wb_cfg: WaterBalanceConfig, first_month: int, months: int) -> np.ndarray:
    """Rain events of each month of a series that starts in calendar month ``first_month``."""
    calendar = (np.arange(months) + first_month - 1) % 12
    return np.asarray(wb_cfg.rain_days, dtype=np.float64)[calendar]


@dataclass(frozen=True)
class Hrus:
    """The HRUs of a set of units: curve number and area share, both ``(units, hrus)``.

    Shares of a unit sum to 1 (0 for a unit without any cell that has a curve number).
    """

    cn: np.ndarray
    share: np.ndarray

    @classmethod
    def from_counts(cls, counts: np.ndarray, cn_by_hru: np.ndarray) -> Hrus:
        """From cells per HRU, ``(units, hrus)``, and the curve number of each HRU."""
        counts = np.asarray(counts, dtype=np.float64)
        cn = np.broadcast_to(np.asarray(cn_by_hru, dtype=np.float64), counts.shape)
        counts = np.where(np.isfinite(cn), counts, 0.0)
        total = counts.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(total > 0, counts / total, 0.0)
        return cls(np.array(cn), share)

    @classmethod
    def of_cells(cls, cn_cells: np.ndarray) -> Hrus:
        """One unit from its cells' curve numbers (one HRU per distinct value)."""
        cn = np.asarray(cn_cells, dtype=np.float64)
        values, counts = np.unique(cn[np.isfinite(cn)], return_counts=True)
        return cls.from_counts(counts[np.newaxis], values[np.newaxis])

    @property
    def valid(self) -> np.ndarray:
        """Units with at least one HRU."""
        return self.share.sum(axis=1) > 0

    def mean_cn(self) -> np.ndarray:
        """Area-weighted mean curve number of each unit (NaN without HRUs)."""
        cn = np.where(self.share > 0, self.cn, 0.0)
        return np.where(self.valid, (cn * self.share).sum(axis=1), np.nan)

    def take(self, units: np.ndarray | slice) -> Hrus:
        """The HRUs of some of the units."""
        return Hrus(self.cn[units], self.share[units])

    def converted(self, source: np.ndarray, moved: np.ndarray, cn_to: np.ndarray) -> Hrus:
        """Move area shares ``moved`` out of the HRUs ``source`` into new HRUs of ``cn_to``.

        Parameters
        ----------
        source : numpy.ndarray
            HRU indices converted (e.g. one class's four soil groups).
        moved : numpy.ndarray
            Share of each unit's area moved out of each source HRU, ``(units, len(source))``;
            at most what the HRU holds.
        cn_to : numpy.ndarray
            Curve number the moved part of each source HRU takes, ``(len(source),)``.
        """
        moved = np.clip(moved, 0.0, self.share[:, source])
        share = self.share.copy()
        share[:, source] -= moved
        new_cn = np.broadcast_to(np.asarray(cn_to, dtype=np.float64), moved.shape)
        return Hrus(np.hstack([self.cn, new_cn]), np.hstack([share, moved]))

    def runoff_mm(
        self, p_month_mm: np.ndarray, rain_days: np.ndarray, wb: WaterBalanceConfig
    ) -> np.ndarray:
        """Monthly runoff of each unit, mm, ``(months, units)``.

        ``rain_days``: events in each month of ``p_month_mm``; the event depths follow
        ``[water_balance] rain_event_depths``.
        """
        return hru_runoff_mm(p_month_mm, self.cn, self.share, rain_days, wb.rain_event_depths)

    def daily_runoff_mm(
        self, p_day_mm: np.ndarray, month_of_day: np.ndarray, months: int
    ) -> np.ndarray:
        """Monthly runoff of each unit, mm, ``(months, units)``, from its daily rain.

        ``p_day_mm``: each unit's rain on each day, ``(days, units)``; ``month_of_day``: month
        ``0 .. months - 1`` of each day. The curve number runs on each day
        (:func:`processing.kernels.runoff.daily_hru_runoff_mm`).
        """
        return daily_hru_runoff_mm(p_day_mm, month_of_day, months, self.cn, self.share)
