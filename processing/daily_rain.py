"""A region's daily rain as the pipeline reads it: the days, and their grids window by window."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rasterio.windows import Window

from layers.align import read_grid_window
from layers.daily_files import DailySource
from layers.grid import Grid
from layers.registry import LayerRegistry
from processing.kernels.runoff import scs_runoff_mm

READ_BYTES = 64 * 2**20  # float64 day grids of a strip read at a time


@dataclass(frozen=True)
class DailyRain:
    """The days of ``[layers.rainfall.daily]`` and how their files are read (picklable)."""

    source: DailySource
    nodata: float | None
    scale: float

    @property
    def days(self) -> int:
        """Number of days."""
        return self.source.days

    def day_groups(self, window: Window, d0: int, d1: int) -> list[tuple[int, int]]:
        """Days ``d0 .. d1 - 1`` in groups whose grids on ``window`` fit ``READ_BYTES``."""
        step = max(1, READ_BYTES // (int(window.width) * int(window.height) * 8))
        return [(g, min(g + step, d1)) for g in range(d0, d1, step)]

    def read(self, grid: Grid, window: Window, d0: int, d1: int) -> np.ndarray:
        """Rain of days ``d0 .. d1 - 1`` on a window of the grid, ``(days, rows, cols)`` mm."""
        return np.concatenate(
            [
                read_grid_window(
                    [path],
                    grid,
                    window,
                    categorical=False,
                    nodata=self.nodata,
                    scale=self.scale,
                    bands=bands,
                )
                for path, bands in self.source.reads(d0, d1)
            ]
        )

    def cell_runoff_mm(
        self, grid: Grid, window: Window, cn: np.ndarray, first_month: int
    ) -> np.ndarray:
        """Each cell's curve-number runoff on each day, as 12 calendar months, mm/month.

        ``(12, rows, cols)``: the mean over the years of each calendar month's sum of the
        days' runoff (:func:`processing.kernels.runoff.scs_runoff_mm` of the cell's rain
        and curve number ``cn``); the days start in calendar month ``first_month``. A missing
        day gives no runoff, as in the units' runoff.
        """
        month_index = self.source.month_index()
        calendar = (month_index + first_month - 1) % 12
        years = np.bincount((np.unique(month_index) + first_month - 1) % 12, minlength=12)
        out = np.zeros((12, int(window.height), int(window.width)))
        for g0, g1 in self.day_groups(window, 0, self.days):
            rain = self.read(grid, window, g0, g1)
            for d in range(g1 - g0):
                out[calendar[g0 + d]] += scs_runoff_mm(rain[d], cn)
        return out / np.maximum(years, 1)[:, np.newaxis, np.newaxis]


def daily_rain(reg: LayerRegistry) -> DailyRain | None:
    """The region's daily rain when the curve number runs on it, else None.

    None when the region declares no ``[layers.rainfall.daily]`` or when
    ``[water_balance] daily_curve_number`` is false.
    """
    cfg = reg.region.config
    daily = cfg.layers.rainfall.daily
    source = reg.daily_rain()
    if daily is None or source is None or not cfg.water_balance.daily_curve_number:
        return None
    return DailyRain(source, daily.nodata, float(daily.scale))
