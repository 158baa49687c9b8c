"""Programme totals from monitoring CSVs against a pandas computation of the same CSV."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from layers.monitoring import COUNT_COLUMNS, STATUSES, read_monitoring_csv
from processing.programme import (
    GROUPINGS,
    REGION_ROW,
    WATER_COLUMN,
    latest_records,
    programme_table,
    status_over_time,
)

SITES = pd.DataFrame(
    {
        "site_id": [f"S{i:02d}" for i in range(8)],
        "name": [f"Site {i}" for i in range(8)],
        "type": ["water_pan", "sand_dam", "water_pan", "tree_nursery"] * 2,
        "community": ["Kamutua", "Kamutua", "Kinzau", "Matha", "Matha", "Kinzau", "Katha", "Katha"],
        "community_id": ["C1", "C1", "C2", "C3", "C3", "C2", "C4", "C4"],
        "watershed": ["North"] * 5 + ["South"] * 3,
        "watershed_id": ["W1"] * 5 + ["W2"] * 3,
    }
)
TODAY = dt.date(2026, 1, 1)


@st.composite
def monitoring_csv(draw: st.DrawFn) -> str:
    """A valid monitoring CSV: some sites, each with records on distinct dates."""
    rows = []
    sites = draw(
        st.lists(st.sampled_from(list(SITES["site_id"])), min_size=1, max_size=8, unique=True)
    )
    for site in sites:
        days = draw(st.lists(st.integers(0, 3000), min_size=1, max_size=4, unique=True))
        for day in days:
            hh = draw(st.integers(0, 500))
            women, youth = draw(st.integers(0, hh)), draw(st.integers(0, hh))
            status = draw(st.sampled_from(STATUSES))
            date = dt.date(2015, 1, 1) + dt.timedelta(days=day)
            rows.append(f"{site},{date.isoformat()},{status},{hh},{women},{youth}")
    order = draw(st.permutations(rows))
    return "site_id,date,status,households,households_women_led,households_youth_led\n" + "\n".join(
        order
    )


def _expected(text: str, by: str) -> pd.DataFrame:
    """Per group: each site's latest row of the CSV, summed (pandas on the raw text)."""
    raw = pd.read_csv(io.StringIO(text), parse_dates=["date"])
    latest = raw.loc[raw.groupby("site_id")["date"].idxmax()].merge(SITES, on="site_id")
    sums = latest.groupby(by)[list(COUNT_COLUMNS)].sum()
    status = pd.crosstab(latest[by], latest["status"])
    sums = sums.join(status.reindex(columns=list(STATUSES), fill_value=0).add_prefix("sites_"))
    sums.loc[REGION_ROW] = sums.sum()
    return sums


@settings(max_examples=25, deadline=None)
@given(monitoring_csv())
def test_totals_equal_the_csvs_latest_counts(text: str) -> None:
    records = read_monitoring_csv(text.encode(), set(SITES["site_id"]), TODAY)
    latest = latest_records(records)
    for by in GROUPINGS:
        table = programme_table(latest, SITES, by).set_index(by)
        want = _expected(text, by)
        assert list(table.index) == list(want.index)
        for col in want.columns:
            assert table[col].tolist() == want[col].astype(int).tolist(), (by, col)
        hh = want["households"].to_numpy(float)
        for col, pct in (
            ("households_women_led", "women_led_pct"),
            ("households_youth_led", "youth_led_pct"),
        ):
            share = np.where(
                hh > 0, want[col].to_numpy(float) / np.where(hh > 0, hh, 1) * 100, np.nan
            )
            np.testing.assert_allclose(table[pct].to_numpy(float), share, atol=0.05)
        assert table[WATER_COLUMN].isna().all()  # no water given


@settings(max_examples=12, deadline=None)
@given(monitoring_csv())
def test_status_over_time_counts_each_sites_latest_status_on_every_date(text: str) -> None:
    records = read_monitoring_csv(text.encode(), set(SITES["site_id"]), TODAY)
    over = status_over_time(records, SITES)
    raw = pd.read_csv(io.StringIO(text), parse_dates=["date"])
    assert [pd.Timestamp(d) for d in over["date"]] == sorted(raw["date"].unique())
    for row in over.itertuples(index=False):
        day = pd.Timestamp(row.date)
        status = {}
        for site, group in raw.groupby("site_id"):
            seen = group[group["date"] <= day]
            if len(seen):
                status[site] = seen.loc[seen["date"].idxmax(), "status"]
        for s in STATUSES:
            assert getattr(row, s) == sum(v == s for v in status.values())


def test_water_of_completed_sites_sums_by_group() -> None:
    text = (
        "site_id,date,status,households,households_women_led,households_youth_led\n"
        "S00,2024-01-01,completed,10,4,2\nS01,2024-01-01,completed,20,5,1\n"
        "S02,2024-01-01,ongoing,5,1,1\n"
    )
    latest = latest_records(read_monitoring_csv(text.encode(), set(SITES["site_id"]), TODAY))
    water = pd.Series({"S00": 100.0, "S01": 250.0, "S02": np.nan})
    table = programme_table(latest, SITES, "type", water).set_index("type")
    assert table.loc["water_pan", WATER_COLUMN] == 100.0
    assert table.loc["sand_dam", WATER_COLUMN] == 250.0
    assert table.loc[REGION_ROW, WATER_COLUMN] == 350.0
    assert table.loc[REGION_ROW, "households_women_led"] == 10
