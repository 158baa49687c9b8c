"""Dates of monthly files from any name (issue 24): ``--date-pattern``, the dates found in
names, and ambiguity as an error listing the readings. The expected months are the ones
the names were built from."""

from __future__ import annotations

from pathlib import Path

import pytest

from layers.monthly_files import date_pattern_regex, monthly_source

MONTHS_2001_2002 = [(y, m) for y in (2001, 2002) for m in range(1, 13)]


def _touch(folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in names:
        (folder / n).write_bytes(b"")
    return folder


@pytest.mark.parametrize(
    "template",
    [
        "pre_{y}-{m:02d}.tif",  # the names
        "rain_{y}{m:02d}.tif",
        "CHIRPS_monthly_{y}.{m:02d}_v3.tif",
        "tmax_{y}_{m:02d}.tif",
    ],
)
def test_dates_found_in_names(tmp_path: Path, template: str) -> None:
    names = [template.format(y=y, m=m) for y, m in reversed(MONTHS_2001_2002)]
    src = monthly_source(_touch(tmp_path / "f", names))
    assert (src.kind, src.start) == ("series", "2001-01")
    assert [p.name for p in src.paths] == [template.format(y=y, m=m) for y, m in MONTHS_2001_2002]
    assert "in the names" in src.product


def test_a_month_number_alone_is_a_climatology(tmp_path: Path) -> None:
    src = monthly_source(_touch(tmp_path / "c", [f"tmin_{m:02d}.tif" for m in range(12, 0, -1)]))
    assert src.kind == "climatology" and src.paths[0].name == "tmin_01.tif"


@pytest.mark.parametrize(
    "pattern",
    ["precip.{yyyy}.m{mm}.tif", r"precip\.(?P<year>\d{4})\.m(?P<month>\d\d)", "*.{yyyy}.m{mm}.*"],
)
def test_date_pattern_reads_names_nothing_else_reads(tmp_path: Path, pattern: str) -> None:
    names = [f"precip.{y}.m{m:02d}.tif" for y, m in MONTHS_2001_2002]
    folder = _touch(tmp_path / "p", names[::-1])
    with pytest.raises(ValueError, match=r"hold no month.*--date-pattern"):
        monthly_source(folder)
    src = monthly_source(folder, date_pattern=pattern)
    assert (src.kind, src.start) == ("series", "2001-01")
    assert [p.name for p in src.paths] == names
    assert monthly_source(folder, ("2002-01", "2002-12"), pattern).start == "2002-01"


def test_two_dates_in_each_name_are_an_error_listing_both(tmp_path: Path) -> None:
    names = [f"rain_{y}-{m:02d}_rerun_{y + 10}-{m:02d}.tif" for y, m in MONTHS_2001_2002]
    folder = _touch(tmp_path / "two", names)
    with pytest.raises(ValueError) as info:
        monthly_source(folder)
    message = str(info.value)
    assert "more than one date" in message and "--date-pattern" in message
    assert "is 2001-01" in message and "is 2011-01" in message
    src = monthly_source(folder, date_pattern="rain_{yyyy}-{mm}_*")
    assert src.start == "2001-01"


def test_a_second_date_that_repeats_is_not_a_reading(tmp_path: Path) -> None:
    """``..._processed_202301``: the same second date in every name cannot be the month."""
    names = [f"era5_{y}{m:02d}_processed_202301.tif" for y, m in MONTHS_2001_2002]
    assert monthly_source(_touch(tmp_path / "e", names)).start == "2001-01"


def test_bad_patterns_and_repeated_months_name_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no month in it"):
        date_pattern_regex("{var}_{yyyy}.tif")
    with pytest.raises(ValueError, match="not a valid expression"):
        date_pattern_regex("(?P<m>[")
    names = [f"pre_2001-{m:02d}.tif" for m in range(1, 13)]
    folder = _touch(tmp_path / "d", [*names, "pre_2001-03_copy.tif"])
    with pytest.raises(ValueError, match=r"several files fall on one month \(2001-03: pre_2001"):
        monthly_source(folder)
    with pytest.raises(ValueError, match="does not match"):
        monthly_source(_touch(tmp_path / "n", names), date_pattern="rain_{yyyy}-{mm}.tif")
