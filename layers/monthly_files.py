"""Recognise monthly raster files by their names: CHIRPS, WorldClim, CHELSA, numbered months.

Given a folder, a glob or a list of files, :func:`monthly_source` returns the files in
month order with what ``region.toml`` needs: a 12-month climatology or a consecutive
series with its first month, the scale factor of the product (CHELSA stores rain as
integers of 0.01 mm) and the product's name for the provenance.

Known names (``YYYY`` year, ``MM`` or ``M`` month):

- CHIRPS monthly: ``chirps-v2.0.YYYY.MM.tif`` (mm/month, series).
- WorldClim historical monthly weather: ``wc2.1_<res>_<var>_YYYY-MM.tif`` (series);
  WorldClim climatology: ``wc2.1_<res>_<var>_MM.tif`` (12 months).
- CHELSA monthly: ``CHELSA_pr_MM_YYYY_V.2.1.tif`` (series, scale 0.01 -> mm).
- Anything ending in a month number 1..12: ``precip_gura_1.tif`` .. ``_12.tif``
  (climatology; InVEST's convention).
"""

from __future__ import annotations

import glob
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

PATTERNS: list[tuple[str, re.Pattern[str], float]] = [
    ("CHIRPS v2.0", re.compile(r"chirps-v2\.0\.(?P<y>\d{4})\.(?P<m>\d{2})\.tiff?$", re.I), 1.0),
    (
        "WorldClim 2.1 monthly weather",
        re.compile(r"wc2\.1_.*_(?P<y>\d{4})-(?P<m>\d{2})\.tiff?$", re.I),
        1.0,
    ),
    (
        "CHELSA 2.1 monthly",
        re.compile(r"CHELSA_pr_(?P<m>\d{2})_(?P<y>\d{4})_V\.2\.1\.tiff?$", re.I),
        0.01,
    ),
    (
        "WorldClim 2.1 climatology",
        re.compile(r"wc2\.1_[^_]+_[a-z]+_(?P<m>\d{2})\.tiff?$", re.I),
        1.0,
    ),
    ("numbered months", re.compile(r"(?:^|[_\-.])(?P<m>\d{1,2})\.tiff?$", re.I), 1.0),
]


@dataclass(frozen=True)
class MonthlySource:
    """Monthly files in order and how to read them."""

    paths: list[Path]
    kind: str  # "climatology" or "series"
    start: str | None  # "YYYY-MM" for a series
    scale: float
    product: str  # what the names were recognised as; never recorded as provenance

    def describe(self) -> str:
        """What was recognised: the naming, the months and the scale, in one line."""
        n = len(self.paths)
        files = f"{n} files" if n > 1 else self.paths[0].name
        months = (
            f"a series from {self.start}" if self.kind == "series" else "a 12-month climatology"
        )
        scale = f", values x {self.scale:g}" if self.scale != 1.0 else ""
        return f"{files} read as {self.product} names: {months}{scale}"


def raster_files(spec: str | Path | list[str | Path]) -> list[Path]:
    """The .tif files of a folder, a glob, a list of files, or one file (sorted by name)."""
    if isinstance(spec, list):
        return [Path(p) for p in spec]
    path = Path(spec)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix.lower() in (".tif", ".tiff"))
    if any(ch in str(spec) for ch in "*?["):
        return sorted(Path(p) for p in glob.glob(str(spec)))
    return [path]


def monthly_source(
    spec: str | Path | list[str | Path],
    period: tuple[str, str] | None = None,
) -> MonthlySource:
    """Order monthly files by their names and say whether they form a climatology or a series.

    Parameters
    ----------
    spec : str, Path or list
        A folder, a glob pattern, a list of files, or one multi-band file (12 bands,
        January first, returned as a climatology).
    period : (str, str), optional
        ``("YYYY-MM", "YYYY-MM")``: keep only a series' months in this range.

    Returns
    -------
    MonthlySource

    Raises
    ------
    ValueError
        No file, names that match no known pattern, a duplicate or missing month,
        naming the files and the fix.
    """
    files = raster_files(spec)
    if not files:
        raise ValueError(f"{spec}: no .tif files found; give a folder, a glob or the files")
    if len(files) == 1:
        return MonthlySource(files, "climatology", None, 1.0, "multi-band file")
    for product, pattern, scale in PATTERNS:
        matches = [pattern.search(f.name) for f in files]
        if not all(matches):
            continue
        keys = []
        for f, m in zip(files, matches, strict=True):
            assert m is not None
            year = int(m.groupdict().get("y") or 0)
            keys.append((year, int(m["m"]), f))
        if any(not 1 <= month <= 12 for _, month, _ in keys):
            continue
        keys.sort(key=lambda k: (k[0], k[1]))
        is_series = keys[0][0] > 0
        if period is not None and is_series:
            lo, hi = (tuple(int(v) for v in p.split("-")) for p in period)
            keys = [k for k in keys if lo <= (k[0], k[1]) <= hi]
            if not keys:
                raise ValueError(f"{spec}: no month between {period[0]} and {period[1]}")
        stamps = [k[0] * 12 + k[1] - 1 for k in keys]
        dupes = sorted({f"{s // 12}-{s % 12 + 1:02d}" for s in stamps if stamps.count(s) > 1})
        if dupes:
            raise ValueError(f"{spec}: several files for month(s) {', '.join(dupes)}")
        gaps = [
            f"{s // 12}-{s % 12 + 1:02d}"
            for a, b in itertools.pairwise(stamps)
            for s in range(a + 1, b)
        ]
        if gaps:
            raise ValueError(
                f"{spec}: month(s) {', '.join(gaps[:12])} missing from the {product} series;"
                " add the files or choose a period without gaps (--period)"
            )
        paths = [k[2] for k in keys]
        if not is_series:
            if len(paths) != 12:
                raise ValueError(f"{spec}: a climatology needs 12 months, found {len(paths)}")
            return MonthlySource(paths, "climatology", None, scale, product)
        if keys[0][1] != 1 or len(paths) % 12:
            raise ValueError(
                f"{spec}: the {product} series must cover whole years from January"
                f" ({len(paths)} months from {keys[0][0]}-{keys[0][1]:02d});"
                " choose a period of whole years (--period YYYY-01:YYYY-12)"
            )
        return MonthlySource(paths, "series", f"{keys[0][0]}-01", scale, product)
    raise ValueError(
        f"{spec}: file names such as {files[0].name} match no known monthly pattern"
        " (CHIRPS, WorldClim, CHELSA, or a month number 1..12 at the end); rename them"
        " or stack the months into one 12-band file"
    )
