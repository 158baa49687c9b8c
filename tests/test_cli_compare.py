"""`landwater compare`: the table against the store's own m3 rows, the totals, bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from landwater.cli import main
from landwater.cli_compare import write_beside
from processing.compare import COMPARE_VARIABLES
from processing.future_suitability_exports import sheets_and_readme
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
    processed_demo: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from layers.workspace import Workspace
    from processing.future_suitability import ALL_SELECTED, FutureSuitability
    from tests.future_fakes import fake_effects

    asked: list[tuple[str, list[str], str]] = []

    def effects(_self: object, future: str, unit_ids: list[str], spread: str) -> object:
        asked.append((future, list(unit_ids), spread))
        return fake_effects(unit_ids, future=future, spread=spread)

    monkeypatch.setattr(FutureSuitability, "effects", effects)
    chosen = ["C001", "C002", "C003"]
    future = "DEMO-MID ssp245 2041-2060"  # one GCM's balance: the effects are the fake's
    spec = {"name": "mid", "communities": chosen, "future": future, "future_spread": "10-90"}
    rec = Workspace.for_region(processed_demo).save_scenario("mid", spec)
    out = tmp_path / "future.xlsx"
    args = ["compare", str(processed_demo), "--a", "baseline", "--b", f"saved:{rec.id}"]
    assert main([*args, "-o", str(out)]) == 0
    assert asked == [(future, chosen, "10-90")]
    printed = capsys.readouterr().out
    assert "B under the future climate" in printed
    # the fake's three units: 1,200 + 2,400 + 3,600 ha; GCMs at 1,000, 1,500, 1,800 x 6 ha,
    # whose 10th and 90th percentiles are 6,000 + 0.2 x 3,000 and 9,000 + 0.8 x 1,800
    assert "  ponds: 7,200 -> 9,000 (6,600 - 10,440)" in printed
    # potential: 12 / 40 per cell in the baseline, 15 / 40 the median GCM's; Oct for two
    assert "  maize: Oct -> Oct, 0.30 -> 0.38 (" in printed and "2/3 GCMs agree" in printed
    sheets = pd.read_excel(out, sheet_name=None, dtype={"unit_id": str})
    suit = sheets["future_suitability_b"]
    assert list(suit["unit_id"]) == [*chosen, ALL_SELECTED]
    assert "future_crops_b" in set(sheets["README"]["item"])
    # a CSV output gets the sheets as CSV files beside it
    csv = tmp_path / "future.csv"
    extra = sheets_and_readme([("b", fake_effects(chosen))])
    assert extra is not None and write_beside(csv, extra[0])
    beside = pd.read_csv(tmp_path / "future_future_crops_b.csv", dtype={"unit_id": str})
    assert list(beside["unit_id"]) == [*chosen, ALL_SELECTED]
    assert (tmp_path / "future_future_suitability_b.csv").is_file()
