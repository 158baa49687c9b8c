"""Programme totals from monitoring CSVs against a pandas computation of the same CSV."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layers.config import InterventionConfig
from layers.monitoring import COUNT_COLUMNS, STATUSES, read_monitoring_csv
from processing.portfolio_impacts import CommunityFacts
from processing.programme import (
    GROUPINGS,
    RECHARGE_COLUMN,
    REGION_ROW,
    WATER_COLUMN,
    completed_recharge,
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
        assert table[RECHARGE_COLUMN].isna().all()


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


def _intervention(iv_id: str, lever: str | None, site_type: str) -> InterventionConfig:
    criterion = {"layer": "slope_pct", "function": "decreasing", "params": [2, 10], "weight": 1}
    spec: dict[str, object] = {
        "id": iv_id,
        "name": iv_id,
        "criteria": [criterion],
        "unit_cost": 3.0,
        "site_types": [site_type],
    }
    if lever == "ponds":
        spec.update(unit="m3", unit_size=100, scenario_lever="ponds")
    else:
        spec.update(unit="ha", unit_size=2, scenario_lever=lever)
    return InterventionConfig.model_validate(spec)


def test_recharge_of_completed_sites_is_each_communitys_table_at_its_count() -> None:
    """Per community and type, the recharge table at k completed sites, by hand."""
    ids = np.array(["C1", "C2", "C3", "C4"])
    zeros = np.zeros(4)
    facts = CommunityFacts(
        ids=ids,
        names=ids,
        households=None,
        runoff_mm_yr=zeros,
        runoff_month_m3=np.zeros((12, 4)),
        area_m2=zeros + 1e6,
        et0_month_mm=np.zeros((12, 4)),
        deficit_month_mm=np.zeros((12, 4)),
        s1s2_ha={},
        women_youth_share=None,
    )
    ponds = _intervention("ponds", "ponds", "water_pan")
    dams = _intervention("dams", None, "sand_dam")  # no scenario lever: no recharge
    asked: list[tuple[str, int]] = []

    def recharge(iv: InterventionConfig, k_max: int) -> np.ndarray:
        asked.append((iv.id, k_max))
        k = np.arange(k_max + 1, dtype=float)
        return np.sqrt(k)[np.newaxis] * np.array([100.0, 200.0, 300.0, 400.0])[:, np.newaxis]

    # S03 and S07 are sand dams, the others water pans
    community_ids = ["C1", "C2", "C1", "C3", "C3", "C2", "C4", "C4"]
    names = {"C1": "Kamutua", "C2": "Kinzau", "C3": "Matha", "C4": "Katha"}
    sites = SITES.assign(
        type=["water_pan", "water_pan", "water_pan", "sand_dam"] * 2,
        community_id=community_ids,
        community=[names[c] for c in community_ids],
    )
    text = (
        "site_id,date,status,households,households_women_led,households_youth_led\n"
        "S00,2024-01-01,completed,1,0,0\nS02,2024-01-01,completed,1,0,0\n"
        "S01,2024-01-01,completed,1,0,0\nS04,2024-01-01,completed,1,0,0\n"
        "S05,2024-01-01,completed,1,0,0\nS06,2023-01-01,completed,1,0,0\n"
        "S06,2024-01-01,ongoing,1,0,0\nS03,2024-01-01,completed,1,0,0\n"
    )
    latest = latest_records(read_monitoring_csv(text.encode(), set(SITES["site_id"]), TODAY))
    per_site = completed_recharge(latest, sites, facts, [ponds, dams], recharge)
    assert asked == [("ponds", 2)]  # one table, as wide as C1's two completed pans
    # C1: S00 and S02 -> 100 sqrt(2), shared; C2: S01 and S05 -> 200 sqrt(2); C3: S04 -> 300
    # (S03 a completed sand dam: NaN); C4: S06 back to ongoing: NaN
    want = {
        "S00": 100 * np.sqrt(2) / 2,
        "S02": 100 * np.sqrt(2) / 2,
        "S01": 200 * np.sqrt(2) / 2,
        "S05": 200 * np.sqrt(2) / 2,
        "S04": 300.0,
    }
    for site, value in want.items():
        assert per_site[site] == pytest.approx(value)
    assert per_site[["S03", "S06"]].isna().all()
    table = programme_table(latest, sites, "community", None, per_site).set_index("community")
    assert table.loc["Kamutua", RECHARGE_COLUMN] == round(100 * np.sqrt(2))
    assert table.loc["Kinzau", RECHARGE_COLUMN] == round(200 * np.sqrt(2))
    assert table.loc["Matha", RECHARGE_COLUMN] == 300.0
    assert np.isnan(table.loc["Katha", RECHARGE_COLUMN])
    assert table.loc[REGION_ROW, RECHARGE_COLUMN] == round(300 * np.sqrt(2) + 300)
    assert table[WATER_COLUMN].isna().all()
