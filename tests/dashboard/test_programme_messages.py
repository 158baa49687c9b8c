"""What a monitoring import or entry that stored nothing tells the user."""

from __future__ import annotations

from dashboard.i18n import translator
from dashboard.programme_callbacks import problem_lines
from layers.monitoring import MAX_LISTED_PROBLEMS, RecordProblem


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
