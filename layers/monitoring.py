"""Monitoring records of project sites: what a record holds and how a table of them is checked.

A record says, for one project site on one date, the site's status and the households it
reaches, of which led by women and led by young people (a household headed by a young woman
counts in both). A monitoring CSV holds one record a row, with the columns of
:data:`CSV_COLUMNS`; :func:`check_records` reports every problem at once, each naming the
row, the column and the fix, and :func:`read_monitoring_csv` reads such a file.

A problem's message and fix are English templates with named fields (:data:`MESSAGES`,
:data:`FIXES`), so a page can show them in its language with the fields filled in its way;
``str()`` of a problem is its English text.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
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


# what is wrong, as English templates (a page translates them, then fills the fields)
MESSAGES = {
    "missing": "is missing",
    "extra": "is not a monitoring column",
    "too_many": "{rows} rows",
    "unknown_site": "'{text}' is not a project site of this region",
    "not_a_date": "'{text}' is not a date in the form YYYY-MM-DD (e.g. 2025-03-31)",
    "date_range": "'{text}' lies outside {low} to today ({high})",
    "not_a_status": "'{text}' is not a status",
    "not_a_count": "'{text}' is not a whole number of households",
    "part_above_whole": "{part} is more than the site's {households} households",
    "duplicate": "site {site} already has a record on {date} (row {row})",
    "unreadable": "cannot be read as a CSV ({reason})",
    "no_rows": "the file has no rows",
}
# what to do about it, keyed like MESSAGES
FIXES = {
    "missing": "add the column (columns: {columns})",
    "extra": "remove or rename it",
    "too_many": "import at most {max} per file",
    "unknown_site": "use a site_id of the project sites layer",
    "not_a_date": "write the date as YYYY-MM-DD",
    "date_range": "write the date as YYYY-MM-DD",
    "not_a_status": "use one of {known}",
    "not_a_count": "write a whole number from 0 to {max}",
    "part_above_whole": "correct {name} or households (it counts a part of them)",
    "duplicate": "keep one row per site and date",
    "unreadable": "save it as UTF-8 CSV",
    "no_rows": "add one row per site and date",
}
# where a problem is, as English templates
WHERE_ROW = "row {row}, column '{column}': {message}; {fix}"
WHERE_FILE = "column '{column}': {message}; {fix}"


@dataclass(frozen=True)
class RecordProblem:
    """One problem of a monitoring table: its line in the file, the column, what and the fix.

    ``template`` and ``fix_template`` are English texts whose ``{fields}`` ``values`` fill
    (numbers stay numbers, so a translation formats them its way; cell text is as typed).
    """

    line: int | None  # None: a problem of the whole file (a missing column)
    column: str
    template: str
    fix_template: str
    values: Mapping[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, key: str, line: int | None, column: str, **values: object) -> RecordProblem:
        """The problem ``key`` of :data:`MESSAGES` and :data:`FIXES`, with its fields."""
        return cls(line, column, MESSAGES[key], FIXES[key], values)

    def _english(self) -> dict[str, object]:
        """The fields as English writes them: counts grouped by thousands, line numbers not."""
        return {
            k: f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) and k != "row" else v
            for k, v in self.values.items()
        }

    @property
    def message(self) -> str:
        """What is wrong, in English."""
        return self.template.format(**self._english())

    @property
    def fix(self) -> str:
        """What to do about it, in English."""
        return self.fix_template.format(**self._english())

    def __str__(self) -> str:
        where = WHERE_ROW if self.line is not None else WHERE_FILE
        return where.format(row=self.line, column=self.column, message=self.message, fix=self.fix)


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
    """The date ``text`` writes, or the key of its problem."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return "not_a_date"
    if len(text) != len("2025-03-31"):
        return "not_a_date"
    if day < EARLIEST_DATE or day > today:
        return "date_range"
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
        problems.append(RecordProblem.of("missing", None, col, columns=", ".join(CSV_COLUMNS)))
    extra = [str(c) for c in table.columns if c not in CSV_COLUMNS]
    for col in extra:
        problems.append(RecordProblem.of("extra", None, col))
    if missing or extra:
        return pd.DataFrame(columns=list(CSV_COLUMNS)), problems
    if len(table) > MAX_RECORDS:
        problems.append(
            RecordProblem.of("too_many", None, "site_id", rows=len(table), max=MAX_RECORDS)
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
            problems.append(RecordProblem.of("unknown_site", line, "site_id", text=site[:60]))
        day = _date(cells["date"], today)
        if isinstance(day, str):
            problems.append(
                RecordProblem.of(
                    day,
                    line,
                    "date",
                    text=cells["date"][:30],
                    low=EARLIEST_DATE.isoformat(),
                    high=today.isoformat(),
                )
            )
        status = cells["status"].lower()
        if status not in STATUSES:
            problems.append(
                RecordProblem.of(
                    "not_a_status",
                    line,
                    "status",
                    text=cells["status"][:30],
                    known=", ".join(STATUSES),
                )
            )
        counts = {}
        for col in COUNT_COLUMNS:
            value = _count(cells[col])
            if value is None or value < 0 or value > MAX_COUNT:
                problems.append(
                    RecordProblem.of("not_a_count", line, col, text=cells[col][:30], max=MAX_COUNT)
                )
                value = None
            counts[col] = value
        hh = counts["households"]
        for col in COUNT_COLUMNS[1:]:
            part = counts[col]
            if hh is not None and part is not None and part > hh:
                problems.append(
                    RecordProblem.of(
                        "part_above_whole", line, col, part=part, households=hh, name=col
                    )
                )
        if len(problems) > bad:
            continue
        assert isinstance(day, dt.date)
        key = (site, day)
        if key in first_seen:
            problems.append(
                RecordProblem.of(
                    "duplicate", line, "date", site=site, date=day.isoformat(), row=first_seen[key]
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
            [RecordProblem.of("unreadable", None, "site_id", reason=str(exc))],
        ) from exc
    table.columns = [str(c).strip() for c in table.columns]
    records, problems = check_records(table, site_ids, today)
    if problems:
        raise MonitoringError(name, problems)
    if records.empty:
        raise MonitoringError(
            name,
            [RecordProblem.of("no_rows", None, "site_id")],
        )
    return records
