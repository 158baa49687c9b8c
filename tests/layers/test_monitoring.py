"""Monitoring CSVs: every bad row named with its column and fix; the workspace's table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from layers.monitoring import MonitoringError, read_monitoring_csv
from layers.monitoring_store import MonitoringStore
from layers.workspace import Workspace

SITES = {"S001", "S002", "S003"}
HEADER = "site_id,date,status,households,households_women_led,households_youth_led\n"
TODAY = dt.date(2026, 1, 1)


def _problems(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(MonitoringError) as err:
        read_monitoring_csv(text.encode(), SITES, TODAY)
    return [(p.line, p.column, f"{p.message}; {p.fix}") for p in err.value.problems]


def test_a_valid_csv_reads_typed_records() -> None:
    text = (
        "\ufeff" + HEADER + "S001,2024-03-31,Completed,120,50,30\nS002,2024-03-31,planned,0,0,0\n"
    )
    records = read_monitoring_csv(text.encode(), SITES, TODAY)
    assert records["site_id"].tolist() == ["S001", "S002"]
    assert records["date"].tolist() == [dt.date(2024, 3, 31)] * 2
    assert records["status"].tolist() == ["completed", "planned"]
    assert records[
        ["households", "households_women_led", "households_youth_led"]
    ].values.tolist() == [
        [120, 50, 30],
        [0, 0, 0],
    ]


def test_every_bad_row_is_named_with_its_column_and_fix() -> None:
    rows = [
        "S999,2024-01-01,planned,10,1,1",  # line 2: unknown site
        "S001,31/01/2024,planned,10,1,1",  # 3: bad date
        "S001,2024-02-30,planned,10,1,1",  # 4: no such day
        "S001,2024-01-01,finished,10,1,1",  # 5: unknown status
        "S001,2024-02-01,ongoing,10,11,1",  # 6: women-led > households
        "S001,2024-03-01,ongoing,-5,0,0",  # 7: negative
        "S001,2024-04-01,ongoing,2.5,0,0",  # 8: not whole
        "S002,2024-05-01,ongoing,10,1,1",  # 9: fine
        "S002,2024-05-01,completed,12,1,1",  # 10: duplicate of line 9
        "S003,2027-01-01,ongoing,10,1,12",  # 11: future date, youth-led > households
    ]
    found = _problems(HEADER + "\n".join(rows) + "\n")
    where = [(line, col) for line, col, _ in found]
    assert where == [
        (2, "site_id"),
        (3, "date"),
        (4, "date"),
        (5, "status"),
        (6, "households_women_led"),
        (7, "households"),
        (8, "households"),
        (10, "date"),
        (11, "date"),
        (11, "households_youth_led"),
    ]
    text = dict(((line, col), msg) for line, col, msg in found)
    assert "use a site_id of the project sites layer" in text[(2, "site_id")]
    assert "YYYY-MM-DD" in text[(3, "date")]
    assert "planned, ongoing, completed, abandoned" in text[(5, "status")]
    assert "11 is more than the site's 10 households" in text[(6, "households_women_led")]
    assert "row 9" in text[(10, "date")] and "one row per site and date" in text[(10, "date")]
    assert "today" in text[(11, "date")]


def test_missing_and_unknown_columns_and_unreadable_files() -> None:
    found = _problems("site_id,date,status,households,households_women_led,hh_youth\nS001\n")
    assert [(line, col) for line, col, _ in found] == [
        (None, "households_youth_led"),
        (None, "hh_youth"),
    ]
    assert _problems(HEADER)[0][2].startswith("the file has no rows")
    with pytest.raises(MonitoringError, match="UTF-8"):
        read_monitoring_csv(
            HEADER.encode() + "S001,2024-01-01,planned,1,0,0,é\n".encode("latin-1"), SITES
        )


def test_error_message_names_the_file_and_says_nothing_was_imported(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(HEADER + "S009,2024-01-01,planned,1,0,0\n")
    with pytest.raises(MonitoringError) as err:
        read_monitoring_csv(path, SITES, TODAY)
    assert str(path) in str(err.value) and "nothing was imported" in str(err.value)
    assert "row 2, column 'site_id'" in str(err.value)


def test_store_replaces_a_site_and_date_and_refuses_unknown_sites(workspace_url: str) -> None:
    ws = Workspace(workspace_url)
    store = MonitoringStore(ws, SITES)
    first = read_monitoring_csv(
        (HEADER + "S001,2024-01-01,ongoing,10,4,2\nS002,2024-01-01,planned,0,0,0\n").encode(),
        SITES,
        TODAY,
    )
    assert store.save(first, author="me") == 2
    again = read_monitoring_csv(
        (HEADER + "S001,2024-01-01,completed,12,5,3\n").encode(), SITES, TODAY
    )
    store.save(again)
    rows = store.records()
    assert rows.values.tolist() == [
        ["S001", dt.date(2024, 1, 1), "completed", 12, 5, 3],
        ["S002", dt.date(2024, 1, 1), "planned", 0, 0, 0],
    ]
    # another region's site: nothing of the batch is stored
    other = MonitoringStore(ws, {"S001"})
    with pytest.raises(MonitoringError, match="S002"):
        other.save(first)
    assert store.records().values.tolist() == rows.values.tolist()
    # a second store on the same database sees the same records (another worker)
    assert MonitoringStore(Workspace(ws.url), SITES).records().equals(rows)
    ws.close()
