"""The programme view's messages and status chart, without a region."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.i18n import TRANSLATIONS, translator, unit
from dashboard.programme_callbacks import problem_lines
from dashboard.programme_view import status_figure, table_view
from layers.monitoring import (
    FIXES,
    MAX_COUNT,
    MAX_LISTED_PROBLEMS,
    MESSAGES,
    STATUSES,
    WHERE_FILE,
    WHERE_ROW,
    MonitoringError,
    RecordProblem,
    read_monitoring_csv,
)


def _problems(n: int) -> list[RecordProblem]:
    return [
        RecordProblem.of("not_a_status", 2 + i, "status", text=f"x{i}", known="a, b")
        for i in range(n)
    ]


def test_an_import_says_nothing_was_imported_and_caps_the_list() -> None:
    n = MAX_LISTED_PROBLEMS + 7
    lines = problem_lines(_problems(n), from_form=False, t=translator("en"))
    assert (
        lines[0] == f"{n} problem(s): nothing was imported. Correct the file and import it again."
    )
    assert lines[1] == "row 2, column 'status': 'x0' is not a status; use one of a, b"
    assert len(lines) == 1 + MAX_LISTED_PROBLEMS + 1
    assert lines[-1] == "... and 7 more"


def test_a_form_entry_names_fields_not_rows_in_the_page_language() -> None:
    lines = problem_lines(_problems(2), from_form=True, t=translator("fr"))
    assert lines[0].startswith("Le relevé n'a pas été enregistré")
    assert lines[1:] == [
        f"colonne « status » : « x{i} » n'est pas un statut ; utilisez l'une des valeurs a, b"
        for i in (0, 1)
    ]
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


BAD_CSV = (
    b"site_id,date,status,households,households_women_led,households_youth_led\n"
    b"S1,2024-03-31,completed,40,12,5\n"
    b"S9,31/03/2024,finished,12000000,3,2\n"
    b"S1,2024-03-31,ongoing,10,11,0\n"
)


def _bad_import() -> MonitoringError:
    with pytest.raises(MonitoringError) as err:
        read_monitoring_csv(BAD_CSV, {"S1", "S2"}, today=dt.date(2025, 1, 1))
    return err.value


def test_a_bad_csv_on_a_french_page_names_rows_and_columns_in_french() -> None:
    problems = _bad_import().problems
    lines = problem_lines(problems, from_form=False, t=translator("fr"))
    assert lines[0].startswith(f"{len(problems)} problème(s) : rien n'a été importé")
    assert lines[1:] == [
        "ligne 3, colonne « site_id » : « S9 » n'est pas un site de projet de cette région ;"
        " utilisez un site_id de la couche des sites de projet",
        "ligne 3, colonne « date » : « 31/03/2024 » n'est pas une date de la forme AAAA-MM-JJ"
        " (par ex. 2025-03-31) ; écrivez la date sous la forme AAAA-MM-JJ",
        "ligne 3, colonne « status » : « finished » n'est pas un statut ;"
        " utilisez l'une des valeurs planned, ongoing, completed, abandoned",
        "ligne 3, colonne « households » : « 12000000 » n'est pas un nombre entier de ménages ;"
        " écrivez un nombre entier de 0 à " + f"{MAX_COUNT:,}".replace(",", "\u202f"),
        "ligne 4, colonne « households_women_led » : 11 dépasse les 10 ménages du site ;"
        " corrigez households_women_led ou households (il en compte une partie)",
    ]


def test_the_english_page_and_the_cli_say_the_same() -> None:
    """The English page shows each problem as the command line's message lists it."""
    err = _bad_import()
    english = problem_lines(err.problems, from_form=False, t=translator("en"))[1:]
    assert english == [str(p) for p in err.problems]
    assert "from 0 to 10,000,000" in english[3]
    assert all(line in str(err) for line in map(str, err.problems))


@pytest.mark.parametrize("lang", sorted(TRANSLATIONS))
def test_every_monitoring_problem_is_translated(lang: str) -> None:
    catalogue = TRANSLATIONS[lang].CATALOGUE
    texts = {*MESSAGES.values(), *FIXES.values(), WHERE_ROW, WHERE_FILE}
    assert not [m for m in texts if m not in catalogue]


def test_every_table_cell_names_its_column_for_the_phone_cards() -> None:
    """On a phone each row is a card: every cell carries its column's heading."""
    from processing.programme import latest_records, programme_table

    records = read_monitoring_csv(
        BAD_CSV.split(b"\n")[0] + b"\nS1,2024-03-31,completed,40,12,5\n",
        {"S1"},
        today=dt.date(2025, 1, 1),
    )
    sites = pd.DataFrame(
        {"site_id": ["S1"], "name": ["Pan"], "type": ["water_pan"], "community": ["Kyeni"]}
        | {"watershed": ["W"], "community_id": ["C1"], "watershed_id": ["W1"]}
    )
    table = programme_table(latest_records(records), sites, "community")
    view = table_view(table, "community", translator("fr"))
    assert view.className == "stack-table"
    head = [th.children for th in view.children[0].children.children]
    rows = view.children[1].children
    assert len(rows) == 2  # Kyeni, then the whole region
    per_yr = unit("m³/yr", translator("fr"))
    assert head[-2:] == [f"Eau récoltée ({per_yr})", f"Recharge gagnée ({per_yr})"]
    for row in rows:
        labels = [getattr(td, "data-label") for td in row.children]
        assert labels[:-2] == head[:-2]
        assert labels[-2:] == [
            f"Eau récoltée par les sites achevés ({per_yr})",
            f"Recharge gagnée par les sites achevés ({per_yr})",
        ]
