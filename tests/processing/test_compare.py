"""Compare: B - A per unit against an independent recomputation from the store's tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processing.compare import (
    COMPARE_VARIABLES,
    TOTAL_ID,
    CompareError,
    compare_states,
    month_state,
    scenario_state,
    series_years,
    year_state,
)
from processing.kernels.water_balance import DEFICIT_MONTH_MM
from processing.results_store import ResultsStore, annual_by_year
from processing.scenario import Scenario, ScenarioEngine, build_scenario_engine, run_scenario
from processing.sites import SitePlanner
from processing.trends import trends_by_year


def long_monthly(
    values: np.ndarray, ids: list[str], start_year: int | None, first_month: int
) -> pd.DataFrame:
    """A store-shaped long monthly table of ``values`` (months, units, variables), mm and m3."""
    months, units, _ = values.shape
    cal = (np.arange(months) + first_month - 1) % 12 + 1
    if start_year is None:
        year = np.full(months, np.nan)
    else:
        year = start_year + (np.arange(months) + first_month - 1) // 12
    frames = []
    for k, var in enumerate(COMPARE_VARIABLES):
        for unit, scale in (("mm", 1.0), ("m3", 7.0)):
            frames.append(
                pd.DataFrame(
                    {
                        "unit_id": np.tile(ids, months),
                        "year": np.repeat(year, units),
                        "month": np.repeat(cal, units),
                        "variable": var,
                        "value": values[:, :, k].ravel() * scale,
                        "unit": unit,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def tables(draw: st.DrawFn, series: bool) -> tuple[pd.DataFrame, pd.Series]:
    units = draw(st.integers(1, 4))
    months = draw(st.integers(24, 40)) if series else 12
    first = draw(st.integers(1, 12)) if series else 1
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    values = rng.gamma(1.0, 40.0, size=(months, units, len(COMPARE_VARIABLES)))
    ids = [f"U{i}" for i in range(units)]
    area = pd.Series(rng.uniform(1e5, 1e8, units), index=ids)
    return long_monthly(values, ids, 2001 if series else None, first), area


@st.composite
def climatology(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.Series]:
    return tables(draw, series=False)


@st.composite
def series(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.Series]:
    return tables(draw, series=True)


def check_totals(table: pd.DataFrame) -> None:
    units, total = table[table["id"] != TOTAL_ID], table[table["id"] == TOTAL_ID].iloc[0]
    for v in COMPARE_VARIABLES:
        for side in ("a", "b", "change"):
            assert total[f"{v}_{side}_m3"] == pytest.approx(units[f"{v}_{side}_m3"].sum())
            mean_mm = (units[f"{v}_{side}_mm"] * units["area_ha"]).sum() / units["area_ha"].sum()
            assert total[f"{v}_{side}_mm"] == pytest.approx(mean_mm, abs=1e-9)
    assert total["deficit_months_change"] == pytest.approx(units["deficit_months_change"].sum())


@settings(max_examples=25, deadline=None)
@given(climatology(), st.integers(1, 12), st.integers(1, 12))
def test_month_against_month_matches_the_monthly_table(
    data: tuple[pd.DataFrame, pd.Series], ma: int, mb: int
) -> None:
    monthly, area = data
    if ma == mb:
        with pytest.raises(CompareError, match="choose two different"):
            compare_states(month_state(monthly, ma), month_state(monthly, mb), area)
        return
    cmp = compare_states(month_state(monthly, ma), month_state(monthly, mb), area)
    mm = monthly[monthly["unit"] == "mm"].set_index(["unit_id", "month", "variable"])["value"]
    units = cmp.units.set_index("id")
    for uid, a_m2 in zip(area.index.astype(str), area.to_numpy(), strict=True):
        for v in COMPARE_VARIABLES:
            a, b = mm[(uid, ma, v)], mm[(uid, mb, v)]
            assert units.loc[uid, f"{v}_change_mm"] == pytest.approx(b - a)
            assert units.loc[uid, f"{v}_change_m3"] == pytest.approx((b - a) * a_m2 / 1000.0)
        in_a = mm[(uid, ma, "deficit")] > DEFICIT_MONTH_MM
        in_b = mm[(uid, mb, "deficit")] > DEFICIT_MONTH_MM
        assert units.loc[uid, "deficit_months_change"] == int(in_b) - int(in_a)
    check_totals(cmp.table)


@settings(max_examples=25, deadline=None)
@given(series(), st.data())
def test_year_against_year_matches_the_annual_and_trends_tables(
    data: tuple[pd.DataFrame, pd.Series], pick: st.DataObject
) -> None:
    monthly, area = data
    years = series_years(monthly)
    ya, yb = pick.draw(st.sampled_from(years)), pick.draw(st.sampled_from(years))
    if ya == yb:
        return
    cmp = compare_states(year_state(monthly, ya), year_state(monthly, yb), area)
    annual = annual_by_year(monthly)
    assert annual is not None
    mm = annual[annual["unit"] == "mm"].set_index(["unit_id", "year", "variable"])["value"]
    trends = trends_by_year(monthly)
    assert trends is not None
    deficit_months = trends.set_index(["unit_id", "year"])["deficit_months"]
    units = cmp.units.set_index("id")
    for uid, a_m2 in zip(area.index.astype(str), area.to_numpy(), strict=True):
        for v in COMPARE_VARIABLES:
            change = mm[(uid, yb, v)] - mm[(uid, ya, v)]
            assert units.loc[uid, f"{v}_change_mm"] == pytest.approx(change, abs=2e-3)
            assert units.loc[uid, f"{v}_change_m3"] == pytest.approx(
                change * a_m2 / 1000.0, rel=1e-4, abs=1e-3 * a_m2 / 1000.0
            )
        expected = deficit_months[(uid, yb)] - deficit_months[(uid, ya)]
        assert units.loc[uid, "deficit_months_change"] == expected
    check_totals(cmp.table)


def test_a_month_of_a_series_is_its_mean_over_the_years() -> None:
    values = np.arange(36 * len(COMPARE_VARIABLES), dtype=float).reshape(36, 1, -1)
    monthly = long_monthly(values, ["U0"], 2001, 1)
    state = month_state(monthly, 3)
    expected = values[[2, 14, 26], 0, :].mean(axis=0)
    np.testing.assert_allclose(state.values.loc["U0", list(COMPARE_VARIABLES)], expected)


def test_bad_requests_name_the_input_and_the_fix() -> None:
    values = np.ones((18, 1, len(COMPARE_VARIABLES)))
    clim = long_monthly(values[:12], ["U0"], None, 1)
    with pytest.raises(CompareError, match=r"climatology.*compare two months"):
        year_state(clim, 2001)
    partial = long_monthly(values, ["U0"], 2001, 1)  # 2001 whole, 2002 six months
    assert series_years(partial) == [2001]
    with pytest.raises(CompareError, match=r"Year 2002 is not a whole year.*from 2001 to 2001"):
        year_state(partial, 2002)
    with pytest.raises(CompareError, match="Month 13 does not exist"):
        month_state(clim, 13)
    area = pd.Series([1e6], index=["U0"])
    with pytest.raises(CompareError, match="A is a month and B a year"):
        compare_states(month_state(partial, 1), year_state(partial, 2001), area)


@pytest.fixture(scope="module")
def se(demo_planner: SitePlanner) -> ScenarioEngine:
    return build_scenario_engine(demo_planner.engine)


def test_baseline_against_warming_on_the_demo(se: ScenarioEngine, demo_region: Path) -> None:
    """The baseline state is the store's summary; B - A changes only the chosen communities."""
    summary = ResultsStore(demo_region / "results").summary("communities").set_index("id")
    chosen = list(se.ids[:5])
    warm = Scenario(name="+1.5 degC", warming_c=1.5, communities=chosen)
    area = pd.Series(se.area_m2, index=se.ids)
    base = scenario_state(se, None)
    cmp = compare_states(base, scenario_state(se, warm), area)
    for v in COMPARE_VARIABLES:
        np.testing.assert_allclose(
            base.values[v], summary.loc[base.values.index, f"{v}_mm_yr"], atol=0.11
        )
    units = cmp.units.set_index("id")
    others = units.drop(index=chosen)
    assert (others[[f"{v}_change_mm" for v in COMPARE_VARIABLES]] == 0).all().all()
    assert (units.loc[chosen, "pet_change_mm"] > 0).all()
    result = run_scenario(se, warm).table.set_index("id")
    np.testing.assert_allclose(
        units.loc[chosen, "aet_change_m3"],
        result.loc[chosen, "aet_delta_m3_yr"],
        atol=1.0e-3 * area.max(),
    )
    check_totals(cmp.table)


def test_exports_carry_every_column_with_its_units(tmp_path: Path) -> None:
    """CSV and Excel: id, name, area, A/B/change in mm and m3, months in deficit, README."""
    from openpyxl import load_workbook

    from layers.io import write_csv, write_xlsx
    from processing.compare import export_sheets, export_table

    rng = np.random.default_rng(3)
    values = rng.gamma(1.0, 40.0, size=(12, 3, len(COMPARE_VARIABLES)))
    monthly = long_monthly(values, ["U0", "U1", "U2"], None, 1)
    area = pd.Series([1e6, 2e6, 5e5], index=["U0", "U1", "U2"])
    cmp = compare_states(month_state(monthly, 1, "January"), month_state(monthly, 7, "July"), area)
    names = pd.Series({"U0": "=HYPERLINK(x)", "U1": "Kanyama", "U2": "Ruiru"})
    csv = pd.read_csv(write_csv(export_table(cmp, names), tmp_path / "c.csv"), dtype={"id": str})
    expected = ["id", "name", "area_ha"]
    for v in COMPARE_VARIABLES:
        expected += [f"{v}_{s}_{u}" for u in ("mm", "m3") for s in ("a", "b", "change")]
    expected += ["deficit_months_a", "deficit_months_b", "deficit_months_change"]
    assert sorted(csv.columns) == sorted(expected)
    assert csv["id"].tolist() == ["U0", "U1", "U2", TOTAL_ID]
    assert csv["name"].iloc[-1] == "total"
    np.testing.assert_allclose(csv["area_ha"], [100, 200, 50, 350])
    rain = (values[6, :, 0] - values[0, :, 0]) * area.to_numpy() / 1000.0
    np.testing.assert_allclose(csv["rain_change_m3"].iloc[:3], rain, atol=0.5)
    assert csv["rain_change_m3"].iloc[-1] == pytest.approx(rain.sum(), abs=1.0)

    readme = pd.DataFrame({"item": ["region"], "value": ["Demo"], "licence": ["CC-BY"]})
    path = write_xlsx(export_sheets(cmp, "communities", readme, names), tmp_path / "c.xlsx")
    book = pd.read_excel(path, sheet_name=None)
    assert list(book) == ["comparison", "README"]
    assert sorted(book["comparison"].columns) == sorted(expected)
    notes = book["README"].set_index("item")
    assert notes.loc["comparison", "value"] == "A = January; B = July"
    assert notes.loc["rain_change_m3", "units / source"] == "m3"
    assert notes.loc["rain_a_mm / rain_b_mm", "units / source"] == "mm per month"
    assert notes.loc["region", "value"] == "Demo"
    sheet = load_workbook(path)["comparison"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet["B2"].data_type == "s"  # a name Excel would run as a formula stays text


def test_an_ensemble_future_exports_its_median_and_the_gcms_spread(
    se: ScenarioEngine, demo_planner: SitePlanner, tmp_path: Path
) -> None:
    """Baseline against the demo's ensemble: B is the median, lo/hi the min/max of the GCMs
    run one by one; the README says so; the total row leaves the spread empty."""
    from layers.io import write_csv
    from processing.compare import export_table, readme_rows
    from processing.futures import cell_climate, region_futures

    eng = demo_planner.engine
    c = eng.cells
    base_climate = cell_climate(eng.reg, c.rain_mm, c.et0_mm * c.kc[np.newaxis], c.first_month)
    futures = region_futures(eng.reg, se, base_climate)
    ensemble, members = next(iter(futures.groups.items()))
    chosen = list(se.ids[:6])
    sc = Scenario(name="future", future=ensemble, communities=chosen)
    area = pd.Series(se.area_m2, index=se.ids)
    cmp = compare_states(scenario_state(se, None), scenario_state(se, sc, run=futures.run), area)
    csv = pd.read_csv(write_csv(export_table(cmp), tmp_path / "c.csv"), dtype={"id": str})
    units = csv[csv["id"] != TOTAL_ID].set_index("id")
    runs = [futures.run(sc.model_copy(update={"future": m})).table for m in members]
    for v in COMPARE_VARIABLES:
        stack = np.stack([r.set_index("id").loc[chosen, f"{v}_scen_mm_yr"] for r in runs])
        got = units.loc[chosen]
        assert (got[f"{v}_b_lo_mm"] <= got[f"{v}_b_mm"]).all()
        assert (got[f"{v}_b_mm"] <= got[f"{v}_b_hi_mm"]).all()
        np.testing.assert_allclose(got[f"{v}_b_lo_mm"], stack.min(axis=0), atol=0.051)
        np.testing.assert_allclose(got[f"{v}_b_hi_mm"], stack.max(axis=0), atol=0.051)
        np.testing.assert_allclose(got[f"{v}_b_mm"], np.median(stack, axis=0), atol=0.051)
        m3 = stack.max(axis=0) * area.loc[chosen].to_numpy() / 1000.0
        np.testing.assert_allclose(got[f"{v}_b_hi_m3"], m3, atol=0.51 + 1e-4 * m3.max())
        # communities outside the scenario: baseline at both ends
        others = units.drop(index=chosen)
        np.testing.assert_array_equal(others[f"{v}_b_lo_mm"], others[f"{v}_a_mm"])
        assert f"{v}_a_lo_mm" not in csv  # the baseline has no spread
    assert (units.loc[chosen, "rain_b_hi_mm"] > units.loc[chosen, "rain_b_lo_mm"]).all()
    assert (
        csv[csv["id"] == TOTAL_ID][[c for c in csv.columns if "_lo_" in str(c)]].isna().all().all()
    )
    notes = readme_rows(cmp, "communities").set_index("item")
    method = str(notes.loc["recharge_b_lo_mm / recharge_b_hi_mm", "method"])
    assert method.startswith("min-max over the GCMs DEMO-DRY, DEMO-MID, DEMO-WET")
    assert notes.loc["recharge_b_lo_m3 / recharge_b_hi_m3", "units / source"] == "m3"
