"""The programme view's messages and status chart, without a region."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.i18n import translator
from dashboard.programme_callbacks import problem_lines
from dashboard.programme_view import status_figure
from layers.monitoring import MAX_LISTED_PROBLEMS, STATUSES, RecordProblem


def _problems(n: int) -> list[RecordProblem]:
    return [RecordProblem(2 + i, "status", f"'x{i}' is not a status", "use one") for i in range(n)]


def test_an_import_says_nothing_was_imported_and_caps_the_list() -> None:
    n = MAX_LISTED_PROBLEMS + 7
    lines = problem_lines(_problems(n), from_form=False, t=translator("en"))
    assert (
        lines[0] == f"{n} problem(s): nothing was imported. Correct the file and import it again."
    )
    assert lines[1] == "row 2, column 'status': 'x0' is not a status; use one"
    assert len(lines) == 1 + MAX_LISTED_PROBLEMS + 1
    assert lines[-1] == "... and 7 more"


def test_a_form_entry_names_fields_not_rows_in_the_page_language() -> None:
    lines = problem_lines(_problems(2), from_form=True, t=translator("fr"))
    assert lines[0].startswith("Le relevé n'a pas été enregistré")
    assert lines[1:] == [f"column 'status': 'x{i}' is not a status; use one" for i in (0, 1)]
    assert not any("row " in line for line in lines)


def test_the_latest_status_holds_until_today() -> None:
    """The last record date is a step to today, not a zero-width point of the chart."""
    over_time = pd.DataFrame(
        {"date": [dt.date(2023, 3, 31), dt.date(2024, 6, 30)]}
        | {s: [0, 0] for s in STATUSES}
        | {"ongoing": [1, 1], "completed": [0, 2]}
    )
    today = dt.date(2025, 1, 15)
    fig = status_figure(over_time, translator("en"), today=today)
    completed = next(tr for tr in fig.data if tr.name == "completed")
    assert list(completed.x) == ["2023-03-31", "2024-06-30", "2025-01-15"]
    assert list(completed.y) == [0, 2, 2]
    same_day = status_figure(over_time, translator("en"), today=dt.date(2024, 6, 30))
    assert len(same_day.data[0].x) == len(over_time)
