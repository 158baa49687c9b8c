"""Monitoring records of project sites: what a record holds and how a table of them is checked.

A record says, for one project site on one date, the site's status and the households it
reaches, of which led by women and led by young people (a household headed by a young woman
counts in both). A monitoring CSV holds one record a row, with the columns of
:data:`CSV_COLUMNS`; :func:`check_records` reports every problem at once, each naming the
row, the column and the fix, and :func:`read_monitoring_csv` reads such a file.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

STATUSES = ("planned", "ongoing", "completed", "abandoned")
COUNT_COLUMNS = ("households", "households_women_led", "households_youth_led")
CSV_COLUMNS = ("site_id", "date", "status", *COUNT_COLUMNS)
MAX_RECORDS = 100_000  # rows of one import
MAX_COUNT = 10_000_000  # households of one site: above is a typing slip
MAX_LISTED_PROBLEMS = 20  # problems an error message lists (every one is kept)
FIRST_DATA_LINE = 2  # the header is line 1 of the file
EARLIEST_DATE = dt.date(1950, 1, 1)


@dataclass(frozen=True)
class RecordProblem:
    """One problem of a monitoring table: its line in the file, the column, what and the fix."""

    line: int | None  # None: a problem of the whole file (a missing column)
    column: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"row {self.line}, " if self.line is not None else ""
        return f"{where}column '{self.column}': {self.message}; {self.fix}"


class MonitoringError(ValueError):
    """A monitoring table that cannot be stored; ``problems`` lists every reason."""

    def __init__(self, source: str, problems: Sequence[RecordProblem]) -> None:
        self.source = source
        self.problems = list(problems)
        listed = [str(p) for p in self.problems[:MAX_LISTED_PROBLEMS]]
        more = len(self.problems) - len(listed)
        tail = [f"... and {more} more"] if more > 0 else []
        super().__init__(
            f"{source}: {len(self.problems)} problem(s), nothing was imported:\n- "
            + "\n- ".join(listed + tail)
        )


def _count(text: str) -> int | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def _date(text: str, today: dt.date) -> dt.date | str:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return "is not a date in the form YYYY-MM-DD (e.g. 2025-03-31)"
    if len(text) != len("2025-03-31"):
        return "is not a date in the form YYYY-MM-DD (e.g. 2025-03-31)"
    if day < EARLIEST_DATE or day > today:
        return f"lies outside {EARLIEST_DATE.isoformat()} to today ({today.isoformat()})"
    return day


def check_records(
    table: pd.DataFrame,
    site_ids: Collection[str],
    today: dt.date | None = None,
    first_line: int = FIRST_DATA_LINE,
) -> tuple[pd.DataFrame, list[RecordProblem]]:
    """Check a table of records given as text; return the typed records and the problems.

    Parameters
    ----------
    table : pandas.DataFrame
        The columns of :data:`CSV_COLUMNS`, every cell as text.
    site_ids : collection of str
        The project sites of the region (``site_id`` of the sites layer).
    today : datetime.date, optional
        The latest date a record may carry (today when omitted).
    first_line : int
        The line of the file the table's first row was read from.

    Returns
    -------
    records : pandas.DataFrame
        ``site_id`` (str), ``date`` (datetime.date), ``status`` (str) and the counts (int),
        one row per valid row of ``table``.
    problems : list of RecordProblem
        Empty when every row is valid.
    """
    today = today or dt.date.today()
    problems: list[RecordProblem] = []
    missing = [c for c in CSV_COLUMNS if c not in table.columns]
    for col in missing:
        problems.append(
            RecordProblem(
                None, col, "is missing", f"add the column (columns: {', '.join(CSV_COLUMNS)})"
            )
        )
    extra = [str(c) for c in table.columns if c not in CSV_COLUMNS]
    for col in extra:
        problems.append(
            RecordProblem(None, col, "is not a monitoring column", "remove or rename it")
        )
    if missing or extra:
        return pd.DataFrame(columns=list(CSV_COLUMNS)), problems
    if len(table) > MAX_RECORDS:
        problems.append(
            RecordProblem(
                None, "site_id", f"{len(table)} rows", f"import at most {MAX_RECORDS} per file"
            )
        )
        return pd.DataFrame(columns=list(CSV_COLUMNS)), problems
    known = {str(s) for s in site_ids}
    rows = []
    first_seen: dict[tuple[str, dt.date], int] = {}
    for i, raw in enumerate(table.itertuples(index=False)):
        line = first_line + i
        cells = {c: str(v).strip() for c, v in zip(CSV_COLUMNS, raw, strict=True)}
        bad = len(problems)
        site = cells["site_id"]
        if site not in known:
            problems.append(
                RecordProblem(
                    line,
                    "site_id",
                    f"'{site[:60]}' is not a project site of this region",
                    "use a site_id of the project sites layer",
                )
            )
        day = _date(cells["date"], today)
        if isinstance(day, str):
            problems.append(
                RecordProblem(
                    line, "date", f"'{cells['date'][:30]}' {day}", "write the date as YYYY-MM-DD"
                )
            )
        status = cells["status"].lower()
        if status not in STATUSES:
            problems.append(
                RecordProblem(
                    line,
                    "status",
                    f"'{cells['status'][:30]}' is not a status",
                    f"use one of {', '.join(STATUSES)}",
                )
            )
        counts = {}
        for col in COUNT_COLUMNS:
            value = _count(cells[col])
            if value is None or value < 0 or value > MAX_COUNT:
                problems.append(
                    RecordProblem(
                        line,
                        col,
                        f"'{cells[col][:30]}' is not a whole number of households",
                        f"write a whole number from 0 to {MAX_COUNT}",
                    )
                )
                value = None
            counts[col] = value
        hh = counts["households"]
        for col in COUNT_COLUMNS[1:]:
            part = counts[col]
            if hh is not None and part is not None and part > hh:
                problems.append(
                    RecordProblem(
                        line,
                        col,
                        f"{part} is more than the site's {hh} households",
                        f"correct {col} or households (it counts a part of them)",
                    )
                )
        if len(problems) > bad:
            continue
        assert isinstance(day, dt.date)
        key = (site, day)
        if key in first_seen:
            problems.append(
                RecordProblem(
                    line,
                    "date",
                    f"site {site} already has a record on {day.isoformat()}"
                    f" (row {first_seen[key]})",
                    "keep one row per site and date",
                )
            )
            continue
        first_seen[key] = line
        rows.append({"site_id": site, "date": day, "status": status, **counts})
    return pd.DataFrame(rows, columns=list(CSV_COLUMNS)), problems


def read_monitoring_csv(
    source: str | Path | bytes, site_ids: Collection[str], today: dt.date | None = None
) -> pd.DataFrame:
    """The records of a monitoring CSV (UTF-8, with or without a byte-order mark).

    Raises
    ------
    MonitoringError
        The file cannot be read, or any row is invalid (every problem listed).
    """
    name = "the uploaded file" if isinstance(source, bytes) else str(source)
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        text = data.decode("utf-8-sig")
        table = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True
        )
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise MonitoringError(
            name,
            [
                RecordProblem(
                    None, "site_id", f"cannot be read as a CSV ({exc})", "save it as UTF-8 CSV"
                )
            ],
        ) from exc
    table.columns = [str(c).strip() for c in table.columns]
    records, problems = check_records(table, site_ids, today)
    if problems:
        raise MonitoringError(name, problems)
    if records.empty:
        raise MonitoringError(
            name,
            [
                RecordProblem(
                    None, "site_id", "the file has no rows", "add one row per site and date"
                )
            ],
        )
    return records
