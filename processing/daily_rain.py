"""A region's daily rain as the pipeline reads it: the days, and their grids window by window.

Two sources give the same days to the same daily path (:mod:`processing.daily_runoff`, the
cells' runoff of :meth:`DailyRain.cell_runoff_mm`): gridded days (:class:`GridDailyRain`,
CHIRPS daily or any dated daily files) and stations' days (:class:`StationDailyRain`),
whose grid on a day is the stations' rain inverse-distance weighted onto each cell, as the
monthly station rain is. A strip's unit sums of station days come from the units' sums of
each station's weights (the field is linear in the stations' rain), not from the day grids.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np
from rasterio.windows import Window

from layers.align import read_grid_window
from layers.daily_files import DailySource
from layers.grid import Grid
from layers.registry import LayerRegistry
from layers.station_days import StationDays
from layers.stations import cell_centres, idw_weight_planes, station_xy
from processing.kernels.runoff import scs_runoff_mm
from processing.unit_labels import UnitLabels

READ_BYTES = 64 * 2**20  # float64 day grids of a strip read at a time
# stations' weights (0..1) are summed per unit times 2^10 (exact), so that the units' sums,
# rounded to processing.unit_labels.SUM_QUANTUM, keep 26 bits below 1 (and stay exact up
# to 134 million cells a unit)
WEIGHT_SCALE = 2.0**10


class DailyRain(ABC):
    """Days of rain and their grids on windows of the working grid (picklable)."""

    @property
    @abstractmethod
    def days(self) -> int:
        """Number of days."""

    @abstractmethod
    def month_index(self) -> np.ndarray:
        """Month of each day counted from the first day's month (0, 0, ..., 1, ...)."""

    @abstractmethod
    def read(self, grid: Grid, window: Window, d0: int, d1: int) -> np.ndarray:
        """Rain of days ``d0 .. d1 - 1`` on a window of the grid, ``(days, rows, cols)`` mm."""

    def day_groups(self, window: Window, d0: int, d1: int) -> list[tuple[int, int]]:
        """Days ``d0 .. d1 - 1`` in groups whose grids on ``window`` fit ``READ_BYTES``."""
        step = max(1, READ_BYTES // (int(window.width) * int(window.height) * 8))
        return [(g, min(g + step, d1)) for g in range(d0, d1, step)]

    def cell_runoff_mm(
        self, grid: Grid, window: Window, cn: np.ndarray, first_month: int
    ) -> np.ndarray:
        """Each cell's curve-number runoff on each day, as 12 calendar months, mm/month.

        ``(12, rows, cols)``: the mean over the years of each calendar month's sum of the
        days' runoff (:func:`processing.kernels.runoff.scs_runoff_mm` of the cell's rain
        and curve number ``cn``); the days start in calendar month ``first_month``. A missing
        day gives no runoff, as in the units' runoff.
        """
        month_index = self.month_index()
        calendar = (month_index + first_month - 1) % 12
        years = np.bincount((np.unique(month_index) + first_month - 1) % 12, minlength=12)
        out = np.zeros((12, int(window.height), int(window.width)))
        for g0, g1 in self.day_groups(window, 0, self.days):
            rain = self.read(grid, window, g0, g1)
            for d in range(g1 - g0):
                out[calendar[g0 + d]] += scs_runoff_mm(rain[d], cn)
        return out / np.maximum(years, 1)[:, np.newaxis, np.newaxis]


@dataclass(frozen=True)
class GridDailyRain(DailyRain):
    """The gridded days of ``[layers.rainfall.daily] path`` and how their files are read."""

    source: DailySource
    nodata: float | None
    scale: float

    @property
    def days(self) -> int:
        """Number of days."""
        return self.source.days

    def month_index(self) -> np.ndarray:
        """Month of each day counted from the first day's month (0, 0, ..., 1, ...)."""
        return self.source.month_index()

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


@dataclass(frozen=True)
class StationDailyRain(DailyRain):
    """The stations' days of ``[layers.rainfall.daily] stations``, weighted onto the grid.

    ``xy`` are the stations' coordinates in the working CRS; a cell's rain on a day is
    :func:`layers.stations.idw_weight_planes` at its centre times the stations' rain.
    """

    stations: StationDays
    xy: tuple[tuple[float, float], ...]

    @property
    def days(self) -> int:
        """Number of days."""
        return self.stations.days

    def month_index(self) -> np.ndarray:
        """Month of each day counted from the first day's month (0, 0, ..., 1, ...)."""
        return self.stations.month_index()

    def read(self, grid: Grid, window: Window, d0: int, d1: int) -> np.ndarray:
        """Rain of days ``d0 .. d1 - 1`` on a window of the grid, ``(days, rows, cols)`` mm."""
        xs, ys = cell_centres(
            grid, int(window.row_off), int(window.col_off), int(window.height), int(window.width)
        )
        rain = self.stations.rain_mm[:, d0:d1]
        out = np.zeros((d1 - d0, int(window.height), int(window.width)))
        for s, plane in enumerate(idw_weight_planes(xs, ys, list(self.xy))):
            out += rain[s, :, np.newaxis, np.newaxis] * plane
        return out

    def unit_sums(
        self, grid: Grid, window: Window, labels: UnitLabels, d0: int, d1: int
    ) -> np.ndarray:
        """Per-unit sums and counts of the window's rain on days ``d0 .. d1 - 1``.

        ``(2, days, units + 1)`` as :func:`processing.strip_sums.label_sums` gives for the
        day grids (column 0: cells outside every unit): each unit's sum of each station's
        weights times the station's rain. A day no station reports has no count.
        """
        xs, ys = cell_centres(
            grid, int(window.row_off), int(window.col_off), int(window.height), int(window.width)
        )
        planes = idw_weight_planes(xs, ys, list(self.xy))
        weight_sums = np.stack([labels.bincount(p * WEIGHT_SCALE) for p in planes]) / WEIGHT_SCALE
        cells = labels.bincount(np.ones(xs.shape))
        rain = self.stations.rain_mm[:, d0:d1]
        reported = np.isfinite(rain).all(axis=0)
        out = np.empty((2, d1 - d0, labels.n_units + 1))
        out[0] = np.where(reported, rain, 0.0).T @ weight_sums
        out[1] = reported[:, np.newaxis] * cells[np.newaxis]
        out[:, :, 0] = 0.0
        return out


def daily_rain(reg: LayerRegistry) -> DailyRain | None:
    """The region's daily rain when the curve number runs on it, else None.

    None when the region declares no ``[layers.rainfall.daily]`` or when
    ``[water_balance] daily_curve_number`` is false.
    """
    cfg = reg.region.config
    daily = cfg.layers.rainfall.daily
    if daily is None or cfg.water_balance.daily_curve_number is False:
        return None
    stations = reg.station_days()
    if stations is not None:
        xy = station_xy(reg.grid.crs, list(stations.lonlat))
        return StationDailyRain(stations, tuple(xy))
    source = reg.daily_rain()
    if source is None:
        return None
    return GridDailyRain(source, daily.nodata, float(daily.scale))
