"""`landwater compare`: the table against the store's own m3 rows, the totals, bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from landwater.cli import main
from processing.compare import COMPARE_VARIABLES
from processing.results_store import ResultsStore


def test_january_against_july_matches_the_stores_m3(
    processed_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "compare.csv"
    args = ["compare", str(processed_demo), "--a", "month:1", "--b", "month:7", "-o", str(out)]
    assert main([*args, "--level", "watersheds"]) == 0
    printed = capsys.readouterr().out
    table = pd.read_csv(out, dtype={"id": str}).set_index("id")
    monthly = ResultsStore(processed_demo / "results").monthly("watersheds")
    m3 = monthly[monthly["unit"] == "m3"].set_index(["unit_id", "month", "variable"])["value"]
    units = table.drop(index="TOTAL")
    for v in COMPARE_VARIABLES:
        # the store's m3 are of the unrounded mm; the table's of the mm to 0.001 (+-0.002
        # mm on a change) over the summary's area
        change = pd.Series([m3[(u, 7, v)] - m3[(u, 1, v)] for u in units.index], units.index)
        slack = 0.002 * units["area_ha"] * 1e4 / 1000.0 + 1.0
        assert ((units[f"{v}_change_m3"] - change).abs() <= slack).all(), v
        total = float(table[f"{v}_change_m3"].loc["TOTAL"])
        assert total == pytest.approx(units[f"{v}_change_m3"].sum(), abs=len(units))
        assert f"{v}: {total:+,.0f} m3" in printed
    assert "January -> July" in printed


def test_bad_states_exit_with_the_fix(
    processed_demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    region = str(processed_demo)
    assert main(["compare", region, "--a", "month:2", "--b", "month:2"]) == 1
    assert "A and B are both 'February'" in capsys.readouterr().err
    assert main(["compare", region, "--a", "year:2001", "--b", "year:2002"]) == 1
    assert "climatology" in capsys.readouterr().err
    assert main(["compare", region, "--a", "baseline", "--b", "saved:999"]) == 1
    assert "Saved scenario #999 no longer exists" in capsys.readouterr().err


def test_a_saved_future_scenario_exports_its_suitability_and_crops(
    processed_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from layers.workspace import Workspace
    from processing.future_suitability import ALL_SELECTED

    chosen = ["C001", "C002", "C003"]
    spec = {"name": "mid", "communities": chosen, "future": "DEMO-MID ssp245 2041-2060"}
    rec = Workspace.for_region(processed_demo).save_scenario("mid", spec)
    out = tmp_path / "future.xlsx"
    args = ["compare", str(processed_demo), "--a", "baseline", "--b", f"saved:{rec.id}"]
    assert main([*args, "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "B under the future climate" in printed and "one GCM" in printed
    sheets = pd.read_excel(out, sheet_name=None, dtype={"unit_id": str})
    suit, crops = sheets["future_suitability_b"], sheets["future_crops_b"]
    assert "future_suitability_b" in set(sheets["README"]["item"])
    units = suit[suit["unit_id"] != ALL_SELECTED]
    assert set(units["unit_id"]) == set(chosen)
    # the row over the scenario's communities sums theirs (one GCM: no spread)
    together = suit[suit["unit_id"] == ALL_SELECTED].set_index("intervention")
    summed = units.groupby("intervention")[["suitable_ha_base", "suitable_ha_future"]].sum()
    for col in summed.columns:
        assert (together[col] - summed[col]).abs().max() <= 0.05 * len(chosen) + 1e-9
    assert (together["suitable_ha_lo"] == together["suitable_ha_future"]).all()
    assert (crops["gcms"] == 1).all() and (crops["gcms_agreeing"] <= 1).all()
    for _, r in together.iterrows():
        iv = r.name
        assert f"  {iv}: {r['suitable_ha_base']:,.0f} -> {r['suitable_ha_future']:,.0f}" in printed
