"""Date monthly raster files by their names: known products, any date, numbered months.

Given a folder, a glob or a list of files, :func:`monthly_source` returns the files in
month order with what ``region.toml`` needs: a 12-month climatology or a consecutive
series with its first month, the scale factor of the naming (CHELSA stores rain as
integers of 0.01 mm) and what the names were recognised as. That is said to the user,
never recorded as the data's provenance (:mod:`layers.build.per_layer`). One file holding
every month is read by :mod:`layers.series_files`.

The names are read, in this order (``YYYY`` year, ``MM`` or ``M`` month):

- the user's ``--date-pattern`` (:func:`date_pattern_regex`), when given;

- known products' names: CHIRPS monthly: ``chirps-v2.0.YYYY.MM.tif`` (mm/month, series).
- WorldClim historical monthly weather: ``wc2.1_<res>_<var>_YYYY-MM.tif`` (series);
  WorldClim climatology: ``wc2.1_<res>_<var>_MM.tif`` (12 months).
- CHELSA monthly: ``CHELSA_pr_MM_YYYY_V.2.1.tif`` (series, scale 0.01 -> mm).
- a date anywhere in the name: ``YYYY-MM``, ``YYYY_MM``, ``YYYY.MM`` or ``YYYYMM``
  (``pre_1989-01.tif``); names holding two readings that disagree are an error listing them;
- anything ending in a month number 1..12: ``precip_gura_1.tif`` .. ``_12.tif``
  (climatology; InVEST's convention).
"""

from __future__ import annotations

import glob
import itertools
import re
from pathlib import Path

from layers.months import AUTO_DATES, MonthlySource
from layers.series_files import series_source

__all__ = ["AUTO_DATES", "MonthlySource", "date_pattern_regex", "monthly_source", "raster_files"]

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


def date_pattern_regex(pattern: str) -> re.Pattern[str]:
    """The regular expression of a ``--date-pattern``.

    A template holds ``{yyyy}`` (year), ``{mm}`` (month 01..12) or ``{m}`` (1..12), any
    other ``{name}`` for any text, ``*`` and ``?`` as in a glob; it matches whole file
    names (``{var}_{yyyy}-{mm}.tif``). Anything else is a regular expression searched in the
    names, with named groups ``y`` (or ``year``) and ``m`` (or ``month``).

    Raises
    ------
    ValueError
        A template or expression without a month, or an invalid expression.
    """
    if "{" in pattern and "(?P<" not in pattern:
        parts = []
        for token in re.split(r"(\{[^{}]*\}|\*|\?)", pattern):
            if token in ("{yyyy}", "{year}"):
                parts.append(r"(?P<y>\d{4})")
            elif token in ("{mm}", "{month}"):
                parts.append(r"(?P<m>\d{2})")
            elif token == "{m}":
                parts.append(r"(?P<m>\d{1,2})")
            elif token.startswith("{") or token == "*":
                parts.append(".*?")
            elif token == "?":
                parts.append(".")
            else:
                parts.append(re.escape(token))
        regex = "^" + "".join(parts) + "$"
    else:
        regex = pattern.replace("(?P<year>", "(?P<y>").replace("(?P<month>", "(?P<m>")
    try:
        compiled = re.compile(regex, re.I)
    except re.error as exc:
        raise ValueError(f"--date-pattern {pattern!r}: not a valid expression ({exc})") from exc
    if "m" not in compiled.groupindex:
        raise ValueError(
            f"--date-pattern {pattern!r}: no month in it; use {{mm}} (and {{yyyy}}), e.g."
            " '{var}_{yyyy}-{mm}.tif', or a regular expression with groups (?P<y>..) (?P<m>..)"
        )
    return compiled


ORDINALS = ("first", "second", "third", "fourth")

Keys = list[tuple[int, int, Path]]  # (year or 0, month, file)


def _keys_of(files: list[Path], pattern: re.Pattern[str], nth: int = 0) -> Keys | None:
    """``(year, month, file)`` of every file by the ``nth`` match, None if one does not match."""
    keys = []
    for f in files:
        found = list(pattern.finditer(f.name))
        if len(found) <= nth:
            return None
        groups = found[nth].groupdict()
        month = int(groups["m"])
        if not 1 <= month <= 12:
            return None
        keys.append((int(groups.get("y") or 0), month, f))
    return keys


def _month_text(key: tuple[int, int, Path]) -> str:
    return f"{key[0]}-{key[1]:02d}" if key[0] else f"month {key[1]:02d}"


def _duplicates(keys: Keys) -> dict[tuple[int, int], list[Path]]:
    seen: dict[tuple[int, int], list[Path]] = {}
    for y, m, f in keys:
        seen.setdefault((y, m), []).append(f)
    return {k: v for k, v in seen.items() if len(v) > 1}


def _auto_dates(spec: object, files: list[Path]) -> tuple[str, Keys] | None:
    """Dates found in the names by :data:`AUTO_DATES`; None when no reading fits every file.

    Raises
    ------
    ValueError
        The names hold more than one possible date each (listing the readings and the fix).
    """
    readings: dict[tuple[tuple[int, int, str], ...], str] = {}
    repeating: tuple[str, Keys] | None = None  # a reading on which months repeat
    for label, pattern in AUTO_DATES:
        for nth in range(len(ORDINALS)):
            keys = _keys_of(files, pattern, nth)
            if keys is None:
                break
            which = label if nth == 0 else f"{label}, its {ORDINALS[nth]} date"
            if _duplicates(keys):
                repeating = repeating or (f"dates {which} in the names", keys)
                continue
            signature = tuple(sorted((y, m, f.name) for y, m, f in keys))
            readings.setdefault(signature, which)
    if not readings:
        return repeating  # its repeated months are the error
    if len(readings) > 1:
        example = files[0].name
        options = "; ".join(
            f"{which}: {example} is {next(f'{y}-{m:02d}' for y, m, n in sig if n == example)}"
            for sig, which in readings.items()
        )
        raise ValueError(
            f"{spec}: the file names hold more than one date ({options}); say which with"
            " --date-pattern, e.g. '{var}_{yyyy}-{mm}_*.tif'"
        )
    ((signature, which),) = readings.items()
    by_name = {f.name: f for f in files}
    return f"dates {which} in the names", [(y, m, by_name[n]) for y, m, n in signature]


def monthly_source(
    spec: str | Path | list[str | Path],
    period: tuple[str, str] | None = None,
    date_pattern: str | None = None,
    start: str | None = None,
) -> MonthlySource:
    """Order monthly files by the dates in their names: a climatology or a series.

    Parameters
    ----------
    spec : str, Path or list
        A folder, a glob pattern, a list of files, or one multi-band file or NetCDF
        (:mod:`layers.series_files`).
    period : (str, str), optional
        ``("YYYY-MM", "YYYY-MM")``: keep only a series' months in this range.
    date_pattern : str, optional
        How the names hold the dates (:func:`date_pattern_regex`); by default a known
        product's names, else the dates found in them (``YYYY-MM``, ``YYYY_MM``,
        ``YYYY.MM``, ``YYYYMM``), else a month number at the end (a climatology).
    start : str, optional
        ``YYYY-MM``, the first band's month of one multi-band file without dates.

    Returns
    -------
    MonthlySource

    Raises
    ------
    ValueError
        No file, names that hold no date or several, a duplicate or missing month,
        naming the files and the fix.
    """
    files = raster_files(spec)
    if not files:
        raise ValueError(f"{spec}: no .tif files found; give a folder, a glob or the files")
    if len(files) == 1:
        return series_source(files[0], period, start)
    found: tuple[str, Keys, float] | None = None
    if date_pattern is not None:
        keys = _keys_of(files, date_pattern_regex(date_pattern))
        if keys is None:
            odd = next(f.name for f in files if not date_pattern_regex(date_pattern).search(f.name))
            raise ValueError(
                f"{spec}: --date-pattern {date_pattern!r} does not match {odd} (nor give a month"
                " 01..12); fix the pattern or leave the file out"
            )
        found = (f"dates by --date-pattern {date_pattern!r}", keys, 1.0)
    for product, pattern, scale in PATTERNS[:-1] if found is None else []:
        keys = _keys_of(files, pattern)
        if keys is not None:
            found = (f"{product} file names", keys, scale)
            break
    if found is None:
        auto = _auto_dates(spec, files)
        if auto is not None:
            found = (auto[0], auto[1], 1.0)
    if found is None:
        keys = _keys_of(files, PATTERNS[-1][1])
        if keys is not None:
            found = ("month numbers at the end of the names", keys, 1.0)
    if found is None:
        raise ValueError(
            f"{spec}: file names such as {files[0].name} hold no month (known: CHIRPS, WorldClim,"
            " CHELSA; dates YYYY-MM, YYYY_MM, YYYY.MM or YYYYMM; a month number 1..12 at the"
            " end); give --date-pattern, e.g. '{var}_{yyyy}-{mm}.tif', or stack the months into"
            " one multi-band file"
        )
    return _ordered(spec, *found, period)


def _ordered(
    spec: object, naming: str, keys: Keys, scale: float, period: tuple[str, str] | None
) -> MonthlySource:
    """Check the months for duplicates, gaps and whole years; the source in month order."""
    dupes = _duplicates(keys)
    if dupes:
        listing = "; ".join(
            f"{_month_text((y, m, fs[0]))}: {', '.join(f.name for f in fs[:3])}"
            for (y, m), fs in sorted(dupes.items())[:4]
        )
        hint = (
            " (names without a year give a climatology of 12 files)"
            if not any(y for y, _, _ in keys)
            else ""
        )
        raise ValueError(
            f"{spec}: read as {naming}, several files fall on one month ({listing}){hint};"
            " give --date-pattern to say where the date is, e.g. '{var}_{yyyy}-{mm}.tif'"
        )
    keys = sorted(keys, key=lambda k: (k[0], k[1]))
    is_series = keys[0][0] > 0
    if period is not None and is_series:
        lo, hi = (tuple(int(v) for v in p.split("-")) for p in period)
        keys = [k for k in keys if lo <= (k[0], k[1]) <= hi]
        if not keys:
            raise ValueError(f"{spec}: no month between {period[0]} and {period[1]}")
    stamps = [k[0] * 12 + k[1] - 1 for k in keys]
    gaps = [
        f"{s // 12}-{s % 12 + 1:02d}"
        for a, b in itertools.pairwise(stamps)
        for s in range(a + 1, b)
    ]
    if gaps:
        raise ValueError(
            f"{spec}: month(s) {', '.join(gaps[:12])} missing from the series ({naming});"
            " add the files or choose a period without gaps (--period)"
        )
    paths = [k[2] for k in keys]
    if not is_series:
        if len(paths) != 12:
            raise ValueError(
                f"{spec}: a climatology ({naming}) needs 12 months, found {len(paths)}"
            )
        return MonthlySource(paths, "climatology", None, scale, naming)
    if keys[0][1] != 1 or len(paths) % 12:
        raise ValueError(
            f"{spec}: the series ({naming}) must cover whole years from January"
            f" ({len(paths)} months from {keys[0][0]}-{keys[0][1]:02d});"
            " choose a period of whole years (--period YYYY-01:YYYY-12)"
        )
    return MonthlySource(paths, "series", f"{keys[0][0]}-01", scale, naming)
