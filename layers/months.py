"""The months of a monthly layer's files, and the dates a name or a band description holds.

:class:`MonthlySource` is what :mod:`layers.monthly_files` (a file per month) and
:mod:`layers.series_files` (one file holding every month) both return.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# dates found in any name, when no known naming and no --date-pattern fits
_YEAR = r"(?<!\d)(?P<y>(?:18|19|20|21)\d{2})"
_MONTH = r"(?P<m>0[1-9]|1[0-2])(?!\d)"
AUTO_DATES: list[tuple[str, re.Pattern[str]]] = [
    ("YYYY-MM", re.compile(_YEAR + "-" + _MONTH)),
    ("YYYY_MM", re.compile(_YEAR + "_" + _MONTH)),
    ("YYYY.MM", re.compile(_YEAR + r"\." + _MONTH)),
    ("YYYYMM", re.compile(_YEAR + _MONTH)),
]


@dataclass(frozen=True)
class MonthlySource:
    """Monthly files in order and how to read them."""

    paths: list[Path]
    kind: str  # "climatology" or "series"
    start: str | None  # "YYYY-MM" for a series
    scale: float
    product: str  # what the names were recognised as; never recorded as provenance
    bands: tuple[int, ...] | None = None  # of one file: its bands in month order (all: None)
    crs: str | None = None  # the CRS to read a file in that declares none (CF lon/lat)
    units: str | None = None  # the units the file declares
    netcdf: bool = False

    @property
    def count(self) -> int:
        """Number of months."""
        if self.bands is not None:
            return len(self.bands)
        return len(self.paths) if len(self.paths) > 1 else 12

    def months(self) -> list[tuple[int, int]]:
        """``(year, month)`` of each band; a climatology's year is 2001 (not a leap year)."""
        y, m = (int(v) for v in self.start.split("-")) if self.start else (2001, 1)
        first = y * 12 + m - 1
        return [((first + i) // 12, (first + i) % 12 + 1) for i in range(self.count)]

    def describe(self) -> str:
        """What was recognised: the naming, the months and the scale, in one line."""
        n = len(self.paths)
        files = f"{n} files" if n > 1 else self.paths[0].name
        months = (
            f"a series of {self.count} months from {self.start}"
            if self.kind == "series"
            else "a 12-month climatology"
        )
        scale = f", values x {self.scale:g}" if self.scale != 1.0 else ""
        return f"{files}, {self.product}: {months}{scale}"
